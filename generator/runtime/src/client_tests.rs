//! Unit tests of the client's fixed helpers, without a server.

use std::time::Duration;

use super::*;

fn client() -> Client {
    Client::new("https://api.example.com/v1/").unwrap()
}

fn request(segments: &[&str]) -> reqwest::Request {
    new_request(&client(), reqwest::Method::GET, segments).unwrap()
}

fn message(error: Error) -> String {
    match error {
        Error::InvalidBaseUrl(message) | Error::InvalidRequest(message) => message,
        other => panic!("{other:?}"),
    }
}

#[test]
fn base_urls_must_be_absolute_http_urls_that_take_a_path() {
    assert!(parse_base_url("http://localhost:8080").is_ok());
    for (url, expected) in [
        ("/relative", "not an absolute URL"),
        ("ftp://host/", "the scheme is `ftp`"),
        ("mailto:someone@example.com", "the scheme is `mailto`"),
    ] {
        let message = message(parse_base_url(url).unwrap_err());
        assert!(message.starts_with(expected), "{url}: {message}");
    }
}

#[test]
fn segments_are_encoded_one_by_one_and_dots_refused() {
    let request = request(&["pets", "a/b c", ""]);
    assert_eq!(
        request.url().as_str(),
        "https://api.example.com/v1/pets/a%2Fb%20c/"
    );
    for segment in [".", ".."] {
        let error = new_request(&client(), reqwest::Method::GET, &["pets", segment]);
        assert_eq!(
            message(error.unwrap_err()),
            format!("a path segment cannot be `{segment}`")
        );
    }
}

