//! Round trips over real HTTP: the generated server, with a test
//! implementation, on 127.0.0.1:0, called through the generated client.

use std::net::SocketAddr;

use customer_identification_processes_client::{Client, Error};
use customer_identification_processes_server::types::operations::{
    get_identification_process, list_identification_processes,
};
use customer_identification_processes_server::types::{
    Credentials, ErrorResponse, GetIdentificationProcessResponse, IdentificationProcess,
    ListIdentificationProcessesResponse,
};
use customer_identification_processes_server::{router, Api, Rejection, Request};
use uuid::Uuid;

const CUSTOMER: &str = "123e4567-e89b-12d3-a456-556642440000";
const PROCESS: &str = "4189285b-08f8-4628-adda-4767d81362e7";

/// Answers with the status named by the org id (`status-404`, ...), so one
/// server can produce every declared response.
struct Scripted;

fn process() -> IdentificationProcess {
    let spec = std::fs::read_to_string(
        apiforge_tests::root().join("spec/customer-identification-processes.yaml"),
    )
    .expect("spec readable");
    let spec: serde_json::Value = serde_yaml::from_str(&spec).expect("spec parses");
    serde_json::from_value(
        spec["components"]["schemas"]["IdentificationProcess"]["example"].clone(),
    )
    .expect("the example is an IdentificationProcess")
}

fn error_for(status: u16) -> ErrorResponse {
    ErrorResponse::new(format!("E{status}"), format!("scripted {status}"))
        .with_details(vec![format!("status {status}")])
}

fn scripted_status(org_id: &str) -> u16 {
    org_id
        .strip_prefix("status-")
        .and_then(|s| s.parse().ok())
        .unwrap_or(200)
}

impl Api for Scripted {
    async fn get_identification_process(
        &self,
        request: Request<get_identification_process::Parameters>,
    ) -> get_identification_process::Response {
        use get_identification_process::Response as R;
        let p = request.parameters;
        match scripted_status(&p.org_id) {
            200 => {
                let mut process = process();
                process.id = p.identification_process_id;
                process.customer_id = p.customer_id;
                R::Ok(GetIdentificationProcessResponse::new(process))
            }
            400 => R::BadRequest(error_for(400)),
            401 => R::Unauthorized(error_for(401)),
            403 => R::Forbidden(error_for(403)),
            404 => R::NotFound(error_for(404)),
            405 => R::MethodNotAllowed,
            500 => R::InternalServerError(error_for(500)),
            503 => R::ServiceUnavailable(error_for(503)),
            _ => R::GatewayTimeout(error_for(504)),
        }
    }

    async fn list_identification_processes(
        &self,
        request: Request<list_identification_processes::Parameters>,
    ) -> list_identification_processes::Response {
        use list_identification_processes::Response as R;
        let p = request.parameters;
        match scripted_status(&p.org_id) {
            200 => R::Ok(ListIdentificationProcessesResponse::new(
                vec![process(), process()],
                2,
            )),
            400 => R::BadRequest(error_for(400)),
            401 => R::Unauthorized(error_for(401)),
            403 => R::Forbidden(error_for(403)),
            404 => R::NotFound(error_for(404)),
            405 => R::MethodNotAllowed,
            500 => R::InternalServerError(error_for(500)),
            503 => R::ServiceUnavailable(error_for(503)),
            _ => R::GatewayTimeout(error_for(504)),
        }
    }

    fn rejection_error_response(&self, rejection: &Rejection) -> ErrorResponse {
        ErrorResponse::new(
            format!("REJECTED_{}", rejection.kind.status()),
            rejection.message.clone(),
        )
    }
}

async fn serve() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        axum::serve(listener, router(Scripted))
            .await
            .expect("server runs");
    });
    addr
}

fn api_key() -> Credentials {
    Credentials {
        auth_roles: Some("API_KEY".to_owned()),
        ..Credentials::default()
    }
}

async fn client() -> Client {
    let addr = serve().await;
    Client::new(&format!("http://{addr}"))
        .expect("valid base url")
        .with_credentials(api_key())
}

