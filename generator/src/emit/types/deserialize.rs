//! The serde implementations of `models.rs` written out instead of derived,
//! where serde's derive costs the most to compile: a struct's
//! `Deserialize`, and both directions of a string enum.
//!
//! A derived struct `Deserialize` expands to a field enum with its own
//! visitor, a sequence visitor and a map visitor with a duplicate check and
//! a missing check per field. Here the loop over the properties, the name
//! lookup, the duplicate check and the skipping of unknown properties are
//! written once (`runtime/types/de.rs`, kept where the impls call it), and
//! each struct says only how to store the value of its field `i` and how to
//! build itself at the end. The derived string enums go through serde's
//! buffered untagged path for their `Unknown(String)` variant; here they
//! are a `match` on the string. Errors read as serde's (the property named
//! for a missing or repeated property, the expected type and the position
//! from the format).

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::OneImplPerShape;
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
}

/// Whether a field is missing when its property is absent: only a
/// required property that cannot be `null` is; the others start out as
/// their absent value.
fn must_have(field: &Field) -> bool {
    field.required && !field.nullable
}

/// The shape of a struct's `Deserialize`.
pub(super) fn struct_shape(s: &Struct) -> Shape {
    Shape::Struct {
        additional: s.additional_properties.is_some(),
        required: s.fields.iter().any(must_have),
        others: s.fields.iter().any(|f| !must_have(f)),
    }
}

/// The shape of a string enum's `Deserialize`.
pub(super) fn enum_shape(e: &Enum) -> Shape {
    Shape::Enum {
        variants: !e.variants.is_empty(),
    }
}

/// The helpers of `runtime/types/de.rs` that the impls of `shapes` call.
pub(super) fn helpers(shapes: OneImplPerShape<Shape>) -> TokenStream {
    shapes.helpers(DE_RS)
}

/// A struct's `Deserialize`: the properties read so far in a `Reader`
/// (each field as declared, a required one in an `Option` until read),
/// handed to `deserialize_struct`. `field_type` gives a field's type as
/// declared (`Option`, `Nullable` and `Box` included); `additional` is the
/// map of the properties the schema does not list, with its value type.
pub(super) fn struct_deserialize(
    def: &TypeDef,
    s: &Struct,
    models: &TokenStream,
    field_type: &dyn Fn(&Field) -> TokenStream,
    additional: Option<(&Ident, &TypeRef)>,
) -> TokenStream {
    let name = ident(&def.name);
    let body = struct_body(def, s, models, field_type, additional);
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                #body
            }
        }
    }
}

/// The body of a struct's `deserialize`.
fn struct_body(
    def: &TypeDef,
    s: &Struct,
    models: &TokenStream,
    field_type: &dyn Fn(&Field) -> TokenStream,
    additional: Option<(&Ident, &TypeRef)>,
) -> TokenStream {
    let name = ident(&def.name);
    let rust_name = Literal::string(&def.name);
    let names: Vec<Ident> = s.fields.iter().map(|field| ident(&field.name)).collect();
    let wire_names = s.fields.iter().map(|field| &field.wire_name);
    let slots = s.fields.iter().zip(&names).map(|(field, name)| {
        let ty = field_type(field);
        if must_have(field) {
            quote!(#name: Option<#ty>,)
        } else {
            quote!(#name: #ty,)
        }
    });
    let starts = s.fields.iter().zip(&names).map(|(field, name)| {
        if !field.required && field.nullable {
            quote!(#name: Nullable::Absent,)
        } else {
            quote!(#name: None,)
        }
    });
    let reads: Vec<TokenStream> = s
        .fields
        .iter()
        .zip(&names)
        .map(|(field, name)| {
            // A call per property rather than `map.next_value()?`: each
            // `?` costs rustc a `From` lookup, thousands in a large spec.
            if must_have(field) {
                quote!(read_required(&mut self.#name, map))
            } else {
                quote!(read_field(&mut self.#name, map))
            }
        })
        .collect();
    let finishes = s.fields.iter().zip(&names).map(|(field, name)| {
        if must_have(field) {
            quote!(#name,)
        } else {
            quote!(#name: self.#name,)
        }
    });
    let Some((last, others)) = reads.split_last() else {
        return match additional {
            // A map of properties and nothing else.
            Some((map, _)) => quote! {
                serde::Deserialize::deserialize(deserializer).map(|#map| Self { #map })
            },
            None => quote! {
                deserialize_empty_struct(deserializer, #rust_name).map(|()| Self {})
            },
        };
    };
    let read = if others.is_empty() {
        quote! {
            fn read<A>(&mut self, _index: usize, map: &mut A) -> Result<(), A::Error>
            where
                A: serde::de::MapAccess<'de>,
            {
                #last
            }
        }
    } else {
        let indexes = (0..others.len()).map(Literal::usize_unsuffixed);
        quote! {
            fn read<A>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>
            where
                A: serde::de::MapAccess<'de>,
            {
                match index {
                    #( #indexes => #others, )*
                    _ => #last,
                }
            }
        }
    };
    let (additional_slot, additional_start, additional_read, additional_finish) = match additional {
        Some((map, value)) => {
            let value = type_tokens(value, models);
            (
                quote!(#map: std::collections::BTreeMap<String, #value>,),
                quote!(#map: std::collections::BTreeMap::new(),),
                quote! {
                    fn read_other<A>(
                        &mut self,
                        key: std::borrow::Cow<'de, str>,
                        map: &mut A,
                    ) -> Result<(), A::Error>
                    where
                        A: serde::de::MapAccess<'de>,
                    {
                        self.#map.insert(key.into_owned(), map.next_value()?);
                        Ok(())
                    }
                },
                quote!(#map: self.#map,),
            )
        }
        None => Default::default(),
    };
    let value = quote! {
        #models::#name {
            #( #finishes )*
            #additional_finish
        }
    };
    // The required properties are checked all at once, in one `match`:
    // one early return per struct rather than a `?` per property, which
    // rustc's type and borrow checks pay for per property.
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
        quote! {
            let absent = [ #( self.#required.is_none() ),* ];
            match ( #( self.#required, )* ) {
                ( #( Some(#required), )* ) => Ok(#value),
                _ => Err(first_missing(&absent, &[ #( #required_wire ),* ])),
            }
        }
    };
    let docs = format!(" The properties of `{}` read so far.", def.name);
    quote! {
        #[doc = #docs]
        struct Reader {
            #( #slots )*
            #additional_slot
        }

        impl<'de> StructReader<'de> for Reader {
            type Value = #models::#name;

            #read

            #additional_read

            fn finish<E>(self) -> Result<#models::#name, E>
            where
                E: serde::de::Error,
            {
                #finish
            }
        }

        let reader = Reader {
            #( #starts )*
            #additional_start
        };
        deserialize_struct(deserializer, #rust_name, &[ #( #wire_names ),* ], reader)
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
/// string kept in the unknown variant.
pub(super) fn enum_deserialize(def: &TypeDef, e: &Enum) -> TokenStream {
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
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
            where
                D: serde::Deserializer<'de>,
            {
                #body
            }
        }
    }
}
