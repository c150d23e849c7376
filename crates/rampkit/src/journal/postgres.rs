//! The journal in PostgreSQL (feature `postgres`): one database that every replica, cron job and
//! process of a service shares, claims included.

use std::future::Future;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;
use tokio_postgres::config::Host;

use super::{Claim, Journal, JournalEntry, JournalError, SCHEMA_VERSION, StoredEntry};

mod tls;
use crate::onboarding::BoxFuture;
use crate::providers::Provider;

/// The migrations, in order: migration `i` takes the schema from version `i` to `i + 1`, as the SQLite
/// journal's do (the same versions mean the same tables). The version is the one row of
/// `rampkit_journal_schema`.
const MIGRATIONS: [&str; SCHEMA_VERSION as usize] = [
    // 0 → 1: the batch id and the entries.
    "CREATE TABLE rampkit_journal_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE rampkit_journal_entries (
         id BIGSERIAL PRIMARY KEY,
         customer TEXT NOT NULL,
         provider TEXT NOT NULL,
         step TEXT NOT NULL,
         phase TEXT NOT NULL,
         at TEXT NOT NULL,
         detail TEXT
     );",
    // 1 → 2: the e-mail lookup key, and indexes by customer or key.
    "ALTER TABLE rampkit_journal_entries ADD COLUMN lookup_key TEXT;
     CREATE INDEX rampkit_journal_entries_pair ON rampkit_journal_entries (customer, provider);
     CREATE INDEX rampkit_journal_entries_key ON rampkit_journal_entries (lookup_key);",
    // 2 → 3: claims, one row per customer × provider (its primary key is the guarantee: one holder).
    "CREATE TABLE rampkit_journal_claims (
         customer TEXT NOT NULL,
         provider TEXT NOT NULL,
         owner TEXT NOT NULL,
         expires_at TIMESTAMPTZ NOT NULL,
         PRIMARY KEY (customer, provider)
     );",
];

/// Serialises the migrations of processes that open the journal at the same moment: a transaction-level
/// advisory lock of PostgreSQL's own, released at commit (the key is an arbitrary constant of rampkit's).
const MIGRATION_LOCK: i64 = 0x7261_6d70_6b69_7403;

/// Takes a free claim, renews the owner's own, or takes over one whose lease ran out: one statement,
/// atomic under PostgreSQL's unique-key check (`ON CONFLICT` locks the row it updates). The server's
/// clock decides expiry, so replicas' clocks need not agree.
const CLAIM: &str = "INSERT INTO rampkit_journal_claims (customer, provider, owner, expires_at)
     VALUES ($1, $2, $3, now() + $4::bigint * interval '1 millisecond')
     ON CONFLICT (customer, provider) DO UPDATE
         SET owner = excluded.owner, expires_at = excluded.expires_at
         WHERE rampkit_journal_claims.owner = excluded.owner
            OR rampkit_journal_claims.expires_at <= now()
     RETURNING owner";

const HELD_FOR: &str = "SELECT GREATEST(0, (extract(epoch FROM expires_at - now()) * 1000))::bigint
     FROM rampkit_journal_claims WHERE customer = $1 AND provider = $2";

const INSERT: &str = "INSERT INTO rampkit_journal_entries
         (customer, provider, step, phase, at, detail, lookup_key)
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

const SELECT: &str = "SELECT id, customer, provider, step, phase, at, detail, lookup_key
     FROM rampkit_journal_entries";

/// A journal in a PostgreSQL database, shared by any number of processes.
///
/// Opened with a connection URL (`postgres://user:password@host:5432/db`); the URL's password is never
/// printed — [`Debug`](std::fmt::Debug), errors and [`label`](Self::label) show
/// `postgres://user@host:port/db`. The tables are created (and migrated from an older rampkit) on
/// open, under a transaction-level advisory lock so that processes starting together migrate once; a
/// database whose journal has a newer schema is refused ([`JournalError::NewerSchema`]). Appends commit
/// before they return (PostgreSQL's default `synchronous_commit`).
///
/// The connections run on a small runtime of the journal's own (one thread), so the journal serves
/// synchronous and asynchronous callers alike, from any runtime. Connections are made without TLS:
/// use it over loopback or a private network (a TLS connector is not built in yet).
pub struct PostgresJournal {
    db: Arc<Database>,
}

impl std::fmt::Debug for PostgresJournal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresJournal")
            .field("database", &self.db.label)
            .finish_non_exhaustive()
    }
}

