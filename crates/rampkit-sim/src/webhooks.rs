//! Status-change webhooks: POSTed in the background to the configured URL (`{vendor}` in it replaced by
//! the vendor's name), with the signature headers the vendor's room computes; delivered and failed ones
//! are counted.

use std::sync::Arc;
use std::time::Duration;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::runtime::Handle;

use crate::counters::Counters;

/// HMAC-SHA256 of the concatenated `parts`, keyed with `key`.
pub fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    // HMAC takes keys of any length: `new_from_slice` cannot fail for it.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        return Vec::new();
    };
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

/// Seconds since the Unix epoch, as webhook timestamps print them.
pub fn unix_seconds() -> String {
    (crate::progress::now_ms() / 1000).to_string()
}

/// The HTTP client webhooks go out with, and where to.
pub struct WebhookSender {
    target: Option<(reqwest::Client, String)>,
    counters: Arc<Counters>,
    runtime: Option<Handle>,
}

impl WebhookSender {
    /// Webhooks to `url` (none when `None`), counted in `counters`, sent from the current runtime.
    pub fn new(url: Option<&str>, counters: Arc<Counters>) -> Self {
        let target = url.map(|url| {
            let client = reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .unwrap_or_default();
            (client, url.to_owned())
        });
        Self {
            target,
            counters,
            runtime: Handle::try_current().ok(),
        }
    }

    /// Whether webhooks go anywhere.
    pub fn enabled(&self) -> bool {
        self.target.is_some()
    }

    /// POSTs `body` with `headers` for `vendor`, in the background.
    pub fn send(&self, vendor: &'static str, body: Vec<u8>, headers: Vec<(String, String)>) {
        let (Some((client, url)), Some(runtime)) = (&self.target, &self.runtime) else {
            return;
        };
        let url = url.replace("{vendor}", vendor);
        let client = client.clone();
        let counters = Arc::clone(&self.counters);
        runtime.spawn(async move {
            let mut request = client
                .post(url)
                .header("content-type", "application/json")
                .body(body);
            for (name, value) in headers {
                request = request.header(name, value);
            }
            let delivered = matches!(request.send().await, Ok(r) if r.status().is_success());
            counters.webhook(vendor, delivered);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let digest = hmac_sha256(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(
            hex::encode(digest),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
