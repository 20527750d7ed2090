//! What one change does to each audience and to each generated crate.
//!
//! The rules follow the shapes of the generated code (see the evolution
//! rules in `docs/generated-code.md`): models and parameter structs are
//! `#[non_exhaustive]` and built with `new(required fields)` plus a setter
//! per optional field; enums of values and per-operation `Response` enums
//! are `#[non_exhaustive]`. The client crate and the server crate re-export
//! the types crate (`client::types`, `server::types`) and depend on its
//! exact version, so whatever the types crate needs, they need too (applied
//! in [`super::Bumps::of`]). The wire audiences follow the usual OpenAPI
//! rules: a deployed client breaks when a request it used to make is now
//! refused, or a response the new server sends cannot be read by it; a
//! deployed server breaks when a request the old client could make, made by
//! the new client, is refused, or when a response it sends is one the new
//! client cannot read. A request that only the new client makes (a new
//! operation) failing on an old server breaks nothing that worked.

use serde::Serialize;

use super::Kind;

/// What a change does to one audience.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// Nothing it can observe.
    None,
    /// Something new or different that keeps working code working.
    Compatible,
    /// Code that compiled stops compiling, or a call that worked fails.
    Breaking,
}

impl Effect {
    /// `none`, `compatible`, `breaking`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::None => "none",
            Effect::Compatible => "compatible",
            Effect::Breaking => "breaking",
        }
    }
}

/// The semantic-versioning bump a crate needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    /// The crate does not change.
    None,
    /// The crate changes without changing its public API (docs,
    /// behaviour).
    Patch,
    /// The public API grows: code that compiled still compiles.
    Minor,
    /// Code that compiled against the previous crate may not compile.
    Major,
}

impl Bump {
    /// `none`, `patch`, `minor`, `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// What one change does to the four audiences and the three crates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Impact {
    /// (1) Code that uses the client crate (and the types it re-exports).
    pub client_code: Effect,
    /// (2) Code that implements the server crate's `Api` trait.
    pub server_code: Effect,
    /// (3) A client already deployed, talking to the new server.
    pub deployed_client: Effect,
    /// (4) A server already deployed, receiving requests from the new
    /// client.
    pub deployed_server: Effect,
    /// The types crate's own public API.
    pub types: Bump,
    /// The client crate's own public API (before what it re-exports).
    pub client: Bump,
    /// The server crate's own public API (before what it re-exports).
    pub server: Bump,
}

/// How a new operation affects an existing implementation of the server's
/// `Api` trait: the one place that decides it, as the generated server
/// does (see "Evolution rules" in `docs/generated-code.md`). The trait's
/// methods are all required, on purpose: a default method would answer
/// the new operation with a status the spec does not declare.
pub const NEW_OPERATION_BREAKS_SERVER_CODE: bool = true;

/// What the classification of a change depends on besides its kind.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context {
    /// The schema is reached from a request (parameter or body), in either
    /// version.
    pub request: bool,
    /// The schema is reached from a response, in either version.
    pub response: bool,
    /// The parameter, body or property is required: for an addition or a
    /// removal, the one added or removed; for `*-required-changed`, in the
    /// new version.
    pub required: bool,
    /// The change adds or removes an argument of the client's method or
    /// changes the server's `Request` type: a request body added or
    /// removed, or going from one media type to several (or back); for a
    /// response header, the
    /// response's first (or last); for a security scheme, the API's first
    /// (or last). Parameters never do: every operation has a `Parameters`,
    /// empty when the spec lists none.
    pub signature: bool,
    /// For constraints: the value now has a check in the types crate
    /// (`impl Validate`, `validate::<operation>_body`) it had not.
    pub gains_check: bool,
    /// For constraints: the value had a check in the types crate that
    /// it has no more.
    pub loses_check: bool,
    /// For a response status: a deployed reader (of the other version)
    /// reads it without failing: a range or `default` response covers it,
    /// or it is an error status, which the client reports as an error
    /// anyway.
    pub covered: bool,
}

use Bump::{Major, Minor, Patch};
use Effect::{Breaking, Compatible, None as Unaffected};

