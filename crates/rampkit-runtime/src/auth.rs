//! What every provider's credentials share: the [`Authenticator`] trait the generated clients and
//! [`crate::call`] drive, the [`TokenCache`] of providers that log in, and the login request helper.
//! Each provider's own credentials live in its crate (`rampkit_<provider>::auth`).
//!
//! Each generated client carries a [`crate::Context`] around its provider's credentials; its `pre` hook
//! calls [`apply`] on every request just before it is sent, and [`crate::call`] calls
//! [`Authenticator::ensure`] before each attempt so that a token is obtained (once, shared by concurrent
//! calls) or renewed before it expires. Secrets are held in [`secrecy::SecretString`], header values are
//! marked sensitive, and every `Debug` prints only which credentials are present.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use reqwest::Request;
use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};
use serde_json::Value;

use crate::error::{DecodeError, TransportError};
use crate::meta::OperationMeta;
use crate::rate_limit::RateLimits;
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

/// A header value marked sensitive (never printed by `reqwest`/`http` `Debug`), for a credential.
pub fn sensitive_header(
    provider: &'static str,
    credential: &'static str,
    value: &str,
) -> Result<HeaderValue, AuthError> {
    sensitive(HeaderValue::from_str(value), provider, credential)
}

fn sensitive(
    value: Result<HeaderValue, reqwest::header::InvalidHeaderValue>,
    provider: &'static str,
    credential: &'static str,
) -> Result<HeaderValue, AuthError> {
    let mut value = value.map_err(|_| AuthError::InvalidHeaderValue {
        provider,
        credential,
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// A credential that never changes (an API key) as a sensitive header value, built once for every request
/// to share: a clone shares the one buffer instead of copying the key into each request, and that buffer
/// is zeroized when the last request or client holding it is dropped. A key a header cannot carry is kept
/// as the error every call reports, before anything is sent.
#[derive(Clone)]
pub struct SharedHeader(Result<HeaderValue, AuthError>);

impl SharedHeader {
    /// The header value of `secret`, for `provider`'s `credential` (named in the error, never the value).
    pub fn new(provider: &'static str, credential: &'static str, secret: &SecretString) -> Self {
        /// The key's bytes, zeroized on drop.
        struct Owned(secrecy::SecretSlice<u8>);
        impl AsRef<[u8]> for Owned {
            fn as_ref(&self) -> &[u8] {
                self.0.expose_secret()
            }
        }
        let owned = Owned(secret.expose_secret().as_bytes().to_vec().into());
        let bytes = bytes::Bytes::from_owner(owned);
        Self(sensitive(
            HeaderValue::from_maybe_shared(bytes),
            provider,
            credential,
        ))
    }

    /// The value to put in a request (a clone sharing the one buffer), or why it cannot be sent.
    pub fn value(&self) -> Result<HeaderValue, AuthError> {
        self.0.clone()
    }
}

impl fmt::Debug for SharedHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(crate::REDACTED)
    }
}

/// A token as one call holds it: the token it sends, and which login produced it (so that a rejection
/// forgets that token only).
#[derive(Clone)]
pub struct TokenLease {
    token: Arc<SecretString>,
    generation: u64,
}

impl TokenLease {
    /// The token as a sensitive header value, after `prefix` (`"Bearer "`, or nothing).
    pub fn header(&self, provider: &'static str, prefix: &str) -> Result<HeaderValue, AuthError> {
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

/// A token obtained by a login call, shared by every clone of the client: the token cache a provider's
/// credentials keep. It hands each call a [`TokenLease`], logs in once for every call waiting, shares a
/// failed login with the calls that waited for it (and those within its backoff), and forgets only the
/// token that was rejected.
#[derive(Clone)]
pub struct TokenCache {
    state: Arc<RwLock<TokenState>>,
    /// Serialises logins: N concurrent calls wait for one login instead of sending N.
    login: Arc<tokio::sync::Mutex<()>>,
    backoff: (Duration, Duration),
}

impl Default for TokenCache {
    fn default() -> Self {
        Self {
            state: Arc::default(),
            login: Arc::default(),
            backoff: (LOGIN_BACKOFF, LOGIN_BACKOFF_MAX),
        }
    }
}

impl TokenCache {
    /// Replaces the backoff between failed logins (default 0.5 s, doubling up to 30 s).
    pub fn set_backoff(&mut self, initial: Duration, max: Duration) {
        self.backoff = (initial, max);
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, TokenState> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, TokenState> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Stores a token (renewed after `renew_at`, if given) and returns its lease.
    pub fn set(&self, token: SecretString, renew_at: Option<Instant>) -> TokenLease {
        let mut state = self.write();
        state.token = Some(Arc::new(token));
        state.generation += 1;
        state.renew_at = renew_at;
        state.failure = None;
        state.lease().expect("just set")
    }

    /// Forgets the token.
    pub fn clear(&self) {
        let mut state = self.write();
        state.token = None;
        state.renew_at = None;
    }

    /// Whether a token is held.
    pub fn is_set(&self) -> bool {
        self.read().token.is_some()
    }

    /// The current token, fresh or not.
    pub fn lease(&self) -> Option<TokenLease> {
        self.read().lease()
    }

    /// Forgets the token of `lease` if it is still the current one.
    pub fn reject(&self, lease: Option<&TokenLease>) {
        let mut state = self.write();
        if lease.is_some_and(|l| l.generation == state.generation) {
            state.token = None;
            state.renew_at = None;
        }
    }

    /// A fresh token: the current one, or one obtained by `login` — once for every call waiting, with
    /// a failed login's error shared by the calls that waited for it and by those arriving within its
    /// backoff.
    pub async fn obtain<F, Fut>(&self, login: F) -> Result<TokenLease, Error>
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
pub async fn login_request(
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

/// The first string found at one of `pointers` (JSON pointers) in a login answer.
pub fn token_in(value: &Value, pointers: &[&str]) -> Option<String> {
    pointers
        .iter()
        .find_map(|p| value.pointer(p).and_then(Value::as_str))
        .map(str::to_owned)
}

/// Seconds since the Unix epoch (0 before it).
pub fn unix_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejection_forgets_only_the_rejected_token() {
        let shared = TokenCache::default();
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
}
