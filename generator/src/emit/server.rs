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
//! - a path template axum cannot route (a parameter that is not a whole
//!   segment, a template that differs from an earlier one only in parameter
//!   names, a path parameter the template does not have) is not routed;
//! - a request body that is not JSON is not supported yet: not routed;
//! - a request rejected before the trait is called (400 bad parameter or body,
//!   401 missing credentials) is answered with the response the operation
//!   declares for that status (exact code, else its range, else `default`),
//!   its body built by one trait method per body type; when the operation
//!   declares nothing for it, the status goes out without a body;
//! - unknown paths get 404, and known paths with another method 405 with an
//!   `Allow` header (axum's method router), with a body only when every
//!   operation concerned declares the same body type for that status.
//!
//! Generated helpers are emitted only when some handler uses them, so the
//! crate builds without dead code (and without `allow` attributes).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use heck::ToSnakeCase;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{doc_attrs, format_file, ident, type_tokens, ExternalTypes};
use crate::model::{
    Api, IntegerFormat, Method, NumberFormat, Operation, ParameterLocation, Response,
    SecuritySchemeKind, Status, TypeKind, TypeRef, Warning,
};
use crate::names::Namespace;
use crate::CrateNames;

/// The server crate's `src/` files.
pub fn emit(api: &Api, crates: &CrateNames, warnings: &mut Vec<Warning>) -> Vec<(PathBuf, String)> {
    let plan = Plan::new(api, warnings);
    let src = PathBuf::from(&crates.server).join("src");
    let (router, uses) = router_rs(&plan);
    vec![
        (src.join("lib.rs"), lib_rs(api, crates)),
        (src.join("api.rs"), api_rs(&plan)),
        (src.join("rejection.rs"), rejection_rs()),
        (src.join("extract.rs"), extract_rs(&plan, &uses)),
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
        if let Some(body) = &op.request_body {
            needs.add(&body.ty);
        }
    }
    for ty in plan.hooks.keys() {
        needs.add(ty);
    }
    needs
}

// ---------------------------------------------------------------------------
// Planning: every decision, before any token is written.
// ---------------------------------------------------------------------------

/// How a response body goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Payload {
    ty: TypeRef,
    /// The `content-type` header value (valid, without wildcards).
    content_type: String,
    /// `text/*` with a string body: the string is the body. Otherwise JSON.
    text: bool,
}

/// What a rejection with a given status is answered with: `None` is the
/// status without a body.
type Outcome = Option<Payload>;

/// The outcome of each status a responder handles, sorted by status.
type ResponderKey = Vec<(u16, Outcome)>;

/// A function answering rejections: the same body type for every status it
/// handles (the status is the rejection's), or a choice by status.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Responder {
    Uniform(Payload),
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

