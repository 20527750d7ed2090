//! The generated client cannot be held forever nor made to exhaust memory:
//! its timeouts, its limit on response bodies, and its bounded `Debug`
//! output, against raw TCP servers on 127.0.0.1 that misbehave on purpose.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use operations_client::types::operations::get_note;
use operations_client::{Client, ClientOptions, Error};

/// How many bytes the endless body servers offer at most.
const OFFERED: u64 = 2 * 1024 * 1024 * 1024;

/// A server for one connection: it reads the request's head, then hands the
/// stream to `respond`, whose result the handle returns.
fn serve_once<T: Send + 'static>(
    respond: impl FnOnce(TcpStream) -> T + Send + 'static,
) -> (SocketAddr, JoinHandle<T>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let addr = listener.local_addr().expect("has an address");
    let handle = thread::spawn(move || {
        let (mut stream, _) = listener.accept().expect("accepts");
        let mut head = Vec::new();
        let mut buffer = [0; 1024];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            match stream.read(&mut buffer) {
                Ok(0) | Err(_) => break,
                Ok(n) => head.extend_from_slice(&buffer[..n]),
            }
        }
        respond(stream)
    });
    (addr, handle)
}

/// Sends the head of a chunked response, then chunks of `chunk` bytes until
/// `OFFERED` bytes went out or the client hung up. Returns the body bytes
/// the socket accepted.
fn endless_chunked(mut stream: TcpStream, status: &str, chunk: usize) -> u64 {
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n"
    );
    if stream.write_all(head.as_bytes()).is_err() {
        return 0;
    }
    let mut frame = format!("{chunk:x}\r\n").into_bytes();
    frame.extend(vec![b'a'; chunk]);
    frame.extend_from_slice(b"\r\n");
    let mut sent = 0;
    while sent < OFFERED {
        if stream.write_all(&frame).is_err() {
            break;
        }
        sent += chunk as u64;
    }
    sent
}

/// Waits for a server thread without blocking the test's runtime, whose
/// one thread must keep running the client's connection task so that it
/// closes the connection.
async fn finish<T: Send + 'static>(server: JoinHandle<T>) -> T {
    tokio::task::spawn_blocking(move || server.join().expect("server thread"))
        .await
        .expect("joins")
}

fn base(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

fn note() -> get_note::Parameters {
    get_note::Parameters::new(1, "trace".to_owned())
}

/// The peak resident set size of this process so far, in KiB (Linux).
fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("reads /proc/self/status");
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmHWM in /proc/self/status")
}

// --- Timeouts --------------------------------------------------------------

#[test]
fn default_timeouts_are_set() {
    assert_eq!(
        ClientOptions::DEFAULT_CONNECT_TIMEOUT,
        Duration::from_secs(10)
    );
    assert_eq!(ClientOptions::DEFAULT_READ_TIMEOUT, Duration::from_secs(30));
    // `Client::new` uses the defaults; reqwest's `Debug` shows the read
    // timeout (it does not show the connect timeout).
    let client = Client::new("http://127.0.0.1:9/").expect("base url");
    let debug = format!("{client:?}");
    assert!(debug.contains("read_timeout: 30s"), "{debug}");
    assert!(debug.contains("body_limit: 33554432"), "{debug}");
    assert_eq!(Client::DEFAULT_BODY_LIMIT, 32 * 1024 * 1024);
    // Only a whole-request timeout that the user asks for.
    let with_total = Client::with_options(
        "http://127.0.0.1:9/",
        &ClientOptions::default().timeout(Duration::from_secs(90)),
    )
    .expect("base url");
    // reqwest names the field after an internal type; the value is enough.
    assert!(format!("{with_total:?}").contains(": 90s"));
    assert!(!debug.contains(": 90s"));
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let (addr, server) = serve_once(|stream| {
        // Holds the connection open, silent, until the client gives up.
        let mut stream = stream;
        let _ = stream.read(&mut [0; 1]);
    });
    let options = ClientOptions::default().read_timeout(Duration::from_millis(300));
    let client = Client::with_options(&base(addr), &options).expect("base url");
    let started = Instant::now();
    let error = client.get_note(&note()).await.expect_err("times out");
    let elapsed = started.elapsed();
    match &error {
        Error::Transport(error) => assert!(error.is_timeout(), "{error:?}"),
        other => panic!("expected a timeout, got {other:?}"),
    }
    assert!(error.is_timeout());
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    drop(client);
    finish(server).await;
}

