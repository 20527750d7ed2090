//! The client crate's `lib.rs`: crate docs, with the servers and a usage
//! example, and the re-exports.

use proc_macro2::TokenStream;
use quote::quote;

use super::*;
use crate::emit::types::features;

/// The formatted file.
pub(super) fn lib_rs(api: &Api, crates: &CrateNames, plan: &Plan<'_>) -> String {
    super::super::format_file([lib_items(api, crates, plan)])
}

fn lib_items(api: &Api, crates: &CrateNames, plan: &Plan<'_>) -> TokenStream {
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
    // A method that always compiles, if there is one; otherwise the link
    // is there only in the builds that have the method (elsewhere it would
    // be a broken link).
    let example = features::example_operation(api).map(|(index, gate)| (&plan.ops[index], gate));
    let then_call = |method: String| {
        format!(
            " Then call one method per operation, e.g. {method}. Each returns the \
             operation's `Response`, whose variant is chosen by the status code alone, or an \
             [`Error`]."
        )
    };
    let call_docs = example.map(|(first, gate)| {
        let linked = then_call(format!("[`Client::{}`]", first.method));
        match gate {
            None => quote! { #![doc = #linked] },
            Some(gate) => {
                let gate = gate.tokens();
                let plain = then_call(format!("`Client::{}`", first.method));
                quote! {
                    #![cfg_attr(#gate, doc = #linked)]
                    #![cfg_attr(not(#gate), doc = #plain)]
                }
            }
        }
    });
    if call_docs.is_some() {
        lines.push(String::new());
    }
    let lines = lines.iter().map(|line| {
        if line.trim().is_empty() {
            ""
        } else {
            line.as_str()
        }
    });

    let limit = crate::emit::recursion_limit(api);
    let allowance = crate::emit::types::features::partial_build_allowance(api, false);
    quote! {
        #( #![doc = #lines] )*
        #call_docs
        #limit
        #allowance

        mod client;
        mod error;

        /// The API's types: models, operations' parameters and responses, credentials.
        pub use #types_lib as types;
        pub use client::{
            BoxFuture, Call, Client, ClientOptions, Middleware, Next, Pages, RetryPolicy,
        };
        pub use error::Error;
        /// `reqwest`, whose client [`Client::with_http_client`] takes.
        pub use reqwest;
        /// `http`, whose `Extensions` a [`Middleware`] reads.
        pub use http;
        /// The README's usage examples, compiled as doctests.
        #[cfg(doctest)]
        #[doc = include_str!("../README.md")]
        struct ReadmeExamples;
    }
}
