//! The batch journal: what [`onboard_batch`](crate::batch::onboard_batch) did for every customer ×
//! provider × step, written before and after each call, so that a batch killed at any instant resumes
//! where it stopped without sending a registration twice.
//!
//! A journal is an append-only list of [`JournalEntry`]s behind the small [`Journal`] trait;
//! [`SqliteJournal`] (an embedded SQLite file, compiled in; feature `sqlite`, on by default) is the default,
//! [`PostgresJournal`](crate::journal) (feature `postgres`) serves replicas sharing one database,
//! [`MemoryJournal`] lives as long as its process (one customer from a command line, a test), and a team can implement
//! the trait over its own database. Entries hold no personal data: the caller's own customer
//! reference, the provider, the step, the phase, a timestamp and a detail made of vendor ids, statuses
//! (vendor vocabulary) and error kinds — never a name, an e-mail, a document or a vendor's message. Where
//! a lookup key is useful (finding a customer's entries by e-mail) it is
//! [`lookup_key`](JournalEntry::lookup_key): a SHA-256 of the batch id and the lower-cased e-mail.
//!
//! The protocol, for a step that is not safe to repeat (a registration, Kriptomat's KYC import):
//!
//! 1. [`Phase::Intent`] is appended (and durable) **before** the request is sent;
//! 2. then [`Phase::Done`] with the result, or [`Phase::Unknown`] when no answer says whether the
//!    vendor processed it (a timeout, a reset, a gateway error), or [`Phase::Failed`] when the answer
//!    says it did not;
//! 3. an intent without a result — a crash between 1 and 2, or an unknown outcome — is resolved by a
//!    lookup at the vendor ([`Phase::Reconciled`]) before anything is sent again.
//!
//! Each flow ends with a [`Phase::Final`] entry holding its [`FlowOutcome`](crate::batch::FlowOutcome).
//!
//! ## Claims
//!
//! Before it reads a customer × provider's entries and sends anything, the
//! [`Onboarder`](crate::batch::Onboarder) **claims** the pair ([`Journal::claim`]): one row per pair,
//! written by a single conditional statement of the database (an insert, or an update of a claim whose
//! lease has run out), so that of two tasks or two processes sharing the journal exactly one holds the
//! pair at a time — the database guarantees it, no lock of rampkit's own. The holder renews its lease
//! while its flow runs and releases the claim when it ends; a process killed while holding one leaves a
//! claim that another takes over once the lease has run out, and that one reconciles whatever the dead
//! process may have sent (an intent without a result) before sending anything.

mod memory;
#[cfg(feature = "postgres")]
pub(crate) mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::onboarding::BoxFuture;
use crate::providers::Provider;

pub use memory::MemoryJournal;
#[cfg(feature = "postgres")]
pub use postgres::PostgresJournal;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteJournal;

/// The schema version this build writes; a journal of a newer one is refused
/// ([`JournalError::NewerSchema`]), an older one is migrated on open.
pub const SCHEMA_VERSION: u32 = 3;

/// The answer to [`Journal::claim`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The caller holds the pair until its lease runs out (or it releases it).
    Granted,
    /// Another owner holds it; its lease runs out in this long unless it is renewed.
    Held {
        /// Time left on the holder's lease.
        expires_in: std::time::Duration,
    },
}

/// A step of a provider's flow, as the journal names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// [`KycProvider::register`](crate::KycProvider::register).
    Register,
    /// [`KycProvider::upload_documents`](crate::KycProvider::upload_documents).
    UploadDocuments,
    /// [`KycProvider::start_verification`](crate::KycProvider::start_verification).
    StartVerification,
    /// Status polling; its [`Phase::Final`] entry ends the flow.
    Status,
}

impl Step {
    /// Every step, in flow order.
    pub const ALL: [Step; 4] = [
        Step::Register,
        Step::UploadDocuments,
        Step::StartVerification,
        Step::Status,
    ];

    /// `register`, `upload_documents`, `start_verification`, `status`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Step::Register => "register",
            Step::UploadDocuments => "upload_documents",
            Step::StartVerification => "start_verification",
            Step::Status => "status",
        }
    }

    /// The step named `name`.
    pub fn from_name(name: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a step stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// About to be sent (written before the request leaves).
    Intent,
    /// Completed; the detail holds the result (a vendor reference, a status).
    Done,
    /// Sent, but no answer says whether the vendor processed it; reconciled before it is sent again.
    Unknown,
    /// Failed, and the answer says the vendor did not carry it out (or the step is safe to repeat).
    Failed,
    /// Looked up at the vendor after an intent without a result; the detail says whether it was found.
    Reconciled,
    /// The flow ended; the detail is its [`FlowOutcome`](crate::batch::FlowOutcome).
    Final,
}

impl Phase {
    /// Every phase.
    pub const ALL: [Phase; 6] = [
        Phase::Intent,
        Phase::Done,
        Phase::Unknown,
        Phase::Failed,
        Phase::Reconciled,
        Phase::Final,
    ];

