//! The generated client's runtime hooks, against servers on 127.0.0.1 and
//! in process: a per-call header reaches the server, idempotent calls are
//! retried after `Retry-After` and non-idempotent ones are not, middleware
//! sees every request, transport errors name their cause, and the client
//! runs against the generated server's router with a fake `Api`, no socket.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use operations_client::types::operations::{create_note, get_note};
use operations_client::{BoxFuture, Client, Error, Middleware, Next, RetryPolicy};

/// What the test server saw and how it answers: the headers of each
/// request, and how many more `503`s it sends before answering.
#[derive(Clone, Default)]
struct Server {
    seen: Arc<Mutex<Vec<HeaderMap>>>,
    unavailable: Arc<AtomicU32>,
}

impl Server {
    /// Serves `GET /notes/{id}` (a note) and `POST /notes` (201) on a
    /// loopback port; each answers `503` with `Retry-After: 1` while
    /// `unavailable` lasts. Returns the base URL.
    async fn start(&self) -> String {
        let server = self.clone();
        let answer = move |headers: HeaderMap, created: bool| {
            let server = server.clone();
            async move {
                server.seen.lock().unwrap().push(headers);
                let left = server.unavailable.load(Ordering::SeqCst);
                if left > 0 {
                    server.unavailable.store(left - 1, Ordering::SeqCst);
                    let headers = [("retry-after", "1"), ("content-type", "application/json")];
                    let body = r#"{"message":"busy"}"#;
                    return (StatusCode::SERVICE_UNAVAILABLE, headers, body).into_response();
                }
                let status = if created {
                    StatusCode::CREATED
                } else {
                    StatusCode::OK
                };
                (
                    status,
                    [("content-type", "application/json")],
                    r#"{"text":"hello"}"#,
                )
                    .into_response()
            }
        };
        let get = answer.clone();
        let app = axum::Router::new()
            .route(
                "/notes/{id}",
                axum::routing::get(move |headers| get(headers, false)),
            )
            .route(
                "/notes",
                axum::routing::post(move |headers| answer(headers, true)),
            );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await });
        format!("http://{addr}")
    }

    fn requests(&self) -> usize {
        self.seen.lock().unwrap().len()
    }

    fn last_header(&self, name: &str) -> Option<String> {
        let seen = self.seen.lock().unwrap();
        let value = seen.last()?.get(name)?;
        Some(value.to_str().unwrap().to_owned())
    }
}

fn note() -> get_note::Parameters {
    get_note::Parameters::new(7, "trace".to_owned())
}

#[tokio::test]
async fn a_per_call_header_reaches_the_server_and_others_calls_do_not_carry_it() {
    let server = Server::default();
    let client = Client::new(&server.start().await).unwrap();
    let response = client
        .get_note(&note())
        .header("prefer", "return=minimal")
        .header("x-trace", "overridden per call")
        .timeout(Duration::from_secs(5))
        .await
        .unwrap();
    assert!(
        matches!(response, get_note::Response::Ok(ref n) if n.text == "hello"),
        "{response:?}"
    );
    assert_eq!(
        server.last_header("prefer").as_deref(),
        Some("return=minimal")
    );
    // The per-call header replaces the parameter's value.
    assert_eq!(
        server.last_header("x-trace").as_deref(),
        Some("overridden per call")
    );

    // The call as it always was: no per-call header.
    client.get_note(&note()).await.unwrap();
    assert_eq!(server.last_header("prefer"), None);
    assert_eq!(server.last_header("x-trace").as_deref(), Some("trace"));
}

