//! How the types crate's structs are built: `Type::new(required members, in
//! the spec's order)` and a by-value `with_<member>` setter per optional
//! member, instead of struct literals.
//!
//! The structs are `#[non_exhaustive]` so that a member the spec adds later
//! (an optional property, parameter or header) does not break code built
//! against the previous crates: a struct literal names every field, so any
//! new field breaks it, while `new` changes only when a required member is
//! added, which breaks callers on the wire too. Fields stay `pub` for
//! reading (and assigning). The rules and their costs are in
//! `docs/generated-code.md`, "Evolution rules".
//!
//! Setters are named `with_<member>`: `set_` reads as a `&mut self` method
//! in Rust, and the bare member name would be the getter's name by Rust
//! convention; `with_` is the usual prefix of a by-value builder method.
//! A leading `_` of the member is dropped (`with__links` is not snake case),
//! and a name two members would share gets a number suffix.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::emit::ident;
use crate::names::Namespace;

/// How a member of a struct is stored, and what its setter takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// Required: an argument of `new`, stored as given.
    Required,
    /// Optional: `Option<T>`, unset (`None`) until its setter stores
    /// `Some(value)`.
    Optional,
    /// Optional and nullable: `Nullable<T>`, `Absent` until its setter
    /// stores `Some(value)` as the value and `None` as `null`.
    Nullable,
    /// A list that may be empty (a multipart body's files): empty until its
    /// setter stores one.
    List,
}

/// A member of a struct, as `new` and its setter see it.
pub(crate) struct Member {
    /// The field's Rust name.
    pub(crate) name: String,
    /// How the field is stored.
    pub(crate) slot: Slot,
    /// The type `new` or the setter takes: the field's type without its
    /// `Option`/`Nullable` wrapper and without a `Box` (for a nullable
    /// member, `Option<T>`: `None` is `null`).
    pub(crate) ty: TokenStream,
    /// Whether the field holds the value in a `Box`.
    pub(crate) boxed: bool,
}

