//! How deep the compiler's proof of an auto trait may nest through the
//! types (`nesting_depth`), and the strongly connected components of the
//! graph of types held by value, which the types emitter also uses to decide
//! where a `Box` goes.
//!
//! rustdoc lists each type's auto traits (`Send`, `Sync`, `Unpin`,
//! `UnwindSafe`, `RefUnwindSafe`), and proves them field by field: `A: Send`
//! needs `Option<B>: Send`, which needs `B: Send`, and so on down every
//! chain of types, through `Option`, `Vec`, `Box` and maps alike (an auto
//! trait looks through every container). Each step is one level of the
//! trait solver's recursion; past the crate's `recursion_limit` (128 by
//! default) rustdoc stops with `E0275`, while `cargo check`, which proves
//! none of this, passes. A spec decides how deep its types nest (stripe's
//! go past 128), so the types crate raises its limit when they need it.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Api, TypeKind, TypeRef};

/// Levels of the trait solver's recursion that a field's or variant's
/// wrapper adds on the way to the type inside, as measured with rustdoc
/// 1.95 on chains of structs (each level is one type whose fields are
/// looked at: `Vec<T>` reaches `T` through the standard library's own
/// types). Those internals may grow between releases; [`recursion_limit`]
/// doubles the total to leave room for that.
const OPTION: usize = 1;
const VEC: usize = 3;
const BOX: usize = 4;
const MAP: usize = 9;
/// A `String`'s own levels (it holds a `Vec<u8>`), measured the same way.
const STRING: usize = 7;
/// A type from another crate (`serde_json::Value`, `chrono::DateTime`, a
/// configured type): its own levels, assumed no deeper than this
/// (`serde_json::Value` measured 19, `chrono::DateTime<Utc>` 6).
const FOREIGN: usize = 24;
/// An operation's `Parameters` and `Response` hold the schema types a
/// level or two above them.
const OPERATIONS: usize = 2;

/// The crate's default `recursion_limit`.
const DEFAULT_RECURSION_LIMIT: usize = 128;

/// An upper bound of how many levels the auto-trait proof of any type of
/// `api` may nest: the longest chain of types held inside one another,
/// each step weighted by the levels of its wrappers.
///
/// The solver stops a chain when it meets a type already on it (auto traits
/// hold coinductively), so a chain visits each type once at most; inside a
/// group of types that hold one another (a strongly connected component)
/// it may wander through all of them before it leaves, in an order that
/// depends on which type rustdoc documents first. The bound counts every
/// member of such a group, each with its costliest step, and then the
/// costliest way out: linear in the size of the graph, where the exact
/// longest chain would be a search over paths.
pub(crate) fn nesting_depth(api: &Api) -> usize {
    let mut edges: BTreeMap<&str, Vec<Step>> = BTreeMap::new();
    // The deepest foreign type each type holds directly.
    let mut leaves: BTreeMap<&str, usize> = BTreeMap::new();
    let aliases: BTreeSet<&str> = api
        .types
        .iter()
        .filter(|def| matches!(def.kind, TypeKind::Alias(_)))
        .map(|def| def.name.as_str())
        .collect();
    for def in &api.types {
        let mut steps = Vec::new();
        let mut leaf = 0;
        for (ty, wrapper, direct) in members(&def.kind) {
            walk(&aliases, ty, wrapper, direct, &mut steps, &mut leaf);
        }
        edges.insert(&def.name, steps);
        leaves.insert(&def.name, leaf);
    }
    let component =
        strong_components(&edges.iter().map(|(&n, e)| (n, targets(e, false))).collect());
    // Where the types emitter puts a `Box`: direct steps inside a group of
    // types that hold one another directly (see `boxed.rs`).
    let by_value = strong_components(&edges.iter().map(|(&n, e)| (n, targets(e, true))).collect());
    let boxed = |from: &str, step: &Step| {
        step.direct
            && by_value
                .get(from)
                .is_some_and(|group| by_value.get(step.target) == Some(group))
    };
    let mut groups: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for (&name, &number) in &component {
        groups.entry(number).or_default().push(name);
    }
    // Components are numbered in the order they are completed: everything
    // a component reaches outside itself has a smaller number.
    let mut depth: BTreeMap<&str, usize> = BTreeMap::new();
    for members in groups.values() {
        let group: BTreeSet<&str> = members.iter().copied().collect();
        let mut inside = 0;
        let mut out = 0;
        for &name in members {
            let mut costliest_inside = None;
            for step in &edges[name] {
                if group.contains(step.target) {
                    let levels = step.levels + if boxed(name, step) { BOX } else { 0 };
                    costliest_inside = costliest_inside.max(Some(levels));
                } else {
                    let beyond = depth.get(step.target).copied().unwrap_or(0);
                    out = out.max(step.levels + beyond);
                }
            }
            inside += costliest_inside.unwrap_or(0);
            out = out.max(leaves[name]);
        }
        for &name in members {
            depth.insert(name, inside + out);
        }
    }
    depth.values().copied().max().unwrap_or(0) + OPERATIONS
}

