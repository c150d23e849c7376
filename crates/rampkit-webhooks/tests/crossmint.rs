//! Crossmint (Svix): `v1,<base64 HMAC-SHA256(whsec key, "{svix-id}.{svix-timestamp}.{body}")>`, any of
//! several entries, 5-minute window on `svix-timestamp`.
//!
//! Every expected signature below was computed outside this crate, with the command next to it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rampkit_crossmint::types::{OrderPaymentStatus, OrderPhase};
use rampkit_webhooks::http::HeaderMap;
use rampkit_webhooks::{CrossmintEvent, SvixSecret, UndecodablePayload, WebhookError, crossmint};

/// Svix's published example (its manual-verification docs and its libraries' tests): secret, message
/// id, timestamp, body and the `v1` signature they give. Recomputed independently with
/// python3 -c 'import hmac,hashlib,base64; k=base64.b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
///   print(base64.b64encode(hmac.new(k, b"msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{\"test\": 2432232314}",
///   hashlib.sha256).digest()).decode())'
/// which prints the same `g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=`.
mod svix_example {
    pub const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    pub const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    pub const TIMESTAMP: u64 = 1_614_265_330;
    pub const BODY: &str = r#"{"test": 2432232314}"#;
    pub const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
}

/// `printf '%s' 'rampkit-svix-test-key-0123456789' | base64`, with the console's `whsec_` prefix.
const SECRET: &str = "whsec_cmFtcGtpdC1zdml4LXRlc3Qta2V5LTAxMjM0NTY3ODk=";
/// 2026-01-01T00:00:00Z.
const TS: u64 = 1_767_225_600;
const ID: &str = "msg_2bVgQ1RampkitTest";
const PAYMENT_SUCCEEDED: &str = r#"{"type":"orders.payment.succeeded","actionId":"act_9","data":{"orderId":"b2959ca5-65e4-466a-bd26-1bd05cb4f837","phase":"delivery","payment":{"status":"completed","currency":"usdc","preparation":{"checkoutcomPaymentSession":"PLANTED-SESSION-7d1f"}}}}"#;
// printf '%s' "msg_2bVgQ1RampkitTest.1767225600.$B" \
//   | openssl dgst -sha256 -hmac 'rampkit-svix-test-key-0123456789' -binary | base64
// (the key is the base64-decoded part of SECRET; python3 hmac gives the same)
const PAYMENT_SUCCEEDED_SIGNATURE: &str = "6AW8gz8SGcw4DtJWZYYX7tcjt7U1fL30CeYoVVGi/OI=";

const USER_CREATED_ID: &str = "msg_2bVgQ1RampkitUser";
const USER_CREATED: &str = r#"{"type":"users.created","status":"success","data":{"userId":"u_1","email":"planted.person@example.com"}}"#;
// printf '%s' "msg_2bVgQ1RampkitUser.1767225600.$B" \
//   | openssl dgst -sha256 -hmac 'rampkit-svix-test-key-0123456789' -binary | base64
const USER_CREATED_SIGNATURE: &str = "vAMDZ9O4+sHn46Vi46py6x/1cMdaXgZma8dKl8d3Sbo=";

/// A well-formed `v1` signature that matches nothing here (base64 of 32 zero bytes).
const OTHER_SIGNATURE: &str = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/// Whether a decoded event is the one a case expects.
type IsExpected = fn(&CrossmintEvent) -> bool;

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn secret() -> SvixSecret {
    SvixSecret::new(SECRET).unwrap()
}

fn headers(id: &str, timestamp: &str, signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("svix-id", id.parse().unwrap());
    headers.insert("svix-timestamp", timestamp.parse().unwrap());
    headers.insert("svix-signature", signature.parse().unwrap());
    headers
}

fn signed(signature: &str) -> HeaderMap {
    headers(ID, "1767225600", signature)
}

fn verify_at(body: &str, headers: &HeaderMap, now: u64) -> Result<CrossmintEvent, WebhookError> {
    crossmint::verify(body.as_bytes(), headers, &secret(), at(now))
}

