//! Crates shaped by the configuration's type settings compile warning-free
//! and pass their tests and doctests: an override (and its dependency),
//! `x-rust-type`, extra derives and attributes, and the `time`,
//! `rust_decimal` and `String` formats.

use std::path::Path;

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Shop, version: 1.0.0}
paths:
  /orders/{id}:
    get:
      operationId: getOrder
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        '200':
          description: The order.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Order'}
components:
  schemas:
    Money:
      type: object
      required: [amount]
      properties:
        amount: {type: string, format: decimal}
    Price:
      x-rust-type: {crate: rust_decimal, version: "1", path: rust_decimal::Decimal}
      type: string
    Order:
      type: object
      required: [id, total, placed, due]
      properties:
        id: {type: string, format: uuid}
        total: {$ref: '#/components/schemas/Money'}
        unit: {$ref: '#/components/schemas/Price'}
        tax: {type: number, format: decimal}
        placed: {type: string, format: date-time}
        due: {type: string, format: date}
        status: {$ref: '#/components/schemas/Status'}
      example: {id: 0b7e7e8a-3c5e-4f0e-9d7e-2f6a1f0c9a11, total: {amount: "1.50"}, placed: "2024-01-02T03:04:05Z", due: "2024-02-03"}
    Status:
      type: string
      enum: [open, closed]
"##;

const CONFIG: &str = r##"
[overrides.Money]
type = "std::collections::BTreeMap<String, String>"

[formats]
date-time = "string"
date = "time"
uuid = "string"
decimal = "rust-decimal"

[derive]
Status = ["PartialOrd", "Ord"]
Order = ["Eq"]

[attributes]
Order = ["#[serde(deny_unknown_fields)]"]
"##;

fn cargo(dir: &Path, args: &[&str]) -> (bool, String) {
    let target = apiforge_tests::root().join("target/hostile-docs");
    apiforge_tests::cargo_report(dir, &target, args)
}

#[test]
fn configured_types_compile_and_round_trip() {
    let config = apiforge::Config::from_toml(CONFIG, Path::new("apiforge.toml")).expect("config");
    let output =
        apiforge::generate_from_str_with_config(SPEC, "shop.yaml", &config).expect("generates");
    let models = &output.files[Path::new("shop-types/src/models.rs")];
    assert!(
        models.contains("pub total: std::collections::BTreeMap<String, String>,"),
        "{models}"
    );
    assert!(
        models.contains("pub unit: Option<rust_decimal::Decimal>,"),
        "{models}"
    );
    assert!(models.contains("pub due: time::Date,"), "{models}");

    let work = tempfile::tempdir().expect("temp dir");
    let crates = work.path();
    apiforge::write::write(crates, &output).expect("write the crates");
    apiforge_tests::workspace(crates, &["shop-types", "shop-server", "shop-client"]);
    let (checked, check) = cargo(
        crates,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
    );
    assert!(checked, "{check}");
    // The example's round trip, and the READMEs' examples.
    let (tested, test) = cargo(crates, &["test", "--workspace"]);
    assert!(tested, "{test}");
    assert!(test.contains("ReadmeExamples"), "{test}");
}
