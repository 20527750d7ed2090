//! OpenAPI 3.1: a 3.1 document's JSON tree rewritten into the 3.0 document
//! with the same meaning, before `openapiv3` (which reads 3.0 only) sees it.
//!
//! Everything after loading then reads 3.1 as it reads 3.0: one model, one
//! set of emitters, one set of tests of them. The differences are in the
//! schema dialect (JSON Schema 2020-12) and in a few places of the OpenAPI
//! object, and almost all have a 3.0 spelling:
//!
//! | 3.1 | 3.0 |
//! |---|---|
//! | `type: [T, 'null']` | `type: T, nullable: true` |
//! | `type: [T, U]` | `anyOf: [{type: T}, {type: U}]` (the keywords of each type with it) |
//! | `oneOf`/`anyOf` with a `{type: 'null'}` alternative | the others, `nullable: true` |
//! | `const: v` | `enum: [v]` |
//! | `examples: [a, ...]` | `example: a` |
//! | `exclusiveMinimum: n` | `minimum: n, exclusiveMinimum: true` |
//! | `contentEncoding: base64` / `contentMediaType` | `format: byte` / `format: binary` |
//! | `$ref` next to keywords that shape the value | `allOf: [{$ref}]` next to them |
//! | `true` / `false` as a schema | `{}` / `{not: {}}` |
//! | no `paths` | `paths: {}` |
//!
//! JSON Schema keywords with no Rust shape (`if`, `prefixItems`, ...) are
//! dropped with a warning; `webhooks` are read for their payload types only,
//! with a warning. `components/pathItems`, `$defs`, `info.summary` and
//! `license.identifier` need nothing: `$ref`s already lead to any place in
//! the document, and `openapiv3` passes over keys it does not know.
//!
//! Errors and warnings must name where the user wrote a node, not where the
//! rewrite put it: every rewrite that moves nodes records a [`Step`], and
//! [`Origins::original`] takes a pointer of the rewritten tree back through
//! them to the document as written. Nodes are rewritten children first, so
//! when a node is visited, nothing above it has moved yet: the pointer the
//! walk has is the one the user wrote, and warnings made on the way name it
//! directly.

use std::collections::{HashMap, HashSet};

use heck::ToUpperCamelCase;
use serde_json::{json, Map, Value};

use super::typed::node_mut;
use crate::error::{pointer_push, pointer_tokens};
use crate::model::{Warning, WarningKind};

/// The dialect OpenAPI 3.1 schemas are in unless the document says
/// otherwise, and JSON Schema 2020-12 that it extends: both read alike.
const DEFAULT_DIALECTS: &[&str] = &[
    "https://spec.openapis.org/oas/3.1/dialect/base",
    "https://spec.openapis.org/oas/3.1/dialect/2024-10-25",
    "https://json-schema.org/draft/2020-12/schema",
];

/// JSON Schema keywords that have no Rust shape here: dropped with a
/// warning (a value they would reject is accepted).
const UNSUPPORTED_KEYWORDS: &[&str] = &[
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "prefixItems",
    "contains",
    "minContains",
    "maxContains",
    "patternProperties",
    "propertyNames",
    "$dynamicRef",
    "$dynamicAnchor",
    "$recursiveRef",
    "$recursiveAnchor",
];

/// Keywords next to a `$ref` that only describe it: the `$ref` stays as it
/// is (3.0 passes over them too).
const ANNOTATIONS: &[&str] = &[
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "xml",
    "$comment",
    "$id",
    "$anchor",
    "$schema",
    "$defs",
    "definitions",
];

/// Keywords that only apply to one JSON type: with several types, each goes
/// into the alternative of its type.
const STRING_KEYWORDS: &[&str] = &["minLength", "maxLength", "pattern"];
const NUMBER_KEYWORDS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];
const ARRAY_KEYWORDS: &[&str] = &["items", "minItems", "maxItems", "uniqueItems"];
const OBJECT_KEYWORDS: &[&str] = &[
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "discriminator",
];

/// The methods of a path item.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A rewrite that moved nodes: pairs of (pointer prefix in the tree after
/// it, the prefix the same nodes had before it), applied all at once.
type Step = Vec<(String, String)>;

/// Where the nodes of a rewritten document were in the document as written.
#[derive(Debug, Clone, Default)]
pub struct Origins {
    /// The rewrites, in the order they were made, each with the deepest
    /// node that holds every pointer it names (its base).
    steps: Vec<(String, Step)>,
    /// The steps by base, in order: a pointer can only have been moved by
    /// a step whose base is the pointer or one of its ancestors.
    by_base: HashMap<String, Vec<usize>>,
}

impl Origins {
    fn new(steps: Vec<Step>) -> Self {
        let mut origins = Origins::default();
        for step in steps.into_iter().filter(|s| !s.is_empty()) {
            let base = common_ancestor(step.iter().map(|(new, _)| new.as_str()));
            origins
                .by_base
                .entry(base.clone())
                .or_default()
                .push(origins.steps.len());
            origins.steps.push((base, step));
        }
        origins
    }

