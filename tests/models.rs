//! The model types against the spec: every `example` deserializes into its
//! type and serializes back to equal JSON, and arbitrary values round-trip.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use customer_identification_processes_server::types::*;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

fn schemas() -> serde_json::Map<String, Value> {
    let text = std::fs::read_to_string(
        apiforge_tests::root().join("spec/customer-identification-processes.yaml"),
    )
    .expect("spec readable");
    let spec: Value = serde_yaml::from_str(&text).expect("spec parses");
    spec["components"]["schemas"]
        .as_object()
        .cloned()
        .expect("schemas")
}

fn example_round_trips<T: Serialize + DeserializeOwned>(
    schemas: &serde_json::Map<String, Value>,
    name: &str,
) {
    let example = schemas[name]
        .get("example")
        .unwrap_or_else(|| panic!("{name} has no example"))
        .clone();
    let value: T = serde_json::from_value(example.clone())
        .unwrap_or_else(|e| panic!("{name}'s example does not deserialize: {e}"));
    let back = serde_json::to_value(&value).expect("serializes");
    assert_eq!(back, example, "{name}'s example changed in a round trip");
}

#[test]
fn every_example_round_trips() {
    let schemas = schemas();
    let mut checked = Vec::new();
    macro_rules! check {
        ($($ty:ident),* $(,)?) => {$(
            example_round_trips::<$ty>(&schemas, stringify!($ty));
            checked.push(stringify!($ty));
        )*};
    }
    check!(
        ErrorResponse,
        GetIdentificationProcessResponse,
        IdentificationAttempt,
        IdentificationAttemptResult,
        IdentificationProcess,
        IdentificationProcessStatus,
        IdentificationType,
        IdentityDocument,
        IdentityDocumentType,
        ListIdentificationProcessesResponse,
    );
    let mut with_examples: Vec<&str> = schemas
        .iter()
        .filter(|(_, s)| s.get("example").is_some())
        .map(|(name, _)| name.as_str())
        .collect();
    with_examples.sort_unstable();
    checked.sort_unstable();
    assert_eq!(checked, with_examples, "a schema's example is not checked");
}

/// A value added to an enum after this client was generated is kept, and
/// written back unchanged.
#[test]
fn unknown_enum_values_are_kept() {
    let status: IdentificationProcessStatus = serde_json::from_str("\"ON_HOLD\"").unwrap();
    assert_eq!(
        status,
        IdentificationProcessStatus::Unknown("ON_HOLD".to_owned())
    );
    assert_eq!(serde_json::to_string(&status).unwrap(), "\"ON_HOLD\"");
    assert_eq!(status.as_str(), "ON_HOLD");
    let known: IdentificationProcessStatus = serde_json::from_str("\"IN_PROGRESS\"").unwrap();
    assert_eq!(known, IdentificationProcessStatus::InProgress);
    assert_eq!(known.as_str(), "IN_PROGRESS");
}

/// Absent, null and a value are three states for an optional nullable field.
#[test]
fn optional_nullable_fields_keep_null_apart_from_absent() {
    let mut example = schemas()["IdentificationProcess"]["example"].clone();
    let object = example.as_object_mut().unwrap();
    object.insert("completed_at".into(), Value::Null);
    let explicit_null: IdentificationProcess = serde_json::from_value(example.clone()).unwrap();
    assert_eq!(explicit_null.completed_at, Nullable::Null);
    assert!(explicit_null.completed_at.is_null());
    assert_eq!(explicit_null.completed_at.value(), None);
    assert_eq!(
        serde_json::to_value(&explicit_null).unwrap()["completed_at"],
        Value::Null
    );

    example.as_object_mut().unwrap().remove("completed_at");
    let absent: IdentificationProcess = serde_json::from_value(example.clone()).unwrap();
    assert_eq!(absent.completed_at, Nullable::Absent);
    assert!(absent.completed_at.is_absent());
    assert!(serde_json::to_value(&absent)
        .unwrap()
        .get("completed_at")
        .is_none());

    // A value is read with one call.
    example
        .as_object_mut()
        .unwrap()
        .insert("completed_at".into(), "2024-03-01T10:21:05Z".into());
    let value: IdentificationProcess = serde_json::from_value(example).unwrap();
    assert_eq!(
        value.completed_at.value().map(|at| at.to_rfc3339()),
        Some("2024-03-01T10:21:05+00:00".to_owned())
    );
    // The setter takes `None` for `null`; unset, the property is not sent.
    let cleared = value.clone().with_completed_at(None);
    assert_eq!(
        serde_json::to_value(&cleared).unwrap()["completed_at"],
        Value::Null
    );
}

fn uuid() -> impl Strategy<Value = Uuid> {
    any::<u128>().prop_map(Uuid::from_u128)
}

