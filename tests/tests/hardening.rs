//! The production-hardening audit (issue 8), reproduced as tests against loopback servers: redirects
//! carry nothing to another host, error answers that are not JSON are classified by their status,
//! "outcome unknown" is its own answer, logins never race or stampede, client-side rate limits hold,
//! and every retry and failure is traced without a personal value.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rampkit_crossmint::UserLocator;
use rampkit_cryptopocket::CryptoPocketAuth;
use rampkit_kriptomat::{KriptomatAuth, KriptomatCredentials};
use rampkit_leap::LeapAuth;
use rampkit_runtime::transport::{HttpClient, Timeouts};
use rampkit_runtime::{Context, ErrorKind, RateLimit, RateLimits, RetryPolicy};
use rampkit_sumsub::SumsubAuth;
use rampkit_tests::planted::{
    assert_reached_the_vendor, crossmint_upsert, cryptopocket_registration, fast_retries,
};
use rampkit_tests::scripted::{Reply, Responder, ScriptedServer, everything};

const USER: &str = r#"{"userId":"johnd-123","userDetails":true,"kycData":true,"dueDiligence":false,"verificationHistory":true}"#;
const KYC_VALID: &str = r#"{"status":"ok","data":{"kyc_status":"valid"}}"#;

/// Values that must never reach a host other than the vendor's.
const PLANTED: [&str; 9] = [
    "PLANTED-CROSSMINT-KEY",
    "PLANTED-LEAP-KEY",
    "PLANTED-CP-KEY",
    "PLANTED-CP-SECRET",
    "PLANTED-CP-TOKEN",
    "PLANTED-SUMSUB-TOKEN",
    "planted.person@example.com",
    "PLANTEDFIRSTNAME",
    "PLANTED-KM-PASSWORD",
];

fn crossmint(base: &str) -> rampkit_crossmint::Client {
    let auth = rampkit_crossmint::CrossmintAuth::new("PLANTED-CROSSMINT-KEY".to_owned());
    rampkit_crossmint::Client::new(
        base,
        Context::new(auth)
            .with_retry(fast_retries())
            .with_rate_limits(RateLimits::none()),
    )
}

fn cryptopocket(base: &str, auth: CryptoPocketAuth) -> rampkit_cryptopocket::Client {
    rampkit_cryptopocket::Client::new(base, Context::new(auth).with_retry(fast_retries()))
}

fn kriptomat_credentials(password: &str) -> KriptomatCredentials {
    KriptomatCredentials {
        email: "partner@example.com".to_owned().into(),
        password: password.to_owned().into(),
        client_id: 5,
        client_secret: "cs".to_owned().into(),
        totp_secret_base32: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".to_owned().into(),
    }
}

// ---------------------------------------------------------------------------------------------------
// 1. Redirects

