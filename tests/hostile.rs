//! Hostile and degenerate specs: each ends in a clean error that names the
//! place (JSON pointer, and line and column), or in correct crates; never a
//! panic, a stack overflow or a runaway.
//!
//! The 50 MB spec is generated here from a template; set
//! `APIFORGE_HOSTILE_MB` to change its size (CI keeps the default: about 12 s
//! of CPU in a debug build).

use std::path::Path;
use std::time::{Duration, Instant};

use apiforge::{Error, Output};

/// Runs the whole pipeline on a spec with this content.
fn generate(content: impl AsRef<[u8]>) -> Result<Output, Error> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, content).expect("write the spec");
    apiforge::generate(&path, Some("hostile"))
}

/// The error a spec ends in, as the command line prints it.
fn error(content: impl AsRef<[u8]>) -> String {
    match generate(content) {
        Ok(output) => panic!("expected an error, generated {} files", output.files.len()),
        Err(e) => e.to_string(),
    }
}

/// The generated file at `path` (relative to the output directory).
fn file<'a>(output: &'a Output, path: &str) -> &'a str {
    output
        .files
        .get(Path::new(path))
        .unwrap_or_else(|| panic!("no {path} in {:?}", output.files.keys()))
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: Hostile, version: '1'}\n";

/// A spec with one operation `GET /things` answering `200` with `schema`
/// (YAML, indented for a line of its own), and `components`.
fn spec_with(schema: &str, components: &str) -> String {
    format!(
        "{HEAD}paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {schema}
components:
{components}"
    )
}

// ---- reference cycles ---------------------------------------------------

#[test]
fn a_schema_that_is_only_a_reference_to_itself() {
    let spec = spec_with(
        "{$ref: '#/components/schemas/Loop'}",
        "  schemas:\n    Loop: {$ref: '#/components/schemas/Loop'}\n",
    );
    assert_eq!(
        error(spec),
        "at #/components/schemas/Loop (line 15, column 5): \
         `$ref` chain from `#/components/schemas/Loop` never ends (a reference cycle)"
    );
}

#[test]
fn two_schemas_that_refer_to_each_other() {
    let spec = spec_with(
        "{type: string}",
        "  schemas:
    A: {$ref: '#/components/schemas/B'}
    B: {$ref: '#/components/schemas/A'}
",
    );
    assert_eq!(
        error(spec),
        "at #/components/schemas/A (line 15, column 5): \
         `$ref` chain from `#/components/schemas/A` never ends (a reference cycle)"
    );
}

#[test]
fn parameter_and_response_reference_cycles() {
    let parameters = format!(
        "{HEAD}paths:
  /things:
    get:
      parameters: [{{$ref: '#/components/parameters/P'}}]
      responses: {{'204': {{description: none}}}}
components:
  parameters:
    P: {{$ref: '#/components/parameters/Q'}}
    Q: {{$ref: '#/components/parameters/P'}}
"
    );
    assert_eq!(
        error(parameters),
        "at #/paths/~1things/get/parameters/0 (line 6, column 20): \
         `$ref` chain from `#/components/parameters/P` never ends (a reference cycle)"
    );
    let responses = format!(
        "{HEAD}paths:
  /things:
    get:
      responses: {{'200': {{$ref: '#/components/responses/R'}}}}
components:
  responses:
    R: {{$ref: '#/components/responses/R'}}
"
    );
    assert_eq!(
        error(responses),
        "at #/paths/~1things/get/responses/200 (line 6, column 19): \
         `$ref` chain from `#/components/responses/R` never ends (a reference cycle)"
    );
}

/// Schemas that contain themselves through properties and items are fine:
/// they become recursive types.
#[test]
fn recursive_schemas_generate() {
    let spec = spec_with(
        "{$ref: '#/components/schemas/Tree'}",
        "  schemas:
    Tree:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Tree'}}
        parent: {$ref: '#/components/schemas/Tree'}
",
    );
    let output = generate(spec).expect("generates");
    let models = file(&output, "hostile-types/src/models.rs");
    assert!(models.contains("pub struct Tree {"), "{models}");
}

// ---- references that lead nowhere -----------------------------------------

