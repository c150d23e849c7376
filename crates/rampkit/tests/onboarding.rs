//! End-to-end onboarding flows against httpmock servers answering with vendor-shaped JSON.
//!
//! Each mock records the requests it serves into one [`Journal`], so a test asserts the calls of a flow
//! in order, across servers (SumSub and Kriptomat), with their bodies. Response bodies are the vendors'
//! examples where they publish one (the source is named next to each), otherwise written from the
//! documented field tables, as the wire tests in `tests/tests/wire/` do.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use httpmock::Method::{self, GET, POST, PUT};
use httpmock::{Mock, MockServer};
use rampkit::crossmint::{self, CrossmintAuth};
use rampkit::cryptopocket::{self, CryptoPocketAuth};
use rampkit::kriptomat::{self, KriptomatAuth};
use rampkit::leap::{self, LeapAuth};
use rampkit::providers::crossmint::UserLocator;
use rampkit::runtime::{Context, ErrorKind, RetryPolicy};
use rampkit::sumsub::{self, SumsubAuth};
use rampkit::{
    CrossmintOnboarding, CrossmintSettings, CryptoPocketOnboarding, KriptomatOnboarding,
    KriptomatSettings, LeapOnboarding,
};
use rampkit::{
    Customer, KycProvider, KycStatus, OnboardingError, OnboardingOptions, PollPolicy, Provider,
    ProviderStatus, onboard,
};
use rampkit_kriptomat::KriptomatCredentials;
use serde_json::{Value, json};

use common::{fixture_value, spanish_person, today};

// ---- the journal ----------------------------------------------------------------------------------

/// One request a mock served.
#[derive(Clone, Debug)]
struct Served {
    /// `crossmint PUT /2025-06-09/users/userId:lucia-0001/legal-documents`, with `?query` if any.
    line: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Served {
    fn json(&self) -> Value {
        if self.body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&self.body).expect("a JSON body")
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Every request the mocks of a test served, in arrival order.
#[derive(Clone, Default)]
struct Journal(Arc<Mutex<Vec<Served>>>);

impl Journal {
    fn served(&self) -> Vec<Served> {
        self.0.lock().unwrap().clone()
    }

    fn lines(&self) -> Vec<String> {
        self.served().into_iter().map(|s| s.line).collect()
    }

    /// The requests whose line starts with `prefix`.
    fn matching(&self, prefix: &str) -> Vec<Served> {
        self.served()
            .into_iter()
            .filter(|s| s.line.starts_with(prefix))
            .collect()
    }
}

/// One vendor's mock server, journaling every request its mocks serve under the vendor's name.
struct Vendor<'s> {
    server: &'s MockServer,
    journal: Journal,
    label: &'static str,
}

impl<'s> Vendor<'s> {
    fn new(server: &'s MockServer, journal: &Journal, label: &'static str) -> Self {
        Self {
            server,
            journal: journal.clone(),
            label,
        }
    }

    /// Answers `method path` with `status` and the JSON `body`; at most `times` times when given, so
    /// that a later mock of the same route answers next.
    async fn route(
        &self,
        method: Method,
        path: &str,
        status: u16,
        body: &str,
        times: Option<usize>,
    ) -> Mock<'s> {
        let (journal, label) = (self.journal.clone(), self.label);
        self.server
            .mock_async(|when, then| {
                // The recorder runs only once method and path matched (httpmock checks the custom
                // matcher last, and stops at the first mock that matches), so each request is
                // journaled once, by the mock that serves it.
                when.method(method).path(path).is_true(move |req| {
                    let uri = req.uri();
                    let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
                    journal.0.lock().unwrap().push(Served {
                        line: format!("{label} {} {}{query}", req.method(), uri.path()),
                        headers: req.headers_vec().clone(),
                        body: req.body_bytes().to_vec(),
                    });
                    true
                });
                let then = then
                    .status(status)
                    .header("content-type", "application/json")
                    .body(body);
                if let Some(times) = times {
                    then.up_to_n_times(times);
                }
            })
            .await
    }

    /// Answers HTTP 200 with `body`, every time.
    async fn ok(&self, method: Method, path: &str, body: &str) -> Mock<'s> {
        self.route(method, path, 200, body, None).await
    }

    /// Answers HTTP 200 with `body`, once.
    async fn once(&self, method: Method, path: &str, body: &str) -> Mock<'s> {
        self.route(method, path, 200, body, Some(1)).await
    }
}

// ---- settings shared by the tests ---------------------------------------------------------------

/// Fast polling: the flows settle in tens of milliseconds against the mocks.
fn fast_poll() -> OnboardingOptions {
    OnboardingOptions {
        poll: PollPolicy {
            initial_interval: Duration::from_millis(10),
            max_interval: Duration::from_millis(40),
            deadline: Duration::from_secs(3),
        },
        validation_date: Some(today()),
    }
}

/// The runtime's retries, with millisecond delays.
fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        deadline: Duration::from_secs(2),
        jitter: false,
    }
}

