//! cryptopocket: the rest of the documented surface — assets and quote, on-ramp payments, off-ramp,
//! bank-account transactions, webhook subscriptions and webhook payloads.
//! https://api-doc.cryptopocket.io
//!
//! Success paths only (`.await.unwrap().into_inner()`): the error type of the client methods is being
//! reworked elsewhere.

use httpmock::{Method::POST, MockServer};
use rampkit_cryptopocket::{Pii, types};

use super::common::{Expect, fixture};
use super::cryptopocket::{client, client_with, get, post};

/// The token the vendor's webhook examples send in `auth`
/// (https://api-doc.cryptopocket.io/webhook-event-subscribe-4200047e0).
const VENDOR_EXAMPLE_TOKEN: &str = "b87bsdf8hdsj9fh9sd78fubsdoiufbj";

// ---------------------------------------------------------------------------------------------------
// Get Available Assets
// ---------------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_available_assets_sends_the_token_and_no_body() {
    let server = MockServer::start_async().await;
    let endpoint = get("/available-assets")
        .answer(fixture("cryptopocket/get_available_assets.200.json"))
        .start(&server)
        .await;

    let response = client(&server)
        .get_available_assets()
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(response.status, Some(types::ResponseStatus::Ok));
    let assets = response.data.expect("data").into_exposed();
    assert_eq!(assets[0]["symbol"], "USDC");
    assert_eq!(assets[1]["chain"], "bsc");
}

// ---------------------------------------------------------------------------------------------------
// Get Quote (on-ramp)
// ---------------------------------------------------------------------------------------------------

/// Query parameters from the parameter table of the integration guide (`amount`, `symbol`, `chain`,
/// `payment_type`, with the guide's values `USDC`, `polygon`, `card`); the vendor shows no example URL.
#[tokio::test]
async fn get_quote_sends_the_guide_query_parameters() {
    let server = MockServer::start_async().await;
    let endpoint = get("/quote")
        .query(&[
            ("amount", "100.5"),
            ("symbol", "USDC"),
            ("chain", "polygon"),
            ("payment_type", "card"),
        ])
        .answer(fixture("cryptopocket/get_quote.200.json"))
        .start(&server)
        .await;

    let response = client(&server)
        .get_quote(100.5, "card", "USDC")
        .chain("polygon")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(response.status, Some(types::ResponseStatus::Ok));
    assert_eq!(response.data.expect("data").expose()["tokens"], 98.7);
}

// ---------------------------------------------------------------------------------------------------
// Create Payment Intend
// ---------------------------------------------------------------------------------------------------

fn create_payment_request() -> types::CreatePaymentRequest {
    types::CreatePaymentRequest::new(
        "USDC",
        240.0,
        "EUR",
        106,
        "0xB51b2ce243bb1F88880bC8D287EBbfd7F695Ac55",
    )
    .with_external_id("23232323231")
    .with_coin_chain("polygon")
}

#[tokio::test]
async fn create_payment_sends_the_vendor_example_and_reads_transfer_instructions() {
    let server = MockServer::start_async().await;
    let endpoint = post("/createPayment")
        .answer(fixture("cryptopocket/create_payment.200.transfer.json"))
        .start(&server)
        .await;

    let response = client(&server)
        .create_payment(&create_payment_request())
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("cryptopocket/create_payment.request.json"))
        .await;
    // The misspelled status is a known value, not an unknown one.
    assert_eq!(response.status, types::ResponseStatus::Sucess);
    assert_eq!(response.message.as_deref(), Some("payment_created"));
    assert_eq!(response.error, None);
    let data: types::CreatePaymentData =
        serde_json::from_value(response.data.expect("data").into_exposed()).unwrap();
    assert_eq!(
        data.payment_id.as_deref(),
        Some("Fx1ZjLOkQGdPHr1u8Rsy9JvTh")
    );
    assert_eq!(
        data.iban.as_ref().map(Pii::expose_str),
        Some("ES6867130002530016234794")
    );
    assert_eq!(data.bic.as_deref(), Some("PFSSESM1XXX"));
    assert_eq!(data.concept, Some(120037));
    assert_eq!(
        data.destination_name.as_deref(),
        Some("Fintech Payments, S.L")
    );
    assert_eq!(data.url_payment, None);
    let debug = format!("{data:?}");
    assert!(!debug.contains("ES6867130002530016234794"), "{debug}");
}

