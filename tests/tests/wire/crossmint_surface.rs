//! crossmint: the rest of the documented surface — orders (`2022-06-09`), payment methods (`unstable`,
//! created on the vault host), the Wallets API token transfer (`2025-06-09`) and the order webhook
//! payloads.
//!
//! Sources: https://docs.crossmint.com/offramp/quickstarts/rest-api and the pages listed in
//! `tests/fixtures/wire/crossmint/README.md`. Vault operations are sent to the same local mock
//! server: it stands in for `https://vault.staging.crossmint.com/api` (`SANDBOX_VAULT_URL`), which
//! in production is a second `Client` built with that base URL.
//!
//! Locators keep their colons unescaped on the wire (progenitor's `encode_path` leaves `:` alone), so
//! the paths below assert the raw form, e.g. `/2025-06-09/wallets/evm:smart:alias:treasury/...`.

use httpmock::{
    Method::{DELETE, GET, PATCH, POST},
    MockServer,
};
use rampkit_crossmint::{Pii, types};

use super::common::{Endpoint, fixture};
use super::crossmint::{client, pii, read, send};

#[test]
fn the_vault_host_is_a_second_base_url() {
    // https://docs.crossmint.com/offramp/guides/collect-bank-accounts: creation goes to the vault
    // host, reads and deletes to the standard API.
    assert_eq!(
        rampkit_crossmint::SANDBOX_VAULT_URL,
        "https://vault.staging.crossmint.com/api"
    );
    assert_eq!(
        rampkit_crossmint::PRODUCTION_VAULT_URL,
        "https://vault.crossmint.com/api"
    );
    assert_eq!(
        rampkit_crossmint::SANDBOX_URL,
        "https://staging.crossmint.com/api"
    );
}

// ---- create_order -------------------------------------------------------------------------------

#[tokio::test]
async fn create_order_sends_the_offramp_example_and_decodes_the_deposit_instructions() {
    let server = MockServer::start_async().await;
    let endpoint = send(POST, "/2022-06-09/orders")
        .status(201)
        .answer(fixture("crossmint/create_order.201.offramp.json"))
        .start(&server)
        .await;

    let request = types::CreateOrderRequest::new(
        types::OrderLineItems::Input(
            types::OrderLineItemInput::new(
                types::ExecutionParameters::new("1".to_owned())
                    .with_mode(types::ExecutionMode::ExactIn),
            )
            .with_currency_locator("fiat:usd".to_owned()),
        ),
        types::OrderPaymentInput::new("base-sepolia".to_owned())
            .with_currency("usdc".to_owned())
            .with_payer_address("0xAa266270cf90FEEA9760617d9c7B5083e9f08984".to_owned())
            .with_receipt_email(Pii::from("jsmith@example.com")),
    )
    .with_recipient(
        types::OrderRecipient::new()
            .with_payment_method_id("d5e5c48a-7dec-44b1-8cf4-4615bf00c8fc".to_owned()),
    );
    let created = client(&server)
        .create_order(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("crossmint/create_order.request.offramp.json"))
        .await;
    assert_eq!(pii(&created.client_secret), Some("_removed_"));
    let order = created.order;
    assert_eq!(
        order.order_id.as_deref(),
        Some("b2959ca5-65e4-466a-bd26-1bd05cb4f837")
    );
    assert_eq!(order.phase, Some(types::OrderPhase::Payment));
    let payment = order.payment.expect("payment");
    assert_eq!(
        payment.status,
        Some(types::OrderPaymentStatus::AwaitingPayment)
    );
    let preparation = payment.preparation.expect("preparation");
    assert_eq!(preparation.chain.as_deref(), Some("base-sepolia"));
    assert_eq!(
        preparation.payer_address.as_deref(),
        Some("0xAa266270cf90FEEA9760617d9c7B5083e9f08984")
    );
    assert_eq!(
        preparation.serialized_transaction.as_deref(),
        Some("0x02f90...")
    );
    let [line_item] = order.line_items.as_slice() else {
        panic!("one line item: {:?}", order.line_items)
    };
    assert_eq!(
        line_item.delivery.as_ref().unwrap().status,
        Some(types::DeliveryStatus::AwaitingPayment)
    );
    let unit = line_item
        .quote
        .as_ref()
        .and_then(|q| q.charges.as_ref())
        .and_then(|c| c.unit.as_ref())
        .unwrap();
    assert_eq!(unit.amount.as_deref(), Some("1"));
    let quote = order.quote.expect("quote");
    assert_eq!(
        quote.expires_at.as_deref(),
        Some("2024-06-07T17:55:44.653Z")
    );
    assert_eq!(quote.total_price.unwrap().currency.as_deref(), Some("usdc"));
}

