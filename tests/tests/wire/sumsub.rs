//! SumSub share tokens (Reusable KYC) — https://docs.sumsub.com/reference/generate-share-token and
//! https://docs.sumsub.com/reference/generate-share-token-query
//!
//! Every call is signed: `X-App-Access-Sig` = lower-case hex HMAC-SHA256, keyed with the secret, of
//! ts + METHOD + path-with-query + exact body bytes (https://docs.sumsub.com/reference/authentication).
//! The expected signature is recomputed here with `hmac`/`sha2`/`hex` over the bytes the mock really
//! received (the endpoint records each request byte for byte), never with `SumsubAuth::signature`.

use hmac::{Hmac, Mac};
use httpmock::{Method::POST, MockServer};
use rampkit_sumsub::{Client, SumsubAuth, types};
use sha2::Sha256;

use super::common::{Expect, assert_json_eq, fixture, vendor_json};

const APP_TOKEN: &str = "sbx:wire-test-app-token";
/// The secret of the provider notes' worked signing example (the algorithm of
/// https://docs.sumsub.com/reference/authentication).
const SECRET: &str = "test-secret-key";
const TS: u64 = 1_700_000_000;
const TS_HEADER: &str = "1700000000";

fn client(server: &MockServer) -> Client {
    let auth = SumsubAuth::new(APP_TOKEN.to_owned(), SECRET.to_owned()).with_clock(|| TS);
    Client::new(&server.base_url(), auth)
}

/// Digests of the provider notes' worked example (secret `test-secret-key`, ts
/// 1700000000, the vendor example values), full length from
/// `printf '%s' '<string to sign>' | openssl dgst -sha256 -hmac test-secret-key`.
const BODY_FORM_SIGNATURE: &str =
    "5ed41a1054bf54f7d32ced79eecb653c8f62f6c74b95ef28755df120d7bbb6bf";
const QUERY_FORM_SIGNATURE: &str =
    "e1f8d6199024ee7d319981f8530b0fbd15d4ca1ba06d7c0bad8d61c3c159fb68";

