//! The Crossmint `get_user` call three ways, shared by the `call_overhead` and `concurrency` benches.

use rampkit_crossmint::{Client, CrossmintAuth, UserLocator, types::UserResponse};

/// A `get_user` answer of the vendor's shape (https://docs.crossmint.com/api-reference/users/get-user).
pub const BODY: &str = r#"{"userId":"johnd-123","userDetails":true,"kycData":true,"dueDiligence":false,"verificationHistory":true,"email":"john@example.com","legalDocuments":[{"type":"crossmint-privacy-policy","acceptedAt":"2026-01-01T00:00:00.000Z"}]}"#;
pub const LOCATOR: &str = "userId:johnd-123";

/// [`LOCATOR`] as the generated client takes it.
pub fn user_locator() -> UserLocator {
    LOCATOR.parse().expect("a user locator")
}
pub const KEY: &str = "sk_staging_bench";

/// A generated client without Crossmint's default client-side rate limits (120 writes / 360 reads per
/// minute), which would otherwise pace the bench; the limiter is still consulted on every call.
pub fn generated_client(base: &str, http: rampkit_runtime::transport::HttpClient) -> Client {
    let context = rampkit_crossmint::Context::new(CrossmintAuth::new(KEY.to_owned()))
        .with_rate_limits(rampkit_crossmint::RateLimits::none());
    Client::new_with_client(base, http, context)
}

/// A hand-written call of the same operation: format the URL, `GET` with the key and `accept`
/// headers, read the bytes, `serde_json::from_slice` into the same type.
pub async fn hand_written(http: &reqwest::Client, base: &str) -> UserResponse {
    let response = http
        .get(format!("{base}/2025-06-09/users/{LOCATOR}"))
        .header("x-api-key", KEY)
        .header("accept", "application/json")
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    let bytes = response.bytes().await.unwrap();
    serde_json::from_slice::<UserResponse>(&bytes).unwrap()
}

/// The hand-written call plus what progenitor's generated code does besides rampkit's hooks:
/// `encode_path` of the locator, an empty `HeaderMap` merged in, `ResponseValue::from_response` (which
/// clones the response headers).
// `encode_path(&locator.to_string())` is what progenitor emits; kept to measure the same work.
#[allow(clippy::unnecessary_to_owned)]
pub async fn with_progenitor_steps(http: &reqwest::Client, base: &str) -> UserResponse {
    let url = format!(
        "{base}/2025-06-09/users/{}",
        progenitor_client::encode_path(&LOCATOR.to_string())
    );
    let response = http
        .get(url)
        .header("x-api-key", KEY)
        .header("accept", "application/json")
        .headers(reqwest::header::HeaderMap::with_capacity(1))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());
    progenitor_client::ResponseValue::<UserResponse>::from_response::<()>(response)
        .await
        .unwrap()
        .into_inner()
}

/// The request the generated `get_user` builds (`encode_path` of the locator, `accept` and key headers,
/// `rampkit_runtime::response_value`) written by hand and run inside `rampkit_runtime::call` — the retry
/// loop, span, attempt state and rate-limit check — without the generated hooks and status match.
// Only the concurrency bench uses it; the module is shared with call_overhead.
#[allow(dead_code)]
pub async fn inside_call(client: &Client, http: &reqwest::Client, base: &str) -> UserResponse {
    let parts = rampkit_runtime::ClientParts {
        http,
        base_url: base,
        context: client.context(),
    };
    rampkit_runtime::call(parts, &rampkit_crossmint::operations::GET_USER, || async {
        let url = format!(
            "{base}/2025-06-09/users/{}",
            progenitor_client::encode_path(LOCATOR)
        );
        let response = http
            .get(url)
            .header("x-api-key", KEY)
            .header("accept", "application/json")
            .send()
            .await
            .map_err(progenitor_client::Error::<()>::CommunicationError)?;
        rampkit_runtime::response_value::<UserResponse, ()>(response).await
    })
    .await
    .unwrap()
    .into_inner()
}
