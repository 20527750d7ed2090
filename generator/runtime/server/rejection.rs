use std::fmt;

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParameterLocation {
    /// A segment of the path.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
}

impl ParameterLocation {
    /// `path`, `query`, `header` or `cookie`, as OpenAPI names them.
    pub fn as_str(self) -> &'static str {
        match self {
            ParameterLocation::Path => "path",
            ParameterLocation::Query => "query",
            ParameterLocation::Header => "header",
            ParameterLocation::Cookie => "cookie",
        }
    }
}

impl fmt::Display for ParameterLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a request was rejected. Which kinds a crate has depends on its
/// spec (no `UnsupportedMediaType` without a 415 to answer it with), so
/// matching on it needs a `_` arm: a spec change that adds one is not a
/// breaking change.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RejectionKind {
    /// A parameter's value cannot be read as its type (400).
    InvalidParameter {
        /// The parameter's name on the wire.
        name: &'static str,
        /// Where it was sent.
        location: ParameterLocation,
    },
    /// A required parameter is absent (400).
    MissingParameter {
        /// The parameter's name on the wire.
        name: &'static str,
        /// Where it should have been sent.
        location: ParameterLocation,
    },
    /// The body cannot be read or decoded as the operation's body type (400).
    InvalidBody,
    /// The operation requires a body and the request has none (400).
    MissingBody,
    /// The body is sent in a media type the operation does not accept
    /// (400; 415 for an operation that declares a response for 415).
    UnsupportedMediaType,
    /// No security alternative of the operation is complete (401).
    MissingCredentials,
    /// An `Authorization` header none of the operation's schemes can
    /// read: another scheme, or empty credentials (401). A credential
    /// presented wrongly is refused, not ignored in favour of another.
    InvalidCredentials,
    /// No operation has this path (404).
    UnknownPath,
    /// The path has operations, none with this method (405).
    MethodNotAllowed,
}

impl RejectionKind {
    /// The HTTP status the server answers this kind with: 400, 401, 404
    /// or 405 ([`Rejection::status`] tells when it is 415).
    pub fn status(&self) -> u16 {
        match self {
            RejectionKind::InvalidParameter { .. }
            | RejectionKind::MissingParameter { .. }
            | RejectionKind::InvalidBody
            | RejectionKind::MissingBody
            | RejectionKind::UnsupportedMediaType => 400,
            RejectionKind::MissingCredentials | RejectionKind::InvalidCredentials => 401,
            RejectionKind::UnknownPath => 404,
            RejectionKind::MethodNotAllowed => 405,
        }
    }
}

/// A request the server answered without calling an operation, given
/// to the [`Api`](crate::Api)'s `rejection_*` methods to build the
/// body the spec declares for the answer. Built with [`Rejection::new`]:
/// its fields depend on the spec, so it is not built field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rejection {
    /// The operation the request was for (its method name in the
    /// [`Api`](crate::Api)); `None` when no operation matched.
    pub operation: Option<&'static str>,
    /// What was wrong.
    pub kind: RejectionKind,
    /// A human readable explanation, fit for an error message.
    pub message: String,
    /// The HTTP status the server answers with.
    status: u16,
}

impl Rejection {
    /// A rejection not tied to an operation, answered with its kind's status.
    pub fn new(kind: RejectionKind, message: impl Into<String>) -> Self {
        let status = kind.status();
        Rejection {
            operation: None,
            kind,
            message: message.into(),
            status,
        }
    }

    /// The same rejection, for `operation`.
    pub fn in_operation(self, operation: &'static str) -> Self {
        Rejection {
            operation: Some(operation),
            ..self
        }
    }

    /// The same rejection, answered `415 Unsupported Media Type` when it
    /// is about the body's media type: for an operation that declares a
    /// response for 415.
    pub(crate) fn unsupported_as_415(self) -> Self {
        match self.kind {
            RejectionKind::UnsupportedMediaType => Rejection { status: 415, ..self },
            _ => self,
        }
    }

    /// The HTTP status the server answers with.
    pub fn status(&self) -> u16 {
        self.status
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Rejection {}
