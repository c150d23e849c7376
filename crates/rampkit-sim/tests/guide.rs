//! The examples of docs/testing.md ("testing your integration"), run as tests: per provider, the
//! onboarding happy path, a rejection, a fault with its expected error kind and an assertion on the
//! exact request body. Each `// guide:start NAME` … `// guide:end` region is a code block of the
//! guide, character for character; `the_guide_shows_these_tests` checks that they stay the same.
//!
//! Written against today's facade (`rampkit::onboard`, `KycProvider`): when its onboarding API
//! changes, adapt this file and the guide together.

use std::path::PathBuf;

// guide:start setup
use std::time::Duration;

use rampkit::providers::crossmint::UserLocator;
use rampkit::runtime::ErrorKind;
use rampkit::{
    CrossmintOnboarding, CrossmintSettings, CryptoPocketOnboarding, Customer, KriptomatOnboarding,
    KriptomatSettings, KycProvider, KycStatus, LeapOnboarding, OnboardingError, OnboardingOptions,
    PollPolicy, Provider, onboard,
};
use rampkit_sim::{FaultKind, SimConfig, Simulator, Vendor};
use serde_json::json;

/// Polls every few milliseconds: the simulator answers the final status on the second read.
fn options() -> OnboardingOptions {
    OnboardingOptions::with_poll(PollPolicy {
        initial_interval: Duration::from_millis(5),
        max_interval: Duration::from_millis(20),
        deadline: Duration::from_secs(2),
    })
}

/// Runs one provider's flow for `customer` and returns its status (or why it failed).
async fn run(flow: &dyn KycProvider, customer: &Customer) -> Result<KycStatus, OnboardingError> {
    let report = onboard(customer, &[flow], &options()).await;
    let outcome = report
        .into_outcomes()
        .pop()
        .expect("one provider, one outcome");
    outcome.result.map(|status| status.overall)
}
// guide:end

/// The Spanish fixture customer (`tests/fixtures/customers/person_es_dni.json`, found by walking up
/// from the current directory; a service would build its own customer).
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

// guide:start leap
#[tokio::test]
async fn leap_onboarding() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let leap = LeapOnboarding::new(sim.client());
    let ana = customer();

    // Happy path: verified, with one registration whose body is exactly what the facade built.
    assert_eq!(run(&leap, &ana).await.unwrap(), KycStatus::Verified);
    let sent = sim
        .operation(&rampkit::leap::operations::REGISTER_USER_V2)
        .last_request()
        .unwrap();
    assert_eq!(
        sent.body,
        json!({
            "firstName": "Lucía", "middleName": "Isabel", "lastName": "García",
            "lastName2": "Moreno", "email": "lucia.garcia@example.com",
            "phoneNumber": "+34600111222", "dob": "1990-05-15", "gender": "Female",
            "address1": "Calle de Alcalá 42", "streetNumber": "42", "address2": "3º B",
            "city": "Madrid", "state": "ES-M", "zipCode": "28014", "countryCode": "ES",
            "latitude": 40.4189, "longitude": -3.6919, "lang": "es"
        })
    );

    // A rejection scripted for this customer at Leap only.
    sim.reset();
    sim.vendor(Vendor::Leap)
        .customer("lucia.garcia@example.com")
        .rejects();
    assert!(matches!(
        run(&leap, &ana).await.unwrap(),
        KycStatus::Rejected { .. }
    ));

    // A gateway's 502 on the registration: the outcome is unknown (Leap may have registered her).
    sim.reset();
    sim.operation(&rampkit::leap::operations::REGISTER_USER_V2)
        .fail_call(1, FaultKind::Status502Html);
    let error = run(&leap, &ana).await.unwrap_err();
    assert_eq!(error.call().unwrap().kind(), ErrorKind::OutcomeUnknown);
}
// guide:end

