use std::fmt;

/// Why a webhook delivery was rejected.
///
/// No variant holds the body, the secret, a signature or a header value: `Display` and `Debug` name the
/// header or the JSON path at fault and nothing the sender wrote, so an error can be logged as it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A header the scheme requires is absent.
    #[error("webhook header `{0}` is missing")]
    MissingHeader(&'static str),
    /// A header is present but not in the documented form (not text, empty, not a number, not hex or
    /// base64 of a SHA-256 digest, not a `v1,<base64>` list).
    #[error("webhook header `{0}` is malformed")]
    MalformedHeader(&'static str),
    /// The signed timestamp is older than the tolerance: a late or replayed delivery.
    #[error("webhook timestamp is {age_secs} s old, beyond the {tolerance_secs} s tolerance")]
    StaleTimestamp {
        /// How far the timestamp is behind the clock, in seconds.
        age_secs: u64,
        /// The accepted difference, in seconds.
        tolerance_secs: u64,
    },
    /// The signed timestamp is ahead of the clock by more than the tolerance.
    #[error(
        "webhook timestamp is {ahead_secs} s in the future, beyond the {tolerance_secs} s tolerance"
    )]
    FutureTimestamp {
        /// How far the timestamp is ahead of the clock, in seconds.
        ahead_secs: u64,
        /// The accepted difference, in seconds.
        tolerance_secs: u64,
    },
    /// No signature in the headers matches the body (tampered body, wrong secret, or not from the vendor).
    #[error("webhook signature does not match")]
    SignatureMismatch,
    /// The configured secret cannot be used (empty, or a Svix secret that is not base64).
    #[error("webhook secret is invalid: {reason}")]
    InvalidSecret {
        /// What is wrong with it (never the secret itself).
        reason: &'static str,
    },
    /// The (authentic, where the vendor signs) body is not a payload this crate can decode.
    #[error("webhook payload is undecodable: {0}")]
    UndecodablePayload(UndecodablePayload),
}

/// Why a body could not be decoded. Holds positions, field names and JSON paths, never a value.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum UndecodablePayload {
    /// The body is not JSON.
    NotJson {
        /// 1-based line of the syntax error.
        line: usize,
        /// 1-based column of the syntax error.
        column: usize,
    },
    /// The body is JSON but not an object.
    NotAnObject,
    /// The member that names the event is absent or not a string.
    MissingEventType {
        /// The member looked for (`type`, …).
        field: &'static str,
    },
    /// The event is known but its body does not fit the typed payload.
    Mismatch {
        /// The event, as the vendor names it.
        event: &'static str,
        /// JSON path of the member at fault (`.data.payment.status`, `.` for the root).
        path: String,
        /// The required member that is absent, when that is the problem.
        missing_field: Option<String>,
    },
}

impl fmt::Display for UndecodablePayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotJson { line, column } => {
                write!(f, "not JSON (line {line}, column {column})")
            }
            Self::NotAnObject => f.write_str("not a JSON object"),
            Self::MissingEventType { field } => {
                write!(f, "no string member `{field}` naming the event")
            }
            Self::Mismatch {
                event,
                path,
                missing_field: Some(missing),
            } => write!(f, "`{event}` payload lacks `{missing}` at `{path}`"),
            Self::Mismatch {
                event,
                path,
                missing_field: None,
            } => write!(f, "`{event}` payload has an unexpected value at `{path}`"),
        }
    }
}

impl From<UndecodablePayload> for WebhookError {
    fn from(reason: UndecodablePayload) -> Self {
        Self::UndecodablePayload(reason)
    }
}
