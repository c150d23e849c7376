//! The second audit (issue 24, runtime part), as tests against loopback servers: what a vendor (or a host
//! pretending to be one) answers is bounded — a `Retry-After` of any size, an error code that is not a
//! code, an answer of any length — a caller's own `reqwest` client cannot carry credentials to another
//! host, a registration answered 500 is an unknown outcome, and an error keeps its cause.

use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rampkit_crossmint::UserLocator;
use rampkit_cryptopocket::CryptoPocketAuth;
use rampkit_runtime::{Context, ErrorKind, RateLimit, RateLimits, RetryPolicy};
use rampkit_tests::planted::{
    EMAIL, FIRST_NAME, assert_reached_the_vendor, crossmint_upsert, cryptopocket_registration,
    fast_retries,
};
use rampkit_tests::scripted::{Reply, Responder, ScriptedServer, everything};

const USER: &str = r#"{"userId":"johnd-123","userDetails":true,"kycData":true,"dueDiligence":false,"verificationHistory":true}"#;
const KEY: &str = "PLANTED-CROSSMINT-KEY";

fn context() -> Context<rampkit_crossmint::CrossmintAuth> {
    Context::new(rampkit_crossmint::CrossmintAuth::new(KEY.to_owned()))
        .with_retry(fast_retries())
        .with_rate_limits(RateLimits::none())
}

fn crossmint(base: &str) -> rampkit_crossmint::Client {
    rampkit_crossmint::Client::new(base, context())
}

fn cryptopocket(base: &str) -> rampkit_cryptopocket::Client {
    rampkit_cryptopocket::Client::new(
        base,
        Context::new(CryptoPocketAuth::with_token("PLANTED-CP-TOKEN".to_owned()))
            .with_retry(fast_retries()),
    )
}

// ---------------------------------------------------------------------------------------------------
// 1. Retry-After of any size

/// The largest `Retry-After` an error reports.
const CAP: Duration = rampkit_runtime::retry::MAX_RETRY_AFTER;

#[tokio::test]
async fn a_retry_after_of_any_size_after_a_slow_answer_neither_panics_nor_waits() {
    let far_date = "Fri, 31 Dec 9999 23:59:59 GMT";
    for (status, value) in [
        (429, "18446744073709551615"),
        (503, "18446744073709551615"),
        (429, "99999999999999999999999"),
        (503, far_date),
    ] {
        // Answered after more than a second: the call's elapsed time plus the delay overflowed.
        let server = ScriptedServer::start(vec![
            Reply::raw(status, "text/plain", "")
                .header("retry-after", value)
                .after(Duration::from_millis(1100)),
            Reply::json(200, USER),
        ])
        .await;
        let started = Instant::now();
        let call = tokio::spawn({
            let client = crossmint(&server.base_url);
            async move { client.get_user(&UserLocator::user_id("johnd-123")).await }
        });
        let result = call
            .await
            .unwrap_or_else(|e| panic!("{status} Retry-After {value}: the call panicked: {e}"));
        if value.starts_with('9') {
            // Not a number a `u64` holds, nor a date: no Retry-After at all, so an ordinary retry.
            result.expect("retried after the usual backoff");
            assert_eq!(server.received().len(), 2);
            continue;
        }
        let error = result.unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "no wait beyond the deadline: {:?}",
            started.elapsed()
        );
        let kind = if status == 429 {
            ErrorKind::RateLimited
        } else {
            ErrorKind::Server
        };
        assert_eq!(error.kind(), kind, "{value}: {error}");
        assert_eq!(error.status(), Some(status));
        assert_eq!(error.attempts(), 1, "the retry was not sent");
        assert_eq!(
            error.retry_not_sent(),
            Some("the vendor's Retry-After ends after the call's deadline")
        );
        assert_eq!(server.received().len(), 1);
        let after = error.retry_after().expect("the vendor's Retry-After");
        assert!(after <= CAP, "capped: {after:?}");
        assert!(
            after >= CAP - Duration::from_secs(60),
            "still says 'much later': {after:?}"
        );
        // What a caller (the batch runner) does with it must not overflow either.
        assert!(Instant::now().checked_add(after).is_some());
    }
}

