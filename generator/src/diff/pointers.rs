//! JSON pointers of the things the model keeps without one (parameters,
//! responses, properties, enum values), found in the document as read from
//! the pointer of what holds them (an operation's, a schema's). When the
//! document does not have the thing where it is looked for (a property
//! merged from an `allOf` part elsewhere), the holder's pointer is given.

use serde_json::Value;

use crate::model::{Operation, ParameterLocation, Status};

/// One reference token, escaped (`~` as `~0`, `/` as `~1`).
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The node at `pointer` (`#/a/b`), following a `$ref` to this document
/// at the end.
fn node<'a>(raw: &'a Value, pointer: &str) -> Option<&'a Value> {
    let mut value = raw.pointer(pointer.strip_prefix('#').unwrap_or(pointer))?;
    for _ in 0..8 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(target) if target.starts_with('#') => {
                value = raw.pointer(&target[1..])?;
            }
            _ => break,
        }
    }
    Some(value)
}

/// The pointer of the operation's path item.
fn path_item(op: &Operation) -> &str {
    op.pointer
        .rsplit_once('/')
        .map_or(op.pointer.as_str(), |(item, _)| item)
}

/// The pointer of the parameter `wire_name` in `location`: in the
/// operation's `parameters`, else in its path item's, else the operation.
pub fn parameter(
    raw: &Value,
    op: &Operation,
    wire_name: &str,
    location: ParameterLocation,
) -> String {
    let location = match location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    };
    for holder in [op.pointer.as_str(), path_item(op)] {
        let list = format!("{holder}/parameters");
        let Some(Value::Array(items)) = node(raw, &list) else {
            continue;
        };
        for (i, _) in items.iter().enumerate() {
            let Some(item) = node(raw, &format!("{list}/{i}")) else {
                continue;
            };
            let name = item.get("name").and_then(Value::as_str);
            let place = item.get("in").and_then(Value::as_str);
            let same_name = match location {
                // Header names are case-insensitive.
                "header" => name.is_some_and(|n| n.eq_ignore_ascii_case(wire_name)),
                _ => name == Some(wire_name),
            };
            if same_name && place == Some(location) {
                return format!("{list}/{i}");
            }
        }
    }
    op.pointer.clone()
}

/// The pointer of the request body.
pub fn request_body(op: &Operation) -> String {
    format!("{}/requestBody", op.pointer)
}

/// The pointer of one media type of the request body.
pub fn request_content(op: &Operation, media_type: &str) -> String {
    format!("{}/requestBody/content/{}", op.pointer, escape(media_type))
}

/// The pointer of the response for `status`, with the key as written
/// (`4XX` or `4xx`).
pub fn response(raw: &Value, op: &Operation, status: Status) -> String {
    let responses = format!("{}/responses", op.pointer);
    let key = match status {
        Status::Code(code) => code.to_string(),
        Status::Range(digit) => {
            let lower = format!("{digit}xx");
            match node(raw, &responses) {
                Some(Value::Object(map)) => map
                    .keys()
                    .find(|k| k.eq_ignore_ascii_case(&lower))
                    .cloned()
                    .unwrap_or_else(|| format!("{digit}XX")),
                _ => format!("{digit}XX"),
            }
        }
        Status::Default => "default".to_owned(),
    };
    format!("{responses}/{}", escape(&key))
}

/// The schemas a schema's properties and values may come from: itself,
/// and its `allOf` parts, depth first.
fn schema_parts(raw: &Value, pointer: &str, out: &mut Vec<String>, depth: usize) {
    if depth > 8 {
        return;
    }
    let Some(schema) = node(raw, pointer) else {
        return;
    };
    // The pointer of the schema itself, past a `$ref`.
    let own = match schema_ref_target(raw, pointer) {
        Some(target) => target,
        None => pointer.to_owned(),
    };
    out.push(own.clone());
    if let Some(Value::Array(parts)) = schema.get("allOf") {
        for i in 0..parts.len() {
            schema_parts(raw, &format!("{own}/allOf/{i}"), out, depth + 1);
        }
    }
}

