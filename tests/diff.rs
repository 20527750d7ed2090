//! `apiforge diff` on one hand-made spec pair per kind of change:
//! `tests/diff/<kind>/old.yaml` and `new.yaml`, whose report must be
//! `expected.txt` byte for byte (and `expected.json`, where there is one).
//! Each pair must report a change of its kind. A subdirectory of a kind's
//! pair holds another case of the kind (`parameter-added-optional/first/`:
//! an operation's first parameter), checked the same way. `APIFORGE_BLESS=1` writes
//! the expected files from what diff reports (read the diff before
//! committing it).

use std::path::{Path, PathBuf};

use apiforge::diff::{self, Kind, SpecSource};
use apiforge::Config;

/// The pair directories under `dir` (those with an `old.yaml`), sorted.
fn pair_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a directory of pairs")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.join("old.yaml").is_file())
        .collect();
    dirs.sort();
    dirs
}

/// One pair per kind: `tests/diff/<kind>/`.
fn pairs() -> Vec<PathBuf> {
    pair_dirs(&Path::new(env!("CARGO_MANIFEST_DIR")).join("diff"))
}

/// Every pair with the kind it shows: each kind's, then its further cases
/// (`tests/diff/<kind>/<case>/`).
fn pairs_and_cases() -> Vec<(String, PathBuf)> {
    let mut all = Vec::new();
    for dir in pairs() {
        let kind = dir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let cases = pair_dirs(&dir);
        all.push((kind.clone(), dir));
        all.extend(cases.into_iter().map(|case| (kind.clone(), case)));
    }
    all
}

fn report(dir: &Path) -> diff::Report {
    let mut config = Config::default();
    config.name = Some("shop".to_owned());
    let mut report = diff::diff(
        &SpecSource::File(dir.join("old.yaml")),
        &SpecSource::File(dir.join("new.yaml")),
        &config,
    )
    .unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    // Named as in the directory, wherever the tests run from.
    report.old = "old.yaml".to_owned();
    report.new = "new.yaml".to_owned();
    report
}

fn compare(path: &Path, actual: &str, bless: bool, failures: &mut Vec<String>) {
    if bless {
        std::fs::write(path, actual).expect("write expected");
        return;
    }
    match std::fs::read_to_string(path) {
        Ok(expected) if expected == actual => {}
        Ok(expected) => failures.push(format!(
            "{} differs:\n--- expected\n{expected}\n--- actual\n{actual}",
            path.display()
        )),
        Err(e) => failures.push(format!("{}: {e}", path.display())),
    }
}