// ---------------------------------------------------------------------------------------------------
// 2. A caller's own reqwest client

/// A vendor that redirects every request to `thief`, with an e-mail in the target's query.
async fn redirecting_vendor(status: u16, thief: &str) -> Responder {
    let location = format!("{thief}/collect?e=planted.person@example.com");
    Responder::start(move |_| Reply::json(status, "").header("location", &location)).await
}

/// The runtime's call path driven directly (what a generated `get_user` does: build the request, the
/// `pre` hook, the `exec` hook, `response_value`), with a `reqwest::Client` built the default way — which
/// the generated constructors will no longer accept once they take `HttpClient`, but `exec` does.
#[tokio::test]
async fn a_default_reqwest_client_never_hands_another_hosts_answer_back_as_the_vendors() {
    use rampkit_crossmint::operations::GET_USER;
    type Raw = progenitor_client::Error<()>;
    let thief = Responder::start(|_| Reply::json(200, USER)).await;
    for status in [302u16, 307] {
        let vendor = redirecting_vendor(status, &thief.base_url).await;
        let http = reqwest::Client::new();
        let context = context();
        let url = format!("{}/2025-06-09/users/userId:johnd-123", vendor.base_url);
        let parts = rampkit_runtime::ClientParts {
            http: &http,
            base_url: &vendor.base_url,
            context: &context,
        };
        let error = rampkit_runtime::call(parts, &GET_USER, || async {
            let mut request = http.get(&url).build()?;
            rampkit_runtime::auth::apply(&context.auth, &mut request, &GET_USER)
                .map_err(|e| Raw::Custom(e.to_string()))?;
            let response = rampkit_runtime::exec(&http, request).await?;
            rampkit_runtime::response_value::<serde_json::Value, ()>(response).await
        })
        .await
        .expect_err("the other host's answer is not the vendor's");
        assert_eq!(error.kind(), ErrorKind::Redirect, "{status}: {error}");
        assert_eq!(error.redirect_host(), Some("127.0.0.1"));
        assert_eq!(error.attempts(), 1, "a followed redirect is not retried");
        let shown = format!("{error} {error:?}");
        assert!(shown.contains("transport::HttpClient"), "says how: {shown}");
        assert!(
            !shown.contains("collect") && !shown.contains("planted"),
            "{shown}"
        );
    }
    // What this guard cannot do: the default client did send the request there. Only a client built
    // through `HttpClient` (next test) keeps it from leaving.
    assert_eq!(thief.received().len(), 2);
}

#[tokio::test]
async fn a_client_built_from_a_default_reqwest_builder_sends_nothing_to_another_host() {
    use rampkit_runtime::transport::HttpClient;
    let thief = Responder::start(|_| Reply::json(200, USER)).await;
    for status in [301u16, 302, 303, 307, 308] {
        let vendor = redirecting_vendor(status, &thief.base_url).await;
        // The way a caller builds a client: reqwest's defaults follow up to 10 redirects and send a
        // Referer. `HttpClient` turns both off whatever the builder says.
        let http = HttpClient::from_builder(
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::limited(10))
                .referer(true),
        )
        .expect("a client");
        let client = rampkit_crossmint::Client::new_with_client(&vendor.base_url, http, context());
        let errors = [
            client
                .get_user(&UserLocator::email("planted.person@example.com"))
                .await,
            client
                .upsert_user(
                    &UserLocator::email("planted.person@example.com"),
                    &crossmint_upsert(),
                )
                .await,
        ];
        for error in errors {
            let error = error.expect_err("a redirect is an error");
            assert_eq!(error.kind(), ErrorKind::Redirect, "{status}: {error}");
            assert_eq!(error.redirect_host(), Some("127.0.0.1"));
        }
        assert_reached_the_vendor(&vendor.received(), &[KEY, EMAIL, FIRST_NAME]);
    }
    let stolen = thief.received();
    assert!(
        stolen.is_empty(),
        "reached the other host: {}",
        everything(&stolen)
    );
}