#[tokio::test]
async fn create_payment_sends_the_older_latam_example_and_reads_the_payment_url() {
    let server = MockServer::start_async().await;
    let endpoint = post("/createPayment")
        .answer(fixture("cryptopocket/create_payment.200.card.json"))
        .start(&server)
        .await;

    let request = {
        let mut value = create_payment_request();
        value.payment_type = Some("KHIPU".into());
        value.fiat_symbol = "ARS".into();
        value.coin_symbol = "ETH".into();
        value
    };
    let response = client(&server)
        .create_payment(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture(
            "cryptopocket/create_payment.request.older_docs.json",
        ))
        .await;
    assert_eq!(response.status, types::ResponseStatus::Success);
    let data: types::CreatePaymentData =
        serde_json::from_value(response.data.expect("data").into_exposed()).unwrap();
    assert_eq!(
        data.payment_id.as_deref(),
        Some("9NM6ICl2KDaUiMtkDm4JSTqdQ")
    );
    assert_eq!(
        data.url_payment.as_ref().map(Pii::expose_str),
        Some(
            "https://demo.cryptopocket.io/gateway/psd2?token=cef81d38-aa31-4f2d-a227-66b1cede5f61"
        )
    );
    assert_eq!(data.iban, None);
    let debug = format!("{data:?}");
    assert!(!debug.contains("cef81d38"), "{debug}");
}

/// Decoded directly, not through the client: with HTTP 200 this is a business error, which the client
/// reports as an error (a path these success-path tests leave alone). It checks why the envelope keeps
/// `data` untyped — a typed `data` object would not decode this body at all.
#[test]
fn create_payment_require_kyc_body_with_a_string_data_decodes() {
    let response: types::CreatePaymentResponse =
        serde_json::from_str(fixture("cryptopocket/create_payment.200.require_kyc.json")).unwrap();
    assert_eq!(response.status, types::ResponseStatus::Error);
    assert_eq!(response.error, Some(types::ErrorCode::RequireKyc));
    assert_eq!(
        response.data.as_ref().and_then(|d| d.expose().as_str()),
        Some("https://kyc.example.com/form/3f0c6a52")
    );
}

// ---------------------------------------------------------------------------------------------------
// Create guided payment intent
// ---------------------------------------------------------------------------------------------------

#[tokio::test]
async fn create_guided_payment_sends_the_operation_page_example() {
    let server = MockServer::start_async().await;
    let endpoint = post("/createGuidedPayment")
        .answer(fixture("cryptopocket/create_guided_payment.200.json"))
        .start(&server)
        .await;

    let request = types::CreateGuidedPaymentRequest::new("polygon", "USDC", 240.0, 106)
        .with_fiat_symbol("EUR")
        .with_external_id("23232323231");
    let response = client(&server)
        .create_guided_payment(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("cryptopocket/create_guided_payment.request.json"))
        .await;
    assert_eq!(response.status, types::ResponseStatus::Success);
}

#[tokio::test]
async fn create_guided_payment_sends_the_guide_example() {
    let server = MockServer::start_async().await;
    let endpoint = post("/createGuidedPayment")
        .answer(fixture("cryptopocket/create_guided_payment.200.json"))
        .start(&server)
        .await;

    let request = types::CreateGuidedPaymentRequest::new("polygon", "USDC", 100.0, 12345)
        .with_payment_type("card")
        .with_external_id("your-remesa-reference-001");
    let response = client(&server)
        .create_guided_payment(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture(
            "cryptopocket/create_guided_payment.request.guide.json",
        ))
        .await;
    assert_eq!(response.status, types::ResponseStatus::Success);
    assert_eq!(response.message.as_deref(), Some("guided_payment_created"));
    let data: types::CreateGuidedPaymentData =
        serde_json::from_value(response.data.expect("data").into_exposed()).unwrap();
    assert_eq!(
        data.payment_id.as_deref(),
        Some("aBcDeFgHiJkLmNoPqRsTuVwXy")
    );
    assert_eq!(
        data.gateway_url.as_deref(),
        Some("https://b2b.cryptopocket.io/payment/aBcDeFgHiJkLmNoPqRsTuVwXy")
    );
    assert_eq!(data.external_id.as_deref(), Some("order-abc-001"));
}

// ---------------------------------------------------------------------------------------------------
// Retrieve payment
// ---------------------------------------------------------------------------------------------------