#[test]
fn references_to_missing_components() {
    let schema = spec_with("{$ref: '#/components/schemas/Nope'}", "  schemas: {}\n");
    assert_eq!(
        error(schema),
        "at #/paths/~1things/get/responses/200/content/application~1json/schema (line 12, column 15): \
         `$ref` to `#/components/schemas/Nope`, which does not exist"
    );
    let parameter = format!(
        "{HEAD}paths:
  /things:
    get:
      parameters: [{{$ref: '#/components/parameters/Nope'}}]
      responses: {{'204': {{description: none}}}}
"
    );
    assert_eq!(
        error(parameter),
        "at #/paths/~1things/get/parameters/0 (line 6, column 20): \
         `$ref` to `#/components/parameters/Nope`, which does not exist"
    );
    let body = format!(
        "{HEAD}paths:
  /things:
    post:
      requestBody: {{$ref: '#/components/requestBodies/Nope'}}
      responses: {{'204': {{description: none}}}}
"
    );
    assert_eq!(
        error(body),
        "at #/paths/~1things/post/requestBody (line 6, column 7): \
         `$ref` to `#/components/requestBodies/Nope`, which does not exist"
    );
    let escaped = spec_with("{$ref: '#/components/schemas/a~1b%20c'}", "  schemas: {}\n");
    assert_eq!(
        error(escaped),
        "at #/paths/~1things/get/responses/200/content/application~1json/schema (line 12, column 15): \
         `$ref` to `#/components/schemas/a~1b%20c`, which does not exist"
    );
}

/// A `$ref` to another file is followed only to a file in the spec's
/// directory (or below it); anything else is an error naming the `$ref`.
#[test]
fn external_references_are_confined_to_the_spec_directory() {
    for (reference, why) in [
        (
            "other.yaml#/components/schemas/Thing",
            "there is no file other.yaml",
        ),
        (
            "../../../etc/passwd",
            "`..` leads out of the root spec's directory; only files in the root spec's \
             directory and below it are read",
        ),
        (
            "https://example.com/spec.yaml#/x",
            "a URL is not read; only files in the root spec's directory and below it are read",
        ),
        (
            "/etc/hosts#/x",
            "an absolute path is not read; only files in the root spec's directory and below \
             it are read",
        ),
    ] {
        let spec = spec_with(&format!("{{$ref: '{reference}'}}"), "  schemas: {}\n");
        assert_eq!(
            error(spec),
            format!(
                "at #/paths/~1things/get/responses/200/content/application~1json/schema/$ref \
                 (line 12, column 24): `$ref` to `{reference}`: {why}"
            )
        );
    }
}

// ---- nesting ---------------------------------------------------------------

/// Asserts that `error` names a node `parent` + `token` repeated (at least
/// 30 times), then `rest`: the end of the pointer, line, column, message.
fn assert_nested(error: &str, parent: &str, token: &str, rest: &str) {
    let mut after = error
        .strip_prefix("at ")
        .and_then(|e| e.strip_prefix(parent))
        .unwrap_or_else(|| panic!("not at {parent}: {error}"));
    let step = format!("/{token}");
    let mut repeats = 0;
    while let Some(shorter) = after.strip_prefix(&step) {
        after = shorter;
        repeats += 1;
    }
    assert!(repeats >= 30, "{repeats} times {step}: {error}");
    assert_eq!(after, rest, "{error}");
}

const SCHEMA_AT: &str = "#/paths/~1things/get/responses/200/content/application~1json/schema";

#[test]
fn schemas_nested_thousands_deep_in_block_yaml() {
    // One space of indentation per level keeps the text small.
    let mut schema = String::from("\n");
    for depth in 0..2_000 {
        let indent = " ".repeat(15 + 2 * depth);
        schema.push_str(&format!("{indent}properties:\n{indent} a:\n"));
    }
    let spec = spec_with(&schema, "  schemas: {}\n");
    assert_nested(
        &error(spec),
        SCHEMA_AT,
        "properties/a",
        " (line 133, column 136): invalid YAML: nested more than 128 levels deep",
    );
}

#[test]
fn schemas_nested_thousands_deep_in_flow_yaml_and_json() {
    let depth = 50_000;
    let flow = spec_with(
        &format!(
            "{}{{type: string}}{}",
            "{items: ".repeat(depth),
            "}".repeat(depth)
        ),
        "  schemas: {}\n",
    );
    let started = Instant::now();
    assert_nested(
        &error(flow),
        SCHEMA_AT,
        "items",
        " (line 12, column 983): invalid YAML: nested more than 128 levels deep",
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    let json = format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{}},
"components": {{"schemas": {{"Deep": {}{{"type": "string"}}{}}}}}}}"#,
        r#"{"type": "array", "items": "#.repeat(depth),
        "}".repeat(depth)
    );
    assert_nested(
        &error(json),
        "#/components/schemas/Deep",
        "items",
        " (line 2, column 3384): invalid JSON: nested more than 128 levels deep",
    );
}

