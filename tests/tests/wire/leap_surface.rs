//! Leap Financial RaaS partner API — the rest of the documented surface: contacts, receiving methods,
//! cards, UBN accounts, request money, operations (https://docs.leapfinancial.com/partner/operations/request-money),
//! the older-docs routes, the partner_full / partner_send operations, and the request_money_full_outcome
//! webhook (https://docs.leapfinancial.com/raas/api-reference/partner-webhooks).
//!
//! Request and response bodies (`tests/fixtures/wire/leap/`) are the vendor's examples, copied from
//! the OpenAPI files behind the published reference (public docs repository `jecomas/raas-partner-doc`),
//! each with its URL in the folder's README. Most partner_full / partner_send operations and
//! request_money_full have no vendor example: their bodies are written from the vendor's field tables,
//! with values taken from the vendor's other examples and field descriptions, and the README says so.

use httpmock::{
    Method::{GET, POST, PUT},
    MockServer,
};
use rampkit_leap::{Base64Document, Pii, types};

use super::common::fixture;
use super::leap::{bodiless, client, json_call, maria_del_carmen};

/// The RaaS userId of the vendor's examples.
const USER_TOKEN: &str = "OSZwErXgt1MGPHwkYJVqz3LTN0R2";

// =============================================================================================
// Contacts
// =============================================================================================

#[tokio::test]
async fn list_contacts_decodes_the_vendor_example() {
    let server = MockServer::start_async().await;
    let path = format!("/user/contacts/{USER_TOKEN}");
    let endpoint = bodiless(GET, &path)
        .answer(fixture("leap/list_contacts.200.json"))
        .start(&server)
        .await;

    let contacts = client(&server)
        .list_contacts(USER_TOKEN)
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(contacts.len(), 1);
    let hugo = &contacts[0];
    assert_eq!(hugo.phone.expose_str(), "+19166014999");
    assert_eq!(hugo.first_name.as_ref().unwrap().expose_str(), "Hugo");
    assert_eq!(hugo.last_name.as_ref().unwrap().expose_str(), "Tru");
    assert_eq!(
        hugo.email.as_ref().unwrap().expose_str(),
        "javier+1@leapfinancial.com"
    );
    assert_eq!(hugo.country_code.as_deref(), Some("US"));
    assert_eq!(hugo.alias.as_ref().unwrap().expose_str(), "Hugo");
    assert_eq!(hugo.id, None);
}

#[tokio::test]
async fn create_contact_sends_the_vendor_example() {
    let server = MockServer::start_async().await;
    let path = format!("/user/contacts/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .answer(fixture("leap/create_contact.200.json"))
        .start(&server)
        .await;

    let request = types::CreateContactRequestParamsPartner::new(
        "US".to_owned(),
        Pii::from("Hugo"),
        Pii::from("Tru"),
        Pii::from("+19166014999"),
    )
    .with_email(Pii::from("javier+1@leapfinancial.com"));
    let response = client(&server)
        .create_contact(USER_TOKEN, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/create_contact.request.json"))
        .await;
    assert_eq!(response.reason.as_deref(), Some("Contact created"));
    assert_eq!(response.code, None);
}

/// deletePaymentMethod as Leap's Python SDK documents it
/// (https://github.com/leapfinancial/rass_partner_sdk_new_py/blob/c56302d/docs/PartnerApi.md):
/// `POST /user/funding/source/delete/{userToken}?paymentMethodId=...`, no body, 200 or 204 with no body.
/// The vendor gives no example; the payment-method id is the one of the partner_full quote example.
#[tokio::test]
async fn delete_payment_method_sends_the_id_in_the_query_and_no_body() {
    for status in [200, 204] {
        let server = MockServer::start_async().await;
        let path = format!("/user/funding/source/delete/{USER_TOKEN}");
        let endpoint = bodiless(POST, &path)
            .query(&[("paymentMethodId", "6af8e158-be29-422a-8d69-703d6c343c3c")])
            .status(status)
            .answer("")
            .start(&server)
            .await;

        let response = client(&server)
            .delete_payment_method(USER_TOKEN, "6af8e158-be29-422a-8d69-703d6c343c3c")
            .await
            .unwrap_or_else(|e| panic!("HTTP {status}: {e}"));

        endpoint.assert_no_body().await;
        assert_eq!(response.status().as_u16(), status);
    }
}

#[tokio::test]
async fn replace_payment_method_sends_both_ids() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/replace-payment-method/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .status(204)
        .answer("")
        .start(&server)
        .await;

    let request = types::ReplaceCardParams::new(
        "op-plat-0001".to_owned(),
        "f9b8131f-404a-41e0-9312-927cf81f97fe".to_owned(),
    );
    let response = client(&server)
        .replace_payment_method(USER_TOKEN, &request)
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 204);
    endpoint
        .assert_sent(fixture("leap/replace_payment_method.request.json"))
        .await;
}

#[tokio::test]
async fn receive_money_sends_the_destination_and_the_correlation_id() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/receive-money/{USER_TOKEN}");
    let endpoint = json_call(POST, &path).answer("").start(&server).await;

    let request = types::ReceiveMoneyParams::new(
        "7011cefb-0c0b-48c1-a68a-7134d32e61e4".to_owned(),
        Pii::new(serde_json::json!({"id": "f9b8131f-404a-41e0-9312-927cf81f97fe"})),
    );
    client(&server)
        .receive_money(USER_TOKEN, &request)
        .await
        .unwrap();

    endpoint
        .assert_sent(fixture("leap/receive_money.request.json"))
        .await;
}

