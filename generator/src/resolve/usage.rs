//! Which operations reach each named type, and in which direction: the
//! cargo features of the types and client crates (one per tag) and the
//! serde traits each side needs, decided once on the finished model.
//!
//! A type compiles when a feature of an operation that reaches it is on
//! (through fields, items, map values, union variants, aliases and
//! newtypes); every schema of `components/schemas` and every type no
//! operation reaches (a schema only webhooks use) compiles with the
//! feature `components` too, as does what they reach (so an operation
//! added later never takes a type out of `components`); a type an untagged
//! operation reaches, or every tag's feature, or more than `MOST_FEATURES`
//! features, always compiles, and so does everything such a type reaches.
//! Directions: the client serializes
//! what requests carry (parameters, request bodies) and deserializes what
//! responses carry (bodies, headers); the server the reverse. Two uses
//! cross that line and are counted: the client reads the next page of a
//! body-paginated response through `serde_json::to_value` of the body (it
//! serializes that response), and a `uniqueItems` check compares items as
//! JSON text (every side serializes those items).
//!
//! Cost: one walk of the type graph per feature, from that feature's
//! operations, plus one per direction; a type reached by more than
//! `MOST_FEATURES` features always compiles and is not walked again, so
//! each type is entered a bounded number of times: linear in the model.

use std::collections::BTreeMap;

use crate::model::{
    Api, Constraints, Feature, Features, Pagination, PartKind, Payload, Sides, Status, TypeDef,
    TypeKind, TypeRef, TypeUsage,
};

/// Feature names the crates define themselves, which no tag may take.
pub(crate) const RESERVED: &[&str] = &["default", "client", "server", "tracing", COMPONENTS];

/// The feature of the types no operation reaches (GitHub's webhook
/// payloads, say) and of what they reach: in the types crate only, and in
/// its `default`. Without it, every type such a schema names (GitHub's
/// `repository`, `simple-user`, ...) would compile in every build.
pub(crate) const COMPONENTS: &str = "components";

/// A type reached by more features than this always compiles: such a
/// type is common to most of the API (GitHub's `simple-user`), and a gate
/// listing hundreds of features (Graph beta has 828 tags) would cost more
/// text than it saves.
const MOST_FEATURES: usize = 16;

/// The prefix of a feature name made for a tag whose own name is taken or
/// unusable.
const TAG_PREFIX: &str = "tag-";