// guide:start crossmint
#[tokio::test]
async fn crossmint_onboarding() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let crossmint = CrossmintOnboarding::new(
        sim.client(),
        CrossmintSettings {
            user_locator: UserLocator::user_id("lucia-0001"),
            privacy_policy_accepted_at: "2026-01-01T00:00:00Z".parse().unwrap(),
            products: vec![rampkit::crossmint::types::ProductType::Offramp],
        },
    );
    let ana = customer();

    // Happy path, and the exact consent the flow recorded first.
    assert_eq!(run(&crossmint, &ana).await.unwrap(), KycStatus::Verified);
    let consent = sim
        .operation(&rampkit::crossmint::operations::ACCEPT_LEGAL_DOCUMENT)
        .last_request()
        .unwrap();
    assert_eq!(
        consent.path,
        "/2025-06-09/users/userId:lucia-0001/legal-documents"
    );
    assert_eq!(
        consent.body,
        json!({"type": "crossmint-privacy-policy", "acceptedAt": "2026-01-01T00:00:00.000Z"})
    );

    // Crossmint asks for a document this customer does not have.
    sim.reset();
    sim.vendor(Vendor::Crossmint)
        .customer("lucia.garcia@example.com")
        .requires(["proof-of-address"]);
    assert_eq!(
        run(&crossmint, &ana).await.unwrap(),
        KycStatus::RequiresData {
            missing: vec!["proof-of-address".to_owned()]
        }
    );

    // Crossmint's rate limit answers the upsert with 429: the error says when to come back.
    sim.reset();
    sim.operation(&rampkit::crossmint::operations::UPSERT_USER)
        .fail_call(1, FaultKind::Status429);
    let error = run(&crossmint, &ana).await.unwrap_err();
    let call = error.call().unwrap();
    assert_eq!(call.kind(), ErrorKind::RateLimited);
    assert_eq!(call.retry_after(), Some(Duration::from_secs(1)));
}
// guide:end

// guide:start cryptopocket
#[tokio::test]
async fn cryptopocket_onboarding() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    let cryptopocket = CryptoPocketOnboarding::new(sim.client());
    let ana = customer();

    // Happy path; the delegated-KYC body, images aside, exactly as sent.
    assert_eq!(run(&cryptopocket, &ana).await.unwrap(), KycStatus::Verified);
    let mut sent = sim
        .operation(&rampkit::cryptopocket::operations::REGISTER_USER_KYC_DELEGATED)
        .last_request()
        .unwrap()
        .body;
    let images = sent.as_object_mut().unwrap();
    for image in ["front", "back", "face", "liveness"] {
        let data = images.remove(image).unwrap();
        assert!(data.as_str().unwrap().starts_with("data:image/"), "{image}");
    }
    assert_eq!(
        sent,
        json!({
            "type": "PERSON", "email": "lucia.garcia@example.com",
            "first_name": "Lucía Isabel", "last_name": "García Moreno", "dob": "1990-05-15",
            "gender": "female", "phone": "+34600111222", "nacionality": "ES",
            "residence_country": "ES", "document_type": "DNI", "document_number": "12345678Z",
            "expiry_date": "2031-03-20"
        })
    );

    sim.reset();
    sim.vendor(Vendor::CryptoPocket)
        .customer("lucia.garcia@example.com")
        .rejects();
    assert_eq!(
        run(&cryptopocket, &ana).await.unwrap(),
        KycStatus::Rejected {
            reasons: vec!["fail".to_owned()]
        }
    );

    // A 503 on the registration: a server error, nothing registered.
    sim.reset();
    sim.operation(&rampkit::cryptopocket::operations::REGISTER_USER_KYC_DELEGATED)
        .fail_call(1, FaultKind::Status503Json);
    let error = run(&cryptopocket, &ana).await.unwrap_err();
    assert_eq!(error.call().unwrap().kind(), ErrorKind::Server);
    assert_eq!(sim.vendor(Vendor::CryptoPocket).counters().registrations, 0);
}
// guide:end

