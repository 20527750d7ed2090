//! `api.rs` of the server crate: the trait with one method per operation.

use super::*;

pub(super) fn api_rs(plan: &Plan<'_>) -> String {
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
        let params = quote!(#types::operations::#module::Parameters);
        let request = match (request_body(op), &op.request_body) {
            (Some(ty), Some(body)) if body.required => quote!(Request<#params, #ty>),
            (Some(ty), Some(_)) => quote!(Request<#params, Option<#ty>>),
            _ => quote!(Request<#params>),
        };
        let allow = crate::emit::self_convention_allow(&op.name);
        methods.push(quote! {
            #docs
            #allow
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
    let request = runtime_items(&request_source(plan));
    let items = quote! {
        #request

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
pub(super) fn hook_statuses(plan: &Plan<'_>, ty: &BodyType) -> String {
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

/// `runtime/server/request.rs` for this API: without its `credentials`
/// passages when the API has no security schemes (its types crate has no
/// `Credentials`), and with a paragraph on streamed bodies when some
/// operation takes one.
fn request_source(plan: &Plan<'_>) -> String {
    let mut edits: Vec<(&str, &str)> = Vec::new();
    if plan.api.security_schemes.is_empty() {
        edits.extend(WITHOUT_CREDENTIALS);
    }
    let streams = plan.api.operations.iter().any(|op| {
        op.request_body
            .iter()
            .flat_map(|b| &b.contents)
            .any(super::super::types::is_stream)
    });
    if streams {
        edits.push((BODY_DOCS, STREAMED_BODY_DOCS));
    }
    edited(REQUEST_RS, &edits)
}

/// The docs of `Request::body`.
const BODY_DOCS: &str = "    /// The decoded body (`()` when the operation takes none, `Option` when it is optional).\n";

/// The docs of `Request::body` when some operation streams its body.
const STREAMED_BODY_DOCS: &str =
    "    /// The decoded body (`()` when the operation takes none, `Option` when it is optional).
    ///
    /// A binary body is an `axum::body::Body` to read as a stream (e.g.
    /// `into_data_stream()`): it is not buffered, and axum's body size limit
    /// (`DefaultBodyLimit`) does not apply to it.
";

/// The edits of `runtime/server/request.rs` for an API without security
/// schemes.
const WITHOUT_CREDENTIALS: &[(&str, &str)] = &[
    (
        "/// A request that passed the server's checks: typed parameters, the\n/// decoded body and the credentials it carried, with the request's headers\n/// and extensions.",
        "/// A request that passed the server's checks: typed parameters and the\n/// decoded body, with the request's headers and extensions.",
    ),
    (
        "    /// Every header of the request, as received (those the parameters and\n    /// credentials were read from too).",
        "    /// Every header of the request, as received (those the parameters were\n    /// read from too).",
    ),
    (
        "    /// Every credential the request carried; at least one security\n    /// alternative of the operation is complete.\n    pub credentials: types::Credentials,\n",
        "",
    ),
    (
        "    /// A request of `parameters` and `body`, without credentials, headers or\n    /// extensions (add them with the `with_*` methods): to call an\n    /// operation directly, e.g. in a test.",
        "    /// A request of `parameters` and `body`, without headers or extensions\n    /// (add them with the `with_*` methods): to call an operation directly,\n    /// e.g. in a test.",
    ),
    ("            credentials: types::Credentials::default(),\n", ""),
    (
        "    /// This request with `credentials`.\n    pub fn with_credentials(mut self, credentials: types::Credentials) -> Self {\n        self.credentials = credentials;\n        self\n    }\n\n",
        "",
    ),
    ("            .field(\"credentials\", &self.credentials)\n", ""),
];
