// Fixed helpers of every generated server's `extract.rs`: reading raw
// parameter values and cookies, and the rejections for parameters that are
// missing or invalid. Spliced into `extract.rs` (see
// `generator/src/emit/server/extract.rs`), which keeps the items the handlers
// reach and imports what they name (`HeaderMap`, `DeserializeOwned`,
// `Rejection`, `RejectionKind`, `ParameterLocation`). Plain `//` comments stay
// here; `///` docs go into the generated crate.

/// A parameter whose value cannot be read.
fn invalid(
    name: &'static str,
    location: ParameterLocation,
    error: impl std::fmt::Display,
) -> Rejection {
    Rejection::new(
        RejectionKind::InvalidParameter { name, location },
        format!("invalid {location} parameter `{name}`: {error}"),
    )
}

/// Reads one raw value as `T`: first as a JSON string (strings,
/// uuids, dates, enums), then as a JSON literal (numbers, booleans).
pub(crate) fn parse<T: DeserializeOwned>(raw: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(raw.to_owned()))
        .or_else(|error| json_literal(raw, &error))
}

/// Reads one raw value of a type that reads itself from a string
/// (strings, uuids, string enums) as `parse` does, without building a
/// `serde_json::Value`: the string deserializer calls the same visitor
/// with the same text, so the value and the error are the same.
pub(crate) fn parse_str<T: DeserializeOwned>(raw: &str) -> Result<T, String> {
    // serde's own error type: the message is the same as serde_json's
    // (which keeps a custom message as it is), without the search for a
    // line and column in it and the boxed error serde_json makes.
    let text = serde::de::value::StrDeserializer::<serde::de::value::Error>::new(raw);
    T::deserialize(text).or_else(|error| json_literal(raw, &error))
}

/// `raw` read as a JSON literal, after it failed as a string with
/// `error`, whose message is the answer when it is no literal either.
fn json_literal<T: DeserializeOwned>(raw: &str, error: &impl std::fmt::Display) -> Result<T, String> {
    if !json_text_start(raw) || raw.trim() != raw {
        return Err(error.to_string());
    }
    serde_json::from_str(raw).map_err(|_| error.to_string())
}

/// Whether `raw` starts as a JSON text can: a string, object, array or
/// number, or is `true`, `false` or `null`. Any other text is refused by
/// the JSON reader whatever the type, so a value that is not one (a
/// malformed uuid) is refused without running it.
fn json_text_start(raw: &str) -> bool {
    match raw.as_bytes().first() {
        Some(b'"' | b'{' | b'[' | b'-' | b'0'..=b'9') => true,
        _ => matches!(raw, "true" | "false" | "null"),
    }
}

/// Reads one raw value as an integer by `FromStr` when it is written as
/// JSON writes integers (no sign `+`, no leading zero, not `-0`, which
/// JSON reads as a float); anything else, and an integer out of range,
/// goes to `parse`, which accepts or refuses it as before, with its own
/// message.
pub(crate) fn parse_integer<T: DeserializeOwned + std::str::FromStr>(raw: &str) -> Result<T, String> {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    let json_integer = digits.bytes().all(|b| b.is_ascii_digit())
        && match digits.as_bytes() {
            [] => false,
            [b'0'] => digits.len() == raw.len(),
            [b'0', ..] => false,
            _ => true,
        };
    match json_integer.then(|| raw.parse::<T>().ok()).flatten() {
        Some(value) => Ok(value),
        None => parse(raw),
    }
}

/// Reads one raw value as a boolean: `true` and `false`, as JSON writes
/// them; anything else goes to `parse` for its message.
pub(crate) fn parse_bool(raw: &str) -> Result<bool, String> {
    match raw {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => parse(raw),
    }
}

/// A required parameter that is absent.
fn missing(name: &'static str, location: ParameterLocation) -> Rejection {
    Rejection::new(
        RejectionKind::MissingParameter { name, location },
        format!("missing required {location} parameter `{name}`"),
    )
}

/// The values of the cookies named `name`, from every `Cookie` header.
fn cookies<'h>(headers: &'h HeaderMap, name: &'h str) -> impl Iterator<Item = &'h str> + 'h {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(move |pair| {
            let (key, value) = pair.split_once('=')?;
            (key.trim() == name).then_some(value.trim())
        })
}
