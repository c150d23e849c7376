//! Loading specs for a comparison: YAML or JSON text checked to be an OpenAPI 3.0 document, and a
//! provider's spec at a git revision.

use std::path::Path;

use serde_json::Value;

/// An error that makes `diff` exit with code 2: bad arguments or unreadable specs.
pub struct InputError(pub String);

/// A spec as YAML text → JSON, checked to be an OpenAPI 3.0 document. `label` names the file in errors
/// (`specs/leap.yaml at HEAD`).
pub fn parse_spec(raw: &[u8], label: &str) -> Result<Value, InputError> {
    let value: Value = serde_yaml_ng::from_slice(raw).map_err(|e| {
        InputError(format!(
            "{label}: invalid YAML: {}",
            one_line(&e.to_string())
        ))
    })?;
    serde_json::from_value::<openapiv3::OpenAPI>(value.clone()).map_err(|e| {
        InputError(format!(
            "{label}: not an OpenAPI 3.0 document: {}",
            one_line(&e.to_string())
        ))
    })?;
    Ok(value)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The spec of `provider` at git revision `rev`, or `None` when that revision has no such file.
pub fn spec_at(root: &Path, rev: &str, provider: &str) -> Result<Option<Value>, InputError> {
    let rel = format!("specs/{provider}.yaml");
    let commit = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--verify", "--quiet"])
        .arg(format!("{rev}^{{commit}}"))
        .output()
        .map_err(|e| InputError(format!("{rel}: cannot run git: {e}")))?;
    if !commit.status.success() {
        return Err(InputError(format!(
            "{rel}: `{rev}` is not a git revision of {}",
            root.display()
        )));
    }
    let shown = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .arg("show")
        .arg(format!("{rev}:{rel}"))
        .output()
        .map_err(|e| InputError(format!("{rel}: cannot run git: {e}")))?;
    if !shown.status.success() {
        return Ok(None);
    }
    parse_spec(&shown.stdout, &format!("{rel} at {rev}")).map(Some)
}
