// Fixed code of every generated client: spliced into its `client.rs` before
// `read_body` (see `generator/src/emit/client/client.rs`). Plain `//`
// comments stay here; `///` docs go into the generated crate.

/// A transport error, without the URL's query, which may hold a
/// credential (an API key in the query).
fn transport(mut error: reqwest::Error) -> Error {
    if let Some(url) = error.url_mut() {
        url.set_query(None);
    }
    Error::Transport(error)
}
