//! Schema examples: each becomes a test of the types crate (`examples.rs`)
//! that reads it into its type and writes it back, so an example the type
//! cannot read would be a failing test in every crate generated from the
//! spec. Specs have such examples (a required property left out, a
//! property at the wrong level, a date-time without its time), and a team
//! cannot fix another team's spec: [`settle`] keeps only the examples the
//! generated `Deserialize` reads, and warns about each one it drops, with
//! where in the example it stops fitting.
//!
//! The check follows what the generated code reads, and is stricter where
//! it cannot tell: a `uuid` must be hyphenated or 32 hex digits, a
//! `date-time` RFC 3339 with an upper-case `T` and `Z`, a `float` within
//! `f32`'s range (a larger one would be written back as `null`). A type
//! the configuration or `x-rust-type` chose is not the generator's to
//! read, and its examples are kept as written. An example that would take
//! too long to check (unions inside unions, many alternatives deep) is
//! dropped too: no test is better than one that may fail.

use serde_json::Value;

use crate::error::pointer_push;
use crate::model::{Api, IntegerFormat, NumberFormat, TypeKind, TypeRef, Warning, WarningKind};

/// How many types inside one another one example's check may follow:
/// the example's own nesting (the loader reads at most 128 levels) and
/// the aliases and alternatives between them, of which a union that is
/// its own alternative would be an endless chain.
const MAX_DEPTH: usize = 512;

/// How many values, types followed and alternatives tried one example's
/// check may take: a union's alternatives are tried in turn, and unions
/// inside unions multiply the tries.
const MAX_STEPS: usize = 100_000;

/// Drops every schema example the generated types cannot read, with an
/// `invalid-example` warning at the example.
pub(super) fn settle(api: &mut Api, warnings: &mut Vec<Warning>) {
    let mut dropped = Vec::new();
    for (index, def) in api.types.iter().enumerate() {
        let Some(example) = &def.example else {
            continue;
        };
        let mut check = Check {
            api,
            steps: 0,
            stopped: false,
        };
        if let Err(misfit) = check.fits(&TypeRef::Named(def.name.clone()), example, 0) {
            warnings.push(Warning {
                pointer: pointer_push(&def.pointer, "example"),
                kind: WarningKind::InvalidExample,
                message: format!(
                    "the example does not fit the schema{}: {}; it gets no test in `examples.rs`",
                    misfit.place(),
                    misfit.problem
                ),
            });
            dropped.push(index);
        }
    }
    for index in dropped {
        api.types[index].example = None;
    }
}

/// Why a value does not fit a type, and where in the example.
#[derive(Debug)]
struct Misfit {
    /// JSON pointer into the example (empty: the example itself).
    at: String,
    problem: String,
}

impl Misfit {
    fn new(problem: impl Into<String>) -> Self {
        Misfit {
            at: String::new(),
            problem: problem.into(),
        }
    }

    /// Where the misfit is, for a message: ` at ` and the pointer, or
    /// nothing when it is the example itself.
    fn place(&self) -> String {
        if self.at.is_empty() {
            String::new()
        } else {
            format!(" at `{}`", self.at)
        }
    }

    /// The misfit found inside the value at `key` of its parent.
    fn inside(mut self, key: &str) -> Self {
        let escaped = key.replace('~', "~0").replace('/', "~1");
        self.at = format!("/{escaped}{}", self.at);
        self
    }
}

struct Check<'a> {
    api: &'a Api,
    steps: usize,
    /// Whether a limit stopped the check: then no other alternative of a
    /// union is tried either.
    stopped: bool,
}

