//! The fixed code apiforge copies verbatim into the crates it generates,
//! compiled and tested here as ordinary Rust. The generator embeds the same
//! files with `include_str!`.

/// `serve.rs` of every generated server crate.
#[path = "../server/serve.rs"]
pub mod serve;

pub use serve::{serve, ServeOptions};

/// `client.rs` of every generated client crate: its fixed helpers, next to
/// minimal stand-ins for what the generator writes per spec.
pub mod client;

/// The fixed code of the types crate. Its helpers are private functions of
/// the generated files, so here they exist for their tests.
#[cfg(test)]
mod types;
