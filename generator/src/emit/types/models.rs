//! `models.rs` of the types crate: one item per schema, with the helpers
//! the items call.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::boxed::boxed_fields;
use super::builders::{builder_impl, Member, Slot};
use super::deserialize;
use super::features::{self, SerdeTrait};
use super::serialize;
use super::Written;
use crate::emit::{
    doc_attrs, external_type_tokens, format_file, ident, runtime_items, type_tokens,
};
use crate::model::{Api, Enum, Field, Struct, TypeDef, TypeKind, TypeRef, Union, UnionVariant};
use crate::names::Namespace;

/// `Nullable`, the type of the optional nullable fields.
const NULLABLE_RS: &str = include_str!("../../../runtime/types/nullable.rs");

/// `serialize_tagged` and `deserialize_tagged`, which the unions told apart
/// by a property call.
const TAGGED_RS: &str = include_str!("../../../runtime/types/tagged.rs");

pub(super) fn models_rs(api: &Api) -> String {
    // Inside the types crate, schema types are reached through the crate
    // root (`crate::Name`), the same path `operations.rs` uses.
    let models = quote!(crate);
    let boxed = boxed_fields(api);
    let mut needs_nullable = false;
    let mut needs_tagged = false;
    // What the written-out impls need after the types: the helpers of
    // `runtime/types/de.rs` and `runtime/types/ser.rs` they call (and the
    // `PropertySlots` and `WrittenProperties` of the structs' tuples).
    let mut deserialize_written = deserialize::written();
    let mut serialize_written = serialize::written();
    let mut types = api.types.iter();
    // The helpers the items call, once every item is made.
    let mut helpers: Option<std::vec::IntoIter<TokenStream>> = None;
    // Each item is made when the formatter asks for it, so that only one
    // item's tokens exist at a time, not those of the whole file.
    let items = std::iter::from_fn(|| {
        if let Some(def) = types.next() {
            return Some(type_item(
                api,
                def,
                &models,
                &boxed,
                &mut needs_nullable,
                &mut needs_tagged,
                &mut deserialize_written,
                &mut serialize_written,
            ));
        }
        helpers
            .get_or_insert_with(|| {
                // The helpers the fields and unions name, each only where
                // one does.
                let mut tail: Vec<TokenStream> =
                    [(needs_nullable, NULLABLE_RS), (needs_tagged, TAGGED_RS)]
                        .into_iter()
                        .filter(|(needed, _)| *needed)
                        .map(|(_, source)| runtime_items(source))
                        .collect();
                let deserialize_written =
                    std::mem::replace(&mut deserialize_written, deserialize::written());
                let serialize_written =
                    std::mem::replace(&mut serialize_written, serialize::written());
                tail.extend(deserialize_written.finish());
                tail.extend(serialize_written.finish());
                tail.into_iter()
            })
            .next()
    });
    format_file(items)
}

/// The item (or items) of one model type.
#[allow(clippy::too_many_arguments)]
fn type_item(
    api: &Api,
    def: &TypeDef,
    models: &TokenStream,
    boxed: &BTreeSet<(String, String)>,
    needs_nullable: &mut bool,
    needs_tagged: &mut bool,
    deserialize_written: &mut Written<deserialize::Shape>,
    serialize_written: &mut Written<serialize::Shape>,
) -> TokenStream {
    match &def.kind {
        TypeKind::Struct(s) => {
            *needs_nullable |= s.fields.iter().any(|f| !f.required && f.nullable);
            struct_item(
                api,
                def,
                s,
                models,
                boxed,
                deserialize_written,
                serialize_written,
            )
        }
        TypeKind::Enum(e) => enum_item(api, def, e, deserialize_written),
        TypeKind::Alias(ty) => {
            let name = ident(&def.name);
            let docs = type_docs(def);
            let gate = type_gate(api, def);
            let ty = type_tokens(ty, models);
            quote! {
                #docs
                #gate
                pub type #name = #ty;
            }
        }
        TypeKind::Newtype(ty) => {
            let name = ident(&def.name);
            let docs = type_docs(def);
            let ty = boxed_tokens(
                ty,
                models,
                boxed.contains(&(def.name.clone(), "0".to_owned())),
            );
            let gate = type_gate(api, def);
            let derive = derive_attrs(
                api,
                def,
                &api.std_derives
                    .keep(&["Debug", "Clone", "PartialEq", SERIALIZE, DESERIALIZE]),
            );
            quote! {
                #docs
                #gate
                #derive
                pub struct #name(pub #ty);
            }
        }
        TypeKind::Union(u) => {
            *needs_tagged |= u.tag.is_some();
            union_item(api, def, u, models, boxed)
        }
    }
}

