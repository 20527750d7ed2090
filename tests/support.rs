//! Shared helpers of the end-to-end tests.

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Generates from `spec` with crate base `name` and compares the result with
/// the crates under `dir`, byte for byte. On drift, panics with a diff of
/// each file and the command that regenerates `dir`.
pub fn assert_matches_golden(spec: &Path, name: &str, dir: &Path) {
    let output = apiforge::generate(spec, Some(name))
        .unwrap_or_else(|e| panic!("generating {}: {e}", spec.display()));
    let drift = apiforge::write::check(dir, &output).expect("the crates can be compared");
    if drift.is_empty() {
        return;
    }
    let mut report = String::new();
    for d in &drift {
        report.push_str(&format!("\n{d}\n"));
        let path = dir.join(&d.path);
        if let (Some(expected), Ok(actual)) =
            (output.files.get(&d.path), std::fs::read_to_string(&path))
        {
            report.push_str(&first_difference(&actual, expected));
        }
    }
    let rel = |p: &Path| p.strip_prefix(root()).unwrap_or(p).display().to_string();
    panic!(
        "{} drifted from {}:{report}\nregenerate with:\n  cargo run -p apiforge -- generate {} --out {} --name {name}\n",
        rel(dir),
        rel(spec),
        rel(spec),
        rel(dir),
    );
}

/// The first line where two texts differ, with a little context, as a
/// unified-diff-like excerpt (`-` on disk, `+` generated).
pub fn first_difference(on_disk: &str, generated: &str) -> String {
    let old: Vec<&str> = on_disk.lines().collect();
    let new: Vec<&str> = generated.lines().collect();
    let Some(at) = (0..old.len().max(new.len())).find(|&i| old.get(i) != new.get(i)) else {
        return "  (only line endings differ)\n".to_owned();
    };
    let start = at.saturating_sub(3);
    let mut out = format!("  first difference at line {}:\n", at + 1);
    for line in &old[start.min(old.len())..at.min(old.len())] {
        out.push_str(&format!("     {line}\n"));
    }
    for line in old.iter().skip(at).take(5) {
        out.push_str(&format!("   - {line}\n"));
    }
    for line in new.iter().skip(at).take(5) {
        out.push_str(&format!("   + {line}\n"));
    }
    out
}

/// Runs `cargo <args>` in `dir` with `target` as its target directory and
/// without the caller's `RUSTFLAGS` (which would rebuild every dependency).
pub fn cargo(dir: &Path, target: &Path, args: &[&str]) -> std::process::Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    std::process::Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs")
}

/// Makes `dir` the root of a workspace of `members`, with the repository's
/// lock file: the build needs no network and takes the versions the tests
/// were built with.
pub fn workspace(dir: &Path, members: &[&str]) {
    let members: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("write the workspace manifest");
    std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy Cargo.lock");
}

/// [`cargo`], and what it printed: whether it succeeded, and the command
/// with its stdout and stderr (for an assertion's message).
pub fn cargo_report(dir: &Path, target: &Path, args: &[&str]) -> (bool, String) {
    let output = cargo(dir, target, args);
    let text = format!(
        "cargo {}:\n{}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

/// The arguments of `cargo clippy` over a whole workspace of generated
/// crates, every feature on, failing on any warning.
pub const STRICT_CLIPPY: &[&str] = &[
    "clippy",
    "--workspace",
    "--all-targets",
    "--all-features",
    "--offline",
    "--",
    "-D",
    "warnings",
];

/// The warnings cargo reported in `output` (`warning: ...` lines other
/// than its summaries of how many were generated).
pub fn cargo_warnings(output: &str) -> Vec<&str> {
    output
        .lines()
        .filter(|l| l.starts_with("warning") && !l.contains("generated"))
        .collect()
}
