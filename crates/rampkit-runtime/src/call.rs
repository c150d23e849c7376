//! One call to a provider: credentials, retries, business errors, error mapping and tracing around a
//! generated progenitor request.

use std::future::Future;
use std::time::Instant;

use bytes::Bytes;
use progenitor_client::ResponseValue;
use serde::Serialize;
use serde_json::Value;
use tracing::Instrument;
use tracing::field::Empty;

use crate::auth::Authenticator;
use crate::error::{DecodeError, TransportError};
use crate::meta::OperationMeta;
use crate::retry::{is_retryable_status, retry_after};
use crate::{Context, Error, ErrorKind};

/// Borrowed parts of a generated client, handed to [`call`].
pub struct ClientParts<'a, A> {
    /// The HTTP client (for logins).
    pub http: &'a reqwest::Client,
    /// The base URL (for logins).
    pub base_url: &'a str,
    /// Credentials and retry policy.
    pub context: &'a Context<A>,
}

/// A success body that may still carry a business error: CryptoPocket answers many errors with HTTP
/// 200 and `{"status":"error","error":"<code>"}`. The generator implements this for every success type;
/// it returns the code for the envelopes of a spec that declares `x-business-error-field`.
pub trait BusinessOutcome {
    /// The vendor's business error code, when the body is an error in disguise.
    fn business_error_code(&self) -> Option<&str> {
        None
    }
}

impl BusinessOutcome for () {}
impl BusinessOutcome for Value {}
impl BusinessOutcome for serde_json::Map<String, Value> {}
impl BusinessOutcome for String {}
impl<T> BusinessOutcome for Vec<T> {}
impl BusinessOutcome for progenitor_client::ByteStream {}

/// Runs one operation: obtains credentials, sends the request built by `send`, retries idempotent
/// operations on transient failures (never a non-idempotent one), logs in again once when a token is
/// rejected, and maps every failure to [`Error`]. A `rampkit.call` tracing span records provider,
/// operation, attempt, status and duration — never a body, a header value or a personal value.
pub async fn call<A, T, E, F, Fut>(
    parts: ClientParts<'_, A>,
    op: &'static OperationMeta,
    mut send: F,
) -> Result<ResponseValue<T>, Error>
where
    A: Authenticator,
    T: BusinessOutcome,
    E: Serialize,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
{
    let span = tracing::info_span!(
        "rampkit.call",
        provider = A::PROVIDER,
        operation = op.id,
        attempt = Empty,
        status = Empty,
        duration_ms = Empty,
    );
    let started = Instant::now();
    let run = async {
        let policy = &parts.context.retry;
        let mut delays = policy.delays();
        let mut attempt = 0u32;
        let mut logged_in_again = false;
        loop {
            attempt += 1;
            tracing::Span::current().record("attempt", attempt);
            if op.authenticated {
                parts
                    .context
                    .auth
                    .ensure(parts.http, parts.base_url)
                    .await
                    .map_err(|e| e.with_attempts(attempt))?;
            }
            let error = match send().await {
                Ok(value) => {
                    let status = value.status().as_u16();
                    tracing::Span::current().record("status", status);
                    let Some(code) = value.business_error_code() else {
                        return Ok(value);
                    };
                    let kind = parts.context.auth.business_error_kind(code);
                    if kind == ErrorKind::Authentication
                        && !logged_in_again
                        && parts.context.auth.invalidate()
                    {
                        // The vendor rejected the token: the call was not carried out, so repeating it
                        // once with a fresh token is safe even for a registration.
                        logged_in_again = true;
                        tracing::debug!(
                            attempt,
                            "token rejected; logging in again and repeating the call once"
                        );
                        continue;
                    }
                    Error::new(A::PROVIDER, op.id, kind)
                        .with_status(status)
                        .with_vendor(Some(code.to_owned()), None)
                }
                Err(e) => classify(A::PROVIDER, op.id, e).await,
            };
            if let Some(status) = error.status() {
                tracing::Span::current().record("status", status);
            }
            let error = error.with_attempts(attempt);
            // Network failures, and exactly the statuses worth repeating (429, 500, 502, 503, 504): a 501
            // or a 505 is a server error, but sending it again will not help.
            if op.idempotent
                && error.is_retryable()
                && error.status().is_none_or(is_retryable_status)
                && let Some(backoff) = delays.next()
            {
                let delay = error
                    .retry_after()
                    .map_or(backoff, |after| after.max(backoff));
                if started.elapsed() + delay <= policy.deadline {
                    tracing::debug!(attempt, delay_ms = delay.as_millis() as u64, kind = ?error.kind(), "retrying");
                    tokio::time::sleep(delay).await;
                    continue;
                }
            }
            return Err(error);
        }
    };
    let result = run.instrument(span.clone()).await;
    span.record("duration_ms", started.elapsed().as_millis() as u64);
    result
}

