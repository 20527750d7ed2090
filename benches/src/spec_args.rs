//! The command line the generation benchmarks share:
//! `SPEC --name NAME --out DIR [--repeat N]`, and their own switches.

use std::path::PathBuf;

/// What a generation benchmark runs on.
pub struct SpecArgs {
    /// The spec file.
    pub spec: PathBuf,
    /// The crates' base name.
    pub name: String,
    /// The directory written into (removed before each run).
    pub out: PathBuf,
    /// How many runs (at least one).
    pub repeat: usize,
    args: Vec<String>,
}

impl SpecArgs {
    /// The process's arguments; `usage` is the error when one is missing.
    pub fn from_env(usage: &'static str) -> Result<Self, Box<dyn std::error::Error>> {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let flag = |name: &str| {
            args.iter()
                .position(|a| a == name)
                .and_then(|i| args.get(i + 1))
                .cloned()
        };
        Ok(SpecArgs {
            spec: PathBuf::from(args.first().ok_or(usage)?),
            name: flag("--name").ok_or(usage)?,
            out: PathBuf::from(flag("--out").ok_or(usage)?),
            repeat: flag("--repeat").map_or(Ok(1), |n| n.parse())?.max(1),
            args,
        })
    }

    /// Whether the switch `name` (`--server`) was given.
    pub fn has(&self, name: &str) -> bool {
        self.args.iter().any(|a| a == name)
    }
}
