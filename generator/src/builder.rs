//! [`Builder`]: apiforge as a build step, from a `build.rs`.
//!
//! A builder takes a spec (a file, or text in memory), the settings of a
//! [`Config`] (read from `apiforge.toml` beside the spec unless told
//! otherwise, with the name and the parts set on the builder on top), and
//! writes one of two outputs:
//!
//! - **crates** ([`Builder::write_crates`]): the `NAME-types`,
//!   `NAME-client` and `NAME-server` crates, exactly as `apiforge generate`
//!   writes them, for committing to a repository and checking in CI
//!   ([`Builder::check_crates`], `apiforge check`);
//! - **modules** ([`Builder::write_modules`]): one file, `OUT_DIR/NAME.rs`,
//!   that the caller's own crate brings in with `include!`. It holds
//!   `pub mod types`, and `pub mod client` and `pub mod server` when those
//!   parts are selected; the caller's `Cargo.toml` supplies their
//!   dependencies, which [`Modules::dependencies`] lists.
//!
//! In a build script both print `cargo:rerun-if-changed` for every file
//! they read (the spec, each other file its `$ref`s lead to, the
//! configuration file) and each of the
//! generator's warnings as `cargo:warning=`; writing modules also warns
//! when the calling package's `Cargo.toml` lacks a dependency the modules
//! need, asks for an incompatible version of it, or does not enable a
//! feature they use. An invalid spec is an
//! [`Error`] naming the JSON pointer and line; its `Debug` is its
//! `Display`, so a `main` returning `Result<(), apiforge::Error>` fails the
//! build with exactly that message.
//!
//! # Example: a client in `OUT_DIR`
//!
//! `build.rs` of a crate with `apiforge` under `[build-dependencies]`:
//!
//! ```no_run
//! fn main() -> Result<(), apiforge::Error> {
//!     let modules = apiforge::Builder::new("../spec/orders.yaml")
//!         .name("orders")
//!         .server(false) // only the types and the client
//!         .write_modules()?;
//!     // What `Cargo.toml` must list under `[dependencies]`; missing ones
//!     // are also reported as cargo warnings.
//!     for dependency in &modules.dependencies {
//!         eprintln!("{dependency}");
//!     }
//!     Ok(())
//! }
//! ```
//!
//! and in `src/lib.rs`, at the crate root:
//!
//! ```ignore
//! include!(concat!(env!("OUT_DIR"), "/orders.rs"));
//! // Now there are `crate::types` and `crate::client`:
//! pub use client::Client;
//! ```
//!
//! Included anywhere else than the crate root, name the module with
//! [`Builder::module_root`] (`mod api { include!(...); }` needs
//! `.module_root("crate::api")`): the modules name each other from there.
//! In a binary crate, what the program does not call is dead code to
//! rustc; include the file in a module with `#[allow(dead_code)]` there.
//! The modules hold the generated crates' code, not their tests: the
//! schemas' example round trips are left out, and the crates' doc examples
//! (which name the generated crates) are shown as text, not run as the
//! including crate's doctests.
//!
//! # Example: committed crates
//!
//! ```no_run
//! # fn main() -> Result<(), apiforge::Error> {
//! let report = apiforge::Builder::new("api/orders.yaml")
//!     .config_file("api/orders.toml")
//!     .cargo_directives(false)
//!     .write_crates("crates")?;
//! println!("{} files written", report.written.len());
//! # Ok(())
//! # }
//! ```
//!
//! # Which to pick
//!
//! Committed crates are reviewed in pull requests, shared by several
//! crates and several teams, and cost nothing at build time; CI runs
//! `apiforge check` so they never drift from the spec. Modules in `OUT_DIR`
//! suit one crate that calls (or serves) one API: nothing generated is
//! committed, and a spec change is picked up by the next `cargo build`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::error::Error;
use crate::modules::{self, Part, Paths};
use crate::write::{self, Drift, WriteReport};
use crate::{CrateNames, Output, Source, Warning};

/// Runs apiforge from a build script (or any program): see the [module
/// docs](self) for examples.
#[derive(Debug, Clone)]
pub struct Builder {
    spec: Spec,
    config: ConfigSource,
    name: Option<String>,
    types: Option<bool>,
    client: Option<bool>,
    server: Option<bool>,
    module_root: String,
    cargo_directives: bool,
}

/// Where the spec comes from.
#[derive(Debug, Clone)]
enum Spec {
    File(PathBuf),
    Text { text: String, file_name: String },
}

/// Where the configuration comes from.
#[derive(Debug, Clone)]
enum ConfigSource {
    /// `apiforge.toml` beside the spec file, when there is one.
    Beside,
    /// This file.
    File(PathBuf),
    /// This configuration.
    Given(Box<Config>),
    /// None: the defaults.
    Default,
}

