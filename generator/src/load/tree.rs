//! The document's JSON tree read with every map and array at its exact
//! size. serde_json's own `Value` grows them by doubling as they are read,
//! which leaves a third of a large spec's tree as room never used (15 of
//! 47 MB on GitHub's), and the tree lives until resolve ends, where the
//! peak memory of a generation is. Here the entries of each map and array
//! are gathered first and the collection is made once, at its size.
//!
//! Everything else is serde_json's `Value` as it reads: the same values
//! for the same input, the same errors (the same "expected" texts, the
//! first key of a map read as a string, a repeated key keeping its first
//! place and its last value).

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Number, Value};

/// A JSON tree read at its exact size.
pub(super) struct Tree(pub(super) Value);

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D>(deserializer: D) -> Result<Tree, D::Error>
    where
        D: Deserializer<'de>,
    {
        deserializer.deserialize_any(TreeVisitor)
    }
}

struct TreeVisitor;

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Tree;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("any valid JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Tree, E> {
        Ok(Tree(Value::Bool(value)))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Tree, E> {
        Ok(Tree(Value::Number(value.into())))
    }

    fn visit_i128<E>(self, value: i128) -> Result<Tree, E>
    where
        E: serde::de::Error,
    {
        let de = serde::de::value::I128Deserializer::new(value);
        Number::deserialize(de).map(|n| Tree(Value::Number(n)))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Tree, E> {
        Ok(Tree(Value::Number(value.into())))
    }

    fn visit_u128<E>(self, value: u128) -> Result<Tree, E>
    where
        E: serde::de::Error,
    {
        let de = serde::de::value::U128Deserializer::new(value);
        Number::deserialize(de).map(|n| Tree(Value::Number(n)))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Tree, E> {
        Ok(Tree(
            Number::from_f64(value).map_or(Value::Null, Value::Number),
        ))
    }

    fn visit_str<E>(self, value: &str) -> Result<Tree, E> {
        Ok(Tree(Value::String(value.to_owned())))
    }

    fn visit_string<E>(self, value: String) -> Result<Tree, E> {
        Ok(Tree(Value::String(value)))
    }

    fn visit_none<E>(self) -> Result<Tree, E> {
        Ok(Tree(Value::Null))
    }

    fn visit_some<D>(self, deserializer: D) -> Result<Tree, D::Error>
    where
        D: Deserializer<'de>,
    {
        Tree::deserialize(deserializer)
    }

    fn visit_unit<E>(self) -> Result<Tree, E> {
        Ok(Tree(Value::Null))
    }

    fn visit_seq<A>(self, mut access: A) -> Result<Tree, A::Error>
    where
        A: SeqAccess<'de>,
    {
        let mut items = Vec::new();
        while let Some(Tree(item)) = access.next_element()? {
            items.push(item);
        }
        items.shrink_to_fit();
        Ok(Tree(Value::Array(items)))
    }

    fn visit_map<A>(self, mut access: A) -> Result<Tree, A::Error>
    where
        A: MapAccess<'de>,
    {
        let Some(first_key) = access.next_key_seed(FirstKey)? else {
            return Ok(Tree(Value::Object(Map::new())));
        };
        let Tree(first) = access.next_value()?;
        let mut entries = vec![(first_key, first)];
        while let Some((key, Tree(value))) = access.next_entry::<String, Tree>()? {
            entries.push((key, value));
        }
        // Built from an iterator of known length: one allocation of the
        // exact size; a repeated key is inserted again, as serde_json does.
        Ok(Tree(Value::Object(entries.into_iter().collect())))
    }
}

/// The first key of a map, read as serde_json reads it (`deserialize_str`).
struct FirstKey;

impl<'de> DeserializeSeed<'de> for FirstKey {
    type Value = String;

    fn deserialize<D>(self, deserializer: D) -> Result<String, D::Error>
    where
        D: Deserializer<'de>,
    {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for FirstKey {
    type Value = String;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a string key")
    }

    fn visit_str<E>(self, key: &str) -> Result<String, E> {
        Ok(key.to_owned())
    }

    fn visit_string<E>(self, key: String) -> Result<String, E> {
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::Tree;
    use serde_json::Value;

    /// The tree is serde_json's, for JSON and YAML alike (numbers, nulls,
    /// nesting, the order of keys, a repeated key).
    #[test]
    fn reads_what_serde_json_reads() {
        let json = r#"{"b": [1, -2, 3.5, 18446744073709551615, null, true, "x"],
            "a": {"z": {}, "y": []}, "b2": "\u00e9", "a": 7}"#;
        let ours = serde_json::from_str::<Tree>(json).unwrap().0;
        let theirs: Value = serde_json::from_str(json).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(
            ours.as_object().unwrap().keys().collect::<Vec<_>>(),
            theirs.as_object().unwrap().keys().collect::<Vec<_>>()
        );
        let yaml = "b: [1, -2, 3.5, ~, true, x]\na:\n  z: {}\n  y: []\n200: ok\n";
        let ours = serde_yaml::from_str::<Tree>(yaml).unwrap().0;
        let theirs: Value = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(ours, theirs);
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&theirs).unwrap()
        );
    }

    /// A number is read exactly, whatever else is built with the
    /// generator: cargo turns serde_json's `float_roundtrip` on for every
    /// crate of a build when one crate asks for it (as a generated server
    /// does), so without it the generator's output would depend on what it
    /// was built with.
    #[test]
    fn floats_are_read_exactly() {
        let json = r#"{"x": 13.393560493637775}"#;
        let tree = serde_json::from_str::<Tree>(json).unwrap().0;
        assert_eq!(tree["x"].as_f64(), Some(13.393560493637775));
        assert_eq!(serde_json::to_string(&tree).unwrap(), json.replace(' ', ""));
    }

    /// Errors read as serde_json's `Value` gives them.
    #[test]
    fn errors_are_serde_json_s() {
        for yaml in ["a: !tag 1\n", "? [1]\n: x\n", "{1: 2}"] {
            let ours = serde_yaml::from_str::<Tree>(yaml)
                .err()
                .map(|e| e.to_string());
            let theirs = serde_yaml::from_str::<Value>(yaml)
                .err()
                .map(|e| e.to_string());
            assert_eq!(ours, theirs, "{yaml}");
        }
        let json = "{\"a\": [1, 2,]}";
        let ours = serde_json::from_str::<Tree>(json)
            .err()
            .map(|e| e.to_string());
        let theirs = serde_json::from_str::<Value>(json)
            .err()
            .map(|e| e.to_string());
        assert_eq!(ours, theirs);
    }
}
