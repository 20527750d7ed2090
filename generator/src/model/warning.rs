//! Warnings: what the generator could not represent exactly, and the
//! fallback it took instead.
//!
//! Every kind is declared once, in the `warning_kinds!` list below, with its
//! stable name and what it means: the CLI prints that list (`apiforge
//! warnings`), and the table in `docs/generated-code.md` is checked against
//! it.

use std::cmp::Ordering;
use std::fmt;

use crate::error::Printable;

/// Something the generator could not represent exactly, and the fallback it
/// took instead. Printed by the CLI; never silently dropped.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// JSON pointer into the spec.
    pub pointer: String,
    /// What kind of construct, e.g. [`WarningKind::UnsupportedMediaType`]
    /// (for counting, and for looking up what it means).
    pub kind: WarningKind,
    /// What was found and what was done instead.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "warning[{}] at {}: {}",
            self.kind,
            Printable(&self.pointer),
            Printable(&self.message)
        )
    }
}

/// Declares [`WarningKind`] from one entry per kind: the variant, its name,
/// when it is warned about and what the generator does instead. The
/// variant's docs, the lookups and [`WarningKind::ALL`] all come from that
/// one entry, so none of them can miss a kind.
macro_rules! warning_kinds {
    ($($variant:ident = $name:literal { when: $when:literal, fallback: $fallback:literal, },)*) => {
        /// The kind of a [`Warning`]: a stable name (printed between the
        /// brackets of `warning[...]`), and a documented meaning and
        /// fallback.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum WarningKind {
            $(
                #[doc = concat!("`", $name, "`: ", $when, ". Fallback: ", $fallback, ".")]
                $variant,
            )*
        }

        impl WarningKind {
            /// Every kind, in the order of the documentation's table.
            pub const ALL: &'static [WarningKind] = &[$(WarningKind::$variant),*];

            /// The stable kebab-case name, e.g. `unsupported-media-type`.
            pub fn name(self) -> &'static str {
                match self {
                    $(WarningKind::$variant => $name,)*
                }
            }

            /// When the generator warns with this kind (Markdown).
            pub fn when(self) -> &'static str {
                match self {
                    $(WarningKind::$variant => $when,)*
                }
            }

            /// What the generator does instead (Markdown).
            pub fn fallback(self) -> &'static str {
                match self {
                    $(WarningKind::$variant => $fallback,)*
                }
            }
        }
    };
}