const CROSSMINT_KEY: &str = "sk_staging_onboarding_test";
const CROSSMINT_USER: &str = "userId:lucia-0001";
const CROSSMINT_USER_PATH: &str = "/2025-06-09/users/userId:lucia-0001";

fn crossmint_flow(server: &MockServer) -> CrossmintOnboarding {
    let client = crossmint::Client::new(
        &server.base_url(),
        Context::new(CrossmintAuth::new(CROSSMINT_KEY.to_owned())).with_retry(fast_retry()),
    );
    CrossmintOnboarding::new(
        client,
        CrossmintSettings {
            user_locator: UserLocator::user_id("lucia-0001"),
            privacy_policy_accepted_at: "2026-01-01T00:00:00Z".parse().unwrap(),
            products: vec![crossmint::types::ProductType::Offramp],
        },
    )
}

const CRYPTOPOCKET_TOKEN: &str = "sandbox-token-31-characters-long";

fn cryptopocket_flow(server: &MockServer) -> CryptoPocketOnboarding {
    let auth = CryptoPocketAuth::with_credentials(
        "cp_sandbox_api_key".to_owned(),
        "cp_sandbox_api_secret".to_owned(),
    );
    CryptoPocketOnboarding::new(cryptopocket::Client::new(
        &server.base_url(),
        Context::new(auth).with_retry(fast_retry()),
    ))
}

const KRIPTOMAT_USER_ID: i64 = 4242;
/// Kriptomat's SumSub client id (supplied by Kriptomat; the value is the test's).
const KRIPTOMAT_SUMSUB_CLIENT: &str = "KriptomatSumsub";

fn kriptomat_flow(
    kriptomat_server: &MockServer,
    sumsub_server: &MockServer,
) -> KriptomatOnboarding {
    let credentials = KriptomatCredentials {
        email: "partner@example.com".to_owned().into(),
        password: "correct horse battery staple".to_owned().into(),
        client_id: 5,
        client_secret: "placeholder-client-secret".to_owned().into(),
        // RFC 6238's SHA-1 test secret, base32.
        totp_secret_base32: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".to_owned().into(),
    };
    let kriptomat = kriptomat::Client::new(
        &kriptomat_server.base_url(),
        Context::new(KriptomatAuth::with_credentials(credentials)).with_retry(fast_retry()),
    );
    let sumsub = sumsub::Client::new(
        &sumsub_server.base_url(),
        SumsubAuth::new(
            "sbx:onboarding-app-token".to_owned(),
            "test-secret-key".to_owned(),
        ),
    );
    KriptomatOnboarding::new(
        kriptomat,
        sumsub,
        KriptomatSettings {
            user_id: KRIPTOMAT_USER_ID,
            sumsub_client_id: KRIPTOMAT_SUMSUB_CLIENT.to_owned(),
            share_token_ttl_secs: None,
        },
    )
}

const LEAP_KEY: &str = "leap-sandbox-partner-key";

fn leap_flow(server: &MockServer) -> LeapOnboarding {
    LeapOnboarding::new(leap::Client::new(
        &server.base_url(),
        Context::new(LeapAuth::new(LEAP_KEY.to_owned())).with_retry(fast_retry()),
    ))
}

fn requires(items: &[&str]) -> KycStatus {
    KycStatus::RequiresData {
        missing: items.iter().map(|s| s.to_string()).collect(),
    }
}

fn rejected(items: &[&str]) -> KycStatus {
    KycStatus::Rejected {
        reasons: items.iter().map(|s| s.to_string()).collect(),
    }
}

fn status_of(report: &rampkit::OnboardingReport, provider: Provider) -> &ProviderStatus {
    match &report.get(provider).expect("an outcome").result {
        Ok(status) => status,
        Err(error) => panic!("{provider}: {error}"),
    }
}

// ---- vendor-shaped answers ----------------------------------------------------------------------

/// Step 1 response of https://docs.crossmint.com/offramp/guides/import-user-kyc-data, verbatim.
const CROSSMINT_CONSENT: &str = r#"{ "acceptedAt": "2026-01-01T00:00:00.000Z" }"#;

/// `UserResponseDto` of https://docs.crossmint.com/api-reference/users/get-user (presence booleans),
/// with the import guide's values; the user id is the test's.
const CROSSMINT_USER_RESPONSE: &str = r#"{
  "userId": "usr_1234567890",
  "email": "lucia.garcia@example.com",
  "userDetails": true,
  "kycData": true,
  "dueDiligence": true,
  "verificationHistory": true,
  "legalDocuments": [
    { "type": "crossmint-privacy-policy", "acceptedAt": "2026-01-01T00:00:00.000Z", "isValidVersion": true }
  ]
}"#;

/// `UserDocumentResponseDto` of https://docs.crossmint.com/api-reference/users/upload-document (field
/// table), with the reference's example id.
const CROSSMINT_UPLOADED: &str = r#"{
  "id": "doc_abc123xyz",
  "documentType": "id-idcard-front",
  "createdAt": "2026-01-01T00:00:00.000Z",
  "expiresAt": "2031-03-20"
}"#;

