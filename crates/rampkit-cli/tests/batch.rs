//! `rampkit onboard CUSTOMERS.jsonl --journal FILE` and `rampkit journal show|export`, against the
//! embedded simulator: a report per provider, a malformed line named by number, a resume that sends
//! nothing for settled flows, another batch's journal refused, no personal value in the journal.

mod common;

use common::{database_url, fixture, rampkit, run, write};

fn compact(name: &str) -> String {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    serde_json::from_str::<serde_json::Value>(&text)
        .unwrap()
        .to_string()
}

#[test]
fn a_journaled_batch_reports_resumes_and_refuses_another_batch() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(
        dir.path(),
        "customers.jsonl",
        &[
            compact("person_es_dni.json"),
            "{\"person\": {\"email\": \"planted@example.com\"".to_owned(),
            compact("person_mx_two_surnames.json"),
        ]
        .join("\n"),
    );
    let journal = dir.path().join("onboarding.db");
    let report = dir.path().join("report.json");
    let args = |extra: &[&str]| {
        let mut args = vec![
            "onboard".to_owned(),
            input.display().to_string(),
            "--journal".to_owned(),
            journal.display().to_string(),
            "--sim".to_owned(),
            "--report".to_owned(),
            report.display().to_string(),
        ];
        args.extend(extra.iter().map(|s| s.to_string()));
        args
    };

    let first = run(rampkit().args(args(&[])));
    // The malformed line makes the exit code 1; the two customers are verified everywhere.
    assert_eq!(first.code, 1, "{}{}", first.stdout, first.stderr);
    assert!(
        first.stderr.contains("line 2: not JSON"),
        "{}",
        first.stderr
    );
    assert!(!first.stderr.contains("planted"));
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    for entry in json["providers"].as_array().unwrap() {
        assert_eq!(entry[1]["verified"], 2, "{entry}");
    }
    assert_eq!(json["rejected_lines"][0]["line"], 2);
    assert!(json["counters"]["registrations_sent"].as_u64().unwrap() >= 3);
    for provider in ["crossmint", "cryptopocket", "kriptomat", "leap"] {
        assert!(
            first.stdout.lines().any(|l| l.starts_with(provider)),
            "{}",
            first.stdout
        );
    }

    // Again: the journal holds the batch; nothing is sent.
    let second = run(rampkit().args(args(&[])));
    assert_eq!(second.code, 1, "{}{}", second.stdout, second.stderr);
    assert!(second.stderr.contains("resuming"), "{}", second.stderr);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["counters"]["registrations_sent"], 0);
    for entry in json["providers"].as_array().unwrap() {
        assert_eq!(entry[1]["from_journal"], 2, "{entry}");
    }

    // Another batch's name on the same journal is refused before anything is sent.
    let other = run(rampkit().args(args(&["--batch-id", "another"])));
    assert_eq!(other.code, 2, "{}{}", other.stdout, other.stderr);
    assert!(
        other.stderr.contains("belongs to batch `customers.jsonl`"),
        "{}",
        other.stderr
    );

    // The journal, shown and exported: steps and outcomes, no personal value.
    let show = run(rampkit().args(["journal", "show", &journal.display().to_string()]));
    assert_eq!(show.code, 0, "{}", show.stderr);
    assert!(
        show.stdout.contains("batch customers.jsonl"),
        "{}",
        show.stdout
    );
    assert!(show.stdout.contains("register"));
    let export = run(rampkit().args(["journal", "export", &journal.display().to_string()]));
    assert_eq!(export.code, 0);
    let lines: Vec<serde_json::Value> = export
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(lines.iter().any(|e| e["phase"] == "final"));
    for text in [&show.stdout, &export.stdout] {
        for planted in ["lucia", "García", "+34600111222", "12345678Z", "@example"] {
            assert!(!text.contains(planted), "the journal shows `{planted}`");
        }
    }
    // By e-mail: hashed as the journal hashes it.
    let email = serde_json::from_str::<serde_json::Value>(&compact("person_es_dni.json")).unwrap()
        ["person"]["email"]
        .as_str()
        .unwrap()
        .to_owned();
    let by_email = run(rampkit().args([
        "journal",
        "show",
        &journal.display().to_string(),
        "--email",
        &email,
    ]));
    assert_eq!(by_email.code, 0, "{}", by_email.stderr);
    let customers: std::collections::BTreeSet<&str> = by_email
        .stdout
        .lines()
        .skip(2)
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert_eq!(customers.len(), 1, "{}", by_email.stdout);
}

