//! The wire behaviour of the types generated from `tests/fixtures/schemas.yaml`:
//! tagged unions write and read their tag, untagged ones pick the most
//! specific variant, recursive and nullable types keep their shape.

use schemas_types::*;
use serde_json::{json, Value as Json};

fn dog(pet_type: &str) -> Dog {
    Dog::new(pet_type.to_owned(), "Rex".to_owned())
}

#[test]
fn tagged_union_writes_the_mapped_value_once() {
    // The variant decides the tag, whatever the struct's own field holds.
    let puppy = Pet::Puppy(dog("Dog"));
    let text = serde_json::to_string(&puppy).unwrap();
    assert_eq!(text.matches("petType").count(), 1, "{text}");
    assert_eq!(
        serde_json::to_value(&puppy).unwrap(),
        json!({"petType": "puppy", "name": "Rex"})
    );
    let dog_value = serde_json::to_value(Pet::Dog(dog("x"))).unwrap();
    assert_eq!(dog_value["petType"], "dog");
}

#[test]
fn tagged_union_reads_the_variant_from_the_tag() {
    let read: Pet = serde_json::from_value(json!({"petType": "puppy", "name": "Rex"})).unwrap();
    // The variant's struct keeps the tag as it was sent.
    assert_eq!(read, Pet::Puppy(dog("puppy")));
    let read: Pet = serde_json::from_value(json!({"petType": "dog", "name": "Rex"})).unwrap();
    assert_eq!(read, Pet::Dog(dog("dog")));
    // Without a mapping, the schema name is the value.
    let read: Animal = serde_json::from_value(json!({"petType": "Dog", "name": "Rex"})).unwrap();
    assert_eq!(read, Animal::Dog(dog("Dog")));
    // The schema name is not a value when the mapping names others.
    let error = serde_json::from_value::<Pet>(json!({"petType": "Dog", "name": "Rex"}))
        .unwrap_err()
        .to_string();
    assert!(error.contains("unknown variant `Dog`"), "{error}");
    assert!(error.contains("`cat`, `dog`, `puppy`"), "{error}");
    let error = serde_json::from_value::<Pet>(json!({"name": "Rex"}))
        .unwrap_err()
        .to_string();
    assert!(error.contains("missing field `petType`"), "{error}");
    // A variant whose own fields are wrong is an error, not another variant.
    assert!(serde_json::from_value::<Pet>(json!({"petType": "cat"})).is_err());
}

#[test]
fn constant_property_tags_a_union() {
    let circle: Shape = serde_json::from_value(json!({"shape": "circle", "radius": 1.0})).unwrap();
    assert_eq!(
        circle,
        Shape::Circle(ShapeCircle::new(ShapeCircleShape::Circle, 1.0))
    );
    let written = serde_json::to_value(&circle).unwrap();
    assert_eq!(written, json!({"shape": "circle", "radius": 1.0}));
    assert!(serde_json::from_value::<Shape>(json!({"shape": "triangle"})).is_err());
}

#[test]
fn untagged_union_prefers_the_specific_variant() {
    let read = |value: Json| serde_json::from_value::<Value>(value).unwrap();
    assert_eq!(read(json!(42)), Value::Integer(42));
    assert_eq!(read(json!(1.5)), Value::Number(1.5));
    assert!(matches!(
        read(json!("5f0c6f5e-9c1a-4a53-8e1b-2f6a0d3c9b11")),
        Value::Uuid(_)
    ));
    assert_eq!(read(json!("abc")), Value::String("abc".to_owned()));
    assert_eq!(read(json!(["a"])), Value::Array(vec!["a".to_owned()]));
    // `Named` requires more than `Entity`: it goes first, and keeps `name`.
    let id = "5f0c6f5e-9c1a-4a53-8e1b-2f6a0d3c9b11";
    assert!(matches!(
        read(json!({"id": id, "name": "n"})),
        Value::Named(_)
    ));
    assert!(matches!(read(json!({"id": id})), Value::Entity(_)));
    // Untagged values are written as they are.
    assert_eq!(serde_json::to_value(Value::Integer(7)).unwrap(), json!(7));
}

#[test]
fn null_alternatives_make_fields_nullable() {
    let holder: Holder =
        serde_json::from_value(json!({"value": null, "maybe": "x", "optional": null})).unwrap();
    assert_eq!(holder.value, None);
    assert_eq!(holder.maybe, Some(HolderMaybe::String("x".to_owned())));
    assert_eq!(holder.optional, Nullable::Null);
    let written = serde_json::to_value(&holder).unwrap();
    assert_eq!(
        written,
        json!({"value": null, "maybe": "x", "optional": null})
    );
}

#[test]
fn recursive_types_keep_their_shape() {
    let nested: Nested = serde_json::from_value(json!([[], [[]]])).unwrap();
    assert_eq!(
        nested,
        Nested(vec![Nested(vec![]), Nested(vec![Nested(vec![])])])
    );
    assert_eq!(serde_json::to_value(&nested).unwrap(), json!([[], [[]]]));
    let expr: Expr = serde_json::from_value(
        json!({"op": "add", "left": {"value": 1}, "right": {"op": "add", "left": {"value": 2}, "right": {"value": 3}}}),
    )
    .unwrap();
    let Expr::Sum(sum) = expr else {
        panic!("{expr:?}")
    };
    assert!(matches!(*sum.right, Expr::Sum(_)));
}

