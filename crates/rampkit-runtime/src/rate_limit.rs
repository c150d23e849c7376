//! Client-side rate limits: a provider's documented limits, enforced before a request is sent, so that
//! a busy service waits for its slot instead of collecting HTTP 429s.
//!
//! By default the slots are counted in the process ([governor]'s GCRA): every clone of a client shares
//! them, other processes do not. Services with replicas give their clients a [`SharedRateBudget`] (for
//! example the facade's PostgreSQL one) so that all processes together stay within the vendor's limit
//! ([`crate::Context::with_shared_rate_budget`]).
//!
//! The time a call waits for its slot is not counted against its deadline
//! ([`RetryPolicy::deadline`](crate::RetryPolicy::deadline) counts from the first slot), and it is
//! added up per task for whoever asks ([`SlotWaits`]).

use std::fmt;
use std::future::Future;
use std::num::NonZeroU32;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
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

/// Which of a provider's [`RateLimits`] a request counts against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperationClass {
    /// GET and HEAD.
    Reads,
    /// Everything else.
    Writes,
}

impl OperationClass {
    /// The class of an HTTP method.
    pub fn of(method: &str) -> Self {
        if matches!(method, "GET" | "HEAD") {
            Self::Reads
        } else {
            Self::Writes
        }
    }

    /// `reads` or `writes`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Reads => "reads",
            Self::Writes => "writes",
        }
    }
}

/// A future returned by a [`SharedRateBudget`].
pub type BudgetFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Option<Duration>, BudgetError>> + Send + 'a>>;

/// Rate-limit slots shared by several processes (replicas of a service): one budget per key, kept
/// where all of them see it, for example one row per key in a database, advanced atomically.
///
/// An implementation reserves slots `limit.spacing()` apart, first come first served, and never lets
/// more than `limit.max` slots of one key fall in any window of `limit.per` whatever the number of
/// processes.
pub trait SharedRateBudget: Send + Sync + fmt::Debug {
    /// Reserves the next slot of `key` (`<provider>/<reads|writes>`) unless it comes later than
    /// `max_wait` from now: `Some(wait)` is how long until the reserved slot (zero: at once), `None`
    /// that the next slot is later than `max_wait` (nothing was reserved).
    fn reserve<'a>(
        &'a self,
        key: &'a str,
        limit: RateLimit,
        max_wait: Duration,
    ) -> BudgetFuture<'a>;
}

/// A [`SharedRateBudget`] that could not be read or advanced (its storage failed): nothing is sent
/// without a slot.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("shared rate budget unavailable: {0}")]
pub struct BudgetError(pub String);

/// The limiters of one client, shared by every clone of it (and of its [`crate::Context`]).
#[derive(Clone, Default)]
pub struct Limiter {
    limits: RateLimits,
    reads: Option<Arc<Gcra>>,
    writes: Option<Arc<Gcra>>,
    shared: Option<Shared>,
}

#[derive(Clone)]
struct Shared {
    budget: Arc<dyn SharedRateBudget>,
    /// The provider the keys name; the keys are built once, not on every call.
    name: Arc<str>,
    reads_key: Arc<str>,
    writes_key: Arc<str>,
}

impl fmt::Debug for Limiter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Limiter")
            .field("limits", &self.limits)
            .field("shared", &self.shared.as_ref().map(|s| &s.name))
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

/// Why [`Limiter::acquire_slot`] gave no slot.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SlotError {
    /// The next slot comes after the deadline: nothing was reserved.
    NoSlot,
    /// The shared budget could not be read or advanced.
    Budget(BudgetError),
}

tokio::task_local! {
    static SLOT_WAITS: Arc<AtomicU64>;
}

/// The time the calls of a task (and of the futures it runs) spent waiting for rate-limit slots, added
/// up: run the work in [`scope`](Self::scope) and read [`total`](Self::total) at any time. The
/// onboarding engine uses it to leave slot waits out of a flow's deadline and to report them.
#[derive(Clone, Debug, Default)]
pub struct SlotWaits(Arc<AtomicU64>);

impl SlotWaits {
    /// A new, empty tally.
    pub fn new() -> Self {
        Self::default()
    }

    /// Runs `work`, adding every slot wait of its calls to this tally.
    pub async fn scope<F: Future>(&self, work: F) -> F::Output {
        SLOT_WAITS.scope(Arc::clone(&self.0), work).await
    }

