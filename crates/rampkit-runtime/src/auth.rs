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
use crate::rate_limit::{RateLimit, RateLimits};
use crate::{Error, ErrorKind};

/// A provider's credentials and the provider rules that go with them.
pub trait Authenticator: fmt::Debug + Clone + Send + Sync + 'static {
    /// Provider name, as in errors and traces.
    const PROVIDER: &'static str;

    /// Adds the credentials (headers or signature) to `request` for `operation`. `token` is the token
    /// [`ensure`](Self::ensure) leased for this attempt; an authenticated operation of a provider that
    /// needs a token is refused without one, never sent without credentials.
    fn authenticate(
        &self,
        request: &mut Request,
        operation: &OperationMeta,
        token: Option<&TokenLease>,
    ) -> Result<(), AuthError>;

    /// Obtains or renews a token before a call, when the credentials need one, and returns the token
    /// the call is to send. Concurrent calls share one login; a failed login is shared by the calls
    /// that waited for it, and the next login waits for a backoff.
    fn ensure(
        &self,
        http: &reqwest::Client,
        base_url: &str,
    ) -> impl Future<Output = Result<Option<TokenLease>, Error>> + Send {
        let _ = (http, base_url);
        async { Ok(None) }
    }

    /// Forgets `token`, which the vendor rejected — only that token: one another call obtained since
    /// is kept. Returns whether a new login is possible (so the call may be sent once more).
    fn invalidate(&self, token: Option<&TokenLease>) -> bool {
        let _ = token;
        false
    }

    /// The kind of a business error code the vendor returns with a success status.
    fn business_error_kind(&self, code: &str) -> ErrorKind {
        let _ = code;
        ErrorKind::Business
    }

    /// The vendor's documented rate limits, enforced client-side by default
    /// ([`crate::Context::with_rate_limits`] replaces them). None unless the vendor documents some.
    fn default_rate_limits() -> RateLimits {
        RateLimits::none()
    }
}

