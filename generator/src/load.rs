//! Load: read a spec file (YAML or JSON) into an `openapiv3` document.
//!
//! The raw tree is kept beside the typed document: `openapiv3` cannot type
//! every schema real specs contain, and errors must name the place they are
//! about. YAML is a superset of JSON, so one parser reads both; line numbers
//! come from a light scan of the text (see [`Document::line_of`]).

use std::path::Path;

use serde_json::Value;

use crate::error::Error;

/// A parsed spec.
#[derive(Debug, Clone)]
pub struct Document {
    /// The typed document.
    pub openapi: openapiv3::OpenAPI,
    /// The same document as a plain JSON tree.
    pub raw: Value,
    /// The text it was read from, for line numbers.
    pub text: String,
}

/// Reads and parses the spec at `path`.
pub fn load(path: &Path) -> Result<Document, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::other(format!("cannot read {}: {e}", path.display())))?;
    parse(text)
}

/// Parses spec text (YAML or JSON).
pub fn parse(text: String) -> Result<Document, Error> {
    let raw: Value = if text.trim_start().starts_with('{') {
        serde_json::from_str(&text).map_err(|e| Error {
            pointer: Some(String::new()),
            line: Some(e.line()),
            message: format!("invalid JSON: {e}"),
        })?
    } else {
        serde_yaml::from_str(&text).map_err(|e| Error {
            pointer: Some(String::new()),
            line: e.location().map(|l| l.line()),
            message: format!("invalid YAML: {e}"),
        })?
    };
    check_version(&raw)?;
    let openapi: openapiv3::OpenAPI = serde_json::from_value(raw.clone())
        .map_err(|e| Error::at("#", format!("not a valid OpenAPI 3.0 document: {e}")))?;
    Ok(Document { openapi, raw, text })
}

/// Only OpenAPI 3.0.x is read. 3.1 changed the schema dialect (type arrays,
/// `null`, `const`, ...); reading it as 3.0 would silently misread types.
fn check_version(raw: &Value) -> Result<(), Error> {
    let Some(object) = raw.as_object() else {
        return Err(Error::at("#", "the document is not an object"));
    };
    match object.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0") => Ok(()),
        Some(Value::String(v)) if v.starts_with("3.1") => Err(Error::at(
            "#/openapi",
            format!("OpenAPI {v} is not supported yet (only 3.0.x)"),
        )),
        Some(Value::String(v)) => Err(Error::at(
            "#/openapi",
            format!("OpenAPI version {v} is not supported (only 3.0.x)"),
        )),
        Some(_) => Err(Error::at(
            "#/openapi",
            "`openapi` must be a string such as \"3.0.3\"",
        )),
        None if object.contains_key("swagger") => Err(Error::at(
            "#/swagger",
            "Swagger 2.0 is not supported; convert the document to OpenAPI 3.0 first",
        )),
        None => Err(Error::at("#", "missing `openapi` version field")),
    }
}

impl Document {
    /// The node at a JSON pointer (`#/a/b` or `/a/b`), if it exists.
    pub fn node(&self, pointer: &str) -> Option<&Value> {
        self.raw.pointer(pointer.trim_start_matches('#'))
    }

    /// Best-effort line of the node a pointer names, by finding its keys in
    /// order in the text. Good enough to point a reader at the place; `None`
    /// when a key cannot be found.
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        let mut offset = 0;
        for token in pointer
            .trim_start_matches('#')
            .split('/')
            .filter(|t| !t.is_empty())
        {
            let token = token.replace("~1", "/").replace("~0", "~");
            let rest = &self.text[offset..];
            let found = [
                format!("\"{token}\""),
                format!("'{token}'"),
                format!("{token}:"),
            ]
            .iter()
            .filter_map(|needle| rest.find(needle.as_str()))
            .min()?;
            offset += found + 1;
        }
        Some(self.text[..offset].matches('\n').count() + 1)
    }

    /// An error at `pointer`, with its line when it can be found.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error {
            pointer: Some(pointer.to_owned()),
            line: self.line_of(pointer),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_openapi_31() {
        let e = parse("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n".into())
            .unwrap_err();
        assert_eq!(e.pointer.as_deref(), Some("#/openapi"));
        assert!(e.message.contains("3.1.0 is not supported yet"), "{e}");
    }

    #[test]
    fn invalid_yaml_has_a_line() {
        let e = parse("openapi: 3.0.3\ninfo: [\n".into()).unwrap_err();
        assert!(e.line.is_some(), "{e}");
    }

    #[test]
    fn finds_lines_of_pointers() {
        let doc = parse(
            "openapi: 3.0.3\ninfo:\n  title: t\n  version: '1'\npaths:\n  /a:\n    get:\n      responses: {}\n"
                .into(),
        )
        .unwrap();
        assert_eq!(doc.line_of("#/paths/~1a/get"), Some(7));
    }
}