struct Plan<'a> {
    api: &'a Api,
    /// Served operations by path template (sorted), in document order.
    routes: BTreeMap<&'a str, Vec<&'a Operation>>,
    /// Why an operation is not served, by operation name.
    unrouted: BTreeMap<&'a str, String>,
    /// The trait method building each rejection body type.
    hooks: BTreeMap<TypeRef, String>,
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
                let payload = payload(op, response, warnings);
                plan.payloads.insert((&op.name, &response.variant), payload);
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
                if param_shape(api, &p.ty) == Shape::Object {
                    warnings.push(Warning {
                        pointer: format!("{}/parameters", op.pointer),
                        kind: "unsupported-parameter-style",
                        message: format!(
                            "parameter `{}` is an object; the server reads its value as one JSON \
                             text",
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
                        warnings.push(Warning {
                            pointer: format!("{}/responses", op.pointer),
                            kind: "undeclared-rejection-status",
                            message: format!(
                                "`{}` declares no response for status {status} ({}), which the \
                                 server answers when {}; it sends {status} without a body",
                                op.name,
                                status_reason(status),
                                rejection_cause(status)
                            ),
                        });
                        None
                    }
                };
                key.push((status, outcome));
            }
            keys.insert(key.clone());
            self.op_responder.insert(&op.name, key);
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
        let types: BTreeSet<TypeRef> = keys
            .iter()
            .flatten()
            .filter_map(|(_, outcome)| outcome.as_ref().map(|p| p.ty.clone()))
            .collect();
        for ty in types {
            let name = methods.unique(&format!("rejection_{}", slug(&ty)));
            self.hooks.insert(ty, name);
        }

        // Responders: one function per distinct behaviour with a body (an
        // all-empty one is written inline).
        let mut functions = Namespace::new();
        let responders: BTreeSet<Responder> = keys.iter().filter_map(Responder::of).collect();
        for responder in responders {
            let name = match &responder {
                Responder::Uniform(payload) => {
                    format!("reject_with_{}", self.hook_slug(&payload.ty))
                }
                Responder::ByStatus(key) => {
                    let parts: Vec<String> = key
                        .iter()
                        .map(|(status, outcome)| match outcome {
                            Some(payload) => format!("{status}_{}", self.hook_slug(&payload.ty)),
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

    /// The hook's name without its `rejection_` prefix.
    fn hook_slug(&self, ty: &TypeRef) -> String {
        let name = self.hooks.get(ty).map(String::as_str).unwrap_or_default();
        name.strip_prefix("rejection_").unwrap_or(name).to_owned()
    }

    fn any_param(&self, pred: impl Fn(&crate::model::Parameter) -> bool) -> bool {
        self.routed().any(|op| op.parameters.iter().any(&pred))
    }

    fn has_scheme(&self, pred: impl Fn(&SecuritySchemeKind) -> bool) -> bool {
        self.api.security_schemes.iter().any(|s| pred(&s.kind))
    }

    /// What the generated handlers use; decides which helpers exist.
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
        let list = |p: &crate::model::Parameter| param_shape(self.api, &p.ty) == Shape::List;
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
            cookies,
            path_params,
            query_params,
            header_params,
            cookie_params,
            header_scheme: schemes && header_scheme,
            query_scheme: schemes && query_scheme,
            cookie_scheme: schemes && cookie_scheme,
            bearer: schemes && bearer,
            basic: schemes && basic,
            optional: self.any_param(|p| !list(p)),
            required: self.any_param(|p| !list(p) && p.required),
            optional_list: self.any_param(list),
            required_list: self.any_param(|p| list(p) && p.required),
            json_body: self.routed().any(|op| op.request_body.is_some()),
            required_body: self
                .routed()
                .any(|op| op.request_body.as_ref().is_some_and(|b| b.required)),
        }
    }
}

/// What `extract.rs` must provide.
#[derive(Debug, Clone, Copy, Default)]
struct Uses {
    credentials: bool,
    /// `Input` fields.
    path: bool,
    query: bool,
    headers: bool,
    cookies: bool,
    /// Parameter locations some handler reads.
    path_params: bool,
    query_params: bool,
    header_params: bool,
    cookie_params: bool,
    /// Credential sources.
    header_scheme: bool,
    query_scheme: bool,
    cookie_scheme: bool,
    bearer: bool,
    basic: bool,
    /// Typed parameter readers.
    optional: bool,
    required: bool,
    optional_list: bool,
    required_list: bool,
    json_body: bool,
    required_body: bool,
}

impl Uses {
    fn input(&self) -> bool {
        self.path || self.query || self.headers
    }

    fn params(&self) -> bool {
        self.optional || self.optional_list
    }
}

/// A segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment<'t> {
    Literal(&'t str),
    Param(&'t str),
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
                return Err(format!(
                    "the segment `{segment}` mixes a parameter with other text, and axum only \
                     routes parameters that are a whole segment"
                ))
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
            Segment::Param(_) => "/{}".to_owned(),
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
            if !segments.contains(&Segment::Param(&p.wire_name)) {
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
    if let Some(body) = &op.request_body {
        if !json_compatible(&body.media_type) {
            return Some((
                "unsupported-media-type",
                format!("{}/requestBody", op.pointer),
                format!(
                    "the request body is `{}`, and the server only reads JSON bodies so far",
                    body.media_type
                ),
            ));
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
    statuses
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

fn status_reason(status: u16) -> &'static str {
    match status {
        BAD_REQUEST => "Bad Request",
        UNAUTHORIZED => "Unauthorized",
        NOT_FOUND => "Not Found",
        METHOD_NOT_ALLOWED => "Method Not Allowed",
        _ => "",
    }
}

fn rejection_cause(status: u16) -> &'static str {
    match status {
        BAD_REQUEST => "a parameter or the body is missing or invalid",
        UNAUTHORIZED => "credentials are missing",
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

fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type);
    essence == "application/json" || essence.ends_with("+json")
}

/// JSON, or a wildcard JSON satisfies (`*/*`, `application/*`).
fn json_compatible(media_type: &str) -> bool {
    let essence = essence(media_type);
    is_json(media_type) || essence == "*/*" || essence == "application/*"
}

/// A media type usable as a `content-type` value: visible ASCII, no wildcard.
fn valid_content_type(media_type: &str) -> bool {
    !media_type.is_empty()
        && !media_type.contains('*')
        && media_type
            .bytes()
            .all(|b| (0x20..0x7f).contains(&b) || b == b'\t')
}

/// How a declared response's body is sent.
fn payload(op: &Operation, response: &Response, warnings: &mut Vec<Warning>) -> Outcome {
    let body = response.body.as_ref()?;
    let essence = essence(&body.media_type);
    let declared = valid_content_type(&body.media_type).then(|| body.media_type.trim().to_owned());
    let json = || {
        declared
            .clone()
            .unwrap_or_else(|| "application/json".to_owned())
    };
    let (content_type, text) = if json_compatible(&body.media_type) {
        (json(), false)
    } else if essence.starts_with("text/") && body.ty == TypeRef::String {
        (
            declared.clone().unwrap_or_else(|| "text/plain".to_owned()),
            true,
        )
    } else {
        let status = match response.status {
            Status::Code(code) => code.to_string(),
            Status::Range(range) => format!("{range}XX"),
            Status::Default => "default".to_owned(),
        };
        warnings.push(Warning {
            pointer: format!("{}/responses/{status}", op.pointer),
            kind: "unsupported-media-type",
            message: format!(
                "the server writes `{}` bodies as JSON (only JSON and text are supported so far)",
                body.media_type
            ),
        });
        (json(), false)
    };
    Some(Payload {
        ty: body.ty.clone(),
        content_type,
        text,
    })
}

/// How a parameter is read.
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
                    Some(TypeKind::Alias(target)) => ty = target,
                    Some(TypeKind::Struct(_)) => return Shape::Object,
                    Some(TypeKind::Enum(_)) | None => return Shape::Scalar,
                }
            }
            _ => return Shape::Scalar,
        }
    }
    Shape::Scalar
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
    format_file(quote! {
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
    })
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
        let request = match &op.request_body {
            None => quote!(Request<#params>),
            Some(body) => {
                let ty = type_tokens(&body.ty, &types);
                if body.required {
                    quote!(Request<#params, #ty>)
                } else {
                    quote!(Request<#params, Option<#ty>>)
                }
            }
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
        let ty = type_tokens(ty, &types);
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
    let items = quote! {
        /// A request that passed the server's checks: typed parameters, the
        /// decoded body and the credentials it carried.
        #[derive(Debug, Clone)]
        pub struct Request<P, B = ()> {
            /// Path, query, header and cookie parameters (`()` when the operation has none).
            pub parameters: P,
            /// The decoded body (`()` when the operation takes none, `Option` when it is optional).
            pub body: B,
            #credentials_field
        }

        /// The API's operations, one method each; [`router`](crate::router())
        /// serves them over HTTP. Methods may be written as `async fn`.
        ///
        /// The response a method returns is sent as is: its variant's status,
        /// a JSON body with `content-type: application/json` (or the media
        /// type the spec declares), or no body. A range or `default` variant
        /// carries its status; when that status is not one the variant stands
        /// for in the spec (a status outside its range, one another response
        /// declares, or one that is not a final HTTP status, 200 to 599), the
        /// server answers `500 Internal Server Error` without a body instead,
        /// as it does when a body cannot be serialized: it never sends a
        /// response the spec does not declare with the body it declares.
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
    format_file(quote! {
        //! The trait the server calls, and what it passes to each operation.

        #rejection_use
        #types_use

        #items
    })
}

/// The statuses a hook's body is used for, as prose (`400, 401 and 404`).
fn hook_statuses(plan: &Plan<'_>, ty: &TypeRef) -> String {
    let statuses: BTreeSet<u16> = plan
        .rejection_keys
        .iter()
        .flatten()
        .filter(|(_, outcome)| outcome.as_ref().is_some_and(|p| &p.ty == ty))
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

fn rejection_rs() -> String {
    format_file(quote! {
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
            /// The body is not sent as JSON (400).
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
            /// The HTTP status the server answers with: 400, 401, 404 or 405.
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
        }

        impl Rejection {
            /// A rejection not tied to an operation.
            pub fn new(kind: RejectionKind, message: impl Into<String>) -> Self {
                Rejection { operation: None, kind, message: message.into() }
            }

            /// The same rejection, for `operation`.
            pub fn in_operation(self, operation: &'static str) -> Self {
                Rejection { operation: Some(operation), ..self }
            }

            /// The HTTP status the server answers with.
            pub fn status(&self) -> u16 {
                self.kind.status()
            }
        }

        impl fmt::Display for Rejection {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.message)
            }
        }

        impl std::error::Error for Rejection {}
    })
}

// ---------------------------------------------------------------------------
// router.rs
// ---------------------------------------------------------------------------

fn router_rs(plan: &Plan<'_>) -> (String, Uses) {
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
    root_idents(&quote!(#(#items)*), &mut used);
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

    let file = format_file(quote! {
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

        #(#items)*
    });
    (file, uses)
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
    let body_ty = match body {
        None => quote!(()),
        Some(b) => {
            let ty = type_tokens(&b.ty, &types);
            if b.required {
                quote!(#ty)
            } else {
                quote!(Option<#ty>)
            }
        }
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
        steps.push(quote!(let input = Input::new(#(#args),*);));
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
        let alternatives: Vec<TokenStream> = op
            .security
            .iter()
            .filter_map(|alternative| {
                let fields: Vec<_> = alternative
                    .iter()
                    .map(|key| field(key))
                    .collect::<Option<_>>()?;
                let checks = fields.iter().map(|f| quote!(credentials.#f.is_some()));
                Some(if fields.len() == 1 {
                    quote!(#(#checks)*)
                } else {
                    quote!((#(#checks)&&*))
                })
            })
            .collect();
        let authorized = if alternatives.is_empty() {
            quote!(false)
        } else {
            quote!(#(#alternatives)||*)
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
    let parameters = if op.parameters.is_empty() {
        quote!(())
    } else {
        let fields = op.parameters.iter().map(|p| {
            let field = ident(&p.name);
            let location = location_tokens(p.location);
            let wire = &p.wire_name;
            match (param_shape(plan.api, &p.ty) == Shape::List, p.required) {
                (false, true) => quote!(#field: input.required(#location, #wire)?),
                (false, false) => quote!(#field: input.optional(#location, #wire)?),
                (true, required) => {
                    let explode = p.explode && p.location == ParameterLocation::Query;
                    if required {
                        quote!(#field: input.required_list(#location, #wire, #explode)?)
                    } else {
                        quote!(#field: input.optional_list(#location, #wire, #explode)?)
                    }
                }
            }
        });
        quote!(#types::operations::#module::Parameters { #(#fields,)* })
    };
    let body_expr = match body {
        None => quote!(()),
        Some(b) if b.required => quote!(extract::required_body(
            extract::json_body(parts, body).await?
        )?),
        Some(_) => quote!(extract::json_body(parts, body).await?),
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
    quote! {
        #handler_doc
        async fn #handle<A: Api>(State(api): State<Arc<A>>, #(#args),*) -> Response {
            #handler_body
        }

        #builder

        #respond_fn
    }
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
        match response.status {
            Status::Code(code) => {
                let code = u16_lit(code);
                arms.push(match &payload {
                    Some(payload) => {
                        let send = body_call(payload, quote!(#code), quote!(body));
                        quote!(#enum_path::#variant(body) => #send)
                    }
                    None => quote!(#enum_path::#variant => empty_response(#code)),
                });
            }
            Status::Range(_) | Status::Default => {
                let (pattern, send) = match &payload {
                    Some(payload) => (
                        quote!({ status, body }),
                        body_call(payload, quote!(status), quote!(body)),
                    ),
                    None => (quote!({ status }), quote!(empty_response(status))),
                };
                match status_guard(op, response.status) {
                    None => arms.push(quote!(#enum_path::#variant #pattern => #send)),
                    Some(guard) => {
                        arms.push(quote!(#enum_path::#variant #pattern if #guard => #send));
                        arms.push(quote!(#enum_path::#variant { .. } => undeclared_status()));
                    }
                }
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

/// The call sending `body` (an expression) with `payload`'s encoding.
fn body_call(payload: &Payload, status: TokenStream, body: TokenStream) -> TokenStream {
    let content_type = &payload.content_type;
    if payload.text {
        quote!(text_response(#status, #content_type, #body))
    } else {
        quote!(json_response(#status, #content_type, &#body))
    }
}

/// A function answering rejections with the outcome of their status.
fn responder_fn(plan: &Plan<'_>, responder: &Responder, name: &str) -> TokenStream {
    let name = format_ident!("{name}");
    let send = |outcome: &Outcome, status: TokenStream| match outcome {
        Some(payload) => {
            let hook = ident(&plan.hooks[&payload.ty]);
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
    if used.contains("text_response") {
        items.push(quote! {
            /// `status` with `body` as text; 500 without a body when `status`
            /// is not a final HTTP status.
            fn text_response(status: u16, content_type: &'static str, body: String) -> Response {
                match status_code(status) {
                    Some(status) => (
                        status,
                        [(axum::http::header::CONTENT_TYPE, axum::http::HeaderValue::from_static(content_type))],
                        body,
                    )
                        .into_response(),
                    None => internal_error(),
                }
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

fn extract_rs(plan: &Plan<'_>, uses: &Uses) -> String {
    let mut items = Vec::new();

    if uses.input() {
        items.push(input_items(uses));
    }
    if uses.params() {
        items.push(quote! {
            /// A parameter whose value cannot be read.
            fn invalid(name: &'static str, location: ParameterLocation, error: impl std::fmt::Display) -> Rejection {
                Rejection::new(
                    RejectionKind::InvalidParameter { name, location },
                    format!("invalid {location} parameter `{name}`: {error}"),
                )
            }

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
    }
    if uses.required || uses.required_list {
        items.push(quote! {
            /// A required parameter that is absent.
            fn missing(name: &'static str, location: ParameterLocation) -> Rejection {
                Rejection::new(
                    RejectionKind::MissingParameter { name, location },
                    format!("missing required {location} parameter `{name}`"),
                )
            }
        });
    }
    if uses.cookies {
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
    }
    if uses.credentials {
        items.push(credentials_fn(plan, uses));
    }
    if uses.basic {
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
    }
    if uses.json_body {
        items.push(quote! {
            /// Whether the request says its body is JSON (`application/json` or `+json`).
            fn is_json(headers: &HeaderMap) -> bool {
                let Some(value) = headers
                    .get(axum::http::header::CONTENT_TYPE)
                    .and_then(|value| value.to_str().ok())
                else {
                    return false;
                };
                let essence = value.split_once(';').map_or(value, |(essence, _)| essence).trim().to_ascii_lowercase();
                essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
            }

            /// Reads and decodes a JSON body; `None` when the request has no
            /// body. The body size limit is axum's (`DefaultBodyLimit`); a
            /// larger body is an invalid one.
            pub(crate) async fn json_body<T: DeserializeOwned>(parts: Parts, body: axum::body::Body) -> Result<Option<T>, Rejection> {
                use axum::extract::FromRequest;

                let json = is_json(&parts.headers);
                let request = axum::extract::Request::from_parts(parts, body);
                let bytes = axum::body::Bytes::from_request(request, &()).await.map_err(|rejection| {
                    Rejection::new(RejectionKind::InvalidBody, format!("cannot read the request body: {}", rejection.body_text()))
                })?;
                if bytes.is_empty() {
                    return Ok(None);
                }
                if !json {
                    return Err(Rejection::new(
                        RejectionKind::UnsupportedMediaType,
                        "the request body must be sent with `content-type: application/json`",
                    ));
                }
                serde_json::from_slice(&bytes)
                    .map(Some)
                    .map_err(|error| Rejection::new(RejectionKind::InvalidBody, format!("invalid request body: {error}")))
            }
        });
    }
    if uses.required_body {
        items.push(quote! {
            /// The body of an operation that requires one.
            pub(crate) fn required_body<T>(body: Option<T>) -> Result<T, Rejection> {
                body.ok_or_else(|| Rejection::new(RejectionKind::MissingBody, "the request body is required"))
            }
        });
    }

    let mut used = BTreeSet::new();
    root_idents(&quote!(#(#items)*), &mut used);
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

    format_file(quote! {
        //! Helpers the handlers share: raw request parts into typed values.

        #(#imports)*

        #(#items)*
    })
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

    if uses.params() {
        let mut arms = Vec::new();
        if uses.path_params {
            arms.push(quote! {
                ParameterLocation::Path => match &self.path {
                    Some(Ok(params)) => Ok(params
                        .iter()
                        .filter(|(key, _)| *key == name)
                        .map(|(_, value)| value)
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
    }
    if uses.optional {
        methods.push(quote! {
            /// An optional parameter (the first value when sent several times).
            pub(crate) fn optional<T: DeserializeOwned>(&self, location: ParameterLocation, name: &'static str) -> Result<Option<T>, Rejection> {
                match self.raw(location, name)?.first() {
                    Some(raw) => parse(raw).map(Some).map_err(|error| invalid(name, location, error)),
                    None => Ok(None),
                }
            }
        });
    }
    if uses.required {
        methods.push(quote! {
            /// A required parameter (the first value when sent several times).
            pub(crate) fn required<T: DeserializeOwned>(&self, location: ParameterLocation, name: &'static str) -> Result<T, Rejection> {
                self.optional(location, name)?.ok_or_else(|| missing(name, location))
            }
        });
    }
    if uses.optional_list {
        methods.push(quote! {
            /// An optional array parameter: one item per occurrence when
            /// `explode` (query `form` style, the default), else the
            /// comma-separated items of every occurrence.
            pub(crate) fn optional_list<T: DeserializeOwned>(&self, location: ParameterLocation, name: &'static str, explode: bool) -> Result<Option<Vec<T>>, Rejection> {
                let raw = self.raw(location, name)?;
                if raw.is_empty() {
                    return Ok(None);
                }
                let items: Vec<&str> = if explode {
                    raw
                } else {
                    raw.iter()
                        .flat_map(|value| value.split(','))
                        .map(|item| if location == ParameterLocation::Header { item.trim() } else { item })
                        .filter(|item| !item.is_empty())
                        .collect()
                };
                items
                    .into_iter()
                    .map(|item| parse(item).map_err(|error| invalid(name, location, error)))
                    .collect::<Result<Vec<T>, Rejection>>()
                    .map(Some)
            }
        });
    }
    if uses.required_list {
        methods.push(quote! {
            /// A required array parameter (see [`Input::optional_list`]).
            pub(crate) fn required_list<T: DeserializeOwned>(&self, location: ParameterLocation, name: &'static str, explode: bool) -> Result<Vec<T>, Rejection> {
                self.optional_list(location, name, explode)?.ok_or_else(|| missing(name, location))
            }
        });
    }
    if uses.header_scheme {
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
    }
    if uses.query_scheme {
        methods.push(quote! {
            /// The first value of query parameter `name`, if non-empty.
            fn query_value(&self, name: &str) -> Option<String> {
                self.query
                    .iter()
                    .find(|(key, value)| key == name && !value.is_empty())
                    .map(|(_, value)| value.clone())
            }
        });
    }
    if uses.cookie_scheme {
        methods.push(quote! {
            /// The first value of cookie `name`, if non-empty.
            fn cookie(&self, name: &str) -> Option<String> {
                cookies(self.headers, name).find(|value| !value.is_empty()).map(str::to_owned)
            }
        });
    }
    if uses.bearer || uses.basic {
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
    }
    if uses.bearer || uses.basic {
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
    }
    if uses.bearer {
        methods.push(quote! {
            /// The token of `Authorization: Bearer <token>`.
            fn bearer(&self) -> Option<String> {
                self.authorization("Bearer").map(str::to_owned)
            }
        });
    }
    if uses.basic {
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
    }

    quote! {
        /// What parameters and credentials are read from: the request's
        /// parts, with the query decoded once.
        pub(crate) struct Input #lifetime {
            #(#fields,)*
        }

        #impl_header {
            #(#methods)*
        }
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
            ty: TypeRef::Named("ErrorResponse".to_owned()),
        })
    }

    fn response(status: Status, variant: &str, body: Option<ResponseBody>) -> Response {
        Response {
            status,
            variant: variant.to_owned(),
            docs: None,
            body,
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
            media_type: "application/json".to_owned(),
            ty: TypeRef::Named("ErrorResponse".to_owned()),
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
        let mut mixed = op("file", Method::Get, "/files/{name}.{ext}");
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
            kinds.contains(&("unroutable-path", "/paths/~1files~1{name}.{ext}/get")),
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
        assert!(warnings
            .iter()
            .any(|w| w.kind == "undeclared-rejection-status"
                && w.pointer.ends_with("/get/responses")));
        let router = &files["customers-server/src/router.rs"];
        assert!(has(router, "_ => empty_response(401)"), "{router}");
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
            },
            Parameter {
                name: "tags".to_owned(),
                wire_name: "tag".to_owned(),
                location: ParameterLocation::Query,
                required: false,
                docs: None,
                ty: TypeRef::Array(Box::new(TypeRef::String)),
                explode: true,
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
            "input.optional_list(ParameterLocation::Query, \"tag\", true)?"
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
