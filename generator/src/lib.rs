//! apiforge: turns an OpenAPI 3.0 or 3.1 description into three Rust crates: serde
//! types, an axum server and a reqwest client.
//!
//! # Use
//!
//! [`generate`] reads a spec from a file, [`generate_from_str`] takes its
//! text from memory; both return an [`Output`]: every generated file by path,
//! and the [`Warning`]s about what could not be represented exactly. Nothing
//! is written until [`write::write`] puts the files on disk ([`write::check`]
//! tells what it would change, for CI). A bad spec is an [`Error`] naming a
//! JSON pointer and, where the node is in the text, its line and column.
//!
//! ```no_run
//! let output = apiforge::generate_from_str(
//!     "openapi: 3.0.3\ninfo: {title: Pets, version: 1.0.0}\npaths: {}\n",
//!     "pets.yaml",
//!     None,
//! )?;
//! for warning in &output.warnings {
//!     eprintln!("{warning}");
//! }
//! apiforge::write::write(std::path::Path::new("generated"), &output)?;
//! # Ok::<(), apiforge::Error>(())
//! ```
//!
//! As a build step, [`Builder`] does the same from a `build.rs`: it reads
//! the configuration (`apiforge.toml` beside the spec, or a [`Config`]),
//! writes the crates or one file of modules for `include!` from `OUT_DIR`,
//! and tells Cargo which files to watch; the [`builder`] module documents
//! it with a complete `build.rs`.
//!
//! # What is public, and why
//!
//! The public surface is what a program that embeds the generator needs:
//! the entry points, what they return ([`Output`], [`Warning`] and its
//! [`WarningKind`], [`Error`]), how the crates are named ([`CrateNames`]),
//! the settings ([`Config`]), the build step ([`Builder`]), and writing or
//! checking the files (the [`write`](mod@write) module). The
//! stages themselves and the intermediate model are private: they change
//! whenever the generated code learns something new, and no caller should
//! have to follow. Tests of a stage live beside it as unit tests. The
//! `stages` feature (off by default) opens `apiforge::stages`: the pipeline
//! one stage at a time, behind opaque types, for the benchmark that times
//! each stage.
//!
//! # Pipeline
//!
//! Generation is a pipeline of stages, each a module that reads alone (see
//! `docs/architecture.md`):
//!
//! 1. `load`: read the text (YAML or JSON) into an `openapiv3` document,
//!    keeping the raw tree so errors can name a JSON pointer and a line.
//! 2. `resolve`: follow `$ref`s, hoist inline schemas, name everything, and
//!    build the intermediate model. No `openapiv3` type leaves this stage.
//! 3. `emit`: turn the model into Rust tokens with `quote`, one module per
//!    generated file, and format them with `prettyplease`.
//! 4. `render`: the non-Rust files (Cargo.toml, README) from `templates/`.
//! 5. [`write`](mod@write): write the files, touching only those whose
//!    content changed, or compare them with what is on disk
//!    ([`write::check`]).

#![warn(missing_docs)]

pub mod builder;
pub mod config;
pub mod diff;
mod emit;
mod error;
mod load;
mod model;
mod modules;
mod names;
mod render;
mod resolve;
#[cfg(feature = "stages")]
pub mod stages;
#[cfg(test)]
mod test_support;
pub mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use builder::Builder;
pub use config::Config;
pub use error::Error;
pub use model::{Warning, WarningKind};

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
    /// Names for the API called `name` (e.g. `--name`), made a package name:
    /// its ASCII letters (lower-cased) and digits, each run of anything else
    /// one `-`, none at either end, and `api-` before a leading digit. An
    /// error naming the value when it holds no ASCII letter or digit, as then
    /// it makes no package name (and every such name would make the same).
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

    /// Names for `base`, which must already be a valid package name (as
    /// [`CrateNames::from_name`] makes them).
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
    /// Every spec file read: the spec itself (unless its text was given
    /// from memory), then each other file its `$ref`s led to, in the order
    /// they were first read (a build step watches them all).
    pub spec_files: Vec<PathBuf>,
}

