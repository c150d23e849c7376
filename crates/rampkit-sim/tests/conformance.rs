//! The simulator against the generated clients: every operation the facade's flows use, sent by the
//! generated client exactly as the facade builds it, is accepted and its answer decodes; auth failures and
//! business errors come back in each vendor's shape and map to the runtime's error kinds.

mod common;

use std::time::Duration;

use rampkit::crossmint::CrossmintAuth;
use rampkit::crossmint::types as cm;
use rampkit::cryptopocket::CryptoPocketAuth;
use rampkit::cryptopocket::types as cp;
use rampkit::kriptomat::KriptomatAuth;
use rampkit::leap::LeapAuth;
use rampkit::leap::types as lp;
use rampkit::providers::crossmint::{UserLocator, document_uploads, timestamp};
use rampkit::providers::kriptomat::{import_kyc_request, share_token_request};
use rampkit::runtime::ErrorKind;
use rampkit::sumsub::SumsubAuth;
use rampkit_sim::{SimConfig, Vendor};
use serde_json::{Value, json};

use common::*;

fn consent() -> cm::AcceptLegalDocumentRequest {
    cm::AcceptLegalDocumentRequest::new(
        timestamp("2026-01-01T00:00:00Z".parse().unwrap()),
        cm::LegalDocumentType::CrossmintPrivacyPolicy,
    )
}

fn statuses(answer: &cm::IdentityVerificationResponse) -> Vec<(String, String)> {
    answer
        .eligibility
        .iter()
        .map(|e| (e.type_.as_str().to_owned(), e.status.as_str().to_owned()))
        .collect()
}

fn status_of(answer: &cm::IdentityVerificationResponse, product: &str) -> String {
    statuses(answer)
        .into_iter()
        .find(|(p, _)| p == product)
        .map(|(_, s)| s)
        .unwrap_or_default()
}

#[tokio::test]
async fn crossmint_flow_operations_are_accepted_and_answers_decode() {
    let sim = start().await;
    let client = crossmint(&sim);
    let customer = fixture("person_es_dni");
    let locator = UserLocator::user_id("lucia-0001");

    let accepted = client
        .accept_legal_document(&locator, &consent())
        .await
        .unwrap();
    assert_eq!(accepted.accepted_at, "2026-01-01T00:00:00.000Z");

    let user = cm::UpsertUserRequest::try_from(&customer).unwrap();
    let created = client.upsert_user(&locator, &user).await.unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let created = created.into_inner();
    assert!(created.user_details && created.kyc_data && created.verification_history);
    assert!(created.user_id.as_deref().unwrap().starts_with("usr_"));
    // PUT replaces and is idempotent: same user, 200.
    let again = client.upsert_user(&locator, &user).await.unwrap();
    assert_eq!(again.status().as_u16(), 200);
    assert_eq!(again.into_inner().user_id, created.user_id);

    let read = client.get_user(&locator).await.unwrap().into_inner();
    assert_eq!(read.legal_documents.len(), 1);
    assert_eq!(
        read.email.as_ref().map(|e| e.expose_str()),
        Some("lucia.garcia@example.com")
    );

    // Before the trigger every product is not started.
    let before = client
        .get_identity_verification(&locator)
        .await
        .unwrap()
        .into_inner();
    assert!(
        statuses(&before).iter().all(|(_, s)| s == "not-started"),
        "{:?}",
        statuses(&before)
    );

    let mut ids = Vec::new();
    for upload in document_uploads(&customer, &locator).unwrap() {
        let stored = client.upload_document(&upload).await.unwrap().into_inner();
        let sent = match &upload {
            rampkit::crossmint::types::UploadDocumentRequest::Reference(r) => r.document_type,
            rampkit::crossmint::types::UploadDocumentRequest::UserLocator(r) => r.document_type,
        };
        assert_eq!(
            stored.document_type.as_ref().map(|t| t.as_str().to_owned()),
            Some(sent.to_string())
        );
        ids.push(stored.id.unwrap());
    }
    assert!(ids.len() >= 2, "front and back of the ID card at least");
    let document = client.get_document(&ids[0]).await.unwrap().into_inner();
    assert_eq!(document.id.as_deref(), Some(ids[0].as_str()));

    let triggered = client
        .trigger_identity_verification(&locator)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(status_of(&triggered, "offramp"), "pending-review");
    let first = client
        .get_identity_verification(&locator)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(status_of(&first, "offramp"), "pending-review");
    let second = client
        .get_identity_verification(&locator)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(status_of(&second, "offramp"), "verified");
    assert_eq!(status_of(&second, "onramp"), "verified");

    let counters = sim.counters().get(Vendor::Crossmint);
    assert_eq!(counters.registrations, 2);
    assert_eq!(
        counters.duplicates, 1,
        "the second upsert was for a user Crossmint held"
    );
    assert_eq!(counters.by_operation["get_identity_verification"], 3);
    sim.shutdown().await;
}