/// The error kind an HTTP status stands for.
pub fn kind_for_status(status: u16) -> ErrorKind {
    match status {
        401 | 403 => ErrorKind::Authentication,
        404 => ErrorKind::NotFound,
        409 => ErrorKind::Conflict,
        429 => ErrorKind::RateLimited,
        408 => ErrorKind::Transient,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::InvalidInput,
    }
}

/// The vendor's error code and message in an error body, whatever the vendor calls them:
/// CryptoPocket `error`/`message`, Crossmint `code`/`message`, Leap `code`/`reason`, Kriptomat
/// `message`, SumSub `code`/`description`.
pub fn vendor_code_and_message(body: &Value) -> (Option<String>, Option<String>) {
    let text = |v: &Value| match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let code = ["error", "code", "errorCode", "error_code"]
        .iter()
        .find_map(|k| body.get(*k).and_then(text));
    let message = [
        "message",
        "reason",
        "description",
        "detail",
        "error_description",
    ]
    .iter()
    .find_map(|k| body.get(*k).and_then(text));
    (code, message)
}

async fn classify<E: Serialize>(
    provider: &'static str,
    operation: &'static str,
    e: progenitor_client::Error<E>,
) -> Error {
    use progenitor_client::Error as Raw;
    let new = |kind| Error::new(provider, operation, kind);
    match e {
        Raw::InvalidRequest(_) => {
            new(ErrorKind::InvalidInput).with_detail("the request could not be built")
        }
        Raw::Custom(_) => {
            new(ErrorKind::Authentication).with_detail("credentials could not be attached")
        }
        Raw::CommunicationError(e) | Raw::InvalidUpgrade(e) | Raw::ResponseBodyError(e) => {
            let status = e.status().map(|s| s.as_u16());
            let error = new(ErrorKind::Transient).with_source(TransportError::from(e));
            match status {
                Some(s) => error.with_status(s),
                None => error,
            }
        }
        Raw::InvalidResponsePayload(bytes, e) => new(ErrorKind::Undecodable)
            .with_raw_body(bytes)
            .with_source(DecodeError::from(&e)),
        Raw::ErrorResponse(response) => {
            let status = response.status().as_u16();
            let after = retry_after(response.headers());
            let body = serde_json::to_value(response.into_inner()).unwrap_or(Value::Null);
            let (code, message) = vendor_code_and_message(&body);
            let raw = serde_json::to_vec(&body)
                .map(Bytes::from)
                .unwrap_or_default();
            new(kind_for_status(status))
                .with_status(status)
                .with_vendor(code, message)
                .with_raw_body(raw)
                .with_retry_after(after)
        }
        Raw::UnexpectedResponse(response) => {
            let status = response.status().as_u16();
            let after = retry_after(response.headers());
            let bytes = response.bytes().await.unwrap_or_default();
            let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            let (code, message) = vendor_code_and_message(&body);
            let kind = if (200..300).contains(&status) {
                ErrorKind::Undecodable
            } else {
                kind_for_status(status)
            };
            let error = new(kind)
                .with_status(status)
                .with_vendor(code, message)
                .with_raw_body(bytes)
                .with_retry_after(after);
            if kind == ErrorKind::Undecodable {
                error.with_detail("a success status the spec does not list")
            } else {
                error
            }
        }
    }
}
