//! One customer through the four providers' onboarding flows, against the simulator started in this
//! process: no keys, loopback only.
//!
//! ```text
//! cargo run -p rampkit-sim --example onboard [customer.json]
//! ```
//!
//! The flows are the facade's (`rampkit::onboard`), the clients the generated ones, handed out by the
//! test kit (`Simulator::client`) with the simulator's base URLs and test credentials.

use std::time::Duration;

use rampkit::providers::crossmint::UserLocator;
use rampkit::{
    CrossmintOnboarding, CrossmintSettings, CryptoPocketOnboarding, KriptomatOnboarding,
    KriptomatSettings, LeapOnboarding,
};
use rampkit::{Customer, OnboardingOptions, PollPolicy, onboard};
use rampkit_sim::{SimConfig, Simulator};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/fixtures/customers/person_es_dni.json".to_owned());
    let customer = Customer::from_json(std::fs::read_to_string(&path)?)?;

    let sim = Simulator::start(SimConfig::default()).await?;
    println!("simulator at {}", sim.url());

    // The test kit hands out each generated client with the simulator's base URL and credentials.
    let crossmint = CrossmintOnboarding::new(
        sim.client(),
        CrossmintSettings {
            user_locator: UserLocator::user_id("example-0001"),
            privacy_policy_accepted_at: "2026-01-01T00:00:00Z".parse()?,
            products: vec![rampkit::crossmint::types::ProductType::Offramp],
        },
    );
    let cryptopocket = CryptoPocketOnboarding::new(sim.client());
    let kriptomat = KriptomatOnboarding::new(
        sim.client(),
        sim.client(),
        KriptomatSettings {
            // Kriptomat documents no user creation: the flow starts from a user the partner holds.
            user_id: 4242,
            sumsub_client_id: sim.config().vendors.kriptomat.sumsub_client_id.clone(),
            share_token_ttl_secs: None,
        },
    );
    let leap = LeapOnboarding::new(sim.client());

    let options = OnboardingOptions::with_poll(PollPolicy {
        initial_interval: Duration::from_millis(20),
        max_interval: Duration::from_millis(200),
        deadline: Duration::from_secs(10),
    });
    let report = onboard(
        &customer,
        &[&crossmint, &cryptopocket, &kriptomat, &leap],
        &options,
    )
    .await;
    if let Some(errors) = report.validation_errors() {
        println!("not sent, the customer is invalid:\n{errors}");
    }
    for outcome in report.outcomes() {
        match &outcome.result {
            Ok(status) => println!("{:<13} {:?}", outcome.provider.to_string(), status.overall),
            Err(e) => println!("{:<13} failed: {e}", outcome.provider.to_string()),
        }
    }
    println!(
        "vendor counters: {}",
        serde_json::to_string(&sim.counters())?
    );
    sim.shutdown().await;
    Ok(())
}
