//! The example server as a library: the application the binary serves, for
//! programs and tests that run it in-process on a loopback port.

mod store;

pub use customer_identification_processes_server::ServeOptions;
pub use store::Store;

/// The generated router over a [`Store`] seeded with the example data, and
/// the spec it was generated from at `/openapi.yaml`, mounted under the
/// spec's base path `/v4`. With `token`, a bearer token equal to it is
/// accepted too.
pub fn app(token: Option<String>) -> axum::Router {
    let api = customer_identification_processes_server::router(Store::seeded(token)).merge(
        customer_identification_processes_server::spec_router("/openapi.yaml"),
    );
    axum::Router::new().nest("/v4", api)
}
