//! What a generated client carries besides its base URL and HTTP client.

use crate::auth::Authenticator;
use crate::body_limits::BodyLimits;
use std::sync::Arc;

use crate::rate_limit::{Limiter, RateLimits, SharedRateBudget};
use crate::retry::RetryPolicy;

/// A provider's credentials, the retry policy, the client-side rate limits and the answer size limits of
/// its client. Every
/// generated `Client::new` takes `impl Into<Context<A>>`, so the credentials alone are enough:
/// `Client::new(url, CrossmintAuth::new(key))`, or with a policy:
/// `Client::new(url, Context::new(auth).with_retry(RetryPolicy::none()))`.
///
/// Clones share the rate limiters (and the token cache of the credentials): clone one client for
/// every task rather than building one per task, or the vendor's limit is enforced per task.
#[derive(Clone, Debug)]
pub struct Context<A> {
    /// The credentials.
    pub auth: A,
    /// Retries for idempotent operations.
    pub retry: RetryPolicy,
    /// Client-side rate limits, shared by clones.
    pub limiter: Limiter,
    /// How much of an answer is read ([`BodyLimits`]: 16 MiB of a success, 64 KiB of an error).
    pub body_limits: BodyLimits,
}

impl<A: Authenticator> Context<A> {
    /// Credentials with the default retry policy and the provider's documented rate limits
    /// ([`Authenticator::default_rate_limits`]).
    pub fn new(auth: A) -> Self {
        Self {
            auth,
            retry: RetryPolicy::default(),
            limiter: Limiter::new(A::default_rate_limits()),
            body_limits: BodyLimits::default(),
        }
    }
}

impl<A> Context<A> {
    /// Replaces the retry policy.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Replaces the client-side rate limits ([`RateLimits::none`] turns them off). Slots stay where
    /// they were counted: in the process, or in the [`SharedRateBudget`] given before.
    pub fn with_rate_limits(mut self, limits: RateLimits) -> Self {
        self.limiter = match self.limiter.shared_parts() {
            Some((name, budget)) => Limiter::shared(limits, &name, budget),
            None => Limiter::new(limits),
        };
        self
    }

    /// Counts the client's rate-limit slots in `budget`, shared with every process that uses the same
    /// budget for provider `name` (keys `<name>/reads`, `<name>/writes`), instead of in this process:
    /// three replicas together then send no more than the vendor's limit.
    pub fn with_shared_rate_budget(
        mut self,
        name: &str,
        budget: Arc<dyn SharedRateBudget>,
    ) -> Self {
        self.limiter = Limiter::shared(self.limiter.limits(), name, budget);
        self
    }

    /// Replaces how much of an answer is read (default [`BodyLimits::default`]).
    pub fn with_body_limits(mut self, limits: BodyLimits) -> Self {
        self.body_limits = limits;
        self
    }
}

impl<A: Authenticator> From<A> for Context<A> {
    fn from(auth: A) -> Self {
        Self::new(auth)
    }
}
