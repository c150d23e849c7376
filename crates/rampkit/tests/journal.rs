//! The SQLite journal: entries round-trip in order; the schema is versioned and migrated on open; a
//! newer schema, a foreign database and another batch are refused with a clear message; a
//! registration and a flow outcome survive serde.

#![cfg(feature = "sqlite")]

use std::path::PathBuf;

use rampkit::Provider;
use rampkit::batch::FlowOutcome;
use rampkit::journal::{
    Journal, JournalEntry, JournalError, Phase, SCHEMA_VERSION, SqliteJournal, Step, lookup_key,
};
use rampkit::providers::crossmint::UserLocator;
use rampkit::status::KycStatus;
use rampkit::{CrossmintRegistration, ProviderStatus, Registration};
use serde_json::json;

fn temp(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "rampkit-journal-test-{}-{name}.db",
        std::process::id()
    ));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

#[test]
fn entries_round_trip_in_order_across_reopening() {
    let path = temp("round-trip");
    let journal = SqliteJournal::open(&path).unwrap();
    assert_eq!(journal.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(journal.batch_id().unwrap(), None);
    journal.open_batch("batch-1").unwrap();
    let mut intent = JournalEntry::now("c-1", Provider::Leap, Step::Register, Phase::Intent);
    intent.lookup_key = Some(lookup_key("batch-1", "ana@example.com"));
    let done = JournalEntry::now("c-1", Provider::Leap, Step::Register, Phase::Done)
        .with_detail(json!({"reference": null}));
    let outcome = FlowOutcome::Completed {
        status: ProviderStatus::single(KycStatus::Rejected {
            reasons: vec!["OfacFailed".to_owned()],
        }),
    };
    let last = JournalEntry::now("c-1", Provider::Leap, Step::Status, Phase::Final)
        .with_detail(serde_json::to_value(&outcome).unwrap());
    for entry in [&intent, &done, &last] {
        journal.append(entry).unwrap();
    }
    drop(journal);

    let reopened = SqliteJournal::open(&path).unwrap();
    reopened.open_batch("batch-1").unwrap();
    assert_eq!(reopened.batch_id().unwrap().as_deref(), Some("batch-1"));
    let entries = reopened.entries().unwrap();
    // Timestamps are kept to the microsecond.
    let trim = |e: &JournalEntry| {
        let mut e = e.clone();
        e.at =
            e.at.with_nanosecond(e.at.timestamp_subsec_micros() * 1000)
                .unwrap();
        e
    };
    use chrono::Timelike;
    assert_eq!(entries, vec![trim(&intent), trim(&done), trim(&last)]);
    let read: FlowOutcome = serde_json::from_value(entries[2].detail.clone().unwrap()).unwrap();
    assert_eq!(read, outcome);
}

#[test]
fn another_batch_is_refused_by_name() {
    let journal = SqliteJournal::in_memory().unwrap();
    journal.open_batch("customers-2026-11").unwrap();
    let error = journal.open_batch("customers-2026-12").unwrap_err();
    assert!(
        matches!(error, JournalError::OtherBatch { .. }),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "the journal belongs to batch `customers-2026-11`, not `customers-2026-12`: use another journal file, or the batch id it was started with"
    );
}

#[test]
fn a_newer_schema_is_refused() {
    let path = temp("newer");
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
    }
    let error = SqliteJournal::open(&path).unwrap_err();
    assert!(
        matches!(error, JournalError::NewerSchema { found, supported } if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION),
        "{error:?}"
    );
    assert!(error.to_string().contains("upgrade rampkit"), "{error}");
}

#[test]
fn a_database_with_other_tables_is_not_a_journal() {
    let path = temp("foreign");
    {
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .execute("CREATE TABLE invoices (id INTEGER)", [])
            .unwrap();
    }
    let error = SqliteJournal::open(&path).unwrap_err();
    assert!(matches!(error, JournalError::NotAJournal(_)), "{error:?}");
    // Nothing was added to it.
    let connection = rusqlite::Connection::open(&path).unwrap();
    let tables: i64 = connection
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tables, 1);
}

