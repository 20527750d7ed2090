//! The client crate's `client.rs`: the `Client`, one async method per
//! operation, and the private helpers they reach.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::*;

/// The formatted file.
pub(super) fn client_rs(api: &Api, plan: &Plan<'_>) -> String {
    super::super::format_file([client_items(api, plan)])
}

fn client_items(api: &Api, plan: &Plan<'_>) -> TokenStream {
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
    let helpers = super::super::prune::reachable(std::slice::from_ref(&client), helpers);
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

#[cfg(test)]
mod tests {
    use super::super::tests::{operation, param};
    use super::*;

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
