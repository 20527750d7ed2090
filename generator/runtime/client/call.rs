// Fixed code of every generated client: spliced into its `client.rs` after
// the `ClientOptions` (see `generator/src/emit/client/client.rs`): the `Call`
// every operation's method returns, the middleware seam, the in-process
// transport, retries and the optional `tracing` span. Plain `//` comments
// stay here; `///` docs go into the generated crate.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// A boxed future that can move between threads, as [`Middleware`]
/// returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One call of an operation, ready to go: `.await` it (it is a
/// `Future`), after setting what this call alone needs.
///
/// ```text
/// let response = client
///     .get_item(&parameters)
///     .header("idempotency-key", key)
///     .timeout(Duration::from_secs(5))
///     .await?;
/// ```
///
/// Every setter returns the call, so a plain `client.op(..).await` sends
/// the operation as the client is configured. The request is built when
/// the method is called (a parameter that cannot be sent fails the
/// call with [`Error::InvalidRequest`] when awaited); nothing is sent
/// before the first poll.
#[must_use = "a call sends nothing until it is awaited"]
pub struct Call<'c, T> {
    state: CallState<'c, T>,
}

/// Where a [`Call`] is: not sent yet, running, or finished.
enum CallState<'c, T> {
    /// Boxed: the request is large next to a running call.
    Ready(Box<Prepared<'c, T>>),
    Running(BoxFuture<'c, Result<T, Error>>),
    Done,
}

/// A call before it is sent: what it sends, and how its response is read.
struct Prepared<'c, T> {
    sending: Sending<'c>,
    decode: Decoder<T>,
    /// How a response leads to the next page, for operations whose
    /// description shows a pagination pattern.
    follow: Option<Follow<T>>,
}

/// What a call sends, whatever its response type (so the code that sends
/// is compiled once, not once per operation).
struct Sending<'c> {
    client: &'c Client,
    operation: Operation,
    /// The request, or why it could not be built; while the call runs,
    /// the copy kept for a retry.
    request: Result<reqwest::Request, Error>,
    extensions: http::Extensions,
    /// `Some` when the caller chose whether this call may be retried.
    retry: Option<bool>,
}

impl Sending<'_> {
    /// Takes the request out to send it (or the error that stopped it).
    /// The slot is left empty for a copy kept for a retry: it is taken
    /// again only after one was put back.
    fn take_request(&mut self) -> Result<reqwest::Request, Error> {
        std::mem::replace(&mut self.request, Err(Error::InvalidRequest(String::new())))
    }
}

/// Finds the next page's request in a response (its headers and decoded
/// value): a URL, or a cursor for a query parameter.
type Follow<T> = fn(&reqwest::header::HeaderMap, &T) -> Option<NextPage>;

/// Turns a response (status, headers, body) into the operation's
/// `Response`.
type Decoder<T> = fn(u16, &reqwest::header::HeaderMap, Bytes) -> Result<T, Error>;

/// What a call is, for its `tracing` span: the operation's id and its
/// route template as the API description writes them.
#[derive(Clone, Copy, Debug)]
struct Operation {
    id: &'static str,
    route: &'static str,
}

