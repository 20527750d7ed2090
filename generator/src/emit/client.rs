//! The client crate's Rust source: `lib.rs` (crate docs and re-exports),
//! `client.rs` (the `Client` and one async method per operation) and
//! `error.rs`.
//!
//! Everything that does not depend on the shapes of the spec lives in a few
//! private, generic helpers of the generated `client.rs`: turn a value into
//! parameter strings, build the URL, set headers and cookies, attach
//! credentials, send, decode. Each operation's method only lists its path
//! segments, its parameters, its security alternatives and its
//! status-to-variant table. A helper is emitted only when some operation uses
//! it, so the generated crate has no dead code whatever the spec.

use std::collections::BTreeSet;
use std::path::PathBuf;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::text::{code_span, markdown, one_line};
use super::types::{request_body_type, variant_names_lint_may_fire, variant_shape, VariantShape};
use super::{doc_attrs, doc_lines, format_file, ident, type_tokens, ExternalTypes};
use crate::model::{
    Api, ApiKeyLocation, Content, Method, Operation, Parameter, ParameterLocation, ParameterStyle,
    PartKind, Payload, SecurityScheme, SecuritySchemeKind, Status, TypeKind, TypeRef, Warning,
    WarningKind,
};
use crate::names::{self, Namespace};
use crate::CrateNames;

/// The client's own public methods. An operation with one of these names
/// gets a numbered method name instead (with a warning), so it cannot clash.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "with_options",
    "with_http_client",
    "with_credentials",
    "with_body_limit",
    "base_url",
];

/// How many characters of a response body an error message shows.
const BODY_PREVIEW_CHARS: usize = 512;

/// The generated `ClientOptions` (timeouts of the HTTP client `Client::new`
/// builds), written as plain Rust so it reads and compiles as such.
const OPTIONS_RS: &str = include_str!("../../runtime/client/options.rs");

/// The generated `read_body`, which reads a response body under a size limit.
const BODY_RS: &str = include_str!("../../runtime/client/body.rs");

/// The items of one of the runtime files above.
fn runtime(source: &str) -> TokenStream {
    // The files are part of the generator and parsed by its unit tests, so a
    // failure here is a bug in the generator, never in the spec.
    match source.parse() {
        Ok(tokens) => tokens,
        Err(e) => panic!("a runtime file of the client does not parse: {e}"),
    }
}

/// The client crate's `src/` files.
pub fn emit(api: &Api, crates: &CrateNames, warnings: &mut Vec<Warning>) -> Vec<(PathBuf, String)> {
    let plan = Plan::new(api, warnings);
    let src = PathBuf::from(&crates.client).join("src");
    vec![
        (
            src.join("lib.rs"),
            format_file([lib_rs(api, crates, &plan)]),
        ),
        (src.join("client.rs"), format_file([client_rs(api, &plan)])),
        (
            src.join("error.rs"),
            format_file([error_rs(plan.uses.response_headers)]),
        ),
    ]
}

/// What the client crate's own code names from outside `std`, besides its
/// fixed dependencies (types crate, `reqwest`, `serde`, `serde_json`): the
/// request body types, which the methods spell out. Responses are decoded
/// into types inferred from the types crate, so they need nothing. Cargo.toml
/// must add `uuid` / `chrono` when these are set.
pub fn external_types(api: &Api) -> ExternalTypes {
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
    needs
}

/// How a usage example builds the body of `op`'s client call: the
/// statement binding `body`, and the argument passing it. `None` without a
/// body.
pub fn example_body(op: &Operation) -> Option<(String, String)> {
    let body = op.request_body.as_ref()?;
    let module = format!("types::operations::{}", op.name);
    let (statement, by_value) = match body.contents.as_slice() {
        [Content {
            payload: Payload::Json(ty) | Payload::Form { ty, .. },
            ..
        }] => {
            let ty = super::type_text(&type_tokens(ty, &quote!(types)));
            (
                format!("let body: {ty} = serde_json::from_str(text)?;"),
                false,
            )
        }
        [Content {
            payload: Payload::Text,
            ..
        }] => ("let body = text;".to_owned(), true),
        [Content {
            payload: Payload::Binary,
            ..
        }] => ("let body = std::fs::read(path)?;".to_owned(), true),
        [Content {
            payload: Payload::Multipart(_),
            ..
        }] => (
            format!("let body = {module}::Multipart {{ /* parts */ }};"),
            true,
        ),
        [first, ..] => {
            let variant = &first.variant;
            let value = match first.payload {
                Payload::Json(_) | Payload::Form { .. } => "serde_json::from_str(text)?",
                Payload::Text => "text.to_owned()",
                Payload::Binary => "std::fs::read(path)?.into()",
                Payload::Multipart(_) => "todo!()",
            };
            let by_value = body.contents.iter().any(by_value);
            (
                format!("let body = {module}::Body::{variant}({value});"),
                by_value,
            )
        }
        [] => return None,
    };
    let mut argument = if by_value { "body" } else { "&body" }.to_owned();
    if !body.required {
        argument = format!("Some({argument})");
    }
    Some((statement, argument))
}

/// Whether the client sends `multipart/form-data` bodies, which needs
/// reqwest's `multipart` feature.
pub fn uses_multipart(api: &Api) -> bool {
    api.operations
        .iter()
        .flat_map(|op| op.request_body.iter().flat_map(|b| &b.contents))
        .any(|c| matches!(c.payload, Payload::Multipart(_)))
}

// ---------------------------------------------------------------------------
// Plan: what the operations need, decided once, before any tokens.

/// The decisions shared by all files: method names, the security schemes the
/// client can send, and which helpers the operations use.
struct Plan<'a> {
    api: &'a Api,
    ops: Vec<OpPlan<'a>>,
    /// Schemes some operation may send, in `api.security_schemes` order.
    schemes: Vec<SchemePlan<'a>>,
    /// Whether the API has security schemes (and so a `Credentials` type).
    has_credentials: bool,
    uses: Uses,
}

struct OpPlan<'a> {
    op: &'a Operation,
    /// The client method's name (the operation's, unless it clashes).
    method: String,
    /// Security alternatives as indices into `Plan::schemes`; anonymous
    /// alternatives are left out (see `security_of`).
    security: Vec<Vec<usize>>,
    /// The `Content-Type` sent with each media type of the request body.
    content_types: Vec<String>,
}

struct SchemePlan<'a> {
    scheme: &'a SecurityScheme,
    /// Variant of the private `Scheme` enum.
    variant: String,
}

/// What the responses hold and how credentials travel, which select and
/// shape the helpers reading responses. Of all helpers, only those the
/// client's code reaches are emitted (see [`prune`](super::prune)).
#[derive(Debug, Default, Clone, Copy)]
struct Uses {
    /// Response bodies, by encoding.
    decode: bool,
    decode_text: bool,
    /// Declared response headers, scalars and arrays.
    response_headers: bool,
    scalar_header: bool,
    list_header: bool,
    required_header: bool,
    required_list_header: bool,
    /// A credential goes into the query, so transport errors must not show
    /// the URL's query.
    query_credential: bool,
}

impl<'a> Plan<'a> {
    fn new(api: &'a Api, warnings: &mut Vec<Warning>) -> Self {
        let mut methods = Namespace::new();
        for name in CLIENT_METHODS {
            methods.reserve(name);
        }
        let mut ops = Vec::new();
        let mut used_schemes = BTreeSet::new();
        for op in &api.operations {
            let method = methods.unique(&op.name);
            if method != op.name {
                warnings.push(Warning {
                    pointer: op.pointer.clone(),
                    kind: WarningKind::RenamedClientMethod,
                    message: format!(
                        "operation `{}` clashes with the client's own method of that name; \
                         the client calls it `{method}`",
                        op.name
                    ),
                });
            }
            let security = security_of(api, op, warnings);
            used_schemes.extend(security.iter().flatten().copied());
            ops.push(OpPlan {
                op,
                method,
                security,
                content_types: op
                    .request_body
                    .iter()
                    .flat_map(|body| &body.contents)
                    .map(request_content_type)
                    .collect(),
            });
        }

        // The `Scheme` enum has a variant per scheme some operation may send.
        let mut variants = Namespace::new();
        let mut index_map = vec![usize::MAX; api.security_schemes.len()];
        let mut schemes = Vec::new();
        for (index, scheme) in api.security_schemes.iter().enumerate() {
            if used_schemes.contains(&index) {
                index_map[index] = schemes.len();
                schemes.push(SchemePlan {
                    scheme,
                    variant: variants.unique(&names::variant_name(&scheme.name, "Scheme")),
                });
            }
        }
        for op in &mut ops {
            for alternative in &mut op.security {
                for index in alternative.iter_mut() {
                    *index = index_map[*index];
                }
            }
        }

        let mut uses = Uses::default();
        for plan in &ops {
            for response in &plan.op.responses {
                match response.body.as_ref().map(|b| &b.payload) {
                    Some(Payload::Text) => uses.decode_text = true,
                    Some(Payload::Binary) | None => {}
                    Some(_) => uses.decode = true,
                }
                for header in &response.headers {
                    uses.response_headers = true;
                    match (is_list(api, &header.ty), header.required) {
                        (false, false) => uses.scalar_header = true,
                        (false, true) => uses.required_header = true,
                        (true, false) => uses.list_header = true,
                        (true, true) => uses.required_list_header = true,
                    }
                }
            }
        }
        uses.query_credential = schemes.iter().any(|plan| {
            matches!(
                plan.scheme.kind,
                SecuritySchemeKind::ApiKey {
                    location: ApiKeyLocation::Query,
                    ..
                }
            )
        });

        Plan {
            api,
            ops,
            schemes,
            has_credentials: !api.security_schemes.is_empty(),
            uses,
        }
    }
}

/// The operation's security alternatives as indices into
/// `api.security_schemes`. An anonymous alternative (`{}`) is left out: the
/// client then sends the first alternative it holds, and nothing when it
/// holds none, which is what the anonymous alternative asks for. An
/// alternative naming an unknown scheme is left out too, with a warning.
fn security_of(api: &Api, op: &Operation, warnings: &mut Vec<Warning>) -> Vec<Vec<usize>> {
    let mut alternatives = Vec::new();
    'alternatives: for alternative in &op.security {
        let mut indices = Vec::new();
        for key in alternative {
            match api.security_schemes.iter().position(|s| &s.key == key) {
                Some(index) => indices.push(index),
                None => {
                    warnings.push(Warning {
                        pointer: op.pointer.clone(),
                        kind: WarningKind::UnknownSecurityScheme,
                        message: format!(
                            "security requirement names `{key}`, which is not a known \
                             security scheme; the client never picks that alternative"
                        ),
                    });
                    continue 'alternatives;
                }
            }
        }
        if !indices.is_empty() && !alternatives.contains(&indices) {
            alternatives.push(indices);
        }
    }
    alternatives
}

