//! The PostgreSQL server of the tests that need one: `RAMPKIT_TEST_DATABASE_URL`, set by
//! `scripts/test-postgres.sh` (which `.ci/run` runs). In CI (`CI` set) a test without it fails; on a
//! developer's machine it says how to run it and passes without testing anything (see the README).

/// The server's URL; `None` (after saying why on stderr) only outside CI.
pub fn server_url() -> Option<String> {
    match std::env::var("RAMPKIT_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => panic!(
            "RAMPKIT_TEST_DATABASE_URL is not set: CI must start PostgreSQL (scripts/test-postgres.sh)"
        ),
        _ => {
            eprintln!(
                "RAMPKIT_TEST_DATABASE_URL is not set: this PostgreSQL test checks nothing. Run it with \
                 `scripts/test-postgres.sh run cargo test -p rampkit-tests --test postgres`"
            );
            None
        }
    }
}

/// A new, empty database on the server for one test (dropped first if a former run left it), and its
/// URL. `name`: lower-case letters, digits and `_`.
pub async fn fresh_database(server: &str, name: &str) -> String {
    let database = format!("rampkit_{name}_{}", std::process::id());
    let (client, connection) = tokio_postgres::connect(&plain(server), tokio_postgres::NoTls)
        .await
        .expect("the test server accepts a connection");
    let connection = tokio::spawn(connection);
    // One statement each: neither runs inside a transaction block.
    for sql in [
        format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"),
        format!("CREATE DATABASE {database}"),
    ] {
        client
            .batch_execute(&sql)
            .await
            .expect("a test database is created");
    }
    drop(client);
    let _ = connection.await;
    let (url, query) = server.split_once('?').unwrap_or((server, ""));
    let (base, _) = url
        .rsplit_once('/')
        .expect("the URL names a database: postgres://user:password@host:port/db");
    if query.is_empty() {
        format!("{base}/{database}")
    } else {
        format!("{base}/{database}?{query}")
    }
}

/// `url` without its parameters (`sslmode`, `sslrootcert`): the tests' own plain connection, for
/// statements that are not the journal's (the test server accepts TLS and plain alike).
pub fn plain(url: &str) -> String {
    url.split_once('?').map_or(url, |(base, _)| base).to_owned()
}

/// Runs `sql` on the database at `url` (a test changing the journal's tables behind its back).
pub async fn execute(url: &str, sql: &str) {
    let (client, connection) = tokio_postgres::connect(&plain(url), tokio_postgres::NoTls)
        .await
        .expect("the test database accepts a connection");
    let connection = tokio::spawn(connection);
    client.batch_execute(sql).await.expect("the SQL runs");
    drop(client);
    let _ = connection.await;
}