/// `ty`, in a `Box` when `boxed`.
fn boxed_tokens(ty: &TypeRef, models: &TokenStream, boxed: bool) -> TokenStream {
    let ty = type_tokens(ty, models);
    if boxed {
        quote!(Box<#ty>)
    } else {
        ty
    }
}

/// `oneOf`/`anyOf`: an enum with a variant per alternative. Untagged unions
/// derive serde's `untagged` representation (the first variant that reads a
/// value wins, so the resolver puts the more specific first); unions with a
/// tag property read and write it by hand, because the variants' own types
/// usually have the tag as a field too (serde's internally tagged enums
/// would write it twice and refuse to read it back), and because the tag
/// value may differ from the variant's schema name (`discriminator.mapping`).
fn union_item(
    api: &Api,
    def: &TypeDef,
    u: &Union,
    models: &TokenStream,
    boxed: &BTreeSet<(String, String)>,
) -> TokenStream {
    let name = ident(&def.name);
    let docs = type_docs(def);
    let gate = type_gate(api, def);
    let is_boxed = |v: &UnionVariant| boxed.contains(&(def.name.clone(), v.name.clone()));
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let docs = doc_attrs(v.docs.as_deref());
        let ty = boxed_tokens(&v.ty, models, is_boxed(v));
        quote! {
            #docs
            #variant(#ty),
        }
    });
    let names: Vec<&str> = u.variants.iter().map(|v| v.name.as_str()).collect();
    let mut allows = Vec::new();
    if variant_names_lint_may_fire(&def.name, &names) {
        // The variant names are the spec's type names.
        allows.push(quote!(clippy::enum_variant_names));
    }
    if u.variants.len() > 1
        && u.variants
            .iter()
            .any(|v| matches!(v.ty, TypeRef::Named(_)) && !is_boxed(v))
    {
        // A struct variant may be much larger than a string one; boxing by
        // a size clippy computes would make the variants' shapes depend on it.
        allows.push(quote!(clippy::large_enum_variant));
    }
    let allow = (!allows.is_empty()).then(|| quote!(#[allow( #( #allows ),* )]));
    let Some(tag) = &u.tag else {
        let derive = derive_attrs(
            api,
            def,
            &api.std_derives
                .keep(&["Debug", "Clone", "PartialEq", SERIALIZE, DESERIALIZE]),
        );
        return quote! {
            #docs
            #gate
            #derive
            #[serde(untagged)]
            #allow
            pub enum #name {
                #( #variants )*
            }
        };
    };
    let values: Vec<&str> = u
        .variants
        .iter()
        .map(|v| v.tag_value.as_deref().unwrap_or(v.name.as_str()))
        .collect();
    let serialize_arms = u.variants.iter().zip(&values).map(|(v, value)| {
        let variant = ident(&v.name);
        quote!(Self::#variant(content) => serialize_tagged(serializer, #tag, #value, content),)
    });
    let deserialize_arms = u.variants.iter().zip(&values).map(|(v, value)| {
        let variant = ident(&v.name);
        quote!(#value => serde_json::from_value(value).map(Self::#variant),)
    });
    let derive = derive_attrs(
        api,
        def,
        &api.std_derives.keep(&["Debug", "Clone", "PartialEq"]),
    );
    // The hand-written impls go through the same direction decision as
    // the derives.
    let serialize_gate = impl_gate(api, def, SerdeTrait::Serialize);
    let deserialize_gate = impl_gate(api, def, SerdeTrait::Deserialize);
    quote! {
        #docs
        #gate
        #derive
        #allow
        pub enum #name {
            #( #variants )*
        }

        #serialize_gate
        impl serde::Serialize for #name {
            fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
            where
                S: serde::Serializer,
            {
                match self {
                    #( #serialize_arms )*
                }
            }
        }

        #deserialize_gate
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                let (tag, value) = deserialize_tagged(deserializer, #tag)?;
                let variant = match tag.as_str() {
                    #( #deserialize_arms )*
                    other => return Err(serde::de::Error::unknown_variant(other, &[ #( #values ),* ])),
                };
                variant.map_err(serde::de::Error::custom)
            }
        }
    }
}

/// The paths of the serde traits, as derives name them.
const SERIALIZE: &str = "serde::Serialize";
const DESERIALIZE: &str = "serde::Deserialize";

/// The `#[cfg]` of a model type and of each of its impls: when a feature
/// of an operation that reaches it is on (see [`features`]).
fn type_gate(api: &Api, def: &TypeDef) -> TokenStream {
    features::cfg(features::type_gate(api, &def.name).as_ref())
}

/// The `#[cfg]` of a type's hand-written impl of `serde_trait`: the
/// type's own gate and the trait's direction.
fn impl_gate(api: &Api, def: &TypeDef, serde_trait: SerdeTrait) -> TokenStream {
    let gate = features::all([
        features::type_gate(api, &def.name),
        features::serde_gate(api, &def.name, serde_trait),
    ]);
    features::cfg(gate.as_ref())
}

/// The `#[derive(...)]` of a model type: the derives its shape needs, then
/// the configuration's (but those it has already), then the configuration's
/// attributes. Resolve checked that each parses. A serde trait only some
/// builds need is derived in a `cfg_attr` of its own (see [`features`]).
fn derive_attrs(api: &Api, def: &TypeDef, generated: &[&str]) -> TokenStream {
    derive_attrs_by_hand(api, def, generated, &[])
}

/// [`derive_attrs`] of a type that implements the traits `by_hand`
/// itself: the configuration does not derive them again.
fn derive_attrs_by_hand(
    api: &Api,
    def: &TypeDef,
    generated: &[&str],
    by_hand: &[&str],
) -> TokenStream {
    let extra = def
        .derives
        .iter()
        .map(String::as_str)
        .filter(|derive| !generated.contains(derive) && !by_hand.contains(derive));
    let mut gated = Vec::new();
    let derives: Vec<TokenStream> = generated
        .iter()
        .copied()
        .chain(extra)
        .filter_map(|derive| {
            let path = external_type_tokens(derive);
            let serde_trait = match derive {
                SERIALIZE => SerdeTrait::Serialize,
                DESERIALIZE => SerdeTrait::Deserialize,
                _ => return Some(path),
            };
            match features::gated_derive(api, &def.name, serde_trait, &path) {
                Some(attribute) => {
                    gated.push(attribute);
                    None
                }
                None => Some(path),
            }
        })
        .collect();
    let attributes =
        def.attributes
            .iter()
            .map(|attribute| match attribute.parse::<TokenStream>() {
                Ok(tokens) => tokens,
                Err(e) => panic!("a configured attribute that does not parse: {attribute}: {e}"),
            });
    let derive = (!derives.is_empty()).then(|| quote!(#[derive( #( #derives ),* )]));
    quote! {
        #derive
        #( #gated )*
        #( #attributes )*
    }
}

/// Docs of a named type: the spec's, or where it comes from.
fn type_docs(def: &TypeDef) -> TokenStream {
    let fallback = format!("The schema at `{}`.", def.pointer);
    doc_attrs(Some(def.docs.as_deref().unwrap_or(&fallback)))
}

/// A struct, its builder methods and its serde impls: written out (see
/// `serialize.rs` and `deserialize.rs`; recorded in `serialize_written`
/// and `deserialize_written`), or derived where the
/// configuration gives the type serde attributes.
fn struct_item(
    api: &Api,
    def: &TypeDef,
    s: &Struct,
    models: &TokenStream,
    boxed: &BTreeSet<(String, String)>,
    deserialize_written: &mut Written<deserialize::Shape>,
    serialize_written: &mut Written<serialize::Shape>,
) -> TokenStream {
    let name = ident(&def.name);
    let docs = type_docs(def);
    let gate = type_gate(api, def);
    let is_boxed = |field: &Field| boxed.contains(&(def.name.clone(), field.name.clone()));
    let derived = def.keeps_serde_derives();
    let fields = s
        .fields
        .iter()
        .map(|field| field_tokens(field, models, is_boxed(field), derived));
    // Field names are unique in the struct but nothing stops a spec from
    // having a property that is itself called `additional_properties`.
    let additional_name = s.additional_properties.as_ref().map(|_| {
        let mut taken = Namespace::new();
        for field in &s.fields {
            taken.reserve(&field.name);
        }
        ident(&taken.unique("additional_properties"))
    });
    let additional = s.additional_properties.as_ref().map(|ty| {
        let field = &additional_name;
        let ty = type_tokens(ty, models);
        let flatten = derived.then(|| quote!(#[serde(flatten)]));
        quote! {
            /// Properties the schema does not list, by name.
            #flatten
            pub #field: std::collections::BTreeMap<String, #ty>,
        }
    });
    let members: Vec<Member> = s
        .fields
        .iter()
        .map(|field| {
            let ty = type_tokens(&field.ty, models);
            let (slot, ty) = match (field.required, field.nullable) {
                (true, false) => (Slot::Required, ty),
                (true, true) => (Slot::Required, quote!(Option<#ty>)),
                (false, false) => (Slot::Optional, ty),
                (false, true) => (Slot::Nullable, quote!(Option<#ty>)),
            };
            Member {
                name: field.name.clone(),
                slot,
                ty,
                boxed: is_boxed(field),
            }
        })
        .collect();
    // With nothing required, `new()` takes nothing, and `Default` is the
    // same value.
    let mut generated = api.std_derives.keep(&["Debug", "Clone", "PartialEq"]);
    if s.fields.iter().all(|f| !f.required) {
        generated.push("Default");
    }
    let builder = builder_impl(&name, "properties", &members, additional_name.as_ref());
    let (derive, serialize, deserialize) = if derived {
        generated.extend([SERIALIZE, DESERIALIZE]);
        (derive_attrs(api, def, &generated), None, None)
    } else {
        let serialize =
            serialize::struct_serialize(def, s, additional_name.as_ref(), serialize_written);
        let field_type = |field: &Field| declared_type(field, models, is_boxed(field));
        let deserialize_gate = impl_gate(api, def, SerdeTrait::Deserialize);
        let deserialize = deserialize::struct_deserialize(
            def,
            s,
            &deserialize_gate,
            &field_type,
            additional_name
                .as_ref()
                .zip(s.additional_properties.as_ref()),
            models,
            deserialize_written,
        );
        let serialize_gate = impl_gate(api, def, SerdeTrait::Serialize);
        (
            derive_attrs_by_hand(api, def, &generated, &[SERIALIZE, DESERIALIZE]),
            Some(quote! {
                #serialize_gate
                #serialize
            }),
            Some(deserialize),
        )
    };
    quote! {
        #docs
        #gate
        #derive
        #[non_exhaustive]
        pub struct #name {
            #( #fields )*
            #additional
        }

        #gate
        #builder

        #serialize

        #deserialize
    }
}

/// A field's type as the struct declares it.
fn declared_type(field: &Field, models: &TokenStream, boxed: bool) -> TokenStream {
    let ty = boxed_tokens(&field.ty, models, boxed);
    match (field.required, field.nullable) {
        (true, false) => ty,
        // Always serialized: `None` is sent as `null`.
        (true, true) | (false, false) => quote!(Option<#ty>),
        // Absent, `null` and a value are three states (`Nullable`).
        (false, true) => quote!(Nullable<#ty>),
    }
}

/// A field, with the `#[serde]` attributes of the derives where the
/// struct keeps them (elsewhere its serde impls are written out and know
/// the property's name and when it is left out).
fn field_tokens(field: &Field, models: &TokenStream, boxed: bool, derived: bool) -> TokenStream {
    let name = ident(&field.name);
    let fallback = format!("The `{}` property.", field.wire_name);
    let docs = doc_attrs(Some(field.docs.as_deref().unwrap_or(&fallback)));
    let mut serde_args = Vec::new();
    if derived {
        if field.name != field.wire_name {
            let wire = &field.wire_name;
            serde_args.push(quote!(rename = #wire));
        }
        if !field.required {
            serde_args.push(quote!(default));
        }
        match (field.required, field.nullable) {
            (true, _) => {}
            (false, false) => serde_args.push(quote!(skip_serializing_if = "Option::is_none")),
            (false, true) => serde_args.push(quote!(skip_serializing_if = "Nullable::is_absent")),
        }
    }
    let ty = declared_type(field, models, boxed);
    let serde_attr = (!serde_args.is_empty()).then(|| quote!(#[serde( #( #serde_args ),* )]));
    quote! {
        #docs
        #serde_attr
        pub #name: #ty,
    }
}

/// A string enum, its `as_str` and its serde impls (the `Deserialize`
/// recorded in `deserialize_written`).
fn enum_item(
    api: &Api,
    def: &TypeDef,
    e: &Enum,
    deserialize_written: &mut Written<deserialize::Shape>,
) -> TokenStream {
    let name = ident(&def.name);
    let docs = type_docs(def);
    let gate = type_gate(api, def);
    let unknown = ident(&e.unknown_variant);
    let derived = def.keeps_serde_derives();
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire_value;
        let doc = if wire.is_empty() {
            "The empty string.".to_owned()
        } else {
            format!("`{wire}`.")
        };
        let docs = doc_attrs(Some(&doc));
        let rename = (derived && v.name != v.wire_value).then(|| quote!(#[serde(rename = #wire)]));
        quote! {
            #docs
            #rename
            #variant,
        }
    });
    let arms = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let wire = &v.wire_value;
        quote!(Self::#variant => #wire,)
    });
    let allow = needs_variant_names_allow(&def.name, e).then(|| {
        // The variant names are the spec's values; clippy's naming advice
        // (no shared prefix or suffix) cannot be followed without losing them.
        quote!(#[allow(clippy::enum_variant_names)])
    });
    let std_derives = api
        .std_derives
        .keep(&["Debug", "Clone", "PartialEq", "Eq", "Hash"]);
    let (derive, untagged, serialize, deserialize) = if derived {
        let derive = derive_attrs(
            api,
            def,
            &[&std_derives[..], &[SERIALIZE, DESERIALIZE]].concat(),
        );
        (derive, Some(quote!(#[serde(untagged)])), None, None)
    } else {
        let deserialize = deserialize::enum_deserialize(def, e, deserialize_written);
        let serialize = deserialize::enum_serialize(def);
        let serialize_gate = impl_gate(api, def, SerdeTrait::Serialize);
        let deserialize_gate = impl_gate(api, def, SerdeTrait::Deserialize);
        (
            derive_attrs_by_hand(api, def, &std_derives, &[SERIALIZE, DESERIALIZE]),
            None,
            Some(quote! {
                #serialize_gate
                #serialize
            }),
            Some(quote! {
                #deserialize_gate
                #deserialize
            }),
        )
    };
    quote! {
        #docs
        #gate
        #derive
        #allow
        #[non_exhaustive]
        pub enum #name {
            #( #variants )*
            /// A value the spec does not list, kept as it was sent.
            #untagged
            #unknown(String),
        }

        #gate
        impl #name {
            /// The value on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #arms )*
                    Self::#unknown(value) => value,
                }
            }
        }

        #serialize

        #deserialize
    }
}

/// The words of an `UpperCamelCase` name, split where clippy splits them
/// (before each upper-case letter).
fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_uppercase() {
            words.push(&name[start..i]);
            start = i;
        }
    }
    words.push(&name[start..]);
    words
}

/// Whether `clippy::enum_variant_names` could fire on an enum: a variant
/// that starts or ends with the enum's name, or (from three variants on) a
/// first or last word every variant shares. Errs on the side of allowing:
/// the attribute is harmless, a lint failure in generated code is not.
fn needs_variant_names_allow(enum_name: &str, e: &Enum) -> bool {
    let names: Vec<&str> = e
        .variants
        .iter()
        .map(|v| v.name.as_str())
        .chain([e.unknown_variant.as_str()])
        .collect();
    variant_names_lint_may_fire(enum_name, &names)
}

/// [`needs_variant_names_allow`] for any enum's variant names.
pub(crate) fn variant_names_lint_may_fire(enum_name: &str, names: &[&str]) -> bool {
    if names
        .iter()
        .any(|v| v.starts_with(enum_name) || v.ends_with(enum_name))
    {
        return true;
    }
    if names.len() < 3 {
        return false;
    }
    let words: Vec<Vec<&str>> = names.iter().map(|n| camel_words(n)).collect();
    // A one-word variant has no prefix or suffix to share.
    if words.iter().any(|w| w.len() < 2) {
        return false;
    }
    let all_same = |pick: &dyn Fn(&[&str]) -> Option<String>| {
        let first = pick(&words[0]);
        words.iter().all(|w| pick(w) == first)
    };
    all_same(&|w| w.first().map(|s| s.to_string()))
        || all_same(&|w| w.last().map(|s| s.to_string()))
}

#[cfg(test)]
mod tests {
    use super::super::tests::{emit_map, emitted, has, sample_api};
    use super::needs_variant_names_allow;
    use crate::model::{Enum, EnumVariant, TypeKind};

    /// The helpers `models.rs` holds beside the schemas share their
    /// namespace: a schema named like one of their types would be a second
    /// item of that name, and the crate would not build.
    #[test]
    fn no_schema_takes_the_name_of_a_helper_type() {
        let sources = [
            super::NULLABLE_RS,
            super::TAGGED_RS,
            super::super::deserialize::DE_RS,
            super::super::serialize::SER_RS,
        ];
        let mut helper_types = Vec::new();
        for source in sources {
            let file = syn::parse_file(source).expect("a runtime source parses");
            for item in &file.items {
                let name = match item {
                    syn::Item::Struct(item) => &item.ident,
                    syn::Item::Enum(item) => &item.ident,
                    syn::Item::Trait(item) => &item.ident,
                    syn::Item::Type(item) => &item.ident,
                    syn::Item::Union(item) => &item.ident,
                    _ => continue,
                };
                helper_types.push(name.to_string());
            }
        }
        assert!(
            helper_types.contains(&"WrittenProperty".to_owned()),
            "{helper_types:?}"
        );
        for name in &helper_types {
            assert_ne!(
                &crate::names::type_name(name, "Schema"),
                name,
                "a schema named `{name}` keeps the name of a helper type of models.rs"
            );
        }
    }

    /// A spec whose only schema is named like a helper type: the schema
    /// is renamed, the helper keeps its name, and the file has one item
    /// of each name.
    #[test]
    fn a_schema_named_like_a_helper_type_alone_is_renamed() {
        let api = crate::test_support::api(
            r#"
openapi: 3.0.3
info: {title: t, version: 1.0.0}
paths: {}
components:
  schemas:
    WrittenProperty:
      type: object
      required: [name]
      properties:
        name: {type: string}
"#,
        );
        let models = &emit_map(&api)["pets-types/src/models.rs"];
        let file = syn::parse_file(models).expect("models.rs parses");
        let mut names: Vec<String> = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Struct(item) => Some(item.ident.to_string()),
                syn::Item::Trait(item) => Some(item.ident.to_string()),
                _ => None,
            })
            .collect();
        names.sort();
        let count = names.len();
        names.dedup();
        assert_eq!(names.len(), count, "{names:?}");
        assert!(
            names.contains(&"WrittenPropertyModel".to_owned()),
            "{names:?}"
        );
        assert!(names.contains(&"WrittenProperty".to_owned()), "{names:?}");
        assert!(names.contains(&"RequiredSlot".to_owned()), "{names:?}");
    }

    #[test]
    fn struct_fields_have_the_four_shapes() {
        let models = &emitted("models.rs");
        assert!(
            has(
                models,
                "#[derive(Debug, Clone, PartialEq)] #[non_exhaustive] pub struct Pet {"
            ),
            "{models}"
        );
        assert!(has(models, "impl serde::Serialize for Pet {"));
        assert!(has(models, "impl<'de> serde::Deserialize<'de> for Pet {"));
        // No field carries serde attributes: both impls are written out.
        assert!(!models.contains("#[serde("), "{models}");
        assert!(
            has(models, "/// Identifier of the pet.\n pub id: uuid::Uuid,"),
            "{models}"
        );
        assert!(has(models, "pub name: Option<String>,"), "{models}");
        assert!(has(models, "pub age: Option<i32>,"));
        assert!(has(models, "UnlessNone(&self.age),"), "{models}");
        assert!(has(models, "pub owner_name: Nullable<String>,"), "{models}");
        assert!(has(models, "UnlessAbsent(&self.owner_name),"), "{models}");
        assert!(has(models, "pub r#type: crate::PetKind,"), "{models}");
        assert!(has(
            models,
            "pub tags: Option<std::collections::BTreeMap<String, String>>,"
        ));
        assert!(has(models, "pub weights: Vec<f64>,"));
        assert!(has(models, "pub born: Option<chrono::NaiveDate>,"));
        // Holding itself by value needs a box.
        assert!(
            has(models, "pub parent: Option<Box<crate::Pet>>,"),
            "{models}"
        );
        assert!(has(
            models,
            "pub additional_properties: std::collections::BTreeMap<String, serde_json::Value>,"
        ));
        assert!(has(models, "serialize_flattened(serializer,"), "{models}");
        assert!(has(models, "&self.additional_properties,\n )"), "{models}");
        assert!(has(models, "pub enum Nullable<T> {"));
        assert!(has(models, "pub type Pets = Vec<crate::Pet>;"));
        assert!(has(models, "/// The `message` property."));
        assert!(has(models, "/// The schema at `#/components/schemas/Pet`."));
    }

    #[test]
    fn nullable_helper_only_when_used() {
        let mut api = sample_api();
        for def in &mut api.types {
            if let TypeKind::Struct(s) = &mut def.kind {
                for f in &mut s.fields {
                    f.nullable = false;
                }
            }
        }
        let files = emit_map(&api);
        assert!(!files["pets-types/src/models.rs"].contains("Nullable"));
    }

    #[test]
    fn enums_keep_unknown_values() {
        let models = &emitted("models.rs");
        assert!(has(
            models,
            "#[derive(Debug, Clone, PartialEq, Eq, Hash)] #[non_exhaustive] pub enum PetKind {"
        ));
        assert!(has(models, "/// `cat`.\n Cat,"), "{models}");
        assert!(has(models, "/// `Dog`.\n Dog,"), "{models}");
        assert!(has(models, "Unknown(String),"));
        assert!(has(models, "serializer.serialize_str(self.as_str())"));
        assert!(has(
            models,
            "\"cat\" => Self::Cat, \"Dog\" => Self::Dog, _ => Self::Unknown(value.into_owned()),"
        ));
        assert!(has(
            models,
            "Self::Cat => \"cat\", Self::Dog => \"Dog\", Self::Unknown(value) => value,"
        ));
        assert!(!models.contains("enum_variant_names"));
    }

    #[test]
    fn variant_name_lint_is_allowed_only_where_it_may_fire() {
        let variants = |names: &[&str]| Enum {
            variants: names
                .iter()
                .map(|n| EnumVariant {
                    name: (*n).to_owned(),
                    wire_value: n.to_uppercase(),
                })
                .collect(),
            unknown_variant: "Unknown".to_owned(),
        };
        assert!(needs_variant_names_allow(
            "Status",
            &variants(&["StatusOk", "Bad"])
        ));
        assert!(!needs_variant_names_allow(
            "Kind",
            &variants(&["ValueA", "ValueB"])
        ));
        assert!(needs_variant_names_allow(
            "Kind",
            &Enum {
                unknown_variant: "OtherType".to_owned(),
                ..variants(&["CatType", "DogType"])
            }
        ));
        assert!(!needs_variant_names_allow(
            "Kind",
            &variants(&["Cat", "Dog", "Bird"])
        ));
    }
}
