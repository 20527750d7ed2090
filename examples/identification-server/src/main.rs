//! A customer identification processes server built on the generated crates:
//! an in-memory store behind the generated router, mounted under the spec's
//! base path `/v4`.
//!
//! ```text
//! IDENTIFICATION_SERVER_TOKEN=secret cargo run -p identification-server -- --addr 127.0.0.1:8080
//! curl -H 'x-auth-roles: API_KEY' \
//!   http://127.0.0.1:8080/v4/orgs/telco/customers/123e4567-e89b-12d3-a456-556642440000/identification-processes
//! ```
//!
//! The spec it implements is at `/v4/openapi.yaml`. With the generated
//! crate's `tracing` feature, each operation runs in a span (`operation`,
//! with its id, route and status), which the log lines of the operation
//! carry (`RUST_LOG=debug` shows them all).
//!
//! It serves with the generated crate's `ServeOptions` defaults (request
//! head and body timeouts, a bound on open connections) and shuts down
//! gracefully on Ctrl-C or SIGTERM: it stops accepting connections, lets the
//! requests in flight finish (for at most the options' `shutdown_timeout`),
//! then returns.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::Request;
use axum::middleware::{self, Next};
use axum::response::Response;
use clap::Parser;
use identification_server::{app, ServeOptions};

/// Serves the customer identification processes API from memory.
#[derive(Debug, Parser)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Bearer token accepted in `Authorization: Bearer <token>`. Without it,
    /// only `x-auth-roles` credentials are accepted. Prefer the environment
    /// variable: other users of the machine see a flag in `ps`.
    #[arg(long, env = "IDENTIFICATION_SERVER_TOKEN", hide_env_values = true)]
    token: Option<String>,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let app = app(args.token).layer(middleware::from_fn(log_request));
    let listener = tokio::net::TcpListener::bind(args.addr).await?;
    tracing::info!(addr = %listener.local_addr()?, "serving under /v4");
    ServeOptions::new()
        .serve_with_shutdown(listener, app, shutdown_signal())
        .await
}

/// Completes on Ctrl-C, or on SIGTERM (what service managers send) on Unix.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    tracing::info!("shutting down");
}

/// One log line per request: method, path, status and latency.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    tracing::info!(
        %method,
        %path,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}
