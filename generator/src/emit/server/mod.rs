//! The server crate's Rust source: a trait with one method per operation
//! ([`api.rs`](api_rs)), and an axum router that turns HTTP requests into
//! calls of that trait ([`router.rs`](router_rs)), with the helpers it shares
//! ([`extract.rs`](extract_rs)) and the description of the requests it
//! answers by itself ([`rejection.rs`](rejection_rs)).
//!
//! The server must not answer anything the spec does not allow, so every
//! decision that could lead to an answer outside the spec is taken here, at
//! generation time, and reported as a [`Warning`] when the spec leaves no
//! good choice:
//!
//! - a path template axum cannot route (two parameters with nothing between
//!   them, a path parameter the template does not have) is not routed; a
//!   segment mixing parameters and text (`{name}.{ext}`) is one capture the
//!   handler splits; a template of the same shape as an earlier one (other
//!   parameter names, `/users/{user_id}` beside `/users/{id}`, or other
//!   segments with text, `/v1/{name}:cancel` beside `/v1/{name}`) is served
//!   at the earlier one's route, its handler reading each parameter under
//!   the route's name; operations on one method and route are told apart by
//!   what they require (see `Condition`), or the later ones are not routed;
//! - a request rejected before the trait is called (400 bad parameter or body,
//!   401 missing credentials, 415 a body in a media type the operation does
//!   not accept, when it declares a response for 415, else 400) is answered
//!   with the response the operation declares for that status (exact code,
//!   else its range, else `default`), its body built by one trait method per
//!   body type; when the operation declares nothing for it, the status goes
//!   out without a body (one warning per status for the whole spec);
//! - unknown paths get 404, and known paths with another method 405 with an
//!   `Allow` header (axum's method router), with a body only when every
//!   operation concerned declares the same body type for that status.
//!
//! Generated helpers are emitted only when some handler reaches them (see
//! [`prune`](super::prune)), so the crate builds without dead code (and
//! without `allow` attributes).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use heck::ToSnakeCase;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::types::{variant_shape, VariantShape};
use super::{
    doc_attrs, format_file, ident, parse_file, prune, runtime_items, type_tokens, Emitted,
    Formatter, Needs,
};
use crate::model::{
    essence, Api, ApiKeyLocation, Content, IntegerFormat, Method, NumberFormat, Operation,
    Parameter, ParameterLocation, ParameterStyle, PartKind, PathSegment, PathTemplate, Payload,
    RequestBody, Response, SecuritySchemeKind, Shape, Status, TypeKind, TypeRef, Warning,
    WarningKind,
};
use crate::names::Namespace;
use crate::CrateNames;

mod api;
mod extract;
mod lib;
mod rejection;
mod router;
mod serve;
mod spec;
#[cfg(test)]
mod tests;
mod validate;

pub use self::spec::spec_files;
use self::{api::*, extract::*, lib::*, rejection::*, router::*, serve::*};

/// The type and trait names `router.rs` imports, defines or takes from the
/// prelude: no operation's type may take one.
const ROUTER_TYPE_NAMES: &str = "\
    Api Arc AsMut AsRef Box Clone Copy Default Drop Eq Err Extend Fn FnMut FnOnce From \
    FromIterator Input Into IntoIterator IntoResponse Iterator None Ok Operation Option Ord \
    ParameterLocation PartialEq PartialOrd Parts RawPathParams RawPathParamsRejection Rejection \
    RejectionKind Request Response Result Send Sized Some State StatusCode String Sync ToOwned \
    ToString TryFrom TryInto Unpin Vec";

/// `extract.rs`'s readers of raw parameter values and cookies, and the
/// rejections of missing and invalid parameters.
const VALUES_RS: &str = include_str!("../../../runtime/server/values.rs");

/// `extract.rs`'s base64 decoding (basic credentials).
const BASE64_RS: &str = include_str!("../../../runtime/server/base64.rs");

/// `extract.rs`'s form values and their serde `Deserializer`.
const FORM_VALUE_RS: &str = include_str!("../../../runtime/server/form_value.rs");

/// The methods of `extract.rs`'s `Input` that do not vary with the spec.
const INPUT_RS: &str = include_str!("../../../runtime/server/input.rs");

/// `extract.rs`'s body readers.
const BODY_RS: &str = include_str!("../../../runtime/server/body.rs");

/// `extract.rs`'s reader of `multipart/form-data` parts.
const MULTIPART_RS: &str = include_str!("../../../runtime/server/multipart.rs");

/// `rejection.rs`, for a crate some of whose operations answer 415.
const REJECTION_RS: &str = include_str!("../../../runtime/server/rejection.rs");

/// `api.rs`'s `Request`.
const REQUEST_RS: &str = include_str!("../../../runtime/server/request.rs");

/// `router.rs`'s span of each operation (with the crate's `tracing` feature).
const TRACE_RS: &str = include_str!("../../../runtime/server/trace.rs");

/// `router.rs`'s `Operation` trait and the one future of every handler.
const OPERATION_RS: &str = include_str!("../../../runtime/server/operation.rs");

/// `spec.rs`: the spec the crate was generated from, and its router.
const SPEC_RS: &str = include_str!("../../../runtime/server/spec.rs");

/// The rejections of values that break constraints: `extract.rs` keeps
/// them when some operation checks its parameters or body.
const VIOLATIONS_RS: &str = include_str!("../../../runtime/server/violations.rs");

/// `extract.rs`'s tests of what tells apart the operations of one method and
/// route.
const DISPATCH_RS: &str = include_str!("../../../runtime/server/dispatch.rs");

