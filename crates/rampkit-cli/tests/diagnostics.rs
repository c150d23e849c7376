//! Seeing why something failed: the cause chain of an error, `-v` / `-vv` and `RUST_LOG`, and exit
//! codes that match the help.

mod common;

use common::{fixture, rampkit, run};

/// Nothing listens on port 1 of the loopback: every call fails to connect.
const NOWHERE: &str = "http://127.0.0.1:1";

#[test]
fn a_failed_call_says_why() {
    let out = run(rampkit().args(["status", "-p", "leap", "+34600100000", "--sim-url", NOWHERE]));
    assert_eq!(out.code, 3, "{}", out.stderr);
    // The library's words, then its causes down to the operating system's.
    assert!(
        out.stderr
            .contains("transient network failure after 3 attempts: could not connect"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("Connection refused"), "{}", out.stderr);
    // Without -v, no log lines.
    assert!(!out.stderr.contains("rampkit: retrying"), "{}", out.stderr);
}

#[test]
fn verbose_and_rust_log_show_the_calls() {
    let out = run(rampkit().args([
        "-v",
        "status",
        "-p",
        "leap",
        "+34600100000",
        "--sim-url",
        NOWHERE,
    ]));
    assert!(out.stderr.contains("rampkit: retrying"), "{}", out.stderr);
    assert!(
        out.stderr.contains("rampkit: call failed"),
        "{}",
        out.stderr
    );

    let out = run(rampkit().env("RUST_LOG", "rampkit_runtime=warn").args([
        "status",
        "-p",
        "leap",
        "+34600100000",
        "--sim-url",
        NOWHERE,
    ]));
    assert!(out.stderr.contains("rampkit: retrying"), "{}", out.stderr);

    // -vv: every call as a closed span, against the embedded simulator, without a personal value.
    let out = run(rampkit()
        .args(["-vv", "onboard", "--sim", "--providers", "leap"])
        .arg(fixture("person_es_dni.json")));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("rampkit.call"), "{}", out.stderr);
    for planted in ["Lucía", "García", "lucia.garcia", "600111222"] {
        assert!(
            !out.stderr.contains(planted),
            "{planted} in: {}",
            out.stderr
        );
    }
}

#[test]
fn request_documents_the_code_of_a_stopped_flow() {
    // A company: every provider's person flow stops before sending.
    let out = run(rampkit()
        .args(["request", "--provider", "leap"])
        .arg(fixture("company_es.json")));
    assert!(out.stdout.contains("the flow stops here"), "{}", out.stdout);
    assert_eq!(out.code, 1);
    let help = run(rampkit().args(["request", "--help"])).stdout;
    let codes = &help[help.find("Exit codes").expect("exit codes in the help")..];
    let one = &codes[codes.find("1 ").unwrap()..codes.find("; 2 ").unwrap()];
    assert!(one.contains("flow") && one.contains("stops"), "{one}");
}