#[tokio::test]
async fn get_cash_operators_sends_the_amount_and_decodes_the_operators() {
    let server = MockServer::start_async().await;
    let path = format!("/user/funding/cash/operators/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .answer(fixture("leap/get_cash_operators.200.json"))
        .start(&server)
        .await;

    let request = types::CashOperatorsParamsBase::new().with_operation_ammount(150.0);
    let operators = client(&server)
        .get_cash_operators(USER_TOKEN, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/get_cash_operators.request.json"))
        .await;
    // The shapes of Leap's partner_full file (no example there): PascalCase location fields, the cash
    // provider and account type as the enums it lists — and a provider it does not list still decodes.
    let [operator, other] = operators.as_slice() else {
        panic!("two operators: {operators:?}")
    };
    assert_eq!(operator.external_id.as_deref(), Some("ext-1"));
    assert_eq!(operator.network[0].name.as_deref(), Some("Red Uno"));
    assert_eq!(
        operator.location[0].address_line1.as_deref(),
        Some("Av. Juarez 1")
    );
    assert_eq!(operator.location[0].phone.as_deref(), Some("5555555555"));
    assert_eq!(
        operator.network[0].cash_provider,
        Some(types::CashProvider::Numi)
    );
    assert_eq!(
        operator.cash_account_type,
        Some(types::CashAccountType::Prepaid)
    );
    assert_eq!(
        other.network[0].cash_provider.as_ref().map(|p| p.as_str()),
        Some("SomeNewNetwork")
    );
}

/// createContact also lists a `201 Created` without a body in the current partner spec
/// (https://github.com/jecomas/raas-partner-doc/blob/b5f6e9615913d6a89caba444316d815ebcf7118b/raas/swagger-partner.json):
/// it is a success, not an unexpected response or a decoding error.
#[tokio::test]
async fn create_contact_accepts_the_bodiless_201() {
    let server = MockServer::start_async().await;
    let path = format!("/user/contacts/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .status(201)
        .answer("")
        .start(&server)
        .await;

    let request = types::CreateContactRequestParamsPartner::new(
        "US".to_owned(),
        Pii::from("Hugo"),
        Pii::from("Tru"),
        Pii::from("+19166014999"),
    )
    .with_email(Pii::from("javier+1@leapfinancial.com"));
    let response = client(&server)
        .create_contact(USER_TOKEN, &request)
        .await
        .expect("a bodiless 201 is a success");

    endpoint.assert_called().await;
    assert_eq!(response.status().as_u16(), 201);
    let body = response.into_inner();
    assert_eq!(body.code, None);
    assert_eq!(body.reason, None);
}

#[tokio::test]
async fn update_contact_sends_the_vendor_example() {
    let server = MockServer::start_async().await;
    let path = format!("/user/contacts/{USER_TOKEN}");
    let endpoint = json_call(PUT, &path)
        .answer(fixture("leap/update_contact.200.json"))
        .start(&server)
        .await;

    let request = types::UpdateContactRequestParams::new(Pii::from("+19166014999"))
        .with_first_name(Pii::from("Hugo"))
        .with_last_name(Pii::from("Tru"))
        .with_email(Pii::from("javier+1@leapfinancial.com"))
        .with_country_code("US".to_owned());
    let response = client(&server)
        .update_contact(USER_TOKEN, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/create_contact.request.json"))
        .await;
    assert_eq!(response.reason.as_deref(), Some("Contact updated"));
}

#[tokio::test]
async fn get_contact_user_detail_puts_the_phone_in_the_path() {
    let server = MockServer::start_async().await;
    let path = format!("/user/contacts/user/{USER_TOKEN}/+19166020018");
    let endpoint = bodiless(GET, &path)
        .answer(fixture("leap/get_contact_user_detail.200.json"))
        .start(&server)
        .await;

    let detail = client(&server)
        .get_contact_user_detail(USER_TOKEN, "+19166020018")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(detail.has_completed_operations, Some(true));
    assert_eq!(detail.has_operations, Some(true));
    assert_eq!(detail.user_exists, Some(true));
}

#[tokio::test]
async fn get_frequent_contacts_puts_the_limit_in_the_path() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/frequent/{USER_TOKEN}/5");
    let endpoint = bodiless(GET, &path)
        .answer(fixture("leap/get_frequent_contacts.200.json"))
        .start(&server)
        .await;

    let contacts = client(&server)
        .get_frequent_contacts(USER_TOKEN, 5)
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(contacts.len(), 1);
    assert_eq!(contacts[0].phone.expose_str(), "+19163015400");
    assert_eq!(
        contacts[0].first_name.as_ref().unwrap().expose_str(),
        "Jose"
    );
    assert_eq!(
        contacts[0].last_name.as_ref().unwrap().expose_str(),
        "Llontop"
    );
    assert_eq!(contacts[0].country_code.as_deref(), Some("US"));
    assert_eq!(contacts[0].email, None);
}

// =============================================================================================
// Corridors and receiving methods
// =============================================================================================

#[tokio::test]
async fn get_available_payment_methods_decodes_the_vendor_example() {
    let server = MockServer::start_async().await;
    let path = format!("/user/corridors/available-receiver-methodtypes/{USER_TOKEN}");
    let endpoint = bodiless(GET, &path)
        .answer(fixture("leap/get_available_payment_methods.200.json"))
        .start(&server)
        .await;

    let methods = client(&server)
        .get_available_payment_methods(USER_TOKEN)
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(
        *methods,
        vec![
            types::AvailablePaymentMethods::CreditCard,
            types::AvailablePaymentMethods::DebitCard,
            types::AvailablePaymentMethods::Ubn,
        ]
    );
}

/// The older route (/user/corridors/available-methods) of
/// https://github.com/jecomas/raas-partner-doc/blob/3b7caa94a677887e69f30214f84e496e75c757ef/swagger-partner.json,
/// answered with its verbatim example (the same list); the query values are the parameter
/// descriptions' examples (`MX`, `RequestFunds`).
#[tokio::test]
async fn get_available_methods_sends_the_filters_as_query() {
    let server = MockServer::start_async().await;
    let path = format!("/user/corridors/available-methods/{USER_TOKEN}");
    let endpoint = bodiless(GET, &path)
        .query(&[
            ("destinationCountry", "MX"),
            ("operationType", "RequestFunds"),
        ])
        .answer(fixture("leap/get_available_payment_methods.200.json"))
        .start(&server)
        .await;

    let methods = client(&server)
        .get_available_methods(USER_TOKEN)
        .destination_country("MX")
        .operation_type("RequestFunds")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(methods.len(), 3);
    assert_eq!(methods[2], types::AvailablePaymentMethods::Ubn);
}

#[tokio::test]
async fn get_receiving_methods_sends_the_countries_as_query() {
    let server = MockServer::start_async().await;
    let path = format!("/user/funding/source/get-receiving-methods/{USER_TOKEN}");
    let endpoint = bodiless(GET, &path)
        .query(&[("sourceCountry", "US"), ("destinationCountry", "MX")])
        .answer(fixture("leap/get_receiving_methods.200.json"))
        .start(&server)
        .await;

    let methods = client(&server)
        .get_receiving_methods(USER_TOKEN)
        .destination_country("MX")
        .source_country("US")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(methods.len(), 1);
    let visa = &methods[0];
    assert_eq!(
        visa.id.as_deref(),
        Some("6af8e158-be29-422a-8d69-703d6c343c3c")
    );
    assert_eq!(visa.name.as_ref().unwrap().expose_str(), "VISA-1234");
    assert_eq!(visa.type_.as_deref(), Some("CreditCard"));
    assert_eq!(visa.is_primary, Some(true));
    assert_eq!(
        visa.number.as_ref().unwrap().expose_str(),
        "TOK_SANDBOX_9PNaaaqpqwertnD1jYkdw1_1234"
    );
}

#[tokio::test]
async fn get_payment_method_v2_sends_the_id_as_query() {
    let server = MockServer::start_async().await;
    let path = format!("/user/funding/source/get-payment-method-v2/{USER_TOKEN}");
    let endpoint = bodiless(GET, &path)
        .query(&[("id", "6af8e158-be29-422a-8d69-703d6c343c3c")])
        .answer(fixture("leap/get_payment_method_v2.200.json"))
        .start(&server)
        .await;

    let method = client(&server)
        .get_payment_method_v2(USER_TOKEN, "6af8e158-be29-422a-8d69-703d6c343c3c")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(
        method.id.as_deref(),
        Some("6af8e158-be29-422a-8d69-703d6c343c3c")
    );
    assert_eq!(method.type_.as_deref(), Some("CreditCard"));
    assert_eq!(method.is_primary, Some(true));
    assert_eq!(method.status, None);
}

#[tokio::test]
async fn list_funding_sources_for_request_decodes_the_older_example() {
    let server = MockServer::start_async().await;
    let path = format!("/user/funding/source/request-money/{USER_TOKEN}");
    let endpoint = bodiless(GET, &path)
        .query(&[("sourceCountry", "US"), ("destinationCountry", "MX")])
        .answer(fixture("leap/list_funding_sources_for_request.200.json"))
        .start(&server)
        .await;

    let sources = client(&server)
        .list_funding_sources_for_request(USER_TOKEN)
        .destination_country("MX")
        .source_country("US")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    let visa = &sources[0];
    assert_eq!(visa.type_, Some(types::AvailablePaymentMethods::CreditCard));
    assert_eq!(visa.name_on_card.as_ref().unwrap().expose_str(), "John Doe");
    assert_eq!(
        visa.expiration_date.as_ref().unwrap().expose_str(),
        "12/2025"
    );
    assert_eq!(visa.card_network.as_deref(), Some("Visa"));
    assert_eq!(visa.currency.as_deref(), Some("USD"));
}

#[tokio::test]
async fn list_funding_sources_for_send_decodes_the_documented_fields() {
    let server = MockServer::start_async().await;
    let path = format!("/user/funding/source/send-money/{USER_TOKEN}");
    let endpoint = bodiless(GET, &path)
        .query(&[("sourceCountry", "US"), ("destinationCountry", "MX")])
        .answer(fixture("leap/list_funding_sources_for_send.200.json"))
        .start(&server)
        .await;

    let sources = client(&server)
        .list_funding_sources_for_send(USER_TOKEN)
        .destination_country("MX")
        .source_country("US")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    let ubn = &sources[0];
    assert_eq!(ubn.type_, Some(types::AvailablePaymentMethods::Ubn));
    assert_eq!(
        ubn.account_number.as_ref().unwrap().expose_str(),
        "002320275621938815"
    );
    assert_eq!(ubn.status, Some(types::PaymentMethodStatus::Validated));
    assert_eq!(ubn.can_operate, Some(true));
}

#[tokio::test]
async fn get_corridors_sends_the_filters_as_query() {
    let server = MockServer::start_async().await;
    let endpoint = bodiless(GET, "/user/corridors")
        .query(&[
            ("sourceCountry", "US"),
            ("destinationCountry", "MX"),
            ("operationType", "SendFunds"),
        ])
        .answer(fixture("leap/get_corridors.200.json"))
        .start(&server)
        .await;

    let corridors = client(&server)
        .get_corridors()
        .destination_country("MX")
        .operation_type("SendFunds")
        .source_country("US")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    let corridor = &corridors[0];
    assert_eq!(corridor.id.as_deref(), Some("us-mx-debitcard"));
    assert_eq!(
        corridor.source_payment_method_type,
        Some(types::AvailablePaymentMethods::DebitCard)
    );
    assert_eq!(corridor.upper_limit, Some(2999.0));
    assert_eq!(corridor.is_active, Some(true));
    assert_eq!(corridor.destination_currency.as_deref(), Some("MXN"));
    assert_eq!(
        corridor.fees.as_ref().map(|f| f.expose()),
        Some(&serde_json::json!({"fixed": 0}))
    );
}

#[tokio::test]
async fn get_available_operation_type_sends_the_destination_as_query() {
    let server = MockServer::start_async().await;
    let path = format!("/user/corridors/available-operations/{USER_TOKEN}");
    let endpoint = bodiless(GET, &path)
        .query(&[("destinationCountry", "MX")])
        .answer(fixture("leap/get_available_operation_type.200.json"))
        .start(&server)
        .await;

    let types_ = client(&server)
        .get_available_operation_type(USER_TOKEN)
        .destination_country("MX")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(
        *types_,
        vec!["SendFunds".to_owned(), "RequestFunds".to_owned()]
    );
}

#[tokio::test]
async fn get_available_operations_no_user_sends_the_phone_as_query() {
    let server = MockServer::start_async().await;
    let endpoint = bodiless(GET, "/user/corridors/available-operations-data-free")
        .query(&[("toPhoneNumber", "+5215521206706")])
        .answer(fixture("leap/get_available_operations_no_user.200.json"))
        .start(&server)
        .await;

    let operations = client(&server)
        .get_available_operations_no_user()
        .to_phone_number("+5215521206706")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(
        operations[0].operation_type.as_deref(),
        Some("RequestFunds")
    );
    assert_eq!(operations[0].destination_country.as_deref(), Some("MX"));
    assert_eq!(operations[0].source_currency.as_deref(), Some("USD"));
    assert_eq!(operations[0].destination_currency.as_deref(), Some("MXN"));
}

#[tokio::test]
async fn get_available_payout_methods_sends_the_filters_as_query() {
    let server = MockServer::start_async().await;
    let path = format!("/user/corridors/available-payout-methods/{USER_TOKEN}");
    let endpoint = bodiless(GET, &path)
        .query(&[("destinationCountry", "MX"), ("operationType", "SendFunds")])
        .answer(fixture("leap/get_available_payout_methods.200.json"))
        .start(&server)
        .await;

    let methods = client(&server)
        .get_available_payout_methods(USER_TOKEN)
        .destination_country("MX")
        .operation_type("SendFunds")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(*methods, vec!["DebitCard".to_owned(), "UBN".to_owned()]);
}

// =============================================================================================
// Cards and UBN accounts
// =============================================================================================

#[tokio::test]
async fn create_funding_card_sends_the_vendor_example() {
    let server = MockServer::start_async().await;
    let path = format!("/user/funding/source/card/add/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .answer(fixture("leap/create_funding_card.200.json"))
        .start(&server)
        .await;

    let request = types::AddCardPartnerParams::new(
        types::CardNetwork::Visa,
        types::CardType::CreditCard,
        "US".to_owned(),
        Pii::from("0629"),
        Pii::from("Visa-1111"),
        Pii::from("PEDRO ALFONSO MOCK ITSOK"),
        Pii::from("TOK_SANDBOX_9PNaaaqpqwertnD1jYkdw1_1234"),
    )
    .with_is_primary(true)
    .with_security_code(Pii::from(""));
    let card = client(&server)
        .create_funding_card(USER_TOKEN, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/create_funding_card.request.json"))
        .await;
    assert_eq!(
        card.id.as_deref(),
        Some("b28cd13a-df67-46db-9f2d-c48e634789d6")
    );
    assert_eq!(card.type_, Some(types::AvailablePaymentMethods::DebitCard));
    assert_eq!(card.status, Some(types::PaymentMethodStatus::ValidatedPush));
    assert_eq!(
        card.number.as_ref().unwrap().expose_str(),
        "tok_sandbox_9PNgfqqpdpyQpnD1jYkdw1_1111"
    );
    assert_eq!(card.expiration_date.as_ref().unwrap().expose_str(), "1228");
    assert_eq!(card.latitude.as_ref().map(|l| *l.expose()), Some(0.0));
    assert_eq!(card.security_code.as_ref().unwrap().expose_str(), "");
    assert_eq!(card.allow_review_address, Some(false));
    assert_eq!(card.created_at, None);
    assert_eq!(card.updated_at, None);
}

#[tokio::test]
async fn add_ubn_account_sends_the_vendor_example() {
    let server = MockServer::start_async().await;
    let path = format!("/user/funding/source/ubn-account/add/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .answer(fixture("leap/add_ubn_account.200.json"))
        .start(&server)
        .await;

    let request = types::AddUbnParams::new(Pii::from("002320275621938815"))
        .with_currency("MXN".to_owned())
        .with_country("MX".to_owned());
    let method = client(&server)
        .add_ubn_account(USER_TOKEN, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/add_ubn_account.request.json"))
        .await;
    assert_eq!(method.id, "6d41ada5-4ecd-4bc4-a561-9a0577a39da7");
    assert_eq!(method.status, types::PaymentMethodStatus::Created);
    assert_eq!(method.name.as_ref().unwrap().expose_str(), "UBN-7890");
    assert_eq!(method.is_primary, Some(false));
    assert_eq!(
        method.created_at.as_deref(),
        Some("2026-04-13T17:47:35.667Z")
    );
}

// =============================================================================================
// Request money and operations
// =============================================================================================

fn request_money_v2_request() -> types::RequestMoneyPartnerParams {
    types::RequestMoneyPartnerParams::new(
        "7011cefb-0c0b-48c1-a68a-7134d32e61e4".to_owned(),
        25.0,
        "USD".to_owned(),
        Pii::from("+19166014999"),
    )
    .with_destination_payment_method_id("6af8e158-be29-422a-8d69-703d6c343c3c".to_owned())
    .with_reason("Request CrossBorder to ...".to_owned())
}

#[tokio::test]
async fn request_money_v2_sends_the_vendor_example() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/request-money-v2/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .answer(fixture("leap/request_money_v2.200.json"))
        .start(&server)
        .await;

    let operation = client(&server)
        .request_money_v2(USER_TOKEN, &request_money_v2_request())
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/request_money_v2.request.json"))
        .await;
    assert_eq!(operation.code, "Ze2i4o");
    assert_eq!(operation.status, types::OperationStatus::Sent);
    assert_eq!(operation.created_at, "/Date(1776102856022)/");
    assert_eq!(operation.amount, 500.0);
    assert_eq!(operation.recipient_amout, Some(500.0));
    assert_eq!(
        operation.correlation_id.as_deref(),
        Some("b6bf4bcd-7751-426b-86c6-1b3d72ee5a02")
    );
    let to_user = operation.to_user.as_ref().unwrap();
    assert_eq!(to_user.first_name.as_ref().unwrap().expose_str(), "Maria");
    assert_eq!(to_user.email.as_ref().unwrap().expose_str(), "");
    let from_user = operation.from_user.as_ref().unwrap();
    assert_eq!(from_user.user_id.as_ref().unwrap().expose_str(), "0");
    let source = operation.source_payment_method.as_ref().unwrap();
    assert_eq!(source.id, None);
    assert_eq!(source.number, None);
    let destination = operation.destination_payment_method.as_ref().unwrap();
    assert_eq!(destination.type_.as_deref(), Some("DebitCard"));
    assert_eq!(
        operation.attribution_link.as_ref().unwrap().expose_str(),
        "https://links-dev.nomas.cash/EFUb8"
    );
    assert_eq!(
        operation.plat_id.as_deref(),
        Some("22038600-846a-47fd-8733-3b0fa886d894")
    );
}

#[tokio::test]
async fn request_money_v2_older_pending_status_decodes_as_unknown() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/request-money-v2/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .answer(fixture("leap/request_money_v2.200.older_docs.json"))
        .start(&server)
        .await;

    let operation = client(&server)
        .request_money_v2(USER_TOKEN, &request_money_v2_request())
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/request_money_v2.request.json"))
        .await;
    assert_eq!(operation.code, "REQ789");
    assert_eq!(
        operation.status,
        types::OperationStatus::Unknown("Pending".to_owned())
    );
    assert!(operation.status.is_unknown());
    assert_eq!(operation.recipient_amout, Some(2700.0));
    assert_eq!(operation.exchange_rate, Some(18.0));
    assert_eq!(operation.transaction_fee, Some(0.0));
    assert_eq!(operation.total_amount, Some(150.0));
}

#[tokio::test]
async fn request_money_full_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/user/operations/request-money-full")
        .answer(fixture("leap/request_money_full.200.json"))
        .start(&server)
        .await;

    let request = types::RequestMoneyFullParams::new(
        types::RequestMoneyFullRequest::new(
            "7011cefb-0c0b-48c1-a68a-7134d32e61e4".to_owned(),
            types::RaaSPartnerPaymentMethod::new(types::RaaSPartnerPaymentMethodType::DebitCard)
                .with_number(Pii::from("tok_sandbox_9PNgfqqpdpyQpnD1jYkdw1_1111"))
                .with_name_on_card(Pii::from("PEDRO ALFONSO MOCK ITSOK"))
                .with_expiration_date(Pii::from("1228"))
                .with_country("MX".to_owned())
                .with_currency("MXN".to_owned()),
            500.0,
            "MXN".to_owned(),
            types::RequestToParams::new(
                "MX".to_owned(),
                Pii::from("Maria"),
                Pii::from("Garcia"),
                Pii::from("+5215521206706"),
            ),
        )
        .with_reason("Pago de servicio".to_owned()),
        maria_del_carmen(),
    );
    let accepted = client(&server)
        .request_money_full(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/request_money_full.request.json"))
        .await;
    assert_eq!(accepted.user_id.expose_str(), USER_TOKEN);
    assert_eq!(
        accepted.operation_id,
        "7011cefb-0c0b-48c1-a68a-7134d32e61e4"
    );
    assert_eq!(accepted.status, types::RequestMoneyFullStatus::Accepted);
    assert_eq!(
        accepted.link.expose_str(),
        "https://links-dev.nomas.cash/EFUb8"
    );
}

#[tokio::test]
async fn get_operation_status_decodes_the_bare_string() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/status/{USER_TOKEN}/b6bf4bcd-7751-426b-86c6-1b3d72ee5a02");
    let endpoint = bodiless(GET, &path)
        .answer(fixture("leap/get_operation_status.200.json"))
        .start(&server)
        .await;

    let status = client(&server)
        .get_operation_status(USER_TOKEN, "b6bf4bcd-7751-426b-86c6-1b3d72ee5a02")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(status.as_str(), "Completed");
    let parsed: types::OperationStatus = status.parse().unwrap();
    assert_eq!(parsed, types::OperationStatus::Completed);
}

/// getInAndOutOperations as Leap's partner_full spec documents it
/// (https://github.com/jecomas/raas-partner-doc/blob/1572b90fa180f142f93bd7fe89dfd908ebcc7a01/raas/swagger-partner-full.json):
/// GET with the optional `toPhoneNumber` query, answering a list of operations. The vendor gives no example of the
/// list: it holds the getOperation example (`get_operation.200.json`, verbatim) as its one element.
#[tokio::test]
async fn get_in_and_out_operations_sends_the_counterpart_and_decodes_the_list() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/in-out/{USER_TOKEN}");
    let list = format!("[{}]", fixture("leap/get_operation.200.json"));
    let endpoint = bodiless(GET, &path)
        .query(&[("toPhoneNumber", "+19163015400")])
        .answer(&list)
        .start(&server)
        .await;

    let operations = client(&server)
        .get_in_and_out_operations(USER_TOKEN)
        .to_phone_number("+19163015400")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    let [operation] = operations.as_slice() else {
        panic!("one operation: {operations:?}")
    };
    assert_eq!(operation.code, "Ze2i4o");
    assert_eq!(operation.status, types::OperationStatus::Sent);
    // The counterpart's phone travels in the query, never in Debug.
    assert!(!format!("{operations:?}").contains("+19163015400"));
}

/// The other counterpart filter of partner_full's getInAndOutOperations, `toEmail` ("Optional filter by
/// destination email"); the address is the test's.
#[tokio::test]
async fn get_in_and_out_operations_sends_the_counterpart_email() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/in-out/{USER_TOKEN}");
    let endpoint = bodiless(GET, &path)
        .query(&[("toEmail", "jane.doe@example.com")])
        .answer("[]")
        .start(&server)
        .await;

    let operations = client(&server)
        .get_in_and_out_operations(USER_TOKEN)
        .to_email("jane.doe@example.com")
        .await
        .unwrap()
        .into_inner();

    assert_eq!(
        endpoint.received().await.path,
        format!("{path}?toEmail=jane.doe%40example.com")
    );
    assert!(operations.is_empty());
}

#[tokio::test]
async fn get_operation_decodes_the_vendor_example() {
    let server = MockServer::start_async().await;
    let endpoint = bodiless(
        GET,
        "/user/operations/detail/b6bf4bcd-7751-426b-86c6-1b3d72ee5a02",
    )
    .answer(fixture("leap/get_operation.200.json"))
    .start(&server)
    .await;

    let operation = client(&server)
        .get_operation("b6bf4bcd-7751-426b-86c6-1b3d72ee5a02")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(
        operation.id.as_deref(),
        Some("b6bf4bcd-7751-426b-86c6-1b3d72ee5a02")
    );
    assert_eq!(operation.type_.as_deref(), Some("request"));
    assert_eq!(operation.status, types::OperationStatus::Sent);
    assert_eq!(operation.status_details.as_deref(), Some("RequestSent"));
    assert_eq!(operation.created_at, "2026-04-13T17:54:15.180Z");
    assert_eq!(operation.sender_currency.as_deref(), Some("USD"));
    assert_eq!(operation.tenantfee, Some(0.0));
    assert_eq!(operation.is_ignored, Some(false));
    assert_eq!(operation.cancelable, Some(false));
    let from_to: Vec<&str> = operation.from_to.iter().map(|id| id.expose_str()).collect();
    assert_eq!(from_to, ["5bMwDyW4ZDVgu58HKzocpZcZ7fz1"]);
    let destination = operation.destination_payment_method.as_ref().unwrap();
    assert_eq!(
        destination.id.as_deref(),
        Some("f9b8131f-404a-41e0-9312-927cf81f97fe")
    );
    let to_user = operation.to_user.as_ref().unwrap();
    assert_eq!(
        to_user.phone_number.as_ref().unwrap().expose_str(),
        "+19163015400"
    );
    assert_eq!(to_user.first_name, None);
}

#[tokio::test]
async fn get_operations_sends_the_phone_filter_as_query() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/{USER_TOKEN}");
    let endpoint = bodiless(GET, &path)
        .query(&[("toPhoneNumber", "+19166020018")])
        .answer(fixture("leap/get_operations.200.json"))
        .start(&server)
        .await;

    let operations = client(&server)
        .get_operations(USER_TOKEN)
        .to_phone_number("+19166020018")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(operations.len(), 1);
    assert_eq!(operations[0].code, "Ze2i4o");
    assert_eq!(
        operations[0].plat_id.as_deref(),
        Some("22038600-846a-47fd-8733-3b0fa886d894")
    );
    assert_eq!(
        operations[0].user_id.as_ref().unwrap().expose_str(),
        "5bMwDyW4ZDVgu58HKzocpZcZ7fz1"
    );
}

// =============================================================================================
// Quotes and send funds (partner_full / partner_send)
// =============================================================================================

fn assert_quote(quote: &types::RaasQuoteTransactionResponse) {
    assert_eq!(quote.id.as_deref(), Some("quote-0001"));
    assert_eq!(quote.reason, Some(types::QuoteReason::None));
    assert_eq!(quote.reason_detail, Some(types::QuoteReasonDetail::None));
    assert_eq!(quote.exchange_rate, Some(18.0));
    assert_eq!(quote.destination_amount, Some(2700.0));
    assert_eq!(quote.is_executable, Some(true));
    assert_eq!(
        quote.operation_type,
        Some(types::OperationTypeValue::SendFunds)
    );
}

#[tokio::test]
async fn get_operation_quote_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/quotation/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .answer(fixture("leap/get_operation_quote.200.json"))
        .start(&server)
        .await;

    let request = types::QuoteTransactionBase::new(
        150.0,
        "USD".to_owned(),
        true,
        "SendFunds".to_owned(),
        2700.0,
        "MX".to_owned(),
        "MXN".to_owned(),
        Pii::from("d8491cd95cae4fa0ad45d765021adbbb"),
        "US".to_owned(),
        Pii::new(serde_json::json!({"id": "6af8e158-be29-422a-8d69-703d6c343c3c"})),
    )
    .with_destination_payment_method(Pii::new(
        serde_json::json!({"id": "f9b8131f-404a-41e0-9312-927cf81f97fe"}),
    ))
    .with_tennant_fee(0.0);
    let quote = client(&server)
        .get_operation_quote(USER_TOKEN, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/get_operation_quote.request.json"))
        .await;
    assert_quote(&quote);
}

/// The operationQuoteV2 request example (`operation_quote_v2.request.json`) as the typed request.
fn quote_partners_request() -> types::QuoteTransactionPartnersBase {
    types::QuoteTransactionPartnersBase::new(
        100.0,
        "USD".to_owned(),
        true,
        Pii::from("d8491cd95cae4fa0ad45d765021adbbb"),
    )
    .with_source_payment_method_id("6af8e158-be29-422a-8d69-703d6c343c3c".to_owned())
    .with_destination_payment_method_id("f9b8131f-404a-41e0-9312-927cf81f97fe".to_owned())
}

#[tokio::test]
async fn operation_quote_sends_the_vendor_example() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/operation-quote/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .answer(fixture("leap/get_operation_quote.200.json"))
        .start(&server)
        .await;

    let request = quote_partners_request();
    let quote = client(&server)
        .operation_quote(USER_TOKEN, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/operation_quote_v2.request.json"))
        .await;
    assert_quote(&quote);
}

#[tokio::test]
async fn pre_quote_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/pre-quote/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .answer(fixture("leap/pre_quote.200.json"))
        .start(&server)
        .await;

    let request = types::PartnerPreQuoteRequest::new(
        100.0,
        Pii::new(serde_json::json!({
            "type": "UBN",
            "number": "002320275621938815",
            "currency": "MXN",
            "country": "MX"
        })),
    )
    .with_currency("USD".to_owned());
    let pre_quote = client(&server)
        .pre_quote(USER_TOKEN, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/pre_quote.request.json"))
        .await;
    let quote = &pre_quote.quotes[0];
    assert_eq!(quote.type_, Some(types::AvailablePaymentMethods::Ubn));
    assert_eq!(quote.transaction_fee, Some(2.99));
    assert_eq!(quote.total_amount, Some(102.99));
}

#[tokio::test]
async fn operation_quote_lite_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/user/operations/operation-quote-lite")
        .answer(fixture("leap/operation_quote_lite.200.json"))
        .start(&server)
        .await;

    let request = types::QuoteLiteTransaction::new(
        150.0,
        "USD".to_owned(),
        "MX".to_owned(),
        "MXN".to_owned(),
        types::QuotePaymentMethodType::Ubn,
        true,
        types::OperationType::SendFunds,
        "US".to_owned(),
        types::QuotePaymentMethodType::DebitCard,
    );
    let quote = client(&server)
        .operation_quote_lite(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/operation_quote_lite.request.json"))
        .await;
    assert_eq!(quote.is_executable, Some(false));
    assert_eq!(quote.reason, Some(types::QuoteReason::NeedUpgradeLevel1));
    assert_eq!(quote.reason_detail, Some(types::QuoteReasonDetail::Sender));
    assert_eq!(quote.upper_limit, Some(2999.0));
}

#[tokio::test]
async fn send_funds_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/send-funds/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .answer(fixture("leap/send_funds.200.json"))
        .start(&server)
        .await;

    let request = types::SendMoneyPartnerParams::new(
        "7011cefb-0c0b-48c1-a68a-7134d32e61e4".to_owned(),
        "quote-0001".to_owned(),
    )
    .with_currency("USD".to_owned())
    .with_amount(150.0)
    .with_reason("Pago de servicio".to_owned())
    .with_source_payment_method_id("6af8e158-be29-422a-8d69-703d6c343c3c".to_owned())
    .with_destination_payment_method_id("f9b8131f-404a-41e0-9312-927cf81f97fe".to_owned())
    .with_send_to(Pii::from("+5215521206706"));
    let operation = client(&server)
        .send_funds(USER_TOKEN, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/send_funds.request.json"))
        .await;
    assert_eq!(operation.status, types::OperationStatus::Sent);
    assert_eq!(operation.code, "Ze2i4o");
    assert_eq!(operation.amount, 150.0);
}

#[tokio::test]
async fn get_landing_port_status_event_decodes_the_documented_fields() {
    let server = MockServer::start_async().await;
    let endpoint = bodiless(
        GET,
        "/user/landing-port/status/b6bf4bcd-7751-426b-86c6-1b3d72ee5a02",
    )
    .answer(fixture("leap/get_landing_port_status_event.200.json"))
    .start(&server)
    .await;

    let event = client(&server)
        .get_landing_port_status_event("b6bf4bcd-7751-426b-86c6-1b3d72ee5a02")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    let operation = event.operation.as_ref().unwrap();
    assert_eq!(operation.status, Some(types::OperationStatus::Funding));
    assert_eq!(operation.recipient_amount, Some(500.0));
    assert_eq!(operation.is_landing_port_flow, Some(true));
    assert_eq!(event.pending_user_data, vec!["dob".to_owned()]);
    assert_eq!(
        event.pending_payment_method,
        Some(types::LpOperationEventPaymentMethod::DebitCard)
    );
    assert_eq!(event.event_case.as_deref(), Some("PendingPaymentMethod"));
    let user_from = event.user_from.as_ref().unwrap();
    assert_eq!(user_from.first_name.as_ref().unwrap().expose_str(), "Maria");
}

// =============================================================================================
// Registration, OTP, PIN and profile (partner_full / partner_send)
// =============================================================================================

#[tokio::test]
async fn register_trusted_user_sends_the_register_user_example() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/auth/register-trusted-user")
        .answer(fixture("leap/register_trusted_user.200.json"))
        .start(&server)
        .await;

    let response = client(&server)
        .register_trusted_user(&maria_del_carmen())
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/register_user_v2.request.json"))
        .await;
    assert_eq!(response.user_id.as_ref().unwrap().expose_str(), USER_TOKEN);
}

