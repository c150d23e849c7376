//! When and how often a failed call is sent again.

use std::time::{Duration, Instant, SystemTime};

use backon::{BackoffBuilder, ExponentialBuilder};
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// Retries for idempotent operations (GET, PUT, DELETE and POSTs marked `x-idempotent: true` in the
/// spec) on network failures and HTTP 429, 500, 502, 503 and 504: exponential backoff with jitter,
/// honouring `Retry-After`, within an attempt count and an overall deadline.
///
/// Non-idempotent operations (registrations, payments) are never retried by the runtime, whatever the
/// policy says: a duplicate registration is worse than an error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts, the first one included (1 = never retry).
    pub max_attempts: u32,
    /// Delay before the first retry.
    pub initial_delay: Duration,
    /// Upper bound of one delay (a longer `Retry-After` still wins, within the deadline).
    pub max_delay: Duration,
    /// No retry starts later than this after the first attempt.
    pub deadline: Duration,
    /// Randomise delays so that many clients do not retry in lock-step.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            deadline: Duration::from_secs(30),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// The delays between attempts, before `Retry-After` is taken into account.
    pub fn delays(&self) -> impl Iterator<Item = Duration> + use<> {
        let mut builder = ExponentialBuilder::new()
            .with_min_delay(self.initial_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .with_max_times(self.max_attempts.saturating_sub(1) as usize);
        if self.jitter {
            builder = builder.with_jitter();
        }
        builder.build()
    }
}

/// HTTP statuses worth retrying for an idempotent operation.
pub const fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// The longest `Retry-After` rampkit reports ([`crate::Error::retry_after`]): 24 hours. A vendor may
/// write any number (`18446744073709551615`) or a date in year 9999; a call never waits past its own
/// deadline anyway, and a caller that waits for `retry_after()` itself can add it to an `Instant`
/// without overflow. "Come back in more than a day" is reported as "in a day".
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// `Retry-After` as seconds or as an HTTP date, at most [`MAX_RETRY_AFTER`]. `None` when absent or
/// neither (a number too large for a `u64` is neither).
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    let after = match value.parse::<u64>() {
        Ok(seconds) => Duration::from_secs(seconds),
        Err(_) => httpdate::parse_http_date(value)
            .ok()?
            .duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    };
    Some(after.min(MAX_RETRY_AFTER))
}

/// `start + after`, or the latest instant the platform can represent on the way there: a deadline of
/// `Duration::MAX` (a caller's "no deadline") must not panic.
pub(crate) fn instant_after(start: Instant, mut after: Duration) -> Instant {
    loop {
        if let Some(at) = start.checked_add(after) {
            return at;
        }
        after /= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_and_stop_after_the_attempts() {
        let p = RetryPolicy {
            jitter: false,
            ..RetryPolicy::default()
        };
        let d: Vec<u128> = p.delays().map(|d| d.as_millis()).collect();
        assert_eq!(d, vec![200, 400]);
        assert_eq!(RetryPolicy::none().delays().count(), 0);
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        h.insert(RETRY_AFTER, later.parse().unwrap());
        let d = retry_after(&h).unwrap();
        assert!(
            d > Duration::from_secs(100) && d <= Duration::from_secs(120),
            "{d:?}"
        );
        h.insert(RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(retry_after(&h), None);
    }

    #[test]
    fn retry_after_is_capped_whatever_the_vendor_writes() {
        let mut h = HeaderMap::new();
        for value in [
            "18446744073709551615",
            "86401",
            "Fri, 31 Dec 9999 23:59:59 GMT",
        ] {
            h.insert(RETRY_AFTER, value.parse().unwrap());
            assert_eq!(retry_after(&h), Some(MAX_RETRY_AFTER), "{value}");
        }
        h.insert(RETRY_AFTER, "86400".parse().unwrap());
        assert_eq!(retry_after(&h), Some(Duration::from_secs(86_400)));
        h.insert(RETRY_AFTER, "99999999999999999999".parse().unwrap());
        assert_eq!(retry_after(&h), None, "not a u64, not a date");
        assert!(Instant::now().checked_add(MAX_RETRY_AFTER).is_some());
    }

    #[test]
    fn instant_after_never_panics() {
        let now = Instant::now();
        assert_eq!(
            instant_after(now, Duration::from_secs(5)),
            now + Duration::from_secs(5)
        );
        assert!(instant_after(now, Duration::MAX) >= now + Duration::from_secs(365 * 86_400));
    }
}
