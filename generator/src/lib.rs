//! apiforge: turns an OpenAPI 3.0 description into three Rust crates: serde
//! types, an axum server and a reqwest client.
//!
//! Generation is a pipeline of stages, each a module that reads alone:
//!
//! 1. [`load`]: read the file (YAML or JSON) into an `openapiv3` document,
//!    keeping the raw tree so errors can name a JSON pointer and a line.
//! 2. [`resolve`]: follow `$ref`s, hoist inline schemas, name everything, and
//!    build the intermediate [`model`]. No `openapiv3` type leaves this stage.
//! 3. [`emit`]: turn the model into Rust tokens with `quote`, one module per
//!    generated crate, and format them with `prettyplease`.
//! 4. [`render`]: the non-Rust files (Cargo.toml, README) from `templates/`.
//! 5. [`write`]: write the files, touching only those whose content changed,
//!    or compare them with what is on disk (`check`).

pub mod emit;
pub mod error;
pub mod load;
pub mod model;
pub mod names;
pub mod render;
pub mod resolve;
pub mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use error::Error;
pub use model::Warning;

/// The names of the three crates generated for one API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrateNames {
    /// Base name, e.g. `customer-identification-processes`.
    pub base: String,
    /// Package name of the types crate: `<base>-types`.
    pub types: String,
    /// Package name of the server crate: `<base>-server`.
    pub server: String,
    /// Package name of the client crate: `<base>-client`.
    pub client: String,
}

impl CrateNames {
    /// Names for the API called `name` (e.g. `--name`), made a package name
    /// by [`names::package_name`]; an error naming the value when it holds
    /// no ASCII letter or digit, as then it makes no package name.
    pub fn from_name(name: &str) -> Result<Self, Error> {
        match names::package_name(name) {
            Some(base) => Ok(Self::new(&base)),
            None => Err(Error::other(format!(
                "the name {name:?} makes no crate name: crates are named with ASCII letters, \
                 digits and `-`, and it has no ASCII letter or digit; choose a name such as \
                 `orders`"
            ))),
        }
    }

    /// Names for `base`, which must already be a valid package name
    /// (see [`names::package_name`]).
    pub fn new(base: &str) -> Self {
        CrateNames {
            base: base.to_owned(),
            types: format!("{base}-types"),
            server: format!("{base}-server"),
            client: format!("{base}-client"),
        }
    }

    /// The library name Rust code uses for a package (`-` becomes `_`).
    pub fn lib_name(package: &str) -> String {
        package.replace('-', "_")
    }
}

/// Everything one generation produces, in memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// File contents by path relative to the output directory, e.g.
    /// `customer-identification-processes-types/src/lib.rs`.
    pub files: BTreeMap<PathBuf, String>,
    /// Constructs that fell back to something more general; sorted.
    pub warnings: Vec<Warning>,
}

/// Runs the pipeline on the spec at `spec`, naming the crates after `name`
/// (or after the spec file's stem when `None`; see [`CrateNames::from_name`],
/// a name without an ASCII letter or digit is an error). Writes nothing.
///
/// The stages recurse as deep as the spec nests, within limits that load and
/// resolve enforce (a debug build takes tens of kilobytes of stack per
/// level); the pipeline runs on a thread of its own with [`STACK_SIZE`], so
/// it is as safe on a caller's small thread as on `main`.
pub fn generate(spec: &Path, name: Option<&str>) -> Result<Output, Error> {
    std::thread::scope(|scope| {
        let pipeline = std::thread::Builder::new()
            .name("apiforge".to_owned())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, || generate_here(spec, name))
            .map_err(|e| Error::other(format!("cannot start the generator's thread: {e}")))?;
        pipeline
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// The stack of the thread [`generate`] runs on. Address space, mostly: only
/// the pages a spec's nesting reaches are ever touched.
pub const STACK_SIZE: usize = 256 << 20;

fn generate_here(spec: &Path, name: Option<&str>) -> Result<Output, Error> {
    // Before reading the spec: a bad name is found without waiting for it.
    let crates = match name {
        Some(name) => CrateNames::from_name(name)?,
        None => {
            let stem = spec
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            CrateNames::from_name(&stem).map_err(|_| {
                Error::other(format!(
                    "the spec's file name {:?} has no ASCII letter or digit to name the crates \
                     after; give a name (`--name orders`)",
                    spec.file_name().unwrap_or_default().to_string_lossy()
                ))
            })?
        }
    };
    let document = load::load(spec)?;
    let (api, mut warnings) = resolve::resolve(&document)?;
    // The parsed spec, its JSON tree and its text are several times the size
    // of the model; nothing after resolve reads them.
    drop(document);
    let spec_file = spec
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();

    let mut files = BTreeMap::new();
    for (path, contents) in emit::emit(&api, &crates, &mut warnings) {
        files.insert(path, contents);
    }
    for (path, contents) in render::render(&api, &crates, &spec_file)? {
        files.insert(path, contents);
    }
    warnings.sort();
    warnings.dedup();
    Ok(Output { files, warnings })
}