/// The features of `api`: one per tag name (and `components` when some
/// type no operation reaches), and what each type needs.
pub(crate) fn features(api: &Api) -> Features {
    let graph = Graph::new(api);
    let count = api.types.len();
    let mut any_operation = graph.walk();
    for op in &api.operations {
        for ty in operation_types(op) {
            any_operation.visit(ty);
        }
    }
    let unreached: Vec<usize> = (0..count).filter(|&ty| !any_operation.marked(ty)).collect();
    // What `components` compiles: every schema of `components/schemas`,
    // whether an operation reaches it or not, and the types no operation
    // reaches. Were it only the latter, an operation added to the spec that
    // returns a webhook payload would take that payload out of
    // `components`, and a consumer building with `components` would break
    // on an additive change.
    let component_roots: Vec<usize> = (0..count)
        .filter(|&ty| !any_operation.marked(ty) || is_named_component(&api.types[ty]))
        .collect();

    // Feature names, and the tags that give each.
    let mut by_name: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for op in &api.operations {
        for tag in &op.tags {
            let tags = by_name.entry(feature_name(tag)).or_default();
            if !tags.contains(tag) {
                tags.push(tag.clone());
            }
        }
    }
    // Always there, so that naming it never breaks when the spec changes.
    by_name.insert(COMPONENTS.to_owned(), Vec::new());
    let index: BTreeMap<&str, usize> = by_name
        .keys()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i))
        .collect();
    let operations: Vec<Vec<usize>> = api
        .operations
        .iter()
        .map(|op| {
            let mut features: Vec<usize> = op
                .tags
                .iter()
                .map(|tag| index[feature_name(tag).as_str()])
                .collect();
            features.sort_unstable();
            features.dedup();
            features
        })
        .collect();
    let components = index.get(COMPONENTS).copied();
    debug_assert!(components.is_some());
    let mut list: Vec<Feature> = by_name
        .into_iter()
        .map(|(name, mut tags)| {
            tags.sort();
            Feature {
                name,
                tags,
                operations: 0,
            }
        })
        .collect();
    for features in &operations {
        for &feature in features {
            list[feature].operations += 1;
        }
    }

    // Per feature, the types its operations reach (for `components`, the
    // types no operation reaches and what those reach).
    let mut reached_by: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut operations_of: Vec<Vec<usize>> = vec![Vec::new(); list.len()];
    for (op, features) in operations.iter().enumerate() {
        for &feature in features {
            operations_of[feature].push(op);
        }
    }
    // One walk, reset per feature. A type already reached by more than
    // `MOST_FEATURES` features is not entered: it always compiles, and so
    // does everything it reaches (what a walk reaches through it, every
    // walk that reached it reached too), so each type is entered at most
    // `MOST_FEATURES + 1` times and the cost stays linear in the model.
    let mut walk = graph.walk();
    for (feature, ops) in operations_of.iter().enumerate() {
        walk.reset();
        let saturated = |ty: usize| reached_by[ty].len() > MOST_FEATURES;
        for &op in ops {
            for ty in operation_types(&api.operations[op]) {
                walk.visit_unless(ty, &saturated);
            }
        }
        if Some(feature) == components {
            for &ty in &component_roots {
                walk.visit_unless(&TypeRef::Named(api.types[ty].name.clone()), &saturated);
            }
        }
        for ty in walk.seen() {
            reached_by[ty].push(feature);
        }
    }
    // Always compiled: what untagged operations reach.
    let mut always = graph.walk();
    for (op, features) in api.operations.iter().zip(&operations) {
        if features.is_empty() {
            for ty in operation_types(op) {
                always.visit(ty);
            }
        }
    }

    // Directions.
    let mut standalone = graph.walk();
    for &ty in &unreached {
        standalone.visit(&TypeRef::Named(api.types[ty].name.clone()));
    }
    let mut requests = graph.walk();
    let mut responses = graph.walk();
    let mut client_serializes = graph.walk();
    let mut everyone_serializes = graph.walk();
    for op in &api.operations {
        request_types(op, &mut |ty| requests.visit(ty));
        response_types(op, &mut |ty| responses.visit(ty));
        if let Some(Pagination::NextUrl { .. } | Pagination::Cursor { .. }) = &op.pagination {
            if let Some(body) = op
                .responses
                .iter()
                .find(|r| r.status == Status::Code(200))
                .and_then(|r| r.body.as_ref())
            {
                if let Payload::Json(ty) = &body.payload {
                    client_serializes.visit(ty);
                }
            }
        }
        for p in &op.parameters {
            unique_items(&p.ty, &p.constraints, &mut everyone_serializes);
        }
        for content in op.request_body.iter().flat_map(|b| &b.contents) {
            if let Payload::Json(ty) | Payload::Form { ty, .. } = &content.payload {
                unique_items(ty, &content.constraints, &mut everyone_serializes);
            }
        }
    }
    for def in &api.types {
        match &def.kind {
            TypeKind::Struct(s) => {
                for field in &s.fields {
                    unique_items(&field.ty, &field.constraints, &mut everyone_serializes);
                }
            }
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => {
                unique_items(ty, &def.constraints, &mut everyone_serializes);
            }
            TypeKind::Enum(_) | TypeKind::Union(_) => {}
        }
    }

    // With no tag to choose, or reached by every tag, a type always
    // compiles. (A tag added later that does not reach it gates it by the
    // tags that do: only a build with no tag feature at all loses it.)
    let tag_features = list.len() - 1;
    let types = (0..count)
        .map(|ty| {
            if always.marked(ty) {
                return TypeUsage::always();
            }
            let tags = reached_by[ty]
                .iter()
                .filter(|&&feature| Some(feature) != components)
                .count();
            let features = if tag_features == 0
                || tags == tag_features
                || reached_by[ty].len() > MOST_FEATURES
            {
                Vec::new()
            } else {
                std::mem::take(&mut reached_by[ty])
            };
            // What a schema no operation reaches names is read and written
            // by whoever uses that schema: both ways.
            let standalone = standalone.marked(ty);
            let request = requests.marked(ty) || standalone;
            let response = responses.marked(ty) || standalone;
            let everyone = everyone_serializes.marked(ty);
            TypeUsage {
                features,
                serialize: Sides {
                    client: request || client_serializes.marked(ty) || everyone,
                    server: response || everyone,
                },
                deserialize: Sides {
                    client: response,
                    server: request,
                },
            }
        })
        .collect();
    Features {
        list,
        operations,
        types,
    }
}

