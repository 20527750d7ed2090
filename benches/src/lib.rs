//! Shared pieces of the runtime benchmarks (see `BENCHMARKS.md`): the data
//! both servers answer with, the hand-written axum server the generated one
//! is compared with, and small statistics helpers.
//!
//! The two servers do the same work per request: read the same parameters
//! (path segments: a string and one or two UUIDs), check the same
//! credentials (`x-auth-roles` or `Authorization: Bearer`, refusing an
//! `Authorization` header of another scheme), build the same value with
//! [`logic`] and send it as the same JSON. Only the plumbing differs, which
//! is what is measured.

pub mod counting;
pub mod generated_api;
pub mod handwritten;
pub mod logic;
pub mod spec_args;
pub mod stats;

/// The organization every benchmark request names.
pub const ORG_ID: &str = "telco";
/// The customer every benchmark request names.
pub const CUSTOMER_ID: &str = "123e4567-e89b-12d3-a456-556642440000";
/// The identification process `get` requests name.
pub const PROCESS_ID: &str = "4189285b-08f8-4628-adda-4767d81362e7";
/// The credentials every benchmark request sends (`x-auth-roles`).
pub const AUTH_ROLES: &str = "API_KEY";
