//! The default journal: one SQLite file (SQLite is compiled in; nothing to install).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, mpsc};

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, params};

use super::{Claim, Journal, JournalEntry, JournalError, SCHEMA_VERSION, StoredEntry};
use crate::onboarding::BoxFuture;
use crate::providers::Provider;

/// The migrations, in order: migration `i` takes the schema from version `i` to `i + 1`. The version
/// is SQLite's `user_version`.
const MIGRATIONS: [&str; SCHEMA_VERSION as usize] = [
    // 0 → 1: the batch id and the entries.
    "CREATE TABLE rampkit_journal_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE rampkit_journal_entries (
         id INTEGER PRIMARY KEY AUTOINCREMENT,
         customer TEXT NOT NULL,
         provider TEXT NOT NULL,
         step TEXT NOT NULL,
         phase TEXT NOT NULL,
         at TEXT NOT NULL,
         detail TEXT
     );",
    // 1 → 2: the e-mail lookup key, and indexes for `journal show` by customer or key.
    "ALTER TABLE rampkit_journal_entries ADD COLUMN lookup_key TEXT;
     CREATE INDEX rampkit_journal_entries_pair ON rampkit_journal_entries (customer, provider);
     CREATE INDEX rampkit_journal_entries_key ON rampkit_journal_entries (lookup_key);",
    // 2 → 3: claims, one row per customer × provider (its primary key is the guarantee: one holder).
    "CREATE TABLE rampkit_journal_claims (
         customer TEXT NOT NULL,
         provider TEXT NOT NULL,
         owner TEXT NOT NULL,
         expires_at_ms INTEGER NOT NULL,
         PRIMARY KEY (customer, provider)
     );",
];

/// Takes a free claim, renews the owner's own, or takes over one whose lease ran out: one statement,
/// so SQLite's write lock makes it atomic across every process sharing the file.
const CLAIM: &str = "INSERT INTO rampkit_journal_claims (customer, provider, owner, expires_at_ms)
     VALUES (?1, ?2, ?3, ?4)
     ON CONFLICT (customer, provider) DO UPDATE
         SET owner = excluded.owner, expires_at_ms = excluded.expires_at_ms
         WHERE rampkit_journal_claims.owner = excluded.owner
            OR rampkit_journal_claims.expires_at_ms <= ?5";

/// A journal in a SQLite file.
///
/// Opened in WAL mode with `synchronous = NORMAL`: an append is committed to the file when
/// [`append`](Journal::append) returns, so killing the process (`kill -9`) at any instant loses
/// nothing; a power cut may lose the last appends (use [`with_full_sync`](Self::with_full_sync) for
/// `synchronous = FULL`). Appends from many threads are committed together by one writer thread
/// (group commit): each caller still returns only once its own entry is committed. The schema is
/// versioned and migrated on open; a file written by a newer rampkit, or a database holding other
/// tables, is refused.
pub struct SqliteJournal {
    path: PathBuf,
    connection: Arc<Mutex<Connection>>,
    writer: Option<mpsc::Sender<Append>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// One append waiting for its commit.
struct Append {
    entry: JournalEntry,
    done: Done,
}

/// Who waits for an append's commit: a thread, or a task.
enum Done {
    Blocking(mpsc::SyncSender<Result<(), JournalError>>),
    Async(tokio::sync::oneshot::Sender<Result<(), JournalError>>),
}

impl Done {
    fn send(self, result: Result<(), JournalError>) {
        match self {
            Done::Blocking(done) => {
                let _ = done.send(result);
            }
            Done::Async(done) => {
                let _ = done.send(result);
            }
        }
    }
}

/// Most entries committed in one transaction.
const GROUP: usize = 512;

const INSERT: &str =
    "INSERT INTO rampkit_journal_entries (customer, provider, step, phase, at, detail, lookup_key)
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

fn insert(connection: &Connection, entry: &JournalEntry) -> rusqlite::Result<()> {
    let columns = StoredEntry::columns(entry);
    connection
        .prepare_cached(INSERT)?
        .execute(rusqlite::params_from_iter(columns.iter()))?;
    Ok(())
}

/// The writer thread: takes every append waiting, commits them in one transaction, answers each.
fn write_groups(
    path: PathBuf,
    connection: Arc<Mutex<Connection>>,
    appends: mpsc::Receiver<Append>,
) {
    while let Ok(first) = appends.recv() {
        let mut group = vec![first];
        while group.len() < GROUP {
            match appends.try_recv() {
                Ok(next) => group.push(next),
                Err(_) => break,
            }
        }
        let result = {
            let mut connection = connection.lock().unwrap_or_else(|e| e.into_inner());
            connection.transaction().and_then(|tx| {
                for append in &group {
                    insert(&tx, &append.entry)?;
                }
                tx.commit()
            })
        };
        let message = result.err().map(|e| format!("{}: {e}", path.display()));
        for append in group {
            let answer = match &message {
                None => Ok(()),
                Some(m) => Err(JournalError::Storage(m.clone())),
            };
            append.done.send(answer);
        }
    }
}

impl std::fmt::Debug for SqliteJournal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteJournal")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn storage(path: &Path) -> impl Fn(rusqlite::Error) -> JournalError + '_ {
    move |e| JournalError::Storage(format!("{}: {e}", path.display()))
}