/// Whether `def` is a schema of `components/schemas` itself (not one
/// hoisted from inside another).
fn is_named_component(def: &TypeDef) -> bool {
    def.pointer
        .strip_prefix("#/components/schemas/")
        .is_some_and(|name| !name.contains('/'))
}

/// The cargo feature name of a tag: its ASCII letters and digits in
/// kebab-case (`Pet Store` and `petStore` are `pet-store`), other
/// characters as separators. A name the crates use themselves (`default`,
/// `client`, ...) or one starting with a digit gets the prefix `tag-`; a
/// tag without an ASCII letter or digit (`日本`) is `tag-` and eight hex
/// digits of a hash of its text (FNV-1a), the same for the same text on
/// every run. Tags that give the same name share the feature.
pub(crate) fn feature_name(tag: &str) -> String {
    use heck::ToKebabCase;
    let ascii: String = tag
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let name = ascii.to_kebab_case();
    if name.is_empty() {
        let mut hash: u32 = 0x811c_9dc5;
        for byte in tag.as_bytes() {
            hash ^= u32::from(*byte);
            hash = hash.wrapping_mul(0x0100_0193);
        }
        return format!("{TAG_PREFIX}{hash:08x}");
    }
    if RESERVED.contains(&name.as_str()) || name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("{TAG_PREFIX}{name}");
    }
    name
}

/// Every type an operation names: parameters, request bodies, response
/// bodies and headers.
fn operation_types(op: &crate::model::Operation) -> Vec<&TypeRef> {
    let mut types = Vec::new();
    request_types(op, &mut |ty| types.push(ty));
    response_types(op, &mut |ty| types.push(ty));
    types
}

/// The types a request carries: parameters and request bodies.
fn request_types<'a>(op: &'a crate::model::Operation, visit: &mut dyn FnMut(&'a TypeRef)) {
    for p in &op.parameters {
        visit(&p.ty);
    }
    for content in op.request_body.iter().flat_map(|b| &b.contents) {
        match &content.payload {
            Payload::Json(ty) | Payload::Form { ty, .. } => visit(ty),
            Payload::Multipart(fields) => {
                for field in fields {
                    if let PartKind::Value(ty) = &field.part {
                        visit(ty);
                    }
                }
            }
            Payload::Text | Payload::Binary => {}
        }
    }
}

/// The types a response carries: bodies and headers.
fn response_types<'a>(op: &'a crate::model::Operation, visit: &mut dyn FnMut(&'a TypeRef)) {
    for response in &op.responses {
        if let Some(body) = &response.body {
            if let Payload::Json(ty) | Payload::Form { ty, .. } = &body.payload {
                visit(ty);
            }
        }
        for header in &response.headers {
            visit(&header.ty);
        }
    }
}

/// Marks the items of the `uniqueItems` arrays in a value of `ty` with
/// `constraints` (at any depth of inline item constraints).
fn unique_items(ty: &TypeRef, constraints: &Constraints, walk: &mut Walk<'_>) {
    let mut ty = ty;
    let mut constraints = Some(constraints);
    while let (TypeRef::Array(item) | TypeRef::Map(item), Some(c)) = (ty, constraints) {
        if c.unique_items {
            walk.visit(item);
        }
        ty = match &**item {
            // The constraints of the items are those of their non-null value.
            TypeRef::OrNull(value) => value,
            item => item,
        };
        constraints = c.items.as_deref();
    }
}

