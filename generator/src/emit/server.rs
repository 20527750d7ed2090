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
use super::{doc_attrs, format_file, ident, prune, type_tokens, ExternalTypes};
use crate::model::{
    Api, Content, IntegerFormat, Method, NumberFormat, Operation, ParameterLocation,
    ParameterStyle, PartKind, Payload, RequestBody, Response, SecuritySchemeKind, Status, TypeKind,
    TypeRef, Warning,
};
use crate::names::Namespace;
use crate::CrateNames;

/// The server crate's `src/` files.
pub fn emit(api: &Api, crates: &CrateNames, warnings: &mut Vec<Warning>) -> Vec<(PathBuf, String)> {
    let plan = Plan::new(api, warnings);
    let src = PathBuf::from(&crates.server).join("src");
    let (router, uses, handlers) = router_rs(&plan);
    vec![
        (src.join("lib.rs"), lib_rs(api, crates)),
        (src.join("api.rs"), api_rs(&plan)),
        (src.join("rejection.rs"), rejection_rs(&uses)),
        (src.join("extract.rs"), extract_rs(&plan, &uses, &handlers)),
        (src.join("router.rs"), router),
    ]
}

/// What the server crate names from outside `std` and its fixed dependencies
/// (`uuid`, `chrono`) in its own source: request body types in the trait's
/// signatures and the bodies rejection hooks build. The server crate's
/// `Cargo.toml` needs `uuid` / `chrono` exactly when these are set
/// (`serde_json` is always a dependency of the server).
pub fn external_types(api: &Api) -> ExternalTypes {
    let plan = Plan::new(api, &mut Vec::new());
    let mut needs = ExternalTypes::default();
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
pub fn uses_multipart(api: &Api) -> bool {
    let plan = Plan::new(api, &mut Vec::new());
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
                            kind: "unsupported-response-status",
                            message: format!(
                                "status {code} cannot be sent as a final response; the server \
                                 answers 500 without a body instead"
                            ),
                        });
                    }
                }
            }
            for p in &op.parameters {
                if param_shape(api, &p.ty) == Shape::Object
                    && p.style != ParameterStyle::Json
                    && reader(api, p) != Reader::Deep
                {
                    warnings.push(Warning {
                        pointer: format!("{}/parameters", op.pointer),
                        kind: "unsupported-parameter-style",
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
                    "unroutable-path",
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
                    location: ParameterLocation::Cookie,
                    ..
                }
            )
        });
        let query_scheme = self.has_scheme(|k| {
            matches!(
                k,
                SecuritySchemeKind::ApiKey {
                    location: ParameterLocation::Query,
                    ..
                }
            )
        });
        let header_scheme = self.has_scheme(|k| {
            matches!(
                k,
                SecuritySchemeKind::ApiKey {
                    location: ParameterLocation::Header | ParameterLocation::Path,
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
fn op_problem(op: &Operation) -> Option<(&'static str, String, String)> {
    if let Ok(segments) = parse_template(&op.path) {
        for p in op
            .parameters
            .iter()
            .filter(|p| p.location == ParameterLocation::Path)
        {
            if !segments.iter().any(|s| s.has_param(&p.wire_name)) {
                return Some((
                    "unroutable-path",
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
            kind: "undeclared-rejection-status",
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
        kind: "undeclared-rejection-status",
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

/// The essence (`type/subtype`, lower case) of a media type.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
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
    let shape = param_shape(api, &p.ty);
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

/// What a parameter's type is, for reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Scalar,
    List,
    Object,
}

fn param_shape(api: &Api, ty: &TypeRef) -> Shape {
    let mut ty = ty;
    // Follow aliases (a bounded number of times: a cycle is a resolve bug).
    for _ in 0..32 {
        match ty {
            TypeRef::Array(_) => return Shape::List,
            TypeRef::Map(_) => return Shape::Object,
            TypeRef::Named(name) => {
                match api.types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
                    Some(TypeKind::Alias(target) | TypeKind::Newtype(target)) => ty = target,
                    Some(TypeKind::Struct(_)) => return Shape::Object,
                    Some(TypeKind::Enum(_) | TypeKind::Union(_)) | None => return Shape::Scalar,
                }
            }
            _ => return Shape::Scalar,
        }
    }
    Shape::Scalar
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
        let part = part.trim();
        if !part.is_empty() {
            docs.push_str(part);
            docs.push_str("\n\n");
        }
    }
    docs.push_str(&format!("`{} {}`", op.method.as_str(), op.path));
    docs
}

// ---------------------------------------------------------------------------
// lib.rs
// ---------------------------------------------------------------------------

fn lib_rs(api: &Api, crates: &CrateNames) -> String {
    let types_lib = ident(&CrateNames::lib_name(&crates.types));
    let mut docs = format!(
        "Server of {} (version {}).",
        api.title.trim(),
        api.version.trim()
    );
    if let Some(description) = api
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        docs.push_str("\n\n");
        docs.push_str(description);
    }
    docs.push_str(
        "\n\nImplement [`Api`] (one method per operation, plus one `rejection_*` method per\n\
         body type the server sends on its own) and serve [`router()`] with axum, e.g.\n\
         `axum::serve(listener, router(service))`.\n\
         \n\
         The router answers every request with a response the API description\n\
         declares. Requests it rejects before calling the [`Api`] (bad parameters or\n\
         body, missing credentials, unknown path or method) get the response the\n\
         operation declares for that status, its body built by the [`Api`]'s\n\
         `rejection_*` method from a [`Rejection`].",
    );
    let docs = doc_inner_attrs(&docs);
    format_file([quote! {
        #docs

        mod api;
        mod extract;
        mod rejection;
        mod router;

        /// The types crate: models, operations' parameters and responses, credentials.
        pub use #types_lib as types;

        pub use api::{Api, Request};
        pub use rejection::{ParameterLocation, Rejection, RejectionKind};
        pub use router::{router, router_arc};
    }])
}

/// `#![doc = ...]` attributes.
fn doc_inner_attrs(docs: &str) -> TokenStream {
    let lines = super::doc_lines(docs);
    quote! { #( #![doc = #lines] )* }
}

// ---------------------------------------------------------------------------
// api.rs
// ---------------------------------------------------------------------------

fn api_rs(plan: &Plan<'_>) -> String {
    let types = types_path();
    let mut methods = Vec::new();
    for op in &plan.api.operations {
        let name = ident(&op.name);
        let module = ident(&op.name);
        let mut docs = op_docs(op);
        if let Some(reason) = plan.unrouted.get(op.name.as_str()) {
            docs.push_str(&format!(
                "\n\nNot served by the router: {reason}.\nImplement it anyway (call it from \
                 your own routes, or answer anything)."
            ));
        }
        let docs = doc_attrs(Some(&docs));
        let params = if op.parameters.is_empty() {
            quote!(())
        } else {
            quote!(#types::operations::#module::Parameters)
        };
        let request = match (request_body(op), &op.request_body) {
            (Some(ty), Some(body)) if body.required => quote!(Request<#params, #ty>),
            (Some(ty), Some(_)) => quote!(Request<#params, Option<#ty>>),
            _ => quote!(Request<#params>),
        };
        methods.push(quote! {
            #docs
            fn #name(&self, request: #request) -> impl std::future::Future<Output = #types::operations::#module::Response> + Send;
        });
    }
    for (ty, name) in &plan.hooks {
        let statuses = hook_statuses(plan, ty);
        let docs = format!(
            "The body of the {statuses} responses the server sends on its own, without\n\
             calling an operation, when the operation (or, for an unknown path or method,\n\
             every operation) declares this body type for that status. `rejection` tells\n\
             what was wrong."
        );
        let docs = doc_attrs(Some(&docs));
        let name = ident(name);
        let ty = body_type_tokens(ty, &types);
        methods.push(quote! {
            #docs
            fn #name(&self, rejection: &Rejection) -> #ty;
        });
    }
    // The types crate has `Credentials` only when the API has security
    // schemes; without any, a request carries none.
    let credentials_field = if plan.api.security_schemes.is_empty() {
        quote!()
    } else {
        quote! {
            /// Every credential the request carried; at least one security
            /// alternative of the operation is complete.
            pub credentials: types::Credentials,
        }
    };
    let streams = plan.api.operations.iter().any(|op| {
        op.request_body
            .iter()
            .flat_map(|b| &b.contents)
            .any(super::types::is_stream)
    });
    let body_docs = if streams {
        quote! {
            /// The decoded body (`()` when the operation takes none, `Option` when it is optional).
            ///
            /// A binary body is an `axum::body::Body` to read as a stream (e.g.
            /// `into_data_stream()`): it is not buffered, and axum's body size limit
            /// (`DefaultBodyLimit`) does not apply to it.
        }
    } else {
        quote! {
            /// The decoded body (`()` when the operation takes none, `Option` when it is optional).
        }
    };
    let items = quote! {
        /// A request that passed the server's checks: typed parameters, the
        /// decoded body and the credentials it carried.
        #[derive(Debug, Clone)]
        pub struct Request<P, B = ()> {
            /// Path, query, header and cookie parameters (`()` when the operation has none).
            pub parameters: P,
            #body_docs
            pub body: B,
            #credentials_field
        }

        /// The API's operations, one method each; [`router`](crate::router())
        /// serves them over HTTP. Methods may be written as `async fn`.
        ///
        /// The response a method returns is sent as is: its variant's status,
        /// headers and body (JSON, or a `String` or `Vec<u8>` as it is, with
        /// the media type the spec declares), or no body. A range or `default`
        /// variant carries its status; when that status is not one the variant
        /// stands for in the spec (a status outside its range, one another
        /// response declares, or one that is not a final HTTP status, 200 to
        /// 599), the server answers `500 Internal Server Error` without a body
        /// instead, as it does when a body cannot be serialized: it never sends
        /// a response the spec does not declare with the body it declares.
        pub trait Api: Send + Sync + 'static {
            #(#methods)*
        }
    };
    let mut used = BTreeSet::new();
    root_idents(&items, &mut used);
    let rejection_use = crate_uses(&used, &["Rejection"], quote!(crate::rejection));
    let types_use = if used.contains("types") {
        quote!(
            use crate::types;
        )
    } else {
        quote!()
    };
    format_file([quote! {
        //! The trait the server calls, and what it passes to each operation.

        #rejection_use
        #types_use

        #items
    }])
}

/// The statuses a hook's body is used for, as prose (`400, 401 and 404`).
fn hook_statuses(plan: &Plan<'_>, ty: &BodyType) -> String {
    let statuses: BTreeSet<u16> = plan
        .rejection_keys
        .iter()
        .flatten()
        .filter(|(_, outcome)| outcome.as_ref().is_some_and(|p| &p.body == ty))
        .map(|(status, _)| *status)
        .collect();
    let statuses: Vec<String> = statuses.iter().map(|s| format!("`{s}`")).collect();
    match statuses.as_slice() {
        [] => "rejection".to_owned(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

// ---------------------------------------------------------------------------
// rejection.rs
// ---------------------------------------------------------------------------

fn rejection_rs(uses: &Uses) -> String {
    // The status is the kind's, unless some operation answers an
    // unsupported media type with 415: then the rejection carries it.
    let (status_field, new_rejection, as_415, status) = if uses.unsupported_media_type_status {
        (
            quote! {
                /// The HTTP status the server answers with.
                status: u16,
            },
            quote! {
                /// A rejection not tied to an operation, answered with its kind's status.
                pub fn new(kind: RejectionKind, message: impl Into<String>) -> Self {
                    let status = kind.status();
                    Rejection { operation: None, kind, message: message.into(), status }
                }
            },
            quote! {
                /// The same rejection, answered `415 Unsupported Media Type` when it
                /// is about the body's media type: for an operation that declares a
                /// response for 415.
                pub(crate) fn unsupported_as_415(self) -> Self {
                    match self.kind {
                        RejectionKind::UnsupportedMediaType => Rejection { status: 415, ..self },
                        _ => self,
                    }
                }
            },
            quote!(self.status),
        )
    } else {
        (
            quote!(),
            quote! {
                /// A rejection not tied to an operation.
                pub fn new(kind: RejectionKind, message: impl Into<String>) -> Self {
                    Rejection { operation: None, kind, message: message.into() }
                }
            },
            quote!(),
            quote!(self.kind.status()),
        )
    };
    let (media_type_docs, kind_status_docs) = if uses.unsupported_media_type_status {
        (
            quote! {
                /// The body is sent in a media type the operation does not accept
                /// (400; 415 for an operation that declares a response for 415).
            },
            quote! {
                /// The HTTP status the server answers this kind with: 400, 401, 404
                /// or 405 ([`Rejection::status`] tells when it is 415).
            },
        )
    } else {
        (
            quote! {
                /// The body is sent in a media type the operation does not accept (400).
            },
            quote! {
                /// The HTTP status the server answers with: 400, 401, 404 or 405.
            },
        )
    };
    format_file([quote! {
        //! Requests the server answers by itself, without calling the [`Api`](crate::Api).

        use std::fmt;

        /// Where a parameter is sent.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ParameterLocation {
            /// A segment of the path.
            Path,
            /// The query string.
            Query,
            /// A header.
            Header,
            /// A cookie.
            Cookie,
        }

        impl ParameterLocation {
            /// `path`, `query`, `header` or `cookie`, as OpenAPI names them.
            pub fn as_str(self) -> &'static str {
                match self {
                    ParameterLocation::Path => "path",
                    ParameterLocation::Query => "query",
                    ParameterLocation::Header => "header",
                    ParameterLocation::Cookie => "cookie",
                }
            }
        }

        impl fmt::Display for ParameterLocation {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// Why a request was rejected.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum RejectionKind {
            /// A parameter's value cannot be read as its type (400).
            InvalidParameter {
                /// The parameter's name on the wire.
                name: &'static str,
                /// Where it was sent.
                location: ParameterLocation,
            },
            /// A required parameter is absent (400).
            MissingParameter {
                /// The parameter's name on the wire.
                name: &'static str,
                /// Where it should have been sent.
                location: ParameterLocation,
            },
            /// The body cannot be read or decoded as the operation's body type (400).
            InvalidBody,
            /// The operation requires a body and the request has none (400).
            MissingBody,
            #media_type_docs
            UnsupportedMediaType,
            /// No security alternative of the operation is complete (401).
            MissingCredentials,
            /// An `Authorization` header none of the operation's schemes can
            /// read: another scheme, or empty credentials (401). A credential
            /// presented wrongly is refused, not ignored in favour of another.
            InvalidCredentials,
            /// No operation has this path (404).
            UnknownPath,
            /// The path has operations, none with this method (405).
            MethodNotAllowed,
        }

        impl RejectionKind {
            #kind_status_docs
            pub fn status(&self) -> u16 {
                match self {
                    RejectionKind::InvalidParameter { .. }
                    | RejectionKind::MissingParameter { .. }
                    | RejectionKind::InvalidBody
                    | RejectionKind::MissingBody
                    | RejectionKind::UnsupportedMediaType => 400,
                    RejectionKind::MissingCredentials | RejectionKind::InvalidCredentials => 401,
                    RejectionKind::UnknownPath => 404,
                    RejectionKind::MethodNotAllowed => 405,
                }
            }
        }

        /// A request the server answered without calling an operation, given
        /// to the [`Api`](crate::Api)'s `rejection_*` methods to build the
        /// body the spec declares for the answer.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Rejection {
            /// The operation the request was for (its method name in the
            /// [`Api`](crate::Api)); `None` when no operation matched.
            pub operation: Option<&'static str>,
            /// What was wrong.
            pub kind: RejectionKind,
            /// A human readable explanation, fit for an error message.
            pub message: String,
            #status_field
        }

        impl Rejection {
            #new_rejection

            /// The same rejection, for `operation`.
            pub fn in_operation(self, operation: &'static str) -> Self {
                Rejection { operation: Some(operation), ..self }
            }

            #as_415

            /// The HTTP status the server answers with.
            pub fn status(&self) -> u16 {
                #status
            }
        }

        impl fmt::Display for Rejection {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.message)
            }
        }

        impl std::error::Error for Rejection {}
    }])
}

// ---------------------------------------------------------------------------
// router.rs
// ---------------------------------------------------------------------------

/// `router.rs`, what the handlers need from the requests, and the
/// handlers' code (which decides what `extract.rs` keeps).
fn router_rs(plan: &Plan<'_>) -> (String, Uses, Vec<TokenStream>) {
    let uses = plan.uses();
    let mut items = Vec::new();
    let mut routes = Vec::new();

    for (path, ops) in &plan.routes {
        let mut chain = TokenStream::new();
        for (i, op) in ops.iter().enumerate() {
            let method = method_fn(op.method);
            let handler = format_ident!("handle_{}", op.name);
            chain.extend(if i == 0 {
                quote!(axum::routing::#method(#handler::<A>))
            } else {
                quote!(.#method(#handler::<A>))
            });
            items.push(operation_items(plan, op, &uses));
        }
        if let Some(key) = plan.method_not_allowed.get(path) {
            let fallback =
                method_not_allowed_fn(plan.responder(key).map(String::as_str).unwrap_or_default());
            chain.extend(quote!(.fallback(#fallback::<A>)));
        }
        // Routed paths parse (see `Plan::route`).
        let path = parse_template(path).map_or_else(|_| path.to_string(), |s| axum_path(&s));
        routes.push(quote!(.route(#path, #chain)));
    }

    // Fallbacks of the method routers whose 405 has a body.
    let names: BTreeSet<&String> = plan
        .method_not_allowed
        .values()
        .filter_map(|key| plan.responder(key))
        .collect();
    for responder in names {
        let name = method_not_allowed_fn(responder);
        let responder = format_ident!("{responder}");
        items.push(quote! {
            /// A known path with another method: 405 with the body its
            /// operations declare (axum adds the `Allow` header).
            async fn #name<A: Api>(
                State(api): State<Arc<A>>,
                method: axum::http::Method,
                uri: axum::http::Uri,
            ) -> Response {
                let message = format!("`{method}` is not allowed on `{}`", uri.path());
                #responder(&*api, Rejection::new(RejectionKind::MethodNotAllowed, message))
            }
        });
    }

    // Unknown paths.
    let fallback = match plan.responder(&plan.not_found) {
        Some(responder) => {
            let responder = format_ident!("{responder}");
            items.push(quote! {
                /// No operation has this path: 404 with the body every
                /// operation declares for it.
                async fn unknown_path<A: Api>(State(api): State<Arc<A>>, uri: axum::http::Uri) -> Response {
                    let message = format!("no operation has the path `{}`", uri.path());
                    #responder(&*api, Rejection::new(RejectionKind::UnknownPath, message))
                }
            });
            quote!(unknown_path::<A>)
        }
        None => {
            items.push(quote! {
                /// No operation has this path: 404 without a body.
                async fn unknown_path() -> Response {
                    empty_response(404)
                }
            });
            quote!(unknown_path)
        }
    };

    for (responder, name) in &plan.responders {
        items.push(responder_fn(plan, responder, name));
    }

    let mut used = BTreeSet::new();
    for item in &items {
        root_idents(item, &mut used);
    }
    let handlers = items.clone();
    items.push(response_helpers(&used));

    let v07 = if plan.legacy_literals {
        quote!(.without_v07_checks())
    } else {
        quote!()
    };

    let has = |name: &str| used.contains(name);
    let mut imports = Vec::new();
    if has("State") {
        imports.push(quote!(
            use axum::extract::State;
        ));
    }
    if has("RawPathParams") {
        imports.push(quote! {
            use axum::extract::rejection::RawPathParamsRejection;
            use axum::extract::RawPathParams;
        });
    }
    if has("Parts") {
        imports.push(quote!(
            use axum::http::request::Parts;
        ));
    }
    imports.push(quote! {
        use axum::http::StatusCode;
        use axum::response::{IntoResponse, Response};

        use crate::api::Api;
    });
    let extract: Vec<TokenStream> = [("extract", quote!(self)), ("Input", quote!(Input))]
        .into_iter()
        .filter(|(name, _)| has(name))
        .map(|(_, tokens)| tokens)
        .collect();
    if !extract.is_empty() {
        imports.push(quote!(use crate::extract::{#(#extract),*};));
    }
    imports.push(crate_uses(
        &used,
        &["ParameterLocation", "Rejection", "RejectionKind"],
        quote!(crate::rejection),
    ));
    if has("types") {
        imports.push(quote!(
            use crate::types;
        ));
    }

    let file = format_file(
        std::iter::once(quote! {
            //! The axum router: one handler per operation, turning HTTP requests
            //! into calls of the [`Api`] and its responses back into HTTP.

            use std::sync::Arc;

            #(#imports)*

            /// The router serving `api`. Paths and methods the API does not
            /// define are answered `404 Not Found` and `405 Method Not Allowed`
            /// (with an `Allow` header).
            pub fn router<A: Api>(api: A) -> axum::Router {
                router_arc(Arc::new(api))
            }

            /// [`router`] for an `api` that is already shared.
            pub fn router_arc<A: Api>(api: Arc<A>) -> axum::Router {
                axum::Router::new()
                    #v07
                    #(#routes)*
                    .fallback(#fallback)
                    .with_state(api)
            }
        })
        .chain(items),
    );
    (file, uses, handlers)
}

fn method_not_allowed_fn(responder: &str) -> proc_macro2::Ident {
    format_ident!("{}", responder.replacen("reject", "method_not_allowed", 1))
}

/// Identifiers used as the first segment of a path (or alone) in `tokens`:
/// what a file must import or define. `axum::extract::Request` uses `axum`,
/// not `extract`.
fn root_idents(tokens: &TokenStream, out: &mut BTreeSet<String>) {
    let mut colons = 0;
    for tree in tokens.clone() {
        match tree {
            proc_macro2::TokenTree::Ident(ident) => {
                if colons < 2 {
                    out.insert(ident.to_string());
                }
                colons = 0;
            }
            proc_macro2::TokenTree::Punct(punct) => {
                colons = if punct.as_char() == ':' {
                    colons + 1
                } else {
                    0
                };
            }
            proc_macro2::TokenTree::Group(group) => {
                root_idents(&group.stream(), out);
                colons = 0;
            }
            proc_macro2::TokenTree::Literal(_) => colons = 0,
        }
    }
}

/// `use #module::{...};` for the `names` that `used` contains.
fn crate_uses(used: &BTreeSet<String>, names: &[&str], module: TokenStream) -> TokenStream {
    let names: Vec<proc_macro2::Ident> = names
        .iter()
        .filter(|name| used.contains(**name))
        .map(|name| format_ident!("{name}"))
        .collect();
    match names.as_slice() {
        [] => quote!(),
        [one] => quote!(use #module::#one;),
        many => quote!(use #module::{#(#many),*};),
    }
}

/// The handler of one operation, the function reading its `Request`, and
/// the one turning its response into HTTP.
fn operation_items(plan: &Plan<'_>, op: &Operation, uses: &Uses) -> TokenStream {
    let types = types_path();
    let name = ident(&op.name);
    let op_name = op.name.as_str();
    let module = ident(&op.name);
    let handle = format_ident!("handle_{}", op.name);
    let build = format_ident!("request_{}", op.name);
    let respond = format_ident!("response_{}", op.name);

    let needs_input = !op.parameters.is_empty() || uses.credentials;
    let body = op.request_body.as_ref();
    let has_path_params = op
        .parameters
        .iter()
        .any(|p| p.location == ParameterLocation::Path);
    let takes_path = needs_input && has_path_params;
    let takes_request = (needs_input && (uses.query || uses.headers)) || body.is_some();
    let needs_builder = needs_input || body.is_some();
    let responder_key = plan.op_responder.get(op_name);

    let params_ty = if op.parameters.is_empty() {
        quote!(())
    } else {
        quote!(#types::operations::#module::Parameters)
    };
    let body_ty = match (request_body(op), body) {
        (Some(ty), Some(b)) if b.required => ty,
        (Some(ty), Some(_)) => quote!(Option<#ty>),
        _ => quote!(()),
    };

    // Reading the request: parts, credentials, parameters, body.
    let mut steps = Vec::new();
    if takes_request {
        steps.push(if body.is_some() {
            quote!(let (parts, body) = request.into_parts();)
        } else {
            quote!(let (parts, _) = request.into_parts();)
        });
    }
    if needs_input {
        let mut args = Vec::new();
        if uses.query || uses.headers {
            args.push(quote!(&parts));
        }
        if uses.path {
            args.push(if takes_path {
                quote!(Some(path))
            } else {
                quote!(None)
            });
        }
        if mixed_segments(op).is_empty() {
            steps.push(quote!(let input = Input::new(#(#args),*);));
        } else {
            steps.push(quote!(let mut input = Input::new(#(#args),*);));
        }
    }
    // `uses.credentials`: the API has security schemes (and this operation
    // is routed), so `Request` has a `credentials` field.
    if uses.credentials {
        steps.push(quote!(let credentials = extract::credentials(&input);));
    }
    if checks_credentials(op) {
        let field = |key: &str| {
            plan.api
                .security_schemes
                .iter()
                .find(|s| s.key == key)
                .map(|s| ident(&s.name))
        };
        let alternatives: Vec<(usize, TokenStream)> = op
            .security
            .iter()
            .filter_map(|alternative| {
                let fields: Vec<_> = alternative
                    .iter()
                    .map(|key| field(key))
                    .collect::<Option<_>>()?;
                let checks = fields.iter().map(|f| quote!(credentials.#f.is_some()));
                Some((fields.len(), quote!(#(#checks)&&*)))
            })
            .collect();
        // A requirement of several schemes is parenthesized to read apart
        // from the other alternatives, and only then: alone, the parentheses
        // would be `unused_parens`.
        let several = alternatives.len() > 1;
        let authorized = if alternatives.is_empty() {
            quote!(false)
        } else {
            let checks = alternatives.into_iter().map(|(schemes, check)| {
                if several && schemes > 1 {
                    quote!((#check))
                } else {
                    check
                }
            });
            quote!(#(#checks)||*)
        };
        let expected: Vec<String> = op
            .security
            .iter()
            .map(|alternative| {
                alternative
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            })
            .collect();
        let message = format!("missing credentials: send {}", expected.join(", or "));
        let schemes: Vec<&str> = op
            .security
            .iter()
            .flatten()
            .filter_map(|key| plan.api.security_schemes.iter().find(|s| &s.key == key))
            .filter_map(|scheme| match scheme.kind {
                SecuritySchemeKind::Bearer => Some("Bearer"),
                SecuritySchemeKind::Basic => Some("Basic"),
                SecuritySchemeKind::ApiKey { .. } => None,
            })
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        if !schemes.is_empty() {
            let message = format!(
                "invalid credentials: the Authorization header must be {}",
                schemes
                    .iter()
                    .map(|s| format!("`{s} <credentials>`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            );
            steps.push(quote! {
                if input.unreadable_authorization(&[#(#schemes),*]) {
                    return Err(Rejection::new(RejectionKind::InvalidCredentials, #message));
                }
            });
        }
        steps.push(quote! {
            let authorized = #authorized;
            if !authorized {
                return Err(Rejection::new(RejectionKind::MissingCredentials, #message));
            }
        });
    }
    for template in mixed_segments(op) {
        let capture = capture_name(template);
        steps.push(quote!(input.split_segment(#capture, #template)?;));
    }
    let parameters = if op.parameters.is_empty() {
        quote!(())
    } else {
        let fields = op.parameters.iter().map(|p| {
            let field = ident(&p.name);
            let location = location_tokens(p.location);
            let wire = &p.wire_name;
            let read = match (reader(plan.api, p), p.required) {
                (Reader::Scalar, true) => quote!(input.required(#location, #wire)),
                (Reader::Scalar, false) => quote!(input.optional(#location, #wire)),
                (Reader::List(delimiter), required) => {
                    let delimiter = match delimiter {
                        Some(c) => quote!(Some(#c)),
                        None => quote!(None),
                    };
                    if required {
                        quote!(input.required_list(#location, #wire, #delimiter))
                    } else {
                        quote!(input.optional_list(#location, #wire, #delimiter))
                    }
                }
                (Reader::Deep, true) => quote!(input.required_deep(#wire)),
                (Reader::Deep, false) => quote!(input.optional_deep(#wire)),
                (Reader::Json, true) => quote!(input.required_json(#location, #wire)),
                (Reader::Json, false) => quote!(input.optional_json(#location, #wire)),
            };
            quote!(#field: #read?)
        });
        quote!(#types::operations::#module::Parameters { #(#fields,)* })
    };
    let body_expr = match body {
        None => quote!(()),
        Some(b) => {
            let mut read = body_reader(op, b);
            if declares_unsupported_media_type(op) {
                read = quote!(#read.map_err(Rejection::unsupported_as_415));
            }
            if b.required {
                quote!(extract::required_body(#read?)?)
            } else {
                quote!(#read?)
            }
        }
    };
    let credentials = if uses.credentials {
        quote!(credentials)
    } else {
        quote!()
    };
    let request_value =
        quote!(crate::Request { parameters: #parameters, body: #body_expr, #credentials });

    let mut args = Vec::new();
    let mut call_args = Vec::new();
    if takes_path {
        args.push(quote!(path: Result<RawPathParams, RawPathParamsRejection>));
        call_args.push(quote!(path));
    }
    if takes_request {
        args.push(quote!(request: axum::extract::Request));
        call_args.push(quote!(request));
    }
    let (asyncness, awaited) = if body.is_some() {
        (quote!(async), quote!(.await))
    } else {
        (quote!(), quote!())
    };

    let mut builder = TokenStream::new();
    let handler_body = if !needs_builder {
        let request = &request_value;
        quote!(#respond(api.#name(#request).await))
    } else if let Some(key) = responder_key {
        let reject = match plan.responder(key) {
            Some(responder) => {
                let responder = format_ident!("{responder}");
                quote!(#responder(&*api, rejection.in_operation(#op_name)))
            }
            None => quote!(empty_response(rejection.status())),
        };
        let doc = format!("Reads the request of [`Api::{op_name}`], or tells why it is rejected.");
        let doc = doc_attrs(Some(&doc));
        let request = &request_value;
        builder = quote! {
            #doc
            #asyncness fn #build(#(#args),*) -> Result<crate::Request<#params_ty, #body_ty>, Rejection> {
                #(#steps)*
                Ok(#request)
            }
        };
        quote! {
            match #build(#(#call_args),*)#awaited {
                Ok(request) => #respond(api.#name(request).await),
                Err(rejection) => #reject,
            }
        }
    } else {
        let doc = format!("Reads the request of [`Api::{op_name}`].");
        let doc = doc_attrs(Some(&doc));
        let request = &request_value;
        builder = quote! {
            #doc
            #asyncness fn #build(#(#args),*) -> crate::Request<#params_ty, #body_ty> {
                #(#steps)*
                #request
            }
        };
        quote!(#respond(api.#name(#build(#(#call_args),*)#awaited).await))
    };
    let handler_doc = format!(
        "`{} {}`: calls [`Api::{op_name}`].",
        op.method.as_str(),
        op.path
    );
    let handler_doc = doc_attrs(Some(&handler_doc));
    let respond_fn = response_fn(plan, op);
    let body_fns = body.map(|b| body_fns(op, b));
    quote! {
        #handler_doc
        async fn #handle<A: Api>(State(api): State<Arc<A>>, #(#args),*) -> Response {
            #handler_body
        }

        #builder

        #body_fns

        #respond_fn
    }
}

/// The templates of an operation's path segments that hold several
/// parameters, or a parameter and text.
fn mixed_segments(op: &Operation) -> Vec<&str> {
    parse_template(&op.path)
        .map(|segments| {
            segments
                .into_iter()
                .filter_map(|s| match s {
                    Segment::Mixed { template, .. } => Some(template),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The expression reading an operation's body, as a `Result<Option<_>,
/// Rejection>` to await.
fn body_reader(op: &Operation, body: &RequestBody) -> TokenStream {
    match body.contents.as_slice() {
        [content] => content_reader(op, content),
        _ => {
            let read = format_ident!("body_{}", op.name);
            quote!(#read(parts, body).await)
        }
    }
}

/// The expression reading one media type of a body (checking the request's
/// `Content-Type`), as a `Result<Option<_>, Rejection>`.
fn content_reader(op: &Operation, content: &Content) -> TokenStream {
    let media = essence(&content.media_type);
    match &content.payload {
        Payload::Json(_) => quote!(extract::json_body(parts, body).await),
        Payload::Form { .. } => quote!(extract::form_body(parts, body).await),
        Payload::Text => quote!(extract::text_body(parts, body, #media).await),
        Payload::Binary => quote!(extract::binary_body(&parts, body, #media)),
        Payload::Multipart(_) => {
            let read = format_ident!("multipart_{}", op.name);
            quote!(#read(parts, body).await)
        }
    }
}

/// The functions an operation's body needs beside the shared readers: one
/// choosing the media type, one reading the parts of a multipart body.
fn body_fns(op: &Operation, body: &RequestBody) -> TokenStream {
    let types = types_path();
    let module = ident(&op.name);
    let op_name = &op.name;
    let mut items = Vec::new();
    for content in &body.contents {
        let Payload::Multipart(fields) = &content.payload else {
            continue;
        };
        let read = format_ident!("multipart_{}", op.name);
        let doc = doc_attrs(Some(&format!(
            "Reads the `multipart/form-data` body of [`Api::{op_name}`]."
        )));
        let fields = fields.iter().map(|field| {
            let name = ident(&field.name);
            let wire = &field.wire_name;
            let value = match (&field.part, field.required) {
                (PartKind::File, true) => quote!(form.file(#wire)?),
                (PartKind::File, false) => quote!(form.optional_file(#wire)),
                (PartKind::Files, _) => quote!(form.files(#wire)),
                (PartKind::Value(_), true) => quote!(form.required(#wire)?),
                (PartKind::Value(_), false) => quote!(form.optional(#wire)?),
            };
            quote!(#name: #value)
        });
        items.push(quote! {
            #doc
            async fn #read(parts: Parts, body: axum::body::Body) -> Result<Option<#types::operations::#module::Multipart>, Rejection> {
                let Some(mut form) = extract::multipart_body(parts, body).await? else {
                    return Ok(None);
                };
                Ok(Some(#types::operations::#module::Multipart { #(#fields,)* }))
            }
        });
    }
    if body.contents.len() > 1 {
        let read = format_ident!("body_{}", op.name);
        let doc = doc_attrs(Some(&format!(
            "Reads the body of [`Api::{op_name}`] in the media type its `Content-Type` names."
        )));
        let body_ty = request_body(op).unwrap_or_default();
        // Exact media types first, then families: any JSON for the first
        // JSON body, `type/*`, and last `*/*`.
        let json_bodies = body
            .contents
            .iter()
            .filter(|c| matches!(c.payload, Payload::Json(_)))
            .count();
        let mut exact = Vec::new();
        let mut families = Vec::new();
        let mut any = None;
        let mut json_family = false;
        for content in &body.contents {
            let variant = ident(&content.variant);
            let read = content_reader(op, content);
            let value = quote!(Ok(#read?.map(#types::operations::#module::Body::#variant)));
            let media = essence(&content.media_type);
            let json = matches!(content.payload, Payload::Json(_));
            if !media.contains('*') && (!json || json_bodies > 1) {
                exact.push(quote!(Some(#media) => #value,));
            }
            if json && !json_family {
                json_family = true;
                families.push(quote!(Some(media) if extract::is_json(media) => #value,));
            } else if media == "*/*" {
                any.get_or_insert(quote!(Some(_) => #value,));
            } else if let Some(prefix) = media.strip_suffix('*') {
                families.push(quote!(Some(media) if media.starts_with(#prefix) => #value,));
            }
        }
        families.extend(any);
        let accepted: Vec<String> = body
            .contents
            .iter()
            .map(|c| format!("`{}`", essence(&c.media_type)))
            .collect();
        let accepted = match accepted.split_last() {
            Some((last, init)) if !init.is_empty() => format!("{} or {last}", init.join(", ")),
            _ => accepted.concat(),
        };
        items.push(quote! {
            #doc
            async fn #read(parts: Parts, body: axum::body::Body) -> Result<Option<#body_ty>, Rejection> {
                if extract::is_empty(&body) {
                    return Ok(None);
                }
                match extract::media_type(&parts.headers).as_deref() {
                    #(#exact)*
                    #(#families)*
                    _ => Err(extract::unsupported_media_type(#accepted)),
                }
            }
        });
    }
    quote!(#(#items)*)
}

/// Turns an operation's `Response` into HTTP.
fn response_fn(plan: &Plan<'_>, op: &Operation) -> TokenStream {
    let types = types_path();
    let module = ident(&op.name);
    let respond = format_ident!("response_{}", op.name);
    let enum_path = quote!(#types::operations::#module::Response);
    let mut arms = Vec::new();
    for response in &op.responses {
        let variant = ident(&response.variant);
        let payload = plan
            .payloads
            .get(&(op.name.as_str(), response.variant.as_str()))
            .cloned()
            .flatten();
        let status = match response.status {
            Status::Code(code) => {
                let code = u16_lit(code);
                quote!(#code)
            }
            Status::Range(_) | Status::Default => quote!(status),
        };
        let mut send = match &payload {
            Some(payload) => body_call(payload, status.clone(), quote!(body)),
            None => quote!(empty_response(#status)),
        };
        if !response.headers.is_empty() {
            let headers = response.headers.iter().map(|header| {
                let name = header.wire_name.to_ascii_lowercase();
                let field = ident(&header.name);
                quote!((#name, header_value(&headers.#field)))
            });
            send = quote!(with_headers(#send, [#(#headers),*]));
        }
        let pattern = match variant_shape(response) {
            VariantShape::Unit => quote!(#enum_path::#variant),
            VariantShape::Tuple => quote!(#enum_path::#variant(body)),
            VariantShape::Fields => {
                let status = (!matches!(response.status, Status::Code(_))).then(|| quote!(status));
                let body = payload.is_some().then(|| quote!(body));
                let headers = (!response.headers.is_empty()).then(|| quote!(headers));
                let fields = [status, body, headers].into_iter().flatten();
                quote!(#enum_path::#variant { #(#fields),* })
            }
        };
        match status_guard(op, response.status) {
            None => arms.push(quote!(#pattern => #send)),
            Some(guard) => {
                arms.push(quote!(#pattern if #guard => #send));
                arms.push(quote!(#enum_path::#variant { .. } => undeclared_status()));
            }
        }
    }
    let doc = format!("Sends a response of [`Api::{}`].", op.name);
    let doc = doc_attrs(Some(&doc));
    quote! {
        #doc
        fn #respond(response: #enum_path) -> Response {
            match response {
                #(#arms,)*
            }
        }
    }
}

/// When a range or `default` response's status is really its own: within
/// the range, and not declared by a more specific sibling. `None`: always.
fn status_guard(op: &Operation, status: Status) -> Option<TokenStream> {
    let codes: Vec<u16> = op
        .responses
        .iter()
        .filter_map(|r| match r.status {
            Status::Code(c) => Some(c),
            _ => None,
        })
        .collect();
    let not_codes = |codes: Vec<u16>| -> Option<TokenStream> {
        match codes.as_slice() {
            [] => None,
            [one] => {
                let one = u16_lit(*one);
                Some(quote!(status != #one))
            }
            many => {
                let many = many.iter().map(|c| u16_lit(*c));
                Some(quote!(!matches!(status, #(#many)|*)))
            }
        }
    };
    let range_bounds = |r: u8| {
        (
            u16_lit(u16::from(r) * 100),
            u16_lit(u16::from(r) * 100 + 99),
        )
    };
    match status {
        Status::Code(_) => None,
        Status::Range(r) => {
            let (lo, hi) = range_bounds(r);
            let inside = quote!((#lo..=#hi).contains(&status));
            let own: Vec<u16> = codes
                .into_iter()
                .filter(|c| c / 100 == u16::from(r))
                .collect();
            Some(match not_codes(own) {
                None => inside,
                Some(not) => quote!(#inside && #not),
            })
        }
        Status::Default => {
            let ranges: Vec<u8> = op
                .responses
                .iter()
                .filter_map(|r| match r.status {
                    Status::Range(r) => Some(r),
                    _ => None,
                })
                .collect();
            // Codes inside a declared range are excluded by the range already.
            let codes: Vec<u16> = codes
                .into_iter()
                .filter(|c| !ranges.iter().any(|r| c / 100 == u16::from(*r)))
                .collect();
            let mut conditions: Vec<TokenStream> = not_codes(codes).into_iter().collect();
            for r in ranges {
                let (lo, hi) = range_bounds(r);
                conditions.push(quote!(!(#lo..=#hi).contains(&status)));
            }
            if conditions.is_empty() {
                None
            } else {
                Some(quote!(#(#conditions)&&*))
            }
        }
    }
}

/// The call sending `body` (an expression) with `sent`'s encoding.
fn body_call(sent: &Sent, status: TokenStream, body: TokenStream) -> TokenStream {
    let content_type = &sent.content_type;
    match sent.body {
        BodyType::Json(_) => quote!(json_response(#status, #content_type, &#body)),
        BodyType::Text | BodyType::Bytes => quote!(raw_response(#status, #content_type, #body)),
    }
}

/// A function answering rejections with the outcome of their status.
fn responder_fn(plan: &Plan<'_>, responder: &Responder, name: &str) -> TokenStream {
    let name = format_ident!("{name}");
    let send = |outcome: &Outcome, status: TokenStream| match outcome {
        Some(payload) => {
            let hook = ident(&plan.hooks[&payload.body]);
            body_call(payload, status, quote!(api.#hook(&rejection)))
        }
        None => quote!(empty_response(#status)),
    };
    let (doc, body) = match responder {
        Responder::Uniform(payload) => (
            "Answers a rejection with its status and the body the operation declares for it."
                .to_owned(),
            send(&Some(payload.clone()), quote!(rejection.status())),
        ),
        Responder::ByStatus(key) => {
            let statuses: Vec<String> = key.iter().map(|(s, _)| s.to_string()).collect();
            // The last status takes the catch-all arm (a match must be exhaustive).
            let last = key.len().saturating_sub(1);
            let arms = key.iter().enumerate().map(|(i, (status, outcome))| {
                let code = u16_lit(*status);
                let send = send(outcome, quote!(#code));
                if i == last {
                    quote!(_ => #send)
                } else {
                    quote!(#code => #send)
                }
            });
            (
                format!(
                    "Answers a rejection ({}) with the response the operation declares for its status.",
                    statuses.join(", ")
                ),
                quote!(match rejection.status() { #(#arms,)* }),
            )
        }
    };
    let doc = doc_attrs(Some(&doc));
    quote! {
        #doc
        fn #name<A: Api>(api: &A, rejection: Rejection) -> Response {
            #body
        }
    }
}

/// The functions writing HTTP responses that `used` calls.
fn response_helpers(used: &BTreeSet<String>) -> TokenStream {
    let mut items = vec![quote! {
        /// The status for a code a response may have: a final HTTP status,
        /// 200 to 599 (1xx codes are not final, 6xx and up are not HTTP).
        fn status_code(code: u16) -> Option<StatusCode> {
            if (200..=599).contains(&code) {
                StatusCode::from_u16(code).ok()
            } else {
                None
            }
        }

        /// `500 Internal Server Error` without a body: the implementation
        /// returned something the server cannot send as the spec declares it.
        fn internal_error() -> Response {
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }];
    if used.contains("json_response") {
        items.push(quote! {
            /// `status` with `body` as JSON; 500 without a body when `status`
            /// is not a final HTTP status or `body` cannot be serialized.
            fn json_response<T: serde::Serialize>(status: u16, content_type: &'static str, body: &T) -> Response {
                match (status_code(status), serde_json::to_vec(body)) {
                    (Some(status), Ok(bytes)) => (
                        status,
                        [(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static(content_type))],
                        bytes,
                    )
                        .into_response(),
                    _ => internal_error(),
                }
            }
        });
    }
    if used.contains("raw_response") {
        items.push(quote! {
            /// `status` with `body` (text or bytes) as it is; 500 without a body
            /// when `status` is not a final HTTP status.
            fn raw_response(status: u16, content_type: &'static str, body: impl Into<axum::body::Body>) -> Response {
                match status_code(status) {
                    Some(status) => (
                        status,
                        [(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static(content_type))],
                        body.into(),
                    )
                        .into_response(),
                    None => internal_error(),
                }
            }
        });
    }
    if used.contains("with_headers") {
        items.push(quote! {
            /// A response header's value: array items joined with commas, other
            /// values as their text; `Ok(None)` for `None`, `Err` for a value
            /// a header cannot carry.
            fn header_value<T: serde::Serialize>(value: &T) -> Result<Option<axum::http::HeaderValue>, ()> {
                let text = match serde_json::to_value(value).map_err(|_| ())? {
                    serde_json::Value::Null => return Ok(None),
                    serde_json::Value::String(text) => text,
                    serde_json::Value::Array(items) => items
                        .iter()
                        .map(|item| match item {
                            serde_json::Value::String(text) => text.clone(),
                            other => other.to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join(","),
                    other => other.to_string(),
                };
                axum::http::HeaderValue::from_str(&text).map(Some).map_err(|_| ())
            }

            /// `response` with the headers its operation declares (names in
            /// lower case); 500 without a body when a value cannot be sent.
            fn with_headers<const N: usize>(
                mut response: Response,
                headers: [(&'static str, Result<Option<axum::http::HeaderValue>, ()>); N],
            ) -> Response {
                for (name, value) in headers {
                    match value {
                        Ok(Some(value)) => {
                            response.headers_mut().insert(axum::http::HeaderName::from_static(name), value);
                        }
                        Ok(None) => {}
                        Err(()) => return internal_error(),
                    }
                }
                response
            }
        });
    }
    if used.contains("empty_response") {
        items.push(quote! {
            /// `status` without a body; 500 when it is not a final HTTP status.
            fn empty_response(status: u16) -> Response {
                match status_code(status) {
                    Some(status) => status.into_response(),
                    None => internal_error(),
                }
            }
        });
    }
    if used.contains("undeclared_status") {
        items.push(quote! {
            /// A range or `default` response with a status the spec gives to
            /// another response, or to none: 500 without a body, rather than a
            /// response the spec does not declare.
            fn undeclared_status() -> Response {
                internal_error()
            }
        });
    }
    quote!(#(#items)*)
}

// ---------------------------------------------------------------------------
// extract.rs
// ---------------------------------------------------------------------------

/// `extract.rs`: of every helper the handlers may use (shaped by what the
/// requests carry), those that `router` (the handlers' code) reaches.
fn extract_rs(plan: &Plan<'_>, uses: &Uses, router: &[TokenStream]) -> String {
    let mut items = Vec::new();

    items.push(input_items(uses));
    items.push(quote! {
        /// A parameter whose value cannot be read.
        fn invalid(name: &'static str, location: ParameterLocation, error: impl std::fmt::Display) -> Rejection {
            Rejection::new(
                RejectionKind::InvalidParameter { name, location },
                format!("invalid {location} parameter `{name}`: {error}"),
            )
        }
    });
    items.push(quote! {
        /// Reads one raw value as `T`: first as a JSON string (strings,
        /// uuids, dates, enums), then as a JSON literal (numbers, booleans).
        fn parse<T: DeserializeOwned>(raw: &str) -> Result<T, String> {
            match serde_json::from_value(serde_json::Value::String(raw.to_owned())) {
                Ok(value) => Ok(value),
                Err(error) => {
                    if raw.is_empty() || raw.trim() != raw {
                        return Err(error.to_string());
                    }
                    serde_json::from_str(raw).map_err(|_| error.to_string())
                }
            }
        }
    });
    items.push(quote! {
        /// A required parameter that is absent.
        fn missing(name: &'static str, location: ParameterLocation) -> Rejection {
            Rejection::new(
                RejectionKind::MissingParameter { name, location },
                format!("missing required {location} parameter `{name}`"),
            )
        }
    });
    items.push(quote! {
        /// The values of the cookies named `name`, from every `Cookie` header.
        fn cookies<'h>(headers: &'h HeaderMap, name: &'h str) -> impl Iterator<Item = &'h str> + 'h {
            headers
                .get_all(axum::http::header::COOKIE)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(';'))
                .filter_map(move |pair| {
                    let (key, value) = pair.split_once('=')?;
                    (key.trim() == name).then_some(value.trim())
                })
        }
    });
    items.push(credentials_fn(plan, uses));
    items.push(quote! {
        /// Standard base64 (padding optional); `None` when not base64.
        fn base64_decode(input: &str) -> Option<Vec<u8>> {
            let input = input.trim_end_matches('=');
            let mut out = Vec::with_capacity(input.len() / 4 * 3 + 2);
            let mut buffer: u32 = 0;
            let mut bits: u32 = 0;
            for byte in input.bytes() {
                let value = match byte {
                    b'A'..=b'Z' => byte - b'A',
                    b'a'..=b'z' => byte - b'a' + 26,
                    b'0'..=b'9' => byte - b'0' + 52,
                    b'+' => 62,
                    b'/' => 63,
                    _ => return None,
                };
                buffer = (buffer << 6) | u32::from(value);
                bits += 6;
                if bits >= 8 {
                    bits -= 8;
                    out.push(((buffer >> bits) & 0xff) as u8);
                    buffer &= (1 << bits) - 1;
                }
            }
            Some(out)
        }
    });
    items.extend(body_items(uses));
    let items = prune::reachable(router, quote!(#(#items)*));

    let mut used = BTreeSet::new();
    root_idents(&items, &mut used);
    let has = |name: &str| used.contains(name);
    let mut imports = Vec::new();
    if has("RawPathParams") {
        imports.push(quote! {
            use axum::extract::rejection::RawPathParamsRejection;
            use axum::extract::RawPathParams;
        });
    }
    if has("Parts") {
        imports.push(quote!(
            use axum::http::request::Parts;
        ));
    }
    if has("HeaderMap") {
        imports.push(quote!(
            use axum::http::HeaderMap;
        ));
    }
    if has("DeserializeOwned") {
        imports.push(quote!(
            use serde::de::DeserializeOwned;
        ));
    }
    imports.push(crate_uses(
        &used,
        &["ParameterLocation", "Rejection", "RejectionKind"],
        quote!(crate::rejection),
    ));
    if has("types") {
        imports.push(quote!(
            use crate::types;
        ));
    }

    format_file(
        std::iter::once(quote! {
            //! Helpers the handlers share: raw request parts into typed values.

            #(#imports)*
        })
        .chain(std::iter::once(items)),
    )
}

/// The body readers `extract.rs` may provide.
fn body_items(uses: &Uses) -> Vec<TokenStream> {
    let mut items = Vec::new();
    items.push(quote! {
        /// The essence of the request's `Content-Type` (`type/subtype`, in
        /// lower case), if it has one.
        pub(crate) fn media_type(headers: &HeaderMap) -> Option<String> {
            let value = headers.get(axum::http::header::CONTENT_TYPE)?.to_str().ok()?;
            let essence = value.split_once(';').map_or(value, |(essence, _)| essence);
            Some(essence.trim().to_ascii_lowercase())
        }

        /// A body in a media type the operation does not accept.
        pub(crate) fn unsupported_media_type(accepted: &str) -> Rejection {
            Rejection::new(
                RejectionKind::UnsupportedMediaType,
                format!("the request body must be sent as {accepted}"),
            )
        }
    });
    items.push(quote! {
        /// The whole body. The size limit is axum's (`DefaultBodyLimit`); a
        /// larger body is an invalid one.
        async fn read_body(parts: Parts, body: axum::body::Body) -> Result<axum::body::Bytes, Rejection> {
            use axum::extract::FromRequest;

            let request = axum::extract::Request::from_parts(parts, body);
            axum::body::Bytes::from_request(request, &()).await.map_err(|rejection| {
                Rejection::new(RejectionKind::InvalidBody, format!("cannot read the request body: {}", rejection.body_text()))
            })
        }
    });
    items.push(quote! {
        /// Whether the request has no body at all.
        pub(crate) fn is_empty(body: &axum::body::Body) -> bool {
            axum::body::HttpBody::is_end_stream(body)
        }
    });
    items.push(quote! {
        /// Whether a media type is `declared`, or within it when it is a
        /// wildcard (`image/*`, `*/*`).
        fn media_matches(declared: &str, media_type: &str) -> bool {
            match declared.strip_suffix('*') {
                Some(prefix) => media_type.starts_with(prefix),
                None => declared == media_type,
            }
        }
    });
    items.push(quote! {
        /// Whether a media type (an essence) is JSON: `application/json`,
        /// `text/json` or `+json`.
        pub(crate) fn is_json(media_type: &str) -> bool {
            media_type == "application/json" || media_type == "text/json" || media_type.ends_with("+json")
        }
    });
    items.push(quote! {
        /// Reads and decodes a JSON body; `None` when the request has no body.
        pub(crate) async fn json_body<T: DeserializeOwned>(parts: Parts, body: axum::body::Body) -> Result<Option<T>, Rejection> {
            let json = media_type(&parts.headers).is_some_and(|media_type| is_json(&media_type));
            let bytes = read_body(parts, body).await?;
            if bytes.is_empty() {
                return Ok(None);
            }
            if !json {
                return Err(unsupported_media_type("`application/json`"));
            }
            serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|error| Rejection::new(RejectionKind::InvalidBody, format!("invalid request body: {error}")))
        }
    });
    items.push(quote! {
        /// Reads and decodes an `application/x-www-form-urlencoded` body;
        /// `None` when the request has no body.
        pub(crate) async fn form_body<T: DeserializeOwned>(parts: Parts, body: axum::body::Body) -> Result<Option<T>, Rejection> {
            let form = media_type(&parts.headers).as_deref() == Some("application/x-www-form-urlencoded");
            let bytes = read_body(parts, body).await?;
            if bytes.is_empty() {
                return Ok(None);
            }
            if !form {
                return Err(unsupported_media_type("`application/x-www-form-urlencoded`"));
            }
            let invalid = |error: String| Rejection::new(RejectionKind::InvalidBody, format!("invalid request body: {error}"));
            let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).map_err(|error| invalid(error.to_string()))?;
            T::deserialize(&FormValue::from_pairs(pairs)).map(Some).map_err(|error| invalid(error.to_string()))
        }
    });
    items.push(quote! {
        /// Reads a text body in the `declared` media type; `None` when the
        /// request has no body.
        pub(crate) async fn text_body(parts: Parts, body: axum::body::Body, declared: &str) -> Result<Option<String>, Rejection> {
            let matches = media_type(&parts.headers).is_some_and(|media_type| media_matches(declared, &media_type));
            let bytes = read_body(parts, body).await?;
            if bytes.is_empty() {
                return Ok(None);
            }
            if !matches {
                return Err(unsupported_media_type(&format!("`{declared}`")));
            }
            String::from_utf8(bytes.into()).map(Some).map_err(|_| {
                Rejection::new(RejectionKind::InvalidBody, "the request body is not UTF-8 text")
            })
        }
    });
    items.push(quote! {
        /// A binary body in the `declared` media type, unread: the handler
        /// streams it. `None` when the request has no body. A body sent
        /// without a `Content-Type` is taken for bytes of any type.
        pub(crate) fn binary_body(parts: &Parts, body: axum::body::Body, declared: &str) -> Result<Option<axum::body::Body>, Rejection> {
            if is_empty(&body) {
                return Ok(None);
            }
            match media_type(&parts.headers) {
                Some(media_type) if !media_matches(declared, &media_type) => {
                    Err(unsupported_media_type(&format!("`{declared}`")))
                }
                _ => Ok(Some(body)),
            }
        }
    });
    items.push(multipart_items(uses));
    items.push(form_value_items());
    items.push(quote! {
        /// The body of an operation that requires one.
        pub(crate) fn required_body<T>(body: Option<T>) -> Result<T, Rejection> {
            body.ok_or_else(|| Rejection::new(RejectionKind::MissingBody, "the request body is required"))
        }
    });
    items
}

/// Reading `multipart/form-data` bodies (with axum's `multipart` feature),
/// and the accessors the handlers use.
fn multipart_items(uses: &Uses) -> TokenStream {
    let mut methods = Vec::new();
    let files = uses.multipart_file_names;
    methods.push(quote! {
        /// Takes the parts named `name`, in order.
        fn take(&mut self, name: &str) -> Vec<Part> {
            let (taken, kept) = std::mem::take(&mut self.parts)
                .into_iter()
                .partition(|part| part.name == name);
            self.parts = kept;
            taken
        }
    });
    methods.push(quote! {
        /// The files sent as `name`.
        pub(crate) fn files(&mut self, name: &str) -> Vec<types::operations::File> {
            self.take(name).into_iter().map(Part::into_file).collect()
        }
    });
    methods.push(quote! {
        /// The file sent as `name` (the first, when sent several times).
        pub(crate) fn optional_file(&mut self, name: &str) -> Option<types::operations::File> {
            self.take(name).into_iter().next().map(Part::into_file)
        }
    });
    methods.push(quote! {
        /// The file sent as `name`, which the operation requires.
        pub(crate) fn file(&mut self, name: &'static str) -> Result<types::operations::File, Rejection> {
            self.optional_file(name).ok_or_else(|| missing_part(name))
        }
    });
    methods.push(quote! {
        /// The value sent as `name`: one JSON part (`Content-Type` JSON) is
        /// decoded as JSON; text parts are read as `T`, one per item when `T`
        /// is a list.
        pub(crate) fn optional<T: DeserializeOwned>(&mut self, name: &'static str) -> Result<Option<T>, Rejection> {
            let invalid = |error: String| {
                Rejection::new(RejectionKind::InvalidBody, format!("invalid part `{name}`: {error}"))
            };
            let parts = self.take(name);
            if let [part] = parts.as_slice() {
                if part.is_json() {
                    return serde_json::from_slice(&part.bytes).map(Some).map_err(|error| invalid(error.to_string()));
                }
            }
            let mut values = parts
                .into_iter()
                .map(|part| part.text().map(FormValue::Text))
                .collect::<Result<Vec<_>, _>>()
                .map_err(&invalid)?;
            let value = match values.len() {
                0 => return Ok(None),
                1 => values.swap_remove(0),
                _ => FormValue::List(values),
            };
            T::deserialize(&value).map(Some).map_err(|error| invalid(error.to_string()))
        }
    });
    methods.push(quote! {
        /// The value sent as `name`, which the operation requires.
        pub(crate) fn required<T: DeserializeOwned>(&mut self, name: &'static str) -> Result<T, Rejection> {
            self.optional(name)?.ok_or_else(|| missing_part(name))
        }
    });
    // Only files keep the part's file name.
    let file_name_field = files.then(|| {
        quote! {
            /// The `filename` of its `Content-Disposition`.
            file_name: Option<String>,
        }
    });
    let read_file_name =
        files.then(|| quote!(let file_name = field.file_name().map(str::to_owned);));
    let file_name_init = files.then(|| quote!(file_name,));
    let missing = quote! {
        /// A part the operation requires, absent.
        fn missing_part(name: &'static str) -> Rejection {
            Rejection::new(RejectionKind::InvalidBody, format!("missing part `{name}`"))
        }
    };
    let part_methods = {
        let mut part_methods = Vec::new();
        part_methods.push(quote! {
            /// The part as a file.
            fn into_file(self) -> types::operations::File {
                types::operations::File {
                    file_name: self.file_name,
                    content_type: self.content_type,
                    bytes: self.bytes.into(),
                }
            }
        });
        part_methods.push(quote! {
            /// Whether the part says it is JSON.
            fn is_json(&self) -> bool {
                self.content_type.as_deref().is_some_and(|value| {
                    let essence = value.split_once(';').map_or(value, |(essence, _)| essence);
                    is_json(&essence.trim().to_ascii_lowercase())
                })
            }

            /// The part's content as text.
            fn text(self) -> Result<String, String> {
                String::from_utf8(self.bytes.into()).map_err(|_| "not UTF-8 text".to_owned())
            }
        });
        quote!(impl Part { #(#part_methods)* })
    };
    quote! {
        /// A part of a `multipart/form-data` body.
        struct Part {
            /// The `name` of its `Content-Disposition`.
            name: String,
            #file_name_field
            /// Its `Content-Type`.
            content_type: Option<String>,
            /// Its content.
            bytes: axum::body::Bytes,
        }

        #part_methods

        /// The parts of a `multipart/form-data` body, read whole (within axum's
        /// body size limit, `DefaultBodyLimit`).
        pub(crate) struct MultipartForm {
            /// The parts not taken yet, in order.
            parts: Vec<Part>,
        }

        impl MultipartForm {
            #(#methods)*
        }

        #missing

        /// Reads a `multipart/form-data` body; `None` when the request has no
        /// body.
        pub(crate) async fn multipart_body(parts: Parts, body: axum::body::Body) -> Result<Option<MultipartForm>, Rejection> {
            use axum::extract::FromRequest;

            if is_empty(&body) {
                return Ok(None);
            }
            if media_type(&parts.headers).as_deref() != Some("multipart/form-data") {
                return Err(unsupported_media_type("`multipart/form-data`"));
            }
            let invalid = |error: String| {
                Rejection::new(RejectionKind::InvalidBody, format!("invalid multipart body: {error}"))
            };
            let request = axum::extract::Request::from_parts(parts, body);
            let mut multipart = axum::extract::Multipart::from_request(request, &())
                .await
                .map_err(|rejection| invalid(rejection.body_text()))?;
            let mut form = Vec::new();
            while let Some(field) = multipart.next_field().await.map_err(|error| invalid(error.body_text()))? {
                let name = field.name().unwrap_or_default().to_owned();
                #read_file_name
                let content_type = field.content_type().map(str::to_owned);
                let bytes = field.bytes().await.map_err(|error| invalid(error.body_text()))?;
                form.push(Part { name, #file_name_init content_type, bytes });
            }
            Ok(Some(MultipartForm { parts: form }))
        }
    }
}

/// `FormValue`: `key=value` pairs (forms, `deepObject` parameters, multipart
/// text parts) read as any serde type. Only forms and `deepObject`
/// parameters construct named values and parse keys; without them, pruning
/// removes the `Map` variant with its arms, and the key parsing.
fn form_value_items() -> TokenStream {
    let numbers = [
        ("deserialize_i8", "visit_i8", "an integer"),
        ("deserialize_i16", "visit_i16", "an integer"),
        ("deserialize_i32", "visit_i32", "an integer"),
        ("deserialize_i64", "visit_i64", "an integer"),
        ("deserialize_u8", "visit_u8", "an integer"),
        ("deserialize_u16", "visit_u16", "an integer"),
        ("deserialize_u32", "visit_u32", "an integer"),
        ("deserialize_u64", "visit_u64", "an integer"),
        ("deserialize_f32", "visit_f32", "a number"),
        ("deserialize_f64", "visit_f64", "a number"),
        ("deserialize_bool", "visit_bool", "a boolean"),
    ]
    .map(|(method, visit, what)| {
        let method = format_ident!("{method}");
        let visit = format_ident!("{visit}");
        quote! {
            fn #method<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
                visitor.#visit(self.parse(#what)?)
            }
        }
    });
    quote! {
        /// A value of a form: the text of a field, the values of a repeated
        /// field (`key=1&key=2`, `key[]=1`, `key[0]=1`), or the fields of an
        /// object (`key[name]=...`). It deserializes into any serde type,
        /// reading text as the type asks (numbers, booleans, enums; objects
        /// sent as one JSON text too).
        pub(crate) enum FormValue {
            /// One value.
            Text(String),
            /// Several values.
            List(Vec<FormValue>),
            /// Named values.
            Map(Vec<(String, FormValue)>),
        }

        /// Why a form value cannot be read as a type.
        type FormError = serde::de::value::Error;

        /// The path of a form key: `a[b][]` is `a`, `b`, ``; a key that is not
        /// such a path is itself.
        fn key_path(key: &str) -> Vec<&str> {
            let Some(open) = key.find('[').filter(|open| *open > 0) else {
                return vec![key];
            };
            let (head, mut rest) = key.split_at(open);
            let mut path = vec![head];
            while let Some(inner) = rest.strip_prefix('[') {
                let Some(close) = inner.find(']') else {
                    return vec![key];
                };
                path.push(&inner[..close]);
                rest = &inner[close + 1..];
            }
            if rest.is_empty() {
                path
            } else {
                vec![key]
            }
        }

        impl FormValue {
            /// The object of `key=value` pairs.
            pub(crate) fn from_pairs(pairs: Vec<(String, String)>) -> FormValue {
                let mut object = FormValue::Map(Vec::new());
                for (key, value) in pairs {
                    object.insert(&key_path(&key), value);
                }
                object
            }

            /// A value holding `value` at `path`.
            fn new(path: &[&str], value: String) -> FormValue {
                let mut node = match path.first() {
                    None => return FormValue::Text(value),
                    Some(key) if key.bytes().all(|b| b.is_ascii_digit()) => FormValue::List(Vec::new()),
                    Some(_) => FormValue::Map(Vec::new()),
                };
                node.insert(path, value);
                node
            }

            /// Adds `value` at `path` below this value. A key that is already
            /// text does not become an object (`a=1&a[b]=2` keeps `a=1`).
            pub(crate) fn insert(&mut self, path: &[&str], value: String) {
                let Some((key, rest)) = path.split_first() else {
                    return;
                };
                match self {
                    FormValue::Map(entries) => match entries.iter_mut().find(|(k, _)| k == key) {
                        Some((_, child)) if rest.is_empty() => child.push(value),
                        Some((_, child)) => child.insert(rest, value),
                        None => entries.push(((*key).to_owned(), FormValue::new(rest, value))),
                    },
                    // `key[]` appends; `key[n]` is the n-th item, or a new one.
                    FormValue::List(items) => match key.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                        Some(item) if rest.is_empty() => item.push(value),
                        Some(item) => item.insert(rest, value),
                        None => items.push(FormValue::new(rest, value)),
                    },
                    FormValue::Text(_) => {}
                }
            }

            /// Adds another value for the same key: the values become a list.
            fn push(&mut self, value: String) {
                match self {
                    FormValue::List(items) => items.push(FormValue::Text(value)),
                    FormValue::Text(first) => {
                        let first = FormValue::Text(std::mem::take(first));
                        *self = FormValue::List(vec![first, FormValue::Text(value)]);
                    }
                    FormValue::Map(_) => {}
                }
            }
        }

        impl FormValue {
            /// The text of a single value.
            fn text(&self) -> Result<&str, FormError> {
                match self {
                    FormValue::Text(text) => Ok(text),
                    FormValue::List(_) => Err(serde::de::Error::custom("expected one value, found several")),
                    FormValue::Map(_) => Err(serde::de::Error::custom("expected a value, found named values")),
                }
            }

            /// The text of a single value, parsed.
            fn parse<T: std::str::FromStr>(&self, what: &str) -> Result<T, FormError> {
                let text = self.text()?;
                text.parse().map_err(|_| serde::de::Error::custom(format!("`{text}` is not {what}")))
            }
        }

        impl<'de> serde::de::IntoDeserializer<'de, FormError> for &'de FormValue {
            type Deserializer = Self;

            fn into_deserializer(self) -> Self {
                self
            }
        }

        impl<'de> serde::Deserializer<'de> for &'de FormValue {
            type Error = FormError;

            fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
                match self {
                    FormValue::Text(text) => visitor.visit_borrowed_str(text),
                    FormValue::List(items) => visitor.visit_seq(serde::de::value::SeqDeserializer::new(items.iter())),
                    FormValue::Map(entries) => visitor.visit_map(serde::de::value::MapDeserializer::new(
                        entries.iter().map(|(key, value)| (key.as_str(), value)),
                    )),
                }
            }

            #(#numbers)*

            fn deserialize_option<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
                visitor.visit_some(self)
            }

            fn deserialize_newtype_struct<V: serde::de::Visitor<'de>>(self, _name: &'static str, visitor: V) -> Result<V::Value, FormError> {
                visitor.visit_newtype_struct(self)
            }

            /// A single value is a list of one; named values are a list of their values.
            fn deserialize_seq<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
                match self {
                    FormValue::Text(_) => visitor.visit_seq(serde::de::value::SeqDeserializer::new(std::iter::once(self))),
                    FormValue::List(items) => visitor.visit_seq(serde::de::value::SeqDeserializer::new(items.iter())),
                    FormValue::Map(entries) => visitor.visit_seq(serde::de::value::SeqDeserializer::new(entries.iter().map(|(_, value)| value))),
                }
            }

            fn deserialize_tuple<V: serde::de::Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, FormError> {
                self.deserialize_seq(visitor)
            }

            /// Named values, or one JSON text.
            fn deserialize_map<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
                match self {
                    FormValue::Text(text) => serde_json::from_str::<serde_json::Value>(text)
                        .and_then(|json| serde::Deserializer::deserialize_map(json, visitor))
                        .map_err(serde::de::Error::custom),
                    _ => self.deserialize_any(visitor),
                }
            }

            fn deserialize_struct<V: serde::de::Visitor<'de>>(self, _name: &'static str, _fields: &'static [&'static str], visitor: V) -> Result<V::Value, FormError> {
                self.deserialize_map(visitor)
            }

            fn deserialize_enum<V: serde::de::Visitor<'de>>(self, _name: &'static str, _variants: &'static [&'static str], visitor: V) -> Result<V::Value, FormError> {
                visitor.visit_enum(serde::de::IntoDeserializer::into_deserializer(self.text()?))
            }

            serde::forward_to_deserialize_any! {
                i128 u128 char str string bytes byte_buf unit unit_struct tuple_struct identifier ignored_any
            }
        }
    }
}

/// `Input`, the raw parts parameters and credentials are read from, and its
/// readers.
fn input_items(uses: &Uses) -> TokenStream {
    let lifetime = if uses.headers { quote!(<'a>) } else { quote!() };
    let mut fields = Vec::new();
    let mut inits = Vec::new();
    let mut args = Vec::new();
    if uses.headers {
        args.push(quote!(parts: &'a Parts));
    } else if uses.query {
        args.push(quote!(parts: &Parts));
    }
    if uses.path {
        fields.push(quote! {
            /// The path's parameters, as axum matched them (`None` for
            /// operations without path parameters).
            path: Option<Result<RawPathParams, RawPathParamsRejection>>
        });
        inits.push(quote!(path));
        args.push(quote!(path: Option<Result<RawPathParams, RawPathParamsRejection>>));
    }
    if uses.query {
        fields.push(quote! {
            /// The query's key/value pairs, decoded, in order.
            query: Vec<(String, String)>
        });
        inits.push(quote! {
            query: parts
                .uri
                .query()
                .and_then(|query| serde_urlencoded::from_str(query).ok())
                .unwrap_or_default()
        });
    }
    if uses.headers {
        fields.push(quote! {
            /// The request's headers.
            headers: &'a HeaderMap
        });
        inits.push(quote!(headers: &parts.headers));
    }
    if uses.mixed_segments {
        fields.push(quote! {
            /// The parameters of path segments that hold several, split by
            /// [`Input::split_segment`].
            split: Vec<(&'static str, String)>
        });
        inits.push(quote!(split: Vec::new()));
    }
    let impl_header = if uses.headers {
        quote!(impl<'a> Input<'a>)
    } else {
        quote!(impl Input)
    };

    let mut methods = Vec::new();
    methods.push(quote! {
        /// Reads what a request carries.
        pub(crate) fn new(#(#args),*) -> Self {
            Input { #(#inits),* }
        }
    });

    methods.push(quote! {
        /// Splits the path segment axum captured as `capture` by its
        /// `template` (e.g. `{name}.{ext}`), so that its parameters can be
        /// read by name. Each parameter takes at least one character, and
        /// earlier ones as many as they can (`a.tar.gz` is `a.tar` and `gz`).
        pub(crate) fn split_segment(&mut self, capture: &str, template: &'static str) -> Result<(), Rejection> {
            let Some(Ok(params)) = &self.path else {
                // Reading the parameters reports the path's rejection.
                return Ok(());
            };
            let Some((_, value)) = params.iter().find(|(key, _)| *key == capture) else {
                return Ok(());
            };
            let mut names = Vec::new();
            let mut texts = Vec::new();
            let mut rest = template;
            while let Some((text, after)) = rest.split_once('{') {
                let (name, after) = after.split_once('}').unwrap_or((after, ""));
                texts.push(text);
                names.push(name);
                rest = after;
            }
            texts.push(rest);
            let values = split_by(value, &texts).ok_or_else(|| {
                let name = names.first().copied().unwrap_or_default();
                invalid(name, ParameterLocation::Path, format!("`{value}` does not match `{template}`"))
            })?;
            self.split.extend(names.into_iter().zip(values.into_iter().map(str::to_owned)));
            Ok(())
        }
    });
    let mut arms = Vec::new();
    let split = uses.mixed_segments.then(|| {
        quote! {
            .chain(self.split.iter().filter(|(key, _)| *key == name).map(|(_, value)| value.as_str()))
        }
    });
    if uses.path_params {
        arms.push(quote! {
            ParameterLocation::Path => match &self.path {
                Some(Ok(params)) => Ok(params
                    .iter()
                    .filter(|(key, _)| *key == name)
                    .map(|(_, value)| value)
                    #split
                    .collect()),
                Some(Err(rejection)) => Err(invalid(name, location, rejection.body_text())),
                None => Ok(Vec::new()),
            }
        });
    }
    if uses.query_params {
        arms.push(quote! {
            ParameterLocation::Query => Ok(self
                .query
                .iter()
                .filter(|(key, _)| key == name)
                .map(|(_, value)| value.as_str())
                .collect())
        });
    }
    if uses.header_params {
        arms.push(quote! {
            ParameterLocation::Header => self
                .headers
                .get_all(name)
                .iter()
                .map(|value| value.to_str().map_err(|_| invalid(name, location, "the value is not visible ASCII")))
                .collect()
        });
    }
    if uses.cookie_params {
        arms.push(quote! {
            ParameterLocation::Cookie => Ok(cookies(self.headers, name).collect())
        });
    }
    let all = uses.path_params && uses.query_params && uses.header_params && uses.cookie_params;
    if !all {
        arms.push(quote!(_ => Ok(Vec::new())));
    }
    methods.push(quote! {
        /// Every raw value sent for a parameter, in order.
        fn raw(&self, location: ParameterLocation, name: &'static str) -> Result<Vec<&str>, Rejection> {
            match location {
                #(#arms,)*
            }
        }
    });
    methods.push(quote! {
        /// An optional parameter (the first value when sent several times).
        pub(crate) fn optional<T: DeserializeOwned>(&self, location: ParameterLocation, name: &'static str) -> Result<Option<T>, Rejection> {
            match self.raw(location, name)?.first() {
                Some(raw) => parse(raw).map(Some).map_err(|error| invalid(name, location, error)),
                None => Ok(None),
            }
        }
    });
    methods.push(quote! {
        /// A required parameter (the first value when sent several times).
        pub(crate) fn required<T: DeserializeOwned>(&self, location: ParameterLocation, name: &'static str) -> Result<T, Rejection> {
            self.optional(location, name)?.ok_or_else(|| missing(name, location))
        }
    });
    methods.push(quote! {
        /// An optional array parameter: one item per occurrence without a
        /// `delimiter` (exploded query `form` style, the default), else the
        /// items of every occurrence, split at `delimiter`.
        pub(crate) fn optional_list<T: DeserializeOwned>(&self, location: ParameterLocation, name: &'static str, delimiter: Option<char>) -> Result<Option<Vec<T>>, Rejection> {
            let raw = self.raw(location, name)?;
            if raw.is_empty() {
                return Ok(None);
            }
            let items: Vec<&str> = match delimiter {
                None => raw,
                Some(delimiter) => raw
                    .iter()
                    .flat_map(|value| value.split(delimiter))
                    .map(|item| if location == ParameterLocation::Header { item.trim() } else { item })
                    .filter(|item| !item.is_empty())
                    .collect(),
            };
            items
                .into_iter()
                .map(|item| parse(item).map_err(|error| invalid(name, location, error)))
                .collect::<Result<Vec<T>, Rejection>>()
                .map(Some)
        }
    });
    methods.push(quote! {
        /// A required array parameter (see [`Input::optional_list`]).
        pub(crate) fn required_list<T: DeserializeOwned>(&self, location: ParameterLocation, name: &'static str, delimiter: Option<char>) -> Result<Vec<T>, Rejection> {
            self.optional_list(location, name, delimiter)?.ok_or_else(|| missing(name, location))
        }
    });
    methods.push(quote! {
        /// An optional object query parameter in the `deepObject` style:
        /// `name[key]=value` pairs, nested as `name[key][inner]=value`.
        pub(crate) fn optional_deep<T: DeserializeOwned>(&self, name: &'static str) -> Result<Option<T>, Rejection> {
            let mut object = FormValue::Map(Vec::new());
            let mut found = false;
            for (key, value) in &self.query {
                if let Some((head, path)) = key_path(key).split_first() {
                    if *head == name && !path.is_empty() {
                        object.insert(path, value.clone());
                        found = true;
                    }
                }
            }
            if !found {
                return Ok(None);
            }
            T::deserialize(&object)
                .map(Some)
                .map_err(|error| invalid(name, ParameterLocation::Query, error))
        }
    });
    methods.push(quote! {
        /// A required `deepObject` query parameter (see [`Input::optional_deep`]).
        pub(crate) fn required_deep<T: DeserializeOwned>(&self, name: &'static str) -> Result<T, Rejection> {
            self.optional_deep(name)?.ok_or_else(|| missing(name, ParameterLocation::Query))
        }
    });
    methods.push(quote! {
        /// An optional parameter sent as JSON text (the first value when
        /// sent several times).
        pub(crate) fn optional_json<T: DeserializeOwned>(&self, location: ParameterLocation, name: &'static str) -> Result<Option<T>, Rejection> {
            match self.raw(location, name)?.first() {
                Some(raw) => serde_json::from_str(raw).map(Some).map_err(|error| invalid(name, location, error)),
                None => Ok(None),
            }
        }
    });
    methods.push(quote! {
        /// A required parameter sent as JSON text.
        pub(crate) fn required_json<T: DeserializeOwned>(&self, location: ParameterLocation, name: &'static str) -> Result<T, Rejection> {
            self.optional_json(location, name)?.ok_or_else(|| missing(name, location))
        }
    });
    methods.push(quote! {
        /// The first value of header `name`, if it is non-empty text.
        fn header(&self, name: &str) -> Option<String> {
            self.headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .filter(|value| !value.is_empty())
                .map(str::to_owned)
        }
    });
    methods.push(quote! {
        /// The first value of query parameter `name`, if non-empty.
        fn query_value(&self, name: &str) -> Option<String> {
            self.query
                .iter()
                .find(|(key, value)| key == name && !value.is_empty())
                .map(|(_, value)| value.clone())
        }
    });
    methods.push(quote! {
        /// The first value of cookie `name`, if non-empty.
        fn cookie(&self, name: &str) -> Option<String> {
            cookies(self.headers, name).find(|value| !value.is_empty()).map(str::to_owned)
        }
    });
    methods.push(quote! {
        /// The credentials of the first `Authorization` header using
        /// `scheme` (compared case-insensitively).
        fn authorization(&self, scheme: &str) -> Option<&str> {
            self.headers
                .get_all(axum::http::header::AUTHORIZATION)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .filter_map(|value| value.trim().split_once(' '))
                .find(|(name, _)| name.eq_ignore_ascii_case(scheme))
                .map(|(_, credentials)| credentials.trim())
                .filter(|credentials| !credentials.is_empty())
        }
    });
    methods.push(quote! {
        /// Whether an `Authorization` header is sent that none of
        /// `schemes` can read: another scheme, or empty credentials.
        pub(crate) fn unreadable_authorization(&self, schemes: &[&str]) -> bool {
            self.headers
                .get_all(axum::http::header::AUTHORIZATION)
                .iter()
                .any(|value| {
                    match value.to_str().ok().and_then(|v| v.trim().split_once(' ')) {
                        Some((scheme, credentials)) => {
                            credentials.trim().is_empty()
                                || !schemes.iter().any(|s| s.eq_ignore_ascii_case(scheme))
                        }
                        None => true,
                    }
                })
        }
    });
    methods.push(quote! {
        /// The token of `Authorization: Bearer <token>`.
        fn bearer(&self) -> Option<String> {
            self.authorization("Bearer").map(str::to_owned)
        }
    });
    methods.push(quote! {
        /// The user and password of `Authorization: Basic base64(user:password)`.
        fn basic(&self) -> Option<types::BasicCredentials> {
            let decoded = String::from_utf8(base64_decode(self.authorization("Basic")?)?).ok()?;
            let (username, password) = decoded.split_once(':')?;
            Some(types::BasicCredentials {
                username: username.to_owned(),
                password: password.to_owned(),
            })
        }
    });

    let split_by = quote! {
        /// The values between `texts` (a segment template's text before,
        /// between and after its parameters) in `value`: each non-empty,
        /// earlier ones as long as they can be; `None` when `value` does not
        /// have that shape.
        fn split_by<'v>(value: &'v str, texts: &[&str]) -> Option<Vec<&'v str>> {
            let (prefix, rest) = texts.split_first()?;
            let (suffix, separators) = rest.split_last()?;
            let mut inner = value.strip_prefix(prefix)?.strip_suffix(suffix)?;
            let mut values = Vec::new();
            for separator in separators.iter().rev() {
                let at = inner
                    .rmatch_indices(separator)
                    .map(|(at, _)| at)
                    .find(|at| at + separator.len() < inner.len())?;
                values.push(&inner[at + separator.len()..]);
                inner = &inner[..at];
            }
            if inner.is_empty() {
                return None;
            }
            values.push(inner);
            values.reverse();
            Some(values)
        }
    };
    quote! {
        /// What parameters and credentials are read from: the request's
        /// parts, with the query decoded once.
        pub(crate) struct Input #lifetime {
            #(#fields,)*
        }

        #impl_header {
            #(#methods)*
        }

        #split_by
    }
}

/// `credentials`: every security scheme's credentials the request carries.
fn credentials_fn(plan: &Plan<'_>, uses: &Uses) -> TokenStream {
    let input = if uses.headers {
        quote!(Input<'_>)
    } else {
        quote!(Input)
    };
    let fields = plan.api.security_schemes.iter().map(|scheme| {
        let field = ident(&scheme.name);
        let value = match &scheme.kind {
            SecuritySchemeKind::ApiKey {
                location,
                wire_name,
            } => match location {
                ParameterLocation::Query => quote!(input.query_value(#wire_name)),
                ParameterLocation::Cookie => quote!(input.cookie(#wire_name)),
                ParameterLocation::Header | ParameterLocation::Path => {
                    quote!(input.header(#wire_name))
                }
            },
            SecuritySchemeKind::Bearer => quote!(input.bearer()),
            SecuritySchemeKind::Basic => quote!(input.basic()),
        };
        quote!(#field: #value)
    });
    quote! {
        /// The credentials of every security scheme the request carries
        /// (empty values count as absent).
        pub(crate) fn credentials(input: &#input) -> types::Credentials {
            types::Credentials { #(#fields,)* }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Field, Operation, Parameter, RequestBody, ResponseBody, SecurityScheme, Struct, TypeDef,
    };

    fn error_response() -> Option<ResponseBody> {
        Some(ResponseBody {
            media_type: "application/json".to_owned(),
            payload: Payload::Json(TypeRef::Named("ErrorResponse".to_owned())),
        })
    }

    fn response(status: Status, variant: &str, body: Option<ResponseBody>) -> Response {
        Response {
            status,
            variant: variant.to_owned(),
            docs: None,
            body,
            headers: Vec::new(),
        }
    }

    fn path_param(name: &str, ty: TypeRef) -> Parameter {
        Parameter {
            name: name.to_owned(),
            wire_name: name.to_owned(),
            location: ParameterLocation::Path,
            required: true,
            docs: None,
            ty,
            explode: false,
            style: ParameterStyle::Default,
        }
    }

    fn op(name: &str, method: Method, path: &str) -> Operation {
        Operation {
            name: name.to_owned(),
            operation_id: None,
            method,
            path: path.to_owned(),
            pointer: format!(
                "/paths/{}/{}",
                path.replace('~', "~0").replace('/', "~1"),
                method.as_str().to_lowercase()
            ),
            summary: Some(format!("Summary of {name}")),
            description: None,
            tags: Vec::new(),
            parameters: Vec::new(),
            request_body: None,
            responses: vec![
                response(Status::Code(200), "Ok", error_response()),
                response(Status::Code(400), "BadRequest", error_response()),
                response(Status::Code(401), "Unauthorized", error_response()),
                response(Status::Code(404), "NotFound", error_response()),
                response(Status::Code(405), "MethodNotAllowed", None),
            ],
            security: vec![vec!["bearerAuth".to_owned()], vec!["authRoles".to_owned()]],
        }
    }

    /// The shape of the customer identification processes API.
    fn spec_api() -> Api {
        let mut list = op(
            "list_identification_processes",
            Method::Get,
            "/orgs/{org_id}/customers/{customer_id}/identification-processes",
        );
        list.parameters = vec![
            path_param("org_id", TypeRef::String),
            path_param("customer_id", TypeRef::Uuid),
        ];
        let mut get = op(
            "get_identification_process",
            Method::Get,
            "/orgs/{org_id}/customers/{customer_id}/identification-processes/{identification_process_id}",
        );
        get.parameters = vec![
            path_param("org_id", TypeRef::String),
            path_param("customer_id", TypeRef::Uuid),
            path_param("identification_process_id", TypeRef::Uuid),
        ];
        Api {
            title: "Customers".to_owned(),
            version: "4.43.0".to_owned(),
            description: None,
            servers: Vec::new(),
            types: vec![TypeDef {
                name: "ErrorResponse".to_owned(),
                pointer: "/components/schemas/ErrorResponse".to_owned(),
                docs: None,
                example: None,
                kind: TypeKind::Struct(Struct {
                    fields: vec![Field {
                        name: "code".to_owned(),
                        wire_name: "code".to_owned(),
                        docs: None,
                        ty: TypeRef::String,
                        required: true,
                        nullable: false,
                    }],
                    additional_properties: None,
                }),
            }],
            operations: vec![list, get],
            security_schemes: vec![
                SecurityScheme {
                    key: "authRoles".to_owned(),
                    name: "auth_roles".to_owned(),
                    docs: None,
                    kind: SecuritySchemeKind::ApiKey {
                        location: ParameterLocation::Header,
                        wire_name: "x-auth-roles".to_owned(),
                    },
                },
                SecurityScheme {
                    key: "bearerAuth".to_owned(),
                    name: "bearer_auth".to_owned(),
                    docs: None,
                    kind: SecuritySchemeKind::Bearer,
                },
            ],
        }
    }

    /// Whitespace-insensitive `contains`, so assertions do not depend on
    /// how prettyplease breaks lines.
    fn has(haystack: &str, needle: &str) -> bool {
        let squash = |s: &str| s.split_whitespace().collect::<String>();
        squash(haystack).contains(&squash(needle))
    }

    fn files(api: &Api) -> (BTreeMap<String, String>, Vec<Warning>) {
        let mut warnings = Vec::new();
        let files = emit(api, &CrateNames::new("customers"), &mut warnings)
            .into_iter()
            .map(|(path, text)| (path.to_string_lossy().replace('\\', "/"), text))
            .collect();
        (files, warnings)
    }

    #[test]
    fn spec_shape() {
        let (files, warnings) = files(&spec_api());
        assert!(warnings.is_empty(), "{warnings:?}");
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(
            names,
            [
                "customers-server/src/api.rs",
                "customers-server/src/extract.rs",
                "customers-server/src/lib.rs",
                "customers-server/src/rejection.rs",
                "customers-server/src/router.rs",
            ]
        );
        let lib = &files["customers-server/src/lib.rs"];
        assert!(lib.starts_with("// Generated by apiforge"));
        assert!(has(lib, "pub use customers_types as types;"));
        let api = &files["customers-server/src/api.rs"];
        assert!(has(api, "pub trait Api: Send + Sync + 'static"));
        assert!(has(api, "fn get_identification_process("));
        assert!(has(
            api,
            "request: Request<types::operations::get_identification_process::Parameters>"
        ));
        assert!(has(
            api,
            "fn rejection_error_response(&self, rejection: &Rejection) -> types::ErrorResponse;"
        ));
        assert!(has(
            api,
            "`GET /orgs/{org_id}/customers/{customer_id}/identification-processes`"
        ));
        let router = &files["customers-server/src/router.rs"];
        assert!(has(router, ".fallback(unknown_path::<A>)"));
        assert!(has(
            router,
            "input.required(ParameterLocation::Path, \"customer_id\")?"
        ));
        assert!(has(
            router,
            "credentials.bearer_auth.is_some() || credentials.auth_roles.is_some()"
        ));
        // 405 is declared without a body: axum's own empty 405 answers it.
        assert!(!has(router, "method_not_allowed"));
        assert!(!has(router, "unwrap") && !has(router, "expect("));
        let extract = &files["customers-server/src/extract.rs"];
        assert!(has(extract, "auth_roles: input.header(\"x-auth-roles\")"));
        assert!(
            !has(extract, "fn cookies"),
            "no cookie helper without cookies"
        );
        assert!(!has(extract, "fn basic"));
        assert!(!has(extract, "json_body"));
        assert!(!has(extract, "unwrap()") && !has(extract, "expect("));
    }

    #[test]
    fn routes_sorted_and_grouped() {
        let mut api = spec_api();
        let mut post = op("create", Method::Post, "/a/{x}");
        post.parameters = vec![path_param("x", TypeRef::String)];
        post.request_body = Some(RequestBody {
            required: true,
            docs: None,
            contents: vec![Content {
                media_type: "application/json".to_owned(),
                variant: "Json".to_owned(),
                payload: Payload::Json(TypeRef::Named("ErrorResponse".to_owned())),
            }],
        });
        let mut get = op("read", Method::Get, "/a/{x}");
        get.parameters = vec![path_param("x", TypeRef::String)];
        api.operations.push(post);
        api.operations.push(get);
        let (files, _) = files(&api);
        let router = &files["customers-server/src/router.rs"];
        let a = router.find("\"/a/{x}\"").expect("route /a/{x}");
        let orgs = router.find("\"/orgs/").expect("route /orgs");
        assert!(a < orgs, "paths are sorted");
        assert!(has(
            router,
            "axum::routing::post(handle_create::<A>).get(handle_read::<A>)"
        ));
        assert!(has(
            router,
            "extract::required_body(extract::json_body(parts, body).await?)?"
        ));
        let api_rs = &files["customers-server/src/api.rs"];
        assert!(has(
            api_rs,
            "Request<types::operations::create::Parameters, types::ErrorResponse>"
        ));
    }

    #[test]
    fn unroutable_and_conflicting_paths_are_skipped_with_warnings() {
        let mut api = spec_api();
        // Nothing between the parameters: their values cannot be split.
        let mut mixed = op("file", Method::Get, "/files/{name}{ext}");
        mixed.parameters = vec![
            path_param("name", TypeRef::String),
            path_param("ext", TypeRef::String),
        ];
        let mut first = op("first", Method::Get, "/b/{x}");
        first.parameters = vec![path_param("x", TypeRef::String)];
        let mut second = op("second", Method::Get, "/b/{y}");
        second.parameters = vec![path_param("y", TypeRef::String)];
        api.operations.extend([mixed, first, second]);
        let (files, warnings) = files(&api);
        let kinds: Vec<(&str, &str)> = warnings
            .iter()
            .map(|w| (w.kind, w.pointer.as_str()))
            .collect();
        assert!(
            kinds.contains(&("unroutable-path", "/paths/~1files~1{name}{ext}/get")),
            "{kinds:?}"
        );
        assert!(
            kinds.contains(&("unroutable-path", "/paths/~1b~1{y}/get")),
            "{kinds:?}"
        );
        let router = &files["customers-server/src/router.rs"];
        assert!(has(router, "\"/b/{x}\""));
        assert!(!has(router, "\"/b/{y}\""));
        assert!(!has(router, "/files/"));
        // Still in the trait, documented as not served.
        let api_rs = &files["customers-server/src/api.rs"];
        assert!(has(api_rs, "fn second("));
        assert!(has(api_rs, "Not served by the router"));
    }

    #[test]
    fn undeclared_rejection_status_warns_and_sends_empty() {
        let mut api = spec_api();
        for op in &mut api.operations {
            op.responses.retain(|r| r.status != Status::Code(401));
        }
        let (files, warnings) = files(&api);
        // One warning for the spec, naming both operations.
        let undeclared: Vec<&Warning> = warnings
            .iter()
            .filter(|w| w.kind == "undeclared-rejection-status")
            .collect();
        assert_eq!(undeclared.len(), 1, "{undeclared:?}");
        assert_eq!(undeclared[0].pointer, "#/paths");
        assert!(
            undeclared[0]
                .message
                .starts_with("2 operations declare no response")
                && undeclared[0].message.contains("status 401")
                && undeclared[0]
                    .message
                    .contains("`list_identification_processes` and `get_identification_process`"),
            "{}",
            undeclared[0].message
        );
        let router = &files["customers-server/src/router.rs"];
        assert!(has(router, "_ => empty_response(401)"), "{router}");

        // One operation alone: the warning points at it.
        api.operations.truncate(1);
        let (_, warnings) = super::tests::files(&api);
        assert!(warnings
            .iter()
            .any(|w| w.kind == "undeclared-rejection-status"
                && w.pointer.ends_with("/get/responses")));
    }

    #[test]
    fn segments_with_several_parameters_are_captured_whole_and_split() {
        let mut api = spec_api();
        let mut blob = op("blob", Method::Get, "/blobs/v{version}/{name}.{ext}");
        blob.parameters = vec![
            path_param("version", TypeRef::String),
            path_param("name", TypeRef::String),
            path_param("ext", TypeRef::String),
        ];
        api.operations.push(blob);
        let (files, warnings) = files(&api);
        assert!(
            !warnings.iter().any(|w| w.kind == "unroutable-path"),
            "{warnings:?}"
        );
        let router = &files["customers-server/src/router.rs"];
        assert!(
            has(router, "\"/blobs/{v(version)}/{(name).(ext)}\""),
            "{router}"
        );
        assert!(has(
            router,
            "let mut input = Input::new(&parts, Some(path));"
        ));
        assert!(has(
            router,
            "input.split_segment(\"v(version)\", \"v{version}\")?; \
             input.split_segment(\"(name).(ext)\", \"{name}.{ext}\")?;"
        ));
        let extract = &files["customers-server/src/extract.rs"];
        assert!(has(
            extract,
            "fn split_by<'v>(value: &'v str, texts: &[&str])"
        ));
    }

    #[test]
    fn ranges_defaults_cookies_and_basic() {
        let mut api = spec_api();
        api.security_schemes.push(SecurityScheme {
            key: "basic".to_owned(),
            name: "basic".to_owned(),
            docs: None,
            kind: SecuritySchemeKind::Basic,
        });
        let mut o = op("things", Method::Get, "/things");
        o.security = vec![vec!["basic".to_owned()]];
        o.parameters = vec![
            Parameter {
                name: "session".to_owned(),
                wire_name: "session".to_owned(),
                location: ParameterLocation::Cookie,
                required: false,
                docs: None,
                ty: TypeRef::String,
                explode: false,
                style: ParameterStyle::Default,
            },
            Parameter {
                name: "tags".to_owned(),
                wire_name: "tag".to_owned(),
                location: ParameterLocation::Query,
                required: false,
                docs: None,
                ty: TypeRef::Array(Box::new(TypeRef::String)),
                explode: true,
                style: ParameterStyle::Default,
            },
        ];
        o.responses = vec![
            response(Status::Code(200), "Ok", None),
            response(Status::Code(404), "NotFound", error_response()),
            response(Status::Range(4), "ClientError", error_response()),
            response(Status::Default, "Default", None),
        ];
        api.operations.push(o);
        let (files, warnings) = files(&api);
        assert!(warnings.is_empty(), "{warnings:?}");
        let router = &files["customers-server/src/router.rs"];
        assert!(
            has(router, "if (400..=499).contains(&status) && status != 404"),
            "{router}"
        );
        // `default` is not 200 (declared) nor 4xx (declared as a range).
        assert!(
            has(router, "Default { status, } if status != 200 && !(400..=499).contains(&status) => empty_response(status)"),
            "{router}"
        );
        assert!(has(router, "Default { .. } => undeclared_status()"));
        assert!(has(
            router,
            "input.optional_list(ParameterLocation::Query, \"tag\", None)?"
        ));
        // Every operation declares `ErrorResponse` for 404 (`/things` by its 4XX range).
        assert!(has(router, ".fallback(unknown_path::<A>)"));
        // `/things` answers 405 with its 4XX body; the other paths declare an empty 405.
        assert!(has(router, "axum::routing::get(handle_things::<A>).fallback(method_not_allowed_with_error_response::<A>)"), "{router}");
        let extract = &files["customers-server/src/extract.rs"];
        assert!(has(extract, "fn cookies"));
        assert!(has(extract, "fn base64_decode"));
        assert!(has(extract, "basic: input.basic()"));
    }
}
