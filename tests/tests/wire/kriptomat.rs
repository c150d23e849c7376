//! Kriptomat White Label partner API (KriptoRamp) —
//! https://developer.kriptomat.io/docs/whitelabel-api-fiat-onramp-offramp-via-bank-wire/
//!
//! Paths are the spec's, which follow the current vendor pages: Login and Show user under
//! `/api/v1/partners/...`, kyc-import and kyc-request under `/v1/users/...` (printed that way by the vendor).

use httpmock::{
    Method::{GET, POST},
    MockServer,
};
use rampkit_kriptomat::{Client, KriptomatAuth, Pii, types};

use super::common::{Expect, fixture};

/// Source of the show-user example (seed 001).
const SHOW_USER_PAGE: &str = "https://developer.kriptomat.io/docs/whitelabel-api-fiat-onramp-offramp-via-bank-wire/api-reference/endpoints/users/show-user";

/// The bearer token printed in every sample of the Show user page (seed 001), verbatim: an RS256
/// Laravel Passport JWT (`aud` "5", `sub` "2", `exp` = `iat` + 3600).
macro_rules! example_jwt {
    () => {
        "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiIsImp0aSI6ImZjMzcwNGUxYzJhZGJmNGZkMmQyMWNhZDJjNzcwMjk5NzFmODFkNzc2OTczMTRlOTVhOTllNTYwMjAwMjIwMmYxZmIwZDczODRkYTU4YTkzIn0.eyJhdWQiOiI1IiwianRpIjoiZmMzNzA0ZTFjMmFkYmY0ZmQyZDIxY2FkMmM3NzAyOTk3MWY4MWQ3NzY5NzMxNGU5NWE5OWU1NjAyMDAyMjAyZjFmYjBkNzM4NGRhNThhOTMiLCJpYXQiOjE1NDU3MzQyMTIsIm5iZiI6MTU0NTczNDIxMiwiZXhwIjoxNTQ1NzM3ODEyLCJzdWIiOiIyIiwic2NvcGVzIjpbXX0.oD29UustUU7zwBcyp2M45pkAK2c71i6JjQsQTLNfgKQgq9j7lRNy34YbD28MisBpIOrSn7tBRfX2N-CiwxDaeFlNndYGV_8p2zWkzt_S3-Anpg0a1tyImwRp1WgORnD30-kpmwKVsbDJ1C3Mk-TiRgdXBKDGbs43UQ7uG27UoyEeqcyHMDpz0FOa0-ITcwZh2n4lp1gcHpQnon0L-_suTTUvLvPK-yy-nqcHURa5Fmk8dWKechrcZaFwd62T7f2ZuybuM9DjPd87rXHxOYged63Om9OnVOEcWkGSyAeiGwgV4lCFRMQNKUQnp1W_M0gIarwesgJHq4XKBn69SuMJDfUo3oGM3LoxBm_9OfF276SZ3Ta8_njENLX2Dzg-b4FV-GitUeQmJBAji0mwGqp-nhPFCyCUZ91qvNx6tNLAdHR0R3jrJAdBKbw44AfqgABFdzfh1iuahSU1JQ7hu3OIhnvEyWf9XECPdJLywgXNP6Cr2fZpUUxu7EedqJDklPBBZQ-cChvfj8hR4mpdT61DX_1BgwEofOsqRHvvbxaYUVL320MgYKMiS2USXe5d0oznOzJfq7NJ3hIyzCqgITt7w1iChyiNpaTtyp2CysAVSWHOjpFxp00756533ck3CJN8EpccjHiq5sWSaed1iFUKRjicd_4GPNKTmJMPCfg97WI"
    };
}
const TOKEN: &str = example_jwt!();

/// Sent by every vendor sample, authenticated or not.
const XRW: (&str, &str) = ("x-requested-with", "XMLHttpRequest");
const BEARER: (&str, &str) = ("authorization", concat!("Bearer ", example_jwt!()));
pub(super) const JSON_BODY: (&str, &str) = ("content-type", "application/json");
pub(super) const ACCEPT_JSON: (&str, &str) = ("accept", "application/json");

fn client(server: &MockServer) -> Client {
    Client::new(
        &server.base_url(),
        KriptomatAuth::with_bearer(TOKEN.to_owned()),
    )
}

