/// Whether `request` has the header `name` (case-insensitive) with exactly
/// `value`: what tells apart operations that share a method and route by a
/// header their schema fixes (`X-Amz-Target: Service.Operation`).
pub(crate) fn header_is(request: &axum::extract::Request, name: &str, value: &str) -> bool {
    request
        .headers()
        .get_all(name)
        .iter()
        .any(|sent| sent.as_bytes() == value.as_bytes())
}

/// Whether the query of `request` has the parameter `name`, with `value`
/// when one is given (compared decoded): what tells apart operations that
/// share a method and route by a query parameter.
pub(crate) fn query_has(request: &axum::extract::Request, name: &str, value: Option<&str>) -> bool {
    let Some(query) = request.uri().query() else {
        return false;
    };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    pairs.iter().any(|(key, sent)| {
        key == name
            && match value {
                Some(value) => sent == value,
                None => true,
            }
    })
}

/// Whether the request's `Content-Type` is one of `media_types` (essences):
/// what tells apart operations that share a method and route by the media
/// types of their bodies (`application/json` or `application/octet-stream`).
pub(crate) fn media_type_in(request: &axum::extract::Request, media_types: &[&str]) -> bool {
    media_type(request.headers()).is_some_and(|sent| media_types.contains(&sent.as_str()))
}

/// Whether the path segment axum captured as `capture` has the form of
/// `template` (`{name}:cancel`): what tells apart operations whose
/// templates differ in a segment that mixes parameters with text.
pub(crate) fn segment_matches(
    path: &Result<RawPathParams, RawPathParamsRejection>,
    capture: &str,
    template: &str,
) -> bool {
    let Ok(params) = path else {
        return false;
    };
    params
        .iter()
        .find(|(key, _)| *key == capture)
        .is_some_and(|(_, value)| split_by(value, &segment_template(template).1).is_some())
}
