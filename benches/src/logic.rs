//! The "business logic" both servers call: cheap and identical, so that the
//! benchmark measures the plumbing around it.

use chrono::{TimeZone, Utc};
use customer_identification_processes_server::types::{
    ErrorResponse, GetIdentificationProcessResponse, IdentificationAttempt,
    IdentificationAttemptChannel, IdentificationAttemptResult, IdentificationProcess,
    IdentificationProcessStatus, IdentificationType, IdentityDocument, IdentityDocumentType,
    ListIdentificationProcessesResponse,
};
use uuid::Uuid;

/// How many processes a `list` answer carries (about 5 KB of JSON).
pub const LIST_LENGTH: usize = 8;

/// The identification process `process_id` of `customer_id`: a completed
/// identity-document check with two attempts (about 700 bytes of JSON).
pub fn process(customer_id: Uuid, process_id: Uuid) -> IdentificationProcess {
    let at = |minute: u32| Utc.with_ymd_and_hms(2026, 11, 27, 10, minute, 0).unwrap();
    let attempt = |n: u128, result, minute| {
        IdentificationAttempt::new(
            Uuid::from_u128(n),
            IdentificationAttemptChannel::Web,
            result,
            at(minute),
        )
        .with_finished_at(at(minute + 1))
        .with_duration("PT1M".to_owned())
        .with_score(0.93)
    };
    let mut document = IdentityDocument::new(
        IdentityDocumentType::Passport,
        "PAB123456".to_owned(),
        "ES".to_owned(),
    );
    document.expiration_date = chrono::NaiveDate::from_ymd_opt(2030, 1, 31);
    IdentificationProcess::new(
        process_id,
        customer_id,
        IdentificationType::IdentityDocument,
        IdentificationProcessStatus::Completed,
        at(0),
        None,
        vec![
            attempt(1, IdentificationAttemptResult::Failure, 1),
            attempt(2, IdentificationAttemptResult::Success, 3),
        ],
        3,
    )
    .with_updated_at(at(5))
    .with_completed_at(Some(at(5)))
    .with_identity_document(document)
    .with_metadata([("channel".to_owned(), "web".to_owned())].into())
}

/// The answer of `get`.
pub fn get(customer_id: Uuid, process_id: Uuid) -> GetIdentificationProcessResponse {
    GetIdentificationProcessResponse::new(process(customer_id, process_id))
}

/// The answer of `list`: [`LIST_LENGTH`] processes.
pub fn list(customer_id: Uuid) -> ListIdentificationProcessesResponse {
    ListIdentificationProcessesResponse::new(
        (0..LIST_LENGTH)
            .map(|n| process(customer_id, Uuid::from_u128(1000 + n as u128)))
            .collect(),
        LIST_LENGTH as i64,
    )
}

/// The body of every `400` and `401` answer.
pub fn error(code: &str, message: String) -> ErrorResponse {
    ErrorResponse::new(code.to_owned(), message)
}
