//! Inputs that used to vanish or collide without a word: parts of a spec
//! the generator leaves out or does not enforce (each is a warning naming
//! its place), crate names that make no package name (an error naming the
//! value), symbolic links in the output directory (refused, naming the
//! link, with nothing outside the output directory touched), and `$ref`s of
//! a split spec that lead out of its directory (refused, naming the `$ref`,
//! with nothing outside read).

use std::fs;
use std::path::Path;

use apiforge::{Error, Output};

/// Runs the whole pipeline on a spec with this content, named `inputs`.
fn generate(content: &str) -> Result<Output, Error> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("spec.yaml");
    fs::write(&path, content).expect("write the spec");
    apiforge::generate(&path, Some("inputs"))
}

/// The warnings as the command line prints them.
fn warnings(output: &Output) -> Vec<String> {
    output.warnings.iter().map(ToString::to_string).collect()
}

fn file<'a>(output: &'a Output, path: &str) -> &'a str {
    output
        .files
        .get(Path::new(path))
        .unwrap_or_else(|| panic!("no {path} in {:?}", output.files.keys()))
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: Inputs, version: '1'}\n";

// ---- specs split over several files ----------------------------------------

/// A `$ref` out of the root spec's directory, written in another file of the
/// spec, is an error naming that file, the `$ref`'s pointer and line; the
/// file outside is not read (it is not YAML, and no YAML error comes).
#[test]
fn references_out_of_a_split_spec_are_refused_and_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("spec");
    fs::create_dir_all(spec.join("schemas")).expect("dirs");
    fs::write(dir.path().join("outside.yaml"), "{{{ not yaml").expect("write");
    fs::write(
        spec.join("api.yaml"),
        format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Order: {{$ref: 'schemas/order.yaml#/Order'}}\n"
        ),
    )
    .expect("write");
    let order = "Order:\n  type: object\n  properties:\n    secret: {$ref: '../../outside.yaml'}\n";
    fs::write(spec.join("schemas/order.yaml"), order).expect("write");
    let error = apiforge::generate(&spec.join("api.yaml"), None).expect_err("refused");
    assert_eq!(error.file.as_deref(), Some("schemas/order.yaml"));
    assert_eq!(
        error.pointer.as_deref(),
        Some("#/Order/properties/secret/$ref")
    );
    assert_eq!((error.line, error.column), (Some(4), Some(14)));
    assert_eq!(
        error.message,
        "`$ref` to `../../outside.yaml`: `..` leads out of the root spec's directory; only \
         files in the root spec's directory and below it are read"
    );

    // A pointer to nothing in another file.
    let order = "Order:\n  type: object\n  properties:\n    line: {$ref: 'line.yaml#/Line'}\n";
    fs::write(spec.join("schemas/order.yaml"), order).expect("write");
    fs::write(spec.join("schemas/line.yaml"), "Lines: {type: string}\n").expect("write");
    let error = apiforge::generate(&spec.join("api.yaml"), None).expect_err("refused");
    assert_eq!(
        error.to_string(),
        "at schemas/order.yaml#/Order/properties/line/$ref (line 4, column 12): `$ref` to \
         `line.yaml#/Line`: schemas/line.yaml has no node at #/Line"
    );
}

// ---- constructs left out ------------------------------------------------

#[test]
fn paths_without_a_leading_slash_are_warned_about() {
    let spec = format!(
        "{HEAD}paths:
  '': {{get: {{operationId: root, responses: {{'204': {{description: none}}}}}}}}
  pets: {{get: {{operationId: listPets, responses: {{'204': {{description: none}}}}}}}}
  x-private: {{get: {{operationId: hidden}}}}
  /kept: {{get: {{operationId: kept, responses: {{'204': {{description: none}}}}}}}}
"
    );
    let output = generate(&spec).expect("generates");
    assert_eq!(
        warnings(&output),
        [
            "warning[invalid-path] at #/paths/: the path is empty, and OpenAPI requires a path \
             to start with `/`; its operations are not generated",
            "warning[invalid-path] at #/paths/pets: the path `pets` does not start with `/` as \
             OpenAPI requires (`/pets` was probably meant); its operations are not generated",
        ]
    );
    let api = file(&output, "inputs-server/src/api.rs");
    assert!(api.contains("fn kept("), "{api}");
    assert!(
        !api.contains("fn list_pets(") && !api.contains("fn root("),
        "{api}"
    );
}

