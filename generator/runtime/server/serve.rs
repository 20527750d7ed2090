// apiforge copies this file as is into every server crate it generates, as
// src/serve.rs below the generated-file header. Change it here, where it is
// compiled and tested (generator/runtime), never in a generated crate.

//! Serving a router over HTTP/1.1 with limits that keep slow, idle or
//! half-open clients from starving the server.

use std::future::Future;
use std::io;
use std::pin::{pin, Pin};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body, Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};
use tower_service::Service;

/// How long the accept loop pauses after an error that is not about one
/// connection (out of file descriptors, out of memory): the condition lasts
/// until connections close, and retrying at once would spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(50);

/// The longest timeout the options keep; longer ones are cut to it, so that
/// deadlines computed from them never overflow.
const MAX_TIMEOUT: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// Serves `router` on `listener` with the default [`ServeOptions`] until the
/// process ends.
///
/// Unlike `axum::serve`, slow or idle clients cannot hold the server: request
/// heads must arrive within a timeout, request bodies within another, and the
/// number of open connections is bounded. Errors accepting a connection (even
/// running out of file descriptors) never end it; it only returns, with
/// `Ok(())`, through [`ServeOptions::serve_with_shutdown`].
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// use apiforge_runtime::serve;
///
/// // In a server crate: `router(service)`.
/// let app = axum::Router::new();
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
/// serve(listener, app).await
/// # }
/// ```
pub async fn serve(listener: TcpListener, router: axum::Router) -> io::Result<()> {
    ServeOptions::new().serve(listener, router).await
}

/// Limits and timeouts of [`serve`], set with builder-style methods on top of
/// the defaults of [`ServeOptions::new`]:
///
/// | Option | Default |
/// |---|---|
/// | [`header_read_timeout`](Self::header_read_timeout) | 30 s |
/// | [`max_header_bytes`](Self::max_header_bytes) | 16 KiB |
/// | [`request_body_timeout`](Self::request_body_timeout) | 30 s |
/// | [`max_connections`](Self::max_connections) | 16,384 |
/// | [`shutdown_timeout`](Self::shutdown_timeout) | 10 s |
///
/// The size of a request body the router reads whole (JSON, form, text,
/// multipart) is bounded by axum's `DefaultBodyLimit` (2 MiB unless the
/// router sets another); [`request_body_timeout`](Self::request_body_timeout)
/// bounds the time of every body, streamed ones too.
///
/// ```no_run
/// # async fn run(shutdown: tokio::sync::oneshot::Receiver<()>) -> std::io::Result<()> {
/// use std::time::Duration;
///
/// use apiforge_runtime::ServeOptions;
///
/// // In a server crate: `router(service)`.
/// let app = axum::Router::new();
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
/// ServeOptions::new()
///     .header_read_timeout(Duration::from_secs(10))
///     .max_connections(4096)
///     .serve_with_shutdown(listener, app, async {
///         // E.g. `tokio::signal::ctrl_c()`; here, a message from elsewhere.
///         let _ = shutdown.await;
///     })
///     .await
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServeOptions {
    header_read_timeout: Duration,
    max_header_bytes: usize,
    request_body_timeout: Duration,
    max_connections: usize,
    shutdown_timeout: Duration,
}

impl Default for ServeOptions {
    fn default() -> Self {
        Self::new()
    }
}

impl ServeOptions {
    /// The defaults (see the table on [`ServeOptions`]).
    pub fn new() -> Self {
        Self {
            header_read_timeout: Duration::from_secs(30),
            max_header_bytes: 16 * 1024,
            request_body_timeout: Duration::from_secs(30),
            max_connections: 16_384,
            shutdown_timeout: Duration::from_secs(10),
        }
    }

