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
    assert_eq!(decode::<Vec<u8>>(200, b"[1]".to_vec()).unwrap(), [1]);
    match decode::<Vec<u8>>(201, b"{".to_vec()) {
        Err(Error::Decode {
            status: 201, body, ..
        }) => assert_eq!(body, b"{"),
        other => panic!("{other:?}"),
    }
    assert_eq!(decode_text(200, b"hi".to_vec()).unwrap(), "hi");
    match decode_text(200, vec![0xff]) {
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
