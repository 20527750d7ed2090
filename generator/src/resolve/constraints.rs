//! Constraints: what a schema allows of its values beyond their type
//! (`maxLength`, `pattern`, `minimum`, ...), read onto the model's types,
//! fields, parameters and bodies, where the generated checks enforce them.
//!
//! They are read from the raw tree, at the pointer of the schema a place
//! has: its own keywords, those of its inline `allOf` parts (all apply,
//! so the stricter bound wins), and those of its inline `items` or
//! `additionalProperties` for the values inside it. A `$ref` is not
//! followed: the schema it leads to is a named type that carries its own.
//!
//! Then [`settle`] keeps, at each place, the keywords that apply to its
//! Rust type (a `maxLength` on a `String`, a `minimum` on a number) and
//! warns about those a check cannot enforce (a `maxLength` on a `uuid`, any
//! keyword on a union), with a pointer; keywords of another JSON type (a
//! `minimum` on a string) constrain nothing, as in JSON Schema, and go
//! silently.

use serde_json::{Map, Number, Value};

use crate::error::pointer_push;
use crate::model::{
    Api, Bound, Constraints, Payload, TypeKind, TypeRef, Warning, WarningKind, PATTERN_SIZE_LIMIT,
};

/// How deep inline `allOf` parts and `items` are read: the parser limits
/// nesting, and this keeps reading bounded whatever it lets through.
const MAX_DEPTH: usize = 64;

/// How many aliases of aliases are followed.
const MAX_ALIASES: usize = 32;

/// The constraints of the schema `node` at `pointer`, with a warning for
/// each pattern that cannot be enforced.
pub(super) fn read(node: &Value, pointer: &str, warnings: &mut Vec<Warning>) -> Constraints {
    read_at(node, pointer, warnings, 0)
}

fn read_at(node: &Value, pointer: &str, warnings: &mut Vec<Warning>, depth: usize) -> Constraints {
    let mut c = Constraints::default();
    let Some(schema) = node.as_object() else {
        return c;
    };
    if schema.contains_key("$ref") || depth > MAX_DEPTH {
        return c;
    }
    let count = |key: &str| schema.get(key).and_then(whole);
    c.min_length = count("minLength").filter(|n| *n > 0);
    c.max_length = count("maxLength");
    c.min_items = count("minItems").filter(|n| *n > 0);
    c.max_items = count("maxItems");
    c.min_properties = count("minProperties").filter(|n| *n > 0);
    c.max_properties = count("maxProperties");
    c.unique_items = schema.get("uniqueItems") == Some(&Value::Bool(true));
    let flag = |key: &str| schema.get(key) == Some(&Value::Bool(true));
    c.minimum = number(schema, "minimum").map(|value| Bound {
        value,
        exclusive: flag("exclusiveMinimum"),
    });
    c.maximum = number(schema, "maximum").map(|value| Bound {
        value,
        exclusive: flag("exclusiveMaximum"),
    });
    c.multiple_of = number(schema, "multipleOf").filter(|n| n.as_f64().is_some_and(|f| f > 0.0));
    if let Some(Value::String(pattern)) = schema.get("pattern") {
        match compiles(pattern) {
            Ok(()) => c.patterns.push(pattern.clone()),
            Err(problem) => warnings.push(Warning {
                pointer: pointer_push(pointer, "pattern"),
                kind: WarningKind::ConstraintNotEnforced,
                message: format!(
                    "the `pattern` is not enforced: the `regex` crate cannot use it ({problem})"
                ),
            }),
        }
    }
    if let Some(Value::Array(parts)) = schema.get("allOf") {
        let at = pointer_push(pointer, "allOf");
        for (i, part) in parts.iter().enumerate() {
            let part = read_at(
                part,
                &pointer_push(&at, &i.to_string()),
                warnings,
                depth + 1,
            );
            merge(&mut c, part);
        }
    }
    let inner = match (schema.get("items"), schema.get("additionalProperties")) {
        (Some(items), _) => Some((items, "items")),
        (None, Some(values)) if values.is_object() => Some((values, "additionalProperties")),
        _ => None,
    };
    if let Some((inner, key)) = inner {
        let inner = read_at(inner, &pointer_push(pointer, key), warnings, depth + 1);
        if !inner.is_empty() {
            let mut items = c.items.take().map(|b| *b).unwrap_or_default();
            merge(&mut items, inner);
            c.items = Some(Box::new(items));
        }
    }
    c
}

