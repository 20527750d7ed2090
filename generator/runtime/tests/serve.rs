//! `serve.rs` over real TCP on loopback: each limit closes what it should, in
//! the time it should, and leaves other clients served.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use apiforge_runtime::ServeOptions;
use axum::body::Bytes;
use axum::routing::{get, post};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// Slack for scheduling on a loaded machine, on top of a configured timeout.
const SLACK: Duration = Duration::from_millis(1500);

fn app() -> axum::Router {
    axum::Router::new()
        .route("/", get(|| async { "ok" }))
        .route(
            "/slow",
            get(|| async {
                tokio::time::sleep(Duration::from_millis(400)).await;
                "slow"
            }),
        )
        .route("/forever", get(std::future::pending::<&'static str>))
        .route(
            "/echo",
            post(|body: Bytes| async move { body.len().to_string() }),
        )
}

struct Running {
    addr: SocketAddr,
    stop: oneshot::Sender<()>,
    server: JoinHandle<std::io::Result<()>>,
}

async fn start(options: ServeOptions) -> Running {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(options.serve_with_shutdown(listener, app(), async {
        let _ = stopped.await;
    }));
    Running { addr, stop, server }
}

/// Sends `request` and reads until the server closes the connection.
async fn exchange(addr: SocketAddr, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request).await.expect("send");
    read_to_close(&mut stream).await
}

async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut response = Vec::new();
    // A reset after the response is also a close.
    let _ = stream.read_to_end(&mut response).await;
    String::from_utf8_lossy(&response).into_owned()
}

/// How long until the server closes `stream` (read returns end of stream or
/// an error), failing past `limit`.
async fn time_to_close(stream: &mut TcpStream, limit: Duration) -> Duration {
    let started = Instant::now();
    let mut buffer = [0u8; 1024];
    loop {
        match tokio::time::timeout(limit, stream.read(&mut buffer)).await {
            Ok(Ok(0) | Err(_)) => return started.elapsed(),
            Ok(Ok(_)) => {}
            Err(_) => panic!("connection still open after {limit:?}"),
        }
    }
}

#[tokio::test]
async fn a_half_sent_request_head_is_closed_after_the_header_timeout() {
    let timeout = Duration::from_millis(300);
    let running = start(ServeOptions::new().header_read_timeout(timeout)).await;
    let mut stream = TcpStream::connect(running.addr).await.expect("connect");
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .expect("send");
    let closed = time_to_close(&mut stream, timeout + SLACK).await;
    assert!(closed >= timeout - Duration::from_millis(50), "{closed:?}");
    // The server still answers.
    let response = exchange(
        running.addr,
        b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert!(response.ends_with("\r\n\r\nok"), "{response}");
}

#[tokio::test]
async fn a_connection_that_sends_nothing_is_closed_after_the_header_timeout() {
    let timeout = Duration::from_millis(300);
    let running = start(ServeOptions::new().header_read_timeout(timeout)).await;
    let mut stream = TcpStream::connect(running.addr).await.expect("connect");
    let closed = time_to_close(&mut stream, timeout + SLACK).await;
    assert!(closed >= timeout - Duration::from_millis(50), "{closed:?}");
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let timeout = Duration::from_millis(300);
    let running = start(ServeOptions::new().header_read_timeout(timeout)).await;
    let mut stream = TcpStream::connect(running.addr).await.expect("connect");
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("send");
    let mut response = Vec::new();
    let mut buffer = [0u8; 1024];
    while !response.ends_with(b"\r\n\r\nok") {
        let read = stream.read(&mut buffer).await.expect("response");
        assert!(read > 0, "closed before the response");
        response.extend_from_slice(&buffer[..read]);
    }
    // Kept alive, then idle: closed once the next head is overdue.
    let closed = time_to_close(&mut stream, timeout + SLACK).await;
    assert!(closed >= timeout - Duration::from_millis(50), "{closed:?}");
}

#[tokio::test]
async fn a_stalled_request_body_is_refused_after_the_body_timeout() {
    let timeout = Duration::from_millis(400);
    let running = start(ServeOptions::new().request_body_timeout(timeout)).await;
    let started = Instant::now();
    // Announces 10 GB and sends one byte.
    let response = tokio::time::timeout(
        timeout + SLACK,
        exchange(
            running.addr,
            b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000000\r\n\r\nx",
        ),
    )
    .await
    .expect("answered and closed within the body timeout");
    assert!(started.elapsed() >= timeout - Duration::from_millis(50));
    assert!(
        response.starts_with("HTTP/1.1 400 Bad Request\r\n"),
        "{response}"
    );
}

#[tokio::test]
async fn a_complete_body_is_read_within_the_body_timeout() {
    let running = start(ServeOptions::new().request_body_timeout(Duration::from_millis(400))).await;
    let mut stream = TcpStream::connect(running.addr).await.expect("connect");
    stream
        .write_all(
            b"POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 6\r\n\r\nab",
        )
        .await
        .expect("send");
    tokio::time::sleep(Duration::from_millis(100)).await;
    stream.write_all(b"cdef").await.expect("send");
    let response = read_to_close(&mut stream).await;
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert!(response.ends_with("\r\n\r\n6"), "{response}");
}

#[tokio::test]
async fn a_body_over_the_default_limit_is_refused() {
    let running = start(ServeOptions::new()).await;
    let body = vec![b'x'; 3 * 1024 * 1024];
    let mut request = format!(
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    let mut stream = TcpStream::connect(running.addr).await.expect("connect");
    // The server may close before all of it is sent.
    let _ = stream.write_all(&request).await;
    let response = read_to_close(&mut stream).await;
    assert!(
        response.starts_with("HTTP/1.1 413 Payload Too Large\r\n"),
        "{response}"
    );
}

#[tokio::test]
async fn a_request_head_over_the_limit_is_refused() {
    let running = start(ServeOptions::new().max_header_bytes(1024)).await;
    let request = format!(
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "y".repeat(2048)
    );
    let response = exchange(running.addr, request.as_bytes()).await;
    assert!(
        response.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"),
        "{response}"
    );
}

#[tokio::test]
async fn connections_past_the_limit_wait_for_a_free_slot() {
    let running = start(ServeOptions::new().max_connections(1)).await;
    let holder = TcpStream::connect(running.addr).await.expect("connect");
    // Let the server accept the holder first.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let waiting = tokio::spawn(exchange(
        running.addr,
        b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    ));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!waiting.is_finished(), "served past the connection limit");
    drop(holder);
    let response = tokio::time::timeout(Duration::from_secs(2), waiting)
        .await
        .expect("served once a slot is free")
        .expect("request task");
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
}

