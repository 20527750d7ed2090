//! Round trips over real HTTP for the constructs of
//! `tests/fixtures/operations.yaml`: the generated server, with a test
//! implementation, on 127.0.0.1:0, called through the generated client (and
//! through plain reqwest where the wire format itself is under test).

use std::net::SocketAddr;

use futures_util::StreamExt;
use operations_client::{Client, Error};
use operations_server::types::operations::{
    archive_notes, cancel_job, create_note, delete_note, describe_image, describe_image_in_stream,
    find_notes, find_notes_by_tag, get_blob, get_job, get_note, list_actions, list_actions_again,
    note_links, pending_actions, put_blob, restore_notes, run_job, search_notes, submit_form,
    update_note, upload_files, File,
};
use operations_server::types::{
    Address, ArchiveNotesXAction, BasicCredentials, Credentials, DescribeImageRequest,
    Error as ApiError, FileSummary, Metadata, Note, NoteFilter, RestoreNotesXAction, Signup,
    SignupRole, UploadSummary,
};
use operations_server::{router, Api, Rejection, Request};

/// Echoes what it reads, so the tests see the server's view of a request.
struct Echo;

fn summary(file: &File) -> FileSummary {
    let mut summary = FileSummary::new(file.bytes.len() as i64);
    summary.file_name = file.file_name.clone();
    summary.content_type = file.content_type.clone();
    summary
}

/// Reads a streamed body chunk by chunk: its bytes and how many chunks came.
async fn read_stream(body: axum::body::Body) -> (Vec<u8>, usize) {
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    let mut chunks = 0;
    while let Some(chunk) = stream.next().await {
        bytes.extend_from_slice(&chunk.expect("chunk read"));
        chunks += 1;
    }
    (bytes, chunks)
}

const REQUEST_ID: &str = "0b5e7a4c-4d1b-4b8e-9a37-2a0f4c8a3e11";

impl Api for Echo {
    async fn submit_form(
        &self,
        request: Request<submit_form::Parameters, Signup>,
    ) -> submit_form::Response {
        submit_form::Response::Ok(request.body)
    }

    async fn upload_files(
        &self,
        request: Request<upload_files::Parameters, upload_files::Multipart>,
    ) -> upload_files::Response {
        let body = request.body;
        let mut uploaded = UploadSummary::new(
            summary(&body.document),
            body.attachments.iter().map(summary).collect(),
            body.title,
        );
        uploaded.thumbnail = body.thumbnail.as_ref().map(summary);
        uploaded.pages = body.pages;
        uploaded.labels = body.labels;
        uploaded.metadata = body.metadata;
        upload_files::Response::Created(uploaded)
    }

    async fn get_blob(&self, request: Request<get_blob::Parameters>) -> get_blob::Response {
        let p = request.parameters;
        if p.name == "missing" {
            return get_blob::Response::NotFound;
        }
        get_blob::Response::Ok {
            body: format!("{}|{}", p.name, p.ext).into_bytes(),
            headers: get_blob::OkHeaders::new("\"v1\"".to_owned()).with_x_blob_name(p.name),
        }
    }

    async fn put_blob(
        &self,
        request: Request<put_blob::Parameters, axum::body::Body>,
    ) -> put_blob::Response {
        let p = request.parameters;
        let (bytes, chunks) = read_stream(request.body).await;
        let checksum = bytes.iter().map(|b| i64::from(*b)).sum();
        put_blob::Response::Ok {
            body: format!("{}.{}: {} bytes", p.name, p.ext, bytes.len()),
            headers: put_blob::OkHeaders::new(checksum).with_x_chunks(vec![chunks as i32]),
        }
    }

    async fn search_notes(
        &self,
        request: Request<search_notes::Parameters>,
    ) -> search_notes::Response {
        let p = request.parameters;
        if p.tags.as_deref() == Some(&["csv".to_owned()]) {
            return search_notes::Response::Ok("id,text\n1,hello\n".to_owned());
        }
        search_notes::Response::PartialContent(serde_json::json!({
            "filter": p.filter,
            "where": p.r#where,
            "tags": p.tags,
            "ids": p.ids,
            "x_trace": p.x_trace,
            "session": p.session,
        }))
    }

    async fn create_note(
        &self,
        request: Request<create_note::Parameters, Option<create_note::Body<axum::body::Body>>>,
    ) -> create_note::Response {
        let note = match request.body {
            None => return create_note::Response::NoContent,
            Some(create_note::Body::Json(note)) => note,
            Some(create_note::Body::Form(mut note)) => {
                note.text = format!("form: {}", note.text);
                note
            }
            Some(create_note::Body::Text(text)) => Note::new(format!("text: {text}")),
            Some(create_note::Body::OctetStream(body)) => {
                let (bytes, _) = read_stream(body).await;
                Note::new(format!("bytes: {}", String::from_utf8_lossy(&bytes)))
            }
        };
        if note.text.ends_with("conflict") {
            return create_note::Response::Default {
                status: 409,
                body: ApiError::new("already there".to_owned()),
                headers: create_note::DefaultHeaders::new()
                    .with_x_request_id(REQUEST_ID.parse().expect("uuid")),
            };
        }
        create_note::Response::Created(note)
    }

