//! One customer through the four providers' onboarding flows, against the simulator started in this
//! process: no keys, loopback only.
//!
//! ```text
//! cargo run -p rampkit-sim --example onboard [customer.json]
//! ```
//!
//! The flows are the facade's (`rampkit::onboard`), the clients the generated ones, built exactly as
//! against the vendors but with the simulator's base URLs and test credentials.

use std::time::Duration;

use rampkit::crossmint::CrossmintAuth;
use rampkit::cryptopocket::CryptoPocketAuth;
use rampkit::kriptomat::{KriptomatAuth, KriptomatCredentials};
use rampkit::leap::LeapAuth;
use rampkit::providers::crossmint::UserLocator;
use rampkit::sumsub::SumsubAuth;
use rampkit::{
    CrossmintOnboarding, CrossmintSettings, CryptoPocketOnboarding, KriptomatOnboarding,
    KriptomatSettings, LeapOnboarding,
};
use rampkit::{Customer, OnboardingOptions, PollPolicy, onboard};
use rampkit_sim::{SimConfig, Simulator, Vendor};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "tests/fixtures/customers/person_es_dni.json".to_owned());
    let customer = Customer::from_json(std::fs::read_to_string(&path)?)?;

    let sim = Simulator::start(SimConfig::default()).await?;
    let c = sim.config().credentials.clone();
    println!("simulator at {}", sim.url());

    let crossmint = CrossmintOnboarding::new(
        rampkit::crossmint::Client::new(
            &sim.base_url(Vendor::Crossmint),
            CrossmintAuth::new(c.crossmint_api_key.clone()),
        ),
        CrossmintSettings {
            user_locator: UserLocator::user_id("example-0001"),
            privacy_policy_accepted_at: "2026-01-01T00:00:00Z".parse()?,
            products: vec![rampkit::crossmint::types::ProductType::Offramp],
        },
    );
    let cryptopocket = CryptoPocketOnboarding::new(rampkit::cryptopocket::Client::new(
        &sim.base_url(Vendor::CryptoPocket),
        CryptoPocketAuth::with_credentials(
            c.cryptopocket_api_key.clone(),
            c.cryptopocket_api_secret.clone(),
        ),
    ));
    let kriptomat = KriptomatOnboarding::new(
        rampkit::kriptomat::Client::new(
            &sim.base_url(Vendor::Kriptomat),
            KriptomatAuth::with_credentials(KriptomatCredentials {
                email: c.kriptomat_email.clone().into(),
                password: c.kriptomat_password.clone().into(),
                client_id: c.kriptomat_client_id,
                client_secret: c.kriptomat_client_secret.clone().into(),
                totp_secret_base32: c.kriptomat_totp_secret_base32.clone().into(),
            }),
        ),
        rampkit::sumsub::Client::new(
            &sim.base_url(Vendor::Sumsub),
            SumsubAuth::new(c.sumsub_app_token.clone(), c.sumsub_secret_key.clone()),
        ),
        KriptomatSettings {
            // Kriptomat documents no user creation: the flow starts from a user the partner holds.
            user_id: 4242,
            sumsub_client_id: sim.config().kriptomat_sumsub_client_id.clone(),
            share_token_ttl_secs: None,
        },
    );
    let leap = LeapOnboarding::new(rampkit::leap::Client::new(
        &sim.base_url(Vendor::Leap),
        LeapAuth::new(c.leap_api_key.clone()),
    ));

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
