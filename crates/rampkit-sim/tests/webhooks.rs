//! Status-change webhooks, received by a local server and verified with `rampkit-webhooks`: each
//! vendor's signature checks out with the configured secret, and fails on a changed body or another
//! secret.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use rampkit::crossmint::types as cm;
use rampkit::providers::crossmint::{UserLocator, document_uploads, timestamp};
use rampkit::providers::kriptomat::{import_kyc_request, share_token_request};
use rampkit_sim::{SimConfig, Simulator, Vendor};
use rampkit_webhooks::{
    CrossmintEvent, CryptoPocketEvent, KriptomatEvent, LeapEvent, SecretString, SvixSecret,
    WebhookError,
};

use common::*;

#[derive(Clone, Debug)]
struct Delivery {
    vendor: String,
    headers: HeaderMap,
    body: Bytes,
}

type Inbox = Arc<Mutex<Vec<Delivery>>>;

async fn receive(
    State(inbox): State<Inbox>,
    Path(vendor): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> &'static str {
    inbox.lock().unwrap().push(Delivery {
        vendor,
        headers,
        body,
    });
    "ok"
}

/// A webhook receiver on loopback and a simulator posting to it.
async fn setup() -> (Simulator, Inbox) {
    let inbox: Inbox = Arc::default();
    let app = Router::new()
        .route("/hooks/{vendor}", axum::routing::post(receive))
        .with_state(Arc::clone(&inbox));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let sim = start_with(SimConfig {
        polls_until_final: 1,
        webhook_url: Some(format!("http://{addr}/hooks/{{vendor}}")),
        ..SimConfig::default()
    })
    .await;
    (sim, inbox)
}

