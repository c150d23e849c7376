//! What one attempt of a call shares with the generated hooks that run inside it: the token leased for
//! the attempt (read by [`crate::auth::apply`] through [`current_lease`]), how much of an answer to read,
//! and what the hooks saw of the answer besides its value — a non-success answer as received, a body
//! over the limit, a redirect the HTTP client followed (kept by [`crate::exec`] and
//! [`crate::response_value`], classified by [`crate::call`]).

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context as TaskContext, Poll};

use bytes::Bytes;
use reqwest::header::HeaderMap;

use crate::body_limits::BodyLimits;
use crate::token::TokenLease;

scoped_tls::scoped_thread_local! {
    /// The state of the attempt being polled. Set only while [`WithAttempt`] polls the attempt's request
    /// future, so the hooks (which run inside that poll) see their own attempt's state, on whatever
    /// thread the task is polled.
    static ATTEMPT: AttemptState
}

/// One attempt's state: the token to send, the body limits, and what the hooks saw.
#[derive(Default)]
pub(crate) struct AttemptState {
    lease: Option<TokenLease>,
    limits: BodyLimits,
    response: Mutex<Option<Seen>>,
}

impl AttemptState {
    /// The state of an attempt that sends `lease` and reads answers up to `limits`.
    pub(crate) fn new(lease: Option<TokenLease>, limits: BodyLimits) -> Self {
        Self {
            lease,
            limits,
            response: Mutex::default(),
        }
    }

    /// The token the attempt sent.
    pub(crate) fn lease(&self) -> Option<&TokenLease> {
        self.lease.as_ref()
    }

    /// What the hooks saw of the attempt's answer, if anything.
    pub(crate) fn take_seen(&self) -> Option<Seen> {
        self.response
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }
}

/// What the hooks saw of an answer besides its decoded value.
pub(crate) enum Seen {
    /// A non-success answer, as received.
    Failed(Captured),
    /// A success answer longer than [`BodyLimits::success`]: not read.
    TooLarge { status: u16 },
    /// The HTTP client followed a redirect to another host (a caller's own client that does): the
    /// answer is that host's, named here without path or query.
    Redirected { host: Option<String> },
}

/// A non-success answer as received: status, headers and body bytes (the first
/// [`BodyLimits::error`] of them when `truncated`).
pub(crate) struct Captured {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
    pub(crate) truncated: bool,
}

pin_project_lite::pin_project! {
    /// Polls `inner` with `state` as the current attempt. A scoped thread-local set around each poll
    /// costs two pointer writes; `tokio::task_local!` (used before) swaps an `Option<Arc<_>>` through
    /// a `RefCell` twice per poll, which showed in the 64-concurrency benchmark.
    pub(crate) struct WithAttempt<'a, F> {
        state: &'a AttemptState,
        // The call's span when a subscriber wants it, entered for each poll.
        span: Option<&'a tracing::Span>,
        #[pin]
        inner: F,
    }
}

impl<'a, F> WithAttempt<'a, F> {
    /// `inner`, polled as the attempt of `state` (inside `span`, when given).
    pub(crate) fn new(state: &'a AttemptState, span: Option<&'a tracing::Span>, inner: F) -> Self {
        Self { state, span, inner }
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

/// Whether an attempt of [`crate::call`] is being polled (the hooks run outside one when a generated
/// request is sent directly).
pub(crate) fn in_attempt() -> bool {
    ATTEMPT.is_set()
}

/// Keeps what a hook saw for the current attempt (nothing outside an attempt). The first one seen
/// stands: a followed redirect is recorded before the body of the other host's answer is looked at, a
/// non-success answer before progenitor decodes its (already limited) body.
pub(crate) fn keep(seen: Seen) {
    if ATTEMPT.is_set() {
        ATTEMPT.with(|attempt| {
            attempt
                .response
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .get_or_insert(seen);
        });
    }
}

/// The body limits of the current attempt; the defaults outside one.
pub(crate) fn current_limits() -> BodyLimits {
    if ATTEMPT.is_set() {
        ATTEMPT.with(|a| a.limits)
    } else {
        BodyLimits::default()
    }
}

/// The token leased for the attempt being sent, inside [`crate::call`].
pub(crate) fn current_lease() -> Option<TokenLease> {
    if ATTEMPT.is_set() {
        ATTEMPT.with(|a| a.lease.clone())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Many attempts interleaved on a multi-threaded runtime, each parked several times (and so
    /// resumed on any worker): every hook sees its own attempt's state, and none outside a poll.
    fn status(seen: &Mutex<Option<Seen>>) -> Option<u16> {
        match seen.lock().unwrap().as_ref() {
            Some(Seen::Failed(c)) => Some(c.status),
            _ => None,
        }
    }

    /// A followed redirect, recorded first, is not replaced by what is read of the other host's answer.
    #[test]
    fn the_first_thing_seen_stands() {
        let state = AttemptState::new(None, BodyLimits::default());
        ATTEMPT.set(&state, || {
            keep(Seen::Redirected {
                host: Some("elsewhere.example".into()),
            });
            keep(Seen::TooLarge { status: 200 });
        });
        assert!(matches!(
            state.take_seen(),
            Some(Seen::Redirected { host: Some(h) }) if h == "elsewhere.example"
        ));
        keep(Seen::TooLarge { status: 200 }); // outside an attempt: nowhere to keep it
        assert!(state.take_seen().is_none());
        assert_eq!(current_limits(), BodyLimits::default());
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
                            *attempt.response.lock().unwrap() = Some(Seen::Failed(Captured {
                                status: 200 + n,
                                headers: HeaderMap::new(),
                                body: Bytes::new(),
                                truncated: false,
                            }));
                        });
                        tokio::task::yield_now().await;
                        // Still this attempt's state after another suspension.
                        ATTEMPT.with(|attempt| status(&attempt.response))
                    },
                }
                .await
                .map(|seen| (n, seen, status(&state.response)))
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
