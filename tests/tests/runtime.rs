//! The runtime around every generated client: token login and renewal, retries (and their absence for
//! registrations), timeouts, and the one error type — against loopback servers.

use std::time::{Duration, Instant};

use httpmock::{Method::GET, Method::POST, MockServer};
use rampkit_crossmint::UserLocator;
use rampkit_cryptopocket::CryptoPocketAuth;
use rampkit_kriptomat::{KriptomatAuth, KriptomatCredentials};
use rampkit_runtime::transport::{HttpClient, Timeouts};
use rampkit_runtime::{Context, ErrorKind, RetryPolicy};
use rampkit_tests::planted::fast_retries;
use rampkit_tests::scripted::{Reply, ScriptedServer};

const USER: &str = r#"{"userId":"johnd-123","userDetails":true,"kycData":true,"dueDiligence":false,"verificationHistory":true}"#;
const KYC_VALID: &str = r#"{"status":"ok","data":{"kyc_status":"valid"}}"#;

fn crossmint(base: &str) -> rampkit_crossmint::Client {
    let auth = rampkit_crossmint::CrossmintAuth::new("sk_staging_runtime".to_owned());
    rampkit_crossmint::Client::new(base, Context::new(auth).with_retry(fast_retries()))
}

fn register_user_request() -> rampkit_cryptopocket::types::RegisterUserRequest {
    use rampkit_cryptopocket::Pii;
    rampkit_cryptopocket::types::RegisterUserRequest::new(
        Pii::from("juan@example.com"),
        Pii::from("Juan"),
    )
}

#[tokio::test]
async fn one_login_serves_many_concurrent_calls() {
    let server = MockServer::start_async().await;
    let login = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/authenticate")
                .json_body(serde_json::json!({"api_key": "key-1", "api_secret": "secret-1"}));
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"status":"ok","data":{"token":"tok-123"}}"#);
        })
        .await;
    let check = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/kyc/check")
                .header("auth", "tok-123");
            then.status(200)
                .header("content-type", "application/json")
                .body(KYC_VALID);
        })
        .await;
    let auth = CryptoPocketAuth::with_credentials("key-1".to_owned(), "secret-1".to_owned());
    let client = rampkit_cryptopocket::Client::new(&server.base_url(), auth);
    let calls = (0..8).map(|i| {
        let client = client.clone();
        tokio::spawn(async move { client.check_kyc(100 + i).await })
    });
    for call in calls {
        call.await.unwrap().expect("check succeeds");
    }
    assert_eq!(
        login.calls_async().await,
        1,
        "one login for eight concurrent calls"
    );
    assert_eq!(check.calls_async().await, 8);
}

#[tokio::test]
async fn a_rejected_token_is_renewed_and_the_call_repeated_once() {
    let server = MockServer::start_async().await;
    let login = server
        .mock_async(|when, then| {
            when.method(POST).path("/authenticate");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"status":"ok","data":{"token":"fresh"}}"#);
        })
        .await;
    // CryptoPocket answers an expired token with HTTP 200 and an error envelope.
    let stale = server
        .mock_async(|when, then| {
            when.method(GET).path("/kyc/check").header("auth", "stale");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"status":"error","error":"authorization_incorrect"}"#);
        })
        .await;
    let fresh = server
        .mock_async(|when, then| {
            when.method(GET).path("/kyc/check").header("auth", "fresh");
            then.status(200)
                .header("content-type", "application/json")
                .body(KYC_VALID);
        })
        .await;
    let auth = CryptoPocketAuth::with_credentials("k".to_owned(), "s".to_owned());
    auth.set_token("stale".to_owned());
    let client = rampkit_cryptopocket::Client::new(&server.base_url(), auth);
    let answer = client
        .check_kyc(106)
        .await
        .expect("repeated with the fresh token")
        .into_inner();
    assert_eq!(
        answer.data.and_then(|d| d.kyc_status),
        Some(rampkit_cryptopocket::types::KycStatus::Valid)
    );
    assert_eq!(
        (
            stale.calls_async().await,
            login.calls_async().await,
            fresh.calls_async().await
        ),
        (1, 1, 1)
    );
}

#[tokio::test]
async fn a_token_rejected_twice_is_an_authentication_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/authenticate");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"data":{"token":"t"}}"#);
        })
        .await;
    let rejected = server
        .mock_async(|when, then| {
            when.method(GET).path("/kyc/check");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"status":"error","error":"authorization_incorrect"}"#);
        })
        .await;
    let client = rampkit_cryptopocket::Client::new(
        &server.base_url(),
        CryptoPocketAuth::with_credentials("k".to_owned(), "s".to_owned()),
    );
    let error = client.check_kyc(1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Authentication);
    assert_eq!(error.vendor_code(), Some("authorization_incorrect"));
    assert_eq!(
        rejected.calls_async().await,
        2,
        "sent once, repeated once after a new login, never more"
    );
}

