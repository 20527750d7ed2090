//! A crate that calls the customer identification processes API through the
//! committed client crate (`generated/`), adding no dependency of its own
//! besides `tokio`: the client re-exports the types crate, and the types
//! crate the crates its API names (`uuid`, `chrono`).

use customer_identification_processes_client::types::operations::list_identification_processes::{
    Parameters, Response,
};
use customer_identification_processes_client::types::{self, uuid::Uuid};
use customer_identification_processes_client::{Client, Error};

/// The ids of the identification processes of a customer of organization
/// `org`, or the status the API answered with instead.
pub async fn process_ids(client: &Client, org: &str, customer: Uuid) -> Result<Vec<Uuid>, Failure> {
    let parameters = Parameters::new(org.to_owned(), customer);
    match client.list_identification_processes(&parameters).await? {
        Response::Ok(list) => Ok(list
            .identification_processes
            .iter()
            .map(|process: &types::IdentificationProcess| process.id)
            .collect()),
        other => Err(Failure::Status(other.status())),
    }
}

/// Why [`process_ids`] found no list.
#[derive(Debug)]
pub enum Failure {
    /// The call failed (transport, undeclared status, undecodable body).
    Call(Error),
    /// The API answered with this declared status other than 200.
    Status(u16),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure::Call(error)
    }
}