impl Check<'_> {
    /// Whether the generated code reads `value` as a `ty`; `depth` is how
    /// many types the check is inside.
    fn fits(&mut self, ty: &TypeRef, value: &Value, depth: usize) -> Result<(), Misfit> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            self.stopped = true;
            return Err(Misfit::new("it takes too long to check"));
        }
        if depth > MAX_DEPTH {
            self.stopped = true;
            return Err(Misfit::new("its types nest too deep to check"));
        }
        let depth = depth + 1;
        let expected = |what: &str| {
            Err(Misfit::new(format!(
                "expected {what}, found {}",
                kind(value)
            )))
        };
        match ty {
            TypeRef::Any | TypeRef::External(_) => Ok(()),
            TypeRef::String => match value {
                Value::String(_) => Ok(()),
                _ => expected("a string"),
            },
            TypeRef::Bool => match value {
                Value::Bool(_) => Ok(()),
                _ => expected("a boolean"),
            },
            TypeRef::Integer(format) => {
                let fits = match format {
                    IntegerFormat::I32 => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
                    IntegerFormat::I64 => value.as_i64().is_some(),
                };
                if fits {
                    Ok(())
                } else {
                    let range = match format {
                        IntegerFormat::I32 => "a 32-bit integer",
                        IntegerFormat::I64 => "a 64-bit integer",
                    };
                    expected(range)
                }
            }
            TypeRef::Number(format) => match (format, value.as_f64()) {
                (NumberFormat::F64, Some(_)) => Ok(()),
                (NumberFormat::F32, Some(n)) if n.abs() <= f64::from(f32::MAX) => Ok(()),
                (NumberFormat::F32, Some(_)) => {
                    Err(Misfit::new("the number is beyond the range of a `float`"))
                }
                (_, None) => expected("a number"),
            },
            TypeRef::Uuid => match value {
                Value::String(text) if is_uuid(text) => Ok(()),
                Value::String(text) => Err(Misfit::new(format!("`{text}` is not a UUID"))),
                _ => expected("a UUID string"),
            },
            TypeRef::DateTime => match value {
                Value::String(text) if is_date_time(text) => Ok(()),
                Value::String(text) => Err(Misfit::new(format!(
                    "`{text}` is not an RFC 3339 date-time"
                ))),
                _ => expected("a date-time string"),
            },
            TypeRef::Date => match value {
                Value::String(text) if is_date(text.as_bytes()) => Ok(()),
                Value::String(text) => Err(Misfit::new(format!(
                    "`{text}` is not an RFC 3339 full-date"
                ))),
                _ => expected("a date string"),
            },
            TypeRef::Array(item) => {
                let Value::Array(items) = value else {
                    return expected("an array");
                };
                for (index, element) in items.iter().enumerate() {
                    self.fits(item, element, depth)
                        .map_err(|misfit| misfit.inside(&index.to_string()))?;
                }
                Ok(())
            }
            TypeRef::Map(entry) => {
                let Value::Object(entries) = value else {
                    return expected("an object");
                };
                for (key, element) in entries {
                    self.fits(entry, element, depth)
                        .map_err(|misfit| misfit.inside(key))?;
                }
                Ok(())
            }
            TypeRef::OrNull(_) if value.is_null() => Ok(()),
            TypeRef::OrNull(inner) => self.fits(inner, value, depth),
            TypeRef::Named(name) => self.fits_named(name, value, depth),
        }
    }

    /// Whether the generated code reads `value` as the model type `name`.
    fn fits_named(&mut self, name: &str, value: &Value, depth: usize) -> Result<(), Misfit> {
        let api = self.api;
        let Some(def) = api.type_named(name) else {
            return Ok(());
        };
        match &def.kind {
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => self.fits(ty, value, depth),
            TypeKind::Enum(_) => match value {
                // Any string: a value the spec does not list is kept in
                // the enum's extra variant.
                Value::String(_) => Ok(()),
                _ => Err(Misfit::new(format!(
                    "expected a string, found {}",
                    kind(value)
                ))),
            },
            TypeKind::Struct(s) => {
                let Value::Object(properties) = value else {
                    return Err(Misfit::new(format!(
                        "expected an object, found {}",
                        kind(value)
                    )));
                };
                for field in &s.fields {
                    match properties.get(&field.wire_name) {
                        None if field.required && !field.nullable => {
                            return Err(Misfit::new(format!(
                                "the required property `{}` is missing",
                                field.wire_name
                            )));
                        }
                        None => {}
                        // Read as `None` (or `Nullable::Null`) unless
                        // required and not nullable: then `null` must be a
                        // value of the type itself (`Any`).
                        Some(Value::Null) if !field.required || field.nullable => {}
                        Some(property) => self
                            .fits(&field.ty, property, depth)
                            .map_err(|misfit| misfit.inside(&field.wire_name))?,
                    }
                }
                let listed = |key: &String| s.fields.iter().any(|f| &f.wire_name == key);
                let denies_others = def
                    .attributes
                    .iter()
                    .any(|attribute| attribute.contains("deny_unknown_fields"));
                for (key, property) in properties.iter().filter(|(key, _)| !listed(key)) {
                    match &s.additional_properties {
                        Some(ty) => self
                            .fits(ty, property, depth)
                            .map_err(|misfit| misfit.inside(key))?,
                        None if denies_others => {
                            return Err(Misfit::new(format!(
                                "the property `{key}` is not one the schema lists"
                            )));
                        }
                        None => {}
                    }
                }
                Ok(())
            }
            TypeKind::Union(u) => match &u.tag {
                Some(tag) => {
                    let found = match value.get(tag) {
                        Some(Value::String(found)) => found,
                        Some(other) => {
                            return Err(Misfit::new(format!(
                                "the property `{tag}` is {}, not a string",
                                kind(other)
                            )))
                        }
                        None => {
                            return Err(Misfit::new(format!(
                                "the property `{tag}` that tells the alternatives apart is missing"
                            )))
                        }
                    };
                    let variant = u
                        .variants
                        .iter()
                        .find(|v| v.tag_value.as_deref().unwrap_or(v.name.as_str()) == found)
                        .ok_or_else(|| {
                            Misfit::new(format!("`{tag}` is `{found}`, which no alternative has"))
                        })?;
                    self.fits(&variant.ty, value, depth)
                }
                None => {
                    let mut first = None;
                    for variant in &u.variants {
                        match self.fits(&variant.ty, value, depth) {
                            Ok(()) => return Ok(()),
                            Err(misfit) if self.stopped => return Err(misfit),
                            Err(misfit) => {
                                first.get_or_insert(misfit);
                            }
                        }
                    }
                    Err(match first {
                        Some(misfit) => Misfit::new(format!(
                            "it fits none of the alternatives (the first: {}{})",
                            misfit.problem,
                            misfit.place()
                        )),
                        None => Misfit::new("the union has no alternative"),
                    })
                }
            },
        }
    }
}

