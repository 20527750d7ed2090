//! The configuration: what a team chooses about the crates generated for it.
//!
//! It is read from `apiforge.toml` (found next to the spec, or named with
//! `--config`), or set through [`Builder`](crate::Builder). Every setting
//! has a default that gives what `apiforge generate` writes without a
//! configuration, so an empty file changes nothing. Unknown keys are an
//! error naming the key and its line: a misspelt setting that were ignored
//! would generate something else than the team asked for, silently.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::Error;

/// The file name looked for next to the spec.
pub const FILE_NAME: &str = "apiforge.toml";

/// Every setting of one generation. `Config::default()` is what the
/// generator does without a configuration.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct Config {
    /// The API's name, which the crates are named after (`<name>-types`,
    /// ...). Default: the spec's file name without its extension.
    pub name: Option<String>,
    /// Package metadata of the generated crates.
    #[serde(default)]
    pub package: Package,
    /// Which parts to generate.
    #[serde(default)]
    pub parts: Parts,
    /// Which operations to generate; the types are kept to what they reach.
    #[serde(default)]
    pub select: Selection,
    /// The Rust types for string formats.
    #[serde(default)]
    pub formats: Formats,
    /// Schemas replaced by an existing Rust type, by schema name
    /// (`Money`) or JSON pointer (`#/components/schemas/Money`).
    #[serde(default)]
    pub overrides: BTreeMap<String, TypeOverride>,
    /// Which of `Debug`, `Clone` and `PartialEq` every generated data type
    /// derives (all three by default). Each one left out shortens the
    /// types crate's check, and is gone from its public API.
    #[serde(default)]
    pub std_derives: StdDerives,
    /// Extra derives, by schema name; the key `"*"` is every model type.
    #[serde(default)]
    pub derive: BTreeMap<String, Vec<String>>,
    /// Extra outer attributes (`#[...]`), by schema name; `"*"` is every
    /// model type.
    #[serde(default)]
    pub attributes: BTreeMap<String, Vec<String>>,
    /// Names the generator would derive from the spec, replaced.
    #[serde(default)]
    pub rename: Renames,
    /// The file this configuration was read from, to name the line of a
    /// key that generation finds wrong (a rename of a missing schema).
    #[serde(skip)]
    pub(crate) origin: Origin,
    /// Whether the code is made into modules of the crate that includes it
    /// (the build step): that crate has none of the generated crates'
    /// features, so no item is put under a feature gate. Not a setting.
    #[serde(skip)]
    pub(crate) modules: bool,
}

/// The file and text a configuration was read from. Not a setting: two
/// configurations with the same settings are equal wherever they came from.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origin(Option<Arc<(PathBuf, String)>>);

impl PartialEq for Origin {
    fn eq(&self, _: &Origin) -> bool {
        true
    }
}

/// The std traits every generated data type (the models, and each
/// operation's `Parameters`, `Body`, `Response` and headers) derives:
/// `std-derives = ["Debug", "Clone", "PartialEq"]`, the default. A list
/// without one leaves it out, and with it what needs it: `Eq` and `Hash`
/// of string enums go with `PartialEq`. They are most of what the types
/// crate costs to compile after serde's impls (GitHub's crates: without
/// `Clone` and `PartialEq`, `cargo check` takes about 0.8x the time and
/// 0.76x the memory; without all three, 0.65x and 0.64x).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct StdDerives {
    /// `Debug`.
    pub debug: bool,
    /// `Clone`.
    pub clone: bool,
    /// `PartialEq` (and `Eq`, `Hash` where a type has them).
    pub partial_eq: bool,
}

impl Default for StdDerives {
    fn default() -> StdDerives {
        StdDerives {
            debug: true,
            clone: true,
            partial_eq: true,
        }
    }
}