/// The warnings about keywords on the inline alternatives of a union at
/// `pointer` (`oneOf`/`anyOf`): a variant carries no constraints, so they
/// are not enforced. `minProperties`/`maxProperties` aside: an object
/// alternative is a struct of its own that checks them.
pub(super) fn union_warnings(node: &Value, pointer: &str) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for keyword in ["oneOf", "anyOf"] {
        let Some(Value::Array(alternatives)) = node.get(keyword) else {
            continue;
        };
        let at = pointer_push(pointer, keyword);
        for (i, alternative) in alternatives.iter().enumerate() {
            let Some(schema) = alternative.as_object().filter(|s| !s.contains_key("$ref")) else {
                continue;
            };
            let at = pointer_push(&at, &i.to_string());
            let mut scratch = Vec::new();
            let mut c = read_at(alternative, &at, &mut scratch, MAX_DEPTH);
            c.min_properties = None;
            c.max_properties = None;
            for keyword in keywords(&c) {
                if schema.contains_key(keyword) {
                    warnings.push(not_enforced(
                        &pointer_push(&at, keyword),
                        keyword,
                        "an alternative of a `oneOf`/`anyOf` is not checked",
                    ));
                }
            }
        }
    }
    warnings
}

/// Whether `pattern` compiles with the limits the generated code uses.
fn compiles(pattern: &str) -> Result<(), String> {
    regex::RegexBuilder::new(pattern)
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
        .map(|_| ())
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => "it compiles larger than the size limit".to_owned(),
            // The first line says what; the rest draws the pattern.
            other => other
                .to_string()
                .lines()
                .rev()
                .find(|line| line.starts_with("error:"))
                .unwrap_or("it does not parse")
                .trim_start_matches("error: ")
                .to_owned(),
        })
}

/// A count keyword's value: a whole non-negative number.
fn whole(value: &Value) -> Option<u64> {
    value.as_u64().or_else(|| {
        value
            .as_f64()
            .filter(|f| *f >= 0.0 && f.fract() == 0.0 && *f < u64::MAX as f64)
            .map(|f| f as u64)
    })
}

/// A numeric keyword's value.
fn number(schema: &Map<String, Value>, key: &str) -> Option<Number> {
    match schema.get(key)? {
        Value::Number(n) => Some(n.clone()),
        _ => None,
    }
}