#[tokio::test]
async fn create_order_sends_an_onramp_order_and_decodes_the_kyc_step() {
    let server = MockServer::start_async().await;
    let endpoint = send(POST, "/2022-06-09/orders")
        .answer(fixture(
            "crossmint/create_order.200.onramp_requires_kyc.json",
        ))
        .start(&server)
        .await;

    let request = types::CreateOrderRequest::new(
        types::OrderLineItems::Inputs(types::OrderLineItemInputs(vec![
            types::OrderLineItemInput::new(
                types::ExecutionParameters::new("<string>".to_owned())
                    .with_max_slippage_bps("<string>".to_owned()),
            )
            .with_token_locator("<string>".to_owned()),
        ])),
        types::OrderPaymentInput::new("card".to_owned())
            .with_receipt_email(Pii::from("jsmith@example.com")),
    )
    .with_recipient(types::OrderRecipient::new().with_wallet_address("<string>".to_owned()))
    .with_state(types::OrderState::Create);
    let created = client(&server)
        .create_order(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("crossmint/create_order.request.onramp.json"))
        .await;
    let payment = created.order.payment.expect("payment");
    assert_eq!(payment.status, Some(types::OrderPaymentStatus::RequiresKyc));
    let kyc = payment.preparation.and_then(|p| p.kyc).expect("kyc");
    assert_eq!(kyc.template_id.as_deref(), Some("itmpl_test"));
    assert_eq!(kyc.reference_id.as_deref(), Some("ref_test"));
    assert_eq!(kyc.environment_id.as_deref(), Some("env_test"));
}

// ---- process_payment ("Submit Deposit") ---------------------------------------------------------

#[tokio::test]
async fn process_payment_sends_the_offramp_reference_example() {
    let server = MockServer::start_async().await;
    // The answer is inferred (the order, as the headless Process Payment reference answers);
    // the manage-orders guide's excerpt of an order waiting for the deposit stands in for it.
    let endpoint = send(
        POST,
        "/2022-06-09/orders/b2959ca5-65e4-466a-bd26-1bd05cb4f837/payment",
    )
    .answer(fixture("crossmint/get_order.200.awaiting_payment.json"))
    .start(&server)
    .await;

    let request = types::ProcessPaymentRequest::new(
        "0xc9537a0e4ee4794101514d30418bd20f09cf66c3ce86b82b0be916489a338e85".to_owned(),
        types::PaymentProofType::CryptoTxId,
    );
    let order = client(&server)
        .process_payment("b2959ca5-65e4-466a-bd26-1bd05cb4f837", &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("crossmint/process_payment.request.json"))
        .await;
    assert_eq!(order.phase, Some(types::OrderPhase::Payment));
}

// ---- get_order ----------------------------------------------------------------------------------

#[tokio::test]
async fn get_order_decodes_the_paid_out_offramp_order() {
    let server = MockServer::start_async().await;
    let endpoint = read(
        GET,
        "/2022-06-09/orders/b2959ca5-65e4-466a-bd26-1bd05cb4f837",
    )
    .answer(fixture("crossmint/get_order.200.completed.json"))
    .start(&server)
    .await;

    let order = client(&server)
        .get_order("b2959ca5-65e4-466a-bd26-1bd05cb4f837")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(order.phase, Some(types::OrderPhase::Completed));
    let payment = order.payment.expect("payment");
    assert_eq!(payment.status, Some(types::OrderPaymentStatus::Completed));
    let received = payment.received.expect("received");
    assert_eq!(received.chain.as_deref(), Some("base-sepolia"));
    assert_eq!(received.tx_id.as_deref(), Some("0xc953...a338e85"));
    assert_eq!(received.amount.as_deref(), Some("1"));
    assert_eq!(received.currency.as_deref(), Some("usdc"));
    let [line_item] = order.line_items.as_slice() else {
        panic!("one line item: {:?}", order.line_items)
    };
    assert_eq!(
        line_item.delivery.as_ref().unwrap().status,
        Some(types::DeliveryStatus::Completed)
    );
}

