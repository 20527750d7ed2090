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
    /// Where the settings were read from, so that what is found wrong only
    /// against the spec (an override naming no schema) is named with its
    /// line. Not a setting: equal whatever it holds.
    #[serde(skip)]
    pub(crate) origin: Origin,
}

/// The file a [`Config`] was read from, and its text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Origin(Option<std::sync::Arc<(PathBuf, String)>>);

impl PartialEq for Origin {
    fn eq(&self, _: &Origin) -> bool {
        true
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
    /// SPDX license expression (`license = "..."` in Cargo.toml).
    pub license: Option<String>,
    /// Repository URL.
    pub repository: Option<String>,
    /// Whether the crates may be published (`publish = false` when not).
    /// Default: not published.
    #[serde(default)]
    pub publish: bool,
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
}

impl<'de> Deserialize<'de> for VersionPolicy {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        if text == "info" {
            return Ok(VersionPolicy::FromInfo);
        }
        let parts: Vec<&str> = text.split('.').collect();
        let numeric = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if parts.len() == 3 && parts.iter().all(|part| numeric(part)) {
            Ok(VersionPolicy::Fixed(text))
        } else {
            Err(serde::de::Error::custom(format!(
                "{text:?} is not a version policy: write \"info\" (the spec's info.version) or \
                 a version such as \"1.2.0\""
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
        config.origin = Origin(Some(std::sync::Arc::new((
            file.to_owned(),
            text.to_owned(),
        ))));
        Ok(config)
    }

    /// Where the key `key` of the table `[table]` is written, for an error:
    /// `apiforge.toml, line 4, [overrides] key "Money"`, or without the
    /// place for settings made in code.
    pub(crate) fn locate(&self, table: &str, key: &str) -> String {
        let key_text = format!("[{table}] key {key:?}");
        let Some(origin) = &self.origin.0 else {
            return format!("the configuration's {key_text}");
        };
        let (file, text) = (&origin.0, &origin.1);
        /// The keys of the tables keyed by schema, with where they are.
        #[derive(Deserialize)]
        struct Keys {
            #[serde(default)]
            overrides: BTreeMap<toml::Spanned<String>, serde::de::IgnoredAny>,
            #[serde(default)]
            derive: BTreeMap<toml::Spanned<String>, serde::de::IgnoredAny>,
            #[serde(default)]
            attributes: BTreeMap<toml::Spanned<String>, serde::de::IgnoredAny>,
        }
        let line = toml::from_str::<Keys>(text).ok().and_then(|keys| {
            let table = match table {
                "overrides" => keys.overrides,
                "derive" => keys.derive,
                "attributes" => keys.attributes,
                _ => return None,
            };
            let span = table.keys().find(|k| k.get_ref() == key)?.span();
            Some(text[..span.start.min(text.len())].matches('\n').count() + 1)
        });
        match line {
            Some(line) => format!("{} (line {line}): {key_text}", file.display()),
            None => format!("{}: {key_text}", file.display()),
        }
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

    #[test]
    fn version_policy_is_info_or_a_version() {
        let config = parse("[package]\nversion = \"2.1.0\"\n").expect("fixed");
        assert_eq!(
            config.package.version,
            VersionPolicy::Fixed("2.1.0".to_owned())
        );
        let config = parse("[package]\nversion = \"info\"\n").expect("info");
        assert_eq!(config.package.version, VersionPolicy::FromInfo);
        let message = parse("[package]\nversion = \"latest\"\n")
            .expect_err("bad")
            .to_string();
        assert!(message.contains("line 2"), "{message}");
        assert!(message.contains("\"latest\""), "{message}");
    }
}
