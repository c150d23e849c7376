//! The `rampkit` binary: `validate`, `request` and bad input, run as a user runs them.

mod common;

use common::{FIXTURES, PROVIDERS, fixture, rampkit, run, write};

/// The personal values planted in a fixture, read from its JSON by path (not through the CLI's own
/// code): every one must stay out of the redacted output.
fn planted(name: &str) -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture(name)).unwrap()).unwrap();
    let paths: &[&str] = &[
        "/person/legal_name/first_name",
        "/person/legal_name/middle_name",
        "/person/legal_name/last_name",
        "/person/legal_name/second_last_name",
        "/person/date_of_birth",
        "/person/email",
        "/person/mobile_phone",
        "/person/residential_address/line1",
        "/person/residential_address/line2",
        "/person/residential_address/city",
        "/person/residential_address/postal_code",
        "/person/identity_document/number",
        "/person/identity_document/expiry_date",
        "/person/verification/verified_by/applicant_id",
        "/company/legal_name",
        "/company/registration_number",
        "/company/contact_email",
    ];
    let mut values: Vec<String> = paths
        .iter()
        .filter_map(|path| json.pointer(path))
        .filter_map(|v| v.as_str())
        .map(str::to_owned)
        .collect();
    // The phone without its "+" and country code, as some vendors take it.
    if let Some(phone) = json
        .pointer("/person/mobile_phone")
        .and_then(|v| v.as_str())
    {
        values.push(phone[phone.len() - 9..].to_owned());
    }
    // Verification times to the second (vendors write them with milliseconds).
    for path in [
        "/person/verification/id_verified_at",
        "/person/verification/liveness_verified_at",
    ] {
        if let Some(at) = json.pointer(path).and_then(|v| v.as_str()) {
            values.push(at[..19].to_owned());
        }
    }
    for path in [
        "/person/residential_address/coordinates/latitude",
        "/person/residential_address/coordinates/longitude",
    ] {
        if let Some(n) = json.pointer(path) {
            values.push(n.to_string());
        }
    }
    assert!(values.len() >= 3, "{name}: planted values found");
    values
}

#[test]
fn request_snapshots_for_every_fixture_and_provider() {
    for name in FIXTURES {
        for provider in PROVIDERS {
            let out = run(rampkit().args([
                "request",
                fixture(name).to_str().unwrap(),
                "--provider",
                provider,
                "--privacy-policy-accepted-at",
                "2026-01-01T00:00:00Z",
            ]));
            // Exit 0, or 1 when the provider does not take this customer (nothing is sent).
            assert!(
                out.code == 0 || (out.code == 1 && out.stdout.contains("the flow stops here")),
                "{name} {provider}: exit {} {}",
                out.code,
                out.stderr
            );
            for value in planted(name) {
                assert!(
                    !out.stdout.contains(&value),
                    "{name} {provider}: a planted personal value is printed"
                );
            }
            let mut settings = insta::Settings::clone_current();
            settings.add_filter(r"x-app-access-ts: \d+", "x-app-access-ts: [timestamp]");
            settings.set_snapshot_suffix(format!("{}_{provider}", name.trim_end_matches(".json")));
            settings.set_description(format!("rampkit request {name} --provider {provider}"));
            settings.bind(|| insta::assert_snapshot!("request", out.stdout));
        }
    }
}

#[test]
fn request_prints_each_flow_in_order_with_credentials_masked() {
    let out = run(rampkit().args([
        "request",
        fixture("person_es_dni.json").to_str().unwrap(),
        "--privacy-policy-accepted-at",
        "2026-01-01T00:00:00Z",
    ]));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let steps: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.starts_with("## "))
        .map(|l| l.split_whitespace().nth(2).unwrap())
        .collect();
    assert_eq!(
        steps,
        [
            "PUT", "PUT", "POST", "POST", "POST", "PUT", "GET", // crossmint
            "POST", "POST", "GET", // cryptopocket
            "POST", "POST", "POST", "GET", // sumsub + kriptomat
            "POST", "POST", // leap
        ]
    );
    assert!(
        out.stdout
            .contains("## 2/3 POST https://sandbox.cryptopocket.io/api/registerUser/kyc-delegated")
    );
    assert!(out.stdout.contains("x-api-key: [credential]"));
    assert!(out.stdout.contains("\"api_secret\": \"[credential]\""));
    assert!(!out.stdout.contains("placeholder-"));
    // Codes stay visible: they are the request's shape.
    assert!(out.stdout.contains("\"document_type\": \"DNI\""));
}

