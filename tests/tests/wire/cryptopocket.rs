//! CryptoPocket partner API — https://api-doc.cryptopocket.io

use httpmock::{
    Method::{GET, POST},
    MockServer,
};
use rampkit_cryptopocket::{Base64Document, Client, CryptoPocketAuth, Pii, types};

use super::common::{Expect, exchange, fixture};

pub(super) const TOKEN: &str = "sandbox-token-31-characters-long";

/// The customer id the vendor's own examples use (`user_id` 106 on
/// https://api-doc.cryptopocket.io/create-payment-intend-4200039e0, see the provider notes, Sandbox).
const USER_ID: i64 = 106;

pub(super) fn client(server: &MockServer) -> Client {
    client_with(server, TOKEN)
}

pub(super) fn client_with(server: &MockServer, token: &str) -> Client {
    Client::new(
        &server.base_url(),
        CryptoPocketAuth::with_token(token.to_owned()),
    )
}

/// A GET with the token in `auth` and no body (so no content type).
pub(super) fn get(path: &str) -> Expect<'_> {
    Expect::new(GET, path)
        .headers(&[("auth", TOKEN)])
        .absent(&["content-type"])
}

/// A POST with the token in `auth` and a JSON body.
pub(super) fn post(path: &str) -> Expect<'_> {
    Expect::new(POST, path).headers(&[("auth", TOKEN), ("content-type", "application/json")])
}

// ---------------------------------------------------------------------------------------------------
// Authentication
// ---------------------------------------------------------------------------------------------------

#[tokio::test]
async fn authenticate_sends_the_credentials_without_an_auth_header_then_uses_the_token() {
    let server = MockServer::start_async().await;
    let login = Expect::new(POST, "/authenticate")
        .headers(&[("content-type", "application/json")])
        .absent(&["auth"])
        .answer(fixture("cryptopocket/authenticate.200.json"))
        .start(&server)
        .await;
    let list = get("/customers/list")
        .answer(fixture("cryptopocket/list_customers.200.json"))
        .start(&server)
        .await;

    // No token yet: the `/authenticate` call itself carries no `auth` header.
    let auth = CryptoPocketAuth::new();
    let client = Client::new(&server.base_url(), auth.clone());
    let request = types::AuthenticateRequest::new(
        Pii::from("cp_sandbox_api_key"),
        Pii::from("cp_sandbox_api_secret"),
    );
    let response = client.authenticate(&request).await.unwrap().into_inner();

    login
        .assert_sent(fixture("cryptopocket/authenticate.request.json"))
        .await;
    assert_eq!(response.status, Some(types::ResponseStatus::Ok));
    assert_eq!(response.error, None);
    let token = response
        .data
        .as_ref()
        .and_then(|d| d.expose()["token"].as_str())
        .expect("data.token");
    assert_eq!(token, TOKEN);

    // Every clone of the auth shares the token: the next call sends it raw in `auth`.
    auth.set_token(token.to_owned());
    client.list_customers().await.unwrap();
    list.assert_called().await;
}

// ---------------------------------------------------------------------------------------------------
// List customers
// ---------------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_customers_sends_the_token_and_no_body() {
    let server = MockServer::start_async().await;
    let endpoint = get("/customers/list")
        .answer(fixture("cryptopocket/list_customers.200.json"))
        .start(&server)
        .await;

    let response = client(&server).list_customers().await.unwrap().into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(response.status, Some(types::ResponseStatus::Ok));
    let page = response.data.expect("data").into_exposed();
    assert_eq!(page["data"][0]["id"], 100003754);
    assert_eq!(page["total"], 1);
}

// ---------------------------------------------------------------------------------------------------
// Create customer (hosted KYC form)
// ---------------------------------------------------------------------------------------------------

