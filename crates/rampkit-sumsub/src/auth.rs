//! SumSub credentials: every request signed with an app token and an HMAC-SHA256 of the request.

use std::fmt;
use std::sync::Arc;

use hmac::{Hmac, Mac};
use rampkit_runtime::auth::{unix_seconds, AuthError, Authenticator, SharedHeader, TokenLease};
use rampkit_runtime::meta::OperationMeta;
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Request;
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

/// SumSub: every request signed with `X-App-Token`, `X-App-Access-Ts` and `X-App-Access-Sig`, the hex
/// HMAC-SHA256 (keyed with the secret key) of `timestamp + METHOD + path-with-query + body`.
#[derive(Clone)]
pub struct SumsubAuth {
    app_token: SharedHeader,
    secret_key: Arc<SecretString>,
    clock: fn() -> u64,
}

impl SumsubAuth {
    /// A client signing with a SumSub app token and its secret key.
    pub fn new(app_token: impl Into<SecretString>, secret_key: impl Into<SecretString>) -> Self {
        Self {
            app_token: SharedHeader::new(Self::PROVIDER, "app token", &app_token.into()),
            secret_key: Arc::new(secret_key.into()),
            clock: unix_seconds,
        }
    }

    /// Replaces the clock (Unix seconds) used for `X-App-Access-Ts`; for tests.
    pub fn with_clock(mut self, clock: fn() -> u64) -> Self {
        self.clock = clock;
        self
    }

    /// The signature of one request, as sent in `X-App-Access-Sig`.
    pub fn signature(
        &self,
        timestamp: u64,
        method: &str,
        path_with_query: &str,
        body: &[u8],
    ) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.secret_key.expose_secret().as_bytes())
            .expect("HMAC-SHA256 accepts keys of any length");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(method.as_bytes());
        mac.update(path_with_query.as_bytes());
        mac.update(body);
        hex::encode(mac.finalize().into_bytes())
    }
}

impl fmt::Debug for SumsubAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SumsubAuth")
            .field("app_token", &rampkit_runtime::REDACTED)
            .field("secret_key", &rampkit_runtime::REDACTED)
            .finish()
    }
}

impl Authenticator for SumsubAuth {
    const PROVIDER: &'static str = "sumsub";
    const CREDENTIAL_HEADERS: &'static [&'static str] = &["x-app-token", "x-app-access-sig"];

    fn authenticate(
        &self,
        request: &mut Request,
        _: &OperationMeta,
        _: Option<&TokenLease>,
    ) -> Result<(), AuthError> {
        let timestamp = (self.clock)();
        let url = request.url();
        let path_with_query = match url.query() {
            Some(query) => format!("{}?{}", url.path(), query),
            None => url.path().to_owned(),
        };
        let body = request
            .body()
            .and_then(|b| b.as_bytes())
            .unwrap_or_default();
        let signature =
            self.signature(timestamp, request.method().as_str(), &path_with_query, body);
        let token = self.app_token.value()?;
        let headers = request.headers_mut();
        headers.insert(HeaderName::from_static("x-app-token"), token);
        headers.insert(
            HeaderName::from_static("x-app-access-ts"),
            HeaderValue::from(timestamp),
        );
        let mut signature = HeaderValue::from_str(&signature).expect("hex is a valid header value");
        signature.set_sensitive(true);
        headers.insert(HeaderName::from_static("x-app-access-sig"), signature);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use rampkit_runtime::test_util::{assert_debug_hides, authenticated, OPERATION};
    use reqwest::Method;

    use super::*;

    #[test]
    fn requests_are_signed_and_debug_never_prints_secrets() {
        let auth = SumsubAuth::new("app-token".to_owned(), "SECRETKEY".to_owned())
            .with_clock(|| 1_700_000_000);
        let url = "https://x.test/resources/a?b=c";
        let r = authenticated(&auth, &OPERATION, Method::GET, url).unwrap();
        assert_eq!(r.headers()["x-app-token"], "app-token");
        assert_eq!(r.headers()["x-app-access-ts"], "1700000000");
        assert_eq!(
            r.headers()["x-app-access-sig"].to_str().unwrap(),
            auth.signature(1_700_000_000, "GET", "/resources/a?b=c", b"")
        );
        assert_debug_hides(&auth, &["SECRET"]);
    }
}