/// `router.rs`'s response writers.
const RESPONSES_RS: &str = include_str!("../../../runtime/server/responses.rs");

/// The items of one of the runtime files above, one by one.
fn runtime_file_items(source: &str) -> Vec<TokenStream> {
    // The files are part of the generator and compiled in `generator/runtime`,
    // so a failure here is a bug in the generator, never in the spec.
    match syn::parse_file(source) {
        Ok(file) => file
            .items
            .iter()
            .map(quote::ToTokens::to_token_stream)
            .collect(),
        Err(e) => panic!("a runtime file of the server does not parse: {e}"),
    }
}

/// A runtime file with `edits` (passage, replacement), each made once: the
/// variant of the file a spec without some construct needs.
fn edited(source: &str, edits: &[(&str, &str)]) -> String {
    edits.iter().fold(source.to_owned(), |source, (from, to)| {
        // The runtime files are part of the generator: a missing passage is
        // a bug in the generator, never in the spec.
        assert_eq!(
            source.matches(from).count(),
            1,
            "a runtime file of the server has no single {from:?}"
        );
        source.replacen(from, to, 1)
    })
}

/// The server crate's `src/` files.
pub fn emit(api: &Api, crates: &CrateNames, warnings: &mut Vec<Warning>) -> Emitted {
    let plan = Plan::new(api, warnings);
    let src = PathBuf::from(&crates.server).join("src");
    let input = InputShape::of(&plan);
    // The handlers are pruning's roots for `extract.rs`: walked as the
    // router prints them, so each is parsed once and freed once printed.
    let extract_helpers = super::parse_file(extract_helpers(&plan, &input));
    let mut handlers = prune::Pruner::new(&extract_helpers);
    let router = router_rs(&plan, &input, &mut handlers);
    let extract = handlers.decide().keep(extract_helpers);
    let mut needs = needs(api, &plan);
    needs.multipart = uses_multipart(&plan);
    needs.unserved = plan
        .unrouted
        .iter()
        .map(|(name, reason)| ((*name).to_owned(), reason.clone()))
        .collect();
    let files = vec![
        (src.join("lib.rs"), lib_rs(api, crates)),
        (src.join("api.rs"), api_rs(&plan)),
        (src.join("rejection.rs"), rejection_rs(plan.answers_415())),
        (src.join("extract.rs"), extract_rs(extract)),
        (src.join("router.rs"), router),
        (src.join("serve.rs"), serve_rs(crates)),
    ];
    Emitted { files, needs }
}

/// What the server crate names from outside `std` and its fixed dependencies
/// (`serde_json`, axum, ...) in its own source: request body types in the
/// trait's signatures and the bodies rejection hooks build.
fn needs(api: &Api, plan: &Plan<'_>) -> Needs {
    let mut needs = Needs::default();
    for op in &api.operations {
        // A body with one media type is spelled out in the signatures (but a
        // multipart body, which is the operation's own `Multipart`).
        if let Some([content]) = op.request_body.as_ref().map(|b| b.contents.as_slice()) {
            if let Payload::Json(ty) | Payload::Form { ty, .. } = &content.payload {
                needs.add(ty);
            }
        }
    }
    for ty in plan.hooks.keys() {
        if let BodyType::Json(ty) = ty {
            needs.add(ty);
        }
    }
    needs
}

/// Whether the server reads `multipart/form-data` bodies, which needs
/// axum's `multipart` feature.
fn uses_multipart(plan: &Plan<'_>) -> bool {
    let multipart = plan.routed().any(|op| {
        op.request_body
            .iter()
            .flat_map(|b| &b.contents)
            .any(|c| matches!(c.payload, Payload::Multipart(_)))
    });
    multipart
}

// ---------------------------------------------------------------------------
// Planning: every decision, before any token is written.
// ---------------------------------------------------------------------------

/// What a response body holds, which decides how it is written and, for
/// rejections, the hook that builds it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum BodyType {
    /// A serde value, written as JSON.
    Json(TypeRef),
    /// A `String`, written as it is.
    Text,
    /// A `Vec<u8>`, written as it is.
    Bytes,
}

/// How a response body goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Sent {
    body: BodyType,
    /// The `content-type` header value (valid, without wildcards).
    content_type: String,
}

/// What a rejection with a given status is answered with: `None` is the
/// status without a body.
type Outcome = Option<Sent>;

/// The outcome of each status a responder handles, sorted by status.
type ResponderKey = Vec<(u16, Outcome)>;

/// A function answering rejections: the same body type for every status it
/// handles (the status is the rejection's), or a choice by status.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Responder {
    Uniform(Sent),
    ByStatus(ResponderKey),
}

impl Responder {
    /// The responder for `key`; `None` when every outcome is an empty body
    /// (written inline).
    fn of(key: &ResponderKey) -> Option<Responder> {
        let first = key.first().and_then(|(_, outcome)| outcome.clone());
        if key.iter().all(|(_, outcome)| *outcome == first) {
            first.map(Responder::Uniform)
        } else {
            Some(Responder::ByStatus(key.clone()))
        }
    }
}

/// The statuses the server answers without calling the trait.
const BAD_REQUEST: u16 = 400;
const UNAUTHORIZED: u16 = 401;
const NOT_FOUND: u16 = 404;
const METHOD_NOT_ALLOWED: u16 = 405;
const UNSUPPORTED_MEDIA_TYPE: u16 = 415;