    /// `intent`, `done`, `unknown`, `failed`, `reconciled`, `final`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Phase::Intent => "intent",
            Phase::Done => "done",
            Phase::Unknown => "unknown",
            Phase::Failed => "failed",
            Phase::Reconciled => "reconciled",
            Phase::Final => "final",
        }
    }

    /// The phase named `name`.
    pub fn from_name(name: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == name)
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One line of the journal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct JournalEntry {
    /// The caller's own reference of the customer (the `reference` of its batch line).
    pub customer: String,
    /// The provider.
    pub provider: Provider,
    /// The step.
    pub step: Step,
    /// Where the step stands.
    pub phase: Phase,
    /// When the entry was written.
    pub at: DateTime<Utc>,
    /// Non-personal detail: a vendor reference, a status, an error kind and operation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<serde_json::Value>,
    /// On intents: [`lookup_key`] of the customer's e-mail, so that a customer's entries can be found
    /// by e-mail without the journal holding it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup_key: Option<String>,
}

impl JournalEntry {
    /// An entry written now.
    pub fn now(customer: &str, provider: Provider, step: Step, phase: Phase) -> Self {
        Self {
            customer: customer.to_owned(),
            provider,
            step,
            phase,
            at: Utc::now(),
            detail: None,
            lookup_key: None,
        }
    }

    /// With `detail`.
    pub fn with_detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = Some(detail);
        self
    }
}

/// Whether `text` names a PostgreSQL database (`postgres://…` or `postgresql://…`) rather than a
/// journal file ([`PostgresJournal`](crate::journal) with feature `postgres`).
pub fn is_database_url(text: &str) -> bool {
    let head = text.get(..13).unwrap_or(text).to_ascii_lowercase();
    head.starts_with("postgres://") || head.starts_with("postgresql://")
}

/// An entry as a store keeps it: its row id and its columns as text.
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub(crate) struct StoredEntry {
    pub(crate) id: i64,
    pub(crate) customer: String,
    pub(crate) provider: String,
    pub(crate) step: String,
    pub(crate) phase: String,
    pub(crate) at: String,
    pub(crate) detail: Option<String>,
    pub(crate) lookup_key: Option<String>,
}

#[cfg(any(feature = "sqlite", feature = "postgres"))]
impl StoredEntry {
    /// The entry; a value this build does not know is [`JournalError::Corrupt`], naming the column.
    pub(crate) fn decode(self) -> Result<JournalEntry, JournalError> {
        let id = self.id;
        let corrupt = |field| JournalError::Corrupt { id, field };
        Ok(JournalEntry {
            customer: self.customer,
            provider: Provider::ALL
                .into_iter()
                .find(|p| p.as_str() == self.provider)
                .ok_or(corrupt("provider"))?,
            step: Step::from_name(&self.step).ok_or(corrupt("step"))?,
            phase: Phase::from_name(&self.phase).ok_or(corrupt("phase"))?,
            at: DateTime::parse_from_rfc3339(&self.at)
                .map_err(|_| corrupt("at"))?
                .with_timezone(&Utc),
            detail: self
                .detail
                .map(|d| serde_json::from_str(&d))
                .transpose()
                .map_err(|_| corrupt("detail"))?,
            lookup_key: self.lookup_key,
        })
    }

    /// The columns of `entry`, as stored (`at` in RFC 3339 with microseconds, `detail` as JSON text).
    pub(crate) fn columns(entry: &JournalEntry) -> [Option<String>; 7] {
        [
            Some(entry.customer.clone()),
            Some(entry.provider.as_str().to_owned()),
            Some(entry.step.as_str().to_owned()),
            Some(entry.phase.as_str().to_owned()),
            Some(
                entry
                    .at
                    .to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            ),
            entry.detail.as_ref().map(|d| d.to_string()),
            entry.lookup_key.clone(),
        ]
    }
}

/// The journal's lookup key for an e-mail: hex SHA-256 of `batch_id`, a NUL byte and the trimmed,
/// lower-cased address. Salted with the batch id, so the same person has unrelated keys in two
/// journals.
pub fn lookup_key(batch_id: &str, email: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(batch_id.as_bytes());
    hash.update([0]);
    hash.update(email.trim().to_lowercase().as_bytes());
    hex::encode(hash.finalize())
}

/// Why a journal cannot be used. Names the file and the problem, never an entry's content.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// The journal belongs to another batch: resuming it with these customers would mix two runs.
    #[error(
        "the journal belongs to batch `{journal}`, not `{requested}`: use another journal file, or the batch id it was started with"
    )]
    OtherBatch {
        /// The batch the journal was started for.
        journal: String,
        /// The batch asked for.
        requested: String,
    },
    /// The journal was written by a newer rampkit (a schema this build does not know).
    #[error(
        "the journal has schema version {found}, newer than this rampkit's {supported}: upgrade rampkit to resume it"
    )]
    NewerSchema {
        /// The journal's version.
        found: u32,
        /// The newest version this build knows.
        supported: u32,
    },
    /// The file is a database, but not a rampkit journal.
    #[error("{0}: not a rampkit journal (it holds other tables)")]
    NotAJournal(String),
    /// An entry read back does not decode (a provider, step or phase this build does not know).
    #[error("journal entry {id}: unknown {field}")]
    Corrupt {
        /// The entry's row id.
        id: i64,
        /// The column.
        field: &'static str,
    },
    /// The storage failed (disk full, locked, unreadable file).
    #[error("journal storage: {0}")]
    Storage(String),
}

