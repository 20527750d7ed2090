//! Pieces of the models the emitters' unit tests build, shared by the
//! server's and the client's tests.

use crate::model::{ApiKeyLocation, SecurityScheme, SecuritySchemeKind};

/// The security schemes of the customer identification processes API: an
/// API key in the `x-auth-roles` header and a bearer token.
pub(crate) fn customer_security_schemes() -> Vec<SecurityScheme> {
    vec![
        SecurityScheme {
            key: "authRoles".to_owned(),
            name: "auth_roles".to_owned(),
            docs: None,
            kind: SecuritySchemeKind::ApiKey {
                location: ApiKeyLocation::Header,
                wire_name: "x-auth-roles".to_owned(),
            },
        },
        SecurityScheme {
            key: "bearerAuth".to_owned(),
            name: "bearer_auth".to_owned(),
            docs: None,
            kind: SecuritySchemeKind::Bearer,
        },
    ]
}