/// The `recursion_limit` the types crate declares for types nesting
/// `depth` levels: `None` while the default leaves room for twice the depth
/// (the limit then stays unwritten, as in most crates), otherwise twice the
/// depth rounded up to a power of two, so that the limit changes seldom as
/// a spec grows.
pub(crate) fn recursion_limit(depth: usize) -> Option<usize> {
    let wanted = depth.saturating_mul(2);
    (wanted > DEFAULT_RECURSION_LIMIT).then(|| wanted.checked_next_power_of_two().unwrap_or(wanted))
}

/// What a type holds by value: each member's type, with the levels its
/// declaration adds around it (a struct field that may be absent is an
/// `Option` or a `Nullable`, an extra property map a `BTreeMap`), and
/// whether it holds it directly (not in a map).
fn members(kind: &TypeKind) -> Vec<(&TypeRef, usize, bool)> {
    match kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| {
                let wrapper = if f.required && !f.nullable { 0 } else { OPTION };
                (&f.ty, wrapper, true)
            })
            .chain(s.additional_properties.iter().map(|ty| (ty, MAP, false)))
            .collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| (&v.ty, 0, true)).collect(),
        TypeKind::Newtype(ty) | TypeKind::Alias(ty) => vec![(ty, 0, true)],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// A step from a type to a named type it holds.
struct Step<'a> {
    target: &'a str,
    /// The levels of the solver's recursion from the type to the target.
    levels: usize,
    /// Whether the member holds the target itself (perhaps in an `Option`),
    /// not in a `Vec` or a map: then a `Box` goes around it when the target
    /// holds the type in turn.
    direct: bool,
}

/// The steps from a type to the named types inside `ty` (a member's type
/// under `levels` of wrappers), each with its levels, and in `leaf` the
/// deepest foreign type met. A named type is one level more, but an alias
/// (`type A = Vec<B>;`) is no type of its own: the step to it costs only
/// the wrappers, and its own steps (to `B`) count its levels.
fn walk<'a>(
    aliases: &BTreeSet<&str>,
    ty: &'a TypeRef,
    mut levels: usize,
    mut direct: bool,
    steps: &mut Vec<Step<'a>>,
    leaf: &mut usize,
) {
    let mut ty = ty;
    loop {
        match ty {
            TypeRef::Named(name) => {
                let own = if aliases.contains(name.as_str()) {
                    0
                } else {
                    1
                };
                steps.push(Step {
                    target: name,
                    levels: levels + own,
                    direct,
                });
                return;
            }
            TypeRef::Array(item) => {
                levels += VEC;
                direct = false;
                ty = item;
            }
            TypeRef::Map(value) => {
                levels += MAP;
                direct = false;
                ty = value;
            }
            TypeRef::OrNull(inner) => {
                levels += OPTION;
                ty = inner;
            }
            TypeRef::Any
            | TypeRef::External(_)
            | TypeRef::Uuid
            | TypeRef::DateTime
            | TypeRef::Date => {
                *leaf = (*leaf).max(levels + FOREIGN);
                return;
            }
            TypeRef::String => {
                *leaf = (*leaf).max(levels + 1 + STRING);
                return;
            }
            TypeRef::Bool | TypeRef::Integer(_) | TypeRef::Number(_) => {
                *leaf = (*leaf).max(levels + 1);
                return;
            }
        }
    }
}

