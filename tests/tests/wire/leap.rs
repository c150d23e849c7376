//! Leap Financial RaaS partner API — https://docs.leapfinancial.com/partner/users/register-user
//!
//! Request and response bodies (`tests/fixtures/wire/leap/`) are the vendor's examples, copied from the
//! live pages and from the OpenAPI files behind them (public docs repository `jecomas/raas-partner-doc`).
//! The two older-docs session-link routes have no vendor example; their bodies are written from the
//! older widget spec's field table, and the fixtures' README says so.

use httpmock::{
    Method::{self, GET, POST},
    MockServer,
};
use rampkit_leap::{Client, Error, LeapAuth, Pii, types};

use super::common::{Expect, fixture};

pub(super) const API_KEY: &str = "leap-sandbox-partner-key";

pub(super) fn client(server: &MockServer) -> Client {
    Client::new(&server.base_url(), LeapAuth::new(API_KEY.to_owned()))
}

/// A call that carries a JSON body: the API key and the content type.
pub(super) fn json_call(method: Method, path: &str) -> Expect<'_> {
    Expect::new(method, path).headers(&[("api_key", API_KEY), ("content-type", "application/json")])
}

/// A call without a body: the API key and no content type.
pub(super) fn bodiless(method: Method, path: &str) -> Expect<'_> {
    Expect::new(method, path)
        .headers(&[("api_key", API_KEY)])
        .absent(&["content-type"])
}

fn user_id(response: &types::UserTokenResponse) -> &str {
    response.user_id.expose_str()
}

// ---------------------------------------------------------------------------------------------
// register_user_v2 — POST /auth/register-user-v2
// ---------------------------------------------------------------------------------------------

pub(super) fn maria_del_carmen() -> types::RegisterUserParams {
    const ADDRESS: &str =
        "Cancún International Airport, Carretera a Aeropuerto Cancún, Cancún, Quintana Roo, Mexico";
    types::RegisterUserParams::new(
        Pii::from(ADDRESS),
        Pii::from("Cancún"),
        "MX".to_owned(),
        Pii::from("Maria del Carmen"),
        Pii::from("Arenas Mendoza"),
        Pii::from("Q.R."),
    )
    .with_phone_number(Pii::from("+5215521206703"))
    .with_dob(Pii::from("1987-06-24T07:00:00.000Z"))
}

#[tokio::test]
async fn register_user_v2_sends_the_vendor_example() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/auth/register-user-v2")
        .answer(fixture("leap/register_user_v2.200.json"))
        .start(&server)
        .await;

    let response = client(&server)
        .register_user_v2(&maria_del_carmen())
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let response = response.into_inner();

    endpoint
        .assert_sent(fixture("leap/register_user_v2.request.json"))
        .await;
    assert_eq!(user_id(&response), "OSZwErXgt1MGPHwkYJVqz3LTN0R2");
    assert_eq!(response.status, Some(types::CipStatus::OnProcess));
    assert_eq!(response.status_detail, None);
}

#[tokio::test]
async fn register_user_v2_older_created_status_decodes_as_unknown() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/auth/register-user-v2")
        .answer(fixture("leap/register_user_v2.200.older_docs.json"))
        .start(&server)
        .await;

    let response = client(&server)
        .register_user_v2(&maria_del_carmen())
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/register_user_v2.request.json"))
        .await;
    assert_eq!(user_id(&response), "OSZwErXgt1MGPHwkYJVqz3LTN0R2");
    let status = response.status.expect("status");
    assert_eq!(status, types::CipStatus::Unknown("Created".to_owned()));
    assert!(status.is_unknown());
    assert_eq!(status.as_str(), "Created");
}