#[tokio::test]
async fn register_sender_sends_the_register_user_example() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/auth/register-sender")
        .answer(fixture("leap/register_user_v2.200.json"))
        .start(&server)
        .await;

    let response = client(&server)
        .register_sender(&maria_del_carmen())
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/register_user_v2.request.json"))
        .await;
    assert_eq!(response.user_id.expose_str(), USER_TOKEN);
    assert_eq!(response.status, Some(types::CipStatus::OnProcess));
}

#[tokio::test]
async fn register_receiver_puts_the_sender_in_the_path() {
    let server = MockServer::start_async().await;
    let path = format!("/auth/register-receiver/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .answer(fixture("leap/register_user_v2.200.json"))
        .start(&server)
        .await;

    let response = client(&server)
        .register_receiver(USER_TOKEN, &maria_del_carmen())
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/register_user_v2.request.json"))
        .await;
    assert_eq!(response.user_id.expose_str(), USER_TOKEN);
}

#[tokio::test]
async fn request_otp_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/auth/request-otp")
        .answer("")
        .start(&server)
        .await;

    let request = types::RequestOtpParams::new()
        .with_lang(types::Language::Es)
        .with_phone(Pii::from("+5215521206703"));
    let response = client(&server).request_otp(&request).await.unwrap();

    endpoint
        .assert_sent(fixture("leap/request_otp.request.json"))
        .await;
    assert_eq!(response.status(), 200);
    response.into_inner();
}

