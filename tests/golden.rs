//! Golden files: the committed crates under `generated/` and
//! `tests/expected/` are exactly what the generator writes today.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use apiforge_tests::{assert_matches_golden, root};

#[test]
fn generated_crates_match_the_spec() {
    assert_matches_golden(
        &root().join("spec/customer-identification-processes.yaml"),
        "customer-identification-processes",
        &root().join("generated"),
    );
}

/// Every fixture spec under `tests/fixtures/` has its expected crates under
/// `tests/expected/<stem>/`.
#[test]
fn fixtures_match_their_expected_output() {
    let mut specs: Vec<_> = std::fs::read_dir(root().join("tests/fixtures"))
        .expect("tests/fixtures exists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    assert!(!specs.is_empty(), "no fixtures found");
    for spec in specs {
        let stem = spec
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        assert_matches_golden(&spec, &stem, &root().join("tests/expected").join(&stem));
    }
}

#[test]
fn generation_is_deterministic() {
    let spec = root().join("spec/customer-identification-processes.yaml");
    let first = apiforge::generate(&spec, None).expect("generates");
    let second = apiforge::generate(&spec, None).expect("generates");
    assert_eq!(first, second);
    assert!(first.files.keys().all(|p| !Path::new(p).is_absolute()));
}

/// A spec split over several files (`tests/fixtures/split/`: a path item, schemas
/// and shared components in files of their own, `$ref`s back into the root
/// spec, a cycle across files, a name two files define) generates exactly
/// the crates of its bundled form (`tests/fixtures/split.yaml`, which
/// `redocly bundle` wrote; CI checks it still does), and its warnings and
/// the files it read name each file.
#[test]
fn split_spec_generates_the_crates_of_its_bundled_form() {
    let split = root().join("tests/fixtures/split/split.yaml");
    let output = apiforge::generate(&split, Some("split")).expect("generates");
    let bundled = apiforge::generate(&root().join("tests/fixtures/split.yaml"), Some("split"))
        .expect("the bundled form generates");
    // The server crate carries the spec it was generated from: the bundled
    // file's own text, or for the split spec its bundled tree as JSON. All
    // the rest is the same, file for file.
    let carried = |path: &PathBuf| {
        [
            "split-server/openapi.yaml",
            "split-server/openapi.json",
            "split-server/src/spec.rs",
        ]
        .iter()
        .any(|carried| Path::new(path) == Path::new(carried))
    };
    let code = |files: &BTreeMap<PathBuf, String>| {
        files
            .iter()
            .filter(|(path, _)| !carried(path))
            .map(|(path, text)| (path.clone(), text.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(code(&output.files), code(&bundled.files));
    let served: serde_json::Value = serde_json::from_str(
        output
            .files
            .get(Path::new("split-server/openapi.json"))
            .expect("the split spec's server carries its bundled form as JSON"),
    )
    .expect("the carried spec is JSON");
    assert!(served["components"]["schemas"]["Order"].is_object());
    assert!(served["paths"]["/orders"].is_object());
    let dir = root().join("tests/fixtures/split");
    let read: Vec<String> = output
        .spec_files
        .iter()
        .map(|p| p.strip_prefix(&dir).expect("inside").display().to_string())
        .collect();
    assert_eq!(
        read,
        [
            "split.yaml",
            "common.json",
            "schemas/order.yaml",
            "paths/order.yaml",
            "schemas/customer.yaml"
        ]
    );
    let pointers: Vec<&str> = output.warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert_eq!(pointers, ["paths/order.yaml#/get/responses"]);
}