// ---------------------------------------------------------------------------------------------------
// 3. Vendor error codes that are not codes

#[tokio::test]
async fn a_vendor_code_that_is_not_an_identifier_is_withheld() {
    let long = "A".repeat(10 * 1024);
    let codes = [
        "planted.person@example.com".to_owned(),
        "bad\nINFO forged log line".to_owned(),
        long.clone(),
        "code with spaces".to_owned(),
    ];
    for code in &codes {
        let body = serde_json::json!({"error": true, "code": code, "message": "m"}).to_string();
        let server = ScriptedServer::start(vec![Reply::json(400, &body)]).await;
        let error = crossmint(&server.base_url)
            .get_user(&UserLocator::user_id("johnd-123"))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        assert_eq!(error.vendor_code(), None, "{:.40}", code);
        assert!(error.vendor_code_withheld(), "it says a code was received");
        let shown = format!("{error} {error:?}");
        assert!(!shown.contains("planted"), "{shown}");
        assert!(!shown.contains('\n'), "{shown}");
        assert!(!shown.contains(&long[..64]), "{:.200}", shown);
        assert!(shown.contains("unrecognised vendor code"), "{shown}");
        // The raw body still has it, for whoever needs to look (never in Display/Debug).
        assert!(error.raw_body().is_some());
    }
    // A business error code in an HTTP 200 envelope (CryptoPocket) goes through the same filter.
    let server = ScriptedServer::start(vec![Reply::json(
        200,
        r#"{"status":"error","error":"planted.person@example.com already registered"}"#,
    )])
    .await;
    let error = cryptopocket(&server.base_url)
        .register_user(&cryptopocket_registration())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Business);
    assert_eq!(error.vendor_code(), None);
    assert!(error.vendor_code_withheld());
    assert!(!format!("{error} {error:?}").contains("planted"));
    // Codes that are codes are kept.
    for code in [
        "user_already_exists",
        "ERROR_USER_ALREADY_ENROLLED",
        "1003",
        "invalid-email",
        "a.b:c",
    ] {
        let body = serde_json::json!({"code": code}).to_string();
        let server = ScriptedServer::start(vec![Reply::json(409, &body)]).await;
        let error = crossmint(&server.base_url)
            .get_user(&UserLocator::user_id("johnd-123"))
            .await
            .unwrap_err();
        assert_eq!(error.vendor_code(), Some(code));
        assert!(!error.vendor_code_withheld());
    }
}

// ---------------------------------------------------------------------------------------------------
// 4. Answers of any length

/// A loopback server that answers every connection with `head` and then writes `body_len` bytes of
/// `fill` (or until the client hangs up), closing the connection at the end. Returns the base URL and
/// how many body bytes it managed to write — what a client that stops reading never received.
fn streaming_server(head: String, body_len: usize, fill: u8) -> (String, Arc<AtomicUsize>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let written = Arc::new(AtomicUsize::new(0));
    let counter = written.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let head = head.clone();
            let counter = counter.clone();
            std::thread::spawn(move || {
                let mut stream = stream;
                let mut buf = [0u8; 8192];
                let mut seen = Vec::new();
                while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => return,
                        Ok(n) => seen.extend_from_slice(&buf[..n]),
                    }
                }
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                let chunk = vec![fill; 64 * 1024];
                let mut left = body_len;
                while left > 0 {
                    let n = left.min(chunk.len());
                    if stream.write_all(&chunk[..n]).is_err() {
                        return;
                    }
                    counter.fetch_add(n, Ordering::SeqCst);
                    left -= n;
                }
            });
        }
    });
    (url, written)
}

