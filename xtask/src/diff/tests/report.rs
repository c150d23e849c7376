//! Reports: a new provider, the facade code to review, version arithmetic, input errors and the JSON
//! shape.

use serde_json::{Value, json};

use super::{at, real};
use crate::diff::facade::{contains_type, facade_mappings};
use crate::diff::input::parse_spec;
use crate::diff::render::render_json;
use crate::diff::report::report;
use crate::diff::rules::Level::{Additive as A, Breaking as B, Docs as D, None as N};
use crate::diff::version::bump;

#[test]
fn a_new_provider_is_all_additive() {
    let root = crate::workspace::workspace_root();
    let report = report(&root, "sumsub", None, &real("sumsub")).unwrap();
    assert!(report.new_provider);
    assert_eq!(report.level, A);
    assert!(report.changes.iter().any(|c| c.rule == "endpoint-added"));
    assert!(report.changes.iter().all(|c| c.level() <= A));
    assert_eq!(bump(&report.current, A).unwrap(), report.proposed);
}

#[test]
fn the_facade_mapping_to_review_is_named() {
    let root = crate::workspace::workspace_root();
    let found = facade_mappings(&root, "kriptomat", "KycStatus");
    assert!(
        found
            .iter()
            .any(|f| f.ends_with("providers/kriptomat/mod.rs: status()")
                && f.starts_with("crates/rampkit/src/")),
        "{found:?}"
    );
    // A type no facade code names.
    assert!(facade_mappings(&root, "kriptomat", "NoSuchType").is_empty());
    // `types::KycStatus` must not match `types::KycStatusWebhook`.
    assert!(!contains_type(
        "types::KycStatusWebhook",
        "types::KycStatus"
    ));
    assert!(contains_type(
        "use types::KycStatus as K;",
        "types::KycStatus"
    ));
}

#[test]
fn versions_follow_cargo_semver() {
    assert_eq!(bump("0.1.0", B).unwrap(), "0.2.0");
    assert_eq!(bump("0.1.3", A).unwrap(), "0.1.4");
    assert_eq!(bump("0.1.3", D).unwrap(), "0.1.4");
    assert_eq!(bump("0.1.3", N).unwrap(), "0.1.3");
    assert_eq!(bump("1.2.3", B).unwrap(), "2.0.0");
    assert_eq!(bump("1.2.3", A).unwrap(), "1.3.0");
    assert_eq!(bump("1.2.3", D).unwrap(), "1.2.4");
    assert!(bump("one", A).is_err());
}

#[test]
fn bad_specs_are_one_line_errors_naming_the_file() {
    let e = parse_spec(b"openapi: [unclosed", "specs/leap.yaml at HEAD")
        .unwrap_err()
        .0;
    assert!(
        e.starts_with("specs/leap.yaml at HEAD: invalid YAML"),
        "{e}"
    );
    assert!(!e.contains('\n'), "{e}");
    let e = parse_spec(b"openapi: 3.0.3\ninfo: 7\n", "specs/leap.yaml")
        .unwrap_err()
        .0;
    assert!(
        e.starts_with("specs/leap.yaml: not an OpenAPI 3.0 document"),
        "{e}"
    );
    assert!(!e.contains('\n'), "{e}");
}

#[test]
fn json_has_the_documented_shape() {
    let root = crate::workspace::workspace_root();
    let base = real("kriptomat");
    let mut new = base.clone();
    at(&mut new, "/components/schemas/KycStatus/enum")
        .as_array_mut()
        .unwrap()
        .push(json!("expired"));
    let reports = vec![
        report(&root, "kriptomat", Some(&base), &new).unwrap(),
        report(&root, "sumsub", Some(&real("sumsub")), &real("sumsub")).unwrap(),
    ];
    let text = render_json(&reports);
    // Field order as documented.
    let first = text.find("\"provider\"").unwrap();
    for key in [
        "\"crate\"",
        "\"current\"",
        "\"proposed\"",
        "\"level\"",
        "\"changes\"",
    ] {
        assert!(text[first..].find(key).is_some(), "{key}");
    }
    assert!(text.find("\"provider\"") < text.find("\"crate\""));
    let v: Value = serde_json::from_str(&text).unwrap();
    let k = &v["providers"][0];
    assert_eq!(k["provider"], "kriptomat");
    assert_eq!(k["crate"], "rampkit-kriptomat");
    assert_eq!(
        k["proposed"],
        bump(k["current"].as_str().unwrap(), A).unwrap()
    );
    assert_eq!(k["level"], "additive");
    let c = &k["changes"][0];
    assert_eq!(c["rule"], "response-property-enum-value-added");
    assert_eq!(c["wire"], "additive");
    assert_eq!(c["rust_api"], "additive");
    assert_eq!(c["operation"], "show_user");
    assert_eq!(c["method"], "GET");
    assert!(
        c["review"][0]
            .as_str()
            .unwrap()
            .ends_with("providers/kriptomat/mod.rs: status()"),
        "{c}"
    );
    assert!(
        k["facade"]["review"][0]
            .as_str()
            .unwrap()
            .contains("status()")
    );
    let s = &v["providers"][1];
    assert_eq!(s["level"], "none");
    assert_eq!(s["proposed"], s["current"]);
    assert_eq!(s["changes"], json!([]));
}
