//! kriptomat: the rest of the documented surface — the widget init call and the webhook payloads.
//!
//! Widget: https://developer.kriptomat.io/docs/widget.html/widget-configuration and
//! https://developer.kriptomat.io/docs/widget.html/webhooks. Partner webhooks:
//! https://developer.kriptomat.io/docs/whitelabel-api-fiat-onramp-offramp-via-bank-wire/webhooks-and-websockets.
//!
//! The vendor's examples (`tests/fixtures/wire/kriptomat/*.jsonc`) are kept exactly as printed, including
//! what is not JSON (a trailing comma after the last member, `//` comments); `vendor_text_json` removes
//! only those two things before parsing.

use std::collections::HashMap;

use httpmock::{Method::POST, MockServer};
use rampkit_kriptomat::{Client, KriptomatAuth, Pii, types};

use super::common::{Endpoint, Expect, assert_json_eq, fixture, vendor_json};
use super::kriptomat::{ACCEPT_JSON, JSON_BODY};

/// The widget key of the vendor's examples.
const WIDGET_TOKEN: &str = "6a7d2e91d4cff64939450c74001da4f24fbabd2abae8b2fc1c79a561da9de14a";

/// Removes what the vendor prints but JSON does not allow — `//` comments and a comma before `}` or `]` —
/// outside string literals (so `https://` inside a value stays), then parses the rest.
fn vendor_text_json(text: &str) -> serde_json::Value {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        } else if c == ',' {
            let mut j = i + 1;
            let next = loop {
                match chars.get(j) {
                    Some(w) if w.is_whitespace() => j += 1,
                    Some('/') if chars.get(j + 1) == Some(&'/') => {
                        while j < chars.len() && chars[j] != '\n' {
                            j += 1;
                        }
                    }
                    other => break other.copied(),
                }
            };
            if !matches!(next, Some('}' | ']')) {
                out.push(c);
            }
        } else {
            out.push(c);
        }
        i += 1;
    }
    vendor_json(&out)
}

/// The vendor example as the bytes a server would actually send (valid JSON).
fn served(text: &str) -> String {
    vendor_text_json(text).to_string()
}

#[test]
fn vendor_text_json_strips_only_comments_and_trailing_commas() {
    assert_eq!(
        vendor_text_json(
            r#"{"a": "https://x//y", // note
        "b": [1, 2,], "c": "\"//\"",}"#
        ),
        serde_json::json!({"a": "https://x//y", "b": [1, 2], "c": "\"//\""})
    );
}

fn widget_client(server: &MockServer) -> Client {
    // No bearer: the widget key travels in the body.
    Client::new(&server.base_url(), KriptomatAuth::new())
}

/// The widget init call: a JSON body and no bearer, answered with the vendor's response example.
async fn widget_init(server: &MockServer) -> Endpoint<'_> {
    let answer = served(fixture("kriptomat/init_widget.200.jsonc"));
    Expect::new(POST, "/widget/init")
        .headers(&[JSON_BODY, ACCEPT_JSON])
        .absent(&["authorization"])
        .answer(&answer)
        .start(server)
        .await
}

#[tokio::test]
async fn init_widget_sends_the_widget_configuration_example() {
    let server = MockServer::start_async().await;
    let endpoint = widget_init(&server).await;

    let request = types::WidgetInitRequest::new(HashMap::new(), Pii::from(WIDGET_TOKEN))
        .with_asset_type("eth".to_owned())
        .with_to_address(Pii::from("0x7873ce9E57c6aEEA16aD6AE759CE955736f14e96"))
        .with_amount(35.0)
        .with_amount_type(types::WidgetAmountType::Fiat);
    let response = widget_client(&server)
        .init_widget(&request)
        .await
        .unwrap()
        .into_inner();

    assert_json_eq(
        &endpoint.received_body().await,
        &vendor_text_json(fixture("kriptomat/init_widget.request.jsonc")),
    );
    assert_eq!(
        response.status.as_deref(),
        Some("true"),
        "a string, not a boolean"
    );
    assert_eq!(
        response.data.and_then(|d| d.url).as_deref(),
        Some(
            "https://widget.kriptomat.io/?to_address=1DJ4N7mdUazDvrDe3H5eeRJtoXuAUSbTWy&amount=35&asset_type=eth&uuid=c472856c-d248-4e53-ae49-1d2f088cb732"
        )
    );
}