#[tokio::test]
async fn retrieve_payment_puts_the_id_in_the_path_and_reads_the_vendor_example() {
    let server = MockServer::start_async().await;
    let endpoint = get("/payment/aBcDeFgHiJkLmNoPqRsTuVwXy")
        .answer(fixture("cryptopocket/retrieve_payment.200.json"))
        .start(&server)
        .await;

    let response = client(&server)
        .retrieve_payment("aBcDeFgHiJkLmNoPqRsTuVwXy")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(response.status, types::ResponseStatus::Ok);
    let payment = response.data.expect("data");
    assert_eq!(payment.id.as_deref(), Some("aBcDeFgHiJkLmNoPqRsTuVwXy"));
    assert_eq!(payment.external_id.as_deref(), Some("order-abc-001"));
    // A string here, although requests send an integer.
    assert_eq!(payment.user_id.as_deref(), Some("100067"));
    assert_eq!(payment.status, Some(types::PaymentStatus::Started));
    // Cents, although the create calls take major units.
    assert_eq!(payment.fiat_amount, Some(15050));
    assert_eq!(payment.fiat_symbol.as_deref(), Some("EUR"));
    assert_eq!(payment.coin_symbol.as_deref(), Some("USDC"));
    assert_eq!(payment.coin_amount, Some(148.32));
    assert_eq!(
        payment.created_at.as_deref(),
        Some("2026-06-26T10:30:00.000000Z")
    );
    assert_eq!(payment.holder, None);
    assert_eq!(payment.txid, None);
}

// ---------------------------------------------------------------------------------------------------
// Create OffRamp Transaction (older docs)
// ---------------------------------------------------------------------------------------------------

#[tokio::test]
async fn create_rampoff_sends_the_documented_fields_and_reads_the_deposit_wallet() {
    let server = MockServer::start_async().await;
    let endpoint = post("/createRampoff")
        .answer(fixture("cryptopocket/create_rampoff.200.json"))
        .start(&server)
        .await;

    let request = types::CreateRampoffRequest::new()
        .with_user_id(106)
        .with_amount(20.0)
        .with_blockchain("bsc")
        .with_symbol("BUSD")
        .with_iban(Pii::from("ES9121000418450200051332"));
    let response = client(&server)
        .create_rampoff(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("cryptopocket/create_rampoff.request.json"))
        .await;
    assert_eq!(response.status, types::ResponseStatus::Ok);
    let rampoff = response.data.expect("data");
    assert_eq!(rampoff.rampoff.as_deref(), Some("payment created"));
    assert_eq!(
        rampoff.wallet.as_deref(),
        Some("0xe0Ccfeb1EAd1cA32e0979Eb9b9dFca99D609aE2A")
    );
    assert_eq!(rampoff.id.as_deref(), Some("ExM63FJ9ZsAZF2VfTfU4rn7Sq"));
    let debug = format!("{request:?}");
    assert!(!debug.contains("ES9121000418450200051332"), "{debug}");
}

// ---------------------------------------------------------------------------------------------------
// Retrieve off-ramp transaction status (older docs)
// ---------------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_rampoff_sends_the_id_as_query_and_reads_the_vendor_example() {
    let server = MockServer::start_async().await;
    let endpoint = get("/getRampoff")
        .query(&[("id", "S35AJ0gSzf6P30XJRc2yMsIOK")])
        .answer(fixture("cryptopocket/get_rampoff.200.json"))
        .start(&server)
        .await;

    let response = client(&server)
        .get_rampoff("S35AJ0gSzf6P30XJRc2yMsIOK")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(response.status, types::ResponseStatus::Ok);
    let rampoff = response.data.expect("data");
    assert_eq!(rampoff.id.as_deref(), Some("S35AJ0gSzf6P30XJRc2yMsIOK"));
    assert_eq!(rampoff.status, Some(types::RampoffStatus::Finished));
    assert_eq!(rampoff.blockchain.as_deref(), Some("bsc"));
    assert_eq!(rampoff.crypto.as_deref(), Some("BUSD"));
    // Base units as a string: 20 tokens with 18 decimals overflow an i64.
    assert_eq!(rampoff.amount.as_deref(), Some("20000000000000000000"));
    assert_eq!(rampoff.decimals, Some(18));
    assert_eq!(rampoff.fiat_amount.as_deref(), Some("4800.24"));
}

