//! `rampkit onboard`, `status`, `sim` and `webhook verify` against the simulator (in-process, or a
//! `rampkit sim` the test starts on loopback).

mod common;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};

use common::{FIXTURES, fixture, rampkit, run, write};

/// The status words of each provider's line for `label`, in provider order.
fn lines_of<'a>(stdout: &'a str, label: &str) -> Vec<(&'a str, &'a str)> {
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix(label))
        .map(|rest| {
            let rest = rest.trim_start();
            let (provider, status) = rest.split_once(char::is_whitespace).unwrap();
            (provider, status.trim_start())
        })
        .collect()
}

#[test]
fn the_readme_command_onboards_the_spanish_customer_with_every_provider() {
    // No flag and no credential: the embedded simulator.
    let out = run(rampkit().args(["onboard", "tests/fixtures/customers/person_es_dni.json"]));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(out.stderr.contains("using the embedded simulator"));
    let lines = lines_of(&out.stdout, "tests/fixtures/customers/person_es_dni.json");
    assert_eq!(
        lines,
        [
            (
                "crossmint",
                "verified (onramp: verified; onramp-light: verified; offramp: verified; \
                 regulated-transfer: verified)"
            ),
            ("cryptopocket", "verified"),
            ("kriptomat", "verified"),
            ("leap", "verified"),
        ]
    );
    assert!(
        out.stderr
            .contains("1 of 1 customer verified with every provider")
    );
}

#[test]
fn every_fixture_against_the_embedded_simulator() {
    // Expected first word of each provider's status (crossmint, cryptopocket, kriptomat, leap).
    let expected: [(&str, [&str; 4], i32); 4] = [
        // A company: none of the person flows takes it, and CryptoPocket's company registration is not
        // sent without somewhere for its KYB form to go (`--kyb-forms`, tested below).
        (
            "company_es.json",
            ["error:", "error:", "error:", "error:"],
            1,
        ),
        (
            "person_es_dni.json",
            ["verified", "verified", "verified", "verified"],
            0,
        ),
        (
            "person_mx_two_surnames.json",
            ["verified", "verified", "verified", "verified"],
            0,
        ),
        // An SSN has no CryptoPocket document code, and the person was not verified by SumSub.
        (
            "person_us_ssn.json",
            ["verified", "error:", "error:", "verified"],
            1,
        ),
    ];
    for (name, statuses, code) in expected {
        let path = fixture(name);
        let out = run(rampkit().arg("onboard").arg(&path).arg("--sim"));
        assert_eq!(out.code, code, "{name}: {}{}", out.stdout, out.stderr);
        let lines = lines_of(&out.stdout, path.to_str().unwrap());
        let providers: Vec<&str> = lines.iter().map(|(p, _)| *p).collect();
        assert_eq!(
            providers,
            ["crossmint", "cryptopocket", "kriptomat", "leap"]
        );
        for ((provider, status), word) in lines.iter().zip(statuses) {
            assert!(
                status.split_whitespace().next() == Some(word),
                "{name} {provider}: {status}"
            );
        }
    }
}

/// The Spanish customer with the simulator's magic suffix on its e-mail and SumSub applicant id.
fn scenario(dir: &Path, suffix: &str) -> PathBuf {
    let text = std::fs::read_to_string(fixture("person_es_dni.json"))
        .unwrap()
        .replace(
            "lucia.garcia@example.com",
            &format!("lucia.garcia+{suffix}@example.com"),
        )
        .replace(
            "5f8d3a2b1c0e4d6f7a8b9c0d",
            &format!("5f8d3a2b1c0e4d6f7a8b9c0d+{suffix}"),
        );
    write(dir, &format!("{suffix}.json"), &text)
}