#[test]
fn callbacks_are_warned_about_per_operation() {
    let spec = format!(
        "{HEAD}paths:
  /subscriptions:
    post:
      operationId: subscribe
      callbacks:
        onEvent:
          '{{$request.body#/url}}':
            post: {{responses: {{'204': {{description: none}}}}}}
      responses: {{'204': {{description: none}}}}
    delete:
      operationId: unsubscribe
      callbacks:
        onGone: {{$ref: '#/components/callbacks/Gone'}}
        onLast: {{$ref: '#/components/callbacks/Gone'}}
      responses: {{'204': {{description: none}}}}
components:
  callbacks:
    Gone:
      '{{$request.body#/url}}':
        post: {{responses: {{'204': {{description: none}}}}}}
"
    );
    let output = generate(&spec).expect("generates");
    assert_eq!(
        warnings(&output),
        [
            "warning[unsupported-callbacks] at #/paths/~1subscriptions/delete/callbacks: \
             callbacks are not supported: `onGone`, `onLast` are not generated (the server does \
             not send the requests, the client does not receive them)",
            "warning[unsupported-callbacks] at #/paths/~1subscriptions/post/callbacks: \
             callbacks are not supported: `onEvent` is not generated (the server does not send \
             the requests, the client does not receive them)",
        ]
    );
}

#[test]
fn event_streams_are_warned_about_and_read_as_one_string() {
    let spec = format!(
        "{HEAD}paths:
  /events:
    get:
      operationId: events
      responses:
        '200':
          description: a stream
          content:
            text/event-stream: {{schema: {{type: string}}}}
        '400': {{description: bad}}
"
    );
    let output = generate(&spec).expect("generates");
    assert_eq!(
        warnings(&output),
        ["warning[event-stream] at #/paths/~1events/get/responses/200/content/text~1event-stream: \
          server-sent events are not supported: a `text/event-stream` response body is one \
          `String` (the client returns it only when the stream ends, and the server sends the \
          whole text at once); events are not parsed"]
    );
    let operations = file(&output, "inputs-types/src/operations.rs");
    assert!(operations.contains("Ok(String)"), "{operations}");
}

#[test]
fn a_pattern_the_regex_crate_cannot_compile_is_named_at_its_place() {
    let spec = format!(
        "{HEAD}paths:
  /things:
    get:
      operationId: things
      parameters:
        - {{name: q, in: query, schema: {{type: string, maxLength: 20, pattern: '(?<=a)b'}}}}
      responses: {{'204': {{description: none}}, '400': {{description: bad}}}}
"
    );
    let output = generate(&spec).expect("generates");
    assert_eq!(
        warnings(&output),
        [
            "warning[constraint-not-enforced] at #/paths/~1things/get/parameters/0/schema/pattern: \
             the `pattern` is not enforced: the `regex` crate cannot use it (look-around, \
             including look-ahead and look-behind, is not supported)"
        ]
    );
    // The length is checked all the same; the pattern is not.
    let validate = file(&output, "inputs-types/src/validate.rs");
    assert!(validate.contains("Some(20u64)"), "{validate}");
    assert!(!validate.contains("(?<=a)b"), "{validate}");
}

/// Many constraints, everywhere: all enforced, no warning, the same output
/// on every run.
#[test]
fn constraints_are_enforced_without_a_warning() {
    let mut components = String::from("components:\n  schemas:\n");
    for i in 0..12 {
        components.push_str(&format!(
            "    S{i:02}:\n      type: object\n      properties:\n        \
             name: {{type: string, minLength: 1, pattern: '^[a-z]+$'}}\n        \
             tags: {{type: array, items: {{type: string}}, uniqueItems: true}}\n        \
             pattern: {{type: integer, multipleOf: 5, example: {{maximum: 1}}}}\n"
        ));
    }
    let spec = format!(
        "{HEAD}paths:
  /things:
    post:
      operationId: create
      requestBody:
        content:
          application/json: {{schema: {{type: object, minProperties: 1, maxProperties: 4}}}}
      responses: {{'204': {{description: none}}, '400': {{description: bad}}}}
{components}"
    );
    let output = generate(&spec).expect("generates");
    assert_eq!(warnings(&output), Vec::<String>::new());
    let validate = file(&output, "inputs-types/src/validate.rs");
    assert_eq!(validate.matches("impl Validate for crate::S").count(), 12);
    assert!(validate.contains("pub fn create_body("), "{validate}");
    // One compiled pattern, shared by the twelve schemas.
    assert_eq!(validate.matches("static PATTERN_").count(), 1);
    // The same (each run reads its own copy of the spec: the files read
    // differ).
    let again = generate(&spec).expect("generates again");
    assert_eq!(
        (again.files, again.warnings),
        (output.files, output.warnings)
    );
}

