//! The crates' cargo features (`tests/fixtures/features.yaml`): every
//! feature alone, none, and the defaults compile without warnings, and
//! each side derives only the serde traits it needs.
//!
//! The loop below is what `cargo hack --each-feature --no-dev-deps` would
//! run, written out: it needs no tool beyond cargo, and it also checks the
//! crates the way their dependents build them (the client alone, which
//! turns on the types crate's `client`; the server alone, `server`).
//! Built in the target directory the corpus harness uses.

use std::path::{Path, PathBuf};

use apiforge_tests::{cargo_report, root};

/// The fixture generated into `target/<dir>/` (each test its own: tests
/// run in parallel).
fn generated(dir: &str) -> PathBuf {
    let dir = root().join("target").join(dir);
    std::fs::create_dir_all(&dir).expect("create the crates' directory");
    let output = apiforge::generate(&root().join("tests/fixtures/features.yaml"), None)
        .expect("the fixture generates");
    apiforge::write::write(&dir, &output).expect("write the crates");
    dir
}

fn target() -> PathBuf {
    root().join("target/corpus/target")
}

/// The features of a generated crate but `default`, `client`, `server`
/// and `tracing`, read from its manifest.
fn tag_features(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).expect("read the manifest");
    let features = text
        .split("[features]")
        .nth(1)
        .expect("the manifest has features");
    features
        .lines()
        .filter_map(|line| line.split_once(" = "))
        .map(|(name, _)| name.trim().to_owned())
        .filter(|name| !["default", "client", "server", "tracing"].contains(&name.as_str()))
        .collect()
}

/// `cargo clippy -p PACKAGE FLAGS -- -D warnings`, asserting it passes.
fn clippy(dir: &Path, package: &str, flags: &[&str]) {
    let mut args = vec!["clippy", "-p", package, "--quiet", "--message-format=short"];
    args.extend_from_slice(flags);
    args.extend_from_slice(&["--", "-D", "warnings"]);
    let (ok, report) = cargo_report(dir, &target(), &args);
    // The first line is the command, which names `warnings`.
    let findings = report
        .lines()
        .skip(1)
        .filter(|line| line.contains("warning") || line.contains("error"))
        .count();
    assert!(ok && findings == 0, "{report}");
}

#[test]
fn every_feature_alone_none_and_all_compile_without_warnings() {
    let dir = generated("features");
    apiforge_tests::workspace(
        &dir,
        &["features-types", "features-client", "features-server"],
    );
    let types_features = tag_features(&dir.join("features-types/Cargo.toml"));
    let tags = tag_features(&dir.join("features-client/Cargo.toml"));
    assert_eq!(tags.len(), 4, "{tags:?}");
    assert_eq!(
        types_features,
        [&["components".to_owned()][..], &tags].concat(),
        "the client has the types crate's tag features"
    );
    for (package, features) in [
        ("features-types", &types_features),
        ("features-client", &tags),
    ] {
        clippy(&dir, package, &[]);
        clippy(&dir, package, &["--no-default-features"]);
        for feature in features {
            clippy(
                &dir,
                package,
                &["--no-default-features", "--features", feature],
            );
        }
    }
    for direction in ["client", "server"] {
        clippy(
            &dir,
            "features-types",
            &["--no-default-features", "--features", direction],
        );
    }
    clippy(&dir, "features-server", &[]);
    // The examples' round trips and the README's doctests, with defaults.
    let (ok, report) = cargo_report(
        &dir,
        &target(),
        &["test", "-p", "features-types", "--quiet"],
    );
    assert!(ok, "{report}");
}

