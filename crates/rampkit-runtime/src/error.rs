//! The one error type callers of every rampkit client see.

use std::fmt;

use bytes::Bytes;

/// What kind of failure happened — decides whether a caller (or the runtime) may retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request was rejected as malformed or invalid (HTTP 400, 422, other 4xx).
    InvalidInput,
    /// Credentials missing, wrong or expired (HTTP 401/403, CryptoPocket `authorization_incorrect`,
    /// a failed login).
    Authentication,
    /// The resource does not exist (HTTP 404).
    NotFound,
    /// A conflicting or duplicate resource (HTTP 409, CryptoPocket `user_already_exists`).
    Conflict,
    /// Too many requests (HTTP 429).
    RateLimited,
    /// The network failed before an answer arrived, and repeating the request is safe: nothing was sent
    /// (connection refused, DNS, TLS handshake), or the operation is idempotent.
    Transient,
    /// A non-idempotent request (a registration, a payment) may have been processed by the vendor, but
    /// no answer says so: a timeout or a reset after the request was written, or a gateway's HTTP
    /// 502/504. Never retried by rampkit and not retryable: look the resource up at the vendor (e.g.
    /// find the customer by e-mail) before sending it again. See [`Error::outcome_unknown`].
    OutcomeUnknown,
    /// The vendor answered with a redirect (HTTP 3xx). rampkit follows none: a redirect would carry
    /// credentials and personal data to another host. The error names the target host (never its path
    /// or query): check the base URL.
    Redirect,
    /// The vendor failed (HTTP 5xx).
    Server,
    /// The vendor answered something that does not decode into the spec's type.
    Undecodable,
    /// The vendor answered with success status but a business error in the body (CryptoPocket's HTTP 200
    /// `{"status":"error","error":"…"}`).
    Business,
    /// The client is misconfigured (no such environment for this provider, bad base URL).
    Configuration,
}

impl ErrorKind {
    /// Whether the same request may succeed if sent again later.
    pub const fn is_retryable(self) -> bool {
        matches!(self, Self::RateLimited | Self::Transient | Self::Server)
    }

    /// A stable name, as in the `error.type` field of traces: `invalid_input`, `authentication`,
    /// `not_found`, `conflict`, `rate_limited`, `transient`, `outcome_unknown`, `redirect`, `server`,
    /// `undecodable`, `business`, `configuration`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::InvalidInput => "invalid_input",
            Self::Authentication => "authentication",
            Self::NotFound => "not_found",
            Self::Conflict => "conflict",
            Self::RateLimited => "rate_limited",
            Self::Transient => "transient",
            Self::OutcomeUnknown => "outcome_unknown",
            Self::Redirect => "redirect",
            Self::Server => "server",
            Self::Undecodable => "undecodable",
            Self::Business => "business",
            Self::Configuration => "configuration",
        }
    }

    const fn describe(self) -> &'static str {
        match self {
            Self::InvalidInput => "invalid input",
            Self::Authentication => "authentication failed",
            Self::NotFound => "not found",
            Self::Conflict => "conflict",
            Self::RateLimited => "rate limited",
            Self::Transient => "transient network failure",
            Self::OutcomeUnknown => {
                "outcome unknown: the vendor may have processed the request; look it up before sending it again"
            }
            Self::Redirect => "redirect not followed",
            Self::Server => "vendor server error",
            Self::Undecodable => "undecodable response",
            Self::Business => "vendor business rule",
            Self::Configuration => "configuration error",
        }
    }
}

/// A failed call to a provider.
///
/// `Display` names the provider, the operation, the kind, the HTTP status and the vendor's error code —
/// never a response body, a header value, a credential or a personal value. The vendor's message (which
/// may echo what was sent) is available through [`Error::vendor_message`], and the raw response body
/// only through [`Error::raw_body`]; log neither without thought.
///
/// `source()` keeps the chain: the transport error (with its URL removed, since a path may carry an
/// e-mail locator) or a [`DecodeError`] (position and category only, never the offending value).
#[derive(Clone)]
pub struct Error(Box<Inner>);