    /// The pointer, in the document as written, of the node `pointer` names
    /// in the rewritten tree (the same pointer when nothing moved it). The
    /// steps are undone from the last, looking only at those whose base is
    /// an ancestor: time in the pointer's depth and the steps that moved it,
    /// not in the document's size.
    pub fn original(&self, pointer: &str) -> String {
        let mut pointer = pointer.to_owned();
        // Steps at this index and later are undone (or cannot apply).
        let mut before = self.steps.len();
        loop {
            let latest = ancestors(&pointer)
                .filter_map(|ancestor| {
                    let indices = self.by_base.get(ancestor)?;
                    let below = indices.partition_point(|&i| i < before);
                    below.checked_sub(1).map(|k| indices[k])
                })
                .max();
            let Some(index) = latest else {
                return pointer;
            };
            let best = self.steps[index]
                .1
                .iter()
                .filter(|(new, _)| within(&pointer, new))
                .max_by_key(|(new, _)| new.len());
            if let Some((new, old)) = best {
                pointer = format!("{old}{}", &pointer[new.len()..]);
            }
            before = index;
        }
    }

    /// Whether nothing moved.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

/// `pointer` and each of its ancestors, up to `#`.
fn ancestors(pointer: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(pointer), |p| p.rfind('/').map(|i| &p[..i]))
}

/// The deepest pointer every one of `pointers` is within.
fn common_ancestor<'p>(mut pointers: impl Iterator<Item = &'p str>) -> String {
    let Some(first) = pointers.next() else {
        return "#".to_owned();
    };
    let mut common = first;
    for pointer in pointers {
        while !within(pointer, common) {
            match common.rfind('/') {
                Some(i) => common = &common[..i],
                None => return common.to_owned(),
            }
        }
    }
    common.to_owned()
}

/// Whether `pointer` is `prefix` or a node inside it.
fn within(pointer: &str, prefix: &str) -> bool {
    pointer.starts_with(prefix) && matches!(pointer.as_bytes().get(prefix.len()), None | Some(b'/'))
}

/// A 3.1 document rewritten: where its nodes came from, and the warnings
/// about what has no 3.0 shape (with pointers of the document as written).
pub struct Normalised {
    pub origins: Origins,
    pub warnings: Vec<Warning>,
}

/// Rewrites the 3.1 document `raw` into 3.0 in place.
pub fn normalise(raw: &mut Value) -> Normalised {
    let mut walk = Walk::default();
    walk.document(raw);
    Normalised {
        origins: Origins::new(walk.steps),
        warnings: walk.warnings,
    }
}

#[derive(Default)]
struct Walk {
    steps: Vec<Step>,
    warnings: Vec<Warning>,
    /// Schemas already rewritten, by pointer.
    visited: HashSet<String>,
    /// Where schemas' `$ref`s lead: rewritten too, after the walk, if the
    /// walk did not pass there (a schema under an extension, say).
    targets: Vec<String>,
}

impl Walk {
    fn warn(&mut self, pointer: &str, kind: WarningKind, message: String) {
        self.warnings.push(Warning {
            pointer: pointer.to_owned(),
            kind,
            message,
        });
    }

