//! What one attempt of a call shares with the generated hooks that run inside it: the token leased for
//! the attempt (read by [`crate::auth::apply`] through [`current_lease`]) and the answer as received
//! when it is not a success (kept by [`crate::exec`], classified by [`crate::call`]).

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context as TaskContext, Poll};

use bytes::Bytes;
use reqwest::header::HeaderMap;

use crate::token::TokenLease;

scoped_tls::scoped_thread_local! {
    /// The state of the attempt being polled. Set only while [`WithAttempt`] polls the attempt's request
    /// future, so the hooks (which run inside that poll) see their own attempt's state, on whatever
    /// thread the task is polled.
    static ATTEMPT: AttemptState
}

/// One attempt's state: the token to send, and the answer as received when it is not a success.
#[derive(Default)]
pub(crate) struct AttemptState {
    lease: Option<TokenLease>,
    response: Mutex<Option<Captured>>,
}

impl AttemptState {
    /// The state of an attempt that sends `lease`.
    pub(crate) fn new(lease: Option<TokenLease>) -> Self {
        Self {
            lease,
            response: Mutex::default(),
        }
    }

    /// The token the attempt sent.
    pub(crate) fn lease(&self) -> Option<&TokenLease> {
        self.lease.as_ref()
    }

    /// The non-success answer the attempt received, if any.
    pub(crate) fn take_answer(&self) -> Option<Captured> {
        self.response
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
    }
}

/// A non-success answer as received: status, headers and body bytes.
pub(crate) struct Captured {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Bytes,
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

/// Keeps `answer` as the current attempt's non-success answer (nothing outside an attempt).
pub(crate) fn keep_answer(answer: Captured) {
    if ATTEMPT.is_set() {
        ATTEMPT.with(|attempt| {
            *attempt.response.lock().unwrap_or_else(|e| e.into_inner()) = Some(answer);
        });
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