impl Builder {
    /// A builder for the spec file at `spec` (YAML or JSON). Its
    /// configuration is `apiforge.toml` in the same directory when there is
    /// one ([`Config::beside`]), else the defaults.
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Builder::with_spec(Spec::File(spec.into()), ConfigSource::Beside)
    }

    /// A builder for spec text held in memory, which goes by `file_name`
    /// (the crates' default name and the generated docs' source). It reads
    /// no configuration file unless given one with
    /// [`config_file`](Self::config_file). It prints no
    /// `cargo:rerun-if-changed` for the text: a build script that reads or
    /// builds the text itself names what it read.
    pub fn from_text(text: impl Into<String>, file_name: impl Into<String>) -> Self {
        Builder::with_spec(
            Spec::Text {
                text: text.into(),
                file_name: file_name.into(),
            },
            ConfigSource::Default,
        )
    }

    fn with_spec(spec: Spec, config: ConfigSource) -> Self {
        Builder {
            spec,
            config,
            name: None,
            types: None,
            client: None,
            server: None,
            module_root: "crate".to_owned(),
            cargo_directives: true,
        }
    }

    /// The API's name, which the crates and the modules file are named
    /// after (`orders` gives `orders-client`, `OUT_DIR/orders.rs`); wins
    /// over the configuration's `name`. Default: the configuration's, else
    /// the spec's file name without its extension.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Whether to generate the types (`[parts] types`). The client and the
    /// server need them, so they are generated whenever either is.
    pub fn types(mut self, generate: bool) -> Self {
        self.types = Some(generate);
        self
    }

    /// Whether to generate the client (`[parts] client`).
    pub fn client(mut self, generate: bool) -> Self {
        self.client = Some(generate);
        self
    }

    /// Whether to generate the server (`[parts] server`).
    pub fn server(mut self, generate: bool) -> Self {
        self.server = Some(generate);
        self
    }

    /// Uses `config` and reads no configuration file. The name and parts
    /// set on the builder still win.
    pub fn config(mut self, config: Config) -> Self {
        self.config = ConfigSource::Given(Box::new(config));
        self
    }

    /// Reads the configuration from the file at `path` ([`Config::load`])
    /// instead of looking beside the spec.
    pub fn config_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.config = ConfigSource::File(path.into());
        self
    }

    /// Reads no configuration file, not even one beside the spec: the
    /// defaults, with what is set on the builder.
    pub fn no_config_file(mut self) -> Self {
        self.config = ConfigSource::Default;
        self
    }

    /// Where the caller includes the modules file: `crate` (the default)
    /// for the crate root, `crate::api` inside `mod api`. The modules name
    /// each other through it (`crate::api::types::Pet`).
    pub fn module_root(mut self, path: impl Into<String>) -> Self {
        self.module_root = path.into();
        self
    }

    /// Whether to print `cargo:` directives (`rerun-if-changed`,
    /// `warning`) on standard output, as a build script does. Default: on.
    /// Turn it off outside a build script.
    pub fn cargo_directives(mut self, print: bool) -> Self {
        self.cargo_directives = print;
        self
    }

    /// Generates in memory: every file of the crates, and the warnings.
    /// Prints the directives (see [`cargo_directives`](Self::cargo_directives)).
    pub fn generate(&self) -> Result<Output, Error> {
        Ok(self.run(false)?.0)
    }

    /// Writes the crates under `dir`, as `apiforge generate --out dir`
    /// does ([`write::write`]).
    pub fn write_crates(&self, dir: impl AsRef<Path>) -> Result<WriteReport, Error> {
        let (output, _) = self.run(false)?;
        write::write(dir.as_ref(), &output)
    }

    /// What [`write_crates`](Self::write_crates) would change under `dir`
    /// ([`write::check`]); empty when the crates are up to date.
    pub fn check_crates(&self, dir: impl AsRef<Path>) -> Result<Vec<Drift>, Error> {
        let (output, _) = self.run(false)?;
        write::check(dir.as_ref(), &output)
    }

    /// The modules for `include!`, in memory: see [`Modules`].
    pub fn modules(&self) -> Result<Modules, Error> {
        let (output, run) = self.run(true)?;
        let root = modules::parse_root(&self.module_root)?;
        let crates = &run.crates;
        // The pipeline generates only the crates `[parts]` asks for (and
        // refuses a configuration that asks for none).
        let chosen: Vec<Part<'_>> = [
            ("types", &crates.types),
            ("client", &crates.client),
            ("server", &crates.server),
        ]
        .into_iter()
        .filter(|(_, package)| {
            output
                .files
                .contains_key(&Path::new(package.as_str()).join("src/lib.rs"))
        })
        .map(|(name, package)| Part {
            name,
            package: package.as_str(),
        })
        .collect();
        let keep: Vec<String> = run
            .config
            .overrides
            .values()
            .map(|o| o.rust_type.split_whitespace().collect::<String>())
            .filter(|path| path.starts_with("crate::"))
            .collect();
        let types_lib = CrateNames::lib_name(&crates.types);
        let file_name = format!("{}.rs", crates.base);
        let header = format!(
            "// Generated by apiforge from {}. Do not edit.\n// Include with \
             `include!(concat!(env!(\"OUT_DIR\"), \"/{file_name}\"));` at `{}`.\n",
            one_line(&run.spec_file_name),
            segments(&root),
        );
        let printed = modules::modules(
            &output.files,
            &chosen,
            &Paths {
                root: &root,
                types_lib: &types_lib,
                keep: &keep,
            },
            &header,
        )?;
        let mut dependencies = Vec::new();
        for part in &chosen {
            let manifest = Path::new(part.package).join("Cargo.toml");
            if let Some(text) = output.files.get(&manifest) {
                let needed = dependencies_of(text, &manifest, &crates.types)?;
                dependencies = merge(dependencies, needed);
            }
        }
        Ok(Modules {
            file_name,
            text: printed.text,
            recursion_limit: printed.recursion_limit,
            dependencies,
            warnings: output.warnings,
            files_read: run.files_read,
        })
    }

    /// Writes the modules into `OUT_DIR` (see [`write_modules_to`](Self::write_modules_to)).
    /// An error outside a build script, where Cargo sets no `OUT_DIR`.
    pub fn write_modules(&self) -> Result<Modules, Error> {
        let out_dir = std::env::var_os("OUT_DIR").ok_or_else(|| {
            Error::other(
                "OUT_DIR is not set: write_modules runs in a build script; elsewhere use \
                 write_modules_to",
            )
        })?;
        self.write_modules_to(out_dir)
    }

    /// Writes the modules file into `dir` (rewriting it only when its
    /// content changed), and, in a build script, warns about each
    /// dependency the calling package's `Cargo.toml` lacks.
    pub fn write_modules_to(&self, dir: impl AsRef<Path>) -> Result<Modules, Error> {
        let modules = self.modules()?;
        let dir = dir.as_ref();
        let path = dir.join(&modules.file_name);
        if std::fs::read(&path).ok().as_deref() != Some(modules.text.as_bytes()) {
            std::fs::create_dir_all(dir)
                .and_then(|()| std::fs::write(&path, &modules.text))
                .map_err(|e| Error::other(format!("cannot write {}: {e}", path.display())))?;
        }
        if self.cargo_directives {
            if let Some(manifest_dir) = std::env::var_os("CARGO_MANIFEST_DIR") {
                let manifest = Path::new(&manifest_dir).join("Cargo.toml");
                if let Ok(text) = std::fs::read_to_string(&manifest) {
                    for message in manifest_warnings(&text, &modules.dependencies) {
                        println!("cargo:warning={message}");
                    }
                }
                if let Some(limit) = modules.recursion_limit {
                    let roots: Vec<String> = ["src/lib.rs", "src/main.rs"]
                        .iter()
                        .filter_map(|root| {
                            std::fs::read_to_string(Path::new(&manifest_dir).join(root)).ok()
                        })
                        .collect();
                    if let Some(message) =
                        recursion_limit_warning(limit, &modules.file_name, &roots)
                    {
                        println!("cargo:warning={message}");
                    }
                }
            }
        }
        Ok(modules)
    }

    /// The configuration file to read, if any.
    fn config_path(&self) -> Option<PathBuf> {
        match &self.config {
            ConfigSource::Beside => match &self.spec {
                Spec::File(path) => Config::beside(path),
                Spec::Text { .. } => None,
            },
            ConfigSource::File(path) => Some(path.clone()),
            ConfigSource::Given(_) | ConfigSource::Default => None,
        }
    }

    /// The files a run reads: the spec (unless in memory) and the
    /// configuration file.
    fn files_read(&self) -> Vec<PathBuf> {
        let mut read = Vec::new();
        if let Spec::File(path) = &self.spec {
            read.push(path.clone());
        }
        read.extend(self.config_path());
        read
    }

    /// The configuration, the crate names and the files read; then the
    /// pipeline. Prints the directives.
    fn run(&self, modules: bool) -> Result<(Output, Run), Error> {
        let config_file = self.config_path();
        // Before reading anything: when the spec or the configuration is
        // bad, the build fails, and Cargo must run it again once they change.
        self.print(rerun_directives(&self.files_read()));

        let mut config = match (&self.config, &config_file) {
            (ConfigSource::Given(config), _) => (**config).clone(),
            (_, Some(path)) => Config::load(path)?,
            (_, None) => Config::default(),
        };
        if let Some(name) = &self.name {
            config.name = Some(name.clone());
        }
        config.modules = modules;
        for (set, part) in [
            (self.types, &mut config.parts.types),
            (self.client, &mut config.parts.client),
            (self.server, &mut config.parts.server),
        ] {
            if let Some(set) = set {
                *part = set;
            }
        }
        let source = match &self.spec {
            Spec::File(path) => Source::File(path),
            Spec::Text { text, file_name } => Source::Text { text, file_name },
        };
        let crates = match config.name.as_deref() {
            Some(name) => CrateNames::from_name(name)?,
            None => source.default_crate_names()?,
        };
        let spec_file_name = source.file_name();
        let output = crate::run_pipeline(source, &config)?;
        // The files the spec's `$ref`s led to are only known now. (Had
        // reading one failed, the build failed, and Cargo runs a failed
        // build script again anyway.)
        let (read_first, more) = self.files_read_after(&output);
        self.print(rerun_directives(&more));
        self.print(warning_directives(&output.warnings));
        let mut files_read = read_first;
        files_read.extend(more);
        Ok((
            output,
            Run {
                config,
                crates,
                spec_file_name,
                files_read,
            },
        ))
    }

    /// The files a run read: those [`files_read`](Self::files_read) named
    /// before it, and the spec files it read besides (the files `$ref`s led
    /// to).
    fn files_read_after(&self, output: &Output) -> (Vec<PathBuf>, Vec<PathBuf>) {
        let first = self.files_read();
        let more = output
            .spec_files
            .iter()
            .filter(|path| !first.contains(path))
            .cloned()
            .collect();
        (first, more)
    }

    fn print(&self, directives: Vec<String>) {
        if self.cargo_directives {
            for directive in directives {
                println!("{directive}");
            }
        }
    }
}