impl StdDerives {
    /// The traits of `derives` (`Debug`, `Clone`, `PartialEq`, `Eq`,
    /// `Hash`, `Copy`, ... in a type's order) this choice keeps: a std
    /// derive left out goes, with the derives that need it (`Eq` and
    /// `Hash` need `PartialEq`, `Copy` needs `Clone`). Others stay.
    pub fn keep<'a>(&self, derives: &[&'a str]) -> Vec<&'a str> {
        derives
            .iter()
            .copied()
            .filter(|derive| self.needed_by(derive).is_none())
            .collect()
    }

    /// The std derive this choice leaves out that `derive` needs (itself
    /// for one of the three), if any.
    pub(crate) fn needed_by(&self, derive: &str) -> Option<&'static str> {
        match derive {
            "Debug" if !self.debug => Some("Debug"),
            "Clone" | "Copy" if !self.clone => Some("Clone"),
            "PartialEq" | "Eq" | "Hash" | "PartialOrd" | "Ord" if !self.partial_eq => {
                Some("PartialEq")
            }
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for StdDerives {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut chosen = StdDerives {
            debug: false,
            clone: false,
            partial_eq: false,
        };
        for name in Vec::<String>::deserialize(deserializer)? {
            match name.as_str() {
                "Debug" => chosen.debug = true,
                "Clone" => chosen.clone = true,
                "PartialEq" => chosen.partial_eq = true,
                _ => {
                    return Err(serde::de::Error::custom(format!(
                        "{name:?} is not a std derive the generator chooses: list any of \
                         \"Debug\", \"Clone\", \"PartialEq\" (add other derives with [derive])"
                    )))
                }
            }
        }
        Ok(chosen)
    }
}

/// Package metadata written into each generated `Cargo.toml`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct Package {
    /// How the crates' version is chosen.
    #[serde(default)]
    pub version: VersionPolicy,
    /// With `version = "computed"`: the previous version of the spec, a
    /// file (relative to this configuration file) or `git:REV:PATH` (read
    /// with `git show REV:PATH`, run in this file's directory).
    /// `--previous` on the command line sets it (relative to the current
    /// directory).
    pub previous: Option<String>,
    /// With `version = "computed"`: the version of the crates generated
    /// from `previous`; default: what `"info"` gives for it (its
    /// `info.version` when that is a semantic version, else 0.1.0).
    pub base: Option<String>,
    /// SPDX license expression (`license = "..."` in Cargo.toml).
    pub license: Option<String>,
    /// Repository URL.
    pub repository: Option<String>,
    /// Whether the crates may be published: `false` writes `publish =
    /// false` into each manifest. Unset (the default) writes nothing, which
    /// leaves Cargo's own default (publishable) and keeps the manifests
    /// what they are without a configuration; `true` also writes nothing.
    pub publish: Option<bool>,
}

/// How the generated crates' version is chosen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum VersionPolicy {
    /// The spec's `info.version` where it is a semantic version (the
    /// default; written `version = "info"`).
    #[default]
    FromInfo,
    /// This version, whatever the spec says (written `version = "1.2.0"`).
    Fixed(String),
    /// The previous crates' version (`base`) bumped by what `apiforge
    /// diff` finds from the previous spec (`previous`) to this one
    /// (written `version = "computed"`).
    Computed,
}

/// Whether `text` is a version Cargo accepts without suffix: three
/// numbers, digits without a leading zero, as Cargo requires (`1.2.0`).
fn is_version(text: &str) -> bool {
    let parts: Vec<&str> = text.split('.').collect();
    let numeric = |part: &str| {
        !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part == "0" || !part.starts_with('0'))
            && part.parse::<u64>().is_ok()
    };
    parts.len() == 3 && parts.iter().all(|part| numeric(part))
}

impl<'de> Deserialize<'de> for VersionPolicy {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text == "info" {
            return Ok(VersionPolicy::FromInfo);
        }
        if text == "computed" {
            return Ok(VersionPolicy::Computed);
        }
        if is_version(&text) {
            Ok(VersionPolicy::Fixed(text))
        } else {
            Err(serde::de::Error::custom(format!(
                "{text:?} is not a version policy: write \"info\" (the spec's info.version), \
                 \"computed\" (bumped from `previous` by what diff finds) or a version such as \
                 \"1.2.0\""
            )))
        }
    }
}

/// Which of the three parts are generated. The client and the server each
/// need the types, so the types are generated whenever either is.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct Parts {
    /// The types crate (models, operations' parameters and responses).
    #[serde(default = "yes")]
    pub types: bool,
    /// The reqwest client.
    #[serde(default = "yes")]
    pub client: bool,
    /// The axum server.
    #[serde(default = "yes")]
    pub server: bool,
}

