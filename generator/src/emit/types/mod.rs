//! The types crate's Rust source: `lib.rs`, `models.rs` (one item per
//! schema), `operations.rs` (each operation's parameters and responses),
//! `credentials.rs` (one secret per security scheme) and `examples.rs` (a
//! test per schema example), each written by the module of the same name.
//! The shape of each is the contract in `docs/generated-code.md`.
//!
//! Files with nothing to say are not emitted at all (no schemas: no
//! `models.rs`; no operations: no `operations.rs`; no security schemes: no
//! `credentials.rs`), so the generated crate never carries dead code.

mod boxed;
pub(crate) mod builders;
mod credentials;
mod deserialize;
mod examples;
pub(crate) mod features;
mod lib;
mod models;
mod operations;
mod serialize;
#[cfg(test)]
pub(crate) mod tests;
pub(crate) mod validate;

use std::path::PathBuf;

use super::{known_crate, Emitted, Needs};
use crate::model::{Api, SecuritySchemeKind};
use crate::CrateNames;

pub(crate) use builders::construct;
pub(crate) use models::variant_names_lint_may_fire;
pub(crate) use operations::{
    header_members, is_stream, multipart_members, parameter_members, request_body_type,
    variant_shape, VariantShape,
};
// The server and client emitters spell body types the same way as the
// types crate declares them.
#[allow(unused_imports)]
pub(crate) use operations::{payload_type, response_body_type};

/// What the written-out serde impls of one direction (`deserialize.rs`,
/// `serialize.rs`) need after the types, recorded by the functions that
/// write them: one impl of each shape met so far (a shape tells apart the
/// impls by the fixed helpers they call; the helpers kept are those these
/// reach, since reading every impl again would double the work on specs of
/// thousands of types), and the numbers of properties of the structs, each
/// of which needs the impl of its tuple (the slots read into, the values
/// written from), written once per number rather than once per struct.
struct Written<S> {
    shapes: std::collections::BTreeMap<S, proc_macro2::TokenStream>,
    arities: std::collections::BTreeSet<usize>,
    /// The impl of the tuples of a number of properties.
    tuple_impl: fn(usize) -> proc_macro2::TokenStream,
    /// The shape of those impls.
    tuple_shape: S,
    /// The runtime file of the helpers the impls call.
    helpers: &'static str,
}

impl<S: Ord + Copy> Written<S> {
    fn new(
        tuple_impl: fn(usize) -> proc_macro2::TokenStream,
        tuple_shape: S,
        helpers: &'static str,
    ) -> Self {
        Written {
            shapes: std::collections::BTreeMap::new(),
            arities: std::collections::BTreeSet::new(),
            tuple_impl,
            tuple_shape,
            helpers,
        }
    }

    /// Records `item`, an impl of `shape`, and the number of properties of
    /// the tuple it goes through, if it does.
    fn keep(&mut self, shape: S, item: &proc_macro2::TokenStream, arity: Option<usize>) {
        self.shapes.entry(shape).or_insert_with(|| item.clone());
        self.arities.extend(arity);
    }

    /// The tuple impls, then the helpers that all the impls call.
    fn finish(mut self) -> Vec<proc_macro2::TokenStream> {
        let mut items: Vec<proc_macro2::TokenStream> =
            self.arities.iter().map(|&n| (self.tuple_impl)(n)).collect();
        if let Some(tuple) = items.first() {
            let shape = self.tuple_shape;
            self.keep(shape, tuple, None);
        }
        let impls: Vec<proc_macro2::TokenStream> = self.shapes.into_values().collect();
        if !impls.is_empty() {
            items.push(super::prune::reachable(
                &impls,
                super::runtime_items(self.helpers),
            ));
        }
        items
    }
}