// ---------------------------------------------------------------------------------------------
// get_user_token_v2 — POST /auth/get-user-token-v2
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_user_token_v2_sends_the_vendor_example() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/auth/get-user-token-v2")
        .answer(fixture("leap/get_user_token_v2.200.json"))
        .start(&server)
        .await;

    let request = types::GetUserTokenParams::new()
        .with_email(Pii::from("+5215521206703"))
        .with_country_code("MX".to_owned());
    let response = client(&server)
        .get_user_token_v2(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/get_user_token_v2.request.json"))
        .await;
    assert_eq!(user_id(&response), "OSZwErXgt1MGPHwkYJVqz3LTN0R2");
    assert_eq!(response.status, None);
    assert_eq!(response.status_detail, None);
}

#[tokio::test]
async fn unknown_cip_status_and_detail_decode_into_unknown() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/auth/get-user-token-v2")
        .answer(fixture("leap/get_user_token_v2.200.unknown_values.json"))
        .start(&server)
        .await;

    let request = types::GetUserTokenParams::new()
        .with_email(Pii::from("+5215521206703"))
        .with_country_code("MX".to_owned());
    let response = client(&server)
        .get_user_token_v2(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/get_user_token_v2.request.json"))
        .await;
    assert_eq!(user_id(&response), "OSZwErXgt1MGPHwkYJVqz3LTN0R2");
    let status = response.status.expect("status");
    assert_eq!(
        status,
        types::CipStatus::Unknown("UpgradeQueued".to_owned())
    );
    assert!(status.is_unknown());
    assert_eq!(status.as_str(), "UpgradeQueued");
    let detail = response.status_detail.expect("statusDetail");
    assert_eq!(
        detail,
        types::PlatLevelStatusDetail::Unknown("UpgradeQueued".to_owned())
    );
    assert!(detail.is_unknown());
    assert_eq!(detail.as_str(), "UpgradeQueued");
}

// ---------------------------------------------------------------------------------------------
// get_session_link_v2 — POST /auth/sessionlink-v2
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_session_link_v2_sends_the_vendor_example() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/auth/sessionlink-v2")
        .answer(fixture("leap/get_session_link_v2.200.json"))
        .start(&server)
        .await;

    let request = types::SessionLinkParams::new(
        Pii::from("Avenida Calle Dos 296"),
        Pii::from("San Pedro de los Pinos"),
        "MX".to_owned(),
        Pii::from("Maria"),
        Pii::from("Garcia"),
        Pii::from("CDMX"),
    )
    .with_phone_number(Pii::from("+5215521206706"))
    .with_dob(Pii::from("1987-06-24"))
    .with_zip_code(Pii::from("03800"))
    .with_address3(Pii::from("Ciudad de México"))
    .with_latitude(Pii::new(19.3953755))
    .with_longitude(Pii::new(-99.1384059))
    .with_gender(types::Gender::Male)
    .with_email(Pii::from("ariel+fielContigo@leapfinancial.com"))
    .with_lang(types::Language::En)
    .with_birth_state(Pii::from("MX-CMX"))
    .with_payment_method_type(types::SessionLinkPaymentMethodType::Card)
    .with_add_card_params(types::AddCardSessionParams::new(
        types::CardNetwork::Visa,
        types::CardType::DebitCard,
        Pii::from("1128"),
        Pii::from("VISA-1111"),
        Pii::from("Juan Perez Gomez"),
        Pii::from("tok_sandbox_9PNgfqqpdpyQpnD1jYkdw1_1111"),
    ));
    let response = client(&server)
        .get_session_link_v2(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/get_session_link_v2.request.json"))
        .await;
    assert_eq!(
        response.link.expose_str(),
        "https://links-dev.nomas.cash/Q1nO3"
    );
    assert_eq!(response.status.as_deref(), Some("Completed"));
    assert_eq!(
        response.status_detail,
        Some(types::PlatLevelStatusDetail::None)
    );
    assert_eq!(response.payment_method_status.as_deref(), Some("ValidCard"));
    assert_eq!(response.cip_status, None);
    assert_eq!(response.user_id, None);
}

