//! Crossmint credentials: a server API key in the `X-API-KEY` header, and the vendor's documented rate
//! limits.

use std::fmt;
use std::sync::Arc;

use rampkit_runtime::auth::{sensitive_header, AuthError, Authenticator, TokenLease};
use rampkit_runtime::meta::OperationMeta;
use rampkit_runtime::{RateLimit, RateLimits};
use reqwest::header::HeaderName;
use reqwest::Request;
use secrecy::{ExposeSecret, SecretString};

/// Crossmint: a server API key in the `X-API-KEY` header.
#[derive(Clone)]
pub struct CrossmintAuth {
    api_key: Arc<SecretString>,
}

impl CrossmintAuth {
    /// A client authenticated with a Crossmint server API key (`sk_staging_…` / `sk_production_…`).
    pub fn new(api_key: impl Into<SecretString>) -> Self {
        Self {
            api_key: Arc::new(api_key.into()),
        }
    }
}

impl fmt::Debug for CrossmintAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CrossmintAuth")
            .field("api_key", &rampkit_runtime::REDACTED)
            .finish()
    }
}

impl Authenticator for CrossmintAuth {
    const PROVIDER: &'static str = "crossmint";

    fn authenticate(
        &self,
        request: &mut Request,
        _: &OperationMeta,
        _: Option<&TokenLease>,
    ) -> Result<(), AuthError> {
        let value = sensitive_header(Self::PROVIDER, "API key", self.api_key.expose_secret())?;
        request
            .headers_mut()
            .insert(HeaderName::from_static("x-api-key"), value);
        Ok(())
    }

    /// Per project: POST/PUT/PATCH/DELETE 120 requests per minute, GET 360 per minute
    /// (<https://docs.crossmint.com/introduction/platform/api-keys/rate-limits>).
    fn default_rate_limits() -> RateLimits {
        RateLimits {
            reads: Some(RateLimit::per_minute(360)),
            writes: Some(RateLimit::per_minute(120)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampkit_runtime::auth::apply;
    use rampkit_runtime::meta::Confidence;

    const OP: OperationMeta = OperationMeta {
        id: "op",
        method: "GET",
        path: "/a",
        confidence: Confidence::Confirmed,
        source: "https://docs.example",
        idempotent: true,
        authenticated: true,
    };

    fn request(method: reqwest::Method, url: &str) -> Request {
        Request::new(method, url.parse().unwrap())
    }

    #[test]
    fn the_key_lands_in_its_header_and_never_in_debug() {
        let mut r = request(reqwest::Method::GET, "https://x.test/a");
        apply(&CrossmintAuth::new("sk_staging_1".to_owned()), &mut r, &OP).unwrap();
        assert_eq!(r.headers()["x-api-key"], "sk_staging_1");
        assert!(r.headers()["x-api-key"].is_sensitive());
        let debug = format!("{:?}", CrossmintAuth::new("sk_staging_SECRET".to_owned()));
        assert!(!debug.contains("SECRET"), "{debug}");
    }
}
