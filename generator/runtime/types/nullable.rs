/// Reads a field that is present, `null` included, as `Some`. With
/// `#[serde(default)]` an absent field stays `None`, so absent, `null`
/// and a value are three different states.
fn deserialize_nullable<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize<'de>>::deserialize(deserializer).map(Some)
}