// ---------------------------------------------------------------------------------------------
// get_session_link_v4 — GET /auth/sessionlink-v4/{userToken}
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_session_link_v4_puts_the_user_token_in_the_path() {
    let server = MockServer::start_async().await;
    let endpoint = bodiless(GET, "/auth/sessionlink-v4/OSZwErXgt1MGPHwkYJVqz3LTN0R2")
        .answer(fixture("leap/get_session_link_v4.200.json"))
        .start(&server)
        .await;

    let response = client(&server)
        .get_session_link_v4("OSZwErXgt1MGPHwkYJVqz3LTN0R2")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(
        response.link.expose_str(),
        "https://links-dev.nomas.cash/pBFWL"
    );
    assert_eq!(response.status.as_deref(), Some("Completed"));
    assert_eq!(
        response.status_detail,
        Some(types::PlatLevelStatusDetail::None)
    );
    assert_eq!(response.payment_method_status, None);
}

/// Leap documents `204 No Content` (no link) for the session-link routes; the spec declares one
/// success response, so the generated client hands the 204 back as an unexpected response.
#[tokio::test]
async fn get_session_link_v4_no_content_is_an_unexpected_response() {
    let server = MockServer::start_async().await;
    let endpoint = bodiless(GET, "/auth/sessionlink-v4/OSZwErXgt1MGPHwkYJVqz3LTN0R2")
        .status(204)
        .answer("")
        .start(&server)
        .await;

    let error = client(&server)
        .get_session_link_v4("OSZwErXgt1MGPHwkYJVqz3LTN0R2")
        .await
        .unwrap_err();

    endpoint.assert_called().await;
    // 204 is not in the spec (one success response per operation): it surfaces as a typed error.
    assert_eq!(error.status(), Some(204));
    assert_eq!(error.kind(), rampkit_leap::ErrorKind::Undecodable);
}

// ---------------------------------------------------------------------------------------------
// get_session_link_v3 — POST /auth/sessionlink-v3 (older docs)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_session_link_v3_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/auth/sessionlink-v3")
        .answer(fixture("leap/get_session_link_v3.200.json"))
        .start(&server)
        .await;

    let request = types::SessionLinkParams::new(
        Pii::from("Avenida Calle Dos 296"),
        Pii::from("San Pedro de los Pinos"),
        "MX".to_owned(),
        Pii::from("Maria"),
        Pii::from("Garcia"),
        Pii::from("CDMX"),
    )
    .with_phone_number(Pii::from("+5215521206706"))
    .with_dob(Pii::from("1987-06-24T07:00:00.000Z"))
    .with_latitude(Pii::new(19.3953755))
    .with_longitude(Pii::new(-99.1384059))
    .with_payment_method_type(types::SessionLinkPaymentMethodType::Ubn)
    .with_ubn_params(
        types::AddUbnParams::new(Pii::from("002320275621938815"))
            .with_is_primary(true)
            .with_currency("MXN".to_owned())
            .with_country("MX".to_owned()),
    );
    let response = client(&server)
        .get_session_link_v3(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/get_session_link_v3.request.json"))
        .await;
    assert_eq!(
        response.link.expose_str(),
        "https://links-dev.nomas.cash/V3ubn"
    );
    assert_eq!(response.status.as_deref(), Some("UpgradePending"));
    assert_eq!(
        response.status_detail,
        Some(types::PlatLevelStatusDetail::ProvideAdditionalInfo)
    );
    assert_eq!(response.cip_status.as_deref(), Some("OnProcess"));
    assert_eq!(
        response.cip_status_detail,
        Some(types::PlatLevelStatusDetail::ProvideAdditionalInfo)
    );
}