/// Where a batch keeps its journal. Implement it to keep the journal in your own database: entries are
/// appended in order and read back in that order; an append must be durable when it returns (the
/// request it announces is sent right after).
pub trait Journal: Send + Sync {
    /// Ties the journal to `batch_id`: records it on first use; afterwards refuses any other id
    /// ([`JournalError::OtherBatch`]).
    fn open_batch(&self, batch_id: &str) -> Result<(), JournalError>;

    /// The batch the journal belongs to, if it was started.
    fn batch_id(&self) -> Result<Option<String>, JournalError>;

    /// Appends one entry, durably.
    fn append(&self, entry: &JournalEntry) -> Result<(), JournalError>;

    /// [`append`](Self::append) for async callers: the batch runner calls this. The default runs
    /// `append` inline (fine for a quick store); override it when an append waits for a disk or a
    /// network, so that it does not hold an async worker thread ([`SqliteJournal`] hands the entry to
    /// its writer thread and awaits the commit).
    fn append_async(&self, entry: JournalEntry) -> BoxFuture<'_, Result<(), JournalError>> {
        Box::pin(async move { self.append(&entry) })
    }

    /// Every entry, in the order appended.
    fn entries(&self) -> Result<Vec<JournalEntry>, JournalError>;

    /// The entries of one customer × provider, in the order appended. The default filters
    /// [`entries`](Self::entries); a store with an index overrides it.
    fn entries_of(
        &self,
        customer: &str,
        provider: Provider,
    ) -> BoxFuture<'_, Result<Vec<JournalEntry>, JournalError>> {
        let customer = customer.to_owned();
        Box::pin(async move {
            Ok(self
                .entries()?
                .into_iter()
                .filter(|e| e.customer == customer && e.provider == provider)
                .collect())
        })
    }

    /// Claims `customer` × `provider` for `owner` for `lease` (see [Claims](self#claims)):
    /// [`Claim::Granted`] when no one holds it, when `owner` already does (a renewal), or when the
    /// holder's lease has run out; otherwise [`Claim::Held`]. Must be one atomic step of the store (a
    /// unique key with a conditional insert or update), valid across processes sharing the journal.
    fn claim(
        &self,
        customer: &str,
        provider: Provider,
        owner: &str,
        lease: std::time::Duration,
    ) -> BoxFuture<'_, Result<Claim, JournalError>>;

    /// Releases `owner`'s claim on `customer` × `provider` (nothing when another owner holds it).
    fn release(
        &self,
        customer: &str,
        provider: Provider,
        owner: &str,
    ) -> BoxFuture<'_, Result<(), JournalError>>;
}

impl<J: Journal + ?Sized> Journal for std::sync::Arc<J> {
    fn open_batch(&self, batch_id: &str) -> Result<(), JournalError> {
        (**self).open_batch(batch_id)
    }
    fn batch_id(&self) -> Result<Option<String>, JournalError> {
        (**self).batch_id()
    }
    fn append(&self, entry: &JournalEntry) -> Result<(), JournalError> {
        (**self).append(entry)
    }
    fn append_async(&self, entry: JournalEntry) -> BoxFuture<'_, Result<(), JournalError>> {
        (**self).append_async(entry)
    }
    fn entries(&self) -> Result<Vec<JournalEntry>, JournalError> {
        (**self).entries()
    }
    fn entries_of(
        &self,
        customer: &str,
        provider: Provider,
    ) -> BoxFuture<'_, Result<Vec<JournalEntry>, JournalError>> {
        (**self).entries_of(customer, provider)
    }
    fn claim(
        &self,
        customer: &str,
        provider: Provider,
        owner: &str,
        lease: std::time::Duration,
    ) -> BoxFuture<'_, Result<Claim, JournalError>> {
        (**self).claim(customer, provider, owner, lease)
    }
    fn release(
        &self,
        customer: &str,
        provider: Provider,
        owner: &str,
    ) -> BoxFuture<'_, Result<(), JournalError>> {
        (**self).release(customer, provider, owner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for step in Step::ALL {
            assert_eq!(Step::from_name(step.as_str()), Some(step));
        }
        for phase in Phase::ALL {
            assert_eq!(Phase::from_name(phase.as_str()), Some(phase));
        }
        assert_eq!(Step::from_name("registered"), None);
    }

    #[test]
    fn lookup_keys_are_salted_and_normalised() {
        let a = lookup_key("batch-a", "Ana@Example.com ");
        assert_eq!(a, lookup_key("batch-a", "ana@example.com"));
        assert_ne!(a, lookup_key("batch-b", "ana@example.com"));
        assert_eq!(a.len(), 64);
        assert!(!a.contains("ana"));
    }
}
