//! Serves the hand-written and the generated server side by side, each on
//! its own loopback port under `/v4`, for a load generator to alternate
//! between (`benches/scripts/server.py` runs `wrk`).
//!
//! ```text
//! serve [--threads N]     # prints `handwritten URL` and `generated URL`, serves until stdin closes
//! ```
//!
//! Both routers run on one tokio runtime with `N` worker threads (default
//! 1, leaving the other core of a two-core machine to the load generator);
//! only one of them is loaded at a time.

use std::io::{BufRead, Write};

use apiforge_benches::{generated_api::Processes, handwritten};
use customer_identification_processes_server::router;
use tokio::net::TcpListener;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let threads = match args.as_slice() {
        [] => 1,
        [flag, n] if flag == "--threads" => n.parse().map_err(|_| invalid_argument(n))?,
        other => return Err(invalid_argument(&other.join(" "))),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let apps = [
            (
                "handwritten",
                axum::Router::new().nest("/v4", handwritten::router()),
            ),
            (
                "generated",
                axum::Router::new().nest("/v4", router(Processes)),
            ),
        ];
        let mut stdout = std::io::stdout().lock();
        for (name, app) in apps {
            let listener = TcpListener::bind("127.0.0.1:0").await?;
            writeln!(stdout, "{name} http://{}/v4", listener.local_addr()?)?;
            tokio::spawn(async move { axum::serve(listener, app).await });
        }
        stdout.flush()?;
        drop(stdout);
        // Serve until the driver closes stdin (or exits).
        tokio::task::spawn_blocking(|| for _ in std::io::stdin().lock().lines() {})
            .await
            .map_err(std::io::Error::other)
    })
}

fn invalid_argument(argument: &str) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidInput,
        format!("unexpected argument `{argument}`; usage: serve [--threads N]"),
    )
}
