//! `apiforge diff`: every change between two versions of a spec, and what
//! it does to the code and the deployments built on the generated crates.
//!
//! Both specs are read with the same configuration and resolved into the
//! intermediate model (what the crates are generated from: renames,
//! selection and formats applied), and the two models are compared:
//! operations by their Rust name, parameters by location and wire name,
//! responses by status, schemas by Rust name, properties by wire name, enum
//! values by value. A rename it cannot tell from a removal and an addition
//! is reported as both. Each change names the JSON pointer of what changed
//! in each version (found in the documents as read, see [`pointers`]), and
//! is classified for four audiences and three crates ([`classify`]); the
//! report ends with the bump each crate needs and the change that forces it
//! ([`Bumps`]). [`report`] prints it for people or as JSON.

pub mod classify;
mod compare;
mod pointers;
pub mod report;

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

pub use classify::{Bump, Effect, Impact};

use crate::{model::Api, Config, CrateNames, Error};

/// Declares [`Kind`] from one entry per kind: the variant, its stable name
/// and what it means, so the list printed in the docs cannot miss one.
macro_rules! kinds {
    ($($variant:ident = $name:literal: $meaning:literal,)*) => {
        /// What kind of change.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Kind {
            $(
                #[doc = concat!("`", $name, "`: ", $meaning, ".")]
                $variant,
            )*
        }

        impl Kind {
            /// Every kind, in the order of the documentation.
            pub const ALL: &'static [Kind] = &[$(Kind::$variant),*];

            /// The stable kebab-case name.
            pub fn name(self) -> &'static str {
                match self {
                    $(Kind::$variant => $name,)*
                }
            }

            /// What the kind means.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Kind::$variant => $meaning,)*
                }
            }
        }
    };
}

kinds! {
    OperationAdded = "operation-added": "an operation only the new version has",
    OperationRemoved = "operation-removed": "an operation only the old version has",
    OperationPathChanged = "operation-path-changed": "an operation (same Rust name) under another path template",
    OperationMethodChanged = "operation-method-changed": "an operation (same Rust name) with another HTTP method",
    ParameterAddedRequired = "parameter-added-required": "a required parameter only the new version has",
    ParameterAddedOptional = "parameter-added-optional": "an optional parameter only the new version has",
    ParameterRemoved = "parameter-removed": "a parameter only the old version has",
    ParameterTypeChanged = "parameter-type-changed": "a parameter of another type",
    ParameterRequiredChanged = "parameter-required-changed": "a parameter that became required or optional",
    ParameterEncodingChanged = "parameter-encoding-changed": "a parameter written otherwise on the wire (`style`, `explode`, `content`)",
    RequestBodyAdded = "request-body-added": "a request body only the new version has",
    RequestBodyRemoved = "request-body-removed": "a request body only the old version has",
    RequestBodyRequiredChanged = "request-body-required-changed": "a request body that became required or optional",
    RequestMediaTypeAdded = "request-media-type-added": "a media type the request body accepts in the new version only",
    RequestMediaTypeRemoved = "request-media-type-removed": "a media type the request body accepts in the old version only",
    RequestBodyTypeChanged = "request-body-type-changed": "a request media type whose content has another type",
    ResponseStatusAdded = "response-status-added": "a response status (code, range or `default`) only the new version declares",
    ResponseStatusRemoved = "response-status-removed": "a response status only the old version declares",
    ResponseBodyChanged = "response-body-changed": "a response whose body has another type (or none)",
    ResponseHeaderAdded = "response-header-added": "a response header only the new version declares",
    ResponseHeaderRemoved = "response-header-removed": "a response header only the old version declares",
    ResponseHeaderTypeChanged = "response-header-type-changed": "a response header of another type",
    ResponseHeaderRequiredChanged = "response-header-required-changed": "a response header that became required or optional",
    SchemaAdded = "schema-added": "a named type only the new version has",
    SchemaRemoved = "schema-removed": "a named type only the old version has",
    SchemaTypeChanged = "schema-type-changed": "a named type of another kind (object, enum, union, alias) or target",
    PropertyAddedRequired = "property-added-required": "a required property only the new version has",
    PropertyAddedOptional = "property-added-optional": "an optional property only the new version has",
    PropertyRemoved = "property-removed": "a property only the old version has",
    PropertyTypeChanged = "property-type-changed": "a property of another type",
    PropertyRequiredChanged = "property-required-changed": "a property that became required or optional",
    PropertyNullableChanged = "property-nullable-changed": "a property that became nullable or not",
    ConstraintsChanged = "constraints-changed": "the validation keywords (`minLength`, `pattern`, `maximum`, ...) of a parameter, property, schema or request body changed",
    EnumValueAdded = "enum-value-added": "an enum value only the new version lists",
    EnumValueRemoved = "enum-value-removed": "an enum value only the old version lists",
    UnionVariantAdded = "union-variant-added": "a `oneOf`/`anyOf` alternative only the new version has",
    UnionVariantRemoved = "union-variant-removed": "a `oneOf`/`anyOf` alternative only the old version has",
    ServerAdded = "server-added": "a `servers` URL only the new version lists",
    ServerRemoved = "server-removed": "a `servers` URL only the old version lists",
    SecuritySchemeAdded = "security-scheme-added": "a security scheme only the new version uses",
    SecuritySchemeRemoved = "security-scheme-removed": "a security scheme only the old version uses",
    SecuritySchemeChanged = "security-scheme-changed": "a security scheme of another type or place",
    OperationSecurityChanged = "operation-security-changed": "an operation's security requirements changed",
    DocumentationChanged = "documentation-changed": "a summary, description or title changed, nothing else",
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// One change between the two versions.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Change {
    /// What kind of change.
    pub kind: Kind,
    /// What changed, e.g. `GET /pets: query parameter limit`,
    /// `schema Pet: property tag`.
    pub subject: String,
    /// How, e.g. `integer (int32) -> string`; empty when the kind says it.
    pub detail: String,
    /// JSON pointer in the old version: of the thing itself, or, for an
    /// addition, of where it would be (its parent).
    pub old_pointer: String,
    /// JSON pointer in the new version: of the thing itself, or, for a
    /// removal, of its parent.
    pub new_pointer: String,
    /// What it does to each audience and crate.
    pub impact: Impact,
}