fn yes() -> bool {
    true
}

impl Parts {
    /// The parts generated: those asked for, and the types whenever the
    /// client or the server is (both name its types).
    pub fn effective(&self) -> Parts {
        Parts {
            types: self.types || self.client || self.server,
            ..self.clone()
        }
    }
}

impl Default for Parts {
    fn default() -> Self {
        Parts {
            types: true,
            client: true,
            server: true,
        }
    }
}

/// Which operations are generated. Empty lists select everything; an
/// operation is selected when any list names it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct Selection {
    /// Operations with any of these tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Operations with any of these `operationId`s.
    #[serde(default)]
    pub operations: Vec<String>,
    /// Operations under any of these path templates (`/pets/{petId}`).
    #[serde(default)]
    pub paths: Vec<String>,
}

/// The Rust types used for string formats.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct Formats {
    /// `format: date-time`.
    #[serde(default)]
    pub date_time: DateTimeType,
    /// `format: date`.
    #[serde(default)]
    pub date: DateTimeType,
    /// `format: uuid`.
    #[serde(default)]
    pub uuid: UuidType,
    /// `format: decimal` and other big numbers.
    #[serde(default)]
    pub decimal: DecimalType,
    /// `format: binary` fields and bodies.
    #[serde(default)]
    pub binary: BinaryType,
}

/// The Rust type for dates and times.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum DateTimeType {
    /// `chrono` (the default).
    #[default]
    Chrono,
    /// `time`.
    Time,
    /// `String`: the text as sent.
    String,
}

/// The Rust type for UUIDs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum UuidType {
    /// `uuid::Uuid` (the default).
    #[default]
    Uuid,
    /// `String`.
    String,
}

/// The Rust type for decimals and big numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum DecimalType {
    /// What the schema's `type` gives (`f64` for numbers, `String` for
    /// strings): the default.
    #[default]
    Plain,
    /// `rust_decimal::Decimal`.
    RustDecimal,
    /// `String`.
    String,
}

/// The Rust type for binary data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum BinaryType {
    /// `Vec<u8>` (the default).
    #[default]
    Vec,
    /// `bytes::Bytes`.
    Bytes,
}

/// A schema replaced by an existing Rust type.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct TypeOverride {
    /// The type's path, e.g. `money::Money` or `crate::Money`.
    #[serde(rename = "type")]
    pub rust_type: String,
    /// The crate that provides it, added to the types crate's
    /// dependencies; none for a type of the crate that includes the
    /// generated code.
    pub dependency: Option<Dependency>,
}

/// A dependency of a generated crate, as Cargo.toml spells it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct Dependency {
    /// The name the code uses (`money` in `money::Money`).
    pub name: String,
    /// Version requirement.
    pub version: Option<String>,
    /// Path, for a crate of the same repository.
    pub path: Option<PathBuf>,
    /// Package name, when it differs from `name`.
    pub package: Option<String>,
    /// Features to enable.
    #[serde(default)]
    pub features: Vec<String>,
}

/// Names replaced: each maps the name the spec gives to the Rust name to
/// use.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct Renames {
    /// Schemas, by schema name: `PetDto = "Pet"`.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    /// Operations, by `operationId`: `listPets = "pets"`.
    #[serde(default)]
    pub operations: BTreeMap<String, String>,
    /// Properties, as `"Schema.property"`: `"Pet.pet_name" = "name"`.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Enum values, as `"Schema.value"`: `"Status.in-progress" = "Running"`.
    #[serde(default)]
    pub variants: BTreeMap<String, String>,
}

/// The file `apiforge init` writes: every key with its default value, and
/// commented examples of the keys that have none. Reading it gives
/// `Config::default()`.
pub const STARTER: &str = r##"# apiforge.toml: settings for the crates generated from the spec beside it.
# Every key is optional; the values below are the defaults. Uncomment a
# line (remove the leading "# ") to set it.

# Base name of the crates (NAME-types, NAME-server, NAME-client); default:
# the spec's file name without its extension. `--name` overrides it.
# name = "pets"

# The std traits every generated data type derives. Leaving one out
# shortens the types crate's compile time, and takes the trait out of its
# public API (with `Eq` and `Hash` for `PartialEq`).
std-derives = ["Debug", "Clone", "PartialEq"]

