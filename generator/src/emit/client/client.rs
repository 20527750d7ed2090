//! The client crate's `client.rs`: the `Client`, one async method per
//! operation, and the private helpers they reach.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::*;
use crate::emit::prune::Pruner;
use crate::emit::{parse_file, Formatter};

/// The formatted file, and the private helpers it keeps (which decide what
/// `error.rs` needs).
pub(super) fn client_rs(api: &Api, plan: &Plan<'_>) -> (String, TokenStream) {
    let options = runtime_items(OPTIONS_RS);
    let call = if api.operations.is_empty() {
        runtime_items(&without_operations(CALL_RS))
    } else {
        runtime_items(CALL_RS)
    };
    let helpers = parse_file(helpers(plan));
    let mut pruner = Pruner::new(&helpers);
    let mut file = Formatter::new();
    // The client's code, printed a piece at a time (each operation's
    // method on its own, so the methods of a large spec never exist at once
    // as tokens or syntax trees); each piece, parsed once, is also a root
    // of the helpers' pruning.
    let mut piece = |tokens: TokenStream| {
        let parsed = parse_file(tokens);
        pruner.add(&parsed);
        parsed
    };
    let client_type = client_type(api, plan);
    let client_impl = client_impl(plan);
    file.open(piece(quote! {
        #client_type
        #client_impl
    }));
    for (index, op) in plan.ops.iter().enumerate() {
        // Each method compiles with the features of its operation's tags.
        let gate = crate::emit::types::features::operation_gate(plan.api, index);
        let gate = crate::emit::types::features::cfg(gate.as_ref());
        let method = operation_method(op, plan, &gate);
        file.members(piece(quote! { impl Client { #method } }));
    }
    file.close();
    file.items(piece(quote! {
        #options
        #call
    }));
    // Of the helpers, those the client's code reaches: a helper no
    // operation uses is never emitted.
    let helpers = pruner.decide().keep(helpers);
    file.items(parse_file(helpers.clone()));
    (file.finish(), helpers)
}

/// `call.rs` for a client without operations (a spec of webhooks or types
/// only): nothing starts a call, yet `Call`, `Pages`, `Middleware` and the
/// client's hooks stay, so the crate's API has the same shape as any
/// other's and a spec's first operation is an addition. The two items only
/// an operation reaches are marked as such for the compiler.
fn without_operations(call_rs: &str) -> String {
    let mut source = call_rs.to_owned();
    for item in ["enum CallState<'c, T> {", "impl<'c, T> Call<'c, T> {"] {
        assert_eq!(source.matches(item).count(), 1, "call.rs has one `{item}`");
        source = source.replace(
            item,
            &format!("#[allow(dead_code)] // no operation starts a call\n{item}"),
        );
    }
    source
}

/// The `use`s, the `Client` struct and its `Debug`, which hides credentials.
fn client_type(api: &Api, plan: &Plan<'_>) -> TokenStream {
    let title = doc_lines(&format!("A client of {}.", one_line(&api.title)));
    let credentials_field = plan.has_credentials.then(|| {
        quote! {
            /// Sent with each request per the operation's security requirements.
            credentials: types::Credentials,
        }
    });
    let credentials_debug = plan.has_credentials.then(|| {
        quote! { .field("credentials", &self.credentials) }
    });
    // Operations and credentials name the types crate; a client of an API
    // without either (a document of webhooks only) does not.
    let types_use =
        (!api.operations.is_empty() || plan.has_credentials).then(|| quote! { use crate::types; });
    quote! {
        use crate::error::Error;
        #types_use

        #( #[doc = #title] )*
        ///
        /// Cheap to clone: clones share the connection pool. Its `Debug`
        /// output never shows credentials, nor the user info of the base URL.
        ///
        /// A call cannot be held forever nor exhaust memory: [`Client::new`]
        /// sets timeouts (see [`ClientOptions`]), and every client refuses a
        /// response body longer than its limit ([`Client::DEFAULT_BODY_LIMIT`]
        /// unless set with [`Client::with_body_limit`]).
        ///
        /// Each operation's method returns a [`Call`]: await it, or first
        /// set what that call alone needs (a header, a timeout, an
        /// extension, whether it may be retried). Calls of idempotent
        /// methods are retried as [`RetryPolicy`] says; every request goes
        /// through the client's [`Middleware`]; [`Client::with_service`]
        /// sends requests to a service in the same process, with no socket.
        #[derive(Clone)]
        pub struct Client {
            /// Paths of operations are appended to this URL's path.
            base_url: reqwest::Url,
            http: reqwest::Client,
            /// The most bytes of a response body that a call reads.
            body_limit: usize,
            /// Middleware, in-process service and retries.
            hooks: Hooks,
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
                    .field("hooks", &self.hooks)
                    #credentials_debug
                    .finish()
            }
        }

    }
}

/// The `impl` block of the `Client`'s constructors and settings, which
/// [`client_rs`] prints the operations' methods into.
fn client_impl(plan: &Plan<'_>) -> TokenStream {
    let credentials_init = plan.has_credentials.then(|| {
        quote! { credentials: types::Credentials::default(), }
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
    quote! {
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

            /// Creates a client as [`Client::new`] does, with the timeouts and
            /// the retry policy of `options`.
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
                    hooks: Hooks { retry: options.retry, ..Hooks::default() },
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
            /// applies ([`Client::with_body_limit`]), and so do retries
            /// ([`RetryPolicy::default()`] unless set with
            /// [`Client::with_retry`]).
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
                    hooks: Hooks::default(),
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
        }

    }
}

/// One operation's method, compiled when `gate` says.
fn operation_method(plan: &OpPlan<'_>, all: &Plan<'_>, gate: &TokenStream) -> TokenStream {
    let op = plan.op;
    let module = ident(&op.name);
    let method = ident(&plan.method);

    let docs = method_docs(op);

    // Every operation takes its `Parameters`, empty when the spec lists
    // none: its first parameter is then a new field, not a new argument.
    let parameters_arg = quote! { , parameters: &types::operations::#module::Parameters };
    let unread_parameters = op
        .parameters
        .is_empty()
        .then(|| quote! { let _ = parameters; });
    let body_arg = body_argument(op);

    // The URL's path.
    let segments = path_segments(all.api, op);
    let http_method = http_method(op.method);

    let param_statements = parameter_statements(all.api, op);
    let body_statement = body_statement(plan);
    let mutable = (!param_statements.is_empty() || body_statement.is_some()).then(|| quote!(mut));

    let auth_statement = auth_statement(plan, all);

    let result = response_handling(op, all);
    let use_response = (!op.responses.is_empty()).then(|| {
        quote! { use types::operations::#module::Response; }
    });
    // The decoder's parameters, `_` where its code does not read them.
    let [status, headers, content] = ["status", "headers", "content"].map(|name| {
        if names_ident(&result, name) {
            format_ident!("{}", name)
        } else {
            format_ident!("_")
        }
    });
    let id = op.operation_id.as_deref().unwrap_or(&op.name);
    let route = &op.path.text;
    let call = quote! {
        Call::new(
            self,
            #id,
            #route,
            || {
                let #mutable request = new_request(self, reqwest::Method::#http_method, &[ #( #segments ),* ])?;
                #( #param_statements )*
                #body_statement
                #auth_statement
                Ok(request)
            },
            |#status, #headers, #content| #result,
        )
    };
    let call = match follow(op) {
        Some(follow) => quote!(paginated(#call, #follow)),
        None => call,
    };

    let allow = crate::emit::self_convention_allow(&plan.method);
    quote! {
        #docs
        #gate
        #allow
        pub fn #method(&self #parameters_arg #body_arg)
            -> Call<'_, types::operations::#module::Response>
        {
            #use_response
            #unread_parameters
            #call
        }
    }
}

/// The closure `paginated` gives a call to find the next page in its
/// response, for an operation whose pagination resolve recognised.
fn follow(op: &Operation) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    if *pagination == Pagination::LinkHeader {
        return Some(quote! { |headers, _| link_next(headers) });
    }
    let ok = op
        .responses
        .iter()
        .find(|response| response.status == Status::Code(200))?;
    let variant = ident(&ok.variant);
    let pattern = match variant_shape(ok) {
        VariantShape::Tuple => quote!(Response::#variant(body)),
        VariantShape::Fields => quote!(Response::#variant { body, .. }),
        VariantShape::Unit => return None,
    };
    let next = match pagination {
        Pagination::LinkHeader => return None,
        Pagination::NextUrl { pointer } => quote!(body_next_url(body, #pointer)),
        Pagination::Cursor { parameter, pointer } => {
            quote!(body_cursor(body, #pointer, #parameter))
        }
    };
    Some(quote! {
        |_, response| match response {
            #pattern => #next,
            // The 200 response may be the only one.
            #[allow(unreachable_patterns)]
            _ => None,
        }
    })
}

/// The method's docs: the operation's summary and description, then its
/// method and path.
fn method_docs(op: &Operation) -> TokenStream {
    // Each part safe on its own: a block one leaves open cannot swallow the
    // next.
    let mut docs: Vec<String> = [&op.summary, &op.description]
        .into_iter()
        .flatten()
        .map(|part| markdown(part.trim()))
        .filter(|part| !part.is_empty())
        .collect();
    docs.push(code_span(&format!("{} {}", op.method.as_str(), op.path)));
    docs.push(
        "Returns the [`Call`]: await it for the operation's `Response`, or set \
         per-call options first."
            .to_owned(),
    );
    if let Some(pagination) = &op.pagination {
        let how = match pagination {
            Pagination::LinkHeader => "the `rel=\"next\"` link of the `Link` header".to_owned(),
            Pagination::NextUrl { pointer } => {
                format!("the URL at {} in the body", code_span(pointer))
            }
            Pagination::Cursor { parameter, pointer } => format!(
                "the cursor at {} in the body, sent as query parameter {}",
                code_span(pointer),
                code_span(parameter)
            ),
        };
        docs.push(format!(
            "Paginated: [`Call::pages`] streams every page, following {how}."
        ));
    }
    doc_attrs(Some(&docs.join("\n\n")))
}

/// Whether a body is one binary media type, taken as `impl Into<reqwest::Body>`.
fn single_binary(body: &crate::model::RequestBody) -> bool {
    matches!(body.contents.as_slice(), [c] if c.payload == Payload::Binary)
}

/// The method's `body` argument, when the operation has a request body.
pub(super) fn body_argument(op: &Operation) -> Option<TokenStream> {
    let module = ident(&op.name);
    let types = quote!(types);
    op.request_body.as_ref().map(|body| {
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
    })
}

/// The statements writing the parameters outside the path, in the
/// operation's order.
fn parameter_statements(api: &Api, op: &Operation) -> Vec<TokenStream> {
    op.parameters
        .iter()
        .filter_map(|p| {
            let wire = &p.wire_name;
            let field = ident(&p.name);
            if let Some(text) = text_form(api, p) {
                let value = optional_text(text, p.required, &quote!(parameters.#field));
                return match p.location {
                    ParameterLocation::Path => None,
                    ParameterLocation::Query => {
                        Some(quote! { query_text(&mut request, #wire, #value); })
                    }
                    ParameterLocation::Header => {
                        Some(quote! { header_text(&mut request, #wire, #value)?; })
                    }
                    ParameterLocation::Cookie => {
                        Some(quote! { cookie(&mut request, #wire, &parameters.#field)?; })
                    }
                };
            }
            let value = match writer(api, p) {
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
        .collect()
}

/// How a scalar parameter becomes its wire text without `serde_json`, for
/// the types whose text is known here (see [`text_form`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextForm {
    /// A `String` (or an alias of one): the value itself.
    String,
    /// A string enum: its `as_str`, the value on the wire.
    Enum,
    /// An integer, a boolean or a UUID: `Display` writes the text that
    /// `serde_json` writes for them (and the server reads).
    Display,
}

/// The [`TextForm`] of a parameter written as text, when its type has one;
/// `None` for the rest (numbers, dates, arrays, objects, unions, external
/// types), which go through the generic writers and `serde_json`.
fn text_form(api: &Api, p: &Parameter) -> Option<TextForm> {
    if writer(api, p) != Writer::Text {
        return None;
    }
    let mut ty = &p.ty;
    // Aliases of aliases, as far as `Api::shape_of` follows them.
    for _ in 0..32 {
        match ty {
            TypeRef::String => return Some(TextForm::String),
            TypeRef::Integer(_) | TypeRef::Bool | TypeRef::Uuid => return Some(TextForm::Display),
            TypeRef::Named(name) => match api.type_named(name) {
                Some(def) => match &def.kind {
                    TypeKind::Alias(target) => ty = target,
                    // Unless serde attributes of the configuration may
                    // make its text on the wire other than `as_str`'s.
                    TypeKind::Enum(_) if !def.keeps_serde_derives() => return Some(TextForm::Enum),
                    _ => return None,
                },
                None => return None,
            },
            _ => return None,
        }
    }
    None
}

/// The `&str` of a required value in `form` (for `Display`, borrowed from
/// a `DisplayText` that lives to the end of the statement).
fn text(form: TextForm, value: &TokenStream) -> TokenStream {
    match form {
        TextForm::String | TextForm::Enum => quote!(#value.as_str()),
        TextForm::Display => quote!(&*DisplayText::of(&#value)),
    }
}

/// The `Option<&str>` of a parameter's value in `form`, `None` when an
/// optional one is unset.
fn optional_text(form: TextForm, required: bool, value: &TokenStream) -> TokenStream {
    if required {
        let text = text(form, value);
        return quote!(Some(#text));
    }
    match form {
        TextForm::String => quote!(#value.as_deref()),
        TextForm::Enum => quote!(#value.as_ref().map(|value| value.as_str())),
        TextForm::Display => quote!(#value.as_ref().map(DisplayText::of).as_deref()),
    }
}

/// The statements setting the request body, when the operation has one.
fn body_statement(plan: &OpPlan<'_>) -> Option<TokenStream> {
    let op = plan.op;
    let module = ident(&op.name);
    op.request_body.as_ref().map(|body| {
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
    })
}

/// The statement adding credentials, when the operation has security
/// alternatives.
fn auth_statement(plan: &OpPlan<'_>, all: &Plan<'_>) -> Option<TokenStream> {
    (!plan.security.is_empty()).then(|| {
        let alternatives = plan.security.iter().map(|alternative| {
            let variants = alternative
                .iter()
                .map(|&index| ident(&all.schemes[index].variant));
            quote! { &[ #( Scheme::#variants ),* ] }
        });
        quote! { let request = authorize(self, request, &[ #( #alternatives ),* ])?; }
    })
}

/// The expression turning a response (`status`, `headers`, `content`) into
/// the operation's `Response` (status to variant).
fn response_handling(op: &Operation, all: &Plan<'_>) -> TokenStream {
    let module = ident(&op.name);
    // Status -> variant. Codes come first in the model, then ranges, then
    // `default`, which is also the order the arms must be in.
    let mut arms = Vec::new();
    let mut has_default = false;
    for response in &op.responses {
        let variant = ident(&response.variant);
        let body = response.body.as_ref().map(|body| match body.payload {
            Payload::Text => quote!(decode_text(status, content)?),
            Payload::Binary => quote!(Vec::from(content)),
            _ => quote!(decode(status, content)?),
        });
        let read_headers = (!response.headers.is_empty()).then(|| {
            let headers = format_ident!("{}Headers", response.variant);
            let members = crate::emit::types::header_members(response, &quote!(types));
            let reads = response.headers.iter().map(|header| {
                let name = header.wire_name.to_ascii_lowercase();
                let read = match (is_list(all.api, &header.ty), header.required) {
                    (false, false) => quote!(read_header),
                    (false, true) => quote!(read_required_header),
                    (true, false) => quote!(read_header_list),
                    (true, true) => quote!(read_required_header_list),
                };
                quote!(#read(headers, #name, status, &content)?)
            });
            let fields: Vec<_> = members.iter().zip(reads).collect();
            let value = crate::emit::types::construct(
                quote!(types::operations::#module::#headers),
                &fields,
            );
            quote! {
                let headers = #value;
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
        arms.push((
            quote!(_),
            quote!(Err(Error::UnexpectedStatus {
                status,
                body: Vec::from(content)
            })),
        ));
    }
    if arms.len() == 1 {
        // Only a wildcard: no `match` (clippy::match_single_binding).
        let value = arms.pop().map(|(_, value)| value).unwrap_or_default();
        quote! { { #value } }
    } else {
        let arms = arms
            .iter()
            .map(|(pattern, value)| quote!(#pattern => #value,));
        quote! { match status { #( #arms )* } }
    }
}

/// Whether `tokens` name the identifier `name` anywhere.
fn names_ident(tokens: &TokenStream, name: &str) -> bool {
    tokens.clone().into_iter().any(|token| match token {
        proc_macro2::TokenTree::Ident(ident) => ident == name,
        proc_macro2::TokenTree::Group(group) => names_ident(&group.stream(), name),
        _ => false,
    })
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

/// A path parameter's value as an expression: a `&str`, or a `String`
/// that lives to the end of the statement.
enum PathValue {
    Borrowed(TokenStream),
    Owned(TokenStream),
}

/// The path template as one expression per URL segment (`&str`), each a
/// literal, a parameter's value, or both concatenated (`/{name}.json`).
fn path_segments(api: &Api, op: &Operation) -> Vec<TokenStream> {
    // The parameter's value: a `&str` when the type's text is the value
    // itself or its `Display` text (integers and UUIDs, which cannot be
    // empty), else a `String` (`path_param`'s, which refuses empty values).
    let path_value = |index: usize| {
        let p = &op.parameters[index];
        let (wire, field) = (&p.wire_name, ident(&p.name));
        let value = quote!(parameters.#field);
        match text_form(api, p) {
            Some(TextForm::Display) => PathValue::Borrowed(text(TextForm::Display, &value)),
            Some(form) => {
                let text = text(form, &value);
                PathValue::Borrowed(quote!(path_text(#wire, #text)?))
            }
            None if p.style == ParameterStyle::Json => {
                PathValue::Owned(quote!(path_param(#wire, &json_param(#wire, &#value)?)?))
            }
            None => PathValue::Owned(quote!(path_param(#wire, &#value)?)),
        }
    };
    op.path
        .segments
        .iter()
        .map(|segment| match segment {
            PathSegment::Literal(text) => quote!(#text),
            PathSegment::Param(index) => match path_value(*index) {
                PathValue::Borrowed(text) => text,
                PathValue::Owned(value) => quote!(&#value),
            },
            PathSegment::Mixed { parts, .. } => {
                let parts = parts.iter().map(|part| match part {
                    PathPart::Literal(text) => quote!(#text),
                    PathPart::Param(index) => match path_value(*index) {
                        PathValue::Borrowed(text) => text,
                        PathValue::Owned(value) => quote!(#value.as_str()),
                    },
                });
                quote!(&[ #( #parts ),* ].concat())
            }
        })
        .collect()
}

/// The private helpers: every fixed one, and those written for the spec
/// (multipart forms, credentials, `send`). `client_rs` keeps those the
/// client's code reaches; the order of the items is the order in the file.
fn helpers(plan: &Plan<'_>) -> TokenStream {
    let mut items = vec![runtime_items(REQUEST_RS), runtime_items(REQUEST_BODY_RS)];
    items.extend(multipart_forms(plan));
    if !plan.schemes.is_empty() {
        items.push(authorize(plan));
    }
    items.push(runtime_items(TRANSPORT_RS));
    items.push(runtime_items(PAGES_RS));
    items.push(runtime_items(BODY_RS));
    items.push(runtime_items(RESPONSE_RS));
    quote! { #( #items )* }
}

/// One function per multipart body, building its form.
fn multipart_forms(plan: &Plan<'_>) -> Vec<TokenStream> {
    let mut items = Vec::new();
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
