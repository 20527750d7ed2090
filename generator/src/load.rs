//! Load: read a spec file (YAML or JSON) into an `openapiv3` document.
//!
//! The raw tree is kept beside the typed document: `openapiv3` cannot type
//! every schema real specs contain, and errors must name the place they are
//! about. Every error names the JSON pointer of its node and, when the node
//! is in the text, its line and column: parse errors carry the path the
//! parser had reached (tracked with `serde_path_to_error`), and
//! [`location_of`] finds any node by reading the text again with the same
//! parser, so JSON, block YAML, flow YAML and aliases are all located alike.
//!
//! Hostile input ends in an error, in time linear in its size, never a
//! crash: text that is not UTF-8 is rejected before parsing; both parsers
//! stop at 128 levels of nesting (so nothing later recurses deeper), and
//! YAML nested too deep is only read as far as that (libyaml's time grows
//! with the square of flow nesting); YAML aliases cannot expand without bound
//! (serde_yaml's repetition limit); and the typed document is read part by
//! part from the innermost out (`load/typed.rs`), where `openapiv3` alone
//! would take time exponential in how deep a mistake is.
//!
//! A spec split over several files is bundled into one tree right after the
//! root spec is parsed (`load/bundle.rs`), before the rest of loading reads
//! it; [`Origins`] then takes a pointer of the tree read back to the file
//! and the pointer where the node was written.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{pointer_push, pointer_tokens, Error};
use crate::model::Warning;

mod bundle;
mod locate;
mod mistyped;
mod openapi31;
mod tree;
mod typed;

pub(crate) use bundle::decode_percent;
pub use bundle::SourceFile;
pub use locate::location_of;

/// How deep a document may nest: the recursion limit serde_json and
/// serde_yaml both enforce.
pub const MAX_NESTING: usize = 128;

/// A parsed spec.
#[derive(Debug, Clone)]
pub struct Document {
    /// The typed document.
    pub openapi: openapiv3::OpenAPI,
    /// The same document as a plain JSON tree.
    pub raw: Value,
    /// The text of the root spec, for line numbers.
    pub text: String,
    /// Where the nodes of `raw` were written: in which file (a split spec's
    /// other files are bundled into `raw`), and where in it (a 3.1 document
    /// is rewritten into 3.0 before it is read).
    pub origins: Origins,
    /// What loading could not represent exactly (3.1 keywords with no 3.0
    /// shape), named by pointers of the document as written.
    pub warnings: Vec<crate::model::Warning>,
}

/// Where the nodes of a document's tree were written.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// How a 3.1 document was rewritten (empty for 3.0).
    rewrites: openapi31::Origins,
    /// The files of the spec, and where the nodes copied from the root
    /// spec's other files were.
    sources: bundle::Sources,
}

impl Origins {
    /// The file (`None`: the root spec) and the pointer in it, as written,
    /// of the node `pointer` names in the tree read.
    pub fn place(&self, pointer: &str) -> (Option<&SourceFile>, String) {
        self.sources.place(&self.rewrites.original(pointer))
    }

    /// Points `warnings` made on the tree read at the nodes as written: in
    /// another file than the root spec, the pointer is preceded by the
    /// file's path (`schemas/order.yaml#/Order/properties/id`).
    pub fn restore(&self, warnings: &mut [Warning]) {
        if self.rewrites.is_empty() && self.sources.is_single_file() {
            return;
        }
        for warning in warnings {
            warning.pointer = self.written(&warning.pointer);
        }
    }

    /// `pointer`, or `file#pointer` in another file than the root spec.
    fn written(&self, pointer: &str) -> String {
        match self.place(pointer) {
            (None, pointer) => pointer,
            (Some(file), pointer) => format!("{}{pointer}", file.name),
        }
    }

    /// Every file read: the root spec (unless its text was given), then the
    /// files its `$ref`s led to.
    pub fn files_read(&self) -> Vec<PathBuf> {
        self.sources.paths()
    }
}

/// Reads and parses the spec at `path`, and the files its `$ref`s lead to.
pub fn load(path: &Path) -> Result<Document, Error> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::other(format!("cannot read {}: {e}", path.display())))?;
    parse_file(decode(bytes)?, Some(path))
}

/// The text of a file, which must be UTF-8 (a byte order mark is dropped).
fn decode(bytes: Vec<u8>) -> Result<String, Error> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::at("#", "the file is UTF-16 text; save it as UTF-8"));
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
            let column =
                valid.len() - valid.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1) + 1;
            Err(Error {
                file: None,
                pointer: Some("#".to_owned()),
                line: Some(line),
                column: Some(column),
                message: format!(
                    "not a text file: byte {} (0x{:02x}) is not UTF-8; a spec is YAML or JSON text in UTF-8",
                    valid.len(),
                    e.as_bytes()[valid.len()]
                ),
            })
        }
    }
}

