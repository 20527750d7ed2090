// Fixed helpers of every generated server's `router.rs`: writing responses,
// with 500 and no body when the implementation returns something the spec
// does not let the server send. Spliced into `router.rs` (see
// `generator/src/emit/server/router.rs`), which keeps the items the handlers
// reach and imports `StatusCode`, `IntoResponse` and `Response`.

/// The status for a code a response may have: a final HTTP status,
/// 200 to 599 (1xx codes are not final, 6xx and up are not HTTP).
fn status_code(code: u16) -> Option<StatusCode> {
    if (200..=599).contains(&code) {
        StatusCode::from_u16(code).ok()
    } else {
        None
    }
}

/// `500 Internal Server Error` without a body: the implementation
/// returned something the server cannot send as the spec declares it.
fn internal_error() -> Response {
    StatusCode::INTERNAL_SERVER_ERROR.into_response()
}

/// `status` with `body` as JSON; 500 without a body when `status`
/// is not a final HTTP status or `body` cannot be serialized.
fn json_response<T: serde::Serialize>(
    status: u16,
    content_type: &'static str,
    body: &T,
) -> Response {
    // Room for a short body from the start, as axum's `Json` makes: an
    // error body is written without growing the buffer.
    let mut bytes = Vec::with_capacity(128);
    match (status_code(status), serde_json::to_writer(&mut bytes, body)) {
        (Some(status), Ok(())) => {
            // Built as it is sent rather than from `(status, [header],
            // bytes)`: bytes made a response are first labelled
            // `application/octet-stream`, which the header then replaces,
            // a second insertion (and more code run) on every response.
            let mut response = Response::new(axum::body::Body::from(bytes));
            *response.status_mut() = status;
            response.headers_mut().insert(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static(content_type),
            );
            response
        }
        _ => internal_error(),
    }
}

/// `status` with `body` (text or bytes) as it is; 500 without a body
/// when `status` is not a final HTTP status.
fn raw_response(
    status: u16,
    content_type: &'static str,
    body: impl Into<axum::body::Body>,
) -> Response {
    match status_code(status) {
        Some(status) => (
            status,
            [(
                axum::http::header::CONTENT_TYPE,
                axum::http::HeaderValue::from_static(content_type),
            )],
            body.into(),
        )
            .into_response(),
        None => internal_error(),
    }
}

/// A response header's value: array items joined with commas, other
/// values as their text; `Ok(None)` for `None`, `Err` for a value
/// a header cannot carry.
fn header_value<T: serde::Serialize>(value: &T) -> Result<Option<axum::http::HeaderValue>, ()> {
    let text = match serde_json::to_value(value).map_err(|_| ())? {
        serde_json::Value::Null => return Ok(None),
        serde_json::Value::String(text) => text,
        serde_json::Value::Array(items) => items
            .iter()
            .map(|item| match item {
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    };
    axum::http::HeaderValue::from_str(&text)
        .map(Some)
        .map_err(|_| ())
}

/// `response` with the headers its operation declares (names in
/// lower case); 500 without a body when a value cannot be sent.
fn with_headers<const N: usize>(
    mut response: Response,
    headers: [(&'static str, Result<Option<axum::http::HeaderValue>, ()>); N],
) -> Response {
    for (name, value) in headers {
        match value {
            Ok(Some(value)) => {
                response
                    .headers_mut()
                    .insert(axum::http::HeaderName::from_static(name), value);
            }
            Ok(None) => {}
            Err(()) => return internal_error(),
        }
    }
    response
}

/// `status` without a body; 500 when it is not a final HTTP status.
fn empty_response(status: u16) -> Response {
    match status_code(status) {
        Some(status) => status.into_response(),
        None => internal_error(),
    }
}

/// A range or `default` response with a status the spec gives to
/// another response, or to none: 500 without a body, rather than a
/// response the spec does not declare.
fn undeclared_status() -> Response {
    internal_error()
}
