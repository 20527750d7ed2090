// Fixed body readers of every generated server's `extract.rs`: media types,
// reading a body whole, JSON, form and binary bodies. Spliced into
// `extract.rs` by `generator/src/emit/server/extract.rs`, which puts the
// multipart and form-value readers before the last item (where they stood
// before these items moved here) and keeps the items the handlers reach.
// Not rustfmt-formatted: it would add blocks around closure bodies that the
// generated text has never had (prettyplease prints them as written).

/// The essence of the request's `Content-Type` (`type/subtype`, in
/// lower case), if it has one.
pub(crate) fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(axum::http::header::CONTENT_TYPE)?.to_str().ok()?;
    let essence = value.split_once(';').map_or(value, |(essence, _)| essence);
    Some(essence.trim().to_ascii_lowercase())
}

/// A body in a media type the operation does not accept.
pub(crate) fn unsupported_media_type(accepted: &str) -> Rejection {
    Rejection::new(
        RejectionKind::UnsupportedMediaType,
        format!("the request body must be sent as {accepted}"),
    )
}

/// The whole body. The size limit is axum's (`DefaultBodyLimit`, which
/// the router keeps in the request's extensions); a larger body is an
/// invalid one. `parts` stay whole: the operation's `Request` takes
/// their headers and extensions.
async fn read_body(parts: &mut Parts, body: axum::body::Body) -> Result<axum::body::Bytes, Rejection> {
    use axum::RequestExt;

    // The extensions are lent to a request of the body, which reads the
    // limit from them as axum's extractors do, and taken back: no copy.
    let mut request = axum::extract::Request::new(body);
    std::mem::swap(request.extensions_mut(), &mut parts.extensions);
    let (mut lent, body) = request.with_limited_body().into_parts();
    std::mem::swap(&mut lent.extensions, &mut parts.extensions);
    axum::body::to_bytes(body, usize::MAX).await.map_err(|error| {
        Rejection::new(RejectionKind::InvalidBody, format!("cannot read the request body: {error}"))
    })
}

/// Whether the request has no body at all.
pub(crate) fn is_empty(body: &axum::body::Body) -> bool {
    axum::body::HttpBody::is_end_stream(body)
}

/// Whether a media type is `declared`, or within it when it is a
/// wildcard (`image/*`, `*/*`).
fn media_matches(declared: &str, media_type: &str) -> bool {
    match declared.strip_suffix('*') {
        Some(prefix) => media_type.starts_with(prefix),
        None => declared == media_type,
    }
}

/// Whether a media type (an essence) is JSON: `application/json`,
/// `text/json` or `+json`.
pub(crate) fn is_json(media_type: &str) -> bool {
    media_type == "application/json" || media_type == "text/json" || media_type.ends_with("+json")
}

/// Reads and decodes a JSON body; `None` when the request has no body.
pub(crate) async fn json_body<T: DeserializeOwned>(parts: &mut Parts, body: axum::body::Body) -> Result<Option<T>, Rejection> {
    let json = media_type(&parts.headers).is_some_and(|media_type| is_json(&media_type));
    let bytes = read_body(parts, body).await?;
    if bytes.is_empty() {
        return Ok(None);
    }
    if !json {
        return Err(unsupported_media_type("`application/json`"));
    }
    serde_json::from_slice(&bytes)
        .map(Some)
        .map_err(|error| Rejection::new(RejectionKind::InvalidBody, format!("invalid request body: {error}")))
}

/// Reads and decodes an `application/x-www-form-urlencoded` body;
/// `None` when the request has no body.
pub(crate) async fn form_body<T: DeserializeOwned>(parts: &mut Parts, body: axum::body::Body) -> Result<Option<T>, Rejection> {
    let form = media_type(&parts.headers).as_deref() == Some("application/x-www-form-urlencoded");
    let bytes = read_body(parts, body).await?;
    if bytes.is_empty() {
        return Ok(None);
    }
    if !form {
        return Err(unsupported_media_type("`application/x-www-form-urlencoded`"));
    }
    let invalid = |error: String| Rejection::new(RejectionKind::InvalidBody, format!("invalid request body: {error}"));
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|error| invalid(error.to_string()))?;
    T::deserialize(&FormValue::from_pairs(pairs)).map(Some).map_err(|error| invalid(error.to_string()))
}

/// Reads a text body in the `declared` media type; `None` when the
/// request has no body.
pub(crate) async fn text_body(parts: &mut Parts, body: axum::body::Body, declared: &str) -> Result<Option<String>, Rejection> {
    let matches = media_type(&parts.headers).is_some_and(|media_type| media_matches(declared, &media_type));
    let bytes = read_body(parts, body).await?;
    if bytes.is_empty() {
        return Ok(None);
    }
    if !matches {
        return Err(unsupported_media_type(&format!("`{declared}`")));
    }
    String::from_utf8(bytes.into()).map(Some).map_err(|_| {
        Rejection::new(RejectionKind::InvalidBody, "the request body is not UTF-8 text")
    })
}

/// A binary body in the `declared` media type, unread: the handler
/// streams it. `None` when the request has no body. A body sent
/// without a `Content-Type` is taken for bytes of any type.
pub(crate) fn binary_body(parts: &Parts, body: axum::body::Body, declared: &str) -> Result<Option<axum::body::Body>, Rejection> {
    if is_empty(&body) {
        return Ok(None);
    }
    match media_type(&parts.headers) {
        Some(media_type) if !media_matches(declared, &media_type) => {
            Err(unsupported_media_type(&format!("`{declared}`")))
        }
        _ => Ok(Some(body)),
    }
}

/// The body of an operation that requires one.
pub(crate) fn required_body<T>(body: Option<T>) -> Result<T, Rejection> {
    body.ok_or_else(|| Rejection::new(RejectionKind::MissingBody, "the request body is required"))
}