// ---- crate names --------------------------------------------------------

#[test]
fn names_that_make_no_package_name_are_errors_naming_the_value() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("spec.yaml");
    fs::write(&spec, format!("{HEAD}paths: {{}}\n")).expect("spec");
    for name in ["", "..", "-", "日本", "_", " ", "/", "--..--", "ü"] {
        let error = apiforge::generate(&spec, Some(name)).expect_err(name);
        assert_eq!(
            error.to_string(),
            format!(
                "the name {name:?} makes no crate name: crates are named with ASCII letters, \
                 digits and `-`, and it has no ASCII letter or digit; choose a name such as \
                 `orders`"
            )
        );
    }
    // Without a name, the file's.
    let unnamed = dir.path().join("日本.yaml");
    fs::copy(&spec, &unnamed).expect("copy");
    let error = apiforge::generate(&unnamed, None).expect_err("no name in the file name");
    assert_eq!(
        error.to_string(),
        "the spec's file name \"日本.yaml\" has no ASCII letter or digit to name the crates \
         after; give a name (`--name orders`)"
    );
}

/// Names that work keep mapping as they did.
#[test]
fn names_that_work_map_as_before() {
    let dir = tempfile::tempdir().expect("temp dir");
    let spec = dir.path().join("Pet Store v2.yaml");
    fs::write(&spec, format!("{HEAD}paths: {{}}\n")).expect("spec");
    let crates = |name: Option<&str>| -> Vec<String> {
        let output = apiforge::generate(&spec, name).expect("generates");
        let mut dirs: Vec<String> = output
            .files
            .keys()
            .filter_map(|p| p.iter().next())
            .map(|first| first.to_string_lossy().into_owned())
            .collect();
        dirs.dedup();
        dirs
    };
    assert_eq!(
        crates(None),
        [
            "pet-store-v2-client",
            "pet-store-v2-server",
            "pet-store-v2-types"
        ]
    );
    assert_eq!(
        crates(Some("1Password")),
        [
            "api-1password-client",
            "api-1password-server",
            "api-1password-types"
        ]
    );
    assert_eq!(
        crates(Some("日本-shop")),
        ["shop-client", "shop-server", "shop-types"]
    );
}

// ---- symbolic links in the output directory -----------------------------

/// A crate directory that is a link to a directory outside `--out`, which
/// holds a file that looks generated (so a clean-up would remove it): the
/// write is refused, naming the link, and nothing there changes.
#[cfg(unix)]
#[test]
fn a_linked_crate_directory_is_refused() {
    let output = generate(&format!("{HEAD}paths: {{}}\n")).expect("generates");
    let out = tempfile::tempdir().expect("out dir");
    let outside = tempfile::tempdir().expect("outside dir");
    let sentinel = outside.path().join("models.rs");
    let stale = "// Generated by apiforge from an OpenAPI description. Do not edit.\n";
    fs::write(&sentinel, stale).expect("sentinel");
    let link = out.path().join("inputs-types");
    std::os::unix::fs::symlink(outside.path(), &link).expect("link");

    let error = apiforge::write::write(out.path(), &output).expect_err("refused");
    assert!(
        error.to_string().starts_with(&format!(
            "refusing to follow the symbolic link {}:",
            link.display()
        )),
        "{error}"
    );
    let error = apiforge::write::check(out.path(), &output).expect_err("check refuses too");
    assert!(
        error.to_string().contains(&link.display().to_string()),
        "{error}"
    );

    assert_eq!(
        fs::read_to_string(&sentinel).expect("sentinel survives"),
        stale
    );
    assert_eq!(fs::read_dir(outside.path()).expect("outside").count(), 1);
    // Refused before writing anything at all.
    let written: Vec<_> = fs::read_dir(out.path())
        .expect("out")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(written, ["inputs-types"]);
}