#[test]
fn enums_keep_colliding_and_empty_values() {
    let read = |value: &str| serde_json::from_value::<Letters>(json!(value)).unwrap();
    assert_eq!(read("a"), Letters::A);
    assert_eq!(read("A"), Letters::A2);
    assert_eq!(read(""), Letters::Empty);
    assert_eq!(read("Unknown"), Letters::Unknown);
    assert_eq!(read("z"), Letters::Unknown2("z".to_owned()));
    let priority: Priority = 3;
    assert_eq!(serde_json::to_value(priority).unwrap(), json!(3));
}

#[test]
fn all_of_merges_into_one_struct() {
    let owner: Owner = serde_json::from_value(json!({
        "id": "5f0c6f5e-9c1a-4a53-8e1b-2f6a0d3c9b11",
        "name": "Ada",
        "email": "ada@example.com",
        "kind": "anything"
    }))
    .unwrap();
    assert_eq!(owner.kind.as_deref(), Some("anything"));
    // `email` is required by a part that only constrains.
    assert!(serde_json::from_value::<Owner>(json!({
        "id": "5f0c6f5e-9c1a-4a53-8e1b-2f6a0d3c9b11",
        "name": "Ada"
    }))
    .is_err());
}

#[test]
fn properties_named_like_the_readers_locals_read_and_round_trip() {
    let input = json!({
        "others": "o", "absent": true, "first_missing": "f", "missing": 1,
        "slots": "s", "deserializer": "d", "additional_properties": "a", "extra": 7
    });
    let read: Bindings = serde_json::from_value(input.clone()).unwrap();
    assert_eq!(
        (
            read.missing,
            &*read.first_missing,
            read.absent,
            &*read.others
        ),
        (1, "f", true, "o")
    );
    assert_eq!(read.slots.as_deref(), Some("s"));
    assert_eq!(read.deserializer.as_deref(), Some("d"));
    assert_eq!(read.additional_properties2.as_deref(), Some("a"));
    assert_eq!(read.additional_properties.get("extra"), Some(&7));
    assert_eq!(serde_json::to_value(&read).unwrap(), input);
    // The first required property missing in the spec's order is named.
    let error = serde_json::from_str::<Bindings>(r#"{"missing": 1, "others": "o"}"#).unwrap_err();
    assert_eq!(
        error.to_string(),
        "missing field `first_missing` at line 1 column 29"
    );
    // Schemas named like the helper types beside them get `Model` appended.
    let writer: StructWriterModel = serde_json::from_value(json!({"name": "w"})).unwrap();
    assert_eq!(writer.name.as_deref(), Some("w"));
    let slot: RequiredSlotModel = "slot".to_owned();
    assert_eq!(serde_json::to_value(slot).unwrap(), json!("slot"));
}

/// The fixture's `Stamp` example names a day February does not have. The
/// type cannot read it, so a test of it would always fail: the generator
/// writes none, and says so with a warning at the example.
#[test]
fn an_example_the_type_cannot_read_gets_a_warning_and_no_test() {
    let example = json!({"at": "2024-02-30T10:00:00Z"});
    let error = serde_json::from_value::<Stamp>(example).unwrap_err();
    assert!(error.to_string().contains("out of range"), "{error}");
    let read: Stamp = serde_json::from_value(json!({"at": "2024-02-29T10:00:00Z"})).unwrap();
    assert_eq!(read.at.to_rfc3339(), "2024-02-29T10:00:00+00:00");

    let spec = apiforge_tests::root().join("tests/fixtures/schemas.yaml");
    let output = apiforge::generate(&spec, None).expect("the fixture generates");
    let warned: Vec<(&str, &str)> = output
        .warnings
        .iter()
        .filter(|w| w.kind.name() == "invalid-example")
        .map(|w| (w.pointer.as_str(), w.message.as_str()))
        .collect();
    assert_eq!(
        warned,
        [(
            "#/components/schemas/Stamp/example",
            "the example does not fit the schema at `/at`: `2024-02-30T10:00:00Z` is not an RFC 3339 \
             date-time; it gets no test in `examples.rs`"
        )]
    );
    let examples = std::fs::read_to_string(
        apiforge_tests::root().join("tests/expected/schemas/schemas-types/src/examples.rs"),
    )
    .expect("read examples.rs");
    assert!(!examples.contains("Stamp"), "{examples}");
}

/// Items and values whose schema admits `null` are `Option`s: a `null`
/// among them reads as `None` and is written back as `null`.
#[test]
fn nullable_items_and_values_read_and_write_null() {
    let wire = json!({"values": [1.5, null], "labels": {"a": "x", "b": null}});
    let read: Readings = serde_json::from_value(wire.clone()).unwrap();
    assert_eq!(read.values, [Some(1.5), None]);
    let labels = read.labels.as_ref().unwrap();
    assert_eq!(labels["a"].as_deref(), Some("x"));
    assert_eq!(labels["b"], None);
    assert_eq!(serde_json::to_value(&read).unwrap(), wire);
    // A value of another type is still refused, with its place.
    let error = serde_json::from_value::<Readings>(json!({"values": [1.5, "x"]})).unwrap_err();
    assert!(
        error.to_string().contains("invalid type: string \"x\""),
        "{error}"
    );
}
