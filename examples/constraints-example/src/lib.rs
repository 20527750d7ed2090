//! An implementation of the `Api` generated from
//! `tests/fixtures/constraints.yaml`: it stores nothing and answers every
//! request the router lets through with what the spec promises, so what a
//! client sees of the constraints is the generated server's doing alone.

use constraints_server::types::operations::{create_order, put_notes};
use constraints_server::types::{Error, Note, Order};
use constraints_server::{Api, Rejection, Request};

/// Answers valid requests: an order is echoed back as created, notes are
/// taken.
#[derive(Debug, Clone, Copy, Default)]
pub struct Orders;

impl Api for Orders {
    async fn create_order(
        &self,
        request: Request<create_order::Parameters, Order>,
    ) -> create_order::Response {
        create_order::Response::Created(request.body)
    }

    async fn put_notes(
        &self,
        _request: Request<put_notes::Parameters, Option<Vec<Note>>>,
    ) -> put_notes::Response {
        put_notes::Response::NoContent
    }

    fn rejection_error(&self, rejection: &Rejection) -> Error {
        Error::new(rejection.message.clone())
    }
}

/// The router serving [`Orders`].
pub fn app() -> constraints_server::axum::Router {
    constraints_server::router(Orders)
}