/// Adds `other`'s constraints to `c`: both apply, so the stricter wins.
fn merge(c: &mut Constraints, other: Constraints) {
    fn larger(a: Option<u64>, b: Option<u64>) -> Option<u64> {
        a.max(b)
    }
    fn smaller(a: Option<u64>, b: Option<u64>) -> Option<u64> {
        match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
    fn stricter(a: Option<Bound>, b: Option<Bound>, lower: bool) -> Option<Bound> {
        match (a, b) {
            (Some(a), Some(b)) => {
                let (x, y) = (
                    a.value.as_f64().unwrap_or_default(),
                    b.value.as_f64().unwrap_or_default(),
                );
                if x == y {
                    let exclusive = a.exclusive || b.exclusive;
                    Some(Bound { exclusive, ..a })
                } else if (x > y) == lower {
                    Some(a)
                } else {
                    Some(b)
                }
            }
            (a, b) => a.or(b),
        }
    }
    c.min_length = larger(c.min_length, other.min_length);
    c.max_length = smaller(c.max_length, other.max_length);
    c.min_items = larger(c.min_items, other.min_items);
    c.max_items = smaller(c.max_items, other.max_items);
    c.min_properties = larger(c.min_properties, other.min_properties);
    c.max_properties = smaller(c.max_properties, other.max_properties);
    c.unique_items |= other.unique_items;
    c.minimum = stricter(c.minimum.take(), other.minimum, true);
    c.maximum = stricter(c.maximum.take(), other.maximum, false);
    if c.multiple_of.is_none() {
        c.multiple_of = other.multiple_of;
    }
    for pattern in other.patterns {
        if !c.patterns.contains(&pattern) {
            c.patterns.push(pattern);
        }
    }
    match (&mut c.items, other.items) {
        (Some(items), Some(more)) => merge(items, *more),
        (items @ None, more) => *items = more,
        (Some(_), None) => {}
    }
}

/// The keywords set in `c` (not those of its items), as the spec spells
/// them.
fn keywords(c: &Constraints) -> Vec<&'static str> {
    let mut found = Vec::new();
    let mut note = |set: bool, keyword: &'static str| {
        if set {
            found.push(keyword);
        }
    };
    note(c.min_length.is_some(), "minLength");
    note(c.max_length.is_some(), "maxLength");
    note(!c.patterns.is_empty(), "pattern");
    note(c.minimum.is_some(), "minimum");
    note(c.maximum.is_some(), "maximum");
    note(c.multiple_of.is_some(), "multipleOf");
    note(c.min_items.is_some(), "minItems");
    note(c.max_items.is_some(), "maxItems");
    note(c.unique_items, "uniqueItems");
    note(c.min_properties.is_some(), "minProperties");
    note(c.max_properties.is_some(), "maxProperties");
    found
}

fn not_enforced(pointer: &str, keyword: &str, why: &str) -> Warning {
    Warning {
        pointer: pointer.to_owned(),
        kind: WarningKind::ConstraintNotEnforced,
        message: format!("`{keyword}` is not enforced: {why}"),
    }
}

/// What a value is, for the keywords that apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A `String`: lengths and patterns.
    Text,
    /// An integer or a number: bounds and `multipleOf`.
    Number,
    /// A `Vec`: item counts, `uniqueItems`, and its items'.
    List,
    /// A map: property counts, and its values'.
    Map,
    /// A struct: property counts.
    Struct,
    /// A boolean: nothing applies.
    Bool,
    /// A string the generated code reads into a type of its own (`uuid`,
    /// `date-time`, `date`, an enum): string keywords are not enforced.
    TypedText,
    /// A value of a configured external type, a union, or any JSON value:
    /// no keyword is enforced.
    Opaque,
}

/// The [`Kind`] of `ty`, through aliases; and the type an alias stands for.
fn kind_of<'t>(api: &'t Api, ty: &'t TypeRef) -> (Kind, &'t TypeRef) {
    let mut ty = ty;
    for _ in 0..MAX_ALIASES {
        let kind = match ty {
            TypeRef::String => Kind::Text,
            TypeRef::Integer(_) | TypeRef::Number(_) => Kind::Number,
            TypeRef::Bool => Kind::Bool,
            TypeRef::Uuid | TypeRef::DateTime | TypeRef::Date => Kind::TypedText,
            TypeRef::Any | TypeRef::External(_) => Kind::Opaque,
            TypeRef::Array(_) => Kind::List,
            TypeRef::Map(_) => Kind::Map,
            // The keywords apply to the value when it is not `null`.
            TypeRef::OrNull(inner) => {
                ty = inner;
                continue;
            }
            TypeRef::Named(name) => match api.type_named(name).map(|d| &d.kind) {
                Some(TypeKind::Alias(target)) => {
                    ty = target;
                    continue;
                }
                Some(TypeKind::Struct(_)) => Kind::Struct,
                Some(TypeKind::Enum(_)) => Kind::TypedText,
                Some(TypeKind::Union(_) | TypeKind::Newtype(_)) | None => Kind::Opaque,
            },
        };
        return (kind, ty);
    }
    (Kind::Opaque, ty)
}