struct Plan<'a> {
    api: &'a Api,
    /// Served operations by path template (sorted), in document order.
    routes: BTreeMap<&'a str, Vec<&'a Operation>>,
    /// Why an operation is not served, by operation name.
    unrouted: BTreeMap<&'a str, String>,
    /// What a request must carry to reach each served operation that shares
    /// its method and route with others, by operation name.
    conditions: BTreeMap<&'a str, Vec<Condition<'a>>>,
    /// For an operation served at the route of another's template of the
    /// same shape (`/users/{id}` for `/users/{user_id}`, `/v1/{name}` for
    /// `/v1/{name}:cancel`), that operation, by name: axum captures its
    /// segments under that template's names.
    route_owners: BTreeMap<&'a str, &'a Operation>,
    /// The type of `router.rs` each served operation implements `Operation`
    /// on, by operation name: its name in UpperCamelCase, unique among the
    /// file's other names.
    operation_types: BTreeMap<&'a str, String>,
    /// The trait method building each rejection body type.
    hooks: BTreeMap<BodyType, String>,
    /// Every set of rejection outcomes some handler or fallback uses.
    rejection_keys: BTreeSet<ResponderKey>,
    /// The functions answering rejections, by what they do.
    responders: BTreeMap<Responder, String>,
    /// The responder of each served operation that can reject requests.
    op_responder: BTreeMap<&'a str, ResponderKey>,
    /// The responder for unknown paths.
    not_found: ResponderKey,
    /// The responder for another method on a known path, for the paths whose
    /// 405 has a body (axum's own empty 405 answers the others).
    method_not_allowed: BTreeMap<&'a str, ResponderKey>,
    /// The payload of every declared response, by operation and variant.
    payloads: BTreeMap<(&'a str, &'a str), Outcome>,
    /// Some literal segment starts with `:` or `*`, which axum refuses unless
    /// told that the router does not use axum 0.7's path syntax.
    legacy_literals: bool,
    /// What the types crate checks against the spec's constraints.
    checked: crate::emit::types::validate::Checked,
}

impl<'a> Plan<'a> {
    fn new(api: &'a Api, warnings: &mut Vec<Warning>) -> Self {
        let mut plan = Plan {
            api,
            routes: BTreeMap::new(),
            unrouted: BTreeMap::new(),
            conditions: BTreeMap::new(),
            route_owners: BTreeMap::new(),
            operation_types: BTreeMap::new(),
            hooks: BTreeMap::new(),
            rejection_keys: BTreeSet::new(),
            responders: BTreeMap::new(),
            op_responder: BTreeMap::new(),
            not_found: Vec::new(),
            method_not_allowed: BTreeMap::new(),
            payloads: BTreeMap::new(),
            legacy_literals: false,
            checked: crate::emit::types::validate::checked(api),
        };
        plan.route(warnings);
        plan.name_operation_types();
        for op in &api.operations {
            for response in &op.responses {
                plan.payloads
                    .insert((&op.name, &response.variant), sent(response));
            }
            for response in &op.responses {
                if let Status::Code(code) = response.status {
                    if !(200..=599).contains(&code) {
                        warnings.push(Warning {
                            pointer: format!("{}/responses/{code}", op.pointer),
                            kind: WarningKind::UnsupportedResponseStatus,
                            message: format!(
                                "status {code} cannot be sent as a final response; the server \
                                 answers 500 without a body instead"
                            ),
                        });
                    }
                }
            }
            for p in &op.parameters {
                if api.shape_of(&p.ty) == Shape::Object
                    && p.style != ParameterStyle::Json
                    && reader(api, p) != Reader::Deep
                {
                    warnings.push(Warning {
                        pointer: format!("{}/parameters", op.pointer),
                        kind: WarningKind::UnsupportedParameterStyle,
                        message: format!(
                            "{} parameter `{}` is an object, which only the `deepObject` style \
                             (in the query) or JSON `content` can carry; the server and client \
                             read and write its value as one JSON text",
                            location_label(p.location),
                            p.wire_name
                        ),
                    });
                }
            }
        }
        plan.plan_rejections(warnings);
        plan
    }