#[test]
fn parameters_are_strings_per_item_and_nothing_for_none() {
    assert_eq!(
        param_strings("p", &None::<u8>).unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(param_strings("p", "a b").unwrap(), ["a b"]);
    assert_eq!(param_strings("p", &[1.5, 2.0]).unwrap(), ["1.5", "2.0"]);
    assert_eq!(param_strings("p", &true).unwrap(), ["true"]);
    assert_eq!(path_param("id", &["a", "b"]).unwrap(), "a,b");
    assert_eq!(
        message(path_param("id", "").unwrap_err()),
        "path parameter `id` is empty"
    );
    assert_eq!(json_param("p", &None::<u8>).unwrap(), None);
    assert_eq!(json_param("p", "x").unwrap().as_deref(), Some("\"x\""));
}

#[test]
fn text_parameters_are_written_as_the_generic_writers_write_them() {
    // The generated code writes strings, enums, integers, booleans and
    // UUIDs with these, and `Display` for the last three: the same text as
    // through `serde_json`.
    assert_eq!(param_strings("p", &-12i64).unwrap(), [(-12i64).to_string()]);
    assert_eq!(
        param_strings("p", &u64::MAX).unwrap(),
        [u64::MAX.to_string()]
    );
    assert_eq!(param_strings("p", &false).unwrap(), [false.to_string()]);
    assert_eq!(
        path_text("id", "a b").unwrap(),
        path_param("id", "a b").unwrap()
    );
    assert_eq!(
        message(path_text("id", "").unwrap_err()),
        message(path_param("id", "").unwrap_err())
    );
    let mut typed = request(&["items"]);
    query_text(&mut typed, "q", Some("a&b c"));
    query_text(&mut typed, "unset", None);
    header_text(&mut typed, "X-Tag", Some("v 1")).unwrap();
    header_text(&mut typed, "X-Unset", None).unwrap();
    let mut generic = request(&["items"]);
    query(&mut generic, "q", "a&b c", None).unwrap();
    query(&mut generic, "unset", &None::<String>, None).unwrap();
    header(&mut generic, "X-Tag", "v 1").unwrap();
    header(&mut generic, "X-Unset", &None::<String>).unwrap();
    assert_eq!(typed.url(), generic.url());
    assert_eq!(typed.headers(), generic.headers());
    assert!(header_text(&mut typed, "X-Tag", Some("a\nb")).is_err());
}

#[test]
fn display_texts_are_what_display_writes() {
    let uuid: uuid::Uuid = "67e55044-10b1-426f-9247-bb680e5fe0c8".parse().unwrap();
    assert_eq!(&*DisplayText::of(&uuid), uuid.to_string());
    assert_eq!(&*DisplayText::of(&i128::MIN), i128::MIN.to_string());
    assert_eq!(&*DisplayText::of(&u64::MAX), u64::MAX.to_string());
    assert_eq!(&*DisplayText::of(&-7i32), "-7");
    assert_eq!(&*DisplayText::of(&true), "true");
    assert!(matches!(DisplayText::of(&uuid), DisplayText::Short(_)));
    // Longer than the buffer: still the whole text.
    let long = "x".repeat(41);
    assert!(matches!(DisplayText::of(&long), DisplayText::Long(_)));
    assert_eq!(&*DisplayText::of(&long), long);
    assert_eq!(&*DisplayText::of(&"y".repeat(40)), "y".repeat(40));
}

#[test]
fn query_arrays_repeat_the_key_or_join_with_the_delimiter() {
    let mut request = request(&["pets"]);
    query(&mut request, "tag", &["a", "b"], None).unwrap();
    query(&mut request, "ids", &[1, 2], Some('|')).unwrap();
    query(&mut request, "absent", &None::<String>, None).unwrap();
    assert_eq!(request.url().query(), Some("tag=a&tag=b&ids=1%7C2"));
}

#[test]
fn deep_objects_and_forms_write_bracketed_keys() {
    let mut request = request(&["pets"]);
    let filter = serde_json::json!({"color": "red", "size": {"min": 1}, "tags": ["x", "y"]});
    deep_object(&mut request, "filter", &filter).unwrap();
    assert_eq!(
        request.url().query(),
        Some(
            "filter%5Bcolor%5D=red&filter%5Bsize%5D%5Bmin%5D=1&\
             filter%5Btags%5D%5B0%5D=x&filter%5Btags%5D%5B1%5D=y"
        )
    );
    let mut pairs = Vec::new();
    form_pairs(
        "k".to_owned(),
        &serde_json::json!([1, [2], null]),
        false,
        &mut pairs,
    );
    assert_eq!(
        pairs,
        [
            ("k".to_owned(), "1".to_owned()),
            ("k[1][0]".to_owned(), "2".to_owned())
        ]
    );
}

#[test]
fn form_bodies_are_objects() {
    let http = reqwest::Client::new();
    // Keys in sorted order: serde_json keeps insertion order where a crate
    // of the build enables its `preserve_order` feature, and sorts otherwise.
    let body = serde_json::json!({"ids": [1, 2], "name": "Rex", "tags": ["a", "b"]});
    let form = form_body(&http, request(&["pets"]), &body, &["ids"]).unwrap();
    let sent = form.body().and_then(reqwest::Body::as_bytes).unwrap();
    assert_eq!(sent, b"ids%5B0%5D=1&ids%5B1%5D=2&name=Rex&tags=a&tags=b");
    let error = form_body(&http, request(&["pets"]), &[1], &[]).unwrap_err();
    assert_eq!(message(error), "a form body must be an object");
}

#[test]
fn headers_and_cookies_hide_sensitive_values_and_never_show_values_in_errors() {
    let mut request = request(&["pets"]);
    header(&mut request, "X-Ids", &[1, 2]).unwrap();
    set_header(&mut request, "X-Key", "secret", true).unwrap();
    cookie(&mut request, "theme", "dark").unwrap();
    add_cookie(&mut request, "session", "secret", true).unwrap();
    let headers = request.headers();
    assert_eq!(headers["x-ids"], "1,2");
    assert!(headers["x-key"].is_sensitive());
    assert_eq!(headers["cookie"], "theme=dark; session=secret");
    assert!(headers["cookie"].is_sensitive());
    let error = set_header(&mut request, "X-Key", "line\nbreak", false).unwrap_err();
    assert!(!message(error).contains("break"));
    let error = set_header(&mut request, "bad name", "v", false).unwrap_err();
    assert_eq!(message(error), "`bad name` is not a valid header name");
}

#[test]
fn json_and_raw_bodies_carry_their_media_type() {
    let mut request = request(&["pets"]);
    json_body(&mut request, "application/merge-patch+json", &[1, 2]).unwrap();
    assert_eq!(
        request.headers()["content-type"],
        "application/merge-patch+json"
    );
    assert_eq!(
        request.body().and_then(reqwest::Body::as_bytes),
        Some(&b"[1,2]"[..])
    );
    raw_body(&mut request, "text/plain", "hi".into());
    assert_eq!(request.headers()["content-type"], "text/plain");
    assert_eq!(
        request.body().and_then(reqwest::Body::as_bytes),
        Some(&b"hi"[..])
    );
}

#[test]
fn multipart_parts_refuse_invalid_media_types() {
    let form = reqwest::multipart::Form::new();
    let file = types::operations::File {
        file_name: Some("a.txt".to_owned()),
        content_type: Some("text/plain".to_owned()),
        bytes: b"a".to_vec(),
    };
    let form = file_part(form, "file", file).unwrap();
    let form = value_parts(form, "tags", &["a", "b"]).unwrap();
    let form = value_parts(form, "none", &None::<u8>).unwrap();
    assert!(multipart_body(&reqwest::Client::new(), request(&["pets"]), form).is_ok());
    let bad = types::operations::File {
        content_type: Some("not a media type".to_owned()),
        ..types::operations::File::default()
    };
    let error = file_part(reqwest::multipart::Form::new(), "file", bad).unwrap_err();
    assert_eq!(message(error), "the media type of file `file` is not valid");
}

#[test]
fn undecodable_bodies_keep_the_status_and_the_raw_body() {
    assert_eq!(
        decode::<Vec<u8>>(200, Bytes::from_static(b"[1]")).unwrap(),
        [1]
    );
    match decode::<Vec<u8>>(201, Bytes::from_static(b"{")) {
        Err(Error::Decode {
            status: 201, body, ..
        }) => assert_eq!(body, b"{"),
        other => panic!("{other:?}"),
    }
    assert_eq!(decode_text(200, Bytes::from_static(b"hi")).unwrap(), "hi");
    match decode_text(200, Bytes::from_static(&[0xff])) {
        Err(Error::Decode { body, .. }) => assert_eq!(body, [0xff]),
        other => panic!("{other:?}"),
    }
}

#[test]
fn response_headers_parse_as_strings_then_as_json_literals() {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-rate", "12".parse().unwrap());
    headers.insert("x-name", "12".parse().unwrap());
    headers.append("x-ids", "1, 2".parse().unwrap());
    headers.append("x-ids", "3".parse().unwrap());
    let rate: Option<u32> = read_header(&headers, "x-rate", 200, b"").unwrap();
    assert_eq!(rate, Some(12));
    let name: String = read_required_header(&headers, "x-name", 200, b"").unwrap();
    assert_eq!(name, "12");
    let ids: Vec<u8> = read_required_header_list(&headers, "x-ids", 200, b"").unwrap();
    assert_eq!(ids, [1, 2, 3]);
    let absent: Option<Vec<u8>> = read_header_list(&headers, "x-none", 200, b"").unwrap();
    assert_eq!(absent, None);
    match read_required_header::<u8>(&headers, "x-none", 404, b"body") {
        Err(Error::InvalidHeader {
            status: 404,
            name,
            body,
            message,
        }) => {
            assert_eq!((name.as_str(), body.as_slice()), ("x-none", &b"body"[..]));
            assert_eq!(message, "the header is missing");
        }
        other => panic!("{other:?}"),
    }
    assert!(read_header::<bool>(&headers, "x-rate", 200, b"").is_err());
}

#[test]
fn the_body_buffer_grows_by_doubling_but_never_past_the_limit() {
    let limit = 10_000;
    let mut content = Vec::new();
    let mut grew = 0;
    while content.len() + 7 <= limit {
        let capacity = content.capacity();
        reserve_within(&mut content, 7, limit);
        content.extend_from_slice(&[0; 7]);
        assert!(content.capacity() <= limit, "{}", content.capacity());
        if content.capacity() != capacity {
            grew += 1;
        }
    }
    assert!(grew < 20, "{grew} allocations");
    let rest = limit - content.len();
    reserve_within(&mut content, rest, limit);
    assert_eq!(content.capacity(), limit);
}

#[test]
fn options_set_each_timeout() {
    let options = ClientOptions::default()
        .connect_timeout(Duration::from_secs(1))
        .read_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(3));
    assert_eq!(options.connect_timeout, Duration::from_secs(1));
    assert_eq!(options.read_timeout, Duration::from_secs(2));
    assert_eq!(options.timeout, Some(Duration::from_secs(3)));
    assert_eq!(
        ClientOptions::default().read_timeout,
        ClientOptions::DEFAULT_READ_TIMEOUT
    );
    assert!(Client::with_options("http://localhost/", &options).is_ok());
    assert!(Client::with_http_client("http://localhost/", reqwest::Client::new()).is_ok());
}

