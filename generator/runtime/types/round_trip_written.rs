/// Reads `json` as a `T` and writes it, then reads that and writes it
/// again: both writings are the same text. (The types derive no
/// `PartialEq` or `Debug` here, so the two reads cannot be compared.)
fn round_trip_written<T>(json: &str)
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    let value: T = serde_json::from_str(json).expect("the example deserializes");
    let written = serde_json::to_string(&value).expect("the value serializes");
    let again: T = serde_json::from_str(&written).expect("the written value deserializes");
    let rewritten = serde_json::to_string(&again).expect("the value read back serializes");
    assert_eq!(written, rewritten);
}