#[tokio::test]
async fn register_user_sends_the_guide_fields() {
    let server = MockServer::start_async().await;
    let endpoint = post("/registerUser")
        .answer(fixture("cryptopocket/register_user.200.json"))
        .start(&server)
        .await;

    let request = types::RegisterUserRequest::new(Pii::from("john@example.com"), Pii::from("John"))
        .with_callback_url("https://partner.example.com/kyc/done");
    let response = client(&server)
        .register_user(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("cryptopocket/register_user.request.json"))
        .await;
    assert_eq!(response.status, Some(types::ResponseStatus::Ok));
    let customer = response.data.expect("data");
    assert_eq!(customer.id, Some(USER_ID));
    assert_eq!(
        customer.kyc_form_url.as_ref().map(Pii::expose_str),
        Some("https://kyc.example.com/form/3f0c6a52")
    );
}

// ---------------------------------------------------------------------------------------------------
// Create customer with delegated KYC
// ---------------------------------------------------------------------------------------------------

fn jpeg() -> Base64Document {
    Base64Document::data_uri(vec![0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], "image/jpeg")
}

/// The vendor example of the delegated-KYC page, as the typed request.
fn delegated_kyc_request() -> types::RegisterUserKycDelegatedRequest {
    types::RegisterUserKycDelegatedRequest::new()
        .with_type("PERSON")
        .with_first_name(Pii::from("Juan"))
        .with_last_name(Pii::from("Perez"))
        .with_dob(Pii::from("1990-05-15"))
        .with_residence_country(Pii::from("ES"))
        .with_nacionality(Pii::from("ES"))
        .with_gender(Pii::from("male"))
        .with_email(Pii::from("juan.perez.kyc.test@example.com"))
        .with_phone(Pii::from("+34600111222"))
        .with_document_type("DNI")
        .with_document_number(Pii::from("12345678Z"))
        .with_expiry_date(Pii::from("2030-12-31"))
        .with_front(jpeg())
        .with_back(jpeg())
        .with_face(jpeg())
        .with_liveness(jpeg())
}

#[tokio::test]
async fn register_user_kyc_delegated_sends_the_vendor_example() {
    let server = MockServer::start_async().await;
    let endpoint = post("/registerUser/kyc-delegated")
        .answer(fixture("cryptopocket/register_user_kyc_delegated.200.json"))
        .start(&server)
        .await;

    let request = delegated_kyc_request();
    let response = client(&server)
        .register_user_kyc_delegated(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture(
            "cryptopocket/register_user_kyc_delegated.request.json",
        ))
        .await;
    assert_eq!(response.status, types::ResponseStatus::Ok);
    let customer = response.data.expect("data");
    assert_eq!(customer.id, Some(100003754));
    assert_eq!(
        customer.dob.as_ref().map(Pii::expose_str),
        Some("1990-05-15 00:00:00")
    );
    assert_eq!(
        customer.country.as_ref().map(Pii::expose_str),
        Some("España")
    );
    assert_eq!(customer.kyc_valid, Some(true));
}

#[test]
fn delegated_kyc_request_debug_shows_no_personal_data_and_no_image() {
    let request = delegated_kyc_request();
    for debug in [format!("{request:?}"), format!("{request:#?}")] {
        for personal in [
            "Juan",
            "Perez",
            "juan.perez.kyc.test@example.com",
            "+34600111222",
            "12345678Z",
            "1990-05-15",
            "2030-12-31",
            "male",
        ] {
            assert!(
                !debug.contains(personal),
                "Debug leaks {personal:?}: {debug}"
            );
        }
        for payload in ["/9j/", "base64", "data:image"] {
            assert!(
                !debug.contains(payload),
                "Debug leaks the image ({payload:?}): {debug}"
            );
        }
        // Still useful for debugging: the non-personal codes stay visible.
        assert!(
            debug.contains("[redacted]") && debug.contains("PERSON") && debug.contains("DNI"),
            "{debug}"
        );
    }
}

// ---------------------------------------------------------------------------------------------------
// Create company customer
// ---------------------------------------------------------------------------------------------------

