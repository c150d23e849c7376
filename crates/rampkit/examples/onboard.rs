//! Onboards the Spanish fixture customer (`tests/fixtures/customers/person_es_dni.json`) with all four
//! providers at once, against local httpmock servers standing in for Crossmint, CryptoPocket, Kriptomat
//! (with SumSub) and Leap, and prints one status per provider (and per product for Crossmint).
//!
//! ```text
//! cargo run -p rampkit --example onboard
//! ```
//!
//! No keys and no network: the servers listen on loopback and answer with vendor-shaped JSON. The
//! scripted answers show the flows' paths: Crossmint asks again for the identity document it was sent
//! and is triggered once more, CryptoPocket and Leap report progress before verifying, and Kriptomat
//! passes KYC but asks for enhanced due diligence — a status the caller acts on.

use std::time::{Duration, Instant};

use httpmock::Method::{self, GET, POST, PUT};
use httpmock::{Mock, MockServer};
use rampkit::crossmint::{self, CrossmintAuth};
use rampkit::cryptopocket::{self, CryptoPocketAuth};
use rampkit::kriptomat::{self, KriptomatAuth};
use rampkit::leap::{self, LeapAuth};
use rampkit::onboarding::{
    CrossmintOnboarding, CrossmintSettings, CryptoPocketOnboarding, KriptomatOnboarding,
    KriptomatSettings, LeapOnboarding,
};
use rampkit::providers::crossmint::UserLocator;
use rampkit::sumsub::{self, SumsubAuth};
use rampkit::{Customer, OnboardingOptions, PollPolicy, onboard};
use rampkit_kriptomat::KriptomatCredentials;

/// The fixture customer: a Spanish national-ID holder verified by SumSub.
const CUSTOMER: &str = include_str!("../../../tests/fixtures/customers/person_es_dni.json");

/// A mock answering `method path` with HTTP 200 and `body`; only `times` times when given, so that the
/// next mock of the same route answers afterwards.
async fn answer<'s>(
    server: &'s MockServer,
    method: Method,
    path: &str,
    body: &str,
    times: Option<usize>,
) -> Mock<'s> {
    server
        .mock_async(|when, then| {
            when.method(method).path(path);
            let then = then
                .status(200)
                .header("content-type", "application/json")
                .body(body);
            if let Some(times) = times {
                then.up_to_n_times(times);
            }
        })
        .await
}

