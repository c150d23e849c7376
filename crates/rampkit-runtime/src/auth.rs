//! Credentials per provider and the pre-request hook that puts them on every request.
//!
//! Each generated client carries one of these types as its `inner` value; progenitor calls [`apply`]
//! on every request just before it is sent. Secrets are held in [`secrecy::SecretString`], header values
//! are marked sensitive (so `reqwest`/`http` redact them in `Debug`), and every `Debug` here prints
//! only which credentials are present.
//!
//! Token acquisition and renewal (CryptoPocket `/authenticate`, Kriptomat partner login) build on
//! [`CryptoPocketAuth::set_token`] and [`KriptomatAuth::set_bearer`].

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::{SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use reqwest::Request;
use reqwest::header::{HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

/// Puts a provider's credentials on an outgoing request.
pub trait Authenticator: fmt::Debug + Clone + Send + Sync {
    /// Adds the authentication headers (or signature) to `request`.
    fn authenticate(&self, request: &mut Request) -> Result<(), AuthError>;
}

/// The pre-request hook named in every generated client (`with_pre_hook_async`).
pub async fn apply<A: Authenticator>(auth: &A, request: &mut Request) -> Result<(), AuthError> {
    auth.authenticate(request)
}

/// Why credentials could not be attached. Never carries a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// A credential holds bytes that cannot be sent in an HTTP header.
    #[error("{provider}: the {credential} cannot be sent as an HTTP header value")]
    InvalidHeaderValue {
        /// Provider name.
        provider: &'static str,
        /// Which credential (`API key`, `token`, …).
        credential: &'static str,
    },
}

fn sensitive_header(
    provider: &'static str,
    credential: &'static str,
    value: &str,
) -> Result<HeaderValue, AuthError> {
    let mut value = HeaderValue::from_str(value).map_err(|_| AuthError::InvalidHeaderValue {
        provider,
        credential,
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// A token that is set after a login call and shared by every clone of the client.
#[derive(Clone, Default)]
struct SharedToken(Arc<RwLock<Option<SecretString>>>);

impl SharedToken {
    fn set(&self, token: SecretString) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Some(token);
    }

    fn clear(&self) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = None;
    }

    fn is_set(&self) -> bool {
        self.0.read().unwrap_or_else(|e| e.into_inner()).is_some()
    }

    fn header(
        &self,
        provider: &'static str,
        prefix: &str,
    ) -> Result<Option<HeaderValue>, AuthError> {
        let guard = self.0.read().unwrap_or_else(|e| e.into_inner());
        guard
            .as_ref()
            .map(|token| {
                let mut text = String::with_capacity(prefix.len() + token.expose_secret().len());
                text.push_str(prefix);
                text.push_str(token.expose_secret());
                sensitive_header(provider, "token", &text)
            })
            .transpose()
    }
}

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
            .field("api_key", &crate::REDACTED)
            .finish()
    }
}

impl Authenticator for CrossmintAuth {
    fn authenticate(&self, request: &mut Request) -> Result<(), AuthError> {
        let value = sensitive_header("crossmint", "API key", self.api_key.expose_secret())?;
        request
            .headers_mut()
            .insert(HeaderName::from_static("x-api-key"), value);
        Ok(())
    }
}

/// Leap Financial: a partner API key in the `api_key` header.
#[derive(Clone)]
pub struct LeapAuth {
    api_key: Arc<SecretString>,
}

impl LeapAuth {
    /// A client authenticated with a Leap partner API key.
    pub fn new(api_key: impl Into<SecretString>) -> Self {
        Self {
            api_key: Arc::new(api_key.into()),
        }
    }
}

impl fmt::Debug for LeapAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LeapAuth")
            .field("api_key", &crate::REDACTED)
            .finish()
    }
}

impl Authenticator for LeapAuth {
    fn authenticate(&self, request: &mut Request) -> Result<(), AuthError> {
        let value = sensitive_header("leap", "API key", self.api_key.expose_secret())?;
        request
            .headers_mut()
            .insert(HeaderName::from_static("api_key"), value);
        Ok(())
    }
}

/// CryptoPocket: the token returned by `POST /authenticate`, sent raw in the lower-case `auth` header.
///
/// Before a token is set (the `/authenticate` call itself), no `auth` header is sent.
#[derive(Clone, Default)]
pub struct CryptoPocketAuth {
    token: SharedToken,
}

impl CryptoPocketAuth {
    /// No token yet: only `/authenticate` will succeed.
    pub fn new() -> Self {
        Self::default()
    }

    /// A client that already holds a token.
    pub fn with_token(token: impl Into<SecretString>) -> Self {
        let auth = Self::default();
        auth.set_token(token);
        auth
    }

    /// Stores the token for every clone of the client.
    pub fn set_token(&self, token: impl Into<SecretString>) {
        self.token.set(token.into());
    }

    /// Forgets the token (e.g. after `authorization_incorrect`).
    pub fn clear_token(&self) {
        self.token.clear();
    }

    /// Whether a token is held.
    pub fn has_token(&self) -> bool {
        self.token.is_set()
    }
}

impl fmt::Debug for CryptoPocketAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CryptoPocketAuth")
            .field("has_token", &self.has_token())
            .finish()
    }
}