#[tokio::test]
async fn get_order_decodes_an_order_waiting_for_the_deposit() {
    let server = MockServer::start_async().await;
    let _endpoint = read(
        GET,
        "/2022-06-09/orders/b2959ca5-65e4-466a-bd26-1bd05cb4f837",
    )
    .answer(fixture("crossmint/get_order.200.awaiting_payment.json"))
    .start(&server)
    .await;

    let order = client(&server)
        .get_order("b2959ca5-65e4-466a-bd26-1bd05cb4f837")
        .await
        .unwrap()
        .into_inner();

    assert_eq!(order.phase, Some(types::OrderPhase::Payment));
    assert_eq!(
        order.payment.unwrap().status,
        Some(types::OrderPaymentStatus::AwaitingPayment)
    );
    assert!(order.order_id.is_none());
    assert!(order.line_items.is_empty());
}

// ---- payment methods ----------------------------------------------------------------------------

fn us_address(line1: &str, city: &str, state: &str, postal_code: &str) -> types::PostalAddress {
    types::PostalAddress::new()
        .with_line1(Pii::from(line1))
        .with_city(Pii::from(city))
        .with_state_or_region(Pii::from(state))
        .with_postal_code(Pii::from(postal_code))
        .with_country(Pii::from("US"))
}

fn assert_chase_account(method: &types::PaymentMethod) {
    assert_eq!(
        method.payment_method_id,
        "d5e5c48a-7dec-44b1-8cf4-4615bf00c8fc"
    );
    assert_eq!(method.default, Some(false));
    assert_eq!(pii(&method.display_name), Some("Chase ••1141"));
    assert_eq!(
        method.type_,
        Some(types::PaymentMethodTypeValue::BankAccountUs)
    );
    assert_eq!(
        method.created_at.as_deref(),
        Some("2026-06-17T21:25:56.542Z")
    );
    let account = method.bank_account.as_ref().expect("bankAccount");
    assert_eq!(pii(&account.account_suffix), Some("1141"));
    assert_eq!(account.bank_name.as_deref(), Some("Chase"));
    assert_eq!(account.currency.as_deref(), Some("usd"));
    assert_eq!(account.country.as_deref(), Some("US"));
    assert_eq!(
        account.entity_type,
        Some(types::EntityTypeValue::Individual)
    );
    assert_eq!(pii(&account.routing_number), Some("026009593"));
    let billing = account.billing.as_ref().expect("billing");
    assert_eq!(pii(&billing.name), Some("Alice Smith"));
    assert_eq!(pii(&billing.phone), Some("+13055551234"));
    let address = billing.address.as_ref().expect("address");
    assert_eq!(pii(&address.line1), Some("701 S Miami Ave"));
    assert_eq!(pii(&address.state_or_region), Some("FL"));
    assert!(method.card.is_none());
}