#[tokio::test]
async fn an_idempotent_call_waits_as_retry_after_says_then_succeeds() {
    let server = Server::default();
    let client = Client::new(&server.start().await).unwrap();
    server.unavailable.store(1, Ordering::SeqCst);
    let started = Instant::now();
    let response = client.get_note(&note()).await.unwrap();
    let elapsed = started.elapsed();
    assert!(
        matches!(response, get_note::Response::Ok(_)),
        "{response:?}"
    );
    assert_eq!(server.requests(), 2);
    // `Retry-After: 1`: a second between the attempts, not the backoff's 200 ms.
    assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[tokio::test]
async fn a_retry_after_past_the_policy_s_total_wait_is_the_answer() {
    let server = Server::default();
    let policy = RetryPolicy::default().max_total_wait(Duration::from_millis(500));
    let client = Client::new(&server.start().await)
        .unwrap()
        .with_retry(policy);
    server.unavailable.store(1, Ordering::SeqCst);
    let started = Instant::now();
    let response = client.get_note(&note()).await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(
        matches!(
            response,
            get_note::Response::ServerError { status: 503, .. }
        ),
        "{response:?}"
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_non_idempotent_call_is_sent_once_unless_the_caller_opts_in() {
    let server = Server::default();
    let client = Client::new(&server.start().await).unwrap();
    server.unavailable.store(1, Ordering::SeqCst);
    let response = client
        .create_note(&create_note::Parameters::new(), None)
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    assert!(matches!(
        response,
        create_note::Response::Default { status: 503, .. }
    ));
    assert_eq!(server.requests(), 1, "a POST is not retried");

    server.unavailable.store(1, Ordering::SeqCst);
    let response = client
        .create_note(&create_note::Parameters::new(), None)
        .header("idempotency-key", "k-1")
        .retry(true)
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    assert_eq!(server.requests(), 3);
    assert_eq!(
        server.last_header("idempotency-key").as_deref(),
        Some("k-1")
    );
}

/// Counts the requests it sees and stamps them with a header.
#[derive(Clone, Default)]
struct Stamp {
    count: Arc<AtomicU32>,
}

impl Middleware for Stamp {
    fn handle<'a>(
        &'a self,
        mut request: operations_client::reqwest::Request,
        extensions: &'a mut operations_client::http::Extensions,
        next: Next<'a>,
    ) -> BoxFuture<'a, Result<operations_client::reqwest::Response, Error>> {
        Box::pin(async move {
            let attempt = self.count.fetch_add(1, Ordering::SeqCst) + 1;
            let tenant = extensions.get::<&'static str>().copied().unwrap_or("none");
            let value = format!("{tenant}/{attempt}");
            request
                .headers_mut()
                .insert("x-stamp", value.parse().unwrap());
            next.run(request, extensions).await
        })
    }
}

#[tokio::test]
async fn middleware_sees_every_attempt_with_the_call_s_extensions() {
    let server = Server::default();
    let stamp = Stamp::default();
    let client = Client::new(&server.start().await)
        .unwrap()
        .with_middleware(stamp.clone());
    server.unavailable.store(1, Ordering::SeqCst);
    client.get_note(&note()).extension("acme").await.unwrap();
    assert_eq!(stamp.count.load(Ordering::SeqCst), 2);
    assert_eq!(server.last_header("x-stamp").as_deref(), Some("acme/2"));
}

#[tokio::test]
async fn a_transport_error_names_its_cause() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::new(&format!("http://{addr}"))
        .unwrap()
        .with_retry(RetryPolicy::none());
    let error = client.get_note(&note()).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)));
    let message = error.to_string();
    assert!(message.starts_with("HTTP request failed: "), "{message}");
    assert!(
        message.to_lowercase().contains("connection refused"),
        "{message}"
    );
}