#[tokio::test]
async fn validate_otp_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/auth/validate-otp")
        .answer("")
        .start(&server)
        .await;

    let request = types::ValidateOtpParamsPartner::new(Pii::from("123456"))
        .with_phone(Pii::from("+5215521206703"));
    client(&server)
        .validate_otp(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/validate_otp.request.json"))
        .await;
}

#[tokio::test]
async fn is_phone_available_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/auth/is-phone-available")
        .answer(fixture("leap/is_phone_available.200.json"))
        .start(&server)
        .await;

    let request = types::IsPhoneAvailableRequest::new(Pii::from("+12223334444"));
    let availability = client(&server)
        .is_phone_available(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/is_phone_available.request.json"))
        .await;
    assert_eq!(availability.available, Some(true));
    assert_eq!(availability.verified, Some(false));
    assert_eq!(availability.has_pincode, Some(false));
}

#[tokio::test]
async fn validate_pin_code_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/user/validate-pincode")
        .answer(fixture("leap/validate_pin_code.200.json"))
        .start(&server)
        .await;

    let request = types::ValidatePinCodeParamsPartner::new(Pii::from("2468"))
        .with_phone(Pii::from("+5215521206703"));
    let response = client(&server)
        .validate_pin_code(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/validate_pin_code.request.json"))
        .await;
    assert_eq!(response.code.as_deref(), Some("OK"));
}