/// What one run decided besides its output.
struct Run {
    config: Config,
    crates: CrateNames,
    spec_file_name: String,
    /// Every file read, in the order of [`Modules::files_read`].
    files_read: Vec<PathBuf>,
}

/// The modules file for `include!`, made by [`Builder::modules`] and
/// [`Builder::write_modules`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Modules {
    /// The file's name in `OUT_DIR`: `NAME.rs`.
    pub file_name: String,
    /// The file's content.
    pub text: String,
    /// What the including crate's `Cargo.toml` must list under
    /// `[dependencies]`: the dependencies of the generated crates of the
    /// selected parts (the types crate itself excepted), merged.
    pub dependencies: Vec<RequiredDependency>,
    /// The `recursion_limit` the including crate's root must declare
    /// (`#![recursion_limit = "N"]`), when the API's types nest deeper than
    /// the compiler's default follows (see the generated crates' README,
    /// "Deep types"); `None` for most APIs. A crate's root is the only place
    /// for it, so the modules cannot carry it.
    pub recursion_limit: Option<usize>,
    /// The generator's warnings.
    pub warnings: Vec<Warning>,
    /// Every file the run read, for which a build script prints
    /// `cargo:rerun-if-changed`: the spec, the configuration file, then each
    /// other file the spec's `$ref`s led to (a spec split over several
    /// files), in the order they were first read.
    pub files_read: Vec<PathBuf>,
}

