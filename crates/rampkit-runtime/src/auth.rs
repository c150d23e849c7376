//! Credentials per provider: how they are attached to each request, and how tokens are obtained and
//! renewed.
//!
//! Each generated client carries a [`crate::Context`] around one of these types; its `pre` hook calls
//! [`apply`] on every request just before it is sent, and [`crate::call`] calls
//! [`Authenticator::ensure`] before each attempt so that a token is obtained (once, shared by concurrent
//! calls) or renewed before it expires. Secrets are held in [`secrecy::SecretString`], header values are
//! marked sensitive, and every `Debug` here prints only which credentials are present.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use reqwest::Request;
use reqwest::header::{HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::error::{DecodeError, TransportError};
use crate::meta::OperationMeta;
use crate::{Error, ErrorKind};

/// A provider's credentials and the provider rules that go with them.
pub trait Authenticator: fmt::Debug + Clone + Send + Sync + 'static {
    /// Provider name, as in errors and traces.
    const PROVIDER: &'static str;

    /// Adds the credentials (headers or signature) to `request` for `operation`.
    fn authenticate(
        &self,
        request: &mut Request,
        operation: &OperationMeta,
    ) -> Result<(), AuthError>;

    /// Obtains or renews a token before a call, when the credentials need one. Concurrent calls share
    /// one login.
    fn ensure(
        &self,
        http: &reqwest::Client,
        base_url: &str,
    ) -> impl Future<Output = Result<(), Error>> + Send {
        let _ = (http, base_url);
        async { Ok(()) }
    }

    /// Forgets a token the vendor rejected; returns whether a new login is possible (so the call may be
    /// sent once more).
    fn invalidate(&self) -> bool {
        false
    }

    /// The kind of a business error code the vendor returns with a success status.
    fn business_error_kind(&self, code: &str) -> ErrorKind {
        let _ = code;
        ErrorKind::Business
    }
}

