//! A struct's `Serialize` in `models.rs`, written out instead of derived
//! (as its `Deserialize` is: see `deserialize.rs`): one statement per
//! property, in the order of the fields, through `serialize_struct` and
//! the `StructWriter` of `runtime/types/ser.rs`. An optional property is
//! left out when absent (`None`, or `Nullable::Absent`), and the
//! length given to the serializer counts only the properties written, as
//! serde's derive with `skip_serializing_if` does. A struct that keeps the
//! properties its schema does not list writes a map instead, those
//! properties after its own, as the derive's `flatten` does. The output is
//! the derive's, byte for byte; the derive's macro expansion, its
//! `#[serde]` field attributes and their gates are gone.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::OneImplPerShape;
use crate::emit::ident;
use crate::model::{Field, Struct, TypeDef};

/// The helpers the impls call.
pub(super) const SER_RS: &str = include_str!("../../../runtime/types/ser.rs");

/// What tells apart the impls of this module by the helpers they call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Shape {
    additional: bool,
    required: bool,
    option: bool,
    nullable: bool,
}

/// The shape of a struct's `Serialize`.
pub(super) fn struct_shape(s: &Struct) -> Shape {
    Shape {
        additional: s.additional_properties.is_some(),
        required: s.fields.iter().any(|f| f.required),
        option: s.fields.iter().any(|f| !f.required && !f.nullable),
        nullable: s.fields.iter().any(|f| !f.required && f.nullable),
    }
}

/// The helpers of `runtime/types/ser.rs` that the impls of `shapes` call.
pub(super) fn helpers(shapes: OneImplPerShape<Shape>) -> TokenStream {
    shapes.helpers(SER_RS)
}

/// Whether an optional property is present, and the `StructWriter`
/// method that writes it unless absent.
fn absent_check(field: &Field) -> Option<(TokenStream, TokenStream)> {
    let name = ident(&field.name);
    match (field.required, field.nullable) {
        (true, _) => None,
        (false, false) => Some((quote!(self.#name.is_some()), quote!(option))),
        (false, true) => Some((quote!(!self.#name.is_absent()), quote!(nullable))),
    }
}

/// A struct's `Serialize`; `additional` names the field with the
/// properties the schema does not list.
pub(super) fn struct_serialize(
    def: &TypeDef,
    s: &Struct,
    additional: Option<&Ident>,
) -> TokenStream {
    let name = ident(&def.name);
    let rust_name = Literal::string(&def.name);
    let writes = s.fields.iter().map(|field| {
        let member = ident(&field.name);
        let wire = &field.wire_name;
        // One call per property, no `?`: `StructWriter` keeps the first
        // error (see `runtime/types/ser.rs`).
        match absent_check(field) {
            None => quote!(object.field(#wire, &self.#member);),
            Some((_, method)) => quote!(object.#method(#wire, &self.#member);),
        }
    });
    let required = s.fields.iter().filter(|field| field.required).count();
    let body = match additional {
        Some(map) if s.fields.is_empty() => quote! {
            FlattenedObject(serializer.serialize_map(None)?).end_with(&self.#map)
        },
        Some(map) => quote! {
            let mut object = StructWriter::new(serializer.serialize_map(None).map(FlattenedObject));
            #( #writes )*
            object.end_with(&self.#map)
        },
        None if s.fields.is_empty() => quote! {
            use serde::ser::SerializeStruct;
            serializer.serialize_struct(#rust_name, 0)?.end()
        },
        None => {
            let present: Vec<TokenStream> = s
                .fields
                .iter()
                .filter_map(|field| absent_check(field).map(|(present, _)| present))
                .collect();
            // A flat list of flags, not a sum: a sum of thousands of terms
            // nests as deep, for the formatter and for rustc.
            let len = match (required, present.is_empty()) {
                (_, true) => {
                    let required = Literal::usize_unsuffixed(required);
                    quote!(#required)
                }
                (0, false) => quote!(present(&[ #( #present ),* ])),
                (_, false) => {
                    let required = Literal::usize_unsuffixed(required);
                    quote!(#required + present(&[ #( #present ),* ]))
                }
            };
            // A count that depends on the value is named first.
            let (count, len) = if present.is_empty() {
                (None, len)
            } else {
                (Some(quote!(let len = #len;)), quote!(len))
            };
            quote! {
                #count
                let mut object = StructWriter::new(serializer.serialize_struct(#rust_name, #len));
                #( #writes )*
                object.end()
            }
        }
    };
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
            where
                S: serde::Serializer,
            {
                #body
            }
        }
    }
}
