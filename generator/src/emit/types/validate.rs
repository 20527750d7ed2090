//! `validate.rs` of the types crate: the checks of the constraints the spec
//! puts on values (`maxLength`, `minimum`, `pattern`, ...). The trait, the
//! violations and the helpers are fixed code (`runtime/types/validate.rs`,
//! kept where the checks call them); this module writes an `impl Validate`
//! for each model and `Parameters` struct whose values can break a
//! constraint, and a function per request body that can.
//!
//! Which types get a check is worked out over the whole model: a struct
//! whose field refers to a type with a check has one too, so checks nest
//! through models, array items and map values. An alias has no type of its
//! own to carry an `impl`: its constraints are checked where it is used.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::emit::{format_file, ident, runtime_items, type_tokens};
use crate::model::{
    Api, Bound, Constraints, IntegerFormat, NumberFormat, Operation, Payload, TypeKind, TypeRef,
};
use crate::names::Namespace;

/// The trait, the violations and the helpers the checks call.
const VALIDATE_RS: &str = include_str!("../../../runtime/types/validate.rs");

/// How many aliases of aliases are followed (resolve leaves no cycle; a
/// bug must not hang).
const MAX_ALIASES: usize = 32;

/// What has a check: the named types with an `impl Validate`, the
/// operations whose `Parameters` have one, and the operations with a body
/// check function.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Checked {
    /// Names of the struct, union and newtype models that implement
    /// `Validate`.
    pub types: BTreeSet<String>,
    /// Names of the operations whose `Parameters` implement `Validate`.
    pub parameters: BTreeSet<String>,
    /// Names of the operations with a `<operation>_body` check.
    pub bodies: BTreeSet<String>,
}

impl Checked {
    /// Whether the crate has no check at all (and so no `validate.rs`).
    pub(crate) fn is_empty(&self) -> bool {
        self.types.is_empty() && self.parameters.is_empty() && self.bodies.is_empty()
    }
}

/// The one JSON body of an operation that is checked: a body with one
/// media type, JSON or a form.
pub(crate) fn checked_body(op: &Operation) -> Option<(&TypeRef, &Constraints)> {
    match op.request_body.as_ref()?.contents.as_slice() {
        [content] => match &content.payload {
            Payload::Json(ty) | Payload::Form { ty, .. } => Some((ty, &content.constraints)),
            _ => None,
        },
        _ => None,
    }
}

/// What has a check in `api`.
pub(crate) fn checked(api: &Api) -> Checked {
    let mut types = BTreeSet::new();
    // A type needs a check when something in it does: grow the set until
    // it settles (recursive types reach themselves).
    loop {
        let mut grown = types.clone();
        for def in &api.types {
            let needs = match &def.kind {
                TypeKind::Struct(s) => {
                    !def.constraints.is_empty()
                        || s.fields
                            .iter()
                            .any(|f| value_needs(api, &f.ty, &f.constraints, &types))
                        || s.additional_properties
                            .as_ref()
                            .is_some_and(|ty| value_needs(api, ty, &Constraints::default(), &types))
                }
                TypeKind::Union(u) => u
                    .variants
                    .iter()
                    .any(|v| value_needs(api, &v.ty, &Constraints::default(), &types)),
                TypeKind::Newtype(ty) => value_needs(api, ty, &def.constraints, &types),
                TypeKind::Enum(_) | TypeKind::Alias(_) => false,
            };
            if needs {
                grown.insert(def.name.clone());
            }
        }
        if grown == types {
            break;
        }
        types = grown;
    }
    let parameters = api
        .operations
        .iter()
        .filter(|op| {
            op.parameters
                .iter()
                .any(|p| value_needs(api, &p.ty, &p.constraints, &types))
        })
        .map(|op| op.name.clone())
        .collect();
    let bodies = api
        .operations
        .iter()
        .filter(|op| checked_body(op).is_some_and(|(ty, c)| value_needs(api, ty, c, &types)))
        .map(|op| op.name.clone())
        .collect();
    Checked {
        types,
        parameters,
        bodies,
    }
}

