//! One call to a provider: credentials, retries, business errors, error mapping and tracing around a
//! generated progenitor request.

use std::future::Future;
use std::time::{Duration, Instant};

use progenitor_client::ResponseValue;
use serde::Serialize;
use serde_json::Value;
use tracing::Instrument;
use tracing::field::Empty;

use crate::attempt::{AttemptState, Seen, WithAttempt};
use crate::auth::Authenticator;
use crate::classify::{classify, followed_redirect, too_large};
use crate::context::Context;
use crate::error::{Error, ErrorKind};
use crate::meta::OperationMeta;
use crate::rate_limit::SlotError;
use crate::retry::{instant_after, is_retryable_status};

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

/// The host of a base URL, for the `server.address` span field (no path, no credentials).
fn host_of(base_url: &str) -> &str {
    let rest = base_url
        .split_once("://")
        .map_or(base_url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.starts_with('[') {
        return host_port.split_inclusive(']').next().unwrap_or(host_port);
    }
    host_port.split(':').next().unwrap_or(host_port)
}

/// A client-error answer whose vendor code the provider declares as "already exists"
/// ([`Authenticator::CONFLICT_CODES`]) is a [`ErrorKind::Conflict`], whatever its status.
fn conflict_by_code<A: Authenticator>(error: Error) -> Error {
    let client_error = error
        .status()
        .is_some_and(|s| (400..500).contains(&s) && s != 429);
    match error.vendor_code() {
        Some(code) if client_error && A::CONFLICT_CODES.contains(&code) => {
            error.with_kind(ErrorKind::Conflict)
        }
        _ => error,
    }
}

/// Runs one operation: waits for a client-side rate-limit slot, obtains credentials, sends the request
/// built by `send`, retries idempotent operations (and requests that never left the machine) on
/// transient failures — never a non-idempotent one that may have been processed — logs in again once
/// when a token is rejected, and maps every failure to [`Error`].
///
/// A `rampkit.call` tracing span records provider, operation, attempt, status, duration and the time
/// spent waiting for a rate-limit slot, with the OpenTelemetry HTTP client names beside them
/// (`http.request.method`, `url.template`, `server.address`, `http.response.status_code`,
/// `error.type`); each retry and each failed call is a `warn` event. Never a body, a header value, a
/// path parameter value or a personal value.
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
    let span = new_span(A::PROVIDER, op);
    // With no subscriber interested, the span is neither entered nor recorded: that costs something
    // on every poll even for a disabled span. When it is wanted, it is entered while the request is
    // polled and around each event below, and `duration_ms` is recorded when the call ends (or is
    // dropped).
    let traced = (!span.is_disabled()).then_some(&span);
    if let Some(span) = traced {
        span.record("server.address", host_of(parts.base_url));
    }
    let record = |field: &str, value: u64| {
        if let Some(span) = traced {
            span.record(field, value);
        }
    };
    let started = Instant::now();
    let _duration = RecordDuration {
        span: traced,
        started,
    };
    let policy = &parts.context.retry;
    // The wait for the first rate-limit slot may take up to the policy's deadline; the call's own
    // deadline counts from that slot, so a queue for slots never eats the time of the call.
    let mut deadline = instant_after(started, policy.deadline);
    let mut first_slot = true;
    // Built at the first retry: most calls never need it.
    let mut delays = None;
    let mut attempt = 0u32;
    let mut logged_in_again = false;
    let mut waited = Duration::ZERO;
    // The answer that called for the attempt about to be sent (a retry, or a repeat after a new login).
    let mut previous: Option<Error> = None;
    loop {
        attempt += 1;
        record("attempt", u64::from(attempt));
        match parts
            .context
            .limiter
            .acquire_slot(op.method, deadline)
            .await
        {
            Ok(wait) => {
                if !wait.is_zero() {
                    waited += wait;
                    record("rate_limit_wait_ms", waited.as_millis() as u64);
                }
                if std::mem::take(&mut first_slot) {
                    deadline = instant_after(Instant::now(), policy.deadline);
                }
            }
            Err(SlotError::Budget(budget)) => {
                let error = Error::new(A::PROVIDER, op.id, ErrorKind::RateLimited)
                    .with_detail("the shared rate budget could not be read; nothing was sent")
                    .with_source(budget)
                    .with_attempts(attempt);
                return Err(failed(error, attempt, traced));
            }
            // A retry that gets no slot: the vendor's answer that called for it is the error.
            Err(SlotError::NoSlot) if let Some(error) = previous.take() => {
                let error = error.with_retry_not_sent(
                    "no client-side rate-limit slot before the call's deadline",
                );
                let sent = error.attempts();
                return Err(failed(error, sent, traced));
            }
            Err(SlotError::NoSlot) => {
                let error = Error::new(A::PROVIDER, op.id, ErrorKind::RateLimited)
                    .with_detail(
                        "client-side rate limit: no slot within the call's deadline; nothing was sent",
                    )
                    .with_attempts(attempt);
                return Err(failed(error, attempt, traced));
            }
        }
        let lease = if op.authenticated {
            let ensure = parts.context.auth.ensure(parts.http, parts.base_url);
            let lease = match traced {
                Some(span) => ensure.instrument(span.clone()).await,
                None => ensure.await,
            };
            lease.map_err(|e| failed(e.with_attempts(attempt), attempt, traced))?
        } else {
            None
        };
        let state = AttemptState::new(lease, parts.context.body_limits);
        let result = WithAttempt::new(&state, traced, send()).await;
        let (error, nothing_sent) = match (result, state.take_seen()) {
            (_, Some(Seen::Redirected { host })) => {
                (followed_redirect(A::PROVIDER, op.id, host), false)
            }
            (_, Some(Seen::TooLarge { status })) => (too_large(A::PROVIDER, op.id, status), false),
            (Ok(value), _) => {
                let status = value.status().as_u16();
                record("status", u64::from(status));
                record("http.response.status_code", u64::from(status));
                let Some(code) = value.business_error_code() else {
                    return Ok(value);
                };
                let kind = parts.context.auth.business_error_kind(code);
                let error = Error::new(A::PROVIDER, op.id, kind)
                    .with_status(status)
                    .with_vendor(Some(code.to_owned()), None);
                (error, false)
            }
            (Err(e), seen) => {
                let captured = match seen {
                    Some(Seen::Failed(captured)) => Some(captured),
                    _ => None,
                };
                let limits = parts.context.body_limits;
                let (error, nothing_sent) =
                    classify(A::PROVIDER, op, e, captured, parts.base_url, limits).await;
                (conflict_by_code::<A>(error), nothing_sent)
            }
        };
        // The vendor rejected the token (CryptoPocket `authorization_incorrect` with HTTP 200, or
        // HTTP 401): the call was not carried out, so repeating it once with a fresh token is safe
        // even for a registration. Only the rejected token is forgotten.
        // A 403 (forbidden: scope, permissions) is not a rejected token: no new login for it.
        let token_rejected =
            error.kind() == ErrorKind::Authentication && matches!(error.status(), Some(401 | 200));
        if token_rejected
            && op.authenticated
            && !logged_in_again
            && parts.context.auth.invalidate(state.lease())
        {
            logged_in_again = true;
            let _entered = traced.map(tracing::Span::enter);
            tracing::warn!(
                provider = A::PROVIDER,
                operation = op.id,
                attempt,
                status = error.status(),
                "error.type" = error.kind().as_str(),
                "rampkit: token rejected; logging in again and repeating the call once"
            );
            previous = Some(error.with_attempts(attempt));
            continue;
        }
        if let Some(status) = error.status() {
            record("status", u64::from(status));
            record("http.response.status_code", u64::from(status));
        }
        let error = error.with_attempts(attempt);
        // Network failures, and exactly the statuses worth repeating (429, 500, 502, 503, 504): a 501
        // or a 505 is a server error, but sending it again will not help. A non-idempotent request is
        // repeated only when it never left this machine.
        if (op.idempotent || nothing_sent)
            && error.is_retryable()
            && error.status().is_none_or(is_retryable_status)
            && let Some(backoff) = delays.get_or_insert_with(|| policy.delays()).next()
        {
            let delay = error
                .retry_after()
                .map_or(backoff, |after| after.max(backoff));
            // Checked: a vendor's `Retry-After` is capped, but a caller's deadline may be anything.
            let in_time = started
                .elapsed()
                .checked_add(delay)
                .is_some_and(|end| end <= policy.deadline);
            if !in_time {
                let reason = if error.retry_after().is_some_and(|after| after > backoff) {
                    "the vendor's Retry-After ends after the call's deadline"
                } else {
                    "the call's deadline comes first"
                };
                return Err(failed(error.with_retry_not_sent(reason), attempt, traced));
            }
            {
                let _entered = traced.map(tracing::Span::enter);
                tracing::warn!(
                    provider = A::PROVIDER,
                    operation = op.id,
                    kind = error.kind().as_str(),
                    status = error.status(),
                    attempt,
                    delay_ms = delay.as_millis() as u64,
                    "error.type" = error.kind().as_str(),
                    "rampkit: retrying"
                );
            }
            tokio::time::sleep(delay).await;
            previous = Some(error);
            continue;
        }
        return Err(failed(error, attempt, traced));
    }
}