#[test]
fn a_pretty_printed_customer_file_is_onboarded_with_a_journal_once() {
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("j.db");
    let report = dir.path().join("report.json");
    let args = [
        "onboard".to_owned(),
        // The fixture is pretty-printed: one JSON document over many lines.
        fixture("person_es_dni.json").display().to_string(),
        "--journal".to_owned(),
        journal.display().to_string(),
        "--sim".to_owned(),
        "--report".to_owned(),
        report.display().to_string(),
    ];
    let first = run(rampkit().args(&args));
    assert_eq!(first.code, 0, "{}{}", first.stdout, first.stderr);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert!(
        json["rejected_lines"].as_array().unwrap().is_empty(),
        "{json}"
    );
    for entry in json["providers"].as_array().unwrap() {
        assert_eq!(entry[1]["verified"], 1, "{entry}");
    }
    // Again: the same report from the journal, nothing sent.
    let second = run(rampkit().args(&args));
    assert_eq!(second.code, 0, "{}{}", second.stdout, second.stderr);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(json["counters"]["registrations_sent"], 0);
    for entry in json["providers"].as_array().unwrap() {
        assert_eq!(entry[1]["verified"], 1, "{entry}");
        assert_eq!(entry[1]["from_journal"], 1, "{entry}");
    }
}

/// `--journal postgres://…` (needs `RAMPKIT_TEST_DATABASE_URL`, as the workspace's PostgreSQL tests:
/// required in CI, `scripts/test-postgres.sh run …` by hand): onboards, resumes, and never prints the
/// URL's password — not in a refused login either.
#[test]
fn a_postgres_journal_by_url_resumes_and_never_prints_the_password() {
    let Some(server) = database_url() else {
        return;
    };
    let (head, rest) = server.split_once("://").unwrap();
    let (credentials, host_db) = rest.split_once('@').unwrap();
    let (user, password) = credentials.split_once(':').unwrap();
    let (host_db, query) = host_db.split_once('?').unwrap_or((host_db, ""));
    let (host, _) = host_db.rsplit_once('/').unwrap();
    // The server's own database, with one batch of its own (a later run of this test resumes it), over
    // the server's TLS parameters when it has any.
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    let url = format!("{head}://{user}:{password}@{host}/postgres{query}");
    let batch = "cli-postgres-test".to_owned();
    let args = |journal: &str| {
        vec![
            "onboard".to_owned(),
            fixture("person_es_dni.json").display().to_string(),
            "--journal".to_owned(),
            journal.to_owned(),
            "--batch-id".to_owned(),
            batch.clone(),
            "--sim".to_owned(),
            "--json".to_owned(),
        ]
    };
    // A wrong, planted password: refused, and not printed.
    let planted = "planted-Pa55word-4242";
    let wrong = run(rampkit().args(args(&format!(
        "{head}://{user}:{planted}@{host}/postgres{query}"
    ))));
    assert_eq!(wrong.code, 2, "{}{}", wrong.stdout, wrong.stderr);
    assert!(!wrong.stderr.contains(planted) && !wrong.stdout.contains(planted));
    assert!(
        wrong.stderr.contains("password authentication failed"),
        "{}",
        wrong.stderr
    );
    // TLS asked for with a CA file that is not there: refused before connecting, the file named.
    let no_ca = run(rampkit().args(args(&format!(
        "{head}://{user}:{planted}@{host}/postgres?sslmode=require&sslrootcert=/nonexistent/ca.pem"
    ))));
    assert_eq!(no_ca.code, 2, "{}{}", no_ca.stdout, no_ca.stderr);
    assert!(
        no_ca
            .stderr
            .contains("TLS: sslrootcert /nonexistent/ca.pem"),
        "{}",
        no_ca.stderr
    );
    assert!(!no_ca.stderr.contains(planted));

    let first = run(rampkit().args(args(&url)));
    assert!(
        first.code == 0 || first.code == 2,
        "{}{}",
        first.stdout,
        first.stderr
    );
    for text in [&first.stdout, &first.stderr] {
        assert!(!text.contains(password));
    }
    if first.code == 2 {
        // Another batch holds this database's journal (a database shared with earlier runs).
        assert!(
            first.stderr.contains("belongs to batch"),
            "{}",
            first.stderr
        );
        return;
    }
    let second = run(rampkit().args(args(&url)));
    assert_eq!(second.code, 0, "{}{}", second.stdout, second.stderr);
    assert!(second.stderr.contains("resuming"), "{}", second.stderr);
    assert!(!second.stderr.contains(password) && !second.stdout.contains(password));
    let json: serde_json::Value = serde_json::from_str(&second.stdout).unwrap();
    assert_eq!(json["counters"]["registrations_sent"], 0, "{json}");
}