/// The four HTTP-200 business-error examples of
/// https://api-doc.cryptopocket.io/create-company-customer-4398184e0 (fixture and error code), in page
/// order (the `unexpected_error` one is printed after the 422 example there).
const REGISTER_COMPANY_BUSINESS_ERRORS: [(&str, types::ErrorCode); 4] = [
    (
        "cryptopocket/register_company.200.authorization_incorrect.json",
        types::ErrorCode::AuthorizationIncorrect,
    ),
    (
        "cryptopocket/register_company.200.user_already_exists.json",
        types::ErrorCode::UserAlreadyExists,
    ),
    (
        "cryptopocket/register_company.200.email_not_allowed.json",
        types::ErrorCode::EmailNotAllowed,
    ),
    (
        "cryptopocket/register_company.200.unexpected_error.json",
        types::ErrorCode::UnexpectedError,
    ),
];

fn company_request() -> types::RegisterCompanyRequest {
    types::RegisterCompanyRequest::new(
        Pii::from("Acme Corporation S.L."),
        Pii::from("contact@acmecorp.com"),
    )
}

#[tokio::test]
async fn register_company_sends_the_vendor_example() {
    let server = MockServer::start_async().await;
    let endpoint = post("/register/company")
        .answer(fixture("cryptopocket/register_company.200.json"))
        .start(&server)
        .await;

    let response = client(&server)
        .register_company(&company_request())
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("cryptopocket/register_company.request.json"))
        .await;
    assert_eq!(response.status, types::ResponseStatus::Ok);
    assert_eq!(response.error, None);
    let company = response.data.as_ref().expect("data");
    assert_eq!(company.id, Some(1234));
    assert_eq!(
        company.uuid.as_deref(),
        Some("a1b2c3d4-e5f6-7890-abcd-ef1234567890")
    );
    assert_eq!(
        company.kyb_link.as_ref().map(Pii::expose_str),
        Some("https://b2b.example.com/kyb/550e8400-e29b-41d4-a716-446655440000")
    );
    assert_eq!(
        company.password.as_ref().map(Pii::expose_str),
        Some("xK9mP2nQ4rTv")
    );
    // The KYB link and its password are secrets: Debug must not print them.
    let debug = format!("{response:?}");
    assert!(
        !debug.contains("xK9mP2nQ4rTv") && !debug.contains("550e8400"),
        "{debug}"
    );
}

#[tokio::test]
async fn register_company_business_errors_arrive_with_http_200() {
    for (name, code) in REGISTER_COMPANY_BUSINESS_ERRORS {
        let body = fixture(name);
        let server = MockServer::start_async().await;
        let endpoint = post("/register/company").answer(body).start(&server).await;

        // HTTP 200 with an error envelope: the spec's `x-business-error-field: error` makes the runtime
        // return an error carrying the vendor's code, never a success.
        let error = client(&server)
            .register_company(&company_request())
            .await
            .unwrap_err();

        endpoint.assert_called().await;
        assert_eq!(error.status(), Some(200), "{body}");
        assert_eq!(error.vendor_code(), Some(code.as_str()), "{body}");
        assert!(!code.is_unknown());
        let expected_kind = match code.as_str() {
            "authorization_incorrect" => rampkit_cryptopocket::ErrorKind::Authentication,
            "user_already_exists" => rampkit_cryptopocket::ErrorKind::Conflict,
            "email_not_allowed" => rampkit_cryptopocket::ErrorKind::InvalidInput,
            _ => rampkit_cryptopocket::ErrorKind::Business,
        };
        assert_eq!(error.kind(), expected_kind, "{body}");
        let envelope: types::RegisterCompanyResponse = error
            .vendor_body()
            .unwrap_or_else(|| serde_json::from_str(body).expect("the vendor envelope decodes"));
        assert_eq!(envelope.status, types::ResponseStatus::Error, "{body}");
    }
}

