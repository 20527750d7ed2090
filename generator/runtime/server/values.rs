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
fn parse<T: DeserializeOwned>(raw: &str) -> Result<T, String> {
    match serde_json::from_value(serde_json::Value::String(raw.to_owned())) {
        Ok(value) => Ok(value),
        Err(error) => {
            if raw.is_empty() || raw.trim() != raw {
                return Err(error.to_string());
            }
            serde_json::from_str(raw).map_err(|_| error.to_string())
        }
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