#[derive(Clone)]
struct Inner {
    provider: &'static str,
    operation: &'static str,
    kind: ErrorKind,
    status: Option<u16>,
    vendor_code: Option<String>,
    vendor_message: Option<String>,
    raw_body: Option<Bytes>,
    retry_after: Option<std::time::Duration>,
    attempts: u32,
    detail: Option<&'static str>,
    redirect_host: Option<String>,
    source: Option<std::sync::Arc<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// A new error of `kind` for `provider`'s `operation`.
    pub fn new(provider: &'static str, operation: &'static str, kind: ErrorKind) -> Self {
        Self(Box::new(Inner {
            provider,
            operation,
            kind,
            status: None,
            vendor_code: None,
            vendor_message: None,
            raw_body: None,
            retry_after: None,
            attempts: 1,
            detail: None,
            redirect_host: None,
            source: None,
        }))
    }

    /// Adds a fixed explanation (static text, never data) shown in `Display`.
    pub fn with_detail(mut self, detail: &'static str) -> Self {
        self.0.detail = Some(detail);
        self
    }

    /// Decodes the raw body as the operation's error type (e.g. `types::ErrorResponse`).
    pub fn vendor_body<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(self.0.raw_body.as_ref()?).ok()
    }

    pub(crate) fn with_status(mut self, status: u16) -> Self {
        self.0.status = Some(status);
        self
    }

    pub(crate) fn with_vendor(mut self, code: Option<String>, message: Option<String>) -> Self {
        self.0.vendor_code = code;
        self.0.vendor_message = message;
        self
    }

    pub(crate) fn with_raw_body(mut self, body: Bytes) -> Self {
        self.0.raw_body = Some(body);
        self
    }

    pub(crate) fn with_retry_after(mut self, after: Option<std::time::Duration>) -> Self {
        self.0.retry_after = after;
        self
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.0.attempts = attempts;
        self
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        self.0.source = Some(std::sync::Arc::new(source));
        self
    }

    pub(crate) fn with_redirect_host(mut self, host: Option<String>) -> Self {
        self.0.redirect_host = host;
        self
    }

    /// The provider (`crossmint`, `cryptopocket`, …).
    pub fn provider(&self) -> &'static str {
        self.0.provider
    }

    /// The operation id from the spec (`upsert_user`, …).
    pub fn operation(&self) -> &'static str {
        self.0.operation
    }

    /// What kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        self.0.status
    }

    /// The vendor's error code (`user_already_exists`, `authorization_incorrect`, …), when it gives one.
    pub fn vendor_code(&self) -> Option<&str> {
        self.0.vendor_code.as_deref()
    }

    /// The vendor's error message. It may repeat personal data that was sent: it is never part of
    /// `Display` or `Debug`; log it only where personal data may go.
    pub fn vendor_message(&self) -> Option<&str> {
        self.0.vendor_message.as_deref()
    }

    /// The response body exactly as received (an HTML page from a gateway, an empty body, vendor fields
    /// outside the spec). It may contain personal data: it is never part of `Display` or `Debug`.
    pub fn raw_body(&self) -> Option<&Bytes> {
        self.0.raw_body.as_ref()
    }

    /// The vendor's `Retry-After`, when it sent one.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.0.retry_after
    }

    /// How many times the request was sent.
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }

    /// Whether sending the same request later may succeed — and is safe: never for
    /// [`outcome_unknown`](Self::outcome_unknown) errors.
    pub fn is_retryable(&self) -> bool {
        self.0.kind.is_retryable()
    }

    /// Whether the vendor may have carried out the request although no answer says so
    /// ([`ErrorKind::OutcomeUnknown`]). What to do for each kind of failure:
    ///
    /// - nothing was sent ([`ErrorKind::Transient`] on a non-idempotent call: connection refused, DNS,
    ///   TLS): sending again is safe;
    /// - outcome unknown (this): look the resource up at the vendor before sending again (CryptoPocket
    ///   find user, Leap get user token, Kriptomat show user; Crossmint's user PUT is idempotent);
    /// - a vendor answer (every other kind, with its status): act on the kind.
    pub fn outcome_unknown(&self) -> bool {
        self.0.kind == ErrorKind::OutcomeUnknown
    }

    /// For [`ErrorKind::Redirect`]: the host the vendor redirected to, when it named one.
    pub fn redirect_host(&self) -> Option<&str> {
        self.0.redirect_host.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {}",
            self.0.provider,
            self.0.operation,
            self.0.kind.describe()
        )?;
        if let Some(status) = self.0.status {
            write!(f, " (HTTP {status}")?;
            if let Some(code) = &self.0.vendor_code {
                write!(f, ", vendor code `{code}`")?;
            }
            f.write_str(")")?;
        } else if let Some(code) = &self.0.vendor_code {
            write!(f, " (vendor code `{code}`)")?;
        }
        if let Some(host) = &self.0.redirect_host {
            write!(f, " to host {host}")?;
        }
        if self.0.attempts > 1 {
            write!(f, " after {} attempts", self.0.attempts)?;
        }
        if let Some(detail) = self.0.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("provider", &self.0.provider)
            .field("operation", &self.0.operation)
            .field("kind", &self.0.kind)
            .field("status", &self.0.status)
            .field("vendor_code", &self.0.vendor_code)
            .field(
                "vendor_message",
                &self.0.vendor_message.as_ref().map(|_| crate::pii::REDACTED),
            )
            .field(
                "raw_body",
                &self
                    .0
                    .raw_body
                    .as_ref()
                    .map(|b| format!("[{} bytes]", b.len())),
            )
            .field("attempts", &self.0.attempts)
            .field("detail", &self.0.detail)
            .field("redirect_host", &self.0.redirect_host)
            .field("source", &self.0.source)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Why a response did not decode: where and what category, never the value that failed