/// Where the `$ref` at `pointer` leads in this document, when it is one.
fn schema_ref_target(raw: &Value, pointer: &str) -> Option<String> {
    let mut current = pointer.to_owned();
    let mut followed = false;
    for _ in 0..8 {
        let value = raw.pointer(current.strip_prefix('#').unwrap_or(&current))?;
        match value.get("$ref").and_then(Value::as_str) {
            Some(target) if target.starts_with('#') => {
                current = target.to_owned();
                followed = true;
            }
            _ => break,
        }
    }
    followed.then_some(current)
}

/// The pointer of the property `wire_name` of the schema at `schema`.
pub fn property(raw: &Value, schema: &str, wire_name: &str) -> String {
    let mut parts = Vec::new();
    schema_parts(raw, schema, &mut parts, 0);
    for part in parts {
        let candidate = format!("{part}/properties/{}", escape(wire_name));
        if node(raw, &candidate).is_some() {
            return candidate;
        }
    }
    schema.to_owned()
}

/// The pointer of the enum value `value` of the schema at `schema`.
pub fn enum_value(raw: &Value, schema: &str, value: &str) -> String {
    let mut parts = Vec::new();
    schema_parts(raw, schema, &mut parts, 0);
    for part in parts {
        if let Some(Value::Array(values)) = node(raw, &format!("{part}/enum")) {
            let found = values.iter().position(|v| match v {
                Value::String(s) => s == value,
                other => serde_json::to_string(other).is_ok_and(|text| text == value),
            });
            if let Some(i) = found {
                return format!("{part}/enum/{i}");
            }
        }
    }
    schema.to_owned()
}

/// The pointer of the union alternative at `index` of the schema at
/// `schema`, as `oneOf` or `anyOf` holds it.
pub fn union_variant(raw: &Value, schema: &str) -> String {
    let mut parts = Vec::new();
    schema_parts(raw, schema, &mut parts, 0);
    for part in parts {
        for keyword in ["oneOf", "anyOf"] {
            let candidate = format!("{part}/{keyword}");
            if node(raw, &candidate).is_some() {
                return candidate;
            }
        }
    }
    schema.to_owned()
}

/// The pointer of the operation's security requirements: its own, else
/// the document's, else (when neither is written) the operation.
pub fn security(raw: &Value, op: &Operation) -> String {
    let own = format!("{}/security", op.pointer);
    if node(raw, &own).is_some() {
        own
    } else if node(raw, "#/security").is_some() {
        "#/security".to_owned()
    } else {
        op.pointer.clone()
    }
}

/// The pointer of the security scheme `key`.
pub fn security_scheme(key: &str) -> String {
    format!("#/components/securitySchemes/{}", escape(key))
}

/// The pointer of the server at `index`.
pub fn server(index: usize) -> String {
    format!("#/servers/{index}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn properties_and_values_are_found_through_refs_and_all_of() {
        let raw = serde_json::json!({
            "components": {"schemas": {
                "Base": {"properties": {"id": {}, "a/b": {}}},
                "Pet": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {"name": {}}}]},
                "Kind": {"enum": ["dog", "cat"]},
            }}
        });
        let pet = "#/components/schemas/Pet";
        assert_eq!(
            property(&raw, pet, "name"),
            "#/components/schemas/Pet/allOf/1/properties/name"
        );
        assert_eq!(
            property(&raw, pet, "id"),
            "#/components/schemas/Base/properties/id"
        );
        assert_eq!(
            property(&raw, pet, "a/b"),
            "#/components/schemas/Base/properties/a~1b"
        );
        assert_eq!(property(&raw, pet, "missing"), pet);
        assert_eq!(
            enum_value(&raw, "#/components/schemas/Kind", "cat"),
            "#/components/schemas/Kind/enum/1"
        );
    }
}