/// Once the link is gone, the same output is written, and the directory it
/// pointed to is still untouched.
#[cfg(unix)]
#[test]
fn removing_the_link_lets_generation_proceed() {
    let output = generate(&format!("{HEAD}paths: {{}}\n")).expect("generates");
    let out = tempfile::tempdir().expect("out dir");
    let outside = tempfile::tempdir().expect("outside dir");
    let link = out.path().join("inputs-server");
    std::os::unix::fs::symlink(outside.path(), &link).expect("link");
    assert!(apiforge::write::write(out.path(), &output).is_err());
    fs::remove_file(&link).expect("remove the link");
    let report = apiforge::write::write(out.path(), &output).expect("writes");
    assert_eq!(report.written.len(), output.files.len());
    assert!(apiforge::write::check(out.path(), &output)
        .expect("check")
        .is_empty());
    assert_eq!(fs::read_dir(outside.path()).expect("outside").count(), 0);
}

// ---- keywords of the wrong type ------------------------------------------

/// A keyword of the wrong type that only checks or documents (`pattern: 0`,
/// `maxLength: "10"`, `description: 5`) is dropped with a warning at its
/// pointer, and the spec generates: the dropped constraints are not
/// checked, the others are.
#[test]
fn mistyped_checks_and_docs_are_dropped_with_a_warning_each() {
    let spec = format!(
        "{HEAD}paths:
  /things:
    get:
      operationId: things
      parameters:
        - name: q
          in: query
          schema: {{type: string, minLength: 3, pattern: 0, maxLength: '10', description: 5}}
      responses: {{'204': {{description: none}}, '400': {{description: bad}}}}
"
    );
    let output = generate(&spec).expect("generates");
    let at = "#/paths/~1things/get/parameters/0/schema";
    assert_eq!(
        warnings(&output),
        [
            format!(
                "warning[mistyped-keyword] at {at}/description: `description` is the number `5`, \
                 where OpenAPI 3.0 requires a string; the keyword is dropped: what it says is left \
                 out of the generated code"
            ),
            format!(
                "warning[mistyped-keyword] at {at}/maxLength: `maxLength` is the string \"10\", \
                 where OpenAPI 3.0 requires a non-negative integer; the keyword is dropped: values \
                 it would reject are accepted (nothing checks it)"
            ),
            format!(
                "warning[mistyped-keyword] at {at}/pattern: `pattern` is the number `0`, where \
                 OpenAPI 3.0 requires a string; the keyword is dropped: values it would reject are \
                 accepted (nothing checks it)"
            ),
        ]
    );
    // `minLength` is checked; no length limit and no pattern are.
    let validate = file(&output, "inputs-types/src/validate.rs");
    assert!(validate.contains("Some(3u64)"), "{validate}");
    assert!(!validate.contains("Some(10u64)"), "{validate}");
    assert!(!validate.contains("PATTERN_"), "{validate}");
}

/// A keyword of the wrong type that shapes the generated types stays an
/// error naming its pointer (`properties` of the wrong type: its schema's),
/// also next to one that would be dropped.
#[test]
fn mistyped_keywords_that_shape_types_are_errors_naming_them() {
    for (schema, pointer, message) in [
        (
            "{type: 5, description: 5}",
            "#/components/schemas/Thing/type",
            "invalid type: integer `5`, expected a string",
        ),
        (
            "{type: object, properties: [], title: 5}",
            "#/components/schemas/Thing",
            "invalid type: sequence, expected a map",
        ),
    ] {
        let spec = format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Thing: {schema}\n");
        let error = generate(&spec).expect_err("refused");
        assert_eq!(error.pointer.as_deref(), Some(pointer), "{error}");
        assert_eq!(
            error.message,
            format!("not a valid OpenAPI 3.0 document: {message}")
        );
    }
}

/// A discriminator mapping to a file that is not there (a spec bundled
/// into one file with its mapping left as it was) is warned about at its
/// pointer, and the union is told apart by shape.
#[test]
fn mappings_to_missing_files_are_warned_about() {
    let spec = format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    Cat: {{type: object, required: [kind, purrs], properties: {{kind: {{type: string}}, purrs: {{type: boolean}}}}}}
    Dog: {{type: object, required: [kind, barks], properties: {{kind: {{type: string}}, barks: {{type: boolean}}}}}}
    Pet:
      oneOf: [{{$ref: '#/components/schemas/Cat'}}, {{$ref: '#/components/schemas/Dog'}}]
      discriminator:
        propertyName: kind
        mapping: {{cat: 'models/pets.yml#/Cat'}}
"
    );
    let output = generate(&spec).expect("generates");
    assert_eq!(
        warnings(&output),
        // One warning, at the mapping: the union's alternatives are fine.
        ["warning[unsupported-discriminator] at #/components/schemas/Pet/discriminator/mapping/cat: \
          mapping to `models/pets.yml#/Cat` (another document) is not supported"]
    );
}