/// Keeps the keywords of `c` that apply to a value of `ty`, warning (at
/// `pointer`, the place's schema) about those that cannot be enforced.
fn settle_value(
    api: &Api,
    ty: &TypeRef,
    c: &mut Constraints,
    pointer: &str,
    warnings: &mut Vec<Warning>,
    depth: usize,
) {
    if c.is_empty() {
        return;
    }
    let (kind, target) = kind_of(api, ty);
    let mut warn = |keywords: &[&'static str], why: &str| {
        for keyword in keywords {
            warnings.push(not_enforced(&pointer_push(pointer, keyword), keyword, why));
        }
    };
    let string_keywords = |c: &Constraints| -> Vec<&'static str> {
        keywords(c)
            .into_iter()
            .filter(|k| ["minLength", "maxLength", "pattern"].contains(k))
            .collect()
    };
    match kind {
        Kind::TypedText => warn(
            &string_keywords(c),
            "the value is read into a Rust type of its own (a format or an enum), which is not checked as text",
        ),
        Kind::Opaque => {
            let mut found = keywords(c);
            if matches!(target, TypeRef::Named(_)) {
                // A struct alternative checks its own property counts.
                found.retain(|k| !["minProperties", "maxProperties"].contains(k));
            }
            warn(
                &found,
                "the value's Rust type (an external type, a union or any JSON value) is not checked",
            );
        }
        Kind::Struct => {
            let found: Vec<&'static str> = keywords(c)
                .into_iter()
                .filter(|k| ["minProperties", "maxProperties"].contains(k))
                .collect();
            warn(
                &found,
                "it applies to a struct of its own (a `$ref` to it, or an alias of it), which checks only its own",
            );
        }
        _ => {}
    }
    let keep_text = kind == Kind::Text;
    let keep_number = kind == Kind::Number;
    let keep_list = kind == Kind::List;
    let keep_map = kind == Kind::Map;
    if !keep_text {
        c.min_length = None;
        c.max_length = None;
        c.patterns.clear();
    }
    if !keep_number {
        c.minimum = None;
        c.maximum = None;
        c.multiple_of = None;
    }
    if !keep_list {
        c.min_items = None;
        c.max_items = None;
        c.unique_items = false;
    }
    if !keep_map {
        c.min_properties = None;
        c.max_properties = None;
    }
    let inner = match target {
        TypeRef::Array(item) | TypeRef::Map(item) if kind != Kind::Struct => Some(&**item),
        _ => None,
    };
    match (inner, c.items.take()) {
        (Some(item), Some(mut items)) if depth < MAX_DEPTH => {
            let key = if keep_list {
                "items"
            } else {
                "additionalProperties"
            };
            settle_value(
                api,
                item,
                &mut items,
                &pointer_push(pointer, key),
                warnings,
                depth + 1,
            );
            if !items.is_empty() {
                c.items = Some(items);
            }
        }
        _ => {}
    }
}

