//! Names a spec chooses for its schemas and operations are names in the
//! generated code's scopes: a schema named `From`, `Default` or `N`, an
//! operation named `std`, `serde` or `operations`, must not change what the
//! code around them means. One spec gives a schema the name of every item
//! of Rust's prelude and of the generated code's own vocabulary (helpers,
//! generic parameters, the crates it uses), an operation the name of each
//! crate and module the generated code names, and chains its schemas more
//! levels deep than the compiler's default `recursion_limit`. The three
//! crates are built, linted, documented and tested (doctests included):
//! nothing may fail or warn.
//!
//! The crates build in `target/hostile-docs`, the target directory of the
//! doc injection test, so the two share their dependencies' builds.

use std::path::Path;

use serde_json::{json, Map, Value};

/// Schema names: the prelude's types, traits and variants, what generated
/// code names unqualified, and single letters (generic parameters).
const SCHEMA_NAMES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    "Debug",
    "Display",
    "Formatter",
    "Hash",
    "Error",
    "Value",
    "Map",
    "Deserialize",
    "Deserializer",
    "Serialize",
    "Serializer",
    "Visitor",
    "MapAccess",
    "Pin",
    "Arc",
    "Cow",
    "BTreeMap",
    "Request",
    "Response",
    "Router",
    "State",
    "Json",
    "Body",
    "Client",
    "Method",
    "StatusCode",
    "HeaderMap",
    "Rejection",
    "Input",
    "Parts",
    "Api",
    "Operation",
    "Key",
    "Credentials",
    "Nullable",
    "Violation",
    "Violations",
    "Path",
    "A",
    "B",
    "D",
    "E",
    "K",
    "M",
    "N",
    "O",
    "P",
    "R",
    "S",
    "T",
    "V",
    "W",
];

/// Operation names: the crates and modules generated code names by path.
const OPERATION_NAMES: &[&str] = &[
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "serde_urlencoded",
    "chrono",
    "axum",
    "reqwest",
    "http",
    "hyper",
    "tokio",
    "tower",
    "tracing",
    "types",
    "operations",
    "models",
    "validate",
    "api",
    "router",
    "client",
    "extract",
    "rejection",
    "request",
    "response",
];

/// The spec: every schema an object whose `next` is the following schema
/// (the last's is the first), so the types nest as deep as there are names.
fn spec() -> Value {
    let mut schemas = Map::new();
    for (index, name) in SCHEMA_NAMES.iter().enumerate() {
        let next = SCHEMA_NAMES[(index + 1) % SCHEMA_NAMES.len()];
        schemas.insert(
            (*name).to_owned(),
            json!({
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer"},
                    "note": {"type": "string"},
                    "maybe": {"type": "string", "nullable": true},
                    "next": {"$ref": format!("#/components/schemas/{next}")},
                },
            }),
        );
    }
    schemas.insert(
        "Either".to_owned(),
        json!({"oneOf": [
            {"$ref": "#/components/schemas/N"},
            {"$ref": "#/components/schemas/From"},
        ]}),
    );
    let mut paths = Map::new();
    for (index, name) in OPERATION_NAMES.iter().enumerate() {
        paths.insert(
            format!("/things{index}/{{id}}"),
            json!({"post": {
                "operationId": name,
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
                    {"name": "request", "in": "query", "schema": {"type": "string"}},
                ],
                "requestBody": {"required": true, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Default"},
                }}},
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Either"},
                    }}},
                    "400": {"description": "bad", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Error"},
                    }}},
                },
            }}),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "names", "version": "1.0.0"},
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

/// Runs `cargo <args>` in `dir` with the shared target directory.
fn cargo(dir: &Path, args: &[&str]) -> (bool, String) {
    let target = apiforge_tests::root().join("target/hostile-docs");
    apiforge_tests::cargo_report(dir, &target, args)
}

#[test]
fn names_from_the_spec_never_shadow_what_the_code_names() {
    let work = tempfile::tempdir().expect("temp dir");
    let spec_path = work.path().join("names.json");
    let spec = serde_json::to_string_pretty(&spec()).expect("spec serializes");
    std::fs::write(&spec_path, spec).expect("write the spec");
    let output = apiforge::generate(&spec_path, Some("names")).expect("the spec generates");

    // Prelude names are renamed; the others stay the spec's.
    let models = &output.files[Path::new("names-types/src/models.rs")];
    for renamed in ["FromModel", "DefaultModel", "SizedModel", "IteratorModel"] {
        assert!(
            models.contains(&format!("pub struct {renamed} ")),
            "{renamed}"
        );
    }
    for kept in ["N", "T", "Value", "Debug", "Key", "Path"] {
        assert!(models.contains(&format!("pub struct {kept} ")), "{kept}");
    }
    // The chain of types is deeper than the default limit: each crate, and
    // its doctests, declare a larger one.
    for lib in ["names-types", "names-server", "names-client"] {
        let text = &output.files[&Path::new(lib).join("src/lib.rs")];
        assert!(text.contains("#![recursion_limit = "), "{lib}");
        assert!(
            text.contains("#![doc(test(attr(recursion_limit = "),
            "{lib}"
        );
    }

    let crates = work.path().join("crates");
    apiforge::write::write(&crates, &output).expect("write the crates");
    apiforge_tests::workspace(&crates, &["names-types", "names-server", "names-client"]);
    let (checked, check) = cargo(&crates, apiforge_tests::STRICT_CLIPPY);
    assert!(checked, "{check}");
    assert_eq!(
        apiforge_tests::cargo_warnings(&check),
        Vec::<&str>::new(),
        "{check}"
    );
    // Unit tests, the schemas' example round trips and the READMEs'
    // examples, each a crate of its own that holds the deep types.
    let (tested, test) = cargo(&crates, &["test", "--workspace", "--offline"]);
    assert!(tested, "{test}");
    assert_eq!(
        apiforge_tests::cargo_warnings(&test),
        Vec::<&str>::new(),
        "{test}"
    );
    assert!(test.contains("ReadmeExamples"), "{test}");
}