/// Step 3 response of https://docs.crossmint.com/offramp/guides/import-user-kyc-data, verbatim.
const CROSSMINT_PENDING_REVIEW: &str = r#"{
  "eligibility": [
    { "type": "onramp", "status": "pending-review" },
    { "type": "onramp-light", "status": "pending-review" },
    { "type": "offramp", "status": "pending-review" },
    { "type": "regulated-transfer", "status": "pending-review" }
  ]
}"#;

/// The quickstart's requires-data entry shape
/// (https://docs.crossmint.com/stablecoin-orchestration/users-compliance/quickstart), asking only for
/// the `id` document category — the one the flow uploaded.
const CROSSMINT_REQUIRES_ID: &str = r#"{
  "eligibility": [
    { "type": "onramp", "status": "verified" },
    { "type": "onramp-light", "status": "verified" },
    { "type": "offramp", "status": "requires-data", "missingDocuments": ["id"] },
    { "type": "regulated-transfer", "status": "verified" }
  ]
}"#;

/// The quickstart's requires-data entry (missing data and documents the customer never had).
const CROSSMINT_REQUIRES_MORE: &str = r#"{
  "eligibility": [
    { "type": "regulated-transfer", "status": "verified" },
    {
      "type": "offramp",
      "status": "requires-data",
      "missingData": ["due-diligence"],
      "missingDocuments": ["proof-of-address"]
    }
  ]
}"#;

/// Step 4 response of https://docs.crossmint.com/offramp/guides/import-user-kyc-data, verbatim.
const CROSSMINT_VERIFIED: &str = r#"{
  "eligibility": [
    { "type": "onramp", "status": "verified" },
    { "type": "onramp-light", "status": "verified" },
    { "type": "offramp", "status": "verified" },
    { "type": "regulated-transfer", "status": "verified" }
  ]
}"#;

/// The `/authenticate` answer is not documented: the `{status, data}` envelope with `data.token`
/// (inferred, as in the wire tests).
const CRYPTOPOCKET_LOGIN: &str =
    r#"{ "status": "ok", "data": { "token": "sandbox-token-31-characters-long" } }"#;

/// Response example of https://api-doc.cryptopocket.io/create-customer-with-delegated-kyc-4350868e0,
/// verbatim.
const CRYPTOPOCKET_DELEGATED: &str = r#"{
    "status": "ok",
    "data": {
        "id": 100003754,
        "email": "juan.perez.kyc.test@example.com",
        "name": "Juan",
        "last_name": "Perez",
        "identification_type": "DNI",
        "identification_number": "12345678Z",
        "phone": "+34600111222",
        "country": "España",
        "gender": "M",
        "dob": "1990-05-15 00:00:00",
        "kyc_valid": true
    }
}"#;

/// `/kyc/check` answers: `kyc_status` under `data`, values of
/// https://api-doc.cryptopocket.io/cryptopocket-integration-guide-buy-flow-on-ramp-370702m0.
const CRYPTOPOCKET_PROCESSING: &str =
    r#"{ "status": "ok", "data": { "kyc_status": "processing" } }"#;
const CRYPTOPOCKET_VALID: &str = r#"{ "status": "ok", "data": { "kyc_status": "valid" } }"#;

/// Login answer of the older generated reference (https://api.kriptomat.io/docs/): flat
/// `{access_token, expires_in}`.
const KRIPTOMAT_LOGIN: &str =
    r#"{ "access_token": "kriptomat-onboarding-token", "expires_in": 3600 }"#;

/// Share-token answer of Kriptomat's KYC-import instructions (show-user page), verbatim but for the
/// client id.
const SUMSUB_SHARE_TOKEN: &str = r#"{
"token": "_act-460a698b-d2bc-4cbc-9456-5f36fee38083",
"forClientId": "KriptomatSumsub"
}"#;

/// kyc-import answer of the Compliance page, verbatim.
const KRIPTOMAT_IMPORTED: &str = r#"{ "status": true }"#;

/// Show user answer of
/// https://developer.kriptomat.io/docs/whitelabel-api-fiat-onramp-offramp-via-bank-wire/api-reference/endpoints/users/show-user,
/// verbatim but for `kyc_status` (`KYC_STATUS`).
const KRIPTOMAT_SHOW_USER: &str = r#"{
"status": true,
"data": {
"email": "[email protected] ",
"name": "John",
"surname": "Doe",
"phone": "+381631283023",
"date_of_birth": "1963-09-23",
"address": "Some street 123",
"building_number": "123",
"city": "Frankfurt",
"postal_code": "60306",
"country": "DEU",
"status": "active",
"kyc_status": "KYC_STATUS",
"edd_status": ""
}
}"#;