/// The effects on the wire of a change to a schema, given which
/// directions use it: `(deployed client, deployed server)`.
fn wire(
    ctx: &Context,
    in_request: (Effect, Effect),
    in_response: (Effect, Effect),
) -> (Effect, Effect) {
    let mut effects = (Unaffected, Unaffected);
    if ctx.request {
        effects = (effects.0.max(in_request.0), effects.1.max(in_request.1));
    }
    if ctx.response {
        effects = (effects.0.max(in_response.0), effects.1.max(in_response.1));
    }
    effects
}

/// A schema's Rust type changed incompatibly: code that names it breaks,
/// whichever side builds or reads it (a schema no operation uses is still
/// in the types crate, which both sides re-export).
fn used(_: &Context) -> Effect {
    Breaking
}

/// The impact of a change of `kind` in `ctx`.
pub fn impact(kind: Kind, ctx: &Context) -> Impact {
    let rust = |client_code, server_code, types, client, server| Impact {
        client_code,
        server_code,
        deployed_client: Unaffected,
        deployed_server: Unaffected,
        types,
        client,
        server,
    };
    let with_wire = |impact: Impact, (deployed_client, deployed_server): (Effect, Effect)| Impact {
        deployed_client,
        deployed_server,
        ..impact
    };
    // The client's method and the server's `Request` type change when an
    // argument appears or disappears.
    let signature = if ctx.signature { Major } else { Patch };
    let signature_effect = |otherwise| if ctx.signature { Breaking } else { otherwise };
    match kind {
        Kind::OperationAdded => {
            let server_code = if NEW_OPERATION_BREAKS_SERVER_CODE {
                Breaking
            } else {
                Compatible
            };
            let server = if NEW_OPERATION_BREAKS_SERVER_CODE {
                Major
            } else {
                Minor
            };
            with_wire(
                rust(Compatible, server_code, Minor, Minor, server),
                (Unaffected, Compatible),
            )
        }
        Kind::OperationRemoved => with_wire(
            rust(Breaking, Breaking, Major, Major, Major),
            (Breaking, Unaffected),
        ),
        Kind::OperationPathChanged | Kind::OperationMethodChanged => with_wire(
            rust(Unaffected, Unaffected, Patch, Patch, Patch),
            (Breaking, Breaking),
        ),
        // Parameters are fields of the operation's `Parameters`, which
        // every operation has (empty when the spec lists none): the client's
        // method and the server's `Request` type keep their shape when the
        // first is added or the last removed. A required one is an
        // argument of `Parameters::new` (and an empty `Parameters` loses
        // its `Default`); a handler only reads the fields.
        Kind::ParameterAddedRequired => with_wire(
            rust(Breaking, Compatible, Major, Patch, Patch),
            (Breaking, Compatible),
        ),
        Kind::ParameterAddedOptional => with_wire(
            rust(Compatible, Compatible, Minor, Patch, Patch),
            (Compatible, Compatible),
        ),
        Kind::ParameterRemoved => with_wire(
            rust(Breaking, Breaking, Major, Patch, Patch),
            (Compatible, if ctx.required { Breaking } else { Compatible }),
        ),
        Kind::ParameterTypeChanged => with_wire(
            rust(Breaking, Breaking, Major, Patch, Patch),
            (Breaking, Breaking),
        ),
        Kind::ParameterRequiredChanged => with_wire(
            rust(Breaking, Breaking, Major, Patch, Patch),
            if ctx.required {
                (Breaking, Compatible)
            } else {
                (Compatible, Breaking)
            },
        ),
        Kind::ParameterEncodingChanged => with_wire(
            rust(Unaffected, Unaffected, Patch, Patch, Patch),
            (Breaking, Breaking),
        ),
        Kind::RequestBodyAdded => with_wire(
            rust(Breaking, Breaking, Patch, Major, Major),
            (if ctx.required { Breaking } else { Compatible }, Compatible),
        ),
        Kind::RequestBodyRemoved => with_wire(
            rust(Breaking, Breaking, Patch, Major, Major),
            (Compatible, if ctx.required { Breaking } else { Compatible }),
        ),
        Kind::RequestBodyRequiredChanged => with_wire(
            rust(Breaking, Breaking, Patch, Major, Major),
            if ctx.required {
                (Breaking, Compatible)
            } else {
                (Compatible, Breaking)
            },
        ),
        // A body with several media types is an exhaustive `Body` enum of
        // them in the types crate (a handler must read every format the
        // spec accepts), which the client's method takes and the server's
        // request holds. `ctx.signature`: the body goes from one media type
        // to several, or back, and the client's method takes another type;
        // otherwise client code, which builds a `Body`, still compiles
        // with a variant more.
        Kind::RequestMediaTypeAdded => with_wire(
            rust(
                signature_effect(Compatible),
                Breaking,
                Major,
                signature,
                signature,
            ),
            (Compatible, Compatible),
        ),
        Kind::RequestMediaTypeRemoved => with_wire(
            rust(Breaking, Breaking, Major, signature, signature),
            (Breaking, Compatible),
        ),
        Kind::RequestBodyTypeChanged => with_wire(
            rust(Breaking, Breaking, Major, Major, Major),
            (Breaking, Breaking),
        ),
        Kind::ResponseStatusAdded => with_wire(
            rust(Compatible, Compatible, Minor, Patch, Patch),
            (if ctx.covered { Compatible } else { Breaking }, Unaffected),
        ),
        Kind::ResponseStatusRemoved => with_wire(
            rust(Breaking, Breaking, Major, Patch, Patch),
            (Compatible, if ctx.covered { Compatible } else { Breaking }),
        ),
        Kind::ResponseBodyChanged => with_wire(
            rust(Breaking, Breaking, Major, Patch, Patch),
            (Breaking, Breaking),
        ),
        // A response's headers are a `<Variant>Headers` struct built with
        // `new(required headers)`; `ctx.signature`: the response had none
        // (or has none left), and its variant changes shape.
        Kind::ResponseHeaderAdded => {
            let changes_new = ctx.signature || ctx.required;
            with_wire(
                rust(
                    signature_effect(Compatible),
                    if changes_new { Breaking } else { Compatible },
                    if changes_new { Major } else { Minor },
                    Patch,
                    Patch,
                ),
                (Compatible, if ctx.required { Breaking } else { Compatible }),
            )
        }
        Kind::ResponseHeaderRemoved => with_wire(
            rust(Breaking, Breaking, Major, Patch, Patch),
            (if ctx.required { Breaking } else { Compatible }, Compatible),
        ),
        // A field of `<Variant>Headers` changes type (`T` / `Option<T>` for
        // required), and `new`'s arguments with it.
        Kind::ResponseHeaderTypeChanged => with_wire(
            rust(Breaking, Breaking, Major, Patch, Patch),
            (Breaking, Breaking),
        ),
        // `ctx.required`: required now. A deployed server may not send it,
        // which the new client requires; a deployed client requires what
        // the new server may leave out.
        Kind::ResponseHeaderRequiredChanged => with_wire(
            rust(Breaking, Breaking, Major, Patch, Patch),
            if ctx.required {
                (Compatible, Breaking)
            } else {
                (Breaking, Compatible)
            },
        ),
        Kind::SchemaAdded => rust(Compatible, Compatible, Minor, Patch, Patch),
        Kind::SchemaRemoved => rust(used(ctx), used(ctx), Major, Patch, Patch),
        Kind::SchemaTypeChanged => with_wire(
            rust(used(ctx), used(ctx), Major, Patch, Patch),
            wire(ctx, (Breaking, Breaking), (Breaking, Breaking)),
        ),
        Kind::PropertyAddedOptional => with_wire(
            rust(Compatible, Compatible, Minor, Patch, Patch),
            wire(ctx, (Compatible, Compatible), (Compatible, Compatible)),
        ),
        // `new` takes one more argument: code that builds the model breaks
        // (the client's for requests, the server's for responses).
        Kind::PropertyAddedRequired => with_wire(
            rust(
                if ctx.request { Breaking } else { Compatible },
                if ctx.response { Breaking } else { Compatible },
                Major,
                Patch,
                Patch,
            ),
            wire(ctx, (Breaking, Compatible), (Compatible, Breaking)),
        ),
        Kind::PropertyRemoved => {
            let required = if ctx.required { Breaking } else { Compatible };
            with_wire(
                rust(used(ctx), used(ctx), Major, Patch, Patch),
                wire(ctx, (Compatible, required), (required, Compatible)),
            )
        }
        Kind::PropertyTypeChanged => with_wire(
            rust(used(ctx), used(ctx), Major, Patch, Patch),
            wire(ctx, (Breaking, Breaking), (Breaking, Breaking)),
        ),
        Kind::PropertyRequiredChanged => with_wire(
            rust(used(ctx), used(ctx), Major, Patch, Patch),
            if ctx.required {
                wire(ctx, (Breaking, Compatible), (Compatible, Breaking))
            } else {
                wire(ctx, (Compatible, Breaking), (Breaking, Compatible))
            },
        ),
        // `ctx.required` stands for "nullable now".
        Kind::PropertyNullableChanged => with_wire(
            rust(used(ctx), used(ctx), Major, Patch, Patch),
            if ctx.required {
                wire(ctx, (Compatible, Breaking), (Breaking, Compatible))
            } else {
                wire(ctx, (Breaking, Compatible), (Compatible, Breaking))
            },
        ),
        // The server checks requests against the constraints; nothing
        // checks responses (the client reads what it is sent). In the
        // Rust API only a check that appears (an `impl Validate`, a body
        // check) or goes counts; a changed bound is behaviour.
        // `ctx.required`: some constraint is tighter (a value the old
        // version allowed is refused); `ctx.covered`: some constraint is
        // looser.
        Kind::ConstraintsChanged => {
            let (code, types) = if ctx.loses_check {
                (Breaking, Major)
            } else if ctx.gains_check {
                (Compatible, Minor)
            } else {
                (Unaffected, Patch)
            };
            let tighter = if ctx.required { Breaking } else { Compatible };
            let looser = if ctx.covered { Breaking } else { Compatible };
            with_wire(
                rust(code, code, types, Patch, Patch),
                wire(ctx, (tighter, looser), (Compatible, Compatible)),
            )
        }
        // Values the spec does not list are kept in the `Unknown` variant on
        // both sides, so no deployed reader fails on a new one.
        Kind::EnumValueAdded => with_wire(
            rust(Compatible, Compatible, Minor, Patch, Patch),
            wire(ctx, (Compatible, Compatible), (Compatible, Compatible)),
        ),
        Kind::EnumValueRemoved => with_wire(
            rust(used(ctx), used(ctx), Major, Patch, Patch),
            wire(ctx, (Breaking, Compatible), (Compatible, Compatible)),
        ),
        // Unions are exhaustive enums: a variant more breaks each `match`.
        Kind::UnionVariantAdded => with_wire(
            rust(used(ctx), used(ctx), Major, Patch, Patch),
            wire(ctx, (Compatible, Breaking), (Breaking, Compatible)),
        ),
        Kind::UnionVariantRemoved => with_wire(
            rust(used(ctx), used(ctx), Major, Patch, Patch),
            wire(ctx, (Breaking, Compatible), (Compatible, Breaking)),
        ),
        // Servers appear in documentation only; a client is given its base
        // URL.
        Kind::ServerAdded => rust(Unaffected, Unaffected, Patch, Patch, Patch),
        Kind::ServerRemoved => with_wire(
            rust(Unaffected, Unaffected, Patch, Patch, Patch),
            (Breaking, Unaffected),
        ),
        // `Credentials` has a public field per scheme: code that builds it
        // the documented way (`..Default::default()`) and handlers that
        // read it still compile, but a struct literal of all its fields
        // does not, so the types crate needs a major bump.
        // `ctx.signature`: the API's first scheme (or its last, removed):
        // `Credentials`, the client's `with_credentials` and the server
        // `Request`'s public `credentials` field come (or go) with it.
        Kind::SecuritySchemeAdded => with_wire(
            rust(
                Compatible,
                Compatible,
                Major,
                if ctx.signature { Minor } else { Patch },
                signature,
            ),
            (Unaffected, Unaffected),
        ),
        Kind::SecuritySchemeRemoved => with_wire(
            rust(Breaking, Breaking, Major, signature, signature),
            (Breaking, Breaking),
        ),
        Kind::SecuritySchemeChanged => with_wire(
            rust(Unaffected, Unaffected, Patch, Patch, Patch),
            (Breaking, Breaking),
        ),
        // `ctx.required`: an alternative the old requirements accepted is
        // gone (or credentials are needed now); `ctx.covered`: the new ones
        // accept an alternative the old did not (or none at all).
        Kind::OperationSecurityChanged => with_wire(
            rust(Unaffected, Unaffected, Patch, Patch, Patch),
            (
                if ctx.required { Breaking } else { Compatible },
                if ctx.covered { Breaking } else { Compatible },
            ),
        ),
        Kind::DocumentationChanged => rust(Unaffected, Unaffected, Patch, Patch, Patch),
    }
}