[package]
# The crates' version: "info" (the spec's info.version when it is a semantic
# version, else 0.1.0), a version such as "1.2.0", or "computed": the
# previous crates' version (`base`) bumped by what `apiforge diff` finds
# from the previous spec (`previous`) to this one.
version = "info"
# previous = "git:v1.2.0:spec/api.yaml"   # or a file, relative to this file
# base = "1.2.0"   # default: what "info" gives for the previous spec
# license = "MIT OR Apache-2.0"
# repository = "https://github.com/example/pets"
# `false` writes `publish = false` into each Cargo.toml.
# publish = false

[parts]
# Which crates to write. The client and the server need the types crate,
# so it is written whenever either is.
types = true
client = true
server = true

[select]
# Which operations to generate; empty lists select all of them. An
# operation is selected when any list names it; only the types the
# selected operations reach are generated.
tags = []
operations = []
paths = []
# tags = ["pets"]
# operations = ["listPets"]
# paths = ["/pets/{petId}"]

[formats]
# The Rust types for string formats.
# date-time and date: "chrono", "time" or "string".
date-time = "chrono"
date = "chrono"
# "uuid" or "string".
uuid = "uuid"
# "plain" (what the schema's type gives), "rust-decimal" or "string".
decimal = "plain"
# "vec" (Vec<u8>) or "bytes".
binary = "vec"

[overrides]
# Schemas replaced by an existing Rust type, by schema name or JSON pointer.
# Money = { type = "money::Money", dependency = { name = "money", version = "1" } }
# "#/components/schemas/Id" = { type = "crate::Id" }

[derive]
# Extra derives, by schema name; "*" is every model type.
# "*" = ["Hash"]

[attributes]
# Extra attributes, by schema name; "*" is every model type.
# Pet = ["#[non_exhaustive]"]

[rename.types]
# Schema name = Rust type name.
# PetDto = "Pet"

[rename.operations]
# operationId = Rust method name.
# listPets = "pets"

[rename.fields]
# "Schema.property" = Rust field name.
# "Pet.pet_name" = "name"

[rename.variants]
# "Schema.value" = Rust variant name.
# "Status.in-progress" = "Running"
"##;

impl Config {
    /// Reads the configuration in `text`, which came from `file` (named in
    /// errors, with the line and column).
    pub fn from_toml(text: &str, file: &Path) -> Result<Config, Error> {
        let mut config: Config = toml::from_str(text).map_err(|error| {
            let mut message = format!("{}: {}", file.display(), error.message());
            if let Some(span) = error.span() {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                message = format!(
                    "{} (line {line}, column {column}): {}",
                    file.display(),
                    error.message()
                );
            }
            Error::other(message)
        })?;
        config.origin = Origin(Some(Arc::new((file.to_owned(), text.to_owned()))));
        Ok(config)
    }

    /// An error about the setting at `keys` (e.g. `["rename", "types",
    /// "PetDto"]`), or about the item `item` of the list there: the message
    /// after the file and the line of the key (or item) when the
    /// configuration was read from a file, else after the keys.
    pub(crate) fn error_at(&self, keys: &[&str], item: Option<&str>, message: &str) -> Error {
        let place = match &self.origin.0 {
            Some(origin) => {
                let (file, text) = &**origin;
                match line_of(text, keys, item) {
                    Some(line) => format!("{} (line {line})", file.display()),
                    None => file.display().to_string(),
                }
            }
            None => "the configuration".to_owned(),
        };
        let key = keys
            .iter()
            .map(|k| toml_key(k))
            .collect::<Vec<_>>()
            .join(".");
        Error::other(format!("{place}: `{key}`: {message}"))
    }

    /// Whether the settings make sense together, before any spec is read:
    /// `[parts]` must leave something to generate.
    pub fn check(&self) -> Result<(), Error> {
        let parts = &self.parts;
        if !(parts.types || parts.client || parts.server) {
            return Err(Error::other(
                "[parts] turns off the types, the client and the server: nothing to generate",
            ));
        }
        let package = &self.package;
        if package.version == VersionPolicy::Computed && package.previous.is_none() {
            return Err(self.error_at(
                &["package", "version"],
                None,
                "\"computed\" needs the previous spec: set `previous` (a file, or \
                 git:REV:PATH) in [package], or give --previous",
            ));
        }
        if let Some(base) = &package.base {
            if !is_version(base) {
                return Err(self.error_at(
                    &["package", "base"],
                    None,
                    &format!("{base:?} is not a version such as \"1.2.0\""),
                ));
            }
        }
        Ok(())
    }

