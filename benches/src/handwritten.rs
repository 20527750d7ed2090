//! The baseline: the two operations written by hand with axum's own
//! extractors, as a careful engineer would write them without a generator.
//! Same checks, in the same order, as the generated router: credentials
//! first (`401`), then path parameters (`400`), then the answer.

use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use uuid::Uuid;

use crate::logic;

/// The router, with the same paths as the generated one (mount it under
/// `/v4` the same way).
pub fn router() -> Router {
    Router::new()
        .route(
            "/orgs/{org_id}/customers/{customer_id}/identification-processes",
            get(list_identification_processes),
        )
        .route(
            "/orgs/{org_id}/customers/{customer_id}/identification-processes/{identification_process_id}",
            get(get_identification_process),
        )
}

async fn list_identification_processes(
    headers: HeaderMap,
    path: Result<Path<(String, Uuid)>, PathRejection>,
) -> Response {
    if let Err(refused) = authorize(&headers) {
        return refused;
    }
    match path {
        Ok(Path((_org_id, customer_id))) => Json(logic::list(customer_id)).into_response(),
        Err(rejection) => bad_request(rejection),
    }
}

async fn get_identification_process(
    headers: HeaderMap,
    path: Result<Path<(String, Uuid, Uuid)>, PathRejection>,
) -> Response {
    if let Err(refused) = authorize(&headers) {
        return refused;
    }
    match path {
        Ok(Path((_org_id, customer_id, process_id))) => {
            Json(logic::get(customer_id, process_id)).into_response()
        }
        Err(rejection) => bad_request(rejection),
    }
}

/// `401` unless the request carries `x-auth-roles` or a bearer token, or
/// when an `Authorization` header uses another scheme.
// The error is the response itself, as in the generated server; boxing it
// would add an allocation the generated code does not make.
#[allow(clippy::result_large_err)]
fn authorize(headers: &HeaderMap) -> Result<(), Response> {
    let mut bearer = false;
    for value in headers.get_all(header::AUTHORIZATION) {
        let credentials = value
            .to_str()
            .ok()
            .and_then(|v| v.trim().split_once(' '))
            .filter(|(scheme, token)| {
                scheme.eq_ignore_ascii_case("Bearer") && !token.trim().is_empty()
            });
        if credentials.is_none() {
            return Err(unauthorized(
                "the Authorization header must be `Bearer <credentials>`",
            ));
        }
        bearer = true;
    }
    let roles = headers
        .get("x-auth-roles")
        .is_some_and(|v| v.to_str().is_ok_and(|v| !v.is_empty()));
    if bearer || roles {
        Ok(())
    } else {
        Err(unauthorized("send `bearerAuth`, or `authRoles`"))
    }
}

fn unauthorized(message: &str) -> Response {
    let body = logic::error("UNAUTHORIZED", format!("invalid credentials: {message}"));
    (StatusCode::UNAUTHORIZED, Json(body)).into_response()
}

fn bad_request(rejection: PathRejection) -> Response {
    let body = logic::error("BAD_REQUEST", rejection.body_text());
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}