/// The docs (`cargo rustdoc -- -D warnings`: broken intra-doc links and
/// other rustdoc warnings are errors) and the doctests (the crate docs'
/// example, the README's) of the types and client crates build with the
/// defaults, with no features, and with one tag feature alone: a link to a
/// method or an example naming a type that a feature leaves out would
/// break the docs of that build. One tag alone (the first) keeps the
/// test's cost down; the tag features are alike to the docs.
#[test]
fn docs_and_doctests_build_with_default_no_and_one_tag_feature() {
    let dir = generated("features-docs");
    apiforge_tests::workspace(
        &dir,
        &["features-types", "features-client", "features-server"],
    );
    let tags = tag_features(&dir.join("features-client/Cargo.toml"));
    let first_tag = tags.first().expect("the fixture has tags");
    for package in ["features-types", "features-client"] {
        for features in [
            &[][..],
            &["--no-default-features"][..],
            &["--no-default-features", "--features", first_tag][..],
        ] {
            let mut docs = vec!["rustdoc", "-p", package, "--quiet"];
            docs.extend_from_slice(features);
            docs.extend_from_slice(&["--", "-D", "warnings"]);
            let (ok, report) = cargo_report(&dir, &target(), &docs);
            assert!(ok, "{report}");
            let mut doctests = vec!["test", "--doc", "-p", package, "--quiet"];
            doctests.extend_from_slice(features);
            let (ok, report) = cargo_report(&dir, &target(), &doctests);
            assert!(ok && report.contains(" passed;"), "{report}");
        }
    }
}

/// A crate depending on `dependency` (`client` or `server`) whose
/// `lib.rs` is `source`: whether `cargo check` passes, and what it said.
fn probe(dir: &Path, dependency: &str, source: &str) -> (bool, String) {
    let probe = dir.join("probe");
    std::fs::create_dir_all(probe.join("src")).expect("create the probe");
    std::fs::write(
        probe.join("Cargo.toml"),
        format!(
            "[package]\nname = \"probe\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nfeatures-{dependency} = {{ path = \"../features-{dependency}\" }}\n\
             serde_json = \"1\"\n"
        ),
    )
    .expect("write the probe's manifest");
    std::fs::write(probe.join("src/lib.rs"), source).expect("write the probe");
    apiforge_tests::workspace(
        dir,
        &[
            "features-types",
            "features-client",
            "features-server",
            "probe",
        ],
    );
    cargo_report(
        dir,
        &target(),
        &["check", "-p", "probe", "--message-format=short"],
    )
}

#[test]
fn each_side_derives_only_the_serde_traits_it_needs() {
    let dir = generated("features-probe");
    // A request-only type (`NewPet`) and a response-only one (`Receipt`),
    // in the direction each side uses them: compiles.
    let used = |krate: &str| {
        format!(
            "use {krate}::types::{{NewPet, Receipt}};\n\
             pub fn send(pet: &NewPet) -> String {{ serde_json::to_string(pet).unwrap_or_default() }}\n\
             pub fn read(text: &str) -> Option<Receipt> {{ serde_json::from_str(text).ok() }}\n"
        )
    };
    let reversed = |krate: &str| {
        format!(
            "use {krate}::types::{{NewPet, Receipt}};\n\
             pub fn send(receipt: &Receipt) -> String {{ serde_json::to_string(receipt).unwrap_or_default() }}\n\
             pub fn read(text: &str) -> Option<NewPet> {{ serde_json::from_str(text).ok() }}\n"
        )
    };
    let (ok, report) = probe(&dir, "client", &used("features_client"));
    assert!(
        ok,
        "the client serializes requests and reads responses:\n{report}"
    );
    // The client compiles no `Deserialize` for `NewPet` and no `Serialize`
    // for `Receipt`.
    let (ok, report) = probe(&dir, "client", &reversed("features_client"));
    assert!(!ok, "{report}");
    for missing in [
        "`NewPet: serde::Deserialize<'de>` is not satisfied",
        "`Receipt: serde::Serialize` is not satisfied",
    ] {
        assert!(report.contains(missing), "expected {missing}:\n{report}");
    }
    // The server the reverse.
    let (ok, report) = probe(&dir, "server", &reversed("features_server"));
    assert!(
        ok,
        "the server reads requests and serializes responses:\n{report}"
    );
    let (ok, report) = probe(&dir, "server", &used("features_server"));
    assert!(!ok, "{report}");
    for missing in [
        "`NewPet: serde::Serialize` is not satisfied",
        "`Receipt: serde::Deserialize<'de>` is not satisfied",
    ] {
        assert!(report.contains(missing), "expected {missing}:\n{report}");
    }
    std::fs::remove_dir_all(dir.join("probe")).expect("remove the probe");
}