#[tokio::test]
async fn create_pin_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/user/pin")
        .status(201)
        .answer("")
        .start(&server)
        .await;

    let request = types::SetPincodeParamsPartner::new(Pii::from("2468"))
        .with_email(Pii::from("ana.hernandez@example.com"));
    let response = client(&server).create_pin(&request).await.unwrap();

    endpoint
        .assert_sent(fixture("leap/create_pin.request.json"))
        .await;
    assert_eq!(response.status(), 201);
}

#[tokio::test]
async fn get_profile_puts_the_email_in_the_path() {
    let server = MockServer::start_async().await;
    let endpoint = bodiless(GET, "/user/profile/ana.hernandez@example.com")
        .answer(fixture("leap/get_profile.200.json"))
        .start(&server)
        .await;

    let user = client(&server)
        .get_profile("ana.hernandez@example.com")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(user.id.as_ref().unwrap().expose_str(), USER_TOKEN);
    assert_eq!(user.tenant_code.as_deref(), Some("MX01"));
    assert_eq!(user.status, Some(types::UserStatusValue::Ready));
    assert_eq!(user.lang, Some(types::LanguageValue::Es));
    assert_eq!(user.latitude.as_ref().map(|l| *l.expose()), Some(21.1355));
    let phone = user.phone_info.as_ref().unwrap();
    assert_eq!(
        phone.carrier.as_ref().unwrap().name.as_deref(),
        Some("Telcel")
    );
    let document = &user.cip.as_ref().unwrap().documents[0];
    assert_eq!(document.sides, Some(2.0));
    assert_eq!(
        document
            .data
            .as_ref()
            .unwrap()
            .id
            .as_ref()
            .unwrap()
            .expose_str(),
        "ARMM870624"
    );
    let debug = format!("{user:?}");
    assert!(!debug.contains("Arenas"), "{debug}");
    assert!(!debug.contains("ARMM870624"), "{debug}");
}

#[tokio::test]
async fn update_profile_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(PUT, "/user/profile/+5215521206703")
        .answer("")
        .start(&server)
        .await;

    let request = types::UserUpdateParams::new()
        .with_email(Pii::from("user@example.com"))
        .with_first_name(Pii::from("María"))
        .with_last_name(Pii::from("García"))
        .with_address1(Pii::from("Av. Reforma 222"))
        .with_state(Pii::from("MX-JAL"))
        .with_status(types::UserStatus::Ready)
        .with_lang(types::Language::Es)
        .with_t_and_c_accepted(true);
    client(&server)
        .update_profile("+5215521206703", &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/update_profile.request.json"))
        .await;
}

// =============================================================================================
// CIP (partner_full / partner_send)
// =============================================================================================

fn level_one() -> types::PerformLevelOneParams {
    types::PerformLevelOneParams::new(
        Pii::from("Avenida Calle Dos 296"),
        Pii::from("San Pedro de los Pinos"),
        Pii::from("Maria"),
        Pii::from("Garcia"),
        Pii::from("CDMX"),
        Pii::from("03800"),
    )
    .with_country_code("MX".to_owned())
    .with_date_of_birth(Pii::from("1987-06-24"))
    .with_gender(types::Gender::Female)
    .with_lang(types::Language::Es)
    .with_latitude(Pii::new(19.3953755))
    .with_longitude(Pii::new(-99.1384059))
}

#[tokio::test]
async fn perform_level_one_v2_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let path = format!("/cip/level/one/v2/{USER_TOKEN}");
    let endpoint = json_call(POST, &path).answer("").start(&server).await;

    client(&server)
        .perform_level_one_v2(USER_TOKEN, &level_one())
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/perform_level_one_v2.request.json"))
        .await;
}

fn level_two() -> types::LevelTwoParams {
    types::LevelTwoParams::new()
        .with_ssn(Pii::from("123-45-6789"))
        .with_call_location_latitude(Pii::new(21.1619))
        .with_call_location_longitude(Pii::new(-86.8515))
}

#[tokio::test]
async fn set_level_two_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/cip/set-level/two/+5215521206703")
        .answer("")
        .start(&server)
        .await;

    client(&server)
        .set_level_two("+5215521206703", &level_two())
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/set_level_two.request.json"))
        .await;
}

#[tokio::test]
async fn start_level_two_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let path = format!("/cip/level/two/{USER_TOKEN}");
    let endpoint = json_call(POST, &path).answer("").start(&server).await;

    client(&server)
        .start_level_two(USER_TOKEN, &level_two())
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/set_level_two.request.json"))
        .await;
}

/// setTrustedLevelTwo (partner_full spec): no request body, 200 with no body.
/// Vendor file: https://github.com/jecomas/raas-partner-doc/blob/1572b90fa180f142f93bd7fe89dfd908ebcc7a01/raas/swagger-partner-full.json
#[tokio::test]
async fn set_trusted_level_two_sends_no_body() {
    let server = MockServer::start_async().await;
    let endpoint = bodiless(POST, "/cip/level/two/+5215521206703/trusted")
        .answer("")
        .start(&server)
        .await;

    client(&server)
        .set_trusted_level_two("+5215521206703")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
}

/// setTrustedLevelTwoV2 (partner_full spec): no request body, 200 with no body.
/// Vendor file: https://github.com/jecomas/raas-partner-doc/blob/1572b90fa180f142f93bd7fe89dfd908ebcc7a01/raas/swagger-partner-full.json
#[tokio::test]
async fn set_trusted_level_two_v2_sends_no_body() {
    let server = MockServer::start_async().await;
    let path = format!("/cip/level/two/trusted/v2/{USER_TOKEN}");
    let endpoint = bodiless(POST, &path).answer("").start(&server).await;

    client(&server)
        .set_trusted_level_two_v2(USER_TOKEN)
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
}

/// setAlternateCIP (partner_full spec): `type` query parameter (the AlternateFlow enum's only value,
/// `ssn`), no body, 200 with no body.
/// Vendor file: https://github.com/jecomas/raas-partner-doc/blob/1572b90fa180f142f93bd7fe89dfd908ebcc7a01/raas/swagger-partner-full.json
#[tokio::test]
async fn set_alternate_cip_sends_the_flow_as_query() {
    let server = MockServer::start_async().await;
    let endpoint = bodiless(POST, "/cip/alternate/+5215521206703")
        .query(&[("type", "ssn")])
        .answer("")
        .start(&server)
        .await;

    client(&server)
        .set_alternate_cip("+5215521206703", "ssn")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
}

fn assert_cip_info(cip: &types::CipInfo) {
    assert_eq!(cip.cip_level, Some(1.0));
    assert_eq!(cip.has_proof_of_l_ife, Some(false));
    assert_eq!(cip.level1status, Some(types::LevelStatus::Completed));
    assert_eq!(cip.level2status, Some(types::LevelStatus::UpgradePending));
    assert_eq!(
        cip.level2status_detail,
        Some(types::PlatLevelStatusDetail::ProvideAdditionalInfo)
    );
    assert_eq!(cip.doc_type, Some(types::PlatDocumentType::Id));
    assert_eq!(cip.pol_attemps_count, Some(2.0));
    assert_eq!(cip.pol_status, Some(types::PolStatus::Retry));
    assert_eq!(
        cip.account_status,
        Some(types::CipAccountStatus::InProgress)
    );
    assert_eq!(
        cip.account_status_detail,
        Some(types::CipAccountStatusDetail::IdAlreadyUsed)
    );
    assert_eq!(
        cip.errors_process
            .as_ref()
            .unwrap()
            .error_ofac_not_valid
            .as_deref(),
        Some("OFAC match")
    );
    assert_eq!(cip.lola_cip.as_ref().unwrap().in_progress, Some(false));
}

