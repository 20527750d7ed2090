//! What the unit tests share: a model from a small spec written inline, made
//! as the pipeline makes it, so tests read like the specs they stand for.

use crate::error::Error;
use crate::model::{Api, Warning};

/// A parsed path template for operations built by hand.
pub(crate) use crate::resolve::path_template;

/// Loads and resolves a spec given as YAML (or JSON) text, with the default
/// configuration.
pub(crate) fn try_resolve(text: &str) -> Result<(Api, Vec<Warning>), Error> {
    let document = crate::load::parse(text.to_owned())?;
    crate::resolve::resolve(&document, &crate::Config::default())
}

/// The model and warnings of a spec that must load and resolve.
pub(crate) fn resolve_yaml(text: &str) -> (Api, Vec<Warning>) {
    try_resolve(text).unwrap_or_else(|error| panic!("the test spec does not resolve: {error}"))
}

/// The model of a spec that must load and resolve.
pub(crate) fn api(text: &str) -> Api {
    resolve_yaml(text).0
}

/// A spec of the given `paths` (YAML, indented under the key) and whatever
/// top-level keys follow them, with the `openapi` and `info` every spec needs.
pub(crate) fn with_paths(paths: &str) -> String {
    format!("openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths:{paths}")
}

/// Whitespace-insensitive `contains`, so that assertions on generated code
/// do not depend on how prettyplease breaks lines.
pub(crate) fn has(haystack: &str, needle: &str) -> bool {
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    squash(haystack).contains(&squash(needle))
}
