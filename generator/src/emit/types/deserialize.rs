//! The serde implementations of `models.rs` written out instead of derived,
//! where serde's derive costs the most to compile: a struct's
//! `Deserialize`, and both directions of a string enum.
//!
//! A derived struct `Deserialize` expands to a field enum with its own
//! visitor, a sequence visitor and a map visitor with a duplicate check and
//! a missing check per field. Here the loop over the properties, the name
//! lookup, the duplicate check and the skipping of unknown properties are
//! written once (`runtime/types/de.rs`, kept where the impls call it), and
//! each struct says only the types of its slots and how to build itself
//! at the end; reading a property into its slot by index is written once
//! per number of properties (`slots_impl`), not once per struct. The
//! derived string enums go through serde's buffered untagged path for
//! their `Unknown(String)` variant; here they are a `match` on the string.
//! Errors read as serde's (the property named for a missing or repeated
//! property, the expected type and the position from the format).

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{by_index, Written};
use crate::emit::{ident, type_tokens};
use crate::model::{Enum, Field, Struct, TypeDef, TypeRef};

/// The helpers the impls call.
pub(super) const DE_RS: &str = include_str!("../../../runtime/types/de.rs");

/// What tells apart the impls of this module by the helpers they call:
/// the helpers are kept by following one impl of each shape (reading
/// every impl again would double the work on specs of thousands).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Shape {
    /// A struct's `Deserialize`.
    Struct {
        additional: bool,
        required: bool,
        others: bool,
    },
    /// A string enum's `Deserialize`.
    Enum { variants: bool },
    /// The `PropertySlots` of the tuples of a number of slots.
    Slots,
}

/// Whether a field is missing when its property is absent: only a
/// required property that cannot be `null` is; the others start out as
/// their absent value.
fn must_have(field: &Field) -> bool {
    field.required && !field.nullable
}

/// The shape of a struct's `Deserialize`.
fn struct_shape(s: &Struct) -> Shape {
    Shape::Struct {
        additional: s.additional_properties.is_some(),
        required: s.fields.iter().any(must_have),
        others: s.fields.iter().any(|f| !must_have(f)),
    }
}

/// The shape of a string enum's `Deserialize`.
fn enum_shape(e: &Enum) -> Shape {
    Shape::Enum {
        variants: !e.variants.is_empty(),
    }
}

/// What the rest of `models.rs` needs from the `Deserialize` impls:
/// nothing written yet; the structs read through slots need the
/// `PropertySlots` of their tuples ([`slots_impl`]).
pub(super) fn written() -> Written<Shape> {
    Written::new(slots_impl, Shape::Slots, DE_RS)
}

/// A struct's `Deserialize`, and its `FromProperties`: a slot per
/// property (a required one in a `RequiredSlot`, `None` until read; any
/// other in an `OptionalSlot` of its declared type), read by
/// `deserialize_struct` through the `PropertySlots` of the tuple of the
/// struct's slot types ([`slots_impl`]), then built by `finish`. `gate` is
/// the `cfg` of both impls; `field_type` gives a field's type as declared
/// (`Option`, `Nullable` and `Box` included); `additional` is the field of
/// the properties the schema does not list, with its value type. Recorded
/// in `written`.
pub(super) fn struct_deserialize(
    def: &TypeDef,
    s: &Struct,
    gate: &TokenStream,
    field_type: &dyn Fn(&Field) -> TokenStream,
    additional: Option<(&Ident, &TypeRef)>,
    models: &TokenStream,
    written: &mut Written<Shape>,
) -> TokenStream {
    let item = struct_impls(def, s, gate, field_type, additional, models);
    // A struct without properties is read without slots.
    let arity = (!s.fields.is_empty()).then_some(s.fields.len());
    written.keep(struct_shape(s), &item, arity);
    item
}

