//! Changes that are additive on the wire are additive in Rust: a consumer
//! crate written against the crates of `spec/` (with an operation without
//! parameters added, which `spec/` lacks) compiles unchanged against the
//! crates of a copy that adds an optional property to a model, a response
//! status to an operation, a value to an enum, an optional query parameter
//! to an operation that has parameters and one to the operation that has
//! none.
//!
//! The consumer builds a model and a parameter struct, reads a nullable
//! property, matches a `Response` and an enum, calls the operation without
//! parameters with its empty `Parameters`, and implements the server
//! trait. It is checked (`cargo check`, offline, locked to the repository's
//! `Cargo.lock`) once against each version of the crates, in the target
//! directory the corpus harness, the combinations and the build-step tests
//! use, so the dependencies are built once for all of them.

use std::path::Path;

use apiforge_tests::{cargo_report, root, workspace};
use serde_json::{json, Value};

/// Written against the crates of `spec/`, and never changed for the new
/// ones: what a team depending on the crates has in its repository.
const CONSUMER: &str = r#"//! Uses the client and server crates as a team depending on them would.

use evolution_client::types::operations::{
    get_identification_process as get, get_service_status as service_status,
    list_identification_processes as list,
};
use evolution_client::types::uuid::Uuid;
use evolution_client::types::{
    ErrorResponse, IdentificationProcess, IdentificationProcessStatus, IdentityDocument,
    IdentityDocumentType,
};
use evolution_client::{Client, Error};
use evolution_server::{Api, Rejection, Request};

/// A model and a parameter struct, built with their constructors and setters.
pub fn build(customer: Uuid) -> (list::Parameters, ErrorResponse, IdentityDocument) {
    let parameters = list::Parameters::new("telco".to_owned(), customer);
    let error = ErrorResponse::new("NOT_FOUND".to_owned(), "no such process".to_owned())
        .with_details(vec!["checked twice".to_owned()]);
    let document = IdentityDocument::new(IdentityDocumentType::Nif, "1".to_owned(), "ES".to_owned());
    (parameters, error, document)
}

/// An operation without parameters, called with its empty `Parameters`.
pub async fn service_status(client: &Client) -> Result<u16, Error> {
    let response = client
        .get_service_status(&service_status::Parameters::new())
        .await?;
    Ok(response.status())
}

/// The same operation's request, built to call the trait directly.
pub fn service_status_request() -> Request<service_status::Parameters> {
    Request::new(service_status::Parameters::default(), ())
}

/// A nullable optional property, read with one call.
pub fn completed(process: &IdentificationProcess) -> Option<String> {
    process.completed_at.value().map(|at| at.to_rfc3339())
}

/// A `Response`, matched by its variants.
pub fn describe(response: &get::Response) -> String {
    match response {
        get::Response::Ok(found) => status(&found.identification_process.status).to_owned(),
        get::Response::NotFound(error) => format!("not found: {}", error.message),
        other => format!("HTTP {}", other.status()),
    }
}

/// An enum of values, matched by its variants.
pub fn status(status: &IdentificationProcessStatus) -> &'static str {
    match status {
        IdentificationProcessStatus::Pending => "pending",
        IdentificationProcessStatus::InProgress => "in progress",
        IdentificationProcessStatus::Completed => "completed",
        IdentificationProcessStatus::Failed => "failed",
        IdentificationProcessStatus::Expired => "expired",
        IdentificationProcessStatus::Cancelled => "cancelled",
        IdentificationProcessStatus::Unknown(_) => "unknown",
        _ => "other",
    }
}

/// The server trait, implemented.
pub struct Service;

impl Api for Service {
    async fn list_identification_processes(&self, request: Request<list::Parameters>) -> list::Response {
        let error = ErrorResponse::new("NOT_FOUND".to_owned(), request.parameters.org_id);
        list::Response::NotFound(error)
    }

    async fn get_identification_process(&self, _: Request<get::Parameters>) -> get::Response {
        get::Response::MethodNotAllowed
    }

    async fn get_service_status(&self, _: Request<service_status::Parameters>) -> service_status::Response {
        service_status::Response::NoContent
    }

    fn rejection_error_response(&self, rejection: &Rejection) -> ErrorResponse {
        ErrorResponse::new("BAD_REQUEST".to_owned(), rejection.message.clone())
    }
}
"#;

/// `spec/` with an operation without parameters: `GET /status`.
fn with_parameterless_operation(spec: &Value) -> Value {
    let mut spec = spec.clone();
    spec["paths"]["/status"] = json!({"get": {
        "operationId": "getServiceStatus",
        "summary": "Whether the service is up",
        "responses": {"204": {"description": "The service is up."}},
    }});
    spec
}