const CROSSMINT_USER: &str = "/2025-06-09/users/userId:lucia-0001";
const KRIPTOMAT_USER_ID: i64 = 4242;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let started = Instant::now();
    let customer = Customer::from_json(CUSTOMER)?;

    // ---- Crossmint: consent, upsert, uploads, trigger; the second poll asks for the `id` documents
    // that were uploaded, so the flow triggers once more, and the product it needs (offramp) verifies.
    let crossmint_server = MockServer::start_async().await;
    let verification = format!("{CROSSMINT_USER}/identity-verification");
    let pending_review = r#"{"eligibility": [
        {"type": "onramp", "status": "pending-review"},
        {"type": "onramp-light", "status": "pending-review"},
        {"type": "offramp", "status": "pending-review"},
        {"type": "regulated-transfer", "status": "pending-review"}]}"#;
    let crossmint_mocks = [
        answer(
            &crossmint_server,
            PUT,
            &format!("{CROSSMINT_USER}/legal-documents"),
            r#"{"acceptedAt": "2026-01-01T00:00:00.000Z"}"#,
            None,
        )
        .await,
        answer(
            &crossmint_server,
            PUT,
            CROSSMINT_USER,
            r#"{"userId": "usr_1234567890", "userDetails": true, "kycData": true,
                "dueDiligence": true, "verificationHistory": true}"#,
            None,
        )
        .await,
        answer(
            &crossmint_server,
            POST,
            "/2025-06-09/documents",
            r#"{"id": "doc_abc123xyz", "documentType": "id-idcard-front"}"#,
            None,
        )
        .await,
        answer(&crossmint_server, PUT, &verification, pending_review, None).await,
        answer(
            &crossmint_server,
            GET,
            &verification,
            pending_review,
            Some(1),
        )
        .await,
        answer(
            &crossmint_server,
            GET,
            &verification,
            r#"{"eligibility": [
                {"type": "onramp", "status": "verified"},
                {"type": "onramp-light", "status": "verified"},
                {"type": "offramp", "status": "requires-data", "missingDocuments": ["id"]},
                {"type": "regulated-transfer", "status": "verified"}]}"#,
            Some(1),
        )
        .await,
        answer(
            &crossmint_server,
            GET,
            &verification,
            r#"{"eligibility": [
                {"type": "onramp", "status": "verified"},
                {"type": "onramp-light", "status": "verified"},
                {"type": "offramp", "status": "verified"},
                {"type": "regulated-transfer", "status": "pending-review"}]}"#,
            None,
        )
        .await,
    ];
    let crossmint = CrossmintOnboarding::new(
        crossmint::Client::new(
            &crossmint_server.base_url(),
            CrossmintAuth::new("sk_staging_example".to_owned()),
        ),
        CrossmintSettings {
            user_locator: UserLocator::user_id("lucia-0001"),
            privacy_policy_accepted_at: "2026-01-01T00:00:00Z".parse()?,
            products: vec![crossmint::types::ProductType::Offramp],
        },
    );

    // ---- CryptoPocket: login, delegated KYC, then `processing` before `valid`.
    let cryptopocket_server = MockServer::start_async().await;
    let cryptopocket_mocks = [
        answer(
            &cryptopocket_server,
            POST,
            "/authenticate",
            r#"{"status": "ok", "data": {"token": "sandbox-token"}}"#,
            None,
        )
        .await,
        answer(
            &cryptopocket_server,
            POST,
            "/registerUser/kyc-delegated",
            r#"{"status": "ok", "data": {"id": 100003754, "identification_type": "DNI",
                "kyc_valid": true}}"#,
            None,
        )
        .await,
        answer(
            &cryptopocket_server,
            GET,
            "/kyc/check",
            r#"{"status": "ok", "data": {"kyc_status": "processing"}}"#,
            Some(1),
        )
        .await,
        answer(
            &cryptopocket_server,
            GET,
            "/kyc/check",
            r#"{"status": "ok", "data": {"kyc_status": "valid"}}"#,
            None,
        )
        .await,
    ];
    let cryptopocket = CryptoPocketOnboarding::new(cryptopocket::Client::new(
        &cryptopocket_server.base_url(),
        CryptoPocketAuth::with_credentials("cp_api_key".to_owned(), "cp_api_secret".to_owned()),
    ));

    // ---- Kriptomat: SumSub share token, login, KYC import; KYC passes, EDD is required.
    let sumsub_server = MockServer::start_async().await;
    let kriptomat_server = MockServer::start_async().await;
    let show_user = format!("/api/v1/partners/users/{KRIPTOMAT_USER_ID}");
    let kriptomat_mocks = [
        answer(
            &sumsub_server,
            POST,
            "/resources/accessTokens/shareToken",
            r#"{"token": "_act-460a698b-d2bc-4cbc-9456-5f36fee38083",
                "forClientId": "KriptomatSumsub"}"#,
            None,
        )
        .await,
        answer(
            &kriptomat_server,
            POST,
            "/api/v1/partners/auth/login",
            r#"{"access_token": "kriptomat-example-token", "expires_in": 3600}"#,
            None,
        )
        .await,
        answer(
            &kriptomat_server,
            POST,
            &format!("/v1/users/{KRIPTOMAT_USER_ID}/kyc-import"),
            r#"{"status": true}"#,
            None,
        )
        .await,
        answer(
            &kriptomat_server,
            GET,
            &show_user,
            r#"{"status": true, "data": {"status": "active", "kyc_status": "pending",
                "edd_status": ""}}"#,
            Some(1),
        )
        .await,
        answer(
            &kriptomat_server,
            GET,
            &show_user,
            r#"{"status": true, "data": {"status": "active", "kyc_status": "passed",
                "edd_status": "required"}}"#,
            None,
        )
        .await,
    ];
    let kriptomat = KriptomatOnboarding::new(
        kriptomat::Client::new(
            &kriptomat_server.base_url(),
            KriptomatAuth::with_credentials(KriptomatCredentials {
                email: "partner@example.com".to_owned().into(),
                password: "example-password".to_owned().into(),
                client_id: 5,
                client_secret: "example-client-secret".to_owned().into(),
                totp_secret_base32: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".to_owned().into(),
            }),
        ),
        sumsub::Client::new(
            &sumsub_server.base_url(),
            SumsubAuth::new(
                "sbx:example-app-token".to_owned(),
                "example-secret".to_owned(),
            ),
        ),
        KriptomatSettings {
            user_id: KRIPTOMAT_USER_ID,
            sumsub_client_id: "KriptomatSumsub".to_owned(),
            share_token_ttl_secs: None,
        },
    );

    // ---- Leap: register user v2, then CIP in progress before completed.
    let leap_server = MockServer::start_async().await;
    let leap_mocks = [
        answer(
            &leap_server,
            POST,
            "/auth/register-user-v2",
            r#"{"userId": "OSZwErXgt1MGPHwkYJVqz3LTN0R2", "status": "OnProcess"}"#,
            None,
        )
        .await,
        answer(
            &leap_server,
            POST,
            "/auth/get-user-token-v2",
            r#"{"userId": "OSZwErXgt1MGPHwkYJVqz3LTN0R2", "status": "UpgradeInProgress"}"#,
            Some(2),
        )
        .await,
        answer(
            &leap_server,
            POST,
            "/auth/get-user-token-v2",
            r#"{"userId": "OSZwErXgt1MGPHwkYJVqz3LTN0R2", "status": "Completed",
                "statusDetail": "None"}"#,
            None,
        )
        .await,
    ];
    let leap = LeapOnboarding::new(leap::Client::new(
        &leap_server.base_url(),
        LeapAuth::new("leap-example-key".to_owned()),
    ));

    // ---- Onboard, polling every 50 ms (doubling up to 200 ms) for at most 5 s per provider.
    let options = OnboardingOptions::with_poll(PollPolicy {
        initial_interval: Duration::from_millis(50),
        max_interval: Duration::from_millis(200),
        deadline: Duration::from_secs(5),
    });
    let report = onboard(
        &customer,
        &[&crossmint, &cryptopocket, &kriptomat, &leap],
        &options,
    )
    .await;

    println!("Onboarding person_es_dni with four providers (local mock servers)\n");
    print!("{report}");
    println!();
    for (provider, mocks) in [
        ("crossmint", &crossmint_mocks[..]),
        ("cryptopocket", &cryptopocket_mocks[..]),
        ("kriptomat+sumsub", &kriptomat_mocks[..]),
        ("leap", &leap_mocks[..]),
    ] {
        let mut calls = 0;
        for mock in mocks {
            calls += mock.calls_async().await;
        }
        println!("{provider:<17} {calls:>2} requests served");
    }
    println!("\nfinished in {} ms", started.elapsed().as_millis());
    Ok(())
}
