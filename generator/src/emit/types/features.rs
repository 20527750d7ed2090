//! The one place where the model's feature decisions (`Api::features`,
//! see `resolve::usage`) become `cfg` tokens: the gate of an item (a type,
//! an operation) and, per serde trait, the gate of a type's impl.
//!
//! Tag features: an item reached by the operations of some tags compiles
//! when one of their features is on (`#[cfg(any(feature = "a", feature =
//! "b"))]`); an item that always compiles gets no `cfg`. Direction
//! features of the types crate: `client` and `server`. A trait only one
//! side needs is compiled with that side's feature, and also when neither
//! is on (a crate that depends on the types crate alone gets both traits):
//! `Serialize` of a request-only type under `any(feature = "client",
//! not(feature = "server"))`. So a type that derives serde's traits (a
//! union, a newtype, a type the configuration gives serde attributes)
//! keeps at least one derive in every build, which its `#[serde]`
//! attributes need; structs and string enums write both impls out and have
//! no such attributes.
//!
//! Without features in the model (the build step's modules) nothing is
//! gated.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Api, Sides, TypeUsage};

/// A `cfg` predicate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Predicate {
    Feature(String),
    Not(Box<Predicate>),
    Any(Vec<Predicate>),
    All(Vec<Predicate>),
}

