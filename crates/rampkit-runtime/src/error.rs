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
    /// A conflicting or duplicate resource: HTTP 409, or a vendor code the provider crate declares as
    /// "already exists" ([`Authenticator::CONFLICT_CODES`](crate::auth::Authenticator::CONFLICT_CODES),
    /// [`Authenticator::business_error_kind`](crate::auth::Authenticator::business_error_kind)).
    Conflict,
    /// Too many requests (HTTP 429).
    RateLimited,
    /// The network failed before an answer arrived, and repeating the request is safe: nothing was sent
    /// (connection refused, DNS, TLS handshake), or the operation is idempotent.
    Transient,
    /// A non-idempotent request (a registration, a payment) may have been processed by the vendor, but
    /// no answer says so: a timeout or a reset after the request was written, or an HTTP 5xx that does
    /// not say the request was left alone (500, 502, 504 and the rest; not 501, 503, 505, 511: see
    /// [`Error::outcome_unknown`] for the table). Never retried by rampkit and not retryable: look the
    /// resource up at the vendor (e.g. find the customer by e-mail) before sending it again.
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
    /// The client is misconfigured (no such environment for this provider, a base URL that is not an
    /// absolute `http`/`https` URL). Nothing was sent; sending again will fail the same way.
    Configuration,
    /// The vendor's answer is longer than the client reads
    /// ([`BodyLimits`](crate::BodyLimits)`::success`, 16 MiB by default; `Context::with_body_limits`):
    /// it was not read, and nothing of it is kept. The status says whether the vendor carried the
    /// request out (a 2xx did). Not retryable: the same request gets the same answer.
    ResponseTooLarge,
}

impl ErrorKind {
    /// Whether the same request may succeed if sent again later.
    pub const fn is_retryable(self) -> bool {
        matches!(self, Self::RateLimited | Self::Transient | Self::Server)
    }

    /// A stable name, as in the `error.type` field of traces: `invalid_input`, `authentication`,
    /// `not_found`, `conflict`, `rate_limited`, `transient`, `outcome_unknown`, `redirect`, `server`,
    /// `undecodable`, `business`, `configuration`, `response_too_large`.
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
            Self::ResponseTooLarge => "response_too_large",
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
            Self::Redirect => "redirected",
            Self::Server => "vendor server error",
            Self::Undecodable => "undecodable response",
            Self::Business => "vendor business rule",
            Self::Configuration => "configuration error",
            Self::ResponseTooLarge => "response too large",
        }
    }
}