/// Whether a value of `ty` with `constraints` can break something.
fn value_needs(
    api: &Api,
    ty: &TypeRef,
    constraints: &Constraints,
    types: &BTreeSet<String>,
) -> bool {
    if !constraints.is_empty() {
        return true;
    }
    let mut ty = ty;
    for _ in 0..MAX_ALIASES {
        match ty {
            TypeRef::Array(item) | TypeRef::Map(item) | TypeRef::OrNull(item) => ty = item,
            TypeRef::Named(name) => match api.type_named(name) {
                Some(def) => match &def.kind {
                    TypeKind::Alias(target) => {
                        if !def.constraints.is_empty() {
                            return true;
                        }
                        ty = target;
                    }
                    _ => return types.contains(name),
                },
                None => return false,
            },
            _ => return false,
        }
    }
    false
}

/// The items of `validate.rs`, given what has a check.
pub(super) fn validate_rs(api: &Api, checked: &Checked) -> String {
    let mut writer = Writer {
        api,
        checked,
        patterns: Vec::new(),
    };
    let models = quote!(crate);
    let mut items = Vec::new();
    for def in api.types.iter().filter(|d| checked.types.contains(&d.name)) {
        let name = ident(&def.name);
        let body = match &def.kind {
            TypeKind::Struct(s) => writer.struct_checks(def, s),
            TypeKind::Union(u) => {
                let checked: Vec<(TokenStream, TokenStream)> = u
                    .variants
                    .iter()
                    .filter_map(|v| {
                        let variant = ident(&v.name);
                        let check = writer.value(
                            &quote!(value),
                            &v.ty,
                            &Constraints::default(),
                            &quote!(path),
                            0,
                        );
                        (!check.is_empty()).then(|| (quote!(Self::#variant(value)), check))
                    })
                    .collect();
                match checked.as_slice() {
                    // One checked variant of several: `if let` (a `match`
                    // with `_ => {}` is clippy's `single_match`).
                    [(pattern, check)] if u.variants.len() > 1 => quote! {
                        if let #pattern = self {
                            #check
                        }
                    },
                    _ => {
                        let arms = checked
                            .iter()
                            .map(|(pattern, check)| quote!(#pattern => { #check }));
                        let rest = (checked.len() < u.variants.len()).then(|| quote!(_ => {}));
                        quote! {
                            match self {
                                #( #arms )*
                                #rest
                            }
                        }
                    }
                }
            }
            TypeKind::Newtype(ty) => {
                let check = writer.value(&quote!(value), ty, &def.constraints, &quote!(path), 0);
                quote! {
                    let value = &self.0;
                    #check
                }
            }
            TypeKind::Enum(_) | TypeKind::Alias(_) => continue,
        };
        let gate = super::features::cfg(super::features::type_gate(api, &def.name).as_ref());
        items.push(quote! {
            #gate
            impl Validate for #models::#name {
                fn check(&self, path: &Path<'_>, found: &mut Violations) {
                    #body
                }
            }
        });
    }
    for (index, op) in api.operations.iter().enumerate() {
        let gate = super::features::cfg(super::features::operation_gate(api, index).as_ref());
        if checked.parameters.contains(&op.name) {
            let module = ident(&op.name);
            let checks = op.parameters.iter().map(|p| {
                let field = ident(&p.name);
                let wire = &p.wire_name;
                let check = writer.value(&quote!(value), &p.ty, &p.constraints, &quote!(at), 0);
                if check.is_empty() {
                    TokenStream::new()
                } else if p.required {
                    quote! {{
                        let value = &self.#field;
                        let at = &path.key(#wire);
                        #check
                    }}
                } else {
                    quote! {
                        if let Some(value) = &self.#field {
                            let at = &path.key(#wire);
                            #check
                        }
                    }
                }
            });
            let checks: Vec<TokenStream> = checks.collect();
            items.push(quote! {
                #gate
                impl Validate for #models::operations::#module::Parameters {
                    fn check(&self, path: &Path<'_>, found: &mut Violations) {
                        #( #checks )*
                    }
                }
            });
        }
        if checked.bodies.contains(&op.name) {
            if let Some((ty, constraints)) = checked_body(op) {
                let function = format_ident!("{}_body", op.name);
                let doc = format!(
                    " Checks a body of `{} {}` against the constraints of its schema.",
                    op.method.as_str(),
                    op.path
                );
                // Borrowed as the client's methods take it: `&[T]` and `&str`
                // rather than `&Vec<T>` and `&String` (clippy::ptr_arg).
                let body_ty = match ty {
                    TypeRef::Array(item) => {
                        let item = type_tokens(item, &models);
                        quote!([#item])
                    }
                    TypeRef::String => quote!(str),
                    other => type_tokens(other, &models),
                };
                let check = writer.value(&quote!(body), ty, constraints, &quote!(path), 0);
                items.push(quote! {
                    #[doc = #doc]
                    #gate
                    pub fn #function(body: &#body_ty) -> Result<(), Violations> {
                        check_value(|path, found| { #check })
                    }
                });
            }
        }
    }
    let statics = writer.patterns.iter().enumerate().map(|(i, _)| {
        let name = format_ident!("PATTERN_{i}");
        quote! {
            static #name: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
        }
    });
    let items: Vec<TokenStream> = statics.chain(items).collect();
    let helpers = crate::emit::prune::reachable(&items, runtime_items(VALIDATE_RS));
    format_file([
        quote! {
            //! Checks of the constraints the API description puts on values
            //! (`maxLength`, `pattern`, `minimum`, `maxItems`, ...): [`Validate`]
            //! for each model and `Parameters` struct that has some, and a
            //! function per request body.
        },
        helpers,
        quote!(#(#items)*),
    ])
}

/// Writes checks, collecting the patterns they use.
struct Writer<'a> {
    api: &'a Api,
    checked: &'a Checked,
    /// The patterns met, in order: `PATTERN_<i>` compiles the `i`th.
    patterns: Vec<String>,
}

impl Writer<'_> {
    /// The body of a struct's `check`: its property count, then each field
    /// that can break something.
    fn struct_checks(
        &mut self,
        def: &crate::model::TypeDef,
        s: &crate::model::Struct,
    ) -> TokenStream {
        let extra = s.additional_properties.as_ref().map(|ty| {
            // The same name `models.rs` gives the field.
            let mut taken = Namespace::new();
            for field in &s.fields {
                taken.reserve(&field.name);
            }
            (ident(&taken.unique("additional_properties")), ty)
        });
        let mut checks = Vec::new();
        let c = &def.constraints;
        if c.min_properties.is_some() || c.max_properties.is_some() {
            let always = s.fields.iter().filter(|f| f.required).count();
            let mut terms = Vec::new();
            if always > 0 {
                terms.push(quote!(#always));
            }
            for field in s.fields.iter().filter(|f| !f.required) {
                let name = ident(&field.name);
                // An optional nullable field sent as `null` is a property.
                terms.push(if field.nullable {
                    quote!(usize::from(!self.#name.is_absent()))
                } else {
                    quote!(usize::from(self.#name.is_some()))
                });
            }
            if let Some((name, _)) = &extra {
                terms.push(quote!(self.#name.len()));
            }
            if terms.is_empty() {
                terms.push(quote!(0));
            }
            let (min, max) = (option(c.min_properties), option(c.max_properties));
            checks.push(quote! {
                check_properties(found, path, #( #terms )+*, #min, #max);
            });
        }
        for field in &s.fields {
            let check = self.value(
                &quote!(value),
                &field.ty,
                &field.constraints,
                &quote!(at),
                0,
            );
            if check.is_empty() {
                continue;
            }
            let name = ident(&field.name);
            let wire = &field.wire_name;
            checks.push(match (field.required, field.nullable) {
                (true, false) => quote! {{
                    let value = &self.#name;
                    let at = &path.key(#wire);
                    #check
                }},
                (true, true) | (false, false) => quote! {
                    if let Some(value) = &self.#name {
                        let at = &path.key(#wire);
                        #check
                    }
                },
                (false, true) => quote! {
                    if let Some(value) = self.#name.value() {
                        let at = &path.key(#wire);
                        #check
                    }
                },
            });
        }
        if let Some((name, ty)) = extra {
            let check = self.value(&quote!(value), ty, &Constraints::default(), &quote!(at), 0);
            if !check.is_empty() {
                checks.push(quote! {
                    for (key, value) in &self.#name {
                        let at = &path.key(key);
                        #check
                    }
                });
            }
        }
        quote!(#( #checks )*)
    }

    /// The checks of `value` (an expression of type `&T`, `T` the Rust type
    /// of `ty`) with `constraints`, sitting at `path` (a variable of type
    /// `&Path`); empty when it cannot break anything. `depth` keeps
    /// the names of nested loops apart.
    fn value(
        &mut self,
        value: &TokenStream,
        ty: &TypeRef,
        constraints: &Constraints,
        path: &TokenStream,
        depth: usize,
    ) -> TokenStream {
        let mut checks = vec![self.own(value, ty, constraints, path)];
        match ty {
            TypeRef::Array(item) | TypeRef::Map(item) => {
                let inner = constraints.items.as_deref().cloned().unwrap_or_default();
                let item_name = format_ident!("item_{depth}");
                let at_name = format_ident!("at_{depth}");
                let check = self.value(
                    &quote!(#item_name),
                    item,
                    &inner,
                    &quote!(#at_name),
                    depth + 1,
                );
                if !check.is_empty() {
                    checks.push(if matches!(ty, TypeRef::Array(_)) {
                        quote! {
                            for (index, #item_name) in #value.iter().enumerate() {
                                let #at_name = &#path.index(index);
                                #check
                            }
                        }
                    } else {
                        quote! {
                            for (key, #item_name) in #value {
                                let #at_name = &#path.key(key);
                                #check
                            }
                        }
                    });
                }
            }
            // An item or value that admits `null`: its constraints apply
            // when it is not.
            TypeRef::OrNull(inner) => {
                let some_name = format_ident!("some_{depth}");
                let check = self.value(&quote!(#some_name), inner, constraints, path, depth + 1);
                if !check.is_empty() {
                    checks.push(quote! {
                        if let Some(#some_name) = #value {
                            #check
                        }
                    });
                }
            }
            TypeRef::Named(name) => match self.api.type_named(name).map(|d| (&d.kind, d)) {
                Some((TypeKind::Alias(target), def)) if depth < MAX_ALIASES => {
                    // The alias's own constraints, then those of this use
                    // (an `allOf` next to the `$ref`), each on what it names.
                    let own = def.constraints.clone();
                    checks.push(self.value(value, target, &own, path, depth + 1));
                    if !constraints.is_empty() {
                        checks.push(self.value(value, target, constraints, path, depth + 1));
                    }
                }
                Some(_) if self.checked.types.contains(name) => {
                    checks.push(quote!(#value.check(#path, found);));
                }
                _ => {}
            },
            _ => {}
        }
        quote!(#( #checks )*)
    }

    /// The checks of `constraints` themselves on `value` (not those of the
    /// values inside it).
    fn own(
        &mut self,
        value: &TokenStream,
        ty: &TypeRef,
        c: &Constraints,
        path: &TokenStream,
    ) -> TokenStream {
        let mut checks = Vec::new();
        match ty {
            TypeRef::String => {
                if c.min_length.is_some() || c.max_length.is_some() {
                    let (min, max) = (option(c.min_length), option(c.max_length));
                    checks.push(quote!(check_length(found, #path, #value, #min, #max);));
                }
                for pattern in &c.patterns {
                    let index = match self.patterns.iter().position(|p| p == pattern) {
                        Some(index) => index,
                        None => {
                            self.patterns.push(pattern.clone());
                            self.patterns.len() - 1
                        }
                    };
                    let compiled = format_ident!("PATTERN_{index}");
                    checks.push(quote!(check_pattern(found, #path, #value, #pattern, &#compiled);));
                }
            }
            TypeRef::Integer(format) => {
                let (value_i64, value_f64) = match format {
                    IntegerFormat::I32 => (quote!(i64::from(*#value)), quote!(f64::from(*#value))),
                    IntegerFormat::I64 => (quote!(*#value), quote!(*#value as f64)),
                };
                for (bound, helper) in [
                    (&c.minimum, quote!(check_minimum)),
                    (&c.maximum, quote!(check_maximum)),
                ] {
                    if let Some(bound) = bound {
                        let (value, limit) = match integer_literal(bound, *format) {
                            Some(limit) => (quote!(*#value), limit),
                            None => (value_f64.clone(), float_literal(&bound.value)),
                        };
                        checks.push(bound_check(&helper, path, &value, &limit, bound));
                    }
                }
                if let Some(factor) = &c.multiple_of {
                    checks.push(match factor.as_i64().filter(|f| *f > 0) {
                        Some(factor) => {
                            let factor = Literal::i64_suffixed(factor);
                            quote!(check_multiple_of_integer(found, #path, #value_i64, #factor);)
                        }
                        None => {
                            let text = factor.to_string();
                            let factor = float_literal(factor);
                            quote!(check_multiple_of(found, #path, #value_f64, #factor, #text);)
                        }
                    });
                }
            }
            TypeRef::Number(format) => {
                let value_f64 = match format {
                    NumberFormat::F32 => quote!(f64::from(*#value)),
                    NumberFormat::F64 => quote!(*#value),
                };
                for (bound, helper) in [
                    (&c.minimum, quote!(check_minimum)),
                    (&c.maximum, quote!(check_maximum)),
                ] {
                    if let Some(bound) = bound {
                        let limit = float_literal(&bound.value);
                        checks.push(bound_check(&helper, path, &value_f64, &limit, bound));
                    }
                }
                if let Some(factor) = &c.multiple_of {
                    let text = factor.to_string();
                    let factor = float_literal(factor);
                    checks
                        .push(quote!(check_multiple_of(found, #path, #value_f64, #factor, #text);));
                }
            }
            TypeRef::Array(_) => {
                if c.min_items.is_some() || c.max_items.is_some() {
                    let (min, max) = (option(c.min_items), option(c.max_items));
                    checks.push(quote!(check_items(found, #path, #value.len(), #min, #max);));
                }
                if c.unique_items {
                    checks.push(quote!(check_unique(found, #path, #value);));
                }
            }
            TypeRef::Map(_) if c.min_properties.is_some() || c.max_properties.is_some() => {
                let (min, max) = (option(c.min_properties), option(c.max_properties));
                checks.push(quote!(check_properties(found, #path, #value.len(), #min, #max);));
            }
            _ => {}
        }
        quote!(#( #checks )*)
    }
}

/// `check_minimum(...)` or `check_maximum(...)` for `bound`.
fn bound_check(
    helper: &TokenStream,
    path: &TokenStream,
    value: &TokenStream,
    limit: &TokenStream,
    bound: &Bound,
) -> TokenStream {
    let exclusive = bound.exclusive;
    let text = bound.value.to_string();
    quote!(#helper(found, #path, #value, #limit, #exclusive, #text);)
}

/// `Some(n)` or `None`, as `Option<u64>` tokens.
fn option(value: Option<u64>) -> TokenStream {
    match value {
        Some(n) => {
            let n = Literal::u64_suffixed(n);
            quote!(Some(#n))
        }
        None => quote!(None),
    }
}

/// The bound as a literal of the integer type, when it is a whole number in
/// its range: integers are then compared exactly.
fn integer_literal(bound: &Bound, format: IntegerFormat) -> Option<TokenStream> {
    let n = bound.value.as_i64()?;
    Some(match format {
        IntegerFormat::I32 => {
            let n = Literal::i32_suffixed(i32::try_from(n).ok()?);
            quote!(#n)
        }
        IntegerFormat::I64 => {
            let n = Literal::i64_suffixed(n);
            quote!(#n)
        }
    })
}

/// A JSON number as an `f64` literal.
fn float_literal(n: &serde_json::Number) -> TokenStream {
    let n = Literal::f64_suffixed(n.as_f64().unwrap_or_default());
    quote!(#n)
}

/// Notes the crates the checks name: `regex` for patterns, `serde_json`
/// for `uniqueItems` (items are compared as JSON text).
pub(super) fn add_needs(api: &Api, checked: &Checked, needs: &mut crate::emit::Needs) {
    if checked.is_empty() {
        return;
    }
    let mut patterns = false;
    let mut unique = false;
    let mut note = |c: &Constraints| {
        let mut c = Some(c);
        while let Some(this) = c {
            patterns |= !this.patterns.is_empty();
            unique |= this.unique_items;
            c = this.items.as_deref();
        }
    };
    for def in &api.types {
        note(&def.constraints);
        if let TypeKind::Struct(s) = &def.kind {
            for field in &s.fields {
                note(&field.constraints);
            }
        }
    }
    for op in &api.operations {
        for p in &op.parameters {
            note(&p.constraints);
        }
        if let Some((_, c)) = checked_body(op) {
            note(c);
        }
    }
    if patterns {
        needs.insert(crate::emit::known_crate("regex"));
    }
    if unique {
        needs.insert(crate::emit::known_crate("serde_json"));
    }
}
