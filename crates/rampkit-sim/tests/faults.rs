//! Injected faults and rate limits, as the generated clients and the runtime see them: each fault kind
//! maps to its error kind, idempotent calls are retried and registrations are not, a timeout after
//! processing leaves the registration done, and the documented Crossmint limit answers 429.

mod common;

use std::time::{Duration, Instant};

use rampkit::leap::types as lp;
use rampkit::runtime::{Error, ErrorKind, RetryPolicy};
use rampkit_sim::{FaultConfig, FaultKind, RateLimit, SimConfig, Simulator, Vendor};

use common::*;
use rampkit::crossmint::UserLocator;

fn leap_faults(fault: FaultConfig) -> SimConfig {
    SimConfig::default().with_vendor_faults(Vendor::Leap, fault)
}

fn registration() -> lp::RegisterUserParams {
    lp::RegisterUserParams::try_from(&fixture("person_mx_two_surnames")).unwrap()
}

fn lookup() -> lp::GetUserTokenParams {
    let r = registration();
    lp::GetUserTokenParams::new()
        .set_phone_number(r.phone_number)
        .with_country_code(r.country_code)
}

async fn one_fault(kind: FaultKind) -> (Error, Simulator) {
    let mut fault = FaultConfig::only(kind, 1.0);
    fault.hold_ms = 3_000; // past the test client's 2 s timeout
    let sim = start_with(leap_faults(fault)).await;
    let e = leap(&sim).get_user_token_v2(&lookup()).await.unwrap_err();
    (e, sim)
}

#[tokio::test]
async fn each_fault_maps_to_its_error_kind() {
    let (e, sim) = one_fault(FaultKind::Status503Json).await;
    assert_eq!((e.kind(), e.status()), (ErrorKind::Server, Some(503)));
    assert_eq!(
        e.vendor_code(),
        Some("SERVICE_UNAVAILABLE"),
        "a Leap-shaped body"
    );
    sim.shutdown().await;

    let (e, sim) = one_fault(FaultKind::Reset).await;
    assert_eq!(e.kind(), ErrorKind::Transient);
    sim.shutdown().await;

    let (e, sim) = one_fault(FaultKind::Status429).await;
    assert_eq!((e.kind(), e.status()), (ErrorKind::RateLimited, Some(429)));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(1)));
    sim.shutdown().await;

    let (e, sim) = one_fault(FaultKind::TimeoutAfterProcessing).await;
    assert_eq!(e.kind(), ErrorKind::Transient);
    // The request was carried out before the answer was held back.
    assert_eq!(
        sim.counters().get(Vendor::Leap).by_operation["get_user_token_v2"],
        1
    );
    sim.shutdown().await;
}

/// What the simulator sends for a 502 fault: a gateway's HTML page.
#[tokio::test]
async fn a_502_fault_is_a_gateway_html_page() {
    let sim = start_with(leap_faults(FaultConfig::only(
        FaultKind::Status502Html,
        1.0,
    )))
    .await;
    let response = reqwest::Client::new()
        .post(format!(
            "{}/auth/get-user-token-v2",
            sim.base_url(rampkit_sim::Vendor::Leap)
        ))
        .json(&serde_json::json!({"email": "x@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 502);
    assert_eq!(response.headers()["content-type"], "text/html");
    assert!(response.text().await.unwrap().contains("502 Bad Gateway"));
    sim.shutdown().await;
}

/// How the runtime sees that page: a retryable server error with status 502, whatever the body.
#[tokio::test]
async fn a_502_html_page_is_a_retryable_server_error() {
    let (e, sim) = one_fault(FaultKind::Status502Html).await;
    assert_eq!((e.kind(), e.status()), (ErrorKind::Server, Some(502)));
    sim.shutdown().await;
}

#[tokio::test]
async fn a_registration_that_times_out_was_still_made() {
    let mut fault = FaultConfig::only(FaultKind::TimeoutAfterProcessing, 1.0);
    fault.hold_ms = 3_000;
    let sim = start_with(leap_faults(fault)).await;
    let e = leap(&sim)
        .register_user_v2(&registration())
        .await
        .unwrap_err();
    // The vendor processed it, no answer says so: the outcome is unknown, not retryable.
    assert_eq!(e.kind(), ErrorKind::OutcomeUnknown);
    assert!(!e.is_retryable());
    let counters = sim.counters().get(Vendor::Leap);
    assert_eq!((counters.requests, counters.registrations), (1, 1));
    // The user exists: the admin API finds it.
    let response = reqwest::Client::new()
        .post(format!("{}/_admin/status", sim.url()))
        .json(&serde_json::json!({
            "vendor": "leap",
            "customer": registration().email.unwrap().expose_str(),
            "status": "verified"
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    sim.shutdown().await;
}

#[tokio::test]
async fn idempotent_calls_are_retried_and_registrations_are_not() {
    let sim = start_with(leap_faults(FaultConfig::only(
        FaultKind::Status503Json,
        1.0,
    )))
    .await;
    let retrying = leap_with(
        &sim,
        RetryPolicy {
            max_attempts: 3,
            initial_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(20),
            deadline: Duration::from_secs(5),
            jitter: false,
        },
    );
    let e = retrying.get_user_token_v2(&lookup()).await.unwrap_err();
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::Server, 3));
    assert_eq!(sim.counters().get(Vendor::Leap).requests, 3);
    let e = retrying
        .register_user_v2(&registration())
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::Server, 1));
    assert_eq!(
        sim.counters().get(Vendor::Leap).requests,
        4,
        "the registration was sent once"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn latency_delays_every_answer() {
    let sim = start_with(leap_faults(FaultConfig {
        latency_ms: 300,
        ..FaultConfig::default()
    }))
    .await;
    let started = Instant::now();
    let e = leap(&sim).get_user_token_v2(&lookup()).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NotFound);
    assert!(started.elapsed() >= Duration::from_millis(300));
    sim.shutdown().await;
}

#[tokio::test]
async fn crossmint_write_limit_answers_429_with_retry_after() {
    // The default is the documented limit.
    assert_eq!(
        SimConfig::default().vendors.crossmint.rate_limit,
        RateLimit {
            writes_per_minute: Some(120),
            reads_per_minute: Some(360)
        }
    );
    let sim = start_with(SimConfig::default().with_rate_limit(
        Vendor::Crossmint,
        RateLimit {
            writes_per_minute: Some(2),
            reads_per_minute: None,
        },
    ))
    .await;
    let client = crossmint(&sim);
    let user = rampkit::crossmint::types::UpsertUserRequest::default();
    client
        .upsert_user(&UserLocator::user_id("a"), &user)
        .await
        .unwrap();
    client
        .upsert_user(&UserLocator::user_id("b"), &user)
        .await
        .unwrap();
    let e = client
        .upsert_user(&UserLocator::user_id("c"), &user)
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::RateLimited, Some(429)));
    let wait = e.retry_after().unwrap();
    assert!(
        wait >= Duration::from_secs(1) && wait <= Duration::from_secs(30),
        "{wait:?}"
    );
    // Reads have their own budget (unlimited here).
    for _ in 0..5 {
        client.get_user(&UserLocator::user_id("a")).await.unwrap();
    }
    assert_eq!(sim.counters().get(Vendor::Crossmint).requests, 8);
    assert_eq!(
        sim.counters().get(Vendor::Crossmint).by_operation["upsert_user"],
        2,
        "the refused write never reached the operation"
    );
    sim.shutdown().await;
}
