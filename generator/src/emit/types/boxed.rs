//! Where `models.rs` needs a `Box`: the members through which a type holds
//! itself by value.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Api, TypeKind, TypeRef};
use crate::resolve::depth::strong_components;

/// Members that hold a named type by value which in turn holds their own
/// type by value (directly or through other types): Rust needs a `Box`
/// there, or the type would have infinite size. `Vec` and maps already put
/// their items on the heap, so only plain (and `Option`) references count.
/// Members are struct fields, union variants and a newtype's field (`0`);
/// returns `(type name, member name)` pairs.
pub(super) fn boxed_fields(api: &Api) -> BTreeSet<(String, String)> {
    fn by_value(ty: &TypeRef) -> Option<&str> {
        match ty {
            TypeRef::Named(name) => Some(name),
            _ => None,
        }
    }
    /// The members of a type that hold another type by value.
    fn members(kind: &TypeKind) -> Vec<(&str, &str)> {
        match kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .filter_map(|f| Some((f.name.as_str(), by_value(&f.ty)?)))
                .collect(),
            TypeKind::Union(u) => u
                .variants
                .iter()
                .filter_map(|v| Some((v.name.as_str(), by_value(&v.ty)?)))
                .collect(),
            TypeKind::Newtype(ty) => by_value(ty).map(|t| ("0", t)).into_iter().collect(),
            TypeKind::Alias(ty) => by_value(ty).map(|t| ("", t)).into_iter().collect(),
            TypeKind::Enum(_) => Vec::new(),
        }
    }
    let mut edges: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for def in &api.types {
        let targets = members(&def.kind).into_iter().map(|(_, t)| t).collect();
        edges.insert(&def.name, targets);
    }
    // A member's type reaches the type that holds it exactly when both are
    // in one strongly connected component.
    let component = strong_components(&edges);
    let mut boxed = BTreeSet::new();
    for def in &api.types {
        // An alias is not a type of its own: what it names gets the box.
        if matches!(def.kind, TypeKind::Alias(_)) {
            continue;
        }
        for (member, target) in members(&def.kind) {
            if component.contains_key(target)
                && component.get(target) == component.get(def.name.as_str())
            {
                boxed.insert((def.name.clone(), member.to_owned()));
            }
        }
    }
    boxed
}