    async fn get_note(&self, request: Request<get_note::Parameters>) -> get_note::Response {
        let p = request.parameters;
        if p.id == 503 {
            return get_note::Response::ServerError {
                status: 503,
                body: "down for maintenance".to_owned(),
            };
        }
        let who = if let Some(basic) = &request.credentials.basic_auth {
            format!("basic {}", basic.username)
        } else if let Some(token) = &request.credentials.bearer_auth {
            format!("bearer {token}")
        } else if let Some(key) = &request.credentials.cookie_key {
            format!("cookie {key}")
        } else {
            "nobody".to_owned()
        };
        get_note::Response::Ok(Note::new(format!("{} {} {who}", p.id, p.x_trace)))
    }

    async fn delete_note(
        &self,
        _request: Request<delete_note::Parameters>,
    ) -> delete_note::Response {
        delete_note::Response::NoContent
    }

    async fn find_notes(&self, request: Request<find_notes::Parameters>) -> find_notes::Response {
        let q = request.parameters.q;
        find_notes::Response::Ok(vec![Note::new(format!("find_notes q={q:?}"))])
    }

    async fn find_notes_by_tag(
        &self,
        request: Request<find_notes_by_tag::Parameters>,
    ) -> find_notes_by_tag::Response {
        let tag = request.parameters.tag;
        find_notes_by_tag::Response::Ok(vec![Note::new(format!("find_notes_by_tag {tag}"))])
    }

    async fn archive_notes(
        &self,
        request: Request<archive_notes::Parameters, Vec<i64>>,
    ) -> archive_notes::Response {
        let action = request.parameters.x_action;
        archive_notes::Response::Ok(format!("archive {:?} {}", request.body, action.as_str()))
    }

    async fn restore_notes(
        &self,
        request: Request<restore_notes::Parameters, Vec<i64>>,
    ) -> restore_notes::Response {
        let action = request.parameters.x_action;
        restore_notes::Response::Ok(format!("restore {:?} {}", request.body, action.as_str()))
    }

    async fn list_actions(
        &self,
        _request: Request<list_actions::Parameters>,
    ) -> list_actions::Response {
        list_actions::Response::Ok("list".to_owned())
    }

    async fn pending_actions(
        &self,
        request: Request<pending_actions::Parameters>,
    ) -> pending_actions::Response {
        pending_actions::Response::Ok(format!("pending {}", request.parameters.pending))
    }

    async fn list_actions_again(
        &self,
        _request: Request<list_actions_again::Parameters>,
    ) -> list_actions_again::Response {
        // The router does not serve this operation: a test sees this text
        // only if that changes.
        list_actions_again::Response::Ok("list again".to_owned())
    }

    async fn describe_image(
        &self,
        request: Request<describe_image::Parameters, DescribeImageRequest>,
    ) -> describe_image::Response {
        describe_image::Response::Ok(format!("image at {}", request.body.url))
    }

    async fn describe_image_in_stream(
        &self,
        request: Request<describe_image_in_stream::Parameters, axum::body::Body>,
    ) -> describe_image_in_stream::Response {
        let (bytes, _) = read_stream(request.body).await;
        describe_image_in_stream::Response::Ok(format!("image of {} bytes", bytes.len()))
    }

    async fn update_note(
        &self,
        request: Request<update_note::Parameters, Note>,
    ) -> update_note::Response {
        let text = format!(
            "{} as note {}",
            request.body.text, request.parameters.note_id
        );
        update_note::Response::Ok(Note::new(text))
    }

    async fn get_job(&self, request: Request<get_job::Parameters>) -> get_job::Response {
        get_job::Response::Ok(format!("get {}", request.parameters.job))
    }

    async fn cancel_job(&self, request: Request<cancel_job::Parameters>) -> cancel_job::Response {
        cancel_job::Response::Ok(format!("cancel {}", request.parameters.job))
    }

    async fn run_job(&self, request: Request<run_job::Parameters>) -> run_job::Response {
        run_job::Response::Ok(format!("run {}", request.parameters.name))
    }

    async fn note_links(&self, request: Request<note_links::Parameters>) -> note_links::Response {
        let p = request.parameters;
        note_links::Response::Ok(serde_json::json!({"id": p.id, "max": p.max, "to": p.to}))
    }

    fn rejection_error(&self, rejection: &Rejection) -> ApiError {
        ApiError::new(format!("{}: {}", rejection.status(), rejection.message))
    }
}

async fn serve_router(app: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        axum::serve(listener, app).await.expect("server runs");
    });
    addr
}

async fn serve() -> SocketAddr {
    serve_router(router(Echo)).await
}

/// A response's JSON body.
async fn json<T: serde::de::DeserializeOwned>(response: reqwest::Response) -> T {
    let bytes = response.bytes().await.expect("body read");
    serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)))
}

fn header_key() -> Credentials {
    Credentials {
        api_key_header: Some("secret".to_owned()),
        ..Credentials::default()
    }
}

async fn client() -> (SocketAddr, Client) {
    let addr = serve().await;
    let client = Client::new(&format!("http://{addr}"))
        .expect("valid base url")
        .with_credentials(header_key());
    (addr, client)
}