fn kriptomat_show_user(kyc_status: &str) -> String {
    KRIPTOMAT_SHOW_USER.replace("KYC_STATUS", kyc_status)
}

/// 200 example of https://docs.leapfinancial.com/partner/users/register-user, verbatim.
const LEAP_REGISTERED: &str =
    r#"{ "userId": "OSZwErXgt1MGPHwkYJVqz3LTN0R2", "status": "OnProcess" }"#;
/// get-user-token answers with CIP values of https://docs.leapfinancial.com/partner/users/get-user-token.
const LEAP_IN_PROGRESS: &str =
    r#"{ "userId": "OSZwErXgt1MGPHwkYJVqz3LTN0R2", "status": "UpgradeInProgress" }"#;
const LEAP_OFAC_FAILED: &str = r#"{
    "userId": "OSZwErXgt1MGPHwkYJVqz3LTN0R2",
    "status": "UpgradeFailed",
    "statusDetail": "OfacFailed"
}"#;
const LEAP_COMPLETED: &str = r#"{
    "userId": "OSZwErXgt1MGPHwkYJVqz3LTN0R2",
    "status": "Completed",
    "statusDetail": "None"
}"#;
/// 5XX example of get_user_token_v2 in Leap's partner spec (`specs/leap.yaml`), verbatim.
const LEAP_500: &str = r#"{ "reason": "An unhandled error has occurred" }"#;

// ---- Crossmint ----------------------------------------------------------------------------------

