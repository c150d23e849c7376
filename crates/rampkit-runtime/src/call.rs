//! One call to a provider: credentials, retries, business errors, error mapping and tracing around a
//! generated progenitor request.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context as TaskContext, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use progenitor_client::ResponseValue;
use serde::Serialize;
use serde_json::Value;
use tracing::Instrument;
use tracing::field::Empty;

use crate::auth::{Authenticator, TokenLease};
use crate::error::{DecodeError, TransportError};
use crate::meta::OperationMeta;
use crate::rate_limit::NoSlot;
use crate::retry::{is_retryable_status, retry_after};
use crate::{Context, Error, ErrorKind};
use reqwest::header::HeaderMap;

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

scoped_tls::scoped_thread_local! {
    /// What the generated hooks of one attempt share with [`call`]: the token to send, and the answer
    /// as received when it is not a success. Set only while [`WithAttempt`] polls the attempt's
    /// request future, so the hooks (which run inside that poll) see their own attempt's state, on
    /// whatever thread the task is polled.
    static ATTEMPT: AttemptState
}

#[derive(Default)]
struct AttemptState {
    lease: Option<TokenLease>,
    response: Mutex<Option<Captured>>,
}

pin_project_lite::pin_project! {
    /// Polls `inner` with `state` as the current attempt. A scoped thread-local set around each poll
    /// costs two pointer writes; `tokio::task_local!` (used before) swaps an `Option<Arc<_>>` through
    /// a `RefCell` twice per poll, which showed in the 64-concurrency benchmark.
    struct WithAttempt<'a, F> {
        state: &'a AttemptState,
        // The call's span when a subscriber wants it, entered for each poll.
        span: Option<&'a tracing::Span>,
        #[pin]
        inner: F,
    }
}

impl<F: Future> Future for WithAttempt<'_, F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut TaskContext<'_>) -> Poll<F::Output> {
        let this = self.project();
        let inner = this.inner;
        let _entered = this.span.map(tracing::Span::enter);
        ATTEMPT.set(this.state, || inner.poll(cx))
    }
}

/// A non-success answer as received: status, headers and body bytes.
struct Captured {
    status: u16,
    headers: HeaderMap,
    body: Bytes,
}

/// The token leased for the attempt being sent, inside [`call`].
pub(crate) fn current_lease() -> Option<TokenLease> {
    if ATTEMPT.is_set() {
        ATTEMPT.with(|a| a.lease.clone())
    } else {
        None
    }
}

/// Sends one request: the generated `ClientHooks::exec` hook. A non-success answer is read whole here,
/// before progenitor decodes it, so that [`call`] classifies it by its status and headers whatever its
/// body is (an HTML 502 from a gateway, an empty 429 with `Retry-After`), and keeps the body exactly
/// as received for [`Error::raw_body`]. Progenitor gets the same answer back.
pub async fn exec(
    http: &reqwest::Client,
    request: reqwest::Request,
) -> reqwest::Result<reqwest::Response> {
    let response = http.execute(request).await?;
    if response.status().is_success() || !ATTEMPT.is_set() {
        return Ok(response);
    }
    // Boxed: reading a failed answer is the rare path, and its state would otherwise enlarge every
    // call's future (and what is moved and touched per call).
    Box::pin(capture(response)).await
}

/// Decodes a JSON answer into a [`ResponseValue`]: what progenitor's `ResponseValue::from_response`
/// does, with the same errors, but the answer's headers are moved into the value instead of cloned
/// (the generated code calls this instead; one header-map copy less on every call).
pub async fn response_value<T: serde::de::DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, progenitor_client::Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let full = response
        .bytes()
        .await
        .map_err(progenitor_client::Error::ResponseBodyError)?;
    let inner = serde_json::from_slice(&full)
        .map_err(|e| progenitor_client::Error::InvalidResponsePayload(full, e))?;
    Ok(ResponseValue::new(inner, status, headers))
}