/// A request with the header API key, for raw wire tests.
fn raw(addr: SocketAddr, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
    reqwest::Client::new()
        .request(method, format!("http://{addr}{path}"))
        .header("x-api-key", "secret")
}

fn signup() -> Signup {
    Signup::new("ada@example.com".to_owned(), 36)
        .with_newsletter(true)
        .with_interests(vec!["maths".to_owned(), "engines & looms".to_owned()])
        .with_address(
            Address::new("London".to_owned())
                .with_lines(vec!["12 St James's Square".to_owned(), "Flat 1".to_owned()]),
        )
        .with_role(SignupRole::Member)
}

// ---- form bodies ------------------------------------------------------------

#[tokio::test]
async fn form_bodies_round_trip_with_nested_objects_and_arrays() {
    let (_, client) = client().await;
    let got = client
        .submit_form(&submit_form::Parameters::new(), &signup())
        .await
        .expect("form sent");
    assert_eq!(got, submit_form::Response::Ok(signup()));
}

#[tokio::test]
async fn form_bodies_in_the_usual_encodings_are_read() {
    let (addr, _) = client().await;
    let response = raw(addr, reqwest::Method::POST, "/forms")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=a%40b.c&age=7&interests[]=x&interests[]=y&address[city]=Paris&address[lines][0]=rue&role=admin&newsletter=false")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let echoed: Signup = json(response).await;
    assert_eq!(echoed.email, "a@b.c");
    assert_eq!(echoed.age, 7);
    assert_eq!(echoed.newsletter, Some(false));
    assert_eq!(echoed.interests, Some(vec!["x".to_owned(), "y".to_owned()]));
    let address = echoed.address.expect("address");
    assert_eq!(address.city, "Paris");
    assert_eq!(address.lines, Some(vec!["rue".to_owned()]));
    assert_eq!(echoed.role, Some(SignupRole::Admin));
}

#[tokio::test]
async fn a_form_of_the_wrong_shape_or_media_type_gets_the_declared_400() {
    let (addr, _) = client().await;
    let response = raw(addr, reqwest::Method::POST, "/forms")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=a&age=old")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
    let error: ApiError = json(response).await;
    assert!(
        error.message.contains("age") || error.message.contains("old"),
        "{error:?}"
    );

    // `submitForm` declares no 415: an unsupported media type is a 400.
    let response = raw(addr, reqwest::Method::POST, "/forms")
        .header("content-type", "application/json")
        .body(r#"{"email":"a","age":1}"#)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
    let error: ApiError = json(response).await;
    assert!(error.message.contains("x-www-form-urlencoded"), "{error:?}");
}

// ---- multipart bodies -------------------------------------------------------

fn file(name: &str, content_type: &str, bytes: &[u8]) -> File {
    File {
        file_name: Some(name.to_owned()),
        content_type: Some(content_type.to_owned()),
        bytes: bytes.to_vec(),
    }
}

#[tokio::test]
async fn multipart_bodies_carry_files_with_names_and_media_types() {
    let (_, client) = client().await;
    let body = upload_files::Multipart::new(
        file("report.pdf", "application/pdf", b"%PDF-1.7 ..."),
        "Quarterly report".to_owned(),
    )
    .with_attachments(vec![
        file("a.png", "image/png", &[0x89, b'P', b'N', b'G', 0, 1, 2]),
        File {
            file_name: None,
            content_type: None,
            bytes: vec![1, 2, 3],
        },
    ])
    .with_pages(12)
    .with_labels(vec!["finance".to_owned(), "q3".to_owned()])
    .with_metadata(
        Metadata::new()
            .with_author("Ada".to_owned())
            .with_draft(false),
    );
    let got = client
        .upload_files(&upload_files::Parameters::new(), body)
        .await
        .expect("multipart sent");
    let upload_files::Response::Created(summary) = got else {
        panic!("expected 201, got {got:?}");
    };
    assert_eq!(
        summary.document,
        FileSummary::new(12)
            .with_file_name("report.pdf".to_owned())
            .with_content_type("application/pdf".to_owned())
    );
    assert_eq!(summary.attachments.len(), 2);
    assert_eq!(summary.attachments[0].file_name.as_deref(), Some("a.png"));
    assert_eq!(
        summary.attachments[0].content_type.as_deref(),
        Some("image/png")
    );
    assert_eq!(summary.attachments[1].size, 3);
    assert_eq!(summary.thumbnail, None);
    assert_eq!(summary.title, "Quarterly report");
    assert_eq!(summary.pages, Some(12));
    assert_eq!(
        summary.labels,
        Some(vec!["finance".to_owned(), "q3".to_owned()])
    );
    assert_eq!(
        summary.metadata.and_then(|m| m.author).as_deref(),
        Some("Ada")
    );
}

#[tokio::test]
async fn multipart_parts_missing_or_in_the_wrong_media_type_are_rejected() {
    let (addr, _) = client().await;
    // No `document`: the declared 4XX body, with status 400.
    let form = reqwest::multipart::Form::new().text("title", "t");
    let response = raw(addr, reqwest::Method::POST, "/files")
        .multipart(form)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
    let error: ApiError = json(response).await;
    assert!(error.message.contains("document"), "{error:?}");

    // JSON instead of multipart: `uploadFiles` declares 4XX, so 415.
    let response = raw(addr, reqwest::Method::POST, "/files")
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 415);
    let error: ApiError = json(response).await;
    assert!(error.message.starts_with("415"), "{error:?}");
}

