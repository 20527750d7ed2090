//! Crates shaped by the configuration's type settings compile warning-free
//! and pass their tests and doctests: an override (and its dependency),
//! `x-rust-type`, extra derives and attributes, and the `time`,
//! `rust_decimal` and `String` formats.

use std::path::Path;
use std::process::Command;

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
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .env(
            "CARGO_TARGET_DIR",
            apiforge_tests::root().join("target/hostile-docs"),
        )
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    let text = format!(
        "cargo {}:\n{}\n{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
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
    std::fs::write(
        crates.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"shop-types\", \"shop-server\", \"shop-client\"]\n",
    )
    .expect("workspace manifest");
    // The tests crate depends on `time` and `rust_decimal` too, so the
    // lock file has them and the build needs no network.
    std::fs::copy(
        apiforge_tests::root().join("Cargo.lock"),
        crates.join("Cargo.lock"),
    )
    .expect("copy the lock file");
    let (checked, check) = cargo(
        crates,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--offline",
            "--",
            "-D",
            "warnings",
        ],
    );
    assert!(checked, "{check}");
    // The example's round trip, and the READMEs' examples.
    let (tested, test) = cargo(crates, &["test", "--workspace", "--offline"]);
    assert!(tested, "{test}");
    assert!(test.contains("ReadmeExamples"), "{test}");
}