/// A JSON string of `len` bytes: `"xxxx…"`.
fn json_string_head(status: u16, len: Option<usize>) -> String {
    let length = len.map_or(String::new(), |l| format!("content-length: {l}\r\n"));
    format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{length}connection: close\r\n\r\n"
    )
}

#[tokio::test]
async fn a_success_answer_over_the_limit_is_response_too_large_and_not_read_whole() {
    use rampkit_runtime::BodyLimits;
    let limits = BodyLimits {
        success: 256 * 1024,
        ..BodyLimits::default()
    };
    // 1 GiB declared and one without a length (read until the connection closes): neither is read
    // past the limit.
    for declared in [true, false] {
        let body_len = 1 << 30;
        let head = json_string_head(200, declared.then_some(body_len));
        let (url, written) = streaming_server(head, body_len, b' ');
        let client = rampkit_crossmint::Client::new(&url, context().with_body_limits(limits));
        let started = Instant::now();
        let error = client
            .get_user(&UserLocator::user_id("johnd-123"))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{error}");
        assert_eq!(error.status(), Some(200));
        assert!(!error.is_retryable());
        assert_eq!(error.attempts(), 1);
        assert!(error.to_string().contains("larger than"), "{error}");
        assert!(error.raw_body().is_none(), "nothing of it is kept");
        // The server could write only what the socket buffers and the limit took before the client
        // hung up — far from the gigabyte it meant to send.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let sent = written.load(Ordering::SeqCst);
        assert!(
            sent < 64 << 20,
            "{sent} bytes written to a client that stopped"
        );
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}

#[tokio::test]
async fn a_success_answer_over_the_default_limit_is_response_too_large() {
    let body_len = 17 << 20; // the default is 16 MiB
    let (url, _) = streaming_server(json_string_head(200, None), body_len, b' ');
    let error = crossmint(&url)
        .get_user(&UserLocator::user_id("johnd-123"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ResponseTooLarge, "{error}");
}

#[tokio::test]
async fn an_error_answer_keeps_only_the_first_64_kib_and_is_classified_by_its_status() {
    for declared in [true, false] {
        let body_len = 8 << 20;
        let head = format!(
            "HTTP/1.1 500 X\r\ncontent-type: text/html\r\n{}connection: close\r\n\r\n",
            if declared {
                format!("content-length: {body_len}\r\n")
            } else {
                String::new()
            }
        );
        let (url, _) = streaming_server(head, body_len, b'<');
        let client =
            rampkit_crossmint::Client::new(&url, context().with_retry(RetryPolicy::none()));
        let error = client
            .get_user(&UserLocator::user_id("johnd-123"))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Server, "{error}");
        assert_eq!(error.status(), Some(500));
        let kept = error.raw_body().expect("the start of the body").len();
        assert_eq!(kept, 64 * 1024, "the default: 64 KiB kept of {body_len}");
        assert!(error.raw_body_truncated());
    }
}

// ---------------------------------------------------------------------------------------------------
// 5. A registration answered 500

#[tokio::test]
async fn a_registration_answered_500_is_an_unknown_outcome_not_retryable() {
    for status in [500u16, 502, 504, 520, 524] {
        let server = ScriptedServer::start(vec![
            Reply::json(status, r#"{"status":"error","message":"internal"}"#),
            Reply::json(200, "{}"),
        ])
        .await;
        let error = cryptopocket(&server.base_url)
            .register_user(&cryptopocket_registration())
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::OutcomeUnknown, "{status}: {error}");
        assert!(!error.is_retryable(), "{status}: a caller must look first");
        assert!(error.outcome_unknown());
        assert_eq!(error.status(), Some(status));
        assert_eq!(server.received().len(), 1);
    }
    // The statuses that say the request was not carried out stay retryable for a caller.
    for (status, kind) in [
        (503u16, ErrorKind::Server),
        (429, ErrorKind::RateLimited),
        (501, ErrorKind::Server),
        (408, ErrorKind::Transient),
    ] {
        let server = ScriptedServer::start(vec![Reply::json(status, "{}")]).await;
        let error = cryptopocket(&server.base_url)
            .register_user(&cryptopocket_registration())
            .await
            .unwrap_err();
        assert_eq!(error.kind(), kind, "{status}: {error}");
        assert!(!error.outcome_unknown(), "{status}");
        assert_eq!(server.received().len(), 1, "a registration is sent once");
    }
    // An idempotent call answered 500 is retried as before.
    let server = ScriptedServer::start(vec![Reply::json(500, "{}"), Reply::json(200, USER)]).await;
    crossmint(&server.base_url)
        .get_user(&UserLocator::user_id("johnd-123"))
        .await
        .expect("retried after a 500");
}

// ---------------------------------------------------------------------------------------------------
// 6. Errors that keep their cause

#[tokio::test]
async fn a_retry_refused_by_the_rate_limiter_keeps_the_vendors_answer() {
    for (status, kind) in [(503u16, ErrorKind::Server), (429, ErrorKind::RateLimited)] {
        let server = ScriptedServer::start(vec![
            Reply::json(status, r#"{"error":true,"message":"busy"}"#),
            Reply::json(200, USER),
        ])
        .await;
        let client = rampkit_crossmint::Client::new(
            &server.base_url,
            context()
                .with_retry(RetryPolicy {
                    deadline: Duration::from_millis(500),
                    ..fast_retries()
                })
                .with_rate_limits(RateLimits {
                    reads: Some(RateLimit::per_minute(1)),
                    writes: None,
                }),
        );
        let error = client
            .get_user(&UserLocator::user_id("johnd-123"))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), kind, "{error}");
        assert_eq!(
            error.status(),
            Some(status),
            "the vendor's answer is the error"
        );
        assert_eq!(error.attempts(), 1, "sent once");
        assert_eq!(error.vendor_message(), Some("busy"));
        let shown = error.to_string();
        assert!(!shown.contains("nothing was sent"), "{shown}");
        assert!(shown.contains("retry not sent"), "{shown}");
        assert_eq!(server.received().len(), 1);
    }
}