    /// Decides which operations are routed, and warns about the others.
    fn route(&mut self, warnings: &mut Vec<Warning>) {
        // The operation whose template each operation is served at: its
        // own, or the first of the same shape, when the two differ only in
        // their parameters' names or in segments that mix parameters with
        // text (`/users/{user_id}` and `/users/{id}`, `/v1/{name}:cancel`
        // and `/v1/{name}`: axum routes one of each shape), or why it
        // cannot be served.
        let mut shapes: BTreeMap<String, &'a Operation> = BTreeMap::new();
        let mut owners: BTreeMap<&'a str, Result<&'a Operation, String>> = BTreeMap::new();
        for op in &self.api.operations {
            let owner = match &op.path.unroutable {
                Some(reason) => Err(reason.clone()),
                None => Ok(*shapes.entry(normalized(&op.path)).or_insert(op)),
            };
            owners.insert(&op.name, owner);
        }
        let owner_of = |op: &'a Operation| -> &'a Operation {
            match owners.get(op.name.as_str()) {
                Some(Ok(owner)) => owner,
                _ => op,
            }
        };
        let conditions = shared_route_conditions(self.api, owner_of);
        for op in &self.api.operations {
            let route = owner_of(op).path.text.as_str();
            let verdict = owners[op.name.as_str()].clone();
            // Several path keys can give one route the same method: keys
            // with query strings (`/search?q={q}`, `/search?x={x}`) or
            // fragments (`/#X-Amz-Target=Service.Operation`), or templates
            // that differ in parameter names. The router serves them all
            // when what each requires tells them apart.
            let own = conditions.get(op.name.as_str());
            let taken = self.routes.get(route).and_then(|routed| {
                routed.iter().find(|other| {
                    other.method == op.method && conditions.get(other.name.as_str()) == own
                })
            });
            let verdict = match (verdict, taken) {
                (Ok(_), Some(first)) => Err(format!(
                    "its requests are those of `{}` (`{} {}`), and nothing they require (a \
                     header, query parameter, path segment or body media type) tells them apart",
                    first.name,
                    first.method.as_str(),
                    first.path
                )),
                (verdict, _) => verdict,
            };
            match verdict {
                Err(reason) => {
                    let message = format!("the path `{}` cannot be routed: {reason}", op.path);
                    warnings.push(Warning {
                        pointer: op.pointer.clone(),
                        kind: WarningKind::UnroutablePath,
                        message: format!("{message}; the server does not serve `{}`", op.name),
                    });
                    self.unrouted.insert(&op.name, message);
                }
                // Resolve keeps only the path parameters the template names.
                Ok(owner) => {
                    if op.path.segments.iter().any(|s| {
                        matches!(s, PathSegment::Literal(l) if l.starts_with(':') || l.starts_with('*'))
                    }) {
                        self.legacy_literals = true;
                    }
                    if owner.name != op.name {
                        self.route_owners.insert(&op.name, owner);
                    }
                    self.routes.entry(route).or_default().push(op);
                }
            }
        }
        for (name, conditions) in conditions {
            if !self.unrouted.contains_key(name) {
                self.conditions.insert(name, conditions);
            }
        }
    }