#[tokio::test]
async fn get_cip_info_puts_the_phone_in_the_path() {
    let server = MockServer::start_async().await;
    let endpoint = bodiless(GET, "/cip/process/+5215521206703")
        .answer(fixture("leap/get_cip_info.200.json"))
        .start(&server)
        .await;

    let cip = client(&server)
        .get_cip_info("+5215521206703")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_cip_info(&cip);
}

#[tokio::test]
async fn get_identity_status_puts_the_user_token_in_the_path() {
    let server = MockServer::start_async().await;
    let path = format!("/cip/process/v2/{USER_TOKEN}");
    let endpoint = bodiless(GET, &path)
        .answer(fixture("leap/get_cip_info.200.json"))
        .start(&server)
        .await;

    let cip = client(&server)
        .get_identity_status(USER_TOKEN)
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_cip_info(&cip);
}

#[tokio::test]
async fn perform_resubmit_upgrade_level_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/cip/level/resubmit-upgrade")
        .answer("")
        .start(&server)
        .await;

    let request = types::PerformResubmitUpgradeLevelParams::new(
        1.0,
        types::PerformResubmitLevelStatusDetail::InvalidAddress,
    )
    .with_address1(Pii::from("Blvd. Kukulcan Km. 4.5"))
    .with_city(Pii::from("Cancún"))
    .with_state(Pii::from("Q.R."))
    .with_zip_code(Pii::from("77500"))
    .with_country_code("MX".to_owned());
    client(&server)
        .perform_resubmit_upgrade_level(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/perform_resubmit_upgrade_level.request.json"))
        .await;
}

#[tokio::test]
async fn get_pol_token_decodes_the_documented_fields() {
    let server = MockServer::start_async().await;
    let path = format!("/cip/poltoken/{USER_TOKEN}");
    let endpoint = bodiless(GET, &path)
        .answer(fixture("leap/get_pol_token.200.json"))
        .start(&server)
        .await;

    let token = client(&server)
        .get_pol_token(USER_TOKEN)
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(token.token.as_ref().unwrap().expose_str(), "pol-token-0001");
}

