// Fixed code of every generated client: spliced into its `client.rs` after
// the `Client`'s methods (see `generator/src/emit/client/client.rs`): the base
// URL, the request, and parameters in the path, query, headers and cookies.
// Plain `//` comments stay here; `///` docs go into the generated crate.

/// Parses and checks a base URL: absolute, `http` or `https`, and able
/// to take path segments.
fn parse_base_url(base_url: &str) -> Result<reqwest::Url, Error> {
    let url = reqwest::Url::parse(base_url)
        .map_err(|e| Error::InvalidBaseUrl(format!("not an absolute URL: {e}")))?;
    if url.scheme() != "http" && url.scheme() != "https" {
        return Err(Error::InvalidBaseUrl(format!(
            "the scheme is `{}`, not `http` or `https`",
            url.scheme()
        )));
    }
    if url.cannot_be_a_base() {
        return Err(Error::InvalidBaseUrl("the URL cannot take a path".to_owned()));
    }
    Ok(url)
}

/// A request to the base URL's path followed by `segments`, each
/// percent-encoded as one segment (a `/` in a value stays in its
/// segment).
fn new_request(client: &Client, method: reqwest::Method, segments: &[&str]) -> Result<reqwest::Request, Error> {
    // A URL drops such segments, which would silently change the path.
    if let Some(segment) = segments.iter().find(|s| **s == "." || **s == "..") {
        return Err(Error::InvalidRequest(format!(
            "a path segment cannot be `{segment}`"
        )));
    }
    // Appending segments is the cheapest way to a `Url`: writing the path
    // string here and calling `set_path` measured slower, since the URL
    // parser runs over the whole path either way.
    let mut url = client.base_url.clone();
    url.path_segments_mut()
        .map_err(|()| Error::InvalidBaseUrl("the URL cannot take a path".to_owned()))?
        .pop_if_empty()
        .extend(segments);
    // Through the request builder, so that user info in the base URL
    // becomes basic authentication.
    client.http.request(method, url).build().map_err(Error::Transport)
}

/// The wire strings of a parameter's value: none for `None`, one per
/// item for an array, one otherwise. Strings are sent as they are;
/// numbers, booleans and other values as their JSON text.
fn param_strings<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<Vec<String>, Error> {
    let value = serde_json::to_value(value).map_err(|e| {
        Error::InvalidRequest(format!("cannot serialize parameter `{name}`: {e}"))
    })?;
    let text = |value: serde_json::Value| match value {
        serde_json::Value::String(text) => text,
        other => other.to_string(),
    };
    Ok(match value {
        serde_json::Value::Null => Vec::new(),
        serde_json::Value::Array(items) => items.into_iter().map(text).collect(),
        other => vec![text(other)],
    })
}

/// A path parameter's value (array items joined with commas). An
/// empty value is refused: `//` in a path may reach another route.
fn path_param<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<String, Error> {
    let value = param_strings(name, value)?.join(",");
    path_text(name, &value)?;
    Ok(value)
}

/// A path parameter whose value is text already (a string, an enum's
/// value on the wire), as it is: no `serde_json` on the way. An empty
/// value is refused, as `path_param` refuses it.
fn path_text<'v>(name: &str, value: &'v str) -> Result<&'v str, Error> {
    if value.is_empty() {
        return Err(Error::InvalidRequest(format!("path parameter `{name}` is empty")));
    }
    Ok(value)
}

/// The `Display` text of a parameter's value (an integer, a boolean, a
/// UUID), which the generated code writes in a path, a query or a header.
/// These texts are at most 40 bytes (`i128::MIN` and a UUID fit), so they
/// are written into the value itself: a call's parameters cost no `String`
/// each.
enum DisplayText {
    /// A text that fits, written into a buffer on the stack.
    Short(ShortText),
    /// A longer text: no type the generated code writes this way has one.
    Long(String),
}

impl DisplayText {
    /// The text `value` displays.
    fn of<T: std::fmt::Display + ?Sized>(value: &T) -> DisplayText {
        let mut short = ShortText {
            bytes: [0; 40],
            len: 0,
        };
        match std::fmt::Write::write_fmt(&mut short, format_args!("{value}")) {
            Ok(()) => DisplayText::Short(short),
            Err(_) => DisplayText::Long(value.to_string()),
        }
    }
}