    /// The operation whose template `op` is served at the route of: `op`
    /// itself, or the first of its shape.
    fn route_owner(&self, op: &'a Operation) -> &'a Operation {
        self.route_owners
            .get(op.name.as_str())
            .copied()
            .unwrap_or(op)
    }

    /// The template of the route `op` is served at.
    fn route_of(&self, op: &'a Operation) -> &'a str {
        &self.route_owner(op).path.text
    }

    /// The name axum captures segment `position` of `op`'s template under:
    /// the name in the template of its route (a parameter's, or the
    /// [`capture_name`] of a segment with text).
    fn capture_at(&self, op: &'a Operation, position: usize) -> String {
        segment_capture(self.route_owner(op), position)
    }

    /// The name a path parameter of `op` is read under: what axum captures
    /// its segment under, when it is the whole segment; its own name when
    /// it is split out of a segment with text.
    fn parameter_capture(&self, op: &'a Operation, parameter: &Parameter) -> String {
        op.path
            .segments
            .iter()
            .position(|segment| {
                matches!(segment, PathSegment::Param(index)
                    if op.parameters[*index].wire_name == parameter.wire_name)
            })
            .map_or_else(|| parameter.wire_name.clone(), |at| self.capture_at(op, at))
    }

    /// Each segment of `op`'s template that mixes parameters with text: the
    /// name axum captures it under, and the template it is split by.
    fn split_segments(&self, op: &'a Operation) -> Vec<(String, &'a str)> {
        split_segments(self.route_owner(op), op)
    }

    /// The operations served at `path` with `method`, in the order a
    /// request is matched against them: those requiring more first, the
    /// one requiring nothing (if any) last.
    fn sharing(&self, path: &str, method: Method) -> Vec<&'a Operation> {
        let mut ops: Vec<&'a Operation> = self
            .routes
            .get(path)
            .into_iter()
            .flatten()
            .copied()
            .filter(|op| op.method == method)
            .collect();
        ops.sort_by_key(|op| {
            std::cmp::Reverse(self.conditions.get(op.name.as_str()).map_or(0, Vec::len))
        });
        ops
    }

    /// Names the type of each served operation ([`Plan::operation_types`]).
    fn name_operation_types(&mut self) {
        let mut names = crate::names::Namespace::new();
        // The types and traits `router.rs` imports or defines.
        for taken in ROUTER_TYPE_NAMES.split_whitespace() {
            names.reserve(taken);
        }
        let routed: Vec<&'a Operation> = self.routed().collect();
        for op in routed {
            let name = names.unique(&crate::names::type_name(&op.name, "Operation"));
            self.operation_types.insert(&op.name, name);
        }
    }

    /// The type of `router.rs` `op` implements `Operation` on.
    fn operation_type(&self, op: &Operation) -> proc_macro2::Ident {
        format_ident!("{}", self.operation_types[op.name.as_str()])
    }

    fn routed(&self) -> impl Iterator<Item = &'a Operation> + '_ {
        self.routes.values().flatten().copied()
    }

    /// What `op` answers `status` with: the payload of the response that
    /// serves it, `None` without a body or without such a response.
    fn outcome(&self, op: &Operation, status: u16) -> Outcome {
        serving_response(op, status).and_then(|response| {
            self.payloads
                .get(&(op.name.as_str(), response.variant.as_str()))
                .cloned()
                .flatten()
        })
    }

    /// The payload every operation of `ops` answers `status` with, if they
    /// all answer it with the same one.
    fn common_payload(&self, ops: &[&Operation], status: u16) -> Option<Sent> {
        let outcomes: BTreeSet<Outcome> = ops.iter().map(|op| self.outcome(op, status)).collect();
        match outcomes.into_iter().collect::<Vec<_>>().as_slice() {
            [Some(payload)] => Some(payload.clone()),
            _ => None,
        }
    }

    /// Which response answers each rejection, the hooks that build their
    /// bodies, and the responders that send them.
    fn plan_rejections(&mut self, warnings: &mut Vec<Warning>) {
        let mut keys: BTreeSet<ResponderKey> = BTreeSet::new();
        let routed: Vec<&'a Operation> = self.routed().collect();
        // Operations without a response for a status they may be rejected with.
        let mut undeclared: BTreeMap<u16, Vec<&'a Operation>> = BTreeMap::new();
        for op in &routed {
            let statuses = rejection_statuses(op);
            if statuses.is_empty() {
                continue;
            }
            let mut key = Vec::new();
            for status in statuses {
                if serving_response(op, status).is_none() {
                    undeclared.entry(status).or_default().push(op);
                }
                key.push((status, self.outcome(op, status)));
            }
            keys.insert(key.clone());
            self.op_responder.insert(&op.name, key);
        }
        for (status, ops) in undeclared {
            warnings.push(undeclared_warning(status, &ops));
        }

        // Unknown paths: the body every operation declares for 404, if the same.
        self.not_found = vec![(NOT_FOUND, self.common_payload(&routed, NOT_FOUND))];
        keys.insert(self.not_found.clone());

        // Known paths, other methods: same rule per path.
        for (path, ops) in &self.routes {
            if let Some(payload) = self.common_payload(ops, METHOD_NOT_ALLOWED) {
                let key = vec![(METHOD_NOT_ALLOWED, Some(payload))];
                keys.insert(key.clone());
                self.method_not_allowed.insert(path, key);
            }
        }

        // Hooks: one trait method per body type, named after it.
        let mut methods = Namespace::new();
        for op in &self.api.operations {
            methods.reserve(&op.name);
        }
        let types: BTreeSet<BodyType> = keys
            .iter()
            .flatten()
            .filter_map(|(_, outcome)| outcome.as_ref().map(|p| p.body.clone()))
            .collect();
        for ty in types {
            let name = methods.unique(&format!("rejection_{}", body_slug(&ty)));
            self.hooks.insert(ty, name);
        }

        // Responders: one function per distinct behaviour with a body (an
        // all-empty one is written inline).
        let mut functions = Namespace::new();
        let responders: BTreeSet<Responder> = keys.iter().filter_map(Responder::of).collect();
        for responder in responders {
            let name = match &responder {
                Responder::Uniform(payload) => {
                    format!("reject_with_{}", self.sent_slug(payload))
                }
                Responder::ByStatus(key) => {
                    let parts: Vec<String> = key
                        .iter()
                        .map(|(status, outcome)| match outcome {
                            Some(payload) => format!("{status}_{}", self.sent_slug(payload)),
                            None => format!("{status}_empty"),
                        })
                        .collect();
                    format!("reject_{}", parts.join("_"))
                }
            };
            let name = functions.unique(&name);
            self.responders.insert(responder, name);
        }
        self.rejection_keys = keys;
    }

    /// The function answering rejections with the outcomes of `key`.
    fn responder(&self, key: &ResponderKey) -> Option<&String> {
        Responder::of(key).and_then(|responder| self.responders.get(&responder))
    }

    /// A name for a body sent with a media type: its hook's, and the media
    /// type's subtype when not the usual one for that body
    /// (`error_as_problem_json`).
    fn sent_slug(&self, sent: &Sent) -> String {
        let usual = match sent.body {
            BodyType::Json(_) => "application/json",
            BodyType::Text => "text/plain",
            BodyType::Bytes => "application/octet-stream",
        };
        let slug = self.hook_slug(&sent.body);
        let media = essence(&sent.content_type);
        if media == usual {
            return slug;
        }
        let subtype = media
            .split_once('/')
            .map_or(media.as_str(), |(_, subtype)| subtype);
        format!("{slug}_as_{}", crate::names::field_name(subtype, "media"))
    }

    /// The hook's name without its `rejection_` prefix.
    fn hook_slug(&self, ty: &BodyType) -> String {
        let name = self.hooks.get(ty).map(String::as_str).unwrap_or_default();
        name.strip_prefix("rejection_").unwrap_or(name).to_owned()
    }

    /// Whether requests carry credentials: the API has security schemes
    /// (`Request` then has a `credentials` field).
    fn has_credentials(&self) -> bool {
        !self.api.security_schemes.is_empty()
    }

    /// Where the routed operations' parameters are sent.
    fn parameter_locations(&self) -> BTreeSet<ParameterLocation> {
        self.routed()
            .flat_map(|op| &op.parameters)
            .map(|p| p.location)
            .collect()
    }

    /// Whether some routed operation's multipart body has a file part (parts
    /// then keep their file name).
    fn has_file_parts(&self) -> bool {
        self.routed()
            .filter_map(|op| op.request_body.as_ref())
            .any(RequestBody::has_file_part)
    }

    /// Whether some routed operation answers an unsupported media type with
    /// 415 (rejections then carry their status).
    fn answers_415(&self) -> bool {
        self.routed().any(declares_unsupported_media_type)
    }
}

/// The name axum captures a mixed segment under: its template with
/// parentheses for braces (`(name).(ext)`), which no parameter of the
/// template can be named.
fn capture_name(template: &str) -> String {
    template.replace('{', "(").replace('}', ")")
}

/// The path axum routes for an operation: mixed segments become one
/// capture.
fn axum_path(op: &Operation) -> String {
    op.path
        .segments
        .iter()
        .map(|s| match s {
            PathSegment::Literal(l) => format!("/{l}"),
            PathSegment::Param(index) => format!("/{{{}}}", op.parameters[*index].wire_name),
            PathSegment::Mixed { template, .. } => format!("/{{{}}}", capture_name(template)),
        })
        .collect()
}

/// Something a request must carry to reach one of several operations that
/// share a method and route.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Condition<'a> {
    /// A header (by its name on the wire) with the one value its schema
    /// allows.
    Header { name: &'a str, value: &'a str },
    /// A query parameter with the one value its schema allows, or, when
    /// only this operation declares it, with any value (`None`).
    Query {
        name: &'a str,
        value: Option<&'a str>,
    },
    /// A body in one of these media types (essences), which no other
    /// operation of the route accepts.
    MediaType(Vec<String>),
    /// A path segment, captured under `capture`, of the form of the
    /// operation's `template` for it (`{name}:cancel`).
    Segment { capture: String, template: &'a str },
}

/// What tells apart the requests of operations sharing a method and route
/// (that of the template of `owner_of` each), for each such operation, by
/// name: its segments with text (`{name}:cancel`), the header and query
/// parameters it requires with one allowed value, the query parameters it
/// requires that the others do not declare, and its body's media types when
/// the others accept none of them. An operation requiring none of these is the one a
/// request matching no other reaches.
fn shared_route_conditions<'a>(
    api: &'a Api,
    owner_of: impl Fn(&'a Operation) -> &'a Operation,
) -> BTreeMap<&'a str, Vec<Condition<'a>>> {
    let mut groups: BTreeMap<(&str, Method), Vec<&Operation>> = BTreeMap::new();
    for op in &api.operations {
        groups
            .entry((owner_of(op).path.text.as_str(), op.method))
            .or_default()
            .push(op);
    }
    let media_types = |op: &Operation| -> Vec<String> {
        let contents = op.request_body.iter().flat_map(|body| &body.contents);
        let mut essences: Vec<String> = contents.map(|c| essence(&c.media_type)).collect();
        essences.sort();
        essences.dedup();
        essences
    };
    let mut conditions = BTreeMap::new();
    for ops in groups.values().filter(|ops| ops.len() > 1) {
        let accepted: Vec<Vec<String>> = ops.iter().map(|op| media_types(op)).collect();
        for (at, op) in ops.iter().enumerate() {
            let others = || ops.iter().filter(|other| other.name != op.name);
            let others_declare = |name: &str| {
                others().any(|other| {
                    other
                        .parameters
                        .iter()
                        .any(|p| p.location == ParameterLocation::Query && p.wire_name == name)
                })
            };
            let mut required: Vec<Condition<'_>> = op
                .parameters
                .iter()
                .filter(|p| p.required)
                .filter_map(|p| match (p.location, api.constant_of(p)) {
                    (ParameterLocation::Header, Some(value)) => Some(Condition::Header {
                        name: &p.wire_name,
                        value,
                    }),
                    (ParameterLocation::Query, value)
                        if value.is_some() || !others_declare(&p.wire_name) =>
                    {
                        Some(Condition::Query {
                            name: &p.wire_name,
                            value,
                        })
                    }
                    _ => None,
                })
                .collect();
            // A wildcard (`*/*`, `image/*`) could be any other's too.
            let own = &accepted[at];
            let others_accept: BTreeSet<&String> = (accepted.iter().enumerate())
                .filter(|(other, _)| *other != at)
                .flat_map(|(_, media_types)| media_types)
                .collect();
            let wildcard = |media: &String| media.ends_with('*');
            if !own.is_empty()
                && !own
                    .iter()
                    .chain(others_accept.iter().copied())
                    .any(wildcard)
                && !own.iter().any(|media| others_accept.contains(media))
            {
                required.push(Condition::MediaType(own.clone()));
            }
            required.extend(
                split_segments(owner_of(op), op)
                    .into_iter()
                    .map(|(capture, template)| Condition::Segment { capture, template }),
            );
            required.sort();
            conditions.insert(op.name.as_str(), required);
        }
    }
    conditions
}

/// The name axum captures segment `position` of `owner`'s template under:
/// a parameter's name, or the [`capture_name`] of a segment with text.
fn segment_capture(owner: &Operation, position: usize) -> String {
    match owner.path.segments.get(position) {
        Some(PathSegment::Param(index)) => owner.parameters[*index].wire_name.clone(),
        Some(PathSegment::Mixed { template, .. }) => capture_name(template),
        Some(PathSegment::Literal(text)) => text.clone(),
        None => String::new(),
    }
}

/// Each segment of `op`'s template that mixes parameters with text: the
/// name axum captures it under at the route of `owner`'s template, and the
/// template it is split by.
fn split_segments<'a>(owner: &Operation, op: &'a Operation) -> Vec<(String, &'a str)> {
    op.path
        .segments
        .iter()
        .enumerate()
        .filter_map(|(at, segment)| match segment {
            PathSegment::Mixed { template, .. } => {
                Some((segment_capture(owner, at), template.as_str()))
            }
            _ => None,
        })
        .collect()
}