#[tokio::test]
async fn crossmint_asking_for_the_uploaded_id_is_triggered_again_and_verifies() {
    let server = MockServer::start_async().await;
    let journal = Journal::default();
    let c = Vendor::new(&server, &journal, "crossmint");
    let consent_path = format!("{CROSSMINT_USER_PATH}/legal-documents");
    let verification_path = format!("{CROSSMINT_USER_PATH}/identity-verification");
    c.ok(PUT, &consent_path, CROSSMINT_CONSENT).await;
    c.route(PUT, CROSSMINT_USER_PATH, 201, CROSSMINT_USER_RESPONSE, None)
        .await;
    c.route(POST, "/2025-06-09/documents", 201, CROSSMINT_UPLOADED, None)
        .await;
    let trigger = c
        .ok(PUT, &verification_path, CROSSMINT_PENDING_REVIEW)
        .await;
    // First poll: pending review; second: offramp asks for the `id` documents already uploaded;
    // after the second trigger: verified.
    c.once(GET, &verification_path, CROSSMINT_PENDING_REVIEW)
        .await;
    c.once(GET, &verification_path, CROSSMINT_REQUIRES_ID).await;
    c.ok(GET, &verification_path, CROSSMINT_VERIFIED).await;

    let customer = spanish_person();
    let flow = crossmint_flow(&server);
    let report = onboard(&customer, &[&flow], &fast_poll()).await;

    let status = status_of(&report, Provider::Crossmint);
    assert_eq!(status.overall, KycStatus::Verified);
    let products = status.products.as_ref().expect("per-product statuses");
    assert_eq!(
        products.to_string(),
        "onramp: verified; onramp-light: verified; offramp: verified; regulated-transfer: verified"
    );
    assert_eq!(
        journal.lines(),
        [
            "crossmint PUT /2025-06-09/users/userId:lucia-0001/legal-documents",
            "crossmint PUT /2025-06-09/users/userId:lucia-0001",
            "crossmint POST /2025-06-09/documents",
            "crossmint POST /2025-06-09/documents",
            "crossmint POST /2025-06-09/documents",
            "crossmint PUT /2025-06-09/users/userId:lucia-0001/identity-verification",
            "crossmint GET /2025-06-09/users/userId:lucia-0001/identity-verification",
            "crossmint GET /2025-06-09/users/userId:lucia-0001/identity-verification",
            "crossmint PUT /2025-06-09/users/userId:lucia-0001/identity-verification",
            "crossmint GET /2025-06-09/users/userId:lucia-0001/identity-verification",
        ]
    );
    trigger.assert_calls_async(2).await;

    let served = journal.served();
    assert!(
        served
            .iter()
            .all(|s| s.header("x-api-key") == Some(CROSSMINT_KEY))
    );
    // Consent: the import guide's step 1 body, with the configured acceptance time.
    assert_eq!(
        served[0].json(),
        json!({ "type": "crossmint-privacy-policy", "acceptedAt": "2026-01-01T00:00:00.000Z" })
    );
    // Upsert: exactly the conversion's request.
    let upsert = crossmint::types::UpsertUserRequest::try_from(&customer).unwrap();
    assert_eq!(served[1].json(), serde_json::to_value(&upsert).unwrap());
    // Uploads: the ID card's two sides and the selfie, each owned by the user, as data URIs.
    let uploads: Vec<Value> = served[2..5].iter().map(Served::json).collect();
    let types: Vec<&str> = uploads
        .iter()
        .map(|u| u["documentType"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["id-idcard-front", "id-idcard-back", "selfie-front"]);
    for upload in &uploads {
        assert_eq!(upload["reference"]["userLocator"], CROSSMINT_USER);
        assert!(upload["data"].as_str().unwrap().starts_with("data:image/"));
    }
    assert_eq!(uploads[0]["expiresAt"], "2031-03-20");
    // Trigger and polls carry no body.
    assert!(served[5..].iter().all(|s| s.body.is_empty()));
}

#[tokio::test]
async fn crossmint_asking_for_data_never_sent_ends_the_flow_with_requires_data() {
    let server = MockServer::start_async().await;
    let journal = Journal::default();
    let c = Vendor::new(&server, &journal, "crossmint");
    let consent_path = format!("{CROSSMINT_USER_PATH}/legal-documents");
    let verification_path = format!("{CROSSMINT_USER_PATH}/identity-verification");
    c.ok(PUT, &consent_path, CROSSMINT_CONSENT).await;
    c.ok(PUT, CROSSMINT_USER_PATH, CROSSMINT_USER_RESPONSE)
        .await;
    c.ok(POST, "/2025-06-09/documents", CROSSMINT_UPLOADED)
        .await;
    let trigger = c
        .ok(PUT, &verification_path, CROSSMINT_PENDING_REVIEW)
        .await;
    let poll = c.ok(GET, &verification_path, CROSSMINT_REQUIRES_MORE).await;

    let customer = spanish_person();
    let flow = crossmint_flow(&server);
    let report = onboard(&customer, &[&flow], &fast_poll()).await;

    let status = status_of(&report, Provider::Crossmint);
    // The caller decides: due diligence and a proof of address are not in the canonical customer.
    assert_eq!(
        status.overall,
        requires(&["due-diligence", "proof-of-address"])
    );
    let products = status.products.as_ref().unwrap();
    assert_eq!(products.get("regulated-transfer"), KycStatus::Verified);
    trigger.assert_calls_async(1).await;
    poll.assert_calls_async(1).await;
    assert_eq!(journal.lines().len(), 7);
}

// ---- CryptoPocket -------------------------------------------------------------------------------

#[tokio::test]
async fn cryptopocket_logs_in_registers_with_delegated_kyc_and_checks_the_customer() {
    let server = MockServer::start_async().await;
    let journal = Journal::default();
    let p = Vendor::new(&server, &journal, "cryptopocket");
    p.ok(POST, "/authenticate", CRYPTOPOCKET_LOGIN).await;
    p.ok(POST, "/registerUser/kyc-delegated", CRYPTOPOCKET_DELEGATED)
        .await;
    p.once(GET, "/kyc/check", CRYPTOPOCKET_PROCESSING).await;
    p.ok(GET, "/kyc/check", CRYPTOPOCKET_VALID).await;

    let customer = spanish_person();
    let flow = cryptopocket_flow(&server);
    let report = onboard(&customer, &[&flow], &fast_poll()).await;

    assert_eq!(
        status_of(&report, Provider::CryptoPocket),
        &ProviderStatus::single(KycStatus::Verified)
    );
    assert_eq!(
        journal.lines(),
        [
            "cryptopocket POST /authenticate",
            "cryptopocket POST /registerUser/kyc-delegated",
            "cryptopocket GET /kyc/check?user_id=100003754",
            "cryptopocket GET /kyc/check?user_id=100003754",
        ]
    );
    let served = journal.served();
    assert_eq!(
        served[0].json(),
        json!({ "api_key": "cp_sandbox_api_key", "api_secret": "cp_sandbox_api_secret" })
    );
    assert_eq!(served[0].header("auth"), None);
    let delegated =
        cryptopocket::types::RegisterUserKycDelegatedRequest::try_from(&customer).unwrap();
    assert_eq!(served[1].json(), serde_json::to_value(&delegated).unwrap());
    assert!(
        served[1..]
            .iter()
            .all(|s| s.header("auth") == Some(CRYPTOPOCKET_TOKEN))
    );
}

// ---- Kriptomat ----------------------------------------------------------------------------------

#[tokio::test]
async fn kriptomat_imports_the_sumsub_share_token_and_reports_a_decline() {
    let kriptomat_server = MockServer::start_async().await;
    let sumsub_server = MockServer::start_async().await;
    let journal = Journal::default();
    let user = format!("/api/v1/partners/users/{KRIPTOMAT_USER_ID}");
    let import = format!("/v1/users/{KRIPTOMAT_USER_ID}/kyc-import");
    let k = Vendor::new(&kriptomat_server, &journal, "kriptomat");
    let s = Vendor::new(&sumsub_server, &journal, "sumsub");
    s.ok(
        POST,
        "/resources/accessTokens/shareToken",
        SUMSUB_SHARE_TOKEN,
    )
    .await;
    k.ok(POST, "/api/v1/partners/auth/login", KRIPTOMAT_LOGIN)
        .await;
    k.ok(POST, &import, KRIPTOMAT_IMPORTED).await;
    k.once(GET, &user, &kriptomat_show_user("pending")).await;
    k.ok(GET, &user, &kriptomat_show_user("declined")).await;

    let customer = spanish_person();
    let flow = kriptomat_flow(&kriptomat_server, &sumsub_server);
    let report = onboard(&customer, &[&flow], &fast_poll()).await;

    assert_eq!(
        status_of(&report, Provider::Kriptomat).overall,
        rejected(&["kyc_status declined"])
    );
    assert_eq!(
        journal.lines(),
        [
            "sumsub POST /resources/accessTokens/shareToken",
            "kriptomat POST /api/v1/partners/auth/login",
            "kriptomat POST /v1/users/4242/kyc-import",
            "kriptomat GET /api/v1/partners/users/4242",
            "kriptomat GET /api/v1/partners/users/4242",
        ]
    );
    let served = journal.served();
    // The fixture's SumSub applicant, shared with Kriptomat's SumSub client; the request is signed.
    assert_eq!(
        served[0].json(),
        json!({ "applicantId": "5f8d3a2b1c0e4d6f7a8b9c0d", "forClientId": KRIPTOMAT_SUMSUB_CLIENT })
    );
    assert_eq!(
        served[0].header("x-app-token"),
        Some("sbx:onboarding-app-token")
    );
    assert!(served[0].header("x-app-access-sig").is_some());
    assert_eq!(served[1].header("authorization"), None);
    // The single-use token SumSub answered, imported as is.
    assert_eq!(
        served[2].json(),
        json!({ "token": "_act-460a698b-d2bc-4cbc-9456-5f36fee38083" })
    );
    assert!(served[2..].iter().all(|s| {
        s.header("authorization") == Some("Bearer kriptomat-onboarding-token")
            && s.header("x-requested-with") == Some("XMLHttpRequest")
    }));
}

// ---- Leap ---------------------------------------------------------------------------------------

#[tokio::test]
async fn leap_registers_then_polls_until_ofac_rejects() {
    let server = MockServer::start_async().await;
    let journal = Journal::default();
    let l = Vendor::new(&server, &journal, "leap");
    l.ok(POST, "/auth/register-user-v2", LEAP_REGISTERED).await;
    l.once(POST, "/auth/get-user-token-v2", LEAP_IN_PROGRESS)
        .await;
    l.ok(POST, "/auth/get-user-token-v2", LEAP_OFAC_FAILED)
        .await;

    let customer = spanish_person();
    let flow = leap_flow(&server);
    let report = onboard(&customer, &[&flow], &fast_poll()).await;

    assert_eq!(
        status_of(&report, Provider::Leap).overall,
        rejected(&["OfacFailed"])
    );
    assert_eq!(
        journal.lines(),
        [
            "leap POST /auth/register-user-v2",
            "leap POST /auth/get-user-token-v2",
            "leap POST /auth/get-user-token-v2",
        ]
    );
    let served = journal.served();
    assert!(served.iter().all(|s| s.header("api_key") == Some(LEAP_KEY)));
    let register = leap::types::RegisterUserParams::try_from(&customer).unwrap();
    assert_eq!(served[0].json(), serde_json::to_value(&register).unwrap());
    // Looked up by the registered phone number and country.
    for poll in &served[1..] {
        assert_eq!(
            poll.json(),
            json!({ "phoneNumber": "+34600111222", "countryCode": "ES" })
        );
    }
}

#[tokio::test]
async fn a_status_that_never_settles_times_out_with_the_last_status() {
    let server = MockServer::start_async().await;
    let journal = Journal::default();
    let l = Vendor::new(&server, &journal, "leap");
    l.ok(POST, "/auth/register-user-v2", LEAP_REGISTERED).await;
    l.ok(POST, "/auth/get-user-token-v2", LEAP_IN_PROGRESS)
        .await;

    let mut options = fast_poll();
    options.poll.deadline = Duration::from_millis(150);
    let flow = leap_flow(&server);
    let started = std::time::Instant::now();
    let report = onboard(&spanish_person(), &[&flow], &options).await;

    let outcome = report.get(Provider::Leap).unwrap();
    let Err(OnboardingError::Timeout {
        provider,
        waited,
        last,
    }) = &outcome.result
    else {
        panic!("a timeout: {outcome:?}")
    };
    assert_eq!(*provider, Provider::Leap);
    assert!(*waited >= Duration::from_millis(150), "{waited:?}");
    // It stops polling at the deadline instead of running on (a generous bound: a shared 2-core machine
    // under load makes httpmock slow; this is not a speed check).
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(last.overall, KycStatus::Pending);
    assert!(journal.matching("leap POST /auth/get-user-token-v2").len() >= 3);
}

// ---- all providers ------------------------------------------------------------------------------

/// Mock servers for the four providers (and SumSub), each answering its happy path.
struct Servers {
    crossmint: MockServer,
    cryptopocket: MockServer,
    kriptomat: MockServer,
    sumsub: MockServer,
    leap: MockServer,
}

impl Servers {
    async fn start() -> Self {
        Self {
            crossmint: MockServer::start_async().await,
            cryptopocket: MockServer::start_async().await,
            kriptomat: MockServer::start_async().await,
            sumsub: MockServer::start_async().await,
            leap: MockServer::start_async().await,
        }
    }

    /// Every route of every flow, answering success; Leap's status route answers `leap_status` with
    /// `leap_status_code`.
    async fn answer_all<'s>(
        &'s self,
        journal: &Journal,
        leap_status_code: u16,
        leap_status: &str,
    ) -> Vec<Mock<'s>> {
        let verification_path = format!("{CROSSMINT_USER_PATH}/identity-verification");
        let consent_path = format!("{CROSSMINT_USER_PATH}/legal-documents");
        let user = format!("/api/v1/partners/users/{KRIPTOMAT_USER_ID}");
        let import = format!("/v1/users/{KRIPTOMAT_USER_ID}/kyc-import");
        let c = Vendor::new(&self.crossmint, journal, "crossmint");
        let p = Vendor::new(&self.cryptopocket, journal, "cryptopocket");
        let k = Vendor::new(&self.kriptomat, journal, "kriptomat");
        let s = Vendor::new(&self.sumsub, journal, "sumsub");
        let l = Vendor::new(&self.leap, journal, "leap");
        vec![
            c.ok(PUT, &consent_path, CROSSMINT_CONSENT).await,
            c.ok(PUT, CROSSMINT_USER_PATH, CROSSMINT_USER_RESPONSE)
                .await,
            c.ok(POST, "/2025-06-09/documents", CROSSMINT_UPLOADED)
                .await,
            c.ok(PUT, &verification_path, CROSSMINT_PENDING_REVIEW)
                .await,
            c.ok(GET, &verification_path, CROSSMINT_VERIFIED).await,
            p.ok(POST, "/authenticate", CRYPTOPOCKET_LOGIN).await,
            p.ok(POST, "/registerUser/kyc-delegated", CRYPTOPOCKET_DELEGATED)
                .await,
            p.ok(GET, "/kyc/check", CRYPTOPOCKET_VALID).await,
            s.ok(
                POST,
                "/resources/accessTokens/shareToken",
                SUMSUB_SHARE_TOKEN,
            )
            .await,
            k.ok(POST, "/api/v1/partners/auth/login", KRIPTOMAT_LOGIN)
                .await,
            k.ok(POST, &import, KRIPTOMAT_IMPORTED).await,
            k.ok(GET, &user, &kriptomat_show_user("passed")).await,
            l.ok(POST, "/auth/register-user-v2", LEAP_REGISTERED).await,
            l.route(
                POST,
                "/auth/get-user-token-v2",
                leap_status_code,
                leap_status,
                None,
            )
            .await,
        ]
    }

    /// A catch-all mock on every server, counting whatever arrives.
    async fn count_everything(&self) -> Vec<Mock<'_>> {
        let mut mocks = Vec::new();
        for server in [
            &self.crossmint,
            &self.cryptopocket,
            &self.kriptomat,
            &self.sumsub,
            &self.leap,
        ] {
            mocks.push(
                server
                    .mock_async(|_when, then| {
                        then.status(200)
                            .header("content-type", "application/json")
                            .body("{}");
                    })
                    .await,
            );
        }
        mocks
    }
}

