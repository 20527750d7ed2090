//! Constraints over real HTTP: the server generated from
//! `tests/fixtures/constraints.yaml` (with the example implementation in
//! `examples/constraints-example`) on 127.0.0.1:0, sent requests that break
//! each keyword on a path, query or header parameter and in a nested JSON
//! body, and valid ones. A violation is the operation's declared 400, whose
//! message names the field and the rule; a valid request reaches the
//! implementation. The client checks the same before sending.

use std::net::SocketAddr;

use constraints_client::types::operations::create_order;
use constraints_client::types::validate::Validate;
use constraints_client::types::{validate, Order};
use serde_json::{json, Value};

async fn serve() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(async move {
        axum::serve(listener, constraints_example::app())
            .await
            .expect("serve");
    });
    addr
}

/// A valid order: every constrained field present and within its bounds.
fn order() -> Value {
    json!({
        "code": "ABC-123",
        "quantity": 2,
        "price": 9.99,
        "note": "fragile",
        "lines": [{"sku": "s1", "amount": 10, "weights": [1.5, 2.0]}],
        "aliases": ["ab", null],
        "labels": {"colour": "red"},
    })
}

/// Sends `POST /shelves/{shelf}/orders?{query}` with `header` and `body`:
/// the status and the JSON body of the answer.
async fn post(
    addr: SocketAddr,
    shelf: &str,
    query: &str,
    header: Option<&str>,
    body: &Value,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .post(format!("http://{addr}/shelves/{shelf}/orders?{query}"))
        .header("content-type", "application/json")
        .body(body.to_string());
    if let Some(trace) = header {
        request = request.header("x-trace", trace);
    }
    let response = request.send().await.expect("sent");
    let status = response.status().as_u16();
    (status, json_of(response).await)
}

