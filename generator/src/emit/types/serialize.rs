//! A struct's `Serialize` in `models.rs`, written out instead of derived
//! (as its `Deserialize` is: see `deserialize.rs`): one call of
//! `serialize_struct` (`runtime/types/ser.rs`) with the table of the
//! property names and a tuple of the values, a reference to the field for
//! a required property, `UnlessNone` or `UnlessAbsent` around it for an
//! optional one, which is left out when absent (`None`, or
//! `Nullable::Absent`). The length given to the serializer counts only
//! the properties written, as serde's derive with `skip_serializing_if`
//! does. A struct that keeps the properties its schema does not list
//! calls `serialize_flattened` instead, which writes a map, those
//! properties after its own, as the derive's `flatten` does. Writing the
//! property at an index of the tuple is written once per number of
//! properties (`values_impl`), not once per struct. The output is the
//! derive's, byte for byte.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{by_index, Written};
use crate::emit::ident;
use crate::model::{Field, Struct, TypeDef};

/// The helpers the impls call.
pub(super) const SER_RS: &str = include_str!("../../../runtime/types/ser.rs");

/// What tells apart the impls of this module by the helpers they call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Shape {
    /// A struct's `Serialize`.
    Struct {
        additional: bool,
        option: bool,
        nullable: bool,
    },
    /// The `WrittenProperties` of the tuples of a number of values.
    Values,
}

/// The shape of a struct's `Serialize`.
fn struct_shape(s: &Struct) -> Shape {
    Shape::Struct {
        additional: s.additional_properties.is_some(),
        option: s.fields.iter().any(|f| !f.required && !f.nullable),
        nullable: s.fields.iter().any(|f| !f.required && f.nullable),
    }
}

/// What the rest of `models.rs` needs from the `Serialize` impls:
/// nothing written yet; every struct writes from a tuple, which needs its
/// `WrittenProperties` ([`values_impl`]).
pub(super) fn written() -> Written<Shape> {
    Written::new(values_impl, Shape::Values, SER_RS)
}

/// A property's value in the tuple a struct writes: a reference to its
/// field, wrapped where an absent value is left out.
fn value(field: &Field) -> TokenStream {
    let member = ident(&field.name);
    match (field.required, field.nullable) {
        (true, _) => quote!(&self.#member),
        (false, false) => quote!(UnlessNone(&self.#member)),
        (false, true) => quote!(UnlessAbsent(&self.#member)),
    }
}

/// A struct's `Serialize`; `additional` names the field with the
/// properties the schema does not list. Recorded in `written`.
pub(super) fn struct_serialize(
    def: &TypeDef,
    s: &Struct,
    additional: Option<&Ident>,
    written: &mut Written<Shape>,
) -> TokenStream {
    let name = ident(&def.name);
    let rust_name = Literal::string(&def.name);
    let wire_names = s.fields.iter().map(|field| &field.wire_name);
    let values = s.fields.iter().map(value);
    let body = match additional {
        Some(map) => quote! {
            serialize_flattened(serializer, &[ #( #wire_names ),* ], ( #( #values, )* ), &self.#map)
        },
        None => quote! {
            serialize_struct(serializer, #rust_name, &[ #( #wire_names ),* ], ( #( #values, )* ))
        },
    };
    let item = quote! {
        impl serde::Serialize for #name {
            fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
            where
                S: serde::Serializer,
            {
                #body
            }
        }
    };
    written.keep(struct_shape(s), &item, Some(s.fields.len()));
    item
}

/// The `WrittenProperties` of the tuples of `arity` values, which every
/// struct of `arity` properties writes its properties from (written once
/// per number of properties rather than once per struct).
fn values_impl(arity: usize) -> TokenStream {
    let params: Vec<Ident> = (0..arity).map(|i| ident(&format!("V{i}"))).collect();
    let n = Literal::usize_unsuffixed(arity);
    let docs = match arity {
        0 => " The values of the structs without properties.".to_owned(),
        1 => " The values of the structs of one property.".to_owned(),
        _ => format!(" The values of the structs of {arity} properties."),
    };
    let is_written = by_index(arity, |i| quote!(self.#i.is_written()));
    let write = by_index(arity, |i| quote!(self.#i.write(name, object)));
    let methods = match is_written.zip(write) {
        Some(((index, is_written), (_, write))) => quote! {
            fn is_written(&self, #index: usize) -> bool {
                #is_written
            }

            fn write<O>(&self, #index: usize, name: &'static str, object: &mut O) -> Result<(), O::Error>
            where
                O: serde::ser::SerializeStruct,
            {
                #write
            }
        },
        // No index comes here.
        None => quote! {
            fn is_written(&self, _index: usize) -> bool {
                false
            }

            fn write<O>(&self, _index: usize, _name: &'static str, _object: &mut O) -> Result<(), O::Error>
            where
                O: serde::ser::SerializeStruct,
            {
                Ok(())
            }
        },
    };
    quote! {
        #[doc = #docs]
        impl< #( #params ),* > WrittenProperties<#n> for ( #( #params, )* )
        where
            #( #params: WrittenProperty, )*
        {
            #methods
        }
    }
}
