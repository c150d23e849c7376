//! The facade's `rampkit::onboard` against the simulator, for each scenario: the flows of all four
//! providers run to verified, rejected or requires-data (or time out where the vendor has no such
//! status), and no registration is sent twice.

mod common;

use std::time::Duration;

use rampkit::providers::crossmint::UserLocator;
use rampkit::{
    CrossmintOnboarding, CrossmintSettings, CryptoPocketOnboarding, KriptomatOnboarding,
    KriptomatSettings, LeapOnboarding,
};
use rampkit::{
    Customer, KycStatus, OnboardingError, OnboardingOptions, OnboardingReport, PollPolicy,
    Provider, onboard,
};
use rampkit_sim::{SimConfig, Simulator};

use common::*;

/// The Spanish fixture with `suffix` (`+reject`, …) added to its e-mail local part and SumSub
/// applicant id.
fn spanish_person(suffix: &str) -> Customer {
    let path = fixtures_dir().join("person_es_dni.json");
    let text = std::fs::read_to_string(path).unwrap();
    let text = text
        .replace(
            "lucia.garcia@example.com",
            &format!("lucia.garcia{suffix}@example.com"),
        )
        .replace(
            "5f8d3a2b1c0e4d6f7a8b9c0d",
            &format!("5f8d3a2b1c0e4d6f7a8b9c0d{suffix}"),
        );
    Customer::from_json(text).unwrap()
}

async fn run(sim: &Simulator, customer: &Customer) -> OnboardingReport {
    let crossmint = CrossmintOnboarding::new(
        common::crossmint(sim),
        CrossmintSettings {
            user_locator: UserLocator::user_id("lucia-0001"),
            privacy_policy_accepted_at: "2026-01-01T00:00:00Z".parse().unwrap(),
            products: vec![rampkit::crossmint::types::ProductType::Offramp],
        },
    );
    let cryptopocket = CryptoPocketOnboarding::new(common::cryptopocket(sim));
    let kriptomat = KriptomatOnboarding::new(
        common::kriptomat(sim),
        common::sumsub(sim),
        KriptomatSettings {
            user_id: 4242,
            sumsub_client_id: sim.config().vendors.kriptomat.sumsub_client_id.clone(),
            share_token_ttl_secs: None,
        },
    );
    let leap = LeapOnboarding::new(common::leap(sim));
    let options = OnboardingOptions::with_poll(PollPolicy {
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(20),
        deadline: Duration::from_millis(600),
    });
    onboard(
        customer,
        &[&crossmint, &cryptopocket, &kriptomat, &leap],
        &options,
    )
    .await
}

fn status(report: &OnboardingReport, provider: Provider) -> KycStatus {
    match &report.get(provider).unwrap().result {
        Ok(status) => status.overall.clone(),
        Err(e) => panic!("{provider}: {e}"),
    }
}

fn timed_out(report: &OnboardingReport, provider: Provider) -> bool {
    matches!(
        report.get(provider).unwrap().result,
        Err(OnboardingError::Timeout { .. })
    )
}

fn config() -> SimConfig {
    SimConfig {
        polls_until_final: 2,
        ..SimConfig::default()
    }
}

#[tokio::test]
async fn default_customer_is_verified_everywhere_and_registered_once() {
    let sim = start_with(config()).await;
    let report = run(&sim, &spanish_person("")).await;
    assert!(report.validation_errors().is_none(), "{report}");
    for provider in [
        Provider::Crossmint,
        Provider::CryptoPocket,
        Provider::Kriptomat,
        Provider::Leap,
    ] {
        assert_eq!(status(&report, provider), KycStatus::Verified, "{report}");
    }
    let counters = sim.counters();
    for name in ["crossmint", "cryptopocket", "kriptomat", "leap"] {
        let vendor = counters.get(name);
        assert_eq!(vendor.registrations, 1, "{name}");
        assert_eq!(vendor.duplicates, 0, "{name}");
    }
    assert_eq!(
        counters.get("sumsub").by_operation["generate_share_token"],
        1
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn reject_scenario_is_rejected_everywhere() {
    let sim = start_with(config()).await;
    let report = run(&sim, &spanish_person("+reject")).await;
    assert!(report.validation_errors().is_none(), "{report}");
    assert!(
        matches!(
            status(&report, Provider::Crossmint),
            KycStatus::Rejected { .. }
        ),
        "{report}"
    );
    assert_eq!(
        status(&report, Provider::CryptoPocket),
        KycStatus::Rejected {
            reasons: vec!["fail".into()]
        }
    );
    assert_eq!(
        status(&report, Provider::Leap),
        KycStatus::Rejected {
            reasons: vec!["OfacFailed".into()]
        }
    );
    assert!(
        matches!(
            status(&report, Provider::Kriptomat),
            KycStatus::Rejected { .. }
        ),
        "{report}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn requires_data_scenario_asks_for_data_where_the_vendor_can() {
    let sim = start_with(config()).await;
    let report = run(&sim, &spanish_person("+requires-data")).await;
    assert!(report.validation_errors().is_none(), "{report}");
    let missing = |items: &[&str]| KycStatus::RequiresData {
        missing: items.iter().map(|s| s.to_string()).collect(),
    };
    assert_eq!(
        status(&report, Provider::Crossmint),
        missing(&["proof-of-address"])
    );
    assert_eq!(
        status(&report, Provider::Leap),
        missing(&["ProvideAdditionalInfo"])
    );
    assert_eq!(
        status(&report, Provider::Kriptomat),
        missing(&["enhanced_due_diligence"])
    );
    // CryptoPocket has no status asking for data: the KYC stays `unused` until the deadline.
    assert!(timed_out(&report, Provider::CryptoPocket), "{report}");
    sim.shutdown().await;
}

#[tokio::test]
async fn pending_scenario_times_out_everywhere() {
    let sim = start_with(config()).await;
    let report = run(&sim, &spanish_person("+pending")).await;
    for provider in [
        Provider::Crossmint,
        Provider::CryptoPocket,
        Provider::Kriptomat,
        Provider::Leap,
    ] {
        assert!(timed_out(&report, provider), "{provider}: {report}");
    }
    sim.shutdown().await;
}
