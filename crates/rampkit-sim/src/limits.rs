//! The vendors' documented rate limits, enforced per vendor: over the limit the vendor answers HTTP 429
//! with `Retry-After`.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde::{Deserialize, Serialize};

/// A vendor's request budget; `None` is unlimited. Writes are every method but GET.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimit {
    /// Non-GET requests per minute.
    pub writes_per_minute: Option<u32>,
    /// GET requests per minute.
    pub reads_per_minute: Option<u32>,
}

impl RateLimit {
    /// No limit.
    pub fn none() -> Self {
        Self::default()
    }
}

/// One vendor's limiters.
pub struct Limiter {
    writes: Option<DefaultDirectRateLimiter>,
    reads: Option<DefaultDirectRateLimiter>,
}

fn per_minute(limit: Option<u32>) -> Option<DefaultDirectRateLimiter> {
    let n = NonZeroU32::new(limit?)?;
    Some(RateLimiter::direct(Quota::per_minute(n)))
}

impl Limiter {
    /// Limiters for `limit`.
    pub fn new(limit: &RateLimit) -> Self {
        Self {
            writes: per_minute(limit.writes_per_minute),
            reads: per_minute(limit.reads_per_minute),
        }
    }

    /// `Err(wait)` when the vendor is over its limit for this kind of request (`read`: a GET).
    pub fn check(&self, read: bool) -> Result<(), Duration> {
        let limiter = if read { &self.reads } else { &self.writes };
        match limiter {
            Some(limiter) => limiter
                .check()
                .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now())),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_count_reads_and_writes_apart() {
        let limiter = Limiter::new(&RateLimit {
            writes_per_minute: Some(2),
            reads_per_minute: Some(1),
        });
        assert!(limiter.check(false).is_ok());
        assert!(limiter.check(false).is_ok());
        let wait = limiter.check(false).unwrap_err();
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert!(limiter.check(true).is_ok());
        assert!(limiter.check(true).is_err());
        let open = Limiter::new(&RateLimit::none());
        for _ in 0..1000 {
            assert!(open.check(false).is_ok());
        }
    }
}