/// The template with parameter names removed: axum (matchit 0.8) refuses two
/// routes that are equal in this form.
fn normalized(template: &PathTemplate) -> String {
    template
        .segments
        .iter()
        .map(|s| match s {
            PathSegment::Literal(l) => format!("/{l}"),
            PathSegment::Param(_) | PathSegment::Mixed { .. } => "/{}".to_owned(),
        })
        .collect()
}

/// The statuses an operation's handler may reject requests with.
fn rejection_statuses(op: &Operation) -> Vec<u16> {
    let mut statuses = Vec::new();
    if !op.parameters.is_empty() || op.request_body.is_some() {
        statuses.push(BAD_REQUEST);
    }
    if checks_credentials(op) {
        statuses.push(UNAUTHORIZED);
    }
    if declares_unsupported_media_type(op) {
        statuses.push(UNSUPPORTED_MEDIA_TYPE);
    }
    statuses
}

/// Whether a body in a media type the operation does not accept is answered
/// 415: when the operation declares a response for it (the code, `4XX` or
/// `default`). Otherwise it is a bad request (400), which most operations
/// declare.
fn declares_unsupported_media_type(op: &Operation) -> bool {
    op.request_body.is_some() && serving_response(op, UNSUPPORTED_MEDIA_TYPE).is_some()
}