/// The JSON body of `response`.
async fn json_of(response: reqwest::Response) -> Value {
    let text = response.text().await.expect("a body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// The 400 answer's message, after checking it is a 400.
fn rejected((status, body): (u16, Value)) -> String {
    assert_eq!(status, 400, "{body}");
    body["message"].as_str().expect("a message").to_owned()
}

/// `order()` with `pointer` set to `value` (a property added when its
/// object has none of that name).
fn order_with(pointer: &str, value: Value) -> Value {
    let mut order = order();
    let (parent, last) = pointer.rsplit_once('/').expect("a pointer");
    match order.pointer_mut(parent).expect("a place of the order") {
        Value::Object(object) => {
            object.insert(last.to_owned(), value);
        }
        other => other[last.parse::<usize>().expect("an index")] = value,
    }
    order
}

#[tokio::test]
async fn valid_requests_reach_the_implementation() {
    let addr = serve().await;
    let query = "limit=100&step=5&ratio=0.5&tags=a&tags=bb";
    let (status, body) = post(addr, "main-1", query, Some("0123abcd"), &order()).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body, order());
    // Optional parameters and fields left out check nothing.
    let minimal = json!({"code": "XYZ-000", "quantity": 1000, "lines": [{"sku": "a"}]});
    let (status, body) = post(addr, "ab", "", None, &minimal).await;
    assert_eq!(status, 201, "{body}");
    let notes = reqwest::Client::new()
        .put(format!("http://{addr}/notes"))
        .header("content-type", "application/json")
        .body(json!(["one", "two"]).to_string())
        .send()
        .await
        .expect("sent");
    assert_eq!(notes.status(), 204);
}

#[tokio::test]
async fn parameters_that_break_a_constraint_are_the_declared_400() {
    let addr = serve().await;
    let body = order();
    let cases: &[(&str, &str, Option<&str>, &str)] = &[
        (
            "A",
            "",
            None,
            "invalid path parameter `shelf`: `/shelf` must be at least 2 characters long (`minLength`); \
             `/shelf` must match `^[a-z0-9-]+$` (`pattern`)",
        ),
        (
            "far-too-long",
            "",
            None,
            "invalid path parameter `shelf`: `/shelf` must be at most 8 characters long (`maxLength`)",
        ),
        ("main", "limit=0", None, "invalid query parameter `limit`: `/limit` must be at least 1 (`minimum`)"),
        ("main", "limit=101", None, "invalid query parameter `limit`: `/limit` must be at most 100 (`maximum`)"),
        ("main", "step=0", None, "invalid query parameter `step`: `/step` must be greater than 0 (`exclusiveMinimum`)"),
        ("main", "step=7", None, "invalid query parameter `step`: `/step` must be a multiple of 5 (`multipleOf`)"),
        ("main", "ratio=1", None, "invalid query parameter `ratio`: `/ratio` must be less than 1 (`exclusiveMaximum`)"),
        ("main", "ratio=-0.5", None, "invalid query parameter `ratio`: `/ratio` must be at least 0 (`minimum`)"),
        (
            "main",
            "tags=a&tags=b&tags=c&tags=d",
            None,
            "invalid query parameter `tags`: `/tags` must have at most 3 items (`maxItems`)",
        ),
        ("main", "tags=a&tags=a", None, "invalid query parameter `tags`: `/tags/1` must not repeat an earlier item (`uniqueItems`)"),
        ("main", "tags=toolong", None, "invalid query parameter `tags`: `/tags/0` must be at most 5 characters long (`maxLength`)"),
        (
            "main",
            "",
            Some("not-hex!"),
            "invalid header parameter `X-Trace`: `/X-Trace` must match `^[0-9a-f]{8}$` (`pattern`)",
        ),
    ];
    for (shelf, query, header, message) in cases {
        let answer = post(addr, shelf, query, *header, &body).await;
        assert_eq!(rejected(answer), *message, "{shelf}?{query} {header:?}");
    }
}

#[tokio::test]
async fn bodies_that_break_a_constraint_are_the_declared_400_naming_the_place() {
    let addr = serve().await;
    let cases: Vec<(Value, &str)> = vec![
        (
            order_with("/code", json!("abc-123")),
            "`/code` must match `^[A-Z]{3}-[0-9]{3}$` (`pattern`)",
        ),
        (
            order_with("/quantity", json!(0)),
            "`/quantity` must be at least 1 (`minimum`)",
        ),
        (
            order_with("/alternate", json!("ABC-1234")),
            "`/alternate` must match `^[A-Z]{3}-[0-9]{3}$` (`pattern`); \
             `/alternate` must be at most 6 characters long (`maxLength`)",
        ),
        (
            order_with("/price", json!(10000)),
            "`/price` must be less than 10000 (`exclusiveMaximum`)",
        ),
        (
            order_with("/price", json!(0.005)),
            "`/price` must be a multiple of 0.01 (`multipleOf`)",
        ),
        (
            order_with("/note", json!("")),
            "`/note` must be at least 1 characters long (`minLength`)",
        ),
        (
            order_with("/lines", json!([])),
            "`/lines` must have at least 1 items (`minItems`)",
        ),
        (
            order_with("/lines/0/sku", json!("")),
            "`/lines/0/sku` must be at least 1 characters long (`minLength`)",
        ),
        (
            order_with("/lines/0/amount", json!(7)),
            "`/lines/0/amount` must be a multiple of 5 (`multipleOf`)",
        ),
        (
            order_with("/lines/0/amount", json!(-10)),
            "`/lines/0/amount` must be at least -5 (`minimum`)",
        ),
        (
            order_with("/lines/0/weights", json!([1.0, 1.0])),
            "`/lines/0/weights/1` must not repeat an earlier item (`uniqueItems`)",
        ),
        (
            order_with("/lines/0/weights/0", json!(-1)),
            "`/lines/0/weights/0` must be at least 0 (`minimum`)",
        ),
        (
            order_with("/lines/0/extra", json!(true)),
            "`/lines/0` must have at most 3 properties (`maxProperties`)",
        ),
        (
            order_with("/aliases/0", json!("too long")),
            "`/aliases/0` must be at most 5 characters long (`maxLength`)",
        ),
        (
            order_with("/aliases/0", json!(null)),
            "`/aliases/1` must not repeat an earlier item (`uniqueItems`)",
        ),
        (
            order_with("/labels", json!({})),
            "`/labels` must have at least 1 properties (`minProperties`)",
        ),
        (
            order_with(
                "/labels",
                json!({"a": "1", "b": "2", "c": "3", "d": "4", "e": "5"}),
            ),
            "`/labels` must have at most 4 properties (`maxProperties`)",
        ),
        (
            order_with("/labels/colour", json!("far too long a colour")),
            "`/labels/colour` must be at most 10 characters long (`maxLength`)",
        ),
    ];
    for (body, violation) in cases {
        let answer = post(addr, "main", "", None, &body).await;
        assert_eq!(
            rejected(answer),
            format!("invalid body: {violation}"),
            "{body}"
        );
    }
    // Every violation is named, in the order of the fields.
    let mut body = order_with("/quantity", json!(0));
    body["code"] = json!("nope");
    let message = rejected(post(addr, "main", "", None, &body).await);
    assert_eq!(
        message,
        "invalid body: `/code` must match `^[A-Z]{3}-[0-9]{3}$` (`pattern`); \
         `/quantity` must be at least 1 (`minimum`)"
    );
    // A body that is an array of an alias with constraints.
    let client = reqwest::Client::new();
    for (notes, violation) in [
        (
            json!(["a", "b", "c"]),
            "must have at most 2 items (`maxItems`)",
        ),
        (
            json!(["a", ""]),
            "`/1` must be at least 1 characters long (`minLength`)",
        ),
    ] {
        let response = client
            .put(format!("http://{addr}/notes"))
            .header("content-type", "application/json")
            .body(notes.to_string())
            .send()
            .await
            .expect("sent");
        let status = response.status().as_u16();
        let body = json_of(response).await;
        let message = rejected((status, body));
        assert_eq!(message, format!("invalid body: {violation}"), "{notes}");
    }
}

#[test]
fn the_client_checks_a_request_before_sending_it() {
    let parameters = create_order::Parameters::new("A".to_owned()).with_limit(0);
    let violations = parameters.validate().expect_err("two violations");
    let found: Vec<(&str, &str)> = violations
        .0
        .iter()
        .map(|v| (v.path.as_str(), v.rule))
        .collect();
    assert_eq!(
        found,
        [
            ("/shelf", "minLength"),
            ("/shelf", "pattern"),
            ("/limit", "minimum")
        ]
    );
    let order: Order = serde_json::from_value(order()).expect("an order");
    assert_eq!(order.validate(), Ok(()));
    assert_eq!(validate::create_order_body(&order), Ok(()));
    let order: Order =
        serde_json::from_value(order_with("/lines/0/sku", json!(""))).expect("an order");
    let violations = validate::create_order_body(&order).expect_err("a violation");
    assert_eq!(violations.0[0].path, "/lines/0/sku");
    assert_eq!(
        violations.to_string(),
        "`/lines/0/sku` must be at least 1 characters long (`minLength`)"
    );
}