impl<'c, T> Call<'c, T> {
    /// The call of operation `id` at `route`: the request `build`
    /// returns, and `decode` to read its response.
    fn new(
        client: &'c Client,
        id: &'static str,
        route: &'static str,
        build: impl FnOnce() -> Result<reqwest::Request, Error>,
        decode: Decoder<T>,
    ) -> Call<'c, T> {
        Call {
            state: CallState::Ready(Box::new(Prepared {
                sending: Sending {
                    client,
                    operation: Operation { id, route },
                    request: build(),
                    extensions: http::Extensions::new(),
                    retry: None,
                },
                decode,
                follow: None,
            })),
        }
    }

    /// Sends this call to `url` instead: a `next` link the API returned,
    /// absolute or relative to the call's URL. The method, headers,
    /// credentials and decoding stay the operation's. Query parameters of
    /// the call that `url` does not name are kept (an API key in the
    /// query, say). A URL on another origin (scheme, host, port) than the
    /// client's base URL fails the call with [`Error::InvalidRequest`]:
    /// the call's credentials never go to another host.
    pub fn at_url(self, url: &str) -> Call<'c, T> {
        let base = match &self.state {
            CallState::Ready(prepared) => prepared.sending.client.base_url.clone(),
            _ => return self,
        };
        self.with_request(|request| redirect(request, &base, &NextPage::Url(url.to_owned())))
    }

    /// The pages of this call: its response, then, for an operation whose
    /// description shows a pagination pattern (a `Link` header, a next
    /// URL in the body, a cursor the body echoes; see the method's docs),
    /// each next page until the API shows none. For other operations,
    /// the one response. Each page is a call of its own (retries,
    /// middleware, span); an error ends the stream after it.
    pub fn pages(self) -> Pages<'c, T> {
        match self.state {
            CallState::Ready(prepared) => Pages {
                state: PagesState::Next(prepared),
            },
            _ => Pages {
                state: PagesState::Done,
            },
        }
    }

    /// Applies `change` to the request, unless it already failed.
    fn with_request(
        mut self,
        change: impl FnOnce(&mut reqwest::Request) -> Result<(), Error>,
    ) -> Call<'c, T> {
        if let CallState::Ready(prepared) = &mut self.state {
            let changed = match &mut prepared.sending.request {
                Ok(request) => change(request),
                Err(_) => Ok(()),
            };
            if let Err(error) = changed {
                prepared.sending.request = Err(error);
            }
        }
        self
    }

    /// Sends header `name` with `value` in this call, replacing any value
    /// the call would send under that name (a credential too: this is
    /// how one call carries a fresher token). A name or value a header
    /// cannot carry fails the call with [`Error::InvalidRequest`], whose
    /// message never shows the value.
    pub fn header<K, V>(self, name: K, value: V) -> Call<'c, T>
    where
        K: TryInto<reqwest::header::HeaderName>,
        V: TryInto<reqwest::header::HeaderValue>,
    {
        let name = name.try_into();
        let value = value.try_into();
        self.with_request(|request| {
            let name = name
                .map_err(|_| Error::InvalidRequest("a per-call header name is not valid".to_owned()))?;
            let value = value.map_err(|_| {
                Error::InvalidRequest(format!(
                    "the value of per-call header `{name}` has characters a header cannot carry"
                ))
            })?;
            request.headers_mut().insert(name, value);
            Ok(())
        })
    }

    /// Gives each attempt of this call at most `timeout`, from sending
    /// the request to the end of the response's headers and body,
    /// instead of the client's [`ClientOptions::timeout`].
    pub fn timeout(self, timeout: std::time::Duration) -> Call<'c, T> {
        self.with_request(|request| {
            *request.timeout_mut() = Some(timeout);
            Ok(())
        })
    }

    /// Attaches `value` to this call, for a [`Middleware`] to read (e.g.
    /// a tenant or a trace context) and, over [`Client::with_service`],
    /// for the service as a request extension. One value per type: a
    /// second of the same type replaces the first.
    pub fn extension<E: Clone + Send + Sync + 'static>(mut self, value: E) -> Call<'c, T> {
        if let CallState::Ready(prepared) = &mut self.state {
            prepared.sending.extensions.insert(value);
        }
        self
    }

    /// Whether this call may be retried under the client's
    /// [`RetryPolicy`]. By default only calls of idempotent methods
    /// (`GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`, `TRACE`) are; pass
    /// `true` for a `POST` or `PATCH` the server treats as idempotent
    /// (e.g. one with an idempotency key), `false` to send any call once.
    pub fn retry(mut self, retry: bool) -> Call<'c, T> {
        if let CallState::Ready(prepared) = &mut self.state {
            prepared.sending.retry = Some(retry);
        }
        self
    }
}

impl<'c, T: Send + 'c> Future for Call<'c, T> {
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T, Error>> {
        // Every field is `Unpin` (the running future is boxed).
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, CallState::Done) {
                CallState::Ready(prepared) => {
                    this.state = CallState::Running(Box::pin(execute(prepared)));
                }
                CallState::Running(mut running) => {
                    return match running.as_mut().poll(cx) {
                        Poll::Ready(result) => Poll::Ready(result),
                        Poll::Pending => {
                            this.state = CallState::Running(running);
                            Poll::Pending
                        }
                    };
                }
                CallState::Done => {
                    return Poll::Ready(Err(Error::InvalidRequest(
                        "the call was already awaited".to_owned(),
                    )))
                }
            }
        }
    }
}

