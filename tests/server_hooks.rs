//! What production code reaches in the generated server, over real HTTP on
//! 127.0.0.1: the request's headers and the extensions a tower middleware
//! set, read by an operation; the spec served at a chosen path; a tower-http
//! layer on the router; the `tracing` span of each operation; and the crates
//! passing clippy with and without the `tracing` feature.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use customer_identification_processes_server::axum::extract::Request as HttpRequest;
use customer_identification_processes_server::axum::middleware::{self, Next};
use customer_identification_processes_server::axum::response::Response as HttpResponse;
use customer_identification_processes_server::types::operations::{
    get_identification_process, list_identification_processes,
};
use customer_identification_processes_server::types::ErrorResponse;
use customer_identification_processes_server::{
    axum, router, spec_router, Api, Rejection, Request, ServeOptions, SPEC, SPEC_MEDIA_TYPE,
};
use tokio::sync::oneshot;

const LIST: &str =
    "/orgs/telco/customers/123e4567-e89b-12d3-a456-556642440000/identification-processes";

/// The caller, as an authentication middleware identified it.
#[derive(Clone, Debug)]
struct Caller(String);

/// A tower middleware (axum's `from_fn`) that identifies the caller, here
/// from the `x-caller` header, and leaves it in the request's extensions.
async fn identify(mut request: HttpRequest, next: Next) -> HttpResponse {
    let caller = request
        .headers()
        .get("x-caller")
        .and_then(|value| value.to_str().ok())
        .map(|caller| Caller(caller.to_owned()));
    if let Some(caller) = caller {
        request.extensions_mut().insert(caller);
    }
    next.run(request).await
}

/// Answers every operation `403` with what its request carried besides its
/// parameters: the caller in its extensions and its `x-request-id` header.
struct Echo;

/// An `ErrorResponse`, built from its JSON form.
fn error(code: &str, message: &str) -> ErrorResponse {
    serde_json::from_value(serde_json::json!({ "code": code, "message": message }))
        .expect("an ErrorResponse")
}

fn seen<P, B>(request: &Request<P, B>) -> ErrorResponse {
    let caller = request
        .extensions
        .get::<Caller>()
        .map_or("nobody", |caller| caller.0.as_str());
    let request_id = request
        .headers
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("none");
    error("seen", &format!("caller={caller} request-id={request_id}"))
}

impl Api for Echo {
    async fn list_identification_processes(
        &self,
        request: Request<list_identification_processes::Parameters>,
    ) -> list_identification_processes::Response {
        list_identification_processes::Response::Forbidden(seen(&request))
    }

    async fn get_identification_process(
        &self,
        request: Request<get_identification_process::Parameters>,
    ) -> get_identification_process::Response {
        get_identification_process::Response::Forbidden(seen(&request))
    }

    fn rejection_error_response(&self, rejection: &Rejection) -> ErrorResponse {
        error("rejected", &rejection.message)
    }
}

/// A server of `app` on 127.0.0.1 (its base URL), until the sender drops.
async fn start(app: axum::Router) -> (String, oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local address");
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(
        ServeOptions::new().serve_with_shutdown(listener, app, async {
            let _ = stopped.await;
        }),
    );
    (format!("http://{addr}"), stop)
}

