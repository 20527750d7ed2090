//! A spec whose types nest deeper than the compiler's default
//! `recursion_limit` (128): rustdoc proves each type's auto traits through
//! every type it holds, so without a higher limit `cargo doc` of the types
//! crate stops with `E0275` while `cargo check` passes (found on stripe's
//! spec). The types crate raises its limit; its docs build.

use std::fmt::Write;
use std::path::PathBuf;

use apiforge_tests::{cargo_report, root};

/// How many schemas the chain has. Each holds the next through one of six
/// wrappers (two to eleven levels of the solver a step): rustdoc needs a
/// limit between 256 and 384 for it (measured with 1.95).
const CHAIN: usize = 90;

/// A spec with one operation returning the head of a chain of `CHAIN`
/// schemas, `Level00` holding `Level01` and so on, named so that rustdoc
/// documents the head (the deepest) first. The steps vary the wrappers the
/// limit counts: an optional property, a required one, a nullable one, an
/// array, a map, a union; the last level refers back to the first, so the
/// chain is also a cycle the types crate breaks with a `Box`.
fn deep_spec() -> String {
    let mut spec = String::from(
        "openapi: 3.0.3\ninfo: {title: Deep, version: 1.0.0}\npaths:\n  /head:\n    get:\n      \
         operationId: getHead\n      responses:\n        '200':\n          description: The \
         head of the chain\n          content: {application/json: {schema: {$ref: \
         '#/components/schemas/Level00'}}}\ncomponents:\n  schemas:\n",
    );
    let name = |i: usize| format!("Level{i:02}");
    for i in 0..CHAIN {
        let next = format!("{{$ref: '#/components/schemas/{}'}}", name((i + 1) % CHAIN));
        let (required, property) = match i % 6 {
            0 => ("[]", next),
            1 => ("[next]", next),
            2 => ("[]", format!("{{allOf: [{next}], nullable: true}}")),
            3 => ("[next]", format!("{{type: array, items: {next}}}")),
            4 => (
                "[]",
                format!("{{type: object, additionalProperties: {next}}}"),
            ),
            _ => ("[next]", format!("{{oneOf: [{next}, {{type: string}}]}}")),
        };
        // The last level's step back to the head is optional: a value can
        // end the chain.
        let required = if i + 1 == CHAIN { "[]" } else { required };
        write!(
            spec,
            "    {}:\n      type: object\n      required: {required}\n      properties:\n        \
             depth: {{type: integer}}\n        next: {property}\n",
            name(i)
        )
        .expect("write to a string");
    }
    spec
}

#[test]
fn the_docs_of_deeply_nested_types_build() {
    let dir: PathBuf = root().join("target/docs-depth");
    std::fs::create_dir_all(&dir).expect("create the crates' directory");
    let spec = dir.join("deep.yaml");
    std::fs::write(&spec, deep_spec()).expect("write the spec");
    let output = apiforge::generate(&spec, Some("deep")).expect("the spec generates");
    apiforge::write::write(&dir, &output).expect("write the crates");
    let lib = std::fs::read_to_string(dir.join("deep-types/src/lib.rs")).expect("read lib.rs");
    assert!(lib.contains("#![recursion_limit = \""), "{lib}");
    apiforge_tests::workspace(&dir, &["deep-types"]);
    let target = root().join("target/corpus/target");
    for args in [
        &["check", "-p", "deep-types", "--quiet"][..],
        &["doc", "--no-deps", "-p", "deep-types", "--quiet"][..],
    ] {
        let (ok, report) = cargo_report(&dir, &target, args);
        assert!(ok, "{report}");
        assert!(!report.contains("E0275"), "{report}");
    }
}
