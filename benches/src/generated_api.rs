//! The same two operations on the generated server: an implementation of
//! its `Api` trait that calls the same [`logic`] as the hand-written one.

use customer_identification_processes_server::types::operations::{
    get_identification_process as get, list_identification_processes as list,
};
use customer_identification_processes_server::{types, Api, Rejection, Request};

use crate::logic;

/// The operations, with nothing but [`logic`] behind them.
pub struct Processes;

impl Api for Processes {
    async fn list_identification_processes(
        &self,
        request: Request<list::Parameters>,
    ) -> list::Response {
        list::Response::Ok(logic::list(request.parameters.customer_id))
    }

    async fn get_identification_process(&self, request: Request<get::Parameters>) -> get::Response {
        let parameters = request.parameters;
        get::Response::Ok(logic::get(
            parameters.customer_id,
            parameters.identification_process_id,
        ))
    }

    fn rejection_error_response(&self, rejection: &Rejection) -> types::ErrorResponse {
        let code = if rejection.status() == 401 {
            "UNAUTHORIZED"
        } else {
            "BAD_REQUEST"
        };
        logic::error(code, rejection.message.clone())
    }
}