/// Whether some credentials are required: an empty alternative (`{}` in
/// `security`) makes them all optional.
fn checks_credentials(op: &Operation) -> bool {
    !op.security.is_empty()
        && op
            .security
            .iter()
            .all(|alternative| !alternative.is_empty())
}

/// The response an operation declares for `status`: the exact code, else its
/// range, else `default`.
fn serving_response(op: &Operation, status: u16) -> Option<&Response> {
    let find = |wanted: Status| op.responses.iter().find(|r| r.status == wanted);
    find(Status::Code(status))
        .or_else(|| {
            u8::try_from(status / 100)
                .ok()
                .and_then(|r| find(Status::Range(r)))
        })
        .or_else(|| find(Status::Default))
}

/// How many operations a warning names before it only counts the others.
const LISTED_OPERATIONS: usize = 8;

/// The warning for the operations that declare no response for a status
/// the server may reject their requests with. One per status: the same
/// omission in every operation of a spec is one finding, not hundreds.
fn undeclared_warning(status: u16, ops: &[&Operation]) -> Warning {
    let cause = format!(
        "status {status} ({}), which the server answers when {}",
        status_reason(status),
        rejection_cause(status)
    );
    if let [op] = ops {
        return Warning {
            pointer: format!("{}/responses", op.pointer),
            kind: WarningKind::UndeclaredRejectionStatus,
            message: format!(
                "`{}` declares no response for {cause}; it sends {status} without a body",
                op.name
            ),
        };
    }
    let mut names: Vec<String> = ops
        .iter()
        .take(LISTED_OPERATIONS)
        .map(|op| format!("`{}`", op.name))
        .collect();
    if ops.len() > LISTED_OPERATIONS {
        names.push(format!("{} more", ops.len() - LISTED_OPERATIONS));
    }
    let names = match names.split_last() {
        Some((last, init)) if !init.is_empty() => format!("{} and {last}", init.join(", ")),
        _ => names.concat(),
    };
    Warning {
        pointer: "#/paths".to_owned(),
        kind: WarningKind::UndeclaredRejectionStatus,
        message: format!(
            "{} operations declare no response (not the code, its range or `default`) for \
             {cause}; the server sends {status} without a body for them: {names}",
            ops.len()
        ),
    }
}

fn status_reason(status: u16) -> &'static str {
    match status {
        BAD_REQUEST => "Bad Request",
        UNAUTHORIZED => "Unauthorized",
        UNSUPPORTED_MEDIA_TYPE => "Unsupported Media Type",
        NOT_FOUND => "Not Found",
        METHOD_NOT_ALLOWED => "Method Not Allowed",
        _ => "",
    }
}

fn rejection_cause(status: u16) -> &'static str {
    match status {
        BAD_REQUEST => "a parameter or the body is missing or invalid",
        UNAUTHORIZED => "credentials are missing",
        UNSUPPORTED_MEDIA_TYPE => "the body is sent in a media type the operation does not accept",
        _ => "the request is rejected",
    }
}

/// A media type usable as a `content-type` value: visible ASCII, no wildcard.
fn valid_content_type(media_type: &str) -> bool {
    !media_type.is_empty()
        && !media_type.contains('*')
        && media_type
            .bytes()
            .all(|b| (0x20..0x7f).contains(&b) || b == b'\t')
}

/// How a declared response's body is sent: with its declared media type, or,
/// for a wildcard (`*/*`, `image/*`), with `application/json`, `text/plain`
/// or `application/octet-stream` by what the body holds.
fn sent(response: &Response) -> Outcome {
    let body = response.body.as_ref()?;
    let declared = valid_content_type(&body.media_type).then(|| body.media_type.trim().to_owned());
    let (body, fallback) = match &body.payload {
        Payload::Json(ty) => (BodyType::Json(ty.clone()), "application/json"),
        Payload::Text => (BodyType::Text, "text/plain"),
        Payload::Binary | Payload::Form { .. } | Payload::Multipart(_) => {
            (BodyType::Bytes, "application/octet-stream")
        }
    };
    Some(Sent {
        body,
        content_type: declared.unwrap_or_else(|| fallback.to_owned()),
    })
}

/// How the server reads a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    /// One value, as text.
    Scalar,
    /// Array items: one per occurrence (`None`), or joined with a delimiter.
    List(Option<char>),
    /// An object in the `deepObject` style: `name[key]=value`.
    Deep,
    /// One value, as JSON text (`content`, and objects in other styles).
    Json,
}

