//! The PostgreSQL journal: its versioned schema (created, migrated from an older rampkit, a newer one
//! refused), its entries read back as written, and a URL's password never printed. Needs
//! `RAMPKIT_TEST_DATABASE_URL` (`scripts/test-postgres.sh`; required in CI).

use rampkit::Provider;
use rampkit::journal::{
    Journal, JournalEntry, JournalError, Phase, PostgresJournal, SCHEMA_VERSION, Step,
};
use rampkit_tests::postgres::{execute, fresh_database, server_url};
use serde_json::json;

async fn database(name: &str) -> Option<String> {
    let server = server_url()?;
    Some(fresh_database(&server, name).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_schema_is_created_read_back_and_a_newer_one_refused() {
    let Some(url) = database("schema").await else {
        return;
    };
    let journal = PostgresJournal::connect(&url).unwrap();
    assert_eq!(journal.schema_version().unwrap(), SCHEMA_VERSION);
    journal.open_batch("nightly").unwrap();
    assert!(matches!(
        journal.open_batch("another"),
        Err(JournalError::OtherBatch { .. })
    ));
    let mut entry = JournalEntry::now("c-1", Provider::Leap, Step::Register, Phase::Done)
        .with_detail(json!({"reference": "user-7"}));
    // Kept to the microsecond, as the SQLite journal keeps it.
    entry.at = "2026-12-01T10:00:00.123456Z".parse().unwrap();
    journal.append(&entry).unwrap();
    journal
        .append_async(JournalEntry::now(
            "c-2",
            Provider::Crossmint,
            Step::Register,
            Phase::Intent,
        ))
        .await
        .unwrap();
    let entries = journal.entries().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0], entry);
    let of = journal
        .entries_of("c-2", Provider::Crossmint)
        .await
        .unwrap();
    assert_eq!(of.len(), 1);
    assert_eq!(of[0].phase, Phase::Intent);
    drop(journal);

    // A journal written by a newer rampkit is refused, not migrated down.
    execute(
        &url,
        &format!(
            "UPDATE rampkit_journal_schema SET version = {}",
            SCHEMA_VERSION + 1
        ),
    )
    .await;
    let error = PostgresJournal::connect(&url).unwrap_err();
    assert!(
        matches!(error, JournalError::NewerSchema { found, supported } if found == SCHEMA_VERSION + 1 && supported == SCHEMA_VERSION),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_2_journal_is_migrated_and_keeps_its_entries() {
    let Some(url) = database("v2").await else {
        return;
    };
    // The version 2 tables (before claims), as a former rampkit wrote them.
    execute(
        &url,
        "CREATE TABLE rampkit_journal_schema (version INTEGER NOT NULL);
         INSERT INTO rampkit_journal_schema VALUES (2);
         CREATE TABLE rampkit_journal_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
         CREATE TABLE rampkit_journal_entries (
             id BIGSERIAL PRIMARY KEY, customer TEXT NOT NULL, provider TEXT NOT NULL,
             step TEXT NOT NULL, phase TEXT NOT NULL, at TEXT NOT NULL, detail TEXT, lookup_key TEXT);
         INSERT INTO rampkit_journal_meta VALUES ('batch_id', 'old');
         INSERT INTO rampkit_journal_entries (customer, provider, step, phase, at, detail)
         VALUES ('c-9', 'cryptopocket', 'register', 'done', '2026-11-01T10:00:00.000000Z', '{\"reference\":\"100003754\"}');",
    )
    .await;
    let journal = PostgresJournal::connect(&url).unwrap();
    assert_eq!(journal.schema_version().unwrap(), SCHEMA_VERSION);
    journal.open_batch("old").unwrap();
    let entries = journal.entries().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].detail, Some(json!({"reference": "100003754"})));
    // The claims table exists now.
    let claim = journal
        .claim(
            "c-9",
            Provider::CryptoPocket,
            "me",
            std::time::Duration::from_secs(5),
        )
        .await
        .unwrap();
    assert_eq!(claim, rampkit::Claim::Granted);
    // Opened again (another process starting): nothing to migrate, nothing lost.
    let again = PostgresJournal::connect(&url).unwrap();
    assert_eq!(again.entries().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_urls_password_is_never_printed() {
    let Some(server) = server_url() else {
        return;
    };
    const PLANTED: &str = "planted-Pa55word-7731";
    // The server's URL with a wrong, planted password: the connection is refused.
    let (head, rest) = server.split_once("://").unwrap();
    let (credentials, host) = rest.split_once('@').unwrap();
    let user = credentials.split(':').next().unwrap();
    let wrong = format!("{head}://{user}:{PLANTED}@{host}");
    let error = PostgresJournal::connect(&wrong).unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(PLANTED), "{shown}");
    assert!(shown.contains("password authentication failed"), "{shown}");

    // A URL that does not parse is not echoed.
    let error = PostgresJournal::connect(&format!("postgres://{user}:{PLANTED}@[::1")).unwrap_err();
    assert!(!format!("{error} {error:?}").contains(PLANTED));

    // The journal's Debug and label name the database without the password.
    let journal = PostgresJournal::connect(&server).unwrap();
    let password = credentials.split_once(':').unwrap().1;
    for shown in [format!("{journal:?}"), journal.label().to_owned()] {
        assert!(!shown.contains(password), "{shown}");
        assert!(shown.contains(&format!("{user}@")), "{shown}");
    }
}

/// With `sslmode=require` the journal's connections are TLS, verified against the URL's `sslrootcert`
/// (the test server's own CA, made by `scripts/test-postgres.sh`): the server says so in `pg_stat_ssl`.
/// Without that CA (the system's roots only) the same server is refused, its certificate unverified,
/// and the URL's password is not printed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_sslmode_require_the_journal_speaks_verified_tls() {
    let Some(url) = database("tls").await else {
        return;
    };
    let (base, query) = url
        .split_once('?')
        .expect("scripts/test-postgres.sh gives a URL with TLS parameters");
    assert!(
        query.contains("sslmode=require") && query.contains("sslrootcert="),
        "scripts/test-postgres.sh asks for verified TLS"
    );
    let journal = PostgresJournal::connect(&url).unwrap();
    journal.open_batch("tls").unwrap();
    let (client, connection) =
        tokio_postgres::connect(&rampkit_tests::postgres::plain(&url), tokio_postgres::NoTls)
            .await
            .unwrap();
    let connection = tokio::spawn(connection);
    let row = client
        .query_one(
            "SELECT count(*) FILTER (WHERE s.ssl), count(*) FROM pg_stat_activity a \
             JOIN pg_stat_ssl s USING (pid) \
             WHERE a.datname = current_database() AND a.pid <> pg_backend_pid()",
            &[],
        )
        .await
        .unwrap();
    let (tls, all): (i64, i64) = (row.get(0), row.get(1));
    assert!(all >= 1, "the journal holds a connection");
    assert_eq!(tls, all, "every connection of the journal is TLS");
    drop(client);
    let _ = connection.await;

    // The system's roots do not know the test CA: refused, before any statement.
    let without_ca: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.starts_with("sslrootcert="))
        .collect();
    let unverified = format!("{base}?{}", without_ca.join("&"));
    let error = PostgresJournal::connect(&unverified).unwrap_err();
    let shown = format!("{error} {error:?}");
    assert!(shown.contains("certificate"), "{shown}");
    let password = base
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .and_then(|(credentials, _)| credentials.split_once(':'))
        .map(|(_, password)| password)
        .unwrap();
    assert!(!shown.contains(password), "the password is not printed");
}
