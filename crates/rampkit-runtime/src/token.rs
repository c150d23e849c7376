//! The token a provider's credentials log in for: a [`TokenLease`] per call, and the [`TokenCache`] that
//! logs in once for every call waiting, shares a failed login, and forgets only a rejected token.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::credential::{AuthError, sensitive_header};
use crate::error::Error;

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
