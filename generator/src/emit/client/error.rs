//! The client crate's `error.rs`: the `Error` every call can return, the
//! runtime file `error.rs` without the variants the client never constructs.

use proc_macro2::TokenStream;
use quote::quote;

use super::runtime_items;

/// The generated `error.rs`, with every variant the client may construct.
pub(super) const ERROR_RS: &str = include_str!("../../../runtime/client/error.rs");

/// The formatted file, keeping of the optional parts (`InvalidHeader`) those
/// that `client_helpers`, the helpers the client's `client.rs` keeps, need.
pub(super) fn error_rs(client_helpers: &TokenStream) -> String {
    // The public surface every client has, whatever its helpers construct.
    let surface = quote! {
        fn surface() {
            Error::status;
            Error::is_timeout;
            Error::InvalidBaseUrl;
            Error::InvalidRequest;
            Error::Transport;
            Error::Middleware;
            Error::UnexpectedStatus;
            Error::Decode;
            Error::BodyTooLarge;
        }
    };
    let roots = [client_helpers.clone(), surface];
    let items = super::super::prune::reachable(&roots, runtime_items(ERROR_RS));
    super::super::format_file([items])
}