/// Runs the pipeline on the spec file at `spec` (YAML or JSON), naming the
/// crates after `name`, or after the file's name without its extension when
/// `None` (see [`CrateNames::from_name`]: a name without an ASCII letter or
/// digit is an error). Writes nothing.
///
/// The stages recurse as deep as the spec nests, within limits that load and
/// resolve enforce (a debug build takes tens of kilobytes of stack per
/// level); the pipeline runs on a thread of its own with a large stack, so
/// it is as safe on a caller's small thread as on `main`.
pub fn generate(spec: &Path, name: Option<&str>) -> Result<Output, Error> {
    run_pipeline(Source::File(spec), &named(name))
}

/// Runs the pipeline on spec text held in memory (YAML or JSON), exactly as
/// [`generate`] does on a file called `file_name` holding that text: the
/// crates are named after `name`, or after `file_name` without its extension
/// when `None`, and the generated READMEs name `file_name` as their source.
/// Errors name the JSON pointer and the line and column in `text`.
pub fn generate_from_str(text: &str, file_name: &str, name: Option<&str>) -> Result<Output, Error> {
    run_pipeline(Source::Text { text, file_name }, &named(name))
}

/// Runs the pipeline on the spec file at `spec` with the settings of
/// `config` (see [`Config`]; `Config::default()` is [`generate`] without a
/// name). Writes nothing.
pub fn generate_with_config(spec: &Path, config: &Config) -> Result<Output, Error> {
    run_pipeline(Source::File(spec), config)
}

/// [`generate_from_str`] with the settings of `config` (its `name`, or the
/// file name's stem, names the crates).
pub fn generate_from_str_with_config(
    text: &str,
    file_name: &str,
    config: &Config,
) -> Result<Output, Error> {
    run_pipeline(Source::Text { text, file_name }, config)
}

/// The default configuration, with the crates named after `name`.
fn named(name: Option<&str>) -> Config {
    Config {
        name: name.map(str::to_owned),
        ..Config::default()
    }
}

/// The stack of the thread the pipeline runs on. Address space, mostly: only
/// the pages a spec's nesting reaches are ever touched.
pub(crate) const STACK_SIZE: usize = 256 << 20;

/// Where the spec comes from.
#[derive(Debug, Clone, Copy)]
enum Source<'a> {
    /// A file to read.
    File(&'a Path),
    /// Text in memory, and the file name it goes by.
    Text { text: &'a str, file_name: &'a str },
}

impl Source<'_> {
    /// The file name the spec goes by (no directory), which the generated
    /// READMEs name as their source.
    fn file_name(&self) -> String {
        let path = match *self {
            Source::File(path) => path,
            Source::Text { file_name, .. } => Path::new(file_name),
        };
        path.file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The crate names when none is given: after the file name without its
    /// extension.
    fn default_crate_names(&self) -> Result<CrateNames, Error> {
        let file_name = self.file_name();
        let stem = Path::new(&file_name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        CrateNames::from_name(&stem).map_err(|_| {
            Error::other(format!(
                "the spec's file name {file_name:?} has no ASCII letter or digit to name the \
                 crates after; give a name (`--name orders`)"
            ))
        })
    }

    fn load(&self) -> Result<load::Document, Error> {
        match *self {
            Source::File(path) => load::load(path),
            Source::Text { text, .. } => load::parse(text.to_owned()),
        }
    }
}

/// Runs [`pipeline`] on a thread with [`STACK_SIZE`].
fn run_pipeline(source: Source<'_>, config: &Config) -> Result<Output, Error> {
    on_large_stack(|| pipeline(source, config))
}

/// Loads and resolves a spec with `config`, on a thread with
/// [`STACK_SIZE`]: the model the crates would be generated from, and the
/// document as a JSON tree (for `diff`, which names pointers in it).
fn resolve_model(
    source: Source<'_>,
    config: &Config,
) -> Result<(model::Api, serde_json::Value), Error> {
    on_large_stack(|| {
        let document = source.load()?;
        let (api, _) = resolve::resolve(&document, config)?;
        Ok((api, document.raw))
    })
}

/// Runs `work` on a thread with [`STACK_SIZE`].
fn on_large_stack<T: Send>(work: impl FnOnce() -> Result<T, Error> + Send) -> Result<T, Error> {
    std::thread::scope(|scope| {
        let pipeline = std::thread::Builder::new()
            .name("apiforge".to_owned())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, work)
            .map_err(|e| Error::other(format!("cannot start the generator's thread: {e}")))?;
        pipeline
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    })
}

