//! The optional constructs of a spec, each alone and in combination, give
//! crates that pass `cargo clippy -- -D warnings`: no helper is emitted that
//! nothing uses (dead code, a variant never constructed, an unused import),
//! and none is missing.
//!
//! Each small spec below is generated into `target/combinations/`, and all
//! their crates are linted as one workspace (locked to the repository's
//! `Cargo.lock`, so the dependencies build once and are reused) in the
//! target directory the corpus harness uses.

use std::collections::BTreeSet;
use std::path::Path;

use apiforge_tests::root;

/// A construct: the paths it adds and the security schemes they use.
struct Construct {
    name: &'static str,
    paths: &'static str,
    schemes: &'static [&'static str],
}

const SCHEMES: &[(&str, &str)] = &[
    ("headerKey", "{type: apiKey, in: header, name: X-Key}"),
    ("queryKey", "{type: apiKey, in: query, name: key}"),
    ("cookieKey", "{type: apiKey, in: cookie, name: session}"),
    ("bearer", "{type: http, scheme: bearer}"),
    ("basic", "{type: http, scheme: basic}"),
];

const CONSTRUCTS: &[Construct] = &[
    // Query strings written into path keys: each `key={name}` pair is a
    // query parameter (declared in the path, as real specs do, or not at
    // all; a key percent-encoded), beside a route parameter.
    Construct {
        name: "query-string-in-path",
        paths: r#"
  /lookup?q={term}&sort%20by={order}:
    get:
      operationId: lookUp
      parameters:
        - {name: order, in: path, required: true, schema: {type: string, enum: [asc, desc]}}
      responses: {'204': {description: found}, '400': {description: invalid}}
  /lookup/{id}?view={view}:
    get:
      operationId: lookUpOne
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses: {'204': {description: found}}
"#,
        schemes: &[],
    },
    // Fragments in path keys (AWS's `/#X-Amz-Target=Service.Operation`):
    // operations sharing a method and a route with a parameter, told apart
    // by a header with one allowed value, or by a query parameter only one
    // of them declares.
    Construct {
        name: "fragment-in-path",
        paths: r#"
  /things/{id}#X-Op=Thing.Replace:
    put:
      operationId: replaceThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: X-Op, in: header, required: true, schema: {type: string, enum: [Thing.Replace]}}
      responses: {'204': {description: done}, '400': {description: invalid}}
  /things/{id}#X-Op=Thing.Rename:
    put:
      operationId: renameThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: X-Op, in: header, required: true, schema: {type: string, enum: [Thing.Rename]}}
        - {name: to, in: query, required: true, schema: {type: string}}
      responses: {'204': {description: done}, '400': {description: invalid}}
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      responses: {'204': {description: found}, '400': {description: invalid}}
  /things/{id}#full:
    get:
      operationId: getFullThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: full, in: query, required: true, schema: {type: boolean, enum: [true]}}
      responses: {'204': {description: found}, '400': {description: invalid}}
  /things/{id}#overload=stream:
    put:
      operationId: uploadThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
      requestBody:
        required: true
        content:
          application/octet-stream: {schema: {type: string, format: binary}}
      responses: {'204': {description: done}, '400': {description: invalid}, '415': {description: unsupported}}
"#,
        schemes: &[],
    },
    // Templates that differ only in parameter names (`/users/{id}`,
    // `/users/{user_id}`) or in segments with text (`/users/{id}:archive`):
    // one route, each operation reading its parameter under the route's
    // name; operations on one method told apart by a query parameter, or by
    // the segment's text.
    Construct {
        name: "renamed-path-parameters",
        paths: r#"
  /renamed/{a}/x:
    get:
      operationId: renamedGet
      parameters:
        - {name: a, in: path, required: true, schema: {type: integer}}
      responses: {'204': {description: done}, '400': {description: invalid}}
  /renamed/{b}/x:
    put:
      operationId: renamedPut
      parameters:
        - {name: b, in: path, required: true, schema: {type: string}}
      responses: {'204': {description: done}, '400': {description: invalid}}
  /renamed/{c}/x#search:
    get:
      operationId: renamedSearch
      parameters:
        - {name: c, in: path, required: true, schema: {type: string}}
        - {name: q, in: query, required: true, schema: {type: string}}
      responses: {'204': {description: done}, '400': {description: invalid}}
  /renamed/{a}:archive/x:
    post:
      operationId: renamedArchive
      parameters:
        - {name: a, in: path, required: true, schema: {type: integer}}
      responses: {'204': {description: done}, '400': {description: invalid}}
  /renamed/{id}.{format}/x:
    post:
      operationId: renamedFormat
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: format, in: path, required: true, schema: {type: string}}
      responses: {'204': {description: done}, '400': {description: invalid}}
