//! A company onboarded with the provider whose documents describe a company flow (CryptoPocket's
//! company registration with its hosted KYB form), through the engine, against the simulator: the
//! request as the vendor page shows it, the KYB form handed over once (never in `Debug`), the status
//! read until final, a company that has not used its form reported as requiring `kyb_form`, and no
//! request at all without somewhere for the form to go.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rampkit::batch::{BatchCustomer, BatchOptions, FlowOutcome, Onboarder};
use rampkit::journal::SqliteJournal;
use rampkit::onboarding::PollPolicy;
use rampkit::providers::Target;
use rampkit::{Credentials, Customer, HostedForm, HostedForms, KycStatus, Provider, Setup};
use rampkit_sim::{SimConfig, Simulator, Vendor};
use serde_json::json;

const COMPANY: &str = r#"{"company": {"legal_name": "Rampa Digital S.L.", "registration_number": "B12345678", "country": "ES", "contact_email": "compliance@rampadigital.example.com"}}"#;

fn setup(sim: &Simulator) -> Setup {
    let mut credentials = Credentials::new();
    for (vendor, field, value) in sim.config().credential_pairs() {
        credentials.set(vendor.as_str(), field, value);
    }
    Setup::new(Target::Prefixed(sim.url()), credentials)
}

fn engine(setup: &Setup, name: &str) -> Onboarder {
    let flows = vec![
        Provider::CryptoPocket
            .connector()
            .flows(setup)
            .expect("the simulator's credentials"),
    ];
    let path =
        std::env::temp_dir().join(format!("rampkit-company-{name}-{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let mut options = BatchOptions::new("companies");
    options.poll = PollPolicy {
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(50),
        deadline: Duration::from_secs(30),
    };
    Onboarder::new(
        flows,
        Arc::new(SqliteJournal::open(&path).unwrap()),
        options,
    )
    .unwrap()
}

fn company() -> BatchCustomer {
    BatchCustomer::new("acme", Customer::from_json(COMPANY).unwrap()).unwrap()
}

async fn simulator() -> Simulator {
    Simulator::start(SimConfig {
        polls_until_final: 1,
        ..SimConfig::default()
    })
    .await
    .unwrap()
}

fn collecting() -> (HostedForms, Arc<Mutex<Vec<HostedForm>>>) {
    let forms = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&forms);
    (
        HostedForms::new(move |form| sink.lock().unwrap().push(form)),
        forms,
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_company_is_registered_for_its_kyb_form_once_and_verified() {
    let sim = simulator().await;
    let (sink, forms) = collecting();
    let mut setup = setup(&sim);
    setup.hosted_forms = Some(sink);
    let engine = engine(&setup, "verified");

    let report = engine.onboard(&company()).await;
    let (provider, outcome) = &report.outcomes[0];
    assert_eq!(*provider, Provider::CryptoPocket);
    assert_eq!(
        outcome.status().map(|s| &s.overall),
        Some(&KycStatus::Verified),
        "{outcome:?}"
    );
    // The request is the vendor page's shape: e-mail and company name.
    let sent = sim
        .vendor(Vendor::CryptoPocket)
        .operation("register_company")
        .unwrap()
        .requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].body,
        json!({"email": "compliance@rampadigital.example.com", "company_name": "Rampa Digital S.L."})
    );
    // The form, handed over once, with the link and password the vendor answered; Debug shows neither.
    let forms = forms.lock().unwrap().clone();
    assert_eq!(forms.len(), 1);
    let form = &forms[0];
    assert_eq!(form.provider, Provider::CryptoPocket);
    assert_eq!(
        form.email.expose_str(),
        "compliance@rampadigital.example.com"
    );
    assert!(form.link.expose_str().starts_with("https://"));
    let password = form.password.as_ref().unwrap().expose_str().to_owned();
    let debug = format!("{form:?}");
    for secret in [form.link.expose_str(), &password, "compliance@"] {
        assert!(!debug.contains(secret), "{debug}");
    }

    // Called again: nothing sent, the same report, no second form.
    let again = engine.onboard(&company()).await;
    assert_eq!(again, report);
    assert_eq!(sim.vendor(Vendor::CryptoPocket).counters().registrations, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_company_that_has_not_used_its_form_requires_the_kyb_form() {
    let sim = simulator().await;
    // CryptoPocket documents no requires-data status: the simulator answers `unused`.
    sim.vendor(Vendor::CryptoPocket)
        .customer("compliance@rampadigital.example.com")
        .requires(["kyb"]);
    let (sink, _) = collecting();
    let mut setup = setup(&sim);
    setup.hosted_forms = Some(sink);
    let report = engine(&setup, "unused").onboard(&company()).await;
    assert_eq!(
        report.outcomes[0].1.status().map(|s| &s.overall),
        Some(&KycStatus::RequiresData {
            missing: vec!["kyb_form".to_owned()]
        }),
        "{report:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_somewhere_for_the_form_to_go_nothing_is_sent() {
    let sim = simulator().await;
    let report = engine(&setup(&sim), "no-sink").onboard(&company()).await;
    match &report.outcomes[0].1 {
        FlowOutcome::Failed { kind, message, .. } => {
            assert_eq!(kind, "setup");
            assert!(message.contains("--kyb-forms"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(
        sim.vendor(Vendor::CryptoPocket)
            .operation("register_company")
            .unwrap()
            .requests()
            .is_empty()
    );
}