    /// How long a connection may take to send a complete request head (request
    /// line and headers), counted from when the server starts waiting for it;
    /// then the connection is closed. The wait for the next request on an idle
    /// keep-alive connection counts too, so this also bounds how long an idle
    /// connection stays open. At most a year.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout.min(MAX_TIMEOUT);
        self
    }

    /// The largest request head (request line and headers) in bytes; a larger
    /// one is answered `431 Request Header Fields Too Large` and its connection
    /// closed. Bounds the memory a connection holds before its request is read.
    pub fn max_header_bytes(mut self, bytes: usize) -> Self {
        self.max_header_bytes = bytes;
        self
    }

    /// How long a request body may take to arrive completely, counted from when
    /// its request head has been read. A body still incomplete then ends with
    /// an error (the router answers it as a bad body) and the connection is
    /// closed. Raise it for operations that stream large uploads. At most a
    /// year.
    pub fn request_body_timeout(mut self, timeout: Duration) -> Self {
        self.request_body_timeout = timeout.min(MAX_TIMEOUT);
        self
    }

    /// The most connections served at once (at least 1). With that many open,
    /// the server accepts no more until one closes; new clients wait in the
    /// listen backlog. A connection serves one request at a time, so this also
    /// bounds the requests in flight. Keep it below the process's file descriptor limit
    /// (`ulimit -n`) minus the descriptors the application itself needs.
    pub fn max_connections(mut self, connections: usize) -> Self {
        // The graceful shutdown counts connections through `u32` permits.
        self.max_connections = connections.clamp(1, u32::MAX as usize);
        self
    }

    /// After the shutdown signal, how long connections may take to finish the
    /// request they are serving before they are closed anyway. At most a year.
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.shutdown_timeout = timeout.min(MAX_TIMEOUT);
        self
    }

    /// Serves `router` on `listener` with these options until the process
    /// ends (see [`serve`]).
    pub async fn serve(self, listener: TcpListener, router: axum::Router) -> io::Result<()> {
        self.serve_with_shutdown(listener, router, std::future::pending())
            .await
    }

    /// Serves `router` on `listener` with these options until `signal`
    /// completes, then shuts down gracefully: stops accepting, lets every
    /// connection finish the request it is serving (each closes after its
    /// response), and after [`shutdown_timeout`](Self::shutdown_timeout)
    /// closes those still open. Returns `Ok(())` once done.
    ///
    /// Dropping the returned future stops accepting too, and lets open
    /// connections finish their current request.
    pub async fn serve_with_shutdown(
        self,
        listener: TcpListener,
        router: axum::Router,
        signal: impl Future<Output = ()>,
    ) -> io::Result<()> {
        let mut signal = pin!(signal);
        let slots = Arc::new(Semaphore::new(self.max_connections));
        let (phase, phase_watch) = watch::channel(Phase::Serving);
        let options = Arc::new(self);
        loop {
            let next = async {
                let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
                    // Never closed; without a slot there is nothing to serve.
                    return None;
                };
                Some((slot, listener.accept().await))
            };
            let (slot, accepted) = tokio::select! {
                () = &mut signal => break,
                next = next => match next {
                    Some(next) => next,
                    None => break,
                },
            };
            match accepted {
                Ok((stream, _)) => {
                    let connection = ConnectionTask {
                        options: Arc::clone(&options),
                        router: router.clone(),
                        phase: phase_watch.clone(),
                        _slot: slot,
                    };
                    tokio::spawn(connection.run(stream));
                }
                Err(error) if is_connection_error(&error) => {}
                Err(_) => {
                    drop(slot);
                    tokio::select! {
                        () = &mut signal => break,
                        () = tokio::time::sleep(ACCEPT_BACKOFF) => {}
                    }
                }
            }
        }
        drop(listener);
        phase.send_replace(Phase::Draining);
        // Every connection holds a slot until it ends: all slots back means
        // every connection has finished.
        let all = u32::try_from(options.max_connections).unwrap_or(u32::MAX);
        let _ = tokio::time::timeout(options.shutdown_timeout, slots.acquire_many(all)).await;
        phase.send_replace(Phase::Closing);
        Ok(())
    }
}

/// Errors of `accept` that concern only the connection being accepted: the
/// next one may well succeed at once.
fn is_connection_error(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}

/// Where a graceful shutdown stands, as seen by every connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Serving,
    /// Finish the current request, then close.
    Draining,
    /// Close now.
    Closing,
}

/// One accepted connection and what serving it needs.
struct ConnectionTask {
    options: Arc<ServeOptions>,
    router: axum::Router,
    phase: watch::Receiver<Phase>,
    /// Released when the connection ends, making room for another.
    _slot: OwnedSemaphorePermit,
}

impl ConnectionTask {
    async fn run(mut self, stream: TcpStream) {
        let router = self.router.clone();
        let body_timeout = self.options.request_body_timeout;
        let service = hyper::service::service_fn(move |request: hyper::Request<Incoming>| {
            let deadline = Instant::now() + body_timeout;
            let request = request.map(|body| DeadlineBody::new(body, deadline, body_timeout));
            // `Router` is always ready, so calling it without `poll_ready`
            // is fine.
            router.clone().call(request)
        });
        let mut builder = http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(self.options.header_read_timeout)
            .max_header_size(self.options.max_header_bytes);
        let mut connection = pin!(builder
            .serve_connection(TokioIo::new(stream), service)
            .with_upgrades());
        loop {
            tokio::select! {
                // Errors (timeouts, resets, malformed requests) end this
                // connection only; hyper has answered what it could.
                _ = connection.as_mut() => return,
                changed = self.phase.changed() => {
                    if changed.is_err() {
                        // The serving future was dropped: finish the
                        // current request and stop.
                        connection.as_mut().graceful_shutdown();
                        let _ = connection.await;
                        return;
                    }
                    match *self.phase.borrow_and_update() {
                        Phase::Serving => {}
                        Phase::Draining => connection.as_mut().graceful_shutdown(),
                        Phase::Closing => return,
                    }
                }
            }
        }
    }
}

/// A request body that fails once its deadline has passed.
struct DeadlineBody<B> {
    inner: B,
    deadline: Instant,
    timeout: Duration,
    /// Started on the first wait, so a body read at once needs no timer.
    timer: Option<Pin<Box<Sleep>>>,
}

impl<B> DeadlineBody<B> {
    fn new(inner: B, deadline: Instant, timeout: Duration) -> Self {
        Self {
            inner,
            deadline,
            timeout,
            timer: None,
        }
    }
}

impl<B> Body for DeadlineBody<B>
where
    B: Body + Unpin,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Data = B::Data;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let this = self.get_mut();
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|frame| frame.map_err(Into::into)));
        }
        let deadline = this.deadline;
        let timer = this
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(deadline)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                format!(
                    "the request body did not arrive within {} s",
                    this.timeout.as_secs_f64()
                ),
            )
            .into()))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
