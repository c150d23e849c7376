//! The engine beyond single rules: unknown changes beside known ones, operation names and locations,
//! several changes at once, formatting-only rewrites, and edits of the real specs.

use serde_json::{Value, json};

use super::{GET, REQ, RESP, at, compare, obj, only, real, toy};
use crate::diff::input::parse_spec;
use crate::diff::rules::Level::{Additive as A, Breaking as B, Docs as D, None as N};
use crate::lint::PII;

#[test]
fn an_unknown_change_beside_a_known_one_is_still_reported() {
    let base = toy();
    let mut new = base.clone();
    at(&mut new, "/info")["version"] = json!("v2");
    at(&mut new, &format!("{RESP}/properties/tags"))["x-not-pii"] = json!(true);
    at(&mut new, GET)["x-rate-limit"] = json!(10);
    let got: Vec<_> = compare(&base, &new)
        .iter()
        .map(|c| (c.rule, c.location.clone()))
        .collect();
    assert_eq!(
        got,
        [
            ("api-info-version-changed", "#/info/version".to_owned()),
            (
                "unclassified-change",
                "#/paths/~1users~1{id}/get/x-rate-limit".to_owned()
            ),
            (
                "unclassified-change",
                "#/components/schemas/UserResponse/properties/tags/x-not-pii".to_owned()
            ),
        ]
    );
}

#[test]
fn a_change_names_its_operation_and_location() {
    let base = toy();
    let mut new = base.clone();
    obj(at(&mut new, &format!("{RESP}/properties"))).insert(
        "nickname2".into(),
        json!({"type": "string", "description": "x"}),
    );
    let c = compare(&base, &new);
    assert_eq!(c.len(), 1, "{c:?}");
    // Reported once, under the first operation (in spec order) that reaches the component.
    assert_eq!(c[0].operation.as_deref(), Some("create_user"));
    assert_eq!(c[0].method.as_deref(), Some("POST"));
    assert_eq!(c[0].path.as_deref(), Some("/users"));
    assert_eq!(
        c[0].location,
        "#/components/schemas/UserResponse/properties/nickname2"
    );
    assert_eq!(
        c[0].source.as_deref(),
        Some("https://docs.toy.example/create-user")
    );
    assert_eq!(
        c[0].message,
        "An optional response property `nickname2` of `UserResponse` was added."
    );
}

#[test]
fn several_changes_at_once_are_all_reported() {
    let base = toy();
    let mut new = base.clone();
    at(&mut new, "/components/schemas/UserStatus/enum")
        .as_array_mut()
        .unwrap()
        .push(json!("closed"));
    obj(at(&mut new, &format!("{REQ}/properties"))).remove("nickname");
    at(&mut new, "/info")["version"] = json!("v2");
    let mut rules: Vec<_> = compare(&base, &new).iter().map(|c| c.rule).collect();
    rules.sort();
    assert_eq!(
        rules,
        [
            "api-info-version-changed",
            "request-property-removed",
            "response-property-enum-value-added"
        ]
    );
}

#[test]
fn formatting_key_order_and_quoting_are_not_changes() {
    let root = crate::workspace::workspace_root();
    for p in crate::providers::PROVIDERS {
        let raw = std::fs::read_to_string(root.join(format!("specs/{}.yaml", p.name))).unwrap();
        let value: Value = serde_yaml_ng::from_str(&raw).unwrap();
        // Rewritten: different indentation, quoting, key order (serde_json's map sorts keys).
        let rewritten = serde_yaml_ng::to_string(&value).unwrap();
        assert_ne!(rewritten, raw);
        let again =
            parse_spec(rewritten.as_bytes(), "rewritten").unwrap_or_else(|e| panic!("{}", e.0));
        assert!(compare(&value, &again).is_empty(), "{}", p.name);
        // JSON is YAML too.
        let json = serde_json::to_string(&value).unwrap();
        let again = parse_spec(json.as_bytes(), "as JSON").unwrap_or_else(|e| panic!("{}", e.0));
        assert!(compare(&value, &again).is_empty(), "{}", p.name);
    }
}

#[test]
fn edits_of_the_real_specs() {
    // Kriptomat adds a KYC status.
    let old = real("kriptomat");
    let mut new = old.clone();
    at(&mut new, "/components/schemas/KycStatus/enum")
        .as_array_mut()
        .unwrap()
        .push(json!("expired"));
    let changes = compare(&old, &new);
    assert_eq!(
        only(&changes),
        (
            "response-property-enum-value-added",
            A,
            A,
            A,
            "#/components/schemas/KycStatus/enum/6"
        )
    );
    assert_eq!(changes[0].enum_name.as_deref(), Some("KycStatus"));

    // Kriptomat's show-user answer gains an optional field.
    let mut new = old.clone();
    obj(at(&mut new, "/components/schemas/ShowUserData/properties")).insert(
        "risk_score".into(),
        json!({"type": "number", "description": "Inferred: risk score."}),
    );
    assert_eq!(
        only(&compare(&old, &new)),
        (
            "response-optional-property-added",
            A,
            A,
            A,
            "#/components/schemas/ShowUserData/properties/risk_score"
        )
    );

    // Crossmint: a description-only change is reported as docs.
    let old = real("crossmint");
    let mut new = old.clone();
    let first_schema = new["components"]["schemas"]
        .as_object()
        .unwrap()
        .keys()
        .next()
        .unwrap()
        .clone();
    new["components"]["schemas"][&first_schema]["description"] = json!("Reworded.");
    let changes = compare(&old, &new);
    assert_eq!(only(&changes).0, "description-changed");
    assert_eq!(only(&changes).1, D);

    // Crossmint moves its production host.
    let mut new = old.clone();
    at(&mut new, "/servers/1")["url"] = json!("https://www.crossmint.io/api");
    assert_eq!(
        only(&compare(&old, &new)),
        ("api-server-url-changed", B, B, N, "#/servers/1/url")
    );

    // Leap: a personal field loses `format: pii` — never silent.
    let old = real("leap");
    let (schema, prop) = old["components"]["schemas"]
        .as_object()
        .unwrap()
        .iter()
        .find_map(|(name, s)| {
            s.get("properties")?
                .as_object()?
                .iter()
                .find(|(_, p)| p.get("format").and_then(Value::as_str) == Some(PII))
                .map(|(p, _)| (name.clone(), p.clone()))
        })
        .unwrap();
    let mut new = old.clone();
    new["components"]["schemas"][&schema]["properties"][&prop]
        .as_object_mut()
        .unwrap()
        .remove("format");
    let changes = compare(&old, &new);
    let (rule, level, _, rust_api, _) = only(&changes);
    assert!(rule.ends_with("-property-pii-removed"), "{rule}");
    assert_eq!((level, rust_api), (B, B));
    assert!(
        changes[0].message.contains("no longer redacted"),
        "{}",
        changes[0].message
    );

    // CryptoPocket: a request gains a required field.
    let old = real("cryptopocket");
    let mut new = old.clone();
    let req = "/components/schemas/RegisterUserKycDelegatedRequest";
    obj(at(&mut new, &format!("{req}/properties"))).insert(
        "tax_id".into(),
        json!({"type": "string", "format": "pii", "description": "x"}),
    );
    let required = obj(at(&mut new, req))
        .entry("required")
        .or_insert(json!([]));
    required.as_array_mut().unwrap().push(json!("tax_id"));
    assert_eq!(
        only(&compare(&old, &new)).0,
        "new-required-request-property"
    );
}
