//! Helpers shared by the simulator's tests: clients of every vendor built from the simulator's
//! credentials, and the fixture customers (found at run time by walking up from the current directory).

#![allow(dead_code)]

use std::path::PathBuf;
use std::time::Duration;

use rampkit::Customer;
use rampkit::crossmint::CrossmintAuth;
use rampkit::cryptopocket::CryptoPocketAuth;
use rampkit::kriptomat::KriptomatAuth;
use rampkit::kriptomat::KriptomatCredentials;
use rampkit::leap::LeapAuth;
use rampkit::runtime::transport::{HttpClient, Timeouts};
use rampkit::runtime::{Context, RetryPolicy};
use rampkit::sumsub::SumsubAuth;
use rampkit_sim::{SimConfig, Simulator, Vendor};

/// A simulator with no rate limits and statuses final on the second read.
pub async fn start() -> Simulator {
    start_with(SimConfig::default()).await
}

pub async fn start_with(config: SimConfig) -> Simulator {
    Simulator::start(config)
        .await
        .expect("the simulator starts")
}

/// A client that fails fast: no retries, a short timeout.
fn http() -> HttpClient {
    HttpClient::new(Timeouts {
        connect: Duration::from_secs(2),
        request: Duration::from_secs(2),
    })
}

pub fn crossmint(sim: &Simulator) -> rampkit::crossmint::Client {
    crossmint_with(sim, RetryPolicy::none())
}

pub fn crossmint_with(sim: &Simulator, retry: RetryPolicy) -> rampkit::crossmint::Client {
    let key = sim.config().credentials.crossmint_api_key.clone();
    rampkit::crossmint::Client::new_with_client(
        &sim.base_url(Vendor::Crossmint),
        http(),
        Context::new(CrossmintAuth::new(key)).with_retry(retry),
    )
}

pub fn leap(sim: &Simulator) -> rampkit::leap::Client {
    leap_with(sim, RetryPolicy::none())
}

pub fn leap_with(sim: &Simulator, retry: RetryPolicy) -> rampkit::leap::Client {
    let key = sim.config().credentials.leap_api_key.clone();
    rampkit::leap::Client::new_with_client(
        &sim.base_url(Vendor::Leap),
        http(),
        Context::new(LeapAuth::new(key)).with_retry(retry),
    )
}

pub fn cryptopocket(sim: &Simulator) -> rampkit::cryptopocket::Client {
    let c = &sim.config().credentials;
    rampkit::cryptopocket::Client::new_with_client(
        &sim.base_url(Vendor::CryptoPocket),
        http(),
        Context::new(CryptoPocketAuth::with_credentials(
            c.cryptopocket_api_key.clone(),
            c.cryptopocket_api_secret.clone(),
        ))
        .with_retry(RetryPolicy::none()),
    )
}

pub fn kriptomat_credentials(sim: &Simulator) -> KriptomatCredentials {
    let c = &sim.config().credentials;
    KriptomatCredentials {
        email: c.kriptomat_email.clone().into(),
        password: c.kriptomat_password.clone().into(),
        client_id: c.kriptomat_client_id,
        client_secret: c.kriptomat_client_secret.clone().into(),
        totp_secret_base32: c.kriptomat_totp_secret_base32.clone().into(),
    }
}

pub fn kriptomat(sim: &Simulator) -> rampkit::kriptomat::Client {
    rampkit::kriptomat::Client::new_with_client(
        &sim.base_url(Vendor::Kriptomat),
        http(),
        Context::new(KriptomatAuth::with_credentials(kriptomat_credentials(sim)))
            .with_retry(RetryPolicy::none()),
    )
}

pub fn sumsub(sim: &Simulator) -> rampkit::sumsub::Client {
    let c = &sim.config().credentials;
    rampkit::sumsub::Client::new_with_client(
        &sim.base_url(Vendor::Sumsub),
        http(),
        Context::new(SumsubAuth::new(
            c.sumsub_app_token.clone(),
            c.sumsub_secret_key.clone(),
        ))
        .with_retry(RetryPolicy::none()),
    )
}

/// `tests/fixtures/customers` of the workspace, found by walking up from the current directory.
pub fn fixtures_dir() -> PathBuf {
    let mut dir = std::env::current_dir().expect("a current directory");
    loop {
        let candidate = dir.join("tests/fixtures/customers");
        if candidate.is_dir() {
            return candidate;
        }
        assert!(
            dir.pop(),
            "tests/fixtures/customers not found above the current directory"
        );
    }
}

pub fn fixture(name: &str) -> Customer {
    let path = fixtures_dir().join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Customer::from_json(text).unwrap_or_else(|e| panic!("{name}: {e}"))
}
