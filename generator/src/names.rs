//! Names: turning the spec's vocabulary into Rust identifiers, and keeping
//! them unique. Every identifier in generated code is made here, so the rules
//! (case, keywords, leading digits, symbols, collisions) live in one place.

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::model::{Api, TypeKind, Warning, WarningKind};

/// Rust keywords (strict and reserved, all editions up to 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; names equal to them get a `_`.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Type names generated code uses unqualified; a schema with one of these
/// names is renamed (`Model` appended) so it never shadows them.
const RESERVED_TYPE_NAMES: &[&str] = &[
    // Every type, trait and variant of Rust's prelude (2015 to 2024
    // editions), not only those generated code uses today: the next
    // version of the generator may write any of them unqualified, and a
    // schema named like one would then change its name.
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
    // A keyword that cannot be a raw identifier.
    "Self",
    // What the types crate exports beside the schemas.
    "BasicCredentials",
    "Credentials",
    "Nullable",
    // The helper types `models.rs` holds beside the schemas: what its
    // `Deserialize` impls read properties into, and what its `Serialize`
    // impls write with (a test checks that every helper type of `models.rs`
    // is here).
    "FlattenedObject",
    "FromProperties",
    "KeptProperties",
    "OptionalSlot",
    "OtherProperties",
    "PropertySlot",
    "PropertySlots",
    "RequiredSlot",
    "SkippedProperties",
    "UnlessAbsent",
    "UnlessNone",
    "WrittenProperties",
    "WrittenProperty",
    // Helpers of earlier versions: a schema of such a name keeps the name
    // it was generated with.
    "StructReader",
    "StructWriter",
];

/// Whether `name` must be written as a raw identifier.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// `UpperCamelCase` identifier for any spec name: symbols split words,
/// non-ASCII letters are kept when Rust accepts them, a leading digit gets a
/// prefix, and an empty result becomes `fallback`.
pub fn type_name(raw: &str, fallback: &str) -> String {
    let name = identifier_chars(clean(raw).to_upper_camel_case());
    let name = fix_start(name, "T");
    let name = if name.is_empty() {
        fallback.to_owned()
    } else {
        name
    };
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
        format!("{name}Model")
    } else {
        name
    }
}