#[test]
fn every_pair_reports_its_classification() {
    let bless = std::env::var_os("APIFORGE_BLESS").is_some();
    let mut failures = Vec::new();
    for (name, dir) in pairs_and_cases() {
        let report = report(&dir);
        if !report.changes.iter().any(|c| c.kind.name() == name) {
            failures.push(format!(
                "{}: no change of kind {name} in {:?}",
                dir.display(),
                report.changes
            ));
        }
        compare(
            &dir.join("expected.txt"),
            &diff::report::human(&report),
            bless,
            &mut failures,
        );
        let json = dir.join("expected.json");
        if json.is_file() {
            compare(&json, &diff::report::json(&report), bless, &mut failures);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every kind of change has its pair.
#[test]
fn every_kind_has_a_pair() {
    let names: Vec<String> = pairs()
        .iter()
        .map(|dir| {
            dir.file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    let missing: Vec<&str> = Kind::ALL
        .iter()
        .map(|kind| kind.name())
        .filter(|name| !names.iter().any(|n| n == name))
        .collect();
    assert!(
        missing.is_empty(),
        "no pair under tests/diff for {missing:?}"
    );
}

/// A spec compared with itself has no change and needs no bump.
#[test]
fn a_spec_has_no_change_from_itself() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/petstore.yaml");
    let report = diff::diff(
        &SpecSource::File(spec.clone()),
        &SpecSource::File(spec),
        &Config::default(),
    )
    .expect("diff");
    assert!(report.changes.is_empty(), "{:?}", report.changes);
    assert_eq!(report.bumps.max(), diff::Bump::None);
    assert_eq!(report.worst_effect(), diff::Effect::None);
}

/// The `[package]` keys of the version policy: `version = "computed"`
/// bumps `base` (default: what "info" gives for the previous spec) by the
/// largest bump from `previous` (a file relative to the configuration, or
/// `git:REV:PATH` read in its directory) to the spec.
mod version_policy {
    use super::*;

    /// Generates `new.yaml` of the pair `kind` beside a copy of its
    /// `old.yaml` with the configuration `toml`; the types crate's version.
    fn version(kind: &str, toml: &str) -> Result<String, apiforge::Error> {
        let pair = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("diff")
            .join(kind);
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::copy(pair.join("old.yaml"), dir.path().join("old.yaml")).expect("copy");
        std::fs::copy(pair.join("new.yaml"), dir.path().join("new.yaml")).expect("copy");
        let file = dir.path().join("apiforge.toml");
        std::fs::write(&file, toml).expect("write");
        let config = Config::load(&file)?;
        let output = apiforge::generate_with_config(&dir.path().join("new.yaml"), &config)?;
        let manifest = &output.files[Path::new("new-types/Cargo.toml")];
        let line = manifest
            .lines()
            .find(|line| line.starts_with("version = "))
            .expect("version line");
        Ok(line["version = ".len()..].trim_matches('"').to_owned())
    }

    const COMPUTED: &str = "[package]\nversion = \"computed\"\nprevious = \"old.yaml\"\n";

    #[test]
    fn computed_bumps_the_previous_info_version() {
        // The old specs say 1.0.0.
        for (kind, expected) in [
            ("property-added-optional", "1.1.0"),
            ("property-added-required", "2.0.0"),
            ("documentation-changed", "1.0.1"),
            ("operation-path-changed", "1.0.1"),
        ] {
            assert_eq!(version(kind, COMPUTED).expect(kind), expected, "{kind}");
        }
    }

    #[test]
    fn base_is_the_version_bumped() {
        let base = |base: &str| format!("{COMPUTED}base = \"{base}\"\n");
        assert_eq!(
            version("property-added-required", &base("3.4.5")).expect("major"),
            "4.0.0"
        );
        // Before 1.0.0 Cargo reads the minor number as the major one.
        assert_eq!(
            version("property-added-required", &base("0.3.1")).expect("0.x"),
            "0.4.0"
        );
        assert_eq!(
            version("enum-value-added", &base("0.3.1")).expect("0.x"),
            "0.3.2"
        );
        let error = version("enum-value-added", &base("three")).expect_err("bad base");
        assert!(error.to_string().contains("`package.base`"), "{error}");
        assert!(error.to_string().contains("(line 4)"), "{error}");
    }

    #[test]
    fn computed_needs_previous_and_previous_must_be_read() {
        let error = version("enum-value-added", "[package]\nversion = \"computed\"\n")
            .expect_err("no previous");
        assert!(error.to_string().contains("`package.version`"), "{error}");
        assert!(
            error.to_string().contains("needs the previous spec"),
            "{error}"
        );
        let error = version(
            "enum-value-added",
            "[package]\nversion = \"computed\"\nprevious = \"gone.yaml\"\n",
        )
        .expect_err("missing previous");
        assert!(error.to_string().contains("gone.yaml"), "{error}");
        // Without "computed", `previous` changes nothing.
        assert_eq!(
            version(
                "property-added-required",
                "[package]\nprevious = \"old.yaml\"\n"
            )
            .expect("info"),
            "1.0.0"
        );
    }

    /// `diff` reads a configuration that computes the version from a
    /// `previous` given on `generate`'s command line.
    #[test]
    fn diff_leaves_the_version_policy_alone() {
        let config = Config::from_toml(
            "[package]\nversion = \"computed\"\n",
            Path::new("apiforge.toml"),
        )
        .expect("config");
        let pair = Path::new(env!("CARGO_MANIFEST_DIR")).join("diff/enum-value-added");
        let report = diff::diff(
            &SpecSource::File(pair.join("old.yaml")),
            &SpecSource::File(pair.join("new.yaml")),
            &config,
        )
        .expect("diff");
        assert_eq!(report.bumps.max(), diff::Bump::Minor);
    }

    /// `previous = "git:REV:PATH"`: the file in a revision of the
    /// repository the configuration file is in.
    #[test]
    fn previous_from_a_git_revision() {
        let pair = Path::new(env!("CARGO_MANIFEST_DIR")).join("diff/enum-value-removed");
        let dir = tempfile::tempdir().expect("temp dir");
        let git = |args: &[&str]| {
            let status = std::process::Command::new("git")
                .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
                .args(args)
                .current_dir(dir.path())
                .output()
                .expect("git runs");
            assert!(status.status.success(), "git {args:?}: {status:?}");
        };
        git(&["init", "-q"]);
        std::fs::copy(pair.join("old.yaml"), dir.path().join("api.yaml")).expect("copy");
        git(&["add", "api.yaml"]);
        git(&["commit", "-q", "-m", "old"]);
        std::fs::copy(pair.join("new.yaml"), dir.path().join("api.yaml")).expect("copy");
        let file = dir.path().join("apiforge.toml");
        std::fs::write(
            &file,
            "name = \"shop\"\n[package]\nversion = \"computed\"\nprevious = \"git:HEAD:api.yaml\"\nbase = \"1.2.3\"\n",
        )
        .expect("write");
        let config = Config::load(&file).expect("config");
        let output = apiforge::generate_with_config(&dir.path().join("api.yaml"), &config)
            .expect("generates");
        let manifest = &output.files[Path::new("shop-server/Cargo.toml")];
        assert!(manifest.contains("\nversion = \"2.0.0\"\n"), "{manifest}");
        std::fs::write(
            &file,
            "[package]\nversion = \"computed\"\nprevious = \"git:no-such-revision:api.yaml\"\n",
        )
        .expect("write");
        let config = Config::load(&file).expect("config");
        let error = apiforge::generate_with_config(&dir.path().join("api.yaml"), &config)
            .expect_err("bad revision");
        assert!(
            error
                .to_string()
                .contains("`git show no-such-revision:api.yaml` failed"),
            "{error}"
        );
    }
}

/// The classification table in docs/generated-code.md has a row per kind,
/// as its pair reports it.
#[test]
fn the_documented_table_is_what_the_pairs_report() {
    let docs = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/generated-code.md"),
    )
    .expect("docs");
    let mut missing = Vec::new();
    for dir in pairs() {
        let name = dir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let report = report(&dir);
        let Some(change) = report.changes.iter().find(|c| c.kind.name() == name) else {
            continue;
        };
        let i = &change.impact;
        let row = format!(
            "| `{name}` | {} | {} | {} | {} | {} | {} | {} |",
            i.client_code.as_str(),
            i.server_code.as_str(),
            i.deployed_client.as_str(),
            i.deployed_server.as_str(),
            i.types.as_str(),
            i.client.as_str(),
            i.server.as_str()
        );
        if !docs.contains(&row) {
            missing.push(row);
        }
    }
    assert!(
        missing.is_empty(),
        "rows docs/generated-code.md lacks:\n{}",
        missing.join("\n")
    );
}

/// Every operation has a `Parameters` (empty when the spec lists none), so
/// its first parameter is a field of it: optional, it is minor, and
/// required it changes `Parameters::new` (major for the types crate);
/// neither changes the client's method nor the server's `Request` type.
#[test]
fn a_first_parameter_is_a_field_of_the_empty_parameters() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("diff");
    for (case, types, code) in [
        (
            "parameter-added-optional/first",
            diff::Bump::Minor,
            diff::Effect::Compatible,
        ),
        (
            "parameter-added-required/first",
            diff::Bump::Major,
            diff::Effect::Breaking,
        ),
    ] {
        let report = report(&root.join(case));
        let [change] = report.changes.as_slice() else {
            panic!("{case}: one change expected: {:?}", report.changes);
        };
        assert!(
            change.subject.contains("create_order"),
            "{case}: {change:?}"
        );
        let impact = &change.impact;
        assert_eq!(impact.types, types, "{case}");
        assert_eq!(
            (impact.client, impact.server),
            (diff::Bump::Patch, diff::Bump::Patch),
            "{case}"
        );
        assert_eq!(impact.client_code, code, "{case}");
        assert_eq!(impact.server_code, diff::Effect::Compatible, "{case}");
        assert_eq!(report.bumps.max(), types, "{case}");
    }
}