#[tokio::test]
async fn transport_errors_lose_the_query() {
    // Nothing listens on port 9 of the loopback in a test run; a refused
    // connection fails fast.
    let url = "http://127.0.0.1:9/x?api_key=secret";
    let error = reqwest::Client::new().get(url).send().await.unwrap_err();
    match transport(error) {
        Error::Transport(error) => assert_eq!(
            error.url().map(reqwest::Url::as_str),
            Some("http://127.0.0.1:9/x")
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn error_messages_show_a_bounded_preview_of_the_body() {
    let long = Error::UnexpectedStatus {
        status: 500,
        body: "é".repeat(600).into_bytes(),
    };
    let shown = long.to_string();
    assert!(
        shown.starts_with("unexpected response status 500: \""),
        "{shown}"
    );
    assert!(shown.ends_with("\"... (1200 bytes)"), "{shown}");
    assert_eq!(shown.matches('é').count(), 512);
    let debug = format!("{long:?}");
    assert!(debug.contains("... (1200 bytes)") && debug.matches('é').count() == 512);
    let empty = Error::Decode {
        status: 200,
        body: Vec::new(),
        source: serde_json::from_slice::<u8>(b"").unwrap_err(),
    };
    assert_eq!(
        empty.to_string(),
        "cannot decode the body of a response with status 200 (empty body)"
    );
    assert_eq!(empty.status(), Some(200));
    assert!(std::error::Error::source(&empty).is_some());
    let header = read_required_header::<u8>(&reqwest::header::HeaderMap::new(), "x-n", 404, b"ok");
    assert_eq!(
        header.unwrap_err().to_string(),
        "invalid header `x-n` in a response with status 404: the header is missing"
    );
    assert_eq!(Error::InvalidRequest("m".to_owned()).status(), None);
}

#[test]
fn retry_after_reads_seconds_and_http_dates() {
    use std::time::{Duration, UNIX_EPOCH};
    let headers = |value: &str| {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("retry-after", value.parse().unwrap());
        headers
    };
    let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
    assert_eq!(
        retry_after(&headers("1"), now),
        Some(Duration::from_secs(1))
    );
    assert_eq!(
        retry_after(&headers(" 120 "), now),
        Some(Duration::from_secs(120))
    );
    assert_eq!(
        retry_after(&headers("Sun, 06 Nov 1994 08:50:07 GMT"), now),
        Some(Duration::from_secs(30))
    );
    // A date in the past: no wait.
    assert_eq!(
        retry_after(&headers("Sat, 05 Nov 1994 08:49:37 GMT"), now),
        Some(Duration::ZERO)
    );
    assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(UNIX_EPOCH));
    assert_eq!(
        http_date("Tue, 29 Feb 2028 23:59:60 GMT"),
        Some(UNIX_EPOCH + Duration::from_secs(1_835_481_600))
    );
    for bad in [
        "-1",
        "1.5",
        "soon",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT",
    ] {
        assert_eq!(retry_after(&headers(bad), now), None, "{bad}");
    }
    assert_eq!(retry_after(&reqwest::header::HeaderMap::new(), now), None);
}

#[test]
fn backoff_doubles_within_half_and_all_and_stops_at_the_maximum() {
    let policy = RetryPolicy::default()
        .initial_backoff(Duration::from_millis(100))
        .max_backoff(Duration::from_millis(300));
    for _ in 0..50 {
        let first = policy.backoff(1);
        assert!(
            first >= Duration::from_millis(50) && first <= Duration::from_millis(100),
            "{first:?}"
        );
        let second = policy.backoff(2);
        assert!(
            second >= Duration::from_millis(100) && second <= Duration::from_millis(200),
            "{second:?}"
        );
        let capped = policy.backoff(30);
        assert!(
            capped >= Duration::from_millis(150) && capped <= Duration::from_millis(300),
            "{capped:?}"
        );
    }
    assert_eq!(RetryPolicy::none().max_attempts, 1);
    let options = ClientOptions::default().retry(RetryPolicy::none());
    let client = Client::with_options("http://localhost/", &options).unwrap();
    assert_eq!(client.hooks.retry, RetryPolicy::none());
}

#[test]
fn only_idempotent_methods_are_retried_by_default() {
    for method in ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"] {
        assert!(is_idempotent(&method.parse().unwrap()), "{method}");
    }
    for method in ["POST", "PATCH", "CONNECT"] {
        assert!(!is_idempotent(&method.parse().unwrap()), "{method}");
    }
}

#[test]
fn retry_copies_keep_everything_sent_and_refuse_streams() {
    let mut original = request(&["items"]);
    original
        .headers_mut()
        .insert("x-trace", reqwest::header::HeaderValue::from_static("t-1"));
    *original.version_mut() = reqwest::Version::HTTP_11;
    let copy = retry_copy(&original).unwrap();
    assert_eq!(copy.method(), original.method());
    assert_eq!(copy.url(), original.url());
    assert_eq!(copy.headers(), original.headers());
    assert_eq!(copy.version(), original.version());
    assert_eq!(copy.timeout(), None);
    assert!(copy.body().is_none());

    *original.timeout_mut() = Some(Duration::from_secs(3));
    *original.body_mut() = Some(reqwest::Body::from("{}"));
    let copy = retry_copy(&original).unwrap();
    assert_eq!(copy.timeout(), Some(&Duration::from_secs(3)));
    assert_eq!(
        copy.body().and_then(reqwest::Body::as_bytes),
        Some(&b"{}"[..])
    );

    let stream = http_body_util::Full::new(&b"{}"[..]);
    *original.body_mut() = Some(reqwest::Body::wrap(stream));
    assert!(retry_copy(&original).is_none());
}

#[tokio::test]
async fn transport_errors_name_their_cause() {
    // A port nothing listens on: the connection is refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::new(&format!("http://{addr}/"))
        .unwrap()
        .with_retry(RetryPolicy::none());
    let error = call(&client, reqwest::Method::GET).await.unwrap_err();
    let message = error.to_string();
    assert!(message.starts_with("HTTP request failed: "), "{message}");
    assert!(
        message.to_lowercase().contains("connection refused"),
        "{message}"
    );
    assert!(!message.contains("?secret"), "{message}");
}

/// A call of `GET /items?secret=1` (or another method) that reads the
/// status and the body as text.
fn call(client: &Client, method: reqwest::Method) -> Call<'_, (u16, String)> {
    Call::new(
        client,
        "listItems",
        "/items",
        || {
            let mut request = new_request(client, method, &["items"])?;
            query(&mut request, "secret", "1", None)?;
            Ok(request)
        },
        |status, headers, content| {
            let echoed = headers
                .get("x-echo")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            Ok((
                status,
                format!("{echoed}|{}", String::from_utf8_lossy(&content)),
            ))
        },
    )
}