/// Login response. The current page prints none; the older generated reference
/// (https://api.kriptomat.io/docs/) documents the flat `{access_token, expires_in}` with 3600 seconds. This
/// literal follows that shape, with the vendor's example token from the Show user page as `access_token`.
fn login_response() -> String {
    format!(r#"{{"access_token": "{TOKEN}", "expires_in": 3600}}"#)
}

#[tokio::test]
async fn login_sends_the_documented_fields_without_a_bearer() {
    let server = MockServer::start_async().await;
    let response_body = login_response();
    let endpoint = Expect::new(POST, "/api/v1/partners/auth/login")
        .headers(&[XRW, JSON_BODY, ACCEPT_JSON])
        .absent(&["authorization"])
        .answer(&response_body)
        .start(&server)
        .await;

    let request = types::LoginRequest::new(
        5,
        Pii::from("placeholder-client-secret"),
        Pii::from("partner@example.com"),
        Pii::from("correct horse battery staple"),
        Pii::from("478291"),
    );
    let client = Client::new(&server.base_url(), KriptomatAuth::new());
    let response = client.login(&request).await.unwrap().into_inner();

    endpoint
        .assert_sent(fixture("kriptomat/login.request.json"))
        .await;
    assert_eq!(
        response.access_token.as_ref().map(Pii::expose_str),
        Some(TOKEN)
    );
    assert_eq!(response.expires_in, Some(3600));
    assert!(response.data.is_none());
}

#[tokio::test]
async fn show_user_decodes_the_vendor_example() {
    let server = MockServer::start_async().await;
    let endpoint = Expect::new(GET, "/api/v1/partners/users/1")
        .headers(&[XRW, BEARER, ACCEPT_JSON])
        .answer(fixture("kriptomat/show_user.200.json"))
        .start(&server)
        .await;

    let response = client(&server).show_user(1).await.unwrap().into_inner();

    // "GET sends no body"
    endpoint.assert_no_body().await;
    assert_eq!(response.status, Some(true));
    let user = response.data.expect("data");
    assert_eq!(user.kyc_status, Some(types::KycStatus::Passed));
    assert_eq!(user.edd_status, Some(types::EddStatus::Empty));
    assert_eq!(user.status, Some(types::UserStatus::Active));
    assert_eq!(user.country.as_ref().map(Pii::expose_str), Some("DEU"));
    assert_eq!(
        user.email.as_ref().map(Pii::expose_str),
        Some("[email protected] "),
        "trailing space kept"
    );
    assert_eq!(user.name.as_ref().map(Pii::expose_str), Some("John"));
    assert_eq!(user.surname.as_ref().map(Pii::expose_str), Some("Doe"));
    assert_eq!(
        user.phone.as_ref().map(Pii::expose_str),
        Some("+381631283023")
    );
    assert_eq!(
        user.date_of_birth.as_ref().map(Pii::expose_str),
        Some("1963-09-23")
    );
    assert_eq!(
        user.building_number.as_ref().map(Pii::expose_str),
        Some("123")
    );
    assert_eq!(
        user.postal_code.as_ref().map(Pii::expose_str),
        Some("60306")
    );
}

#[tokio::test]
async fn import_kyc_sends_the_vendor_example() {
    let server = MockServer::start_async().await;
    let endpoint = Expect::new(POST, "/v1/users/1/kyc-import")
        .headers(&[XRW, BEARER, JSON_BODY, ACCEPT_JSON])
        .answer(fixture("kriptomat/import_kyc.200.json"))
        .start(&server)
        .await;

    let request =
        types::ImportKycRequest::new(Pii::from("vYbFMO08Pjt3GSXDy6opuhE8Q50gw3Uf3QBroAC7ns"));
    let response = client(&server)
        .import_kyc(1, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("kriptomat/import_kyc.request.json"))
        .await;
    assert_eq!(response.status, Some(true));
}

#[tokio::test]
async fn request_kyc_posts_without_a_body() {
    let server = MockServer::start_async().await;
    let endpoint = Expect::new(POST, "/v1/users/1/kyc-request")
        .headers(&[XRW, BEARER, ACCEPT_JSON])
        .absent(&["content-type"])
        .answer(fixture("kriptomat/request_kyc.200.json"))
        .start(&server)
        .await;

    let response = client(&server).request_kyc(1).await.unwrap().into_inner();

    // "the vendor shows no request body"
    endpoint.assert_no_body().await;
    assert_eq!(response.status, Some(true));
    let link = response.data.and_then(|d| d.url).expect("data.url");
    assert_eq!(link.expose_str(), "https://kyc.example.com/verify/3f6c2a");
}

#[tokio::test]
async fn show_user_keeps_an_undocumented_kyc_status() {
    let server = MockServer::start_async().await;
    // The vendor example with only `kyc_status` changed to a value neither page lists.
    let body = fixture("kriptomat/show_user.200.json").replace(
        r#""kyc_status": "passed""#,
        r#""kyc_status": "under_review""#,
    );
    assert_ne!(body, fixture("kriptomat/show_user.200.json"));
    let endpoint = Expect::new(GET, "/api/v1/partners/users/1")
        .headers(&[XRW, BEARER])
        .answer(&body)
        .start(&server)
        .await;

    let response = client(&server).show_user(1).await.unwrap().into_inner();

    endpoint.assert_called().await;
    let status = response
        .data
        .and_then(|d| d.kyc_status)
        .expect("kyc_status");
    assert_eq!(status, types::KycStatus::Unknown("under_review".to_owned()));
    assert!(status.is_unknown());
    assert_eq!(status.as_str(), "under_review");
}

#[tokio::test]
async fn show_user_client_error_is_an_error_response() {
    let server = MockServer::start_async().await;
    // Kriptomat documents no error body; this is the Laravel 401 the spec infers for an expired token.
    let endpoint = Expect::new(GET, "/api/v1/partners/users/1")
        .headers(&[XRW, BEARER])
        .status(401)
        .answer(fixture("kriptomat/show_user.401.json"))
        .start(&server)
        .await;

    let error = client(&server)
        .show_user(1)
        .await
        .expect_err("401 is an error");

    endpoint.assert_called().await;
    let status = error.status().expect("an HTTP error response");
    let response: types::ErrorResponse = error.vendor_body().expect("the vendor's error body");
    assert_eq!(status, 401);
    assert_eq!(response.message.as_deref(), Some("Unauthenticated."));
    assert!(response.errors.is_none());
}

#[tokio::test]
async fn import_kyc_validation_error_is_an_error_response() {
    let server = MockServer::start_async().await;
    // Inferred Laravel 422 shape (no Kriptomat page documents errors).
    let endpoint = Expect::new(POST, "/v1/users/1/kyc-import")
        .headers(&[XRW, BEARER, JSON_BODY])
        .status(422)
        .answer(fixture("kriptomat/import_kyc.422.json"))
        .start(&server)
        .await;

    let request =
        types::ImportKycRequest::new(Pii::from("vYbFMO08Pjt3GSXDy6opuhE8Q50gw3Uf3QBroAC7ns"));
    let error = client(&server)
        .import_kyc(1, &request)
        .await
        .expect_err("422 is an error");

    endpoint
        .assert_sent(fixture("kriptomat/import_kyc.request.json"))
        .await;
    let status = error.status().expect("an HTTP error response");
    let response: types::ErrorResponse = error.vendor_body().expect("the vendor's error body");
    assert_eq!(status, 422);
    assert_eq!(
        response.message.as_deref(),
        Some("The given data was invalid.")
    );
    assert_eq!(
        response.errors.as_ref().expect("errors").expose()["token"],
        serde_json::json!(["The token is invalid."])
    );
}

#[tokio::test]
async fn show_user_debug_prints_no_personal_value() {
    let server = MockServer::start_async().await;
    let endpoint = Expect::new(GET, "/api/v1/partners/users/1")
        .answer(fixture("kriptomat/show_user.200.json"))
        .start(&server)
        .await;

    let response = client(&server).show_user(1).await.unwrap().into_inner();

    endpoint.assert_called().await;
    let personal = [
        "[email protected]",
        "John",
        "Doe",
        "+381631283023",
        "1963-09-23",
        "Some street 123",
        "Frankfurt",
        "60306",
        "DEU",
    ];
    for debug in [format!("{response:?}"), format!("{response:#?}")] {
        assert!(debug.contains("[redacted]"), "{debug}");
        assert!(
            debug.contains("Passed"),
            "the KYC status is not personal: {debug}"
        );
        for value in personal {
            assert!(
                !debug.contains(value),
                "Debug of the show-user response leaks {value:?} ({SHOW_USER_PAGE}): {debug}"
            );
        }
    }
}
