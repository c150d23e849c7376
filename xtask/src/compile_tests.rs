//! The Rust-API judgment checked by compiling: for a representative change of each class, consumer
//! code written against the current `rampkit-kriptomat` is `cargo check`ed against the crate regenerated
//! from the edited spec, and compiles exactly when the classifier says the change is not breaking for
//! the Rust API.
//!
//! Slow (a scratch clone, a scratch consumer crate and one `cargo check` per class: a few minutes on two
//! cores), so it runs only with `RAMPKIT_COMPILE_CHECKS=1`:
//! `RAMPKIT_COMPILE_CHECKS=1 cargo test -p xtask compile_tests -- --nocapture`.

use std::path::Path;
use std::process::Command;

use serde_json::{Value, json};

use crate::diff::engine::{self, Options};
use crate::diff::rules::Level;

/// A snippet using the current crate the way callers do.
struct Case {
    name: &'static str,
    edit: fn(&mut Value),
    consumer: &'static str,
}

const SCHEMAS: &str = "/components/schemas";

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "response enum value added",
            edit: |v| {
                v.pointer_mut(&format!("{SCHEMAS}/KycStatus/enum"))
                    .unwrap()
                    .as_array_mut()
                    .unwrap()
                    .push(json!("expired"));
            },
            consumer: r#"
pub fn word(s: &types::KycStatus) -> &str {
    match s {
        types::KycStatus::Passed | types::KycStatus::Verified => "ok",
        types::KycStatus::Unknown(raw) => raw,
        _ => "other",
    }
}"#,
        },
        Case {
            name: "optional response property added",
            edit: |v| {
                v.pointer_mut(&format!("{SCHEMAS}/ShowUserData/properties"))
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .insert("risk".into(), json!({"type": "string", "description": "x"}));
            },
            consumer: r#"
pub fn email(d: &types::ShowUserData) -> bool {
    d.email.is_some() && d.kyc_status.is_some()
}"#,
        },
        Case {
            name: "optional request property added",
            edit: |v| {
                v.pointer_mut(&format!("{SCHEMAS}/ImportKycRequest/properties"))
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .insert("note".into(), json!({"type": "string", "description": "x"}));
            },
            consumer: r#"
pub fn request() -> types::ImportKycRequest {
    types::ImportKycRequest { token: "t".into() }
}"#,
        },
        Case {
            name: "response property removed",
            edit: |v| {
                v.pointer_mut(&format!("{SCHEMAS}/ShowUserData/properties"))
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .remove("email");
            },
            consumer: r#"
pub fn email(d: &types::ShowUserData) -> bool {
    d.email.is_some()
}"#,
        },
        Case {
            name: "response pii removed",
            edit: |v| {
                v.pointer_mut(&format!("{SCHEMAS}/ShowUserData/properties/email"))
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .remove("format");
            },
            consumer: r#"
pub fn email(d: &types::ShowUserData) -> Option<&rampkit_kriptomat::Pii> {
    d.email.as_ref()
}"#,
        },
    ]
}

fn check(consumer: &Path, code: &str) -> bool {
    std::fs::write(
        consumer.join("src/lib.rs"),
        format!("#![allow(dead_code)]\nuse rampkit_kriptomat::types;\n{code}\n"),
    )
    .unwrap();
    Command::new(env!("CARGO"))
        .args(["check", "--offline", "--quiet"])
        .current_dir(consumer)
        .status()
        .unwrap()
        .success()
}

#[test]
fn rust_api_judgments_hold_when_compiled() {
    if std::env::var_os("RAMPKIT_COMPILE_CHECKS").is_none() {
        eprintln!("skipped: set RAMPKIT_COMPILE_CHECKS=1 to compile consumer snippets");
        return;
    }
    let root = crate::workspace::workspace_root();
    let dir = std::env::temp_dir().join(format!("rampkit-compile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    // Copies of the runtime and the kriptomat crate, and a consumer crate depending on the latter.
    let copy = |rel: &str| {
        let status = Command::new("cp")
            .arg("-r")
            .arg(root.join(rel))
            .arg(dir.join(rel.rsplit('/').next().unwrap()))
            .status()
            .unwrap();
        assert!(status.success());
    };
    copy("crates/rampkit-runtime");
    copy("crates/rampkit-kriptomat");
    // The generator reads `specs/` and the workspace's Cargo.lock (for the generator versions) under a
    // root of its own: the scratch workspace's lock is pruned by `cargo check`.
    std::fs::create_dir_all(dir.join("gen")).unwrap();
    let status = Command::new("cp")
        .arg("-r")
        .arg(root.join("specs"))
        .arg(dir.join("gen/specs"))
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::copy(root.join("Cargo.lock"), dir.join("gen/Cargo.lock")).unwrap();
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let ws = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let ws = ws
        .replace("\"crates/", "\"")
        .split("members = [")
        .collect::<Vec<_>>()
        .join(
            "members = [\"consumer\", \"rampkit-runtime\", \"rampkit-kriptomat\"]\nold-members = [",
        );
    std::fs::write(dir.join("Cargo.toml"), strip_members(&ws)).unwrap();
    let consumer = dir.join("consumer");
    std::fs::create_dir_all(consumer.join("src")).unwrap();
    std::fs::write(
        consumer.join("Cargo.toml"),
        "[package]\nname = \"consumer\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\nrampkit-kriptomat.workspace = true\n",
    )
    .unwrap();

    let provider = crate::providers::select(Some("kriptomat")).unwrap()[0];
    let spec_path = dir.join("gen/specs/kriptomat.yaml");
    let original = std::fs::read_to_string(&spec_path).unwrap();
    let old: Value = serde_yaml_ng::from_str(&original).unwrap();
    let lib = dir.join("rampkit-kriptomat/src/generated.rs");
    let original_lib = std::fs::read_to_string(&lib).unwrap();

    // Every snippet compiles against the current crate.
    let all: String = cases()
        .iter()
        .enumerate()
        .map(|(i, c)| format!("mod case{i} {{ use super::*; {} }}\n", c.consumer))
        .collect();
    assert!(
        check(&consumer, &all),
        "the snippets compile against the current crate"
    );

    let mut failures = Vec::new();
    for case in cases() {
        let mut new = old.clone();
        (case.edit)(&mut new);
        let changes = engine::compare(&old, &new, &Options::default());
        let rust_api = changes
            .iter()
            .map(|c| c.rust_api)
            .max()
            .unwrap_or(Level::None);
        std::fs::write(&spec_path, serde_yaml_ng::to_string(&new).unwrap()).unwrap();
        let generated = crate::generate::generate(&dir.join("gen"), provider)
            .unwrap()
            .code;
        std::fs::write(&lib, generated).unwrap();
        let compiles = check(&consumer, case.consumer);
        let expected = rust_api < Level::Breaking;
        eprintln!(
            "{}: classifier says Rust API {} → consumer {}",
            case.name,
            rust_api.as_str(),
            if compiles { "compiles" } else { "fails" }
        );
        if compiles != expected {
            failures.push(case.name);
        }
        std::fs::write(&lib, &original_lib).unwrap();
    }
    std::fs::write(&spec_path, original).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        failures.is_empty(),
        "judgment contradicted by the compiler: {failures:?}"
    );
}

/// `members = [...]` of the original workspace removed (kept only the scratch members line).
fn strip_members(ws: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in ws.lines() {
        if line.starts_with("old-members = [") {
            skipping = !line.trim_end().ends_with(']');
            continue;
        }
        if skipping {
            skipping = !line.trim_end().ends_with(']');
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}
