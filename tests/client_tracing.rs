//! The generated client's `tracing` feature: each call's span, read by a
//! subscriber that keeps the fields of every span. A test binary of its
//! own: tracing caches whether a callsite is of interest process-wide, and
//! calls of other tests, without a subscriber, would race with it.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

use operations_client::types::operations::get_note;
use operations_client::Client;

/// Each span's name and fields, by id.
type Spans = Arc<Mutex<BTreeMap<u64, (String, BTreeMap<String, String>)>>>;

#[derive(Default)]
struct Recorder {
    spans: Spans,
    next: AtomicU64,
}

struct Fields<'a>(&'a mut BTreeMap<String, String>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0.insert(field.name().to_owned(), format!("{value:?}"));
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().to_owned(), value.to_owned());
    }
}

impl Subscriber for Recorder {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        let mut fields = BTreeMap::new();
        span.record(&mut Fields(&mut fields));
        let name = span.metadata().name().to_owned();
        self.spans.lock().unwrap().insert(id, (name, fields));
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut spans = self.spans.lock().unwrap();
        if let Some((_, fields)) = spans.get_mut(&span.into_u64()) {
            values.record(&mut Fields(fields));
        }
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, _: &Event<'_>) {}

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn each_call_has_a_span_with_its_operation_route_status_and_duration() {
    let recorder = Recorder::default();
    let spans = recorder.spans.clone();
    let _default = tracing::subscriber::set_default(recorder);
    // Another test's call, without a subscriber, may have cached the
    // callsite as uninteresting.
    tracing::callsite::rebuild_interest_cache();
    let app = axum::Router::new().route(
        "/notes/{id}",
        axum::routing::get(|| async {
            (
                [("content-type", "application/json")],
                r#"{"text":"hello"}"#,
            )
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = Client::new(&format!("http://{addr}")).unwrap();
    let parameters = get_note::Parameters::new(7, "trace".to_owned());
    client.get_note(&parameters).await.unwrap();
    let spans = spans.lock().unwrap();
    let (name, fields) = spans
        .values()
        .find(|(name, _)| name == "call")
        .unwrap_or_else(|| panic!("no call span in {spans:?}"));
    assert_eq!(name, "call");
    assert_eq!(fields["operation"], "getNote");
    assert_eq!(fields["method"], "GET");
    assert_eq!(fields["route"], "/notes/{id}");
    assert_eq!(fields["status"], "200");
    assert!(fields["duration_ms"].parse::<u64>().is_ok(), "{fields:?}");
    assert!(!fields.contains_key("error"));
}