#[tokio::test]
async fn shutdown_finishes_the_request_in_flight_and_stops_accepting() {
    let running = start(ServeOptions::new()).await;
    let in_flight = tokio::spawn(exchange(
        running.addr,
        b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n",
    ));
    tokio::time::sleep(Duration::from_millis(100)).await;
    running.stop.send(()).expect("server running");
    // Kept alive by the client, yet closed after its response.
    let response = tokio::time::timeout(Duration::from_secs(2), in_flight)
        .await
        .expect("closed after the response")
        .expect("request task");
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert!(response.ends_with("\r\n\r\nslow"), "{response}");
    tokio::time::timeout(Duration::from_secs(2), running.server)
        .await
        .expect("serve returns")
        .expect("server task")
        .expect("serve succeeds");
    assert!(
        TcpStream::connect(running.addr).await.is_err(),
        "still accepting"
    );
}

#[tokio::test]
async fn shutdown_closes_what_outlasts_the_shutdown_timeout() {
    let grace = Duration::from_millis(300);
    let running = start(ServeOptions::new().shutdown_timeout(grace)).await;
    let mut stream = TcpStream::connect(running.addr).await.expect("connect");
    stream
        .write_all(b"GET /forever HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("send");
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    running.stop.send(()).expect("server running");
    tokio::time::timeout(grace + SLACK, running.server)
        .await
        .expect("serve returns after the shutdown timeout")
        .expect("server task")
        .expect("serve succeeds");
    assert!(started.elapsed() >= grace - Duration::from_millis(50));
    time_to_close(&mut stream, SLACK).await;
}

#[tokio::test]
async fn the_longest_timeouts_serve_without_overflow() {
    let running = start(
        ServeOptions::new()
            .header_read_timeout(Duration::MAX)
            .request_body_timeout(Duration::MAX)
            .shutdown_timeout(Duration::MAX),
    )
    .await;
    let response = exchange(
        running.addr,
        b"POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 2\r\n\r\nab",
    )
    .await;
    assert!(response.ends_with("\r\n\r\n2"), "{response}");
    running.stop.send(()).expect("server running");
    tokio::time::timeout(Duration::from_secs(2), running.server)
        .await
        .expect("serve returns")
        .expect("server task")
        .expect("serve succeeds");
}
