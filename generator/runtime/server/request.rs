// The `Request` of every generated server's `api.rs`: what the router passes
// to each operation. `generator/src/emit/server/api.rs` copies these items
// into `api.rs` after the module docs, removing the `credentials` passages
// for a spec without security schemes (its types crate has no
// `Credentials`) and adding a paragraph on streamed bodies where some
// operation takes one.

/// A request that passed the server's checks: typed parameters, the
/// decoded body and the credentials it carried, with the request's headers
/// and extensions.
///
/// An operation that only needs its parameters reads `request.parameters`
/// and ignores the rest. One that needs more reads
/// [`headers`](Self::headers) (e.g. a correlation id the spec does not
/// declare) or [`extensions`](Self::extensions): what tower middleware
/// (a layer on the router) put on the request, such as the identity an
/// authentication layer established or a trace context.
///
/// It is `#[non_exhaustive]`, so that more of the request can be passed
/// without breaking implementations: read its fields, and build one (to
/// call an operation directly, e.g. in a test) with [`Request::new`] and
/// the `with_*` methods.
#[derive(Clone)]
#[non_exhaustive]
pub struct Request<P, B = ()> {
    /// Path, query, header and cookie parameters (an empty `Parameters` when the operation has none).
    pub parameters: P,
    /// The decoded body (`()` when the operation takes none, `Option` when it is optional).
    pub body: B,
    /// Every credential the request carried; at least one security
    /// alternative of the operation is complete.
    pub credentials: types::Credentials,
    /// Every header of the request, as received (those the parameters and
    /// credentials were read from too).
    pub headers: axum::http::HeaderMap,
    /// The request's extensions: typed values that layers of the router
    /// (tower middleware) inserted, read with `extensions.get::<T>()`.
    pub extensions: axum::http::Extensions,
}

impl<P, B> Request<P, B> {
    /// A request of `parameters` and `body`, without credentials, headers or
    /// extensions (add them with the `with_*` methods): to call an
    /// operation directly, e.g. in a test.
    pub fn new(parameters: P, body: B) -> Self {
        Request {
            parameters,
            body,
            credentials: types::Credentials::default(),
            headers: axum::http::HeaderMap::new(),
            extensions: axum::http::Extensions::new(),
        }
    }

    /// This request with `credentials`.
    pub fn with_credentials(mut self, credentials: types::Credentials) -> Self {
        self.credentials = credentials;
        self
    }

    /// This request with `headers`.
    pub fn with_headers(mut self, headers: axum::http::HeaderMap) -> Self {
        self.headers = headers;
        self
    }

    /// This request with `extensions`.
    pub fn with_extensions(mut self, extensions: axum::http::Extensions) -> Self {
        self.extensions = extensions;
        self
    }
}

impl<P: std::fmt::Debug, B: std::fmt::Debug> std::fmt::Debug for Request<P, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("parameters", &self.parameters)
            .field("body", &self.body)
            .field("credentials", &self.credentials)
            .field("headers", &HeaderNames(&self.headers))
            .field("extensions", &self.extensions)
            .finish()
    }
}

/// Prints the names of headers, not their values, which may be secrets
/// (`Authorization`, `Cookie`, API keys) that `Credentials` never prints.
struct HeaderNames<'a>(&'a axum::http::HeaderMap);

impl std::fmt::Debug for HeaderNames<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.0.keys()).finish()
    }
}