/// Parses spec text (YAML or JSON), which can refer to no other file.
pub fn parse(text: String) -> Result<Document, Error> {
    parse_file(text, None)
}

/// Parses the text of the spec file at `path` (`None`: text from memory).
fn parse_file(text: String, path: Option<&Path>) -> Result<Document, Error> {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    if text.trim().is_empty() {
        return Err(Error::at("#", "the document is empty"));
    }
    let mut raw = parse_tree(&text)?;
    let version = check_version(&raw).map_err(|e| locate(e, &text))?;
    let sources = bundle::bundle(&mut raw, &text, path)?;
    let (rewrites, mut warnings) = match version {
        Version::V30 => (openapi31::Origins::default(), Vec::new()),
        Version::V31 => {
            let normalised = openapi31::normalise(&mut raw);
            (normalised.origins, normalised.warnings)
        }
    };
    let origins = Origins { rewrites, sources };
    // The rewrite's warnings name nodes of the bundled tree as written.
    if !origins.sources.is_single_file() {
        for warning in &mut warnings {
            warning.pointer = match origins.sources.place(&warning.pointer) {
                (None, pointer) => pointer,
                (Some(file), pointer) => format!("{}{pointer}", file.name),
            };
        }
    }
    // A keyword of the wrong type whose loss only weakens checks or docs is
    // dropped, with a warning, and the document read again
    // (`load/mistyped.rs`); any other mistake is the error.
    let mut dropped = 0;
    let openapi = loop {
        let e = match typed::openapi(&mut raw, version.name()) {
            Ok(openapi) => break openapi,
            Err(e) => e,
        };
        let Some(pointer) = &e.pointer else {
            return Err(e);
        };
        let found = mistyped::drop_keywords(&mut raw, pointer, version.name());
        if found.is_empty() || dropped + found.len() > mistyped::MAX_DROPS {
            return Err(origins.error_at(pointer, e.message, &text));
        }
        dropped += found.len();
        warnings.extend(found.into_iter().map(|mut warning| {
            warning.pointer = origins.written(&warning.pointer);
            warning
        }));
    };
    Ok(Document {
        openapi,
        raw,
        text,
        origins,
        warnings,
    })
}

/// Reads the node at `pointer` (anywhere in the document, e.g. where a `$ref`
/// leads) as an `openapiv3` `T`, in time linear in its size like the whole
/// document (`openapiv3` alone may take time exponential in how deep a
/// mistake is); `Err` with the pointer of what does not fit, and the
/// message.
pub fn read<T: serde::de::DeserializeOwned + 'static>(
    node: &Value,
    pointer: &str,
) -> Result<T, (String, String)> {
    typed::part(node, &pointer_tokens(pointer)).map_err(|(path, message)| {
        let pointer = path
            .iter()
            .fold(pointer.to_owned(), |p, t| pointer_push(&p, t));
        (pointer, message)
    })
}

/// Fills in the line and column of an error's pointer, when it has none.
fn locate(mut error: Error, text: &str) -> Error {
    if let (Some(pointer), None) = (&error.pointer, error.line) {
        if let Some((line, column)) = location_of(text, pointer) {
            error.line = Some(line);
            error.column = Some(column);
        }
    }
    error
}

/// Whether text is read as JSON first: it starts like a JSON object or
/// array. YAML is a superset of JSON, so YAML is the fallback either way;
/// serde_json is faster and says more precisely what is wrong with JSON.
fn looks_like_json(text: &str) -> bool {
    matches!(text.trim_start().chars().next(), Some('{' | '['))
}

/// The document as a JSON tree.
fn parse_tree(text: &str) -> Result<Value, Error> {
    if looks_like_json(text) {
        // A YAML flow mapping (`{openapi: 3.0.3, ...}`) also starts with `{`:
        // text whose keys are not JSON strings gets a second reading as
        // YAML, and when that fails too, the JSON error is the one that
        // helps.
        return match parse_json(text) {
            Ok(value) => Ok(value),
            Err((e, true)) => parse_yaml(text).map_err(|_| e),
            Err((e, false)) => Err(e),
        };
    }
    parse_yaml(text)
}

/// `Err` says whether the text might be YAML: JSON found a key that is not
/// a string (YAML's plain or single-quoted keys). Other JSON errors are
/// mistakes in JSON, which YAML would only misread (it takes `"a": }` for
/// a null, and a missing comma for a longer string).
fn parse_json(text: &str) -> Result<Value, (Error, bool)> {
    let mut de = serde_json::Deserializer::from_str(text);
    let tree::Tree(value) = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let pointer = pointer_of(e.path());
        json_error(pointer, &e.into_inner())
    })?;
    de.end().map_err(|e| json_error("#".to_owned(), &e))?;
    Ok(value)
}