// guide:start kriptomat
#[tokio::test]
async fn kriptomat_onboarding() {
    let sim = Simulator::start(SimConfig::default()).await.unwrap();
    // Kriptomat imports the KYC the customer shared through SumSub: two clients, one flow.
    let kriptomat = KriptomatOnboarding::new(
        sim.client(),
        sim.client(),
        KriptomatSettings {
            user_id: 4242,
            sumsub_client_id: sim.config().vendors.kriptomat.sumsub_client_id.clone(),
            share_token_ttl_secs: None,
        },
    );
    let ana = customer();

    // Happy path; the share token was asked for exactly this applicant and client.
    assert_eq!(run(&kriptomat, &ana).await.unwrap(), KycStatus::Verified);
    let share = sim
        .operation(&rampkit::sumsub::operations::GENERATE_SHARE_TOKEN)
        .last_request()
        .unwrap();
    assert_eq!(
        share.body,
        json!({"applicantId": "5f8d3a2b1c0e4d6f7a8b9c0d", "forClientId": "KriptomatSumsub"})
    );

    // Kriptomat's outcomes are scripted by its user id (or the SumSub applicant id).
    sim.reset();
    sim.vendor(Vendor::Kriptomat).customer("4242").rejects();
    assert!(matches!(
        run(&kriptomat, &ana).await.unwrap(),
        KycStatus::Rejected { .. }
    ));

    // The import's connection cut after the request went out: the outcome is unknown.
    sim.reset();
    sim.operation(&rampkit::kriptomat::operations::IMPORT_KYC)
        .fail_call(1, FaultKind::Reset);
    let error = run(&kriptomat, &ana).await.unwrap_err();
    assert_eq!(error.call().unwrap().kind(), ErrorKind::OutcomeUnknown);
    assert_eq!(Provider::Kriptomat.as_str(), "kriptomat");
}
// guide:end

// guide:start typed-mocks
#[tokio::test]
async fn a_typed_httpmock_mock() {
    use httpmock::MockServer;
    use rampkit_crossmint::mock::MockServerExt;
    use rampkit_crossmint::{Client, CrossmintAuth, UserLocator, types};

    let server = MockServer::start_async().await;
    let user = UserLocator::user_id("lucia-0001");
    let consent = types::AcceptLegalDocumentRequest::new(
        "2026-01-01T00:00:00.000Z".to_owned(),
        types::LegalDocumentType::CrossmintPrivacyPolicy,
    );
    // An answer is the vendor's JSON, decoded (response types have no public constructor).
    let answer: types::AcceptLegalDocumentResponse =
        serde_json::from_str(r#"{"acceptedAt": "2026-01-01T00:00:00.000Z"}"#).unwrap();
    // Matches only this user's path, as the client encodes it, and exactly this body.
    let mock = server.accept_legal_document(|when, then| {
        when.user_locator(&user).body(&consent);
        then.ok(&answer);
    });

    let client = Client::new(&server.base_url(), CrossmintAuth::new("sk_staging_test"));
    client.accept_legal_document(&user, &consent).await.unwrap();
    mock.assert();
}
// guide:end

fn workspace_file(relative: &str) -> PathBuf {
    let mut dir = std::env::current_dir().unwrap();
    loop {
        let path = dir.join(relative);
        if path.is_file() {
            return path;
        }
        assert!(dir.pop(), "{relative} is not above the current directory");
    }
}

/// The regions of this file, by name.
fn regions(source: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, Vec<&str>)> = None;
    for line in source.lines() {
        if let Some(name) = line.strip_prefix("// guide:start ") {
            current = Some((name.trim().to_owned(), Vec::new()));
        } else if line.starts_with("// guide:end") {
            let (name, lines) = current.take().expect("a region ends that never started");
            out.push((name, lines.join("\n")));
        } else if let Some((_, lines)) = current.as_mut() {
            lines.push(line);
        }
    }
    out
}

/// The ```rust blocks of the guide that follow `<!-- guide: NAME -->`, by name.
fn blocks(guide: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut lines = guide.lines();
    while let Some(line) = lines.next() {
        let Some(name) = line
            .strip_prefix("<!-- guide: ")
            .and_then(|l| l.strip_suffix(" -->"))
        else {
            continue;
        };
        assert_eq!(
            lines.next(),
            Some("```rust"),
            "{name}: a rust block follows"
        );
        let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        out.push((name.to_owned(), body.join("\n")));
    }
    out
}

#[test]
fn the_guide_shows_these_tests() {
    let source =
        std::fs::read_to_string(workspace_file("crates/rampkit-sim/tests/guide.rs")).unwrap();
    let guide = std::fs::read_to_string(workspace_file("docs/testing.md")).unwrap();
    let regions = regions(&source);
    assert_eq!(regions.len(), 6);
    assert_eq!(
        blocks(&guide),
        regions,
        "docs/testing.md and crates/rampkit-sim/tests/guide.rs differ: copy the regions into the guide"
    );
}
