//! CryptoPocket: `X-Signature` = HMAC-SHA256(api secret, raw body ‖ `X-Timestamp`), 5-minute window.
//!
//! Every expected signature below was computed outside this crate, with the shell command next to it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rampkit_cryptopocket::types::{PaymentStatus, RampoffStatus, WebhookEventType};
use rampkit_webhooks::http::HeaderMap;
use rampkit_webhooks::{
    CryptoPocketEvent, SecretString, UndecodablePayload, WebhookError, cryptopocket,
};

const SECRET: &str = "cp_sk_test_9f8e7d6c5b4a";
/// 2026-01-01T00:00:00Z.
const TS: u64 = 1_767_225_600;

const PAY_IN: &str =
    r#"{"type":"PAY_IN","id":"wh_01","payment_id":"pay_7Hq2","status":"payment_received"}"#;
// B='{"type":"PAY_IN","id":"wh_01","payment_id":"pay_7Hq2","status":"payment_received"}'
// printf '%s%s' "$B" 1767225600 | openssl dgst -sha256 -hmac 'cp_sk_test_9f8e7d6c5b4a' -r
// (python3: hmac.new(SECRET, (B + "1767225600").encode(), hashlib.sha256).hexdigest() gives the same)
const PAY_IN_HEX: &str = "c1c000036b15b2c5615e180baee12003237ecb01d658ff1b5366d5c5be1aa279";

const RAMPOFF_OLD_NAME: &str = r#"{"type":"RAMPOFF_FINISHED","id":"ro_42","status":"finished"}"#;
// printf '%s%s' "$B" 1767225600 | openssl dgst -sha256 -hmac 'cp_sk_test_9f8e7d6c5b4a' -binary | base64
const RAMPOFF_OLD_NAME_BASE64: &str = "287EO7mIsbeFuRSMEQ7t48YtRHygcjdNbQw1zxtmrf8=";

const KYC_EVENT: &str = r#"{"type":"KYC_APPROVED","id":"wh_02"}"#;
// printf '%s%s' "$B" 1767225600 | openssl dgst -sha256 -hmac 'cp_sk_test_9f8e7d6c5b4a' -r
const KYC_EVENT_HEX: &str = "199e6c94c9fbc55903b3d925aa2d7ea6ea8c53bae1159519a4cc5958bb3dc805";

/// Whether a decoded event is the one a case expects.
type IsExpected = fn(&CryptoPocketEvent) -> bool;

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn secret() -> SecretString {
    SecretString::from(SECRET.to_owned())
}

fn headers(signature: &str, timestamp: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("X-API-Key", "cp_pk_test_1".parse().unwrap());
    headers.insert("X-Signature", signature.parse().unwrap());
    headers.insert("X-Timestamp", timestamp.parse().unwrap());
    headers
}

fn verify_at(body: &str, headers: &HeaderMap, now: u64) -> Result<CryptoPocketEvent, WebhookError> {
    cryptopocket::verify(body.as_bytes(), headers, &secret(), at(now))
}

#[test]
fn hex_signature_is_accepted_and_pay_in_decoded() {
    let event = verify_at(PAY_IN, &headers(PAY_IN_HEX, "1767225600"), TS).unwrap();
    let CryptoPocketEvent::PayIn(pay_in) = &event else {
        panic!("expected PayIn, got {event:?}");
    };
    assert_eq!(pay_in.payment_id.as_deref(), Some("pay_7Hq2"));
    assert_eq!(pay_in.status, Some(PaymentStatus::PaymentReceived));
    assert_eq!(event.to_string(), "PAY_IN");
}

#[test]
fn upper_case_hex_is_accepted_too() {
    let upper = PAY_IN_HEX.to_ascii_uppercase();
    assert!(verify_at(PAY_IN, &headers(&upper, "1767225600"), TS).is_ok());
}