/// The named types each named type refers to, by index in `Api::types`.
struct Graph<'a> {
    api: &'a Api,
    edges: Vec<Vec<usize>>,
}

impl<'a> Graph<'a> {
    fn new(api: &'a Api) -> Self {
        let edges = api
            .types
            .iter()
            .map(|def| {
                let mut out = Vec::new();
                let mut add = |ty: &TypeRef| named_in(api, ty, &mut out);
                match &def.kind {
                    TypeKind::Struct(s) => {
                        for field in &s.fields {
                            add(&field.ty);
                        }
                        if let Some(ty) = &s.additional_properties {
                            add(ty);
                        }
                    }
                    TypeKind::Union(u) => {
                        for variant in &u.variants {
                            add(&variant.ty);
                        }
                    }
                    TypeKind::Alias(ty) | TypeKind::Newtype(ty) => add(ty),
                    TypeKind::Enum(_) => {}
                }
                out.sort_unstable();
                out.dedup();
                out
            })
            .collect();
        Graph { api, edges }
    }

    fn walk(&self) -> Walk<'_> {
        Walk {
            graph: self,
            marked: vec![0; self.edges.len()],
            epoch: 1,
            order: Vec::new(),
        }
    }
}

/// The named types in `ty` (through arrays and maps), by index.
fn named_in(api: &Api, ty: &TypeRef, out: &mut Vec<usize>) {
    match ty {
        TypeRef::Named(name) => {
            if let Ok(index) = api
                .types
                .binary_search_by(|def| def.name.as_str().cmp(name))
            {
                out.push(index);
            }
        }
        TypeRef::Array(item) | TypeRef::Map(item) | TypeRef::OrNull(item) => {
            named_in(api, item, out)
        }
        _ => {}
    }
}

/// The types reached from the roots visited so far.
struct Walk<'a> {
    graph: &'a Graph<'a>,
    /// The epoch in which each type was marked: a type is marked when its
    /// stamp is the current epoch, so [`Walk::reset`] costs nothing per type.
    marked: Vec<u32>,
    epoch: u32,
    order: Vec<usize>,
}

