// Fixed code of every generated client that decodes responses or reads
// their headers: spliced into its `client.rs` after `read_body` (see
// `generator/src/emit/client/client.rs`). Plain `//` comments stay here;
// `///` docs go into the generated crate.

/// Decodes a JSON response body; on failure the error keeps the
/// status and the raw body.
fn decode<T: serde::de::DeserializeOwned>(status: u16, content: Bytes) -> Result<T, Error> {
    serde_json::from_slice(&content).map_err(|source| Error::Decode {
        status,
        body: Vec::from(content),
        source,
    })
}

/// A text response body; on failure the error keeps the status and
/// the raw body.
fn decode_text(status: u16, content: Bytes) -> Result<String, Error> {
    String::from_utf8(Vec::from(content)).map_err(|error| Error::Decode {
        status,
        body: error.into_bytes(),
        source: serde::de::Error::custom("the body is not UTF-8 text"),
    })
}

/// Reads one header value as `T`: first as a JSON string (strings,
/// uuids, dates, enums), then as a JSON literal (numbers, booleans).
fn parse_header<T: serde::de::DeserializeOwned>(raw: &str) -> Result<T, String> {
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

/// The values of header `name`, which must be visible ASCII.
fn header_values<'h>(headers: &'h reqwest::header::HeaderMap, name: &str) -> Result<Vec<&'h str>, String> {
    headers
        .get_all(name)
        .iter()
        .map(|value| value.to_str().map_err(|_| "the value is not visible ASCII".to_owned()))
        .collect()
}

/// A declared response header that cannot be read.
fn invalid_header(status: u16, name: &str, content: &[u8], message: String) -> Error {
    Error::InvalidHeader { status, name: name.to_owned(), body: content.to_vec(), message }
}

/// Response header `name` as `T` (the first value when sent several
/// times); `None` when absent. An error keeps the status and body.
fn read_header<T: serde::de::DeserializeOwned>(headers: &reqwest::header::HeaderMap, name: &str, status: u16, content: &[u8]) -> Result<Option<T>, Error> {
    let values = header_values(headers, name).map_err(|message| invalid_header(status, name, content, message))?;
    values
        .first()
        .map(|value| parse_header(value.trim()))
        .transpose()
        .map_err(|message| invalid_header(status, name, content, message))
}

/// Response header `name`, which the response declares required.
fn read_required_header<T: serde::de::DeserializeOwned>(headers: &reqwest::header::HeaderMap, name: &str, status: u16, content: &[u8]) -> Result<T, Error> {
    read_header(headers, name, status, content)?
        .ok_or_else(|| invalid_header(status, name, content, "the header is missing".to_owned()))
}

/// Response header `name` as a list: the comma-separated items of
/// every value; `None` when absent. An error keeps the status and body.
fn read_header_list<T: serde::de::DeserializeOwned>(headers: &reqwest::header::HeaderMap, name: &str, status: u16, content: &[u8]) -> Result<Option<Vec<T>>, Error> {
    let values = header_values(headers, name).map_err(|message| invalid_header(status, name, content, message))?;
    if values.is_empty() {
        return Ok(None);
    }
    values
        .iter()
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(parse_header)
        .collect::<Result<Vec<T>, String>>()
        .map(Some)
        .map_err(|message| invalid_header(status, name, content, message))
}

/// Response header `name` as a list, which the response declares required.
fn read_required_header_list<T: serde::de::DeserializeOwned>(headers: &reqwest::header::HeaderMap, name: &str, status: u16, content: &[u8]) -> Result<Vec<T>, Error> {
    read_header_list(headers, name, status, content)?
        .ok_or_else(|| invalid_header(status, name, content, "the header is missing".to_owned()))
}