#[test]
fn base64_signature_is_accepted_and_the_older_name_is_transfer_rampoff_finished() {
    let event = verify_at(
        RAMPOFF_OLD_NAME,
        &headers(RAMPOFF_OLD_NAME_BASE64, "1767225600"),
        TS,
    )
    .unwrap();
    let CryptoPocketEvent::TransferRampoffFinished(rampoff) = &event else {
        panic!("expected TransferRampoffFinished, got {event:?}");
    };
    assert_eq!(rampoff.status, Some(RampoffStatus::Finished));
    // The payload keeps the spelling it was sent with; the event reports the current name.
    assert_eq!(rampoff.type_, Some(WebhookEventType::RampoffFinished));
    assert_eq!(event.event_type(), "TRANSFER_RAMPOFF_FINISHED");
}

#[test]
fn unknown_event_type_is_unsupported_not_an_error() {
    let event = verify_at(KYC_EVENT, &headers(KYC_EVENT_HEX, "1767225600"), TS).unwrap();
    assert!(
        matches!(&event, CryptoPocketEvent::Unsupported { event_type } if event_type == "KYC_APPROVED"),
        "{event:?}"
    );
}

#[test]
fn tampered_body_is_rejected() {
    let tampered = PAY_IN.replace("pay_7Hq2", "pay_7Hq3");
    assert_eq!(
        verify_at(&tampered, &headers(PAY_IN_HEX, "1767225600"), TS).unwrap_err(),
        WebhookError::SignatureMismatch
    );
}

#[test]
fn wrong_secret_is_rejected() {
    let error = cryptopocket::verify(
        PAY_IN.as_bytes(),
        &headers(PAY_IN_HEX, "1767225600"),
        &SecretString::from("cp_sk_test_other".to_owned()),
        at(TS),
    )
    .unwrap_err();
    assert_eq!(error, WebhookError::SignatureMismatch);
}

#[test]
fn timestamp_is_part_of_the_signed_message() {
    // Same body and signature, timestamp moved by one second (still inside the window).
    assert_eq!(
        verify_at(PAY_IN, &headers(PAY_IN_HEX, "1767225601"), TS).unwrap_err(),
        WebhookError::SignatureMismatch
    );
}

#[test]
fn stale_timestamp_is_rejected() {
    assert_eq!(
        verify_at(PAY_IN, &headers(PAY_IN_HEX, "1767225600"), TS + 301).unwrap_err(),
        WebhookError::StaleTimestamp {
            age_secs: 301,
            tolerance_secs: 300
        }
    );
}

#[test]
fn future_timestamp_is_rejected() {
    assert_eq!(
        verify_at(PAY_IN, &headers(PAY_IN_HEX, "1767225600"), TS - 301).unwrap_err(),
        WebhookError::FutureTimestamp {
            ahead_secs: 301,
            tolerance_secs: 300
        }
    );
}

#[test]
fn exactly_five_minutes_either_way_is_accepted() {
    // The docs reject "more than 5 minutes" from now.
    assert!(verify_at(PAY_IN, &headers(PAY_IN_HEX, "1767225600"), TS + 300).is_ok());
    assert!(verify_at(PAY_IN, &headers(PAY_IN_HEX, "1767225600"), TS - 300).is_ok());
}

#[test]
fn missing_headers_are_named() {
    for name in ["X-Signature", "X-Timestamp"] {
        let mut headers = headers(PAY_IN_HEX, "1767225600");
        headers.remove(name);
        assert_eq!(
            verify_at(PAY_IN, &headers, TS).unwrap_err(),
            WebhookError::MissingHeader(name)
        );
    }
}

#[test]
fn malformed_signature_header_is_rejected() {
    for bad in [
        "not-a-digest",
        // 63 hex characters.
        &PAY_IN_HEX[1..],
        // Valid base64, but of 31 bytes.
        "287EO7mIsbeFuRSMEQ7t48YtRHygcjdNbQw1zxtmrQ==",
        "sha256=c1c000036b15b2c5615e180baee12003237ecb01d658ff1b5366d5c5be1aa279",
    ] {
        assert_eq!(
            verify_at(PAY_IN, &headers(bad, "1767225600"), TS).unwrap_err(),
            WebhookError::MalformedHeader("X-Signature"),
            "{bad}"
        );
    }
}