/// A failed call to a provider.
///
/// `Display` names the provider, the operation, the kind, the HTTP status and the vendor's error code —
/// never a response body, a header value, a credential or a personal value. A vendor code is kept only
/// when it looks like a code (see [`Error::vendor_code`]); any other is withheld, and `Display` says
/// that an unrecognised code was received. The vendor's message (which
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
    vendor_code_withheld: bool,
    vendor_message: Option<String>,
    raw_body: Option<Bytes>,
    raw_body_truncated: bool,
    retry_after: Option<std::time::Duration>,
    attempts: u32,
    detail: Option<&'static str>,
    retry_not_sent: Option<&'static str>,
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
            vendor_code_withheld: false,
            vendor_message: None,
            raw_body: None,
            raw_body_truncated: false,
            retry_after: None,
            attempts: 1,
            detail: None,
            retry_not_sent: None,
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

    /// `kind`, when the vendor's code says more than the status (see
    /// [`Authenticator::CONFLICT_CODES`](crate::auth::Authenticator::CONFLICT_CODES)).
    pub(crate) fn with_kind(mut self, kind: ErrorKind) -> Self {
        self.0.kind = kind;
        self
    }

    pub(crate) fn with_status(mut self, status: u16) -> Self {
        self.0.status = Some(status);
        self
    }

    /// The vendor's code (kept only when [`is_vendor_code`] says it is one) and message.
    pub(crate) fn with_vendor(mut self, code: Option<String>, message: Option<String>) -> Self {
        self.0.vendor_code_withheld = code.as_deref().is_some_and(|c| !is_vendor_code(c));
        self.0.vendor_code = code.filter(|c| is_vendor_code(c));
        self.0.vendor_message = message;
        self
    }

    pub(crate) fn with_raw_body(mut self, body: Bytes) -> Self {
        self.0.raw_body = Some(body);
        self
    }

    /// The first bytes of a longer body (read up to [`crate::BodyLimits`]`::error`).
    pub(crate) fn with_truncated_body(mut self, body: Bytes) -> Self {
        self.0.raw_body = Some(body);
        self.0.raw_body_truncated = true;
        self
    }

    /// Why a retry this error called for was not sent (static text, shown in `Display`).
    pub(crate) fn with_retry_not_sent(mut self, reason: &'static str) -> Self {
        self.0.retry_not_sent = Some(reason);
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

    /// The vendor's error code (`user_already_exists`, `authorization_incorrect`, …), when it gives one
    /// that looks like a code: 1 to 64 characters of `A-Z a-z 0-9 _ . : -`, and at most 6 digits when it
    /// is only digits. Anything else — an e-mail, a sentence, a line break (log injection), a 10 KB text,
    /// a phone number — may be the vendor echoing what was sent, and this error goes to logs, journals and
    /// reports: it is withheld (`None` here, [`vendor_code_withheld`](Self::vendor_code_withheld) true).
    /// The raw body still holds it ([`raw_body`](Self::raw_body)).
    pub fn vendor_code(&self) -> Option<&str> {
        self.0.vendor_code.as_deref()
    }

    /// Whether the vendor sent an error code that did not look like a code, and was withheld (see
    /// [`vendor_code`](Self::vendor_code)).
    pub fn vendor_code_withheld(&self) -> bool {
        self.0.vendor_code_withheld
    }

    /// The vendor's error message. It may repeat personal data that was sent: it is never part of
    /// `Display` or `Debug`; log it only where personal data may go.
    pub fn vendor_message(&self) -> Option<&str> {
        self.0.vendor_message.as_deref()
    }

    /// The response body exactly as received (an HTML page from a gateway, an empty body, vendor fields
    /// outside the spec) — of an error answer, its first [`BodyLimits`](crate::BodyLimits)`::error` bytes
    /// (64 KiB by default; [`raw_body_truncated`](Self::raw_body_truncated) says when there was more). It
    /// may contain personal data: it is never part of `Display` or `Debug`.
    pub fn raw_body(&self) -> Option<&Bytes> {
        self.0.raw_body.as_ref()
    }

    /// Whether [`raw_body`](Self::raw_body) is only the start of a longer body (the rest was not read).
    pub fn raw_body_truncated(&self) -> bool {
        self.0.raw_body_truncated
    }

    /// The vendor's `Retry-After`, when it sent one (seconds or an HTTP date), at most
    /// [`MAX_RETRY_AFTER`](crate::retry::MAX_RETRY_AFTER) (24 hours): `Instant::now() + d` never
    /// overflows, whatever the vendor wrote.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.0.retry_after
    }

    /// Why a retry this error called for was not sent, when rampkit would have retried but could not:
    /// no client-side rate-limit slot before the call's deadline, or a `Retry-After` that ends after it.
    /// The error is still the vendor's answer that called for the retry.
    pub fn retry_not_sent(&self) -> Option<&'static str> {
        self.0.retry_not_sent
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
    ///
    /// A non-idempotent call's answer is classified by its status, whatever its body:
    ///
    /// | status | kind | why |
    /// |---|---|---|
    /// | 500, 502, 504, any 5xx not below | `OutcomeUnknown` | the vendor (or a gateway before it) failed during or after the work: a 500 may follow the write |
    /// | 503 | `Server` | unavailable (overload, maintenance): the request was not taken |
    /// | 501, 505 | `Server` | the method or HTTP version is not implemented: nothing was done |
    /// | 511 | `Server` | a network's login portal answered: the vendor never saw the request |
    /// | 429 | `RateLimited` | refused before it was handled; wait [`retry_after`](Self::retry_after) |
    /// | 408 | `Transient` | the server gave up waiting for the request |
    ///
    /// An idempotent call answered 429, 500, 502, 503 or 504 is retried by rampkit (and is `Server` or
    /// `RateLimited` when retries run out).
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
            } else if self.0.vendor_code_withheld {
                f.write_str(", unrecognised vendor code")?;
            }
            f.write_str(")")?;
        } else if let Some(code) = &self.0.vendor_code {
            write!(f, " (vendor code `{code}`)")?;
        } else if self.0.vendor_code_withheld {
            f.write_str(" (unrecognised vendor code)")?;
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
        if let Some(reason) = self.0.retry_not_sent {
            write!(f, "; retry not sent: {reason}")?;
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
            .field("vendor_code_withheld", &self.0.vendor_code_withheld)
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
            .field("raw_body_truncated", &self.0.raw_body_truncated)
            .field("attempts", &self.0.attempts)
            .field("detail", &self.0.detail)
            .field("retry_not_sent", &self.0.retry_not_sent)
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

/// Whether `code` looks like a vendor error code rather than text the vendor echoed: 1 to 64 characters
/// of `A-Z a-z 0-9 _ . : -` — the shape of every code the five vendors document
/// (`user_already_exists`, `ERROR_USER_ALREADY_ENROLLED`, `invalid-email`, SumSub's numbers) — and, when
/// it is only digits, at most 6 of them (a longer number may be a phone or document number).
fn is_vendor_code(code: &str) -> bool {
    (1..=64).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-'))
        && (code.len() <= 6 || !code.bytes().all(|b| b.is_ascii_digit()))
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
    fn only_codes_that_look_like_codes_are_kept() {
        for code in [
            "user_already_exists",
            "ERROR_USER_ALREADY_ENROLLED",
            "invalid-email",
            "1003",
            "403001",
            "a.b:c",
            &"x".repeat(64),
        ] {
            assert!(is_vendor_code(code), "{code}");
        }
        for code in [
            "",
            "juan@example.com",
            "already exists",
            "bad\ncode",
            "34600100000",
            "+34600100000",
            "naïve",
            &"x".repeat(65),
        ] {
            assert!(!is_vendor_code(code), "{code:?}");
        }
        let e = Error::new("vendor", "register_user", ErrorKind::InvalidInput)
            .with_status(400)
            .with_vendor(Some("juan@example.com".into()), None);
        assert_eq!(e.vendor_code(), None);
        assert!(e.vendor_code_withheld());
        assert_eq!(
            e.to_string(),
            "vendor register_user: invalid input (HTTP 400, unrecognised vendor code)"
        );
        assert!(!format!("{e:?}").contains("juan"));
        let e = Error::new("vendor", "register_user", ErrorKind::Business)
            .with_vendor(Some("x\ny".into()), None)
            .with_retry_not_sent("no slot");
        assert_eq!(
            e.to_string(),
            "vendor register_user: vendor business rule (unrecognised vendor code); retry not sent: no slot"
        );
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