// ---- binary bodies, text responses, response headers -------------------------

const MIB: usize = 1024 * 1024;

#[tokio::test]
async fn a_multi_megabyte_body_is_streamed_to_the_handler() {
    let (_, client) = client().await;
    // 8 MiB in 64 KiB chunks: four times axum's default body limit, which a
    // buffered body would hit.
    let chunk: Vec<u8> = (0..64 * 1024).map(|i| (i % 251) as u8).collect();
    let chunks = 8 * MIB / chunk.len();
    let expected_checksum: i64 = chunk.iter().map(|b| i64::from(*b)).sum::<i64>() * chunks as i64;
    let stream = futures_util::stream::iter(
        (0..chunks).map(move |_| Ok::<_, std::io::Error>(chunk.clone())),
    );
    let parameters = put_blob::Parameters::new("backup.tar".to_owned(), "gz".to_owned());
    let got = client
        .put_blob(&parameters, reqwest::Body::wrap_stream(stream))
        .await
        .expect("streamed");
    let put_blob::Response::Ok { body, headers } = got else {
        panic!("expected 200, got {got:?}");
    };
    assert_eq!(body, format!("backup.tar.gz: {} bytes", 8 * MIB));
    assert_eq!(headers.x_checksum, expected_checksum);
    let read_chunks = headers.x_chunks.expect("chunk count")[0];
    assert!(
        read_chunks > 1,
        "the handler read the body in {read_chunks} chunk(s)"
    );
}

#[tokio::test]
async fn binary_bodies_in_another_media_type_get_the_declared_415() {
    let (_, client) = client().await;
    let addr = client.base_url().socket_addrs(|| None).expect("addr")[0];
    let response = raw(addr, reqwest::Method::PUT, "/blobs/a.b")
        .header("content-type", "text/plain")
        .body("not bytes")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 415);
    assert_eq!(response.content_length(), Some(0));
}

#[tokio::test]
async fn binary_responses_arrive_as_bytes_with_their_headers() {
    let (addr, client) = client().await;
    let parameters = get_blob::Parameters::new("photo".to_owned(), "jpg".to_owned());
    let got = client.get_blob(&parameters).await.expect("blob");
    assert_eq!(
        got,
        get_blob::Response::Ok {
            body: b"photo|jpg".to_vec(),
            headers: get_blob::OkHeaders::new("\"v1\"".to_owned())
                .with_x_blob_name("photo".to_owned()),
        }
    );
    let response = raw(addr, reqwest::Method::GET, "/blobs/photo.jpg")
        .send()
        .await
        .expect("sent");
    assert_eq!(
        response.headers()["content-type"],
        "application/octet-stream"
    );
    assert_eq!(response.headers()["etag"], "\"v1\"");

    let missing = get_blob::Parameters::new("missing".to_owned(), "x".to_owned());
    assert_eq!(
        client.get_blob(&missing).await.expect("404"),
        get_blob::Response::NotFound
    );
}

#[tokio::test]
async fn a_response_header_of_the_wrong_type_is_an_error_keeping_the_status() {
    // A server that breaks the contract: `X-Checksum` is not an integer.
    let app = axum::Router::new().route(
        "/blobs/{segment}",
        axum::routing::put(|| async {
            (
                [("content-type", "text/plain"), ("x-checksum", "many")],
                "3 bytes",
            )
        }),
    );
    let addr = serve_router(app).await;
    let client = Client::new(&format!("http://{addr}")).expect("base url");
    let parameters = put_blob::Parameters::new("a".to_owned(), "b".to_owned());
    let error = client
        .put_blob(&parameters, b"abc".to_vec())
        .await
        .expect_err("invalid header");
    assert_eq!(error.status(), Some(200));
    let Error::InvalidHeader { name, body, .. } = &error else {
        panic!("expected InvalidHeader, got {error:?}");
    };
    assert_eq!(name, "x-checksum");
    assert_eq!(body, b"3 bytes");
    assert!(error.to_string().contains("x-checksum"), "{error}");
}

// ---- several media types on one operation ------------------------------------

fn note(text: &str) -> Note {
    Note::new(text.to_owned())
        .with_pinned(true)
        .with_signature("c2lnbmVk".to_owned())
}