impl<T> std::fmt::Debug for Call<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.state {
            CallState::Ready(prepared) => f
                .debug_struct("Call")
                .field("operation", &prepared.sending.operation.id)
                .field("route", &prepared.sending.operation.route)
                .finish_non_exhaustive(),
            CallState::Running(_) => f.write_str("Call(running)"),
            CallState::Done => f.write_str("Call(done)"),
        }
    }
}

/// A response as a call received it: the status, the headers and the
/// body, read whole within the client's limit.
struct Received {
    status: u16,
    headers: reqwest::header::HeaderMap,
    content: Bytes,
}

/// Sends a prepared call (retrying as allowed) and decodes its response.
// The call's future is moved into a box of its own per call, and each
// `async fn` keeps its arguments beside the future it awaits: the layers
// below pass the boxed call by reference, so the future stays small.
async fn execute<T>(mut prepared: Box<Prepared<'_, T>>) -> Result<T, Error> {
    let received = send_call(&mut prepared.sending).await?;
    (prepared.decode)(received.status, &received.headers, received.content)
}

/// Sends a call's request (retrying as its method or the caller allows)
/// and reads the response, within the call's `tracing` span.
#[cfg(feature = "tracing")]
async fn send_call(sending: &mut Sending<'_>) -> Result<Received, Error> {
    use tracing::Instrument;
    let span = match &sending.request {
        Ok(request) => call_span(sending.operation, request.method()),
        // A request that could not be built fails at once, outside a span.
        Err(_) => return exchange(sending).await,
    };
    let started = std::time::Instant::now();
    let result = exchange(sending).instrument(span.clone()).await;
    record_outcome(&span, started, &result);
    result
}

/// Sends a call's request (retrying as its method or the caller allows)
/// and reads the response.
#[cfg(not(feature = "tracing"))]
async fn send_call(sending: &mut Sending<'_>) -> Result<Received, Error> {
    exchange(sending).await
}

/// Sends a call's request, retrying as allowed, and reads its response.
async fn exchange(sending: &mut Sending<'_>) -> Result<Received, Error> {
    // No named local for the response: it would stay in this future
    // beside the copy `receive` holds.
    receive(sending.client, send_with_retries(sending).await?).await
}

/// The pages of a call, as a `Stream` of each page's `Response` (see
/// [`Call::pages`]). Poll it with `StreamExt::next` of `futures-util`
/// (or `tokio-stream`):
///
/// ```text
/// let mut pages = client.list_items(&parameters).pages();
/// while let Some(page) = pages.next().await {
///     let page = page?;
///     // ...
/// }
/// ```
#[must_use = "a stream of pages sends nothing until polled"]
pub struct Pages<'c, T> {
    state: PagesState<'c, T>,
}

/// Where a [`Pages`] is: a request to send, a page on its way, or done.
enum PagesState<'c, T> {
    Next(Box<Prepared<'c, T>>),
    Running(BoxFuture<'c, PageAndNext<'c, T>>),
    Done,
}

/// A page, and the request of the next one when the response shows it.
type PageAndNext<'c, T> = (Result<T, Error>, Option<Box<Prepared<'c, T>>>);

/// Sends one page and prepares the next: the same call, at the next URL
/// or with the next cursor, when the response shows one.
async fn next_page<'c, T>(mut prepared: Box<Prepared<'c, T>>) -> PageAndNext<'c, T> {
    // Only a request that can be sent again has a next page.
    let spare = match (&prepared.follow, &prepared.sending.request) {
        (Some(_), Ok(request)) => request.try_clone(),
        _ => None,
    };
    let received = match send_call(&mut prepared.sending).await {
        Ok(received) => received,
        Err(error) => return (Err(error), None),
    };
    let page = match (prepared.decode)(received.status, &received.headers, received.content) {
        Ok(page) => page,
        Err(error) => return (Err(error), None),
    };
    let next = prepared.follow.zip(spare).and_then(|(follow, mut request)| {
        let next = follow(&received.headers, &page)?;
        let redirected = redirect(&mut request, &prepared.sending.client.base_url, &next);
        prepared.sending.request = redirected.map(|()| request);
        Some(prepared)
    });
    (Ok(page), next)
}