#[tokio::test]
async fn init_widget_sends_custom_fields_as_flat_keys() {
    let server = MockServer::start_async().await;
    let endpoint = widget_init(&server).await;

    let request = types::WidgetInitRequest::new(
        HashMap::from([
            ("additional_fields[0]".to_owned(), "userId".to_owned()),
            (
                "additional_fields[1]".to_owned(),
                "TransactionId".to_owned(),
            ),
        ]),
        Pii::from(WIDGET_TOKEN),
    )
    .with_asset_type("eth".to_owned())
    .with_to_address(Pii::from("0x7873ce9E57c6aEEA16aD6AE759CE955736f14e96"))
    .with_amount(35.0)
    .with_amount_type(types::WidgetAmountType::Fiat)
    .with_webhook_url("https://yourDomain.com".to_owned());
    let response = widget_client(&server)
        .init_widget(&request)
        .await
        .unwrap()
        .into_inner();

    assert_json_eq(
        &endpoint.received_body().await,
        &vendor_text_json(fixture("kriptomat/init_widget.request.webhook.jsonc")),
    );
    assert_eq!(response.status.as_deref(), Some("true"));
    let url = response.data.and_then(|d| d.url).expect("data.url");
    assert!(
        url.ends_with("uuid=c472856c-d248-4e53-ae49-1d2f088cb732"),
        "{url}"
    );
}

#[test]
fn init_widget_request_debug_redacts_the_widget_key() {
    let request = types::WidgetInitRequest::new(HashMap::new(), Pii::from(WIDGET_TOKEN));
    let debug = format!("{request:?}");
    assert!(!debug.contains(WIDGET_TOKEN), "{debug}");
    assert!(debug.contains("[redacted]"), "{debug}");
}

#[test]
fn exchange_buy_webhook_decodes_the_vendor_example() {
    let event: types::ExchangeBuyWebhook = serde_json::from_value(vendor_text_json(fixture(
        "kriptomat/webhook.exchange_buy.jsonc",
    )))
    .unwrap();

    assert_eq!(event.id, Some(58463));
    assert_eq!(event.type_, Some(types::ExchangeOrderType::Buy));
    assert_eq!(event.amount, Some(0.0623414132));
    assert_eq!(event.pair.as_deref(), Some("btceur"));
    assert_eq!(event.price, Some(2341.67));
    assert_eq!(
        event.date.as_deref(),
        Some("2018-11-27T13:46:22.658"),
        "kept as printed, no zone"
    );
    assert_eq!(event.state, Some(types::ExchangeOrderState::Success));
    assert_eq!(event.fee, Some(2.0));
    assert_eq!(event.subtotal, Some(98.0));
    assert_eq!(event.total, Some(100.0));

    // A state the page does not list still decodes.
    let mut unknown = vendor_text_json(fixture("kriptomat/webhook.exchange_buy.jsonc"));
    unknown["state"] = "CANCELLED".into();
    let event: types::ExchangeBuyWebhook = serde_json::from_value(unknown).unwrap();
    let state = event.state.expect("state");
    assert_eq!(
        state,
        types::ExchangeOrderState::Unknown("CANCELLED".to_owned())
    );
    assert!(state.is_unknown());
    assert_eq!(state.as_str(), "CANCELLED");
}

#[test]
fn exchange_sell_webhook_decodes_the_vendor_example() {
    let event: types::ExchangeSellWebhook = serde_json::from_value(vendor_text_json(fixture(
        "kriptomat/webhook.exchange_sell.jsonc",
    )))
    .unwrap();

    assert_eq!(event.id, Some(58463));
    assert_eq!(event.type_, Some(types::ExchangeOrderType::Sell));
    assert_eq!(event.amount, Some(0.0623414132));
    assert_eq!(event.pair.as_deref(), Some("btceur"));
    assert_eq!(event.price, Some(2341.67));
    assert_eq!(event.date.as_deref(), Some("2018-11-27T13:46:22.658"));
    assert_eq!(event.state, Some(types::ExchangeOrderState::Success));
    assert_eq!(event.fee, Some(2.0));
    assert_eq!(event.subtotal, Some(99.0), "the vendor's figure");
    assert_eq!(event.total, Some(100.0));

    // An order side the page does not list still decodes.
    let mut unknown = vendor_text_json(fixture("kriptomat/webhook.exchange_sell.jsonc"));
    unknown["type"] = "SWAP".into();
    let event: types::ExchangeSellWebhook = serde_json::from_value(unknown).unwrap();
    let side = event.type_.expect("type");
    assert_eq!(side, types::ExchangeOrderType::Unknown("SWAP".to_owned()));
    assert!(side.is_unknown());
    assert_eq!(side.as_str(), "SWAP");
}

