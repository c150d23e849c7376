//! What a generated client carries besides its base URL and HTTP client.

use crate::retry::RetryPolicy;

/// A provider's credentials and the retry policy of its client. Every generated `Client::new` takes
/// `impl Into<Context<A>>`, so the credentials alone are enough:
/// `Client::new(url, CrossmintAuth::new(key))`, or with a policy:
/// `Client::new(url, Context::new(auth).with_retry(RetryPolicy::none()))`.
#[derive(Clone, Debug)]
pub struct Context<A> {
    /// The credentials.
    pub auth: A,
    /// Retries for idempotent operations.
    pub retry: RetryPolicy,
}

impl<A> Context<A> {
    /// Credentials with the default retry policy.
    pub fn new(auth: A) -> Self {
        Self {
            auth,
            retry: RetryPolicy::default(),
        }
    }

    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }
}

impl<A: crate::auth::Authenticator> From<A> for Context<A> {
    fn from(auth: A) -> Self {
        Self::new(auth)
    }
}