#[test]
fn a_version_1_journal_is_migrated_on_open_and_keeps_its_entries() {
    let path = temp("v1");
    {
        // The version 1 schema, as the first release wrote it (no lookup_key column, no indexes).
        let connection = rusqlite::Connection::open(&path).unwrap();
        connection
            .execute_batch(
                "CREATE TABLE rampkit_journal_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                 CREATE TABLE rampkit_journal_entries (
                     id INTEGER PRIMARY KEY AUTOINCREMENT, customer TEXT NOT NULL, provider TEXT NOT NULL,
                     step TEXT NOT NULL, phase TEXT NOT NULL, at TEXT NOT NULL, detail TEXT);
                 INSERT INTO rampkit_journal_meta VALUES ('batch_id', 'old');
                 INSERT INTO rampkit_journal_entries (customer, provider, step, phase, at, detail)
                 VALUES ('c-9', 'cryptopocket', 'register', 'done', '2026-11-01T10:00:00.000000Z', '{\"reference\":\"100003754\"}');
                 PRAGMA user_version = 1;",
            )
            .unwrap();
    }
    let journal = SqliteJournal::open(&path).unwrap();
    assert_eq!(journal.schema_version().unwrap(), SCHEMA_VERSION);
    journal.open_batch("old").unwrap();
    let entries = journal.entries().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].provider, Provider::CryptoPocket);
    assert_eq!(entries[0].detail, Some(json!({"reference": "100003754"})));
    assert_eq!(entries[0].lookup_key, None);
    // The new column is writable.
    let mut entry = JournalEntry::now("c-9", Provider::Leap, Step::Register, Phase::Intent);
    entry.lookup_key = Some("k".repeat(64));
    journal.append(&entry).unwrap();
    assert_eq!(journal.entries().unwrap()[1].lookup_key, entry.lookup_key);
}

#[test]
fn an_unknown_value_read_back_names_the_entry_and_column() {
    let path = temp("corrupt");
    let journal = SqliteJournal::open(&path).unwrap();
    journal
        .append(&JournalEntry::now(
            "c-1",
            Provider::Leap,
            Step::Register,
            Phase::Intent,
        ))
        .unwrap();
    drop(journal);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "UPDATE rampkit_journal_entries SET phase = 'teleported'",
            [],
        )
        .unwrap();
    let error = SqliteJournal::open(&path).unwrap().entries().unwrap_err();
    assert_eq!(error.to_string(), "journal entry 1: unknown phase");
}

#[test]
fn registrations_survive_serde_and_expose_only_non_personal_references() {
    let crossmint = Registration::Crossmint(CrossmintRegistration {
        user_locator: UserLocator::user_id("cust-7"),
    });
    let json = serde_json::to_value(&crossmint).unwrap();
    assert_eq!(
        json,
        json!({"provider": "crossmint", "user_locator": "userId:cust-7"})
    );
    let back: Registration = serde_json::from_value(json).unwrap();
    assert_eq!(back.reference().as_deref(), Some("userId:cust-7"));

    let by_email = Registration::Crossmint(CrossmintRegistration {
        user_locator: "email:ana@example.com".parse().unwrap(),
    });
    assert_eq!(by_email.reference(), None);

    let cryptopocket: Registration = serde_json::from_value(json!({
        "provider": "cryptopocket", "customer_id": 100003754, "status": {"status": "pending"}
    }))
    .unwrap();
    assert_eq!(cryptopocket.provider(), Provider::CryptoPocket);
    assert_eq!(cryptopocket.reference().as_deref(), Some("100003754"));

    let leap: Registration = serde_json::from_value(json!({
        "provider": "leap", "user_id": "u-1", "status": {"status": "pending"},
        "lookup": {"phoneNumber": "+34600111222", "countryCode": "ES"}
    }))
    .unwrap();
    assert_eq!(leap.reference(), None);
    assert!(!format!("{leap:?}").contains("+34600111222"));

    // A locator that does not parse is refused without echoing it.
    let error = serde_json::from_value::<Registration>(json!({
        "provider": "crossmint", "user_locator": "nonsense-ana@example.com"
    }))
    .unwrap_err();
    assert!(!error.to_string().contains("ana@"), "{error}");
}
