//! Leap: `x-raas-signature` = standard base64 of HMAC-SHA256(sharedSecret, raw body).
//!
//! Leap signs no timestamp, so there is no stale / future case to test: `leap::verify` takes no clock.
//! Every expected signature below was computed outside this crate, with the command next to it.

use rampkit_leap::types::{
    RequestMoneyFullErrorCode, RequestMoneyFullOutcomePhase, RequestMoneyFullOutcomeStatus,
};
use rampkit_webhooks::http::HeaderMap;
use rampkit_webhooks::{LeapEvent, SecretString, UndecodablePayload, WebhookError, leap};

const SECRET: &str = "leap-shared-secret-test";

/// The vendor's success example (partner-webhooks page), compacted.
const ACCEPTED: &str = r#"{"eventType":"request_money_full_outcome","correlationId":"550e8400-e29b-41d4-a716-446655440000","status":"Accepted","date":"2026-04-24T12:34:56.789Z"}"#;
// printf '%s' "$B" | openssl dgst -sha256 -hmac 'leap-shared-secret-test' -binary | base64
const ACCEPTED_SIGNATURE: &str = "+oOfAyKJYOLqPps35bJaYCl4a8WcjiluJobKcwV8bxE=";

/// An operation status update (no `eventType`; fields unpublished, these are made up).
const STATUS_UPDATE: &str = r#"{"status":"Completed","operationId":"op_55","sender":{"name":"Planted Sender Name"},"recipient":{"phone":"+5215512345678"}}"#;
// printf '%s' "$B" | openssl dgst -sha256 -hmac 'leap-shared-secret-test' -binary | base64
// (python3 hmac + base64 gives the same)
const STATUS_UPDATE_SIGNATURE: &str = "ZKApPSE9o5LfAq+cL6MozTAycVpVU9h7hAXDMRcVIpI=";

fn secret() -> SecretString {
    SecretString::from(SECRET.to_owned())
}

fn headers(signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("x-raas-signature", signature.parse().unwrap());
    headers.insert("x-raas-op-country", "MX".parse().unwrap());
    headers
}

#[test]
fn valid_signature_is_accepted_and_the_outcome_decoded() {
    let event = leap::verify(ACCEPTED.as_bytes(), &headers(ACCEPTED_SIGNATURE), &secret()).unwrap();
    let LeapEvent::RequestMoneyFullOutcome(outcome) = &event else {
        panic!("expected RequestMoneyFullOutcome, got {event:?}");
    };
    assert_eq!(outcome.status, RequestMoneyFullOutcomeStatus::Accepted);
    assert_eq!(
        outcome.correlation_id,
        "550e8400-e29b-41d4-a716-446655440000"
    );
    assert_eq!(outcome.error_code, None);
    assert_eq!(event.to_string(), "request_money_full_outcome");
    assert_eq!(leap::op_country(&headers(ACCEPTED_SIGNATURE)), Some("MX"));
}

#[test]
fn a_body_without_event_type_is_an_operation_status_update() {
    let event = leap::verify(
        STATUS_UPDATE.as_bytes(),
        &headers(STATUS_UPDATE_SIGNATURE),
        &secret(),
    )
    .unwrap();
    let LeapEvent::OperationStatusUpdate(update) = &event else {
        panic!("expected OperationStatusUpdate, got {event:?}");
    };
    assert_eq!(update.status(), Some("Completed"));
    assert_eq!(update.body.expose()["operationId"], "op_55");
    let debug = format!("{event:?}");
    assert_eq!(
        debug,
        r#"OperationStatusUpdate(OperationStatusUpdate { status: Some("Completed"), body: [redacted] })"#
    );
}

#[test]
fn tampered_body_is_rejected() {
    let tampered = ACCEPTED.replace("Accepted", "Failed");
    assert_eq!(
        leap::verify(tampered.as_bytes(), &headers(ACCEPTED_SIGNATURE), &secret()).unwrap_err(),
        WebhookError::SignatureMismatch
    );
    // Re-serialised JSON (whitespace added) is not the signed body either.
    let spaced = ACCEPTED.replace(',', ", ");
    assert_eq!(
        leap::verify(spaced.as_bytes(), &headers(ACCEPTED_SIGNATURE), &secret()).unwrap_err(),
        WebhookError::SignatureMismatch
    );
}