"#,
        schemes: &[],
    },
    // Consecutive declared statuses beside `default`: the server's guard for
    // `default` excludes them as one range (`200..=202`), as clippy's
    // `manual_range_patterns` asks of a pattern.
    Construct {
        name: "consecutive-statuses",
        paths: r#"
  /consecutive-statuses:
    put:
      operationId: consecutiveStatuses
      responses:
        '202': {description: accepted}
        '200': {description: done}
        '201': {description: created}
        '404': {description: missing}
        '4XX': {description: refused}
        default: {description: other, content: {application/json: {schema: {type: object}}}}
"#,
        schemes: &[],
    },
    // Operations whose names, as types, are names `router.rs` uses: each is
    // served through a type of its own (`Response2`, `State2`, ...), one
    // with a body through `serve_reading`, one that cannot be rejected
    // through `serve` with `Ok`.
    Construct {
        name: "router-named-operations",
        paths: r#"
  /router-named-operations:
    get:
      operationId: response
      parameters: [{name: q, in: query, schema: {type: string}}]
      responses: {'204': {description: done}}
    post:
      operationId: state
      requestBody: {content: {application/json: {schema: {type: object}}}}
      responses: {'204': {description: done}}
    delete:
      operationId: arc
      responses: {'204': {description: done}}
"#,
        schemes: &[],
    },
    // A union of which one variant of several has checks: its `Validate`
    // is an `if let`, not a one-arm `match` (clippy's `single_match`).
    Construct {
        name: "union-one-checked",
        paths: r#"
  /union-one-checked:
    post:
      operationId: unionOneChecked
      requestBody:
        content:
          application/json:
            schema:
              oneOf:
                - {type: object, required: [name], properties: {name: {type: string, maxLength: 5}}}
                - {type: object, required: [count], properties: {count: {type: integer}}}
      responses: {'204': {description: done}, '400': {description: invalid}}
"#,
        schemes: &[],
    },
    Construct {
        name: "deep-optional",
        paths: r#"
  /deep-optional:
    get:
      operationId: deepOptional
      parameters:
        - {name: filter, in: query, style: deepObject, explode: true, schema: {$ref: '#/components/schemas/Filter'}}
      responses: {'204': {description: done}}
"#,
        schemes: &[],
    },
    Construct {
        name: "deep-required",
        paths: r#"
  /deep-required:
    get:
      operationId: deepRequired
      parameters:
        - {name: filter, in: query, required: true, style: deepObject, explode: true, schema: {$ref: '#/components/schemas/Filter'}}
      responses: {'204': {description: done}}
"#,
        schemes: &[],
    },
    Construct {
        name: "scalar-params",
        paths: r#"
  /scalars/{id}:
    get:
      operationId: scalars
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer}}
        - {name: limit, in: query, schema: {type: integer}}
        - {name: X-Trace, in: header, required: true, schema: {type: string}}
      responses: {'204': {description: done}}