fn get_params(org: &str) -> get_identification_process::Parameters {
    get_identification_process::Parameters::new(
        org.to_owned(),
        Uuid::parse_str(CUSTOMER).unwrap(),
        Uuid::parse_str(PROCESS).unwrap(),
    )
}

fn list_params(org: &str) -> list_identification_processes::Parameters {
    list_identification_processes::Parameters::new(
        org.to_owned(),
        Uuid::parse_str(CUSTOMER).unwrap(),
    )
}

const STATUSES: [u16; 9] = [200, 400, 401, 403, 404, 405, 500, 503, 504];

#[tokio::test]
async fn every_declared_status_of_get_arrives_as_its_variant() {
    let client = client().await;
    let server = Scripted;
    for status in STATUSES {
        let params = get_params(&format!("status-{status}"));
        let expected = server
            .get_identification_process(
                Request::new(params.clone(), ()).with_credentials(api_key()),
            )
            .await;
        let got = client
            .get_identification_process(&params)
            .await
            .expect("declared status");
        assert_eq!(got.status(), status);
        assert_eq!(got, expected, "status {status}");
    }
}

#[tokio::test]
async fn every_declared_status_of_list_arrives_as_its_variant() {
    let client = client().await;
    let server = Scripted;
    for status in STATUSES {
        let params = list_params(&format!("status-{status}"));
        let expected = server
            .list_identification_processes(
                Request::new(params.clone(), ()).with_credentials(api_key()),
            )
            .await;
        let got = client
            .list_identification_processes(&params)
            .await
            .expect("declared status");
        assert_eq!(got.status(), status);
        assert_eq!(got, expected, "status {status}");
    }
}

/// Path segments are percent-encoded by the client and decoded by the
/// server: an org id with a space, a slash and non-ASCII survives.
#[tokio::test]
async fn path_parameters_survive_encoding() {
    let addr = serve().await;
    let client = Client::new(&format!("http://{addr}/"))
        .unwrap()
        .with_credentials(api_key());
    let got = client
        .get_identification_process(&get_params("a b/c ñ?#"))
        .await
        .unwrap();
    let get_identification_process::Response::Ok(body) = got else {
        panic!("expected 200, got {got:?}");
    };
    assert_eq!(body.identification_process.id.to_string(), PROCESS);
}

#[tokio::test]
async fn bearer_credentials_are_accepted() {
    let addr = serve().await;
    let client = Client::new(&format!("http://{addr}"))
        .unwrap()
        .with_credentials(Credentials {
            bearer_auth: Some("token".to_owned()),
            ..Credentials::default()
        });
    let got = client
        .list_identification_processes(&list_params("telco"))
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
}

async fn raw(
    addr: SocketAddr,
    method: reqwest::Method,
    path: &str,
    auth: bool,
) -> (u16, reqwest::header::HeaderMap, String) {
    let http = reqwest::Client::new();
    let mut request = http.request(method, format!("http://{addr}{path}"));
    if auth {
        request = request.header("x-auth-roles", "API_KEY");
    }
    let response = request.send().await.expect("request sent");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.text().await.expect("body read");
    (status, headers, body)
}

fn decode_error(body: &str) -> ErrorResponse {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("not an ErrorResponse ({e}): {body}"))
}

#[tokio::test]
async fn invalid_uuid_gets_the_declared_400() {
    let addr = serve().await;
    let path = format!("/orgs/telco/customers/not-a-uuid/identification-processes/{PROCESS}");
    let (status, headers, body) = raw(addr, reqwest::Method::GET, &path, true).await;
    assert_eq!(status, 400);
    assert_eq!(headers["content-type"], "application/json");
    let error = decode_error(&body);
    assert_eq!(error.code, "REJECTED_400");
    assert!(error.message.contains("customer_id"), "{}", error.message);
}