#[tokio::test]
async fn a_call_s_timeout_in_process_is_a_timeout_error() {
    // A service that answers after 10 s, as a test double of a stalled API.
    let slow = axum::Router::new().route(
        "/notes/{id}",
        axum::routing::get(|| async {
            tokio::time::sleep(Duration::from_secs(10)).await;
            "late"
        }),
    );
    let client = Client::with_service("http://api.test", slow).unwrap();
    let started = Instant::now();
    let error = client
        .get_note(&note())
        .timeout(Duration::from_millis(100))
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(error.to_string().contains("timeout"), "{error}");
    // Other failures are not timeouts.
    let refused = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = refused.local_addr().unwrap();
    drop(refused);
    let client = Client::new(&format!("http://{addr}"))
        .unwrap()
        .with_retry(RetryPolicy::none());
    let error = client.get_note(&note()).await.unwrap_err();
    assert!(!error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn connection_errors_of_idempotent_calls_are_retried_with_backoff() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let policy = RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(100));
    let stamp = Stamp::default();
    let client = Client::new(&format!("http://{addr}"))
        .unwrap()
        .with_retry(policy)
        .with_middleware(stamp.clone());
    let started = Instant::now();
    let error = client.get_note(&note()).await.unwrap_err();
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert_eq!(stamp.count.load(Ordering::SeqCst), 3);
    // Half of 100 ms, then half of 200 ms, at least.
    assert!(started.elapsed() >= Duration::from_millis(150));
}

mod in_process {
    //! The client over the generated server's router, a fake `Api`
    //! behind it: no socket.

    use customer_identification_processes_client::types::operations::{
        get_identification_process, list_identification_processes,
    };
    use customer_identification_processes_client::{types, Client};
    use customer_identification_processes_server::{router, Api, Rejection, Request};
    use serde_json::json;

    /// Knows one customer, with no processes.
    struct FakeApi;

    const CUSTOMER: &str = "123e4567-e89b-12d3-a456-556642440000";

    impl Api for FakeApi {
        async fn list_identification_processes(
            &self,
            request: Request<list_identification_processes::Parameters>,
        ) -> list_identification_processes::Response {
            use list_identification_processes::Response;
            if request.parameters.customer_id.to_string() != CUSTOMER {
                let error = json!({"code": "NOT_FOUND", "message": "no such customer"});
                return Response::NotFound(serde_json::from_value(error).unwrap());
            }
            let list = json!({"identification_processes": [], "total": 0});
            Response::Ok(serde_json::from_value(list).unwrap())
        }

        async fn get_identification_process(
            &self,
            _request: Request<get_identification_process::Parameters>,
        ) -> get_identification_process::Response {
            let error = json!({"code": "NOT_FOUND", "message": "no such process"});
            get_identification_process::Response::NotFound(serde_json::from_value(error).unwrap())
        }

        fn rejection_error_response(&self, rejection: &Rejection) -> types::ErrorResponse {
            let error = json!({"code": "REJECTED", "message": rejection.to_string()});
            serde_json::from_value(error).unwrap()
        }
    }

    fn parameters(customer: &str) -> list_identification_processes::Parameters {
        list_identification_processes::Parameters::new(
            "telco".to_owned(),
            customer.parse().unwrap(),
        )
    }

    #[tokio::test]
    async fn the_client_calls_a_fake_api_through_the_server_s_router() {
        let client = Client::with_service("http://api.test", router(FakeApi))
            .unwrap()
            .with_credentials(types::Credentials {
                bearer_auth: Some("token".to_owned()),
                ..Default::default()
            });
        let response = client
            .list_identification_processes(&parameters(CUSTOMER))
            .await
            .unwrap();
        match response {
            list_identification_processes::Response::Ok(list) => assert_eq!(list.total, 0),
            other => panic!("expected 200, got {other:?}"),
        }
        let other = "6ba7b810-9dad-11d1-80b4-00c04fd430c9";
        let response = client
            .list_identification_processes(&parameters(other))
            .await
            .unwrap();
        assert_eq!(response.status(), 404);

        // The server's own checks run too: no credentials, its 401.
        let anonymous = Client::with_service("http://api.test", router(FakeApi)).unwrap();
        let response = anonymous
            .list_identification_processes(&parameters(CUSTOMER))
            .await
            .unwrap();
        match response {
            list_identification_processes::Response::Unauthorized(error) => {
                assert_eq!(error.code, "REJECTED")
            }
            other => panic!("expected 401, got {other:?}"),
        }
    }
}
