//! Doc injection: one spec whose every text field the generator reads tries
//! every way into generated code that Markdown, Rust and TOML offer (code
//! blocks rustdoc would compile, HTML, comment and attribute syntax, quotes
//! and backslashes, CR, bidirectional and other control characters). Each
//! planted code block writes a sentinel file named after its field. The
//! three crates are built, tested (doctests included) and linted: the
//! sentinels must not exist, and nothing may warn.
//!
//! The crates build in `target/hostile-docs` (shared between runs, so reruns
//! are incremental) with the workspace's `Cargo.lock`, so no dependency is
//! resolved anew.

use std::path::Path;
use std::process::Command;

use pulldown_cmark::{CodeBlockKind, Event, Options, Tag};
use serde_json::{json, Value};

/// Text that tries every way in; its code writes `<sentinels>/<label>`.
fn attack(label: &str, sentinels: &Path) -> String {
    let code = format!(
        "std::fs::write(\"{}\", \"{label}\").unwrap();",
        sentinels.join(label).display()
    );
    [
        format!("{label}: intro */ #[cfg(any())] #![allow(warnings)] \" \\ ` ``"),
        format!("> ```\n> {code}\n> ```"),
        format!("- ```rust\n  {code}\n  ```"),
        format!("1. ```\n   {code}\n   ```"),
        format!("- item\n  - ```\n    {code}\n    ```\n  - nested\n\n        {code}"),
        format!("| a | b |\n|---|---|\n| ```{code}``` | <pre>{code}</pre> |"),
        format!("~~~\n{code}\n~~~"),
        format!("    {code}"),
        format!("- item\n\n      {code}"),
        format!("> quote\n>\n>     {code}"),
        format!("> - > ```\n>   > {code}"),
        format!("[^note]: a note\n\n        {code}"),
        format!("<pre>\n{code}\n</pre>"),
        format!("<code>{code}</code> <script>alert(1)</script>"),
        format!("<details>\n\n```\n{code}\n```\n\n</details>"),
        "[Pet] [unresolved] [a][b] see https://example.com/docs.".to_owned(),
        "CR\rhere, CRLF\r\nbidi \u{202E}evil\u{202C} \u{2066}isolate\u{2069} \u{200F}".to_owned(),
        "NUL \0 BEL \u{7} ESC \u{1b}[31m VT \u{b} FF \u{c} DEL \u{7f} NEL \u{85} LS \u{2028} end"
            .to_owned(),
        format!("\t{code}"),
        format!("```\n{code}"),
    ]
    .join("\n\n")
}

