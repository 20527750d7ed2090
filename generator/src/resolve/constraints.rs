//! Constraints: the places where a schema limits its values beyond their
//! type (`maxLength`, `pattern`, `minimum`, ...). Generated code checks
//! values against their type only, so each of these is ignored; they are
//! reported in one warning per spec, since a spec that uses them usually
//! uses them everywhere and hundreds of identical warnings would bury the
//! others.
//!
//! The places are found in the raw tree, walking only where schemas are
//! (components, and the parameters, bodies and headers of the paths that
//! are generated), so a property or an example value that happens to be
//! called `pattern` is not one.

use serde_json::{Map, Value};

use crate::error::pointer_push;
use crate::model::Warning;

/// The keywords that constrain a value and that generated code ignores, in
/// the order the warning names them.
const KEYWORDS: [&str; 13] = [
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
];

/// How many places the warning names before it only counts the others.
const LISTED_PLACES: usize = 10;

/// The methods of a path item, as OpenAPI spells them.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The warning about every constraint keyword in `raw` (a whole document),
/// or `None` when it has none. The places are in document order.
pub(super) fn warning(raw: &Value) -> Option<Warning> {
    let mut places = Places::default();
    places.document(raw);
    places.into_warning()
}

/// Constraint keywords found so far: where, and which.
#[derive(Default)]
struct Places {
    /// Pointers of the keywords, in the order met.
    pointers: Vec<String>,
    /// Which of [`KEYWORDS`] were met.
    seen: [bool; KEYWORDS.len()],
}

impl Places {
    fn document(&mut self, raw: &Value) {
        // Document order: `components` may come before `paths`.
        for (key, value) in objects(Some(raw)) {
            match key.as_str() {
                "paths" => {
                    for (path, item) in objects(Some(value)) {
                        // Other keys are extensions, or paths that are not
                        // generated (warned about where paths are read).
                        if path.starts_with('/') {
                            self.path_item(item, &pointer_push("#/paths", path));
                        }
                    }
                }
                "components" => self.components(value),
                _ => {}
            }
        }
    }

    fn components(&mut self, components: &Value) {
        for (section, entries) in objects(Some(components)) {
            let at = pointer_push("#/components", section);
            for (name, entry) in objects(Some(entries)) {
                let at = pointer_push(&at, name);
                match section.as_str() {
                    "schemas" => self.schema(entry, &at),
                    "parameters" | "headers" => self.parameter(entry, &at),
                    "requestBodies" => self.content(entry, &at),
                    "responses" => self.response(entry, &at),
                    _ => {}
                }
            }
        }
    }

