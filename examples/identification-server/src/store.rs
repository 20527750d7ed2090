//! The in-memory store, and the generated `Api` implemented on it.

use std::collections::HashMap;

use customer_identification_processes_server::types::operations::{
    get_identification_process, list_identification_processes,
};
use customer_identification_processes_server::types::{
    Credentials, ErrorResponse, GetIdentificationProcessResponse, IdentificationProcess,
    ListIdentificationProcessesResponse,
};
use customer_identification_processes_server::{Api, Rejection, Request};
use uuid::Uuid;

/// Identification processes by organization and customer.
pub struct Store {
    processes: HashMap<(String, Uuid), Vec<IdentificationProcess>>,
    token: Option<String>,
}

/// Why a request may not see the data.
enum Denied {
    Unauthorized,
    Forbidden,
}

impl Store {
    /// A store holding the seed's customer (org `telco`) and a few more.
    pub fn seeded(token: Option<String>) -> Self {
        let seeds: Vec<(&str, IdentificationProcess)> = vec![
            ("telco", process(SEED_PROCESS)),
            ("telco", process(RUNNING_OTP_PROCESS)),
            ("telco", process(FAILED_AGENT_PROCESS)),
            ("bank", process(OTHER_CUSTOMER_PROCESS)),
        ];
        let mut processes: HashMap<(String, Uuid), Vec<IdentificationProcess>> = HashMap::new();
        for (org, process) in seeds {
            processes
                .entry((org.to_owned(), process.customer_id))
                .or_default()
                .push(process);
        }
        Store { processes, token }
    }

    /// A bearer token, when presented, must match the one the server was
    /// started with (a wrong token is never rescued by another credential);
    /// otherwise `x-auth-roles` must include `API_KEY`.
    fn authorize(&self, credentials: &Credentials) -> Result<(), Denied> {
        if let Some(presented) = &credentials.bearer_auth {
            return match &self.token {
                Some(expected) if presented == expected => Ok(()),
                _ => Err(Denied::Unauthorized),
            };
        }
        match &credentials.auth_roles {
            Some(roles) if roles.split(',').any(|role| role.trim() == "API_KEY") => Ok(()),
            Some(_) => Err(Denied::Forbidden),
            None => Err(Denied::Unauthorized),
        }
    }

    fn customer(&self, org_id: &str, customer_id: Uuid) -> Option<&[IdentificationProcess]> {
        self.processes
            .get(&(org_id.to_owned(), customer_id))
            .map(Vec::as_slice)
    }
}

fn error(code: &str, message: impl Into<String>) -> ErrorResponse {
    ErrorResponse::new(code.to_owned(), message.into())
}

impl Api for Store {
    async fn get_identification_process(
        &self,
        request: Request<get_identification_process::Parameters>,
    ) -> get_identification_process::Response {
        use get_identification_process::Response;
        match self.authorize(&request.credentials) {
            Err(Denied::Unauthorized) => {
                return Response::Unauthorized(error("UNAUTHORIZED", "invalid credentials"))
            }
            Err(Denied::Forbidden) => {
                return Response::Forbidden(error("FORBIDDEN", "the API_KEY role is required"))
            }
            Ok(()) => {}
        }
        let p = &request.parameters;
        let Some(processes) = self.customer(&p.org_id, p.customer_id) else {
            return Response::NotFound(error("NOT_FOUND", "customer not found"));
        };
        match processes
            .iter()
            .find(|x| x.id == p.identification_process_id)
        {
            Some(process) => Response::Ok(GetIdentificationProcessResponse::new(process.clone())),
            None => Response::NotFound(error("NOT_FOUND", "identification process not found")),
        }
    }

    async fn list_identification_processes(
        &self,
        request: Request<list_identification_processes::Parameters>,
    ) -> list_identification_processes::Response {
        use list_identification_processes::Response;
        match self.authorize(&request.credentials) {
            Err(Denied::Unauthorized) => {
                return Response::Unauthorized(error("UNAUTHORIZED", "invalid credentials"))
            }
            Err(Denied::Forbidden) => {
                return Response::Forbidden(error("FORBIDDEN", "the API_KEY role is required"))
            }
            Ok(()) => {}
        }
        let p = &request.parameters;
        match self.customer(&p.org_id, p.customer_id) {
            Some(processes) => Response::Ok(ListIdentificationProcessesResponse::new(
                processes.to_vec(),
                processes.len() as i64,
            )),
            None => Response::NotFound(error("NOT_FOUND", "customer not found")),
        }
    }