/// Keeps, at every place of `api`, the constraints its Rust type can be
/// checked against, warning about the others.
pub(super) fn settle(api: &mut Api, warnings: &mut Vec<Warning>) {
    if !has_constraints(api) {
        return;
    }
    // The places are settled against the types as read.
    let snapshot = api.clone();
    let model = &snapshot;
    for def in &mut api.types {
        let pointer = def.pointer.clone();
        match &mut def.kind {
            TypeKind::Struct(s) => {
                let c = &mut def.constraints;
                let mut own = Constraints {
                    min_properties: c.min_properties,
                    max_properties: c.max_properties,
                    ..Constraints::default()
                };
                if s.additional_properties.is_none() {
                    // Properties the schema does not declare are dropped when
                    // read: how many were sent is not known.
                    for keyword in keywords(&own) {
                        warnings.push(not_enforced(
                            &pointer_push(&pointer, keyword),
                            keyword,
                            "the struct keeps only the properties it declares (the schema has no \
                             `additionalProperties`), so how many were sent is not known",
                        ));
                    }
                    own = Constraints::default();
                }
                *c = own;
                for field in &mut s.fields {
                    let at = pointer_push(&pointer_push(&pointer, "properties"), &field.wire_name);
                    settle_use(model, &field.ty, &mut field.constraints, &at, warnings);
                }
            }
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => {
                settle_value(model, ty, &mut def.constraints, &pointer, warnings, 0);
            }
            TypeKind::Enum(_) | TypeKind::Union(_) => {
                let ty = TypeRef::Named(def.name.clone());
                settle_value(model, &ty, &mut def.constraints, &pointer, warnings, 0);
                def.constraints = Constraints::default();
            }
        }
    }
    for op in &mut api.operations {
        for p in &mut op.parameters {
            let at = pointer_push(&pointer_push(&op.pointer, "parameters"), &p.wire_name);
            settle_use(model, &p.ty, &mut p.constraints, &at, warnings);
        }
        if let Some(body) = &mut op.request_body {
            let several = body.contents.len() > 1;
            let at = pointer_push(&op.pointer, "requestBody");
            for content in &mut body.contents {
                let at = pointer_push(&pointer_push(&at, "content"), &content.media_type);
                let at = pointer_push(&at, "schema");
                match &content.payload {
                    Payload::Json(ty) | Payload::Form { ty, .. } if !several => {
                        let ty = ty.clone();
                        settle_use(model, &ty, &mut content.constraints, &at, warnings);
                    }
                    _ => {
                        let mut c = std::mem::take(&mut content.constraints);
                        c.items = None;
                        let found = keywords(&c);
                        for keyword in found {
                            warnings.push(not_enforced(
                                &pointer_push(&at, keyword),
                                keyword,
                                "the body has several media types, whose checks are not generated",
                            ));
                        }
                    }
                }
            }
        }
    }
}

/// [`settle_value`] for a use of a type (a field, a parameter, a body):
/// constraints a named struct already checks (the struct was hoisted from
/// this very schema) are left to it.
fn settle_use(
    api: &Api,
    ty: &TypeRef,
    c: &mut Constraints,
    pointer: &str,
    warnings: &mut Vec<Warning>,
) {
    if let TypeRef::Named(name) = ty {
        if let Some(def) = api.type_named(name) {
            if !matches!(def.kind, TypeKind::Alias(_)) && *c == def.constraints {
                *c = Constraints::default();
                return;
            }
        }
    }
    settle_value(api, ty, c, pointer, warnings, 0);
}

/// Whether any place of `api` has constraints (most specs have none, and
/// then nothing is settled).
fn has_constraints(api: &Api) -> bool {
    let fields = api.types.iter().any(|def| {
        !def.constraints.is_empty()
            || matches!(&def.kind, TypeKind::Struct(s) if s.fields.iter().any(|f| !f.constraints.is_empty()))
    });
    let uses = api.operations.iter().any(|op| {
        op.parameters.iter().any(|p| !p.constraints.is_empty())
            || op
                .request_body
                .iter()
                .flat_map(|b| &b.contents)
                .any(|c| !c.constraints.is_empty())
    });
    fields || uses
}

#[cfg(test)]
mod tests {
    use crate::model::{Api, Constraints, TypeKind, WarningKind};
    use crate::test_support::{resolve_yaml, with_paths};