#[test]
fn reveal_and_full_print_what_the_default_hides() {
    let path = fixture("person_es_dni.json");
    let customer: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let image = customer
        .pointer("/person/identity_document/front_image")
        .and_then(|v| v.as_str())
        .unwrap()
        .to_owned();
    let shown = run(rampkit().args([
        "request",
        path.to_str().unwrap(),
        "-p",
        "cryptopocket",
        "--reveal",
        "--full",
    ]));
    assert_eq!(shown.code, 0);
    assert!(
        shown
            .stdout
            .contains("\"email\": \"lucia.garcia@example.com\"")
    );
    assert!(shown.stdout.contains(&image));
    assert!(shown.stdout.contains("\"api_key\": \"[credential]\""));
    let hidden = run(rampkit().args(["request", path.to_str().unwrap(), "-p", "cryptopocket"]));
    assert!(!hidden.stdout.contains(&image));
    assert!(hidden.stdout.contains("\"email\": \"[redacted]\""));
    assert!(
        hidden
            .stdout
            .contains(&format!("{}…[base64, ", &image[..24]))
    );
}

#[test]
fn validate_says_valid_only_where_every_flow_would_send() {
    let mut command = rampkit();
    command.args([
        "validate",
        "--privacy-policy-accepted-at",
        "2026-01-01T00:00:00Z",
        "--providers",
        "cryptopocket,crossmint,leap",
    ]);
    for name in FIXTURES {
        command.arg(fixture(name));
    }
    let out = run(&mut command);
    assert_eq!(out.code, 1, "{}", out.stdout);
    // The Spanish and Mexican people are taken by all three; the US person (an SSN) not by
    // CryptoPocket's delegated KYC; the company only by CryptoPocket's company registration.
    let valid: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.ends_with(": valid"))
        .collect();
    assert_eq!(valid.len(), 2, "{}", out.stdout);
    assert!(out.stdout.contains(
        "person_us_ssn.json: valid as a customer, but not ready for 1 of 3 providers:\n  - cryptopocket: not supported"
    ), "{}", out.stdout);
    // Without --kyb-forms, nothing would receive the company's KYB form: CryptoPocket is not ready.
    assert!(
        out.stdout.contains(
            "company_es.json: valid as a customer, but not ready for 3 of 3 providers:\n"
        ) && out
            .stdout
            .contains("\n  - cryptopocket: missing --kyb-forms\n"),
        "{}",
        out.stdout
    );
    let company = run(rampkit()
        .args([
            "validate",
            "--kyb-forms",
            "forms.jsonl",
            "--providers",
            "cryptopocket,crossmint,leap",
        ])
        .arg(fixture("company_es.json")));
    assert!(
        company
            .stdout
            .contains("company_es.json: valid as a customer, but not ready for 2 of 3 providers"),
        "{}",
        company.stdout
    );
    assert!(
        !company.stdout.contains("cryptopocket"),
        "{}",
        company.stdout
    );
    assert!(!std::path::Path::new("forms.jsonl").exists());

    // Without a consent time, Crossmint's readiness names it; --json gives the table per provider.
    let out = run(rampkit()
        .args(["validate", "--json", "--providers", "crossmint,leap"])
        .arg(fixture("person_es_dni.json")));
    assert_eq!(out.code, 1);
    let verdict: serde_json::Value = serde_json::from_str(out.stdout.trim()).unwrap();
    assert_eq!(verdict["valid"], true);
    assert_eq!(
        verdict["providers"],
        serde_json::json!({
            "crossmint": {"ready": false, "missing": ["providers.crossmint.privacy_policy_accepted_at"], "unsupported": null},
            "leap": {"ready": true, "missing": [], "unsupported": null}
        })
    );
}

