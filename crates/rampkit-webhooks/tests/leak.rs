//! Secrets, signatures and personal values planted in deliveries must not appear in the `Display` or
//! `Debug` of any event or error this crate returns, on the accepting path or any rejecting one.

use std::fmt::{Debug, Display};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rampkit_webhooks::{
    SecretString, SvixSecret, WebhookError, crossmint, cryptopocket, kriptomat, leap,
};

const CP_SECRET: &str = "cp_sk_test_9f8e7d6c5b4a";
const SVIX_SECRET: &str = "whsec_cmFtcGtpdC1zdml4LXRlc3Qta2V5LTAxMjM0NTY3ODk=";
const SVIX_KEY: &str = "rampkit-svix-test-key-0123456789";
const LEAP_SECRET: &str = "leap-shared-secret-test";

/// Everything planted: secrets, signatures sent, and personal values inside bodies and headers.
const PLANTED: &[&str] = &[
    CP_SECRET,
    "cmFtcGtpdC1zdml4LXRlc3Qta2V5LTAxMjM0NTY3ODk",
    SVIX_KEY,
    LEAP_SECRET,
    "c1c000036b15b2c5615e180baee12003237ecb01d658ff1b5366d5c5be1aa279",
    "6AW8gz8SGcw4DtJWZYYX7tcjt7U1fL30CeYoVVGi",
    "ZKApPSE9o5LfAq+cL6MozTAycVpVU9h7hAXDMRcVIpI",
    "PLANTED-SESSION-7d1f",
    "planted.person@example.com",
    "Planted Sender Name",
    "+5215512345678",
    "ES9121000418450200051332",
    "Planted Header Value",
];

const TS: u64 = 1_767_225_600;

fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

fn printed<T: Debug + Display>(result: &Result<T, WebhookError>) -> String {
    match result {
        Ok(event) => format!("{event}\n{event:?}\n{event:#?}"),
        Err(error) => {
            assert!(std::error::Error::source(error).is_none());
            format!("{error}\n{error:?}\n{error:#?}")
        }
    }
}

fn assert_clean(what: &str, printed: &str) {
    for planted in PLANTED {
        assert!(
            !printed.contains(planted),
            "{what} shows {planted}: {printed}"
        );
    }
}

#[test]
fn cryptopocket_events_and_errors_show_nothing_planted() {
    let secret = SecretString::from(CP_SECRET.to_owned());
    let pay_in =
        r#"{"type":"PAY_IN","id":"wh_01","payment_id":"pay_7Hq2","status":"payment_received"}"#;
    let good = "c1c000036b15b2c5615e180baee12003237ecb01d658ff1b5366d5c5be1aa279";
    let verify = |body: &str, signature: &str, timestamp: &str, secret: &SecretString, now: u64| {
        let headers = [("X-Signature", signature), ("X-Timestamp", timestamp)];
        cryptopocket::verify(body.as_bytes(), &headers, secret, at(now))
    };
    let cases = [
        ("accepted", verify(pay_in, good, "1767225600", &secret, TS)),
        (
            "tampered",
            verify(
                &pay_in.replace("wh_01", "wh_02"),
                good,
                "1767225600",
                &secret,
                TS,
            ),
        ),
        (
            "wrong secret",
            verify(
                pay_in,
                good,
                "1767225600",
                &SecretString::from(format!("{CP_SECRET}x")),
                TS,
            ),
        ),
        (
            "stale",
            verify(pay_in, good, "1767225600", &secret, TS + 999),
        ),
        (
            "future",
            verify(pay_in, good, "1767225600", &secret, TS - 999),
        ),
        (
            "malformed signature",
            verify(pay_in, "Planted Header Value", "1767225600", &secret, TS),
        ),
        (
            "malformed timestamp",
            verify(pay_in, good, "Planted Header Value", &secret, TS),
        ),
        (
            "empty secret",
            verify(
                pay_in,
                good,
                "1767225600",
                &SecretString::from(String::new()),
                TS,
            ),
        ),
    ];
    for (what, result) in &cases {
        assert_clean(what, &printed(result));
    }
    let decoded = [
        r#"{"type":"KYC_APPROVED","email":"planted.person@example.com"}"#,
        r#"{"type":"PAY_IN","payment_id":{"iban":"ES9121000418450200051332"}}"#,
        r#"{"type":"PAY_IN","status":["planted.person@example.com"]}"#,
        r#"{"type":"PAY_IN","id":"planted.person@example.com""#,
        r#"{"type":{"name":"Planted Sender Name"}}"#,
    ];
    for body in decoded {
        assert_clean(body, &printed(&cryptopocket::decode(body.as_bytes())));
    }
}

