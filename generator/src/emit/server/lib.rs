//! `lib.rs` of the server crate: the crate docs and its modules.

use super::*;

pub(super) fn lib_rs(api: &Api, crates: &CrateNames) -> String {
    let types_lib = ident(&CrateNames::lib_name(&crates.types));
    let mut docs = format!(
        "Server of {} (version {}).",
        super::super::text::one_line(&api.title),
        super::super::text::one_line(&api.version)
    );
    if let Some(description) = api
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        docs.push_str("\n\n");
        docs.push_str(&super::super::text::markdown(description.trim()));
    }
    docs.push_str(
        "\n\nImplement [`Api`] (one method per operation, plus one `rejection_*` method per\n\
         body type the server sends on its own) and serve [`router()`] with [`serve()`],\n\
         e.g. `serve(listener, router(service))`, which bounds how long clients may take\n\
         to send requests and how many connections are open ([`ServeOptions`]).\n\
         \n\
         The router answers every request with a response the API description\n\
         declares. Requests it rejects before calling the [`Api`] (bad parameters or\n\
         body, missing credentials, unknown path or method) get the response the\n\
         operation declares for that status, its body built by the [`Api`]'s\n\
         `rejection_*` method from a [`Rejection`].\n\
         \n\
         Each operation gets a [`Request`]: its parameters, body and credentials,\n\
         and the request's headers and extensions, where tower middleware (layers\n\
         on the router) leaves what it learned, such as the caller's identity.\n\
         CORS, compression, timeouts and limits are tower (`tower-http`) layers:\n\
         `router(service).layer(...)`. [`spec_router`] serves the OpenAPI\n\
         description the crate was generated from ([`SPEC`]) at a path you choose:\n\
         `router(service).merge(spec_router(\"/openapi\"))`. With the `tracing`\n\
         feature, each operation runs in a `tracing` span (`operation`: its id,\n\
         method, route and response status).",
    );
    let docs = doc_inner_attrs(&docs);
    let limit = crate::emit::recursion_limit(api);
    format_file([quote! {
        #docs
        #limit

        mod api;
        mod extract;
        mod rejection;
        mod router;
        mod serve;
        mod spec;

        /// The types crate: models, operations' parameters and responses, credentials.
        pub use #types_lib as types;

        pub use api::{Api, Request};
        pub use rejection::{ParameterLocation, Rejection, RejectionKind};
        pub use router::{router, router_arc};
        pub use serve::{serve, ServeOptions};
        pub use spec::{spec_router, SPEC, SPEC_MEDIA_TYPE};
        /// `axum`, whose `Router` [`router()`] returns.
        pub use axum;

        /// The README's usage examples, compiled as doctests.
        #[cfg(doctest)]
        #[doc = include_str!("../README.md")]
        struct ReadmeExamples;
    }])
}

/// `#![doc = ...]` attributes.
pub(super) fn doc_inner_attrs(docs: &str) -> TokenStream {
    let lines = super::super::doc_lines(docs);
    quote! { #( #![doc = #lines] )* }
}
