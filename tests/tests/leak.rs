//! The leak test: personal values and credentials planted in every request type of every provider and
//! driven through every error path must not appear in any `Debug`, `Display`, error chain or tracing
//! output. Zero hits.

use std::io::Write;
use std::sync::{Arc, Mutex};

use httpmock::{Method::GET, Method::POST, Method::PUT, MockServer};
use rampkit_crossmint::UserLocator;
use rampkit_cryptopocket::CryptoPocketAuth;
use rampkit_kriptomat::{KriptomatAuth, KriptomatCredentials};
use rampkit_runtime::{Context, RetryPolicy};
use rampkit_tests::{PROVIDERS, load_spec, request_schemas, synthesize};
use tracing_subscriber::fmt::format::FmtSpan;

type Decoder = fn(&str, &str, &[u8]) -> Option<Result<Box<dyn std::fmt::Debug>, serde_json::Error>>;

fn decoder(provider: &str) -> Decoder {
    match provider {
        "cryptopocket" => rampkit_cryptopocket::operations::decode_example,
        "kriptomat" => rampkit_kriptomat::operations::decode_example,
        "crossmint" => rampkit_crossmint::operations::decode_example,
        "leap" => rampkit_leap::operations::decode_example,
        "sumsub" => rampkit_sumsub::operations::decode_example,
        other => panic!("unknown provider {other}"),
    }
}

