//! Where `models.rs` needs a `Box`: the members through which a type holds
//! itself by value.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Api, TypeKind, TypeRef};

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

/// The strongly connected component of each node of a graph, numbered
/// (Tarjan's algorithm, with a stack of its own instead of recursion: specs
/// may chain thousands of types). Linear in the size of the graph, where
/// searching the graph once per edge would be quadratic.
fn strong_components<'a>(edges: &BTreeMap<&'a str, Vec<&'a str>>) -> BTreeMap<&'a str, usize> {
    #[derive(Default)]
    struct Search<'a> {
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        /// Nodes not yet in a component, in the order found.
        open: Vec<&'a str>,
        on_open: BTreeSet<&'a str>,
        /// The path being searched: each node with its next edge.
        path: Vec<(&'a str, usize)>,
    }
    impl<'a> Search<'a> {
        fn visit(&mut self, node: &'a str) {
            let index = self.index.len();
            self.index.insert(node, index);
            self.low.insert(node, index);
            self.open.push(node);
            self.on_open.insert(node);
            self.path.push((node, 0));
        }
        fn lower(&mut self, node: &'a str, to: usize) {
            if let Some(low) = self.low.get_mut(node) {
                *low = (*low).min(to);
            }
        }
    }
    let mut search = Search::default();
    let mut component = BTreeMap::new();
    for &root in edges.keys() {
        if search.index.contains_key(root) {
            continue;
        }
        search.visit(root);
        while let Some(&(node, next)) = search.path.last() {
            let targets = edges.get(node).map_or(&[][..], Vec::as_slice);
            if let Some(&target) = targets.get(next) {
                if let Some(top) = search.path.last_mut() {
                    top.1 += 1;
                }
                match search.index.get(target) {
                    _ if !edges.contains_key(target) => {}
                    None => search.visit(target),
                    Some(&found) if search.on_open.contains(target) => search.lower(node, found),
                    Some(_) => {}
                }
                continue;
            }
            search.path.pop();
            let low = search.low[node];
            if let Some(&(parent, _)) = search.path.last() {
                search.lower(parent, low);
            }
            if low == search.index[node] {
                let number = component.len();
                while let Some(member) = search.open.pop() {
                    search.on_open.remove(member);
                    component.insert(member, number);
                    if member == node {
                        break;
                    }
                }
            }
        }
    }
    component
}