/// The bump of each generated crate, with the change that forces it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Bumps {
    /// The types crate.
    pub types: CrateBump,
    /// The client crate.
    pub client: CrateBump,
    /// The server crate.
    pub server: CrateBump,
}

/// The bump one crate needs, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct CrateBump {
    /// Package name.
    pub package: String,
    /// The bump.
    pub bump: Bump,
    /// Why: the first change that needs this bump, or the types crate it
    /// re-exports.
    pub reason: String,
}

impl Bumps {
    /// The bumps `changes` need: each crate's own, and the client and
    /// server at least the types crate's, which they re-export and depend
    /// on at its exact version.
    pub fn of(changes: &[Change], crates: &CrateNames) -> Bumps {
        let own = |pick: fn(&Impact) -> Bump, package: &str| {
            let bump = changes
                .iter()
                .map(|c| pick(&c.impact))
                .max()
                .unwrap_or(Bump::None);
            let reason = match changes.iter().find(|c| pick(&c.impact) == bump) {
                Some(change) if bump != Bump::None => format!(
                    "{} ({}: {})",
                    change.kind.name(),
                    change.subject,
                    // Where the thing is: a removal's new pointer is its
                    // parent.
                    if change.kind.name().ends_with("-removed") {
                        &change.old_pointer
                    } else {
                        &change.new_pointer
                    }
                ),
                _ => "no change".to_owned(),
            };
            CrateBump {
                package: package.to_owned(),
                bump,
                reason,
            }
        };
        let types = own(|i| i.types, &crates.types);
        let reexporting = |mut crate_bump: CrateBump| {
            if types.bump > crate_bump.bump {
                crate_bump.bump = types.bump;
                crate_bump.reason = format!(
                    "re-exports {}, which needs {}",
                    types.package,
                    types.bump.as_str()
                );
            }
            crate_bump
        };
        Bumps {
            client: reexporting(own(|i| i.client, &crates.client)),
            server: reexporting(own(|i| i.server, &crates.server)),
            types,
        }
    }

    /// The largest bump of the three: the crates share one version.
    pub fn max(&self) -> Bump {
        self.types.bump.max(self.client.bump).max(self.server.bump)
    }
}