/// A connection pool to one database and the small runtime its connections run on (one thread), so
/// that synchronous and asynchronous callers on any runtime can use it. Shared by the journal and the
/// [`PostgresRateBudget`](crate::PostgresRateBudget) made from it.
pub(crate) struct Database {
    pub(crate) label: String,
    pub(crate) pool: Pool,
    runtime: Option<tokio::runtime::Runtime>,
}

/// `postgres://user@host:port/db`: the URL without its password (or any other parameter).
fn label_of(config: &tokio_postgres::Config) -> String {
    let user = config
        .get_user()
        .map(|u| format!("{u}@"))
        .unwrap_or_default();
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(host)) => host.clone(),
        #[cfg(unix)]
        Some(Host::Unix(path)) => path.display().to_string(),
        None => "localhost".to_owned(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config.get_dbname().unwrap_or_default();
    format!("postgres://{user}{host}:{port}/{db}")
}

impl PostgresJournal {
    /// Connects to the database at `url` (at most 16 connections), creating or migrating the journal's
    /// tables. The URL is not echoed in any error.
    ///
    /// TLS: `postgres://…?sslmode=require` connects over rustls only, with the server's certificate
    /// verified for the URL's host against the system's root certificates, or against the CA file the
    /// URL names (`&sslrootcert=/path/to/ca.pem`, libpq's parameter: a managed database's own CA).
    /// Without `sslmode=require` the connection is plain.
    pub fn connect(url: &str) -> Result<Self, JournalError> {
        let db = Database::connect(url, 16)?;
        db.block(migrate(db.pool.clone(), db.label.clone()))?;
        Ok(Self { db: Arc::new(db) })
    }

    /// The connection pool, shared with a rate budget made from this journal.
    pub(crate) fn database(&self) -> &Arc<Database> {
        &self.db
    }

    /// `postgres://user@host:port/db`: where the journal is, without the password.
    pub fn label(&self) -> &str {
        &self.db.label
    }

    /// The schema version of the database (after migration: [`SCHEMA_VERSION`]).
    pub fn schema_version(&self) -> Result<u32, JournalError> {
        let (pool, label) = (self.db.pool.clone(), self.db.label.clone());
        self.db.block(async move {
            let client = pool.get().await.map_err(storage(&label))?;
            let row = client
                .query_one("SELECT version FROM rampkit_journal_schema", &[])
                .await
                .map_err(storage(&label))?;
            Ok(row.get::<_, i32>(0).max(0) as u32)
        })
    }

    fn spawn<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T, JournalError>> + Send + 'static,
    ) -> BoxFuture<'static, Result<T, JournalError>> {
        self.db.spawn(work)
    }

    fn block<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T, JournalError>> + Send + 'static,
    ) -> Result<T, JournalError> {
        self.db.block(work)
    }

    fn select(
        &self,
        filter: &'static str,
        customer: Option<(String, Provider)>,
    ) -> BoxFuture<'static, Result<Vec<JournalEntry>, JournalError>> {
        let (pool, label) = (self.db.pool.clone(), self.db.label.clone());
        self.spawn(async move {
            let client = pool.get().await.map_err(storage(&label))?;
            let statement = client
                .prepare_cached(&format!("{SELECT} {filter} ORDER BY id"))
                .await
                .map_err(storage(&label))?;
            let rows = match &customer {
                Some((customer, provider)) => {
                    client
                        .query(&statement, &[customer, &provider.as_str()])
                        .await
                }
                None => client.query(&statement, &[]).await,
            }
            .map_err(storage(&label))?;
            rows.into_iter()
                .map(|row| {
                    StoredEntry {
                        id: row.get(0),
                        customer: row.get(1),
                        provider: row.get(2),
                        step: row.get(3),
                        phase: row.get(4),
                        at: row.get(5),
                        detail: row.get(6),
                        lookup_key: row.get(7),
                    }
                    .decode()
                })
                .collect()
        })
    }
}

