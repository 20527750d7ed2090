//! Render: the generated crates' non-Rust files (`Cargo.toml` and
//! `README.md` of each) from the minijinja templates in `templates/`.
//!
//! The templates are compiled into the binary, so `apiforge` works from any
//! directory. Whatever comes from the spec is made safe here before a
//! template sees it: manifest strings go through the `toml` filter (a quoted,
//! escaped TOML string), the crate version is checked to be semver, and
//! titles are cut to one bounded line, because a manifest that Cargo cannot
//! read breaks the whole workspace.

use std::path::PathBuf;

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde::Serialize;

use crate::config::{self, VersionPolicy};
use crate::emit::text::{self, one_line};
use crate::emit::types::features::{self, Predicate, SerdeTrait};
use crate::emit::{known_crate, CrateNeeds, Needs};
use crate::error::Error;
use crate::model::CrateDependency;
use crate::model::{Api, SecuritySchemeKind};
use crate::{Config, CrateNames};

/// The templates, by the name templates and errors use.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "rustfmt.toml.j2",
        include_str!("../../templates/rustfmt.toml.j2"),
    ),
    (
        "types.Cargo.toml.j2",
        include_str!("../../templates/types.Cargo.toml.j2"),
    ),
    (
        "server.Cargo.toml.j2",
        include_str!("../../templates/server.Cargo.toml.j2"),
    ),
    (
        "client.Cargo.toml.j2",
        include_str!("../../templates/client.Cargo.toml.j2"),
    ),
    ("README.md.j2", include_str!("../../templates/README.md.j2")),
];

/// The crate version when `info.version` is not semver.
const FALLBACK_VERSION: &str = "0.1.0";

/// Longest title (in characters) put into a manifest's `description`; the
/// rest of the sentence around it keeps the whole under 200.
const MAX_TITLE_CHARS: usize = 150;

/// `Cargo.toml` and `README.md` of each of the three crates, by path
/// relative to the output directory. `spec_file` is the spec's file name,
/// which the files name as their source.
/// `needs` is what each crate's code needs, as the emitters reported it.
pub fn render(
    api: &Api,
    crates: &CrateNames,
    needs: &CrateNeeds,
    config: &Config,
    spec_file: &str,
) -> Result<Vec<(PathBuf, String)>, Error> {
    let env = environment()?;
    let mut context = Context::new(api, crates, spec_file);
    for op in &mut context.operations {
        op.unserved = needs
            .server
            .unserved
            .get(&op.name)
            .map(|reason| text::markdown_line(reason));
    }
    context.operation_features = context
        .features
        .iter()
        .filter(|feature| feature.operations > 0)
        .cloned()
        .collect();
    context.package = PackageItem::new(&config.package);
    if let VersionPolicy::Fixed(version) = &config.package.version {
        context.version = version.clone();
    }
    let parts = config.parts.effective();
    context.server_generated = parts.server;
    let mut files = Vec::new();
    for (kind, package, wanted, crate_needs) in [
        ("types", &crates.types, parts.types, &needs.types),
        ("server", &crates.server, parts.server, &needs.server),
        ("client", &crates.client, parts.client, &needs.client),
    ] {
        if !wanted {
            continue;
        }
        context.kind = kind;
        context.dependency_lines = dependency_lines(kind, crate_needs);
        context.dev_dependency_lines = dev_dependency_lines(crate_needs);
        let manifest = render_template(&env, &format!("{kind}.Cargo.toml.j2"), &context)?;
        files.push((PathBuf::from(format!("{package}/Cargo.toml")), manifest));
        let readme = render_template(&env, "README.md.j2", &context)?;
        files.push((PathBuf::from(format!("{package}/README.md")), readme));
        let rustfmt = render_template(&env, "rustfmt.toml.j2", &context)?;
        files.push((PathBuf::from(format!("{package}/rustfmt.toml")), rustfmt));
    }
    Ok(files)
}

fn environment() -> Result<Environment<'static>, Error> {
    let mut env = Environment::new();
    // Neither TOML nor Markdown wants HTML escaping; the `toml` filter does
    // the escaping manifests need, explicitly.
    env.set_auto_escape_callback(|_| AutoEscape::None);
    // A misspelt variable is a bug in a template: fail rather than print "".
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_keep_trailing_newline(true);
    env.add_filter("toml", toml_string);
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .map_err(|e| Error::other(format!("template {name}: {e:#}")))?;
    }
    Ok(env)
}

fn render_template(env: &Environment<'_>, name: &str, context: &Context) -> Result<String, Error> {
    env.get_template(name)
        .and_then(|template| template.render(context))
        .map_err(|e| Error::other(format!("template {name}: {e:#}")))
}

/// The `toml` filter: `value` as a TOML basic string (see
/// [`text::toml_string`]).
pub fn toml_string(value: String) -> String {
    text::toml_string(&value)
}