/// HMAC-SHA256 (keyed with `SECRET`) of ts + method + path-with-query + body, lower-case hex.
fn expected_signature(ts: &str, method: &str, path_and_query: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("any key length");
    mac.update(ts.as_bytes());
    mac.update(method.as_bytes());
    mac.update(path_and_query.as_bytes());
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

#[tokio::test]
async fn generate_share_token_signs_the_exact_body_it_sends() {
    let server = MockServer::start_async().await;
    let endpoint = Expect::new(POST, "/resources/accessTokens/shareToken")
        .headers(&[
            ("x-app-token", APP_TOKEN),
            ("x-app-access-ts", TS_HEADER),
            ("content-type", "application/json"),
        ])
        .absent(&["authorization"])
        .answer(fixture("sumsub/generate_share_token.200.json"))
        .start(&server)
        .await;

    let request = types::GenerateShareTokenRequest::new("63e092c51b7b4030f2e01154", "CoolCoinLtd")
        .with_ttl_in_secs(600);
    let response = client(&server)
        .generate_share_token(&request)
        .await
        .unwrap()
        .into_inner();

    let raw = endpoint.received().await;
    assert_eq!(
        raw.path, "/resources/accessTokens/shareToken",
        "no query string"
    );
    let sent: serde_json::Value =
        serde_json::from_slice(&raw.body).expect("the request body is JSON");
    assert_json_eq(
        &sent,
        &vendor_json(fixture("sumsub/generate_share_token.request.json")),
    );
    let signature = expected_signature(TS_HEADER, "POST", &raw.path, &raw.body);
    assert_eq!(
        raw.header("x-app-access-sig"),
        Some(signature.as_str()),
        "signed over the bytes on the wire"
    );
    assert_eq!(
        signature,
        BODY_FORM_SIGNATURE,
        "the body on the wire is the compact vendor example: {}",
        String::from_utf8_lossy(&raw.body)
    );

    assert_eq!(response.for_client_id, "CoolCoinLtd");
    assert_eq!(
        response.token.expose_str(),
        "eyJhbGciOiJub25lIn0.eyJqdGkiOiJfYWN0LTZmODI2ZTU0LTE2MzctNDViMS05NzMyLWY1MjZiN2YxNWE3YyIsInVybCI6Imh0dHBzOi8vYXBpLnN1bXN1Yi5jb20ifQ."
    );
    assert!(
        !format!("{response:?}").contains("eyJhbGciOiJub25lIn0"),
        "the share token is redacted in Debug"
    );
}

#[tokio::test]
async fn generate_share_token_by_query_signs_the_query_and_sends_no_body() {
    let server = MockServer::start_async().await;
    let endpoint = Expect::new(POST, "/resources/accessTokens/-/shareToken")
        .headers(&[("x-app-token", APP_TOKEN), ("x-app-access-ts", TS_HEADER)])
        .absent(&["authorization", "content-type"])
        .query(&[
            ("applicantId", "63e092c51b7b4030f2e01154"),
            ("forClientId", "CoolCoinLtd"),
            ("ttlInSecs", "600"),
        ])
        .answer(fixture("sumsub/generate_share_token_by_query.200.json"))
        .start(&server)
        .await;

    let response = client(&server)
        .generate_share_token_by_query("63e092c51b7b4030f2e01154", "CoolCoinLtd")
        .ttl_in_secs(600)
        .await
        .unwrap()
        .into_inner();

    let raw = endpoint.received().await;
    assert_eq!(
        raw.path,
        "/resources/accessTokens/-/shareToken?applicantId=63e092c51b7b4030f2e01154&forClientId=CoolCoinLtd&ttlInSecs=600"
    );
    assert!(
        raw.body.is_empty(),
        "the query form has no body: {:?}",
        String::from_utf8_lossy(&raw.body)
    );
    let signature = expected_signature(TS_HEADER, "POST", &raw.path, b"");
    assert_eq!(
        raw.header("x-app-access-sig"),
        Some(signature.as_str()),
        "signed over path and query, nothing appended"
    );
    assert_eq!(signature, QUERY_FORM_SIGNATURE);

    assert_eq!(response.for_client_id, "CoolCoinLtd");
    assert_eq!(
        response.token.expose_str(),
        "_act-460a698b-d2bc-4cbc-9456-5f36fee38083"
    );
}

/// The vendor page's own example of the query form
/// (https://docs.sumsub.com/reference/generate-share-token-query): the query of its curl request, and
/// its response example.
#[tokio::test]
async fn generate_share_token_by_query_sends_the_vendor_curl_query_and_decodes_its_answer() {
    let server = MockServer::start_async().await;
    let endpoint = Expect::new(POST, "/resources/accessTokens/-/shareToken")
        .headers(&[("x-app-token", APP_TOKEN), ("x-app-access-ts", TS_HEADER)])
        .absent(&["authorization", "content-type"])
        .answer(fixture(
            "sumsub/generate_share_token_by_query.200.sumsub_docs.json",
        ))
        .start(&server)
        .await;

    let response = client(&server)
        .generate_share_token_by_query("63edf432a3e0fc4916d678f3", "CoolCoinLtd")
        .ttl_in_secs(600)
        .await
        .unwrap()
        .into_inner();

    let raw = endpoint.received().await;
    assert_eq!(
        raw.path,
        "/resources/accessTokens/-/shareToken?applicantId=63edf432a3e0fc4916d678f3&forClientId=CoolCoinLtd&ttlInSecs=600"
    );
    assert_eq!(response.for_client_id, "CoolCoinLtd");
    assert_eq!(
        response.token.expose_str(),
        "eyJhbGciOiJub25lIn0.eyJqdGkiOiJfYWN0LTZmODI2ZTU0LTE2MzctNDViMS05NzMyLWY1MjZiN2YxNWE3YyIsInVybCI6Imh0dHBzOi8vYXBpLnN1bXN1Yi5jb20ifQ."
    );
    assert!(!format!("{response:?}").contains("eyJhbGciOiJub25lIn0"));
}