    fn document(&mut self, raw: &mut Value) {
        let Some(root) = raw.as_object_mut() else {
            return;
        };
        if let Some(dialect) = root.get("jsonSchemaDialect") {
            self.dialect(dialect, "#/jsonSchemaDialect");
        }
        match root.get_mut("paths") {
            Some(paths) => self.path_items(paths, "#/paths"),
            None => {
                // Optional in 3.1 (a document of components or webhooks).
                root.insert("paths".to_owned(), json!({}));
            }
        }
        if let Some(webhooks) = root.get_mut("webhooks") {
            self.path_items(webhooks, "#/webhooks");
        }
        if let Some(defs) = root.get_mut("$defs") {
            self.schema_map(defs, "#/$defs");
        }
        if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
            for (section, value) in components.iter_mut() {
                let at = pointer_push("#/components", section);
                match section.as_str() {
                    "schemas" => self.schema_map(value, &at),
                    "pathItems" => self.path_items(value, &at),
                    _ => each(value, &at, |node, at| self.component(section, node, at)),
                }
            }
        }
        // Schemas only a `$ref` leads to.
        while let Some(target) = self.targets.pop() {
            if self.visited.contains(&target) {
                continue;
            }
            let tokens = pointer_tokens(&target);
            if let Some(node) = node_mut(raw, &tokens) {
                self.schema(node, &target);
            }
        }
        self.webhooks(raw);
    }

    fn component(&mut self, section: &str, node: &mut Value, at: &str) {
        match section {
            "responses" => self.response(node, at),
            "parameters" | "headers" => self.parameter(node, at),
            "requestBodies" => self.content_of(node, at),
            "callbacks" => self.path_items(node, at),
            _ => {}
        }
    }

    /// A JSON Schema dialect (`jsonSchemaDialect`, `$schema`).
    fn dialect(&mut self, dialect: &Value, at: &str) {
        let name = dialect.as_str().unwrap_or_default();
        let known = DEFAULT_DIALECTS
            .iter()
            .any(|d| name.trim_end_matches('#') == *d);
        if !known {
            self.warn(
                at,
                WarningKind::SchemaDialect,
                format!(
                    "the schema dialect `{name}` is not OpenAPI 3.1's; the schemas are read as \
                     OpenAPI 3.1's default dialect"
                ),
            );
        }
    }

    /// A map of path items (`paths`, `webhooks`, a callback, ...).
    fn path_items(&mut self, items: &mut Value, at: &str) {
        each(items, at, |item, at| self.path_item(item, at));
    }

    fn path_item(&mut self, item: &mut Value, at: &str) {
        let Some(map) = item.as_object_mut() else {
            return;
        };
        if let Some(parameters) = map.get_mut("parameters") {
            let at = pointer_push(at, "parameters");
            each(parameters, &at, |p, at| self.parameter(p, at));
        }
        for method in METHODS {
            if let Some(op) = map.get_mut(*method) {
                self.operation(op, &pointer_push(at, method));
            }
        }
    }

    fn operation(&mut self, op: &mut Value, at: &str) {
        let Some(map) = op.as_object_mut() else {
            return;
        };
        for (key, value) in map.iter_mut() {
            let at = pointer_push(at, key);
            match key.as_str() {
                "parameters" => each(value, &at, |p, at| self.parameter(p, at)),
                "requestBody" => self.content_of(value, &at),
                "responses" => each(value, &at, |r, at| self.response(r, at)),
                "callbacks" => each(value, &at, |c, at| self.path_items(c, at)),
                _ => {}
            }
        }
    }

    /// A parameter or a header: its `schema`, or its `content`.
    fn parameter(&mut self, parameter: &mut Value, at: &str) {
        if let Some(schema) = parameter.get_mut("schema") {
            self.schema(schema, &pointer_push(at, "schema"));
        }
        self.content_of(parameter, at);
    }

    fn response(&mut self, response: &mut Value, at: &str) {
        if let Some(headers) = response.get_mut("headers") {
            let at = pointer_push(at, "headers");
            each(headers, &at, |h, at| self.parameter(h, at));
        }
        self.content_of(response, at);
    }

    /// The schemas of the media types in `node`'s `content`, and of their
    /// encodings' headers.
    fn content_of(&mut self, node: &mut Value, at: &str) {
        let Some(content) = node.get_mut("content") else {
            return;
        };
        let at = pointer_push(at, "content");
        each(content, &at, |media, at| {
            if let Some(schema) = media.get_mut("schema") {
                self.schema(schema, &pointer_push(at, "schema"));
            }
            if let Some(encoding) = media.get_mut("encoding") {
                let at = pointer_push(at, "encoding");
                each(encoding, &at, |e, at| {
                    if let Some(headers) = e.get_mut("headers") {
                        let at = pointer_push(at, "headers");
                        each(headers, &at, |h, at| self.parameter(h, at));
                    }
                });
            }
        });
    }

    fn schema_map(&mut self, map: &mut Value, at: &str) {
        each(map, at, |schema, at| self.schema(schema, at));
    }

    /// Rewrites one schema, the schemas inside it first.
    fn schema(&mut self, node: &mut Value, at: &str) {
        if !self.visited.insert(at.to_owned()) {
            return;
        }
        match node {
            // A boolean schema: anything, or nothing.
            Value::Bool(true) => *node = json!({}),
            Value::Bool(false) => *node = json!({"not": {}}),
            _ => {}
        }
        let Some(map) = node.as_object_mut() else {
            return;
        };
        self.drop_unsupported(map, at);
        if let Some(dialect) = map.get("$schema") {
            self.dialect(&dialect.clone(), &pointer_push(at, "$schema"));
        }
        if let Some(Value::String(target)) = map.get("$ref") {
            if let Some(pointer) = target.strip_prefix('#') {
                self.targets.push(format!("#{pointer}"));
            }
        }
        // The schemas inside.
        for key in ["properties", "$defs", "definitions"] {
            if let Some(children) = map.get_mut(key) {
                self.schema_map(children, &pointer_push(at, key));
            }
        }
        if let Some(items) = map.get_mut("items") {
            if items == &Value::Bool(false) {
                // No items beyond those `prefixItems` (dropped) described.
                map.remove("items");
            } else {
                self.schema(items, &pointer_push(at, "items"));
            }
        }
        for key in ["additionalProperties", "not"] {
            if let Some(child) = map.get_mut(key) {
                if !(key == "additionalProperties" && child.is_boolean()) {
                    self.schema(child, &pointer_push(at, key));
                }
            }
        }
        for key in ["allOf", "anyOf", "oneOf"] {
            if let Some(parts) = map.get_mut(key) {
                self.schema_map(parts, &pointer_push(at, key));
            }
        }
        // Then the schema's own keywords.
        self.split_reference(map, at);
        if let Some(value) = map.remove("const") {
            map.insert("enum".to_owned(), Value::Array(vec![value]));
        }
        if let Some(Value::Array(examples)) = map.get("examples") {
            let first = examples.first().cloned();
            map.remove("examples");
            if let (Some(first), false) = (first, map.contains_key("example")) {
                map.insert("example".to_owned(), first);
            }
        }
        exclusive_bound(map, "exclusiveMinimum", "minimum", |bound, limit| {
            bound >= limit
        });
        exclusive_bound(map, "exclusiveMaximum", "maximum", |bound, limit| {
            bound <= limit
        });
        content_format(map);
        self.types(map, at);
        self.null_alternatives(map, at);
    }

    /// Drops the keywords with no Rust shape, with a warning.
    fn drop_unsupported(&mut self, map: &mut Map<String, Value>, at: &str) {
        let found: Vec<&str> = UNSUPPORTED_KEYWORDS
            .iter()
            .copied()
            .filter(|k| map.contains_key(*k))
            .collect();
        if found.is_empty() {
            return;
        }
        for keyword in &found {
            map.remove(*keyword);
        }
        let listed: Vec<String> = found.iter().map(|k| format!("`{k}`")).collect();
        let (pointer, message) = match found.as_slice() {
            [only] => (
                pointer_push(at, only),
                format!("`{only}` has no Rust shape; the schema is read without it"),
            ),
            _ => (
                at.to_owned(),
                format!(
                    "{} have no Rust shape; the schema is read without them",
                    listed.join(", ")
                ),
            ),
        };
        self.warn(&pointer, WarningKind::UnsupportedSchemaKeyword, message);
    }

    /// A `$ref` next to keywords that shape the value: in 3.1 both apply,
    /// in 3.0 the `$ref` alone would. The `$ref` becomes the first part of
    /// an `allOf` beside them.
    fn split_reference(&mut self, map: &mut Map<String, Value>, at: &str) {
        if !map.contains_key("$ref")
            || map
                .keys()
                .all(|k| k == "$ref" || k.starts_with("x-") || ANNOTATIONS.contains(&k.as_str()))
        {
            return;
        }
        let Some(reference) = map.remove("$ref") else {
            return;
        };
        let all_of_at = pointer_push(at, "allOf");
        let mut step = vec![(pointer_push(&all_of_at, "0"), at.to_owned())];
        let mut parts = vec![json!({ "$ref": reference })];
        if let Some(Value::Array(existing)) = map.remove("allOf") {
            for (i, part) in existing.into_iter().enumerate() {
                step.push((
                    pointer_push(&all_of_at, &(i + 1).to_string()),
                    pointer_push(&all_of_at, &i.to_string()),
                ));
                parts.push(part);
            }
        }
        map.insert("allOf".to_owned(), Value::Array(parts));
        self.steps.push(step);
    }

    /// `type` as an array: `null` among the types is `nullable`, one other
    /// type is `type`, several are alternatives.
    fn types(&mut self, map: &mut Map<String, Value>, at: &str) {
        if map
            .get("type")
            .is_some_and(|t| !t.is_string() && !t.is_array())
        {
            // Not a type at all (real specs have `type: {type: string, ...}`,
            // a property named `type` put one level too high): read as any
            // value rather than refusing the document.
            map.remove("type");
            self.warn(
                &pointer_push(at, "type"),
                WarningKind::UnknownType,
                "`type` is neither a type name nor a list of them; the schema is read \
                 without it"
                    .to_owned(),
            );
            return;
        }
        let Some(Value::Array(names)) = map.get("type") else {
            return;
        };
        let mut types: Vec<(usize, String)> = Vec::new();
        let mut null = false;
        for (i, name) in names.iter().enumerate() {
            match name.as_str() {
                Some("null") => null = true,
                Some(name) if !types.iter().any(|(_, t)| t == name) => {
                    types.push((i, name.to_owned()))
                }
                Some(_) => {}
                // Not a type name: left for the reader to refuse.
                None => return,
            }
        }
        // `number` admits every integer.
        if types.iter().any(|(_, t)| t == "number") {
            types.retain(|(_, t)| t != "integer");
        }
        if null {
            map.insert("nullable".to_owned(), Value::Bool(true));
        }
        let every = ["string", "number", "boolean", "array", "object"];
        match types.as_slice() {
            [] if null => {
                map.insert("type".to_owned(), json!("null"));
                map.remove("nullable");
            }
            [] => {
                map.remove("type");
            }
            [(_, only)] => {
                map.insert("type".to_owned(), Value::String(only.clone()));
            }
            _ if every.iter().all(|e| types.iter().any(|(_, t)| t == e)) => {
                // Any value.
                map.remove("type");
            }
            _ => self.type_alternatives(map, at, &types),
        }
    }

    /// Several types: an alternative for each, with the keywords of its
    /// type.
    fn type_alternatives(
        &mut self,
        map: &mut Map<String, Value>,
        at: &str,
        types: &[(usize, String)],
    ) {
        map.remove("type");
        let keyword = ["anyOf", "oneOf"]
            .into_iter()
            .find(|k| !map.contains_key(*k));
        let (list_at, prefix) = match keyword {
            Some(keyword) => (pointer_push(at, keyword), None),
            // Both taken: the alternatives go into an `allOf` part.
            None => {
                let all_of = map
                    .entry("allOf")
                    .or_insert_with(|| Value::Array(Vec::new()));
                let index = all_of.as_array().map_or(0, Vec::len);
                let part_at = pointer_push(&pointer_push(at, "allOf"), &index.to_string());
                (pointer_push(&part_at, "anyOf"), Some(part_at))
            }
        };
        let mut step: Step = Vec::new();
        if let Some(part_at) = &prefix {
            step.push((part_at.clone(), at.to_owned()));
        }
        let enumeration = map.remove("enum");
        // `format` goes with the type it is a format of.
        let numeric_format = matches!(
            map.get("format").and_then(Value::as_str),
            Some("int32" | "int64" | "float" | "double")
        );
        let format_type = types
            .iter()
            .map(|(_, t)| t.as_str())
            .find(|t| match *t {
                "integer" | "number" => numeric_format,
                "string" => !numeric_format,
                _ => false,
            })
            .map(str::to_owned);
        let format = match format_type {
            Some(_) => map.remove("format"),
            None => None,
        };
        let mut alternatives = Vec::new();
        for (index, (type_index, name)) in types.iter().enumerate() {
            let alternative_at = pointer_push(&list_at, &index.to_string());
            let mut alternative = Map::new();
            alternative.insert("type".to_owned(), Value::String(name.clone()));
            step.push((
                pointer_push(&alternative_at, "type"),
                pointer_push(&pointer_push(at, "type"), &type_index.to_string()),
            ));
            let keywords: &[&str] = match name.as_str() {
                "string" => STRING_KEYWORDS,
                "integer" | "number" => NUMBER_KEYWORDS,
                "array" => ARRAY_KEYWORDS,
                "object" => OBJECT_KEYWORDS,
                _ => &[],
            };
            for keyword in keywords {
                // A keyword of two types (`number` and `integer` are one
                // here) goes to the first.
                if let Some(value) = map.remove(*keyword) {
                    alternative.insert((*keyword).to_owned(), value);
                    step.push((
                        pointer_push(&alternative_at, keyword),
                        pointer_push(at, keyword),
                    ));
                }
            }
            if let (Some(format), true) = (&format, format_type.as_deref() == Some(name)) {
                alternative.insert("format".to_owned(), format.clone());
                step.push((
                    pointer_push(&alternative_at, "format"),
                    pointer_push(at, "format"),
                ));
            }
            if let Some(Value::Array(values)) = &enumeration {
                let mine: Vec<Value> = values
                    .iter()
                    .filter(|v| is_of_type(v, name))
                    .cloned()
                    .collect();
                if mine.is_empty() {
                    continue;
                }
                alternative.insert("enum".to_owned(), Value::Array(mine));
            }
            step.push((alternative_at, at.to_owned()));
            alternatives.push(Value::Object(alternative));
        }
        if enumeration.as_ref().is_some_and(|e| {
            e.as_array()
                .is_some_and(|values| values.iter().any(Value::is_null))
        }) {
            map.insert("nullable".to_owned(), Value::Bool(true));
        }
        let list = Value::Array(alternatives);
        match (keyword, prefix) {
            (Some(keyword), _) => {
                map.insert(keyword.to_owned(), list);
            }
            (None, _) => {
                if let Some(Value::Array(all_of)) = map.get_mut("allOf") {
                    all_of.push(json!({ "anyOf": list }));
                }
            }
        }
        self.steps.push(step);
    }

    /// `oneOf`/`anyOf` alternatives that only admit `null` become
    /// `nullable`; one alternative left, written inline, is the schema.
    fn null_alternatives(&mut self, map: &mut Map<String, Value>, at: &str) {
        for keyword in ["anyOf", "oneOf"] {
            let Some(Value::Array(parts)) = map.get(keyword) else {
                continue;
            };
            let nulls: Vec<bool> = parts.iter().map(is_null).collect();
            let null_count = nulls.iter().filter(|n| **n).count();
            if null_count == 0 || null_count == parts.len() {
                continue;
            }
            let list_at = pointer_push(at, keyword);
            let Some(Value::Array(parts)) = map.remove(keyword) else {
                continue;
            };
            let mut step: Step = Vec::new();
            let mut kept = Vec::new();
            for (i, part) in parts.into_iter().enumerate() {
                if nulls[i] {
                    continue;
                }
                if kept.len() != i {
                    step.push((
                        pointer_push(&list_at, &kept.len().to_string()),
                        pointer_push(&list_at, &i.to_string()),
                    ));
                }
                kept.push((i, part));
            }
            map.insert("nullable".to_owned(), Value::Bool(true));
            // One alternative written inline, whose keywords the schema does
            // not have: the schema is that alternative.
            let mergeable = match kept.as_slice() {
                [(_, Value::Object(only))] => {
                    !only.contains_key("$ref") && only.keys().all(|k| !map.contains_key(k))
                }
                _ => false,
            };
            if mergeable {
                let Some((index, Value::Object(only))) = kept.pop() else {
                    continue;
                };
                let from = pointer_push(&list_at, &index.to_string());
                step.clear();
                for (key, value) in only {
                    step.push((pointer_push(at, &key), pointer_push(&from, &key)));
                    map.insert(key, value);
                }
            } else {
                let list = kept.into_iter().map(|(_, part)| part).collect();
                map.insert(keyword.to_owned(), Value::Array(list));
            }
            if !step.is_empty() {
                self.steps.push(step);
            }
            // The other keyword's nulls are left: one is enough to say it.
            return;
        }
    }

    /// Webhooks: neither side is generated; the payload schemas written
    /// inline become component schemas, so their types are generated.
    fn webhooks(&mut self, raw: &mut Value) {
        let Some(Value::Object(webhooks)) = raw.get("webhooks") else {
            return;
        };
        let mut hoisted: Vec<(String, Value, String)> = Vec::new();
        let mut taken: HashSet<String> = raw
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default();
        let mut warnings = Vec::new();
        for (name, item) in webhooks {
            let at = pointer_push("#/webhooks", name);
            let (item, _) = follow(raw, item, &at);
            let mut types = Vec::new();
            for method in METHODS {
                let Some(op) = item.get(*method) else {
                    continue;
                };
                let op_at = pointer_push(&at, method);
                let Some(body) = op.get("requestBody") else {
                    continue;
                };
                let (body, body_at) = follow(raw, body, &pointer_push(&op_at, "requestBody"));
                let base = match op.get("operationId").and_then(Value::as_str) {
                    Some(id) if !id.trim().is_empty() => id.to_upper_camel_case(),
                    _ => format!("{} {method}", name).to_upper_camel_case(),
                };
                for (media, media_type) in body
                    .get("content")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    let Some(schema) = media_type.get("schema") else {
                        continue;
                    };
                    if schema.get("$ref").is_some() {
                        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
                            types.push(format!("`{target}`"));
                        }
                        continue;
                    }
                    let mut key = format!("{base}Payload");
                    let mut n = 2;
                    while taken.contains(&key) {
                        key = format!("{base}Payload{n}");
                        n += 1;
                    }
                    taken.insert(key.clone());
                    types.push(format!("`{key}`"));
                    let schema_at = pointer_push(
                        &pointer_push(&pointer_push(&body_at, "content"), media),
                        "schema",
                    );
                    hoisted.push((key, schema.clone(), schema_at));
                }
            }
            let payloads = if types.is_empty() {
                String::new()
            } else {
                format!("; its payload types are generated ({})", types.join(", "))
            };
            warnings.push((
                at,
                format!(
                    "webhook `{name}`: the server does not send it and the client does not \
                     receive it{payloads}"
                ),
            ));
        }
        for (at, message) in warnings {
            self.warn(&at, WarningKind::UnsupportedWebhooks, message);
        }
        if hoisted.is_empty() {
            return;
        }
        let Some(root) = raw.as_object_mut() else {
            return;
        };
        let schemas = root
            .entry("components")
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|c| c.entry("schemas").or_insert_with(|| json!({})));
        let Some(Value::Object(schemas)) = schemas else {
            return;
        };
        let mut step = Vec::new();
        for (key, schema, from) in hoisted {
            step.push((pointer_push("#/components/schemas", &key), from));
            schemas.insert(key, schema);
        }
        self.steps.push(step);
    }
}