/// What kind of JSON value `value` is, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a floating-point number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A UUID as `uuid` reads it, in its two common forms: hyphenated
/// (`8-4-4-4-12` hex digits) or 32 hex digits.
fn is_uuid(text: &str) -> bool {
    let hex = |part: &str| part.bytes().all(|b| b.is_ascii_hexdigit());
    if text.len() == 32 {
        return hex(text);
    }
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 5
        && parts
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(part, len)| part.len() == len && hex(part))
}

/// An RFC 3339 full-date (`2024-02-29`) of a real day.
fn is_date(b: &[u8]) -> bool {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) =
        (digits(&b[0..4]), digits(&b[5..7]), digits(&b[8..10]))
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// An RFC 3339 date-time (`2024-02-29T10:15:30.5Z`, `...+01:00`): a
/// full-date, `T`, the time with seconds (up to nine fractional digits),
/// and `Z` or an offset.
fn is_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() < 20 || b[10] != b'T' || !is_date(&b[..10]) || !is_clock(&b[11..19]) {
        return false;
    }
    let mut rest = &b[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if !(1..=9).contains(&count) {
            return false;
        }
        rest = &fraction[count..];
    }
    match rest {
        b"Z" => true,
        [sign, hours @ .., b':', m1, m2]
            if (*sign == b'+' || *sign == b'-') && hours.len() == 2 =>
        {
            digits(hours).is_some_and(|h| h < 24) && digits(&[*m1, *m2]).is_some_and(|m| m < 60)
        }
        _ => false,
    }
}

/// `HH:MM:SS` of a day (no leap second).
fn is_clock(b: &[u8]) -> bool {
    b.len() == 8
        && b[2] == b':'
        && b[5] == b':'
        && digits(&b[0..2]).is_some_and(|h| h < 24)
        && digits(&b[3..5]).is_some_and(|m| m < 60)
        && digits(&b[6..8]).is_some_and(|s| s < 60)
}