#[tokio::test]
async fn the_spanish_customer_goes_through_every_provider() {
    let servers = Servers::start().await;
    let journal = Journal::default();
    servers.answer_all(&journal, 200, LEAP_COMPLETED).await;

    let customer = spanish_person();
    let crossmint = crossmint_flow(&servers.crossmint);
    let cryptopocket = cryptopocket_flow(&servers.cryptopocket);
    let kriptomat = kriptomat_flow(&servers.kriptomat, &servers.sumsub);
    let leap = leap_flow(&servers.leap);
    let report = onboard(
        &customer,
        &[&crossmint, &cryptopocket, &kriptomat, &leap],
        &fast_poll(),
    )
    .await;

    assert_eq!(
        report.to_string(),
        [
            "provider       product                  status",
            "crossmint      needs offramp            verified",
            "                 onramp                 verified",
            "                 onramp-light           verified",
            "                 offramp                verified",
            "                 regulated-transfer     verified",
            "cryptopocket   -                        verified",
            "kriptomat      -                        verified",
            "leap           -                        verified\n",
        ]
        .join("\n")
    );
    // Each provider's calls, in its own order (the providers ran concurrently).
    let lines = journal.lines();
    for provider in ["crossmint", "cryptopocket", "sumsub", "kriptomat", "leap"] {
        assert!(
            lines.iter().any(|l| l.starts_with(provider)),
            "{provider}: {lines:?}"
        );
    }
}