/// Reads a non-success answer whole, keeps it for the attempt, and hands progenitor the same answer.
async fn capture(response: reqwest::Response) -> reqwest::Result<reqwest::Response> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    // Read again after the await: the body was read in later polls (each of which set the attempt).
    if ATTEMPT.is_set() {
        ATTEMPT.with(|attempt| {
            *attempt.response.lock().unwrap_or_else(|e| e.into_inner()) = Some(Captured {
                status: status.as_u16(),
                headers: headers.clone(),
                body: body.clone(),
            });
        });
    }
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.headers_mut() = headers;
    Ok(reqwest::Response::from(rebuilt))
}

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
    let deadline = started + policy.deadline;
    // Built at the first retry: most calls never need it.
    let mut delays = None;
    let mut attempt = 0u32;
    let mut logged_in_again = false;
    let mut waited = Duration::ZERO;
    loop {
        attempt += 1;
        record("attempt", u64::from(attempt));
        match parts.context.limiter.acquire(op.method, deadline).await {
            Ok(wait) if !wait.is_zero() => {
                waited += wait;
                record("rate_limit_wait_ms", waited.as_millis() as u64);
            }
            Ok(_) => {}
            Err(NoSlot) => {
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
        let state = AttemptState {
            lease,
            response: Mutex::default(),
        };
        let result = WithAttempt {
            state: &state,
            span: traced,
            inner: send(),
        }
        .await;
        let captured = state
            .response
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        let (error, nothing_sent) = match result {
            Ok(value) => {
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
            Err(e) => classify(A::PROVIDER, op, e, captured).await,
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
            && parts.context.auth.invalidate(state.lease.as_ref())
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
            if started.elapsed() + delay <= policy.deadline {
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
                continue;
            }
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

/// Classifies a failed attempt; the flag says whether the request certainly never left this machine.
async fn classify<E: Serialize>(
    provider: &'static str,
    op: &'static OperationMeta,
    e: progenitor_client::Error<E>,
    captured: Option<Captured>,
) -> (Error, bool) {
    use progenitor_client::Error as Raw;
    let new = |kind| Error::new(provider, op.id, kind);
    if let Some(c) = captured {
        // A non-success answer, whatever progenitor made of its body (a typed error, an error body that
        // does not decode, a status the spec does not list): the status decides.
        return (
            from_response(provider, op.id, op.idempotent, c.status, &c.headers, c.body),
            false,
        );
    }
    match e {
        Raw::InvalidRequest(_) => (
            new(ErrorKind::InvalidInput).with_detail("the request could not be built"),
            true,
        ),
        Raw::Custom(_) => (
            new(ErrorKind::Authentication)
                .with_detail("credentials could not be attached; the request was not sent"),
            true,
        ),
        Raw::CommunicationError(e) | Raw::InvalidUpgrade(e) | Raw::ResponseBodyError(e) => {
            transport(provider, op, e)
        }
        Raw::InvalidResponsePayload(bytes, e) => (
            new(ErrorKind::Undecodable)
                .with_raw_body(bytes)
                .with_source(DecodeError::from(&e)),
            false,
        ),
        // Not captured: only outside `call`, where `exec` does not keep the answer.
        Raw::ErrorResponse(response) => {
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = serde_json::to_vec(&response.into_inner())
                .map(Bytes::from)
                .unwrap_or_default();
            (
                from_response(provider, op.id, op.idempotent, status, &headers, body),
                false,
            )
        }
        Raw::UnexpectedResponse(response) => {
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.bytes().await.unwrap_or_default();
            (
                from_response(provider, op.id, op.idempotent, status, &headers, body),
                false,
            )
        }
    }
}

/// A network failure. Nothing was sent when the connection could not be made (refused, DNS, TLS
/// handshake); after that — a timeout, a reset, a body that could not be read — the vendor may have
/// processed the request, which for a non-idempotent operation is an unknown outcome.
fn transport(provider: &'static str, op: &OperationMeta, e: reqwest::Error) -> (Error, bool) {
    let nothing_sent = e.is_connect();
    let status = e.status().map(|s| s.as_u16());
    let kind = if nothing_sent || op.idempotent {
        ErrorKind::Transient
    } else {
        ErrorKind::OutcomeUnknown
    };
    let error = Error::new(provider, op.id, kind).with_source(TransportError::from(e));
    let error = match status {
        Some(s) => error.with_status(s),
        None => error,
    };
    (error, nothing_sent)
}

/// An answer that is not a success: the status decides the kind and the retry, whatever the body
/// holds; the body is kept exactly as received.
pub(crate) fn from_response(
    provider: &'static str,
    operation: &'static str,
    idempotent: bool,
    status: u16,
    headers: &HeaderMap,
    body: Bytes,
) -> Error {
    let new = |kind| Error::new(provider, operation, kind).with_status(status);
    if (300..400).contains(&status) {
        // Never followed (see `transport::http_client`): name the host, never the path or query.
        let host = headers
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|l| reqwest::Url::parse(l).ok())
            .and_then(|u| u.host_str().map(str::to_owned));
        return new(ErrorKind::Redirect)
            .with_redirect_host(host)
            .with_detail("rampkit follows no redirects; check the base URL");
    }
    let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let (code, message) = vendor_code_and_message(&value);
    let kind = if (200..300).contains(&status) {
        ErrorKind::Undecodable
    } else if !idempotent && matches!(status, 502 | 504) {
        // A gateway answered: the vendor behind it may have processed the registration.
        ErrorKind::OutcomeUnknown
    } else {
        kind_for_status(status)
    };
    let error = new(kind)
        .with_vendor(code, message)
        .with_raw_body(body)
        .with_retry_after(retry_after(headers));
    if kind == ErrorKind::Undecodable {
        error.with_detail("a success status the spec does not list")
    } else {
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Many attempts interleaved on a multi-threaded runtime, each parked several times (and so
    /// resumed on any worker): every hook sees its own attempt's state, and none outside a poll.
    fn answer(status: u16, body: &'static str) -> reqwest::Response {
        let mut response = http::Response::new(body);
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
        response
            .headers_mut()
            .insert("x-request-id", http::HeaderValue::from_static("r-1"));
        response
            .headers_mut()
            .append("set-cookie", http::HeaderValue::from_static("a=1"));
        response
            .headers_mut()
            .append("set-cookie", http::HeaderValue::from_static("b=2"));
        reqwest::Response::from(response)
    }

    /// `response_value` gives what progenitor's `ResponseValue::from_response` gives: the same value,
    /// status and headers (repeated ones included), and the same errors.
    #[tokio::test]
    async fn response_value_matches_progenitors_from_response() {
        type Out = Result<ResponseValue<Value>, progenitor_client::Error<()>>;
        let body = r#"{"userId":"u-1","n":[1,2]}"#;
        let ours: Out = response_value(answer(201, body)).await;
        let theirs: Out = ResponseValue::from_response(answer(201, body)).await;
        let (ours, theirs) = (ours.unwrap(), theirs.unwrap());
        assert_eq!(ours.status(), theirs.status());
        assert_eq!(ours.headers(), theirs.headers());
        assert_eq!(ours.headers().get_all("set-cookie").iter().count(), 2);
        assert_eq!(ours.into_inner(), theirs.into_inner());

        let ours: Out = response_value(answer(200, "{not json")).await;
        let theirs: Out = ResponseValue::from_response(answer(200, "{not json")).await;
        match (ours, theirs) {
            (
                Err(progenitor_client::Error::InvalidResponsePayload(a, e)),
                Err(progenitor_client::Error::InvalidResponsePayload(b, f)),
            ) => {
                assert_eq!(a, b);
                assert_eq!(e.to_string(), f.to_string());
            }
            other => panic!("both undecodable: {other:?}"),
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn each_attempt_sees_its_own_state_across_awaits_and_threads() {
        assert!(!ATTEMPT.is_set());
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..64u16 {
            tasks.spawn(async move {
                let state = AttemptState::default();
                WithAttempt {
                    state: &state,
                    span: None,
                    inner: async move {
                        for _ in 0..5 {
                            tokio::task::yield_now().await;
                        }
                        assert!(ATTEMPT.is_set());
                        ATTEMPT.with(|attempt| {
                            *attempt.response.lock().unwrap() = Some(Captured {
                                status: 200 + n,
                                headers: HeaderMap::new(),
                                body: Bytes::new(),
                            });
                        });
                        tokio::task::yield_now().await;
                        // Still this attempt's state after another suspension.
                        ATTEMPT.with(|attempt| {
                            attempt.response.lock().unwrap().as_ref().map(|c| c.status)
                        })
                    },
                }
                .await
                .map(|seen| {
                    (
                        n,
                        seen,
                        state.response.lock().unwrap().as_ref().map(|c| c.status),
                    )
                })
            });
        }
        let mut seen = 0;
        while let Some(result) = tasks.join_next().await {
            let (n, inside, kept) = result.unwrap().expect("the attempt's own answer");
            assert_eq!(inside, 200 + n);
            assert_eq!(kept, Some(200 + n));
            seen += 1;
        }
        assert_eq!(seen, 64);
        assert!(!ATTEMPT.is_set());
        assert!(current_lease().is_none());
    }
}