// ---------------------------------------------------------------------------------------------
// get_session_link — POST /auth/sessionlink (older docs)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_session_link_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/auth/sessionlink")
        .answer(fixture("leap/get_session_link.200.json"))
        .start(&server)
        .await;

    let request = types::SessionLinkParams::new(
        Pii::from("Blvd. Kukulcan Km. 4.5"),
        Pii::from("Cancún"),
        "MX".to_owned(),
        Pii::from("Ana"),
        Pii::from("Hernández"),
        Pii::from("JA"),
    )
    .with_phone_number(Pii::from("+5215521206703"))
    .with_email(Pii::from("ana.hernandez@example.com"))
    .with_middle_name(Pii::from("María"))
    .with_last_name2(Pii::from("Gómez"))
    .with_gender(types::Gender::Female)
    .with_dob(Pii::from("1990-01-31T00:00:00.000Z"))
    .with_address2(Pii::from("Zona Hotelera"))
    .with_street_number(Pii::from("4.5"))
    .with_zip_code(Pii::from("77500"))
    .with_birth_state(Pii::from("DF"))
    .with_lang(types::Language::Es)
    .with_place_detail(Pii::from(r#"{"place_id":"ChIJ21P2rgUrTI8Ris1fYjy3Ms4"}"#))
    .with_latitude(Pii::new(21.1355))
    .with_longitude(Pii::new(-86.7467))
    .with_call_location_latitude(Pii::new(21.1619))
    .with_call_location_longitude(Pii::new(-86.8515));
    let response = client(&server)
        .get_session_link(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/get_session_link.request.json"))
        .await;
    assert_eq!(
        response.link.expose_str(),
        "https://links-dev.nomas.cash/V1ana"
    );
    assert_eq!(response.status.as_deref(), Some("Completed"));
    assert_eq!(
        response.status_detail,
        Some(types::PlatLevelStatusDetail::None)
    );
    assert_eq!(response.cip_status.as_deref(), Some("Completed"));
    assert_eq!(
        response.cip_status_detail,
        Some(types::PlatLevelStatusDetail::None)
    );
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

fn error_body(error: Error, status: u16) -> types::ErrorResponse {
    assert_eq!(error.status(), Some(status), "{error}");
    error.vendor_body().expect("the vendor's error body")
}

#[tokio::test]
async fn documented_error_bodies_yield_error_response() {
    // 400 on register-user-v2.
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/auth/register-user-v2")
        .status(400)
        .answer(fixture("leap/register_user_v2.400.json"))
        .start(&server)
        .await;
    let error = client(&server)
        .register_user_v2(&maria_del_carmen())
        .await
        .unwrap_err();
    endpoint.assert_called().await;
    let body = error_body(error, 400);
    assert_eq!(
        body.reason.as_deref(),
        Some("Invalid tenant, country mismatch, invalid schema, or invalid date of birth.")
    );
    assert_eq!(body.code, None);
    assert_eq!(body.detail, None);

    // 401 on register-user-v2.
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/auth/register-user-v2")
        .status(401)
        .answer(fixture("leap/register_user_v2.401.json"))
        .start(&server)
        .await;
    let error = client(&server)
        .register_user_v2(&maria_del_carmen())
        .await
        .unwrap_err();
    endpoint.assert_called().await;
    assert_eq!(
        error_body(error, 401).reason.as_deref(),
        Some("Missing or invalid API key")
    );

    // 500 with a platform code on register-user-v2.
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/auth/register-user-v2")
        .status(500)
        .answer(fixture("leap/register_user_v2.500.json"))
        .start(&server)
        .await;
    let error = client(&server)
        .register_user_v2(&maria_del_carmen())
        .await
        .unwrap_err();
    endpoint.assert_called().await;
    let body = error_body(error, 500);
    assert_eq!(body.code.as_deref(), Some("ERROR_USER_ALREADY_ENROLLED"));
    assert_eq!(body.reason.as_deref(), Some("User already enrolled"));
    assert_eq!(body.detail.as_deref(), Some("phoneNumber"));

    // 404 on get-user-token-v2.
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/auth/get-user-token-v2")
        .status(404)
        .answer(fixture("leap/get_user_token_v2.404.json"))
        .start(&server)
        .await;
    let request = types::GetUserTokenParams::new()
        .with_email(Pii::from("+5215521206703"))
        .with_country_code("MX".to_owned());
    let error = client(&server)
        .get_user_token_v2(&request)
        .await
        .unwrap_err();
    endpoint.assert_called().await;
    assert_eq!(
        error_body(error, 404).reason.as_deref(),
        Some("User not found for the given alias.")
    );

    // 500 on sessionlink-v2 (the body only needs to be a valid request here).
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/auth/sessionlink-v2")
        .status(500)
        .answer(fixture("leap/get_session_link_v2.500.json"))
        .start(&server)
        .await;
    let request: types::SessionLinkParams =
        serde_json::from_str(fixture("leap/get_session_link_v2.request.json")).unwrap();
    let error = client(&server)
        .get_session_link_v2(&request)
        .await
        .unwrap_err();
    endpoint.assert_called().await;
    assert_eq!(
        error_body(error, 500).reason.as_deref(),
        Some("An unhandled error has occurred")
    );

    // 400 on sessionlink-v4.
    let server = MockServer::start_async().await;
    let endpoint = bodiless(GET, "/auth/sessionlink-v4/not-a-user")
        .status(400)
        .answer(fixture("leap/get_session_link_v4.400.json"))
        .start(&server)
        .await;
    let error = client(&server)
        .get_session_link_v4("not-a-user")
        .await
        .unwrap_err();
    endpoint.assert_called().await;
    assert_eq!(
        error_body(error, 400).reason.as_deref(),
        Some("Invalid userToken or request body.")
    );
}

// ---------------------------------------------------------------------------------------------
// Debug redaction
// ---------------------------------------------------------------------------------------------

#[test]
fn register_user_v2_request_debug_shows_no_personal_data() {
    // Every personal string of the fully populated request below.
    let personal = [
        "+5215521206703",
        "ana.hernandez@example.com",
        "Ana",
        "María",
        "Hernández",
        "Gómez",
        "1990-01-31",
        "Blvd. Kukulcan",
        "Zona Hotelera",
        "Cancún",
        "77500",
        "ChIJ21P2rgUrTI8Ris1fYjy3Ms4",
        "Ciudad de México",
        "MX-CMX",
        // Coordinates locate the person: `format: pii` on a number, generated as `Pii<f64>`.
        "21.1355",
        "-86.7467",
        "21.1619",
        "-86.8515",
    ];
    let request = types::RegisterUserParams::new(
        Pii::from("Blvd. Kukulcan Km. 4.5"),
        Pii::from("Cancún"),
        "MX".to_owned(),
        Pii::from("Ana"),
        Pii::from("Hernández"),
        Pii::from("Q.R."),
    )
    .with_phone_number(Pii::from("+5215521206703"))
    .with_email(Pii::from("ana.hernandez@example.com"))
    .with_middle_name(Pii::from("María"))
    .with_last_name2(Pii::from("Gómez"))
    .with_gender(types::Gender::Female)
    .with_dob(Pii::from("1990-01-31T00:00:00.000Z"))
    .with_address2(Pii::from("Zona Hotelera"))
    .with_address3(Pii::from("Ciudad de México"))
    .with_street_number(Pii::from("4.5"))
    .with_zip_code(Pii::from("77500"))
    .with_birth_state(Pii::from("MX-CMX"))
    .with_lang(types::Language::Es)
    .with_place_detail(Pii::from(r#"{"place_id":"ChIJ21P2rgUrTI8Ris1fYjy3Ms4"}"#))
    .with_latitude(Pii::new(21.1355))
    .with_longitude(Pii::new(-86.7467))
    .with_call_location_latitude(Pii::new(21.1619))
    .with_call_location_longitude(Pii::new(-86.8515));

    for debug in [format!("{request:?}"), format!("{request:#?}")] {
        for value in personal {
            assert!(!debug.contains(value), "Debug shows {value:?}: {debug}");
        }
        assert!(!debug.contains("Q.R."), "Debug shows the state: {debug}");
        assert!(
            !debug.contains("4.5"),
            "Debug shows the street number: {debug}"
        );
        assert!(debug.contains("[redacted]"), "{debug}");
    }
    // The values are still sent on the wire.
    let wire = serde_json::to_value(&request).unwrap();
    assert_eq!(wire["lastName2"], "Gómez");
    assert_eq!(wire["dob"], "1990-01-31T00:00:00.000Z");
}