/// Everything `apiforge diff` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Report {
    /// The old version as named (a path, or `git:REV:PATH`).
    pub old: String,
    /// The new version as named.
    pub new: String,
    /// Every change, in the order of the new document (removals where the
    /// old one had them).
    pub changes: Vec<Change>,
    /// The bump each crate needs.
    pub bumps: Bumps,
}

impl Report {
    /// The worst effect on any audience.
    pub fn worst_effect(&self) -> Effect {
        self.changes
            .iter()
            .flat_map(|c| {
                let i = &c.impact;
                [
                    i.client_code,
                    i.server_code,
                    i.deployed_client,
                    i.deployed_server,
                ]
            })
            .max()
            .unwrap_or(Effect::None)
    }
}

/// One version of a spec, resolved.
pub(crate) struct Version {
    /// The model the crates are generated from.
    pub api: Api,
    /// The document as a JSON tree, where pointers are found.
    pub raw: Value,
}

/// A spec named on the command line or in the configuration: a file path,
/// or `git:REV:PATH` for the file at `PATH` in the git revision `REV`
/// (read with `git show REV:PATH`, in the current directory's repository).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SpecSource {
    /// A file.
    File(std::path::PathBuf),
    /// A file of a git revision.
    Git {
        /// The revision (`HEAD~1`, `v1.2.0`, a commit).
        revision: String,
        /// The path in that revision, relative to the repository's root
        /// (or `./`-relative to the directory git runs in, as `git show`
        /// reads it).
        path: String,
        /// The directory git runs in: the configuration file's for a
        /// `previous` it names, else (`None`) the current directory.
        directory: Option<std::path::PathBuf>,
    },
}

impl SpecSource {
    /// Reads `text`: `git:REV:PATH`, else a file path.
    pub fn parse(text: &str) -> SpecSource {
        if let Some(rest) = text.strip_prefix("git:") {
            if let Some((revision, path)) = rest.split_once(':') {
                if !revision.is_empty() && !path.is_empty() {
                    return SpecSource::Git {
                        revision: revision.to_owned(),
                        path: path.to_owned(),
                        directory: None,
                    };
                }
            }
        }
        SpecSource::File(text.into())
    }

    /// How it is named in reports.
    pub fn label(&self) -> String {
        match self {
            SpecSource::File(path) => path.display().to_string(),
            SpecSource::Git { revision, path, .. } => format!("git:{revision}:{path}"),
        }
    }