#[tokio::test]
async fn business_errors_with_http_200_are_errors_with_their_code() {
    let server = MockServer::start_async().await;
    let register = server
        .mock_async(|when, then| {
            when.method(POST).path("/registerUser");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"status":"error","error":"user_already_exists"}"#);
        })
        .await;
    let client = rampkit_cryptopocket::Client::new(
        &server.base_url(),
        CryptoPocketAuth::with_token("t".to_owned()),
    );
    let error = client
        .register_user(&register_user_request())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Conflict);
    assert_eq!(error.vendor_code(), Some("user_already_exists"));
    assert_eq!(error.status(), Some(200));
    assert_eq!(
        error.to_string(),
        "cryptopocket register_user: conflict (HTTP 200, vendor code `user_already_exists`)"
    );
    assert_eq!(register.calls_async().await, 1);
}

#[tokio::test]
async fn kriptomat_logs_in_with_a_totp_code_and_renews_before_expiry() {
    let server = MockServer::start_async().await;
    // RFC 6238 appendix B secret at T = 59 s gives 287082 (the last six digits of 94287082).
    let login = server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/api/v1/partners/auth/login")
                .header("x-requested-with", "XMLHttpRequest")
                .header_missing("authorization")
                .json_body(serde_json::json!({
                    "email": "partner@example.com",
                    "password": "pw",
                    "client_id": 5,
                    "client_secret": "cs",
                    "security_code": "287082"
                }));
            // Lives 1 s: renewed after four fifths of its life (800 ms).
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"access_token":"bearer-1","expires_in":1}"#);
        })
        .await;
    let show = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/api/v1/partners/users/1")
                .header("authorization", "Bearer bearer-1");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"status":true,"data":{"kyc_status":"passed"}}"#);
        })
        .await;
    let credentials = KriptomatCredentials {
        email: "partner@example.com".to_owned().into(),
        password: "pw".to_owned().into(),
        client_id: 5,
        client_secret: "cs".to_owned().into(),
        totp_secret_base32: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".to_owned().into(),
    };
    let auth = KriptomatAuth::with_credentials(credentials).with_clock(|| 59);
    let client = rampkit_kriptomat::Client::new(&server.base_url(), auth);
    client.show_user(1).await.unwrap();
    client.show_user(1).await.unwrap();
    assert_eq!(login.calls_async().await, 1, "one login serves both calls");
    tokio::time::sleep(Duration::from_millis(900)).await;
    client.show_user(1).await.unwrap();
    assert_eq!(
        login.calls_async().await,
        2,
        "a token past four fifths of its life is renewed before the call"
    );
    assert_eq!(show.calls_async().await, 3);
}

#[tokio::test]
async fn rate_limit_waits_for_retry_after_then_retries() {
    let server = ScriptedServer::start(vec![
        Reply::json(429, r#"{"error":true,"message":"slow down"}"#).header("retry-after", "1"),
        Reply::json(200, USER),
    ])
    .await;
    let started = Instant::now();
    let user = crossmint(&server.base_url)
        .get_user(&UserLocator::user_id("johnd-123"))
        .await
        .unwrap()
        .into_inner();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was honoured ({:?})",
        started.elapsed()
    );
    assert_eq!(user.user_id.as_deref(), Some("johnd-123"));
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert!(
        received
            .iter()
            .all(|r| r.method == "GET" && r.path == "/2025-06-09/users/userId:johnd-123")
    );
    assert!(
        received
            .iter()
            .all(|r| r.header("x-api-key") == Some("sk_staging_runtime"))
    );
}

#[tokio::test]
async fn a_503_on_a_put_is_retried() {
    let server = ScriptedServer::start(vec![
        Reply::json(503, "{}"),
        Reply::json(503, "{}"),
        Reply::json(200, USER),
    ])
    .await;
    let body = rampkit_crossmint::types::UpsertUserRequest::default();
    let user = crossmint(&server.base_url)
        .upsert_user(&UserLocator::user_id("johnd-123"), &body)
        .await
        .unwrap();
    assert_eq!(user.status().as_u16(), 200);
    assert_eq!(server.received().len(), 3);
    assert!(server.received().iter().all(|r| r.method == "PUT"));
}

