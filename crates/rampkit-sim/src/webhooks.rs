//! Status-change webhooks, signed with each vendor's scheme:
//!
//! | vendor | headers |
//! |---|---|
//! | CryptoPocket | `X-API-Key`, `X-Timestamp`, `X-Signature` = hex HMAC-SHA256(API secret, body ‖ timestamp) |
//! | Crossmint | Svix: `svix-id`, `svix-timestamp`, `svix-signature` = `v1,` base64 HMAC-SHA256(key, id.timestamp.body) |
//! | Leap | `x-raas-signature` = base64 HMAC-SHA256(shared secret, body), `x-raas-op-country` |
//! | Kriptomat | none (Kriptomat documents no signature) |

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::config::{SimConfig, Vendor};
use crate::state::Shared;

/// The HTTP client webhooks go out with.
pub struct WebhookSender {
    client: Option<reqwest::Client>,
}

impl WebhookSender {
    pub fn new(config: &SimConfig) -> Self {
        let client = config.webhook_url.as_ref().map(|_| {
            reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap_or_default()
        });
        Self { client }
    }
}

fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes keys of any length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

/// The signature headers of `body` for `vendor`.
pub fn signature_headers(config: &SimConfig, vendor: Vendor, body: &[u8]) -> Vec<(String, String)> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        .to_string();
    match vendor {
        Vendor::CryptoPocket => {
            let secret = config.credentials.cryptopocket_api_secret.as_bytes();
            let digest = hmac_sha256(secret, &[body, now.as_bytes()]);
            vec![
                (
                    "X-API-Key".to_owned(),
                    config.credentials.cryptopocket_api_key.clone(),
                ),
                ("X-Timestamp".to_owned(), now),
                ("X-Signature".to_owned(), hex::encode(digest)),
            ]
        }
        Vendor::Crossmint => {
            let secret = &config.webhook_secrets.crossmint_svix;
            let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
            let key = STANDARD.decode(encoded).unwrap_or_default();
            let id = format!("msg_{}", crate::state::random_id(24));
            let digest = hmac_sha256(&key, &[id.as_bytes(), b".", now.as_bytes(), b".", body]);
            vec![
                ("svix-id".to_owned(), id),
                ("svix-timestamp".to_owned(), now),
                (
                    "svix-signature".to_owned(),
                    format!("v1,{}", STANDARD.encode(digest)),
                ),
            ]
        }
        Vendor::Leap => {
            let secret = config.webhook_secrets.leap_shared_secret.as_bytes();
            vec![
                (
                    "x-raas-signature".to_owned(),
                    STANDARD.encode(hmac_sha256(secret, &[body])),
                ),
                ("x-raas-op-country".to_owned(), String::new()),
            ]
        }
        Vendor::Kriptomat | Vendor::Sumsub => Vec::new(),
    }
}

/// POSTs `payload` for `vendor` to the configured URL, signed, in the background. Delivered and
/// failed webhooks are counted.
pub fn emit(shared: &Arc<Shared>, vendor: Vendor, payload: serde_json::Value) {
    let (Some(client), Some(url)) = (
        shared.webhooks.client.clone(),
        shared.config.webhook_url.as_ref(),
    ) else {
        return;
    };
    let url = url.replace("{vendor}", vendor.as_str());
    let Ok(body) = serde_json::to_vec(&payload) else {
        return;
    };
    let headers = signature_headers(&shared.config, vendor, &body);
    let shared = Arc::clone(shared);
    tokio::spawn(async move {
        let mut request = client
            .post(url)
            .header("content-type", "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        let delivered = matches!(request.send().await, Ok(r) if r.status().is_success());
        shared.counters.webhook(vendor, delivered);
    });
}
