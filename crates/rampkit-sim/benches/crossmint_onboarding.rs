//! How long one Crossmint onboarding takes against the simulator through the test kit (issue 23's
//! budget: under 100 ms), with the client the kit hands out (no client-side rate limit) and with the
//! vendor's documented client-side limit switched back on, for comparison.
//!
//! Reproduce: `cargo bench -p rampkit-sim --bench crossmint_onboarding`.

use std::time::{Duration, Instant};

use rampkit::providers::crossmint::UserLocator;
use rampkit::{CrossmintOnboarding, CrossmintSettings};
use rampkit::{Customer, KycStatus, OnboardingOptions, PollPolicy, onboard};
use rampkit_sim::{ClientOptions, SimConfig, Simulator};

const RUNS: usize = 20;

fn customer() -> Customer {
    let mut dir = std::env::current_dir().unwrap();
    loop {
        let path = dir.join("tests/fixtures/customers/person_es_dni.json");
        if path.is_file() {
            return Customer::from_json(std::fs::read_to_string(path).unwrap()).unwrap();
        }
        assert!(
            dir.pop(),
            "the fixture customers are not above the current directory"
        );
    }
}

async fn median(sim: &Simulator, options: &ClientOptions, runs: usize) -> Duration {
    let ana = customer();
    let poll = OnboardingOptions::with_poll(PollPolicy {
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(20),
        deadline: Duration::from_secs(30),
    });
    let mut times = Vec::new();
    for i in 0..runs {
        let flow = CrossmintOnboarding::new(
            sim.client_with(options),
            CrossmintSettings {
                user_locator: UserLocator::user_id(format!("bench-{i}-{}", times.len())),
                privacy_policy_accepted_at: "2026-01-01T00:00:00Z".parse().unwrap(),
                products: vec![rampkit::crossmint::types::ProductType::Offramp],
            },
        );
        sim.reset();
        let started = Instant::now();
        let report = onboard(&ana, &[&flow], &poll).await;
        times.push(started.elapsed());
        let status = report
            .into_outcomes()
            .pop()
            .unwrap()
            .result
            .unwrap()
            .overall;
        assert_eq!(status, KycStatus::Verified);
    }
    times.sort();
    times[times.len() / 2]
}

#[tokio::main]
async fn main() {
    // The simulator's own Crossmint limit (120 writes a minute) would refuse the 21st onboarding:
    // what is measured here is the client's side.
    let sim = Simulator::start(SimConfig::default().without_rate_limits())
        .await
        .unwrap();
    let kit = median(&sim, &ClientOptions::default(), RUNS).await;
    let limited = ClientOptions {
        client_rate_limits: true,
        ..ClientOptions::default()
    };
    let with_limits = median(&sim, &limited, 3).await;
    println!("crossmint onboarding, median of {RUNS}: {kit:?} with the kit's client");
    println!("crossmint onboarding, median of 3: {with_limits:?} with the client-side limit on");
}
