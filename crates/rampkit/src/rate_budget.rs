//! One vendor rate budget for every process of a service (feature `postgres`): [`PostgresRateBudget`]
//! keeps the next free slot of each provider and operation class in one row of a PostgreSQL table,
//! advanced atomically by a single statement, so any number of replicas together stay within the
//! vendor's documented limit. Without it each process counts its own slots (the runtime's in-process
//! limiter): three replicas would send three times the limit.

use std::sync::Arc;
use std::time::Duration;

use rampkit_runtime::rate_limit::{BudgetError, BudgetFuture, RateLimit, SharedRateBudget};

use crate::journal::JournalError;
use crate::journal::PostgresJournal;
use crate::journal::postgres::{Database, storage};

/// The budget's table: one row per key (`<provider>/<reads|writes>`), the time of its next free slot.
/// Created on first use (`IF NOT EXISTS`): it holds no data worth migrating — a lost row only means the
/// next slot is free at once.
const CREATE: &str = "CREATE TABLE IF NOT EXISTS rampkit_rate_slots (
         key TEXT PRIMARY KEY,
         next_slot TIMESTAMPTZ NOT NULL
     )";

/// GCRA in one statement. The slot handed out is `max(next_slot, now)`; `next_slot` moves one spacing
/// past it — unless that slot is later than the caller can wait, when nothing changes and no row is
/// returned. The row lock `ON CONFLICT … DO UPDATE` takes serialises concurrent callers, first come
/// first served; the server's clock decides, so replicas' clocks need not agree. Returns the wait in
/// microseconds.
const RESERVE: &str = "INSERT INTO rampkit_rate_slots AS s (key, next_slot)
     VALUES ($1, clock_timestamp() + $2::bigint * interval '1 microsecond')
     ON CONFLICT (key) DO UPDATE
         SET next_slot = GREATEST(s.next_slot, clock_timestamp()) + $2::bigint * interval '1 microsecond'
         WHERE GREATEST(s.next_slot, clock_timestamp())
               <= clock_timestamp() + $3::bigint * interval '1 microsecond'
     RETURNING GREATEST(0, extract(epoch FROM
         s.next_slot - $2::bigint * interval '1 microsecond' - clock_timestamp()) * 1000000)::bigint";

/// Headroom added to each window by default: a slot is not the instant the request reaches the vendor
/// (a connection, a scheduler, a network in between), so slots are spread over the window plus this
/// much, and requests that arrive a little late never put `max + 1` of them in one window at the
/// vendor. 1 % of the window, at least 250 ms.
pub fn default_headroom(window: Duration) -> Duration {
    (window / 100).max(Duration::from_millis(250))
}

/// Rate-limit slots kept in PostgreSQL and shared by every process that uses the same database (see
/// the [module docs](self)). Give it to the clients with
/// [`Context::with_shared_rate_budget`](rampkit_runtime::Context::with_shared_rate_budget) (the
/// connectors do it from [`Setup::rate_budget`](crate::providers::Setup::rate_budget)).
///
/// Slots of a limit of `max` per `per` are `(per + headroom) / max` apart ([`default_headroom`]), so
/// that no window of `per` at the vendor sees more than `max` requests even when requests take
/// different times to get there.
#[derive(Clone)]
pub struct PostgresRateBudget {
    db: Arc<Database>,
    headroom: Option<Duration>,
}

impl std::fmt::Debug for PostgresRateBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresRateBudget")
            .field("database", &self.db.label)
            .finish_non_exhaustive()
    }
}

impl PostgresRateBudget {
    /// Connects to the database at `url` (at most 4 connections) and creates the table if needed. The
    /// URL's password is never shown.
    pub fn connect(url: &str) -> Result<Self, JournalError> {
        Self::on(Arc::new(Database::connect(url, 4)?))
    }

    /// The budget in the database of `journal`, over its connections.
    pub fn of_journal(journal: &PostgresJournal) -> Result<Self, JournalError> {
        Self::on(Arc::clone(journal.database()))
    }

    fn on(db: Arc<Database>) -> Result<Self, JournalError> {
        let (pool, label) = (db.pool.clone(), db.label.clone());
        db.block(async move {
            let client = pool.get().await.map_err(storage(&label))?;
            client.batch_execute(CREATE).await.map_err(storage(&label))
        })?;
        Ok(Self { db, headroom: None })
    }

    /// Replaces the headroom added to each window ([`default_headroom`]).
    pub fn with_headroom(mut self, headroom: Duration) -> Self {
        self.headroom = Some(headroom);
        self
    }

    /// The spacing of the slots of `limit`.
    pub fn spacing(&self, limit: RateLimit) -> Duration {
        let headroom = self.headroom.unwrap_or_else(|| default_headroom(limit.per));
        (limit.per + headroom) / limit.max.max(1)
    }

    /// `postgres://user@host:port/db`: where the budget is, without the password.
    pub fn label(&self) -> &str {
        &self.db.label
    }
}

fn micros(d: Duration) -> i64 {
    i64::try_from(d.as_micros()).unwrap_or(i64::MAX)
}

impl SharedRateBudget for PostgresRateBudget {
    fn reserve<'a>(
        &'a self,
        key: &'a str,
        limit: RateLimit,
        max_wait: Duration,
    ) -> BudgetFuture<'a> {
        let (pool, label) = (self.db.pool.clone(), self.db.label.clone());
        // PostgreSQL intervals end near 178 million years: a caller's "no deadline" is a year here.
        const YEAR: Duration = Duration::from_secs(365 * 24 * 3600);
        let (key, spacing, max_wait) = (
            key.to_owned(),
            micros(self.spacing(limit).min(YEAR)).max(1),
            micros(max_wait.min(YEAR)),
        );
        let reserved = self.db.spawn(async move {
            let client = pool.get().await.map_err(storage(&label))?;
            let statement = client
                .prepare_cached(RESERVE)
                .await
                .map_err(storage(&label))?;
            let row = client
                .query_opt(&statement, &[&key, &spacing, &max_wait])
                .await
                .map_err(storage(&label))?;
            Ok(row
                .map(|row| Duration::from_micros(u64::try_from(row.get::<_, i64>(0)).unwrap_or(0))))
        });
        Box::pin(async move { reserved.await.map_err(|e| BudgetError(e.to_string())) })
    }
}