fn json_error(pointer: String, e: &serde_json::Error) -> (Error, bool) {
    let known = |n: usize| (n > 0).then_some(n);
    let message = parser_message(&e.to_string());
    let yaml_keys = message.starts_with("key must be a string");
    let error = Error {
        file: None,
        pointer: Some(pointer),
        line: known(e.line()),
        column: known(e.column()),
        message: format!("invalid JSON: {message}"),
    };
    (error, yaml_keys)
}

fn parse_yaml(text: &str) -> Result<Value, Error> {
    // libyaml takes time quadratic in how deep flow collections nest (it
    // rescans every open level at each token), and the nesting limit only
    // applies after it has read the whole text. Read only up to where the
    // nesting is clearly too deep: the limit is hit there.
    if let Some(end) = deep_flow_end(text, MAX_NESTING + 2) {
        if let Err(e) = parse_yaml_text(&text[..end]) {
            if e.message.ends_with(NESTED_TOO_DEEP) {
                return Err(e);
            }
        }
    }
    parse_yaml_text(text)
}

/// Where the `[` or `{` that opens flow level `limit` ends, if there is one.
/// A light scan that knows quotes and comments but not all of YAML: it only
/// decides how much text is worth reading, never what the text means.
fn deep_flow_end(text: &str, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    // Whether a scalar or collection may start here (after indentation,
    // `- `, `: `, `? `, or inside a flow collection after `[`, `{` or `,`).
    let mut node_start = true;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\n' => node_start = true,
            b' ' | b'\t' | b'\r' => {}
            b'#' if i == 0 || bytes[i - 1].is_ascii_whitespace() => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' if node_start => {
                // A quoted scalar: to its closing quote (`\"` escapes in
                // double quotes, `''` in single quotes).
                i += 1;
                while i < bytes.len() {
                    if c == b'"' && bytes[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if bytes[i] == c {
                        if c == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                node_start = false;
            }
            b'[' | b'{' if node_start || depth > 0 => {
                depth += 1;
                if depth >= limit {
                    return Some(i + 1);
                }
                node_start = true;
            }
            b']' | b'}' if depth > 0 => {
                depth -= 1;
                node_start = false;
            }
            b',' if depth > 0 => node_start = true,
            b'-' | b'?' | b':' if bytes.get(i + 1).map_or(true, u8::is_ascii_whitespace) => {
                node_start = true;
            }
            _ => node_start = false,
        }
        i += 1;
    }
    None
}

/// How a parser's recursion limit reads in an error.
const NESTED_TOO_DEEP: &str = "levels deep";

fn parse_yaml_text(text: &str) -> Result<Value, Error> {
    let de = serde_yaml::Deserializer::from_str(text);
    serde_path_to_error::deserialize(de)
        .map(|tree::Tree(value)| value)
        .map_err(|e| {
            let pointer = pointer_of(e.path());
            let e = e.into_inner();
            let message = e.to_string();
            let location = e.location();
            let mut error = Error {
                file: None,
                pointer: Some(pointer),
                line: location.as_ref().map(|l| l.line()),
                column: location.as_ref().map(|l| l.column()),
                message: format!("invalid YAML: {}", parser_message(&message)),
            };
            if message.contains("more than one document") {
                error.message = "invalid YAML: the file holds more than one document".to_owned();
                error.line = second_document_line(text);
            } else if message.contains("invalid type: enum") {
                // serde_yaml hands a node with a tag it does not know over as an
                // enum.
                error.message = "invalid YAML: tags (`!name`) are not supported".to_owned();
            }
            if error.line.is_none() {
                // Some errors have no position (the repetition limit).
                error = locate(error, text);
            }
            error
        })
}

/// The line of the `---` that starts a second YAML document.
fn second_document_line(text: &str) -> Option<usize> {
    let mut content = false;
    for (i, line) in text.lines().enumerate() {
        let marker = line == "---" || line.starts_with("--- ") || line.starts_with("---\t");
        if marker && content {
            return Some(i + 1);
        }
        let trimmed = line.trim();
        if !marker && !trimmed.is_empty() && !trimmed.starts_with('#') && !line.starts_with('%') {
            content = true;
        }
    }
    None
}

/// A parser's message without what the error already says elsewhere: the
/// first ` at line L column C` (the error has its own line and column), and
/// serde_yaml's dotted path before the message (the pointer says it). A
/// recursion limit is said in the spec's terms.
fn parser_message(message: &str) -> String {
    if message.starts_with("recursion limit exceeded") {
        return format!("nested more than {MAX_NESTING} {NESTED_TOO_DEEP}");
    }
    let mut message = message.to_owned();
    if let Some(at) = message.find(" at line ") {
        let rest = &message[at + " at line ".len()..];
        let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let line_len = digits(rest);
        if line_len > 0 {
            if let Some(after) = rest[line_len..].strip_prefix(" column ") {
                let end = at + " at line ".len() + line_len + " column ".len() + digits(after);
                message.replace_range(at..end, "");
            }
        }
    }
    match message.split_once(": ") {
        Some((path, rest)) if !path.is_empty() && !path.contains(char::is_whitespace) => {
            rest.to_owned()
        }
        _ => message,
    }
}