warning_kinds! {
    InvalidPath = "invalid-path" {
        when: "a key of `paths` that is empty or does not start with `/` (OpenAPI requires it; `x-` keys are extensions)",
        fallback: "its operations are not generated; the rest of the spec is",
    },
    QueryStringInPath = "query-string-in-path" {
        when: "a key of `paths` with a query string (`/search?q={query}`), which OpenAPI paths cannot carry; each `key={name}` pair is the parameter `name` declares, in the path or the query (a required string when undeclared)",
        fallback: "the pairs are query parameters sent under their keys, and the route is the path before `?`; with a pair of another form (`?{key}=1`, `?format=json`), the operation is not generated",
    },
    UnsupportedCallbacks = "unsupported-callbacks" {
        when: "an operation has `callbacks` (pointer: its `callbacks` object; one warning per operation, naming the callbacks)",
        fallback: "not generated: the server does not send them, the client does not receive them",
    },
    EventStream = "event-stream" {
        when: "the request or chosen response body is `text/event-stream`",
        fallback: "one `String`, like other `text/*`: the client returns when the stream ends, the server sends the whole text; events are not parsed",
    },
    ConstraintNotEnforced = "constraint-not-enforced" {
        when: "a constraint keyword the generated checks cannot enforce: a `pattern` the `regex` crate cannot compile (look-around, back-references) or not within its size limit; a keyword on a value whose Rust type it cannot be checked on (`minLength`, `maxLength` or `pattern` on a `uuid`, `date-time` or `date` string or on an enum; any keyword on a configured external type, a `oneOf`/`anyOf` or an untyped value); `minProperties`/`maxProperties` on an object without `additionalProperties` (its struct drops the properties it does not declare) or next to a `$ref` to a struct; constraints of a request body with several media types",
        fallback: "that keyword is not checked; the others are (see \"Constraints\")",
    },
    UnsupportedMediaType = "unsupported-media-type" {
        when: "a body media type that cannot be read as declared (a body with no media type, `multipart/form-data` without an object schema, a structured schema under a text or binary media type, a form or multipart response)",
        fallback: "the body is not accepted, or is passed as text or raw bytes",
    },
    ParameterContent = "parameter-content" {
        when: "a parameter or header `content` that is not JSON, `text/plain` or `*/*`, or names no media type; JSON `content` in a response header",
        fallback: "the value is plain text",
    },
    UnsupportedParameterStyle = "unsupported-parameter-style" {
        when: "a path parameter in `label` or `matrix` style; an object parameter outside `deepObject`/JSON `content`",
        fallback: "`simple` style; the object as one JSON text",
    },
    UnusedPathParameter = "unused-path-parameter" {
        when: "a path parameter the path template does not contain",
        fallback: "ignored",
    },
    InvalidHeaderName = "invalid-header-name" {
        when: "a response header name HTTP cannot carry",
        fallback: "the header is left out",
    },
    DuplicateOperationName = "duplicate-operation-name" {
        when: "two operations with the same Rust name",
        fallback: "the later one gets a number suffix",
    },
    UnrecognizedPagination = "unrecognized-pagination" {
        when: "a `GET` operation with a JSON `200` response and a query parameter that pages (`page`, `offset`, `per_page`, `page_size`, `cursor`, `starting_after`...) whose response shows none of the patterns the client follows (a `Link` header; a `next` URL property; a cursor property echoed in a query parameter)",
        fallback: "no page stream: `Call::pages` yields the one response; follow pages by hand (`Call::at_url` takes a next link)",
    },
        RenamedClientMethod = "renamed-client-method" {
        when: "an operation named like one of the client's own methods",
        fallback: "the client method gets another name",
    },
    UnroutablePath = "unroutable-path" {
        when: "a path axum cannot route (its template cannot be parsed), or an operation whose method and route are an earlier one's, with nothing it requires to tell their requests apart (a header, query parameter, path segment or body media type: two path keys with query strings, see `query-string-in-path`, fragments, or templates that differ only in parameter names)",
        fallback: "the server does not serve the operation",
    },
    UnsupportedResponseStatus = "unsupported-response-status" {
        when: "a declared status outside 200-599, which cannot be a final response",
        fallback: "the server answers 500 without a body instead",
    },
    UndeclaredRejectionStatus = "undeclared-rejection-status" {
        when: "an operation declares no response for a status the server rejects with",
        fallback: "that status without a body; one warning per status for the spec",
    },
    UnsupportedSecurityScheme = "unsupported-security-scheme" {
        when: "an HTTP authentication scheme other than `bearer`/`basic`",
        fallback: "sent and read as a bearer token",
    },
    UnknownSecurityScheme = "unknown-security-scheme" {
        when: "a security requirement naming no known scheme",
        fallback: "the client never picks that alternative",
    },
    InvalidRustType = "invalid-rust-type" {
        when: "an `x-rust-type` that is not an object of a plain crate name (`crate`), a version requirement (`version`) and a type path of that crate (`path`)",
        fallback: "the schema's own generated type",
    },
    UnknownType = "unknown-type" {
        when: "a schema `type` OpenAPI does not define; in an OpenAPI 3.1 document also a `type` that is neither a type name nor a list of them",
        fallback: "`serde_json::Value`; the 3.1 `type` that is no name is dropped, and the schema read without it",
    },
    AllofConflict = "allof-conflict" {
        when: "`allOf` parts of different types, or a property they define differently",
        fallback: "`serde_json::Value`, or the more general type",
    },
    RecursiveAllof = "recursive-allof" {
        when: "a schema that is a part of its own `allOf`",
        fallback: "that part is skipped",
    },
    RecursiveAlias = "recursive-alias" {
        when: "a named schema defined as itself",
        fallback: "`serde_json::Value`",
    },
    UnsupportedComposition = "unsupported-composition" {
        when: "`oneOf`/`anyOf` next to `properties`; `allOf` of several `oneOf`/`anyOf`",
        fallback: "properties as fields, the rest in `additional_properties`; only the first is used",
    },
    UnsupportedDiscriminator = "unsupported-discriminator" {
        when: "a `discriminator` without `oneOf`/`anyOf`, whose alternatives cannot carry it, or mapping to another document",
        fallback: "the schema is read as itself; variants told apart by shape",
    },
    UnsupportedNot = "unsupported-not" {
        when: "`not`",
        fallback: "the schema without it (or `serde_json::Value`)",
    },
    EnumValueType = "enum-value-type" {
        when: "a `type: string` enum listing non-strings",
        fallback: "the strings of their JSON text",
    },
    UnsupportedSchemaKeyword = "unsupported-schema-keyword" {
        when: "an OpenAPI 3.1 schema uses a JSON Schema keyword with no Rust shape: `if`/`then`/`else`, `dependentSchemas`, `dependentRequired`, `unevaluatedProperties`, `unevaluatedItems`, `prefixItems`, `contains`, `minContains`, `maxContains`, `patternProperties`, `propertyNames`, `$dynamicRef`, `$dynamicAnchor` (pointer: the keyword, or the schema when it has several)",
        fallback: "the keyword is dropped: the schema is read without it, so values it would reject are accepted",
    },
    UnsupportedWebhooks = "unsupported-webhooks" {
        when: "an OpenAPI 3.1 document has `webhooks` (one warning per webhook)",
        fallback: "the server does not send them and the client does not receive them; their payload schemas written inline become types of the types crate (`<operationId>Payload`), those they refer to are generated as every component is",
    },
    SchemaDialect = "schema-dialect" {
        when: "`jsonSchemaDialect` or a schema's `$schema` names a dialect other than OpenAPI 3.1's default or JSON Schema 2020-12",
        fallback: "the schemas are read as OpenAPI 3.1's default dialect",
    },
    MistypedKeyword = "mistyped-keyword" {
        when: "a keyword whose value has a type OpenAPI does not allow there, among those whose loss only weakens checks or docs: `pattern`, `minLength`, `maxLength`, `minimum`, `maximum`, `exclusiveMinimum`, `exclusiveMaximum`, `multipleOf`, `minItems`, `maxItems`, `uniqueItems`, `minProperties`, `maxProperties`, `format`, `title`, `readOnly`, `writeOnly` of a schema; `description`, `summary`, `deprecated`, `externalDocs` where OpenAPI has them (pointer: the keyword; at most 100 per document, then the error). Any other keyword of the wrong type (`type`, `properties`, `items`, `$ref`, `required`, `enum`, `allOf`, `nullable`, `in`, `style`, `explode`, ...) stays an error: its loss would change the generated types or the wire format",
        fallback: "the keyword is dropped and the document read without it: a constraint is not checked, a `format` leaves the value its `type`'s Rust type, docs are left out; a response's required `description` becomes empty",
    },
    InvalidExample = "invalid-example" {
        when: "a schema's `example` that its generated type does not read: a required property missing, a value of another type, a `date-time`, `date` or `uuid` string in another form, an integer beyond its format's range, nested deeper than serde_json reads (pointer: the example; the message says where inside it)",
        fallback: "the example gets no round-trip test in `examples.rs` (a test that always fails would break every `cargo test` of the crate); the schema's type is unchanged",
    },
    ConfusableName = "confusable-name" {
        when: "a name (schema, property, operation, parameter, security scheme) with letters that look like Latin ones (Greek, Cyrillic and other look-alikes), which rustc warns about as confusable",
        fallback: "its Rust name spells each such letter as its code point (`Реt` becomes `U0420U0435T`); the wire name is kept",
    },
}