/// Everything a caller could print about an error: Display, Debug, pretty Debug, and each source's
/// Display and Debug.
fn printed(error: &rampkit_runtime::Error) -> String {
    let mut out = format!("{error}\n{error:?}\n{error:#?}\n");
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        out.push_str(&format!("{s}\n{s:?}\n"));
        source = s.source();
    }
    out
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn every_request_type_debugs_without_its_planted_values() {
    let mut checked = 0;
    for provider in PROVIDERS.iter() {
        let spec = load_spec(provider);
        for (operation, schema) in request_schemas(&spec) {
            let mut planted = Vec::new();
            let value = synthesize(&spec, &schema, &mut planted);
            let decoded =
                decoder(provider)(&operation, "request", &serde_json::to_vec(&value).unwrap())
                    .unwrap_or_else(|| panic!("{provider} {operation}: no request type"))
                    .unwrap_or_else(|e| {
                        panic!("{provider} {operation}: synthesized request does not decode: {e}")
                    });
            let debug = format!("{decoded:?}\n{decoded:#?}");
            for marker in &planted {
                assert!(
                    !debug.contains(marker.as_str()),
                    "{provider} {operation}: Debug shows {marker}: {debug}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 20, "request types checked: {checked}");
}

#[tokio::test(flavor = "current_thread")]
async fn error_paths_and_traces_carry_no_personal_value_or_credential() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(FmtSpan::NEW | FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let planted = [
        "PLANTED-NAME-Juan",
        "PLANTED-EMAIL-juan@example.com",
        "PLANTED-DOC-12345678Z",
        "PLANTED-PHONE-34600111222",
        "PLANTED-KEY-sk_staging",
        "PLANTED-SECRET-cp",
        "PLANTED-TOKEN-kriptomat",
        "PLANTED-TOTP",
        "PLANTED-PASSWORD",
    ];
    let mut outputs = Vec::new();
    let no_retry = RetryPolicy::none();
    let server = MockServer::start_async().await;

    // Crossmint: a body that does not decode (personal values where booleans belong), an error body
    // echoing the e-mail, and a transport failure with an e-mail locator in the URL.
    server
        .mock_async(|when, then| {
            when.method(GET).path("/2025-06-09/users/userId:undecodable");
            then.status(200).header("content-type", "application/json").body(
                r#"{"userId":"PLANTED-NAME-Juan","userDetails":"PLANTED-DOC-12345678Z","kycData":true,"dueDiligence":false,"verificationHistory":true}"#,
            );
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(PUT).path("/2025-06-09/users/userId:rejected");
            then.status(422)
                .header("content-type", "application/json")
                .body(r#"{"error":true,"message":"PLANTED-EMAIL-juan@example.com is not allowed","code":"invalid-email"}"#);
        })
        .await;
    let crossmint = rampkit_crossmint::Client::new(
        &server.base_url(),
        Context::new(rampkit_crossmint::CrossmintAuth::new(
            "PLANTED-KEY-sk_staging".to_owned(),
        ))
        .with_retry(no_retry.clone()),
    );
    outputs.push(format!("{crossmint:?}"));
    let e = crossmint
        .get_user(&UserLocator::user_id("undecodable"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), rampkit_runtime::ErrorKind::Undecodable);
    outputs.push(printed(&e));
    let mut upsert: rampkit_crossmint::types::UpsertUserRequest = serde_json::from_value(serde_json::json!({
        "userDetails": {"firstName": "PLANTED-NAME-Juan", "lastName": "PLANTED-NAME-Juan", "dateOfBirth": "1990-05-15", "countryOfResidence": "ES"},
        "kycData": {"email": "PLANTED-EMAIL-juan@example.com", "phoneNumber": "PLANTED-PHONE-34600111222",
                    "identityDocument": {"type": "passport", "number": "PLANTED-DOC-12345678Z"}}
    }))
    .unwrap();
    outputs.push(format!("{upsert:?}"));
    let e = crossmint
        .upsert_user(&UserLocator::user_id("rejected"), &upsert)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), rampkit_runtime::ErrorKind::InvalidInput);
    assert_eq!(e.vendor_code(), Some("invalid-email"));
    assert!(
        e.vendor_message().unwrap().contains("PLANTED-EMAIL"),
        "the message stays reachable on purpose"
    );
    outputs.push(printed(&e));
    upsert.kyc_data = None;
    let closed = rampkit_crossmint::Client::new(
        "http://127.0.0.1:9",
        Context::new(rampkit_crossmint::CrossmintAuth::new(
            "PLANTED-KEY-sk_staging".to_owned(),
        ))
        .with_retry(no_retry.clone()),
    );
    let e = closed
        .get_user(&UserLocator::email("PLANTED-EMAIL-juan@example.com"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), rampkit_runtime::ErrorKind::Transient);
    outputs.push(printed(&e));

    // CryptoPocket: a failed login with planted credentials, and a business error with HTTP 200.
    server
        .mock_async(|when, then| {
            when.method(POST).path("/authenticate");
            then.status(401)
                .header("content-type", "application/json")
                .body(r#"{"status":"error","error":"authorization_incorrect","message":"key PLANTED-KEY-sk_staging unknown"}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/registerUser");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"status":"error","error":"user_already_exists","message":"PLANTED-EMAIL-juan@example.com exists"}"#);
        })
        .await;
    let request: rampkit_cryptopocket::types::RegisterUserRequest = serde_json::from_value(serde_json::json!({
        "name": "PLANTED-NAME-Juan", "email": "PLANTED-EMAIL-juan@example.com", "phone": "PLANTED-PHONE-34600111222",
        "identification_number": "PLANTED-DOC-12345678Z"
    }))
    .unwrap();
    let login_fails = rampkit_cryptopocket::Client::new(
        &server.base_url(),
        CryptoPocketAuth::with_credentials(
            "PLANTED-KEY-sk_staging".to_owned(),
            "PLANTED-SECRET-cp".to_owned(),
        ),
    );
    outputs.push(format!("{login_fails:?}"));
    let e = login_fails.register_user(&request).await.unwrap_err();
    assert_eq!(e.kind(), rampkit_runtime::ErrorKind::Authentication);
    outputs.push(printed(&e));
    let with_token = rampkit_cryptopocket::Client::new(
        &server.base_url(),
        CryptoPocketAuth::with_token("PLANTED-TOKEN-kriptomat".to_owned()),
    );
    let e = with_token.register_user(&request).await.unwrap_err();
    assert_eq!(e.vendor_code(), Some("user_already_exists"));
    outputs.push(printed(&e));

    // Kriptomat: a failed login with planted credentials and TOTP secret.
    server
        .mock_async(|when, then| {
            when.method(POST).path("/api/v1/partners/auth/login");
            then.status(422)
                .header("content-type", "application/json")
                .body(r#"{"message":"PLANTED-EMAIL-juan@example.com: wrong password PLANTED-PASSWORD"}"#);
        })
        .await;
    let credentials = KriptomatCredentials {
        email: "PLANTED-EMAIL-juan@example.com".to_owned().into(),
        password: "PLANTED-PASSWORD".to_owned().into(),
        client_id: 5,
        client_secret: "PLANTED-SECRET-cp".to_owned().into(),
        totp_secret_base32: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".to_owned().into(),
    };
    let kriptomat = rampkit_kriptomat::Client::new(
        &server.base_url(),
        KriptomatAuth::with_credentials(credentials),
    );
    outputs.push(format!("{kriptomat:?}"));
    let e = kriptomat.show_user(1).await.unwrap_err();
    assert_eq!(e.kind(), rampkit_runtime::ErrorKind::Authentication);
    outputs.push(printed(&e));

    // Leap: a business error as HTTP 500 quoting the phone number, and an unexpected status with a body.
    server
        .mock_async(|when, then| {
            when.method(POST).path("/auth/get-user-token-v2");
            then.status(500)
                .header("content-type", "application/json")
                .body(r#"{"reason":"PLANTED-PHONE-34600111222 is blocked"}"#);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/auth/sessionlink-v4/PLANTED-TOKEN-kriptomat");
            then.status(418)
                .header("content-type", "application/json")
                .body(r#"{"name":"PLANTED-NAME-Juan"}"#);
        })
        .await;
    let leap = rampkit_leap::Client::new(
        &server.base_url(),
        Context::new(rampkit_leap::LeapAuth::new(
            "PLANTED-KEY-sk_staging".to_owned(),
        ))
        .with_retry(no_retry.clone()),
    );
    let token_request: rampkit_leap::types::GetUserTokenParams =
        serde_json::from_value(serde_json::json!({
            "email": "PLANTED-EMAIL-juan@example.com", "countryCode": "MX"
        }))
        .unwrap();
    outputs.push(format!("{token_request:?}"));
    let e = leap.get_user_token_v2(&token_request).await.unwrap_err();
    assert_eq!(e.kind(), rampkit_runtime::ErrorKind::Server);
    outputs.push(printed(&e));
    let e = leap
        .get_session_link_v4("PLANTED-TOKEN-kriptomat")
        .await
        .unwrap_err();
    outputs.push(printed(&e));

    // SumSub: the signing secrets.
    outputs.push(format!(
        "{:?}",
        rampkit_sumsub::SumsubAuth::new(
            "PLANTED-KEY-sk_staging".to_owned(),
            "PLANTED-SECRET-cp".to_owned()
        )
    ));

    drop(_guard);
    let traces = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        traces.contains("rampkit.call"),
        "the trace capture works: {traces}"
    );
    assert!(
        traces.contains("operation=\"upsert_user\"") || traces.contains("operation=upsert_user"),
        "{traces}"
    );
    outputs.push(traces);

    let all = outputs.join("\n");
    let hits: Vec<&str> = planted
        .iter()
        .copied()
        .filter(|p| all.contains(p))
        .collect();
    assert!(
        hits.is_empty(),
        "planted values found in printed output: {hits:?}\n{all}"
    );
    assert!(!all.contains("PLANTED"), "{all}");
}