/// Runs `work` on this thread and on a helper thread named `name` (with
/// [`STACK_SIZE`]) at once, and returns when both are done: for work that
/// both take from a shared queue. Two, not one per core: emit's memory
/// grows with each thread (see [`emit::emit`]), and a build script shares
/// its machine with the crates cargo compiles meanwhile. Without a thread to
/// spare, this one does it all.
pub(crate) fn on_two_threads(name: &str, work: impl Fn() + Sync) {
    std::thread::scope(|scope| {
        let helper = std::thread::Builder::new()
            .name(name.to_owned())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, &work);
        work();
        if let Ok(helper) = helper {
            helper
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        }
    });
}

fn pipeline(source: Source<'_>, config: &Config) -> Result<Output, Error> {
    // Before reading the spec: a bad name or setting is found without
    // waiting for it.
    config.check()?;
    let crates = match config.name.as_deref() {
        Some(name) => CrateNames::from_name(name)?,
        None => source.default_crate_names()?,
    };
    let mut document = source.load()?;
    let (api, mut warnings) = resolve::resolve(&document, config)?;
    // `version = "computed"`: the version is fixed from what changed since
    // the previous spec, before anything is rendered.
    let computed;
    let config = if config.package.version == config::VersionPolicy::Computed {
        computed = with_computed_version(config, &crates, &api, &document.raw)?;
        &computed
    } else {
        config
    };
    // Warnings name nodes of the tree as read; a 3.1 document's tree was
    // rewritten, and its warnings must name the nodes as written.
    let origins = std::mem::take(&mut document.origins);
    let spec_files = origins.files_read();
    let load_warnings = std::mem::take(&mut document.warnings);
    // The server crate carries the spec's text, and serves it on request.
    // A spec split over several files is carried as its bundled form (JSON),
    // the one document a reader of the served spec can follow.
    let spec_text = if !config.parts.effective().server {
        None
    } else if spec_files.len() > 1 {
        Some(serde_json::to_string_pretty(&document.raw).map_err(|e| {
            Error::other(format!("cannot write the bundled spec for the server: {e}"))
        })?)
    } else {
        Some(std::mem::take(&mut document.text))
    };
    // The parsed spec, its JSON tree and its text are several times the size
    // of the model; nothing after resolve reads them.
    drop(document);

    let mut files = BTreeMap::new();
    let generated = emit::emit(&api, &crates, config, &mut warnings);
    let served_spec = spec_text.map(|text| emit::server::spec_files(&crates, &text));
    for (path, contents) in generated
        .files
        .into_iter()
        .chain(served_spec.into_iter().flatten())
    {
        files.insert(path, contents);
    }
    let rendered = render::render(&api, &crates, &generated.needs, config, &source.file_name())?;
    for (path, contents) in rendered {
        files.insert(path, contents);
    }
    origins.restore(&mut warnings);
    warnings.extend(load_warnings);
    warnings.sort();
    warnings.dedup();
    Ok(Output {
        files,
        warnings,
        spec_files,
    })
}