#[tokio::test]
async fn create_payment_method_sends_the_us_bank_account_to_the_vault() {
    // The mock server stands in for the vault host (`SANDBOX_VAULT_URL`).
    let vault = MockServer::start_async().await;
    let endpoint = send(POST, "/unstable/payment-methods")
        .status(201)
        .answer(fixture("crossmint/create_payment_method.201.json"))
        .start(&vault)
        .await;

    let request = types::CreatePaymentMethodRequest::new(
        types::PaymentMethodType::BankAccountUs,
        Pii::from("userId:<USER_ID>"),
    )
    .with_bank_account(
        types::CreateBankAccount::new()
            .with_account_number(Pii::from("6349881141"))
            .with_routing_number(Pii::from("026009593"))
            .with_account_type(types::BankAccountType::Checking)
            .with_bank_name("Chase".to_owned())
            .with_bank_address(us_address(
                "420 Montgomery St",
                "San Francisco",
                "CA",
                "94104",
            ))
            .with_currency("usd".to_owned())
            .with_country("US".to_owned())
            .with_entity_type(types::EntityType::Individual)
            .with_billing(
                types::Billing::new()
                    .with_name(Pii::from("Alice Smith"))
                    .with_phone(Pii::from("+13055551234"))
                    .with_address(us_address("701 S Miami Ave", "Miami", "FL", "33156")),
            ),
    );
    let saved = client(&vault)
        .create_payment_method(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("crossmint/create_payment_method.request.json"))
        .await;
    assert_chase_account(&saved);

    // The account number is personal data: Debug of the request must not show it.
    let debug = format!("{request:?}");
    for personal in ["6349881141", "026009593", "Alice Smith", "+13055551234"] {
        assert!(!debug.contains(personal), "{debug}");
    }
}

#[tokio::test]
async fn get_payment_method_sends_the_owner_and_decodes_the_saved_account() {
    let server = MockServer::start_async().await;
    // https://docs.crossmint.com/offramp/api-reference/payment-methods/get-payment-method: query
    // `userLocator`, "Required with server API key auth".
    let endpoint = read(
        GET,
        "/unstable/payment-methods/d5e5c48a-7dec-44b1-8cf4-4615bf00c8fc",
    )
    .query(&[("userLocator", "userId:johnd-123")])
    .answer(fixture("crossmint/create_payment_method.201.json"))
    .start(&server)
    .await;

    let method = client(&server)
        .get_payment_method(
            "d5e5c48a-7dec-44b1-8cf4-4615bf00c8fc",
            &"userId:johnd-123".parse().unwrap(),
        )
        .await
        .unwrap()
        .into_inner();

    assert_eq!(
        endpoint.received().await.path,
        "/unstable/payment-methods/d5e5c48a-7dec-44b1-8cf4-4615bf00c8fc?userLocator=userId%3Ajohnd-123"
    );
    endpoint.assert_no_body().await;
    assert_chase_account(&method);
}

/// The card of the vendor's payment-method examples (get, update, list, object and delete pages):
/// `expiration` is an object of two strings.
fn assert_visa_card(method: &types::PaymentMethod, default: bool) {
    assert_eq!(
        method.payment_method_id,
        "d4e5f6a7-b8c9-0123-def4-567890abcdef"
    );
    assert_eq!(method.default, Some(default));
    assert_eq!(pii(&method.display_name), Some("Visa ••1111"));
    assert_eq!(method.type_, Some(types::PaymentMethodTypeValue::Card));
    let card = method.card.as_ref().expect("card");
    assert_eq!(card.brand.as_deref(), Some("visa"));
    assert_eq!(pii(&card.last4), Some("1111"));
    let expiration = card.expiration.as_ref().expect("expiration");
    assert_eq!(pii(&expiration.month), Some("12"));
    assert_eq!(pii(&expiration.year), Some("2028"));
    assert_eq!(card.funding_type.as_deref(), Some("debit"));
    assert_eq!(pii(&card.bin), Some("411111"));
    assert_eq!(card.country.as_deref(), Some("US"));
    let billing = card.billing.as_ref().expect("billing");
    assert_eq!(pii(&billing.name), Some("Alice Smith"));
    let address = billing.address.as_ref().expect("address");
    assert_eq!(pii(&address.city), Some("Springfield"));
    assert!(method.bank_account.is_none());
    // Card details are personal data: none of them reaches Debug.
    let debug = format!("{method:?}");
    for personal in ["1111", "2028", "411111", "Alice Smith", "+12125551234"] {
        assert!(!debug.contains(personal), "{debug}");
    }
}