    /// Its text, for a git revision; `None` for a file (read by the loader,
    /// which also follows references to other files).
    fn git_text(&self) -> Result<Option<(String, String)>, Error> {
        let SpecSource::Git {
            revision,
            path,
            directory,
        } = self
        else {
            return Ok(None);
        };
        if revision.starts_with('-') {
            return Err(Error::other(format!(
                "git revision {revision:?} starts with `-`; name a revision"
            )));
        }
        let mut git = std::process::Command::new("git");
        if let Some(directory) = directory {
            git.current_dir(directory);
        }
        let output = git
            .arg("show")
            .arg(format!("{revision}:{path}"))
            .output()
            .map_err(|e| Error::other(format!("cannot run `git show`: {e}")))?;
        if !output.status.success() {
            return Err(Error::other(format!(
                "`git show {revision}:{path}` failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        let text = String::from_utf8(output.stdout)
            .map_err(|_| Error::other(format!("{revision}:{path} is not UTF-8 text")))?;
        let file_name = Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.clone());
        Ok(Some((text, file_name)))
    }

    /// Reads and resolves it with `config`.
    pub(crate) fn resolve(&self, config: &Config) -> Result<Version, Error> {
        let (api, raw) = match (self.git_text()?, self) {
            (Some((text, file_name)), _) => crate::resolve_model(
                crate::Source::Text {
                    text: &text,
                    file_name: &file_name,
                },
                config,
            )?,
            (None, SpecSource::File(path)) => {
                crate::resolve_model(crate::Source::File(path), config)?
            }
            (None, SpecSource::Git { .. }) => unreachable!("git_text reads git sources"),
        };
        Ok(Version { api, raw })
    }
}

/// Compares two versions of a spec read with `config`; the crates are
/// named as `generate` names them from the new one.
pub fn diff(old: &SpecSource, new: &SpecSource, config: &Config) -> Result<Report, Error> {
    // The version policy is not diff's business: `"computed"` without a
    // `previous` (given with `--previous` to `generate`) is fine here.
    let mut config = config.clone();
    config.package.version = crate::config::VersionPolicy::FromInfo;
    let config = &config;
    config.check()?;
    let crates = match config.name.as_deref() {
        Some(name) => CrateNames::from_name(name)?,
        None => {
            let label = match new {
                SpecSource::File(path) => path.display().to_string(),
                SpecSource::Git { path, .. } => path.clone(),
            };
            let stem = Path::new(&label)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            CrateNames::from_name(&stem)?
        }
    };
    let old_version = old.resolve(config)?;
    let new_version = new.resolve(config)?;
    Ok(compare_versions(
        old.label(),
        new.label(),
        &old_version,
        &new_version,
        &crates,
    ))
}

/// The report on two resolved versions.
pub(crate) fn compare_versions(
    old_label: String,
    new_label: String,
    old: &Version,
    new: &Version,
    crates: &CrateNames,
) -> Report {
    let changes = compare::changes(old, new);
    let bumps = Bumps::of(&changes, crates);
    Report {
        old: old_label,
        new: new_label,
        changes,
        bumps,
    }
}

/// `version` bumped by `bump`, as Cargo reads versions: before 1.0.0 a
/// breaking change bumps the minor number and anything else the patch
/// number (`0.3.1` -> `0.4.0` or `0.3.2`); from 1.0.0 on, a major bump
/// bumps the major number, a minor the minor. No change keeps the
/// version. Pre-release and build suffixes are dropped when bumping.
pub fn bump_version(version: &str, bump: Bump) -> Result<String, Error> {
    let core = version.split(['-', '+']).next().unwrap_or_default();
    let numbers: Vec<u64> = core
        .split('.')
        .map(|part| part.parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| Error::other(format!("{version:?} is not a version such as \"1.2.0\"")))?;
    let [major, minor, patch] = numbers[..] else {
        return Err(Error::other(format!(
            "{version:?} is not a version such as \"1.2.0\""
        )));
    };
    let (major, minor, patch) = match (bump, major) {
        (Bump::None, _) => return Ok(version.to_owned()),
        (Bump::Major, 0) => (0, minor + 1, 0),
        (Bump::Minor | Bump::Patch, 0) => (0, minor, patch + 1),
        (Bump::Major, _) => (major + 1, 0, 0),
        (Bump::Minor, _) => (major, minor + 1, 0),
        (Bump::Patch, _) => (major, minor, patch + 1),
    };
    Ok(format!("{major}.{minor}.{patch}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_bump_as_cargo_reads_them() {
        let cases = [
            ("1.2.3", Bump::Major, "2.0.0"),
            ("1.2.3", Bump::Minor, "1.3.0"),
            ("1.2.3", Bump::Patch, "1.2.4"),
            ("1.2.3", Bump::None, "1.2.3"),
            ("0.3.1", Bump::Major, "0.4.0"),
            ("0.3.1", Bump::Minor, "0.3.2"),
            ("0.3.1", Bump::Patch, "0.3.2"),
            ("2.0.0-rc.1", Bump::Patch, "2.0.1"),
        ];
        for (version, bump, expected) in cases {
            assert_eq!(
                bump_version(version, bump).expect(version),
                expected,
                "{version} {bump:?}"
            );
        }
        assert!(bump_version("1.2", Bump::Major).is_err());
        assert!(bump_version("v1.2.3", Bump::Major).is_err());
    }

    #[test]
    fn spec_sources_are_files_or_git_revisions() {
        assert_eq!(
            SpecSource::parse("git:HEAD~1:spec/api.yaml"),
            SpecSource::Git {
                revision: "HEAD~1".to_owned(),
                path: "spec/api.yaml".to_owned(),
                directory: None,
            }
        );
        assert_eq!(
            SpecSource::parse("spec/api.yaml"),
            SpecSource::File("spec/api.yaml".into())
        );
        assert_eq!(
            SpecSource::parse("git::x"),
            SpecSource::File("git::x".into())
        );
        let error = SpecSource::parse("git:--output=x:y")
            .resolve(&Config::default())
            .err()
            .expect("refused");
        assert!(error.to_string().contains("starts with `-`"), "{error}");
    }

    #[test]
    fn every_kind_has_a_distinct_name() {
        let mut names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Kind::ALL.len());
    }
}