impl<'c, T: Send + 'c> futures_core::Stream for Pages<'c, T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<T, Error>>> {
        // Every field is `Unpin` (the running future is boxed).
        let this = self.get_mut();
        loop {
            match std::mem::replace(&mut this.state, PagesState::Done) {
                PagesState::Next(prepared) => {
                    this.state = PagesState::Running(Box::pin(next_page(prepared)));
                }
                PagesState::Running(mut running) => {
                    return match running.as_mut().poll(cx) {
                        Poll::Ready((page, next)) => {
                            if let Some(next) = next {
                                this.state = PagesState::Next(next);
                            }
                            Poll::Ready(Some(page))
                        }
                        Poll::Pending => {
                            this.state = PagesState::Running(running);
                            Poll::Pending
                        }
                    };
                }
                PagesState::Done => return Poll::Ready(None),
            }
        }
    }
}

impl<T> std::fmt::Debug for Pages<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = match &self.state {
            PagesState::Next(_) => "next",
            PagesState::Running(_) => "running",
            PagesState::Done => "done",
        };
        f.debug_tuple("Pages").field(&state).finish()
    }
}


/// Whether HTTP says sending a request of `method` twice has the effect
/// of sending it once (RFC 9110, section 9.2.2).
fn is_idempotent(method: &reqwest::Method) -> bool {
    matches!(
        *method,
        reqwest::Method::GET
            | reqwest::Method::HEAD
            | reqwest::Method::PUT
            | reqwest::Method::DELETE
            | reqwest::Method::OPTIONS
            | reqwest::Method::TRACE
    )
}

/// The `tracing` span of a call: operation id, method and route template;
/// the status (or the error) and the duration are recorded at its end.
#[cfg(feature = "tracing")]
fn call_span(operation: Operation, method: &reqwest::Method) -> tracing::Span {
    tracing::info_span!(
        "call",
        operation = operation.id,
        method = %method,
        route = operation.route,
        status = tracing::field::Empty,
        duration_ms = tracing::field::Empty,
        error = tracing::field::Empty,
    )
}

/// Records how a call ended in its span: the duration since `started`,
/// and the status or the error.
#[cfg(feature = "tracing")]
fn record_outcome(
    span: &tracing::Span,
    started: std::time::Instant,
    result: &Result<Received, Error>,
) {
    let elapsed = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    span.record("duration_ms", elapsed);
    match result {
        Ok(received) => {
            span.record("status", received.status);
        }
        Err(error) => {
            span.record("error", tracing::field::display(error));
        }
    }
}

/// Sends a call's request through the middleware and the transport, again
/// after a wait while the policy and the call allow.
async fn send_with_retries(sending: &mut Sending<'_>) -> Result<reqwest::Response, Error> {
    let client = sending.client;
    let policy = client.hooks.retry;
    let retry = match &sending.request {
        Ok(request) => sending.retry.unwrap_or_else(|| is_idempotent(request.method())),
        Err(_) => false,
    };
    let attempts = if retry { policy.max_attempts.max(1) } else { 1 };
    let mut waited = std::time::Duration::ZERO;
    let mut attempt = 1;
    loop {
        // In a block, so that the request sent is not kept in the future
        // beside the one reqwest holds.
        let (sent, retryable) = {
            let request = sending.take_request()?;
            // A body that is a stream cannot be sent twice: one attempt.
            let spare = if attempt < attempts { retry_copy(&request) } else { None };
            let retryable = spare.is_some();
            if let Some(spare) = spare {
                sending.request = Ok(spare);
            }
            (dispatch(client, request, &mut sending.extensions), retryable)
        };
        let outcome = sent.await;
        if !retryable {
            return outcome;
        }
        let wait = match &outcome {
            Err(Error::Transport(error)) if error.is_connect() => Some(policy.backoff(attempt)),
            Ok(response) if matches!(response.status().as_u16(), 429 | 503 | 504) => Some(
                retry_after(response.headers(), std::time::SystemTime::now())
                    .unwrap_or_else(|| policy.backoff(attempt)),
            ),
            _ => None,
        };
        match wait {
            Some(wait) if waited + wait <= policy.max_total_wait => {
                drop(outcome);
                tokio::time::sleep(wait).await;
                waited += wait;
                attempt += 1;
            }
            _ => {
                // No retry: the copy goes now, while its memory is still
                // in the cache, rather than after the body is read.
                drop(sending.take_request());
                return outcome;
            }
        }
    }
}