/// Calls `f` with each value of an object or element of an array, and its
/// pointer.
fn each(node: &mut Value, at: &str, mut f: impl FnMut(&mut Value, &str)) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                f(value, &pointer_push(at, key));
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter_mut().enumerate() {
                f(value, &pointer_push(at, &i.to_string()));
            }
        }
        _ => {}
    }
}

/// What `node` stands for, through local `$ref`s (a few), and its pointer.
fn follow<'v>(root: &'v Value, mut node: &'v Value, at: &str) -> (&'v Value, String) {
    let mut at = at.to_owned();
    for _ in 0..8 {
        let Some(target) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        else {
            break;
        };
        let Some(next) = root.pointer(target) else {
            break;
        };
        at = format!("#{target}");
        node = next;
    }
    (node, at)
}

/// Whether a schema admits only `null`: `type: 'null'` or `enum: [null]`,
/// next to nothing but descriptions.
fn is_null(schema: &Value) -> bool {
    let Some(map) = schema.as_object() else {
        return false;
    };
    let null_type = map.get("type") == Some(&json!("null"));
    let null_enum = map.get("enum") == Some(&json!([null]));
    (null_type || null_enum)
        && map.keys().all(|k| {
            k == "type"
                || k == "enum"
                || k == "nullable"
                || k.starts_with("x-")
                || ANNOTATIONS.contains(&k.as_str())
        })
}