/// The `Content-Type` the client sends with a request body: the media type
/// as written when it is a valid header value without wildcards, else the
/// general type of what the body holds (`application/json`, `text/plain`,
/// `application/octet-stream`). Forms and multipart bodies get theirs from
/// reqwest.
fn request_content_type(content: &Content) -> String {
    let media_type = content.media_type.trim();
    // `HeaderValue::from_static` accepts exactly these bytes.
    let valid_header = !media_type.is_empty()
        && !media_type.contains('*')
        && media_type
            .bytes()
            .all(|b| (b >= 32 && b != 127) || b == b'\t')
        && media_type.is_ascii();
    if valid_header {
        return media_type.to_owned();
    }
    match content.payload {
        Payload::Text => "text/plain",
        Payload::Binary => "application/octet-stream",
        Payload::Form { .. } => "application/x-www-form-urlencoded",
        Payload::Multipart(_) => "multipart/form-data",
        Payload::Json(_) => "application/json",
    }
    .to_owned()
}

/// How the client writes a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Writer {
    /// As text: scalars, arrays (repeated or joined, see `delimiter`), and
    /// objects as JSON text.
    Text,
    /// An object as `name[key]=value` pairs (`deepObject`).
    Deep,
    /// As JSON text (`content` with a JSON media type).
    Json,
}

/// Objects in other styles than `deepObject` are written as text too, which
/// for them is JSON text (see `param_strings`), as the server reads them.
fn writer(api: &Api, p: &Parameter) -> Writer {
    match p.style {
        ParameterStyle::Json => Writer::Json,
        ParameterStyle::DeepObject
            if p.location == ParameterLocation::Query && is_object(api, &p.ty) =>
        {
            Writer::Deep
        }
        _ => Writer::Text,
    }
}

/// The delimiter of a query array: `None` repeats the key per item.
fn delimiter(p: &Parameter) -> TokenStream {
    if p.explode {
        return quote!(None);
    }
    let delimiter = match p.style {
        ParameterStyle::SpaceDelimited => ' ',
        ParameterStyle::PipeDelimited => '|',
        _ => ',',
    };
    quote!(Some(#delimiter))
}

/// What a type is, for writing it as a parameter or reading it from a
/// header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    Scalar,
    List,
    Object,
}

fn shape(api: &Api, ty: &TypeRef) -> Shape {
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

fn is_object(api: &Api, ty: &TypeRef) -> bool {
    shape(api, ty) == Shape::Object
}

fn is_list(api: &Api, ty: &TypeRef) -> bool {
    shape(api, ty) == Shape::List
}

// ---------------------------------------------------------------------------
// lib.rs

fn lib_rs(api: &Api, crates: &CrateNames, plan: &Plan<'_>) -> TokenStream {
    let types_lib = ident(&CrateNames::lib_name(&crates.types));
    let client_lib = CrateNames::lib_name(&crates.client);

    let mut lines = doc_lines(&format!(
        "Client for {}, version {}.",
        one_line(&api.title),
        one_line(&api.version)
    ));
    if let Some(description) = api
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        lines.push(String::new());
        lines.extend(doc_lines(description));
    }
    lines.push(String::new());
    lines.push(" # Servers".to_owned());
    lines.push(String::new());
    if api.servers.is_empty() {
        lines.push(
            " The API description lists no servers: pass the base URL of a deployment to \
             [`Client::new`]."
                .to_owned(),
        );
    } else {
        lines.push(" Base URLs for [`Client::new`], as the API description lists them:".to_owned());
        lines.push(String::new());
        let list: Vec<String> = api
            .servers
            .iter()
            .map(|server| {
                let url = code_span(&server.url);
                match server.description.as_deref().map(one_line) {
                    Some(d) if !d.is_empty() => format!("- {url}: {d}"),
                    _ => format!("- {url}"),
                }
            })
            .collect();
        lines.extend(doc_lines(&list.join("\n")));
    }

    // A usage example that compiles (`no_run`: it needs no server).
    let example_url = api
        .servers
        .iter()
        .map(|s| s.url.trim())
        .find(|url| {
            // It goes into a compiled doctest: printable ASCII only, nothing
            // that could end the string literal or the code block.
            (url.starts_with("https://") || url.starts_with("http://"))
                && url.chars().all(|c| c.is_ascii_graphic())
                && !url.contains(['{', '}', '`', '"', '\\'])
        })
        .unwrap_or("https://api.example.com");
    lines.push(String::new());
    lines.push(" # Example".to_owned());
    lines.push(String::new());
    lines.push(" ```no_run".to_owned());
    lines.push(format!(
        " # fn main() -> Result<(), {client_lib}::Error> {{"
    ));
    let credential = api
        .security_schemes
        .iter()
        .find(|s| !matches!(s.kind, SecuritySchemeKind::Basic));
    if let Some(scheme) = credential {
        lines.push(format!(" use {client_lib}::{{types, Client}};"));
        lines.push(String::new());
        lines.push(" let mut credentials = types::Credentials::default();".to_owned());
        lines.push(format!(
            " credentials.{} = Some(\"secret\".to_owned());",
            scheme.name
        ));
        lines.push(format!(
            " let client = Client::new(\"{example_url}\")?.with_credentials(credentials);"
        ));
    } else {
        lines.push(format!(" use {client_lib}::Client;"));
        lines.push(String::new());
        lines.push(format!(" let client = Client::new(\"{example_url}\")?;"));
    }
    lines.push(" # let _ = client;".to_owned());
    lines.push(" # Ok(())".to_owned());
    lines.push(" # }".to_owned());
    lines.push(" ```".to_owned());
    if let Some(first) = plan.ops.first() {
        lines.push(String::new());
        lines.push(format!(
            " Then call one method per operation, e.g. [`Client::{}`]. Each returns the \
             operation's `Response`, whose variant is chosen by the status code alone, or an \
             [`Error`].",
            first.method
        ));
    }
    let lines = lines.iter().map(|line| {
        if line.trim().is_empty() {
            ""
        } else {
            line.as_str()
        }
    });

    quote! {
        #( #![doc = #lines] )*

        mod client;
        mod error;

        /// The API's types: models, operations' parameters and responses, credentials.
        pub use #types_lib as types;
        pub use client::{Client, ClientOptions};
        pub use error::Error;
    }
}

// ---------------------------------------------------------------------------
// client.rs

fn client_rs(api: &Api, plan: &Plan<'_>) -> TokenStream {
    let title = doc_lines(&format!("A client of {}.", one_line(&api.title)));

    let credentials_field = plan.has_credentials.then(|| {
        quote! {
            /// Sent with each request per the operation's security requirements.
            credentials: types::Credentials,
        }
    });
    let credentials_init = plan.has_credentials.then(|| {
        quote! { credentials: types::Credentials::default(), }
    });
    let credentials_debug = plan.has_credentials.then(|| {
        quote! { .field("credentials", &self.credentials) }
    });
    let with_credentials = plan.has_credentials.then(|| {
        quote! {
            /// Returns the client with `credentials`. Each request sends the
            /// first of its operation's security alternatives for which
            /// `credentials` holds every scheme, and no credentials when it
            /// holds none of them (the server then decides).
            #[must_use]
            pub fn with_credentials(self, credentials: types::Credentials) -> Client {
                Client { credentials, ..self }
            }
        }
    });

    let methods = plan.ops.iter().map(|op| operation_method(op, plan));
    let helpers = helpers(plan);
    let options = runtime(OPTIONS_RS);

    let client = quote! {
        use crate::error::Error;
        use crate::types;

        #( #[doc = #title] )*
        ///
        /// Cheap to clone: clones share the connection pool. Its `Debug`
        /// output never shows credentials, nor the user info of the base URL.
        ///
        /// A call cannot be held forever nor exhaust memory: [`Client::new`]
        /// sets timeouts (see [`ClientOptions`]), and every client refuses a
        /// response body longer than its limit ([`Client::DEFAULT_BODY_LIMIT`]
        /// unless set with [`Client::with_body_limit`]).
        #[derive(Clone)]
        pub struct Client {
            /// Paths of operations are appended to this URL's path.
            base_url: reqwest::Url,
            http: reqwest::Client,
            /// The most bytes of a response body that a call reads.
            body_limit: usize,
            #credentials_field
        }

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut base_url = self.base_url.clone();
                if !base_url.username().is_empty() || base_url.password().is_some() {
                    // Only fails for URLs without a host, which have no user info.
                    let _ = base_url.set_username("redacted");
                    let _ = base_url.set_password(Some("redacted"));
                }
                f.debug_struct("Client")
                    .field("base_url", &base_url.as_str())
                    .field("http", &self.http)
                    .field("body_limit", &self.body_limit)
                    #credentials_debug
                    .finish()
            }
        }

        impl Client {
            /// The most bytes of a response body a client reads unless set
            /// with [`Client::with_body_limit`]: 32 MiB.
            pub const DEFAULT_BODY_LIMIT: usize = 32 * 1024 * 1024;

            /// Creates a client for the API at `base_url` (e.g. one of the
            /// servers in the crate docs), with a `reqwest` client that has
            /// the default timeouts of [`ClientOptions`] and does not follow
            /// redirects, so that a redirect is seen as its own status and
            /// never carries credentials to another host.
            ///
            /// User info in the URL (`https://user:password@host/`) is sent
            /// as basic authentication.
            ///
            /// # Errors
            ///
            /// [`Error::InvalidBaseUrl`] when `base_url` is not an absolute
            /// `http` or `https` URL; [`Error::Transport`] when the TLS backend
            /// cannot be initialised.
            pub fn new(base_url: &str) -> Result<Client, Error> {
                Client::with_options(base_url, &ClientOptions::default())
            }

            /// Creates a client as [`Client::new`] does, with the timeouts of
            /// `options`.
            ///
            /// # Errors
            ///
            /// As [`Client::new`].
            pub fn with_options(base_url: &str, options: &ClientOptions) -> Result<Client, Error> {
                let base_url = parse_base_url(base_url)?;
                let http = options.http_client().map_err(Error::Transport)?;
                Ok(Client {
                    base_url,
                    http,
                    body_limit: Client::DEFAULT_BODY_LIMIT,
                    #credentials_init
                })
            }

            /// Creates a client for the API at `base_url` that sends its
            /// requests with `http` (for proxies, TLS settings, a shared
            /// connection pool, or test doubles).
            ///
            /// The timeouts and the redirect policy are then those of `http`,
            /// which by default has no timeout at all and follows redirects:
            /// set them on its builder. The limit on response bodies still
            /// applies ([`Client::with_body_limit`]).
            ///
            /// # Errors
            ///
            /// [`Error::InvalidBaseUrl`] when `base_url` is not an absolute
            /// `http` or `https` URL.
            pub fn with_http_client(base_url: &str, http: reqwest::Client) -> Result<Client, Error> {
                Ok(Client {
                    base_url: parse_base_url(base_url)?,
                    http,
                    body_limit: Client::DEFAULT_BODY_LIMIT,
                    #credentials_init
                })
            }

            #with_credentials

            /// Returns the client with `limit` as the most bytes of a response
            /// body a call reads ([`Client::DEFAULT_BODY_LIMIT`] otherwise). A
            /// longer body fails the call with [`Error::BodyTooLarge`] as soon
            /// as the limit is passed, or before reading when its
            /// `Content-Length` says so; the rest is not read.
            #[must_use]
            pub fn with_body_limit(self, limit: usize) -> Client {
                Client { body_limit: limit, ..self }
            }

            /// The URL the paths of operations are appended to.
            pub fn base_url(&self) -> &reqwest::Url {
                &self.base_url
            }

            #( #methods )*
        }

        #options
    };
    // Of the helpers, those the client's code reaches: a helper no
    // operation uses is never emitted, whatever `Uses` selected.
    let helpers = super::prune::reachable(std::slice::from_ref(&client), helpers);
    quote!(#client #helpers)
}

