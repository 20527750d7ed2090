//! The seed server served the documented way (`serve` / `ServeOptions` of the
//! generated crate) on loopback stays available while many clients hold
//! half-sent requests, and closes those clients once the request head
//! timeout has passed.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use customer_identification_processes_server::types::operations::{
    get_identification_process, list_identification_processes,
};
use customer_identification_processes_server::types::{
    ErrorResponse, ListIdentificationProcessesResponse,
};
use customer_identification_processes_server::{router, Api, Rejection, Request, ServeOptions};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Answers every listing with an empty list.
struct Empty;

impl Api for Empty {
    async fn list_identification_processes(
        &self,
        _: Request<list_identification_processes::Parameters>,
    ) -> list_identification_processes::Response {
        list_identification_processes::Response::Ok(ListIdentificationProcessesResponse::new(
            vec![],
            0,
        ))
    }

    async fn get_identification_process(
        &self,
        _: Request<get_identification_process::Parameters>,
    ) -> get_identification_process::Response {
        get_identification_process::Response::NotFound(error("NOT_FOUND", "no such process"))
    }

    fn rejection_error_response(&self, rejection: &Rejection) -> ErrorResponse {
        error("BAD_REQUEST", &rejection.message)
    }
}

fn error(code: &str, message: &str) -> ErrorResponse {
    ErrorResponse::new(code.into(), message.into())
}

const PATH: &str =
    "/orgs/telco/customers/123e4567-e89b-12d3-a456-556642440000/identification-processes";

/// The half-open connections the test holds at once (fewer if the file
/// descriptor limit cannot fit them: each takes two, client and server).
const HALF_OPEN: usize = 1000;

/// Raises the soft file descriptor limit to the hard one and returns how
/// many descriptors the process may open.
fn raise_fd_limit() -> usize {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid, writable `rlimit`.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return 1024;
    }
    if limit.rlim_cur < limit.rlim_max {
        let raised = libc::rlimit {
            rlim_cur: limit.rlim_max,
            rlim_max: limit.rlim_max,
        };
        // SAFETY: `raised` is a valid `rlimit`.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            limit = raised;
        }
    }
    usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX)
}

async fn start(options: ServeOptions) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(options.serve(listener, router(Empty)));
    addr
}

/// Opens a connection and sends the start of a request head, never its end.
async fn half_open(addr: SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let partial = format!("GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nx-auth-roles: API_");
    stream.write_all(partial.as_bytes()).await.expect("send");
    stream
}

/// A complete request; returns the response once the server closes.
async fn normal_request(addr: SocketAddr) -> String {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let request = format!(
        "GET {PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nx-auth-roles: API_KEY\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.expect("response");
    String::from_utf8_lossy(&response).into_owned()
}

/// Waits until the server closes `stream`; `None` if it is still open after
/// `limit`.
async fn closed_within(mut stream: TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buffer = [0u8; 512];
    loop {
        match tokio::time::timeout_at((started + limit).into(), stream.read(&mut buffer)).await {
            Ok(Ok(0) | Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => {}
            Err(_) => return None,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_sent_requests_neither_starve_the_server_nor_stay_open() {
    let header_timeout = Duration::from_secs(2);
    let count = HALF_OPEN.min(raise_fd_limit().saturating_sub(256) / 2);
    assert!(
        count >= 100,
        "too few file descriptors for the test: {count} connections"
    );
    let addr = start(ServeOptions::new().header_read_timeout(header_timeout)).await;

    let mut held = Vec::with_capacity(count);
    for _ in 0..count {
        held.push(half_open(addr).await);
    }
    let opened = Instant::now();

    let started = Instant::now();
    let response = tokio::time::timeout(Duration::from_secs(1), normal_request(addr))
        .await
        .unwrap_or_else(|_| {
            panic!("no answer within 1 s while {count} half-sent requests are held")
        });
    let latency = started.elapsed();
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
    assert!(response.contains("\"total\":0"), "{response}");

    // Every half-sent request is closed by the server once the head timeout
    // has passed (counted from when each was opened; they were all opened
    // before `opened`).
    let deadline = header_timeout + Duration::from_secs(2);
    let closes = futures_util::future::join_all(
        held.into_iter()
            .map(|stream| closed_within(stream, deadline)),
    )
    .await;
    let still_open = closes.iter().filter(|closed| closed.is_none()).count();
    assert_eq!(
        still_open, 0,
        "{still_open} of {count} half-sent requests still open after {deadline:?}"
    );
    let all_closed = opened.elapsed();
    assert!(
        all_closed >= header_timeout - Duration::from_millis(100),
        "closed after {all_closed:?}, before the {header_timeout:?} timeout"
    );
    eprintln!("{count} half-sent requests: normal request answered in {latency:?}, all closed {all_closed:?} after the last was opened");

    // And the server still answers afterwards.
    let response = normal_request(addr).await;
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
}

#[tokio::test]
async fn a_half_sent_request_is_closed_within_the_header_timeout() {
    let header_timeout = Duration::from_millis(500);
    let addr = start(ServeOptions::new().header_read_timeout(header_timeout)).await;
    let stream = half_open(addr).await;
    let closed = closed_within(stream, header_timeout + Duration::from_millis(1500))
        .await
        .expect("closed by the server");
    assert!(
        closed >= header_timeout - Duration::from_millis(50),
        "closed after {closed:?}"
    );
}

#[tokio::test]
async fn the_default_serve_answers_requests() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(customer_identification_processes_server::serve(
        listener,
        router(Empty),
    ));
    let response = normal_request(addr).await;
    assert!(response.starts_with("HTTP/1.1 200 OK\r\n"), "{response}");
}