#[test]
fn validate_lists_every_problem_with_its_field() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(fixture("person_es_dni.json")).unwrap();
    let bad = good
        .replace("lucia.garcia@example.com", "lucia.garcia at example")
        .replace("\"nationality\": \"ES\"", "\"nationality\": \"XX\"")
        .replace("+34600111222", "+3460011");
    let bad = write(dir.path(), "bad.json", &bad);
    let out = run(rampkit()
        .args(["validate"])
        .arg(fixture("person_es_dni.json"))
        .arg(&bad));
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("person_es_dni.json: valid"));
    // One pass: the structural problem (an unknown country code) and the rules of the other fields.
    assert!(
        out.stdout.contains("bad.json: invalid, 3 problems"),
        "{}",
        out.stdout
    );
    for field in ["person.nationality", "person.email", "person.mobile_phone"] {
        assert!(
            out.stdout.contains(&format!("  - {field} ")),
            "{field}: {}",
            out.stdout
        );
    }
    assert!(!out.stdout.contains("lucia.garcia at example"));
    assert!(!out.stdout.contains("+3460011"));
}

#[test]
fn malformed_json_is_named_by_file_line_and_column_never_by_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let broken = write(
        dir.path(),
        "broken.json",
        "{\n  \"person\": {\n    \"email\": \"planted.secret@example.com\" \"oops\"\n  }\n}\n",
    );
    let out = run(rampkit().arg("validate").arg(&broken));
    assert_eq!(out.code, 1);
    let line = out.stdout.lines().next().unwrap();
    assert!(
        line.starts_with(&format!("{}: invalid: ", broken.display())),
        "{line}"
    );
    assert!(
        line.ends_with("malformed JSON at line 3, column 43: expected `,` or `}`"),
        "{line}"
    );
    assert!(!out.stdout.contains("planted.secret"));

    // JSON Lines: the line is the file's.
    let good = std::fs::read_to_string(fixture("person_es_dni.json"))
        .unwrap()
        .replace('\n', "");
    let lines = write(
        dir.path(),
        "customers.jsonl",
        &format!("{good}\n\n{{\"person\": [1,]}}\n"),
    );
    let out = run(rampkit().arg("validate").arg(&lines));
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("customers.jsonl:1: valid"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("customers.jsonl:3: invalid: malformed JSON at line 3, column 15"),
        "{}",
        out.stdout
    );

    // `request` refuses it the same way, sending nothing.
    let out = run(rampkit().arg("request").arg(&broken));
    assert_eq!(out.code, 1);
    assert!(out.stdout.contains("malformed JSON at line 3, column 43"));
}

#[test]
fn bad_input_gets_a_clear_error_and_a_documented_code() {
    // An unknown provider: the valid ones are listed; exit 2.
    let out = run(rampkit().args([
        "request",
        fixture("person_es_dni.json").to_str().unwrap(),
        "--provider",
        "moonpay",
    ]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("[possible values: all, crossmint, cryptopocket, kriptomat, leap]"),
        "{}",
        out.stderr
    );
    let out = run(rampkit().args(["onboard", "x.json", "--providers", "crossmint,moonpay"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("possible values: crossmint, cryptopocket, kriptomat, leap")
    );

    // A file that cannot be read: exit 2, the path named.
    let out = run(rampkit().args(["validate", "no/such/customer.json"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("cannot read no/such/customer.json: entity not found")
    );
    let out = run(rampkit().args(["onboard", "no/such/dir", "--sim"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("cannot read no/such/dir: entity not found")
    );

    // A bad option value.
    let out = run(rampkit().args([
        "request",
        fixture("person_es_dni.json").to_str().unwrap(),
        "--crossmint-products",
        "lending",
    ]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("valid: onramp, onramp-light, offramp, regulated-transfer")
    );

    // `run` asserts that no run panicked.

    // A fault rate outside 0..1 for the simulator.
    let out = run(rampkit().args(["sim", "--port", "0", "--fault-rate", "1.5"]));
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .contains("--fault-rate is a share between 0 and 1")
    );

    // The exit codes are documented in --help.
    let help = run(rampkit().arg("--help"));
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("Exit codes:"));
}
