//! Helpers shared by the simulator's tests: clients of every vendor from the test kit, and the fixture
//! customers (found at run time by walking up from the current directory).

#![allow(dead_code)]

use std::path::PathBuf;

use rampkit::Customer;
use rampkit::runtime::RetryPolicy;
use rampkit_sim::{ClientOptions, SimConfig, Simulator};

/// A simulator with the default config: statuses final on the second read.
pub async fn start() -> Simulator {
    start_with(SimConfig::default()).await
}

pub async fn start_with(config: SimConfig) -> Simulator {
    Simulator::start(config)
        .await
        .expect("the simulator starts")
}

/// Clients that fail fast: no retries, a 2 s timeout.
fn options(retry: RetryPolicy) -> ClientOptions {
    ClientOptions {
        retry,
        timeout: std::time::Duration::from_secs(2),
        ..ClientOptions::default()
    }
}

pub fn crossmint(sim: &Simulator) -> rampkit::crossmint::Client {
    sim.client_with(&options(RetryPolicy::none()))
}

pub fn leap(sim: &Simulator) -> rampkit::leap::Client {
    leap_with(sim, RetryPolicy::none())
}

pub fn leap_with(sim: &Simulator, retry: RetryPolicy) -> rampkit::leap::Client {
    sim.client_with(&options(retry))
}

pub fn cryptopocket(sim: &Simulator) -> rampkit::cryptopocket::Client {
    sim.client_with(&options(RetryPolicy::none()))
}

pub fn kriptomat(sim: &Simulator) -> rampkit::kriptomat::Client {
    sim.client_with(&options(RetryPolicy::none()))
}

pub fn sumsub(sim: &Simulator) -> rampkit::sumsub::Client {
    sim.client_with(&options(RetryPolicy::none()))
}

pub fn kriptomat_credentials(sim: &Simulator) -> rampkit::kriptomat::KriptomatCredentials {
    let c = &sim.config().vendors.kriptomat;
    rampkit::kriptomat::KriptomatCredentials {
        email: c.email.clone().into(),
        password: c.password.clone().into(),
        client_id: c.client_id,
        client_secret: c.client_secret.clone().into(),
        totp_secret_base32: c.totp_secret.clone().into(),
    }
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