/// Nesting the parsers accept (128 levels of YAML), deeper than any real
/// schema: generated, or an error past 64 levels of schemas.
#[test]
fn schemas_nested_within_the_parsers_limit() {
    let nested = |open: &str, close: &str, depth: usize| {
        let schema = format!(
            "{}{{type: string}}{}",
            open.repeat(depth),
            close.repeat(depth)
        );
        generate(spec_with(&schema, "  schemas: {}\n"))
    };
    let objects = nested("{type: object, properties: {a: ", "}}", 55);
    assert!(objects.is_ok(), "{:?}", objects.err());
    let arrays = nested("{type: array, items: ", "}", 60);
    assert!(arrays.is_ok(), "{:?}", arrays.err());
    let e = nested("{type: array, items: ", "}", 110).unwrap_err();
    assert_nested(
        &e.to_string(),
        SCHEMA_AT,
        "items",
        " (line 12, column 1360): schemas nested more than 64 deep are not supported",
    );
}

/// `count` components, `S0` to `S{count}`, each `S{i}` given by `schema`
/// from the reference to the next.
fn chain(count: usize, schema: impl Fn(usize, &str) -> String) -> String {
    let mut components = String::from("  schemas:\n");
    for i in 0..count {
        let next = format!("{{$ref: '#/components/schemas/S{}'}}", i + 1);
        components.push_str(&format!("    S{i}: {}\n", schema(i, &next)));
    }
    components.push_str(&format!(
        "    S{count}: {{type: object, properties: {{last: {{type: string}}}}}}\n"
    ));
    spec_with("{$ref: '#/components/schemas/S0'}", &components)
}

