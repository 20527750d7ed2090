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
use crate::model::{Warning, WarningKind};

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

/// The warning about the constraint keywords in `raw` at the places `keep`
/// accepts (the parts of the spec that a selection generates).
pub(super) fn warning_within(raw: &Value, keep: &dyn Fn(&str) -> bool) -> Option<Warning> {
    let mut places = Places {
        keep: Some(keep),
        ..Places::default()
    };
    places.document(raw);
    places.into_warning()
}

/// Constraint keywords found so far: how many, where, and which.
#[derive(Default)]
struct Places<'k> {
    /// Which places count; all when `None`.
    keep: Option<&'k dyn Fn(&str) -> bool>,
    /// How many.
    count: usize,
    /// Pointers of the first [`LISTED_PLACES`], in the order met.
    pointers: Vec<String>,
    /// Which of [`KEYWORDS`] were met.
    seen: [bool; KEYWORDS.len()],
}

impl Places<'_> {
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
                    "requestBodies" => self.response(entry, &at),
                    "responses" => self.response(entry, &at),
                    _ => {}
                }
            }
        }
    }

    fn path_item(&mut self, item: &Value, at: &str) {
        for (key, value) in objects(Some(item)) {
            if key == "parameters" {
                self.parameters(value, at);
            } else if METHODS.contains(&key.as_str()) {
                self.operation(value, &pointer_push(at, key));
            }
        }
    }

    fn operation(&mut self, operation: &Value, at: &str) {
        for (key, value) in objects(Some(operation)) {
            match key.as_str() {
                "parameters" => self.parameters(value, at),
                "requestBody" => self.response(value, &pointer_push(at, key)),
                "responses" => {
                    let responses = pointer_push(at, key);
                    for (status, response) in objects(Some(value)) {
                        if !status.starts_with("x-") {
                            self.response(response, &pointer_push(&responses, status));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn parameters(&mut self, list: &Value, at: &str) {
        let at = pointer_push(at, "parameters");
        let list = list.as_array().into_iter().flatten();
        for (i, parameter) in list.enumerate() {
            self.parameter(parameter, &pointer_push(&at, &i.to_string()));
        }
    }

    /// A parameter or a header: a `schema`, or a `content`. Referenced
    /// ones are walked where they are defined.
    fn parameter(&mut self, parameter: &Value, at: &str) {
        if parameter.get("$ref").is_some() {
            return;
        }
        for (key, value) in objects(Some(parameter)) {
            match key.as_str() {
                "schema" => self.schema(value, &pointer_push(at, key)),
                "content" => self.content_map(value, &pointer_push(at, key)),
                _ => {}
            }
        }
    }

    /// A response or a request body: its `content`, and a response's
    /// `headers`.
    fn response(&mut self, response: &Value, at: &str) {
        if response.get("$ref").is_some() {
            return;
        }
        for (key, value) in objects(Some(response)) {
            let at = pointer_push(at, key);
            match key.as_str() {
                "content" => self.content_map(value, &at),
                "headers" => {
                    for (name, header) in objects(Some(value)) {
                        self.parameter(header, &pointer_push(&at, name));
                    }
                }
                _ => {}
            }
        }
    }

    /// The schemas of a `content` map.
    fn content_map(&mut self, content: &Value, at: &str) {
        for (media_type, media) in objects(Some(content)) {
            if let Some(schema) = media.get("schema") {
                self.schema(
                    schema,
                    &pointer_push(&pointer_push(at, media_type), "schema"),
                );
            }
        }
    }

    /// A schema and the schemas inside it, keyword by keyword. The parser
    /// limits how deep the tree nests, and so how deep this recurses.
    fn schema(&mut self, schema: &Value, at: &str) {
        if schema.get("$ref").is_some() {
            return;
        }
        for (keyword, value) in objects(Some(schema)) {
            let at = pointer_push(at, keyword);
            match keyword.as_str() {
                "properties" => {
                    for (name, property) in objects(Some(value)) {
                        self.schema(property, &pointer_push(&at, name));
                    }
                }
                "items" | "additionalProperties" | "not" => self.schema(value, &at),
                "allOf" | "oneOf" | "anyOf" => {
                    let parts = value.as_array().into_iter().flatten();
                    for (i, part) in parts.enumerate() {
                        self.schema(part, &pointer_push(&at, &i.to_string()));
                    }
                }
                _ => {
                    let known = KEYWORDS.iter().position(|k| k == keyword);
                    let kept = self.keep.map_or(true, |keep| keep(&at));
                    if let Some(i) = known.filter(|_| kept && constrains(keyword, value)) {
                        self.seen[i] = true;
                        self.count += 1;
                        if self.pointers.len() < LISTED_PLACES {
                            self.pointers.push(at);
                        }
                    }
                }
            }
        }
    }

    fn into_warning(self) -> Option<Warning> {
        let not_checked = "generated code checks values against their type only: neither the \
                           server nor the client rejects a value the constraint excludes";
        if self.count == 0 {
            return None;
        }
        if let ([place], 1) = (self.pointers.as_slice(), self.count) {
            let keyword = place.rsplit('/').next().unwrap_or_default();
            return Some(Warning {
                pointer: place.clone(),
                kind: WarningKind::ConstraintIgnored,
                message: format!("`{keyword}` is not enforced; {not_checked}"),
            });
        }
        let keywords: Vec<String> = KEYWORDS
            .iter()
            .zip(self.seen)
            .filter(|(_, seen)| *seen)
            .map(|(keyword, _)| format!("`{keyword}`"))
            .collect();
        let mut listed = self.pointers.join(", ");
        if self.count > self.pointers.len() {
            listed.push_str(&format!(" and {} more", self.count - self.pointers.len()));
        }
        Some(Warning {
            pointer: "#".to_owned(),
            kind: WarningKind::ConstraintIgnored,
            message: format!(
                "{} constraints ({}) are not enforced; {not_checked}. At {listed}",
                self.count,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn warning_for(yaml: &str) -> Option<Warning> {
        let raw: Value = serde_yaml::from_str(yaml).expect("YAML");
        warning(&raw)
    }

    #[test]
    fn no_constraints_no_warning() {
        let spec = "paths: {/a: {get: {parameters: [{name: q, in: query, schema: \
                    {type: string, minLength: 0, example: {maxLength: 3}}}]}}}\n\
                    components: {schemas: {A: {type: array, uniqueItems: false, \
                    properties: {pattern: {type: string}}}}}";
        assert_eq!(warning_for(spec), None);
    }

    #[test]
    fn one_constraint_is_named_at_its_place() {
        let warning = warning_for(
            "components: {schemas: {A: {type: object, properties: {n: {type: integer, maximum: 9}}}}}",
        )
        .expect("a warning");
        assert_eq!(warning.kind, WarningKind::ConstraintIgnored);
        assert_eq!(
            warning.pointer,
            "#/components/schemas/A/properties/n/maximum"
        );
        assert!(
            warning.message.starts_with("`maximum` is not enforced; "),
            "{warning:?}"
        );
    }

    /// Every place a schema can be; in document order; places that are not
    /// generated (callbacks, invalid paths, extensions) and `$ref`s left out.
    #[test]
    fn many_constraints_are_one_warning_in_document_order() {
        let spec = r#"
paths:
  x-extension: {minLength: 1}
  pets: {get: {parameters: [{name: q, in: query, schema: {maxLength: 1}}]}}
  /p/{id}:
    parameters: [{name: id, in: path, schema: {type: string, pattern: '^a'}}]
    post:
      parameters:
        - {$ref: '#/components/parameters/P'}
        - {name: h, in: header, content: {application/json: {schema: {minimum: 1}}}}
      requestBody:
        content: {application/json: {schema: {type: array, items: {minItems: 2}}}}
      callbacks: {cb: {'{$url}': {post: {parameters: [{name: c, in: query, schema: {maxItems: 1}}]}}}}
      responses:
        '200':
          headers: {X-Rate: {schema: {type: integer, maximum: 5}}}
          content: {text/plain: {schema: {allOf: [{multipleOf: 2}], oneOf: [{exclusiveMaximum: true}]}}}
        x-ext: {content: {a/b: {schema: {maxLength: 1}}}}
components:
  schemas:
    A: {additionalProperties: {maxProperties: 3}, not: {minProperties: 1}, anyOf: [{uniqueItems: true}]}
    B: {$ref: '#/components/schemas/A'}
  parameters:
    P: {name: p, in: query, schema: {exclusiveMinimum: true, minimum: 0}}
  requestBodies:
    R: {content: {application/json: {schema: {maxLength: 4}}}}
  responses:
    S: {headers: {X-S: {schema: {minLength: 2}}}}
  headers:
    H: {schema: {maxItems: 7}}
"#;
        let warning = warning_for(spec).expect("a warning");
        assert_eq!(warning.pointer, "#");
        let (summary, listed) = warning.message.split_once(". At ").expect("places");
        assert!(
            summary.starts_with(
                "14 constraints (`minLength`, `maxLength`, `pattern`, `minimum`, `maximum`, \
                 `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, `minItems`, `maxItems`, \
                 `uniqueItems`, `minProperties`, `maxProperties`) are not enforced"
            ),
            "{summary}"
        );
        let places: Vec<&str> = listed.split(", ").collect();
        assert_eq!(
            places,
            [
                "#/paths/~1p~1{id}/parameters/0/schema/pattern",
                "#/paths/~1p~1{id}/post/parameters/1/content/application~1json/schema/minimum",
                "#/paths/~1p~1{id}/post/requestBody/content/application~1json/schema/items/minItems",
                "#/paths/~1p~1{id}/post/responses/200/headers/X-Rate/schema/maximum",
                "#/paths/~1p~1{id}/post/responses/200/content/text~1plain/schema/allOf/0/multipleOf",
                "#/paths/~1p~1{id}/post/responses/200/content/text~1plain/schema/oneOf/0/exclusiveMaximum",
                "#/components/schemas/A/additionalProperties/maxProperties",
                "#/components/schemas/A/not/minProperties",
                "#/components/schemas/A/anyOf/0/uniqueItems",
                "#/components/parameters/P/schema/exclusiveMinimum and 4 more",
            ]
        );
    }
}