/// (serde_json's own message quotes it, and it may be a passport number).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("response body does not match the spec ({category} error at line {line}, column {column})")]
pub struct DecodeError {
    /// `syntax`, `data` (a value of the wrong type or shape), `eof` or `io`.
    pub category: &'static str,
    pub line: usize,
    pub column: usize,
}

impl From<&serde_json::Error> for DecodeError {
    fn from(e: &serde_json::Error) -> Self {
        let category = match e.classify() {
            serde_json::error::Category::Io => "io",
            serde_json::error::Category::Syntax => "syntax",
            serde_json::error::Category::Data => "data",
            serde_json::error::Category::Eof => "eof",
        };
        Self {
            category,
            line: e.line(),
            column: e.column(),
        }
    }
}

#[cfg(feature = "client")]
/// A transport failure, without the URL (its path may carry an e-mail or phone locator).
#[derive(Debug, thiserror::Error)]
#[error("{kind}")]
pub struct TransportError {
    kind: &'static str,
    #[source]
    source: reqwest::Error,
}

#[cfg(feature = "client")]
impl From<reqwest::Error> for TransportError {
    fn from(e: reqwest::Error) -> Self {
        let kind = if e.is_timeout() {
            "request timed out"
        } else if e.is_connect() {
            "could not connect"
        } else if e.is_body() || e.is_decode() {
            "response body could not be read"
        } else {
            "request failed"
        };
        Self {
            kind,
            source: e.without_url(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_the_call_and_never_the_message_or_body() {
        let e = Error::new("vendor", "register_user", ErrorKind::Conflict)
            .with_status(200)
            .with_vendor(
                Some("user_already_exists".into()),
                Some("juan@example.com already exists".into()),
            )
            .with_raw_body(Bytes::from_static(b"{\"email\":\"juan@example.com\"}"));
        assert_eq!(
            e.to_string(),
            "vendor register_user: conflict (HTTP 200, vendor code `user_already_exists`)"
        );
        let debug = format!("{e:?}");
        assert!(!debug.contains("juan"), "{debug}");
        assert_eq!(e.vendor_message(), Some("juan@example.com already exists"));
        assert!(e.raw_body().unwrap().starts_with(b"{\"email\""));
    }

    #[test]
    fn decode_errors_keep_position_not_value() {
        let err = serde_json::from_str::<u32>("\"12345678Z\"").unwrap_err();
        assert!(
            err.to_string().contains("12345678Z"),
            "serde_json quotes the value: {err}"
        );
        let safe = DecodeError::from(&err);
        assert!(!safe.to_string().contains("12345678Z"));
        assert_eq!(safe.category, "data");
    }
}
