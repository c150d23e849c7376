//! The diff's tests: one table row per rule (a small spec edit → the rule id, level and both judgments
//! it must produce), the engine on combined and real-spec edits and formatting-only rewrites, and the
//! reports (new providers, facade mappings, versions, input errors, the JSON shape).

mod engine;
mod report;
mod rule_table;
mod vendor_rules;

use serde_json::Value;

use crate::diff::change::Change;
use crate::diff::engine::Options;
use crate::diff::rules::Level;

/// The engine with default options, as `cargo xtask diff` runs it between two revisions.
fn compare(old: &Value, new: &Value) -> Vec<Change> {
    crate::diff::engine::compare(old, new, &Options::default())
}

fn toy() -> Value {
    crate::proofs::toy::spec()
}

use crate::proofs::edits::{CREATE, GET, REQ, RESP, at, obj};

fn real(provider: &str) -> Value {
    let root = crate::workspace::workspace_root();
    serde_yaml_ng::from_str(
        &std::fs::read_to_string(root.join(format!("specs/{provider}.yaml"))).unwrap(),
    )
    .unwrap()
}

fn only(changes: &[Change]) -> (&'static str, Level, Level, Level, &str) {
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let c = &changes[0];
    (c.rule, c.level(), c.wire, c.rust_api, c.location.as_str())
}