#[tokio::test]
async fn get_payment_method_decodes_the_vendor_card_example() {
    let server = MockServer::start_async().await;
    let endpoint = read(
        GET,
        "/unstable/payment-methods/d4e5f6a7-b8c9-0123-def4-567890abcdef",
    )
    .query(&[("userLocator", "userId:abc123")])
    .answer(fixture("crossmint/get_payment_method.200.card.json"))
    .start(&server)
    .await;

    let method = client(&server)
        .get_payment_method(
            "d4e5f6a7-b8c9-0123-def4-567890abcdef",
            &"userId:abc123".parse().unwrap(),
        )
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_visa_card(&method, true);
}

#[tokio::test]
async fn list_payment_methods_sends_every_documented_filter() {
    let server = MockServer::start_async().await;
    // https://docs.crossmint.com/offramp/api-reference/payment-methods/list-payment-methods.
    let endpoint = read(GET, "/unstable/payment-methods")
        .query(&[
            ("userLocator", "userId:abc123"),
            ("type", "bank-account-us"),
            ("limit", "10"),
            ("cursor", "cursor_2"),
            ("sort", "asc"),
            ("hasPayout", "false"),
        ])
        .answer(fixture("crossmint/list_payment_methods.200.json"))
        .start(&server)
        .await;

    let list = client(&server)
        .list_payment_methods(&"userId:abc123".parse().unwrap())
        .type_("bank-account-us")
        .limit(10)
        .cursor("cursor_2")
        .sort("asc")
        .has_payout(false)
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    let [card, bank] = list.data.as_slice() else {
        panic!("two payment methods: {list:?}")
    };
    assert_visa_card(card, true);
    assert_eq!(
        bank.type_,
        Some(types::PaymentMethodTypeValue::BankAccountUs)
    );
    let account = bank.bank_account.as_ref().expect("bankAccount");
    assert_eq!(pii(&account.account_suffix), Some("6259"));
    assert_eq!(
        account.account_type,
        Some(types::BankAccountTypeValue::Checking)
    );
    let bank_address = account.bank_address.as_ref().expect("bankAddress");
    assert_eq!(pii(&bank_address.city), Some("New York"));
    assert_eq!(list.next_cursor, None);
    assert_eq!(list.previous_cursor, None);
}

#[tokio::test]
async fn list_payment_methods_reads_both_cursors_and_their_nulls() {
    let server = MockServer::start_async().await;
    // "nextCursor and previousCursor are included when additional pages exist in that direction";
    // the headless page: "null when there are no more results" / "null on the first page". The
    // cursor values are the test's.
    let page = r#"{"data": [], "nextCursor": null, "previousCursor": "cursor_1"}"#;
    let endpoint = read(GET, "/unstable/payment-methods")
        .query(&[("userLocator", "userId:abc123")])
        .answer(page)
        .start(&server)
        .await;

    let list = client(&server)
        .list_payment_methods(&"userId:abc123".parse().unwrap())
        .await
        .unwrap()
        .into_inner();

    assert_eq!(
        endpoint.received().await.path,
        "/unstable/payment-methods?userLocator=userId%3Aabc123"
    );
    assert!(list.data.is_empty());
    assert_eq!(list.next_cursor, None);
    assert_eq!(list.previous_cursor.as_deref(), Some("cursor_1"));
}

#[tokio::test]
async fn update_payment_method_sends_the_vendor_example() {
    let server = MockServer::start_async().await;
    // https://docs.crossmint.com/api-reference/headless/payment-methods/update-payment-method (the
    // offramp page is the same operation): PATCH with `userLocator` in the query.
    let endpoint = send(
        PATCH,
        "/unstable/payment-methods/d4e5f6a7-b8c9-0123-def4-567890abcdef",
    )
    .query(&[("userLocator", "userId:abc123")])
    .answer(fixture("crossmint/update_payment_method.200.card.json"))
    .start(&server)
    .await;

    let request = types::UpdatePaymentMethodRequest::new().with_billing_details(
        types::BillingDetailsUpdate::new().with_address(
            types::PostalAddress::new()
                .with_line1(Pii::from("456 Oak Ave"))
                .with_city(Pii::from("Chicago"))
                .with_state_or_region(Pii::from("IL"))
                .with_postal_code(Pii::from("60601"))
                .with_country(Pii::from("US")),
        ),
    );
    let updated = client(&server)
        .update_payment_method(
            "d4e5f6a7-b8c9-0123-def4-567890abcdef",
            &"userId:abc123".parse().unwrap(),
            &request,
        )
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("crossmint/update_payment_method.request.json"))
        .await;
    assert_visa_card(&updated, true);
    let debug = format!("{request:?}");
    for personal in ["456 Oak Ave", "Chicago", "60601"] {
        assert!(!debug.contains(personal), "{debug}");
    }
}

