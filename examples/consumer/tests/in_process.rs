//! `processes_of` tested against a fake of the API, in this process: the
//! client sends its requests to the generated server's router over
//! `FakeApi` (`Client::with_service`), so no socket is opened and each test
//! decides what the API answers.

use identification_consumer::{client::Client, processes_of, types, Failure};
use identification_server_crate::types::operations::{
    get_identification_process, list_identification_processes,
};
use identification_server_crate::{router, Api, Rejection, Request};
use serde_json::json;

/// Answers the list with `list` (a JSON response body) for customer
/// `CUSTOMER`, a 404 for anyone else, and a 503 when `down`.
struct FakeApi {
    list: serde_json::Value,
    down: bool,
}

const CUSTOMER: &str = "123e4567-e89b-12d3-a456-556642440000";

fn error(code: &str) -> identification_server_crate::types::ErrorResponse {
    serde_json::from_value(json!({"code": code, "message": code})).expect("an ErrorResponse")
}

impl Api for FakeApi {
    async fn list_identification_processes(
        &self,
        request: Request<list_identification_processes::Parameters>,
    ) -> list_identification_processes::Response {
        use list_identification_processes::Response;
        if self.down {
            return Response::ServiceUnavailable(error("UNAVAILABLE"));
        }
        if request.parameters.customer_id.to_string() != CUSTOMER {
            return Response::NotFound(error("NOT_FOUND"));
        }
        Response::Ok(serde_json::from_value(self.list.clone()).expect("a list"))
    }

    async fn get_identification_process(
        &self,
        _request: Request<get_identification_process::Parameters>,
    ) -> get_identification_process::Response {
        get_identification_process::Response::NotFound(error("NOT_FOUND"))
    }

    fn rejection_error_response(
        &self,
        rejection: &Rejection,
    ) -> identification_server_crate::types::ErrorResponse {
        error(&rejection.to_string())
    }
}

/// A client of `api` with credentials, and no retries (a 503 is the
/// answer at once).
fn client_of(api: FakeApi) -> Client {
    let credentials = types::Credentials {
        bearer_auth: Some("token".to_owned()),
        ..Default::default()
    };
    Client::with_service("http://localhost", router(api))
        .expect("a valid base URL")
        .with_credentials(credentials)
        .with_retry(identification_consumer::client::RetryPolicy::none())
}

fn process(id: &str, status: &str) -> serde_json::Value {
    json!({
        "id": id,
        "customer_id": CUSTOMER,
        "type": "OTP",
        "status": status,
        "expires_at": null,
        "created_at": "2024-01-01T00:00:00Z",
        "max_attempts": 3,
        "attempts": [],
    })
}

#[tokio::test]
async fn processes_come_back_in_the_order_the_api_sends_them() {
    let list = json!({
        "identification_processes": [
            process("4189285b-08f8-4628-adda-4767d81362e7", "COMPLETED"),
            process("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "PENDING"),
        ],
        "total": 2,
    });
    let client = client_of(FakeApi { list, down: false });
    let processes = processes_of(&client, "telco", CUSTOMER.parse().expect("uuid"))
        .await
        .expect("the fake's processes");
    let ids: Vec<String> = processes.iter().map(|p| p.id.to_string()).collect();
    assert_eq!(
        ids,
        [
            "4189285b-08f8-4628-adda-4767d81362e7",
            "6ba7b810-9dad-11d1-80b4-00c04fd430c8"
        ]
    );
}

#[tokio::test]
async fn declared_statuses_other_than_200_are_failures_with_their_status() {
    let empty = json!({"identification_processes": [], "total": 0});
    let client = client_of(FakeApi {
        list: empty.clone(),
        down: false,
    });
    let unknown = "6ba7b810-9dad-11d1-80b4-00c04fd430c9"
        .parse()
        .expect("uuid");
    match processes_of(&client, "telco", unknown).await {
        Err(Failure::Status(404)) => {}
        other => panic!("expected 404, got {other:?}"),
    }
    let down = client_of(FakeApi {
        list: empty,
        down: true,
    });
    match processes_of(&down, "telco", CUSTOMER.parse().expect("uuid")).await {
        Err(Failure::Status(503)) => {}
        other => panic!("expected 503, got {other:?}"),
    }
}
