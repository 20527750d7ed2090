//! The client crate's Rust source, one module per file: [`lib`] (crate docs
//! and re-exports), [`client`] (the `Client` and one async method per
//! operation) and [`error`]. This module holds the planning they share.
//!
//! Everything that does not depend on the shapes of the spec lives in
//! private, generic helpers of the generated `client.rs`, written as Rust in
//! `generator/runtime/client/` (compiled and tested by `apiforge-runtime`):
//! turn a value into parameter strings, build the URL, set headers and
//! cookies, send, decode. Each operation's method only lists its path
//! segments, its parameters, its security alternatives and its
//! status-to-variant table. Of the helpers, and of `error.rs`'s variants,
//! only what the client's code reaches is emitted (see
//! [`prune`](super::prune)), so the generated crate has no dead code
//! whatever the spec.

use std::collections::BTreeSet;
use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use super::text::{code_span, markdown, one_line};
use super::types::{request_body_type, variant_names_lint_may_fire, variant_shape, VariantShape};
use super::{doc_attrs, doc_lines, ident, runtime_items, type_tokens, Emitted, Needs};
use crate::model::{
    Api, ApiKeyLocation, Content, Method, Operation, Pagination, Parameter, ParameterLocation,
    ParameterStyle, PartKind, PathPart, PathSegment, Payload, SecurityScheme, SecuritySchemeKind,
    Shape, Status, TypeKind, TypeRef, Warning, WarningKind,
};
use crate::names::{self, Namespace};
use crate::CrateNames;

// The module writing `client.rs` is named after that file, like its siblings.
#[allow(clippy::module_inception)]
mod client;
mod error;
mod lib;

/// The client's own public methods. An operation with one of these names
/// gets a numbered method name instead (with a warning), so it cannot clash.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "with_options",
    "with_http_client",
    "with_credentials",
    "with_body_limit",
    "base_url",
    "with_service",
    "with_middleware",
    "with_retry",
];

/// The generated `ClientOptions` (timeouts of the HTTP client `Client::new`
/// builds), written as plain Rust so it reads and compiles as such.
const OPTIONS_RS: &str = include_str!("../../../runtime/client/options.rs");

/// `Call`, middleware, the in-process transport, retries and the `tracing`
/// span: how every operation's request is sent.
const CALL_RS: &str = include_str!("../../../runtime/client/call.rs");

/// Following pages: `NextPage`, `redirect` (also behind `Call::at_url`) and
/// the readers of `Link` headers, next URLs and cursors.
const PAGES_RS: &str = include_str!("../../../runtime/client/pages.rs");

/// The base URL, the request and its parameters.
const REQUEST_RS: &str = include_str!("../../../runtime/client/request.rs");

/// Request bodies (JSON, forms, multipart) and `deepObject` parameters.
const REQUEST_BODY_RS: &str = include_str!("../../../runtime/client/request_body.rs");

/// `transport`, which hides the URL's query from transport errors.
const TRANSPORT_RS: &str = include_str!("../../../runtime/client/transport.rs");

/// The generated `read_body`, which reads a response body under a size limit.
const BODY_RS: &str = include_str!("../../../runtime/client/body.rs");

/// Decoding response bodies and reading response headers.
const RESPONSE_RS: &str = include_str!("../../../runtime/client/response.rs");

/// The client crate's `src/` files.
pub fn emit(api: &Api, crates: &CrateNames, warnings: &mut Vec<Warning>) -> Emitted {
    let plan = Plan::new(api, warnings);
    let src = PathBuf::from(&crates.client).join("src");
    let (client_rs, client_helpers) = client::client_rs(api, &plan);
    let files = vec![
        (src.join("lib.rs"), lib::lib_rs(api, crates, &plan)),
        (src.join("client.rs"), client_rs),
        (src.join("error.rs"), error::error_rs(&client_helpers)),
    ];
    let mut needs = needs(api);
    needs.multipart = uses_multipart(api);
    needs.form = api
        .operations
        .iter()
        .flat_map(|op| op.request_body.iter().flat_map(|b| &b.contents))
        .any(|c| matches!(c.payload, Payload::Form { .. }));
    Emitted { files, needs }
}

