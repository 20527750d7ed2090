//! The files of `types/`, as the generated types crate holds them: the
//! helpers sit at the root of the file that calls them, so they are
//! included here as items of one module, and tested through types like the
//! generated ones.

use serde::{Deserialize, Serialize};

include!("../types/nullable.rs");
include!("../types/tagged.rs");
include!("../types/file.rs");
include!("../types/basic_credentials.rs");
include!("../types/round_trip.rs");
include!("../types/round_trip_written.rs");
include!("../types/validate.rs");

/// A struct with an optional nullable field, as `models.rs` writes it.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Remark {
    #[serde(default, skip_serializing_if = "Nullable::is_absent")]
    note: Nullable<String>,
}

#[test]
fn absent_null_and_a_value_are_three_states() {
    let read = |json: &str| serde_json::from_str::<Remark>(json).unwrap().note;
    assert_eq!(read("{}"), Nullable::Absent);
    assert_eq!(read(r#"{"note": null}"#), Nullable::Null);
    assert_eq!(read(r#"{"note": "hi"}"#), Nullable::Value("hi".to_owned()));
    let write = |note: Nullable<String>| serde_json::to_string(&Remark { note }).unwrap();
    assert_eq!(write(Nullable::Absent), "{}");
    assert_eq!(write(Nullable::Null), r#"{"note":null}"#);
    assert_eq!(write(Nullable::Value("hi".to_owned())), r#"{"note":"hi"}"#);
    round_trip::<Remark>(r#"{"note": null}"#);
    round_trip::<Remark>(r#"{"note": "hi"}"#);
}

#[test]
fn a_nullable_is_read_with_one_call() {
    let value = Nullable::Value(3);
    assert_eq!(value.value(), Some(&3));
    assert_eq!(value.into_value(), Some(3));
    assert_eq!(Nullable::<i32>::Null.value(), None);
    assert_eq!(Nullable::<i32>::Absent.value(), None);
    assert!(Nullable::<i32>::default().is_absent());
    assert!(Nullable::<i32>::Null.is_null());
    assert_eq!(Nullable::from(Some(1)), Nullable::Value(1));
    assert_eq!(Nullable::<i32>::from(None), Nullable::Null);
    // Written where nothing skips it (an array item), absent is `null`.
    let items = vec![Nullable::Absent, Nullable::Null, Nullable::Value(1)];
    assert_eq!(serde_json::to_string(&items).unwrap(), "[null,null,1]");
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Cat {
    name: String,
}

/// A union told apart by its `kind` property, as `models.rs` writes one.
#[derive(Debug, PartialEq)]
enum Pet {
    Cat(Cat),
}

impl Serialize for Pet {
    fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: serde::Serializer,
    {
        match self {
            Self::Cat(content) => serialize_tagged(serializer, "kind", "cat", content),
        }
    }
}

impl<'de> Deserialize<'de> for Pet {
    fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
    where
        D: serde::Deserializer<'de>,
    {
        let (tag, value) = deserialize_tagged(deserializer, "kind")?;
        let variant = match tag.as_str() {
            "cat" => serde_json::from_value(value).map(Self::Cat),
            other => return Err(serde::de::Error::unknown_variant(other, &["cat"])),
        };
        variant.map_err(serde::de::Error::custom)
    }
}

#[test]
fn the_tag_is_written_and_read() {
    let cat = Pet::Cat(Cat {
        name: "Tom".to_owned(),
    });
    let written = serde_json::to_value(&cat).unwrap();
    assert_eq!(written, serde_json::json!({"kind": "cat", "name": "Tom"}));
    assert_eq!(serde_json::from_value::<Pet>(written).unwrap(), cat);
    round_trip::<Pet>(r#"{"kind": "cat", "name": "Tom"}"#);
}

#[test]
fn a_wrong_or_missing_tag_is_an_error() {
    let error = |json: &str| serde_json::from_str::<Pet>(json).unwrap_err().to_string();
    assert!(error(r#"{"name": "Tom"}"#).contains("missing field `kind`"));
    assert!(error(r#"{"kind": 1}"#).contains("`kind` is not a string"));
    assert!(error(r#"{"kind": "dog"}"#).contains("unknown variant `dog`"));
}

#[test]
fn a_tagged_variant_must_be_an_object() {
    /// A variant whose content is not a JSON object.
    struct Number;
    impl Serialize for Number {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            serialize_tagged(serializer, "kind", "number", &1)
        }
    }
    let error = serde_json::to_string(&Number).unwrap_err().to_string();
    assert!(error.contains("a variant tagged by `kind` must be a JSON object"));
}

#[test]
fn file_debug_shows_the_size_not_the_bytes() {
    let file = File {
        file_name: Some("a.txt".to_owned()),
        content_type: None,
        bytes: vec![0; 3],
    };
    assert_eq!(
        format!("{file:?}"),
        r#"File { file_name: Some("a.txt"), content_type: None, bytes: 3 bytes }"#
    );
    assert_eq!(file.clone(), file);
    assert_eq!(File::default().bytes.len(), 0);
}

#[test]
fn basic_credentials_debug_hides_the_password() {
    let basic = BasicCredentials {
        username: "ann".to_owned(),
        password: "secret".to_owned(),
    };
    let printed = format!("{:?}", basic.clone());
    assert_eq!(
        printed,
        r#"BasicCredentials { username: "ann", password: "<redacted>" }"#
    );
    assert!(!printed.contains(&basic.password));
}

/// A model with constraints, checked as `validate.rs` checks one.
#[derive(Debug, Serialize)]
struct Order {
    name: String,
    count: i32,
    tags: Vec<String>,
    price: f64,
}

static ORDER_NAME: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();

impl Validate for Order {
    fn check(&self, path: &Path<'_>, found: &mut Violations) {
        {
            let at = path.key("name");
            check_length(found, &at, &self.name, Some(2), Some(4));
            check_pattern(found, &at, &self.name, "^[a-z]+$", &ORDER_NAME);
        }
        {
            let at = path.key("count");
            check_minimum(found, &at, self.count, 1, false, "1");
            check_maximum(found, &at, self.count, 10, true, "10");
            check_multiple_of_integer(found, &at, i64::from(self.count), 3);
        }
        {
            let at = path.key("tags");
            check_items(found, &at, self.tags.len(), Some(1), Some(3));
            check_unique(found, &at, &self.tags);
            for (index, item) in self.tags.iter().enumerate() {
                let at = at.index(index);
                check_length(found, &at, item, None, Some(1));
            }
        }
        {
            let at = path.key("price");
            check_multiple_of(found, &at, self.price, 0.1, "0.1");
        }
    }
}

#[test]
fn a_valid_value_has_no_violations() {
    let order = Order {
        name: "abc".to_owned(),
        count: 9,
        tags: vec!["a".to_owned(), "b".to_owned()],
        price: 0.3,
    };
    assert_eq!(order.validate(), Ok(()));
}

#[test]
fn every_violation_names_its_place_and_rule() {
    let order = Order {
        name: "A".to_owned(),
        count: 10,
        tags: vec![
            "a".to_owned(),
            "bb".to_owned(),
            "a".to_owned(),
            "c".to_owned(),
        ],
        price: 0.25,
    };
    let violations = order.validate().unwrap_err();
    let found: Vec<(&str, &str)> = violations
        .0
        .iter()
        .map(|v| (v.path.as_str(), v.rule))
        .collect();
    assert_eq!(
        found,
        [
            ("/name", "minLength"),
            ("/name", "pattern"),
            ("/count", "exclusiveMaximum"),
            ("/count", "multipleOf"),
            ("/tags", "maxItems"),
            ("/tags/2", "uniqueItems"),
            ("/tags/1", "maxLength"),
            ("/price", "multipleOf"),
        ]
    );
    assert_eq!(
        violations.0[0].to_string(),
        "`/name` must be at least 2 characters long (`minLength`)"
    );
    assert!(violations
        .to_string()
        .contains("; `/name` must match `^[a-z]+$` (`pattern`)"));
}

#[test]
fn paths_escape_keys_and_counts_use_characters() {
    let mut found = Violations::default();
    let root = Path::ROOT;
    let key = root.key("a/b~c");
    check_length(&mut found, &key, "éé", Some(3), None);
    check_properties(&mut found, &root, 0, Some(1), None);
    check_minimum(&mut found, &root, 1.5, 1.5, true, "1.5");
    assert_eq!(found.0[0].path, "/a~1b~0c");
    assert_eq!(found.0[1].path, "");
    assert_eq!(
        found.0[1].to_string(),
        "must have at least 1 properties (`minProperties`)"
    );
    assert_eq!(found.0[2].rule, "exclusiveMinimum");
    assert_eq!(check_value(|_, _| {}), Ok(()));
}

/// The shared reader of `types/de.rs`, through types written as
/// `models.rs` writes them, each beside the derive it replaces.
mod de {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};

    use super::Nullable;

    include!("../types/de.rs");

    /// A struct with a field of each shape, and a map of the properties
    /// the schema does not list, as `models.rs` writes it.
    #[derive(Debug, PartialEq, Serialize)]
    struct Pet {
        id: u32,
        #[serde(rename = "ownerName", skip_serializing_if = "Nullable::is_absent")]
        owner_name: Nullable<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        age: Option<Box<u8>>,
        note: Option<String>,
        #[serde(flatten)]
        additional_properties: BTreeMap<String, u8>,
    }

    impl<'de> Deserialize<'de> for Pet {
        fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
        where
            D: serde::Deserializer<'de>,
        {
            deserialize_struct(deserializer, "Pet", &["id", "ownerName", "age", "note"])
        }
    }

    impl FromProperties for Pet {
        type Slots = (
            RequiredSlot<u32>,
            OptionalSlot<Nullable<String>>,
            OptionalSlot<Option<Box<u8>>>,
            OptionalSlot<Option<String>>,
        );
        type Others = KeptProperties<u8>;

        fn finish<E>(
            (id, owner_name, age, note): Self::Slots,
            others: Self::Others,
        ) -> Result<Self, E>
        where
            E: serde::de::Error,
        {
            match (id.0,) {
                (Some(id),) => Ok(Pet {
                    id,
                    owner_name: owner_name.0,
                    age: age.0,
                    note: note.0,
                    additional_properties: others.0,
                }),
                missing => Err(self::first_missing(&[missing.0.is_none()], &["id"])),
            }
        }
    }

    /// The slots of the structs of 4 properties, as `models.rs` writes
    /// them for each number of properties its structs have.
    impl<'de, S0, S1, S2, S3> PropertySlots<'de> for (S0, S1, S2, S3)
    where
        S0: PropertySlot<'de>,
        S1: PropertySlot<'de>,
        S2: PropertySlot<'de>,
        S3: PropertySlot<'de>,
    {
        fn start() -> Self {
            (S0::start(), S1::start(), S2::start(), S3::start())
        }

        fn read<A>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>
        where
            A: serde::de::MapAccess<'de>,
        {
            match index {
                0 => self.0.read(map),
                1 => self.1.read(map),
                2 => self.2.read(map),
                _ => self.3.read(map),
            }
        }
    }

    /// `Pet` as the derive reads it.
    #[derive(Debug, PartialEq, Deserialize)]
    struct DerivedPet {
        id: u32,
        #[serde(rename = "ownerName", default)]
        owner_name: Nullable<String>,
        #[serde(default)]
        age: Option<Box<u8>>,
        note: Option<String>,
        #[serde(flatten)]
        additional_properties: BTreeMap<String, u8>,
    }

    /// A struct without additional properties: others are skipped.
    #[derive(Debug, PartialEq)]
    struct Point {
        x: i64,
        y: i64,
    }

    impl<'de> Deserialize<'de> for Point {
        fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
        where
            D: serde::Deserializer<'de>,
        {
            deserialize_struct(deserializer, "Point", &["x", "y"])
        }
    }

    impl FromProperties for Point {
        type Slots = (RequiredSlot<i64>, RequiredSlot<i64>);
        type Others = SkippedProperties;

        fn finish<E>((x, y): Self::Slots, _: SkippedProperties) -> Result<Self, E>
        where
            E: serde::de::Error,
        {
            match (x.0, y.0) {
                (Some(x), Some(y)) => Ok(Point { x, y }),
                missing => Err(self::first_missing(
                    &[missing.0.is_none(), missing.1.is_none()],
                    &["x", "y"],
                )),
            }
        }
    }

    /// The slots of the structs of 2 properties.
    impl<'de, S0, S1> PropertySlots<'de> for (S0, S1)
    where
        S0: PropertySlot<'de>,
        S1: PropertySlot<'de>,
    {
        fn start() -> Self {
            (S0::start(), S1::start())
        }

        fn read<A>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>
        where
            A: serde::de::MapAccess<'de>,
        {
            match index {
                0 => self.0.read(map),
                _ => self.1.read(map),
            }
        }
    }

    /// `Point` as the derive reads it.
    #[derive(Debug, PartialEq, Deserialize)]
    struct DerivedPoint {
        x: i64,
        y: i64,
    }

    /// A struct without properties.
    #[derive(Debug, PartialEq)]
    struct Empty {}

    impl<'de> Deserialize<'de> for Empty {
        fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
        where
            D: serde::Deserializer<'de>,
        {
            deserialize_empty_struct(deserializer, "Empty").map(|()| Self {})
        }
    }

    /// `Empty` as the derive reads it.
    #[derive(Debug, PartialEq, Deserialize)]
    struct DerivedEmpty {}

    /// A string enum as `models.rs` writes it.
    #[derive(Debug, PartialEq)]
    enum Kind {
        Cat,
        Dog,
        Unknown(String),
    }

    impl Kind {
        fn as_str(&self) -> &str {
            match self {
                Self::Cat => "cat",
                Self::Dog => "Dog",
                Self::Unknown(value) => value,
            }
        }
    }

    impl Serialize for Kind {
        fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
        where
            S: serde::Serializer,
        {
            serializer.serialize_str(self.as_str())
        }
    }

    impl<'de> Deserialize<'de> for Kind {
        fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
        where
            D: serde::Deserializer<'de>,
        {
            let value = deserialize_str(deserializer)?;
            Ok(match &*value {
                "cat" => Self::Cat,
                "Dog" => Self::Dog,
                _ => Self::Unknown(value.into_owned()),
            })
        }
    }

    /// `Kind` as the derive writes and reads it.
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    enum DerivedKind {
        #[serde(rename = "cat")]
        Cat,
        Dog,
        #[serde(untagged)]
        Unknown(String),
    }

    /// What reading `json` gives: the value's `Debug`, or the error.
    fn read<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
        match serde_json::from_str::<T>(json) {
            Ok(value) => format!("{value:?}"),
            Err(error) => format!("error: {error}"),
        }
    }

    /// What reading `json` gives, read from bytes that cannot be
    /// borrowed (every string is handed over as a transient `&str`; the
    /// columns of errors count the character the reader looked ahead at).
    fn read_from_reader<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str) -> String {
        match serde_json::from_reader::<_, T>(json.as_bytes()) {
            Ok(value) => format!("{value:?}"),
            Err(error) => format!("error: {error}"),
        }
    }

    #[test]
    fn structs_read_as_the_derive_reads_them() {
        let inputs = [
            r#"{"id": 1}"#,
            r#"{"id": 1, "ownerName": null, "note": null}"#,
            r#"{"ownerName": "ann", "age": 3, "id": 2, "note": "x"}"#,
            r#"{"age": null, "id": 2, "extra": 7, "more": 8}"#,
            r#"{"id": 1, "e\u0078tra": 7, "own\u0065rName": "b"}"#,
            // Errors: missing, repeated, wrong types, not an object.
            r#"{"ownerName": "ann"}"#,
            r#"{"id": 1, "id": 2}"#,
            r#"{"id": 1, "ownerName": "a", "ownerName": null}"#,
            r#"{"id": "1"}"#,
            r#"{"id": null}"#,
            r#"{"id": 1, "age": 300}"#,
            r#"{"id": 1"#,
            r#"{"id": 1} x"#,
            r#""pet""#,
        ];
        for input in inputs {
            let derived = read::<DerivedPet>(input).replace("DerivedPet", "Pet");
            assert_eq!(read::<Pet>(input), derived, "{input}");
            let derived = read_from_reader::<DerivedPet>(input).replace("DerivedPet", "Pet");
            assert_eq!(read_from_reader::<Pet>(input), derived, "{input}");
        }
        // A property the struct keeps in its map is read where it is: the
        // derive read them all first, and placed the error at the end.
        assert_eq!(
            read::<Pet>(r#"{"id": 1, "extra": "seven", "more": 1}"#),
            "error: invalid type: string \"seven\", expected u8 at line 1 column 26"
        );
        assert_eq!(
            read::<DerivedPet>(r#"{"id": 1, "extra": "seven", "more": 1}"#),
            "error: invalid type: string \"seven\", expected u8 at line 1 column 38"
        );
        // An absent nullable property is not written; `null` is.
        let pet: Pet = serde_json::from_str(r#"{"id": 1, "ownerName": null, "x": 1}"#).unwrap();
        assert_eq!(
            serde_json::to_string(&pet).unwrap(),
            r#"{"id":1,"ownerName":null,"note":null,"x":1}"#
        );
    }

    #[test]
    fn errors_name_the_property_and_the_position() {
        assert_eq!(
            read::<Pet>("{\n  \"age\": 1\n}"),
            "error: missing field `id` at line 3 column 1"
        );
        assert_eq!(
            read::<Pet>(r#"{"id": 1, "id": 2}"#),
            "error: duplicate field `id` at line 1 column 14"
        );
        // The first required property absent, in the order of the fields.
        assert_eq!(
            read::<Point>("{}"),
            "error: missing field `x` at line 1 column 2"
        );
        assert_eq!(
            read::<Point>(r#"{"y": 1}"#),
            "error: missing field `x` at line 1 column 8"
        );
        assert_eq!(
            read::<Point>(r#"{"x": 1}"#),
            "error: missing field `y` at line 1 column 8"
        );
        assert_eq!(
            read::<Point>(r#"{"x": 1, "y": true}"#),
            "error: invalid type: boolean `true`, expected i64 at line 1 column 18"
        );
        assert_eq!(
            read::<Point>("[1, 2]"),
            "error: invalid type: sequence, expected struct Point at line 1 column 1"
        );
    }

    /// A struct of 200 properties `p0` to `p199`, each an optional
    /// number: more than the one-word duplicate check holds.
    #[derive(Debug)]
    struct Wide(Vec<Option<u8>>);

    impl<'de> Deserialize<'de> for Wide {
        fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
        where
            D: serde::Deserializer<'de>,
        {
            static FIELDS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
            let fields = FIELDS.get_or_init(|| {
                (0..200)
                    .map(|i| &*Box::leak(format!("p{i}").into_boxed_str()))
                    .collect()
            });
            deserialize_struct(deserializer, "Wide", fields)
        }
    }

    /// The slots of `Wide`: its 200 properties in one vector.
    struct WideSlots(Vec<Option<u8>>);

    impl<'de> PropertySlots<'de> for WideSlots {
        fn start() -> Self {
            WideSlots(vec![None; 200])
        }

        fn read<A>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>
        where
            A: serde::de::MapAccess<'de>,
        {
            self.0[index] = Some(map.next_value()?);
            Ok(())
        }
    }

    impl FromProperties for Wide {
        type Slots = WideSlots;
        type Others = SkippedProperties;

        fn finish<E>(slots: WideSlots, _: SkippedProperties) -> Result<Self, E>
        where
            E: serde::de::Error,
        {
            Ok(Wide(slots.0))
        }
    }

    #[test]
    fn repeated_properties_are_found_in_structs_of_any_width() {
        for (first, second) in [(0, 127), (127, 128), (128, 199), (5, 150)] {
            let input = format!(r#"{{"p{first}": 1, "p{second}": 2}}"#);
            let wide: Wide = serde_json::from_str(&input).unwrap();
            assert_eq!(wide.0.iter().flatten().count(), 2);
            assert_eq!((wide.0[first], wide.0[second]), (Some(1), Some(2)));
            for repeated in [first, second] {
                let input = format!(r#"{{"p{first}": 1, "p{second}": 2, "p{repeated}": 3}}"#);
                let message = read::<Wide>(&input);
                assert!(
                    message.starts_with(&format!("error: duplicate field `p{repeated}`")),
                    "{message}"
                );
            }
        }
    }

    #[test]
    fn unknown_properties_are_skipped_and_known_ones_found_in_any_order() {
        let inputs = [
            r#"{"x": 1, "y": 2}"#,
            r#"{"y": 2, "x": 1}"#,
            r#"{"z": {"deep": [1, {"x": 5}]}, "y": 2, "w": null, "x": 1}"#,
            r#"{"y": 2, "x": 1, "y": 3}"#,
            r#"{"y": 2}"#,
            r#"{}"#,
        ];
        for input in inputs {
            let derived = read::<DerivedPoint>(input).replace("DerivedPoint", "Point");
            assert_eq!(read::<Point>(input), derived, "{input}");
            let derived = read_from_reader::<DerivedPoint>(input).replace("DerivedPoint", "Point");
            assert_eq!(read_from_reader::<Point>(input), derived, "{input}");
        }
        // Other formats' deserializers: a JSON value.
        let value = serde_json::json!({"y": 2, "x": 1, "q": "r"});
        assert_eq!(
            serde_json::from_value::<Point>(value).unwrap(),
            Point { x: 1, y: 2 }
        );
    }

    #[test]
    fn a_struct_without_properties_reads_any_object() {
        for input in [r#"{}"#, r#"{"a": [1]}"#, r#"3"#, r#"null"#] {
            let derived = read::<DerivedEmpty>(input).replace("DerivedEmpty", "Empty");
            assert_eq!(read::<Empty>(input), derived, "{input}");
        }
    }

    #[test]
    fn string_enums_keep_unknown_values() {
        for input in [
            r#""cat""#,
            r#""Dog""#,
            r#""bird""#,
            r#""c\u0061t""#,
            r#""""#,
        ] {
            let derived = read::<DerivedKind>(input).replace("DerivedKind", "Kind");
            assert_eq!(read::<Kind>(input), derived, "{input}");
            let derived = read_from_reader::<DerivedKind>(input).replace("DerivedKind", "Kind");
            assert_eq!(read_from_reader::<Kind>(input), derived, "{input}");
            let kind: Kind = serde_json::from_str(input).unwrap();
            let written = serde_json::to_string(&kind).unwrap();
            let derived: DerivedKind = serde_json::from_str(input).unwrap();
            assert_eq!(written, serde_json::to_string(&derived).unwrap());
        }
        assert_eq!(
            read::<Kind>("[1]"),
            "error: invalid type: sequence, expected a string at line 1 column 0"
        );
    }
}

/// The shared writers of `types/ser.rs`, through structs whose
/// `Serialize` is written out as `models.rs` writes it, each beside the
/// derive it replaces.
mod ser {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::Nullable;

    include!("../types/ser.rs");

    /// A struct with a field of each shape, and a map of the properties
    /// the schema does not list.
    #[derive(Clone)]
    struct Pet {
        id: u32,
        owner_name: Nullable<String>,
        age: Option<Box<u8>>,
        note: Option<String>,
        additional_properties: BTreeMap<String, u8>,
    }

    impl Serialize for Pet {
        fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
        where
            S: serde::Serializer,
        {
            serialize_flattened(
                serializer,
                &["id", "ownerName", "age", "note"],
                (
                    &self.id,
                    UnlessAbsent(&self.owner_name),
                    UnlessNone(&self.age),
                    &self.note,
                ),
                &self.additional_properties,
            )
        }
    }

    /// The values of the structs of 4 properties, as `models.rs` writes
    /// them for each number of properties its structs have.
    impl<V0, V1, V2, V3> WrittenProperties<4> for (V0, V1, V2, V3)
    where
        V0: WrittenProperty,
        V1: WrittenProperty,
        V2: WrittenProperty,
        V3: WrittenProperty,
    {
        fn is_written(&self, index: usize) -> bool {
            match index {
                0 => self.0.is_written(),
                1 => self.1.is_written(),
                2 => self.2.is_written(),
                _ => self.3.is_written(),
            }
        }

        fn write<O>(&self, index: usize, name: &'static str, object: &mut O) -> Result<(), O::Error>
        where
            O: serde::ser::SerializeStruct,
        {
            match index {
                0 => self.0.write(name, object),
                1 => self.1.write(name, object),
                2 => self.2.write(name, object),
                _ => self.3.write(name, object),
            }
        }
    }

    /// The values of the structs of 3 properties.
    impl<V0, V1, V2> WrittenProperties<3> for (V0, V1, V2)
    where
        V0: WrittenProperty,
        V1: WrittenProperty,
        V2: WrittenProperty,
    {
        fn is_written(&self, index: usize) -> bool {
            match index {
                0 => self.0.is_written(),
                1 => self.1.is_written(),
                _ => self.2.is_written(),
            }
        }

        fn write<O>(&self, index: usize, name: &'static str, object: &mut O) -> Result<(), O::Error>
        where
            O: serde::ser::SerializeStruct,
        {
            match index {
                0 => self.0.write(name, object),
                1 => self.1.write(name, object),
                _ => self.2.write(name, object),
            }
        }
    }

    /// The values of the structs of one property.
    impl<V0> WrittenProperties<1> for (V0,)
    where
        V0: WrittenProperty,
    {
        fn is_written(&self, _index: usize) -> bool {
            self.0.is_written()
        }

        fn write<O>(
            &self,
            _index: usize,
            name: &'static str,
            object: &mut O,
        ) -> Result<(), O::Error>
        where
            O: serde::ser::SerializeStruct,
        {
            self.0.write(name, object)
        }
    }

    /// The values of the structs without properties.
    impl WrittenProperties<0> for () {
        fn is_written(&self, _index: usize) -> bool {
            false
        }

        fn write<O>(
            &self,
            _index: usize,
            _name: &'static str,
            _object: &mut O,
        ) -> Result<(), O::Error>
        where
            O: serde::ser::SerializeStruct,
        {
            Ok(())
        }
    }

    /// `Pet` as the derive writes it.
    #[derive(Serialize)]
    struct DerivedPet {
        id: u32,
        #[serde(rename = "ownerName", skip_serializing_if = "Nullable::is_absent")]
        owner_name: Nullable<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        age: Option<Box<u8>>,
        note: Option<String>,
        #[serde(flatten)]
        additional_properties: BTreeMap<String, u8>,
    }

    impl From<Pet> for DerivedPet {
        fn from(pet: Pet) -> Self {
            let Pet {
                id,
                owner_name,
                age,
                note,
                additional_properties,
            } = pet;
            Self {
                id,
                owner_name,
                age,
                note,
                additional_properties,
            }
        }
    }

    /// A struct of optional properties only, without the map: its length
    /// is that of the properties present (zero when none is).
    #[derive(Clone)]
    struct Sparse {
        a: Option<i64>,
        b: Nullable<bool>,
        c: Option<Nullable<bool>>,
    }

    impl Serialize for Sparse {
        fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
        where
            S: serde::Serializer,
        {
            serialize_struct(
                serializer,
                "Sparse",
                &["a", "b", "c"],
                (UnlessNone(&self.a), UnlessAbsent(&self.b), &self.c),
            )
        }
    }

    /// `Sparse` as the derive writes it.
    #[derive(Serialize)]
    #[serde(rename = "Sparse")]
    struct DerivedSparse {
        #[serde(skip_serializing_if = "Option::is_none")]
        a: Option<i64>,
        #[serde(skip_serializing_if = "Nullable::is_absent")]
        b: Nullable<bool>,
        c: Option<Nullable<bool>>,
    }

    impl From<Sparse> for DerivedSparse {
        fn from(Sparse { a, b, c }: Sparse) -> Self {
            Self { a, b, c }
        }
    }

    /// A struct of optional properties only, written without any.
    struct Quiet {
        a: Option<i64>,
    }

    impl Serialize for Quiet {
        fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
        where
            S: serde::Serializer,
        {
            serialize_struct(serializer, "Quiet", &["a"], (UnlessNone(&self.a),))
        }
    }

    /// A struct without properties.
    struct Empty;

    impl Serialize for Empty {
        fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
        where
            S: serde::Serializer,
        {
            serialize_struct(serializer, "Empty", &[], ())
        }
    }

    /// `Empty` as the derive writes it.
    #[derive(Serialize)]
    struct DerivedEmpty {}

    /// A struct with nothing but the map.
    struct Bag {
        additional_properties: BTreeMap<String, String>,
    }

    impl Serialize for Bag {
        fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
        where
            S: serde::Serializer,
        {
            serialize_flattened(serializer, &[], (), &self.additional_properties)
        }
    }

    /// What `value` is written as: compact and pretty JSON text, the JSON
    /// value, and a form body where the value is flat enough for one.
    fn written<T: Serialize>(value: &T) -> [String; 4] {
        [
            serde_json::to_string(value).unwrap(),
            serde_json::to_string_pretty(value).unwrap(),
            serde_json::to_value(value).unwrap().to_string(),
            serde_urlencoded::to_string(value).unwrap_or_else(|error| error.to_string()),
        ]
    }

    #[test]
    fn structs_write_as_the_derive_writes_them() {
        let pet = Pet {
            id: 1,
            owner_name: Nullable::Absent,
            age: None,
            note: None,
            additional_properties: BTreeMap::new(),
        };
        let pets = [
            pet.clone(),
            Pet {
                owner_name: Nullable::Null,
                age: Some(Box::new(3)),
                ..pet.clone()
            },
            Pet {
                owner_name: Nullable::Value("ann".to_owned()),
                note: Some("x".to_owned()),
                additional_properties: BTreeMap::from([
                    ("extra".to_owned(), 7),
                    ("b".to_owned(), 8),
                ]),
                ..pet.clone()
            },
        ];
        for pet in pets {
            let mine = written(&pet);
            assert_eq!(mine, written(&DerivedPet::from(pet)));
        }
        assert_eq!(
            written(&Pet {
                owner_name: Nullable::Null,
                ..pet
            })[0],
            r#"{"id":1,"ownerName":null,"note":null}"#
        );
        let values = [None, Some(0)];
        let nullables = [Nullable::Absent, Nullable::Null, Nullable::Value(true)];
        let optional_nullables = [None, Some(Nullable::Absent), Some(Nullable::Value(false))];
        for a in values {
            for b in nullables {
                for c in optional_nullables {
                    let sparse = Sparse { a, b, c };
                    let mine = written(&sparse);
                    assert_eq!(mine, written(&DerivedSparse::from(sparse)));
                }
            }
        }
    }

    /// A value that cannot be written.
    struct Failing;

    impl Serialize for Failing {
        fn serialize<S>(&self, _serializer: S) -> Result<S::Ok, S::Error>
        where
            S: serde::Serializer,
        {
            Err(serde::ser::Error::custom("cannot write this"))
        }
    }

    /// A struct whose second property fails, and the map after it.
    struct Halting {
        a: i64,
        b: Failing,
        c: Option<i64>,
        additional_properties: BTreeMap<String, u8>,
    }

    impl Serialize for Halting {
        fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
        where
            S: serde::Serializer,
        {
            serialize_flattened(
                serializer,
                &["a", "b", "c"],
                (&self.a, &self.b, UnlessNone(&self.c)),
                &self.additional_properties,
            )
        }
    }

    /// `Halting` as the derive writes it.
    #[derive(Serialize)]
    struct DerivedHalting {
        a: i64,
        b: Failing,
        #[serde(skip_serializing_if = "Option::is_none")]
        c: Option<i64>,
        #[serde(flatten)]
        additional_properties: BTreeMap<String, u8>,
    }

    /// `Halting` without the map: through `serialize_struct`.
    struct HaltingStruct(Halting);

    impl Serialize for HaltingStruct {
        fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
        where
            S: serde::Serializer,
        {
            serialize_struct(
                serializer,
                "Halting",
                &["a", "b", "c"],
                (&self.0.a, &self.0.b, UnlessNone(&self.0.c)),
            )
        }
    }

    /// `HaltingStruct` as the derive writes it.
    #[derive(Serialize)]
    struct DerivedHaltingStruct {
        a: i64,
        b: Failing,
        #[serde(skip_serializing_if = "Option::is_none")]
        c: Option<i64>,
    }

    /// The bytes written before the error, and the error.
    fn written_until_error<T: Serialize>(value: &T) -> (String, String) {
        let mut out = Vec::new();
        let error = serde_json::to_writer(&mut out, value).unwrap_err();
        (String::from_utf8(out).unwrap(), error.to_string())
    }

    #[test]
    fn the_first_error_ends_the_writing() {
        let halting = Halting {
            a: 1,
            b: Failing,
            c: Some(3),
            additional_properties: BTreeMap::from([("k".to_owned(), 7)]),
        };
        let derived = DerivedHalting {
            a: 1,
            b: Failing,
            c: Some(3),
            additional_properties: BTreeMap::from([("k".to_owned(), 7)]),
        };
        let mine = written_until_error(&halting);
        assert_eq!(mine, written_until_error(&derived));
        assert_eq!(
            mine,
            (r#"{"a":1,"b":"#.to_owned(), "cannot write this".to_owned())
        );
        let derived = DerivedHaltingStruct {
            a: 1,
            b: Failing,
            c: Some(3),
        };
        let mine = written_until_error(&HaltingStruct(halting));
        assert_eq!(mine, written_until_error(&derived));
        assert_eq!(mine.0, r#"{"a":1,"b":"#);
    }

    /// What JSON does not show: the name and length given to the
    /// serializer (which formats of fixed layout depend on), and the
    /// entries of a flattened map, as the derive gives them.
    #[test]
    fn the_serializer_is_told_the_derives_name_and_length() {
        use serde_test::{assert_ser_tokens, Token};

        let sparse = Sparse {
            a: Some(5),
            b: Nullable::Absent,
            c: None,
        };
        let tokens = [
            Token::Struct {
                name: "Sparse",
                len: 2,
            },
            Token::Str("a"),
            Token::Some,
            Token::I64(5),
            Token::Str("c"),
            Token::None,
            Token::StructEnd,
        ];
        assert_ser_tokens(&sparse, &tokens);
        assert_ser_tokens(&DerivedSparse::from(sparse), &tokens);
        let full = Sparse {
            a: None,
            b: Nullable::Null,
            c: Some(Nullable::Value(true)),
        };
        let tokens = [
            Token::Struct {
                name: "Sparse",
                len: 2,
            },
            Token::Str("b"),
            Token::None,
            Token::Str("c"),
            Token::Some,
            Token::Some,
            Token::Bool(true),
            Token::StructEnd,
        ];
        assert_ser_tokens(&full, &tokens);
        assert_ser_tokens(&DerivedSparse::from(full), &tokens);
        let empty = [
            Token::Struct {
                name: "Empty",
                len: 0,
            },
            Token::StructEnd,
        ];
        assert_ser_tokens(&Empty, &empty);
        let quiet = [
            Token::Struct {
                name: "Quiet",
                len: 0,
            },
            Token::StructEnd,
        ];
        assert_ser_tokens(&Quiet { a: None }, &quiet);
        let pet = Pet {
            id: 1,
            owner_name: Nullable::Null,
            age: None,
            note: None,
            additional_properties: BTreeMap::from([("k".to_owned(), 7)]),
        };
        let tokens = [
            Token::Map { len: None },
            Token::Str("id"),
            Token::U32(1),
            Token::Str("ownerName"),
            Token::None,
            Token::Str("note"),
            Token::None,
            Token::Str("k"),
            Token::U8(7),
            Token::MapEnd,
        ];
        assert_ser_tokens(&pet, &tokens);
        assert_ser_tokens(&DerivedPet::from(pet), &tokens);
    }

    #[test]
    fn absent_properties_leave_an_empty_object() {
        assert_eq!(written(&Quiet { a: None })[0], "{}");
        assert_eq!(written(&Empty), written(&DerivedEmpty {}));
        assert_eq!(written(&Empty)[0], "{}");
        assert_eq!(written(&Quiet { a: Some(2) })[0], r#"{"a":2}"#);
        let bag = Bag {
            additional_properties: BTreeMap::from([("k".to_owned(), "v".to_owned())]),
        };
        assert_eq!(written(&bag)[0], r#"{"k":"v"}"#);
        assert_eq!(written(&bag)[3], "k=v");
        let empty = Bag {
            additional_properties: BTreeMap::new(),
        };
        assert_eq!(written(&empty)[0], "{}");
    }
}

/// A type as `std-derives = []` generates it: serde's traits only.
#[derive(Serialize, Deserialize)]
struct Plain {
    note: Option<String>,
}

/// A type whose writing is not what it read: a count written one higher.
struct Drifting(u32);

impl Serialize for Drifting {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u32(self.0 + 1)
    }
}

impl<'de> Deserialize<'de> for Drifting {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        u32::deserialize(deserializer).map(Drifting)
    }
}

#[test]
fn a_type_without_partial_eq_round_trips_by_its_writing() {
    round_trip_written::<Plain>(r#"{"note": "hi"}"#);
    round_trip_written::<Plain>(r#"{"note": null}"#);
}

#[test]
#[should_panic(expected = "assertion `left == right` failed")]
fn a_writing_that_drifts_fails_the_round_trip() {
    round_trip_written::<Drifting>("1");
}