#[tokio::test]
async fn one_provider_failing_does_not_hide_the_others() {
    let servers = Servers::start().await;
    let journal = Journal::default();
    // Leap's status route fails with HTTP 500 every time: the runtime retries it (it is idempotent)
    // and gives up after three attempts.
    servers.answer_all(&journal, 500, LEAP_500).await;

    let customer = spanish_person();
    let crossmint = crossmint_flow(&servers.crossmint);
    let cryptopocket = cryptopocket_flow(&servers.cryptopocket);
    let kriptomat = kriptomat_flow(&servers.kriptomat, &servers.sumsub);
    let leap = leap_flow(&servers.leap);
    let providers: [&dyn KycProvider; 4] = [&cryptopocket, &crossmint, &kriptomat, &leap];
    let report = onboard(&customer, &providers, &fast_poll()).await;

    assert!(report.validation_errors().is_none());
    let order: Vec<Provider> = report.outcomes().iter().map(|o| o.provider).collect();
    assert_eq!(
        order,
        [
            Provider::CryptoPocket,
            Provider::Crossmint,
            Provider::Kriptomat,
            Provider::Leap
        ]
    );
    for provider in [
        Provider::CryptoPocket,
        Provider::Crossmint,
        Provider::Kriptomat,
    ] {
        assert_eq!(
            status_of(&report, provider).overall,
            KycStatus::Verified,
            "{provider}"
        );
    }
    let failure = &report.get(Provider::Leap).unwrap().result;
    let error = failure.as_ref().unwrap_err().call().expect("a call error");
    assert_eq!(error.provider(), "leap");
    assert_eq!(error.operation(), "get_user_token_v2");
    assert_eq!(error.kind(), ErrorKind::Server);
    assert_eq!(error.status(), Some(500));
    assert_eq!(error.attempts(), 3);
    assert_eq!(
        error.to_string(),
        "leap get_user_token_v2: vendor server error (HTTP 500) after 3 attempts"
    );
    assert_eq!(
        journal.matching("leap POST /auth/get-user-token-v2").len(),
        3
    );
    assert_eq!(
        journal.matching("leap POST /auth/register-user-v2").len(),
        1
    );

    let table = report.to_string();
    assert!(
        table.contains("leap           -                        error: leap get_user_token_v2"),
        "{table}"
    );
    assert!(
        table.contains("crossmint      needs offramp            verified"),
        "{table}"
    );
    assert!(
        table.contains("                 offramp                verified"),
        "{table}"
    );
}