#[tokio::test]
async fn delete_payment_method_sends_the_owner_and_returns_the_prior_object() {
    let server = MockServer::start_async().await;
    // https://docs.crossmint.com/offramp/api-reference/payment-methods/delete-payment-method: a soft
    // delete answered with the payment method as it was.
    let endpoint = read(
        DELETE,
        "/unstable/payment-methods/d4e5f6a7-b8c9-0123-def4-567890abcdef",
    )
    .query(&[("userLocator", "userId:abc123")])
    .answer(fixture("crossmint/delete_payment_method.200.card.json"))
    .start(&server)
    .await;

    let deleted = client(&server)
        .delete_payment_method(
            "d4e5f6a7-b8c9-0123-def4-567890abcdef",
            &"userId:abc123".parse().unwrap(),
        )
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_visa_card(&deleted, false);
}

// ---- transfer_token -----------------------------------------------------------------------------

/// A transfer from the `treasury` smart wallet's base-sepolia USDC, answered `201` with
/// `transfer_token.201.json`.
async fn transfer(server: &MockServer) -> Endpoint<'_> {
    send(
        POST,
        "/2025-06-09/wallets/evm:smart:alias:treasury/tokens/base-sepolia:usdc/transfers",
    )
    .status(201)
    .answer(fixture("crossmint/transfer_token.201.json"))
    .start(server)
    .await
}

#[tokio::test]
async fn transfer_token_sends_the_api_reference_example() {
    let server = MockServer::start_async().await;
    let endpoint = transfer(&server).await;

    let request = types::TransferTokenRequest::new(
        "42.69".to_owned(),
        Pii::from("0x1234567890123456789012345678901234567890"),
    )
    .with_signer("external-wallet:0xdeadbeef".to_owned())
    .with_transaction_type("direct".to_owned())
    .with_memo(
        types::TransferMemo::new()
            .with_type("text".to_owned())
            .with_value("Hello, world!".to_owned()),
    );
    let transaction = client(&server)
        .transfer_token("evm:smart:alias:treasury", "base-sepolia:usdc", &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("crossmint/transfer_token.request.json"))
        .await;
    assert_eq!(transaction.id.as_deref(), Some("txn_0f3c9a"));
    assert_eq!(transaction.status.as_deref(), Some("pending"));
    assert_eq!(transaction.chain_type.as_deref(), Some("evm"));
    assert_eq!(transaction.wallet_type.as_deref(), Some("smart"));
    assert_eq!(
        transaction.params.as_ref().expect("params").expose()["chain"],
        "base-sepolia"
    );
    let on_chain = transaction.on_chain.expect("onChain");
    assert_eq!(on_chain.user_operation_hash.as_deref(), Some("0xabc123"));
    assert!(on_chain.tx_id.is_none());
}

#[tokio::test]
async fn transfer_token_sends_a_regulated_transfer_payout() {
    let server = MockServer::start_async().await;
    let endpoint = transfer(&server).await;

    let request = types::TransferTokenRequest::new("100".to_owned(), Pii::from("userId:johnd-123"))
        .with_transaction_type("regulated-transfer".to_owned());
    client(&server)
        .transfer_token("evm:smart:alias:treasury", "base-sepolia:usdc", &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture(
            "crossmint/transfer_token.request.regulated_transfer.json",
        ))
        .await;
}