/// A one-line doc comment the generator writes. Unlike spec text it needs
/// no Markdown sanitizing (which costs a Markdown parse per comment, twice
/// the time of emitting a struct-heavy types crate): it holds only the
/// generator's words and Rust identifiers in code spans.
fn generated_doc(text: &str) -> TokenStream {
    let line = format!(" {text}");
    quote!(#[doc = #line])
}

/// The setter names of `members`, in order (`None` for a required member).
fn setter_names(members: &[Member]) -> Vec<Option<String>> {
    let mut taken = Namespace::new();
    taken.reserve("new");
    members
        .iter()
        .map(|member| {
            (member.slot != Slot::Required)
                .then(|| taken.unique(&format!("with_{}", member.name.trim_start_matches('_'))))
        })
        .collect()
}

/// `impl Name { new, with_* }` for a struct named `name` (`what` names its
/// members in docs: "properties", "parameters", ...). `extra` is the name
/// of a field `new` starts empty beside the members (the map of properties
/// the schema does not list).
pub(crate) fn builder_impl(
    name: &Ident,
    what: &str,
    members: &[Member],
    extra: Option<&Ident>,
) -> TokenStream {
    let required: Vec<&Member> = members
        .iter()
        .filter(|m| m.slot == Slot::Required)
        .collect();
    let parameters = required.iter().map(|member| {
        let field = ident(&member.name);
        let ty = &member.ty;
        quote!(#field: #ty)
    });
    let initialisers = members.iter().map(|member| {
        let field = ident(&member.name);
        match member.slot {
            Slot::Required if member.boxed => quote!(#field: Box::new(#field)),
            Slot::Required => quote!(#field),
            Slot::Optional => quote!(#field: None),
            Slot::Nullable => quote!(#field: Nullable::Absent),
            Slot::List => quote!(#field: Vec::new()),
        }
    });
    let extra = extra.map(|field| quote!(#field: std::collections::BTreeMap::new(),));
    let new_doc = if required.is_empty() {
        format!(
            "A value with none of its {what} set (they are all optional); set them \
             with the `with_` methods."
        )
    } else {
        let names: Vec<String> = required.iter().map(|m| format!("`{}`", m.name)).collect();
        format!(
            "A value from its required {what} ({}), in the spec's order; the optional \
             ones start unset, set them with the `with_` methods.",
            names.join(", ")
        )
    };
    let new_doc = generated_doc(&new_doc);
    // A spec may require any number of members; `new` takes them all.
    let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let setters = members
        .iter()
        .zip(setter_names(members))
        .filter_map(|(member, setter)| {
            let setter = ident(&setter?);
            let field = ident(&member.name);
            let ty = &member.ty;
            let (doc, value) = match member.slot {
                Slot::Required => return None,
                Slot::Optional => (
                    format!("Sets `{}`.", member.name),
                    if member.boxed {
                        quote!(Some(Box::new(value)))
                    } else {
                        quote!(Some(value))
                    },
                ),
                Slot::Nullable => (
                    format!(
                        "Sets `{}`: `Some(value)` sends the value, `None` sends `null`. \
                         Unset, it is not sent at all.",
                        member.name
                    ),
                    if member.boxed {
                        quote!(Nullable::from(value.map(Box::new)))
                    } else {
                        quote!(Nullable::from(value))
                    },
                ),
                Slot::List => (format!("Sets `{}`.", member.name), quote!(value)),
            };
            let doc = generated_doc(&doc);
            Some(quote! {
                #doc
                #[must_use]
                pub fn #setter(mut self, value: #ty) -> Self {
                    self.#field = #value;
                    self
                }
            })
        });
    quote! {
        impl #name {
            #new_doc
            #allow
            #[must_use]
            pub fn new( #( #parameters ),* ) -> Self {
                Self {
                    #( #initialisers, )*
                    #extra
                }
            }

            #( #setters )*
        }
    }
}

/// An expression building a value of the struct at `path` from another
/// crate, where `#[non_exhaustive]` forbids a struct literal: each member's
/// value is read in order (the expressions may return early with `?`, so
/// the order decides which error a caller sees first), then `new` takes the
/// required ones and the others are assigned.
pub(crate) fn construct(path: TokenStream, members: &[(&Member, TokenStream)]) -> TokenStream {
    let locals: Vec<Ident> = (0..members.len())
        .map(|i| quote::format_ident!("value_{i}"))
        .collect();
    let reads = members
        .iter()
        .zip(&locals)
        .map(|((_, read), local)| quote!(let #local = #read;));
    let required = members
        .iter()
        .zip(&locals)
        .filter(|((member, _), _)| member.slot == Slot::Required)
        .map(|(_, local)| local);
    let assigned: Vec<TokenStream> = members
        .iter()
        .zip(&locals)
        .filter(|((member, _), _)| member.slot != Slot::Required)
        .map(|((member, _), local)| {
            let field = ident(&member.name);
            quote!(value.#field = #local;)
        })
        .collect();
    if assigned.is_empty() {
        quote!({
            #( #reads )*
            #path::new( #( #required ),* )
        })
    } else {
        quote!({
            #( #reads )*
            let mut value = #path::new( #( #required ),* );
            #( #assigned )*
            value
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{emitted, has};
    use super::{builder_impl, construct, Member, Slot};
    use quote::quote;

    fn member(name: &str, slot: Slot) -> Member {
        Member {
            name: name.to_owned(),
            slot,
            ty: quote!(String),
            boxed: false,
        }
    }

    #[test]
    fn models_are_built_with_new_and_setters() {
        let models = &emitted("models.rs");
        // Required members in spec order, a required nullable one as `Option`.
        assert!(
            has(
                models,
                "pub fn new(id: uuid::Uuid, name: Option<String>, r#type: crate::PetKind, \
                 weights: Vec<f64>,) -> Self {"
            ),
            "{models}"
        );
        assert!(has(models, "owner_name: Nullable::Absent,"), "{models}");
        assert!(has(
            models,
            "additional_properties: std::collections::BTreeMap::new(),"
        ));
        assert!(has(
            models,
            "pub fn with_age(mut self, value: i32) -> Self { self.age = Some(value); self }"
        ));
        // Nullable: `None` is `null`.
        assert!(has(
            models,
            "pub fn with_owner_name(mut self, value: Option<String>) -> Self { \
             self.owner_name = Nullable::from(value); self }"
        ));
        // A boxed field takes the value unboxed.
        assert!(has(
            models,
            "pub fn with_parent(mut self, value: crate::Pet) -> Self { \
             self.parent = Some(Box::new(value)); self }"
        ));
        // Nothing optional to set: no setter; `ErrorResponse` has one required.
        assert!(has(
            models,
            "pub fn new(message: String) -> Self { Self { message } }"
        ));
    }

    #[test]
    fn setter_names_are_snake_case_and_unique() {
        let name = quote::format_ident!("Links");
        let members = [
            member("_links", Slot::Optional),
            member("links", Slot::Optional),
            member("new", Slot::Optional),
        ];
        let tokens = builder_impl(&name, "properties", &members, None).to_string();
        let squashed: String = tokens.split_whitespace().collect();
        assert!(squashed.contains("pubfnwith_links(mutself"), "{tokens}");
        assert!(squashed.contains("pubfnwith_links2(mutself"), "{tokens}");
        assert!(squashed.contains("pubfnwith_new(mutself"), "{tokens}");
        assert!(!squashed.contains("with__"), "{tokens}");
        // Nothing required: `new()` takes nothing.
        assert!(squashed.contains("pubfnnew()->Self"), "{tokens}");
    }

    #[test]
    fn many_required_members_allow_many_arguments() {
        let name = quote::format_ident!("Wide");
        let members: Vec<Member> = (0..8)
            .map(|i| member(&format!("m{i}"), Slot::Required))
            .collect();
        let tokens = builder_impl(&name, "properties", &members, None).to_string();
        assert!(tokens.contains("too_many_arguments"), "{tokens}");
        let tokens = builder_impl(&name, "properties", &members[..7], None).to_string();
        assert!(!tokens.contains("too_many_arguments"), "{tokens}");
    }

    #[test]
    fn construct_reads_in_order_then_builds() {
        let members = [
            member("a", Slot::Optional),
            member("b", Slot::Required),
            member("c", Slot::List),
        ];
        let reads = [quote!(read_a()?), quote!(read_b()?), quote!(read_c())];
        let pairs: Vec<_> = members.iter().zip(reads).collect();
        let squashed: String = construct(quote!(T), &pairs)
            .to_string()
            .split_whitespace()
            .collect();
        assert_eq!(
            squashed,
            "{letvalue_0=read_a()?;letvalue_1=read_b()?;letvalue_2=read_c();\
             letmutvalue=T::new(value_1);value.a=value_0;value.c=value_2;value}"
        );
    }
}