impl Database {
    /// Connects to the database at `url` with at most `max_size` connections. The URL is not echoed
    /// in any error.
    pub(crate) fn connect(url: &str, max_size: usize) -> Result<Self, JournalError> {
        // `sslrootcert` is libpq's, not tokio-postgres's: taken out before the URL is parsed.
        let (url, root_cert) = tls::split_root_cert(url);
        let config = tokio_postgres::Config::from_str(&url).map_err(|_| {
            JournalError::Storage(
                "the PostgreSQL URL does not parse (it is not shown: it may hold a password)"
                    .to_owned(),
            )
        })?;
        let label = label_of(&config);
        let tls = tls::connector(config.get_ssl_mode(), root_cert.as_deref(), &label)?;
        let manager_config = ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        };
        let manager = match tls {
            Some(tls) => Manager::from_config(config, tls, manager_config),
            None => Manager::from_config(config, NoTls, manager_config),
        };
        let pool = Pool::builder(manager)
            .max_size(max_size)
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .wait_timeout(Some(Duration::from_secs(30)))
            .create_timeout(Some(Duration::from_secs(10)))
            .build()
            .map_err(|e| JournalError::Storage(format!("{label}: {e}")))?;
        // Last: a runtime dropped on an error path inside the caller's runtime would panic.
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("rampkit-pg")
            .enable_all()
            .build()
            .map_err(|e| JournalError::Storage(format!("{label}: cannot start a runtime: {e}")))?;
        Ok(Self {
            label,
            pool,
            runtime: Some(runtime),
        })
    }

    /// Runs `work` on the database's runtime; the answer is awaited from any runtime.
    pub(crate) fn spawn<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T, JournalError>> + Send + 'static,
    ) -> BoxFuture<'static, Result<T, JournalError>> {
        let label = self.label.clone();
        let task = self.runtime.as_ref().map(|r| r.spawn(work));
        Box::pin(async move {
            match task {
                Some(task) => task.await.map_err(|_| stopped(&label))?,
                None => Err(stopped(&label)),
            }
        })
    }

    /// Runs `work` on the database's runtime and waits for it on this thread.
    pub(crate) fn block<T: Send + 'static>(
        &self,
        work: impl Future<Output = Result<T, JournalError>> + Send + 'static,
    ) -> Result<T, JournalError> {
        let (done, answer) = std::sync::mpsc::sync_channel(1);
        let runtime = self.runtime.as_ref().ok_or_else(|| stopped(&self.label))?;
        runtime.spawn(async move {
            let _ = done.send(work.await);
        });
        answer.recv().map_err(|_| stopped(&self.label))?
    }
}

impl Drop for Database {
    /// Stops the database's runtime without waiting (dropping it inside another runtime would panic).
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

fn stopped(label: &str) -> JournalError {
    JournalError::Storage(format!("{label}: the database's connection task stopped"))
}

/// Names the database (never its password) and the problem, with its causes (the pool's "error while
/// creating a new object" says why only in its source: the server's message).
pub(crate) fn storage<E: std::error::Error>(label: &str) -> impl Fn(E) -> JournalError + '_ {
    move |e| {
        let mut text = format!("{label}: {e}");
        let mut source = e.source();
        while let Some(cause) = source {
            text.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        JournalError::Storage(text)
    }
}

/// Creates or migrates the tables in one transaction, under the advisory lock; refuses a newer schema.
async fn migrate(pool: Pool, label: String) -> Result<(), JournalError> {
    let mut client = pool.get().await.map_err(storage(&label))?;
    let tx = client.transaction().await.map_err(storage(&label))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .await
        .map_err(storage(&label))?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS rampkit_journal_schema (version INTEGER NOT NULL)",
    )
    .await
    .map_err(storage(&label))?;
    let version = tx
        .query_opt("SELECT version FROM rampkit_journal_schema", &[])
        .await
        .map_err(storage(&label))?
        .map(|row| row.get::<_, i32>(0).max(0) as u32);
    if version.is_some_and(|v| v > SCHEMA_VERSION) {
        return Err(JournalError::NewerSchema {
            found: version.unwrap_or_default(),
            supported: SCHEMA_VERSION,
        });
    }
    let from = version.unwrap_or(0);
    for sql in MIGRATIONS.iter().skip(from as usize) {
        tx.batch_execute(sql).await.map_err(storage(&label))?;
    }
    let current = SCHEMA_VERSION as i32;
    if version.is_none() {
        tx.execute(
            "INSERT INTO rampkit_journal_schema (version) VALUES ($1)",
            &[&current],
        )
        .await
        .map_err(storage(&label))?;
    } else {
        tx.execute(
            "UPDATE rampkit_journal_schema SET version = $1",
            &[&current],
        )
        .await
        .map_err(storage(&label))?;
    }
    tx.commit().await.map_err(storage(&label))
}