/// Attaches credentials: the generated `pre` hook calls this for every request.
pub fn apply<A: Authenticator>(
    auth: &A,
    request: &mut Request,
    operation: &OperationMeta,
) -> Result<(), AuthError> {
    auth.authenticate(request, operation)
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

/// A token obtained by a login call, shared by every clone of the client.
#[derive(Default)]
struct TokenState {
    token: Option<SecretString>,
    /// When the token should be renewed (already shortened by the renewal margin).
    renew_at: Option<Instant>,
}

#[derive(Clone, Default)]
struct SharedToken {
    state: Arc<RwLock<TokenState>>,
    /// Serialises logins: N concurrent calls wait for one login instead of sending N.
    login: Arc<tokio::sync::Mutex<()>>,
}

impl SharedToken {
    fn set(&self, token: SecretString, renew_at: Option<Instant>) {
        *self.state.write().unwrap_or_else(|e| e.into_inner()) = TokenState {
            token: Some(token),
            renew_at,
        };
    }

    fn clear(&self) {
        *self.state.write().unwrap_or_else(|e| e.into_inner()) = TokenState::default();
    }

    fn is_set(&self) -> bool {
        self.state
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .token
            .is_some()
    }

    /// Set and not due for renewal.
    fn is_fresh(&self) -> bool {
        let state = self.state.read().unwrap_or_else(|e| e.into_inner());
        state.token.is_some() && state.renew_at.is_none_or(|at| Instant::now() < at)
    }

    fn header(
        &self,
        provider: &'static str,
        prefix: &str,
    ) -> Result<Option<HeaderValue>, AuthError> {
        let state = self.state.read().unwrap_or_else(|e| e.into_inner());
        state
            .token
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

/// Sends a login request and returns the JSON answer, mapping failures to [`Error`]s that carry no
/// secret and no body in their `Display`.
async fn login_request(
    provider: &'static str,
    operation: &'static str,
    http: &reqwest::Client,
    url: String,
    body: Value,
    extra_headers: &[(&'static str, &'static str)],
) -> Result<Value, Error> {
    let mut request = http.post(url).json(&body);
    for (name, value) in extra_headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.map_err(|e| {
        let kind = ErrorKind::Transient;
        Error::new(provider, operation, kind).with_source(TransportError::from(e))
    })?;
    let status = response.status().as_u16();
    let bytes = response.bytes().await.map_err(|e| {
        Error::new(provider, operation, ErrorKind::Transient)
            .with_status(status)
            .with_source(TransportError::from(e))
    })?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|e| {
        Error::new(provider, operation, ErrorKind::Undecodable)
            .with_status(status)
            .with_raw_body(bytes.clone())
            .with_source(DecodeError::from(&e))
    })?;
    let business_error = value.get("status").and_then(Value::as_str) == Some("error");
    if !(200..300).contains(&status) || business_error {
        let (code, message) = crate::call::vendor_code_and_message(&value);
        let kind = if (500..600).contains(&status) {
            ErrorKind::Server
        } else {
            ErrorKind::Authentication
        };
        return Err(Error::new(provider, operation, kind)
            .with_status(status)
            .with_vendor(code, message)
            .with_raw_body(bytes)
            .with_detail("login failed"));
    }
    Ok(value)
}

fn token_in(value: &Value, pointers: &[&str]) -> Option<String> {
    pointers
        .iter()
        .find_map(|p| value.pointer(p).and_then(Value::as_str))
        .map(str::to_owned)
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
    const PROVIDER: &'static str = "crossmint";

    fn authenticate(&self, request: &mut Request, _: &OperationMeta) -> Result<(), AuthError> {
        let value = sensitive_header(Self::PROVIDER, "API key", self.api_key.expose_secret())?;
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
    const PROVIDER: &'static str = "leap";

    fn authenticate(&self, request: &mut Request, _: &OperationMeta) -> Result<(), AuthError> {
        let value = sensitive_header(Self::PROVIDER, "API key", self.api_key.expose_secret())?;
        request
            .headers_mut()
            .insert(HeaderName::from_static("api_key"), value);
        Ok(())
    }
}

/// CryptoPocket: API key + secret exchanged at `POST /authenticate` for a token, sent raw in the
/// lower-case `auth` header.
///
/// Built [`with_credentials`](Self::with_credentials), the client logs in on first use (one login shared
/// by concurrent calls) and, when a call comes back with `authorization_incorrect` (HTTP 200 with an
/// error envelope), logs in again once and repeats the call. The token's place in the `/authenticate`
/// answer is not documented; `data.token`, `token`, `data.access_token` and `access_token` are tried
/// (inferred).
#[derive(Clone, Default)]
pub struct CryptoPocketAuth {
    token: SharedToken,
    credentials: Option<Arc<(SecretString, SecretString)>>,
}

impl CryptoPocketAuth {
    /// No token and no credentials: only `/authenticate` can be called.
    pub fn new() -> Self {
        Self::default()
    }

    /// Logs in with the API key and secret when a token is needed.
    pub fn with_credentials(
        api_key: impl Into<SecretString>,
        api_secret: impl Into<SecretString>,
    ) -> Self {
        Self {
            credentials: Some(Arc::new((api_key.into(), api_secret.into()))),
            ..Self::default()
        }
    }

    /// A fixed token (no login, no renewal).
    pub fn with_token(token: impl Into<SecretString>) -> Self {
        let auth = Self::default();
        auth.set_token(token);
        auth
    }

    /// Stores a token for every clone of the client.
    pub fn set_token(&self, token: impl Into<SecretString>) {
        self.token.set(token.into(), None);
    }

    /// Forgets the token.
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
            .field("has_credentials", &self.credentials.is_some())
            .finish()
    }
}

impl Authenticator for CryptoPocketAuth {
    const PROVIDER: &'static str = "cryptopocket";

    fn authenticate(
        &self,
        request: &mut Request,
        operation: &OperationMeta,
    ) -> Result<(), AuthError> {
        if !operation.authenticated {
            return Ok(());
        }
        if let Some(value) = self.token.header(Self::PROVIDER, "")? {
            request
                .headers_mut()
                .insert(HeaderName::from_static("auth"), value);
        }
        Ok(())
    }

    async fn ensure(&self, http: &reqwest::Client, base_url: &str) -> Result<(), Error> {
        let Some(credentials) = &self.credentials else {
            return Ok(());
        };
        if self.token.is_fresh() {
            return Ok(());
        }
        let _login = self.token.login.lock().await;
        if self.token.is_fresh() {
            return Ok(()); // another call logged in while this one waited
        }
        let body = json!({
            "api_key": credentials.0.expose_secret(),
            "api_secret": credentials.1.expose_secret(),
        });
        let answer = login_request(
            Self::PROVIDER,
            "authenticate",
            http,
            format!("{base_url}/authenticate"),
            body,
            &[],
        )
        .await?;
        let token = token_in(
            &answer,
            &[
                "/data/token",
                "/token",
                "/data/access_token",
                "/access_token",
            ],
        )
        .ok_or_else(|| {
            Error::new(Self::PROVIDER, "authenticate", ErrorKind::Undecodable)
                .with_detail("no token found in the /authenticate answer")
        })?;
        self.token.set(token.into(), None);
        Ok(())
    }

    fn invalidate(&self) -> bool {
        // A fixed token (no credentials) is kept: there is nothing to replace it with.
        if self.credentials.is_none() {
            return false;
        }
        self.token.clear();
        true
    }

    /// CryptoPocket business error codes (https://api-doc.cryptopocket.io/create-payment-intend-4200039e0).
    fn business_error_kind(&self, code: &str) -> ErrorKind {
        match code {
            "authorization_incorrect" => ErrorKind::Authentication,
            "user_already_exists" => ErrorKind::Conflict,
            "user_not_found" | "payment_not_found" => ErrorKind::NotFound,
            "invalid_params" | "missing_params" | "email_not_allowed" | "invalid_file" => {
                ErrorKind::InvalidInput
            }
            _ => ErrorKind::Business,
        }
    }
}

/// Kriptomat's partner login: e-mail, password, OAuth client id and secret, and the TOTP secret of
/// the partner account's authenticator (base32, as shown when the authenticator was set up).
#[derive(Clone)]
pub struct KriptomatCredentials {
    pub email: SecretString,
    pub password: SecretString,
    pub client_id: i64,
    pub client_secret: SecretString,
    pub totp_secret_base32: SecretString,
}

impl fmt::Debug for KriptomatCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KriptomatCredentials")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// Kriptomat: `Authorization: Bearer <token>` from the partner login, plus the
/// `X-Requested-With: XMLHttpRequest` header every Kriptomat call carries.
///
/// Built [`with_credentials`](Self::with_credentials), the client logs in (computing the 6-digit code
/// from the TOTP secret) on first use and renews the token a minute before it expires (tokens last
/// about an hour; `expires_in` from the login answer is used when given).
#[derive(Clone, Default)]
pub struct KriptomatAuth {
    bearer: SharedToken,
    credentials: Option<Arc<KriptomatCredentials>>,
    clock: Option<fn() -> u64>,
}

/// Renew this long before the token expires.
const RENEWAL_MARGIN: Duration = Duration::from_secs(60);
/// Kriptomat tokens last about an hour when the login answer does not say.
const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

impl KriptomatAuth {
    /// No token and no credentials: only the partner login can be called.
    pub fn new() -> Self {
        Self::default()
    }

    /// Logs in (and renews) with the partner credentials.
    pub fn with_credentials(credentials: KriptomatCredentials) -> Self {
        Self {
            credentials: Some(Arc::new(credentials)),
            ..Self::default()
        }
    }

    /// A fixed bearer token (no login, no renewal).
    pub fn with_bearer(token: impl Into<SecretString>) -> Self {
        let auth = Self::default();
        auth.set_bearer(token);
        auth
    }

    /// Replaces the clock (Unix seconds) used for the TOTP code; for tests.
    pub fn with_clock(mut self, clock: fn() -> u64) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Stores a bearer token for every clone of the client.
    pub fn set_bearer(&self, token: impl Into<SecretString>) {
        self.bearer.set(token.into(), None);
    }

    /// Forgets the bearer token.
    pub fn clear_bearer(&self) {
        self.bearer.clear();
    }

    /// Whether a bearer token is held.
    pub fn has_bearer(&self) -> bool {
        self.bearer.is_set()
    }

    /// The 6-digit authenticator code for `unix_seconds` (RFC 6238, SHA-1, 30-second steps).
    pub fn totp_code(totp_secret_base32: &SecretString, unix_seconds: u64) -> Option<String> {
        let secret = totp_rs::Secret::Encoded(totp_secret_base32.expose_secret().to_owned())
            .to_bytes()
            .ok()?;
        Some(
            totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, secret)
                .generate(unix_seconds),
        )
    }
}

impl fmt::Debug for KriptomatAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KriptomatAuth")
            .field("has_bearer", &self.has_bearer())
            .field("has_credentials", &self.credentials.is_some())
            .finish()
    }
}