#[test]
fn kyc_status_webhook_decodes_the_vendor_example() {
    let event: types::KycStatusWebhook = serde_json::from_value(vendor_text_json(fixture(
        "kriptomat/webhook.kyc_status.jsonc",
    )))
    .unwrap();

    assert_eq!(event.user_id, Some(34693));
    let status = event.status.expect("status");
    assert_eq!(
        status.applicant_id.as_deref(),
        Some("5b4f1f930a975a1dd7213c1b")
    );
    assert_eq!(status.review_status.as_deref(), Some("completed"));
    assert_eq!(status.notification_failure_cnt, Some(0));
    assert_eq!(
        status.create_date.as_deref(),
        Some("2018-07-18 11:08:30+0000")
    );
    assert_eq!(
        status.review_date.as_deref(),
        Some("2018-07-18 11:27:53+0000")
    );
    assert_eq!(
        status.start_date.as_deref(),
        Some("2018-07-18 11:26:58+0000")
    );
    let review = status.review_result.expect("reviewResult");
    assert_eq!(review.review_answer, Some(types::KycReviewAnswer::Red));
    assert_eq!(review.reject_labels, ["UNSATISFACTORY_PHOTOS"]);
    assert_eq!(review.review_reject_type.as_deref(), Some("RETRY"));
    assert_eq!(
        review.moderation_comment.as_ref().map(Pii::expose_str),
        Some("")
    );
    assert_eq!(
        review.client_comment.as_ref().map(Pii::expose_str),
        Some("Please take and upload a photo of yourself holding your proof of identity.")
    );

    assert_eq!(event.document_status.len(), 2);
    let passport = &event.document_status[0];
    assert_eq!(passport.id_doc_type.as_deref(), Some("PASSPORT"));
    assert_eq!(
        passport
            .review_result
            .as_ref()
            .and_then(|r| r.review_answer.clone()),
        Some(types::KycReviewAnswer::Green)
    );
    let selfie = &event.document_status[1];
    assert_eq!(selfie.id_doc_type.as_deref(), Some("SELFIE"));
    let selfie_review = selfie.review_result.as_ref().expect("reviewResult");
    assert_eq!(
        selfie_review.review_answer,
        Some(types::KycReviewAnswer::Red)
    );
    assert_eq!(
        selfie_review
            .moderation_comment
            .as_ref()
            .map(Pii::expose_str),
        Some("Please take and upload a photo of yourself holding your proof of identity.\n\n")
    );

    // A review answer the page does not list still decodes.
    let mut unknown = vendor_text_json(fixture("kriptomat/webhook.kyc_status.jsonc"));
    unknown["status"]["reviewResult"]["reviewAnswer"] = "YELLOW".into();
    let event: types::KycStatusWebhook = serde_json::from_value(unknown).unwrap();
    let answer = event
        .status
        .and_then(|s| s.review_result)
        .and_then(|r| r.review_answer)
        .expect("reviewAnswer");
    assert_eq!(answer, types::KycReviewAnswer::Unknown("YELLOW".to_owned()));
    assert!(answer.is_unknown());
    assert_eq!(answer.as_str(), "YELLOW");
}

#[test]
fn widget_postback_decodes_the_vendor_example() {
    let event: types::WidgetPostbackWebhook = serde_json::from_value(vendor_text_json(fixture(
        "kriptomat/webhook.widget_postback.jsonc",
    )))
    .unwrap();

    assert_eq!(event.uuid.as_deref(), Some("uuid"));
    assert_eq!(event.amount, Some(0.5), "a number");
    assert_eq!(event.asset_type.as_deref(), Some("eth"));
    assert_eq!(event.fiat_amount.as_deref(), Some("200"), "a string");
    assert_eq!(
        event.to_address.as_ref().map(Pii::expose_str),
        Some("0x7873ce9E57c6aEEA16aD6AE759CE955736f14e96")
    );
    assert_eq!(event.network, None, "not in the vendor example");
    assert_eq!(event.extra.len(), 2, "{:?}", event.extra);
    assert_eq!(
        *event.extra["additional_fields[0]"].expose(),
        "customContent1"
    );
    assert_eq!(
        *event.extra["additional_fields[1]"].expose(),
        "customContent2"
    );
}