/// The number ASCII digits spell; `None` for anything else.
fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{resolve_yaml, with_paths};

    /// The schema `S` (YAML, indented under its name) with `example`, and
    /// whatever other component schemas follow: the warnings about the
    /// examples, and whether `S` kept its example.
    fn check(schema: &str, others: &str) -> (Vec<String>, bool) {
        let (api, warnings) = resolve_yaml(&with_paths(&format!(
            " {{}}\ncomponents:\n  schemas:\n    S:\n{schema}\n{others}"
        )));
        let kept = api.type_named("S").expect("S is a type").example.is_some();
        let messages = warnings
            .iter()
            .filter(|w| w.kind == WarningKind::InvalidExample)
            .map(|w| format!("{}: {}", w.pointer, w.message))
            .collect();
        (messages, kept)
    }

    fn fits(schema: &str, others: &str) {
        let (messages, kept) = check(schema, others);
        assert!(kept && messages.is_empty(), "{messages:#?}");
    }

    fn misfit(schema: &str, others: &str, expected: &str) {
        let (messages, kept) = check(schema, others);
        assert!(!kept, "the example is kept");
        assert_eq!(messages.len(), 1, "{messages:#?}");
        assert!(messages[0].contains(expected), "{}", messages[0]);
        assert!(
            messages[0].starts_with("#/components/schemas/S/example: "),
            "{}",
            messages[0]
        );
    }

    const PAGING: &str = "      type: object
      required: [links, pageNumber]
      properties:
        links: {$ref: '#/components/schemas/Links'}
        pageNumber: {type: integer, format: int32}
        size: {type: number, format: float}";
    const LINKS: &str = "    Links:
      type: object
      required: [self]
      properties:
        self: {type: string}
        when: {type: string, format: date-time, nullable: true}";

    #[test]
    fn a_property_at_the_wrong_level_is_a_missing_required_one() {
        // The shape of codat.io's `PagingInfo` example.
        let schema = format!("{PAGING}\n      example: {{links: {{self: /a, pageNumber: 1}}}}");
        misfit(
            &schema,
            LINKS,
            "the required property `pageNumber` is missing",
        );
        let schema = format!("{PAGING}\n      example: {{links: {{self: /a}}, pageNumber: 1}}");
        fits(&schema, LINKS);
    }

    #[test]
    fn the_message_says_where_inside_the_example() {
        let schema = format!(
            "{PAGING}\n      example: {{links: {{self: /a, when: '2024-02-30T00:00:00Z'}}, pageNumber: 1}}"
        );
        misfit(
            &schema,
            LINKS,
            "at `/links/when`: `2024-02-30T00:00:00Z` is not an RFC 3339 date-time",
        );
    }

    #[test]
    fn null_fits_optional_and_nullable_properties_only() {
        fits(
            &format!("{PAGING}\n      example: {{links: {{self: /a, when: null}}, pageNumber: 1, size: null}}"),
            LINKS,
        );
        misfit(
            &format!("{PAGING}\n      example: {{links: {{self: null}}, pageNumber: 1}}"),
            LINKS,
            "at `/links/self`: expected a string, found null",
        );
    }

    #[test]
    fn numbers_fit_their_format() {
        misfit(
            &format!("{PAGING}\n      example: {{links: {{self: /a}}, pageNumber: 3000000000}}"),
            LINKS,
            "expected a 32-bit integer, found an integer",
        );
        misfit(
            &format!("{PAGING}\n      example: {{links: {{self: /a}}, pageNumber: 1.5}}"),
            LINKS,
            "expected a 32-bit integer, found a floating-point number",
        );
        misfit(
            &format!(
                "{PAGING}\n      example: {{links: {{self: /a}}, pageNumber: 1, size: 1.0e39}}"
            ),
            LINKS,
            "beyond the range of a `float`",
        );
        fits(
            &format!("{PAGING}\n      example: {{links: {{self: /a}}, pageNumber: 1, size: 2}}"),
            LINKS,
        );
    }

    #[test]
    fn unknown_properties_fit_unless_typed() {
        fits(
            &format!("{PAGING}\n      example: {{links: {{self: /a}}, pageNumber: 1, extra: [1]}}"),
            LINKS,
        );
        misfit(
            "      type: object\n      additionalProperties: {type: integer}\n      properties:\n        a: {type: string}\n      example: {a: x, b: 1, c: two}",
            "",
            "at `/c`: expected a 64-bit integer, found a string",
        );
    }

    #[test]
    fn string_enums_take_any_string() {
        fits(
            "      type: string\n      enum: [a, b]\n      example: c",
            "",
        );
        misfit(
            "      type: string\n      enum: [a, b]\n      example: 1",
            "",
            "expected a string",
        );
    }

    #[test]
    fn unions_fit_one_alternative() {
        let union = "      oneOf:\n        - {type: array, items: {type: integer}}\n        - {$ref: '#/components/schemas/Links'}";
        fits(&format!("{union}\n      example: [1, 2]"), LINKS);
        fits(&format!("{union}\n      example: {{self: /a}}"), LINKS);
        misfit(
            &format!("{union}\n      example: [a]"),
            LINKS,
            "it fits none of the alternatives (the first: expected a 64-bit integer, found a string at `/0`)",
        );
    }

    #[test]
    fn tagged_unions_read_the_alternative_their_tag_names() {
        let union = "      oneOf:
        - {$ref: '#/components/schemas/Cat'}
        - {$ref: '#/components/schemas/Dog'}
      discriminator:
        propertyName: kind
        mapping: {cat: '#/components/schemas/Cat', dog: '#/components/schemas/Dog'}";
        let pets = "    Cat:
      type: object
      required: [kind, lives]
      properties: {kind: {type: string}, lives: {type: integer}}
    Dog:
      type: object
      required: [kind]
      properties: {kind: {type: string}, good: {type: boolean}}";
        fits(
            &format!("{union}\n      example: {{kind: cat, lives: 9}}"),
            pets,
        );
        misfit(
            &format!("{union}\n      example: {{kind: dog, lives: 9, good: yes}}"),
            pets,
            "at `/good`: expected a boolean, found a string",
        );
        misfit(
            &format!("{union}\n      example: {{kind: cow}}"),
            pets,
            "`kind` is `cow`, which no alternative has",
        );
    }

    #[test]
    fn formats_are_read_strictly() {
        for (value, ok) in [
            ("2024-02-29T10:15:30Z", true),
            ("2024-02-29T10:15:30.123456789+01:00", true),
            ("2024-02-29T10:15:30-23:59", true),
            ("2023-02-29T10:15:30Z", false),
            ("2024-02-29", false),
            ("2024-02-29T10:15Z", false),
            ("2024-02-29 10:15:30Z", false),
            ("2024-02-29T24:00:00Z", false),
            ("2024-02-29T10:15:30.1234567890Z", false),
            ("2024-02-29T10:15:30+0100", false),
            ("2024-02-29T10:15:30.Z", false),
            ("2024-02-29T10:15:30Zé", false),
            ("é024-02-29T10:15:30Z", false),
        ] {
            assert_eq!(is_date_time(value), ok, "{value}");
        }
        for (value, ok) in [
            ("2000-02-29", true),
            ("1900-02-29", false),
            ("2024-13-01", false),
            ("2024-04-31", false),
            ("2024-4-30", false),
            ("2024-00-10", false),
            ("2024—0-10", false),
        ] {
            assert_eq!(is_date(value.as_bytes()), ok, "{value}");
        }
        for (value, ok) in [
            ("123e4567-e89b-12d3-a456-426614174000", true),
            ("123E4567E89B12D3A456426614174000", true),
            ("123e4567-e89b-12d3-a456-42661417400", false),
            ("123e4567-e89b-12d3-a456_426614174000", false),
            ("{123e4567-e89b-12d3-a456-426614174000}", false),
        ] {
            assert_eq!(is_uuid(value), ok, "{value}");
        }
    }

    #[test]
    fn endless_and_costly_unions_stop_the_check() {
        // A union that is its own first alternative, which no spec was
        // found to resolve to, made by hand.
        let (mut api, _) = resolve_yaml(&with_paths(
            " {}\ncomponents:\n  schemas:\n    S:\n      anyOf: [{type: string}, {type: integer}]\n      example: 1",
        ));
        let index = api.types.iter().position(|def| def.name == "S").unwrap();
        let TypeKind::Union(union) = &mut api.types[index].kind else {
            panic!("S is a union");
        };
        union.variants[0].ty = TypeRef::Named("S".to_owned());
        let mut warnings = Vec::new();
        settle(&mut api, &mut warnings);
        assert_eq!(warnings.len(), 1, "{warnings:#?}");
        assert!(
            warnings[0].message.contains("nest too deep to check"),
            "{}",
            warnings[0].message
        );
        assert!(api.types[index].example.is_none());
        // Unions of eight alternatives, each a union of the next, ten deep:
        // trying every alternative is 8^10 tries; the check gives up.
        let union = |next: &str| {
            let alternatives: String = (0..8)
                .map(|k| {
                    format!(
                        "        - {{type: object, properties: {{a: {{$ref: '#/components/schemas/{next}'}}, p{k}: {{type: string}}}}}}\n"
                    )
                })
                .collect();
            format!("      anyOf:\n{alternatives}")
        };
        let mut others = String::new();
        for level in 1..10 {
            others.push_str(&format!(
                "    U{level}:\n{}",
                union(&format!("U{}", level + 1))
            ));
        }
        others.push_str("    U10: {type: integer}\n");
        let example = format!("{}x{}", "{a: ".repeat(10), "}".repeat(10));
        misfit(
            &format!("{}      example: {example}", union("U1")),
            &others,
            "too long to check",
        );
    }
}