#[tokio::test]
async fn invalid_input_sends_nothing_and_reports_every_problem() {
    let servers = Servers::start().await;
    let counters = servers.count_everything().await;

    let mut json = fixture_value("person_es_dni");
    let person = &mut json["person"];
    person["date_of_birth"] = json!("2010-01-01");
    person["email"] = json!("lucia.garcia.example.com");
    person["mobile_phone"] = json!("+3460");
    person["identity_document"]["expiry_date"] = json!("2026-01-31");
    let customer = Customer::from_json(json.to_string()).expect("well-formed JSON");

    let crossmint = crossmint_flow(&servers.crossmint);
    let cryptopocket = cryptopocket_flow(&servers.cryptopocket);
    let kriptomat = kriptomat_flow(&servers.kriptomat, &servers.sumsub);
    let leap = leap_flow(&servers.leap);
    let report = onboard(
        &customer,
        &[&crossmint, &cryptopocket, &kriptomat, &leap],
        &fast_poll(),
    )
    .await;

    let errors = report.validation_errors().expect("validation failed");
    assert_eq!(
        errors.to_string(),
        "invalid customer, 4 problems:\n\
         - person.date_of_birth gives an age under 18\n\
         - person.email is not a valid email address\n\
         - person.mobile_phone is not a valid E.164 mobile number\n\
         - person.identity_document.expiry_date is in the past: the document has expired"
    );
    assert_eq!(report.outcomes().len(), 4);
    for outcome in report.outcomes() {
        assert!(
            matches!(
                outcome.result,
                Err(OnboardingError::NotSent { provider }) if provider == outcome.provider
            ),
            "{outcome:?}"
        );
    }
    for counter in &counters {
        assert_eq!(counter.calls_async().await, 0);
    }
}

#[tokio::test]
async fn a_company_fails_conversion_before_anything_is_sent() {
    let servers = Servers::start().await;
    let counters = servers.count_everything().await;
    let customer = common::fixture("company_es");

    let crossmint = crossmint_flow(&servers.crossmint);
    let leap = leap_flow(&servers.leap);
    let report = onboard(&customer, &[&crossmint, &leap], &fast_poll()).await;

    assert!(report.validation_errors().is_none());
    let messages: Vec<String> = report
        .outcomes()
        .iter()
        .map(|o| o.result.as_ref().unwrap_err().to_string())
        .collect();
    assert_eq!(
        messages,
        [
            "crossmint create/update user takes a person, not a company",
            "leap register user takes a person, not a company",
        ]
    );
    for counter in &counters {
        assert_eq!(counter.calls_async().await, 0);
    }
}
