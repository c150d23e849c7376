//! Client-side rate limits: a provider's documented limits, enforced before a request is sent, so that
//! a busy service waits for its slot instead of collecting HTTP 429s.

use std::fmt;
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::{Duration, Instant};

use governor::clock::{Clock, MonotonicClock};
use governor::middleware::NoOpMiddleware;
use governor::state::{InMemoryState, NotKeyed};
use governor::{Quota, RateLimiter};

/// At most `max` requests in any window of `per`.
///
/// Enforced as evenly spaced slots (one every `per / max`, no burst): a burst allowance would let
/// `max` requests through at once and `max` more within the same window as the allowance refills,
/// which is twice the vendor's limit in a sliding window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests per window.
    pub max: u32,
    /// The window.
    pub per: Duration,
}

impl RateLimit {
    /// `max` requests per minute.
    pub const fn per_minute(max: u32) -> Self {
        Self {
            max,
            per: Duration::from_secs(60),
        }
    }

    /// The spacing between two slots.
    pub fn spacing(&self) -> Duration {
        self.per / self.max.max(1)
    }
}

/// Rate limits of one provider, per operation class: reads (GET, HEAD) and writes (everything else).
/// `None` is no limit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateLimits {
    /// GET and HEAD.
    pub reads: Option<RateLimit>,
    /// POST, PUT, PATCH, DELETE.
    pub writes: Option<RateLimit>,
}

impl RateLimits {
    /// No client-side limit (providers that document none).
    pub const fn none() -> Self {
        Self {
            reads: None,
            writes: None,
        }
    }
}

type Gcra =
    RateLimiter<NotKeyed, InMemoryState, MonotonicClock, NoOpMiddleware<std::time::Instant>>;

/// The limiters of one client, shared by every clone of it (and of its [`crate::Context`]).
#[derive(Clone, Default)]
pub struct Limiter {
    limits: RateLimits,
    reads: Option<Arc<Gcra>>,
    writes: Option<Arc<Gcra>>,
}

impl fmt::Debug for Limiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Limiter")
            .field("limits", &self.limits)
            .finish()
    }
}

fn gcra(limit: Option<RateLimit>) -> Option<Arc<Gcra>> {
    let limit = limit?;
    let quota = Quota::with_period(limit.spacing().max(Duration::from_nanos(1)))?
        .allow_burst(NonZeroU32::MIN);
    Some(Arc::new(RateLimiter::direct_with_clock(
        quota,
        MonotonicClock,
    )))
}

/// No slot within the call's deadline.
#[derive(Clone, Copy, Debug)]
pub struct NoSlot;

impl Limiter {
    /// Limiters for `limits`.
    pub fn new(limits: RateLimits) -> Self {
        Self {
            limits,
            reads: gcra(limits.reads),
            writes: gcra(limits.writes),
        }
    }

    /// The limits enforced.
    pub fn limits(&self) -> RateLimits {
        self.limits
    }

    /// Waits for a slot for a request with `method`, until `deadline` at the latest. Returns how long
    /// it waited, or [`NoSlot`] (at once) when the next slot comes after the deadline.
    pub async fn acquire(&self, method: &str, deadline: Instant) -> Result<Duration, NoSlot> {
        let gcra = if matches!(method, "GET" | "HEAD") {
            &self.reads
        } else {
            &self.writes
        };
        let Some(gcra) = gcra else {
            return Ok(Duration::ZERO);
        };
        let started = Instant::now();
        loop {
            match gcra.check() {
                Ok(()) => return Ok(started.elapsed()),
                Err(not_until) => {
                    let wait = not_until.wait_time_from(MonotonicClock.now());
                    if Instant::now()
                        .checked_add(wait)
                        .is_none_or(|at| at > deadline)
                    {
                        return Err(NoSlot);
                    }
                    tokio::time::sleep(wait).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn slots_are_evenly_spaced_and_never_more_than_max_in_a_window() {
        let limit = RateLimit {
            max: 10,
            per: Duration::from_millis(200),
        };
        let limiter = Limiter::new(RateLimits {
            reads: None,
            writes: Some(limit),
        });
        let far = Instant::now() + Duration::from_secs(10);
        let mut granted = Vec::new();
        let tasks: Vec<_> = (0..30)
            .map(|_| {
                let limiter = limiter.clone();
                tokio::spawn(async move {
                    limiter.acquire("POST", far).await.unwrap();
                    Instant::now()
                })
            })
            .collect();
        for t in tasks {
            granted.push(t.await.unwrap());
        }
        granted.sort();
        for (i, at) in granted.iter().enumerate() {
            if let Some(later) = granted.get(i + limit.max as usize) {
                assert!(
                    *later - *at >= limit.per - Duration::from_millis(1),
                    "slot {} came {:?} after slot {i}",
                    i + limit.max as usize,
                    *later - *at
                );
            }
        }
        // Reads are not limited here.
        let t = Instant::now();
        for _ in 0..100 {
            limiter.acquire("GET", far).await.unwrap();
        }
        assert!(t.elapsed() < Duration::from_millis(100));
    }

    #[tokio::test]
    async fn a_slot_after_the_deadline_fails_at_once() {
        let limiter = Limiter::new(RateLimits {
            reads: None,
            writes: Some(RateLimit::per_minute(1)),
        });
        let deadline = Instant::now() + Duration::from_secs(1);
        assert!(limiter.acquire("PUT", deadline).await.is_ok());
        let t = Instant::now();
        assert!(limiter.acquire("PUT", deadline).await.is_err());
        assert!(t.elapsed() < Duration::from_millis(100));
    }
}