    fn path_item(&mut self, item: &Value, at: &str) {
        self.parameters(item, at);
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let at = pointer_push(at, method);
            self.parameters(operation, &at);
            if let Some(body) = operation.get("requestBody") {
                self.content(body, &pointer_push(&at, "requestBody"));
            }
            let responses = pointer_push(&at, "responses");
            for (status, response) in objects(operation.get("responses")) {
                if !status.starts_with("x-") {
                    self.response(response, &pointer_push(&responses, status));
                }
            }
        }
    }

    fn parameters(&mut self, holder: &Value, at: &str) {
        let at = pointer_push(at, "parameters");
        let list = holder.get("parameters").and_then(Value::as_array);
        for (i, parameter) in list.into_iter().flatten().enumerate() {
            self.parameter(parameter, &pointer_push(&at, &i.to_string()));
        }
    }

    /// A parameter or a header: a `schema`, or a `content`. Referenced
    /// ones are walked where they are defined.
    fn parameter(&mut self, parameter: &Value, at: &str) {
        if parameter.get("$ref").is_some() {
            return;
        }
        if let Some(schema) = parameter.get("schema") {
            self.schema(schema, &pointer_push(at, "schema"));
        }
        self.content(parameter, at);
    }

    fn response(&mut self, response: &Value, at: &str) {
        self.content(response, at);
        if response.get("$ref").is_some() {
            return;
        }
        let headers = pointer_push(at, "headers");
        for (name, header) in objects(response.get("headers")) {
            self.parameter(header, &pointer_push(&headers, name));
        }
    }

    /// The schemas of a `content` map (of a body, a response or a
    /// parameter).
    fn content(&mut self, holder: &Value, at: &str) {
        if holder.get("$ref").is_some() {
            return;
        }
        let content = pointer_push(at, "content");
        for (media_type, media) in objects(holder.get("content")) {
            if let Some(schema) = media.get("schema") {
                self.schema(
                    schema,
                    &pointer_push(&pointer_push(&content, media_type), "schema"),
                );
            }
        }
    }

    /// A schema and the schemas inside it. The parser limits how deep the
    /// tree nests, and so how deep this recurses.
    fn schema(&mut self, schema: &Value, at: &str) {
        let Some(keywords) = schema.as_object() else {
            return;
        };
        if keywords.contains_key("$ref") {
            return;
        }
        for (i, keyword) in KEYWORDS.iter().enumerate() {
            if keywords
                .get(*keyword)
                .is_some_and(|v| constrains(keyword, v))
            {
                self.seen[i] = true;
                self.pointers.push(pointer_push(at, keyword));
            }
        }
        let properties = pointer_push(at, "properties");
        for (name, property) in objects(keywords.get("properties")) {
            self.schema(property, &pointer_push(&properties, name));
        }
        for single in ["items", "additionalProperties", "not"] {
            if let Some(inner) = keywords.get(single) {
                self.schema(inner, &pointer_push(at, single));
            }
        }
        for list in ["allOf", "oneOf", "anyOf"] {
            let parts = keywords.get(list).and_then(Value::as_array);
            let list_at = pointer_push(at, list);
            for (i, part) in parts.into_iter().flatten().enumerate() {
                self.schema(part, &pointer_push(&list_at, &i.to_string()));
            }
        }
    }

    fn into_warning(self) -> Option<Warning> {
        let not_checked = "generated code checks values against their type only: neither the \
                           server nor the client rejects a value the constraint excludes";
        if let [place] = self.pointers.as_slice() {
            let keyword = place.rsplit('/').next().unwrap_or_default();
            return Some(Warning {
                pointer: place.clone(),
                kind: "constraint-ignored",
                message: format!("`{keyword}` is not enforced; {not_checked}"),
            });
        }
        if self.pointers.is_empty() {
            return None;
        }
        let keywords: Vec<String> = KEYWORDS
            .iter()
            .zip(self.seen)
            .filter(|(_, seen)| *seen)
            .map(|(keyword, _)| format!("`{keyword}`"))
            .collect();
        let mut listed = self.pointers[..self.pointers.len().min(LISTED_PLACES)].join(", ");
        if self.pointers.len() > LISTED_PLACES {
            listed.push_str(&format!(
                " and {} more",
                self.pointers.len() - LISTED_PLACES
            ));
        }
        Some(Warning {
            pointer: "#".to_owned(),
            kind: "constraint-ignored",
            message: format!(
                "{} constraints ({}) are not enforced; {not_checked}. At {listed}",
                self.pointers.len(),
                keywords.join(", ")
            ),
        })
    }
}

/// Whether `value` under `keyword` limits anything: `minLength: 0`,
/// `uniqueItems: false` and the like do not.
fn constrains(keyword: &str, value: &Value) -> bool {
    match keyword {
        "minLength" | "minItems" | "minProperties" => value.as_f64().is_some_and(|n| n > 0.0),
        // OpenAPI 3.0's booleans.
        "uniqueItems" | "exclusiveMinimum" | "exclusiveMaximum" => value.as_bool() == Some(true),
        _ => !value.is_null(),
    }
}

/// The entries of `value` when it is an object; none otherwise.
fn objects(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(Map::iter)
}
