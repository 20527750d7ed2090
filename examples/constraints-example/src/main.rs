//! Serves the constraints fixture's API on the address given as the first
//! argument (`127.0.0.1:8080` without one), until the process is stopped.
//!
//! ```text
//! cargo run -p constraints-example -- 127.0.0.1:8080
//! ```

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8080".to_owned());
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    println!("serving on {}", listener.local_addr()?);
    constraints_server::serve(listener, constraints_example::app()).await
}
