//! `rejection.rs` of the server crate: the requests it answers by itself.

use super::*;

/// `rejection.rs`: `runtime/server/rejection.rs`, whose rejections carry
/// their status for operations that answer an unsupported media type with
/// 415 (`answers_415`); without such operations, the status is the kind's.
pub(super) fn rejection_rs(answers_415: bool) -> String {
    let source = if answers_415 {
        REJECTION_RS.to_owned()
    } else {
        edited(REJECTION_RS, WITHOUT_415)
    };
    format_file([
        quote! {
            //! Requests the server answers by itself, without calling the [`Api`](crate::Api).
        },
        runtime_items(&source),
    ])
}

/// The edits of `runtime/server/rejection.rs` for a crate without 415
/// answers: the status is the kind's, so the rejection does not carry it.
const WITHOUT_415: &[(&str, &str)] = &[
    (
        "    /// The body is sent in a media type the operation does not accept
    /// (400; 415 for an operation that declares a response for 415).
",
        "    /// The body is sent in a media type the operation does not accept (400).
",
    ),
    (
        "    /// The HTTP status the server answers this kind with: 400, 401, 404
    /// or 405 ([`Rejection::status`] tells when it is 415).
",
        "    /// The HTTP status the server answers with: 400, 401, 404 or 405.
",
    ),
    (
        "    /// The HTTP status the server answers with.
    status: u16,
",
        "",
    ),
    (
        "    /// A rejection not tied to an operation, answered with its kind's status.
    pub fn new(kind: RejectionKind, message: impl Into<String>) -> Self {
        let status = kind.status();
",
        "    /// A rejection not tied to an operation.
    pub fn new(kind: RejectionKind, message: impl Into<String>) -> Self {
",
    ),
    (
        "            message: message.into(),
            status,
",
        "            message: message.into(),
",
    ),
    (
        "    /// The same rejection, answered `415 Unsupported Media Type` when it
    /// is about the body's media type: for an operation that declares a
    /// response for 415.
    pub(crate) fn unsupported_as_415(self) -> Self {
        match self.kind {
            RejectionKind::UnsupportedMediaType => Rejection { status: 415, ..self },
            _ => self,
        }
    }

",
        "",
    ),
    ("        self.status\n", "        self.kind.status()\n"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn without_415_the_rejection_has_no_status_of_its_own() {
        let source = edited(REJECTION_RS, WITHOUT_415);
        assert!(!source.contains("status: u16"));
        assert!(!source.contains("unsupported_as_415"));
        assert!(source.contains("self.kind.status()"));
        assert!(syn::parse_file(&source).is_ok());
    }
}