#[tokio::test]
async fn the_server_picks_the_body_variant_by_content_type() {
    let (_, client) = client().await;
    let created = |text: &str| create_note::Response::Created(note(text));
    assert_eq!(
        client
            .create_note(
                &create_note::Parameters::new(),
                Some(create_note::Body::Json(note("hi")))
            )
            .await
            .expect("json"),
        created("hi")
    );
    assert_eq!(
        client
            .create_note(
                &create_note::Parameters::new(),
                Some(create_note::Body::Form(note("hi")))
            )
            .await
            .expect("form"),
        created("form: hi")
    );
    let text = client
        .create_note(
            &create_note::Parameters::new(),
            Some(create_note::Body::Text("plain".to_owned())),
        )
        .await
        .expect("text");
    assert_eq!(
        text,
        create_note::Response::Created(Note::new("text: plain".to_owned()))
    );
    let bytes = client
        .create_note(
            &create_note::Parameters::new(),
            Some(create_note::Body::OctetStream(reqwest::Body::from(
                b"raw".to_vec(),
            ))),
        )
        .await
        .expect("bytes");
    assert_eq!(
        bytes,
        create_note::Response::Created(Note::new("bytes: raw".to_owned()))
    );
    assert_eq!(
        client
            .create_note(&create_note::Parameters::new(), None)
            .await
            .expect("no body"),
        create_note::Response::NoContent
    );
}

#[tokio::test]
async fn default_responses_carry_status_body_and_headers() {
    let (_, client) = client().await;
    let got = client
        .create_note(
            &create_note::Parameters::new(),
            Some(create_note::Body::Text("conflict".to_owned())),
        )
        .await
        .expect("declared by default");
    assert_eq!(
        got,
        create_note::Response::Default {
            status: 409,
            body: ApiError::new("already there".to_owned()),
            headers: create_note::DefaultHeaders::new()
                .with_x_request_id(REQUEST_ID.parse().expect("uuid")),
        }
    );
}

#[tokio::test]
async fn an_unsupported_media_type_is_answered_415_by_default() {
    let (addr, _) = client().await;
    let response = raw(addr, reqwest::Method::POST, "/notes")
        .header("content-type", "application/xml")
        .body("<note/>")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 415);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let error: ApiError = json(response).await;
    assert!(error.message.contains("text/plain"), "{error:?}");
}

// ---- parameters ---------------------------------------------------------------