#[test]
fn scenarios_rejected_requires_data_and_timeout() {
    let dir = tempfile::tempdir().unwrap();

    let rejected = scenario(dir.path(), "reject");
    let out = run(rampkit().arg("onboard").arg(&rejected).arg("--sim"));
    assert_eq!(out.code, 1);
    let lines = lines_of(&out.stdout, rejected.to_str().unwrap());
    assert_eq!(lines.len(), 4);
    for (provider, status) in &lines {
        assert!(status.starts_with("rejected"), "{provider}: {status}");
    }

    let requires = scenario(dir.path(), "requires-data");
    let out = run(rampkit().arg("onboard").arg(&requires).args([
        "--sim",
        "--providers",
        "crossmint,kriptomat,leap",
        "--json",
    ]));
    assert_eq!(out.code, 1);
    let report: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(report["verified"], false);
    let providers = report["providers"].as_array().unwrap();
    let overall: Vec<(&str, &str)> = providers
        .iter()
        .map(|p| {
            (
                p["provider"].as_str().unwrap(),
                p["status"]["overall"]["status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        overall,
        [
            ("crossmint", "requires_data"),
            ("kriptomat", "requires_data"),
            ("leap", "requires_data")
        ]
    );
    assert_eq!(
        providers[0]["status"]["overall"]["missing"],
        serde_json::json!(["proof-of-address"])
    );

    let pending = scenario(dir.path(), "pending");
    let out = run(rampkit().arg("onboard").arg(&pending).args([
        "--sim",
        "--deadline-secs",
        "1",
        "--providers",
        "leap,cryptopocket",
    ]));
    assert_eq!(out.code, 1);
    let lines = lines_of(&out.stdout, pending.to_str().unwrap());
    assert_eq!(lines.len(), 2);
    for (provider, status) in &lines {
        assert!(
            status
                == &format!(
                    "error: {provider}: no final status before the deadline (last: pending)"
                ),
            "{provider}: {status}"
        );
    }
}

#[test]
fn a_directory_and_json_lines_with_json_output() {
    let dir = tempfile::tempdir().unwrap();
    let mut lines = String::new();
    for name in ["person_es_dni.json", "person_mx_two_surnames.json"] {
        let text = std::fs::read_to_string(fixture(name)).unwrap();
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        lines.push_str(&serde_json::to_string(&value).unwrap());
        lines.push('\n');
    }
    lines.push_str("{\"person\": \n");
    write(dir.path(), "customers.jsonl", &lines);
    let out = run(rampkit().arg("onboard").arg(dir.path()).args([
        "--sim",
        "--json",
        "--providers",
        "leap,crossmint",
    ]));
    assert_eq!(out.code, 1, "{}", out.stderr);
    let reports: Vec<serde_json::Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(reports.len(), 3);
    let label = |i: usize| reports[i]["customer"].as_str().unwrap().to_owned();
    assert!(label(0).ends_with("customers.jsonl:1"));
    assert!(label(2).ends_with("customers.jsonl:3"));
    assert_eq!(reports[0]["verified"], true);
    assert_eq!(reports[1]["verified"], true);
    assert_eq!(reports[2]["verified"], false);
    assert_eq!(
        reports[2]["invalid"][0],
        "malformed JSON at line 3, column 11: EOF while parsing a value"
    );
    assert_eq!(reports[0]["providers"][0]["provider"], "leap");
    assert_eq!(reports[0]["providers"][1]["provider"], "crossmint");
    // Customers are named by file and line, never by a personal value.
    assert!(!out.stdout.contains("lucia"));
    assert!(out.stderr.contains("2 of 3 customers verified"));

    // Ids that name one customer are refused for several.
    let out =
        run(rampkit()
            .arg("onboard")
            .arg(dir.path())
            .args(["--sim", "--user-id", "one-0001"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--user-id names one customer"));
    let out = run(rampkit().arg("onboard").arg(dir.path()).args([
        "--sim",
        "--kriptomat-user-id",
        "1001",
    ]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("a Kriptomat user id belongs to one customer")
    );
}

#[test]
fn every_fixture_in_one_run_is_verified_or_not_per_customer() {
    let out = run(rampkit().args(["onboard", "tests/fixtures/customers", "--sim", "--json"]));
    assert_eq!(out.code, 1);
    let verified: Vec<(String, bool)> = out
        .stdout
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["customer"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned(),
                v["verified"].as_bool().unwrap(),
            )
        })
        .collect();
    let expected: Vec<(String, bool)> = FIXTURES
        .iter()
        .map(|n| (n.to_string(), n.contains("es_dni") || n.contains("mx")))
        .collect();
    assert_eq!(verified, expected);
}

#[test]
fn missing_credentials_for_an_environment_are_named() {
    let out = run(rampkit().args([
        "onboard",
        "tests/fixtures/customers/person_es_dni.json",
        "--env",
        "sandbox",
        "--providers",
        "crossmint,leap",
    ]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(
            "missing credentials for crossmint, leap: set RAMPKIT_CROSSMINT_API_KEY, RAMPKIT_LEAP_API_KEY"
        ),
        "{}",
        out.stderr
    );
    let out = run(rampkit()
        .args([
            "onboard",
            "tests/fixtures/customers/person_es_dni.json",
            "--env",
            "production",
            "--providers",
            "cryptopocket",
        ])
        .env("RAMPKIT_CRYPTOPOCKET_API_KEY", "planted-key-value"));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("set RAMPKIT_CRYPTOPOCKET_API_SECRET"));
    assert!(!out.stderr.contains("planted-key-value"));
}

/// A `rampkit sim` on a free loopback port, killed on drop.
struct Standalone {
    child: Child,
    url: String,
}

impl Drop for Standalone {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn standalone(args: &[&str]) -> Standalone {
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rampkit"))
        .arg("sim")
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let url = url.trim().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    Standalone { child, url }
}

#[test]
fn a_standalone_simulator_keeps_state_between_runs_and_answers_status() {
    let sim = standalone(&["--port", "0"]);
    let out = run(rampkit().args([
        "onboard",
        "tests/fixtures/customers/person_es_dni.json",
        "--sim-url",
        &sim.url,
        "--user-id",
        "cli-test-0001",
    ]));
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);

    let out = run(rampkit().args([
        "status",
        "--provider",
        "crossmint",
        "userId:cli-test-0001",
        "--sim-url",
        &sim.url,
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.starts_with("crossmint: verified ("));
    let out = run(rampkit().args([
        "status",
        "-p",
        "leap",
        "+34600111222",
        "--sim-url",
        &sim.url,
    ]));
    assert_eq!((out.code, out.stdout.as_str()), (0, "leap: verified\n"));
    // A customer the simulator does not hold: the call fails (exit 3), typed, without the value.
    let out = run(rampkit().args([
        "status",
        "-p",
        "leap",
        "+34600111299",
        "--sim-url",
        &sim.url,
    ]));
    assert_eq!(out.code, 3);
    assert!(out.stderr.contains("not found (HTTP 404"), "{}", out.stderr);
    assert!(!out.stderr.contains("600111299"));

    // The simulator remembers the customer: registering again is refused by CryptoPocket and Leap, and
    // without a journal that remembers sending it, rampkit cannot tell the customer is its own: a
    // conflict, with the vendor's code.
    let out = run(rampkit().args([
        "onboard",
        "tests/fixtures/customers/person_es_dni.json",
        "--sim-url",
        &sim.url,
        "--providers",
        "cryptopocket,leap",
    ]));
    assert_eq!(out.code, 1);
    assert_eq!(
        out.stdout
            .matches("the vendor already holds this customer, registered outside this batch")
            .count(),
        2,
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("vendor code `user_already_exists`"));
    assert!(
        out.stdout
            .contains("vendor code `ERROR_USER_ALREADY_ENROLLED`")
    );
}

#[test]
fn status_needs_somewhere_to_ask() {
    let out = run(rampkit().args(["status", "-p", "kriptomat", "1001"]));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--sim-url"));
    let out = run(rampkit().args([
        "status",
        "-p",
        "kriptomat",
        "abc",
        "--sim-url",
        "http://127.0.0.1:9",
    ]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("kriptomat: the customer id must be the user id, a number"),
        "{}",
        out.stderr
    );
}

#[test]
fn webhook_verify_checks_a_cryptopocket_signature() {
    use hmac::{Hmac, Mac};
    let body = r#"{"type":"KYC_APPROVED","id":"wh_02"}"#;
    let secret = "cli-test-webhook-secret";
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
        .to_string();
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body.as_bytes());
    mac.update(timestamp.as_bytes());
    let signature = hex::encode(mac.finalize().into_bytes());
    let verify = |body: &str, secret: &str| {
        run(rampkit()
            .args([
                "webhook",
                "verify",
                "--provider",
                "cryptopocket",
                "--secret-env",
                "CLI_TEST_SECRET",
            ])
            .args(["-H", &format!("X-Signature: {signature}")])
            .args(["-H", &format!("X-Timestamp: {timestamp}")])
            .env("CLI_TEST_SECRET", secret)
            .write_stdin(body.to_owned()))
    };
    let out = verify(body, secret);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (0, "verified: KYC_APPROVED\n")
    );
    let out = verify(&body.replace("wh_02", "wh_03"), secret);
    assert_eq!(
        (out.code, out.stdout.as_str()),
        (1, "not verified: webhook signature does not match\n")
    );
    let out = verify(body, "another-secret");
    assert_eq!(out.code, 1);
    // The secret's variable unset: exit 2, the variable named.
    let out = run(rampkit()
        .args([
            "webhook",
            "verify",
            "-p",
            "leap",
            "--secret-env",
            "CLI_TEST_UNSET_VARIABLE",
        ])
        .write_stdin("{}"));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("CLI_TEST_UNSET_VARIABLE"));
}

#[test]
fn the_standalone_simulator_reads_a_config_file() {
    // Final statuses at the first poll, and the address (any free port) from the file.
    let dir = tempfile::tempdir().unwrap();
    let config = write(
        dir.path(),
        "sim.json",
        r#"{"addr": "127.0.0.1:0", "polls_until_final": 0}"#,
    );
    let sim = standalone(&["--config", config.to_str().unwrap(), "--latency-ms", "1"]);
    let out = run(rampkit().args([
        "onboard",
        "tests/fixtures/customers/person_mx_two_surnames.json",
        "--sim-url",
        &sim.url,
        "--providers",
        "leap",
        "--json",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(r#""verified":true"#));

    // A config file that is not one: exit 2, the file named.
    let bad = write(dir.path(), "bad.json", r#"{"polls_until_final": "soon"}"#);
    let out = run(rampkit().args(["sim", "--config", bad.to_str().unwrap()]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("cannot use the simulator config"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("bad.json"), "{}", out.stderr);
}

#[test]
fn a_company_is_registered_with_cryptopocket_and_its_kyb_form_goes_to_the_file_only() {
    let dir = tempfile::tempdir().unwrap();
    let forms = dir.path().join("kyb-forms.jsonl");
    let out = run(rampkit()
        .args([
            "onboard",
            "--sim",
            "--providers",
            "cryptopocket",
            "--kyb-forms",
        ])
        .arg(&forms)
        .arg(fixture("company_es.json")));
    assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
    assert!(
        out.stdout.contains("cryptopocket  verified"),
        "{}",
        out.stdout
    );
    let text = std::fs::read_to_string(&forms).unwrap();
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "{text}");
    let form = &lines[0];
    assert_eq!(form["provider"], "cryptopocket");
    assert_eq!(form["email"], "compliance@rampadigital.example.com");
    let link = form["link"].as_str().unwrap();
    let password = form["password"].as_str().unwrap();
    assert!(link.starts_with("https://"), "{link}");
    assert!(!password.is_empty());
    // Secrets: in the file only, which only its owner can read.
    for secret in [link, password] {
        assert!(!out.stdout.contains(secret) && !out.stderr.contains(secret));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&forms).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