#[test]
fn svix_published_example_verifies() {
    let secret = SvixSecret::new(svix_example::SECRET).unwrap();
    let headers = headers(
        svix_example::ID,
        &svix_example::TIMESTAMP.to_string(),
        svix_example::SIGNATURE,
    );
    let body = svix_example::BODY.as_bytes();
    crossmint::verify_signature(body, &headers, &secret, at(svix_example::TIMESTAMP)).unwrap();
    // Authentic, but not a Crossmint envelope: it has no `type`.
    assert_eq!(
        crossmint::verify(body, &headers, &secret, at(svix_example::TIMESTAMP)).unwrap_err(),
        WebhookError::UndecodablePayload(UndecodablePayload::MissingEventType { field: "type" })
    );
    // And any change to the signed content breaks it.
    let mut changed_id = headers.clone();
    changed_id.insert("svix-id", "msg_p5jXN8AQM9LWM0D4loKWxJel".parse().unwrap());
    assert_eq!(
        crossmint::verify_signature(body, &changed_id, &secret, at(svix_example::TIMESTAMP))
            .unwrap_err(),
        WebhookError::SignatureMismatch
    );
}

/// The Svix reference library's own signing vector: `test_sign` in svix/svix-webhooks
/// `rust/src/webhooks.rs` (`Webhook::new(SECRET).sign(ID, TIMESTAMP, BODY) == SIGNATURE`). Recomputed
/// independently with
/// python3 -c 'import hmac,hashlib,base64; k=base64.b64decode("C2FVsBQIhrscChlQIMV+b5sSYspob7oD");
///   print(base64.b64encode(hmac.new(k, b"msg_27UH4WbU6Z5A5EzD8u03UvzRbpk.1649367553.{\"email\":\"test@example.com\",\"username\":\"test_user\"}",
///   hashlib.sha256).digest()).decode())'
/// which prints the same `tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=`.
#[test]
fn svix_library_signing_vector_verifies() {
    const SECRET: &str = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
    const ID: &str = "msg_27UH4WbU6Z5A5EzD8u03UvzRbpk";
    const TIMESTAMP: u64 = 1_649_367_553;
    const BODY: &str = r#"{"email":"test@example.com","username":"test_user"}"#;
    const SIGNATURE: &str = "v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=";

    let secret = SvixSecret::new(SECRET).unwrap();
    let good = headers(ID, &TIMESTAMP.to_string(), SIGNATURE);
    crossmint::verify_signature(BODY.as_bytes(), &good, &secret, at(TIMESTAMP)).unwrap();
    // One byte more in the body, or another timestamp, and it no longer matches.
    let longer = format!("{BODY} ");
    assert_eq!(
        crossmint::verify_signature(longer.as_bytes(), &good, &secret, at(TIMESTAMP)).unwrap_err(),
        WebhookError::SignatureMismatch
    );
    let later = headers(ID, &(TIMESTAMP + 1).to_string(), SIGNATURE);
    assert_eq!(
        crossmint::verify_signature(BODY.as_bytes(), &later, &secret, at(TIMESTAMP)).unwrap_err(),
        WebhookError::SignatureMismatch
    );
}

#[test]
fn valid_signature_is_accepted_and_the_order_event_decoded() {
    let signature = format!("v1,{PAYMENT_SUCCEEDED_SIGNATURE}");
    let event = verify_at(PAYMENT_SUCCEEDED, &signed(&signature), TS).unwrap();
    let CrossmintEvent::OrdersPaymentSucceeded(succeeded) = &event else {
        panic!("expected OrdersPaymentSucceeded, got {event:?}");
    };
    let order = succeeded.data.as_ref().unwrap();
    assert_eq!(
        order.order_id.as_deref(),
        Some("b2959ca5-65e4-466a-bd26-1bd05cb4f837")
    );
    assert_eq!(order.phase, Some(OrderPhase::Delivery));
    assert_eq!(
        order.payment.as_ref().unwrap().status,
        Some(OrderPaymentStatus::Completed)
    );
    assert_eq!(succeeded.action_id.as_deref(), Some("act_9"));
    assert_eq!(event.to_string(), "orders.payment.succeeded");
    assert_eq!(crossmint::message_id(&signed(&signature)).unwrap(), ID);
}

#[test]
fn any_matching_entry_of_several_accepts() {
    for header in [
        format!("v1,{OTHER_SIGNATURE} v1,{PAYMENT_SUCCEEDED_SIGNATURE}"),
        format!("v1,{PAYMENT_SUCCEEDED_SIGNATURE} v1,{OTHER_SIGNATURE}"),
        // Entries of other versions (Svix's asymmetric `v1a`) are skipped.
        format!("v1a,c29tZXRoaW5nIGVsc2U= v1,{PAYMENT_SUCCEEDED_SIGNATURE}"),
    ] {
        assert!(
            verify_at(PAYMENT_SUCCEEDED, &signed(&header), TS).is_ok(),
            "{header}"
        );
    }
}