impl SqliteJournal {
    /// Opens (creating it if needed) the journal at `path`, migrating an older schema.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, JournalError> {
        let path = path.as_ref().to_path_buf();
        let connection = Connection::open(&path).map_err(storage(&path))?;
        Self::init(path, connection)
    }

    /// A journal in memory (tests, dry runs): gone with the process.
    pub fn in_memory() -> Result<Self, JournalError> {
        let path = PathBuf::from(":memory:");
        let connection = Connection::open_in_memory().map_err(storage(&path))?;
        Self::init(path, connection)
    }

    /// `synchronous = FULL`: appends survive a power cut too, at the cost of an fsync each.
    pub fn with_full_sync(self) -> Result<Self, JournalError> {
        self.lock()
            .pragma_update(None, "synchronous", "FULL")
            .map_err(storage(&self.path))?;
        Ok(self)
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the file (after migration: [`SCHEMA_VERSION`]).
    pub fn schema_version(&self) -> Result<u32, JournalError> {
        let connection = self.lock();
        user_version(&connection).map_err(storage(&self.path))
    }

    fn init(path: PathBuf, mut connection: Connection) -> Result<Self, JournalError> {
        let err = storage(&path);
        connection
            .busy_timeout(std::time::Duration::from_secs(10))
            .map_err(&err)?;
        let version = user_version(&connection).map_err(&err)?;
        if version > SCHEMA_VERSION {
            return Err(JournalError::NewerSchema {
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        if version == 0 {
            let tables: i64 = connection
                .query_row(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                    [],
                    |row| row.get(0),
                )
                .map_err(&err)?;
            if tables > 0 {
                return Err(JournalError::NotAJournal(path.display().to_string()));
            }
        }
        // WAL (readers do not block the writer; an append is one small write), then the migrations,
        // each in one transaction with its version bump.
        let _: String = connection
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(&err)?;
        connection
            .pragma_update(None, "synchronous", "NORMAL")
            .map_err(&err)?;
        for (from, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            let tx = connection.transaction().map_err(&err)?;
            tx.execute_batch(sql).map_err(&err)?;
            tx.pragma_update(None, "user_version", (from + 1) as i64)
                .map_err(&err)?;
            tx.commit().map_err(&err)?;
        }
        drop(err);
        let connection = Arc::new(Mutex::new(connection));
        let (writer, appends) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("rampkit-journal".to_owned())
            .spawn({
                let (path, connection) = (path.clone(), Arc::clone(&connection));
                move || write_groups(path, connection, appends)
            })
            .map_err(|e| JournalError::Storage(format!("cannot start the journal writer: {e}")))?;
        Ok(Self {
            path,
            connection,
            writer: Some(writer),
            thread: Some(thread),
        })
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        self.connection.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for SqliteJournal {
    /// Lets the writer commit what it holds, then stops it.
    fn drop(&mut self) {
        drop(self.writer.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn user_version(connection: &Connection) -> rusqlite::Result<u32> {
    connection.query_row("PRAGMA user_version", [], |row| row.get(0))
}

impl Journal for SqliteJournal {
    fn open_batch(&self, batch_id: &str) -> Result<(), JournalError> {
        let connection = self.lock();
        let err = storage(&self.path);
        let existing: Option<String> = connection
            .query_row(
                "SELECT value FROM rampkit_journal_meta WHERE key = 'batch_id'",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(&err)?;
        match existing {
            Some(journal) if journal == batch_id => Ok(()),
            Some(journal) => Err(JournalError::OtherBatch {
                journal,
                requested: batch_id.to_owned(),
            }),
            None => {
                connection
                    .execute(
                        "INSERT INTO rampkit_journal_meta (key, value) VALUES ('batch_id', ?1), ('created_at', ?2)",
                        params![batch_id, Utc::now().to_rfc3339()],
                    )
                    .map_err(&err)?;
                Ok(())
            }
        }
    }

    fn batch_id(&self) -> Result<Option<String>, JournalError> {
        self.lock()
            .query_row(
                "SELECT value FROM rampkit_journal_meta WHERE key = 'batch_id'",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(storage(&self.path))
    }

    fn append(&self, entry: &JournalEntry) -> Result<(), JournalError> {
        let stopped = || {
            JournalError::Storage(format!(
                "{}: the journal writer stopped",
                self.path.display()
            ))
        };
        let (done, committed) = mpsc::sync_channel(1);
        self.writer
            .as_ref()
            .ok_or_else(stopped)?
            .send(Append {
                entry: entry.clone(),
                done: Done::Blocking(done),
            })
            .map_err(|_| stopped())?;
        committed.recv().map_err(|_| stopped())?
    }

    fn append_async(&self, entry: JournalEntry) -> BoxFuture<'_, Result<(), JournalError>> {
        let stopped = || {
            JournalError::Storage(format!(
                "{}: the journal writer stopped",
                self.path.display()
            ))
        };
        let (done, committed) = tokio::sync::oneshot::channel();
        let sent = self.writer.as_ref().ok_or_else(stopped).and_then(|writer| {
            writer
                .send(Append {
                    entry,
                    done: Done::Async(done),
                })
                .map_err(|_| stopped())
        });
        Box::pin(async move {
            sent?;
            committed.await.map_err(|_| stopped())?
        })
    }

    fn entries(&self) -> Result<Vec<JournalEntry>, JournalError> {
        self.select("", &[])
    }

    fn entries_of(
        &self,
        customer: &str,
        provider: Provider,
    ) -> BoxFuture<'_, Result<Vec<JournalEntry>, JournalError>> {
        let entries = self.select(
            "WHERE customer = ?1 AND provider = ?2",
            &[&customer, &provider.as_str()],
        );
        Box::pin(async move { entries })
    }

    fn claim(
        &self,
        customer: &str,
        provider: Provider,
        owner: &str,
        lease: std::time::Duration,
    ) -> BoxFuture<'_, Result<Claim, JournalError>> {
        let claimed = (|| {
            let connection = self.lock();
            let now = Utc::now().timestamp_millis();
            let until = now.saturating_add(i64::try_from(lease.as_millis()).unwrap_or(i64::MAX));
            let changed = connection.prepare_cached(CLAIM)?.execute(params![
                customer,
                provider.as_str(),
                owner,
                until,
                now
            ])?;
            if changed == 1 {
                return Ok(Claim::Granted);
            }
            let expires: i64 = connection.query_row(
                "SELECT expires_at_ms FROM rampkit_journal_claims WHERE customer = ?1 AND provider = ?2",
                params![customer, provider.as_str()],
                |row| row.get(0),
            )?;
            Ok(Claim::Held {
                expires_in: std::time::Duration::from_millis(
                    u64::try_from(expires.saturating_sub(now)).unwrap_or(0),
                ),
            })
        })()
        .map_err(storage(&self.path));
        Box::pin(async move { claimed })
    }

    fn release(
        &self,
        customer: &str,
        provider: Provider,
        owner: &str,
    ) -> BoxFuture<'_, Result<(), JournalError>> {
        let released = self
            .lock()
            .execute(
                "DELETE FROM rampkit_journal_claims WHERE customer = ?1 AND provider = ?2 AND owner = ?3",
                params![customer, provider.as_str(), owner],
            )
            .map(drop)
            .map_err(storage(&self.path));
        Box::pin(async move { released })
    }
}

impl SqliteJournal {
    /// The entries matching `filter` (a `WHERE` clause over the entry columns), in order.
    fn select(
        &self,
        filter: &str,
        values: &[&dyn rusqlite::ToSql],
    ) -> Result<Vec<JournalEntry>, JournalError> {
        let connection = self.lock();
        let err = storage(&self.path);
        let mut statement = connection
            .prepare_cached(&format!(
                "SELECT id, customer, provider, step, phase, at, detail, lookup_key
                 FROM rampkit_journal_entries {filter} ORDER BY id"
            ))
            .map_err(&err)?;
        let rows = statement
            .query_map(values, |row| {
                Ok(StoredEntry {
                    id: row.get(0)?,
                    customer: row.get(1)?,
                    provider: row.get(2)?,
                    step: row.get(3)?,
                    phase: row.get(4)?,
                    at: row.get(5)?,
                    detail: row.get(6)?,
                    lookup_key: row.get(7)?,
                })
            })
            .map_err(&err)?;
        let mut entries = Vec::new();
        for row in rows {
            entries.push(row.map_err(&err)?.decode()?);
        }
        Ok(entries)
    }
}
