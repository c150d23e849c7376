//! `cargo xtask diff` as a command, in process (the shared target directory's `xtask` binary may be
//! another checkout's): exit codes, one-line errors naming the file, `--fail-on`, and the workspace found
//! from the current directory (a scratch workspace, not this checkout).

use std::path::{Path, PathBuf};
use std::process::Command;

use clap::Parser;

use crate::diff::command::diff_command;
use crate::workspace::find_workspace;
use crate::{Cli, Command as Cmd};

struct Output {
    code: u8,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
}

const SPEC: &str = r#"openapi: 3.0.3
info:
  title: Toy
  version: v1
paths:
  /users:
    get:
      operationId: list_users
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Users'
components:
  schemas:
    Users:
      type: object
      properties:
        status:
          $ref: '#/components/schemas/Status'
    Status:
      type: string
      enum: [active, blocked]
"#;

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@t"])
        .args(args)
        .status()
        .unwrap()
        .success();
    assert!(ok, "git {args:?}");
}

/// A scratch workspace with a `kriptomat` spec and crate manifest, committed once.
fn workspace(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rampkit-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("specs")).unwrap();
    std::fs::create_dir_all(dir.join("crates/rampkit-kriptomat")).unwrap();
    std::fs::write(dir.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
    std::fs::write(
        dir.join("crates/rampkit-kriptomat/Cargo.toml"),
        "[package]\nname = \"rampkit-kriptomat\"\nversion = \"0.3.1\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("specs/kriptomat.yaml"), SPEC).unwrap();
    git(&dir, &["init", "--quiet"]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "--quiet", "-m", "base"]);
    dir
}

/// Parses `args` as the command line and runs `diff` in the workspace found from `dir/specs`.
fn xtask(dir: &Path, args: &[&str]) -> Output {
    let root = find_workspace(&dir.join("specs")).expect("the scratch workspace");
    assert_eq!(root, dir);
    let mut out = Output {
        code: 0,
        stdout: Vec::new(),
        stderr: Vec::new(),
    };
    let cli = match Cli::try_parse_from(std::iter::once("xtask").chain(args.iter().copied())) {
        Ok(cli) => cli,
        Err(e) => {
            out.code = 2;
            out.stderr = e.to_string().into_bytes();
            return out;
        }
    };
    let Cmd::Diff {
        provider,
        base,
        format,
        fail_on,
    } = cli.command
    else {
        panic!("not a diff command");
    };
    out.code = diff_command(
        &root,
        provider.as_deref(),
        &base,
        format,
        fail_on,
        &mut out.stdout,
        &mut out.stderr,
    );
    out
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn diff_exit_codes_and_errors() {
    let dir = workspace("diff");
    let args = ["diff", "--provider", "kriptomat", "--format", "json"];

    let out = xtask(&dir, &args);
    assert_eq!(out.code, 0, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["providers"][0]["level"], "none");
    assert_eq!(v["providers"][0]["current"], "0.3.1");

    // The vendor adds a status value: additive, 0.3.1 → 0.3.2.
    let spec = dir.join("specs/kriptomat.yaml");
    std::fs::write(
        &spec,
        SPEC.replace("[active, blocked]", "[active, blocked, closed]"),
    )
    .unwrap();
    let out = xtask(&dir, &args);
    assert_eq!(out.code, 0, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = &v["providers"][0];
    assert_eq!(
        (p["level"].as_str(), p["proposed"].as_str()),
        (Some("additive"), Some("0.3.2"))
    );
    assert_eq!(
        p["changes"][0]["rule"],
        "response-property-enum-value-added"
    );
    assert_eq!(
        p["changes"][0]["location"],
        "#/components/schemas/Status/enum/2"
    );
    let fail = |level: &str| xtask(&dir, &["diff", "-p", "kriptomat", "--fail-on", level]).code;
    assert_eq!(fail("additive"), 1);
    assert_eq!(fail("breaking"), 0);

    // Markdown and text name the rule too.
    for format in ["text", "markdown"] {
        let out = xtask(&dir, &["diff", "-p", "kriptomat", "--format", format]);
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("response-property-enum-value-added")
        );
    }

    // Bad input: exit 2, one line naming the file.
    let one_line = |o: &Output, needle: &str| {
        assert_eq!(o.code, 2, "{}", stderr(o));
        let e = stderr(o);
        assert_eq!(e.trim_end().lines().count(), 1, "{e}");
        assert!(e.contains(needle), "{e}");
    };
    one_line(
        &xtask(&dir, &["diff", "-p", "kriptomat", "--base", "no-such-rev"]),
        "specs/kriptomat.yaml: `no-such-rev` is not a git revision",
    );
    one_line(
        &xtask(&dir, &["diff", "-p", "nope"]),
        "unknown provider `nope`",
    );
    std::fs::write(&spec, "openapi: 3.0.3\ninfo: [\n").unwrap();
    one_line(
        &xtask(&dir, &["diff", "-p", "kriptomat"]),
        "specs/kriptomat.yaml: invalid YAML",
    );
    std::fs::write(&spec, "openapi: 3.0.3\ninfo: 7\npaths: {}\n").unwrap();
    one_line(
        &xtask(&dir, &["diff", "-p", "kriptomat"]),
        "specs/kriptomat.yaml: not an OpenAPI 3.0 document",
    );
    // An invalid spec at the base names the revision.
    std::fs::write(&spec, "openapi: 3.0.3\ninfo: [\n").unwrap();
    git(&dir, &["commit", "--quiet", "-am", "broken"]);
    std::fs::write(&spec, SPEC).unwrap();
    git(&dir, &["commit", "--quiet", "-am", "fixed"]);
    one_line(
        &xtask(&dir, &["diff", "-p", "kriptomat", "--base", "HEAD~1"]),
        "specs/kriptomat.yaml at HEAD~1: invalid YAML",
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_spec_missing_at_the_base_is_a_new_provider() {
    let dir = workspace("new");
    std::fs::create_dir_all(dir.join("crates/rampkit-sumsub")).unwrap();
    std::fs::write(
        dir.join("crates/rampkit-sumsub/Cargo.toml"),
        "[package]\nname = \"rampkit-sumsub\"\nversion = \"0.1.0\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("specs/sumsub.yaml"), SPEC).unwrap();
    let out = xtask(&dir, &["diff", "-p", "sumsub", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let p = &v["providers"][0];
    assert_eq!(p["new_provider"], true);
    assert_eq!(p["level"], "additive");
    let rules: Vec<_> = p["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["endpoint-added"]);
    std::fs::remove_dir_all(&dir).unwrap();
}