/// A mistake deep inside nested schemas (or headers inside encodings inside
/// headers ...): `openapiv3` alone would read it 2^depth times.
#[test]
fn mistakes_deep_inside_are_found_fast() {
    let started = Instant::now();
    let schema = format!(
        "{}{{type: string, required: 0}}{}",
        "{type: array, items: ".repeat(40),
        "}".repeat(40)
    );
    assert_nested(
        &error(spec_with(&schema, "  schemas: {}\n")),
        SCHEMA_AT,
        "items",
        "/required (line 12, column 878): not a valid OpenAPI 3.0 document: \
         invalid type: integer `0`, expected a sequence",
    );
    let parts = format!(
        "{}5{}",
        "{allOf: [{type: string}, ".repeat(30),
        "]}".repeat(30)
    );
    assert_nested(
        &error(spec_with(&parts, "  schemas: {}\n")),
        SCHEMA_AT,
        "allOf/1",
        " (line 12, column 773): not a valid OpenAPI 3.0 document: \
         invalid type: integer `5`, expected struct Schema",
    );
    let header =
        "{schema: {type: string}, content: {application/json: {encoding: {a: {headers: {h: ";
    let response = format!(
        "{HEAD}paths:
  /things:
    get:
      responses:
        '200':
          description: ok
          headers: {{h: {}{{schema: {{type: string}}, style: 3}}{}}}
",
        header.repeat(15),
        "}}}}}}".repeat(15)
    );
    let e = error(response);
    let deepest = "/encoding/a/headers/h/style (line 9, column 1279): \
        not a valid OpenAPI 3.0 document: invalid type: integer `3`, expected string or map";
    assert!(e.ends_with(deepest), "{e}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

/// Thousands of components, each referring to the next: the resolver does
/// not recurse once per link (20,000 links would take gigabytes of stack),
/// and nothing on the way is quadratic.
#[test]
fn long_reference_chains() {
    let started = Instant::now();
    let properties = chain(20_000, |_, next| {
        format!("{{type: object, properties: {{next: {next}}}}}")
    });
    let output = generate(properties).expect("generates");
    let models = file(&output, "hostile-types/src/models.rs");
    assert!(models.contains("pub struct S19999 {"), "S19999");
    for (name, shape) in [
        ("arrays", "{type: array, items: NEXT}"),
        ("compositions of one", "{allOf: [NEXT], description: one}"),
        ("unions", "{oneOf: [NEXT, {type: string}]}"),
    ] {
        let output = generate(chain(3_000, |_, next| shape.replace("NEXT", next)));
        assert!(output.is_ok(), "{name}: {:?}", output.err());
    }
    // A debug build takes about 70 s alone (each struct has a constructor,
    // a setter and a written-out `Deserialize`: 72 s measured with the
    // machine otherwise idle); the bound catches work that grows faster
    // than the chain, on a shared machine.
    assert!(
        started.elapsed() < Duration::from_secs(240),
        "{:?}",
        started.elapsed()
    );
}

/// An `allOf` that merges a part that merges a part ...: an error past 32.
#[test]
fn long_all_of_chains() {
    let spec = chain(1_000, |i, next| {
        format!("{{allOf: [{next}, {{type: object, properties: {{p{i}: {{type: string}}}}}}]}}")
    });
    assert_eq!(
        error(spec),
        "at #/components/schemas/S32 (line 47, column 5): `allOf` parts nest more than 32 deep"
    );
}

/// `allOf` parts that share their parts, level after level: 2^25 merges if
/// nothing stopped them.
#[test]
fn all_of_diamonds() {
    let started = Instant::now();
    let spec = chain(25, |_, next| format!("{{allOf: [{next}, {next}]}}"));
    assert_eq!(
        error(spec),
        "at #/components/schemas/S0 (line 15, column 5): \
         `allOf` parts, and theirs, add up to more than 10000 schemas"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

/// Aliases in a cycle of thousands: the first becomes a newtype when a
/// container is on the way, else `serde_json::Value` with a warning.
#[test]
fn long_alias_cycles() {
    let n = 3_000;
    let mut components = String::from("  schemas:\n");
    for i in 0..n {
        components.push_str(&format!(
            "    A{i}: {{type: array, items: {{$ref: '#/components/schemas/A{}'}}}}\n",
            (i + 1) % n
        ));
        components.push_str(&format!(
            "    B{i}: {{allOf: [{{$ref: '#/components/schemas/B{}'}}], description: b}}\n",
            (i + 1) % n
        ));
    }
    let output =
        generate(spec_with("{$ref: '#/components/schemas/A0'}", &components)).expect("generates");
    let models = file(&output, "hostile-types/src/models.rs");
    assert!(models.contains("pub struct A0(pub Vec<crate::A1>);"), "A0");
    assert!(models.contains("pub type A1 = Vec<crate::A2>;"), "A1");
    assert!(models.contains("pub type B0 = serde_json::Value;"), "B0");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["warning[recursive-alias] at #/components/schemas/B0: \
          `B0` is defined as itself; using serde_json::Value"]
    );
}

/// YAML aliases that expand exponentially ("billion laughs").
#[test]
fn alias_bombs() {
    let mut spec = format!(
        "{HEAD}paths: {{}}\nx-bomb:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    );
    for i in 1..12 {
        let p = i - 1;
        spec.push_str(&format!(
            "  a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let started = Instant::now();
    assert_eq!(
        error(spec),
        "at #/x-bomb/a5/1/0/4/5/3 (line 5, column 7): invalid YAML: repetition limit exceeded"
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

// ---- size --------------------------------------------------------------------

/// A 50 MB spec (by default) from a template: bounded time and memory. A
/// debug build takes about 12 s of CPU, a release build 2 s and 470 MB.
#[test]
fn a_fifty_megabyte_spec() {
    let megabytes: usize = std::env::var("APIFORGE_HOSTILE_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    let spec = big_spec(megabytes << 20);
    let started = Instant::now();
    let output = generate(&spec).expect("generates");
    let elapsed = started.elapsed();
    let operations = file(&output, "hostile-types/src/operations.rs");
    assert!(operations.contains("pub mod get_thing0 "), "get_thing0");
    // Generous bounds, for a shared machine: what they catch is work or
    // memory that grows faster than the spec.
    assert!(elapsed < Duration::from_secs(120), "{elapsed:?}");
    if let Some(peak) = peak_memory() {
        assert!(
            peak < 40 * spec.len(),
            "peak {peak} bytes for {} bytes",
            spec.len()
        );
    }
}

/// The peak resident memory of this process, where Linux tells it.
fn peak_memory() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kilobytes: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes << 10)
}

/// A spec of about `size` bytes: a few operations with long descriptions
/// and examples, the bulk of a large real spec.
fn big_spec(size: usize) -> String {
    let mut spec = format!("{HEAD}paths:\n");
    let mut i = 0;
    while spec.len() < size {
        spec.push_str(&format!(
            "  /things{i}/{{id}}:
    get:
      operationId: getThing{i}
      description: {}
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Thing'}}
              example: {{name: '{}'}}
",
            "lorem ipsum ".repeat(2_000),
            "x".repeat(20_000),
        ));
        i += 1;
    }
    spec.push_str(
        "components:
  schemas:
    Thing: {type: object, properties: {name: {type: string}}}
",
    );
    spec
}

// ---- degenerate documents ----------------------------------------------------

#[test]
fn undeclared_path_parameters_and_query_strings_in_paths() {
    // `convert` declared in the query, `page` (as some specs do) in the
    // path, `size` not at all: each pair of the query string is a query
    // parameter under its key; the route is the path before `?`.
    let operation = "get: {operationId: upload, parameters: [{name: convert, in: query, \
                     schema: {type: boolean}}, {name: page, in: path, required: true, \
                     schema: {type: integer}}], responses: {'204': {description: none}}}";
    let output = generate(format!(
        "{HEAD}paths:\n  /uploads?convert={{convert}}&p={{page}}&size={{size}}:\n    {operation}\n"
    ))
    .expect("generates");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.contains(
            &"warning[query-string-in-path] at #/paths/~1uploads?convert={convert}&p={page}&size={size}/get: \
              the path `/uploads?convert={convert}&p={page}&size={size}` has a query string, which \
              OpenAPI paths cannot carry; it is read as the query parameters `convert`, `p`, \
              `size`, at the path `/uploads`"
                .to_owned()
        ),
        "{warnings:#?}"
    );
    let client = file(&output, "hostile-client/src/client.rs");
    for sent in [
        "query_text(\n                    &mut request,\n                    \"convert\",",
        "\"p\"",
        "\"size\"",
    ] {
        assert!(client.contains(sent), "{sent}\n{client}");
    }
    assert!(client.contains("&[\"uploads\"]"), "{client}");
    let router = file(&output, "hostile-server/src/router.rs");
    assert!(router.contains(".route(\"/uploads\""), "{router}");
    let parameters = file(&output, "hostile-types/src/operations.rs");
    for field in [
        "pub convert: Option<bool>",
        "pub p: i64",
        "pub size: String",
    ] {
        assert!(parameters.contains(field), "{field}\n{parameters}");
    }

    // Two keys that become the same route and method (a second `GET
    // /search` route would make axum panic): each requires the pair only it
    // has, so one handler serves both, by which is sent; keys of which
    // nothing tells the requests apart are served once.
    let output = generate(format!(
        "{HEAD}paths:\n  /search?q={{q}}:\n    get: {{operationId: byQ, responses: {{'204': {{description: none}}}}}}\n  \
         /search?x={{x}}:\n    get: {{operationId: byX, responses: {{'204': {{description: none}}}}}}\n  \
         /search?:\n    get: {{operationId: all, responses: {{'204': {{description: none}}}}}}\n  \
         /search#again:\n    get: {{operationId: allAgain, responses: {{'204': {{description: none}}}}}}\n"
    ))
    .expect("generates");
    assert!(
        output.warnings.iter().any(|w| {
            w.to_string()
                == "warning[unroutable-path] at #/paths/~1search#again/get: the path `/search` \
                cannot be routed: its requests are those of `all` (`GET /search`), and nothing \
                they require (a header, query parameter, path segment or body media type) tells \
                them apart; the server does not serve `all_again`"
        }),
        "{:#?}",
        output.warnings
    );
    let router = file(&output, "hostile-server/src/router.rs");
    for routed in [
        ".route(\"/search\", axum::routing::get(dispatch_by_q::<A>))",
        "if extract::query_has(&request, \"q\", None) {\n        handle_by_q(api, request).await\n    } \
         else if extract::query_has(&request, \"x\", None) {\n        handle_by_x(api, request).await\n    } \
         else {\n        handle_all(api, request).await\n    }",
    ] {
        assert!(router.contains(routed), "{routed}\n{router}");
    }
    assert!(!router.contains("handle_all_again"), "{router}");

    // A pair that is not `key={name}`: that operation is left out.
    let output = generate(format!(
        "{HEAD}paths:\n  /numbers?{{search}}=1:\n    get: {{responses: {{'204': {{description: none}}}}}}\n  \
         /things:\n    get: {{operationId: things, responses: {{'204': {{description: none}}}}}}\n"
    ))
    .expect("generates");
    assert!(
        output.warnings.iter().any(|w| w.to_string().starts_with(
            "warning[query-string-in-path] at #/paths/~1numbers?{search}=1/get: the path \
             `/numbers?{search}=1` has a query string, which OpenAPI paths cannot carry, with a \
             pair not of the form `key={name}`; the operation is not generated"
        )),
        "{:#?}",
        output.warnings
    );
    assert!(file(&output, "hostile-client/src/client.rs").contains("pub fn things("));

    assert_eq!(
        error(format!(
            "{HEAD}paths:\n  /uploads/{{id}}:\n    get: {{responses: {{'204': {{description: none}}}}}}\n"
        )),
        "at #/paths/~1uploads~1{id}/get (line 5, column 5): path parameter `id` of \
         `/uploads/{id}` is not declared"
    );
}

#[test]
fn empty_paths_generate_crates_without_operations() {
    let output = generate(format!("{HEAD}paths: {{}}\n")).expect("generates");
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    assert!(file(&output, "hostile-types/src/lib.rs").contains("Hostile"));
    assert_eq!(
        error(HEAD),
        "at the document root: not a valid OpenAPI 3.0 document: missing field `paths`"
    );
}

#[test]
fn duplicate_operation_ids_get_distinct_names() {
    let spec = format!(
        "{HEAD}paths:
  /a:
    get: {{operationId: fetch, responses: {{'204': {{description: none}}}}}}
  /b:
    get: {{operationId: fetch, responses: {{'204': {{description: none}}}}}}
    put: {{operationId: Fetch, responses: {{'204': {{description: none}}}}}}
"
    );
    let output = generate(spec).expect("generates");
    let operations = file(&output, "hostile-types/src/operations.rs");
    for module in ["pub mod fetch ", "pub mod fetch2 ", "pub mod fetch3 "] {
        assert!(operations.contains(module), "{module}: {operations}");
    }
    let warnings: Vec<String> = output.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        warnings,
        [
            "warning[duplicate-operation-name] at #/paths/~1b/get: operation `fetch` has the \
             same Rust name `fetch` as an earlier operation; generated as `fetch2`",
            "warning[duplicate-operation-name] at #/paths/~1b/put: operation `Fetch` has the \
             same Rust name `fetch` as an earlier operation; generated as `fetch3`",
        ]
    );
}

#[test]
fn invalid_yaml_and_json() {
    assert_eq!(
        error(format!("{HEAD}paths:\n  /a: [\n")),
        "at #/paths/~1a (line 5, column 1): invalid YAML: did not find expected node content, \
         while parsing a flow node"
    );
    assert_eq!(
        error("{\"openapi\": \"3.0.3\", \"info\": }"),
        "at #/info (line 1, column 30): invalid JSON: expected value"
    );
    assert_eq!(
        error("{\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\""),
        "at #/info (line 1, column 42): invalid JSON: EOF while parsing an object"
    );
    // YAML's flow style looks like JSON at first; it is read as YAML.
    let flow = "{openapi: 3.0.3, info: {title: t, version: '1'}, paths: {}}";
    assert!(generate(flow).is_ok());
}

#[test]
fn documents_that_are_not_openapi_objects() {
    let not =
        |what: &str| format!("at the document root: the document is {what}, not an OpenAPI object");
    assert_eq!(error("- a\n- b\n"), not("an array"));
    assert_eq!(error("just a sentence"), not("a string"));
    assert_eq!(error("null"), not("null"));
    assert_eq!(error("12"), not("a number"));
    assert_eq!(
        error("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n"),
        "at #/swagger (line 1, column 1): \
         Swagger 2.0 is not supported; convert the document to OpenAPI 3.0 first"
    );
    assert_eq!(
        error("openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n"),
        "at #/openapi (line 1, column 1): OpenAPI version 3.2.0 is not supported (3.0.x and 3.1.x are)"
    );
}

#[test]
fn binary_garbage_and_empty_files() {
    // A deterministic stream of bytes (a linear congruential generator).
    let mut state = 0x2545_f491_u32;
    let garbage: Vec<u8> = (0..4096)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (state >> 16) as u8
        })
        .collect();
    assert_eq!(
        error(&garbage),
        "at the document root (line 1, column 3): not a text file: byte 2 (0xe1) is not UTF-8; \
         a spec is YAML or JSON text in UTF-8"
    );
    assert_eq!(
        error(b"\x7fELF\x02\x01\x01\x00\x00\x00"),
        "at the document root (line 1, column 1): invalid YAML: control characters are not allowed"
    );
    assert_eq!(error(""), "at the document root: the document is empty");
    assert_eq!(
        error("\n\n  \n"),
        "at the document root: the document is empty"
    );
}