/// A dependency the modules need, as a `Cargo.toml` line says it; its
/// `Display` is that line:
/// `reqwest = { version = "0.13", default-features = false, features = ["rustls"] }`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequiredDependency {
    /// The name the code uses (`reqwest`).
    pub name: String,
    /// Version requirement (`"0.13"`).
    pub version: Option<String>,
    /// The package, when it differs from the name.
    pub package: Option<String>,
    /// A path, as the configuration gave it (a type override's
    /// dependency on a crate of the same repository).
    pub path: Option<String>,
    /// Whether the crate's default features are needed.
    pub default_features: bool,
    /// Features the code needs, sorted.
    pub features: Vec<String>,
}

impl fmt::Display for RequiredDependency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let quote = |s: &str| toml_string(s);
        let mut fields = Vec::new();
        if let Some(package) = &self.package {
            fields.push(format!("package = {}", quote(package)));
        }
        if let Some(version) = &self.version {
            fields.push(format!("version = {}", quote(version)));
        }
        if let Some(path) = &self.path {
            fields.push(format!("path = {}", quote(path)));
        }
        if !self.default_features {
            fields.push("default-features = false".to_owned());
        }
        if !self.features.is_empty() {
            let features: Vec<String> = self.features.iter().map(|f| quote(f)).collect();
            fields.push(format!("features = [{}]", features.join(", ")));
        }
        match (&self.version, fields.len()) {
            (Some(version), 1) => write!(f, "{} = {}", self.name, quote(version)),
            _ => write!(f, "{} = {{ {} }}", self.name, fields.join(", ")),
        }
    }
}

/// A TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `cargo:rerun-if-changed` for each file read.
fn rerun_directives(read: &[PathBuf]) -> Vec<String> {
    read.iter()
        .map(|path| {
            format!(
                "cargo:rerun-if-changed={}",
                one_line(&path.display().to_string())
            )
        })
        .collect()
}

/// One `cargo:warning=` per warning (Cargo reads a directive per line).
fn warning_directives(warnings: &[Warning]) -> Vec<String> {
    warnings
        .iter()
        .map(|warning| format!("cargo:warning={}", one_line(&warning.to_string())))
        .collect()
}

/// `text` on one line: line breaks become spaces.
fn one_line(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
}