#[tokio::test]
async fn missing_credentials_get_the_declared_401() {
    let addr = serve().await;
    let path = format!("/orgs/telco/customers/{CUSTOMER}/identification-processes");
    let (status, _, body) = raw(addr, reqwest::Method::GET, &path, false).await;
    assert_eq!(status, 401);
    assert_eq!(decode_error(&body).code, "REJECTED_401");

    // Through the client: no credentials, same answer, typed.
    let client = Client::new(&format!("http://{addr}")).unwrap();
    let got = client
        .list_identification_processes(&list_params("telco"))
        .await
        .unwrap();
    let list_identification_processes::Response::Unauthorized(error) = got else {
        panic!("expected 401, got {got:?}");
    };
    assert_eq!(error.code, "REJECTED_401");
}

#[tokio::test]
async fn unknown_path_gets_404() {
    let addr = serve().await;
    let (status, _, body) = raw(addr, reqwest::Method::GET, "/orgs/telco/nothing-here", true).await;
    assert_eq!(status, 404);
    assert_eq!(decode_error(&body).code, "REJECTED_404");
}

#[tokio::test]
async fn wrong_method_gets_405_with_allow() {
    let addr = serve().await;
    let path = format!("/orgs/telco/customers/{CUSTOMER}/identification-processes");
    let (status, headers, body) = raw(addr, reqwest::Method::DELETE, &path, true).await;
    assert_eq!(status, 405);
    let allow = headers
        .get("allow")
        .expect("Allow header")
        .to_str()
        .unwrap();
    assert!(allow.contains("GET"), "{allow}");
    assert!(body.is_empty(), "405 is declared without a body: {body}");
}

/// A status the spec does not declare is an error that keeps status and
/// body; a declared status with an undecodable body is one too.
#[tokio::test]
async fn undeclared_status_and_bad_body_are_errors() {
    let app = axum::Router::new()
        .route(
            "/orgs/teapot/customers/{c}/identification-processes",
            axum::routing::get(|| async {
                (axum::http::StatusCode::IM_A_TEAPOT, "short and stout")
            }),
        )
        .route(
            "/orgs/garbled/customers/{c}/identification-processes",
            axum::routing::get(|| async { (axum::http::StatusCode::NOT_FOUND, "{not json") }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = Client::new(&format!("http://{addr}")).unwrap();

    match client
        .list_identification_processes(&list_params("teapot"))
        .await
    {
        Err(Error::UnexpectedStatus { status, body }) => {
            assert_eq!(status, 418);
            assert_eq!(body, b"short and stout");
        }
        other => panic!("expected UnexpectedStatus, got {other:?}"),
    }
    match client
        .list_identification_processes(&list_params("garbled"))
        .await
    {
        Err(Error::Decode { status, body, .. }) => {
            assert_eq!(status, 404);
            assert_eq!(body, b"{not json");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[test]
fn credentials_debug_redacts_secrets() {
    let credentials = Credentials {
        bearer_auth: Some("s3cr3t-token".to_owned()),
        auth_roles: Some("API_KEY".to_owned()),
    };
    let printed = format!("{credentials:?}");
    assert!(!printed.contains("s3cr3t"), "{printed}");
    let client = Client::new("http://127.0.0.1:1")
        .unwrap()
        .with_credentials(credentials);
    assert!(!format!("{client:?}").contains("s3cr3t"));
}

/// A credential presented wrongly is refused, even next to a valid one.
#[tokio::test]
async fn unreadable_authorization_gets_401() {
    let addr = serve().await;
    let path = format!("http://{addr}/orgs/telco/customers/{CUSTOMER}/identification-processes");
    for authorization in ["Bearer ", "Token abc", "garbage"] {
        let response = reqwest::Client::new()
            .get(&path)
            .header("x-auth-roles", "API_KEY")
            .header("authorization", authorization)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 401, "{authorization:?}");
        let error = decode_error(&response.text().await.unwrap());
        assert_eq!(error.code, "REJECTED_401");
    }
}

#[tokio::test]
async fn transport_failure_is_an_error() {
    // Bind and drop a listener: nothing listens on that port any more.
    let addr = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap()
        .local_addr()
        .unwrap();
    let client = Client::new(&format!("http://{addr}"))
        .unwrap()
        .with_credentials(api_key());
    let result = client
        .list_identification_processes(&list_params("telco"))
        .await;
    assert!(matches!(result, Err(Error::Transport(_))), "{result:?}");
}