    /// The previous spec of `version = "computed"`: a `git:` revision as
    /// written, a file relative to the configuration file's directory.
    pub(crate) fn previous_spec(&self) -> Option<crate::diff::SpecSource> {
        let text = self.package.previous.as_deref()?;
        let source = crate::diff::SpecSource::parse(text);
        let Some(origin) = &self.origin.0 else {
            return Some(source);
        };
        let dir = origin.0.parent().unwrap_or(Path::new(""));
        Some(match source {
            crate::diff::SpecSource::File(path) if path.is_relative() => {
                crate::diff::SpecSource::File(dir.join(path))
            }
            crate::diff::SpecSource::Git {
                revision,
                path,
                directory: None,
            } if !dir.as_os_str().is_empty() => crate::diff::SpecSource::Git {
                revision,
                path,
                directory: Some(dir.to_owned()),
            },
            source => source,
        })
    }

    /// Reads the configuration file at `path`.
    pub fn load(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Error::other(format!("cannot read {}: {e}", path.display())))?;
        Config::from_toml(&text, path)
    }

    /// The configuration file that belongs to the spec at `spec`:
    /// `apiforge.toml` in the same directory, when there is one.
    pub fn beside(spec: &Path) -> Option<PathBuf> {
        let dir = spec.parent().unwrap_or(Path::new("."));
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let path = dir.join(FILE_NAME);
        path.is_file().then_some(path)
    }
}

/// A TOML key as it is written: bare when it can be, else quoted.
fn toml_key(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if bare {
        key.to_owned()
    } else {
        format!("{key:?}")
    }
}

