/// Reads `json` as a `T`, writes it back and reads that again: both
/// reads give the same value.
fn round_trip<T>(json: &str)
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let value: T = serde_json::from_str(json).expect("the example deserializes");
    let written = serde_json::to_string(&value).expect("the value serializes");
    let again: T = serde_json::from_str(&written).expect("the written value deserializes");
    assert_eq!(value, again);
}
