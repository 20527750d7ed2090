//! `router.rs` of the server crate: the handlers that turn requests into
//! calls of the trait.

use super::*;

/// `router.rs`, adding the handlers' code to `handlers`' roots (which
/// decides what `extract.rs` keeps) as it prints them.
///
/// Each handler is made, walked and printed on its own, then dropped: the
/// handlers of a large spec never exist at once as tokens (Graph beta's
/// `router.rs` is 121 MB of text). The file's head comes first but is
/// printed last, as its imports are what the handlers name.
pub(super) fn router_rs(
    plan: &Plan<'_>,
    input: &InputShape,
    handlers: &mut prune::Pruner<'_>,
) -> String {
    let mut used = BTreeSet::new();
    let mut body = Formatter::part();
    let mut handler = |item: TokenStream| {
        root_idents(&item, &mut used);
        let file = parse_file(item);
        handlers.add(&file);
        body.items(file);
    };
    let routes = routes(plan, input, &mut handler);
    for item in method_not_allowed_fns(plan) {
        handler(item);
    }
    let (fallback, unknown_path) = unknown_path_fn(plan);
    handler(unknown_path);
    for (responder, name) in &plan.responders {
        handler(responder_fn(plan, responder, name));
    }

    let mut tail = Vec::new();
    if !routes.is_empty() {
        let serving = serving_items(&used);
        root_idents(&serving, &mut used);
        tail.push(serving);
        tail.push(runtime_items(TRACE_RS));
    }
    tail.push(response_writers(&used));
    let imports = router_imports(&used);
    let v07 = plan.legacy_literals.then(|| quote!(.without_v07_checks()));

    let mut file = Formatter::new();
    file.items(parse_file(quote! {
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
    }));
    file.append(body);
    for item in tail {
        file.items(parse_file(item));
    }
    file.finish()
}

