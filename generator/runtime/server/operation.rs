// How the handlers of every generated server's `router.rs` (with at least
// one routed operation) serve an operation. Each operation implements
// `Operation` on a type of its own (a unit struct, passed to `serve` to say
// which operation), and its handler returns `serve`'s future: one async
// function for every operation, so that rustc proves the future `Send`
// (axum requires it of a handler) for one async body, not for an async
// block in each handler (GitHub's server: 0.88x the check time).

/// An operation of the [`Api`] as the router serves it: how it is called,
/// and how its answers are sent.
trait Operation<A: Api> {
    /// The operation's `Request`.
    type Request: Send;
    /// The operation's `Response`.
    type Response;

    /// Calls the operation on `api`.
    fn call(
        api: &A,
        request: Self::Request,
    ) -> impl std::future::Future<Output = Self::Response> + Send + '_;

    /// The HTTP response sending `response`.
    fn respond(response: Self::Response) -> Response;

    /// The HTTP response to a request the server rejects: its status,
    /// without a body, unless the operation declares one.
    fn reject(api: &A, rejection: Rejection) -> Response {
        let _ = api;
        empty_response(rejection.status())
    }
}

/// Answers a request of `operation`, read (or rejected) before: calls the
/// operation, or answers the rejection.
async fn serve<A: Api, O: Operation<A>>(
    api: Arc<A>,
    operation: O,
    request: Result<O::Request, Rejection>,
) -> Response {
    let _ = operation;
    match request {
        Ok(request) => O::respond(O::call(&api, request).await),
        Err(rejection) => O::reject(&api, rejection),
    }
}

/// [`serve`] for a request whose body is read first: `reading` reads it.
async fn serve_reading<A: Api, O: Operation<A>>(
    api: Arc<A>,
    operation: O,
    reading: impl std::future::Future<Output = Result<O::Request, Rejection>>,
) -> Response {
    serve(api, operation, reading.await).await
}