#[test]
fn no_matching_entry_is_a_mismatch() {
    for header in [
        format!("v1,{OTHER_SIGNATURE}"),
        format!("v1,{OTHER_SIGNATURE} v1,{USER_CREATED_SIGNATURE}"),
        // Only entries of a version this crate does not check.
        format!("v2,{PAYMENT_SUCCEEDED_SIGNATURE}"),
    ] {
        assert_eq!(
            verify_at(PAYMENT_SUCCEEDED, &signed(&header), TS).unwrap_err(),
            WebhookError::SignatureMismatch,
            "{header}"
        );
    }
}

#[test]
fn tampered_body_is_rejected() {
    let tampered = PAYMENT_SUCCEEDED.replace("\"completed\"", "\"failed\"");
    let signature = format!("v1,{PAYMENT_SUCCEEDED_SIGNATURE}");
    assert_eq!(
        verify_at(&tampered, &signed(&signature), TS).unwrap_err(),
        WebhookError::SignatureMismatch
    );
}

#[test]
fn wrong_secret_is_rejected() {
    let signature = format!("v1,{PAYMENT_SUCCEEDED_SIGNATURE}");
    let error = crossmint::verify(
        PAYMENT_SUCCEEDED.as_bytes(),
        &signed(&signature),
        // The Svix example's secret, not this endpoint's.
        &SvixSecret::new(svix_example::SECRET).unwrap(),
        at(TS),
    )
    .unwrap_err();
    assert_eq!(error, WebhookError::SignatureMismatch);
}

#[test]
fn id_and_timestamp_are_part_of_the_signed_content() {
    let signature = format!("v1,{PAYMENT_SUCCEEDED_SIGNATURE}");
    for headers in [
        headers("msg_2bVgQ1RampkitTesu", "1767225600", &signature),
        headers(ID, "1767225601", &signature),
    ] {
        assert_eq!(
            verify_at(PAYMENT_SUCCEEDED, &headers, TS).unwrap_err(),
            WebhookError::SignatureMismatch
        );
    }
}

#[test]
fn stale_timestamp_is_rejected() {
    let signature = format!("v1,{PAYMENT_SUCCEEDED_SIGNATURE}");
    assert_eq!(
        verify_at(PAYMENT_SUCCEEDED, &signed(&signature), TS + 301).unwrap_err(),
        WebhookError::StaleTimestamp {
            age_secs: 301,
            tolerance_secs: 300
        }
    );
    assert!(verify_at(PAYMENT_SUCCEEDED, &signed(&signature), TS + 300).is_ok());
}

#[test]
fn future_timestamp_is_rejected() {
    let signature = format!("v1,{PAYMENT_SUCCEEDED_SIGNATURE}");
    assert_eq!(
        verify_at(PAYMENT_SUCCEEDED, &signed(&signature), TS - 301).unwrap_err(),
        WebhookError::FutureTimestamp {
            ahead_secs: 301,
            tolerance_secs: 300
        }
    );
    assert!(verify_at(PAYMENT_SUCCEEDED, &signed(&signature), TS - 300).is_ok());
}

#[test]
fn missing_headers_are_named() {
    let signature = format!("v1,{PAYMENT_SUCCEEDED_SIGNATURE}");
    for name in ["svix-id", "svix-timestamp", "svix-signature"] {
        let mut headers = signed(&signature);
        headers.remove(name);
        assert_eq!(
            verify_at(PAYMENT_SUCCEEDED, &headers, TS).unwrap_err(),
            WebhookError::MissingHeader(name)
        );
    }
}

#[test]
fn malformed_signature_header_is_rejected() {
    for bad in [
        // No `<version>,` prefix.
        PAYMENT_SUCCEEDED_SIGNATURE.to_owned(),
        "garbage".to_owned(),
        "v1,".to_owned(),
        ",abc".to_owned(),
        "v1,not base64!".to_owned(),
        // Base64, but not of a 32-byte digest.
        "v1,c2hvcnQ=".to_owned(),
        // Only malformed entries.
        "garbage v1,!!notbase64 v1,c2hvcnQ=".to_owned(),
    ] {
        assert_eq!(
            verify_at(PAYMENT_SUCCEEDED, &signed(&bad), TS).unwrap_err(),
            WebhookError::MalformedHeader("svix-signature"),
            "{bad}"
        );
    }
}

