//! One row per rule: a small edit of the toy spec must produce exactly that rule, with its level and
//! both judgments.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::{CREATE, GET, REQ, RESP, at, compare, obj, toy};
use crate::diff::rules::Level::{Additive as A, Breaking as B, Docs as D, None as N};
use crate::diff::rules::{Level, RULES};

type Edit = fn(&mut Value);

/// (name, edit, expected rule, level, wire, Rust API). The edit must produce exactly that one change.
#[allow(clippy::type_complexity)]
fn cases() -> Vec<(&'static str, Edit, &'static str, Level, Level, Level)> {
    vec![
        // Operations.
        (
            "operation added",
            |v| {
                let op = v.pointer(GET).unwrap().clone();
                let mut op = op;
                op["operationId"] = json!("get_user_v2");
                obj(at(v, "/paths")).insert("/v2/users/{id}".into(), json!({ "get": op }));
            },
            "endpoint-added",
            A,
            A,
            A,
        ),
        (
            "path changed",
            |v| {
                let item = obj(at(v, "/paths")).remove("/users/{id}").unwrap();
                obj(at(v, "/paths")).insert("/people/{id}".into(), item);
            },
            "api-operation-path-changed",
            B,
            B,
            N,
        ),
        (
            "path removed",
            |v| {
                obj(at(v, "/paths")).remove("/users/{id}");
            },
            "api-path-removed-without-deprecation",
            B,
            B,
            B,
        ),
        (
            "operation removed from a path that stays",
            |v| {
                obj(at(v, "/paths/~1users~1{id}")).remove("get");
                at(v, "/paths/~1users~1{id}")["summary"] = json!("Kept for other operations.");
            },
            "api-removed-without-deprecation",
            B,
            B,
            B,
        ),
        (
            "method changed",
            |v| {
                let op = obj(at(v, "/paths/~1users~1{id}")).remove("get").unwrap();
                obj(at(v, "/paths/~1users~1{id}")).insert("post".into(), op);
            },
            "api-operation-method-changed",
            B,
            B,
            N,
        ),
        (
            "operationId changed",
            |v| {
                at(v, GET)["operationId"] = json!("fetch_user");
            },
            "api-operation-id-changed",
            B,
            N,
            B,
        ),
        (
            "x-confidence changed",
            |v| {
                at(v, GET)["x-confidence"] = json!("confirmed");
            },
            "api-confidence-changed",
            D,
            D,
            D,
        ),
        (
            "x-source changed",
            |v| {
                at(v, GET)["x-source"] = json!("https://docs.toy.example/v2");
            },
            "api-source-changed",
            D,
            D,
            D,
        ),
        (
            "x-idempotent added",
            |v| {
                at(v, CREATE)["x-idempotent"] = json!(true);
            },
            "api-idempotency-changed",
            A,
            A,
            D,
        ),
        (
            "x-host added",
            |v| {
                at(v, CREATE)["x-host"] = json!("vault");
            },
            "api-host-changed",
            B,
            B,
            N,
        ),
        (
            "summary changed",
            |v| {
                at(v, GET)["summary"] = json!("Fetch a user.");
            },
            "api-summary-changed",
            D,
            D,
            D,
        ),
        (
            "operation description added",
            |v| {
                at(v, GET)["description"] = json!("More.");
            },
            "api-description-changed",
            D,
            D,
            D,
        ),
        // Parameters.
        (
            "required parameter added",
            |v| {
                at(v, &format!("{GET}/parameters"))
                    .as_array_mut()
                    .unwrap()
                    .push(json!(
                {"name": "tenant", "in": "query", "required": true, "schema": {"type": "string"}}));
            },
            "new-required-request-parameter",
            B,
            B,
            B,
        ),
        (
            "optional parameter added",
            |v| {
                at(v, &format!("{GET}/parameters"))
                    .as_array_mut()
                    .unwrap()
                    .push(json!(
                {"name": "locale", "in": "query", "schema": {"type": "string"}}));
            },
            "new-optional-request-parameter",
            B,
            A,
            B,
        ),
        (
            "parameter removed",
            |v| {
                at(v, &format!("{GET}/parameters"))
                    .as_array_mut()
                    .unwrap()
                    .pop();
            },
            "request-parameter-removed",
            B,
            A,
            B,
        ),
        (
            "parameter became required",
            |v| {
                at(v, &format!("{GET}/parameters/1"))["required"] = json!(true);
            },
            "request-parameter-became-required",
            B,
            B,
            B,
        ),
        (
            "parameter became optional",
            |v| {
                at(v, &format!("{GET}/parameters/0"))["required"] = json!(false);
            },
            "request-parameter-became-optional",
            B,
            A,
            B,
        ),
        (
            "parameter type changed",
            |v| {
                at(v, &format!("{GET}/parameters/0/schema"))["type"] = json!("string");
            },
            "request-parameter-type-changed",
            B,
            B,
            B,
        ),
        (
            "parameter enum value added",
            |v| {
                at(v, &format!("{GET}/parameters/1/schema/enum"))
                    .as_array_mut()
                    .unwrap()
                    .push(json!("wallets"));
            },
            "request-parameter-enum-value-added",
            A,
            A,
            A,
        ),
        (
            "parameter enum value removed",
            |v| {
                at(v, &format!("{GET}/parameters/1/schema/enum"))
                    .as_array_mut()
                    .unwrap()
                    .pop();
            },
            "request-parameter-enum-value-removed",
            B,
            B,
            B,
        ),
        (
            "parameter description",
            |v| {
                at(v, &format!("{GET}/parameters/0"))["description"] = json!("The id.");
            },
            "description-changed",
            D,
            D,
            D,
        ),
        // Request bodies.
        (
            "request body added (required)",
            |v| {
                at(v, GET)["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}});
            },
            "request-body-added-required",
            B,
            B,
            B,
        ),
        (
            "request body added (optional)",
            |v| {
                at(v, GET)["requestBody"] = json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}});
            },
            "request-body-added-optional",
            B,
            A,
            B,
        ),
        (
            "request body removed",
            |v| {
                obj(at(v, CREATE)).remove("requestBody");
            },
            "request-body-removed",
            B,
            B,
            B,
        ),
        (
            "request body became optional",
            |v| {
                at(v, &format!("{CREATE}/requestBody"))["required"] = json!(false);
            },
            "request-body-became-optional",
            A,
            A,
            N,
        ),
        (
            "request schema replaced",
            |v| {
                at(
                    v,
                    &format!("{CREATE}/requestBody/content/application~1json/schema"),
                )["$ref"] = json!("#/components/schemas/ErrorResponse");
            },
            "request-body-type-changed",
            B,
            B,
            B,
        ),
        (
            "request property added (optional)",
            |v| {
                obj(at(v, &format!("{REQ}/properties"))).insert(
                    "locale".into(),
                    json!({"type": "string", "description": "x"}),
                );
            },
            "new-optional-request-property",
            B,
            A,
            B,
        ),
        (
            "request property added (required)",
            |v| {
                obj(at(v, &format!("{REQ}/properties"))).insert(
                    "locale".into(),
                    json!({"type": "string", "description": "x"}),
                );
                at(v, &format!("{REQ}/required"))
                    .as_array_mut()
                    .unwrap()
                    .push(json!("locale"));
            },
            "new-required-request-property",
            B,
            B,
            B,
        ),
        (
            "request property removed",
            |v| {
                obj(at(v, &format!("{REQ}/properties"))).remove("nickname");
            },
            "request-property-removed",
            B,
            B,
            B,
        ),
        (
            "request property became required",
            |v| {
                at(v, &format!("{REQ}/required"))
                    .as_array_mut()
                    .unwrap()
                    .push(json!("nickname"));
            },
            "request-property-became-required",
            B,
            B,
            B,
        ),
        (
            "request property became optional",
            |v| {
                at(v, REQ)["required"] = json!([]);
            },
            "request-property-became-optional",
            B,
            A,
            B,
        ),
        (
            "request property type changed",
            |v| {
                at(v, &format!("{REQ}/properties/nickname"))["type"] = json!("integer");
            },
            "request-property-type-changed",
            B,
            B,
            B,
        ),
        (
            "request enum value added",
            |v| {
                at(v, "/components/schemas/UserKind/enum")
                    .as_array_mut()
                    .unwrap()
                    .push(json!("trust"));
            },
            "request-property-enum-value-added",
            A,
            A,
            A,
        ),
        (
            "request enum value removed",
            |v| {
                at(v, "/components/schemas/UserKind/enum")
                    .as_array_mut()
                    .unwrap()
                    .pop();
            },
            "request-property-enum-value-removed",
            B,
            B,
            B,
        ),
        (
            "request pii added",
            |v| {
                at(v, &format!("{REQ}/properties/nickname"))["format"] = json!("pii");
            },
            "request-property-pii-added",
            B,
            N,
            B,
        ),
        (
            "request pii removed",
            |v| {
                obj(at(v, &format!("{REQ}/properties/name"))).remove("format");
            },
            "request-property-pii-removed",
            B,
            N,
            B,
        ),
        (
            "request base64-document added",
            |v| {
                at(v, &format!("{REQ}/properties/nickname"))["format"] = json!("base64-document");
            },
            "request-property-base64-document-added",
            B,
            N,
            B,
        ),
        (
            "request base64-document removed",
            |v| {
                obj(at(v, &format!("{REQ}/properties/photo"))).remove("format");
            },
            "request-property-base64-document-removed",
            B,
            N,
            B,
        ),
        (
            "request property description",
            |v| {
                at(v, &format!("{REQ}/properties/name"))["description"] = json!("Legal name.");
            },
            "description-changed",
            D,
            D,
            D,
        ),
        (
            "request example added",
            |v| {
                at(
                    v,
                    &format!("{CREATE}/requestBody/content/application~1json"),
                )["example"] = json!({"name": "x"});
            },
            "example-changed",
            D,
            D,
            D,
        ),
        // Responses.
        (
            "success status added",
            |v| {
                let ok = v
                    .pointer(&format!("{CREATE}/responses/201"))
                    .unwrap()
                    .clone();
                obj(at(v, &format!("{CREATE}/responses"))).insert("200".into(), ok);
            },
            "response-success-status-added",
            A,
            A,
            N,
        ),
        (
            "success status removed",
            |v| {
                obj(at(v, &format!("{CREATE}/responses"))).remove("201");
            },
            "response-success-status-removed",
            B,
            B,
            B,
        ),
        (
            "error status added",
            |v| {
                let e = v
                    .pointer(&format!("{CREATE}/responses/4XX"))
                    .unwrap()
                    .clone();
                obj(at(v, &format!("{CREATE}/responses"))).insert("5XX".into(), e);
            },
            "response-non-success-status-added",
            A,
            A,
            N,
        ),
        (
            "error status removed",
            |v| {
                obj(at(v, &format!("{CREATE}/responses"))).remove("4XX");
            },
            "response-non-success-status-removed",
            A,
            A,
            N,
        ),
        (
            "success schema replaced",
            |v| {
                at(
                    v,
                    &format!("{GET}/responses/200/content/application~1json/schema"),
                )["$ref"] = json!("#/components/schemas/ErrorResponse");
            },
            "response-body-type-changed",
            B,
            B,
            B,
        ),
        (
            "error schema replaced",
            |v| {
                at(
                    v,
                    &format!("{GET}/responses/4XX/content/application~1json/schema"),
                )["$ref"] = json!("#/components/schemas/UserResponse");
            },
            "response-body-type-changed",
            B,
            B,
            B,
        ),
        (
            "response property added (optional)",
            |v| {
                obj(at(v, &format!("{RESP}/properties"))).insert(
                    "locale".into(),
                    json!({"type": "string", "description": "x"}),
                );
            },
            "response-optional-property-added",
            A,
            A,
            A,
        ),
        (
            "response property added (required)",
            |v| {
                obj(at(v, &format!("{RESP}/properties"))).insert(
                    "locale".into(),
                    json!({"type": "string", "description": "x"}),
                );
                at(v, &format!("{RESP}/required"))
                    .as_array_mut()
                    .unwrap()
                    .push(json!("locale"));
            },
            "response-required-property-added",
            A,
            A,
            A,
        ),
        (
            "optional response property becomes nullable",
            |v| {
                at(v, &format!("{RESP}/properties/nickname"))["nullable"] = json!(true);
            },
            "optional-property-nullable-changed",
            D,
            D,
            D,
        ),
        (
            "response optional property removed",
            |v| {
                obj(at(v, &format!("{RESP}/properties"))).remove("nickname");
            },
            "response-optional-property-removed",
            B,
            A,
            B,
        ),
        (
            "response required property removed",
            |v| {
                obj(at(v, &format!("{RESP}/properties"))).remove("id");
                at(v, RESP)["required"] = json!([]);
            },
            "response-required-property-removed",
            B,
            B,
            B,
        ),
        (
            "response property became optional",
            |v| {
                at(v, RESP)["required"] = json!([]);
            },
            "response-property-became-optional",
            B,
            B,
            B,
        ),
        (
            "response property became required",
            |v| {
                at(v, &format!("{RESP}/required"))
                    .as_array_mut()
                    .unwrap()
                    .push(json!("nickname"));
            },
            "response-property-became-required",
            B,
            A,
            B,
        ),
        (
            "response property type changed",
            |v| {
                at(v, &format!("{RESP}/properties/id"))["type"] = json!("string");
            },
            "response-property-type-changed",
            B,
            B,
            B,
        ),
        (
            "response array item type changed",
            |v| {
                at(v, &format!("{RESP}/properties/tags/items"))["type"] = json!("integer");
            },
            "response-property-type-changed",
            B,
            B,
            B,
        ),
        (
            "response enum value added",
            |v| {
                at(v, "/components/schemas/UserStatus/enum")
                    .as_array_mut()
                    .unwrap()
                    .push(json!("closed"));
            },
            "response-property-enum-value-added",
            A,
            A,
            A,
        ),
        (
            "response enum value removed",
            |v| {
                at(v, "/components/schemas/UserStatus/enum")
                    .as_array_mut()
                    .unwrap()
                    .pop();
            },
            "response-property-enum-value-removed",
            B,
            A,
            B,
        ),
        (
            "response pii added",
            |v| {
                at(v, &format!("{RESP}/properties/nickname"))["format"] = json!("pii");
            },
            "response-property-pii-added",
            B,
            N,
            B,
        ),
        (
            "response pii removed",
            |v| {
                obj(at(v, &format!("{RESP}/properties/email"))).remove("format");
            },
            "response-property-pii-removed",
            B,
            N,
            B,
        ),
        (
            "response base64-document added",
            |v| {
                at(v, &format!("{RESP}/properties/nickname"))["format"] = json!("base64-document");
            },
            "response-property-base64-document-added",
            B,
            N,
            B,
        ),
        (
            "response example changed",
            |v| {
                at(
                    v,
                    &format!("{CREATE}/responses/201/content/application~1json"),
                )["example"] = json!({"id": 2});
            },
            "example-changed",
            D,
            D,
            D,
        ),
        (
            "schema description changed",
            |v| {
                at(v, RESP)["description"] = json!("The user.");
            },
            "description-changed",
            D,
            D,
            D,
        ),
        (
            "webhook added",
            |v| {
                obj(at(v, "/components/schemas")).insert(
                    "UserDeleted".into(),
                    json!({"type": "object", "x-webhook-event": "user.deleted", "properties": {}}),
                );
            },
            "webhook-event-added",
            A,
            A,
            A,
        ),
        (
            "webhook removed",
            |v| {
                obj(at(v, "/components/schemas/UserEvent")).remove("x-webhook-event");
            },
            "webhook-event-removed",
            B,
            B,
            B,
        ),
        // The document.
        (
            "server added",
            |v| {
                at(v, "/servers").as_array_mut().unwrap().push(json!({"url": "https://vault.toy.example", "x-environment": "production", "x-host": "vault"}));
            },
            "api-server-added",
            A,
            A,
            A,
        ),
        (
            "server removed",
            |v| {
                at(v, "/servers").as_array_mut().unwrap().remove(0);
            },
            "api-server-removed",
            B,
            B,
            B,
        ),
        (
            "server url changed",
            |v| {
                at(v, "/servers/1")["url"] = json!("https://api2.toy.example");
            },
            "api-server-url-changed",
            B,
            B,
            N,
        ),
        (
            "info.version changed",
            |v| {
                at(v, "/info")["version"] = json!("v2");
            },
            "api-info-version-changed",
            D,
            D,
            D,
        ),
        (
            "info.description changed",
            |v| {
                at(v, "/info")["description"] = json!("A bigger toy.");
            },
            "description-changed",
            D,
            D,
            D,
        ),
        (
            "an extension no rule knows",
            |v| {
                at(v, &format!("{REQ}/properties/photo"))["x-data-uri"] = json!(true);
            },
            "unclassified-change",
            B,
            B,
            B,
        ),
    ]
}

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