/// `crate::api` of a path's segments.
fn segments(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// The `[dependencies]` of a generated `Cargo.toml`, without the types
/// crate (`types_package`), which the modules replace.
fn dependencies_of(
    text: &str,
    file: &Path,
    types_package: &str,
) -> Result<Vec<RequiredDependency>, Error> {
    let manifest: toml::Table = toml::from_str(text)
        .map_err(|e| Error::other(format!("generated {} does not parse: {e}", file.display())))?;
    let Some(toml::Value::Table(table)) = manifest.get("dependencies") else {
        return Ok(Vec::new());
    };
    let mut dependencies = Vec::new();
    for (name, value) in table {
        if name == types_package {
            continue;
        }
        let dependency = match value {
            toml::Value::String(version) => RequiredDependency {
                name: name.clone(),
                version: Some(version.clone()),
                package: None,
                path: None,
                default_features: true,
                features: Vec::new(),
            },
            // An optional dependency serves a feature of the generated
            // crate, which the including crate does not have.
            toml::Value::Table(fields)
                if fields.get("optional").and_then(|v| v.as_bool()) == Some(true) =>
            {
                continue
            }
            toml::Value::Table(fields) => {
                let text = |key: &str| fields.get(key).and_then(|v| v.as_str()).map(str::to_owned);
                let mut features: Vec<String> = fields
                    .get("features")
                    .and_then(|v| v.as_array())
                    .map(|list| {
                        list.iter()
                            .filter_map(|v| v.as_str().map(str::to_owned))
                            .collect()
                    })
                    .unwrap_or_default();
                features.sort();
                RequiredDependency {
                    name: name.clone(),
                    version: text("version"),
                    package: text("package"),
                    path: text("path"),
                    default_features: fields
                        .get("default-features")
                        .and_then(|v| v.as_bool())
                        .unwrap_or(true),
                    features,
                }
            }
            _ => continue,
        };
        dependencies.push(dependency);
    }
    Ok(dependencies)
}

/// The dependencies of two parts as one list: for a crate both need, the
/// higher version, the union of the features, default features if either
/// needs them. Sorted by name.
fn merge(
    first: Vec<RequiredDependency>,
    second: Vec<RequiredDependency>,
) -> Vec<RequiredDependency> {
    let mut by_name: BTreeMap<String, RequiredDependency> = BTreeMap::new();
    for dependency in first.into_iter().chain(second) {
        match by_name.get_mut(&dependency.name) {
            None => {
                by_name.insert(dependency.name.clone(), dependency);
            }
            Some(known) => {
                if version_numbers(dependency.version.as_deref())
                    > version_numbers(known.version.as_deref())
                {
                    known.version = dependency.version;
                }
                known.default_features |= dependency.default_features;
                known.features.extend(dependency.features);
                known.features.sort();
                known.features.dedup();
            }
        }
    }
    by_name.into_values().collect()
}

/// The numbers of a simple version requirement (`"1.0.181"`, `"^0.12"`,
/// `"=4.43.0"`); none for anything else.
fn version_numbers(requirement: Option<&str>) -> Option<Vec<u64>> {
    let requirement = requirement?
        .trim()
        .trim_start_matches(['^', '=', '~'])
        .trim();
    requirement
        .split('.')
        .map(|part| part.parse::<u64>().ok())
        .collect()
}

/// The part of a version that Cargo's default (caret) requirements keep
/// compatible: up to the first number that is not zero (`1`, `0.12`).
fn compatibility(numbers: &[u64]) -> &[u64] {
    match numbers.iter().position(|&n| n != 0) {
        Some(at) => &numbers[..=at],
        None => numbers,
    }
}

/// The message for a package whose crate roots (the text of its
/// `src/lib.rs` and `src/main.rs`) declare no `recursion_limit`, while the
/// modules `file_name` need `limit`; `None` when one of them declares it
/// (whatever its value: the compiler names the limit it needs).
fn recursion_limit_warning(limit: usize, file_name: &str, roots: &[String]) -> Option<String> {
    let declared = roots.iter().any(|root| root.contains("recursion_limit"));
    (!declared).then(|| {
        format!(
            "the types of {file_name} nest deeper than the compiler follows by default; add \
             #![recursion_limit = \"{limit}\"] at the root of the crate that includes it"
        )
    })
}

/// What the including package's `Cargo.toml` (its text) lacks of
/// `dependencies`, one message each: a dependency it does not list, one
/// whose version requirement is incompatible, one without a needed
/// feature. Dependencies inherited from the workspace, or given as paths
/// or git repositories, are taken as they are.
fn manifest_warnings(manifest: &str, dependencies: &[RequiredDependency]) -> Vec<String> {
    let Ok(manifest) = toml::from_str::<toml::Table>(manifest) else {
        return Vec::new();
    };
    let mut listed: BTreeMap<&str, &toml::Value> = BTreeMap::new();
    let mut tables = vec![manifest.get("dependencies")];
    if let Some(toml::Value::Table(targets)) = manifest.get("target") {
        tables.extend(targets.values().map(|target| target.get("dependencies")));
    }
    for table in tables.into_iter().flatten() {
        if let toml::Value::Table(table) = table {
            listed.extend(table.iter().map(|(name, value)| (name.as_str(), value)));
        }
    }
    let mut messages = Vec::new();
    for needed in dependencies {
        let Some(entry) = listed.get(needed.name.as_str()) else {
            messages.push(format!(
                "Cargo.toml lacks a dependency the generated modules use; add under \
                 [dependencies]: {needed}"
            ));
            continue;
        };
        let (version, features) = match entry {
            toml::Value::String(version) => (Some(version.as_str()), Vec::new()),
            toml::Value::Table(fields) => {
                let delegated = ["workspace", "path", "git"]
                    .iter()
                    .any(|key| fields.contains_key(*key));
                if delegated {
                    continue;
                }
                let features = fields
                    .get("features")
                    .and_then(|v| v.as_array())
                    .map(|list| list.iter().filter_map(|v| v.as_str()).collect())
                    .unwrap_or_default();
                (fields.get("version").and_then(|v| v.as_str()), features)
            }
            _ => continue,
        };
        if let (Some(have), Some(want)) = (
            version_numbers(version),
            version_numbers(needed.version.as_deref()),
        ) {
            if compatibility(&have) != compatibility(&want) {
                messages.push(format!(
                    "Cargo.toml asks for {} {}, the generated modules are written for {}: \
                     {needed}",
                    needed.name,
                    version.unwrap_or_default(),
                    needed.version.as_deref().unwrap_or_default()
                ));
                continue;
            }
        }
        let missing: Vec<&str> = needed
            .features
            .iter()
            .map(String::as_str)
            .filter(|feature| !features.contains(feature))
            .collect();
        if !missing.is_empty() {
            messages.push(format!(
                "Cargo.toml's {} dependency does not enable {} (needed by the generated \
                 modules unless another dependency enables it): {needed}",
                needed.name,
                missing
                    .iter()
                    .map(|f| format!("`{f}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
    }
    messages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/customer-identification-processes.yaml")
    }

    fn quiet(builder: Builder) -> Builder {
        builder.cargo_directives(false)
    }

    /// Every path in `text` that starts with `crate`, as text.
    fn crate_paths(text: &str) -> Vec<String> {
        struct Paths(Vec<String>);
        impl<'ast> syn::visit::Visit<'ast> for Paths {
            fn visit_path(&mut self, path: &'ast syn::Path) {
                if path.segments.first().is_some_and(|s| s.ident == "crate") {
                    self.0.push(segments(path));
                }
                syn::visit::visit_path(self, path);
            }
            fn visit_use_tree(&mut self, tree: &'ast syn::UseTree) {
                if let syn::UseTree::Path(path) = tree {
                    if path.ident == "crate" {
                        self.0.push(format!("crate::{}", first_of(&path.tree)));
                    }
                }
            }
        }
        fn first_of(tree: &syn::UseTree) -> String {
            match tree {
                syn::UseTree::Path(path) => format!("{}::{}", path.ident, first_of(&path.tree)),
                syn::UseTree::Name(name) => name.ident.to_string(),
                syn::UseTree::Rename(rename) => rename.ident.to_string(),
                _ => "*".to_owned(),
            }
        }
        let file = syn::parse_file(text).expect("the modules parse");
        let mut paths = Paths(Vec::new());
        syn::visit::Visit::visit_file(&mut paths, &file);
        paths.0
    }

    /// The seed's modules: one file holding the three parts, no file
    /// module, no test item, and every `crate::` path reaching into a part.
    #[test]
    fn modules_are_one_self_contained_file() {
        let modules = quiet(Builder::new(seed())).modules().expect("modules");
        assert_eq!(modules.file_name, "customer-identification-processes.rs");
        let text = &modules.text;
        assert!(text.starts_with(
            "// Generated by apiforge from customer-identification-processes.yaml. Do not edit.\n"
        ));
        let file = syn::parse_file(text).expect("parses");
        let parts: Vec<String> = file
            .items
            .iter()
            .map(|item| match item {
                syn::Item::Mod(module) => {
                    assert!(matches!(module.vis, syn::Visibility::Public(_)));
                    // The crate's inner docs, now the module's.
                    assert!(module.attrs.iter().any(|a| a.path().is_ident("doc")));
                    module.ident.to_string()
                }
                other => panic!("not a module: {}", quote::quote!(#other)),
            })
            .collect();
        assert_eq!(parts, ["types", "client", "server"]);
        assert!(!text.contains("mod examples"), "test modules are left out");
        assert!(!text.contains("customer_identification_processes_types"));
        assert!(!text.contains("#[cfg(test)]"));
        assert!(!text.contains("//!"));
        let paths = crate_paths(text);
        assert!(!paths.is_empty());
        for path in &paths {
            assert!(
                ["crate::types", "crate::client", "crate::server"]
                    .iter()
                    .any(|part| path == part || path.starts_with(&format!("{part}::"))),
                "{path}"
            );
        }
        assert!(text.contains("pub use crate::types;"), "the parts' `types`");
        assert!(text.contains("use crate::client::error::Error;"));
        // Doc links, and the examples made text.
        assert!(text.contains("[`Api`](crate::server::Api)"));
        assert!(!text.contains("](crate::Api)"));
        assert!(text.contains("```text"));
        assert!(!text.contains("```no_run"));
    }

    /// The including crate has none of the generated crates' features:
    /// the modules of a spec with tags gate nothing (every operation, both
    /// serde traits), while its crates do, and their manifests dependencies
    /// are read as before.
    #[test]
    fn modules_carry_no_feature_gates() {
        let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/features.yaml");
        let crates = quiet(Builder::new(&spec)).generate().expect("crates");
        let models = &crates.files[Path::new("features-types/src/models.rs")];
        assert!(
            models.contains("#[cfg(any(feature = \"components\", feature = \"orders\"))]"),
            "{models}"
        );
        assert!(models.contains("derive(serde::Deserialize))]"), "{models}");
        let modules = quiet(Builder::new(&spec)).modules().expect("modules");
        let text = &modules.text;
        assert!(!text.contains("feature ="), "{text}");
        assert!(!text.contains("cfg_attr"), "{text}");
        assert!(text.contains("pub fn place_order("), "{text}");
        assert!(
            text.contains("serde::Serialize, serde::Deserialize"),
            "{text}"
        );
        assert!(modules.dependencies.iter().any(|d| d.name == "serde"));
    }

    /// The modules are printed a piece at a time, and must read as the whole
    /// file printed in one go: for the seed spec and every fixture (with the
    /// server: its spec becomes a multi-line string literal), printing the
    /// parsed text again gives it back.
    #[test]
    fn modules_print_as_the_whole_file_would() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let mut specs = vec![seed()];
        for entry in std::fs::read_dir(&fixtures).expect("fixtures") {
            let path = entry.expect("fixture").path();
            if path.extension().is_some_and(|e| e == "yaml") {
                specs.push(path);
            }
        }
        specs.sort();
        assert!(specs.len() > 5, "{specs:?}");
        for spec in specs {
            let modules = quiet(Builder::new(&spec))
                .no_config_file()
                .modules()
                .unwrap_or_else(|e| panic!("{}: {e}", spec.display()));
            let (header, body) = modules
                .text
                .split_once("\n\n")
                .expect("the header, a blank line, the modules");
            assert!(header.starts_with("// Generated by apiforge"), "{header}");
            let reprinted = prettyplease::unparse(&syn::parse_file(body).expect("parses"));
            assert!(
                reprinted == body,
                "{} prints otherwise whole",
                spec.display()
            );
        }
    }

    /// Included in `mod api`, the modules name each other through it.
    #[test]
    fn module_root_prefixes_every_path() {
        let modules = quiet(Builder::new(seed()).module_root("crate::api"))
            .modules()
            .expect("modules");
        for path in crate_paths(&modules.text) {
            assert!(path.starts_with("crate::api::"), "{path}");
        }
        assert!(modules.text.contains("pub use crate::api::types;"));
        for bad in [
            "super",
            "self::api",
            "::api",
            "crate::api<T>",
            "not a path",
            "",
        ] {
            let error = quiet(Builder::new(seed()).module_root(bad))
                .modules()
                .expect_err(bad);
            assert!(error.message.contains("module root"), "{error}");
        }
    }

    /// Parts chosen on the builder: the client needs the types; nothing
    /// selected is an error.
    #[test]
    fn parts_choose_the_modules_and_their_dependencies() {
        let client = quiet(Builder::new(seed()).server(false).types(false))
            .modules()
            .expect("client");
        assert!(client.text.contains("pub mod types {"));
        assert!(client.text.contains("pub mod client {"));
        assert!(!client.text.contains("pub mod server {"));
        // The client crate's `tracing` feature is not the including crate's:
        // the code without it stays, without its `cfg`.
        assert!(!client.text.contains("feature ="), "a feature cfg is left");
        assert_eq!(client.text.matches("async fn send_call(").count(), 1);
        assert!(!client.text.contains("fn call_span("));
        let lines: Vec<String> = client
            .dependencies
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            [
                r#"chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }"#,
                r#"futures-core = "0.3""#,
                r#"http = "1""#,
                r#"http-body = "1""#,
                r#"http-body-util = "0.1""#,
                r#"reqwest = { version = "0.13", default-features = false, features = ["rustls"] }"#,
                // The types crate's 1.0.181 wins over the client's "1".
                r#"serde = { version = "1.0.181", features = ["derive"] }"#,
                r#"serde_json = "1""#,
                r#"tokio = { version = "1", default-features = false, features = ["time"] }"#,
                r#"tower-service = "0.3""#,
                // `tracing`, optional in the client crate, is not needed.
                r#"uuid = { version = "1", features = ["serde"] }"#,
            ]
        );

        let types = quiet(Builder::new(seed()).client(false).server(false))
            .modules()
            .expect("types");
        assert!(!types.text.contains("pub mod client {"));
        assert!(types.dependencies.iter().all(|d| d.name != "reqwest"));

        let error = quiet(
            Builder::new(seed())
                .types(false)
                .client(false)
                .server(false),
        )
        .modules()
        .expect_err("nothing");
        assert!(error.message.contains("nothing to generate"), "{error}");
    }

    /// The configuration file beside the spec is read (and so watched),
    /// unless told otherwise; the builder's name wins over the file's.
    #[test]
    fn configuration_file_beside_the_spec_or_given() {
        let dir = tempfile::tempdir().expect("temp dir");
        let spec = dir.path().join("api.yaml");
        std::fs::copy(seed(), &spec).expect("copy the spec");
        let beside = dir.path().join("apiforge.toml");
        std::fs::write(&beside, "name = \"beside\"\n").expect("config");
        let other = dir.path().join("other.toml");
        std::fs::write(&other, "name = \"other\"\n").expect("config");

        let builder = quiet(Builder::new(&spec));
        assert_eq!(builder.files_read(), [spec.clone(), beside.clone()]);
        assert_eq!(builder.modules().expect("modules").file_name, "beside.rs");

        let builder = quiet(Builder::new(&spec).config_file(&other));
        assert_eq!(builder.files_read(), [spec.clone(), other.clone()]);
        assert_eq!(builder.modules().expect("modules").file_name, "other.rs");

        let builder = quiet(Builder::new(&spec).config_file(&other).name("mine"));
        assert_eq!(builder.modules().expect("modules").file_name, "mine.rs");

        for builder in [
            quiet(Builder::new(&spec).no_config_file()),
            quiet(Builder::new(&spec).config(Config::default())),
        ] {
            assert_eq!(builder.files_read(), std::slice::from_ref(&spec));
            assert_eq!(builder.modules().expect("modules").file_name, "api.rs");
        }

        std::fs::write(&beside, "[parts]\nclinet = false\n").expect("bad config");
        let error = quiet(Builder::new(&spec)).generate().expect_err("typo");
        assert!(error.message.contains("line 2"), "{error}");
    }

    /// The directives a build script prints.
    #[test]
    fn directives_name_files_read_and_warnings() {
        assert_eq!(
            rerun_directives(&[
                PathBuf::from("../spec/a.yaml"),
                PathBuf::from("apiforge.toml")
            ]),
            [
                "cargo:rerun-if-changed=../spec/a.yaml",
                "cargo:rerun-if-changed=apiforge.toml"
            ]
        );
        // A pattern the `regex` crate cannot compile: one warning.
        let text = "openapi: 3.0.3\ninfo: {title: A, version: '1'}\npaths: {}\n\
                    components: {schemas: {A: {type: string, pattern: '(?=a)'}}}\n";
        let output = quiet(Builder::from_text(text, "a.yaml"))
            .generate()
            .expect("generates");
        let warnings = warning_directives(&output.warnings);
        assert_eq!(warnings.len(), output.warnings.len());
        assert!(!warnings.is_empty());
        for line in &warnings {
            assert!(line.starts_with("cargo:warning=warning["), "{line}");
            assert!(!line.contains('\n'), "{line}");
        }
        assert!(quiet(Builder::from_text("openapi: 3.0.3", "a.yaml"))
            .files_read()
            .is_empty());
    }

    /// A spec split over several files: every file it reads is watched,
    /// after the spec and the configuration file.
    #[test]
    fn every_file_of_a_split_spec_is_read_and_watched() {
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/split");
        let dir = tempfile::tempdir().expect("temp dir");
        for file in [
            "split.yaml",
            "common.json",
            "schemas/order.yaml",
            "schemas/customer.yaml",
            "paths/order.yaml",
        ] {
            let to = dir.path().join(file);
            std::fs::create_dir_all(to.parent().expect("parent")).expect("dir");
            std::fs::copy(fixture.join(file), to).expect("copy");
        }
        std::fs::write(dir.path().join("apiforge.toml"), "name = \"orders\"\n").expect("config");
        let spec = dir.path().join("split.yaml");
        let builder = quiet(Builder::new(&spec));
        let modules = builder.modules().expect("modules");
        let read: Vec<String> = modules
            .files_read
            .iter()
            .map(|p| {
                p.strip_prefix(dir.path())
                    .expect("inside")
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(
            read,
            [
                "split.yaml",
                "apiforge.toml",
                "common.json",
                "schemas/order.yaml",
                "paths/order.yaml",
                "schemas/customer.yaml"
            ]
        );
        // Printed after the run: the files not known before it.
        let output = builder.generate().expect("generates");
        let (first, more) = builder.files_read_after(&output);
        assert_eq!(first, modules.files_read[..2]);
        assert_eq!(more, modules.files_read[2..]);
        assert_eq!(
            rerun_directives(&more)[0],
            format!(
                "cargo:rerun-if-changed={}",
                dir.path().join("common.json").display()
            )
        );
        // The same spec from memory cannot read the other files.
        let text = std::fs::read_to_string(&spec).expect("read");
        let error = quiet(Builder::from_text(text, "split.yaml"))
            .modules()
            .expect_err("no directory");
        assert!(error.message.contains("given as text"), "{error}");
    }

    /// An invalid spec fails with the pointer and the line, as the build
    /// script's `main` prints it.
    #[test]
    fn an_invalid_spec_names_pointer_and_line() {
        let text = "openapi: 3.0.3\ninfo: {title: A, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n";
        let error = quiet(Builder::from_text(text, "a.yaml"))
            .modules()
            .expect_err("invalid");
        assert_eq!(format!("{error:?}"), format!("{error}"), "Debug is Display");
        assert!(
            format!("{error:?}").starts_with("at #/paths/~1a/get/responses (line 6"),
            "{error:?}"
        );
    }

    #[test]
    fn write_modules_writes_the_file_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let builder = quiet(Builder::new(seed()).name("ids"));
        let modules = builder.write_modules_to(dir.path()).expect("writes");
        let path = dir.path().join("ids.rs");
        assert_eq!(std::fs::read_to_string(&path).expect("file"), modules.text);
        let modified = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .expect("mtime");
        std::thread::sleep(std::time::Duration::from_millis(20));
        builder.write_modules_to(dir.path()).expect("again");
        let again = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .expect("mtime");
        assert_eq!(modified, again, "an unchanged file is not rewritten");
    }

    fn needed(line: &str) -> RequiredDependency {
        let manifest = format!("[dependencies]\n{line}\n");
        dependencies_of(&manifest, Path::new("Cargo.toml"), "x-types")
            .expect("parses")
            .remove(0)
    }

    /// A crate root that declares no `recursion_limit` is told the one the
    /// modules need; one that declares any is not.
    #[test]
    fn a_missing_recursion_limit_is_named() {
        let message = super::recursion_limit_warning(2048, "stripe.rs", &["mod a;".to_owned()])
            .expect("a warning");
        assert!(
            message.contains("stripe.rs") && message.contains(r#"#![recursion_limit = "2048"]"#),
            "{message}"
        );
        assert!(super::recursion_limit_warning(2048, "stripe.rs", &[]).is_some());
        let declared = "#![recursion_limit = \"4096\"]\nmod a;".to_owned();
        assert_eq!(
            super::recursion_limit_warning(
                2048,
                "stripe.rs",
                &["fn main() {}".to_owned(), declared]
            ),
            None
        );
    }

    /// The including package's Cargo.toml: missing dependencies, an
    /// incompatible version and a missing feature are named; workspace,
    /// path and target-specific entries are taken as they are.
    #[test]
    fn manifest_warnings_name_what_is_missing() {
        let wanted = [
            needed(
                r#"reqwest = { version = "0.13", default-features = false, features = ["rustls"] }"#,
            ),
            needed(r#"serde = { version = "1.0.181", features = ["derive"] }"#),
            needed(r#"uuid = { version = "1", features = ["serde"] }"#),
            needed(r#"chrono = "0.4""#),
            needed(r#"serde_json = "1""#),
        ];
        let manifest = r#"
[package]
name = "mine"

[dependencies]
reqwest = "0.12"
serde = "1"
uuid = { workspace = true }

[target.'cfg(unix)'.dependencies]
chrono = { version = "0.4.38" }
"#;
        let messages = manifest_warnings(manifest, &wanted);
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(
            messages[0].starts_with(
                "Cargo.toml asks for reqwest 0.12, the generated modules are written for 0.13"
            ),
            "{}",
            messages[0]
        );
        assert!(
            messages[1].contains("does not enable `derive`"),
            "{}",
            messages[1]
        );
        assert_eq!(
            messages[2],
            "Cargo.toml lacks a dependency the generated modules use; add under [dependencies]: serde_json = \"1\""
        );
        assert!(manifest_warnings("not toml [", &wanted).is_empty());
    }

    #[test]
    fn versions_merge_to_the_higher_and_features_to_the_union() {
        let merged = merge(
            vec![needed(
                r#"tokio = { version = "1", default-features = false, features = ["net"] }"#,
            )],
            vec![needed(
                r#"tokio = { version = "1.38", features = ["time", "net"] }"#,
            )],
        );
        assert_eq!(
            merged.iter().map(ToString::to_string).collect::<Vec<_>>(),
            [r#"tokio = { version = "1.38", features = ["net", "time"] }"#]
        );
        assert_eq!(
            needed(r#"money = { path = "../money", features = ["serde"] }"#).to_string(),
            r#"money = { path = "../money", features = ["serde"] }"#
        );
        assert_eq!(compatibility(&[0, 12, 3]), [0, 12]);
        assert_eq!(compatibility(&[1, 0, 181]), [1]);
        assert_eq!(version_numbers(Some("^0.12")), Some(vec![0, 12]));
        assert_eq!(version_numbers(Some(">=1, <2")), None);
    }
}
