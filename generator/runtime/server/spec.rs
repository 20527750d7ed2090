// apiforge copies this file into every server crate it generates, as
// src/spec.rs below the generated-file header, next to the spec it was
// generated from (`openapi.yaml`, or `openapi.json` with the media type
// `application/json` for a JSON spec). Change it here, where it is compiled
// and tested (generator/runtime), never in a generated crate.

//! The OpenAPI description this crate was generated from, and a router
//! serving it.

use axum::http::header::CONTENT_TYPE;
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};

/// The OpenAPI description this crate was generated from, as it was read
/// (in the media type [`SPEC_MEDIA_TYPE`]). The crate carries it as a file
/// and includes it as text: it is never compiled as code.
pub const SPEC: &str = include_str!("../openapi.yaml");

/// The media type of [`SPEC`].
pub const SPEC_MEDIA_TYPE: &str = "application/yaml";

/// A router answering `GET path` (and `HEAD`) with [`SPEC`], to merge into
/// the API's router: serving the description is opt-in, at the path you
/// choose.
///
/// ```no_run
/// # fn app(api_router: axum::Router) -> axum::Router {
/// use apiforge_runtime::spec_router;
///
/// // In a server crate: `router(service)`.
/// api_router.merge(spec_router("/openapi.yaml"))
/// # }
/// ```
///
/// # Panics
///
/// As axum's `Router::route`, when `path` is not a route (it must start
/// with `/`; take a literal path: `{...}` would be a parameter). Merging it
/// panics, as `Router::merge` does, when the other router already routes
/// `GET` on `path` (an operation of the API).
pub fn spec_router(path: &str) -> axum::Router {
    axum::Router::new().route(path, axum::routing::get(spec_response))
}

/// [`SPEC`] with its media type.
async fn spec_response() -> Response {
    (
        [(CONTENT_TYPE, HeaderValue::from_static(SPEC_MEDIA_TYPE))],
        SPEC,
    )
        .into_response()
}
