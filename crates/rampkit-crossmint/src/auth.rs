//! Crossmint credentials: a server API key in the `X-API-KEY` header, and the vendor's documented rate
//! limits.

use std::fmt;

use rampkit_runtime::auth::{AuthError, Authenticator, SharedHeader, TokenLease};
use rampkit_runtime::meta::OperationMeta;
use rampkit_runtime::{RateLimit, RateLimits};
use reqwest::header::HeaderName;
use reqwest::Request;
use secrecy::SecretString;

const X_API_KEY: HeaderName = HeaderName::from_static("x-api-key");

/// Crossmint: a server API key in the `X-API-KEY` header.
#[derive(Clone)]
pub struct CrossmintAuth {
    api_key: SharedHeader,
}

impl CrossmintAuth {
    /// A client authenticated with a Crossmint server API key (`sk_staging_…` / `sk_production_…`).
    pub fn new(api_key: impl Into<SecretString>) -> Self {
        Self {
            api_key: SharedHeader::new(Self::PROVIDER, "API key", &api_key.into()),
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
    const CREDENTIAL_HEADERS: &'static [&'static str] = &["x-api-key"];

    fn authenticate(
        &self,
        request: &mut Request,
        _: &OperationMeta,
        _: Option<&TokenLease>,
    ) -> Result<(), AuthError> {
        request
            .headers_mut()
            .insert(X_API_KEY, self.api_key.value()?);
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
    use rampkit_runtime::auth::apply;
    use rampkit_runtime::test_util::{
        assert_debug_hides, assert_secret_header, authenticated, request, OPERATION,
    };
    use reqwest::Method;

    use super::*;

    #[test]
    fn the_key_lands_in_its_header_and_never_in_debug() {
        let auth = CrossmintAuth::new("sk_staging_1".to_owned());
        let request = authenticated(&auth, &OPERATION, Method::GET, "https://x.test/a").unwrap();
        assert_secret_header(&request, "x-api-key", "sk_staging_1");
        assert_debug_hides(
            &CrossmintAuth::new("sk_staging_SECRET".to_owned()),
            &["SECRET"],
        );
    }

    /// A key a header cannot carry is refused at every call, before anything is sent, without echoing it.
    #[test]
    fn a_key_with_a_newline_is_refused_without_echoing_it() {
        let auth = CrossmintAuth::new("sk_staging_PLANTED\nx".to_owned());
        let mut r = request(Method::GET, "https://x.test/a");
        let error = apply(&auth, &mut r, &OPERATION).unwrap_err();
        assert!(matches!(error, AuthError::InvalidHeaderValue { .. }));
        assert!(!error.to_string().contains("PLANTED"));
        assert!(r.headers().get("x-api-key").is_none());
    }

    /// Requests share the one key buffer: no copy of the key per request.
    #[test]
    fn requests_share_one_copy_of_the_key() {
        let auth = CrossmintAuth::new("sk_staging_1".to_owned());
        let a = authenticated(&auth, &OPERATION, Method::GET, "https://x.test/a").unwrap();
        let b = authenticated(&auth, &OPERATION, Method::GET, "https://x.test/b").unwrap();
        assert_eq!(
            a.headers()["x-api-key"].as_bytes().as_ptr(),
            b.headers()["x-api-key"].as_bytes().as_ptr()
        );
    }
}
