//! What the written-out serde impls of the types crate (`Deserialize` of
//! structs, both directions of string enums) say about bad JSON, and that
//! they read good JSON as the derives did: the types generated from
//! `tests/fixtures/schemas.yaml`, read with `serde_json`.

use schemas_types::*;
use serde_json::json;

/// The message of the error reading `json` as a `T`.
fn error<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
    serde_json::from_str::<T>(json).unwrap_err().to_string()
}

const OWNER: &str =
    r#"{"id": "6f1d1b2e-8d5c-4a43-9f1e-0a7c2f6e1b11", "name": "Ann", "email": "a@b.c"}"#;

#[test]
fn a_missing_required_property_is_named_with_the_position() {
    assert_eq!(
        error::<Owner>(
            "{\n  \"id\": \"6f1d1b2e-8d5c-4a43-9f1e-0a7c2f6e1b11\",\n  \"name\": \"Ann\"\n}"
        ),
        "missing field `email` at line 4 column 1"
    );
    // The name on the wire, not the field's.
    assert_eq!(
        error::<Cat>(r#"{"name": "Tom"}"#),
        "missing field `petType` at line 1 column 15"
    );
}

#[test]
fn a_repeated_property_is_named() {
    assert_eq!(
        error::<Owner>(r#"{"name": "Ann", "email": "a@b.c", "name": "Bo"}"#),
        "duplicate field `name` at line 1 column 40"
    );
}

#[test]
fn a_wrong_type_deep_inside_says_what_was_expected_and_where() {
    assert_eq!(
        error::<Tree>(r#"{"label": "a", "children": [{"label": "b"}, {"label": 7}]}"#),
        "invalid type: integer `7`, expected a string at line 1 column 55"
    );
    assert_eq!(
        error::<Owner>(&OWNER.replace('}', r#", "age": "3"}"#)),
        "invalid type: string \"3\", expected i32 at line 1 column 90"
    );
    assert_eq!(
        error::<Owner>("[1]"),
        "invalid type: sequence, expected struct Owner at line 1 column 1"
    );
}

#[test]
fn null_for_a_required_property_that_is_not_nullable_is_an_error() {
    assert_eq!(
        error::<Owner>(&OWNER.replace(r#""Ann""#, "null")),
        "invalid type: null, expected a string at line 1 column 59"
    );
}

#[test]
fn trailing_characters_are_an_error() {
    assert_eq!(
        error::<Owner>(&format!("{OWNER} x")),
        "trailing characters at line 1 column 81"
    );
}

#[test]
fn unknown_enum_values_are_kept_and_written_back() {
    let letters: Vec<Letters> = serde_json::from_str(r#"["a", "A", "", "Unknown", "zz"]"#).unwrap();
    assert_eq!(
        letters,
        [
            Letters::A,
            Letters::A2,
            Letters::Empty,
            Letters::Unknown,
            Letters::Unknown2("zz".to_owned())
        ]
    );
    assert_eq!(
        serde_json::to_value(&letters).unwrap(),
        json!(["a", "A", "", "Unknown", "zz"])
    );
    assert_eq!(
        error::<Letters>("1"),
        "invalid type: integer `1`, expected a string at line 1 column 1"
    );
}

#[test]
fn absent_null_and_a_value_stay_three_states() {
    let holder: Holder =
        serde_json::from_str(r#"{"value": null, "maybe": null, "excluded": null}"#).unwrap();
    assert_eq!(holder.optional, Nullable::Absent);
    assert_eq!(holder.excluded, None);
    let holder: Holder =
        serde_json::from_str(r#"{"value": 3, "maybe": null, "optional": null}"#).unwrap();
    assert_eq!(holder.optional, Nullable::Null);
    assert_eq!(holder.value, Some(Value::Integer(3)));
    let holder: Holder = serde_json::from_str(
        r#"{"value": null, "maybe": null, "optional": {"petType": "Cat", "name": "Tom"}}"#,
    )
    .unwrap();
    assert_eq!(
        holder.optional,
        Nullable::Value(Cat::new("Cat".to_owned(), "Tom".to_owned()))
    );
    // A required property that may be `null` may also be left out, as
    // with the derive.
    let holder: Holder = serde_json::from_str("{}").unwrap();
    assert_eq!((holder.value, holder.maybe), (None, None));
    assert_eq!(
        serde_json::to_value(Holder::new(None, None)).unwrap(),
        json!({"value": null, "maybe": null})
    );
}

#[test]
fn properties_the_schema_does_not_list_are_kept_where_it_allows_them() {
    let extended: Extended =
        serde_json::from_str(r#"{"label": "x", "size": 3, "tags": ["a"]}"#).unwrap();
    assert_eq!(extended.label.as_deref(), Some("x"));
    assert_eq!(extended.additional_properties["size"], json!(3));
    assert_eq!(extended.additional_properties["tags"], json!(["a"]));
    assert_eq!(
        serde_json::to_value(&extended).unwrap(),
        json!({"label": "x", "size": 3, "tags": ["a"]})
    );
    // Elsewhere they are skipped.
    let owner: Owner = serde_json::from_str(&OWNER.replace('}', r#", "x": {"y": [1]}}"#)).unwrap();
    assert_eq!(owner.name, "Ann");
}

#[test]
fn boxed_and_recursive_fields_read_at_any_depth() {
    let tree: Tree = serde_json::from_str(
        r#"{"label": "root", "parent": {"label": "up"}, "children": [{"label": "leaf", "children": []}]}"#,
    )
    .unwrap();
    assert_eq!(tree.parent.as_ref().unwrap().label, "up");
    assert_eq!(tree.children.as_ref().unwrap()[0].label, "leaf");
    assert_eq!(
        serde_json::to_value(&tree).unwrap(),
        json!({"label": "root", "parent": {"label": "up"}, "children": [{"label": "leaf", "children": []}]})
    );
}