#[tokio::test]
async fn register_company_validation_error_is_an_error_response() {
    let server = MockServer::start_async().await;
    let endpoint = post("/register/company")
        .status(422)
        .answer(fixture("cryptopocket/register_company.422.json"))
        .start(&server)
        .await;

    let request = types::RegisterCompanyRequest::new(Pii::from(""), Pii::from(""));
    let error = client(&server)
        .register_company(&request)
        .await
        .unwrap_err();

    endpoint.assert_called().await;
    let status = error.status().expect("an HTTP error response");
    let response: types::ErrorResponse = error.vendor_body().expect("the vendor's error body");
    assert_eq!(status, 422);
    let body = response;
    assert_eq!(
        body.message.as_deref(),
        Some("The email field is required. (and 1 more error)")
    );
    assert_eq!(body.errors["email"], ["The email field is required."]);
    assert_eq!(
        body.errors["company_name"],
        ["The company name field is required."]
    );
    assert_eq!(body.status, None);
    assert_eq!(body.error, None);
}

// ---------------------------------------------------------------------------------------------------
// Retrieve KYC/KYB verification status
// ---------------------------------------------------------------------------------------------------

/// check_kyc of the vendor examples' customer, answered with `answer`: `user_id` in the query, the
/// token in `auth`, no body.
async fn check_kyc(answer: &str) -> types::CheckKycResponse {
    let (response, sent) = exchange(
        get("/kyc/check")
            .query(&[("user_id", "106")])
            .answer(answer),
        async |server| client(server).check_kyc(USER_ID).await,
    )
    .await;
    assert!(sent.body.is_empty(), "no request body");
    response.unwrap().into_inner()
}

#[tokio::test]
async fn check_kyc_sends_user_id_as_query_and_reads_kyc_status_under_data() {
    let response = check_kyc(fixture("cryptopocket/check_kyc.200.under_data.json")).await;

    assert_eq!(response.status, Some(types::ResponseStatus::Ok));
    assert_eq!(
        response.data.and_then(|d| d.kyc_status),
        Some(types::KycStatus::Valid)
    );
    assert_eq!(response.kyc_status, None);
}

#[tokio::test]
async fn check_kyc_reads_a_top_level_kyc_status() {
    let response = check_kyc(fixture("cryptopocket/check_kyc.200.top_level.json")).await;

    assert_eq!(response.kyc_status, Some(types::KycStatus::Processing));
    assert!(response.data.is_none());
}

#[tokio::test]
async fn unknown_status_kyc_status_and_error_values_decode_into_unknown() {
    let response = check_kyc(fixture("cryptopocket/check_kyc.200.unknown_values.json")).await;
    let status = response.status.expect("status");
    assert_eq!(status, types::ResponseStatus::Unknown("queued".into()));
    assert!(status.is_unknown());
    assert_eq!(status.as_str(), "queued");
    let kyc = response.kyc_status.expect("kyc_status");
    assert_eq!(kyc, types::KycStatus::Unknown("manual_review".into()));
    assert_eq!(kyc.as_str(), "manual_review");
    let nested = response
        .data
        .and_then(|d| d.kyc_status)
        .expect("data.kyc_status");
    assert_eq!(nested.as_str(), "expired");
    assert!(nested.is_unknown());

    // An error code the spec does not list still decodes, and still is an error.
    let server = MockServer::start_async().await;
    Expect::new(GET, "/kyc/check")
        .answer(fixture("cryptopocket/check_kyc.200.unknown_error.json"))
        .start(&server)
        .await;
    let error = client(&server).check_kyc(USER_ID).await.unwrap_err();
    assert_eq!(error.vendor_code(), Some("rate_limited"));
    assert_eq!(error.kind(), rampkit_cryptopocket::ErrorKind::Business);
}

// ---------------------------------------------------------------------------------------------------
// Create enhanced verification link
// ---------------------------------------------------------------------------------------------------

#[tokio::test]
async fn create_onboarding_form_sends_the_user_id() {
    let server = MockServer::start_async().await;
    let endpoint = post("/onboarding-form")
        .answer(fixture("cryptopocket/create_onboarding_form.200.json"))
        .start(&server)
        .await;

    let request = types::CreateOnboardingFormRequest::new(USER_ID);
    let response = client(&server)
        .create_onboarding_form(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("cryptopocket/create_onboarding_form.request.json"))
        .await;
    assert_eq!(response.status, Some(types::ResponseStatus::Ok));
    assert_eq!(
        response
            .data
            .as_ref()
            .and_then(|d| d.expose()["onboarding_link"].as_str()),
        Some("https://onboarding.example.com/form/7d1e2f")
    );
}