/// The deliveries for `vendor`, once there are at least `n` (waits up to 5 s).
async fn deliveries(inbox: &Inbox, vendor: &str, n: usize) -> Vec<Delivery> {
    for _ in 0..500 {
        let got: Vec<Delivery> = inbox
            .lock()
            .unwrap()
            .iter()
            .filter(|d| d.vendor == vendor)
            .cloned()
            .collect();
        if got.len() >= n {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("fewer than {n} {vendor} webhooks arrived");
}

fn tampered(body: &Bytes) -> Vec<u8> {
    let mut changed = body.to_vec();
    let last = changed.len() - 2;
    changed[last] ^= 0x01;
    changed
}

#[tokio::test]
async fn leap_webhooks_verify() {
    let (sim, inbox) = setup().await;
    let client = leap(&sim);
    let request =
        rampkit::leap::types::RegisterUserParams::try_from(&fixture("person_es_dni")).unwrap();
    client.register_user_v2(&request).await.unwrap();
    let lookup = rampkit::leap::types::GetUserTokenParams::new()
        .set_phone_number(request.phone_number.clone())
        .with_country_code(request.country_code.clone());
    client.get_user_token_v2(&lookup).await.unwrap();
    // Registration (pending) and the final status.
    let got = deliveries(&inbox, "leap", 2).await;
    let secret = SecretString::from(sim.config().vendors.leap.webhook_secret.clone());
    let mut statuses = Vec::new();
    for delivery in &got {
        match rampkit_webhooks::leap::verify(&delivery.body, &delivery.headers, &secret).unwrap() {
            LeapEvent::OperationStatusUpdate(update) => {
                statuses.push(update.status().unwrap().to_owned())
            }
            other => panic!("unexpected {other}"),
        }
    }
    // Deliveries are concurrent, so their order is not fixed.
    statuses.sort();
    assert_eq!(statuses, ["Completed", "UpgradeInProgress"]);
    let wrong = SecretString::from("another-secret".to_owned());
    assert!(matches!(
        rampkit_webhooks::leap::verify(&got[0].body, &got[0].headers, &wrong),
        Err(WebhookError::SignatureMismatch)
    ));
    assert!(matches!(
        rampkit_webhooks::leap::verify(&tampered(&got[0].body), &got[0].headers, &secret),
        Err(WebhookError::SignatureMismatch)
    ));
    // The simulator counts a delivery once the receiver has answered.
    for _ in 0..500 {
        if sim.counters().get(Vendor::Leap).webhooks_delivered == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(sim.counters().get(Vendor::Leap).webhooks_delivered, 2);
    sim.shutdown().await;
}

#[tokio::test]
async fn crossmint_webhooks_verify_with_svix() {
    let (sim, inbox) = setup().await;
    let client = crossmint(&sim);
    let customer = fixture("person_es_dni");
    let locator = UserLocator::user_id("lucia-0001");
    let consent = cm::AcceptLegalDocumentRequest::new(
        timestamp("2026-01-01T00:00:00Z".parse().unwrap()),
        cm::LegalDocumentType::CrossmintPrivacyPolicy,
    );
    client
        .accept_legal_document(&locator, &consent)
        .await
        .unwrap();
    client
        .upsert_user(
            &locator,
            &cm::UpsertUserRequest::try_from(&customer).unwrap(),
        )
        .await
        .unwrap();
    for upload in document_uploads(&customer, &locator).unwrap() {
        client.upload_document(&upload).await.unwrap();
    }
    client
        .trigger_identity_verification(&locator)
        .await
        .unwrap();
    client.get_identity_verification(&locator).await.unwrap();
    let got = deliveries(&inbox, "crossmint", 2).await;
    let secret = SvixSecret::new(&sim.config().vendors.crossmint.webhook_secret).unwrap();
    for delivery in &got {
        let event = rampkit_webhooks::crossmint::verify(
            &delivery.body,
            &delivery.headers,
            &secret,
            SystemTime::now(),
        )
        .unwrap();
        assert!(
            matches!(&event, CrossmintEvent::Unsupported { event_type } if event_type == "users.verification.updated")
        );
    }
    let offramp_statuses: Vec<String> = got
        .iter()
        .map(|d| {
            let body: serde_json::Value = serde_json::from_slice(&d.body).unwrap();
            let offramp = body["data"]["eligibility"]
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["type"] == "offramp")
                .unwrap()
                .clone();
            offramp["status"].as_str().unwrap().to_owned()
        })
        .collect();
    assert!(
        offramp_statuses.contains(&"verified".to_owned()),
        "{offramp_statuses:?}"
    );
    assert!(matches!(
        rampkit_webhooks::crossmint::verify(
            &tampered(&got[0].body),
            &got[0].headers,
            &secret,
            SystemTime::now()
        ),
        Err(WebhookError::SignatureMismatch)
    ));
    sim.shutdown().await;
}

#[tokio::test]
async fn cryptopocket_webhooks_verify_and_admin_changes_send_them() {
    let (sim, inbox) = setup().await;
    let client = cryptopocket(&sim);
    let request = rampkit::cryptopocket::types::RegisterUserKycDelegatedRequest::try_from(
        &fixture("person_es_dni"),
    )
    .unwrap();
    let id = client
        .register_user_kyc_delegated(&request)
        .await
        .unwrap()
        .into_inner()
        .data
        .unwrap()
        .id
        .unwrap();
    // An admin change sends one too.
    let response = reqwest::Client::new()
        .post(format!("{}/_admin/status", sim.url()))
        .json(&serde_json::json!({"vendor": "cryptopocket", "customer": id.to_string(), "status": "rejected"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let got = deliveries(&inbox, "cryptopocket", 2).await;
    let secret = SecretString::from(sim.config().vendors.cryptopocket.api_secret.clone());
    for delivery in &got {
        let event = rampkit_webhooks::cryptopocket::verify(
            &delivery.body,
            &delivery.headers,
            &secret,
            SystemTime::now(),
        )
        .unwrap();
        assert!(matches!(event, CryptoPocketEvent::Unsupported { .. }));
        assert_eq!(
            rampkit_webhooks::cryptopocket::api_key(&delivery.headers).unwrap(),
            sim.config().vendors.cryptopocket.api_key
        );
    }
    let bodies: Vec<serde_json::Value> = got
        .iter()
        .map(|d| serde_json::from_slice(&d.body).unwrap())
        .collect();
    assert!(bodies.iter().all(|b| b["user_id"] == id));
    assert!(
        bodies.iter().any(|b| b["kyc_status"] == "fail"),
        "{bodies:?}"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn kriptomat_webhooks_decode_as_kyc_statuses() {
    let (sim, inbox) = setup().await;
    let customer = fixture("person_es_dni");
    let share = sumsub(&sim)
        .generate_share_token(
            &share_token_request(
                &customer,
                &sim.config().vendors.kriptomat.sumsub_client_id,
                None,
            )
            .unwrap(),
        )
        .await
        .unwrap()
        .into_inner();
    let kriptomat = kriptomat(&sim);
    kriptomat
        .import_kyc(77, &import_kyc_request(&customer, share.token).unwrap())
        .await
        .unwrap();
    kriptomat.show_user(77).await.unwrap();
    let got = deliveries(&inbox, "kriptomat", 2).await;
    let mut answers = Vec::new();
    for delivery in &got {
        let KriptomatEvent::KycStatus(event) =
            rampkit_webhooks::kriptomat::decode(&delivery.body).unwrap()
        else {
            panic!("a Kyc Statuses webhook");
        };
        assert_eq!(event.user_id, Some(77));
        answers.push(
            event
                .status
                .unwrap()
                .review_result
                .and_then(|r| r.review_answer),
        );
    }
    // Import (pending, no answer yet), then the review: GREEN.
    assert!(
        answers.contains(&None)
            && answers.contains(&Some(rampkit::kriptomat::types::KycReviewAnswer::Green)),
        "{answers:?}"
    );
    sim.shutdown().await;
}