/// One operation's method.
fn operation_method(plan: &OpPlan<'_>, all: &Plan<'_>) -> TokenStream {
    let op = plan.op;
    let module = ident(&op.name);
    let method = ident(&plan.method);
    let types = quote!(types);

    // Each part safe on its own: a block one leaves open cannot swallow the
    // next.
    let mut docs: Vec<String> = [&op.summary, &op.description]
        .into_iter()
        .flatten()
        .map(|part| markdown(part.trim()))
        .filter(|part| !part.is_empty())
        .collect();
    docs.push(code_span(&format!("{} {}", op.method.as_str(), op.path)));
    let docs = doc_attrs(Some(&docs.join("\n\n")));

    let parameters_arg = (!op.parameters.is_empty()).then(|| {
        quote! { , parameters: &types::operations::#module::Parameters }
    });
    let single_binary = |body: &crate::model::RequestBody| matches!(body.contents.as_slice(), [c] if c.payload == Payload::Binary);
    let body_arg = op.request_body.as_ref().map(|body| {
        let by_value = body.contents.iter().any(by_value);
        let ty = match body.contents.as_slice() {
            // Borrowed as `&[T]` / `&str` rather than `&Vec<T>` / `&String`
            // (clippy::ptr_arg); both serialize the same.
            [Content {
                payload: Payload::Json(ty) | Payload::Form { ty, .. },
                ..
            }] => match ty {
                TypeRef::Array(item) => {
                    let item = type_tokens(item, &types);
                    quote!([#item])
                }
                TypeRef::String => quote!(str),
                other => type_tokens(other, &types),
            },
            [Content {
                payload: Payload::Text,
                ..
            }] => quote!(str),
            _ => request_body_type(
                op,
                &types,
                Some(&quote!(types::operations::#module)),
                &quote!(reqwest::Body),
            )
            .unwrap_or_default(),
        };
        match (body.required, by_value) {
            (true, true) if single_binary(body) => quote! { , body: impl Into<reqwest::Body> },
            (true, true) => quote! { , body: #ty },
            (true, false) => quote! { , body: &#ty },
            (false, true) => quote! { , body: Option<#ty> },
            (false, false) => quote! { , body: Option<&#ty> },
        }
    });

    // The URL's path.
    let segments = path_segments(op);
    let http_method = http_method(op.method);

    // Parameters outside the path, in the operation's order.
    let param_statements: Vec<TokenStream> = op
        .parameters
        .iter()
        .filter_map(|p| {
            let wire = &p.wire_name;
            let field = ident(&p.name);
            let value = match writer(all.api, p) {
                Writer::Deep => {
                    return Some(quote! { deep_object(&mut request, #wire, &parameters.#field)?; })
                }
                Writer::Json => quote!(&json_param(#wire, &parameters.#field)?),
                Writer::Text => quote!(&parameters.#field),
            };
            match p.location {
                ParameterLocation::Path => None,
                ParameterLocation::Query => {
                    let delimiter = delimiter(p);
                    Some(quote! { query(&mut request, #wire, #value, #delimiter)?; })
                }
                ParameterLocation::Header => Some(quote! { header(&mut request, #wire, #value)?; }),
                ParameterLocation::Cookie => Some(quote! { cookie(&mut request, #wire, #value)?; }),
            }
        })
        .collect();
    let body_statement = op.request_body.as_ref().map(|body| {
        let by_value = body.contents.iter().any(by_value);
        let set = match body.contents.as_slice() {
            [content] => {
                let convert = body.required && single_binary(body);
                body_setter(op, content, &plan.content_types[0], !by_value, convert)
            }
            contents => {
                let arms =
                    contents
                        .iter()
                        .zip(&plan.content_types)
                        .map(|(content, content_type)| {
                            let variant = ident(&content.variant);
                            let set = body_setter(op, content, content_type, false, false);
                            quote!(types::operations::#module::Body::#variant(body) => { #set })
                        });
                quote! {
                    match body {
                        #( #arms )*
                    }
                }
            }
        };
        if body.required {
            set
        } else {
            quote! {
                if let Some(body) = body {
                    #set
                }
            }
        }
    });
    let mutable = (!param_statements.is_empty() || body_statement.is_some()).then(|| quote!(mut));

    let auth_statement = (!plan.security.is_empty()).then(|| {
        let alternatives = plan.security.iter().map(|alternative| {
            let variants = alternative
                .iter()
                .map(|&index| ident(&all.schemes[index].variant));
            quote! { &[ #( Scheme::#variants ),* ] }
        });
        quote! { let request = authorize(self, request, &[ #( #alternatives ),* ])?; }
    });

    // Status -> variant. Codes come first in the model, then ranges, then
    // `default`, which is also the order the arms must be in.
    let mut arms = Vec::new();
    let mut uses_content = false;
    let mut uses_headers = false;
    let mut has_default = false;
    for response in &op.responses {
        let variant = ident(&response.variant);
        let body = response.body.as_ref().map(|body| match body.payload {
            Payload::Text => quote!(decode_text(status, content)?),
            Payload::Binary => quote!(content),
            _ => quote!(decode(status, content)?),
        });
        uses_content |= body.is_some() || !response.headers.is_empty();
        uses_headers |= !response.headers.is_empty();
        let read_headers = (!response.headers.is_empty()).then(|| {
            let headers = format_ident!("{}Headers", response.variant);
            let fields = response.headers.iter().map(|header| {
                let field = ident(&header.name);
                let name = header.wire_name.to_ascii_lowercase();
                let read = match (is_list(all.api, &header.ty), header.required) {
                    (false, false) => quote!(read_header),
                    (false, true) => quote!(read_required_header),
                    (true, false) => quote!(read_header_list),
                    (true, true) => quote!(read_required_header_list),
                };
                quote!(#field: #read(&headers, #name, status, &content)?)
            });
            quote! {
                let headers = types::operations::#module::#headers { #( #fields, )* };
            }
        });
        let value = match variant_shape(response) {
            VariantShape::Unit => quote!(Response::#variant),
            VariantShape::Tuple => quote!(Response::#variant(#body)),
            VariantShape::Fields => {
                let status = (!matches!(response.status, Status::Code(_))).then(|| quote!(status));
                let body = body.map(|body| quote!(body: #body));
                let headers = read_headers.is_some().then(|| quote!(headers));
                let fields = [status, body, headers].into_iter().flatten();
                quote!(Response::#variant { #( #fields ),* })
            }
        };
        let pattern = match response.status {
            Status::Code(code) => {
                let code = Literal::u16_unsuffixed(code);
                quote!(#code)
            }
            Status::Range(hundreds) => {
                let low = u16::from(hundreds) * 100;
                let (low, high) = (
                    Literal::u16_unsuffixed(low),
                    Literal::u16_unsuffixed(low + 99),
                );
                quote!(#low..=#high)
            }
            Status::Default => {
                has_default = true;
                quote!(_)
            }
        };
        let result = match read_headers {
            Some(read_headers) => quote!({
                #read_headers
                Ok(#value)
            }),
            None => quote!(Ok(#value)),
        };
        arms.push((pattern, result));
    }
    if !has_default {
        uses_content = true;
        arms.push((
            quote!(_),
            quote!(Err(Error::UnexpectedStatus {
                status,
                body: content
            })),
        ));
    }
    let use_response = (!op.responses.is_empty()).then(|| {
        quote! { use types::operations::#module::Response; }
    });
    let result = if arms.len() == 1 {
        // Only a wildcard: no `match` (clippy::match_single_binding).
        arms.pop().map(|(_, value)| value).unwrap_or_default()
    } else {
        let arms = arms
            .iter()
            .map(|(pattern, value)| quote!(#pattern => #value,));
        quote! { match status { #( #arms )* } }
    };
    let content = if uses_content {
        quote!(content)
    } else {
        quote!(_)
    };
    let received = if !all.uses.response_headers {
        quote!((status, #content))
    } else if uses_headers {
        quote!((status, headers, #content))
    } else {
        quote!((status, _, #content))
    };

    quote! {
        #docs
        pub async fn #method(&self #parameters_arg #body_arg)
            -> Result<types::operations::#module::Response, Error>
        {
            #use_response
            let #mutable request = new_request(self, reqwest::Method::#http_method, &[ #( #segments ),* ])?;
            #( #param_statements )*
            #body_statement
            #auth_statement
            let #received = send(self, request).await?;
            #result
        }
    }
}

/// Whether a body content is taken by value: bytes (a stream, or files in a
/// multipart body) are not copied.
fn by_value(content: &Content) -> bool {
    matches!(content.payload, Payload::Binary | Payload::Multipart(_))
}

/// The statements setting one media type of a request body from `body`,
/// which is a reference when `borrowed`, and for binary bodies an
/// `impl Into<reqwest::Body>` when `convert`.
fn body_setter(
    op: &Operation,
    content: &Content,
    content_type: &str,
    borrowed: bool,
    convert: bool,
) -> TokenStream {
    let reference = if borrowed {
        quote!(body)
    } else {
        quote!(&body)
    };
    match &content.payload {
        Payload::Json(_) => quote! { json_body(&mut request, #content_type, #reference)?; },
        Payload::Form { deep_objects, .. } => quote! {
            request = form_body(&self.http, request, #reference, &[ #( #deep_objects ),* ])?;
        },
        Payload::Text => {
            // `body` is a `&str`, a `String`, or (matched out of a borrowed
            // `Body` enum) a `&String`; `to_string` takes all three.
            let text = if borrowed {
                quote!(body.to_owned().into())
            } else {
                quote!(body.to_string().into())
            };
            quote! { raw_body(&mut request, #content_type, #text); }
        }
        Payload::Binary => {
            let bytes = if convert {
                quote!(body.into())
            } else {
                quote!(body)
            };
            quote! { raw_body(&mut request, #content_type, #bytes); }
        }
        Payload::Multipart(_) => {
            let form = format_ident!("multipart_{}", op.name);
            quote! { request = multipart_body(&self.http, request, #form(body)?)?; }
        }
    }
}

fn http_method(method: Method) -> Ident {
    ident(method.as_str())
}

/// A piece of a path segment: literal text or a parameter's value.
enum Part<'a> {
    Literal(String),
    Param(&'a Parameter),
}

/// The path template as one expression per URL segment (`&str`), each a
/// literal, a parameter's value, or both concatenated (`/{name}.json`).
fn path_segments(op: &Operation) -> Vec<TokenStream> {
    let path = op.path.strip_prefix('/').unwrap_or(&op.path);
    path.split('/')
        .map(|segment| {
            let path_param = |p: &Parameter| {
                let (wire, field) = (&p.wire_name, ident(&p.name));
                if p.style == ParameterStyle::Json {
                    quote!(path_param(#wire, &json_param(#wire, &parameters.#field)?)?)
                } else {
                    quote!(path_param(#wire, &parameters.#field)?)
                }
            };
            match segment_parts(op, segment).as_slice() {
                [] => quote!(""),
                [Part::Literal(text)] => quote!(#text),
                [Part::Param(p)] => {
                    let value = path_param(p);
                    quote!(&#value)
                }
                parts => {
                    let parts = parts.iter().map(|part| match part {
                        Part::Literal(text) => quote!(#text),
                        Part::Param(p) => {
                            let value = path_param(p);
                            quote!(#value.as_str())
                        }
                    });
                    quote!(&[ #( #parts ),* ].concat())
                }
            }
        })
        .collect()
}

/// Splits one segment of a path template into literal text and parameters.
/// A `{name}` that names no path parameter stays literal text (resolve
/// reports such templates).
fn segment_parts<'a>(op: &'a Operation, segment: &str) -> Vec<Part<'a>> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut rest = segment;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|i| open + i) else {
            break;
        };
        let name = &rest[open + 1..close];
        let param = op
            .parameters
            .iter()
            .find(|p| p.location == ParameterLocation::Path && p.wire_name == name);
        match param {
            Some(param) => {
                literal.push_str(&rest[..open]);
                if !literal.is_empty() {
                    parts.push(Part::Literal(std::mem::take(&mut literal)));
                }
                parts.push(Part::Param(param));
            }
            None => literal.push_str(&rest[..=close]),
        }
        rest = &rest[close + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        parts.push(Part::Literal(literal));
    }
    parts
}

/// The private helpers, each only when some operation uses it.
fn helpers(plan: &Plan<'_>) -> TokenStream {
    let uses = plan.uses;
    let mut items = Vec::new();

    items.push(quote! {
        /// Parses and checks a base URL: absolute, `http` or `https`, and able
        /// to take path segments.
        fn parse_base_url(base_url: &str) -> Result<reqwest::Url, Error> {
            let url = reqwest::Url::parse(base_url)
                .map_err(|e| Error::InvalidBaseUrl(format!("not an absolute URL: {e}")))?;
            if url.scheme() != "http" && url.scheme() != "https" {
                return Err(Error::InvalidBaseUrl(format!(
                    "the scheme is `{}`, not `http` or `https`",
                    url.scheme()
                )));
            }
            if url.cannot_be_a_base() {
                return Err(Error::InvalidBaseUrl("the URL cannot take a path".to_owned()));
            }
            Ok(url)
        }
    });

    items.push(quote! {
        /// A request to the base URL's path followed by `segments`, each
        /// percent-encoded as one segment (a `/` in a value stays in its
        /// segment).
        fn new_request(client: &Client, method: reqwest::Method, segments: &[&str]) -> Result<reqwest::Request, Error> {
            // A URL drops such segments, which would silently change the path.
            if let Some(segment) = segments.iter().find(|s| **s == "." || **s == "..") {
                return Err(Error::InvalidRequest(format!(
                    "a path segment cannot be `{segment}`"
                )));
            }
            let mut url = client.base_url.clone();
            url.path_segments_mut()
                .map_err(|()| Error::InvalidBaseUrl("the URL cannot take a path".to_owned()))?
                .pop_if_empty()
                .extend(segments);
            // Through the request builder, so that user info in the base URL
            // becomes basic authentication.
            client.http.request(method, url).build().map_err(Error::Transport)
        }
    });

    items.push(quote! {
        /// The wire strings of a parameter's value: none for `None`, one per
        /// item for an array, one otherwise. Strings are sent as they are;
        /// numbers, booleans and other values as their JSON text.
        fn param_strings<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<Vec<String>, Error> {
            let value = serde_json::to_value(value).map_err(|e| {
                Error::InvalidRequest(format!("cannot serialize parameter `{name}`: {e}"))
            })?;
            let text = |value: serde_json::Value| match value {
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            Ok(match value {
                serde_json::Value::Null => Vec::new(),
                serde_json::Value::Array(items) => items.into_iter().map(text).collect(),
                other => vec![text(other)],
            })
        }
    });
    items.push(quote! {
        /// A path parameter's value (array items joined with commas). An
        /// empty value is refused: `//` in a path may reach another route.
        fn path_param<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<String, Error> {
            let value = param_strings(name, value)?.join(",");
            if value.is_empty() {
                return Err(Error::InvalidRequest(format!("path parameter `{name}` is empty")));
            }
            Ok(value)
        }
    });
    items.push(quote! {
        /// Appends a query parameter, unless its value is `None`. An array
        /// repeats the key per item without a `delimiter`, else joins its
        /// items with it.
        fn query<T: serde::Serialize + ?Sized>(
            request: &mut reqwest::Request,
            name: &str,
            value: &T,
            delimiter: Option<char>,
        ) -> Result<(), Error> {
            let values = param_strings(name, value)?;
            if values.is_empty() {
                return Ok(());
            }
            let mut pairs = request.url_mut().query_pairs_mut();
            match delimiter {
                None => {
                    for value in &values {
                        pairs.append_pair(name, value);
                    }
                }
                Some(delimiter) => {
                    pairs.append_pair(name, &values.join(&delimiter.to_string()));
                }
            }
            Ok(())
        }
    });
    items.push(quote! {
        /// Sets a header parameter, unless its value is `None` (array items
        /// joined with commas).
        fn header<T: serde::Serialize + ?Sized>(request: &mut reqwest::Request, name: &str, value: &T) -> Result<(), Error> {
            let values = param_strings(name, value)?;
            if values.is_empty() {
                return Ok(());
            }
            set_header(request, name, &values.join(","), false)
        }
    });
    items.push(quote! {
        /// Sets a header; a `sensitive` value is hidden from `Debug` output.
        /// An error never shows the value.
        fn set_header(request: &mut reqwest::Request, name: &str, value: &str, sensitive: bool) -> Result<(), Error> {
            let name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| Error::InvalidRequest(format!("`{name}` is not a valid header name")))?;
            let mut value = reqwest::header::HeaderValue::from_str(value).map_err(|_| {
                Error::InvalidRequest(format!(
                    "the value of header `{name}` has characters a header cannot carry"
                ))
            })?;
            value.set_sensitive(sensitive);
            request.headers_mut().insert(name, value);
            Ok(())
        }
    });
    items.push(quote! {
        /// Adds a cookie parameter, unless its value is `None` (array items
        /// joined with commas).
        fn cookie<T: serde::Serialize + ?Sized>(request: &mut reqwest::Request, name: &str, value: &T) -> Result<(), Error> {
            let values = param_strings(name, value)?;
            if values.is_empty() {
                return Ok(());
            }
            add_cookie(request, name, &values.join(","), false)
        }
    });
    items.push(quote! {
        /// Adds `name=value` to the request's one `Cookie` header, which is
        /// hidden from `Debug` output once a `sensitive` value is in it. An
        /// error never shows the value.
        fn add_cookie(request: &mut reqwest::Request, name: &str, value: &str, sensitive: bool) -> Result<(), Error> {
            let mut cookie = Vec::new();
            let mut sensitive = sensitive;
            if let Some(existing) = request.headers().get(reqwest::header::COOKIE) {
                cookie.extend_from_slice(existing.as_bytes());
                cookie.extend_from_slice(b"; ");
                sensitive |= existing.is_sensitive();
            }
            cookie.extend_from_slice(name.as_bytes());
            cookie.push(b'=');
            cookie.extend_from_slice(value.as_bytes());
            let mut cookie = reqwest::header::HeaderValue::from_bytes(&cookie).map_err(|_| {
                Error::InvalidRequest(format!(
                    "cookie `{name}` has characters a header cannot carry"
                ))
            })?;
            cookie.set_sensitive(sensitive);
            request.headers_mut().insert(reqwest::header::COOKIE, cookie);
            Ok(())
        }
    });
    items.extend(body_helpers(plan));
    if !plan.schemes.is_empty() {
        items.push(authorize(plan));
    }

    let transport = if uses.query_credential {
        items.push(quote! {
            /// A transport error, without the URL's query, which may hold a
            /// credential.
            fn transport(mut error: reqwest::Error) -> Error {
                if let Some(url) = error.url_mut() {
                    url.set_query(None);
                }
                Error::Transport(error)
            }
        });
        quote!(transport)
    } else {
        quote!(Error::Transport)
    };
    // Reads the body of `response` (status `status`) within the client's limit.
    let read = quote! {
        read_body(response, client.body_limit).await.map_err(|error| match error {
            BodyError::TooLarge => Error::BodyTooLarge { status, limit: client.body_limit },
            BodyError::Transport(error) => #transport(error),
        })?
    };
    if uses.response_headers {
        items.push(quote! {
            /// Sends a request and reads the whole response, up to the
            /// client's body limit.
            async fn send(client: &Client, request: reqwest::Request) -> Result<(u16, reqwest::header::HeaderMap, Vec<u8>), Error> {
                let response = client.http.execute(request).await.map_err(#transport)?;
                let status = response.status().as_u16();
                let headers = response.headers().clone();
                let content = #read;
                Ok((status, headers, content))
            }
        });
    } else if !plan.ops.is_empty() {
        items.push(quote! {
            /// Sends a request and reads the whole response, up to the
            /// client's body limit.
            async fn send(client: &Client, request: reqwest::Request) -> Result<(u16, Vec<u8>), Error> {
                let response = client.http.execute(request).await.map_err(#transport)?;
                let status = response.status().as_u16();
                let content = #read;
                Ok((status, content))
            }
        });
    }
    if !plan.ops.is_empty() {
        items.push(runtime(BODY_RS));
    }
    if uses.decode {
        items.push(quote! {
            /// Decodes a JSON response body; on failure the error keeps the
            /// status and the raw body.
            fn decode<T: serde::de::DeserializeOwned>(status: u16, content: Vec<u8>) -> Result<T, Error> {
                serde_json::from_slice(&content).map_err(|source| Error::Decode {
                    status,
                    body: content,
                    source,
                })
            }
        });
    }

    if uses.decode_text {
        items.push(quote! {
            /// A text response body; on failure the error keeps the status and
            /// the raw body.
            fn decode_text(status: u16, content: Vec<u8>) -> Result<String, Error> {
                String::from_utf8(content).map_err(|error| Error::Decode {
                    status,
                    body: error.into_bytes(),
                    source: serde::de::Error::custom("the body is not UTF-8 text"),
                })
            }
        });
    }
    items.extend(header_helpers(uses));

    // Every request-side helper is written; `client_rs` keeps those the
    // client's code reaches. Keep the (deterministic) order of pushes.
    quote! { #( #items )* }
}

/// The helpers setting request bodies, and one function per multipart body
/// building its form.
fn body_helpers(plan: &Plan<'_>) -> Vec<TokenStream> {
    let mut items = Vec::new();
    items.push(quote! {
        /// Sets a JSON request body.
        fn json_body<T: serde::Serialize + ?Sized>(
            request: &mut reqwest::Request,
            content_type: &'static str,
            body: &T,
        ) -> Result<(), Error> {
            let body = serde_json::to_vec(body).map_err(|e| {
                Error::InvalidRequest(format!("cannot serialize the request body: {e}"))
            })?;
            request.headers_mut().insert(
                reqwest::header::CONTENT_TYPE,
                reqwest::header::HeaderValue::from_static(content_type),
            );
            *request.body_mut() = Some(body.into());
            Ok(())
        }
    });
    items.push(quote! {
        /// The `key=value` pairs of `value` under `key`: object fields as
        /// `key[name]`, array items repeating the key or, when `indexed` (and
        /// always for arrays of objects), as `key[0]`, `key[1]`...; nothing
        /// for `null`.
        fn form_pairs(key: String, value: &serde_json::Value, indexed: bool, pairs: &mut Vec<(String, String)>) {
            match value {
                serde_json::Value::Null => {}
                serde_json::Value::String(text) => pairs.push((key, text.clone())),
                serde_json::Value::Array(items) => {
                    for (index, item) in items.iter().enumerate() {
                        if indexed || item.is_object() || item.is_array() {
                            form_pairs(format!("{key}[{index}]"), item, true, pairs);
                        } else {
                            form_pairs(key.clone(), item, false, pairs);
                        }
                    }
                }
                serde_json::Value::Object(fields) => {
                    for (name, field) in fields {
                        form_pairs(format!("{key}[{name}]"), field, true, pairs);
                    }
                }
                other => pairs.push((key, other.to_string())),
            }
        }
    });
    items.push(quote! {
        /// Appends an object query parameter in the `deepObject` style,
        /// `name[key]=value` (see [`form_pairs`]), unless its value is `None`.
        fn deep_object<T: serde::Serialize + ?Sized>(request: &mut reqwest::Request, name: &str, value: &T) -> Result<(), Error> {
            let value = serde_json::to_value(value).map_err(|e| {
                Error::InvalidRequest(format!("cannot serialize parameter `{name}`: {e}"))
            })?;
            let mut pairs = Vec::new();
            form_pairs(name.to_owned(), &value, true, &mut pairs);
            let mut query = request.url_mut().query_pairs_mut();
            for (key, value) in &pairs {
                query.append_pair(key, value);
            }
            Ok(())
        }
    });
    items.push(quote! {
        /// A parameter's value as JSON text; `None` for `None`.
        fn json_param<T: serde::Serialize + ?Sized>(name: &str, value: &T) -> Result<Option<String>, Error> {
            let value = serde_json::to_value(value).map_err(|e| {
                Error::InvalidRequest(format!("cannot serialize parameter `{name}`: {e}"))
            })?;
            Ok((!value.is_null()).then(|| value.to_string()))
        }
    });
    items.push(quote! {
        /// Sets an `application/x-www-form-urlencoded` body: the body's
        /// properties as `key=value` pairs (see [`form_pairs`]); the arrays of
        /// the `deep` properties (`deepObject` style) as `key[0]=value`.
        fn form_body<T: serde::Serialize + ?Sized>(
            http: &reqwest::Client,
            request: reqwest::Request,
            body: &T,
            deep: &[&str],
        ) -> Result<reqwest::Request, Error> {
            let body = serde_json::to_value(body).map_err(|e| {
                Error::InvalidRequest(format!("cannot serialize the request body: {e}"))
            })?;
            let serde_json::Value::Object(fields) = body else {
                return Err(Error::InvalidRequest("a form body must be an object".to_owned()));
            };
            let mut pairs = Vec::new();
            for (name, field) in &fields {
                form_pairs(name.clone(), field, deep.contains(&name.as_str()), &mut pairs);
            }
            reqwest::RequestBuilder::from_parts(http.clone(), request)
                .form(&pairs)
                .build()
                .map_err(Error::Transport)
        }
    });
    items.push(quote! {
        /// Sets a body sent as it is (text or bytes) with its media type.
        fn raw_body(request: &mut reqwest::Request, content_type: &'static str, body: reqwest::Body) {
            request.headers_mut().insert(
                reqwest::header::CONTENT_TYPE,
                reqwest::header::HeaderValue::from_static(content_type),
            );
            *request.body_mut() = Some(body);
        }
    });
    items.push(quote! {
        /// Sets a `multipart/form-data` body.
        fn multipart_body(http: &reqwest::Client, request: reqwest::Request, form: reqwest::multipart::Form) -> Result<reqwest::Request, Error> {
            reqwest::RequestBuilder::from_parts(http.clone(), request)
                .multipart(form)
                .build()
                .map_err(Error::Transport)
        }
    });
    items.push(quote! {
        /// Adds a file part, with its file name and media type when it has them.
        fn file_part(form: reqwest::multipart::Form, name: &str, file: types::operations::File) -> Result<reqwest::multipart::Form, Error> {
            let mut part = reqwest::multipart::Part::bytes(file.bytes);
            if let Some(file_name) = file.file_name {
                part = part.file_name(file_name);
            }
            if let Some(content_type) = &file.content_type {
                part = part.mime_str(content_type).map_err(|_| {
                    Error::InvalidRequest(format!("the media type of file `{name}` is not valid"))
                })?;
            }
            Ok(form.part(name.to_owned(), part))
        }
    });
    items.push(quote! {
        /// Adds the parts of a value: none for `None`, one per item of an
        /// array; strings, numbers and booleans as text, objects as JSON.
        fn value_parts<T: serde::Serialize + ?Sized>(form: reqwest::multipart::Form, name: &str, value: &T) -> Result<reqwest::multipart::Form, Error> {
            let value = serde_json::to_value(value).map_err(|e| {
                Error::InvalidRequest(format!("cannot serialize part `{name}`: {e}"))
            })?;
            let items = match value {
                serde_json::Value::Array(items) => items,
                other => vec![other],
            };
            let mut form = form;
            for item in items {
                let part = match item {
                    serde_json::Value::Null => continue,
                    serde_json::Value::String(text) => reqwest::multipart::Part::text(text),
                    item @ (serde_json::Value::Object(_) | serde_json::Value::Array(_)) => {
                        reqwest::multipart::Part::text(item.to_string())
                            .mime_str("application/json")
                            .map_err(Error::Transport)?
                    }
                    other => reqwest::multipart::Part::text(other.to_string()),
                };
                form = form.part(name.to_owned(), part);
            }
            Ok(form)
        }
    });
    for op in &plan.ops {
        let module = ident(&op.op.name);
        for content in op.op.request_body.iter().flat_map(|b| &b.contents) {
            let Payload::Multipart(fields) = &content.payload else {
                continue;
            };
            let name = format_ident!("multipart_{}", op.op.name);
            let doc = format!(
                "The parts of the `multipart/form-data` body of [`Client::{}`].",
                op.method
            );
            let steps = fields.iter().map(|field| {
                let wire = &field.wire_name;
                let value = ident(&field.name);
                match (&field.part, field.required) {
                    (PartKind::File, true) => quote! {
                        let form = file_part(form, #wire, body.#value)?;
                    },
                    (PartKind::File, false) => quote! {
                        let form = match body.#value {
                            Some(file) => file_part(form, #wire, file)?,
                            None => form,
                        };
                    },
                    (PartKind::Files, _) => quote! {
                        let form = body.#value.into_iter().try_fold(form, |form, file| file_part(form, #wire, file))?;
                    },
                    (PartKind::Value(_), _) => quote! {
                        let form = value_parts(form, #wire, &body.#value)?;
                    },
                }
            });
            items.push(quote! {
                #[doc = #doc]
                fn #name(body: types::operations::#module::Multipart) -> Result<reqwest::multipart::Form, Error> {
                    let form = reqwest::multipart::Form::new();
                    #( #steps )*
                    Ok(form)
                }
            });
        }
    }
    items
}

/// Reading the headers responses declare.
fn header_helpers(uses: Uses) -> Vec<TokenStream> {
    let mut items = Vec::new();
    if !uses.response_headers {
        return items;
    }
    items.push(quote! {
        /// Reads one header value as `T`: first as a JSON string (strings,
        /// uuids, dates, enums), then as a JSON literal (numbers, booleans).
        fn parse_header<T: serde::de::DeserializeOwned>(raw: &str) -> Result<T, String> {
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

        /// The values of header `name`, which must be visible ASCII.
        fn header_values<'h>(headers: &'h reqwest::header::HeaderMap, name: &str) -> Result<Vec<&'h str>, String> {
            headers
                .get_all(name)
                .iter()
                .map(|value| value.to_str().map_err(|_| "the value is not visible ASCII".to_owned()))
                .collect()
        }

        /// A declared response header that cannot be read.
        fn invalid_header(status: u16, name: &str, content: &[u8], message: String) -> Error {
            Error::InvalidHeader { status, name: name.to_owned(), body: content.to_vec(), message }
        }
    });
    if uses.scalar_header || uses.required_header {
        items.push(quote! {
            /// Response header `name` as `T` (the first value when sent several
            /// times); `None` when absent. An error keeps the status and body.
            fn read_header<T: serde::de::DeserializeOwned>(headers: &reqwest::header::HeaderMap, name: &str, status: u16, content: &[u8]) -> Result<Option<T>, Error> {
                let values = header_values(headers, name).map_err(|message| invalid_header(status, name, content, message))?;
                values
                    .first()
                    .map(|value| parse_header(value.trim()))
                    .transpose()
                    .map_err(|message| invalid_header(status, name, content, message))
            }
        });
    }
    if uses.required_header {
        items.push(quote! {
            /// Response header `name`, which the response declares required.
            fn read_required_header<T: serde::de::DeserializeOwned>(headers: &reqwest::header::HeaderMap, name: &str, status: u16, content: &[u8]) -> Result<T, Error> {
                read_header(headers, name, status, content)?
                    .ok_or_else(|| invalid_header(status, name, content, "the header is missing".to_owned()))
            }
        });
    }
    if uses.list_header || uses.required_list_header {
        items.push(quote! {
            /// Response header `name` as a list: the comma-separated items of
            /// every value; `None` when absent. An error keeps the status and body.
            fn read_header_list<T: serde::de::DeserializeOwned>(headers: &reqwest::header::HeaderMap, name: &str, status: u16, content: &[u8]) -> Result<Option<Vec<T>>, Error> {
                let values = header_values(headers, name).map_err(|message| invalid_header(status, name, content, message))?;
                if values.is_empty() {
                    return Ok(None);
                }
                values
                    .iter()
                    .flat_map(|value| value.split(','))
                    .map(str::trim)
                    .filter(|item| !item.is_empty())
                    .map(parse_header)
                    .collect::<Result<Vec<T>, String>>()
                    .map(Some)
                    .map_err(|message| invalid_header(status, name, content, message))
            }
        });
    }
    if uses.required_list_header {
        items.push(quote! {
            /// Response header `name` as a list, which the response declares required.
            fn read_required_header_list<T: serde::de::DeserializeOwned>(headers: &reqwest::header::HeaderMap, name: &str, status: u16, content: &[u8]) -> Result<Vec<T>, Error> {
                read_header_list(headers, name, status, content)?
                    .ok_or_else(|| invalid_header(status, name, content, "the header is missing".to_owned()))
            }
        });
    }
    items
}

/// The `Scheme` enum and `authorize`, for the schemes operations may send.
fn authorize(plan: &Plan<'_>) -> TokenStream {
    let variants: Vec<Ident> = plan.schemes.iter().map(|s| ident(&s.variant)).collect();
    let variant_docs = plan
        .schemes
        .iter()
        .map(|s| doc_attrs(Some(&format!("{}.", code_span(&s.scheme.key)))));
    let fields: Vec<Ident> = plan.schemes.iter().map(|s| ident(&s.scheme.name)).collect();
    let apply = plan
        .schemes
        .iter()
        .zip(&variants)
        .zip(&fields)
        .map(|((s, variant), field)| {
            let body = match &s.scheme.kind {
                SecuritySchemeKind::ApiKey {
                    location,
                    wire_name,
                } => match location {
                    ApiKeyLocation::Header => {
                        quote! { set_header(&mut request, #wire_name, secret, true)?; }
                    }
                    ApiKeyLocation::Query => quote! {
                        request.url_mut().query_pairs_mut().append_pair(#wire_name, secret);
                    },
                    ApiKeyLocation::Cookie => {
                        quote! { add_cookie(&mut request, #wire_name, secret, true)?; }
                    }
                },
                SecuritySchemeKind::Bearer => quote! {
                    set_header(&mut request, "authorization", &format!("Bearer {secret}"), true)?;
                },
                SecuritySchemeKind::Basic => quote! {
                    request = reqwest::RequestBuilder::from_parts(client.http.clone(), request)
                        .basic_auth(&secret.username, Some(&secret.password))
                        .build()
                        .map_err(Error::Transport)?;
                },
            };
            quote! {
                Scheme::#variant => {
                    if let Some(secret) = &credentials.#field {
                        #body
                    }
                }
            }
        });
    let names: Vec<String> = variants.iter().map(Ident::to_string).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let allow = variant_names_lint_may_fire("Scheme", &names).then(|| {
        // The variant names are the spec's scheme names (`ApiKeyAuth`,
        // `BearerAuth`, `BasicAuth` share a suffix).
        quote!(#[allow(clippy::enum_variant_names)])
    });
    quote! {
        /// A security scheme an operation may send credentials for.
        #[derive(Clone, Copy)]
        #allow
        enum Scheme {
            #( #variant_docs #variants, )*
        }

        /// Adds the credentials of the first alternative of `security` for
        /// which the client holds every scheme; with none held, the request
        /// goes without credentials and the server decides.
        fn authorize(client: &Client, mut request: reqwest::Request, security: &[&[Scheme]]) -> Result<reqwest::Request, Error> {
            let credentials = &client.credentials;
            let held = |scheme: &Scheme| match scheme {
                #( Scheme::#variants => credentials.#fields.is_some(), )*
            };
            let Some(alternative) = security.iter().find(|alternative| alternative.iter().all(held)) else {
                return Ok(request);
            };
            for scheme in *alternative {
                match scheme {
                    #( #apply )*
                }
            }
            Ok(request)
        }
    }
}

// ---------------------------------------------------------------------------
// error.rs

fn error_rs(response_headers: bool) -> TokenStream {
    let preview = Literal::usize_unsuffixed(BODY_PREVIEW_CHARS);
    let variant = response_headers.then(|| {
        quote! {
            /// A header the operation declares for the response's status is
            /// missing (when required) or not of its type.
            InvalidHeader {
                /// The response's status code.
                status: u16,
                /// The header's name.
                name: String,
                /// The raw response body.
                body: Vec<u8>,
                /// What is wrong with the header.
                message: String,
            },
        }
    });
    let (status_pattern, display, debug, no_source) = if response_headers {
        (
            quote!(
                Error::UnexpectedStatus { status, .. }
                    | Error::Decode { status, .. }
                    | Error::BodyTooLarge { status, .. }
                    | Error::InvalidHeader { status, .. }
            ),
            quote! {
                Error::InvalidHeader { status, name, message, .. } => {
                    write!(f, "invalid header `{name}` in a response with status {status}: {message}")
                }
            },
            quote! {
                Error::InvalidHeader { status, name, body, message } => f
                    .debug_struct("InvalidHeader")
                    .field("status", status)
                    .field("name", name)
                    .field("body", &BodyPreview(body))
                    .field("message", message)
                    .finish(),
            },
            quote!(
                Error::InvalidBaseUrl(_)
                    | Error::InvalidRequest(_)
                    | Error::UnexpectedStatus { .. }
                    | Error::BodyTooLarge { .. }
                    | Error::InvalidHeader { .. }
            ),
        )
    } else {
        (
            quote!(
                Error::UnexpectedStatus { status, .. }
                    | Error::Decode { status, .. }
                    | Error::BodyTooLarge { status, .. }
            ),
            quote!(),
            quote!(),
            quote!(
                Error::InvalidBaseUrl(_)
                    | Error::InvalidRequest(_)
                    | Error::UnexpectedStatus { .. }
                    | Error::BodyTooLarge { .. }
            ),
        )
    };
    quote! {
        use std::fmt;

        /// What can go wrong when calling the API. A response with a status
        /// the operation declares is not an error: it is a variant of the
        /// operation's `Response`.
        ///
        /// Its `Debug` and `Display` output show a response body as its
        /// length and its first few hundred characters, never all of it.
        pub enum Error {
            /// The base URL is not an absolute `http` or `https` URL that can
            /// take a path.
            InvalidBaseUrl(String),
            /// The request cannot be built from the given parameters or body,
            /// e.g. a path parameter that is empty, `.` or `..`, or a header
            /// value with a line break. The message never shows a credential.
            InvalidRequest(String),
            /// The request could not be sent, or the response not be read,
            /// including when a timeout passed (`reqwest::Error::is_timeout`;
            /// see `ClientOptions`).
            Transport(reqwest::Error),
            /// The server answered with a status the operation does not
            /// declare.
            UnexpectedStatus {
                /// The response's status code.
                status: u16,
                /// The raw response body.
                body: Vec<u8>,
            },
            /// The response body is not what the operation declares for its
            /// status.
            Decode {
                /// The response's status code.
                status: u16,
                /// The raw response body.
                body: Vec<u8>,
                /// Why decoding failed.
                source: serde_json::Error,
            },
            /// The response body is longer than the client's limit (see
            /// `Client::with_body_limit`). The call stopped reading it once
            /// past the limit, or did not read it when its `Content-Length`
            /// was over the limit.
            BodyTooLarge {
                /// The response's status code.
                status: u16,
                /// The client's limit, in bytes.
                limit: usize,
            },
            #variant
        }

        impl Error {
            /// The status of the response, when the error comes with one.
            pub fn status(&self) -> Option<u16> {
                match self {
                    #status_pattern => Some(*status),
                    Error::InvalidBaseUrl(_) | Error::InvalidRequest(_) | Error::Transport(_) => None,
                }
            }
        }

        impl fmt::Display for Error {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    Error::InvalidBaseUrl(message) => write!(f, "invalid base URL: {message}"),
                    Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
                    Error::Transport(_) => f.write_str("HTTP request failed"),
                    Error::UnexpectedStatus { status, body } => {
                        write!(f, "unexpected response status {status}")?;
                        write_body(f, body)
                    }
                    Error::Decode { status, body, .. } => {
                        write!(f, "cannot decode the body of a response with status {status}")?;
                        write_body(f, body)
                    }
                    Error::BodyTooLarge { status, limit } => write!(
                        f,
                        "the body of a response with status {status} is longer than the limit of {limit} bytes"
                    ),
                    #display
                }
            }
        }

        impl fmt::Debug for Error {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    Error::InvalidBaseUrl(message) => f.debug_tuple("InvalidBaseUrl").field(message).finish(),
                    Error::InvalidRequest(message) => f.debug_tuple("InvalidRequest").field(message).finish(),
                    Error::Transport(error) => f.debug_tuple("Transport").field(error).finish(),
                    Error::UnexpectedStatus { status, body } => f
                        .debug_struct("UnexpectedStatus")
                        .field("status", status)
                        .field("body", &BodyPreview(body))
                        .finish(),
                    Error::Decode { status, body, source } => f
                        .debug_struct("Decode")
                        .field("status", status)
                        .field("body", &BodyPreview(body))
                        .field("source", source)
                        .finish(),
                    Error::BodyTooLarge { status, limit } => f
                        .debug_struct("BodyTooLarge")
                        .field("status", status)
                        .field("limit", limit)
                        .finish(),
                    #debug
                }
            }
        }

        /// The first characters of a response body as lossy UTF-8, and
        /// whether the body goes on after them.
        fn preview(body: &[u8]) -> (String, bool) {
            // A character takes at most four bytes, so this prefix holds the
            // preview, and the body goes on if it is longer than the prefix.
            let prefix = &body[..body.len().min(4 * #preview)];
            let text = String::from_utf8_lossy(prefix);
            let preview: String = text.chars().take(#preview).collect();
            let cut = preview.len() < text.len() || prefix.len() < body.len();
            (preview, cut)
        }

        /// Writes a response body for a message: lossy UTF-8, quoted and
        /// escaped, cut after a few hundred characters.
        fn write_body(f: &mut fmt::Formatter<'_>, body: &[u8]) -> fmt::Result {
            if body.is_empty() {
                return f.write_str(" (empty body)");
            }
            let (preview, cut) = preview(body);
            if cut {
                write!(f, ": {preview:?}... ({} bytes)", body.len())
            } else {
                write!(f, ": {preview:?}")
            }
        }

        /// A response body in `Debug` output: quoted as lossy UTF-8, and cut
        /// after a few hundred characters with its length.
        struct BodyPreview<'a>(&'a [u8]);

        impl fmt::Debug for BodyPreview<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let (preview, cut) = preview(self.0);
                if cut {
                    write!(f, "{preview:?}... ({} bytes)", self.0.len())
                } else {
                    write!(f, "{preview:?}")
                }
            }
        }

        impl std::error::Error for Error {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                match self {
                    Error::Transport(error) => Some(error),
                    Error::Decode { source, .. } => Some(source),
                    #no_source => None,
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{IntegerFormat, RequestBody, Response, ResponseBody, Server};

    fn param(name: &str, location: ParameterLocation, ty: TypeRef, required: bool) -> Parameter {
        Parameter {
            name: names::field_name(name, "p"),
            wire_name: name.to_owned(),
            location,
            required,
            docs: None,
            ty,
            explode: true,
            style: ParameterStyle::Default,
        }
    }

    fn response(status: Status, variant: &str, body: Option<&str>) -> Response {
        Response {
            status,
            variant: variant.to_owned(),
            docs: None,
            body: body.map(|name| ResponseBody {
                media_type: "application/json".to_owned(),
                payload: Payload::Json(TypeRef::Named(name.to_owned())),
            }),
            headers: Vec::new(),
        }
    }

    fn operation(name: &str, method: Method, path: &str) -> Operation {
        Operation {
            name: name.to_owned(),
            operation_id: None,
            method,
            path: path.to_owned(),
            pointer: crate::error::pointer_push(
                &crate::error::pointer_push("#/paths", path),
                &method.as_str().to_lowercase(),
            ),
            summary: None,
            description: None,
            tags: Vec::new(),
            parameters: Vec::new(),
            request_body: None,
            responses: Vec::new(),
            security: Vec::new(),
        }
    }

    fn error_responses() -> Vec<Response> {
        let mut responses = Vec::new();
        for (code, variant) in [
            (400, "BadRequest"),
            (401, "Unauthorized"),
            (403, "Forbidden"),
            (404, "NotFound"),
        ] {
            responses.push(response(Status::Code(code), variant, Some("ErrorResponse")));
        }
        responses.push(response(Status::Code(405), "MethodNotAllowed", None));
        for (code, variant) in [
            (500, "InternalServerError"),
            (503, "ServiceUnavailable"),
            (504, "GatewayTimeout"),
        ] {
            responses.push(response(Status::Code(code), variant, Some("ErrorResponse")));
        }
        responses
    }

    /// The model of `spec/customer-identification-processes.yaml`, by hand.
    pub(crate) fn spec_api() -> Api {
        let path_params = || {
            vec![
                param("org_id", ParameterLocation::Path, TypeRef::String, true),
                param("customer_id", ParameterLocation::Path, TypeRef::Uuid, true),
            ]
        };
        let security = vec![vec!["bearerAuth".to_owned()], vec!["authRoles".to_owned()]];
        let mut list = operation(
            "list_identification_processes",
            Method::Get,
            "/orgs/{org_id}/customers/{customer_id}/identification-processes",
        );
        list.summary = Some("List the identification processes of a customer".to_owned());
        list.description = Some("Returns every identification process of the customer.".to_owned());
        list.parameters = path_params();
        list.responses = vec![response(
            Status::Code(200),
            "Ok",
            Some("ListIdentificationProcessesResponse"),
        )];
        list.responses.extend(error_responses());
        list.security = security.clone();

        let mut get = operation(
            "get_identification_process",
            Method::Get,
            "/orgs/{org_id}/customers/{customer_id}/identification-processes/{identification_process_id}",
        );
        get.summary = Some("Get an identification process of a customer".to_owned());
        get.parameters = path_params();
        get.parameters.push(param(
            "identification_process_id",
            ParameterLocation::Path,
            TypeRef::Uuid,
            true,
        ));
        get.responses = vec![response(
            Status::Code(200),
            "Ok",
            Some("GetIdentificationProcessResponse"),
        )];
        get.responses.extend(error_responses());
        get.security = security;

        Api {
            title: "MasCustomers API - Customer identification processes".to_owned(),
            version: "4.43.0".to_owned(),
            description: Some("Read access to the identification processes.".to_owned()),
            servers: vec![
                Server {
                    url: "https://customers.sta.masstack.com/v4".to_owned(),
                    description: Some("Staging environment".to_owned()),
                },
                Server {
                    url: "https://customers.masstack.com/v4".to_owned(),
                    description: Some("Production environment".to_owned()),
                },
            ],
            types: Vec::new(),
            operations: vec![list, get],
            security_schemes: vec![
                SecurityScheme {
                    key: "authRoles".to_owned(),
                    name: "auth_roles".to_owned(),
                    docs: None,
                    kind: SecuritySchemeKind::ApiKey {
                        location: ApiKeyLocation::Header,
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

    /// Every feature the client emitter has: query arrays (exploded or
    /// not), header and cookie parameters, bodies (required and optional),
    /// ranges and `default`, basic, query and cookie credentials, a mixed
    /// path segment, an operation named like a client method.
    pub(crate) fn kitchen_sink_api() -> Api {
        let mut search = operation("search_items", Method::Get, "/items/{kind}.json");
        search.parameters = vec![
            param(
                "kind",
                ParameterLocation::Path,
                TypeRef::Named("Kind".to_owned()),
                true,
            ),
            param(
                "tag",
                ParameterLocation::Query,
                TypeRef::Array(Box::new(TypeRef::String)),
                false,
            ),
            {
                let mut ids = param(
                    "ids",
                    ParameterLocation::Query,
                    TypeRef::Array(Box::new(TypeRef::Integer(IntegerFormat::I64))),
                    true,
                );
                ids.explode = false;
                ids
            },
            param(
                "limit",
                ParameterLocation::Query,
                TypeRef::Integer(IntegerFormat::I32),
                false,
            ),
            param(
                "X-Request-ID",
                ParameterLocation::Header,
                TypeRef::Uuid,
                false,
            ),
            param("session", ParameterLocation::Cookie, TypeRef::String, false),
        ];
        search.responses = vec![
            response(Status::Code(200), "Ok", Some("ItemList")),
            response(Status::Code(204), "NoContent", None),
            response(Status::Range(4), "ClientError", Some("Problem")),
            response(Status::Default, "Default", None),
        ];
        search.security = vec![
            vec!["basic".to_owned(), "apiKey".to_owned()],
            vec![],
            vec!["session".to_owned()],
        ];

        let mut create = operation("new", Method::Post, "/items");
        create.request_body = Some(RequestBody {
            required: true,
            docs: None,
            contents: vec![Content {
                media_type: "application/merge-patch+json".to_owned(),
                variant: "Json".to_owned(),
                payload: Payload::Json(TypeRef::Named("Item".to_owned())),
            }],
        });
        create.responses = vec![
            response(Status::Code(201), "Created", Some("Item")),
            response(Status::Range(5), "ServerError", None),
        ];
        create.security = vec![vec!["basic".to_owned()]];

        let mut update = operation("update_item", Method::Put, "/items/{id}/");
        update.parameters = vec![param(
            "id",
            ParameterLocation::Path,
            TypeRef::Integer(IntegerFormat::I64),
            true,
        )];
        update.request_body = Some(RequestBody {
            required: false,
            docs: None,
            contents: vec![Content {
                media_type: "application/json".to_owned(),
                variant: "Json".to_owned(),
                payload: Payload::Json(TypeRef::Array(Box::new(TypeRef::Uuid))),
            }],
        });
        update.responses = vec![response(Status::Default, "Default", Some("Item"))];

        let mut ping = operation("ping", Method::Head, "/");
        ping.responses = vec![response(Status::Default, "Default", None)];

        Api {
            title: "Kitchen sink".to_owned(),
            version: "1".to_owned(),
            description: None,
            servers: Vec::new(),
            types: Vec::new(),
            operations: vec![search, create, update, ping],
            security_schemes: vec![
                SecurityScheme {
                    key: "apiKey".to_owned(),
                    name: "api_key".to_owned(),
                    docs: None,
                    kind: SecuritySchemeKind::ApiKey {
                        location: ApiKeyLocation::Query,
                        wire_name: "api_key".to_owned(),
                    },
                },
                SecurityScheme {
                    key: "basic".to_owned(),
                    name: "basic".to_owned(),
                    docs: None,
                    kind: SecuritySchemeKind::Basic,
                },
                SecurityScheme {
                    key: "session".to_owned(),
                    name: "session".to_owned(),
                    docs: None,
                    kind: SecuritySchemeKind::ApiKey {
                        location: ApiKeyLocation::Cookie,
                        wire_name: "SESSION".to_owned(),
                    },
                },
            ],
        }
    }

    fn files(api: &Api) -> (Vec<(PathBuf, String)>, Vec<Warning>) {
        let mut warnings = Vec::new();
        let files = emit(api, &CrateNames::new("demo"), &mut warnings);
        (files, warnings)
    }

    fn file<'a>(files: &'a [(PathBuf, String)], name: &str) -> &'a str {
        let path = PathBuf::from("demo-client/src").join(name);
        files
            .iter()
            .find(|(p, _)| *p == path)
            .map(|(_, text)| text.as_str())
            .unwrap_or_else(|| panic!("no {name}"))
    }

    /// The text without whitespace nor trailing commas, to match code
    /// regardless of how prettyplease wrapped it.
    fn squash(text: &str) -> String {
        let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        text.replace(",)", ")")
            .replace(",}", "}")
            .replace(",]", "]")
    }

    #[test]
    fn emits_three_parseable_files() {
        for api in [spec_api(), kitchen_sink_api()] {
            let (files, _) = files(&api);
            let names: Vec<_> = files.iter().map(|(p, _)| p.clone()).collect();
            assert_eq!(
                names,
                ["lib.rs", "client.rs", "error.rs"]
                    .map(|n| PathBuf::from("demo-client/src").join(n))
            );
            for (path, text) in &files {
                assert!(text.starts_with("// Generated by apiforge"), "{path:?}");
                syn::parse_file(text).unwrap_or_else(|e| panic!("{path:?}: {e}"));
                assert!(
                    !text.contains("unwrap()") && !text.contains(".expect("),
                    "{path:?}"
                );
            }
        }
    }

    #[test]
    fn runtime_files_are_rust_items() {
        for source in [OPTIONS_RS, BODY_RS] {
            let file: syn::File = syn::parse2(runtime(source)).unwrap();
            assert!(file.attrs.is_empty() && !file.items.is_empty());
        }
    }

    #[test]
    fn body_reading_is_emitted_only_with_operations() {
        let (with_operations, _) = files(&spec_api());
        let client = file(&with_operations, "client.rs");
        assert!(client.contains("async fn read_body("));
        assert!(squash(client).contains("letcontent=read_body(response,client.body_limit).await"));
        assert!(client.contains("pub struct ClientOptions"));
        let mut api = spec_api();
        api.operations.clear();
        let (without, _) = files(&api);
        let client = file(&without, "client.rs");
        assert!(!client.contains("read_body") && !client.contains("BodyError"));
        assert!(client.contains("pub struct ClientOptions"));
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(files(&kitchen_sink_api()), files(&kitchen_sink_api()));
    }

    #[test]
    fn lib_reexports_types_client_and_error() {
        let (files, _) = files(&spec_api());
        let lib = file(&files, "lib.rs");
        assert!(lib.contains("pub use demo_types as types;"));
        assert!(lib.contains("pub use client::{Client, ClientOptions};"));
        assert!(lib.contains("pub use error::Error;"));
        assert!(lib.contains("//! - `https://customers.sta.masstack.com/v4`: Staging environment"));
        assert!(lib.contains("credentials.auth_roles = Some(\"secret\".to_owned());"));
        assert!(lib.contains("version 4.43.0"));
    }

    #[test]
    fn spec_methods_have_the_contract_shape() {
        let (files, warnings) = files(&spec_api());
        assert_eq!(warnings, []);
        let client = squash(file(&files, "client.rs"));
        for op in [
            "list_identification_processes",
            "get_identification_process",
        ] {
            let signature = format!(
                "pubasyncfn{op}(&self,parameters:&types::operations::{op}::Parameters)\
                 ->Result<types::operations::{op}::Response,Error>"
            );
            assert!(client.contains(&signature), "{op}");
        }
        for expected in [
            "credentials:types::Credentials}",
            "pubfnnew(base_url:&str)->Result<Client,Error>",
            "#[must_use]pubfnwith_credentials",
            "pubfnwith_http_client(base_url:&str,http:reqwest::Client)->Result<Client,Error>",
            "pubfnwith_credentials(self,credentials:types::Credentials)->Client",
            "pubfnbase_url(&self)->&reqwest::Url",
            "&path_param(\"org_id\",&parameters.org_id)?",
            "\"identification-processes\"",
            "authorize(self,request,&[&[Scheme::BearerAuth],&[Scheme::AuthRoles]])?",
            "200=>Ok(Response::Ok(decode(status,content)?)),",
            "404=>Ok(Response::NotFound(decode(status,content)?)),",
            "405=>Ok(Response::MethodNotAllowed),",
            "_=>{Err(Error::UnexpectedStatus{status,body:content})}",
            "set_header(&mutrequest,\"x-auth-roles\",secret,true)?;",
            "&format!(\"Bearer{secret}\")",
        ] {
            assert!(client.contains(expected), "missing {expected}");
        }
        // No helper that no operation uses.
        for unused in [
            "fnquery",
            "fnheader",
            "fncookie",
            "fnadd_cookie",
            "fnjson_body",
            "fntransport",
        ] {
            assert!(!client.contains(unused), "unexpected {unused}");
        }
    }

    #[test]
    fn kitchen_sink_uses_every_helper() {
        let (files, warnings) = files(&kitchen_sink_api());
        let client = squash(file(&files, "client.rs"));
        for expected in [
            // `new` clashes with `Client::new`.
            "pubasyncfnnew2(&self,body:&types::Item)",
            "pubasyncfnupdate_item(&self,parameters:&types::operations::update_item::Parameters,body:Option<&[uuid::Uuid]>)",
            "pubasyncfnping(&self)->Result<types::operations::ping::Response,Error>",
            "&[path_param(\"kind\",&parameters.kind)?.as_str(),\".json\"].concat()",
            "query(&mutrequest,\"tag\",&parameters.tag,None)?;",
            "query(&mutrequest,\"ids\",&parameters.ids,Some(','))?;",
            "header(&mutrequest,\"X-Request-ID\",&parameters.x_request_id)?;",
            "cookie(&mutrequest,\"session\",&parameters.session)?;",
            "json_body(&mutrequest,\"application/merge-patch+json\",body)?;",
            "ifletSome(body)=body{json_body(&mutrequest,\"application/json\",body)?;}",
            // The anonymous alternative is left out.
            "authorize(self,request,&[&[Scheme::Basic,Scheme::ApiKey],&[Scheme::Session]])?",
            "400..=499=>{Ok(Response::ClientError{status,body:decode(status,content)?})}",
            "_=>Ok(Response::Default{status})}",
            "500..=599=>Ok(Response::ServerError{status}),",
            ".basic_auth(&secret.username,Some(&secret.password))",
            "append_pair(\"api_key\",secret)",
            "add_cookie(&mutrequest,\"SESSION\",secret,true)?;",
            "map_err(transport)",
            // Only `default`, no body: no match, no content.
            "let(status,_)=send(self,request).await?;Ok(Response::Default{status})",
            "&[\"items\",&path_param(\"id\",&parameters.id)?,\"\"])?;",
            "new_request(self,reqwest::Method::HEAD,&[\"\"])?;",
        ] {
            assert!(client.contains(expected), "missing {expected}\n{client}");
        }
        assert!(warnings
            .iter()
            .any(|w| w.kind == WarningKind::RenamedClientMethod));
    }

    #[test]
    fn no_security_means_no_credentials() {
        let mut api = kitchen_sink_api();
        api.security_schemes.clear();
        for op in &mut api.operations {
            op.security.clear();
        }
        let (files, _) = files(&api);
        let client = file(&files, "client.rs");
        assert!(!client.contains("Credentials"));
        assert!(!client.contains("authorize"));
        assert!(!client.contains("fn transport"));
        assert!(!file(&files, "lib.rs").contains("Credentials"));
    }

    #[test]
    fn external_types_are_request_bodies_only() {
        assert_eq!(external_types(&spec_api()), ExternalTypes::default());
        let needs = external_types(&kitchen_sink_api());
        assert!(needs.uuid && !needs.chrono && !needs.serde_json);
    }

    #[test]
    fn request_content_types_are_the_declared_ones_when_they_can_be() {
        let content = |media_type: &str, payload: Payload| Content {
            media_type: media_type.to_owned(),
            variant: "V".to_owned(),
            payload,
        };
        assert_eq!(
            request_content_type(&content(
                "application/json; charset=utf-8",
                Payload::Json(TypeRef::Any)
            )),
            "application/json; charset=utf-8"
        );
        assert_eq!(
            request_content_type(&content("text/csv", Payload::Text)),
            "text/csv"
        );
        // Wildcards and values a header cannot carry: the body's general type.
        assert_eq!(
            request_content_type(&content("*/*", Payload::Binary)),
            "application/octet-stream"
        );
        assert_eq!(
            request_content_type(&content("text/*", Payload::Text)),
            "text/plain"
        );
        assert_eq!(
            request_content_type(&content("application/jsön", Payload::Json(TypeRef::Any))),
            "application/json"
        );
    }

    #[test]
    fn path_templates_split_into_parts() {
        let mut op = operation("x", Method::Get, "/a/{id}-{rev}.txt/{unknown}");
        op.parameters = vec![
            param("id", ParameterLocation::Path, TypeRef::String, true),
            param("rev", ParameterLocation::Path, TypeRef::String, true),
        ];
        let describe = |segment: &str| {
            segment_parts(&op, segment)
                .iter()
                .map(|part| match part {
                    Part::Literal(text) => format!("'{text}'"),
                    Part::Param(p) => format!("{{{}}}", p.name),
                })
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(describe("{id}-{rev}.txt"), "{id} '-' {rev} '.txt'");
        assert_eq!(describe("{unknown}"), "'{unknown}'");
        assert_eq!(describe("a{unknown}{id}{"), "'a{unknown}' {id} '{'");
        assert_eq!(describe(""), "");
    }
}