impl Authenticator for CryptoPocketAuth {
    fn authenticate(&self, request: &mut Request) -> Result<(), AuthError> {
        if let Some(value) = self.token.header("cryptopocket", "")? {
            request
                .headers_mut()
                .insert(HeaderName::from_static("auth"), value);
        }
        Ok(())
    }
}

/// Kriptomat: `Authorization: Bearer <token>` from the partner login, plus the
/// `X-Requested-With: XMLHttpRequest` header every Kriptomat call carries.
///
/// Before a bearer token is set (the login call itself), only `X-Requested-With` is sent.
#[derive(Clone, Default)]
pub struct KriptomatAuth {
    bearer: SharedToken,
}

impl KriptomatAuth {
    /// No token yet: only the partner login will succeed.
    pub fn new() -> Self {
        Self::default()
    }

    /// A client that already holds a bearer token.
    pub fn with_bearer(token: impl Into<SecretString>) -> Self {
        let auth = Self::default();
        auth.set_bearer(token);
        auth
    }

    /// Stores the bearer token for every clone of the client.
    pub fn set_bearer(&self, token: impl Into<SecretString>) {
        self.bearer.set(token.into());
    }

    /// Forgets the bearer token.
    pub fn clear_bearer(&self) {
        self.bearer.clear();
    }

    /// Whether a bearer token is held.
    pub fn has_bearer(&self) -> bool {
        self.bearer.is_set()
    }
}

impl fmt::Debug for KriptomatAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KriptomatAuth")
            .field("has_bearer", &self.has_bearer())
            .finish()
    }
}

impl Authenticator for KriptomatAuth {
    fn authenticate(&self, request: &mut Request) -> Result<(), AuthError> {
        let headers = request.headers_mut();
        headers.insert(
            HeaderName::from_static("x-requested-with"),
            HeaderValue::from_static("XMLHttpRequest"),
        );
        if let Some(value) = self.bearer.header("kriptomat", "Bearer ")? {
            headers.insert(reqwest::header::AUTHORIZATION, value);
        }
        Ok(())
    }
}

/// SumSub: every request signed with `X-App-Token`, `X-App-Access-Ts` and `X-App-Access-Sig`, the hex
/// HMAC-SHA256 (keyed with the secret key) of `timestamp + METHOD + path-with-query + body`.
#[derive(Clone)]
pub struct SumsubAuth {
    app_token: Arc<SecretString>,
    secret_key: Arc<SecretString>,
    clock: fn() -> u64,
}

fn unix_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl SumsubAuth {
    /// A client signing with a SumSub app token and its secret key.
    pub fn new(app_token: impl Into<SecretString>, secret_key: impl Into<SecretString>) -> Self {
        Self {
            app_token: Arc::new(app_token.into()),
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
            .field("app_token", &crate::REDACTED)
            .field("secret_key", &crate::REDACTED)
            .finish()
    }
}

impl Authenticator for SumsubAuth {
    fn authenticate(&self, request: &mut Request) -> Result<(), AuthError> {
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
        let token = sensitive_header("sumsub", "app token", self.app_token.expose_secret())?;
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
    use super::*;

    fn request(method: reqwest::Method, url: &str, body: Option<&'static str>) -> Request {
        let mut r = Request::new(method, url.parse().unwrap());
        if let Some(b) = body {
            *r.body_mut() = Some(b.into());
        }
        r
    }

    #[tokio::test]
    async fn static_keys_and_tokens_land_in_their_headers() {
        let mut r = request(reqwest::Method::GET, "https://x.test/a", None);
        apply(&CrossmintAuth::new("sk_staging_1".to_owned()), &mut r)
            .await
            .unwrap();
        assert_eq!(r.headers()["x-api-key"], "sk_staging_1");
        assert!(r.headers()["x-api-key"].is_sensitive());

        let mut r = request(reqwest::Method::GET, "https://x.test/a", None);
        apply(&LeapAuth::new("leap-key".to_owned()), &mut r)
            .await
            .unwrap();
        assert_eq!(r.headers()["api_key"], "leap-key");

        let cp = CryptoPocketAuth::new();
        let mut r = request(reqwest::Method::POST, "https://x.test/authenticate", None);
        apply(&cp, &mut r).await.unwrap();
        assert!(r.headers().get("auth").is_none());
        cp.clone().set_token("tok123".to_owned());
        let mut r = request(reqwest::Method::POST, "https://x.test/registerUser", None);
        apply(&cp, &mut r).await.unwrap();
        assert_eq!(r.headers()["auth"], "tok123");

        let k = KriptomatAuth::with_bearer("eyJ0".to_owned());
        let mut r = request(reqwest::Method::GET, "https://x.test/u", None);
        apply(&k, &mut r).await.unwrap();
        assert_eq!(r.headers()["authorization"], "Bearer eyJ0");
        assert_eq!(r.headers()["x-requested-with"], "XMLHttpRequest");
    }

    #[test]
    fn debug_never_prints_secrets() {
        let all = format!(
            "{:?} {:?} {:?} {:?} {:?}",
            CrossmintAuth::new("sk_staging_SECRET".to_owned()),
            LeapAuth::new("SECRETLEAP".to_owned()),
            CryptoPocketAuth::with_token("SECRETTOKEN".to_owned()),
            KriptomatAuth::with_bearer("SECRETBEARER".to_owned()),
            SumsubAuth::new("SECRETAPP".to_owned(), "SECRETKEY".to_owned()),
        );
        assert!(!all.contains("SECRET"), "{all}");
    }
}