fn reader(api: &Api, p: &crate::model::Parameter) -> Reader {
    let shape = api.shape_of(&p.ty);
    match (p.style, shape) {
        (ParameterStyle::Json, _) => Reader::Json,
        (ParameterStyle::DeepObject, Shape::Object) if p.location == ParameterLocation::Query => {
            Reader::Deep
        }
        // Not supported in other styles (a warning says so): JSON text.
        (_, Shape::Object) => Reader::Json,
        (style, Shape::List) => {
            if p.explode && p.location == ParameterLocation::Query {
                Reader::List(None)
            } else {
                Reader::List(Some(match style {
                    ParameterStyle::SpaceDelimited => ' ',
                    ParameterStyle::PipeDelimited => '|',
                    _ => ',',
                }))
            }
        }
        (_, Shape::Scalar) => Reader::Scalar,
    }
}

/// The function reading one raw value of a scalar parameter of type `ty`:
/// a reader without `serde_json::Value` where the type is known here
/// (strings, UUIDs and string enums read from the string; integers and
/// booleans by `FromStr`), the generic `parse` for the rest. The readers
/// fall back to `parse` for what they do not accept, so every type accepts
/// and refuses the same values, with the same messages.
fn scalar_parser(api: &Api, ty: &TypeRef) -> TokenStream {
    let mut ty = ty;
    // Aliases of aliases, as far as `Api::shape_of` follows them.
    for _ in 0..32 {
        match ty {
            TypeRef::String | TypeRef::Uuid => return quote!(extract::parse_str),
            TypeRef::Integer(_) => return quote!(extract::parse_integer),
            TypeRef::Bool => return quote!(extract::parse_bool),
            TypeRef::Named(name) => match api.type_named(name).map(|t| &t.kind) {
                Some(TypeKind::Alias(target)) => ty = target,
                Some(TypeKind::Enum(_)) => return quote!(extract::parse_str),
                _ => break,
            },
            _ => break,
        }
    }
    quote!(extract::parse)
}

/// `path`, `query`, `header` or `cookie`.
fn location_label(location: ParameterLocation) -> &'static str {
    match location {
        ParameterLocation::Path => "path",
        ParameterLocation::Query => "query",
        ParameterLocation::Header => "header",
        ParameterLocation::Cookie => "cookie",
    }
}

/// The Rust type of a body the server sends.
fn body_type_tokens(ty: &BodyType, types: &TokenStream) -> TokenStream {
    match ty {
        BodyType::Json(ty) => type_tokens(ty, types),
        BodyType::Text => quote!(String),
        BodyType::Bytes => quote!(Vec<u8>),
    }
}

/// A `snake_case` name for a body type, for hook names.
fn body_slug(ty: &BodyType) -> String {
    match ty {
        BodyType::Json(ty) => slug(ty),
        BodyType::Text => "text".to_owned(),
        BodyType::Bytes => "bytes".to_owned(),
    }
}

/// A `snake_case` name for a type, for hook names.
fn slug(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "string".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::Integer(IntegerFormat::I32) => "i32".to_owned(),
        TypeRef::Integer(IntegerFormat::I64) => "i64".to_owned(),
        TypeRef::Number(NumberFormat::F32) => "f32".to_owned(),
        TypeRef::Number(NumberFormat::F64) => "f64".to_owned(),
        TypeRef::Uuid => "uuid".to_owned(),
        TypeRef::DateTime => "date_time".to_owned(),
        TypeRef::Date => "date".to_owned(),
        TypeRef::Any => "json".to_owned(),
        TypeRef::Named(name) => name.to_snake_case(),
        TypeRef::Array(item) => format!("{}_list", slug(item)),
        TypeRef::Map(value) => format!("{}_map", slug(value)),
        TypeRef::OrNull(inner) => format!("{}_or_null", slug(inner)),
        TypeRef::External(external) => external
            .path
            .rsplit("::")
            .next()
            .unwrap_or_default()
            .to_snake_case(),
    }
}

fn types_path() -> TokenStream {
    quote!(types)
}

/// The type of an operation's request body in the server (binary bodies
/// are `axum::body::Body` streams), without the `Option` of an optional body.
pub fn request_body(op: &Operation) -> Option<TokenStream> {
    let types = types_path();
    let module = ident(&op.name);
    super::types::request_body_type(
        op,
        &types,
        Some(&quote!(#types::operations::#module)),
        &quote!(axum::body::Body),
    )
}

fn u16_lit(value: u16) -> Literal {
    Literal::u16_unsuffixed(value)
}

fn location_tokens(location: ParameterLocation) -> TokenStream {
    match location {
        ParameterLocation::Path => quote!(ParameterLocation::Path),
        ParameterLocation::Query => quote!(ParameterLocation::Query),
        ParameterLocation::Header => quote!(ParameterLocation::Header),
        ParameterLocation::Cookie => quote!(ParameterLocation::Cookie),
    }
}

fn method_fn(method: Method) -> proc_macro2::Ident {
    format_ident!("{}", method.as_str().to_ascii_lowercase())
}

/// The rustdoc of an operation: summary, description, method and path.
fn op_docs(op: &Operation) -> String {
    let mut docs = String::new();
    for part in [&op.summary, &op.description].into_iter().flatten() {
        // Safe on its own: a block it leaves open cannot swallow the rest.
        let part = super::text::markdown(part.trim());
        if !part.is_empty() {
            docs.push_str(&part);
            docs.push_str("\n\n");
        }
    }
    docs.push_str(&super::text::code_span(&format!(
        "{} {}",
        op.method.as_str(),
        op.path
    )));
    docs
}