#[test]
fn malformed_timestamp_header_is_rejected() {
    for bad in [
        "17672256OO",
        "-1767225600",
        "1767225600.5",
        "1e9",
        "99999999999999999999999",
    ] {
        assert_eq!(
            verify_at(PAY_IN, &headers(PAY_IN_HEX, bad), TS).unwrap_err(),
            WebhookError::MalformedHeader("X-Timestamp"),
            "{bad}"
        );
    }
}

#[test]
fn empty_secret_is_invalid() {
    let error = cryptopocket::verify(
        PAY_IN.as_bytes(),
        &headers(PAY_IN_HEX, "1767225600"),
        &SecretString::from(String::new()),
        at(TS),
    )
    .unwrap_err();
    assert!(
        matches!(error, WebhookError::InvalidSecret { .. }),
        "{error:?}"
    );
}

#[test]
fn header_pairs_are_matched_case_insensitively() {
    let pairs = [
        ("x-signature", PAY_IN_HEX),
        ("x-timestamp", "1767225600"),
        ("x-api-key", "cp_pk_test_1"),
    ];
    let event = cryptopocket::verify(PAY_IN.as_bytes(), &pairs, &secret(), at(TS)).unwrap();
    assert!(matches!(event, CryptoPocketEvent::PayIn(_)));
    assert_eq!(cryptopocket::api_key(&pairs).unwrap(), "cp_pk_test_1");
    assert_eq!(
        cryptopocket::api_key(&headers(PAY_IN_HEX, "1")).unwrap(),
        "cp_pk_test_1"
    );
}

#[test]
fn each_event_type_decodes_into_its_variant() {
    let cases: [(&str, IsExpected); 4] = [
        (
            r#"{"type":"COINS_SENT","status":"coins_sent"}"#,
            |e| matches!(e, CryptoPocketEvent::CoinsSent(c) if c.status == Some(PaymentStatus::CoinsSent)),
        ),
        (
            r#"{"type":"CRYPTO_RECEIVED","id":"ro_1"}"#,
            |e| matches!(e, CryptoPocketEvent::CryptoReceived(c) if c.id.as_deref() == Some("ro_1")),
        ),
        (
            r#"{"type":"TRANSFER_RAMPOFF_FINISHED","status":"finished"}"#,
            |e| {
                matches!(e, CryptoPocketEvent::TransferRampoffFinished(t)
                if t.type_ == Some(WebhookEventType::TransferRampoffFinished))
            },
        ),
        // A status value the spec does not list is kept, not an error.
        (
            r#"{"type":"PAY_IN","status":"under_review","extra":1}"#,
            |e| {
                matches!(e, CryptoPocketEvent::PayIn(p)
                if p.status == Some(PaymentStatus::Unknown("under_review".into())))
            },
        ),
    ];
    for (body, is_expected) in cases {
        let event = cryptopocket::decode(body.as_bytes()).unwrap();
        assert!(is_expected(&event), "{body}: {event:?}");
    }
}

#[test]
fn bodies_that_name_no_event_are_undecodable() {
    let cases = [
        ("{}", UndecodablePayload::MissingEventType { field: "type" }),
        (
            r#"{"type":7}"#,
            UndecodablePayload::MissingEventType { field: "type" },
        ),
        ("[1]", UndecodablePayload::NotAnObject),
        (
            "{\"type\":",
            UndecodablePayload::NotJson { line: 1, column: 8 },
        ),
    ];
    for (body, reason) in cases {
        assert_eq!(
            cryptopocket::decode(body.as_bytes()).unwrap_err(),
            WebhookError::UndecodablePayload(reason),
            "{body}"
        );
    }
}

#[test]
fn a_mistyped_member_is_named_by_path_without_its_value() {
    let error = cryptopocket::decode(
        br#"{"type":"PAY_IN","payment_id":{"iban":"ES9121000418450200051332"}}"#,
    )
    .unwrap_err();
    assert_eq!(
        error,
        WebhookError::UndecodablePayload(UndecodablePayload::Mismatch {
            event: "PAY_IN",
            path: ".payment_id".into(),
            missing_field: None,
        })
    );
    assert_eq!(
        error.to_string(),
        "webhook payload is undecodable: `PAY_IN` payload has an unexpected value at `.payment_id`"
    );
}
