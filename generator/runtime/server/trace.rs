// The span of an operation, in every generated server's `router.rs` (with at
// least one routed operation): each handler runs its work through `traced`.
// With the crate's `tracing` feature it is a span; without it, the work as it
// is, so that a server without the feature pays nothing.

/// Runs `handling` (the work of one operation's handler) in a `tracing`
/// span named `operation`, with the operation's id (`operationId`, else
/// its method's name), its method and route template (OpenTelemetry's
/// `http.request.method` and `http.route`), and the status of the response
/// it sends (`http.response.status_code`).
#[cfg(feature = "tracing")]
async fn traced(
    operation: &'static str,
    method: &'static str,
    route: &'static str,
    handling: impl std::future::Future<Output = Response>,
) -> Response {
    use tracing::Instrument;

    let span = tracing::info_span!(
        "operation",
        operation_id = operation,
        http.request.method = method,
        http.route = route,
        http.response.status_code = tracing::field::Empty,
    );
    let response = handling.instrument(span.clone()).await;
    span.record("http.response.status_code", response.status().as_u16());
    response
}

/// Without the `tracing` feature: `handling` itself.
#[cfg(not(feature = "tracing"))]
fn traced<F: std::future::Future<Output = Response>>(
    _operation: &'static str,
    _method: &'static str,
    _route: &'static str,
    handling: F,
) -> F {
    handling
}