// ---- order webhooks -----------------------------------------------------------------------------
//
// The pages the provider reference cites print no webhook payload. Each payload below is written
// from the documented facts: the event names (provider reference "Webhooks"; the quote events and
// `orders.delivery.initiated` from https://docs.crossmint.com/payments/advanced/webhooks), the
// Crossmint envelope `{type, data}` (https://docs.crossmint.com/authentication/webhooks), with the
// order in `data` as get_order returns it (inferred) and an inferred `actionId`. Each test also
// plants an unknown enum value and checks it decodes into `Unknown`.

/// An order webhook payload: `type`, an `actionId`, and the manage-orders order excerpt in `data`,
/// with `phase` and `payment.status` as given.
fn order_event(event: &str, phase: &str, payment_status: &str) -> Vec<u8> {
    format!(
        r#"{{
  "type": "{event}",
  "actionId": "b2959ca5-65e4-466a-bd26-1bd05cb4f837",
  "data": {{
    "orderId": "b2959ca5-65e4-466a-bd26-1bd05cb4f837",
    "phase": "{phase}",
    "payment": {{ "status": "{payment_status}" }},
    "lineItems": [{{ "delivery": {{ "status": "completed" }} }}]
  }}
}}"#
    )
    .into_bytes()
}

fn assert_order(
    data: &Option<types::Order>,
    phase: types::OrderPhase,
) -> types::OrderPaymentStatus {
    let order = data.as_ref().expect("data");
    assert_eq!(
        order.order_id.as_deref(),
        Some("b2959ca5-65e4-466a-bd26-1bd05cb4f837")
    );
    assert_eq!(order.phase, Some(phase));
    order.payment.as_ref().unwrap().status.clone().unwrap()
}

#[test]
fn orders_quote_created_event_decodes() {
    let event: types::OrdersQuoteCreatedEvent = serde_json::from_slice(&order_event(
        "orders.quote.created",
        "quote",
        "requires-quote",
    ))
    .unwrap();
    assert_eq!(
        event.type_,
        types::OrderWebhookEventType::OrdersQuoteCreated
    );
    assert_eq!(
        event.action_id.as_deref(),
        Some("b2959ca5-65e4-466a-bd26-1bd05cb4f837")
    );
    assert_eq!(
        assert_order(&event.data, types::OrderPhase::Quote),
        types::OrderPaymentStatus::RequiresQuote
    );

    // An unlisted payment status still decodes.
    let event: types::OrdersQuoteCreatedEvent = serde_json::from_slice(&order_event(
        "orders.quote.created",
        "quote",
        "requires-email-verification",
    ))
    .unwrap();
    let status = assert_order(&event.data, types::OrderPhase::Quote);
    assert_eq!(
        status,
        types::OrderPaymentStatus::Unknown("requires-email-verification".to_owned())
    );
    assert_eq!(status.as_str(), "requires-email-verification");
}

#[test]
fn orders_quote_updated_event_decodes() {
    let event: types::OrdersQuoteUpdatedEvent = serde_json::from_slice(&order_event(
        "orders.quote.updated",
        "quote",
        "requires-quote",
    ))
    .unwrap();
    assert_eq!(
        event.type_,
        types::OrderWebhookEventType::OrdersQuoteUpdated
    );
    assert_eq!(
        assert_order(&event.data, types::OrderPhase::Quote),
        types::OrderPaymentStatus::RequiresQuote
    );

    // An unlisted phase still decodes.
    let event: types::OrdersQuoteUpdatedEvent = serde_json::from_slice(&order_event(
        "orders.quote.updated",
        "refund",
        "requires-quote",
    ))
    .unwrap();
    let phase = event.data.unwrap().phase.unwrap();
    assert_eq!(phase, types::OrderPhase::Unknown("refund".to_owned()));
    assert!(phase.is_unknown());
}