/// What the client crate's own code names from outside `std`, besides its
/// fixed dependencies (types crate, `reqwest`, `serde`, `serde_json`): the
/// request body types, which the methods spell out. Responses are decoded
/// into types inferred from the types crate, so they need nothing.
fn needs(api: &Api) -> Needs {
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
    needs
}

/// The `body` parameter of a usage example's function that calls `op`,
/// typed as the client's method takes it (`body: &types::Pet`), so the
/// example compiles for any body. `None` without a body.
pub fn example_body_parameter(op: &Operation) -> Option<String> {
    let argument = client::body_argument(op)?;
    let text = argument.to_string();
    let parameter = text.trim_start().trim_start_matches(',').trim();
    // Spaced as rustfmt would, through the function signature it is part of.
    let file: syn::File = syn::parse_str(&format!("fn f({parameter}) {{}}")).ok()?;
    let printed = prettyplease::unparse(&file);
    let inner = printed.split_once('(')?.1.rsplit_once(')')?.0;
    // A signature too long for one line is printed one parameter a line,
    // each with its comma: the README's template puts its own.
    Some(inner.trim().trim_end_matches(',').to_owned())
}

/// Whether the client sends `multipart/form-data` bodies, which needs
/// reqwest's `multipart` feature.
fn uses_multipart(api: &Api) -> bool {
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

        Plan {
            api,
            ops,
            schemes,
            has_credentials: !api.security_schemes.is_empty(),
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

fn is_object(api: &Api, ty: &TypeRef) -> bool {
    api.shape_of(ty) == Shape::Object
}

fn is_list(api: &Api, ty: &TypeRef) -> bool {
    api.shape_of(ty) == Shape::List
}

/// Whether a body content is taken by value: bytes (a stream, or files in a
/// multipart body) are not copied.
fn by_value(content: &Content) -> bool {
    matches!(content.payload, Payload::Binary | Payload::Multipart(_))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A body parameter too long for one line (billbee.io's
    /// `automatic_provisioning_create_account`: a body of JSON or raw XML,
    /// `Body<reqwest::Body>`)
    /// comes without the comma prettyplease ends such a line with: the
    /// README's examples put their own, and two did not compile.
    #[test]
    fn a_long_body_parameter_has_no_trailing_comma() {
        let api = crate::test_support::api(&crate::test_support::with_paths(
            "
  /api/v1/automaticprovision/createaccount:
    post:
      operationId: automaticProvisioningCreateAccount
      requestBody:
        required: true
        content:
          application/json: {schema: {type: object, properties: {a: {type: string}}}}
          application/xml: {schema: {type: object, properties: {a: {type: string}}}}
      responses: {'204': {description: none}}
",
        ));
        let parameter = example_body_parameter(&api.operations[0]).expect("a body parameter");
        assert!(
            parameter.starts_with("body: types::operations::"),
            "{parameter}"
        );
        assert!(!parameter.ends_with(','), "{parameter}");
        syn::parse_str::<syn::File>(&format!("fn f(x: u8, {parameter}) {{}}"))
            .unwrap_or_else(|e| panic!("{parameter}: {e}"));
    }

    /// `spec/customer-identification-processes.yaml`: path parameters,
    /// bearer and header credentials, many error statuses.
    fn spec_api() -> Api {
        crate::test_support::api(include_str!(
            "../../../../spec/customer-identification-processes.yaml"
        ))
    }

    /// Every feature the client emitter has: query arrays (exploded or
    /// not), header and cookie parameters, bodies (required and optional),
    /// ranges and `default`, basic, query and cookie credentials, a mixed
    /// path segment, an operation named like a client method.
    fn kitchen_sink_api() -> Api {
        crate::test_support::api(KITCHEN_SINK)
    }

    const KITCHEN_SINK: &str = r#"
openapi: 3.0.3
info: {title: Kitchen sink, version: '1'}
paths:
  /items/{kind}.json:
    get:
      operationId: search_items
      parameters:
        - {name: kind, in: path, required: true, schema: {$ref: '#/components/schemas/Kind'}}
        - {name: tag, in: query, schema: {type: array, items: {type: string}}}
        - name: ids
          in: query
          required: true
          explode: false
          schema: {type: array, items: {type: integer, format: int64}}
        - {name: limit, in: query, schema: {type: integer, format: int32}}
        - {name: X-Request-ID, in: header, schema: {type: string, format: uuid}}
        - {name: session, in: cookie, schema: {type: string}}
      responses:
        '200':
          description: ''
          content: {application/json: {schema: {$ref: '#/components/schemas/ItemList'}}}
        '204': {description: ''}
        4XX:
          description: ''
          content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}
        default: {description: ''}
      security: [{basic: [], apiKey: []}, {session: []}]
  /items:
    post:
      operationId: new
      requestBody:
        required: true
        content:
          application/merge-patch+json: {schema: {$ref: '#/components/schemas/Item'}}
      responses:
        '201':
          description: ''
          content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}
        5XX: {description: ''}
      security: [{basic: []}]
  /items/{id}/:
    put:
      operationId: update_item
      parameters:
        - {name: id, in: path, required: true, schema: {type: integer, format: int64}}
      requestBody:
        content:
          application/json: {schema: {type: array, items: {type: string, format: uuid}}}
      responses:
        default:
          description: ''
          content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}
  /:
    head:
      operationId: ping
      responses: {default: {description: ''}}
components:
  schemas:
    Kind: {type: string, enum: [a, b]}
    Item: {type: object, properties: {name: {type: string}}}
    ItemList: {type: array, items: {$ref: '#/components/schemas/Item'}}
    Problem: {type: object, properties: {title: {type: string}}}
  securitySchemes:
    apiKey: {type: apiKey, in: query, name: api_key}
    basic: {type: http, scheme: basic}
    session: {type: apiKey, in: cookie, name: SESSION}
"#;

    fn files(api: &Api) -> (Vec<(PathBuf, String)>, Vec<Warning>) {
        let mut warnings = Vec::new();
        let files = emit(api, &CrateNames::new("demo"), &mut warnings).files;
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
        for source in [
            OPTIONS_RS,
            CALL_RS,
            PAGES_RS,
            REQUEST_RS,
            REQUEST_BODY_RS,
            TRANSPORT_RS,
            BODY_RS,
            RESPONSE_RS,
            error::ERROR_RS,
        ] {
            let file: syn::File = syn::parse2(runtime_items(source)).unwrap();
            assert!(file.attrs.is_empty() && !file.items.is_empty());
        }
    }

    #[test]
    fn decoding_is_emitted_only_with_operations() {
        let (with_operations, _) = files(&spec_api());
        let client = file(&with_operations, "client.rs");
        assert!(client.contains("async fn read_body("));
        assert!(squash(client).contains("letcontent=read_body(&mutresponse,client.body_limit)"));
        assert!(client.contains("fn decode<"));
        assert!(client.contains("pub struct ClientOptions"));
        let mut api = spec_api();
        api.operations.clear();
        let (without, _) = files(&api);
        let client = file(&without, "client.rs");
        // The call machinery is the client's own; decoding is the operations'.
        assert!(!client.contains("fn decode<") && !client.contains("fn path_param"));
        assert!(client.contains("pub struct ClientOptions"));
        assert!(client.contains("pub struct Call<"));
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
        assert!(lib.contains(
            "pub use client::{\n    BoxFuture, Call, Client, ClientOptions, Middleware, Next, Pages, RetryPolicy,\n};"
        ));
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
                "pubfn{op}(&self,parameters:&types::operations::{op}::Parameters)\
                 ->Call<'_,types::operations::{op}::Response>"
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
            "path_text(\"org_id\",parameters.org_id.as_str())?",
            "&*DisplayText::of(&parameters.customer_id),",
            "\"identification-processes\"",
            "authorize(self,request,&[&[Scheme::BearerAuth],&[Scheme::AuthRoles]])?",
            "200=>Ok(Response::Ok(decode(status,content)?)),",
            "404=>Ok(Response::NotFound(decode(status,content)?)),",
            "405=>Ok(Response::MethodNotAllowed),",
            "_=>{Err(Error::UnexpectedStatus{status,body:Vec::from(content)})}",
            "set_header(&mutrequest,\"x-auth-roles\",secret,true)?;",
            "&format!(\"Bearer{secret}\")",
        ] {
            assert!(client.contains(expected), "missing {expected}");
        }
        // No helper that no operation uses.
        for unused in [
            "fnquery",
            // The parameter writer; `Call::header` is the per-call one.
            "fnheader<T",
            "fncookie",
            "fnadd_cookie",
            "fnjson_body",
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
            // Every method takes its `Parameters`, empty ones too (unread).
            "pubfnnew2(&self,parameters:&types::operations::new::Parameters,body:&types::Item)->Call<'_,types::operations::new::Response>{usetypes::operations::new::Response;let_=parameters;",
            "pubfnupdate_item(&self,parameters:&types::operations::update_item::Parameters,body:Option<&[uuid::Uuid]>)",
            "pubfnping(&self,parameters:&types::operations::ping::Parameters)->Call<'_,types::operations::ping::Response>{usetypes::operations::ping::Response;let_=parameters;",
            // The operation's id and route template, for the call's span.
            "Call::new(self,\"search_items\",\"/items/{kind}.json\",||{",
            "&[path_text(\"kind\",parameters.kind.as_str())?,\".json\"].concat()",
            "query(&mutrequest,\"tag\",&parameters.tag,None)?;",
            "query(&mutrequest,\"ids\",&parameters.ids,Some(','))?;",
            // Scalars of known types are written without `serde_json`.
            "query_text(&mutrequest,\"limit\",parameters.limit.as_ref().map(DisplayText::of).as_deref());",
            "header_text(&mutrequest,\"X-Request-ID\",parameters.x_request_id.as_ref().map(DisplayText::of).as_deref())?;",
            "cookie(&mutrequest,\"session\",&parameters.session)?;",
            "json_body(&mutrequest,\"application/merge-patch+json\",body)?;",
            "ifletSome(body)=body{json_body(&mutrequest,\"application/json\",body)?;}",
            // Each alternative, its schemes in the order of the spec.
            "authorize(self,request,&[&[Scheme::Basic,Scheme::ApiKey],&[Scheme::Session]])?",
            "400..=499=>{Ok(Response::ClientError{status,body:decode(status,content)?})}",
            "_=>Ok(Response::Default{status})}",
            "500..=599=>Ok(Response::ServerError{status}),",
            ".basic_auth(&secret.username,Some(&secret.password))",
            "append_pair(\"api_key\",secret)",
            "add_cookie(&mutrequest,\"SESSION\",secret,true)?;",
            "map_err(transport)",
            // Only `default`, no body: no match, no headers nor content.
            "|status,_,_|{Ok(Response::Default{status})}",
            "&[\"items\",&*DisplayText::of(&parameters.id),\"\"])?;",
            "new_request(self,reqwest::Method::HEAD,&[\"\"])?;",
        ] {
            assert!(client.contains(expected), "missing {expected}\n{client}");
        }
        assert!(warnings
            .iter()
            .any(|w| w.kind == WarningKind::RenamedClientMethod));
    }

    #[test]
    fn enums_with_configured_serde_attributes_are_written_by_serde() {
        let mut api = kitchen_sink_api();
        let kind = api.types.iter_mut().find(|def| def.name == "Kind").unwrap();
        kind.attributes
            .push("#[serde(rename_all = \"UPPERCASE\")]".to_owned());
        let (files, _) = files(&api);
        let client = squash(file(&files, "client.rs"));
        assert!(!client.contains("parameters.kind.as_str()"), "{client}");
        assert!(
            client
                .contains("&[path_param(\"kind\",&parameters.kind)?.as_str(),\".json\"].concat()"),
            "{client}"
        );
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
        assert!(!file(&files, "lib.rs").contains("Credentials"));
    }

    #[test]
    fn needs_are_request_bodies_only() {
        assert_eq!(needs(&spec_api()), Needs::default());
        let needs = needs(&kitchen_sink_api());
        let names: Vec<&str> = needs.crates.keys().map(String::as_str).collect();
        assert_eq!(names, ["uuid"]);
    }

    #[test]
    fn request_content_types_are_the_declared_ones_when_they_can_be() {
        let content = |media_type: &str, payload: Payload| Content {
            media_type: media_type.to_owned(),
            variant: "V".to_owned(),
            payload,
            constraints: Default::default(),
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
}