#[tokio::test]
async fn validate_pol_token_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let path = format!("/cip/validatePoltoken/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .answer(fixture("leap/validate_pol_token.200.json"))
        .start(&server)
        .await;

    let request = types::PolTokenParams::new().with_token(Pii::from("pol-token-0001"));
    let validation = client(&server)
        .validate_pol_token(USER_TOKEN, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/validate_pol_token.request.json"))
        .await;
    assert_eq!(validation.status, Some(types::PolStatus::Passed));
}

#[tokio::test]
async fn get_docs_types_by_user_decodes_the_documented_fields() {
    let server = MockServer::start_async().await;
    let path = format!("/cip/docs-types-by-user/{USER_TOKEN}");
    let endpoint = bodiless(GET, &path)
        .answer(fixture("leap/get_docs_types_by_user.200.json"))
        .start(&server)
        .await;

    let items = client(&server)
        .get_docs_types_by_user(USER_TOKEN)
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(items.len(), 2);
    assert_eq!(items[0].type_, Some(types::DocTypeValue::Ine));
    assert_eq!(items[1].type_, Some(types::DocTypeValue::Passport));
    assert_eq!(items[1].front_only, Some(true));
}

#[tokio::test]
async fn upload_files_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let path = format!("/cip/uploadFiles/{USER_TOKEN}");
    let endpoint = json_call(POST, &path).answer("").start(&server).await;

    let request = types::UploadFilesParams::new(types::UploadFilesType::Id).with_id(
        types::UploadScanIdsParams::new(
            types::DocType::Ine,
            types::FileUploaded::new(
                Base64Document::plain(vec![0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10]),
                "ine-front.jpg".to_owned(),
                "image/jpeg".to_owned(),
            ),
        )
        .with_document_id_value(Pii::from("ARMM870624")),
    );
    client(&server)
        .upload_files(USER_TOKEN, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/upload_files.request.json"))
        .await;
}

#[tokio::test]
async fn can_operate_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let path = format!("/cip/can-operate/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .answer(fixture("leap/can_operate.200.json"))
        .start(&server)
        .await;

    let request = types::CanOperateParams::new()
        .with_phone(Pii::from("+5215521206703"))
        .with_amount_want_send(150.0);
    let answer = client(&server)
        .can_operate(USER_TOKEN, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/can_operate.request.json"))
        .await;
    assert_eq!(answer.can_operate, Some(true));
    assert_eq!(answer.ofac_failed, Some(false));
    assert_eq!(answer.rest, Some(849.0));
}

#[tokio::test]
async fn get_lola_cip_link_decodes_the_documented_fields() {
    let server = MockServer::start_async().await;
    let path = format!("/cip/lola/link/{USER_TOKEN}");
    let endpoint = bodiless(GET, &path)
        .answer(fixture("leap/get_lola_cip_link.200.json"))
        .start(&server)
        .await;

    let link = client(&server)
        .get_lola_cip_link(USER_TOKEN)
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(link.existing_completed_cip, Some(false));
    assert_eq!(
        link.url.as_ref().unwrap().expose_str(),
        "https://links-dev.nomas.cash/Q1nO3"
    );
}

// =============================================================================================
// Older widget spec
// =============================================================================================

#[tokio::test]
async fn auth_by_token_link_sends_the_documented_fields() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/auth/auth-by-token-link")
        .answer(fixture("leap/auth_by_token_link.200.json"))
        .start(&server)
        .await;

    let request = types::TokenParams::new(Pii::from("Q1nO3"));
    let answer = client(&server)
        .auth_by_token_link(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/auth_by_token_link.request.json"))
        .await;
    let white_label = answer.white_label.as_ref().unwrap();
    assert_eq!(white_label.widget_font.as_deref(), Some("Inter"));
    assert_eq!(
        answer.api_key.as_ref().unwrap().expose_str(),
        "widget-session-key"
    );
    assert_eq!(
        answer.user.as_ref().unwrap().tenant_id.as_deref(),
        Some("tenant-mx")
    );
    assert!(!format!("{answer:?}").contains("widget-session-key"));
}

// =============================================================================================
// Webhook request_money_full_outcome
// =============================================================================================

#[test]
fn request_money_full_outcome_success_example_decodes() {
    let payload: types::RequestMoneyFullOutcomePayload = serde_json::from_str(fixture(
        "leap/webhook.request_money_full_outcome.accepted.json",
    ))
    .unwrap();

    assert_eq!(payload.event_type, "request_money_full_outcome");
    assert_eq!(
        payload.correlation_id,
        "550e8400-e29b-41d4-a716-446655440000"
    );
    assert_eq!(
        payload.status,
        types::RequestMoneyFullOutcomeStatus::Accepted
    );
    assert_eq!(payload.date, "2026-04-24T12:34:56.789Z");
    assert_eq!(payload.error_code, None);
    assert_eq!(payload.reason, None);
    assert_eq!(payload.phase, None);
}

#[test]
fn request_money_full_outcome_failure_example_decodes() {
    let payload: types::RequestMoneyFullOutcomePayload = serde_json::from_str(fixture(
        "leap/webhook.request_money_full_outcome.failed.json",
    ))
    .unwrap();

    assert_eq!(payload.status, types::RequestMoneyFullOutcomeStatus::Failed);
    assert_eq!(
        payload.error_code,
        Some(types::RequestMoneyFullErrorCode::ErrorCipNotCompleted)
    );
    assert_eq!(payload.reason.as_ref().map(Pii::expose_str), Some("…"));
    assert_eq!(
        payload.phase,
        Some(types::RequestMoneyFullOutcomePhase::Cip)
    );
}

#[test]
fn request_money_full_outcome_unknown_values_decode_into_unknown() {
    let payload: types::RequestMoneyFullOutcomePayload = serde_json::from_str(fixture(
        "leap/webhook.request_money_full_outcome.unknown_values.json",
    ))
    .unwrap();

    assert_eq!(
        payload.status,
        types::RequestMoneyFullOutcomeStatus::Unknown("Expired".to_owned())
    );
    assert!(payload.status.is_unknown());
    let code = payload.error_code.expect("errorCode");
    assert!(code.is_unknown());
    assert_eq!(code.as_str(), "ERROR_CORRIDOR_PAUSED");
    let phase = payload.phase.expect("phase");
    assert_eq!(
        phase,
        types::RequestMoneyFullOutcomePhase::Unknown("corridor".to_owned())
    );
    assert_eq!(phase.as_str(), "corridor");
}

// =============================================================================================
// Funding and operations transcribed from the partner_full / partner_send specs (issue 11, point 14).
// None of these operations has a vendor example except operationQuoteV2's request: each body is
// written from the vendor's field table, with values taken from the vendor's other examples (the
// RaaS userId, the payment-method ids and card token of the partner-spec examples, the phones of
// Jose Llontop and Maria Garcia), and the fixtures' README says so for each.
// =============================================================================================

#[tokio::test]
async fn get_user_account_puts_the_user_in_the_path_and_decodes_the_account() {
    let server = MockServer::start_async().await;
    let endpoint = bodiless(
        GET,
        "/user/funding/source/account/5bMwDyW4ZDVgu58HKzocpZcZ7fz1",
    )
    .answer(fixture("leap/get_user_account.200.json"))
    .start(&server)
    .await;

    let account = client(&server)
        .get_user_account("5bMwDyW4ZDVgu58HKzocpZcZ7fz1")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(
        account.id.as_deref(),
        Some("22038600-846a-47fd-8733-3b0fa886d894")
    );
    assert_eq!(
        account.user_id.as_ref().unwrap().expose_str(),
        "5bMwDyW4ZDVgu58HKzocpZcZ7fz1"
    );
    assert_eq!(account.status.as_deref(), Some("Completed"));
}

#[tokio::test]
async fn generate_micro_trx_sends_the_payment_method_id() {
    for status in [200, 204] {
        let server = MockServer::start_async().await;
        let path = format!("/user/funding/source/card/generate-micro-trx/{USER_TOKEN}");
        let endpoint = json_call(POST, &path)
            .status(status)
            .answer("")
            .start(&server)
            .await;

        let request =
            types::GenerateMicroTrxRequest::new("f9b8131f-404a-41e0-9312-927cf81f97fe".to_owned());
        let response = client(&server)
            .generate_micro_trx(USER_TOKEN, &request)
            .await
            .unwrap_or_else(|e| panic!("HTTP {status}: {e}"));

        assert_eq!(response.status().as_u16(), status);
        endpoint
            .assert_sent(fixture("leap/generate_micro_trx.request.json"))
            .await;
    }
}

#[tokio::test]
async fn get_destination_sof_for_contact_users_sends_the_phone_as_query() {
    let server = MockServer::start_async().await;
    let path = format!("/user/funding/contact/source/{USER_TOKEN}");
    let endpoint = bodiless(GET, &path)
        .query(&[("destinationPhone", "+5215521206706")])
        .answer(fixture(
            "leap/get_destination_sof_for_contact_users.200.json",
        ))
        .start(&server)
        .await;

    let sources = client(&server)
        .get_destination_sof_for_contact_users(USER_TOKEN, "+5215521206706")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    let [card] = sources.as_slice() else {
        panic!("one funding source: {sources:?}")
    };
    assert_eq!(
        card.id.as_deref(),
        Some("f9b8131f-404a-41e0-9312-927cf81f97fe")
    );
    assert_eq!(card.type_, Some(types::AvailablePaymentMethods::DebitCard));
    assert_eq!(card.status, Some(types::PaymentMethodStatus::ValidatedPush));
    assert_eq!(
        card.number.as_ref().unwrap().expose_str(),
        "tok_sandbox_9PNgfqqpdpyQpnD1jYkdw1_1111"
    );
    assert!(!format!("{sources:?}").contains("tok_sandbox"));
}

#[tokio::test]
async fn update_and_validate_billing_address_sends_the_address_and_decodes_the_card() {
    let server = MockServer::start_async().await;
    let path = format!("/user/funding/source/card/update-billing-address/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .answer(fixture("leap/create_funding_card.200.json"))
        .start(&server)
        .await;

    let request = types::UpdateAndValidateBillingAddress::new(
        types::RaasBillingAddress::new(
            Pii::from("Avenida Calle Dos 296"),
            Pii::from(""),
            Pii::from(""),
            Pii::from("San Pedro de los Pinos"),
            "MX".to_owned(),
            Pii::from("19.3953755"),
            Pii::from("-99.1384059"),
            Pii::from(""),
            Pii::from("CDMX"),
            Pii::from("296"),
            Pii::from("03800"),
        ),
        "b28cd13a-df67-46db-9f2d-c48e634789d6".to_owned(),
    );
    let card = client(&server)
        .update_and_validate_billing_address(USER_TOKEN, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture(
            "leap/update_and_validate_billing_address.request.json",
        ))
        .await;
    assert_eq!(
        card.id.as_deref(),
        Some("b28cd13a-df67-46db-9f2d-c48e634789d6")
    );
    assert_eq!(card.status, Some(types::PaymentMethodStatus::ValidatedPush));
    assert_eq!(card.country.as_deref(), Some("MX"));
    // The request's address never shows in Debug.
    assert!(!format!("{request:?}").contains("Calle Dos"));
}

#[tokio::test]
async fn check_card_validity_push_sends_the_card_and_decodes_the_result() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/user/funding/card/check-validity-push")
        .answer(fixture("leap/check_card_validity_push.200.json"))
        .start(&server)
        .await;

    let request = types::CheckCardValidityPushParams::new(
        Pii::from("tok_sandbox_9PNgfqqpdpyQpnD1jYkdw1_1111"),
        "MX".to_owned(),
        Pii::new(12.0),
        Pii::new(2028.0),
        Pii::from("PEDRO ALFONSO MOCK ITSOK"),
        Pii::from("CDMX"),
    );
    let result = client(&server)
        .check_card_validity_push(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/check_card_validity_push.request.json"))
        .await;
    assert_eq!(
        result.register_method_error_message,
        Some(types::RegisterMethodErrorMessage::None)
    );
    assert_eq!(result.status, Some(types::CardValidityStatus::Succeeded));
    assert_eq!(result.card_status, Some(types::CardStatus::ValidCard));
    assert_eq!(result.status_message.as_deref(), Some("Card validated"));
}

#[tokio::test]
async fn check_card_validity_pull_sends_the_card_and_keeps_unknown_values() {
    // The same answer with values outside the vendor's enums: they decode as Unknown, not as an error.
    let answer = fixture("leap/check_card_validity_pull.200.unknown_values.json");
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/user/funding/card/check-validity-pull")
        .answer(answer)
        .start(&server)
        .await;

    let request = types::CheckCardValidityPullParams::new(
        Pii::from("tok_sandbox_9PNgfqqpdpyQpnD1jYkdw1_1111"),
        "MX".to_owned(),
        Pii::new(12.0),
        Pii::new(2028.0),
        Pii::from("PEDRO ALFONSO MOCK ITSOK"),
        Pii::from("CDMX"),
    );
    let result = client(&server)
        .check_card_validity_pull(&request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/check_card_validity_push.request.json"))
        .await;
    assert_eq!(
        result.register_method_error_message,
        Some(types::RegisterMethodErrorMessage::Unknown(
            "CARD_EXPIRED".to_owned()
        ))
    );
    assert_eq!(
        result.status,
        Some(types::CardValidityStatus::Unknown("Rejected".to_owned()))
    );
    assert_eq!(result.card_status.as_ref().unwrap().as_str(), "ExpiredCard");
}

#[tokio::test]
async fn set_reference_code_sends_the_voucher_fields() {
    let server = MockServer::start_async().await;
    let path = format!("/user/funding/cash/reference-code/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .answer(fixture("leap/set_reference_code.200.json"))
        .start(&server)
        .await;

    let request = types::SetReferenceCodeParamsBase::new(
        "Numi".to_owned(),
        "net-1".to_owned(),
        "b6bf4bcd-7751-426b-86c6-1b3d72ee5a02".to_owned(),
        "SendFunds".to_owned(),
        Pii::from("Maria Garcia"),
        Pii::from("Jose Llontop"),
    );
    let code = client(&server)
        .set_reference_code(USER_TOKEN, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/set_reference_code.request.json"))
        .await;
    assert_eq!(code.id.as_deref(), Some("rc-0001"));
    assert_eq!(code.code.as_deref(), Some("123456789012"));
    assert_eq!(code.tracking_number.as_deref(), Some("TRK-0001"));
    assert_eq!(code.expiration_date.as_deref(), Some("2026/04/20"));
    assert_eq!(code.code_type.as_deref(), Some("Barcode"));
}

#[tokio::test]
async fn get_reference_code_by_id_puts_both_ids_in_the_path() {
    let server = MockServer::start_async().await;
    let path = format!("/user/funding/cash/reference-code/{USER_TOKEN}/rc-0001");
    let endpoint = bodiless(GET, &path)
        .answer(fixture("leap/get_reference_code_by_id.200.json"))
        .start(&server)
        .await;

    let code = client(&server)
        .get_reference_code_by_id(USER_TOKEN, "rc-0001")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(code.operation_code.as_deref(), Some("Ze2i4o"));
    assert_eq!(code.amount, Some(500.0));
    assert_eq!(code.code.as_deref(), Some("123456789012"));
    assert_eq!(
        code.sender_name.as_ref().unwrap().expose_str(),
        "Jose Llontop"
    );
    assert!(!format!("{code:?}").contains("Maria Garcia"));
}

#[tokio::test]
async fn operation_quote_v2_sends_the_vendor_example() {
    // The request is the operationQuoteV2 example of the partner_full spec, verbatim
    // (`operation_quote_v2.request.json`); the answer has no vendor example
    // (`get_operation_quote.200.json`).
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/operation-quote-v2/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .answer(fixture("leap/get_operation_quote.200.json"))
        .start(&server)
        .await;

    let request = quote_partners_request();
    let quote = client(&server)
        .operation_quote_v2(USER_TOKEN, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/operation_quote_v2.request.json"))
        .await;
    assert_quote(&quote);
}

#[tokio::test]
async fn operation_quote_v2_invalid_data_yields_the_vendor_error() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/operation-quote-v2/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .status(400)
        .answer(fixture("leap/operation_quote_v2.400.json"))
        .start(&server)
        .await;

    let request =
        types::QuoteTransactionPartnersBase::new(0.0, "USD".to_owned(), true, Pii::from(""));
    let error = client(&server)
        .operation_quote_v2(USER_TOKEN, &request)
        .await
        .unwrap_err();

    endpoint.received_body().await;
    assert_eq!(error.status(), Some(400), "{error}");
    let body = error
        .vendor_body::<types::ErrorResponse>()
        .expect("the vendor's error body");
    assert_eq!(
        body.reason.as_deref(),
        Some("Invalid quotation request data")
    );
    assert_eq!(body.code, None);
}

fn send_funds_v2_destination() -> types::RaaSPaymentMethodParams {
    types::RaaSPaymentMethodParams::new("MX".to_owned(), types::RaaSPaymentMethodType::DebitCard)
        .with_currency("MXN".to_owned())
        .with_name(Pii::from("VISA-1111"))
        .with_number(Pii::from("tok_sandbox_9PNgfqqpdpyQpnD1jYkdw1_1111"))
        .with_name_on_card(Pii::from("PEDRO ALFONSO MOCK ITSOK"))
        .with_expiration_date(Pii::from("1228"))
        .with_card_network("Visa".to_owned())
        .with_cardtype(types::CardType::DebitCard)
        .with_is_primary(false)
}

#[tokio::test]
async fn send_funds_v2_sends_the_recipient_and_the_destination() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/send-funds-v2/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .answer(fixture("leap/send_funds.200.json"))
        .start(&server)
        .await;

    let request = types::SendMoneyPartnerV2Params::new(
        "7011cefb-0c0b-48c1-a68a-7134d32e61e4".to_owned(),
        "quote-0001".to_owned(),
    )
    .with_currency("USD".to_owned())
    .with_amount(150.0)
    .with_reason("Pago de servicio".to_owned())
    .with_source_payment_method_id("6af8e158-be29-422a-8d69-703d6c343c3c".to_owned())
    .with_destination_payment_method(send_funds_v2_destination())
    .with_send_to(level_one());
    let operation = client(&server)
        .send_funds_v2(USER_TOKEN, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/send_funds_v2.request.json"))
        .await;
    assert_eq!(operation.status, types::OperationStatus::Sent);
    assert_eq!(operation.code, "Ze2i4o");
    assert_eq!(
        operation.id.as_deref(),
        Some("7011cefb-0c0b-48c1-a68a-7134d32e61e4")
    );
    // The recipient's profile and the card never show in Debug.
    let debug = format!("{request:?}");
    assert!(!debug.contains("Calle Dos") && !debug.contains("tok_sandbox"));
}

/// No vendor example for getCompletedOperationsBetweenUsers (partner_full spec): the answer is a list
/// holding the getOperation example of the current partner spec, verbatim
/// (`get_operation.200.json`), as for getInAndOutOperations.
/// Vendor file: https://github.com/jecomas/raas-partner-doc/blob/1572b90fa180f142f93bd7fe89dfd908ebcc7a01/raas/swagger-partner-full.json
#[tokio::test]
async fn get_completed_operations_between_users_sends_both_filters() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/completed/{USER_TOKEN}");
    let list = format!("[{}]", fixture("leap/get_operation.200.json"));
    let endpoint = bodiless(GET, &path)
        .query(&[
            ("toPhoneNumber", "+19163015400"),
            ("toEmail", "javier+1@leapfinancial.com"),
        ])
        .answer(&list)
        .start(&server)
        .await;

    let operations = client(&server)
        .get_completed_operations_between_users(USER_TOKEN)
        .to_email("javier+1@leapfinancial.com")
        .to_phone_number("+19163015400")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    let [operation] = operations.as_slice() else {
        panic!("one operation: {operations:?}")
    };
    assert_eq!(
        operation.id.as_deref(),
        Some("b6bf4bcd-7751-426b-86c6-1b3d72ee5a02")
    );
    assert_eq!(operation.amount, 500.0);
    assert_eq!(operation.recipient_amout, Some(500.0));
}

#[tokio::test]
async fn set_payment_method_sends_both_ids() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/set-payment-method/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .status(204)
        .answer("")
        .start(&server)
        .await;

    let request = types::SetPaymentMethodParams::new(
        "22038600-846a-47fd-8733-3b0fa886d894".to_owned(),
        "6af8e158-be29-422a-8d69-703d6c343c3c".to_owned(),
    );
    let response = client(&server)
        .set_payment_method(USER_TOKEN, &request)
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 204);
    endpoint
        .assert_sent(fixture("leap/set_payment_method.request.json"))
        .await;
}

#[tokio::test]
async fn accept_or_reject_funds_sends_the_flag_and_the_parties() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/accept-reject-funds/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .status(204)
        .answer("")
        .start(&server)
        .await;

    let request = types::AcceptOrRejectFundsRequest::new(false)
        .with_sender_user_phone(Pii::from("+19163015400"))
        .with_recepient_user_phone(Pii::from("+5215521206706"));
    let response = client(&server)
        .accept_or_reject_funds(USER_TOKEN, &request)
        .await
        .unwrap();

    assert_eq!(response.status().as_u16(), 204);
    endpoint
        .assert_sent(fixture("leap/accept_or_reject_funds.request.json"))
        .await;
    assert!(!format!("{request:?}").contains("+5215521206706"));
}

#[tokio::test]
async fn cancel_operation_sends_the_ids_and_decodes_the_result() {
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/cancel-operation/{USER_TOKEN}");
    let endpoint = json_call(POST, &path)
        .answer(fixture("leap/cancel_operation.200.json"))
        .start(&server)
        .await;

    let request = types::CancelOperationRequest::new(
        "b6bf4bcd-7751-426b-86c6-1b3d72ee5a02".to_owned(),
        "Ze2i4o".to_owned(),
    );
    let result = client(&server)
        .cancel_operation(USER_TOKEN, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("leap/cancel_operation.request.json"))
        .await;
    assert_eq!(result.status, Some(true));
    assert_eq!(result.ticket_id.as_deref(), Some("TCK-0001"));
    assert_eq!(result.error_code, None);
    assert_eq!(result.error_description, None);
}

/// No vendor example for createSupportTicket (partner_full spec): no request body; the answer is a
/// bare JSON string (`type: string`), here a test ticket id.
/// Vendor file: https://github.com/jecomas/raas-partner-doc/blob/1572b90fa180f142f93bd7fe89dfd908ebcc7a01/raas/swagger-partner-full.json
#[tokio::test]
async fn create_support_ticket_sends_no_body_and_decodes_the_string() {
    let server = MockServer::start_async().await;
    let endpoint = bodiless(
        POST,
        "/user/operations/create-support-ticket/b6bf4bcd-7751-426b-86c6-1b3d72ee5a02",
    )
    .answer(fixture("leap/create_support_ticket.200.json"))
    .start(&server)
    .await;

    let ticket = client(&server)
        .create_support_ticket("b6bf4bcd-7751-426b-86c6-1b3d72ee5a02")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(ticket.0, "TCK-0001");
}

#[tokio::test]
async fn draft_money_request_sends_both_parties() {
    let server = MockServer::start_async().await;
    let endpoint = json_call(POST, "/user/operations/draft-money-request")
        .answer("")
        .start(&server)
        .await;

    let request = types::DraftRequestMoney::new(
        500.0,
        "MX".to_owned(),
        "MXN".to_owned(),
        Pii::from("Maria"),
        Pii::from("Garcia"),
        Pii::from("+5215521206706"),
        types::DraftRequestMoneyRequestTo::new(
            "US".to_owned(),
            Pii::from("Jose"),
            Pii::from("Llontop"),
            Pii::from("+19163015400"),
        ),
    );
    let response = client(&server).draft_money_request(&request).await.unwrap();

    assert_eq!(response.status().as_u16(), 200);
    endpoint
        .assert_sent(fixture("leap/draft_money_request.request.json"))
        .await;
}

/// No vendor example for validateDeepLinkOperation (partner_full spec): the answer is the
/// getOperation example of the current partner spec, verbatim (`get_operation.200.json`, the same
/// OperationDetailResponse), fetched by its attribution-link id.
/// Vendor file: https://github.com/jecomas/raas-partner-doc/blob/1572b90fa180f142f93bd7fe89dfd908ebcc7a01/raas/swagger-partner-full.json
#[tokio::test]
async fn validate_deep_link_operation_puts_the_link_id_in_the_path() {
    let server = MockServer::start_async().await;
    let endpoint = bodiless(GET, "/user/operations/validate-link-operation/EFUb8")
        .answer(fixture("leap/get_operation.200.json"))
        .start(&server)
        .await;

    let operation = client(&server)
        .validate_deep_link_operation("EFUb8")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(operation.code, "Ze2i4o");
    assert_eq!(operation.type_.as_deref(), Some("request"));
    assert_eq!(operation.status_details.as_deref(), Some("RequestSent"));
    assert_eq!(
        operation.attribution_link.as_ref().unwrap().expose_str(),
        "https://links-dev.nomas.cash/EFUb8"
    );
}

/// notifyCashOperation and notifyValidateCard (partner_full spec; same routes in Leap's Python SDK):
/// GETs with both ids in the path, no body either way, answering 204 (the only answer documented).
/// Vendor file: https://github.com/jecomas/raas-partner-doc/blob/1572b90fa180f142f93bd7fe89dfd908ebcc7a01/raas/swagger-partner-full.json
#[tokio::test]
async fn notify_cash_operation_is_a_get_with_both_ids_in_the_path() {
    let server = MockServer::start_async().await;
    let path = format!(
        "/user/operations/notify-cash-operation/{USER_TOKEN}/b6bf4bcd-7751-426b-86c6-1b3d72ee5a02"
    );
    let endpoint = bodiless(GET, &path)
        .status(204)
        .answer("")
        .start(&server)
        .await;

    let response = client(&server)
        .notify_cash_operation(USER_TOKEN, "b6bf4bcd-7751-426b-86c6-1b3d72ee5a02")
        .await
        .unwrap();

    endpoint.assert_no_body().await;
    assert_eq!(response.status().as_u16(), 204);
}

#[tokio::test]
async fn notify_validate_card_is_a_get_with_both_ids_in_the_path() {
    let server = MockServer::start_async().await;
    let path = format!(
        "/user/operations/notify-validate-card/{USER_TOKEN}/f9b8131f-404a-41e0-9312-927cf81f97fe"
    );
    let endpoint = bodiless(GET, &path)
        .status(204)
        .answer("")
        .start(&server)
        .await;

    let response = client(&server)
        .notify_validate_card(USER_TOKEN, "f9b8131f-404a-41e0-9312-927cf81f97fe")
        .await
        .unwrap();

    endpoint.assert_no_body().await;
    assert_eq!(response.status().as_u16(), 204);
}

/// The notify calls are GETs with a side effect (Leap sends a notification): the spec marks them
/// `x-idempotent: false`, so a 503 is not sent again — a repeat would notify twice.
#[tokio::test]
async fn a_failed_notify_is_not_repeated() {
    const {
        assert!(!rampkit_leap::operations::NOTIFY_CASH_OPERATION.idempotent);
        assert!(!rampkit_leap::operations::NOTIFY_VALIDATE_CARD.idempotent);
    }
    let server = MockServer::start_async().await;
    let path = format!("/user/operations/notify-cash-operation/{USER_TOKEN}/op-1");
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(path.as_str());
            then.status(503);
        })
        .await;

    let error = client(&server)
        .notify_cash_operation(USER_TOKEN, "op-1")
        .await
        .unwrap_err();

    assert_eq!(error.status(), Some(503));
    assert_eq!(mock.calls_async().await, 1, "sent once, never repeated");
}