/// A copy of `request` to send again, or `None` when its body is a
/// stream, which cannot be read twice.
fn retry_copy(request: &reqwest::Request) -> Option<reqwest::Request> {
    if request.body().is_some() {
        return request.try_clone();
    }
    // Without a body, copied field by field: `try_clone` also allocates a
    // map of settings for an unset timeout. A call's request carries no
    // other reqwest setting (`new_request` builds it, and
    // `Call::timeout` is the only setter).
    let mut spare = reqwest::Request::new(request.method().clone(), request.url().clone());
    *spare.headers_mut() = request.headers().clone();
    *spare.version_mut() = request.version();
    if let Some(timeout) = request.timeout() {
        *spare.timeout_mut() = Some(*timeout);
    }
    Some(spare)
}

/// Reads a response whole, within the client's body limit.
async fn receive(client: &Client, mut response: reqwest::Response) -> Result<Received, Error> {
    let status = response.status().as_u16();
    let content = read_body(&mut response, client.body_limit)
        .await
        .map_err(|error| match error {
            BodyError::TooLarge => Error::BodyTooLarge {
                status,
                limit: client.body_limit,
            },
            BodyError::Transport(error) => transport(error),
        })?;
    // Taken after the body is read, so that the future does not hold them
    // while it waits.
    let headers = std::mem::take(response.headers_mut());
    Ok(Received {
        status,
        headers,
        content,
    })
}

/// One attempt: through the client's middleware, if any, to its
/// transport.
fn dispatch<'a>(
    client: &'a Client,
    request: reqwest::Request,
    extensions: &'a mut http::Extensions,
) -> Attempt<'a, impl Future<Output = reqwest::Result<reqwest::Response>> + Unpin + Send + 'a> {
    if client.hooks.middleware.is_empty() {
        return deliver(client, request, extensions);
    }
    Attempt::Hooked(
        Next {
            client,
            middleware: &client.hooks.middleware,
        }
        .run(request, extensions),
    )
}

/// Sends a request over the client's transport: HTTP, or the in-process
/// service of [`Client::with_service`].
fn deliver<'a>(
    client: &'a Client,
    request: reqwest::Request,
    extensions: &mut http::Extensions,
) -> Attempt<'a, impl Future<Output = reqwest::Result<reqwest::Response>> + Unpin + Send + 'a> {
    match &client.hooks.service {
        None => Attempt::Http(client.http.execute(request)),
        Some(service) => Attempt::Hooked(service.call(request, extensions.clone())),
    }
}

/// One attempt on its way: reqwest's own future (`F`), or the future of
/// a middleware or an in-process service.
// Not an `async fn`: reqwest's future is a pointer wide, and an async
// wrapper would keep the request beside it in every call's future.
enum Attempt<'a, F> {
    Http(F),
    Hooked(BoxFuture<'a, Result<reqwest::Response, Error>>),
}

impl<F> Future for Attempt<'_, F>
where
    F: Future<Output = reqwest::Result<reqwest::Response>> + Unpin,
{
    type Output = Result<reqwest::Response, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // Both variants are `Unpin` (reqwest boxes its own state).
        match self.get_mut() {
            Attempt::Http(pending) => Pin::new(pending).poll(cx).map_err(transport),
            Attempt::Hooked(future) => future.as_mut().poll(cx),
        }
    }
}