impl Authenticator for KriptomatAuth {
    const PROVIDER: &'static str = "kriptomat";

    fn authenticate(
        &self,
        request: &mut Request,
        operation: &OperationMeta,
    ) -> Result<(), AuthError> {
        let headers = request.headers_mut();
        headers.insert(
            HeaderName::from_static("x-requested-with"),
            HeaderValue::from_static("XMLHttpRequest"),
        );
        if operation.authenticated
            && let Some(value) = self.bearer.header(Self::PROVIDER, "Bearer ")?
        {
            headers.insert(reqwest::header::AUTHORIZATION, value);
        }
        Ok(())
    }

    async fn ensure(&self, http: &reqwest::Client, base_url: &str) -> Result<(), Error> {
        let Some(c) = &self.credentials else {
            return Ok(());
        };
        if self.bearer.is_fresh() {
            return Ok(());
        }
        let _login = self.bearer.login.lock().await;
        if self.bearer.is_fresh() {
            return Ok(());
        }
        let now = self.clock.map_or_else(unix_seconds, |clock| clock());
        let code = Self::totp_code(&c.totp_secret_base32, now).ok_or_else(|| {
            Error::new(Self::PROVIDER, "login", ErrorKind::Configuration)
                .with_detail("the TOTP secret is not valid base32")
        })?;
        let body = json!({
            "email": c.email.expose_secret(),
            "password": c.password.expose_secret(),
            "client_id": c.client_id,
            "client_secret": c.client_secret.expose_secret(),
            "security_code": code,
        });
        let url = format!("{base_url}/api/v1/partners/auth/login");
        let answer = login_request(
            Self::PROVIDER,
            "login",
            http,
            url,
            body,
            &[("x-requested-with", "XMLHttpRequest")],
        )
        .await?;
        let token =
            token_in(&answer, &["/access_token", "/data/access_token"]).ok_or_else(|| {
                Error::new(Self::PROVIDER, "login", ErrorKind::Undecodable)
                    .with_detail("no access_token in the login answer")
            })?;
        let lifetime = ["/expires_in", "/data/expires_in"]
            .iter()
            .find_map(|p| answer.pointer(p).and_then(Value::as_u64))
            .map_or(DEFAULT_TOKEN_LIFETIME, Duration::from_secs);
        let renew_at = Instant::now() + lifetime.saturating_sub(RENEWAL_MARGIN);
        self.bearer.set(token.into(), Some(renew_at));
        Ok(())
    }