#[tokio::test]
async fn retries_stop_at_the_attempt_limit() {
    let server = ScriptedServer::start(vec![Reply::json(502, "{}"); 5]).await;
    let error = crossmint(&server.base_url)
        .get_user(&UserLocator::user_id("johnd-123"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Server);
    assert_eq!(error.status(), Some(502));
    assert_eq!(error.attempts(), 3);
    assert_eq!(server.received().len(), 3);
}

#[tokio::test]
async fn a_501_is_a_server_error_that_is_not_retried() {
    let server = ScriptedServer::start(vec![Reply::json(501, "{}"), Reply::json(200, USER)]).await;
    let error = crossmint(&server.base_url)
        .get_user(&UserLocator::user_id("johnd-123"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Server);
    assert_eq!(error.status(), Some(501));
    assert_eq!(
        server.received().len(),
        1,
        "only 429, 500, 502, 503 and 504 are retried"
    );
}

#[tokio::test]
async fn a_503_on_a_registration_post_is_never_retried() {
    let server = ScriptedServer::start(vec![Reply::json(503, "{}"), Reply::json(200, "{}")]).await;
    let auth =
        Context::new(CryptoPocketAuth::with_token("t".to_owned())).with_retry(fast_retries());
    let client = rampkit_cryptopocket::Client::new(&server.base_url, auth);
    let error = client
        .register_user(&register_user_request())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Server);
    assert_eq!(error.attempts(), 1);
    assert_eq!(
        server.received().len(),
        1,
        "a registration is sent once, whatever the answer"
    );
    const { assert!(!rampkit_cryptopocket::operations::REGISTER_USER.idempotent) };
}

#[tokio::test]
async fn a_timeout_is_a_transient_error() {
    let server =
        ScriptedServer::start(vec![Reply::json(200, USER).after(Duration::from_secs(5))]).await;
    let http = HttpClient::new(Timeouts {
        connect: Duration::from_secs(1),
        request: Duration::from_millis(200),
    });
    let auth = rampkit_crossmint::CrossmintAuth::new("k".to_owned());
    let client = rampkit_crossmint::Client::new_with_client(
        &server.base_url,
        http,
        Context::new(auth).with_retry(RetryPolicy::none()),
    );
    let error = client
        .get_user(&UserLocator::email("someone@example.com"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Transient);
    assert!(error.is_retryable());
    let mut chain = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(s) = source {
        chain.push_str(&format!(" / {s}"));
        source = s.source();
    }
    assert!(chain.contains("timed out"), "{chain}");
    assert!(
        !chain.contains("someone@example.com"),
        "the URL (and its e-mail locator) is not in the chain: {chain}"
    );
}

#[tokio::test]
async fn environments_resolve_to_the_spec_servers() {
    use rampkit_runtime::Environment;
    let auth = || rampkit_crossmint::CrossmintAuth::new("k".to_owned());
    assert!(rampkit_crossmint::Client::for_environment(Environment::Sandbox, auth()).is_ok());
    let custom = rampkit_crossmint::Client::for_environment(
        Environment::Custom("http://127.0.0.1:9/".into()),
        auth(),
    )
    .unwrap();
    assert_eq!(
        progenitor_client::ClientInfo::baseurl(&custom),
        "http://127.0.0.1:9"
    );
    // CryptoPocket publishes no production URL: a typed configuration error, not a guess.
    let error = rampkit_cryptopocket::Client::for_environment(
        Environment::Production,
        CryptoPocketAuth::new(),
    )
    .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Configuration);
}

/// A keep-alive HTTP/1.1 server on its own thread that answers `{}` to every request and counts the
/// connections it accepts.
fn counting_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Write};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = std::sync::Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counter.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut writer = stream;
                loop {
                    let mut line = String::new();
                    // Read one request head (these requests have no body).
                    loop {
                        line.clear();
                        if reader.read_line(&mut line).unwrap_or(0) == 0 {
                            return;
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    let answer = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}";
                    if writer.write_all(answer.as_bytes()).is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, accepted)
}

/// `Client::new` shares one connection pool per tokio runtime, not per process: a connection is driven
/// by a task of the runtime that opened it, and a call on another runtime handed that connection fails
/// once its runtime shuts down ("runtime dropped the dispatch task") — for a registration, an unknown
/// outcome. Two calls on one runtime reuse one connection; a call on a second runtime, while the first
/// is still alive, opens its own.
#[test]
fn the_shared_client_pools_connections_per_runtime() {
    use std::sync::atomic::Ordering;
    let (url, accepted) = counting_server();
    let call = |url: String| async move {
        let client = rampkit_sumsub::Client::new(
            &url,
            rampkit_sumsub::SumsubAuth::new("app-token".to_owned(), "secret".to_owned()),
        );
        // Any answer will do: what counts is the connection it came on.
        let _ = client
            .generate_share_token_by_query("applicant-1", "forClient")
            .await;
    };
    let first = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    first.block_on(call(url.clone()));
    first.block_on(call(url.clone()));
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        1,
        "one runtime, one kept-alive connection"
    );

    let second = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    second.block_on(call(url.clone()));
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        2,
        "a second runtime opens its own connection instead of taking the first runtime's"
    );
    drop(first);
    second.block_on(call(url));
    assert_eq!(accepted.load(Ordering::SeqCst), 2, "and keeps using it");
}