impl WarningKind {
    /// The kind named `name` (as [`WarningKind::name`] spells it).
    pub fn from_name(name: &str) -> Option<WarningKind> {
        WarningKind::ALL
            .iter()
            .copied()
            .find(|kind| kind.name() == name)
    }

    /// One line: when, then the fallback.
    pub fn explanation(self) -> String {
        format!("{}; fallback: {}", self.when(), self.fallback())
    }

    /// The table of every kind, as `docs/generated-code.md` shows it.
    pub fn markdown_table() -> String {
        let mut table = String::from("| kind | when | fallback |\n|---|---|---|\n");
        for kind in WarningKind::ALL {
            table.push_str(&format!(
                "| `{}` | {} | {} |\n",
                kind.name(),
                kind.when(),
                kind.fallback()
            ));
        }
        table
    }
}

/// By name: warnings sort by pointer, then by the kind as printed.
impl Ord for WarningKind {
    fn cmp(&self, other: &Self) -> Ordering {
        self.name().cmp(other.name())
    }
}

impl PartialOrd for WarningKind {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_distinct_kebab_case() {
        for &kind in WarningKind::ALL {
            let name = kind.name();
            assert_eq!(WarningKind::from_name(name), Some(kind), "{name}");
            assert_eq!(kind.to_string(), name);
            assert!(
                !name.starts_with('-')
                    && !name.ends_with('-')
                    && !name.contains("--")
                    && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "`{name}` is not kebab-case"
            );
        }
        let mut names: Vec<&str> = WarningKind::ALL.iter().map(|k| k.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(
            names.len(),
            WarningKind::ALL.len(),
            "two kinds share a name"
        );
        assert_eq!(WarningKind::from_name("no-such-kind"), None);
    }

    #[test]
    fn every_kind_is_explained_on_one_line() {
        for &kind in WarningKind::ALL {
            for text in [kind.when(), kind.fallback()] {
                assert!(!text.trim().is_empty(), "{kind}");
                // A table cell: one line, no column separator.
                assert!(!text.contains(['\n', '|']), "{kind}: {text}");
            }
            assert!(!kind.explanation().contains('\n'));
        }
    }

    #[test]
    fn kinds_sort_by_name_as_printed() {
        let mut kinds = WarningKind::ALL.to_vec();
        kinds.sort();
        let names: Vec<&str> = kinds.iter().map(|k| k.name()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
    }

    #[test]
    fn warnings_print_as_warning_kind_at_pointer() {
        let warning = Warning {
            pointer: "#/paths/~1a".to_owned(),
            kind: WarningKind::UnsupportedMediaType,
            message: "text".to_owned(),
        };
        assert_eq!(
            warning.to_string(),
            "warning[unsupported-media-type] at #/paths/~1a: text"
        );
    }

    /// The documentation's table is exactly the one the kinds make: a kind
    /// added, renamed or reworded here shows up there.
    #[test]
    fn the_documented_table_is_the_kinds_table() {
        let doc = include_str!("../../../docs/generated-code.md");
        let expected = WarningKind::markdown_table();
        let start = doc
            .find("| kind | when | fallback |")
            .expect("docs/generated-code.md has the warning table");
        let end = doc[start..]
            .find("\n\n")
            .map_or(doc.len(), |n| start + n + 1);
        assert!(
            doc[start..end] == expected,
            "the table of warnings in docs/generated-code.md differs from WarningKind; \
             it should read:\n\n{expected}"
        );
    }
}