    fn invalidate(&self) -> bool {
        if self.credentials.is_none() {
            return false;
        }
        self.bearer.clear();
        true
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
    const PROVIDER: &'static str = "sumsub";

    fn authenticate(&self, request: &mut Request, _: &OperationMeta) -> Result<(), AuthError> {
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
        let token = sensitive_header(Self::PROVIDER, "app token", self.app_token.expose_secret())?;
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
    use crate::meta::Confidence;

    const OP: OperationMeta = OperationMeta {
        id: "op",
        method: "GET",
        path: "/a",
        confidence: Confidence::Confirmed,
        source: "https://docs.example",
        idempotent: true,
        authenticated: true,
    };
    const LOGIN: OperationMeta = OperationMeta {
        authenticated: false,
        ..OP
    };

    fn request(method: reqwest::Method, url: &str) -> Request {
        Request::new(method, url.parse().unwrap())
    }

    #[test]
    fn static_keys_and_tokens_land_in_their_headers() {
        let mut r = request(reqwest::Method::GET, "https://x.test/a");
        apply(&CrossmintAuth::new("sk_staging_1".to_owned()), &mut r, &OP).unwrap();
        assert_eq!(r.headers()["x-api-key"], "sk_staging_1");
        assert!(r.headers()["x-api-key"].is_sensitive());

        let mut r = request(reqwest::Method::GET, "https://x.test/a");
        apply(&LeapAuth::new("leap-key".to_owned()), &mut r, &OP).unwrap();
        assert_eq!(r.headers()["api_key"], "leap-key");

        let cp = CryptoPocketAuth::new();
        let mut r = request(reqwest::Method::POST, "https://x.test/registerUser");
        apply(&cp, &mut r, &OP).unwrap();
        assert!(r.headers().get("auth").is_none());
        cp.clone().set_token("tok123".to_owned());
        let mut r = request(reqwest::Method::POST, "https://x.test/registerUser");
        apply(&cp, &mut r, &OP).unwrap();
        assert_eq!(r.headers()["auth"], "tok123");
        let mut r = request(reqwest::Method::POST, "https://x.test/authenticate");
        apply(&cp, &mut r, &LOGIN).unwrap();
        assert!(
            r.headers().get("auth").is_none(),
            "the login call never carries the old token"
        );

        let k = KriptomatAuth::with_bearer("eyJ0".to_owned());
        let mut r = request(reqwest::Method::GET, "https://x.test/u");
        apply(&k, &mut r, &OP).unwrap();
        assert_eq!(r.headers()["authorization"], "Bearer eyJ0");
        assert_eq!(r.headers()["x-requested-with"], "XMLHttpRequest");
        let mut r = request(reqwest::Method::POST, "https://x.test/login");
        apply(&k, &mut r, &LOGIN).unwrap();
        assert!(r.headers().get("authorization").is_none());
        assert_eq!(r.headers()["x-requested-with"], "XMLHttpRequest");
    }

    #[test]
    fn totp_matches_the_rfc_6238_vector() {
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890" (base32 below), T = 59 s → 94287082
        // with 8 digits; the 6-digit code is its last six digits.
        let secret = SecretString::from("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".to_owned());
        assert_eq!(
            KriptomatAuth::totp_code(&secret, 59).as_deref(),
            Some("287082")
        );
        assert_eq!(
            KriptomatAuth::totp_code(&secret, 1_111_111_109).as_deref(),
            Some("081804")
        );
        assert!(
            KriptomatAuth::totp_code(&SecretString::from("not base32 !".to_owned()), 59).is_none()
        );
    }

    #[test]
    fn debug_never_prints_secrets() {
        let all = format!(
            "{:?} {:?} {:?} {:?} {:?} {:?}",
            CrossmintAuth::new("sk_staging_SECRET".to_owned()),
            LeapAuth::new("SECRETLEAP".to_owned()),
            CryptoPocketAuth::with_token("SECRETTOKEN".to_owned()),
            CryptoPocketAuth::with_credentials("SECRETKEY".to_owned(), "SECRETSECRET".to_owned()),
            KriptomatAuth::with_bearer("SECRETBEARER".to_owned()),
            SumsubAuth::new("SECRETAPP".to_owned(), "SECRETKEY".to_owned()),
        );
        assert!(!all.contains("SECRET"), "{all}");
    }
}