/// `config` with the version `version = "computed"` gives: the base
/// version (`base`, else what `"info"` gives for the previous spec) bumped
/// by the largest bump `diff` finds from the previous spec to `api`.
fn with_computed_version(
    config: &Config,
    crates: &CrateNames,
    api: &model::Api,
    raw: &serde_json::Value,
) -> Result<Config, Error> {
    let previous = config.previous_spec().ok_or_else(|| {
        config.error_at(
            &["package", "version"],
            None,
            "\"computed\" needs the previous spec (`previous`, or --previous)",
        )
    })?;
    let old = previous.resolve(config)?;
    let new = diff::Version {
        api: api.clone(),
        raw: raw.clone(),
    };
    let report = diff::compare_versions(previous.label(), String::new(), &old, &new, crates);
    let base = match &config.package.base {
        Some(base) => base.clone(),
        None => render::crate_version(&old.api.version),
    };
    let mut config = config.clone();
    config.package.version =
        config::VersionPolicy::Fixed(diff::bump_version(&base, report.bumps.max())?);
    Ok(config)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../tests/fixtures/{name}"))
    }

    /// Text from memory generates what the same text from a file does, the
    /// crates named after the file name given when no name is.
    #[test]
    fn text_from_memory_generates_as_the_file() {
        let path = fixture("petstore.yaml");
        let text = std::fs::read_to_string(&path).expect("fixture");
        let from_file = generate(&path, None).expect("generates from the file");
        let from_text = generate_from_str(&text, "petstore.yaml", None).expect("generates");
        assert_eq!(from_file.spec_files, std::slice::from_ref(&path));
        assert!(from_text.spec_files.is_empty());
        let from_file = Output {
            spec_files: Vec::new(),
            ..from_file
        };
        assert_eq!(from_text, from_file);
        assert!(from_text
            .files
            .contains_key(Path::new("petstore-types/src/lib.rs")));

        // The same document as JSON.
        let tree: serde_json::Value = serde_yaml::from_str(&text).expect("YAML");
        let json = serde_json::to_string_pretty(&tree).expect("JSON");
        let mut from_json = generate_from_str(&json, "petstore.yaml", None).expect("generates");
        // Except the spec the server carries, as it was read: here JSON.
        let carried = from_json
            .files
            .remove(Path::new("petstore-server/openapi.json"));
        assert_eq!(carried.as_deref(), Some(json.as_str()));
        let mut from_file = from_file;
        let yaml = from_file
            .files
            .remove(Path::new("petstore-server/openapi.yaml"));
        assert_eq!(yaml.as_deref(), Some(text.as_str()));
        for output in [&mut from_json, &mut from_file] {
            output
                .files
                .remove(Path::new("petstore-server/src/spec.rs"));
        }
        assert_eq!(from_json, from_file);
    }

    /// Errors in text from memory name the JSON pointer, and the line and
    /// column in that text.
    #[test]
    fn text_from_memory_errors_name_pointer_and_line() {
        let text = "openapi: 3.0.3\ninfo:\n  title: Pets\n  version: '1'\npaths:\n  /pets:\n    get:\n      responses: 7\n";
        let error = generate_from_str(text, "pets.yaml", None).expect_err("bad responses");
        assert_eq!(
            error.pointer.as_deref(),
            Some("#/paths/~1pets/get/responses")
        );
        // Where `responses:` starts.
        assert_eq!((error.line, error.column), (Some(8), Some(7)));

        let json = r#"{"openapi": "3.0.3", "info": {"title": "Pets", "version": "1"}, "paths": {"/pets": {"get": {"responses": 7}}}}"#;
        let error = generate_from_str(json, "pets.json", None).expect_err("bad responses");
        assert_eq!(
            error.pointer.as_deref(),
            Some("#/paths/~1pets/get/responses")
        );
        assert_eq!(error.line, Some(1));

        let error = generate_from_str("", "pets.yaml", None).expect_err("empty");
        assert_eq!(
            error.to_string(),
            "at the document root: the document is empty"
        );
        let error = generate_from_str(text, "日本.yaml", None).expect_err("no name");
        assert!(
            error
                .message
                .starts_with("the spec's file name \"日本.yaml\""),
            "{error}"
        );
    }
}