/// The body of a method of a tuple's impl that calls `call` on the element
/// at `index`, and the name its `index` parameter takes: a `match` whose
/// last arm is `_` (only indexes of the tuple come), or for one element
/// that element's call and `_index`; `None` for the empty tuple, whose
/// methods no index reaches.
fn by_index(
    arity: usize,
    call: impl Fn(&proc_macro2::Literal) -> proc_macro2::TokenStream,
) -> Option<(proc_macro2::Ident, proc_macro2::TokenStream)> {
    let indexes: Vec<proc_macro2::Literal> = (0..arity)
        .map(proc_macro2::Literal::usize_unsuffixed)
        .collect();
    let index = |name: &str| proc_macro2::Ident::new(name, proc_macro2::Span::call_site());
    match indexes.split_last()? {
        (last, []) => Some((index("_index"), call(last))),
        (last, others) => {
            let arms = others.iter().map(|i| {
                let call = call(i);
                quote::quote!(#i => #call,)
            });
            let last = call(last);
            Some((
                index("index"),
                quote::quote!(match index { #( #arms )* _ => #last, }),
            ))
        }
    }
}

/// The types crate's `src/` files, by path relative to the output directory.
///
/// Nothing here falls back to a more general construct, so no warnings are
/// added; the parameter keeps the signature every emitter shares.
#[cfg(any(test, feature = "stages"))]
pub fn emit(api: &Api, crates: &CrateNames, _warnings: &mut Vec<crate::model::Warning>) -> Emitted {
    let mut emitted = emit_without_models(api, crates);
    add_models(&mut emitted, models_file(api, crates));
    emitted
}

/// `models.rs`, the largest file of the types crate (so that it can be
/// emitted on a thread of its own), when the API has types.
pub fn models_file(api: &Api, crates: &CrateNames) -> Option<(PathBuf, String)> {
    (!api.types.is_empty()).then(|| {
        (
            PathBuf::from(format!("{}/src/models.rs", crates.types)),
            models::models_rs(api),
        )
    })
}

/// Puts `models` ([`models_file`]) in its place among the files of
/// [`emit_without_models`]: after `lib.rs`.
pub fn add_models(emitted: &mut Emitted, models: Option<(PathBuf, String)>) {
    if let Some(models) = models {
        emitted.files.insert(1, models);
    }
}

/// The types crate but its `models.rs`, and what its code needs.
pub fn emit_without_models(api: &Api, crates: &CrateNames) -> Emitted {
    let file = |name: &str| PathBuf::from(format!("{}/src/{name}", crates.types));
    let mut needs = Needs::of_api(api);
    if !api.types.is_empty() {
        // The README's example and the round trips of the schemas' examples
        // read JSON.
        needs
            .dev_crates
            .insert("serde_json".to_owned(), known_crate("serde_json"));
    }
    let checked = validate::checked(api);
    // The crates only the checks name are dependencies, not re-exported:
    // the API's types do not name them.
    let mut files = vec![(file("lib.rs"), lib::lib_rs(api, &needs, &checked))];
    validate::add_needs(api, &checked, &mut needs);
    if !api.operations.is_empty() {
        files.push((file("operations.rs"), operations::operations_rs(api)));
    }
    if !api.security_schemes.is_empty() {
        files.push((file("credentials.rs"), credentials::credentials_rs(api)));
    }
    if has_examples(api) {
        files.push((file("examples.rs"), examples::examples_rs(api)));
    }
    if !checked.is_empty() {
        files.push((file("validate.rs"), validate::validate_rs(api, &checked)));
    }
    Emitted { files, needs }
}

/// Whether a schema has an `example`, which gets a round-trip test.
pub(crate) fn has_examples(api: &Api) -> bool {
    api.types.iter().any(|def| def.example.is_some())
}

/// Whether the API has an HTTP basic scheme, which needs `BasicCredentials`.
pub(super) fn has_basic(api: &Api) -> bool {
    api.security_schemes
        .iter()
        .any(|s| s.kind == SecuritySchemeKind::Basic)
}

/// Joins doc paragraphs, skipping empty ones. Each is made safe Markdown on
/// its own, so a block one leaves open cannot swallow the next.
pub(super) fn paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(|part| crate::emit::text::markdown(part.trim()))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}
