//! Render: the generated crates' non-Rust files from `templates/`.

use std::path::PathBuf;

use crate::error::Error;
use crate::model::Api;
use crate::CrateNames;

/// Cargo.toml and README.md of each crate.
pub fn render(api: &Api, crates: &CrateNames, spec_file: &str) -> Result<Vec<(PathBuf, String)>, Error> {
    let _ = (api, crates, spec_file);
    Ok(Vec::new())
}