/// The JSON pointer of the place a deserializer had reached.
fn pointer_of(path: &serde_path_to_error::Path) -> String {
    tokens_of(path)
        .iter()
        .fold("#".to_owned(), |pointer, token| {
            pointer_push(&pointer, token)
        })
}

/// The reference tokens of the place a deserializer had reached, as far as
/// it could tell.
fn tokens_of(path: &serde_path_to_error::Path) -> Vec<String> {
    use serde_path_to_error::Segment;
    let mut tokens = Vec::new();
    for segment in path {
        match segment {
            Segment::Seq { index } => tokens.push(index.to_string()),
            Segment::Map { key } | Segment::Enum { variant: key } => tokens.push(key.clone()),
            Segment::Unknown => break,
        }
    }
    tokens
}

/// The OpenAPI versions read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    /// 3.0.x, read as it is.
    V30,
    /// 3.1.x, rewritten into 3.0 first (`load/openapi31.rs`): it changed
    /// the schema dialect (type arrays, `null`, `const`, ...), which read as
    /// 3.0 would silently misread types.
    V31,
}

impl Version {
    /// How errors name it.
    fn name(self) -> &'static str {
        match self {
            Version::V30 => "3.0",
            Version::V31 => "3.1",
        }
    }
}

/// Which version the document is: 3.0.x or 3.1.x (3.1.0 and 3.1.1; later
/// patch releases only correct the text of the specification). Others are
/// refused: a later version may mean things this reader would misread.
fn check_version(raw: &Value) -> Result<Version, Error> {
    let object = match raw {
        Value::Object(object) => object,
        Value::Array(_) => {
            return Err(Error::at(
                "#",
                "the document is an array, not an OpenAPI object",
            ))
        }
        Value::String(_) => {
            return Err(Error::at(
                "#",
                "the document is a string, not an OpenAPI object",
            ))
        }
        Value::Number(_) => {
            return Err(Error::at(
                "#",
                "the document is a number, not an OpenAPI object",
            ))
        }
        Value::Bool(_) => {
            return Err(Error::at(
                "#",
                "the document is a boolean, not an OpenAPI object",
            ))
        }
        Value::Null => {
            return Err(Error::at(
                "#",
                "the document is null, not an OpenAPI object",
            ))
        }
    };
    match object.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0") => Ok(Version::V30),
        Some(Value::String(v)) if is_31(v) => Ok(Version::V31),
        Some(Value::String(v)) => Err(Error::at(
            "#/openapi",
            format!("OpenAPI version {v} is not supported (3.0.x and 3.1.x are)"),
        )),
        Some(_) => Err(Error::at(
            "#/openapi",
            "`openapi` must be a string such as \"3.0.3\" (in YAML, quote it)",
        )),
        None if object.contains_key("swagger") => Err(Error::at(
            "#/swagger",
            "Swagger 2.0 is not supported; convert the document to OpenAPI 3.0 first",
        )),
        None => Err(Error::at("#", "missing `openapi` version field")),
    }
}

/// Whether `version` is `3.1.N`.
fn is_31(version: &str) -> bool {
    version
        .strip_prefix("3.1.")
        .is_some_and(|patch| !patch.is_empty() && patch.bytes().all(|b| b.is_ascii_digit()))
}

impl Document {
    /// The node at a JSON pointer (`#/a/b` or `/a/b`), if it exists.
    pub fn node(&self, pointer: &str) -> Option<&Value> {
        self.raw.pointer(pointer.trim_start_matches('#'))
    }

    /// The line (1-based) of the node a pointer names, or of its nearest
    /// ancestor in the text; see [`location_of`].
    #[cfg(test)]
    pub fn line_of(&self, pointer: &str) -> Option<usize> {
        location_of(&self.text, pointer).map(|(line, _)| line)
    }

    /// An error at `pointer`, with its line and column when the text has
    /// the node, and its file when that is not the root spec.
    pub fn error(&self, pointer: &str, message: impl Into<String>) -> Error {
        self.origins.error_at(pointer, message.into(), &self.text)
    }

    /// Whether the text of any of the spec's files holds `word`.
    pub fn mentions(&self, word: &str) -> bool {
        self.text.contains(word)
            || self
                .origins
                .sources
                .files()
                .iter()
                .any(|f| f.text.contains(word))
    }
}