/// The targets of `steps`, or only of the direct ones.
fn targets<'a>(steps: &[Step<'a>], direct_only: bool) -> Vec<&'a str> {
    steps
        .iter()
        .filter(|step| step.direct || !direct_only)
        .map(|step| step.target)
        .collect()
}

/// The strongly connected component of each node of a graph, numbered in
/// the order they are completed, so that every component a component
/// reaches has a smaller number (Tarjan's algorithm, with a stack of its
/// own instead of recursion: specs may chain thousands of types). Linear in
/// the size of the graph, where searching the graph once per edge would be
/// quadratic. Edges to nodes that are not keys are ignored.
pub(crate) fn strong_components<'a>(
    edges: &BTreeMap<&'a str, Vec<&'a str>>,
) -> BTreeMap<&'a str, usize> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{api, with_paths};

    /// A spec of `count` schemas, each holding the next in a property
    /// written as `property` (with `NEXT` for the reference).
    fn chain(count: usize, property: &str) -> String {
        let mut schemas = String::from("\ncomponents:\n  schemas:\n");
        for i in 0..count {
            let next = format!("{{$ref: '#/components/schemas/L{}'}}", i + 1);
            let property = if i + 1 == count {
                "{type: string}".to_owned()
            } else {
                property.replace("NEXT", &next)
            };
            schemas.push_str(&format!(
                "    L{i}:\n      type: object\n      properties:\n        next: {property}\n"
            ));
        }
        with_paths(&format!(" {{}}{schemas}"))
    }

    #[test]
    fn a_chain_counts_each_step_with_its_wrappers() {
        // `Option<L1>`: two levels a step.
        let optional = api(&chain(10, "NEXT")).nesting_depth;
        // The last holds an `Option<String>`.
        let last = OPTION + 1 + STRING;
        assert_eq!(optional, 9 * (OPTION + 1) + last + OPERATIONS);
        // `Option<Vec<L1>>`.
        let arrays = api(&chain(10, "{type: array, items: NEXT}")).nesting_depth;
        assert_eq!(arrays, 9 * (OPTION + VEC + 1) + last + OPERATIONS);
    }

    #[test]
    fn a_group_of_types_holding_one_another_counts_every_member() {
        // `A` holds `B` holds `A`, both boxed (the emitter's rule), then
        // `A` leaves the group to `C`.
        let spec = with_paths(
            " {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      required: [b, c]\n      \
             properties:\n        b: {$ref: '#/components/schemas/B'}\n        \
             c: {$ref: '#/components/schemas/C'}\n    B:\n      type: object\n      \
             properties:\n        a: {$ref: '#/components/schemas/A'}\n    C:\n      \
             type: object\n      properties:\n        n: {type: integer}\n",
        );
        let depth = api(&spec).nesting_depth;
        let inside = (1 + BOX) + (OPTION + 1 + BOX);
        let out = 1 + (OPTION + 1);
        assert_eq!(depth, inside + out + OPERATIONS);
    }

    #[test]
    fn the_limit_stays_default_until_needed() {
        assert_eq!(recursion_limit(0), None);
        assert_eq!(recursion_limit(64), None);
        assert_eq!(recursion_limit(65), Some(256));
        assert_eq!(recursion_limit(300), Some(1024));
        assert_eq!(recursion_limit(usize::MAX), Some(usize::MAX));
    }
}