/// A router answering `/items` with what the request carried: its
/// `x-tenant` and `prefer` headers and a `String` extension, echoed in
/// `x-echo`; 503 with `Retry-After: 0` while `failures` lasts.
fn echo_router(failures: std::sync::Arc<std::sync::atomic::AtomicU32>) -> axum::Router {
    use axum::http::{HeaderMap, StatusCode};
    use std::sync::atomic::Ordering;
    let handler = move |headers: HeaderMap, request: axum::extract::Request| {
        let failures = failures.clone();
        async move {
            let echo = format!(
                "{},{},{}",
                headers
                    .get("x-tenant")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-"),
                headers
                    .get("prefer")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-"),
                request
                    .extensions()
                    .get::<String>()
                    .map_or("-", String::as_str),
            );
            let left = failures.load(Ordering::SeqCst);
            if left > 0 {
                failures.store(left - 1, Ordering::SeqCst);
                return (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [("retry-after", "0".to_owned())],
                    String::new(),
                );
            }
            (StatusCode::OK, [("x-echo", echo)], "listed".to_owned())
        }
    };
    axum::Router::new().route("/items", axum::routing::any(handler))
}

/// Puts the tenant header on every request.
struct Tenant;

impl Middleware for Tenant {
    fn handle<'a>(
        &'a self,
        mut request: reqwest::Request,
        extensions: &'a mut http::Extensions,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<reqwest::Response, Error>> {
        Box::pin(async move {
            request.headers_mut().insert(
                "x-tenant",
                reqwest::header::HeaderValue::from_static("acme"),
            );
            next.run(request, extensions).await
        })
    }
}

