//! The test kit, feature by feature, through the generated clients and the admin API: ephemeral ports
//! and stop on drop, ready clients, scripted outcomes, recorded requests, deterministic and seeded
//! faults, stubs, validation, the state file, and the stateful surface beyond onboarding.

mod common;

use std::time::Duration;

use rampkit::crossmint::types as cm;
use rampkit::leap::types as lp;
use rampkit::runtime::{ErrorKind, RetryPolicy};
use rampkit_sim::{
    ClientOptions, FaultConfig, FaultKind, MASKED, SimConfig, SimStatus, Simulator, Stub, Vendor,
};
use serde_json::{Value, json};

use common::*;
use rampkit::crossmint::UserLocator;

fn registration(email: &str, phone: &str) -> lp::RegisterUserParams {
    let mut r = lp::RegisterUserParams::try_from(&fixture("person_mx_two_surnames")).unwrap();
    r.email = Some(email.to_owned().into());
    r.phone_number = Some(phone.to_owned().into());
    r
}

fn lookup(email: &str) -> lp::GetUserTokenParams {
    lp::GetUserTokenParams::new().with_email(email.to_owned())
}

async fn admin(sim: &Simulator, method: reqwest::Method, path: &str, body: Value) -> Value {
    let response = reqwest::Client::new()
        .request(method, format!("{}/_admin/{path}", sim.url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.unwrap()
}

#[tokio::test]
async fn ephemeral_ports_and_a_dropped_simulator_stops() {
    let a = start().await;
    let b = start().await;
    assert_ne!(a.addr().port(), b.addr().port());
    assert_eq!(
        a.vendor(Vendor::Leap).base_url(),
        format!("http://{}/leap", a.addr())
    );
    let addr = a.addr();
    drop(a);
    let mut stopped = false;
    for _ in 0..100 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            stopped = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(stopped, "the dropped simulator still accepts connections");
    b.shutdown().await;
}

#[tokio::test]
async fn ready_clients_carry_no_client_side_rate_limit_unless_asked() {
    let sim = start_with(SimConfig::default().without_rate_limits()).await;
    // A deadline too short to wait for a Crossmint write slot (120 per minute: one per 500 ms).
    let hurried = RetryPolicy {
        deadline: Duration::from_millis(100),
        ..RetryPolicy::none()
    };
    let user = cm::UpsertUserRequest::default();
    let free: rampkit::crossmint::Client = sim.client_with(&ClientOptions {
        retry: hurried.clone(),
        ..ClientOptions::default()
    });
    for i in 0..3 {
        free.upsert_user(&UserLocator::user_id(format!("free-{i}")), &user)
            .await
            .unwrap();
    }
    let limited: rampkit::crossmint::Client = sim.client_with(&ClientOptions {
        retry: hurried,
        client_rate_limits: true,
        ..ClientOptions::default()
    });
    limited
        .upsert_user(&UserLocator::user_id("limited-0"), &user)
        .await
        .unwrap();
    let e = limited
        .upsert_user(&UserLocator::user_id("limited-1"), &user)
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::RateLimited, None));
    assert_eq!(
        sim.operation(&rampkit::crossmint::operations::UPSERT_USER)
            .requests()
            .len(),
        4,
        "the limited write was never sent"
    );
}