impl Journal for PostgresJournal {
    fn open_batch(&self, batch_id: &str) -> Result<(), JournalError> {
        let (pool, label, batch) = (
            self.db.pool.clone(),
            self.db.label.clone(),
            batch_id.to_owned(),
        );
        self.block(async move {
            let client = pool.get().await.map_err(storage(&label))?;
            client
                .execute(
                    "INSERT INTO rampkit_journal_meta (key, value) VALUES ('batch_id', $1)
                     ON CONFLICT (key) DO NOTHING",
                    &[&batch],
                )
                .await
                .map_err(storage(&label))?;
            let journal: String = client
                .query_one(
                    "SELECT value FROM rampkit_journal_meta WHERE key = 'batch_id'",
                    &[],
                )
                .await
                .map_err(storage(&label))?
                .get(0);
            if journal == batch {
                Ok(())
            } else {
                Err(JournalError::OtherBatch {
                    journal,
                    requested: batch,
                })
            }
        })
    }

    fn batch_id(&self) -> Result<Option<String>, JournalError> {
        let (pool, label) = (self.db.pool.clone(), self.db.label.clone());
        self.block(async move {
            let client = pool.get().await.map_err(storage(&label))?;
            Ok(client
                .query_opt(
                    "SELECT value FROM rampkit_journal_meta WHERE key = 'batch_id'",
                    &[],
                )
                .await
                .map_err(storage(&label))?
                .map(|row| row.get(0)))
        })
    }

    fn append(&self, entry: &JournalEntry) -> Result<(), JournalError> {
        self.block(insert(
            self.db.pool.clone(),
            self.db.label.clone(),
            entry.clone(),
        ))
    }

    fn append_async(&self, entry: JournalEntry) -> BoxFuture<'_, Result<(), JournalError>> {
        self.spawn(insert(self.db.pool.clone(), self.db.label.clone(), entry))
    }

    fn entries(&self) -> Result<Vec<JournalEntry>, JournalError> {
        let all = self.select("", None);
        self.block(all)
    }

    fn entries_of(
        &self,
        customer: &str,
        provider: Provider,
    ) -> BoxFuture<'_, Result<Vec<JournalEntry>, JournalError>> {
        self.select(
            "WHERE customer = $1 AND provider = $2",
            Some((customer.to_owned(), provider)),
        )
    }

    fn claim(
        &self,
        customer: &str,
        provider: Provider,
        owner: &str,
        lease: Duration,
    ) -> BoxFuture<'_, Result<Claim, JournalError>> {
        let (pool, label) = (self.db.pool.clone(), self.db.label.clone());
        let (customer, owner) = (customer.to_owned(), owner.to_owned());
        let lease = i64::try_from(lease.as_millis()).unwrap_or(i64::MAX);
        self.spawn(async move {
            let client = pool.get().await.map_err(storage(&label))?;
            let claimed = client
                .query_opt(CLAIM, &[&customer, &provider.as_str(), &owner, &lease])
                .await
                .map_err(storage(&label))?;
            if claimed.is_some() {
                return Ok(Claim::Granted);
            }
            // Held by another owner (it may have been released since: the next claim takes it).
            let left: i64 = client
                .query_opt(HELD_FOR, &[&customer, &provider.as_str()])
                .await
                .map_err(storage(&label))?
                .map_or(0, |row| row.get(0));
            Ok(Claim::Held {
                expires_in: Duration::from_millis(u64::try_from(left).unwrap_or(0)),
            })
        })
    }

    fn release(
        &self,
        customer: &str,
        provider: Provider,
        owner: &str,
    ) -> BoxFuture<'_, Result<(), JournalError>> {
        let (pool, label) = (self.db.pool.clone(), self.db.label.clone());
        let (customer, owner) = (customer.to_owned(), owner.to_owned());
        self.spawn(async move {
            let client = pool.get().await.map_err(storage(&label))?;
            client
                .execute(
                    "DELETE FROM rampkit_journal_claims
                     WHERE customer = $1 AND provider = $2 AND owner = $3",
                    &[&customer, &provider.as_str(), &owner],
                )
                .await
                .map_err(storage(&label))?;
            Ok(())
        })
    }
}

async fn insert(pool: Pool, label: String, entry: JournalEntry) -> Result<(), JournalError> {
    let client = pool.get().await.map_err(storage(&label))?;
    let statement = client
        .prepare_cached(INSERT)
        .await
        .map_err(storage(&label))?;
    let columns = StoredEntry::columns(&entry);
    let params: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = columns
        .iter()
        .map(|c| c as &(dyn tokio_postgres::types::ToSql + Sync))
        .collect();
    client
        .execute(&statement, &params)
        .await
        .map_err(storage(&label))?;
    Ok(())
}