impl std::ops::Deref for DisplayText {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            // `write_str` only ever copies a whole `&str` in, so the bytes
            // are UTF-8 and the fallback is never taken.
            DisplayText::Short(short) => std::str::from_utf8(&short.bytes[..short.len]).unwrap_or_default(),
            DisplayText::Long(text) => text,
        }
    }
}

/// The buffer of a [`DisplayText::Short`]: the first `len` bytes of
/// `bytes` are the text.
struct ShortText {
    bytes: [u8; 40],
    len: usize,
}

impl std::fmt::Write for ShortText {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        let end = self.len + text.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(text.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Appends a query parameter whose value is text already (a string, an
/// enum's value, a number or boolean written by `Display`), unless it is
/// `None`.
fn query_text(request: &mut reqwest::Request, name: &str, value: Option<&str>) {
    if let Some(value) = value {
        request.url_mut().query_pairs_mut().append_pair(name, value);
    }
}

/// Appends a query parameter, unless its value is `None`. An array
/// repeats the key per item without a `delimiter`, else joins its
/// items with it.
fn query<T: serde::Serialize + ?Sized>(
    request: &mut reqwest::Request,
    name: &str,
    value: &T,
    delimiter: Option<char>,
) -> Result<(), Error> {
    let values = param_strings(name, value)?;
    if values.is_empty() {
        return Ok(());
    }
    let mut pairs = request.url_mut().query_pairs_mut();
    match delimiter {
        None => {
            for value in &values {
                pairs.append_pair(name, value);
            }
        }
        Some(delimiter) => {
            pairs.append_pair(name, &values.join(&delimiter.to_string()));
        }
    }
    Ok(())
}

/// Sets a header parameter, unless its value is `None` (array items
/// joined with commas).
fn header<T: serde::Serialize + ?Sized>(request: &mut reqwest::Request, name: &str, value: &T) -> Result<(), Error> {
    let values = param_strings(name, value)?;
    if values.is_empty() {
        return Ok(());
    }
    set_header(request, name, &values.join(","), false)
}

/// Sets a header parameter whose value is text already, unless it is
/// `None`.
fn header_text(request: &mut reqwest::Request, name: &str, value: Option<&str>) -> Result<(), Error> {
    match value {
        Some(value) => set_header(request, name, value, false),
        None => Ok(()),
    }
}

/// Sets a header; a `sensitive` value is hidden from `Debug` output.
/// An error never shows the value.
fn set_header(request: &mut reqwest::Request, name: &str, value: &str, sensitive: bool) -> Result<(), Error> {
    let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| Error::InvalidRequest(format!("`{name}` is not a valid header name")))?;
    let mut value = reqwest::header::HeaderValue::from_str(value).map_err(|_| {
        Error::InvalidRequest(format!(
            "the value of header `{name}` has characters a header cannot carry"
        ))
    })?;
    value.set_sensitive(sensitive);
    request.headers_mut().insert(name, value);
    Ok(())
}

/// Adds a cookie parameter, unless its value is `None` (array items
/// joined with commas).
fn cookie<T: serde::Serialize + ?Sized>(request: &mut reqwest::Request, name: &str, value: &T) -> Result<(), Error> {
    let values = param_strings(name, value)?;
    if values.is_empty() {
        return Ok(());
    }
    add_cookie(request, name, &values.join(","), false)
}

/// Adds `name=value` to the request's one `Cookie` header, which is
/// hidden from `Debug` output once a `sensitive` value is in it. An
/// error never shows the value.
fn add_cookie(request: &mut reqwest::Request, name: &str, value: &str, sensitive: bool) -> Result<(), Error> {
    let mut cookie = Vec::new();
    let mut sensitive = sensitive;
    if let Some(existing) = request.headers().get(reqwest::header::COOKIE) {
        cookie.extend_from_slice(existing.as_bytes());
        cookie.extend_from_slice(b"; ");
        sensitive |= existing.is_sensitive();
    }
    cookie.extend_from_slice(name.as_bytes());
    cookie.push(b'=');
    cookie.extend_from_slice(value.as_bytes());
    let mut cookie = reqwest::header::HeaderValue::from_bytes(&cookie).map_err(|_| {
        Error::InvalidRequest(format!(
            "cookie `{name}` has characters a header cannot carry"
        ))
    })?;
    cookie.set_sensitive(sensitive);
    request.headers_mut().insert(reqwest::header::COOKIE, cookie);
    Ok(())
}