// ---------------------------------------------------------------------------------------------------
// List account transactions
// ---------------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_account_transactions_puts_the_iban_in_the_path() {
    let server = MockServer::start_async().await;
    let endpoint = get("/banking/accounts/ES6867130002530016234794/transactions")
        .answer(fixture("cryptopocket/list_account_transactions.200.json"))
        .start(&server)
        .await;

    let response = client(&server)
        .list_account_transactions("ES6867130002530016234794")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(response.status, Some(types::ResponseStatus::Ok));
    let page = response.data.expect("data").into_exposed();
    assert_eq!(page["total"], 1);
    assert_eq!(page["data"][0]["concept"], "120037");
}

// ---------------------------------------------------------------------------------------------------
// Webhook Event Subscribe / Update
// ---------------------------------------------------------------------------------------------------

/// The request example of https://api-doc.cryptopocket.io/webhook-event-subscribe-4200047e0,
/// `curl --data-urlencode 'type=COINS_SENT' --data-urlencode 'url=https://demo.com'`, as curl puts it on
/// the wire (`application/x-www-form-urlencoded`).
const SUBSCRIBE_REQUEST: &str = "type=COINS_SENT&url=https%3A%2F%2Fdemo.com";

/// The request example of https://api-doc.cryptopocket.io/webhook-event-update-4200048e0,
/// `--data-urlencode 'type=PAY_IN' --data-urlencode 'url=https://demo.com'`, as curl sends it.
const UPDATE_SUBSCRIPTION_REQUEST: &str = "type=PAY_IN&url=https%3A%2F%2Fdemo.com";

/// A form POST with the vendor examples' token in `auth`.
fn form_post(path: &str) -> Expect<'_> {
    Expect::new(POST, path).headers(&[
        ("auth", VENDOR_EXAMPLE_TOKEN),
        ("content-type", "application/x-www-form-urlencoded"),
    ])
}

#[tokio::test]
async fn subscribe_to_webhook_sends_the_vendor_example_fields() {
    let server = MockServer::start_async().await;
    let endpoint = form_post("/subscribeToWebhook")
        .answer(fixture("cryptopocket/subscribe_to_webhook.200.json"))
        .start(&server)
        .await;

    let request = types::SubscribeToWebhookRequest::new("COINS_SENT", "https://demo.com");
    let response = client_with(&server, VENDOR_EXAMPLE_TOKEN)
        .subscribe_to_webhook(&request)
        .await
        .unwrap()
        .into_inner();

    assert_eq!(
        String::from_utf8(endpoint.received().await.body).unwrap(),
        SUBSCRIBE_REQUEST
    );
    assert_eq!(response.status, types::ResponseStatus::Ok);
    assert_eq!(response.data.as_deref(), Some("subscription_created"));
    assert_eq!(response.error, None);
}

#[tokio::test]
async fn update_webhook_subscription_sends_the_vendor_example_fields() {
    let server = MockServer::start_async().await;
    let endpoint = form_post("/updateWebhookSubscription")
        .answer(fixture("cryptopocket/update_webhook_subscription.200.json"))
        .start(&server)
        .await;

    let request = types::UpdateWebhookSubscriptionRequest::new("PAY_IN", "https://demo.com");
    let response = client_with(&server, VENDOR_EXAMPLE_TOKEN)
        .update_webhook_subscription(&request)
        .await
        .unwrap()
        .into_inner();

    assert_eq!(
        String::from_utf8(endpoint.received().await.body).unwrap(),
        UPDATE_SUBSCRIPTION_REQUEST
    );
    assert_eq!(response.status, types::ResponseStatus::Ok);
    assert_eq!(response.data.as_deref(), Some("subscription_updated"));
}

// ---------------------------------------------------------------------------------------------------
// Webhook payloads
//
// The vendor lists the events (https://api-doc.cryptopocket.io/webhook-event-update-4200048e0) but
// publishes no payload ("Available webhooks" has no content), so there is no vendor example to decode.
// The payloads (`webhook.*.json`) are NOT vendor text: they carry the inferred fields of the spec
// (`type`, `id`, `payment_id`, `status`), ids from the vendor's other examples, and one undocumented
// extra field that must be tolerated.
// ---------------------------------------------------------------------------------------------------