/// Code every request of a client goes through, in the order the
/// middleware was added ([`Client::with_middleware`]): each sees every
/// attempt of every call, with the call's extensions, and may change
/// the request (a header, a refreshed token), answer it itself (a cache,
/// a test double), or call `next` and look at the response.
///
/// It is the hook the `reqwest-middleware` crate offers, without its
/// `async-trait`, `anyhow` and `thiserror` dependencies; a
/// `reqwest_middleware::ClientWithMiddleware` (with `reqwest-retry`,
/// `reqwest-tracing`...) can be the last middleware, sending the request
/// itself (see the crate's README).
///
/// ```text
/// struct Tenant(reqwest::header::HeaderValue);
///
/// impl Middleware for Tenant {
///     fn handle<'a>(
///         &'a self,
///         mut request: reqwest::Request,
///         extensions: &'a mut http::Extensions,
///         next: Next<'a>,
///     ) -> BoxFuture<'a, Result<reqwest::Response, Error>> {
///         Box::pin(async move {
///             request.headers_mut().insert("x-tenant", self.0.clone());
///             next.run(request, extensions).await
///         })
///     }
/// }
/// ```
pub trait Middleware: Send + Sync + 'static {
    /// Handles one attempt of a call: `next.run(request, extensions)`
    /// sends it on.
    fn handle<'a>(
        &'a self,
        request: reqwest::Request,
        extensions: &'a mut http::Extensions,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<reqwest::Response, Error>>;
}

/// The rest of the chain after a [`Middleware`]: the next middleware,
/// then the client's transport.
#[derive(Clone, Copy)]
pub struct Next<'a> {
    client: &'a Client,
    middleware: &'a [Arc<dyn Middleware>],
}

impl<'a> Next<'a> {
    /// Sends `request` on through the rest of the chain.
    pub fn run(
        self,
        request: reqwest::Request,
        extensions: &'a mut http::Extensions,
    ) -> BoxFuture<'a, Result<reqwest::Response, Error>> {
        match self.middleware.split_first() {
            Some((first, rest)) => first.handle(
                request,
                extensions,
                Next {
                    client: self.client,
                    middleware: rest,
                },
            ),
            None => Box::pin(deliver(self.client, request, extensions)),
        }
    }
}

impl std::fmt::Debug for Next<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Next")
            .field("middleware", &self.middleware.len())
            .finish()
    }
}

/// What a client adds to its HTTP client: middleware, an in-process
/// service instead of HTTP, and retries.
#[derive(Clone, Default)]
struct Hooks {
    middleware: Vec<Arc<dyn Middleware>>,
    service: Option<Arc<dyn InProcess>>,
    retry: RetryPolicy,
}

impl std::fmt::Debug for Hooks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hooks")
            .field("middleware", &self.middleware.len())
            .field("in_process", &self.service.is_some())
            .field("retry", &self.retry)
            .finish()
    }
}

/// A service a client sends its requests to in the same process.
trait InProcess: Send + Sync {
    fn call(
        &self,
        request: reqwest::Request,
        extensions: http::Extensions,
    ) -> BoxFuture<'static, Result<reqwest::Response, Error>>;
}

/// A `tower` service (such as an `axum::Router`) as the client's
/// transport.
struct ServiceTransport<S>(S);

/// An error of a middleware or of an in-process service.
type BoxError = Box<dyn std::error::Error + Send + Sync>;

impl<S, B> InProcess for ServiceTransport<S>
where
    S: tower_service::Service<http::Request<reqwest::Body>, Response = http::Response<B>>
        + Clone
        + Send
        + Sync
        + 'static,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    fn call(
        &self,
        request: reqwest::Request,
        extensions: http::Extensions,
    ) -> BoxFuture<'static, Result<reqwest::Response, Error>> {
        let mut service = self.0.clone();
        let timeout = request.timeout().copied();
        Box::pin(async move {
            let mut request =
                http::Request::<reqwest::Body>::try_from(request).map_err(Error::Transport)?;
            request.extensions_mut().extend(extensions);
            let respond = async move {
                std::future::poll_fn(|cx| service.poll_ready(cx))
                    .await
                    .map_err(|error| Error::Middleware(error.into()))?;
                let response = service
                    .call(request)
                    .await
                    .map_err(|error| Error::Middleware(error.into()))?;
                let (parts, body) = response.into_parts();
                let body = http_body_util::BodyExt::collect(body)
                    .await
                    .map_err(|error| Error::Middleware(error.into()))?
                    .to_bytes();
                let response = http::Response::from_parts(parts, reqwest::Body::from(body));
                Ok(reqwest::Response::from(response))
            };
            match timeout {
                None => respond.await,
                Some(timeout) => tokio::time::timeout(timeout, respond)
                    .await
                    .unwrap_or_else(|_| {
                        let timed_out = std::io::Error::new(
                            std::io::ErrorKind::TimedOut,
                            "the call's timeout passed",
                        );
                        Err(Error::Middleware(timed_out.into()))
                    }),
            }
        })
    }
}