/// Attaches credentials: the generated `pre` hook calls this for every request, with the token
/// [`crate::call`] leased for the attempt.
pub fn apply<A: Authenticator>(
    auth: &A,
    request: &mut Request,
    operation: &OperationMeta,
) -> Result<(), AuthError> {
    let lease = crate::call::current_lease();
    auth.authenticate(request, operation, lease.as_ref())
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
    /// An authenticated operation with no token to send (no credentials to log in with, or no token
    /// set): the request is not sent.
    #[error("{provider}: no token for an authenticated call; it was not sent")]
    MissingToken {
        /// Provider name.
        provider: &'static str,
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

/// A token as one call holds it: the token it sends, and which login produced it (so that a rejection
/// forgets that token only).
#[derive(Clone)]
pub struct TokenLease {
    token: Arc<SecretString>,
    generation: u64,
}

impl TokenLease {
    fn header(&self, provider: &'static str, prefix: &str) -> Result<HeaderValue, AuthError> {
        let secret = self.token.expose_secret();
        let mut text = String::with_capacity(prefix.len() + secret.len());
        text.push_str(prefix);
        text.push_str(secret);
        sensitive_header(provider, "token", &text)
    }
}

impl fmt::Debug for TokenLease {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenLease")
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

/// Backoff between failed logins: the first retry after `LOGIN_BACKOFF`, doubling up to
/// `LOGIN_BACKOFF_MAX`.
const LOGIN_BACKOFF: Duration = Duration::from_millis(500);
const LOGIN_BACKOFF_MAX: Duration = Duration::from_secs(30);

/// The last failed login: its error is what the calls waiting for it, and the calls within its backoff,
/// get.
struct LoginFailure {
    error: Error,
    retry_at: Instant,
    consecutive: u32,
}

/// A token obtained by a login call, shared by every clone of the client.
#[derive(Default)]
struct TokenState {
    token: Option<Arc<SecretString>>,
    /// Incremented by each new token.
    generation: u64,
    /// When the token should be renewed.
    renew_at: Option<Instant>,
    /// Incremented by each failed login.
    failures: u64,
    failure: Option<LoginFailure>,
}

impl TokenState {
    fn lease(&self) -> Option<TokenLease> {
        self.token.as_ref().map(|token| TokenLease {
            token: token.clone(),
            generation: self.generation,
        })
    }

    fn fresh_lease(&self) -> Option<TokenLease> {
        self.lease()
            .filter(|_| self.renew_at.is_none_or(|at| Instant::now() < at))
    }
}

#[derive(Clone)]
struct SharedToken {
    state: Arc<RwLock<TokenState>>,
    /// Serialises logins: N concurrent calls wait for one login instead of sending N.
    login: Arc<tokio::sync::Mutex<()>>,
    backoff: (Duration, Duration),
}

impl Default for SharedToken {
    fn default() -> Self {
        Self {
            state: Arc::default(),
            login: Arc::default(),
            backoff: (LOGIN_BACKOFF, LOGIN_BACKOFF_MAX),
        }
    }
}

impl SharedToken {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, TokenState> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, TokenState> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }

    fn set(&self, token: SecretString, renew_at: Option<Instant>) -> TokenLease {
        let mut state = self.write();
        state.token = Some(Arc::new(token));
        state.generation += 1;
        state.renew_at = renew_at;
        state.failure = None;
        state.lease().expect("just set")
    }

    fn clear(&self) {
        let mut state = self.write();
        state.token = None;
        state.renew_at = None;
    }

    fn is_set(&self) -> bool {
        self.read().token.is_some()
    }

    fn lease(&self) -> Option<TokenLease> {
        self.read().lease()
    }

    /// Forgets the token of `lease` if it is still the current one.
    fn reject(&self, lease: Option<&TokenLease>) {
        let mut state = self.write();
        if lease.is_some_and(|l| l.generation == state.generation) {
            state.token = None;
            state.renew_at = None;
        }
    }

    /// A fresh token: the current one, or one obtained by `login` — once for every call waiting, with
    /// a failed login's error shared by the calls that waited for it and by those arriving within its
    /// backoff.
    async fn obtain<F, Fut>(&self, login: F) -> Result<TokenLease, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(SecretString, Option<Instant>), Error>>,
    {
        let failures_before = {
            let state = self.read();
            if let Some(lease) = state.fresh_lease() {
                return Ok(lease);
            }
            state.failures
        };
        let _login = self.login.lock().await;
        {
            let state = self.read();
            if let Some(lease) = state.fresh_lease() {
                return Ok(lease); // another call logged in while this one waited
            }
            if let Some(failure) = &state.failure
                && (state.failures != failures_before || Instant::now() < failure.retry_at)
            {
                // The login this call waited for failed, or the last one failed moments ago.
                return Err(failure.error.clone());
            }
        }
        match login().await {
            Ok((token, renew_at)) => Ok(self.set(token, renew_at)),
            Err(error) => {
                let mut state = self.write();
                let consecutive = state.failure.as_ref().map_or(0, |f| f.consecutive) + 1;
                let backoff = self
                    .backoff
                    .0
                    .saturating_mul(1 << (consecutive - 1).min(16))
                    .min(self.backoff.1);
                state.failures += 1;
                state.failure = Some(LoginFailure {
                    error: error.clone(),
                    retry_at: Instant::now() + backoff,
                    consecutive,
                });
                Err(error)
            }
        }
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
    if (300..400).contains(&status) {
        let headers = response.headers().clone();
        return Err(crate::call::from_response(
            provider,
            operation,
            false,
            status,
            &headers,
            bytes::Bytes::new(),
        ));
    }
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
    /// (https://docs.crossmint.com/introduction/platform/api-keys/rate-limits).
    fn default_rate_limits() -> RateLimits {
        RateLimits {
            reads: Some(RateLimit::per_minute(360)),
            writes: Some(RateLimit::per_minute(120)),
        }
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

    fn authenticate(
        &self,
        request: &mut Request,
        _: &OperationMeta,
        _: Option<&TokenLease>,
    ) -> Result<(), AuthError> {
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

    /// Replaces the backoff between failed logins (default 0.5 s, doubling up to 30 s).
    pub fn with_login_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.token.backoff = (initial, max);
        self
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
        token: Option<&TokenLease>,
    ) -> Result<(), AuthError> {
        if !operation.authenticated {
            return Ok(());
        }
        let lease =
            token
                .cloned()
                .or_else(|| self.token.lease())
                .ok_or(AuthError::MissingToken {
                    provider: Self::PROVIDER,
                })?;
        request.headers_mut().insert(
            HeaderName::from_static("auth"),
            lease.header(Self::PROVIDER, "")?,
        );
        Ok(())
    }

    async fn ensure(
        &self,
        http: &reqwest::Client,
        base_url: &str,
    ) -> Result<Option<TokenLease>, Error> {
        let Some(credentials) = &self.credentials else {
            return Ok(self.token.lease()); // a fixed token, or none
        };
        let login = || async {
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
            Ok((SecretString::from(token), None))
        };
        self.token.obtain(login).await.map(Some)
    }

    fn invalidate(&self, token: Option<&TokenLease>) -> bool {
        // A fixed token (no credentials) is kept: there is nothing to replace it with.
        if self.credentials.is_none() {
            return false;
        }
        self.token.reject(token);
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
/// about an hour; `expires_in` from the login answer is used when given; a token that lives less than
/// five minutes is renewed after four fifths of its life). When a call is refused with HTTP 401 (a
/// revoked token), the client logs in again once and repeats the call once.
#[derive(Clone, Default)]
pub struct KriptomatAuth {
    bearer: SharedToken,
    credentials: Option<Arc<KriptomatCredentials>>,
    clock: Option<fn() -> u64>,
}

/// Renew this long before the token expires (at most a fifth of the token's lifetime).
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

    /// Replaces the backoff between failed logins (default 0.5 s, doubling up to 30 s).
    pub fn with_login_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.bearer.backoff = (initial, max);
        self
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
        token: Option<&TokenLease>,
    ) -> Result<(), AuthError> {
        let headers = request.headers_mut();
        headers.insert(
            HeaderName::from_static("x-requested-with"),
            HeaderValue::from_static("XMLHttpRequest"),
        );
        if operation.authenticated {
            let lease =
                token
                    .cloned()
                    .or_else(|| self.bearer.lease())
                    .ok_or(AuthError::MissingToken {
                        provider: Self::PROVIDER,
                    })?;
            headers.insert(
                reqwest::header::AUTHORIZATION,
                lease.header(Self::PROVIDER, "Bearer ")?,
            );
        }
        Ok(())
    }

    async fn ensure(
        &self,
        http: &reqwest::Client,
        base_url: &str,
    ) -> Result<Option<TokenLease>, Error> {
        let Some(c) = &self.credentials else {
            return Ok(self.bearer.lease());
        };
        let login = || async {
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
            Ok((
                SecretString::from(token),
                Some(Instant::now() + renew_after(lifetime)),
            ))
        };
        self.bearer.obtain(login).await.map(Some)
    }

    fn invalidate(&self, token: Option<&TokenLease>) -> bool {
        if self.credentials.is_none() {
            return false;
        }
        self.bearer.reject(token);
        true
    }
}

/// When to renew a token that lasts `lifetime`: a minute before it expires, or — for tokens that last
/// less than five minutes — after four fifths of its life, so that a short-lived token still serves
/// several calls instead of one login per call.
fn renew_after(lifetime: Duration) -> Duration {
    lifetime.saturating_sub(RENEWAL_MARGIN.min(lifetime / 5))
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
        assert_eq!(
            apply(&cp, &mut r, &OP),
            Err(AuthError::MissingToken {
                provider: "cryptopocket"
            }),
            "an authenticated call is never sent without a token"
        );
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
        let cp = CryptoPocketAuth::with_credentials("k".to_owned(), "s".to_owned());
        let mut r = request(reqwest::Method::GET, "https://x.test/kyc/check");
        assert!(apply(&cp, &mut r, &OP).is_err(), "no login yet: not sent");

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
    fn short_tokens_are_renewed_at_a_fraction_of_their_life() {
        assert_eq!(
            renew_after(Duration::from_secs(3600)),
            Duration::from_secs(3540)
        );
        assert_eq!(
            renew_after(Duration::from_secs(30)),
            Duration::from_secs(24)
        );
        assert_eq!(
            renew_after(Duration::from_secs(60)),
            Duration::from_secs(48)
        );
        assert_eq!(renew_after(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn a_rejection_forgets_only_the_rejected_token() {
        let shared = SharedToken::default();
        let old = shared.set(SecretString::from("old".to_owned()), None);
        let new = shared.set(SecretString::from("new".to_owned()), None);
        shared.reject(Some(&old));
        assert_eq!(
            shared.lease().map(|l| l.generation),
            Some(new.generation),
            "a token obtained after the rejected one is kept"
        );
        shared.reject(Some(&new));
        assert!(shared.lease().is_none());
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