#[tokio::test]
async fn a_base_url_that_is_not_a_url_is_a_configuration_error_before_anything_is_sent() {
    use rampkit_runtime::Environment;
    for bad in ["not-a-url", "ftp://127.0.0.1:9", "http://", "127.0.0.1:9"] {
        let error = rampkit_crossmint::Client::for_environment(
            Environment::Custom(bad.to_owned()),
            context(),
        )
        .expect_err("refused at once");
        assert_eq!(error.kind(), ErrorKind::Configuration, "{bad}: {error}");
        assert!(error.to_string().contains("Environment::Custom"), "{error}");
        assert!(
            !error.to_string().contains(bad),
            "the value is not echoed: {error}"
        );
    }
    // `Client::new` takes the URL as given: the call fails at once, never retried, for an idempotent
    // call and a registration alike.
    let started = Instant::now();
    let error = crossmint("not-a-url")
        .get_user(&UserLocator::user_id("johnd-123"))
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Configuration, "{error}");
    assert_eq!(error.attempts(), 1);
    assert!(!error.is_retryable());
    assert!(error.to_string().contains("base URL"), "{error}");
    let error = cryptopocket("not-a-url")
        .register_user(&cryptopocket_registration())
        .await
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Configuration, "{error}");
    assert!(!error.outcome_unknown(), "nothing was sent");
    assert!(started.elapsed() < Duration::from_secs(1));
    // A login against such a URL is one too.
    let client = rampkit_cryptopocket::Client::new(
        "not-a-url",
        CryptoPocketAuth::with_credentials("k".to_owned(), "s".to_owned()),
    );
    let error = client.check_kyc(1).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Configuration, "{error}");
}