impl Client {
    /// Creates a client that sends its requests to `service` in this
    /// process, with no socket: an `axum::Router` of the API's server
    /// crate over a fake implementation of its `Api` is a test double
    /// of the whole API, parameters, credentials and statuses included.
    ///
    /// `base_url` is only the prefix of the request URIs the service
    /// sees: for a router that serves the API's paths at its root, a URL
    /// without a path such as `http://localhost`. The body limit,
    /// middleware and retries apply as over HTTP, and the call's
    /// extensions reach the service as request extensions; a service's
    /// error fails the call with [`Error::Middleware`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidBaseUrl`] when `base_url` is not an absolute
    /// `http` or `https` URL.
    pub fn with_service<S, B>(base_url: &str, service: S) -> Result<Client, Error>
    where
        S: tower_service::Service<http::Request<reqwest::Body>, Response = http::Response<B>>
            + Clone
            + Send
            + Sync
            + 'static,
        S::Future: Send + 'static,
        S::Error: Into<BoxError>,
        B: http_body::Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<BoxError>,
    {
        let mut client = Client::with_http_client(base_url, reqwest::Client::new())?;
        client.hooks.service = Some(Arc::new(ServiceTransport(service)));
        Ok(client)
    }

    /// Returns the client with `middleware` after the middleware it has:
    /// every attempt of every call goes through it (see [`Middleware`]).
    #[must_use]
    pub fn with_middleware(mut self, middleware: impl Middleware) -> Client {
        self.hooks.middleware.push(Arc::new(middleware));
        self
    }

    /// Returns the client with `policy` for retries (see
    /// [`RetryPolicy`]; [`ClientOptions::retry`] sets it too).
    #[must_use]
    pub fn with_retry(mut self, policy: RetryPolicy) -> Client {
        self.hooks.retry = policy;
        self
    }
}

/// How long a response's `Retry-After` header asks to wait before the
/// next request: a number of seconds, or an HTTP date (`Sun, 06 Nov
/// 1994 08:49:37 GMT`; zero when past). `None` when absent or neither.
fn retry_after(
    headers: &reqwest::header::HeaderMap,
    now: std::time::SystemTime,
) -> Option<std::time::Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // More digits than a u64 holds: as long as the policy allows, no longer.
        return Some(std::time::Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let date = http_date(value)?;
    Some(date.duration_since(now).unwrap_or_default())
}

/// An IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form of HTTP
/// dates that servers send (RFC 9110, section 5.6.7).
fn http_date(text: &str) -> Option<std::time::SystemTime> {
    let mut parts = text.split_ascii_whitespace();
    let _weekday = parts.next().filter(|day| day.ends_with(','))?;
    let day: u64 = parts.next().filter(|d| d.len() == 2)?.parse().ok()?;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = parts.next()?;
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let year: u64 = parts.next().filter(|y| y.len() == 4)?.parse().ok()?;
    let mut clock = parts.next()?.split(':');
    let mut field = |max: u64| -> Option<u64> {
        clock.next().filter(|f| f.len() == 2)?.parse().ok().filter(|v| *v <= max)
    };
    let (hour, minute, second) = (field(23)?, field(59)?, field(60)?);
    if parts.next() != Some("GMT") || parts.next().is_some() || !(1..=31).contains(&day) || year < 1970 {
        return None;
    }
    // Days from 1970-01-01 to the date (the civil-from-days algorithm, run
    // backwards, for the proleptic Gregorian calendar).
    let (y, m) = if month <= 2 { (year - 1, month + 9) } else { (year, month - 3) };
    let era = y / 400;
    let year_of_era = y - era * 400;
    let day_of_year = (153 * m + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = (era * 146_097 + day_of_era).checked_sub(719_468)?;
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second;
    std::time::UNIX_EPOCH.checked_add(std::time::Duration::from_secs(seconds))
}