/// The impls [`struct_deserialize`] writes.
fn struct_impls(
    def: &TypeDef,
    s: &Struct,
    gate: &TokenStream,
    field_type: &dyn Fn(&Field) -> TokenStream,
    additional: Option<(&Ident, &TypeRef)>,
    models: &TokenStream,
) -> TokenStream {
    let name = ident(&def.name);
    let rust_name = Literal::string(&def.name);
    let deserialize = |body: TokenStream| {
        quote! {
            #gate
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
                where
                    D: serde::Deserializer<'de>,
                {
                    #body
                }
            }
        }
    };
    if s.fields.is_empty() {
        return deserialize(match additional {
            // A map of properties and nothing else.
            Some((map, _)) => quote! {
                serde::Deserialize::deserialize(deserializer).map(|#map| Self { #map })
            },
            None => quote! {
                deserialize_empty_struct(deserializer, #rust_name).map(|()| Self {})
            },
        });
    }
    let wire_names = s.fields.iter().map(|field| &field.wire_name);
    let read = deserialize(quote! {
        deserialize_struct(deserializer, #rust_name, &[ #( #wire_names ),* ])
    });
    let names: Vec<Ident> = s.fields.iter().map(|field| ident(&field.name)).collect();
    let slot_types = s.fields.iter().map(|field| {
        let ty = field_type(field);
        if must_have(field) {
            quote!(RequiredSlot<#ty>)
        } else {
            quote!(OptionalSlot<#ty>)
        }
    });
    let (others_type, others_param, others_field) = match additional {
        Some((map, value)) => {
            let value = type_tokens(value, models);
            (
                quote!(KeptProperties<#value>),
                quote!(#map),
                quote!(#map: #map.0,),
            )
        }
        None => (quote!(SkippedProperties), quote!(_), quote!()),
    };
    let fields = s.fields.iter().zip(&names).map(|(field, name)| {
        if must_have(field) {
            quote!(#name,)
        } else {
            quote!(#name: #name.0,)
        }
    });
    let value = quote! {
        Self {
            #( #fields )*
            #others_field
        }
    };
    // The required properties are checked all at once, in one `match`:
    // one early return per struct rather than a `?` per property, which
    // rustc's type and borrow checks pay for per property. The slots are
    // bound by the fields' names, so `finish` binds no other name a field
    // could have but `missing`, in the arm where no slot is used, and
    // calls its helper by a path no binding shadows (`self::`).
    let (required, required_wire): (Vec<&Ident>, Vec<&String>) = s
        .fields
        .iter()
        .zip(&names)
        .filter(|(field, _)| must_have(field))
        .map(|(field, name)| (name, &field.wire_name))
        .unzip();
    let finish = if required.is_empty() {
        quote!(Ok(#value))
    } else {
        let positions = (0..required.len()).map(Literal::usize_unsuffixed);
        quote! {
            match ( #( #required.0, )* ) {
                ( #( Some(#required), )* ) => Ok(#value),
                missing => Err(self::first_missing(
                    &[ #( missing.#positions.is_none() ),* ],
                    &[ #( #required_wire ),* ],
                )),
            }
        }
    };
    quote! {
        #read

        #gate
        impl FromProperties for #name {
            type Slots = ( #( #slot_types, )* );
            type Others = #others_type;

            fn finish<E>(
                ( #( #names, )* ): Self::Slots,
                #others_param: Self::Others,
            ) -> Result<Self, E>
            where
                E: serde::de::Error,
            {
                #finish
            }
        }
    }
}

/// The `PropertySlots` of the tuples of `arity` slots, which every struct
/// of `arity` properties reads its properties into (written once per
/// number of properties rather than once per struct): `start` starts
/// each slot, `read` reads the property at an index into its slot.
fn slots_impl(arity: usize) -> TokenStream {
    let params: Vec<Ident> = (0..arity).map(|i| ident(&format!("S{i}"))).collect();
    let docs = match arity {
        1 => " The slots of the structs of one property.".to_owned(),
        _ => format!(" The slots of the structs of {arity} properties."),
    };
    let read = match by_index(arity, |i| quote!(self.#i.read(map))) {
        Some((index, body)) => quote! {
            fn read<A>(&mut self, #index: usize, map: &mut A) -> Result<(), A::Error>
            where
                A: serde::de::MapAccess<'de>,
            {
                #body
            }
        },
        // No struct without properties is read through slots.
        None => quote! {
            fn read<A>(&mut self, _index: usize, _map: &mut A) -> Result<(), A::Error>
            where
                A: serde::de::MapAccess<'de>,
            {
                Ok(())
            }
        },
    };
    quote! {
        #[doc = #docs]
        impl<'de, #( #params ),*> PropertySlots<'de> for ( #( #params, )* )
        where
            #( #params: PropertySlot<'de>, )*
        {
            fn start() -> Self {
                ( #( #params::start(), )* )
            }

            #read
        }
    }
}

/// A string enum's `Serialize`: its value on the wire (`as_str`).
pub(super) fn enum_serialize(def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
            where
                S: serde::Serializer,
            {
                serializer.serialize_str(self.as_str())
            }
        }
    }
}

/// A string enum's `Deserialize`: the variant of a listed value, any other
/// string kept in the unknown variant. Recorded in `written`.
pub(super) fn enum_deserialize(
    def: &TypeDef,
    e: &Enum,
    written: &mut Written<Shape>,
) -> TokenStream {
    let name = ident(&def.name);
    let unknown = ident(&e.unknown_variant);
    let body = if e.variants.is_empty() {
        quote! {
            deserialize_str(deserializer).map(|value| Self::#unknown(value.into_owned()))
        }
    } else {
        let arms = e.variants.iter().map(|v| {
            let variant = ident(&v.name);
            let wire = &v.wire_value;
            quote!(#wire => Self::#variant,)
        });
        quote! {
            let value = deserialize_str(deserializer)?;
            Ok(match &*value {
                #( #arms )*
                _ => Self::#unknown(value.into_owned()),
            })
        }
    };
    let item = quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                #body
            }
        }
    };
    written.keep(enum_shape(e), &item, None);
    item
}
