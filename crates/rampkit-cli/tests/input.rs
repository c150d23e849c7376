//! What the commands make of awkward input: a closed pipe, a file with several problems, a file in
//! another encoding.

mod common;

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use common::{fixture, rampkit, run, write};

fn one_line_customer() -> String {
    std::fs::read_to_string(fixture("person_es_dni.json"))
        .unwrap()
        .replace('\n', "")
}

/// `rampkit validate big.jsonl | head -1`: the reader goes away after one line; the command must end
/// quietly (it panicked on the closed pipe: "internal error", exit 101).
#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().unwrap();
    // Far more than a pipe buffer (64 KiB) of output, so that writes meet the closed pipe.
    let bare = "{\"person\": 1}\n".repeat(20_000);
    let file = write(dir.path(), "bare.jsonl", &bare);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rampkit"))
        .arg("validate")
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(first.contains("bare.jsonl:1: invalid"), "{first}");
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("internal error"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
}

/// A bad date, a bad phone, an unknown key and a wrong type, all named in one run.
#[test]
fn validate_names_every_problem_in_one_pass() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("person_es_dni.json"))
        .unwrap()
        .replace("\"person\": {", "\"person\": {\n    \"nickname\": \"Lu\",")
        .replace("+34600111222", "+3460011");
    // An impossible date of birth.
    let text = regex_free_date(&text);
    let file = write(dir.path(), "many.json", &text);
    let out = run(rampkit().arg("validate").arg(&file));
    assert_eq!(out.code, 1);
    for expected in [
        "person has an unknown field `nickname` at line 3, column 14",
        "person.date_of_birth is not a real calendar date",
        "person.mobile_phone is not a valid E.164 mobile number",
    ] {
        assert!(out.stdout.contains(expected), "{expected}: {}", out.stdout);
    }
    assert!(!out.stdout.contains("+3460011"), "{}", out.stdout);
}

/// Replaces the fixture's date of birth with
/// an impossible one.
fn regex_free_date(text: &str) -> String {
    let key = "\"date_of_birth\": \"";
    let at = text.find(key).unwrap() + key.len();
    let end = at + text[at..].find('"').unwrap();
    format!("{}1990-02-30{}", &text[..at], &text[end..])
}

#[test]
fn encodings_are_named() {
    let dir = tempfile::tempdir().unwrap();
    let customer = std::fs::read_to_string(fixture("person_es_dni.json")).unwrap();

    // A UTF-8 byte-order mark is read through.
    let bom = dir.path().join("bom.json");
    std::fs::write(
        &bom,
        [b"\xEF\xBB\xBF".as_slice(), customer.as_bytes()].concat(),
    )
    .unwrap();
    let out = run(rampkit()
        .args(["validate", "--providers", "leap"])
        .arg(&bom));
    assert!(out.stdout.contains("bom.json: valid"), "{}", out.stdout);
    assert_eq!(out.code, 0);

    // UTF-16, with its byte-order mark.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(customer.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let wide = dir.path().join("wide.json");
    std::fs::write(&wide, utf16).unwrap();
    let out = run(rampkit().arg("validate").arg(&wide));
    assert_eq!(out.code, 1);
    assert!(
        out.stdout
            .contains("the file is UTF-16 (little-endian), not UTF-8"),
        "{}",
        out.stdout
    );

    // Latin-1: "é" as one byte, on the line of the name.
    let latin1: Vec<u8> = customer
        .replace("Lucía", "Luc\u{0}a")
        .bytes()
        .map(|b| if b == 0 { 0xE9 } else { b })
        .collect();
    let legacy = dir.path().join("legacy.jsonl");
    std::fs::write(
        &legacy,
        [
            one_line_customer().as_bytes(),
            b"\n",
            &latin1
                .iter()
                .filter(|b| **b != b'\n')
                .copied()
                .collect::<Vec<u8>>(),
        ]
        .concat(),
    )
    .unwrap();
    let out = run(rampkit()
        .args(["validate", "--providers", "leap"])
        .arg(&legacy));
    assert_eq!(out.code, 1);
    assert!(
        out.stdout.contains("legacy.jsonl:1: valid"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("legacy.jsonl:2: invalid: not UTF-8 at line 2"),
        "{}",
        out.stdout
    );
}
