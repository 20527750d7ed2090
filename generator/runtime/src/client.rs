//! The fixed parts of a generated client's `client.rs`, compiled together as
//! they are there, in one module. The generator keeps of them only what a
//! crate's own code reaches; here every item is compiled and tested.
//!
//! `Client` and `types` stand in for what the generator writes per
//! spec: the same names and the fields the helpers use.

// Items that only some generated crates reach are all compiled here.
#![allow(dead_code)]

include!("../client/options.rs");
include!("../client/call.rs");
include!("../client/pages.rs");
include!("../client/request.rs");
include!("../client/request_body.rs");
include!("../client/transport.rs");
include!("../client/body.rs");
include!("../client/response.rs");

/// Stand-in for the generated `Client`: the fields the helpers read.
#[derive(Clone, Debug)]
pub struct Client {
    base_url: reqwest::Url,
    http: reqwest::Client,
    body_limit: usize,
    hooks: Hooks,
}

impl Client {
    /// A client of `base_url` as the generated `Client::with_options` makes
    /// it.
    ///
    /// # Errors
    ///
    /// As the generated `Client::new`.
    pub fn new(base_url: &str) -> Result<Client, Error> {
        let http = ClientOptions::default()
            .http_client()
            .map_err(Error::Transport)?;
        Ok(Client {
            base_url: parse_base_url(base_url)?,
            http,
            body_limit: 32 * 1024 * 1024,
            hooks: Hooks::default(),
        })
    }

    /// See the generated `Client::with_options`.
    fn with_options(base_url: &str, options: &ClientOptions) -> Result<Client, Error> {
        let http = options.http_client().map_err(Error::Transport)?;
        Ok(Client {
            base_url: parse_base_url(base_url)?,
            http,
            body_limit: 32 * 1024 * 1024,
            hooks: Hooks {
                retry: options.retry,
                ..Hooks::default()
            },
        })
    }

    /// See the generated `Client::with_http_client`.
    fn with_http_client(base_url: &str, http: reqwest::Client) -> Result<Client, Error> {
        Ok(Client {
            base_url: parse_base_url(base_url)?,
            http,
            body_limit: 32 * 1024 * 1024,
            hooks: Hooks::default(),
        })
    }
}

/// The generated `error.rs`, with every variant.
pub mod error {
    include!("../client/error.rs");
}

pub use error::Error;

/// Stand-in for the generated types crate.
mod types {
    /// Stand-in for the types crate's `operations` module.
    pub mod operations {
        /// The types crate's `File`, the same fields.
        #[derive(Clone, Default, Debug, PartialEq, Eq)]
        pub struct File {
            /// The file name the part carries (`filename`), if any.
            pub file_name: Option<String>,
            /// The part's media type (`Content-Type`), if any.
            pub content_type: Option<String>,
            /// The file's content.
            pub bytes: Vec<u8>,
        }
    }
}

#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;
