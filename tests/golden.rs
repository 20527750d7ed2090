//! Golden files: the committed crates under `generated/` and
//! `tests/expected/` are exactly what the generator writes today.

use std::path::Path;

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