/// The spec: every field the generator reads carries `attack(label)`, with
/// a label naming the field.
fn spec(sentinels: &Path) -> Value {
    let a = |label: &str| Value::String(attack(label, sentinels));
    let name = |label: &str| Value::String(format!("{label} Реt\r\n```\u{202E}\"\\*/#[x]"));
    let property = json!({
        "type": "string",
        "title": a("property-title"),
        "description": a("property-description"),
        "default": a("property-default"),
        "example": a("property-example"),
    });
    let mut properties = serde_json::Map::new();
    properties.insert(
        name("property-name")
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        property,
    );
    properties.insert(
        "kind".to_owned(),
        json!({
            "type": "string",
            // A script link: the whole text is rendered plain.
            "description": format!("{}\n\n[click](javascript:alert(1)) [a](b)", attack("enum-description", sentinels)),
            "enum": [a("enum-value-1"), a("enum-value-2"), "Pet", "Реt"],
        }),
    );
    properties.insert(
        "count".to_owned(),
        json!({"type": "integer", "description": a("count-description"), "default": 3}),
    );
    let schema_name = name("schema-name");
    let schema_name = schema_name.as_str().unwrap_or_default();
    let mut schemas = serde_json::Map::new();
    schemas.insert(
        schema_name.to_owned(),
        json!({
            "type": "object",
            "title": a("schema-title"),
            "description": a("schema-description"),
            "properties": properties,
            "example": {"kind": "Pet", "count": 1, "extra": a("schema-example")},
        }),
    );
    schemas.insert(
        "Pet".to_owned(),
        json!({"type": "object", "properties": {"name": {"type": "string"}}}),
    );
    schemas.insert(
        "Реt".to_owned(),
        json!({"type": "object", "properties": {"name": {"type": "string"}}}),
    );
    let reference = json!({"$ref": format!("#/components/schemas/{}", schema_name.replace('~', "~0").replace('/', "~1"))});
    let operation = |label: &str| {
        json!({
            "operationId": name(&format!("{label}-operation-id")),
            "summary": a(&format!("{label}-summary")),
            "description": a(&format!("{label}-description")),
            "tags": ["things"],
            "x-extension": a(&format!("{label}-extension")),
            "parameters": [
                {
                    "name": name(&format!("{label}-query-name")),
                    "in": "query",
                    "description": a(&format!("{label}-query-description")),
                    "schema": {"type": "string", "default": a(&format!("{label}-query-default")), "example": a(&format!("{label}-query-example"))},
                    "example": a(&format!("{label}-parameter-example")),
                },
                {
                    "name": "X-Trace",
                    "in": "header",
                    "description": a(&format!("{label}-header-parameter-description")),
                    "schema": {"type": "string", "enum": [a(&format!("{label}-header-enum"))]},
                },
            ],
            "responses": {
                "200": {
                    "description": a(&format!("{label}-response-description")),
                    "headers": {
                        "X-Rate": {
                            "description": a(&format!("{label}-response-header-description")),
                            "schema": {"type": "integer"},
                        },
                    },
                    "content": {"application/json": {"schema": reference.clone(), "example": a(&format!("{label}-response-example"))}},
                },
                "default": {"description": a(&format!("{label}-default-response-description"))},
            },
        })
    };
    let mut post = operation("post");
    post["requestBody"] = json!({
        "description": a("request-body-description"),
        "required": true,
        "content": {"application/json": {"schema": reference}},
    });
    post["security"] = json!([{ attack("security-scheme-key", sentinels): [] }]);
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": a("info-title"),
            "version": a("info-version"),
            "description": a("info-description"),
            "termsOfService": a("info-terms"),
            "contact": {"name": a("contact-name"), "url": "https://example.com"},
            "license": {"name": a("license-name")},
        },
        "servers": [
            {
                "url": format!("https://example.com/{{v}}\n```\n{}\n```", attack("server-url", sentinels)),
                "description": a("server-description"),
                "variables": {"v": {"default": a("server-variable-default"), "enum": [a("server-variable-default")], "description": a("server-variable-description")}},
            },
            {"url": "https://example.com/\u{202E}\"\\`{}", "description": a("server-2-description")},
        ],
        "tags": [{"name": "things", "description": a("tag-description")}],
        "paths": {
            "/odd`<script>*/#[x]\"\\\u{202E}\r\n```\n~~~": {
                "get": {
                    "operationId": "odd_path",
                    "responses": {"204": {"description": a("odd-path-response-description")}},
                },
            },
            "/things": {
                "summary": a("path-summary"),
                "description": a("path-description"),
                "get": operation("get"),
                "post": post,
            },
        },
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                attack("security-scheme-key", sentinels): {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-Key",
                    "description": a("security-scheme-description"),
                },
            },
        },
    })
}

/// Runs `cargo <args>` in `dir` with the shared target directory: whether
/// it succeeded, and its stdout and stderr.
fn cargo(dir: &Path, args: &[&str]) -> (bool, String) {
    let target = apiforge_tests::root().join("target/hostile-docs");
    apiforge_tests::cargo_report(dir, &target, args)
}