"#,
        schemes: &[],
    },
    Construct {
        name: "list-params",
        paths: r#"
  /lists:
    get:
      operationId: lists
      parameters:
        - {name: tags, in: query, explode: false, schema: {type: array, items: {type: string}}}
        - {name: ids, in: query, required: true, schema: {type: array, items: {type: integer}}}
      responses: {'204': {description: done}}
"#,
        schemes: &[],
    },
    Construct {
        name: "json-param",
        paths: r#"
  /json-param:
    get:
      operationId: jsonParam
      parameters:
        - name: where
          in: query
          content: {application/json: {schema: {$ref: '#/components/schemas/Filter'}}}
      responses: {'204': {description: done}}
"#,
        schemes: &[],
    },
    Construct {
        name: "cookie-param",
        paths: r#"
  /cookie-param:
    get:
      operationId: cookieParam
      parameters:
        - {name: theme, in: cookie, schema: {type: string}}
      responses: {'204': {description: done}}
"#,
        schemes: &[],
    },
    Construct {
        name: "mixed-segment",
        paths: r#"
  /files/{stem}.{ext}:
    get:
      operationId: mixedSegment
      parameters:
        - {name: stem, in: path, required: true, schema: {type: string}}
        - {name: ext, in: path, required: true, schema: {type: string}}
      responses: {'204': {description: done}}
"#,
        schemes: &[],
    },
    Construct {
        name: "form-body",
        paths: r#"
  /form:
    post:
      operationId: formBody
      requestBody:
        required: true
        content: {application/x-www-form-urlencoded: {schema: {$ref: '#/components/schemas/Filter'}}}
      responses: {'204': {description: done}}
"#,
        schemes: &[],
    },
    Construct {
        name: "json-body",
        paths: r#"
  /json:
    post:
      operationId: jsonBody
      requestBody:
        content: {application/json: {schema: {$ref: '#/components/schemas/Filter'}}}
      responses: {'204': {description: done}}
"#,
        schemes: &[],
    },
    Construct {
        name: "text-body",
        paths: r#"
  /text:
    post:
      operationId: textBody
      requestBody:
        required: true
        content: {text/plain: {schema: {type: string}}}
      responses: {'204': {description: done}}
"#,
        schemes: &[],
    },
    Construct {
        name: "binary-body",
        paths: r#"
  /binary:
    put:
      operationId: binaryBody
      requestBody:
        content: {application/octet-stream: {schema: {type: string, format: binary}}}
      responses: {'204': {description: done}}
"#,
        schemes: &[],
    },
    Construct {
        name: "several-media-types",
        paths: r#"
  /several:
    post:
      operationId: severalMediaTypes
      requestBody:
        content:
          application/json: {schema: {$ref: '#/components/schemas/Filter'}}
          text/plain: {schema: {type: string}}
          image/*: {schema: {type: string, format: binary}}
      responses:
        '204': {description: done}
        '415': {description: unsupported}
"#,
        schemes: &[],
    },
    Construct {
        name: "multipart-files",
        paths: r#"
  /upload-files:
    post:
      operationId: uploadFiles
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {type: string, format: binary}
                more: {type: array, items: {type: string, format: binary}}
      responses: {'204': {description: done}}
"#,
        schemes: &[],
    },
    Construct {
        name: "multipart-optional-file",
        paths: r#"
  /upload-optional-file:
    post:
      operationId: uploadOptionalFile
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file: {type: string, format: binary}
      responses: {'204': {description: done}}
"#,
        schemes: &[],
    },
    Construct {
        name: "multipart-values",
        paths: r#"
  /upload-values:
    post:
      operationId: uploadValues
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              required: [title]
              properties:
                title: {type: string}
                count: {type: integer}
      responses: {'204': {description: done}}
"#,
        schemes: &[],
    },
    Construct {
        name: "multipart-both",
        paths: r#"
  /upload-both:
    post:
      operationId: uploadBoth
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file, title]
              properties:
                file: {type: string, format: binary}
                title: {type: string}
                tags: {type: array, items: {type: string}}
      responses: {'204': {description: done}}
"#,
        schemes: &[],
    },
    Construct {
        name: "two-keys-at-once",
        paths: r#"
  /two-keys:
    get:
      operationId: twoKeys
      security: [{headerKey: [], queryKey: []}]
      responses: {'204': {description: done}}
"#,
        schemes: &["headerKey", "queryKey"],
    },
    Construct {
        name: "key-pair-or-bearer",
        paths: r#"
  /pair-or-bearer:
    get:
      operationId: pairOrBearer
      security: [{headerKey: [], cookieKey: []}, {bearer: []}]
      responses: {'204': {description: done}, '401': {description: who}}
"#,
        schemes: &["headerKey", "cookieKey", "bearer"],
    },
    Construct {
        name: "cookie-header-query-keys",
        paths: r#"
  /keys:
    get:
      operationId: keys
      security: [{cookieKey: []}, {headerKey: []}, {queryKey: []}]
      responses: {'204': {description: done}}
"#,
        schemes: &["cookieKey", "headerKey", "queryKey"],
    },
    Construct {
        name: "cookie-key",
        paths: r#"
  /cookie-key:
    get:
      operationId: cookieKey
      security: [{cookieKey: []}]
      responses: {'204': {description: done}}
"#,
        schemes: &["cookieKey"],
    },
    Construct {
        name: "basic",
        paths: r#"
  /basic:
    get:
      operationId: basicAuth
      security: [{basic: []}]
      responses: {'204': {description: done}}
"#,
        schemes: &["basic"],
    },
    Construct {
        // Credentials in the query alone: `Input` holds the query and no
        // headers (no lifetime).
        name: "query-key",
        paths: r#"
  /query-key:
    get:
      operationId: queryKey
      security: [{queryKey: []}]
      responses: {'204': {description: done}}
"#,
        schemes: &["queryKey"],
    },
    Construct {
        name: "bearer",
        paths: r#"
  /bearer:
    get:
      operationId: bearerAuth
      security: [{bearer: []}]
      responses: {'204': {description: done}}
"#,
        schemes: &["bearer"],
    },
    Construct {
        // Markdown that renders well but that clippy's doc lints refuse as
        // written (seen in real descriptions): list items and quotes
        // continued lazily, and a continuation indented past its item.
        name: "prose-continuations",
        paths: r#"
  /prose:
    get:
      operationId: prose
      description: |
        Two aspects:
          - availability (weather and capacity)
          - demand
        Using both, distribution is planned.

        - offset of the first record
                     indented far past its item

        > Add an "access_token" parameter to the download URL.
        <br>
        **Prerequisites**:<br>
        * A paid plan.<br>
          **Scopes**: `recording:read`
      parameters:
        - name: filter
          in: query
          description: |
            - text query
            that each record contains
          schema: {type: string}
      responses: {'204': {description: done}}
"#,
        schemes: &[],
    },
];

/// Combinations where one construct's helpers meet another's: a helper one
/// of them needs must not drag in what only the other would use.
const COMBINATIONS: &[&[&str]] = &[
    &["deep-optional", "multipart-values"],
    &["deep-optional", "multipart-files"],
    &["deep-required", "form-body"],
    &["form-body", "multipart-files"],
    &["json-body", "multipart-files"],
    &["text-body", "binary-body"],
    &["scalar-params", "multipart-values"],
    &["mixed-segment", "json-param"],
    &["cookie-param", "two-keys-at-once"],
    &["basic", "bearer"],
    &["query-key", "mixed-segment"],
    &["list-params", "deep-optional", "cookie-key"],
    &["prose-continuations", "json-body"],
];

const FILTER: &str = r#"
    Filter:
      type: object
      properties:
        name: {type: string}
        size: {type: integer}
"#;

/// The spec holding `constructs`.
fn spec(title: &str, constructs: &[&Construct]) -> String {
    let paths: String = constructs.iter().map(|c| c.paths).collect();
    // A spec without operations (a webhook-only or types-only spec) has an
    // empty `paths`, and crates with nothing to call or serve.
    let paths = if paths.is_empty() {
        " {}\n".to_owned()
    } else {
        paths
    };
    let used: BTreeSet<&str> = constructs.iter().flat_map(|c| c.schemes).copied().collect();
    let schemes: String = SCHEMES
        .iter()
        .filter(|(name, _)| used.contains(name))
        .map(|(name, scheme)| format!("    {name}: {scheme}\n"))
        .collect();
    let schemes = if schemes.is_empty() {
        String::new()
    } else {
        format!("  securitySchemes:\n{schemes}")
    };
    format!(
        "openapi: 3.0.3\ninfo: {{title: {title}, version: '1'}}\npaths:{paths}components:\n  schemas:{FILTER}{schemes}"
    )
}

/// The spec of every construct generated with `std-derives = []`.
const WITHOUT_STD_DERIVES: &str = "everything-without-std-derives";

fn construct(name: &str) -> &'static Construct {
    CONSTRUCTS
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no construct `{name}`"))
}

#[test]
fn every_construct_alone_and_combined_passes_clippy() {
    let mut specs: Vec<(String, Vec<&Construct>)> = CONSTRUCTS
        .iter()
        .map(|c| (c.name.to_owned(), vec![c]))
        .collect();
    for combination in COMBINATIONS {
        specs.push((
            combination.join("-and-"),
            combination.iter().map(|name| construct(name)).collect(),
        ));
    }
    specs.push(("everything".to_owned(), CONSTRUCTS.iter().collect()));
    specs.push(("no-operations".to_owned(), Vec::new()));
    // Every construct again, with `std-derives = []`: no generated code may
    // need `Debug`, `Clone` or `PartialEq` of a data type.
    specs.push((WITHOUT_STD_DERIVES.to_owned(), CONSTRUCTS.iter().collect()));

    let dir = root().join("target/combinations");
    let specs_dir = dir.join("specs");
    std::fs::create_dir_all(&specs_dir).expect("create target/combinations/specs");
    let mut members = Vec::new();
    let mut kept = BTreeSet::new();
    for (name, constructs) in &specs {
        let path = specs_dir.join(format!("{name}.yaml"));
        std::fs::write(&path, spec(name, constructs)).expect("write the spec");
        let mut config = apiforge::Config::default();
        config.name = Some(name.clone());
        if name == WITHOUT_STD_DERIVES {
            config.std_derives.debug = false;
            config.std_derives.clone = false;
            config.std_derives.partial_eq = false;
        }
        let output = apiforge::generate_with_config(&path, &config)
            .unwrap_or_else(|e| panic!("`{name}` does not generate: {e}"));
        apiforge::write::write(&dir, &output).expect("write the crates");
        for suffix in ["types", "server", "client"] {
            let crate_dir = format!("{name}-{suffix}");
            assert!(
                dir.join(&crate_dir).is_dir(),
                "`{name}` has no {suffix} crate"
            );
            kept.insert(crate_dir.clone());
            members.push(crate_dir);
        }
    }
    // Crates of combinations no longer listed would only cost build time.
    for entry in std::fs::read_dir(&dir).expect("read target/combinations") {
        let entry = entry.expect("read target/combinations");
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.path().join("Cargo.toml").is_file() && !kept.contains(&name) {
            std::fs::remove_dir_all(entry.path()).expect("remove a stale crate");
        }
    }
    let members: Vec<&str> = members.iter().map(String::as_str).collect();
    apiforge_tests::workspace(&dir, &members);

    let output = clippy(&dir, &root().join("target/corpus/target"));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let findings: Vec<&str> = stderr
        .lines()
        .filter(|line| line.contains("warning") || line.contains("error"))
        .collect();
    assert!(
        output.status.success() && findings.is_empty(),
        "clippy -D warnings on the crates under {}:\n{}",
        dir.display(),
        findings.join("\n")
    );
}

/// `cargo clippy -- -D warnings` over the workspace in `dir`, without the
/// caller's `RUSTFLAGS` (which would rebuild every dependency).
fn clippy(dir: &Path, target: &Path) -> std::process::Output {
    let args = [
        "clippy",
        "--workspace",
        "--keep-going",
        "--quiet",
        "--message-format=short",
        "--",
        "-D",
        "warnings",
    ];
    apiforge_tests::cargo(dir, target, &args)
}