/// `GET base + path` with `headers`: the status, the headers and the body.
async fn get(
    base: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (u16, reqwest::header::HeaderMap, String) {
    let mut request = reqwest::Client::new().get(format!("{base}{path}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("an answer");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.expect("a body"))
}

fn message(body: &str) -> String {
    let body: serde_json::Value = serde_json::from_str(body).expect("a JSON body");
    body["message"].as_str().expect("a message").to_owned()
}

#[tokio::test]
async fn a_middleware_s_identity_and_a_header_reach_the_operation() {
    let (base, _stop) = start(router(Echo).layer(middleware::from_fn(identify))).await;
    let (status, _, body) = get(
        &base,
        LIST,
        &[
            ("x-auth-roles", "API_KEY"),
            ("x-caller", "alice"),
            ("x-request-id", "r-42"),
        ],
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(message(&body), "caller=alice request-id=r-42");

    // Another operation, without the header the middleware reads.
    let (status, _, body) = get(
        &base,
        &format!("{LIST}/4189285b-08f8-4628-adda-4767d81362e7"),
        &[("x-auth-roles", "API_KEY")],
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(message(&body), "caller=nobody request-id=none");
}

#[tokio::test]
async fn the_spec_is_served_at_the_chosen_path_only_when_asked() {
    let spec = std::fs::read_to_string(
        apiforge_tests::root().join("spec/customer-identification-processes.yaml"),
    )
    .expect("the spec");
    assert_eq!(SPEC, spec);

    let (base, _stop) = start(router(Echo).merge(spec_router("/docs/openapi.yaml"))).await;
    let (status, headers, body) = get(&base, "/docs/openapi.yaml", &[]).await;
    assert_eq!(status, 200);
    assert_eq!(headers["content-type"], SPEC_MEDIA_TYPE);
    assert_eq!(SPEC_MEDIA_TYPE, "application/yaml");
    assert_eq!(body, spec);
    // The operations are served as before.
    let (status, _, _) = get(&base, LIST, &[("x-auth-roles", "API_KEY")]).await;
    assert_eq!(status, 403);

    // Without `spec_router`, the router has no such path: the API's 404.
    let (base, _stop) = start(router(Echo)).await;
    let (status, _, body) = get(&base, "/docs/openapi.yaml", &[]).await;
    assert_eq!(status, 404);
    assert_eq!(
        message(&body),
        "no operation has the path `/docs/openapi.yaml`"
    );
}

#[tokio::test]
async fn a_tower_http_layer_wraps_the_router() {
    use tower_http::cors::CorsLayer;

    let cors = CorsLayer::new()
        .allow_origin(axum::http::HeaderValue::from_static("https://app.example"))
        .allow_methods([axum::http::Method::GET])
        .allow_headers([axum::http::HeaderName::from_static("x-auth-roles")]);
    let (base, _stop) = start(router(Echo).layer(cors)).await;

    // The preflight is the layer's own answer.
    let preflight = reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, format!("{base}{LIST}"))
        .header("origin", "https://app.example")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "x-auth-roles")
        .send()
        .await
        .expect("an answer");
    assert_eq!(preflight.status(), 200);
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://app.example"
    );
    assert_eq!(preflight.headers()["access-control-allow-methods"], "GET");

    // An operation's answer passes through it.
    let (status, headers, _) = get(
        &base,
        LIST,
        &[
            ("x-auth-roles", "API_KEY"),
            ("origin", "https://app.example"),
        ],
    )
    .await;
    assert_eq!(status, 403);
    assert_eq!(
        headers["access-control-allow-origin"],
        "https://app.example"
    );
}

/// The fields of every closed span named `operation`.
#[derive(Clone, Default)]
struct OperationSpans(Arc<Mutex<Vec<BTreeMap<String, String>>>>);

/// The fields of a span, as text.
#[derive(Default)]
struct Fields(BTreeMap<String, String>);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl<S> tracing_subscriber::Layer<S> for OperationSpans
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
{
    fn on_new_span(
        &self,
        attributes: &tracing::span::Attributes<'_>,
        id: &tracing::span::Id,
        context: tracing_subscriber::layer::Context<'_, S>,
    ) {
        let mut fields = Fields::default();
        attributes.record(&mut fields);
        if let Some(span) = context.span(id) {
            span.extensions_mut().insert(fields);
        }
    }

    fn on_record(
        &self,
        id: &tracing::span::Id,
        values: &tracing::span::Record<'_>,
        context: tracing_subscriber::layer::Context<'_, S>,
    ) {
        if let Some(span) = context.span(id) {
            if let Some(fields) = span.extensions_mut().get_mut::<Fields>() {
                values.record(fields);
            }
        }
    }

    fn on_close(&self, id: tracing::span::Id, context: tracing_subscriber::layer::Context<'_, S>) {
        let Some(span) = context.span(&id) else {
            return;
        };
        if span.name() != "operation" {
            return;
        }
        let fields = span.extensions().get::<Fields>().map(|f| f.0.clone());
        if let Some(fields) = fields {
            self.0.lock().expect("spans").push(fields);
        }
    }
}

// The server runs on this test's thread (a current-thread runtime), where
// the subscriber is the default.
#[tokio::test]
async fn each_operation_runs_in_a_span_with_its_id_method_route_and_status() {
    use tracing_subscriber::layer::SubscriberExt;

    let spans = OperationSpans::default();
    let subscriber = tracing_subscriber::registry().with(spans.clone());
    let _default = tracing::subscriber::set_default(subscriber);

    let (base, _stop) = start(router(Echo)).await;
    let (status, _, _) = get(&base, LIST, &[("x-auth-roles", "API_KEY")]).await;
    assert_eq!(status, 403);
    // Rejected before the operation is called: in its span all the same.
    let (status, _, _) = get(&base, LIST, &[]).await;
    assert_eq!(status, 401);

    let spans = spans.0.lock().expect("spans").clone();
    let expected = |status: &str| {
        BTreeMap::from(
            [
                ("operation_id", "listIdentificationProcesses"),
                ("http.request.method", "GET"),
                (
                    "http.route",
                    "/orgs/{org_id}/customers/{customer_id}/identification-processes",
                ),
                ("http.response.status_code", status),
            ]
            .map(|(name, value)| (name.to_owned(), value.to_owned())),
        )
    };
    assert_eq!(spans, [expected("403"), expected("401")]);
}

/// `cargo clippy -D warnings` on a generated server crate (the operations
/// fixture's: bodies of every kind, parameters everywhere, credentials),
/// with the `tracing` feature and without.
#[test]
fn a_server_crate_passes_clippy_with_and_without_the_tracing_feature() {
    let root = apiforge_tests::root();
    let target = root.join("target/corpus/target");
    for features in [&[][..], &["--features", "tracing"][..]] {
        let mut args = vec![
            "clippy",
            "--offline",
            "--quiet",
            "--message-format=short",
            "-p",
            "operations-server",
            "--all-targets",
        ];
        args.extend_from_slice(features);
        args.extend_from_slice(&["--", "-D", "warnings"]);
        let output = apiforge_tests::cargo(&root, &target, &args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let findings: Vec<&str> = stderr
            .lines()
            .filter(|line| line.contains("warning") || line.contains("error"))
            .collect();
        assert!(
            output.status.success() && findings.is_empty(),
            "cargo {}:\n{stderr}",
            args.join(" ")
        );
    }
}