/// Whether a JSON value is of the JSON Schema type `name`.
fn is_of_type(value: &Value, name: &str) -> bool {
    match name {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// A numeric `exclusiveMinimum`/`exclusiveMaximum` (3.1) as the bound and
/// a boolean (3.0). With both an exclusive and an inclusive bound, the
/// tighter one: `tighter(exclusive, inclusive)` says whether the exclusive
/// one is.
fn exclusive_bound(
    map: &mut Map<String, Value>,
    exclusive: &str,
    inclusive: &str,
    tighter: impl Fn(f64, f64) -> bool,
) {
    let Some(bound) = map.get(exclusive).filter(|v| v.is_number()).cloned() else {
        return;
    };
    let limit = map.get(inclusive).and_then(Value::as_f64);
    match (bound.as_f64(), limit) {
        (Some(b), Some(l)) if !tighter(b, l) => {
            map.remove(exclusive);
        }
        _ => {
            map.insert(inclusive.to_owned(), bound);
            map.insert(exclusive.to_owned(), Value::Bool(true));
        }
    }
}

/// `contentEncoding: base64` is 3.0's `format: byte`; a `contentMediaType`
/// without an encoding is raw bytes, `format: binary`.
fn content_format(map: &mut Map<String, Value>) {
    let encoding = map.remove("contentEncoding");
    let media_type = map.remove("contentMediaType");
    map.remove("contentSchema");
    let string = matches!(map.get("type"), None | Some(Value::String(_)))
        && map.get("type").map_or(true, |t| t == "string");
    if map.contains_key("format") || !string {
        return;
    }
    let format = match encoding.as_ref().and_then(Value::as_str) {
        Some("base64" | "base64url") => "byte",
        Some(_) => return,
        None if media_type.is_some() => "binary",
        None => return,
    };
    map.insert("format".to_owned(), Value::String(format.to_owned()));
    if !map.contains_key("type") {
        map.insert("type".to_owned(), json!("string"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rewritten tree of a 3.1 document given as YAML, with its
    /// warnings and origins.
    fn normalised(yaml: &str) -> (Value, Normalised) {
        let mut raw: Value = serde_yaml::from_str(yaml).expect("YAML");
        let result = normalise(&mut raw);
        (raw, result)
    }

    /// The rewritten schema `A` of components holding `schema` as `A`.
    fn schema_of(schema: &str) -> (Value, Normalised) {
        let yaml = format!(
            "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\ncomponents:\n  schemas:\n    A: {schema}\n"
        );
        let (raw, result) = normalised(&yaml);
        (raw["components"]["schemas"]["A"].clone(), result)
    }

    #[test]
    fn type_arrays_become_type_and_nullable() {
        assert_eq!(
            schema_of("{type: [string, 'null'], maxLength: 3}").0,
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert_eq!(schema_of("{type: [integer]}").0, json!({"type": "integer"}));
        assert_eq!(schema_of("{type: ['null']}").0, json!({"type": "null"}));
        // Not a type: dropped, with a warning.
        let (schema, result) = schema_of("{type: {type: string}, description: d}");
        assert_eq!(schema, json!({"description": "d"}));
        assert_eq!(
            result.warnings[0].to_string(),
            "warning[unknown-type] at #/components/schemas/A/type: `type` is neither a type \
             name nor a list of them; the schema is read without it"
        );
        // Every type: any value.
        assert_eq!(
            schema_of("{type: [string, number, integer, boolean, array, object, 'null']}").0,
            json!({"nullable": true})
        );
    }

    #[test]
    fn several_types_become_alternatives_with_their_keywords() {
        let (schema, result) = schema_of(
            "{type: [string, integer, 'null'], maxLength: 3, minimum: 1, format: int64, description: d}",
        );
        assert_eq!(
            schema,
            json!({
                "description": "d",
                "nullable": true,
                "anyOf": [
                    {"type": "string", "maxLength": 3},
                    {"type": "integer", "minimum": 1, "format": "int64"},
                ],
            })
        );
        let origins = result.origins;
        let at = "#/components/schemas/A";
        assert_eq!(
            origins.original(&format!("{at}/anyOf/1/minimum")),
            format!("{at}/minimum")
        );
        assert_eq!(
            origins.original(&format!("{at}/anyOf/0/type")),
            format!("{at}/type/0")
        );
        assert_eq!(origins.original(&format!("{at}/anyOf/1")), at);
        assert_eq!(
            origins.original(&format!("{at}/description")),
            format!("{at}/description")
        );
    }

    #[test]
    fn null_alternatives_become_nullable() {
        // One alternative left: a `$ref` stays a composition of one.
        assert_eq!(
            schema_of("{anyOf: [{$ref: '#/components/schemas/B'}, {type: 'null'}]}").0,
            json!({"anyOf": [{"$ref": "#/components/schemas/B"}], "nullable": true})
        );
        // Written inline: it is the schema.
        let (schema, result) =
            schema_of("{description: d, oneOf: [{type: 'null'}, {type: object, properties: {a: {type: [string, 'null']}}}]}");
        assert_eq!(
            schema,
            json!({
                "description": "d",
                "nullable": true,
                "type": "object",
                "properties": {"a": {"type": "string", "nullable": true}},
            })
        );
        assert_eq!(
            result
                .origins
                .original("#/components/schemas/A/properties/a"),
            "#/components/schemas/A/oneOf/1/properties/a"
        );
        // Several left: the list without the null, later ones moved up.
        let (schema, result) =
            schema_of("{oneOf: [{type: string}, {const: null}, {type: integer}]}");
        assert_eq!(
            schema,
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}], "nullable": true})
        );
        assert_eq!(
            result
                .origins
                .original("#/components/schemas/A/oneOf/1/type"),
            "#/components/schemas/A/oneOf/2/type"
        );
    }

    #[test]
    fn keywords_take_their_30_spelling() {
        assert_eq!(
            schema_of("{type: string, const: a, examples: [x, y]}").0,
            json!({"type": "string", "enum": ["a"], "example": "x"})
        );
        assert_eq!(
            schema_of("{type: integer, exclusiveMinimum: 0, exclusiveMaximum: 10, maximum: 5}").0,
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 5})
        );
        assert_eq!(
            schema_of("{type: string, contentEncoding: base64}").0,
            json!({"type": "string", "format": "byte"})
        );
        assert_eq!(
            schema_of("{type: string, contentMediaType: image/png}").0,
            json!({"type": "string", "format": "binary"})
        );
        assert_eq!(
            schema_of("{type: object, properties: {a: true, b: false}, items: false}").0,
            json!({"type": "object", "properties": {"a": {}, "b": {"not": {}}}})
        );
    }

    #[test]
    fn references_next_to_shaping_keywords_become_all_of() {
        // Descriptions only: the `$ref` stays.
        assert_eq!(
            schema_of("{$ref: '#/components/schemas/B', description: d}").0,
            json!({"$ref": "#/components/schemas/B", "description": "d"})
        );
        let (schema, result) =
            schema_of("{$ref: '#/components/schemas/B', required: [a], allOf: [{type: object}]}");
        assert_eq!(
            schema,
            json!({"required": ["a"], "allOf": [{"$ref": "#/components/schemas/B"}, {"type": "object"}]})
        );
        let at = "#/components/schemas/A";
        assert_eq!(result.origins.original(&format!("{at}/allOf/0")), at);
        assert_eq!(
            result.origins.original(&format!("{at}/allOf/1/type")),
            format!("{at}/allOf/0/type")
        );
        assert_eq!(
            result.origins.original(&format!("{at}/allOf/10")),
            format!("{at}/allOf/10")
        );
    }

    #[test]
    fn moves_inside_moves_are_undone_in_turn() {
        let (schema, result) = schema_of(
            "{type: [object, string], properties: {p: {$ref: '#/components/schemas/B', required: [a]}}}",
        );
        assert_eq!(
            schema["anyOf"][0]["properties"]["p"]["allOf"][0],
            json!({"$ref": "#/components/schemas/B"})
        );
        let at = "#/components/schemas/A";
        assert_eq!(
            result
                .origins
                .original(&format!("{at}/anyOf/0/properties/p/allOf/0")),
            format!("{at}/properties/p")
        );
        assert_eq!(
            result
                .origins
                .original(&format!("{at}/anyOf/0/properties/p/required")),
            format!("{at}/properties/p/required")
        );
        assert_eq!(result.origins.original("#/paths"), "#/paths");
    }

    #[test]
    fn keywords_with_no_rust_shape_are_dropped_with_a_warning() {
        let (schema, result) = schema_of(
            "{type: object, properties: {t: {type: array, prefixItems: [{type: string}]}}, if: {}, then: {}}",
        );
        assert_eq!(
            schema,
            json!({"type": "object", "properties": {"t": {"type": "array"}}})
        );
        let warnings: Vec<String> = result.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "warning[unsupported-schema-keyword] at #/components/schemas/A: \
                 `if`, `then` have no Rust shape; the schema is read without them",
                "warning[unsupported-schema-keyword] at #/components/schemas/A/properties/t/prefixItems: \
                 `prefixItems` has no Rust shape; the schema is read without it",
            ]
        );
    }

    #[test]
    fn document_parts() {
        let (raw, result) = normalised(
            "openapi: 3.1.0
info: {title: t, version: '1', summary: s, license: {name: MIT, identifier: MIT}}
jsonSchemaDialect: https://example.com/dialect
webhooks:
  newPet:
    post:
      operationId: petAdded
      requestBody:
        content:
          application/json:
            schema: {type: object, properties: {id: {type: [integer, 'null']}}}
      responses:
        '200': {description: ok}
  oldPet:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '200': {description: ok}
components:
  schemas:
    Pet: {type: object}
",
        );
        assert_eq!(raw["paths"], json!({}));
        assert_eq!(
            raw["components"]["schemas"]["PetAddedPayload"],
            json!({"type": "object", "properties": {"id": {"type": "integer", "nullable": true}}})
        );
        assert_eq!(
            result
                .origins
                .original("#/components/schemas/PetAddedPayload/properties/id"),
            "#/webhooks/newPet/post/requestBody/content/application~1json/schema/properties/id"
        );
        let warnings: Vec<String> = result.warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            warnings,
            [
                "warning[schema-dialect] at #/jsonSchemaDialect: the schema dialect \
                 `https://example.com/dialect` is not OpenAPI 3.1's; the schemas are read as \
                 OpenAPI 3.1's default dialect",
                "warning[unsupported-webhooks] at #/webhooks/newPet: webhook `newPet`: the server \
                 does not send it and the client does not receive it; its payload types are \
                 generated (`PetAddedPayload`)",
                "warning[unsupported-webhooks] at #/webhooks/oldPet: webhook `oldPet`: the server \
                 does not send it and the client does not receive it; its payload types are \
                 generated (`#/components/schemas/Pet`)",
            ]
        );
    }
}
