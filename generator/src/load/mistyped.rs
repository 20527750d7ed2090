//! Keywords of the wrong JSON type whose loss only weakens validation or
//! documentation (`pattern: 0`, `maxLength: "10"`, `description: 5`): the
//! keyword is dropped from the tree, with a warning at its pointer, and the
//! document is read again. Failing the whole spec for one such keyword
//! would cost every operation of it; dropping it costs only what the
//! keyword said, and the warning says so.
//!
//! Which keyword is at fault comes from the typed reading's error, which
//! already names the node that does not fit (`load/typed.rs`): a keyword is
//! dropped only when that node is one of the [`tolerated`] keywords of the
//! object that holds it, or, when the node is the object itself (several of
//! its fields do not fit, so leaving out one does not help), each tolerated
//! keyword of it whose value is not of the JSON type OpenAPI requires (a
//! number for `maxLength` is a non-negative integer, as `openapiv3` reads
//! it). Whatever else is wrong with the object is then the error of the
//! next reading. A keyword whose loss would change the shape of
//! the generated types (`type`, `properties`, `items`, `$ref`, `required`,
//! `enum`, `allOf`, `nullable`, ...) or how values travel (`in`, `style`,
//! `explode`) stays an error.

use serde_json::Value;

use super::typed::{node_mut, object_at, Object};
use crate::error::{pointer_push, pointer_tokens};
use crate::model::{Warning, WarningKind};

/// How many keywords one document may have dropped: past that, the spec is
/// more mistakes than keywords, and the next one is the error.
pub(super) const MAX_DROPS: usize = 100;

/// What a dropped keyword meant to the generated crates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Loss {
    /// A constraint of the generated checks: values it would reject are
    /// accepted.
    Check,
    /// The `format`: the value's Rust type is its `type`'s alone.
    Format,
    /// Documentation (or an annotation the generated code does not act
    /// on).
    Docs,
    /// A required text of documentation: it is replaced by an empty one.
    RequiredDocs,
}

/// The JSON type OpenAPI requires of a tolerated keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Required {
    Text,
    Flag,
    Count,
    Number,
    /// `exclusiveMinimum`/`exclusiveMaximum`: a boolean in 3.0, a number
    /// in 3.1, which the 3.1 reading has turned into the 3.0 boolean by
    /// the time the typed reading runs (`load/openapi31.rs`).
    Bound,
    DocsObject,
}

impl Required {
    fn fits(self, value: &Value) -> bool {
        match self {
            Required::Text => value.is_string(),
            Required::Flag | Required::Bound => value.is_boolean(),
            Required::Count => value.is_u64(),
            Required::Number => value.is_number(),
            Required::DocsObject => value.is_object(),
        }
    }

    /// What OpenAPI `version` (`3.0`, `3.1`) requires, as a message says it.
    fn name(self, version: &str) -> &'static str {
        match self {
            Required::Bound if version == "3.1" => "a number",
            Required::Bound => "a boolean",
            Required::Text => "a string",
            Required::Flag => "a boolean",
            Required::Count => "a non-negative integer",
            Required::Number => "a number",
            Required::DocsObject => "an External Documentation Object",
        }
    }
}

/// What OpenAPI requires of `keyword` in an `object`, and what dropping it
/// loses, when the keyword is one that may be dropped there.
fn tolerated(object: Object, keyword: &str) -> Option<(Required, Loss)> {
    use Object::*;
    use Required::*;
    let found = match (object, keyword) {
        (Schema, "pattern") => (Text, Loss::Check),
        (Schema, "minLength" | "maxLength" | "minItems" | "maxItems") => (Count, Loss::Check),
        (Schema, "minProperties" | "maxProperties") => (Count, Loss::Check),
        (Schema, "minimum" | "maximum" | "multipleOf") => (Number, Loss::Check),
        (Schema, "exclusiveMinimum" | "exclusiveMaximum") => (Bound, Loss::Check),
        (Schema, "uniqueItems") => (Flag, Loss::Check),
        (Schema, "format") => (Text, Loss::Format),
        (Schema, "readOnly" | "writeOnly") => (Flag, Loss::Docs),
        (Response, "description") => (Text, Loss::RequiredDocs),
        (Schema, "title") | (Operation | PathItem | Example, "summary") => (Text, Loss::Docs),
        (
            Schema | Operation | PathItem | Parameter | Header | RequestBody | Example | Link
            | SecurityScheme,
            "description",
        ) => (Text, Loss::Docs),
        (Schema | Operation | Parameter | Header, "deprecated") => (Flag, Loss::Docs),
        (Schema | Operation, "externalDocs") => (DocsObject, Loss::Docs),
        _ => return None,
    };
    Some(found)
}

/// Drops what made the typed reading of document `raw` (OpenAPI `version`)
/// stop at `pointer` (a pointer of the tree read), when it is [`tolerated`]:
/// the keyword `pointer` names, or, when it names an object (several of
/// its fields do not fit, so none alone was to blame), each tolerated
/// keyword of it whose value is not of the JSON type OpenAPI requires. One
/// warning per keyword dropped; none when the error stands.
pub(super) fn drop_keywords(raw: &mut Value, pointer: &str, version: &str) -> Vec<Warning> {
    let mut tokens = pointer_tokens(pointer);
    let (object, named) = match object_at(&tokens) {
        Some(object) => (object, None),
        None => {
            let Some(keyword) = tokens.pop() else {
                return Vec::new();
            };
            match object_at(&tokens) {
                Some(object) => (object, Some(keyword)),
                None => return Vec::new(),
            }
        }
    };
    let Some(Value::Object(holder)) = node_mut(raw, &tokens) else {
        return Vec::new();
    };
    let dropped: Vec<(String, Required, Loss)> = holder
        .iter()
        .filter_map(|(key, value)| {
            let (required, loss) = tolerated(object, key)?;
            let blamed = match &named {
                Some(keyword) => keyword == key,
                None => !required.fits(value),
            };
            blamed.then(|| (key.clone(), required, loss))
        })
        .collect();
    let holder_pointer = tokens
        .iter()
        .fold("#".to_owned(), |p, t| pointer_push(&p, t));
    dropped
        .into_iter()
        .filter_map(|(keyword, required, loss)| {
            let value = match loss {
                Loss::RequiredDocs => {
                    holder.insert(keyword.clone(), Value::String(String::new()))?
                }
                _ => holder.remove(&keyword)?,
            };
            Some(Warning {
                pointer: pointer_push(&holder_pointer, &keyword),
                kind: WarningKind::MistypedKeyword,
                message: format!(
                    "`{keyword}` is {}, where OpenAPI {version} requires {}; the keyword is {}",
                    describe(&value),
                    required.name(version),
                    loss.fallback()
                ),
            })
        })
        .collect()
}

impl Loss {
    fn fallback(self) -> &'static str {
        match self {
            Loss::Check => "dropped: values it would reject are accepted (nothing checks it)",
            Loss::Format => "dropped: the value is read as its `type` says, without a format",
            Loss::Docs => "dropped: what it says is left out of the generated code",
            Loss::RequiredDocs => {
                "replaced by an empty text (it is required): what it says is left out of the generated code"
            }
        }
    }
}

/// A value as a warning shows it: a scalar as written (cut short), a list
/// or an object by what it is.
fn describe(value: &Value) -> String {
    const SHOWN: usize = 40;
    let shown = |text: String| match text.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text,
    };
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(flag) => format!("the boolean `{flag}`"),
        Value::Number(number) => format!("the number `{number}`"),
        Value::String(text) => format!("the string {}", shown(format!("{text:?}"))),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}