#[test]
fn malformed_timestamp_header_is_rejected() {
    let signature = format!("v1,{PAYMENT_SUCCEEDED_SIGNATURE}");
    for bad in ["abc", "1767225600.0", "-1", "1767225600000000000000"] {
        assert_eq!(
            verify_at(PAYMENT_SUCCEEDED, &headers(ID, bad, &signature), TS).unwrap_err(),
            WebhookError::MalformedHeader("svix-timestamp"),
            "{bad}"
        );
    }
}

#[test]
fn secrets_are_parsed_from_the_console_form() {
    // The bare base64 part is the same key.
    let bare = SvixSecret::new(SECRET.strip_prefix("whsec_").unwrap()).unwrap();
    let signature = format!("v1,{PAYMENT_SUCCEEDED_SIGNATURE}");
    assert!(
        crossmint::verify(
            PAYMENT_SUCCEEDED.as_bytes(),
            &signed(&signature),
            &bare,
            at(TS)
        )
        .is_ok()
    );
    assert!(
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
            .parse::<SvixSecret>()
            .is_ok()
    );
    for bad in [
        "whsec_",
        "",
        "whsec_not*base64",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS",
    ] {
        assert!(
            matches!(
                SvixSecret::new(bad),
                Err(WebhookError::InvalidSecret { .. })
            ),
            "{bad}"
        );
    }
}

#[test]
fn unknown_event_type_is_unsupported_not_an_error() {
    let headers = headers(
        USER_CREATED_ID,
        "1767225600",
        &format!("v1,{USER_CREATED_SIGNATURE}"),
    );
    let event = verify_at(USER_CREATED, &headers, TS).unwrap();
    assert!(
        matches!(&event, CrossmintEvent::Unsupported { event_type } if event_type == "users.created"),
        "{event:?}"
    );
}