fn timestamp() -> impl Strategy<Value = DateTime<Utc>> {
    // Whole seconds up to year 9999, and sub-second precision.
    (0i64..253_402_300_799, 0u32..1_000_000_000)
        .prop_map(|(secs, nanos)| Utc.timestamp_opt(secs, nanos).single().unwrap_or_default())
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (1i32..9999, 1u32..=12, 1u32..=28)
        .prop_map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default())
}

fn text() -> impl Strategy<Value = String> {
    "\\PC{0,12}"
}

fn identification_type() -> impl Strategy<Value = IdentificationType> {
    prop_oneof![
        Just(IdentificationType::Otp),
        Just(IdentificationType::Agent),
        Just(IdentificationType::IdentityDocument),
        "[A-Z_]{1,10}"
            .prop_filter("not a listed value", |v| ![
                "OTP",
                "AGENT",
                "IDENTITY_DOCUMENT"
            ]
            .contains(&v.as_str()))
            .prop_map(IdentificationType::Unknown),
    ]
}

fn status() -> impl Strategy<Value = IdentificationProcessStatus> {
    prop_oneof![
        Just(IdentificationProcessStatus::Pending),
        Just(IdentificationProcessStatus::InProgress),
        Just(IdentificationProcessStatus::Completed),
        Just(IdentificationProcessStatus::Failed),
        Just(IdentificationProcessStatus::Expired),
        Just(IdentificationProcessStatus::Cancelled),
    ]
}

fn document() -> impl Strategy<Value = IdentityDocument> {
    (
        prop_oneof![
            Just(IdentityDocumentType::Nif),
            Just(IdentityDocumentType::Nie),
            Just(IdentityDocumentType::Passport),
            Just(IdentityDocumentType::IdentityCard),
        ],
        text(),
        "[A-Z]{2}",
        proptest::option::of(date()),
    )
        .prop_map(|(r#type, number, country, expiration_date)| {
            let mut document = IdentityDocument::new(r#type, number, country);
            document.expiration_date = expiration_date;
            document
        })
}

fn attempt() -> impl Strategy<Value = IdentificationAttempt> {
    (
        uuid(),
        prop_oneof![
            Just(IdentificationAttemptChannel::Web),
            Just(IdentificationAttemptChannel::App),
            Just(IdentificationAttemptChannel::Agent),
            Just(IdentificationAttemptChannel::Sms),
        ],
        prop_oneof![
            Just(IdentificationAttemptResult::Success),
            Just(IdentificationAttemptResult::Failure),
            Just(IdentificationAttemptResult::Pending),
        ],
        timestamp(),
        proptest::option::of(timestamp()),
        proptest::option::of("PT[0-9]{1,2}M[0-9]{1,2}S"),
        proptest::option::of(-1.0e6f64..1.0e6),
    )
        .prop_map(
            |(id, channel, result, started_at, finished_at, duration, score)| {
                let mut attempt = IdentificationAttempt::new(id, channel, result, started_at);
                attempt.finished_at = finished_at;
                attempt.duration = duration;
                attempt.score = score;
                attempt
            },
        )
}

prop_compose! {
    fn identification_process()(
        (id, customer_id, r#type, status) in (uuid(), uuid(), identification_type(), status()),
        (created_at, updated_at, completed_at, expires_at) in (
            timestamp(),
            proptest::option::of(timestamp()),
            proptest::option::of(proptest::option::of(timestamp())),
            proptest::option::of(timestamp()),
        ),
        failure_reason in proptest::option::of(proptest::option::of(text())),
        identity_document in proptest::option::of(document()),
        attempts in proptest::collection::vec(attempt(), 0..3),
        max_attempts in any::<i32>(),
        metadata in proptest::option::of(proptest::collection::btree_map(text(), text(), 0..3)),
    ) -> IdentificationProcess {
        let mut process = IdentificationProcess::new(
            id, customer_id, r#type, status, created_at, expires_at, attempts, max_attempts,
        );
        process.updated_at = updated_at;
        process.completed_at = completed_at.map_or(Nullable::Absent, Nullable::from);
        process.failure_reason = failure_reason.map_or(Nullable::Absent, Nullable::from);
        process.identity_document = identity_document;
        process.metadata = metadata.map(|m: BTreeMap<String, String>| m);
        process
    }
}

fn round_trips<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    value: &T,
) -> Result<(), TestCaseError> {
    let json = serde_json::to_string(value).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back: T =
        serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
    prop_assert_eq!(&back, value);
    Ok(())
}

proptest! {
    #[test]
    fn processes_round_trip(process in identification_process()) {
        round_trips(&process)?;
        round_trips(&GetIdentificationProcessResponse::new(process))?;
    }

    #[test]
    fn lists_round_trip(processes in proptest::collection::vec(identification_process(), 0..3), total in any::<i64>()) {
        round_trips(&ListIdentificationProcessesResponse::new(processes, total))?;
    }

    #[test]
    fn errors_round_trip(code in text(), message in text(), details in proptest::option::of(proptest::collection::vec(text(), 0..3))) {
        let mut error = ErrorResponse::new(code, message);
        error.details = details;
        round_trips(&error)?;
    }
}