impl Predicate {
    pub(crate) fn tokens(&self) -> TokenStream {
        match self {
            Predicate::Feature(name) => quote!(feature = #name),
            Predicate::Not(inner) => {
                let inner = inner.tokens();
                quote!(not(#inner))
            }
            Predicate::Any(all) => {
                let all = all.iter().map(Predicate::tokens);
                quote!(any( #( #all ),* ))
            }
            Predicate::All(all) => {
                let all = all.iter().map(Predicate::tokens);
                quote!(all( #( #all ),* ))
            }
        }
    }

    /// The predicate as Rust source (`any(feature = "a", feature = "b")`),
    /// for code that is text rather than tokens (the README's examples).
    pub(crate) fn text(&self) -> String {
        let list = |all: &[Predicate]| {
            all.iter()
                .map(Predicate::text)
                .collect::<Vec<_>>()
                .join(", ")
        };
        match self {
            // Feature names are checked: letters, digits, `-` and `_`.
            Predicate::Feature(name) => format!("feature = \"{name}\""),
            Predicate::Not(inner) => format!("not({})", inner.text()),
            Predicate::Any(all) => format!("any({})", list(all)),
            Predicate::All(all) => format!("all({})", list(all)),
        }
    }

    /// `any` of `predicates` (at least one), or the one itself.
    fn any(mut predicates: Vec<Predicate>) -> Predicate {
        if predicates.len() == 1 {
            predicates.remove(0)
        } else {
            Predicate::Any(predicates)
        }
    }
}

/// The conjunction of gates, each `None` for "always".
pub(crate) fn all(gates: impl IntoIterator<Item = Option<Predicate>>) -> Option<Predicate> {
    let mut parts: Vec<Predicate> = Vec::new();
    for gate in gates.into_iter().flatten() {
        if !parts.contains(&gate) {
            parts.push(gate);
        }
    }
    match parts.len() {
        0 => None,
        1 => parts.pop(),
        _ => Some(Predicate::All(parts)),
    }
}

/// `#[cfg(predicate)]`, or nothing for an item that always compiles.
pub(crate) fn cfg(gate: Option<&Predicate>) -> TokenStream {
    match gate {
        Some(predicate) => {
            let predicate = predicate.tokens();
            quote!(#[cfg(#predicate)])
        }
        None => TokenStream::new(),
    }
}

/// The serde traits, each compiled per side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SerdeTrait {
    Serialize,
    Deserialize,
}

/// The usage of the named type `name`, when the model has features.
fn usage<'a>(api: &'a Api, name: &str) -> Option<&'a TypeUsage> {
    let features = api.features.as_ref()?;
    let index = api
        .types
        .binary_search_by(|def| def.name.as_str().cmp(name))
        .ok()?;
    features.types.get(index)
}

/// The features (by name) of the indices `features`, as an `any`.
fn any_feature(api: &Api, features: &[usize]) -> Option<Predicate> {
    let list = &api.features.as_ref()?.list;
    if features.is_empty() {
        return None;
    }
    Some(Predicate::any(
        features
            .iter()
            .map(|&i| Predicate::Feature(list[i].name.clone()))
            .collect(),
    ))
}

/// When the named type `name` compiles (`None`: always).
pub(crate) fn type_gate(api: &Api, name: &str) -> Option<Predicate> {
    any_feature(api, &usage(api, name)?.features)
}

/// When the operation at `index` of `Api::operations` compiles.
pub(crate) fn operation_gate(api: &Api, index: usize) -> Option<Predicate> {
    let features = api.features.as_ref()?.operations.get(index)?;
    any_feature(api, features)
}

/// The operation a crate's docs show as their example: the first that
/// compiles in every build, else the first one, with its gate (`None`:
/// always compiled). Its index in `Api::operations`; `None` without
/// operations.
pub(crate) fn example_operation(api: &Api) -> Option<(usize, Option<Predicate>)> {
    (0..api.operations.len())
        .map(|index| (index, operation_gate(api, index)))
        .min_by_key(|(_, gate)| gate.is_some())
}

/// When the type `name`'s impl of `serde_trait` compiles, beyond the
/// type's own gate: THE direction decision, for derives and hand-written
/// impls alike. `None`: whenever the type does.
pub(crate) fn serde_gate(api: &Api, name: &str, serde_trait: SerdeTrait) -> Option<Predicate> {
    let usage = usage(api, name)?;
    let sides = match serde_trait {
        SerdeTrait::Serialize => usage.serialize,
        SerdeTrait::Deserialize => usage.deserialize,
    };
    sides_gate(sides)
}

/// When something the `sides` need compiles: with the feature of a side
/// that needs it, or with neither side's feature on.
fn sides_gate(sides: Sides) -> Option<Predicate> {
    let client = || Predicate::Feature("client".to_owned());
    let server = || Predicate::Feature("server".to_owned());
    match (sides.client, sides.server) {
        (true, true) => None,
        (true, false) => Some(Predicate::Any(vec![
            client(),
            Predicate::Not(Box::new(server())),
        ])),
        (false, true) => Some(Predicate::Any(vec![
            server(),
            Predicate::Not(Box::new(client())),
        ])),
        (false, false) => Some(Predicate::Not(Box::new(Predicate::Any(vec![
            client(),
            server(),
        ])))),
    }
}

/// `#[derive(path)]` under the trait's gate: `#[cfg_attr(gate,
/// derive(path))]`, or `None` when it is derived whenever the type is
/// (then it belongs in the type's plain `#[derive]`).
pub(crate) fn gated_derive(
    api: &Api,
    name: &str,
    serde_trait: SerdeTrait,
    path: &TokenStream,
) -> Option<TokenStream> {
    let gate = serde_gate(api, name, serde_trait)?.tokens();
    Some(quote!(#[cfg_attr(#gate, derive(#path))]))
}

/// The crate-level allowance of a build with some features off: the
/// private helpers (request writers, validation checks, tagged-union
/// readers) are shared by many items, and in such a build some are
/// reached by none that is compiled. With every feature on, nothing is
/// allowed, so the full build still proves that no helper is dead.
/// `types_crate`: whether the crate is the types crate, which has the
/// `client`, `server` and `components` features besides the tags' (the
/// client has only the tags').
pub(crate) fn partial_build_allowance(api: &Api, types_crate: bool) -> TokenStream {
    let Some(features) = &api.features else {
        return TokenStream::new();
    };
    let mut every: Vec<Predicate> = features
        .list
        .iter()
        .filter(|f| types_crate || f.operations > 0)
        .map(|f| Predicate::Feature(f.name.clone()))
        .collect();
    let directions = types_crate;
    if directions {
        every.push(Predicate::Feature("client".to_owned()));
        every.push(Predicate::Feature("server".to_owned()));
    }
    if every.is_empty() {
        return TokenStream::new();
    }
    let every = Predicate::All(every).tokens();
    quote! {
        #![cfg_attr(not(#every), allow(dead_code, unused_imports))]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_side_alone_or_no_side_compiles_what_it_needs() {
        let client = Sides {
            client: true,
            server: false,
        };
        let gate = sides_gate(client).expect("gated");
        assert_eq!(
            gate.tokens().to_string(),
            "any (feature = \"client\" , not (feature = \"server\"))"
        );
        assert_eq!(sides_gate(Sides::BOTH), None);
    }
}
