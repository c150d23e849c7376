//! One meaning for "already exists": each vendor's own answer for a customer it already holds reaches
//! the caller as `ErrorKind::Conflict`, mapped in the provider's crate. Answers are the vendors'
//! documented shapes, verbatim where the vendor prints one.

mod common;

use httpmock::Method::POST;
use httpmock::MockServer;
use rampkit::cryptopocket::{self, CryptoPocketAuth};
use rampkit::leap::{self, LeapAuth};
use rampkit::runtime::{Context, ErrorKind, RetryPolicy};
use rampkit::{CryptoPocketOnboarding, KycProvider, LeapOnboarding, OnboardingError};

use common::spanish_person;

fn call_error(
    result: Result<rampkit::providers::Registration, OnboardingError>,
) -> rampkit::runtime::Error {
    match result {
        Err(OnboardingError::Call(error)) => error,
        other => panic!("expected a call error, got {other:?}"),
    }
}

/// Leap: HTTP 400 `ERROR_USER_ALREADY_ENROLLED` ("same phone or email already enrolled",
/// https://docs.leapfinancial.com/partner/users/register-user), in Leap's `{code, reason}` error body.
#[tokio::test]
async fn leap_already_enrolled_is_a_conflict() {
    let server = MockServer::start_async().await;
    let register = server
        .mock_async(|when, then| {
            when.method(POST).path("/auth/register-user-v2");
            then.status(400).header("content-type", "application/json").body(
                r#"{"code": "ERROR_USER_ALREADY_ENROLLED", "reason": "A user with this phone number or email is already enrolled"}"#,
            );
        })
        .await;
    let leap = LeapOnboarding::new(leap::Client::new(
        &server.base_url(),
        Context::new(LeapAuth::new("leap-key".to_owned())).with_retry(RetryPolicy::none()),
    ));
    let error = call_error(leap.register_validated(&spanish_person()).await);
    assert_eq!(error.kind(), ErrorKind::Conflict);
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.vendor_code(), Some("ERROR_USER_ALREADY_ENROLLED"));
    assert!(leap.already_registered(&error));
    register.assert_calls_async(1).await;

    // Another 400 code of the same operation stays invalid input.
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/auth/register-user-v2");
            then.status(400).header("content-type", "application/json").body(
                r#"{"code": "INVALID_PHONE_NUMBER", "reason": "phoneNumber: not an E.164 mobile number"}"#,
            );
        })
        .await;
    let leap = LeapOnboarding::new(leap::Client::new(
        &server.base_url(),
        Context::new(LeapAuth::new("leap-key".to_owned())).with_retry(RetryPolicy::none()),
    ));
    let error = call_error(leap.register_validated(&spanish_person()).await);
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert!(!leap.already_registered(&error));
}

/// CryptoPocket: `user_already_exists` with HTTP 200 in its `{"status": "error", "error": …}` envelope
/// (https://api-doc.cryptopocket.io/create-customer-with-delegated-kyc-4350868e0).
#[tokio::test]
async fn cryptopocket_user_already_exists_is_a_conflict() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/authenticate");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{ "status": "ok", "data": { "token": "sandbox-token-31-characters-long" } }"#);
        })
        .await;
    let register = server
        .mock_async(|when, then| {
            when.method(POST).path("/registerUser/kyc-delegated");
            then.status(200).header("content-type", "application/json").body(
                r#"{"status": "error", "error": "user_already_exists", "message": "A customer with this email already exists"}"#,
            );
        })
        .await;
    let auth = CryptoPocketAuth::with_credentials("key".to_owned(), "secret".to_owned());
    let flow = CryptoPocketOnboarding::new(cryptopocket::Client::new(
        &server.base_url(),
        Context::new(auth).with_retry(RetryPolicy::none()),
    ));
    let error = call_error(flow.register_validated(&spanish_person()).await);
    assert_eq!(error.kind(), ErrorKind::Conflict);
    assert_eq!(error.vendor_code(), Some("user_already_exists"));
    assert!(flow.already_registered(&error));
    register.assert_calls_async(1).await;
}