#[tokio::test]
async fn deep_object_json_and_delimited_parameters_round_trip() {
    let (addr, client) = client().await;
    let parameters = search_notes::Parameters::new()
        .with_filter(
            NoteFilter::new()
                .with_text("a&b=c".to_owned())
                .with_pinned(true)
                .with_min_id(42),
        )
        .with_where(
            NoteFilter::new()
                .with_text("json".to_owned())
                .with_min_id(-1),
        )
        .with_tags(vec!["x".to_owned(), "y z".to_owned()])
        .with_ids(vec![1, 2, 3])
        .with_x_trace("trace-1".to_owned())
        .with_session("s1".to_owned());
    let got = client.search_notes(&parameters).await.expect("searched");
    let search_notes::Response::PartialContent(echo) = got else {
        panic!("expected 206, got {got:?}");
    };
    assert_eq!(
        echo,
        serde_json::json!({
            "filter": {"text": "a&b=c", "pinned": true, "min_id": 42},
            "where": {"text": "json", "min_id": -1},
            "tags": ["x", "y z"],
            "ids": [1, 2, 3],
            "x_trace": "trace-1",
            "session": "s1",
        })
    );

    // The wire format, as other clients write it.
    let query =
        "filter[text]=hi&filter[min_id]=7&where=%7B%22pinned%22%3Afalse%7D&tags=a,b&ids=4|5";
    let response = reqwest::Client::new()
        .get(format!("http://{addr}/notes?{query}"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 206);
    let echo: serde_json::Value = json(response).await;
    assert_eq!(
        echo["filter"],
        serde_json::json!({"text": "hi", "min_id": 7})
    );
    assert_eq!(echo["where"], serde_json::json!({"pinned": false}));
    assert_eq!(echo["tags"], serde_json::json!(["a", "b"]));
    assert_eq!(echo["ids"], serde_json::json!([4, 5]));

    // A deep object field of the wrong type is the declared 400 (none: empty).
    let response = reqwest::Client::new()
        .get(format!("http://{addr}/notes?filter[min_id]=many"))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn text_responses_are_strings() {
    let (_, client) = client().await;
    let parameters = search_notes::Parameters::new().with_tags(vec!["csv".to_owned()]);
    assert_eq!(
        client.search_notes(&parameters).await.expect("csv"),
        search_notes::Response::Ok("id,text\n1,hello\n".to_owned())
    );
}

#[tokio::test]
async fn several_parameters_in_one_segment_are_split_by_the_template() {
    let (addr, client) = client().await;
    // Earlier parameters take as much as they can: `archive.tar` and `gz`.
    let response = raw(addr, reqwest::Method::GET, "/blobs/archive.tar.gz")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.bytes().await.expect("body").as_ref(),
        b"archive.tar|gz"
    );

    // Values with the separator in them survive the client's encoding.
    let parameters = get_blob::Parameters::new("a b.c".to_owned(), "d".to_owned());
    let got = client.get_blob(&parameters).await.expect("blob");
    let get_blob::Response::Ok { body, .. } = got else {
        panic!("expected 200, got {got:?}");
    };
    assert_eq!(body, b"a b.c|d");

    // A segment without the template's text does not match: 400.
    let response = raw(addr, reqwest::Method::GET, "/blobs/noextension")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
}

// ---- query strings written into path keys -------------------------------------

#[tokio::test]
async fn pairs_of_a_query_string_in_the_path_key_are_sent_under_their_keys() {
    let (addr, client) = client().await;
    // `/notes/find?q={text}`: `text` is declared in the query, sent as `q`,
    // at `/notes/find` (beside `/notes` and `/notes/{id}`).
    let got = client
        .find_notes(&find_notes::Parameters::new().with_q("a b&c=d".to_owned()))
        .await
        .expect("found");
    assert_eq!(
        got,
        find_notes::Response::Ok(vec![Note::new("find_notes q=Some(\"a b&c=d\")".to_owned())])
    );
    let got = client
        .find_notes(&find_notes::Parameters::new())
        .await
        .expect("found");
    assert_eq!(
        got,
        find_notes::Response::Ok(vec![Note::new("find_notes q=None".to_owned())])
    );

    // `/notes/{id}/links?max={limit}&to={target}`: `id` in the route,
    // `limit` declared in the path but sent as `max`, `target` undeclared
    // (a required string) sent as `to`.
    let parameters = note_links::Parameters::new(7, 3, "a b&c=d/%?#".to_owned());
    let got = client.note_links(&parameters).await.expect("links");
    assert_eq!(
        got,
        note_links::Response::Ok(serde_json::json!({"id": 7, "max": 3, "to": "a b&c=d/%?#"}))
    );

    // The wire format, as other clients write it: the keys, not the names.
    let response = raw(
        addr,
        reqwest::Method::GET,
        "/notes/find?q=x%20y%26z&text=not-read",
    )
    .send()
    .await
    .expect("sent");
    assert_eq!(response.status(), 200);
    let notes: Vec<Note> = json(response).await;
    assert_eq!(
        notes,
        [Note::new("find_notes q=Some(\"x y&z\")".to_owned())]
    );
    let response = raw(
        addr,
        reqwest::Method::GET,
        "/notes/-2/links?to=a+b%3Dc&max=10",
    )
    .send()
    .await
    .expect("sent");
    assert_eq!(response.status(), 200);
    let echo: serde_json::Value = json(response).await;
    assert_eq!(
        echo,
        serde_json::json!({"id": -2, "max": 10, "to": "a b=c"})
    );
}

#[tokio::test]
async fn a_missing_or_invalid_pair_of_the_path_key_gets_the_declared_400() {
    let (addr, _) = client().await;
    // `noteLinks` declares a 400 with an `Error` body.
    for (query, message) in [
        ("max=3", "400: missing required query parameter `to`"),
        ("to=x", "400: missing required query parameter `max`"),
        // Sent under the parameter's name instead of the pair's key.
        (
            "limit=3&target=x",
            "400: missing required query parameter `max`",
        ),
        ("max=many&to=x", "400: invalid query parameter `max`"),
    ] {
        let response = raw(
            addr,
            reqwest::Method::GET,
            &format!("/notes/7/links?{query}"),
        )
        .send()
        .await
        .expect("sent");
        assert_eq!(response.status(), 400, "{query}");
        let error: ApiError = json(response).await;
        assert!(error.message.starts_with(message), "{query}: {error:?}");
    }
    // The `?` is not part of the route.
    let response = raw(addr, reqwest::Method::GET, "/notes/7/links%3Fmax=3&to=x")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn path_keys_on_one_route_and_method_are_told_apart_by_a_query_parameter() {
    let (addr, client) = client().await;
    // `/notes/find?tag={tag}` is `GET /notes/find` too; it requires `tag`,
    // which `findNotes` does not declare, so a request with `tag` reaches it.
    let got = client
        .find_notes_by_tag(&find_notes_by_tag::Parameters::new("work".to_owned()))
        .await
        .expect("found");
    assert_eq!(
        got,
        find_notes_by_tag::Response::Ok(vec![Note::new("find_notes_by_tag work".to_owned())])
    );
    let response = raw(addr, reqwest::Method::GET, "/notes/find?tag=work&q=w")
        .send()
        .await
        .expect("sent");
    let notes: Vec<Note> = json(response).await;
    assert_eq!(notes, [Note::new("find_notes_by_tag work".to_owned())]);
    // Without `tag`, `findNotes`.
    let response = raw(addr, reqwest::Method::GET, "/notes/find?q=w")
        .send()
        .await
        .expect("sent");
    let notes: Vec<Note> = json(response).await;
    assert_eq!(notes, [Note::new("find_notes q=Some(\"w\")".to_owned())]);
}

#[tokio::test]
async fn a_template_differing_only_in_parameter_names_is_served_at_the_first() {
    let (addr, client) = client().await;
    // `PUT /notes/{noteId}` is served at the route `/notes/{id}` (of `GET`
    // and `DELETE`), and reads `noteId` from it.
    let got = client
        .update_note(
            &update_note::Parameters::new(42),
            &Note::new("text".to_owned()),
        )
        .await
        .expect("updated");
    assert_eq!(
        got,
        update_note::Response::Ok(Note::new("text as note 42".to_owned()))
    );
    // Its parameter is checked as its own type; the message names it as
    // the route does (`id`), the name the request's URL matched.
    let response = raw(addr, reqwest::Method::PUT, "/notes/forty-two")
        .header("content-type", "application/json")
        .body(r#"{"text": "t"}"#)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
    let error: ApiError = json(response).await;
    assert!(
        error
            .message
            .starts_with("400: invalid path parameter `id`"),
        "{error:?}"
    );
    // The route's other methods are still told apart: 405 for another.
    let response = raw(addr, reqwest::Method::PATCH, "/notes/42")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 405);
}

#[tokio::test]
async fn segments_with_text_tell_operations_of_one_route_apart() {
    let (addr, client) = client().await;
    // `GET /jobs/{job}`, `POST /jobs/{job}:cancel`, `POST /jobs/{name}:run`:
    // one route, the segment's text picking the `POST`.
    let got = client
        .cancel_job(&cancel_job::Parameters::new("a:b/7".to_owned()))
        .await
        .expect("cancelled");
    assert_eq!(got, cancel_job::Response::Ok("cancel a:b/7".to_owned()));
    let got = client
        .run_job(&run_job::Parameters::new("8".to_owned()))
        .await
        .expect("run");
    assert_eq!(got, run_job::Response::Ok("run 8".to_owned()));
    // `GET` reads the whole segment, text and all.
    let got = client
        .get_job(&get_job::Parameters::new("9:cancel".to_owned()))
        .await
        .expect("got");
    assert_eq!(got, get_job::Response::Ok("get 9:cancel".to_owned()));
    // The wire format, as other clients write it.
    let post = |path: &str| raw(addr, reqwest::Method::POST, path).send();
    let response = post("/jobs/x%3Arun:cancel").await.expect("sent");
    assert_eq!(json::<String>(response).await, "cancel x:run");
    let response = post("/jobs/x:cancel:run").await.expect("sent");
    assert_eq!(json::<String>(response).await, "run x:cancel");
    // Neither form: the last operation rejects it with its declared 400.
    let response = post("/jobs/10").await.expect("sent");
    assert_eq!(response.status(), 400);
    let error: ApiError = json(response).await;
    assert!(
        error.message.contains("`10` does not match `{name}:run`"),
        "{error:?}"
    );
}

// ---- fragments in path keys -----------------------------------------------------

#[tokio::test]
async fn fragments_are_not_sent_and_a_fixed_header_picks_the_operation() {
    let (addr, client) = client().await;
    // `/actions#X-Action=Notes.Archive` and `/actions#X-Action=Notes.Restore`
    // are both `POST /actions`; each requires `X-Action` with one value.
    let archive = archive_notes::Parameters::new(ArchiveNotesXAction::NotesArchive);
    let got = client
        .archive_notes(&archive, &[1, 2])
        .await
        .expect("archived");
    assert_eq!(
        got,
        archive_notes::Response::Ok("archive [1, 2] Notes.Archive".to_owned())
    );
    let restore = restore_notes::Parameters::new(RestoreNotesXAction::NotesRestore);
    let got = client
        .restore_notes(&restore, &[3])
        .await
        .expect("restored");
    assert_eq!(
        got,
        restore_notes::Response::Ok("restore [3] Notes.Restore".to_owned())
    );

    // The wire format: the route without the fragment, the header's name in
    // any case.
    let post = |action: Option<&str>| {
        let request = raw(addr, reqwest::Method::POST, "/actions")
            .header("content-type", "application/json")
            .body("[5]");
        match action {
            Some(action) => request.header("x-action", action),
            None => request,
        }
    };
    let response = post(Some("Notes.Archive")).send().await.expect("sent");
    assert_eq!(response.status(), 200);
    assert_eq!(json::<String>(response).await, "archive [5] Notes.Archive");
    // A request matching neither goes to the last, which rejects it as the
    // spec declares when the header is missing; an unlisted value is kept
    // as the types crate keeps unlisted values of every enum.
    let response = post(None).send().await.expect("sent");
    assert_eq!(response.status(), 400);
    let error: ApiError = json(response).await;
    assert!(
        error
            .message
            .starts_with("400: missing required header parameter `X-Action`"),
        "{error:?}"
    );
    let response = post(Some("Notes.Other")).send().await.expect("sent");
    assert_eq!(json::<String>(response).await, "restore [5] Notes.Other");
    // The fragment is not part of the route.
    let response = raw(
        addr,
        reqwest::Method::POST,
        "/actions%23X-Action=Notes.Archive",
    )
    .header("x-action", "Notes.Archive")
    .send()
    .await
    .expect("sent");
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn the_body_media_type_picks_the_operation() {
    let (addr, client) = client().await;
    // `/images` takes JSON, `/images#overload=stream` bytes.
    let got = client
        .describe_image(
            &describe_image::Parameters::new(),
            &DescribeImageRequest::new("https://example.com/a.png".to_owned()),
        )
        .await
        .expect("described");
    assert_eq!(
        got,
        describe_image::Response::Ok("image at https://example.com/a.png".to_owned())
    );
    let got = client
        .describe_image_in_stream(&describe_image_in_stream::Parameters::new(), vec![7u8; 300])
        .await
        .expect("described");
    assert_eq!(
        got,
        describe_image_in_stream::Response::Ok("image of 300 bytes".to_owned())
    );
    // Any other media type goes to the last, which answers it as an
    // unsupported one (400: it declares no 415).
    let response = raw(addr, reqwest::Method::POST, "/images")
        .header("content-type", "text/plain")
        .body("a.png")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn a_query_parameter_only_one_operation_declares_picks_it() {
    let (addr, client) = client().await;
    // `/actions#pending` requires `pending`; `/actions` declares nothing.
    let got = client
        .pending_actions(&pending_actions::Parameters::new(false))
        .await
        .expect("pending");
    assert_eq!(
        got,
        pending_actions::Response::Ok("pending false".to_owned())
    );
    let got = client
        .list_actions(&list_actions::Parameters::new())
        .await
        .expect("listed");
    assert_eq!(got, list_actions::Response::Ok("list".to_owned()));
    // `/actions#again` has nothing to tell it from `/actions`: the server
    // does not serve it, and its client's calls reach `listActions`.
    let got = client
        .list_actions_again(&list_actions_again::Parameters::new())
        .await
        .expect("listed");
    assert_eq!(got, list_actions_again::Response::Ok("list".to_owned()));
    // `pending` with a value that is not a boolean: `pendingActions`'s 400
    // (it declares none, so without a body).
    let response = raw(addr, reqwest::Method::GET, "/actions?pending=maybe")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
}

// ---- security -------------------------------------------------------------------

#[tokio::test]
async fn api_keys_in_query_and_cookie_and_http_schemes_authorize() {
    let addr = serve().await;
    let base = format!("http://{addr}");
    let parameters = get_note::Parameters::new(7, "t".to_owned());
    let with = |credentials: Credentials| {
        Client::new(&base)
            .expect("base url")
            .with_credentials(credentials)
    };
    let text = |response: get_note::Response| match response {
        get_note::Response::Ok(note) => note.text,
        other => panic!("expected 200, got {other:?}"),
    };

    let cookie = with(Credentials {
        cookie_key: Some("c00kie".to_owned()),
        ..Credentials::default()
    });
    assert_eq!(
        text(cookie.get_note(&parameters).await.expect("cookie")),
        "7 t cookie c00kie"
    );

    let basic = with(Credentials {
        basic_auth: Some(BasicCredentials {
            username: "ada".to_owned(),
            password: "pw".to_owned(),
        }),
        ..Credentials::default()
    });
    assert_eq!(
        text(basic.get_note(&parameters).await.expect("basic")),
        "7 t basic ada"
    );

    // oauth2 is a bearer token too.
    let oauth = with(Credentials {
        oauth: Some("tok".to_owned()),
        ..Credentials::default()
    });
    assert_eq!(
        text(oauth.get_note(&parameters).await.expect("oauth")),
        "7 t bearer tok"
    );

    // The query API key does not satisfy `getNote`: its declared 401.
    let query = with(Credentials {
        api_key_query: Some("q".to_owned()),
        ..Credentials::default()
    });
    assert_eq!(
        query.get_note(&parameters).await.expect("declared 401"),
        get_note::Response::Unauthorized
    );

    // `searchNotes` has `security: []`: no credentials needed.
    let anonymous = Client::new(&base).expect("base url");
    let search = search_notes::Parameters::new();
    assert_eq!(
        anonymous
            .search_notes(&search)
            .await
            .expect("anonymous")
            .status(),
        206
    );

    // The global alternatives: a query API key alone is enough for `createNote`.
    assert_eq!(
        query
            .create_note(
                &create_note::Parameters::new(),
                Some(create_note::Body::Json(note("q")))
            )
            .await
            .expect("query key")
            .status(),
        201
    );
}

#[tokio::test]
async fn an_alternative_of_two_schemes_needs_both() {
    let addr = serve().await;
    let base = format!("http://{addr}");
    let parameters = delete_note::Parameters::new(1);
    let header_only = Client::new(&base)
        .expect("base url")
        .with_credentials(header_key());
    assert_eq!(
        header_only.delete_note(&parameters).await.expect("401"),
        delete_note::Response::Unauthorized
    );
    let both = Client::new(&base)
        .expect("base url")
        .with_credentials(Credentials {
            api_key_query: Some("q".to_owned()),
            ..header_key()
        });
    assert_eq!(
        both.delete_note(&parameters).await.expect("deleted"),
        delete_note::Response::NoContent
    );
}

#[tokio::test]
async fn text_server_errors_and_path_level_overrides() {
    let (_, client) = client().await;
    let client = client.with_credentials(Credentials {
        bearer_auth: Some("b".to_owned()),
        ..Credentials::default()
    });
    let got = client
        .get_note(&get_note::Parameters::new(503, "t".to_owned()))
        .await
        .expect("5XX");
    assert_eq!(
        got,
        get_note::Response::ServerError {
            status: 503,
            body: "down for maintenance".to_owned(),
        }
    );
    // `X-Trace` is required by `getNote` (overriding the path level).
    let addr = client.base_url().socket_addrs(|| None).expect("addr")[0];
    let response = reqwest::Client::new()
        .get(format!("http://{addr}/notes/1"))
        .bearer_auth("b")
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 400);
}
