//! The server crate's Rust source.

use std::path::PathBuf;

use crate::model::{Api, Warning};
use crate::CrateNames;

/// The server crate's `src/` files.
pub fn emit(api: &Api, crates: &CrateNames, warnings: &mut Vec<Warning>) -> Vec<(PathBuf, String)> {
    let _ = (api, crates, warnings);
    Vec::new()
}