#[test]
fn orders_payment_succeeded_event_decodes() {
    let event: types::OrdersPaymentSucceededEvent = serde_json::from_slice(&order_event(
        "orders.payment.succeeded",
        "delivery",
        "completed",
    ))
    .unwrap();
    assert_eq!(
        event.type_,
        types::OrderWebhookEventType::OrdersPaymentSucceeded
    );
    assert_eq!(
        assert_order(&event.data, types::OrderPhase::Delivery),
        types::OrderPaymentStatus::Completed
    );

    // An event type the spec does not list (e.g. sent to a catch-all endpoint) still decodes.
    let event: types::OrdersPaymentSucceededEvent = serde_json::from_slice(&order_event(
        "orders.payment.refunded",
        "completed",
        "completed",
    ))
    .unwrap();
    assert_eq!(
        event.type_,
        types::OrderWebhookEventType::Unknown("orders.payment.refunded".to_owned())
    );
    assert_eq!(event.type_.as_str(), "orders.payment.refunded");
}

#[test]
fn orders_payment_failed_event_decodes() {
    let event: types::OrdersPaymentFailedEvent =
        serde_json::from_slice(&order_event("orders.payment.failed", "payment", "failed")).unwrap();
    assert_eq!(
        event.type_,
        types::OrderWebhookEventType::OrdersPaymentFailed
    );
    assert_eq!(
        assert_order(&event.data, types::OrderPhase::Payment),
        types::OrderPaymentStatus::Failed
    );

    let event: types::OrdersPaymentFailedEvent = serde_json::from_slice(&order_event(
        "orders.payment.failed",
        "payment",
        "rejected-aml",
    ))
    .unwrap();
    assert_eq!(
        assert_order(&event.data, types::OrderPhase::Payment),
        types::OrderPaymentStatus::Unknown("rejected-aml".to_owned())
    );
}

#[test]
fn orders_delivery_initiated_event_decodes() {
    let event: types::OrdersDeliveryInitiatedEvent = serde_json::from_slice(&order_event(
        "orders.delivery.initiated",
        "delivery",
        "completed",
    ))
    .unwrap();
    assert_eq!(
        event.type_,
        types::OrderWebhookEventType::OrdersDeliveryInitiated
    );
    assert_order(&event.data, types::OrderPhase::Delivery);

    let event: types::OrdersDeliveryInitiatedEvent = serde_json::from_slice(&order_event(
        "orders.delivery.queued",
        "delivery",
        "completed",
    ))
    .unwrap();
    assert!(event.type_.is_unknown());
}

#[test]
fn orders_delivery_completed_event_decodes() {
    let event: types::OrdersDeliveryCompletedEvent = serde_json::from_slice(&order_event(
        "orders.delivery.completed",
        "completed",
        "completed",
    ))
    .unwrap();
    assert_eq!(
        event.type_,
        types::OrderWebhookEventType::OrdersDeliveryCompleted
    );
    assert_order(&event.data, types::OrderPhase::Completed);
    let data = event.data.unwrap();
    assert_eq!(
        data.line_items[0].delivery.as_ref().unwrap().status,
        Some(types::DeliveryStatus::Completed)
    );

    // An unlisted delivery status still decodes.
    let payload = String::from_utf8(order_event(
        "orders.delivery.completed",
        "completed",
        "completed",
    ))
    .unwrap()
    .replace(
        r#""delivery": { "status": "completed" }"#,
        r#""delivery": { "status": "settled" }"#,
    );
    let event: types::OrdersDeliveryCompletedEvent = serde_json::from_str(&payload).unwrap();
    assert_eq!(
        event.data.unwrap().line_items[0]
            .delivery
            .as_ref()
            .unwrap()
            .status,
        Some(types::DeliveryStatus::Unknown("settled".to_owned()))
    );
}

#[test]
fn orders_delivery_failed_event_decodes() {
    let event: types::OrdersDeliveryFailedEvent = serde_json::from_slice(&order_event(
        "orders.delivery.failed",
        "completed",
        "completed",
    ))
    .unwrap();
    assert_eq!(
        event.type_,
        types::OrderWebhookEventType::OrdersDeliveryFailed
    );
    assert_order(&event.data, types::OrderPhase::Completed);

    let event: types::OrdersDeliveryFailedEvent = serde_json::from_slice(&order_event(
        "orders.delivery.failed",
        "payout-returned",
        "completed",
    ))
    .unwrap();
    assert_eq!(
        event.data.unwrap().phase,
        Some(types::OrderPhase::Unknown("payout-returned".to_owned()))
    );
}