#[tokio::test]
async fn calls_run_in_process_with_middleware_per_call_options_and_retries() {
    use std::sync::atomic::{AtomicU32, Ordering};
    let failures = Arc::new(AtomicU32::new(0));
    let client = Client::with_service("http://api.test/", echo_router(failures.clone()))
        .unwrap()
        .with_middleware(Tenant);
    let (status, echoed) = call(&client, reqwest::Method::GET)
        .header("prefer", "respond-async")
        .extension("from the caller".to_owned())
        .await
        .unwrap();
    assert_eq!(
        (status, echoed.as_str()),
        (200, "acme,respond-async,from the caller|listed")
    );

    // Two 503s then 200: a GET is retried, a POST is not unless asked.
    failures.store(2, Ordering::SeqCst);
    let (status, _) = call(&client, reqwest::Method::GET).await.unwrap();
    assert_eq!((status, failures.load(Ordering::SeqCst)), (200, 0));
    failures.store(1, Ordering::SeqCst);
    let (status, _) = call(&client, reqwest::Method::POST).await.unwrap();
    assert_eq!((status, failures.load(Ordering::SeqCst)), (503, 0));
    failures.store(1, Ordering::SeqCst);
    let (status, _) = call(&client, reqwest::Method::POST)
        .retry(true)
        .await
        .unwrap();
    assert_eq!(status, 200);
    failures.store(1, Ordering::SeqCst);
    let (status, _) = call(&client, reqwest::Method::GET)
        .retry(false)
        .await
        .unwrap();
    assert_eq!(status, 503);

    // More failures than attempts: the last response is the call's.
    failures.store(5, Ordering::SeqCst);
    let (status, _) = call(&client, reqwest::Method::GET).await.unwrap();
    assert_eq!((status, failures.load(Ordering::SeqCst)), (503, 2));

    let error = call(&client, reqwest::Method::GET)
        .header("prefer", "line\nbreak")
        .await
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid request: the value of per-call header `prefer` has characters a header cannot carry"
    );
}
