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
