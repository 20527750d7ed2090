//! The pipeline one stage at a time, for measuring where generation spends
//! its time and memory (the `stages` benchmark). Only built with the
//! `stages` feature, and not a stable interface: what passes between the
//! stages is opaque, so the model stays private to the library.
//!
//! [`crate::generate`] is [`load`], [`resolve`], [`emit`] of each
//! [`CrateKind`], [`render`] and [`finish`], in that order (it also adds the
//! warnings about confusable names, and emits two crates at once).

use std::path::{Path, PathBuf};

use crate::{emit as emitters, load as loader, model, render as renderer, resolve as resolver};
use crate::{CrateNames, Error, Output, Warning};

/// A spec read and parsed, by [`load`].
#[derive(Debug)]
pub struct Loaded {
    document: loader::Document,
    spec_file: String,
}

/// The model of a spec, and the warnings so far, by [`resolve`].
#[derive(Debug)]
pub struct Resolved {
    api: model::Api,
    warnings: Vec<Warning>,
    spec_file: String,
    /// What each crate emitted so far needs, for [`render`].
    needs: emitters::CrateNeeds,
    /// Where a 3.1 document's rewritten nodes were written, and the
    /// warnings of loading it.
    origins: loader::Origins,
    load_warnings: Vec<Warning>,
}

/// One of the three generated crates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrateKind {
    /// `<name>-types`.
    Types,
    /// `<name>-server`.
    Server,
    /// `<name>-client`.
    Client,
}

/// Reads and parses the spec file at `spec`.
pub fn load(spec: &Path) -> Result<Loaded, Error> {
    let spec_file = spec
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Loaded {
        document: loader::load(spec)?,
        spec_file,
    })
}

/// Builds the model.
pub fn resolve(loaded: &Loaded) -> Result<Resolved, Error> {
    let (api, warnings) = resolver::resolve(&loaded.document, &crate::Config::default())?;
    Ok(Resolved {
        api,
        warnings,
        spec_file: loaded.spec_file.clone(),
        needs: emitters::CrateNeeds::default(),
        origins: loaded.document.origins.clone(),
        load_warnings: loaded.document.warnings.clone(),
    })
}

/// The Rust files of one crate, by path relative to the output directory;
/// its warnings join the others.
pub fn emit(
    resolved: &mut Resolved,
    crates: &CrateNames,
    kind: CrateKind,
) -> Vec<(PathBuf, String)> {
    let emitter = match kind {
        CrateKind::Types => emitters::types::emit,
        CrateKind::Server => emitters::server::emit,
        CrateKind::Client => emitters::client::emit,
    };
    let emitted = emitter(&resolved.api, crates, &mut resolved.warnings);
    let needs = match kind {
        CrateKind::Types => &mut resolved.needs.types,
        CrateKind::Server => &mut resolved.needs.server,
        CrateKind::Client => &mut resolved.needs.client,
    };
    *needs = emitted.needs;
    emitted.files
}

/// The manifests and READMEs of the three crates, after [`emit`] of each.
pub fn render(resolved: &Resolved, crates: &CrateNames) -> Result<Vec<(PathBuf, String)>, Error> {
    renderer::render(
        &resolved.api,
        crates,
        &resolved.needs,
        &crate::Config::default(),
        &resolved.spec_file,
    )
}

/// The output of the files the stages made, with the warnings sorted.
pub fn finish(resolved: Resolved, files: impl IntoIterator<Item = (PathBuf, String)>) -> Output {
    let mut warnings = resolved.warnings;
    resolved.origins.restore(&mut warnings);
    warnings.extend(resolved.load_warnings);
    warnings.sort();
    warnings.dedup();
    Output {
        files: files.into_iter().collect(),
        warnings,
        spec_files: resolved.origins.files_read(),
    }
}