#[test]
fn spec_text_never_runs_breaks_or_warns() {
    let work = tempfile::tempdir().expect("temp dir");
    let sentinels = work.path().join("sentinels");
    std::fs::create_dir(&sentinels).expect("sentinel dir");
    let spec_path = work.path().join("hostile.json");
    let spec = serde_json::to_string_pretty(&spec(&sentinels)).expect("spec serializes");
    std::fs::write(&spec_path, spec).expect("write the spec");

    let output = apiforge::generate(&spec_path, Some("hostile")).expect("the spec generates");
    let crates = work.path().join("crates");
    apiforge::write::write(&crates, &output).expect("write the crates");
    apiforge_tests::workspace(
        &crates,
        &["hostile-types", "hostile-server", "hostile-client"],
    );

    // Every feature: the server's `tracing` feature writes spec text
    // (operation ids, paths) into the spans' fields.
    let (checked, check) = cargo(&crates, apiforge_tests::STRICT_CLIPPY);
    assert!(checked, "{check}");
    assert_eq!(
        apiforge_tests::cargo_warnings(&check),
        Vec::<&str>::new(),
        "{check}"
    );
    // Unit tests, the schemas' example round trips and doctests. The
    // sentinels are looked at first: they name the field that got through.
    let (tested, test) = cargo(&crates, &["test", "--workspace", "--offline"]);
    let ran: Vec<String> = std::fs::read_dir(&sentinels)
        .expect("read the sentinel dir")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(ran.is_empty(), "spec text ran as code: {ran:?}\n{test}");
    assert!(tested, "{test}");
    assert_eq!(
        apiforge_tests::cargo_warnings(&test),
        Vec::<&str>::new(),
        "{test}"
    );
    // rustdoc itself: no broken intra-doc link, no bare URL, no bad HTML.
    let (documented, doc) = {
        let target = apiforge_tests::root().join("target/hostile-docs");
        let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .args(["doc", "--workspace", "--no-deps", "--offline"])
            .current_dir(&crates)
            .env("CARGO_TARGET_DIR", target)
            .env("RUSTDOCFLAGS", "-D warnings")
            .output()
            .expect("cargo runs");
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    assert!(documented, "{doc}");
    // The only doctests are the generator's own examples (the client's
    // usage example, the server's two of `serve` and one of `spec_router`,
    // and the READMEs' usage examples: one of the types crate, five of the
    // server, four of the client: usage, per-call options, middleware,
    // in-process test double), each compiled: none comes from the spec,
    // none is ignored.
    let (_, doc) = cargo(&crates, &["test", "--workspace", "--offline", "--doc"]);
    let doctests: Vec<&str> = doc
        .lines()
        .filter(|l| l.starts_with("test ") && !l.starts_with("test result"))
        .collect();
    assert_eq!(doctests.len(), 14, "{doc}");
    for doctest in &doctests {
        let readme = doctest.contains("/src/lib.rs - ReadmeExamples (line ");
        let ours = doctest.starts_with("test hostile-client/src/lib.rs - (line ")
            || doctest.starts_with("test hostile-server/src/serve.rs - serve::")
            || doctest.starts_with("test hostile-server/src/spec.rs - spec::")
            || readme;
        assert!(ours, "{doc}");
        // The READMEs' examples only define functions: running them runs
        // nothing.
        assert!(
            doctest.ends_with(" - compile ... ok") || (readme && doctest.ends_with(" ... ok")),
            "{doc}"
        );
    }

    // The client's own `no_run` example is still a doctest, and compiled.
    let lib = &output.files[Path::new("hostile-client/src/lib.rs")];
    assert_eq!(lib.matches("```no_run").count(), 1, "{lib}");
    // READMEs: no raw HTML, and no code block but the template's own
    // examples (spec text reaches them only inside string literals).
    for kind in ["types", "server", "client"] {
        let readme = &output.files[Path::new(&format!("hostile-{kind}/README.md"))];
        let mut rust_blocks = 0;
        // With the extensions GitHub's and rustdoc's Markdown have.
        let options = Options::ENABLE_TABLES
            | Options::ENABLE_FOOTNOTES
            | Options::ENABLE_STRIKETHROUGH
            | Options::ENABLE_TASKLISTS;
        for event in pulldown_cmark::Parser::new_ext(readme, options) {
            match event {
                Event::Html(html) | Event::InlineHtml(html) => {
                    panic!("raw HTML {html:?} in\n{readme}")
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if &*info == "rust" => {
                    rust_blocks += 1
                }
                Event::Start(Tag::CodeBlock(kind)) => {
                    assert_eq!(
                        kind,
                        CodeBlockKind::Fenced("text".into()),
                        "a code block in\n{readme}"
                    )
                }
                _ => {}
            }
        }
        // The template's examples: usage, and the server's method, two of
        // serving, its layers and its spec route.
        assert!(rust_blocks <= 5, "{readme}");
    }
    for (path, text) in &output.files {
        // The spec the server crate carries is the input as it was read:
        // data that `spec.rs` includes as a string, never code.
        if path == Path::new("hostile-server/openapi.json") {
            continue;
        }
        assert!(
            !text.chars().any(|c| c == '\r'
                || c == '\0'
                || ('\u{202A}'..='\u{202E}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)),
            "{} holds a raw control or bidirectional character",
            path.display()
        );
    }

    // Names mixing scripts are reported and renamed.
    assert!(
        output
            .warnings
            .iter()
            .any(|w| w.kind.name() == "confusable-name"),
        "{:#?}",
        output.warnings
    );
}