/// The crate version for an API version: `info.version` itself when it is
/// semver `MAJOR.MINOR.PATCH` with an optional pre-release (what Cargo
/// accepts), else `0.1.0`. API versions are often dates or four-part
/// numbers, which Cargo would reject.
pub fn crate_version(api_version: &str) -> String {
    if is_semver(api_version.trim()) {
        api_version.trim().to_owned()
    } else {
        FALLBACK_VERSION.to_owned()
    }
}

fn is_semver(version: &str) -> bool {
    // A numeric identifier: digits, no leading zero, fits Cargo's u64.
    fn numeric(part: &str) -> bool {
        !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_digit())
            && (part == "0" || !part.starts_with('0'))
            && part.parse::<u64>().is_ok()
    }
    // A pre-release identifier: alphanumerics and `-`; numeric ones follow
    // the numeric rule.
    fn pre_release(part: &str) -> bool {
        !part.is_empty()
            && part.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && (!part.bytes().all(|b| b.is_ascii_digit()) || numeric(part))
    }
    let (core, pre) = match version.split_once('-') {
        Some((core, pre)) => (core, Some(pre)),
        None => (version, None),
    };
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|p| numeric(p))
        && pre.map_or(true, |pre| pre.split('.').all(pre_release))
}

/// `one_line(text)`, cut to at most `max` characters at a word boundary
/// when possible, with `...` marking the cut.
fn bounded_line(text: &str, max: usize) -> String {
    let line = one_line(text);
    if line.chars().count() <= max {
        return line;
    }
    let cut: String = line.chars().take(max.saturating_sub(3)).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > 0 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}...", cut.trim_end())
}

/// A dependency every crate of a kind has, with the comment that says why
/// when it is not obvious.
struct Fixed {
    name: &'static str,
    comment: &'static [&'static str],
    line: String,
}