#[test]
fn wrong_secret_is_rejected() {
    let error = leap::verify(
        ACCEPTED.as_bytes(),
        &headers(ACCEPTED_SIGNATURE),
        &SecretString::from("leap-shared-secret-tesT".to_owned()),
    )
    .unwrap_err();
    assert_eq!(error, WebhookError::SignatureMismatch);
}

#[test]
fn missing_signature_header_is_rejected() {
    let mut headers = headers(ACCEPTED_SIGNATURE);
    headers.remove("x-raas-signature");
    assert_eq!(
        leap::verify(ACCEPTED.as_bytes(), &headers, &secret()).unwrap_err(),
        WebhookError::MissingHeader("x-raas-signature")
    );
    // The country header is informational: absent or empty is fine.
    headers.remove("x-raas-op-country");
    assert_eq!(leap::op_country(&headers), None);
}

#[test]
fn malformed_signature_header_is_rejected() {
    for bad in [
        "not base64!",
        // Hex of the right digest: Leap sends base64, so this is not its form.
        "fa839f03228960e2ea3e9b37e5b25a6029786bc59c8e296e2686ca73057c6f11",
        // Base64 without padding is not standard base64.
        "+oOfAyKJYOLqPps35bJaYCl4a8WcjiluJobKcwV8bxE",
        // Base64 of 16 bytes.
        "AAAAAAAAAAAAAAAAAAAAAA==",
    ] {
        assert_eq!(
            leap::verify(ACCEPTED.as_bytes(), &headers(bad), &secret()).unwrap_err(),
            WebhookError::MalformedHeader("x-raas-signature"),
            "{bad}"
        );
    }
}

#[test]
fn empty_secret_is_invalid() {
    let error = leap::verify(
        ACCEPTED.as_bytes(),
        &headers(ACCEPTED_SIGNATURE),
        &SecretString::from(String::new()),
    )
    .unwrap_err();
    assert!(
        matches!(error, WebhookError::InvalidSecret { .. }),
        "{error:?}"
    );
}

#[test]
fn vendor_failure_example_decodes() {
    // The vendor's failure example, as in specs/leap.yaml.
    let body = r#"{
        "eventType": "request_money_full_outcome",
        "correlationId": "550e8400-e29b-41d4-a716-446655440000",
        "status": "Failed",
        "date": "2026-04-24T12:35:10.000Z",
        "errorCode": "ERROR_CIP_NOT_COMPLETED",
        "reason": "…",
        "phase": "cip"
    }"#;
    let LeapEvent::RequestMoneyFullOutcome(outcome) = leap::decode(body.as_bytes()).unwrap() else {
        panic!("expected RequestMoneyFullOutcome");
    };
    assert_eq!(outcome.status, RequestMoneyFullOutcomeStatus::Failed);
    assert_eq!(
        outcome.error_code,
        Some(RequestMoneyFullErrorCode::ErrorCipNotCompleted)
    );
    assert_eq!(outcome.phase, Some(RequestMoneyFullOutcomePhase::Cip));
}

#[test]
fn unknown_event_type_is_unsupported_not_an_error() {
    let event = leap::decode(br#"{"eventType":"send_money_outcome","correlationId":"c"}"#).unwrap();
    assert!(
        matches!(&event, LeapEvent::Unsupported { event_type } if event_type == "send_money_outcome"),
        "{event:?}"
    );
}

#[test]
fn an_outcome_without_its_required_members_is_undecodable() {
    assert_eq!(
        leap::decode(br#"{"eventType":"request_money_full_outcome","status":"Accepted"}"#)
            .unwrap_err(),
        WebhookError::UndecodablePayload(UndecodablePayload::Mismatch {
            event: "request_money_full_outcome",
            path: ".".into(),
            missing_field: Some("correlationId".into()),
        })
    );
}