#[test]
fn crossmint_events_errors_and_secret_show_nothing_planted() {
    let secret = SvixSecret::new(SVIX_SECRET).unwrap();
    assert_clean("SvixSecret", &format!("{secret:?} {secret:#?}"));
    let order = r#"{"type":"orders.payment.succeeded","actionId":"act_9","data":{"orderId":"b2959ca5-65e4-466a-bd26-1bd05cb4f837","phase":"delivery","payment":{"status":"completed","currency":"usdc","preparation":{"checkoutcomPaymentSession":"PLANTED-SESSION-7d1f"}}}}"#;
    let good = "v1,6AW8gz8SGcw4DtJWZYYX7tcjt7U1fL30CeYoVVGi/OI=";
    let verify = |body: &str, id: &str, signature: &str, now: u64| {
        let headers = [
            ("svix-id", id),
            ("svix-timestamp", "1767225600"),
            ("svix-signature", signature),
        ];
        crossmint::verify(body.as_bytes(), &headers, &secret, at(now))
    };
    let accepted = verify(order, "msg_2bVgQ1RampkitTest", good, TS);
    assert!(matches!(
        accepted,
        Ok(rampkit_webhooks::CrossmintEvent::OrdersPaymentSucceeded(_))
    ));
    let cases = [
        ("accepted", accepted),
        (
            "tampered",
            verify(
                &order.replace("act_9", "act_8"),
                "msg_2bVgQ1RampkitTest",
                good,
                TS,
            ),
        ),
        ("other id", verify(order, "Planted Header Value", good, TS)),
        (
            "stale",
            verify(order, "msg_2bVgQ1RampkitTest", good, TS + 999),
        ),
        (
            "future",
            verify(order, "msg_2bVgQ1RampkitTest", good, TS - 999),
        ),
        (
            "malformed",
            verify(
                order,
                "msg_2bVgQ1RampkitTest",
                "v1,Planted Header Value",
                TS,
            ),
        ),
    ];
    for (what, result) in &cases {
        assert_clean(what, &printed(result));
    }
    let invalid = SvixSecret::new("whsec_Planted Header Value").map(|_| "unreachable");
    assert_clean("invalid secret", &printed(&invalid));
    let decoded = [
        r#"{"type":"users.created","data":{"email":"planted.person@example.com"}}"#,
        r#"{"type":"orders.payment.failed","data":{"orderId":{"email":"planted.person@example.com"}}}"#,
        r#"{"type":"orders.payment.failed","data":{"payment":{"preparation":{"checkoutcomPaymentSession":["PLANTED-SESSION-7d1f"]}}}}"#,
    ];
    for body in decoded {
        assert_clean(body, &printed(&crossmint::decode(body.as_bytes())));
    }
}

#[test]
fn leap_events_and_errors_show_nothing_planted() {
    let secret = SecretString::from(LEAP_SECRET.to_owned());
    let update = r#"{"status":"Completed","operationId":"op_55","sender":{"name":"Planted Sender Name"},"recipient":{"phone":"+5215512345678"}}"#;
    let good = "ZKApPSE9o5LfAq+cL6MozTAycVpVU9h7hAXDMRcVIpI=";
    let verify = |body: &str, signature: &str, secret: &SecretString| {
        leap::verify(body.as_bytes(), &[("x-raas-signature", signature)], secret)
    };
    let accepted = verify(update, good, &secret);
    assert!(matches!(
        accepted,
        Ok(rampkit_webhooks::LeapEvent::OperationStatusUpdate(_))
    ));
    let cases = [
        ("accepted", accepted),
        (
            "tampered",
            verify(&update.replace("op_55", "op_56"), good, &secret),
        ),
        (
            "wrong secret",
            verify(update, good, &SecretString::from(format!("{LEAP_SECRET}x"))),
        ),
        ("malformed", verify(update, "Planted Header Value", &secret)),
        (
            "empty secret",
            verify(update, good, &SecretString::from(String::new())),
        ),
    ];
    for (what, result) in &cases {
        assert_clean(what, &printed(result));
    }
    let decoded = [
        r#"{"eventType":"transfer_outcome","recipient":"Planted Sender Name"}"#,
        r#"{"eventType":"request_money_full_outcome","correlationId":["+5215512345678"],"status":"Failed","date":"d"}"#,
        r#"{"eventType":"request_money_full_outcome","correlationId":"c","status":"Failed","date":"d","reason":{"n":"Planted Sender Name"}}"#,
    ];
    for body in decoded {
        assert_clean(body, &printed(&leap::decode(body.as_bytes())));
    }
}

#[test]
fn kriptomat_errors_and_unrecognized_events_show_nothing_planted() {
    let decoded = [
        r#"{"iban":"ES9121000418450200051332","holder":"Planted Sender Name"}"#,
        r#"{"type":"BUY","pair":{"iban":"ES9121000418450200051332"}}"#,
        r#"{"user_id":1,"status":{"applicantId":["planted.person@example.com"]}}"#,
        r#"{"uuid":"u","amount":"planted.person@example.com"}"#,
        r#"{"type":"DEPOSIT","email":"planted.person@example.com"}"#,
        // The custom fields echoed back by the widget are free-form: redacted like every Pii.
        r#"{"uuid":"u","asset_type":"eth","additional_fields[0]":"planted.person@example.com"}"#,
    ];
    for body in decoded {
        assert_clean(body, &printed(&kriptomat::decode(body.as_bytes())));
    }
}