    fn field<'a>(api: &'a Api, ty: &str, name: &str) -> &'a Constraints {
        let def = api.type_named(ty).expect("the type");
        let TypeKind::Struct(s) = &def.kind else {
            panic!("{def:?}")
        };
        &s.fields
            .iter()
            .find(|f| f.name == name)
            .expect("field")
            .constraints
    }

    /// Inline `allOf` parts add their keywords (the stricter bound wins);
    /// inline items and map values carry theirs; a `$ref` is its type's.
    #[test]
    fn constraints_merge_parts_and_reach_items() {
        let (api, warnings) = resolve_yaml(&with_paths(
            r#" {}
components:
  schemas:
    Name: {type: string, maxLength: 9}
    A:
      type: object
      properties:
        n:
          type: integer
          minimum: 1
          allOf: [{minimum: 3, exclusiveMinimum: true}, {maximum: 7}]
        tags: {type: array, maxItems: 2, items: {type: string, minLength: 1}}
        map: {type: object, additionalProperties: {type: number, multipleOf: 0.5}}
        name: {$ref: '#/components/schemas/Name'}
        text: {type: string, minimum: 3, minLength: 0}
"#,
        ));
        assert!(warnings.is_empty(), "{warnings:#?}");
        let n = field(&api, "A", "n");
        let minimum = n.minimum.as_ref().expect("a minimum");
        assert_eq!((minimum.value.as_i64(), minimum.exclusive), (Some(3), true));
        assert_eq!(n.maximum.as_ref().and_then(|b| b.value.as_i64()), Some(7));
        let tags = field(&api, "A", "tags");
        assert_eq!(tags.max_items, Some(2));
        assert_eq!(tags.items.as_ref().and_then(|i| i.min_length), Some(1));
        let map = field(&api, "A", "map");
        let values = map.items.as_ref().expect("value constraints");
        assert_eq!(
            values.multiple_of.as_ref().and_then(|m| m.as_f64()),
            Some(0.5)
        );
        // The alias carries its own; the field referring to it none.
        assert!(field(&api, "A", "name").is_empty());
        assert_eq!(
            api.type_named("Name").expect("Name").constraints.max_length,
            Some(9)
        );
        // A number keyword on a string constrains nothing; `minLength: 0`
        // neither.
        assert!(field(&api, "A", "text").is_empty());
    }

    /// What cannot be checked is one warning per keyword, at its place.
    #[test]
    fn what_cannot_be_checked_is_warned_about_at_its_place() {
        let (api, warnings) = resolve_yaml(&with_paths(
            r#"
  /a:
    post:
      parameters:
        - {name: id, in: query, schema: {type: string, format: uuid, maxLength: 36}}
        - {name: q, in: query, schema: {type: string, pattern: '(a)\1'}}
      requestBody:
        content:
          application/json: {schema: {type: array, maxItems: 3}}
          text/plain: {schema: {type: string}}
      responses: {'204': {description: none}}
components:
  schemas:
    S:
      type: object
      maxProperties: 2
      properties: {a: {type: string}}
    U:
      anyOf: [{type: string, maxLength: 3}, {type: integer}]
"#,
        ));
        let places: Vec<(WarningKind, &str)> = warnings
            .iter()
            .map(|w| (w.kind, w.pointer.as_str()))
            .collect();
        let kind = WarningKind::ConstraintNotEnforced;
        assert_eq!(
            places,
            [
                (kind, "#/components/schemas/U/anyOf/0/maxLength"),
                (kind, "#/paths/~1a/post/parameters/1/schema/pattern"),
                (kind, "#/components/schemas/S/maxProperties"),
                (kind, "#/paths/~1a/post/parameters/id/maxLength"),
                (
                    kind,
                    "#/paths/~1a/post/requestBody/content/application~1json/schema/maxItems"
                ),
            ],
            "{warnings:#?}"
        );
        assert!(warnings[1].message.contains("back"), "{:?}", warnings[1]);
        assert!(api.type_named("S").expect("S").constraints.is_empty());
        assert!(api.operations[0].parameters[1].constraints.is_empty());
    }
}
