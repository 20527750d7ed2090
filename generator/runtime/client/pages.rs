// Fixed code of generated clients whose operations page: spliced into
// `client.rs` among the helpers (see `generator/src/emit/client/client.rs`),
// which keeps of it what the client reaches (`redirect` and `NextPage::Url`
// always, for `Call::at_url`). Plain `//` comments stay here; `///` docs go
// into the generated crate.

/// Where the next page is.
enum NextPage {
    /// A URL (absolute, or relative to the request's).
    Url(String),
    /// The request again, with query parameter `name` set to `value`.
    Query { name: &'static str, value: String },
}

/// `call`, which finds its response's next page with `follow`.
fn paginated<T>(mut call: Call<'_, T>, follow: Follow<T>) -> Call<'_, T> {
    if let CallState::Ready(prepared) = &mut call.state {
        prepared.follow = Some(follow);
    }
    call
}

/// Points `request` at the next page: `next`'s URL (on the base URL's
/// origin only; query parameters it does not name are kept), or the
/// cursor in its query parameter.
fn redirect(request: &mut reqwest::Request, base: &reqwest::Url, next: &NextPage) -> Result<(), Error> {
    match next {
        NextPage::Query { name, value } => {
            let kept: Vec<(String, String)> = request
                .url()
                .query_pairs()
                .filter(|(key, _)| key != name)
                .map(|(key, value)| (key.into_owned(), value.into_owned()))
                .collect();
            request
                .url_mut()
                .query_pairs_mut()
                .clear()
                .extend_pairs(&kept)
                .append_pair(name, value);
        }
        NextPage::Url(link) => {
            let url = request
                .url()
                .join(link)
                .map_err(|e| Error::InvalidRequest(format!("the next page's URL is not valid: {e}")))?;
            if url.origin() != base.origin() {
                return Err(Error::InvalidRequest(
                    "the next page's URL is on another origin than the base URL".to_owned(),
                ));
            }
            let named: Vec<String> = url.query_pairs().map(|(key, _)| key.into_owned()).collect();
            let kept: Vec<(String, String)> = request
                .url()
                .query_pairs()
                .filter(|(key, _)| !named.iter().any(|name| name == key))
                .map(|(key, value)| (key.into_owned(), value.into_owned()))
                .collect();
            let mut url = url;
            if !kept.is_empty() {
                url.query_pairs_mut().extend_pairs(&kept);
            }
            *request.url_mut() = url;
        }
    }
    Ok(())
}

/// The `rel="next"` URL of a `Link` header (RFC 8288): `<url>; rel="next"`.
fn link_next(headers: &reqwest::header::HeaderMap) -> Option<NextPage> {
    for value in headers.get_all(reqwest::header::LINK) {
        let Ok(value) = value.to_str() else { continue };
        for link in value.split(',') {
            let mut parts = link.split(';');
            let target = parts.next()?.trim();
            let Some(url) = target.strip_prefix('<').and_then(|t| t.strip_suffix('>')) else {
                continue;
            };
            let next = parts.any(|param| {
                let Some((key, rel)) = param.split_once('=') else { return false };
                key.trim().eq_ignore_ascii_case("rel")
                    && rel
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            });
            if next {
                return Some(NextPage::Url(url.to_owned()));
            }
        }
    }
    None
}

/// The non-empty string at `pointer` in `body` as JSON, when there is one.
fn body_string<B: serde::Serialize>(body: &B, pointer: &str) -> Option<String> {
    let value = serde_json::to_value(body).ok()?;
    let text = value.pointer(pointer)?.as_str()?;
    (!text.is_empty()).then(|| text.to_owned())
}

/// The next page's URL at `pointer` in `body`.
fn body_next_url<B: serde::Serialize>(body: &B, pointer: &str) -> Option<NextPage> {
    body_string(body, pointer).map(NextPage::Url)
}

/// The next page's cursor at `pointer` in `body`, for query parameter
/// `name`.
fn body_cursor<B: serde::Serialize>(body: &B, pointer: &str, name: &'static str) -> Option<NextPage> {
    body_string(body, pointer).map(|value| NextPage::Query { name, value })
}
