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
use std::time::{SystemTime, UNIX_EPOCH};

use reqwest::Request;
use serde_json::Value;

use crate::attempt::{Captured, current_lease};
use crate::body_limits::BodyLimits;
use crate::classify::{
    followed_redirect, from_response, not_built, too_large, vendor_code_and_message,
};
use crate::error::{DecodeError, Error, ErrorKind, TransportError};
use crate::meta::OperationMeta;
use crate::rate_limit::RateLimits;
use crate::response::{Read, read_limited, same_origin};

pub use crate::credential::{AuthError, SharedHeader, sensitive_header};
pub use crate::token::{TokenCache, TokenLease};

/// A provider's credentials and the provider rules that go with them.
pub trait Authenticator: fmt::Debug + Clone + Send + Sync + 'static {
    /// Provider name, as in errors and traces.
    const PROVIDER: &'static str;

    /// The headers that carry this provider's credentials or signatures (lower case), so that a tool
    /// printing requests masks them without a list of its own.
    const CREDENTIAL_HEADERS: &'static [&'static str];

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

    /// The vendor's error codes that say the resource already exists, answered with a client-error
    /// status (4xx, not 429): an error carrying one is [`ErrorKind::Conflict`] whatever its status, so
    /// that "already exists" has one meaning across providers. The provider crate lists its vendor's
    /// documented codes; none by default.
    const CONFLICT_CODES: &'static [&'static str] = &[];

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
    let lease = current_lease();
    auth.authenticate(request, operation, lease.as_ref())
}

/// Sends a login request and returns the JSON answer, mapping failures to [`Error`]s that carry no
/// secret and no body in their `Display`. The answer is read like a call's, with the default
/// [`BodyLimits`]; an answer from another host (a redirect the caller's client followed) is refused.
pub async fn login_request(
    provider: &'static str,
    operation: &'static str,
    http: &reqwest::Client,
    url: String,
    body: Value,
    extra_headers: &[(&'static str, &'static str)],
) -> Result<Value, Error> {
    let mut request = http.post(url.as_str()).json(&body);
    for (name, value) in extra_headers {
        request = request.header(*name, *value);
    }
    // Built first: a base URL that is not one is a configuration error, not a network failure.
    let request = request
        .build()
        .map_err(|e| not_built(provider, operation, &url, e))?;
    let sent = request.url().clone();
    let mut response = http.execute(request).await.map_err(|e| {
        if e.is_builder() {
            return not_built(provider, operation, &url, e);
        }
        Error::new(provider, operation, ErrorKind::Transient).with_source(TransportError::from(e))
    })?;
    if !same_origin(&sent, response.url()) {
        let host = response.url().host_str().map(str::to_owned);
        return Err(followed_redirect(provider, operation, host));
    }
    let status = response.status().as_u16();
    if (300..400).contains(&status) {
        let answer = Captured {
            status,
            headers: response.headers().clone(),
            body: bytes::Bytes::new(),
            truncated: false,
        };
        return Err(from_response(provider, operation, false, answer));
    }
    let success = (200..300).contains(&status);
    let limits = BodyLimits::default();
    let limit = if success {
        limits.success
    } else {
        limits.error
    };
    let read = read_limited(&mut response, limit).await.map_err(|e| {
        Error::new(provider, operation, ErrorKind::Transient)
            .with_status(status)
            .with_source(TransportError::from(e))
    })?;
    let (bytes, truncated) = match read {
        Read::Whole(bytes) => (bytes, false),
        Read::Over(_) if success => return Err(too_large(provider, operation, status)),
        Read::Over(start) => (start, true),
    };
    let with_body = |error: Error, bytes: bytes::Bytes| {
        if truncated {
            error.with_truncated_body(bytes)
        } else {
            error.with_raw_body(bytes)
        }
    };
    let value: Value = match serde_json::from_slice(&bytes) {
        Ok(value) => value,
        Err(e) => {
            let error = Error::new(provider, operation, ErrorKind::Undecodable)
                .with_status(status)
                .with_source(DecodeError::from(&e));
            return Err(with_body(error, bytes));
        }
    };
    let business_error = value.get("status").and_then(Value::as_str) == Some("error");
    if !success || business_error {
        let (code, message) = vendor_code_and_message(&value);
        let kind = if (500..600).contains(&status) {
            ErrorKind::Server
        } else {
            ErrorKind::Authentication
        };
        let error = Error::new(provider, operation, kind)
            .with_status(status)
            .with_vendor(code, message)
            .with_detail("login failed");
        return Err(with_body(error, bytes));
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