/// `UpperCamelCase` enum variant name (no reserved-name check: variants
/// live in their enum's namespace).
pub fn variant_name(raw: &str, fallback: &str) -> String {
    let name = identifier_chars(clean(raw).to_upper_camel_case());
    let name = fix_start(name, "V");
    if name.is_empty() {
        fallback.to_owned()
    } else if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// `snake_case` identifier for fields, parameters, operations and modules.
/// Keywords stay as they are (emitters write them as raw identifiers), except
/// those that cannot be raw, which get a trailing `_`.
pub fn field_name(raw: &str, fallback: &str) -> String {
    let name = identifier_chars(clean(raw).to_snake_case());
    let name = fix_start(name, "n");
    let name = if name.is_empty() {
        fallback.to_owned()
    } else {
        name
    };
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// The Cargo package name `raw` stands for: its ASCII letters (lower-cased)
/// and digits, each run of anything else one `-`, none at either end, and
/// `api-` before a leading digit. `None` when `raw` holds no ASCII letter or
/// digit (`""`, `..`, `-`, `日本`): every such name would otherwise become the
/// same fallback, and two APIs would overwrite each other's crates.
pub fn package_name(raw: &str) -> Option<String> {
    let mut out = String::new();
    for c in raw.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    match out.chars().next() {
        None => None,
        Some(c) if c.is_ascii_digit() => Some(format!("api-{out}")),
        Some(_) => Some(out.to_owned()),
    }
}

/// Replaces everything that cannot be part of an identifier by a word
/// boundary, and spells out a few symbols that carry meaning in enum values
/// (`+1` and `-1` must not both become `1`).
fn clean(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '+' => out.push_str(" plus "),
            '-' if out.trim().is_empty() => out.push_str(" minus "),
            '<' => out.push_str(" lt "),
            '>' => out.push_str(" gt "),
            '=' => out.push_str(" eq "),
            '*' => out.push_str(" star "),
            '.' if out.trim().is_empty() => out.push_str(" dot "),
            // Spelt as its code point, a word of its own (`Реt` -> `U0420U0435T`).
            c if is_latin_look_alike(c) => out.push_str(&format!(" u{:04x} ", u32::from(c))),
            c if unicode_ident_continue(c) => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// Letters of scripts that have look-alikes of Latin letters (Greek,
/// Cyrillic, Armenian, Cherokee, Coptic, IPA and small capitals, dotless
/// `ı` and `ȷ`, mathematical alphanumerics). In an identifier they make
/// names that read the same but differ (`Реt` in Cyrillic beside `Pet`),
/// which rustc reports (`confusable_idents`, `mixed_script_confusables`,
/// `uncommon_codepoints`). Identifiers spell them as code points instead,
/// deterministically and in ASCII; [`confusable_warnings`] tells the user.
pub fn is_latin_look_alike(c: char) -> bool {
    matches!(
        c,
        '\u{0131}'
            | '\u{0237}'
            | '\u{0250}'..='\u{02AF}'
            | '\u{0370}'..='\u{03FF}'
            | '\u{0400}'..='\u{052F}'
            | '\u{0530}'..='\u{058F}'
            | '\u{13A0}'..='\u{13FF}'
            | '\u{1C80}'..='\u{1C8F}'
            | '\u{1D00}'..='\u{1D2B}'
            | '\u{1F00}'..='\u{1FFF}'
            | '\u{2C80}'..='\u{2CFF}'
            | '\u{2DE0}'..='\u{2DFF}'
            | '\u{A640}'..='\u{A69F}'
            | '\u{AB70}'..='\u{ABBF}'
            | '\u{1D400}'..='\u{1D7FF}'
    )
}

/// A warning for each spec name that holds letters with Latin look-alikes
/// (see [`is_latin_look_alike`]): schema, property, enum value, operation,
/// parameter, header and security scheme names. Its Rust name spells those
/// letters as code points.
pub fn confusable_warnings(api: &Api) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let mut check = |raw: &str, pointer: String, what: &str| {
        let found: Vec<String> = raw
            .chars()
            .filter(|c| is_latin_look_alike(*c))
            .map(|c| format!("U+{:04X}", u32::from(c)))
            .collect();
        if found.is_empty() {
            return;
        }
        let mut shown: Vec<String> = found.clone();
        shown.dedup();
        shown.truncate(5);
        warnings.push(Warning {
            pointer,
            kind: WarningKind::ConfusableName,
            message: format!(
                "the {what} {:?} has letters that look like Latin ones ({}); its Rust \
                 name spells each as its code point (`u{}`), so no two names read alike",
                raw,
                shown.join(", "),
                found[0].trim_start_matches("U+").to_ascii_lowercase(),
            ),
        });
    };
    let token = |raw: &str| raw.replace('~', "~0").replace('/', "~1");
    for def in &api.types {
        if let Some(raw) = def.pointer.strip_prefix("#/components/schemas/") {
            if !raw.contains('/') {
                let raw = raw.replace("~1", "/").replace("~0", "~");
                check(&raw, def.pointer.clone(), "schema name");
            }
        }
        match &def.kind {
            TypeKind::Struct(s) => {
                for field in &s.fields {
                    let pointer = format!("{}/properties/{}", def.pointer, token(&field.wire_name));
                    check(&field.wire_name, pointer, "property name");
                }
            }
            TypeKind::Enum(e) => {
                for variant in &e.variants {
                    check(
                        &variant.wire_value,
                        format!("{}/enum", def.pointer),
                        "enum value",
                    );
                }
            }
            _ => {}
        }
    }
    for op in &api.operations {
        if let Some(id) = &op.operation_id {
            check(id, format!("{}/operationId", op.pointer), "operationId");
        }
        for p in &op.parameters {
            check(
                &p.wire_name,
                format!("{}/parameters", op.pointer),
                "parameter name",
            );
        }
    }
    for scheme in &api.security_schemes {
        let pointer = format!("#/components/securitySchemes/{}", token(&scheme.key));
        check(&scheme.key, pointer, "security scheme name");
    }
    warnings
}

/// Characters kept in identifiers: those Rust accepts inside one (Unicode's
/// XID_Continue), except compatibility characters rustc warns about
/// (`uncommon_codepoints`: `ª`, ligatures, fullwidth and enclosed letters,
/// ...). Anything else becomes a word boundary.
fn unicode_ident_continue(c: char) -> bool {
    c == '_' || c.is_ascii_alphanumeric() || (!c.is_ascii() && ident_char(c))
}

/// A non-ASCII character that may stand in an identifier without a warning.
fn ident_char(c: char) -> bool {
    const COMPATIBILITY: &[(char, char)] = &[
        ('\u{AA}', '\u{AA}'),
        ('\u{B5}', '\u{B5}'),
        ('\u{BA}', '\u{BA}'),
        ('\u{17F}', '\u{17F}'),
        ('\u{2B0}', '\u{2FF}'),
        ('\u{1D2C}', '\u{1DBF}'),
        ('\u{2070}', '\u{214F}'),
        ('\u{2160}', '\u{2188}'),
        ('\u{2460}', '\u{24FF}'),
        ('\u{3380}', '\u{33FF}'),
        ('\u{F900}', '\u{FAFF}'),
        ('\u{FB00}', '\u{FB4F}'),
        ('\u{FE70}', '\u{FEFF}'),
        ('\u{FF00}', '\u{FFEF}'),
        ('\u{1F100}', '\u{1F1FF}'),
    ];
    unicode_ident::is_xid_continue(c)
        && !COMPATIBILITY
            .iter()
            .any(|(first, last)| (*first..=*last).contains(&c))
}

/// Drops what case conversion may have turned into a character identifiers
/// cannot hold (upper-casing can produce modifier letters).
fn identifier_chars(name: String) -> String {
    if name.is_ascii() {
        return name;
    }
    name.chars()
        .filter(|c| c.is_ascii() || ident_char(*c))
        .collect()
}

/// Identifiers cannot start with a digit (or another character that may
/// only continue one, such as a combining mark).
fn fix_start(name: String, prefix: &str) -> String {
    match name.chars().next() {
        Some(c) if c.is_ascii_digit() || (!c.is_ascii() && !unicode_ident::is_xid_start(c)) => {
            if prefix.chars().all(char::is_uppercase) {
                format!("{prefix}{name}")
            } else {
                format!("{prefix}_{name}")
            }
        }
        _ => name,
    }
}

/// Hands out names unique within one scope, in the order asked: the first
/// `Foo` stays `Foo`, the next becomes `Foo2`, then `Foo3`. Deterministic as
/// long as callers ask in a deterministic order.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks `name` as taken without handing it out (for names the
    /// generated code itself uses in this scope).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// `name`, or `name` with the smallest number suffix not yet taken.
    pub fn unique(&mut self, name: &str) -> String {
        if self.taken.insert(name.to_owned()) {
            return name.to_owned();
        }
        let sep = if name.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{name}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("error_response", "T"), "ErrorResponse");
        assert_eq!(type_name("2fa-method", "T"), "T2faMethod");
        assert_eq!(type_name("Option", "T"), "OptionModel");
        assert_eq!(type_name("", "Fallback"), "Fallback");
        assert_eq!(type_name("Größe", "T"), "Größe");
        assert_eq!(type_name("Self", "T"), "SelfModel");
        assert_eq!(type_name("日本語", "T"), "日本語");
        // Not identifier characters (`²` is a number, but not a digit), or
        // ones rustc warns about: word boundaries.
        assert_eq!(field_name("m²", "f"), "m");
        assert_eq!(type_name("ⓐbc", "T"), "Bc");
        assert_eq!(field_name("ﬁle ª", "f"), "le");
        assert_eq!(variant_name("\u{301}a", "V"), "A");
    }

    #[test]
    fn latin_look_alikes_are_spelt_as_code_points() {
        // Cyrillic `Р` and `е` beside Latin `t`: not the name `Pet`.
        assert_eq!(type_name("Реt", "T"), "U0420U0435T");
        assert_eq!(type_name("Pet", "T"), "Pet");
        assert_eq!(field_name("Реt", "f"), "u0420_u0435_t");
        assert_eq!(variant_name("αβ", "V"), "U03b1U03b2");
        assert_eq!(field_name("\u{1D40F}et", "f"), "u1d40f_et");
        // Scripts without Latin look-alikes stay as they are.
        assert_eq!(type_name("日本語", "T"), "日本語");
        assert_eq!(type_name("Größe", "T"), "Größe");
    }

    #[test]
    fn field_names() {
        assert_eq!(field_name("customerId", "f"), "customer_id");
        assert_eq!(field_name("type", "f"), "type");
        assert_eq!(field_name("self", "f"), "self_");
        assert_eq!(field_name("@odata.type", "f"), "odata_type");
        assert_eq!(field_name("1st", "f"), "n_1st");
        assert_eq!(field_name("$", "value"), "value");
    }

    #[test]
    fn variant_names_keep_signs_apart() {
        assert_ne!(variant_name("+1", "V"), variant_name("-1", "V"));
        assert_eq!(variant_name("IN_PROGRESS", "V"), "InProgress");
        assert_eq!(variant_name("", "Empty"), "Empty");
    }

    #[test]
    fn package_names() {
        let name = package_name;
        assert_eq!(
            name("Customer Identification").as_deref(),
            Some("customer-identification")
        );
        assert_eq!(name("1password").as_deref(), Some("api-1password"));
        assert_eq!(name("--Pet Store--").as_deref(), Some("pet-store"));
        assert_eq!(name("日本-shop").as_deref(), Some("shop"));
        for nothing in ["", "..", "-", "__", "日本", " ", "./", "\u{0}"] {
            assert_eq!(name(nothing), None, "{nothing:?}");
        }
    }

    #[test]
    fn namespace_disambiguates_in_order() {
        let mut ns = Namespace::new();
        assert_eq!(ns.unique("Foo"), "Foo");
        assert_eq!(ns.unique("Foo"), "Foo2");
        assert_eq!(ns.unique("V1"), "V1");
        assert_eq!(ns.unique("V1"), "V1_2");
    }
}