#[test]
fn each_order_event_decodes_into_its_variant() {
    let cases: [(&str, IsExpected); 7] = [
        ("orders.quote.created", |e| {
            matches!(e, CrossmintEvent::OrdersQuoteCreated(_))
        }),
        ("orders.quote.updated", |e| {
            matches!(e, CrossmintEvent::OrdersQuoteUpdated(_))
        }),
        ("orders.payment.succeeded", |e| {
            matches!(e, CrossmintEvent::OrdersPaymentSucceeded(_))
        }),
        ("orders.payment.failed", |e| {
            matches!(e, CrossmintEvent::OrdersPaymentFailed(_))
        }),
        ("orders.delivery.initiated", |e| {
            matches!(e, CrossmintEvent::OrdersDeliveryInitiated(_))
        }),
        ("orders.delivery.completed", |e| {
            matches!(e, CrossmintEvent::OrdersDeliveryCompleted(_))
        }),
        ("orders.delivery.failed", |e| {
            matches!(e, CrossmintEvent::OrdersDeliveryFailed(_))
        }),
    ];
    for (event_type, is_expected) in cases {
        let body =
            format!(r#"{{"type":"{event_type}","data":{{"orderId":"o_1","phase":"payment"}}}}"#);
        let event = crossmint::decode(body.as_bytes()).unwrap();
        assert!(is_expected(&event), "{event_type}: {event:?}");
        assert_eq!(event.event_type(), event_type);
    }
}

#[test]
fn a_mistyped_order_member_is_named_by_path() {
    let error = crossmint::decode(
        br#"{"type":"orders.delivery.failed","data":{"lineItems":[{"quote":7}]}}"#,
    )
    .unwrap_err();
    assert_eq!(
        error,
        WebhookError::UndecodablePayload(UndecodablePayload::Mismatch {
            event: "orders.delivery.failed",
            path: ".data.lineItems[0].quote".into(),
            missing_field: None,
        })
    );
}

#[test]
fn a_malformed_entry_does_not_hide_a_valid_v1_entry() {
    // Svix's own libraries skip an entry they cannot read and accept any matching `v1` entry; a sender
    // (or a proxy) adding a broken entry must not make an authentic delivery fail.
    for header in [
        format!("v1,!!notbase64 v1,{PAYMENT_SUCCEEDED_SIGNATURE}"),
        format!("garbage v1,{PAYMENT_SUCCEEDED_SIGNATURE}"),
        format!("v1,{PAYMENT_SUCCEEDED_SIGNATURE} garbage"),
        format!("v1, ,abc v1,c2hvcnQ= v1,{PAYMENT_SUCCEEDED_SIGNATURE}"),
    ] {
        assert!(
            verify_at(PAYMENT_SUCCEEDED, &signed(&header), TS).is_ok(),
            "{header}"
        );
    }
    // A malformed entry beside a well-formed one that does not match is still a mismatch.
    assert_eq!(
        verify_at(
            PAYMENT_SUCCEEDED,
            &signed(&format!("v1,!!notbase64 v1,{OTHER_SIGNATURE}")),
            TS
        )
        .unwrap_err(),
        WebhookError::SignatureMismatch
    );
}

/// The headers under the Standard Webhooks names (<https://www.standardwebhooks.com>), which Svix sends
/// for endpoints configured without its brand.
fn standard_headers(id: &str, timestamp: &str, signature: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert("webhook-id", id.parse().unwrap());
    headers.insert("webhook-timestamp", timestamp.parse().unwrap());
    headers.insert("webhook-signature", signature.parse().unwrap());
    headers
}

#[test]
fn standard_webhooks_header_names_are_accepted() {
    let signature = format!("v1,{PAYMENT_SUCCEEDED_SIGNATURE}");
    let headers = standard_headers(ID, "1767225600", &signature);
    let event = verify_at(PAYMENT_SUCCEEDED, &headers, TS).unwrap();
    assert!(matches!(event, CrossmintEvent::OrdersPaymentSucceeded(_)));
    assert_eq!(crossmint::message_id(&headers).unwrap(), ID);
    // The pairs form of the headers too, in any case.
    let pairs = [
        ("Webhook-Id", ID),
        ("Webhook-Timestamp", "1767225600"),
        ("Webhook-Signature", signature.as_str()),
    ];
    crossmint::verify_signature(PAYMENT_SUCCEEDED.as_bytes(), &pairs, &secret(), at(TS)).unwrap();

    // The same checks apply under these names: signed content, timestamp window, header form.
    assert_eq!(
        verify_at(
            PAYMENT_SUCCEEDED,
            &standard_headers("msg_other", "1767225600", &signature),
            TS
        )
        .unwrap_err(),
        WebhookError::SignatureMismatch
    );
    assert_eq!(
        verify_at(PAYMENT_SUCCEEDED, &headers, TS + 301).unwrap_err(),
        WebhookError::StaleTimestamp {
            age_secs: 301,
            tolerance_secs: 300
        }
    );
    assert_eq!(
        verify_at(
            PAYMENT_SUCCEEDED,
            &standard_headers(ID, "abc", &signature),
            TS
        )
        .unwrap_err(),
        WebhookError::MalformedHeader("webhook-timestamp")
    );
    assert_eq!(
        verify_at(
            PAYMENT_SUCCEEDED,
            &standard_headers(ID, "1767225600", "garbage"),
            TS
        )
        .unwrap_err(),
        WebhookError::MalformedHeader("webhook-signature")
    );
    // A missing header is named in the family the delivery uses.
    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        let mut headers = headers.clone();
        headers.remove(name);
        assert_eq!(
            verify_at(PAYMENT_SUCCEEDED, &headers, TS).unwrap_err(),
            WebhookError::MissingHeader(name)
        );
    }
    // No header of either family: the Svix names, as Crossmint documents them.
    assert_eq!(
        verify_at(PAYMENT_SUCCEEDED, &HeaderMap::new(), TS).unwrap_err(),
        WebhookError::MissingHeader("svix-id")
    );
}

#[test]
fn svix_names_win_over_standard_names() {
    // Both present (a proxy copying headers): the `svix-*` value is the one checked, as in Svix's libraries.
    let signature = format!("v1,{PAYMENT_SUCCEEDED_SIGNATURE}");
    let mut headers = signed(&signature);
    headers.insert("webhook-id", "msg_other".parse().unwrap());
    headers.insert(
        "webhook-signature",
        format!("v1,{OTHER_SIGNATURE}").parse().unwrap(),
    );
    assert!(verify_at(PAYMENT_SUCCEEDED, &headers, TS).is_ok());
    assert_eq!(crossmint::message_id(&headers).unwrap(), ID);
}
