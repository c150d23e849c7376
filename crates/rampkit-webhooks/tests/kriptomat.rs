//! Kriptomat: no signature is documented, so only decoding (by shape) is tested.

use rampkit_kriptomat::types::{ExchangeOrderState, ExchangeOrderType, KycReviewAnswer};
use rampkit_webhooks::{KriptomatEvent, UndecodablePayload, WebhookError, kriptomat};

/// The vendor's "Exchange buy" example (as in specs/kriptomat.yaml).
const EXCHANGE_BUY: &str = r#"{"id":58463,"type":"BUY","amount":0.0623414132,"pair":"btceur","price":2341.67,"date":"2018-11-27T13:46:22.658","state":"SUCCESS","fee":2.00,"subtotal":98.00,"total":100.00}"#;

/// The vendor's "Kyc Statuses" example (as in specs/kriptomat.yaml).
const KYC_STATUS: &str = r#"{
  "user_id": 34693,
  "status": {
    "createDate": "2018-07-18 11:08:30+0000",
    "reviewDate": "2018-07-18 11:27:53+0000",
    "startDate": "2018-07-18 11:26:58+0000",
    "reviewResult": {
      "moderationComment": "",
      "clientComment": "Please take and upload a photo of yourself holding your proof of identity.",
      "reviewAnswer": "RED",
      "rejectLabels": ["UNSATISFACTORY_PHOTOS"],
      "reviewRejectType": "RETRY"
    },
    "reviewStatus": "completed",
    "notificationFailureCnt": 0,
    "applicantId": "5b4f1f930a975a1dd7213c1b"
  },
  "documentStatus": [
    {"idDocType": "PASSPORT", "reviewResult": {"moderationComment": "", "clientComment": "", "reviewAnswer": "GREEN"}}
  ]
}"#;

/// The vendor's widget postback example (as in specs/kriptomat.yaml).
const WIDGET_POSTBACK: &str = r#"{"uuid":"uuid","amount":0.5,"asset_type":"eth","fiat_amount":"200","to_address":"0x7873ce9E57c6aEEA16aD6AE759CE955736f14e96","additional_fields[0]":"customContent1","additional_fields[1]":"customContent2"}"#;

#[test]
fn exchange_buy_and_sell_are_told_apart_by_type() {
    let event = kriptomat::decode(EXCHANGE_BUY.as_bytes()).unwrap();
    let KriptomatEvent::ExchangeBuy(buy) = &event else {
        panic!("expected ExchangeBuy, got {event:?}");
    };
    assert_eq!(buy.id, Some(58463));
    assert_eq!(buy.type_, Some(ExchangeOrderType::Buy));
    assert_eq!(buy.state, Some(ExchangeOrderState::Success));
    assert_eq!(event.to_string(), "Exchange buy");

    let sell = EXCHANGE_BUY.replace("\"BUY\"", "\"SELL\"");
    let event = kriptomat::decode(sell.as_bytes()).unwrap();
    assert!(
        matches!(&event, KriptomatEvent::ExchangeSell(s) if s.type_ == Some(ExchangeOrderType::Sell)),
        "{event:?}"
    );
}

#[test]
fn kyc_status_is_recognised_by_user_id_and_status_object() {
    let event = kriptomat::decode(KYC_STATUS.as_bytes()).unwrap();
    let KriptomatEvent::KycStatus(kyc) = &event else {
        panic!("expected KycStatus, got {event:?}");
    };
    assert_eq!(kyc.user_id, Some(34693));
    let review = kyc.status.as_ref().unwrap().review_result.as_ref().unwrap();
    assert_eq!(review.review_answer, Some(KycReviewAnswer::Red));
    assert_eq!(
        kyc.document_status[0]
            .review_result
            .as_ref()
            .unwrap()
            .review_answer,
        Some(KycReviewAnswer::Green)
    );
}

#[test]
fn widget_postback_is_recognised_by_uuid() {
    let event = kriptomat::decode(WIDGET_POSTBACK.as_bytes()).unwrap();
    let KriptomatEvent::WidgetPostback(postback) = &event else {
        panic!("expected WidgetPostback, got {event:?}");
    };
    assert_eq!(postback.uuid.as_deref(), Some("uuid"));
    assert_eq!(
        postback.extra["additional_fields[0]"].expose(),
        "customContent1"
    );
    assert_eq!(
        kriptomat::WIDGET_POSTBACK_SENDER_IP.to_string(),
        "174.138.2.203"
    );
}

#[test]
fn unknown_type_is_unsupported_not_an_error() {
    let event = kriptomat::decode(br#"{"id":1,"type":"WITHDRAWAL","state":"PENDING"}"#).unwrap();
    assert!(
        matches!(&event, KriptomatEvent::Unsupported { event_type } if event_type == "WITHDRAWAL"),
        "{event:?}"
    );
}

#[test]
fn an_undocumented_shape_is_unrecognized_with_member_names_only() {
    let event = kriptomat::decode(
        br#"{"bank_account_id":12,"iban":"DE89370400440532013000","weird key!":1}"#,
    )
    .unwrap();
    let KriptomatEvent::Unrecognized { members } = &event else {
        panic!("expected Unrecognized, got {event:?}");
    };
    assert_eq!(members, &["bank_account_id", "iban", "*"]);
    assert!(!format!("{event:?}").contains("DE89"));
}

#[test]
fn a_documented_shape_with_a_mistyped_member_is_undecodable() {
    assert_eq!(
        kriptomat::decode(br#"{"type":"BUY","id":"58463"}"#).unwrap_err(),
        WebhookError::UndecodablePayload(UndecodablePayload::Mismatch {
            event: "Exchange buy",
            path: ".id".into(),
            missing_field: None,
        })
    );
    assert_eq!(
        kriptomat::decode(b"").unwrap_err(),
        WebhookError::UndecodablePayload(UndecodablePayload::NotJson { line: 1, column: 0 })
    );
}