#[tokio::test]
async fn a_redirect_carries_no_credential_or_personal_value_to_another_host() {
    let thief = Responder::start(|_| Reply::json(200, "{}")).await;
    for status in [301u16, 302, 303, 307, 308] {
        let location = format!("{}/collect?e=planted.person@example.com", thief.base_url);
        let vendor =
            Responder::start(move |_| Reply::json(status, "").header("location", &location)).await;
        let base = vendor.base_url.clone();
        let mut errors = Vec::new();

        let cm = crossmint(&base);
        errors.push(
            cm.get_user(&UserLocator::email("planted.person@example.com"))
                .await
                .unwrap_err(),
        );
        errors.push(
            cm.upsert_user(
                &UserLocator::email("planted.person@example.com"),
                &crossmint_upsert(),
            )
            .await
            .unwrap_err(),
        );
        let leap = rampkit_leap::Client::new(&base, LeapAuth::new("PLANTED-LEAP-KEY".to_owned()));
        let params = serde_json::from_value(
            serde_json::json!({"email": "planted.person@example.com", "countryCode": "ES"}),
        )
        .unwrap();
        errors.push(leap.get_user_token_v2(&params).await.unwrap_err());
        // CryptoPocket: the login itself is redirected (its body holds the key and the secret)…
        let cp = cryptopocket(
            &base,
            CryptoPocketAuth::with_credentials(
                "PLANTED-CP-KEY".to_owned(),
                "PLANTED-CP-SECRET".to_owned(),
            ),
        );
        errors.push(cp.check_kyc(1).await.unwrap_err());
        // …and a registration with a token.
        let cp = cryptopocket(
            &base,
            CryptoPocketAuth::with_token("PLANTED-CP-TOKEN".to_owned()),
        );
        errors.push(
            cp.register_user(&cryptopocket_registration())
                .await
                .unwrap_err(),
        );
        let sumsub = rampkit_sumsub::Client::new(
            &base,
            SumsubAuth::new("PLANTED-SUMSUB-TOKEN".to_owned(), "secret".to_owned()),
        );
        errors.push(
            sumsub
                .generate_share_token_by_query("applicant", "client")
                .await
                .unwrap_err(),
        );
        let km = rampkit_kriptomat::Client::new(
            &base,
            KriptomatAuth::with_credentials(kriptomat_credentials("PLANTED-KM-PASSWORD")),
        );
        errors.push(km.show_user(1).await.unwrap_err());

        for error in &errors {
            assert_eq!(error.kind(), ErrorKind::Redirect, "{status}: {error}");
            assert_eq!(error.status(), Some(status));
            assert_eq!(error.redirect_host(), Some("127.0.0.1"));
            assert_eq!(error.attempts(), 1, "a redirect is not retried");
            let shown = format!("{error} {error:?}");
            assert!(shown.contains("to host 127.0.0.1"), "{shown}");
            assert!(
                !shown.contains("collect") && !shown.contains("planted"),
                "the target's path and query are not shown: {shown}"
            );
        }
        // The vendor did receive the planted values (so the test could see a leak)…
        assert_reached_the_vendor(&vendor.received(), &PLANTED);
    }
    // …and the second host received nothing at all.
    let stolen = thief.received();
    assert_eq!(
        stolen.len(),
        0,
        "requests that reached the redirect target: {}",
        everything(&stolen)
    );
}

// ---------------------------------------------------------------------------------------------------
// 2. Error answers that are not JSON