impl Walk<'_> {
    /// Marks the named types in `ty` and everything they reach.
    fn visit(&mut self, ty: &TypeRef) {
        self.visit_unless(ty, &|_| false);
    }

    /// Marks the named types in `ty` and everything they reach, but not
    /// the types `skip` names nor what is reached only through them.
    fn visit_unless(&mut self, ty: &TypeRef, skip: &dyn Fn(usize) -> bool) {
        let mut stack = Vec::new();
        named_in(self.graph.api, ty, &mut stack);
        while let Some(index) = stack.pop() {
            if self.marked[index] == self.epoch || skip(index) {
                continue;
            }
            self.marked[index] = self.epoch;
            self.order.push(index);
            stack.extend(self.graph.edges[index].iter().copied());
        }
    }

    fn marked(&self, index: usize) -> bool {
        self.marked[index] == self.epoch
    }

    /// The types marked, in the order they were first reached.
    fn seen(&self) -> impl Iterator<Item = usize> + '_ {
        self.order.iter().copied()
    }

    /// Forgets every mark.
    fn reset(&mut self) {
        self.epoch += 1;
        self.order.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::feature_name;
    use crate::model::{Sides, TypeUsage};

    const CLIENT: Sides = Sides {
        client: true,
        server: false,
    };
    const SERVER: Sides = Sides {
        client: false,
        server: true,
    };

    /// The fixture of the features test: every kind of use.
    #[test]
    fn each_type_gets_the_features_and_directions_that_reach_it() {
        let text = include_str!("../../../tests/fixtures/features.yaml");
        let api = crate::test_support::api(text);
        let features = api.features.as_ref().expect("features are computed");
        let names: Vec<&str> = features.list.iter().map(|f| f.name.as_str()).collect();
        let hashed = feature_name("管理");
        assert_eq!(
            names,
            [
                "components",
                "orders",
                "pet-store",
                hashed.as_str(),
                "tag-default"
            ],
            "sorted by name"
        );
        assert_eq!(features.list[2].tags, ["Pet Store"]);
        assert_eq!(features.list[2].operations, 3);
        assert!(features.list[0].tags.is_empty());
        let usage = |name: &str| {
            let index = api
                .types
                .iter()
                .position(|def| def.name == name)
                .unwrap_or_else(|| panic!("no type {name}"));
            let usage = &features.types[index];
            let named: Vec<&str> = usage
                .features
                .iter()
                .map(|&i| features.list[i].name.as_str())
                .collect();
            (named, usage.serialize, usage.deserialize)
        };
        let always = TypeUsage::always();
        // No tag: always, both ways.
        assert_eq!(
            usage("Health"),
            (vec![], always.serialize, always.deserialize)
        );
        // No operation: with `components`, both ways.
        assert_eq!(
            usage("Orphan"),
            (vec!["components"], Sides::BOTH, Sides::BOTH)
        );
        // Every schema of `components/schemas` compiles with `components`
        // too. Shared by two tags, sent and received.
        assert_eq!(
            usage("Pet"),
            (
                vec!["components", "orders", "pet-store"],
                Sides::BOTH,
                Sides::BOTH
            )
        );
        // Sent only: the client serializes, the server deserializes.
        assert_eq!(
            usage("NewPet"),
            (vec!["components", "pet-store"], CLIENT, SERVER)
        );
        assert_eq!(
            usage("Order"),
            (vec!["components", "orders"], CLIENT, SERVER)
        );
        assert_eq!(
            usage("Move"),
            (vec!["components", "tag-default"], CLIENT, SERVER)
        );
        // Received only, through a body, a header, a list and a union.
        assert_eq!(
            usage("Receipt"),
            (vec!["components", "orders"], SERVER, CLIENT)
        );
        assert_eq!(
            usage("Tier"),
            (vec!["components", "pet-store"], SERVER, CLIENT)
        );
        assert_eq!(
            usage("Created"),
            (vec!["components", hashed.as_str()], SERVER, CLIENT)
        );
        // The client reads the next page through `Serialize`.
        assert_eq!(
            usage("PetPage"),
            (vec!["components", "pet-store"], Sides::BOTH, CLIENT)
        );
        // Compared as JSON text by `uniqueItems`, on either side.
        assert_eq!(
            usage("Label"),
            (vec!["components", "pet-store"], Sides::BOTH, SERVER)
        );
        // The operation with two tags compiles with either.
        let replace = api
            .operations
            .iter()
            .position(|op| op.name == "replace_pet")
            .expect("replace_pet");
        assert_eq!(features.operations[replace], [1, 2]);
        let health = api.operations.iter().position(|op| op.name == "health");
        assert_eq!(features.operations[health.expect("health")], [0usize; 0]);
    }

    /// A type most features reach always compiles, and so does what it
    /// reaches; a type a few reach keeps its gate.
    #[test]
    fn a_type_reached_by_many_features_always_compiles() {
        let mut paths = String::new();
        for i in 0..20 {
            paths.push_str(&format!(
                "\n  /a{i}:\n    get:\n      tags: [t{i}]\n      responses:\n        '200':\n          description: ok\n          content: {{application/json: {{schema: {{$ref: '#/components/schemas/Common'}}}}}}"
            ));
        }
        paths.push_str(
            "\n  /few:\n    get:\n      tags: [t0, u0, u1]\n      responses:\n        '200':\n          description: ok\n          content: {application/json: {schema: {$ref: '#/components/schemas/Few'}}}",
        );
        let text = format!(
            "{}\ncomponents:\n  schemas:\n    Common: {{type: object, properties: {{inner: {{$ref: '#/components/schemas/Inner'}}}}}}\n    Inner: {{type: object, properties: {{a: {{type: string}}}}}}\n    Few: {{type: object, properties: {{a: {{type: string}}}}}}\n",
            crate::test_support::with_paths(&paths)
        );
        let api = crate::test_support::api(&text);
        let features = api.features.as_ref().expect("features");
        let gate = |name: &str| {
            let index = api.types.iter().position(|d| d.name == name).expect(name);
            features.types[index].features.len()
        };
        // 20 of the 22 tags reach `Common`: more than the most a gate lists.
        assert_eq!(features.list.len(), 23, "22 tags and `components`");
        assert_eq!(gate("Common"), 0);
        assert_eq!(gate("Inner"), 0);
        // `Few`: three tags, and `components`.
        assert_eq!(gate("Few"), 4);
    }

    /// An operation (with a tag of its own) added to a spec only widens
    /// each type's gate: a build that compiled a type before compiles it
    /// after. A payload only `components` compiled used to leave it when
    /// an operation started to return it, so a build with `components`
    /// and without the new tag lost it.
    #[test]
    fn an_added_operation_only_widens_gates() {
        use std::collections::BTreeSet;
        let op = |path: &str, tag: &str, schema: &str| {
            format!(
                "\n  {path}:\n    get:\n      tags: [{tag}]\n      responses:\n        '200':\n          description: ok\n          content: {{application/json: {{schema: {{$ref: '#/components/schemas/{schema}'}}}}}}"
            )
        };
        let schemas = "\ncomponents:\n  schemas:\n    Shared: {type: object, properties: {a: {type: string}}}\n    Other: {type: object, properties: {a: {type: string}}}\n    Hook: {type: object, properties: {part: {$ref: '#/components/schemas/HookPart'}}}\n    HookPart: {type: object, properties: {a: {type: string}}}\n";
        let before = op("/a", "a", "Shared") + &op("/b", "b", "Other");
        let after = format!("{before}{}", op("/c", "c", "Hook"));
        // Each type's gate: `None` when it always compiles.
        let gates = |paths: &str| {
            let api = crate::test_support::api(&format!(
                "{}{schemas}",
                crate::test_support::with_paths(paths)
            ));
            let features = api.features.clone().expect("features");
            api.types
                .iter()
                .zip(&features.types)
                .map(|(def, usage)| {
                    let names: BTreeSet<String> = usage
                        .features
                        .iter()
                        .map(|&i| features.list[i].name.clone())
                        .collect();
                    (def.name.clone(), (!names.is_empty()).then_some(names))
                })
                .collect::<Vec<_>>()
        };
        let (old, new) = (gates(&before), gates(&after));
        assert_eq!(old.len(), 4, "{old:?}");
        for (name, gate) in &old {
            let (_, widened) = new.iter().find(|(n, _)| n == name).expect(name);
            let kept = match (gate, widened) {
                (_, None) => true,
                (None, Some(_)) => false,
                (Some(gate), Some(widened)) => gate.is_subset(widened),
            };
            assert!(kept, "{name}: {gate:?} -> {widened:?}");
        }
        let of = |gates: &[(String, Option<BTreeSet<String>>)], name: &str| {
            gates
                .iter()
                .find(|(n, _)| n == name)
                .and_then(|(_, g)| g.clone())
        };
        let set = |names: &[&str]| Some(names.iter().map(|n| n.to_string()).collect());
        assert_eq!(of(&old, "Shared"), set(&["a", "components"]));
        assert_eq!(of(&old, "Hook"), set(&["components"]));
        assert_eq!(of(&new, "Hook"), set(&["c", "components"]));
        assert_eq!(of(&new, "HookPart"), set(&["c", "components"]));
    }

    #[test]
    fn feature_names_are_kebab_case_and_never_a_crate_feature() {
        assert_eq!(feature_name("repos"), "repos");
        assert_eq!(feature_name("Pet Store"), "pet-store");
        assert_eq!(feature_name("petStore"), "pet-store");
        assert_eq!(feature_name("code_scanning"), "code-scanning");
        assert_eq!(feature_name("Größe"), "gr-e");
        assert_eq!(feature_name("default"), "tag-default");
        assert_eq!(feature_name("Client"), "tag-client");
        assert_eq!(feature_name("components"), "tag-components");
        assert_eq!(feature_name("2fa"), "tag-2fa");
        let fallback = feature_name("日本");
        assert!(
            fallback.starts_with("tag-") && fallback.len() == 12,
            "{fallback}"
        );
        assert_eq!(fallback, feature_name("日本"));
        assert_ne!(fallback, feature_name("中国"));
    }
}