/// The old spec with an optional property, a response status, an enum
/// value and two optional query parameters added: one to an operation that
/// has parameters, the first of the operation that has none.
fn evolved(spec: &Value) -> Value {
    let mut spec = spec.clone();
    let schemas = &mut spec["components"]["schemas"];
    schemas["IdentityDocument"]["properties"]["issuing_authority"] =
        json!({"type": "string", "description": "Authority that issued the document."});
    schemas["IdentificationProcessStatus"]["enum"]
        .as_array_mut()
        .expect("an enum")
        .push(json!("ON_HOLD"));
    let paths = &mut spec["paths"];
    let get = &mut paths
        ["/orgs/{org_id}/customers/{customer_id}/identification-processes/{identification_process_id}"]
        ["get"];
    get["responses"]["429"] = json!({
        "description": "Too many requests",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}},
    });
    let list = &mut paths["/orgs/{org_id}/customers/{customer_id}/identification-processes"]["get"];
    list["parameters"] = json!([
        {"name": "status", "in": "query", "schema": {"$ref": "#/components/schemas/IdentificationProcessStatus"}},
    ]);
    paths["/status"]["get"]["parameters"] = json!([
        {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
    ]);
    spec
}

/// Generates the crates of `spec` into `dir`, with the consumer beside
/// them, as one workspace.
fn workspace_with_consumer(dir: &Path, spec: &Value) -> apiforge::Output {
    let text = serde_json::to_string_pretty(spec).expect("the spec serializes");
    let output =
        apiforge::generate_from_str(&text, "evolution.json", Some("evolution")).expect("generates");
    apiforge::write::write(dir, &output).expect("write the crates");
    let consumer = dir.join("consumer");
    std::fs::create_dir_all(consumer.join("src")).expect("create the consumer");
    std::fs::write(
        consumer.join("Cargo.toml"),
        "[package]\nname = \"consumer\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
         [dependencies]\nevolution-client = { path = \"../evolution-client\" }\n\
         evolution-server = { path = \"../evolution-server\" }\n",
    )
    .expect("write the consumer's manifest");
    std::fs::write(consumer.join("src/lib.rs"), CONSUMER).expect("write the consumer");
    workspace(
        dir,
        &[
            "evolution-types",
            "evolution-server",
            "evolution-client",
            "consumer",
        ],
    );
    output
}

/// The text of a generated file.
fn file<'a>(output: &'a apiforge::Output, path: &str) -> &'a str {
    &output.files[Path::new(path)]
}

#[test]
fn a_consumer_of_the_old_crates_compiles_against_crates_with_additive_changes() {
    let text = std::fs::read_to_string(root().join("spec/customer-identification-processes.yaml"))
        .expect("spec readable");
    let spec: Value = serde_yaml::from_str(&text).expect("spec parses");
    let spec = with_parameterless_operation(&spec);
    let work = tempfile::tempdir().expect("temp dir");
    let (old_dir, new_dir) = (work.path().join("old"), work.path().join("new"));
    let old = workspace_with_consumer(&old_dir, &spec);
    let new = workspace_with_consumer(&new_dir, &evolved(&spec));

    // The new crates do have each change: a field, a variant, a value, two
    // parameters (and the old ones do not).
    let models = "evolution-types/src/models.rs";
    let operations = "evolution-types/src/operations.rs";
    for (output, changed) in [(&old, false), (&new, true)] {
        assert_eq!(
            file(output, models).contains("pub issuing_authority: Option<String>,"),
            changed
        );
        assert_eq!(file(output, models).contains("OnHold,"), changed);
        assert_eq!(
            file(output, operations).contains("TooManyRequests("),
            changed
        );
        assert_eq!(
            file(output, operations)
                .contains("pub status: Option<crate::IdentificationProcessStatus>,"),
            changed
        );
        assert_eq!(
            file(output, operations).contains("pub verbose: Option<bool>,"),
            changed
        );
        // Empty in the old crates: what the consumer builds and implements.
        assert_eq!(
            file(output, operations).contains("pub struct Parameters {}"),
            !changed
        );
    }

    let target = root().join("target/corpus/target");
    for dir in [&old_dir, &new_dir] {
        let (checked, report) =
            cargo_report(dir, &target, &["check", "--offline", "-p", "consumer"]);
        assert!(checked, "{}: {report}", dir.display());
    }
}