/// The lines of a crate's `[dependencies]` table (after the types crate,
/// which the server and client name first): the dependencies the crate kind
/// always has, and what its code needs besides, sorted by name.
fn dependency_lines(kind: &str, needs: &Needs) -> Vec<String> {
    let fixed = |name: &'static str, comment: &'static [&'static str], line: &str| Fixed {
        name,
        comment,
        line: line.to_owned(),
    };
    let multipart = if needs.multipart {
        "\"multipart\", "
    } else {
        ""
    };
    let form = if needs.form { "\"form\", " } else { "" };
    let always = match kind {
        "types" => vec![fixed(
            "serde",
            &["# Untagged enum variants (unknown enum values) need serde 1.0.181."],
            r#"serde = { version = "1.0.181", features = ["derive"] }"#,
        )],
        "server" => vec![
            fixed(
                "axum",
                &[],
                &format!(
                    "axum = {{ version = \"0.8\", default-features = false, features = \
                     [\"http1\", \"json\", {multipart}\"query\", \"tokio\"] }}"
                ),
            ),
            fixed(
                "hyper",
                &[
                    "# hyper, hyper-util, tokio and tower-service (all in axum's tree) serve",
                    "# HTTP/1.1 connections with timeouts and limits in src/serve.rs.",
                ],
                r#"hyper = { version = "1.12", default-features = false, features = ["http1", "server"] }"#,
            ),
            fixed(
                "hyper-util",
                &[],
                r#"hyper-util = { version = "0.1.10", default-features = false, features = ["tokio"] }"#,
            ),
            fixed("serde", &[], r#"serde = "1""#),
            fixed(
                "serde_json",
                &["# Numbers are read exactly as sent: bounds are checked against them."],
                r#"serde_json = { version = "1", features = ["float_roundtrip"] }"#,
            ),
            fixed("serde_urlencoded", &[], r#"serde_urlencoded = "0.7""#),
            fixed(
                "tokio",
                &[],
                r#"tokio = { version = "1", default-features = false, features = ["macros", "net", "rt", "sync", "time"] }"#,
            ),
            fixed("tower-service", &[], r#"tower-service = "0.3""#),
            fixed(
                "tracing",
                &["# The `tracing` feature: a span per operation (src/router.rs)."],
                r#"tracing = { version = "0.1", optional = true, default-features = false, features = ["std"] }"#,
            ),
        ],
        _ => vec![
            fixed(
                "reqwest",
                &[],
                &format!(
                    "reqwest = {{ version = \"0.13\", default-features = false, features = \
                     [{form}{multipart}\"rustls\"] }}"
                ),
            ),
            fixed("serde", &[], r#"serde = "1""#),
            fixed("serde_json", &[], r#"serde_json = "1""#),
            fixed(
                "futures-core",
                &[
                    "# futures-core, http, http-body, http-body-util, tokio and tower-service",
                    "# (all in reqwest's tree): page streams, middleware, the in-process",
                    "# transport, retry waits.",
                ],
                r#"futures-core = "0.3""#,
            ),
            fixed("http", &[], r#"http = "1""#),
            fixed("http-body", &[], r#"http-body = "1""#),
            fixed("http-body-util", &[], r#"http-body-util = "0.1""#),
            fixed(
                "tokio",
                &[],
                r#"tokio = { version = "1", default-features = false, features = ["time"] }"#,
            ),
            fixed("tower-service", &[], r#"tower-service = "0.3""#),
            fixed(
                "tracing",
                &["# A span per call with the `tracing` feature."],
                r#"tracing = { version = "0.1", optional = true, default-features = false, features = ["std"] }"#,
            ),
        ],
    };
    let mut entries: Vec<(String, Vec<String>)> = always
        .into_iter()
        .map(|fixed| {
            let mut lines: Vec<String> = fixed.comment.iter().map(|c| (*c).to_owned()).collect();
            lines.push(fixed.line);
            (fixed.name.to_owned(), lines)
        })
        .collect();
    for (name, dependency) in &needs.crates {
        if !entries.iter().any(|(fixed, _)| fixed == name) {
            entries.push((name.clone(), vec![manifest_line(dependency)]));
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.into_iter().flat_map(|(_, lines)| lines).collect()
}

/// The lines of a crate's `[dev-dependencies]` table: what only its tests
/// need and its `[dependencies]` do not already give.
fn dev_dependency_lines(needs: &Needs) -> Vec<String> {
    let mut lines = Vec::new();
    for (name, dependency) in &needs.dev_crates {
        if needs.crates.contains_key(name) {
            continue;
        }
        if *dependency == known_crate("serde_json") {
            lines.push(
                "# The tests (the README's usage, the schemas' examples) read JSON.".to_owned(),
            );
        }
        lines.push(manifest_line(dependency));
    }
    lines
}

/// `name = ...` for a dependency, every value an escaped TOML string (the
/// name was checked to be a crate name, a bare TOML key).
fn manifest_line(dependency: &CrateDependency) -> String {
    let mut keys = Vec::new();
    if let Some(package) = &dependency.package {
        keys.push(format!("package = {}", text::toml_string(package)));
    }
    if let Some(path) = &dependency.path {
        keys.push(format!("path = {}", text::toml_string(path)));
    }
    if let Some(version) = &dependency.version {
        keys.push(format!("version = {}", text::toml_string(version)));
    }
    if dependency.no_default_features {
        keys.push("default-features = false".to_owned());
    }
    if !dependency.features.is_empty() {
        let features: Vec<String> = dependency
            .features
            .iter()
            .map(|f| text::toml_string(f))
            .collect();
        keys.push(format!("features = [{}]", features.join(", ")));
    }
    let value = match (keys.as_slice(), &dependency.version) {
        ([_], Some(version)) => text::toml_string(version),
        _ => format!("{{ {} }}", keys.join(", ")),
    };
    format!("{} = {value}", dependency.name)
}

/// What the templates see. Every string from the spec that goes into a
/// manifest is bounded here or escaped by the `toml` filter.
#[derive(Debug, Serialize)]
struct Context {
    /// Which crate is rendered: `types`, `server` or `client`.
    kind: &'static str,
    spec_file: String,
    /// One line, at most `MAX_TITLE_CHARS`; "an API" when the spec has none.
    title: String,
    /// `title` as README Markdown.
    readme_title: String,
    /// The crate version (semver).
    version: String,
    /// The `[package]` settings of the configuration.
    package: PackageItem,
    /// `info.version` as the spec writes it, on one line, as README
    /// Markdown.
    api_version: String,
    /// README Markdown.
    description: Option<String>,
    crates: Names,
    libs: Names,
    /// The lines of the rendered crate's `[dependencies]` table after its
    /// dependency on the types crate: what the crate always needs and what
    /// its emitter reported, sorted by name, comments included.
    dependency_lines: Vec<String>,
    /// The lines of its `[dev-dependencies]` table; empty: no table.
    dev_dependency_lines: Vec<String>,
    has_credentials: bool,
    operations: Vec<OperationItem>,
    servers: Vec<ServerItem>,
    example_type: Option<String>,
    /// The `cfg` predicate under which `example_type` reads from JSON
    /// (its tag features, its `Deserialize` side); `None`: always.
    example_type_cfg: Option<String>,
    example: Option<Example>,
    /// A Rust string literal.
    base_url: String,
    credential_example: Option<String>,
    /// Whether the server crate is generated too: the client's README then
    /// shows it as an in-process test double (a dev-dependency).
    server_generated: bool,
    /// Whether the crates have cargo features (`client`, `server` and one
    /// per tag): not in the build step's modules.
    gated: bool,
    /// The types crate's features beside `client` and `server`, sorted by
    /// name: one per tag, and `components`.
    features: Vec<FeatureItem>,
    /// The features of operations (the tags'), which the client has too.
    operation_features: Vec<FeatureItem>,
    /// The `recursion_limit` the crates declare; `None`: the default.
    recursion_limit: Option<usize>,
}

/// A row of the README's feature table, and a feature of the manifests.
#[derive(Debug, Clone, Serialize)]
struct FeatureItem {
    /// The cargo feature: ASCII letters, digits and `-` (a bare TOML key).
    name: String,
    /// The tags that give it, each a Markdown code span safe in a table
    /// cell, joined with `, `.
    tags: String,
    /// How many operations it compiles.
    operations: usize,
}

/// The configuration's package metadata; each key is written only when
/// set, so manifests without a configuration stay as they were.
#[derive(Debug, Default, Serialize)]
struct PackageItem {
    license: Option<String>,
    repository: Option<String>,
    /// `publish = false` is written; `true` is Cargo's default.
    unpublished: bool,
}

impl PackageItem {
    fn new(package: &config::Package) -> Self {
        PackageItem {
            license: package.license.clone(),
            repository: package.repository.clone(),
            unpublished: package.publish == Some(false),
        }
    }
}

#[derive(Debug, Serialize)]
struct Names {
    types: String,
    server: String,
    client: String,
}

#[derive(Debug, Serialize)]
struct OperationItem {
    /// Method and path as a Markdown code span.
    route: String,
    /// README Markdown on one line.
    summary: Option<String>,
    name: String,
    /// Why the server's router does not serve it (README Markdown on one
    /// line); `None` when it does.
    unserved: Option<String>,
}

#[derive(Debug, Serialize)]
struct ServerItem {
    /// A Markdown code span.
    url: String,
    /// README Markdown on one line.
    description: Option<String>,
}

/// The first operation, spelled out for the usage snippets. The client's
/// snippet is a function taking what the call needs (credentials,
/// parameters, body) as arguments, so it compiles for any operation.
#[derive(Debug, Serialize)]
struct Example {
    name: String,
    /// The `cfg` predicate of the client's method (its tag features);
    /// `None`: always compiled.
    cfg: Option<String>,
    /// The server's `Request<...>` type for it.
    request: String,
    /// What the client snippet imports from the client crate.
    client_imports: String,
    /// The client snippet's function parameters (`parameters: &...`).
    client_parameters: Vec<String>,
    /// The operation's parameters and body alone, without credentials.
    call_parameters: Vec<String>,
    /// The client call's arguments.
    call_args: String,
}

impl Context {
    fn new(api: &Api, crates: &CrateNames, spec_file: &str) -> Self {
        let title = bounded_line(&api.title, MAX_TITLE_CHARS);
        let title = if title.is_empty() {
            "an API".to_owned()
        } else {
            title
        };
        // The credentials of the first scheme, as the client snippet's
        // function takes and sets them.
        let (credential_parameters, credential_example) = match api.security_schemes.first() {
            Some(s) if s.kind == SecuritySchemeKind::Basic => (
                vec!["username: String".to_owned(), "password: String".to_owned()],
                Some(format!(
                    "{}: Some(types::BasicCredentials {{ username, password }})",
                    s.name
                )),
            ),
            Some(s) => (
                vec!["secret: String".to_owned()],
                Some(format!("{}: Some(secret)", s.name)),
            ),
            None => (Vec::new(), None),
        };
        let base_url = api
            .servers
            .first()
            .map(|s| s.url.as_str())
            .unwrap_or("http://localhost:8080");
        // The examples are doctests, compiled with any set of the crates'
        // features: they show a type and an operation that always compile
        // where there is one, and otherwise say which features they need.
        let example_type = api
            .types
            .iter()
            .map(|def| {
                let gate = features::all([
                    features::type_gate(api, &def.name),
                    features::serde_gate(api, &def.name, SerdeTrait::Deserialize),
                ]);
                (def, gate)
            })
            .min_by_key(|(_, gate)| gate.is_some());
        let example_operation =
            features::example_operation(api).map(|(index, gate)| (&api.operations[index], gate));
        Context {
            kind: "types",
            spec_file: bounded_line(spec_file, 200),
            readme_title: text::markdown_line(&title),
            title,
            version: crate_version(&api.version),
            package: PackageItem::default(),
            api_version: text::markdown_line(&bounded_line(&api.version, 100)),
            description: api
                .description
                .as_deref()
                .map(text::markdown)
                .filter(|d| !d.is_empty()),
            crates: Names {
                types: crates.types.clone(),
                server: crates.server.clone(),
                client: crates.client.clone(),
            },
            libs: Names {
                types: CrateNames::lib_name(&crates.types),
                server: CrateNames::lib_name(&crates.server),
                client: CrateNames::lib_name(&crates.client),
            },
            dependency_lines: Vec::new(),
            dev_dependency_lines: Vec::new(),
            has_credentials: !api.security_schemes.is_empty(),
            operations: api
                .operations
                .iter()
                .map(|op| OperationItem {
                    route: text::code_span(&format!("{} {}", op.method.as_str(), op.path)),
                    summary: op
                        .summary
                        .as_deref()
                        .map(text::markdown_line)
                        .filter(|s| !s.is_empty()),
                    name: op.name.clone(),
                    unserved: None,
                })
                .collect(),
            servers: api
                .servers
                .iter()
                .map(|s| ServerItem {
                    url: text::code_span(&s.url),
                    description: s
                        .description
                        .as_deref()
                        .map(text::markdown_line)
                        .filter(|d| !d.is_empty()),
                })
                .collect(),
            gated: api.features.is_some(),
            features: api
                .features
                .iter()
                .flat_map(|features| &features.list)
                .map(|feature| FeatureItem {
                    name: feature.name.clone(),
                    tags: feature
                        .tags
                        .iter()
                        // A `|` would end the table cell, even in a code span.
                        .map(|tag| text::code_span(tag).replace('|', "\\|"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    operations: feature.operations,
                })
                .collect(),
            operation_features: Vec::new(),
            recursion_limit: crate::resolve::depth::recursion_limit(api.nesting_depth),
            example_type: example_type.as_ref().map(|(def, _)| def.name.clone()),
            example_type_cfg: example_type
                .as_ref()
                .and_then(|(_, gate)| gate.as_ref())
                .map(Predicate::text),
            example: example_operation.map(|(op, gate)| {
                let module = format!("types::operations::{}", op.name);
                let parameters = format!("{module}::Parameters");
                let server_body = crate::emit::server::request_body(op)
                    .map(|tokens| crate::emit::type_text(&tokens));
                let request = match (&server_body, &op.request_body) {
                    (Some(body), Some(rb)) if !rb.required => {
                        format!("Request<{parameters}, Option<{body}>>")
                    }
                    (Some(body), _) => format!("Request<{parameters}, {body}>"),
                    _ => format!("Request<{parameters}>"),
                };
                let body = crate::emit::client::example_body_parameter(op);
                let mut call_args = Vec::new();
                let mut call_parameters = Vec::new();
                call_args.push("parameters".to_owned());
                call_parameters.push(format!("parameters: &{parameters}"));
                if let Some(body) = &body {
                    call_args.push("body".to_owned());
                    call_parameters.push(body.clone());
                }
                let mut client_parameters = credential_parameters.clone();
                client_parameters.extend(call_parameters.iter().cloned());
                let mut imports = Vec::new();
                if client_parameters.iter().any(|p| p.contains("reqwest::")) {
                    imports.push("reqwest");
                }
                imports.push("types");
                imports.extend(["Client", "Error"]);
                Example {
                    name: op.name.clone(),
                    cfg: gate.map(|gate| gate.text()),
                    request,
                    client_imports: imports.join(", "),
                    client_parameters,
                    call_parameters,
                    call_args: call_args.join(", "),
                }
            }),
            base_url: text::rust_string(base_url),
            credential_example,
            server_generated: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::emit::types::tests::sample_api;

    /// The files rendered for `api` with `config`, the crates named `pets`,
    /// with the needs the emitters report.
    fn render_with(api: &Api, config: &Config) -> Result<Vec<(PathBuf, String)>, Error> {
        let crates = CrateNames::new("pets");
        let needs = crate::emit::emit(api, &crates, config, &mut Vec::new()).needs;
        render(api, &crates, &needs, config, "pets.yaml")
    }

    fn render_map(api: &Api) -> BTreeMap<String, String> {
        render_with(api, &Config::default())
            .expect("templates render")
            .into_iter()
            .map(|(path, text)| (path.to_string_lossy().into_owned(), text))
            .collect()
    }

    /// The `[package]` table of a manifest, read back the way Cargo would
    /// see its strings (a small reader for the lines the templates write).
    fn package_value(manifest: &str, key: &str) -> String {
        let line = manifest
            .lines()
            .find(|l| l.starts_with(&format!("{key} = ")))
            .unwrap_or_else(|| panic!("no {key} in\n{manifest}"));
        let quoted = &line[key.len() + 3..];
        let value: String = serde_json::from_str(quoted)
            .unwrap_or_else(|e| panic!("{key} is not one quoted string ({e}): {quoted}"));
        value
    }

    #[test]
    fn versions_fall_back_unless_semver() {
        assert_eq!(crate_version("4.43.0"), "4.43.0");
        assert_eq!(crate_version("1.0.0-beta.1"), "1.0.0-beta.1");
        assert_eq!(crate_version(" 2.0.0 "), "2.0.0");
        for bad in [
            "2019-07-01",
            "9.66.02.1023",
            "1.0",
            "v1.2.3",
            "01.2.3",
            "1.2.3-",
            "1.2.3-01",
            "1.2.3+build",
            "1.2.3-a..b",
            "99999999999999999999.0.0",
            "",
        ] {
            assert_eq!(crate_version(bad), FALLBACK_VERSION, "{bad}");
        }
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string("a \"b\" \\ c".to_owned()), r#""a \"b\" \\ c""#);
        assert_eq!(toml_string("x\ny\u{7}".to_owned()), r#""x\ny\u0007""#);
    }

    #[test]
    fn manifests_escape_the_title_and_fall_back_for_odd_versions() {
        let mut api = sample_api();
        api.title = "Evil \"title\"\n[dependencies]\nx = 1 \\".to_owned();
        api.version = "2019-07-01".to_owned();
        let files = render_map(&api);
        for crate_kind in ["types", "server", "client"] {
            let manifest = &files[&format!("pets-{crate_kind}/Cargo.toml")];
            assert_eq!(package_value(manifest, "version"), "0.1.0", "{manifest}");
            let description = package_value(manifest, "description");
            assert!(
                description.contains("Evil \"title\" [dependencies] x = 1 \\"),
                "{description}"
            );
            assert!(!description.contains('\n'));
            // The title's `[dependencies]` stayed inside the string.
            assert_eq!(manifest.matches("[dependencies]").count(), 2, "{manifest}");
        }
        api.version = "9.66.02.1023".to_owned();
        let files = render_map(&api);
        assert_eq!(
            package_value(&files["pets-types/Cargo.toml"], "version"),
            "0.1.0"
        );
    }

    #[test]
    fn descriptions_are_bounded() {
        let mut api = sample_api();
        api.title = "word ".repeat(200);
        let files = render_map(&api);
        let description = package_value(&files["pets-client/Cargo.toml"], "description");
        assert!(description.chars().count() <= 200, "{description}");
        assert!(description.contains("word word..."), "{description}");
    }

    /// One feature per tag in the types and client crates (the client's
    /// forwarding), `components` in the types crate only, all of them in
    /// the server's dependency, the README's table; none in the build
    /// step's modules.
    #[test]
    fn features_are_declared_forwarded_and_listed() {
        let mut api = crate::test_support::api(include_str!("../../tests/fixtures/features.yaml"));
        let hashed = crate::resolve::usage::feature_name("管理");
        let files = render_map(&api);
        let types = &files["pets-types/Cargo.toml"];
        let tags = format!("\"orders\", \"pet-store\", \"{hashed}\", \"tag-default\"");
        assert!(
            types.contains(&format!(
                "default = [\"client\", \"server\", \"components\", {tags}]"
            )),
            "{types}"
        );
        assert!(types.contains("\nclient = []\n") && types.contains("\ncomponents = []\n"));
        let client = &files["pets-client/Cargo.toml"];
        assert!(client.contains("default-features = false, features = [\"client\"] }"));
        assert!(client.contains(&format!("default = [{tags}]")), "{client}");
        assert!(
            client.contains("\npet-store = [\"pets-types/pet-store\"]\n"),
            "{client}"
        );
        assert!(!client.contains("components"), "{client}");
        let server = &files["pets-server/Cargo.toml"];
        assert!(
            server.contains(&format!("features = [\"server\", {tags}] }}")),
            "{server}"
        );
        let readme = &files["pets-client/README.md"];
        assert!(
            readme.contains("| `pet-store` | `Pet Store` | 3 |"),
            "{readme}"
        );
        assert!(
            readme.contains("| `tag-default` | `default` | 1 |"),
            "{readme}"
        );
        assert!(!readme.contains("`components`"), "{readme}");
        let readme = &files["pets-types/README.md"];
        assert!(readme.contains("| `components` | none: "), "{readme}");

        api.features = None;
        let files = render_map(&api);
        assert!(!files["pets-types/Cargo.toml"].contains("[features]"));
        assert!(!files["pets-client/Cargo.toml"].contains("default ="));
        assert!(!files["pets-client/README.md"].contains("## Features"));
    }

    /// With every type and operation behind a tag feature (a type every
    /// feature reaches always compiles, hence two tags), the examples
    /// (doctests, compiled with any set of features) say which features
    /// they need, and the client's crate docs link its first method only
    /// in the builds that have it.
    #[test]
    fn examples_of_gated_items_say_their_features() {
        let api = crate::test_support::api(&crate::test_support::with_paths(
            "\n  /pets:\n    get:\n      operationId: listPets\n      tags: [pets]\n      \
             responses:\n        '200':\n          description: The pets\n          \
             content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}\n  \
             /ping:\n    get:\n      operationId: ping\n      tags: [health]\n      \
             responses: {'204': {description: Up}}\n\
             components:\n  schemas:\n    Pet:\n      type: object\n      \
             properties: {name: {type: string}}\n",
        ));
        let files = render_map(&api);
        let types = &files["pets-types/README.md"];
        assert!(
            types.contains(
                "```rust\n#[cfg(all(any(feature = \"components\", feature = \"pets\"), any(feature = \"client\", not(feature = \"server\"))))]\n\
                 /// Reads one `Pet` from JSON text."
            ),
            "{types}"
        );
        let client = &files["pets-client/README.md"];
        assert_eq!(
            client
                .matches("#[cfg(feature = \"pets\")]\nasync fn call")
                .count(),
            2,
            "{client}"
        );
        let crates = CrateNames::new("pets");
        let generated = crate::emit::emit(&api, &crates, &Config::default(), &mut Vec::new());
        let (_, lib) = generated
            .files
            .iter()
            .find(|(path, _)| path.ends_with("pets-client/src/lib.rs"))
            .expect("the client's lib.rs");
        assert!(
            crate::test_support::has(
                lib,
                "#![cfg_attr(feature = \"pets\", doc = \" Then call one method per operation, e.g. [`Client::list_pets`]."
            ) && crate::test_support::has(
                lib,
                "#![cfg_attr(not(feature = \"pets\"), doc = \" Then call one method per operation, e.g. `Client::list_pets`."
            ),
            "{lib}"
        );

        // An operation and a type that always compile are the examples.
        let api = crate::test_support::api(include_str!("../../tests/fixtures/features.yaml"));
        let files = render_map(&api);
        let types = &files["pets-types/README.md"];
        assert!(
            types.contains("```rust\n/// Reads one `Health` from JSON text."),
            "{types}"
        );
        let client = &files["pets-client/README.md"];
        assert!(!client.contains("#[cfg("), "{client}");
        assert!(client.contains("client.health(parameters)"), "{client}");
    }

    #[test]
    fn dependencies_follow_what_is_used() {
        let files = render_map(&sample_api());
        let types = &files["pets-types/Cargo.toml"];
        assert!(types.contains("serde = { version = \"1.0.181\", features = [\"derive\"] }"));
        assert!(types.contains("uuid = { version = \"1\", features = [\"serde\"] }"));
        assert!(types.contains("chrono = { version = \"0.4\""));
        assert!(types.contains("serde_json = \"1\""));
        let server = &files["pets-server/Cargo.toml"];
        // The server turns on the types crate's `server` side and every
        // tag (see docs/generated-code.md, "Features").
        assert!(
            server.contains(
                "pets-types = { path = \"../pets-types\", version = \"=1.0.0\", \
                 default-features = false, features = [\"server\""
            ),
            "{server}"
        );
        // Parameters are parsed through serde: only body types the server
        // spells out would need a dependency, and here those are all named.
        assert!(!server.contains("uuid = "), "{server}");
        assert!(!server.contains("chrono"), "{server}");
        let client = &files["pets-client/Cargo.toml"];
        assert!(client.contains("reqwest = { version = \"0.13\", default-features = false"));
        // The client serializes parameters through serde; only the body
        // types its methods spell out would need a dependency.
        assert!(!client.contains("uuid = "), "{client}");

        // A body the methods spell out as `Vec<uuid::Uuid>`.
        let mut api = sample_api();
        if let Some(body) = api
            .operations
            .iter_mut()
            .find_map(|op| op.request_body.as_mut())
        {
            body.contents[0].payload = crate::model::Payload::Json(crate::model::TypeRef::Array(
                Box::new(crate::model::TypeRef::Uuid),
            ));
        }
        let files = render_map(&api);
        assert!(files["pets-server/Cargo.toml"].contains("uuid = "));
        assert!(files["pets-client/Cargo.toml"].contains("uuid = "));

        let api = Api {
            types: vec![],
            operations: vec![],
            security_schemes: vec![],
            features: None,
            ..sample_api()
        };
        let files = render_map(&api);
        let types = &files["pets-types/Cargo.toml"];
        for dependency in ["uuid", "chrono", "serde_json"] {
            assert!(!types.contains(dependency), "{types}");
        }
    }

    #[test]
    fn readmes_list_operations_and_show_usage() {
        let files = render_map(&sample_api());
        let server = &files["pets-server/README.md"];
        assert!(server.starts_with("# pets-server\n"), "{server}");
        assert!(
            server.contains("Generated by apiforge from `pets.yaml`."),
            "{server}"
        );
        assert!(
            server.contains("- `GET /pets/{pet_id}` — Get a pet (`get_pet`)\n"),
            "{server}"
        );
        assert!(server.contains("- `POST /pets` (`add_pet`)\n"), "{server}");
        assert!(
            server.contains("request: Request<types::operations::get_pet::Parameters>,"),
            "{server}"
        );
        let client = &files["pets-client/README.md"];
        assert!(
            client.contains("Client::new(\"http://localhost:8080\")?"),
            "{client}"
        );
        assert!(client.contains("api_key: Some(secret),"), "{client}");
        // The snippet is a function taking what the call needs, so it
        // compiles for any operation.
        assert!(
            client.contains(
                "async fn call(\n    secret: String,\n    \
                 parameters: &types::operations::get_pet::Parameters,\n) -> Result<(), Error> {"
            ),
            "{client}"
        );
        assert!(
            client.contains("let response = client.get_pet(parameters).await?;"),
            "{client}"
        );
        let types = &files["pets-types/README.md"];
        assert!(
            types.contains(
                "fn read(text: &str) -> Result<pets_types::ErrorResponse, serde_json::Error> {"
            ),
            "{types}"
        );
        assert!(
            types.contains("## The API\n\nA store of pets.\n"),
            "{types}"
        );
        for (path, text) in &files {
            assert!(
                text.ends_with('\n') && !text.ends_with("\n\n"),
                "{path}:\n{text}"
            );
            assert!(!text.contains("\n\n\n"), "{path}:\n{text}");
        }
    }

    /// `[package]`: each key set is written into every manifest, a fixed
    /// version replaces `info.version` (also in the exact requirement on
    /// the types crate); unset keys write nothing.
    #[test]
    fn package_settings_reach_every_manifest() {
        let config = Config::from_toml(
            "[package]\nversion = \"2.5.0\"\nlicense = \"MIT\"\n\
             repository = \"https://example.com/\\\"pets\"\npublish = false\n",
            std::path::Path::new("apiforge.toml"),
        )
        .expect("config");
        let files: BTreeMap<String, String> = render_with(&sample_api(), &config)
            .expect("renders")
            .into_iter()
            .map(|(path, text)| (path.to_string_lossy().into_owned(), text))
            .collect();
        for kind in ["types", "server", "client"] {
            let manifest = &files[&format!("pets-{kind}/Cargo.toml")];
            assert_eq!(package_value(manifest, "version"), "2.5.0");
            assert_eq!(package_value(manifest, "license"), "MIT");
            assert_eq!(
                package_value(manifest, "repository"),
                "https://example.com/\"pets"
            );
            assert!(manifest.contains("\npublish = false\n"), "{manifest}");
        }
        assert!(files["pets-client/Cargo.toml"].contains("version = \"=2.5.0\""));

        let publishable = Config::from_toml(
            "[package]\npublish = true\n",
            std::path::Path::new("apiforge.toml"),
        )
        .expect("config");
        let with = render_with(&sample_api(), &publishable).expect("renders");
        let without = render_map(&sample_api());
        for (path, text) in with {
            let path = path.to_string_lossy().into_owned();
            assert_eq!(text, without[&path], "{path}");
            assert!(!text.contains("publish") && !text.contains("license = "));
        }
    }

    /// `[parts]`: only the crates wanted are rendered; the types whenever
    /// the client or the server is.
    #[test]
    fn parts_not_wanted_are_not_rendered() {
        let crates_of = |toml: &str| -> Vec<String> {
            let config =
                Config::from_toml(toml, std::path::Path::new("apiforge.toml")).expect("config");
            let mut crates: Vec<String> = render_with(&sample_api(), &config)
                .expect("renders")
                .into_iter()
                .filter(|(path, _)| path.ends_with("Cargo.toml"))
                .map(|(path, _)| path.to_string_lossy().into_owned())
                .collect();
            crates.sort();
            crates
        };
        assert_eq!(
            crates_of("[parts]\nserver = false\n"),
            ["pets-client/Cargo.toml", "pets-types/Cargo.toml"]
        );
        assert_eq!(
            crates_of("[parts]\ntypes = false\nclient = false\n"),
            ["pets-server/Cargo.toml", "pets-types/Cargo.toml"]
        );
        assert_eq!(
            crates_of("[parts]\nclient = false\nserver = false\n"),
            ["pets-types/Cargo.toml"]
        );
        assert!(crates_of("[parts]\ntypes = false\nclient = false\nserver = false\n").is_empty());
    }

    #[test]
    fn renders_an_api_with_nothing_in_it() {
        let api = Api {
            title: String::new(),
            version: String::new(),
            description: None,
            servers: vec![],
            types: vec![],
            operations: vec![],
            security_schemes: vec![],
            features: None,
            nesting_depth: 0,
            std_derives: Default::default(),
        };
        let files = render_map(&api);
        assert_eq!(files.len(), 9);
        assert!(files["pets-types/Cargo.toml"].contains("Serde types for an API"));
        assert!(!files["pets-client/README.md"].contains("## Usage"));
    }
}
