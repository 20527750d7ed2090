//! `examples.rs` of the types crate: a round-trip test per schema example.

use proc_macro2::Literal;
use quote::quote;

use super::features::{self, SerdeTrait};
use crate::emit::{doc_attrs, format_file, ident, runtime_items, type_tokens};
use crate::model::{Api, TypeRef};
use crate::names::Namespace;

/// `round_trip`, which every example's test calls.
const ROUND_TRIP_RS: &str = include_str!("../../../runtime/types/round_trip.rs");

/// `round_trip_written`, which the tests call instead when the types
/// derive no `PartialEq` or no `Debug` (`std-derives`).
const ROUND_TRIP_WRITTEN_RS: &str = include_str!("../../../runtime/types/round_trip_written.rs");

/// One test per schema `example`: it deserializes into its type, serializes,
/// and deserializes again to an equal value. Compiled only for `cargo test`.
pub(super) fn examples_rs(api: &Api) -> String {
    let mut test_names = Namespace::new();
    // Values compare only with both traits; else their writings do.
    let (check, helper) = if api.std_derives.partial_eq && api.std_derives.debug {
        ("round_trip", ROUND_TRIP_RS)
    } else {
        ("round_trip_written", ROUND_TRIP_WRITTEN_RS)
    };
    test_names.reserve(check);
    let check_fn = ident(check);
    let tests = api.types.iter().filter_map(|def| {
        let example = def.example.as_ref()?;
        let test = ident(&test_names.unique(&crate::names::field_name(&def.name, "example")));
        let ty = type_tokens(&TypeRef::Named(def.name.clone()), &quote!(crate));
        let json = raw_string(&indented_json(example));
        let docs = doc_attrs(Some(&format!("The example of `{}`.", def.pointer)));
        // A round trip needs both serde traits of the type.
        let gate = features::all([
            features::type_gate(api, &def.name),
            features::serde_gate(api, &def.name, SerdeTrait::Serialize),
            features::serde_gate(api, &def.name, SerdeTrait::Deserialize),
        ]);
        let gate = features::cfg(gate.as_ref());
        Some(quote! {
            #docs
            #gate
            #[test]
            fn #test() {
                let example = #json;
                #check_fn::<#ty>(example);
            }
        })
    });
    let round_trip = runtime_items(helper);
    let docs = if check == "round_trip" {
        quote! {
            //! The schemas' examples: each deserializes into its type, serializes,
            //! and deserializes again to an equal value.
        }
    } else {
        quote! {
            //! The schemas' examples: each deserializes into its type, serializes,
            //! deserializes again and serializes to the same text.
        }
    };
    format_file(
        std::iter::once(quote! {
            #docs

            #round_trip
        })
        .chain(tests),
    )
}

/// `value` as JSON indented by four spaces a level, its lines after the
/// first indented once more, to sit in a test function's body (JSON ignores
/// the whitespace).
fn indented_json(value: &serde_json::Value) -> String {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    if serde::Serialize::serialize(value, &mut serializer).is_err() {
        return value.to_string();
    }
    String::from_utf8_lossy(&out).replace('\n', "\n    ")
}

/// `text` as a raw string literal (`r#"..."#`, with as many `#` as it
/// needs), or an escaped one when it holds a character a raw one must not.
fn raw_string(text: &str) -> Literal {
    if crate::emit::text::needs_escape(text) {
        // rustc denies bidirectional characters in literals unless escaped.
        return Literal::string(text);
    }
    let hashes = (0..)
        .map(|n| "#".repeat(n))
        .find(|h| !text.contains(&format!("\"{h}")))
        .unwrap_or_default();
    format!("r{hashes}\"{text}\"{hashes}")
        .parse()
        .unwrap_or_else(|_| Literal::string(text))
}