#[tokio::test]
async fn a_body_that_stops_midway_times_out() {
    let (addr, server) = serve_once(|mut stream| {
        let _ = stream.write_all(
            b"HTTP/1.1 500 Internal Server Error\r\ntransfer-encoding: chunked\r\n\r\n4\r\nhalf\r\n",
        );
        let _ = stream.read(&mut [0; 1]);
    });
    let options = ClientOptions::default().read_timeout(Duration::from_millis(300));
    let client = Client::with_options(&base(addr), &options).expect("base url");
    let error = client.get_note(&note()).await.expect_err("times out");
    assert!(
        matches!(&error, Error::Transport(e) if e.is_timeout()),
        "{error:?}"
    );
    drop(client);
    finish(server).await;
}

#[tokio::test]
async fn the_whole_request_timeout_cuts_a_trickle() {
    // A chunk every 50 ms: the read timeout never passes, the total does.
    let (addr, server) = serve_once(|mut stream| {
        let head = b"HTTP/1.1 500 Internal Server Error\r\ntransfer-encoding: chunked\r\n\r\n";
        if stream.write_all(head).is_err() {
            return;
        }
        for _ in 0..200 {
            thread::sleep(Duration::from_millis(50));
            if stream.write_all(b"1\r\na\r\n").is_err() {
                return;
            }
        }
    });
    let options = ClientOptions::default()
        .read_timeout(Duration::from_secs(5))
        .timeout(Duration::from_millis(500));
    let client = Client::with_options(&base(addr), &options).expect("base url");
    let started = Instant::now();
    let error = client.get_note(&note()).await.expect_err("times out");
    assert!(
        matches!(&error, Error::Transport(e) if e.is_timeout()),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(client);
    finish(server).await;
}

// --- The body limit ----------------------------------------------------------

#[tokio::test]
async fn an_endless_body_stops_at_the_limit() {
    const LIMIT: usize = 1024 * 1024;
    let (addr, server) = serve_once(|stream| endless_chunked(stream, "200 OK", 16 * 1024));
    let client = Client::with_options(&base(addr), &ClientOptions::default())
        .expect("base url")
        .with_body_limit(LIMIT);
    let error = client.get_note(&note()).await.expect_err("too large");
    assert!(
        matches!(
            error,
            Error::BodyTooLarge {
                status: 200,
                limit: LIMIT
            }
        ),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(200));
    assert_eq!(
        error.to_string(),
        "the body of a response with status 200 is longer than the limit of 1048576 bytes"
    );
    // The client hung up: the server could not push its 2 GiB, only what
    // the limit and the sockets' buffers took.
    drop(client);
    let sent = finish(server).await;
    assert!(sent < 64 * 1024 * 1024, "the server sent {sent} bytes");
}

#[tokio::test]
async fn the_limit_applies_to_a_users_http_client_too() {
    let (addr, server) =
        serve_once(|stream| endless_chunked(stream, "503 Service Unavailable", 64 * 1024));
    let client = Client::with_http_client(&base(addr), reqwest::Client::new()).expect("base url");
    // Sent once: the server answers one connection, and a 503 of a GET is
    // otherwise retried.
    let error = client
        .get_note(&note())
        .retry(false)
        .await
        .expect_err("too large");
    assert!(
        matches!(
            error,
            Error::BodyTooLarge {
                status: 503,
                limit: Client::DEFAULT_BODY_LIMIT
            }
        ),
        "{error:?}"
    );
    drop(client);
    let sent = finish(server).await;
    assert!(sent < 128 * 1024 * 1024, "the server sent {sent} bytes");
}

#[tokio::test]
async fn a_declared_length_over_the_limit_fails_before_reading() {
    // Declares 10 GB and sends nothing: reading would wait for the 30 s read
    // timeout; the call must fail at once.
    let (addr, server) = serve_once(|mut stream| {
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 10000000000\r\n\r\n");
        let _ = stream.read(&mut [0; 1]);
    });
    let client = Client::new(&base(addr)).expect("base url");
    let started = Instant::now();
    let error = client.get_note(&note()).await.expect_err("too large");
    assert!(
        matches!(error, Error::BodyTooLarge { status: 200, .. }),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(client);
    finish(server).await;
}

/// A 500 with a text body of `length` bytes in chunks of 1000, answered to
/// `get_note`, which declares `5XX` with a text body.
async fn text_error_of(length: usize, limit: usize) -> Result<get_note::Response, Error> {
    let (addr, server) = serve_once(move |mut stream| {
        let mut response =
            b"HTTP/1.1 500 Internal Server Error\r\ntransfer-encoding: chunked\r\n\r\n".to_vec();
        let mut left = length;
        while left > 0 {
            let chunk = left.min(1000);
            response.extend_from_slice(format!("{chunk:x}\r\n").as_bytes());
            response.extend(vec![b'x'; chunk]);
            response.extend_from_slice(b"\r\n");
            left -= chunk;
        }
        response.extend_from_slice(b"0\r\n\r\n");
        let _ = stream.write_all(&response);
    });
    let client = Client::new(&base(addr))
        .expect("base url")
        .with_body_limit(limit);
    let result = client.get_note(&note()).await;
    finish(server).await;
    result
}

#[tokio::test]
async fn a_body_of_exactly_the_limit_is_read_one_more_byte_is_not() {
    match text_error_of(4500, 4500).await {
        Ok(get_note::Response::ServerError { status, body }) => {
            assert_eq!(status, 500);
            assert_eq!(body, "x".repeat(4500));
        }
        other => panic!("expected the 500 with its body, got {other:?}"),
    }
    let error = text_error_of(4501, 4500).await.expect_err("too large");
    assert!(
        matches!(
            error,
            Error::BodyTooLarge {
                status: 500,
                limit: 4500
            }
        ),
        "{error:?}"
    );
}

/// Peak memory of a call offered a 2 GiB endless body with the default
/// limit. Alone in its process, since the peak is the whole process's:
/// `cargo test -p apiforge-tests --test client_limits -- --ignored --nocapture`.
#[tokio::test]
#[ignore = "measures the whole process's peak memory: run alone"]
async fn peak_memory_of_an_endless_body_stays_near_the_limit() {
    let before = peak_rss_kib();
    let (addr, server) = serve_once(|stream| endless_chunked(stream, "200 OK", 64 * 1024));
    let client = Client::new(&base(addr)).expect("base url");
    let error = client.get_note(&note()).await.expect_err("too large");
    assert!(
        matches!(error, Error::BodyTooLarge { status: 200, .. }),
        "{error:?}"
    );
    drop(client);
    let sent = finish(server).await;
    let after = peak_rss_kib();
    eprintln!(
        "offered {OFFERED} bytes, the server got {sent} out; peak RSS {before} KiB before, \
         {after} KiB after (limit {} KiB)",
        Client::DEFAULT_BODY_LIMIT / 1024
    );
    // The body buffer never grows past the limit; allow the runtime and
    // the sockets their share on top.
    assert!(
        after < (Client::DEFAULT_BODY_LIMIT / 1024) as u64 + before + 32 * 1024,
        "peak RSS {after} KiB"
    );
}

// --- Debug output ------------------------------------------------------------

#[test]
fn debug_of_a_huge_body_is_short() {
    let body = vec![b'a'; 50_000_000];
    let unexpected = Error::UnexpectedStatus {
        status: 500,
        body: body.clone(),
    };
    let source = serde_json::from_slice::<serde_json::Value>(b"{").expect_err("not JSON");
    let decode = Error::Decode {
        status: 200,
        body: body.clone(),
        source,
    };
    let header = Error::InvalidHeader {
        status: 200,
        name: "ETag".to_owned(),
        body,
        message: "missing".to_owned(),
    };
    for error in [&unexpected, &decode, &header] {
        let debug = format!("{error:?}");
        assert!(debug.len() < 1_000, "{} characters", debug.len());
        assert!(debug.contains("... (50000000 bytes)"), "{debug}");
        assert!(debug.contains("status: "), "{debug}");
        let display = error.to_string();
        assert!(display.len() < 1_000, "{} characters", display.len());
    }
    assert!(format!("{unexpected:?}").starts_with("UnexpectedStatus { status: 500, body: \"aaa"));
}

#[test]
fn debug_of_a_short_body_shows_it_as_text() {
    let error = Error::UnexpectedStatus {
        status: 418,
        body: b"I'm a teapot\n\xff".to_vec(),
    };
    assert_eq!(
        format!("{error:?}"),
        "UnexpectedStatus { status: 418, body: \"I'm a teapot\\n\u{fffd}\" }"
    );
    let empty = Error::UnexpectedStatus {
        status: 502,
        body: Vec::new(),
    };
    assert_eq!(
        format!("{empty:?}"),
        "UnexpectedStatus { status: 502, body: \"\" }"
    );
    let too_large = Error::BodyTooLarge {
        status: 200,
        limit: 10,
    };
    assert_eq!(
        format!("{too_large:?}"),
        "BodyTooLarge { status: 200, limit: 10 }"
    );
}
