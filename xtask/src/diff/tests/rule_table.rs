//! One row per rule: a small edit of the toy spec must produce exactly that rule, with its level and
//! both judgments.

use std::collections::BTreeSet;

use serde_json::json;

use super::{CREATE, GET, RESP, at, compare, obj, toy};
use crate::diff::rules::Level::{Breaking as B, None as N};
use crate::diff::rules::RULES;
use crate::proofs::edits::rows as cases;

#[test]
fn each_rule_on_a_small_spec_edit() {
    let base = toy();
    let mut failures = Vec::new();
    for (name, edit, rule, level, wire, rust_api) in cases() {
        let mut new = base.clone();
        edit(&mut new);
        let changes = compare(&base, &new);
        let got: Vec<_> = changes
            .iter()
            .map(|c| (c.rule, c.level(), c.wire, c.rust_api))
            .collect();
        if got != [(rule, level, wire, rust_api)] {
            failures.push(format!(
                "{name}: expected [{rule} {level:?} wire {wire:?} rust {rust_api:?}], got {got:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_test_row() {
    let mut rows: BTreeSet<&str> = cases().iter().map(|c| c.2).collect();
    // Rows tested below, with their own bases.
    rows.extend([
        "api-removed-with-deprecation",
        "api-path-removed-with-deprecation",
        "request-body-became-required",
        "response-property-base64-document-removed",
        // tests/vendor_rules.rs, on a spec with a schema nothing uses.
        "unused-schema-changed",
    ]);
    let missing: Vec<_> = RULES
        .iter()
        .map(|r| r.0)
        .filter(|r| !rows.contains(r))
        .collect();
    assert!(missing.is_empty(), "rules without a test: {missing:?}");
}

#[test]
fn rules_with_their_own_base() {
    // Deprecated, then removed.
    let mut old = toy();
    at(&mut old, GET)["deprecated"] = json!(true);
    let mut new = old.clone();
    obj(at(&mut new, "/paths")).remove("/users/{id}");
    let rules: Vec<_> = compare(&old, &new).iter().map(|c| c.rule).collect();
    assert_eq!(rules, ["api-path-removed-with-deprecation"]);

    let mut new = old.clone();
    obj(at(&mut new, "/paths/~1users~1{id}")).insert(
        "delete".into(),
        json!({"operationId": "delete_user", "responses": {"204": {"description": "gone"}}}),
    );
    obj(at(&mut new, "/paths/~1users~1{id}")).remove("get");
    let got: Vec<_> = compare(&old, &new).iter().map(|c| c.rule).collect();
    assert_eq!(got, ["api-removed-with-deprecation", "endpoint-added"]);

    // An optional body becomes required.
    let mut old = toy();
    at(&mut old, &format!("{CREATE}/requestBody"))["required"] = json!(false);
    let new = toy();
    let c = compare(&old, &new);
    assert_eq!(c.len(), 1);
    assert_eq!(
        (c[0].rule, c[0].wire, c[0].rust_api),
        ("request-body-became-required", B, N)
    );

    // A base64 document in a response is no longer one.
    let mut old = toy();
    obj(at(&mut old, &format!("{RESP}/properties"))).insert(
        "scan".into(),
        json!({"type": "string", "format": "base64-document", "description": "x"}),
    );
    let mut new = old.clone();
    obj(at(&mut new, &format!("{RESP}/properties/scan"))).remove("format");
    let c = compare(&old, &new);
    assert_eq!(c.len(), 1);
    assert_eq!(
        (c[0].rule, c[0].level(), c[0].location.as_str()),
        (
            "response-property-base64-document-removed",
            B,
            "#/components/schemas/UserResponse/properties/scan/format"
        )
    );
}

#[test]
fn a_redacted_string_that_becomes_an_object_reports_both_changes() {
    let old = toy();
    let mut new = toy();
    *at(&mut new, &format!("{RESP}/properties/email")) = json!({
        "type": "object",
        "description": "E-mail.",
        "properties": {"month": {"type": "string"}, "year": {"type": "string"}}
    });
    let rules: Vec<_> = compare(&old, &new).iter().map(|c| c.rule).collect();
    assert_eq!(
        rules,
        [
            "response-property-pii-removed",
            "response-property-type-changed"
        ]
    );
}

#[test]
fn notes_for_rampkits_own_tools_are_no_change() {
    let mut old = toy();
    let media = format!("{CREATE}/responses/201/content/application~1json");
    let example = at(&mut old, &media);
    let value = example.as_object_mut().unwrap().remove("example").unwrap();
    example["examples"] = json!({"older": {"value": value}});
    let mut new = old.clone();
    at(&mut new, &format!("{RESP}/properties/nickname"))["x-upstream-differs"] =
        json!("The vendor's file says otherwise.");
    at(&mut new, GET)["x-upstream-differs"] = json!("Only in a newer file.");
    at(&mut new, &format!("{media}/examples/older"))["x-decodes-as-unknown"] = json!(["/status"]);
    let rules: Vec<_> = compare(&old, &new).iter().map(|c| c.rule).collect();
    assert!(rules.is_empty(), "{rules:?}");
}
