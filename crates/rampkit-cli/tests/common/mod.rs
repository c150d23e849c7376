//! Helpers shared by the CLI tests: the tree, the binary, a finished run.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The rampkit tree, found at run time: the first ancestor of the working directory with the fixtures.
pub fn root() -> PathBuf {
    std::env::current_dir()
        .unwrap()
        .ancestors()
        .find(|dir| dir.join("tests/fixtures/customers").is_dir())
        .expect("run inside the rampkit tree")
        .to_path_buf()
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures/customers").join(name)
}

pub const FIXTURES: [&str; 4] = [
    "company_es.json",
    "person_es_dni.json",
    "person_mx_two_surnames.json",
    "person_us_ssn.json",
];

pub const PROVIDERS: [&str; 4] = ["crossmint", "cryptopocket", "kriptomat", "leap"];

/// The binary, run from the tree's root, with no `RAMPKIT_*` variable inherited.
pub fn rampkit() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rampkit"));
    command.current_dir(root());
    for (name, _) in std::env::vars() {
        if name.starts_with("RAMPKIT_") {
            command.env_remove(name);
        }
    }
    command
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn run(command: &mut Command) -> Run {
    let output = command.output().unwrap();
    let run = Run {
        code: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    assert!(
        !run.stderr.contains("panicked") && !run.stderr.contains("RUST_BACKTRACE"),
        "a panic: {}",
        run.stderr
    );
    run
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// `RAMPKIT_TEST_DATABASE_URL` (a PostgreSQL server, `scripts/test-postgres.sh`): required in CI (`CI`
/// set); otherwise `None`, after saying that the test checks nothing.
pub fn database_url() -> Option<String> {
    let url = std::env::var("RAMPKIT_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() {
        assert!(
            std::env::var_os("CI").is_none(),
            "RAMPKIT_TEST_DATABASE_URL is not set: CI must start PostgreSQL (scripts/test-postgres.sh)"
        );
        eprintln!(
            "RAMPKIT_TEST_DATABASE_URL is not set: nothing checked (scripts/test-postgres.sh run …)"
        );
    }
    url
}