/// The router's `.route(..)` calls, one per routed path; the items of their
/// operations go to `item`, in order.
fn routes(
    plan: &Plan<'_>,
    input: &InputShape,
    item: &mut impl FnMut(TokenStream),
) -> Vec<TokenStream> {
    let mut routes = Vec::new();
    for (path, ops) in &plan.routes {
        let mut chain = TokenStream::new();
        // Each method once, in the order its first operation comes.
        let mut methods: Vec<Method> = Vec::new();
        for op in ops {
            if !methods.contains(&op.method) {
                methods.push(op.method);
            }
        }
        for (i, method) in methods.into_iter().enumerate() {
            let sharing = plan.sharing(path, method);
            let handler = match sharing.as_slice() {
                [op] => format_ident!("handle_{}", op.name),
                _ => {
                    let (name, dispatch) = dispatch_fn(plan, &sharing);
                    item(dispatch);
                    name
                }
            };
            let method = method_fn(method);
            chain.extend(if i == 0 {
                quote!(axum::routing::#method(#handler::<A>))
            } else {
                quote!(.#method(#handler::<A>))
            });
        }
        for op in ops {
            item(operation_items(plan, op, input));
        }
        if let Some(key) = plan.method_not_allowed.get(path) {
            let fallback =
                method_not_allowed_fn(plan.responder(key).map(String::as_str).unwrap_or_default());
            chain.extend(quote!(.fallback(#fallback::<A>)));
        }
        let path = axum_path(ops[0]);
        routes.push(quote!(.route(#path, #chain)));
    }
    routes
}

/// The handler of a method and route several operations share (`ops`, in
/// the order [`Plan::sharing`] gives), and its name: it passes a request to
/// the first operation whose conditions it meets, else to the last.
fn dispatch_fn(plan: &Plan<'_>, ops: &[&Operation]) -> (proc_macro2::Ident, TokenStream) {
    let name = format_ident!("dispatch_{}", ops[0].name);
    let reads_path = ops.iter().any(|op| Reads::of(plan, op).path);
    let path_arg = reads_path.then(|| quote!(path: Result<RawPathParams, RawPathParamsRejection>,));
    let mut described = Vec::new();
    let mut branches = TokenStream::new();
    for (i, op) in ops.iter().enumerate() {
        let handle = format_ident!("handle_{}", op.name);
        let path = Reads::of(plan, op).path.then(|| quote!(path,));
        let call = quote!(#handle(api, #path request).await);
        let conditions = plan
            .conditions
            .get(op.name.as_str())
            .map_or(&[][..], Vec::as_slice);
        let last = i + 1 == ops.len();
        let tests: Vec<TokenStream> = conditions.iter().map(condition_test).collect();
        let requires: Vec<String> = conditions.iter().map(condition_text).collect();
        described.push(match (requires.is_empty(), last) {
            (true, _) => format!("- [`Api::{}`]: any other request.", op.name),
            (false, true) => format!(
                "- [`Api::{}`]: any other request (it requires {}, and rejects a request \
                 without).",
                op.name,
                requires.join(" and ")
            ),
            (false, false) => format!("- [`Api::{}`]: {};", op.name, requires.join(" and ")),
        });
        branches.extend(match (i, last) {
            (0, _) => quote!(if #(#tests)&&* { #call }),
            (_, false) => quote!(else if #(#tests)&&* { #call }),
            (_, true) => quote!(else { #call }),
        });
    }
    let op = ops[0];
    let route = plan.route_of(op);
    let doc = format!(
        "`{} {route}`, the route of several operations. A request goes to the first whose \
         conditions it meets:\n\n{}",
        op.method.as_str(),
        described.join("\n")
    );
    let doc = doc_attrs(Some(&doc));
    let dispatch = quote! {
        #doc
        async fn #name<A: Api>(api: State<Arc<A>>, #path_arg request: axum::extract::Request) -> Response {
            #branches
        }
    };
    (name, dispatch)
}

/// The test of one [`Condition`] on `request`.
fn condition_test(condition: &Condition<'_>) -> TokenStream {
    match condition {
        Condition::Header { name, value } => quote!(extract::header_is(&request, #name, #value)),
        Condition::Query {
            name,
            value: Some(value),
        } => quote!(extract::query_has(&request, #name, Some(#value))),
        Condition::Query { name, value: None } => quote!(extract::query_has(&request, #name, None)),
        Condition::MediaType(media_types) => {
            quote!(extract::media_type_in(&request, &[#(#media_types),*]))
        }
        Condition::Segment { capture, template } => {
            quote!(extract::segment_matches(&path, #capture, #template))
        }
    }
}

/// A [`Condition`] in words, for the dispatcher's documentation.
fn condition_text(condition: &Condition<'_>) -> String {
    match condition {
        Condition::Header { name, value } => format!("the header `{name}: {value}`"),
        Condition::Query {
            name,
            value: Some(value),
        } => format!("the query parameter `{name}={value}`"),
        Condition::Query { name, value: None } => format!("the query parameter `{name}`"),
        Condition::MediaType(media_types) => {
            let media_types: Vec<String> = media_types.iter().map(|m| format!("`{m}`")).collect();
            format!("a body in {}", media_types.join(" or "))
        }
        Condition::Segment { template, .. } => format!("a path segment `{template}`"),
    }
}

/// The fallbacks of the method routers whose 405 has a body.
fn method_not_allowed_fns(plan: &Plan<'_>) -> Vec<TokenStream> {
    let names: BTreeSet<&String> = plan
        .method_not_allowed
        .values()
        .filter_map(|key| plan.responder(key))
        .collect();
    names
        .into_iter()
        .map(|responder| {
            let name = method_not_allowed_fn(responder);
            let responder = format_ident!("{responder}");
            quote! {
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
            }
        })
        .collect()
}

/// The router's fallback for unknown paths, and its function.
fn unknown_path_fn(plan: &Plan<'_>) -> (TokenStream, TokenStream) {
    match plan.responder(&plan.not_found) {
        Some(responder) => {
            let responder = format_ident!("{responder}");
            let item = quote! {
                /// No operation has this path: 404 with the body every
                /// operation declares for it.
                async fn unknown_path<A: Api>(State(api): State<Arc<A>>, uri: axum::http::Uri) -> Response {
                    let message = format!("no operation has the path `{}`", uri.path());
                    #responder(&*api, Rejection::new(RejectionKind::UnknownPath, message))
                }
            };
            (quote!(unknown_path::<A>), item)
        }
        None => {
            let item = quote! {
                /// No operation has this path: 404 without a body.
                async fn unknown_path() -> Response {
                    empty_response(404)
                }
            };
            (quote!(unknown_path), item)
        }
    }
}

/// The `use` items of `router.rs`, whose items name `used`.
fn router_imports(used: &BTreeSet<String>) -> Vec<TokenStream> {
    let has = |name: &str| used.contains(name);
    let mut imports = Vec::new();
    if has("State") {
        imports.push(quote!(
            use axum::extract::State;
        ));
    }
    imports.push(request_part_imports(used));
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
    imports.push(crate_imports(used));
    imports
}

/// The `use` items of axum's request parts that `used` names (for
/// `router.rs` and `extract.rs`).
pub(super) fn request_part_imports(used: &BTreeSet<String>) -> TokenStream {
    let path = used.contains("RawPathParams").then(|| {
        quote! {
            use axum::extract::rejection::RawPathParamsRejection;
            use axum::extract::RawPathParams;
        }
    });
    let parts = used.contains("Parts").then(|| {
        quote!(
            use axum::http::request::Parts;
        )
    });
    quote!(#path #parts)
}

/// The `use` items of `rejection.rs` and the types crate that `used` names
/// (for `router.rs` and `extract.rs`).
pub(super) fn crate_imports(used: &BTreeSet<String>) -> TokenStream {
    let rejection = crate_uses(
        used,
        &["ParameterLocation", "Rejection", "RejectionKind"],
        quote!(crate::rejection),
    );
    let types = used.contains("types").then(|| {
        quote!(
            use crate::types;
        )
    });
    quote!(#rejection #types)
}

/// The items of `runtime/server/operation.rs` the handlers, which name
/// `used`, reach: `serve_reading` only for operations with a body.
fn serving_items(used: &BTreeSet<String>) -> TokenStream {
    let called = ["serve", "serve_reading"]
        .into_iter()
        .filter(|name| used.contains(*name))
        .map(|name| format_ident!("{name}"));
    let root = quote!(fn handlers() { #(#called;)* });
    prune::reachable(&[root], runtime_items(OPERATION_RS))
}

/// The response writers of `runtime/server/responses.rs` that the handlers,
/// which name `used`, reach.
fn response_writers(used: &BTreeSet<String>) -> TokenStream {
    // Pruning from the names the handlers use, not from the handlers
    // themselves, spares parsing every handler a second time (they are
    // parsed for `extract.rs`'s helpers).
    let writers = runtime_file_items(RESPONSES_RS);
    let called = writers
        .iter()
        .filter_map(|writer| match syn::parse2(writer.clone()) {
            Ok(syn::Item::Fn(f)) if used.contains(&f.sig.ident.to_string()) => Some(f.sig.ident),
            _ => None,
        });
    let root = quote!(fn handlers() { #(#called;)* });
    prune::reachable(&[root], quote!(#(#writers)*))
}

pub(super) fn method_not_allowed_fn(responder: &str) -> proc_macro2::Ident {
    format_ident!("{}", responder.replacen("reject", "method_not_allowed", 1))
}

/// Identifiers used as the first segment of a path (or alone) in `tokens`:
/// what a file must import or define. `axum::extract::Request` uses `axum`,
/// not `extract`.
pub(super) fn root_idents(tokens: &TokenStream, out: &mut BTreeSet<String>) {
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
pub(super) fn crate_uses(
    used: &BTreeSet<String>,
    names: &[&str],
    module: TokenStream,
) -> TokenStream {
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
pub(super) fn operation_items(plan: &Plan<'_>, op: &Operation, input: &InputShape) -> TokenStream {
    let name = ident(&op.name);
    let op_name = op.name.as_str();
    let handle = format_ident!("handle_{}", op.name);
    let served = plan.operation_type(op);
    let reads = Reads::of(plan, op);

    let steps = request_steps(plan, op, input, &reads);
    let request = request_value(plan, op);
    let mut args = Vec::new();
    let mut call_args = Vec::new();
    if reads.path {
        args.push(quote!(path: Result<RawPathParams, RawPathParamsRejection>));
        call_args.push(quote!(path));
    }
    args.push(quote!(request: axum::extract::Request));
    call_args.push(quote!(request));
    // Every operation's `Request` carries the request's headers and
    // extensions, so every handler reads the request.
    let builder = request_fn(plan, op, &args, &steps, &request);
    let build_name = format_ident!("request_{}", op.name);
    let responder = plan.op_responder.get(op_name);
    // A request without a body is read before the handler's future is
    // made, which then holds the `Request` (or the rejection) rather than
    // the whole HTTP request and its path parameters: a smaller future,
    // and one axum moves and boxes on every request. A body is read by
    // awaiting it, in the future.
    let build = quote!(#build_name(#(#call_args),*));
    let (read_first, serving) = match (&op.request_body, responder) {
        (Some(_), _) => (None, quote!(serve_reading(api, #served, #build))),
        (None, Some(_)) => (
            Some(quote!(let request = #build;)),
            quote!(serve(api, #served, request)),
        ),
        (None, None) => (
            Some(quote!(let request = #build;)),
            quote!(serve(api, #served, Ok(request))),
        ),
    };
    // Without a responder of its own, a rejection is answered with its
    // status alone: `Operation::reject`'s default.
    let reject = responder
        .and_then(|key| plan.responder(key))
        .map(|responder| {
            let responder = format_ident!("{responder}");
            quote! {
                fn reject(api: &A, rejection: Rejection) -> Response {
                    #responder(api, rejection.in_operation(#op_name))
                }
            }
        });
    // The span's fields: spec text, written as string literals.
    let operation_id = op.operation_id.as_deref().unwrap_or(op_name);
    let method_name = op.method.as_str();
    let route = op.path.text.as_str();
    let handler_doc = format!(
        "`{} {}`: calls [`Api::{op_name}`].",
        op.method.as_str(),
        op.path
    );
    let handler_doc = doc_attrs(Some(&handler_doc));
    let served_doc = format!("[`Api::{op_name}`] as the router serves it.");
    let served_doc = doc_attrs(Some(&served_doc));
    let (request_ty, response_ty) = {
        let (params_ty, body_ty) = request_types(op);
        let types = types_path();
        let module = ident(&op.name);
        (
            quote!(crate::Request<#params_ty, #body_ty>),
            quote!(#types::operations::#module::Response),
        )
    };
    let respond = response_body(plan, op);
    let body_fns = op.request_body.as_ref().map(|b| body_fns(op, b));
    quote! {
        #handler_doc
        fn #handle<A: Api>(State(api): State<Arc<A>>, #(#args),*) -> impl std::future::Future<Output = Response> + Send {
            #read_first
            traced(#operation_id, #method_name, #route, #serving)
        }

        #served_doc
        struct #served;

        impl<A: Api> Operation<A> for #served {
            type Request = #request_ty;
            type Response = #response_ty;

            fn call(api: &A, request: Self::Request) -> impl std::future::Future<Output = Self::Response> + Send + '_ {
                api.#name(request)
            }

            fn respond(response: Self::Response) -> Response {
                #respond
            }

            #reject
        }

        #builder

        #body_fns
    }
}

/// What a handler takes from the request (besides the request itself, whose
/// headers and extensions every operation's `Request` carries).
struct Reads {
    /// It reads parameters or credentials: it builds an `Input`.
    input: bool,
    /// It takes the path's parameters.
    path: bool,
}

impl Reads {
    fn of(plan: &Plan<'_>, op: &Operation) -> Self {
        let reads_input = !op.parameters.is_empty() || plan.has_credentials();
        let has_path_params = op
            .parameters
            .iter()
            .any(|p| p.location == ParameterLocation::Path);
        Reads {
            input: reads_input,
            path: reads_input && has_path_params,
        }
    }
}

/// The function reading an operation's `Request` from `args`: `steps`, then
/// `request`; it returns a `Result` when some request may be rejected.
fn request_fn(
    plan: &Plan<'_>,
    op: &Operation,
    args: &[TokenStream],
    steps: &[TokenStream],
    request: &TokenStream,
) -> TokenStream {
    let op_name = op.name.as_str();
    let build = format_ident!("request_{}", op.name);
    let (params_ty, body_ty) = request_types(op);
    let asyncness = op.request_body.is_some().then(|| quote!(async));
    if plan.op_responder.contains_key(op_name) {
        let checked = super::validate::checked_request(plan, op, request, &params_ty, &body_ty);
        let doc = format!("Reads the request of [`Api::{op_name}`], or tells why it is rejected.");
        let doc = doc_attrs(Some(&doc));
        quote! {
            #doc
            #asyncness fn #build(#(#args),*) -> Result<crate::Request<#params_ty, #body_ty>, Rejection> {
                #(#steps)*
                #checked
            }
        }
    } else {
        let doc = format!("Reads the request of [`Api::{op_name}`].");
        let doc = doc_attrs(Some(&doc));
        quote! {
            #doc
            #asyncness fn #build(#(#args),*) -> crate::Request<#params_ty, #body_ty> {
                #(#steps)*
                #request
            }
        }
    }
}

/// The types of an operation's `Request`: its parameters' and its body's.
fn request_types(op: &Operation) -> (TokenStream, TokenStream) {
    let types = types_path();
    let module = ident(&op.name);
    let params_ty = quote!(#types::operations::#module::Parameters);
    let body_ty = match (request_body(op), op.request_body.as_ref()) {
        (Some(ty), Some(b)) if b.required => ty,
        (Some(ty), Some(_)) => quote!(Option<#ty>),
        _ => quote!(()),
    };
    (params_ty, body_ty)
}

/// Reading the request before its value: parts, `Input`, credentials and
/// their checks, split path segments.
fn request_steps(
    plan: &Plan<'_>,
    op: &Operation,
    input: &InputShape,
    reads: &Reads,
) -> Vec<TokenStream> {
    let mut steps = Vec::new();
    steps.push(match &op.request_body {
        // Readers of whole bodies lend the extensions to axum (its body
        // size limit is there) and take them back.
        Some(body) if reads_whole_body(body) => {
            quote!(let (mut parts, body) = request.into_parts();)
        }
        Some(_) => quote!(let (parts, body) = request.into_parts();),
        None => quote!(let (parts, _) = request.into_parts();),
    });
    if reads.input {
        let mut args = Vec::new();
        if input.reads_parts() {
            args.push(quote!(&parts));
        }
        if input.path {
            args.push(if reads.path {
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
    // With security schemes, `Request` has a `credentials` field.
    if plan.has_credentials() {
        steps.push(quote!(let credentials = extract::credentials(&input);));
    }
    steps.extend(input_reads(plan, op));
    steps
}

/// The steps of a handler that read its `Input` besides its parameters:
/// checking credentials, splitting path segments.
pub(super) fn input_reads(plan: &Plan<'_>, op: &Operation) -> Vec<TokenStream> {
    let mut steps = Vec::new();
    if checks_credentials(op) {
        steps.extend(authorization_check(plan, op));
        steps.push(credentials_check(plan, op));
    }
    for (capture, template) in plan.split_segments(op) {
        steps.push(quote!(input.split_segment(#capture, #template)?;));
    }
    steps
}

/// Rejects an `Authorization` header that none of the operation's schemes
/// reads, when some of them use that header.
fn authorization_check(plan: &Plan<'_>, op: &Operation) -> Option<TokenStream> {
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
    if schemes.is_empty() {
        return None;
    }
    let message = format!(
        "invalid credentials: the Authorization header must be {}",
        schemes
            .iter()
            .map(|s| format!("`{s} <credentials>`"))
            .collect::<Vec<_>>()
            .join(" or ")
    );
    Some(quote! {
        if input.unreadable_authorization(&[#(#schemes),*]) {
            return Err(Rejection::new(RejectionKind::InvalidCredentials, #message));
        }
    })
}

/// Rejects a request that carries no complete security alternative of the
/// operation.
fn credentials_check(plan: &Plan<'_>, op: &Operation) -> TokenStream {
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
    quote! {
        let authorized = #authorized;
        if !authorized {
            return Err(Rejection::new(RejectionKind::MissingCredentials, #message));
        }
    }
}

/// The value of an operation's `Request`.
fn request_value(plan: &Plan<'_>, op: &Operation) -> TokenStream {
    let parameters = parameters_value(plan, op);
    let body = body_value(op);
    let credentials = plan.has_credentials().then(|| quote!(credentials,));
    quote!(crate::Request {
        parameters: #parameters,
        body: #body,
        #credentials
        headers: parts.headers,
        extensions: parts.extensions,
    })
}

/// The value of an operation's parameters, read from `input`; for an
/// operation without parameters, its empty `Parameters` (nothing is read).
pub(super) fn parameters_value(plan: &Plan<'_>, op: &Operation) -> TokenStream {
    let types = types_path();
    let module = ident(&op.name);
    if op.parameters.is_empty() {
        return quote!(#types::operations::#module::Parameters::new());
    }
    let members = crate::emit::types::parameter_members(op, &quote!(#types));
    let reads = op.parameters.iter().map(|p| {
        let location = location_tokens(p.location);
        let wire = match p.location {
            ParameterLocation::Path => plan.parameter_capture(op, p),
            _ => p.wire_name.clone(),
        };
        let read = match (reader(plan.api, p), p.required) {
            (Reader::Scalar, required) => {
                let parser = scalar_parser(plan.api, &p.ty);
                if required {
                    quote!(input.required(#location, #wire, #parser))
                } else {
                    quote!(input.optional(#location, #wire, #parser))
                }
            }
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
        quote!(#read?)
    });
    let fields: Vec<_> = members.iter().zip(reads).collect();
    crate::emit::types::construct(quote!(#types::operations::#module::Parameters), &fields)
}

/// The value of an operation's body, read from `parts` and `body`.
fn body_value(op: &Operation) -> TokenStream {
    match &op.request_body {
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
    }
}

/// The templates of an operation's path segments that hold several
/// parameters, or a parameter and text.
pub(super) fn mixed_segments(op: &Operation) -> Vec<&str> {
    op.path
        .segments
        .iter()
        .filter_map(|s| match s {
            PathSegment::Mixed { template, .. } => Some(template.as_str()),
            _ => None,
        })
        .collect()
}

/// The expression reading an operation's body, as a `Result<Option<_>,
/// Rejection>` to await.
pub(super) fn body_reader(op: &Operation, body: &RequestBody) -> TokenStream {
    match body.contents.as_slice() {
        [content] => content_reader(op, content, PartsAt::Variable),
        _ => {
            let read = format_ident!("body_{}", op.name);
            quote!(#read(&mut parts, body).await)
        }
    }
}

/// Whether reading `body` may read it whole (a binary body alone is
/// streamed), which borrows the request's parts mutably.
fn reads_whole_body(body: &RequestBody) -> bool {
    !matches!(body.contents.as_slice(), [content] if content.payload == Payload::Binary)
}

/// Where the code reading a body finds the request's parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PartsAt {
    /// `parts`, the handler's variable.
    Variable,
    /// `parts: &mut Parts`, an argument of the function choosing the body's
    /// media type.
    Argument,
}

/// The expression reading one media type of a body (checking the request's
/// `Content-Type`), as a `Result<Option<_>, Rejection>`.
pub(super) fn content_reader(op: &Operation, content: &Content, parts: PartsAt) -> TokenStream {
    let media = essence(&content.media_type);
    let (shared, exclusive) = match parts {
        PartsAt::Variable => (quote!(&parts), quote!(&mut parts)),
        PartsAt::Argument => (quote!(parts), quote!(parts)),
    };
    match &content.payload {
        Payload::Json(_) => quote!(extract::json_body(#exclusive, body).await),
        Payload::Form { .. } => quote!(extract::form_body(#exclusive, body).await),
        Payload::Text => quote!(extract::text_body(#exclusive, body, #media).await),
        Payload::Binary => quote!(extract::binary_body(#shared, body, #media)),
        Payload::Multipart(_) => {
            let read = format_ident!("multipart_{}", op.name);
            quote!(#read(#exclusive, body).await)
        }
    }
}

/// The functions an operation's body needs beside the shared readers: one
/// choosing the media type, one reading the parts of a multipart body.
pub(super) fn body_fns(op: &Operation, body: &RequestBody) -> TokenStream {
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
        let members = crate::emit::types::multipart_members(fields, &quote!(#types));
        let reads = fields.iter().map(|field| {
            let wire = &field.wire_name;
            match (&field.part, field.required) {
                (PartKind::File, true) => quote!(form.file(#wire)?),
                (PartKind::File, false) => quote!(form.optional_file(#wire)),
                (PartKind::Files, _) => quote!(form.files(#wire)),
                (PartKind::Value(_), true) => quote!(form.required(#wire)?),
                (PartKind::Value(_), false) => quote!(form.optional(#wire)?),
            }
        });
        let fields: Vec<_> = members.iter().zip(reads).collect();
        let multipart =
            crate::emit::types::construct(quote!(#types::operations::#module::Multipart), &fields);
        items.push(quote! {
            #doc
            async fn #read(parts: &mut Parts, body: axum::body::Body) -> Result<Option<#types::operations::#module::Multipart>, Rejection> {
                let Some(mut form) = extract::multipart_body(parts, body).await? else {
                    return Ok(None);
                };
                Ok(Some(#multipart))
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
            let read = content_reader(op, content, PartsAt::Argument);
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
            async fn #read(parts: &mut Parts, body: axum::body::Body) -> Result<Option<#body_ty>, Rejection> {
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

/// The body of `Operation::respond` for `op`: the match sending each of
/// its responses.
fn response_body(plan: &Plan<'_>, op: &Operation) -> TokenStream {
    let types = types_path();
    let module = ident(&op.name);
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
    // `Response` is `#[non_exhaustive]`, so another crate's match needs a
    // wildcard arm, which the types crate of the same spec never reaches.
    let body = if arms.is_empty() {
        quote! {
            let _ = response;
            undeclared_status()
        }
    } else {
        quote! {
            match response {
                #(#arms,)*
                #[allow(unreachable_patterns)]
                _ => undeclared_status(),
            }
        }
    };
    body
}

/// When a range or `default` response's status is really its own: within
/// the range, and not declared by a more specific sibling. `None`: always.
pub(super) fn status_guard(op: &Operation, status: Status) -> Option<TokenStream> {
    let codes: Vec<u16> = op
        .responses
        .iter()
        .filter_map(|r| match r.status {
            Status::Code(c) => Some(c),
            _ => None,
        })
        .collect();
    // Three or more consecutive codes are one range (`200..=202`), as
    // clippy's `manual_range_patterns` asks of a pattern.
    let not_codes = |mut codes: Vec<u16>| -> Option<TokenStream> {
        codes.sort_unstable();
        codes.dedup();
        let mut conditions = Vec::new();
        let mut singles = Vec::new();
        for (first, last) in code_runs(&codes) {
            if last - first >= 2 {
                let (first, last) = (u16_lit(first), u16_lit(last));
                conditions.push(quote!(!(#first..=#last).contains(&status)));
            } else {
                singles.extend((first..=last).map(u16_lit));
            }
        }
        match singles.as_slice() {
            [] => {}
            [one] => conditions.insert(0, quote!(status != #one)),
            many => conditions.insert(0, quote!(!matches!(status, #(#many)|*))),
        }
        (!conditions.is_empty()).then(|| quote!(#(#conditions)&&*))
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

/// The runs of consecutive codes in `codes` (sorted, without repeats), each
/// as its first and last.
pub(super) fn code_runs(codes: &[u16]) -> Vec<(u16, u16)> {
    let mut runs: Vec<(u16, u16)> = Vec::new();
    for &code in codes {
        match runs.last_mut() {
            Some((_, last)) if *last + 1 == code => *last = code,
            _ => runs.push((code, code)),
        }
    }
    runs
}

/// The call sending `body` (an expression) with `sent`'s encoding.
pub(super) fn body_call(sent: &Sent, status: TokenStream, body: TokenStream) -> TokenStream {
    let content_type = &sent.content_type;
    match sent.body {
        BodyType::Json(_) => quote!(json_response(#status, #content_type, &#body)),
        BodyType::Text | BodyType::Bytes => quote!(raw_response(#status, #content_type, #body)),
    }
}

/// A function answering rejections with the outcome of their status.
pub(super) fn responder_fn(plan: &Plan<'_>, responder: &Responder, name: &str) -> TokenStream {
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
