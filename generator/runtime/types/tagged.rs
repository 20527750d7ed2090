/// Writes `content` (a JSON object) with its `tag` property set to
/// `value`, for the enums told apart by a property: the tag always
/// carries the value that selects the variant.
fn serialize_tagged<S, T>(
    serializer: S,
    tag: &str,
    value: &str,
    content: &T,
) -> Result<S::Ok, S::Error>
where
    S: serde::Serializer,
    T: serde::Serialize,
{
    let serde_json::Value::Object(mut object) =
        serde_json::to_value(content).map_err(serde::ser::Error::custom)?
    else {
        return Err(serde::ser::Error::custom(format_args!(
            "a variant tagged by `{tag}` must be a JSON object"
        )));
    };
    object.insert(tag.to_owned(), serde_json::Value::String(value.to_owned()));
    serde::Serialize::serialize(&object, serializer)
}

/// Reads a JSON object and the value of its `tag` property, for the
/// enums told apart by a property.
fn deserialize_tagged<'de, D>(
    deserializer: D,
    tag: &str,
) -> Result<(String, serde_json::Value), D::Error>
where
    D: serde::Deserializer<'de>,
{
    let value: serde_json::Value = serde::Deserialize::deserialize(deserializer)?;
    let found = match value.get(tag) {
        Some(serde_json::Value::String(found)) => found.clone(),
        Some(_) => {
            return Err(serde::de::Error::custom(format_args!(
                "`{tag}` is not a string"
            )))
        }
        None => {
            return Err(serde::de::Error::custom(format_args!(
                "missing field `{tag}`"
            )))
        }
    };
    Ok((found, value))
}