/// Replaces the value of `key` in a JSON object text, for the unknown-enum-value variants.
fn with(payload: &str, key: &str, value: &str) -> String {
    let mut json: serde_json::Value = serde_json::from_str(payload).unwrap();
    json[key] = serde_json::Value::String(value.to_owned());
    json.to_string()
}

#[test]
fn pay_in_payload_decodes_and_keeps_unknown_values() {
    let event: types::PayInWebhook =
        serde_json::from_str(fixture("cryptopocket/webhook.pay_in.json")).unwrap();
    assert_eq!(event.type_, Some(types::WebhookEventType::PayIn));
    assert_eq!(event.id.as_deref(), Some("aBcDeFgHiJkLmNoPqRsTuVwXy"));
    assert_eq!(
        event.payment_id.as_deref(),
        Some("aBcDeFgHiJkLmNoPqRsTuVwXy")
    );
    assert_eq!(event.status, Some(types::PaymentStatus::PaymentReceived));

    let unknown = with(
        fixture("cryptopocket/webhook.pay_in.json"),
        "status",
        "payment_refunded",
    );
    let event: types::PayInWebhook = serde_json::from_str(&unknown).unwrap();
    let status = event.status.expect("status");
    assert!(status.is_unknown());
    assert_eq!(status.as_str(), "payment_refunded");
}

#[test]
fn coins_sent_payload_decodes_and_keeps_unknown_values() {
    let event: types::CoinsSentWebhook =
        serde_json::from_str(fixture("cryptopocket/webhook.coins_sent.json")).unwrap();
    assert_eq!(event.type_, Some(types::WebhookEventType::CoinsSent));
    assert_eq!(
        event.payment_id.as_deref(),
        Some("aBcDeFgHiJkLmNoPqRsTuVwXy")
    );
    assert_eq!(event.status, Some(types::PaymentStatus::CoinsSent));

    let unknown = with(
        fixture("cryptopocket/webhook.coins_sent.json"),
        "type",
        "COINS_SENT_V2",
    );
    let event: types::CoinsSentWebhook = serde_json::from_str(&unknown).unwrap();
    assert_eq!(
        event.type_,
        Some(types::WebhookEventType::Unknown("COINS_SENT_V2".into()))
    );
}

#[test]
fn crypto_received_payload_decodes_and_keeps_unknown_values() {
    // `crypto_received` is not a documented off-ramp status (only `finished` is): it must decode anyway.
    let event: types::CryptoReceivedWebhook =
        serde_json::from_str(fixture("cryptopocket/webhook.crypto_received.json")).unwrap();
    assert_eq!(event.type_, Some(types::WebhookEventType::CryptoReceived));
    assert_eq!(event.id.as_deref(), Some("ExM63FJ9ZsAZF2VfTfU4rn7Sq"));
    assert_eq!(event.payment_id, None);
    let status = event.status.expect("status");
    assert_eq!(
        status,
        types::RampoffStatus::Unknown("crypto_received".into())
    );
    assert_eq!(status.as_str(), "crypto_received");
}

#[test]
fn transfer_rampoff_finished_payload_decodes_and_keeps_unknown_values() {
    let event: types::TransferRampoffFinishedWebhook = serde_json::from_str(fixture(
        "cryptopocket/webhook.transfer_rampoff_finished.json",
    ))
    .unwrap();
    assert_eq!(
        event.type_,
        Some(types::WebhookEventType::TransferRampoffFinished)
    );
    assert_eq!(event.id.as_deref(), Some("S35AJ0gSzf6P30XJRc2yMsIOK"));
    assert_eq!(event.status, Some(types::RampoffStatus::Finished));

    // The older subscribe page names the same event `RAMPOFF_FINISHED`: a known value too.
    let older = with(
        fixture("cryptopocket/webhook.transfer_rampoff_finished.json"),
        "type",
        "RAMPOFF_FINISHED",
    );
    let event: types::TransferRampoffFinishedWebhook = serde_json::from_str(&older).unwrap();
    assert_eq!(event.type_, Some(types::WebhookEventType::RampoffFinished));

    let unknown = with(
        fixture("cryptopocket/webhook.transfer_rampoff_finished.json"),
        "status",
        "returned",
    );
    let event: types::TransferRampoffFinishedWebhook = serde_json::from_str(&unknown).unwrap();
    assert_eq!(
        event.status,
        Some(types::RampoffStatus::Unknown("returned".into()))
    );
}