impl Origins {
    /// An error at the node `pointer` names in the tree read, placed where
    /// it was written; `root_text` is the root spec's text.
    fn error_at(&self, pointer: &str, message: String, root_text: &str) -> Error {
        match self.place(pointer) {
            (None, pointer) => locate(Error::at(pointer, message), root_text),
            (Some(file), pointer) => {
                let mut error = locate(Error::at(pointer, message), &file.text);
                error.file = Some(file.name.clone());
                error
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_openapi_30_and_31_only() {
        for version in ["3.0.0", "3.0.3", "3.1.0", "3.1.1"] {
            let text =
                format!("openapi: {version}\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n");
            assert!(parse(text).is_ok(), "{version}");
        }
        for version in ["3.2.0", "4.0.0", "3.1", "3.1.x", "3.10.0"] {
            let text = format!("openapi: '{version}'\ninfo: {{title: t, version: '1'}}\n");
            let e = parse(text).unwrap_err();
            assert_eq!(e.pointer.as_deref(), Some("#/openapi"), "{version}");
            assert_eq!(
                e.message,
                format!("OpenAPI version {version} is not supported (3.0.x and 3.1.x are)")
            );
        }
    }

    /// The document's extensions and named examples are left out of the
    /// typed document (nothing reads them there) but stay in the raw tree,
    /// in their places; an example that does not fit is still an error.
    #[test]
    fn extensions_and_examples_stay_in_the_raw_tree_only() {
        let text = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\nx-first: {a: 1}\npaths: {}\n\
                    components:\n  examples:\n    One: {value: {id: 1}}\n  schemas:\n    S: {type: string}\n\
                    x-last: [1]\n";
        let document = parse(text.to_owned()).unwrap();
        let keys: Vec<&String> = document.raw.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            [
                "openapi",
                "info",
                "x-first",
                "paths",
                "components",
                "x-last"
            ]
        );
        assert_eq!(document.raw["x-first"], serde_json::json!({"a": 1}));
        assert_eq!(document.raw["x-last"], serde_json::json!([1]));
        assert_eq!(
            document.raw["components"]["examples"]["One"]["value"],
            serde_json::json!({"id": 1})
        );
        let components = document.openapi.components.as_ref().unwrap();
        assert!(components.examples.is_empty());
        assert_eq!(components.schemas.len(), 1);
        assert!(document
            .openapi
            .extensions
            .values()
            .all(serde_json::Value::is_null));
        let e = error_of(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n\
             components:\n  examples:\n    One: {externalValue: [1]}\n",
        );
        assert!(e.starts_with("at #/components/examples/One"), "{e}");
    }

    fn error_of(text: &str) -> String {
        parse(text.to_owned()).unwrap_err().to_string()
    }
    /// The path items and the schemas, each read apart from the rest of
    /// the document, make the typed document that reading it whole makes,
    /// in the document's order, with the extensions of `paths`; the raw tree
    /// keeps them; a mistake outside the parts is still found and named.
    #[test]
    fn the_document_read_entry_by_entry_is_the_document_read_whole() {
        let mut text = String::from("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n");
        for (i, path) in ["/z", "/a", "/m/{id}", "/b"].iter().enumerate() {
            text.push_str(&format!(
                "  {path}:\n    get:\n      responses:\n        '200':\n          description: ok\n          \
                 content:\n            application/json:\n              \
                 schema: {{$ref: '#/components/schemas/S{i}'}}\n"
            ));
            if i == 1 {
                text.push_str("  x-paths-note: {kept: true}\n");
            }
        }
        text.push_str(
            "components:\n  parameters:\n    P: {name: p, in: query, schema: {type: integer}}\n  \
             schemas:\n",
        );
        // Out of alphabetical order, more than one piece each.
        for i in (0..23).rev() {
            text.push_str(&format!(
                "    S{i}:\n      type: object\n      properties:\n        \
                 next: {{$ref: '#/components/schemas/S{}'}}\n        n: {{type: integer, minimum: {i}}}\n",
                (i + 1) % 23
            ));
        }
        let document = parse(text.clone()).unwrap();
        let raw: serde_json::Value = serde_yaml::from_str(&text).unwrap();
        let whole: openapiv3::OpenAPI = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(document.openapi, whole);
        let paths: Vec<&String> = document.openapi.paths.paths.keys().collect();
        assert_eq!(paths, ["/z", "/a", "/m/{id}", "/b"]);
        assert_eq!(
            document.openapi.paths.extensions["x-paths-note"],
            serde_json::json!({"kept": true})
        );
        let names: Vec<&String> = document
            .openapi
            .components
            .as_ref()
            .unwrap()
            .schemas
            .keys()
            .collect();
        let expected: Vec<String> = (0..23).rev().map(|i| format!("S{i}")).collect();
        assert_eq!(names, expected.iter().collect::<Vec<_>>());
        assert_eq!(document.raw, raw);

        let e = error_of(&text.replace("info: {title: t, version: '1'}", "info: {title: [t]}"));
        assert!(e.starts_with("at #/info"), "{e}");
    }

    #[test]
    fn syntax_errors_name_the_place() {
        assert_eq!(
            error_of("openapi: 3.0.3\ninfo:\n  title: [t\n  version: '1'\npaths: {}\n"),
            "at #/info/title (line 4, column 10): invalid YAML: did not find expected ',' or ']', \
             while parsing a flow sequence at line 3 column 10"
        );
        assert_eq!(
            error_of("{\"openapi\": \"3.0.3\",\n \"info\": {\"title\": \"t\", \"version\" 1}}"),
            "at #/info (line 2, column 35): invalid JSON: expected `:`"
        );
        assert_eq!(
            error_of("{\"openapi\": \"3.0.3\"} x"),
            "at the document root (line 1, column 22): invalid JSON: trailing characters"
        );
        assert_eq!(
            error_of("a: 1\n---\nb: 2\n"),
            "at the document root (line 2): invalid YAML: the file holds more than one document"
        );
        assert_eq!(
            error_of("openapi: 3.0.3\ninfo: !tag {}\n"),
            "at #/info (line 2, column 7): invalid YAML: tags (`!name`) are not supported"
        );
        assert_eq!(
            error_of("? [a]\n: b\n"),
            "at the document root (line 1, column 3): invalid YAML: invalid type: sequence, expected a string key"
        );
    }

    #[test]
    fn nesting_is_bounded() {
        // The error names the node where the limit was hit, 128 levels down.
        let deep = |e: String, parent: &str, token: &str| {
            assert!(e.ends_with(": nested more than 128 levels deep"), "{e}");
            let pointer = format!("at {parent}{}", format!("/{token}").repeat(126));
            assert!(e.starts_with(&pointer), "{e}");
        };
        let json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        deep(error_of(&json), "#", "0");
        let flow = format!(
            "openapi: 3.0.3\nx: {}{}",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        deep(error_of(&flow), "#/x", "0");
        let mut block = String::from("openapi: 3.0.3\nx:\n");
        for depth in 0..1_000 {
            block.push_str(&" ".repeat(depth + 1));
            block.push_str("a:\n");
        }
        deep(error_of(&block), "#/x", "a");
    }

    #[test]
    fn degenerate_documents() {
        let root = |what: &str| {
            format!("at the document root: the document is {what}, not an OpenAPI object")
        };
        assert_eq!(error_of(""), "at the document root: the document is empty");
        assert_eq!(
            error_of(" \n\t\n"),
            "at the document root: the document is empty"
        );
        assert_eq!(error_of("[1, 2]"), root("an array"));
        assert_eq!(error_of("hello"), root("a string"));
        assert_eq!(error_of("42"), root("a number"));
        assert_eq!(error_of("~"), root("null"));
        assert_eq!(
            error_of("swagger: '2.0'\ninfo: {}\n"),
            "at #/swagger (line 1, column 1): Swagger 2.0 is not supported; convert the document to OpenAPI 3.0 first"
        );
        assert_eq!(
            error_of("openapi: 3.0\n"),
            "at #/openapi (line 1, column 1): `openapi` must be a string such as \"3.0.3\" (in YAML, quote it)"
        );
        assert_eq!(
            error_of("openapi: 2.5.0\n"),
            "at #/openapi (line 1, column 1): OpenAPI version 2.5.0 is not supported (3.0.x and 3.1.x are)"
        );
        assert_eq!(
            error_of("info: {}\n"),
            "at the document root: missing `openapi` version field"
        );
        let bom = "\u{feff}openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n";
        assert!(parse(bom.into()).is_ok());
        assert_eq!(
            decode(b"openapi: 3.0.3\nx: \xff\xfe".to_vec()).unwrap_err().to_string(),
            "at the document root (line 2, column 4): not a text file: byte 18 (0xff) is not UTF-8; \
             a spec is YAML or JSON text in UTF-8"
        );
        assert_eq!(
            decode(vec![0xFF, 0xFE, b'o', 0]).unwrap_err().to_string(),
            "at the document root: the file is UTF-16 text; save it as UTF-8"
        );
    }

    #[test]
    fn yaml_flow_documents_are_read_as_yaml() {
        let flow = "{openapi: 3.0.3, info: {title: t, version: '1'}, paths: {}}";
        assert!(parse(flow.into()).is_ok());
        // A mistake in JSON stays a JSON error.
        assert_eq!(
            error_of("{\"openapi\": \"3.0.3\", \"info\": }"),
            "at #/info (line 1, column 30): invalid JSON: expected value"
        );
    }

    #[test]
    fn deep_flow_yaml_is_read_only_as_far_as_needed() {
        assert_eq!(deep_flow_end("a: [[b]]", 3), None);
        assert_eq!(deep_flow_end("a: [[[b]]]", 3), Some(6));
        assert_eq!(deep_flow_end("- {a: [{b: c}]}", 3), Some(8));
        // Brackets in quoted and plain scalars, and in comments, do not count.
        assert_eq!(
            deep_flow_end("a: '[[[['\nb: x[[[[\n# [[[[\nc: \"[[\\\"[[\"", 2),
            None
        );
    }

    const PETS: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  name: {type: string}
                  age: {type: integer}
      callbacks:
        onEvent: {$ref: '#/components/callbacks/Event'}
components:
  callbacks:
    Event:
      '{$request.body#/url}':
        post:
          responses:
            '204': {description: received}
";

    #[test]
    fn typed_errors_name_the_offending_node() {
        let doc = parse(PETS.to_owned()).unwrap();
        let get = doc.openapi.paths.paths["/pets"]
            .as_item()
            .unwrap()
            .get
            .as_ref()
            .unwrap();
        assert!(get.callbacks["onEvent"].contains_key("{$request.body#/url}"));
        assert_eq!(
            error_of(&PETS.replace("age: {type: integer}", "age: {type: integer, required: 0}")),
            "at #/paths/~1pets/get/responses/200/content/application~1json/schema/properties/age/required \
             (line 15, column 40): not a valid OpenAPI 3.0 document: invalid type: integer `0`, expected a sequence"
        );
        assert_eq!(
            error_of(&PETS.replace("          description: ok\n", "")),
            "at #/paths/~1pets/get/responses/200 (line 7, column 9): \
             not a valid OpenAPI 3.0 document: missing field `description`"
        );
        let body = "      parameters: [{name: a, in: body}]\n      responses:\n        '200'";
        assert_eq!(
            error_of(&PETS.replace("      responses:\n        '200'", body)),
            "at #/paths/~1pets/get/parameters/0/in (line 6, column 30): not a valid OpenAPI 3.0 document: \
             unknown variant `body`, expected one of `query`, `header`, `path`, `cookie`"
        );
        assert_eq!(
            error_of(&PETS.replace("callbacks/Event'", "callbacks/Nope'")),
            "at #/paths/~1pets/get/callbacks/onEvent/$ref (line 17, column 19): \
             callback `$ref` to \"#/components/callbacks/Nope\", which is not a callback in this document"
        );
        assert_eq!(
            error_of(&PETS.replace("version: '1'", "version: [1]")),
            "at #/info/version (line 2, column 18): not a valid OpenAPI 3.0 document: \
             invalid type: sequence, expected a string"
        );
        // The version read is the one named.
        assert_eq!(
            error_of(
                &PETS
                    .replace("version: '1'", "version: [1]")
                    .replace("3.0.3", "3.1.0")
            ),
            "at #/info/version (line 2, column 18): not a valid OpenAPI 3.1 document: \
             invalid type: sequence, expected a string"
        );
    }

    const AGE: &str =
        "#/paths/~1pets/get/responses/200/content/application~1json/schema/properties/age";

    fn sorted_warnings(document: &Document) -> Vec<String> {
        let mut warnings: Vec<String> = document.warnings.iter().map(ToString::to_string).collect();
        warnings.sort();
        warnings
    }

    /// A keyword of the wrong type whose loss only weakens checks or docs is
    /// dropped from the tree read (constraints are read from it), with one
    /// warning at its pointer; the rest of the schema stays.
    #[test]
    fn mistyped_keywords_that_only_check_or_document_are_dropped() {
        let age = "age: {type: string, minLength: 2, pattern: 0, maxLength: '10', description: 5, \
                   exclusiveMinimum: 'no'}";
        // 3.1 writes an exclusive bound as a number, 3.0 as a flag.
        for (version, name, bound) in [("3.0.3", "3.0", "a boolean"), ("3.1.0", "3.1", "a number")]
        {
            let spec = PETS
                .replace("age: {type: integer}", age)
                .replace("3.0.3", version);
            let document = parse(spec).unwrap();
            assert_eq!(
                sorted_warnings(&document),
                [
                    format!(
                        "warning[mistyped-keyword] at {AGE}/description: `description` is the number `5`, \
                         where OpenAPI {name} requires a string; the keyword is dropped: what it says is \
                         left out of the generated code"
                    ),
                    format!(
                        "warning[mistyped-keyword] at {AGE}/exclusiveMinimum: `exclusiveMinimum` is \
                         the string \"no\", where OpenAPI {name} requires {bound}; the keyword is \
                         dropped: values it would reject are accepted (nothing checks it)"
                    ),
                    format!(
                        "warning[mistyped-keyword] at {AGE}/maxLength: `maxLength` is the string \"10\", \
                         where OpenAPI {name} requires a non-negative integer; the keyword is dropped: \
                         values it would reject are accepted (nothing checks it)"
                    ),
                    format!(
                        "warning[mistyped-keyword] at {AGE}/pattern: `pattern` is the number `0`, \
                         where OpenAPI {name} requires a string; the keyword is dropped: values it \
                         would reject are accepted (nothing checks it)"
                    ),
                ],
                "{version}"
            );
            assert_eq!(
                document.node(AGE),
                Some(&serde_json::json!({"type": "string", "minLength": 2})),
                "{version}"
            );
        }
        // A response's `description` is required: it becomes empty.
        let document = parse(PETS.replace("description: ok", "description: [ok]")).unwrap();
        assert_eq!(
            sorted_warnings(&document),
            ["warning[mistyped-keyword] at #/paths/~1pets/get/responses/200/description: \
              `description` is a list, where OpenAPI 3.0 requires a string; the keyword is replaced \
              by an empty text (it is required): what it says is left out of the generated code"]
        );
        assert_eq!(
            document.node("#/paths/~1pets/get/responses/200/description"),
            Some(&serde_json::json!(""))
        );
    }

    /// A keyword whose loss would change the generated types or the wire
    /// stays an error at its pointer, as does a tolerated keyword where its
    /// object has no such keyword, and the mistake after the 100th dropped.
    #[test]
    fn mistyped_keywords_that_shape_types_are_errors() {
        for (keyword, expected) in [
            ("type: 5", "type"),
            ("properties: []", "properties"),
            ("nullable: 'yes'", "nullable"),
            ("items: 5", "items"),
            ("enum: 5", "enum"),
            ("allOf: {}", "allOf"),
        ] {
            let e = parse(PETS.replace("age: {type: integer}", &format!("age: {{{keyword}}}")))
                .unwrap_err();
            let pointer = e.pointer.unwrap_or_default();
            assert!(
                pointer == format!("{AGE}/{expected}") || pointer == AGE,
                "{keyword}: {pointer}"
            );
        }
        let in_body = PETS.replace(
            "      responses:\n        '200'",
            "      parameters: [{name: a, in: query, style: 5}]\n      responses:\n        '200'",
        );
        let e = parse(in_body).unwrap_err();
        assert!(
            e.pointer
                .as_deref()
                .unwrap_or_default()
                .starts_with("#/paths/~1pets/get/parameters/0"),
            "{e}"
        );
        // 100 dropped, then the 101st is the error.
        let properties: String = (0..101)
            .map(|i| format!("                  p{i:03}: {{type: string, title: 5}}\n"))
            .collect();
        let many = PETS.replace("                  name: {type: string}\n", &properties);
        let e = parse(many.clone()).unwrap_err();
        assert!(
            e.message
                .starts_with("not a valid OpenAPI 3.0 document: invalid type: integer `5`"),
            "{e}"
        );
        assert!(
            e.pointer.as_deref().unwrap_or_default().ends_with("/title"),
            "{e}"
        );
        let fewer = many.replace("p100: {type: string, title: 5}", "p100: {type: string}");
        assert_eq!(parse(fewer).unwrap().warnings.len(), 100);
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

    const YAML: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /a/{id}:
    get:
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: string}
        - {name: q, in: query, schema: {type: integer}}
      responses:
        200:
          description: ok
          content:
            'application/json':
              schema: &pet
                type: object
        \"404\":
          description: missing
          content:
            application/json:
              schema: *pet
";

    #[test]
    fn locates_yaml_nodes_as_the_parser_reads_them() {
        let at = |pointer: &str| location_of(YAML, pointer);
        assert_eq!(at("#"), None);
        assert_eq!(at("#/info"), Some((2, 1)));
        assert_eq!(at("#/info/version"), Some((2, 18)));
        assert_eq!(at("#/paths/~1a~1{id}/get"), Some((5, 5)));
        assert_eq!(at("#/paths/~1a~1{id}/get/parameters/0"), Some((7, 11)));
        assert_eq!(
            at("#/paths/~1a~1{id}/get/parameters/1/schema/type"),
            Some((11, 41))
        );
        assert_eq!(at("#/paths/~1a~1{id}/get/responses/200"), Some((13, 9)));
        assert_eq!(
            at("#/paths/~1a~1{id}/get/responses/404/description"),
            Some((20, 11))
        );
        assert_eq!(
            at("#/paths/~1a~1{id}/get/responses/200/content/application~1json/schema/type"),
            Some((18, 17))
        );
        // Through an alias: the anchored node.
        assert_eq!(
            at("#/paths/~1a~1{id}/get/responses/404/content/application~1json/schema/type"),
            Some((18, 17))
        );
        // A node that is not there: its nearest ancestor.
        assert_eq!(at("#/paths/~1a~1{id}/get/requestBody"), Some((5, 5)));
        assert_eq!(at("#/paths/~1a~1{id}/get/parameters/7"), Some((6, 7)));
        assert_eq!(at("#/nothing"), None);
    }

    #[test]
    fn locates_json_nodes() {
        let value: Value = serde_yaml::from_str(YAML).unwrap();
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        let at = |pointer: &str| location_of(&pretty, pointer);
        assert_eq!(at("#/info/version"), Some((5, 5)));
        assert_eq!(at("#/paths/~1a~1{id}/get/parameters/1"), Some((19, 11)));
        assert_eq!(at("#/paths/~1a~1{id}/get/parameters/1/in"), Some((21, 13)));
        let line = serde_json::to_string(&value).unwrap();
        assert_eq!(location_of(&line, "#/info/version"), Some((1, 40)));
    }
}
