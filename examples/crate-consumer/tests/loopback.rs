//! The committed client crate, used with nothing but `tokio`, calling the
//! example server over loopback.

use customer_identification_processes_client::Client;
use customer_identification_processes_client::types::{self, uuid::Uuid};
use identification_crate_consumer::{Failure, process_ids};
use tokio::net::TcpListener;

/// The seed's customer and the process of the spec's own example.
const CUSTOMER: &str = "123e4567-e89b-12d3-a456-556642440000";
const PROCESS: &str = "4189285b-08f8-4628-adda-4767d81362e7";

/// Serves the example server on a loopback port; its base URL.
async fn example_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("address");
    let app = identification_server::app(None);
    tokio::spawn(identification_server::ServeOptions::new().serve(listener, app));
    format!("http://{addr}/v4")
}

#[tokio::test]
async fn lists_the_seed_customers_processes_and_gets_the_declared_401() {
    let base_url = example_server().await;
    let customer: Uuid = CUSTOMER.parse().expect("uuid");

    let credentials = types::Credentials {
        auth_roles: Some("API_KEY".to_owned()),
        ..Default::default()
    };
    let client = Client::new(&base_url)
        .expect("a valid base URL")
        .with_credentials(credentials);
    let ids = process_ids(&client, "telco", customer)
        .await
        .expect("the seed customer's processes");
    assert_eq!(ids.len(), 3);
    assert!(ids.contains(&PROCESS.parse().expect("uuid")));

    let anonymous = Client::new(&base_url).expect("a valid base URL");
    match process_ids(&anonymous, "telco", customer).await {
        Err(Failure::Status(401)) => {}
        other => panic!("expected the declared 401, got {other:?}"),
    }
}