    /// The waits so far.
    pub fn total(&self) -> Duration {
        Duration::from_nanos(self.0.load(Ordering::Relaxed))
    }

    /// Adds `wait` by hand (a wait the caller spent on behalf of a slot, such as a backoff after
    /// [`SlotError::NoSlot`]).
    pub fn add(&self, wait: Duration) {
        add_nanos(&self.0, wait);
    }
}

fn add_nanos(tally: &AtomicU64, wait: Duration) {
    let nanos = u64::try_from(wait.as_nanos()).unwrap_or(u64::MAX);
    let _ = tally.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |t| {
        Some(t.saturating_add(nanos))
    });
}

/// Adds `wait` to the current task's [`SlotWaits`], if it has one.
fn record_wait(wait: Duration) {
    if !wait.is_zero() {
        let _ = SLOT_WAITS.try_with(|tally| add_nanos(tally, wait));
    }
}

impl Limiter {
    /// Limiters for `limits`.
    pub fn new(limits: RateLimits) -> Self {
        Self {
            limits,
            reads: gcra(limits.reads),
            writes: gcra(limits.writes),
            shared: None,
        }
    }

    /// `limits` counted in `budget` under keys `<name>/reads` and `<name>/writes` (`name`: the
    /// provider), shared with every process that uses the same budget and name.
    pub fn shared(limits: RateLimits, name: &str, budget: Arc<dyn SharedRateBudget>) -> Self {
        Self {
            limits,
            reads: None,
            writes: None,
            shared: Some(Shared {
                budget,
                name: name.into(),
                reads_key: format!("{name}/reads").into(),
                writes_key: format!("{name}/writes").into(),
            }),
        }
    }

    /// The limits enforced.
    pub fn limits(&self) -> RateLimits {
        self.limits
    }

    /// Whether the slots come from a [`SharedRateBudget`].
    pub fn is_shared(&self) -> bool {
        self.shared.is_some()
    }

    /// The provider name and the budget of a shared limiter.
    pub(crate) fn shared_parts(&self) -> Option<(String, Arc<dyn SharedRateBudget>)> {
        let shared = self.shared.as_ref()?;
        Some((shared.name.to_string(), Arc::clone(&shared.budget)))
    }

    /// Waits for a slot for a request with `method`, until `deadline` at the latest. Returns how long
    /// it waited, or [`NoSlot`] (at once) when the next slot comes after the deadline or the shared
    /// budget failed ([`acquire_slot`](Self::acquire_slot) tells which).
    pub async fn acquire(&self, method: &str, deadline: Instant) -> Result<Duration, NoSlot> {
        self.acquire_slot(method, deadline)
            .await
            .map_err(|_| NoSlot)
    }

    /// Waits for a slot for a request with `method`, until `deadline` at the latest, and adds the wait
    /// to the task's [`SlotWaits`]. Returns how long it waited.
    pub async fn acquire_slot(
        &self,
        method: &str,
        deadline: Instant,
    ) -> Result<Duration, SlotError> {
        let class = OperationClass::of(method);
        let waited = match &self.shared {
            Some(shared) => self.shared_slot(shared, class, deadline).await?,
            None => self.local_slot(class, deadline).await?,
        };
        record_wait(waited);
        Ok(waited)
    }

    async fn shared_slot(
        &self,
        shared: &Shared,
        class: OperationClass,
        deadline: Instant,
    ) -> Result<Duration, SlotError> {
        let (limit, key) = match class {
            OperationClass::Reads => (self.limits.reads, &shared.reads_key),
            OperationClass::Writes => (self.limits.writes, &shared.writes_key),
        };
        let Some(limit) = limit else {
            return Ok(Duration::ZERO);
        };
        let started = Instant::now();
        let max_wait = deadline.saturating_duration_since(started);
        match shared.budget.reserve(key, limit, max_wait).await {
            Ok(Some(wait)) => {
                tokio::time::sleep(wait).await;
                Ok(started.elapsed())
            }
            Ok(None) => Err(SlotError::NoSlot),
            Err(error) => Err(SlotError::Budget(error)),
        }
    }

    async fn local_slot(
        &self,
        class: OperationClass,
        deadline: Instant,
    ) -> Result<Duration, SlotError> {
        let gcra = match class {
            OperationClass::Reads => &self.reads,
            OperationClass::Writes => &self.writes,
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
                        return Err(SlotError::NoSlot);
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