#[tokio::test]
async fn requests_are_recorded_with_credentials_masked() {
    let sim = start().await;
    let leap = leap(&sim);
    let request = registration("rec@example.com", "+5215500000101");
    leap.register_user_v2(&request).await.unwrap();
    let _ = leap.get_user_token_v2(&lookup("nobody@example.com")).await;

    let op = sim.operation(&rampkit::leap::operations::REGISTER_USER_V2);
    let recorded = op.last_request().unwrap();
    assert_eq!(recorded.vendor, Vendor::Leap);
    assert_eq!(recorded.operation.as_deref(), Some("register_user_v2"));
    assert_eq!(
        (recorded.method.as_str(), recorded.path.as_str()),
        ("POST", "/auth/register-user-v2")
    );
    assert_eq!(recorded.header("api_key"), Some(MASKED));
    assert_eq!(recorded.body, serde_json::to_value(&request).unwrap());
    let decoded: lp::RegisterUserParams = recorded.body_as().unwrap();
    assert_eq!(decoded.email, request.email);
    assert_eq!((recorded.status, recorded.call), (Some(200), 1));
    let lookups = sim.vendor(Vendor::Leap).requests();
    assert_eq!(lookups.len(), 2);
    assert_eq!(lookups[1].status, Some(404));

    // The same over HTTP, filtered by vendor and operation.
    let url = format!(
        "{}/_admin/requests?vendor=leap&operation=register_user_v2",
        sim.url()
    );
    let listed: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
    assert_eq!(listed, serde_json::to_value(vec![recorded]).unwrap());
    let none: Value = reqwest::get(format!("{}/_admin/requests?vendor=crossmint", sim.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(none, json!([]));

    // A login body's secrets are masked too.
    cryptopocket(&sim).list_customers().await.unwrap();
    let login = sim
        .operation(&rampkit::cryptopocket::operations::AUTHENTICATE)
        .last_request()
        .unwrap();
    assert_eq!(login.body, json!({"api_key": MASKED, "api_secret": MASKED}));
    let listed = sim
        .operation(&rampkit::cryptopocket::operations::LIST_CUSTOMERS)
        .last_request()
        .unwrap();
    assert_eq!(listed.header("auth"), Some(MASKED));
}

#[tokio::test]
async fn the_second_registration_answers_a_502_page() {
    let sim = start().await;
    sim.operation(&rampkit::leap::operations::REGISTER_USER_V2)
        .fail_call(2, FaultKind::Status502Html);
    let leap = leap(&sim);
    leap.register_user_v2(&registration("one@example.com", "+5215500000201"))
        .await
        .unwrap();
    let e = leap
        .register_user_v2(&registration("two@example.com", "+5215500000202"))
        .await
        .unwrap_err();
    // A gateway's 502 on a registration: the vendor may have processed it.
    assert_eq!(
        (e.kind(), e.status()),
        (ErrorKind::OutcomeUnknown, Some(502))
    );
    leap.register_user_v2(&registration("three@example.com", "+5215500000203"))
        .await
        .unwrap();
    let statuses: Vec<(Option<u16>, Option<String>)> = sim
        .operation(&rampkit::leap::operations::REGISTER_USER_V2)
        .requests()
        .into_iter()
        .map(|r| (r.status, r.fault))
        .collect();
    assert_eq!(
        statuses,
        [
            (Some(200), None),
            (Some(502), Some("status502_html".to_owned())),
            (Some(200), None)
        ]
    );
    // The faulted call never reached the operation: two users.
    assert_eq!(sim.vendor(Vendor::Leap).counters().registrations, 2);

    // Over HTTP: every call of get_user_token_v2 resets.
    admin(
        &sim,
        reqwest::Method::POST,
        "faults",
        json!({"vendor": "leap", "operation": "get_user_token_v2", "kind": "reset"}),
    )
    .await;
    let e = leap
        .get_user_token_v2(&lookup("one@example.com"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transient);
    admin(&sim, reqwest::Method::DELETE, "faults", Value::Null).await;
    leap.get_user_token_v2(&lookup("one@example.com"))
        .await
        .unwrap();
}

/// The faults of 30 lookups against a simulator seeded with `seed` (statuses, in order).
async fn seeded_run(seed: u64) -> Vec<u16> {
    let faults = FaultConfig {
        weight_timeout: 0,
        weight_reset: 0,
        ..FaultConfig::with_rate(0.5)
    };
    let sim = start_with(SimConfig {
        seed: Some(seed),
        ..SimConfig::default().with_vendor_faults(Vendor::Leap, faults)
    })
    .await;
    assert_eq!(sim.seed(), seed);
    let leap = leap(&sim);
    for _ in 0..30 {
        let _ = leap.get_user_token_v2(&lookup("x@example.com")).await;
    }
    sim.vendor(Vendor::Leap)
        .requests()
        .iter()
        .map(|r| r.status.unwrap())
        .collect()
}

#[tokio::test]
async fn a_seed_repeats_the_random_faults_and_logins_are_spared() {
    let first = seeded_run(11).await;
    assert_eq!(first, seeded_run(11).await);
    assert_ne!(first, seeded_run(12).await);
    assert!(
        first.contains(&404) && first.iter().any(|s| *s >= 429),
        "{first:?}"
    );

    let sim = start_with(SimConfig::default().with_vendor_faults(
        Vendor::CryptoPocket,
        FaultConfig::only(FaultKind::Status503Json, 1.0),
    ))
    .await;
    let e = cryptopocket(&sim).list_customers().await.unwrap_err();
    assert_eq!(e.status(), Some(503), "the call is faulted");
    let login = sim
        .operation(&rampkit::cryptopocket::operations::AUTHENTICATE)
        .last_request()
        .unwrap();
    assert_eq!(login.status, Some(200), "the login is not");
}

#[tokio::test]
async fn stubs_answer_anything_for_n_calls() {
    let sim = start().await;
    let leap = leap(&sim);
    leap.register_user_v2(&registration("stub@example.com", "+5215500000301"))
        .await
        .unwrap();
    sim.operation(&rampkit::leap::operations::GET_USER_TOKEN_V2)
        .stub(Stub::json(200, &json!({"userId": "u-1", "status": "BrandNewStatus"})).times(1));
    let stubbed = leap
        .get_user_token_v2(&lookup("stub@example.com"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(
        stubbed.status,
        Some(lp::CipStatus::Unknown("BrandNewStatus".to_owned()))
    );
    let real = leap
        .get_user_token_v2(&lookup("stub@example.com"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(real.status, Some(lp::CipStatus::UpgradeInProgress));

    // Over HTTP: a vendor error code, every call.
    admin(
        &sim,
        reqwest::Method::POST,
        "stubs",
        json!({"vendor": "leap", "operation": "register_user_v2", "status": 400,
               "body": "{\"code\": \"ERROR_NEW_RULE\", \"reason\": \"a rule we never saw\"}"}),
    )
    .await;
    for _ in 0..2 {
        let e = leap
            .register_user_v2(&registration("next@example.com", "+5215500000302"))
            .await
            .unwrap_err();
        assert_eq!(e.vendor_code(), Some("ERROR_NEW_RULE"));
    }
    let recorded = sim.vendor(Vendor::Leap).requests();
    assert_eq!(recorded.last().unwrap().fault.as_deref(), Some("stub"));
    assert_eq!(
        sim.vendor(Vendor::Leap).counters().registrations,
        1,
        "stubs store nothing"
    );
}

#[tokio::test]
async fn outcomes_are_scripted_per_vendor_and_customer() {
    let sim = start_with(SimConfig {
        polls_until_final: 1,
        ..SimConfig::default()
    })
    .await;
    let email = "same.person@example.com";
    sim.vendor(Vendor::Leap).customer(email).rejects();
    let crossmint = sim.vendor(Vendor::Crossmint);
    crossmint
        .customer(email)
        .requires(["document-selfie", "kyc-data"]);

    let leap = leap(&sim);
    leap.register_user_v2(&registration(email, "+5215500000401"))
        .await
        .unwrap();
    let answer = leap
        .get_user_token_v2(&lookup(email))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(answer.status, Some(lp::CipStatus::UpgradeFailed));
    assert_eq!(
        sim.vendor(Vendor::Leap).customer(email).status(),
        Some(SimStatus::Rejected)
    );

    let client = common::crossmint(&sim);
    let mut user = cm::UpsertUserRequest::try_from(&fixture("person_es_dni")).unwrap();
    if let Some(kyc) = user.kyc_data.as_mut() {
        kyc.email = Some(email.to_owned().into());
    }
    let consent = cm::AcceptLegalDocumentRequest::new(
        "2026-01-01T00:00:00Z".to_owned(),
        cm::LegalDocumentType::CrossmintPrivacyPolicy,
    );
    client
        .accept_legal_document(&UserLocator::user_id("scripted"), &consent)
        .await
        .unwrap();
    client
        .upsert_user(&UserLocator::user_id("scripted"), &user)
        .await
        .unwrap();
    client
        .trigger_identity_verification(&UserLocator::user_id("scripted"))
        .await
        .unwrap();
    let answer = client
        .get_identity_verification(&UserLocator::user_id("scripted"))
        .await
        .unwrap()
        .into_inner();
    let onramp = answer
        .eligibility
        .iter()
        .find(|e| e.type_.as_str() == "onramp")
        .unwrap();
    assert_eq!(onramp.status.as_str(), "requires-data");
    assert_eq!(
        onramp.missing_documents,
        [cm::MissingDocument::Unknown("document-selfie".into())]
    );
    assert_eq!(onramp.missing_data, [cm::MissingData::KycData]);

    // Scripted after registration, over HTTP: the next final status follows it.
    let other = "later@example.com";
    leap.register_user_v2(&registration(other, "+5215500000402"))
        .await
        .unwrap();
    admin(
        &sim,
        reqwest::Method::POST,
        "scenarios",
        json!({"vendor": "leap", "customer": other, "outcome": "requires-data"}),
    )
    .await;
    let answer = leap
        .get_user_token_v2(&lookup(other))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(answer.status, Some(lp::CipStatus::UpgradeSoftFailed));

    // Status on demand; unknown customers are told apart.
    let handle = sim.vendor(Vendor::Leap).customer(other);
    handle.set_status(SimStatus::Verified).unwrap();
    assert_eq!(handle.status(), Some(SimStatus::Verified));
    assert!(
        handle.send_webhook(),
        "a held customer (no URL: nothing goes out)"
    );
    let nobody = sim.vendor(Vendor::Leap).customer("nobody@example.com");
    assert!(nobody.set_status(SimStatus::Verified).is_err());
    assert!(!nobody.send_webhook());
}

#[tokio::test]
async fn requests_breaking_the_schema_are_refused_naming_the_field() {
    let sim = start().await;
    let response = reqwest::Client::new()
        .post(format!(
            "{}/auth/register-user-v2",
            sim.base_url(Vendor::Leap)
        ))
        .header("api_key", &sim.config().vendors.leap.api_key)
        .json(
            &json!({"firstName": "Ana", "lastName": 1234567, "address1": "x",
                      "countryCode": "MX", "city": "x", "state": "x"}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "ERROR_INVALID_SCHEMA");
    let reason = body["reason"].as_str().unwrap();
    assert_eq!(reason, "lastName: must be a string");
    assert_eq!(sim.vendor(Vendor::Leap).counters().registrations, 1);
}

#[tokio::test]
async fn the_state_file_keeps_customers_across_a_restart() {
    let dir = std::env::temp_dir().join(format!("rampkit-sim-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("state.json");
    let _ = std::fs::remove_file(&path);
    let config = SimConfig {
        state_file: Some(path.clone()),
        ..SimConfig::default()
    };
    let sim = start_with(config.clone()).await;
    leap(&sim)
        .register_user_v2(&registration("kept@example.com", "+5215500000501"))
        .await
        .unwrap();
    sim.shutdown().await;
    assert!(path.exists());

    let again = start_with(config).await;
    let answer = leap(&again)
        .get_user_token_v2(&lookup("kept@example.com"))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(answer.status, Some(lp::CipStatus::UpgradeInProgress));
    again.shutdown().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn crossmint_orders_and_payment_methods_keep_state() {
    let sim = start_with(SimConfig {
        polls_until_final: 0,
        ..SimConfig::default()
    })
    .await;
    let client = common::crossmint(&sim);
    let user = cm::UpsertUserRequest::try_from(&fixture("person_es_dni")).unwrap();
    let buyer = UserLocator::user_id("buyer");
    client.upsert_user(&buyer, &user).await.unwrap();
    let method: cm::CreatePaymentMethodRequest = serde_json::from_value(json!({
        "type": "bank-account-us", "userLocator": "userId:buyer",
        "bankAccount": {"accountNumber": "000123451141", "routingNumber": "021000021", "bankName": "Chase"}
    }))
    .unwrap();
    let saved = client
        .create_payment_method(&method)
        .await
        .unwrap()
        .into_inner();
    let id = saved.payment_method_id.clone();
    assert_eq!(
        saved.display_name.as_ref().map(|d| d.expose_str()),
        Some("Chase ••1141")
    );
    let listed = client
        .list_payment_methods(&buyer)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(listed.data.len(), 1);
    client.delete_payment_method(&id, &buyer).await.unwrap();
    assert_eq!(
        client
            .get_payment_method(&id, &buyer)
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );

    let order: cm::CreateOrderRequest = serde_json::from_value(json!({
        "payment": {"method": "card", "receiptEmail": "lucia.garcia@example.com"},
        "lineItems": {"tokenLocator": "base-sepolia:usdc", "executionParameters": {"amount": "10"}}
    }))
    .unwrap();
    let created = client.create_order(&order).await.unwrap().into_inner();
    let order_id = created.order.order_id.clone().unwrap();
    let status = |o: &cm::Order| o.payment.as_ref().and_then(|p| p.status.clone());
    assert_eq!(
        status(&created.order),
        Some(cm::OrderPaymentStatus::RequiresKyc)
    );
    let pay: cm::ProcessPaymentRequest =
        serde_json::from_value(json!({"txId": "0xabc", "type": "crypto-tx-id"})).unwrap();
    assert_eq!(
        client
            .process_payment(&order_id, &pay)
            .await
            .unwrap_err()
            .status(),
        Some(400),
        "not awaiting payment before KYC"
    );
    sim.vendor(Vendor::Crossmint)
        .customer("lucia.garcia@example.com")
        .set_status(SimStatus::Verified)
        .unwrap();
    let created = client.create_order(&order).await.unwrap().into_inner();
    let order_id = created.order.order_id.clone().unwrap();
    assert_eq!(
        status(&created.order),
        Some(cm::OrderPaymentStatus::AwaitingPayment)
    );
    client.process_payment(&order_id, &pay).await.unwrap();
    let read = client.get_order(&order_id).await.unwrap().into_inner();
    assert_eq!(status(&read), Some(cm::OrderPaymentStatus::Completed));
}

#[tokio::test]
async fn leap_money_operations_keep_state_and_credentials_are_listed() {
    let sim = start().await;
    let leap = leap(&sim);
    let user = leap
        .register_user_v2(&registration("payer@example.com", "+5215500000601"))
        .await
        .unwrap()
        .into_inner();
    let token = user.user_id.expose_str().to_owned();
    let request: lp::RequestMoneyPartnerParams = serde_json::from_value(json!({
        "requestTo": "+19163015400", "correlationId": "op-1",
        "recipientAmount": 500, "recipientCurrency": "MXN"
    }))
    .unwrap();
    let op = leap
        .request_money_v2(&token, &request)
        .await
        .unwrap()
        .into_inner();
    let op = serde_json::to_value(&op).unwrap();
    assert_eq!(
        (
            &op["correlationId"],
            &op["amount"],
            &op["currency"],
            &op["status"]
        ),
        (&json!("op-1"), &json!(500.0), &json!("MXN"), &json!("Sent"))
    );
    assert_eq!(op["code"].as_str().unwrap().len(), 6);
    let status = leap
        .get_operation_status(&token, "op-1")
        .await
        .unwrap()
        .into_inner();
    assert_eq!(serde_json::to_value(&status).unwrap(), json!("Sent"));
    let listed = leap.get_operations(&token).await.unwrap().into_inner();
    assert_eq!(
        serde_json::to_value(&listed).unwrap()[0]["correlationId"],
        "op-1"
    );
    assert_eq!(
        leap.get_operation_status(&token, "op-2")
            .await
            .unwrap_err()
            .kind(),
        ErrorKind::NotFound
    );

    let credentials = admin(&sim, reqwest::Method::GET, "credentials", Value::Null).await;
    let expected: Vec<Value> = sim
        .config()
        .credential_pairs()
        .into_iter()
        .map(|(v, f, value)| json!({"vendor": v, "field": f, "value": value}))
        .collect();
    assert_eq!(credentials, json!(expected));
    assert_eq!(
        sim.vendor(Vendor::Kriptomat).credentials().len(),
        5,
        "email, password, client id and secret, TOTP secret"
    );
}
