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

use std::collections::BTreeSet;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::OneImplPerShape;
use crate::emit::ident;
use crate::model::{Field, Struct, TypeDef};

/// The helpers the impls call.
pub(super) const SER_RS: &str = include_str!("../../../runtime/types/ser.rs");

/// What tells apart the impls of this module by the helpers they call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
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

/// What the rest of `models.rs` needs from the `Serialize` impls written
/// so far, recorded by [`struct_serialize`]: one impl of each shape (the
/// helpers kept are those these reach) and the numbers of properties of
/// the structs (each number needs the `WrittenProperties` of its tuple,
/// [`values_impl`]).
pub(super) struct Written {
    shapes: OneImplPerShape<Shape>,
    arities: BTreeSet<usize>,
}

impl Written {
    /// Nothing written yet.
    pub(super) fn new() -> Self {
        Written {
            shapes: OneImplPerShape::new(),
            arities: BTreeSet::new(),
        }
    }

    /// The `WrittenProperties` impls the structs write through, then the
    /// helpers of `runtime/types/ser.rs` that all the impls call.
    pub(super) fn finish(mut self) -> Vec<TokenStream> {
        let mut items: Vec<TokenStream> = self.arities.iter().map(|&n| values_impl(n)).collect();
        if let Some(values) = items.first() {
            self.shapes.keep(Shape::Values, values);
        }
        items.push(self.shapes.helpers(SER_RS));
        items
    }
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
    written: &mut Written,
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
    written.shapes.keep(struct_shape(s), &item);
    written.arities.insert(s.fields.len());
    item
}

/// The `WrittenProperties` of the tuples of `arity` values, which every
/// struct of `arity` properties writes its properties from (written once
/// per number of properties rather than once per struct).
fn values_impl(arity: usize) -> TokenStream {
    let params: Vec<Ident> = (0..arity).map(|i| ident(&format!("V{i}"))).collect();
    let indexes: Vec<Literal> = (0..arity).map(Literal::usize_unsuffixed).collect();
    let n = Literal::usize_unsuffixed(arity);
    let docs = match arity {
        0 => " The values of the structs without properties.".to_owned(),
        1 => " The values of the structs of one property.".to_owned(),
        _ => format!(" The values of the structs of {arity} properties."),
    };
    let methods = match indexes.split_last() {
        Some((last, [])) => quote! {
            fn is_written(&self, _index: usize) -> bool {
                self.#last.is_written()
            }

            fn write<O>(&self, _index: usize, name: &'static str, object: &mut O) -> Result<(), O::Error>
            where
                O: serde::ser::SerializeStruct,
            {
                self.#last.write(name, object)
            }
        },
        Some((last, others)) => quote! {
            fn is_written(&self, index: usize) -> bool {
                match index {
                    #( #others => self.#others.is_written(), )*
                    _ => self.#last.is_written(),
                }
            }

            fn write<O>(&self, index: usize, name: &'static str, object: &mut O) -> Result<(), O::Error>
            where
                O: serde::ser::SerializeStruct,
            {
                match index {
                    #( #others => self.#others.write(name, object), )*
                    _ => self.#last.write(name, object),
                }
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