#[tokio::test]
async fn an_html_502_from_a_gateway_is_a_server_error_and_retried() {
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let server = ScriptedServer::start(vec![
        Reply::raw(502, "text/html", html),
        Reply::raw(502, "text/html", html),
        Reply::raw(502, "text/html", html),
    ])
    .await;
    let error = crossmint(&server.base_url)
        .get_user(&UserLocator::user_id("johnd-123"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Server);
    assert_eq!(error.status(), Some(502));
    assert_eq!(error.attempts(), 3, "retried like a JSON 502");
    assert_eq!(server.received().len(), 3);
    assert_eq!(
        error.raw_body().map(|b| b.as_ref()),
        Some(html.as_bytes()),
        "the body as received"
    );
}

#[tokio::test]
async fn an_empty_503_then_success_is_retried() {
    let server = ScriptedServer::start(vec![
        Reply::raw(503, "text/plain", ""),
        Reply::json(200, USER),
    ])
    .await;
    let user = crossmint(&server.base_url)
        .get_user(&UserLocator::user_id("johnd-123"))
        .await
        .expect("retried after an empty 503")
        .into_inner();
    assert_eq!(user.user_id.as_deref(), Some("johnd-123"));
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn an_empty_429_honours_retry_after() {
    let server = ScriptedServer::start(vec![
        Reply::raw(429, "text/plain", "").header("retry-after", "1"),
        Reply::json(200, USER),
    ])
    .await;
    let started = Instant::now();
    crossmint(&server.base_url)
        .get_user(&UserLocator::user_id("johnd-123"))
        .await
        .expect("retried after Retry-After");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );

    let server = ScriptedServer::start(vec![
        Reply::raw(429, "text/plain", "").header("retry-after", "7"),
    ])
    .await;
    let client = rampkit_crossmint::Client::new(
        &server.base_url,
        Context::new(rampkit_crossmint::CrossmintAuth::new("k".to_owned()))
            .with_retry(RetryPolicy::none()),
    );
    let error = client
        .get_user(&UserLocator::user_id("johnd-123"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::RateLimited);
    assert_eq!(error.status(), Some(429));
    assert_eq!(error.retry_after(), Some(Duration::from_secs(7)));
}

#[tokio::test]
async fn an_empty_401_is_an_authentication_error_with_its_status() {
    let server = ScriptedServer::start(vec![Reply::raw(401, "text/plain", "")]).await;
    let error = crossmint(&server.base_url)
        .get_user(&UserLocator::user_id("johnd-123"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Authentication);
    assert_eq!(error.status(), Some(401));
    assert_eq!(error.attempts(), 1);
}

#[tokio::test]
async fn raw_body_is_the_body_as_received_with_fields_outside_the_schema() {
    let body =
        r#"{"error":true,"message":"Invalid user locator","traceId":"abc-123","extra":{"a":1}}"#;
    let server = ScriptedServer::start(vec![Reply::json(400, body)]).await;
    let error = crossmint(&server.base_url)
        .get_user(&UserLocator::user_id("bad"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert_eq!(error.raw_body().map(|b| b.as_ref()), Some(body.as_bytes()));
    assert_eq!(error.vendor_message(), Some("Invalid user locator"));
}

// ---------------------------------------------------------------------------------------------------
// 3. Outcome unknown

fn outcome_unknown_checks(error: &rampkit_runtime::Error) {
    assert_eq!(error.kind(), ErrorKind::OutcomeUnknown, "{error}");
    assert!(error.outcome_unknown());
    assert!(
        !error.is_retryable(),
        "a caller must look before sending again"
    );
    assert_eq!(error.attempts(), 1);
    assert!(
        error.to_string().contains("outcome unknown"),
        "Display says so: {error}"
    );
}

#[tokio::test]
async fn a_registration_that_timed_out_after_processing_is_outcome_unknown() {
    let processed = Arc::new(AtomicUsize::new(0));
    let seen = processed.clone();
    let server = Responder::start(move |_| {
        seen.fetch_add(1, Ordering::SeqCst);
        Reply::json(200, r#"{"status":"ok","data":{"id":1}}"#).after(Duration::from_secs(3))
    })
    .await;
    let http = HttpClient::new(Timeouts {
        connect: Duration::from_secs(1),
        request: Duration::from_millis(300),
    });
    let client = rampkit_cryptopocket::Client::new_with_client(
        &server.base_url,
        http,
        Context::new(CryptoPocketAuth::with_token("t".to_owned())).with_retry(fast_retries()),
    );
    let error = client
        .register_user(&cryptopocket_registration())
        .await
        .unwrap_err();
    outcome_unknown_checks(&error);
    assert_eq!(processed.load(Ordering::SeqCst), 1, "sent once");
}

#[tokio::test]
async fn a_registration_whose_connection_was_reset_is_outcome_unknown() {
    let server = ScriptedServer::start(vec![Reply::reset(), Reply::json(200, "{}")]).await;
    let client = cryptopocket(
        &server.base_url,
        CryptoPocketAuth::with_token("t".to_owned()),
    );
    let error = client
        .register_user(&cryptopocket_registration())
        .await
        .unwrap_err();
    outcome_unknown_checks(&error);
    assert_eq!(server.received().len(), 1);
}

#[tokio::test]
async fn a_gateway_502_or_504_on_a_registration_is_outcome_unknown() {
    for status in [502, 504] {
        let server = ScriptedServer::start(vec![
            Reply::raw(status, "text/html", "<html>gateway</html>"),
            Reply::json(200, "{}"),
        ])
        .await;
        let client = cryptopocket(
            &server.base_url,
            CryptoPocketAuth::with_token("t".to_owned()),
        );
        let error = client
            .register_user(&cryptopocket_registration())
            .await
            .unwrap_err();
        outcome_unknown_checks(&error);
        assert_eq!(error.status(), Some(status));
        assert_eq!(server.received().len(), 1);
    }
}

#[tokio::test]
async fn a_registration_that_could_not_connect_was_not_sent_and_may_be_retried() {
    // A port nothing listens on: bind, read the port, close.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let client = cryptopocket(&base, CryptoPocketAuth::with_token("t".to_owned()));
    let error = client
        .register_user(&cryptopocket_registration())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transient, "{error}");
    assert!(!error.outcome_unknown());
    assert!(error.is_retryable(), "nothing was sent");
    assert_eq!(
        error.attempts(),
        3,
        "a request that never left the machine is retried even for a registration"
    );
}

// ---------------------------------------------------------------------------------------------------
// 4. Logins

/// A CryptoPocket server whose first token is rejected: answers to the stale token come back 0–200 ms
/// apart, while other calls already hold the fresh token.
#[tokio::test]
async fn a_rejected_cryptopocket_token_is_replaced_once_for_64_concurrent_calls() {
    let logins = Arc::new(AtomicUsize::new(0));
    let counter = logins.clone();
    let server = Responder::start(move |r| {
        if r.path == "/authenticate" {
            counter.fetch_add(1, Ordering::SeqCst);
            return Reply::json(200, r#"{"status":"ok","data":{"token":"fresh"}}"#);
        }
        match r.header("auth") {
            Some("fresh") => Reply::json(200, KYC_VALID),
            Some("stale") => {
                let id: u64 = r
                    .path
                    .split("user_id=")
                    .nth(1)
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                Reply::json(
                    200,
                    r#"{"status":"error","error":"authorization_incorrect"}"#,
                )
                .after(Duration::from_millis((id % 5) * 50))
            }
            _ => Reply::json(400, r#"{"status":"error","error":"missing_auth"}"#),
        }
    })
    .await;
    let auth = CryptoPocketAuth::with_credentials("k".to_owned(), "s".to_owned());
    auth.set_token("stale".to_owned());
    let client = cryptopocket(&server.base_url, auth);
    let calls: Vec<_> = (0..64)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.check_kyc(i).await })
        })
        .collect();
    let mut failed = 0;
    for call in calls {
        if call.await.unwrap().is_err() {
            failed += 1;
        }
    }
    assert_eq!(failed, 0, "no call fails");
    assert_eq!(
        logins.load(Ordering::SeqCst),
        1,
        "one login replaces the rejected token"
    );
    assert!(
        server
            .received()
            .iter()
            .all(|r| r.path == "/authenticate" || r.header("auth").is_some()),
        "no authenticated call is sent without a token"
    );
}

#[tokio::test]
async fn a_revoked_kriptomat_token_is_replaced_once_and_each_call_repeated_once() {
    let logins = Arc::new(AtomicUsize::new(0));
    let counter = logins.clone();
    let server = Responder::start(move |r| {
        if r.path == "/api/v1/partners/auth/login" {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            return Reply::json(
                200,
                &format!(r#"{{"access_token":"bearer-{n}","expires_in":3600}}"#),
            );
        }
        match r.header("authorization") {
            // The first token was revoked at the vendor.
            Some("Bearer bearer-1") => Reply::json(401, r#"{"message":"Unauthenticated."}"#),
            Some(_) => Reply::json(200, r#"{"status":true,"data":{"kyc_status":"passed"}}"#),
            None => Reply::json(400, "{}"),
        }
    })
    .await;
    let client = rampkit_kriptomat::Client::new(
        &server.base_url,
        KriptomatAuth::with_credentials(kriptomat_credentials("pw")).with_clock(|| 59),
    );
    let calls: Vec<_> = (0..64)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.show_user(i).await })
        })
        .collect();
    for call in calls {
        call.await
            .unwrap()
            .expect("repeated once with the new token");
    }
    assert_eq!(
        logins.load(Ordering::SeqCst),
        2,
        "the first login, then one after the 401s"
    );
    let shows = server.count("/api/v1/partners/users/0")
        + (1..64)
            .map(|i| server.count(&format!("/api/v1/partners/users/{i}")))
            .sum::<usize>();
    assert_eq!(
        shows, 128,
        "each call sent twice: rejected, then repeated once"
    );
}

#[tokio::test]
async fn a_short_lived_kriptomat_token_serves_several_calls() {
    let server = Responder::start(|r| {
        if r.path == "/api/v1/partners/auth/login" {
            return Reply::json(200, r#"{"access_token":"b","expires_in":2}"#);
        }
        Reply::json(200, r#"{"status":true,"data":{"kyc_status":"passed"}}"#)
    })
    .await;
    let client = rampkit_kriptomat::Client::new(
        &server.base_url,
        KriptomatAuth::with_credentials(kriptomat_credentials("pw")).with_clock(|| 59),
    );
    for _ in 0..5 {
        client.show_user(1).await.unwrap();
    }
    assert_eq!(
        server.count("/api/v1/partners/auth/login"),
        1,
        "a 2-second token is not renewed before every call"
    );
    tokio::time::sleep(Duration::from_millis(1700)).await;
    client.show_user(1).await.unwrap();
    assert_eq!(
        server.count("/api/v1/partners/auth/login"),
        2,
        "renewed after four fifths of its life"
    );
}

#[tokio::test]
async fn a_failing_login_endpoint_gets_one_login_per_failure_not_one_per_call() {
    let server = Responder::start(|r| {
        if r.path == "/authenticate" {
            return Reply::json(503, r#"{"status":"error","error":"maintenance"}"#)
                .after(Duration::from_millis(100));
        }
        Reply::json(200, KYC_VALID)
    })
    .await;
    let auth = CryptoPocketAuth::with_credentials("k".to_owned(), "s".to_owned())
        .with_login_backoff(Duration::from_millis(600), Duration::from_secs(5));
    let client = cryptopocket(&server.base_url, auth);
    let calls: Vec<_> = (0..64)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move { client.check_kyc(i).await })
        })
        .collect();
    for call in calls {
        let error = call.await.unwrap().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Server, "{error}");
        assert_eq!(error.operation(), "authenticate");
    }
    assert_eq!(
        server.count("/authenticate"),
        1,
        "64 waiting calls share one failed login"
    );
    // Within the backoff: the failure is answered at once, nothing is sent.
    client.check_kyc(1).await.unwrap_err();
    assert_eq!(server.count("/authenticate"), 1);
    // After it: one new attempt.
    tokio::time::sleep(Duration::from_millis(700)).await;
    client.check_kyc(1).await.unwrap_err();
    assert_eq!(server.count("/authenticate"), 2);
    assert_eq!(
        server.count("/kyc/check"),
        0,
        "no call sent without a token"
    );
}

// ---------------------------------------------------------------------------------------------------
// 5. Client-side rate limits

#[tokio::test]
async fn crossmint_documents_its_limits_and_they_are_the_defaults() {
    let context = Context::new(rampkit_crossmint::CrossmintAuth::new("k".to_owned()));
    assert_eq!(
        context.limiter.limits(),
        RateLimits {
            reads: Some(RateLimit::per_minute(360)),
            writes: Some(RateLimit::per_minute(120)),
        }
    );
    let leap = Context::new(LeapAuth::new("k".to_owned()));
    assert_eq!(
        leap.limiter.limits(),
        RateLimits::none(),
        "Leap documents none"
    );
}

#[tokio::test]
async fn three_hundred_crossmint_writes_never_exceed_the_configured_rate_in_any_window() {
    // The documented 120 writes per minute, scaled down: 50 writes per 500 ms (one every 10 ms).
    let limit = RateLimit {
        max: 50,
        per: Duration::from_millis(500),
    };
    let server = Responder::start(|_| Reply::json(200, USER)).await;
    let client = rampkit_crossmint::Client::new(
        &server.base_url,
        Context::new(rampkit_crossmint::CrossmintAuth::new("k".to_owned())).with_rate_limits(
            RateLimits {
                reads: None,
                writes: Some(limit),
            },
        ),
    );
    let body = crossmint_upsert();
    let started = Instant::now();
    let calls: Vec<_> = (0..300)
        .map(|i| {
            let client = client.clone();
            let body = body.clone();
            tokio::spawn(async move {
                client
                    .upsert_user(&UserLocator::user_id(format!("u-{i}")), &body)
                    .await
                    .map(|_| ())
            })
        })
        .collect();
    for call in calls {
        call.await
            .unwrap()
            .expect("a call waits for its slot instead of failing");
    }
    let elapsed = started.elapsed();
    let arrivals: Vec<Instant> = server.timed().into_iter().map(|(at, _)| at).collect();
    assert_eq!(arrivals.len(), 300);
    // In any window of `per`, at most `max` requests: request i and request i + max are at least `per`
    // apart. Loopback delivery and the scheduler of a shared 2-core machine shift an arrival by a few
    // milliseconds; the limiter's own grants are checked exactly in the runtime's unit tests.
    let jitter = Duration::from_millis(15);
    for (i, at) in arrivals.iter().enumerate() {
        if let Some(later) = arrivals.get(i + limit.max as usize) {
            assert!(
                *later - *at + jitter >= limit.per,
                "requests {i}..={} arrived within {:?}",
                i + limit.max as usize,
                *later - *at
            );
        }
    }
    // And the limiter does not throttle below its rate: 300 slots 10 ms apart take about 3 s.
    assert!(
        elapsed >= Duration::from_millis(2900) && elapsed < Duration::from_secs(8),
        "{elapsed:?}"
    );
}

#[tokio::test]
async fn a_call_that_cannot_get_a_slot_within_its_deadline_fails_without_sending() {
    let server = Responder::start(|_| Reply::json(200, USER)).await;
    let client = rampkit_crossmint::Client::new(
        &server.base_url,
        Context::new(rampkit_crossmint::CrossmintAuth::new("k".to_owned()))
            .with_retry(RetryPolicy {
                deadline: Duration::from_millis(200),
                ..RetryPolicy::default()
            })
            .with_rate_limits(RateLimits {
                reads: Some(RateLimit::per_minute(1)),
                writes: None,
            }),
    );
    client.get_user(&UserLocator::user_id("a")).await.unwrap();
    let error = client
        .get_user(&UserLocator::user_id("b"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::RateLimited);
    assert_eq!(error.status(), None, "no answer: nothing was sent");
    assert_eq!(server.received().len(), 1);
}

// ---------------------------------------------------------------------------------------------------
// 6. Observability

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "current_thread")]
async fn retries_and_failures_are_warned_with_otel_fields_and_no_personal_value() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = ScriptedServer::start(vec![
        Reply::raw(503, "text/html", "<p>planted.person@example.com</p>"),
        Reply::json(
            404,
            r#"{"error":true,"message":"planted.person@example.com not found"}"#,
        ),
    ])
    .await;
    let client = rampkit_crossmint::Client::new(
        &server.base_url,
        Context::new(rampkit_crossmint::CrossmintAuth::new(
            "PLANTED-CROSSMINT-KEY".to_owned(),
        ))
        .with_retry(fast_retries())
        .with_rate_limits(RateLimits {
            reads: Some(RateLimit {
                max: 1,
                per: Duration::from_millis(30),
            }),
            writes: None,
        }),
    );
    let error = client
        .get_user(&UserLocator::email("planted.person@example.com"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::NotFound);

    let out = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    let retry = out
        .lines()
        .find(|l| l.contains("rampkit: retrying"))
        .unwrap_or_else(|| panic!("a retry event: {out}"));
    assert!(retry.contains("WARN"), "{retry}");
    // Inside the call's span (the subscriber prints the span scope before the event).
    assert!(retry.contains("rampkit.call{"), "{retry}");
    for field in [
        "provider=\"crossmint\"",
        "operation=\"get_user\"",
        "kind=\"server\"",
        "status=503",
        "attempt=1",
    ] {
        assert!(retry.contains(field), "{field} in {retry}");
    }
    let failure = out
        .lines()
        .find(|l| l.contains("rampkit: call failed"))
        .unwrap_or_else(|| panic!("a failure event: {out}"));
    for field in [
        "WARN",
        "rampkit.call{",
        "kind=\"not_found\"",
        "status=404",
        "attempt=2",
    ] {
        assert!(failure.contains(field), "{field} in {failure}");
    }
    let span = out
        .lines()
        .find(|l| l.contains("close"))
        .unwrap_or_else(|| panic!("the span closes: {out}"));
    for field in [
        "http.request.method=\"GET\"",
        "url.template=\"/2025-06-09/users/{userLocator}\"",
        "server.address=\"127.0.0.1\"",
        "http.response.status_code=404",
        "error.type=\"not_found\"",
        "rate_limit_wait_ms=",
        "duration_ms=",
        "attempt=2",
    ] {
        assert!(span.contains(field), "{field} in {span}");
    }
    for planted in ["planted", "PLANTED"] {
        assert!(
            !out.contains(planted),
            "a planted value in the traces: {out}"
        );
    }
}