/// The `rampkit.call` span (not generic, so that its code is not repeated for every operation).
#[inline(never)]
fn new_span(provider: &'static str, op: &'static OperationMeta) -> tracing::Span {
    tracing::info_span!(
        "rampkit.call",
        provider,
        operation = op.id,
        attempt = Empty,
        status = Empty,
        duration_ms = Empty,
        rate_limit_wait_ms = Empty,
        "http.request.method" = op.method,
        "url.template" = op.path,
        "server.address" = Empty,
        "http.response.status_code" = Empty,
        "error.type" = Empty,
    )
}

/// Records `duration_ms` on a traced call's span when the call ends, however it ends.
struct RecordDuration<'a> {
    span: Option<&'a tracing::Span>,
    started: Instant,
}

impl Drop for RecordDuration<'_> {
    fn drop(&mut self) {
        if let Some(span) = self.span {
            span.record("duration_ms", self.started.elapsed().as_millis() as u64);
        }
    }
}

/// Records a failed call on its span (when traced) and as a `warn` event (inside that span).
fn failed(error: Error, attempt: u32, span: Option<&tracing::Span>) -> Error {
    if let Some(span) = span {
        span.record("error.type", error.kind().as_str());
    }
    let _entered = span.map(tracing::Span::enter);
    tracing::warn!(
        provider = error.provider(),
        operation = error.operation(),
        kind = error.kind().as_str(),
        status = error.status(),
        attempt,
        "error.type" = error.kind().as_str(),
        "rampkit: call failed"
    );
    error
}
