//! `rejection.rs` of the server crate: the requests it answers by itself.

use super::*;

pub(super) fn rejection_rs(answers_415: bool) -> String {
    // The status is the kind's, unless some operation answers an
    // unsupported media type with 415: then the rejection carries it.
    let (status_field, new_rejection, as_415, status) = if answers_415 {
        (
            quote! {
                /// The HTTP status the server answers with.
                status: u16,
            },
            quote! {
                /// A rejection not tied to an operation, answered with its kind's status.
                pub fn new(kind: RejectionKind, message: impl Into<String>) -> Self {
                    let status = kind.status();
                    Rejection { operation: None, kind, message: message.into(), status }
                }
            },
            quote! {
                /// The same rejection, answered `415 Unsupported Media Type` when it
                /// is about the body's media type: for an operation that declares a
                /// response for 415.
                pub(crate) fn unsupported_as_415(self) -> Self {
                    match self.kind {
                        RejectionKind::UnsupportedMediaType => Rejection { status: 415, ..self },
                        _ => self,
                    }
                }
            },
            quote!(self.status),
        )
    } else {
        (
            quote!(),
            quote! {
                /// A rejection not tied to an operation.
                pub fn new(kind: RejectionKind, message: impl Into<String>) -> Self {
                    Rejection { operation: None, kind, message: message.into() }
                }
            },
            quote!(),
            quote!(self.kind.status()),
        )
    };
    let (media_type_docs, kind_status_docs) = if answers_415 {
        (
            quote! {
                /// The body is sent in a media type the operation does not accept
                /// (400; 415 for an operation that declares a response for 415).
            },
            quote! {
                /// The HTTP status the server answers this kind with: 400, 401, 404
                /// or 405 ([`Rejection::status`] tells when it is 415).
            },
        )
    } else {
        (
            quote! {
                /// The body is sent in a media type the operation does not accept (400).
            },
            quote! {
                /// The HTTP status the server answers with: 400, 401, 404 or 405.
            },
        )
    };
    format_file([quote! {
        //! Requests the server answers by itself, without calling the [`Api`](crate::Api).

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

        /// Why a request was rejected.
        #[derive(Debug, Clone, PartialEq, Eq)]
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
            #media_type_docs
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
            #kind_status_docs
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
        /// body the spec declares for the answer.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct Rejection {
            /// The operation the request was for (its method name in the
            /// [`Api`](crate::Api)); `None` when no operation matched.
            pub operation: Option<&'static str>,
            /// What was wrong.
            pub kind: RejectionKind,
            /// A human readable explanation, fit for an error message.
            pub message: String,
            #status_field
        }

        impl Rejection {
            #new_rejection

            /// The same rejection, for `operation`.
            pub fn in_operation(self, operation: &'static str) -> Self {
                Rejection { operation: Some(operation), ..self }
            }

            #as_415

            /// The HTTP status the server answers with.
            pub fn status(&self) -> u16 {
                #status
            }
        }

        impl fmt::Display for Rejection {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.message)
            }
        }

        impl std::error::Error for Rejection {}
    }])
}