#[tokio::test]
async fn crossmint_eligibility_lists_missing_data_and_documents_per_product() {
    let sim = start().await;
    let client = crossmint(&sim);
    let locator = &UserLocator::user_id("sparse-1");
    client
        .accept_legal_document(locator, &consent())
        .await
        .unwrap();
    // Only user details: onramp-light can go ahead, the others lack sections and the ID document.
    let user = cm::UpsertUserRequest::new().with_user_details(
        cm::UserDetails::new()
            .with_first_name("Ana")
            .with_last_name("Ruiz")
            .with_date_of_birth("1990-01-15")
            .with_country_of_residence("ES"),
    );
    client.upsert_user(locator, &user).await.unwrap();
    let answer = client
        .trigger_identity_verification(locator)
        .await
        .unwrap()
        .into_inner();
    let by_product = |p: &str| {
        answer
            .eligibility
            .iter()
            .find(|e| e.type_.as_str() == p)
            .unwrap()
            .clone()
    };
    assert_eq!(by_product("onramp-light").status.as_str(), "pending-review");
    let onramp = by_product("onramp");
    assert_eq!(onramp.status.as_str(), "requires-data");
    assert_eq!(onramp.missing_data, vec![cm::MissingData::KycData]);
    let offramp = by_product("offramp");
    assert_eq!(
        offramp.missing_data,
        vec![
            cm::MissingData::KycData,
            cm::MissingData::VerificationHistory
        ]
    );
    assert_eq!(offramp.missing_documents, vec![cm::MissingDocument::Id]);
    let transfer = by_product("regulated-transfer");
    assert!(
        transfer
            .missing_data
            .contains(&cm::MissingData::DueDiligence)
    );

    // Without the privacy policy accepted, every product waits for it.
    let other = &UserLocator::user_id("no-consent");
    client.upsert_user(other, &user).await.unwrap();
    let answer = client
        .trigger_identity_verification(other)
        .await
        .unwrap()
        .into_inner();
    assert!(
        statuses(&answer)
            .iter()
            .all(|(_, s)| s == "pending-privacy-policy"),
        "{:?}",
        statuses(&answer)
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn crossmint_errors_come_in_crossmints_shape() {
    let sim = start().await;
    // Wrong key: 401 → authentication.
    let wrong = rampkit::crossmint::Client::new(
        &sim.base_url(Vendor::Crossmint),
        CrossmintAuth::new("sk_staging_wrong".to_owned()),
    );
    let e = wrong
        .get_user(&UserLocator::user_id("x"))
        .await
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.status()),
        (ErrorKind::Authentication, Some(401))
    );
    let body: cm::ErrorResponse = e.vendor_body().unwrap();
    assert_eq!(body.error, Some(true));

    // Unknown user: 404 → not found.
    let client = crossmint(&sim);
    let e = client
        .get_user(&UserLocator::user_id("nobody"))
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::NotFound, Some(404)));
    let e = client.get_document("doc_nothing").await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert_eq!(e.vendor_message(), Some("Document not found"));

    // A consent time without `Z`: 400 → invalid input.
    let mut late = consent();
    late.accepted_at = "2026-01-01T00:00:00+01:00".to_owned();
    let e = client
        .accept_legal_document(&UserLocator::user_id("x"), &late)
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::InvalidInput, Some(400)));

    // A body the spec's type refuses: 400 naming the field, not echoing the value.
    let http = reqwest::Client::new();
    let response = http
        .put(format!(
            "{}/2025-06-09/users/userId:x",
            sim.base_url(Vendor::Crossmint)
        ))
        .header("x-api-key", &sim.config().vendors.crossmint.api_key)
        .json(&json!({"userDetails": {"firstName": 12345678}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"], true);
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("userDetails.firstName"), "{message}");
    assert!(!message.contains("12345678"), "{message}");
    sim.shutdown().await;
}

#[tokio::test]
async fn leap_register_and_poll_and_its_errors() {
    let sim = start().await;
    let client = leap(&sim);
    let customer = fixture("person_mx_two_surnames");
    let request = lp::RegisterUserParams::try_from(&customer).unwrap();
    let registered = client
        .register_user_v2(&request)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(registered.status, Some(lp::CipStatus::UpgradeInProgress));
    assert_eq!(registered.user_id.expose_str().len(), 28);

    let lookup = lp::GetUserTokenParams::new()
        .set_phone_number(request.phone_number.clone())
        .with_country_code(request.country_code.clone());
    let first = client
        .get_user_token_v2(&lookup)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(first.status, Some(lp::CipStatus::UpgradeInProgress));
    let second = client
        .get_user_token_v2(&lookup)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(second.status, Some(lp::CipStatus::Completed));
    assert_eq!(second.status_detail, Some(lp::PlatLevelStatusDetail::None));
    assert_eq!(second.user_id, registered.user_id);

    // The same phone or e-mail again: Leap's documented 400 ERROR_USER_ALREADY_ENROLLED, which
    // rampkit-leap reads as Conflict (its "already exists").
    let e = client.register_user_v2(&request).await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Conflict, Some(400)));
    assert_eq!(e.vendor_code(), Some("ERROR_USER_ALREADY_ENROLLED"));
    let mut same_email = request.clone();
    same_email.phone_number = Some("+5215500000001".into());
    let e = client.register_user_v2(&same_email).await.unwrap_err();
    assert_eq!(e.vendor_code(), Some("ERROR_USER_ALREADY_ENROLLED"));

    // Unknown alias: 404.
    let nobody = lp::GetUserTokenParams::new()
        .with_phone_number("+5215599999999")
        .with_country_code("MX");
    let e = client.get_user_token_v2(&nobody).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.vendor_code()),
        (ErrorKind::NotFound, Some("ERROR_USER_NOT_FOUND"))
    );

    // Wrong key: 401.
    let wrong = rampkit::leap::Client::new(
        &sim.base_url(Vendor::Leap),
        LeapAuth::new("wrong".to_owned()),
    );
    let e = wrong.get_user_token_v2(&lookup).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.status()),
        (ErrorKind::Authentication, Some(401))
    );

    let counters = sim.counters().get(Vendor::Leap);
    assert_eq!(counters.registrations, 3);
    assert_eq!(counters.duplicates, 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn cryptopocket_flow_and_business_errors_with_http_200() {
    let sim = start().await;
    let client = cryptopocket(&sim);
    let customer = fixture("person_es_dni");
    let request = cp::RegisterUserKycDelegatedRequest::try_from(&customer).unwrap();
    let created = client
        .register_user_kyc_delegated(&request)
        .await
        .unwrap()
        .into_inner();
    let data = created.data.unwrap();
    let id = data.id.unwrap();
    assert_eq!(data.kyc_valid, Some(false));
    assert_eq!(
        data.country.as_ref().map(|c| c.expose_str()),
        Some("España")
    );
    assert_eq!(
        data.dob.as_ref().map(|d| d.expose_str()),
        Some("1990-05-15 00:00:00")
    );

    let first = client.check_kyc(id).await.unwrap().into_inner();
    assert_eq!(
        first.data.unwrap().kyc_status,
        Some(cp::KycStatus::Processing)
    );
    let second = client.check_kyc(id).await.unwrap().into_inner();
    assert_eq!(second.data.unwrap().kyc_status, Some(cp::KycStatus::Valid));

    // The same e-mail again: HTTP 200 user_already_exists → conflict.
    let e = client
        .register_user_kyc_delegated(&request)
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Conflict, Some(200)));
    assert_eq!(e.vendor_code(), Some("user_already_exists"));

    // Missing mandatory fields: HTTP 200 fail_mandatory_field (a business error in the runtime).
    let e = client
        .register_user_kyc_delegated(
            &cp::RegisterUserKycDelegatedRequest::new().with_email("someone.else@example.com"),
        )
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Business, Some(200)));
    assert_eq!(e.vendor_code(), Some("fail_mandatory_field"));

    // Unknown customer.
    let e = client.check_kyc(1).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.vendor_code()),
        (ErrorKind::NotFound, Some("user_not_found"))
    );

    // A company customer, then the list.
    let company = fixture("company_es");
    let kyb = client
        .register_company(&cp::RegisterCompanyRequest::try_from(&company).unwrap())
        .await
        .unwrap()
        .into_inner();
    let kyb = kyb.data.unwrap();
    assert!(kyb.id.is_some() && kyb.kyb_link.is_some() && kyb.password.is_some());
    let list = client.list_customers().await.unwrap().into_inner();
    let page = list.data.unwrap().into_exposed();
    assert_eq!(page["total"], 2);
    assert_eq!(page["data"][0]["kyc_status"], "valid");
    assert_eq!(page["data"][1]["type"], "COMPANY");

    // Wrong key or secret: the login answers authorization_incorrect.
    let wrong = rampkit::cryptopocket::Client::new(
        &sim.base_url(Vendor::CryptoPocket),
        CryptoPocketAuth::with_credentials("wrong".to_owned(), "wrong".to_owned()),
    );
    let e = wrong.check_kyc(id).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Authentication);
    assert_eq!(e.vendor_code(), Some("authorization_incorrect"));

    let counters = sim.counters().get(Vendor::CryptoPocket);
    assert_eq!(counters.registrations, 4);
    assert_eq!(counters.duplicates, 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn cryptopocket_tokens_expire_and_the_client_logs_in_again() {
    let mut config = SimConfig::default();
    config.vendors.cryptopocket.token_ttl_secs = 1;
    let sim = start_with(config).await;
    let client = cryptopocket(&sim);
    client.list_customers().await.unwrap();
    // A fixed, expired token is refused with HTTP 200 authorization_incorrect.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let stale_token = {
        let http = reqwest::Client::new();
        let c = &sim.config().vendors.cryptopocket;
        let answer: Value = http
            .post(format!(
                "{}/authenticate",
                sim.base_url(Vendor::CryptoPocket)
            ))
            .json(&json!({"api_key": c.api_key, "api_secret": c.api_secret}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        answer["data"]["token"].as_str().unwrap().to_owned()
    };
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let fixed = rampkit::cryptopocket::Client::new(
        &sim.base_url(Vendor::CryptoPocket),
        CryptoPocketAuth::with_token(stale_token),
    );
    let e = fixed.list_customers().await.unwrap_err();
    assert_eq!(
        (e.kind(), e.status()),
        (ErrorKind::Authentication, Some(200))
    );
    assert_eq!(e.vendor_code(), Some("authorization_incorrect"));
    // The client with credentials gets the same answer, logs in again once and succeeds.
    client.list_customers().await.unwrap();
    let by_operation = sim.counters().get(Vendor::CryptoPocket).by_operation;
    assert_eq!(by_operation["authenticate"], 3, "{by_operation:?}");
    assert_eq!(by_operation["list_customers"], 4, "{by_operation:?}");
    sim.shutdown().await;
}

#[tokio::test]
async fn kriptomat_and_sumsub_import_flow_and_errors() {
    let sim = start().await;
    let kriptomat = kriptomat(&sim);
    let sumsub = sumsub(&sim);
    let customer = fixture("person_es_dni");
    let user_id = 4242;

    let before = kriptomat.show_user(user_id).await.unwrap().into_inner();
    assert_eq!(
        before.data.unwrap().kyc_status,
        Some(rampkit::kriptomat::types::KycStatus::NotStarted)
    );

    let request = share_token_request(
        &customer,
        &sim.config().vendors.kriptomat.sumsub_client_id,
        None,
    )
    .unwrap();
    let share = sumsub
        .generate_share_token(&request)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(share.for_client_id, "KriptomatSumsub");
    let import = import_kyc_request(&customer, share.token.clone()).unwrap();
    let answer = kriptomat
        .import_kyc(user_id, &import)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(answer.status, Some(true));

    // Single-use: the same token again is refused (422 → invalid input).
    let e = kriptomat.import_kyc(user_id, &import).await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::InvalidInput, Some(422)));

    let first = kriptomat
        .show_user(user_id)
        .await
        .unwrap()
        .into_inner()
        .data
        .unwrap();
    assert_eq!(
        first.kyc_status,
        Some(rampkit::kriptomat::types::KycStatus::Pending)
    );
    let second = kriptomat
        .show_user(user_id)
        .await
        .unwrap()
        .into_inner()
        .data
        .unwrap();
    assert_eq!(
        second.kyc_status,
        Some(rampkit::kriptomat::types::KycStatus::Passed)
    );
    assert_eq!(
        second.edd_status,
        Some(rampkit::kriptomat::types::EddStatus::NotRequired)
    );

    // The query form of the share token.
    let by_query = sumsub
        .generate_share_token_by_query("applicant-2", "KriptomatSumsub")
        .ttl_in_secs(60)
        .await
        .unwrap()
        .into_inner();
    assert!(by_query.token.expose_str().starts_with("_act-"));
    // A token for another SumSub client is refused by Kriptomat.
    let other = sumsub
        .generate_share_token_by_query("applicant-3", "SomeoneElse")
        .await
        .unwrap()
        .into_inner();
    let e = kriptomat
        .import_kyc(
            7,
            &rampkit::kriptomat::types::ImportKycRequest::new(other.token),
        )
        .await
        .unwrap_err();
    assert_eq!(e.status(), Some(422));

    // SumSub with a wrong secret: 401, signature mismatch.
    let wrong = rampkit::sumsub::Client::new(
        &sim.base_url(Vendor::Sumsub),
        SumsubAuth::new(
            sim.config().vendors.sumsub.app_token.clone(),
            "wrong".to_owned(),
        ),
    );
    let e = wrong.generate_share_token(&request).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.status()),
        (ErrorKind::Authentication, Some(401))
    );
    assert_eq!(e.vendor_message(), Some("Request signature mismatch"));
    // A stale timestamp: 401 too.
    let stale = rampkit::sumsub::Client::new(
        &sim.base_url(Vendor::Sumsub),
        SumsubAuth::new(
            sim.config().vendors.sumsub.app_token.clone(),
            sim.config().vendors.sumsub.secret_key.clone(),
        )
        .with_clock(|| 1_700_000_000),
    );
    let e = stale.generate_share_token(&request).await.unwrap_err();
    assert_eq!(e.status(), Some(401));

    let counters = sim.counters();
    assert_eq!(counters.get(Vendor::Kriptomat).registrations, 3);
    assert_eq!(
        counters.get(Vendor::Kriptomat).duplicates,
        1,
        "the second import for user 4242"
    );
    assert_eq!(
        counters.get(Vendor::Sumsub).by_operation["generate_share_token"],
        3
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn kriptomat_login_checks_the_totp_code_and_bearers_expire() {
    let sim = start().await;
    // A wrong TOTP secret computes a wrong code: the login fails.
    let mut credentials = kriptomat_credentials(&sim);
    credentials.totp_secret_base32 = "JBSWY3DPEHPK3PXP".to_owned().into();
    let wrong = rampkit::kriptomat::Client::new(
        &sim.base_url(Vendor::Kriptomat),
        KriptomatAuth::with_credentials(credentials),
    );
    let e = wrong.show_user(1).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.status()),
        (ErrorKind::Authentication, Some(401))
    );

    // A code from a clock an hour off fails too.
    let skewed = rampkit::kriptomat::Client::new(
        &sim.base_url(Vendor::Kriptomat),
        KriptomatAuth::with_credentials(kriptomat_credentials(&sim)).with_clock(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs()
                - 3600
        }),
    );
    assert_eq!(
        skewed.show_user(1).await.unwrap_err().kind(),
        ErrorKind::Authentication
    );

    // A bearer asked for one second expires.
    let c = &sim.config().vendors.kriptomat;
    let code = KriptomatAuth::totp_code(
        &c.totp_secret.clone().into(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    )
    .unwrap();
    let login: Value = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/partners/auth/login",
            sim.base_url(Vendor::Kriptomat)
        ))
        .json(&json!({
            "email": c.email, "password": c.password,
            "client_id": c.client_id, "client_secret": c.client_secret,
            "security_code": code, "expires_in": 1
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(login["expires_in"], 1);
    let bearer = rampkit::kriptomat::Client::new(
        &sim.base_url(Vendor::Kriptomat),
        KriptomatAuth::with_bearer(login["access_token"].as_str().unwrap().to_owned()),
    );
    bearer.show_user(1).await.unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let e = bearer.show_user(1).await.unwrap_err();
    assert_eq!(
        (e.kind(), e.status()),
        (ErrorKind::Authentication, Some(401))
    );
    assert_eq!(e.vendor_message(), Some("Unauthenticated."));
    sim.shutdown().await;
}

#[tokio::test]
async fn admin_sets_statuses_and_reports_counters() {
    let sim = start().await;
    let client = leap(&sim);
    let customer = fixture("person_es_dni");
    let request = lp::RegisterUserParams::try_from(&customer).unwrap();
    client.register_user_v2(&request).await.unwrap();

    let http = reqwest::Client::new();
    let set = |body: Value| {
        let http = http.clone();
        let url = format!("{}/_admin/status", sim.url());
        async move { http.post(url).json(&body).send().await.unwrap() }
    };
    let response = set(
        json!({"vendor": "leap", "customer": "lucia.garcia@example.com", "status": "rejected"}),
    )
    .await;
    assert_eq!(response.status().as_u16(), 200);
    let lookup = lp::GetUserTokenParams::new()
        .set_phone_number(request.phone_number.clone())
        .with_country_code(request.country_code.clone());
    let answer = client
        .get_user_token_v2(&lookup)
        .await
        .unwrap()
        .into_inner();
    assert_eq!(answer.status, Some(lp::CipStatus::UpgradeFailed));
    assert_eq!(
        answer.status_detail,
        Some(lp::PlatLevelStatusDetail::OfacFailed)
    );

    assert_eq!(
        set(json!({"vendor": "leap", "customer": "nobody@example.com", "status": "verified"}))
            .await
            .status()
            .as_u16(),
        404
    );
    assert_eq!(
        set(json!({"vendor": "paypal", "customer": "x", "status": "verified"}))
            .await
            .status()
            .as_u16(),
        400
    );

    let counters: Value = http
        .get(format!("{}/_admin/counters", sim.url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let keys: Vec<&str> = counters
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        ["crossmint", "cryptopocket", "kriptomat", "leap", "sumsub"]
    );
    assert_eq!(counters["leap"]["requests"], 2);
    assert_eq!(counters["leap"]["registrations"], 1);
    assert_eq!(counters["leap"]["duplicates"], 0);
    assert_eq!(counters["leap"]["by_operation"]["register_user_v2"], 1);
    assert_eq!(counters["leap"]["by_operation"]["get_user_token_v2"], 1);
    assert_eq!(serde_json::to_value(sim.counters()).unwrap(), counters);
    sim.shutdown().await;
}
