//! A schema's `type` keyword, read once into an enum.

use std::fmt;

use openapiv3::{Schema, SchemaKind, Type};

/// The `type` of a schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum JsonType {
    String,
    Number,
    Integer,
    Boolean,
    Array,
    Object,
    /// OpenAPI 3.1's `null`: a value that is only null.
    Null,
    /// A `type` OpenAPI does not define, as written. Where it decides a
    /// value's type, the value is any JSON value, with an `unknown-type`
    /// warning.
    Unknown(String),
}

impl JsonType {
    /// The type `name` (a `type` keyword's value) stands for.
    pub(crate) fn parse(name: &str) -> JsonType {
        match name {
            "string" => JsonType::String,
            "number" => JsonType::Number,
            "integer" => JsonType::Integer,
            "boolean" => JsonType::Boolean,
            "array" => JsonType::Array,
            "object" => JsonType::Object,
            "null" => JsonType::Null,
            other => JsonType::Unknown(other.to_owned()),
        }
    }

    /// The keyword's value, as written.
    pub(crate) fn name(&self) -> &str {
        match self {
            JsonType::String => "string",
            JsonType::Number => "number",
            JsonType::Integer => "integer",
            JsonType::Boolean => "boolean",
            JsonType::Array => "array",
            JsonType::Object => "object",
            JsonType::Null => "null",
            JsonType::Unknown(name) => name,
        }
    }

    /// `integer` or `number`.
    pub(crate) fn is_numeric(&self) -> bool {
        matches!(self, JsonType::Integer | JsonType::Number)
    }

    /// The `type` of `schema`, whether `openapiv3` typed the schema or left
    /// it as `SchemaKind::Any`; `None` when it has none.
    pub(crate) fn of(schema: &Schema) -> Option<JsonType> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(_)) => Some(JsonType::String),
            SchemaKind::Type(Type::Number(_)) => Some(JsonType::Number),
            SchemaKind::Type(Type::Integer(_)) => Some(JsonType::Integer),
            SchemaKind::Type(Type::Boolean(_)) => Some(JsonType::Boolean),
            SchemaKind::Type(Type::Array(_)) => Some(JsonType::Array),
            SchemaKind::Type(Type::Object(_)) => Some(JsonType::Object),
            SchemaKind::Any(any) => any.typ.as_deref().map(JsonType::parse),
            SchemaKind::OneOf { .. }
            | SchemaKind::AllOf { .. }
            | SchemaKind::AnyOf { .. }
            | SchemaKind::Not { .. } => None,
        }
    }
}

impl fmt::Display for JsonType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for name in [
            "string", "number", "integer", "boolean", "array", "object", "null",
        ] {
            let typ = JsonType::parse(name);
            assert!(!matches!(typ, JsonType::Unknown(_)), "{name}");
            assert_eq!(typ.name(), name);
            assert_eq!(typ.to_string(), name);
        }
    }

    /// Unknown names are kept as written (a warning quotes them), case and
    /// all: `type` values are case-sensitive.
    #[test]
    fn unknown_names_are_kept_as_written() {
        for name in ["", "String", "file", "int", " string"] {
            let typ = JsonType::parse(name);
            assert_eq!(typ, JsonType::Unknown(name.to_owned()));
            assert_eq!(typ.name(), name);
        }
        assert_ne!(JsonType::parse("file"), JsonType::parse("date"));
    }

    #[test]
    fn only_integer_and_number_are_numeric() {
        let numeric: Vec<&str> = [
            "string", "number", "integer", "boolean", "array", "object", "null", "decimal",
        ]
        .into_iter()
        .filter(|name| JsonType::parse(name).is_numeric())
        .collect();
        assert_eq!(numeric, ["number", "integer"]);
    }

    #[test]
    fn typed_and_untyped_schemas_give_the_same_type() {
        for name in ["string", "number", "integer", "boolean", "array", "object"] {
            let typed: Schema =
                serde_json::from_value(serde_json::json!({ "type": name })).expect("schema");
            assert!(matches!(typed.schema_kind, SchemaKind::Type(_)), "{name}");
            assert_eq!(JsonType::of(&typed), Some(JsonType::parse(name)));
        }
        let untyped: Schema =
            serde_json::from_value(serde_json::json!({ "type": "file" })).expect("schema");
        assert_eq!(
            JsonType::of(&untyped),
            Some(JsonType::Unknown("file".to_owned()))
        );
        let none: Schema =
            serde_json::from_value(serde_json::json!({ "description": "x" })).expect("schema");
        assert_eq!(JsonType::of(&none), None);
    }
}