    fn rejection_error_response(&self, rejection: &Rejection) -> ErrorResponse {
        let code = match rejection.kind.status() {
            401 => "UNAUTHORIZED",
            404 => "NOT_FOUND",
            _ => "BAD_REQUEST",
        };
        error(code, rejection.message.clone())
    }
}

/// Parses a seed; the seeds are constants, checked by the tests below.
fn process(json: &str) -> IdentificationProcess {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("invalid seed process: {e}"))
}

/// The seed's own example: customer 123e4567-..., process 4189285b-...
const SEED_PROCESS: &str = r#"{
  "id": "4189285b-08f8-4628-adda-4767d81362e7",
  "customer_id": "123e4567-e89b-12d3-a456-556642440000",
  "type": "IDENTITY_DOCUMENT",
  "status": "COMPLETED",
  "created_at": "2024-03-01T10:15:30Z",
  "updated_at": "2024-03-01T10:21:05Z",
  "completed_at": "2024-03-01T10:21:05Z",
  "expires_at": "2024-03-02T10:15:30Z",
  "identity_document": {"type": "NIF", "number": "12345678Z", "country": "ES", "expiration_date": "2030-06-30"},
  "attempts": [
    {"id": "d5e8a1b2-7c3f-4e9a-b6d1-2f8c4a7e9b30", "channel": "WEB", "result": "SUCCESS",
     "started_at": "2024-03-01T10:18:35Z", "finished_at": "2024-03-01T10:21:05Z",
     "duration": "PT2M30S", "score": 0.97}
  ],
  "max_attempts": 3,
  "metadata": {"store_id": "MAD-001"}
}"#;

const RUNNING_OTP_PROCESS: &str = r#"{
  "id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
  "customer_id": "123e4567-e89b-12d3-a456-556642440000",
  "type": "OTP",
  "status": "IN_PROGRESS",
  "created_at": "2024-05-10T08:00:00Z",
  "completed_at": null,
  "expires_at": "2024-05-10T08:15:00Z",
  "attempts": [
    {"id": "0f8fad5b-d9cb-469f-a165-70867728950e", "channel": "SMS", "result": "PENDING",
     "started_at": "2024-05-10T08:00:05Z"}
  ],
  "max_attempts": 3
}"#;

const FAILED_AGENT_PROCESS: &str = r#"{
  "id": "16fd2706-8baf-433b-82eb-8c7fada847da",
  "customer_id": "123e4567-e89b-12d3-a456-556642440000",
  "type": "AGENT",
  "status": "FAILED",
  "created_at": "2023-11-02T16:40:00Z",
  "completed_at": "2023-11-02T17:05:00Z",
  "expires_at": null,
  "failure_reason": "The agent could not match the customer's photo.",
  "attempts": [
    {"id": "886313e1-3b8a-5372-9b90-0c9aee199e5d", "channel": "AGENT", "result": "FAILURE",
     "started_at": "2023-11-02T16:45:00Z", "finished_at": "2023-11-02T17:05:00Z", "score": 0.12}
  ],
  "max_attempts": 1
}"#;

const OTHER_CUSTOMER_PROCESS: &str = r#"{
  "id": "a8098c1a-f86e-11da-bd1a-00112444be1e",
  "customer_id": "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
  "type": "IDENTITY_DOCUMENT",
  "status": "PENDING",
  "created_at": "2024-06-01T12:00:00Z",
  "expires_at": "2024-06-08T12:00:00Z",
  "attempts": [],
  "max_attempts": 5
}"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_parse_and_hold_the_seed_customer() {
        let store = Store::seeded(None);
        let telco = store
            .customer(
                "telco",
                Uuid::parse_str("123e4567-e89b-12d3-a456-556642440000").unwrap(),
            )
            .unwrap();
        assert_eq!(telco.len(), 3);
        assert!(telco
            .iter()
            .any(|p| p.id.to_string() == "4189285b-08f8-4628-adda-4767d81362e7"));
    }
}