/// The line in `text` of the value at `keys`, or of the list item `item`
/// there.
fn line_of(text: &str, keys: &[&str], item: Option<&str>) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let root = DeTable::parse(text).ok()?;
    let mut table = root.get_ref();
    let mut span = None;
    let mut value = None;
    for (i, key) in keys.iter().enumerate() {
        let (found_key, found) = table.iter().find(|(k, _)| k.get_ref().as_ref() == *key)?;
        span = Some(found_key.span());
        value = Some(found);
        if i + 1 < keys.len() {
            match found.get_ref() {
                DeValue::Table(inner) => table = inner,
                _ => return None,
            }
        }
    }
    if let (Some(item), Some(value)) = (item, value) {
        if let DeValue::Array(items) = value.get_ref() {
            if let Some(found) = items
                .iter()
                .find(|v| matches!(v.get_ref(), DeValue::String(s) if s.as_ref() == item))
            {
                span = Some(found.span());
            }
        }
    }
    let start = span?.start.min(text.len());
    Some(text[..start].matches('\n').count() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Error> {
        Config::from_toml(text, Path::new("apiforge.toml"))
    }

    #[test]
    fn an_empty_file_is_the_default() {
        assert_eq!(parse("").expect("empty"), Config::default());
    }

    #[test]
    fn unknown_keys_are_named_with_their_line() {
        let error = parse("name = \"pets\"\n\n[parts]\nclinet = false\n").expect_err("typo");
        let message = error.to_string();
        assert!(message.contains("line 4"), "{message}");
        assert!(message.contains("clinet"), "{message}");
    }

    /// The starting file parses to the default, and every commented key
    /// it documents exists: uncommented, the file still parses.
    #[test]
    fn the_starting_file_is_the_default_and_documents_real_keys() {
        assert_eq!(parse(STARTER).expect("starter"), Config::default());
        let mut uncommented = 0;
        let text: String = STARTER
            .lines()
            .map(|line| match line.strip_prefix("# ") {
                // A comment that is itself a setting (prose is not TOML).
                Some(setting) if toml::from_str::<toml::Table>(setting).is_ok() => {
                    uncommented += 1;
                    format!("{setting}\n")
                }
                _ => format!("{line}\n"),
            })
            .collect();
        // The second `tags`, `operations` and `paths` of [select] replace
        // the defaults: drop the empty ones so no key is written twice.
        let text = text.replace("tags = []\noperations = []\npaths = []\n", "");
        let config = parse(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert!(uncommented >= 15, "{uncommented}");
        assert_eq!(config.name.as_deref(), Some("pets"));
        assert_eq!(config.package.publish, Some(false));
        assert_eq!(config.select.tags, ["pets"]);
        assert_eq!(config.rename.variants["Status.in-progress"], "Running");
        assert!(config.overrides.contains_key("Money"));
    }

    #[test]
    fn errors_about_settings_name_their_line() {
        let text =
            "[select]\ntags = [\n  \"a\",\n  \"b\",\n]\n\n[rename.types]\n\"Pet Dto\" = \"Pet\"\n";
        let config = parse(text).expect("parses");
        let error = config.error_at(&["select", "tags"], Some("b"), "no operation has it");
        assert_eq!(
            error.to_string(),
            "apiforge.toml (line 4): `select.tags`: no operation has it"
        );
        let error = config.error_at(&["rename", "types", "Pet Dto"], None, "missing");
        assert_eq!(
            error.to_string(),
            "apiforge.toml (line 8): `rename.types.\"Pet Dto\"`: missing"
        );
        let error = Config::default().error_at(&["rename", "types", "A"], None, "missing");
        assert_eq!(
            error.to_string(),
            "the configuration: `rename.types.A`: missing"
        );
    }

    #[test]
    fn parts_must_leave_something_to_generate() {
        let none =
            parse("[parts]\ntypes = false\nclient = false\nserver = false\n").expect("parses");
        let message = none.check().expect_err("nothing").to_string();
        assert!(message.contains("nothing to generate"), "{message}");
        let client = parse("[parts]\ntypes = false\nserver = false\n").expect("parses");
        client.check().expect("the client alone");
        assert_eq!(
            client.parts.effective(),
            Parts {
                types: true,
                client: true,
                server: false
            }
        );
        assert!(parse("[parts]\nclient = \"no\"\n").is_err());
    }

    #[test]
    fn std_derives_are_a_list_of_the_three() {
        let config = parse("std-derives = [\"Debug\", \"PartialEq\"]\n").expect("two");
        assert_eq!(
            config
                .std_derives
                .keep(&["Debug", "Clone", "Copy", "PartialEq", "Eq", "Default"]),
            ["Debug", "PartialEq", "Eq", "Default"]
        );
        let none = parse("std-derives = []\n").expect("none");
        assert_eq!(
            none.std_derives
                .keep(&["Debug", "Clone", "PartialEq", "Eq", "Hash"]),
            [""; 0]
        );
        let message = parse("std-derives = [\"Eq\"]\n")
            .expect_err("Eq")
            .to_string();
        assert!(
            message.contains("\"Eq\" is not a std derive the generator chooses"),
            "{message}"
        );
    }

    #[test]
    fn version_policy_is_info_or_a_version() {
        let config = parse("[package]\nversion = \"2.1.0\"\n").expect("fixed");
        assert_eq!(
            config.package.version,
            VersionPolicy::Fixed("2.1.0".to_owned())
        );
        let config = parse("[package]\nversion = \"info\"\n").expect("info");
        assert_eq!(config.package.version, VersionPolicy::FromInfo);
        let config = parse(
            "[package]\nversion = \"computed\"\nprevious = \"git:HEAD~1:api.yaml\"\nbase = \"1.4.0\"\n",
        )
        .expect("computed");
        assert_eq!(config.package.version, VersionPolicy::Computed);
        assert_eq!(
            config.package.previous.as_deref(),
            Some("git:HEAD~1:api.yaml")
        );
        assert_eq!(config.package.base.as_deref(), Some("1.4.0"));
        for bad in ["01.2.3", "1.2", "1.2.3.4", "v1.2.3"] {
            let text = format!("[package]\nversion = {bad:?}\n");
            assert!(parse(&text).is_err(), "{bad}");
        }
        let message = parse("[package]\nversion = \"latest\"\n")
            .expect_err("bad")
            .to_string();
        assert!(message.contains("line 2"), "{message}");
        assert!(message.contains("\"latest\""), "{message}");
    }
}
