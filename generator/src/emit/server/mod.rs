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
//!   them, a template that differs from an earlier one only in parameter
//!   names, a path parameter the template does not have) is not routed; a
//!   segment mixing parameters and text (`{name}.{ext}`) is one capture the
//!   handler splits;
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
use super::{doc_attrs, format_file, ident, prune, type_tokens, Emitted, Needs};
use crate::model::{
    essence, Api, ApiKeyLocation, Content, IntegerFormat, Method, NumberFormat, Operation,
    ParameterLocation, ParameterStyle, PartKind, Payload, RequestBody, Response,
    SecuritySchemeKind, Shape, Status, TypeRef, Warning, WarningKind,
};
use crate::names::Namespace;
use crate::CrateNames;

mod api;
mod extract;
mod lib;
mod rejection;
mod router;
mod serve;
#[cfg(test)]
mod tests;

use self::{api::*, extract::*, lib::*, rejection::*, router::*, serve::*};

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

/// `router.rs`'s response writers.
const RESPONSES_RS: &str = include_str!("../../../runtime/server/responses.rs");

/// The items of one of the runtime files above, one by one.
fn runtime_items(source: &str) -> Vec<TokenStream> {
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

/// The items of one of the runtime files above.
fn runtime(source: &str) -> TokenStream {
    // The files are part of the generator and compiled in `generator/runtime`,
    // so a failure here is a bug in the generator, never in the spec.
    match source.parse() {
        Ok(tokens) => tokens,
        Err(e) => panic!("a runtime file of the server does not parse: {e}"),
    }
}

/// The server crate's `src/` files.
pub fn emit(api: &Api, crates: &CrateNames, warnings: &mut Vec<Warning>) -> Emitted {
    let plan = Plan::new(api, warnings);
    let src = PathBuf::from(&crates.server).join("src");
    let (router, uses, handlers) = router_rs(&plan);
    let mut needs = needs(api, &plan);
    needs.multipart = uses_multipart(&plan);
    let files = vec![
        (src.join("lib.rs"), lib_rs(api, crates)),
        (src.join("api.rs"), api_rs(&plan)),
        (src.join("rejection.rs"), rejection_rs(&uses)),
        (src.join("extract.rs"), extract_rs(&plan, &uses, &handlers)),
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
}

impl<'a> Plan<'a> {
    fn new(api: &'a Api, warnings: &mut Vec<Warning>) -> Self {
        let mut plan = Plan {
            api,
            routes: BTreeMap::new(),
            unrouted: BTreeMap::new(),
            hooks: BTreeMap::new(),
            rejection_keys: BTreeSet::new(),
            responders: BTreeMap::new(),
            op_responder: BTreeMap::new(),
            not_found: Vec::new(),
            method_not_allowed: BTreeMap::new(),
            payloads: BTreeMap::new(),
            legacy_literals: false,
        };
        plan.route(warnings);
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
        // Normalized template (parameters without names) -> first template.
        let mut shapes: BTreeMap<String, &'a str> = BTreeMap::new();
        let mut path_verdicts: BTreeMap<&'a str, Result<(), String>> = BTreeMap::new();
        for op in &self.api.operations {
            let verdict = path_verdicts
                .entry(&op.path)
                .or_insert_with(|| match parse_template(&op.path) {
                    Err(reason) => Err(reason),
                    Ok(segments) => {
                        let shape = normalized(&segments);
                        match shapes.get(&shape) {
                            Some(first) => Err(format!(
                                "it differs from `{first}` only in parameter names, and axum \
                                 cannot route both"
                            )),
                            None => {
                                shapes.insert(shape, &op.path);
                                Ok(())
                            }
                        }
                    }
                })
                .clone();
            let reason = match verdict {
                Err(reason) => Some((
                    WarningKind::UnroutablePath,
                    op.pointer.clone(),
                    format!("the path `{}` cannot be routed: {reason}", op.path),
                )),
                Ok(()) => op_problem(op),
            };
            match reason {
                Some((kind, pointer, message)) => {
                    warnings.push(Warning {
                        pointer,
                        kind,
                        message: format!("{message}; the server does not serve `{}`", op.name),
                    });
                    self.unrouted.insert(&op.name, message);
                }
                None => {
                    if parse_template(&op.path).is_ok_and(|segments| {
                        segments.iter().any(|s| {
                            matches!(s, Segment::Literal(l) if l.starts_with(':') || l.starts_with('*'))
                        })
                    }) {
                        self.legacy_literals = true;
                    }
                    self.routes.entry(&op.path).or_default().push(op);
                }
            }
        }
    }

    fn routed(&self) -> impl Iterator<Item = &'a Operation> + '_ {
        self.routes.values().flatten().copied()
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
                let outcome = match serving_response(op, status) {
                    Some(response) => self
                        .payloads
                        .get(&(&op.name, &response.variant))
                        .cloned()
                        .flatten(),
                    None => {
                        undeclared.entry(status).or_default().push(op);
                        None
                    }
                };
                key.push((status, outcome));
            }
            keys.insert(key.clone());
            self.op_responder.insert(&op.name, key);
        }
        for (status, ops) in undeclared {
            warnings.push(undeclared_warning(status, &ops));
        }

        // Unknown paths: the body every operation declares for 404, if the same.
        let outcomes: BTreeSet<Outcome> = routed
            .iter()
            .map(|op| {
                serving_response(op, NOT_FOUND).and_then(|r| {
                    self.payloads
                        .get(&(&op.name, &r.variant))
                        .cloned()
                        .flatten()
                })
            })
            .collect();
        let not_found = match outcomes.into_iter().collect::<Vec<_>>().as_slice() {
            [Some(payload)] => Some(payload.clone()),
            _ => None,
        };
        self.not_found = vec![(NOT_FOUND, not_found)];
        keys.insert(self.not_found.clone());

        // Known paths, other methods: same rule per path.
        for (path, ops) in &self.routes {
            let outcomes: BTreeSet<Outcome> = ops
                .iter()
                .map(|op| {
                    serving_response(op, METHOD_NOT_ALLOWED).and_then(|r| {
                        self.payloads
                            .get(&(&op.name, &r.variant))
                            .cloned()
                            .flatten()
                    })
                })
                .collect();
            if let [Some(payload)] = outcomes.into_iter().collect::<Vec<_>>().as_slice() {
                let key = vec![(METHOD_NOT_ALLOWED, Some(payload.clone()))];
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

    fn any_param(&self, pred: impl Fn(&crate::model::Parameter) -> bool) -> bool {
        self.routed().any(|op| op.parameters.iter().any(&pred))
    }

    fn has_scheme(&self, pred: impl Fn(&SecuritySchemeKind) -> bool) -> bool {
        self.api.security_schemes.iter().any(|s| pred(&s.kind))
    }

    /// What the generated handlers read from requests.
    fn uses(&self) -> Uses {
        let routed_any = self.routed().next().is_some();
        let schemes = routed_any && !self.api.security_schemes.is_empty();
        let located = |location| self.any_param(|p| p.location == location);
        let cookie_scheme = self.has_scheme(|k| {
            matches!(
                k,
                SecuritySchemeKind::ApiKey {
                    location: ApiKeyLocation::Cookie,
                    ..
                }
            )
        });
        let query_scheme = self.has_scheme(|k| {
            matches!(
                k,
                SecuritySchemeKind::ApiKey {
                    location: ApiKeyLocation::Query,
                    ..
                }
            )
        });
        let header_scheme = self.has_scheme(|k| {
            matches!(
                k,
                SecuritySchemeKind::ApiKey {
                    location: ApiKeyLocation::Header,
                    ..
                }
            )
        });
        let bearer = self.has_scheme(|k| matches!(k, SecuritySchemeKind::Bearer));
        let basic = self.has_scheme(|k| matches!(k, SecuritySchemeKind::Basic));
        let content = |pred: &dyn Fn(&Payload) -> bool| {
            self.routed().any(|op| {
                op.request_body
                    .iter()
                    .flat_map(|b| &b.contents)
                    .any(|c| pred(&c.payload))
            })
        };
        let path_params = located(ParameterLocation::Path);
        let query_params = located(ParameterLocation::Query);
        let header_params = located(ParameterLocation::Header);
        let cookie_params = located(ParameterLocation::Cookie);
        let cookies = cookie_params || (schemes && cookie_scheme);
        Uses {
            credentials: schemes,
            path: path_params,
            query: query_params || (schemes && query_scheme),
            headers: header_params || cookies || (schemes && (header_scheme || bearer || basic)),
            path_params,
            query_params,
            header_params,
            cookie_params,
            mixed_segments: self.routed().any(|op| {
                parse_template(&op.path).is_ok_and(|segments| {
                    segments.iter().any(|s| matches!(s, Segment::Mixed { .. }))
                })
            }),
            multipart_file_names: content(&|payload| match payload {
                Payload::Multipart(fields) => fields
                    .iter()
                    .any(|f| matches!(f.part, PartKind::File | PartKind::Files)),
                _ => false,
            }),
            unsupported_media_type_status: self.routed().any(declares_unsupported_media_type),
        }
    }
}

/// What the handlers read from requests, which shapes the helpers of
/// `extract.rs` (their fields and `match` arms). Which helpers exist is not
/// decided here: `extract.rs` keeps those the handlers reach (see
/// [`prune`](super::prune)).
#[derive(Debug, Clone, Copy, Default)]
struct Uses {
    /// The API has security schemes: requests carry credentials.
    credentials: bool,
    /// `Input` fields.
    path: bool,
    query: bool,
    headers: bool,
    /// Parameter locations some handler reads.
    path_params: bool,
    query_params: bool,
    header_params: bool,
    cookie_params: bool,
    /// Some path segment holds several parameters (`Input` splits them).
    mixed_segments: bool,
    /// Some multipart body has a file part: parts keep their file name.
    multipart_file_names: bool,
    /// Some operation answers an unsupported media type with 415.
    unsupported_media_type_status: bool,
}

/// A segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment<'t> {
    Literal(&'t str),
    Param(&'t str),
    /// Parameters with text around or between them (`{name}.{ext}`): axum
    /// captures the whole segment, which the handler splits by the template.
    Mixed {
        template: &'t str,
        params: Vec<&'t str>,
    },
}

impl Segment<'_> {
    /// Whether the parameter `name` is (in) this segment.
    fn has_param(&self, name: &str) -> bool {
        match self {
            Segment::Literal(_) => false,
            Segment::Param(param) => *param == name,
            Segment::Mixed { params, .. } => params.contains(&name),
        }
    }
}

/// The name axum captures a mixed segment under: its template with
/// parentheses for braces (`(name).(ext)`), which no parameter of the
/// template can be named.
fn capture_name(template: &str) -> String {
    template.replace('{', "(").replace('}', ")")
}

/// The path axum routes for a template: mixed segments become one capture.
fn axum_path(segments: &[Segment<'_>]) -> String {
    segments
        .iter()
        .map(|s| match s {
            Segment::Literal(l) => format!("/{l}"),
            Segment::Param(p) => format!("/{{{p}}}"),
            Segment::Mixed { template, .. } => format!("/{{{}}}", capture_name(template)),
        })
        .collect()
}

/// The parameters of a segment that mixes them with text, or why the
/// handler could not split it.
fn parse_mixed(segment: &str) -> Result<Vec<&str>, String> {
    let unmatched = || format!("the segment `{segment}` has an unmatched brace");
    let mut params = Vec::new();
    let mut rest = segment;
    while let Some(open) = rest.find('{') {
        let literal = &rest[..open];
        if literal.contains('}') {
            return Err(unmatched());
        }
        if literal.is_empty() && !params.is_empty() {
            return Err(format!(
                "the segment `{segment}` has two parameters with no text between them, so \
                 their values cannot be told apart"
            ));
        }
        let after_open = &rest[open + 1..];
        let Some(close) = after_open.find('}') else {
            return Err(unmatched());
        };
        let name = &after_open[..close];
        if name.is_empty() || name.contains(['{', '*']) {
            return Err(format!(
                "the segment `{segment}` has a parameter axum cannot capture"
            ));
        }
        params.push(name);
        rest = &after_open[close + 1..];
    }
    if rest.contains('}') {
        return Err(unmatched());
    }
    Ok(params)
}

/// The segments of a template axum can route, or why it cannot.
fn parse_template(path: &str) -> Result<Vec<Segment<'_>>, String> {
    let Some(rest) = path.strip_prefix('/') else {
        return Err("it does not start with `/`".to_owned());
    };
    let mut segments = Vec::new();
    let mut names = BTreeSet::new();
    for segment in rest.split('/') {
        if !segment.contains(['{', '}']) {
            segments.push(Segment::Literal(segment));
            continue;
        }
        let name = segment
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .filter(|name| !name.is_empty() && !name.contains(['{', '}']));
        match name {
            None => {
                let params = parse_mixed(segment)?;
                for name in &params {
                    if !names.insert(*name) {
                        return Err(format!("the parameter `{name}` appears twice"));
                    }
                }
                segments.push(Segment::Mixed {
                    template: segment,
                    params,
                });
            }
            Some(name) if name.starts_with('*') => {
                return Err(format!("axum reads the segment `{segment}` as a catch-all"))
            }
            Some(name) => {
                if !names.insert(name) {
                    return Err(format!("the parameter `{name}` appears twice"));
                }
                segments.push(Segment::Param(name));
            }
        }
    }
    Ok(segments)
}

/// The template with parameter names removed: axum (matchit 0.8) refuses two
/// routes that are equal in this form.
fn normalized(segments: &[Segment<'_>]) -> String {
    segments
        .iter()
        .map(|s| match s {
            Segment::Literal(l) => format!("/{l}"),
            Segment::Param(_) | Segment::Mixed { .. } => "/{}".to_owned(),
        })
        .collect()
}

/// A reason not to serve an operation whose path is routable.
fn op_problem(op: &Operation) -> Option<(WarningKind, String, String)> {
    if let Ok(segments) = parse_template(&op.path) {
        for p in op
            .parameters
            .iter()
            .filter(|p| p.location == ParameterLocation::Path)
        {
            if !segments.iter().any(|s| s.has_param(&p.wire_name)) {
                return Some((
                    WarningKind::UnroutablePath,
                    op.pointer.clone(),
                    format!(
                        "the path parameter `{}` is not in the path `{}`",
                        p.wire_name, op.path
                    ),
                ));
            }
        }
    }
    None
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