// ---------------------------------------------------------------------------------------------------
// Upload Customer Document
// ---------------------------------------------------------------------------------------------------

/// The three non-200 rows of the error table of
/// https://api-doc.cryptopocket.io/upload-customer-document-4398183e0 (HTTP status, fixture, error code).
/// The vendor shows no body for them: the `{"status": "error", "error": "<code>"}` fixtures are the
/// HTTP-200 error shape of https://api-doc.cryptopocket.io/create-company-customer-4398184e0 with the
/// table's codes (inferred, as in the provider notes).
const UPLOAD_DOCUMENT_HTTP_ERRORS: [(u16, &str, types::ErrorCode); 3] = [
    (
        403,
        "cryptopocket/upload_customer_document.403.json",
        types::ErrorCode::UserNotInIntegration,
    ),
    (
        404,
        "cryptopocket/upload_customer_document.404.json",
        types::ErrorCode::UserNotFound,
    ),
    (
        422,
        "cryptopocket/upload_customer_document.422.json",
        types::ErrorCode::InvalidFile,
    ),
];

fn pdf_document() -> types::UploadCustomerDocumentRequest {
    types::UploadCustomerDocumentRequest::new(
        types::CustomerDocumentFile::Data(
            Base64Document::data_uri(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec(), "application/pdf")
                .into(),
        ),
        types::CustomerDocumentType::BankStatement,
    )
}

#[tokio::test]
async fn upload_customer_document_sends_the_vendor_url_example() {
    let server = MockServer::start_async().await;
    let endpoint = post("/customers/106/documents")
        .answer(fixture("cryptopocket/upload_customer_document.200.json"))
        .start(&server)
        .await;
    let request = types::UploadCustomerDocumentRequest::new(
        types::CustomerDocumentFile::Url(
            Pii::from("https://cdn.example.com/documents/payslip-january.pdf").into(),
        ),
        types::CustomerDocumentType::Payslip,
    );
    // The URL can open the document without credentials: it is redacted like personal data.
    assert!(!format!("{request:?}").contains("cdn.example.com"));

    let response = client(&server)
        .upload_customer_document(USER_ID, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture(
            "cryptopocket/upload_customer_document.request.url.json",
        ))
        .await;
    assert_eq!(response.status, types::ResponseStatus::Ok);
}

#[tokio::test]
async fn upload_customer_document_sends_the_vendor_example() {
    let server = MockServer::start_async().await;
    let endpoint = post("/customers/106/documents")
        .answer(fixture("cryptopocket/upload_customer_document.200.json"))
        .start(&server)
        .await;

    let response = client(&server)
        .upload_customer_document(USER_ID, &pdf_document())
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture(
            "cryptopocket/upload_customer_document.request.json",
        ))
        .await;
    assert_eq!(response.status, types::ResponseStatus::Ok);
    assert_eq!(response.error, None);
    assert!(response.data.is_none());
}

#[tokio::test]
async fn upload_customer_document_http_errors_are_error_responses() {
    for (http_status, name, code) in UPLOAD_DOCUMENT_HTTP_ERRORS {
        let body = fixture(name);
        let server = MockServer::start_async().await;
        let endpoint = post("/customers/106/documents")
            .status(http_status)
            .answer(body)
            .start(&server)
            .await;

        let error = client(&server)
            .upload_customer_document(USER_ID, &pdf_document())
            .await
            .unwrap_err();

        endpoint.assert_called().await;
        let status = error.status().expect("an HTTP error response");
        let response: types::ErrorResponse = error.vendor_body().expect("the vendor's error body");
        assert_eq!(status, http_status);
        let body = response;
        assert_eq!(
            body.status,
            Some(types::ResponseStatus::Error),
            "HTTP {http_status}"
        );
        assert_eq!(body.error, Some(code), "HTTP {http_status}");
    }
}
