//! Tests of `cargo xtask upstream`, on small OpenAPI files written for them (`fixtures/`): our side
//! (`ours.yaml`, `exclusions.yaml`), a vendor's OpenAPI 3.0 file without `info.version` (`vendor.json`),
//! the same operation as Swagger 2.0 (`swagger2.yaml`) and a saved reference page (`page.md`). No
//! vendor's own file is in the repository.

mod spec_examples;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::diff::command::Format;
use crate::upstream::command::{Args, FailOn, upstream_command};
use crate::upstream::compare::{Outcome, compare_files};
use crate::upstream::examples::invalid_spec_examples;
use crate::upstream::exclusions;
use crate::upstream::item::Item;
use crate::upstream::load::{VendorFile, parse_vendor};
use crate::upstream::normalize::{EXCLUDED, PII, PROSE};

const OURS: &str = include_str!("fixtures/ours.yaml");
const VENDOR: &str = include_str!("fixtures/vendor.json");
const SWAGGER2: &str = include_str!("fixtures/swagger2.yaml");
const EXCLUSIONS: &str = include_str!("fixtures/exclusions.yaml");
const PAGE: &str = include_str!("fixtures/page.md");

fn ours() -> Value {
    serde_yaml_ng::from_str(OURS).unwrap()
}

fn vendor(name: &str, text: &str) -> VendorFile {
    let Ok((doc, format)) = parse_vendor(text.as_bytes(), name) else {
        panic!("{name} does not load");
    };
    VendorFile {
        label: name.to_owned(),
        name: name.to_owned(),
        format,
        doc,
    }
}

fn run(spec: &Value, vendors: &[VendorFile]) -> Outcome {
    let Ok(excluded) = exclusions::parse(EXCLUSIONS.as_bytes(), "exclusions.yaml") else {
        panic!("the exclusions fixture does not load");
    };
    compare_files(spec, vendors, &excluded)
}

/// The items of `rule`.
fn of<'a>(outcome: &'a Outcome, rule: &str) -> Vec<&'a Item> {
    outcome
        .items
        .iter()
        .filter(|i| i.change.rule == rule)
        .collect()
}

fn one<'a>(outcome: &'a Outcome, rule: &str) -> &'a Item {
    let found = of(outcome, rule);
    assert_eq!(found.len(), 1, "one `{rule}` item: {}", rules(outcome));
    found[0]
}

fn rules(outcome: &Outcome) -> String {
    let names: Vec<&str> = outcome.items.iter().map(|i| i.change.rule).collect();
    names.join(", ")
}

#[test]
fn a_field_the_vendor_now_requires_in_a_request_is_breaking() {
    let out = run(&ours(), &[vendor("vendor.json", VENDOR)]);
    let item = one(&out, "new-required-request-property");
    assert_eq!(item.level().as_str(), "breaking");
    assert_eq!(item.change.operation.as_deref(), Some("create_user"));
    assert_eq!(
        item.change.location,
        "#/components/schemas/NewUser/properties/email"
    );
    assert!(item.silenced_by.is_none());
}

#[test]
fn a_response_field_we_require_that_the_vendor_made_optional_is_breaking() {
    let out = run(&ours(), &[vendor("vendor.json", VENDOR)]);
    let item = one(&out, "response-property-became-optional");
    assert_eq!(item.level().as_str(), "breaking");
    assert_eq!(
        item.change.location,
        "#/components/schemas/User/properties/status"
    );
    // Seen from both operations, reported once.
    assert!(item.change.message.contains("Also seen in get_user"));
}

#[test]
fn a_new_optional_response_field_is_additive() {
    let out = run(&ours(), &[vendor("vendor.json", VENDOR)]);
    let item = one(&out, "response-optional-property-added");
    assert_eq!(item.level().as_str(), "additive");
    assert!(item.change.message.contains("createdAt"));
}

#[test]
fn an_annotation_silences_only_the_item_about_its_element() {
    let out = run(&ours(), &[vendor("vendor.json", VENDOR)]);
    let item = one(&out, "response-property-type-changed");
    assert_eq!(
        item.silenced_by.as_deref(),
        Some("The vendor's file says integer; its answers carry strings.")
    );
    let silenced = out.items.iter().filter(|i| i.silenced_by.is_some()).count();
    assert_eq!(silenced, 1, "{}", rules(&out));

    // Without the annotation the same difference is reported.
    let mut spec = ours();
    spec["components"]["schemas"]["User"]["properties"]["id"]
        .as_object_mut()
        .unwrap()
        .remove("x-upstream-differs");
    let out = run(&spec, &[vendor("vendor.json", VENDOR)]);
    assert!(
        one(&out, "response-property-type-changed")
            .silenced_by
            .is_none()
    );
}

#[test]
fn vendor_operations_neither_generated_nor_excluded_are_reported() {
    let out = run(&ours(), &[vendor("vendor.json", VENDOR)]);
    let added = one(&out, "endpoint-added");
    assert_eq!(added.change.path.as_deref(), Some("/reports"));
    assert_eq!(added.level().as_str(), "additive");
    // The excluded route is counted, not reported as missing from the spec.
    assert_eq!(out.projections.get(EXCLUDED), Some(&1));
}

#[test]
fn an_exclusion_whose_claim_the_file_contradicts_is_reported() {
    let out = run(&ours(), &[vendor("vendor.json", VENDOR)]);
    let item = one(&out, "exclusion-contradicted");
    assert_eq!(item.change.path.as_deref(), Some("/uploads/{id}"));
    assert!(item.change.message.contains("no request body"));

    // A vendor file where the upload has no body agrees with the claim.
    let mut doc: Value = serde_json::from_str(VENDOR).unwrap();
    doc["paths"]["/uploads/{id}"]["post"]
        .as_object_mut()
        .unwrap()
        .remove("requestBody");
    let out = run(&ours(), &[vendor("vendor.json", &doc.to_string())]);
    assert!(of(&out, "exclusion-contradicted").is_empty());
}

#[test]
fn an_operation_the_cited_file_no_longer_has_is_reported() {
    let out = run(&ours(), &[vendor("vendor.json", VENDOR)]);
    let item = one(&out, "api-path-removed-without-deprecation");
    assert_eq!(item.change.operation.as_deref(), Some("get_legacy"));
    // get_other cites a page, not this file: not compared, not missing.
    assert_eq!(out.elsewhere, vec!["GET /v1/other (get_other)".to_owned()]);
    assert_eq!(out.compared, 2);

    // Compared with a file our x-source does not cite, the same operation is elsewhere.
    let out = run(&ours(), &[vendor("other.json", VENDOR)]);
    assert!(of(&out, "api-path-removed-without-deprecation").is_empty());
}

#[test]
fn scopes_the_vendor_allows_that_x_scopes_omits_are_docs_items() {
    let out = run(&ours(), &[vendor("vendor.json", VENDOR)]);
    let item = one(&out, "api-security-scope-added");
    assert_eq!(item.level().as_str(), "docs");
    assert!(item.change.message.contains("`partner_full`"));
    assert_eq!(item.change.operation.as_deref(), Some("get_user"));
}

#[test]
fn deliberate_projections_are_counted_not_reported() {
    let out = run(&ours(), &[vendor("vendor.json", VENDOR)]);
    // `format: pii` on name (ours) and none in the vendor file; the vendor's description of `name`.
    assert!(out.projections.get(PII).is_some_and(|&n| n >= 2));
    assert!(out.projections.get(PROSE).is_some_and(|&n| n >= 1));
    for rule in ["response-property-format-changed", "description-changed"] {
        assert!(of(&out, rule).is_empty(), "{rule}: {}", rules(&out));
    }
    // The path parameter named `id` by the vendor and `userId` by us is the same operation.
    assert!(
        out.items
            .iter()
            .all(|i| i.change.rule != "endpoint-removed")
    );
}

#[test]
fn a_swagger_2_file_is_converted_and_compared() {
    let file = vendor("swagger2.yaml", SWAGGER2);
    assert_eq!(file.format, "Swagger 2.0 (converted)");
    let out = run(&ours(), &[file]);
    assert_eq!(out.compared, 1, "{}", rules(&out));
    let item = one(&out, "new-required-request-property");
    assert!(item.change.message.contains("`email`"));
    assert_eq!(out.items.len(), 1, "{}", rules(&out));
}

#[test]
fn files_that_are_not_openapi_are_refused_with_a_reason() {
    let err = |text: &str| parse_vendor(text.as_bytes(), "f").err().unwrap().0;
    assert!(err("swagger: '1.2'\npaths: {}").contains("not supported"));
    assert!(err("title: x").contains("not an OpenAPI document"));
    assert!(err("openapi: 3.0.0").contains("no `paths`"));
    assert!(err("{ nope").contains("neither JSON nor YAML"));
}

/// A workspace root holding the fixtures as `specs/crossmint.yaml` (any known provider name).
fn root(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-upstream-{}-{name}", std::process::id()));
    let specs = dir.join("specs");
    std::fs::create_dir_all(&specs).unwrap();
    std::fs::write(specs.join("crossmint.yaml"), OURS).unwrap();
    std::fs::write(specs.join("crossmint.exclusions.yaml"), EXCLUSIONS).unwrap();
    std::fs::write(dir.join("vendor.json"), VENDOR).unwrap();
    std::fs::write(dir.join("page.md"), PAGE).unwrap();
    dir
}

fn command(root: &Path, args: Args) -> (u8, String, String) {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = upstream_command(root, &args, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

fn args(root: &Path, fail_on: Option<FailOn>) -> Args {
    Args {
        provider: "crossmint".into(),
        vendor: vec![root.join("vendor.json")],
        vendor_page: Vec::new(),
        format: Format::Json,
        fail_on,
    }
}

#[test]
fn the_json_report_has_the_documented_fields_and_fail_on_sets_the_exit_code() {
    let dir = root("json");
    let (code, out, _) = command(&dir, args(&dir, Some(FailOn::Breaking)));
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["provider"], "crossmint");
    assert_eq!(report["vendor_files"].as_array().unwrap().len(), 1);
    assert_eq!(
        report["summary"],
        json!({"breaking": 3, "additive": 3, "docs": 1, "silenced": 1})
    );
    let silenced: Vec<&Value> = report["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i.get("silenced_by").is_some())
        .collect();
    assert_eq!(silenced.len(), 1);
    for key in [
        "rule",
        "level",
        "operation",
        "method",
        "path",
        "location",
        "message",
    ] {
        assert!(silenced[0].get(key).is_some(), "{key}");
    }
    assert_eq!(command(&dir, args(&dir, None)).0, 0);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn fail_on_ignores_silenced_items() {
    // Only the silenced item left: the vendor file agrees with ours everywhere else.
    let dir = root("silenced");
    let mut doc: Value = serde_json::from_str(VENDOR).unwrap();
    doc["paths"].as_object_mut().unwrap().remove("/reports");
    doc["paths"]
        .as_object_mut()
        .unwrap()
        .remove("/uploads/{id}");
    doc["paths"]["/legacy"] = json!({"get": {"responses": {"200": {"description": ""}}}});
    doc["paths"]["/users/{id}"]["get"]["security"] = json!([{"api_key": ["partner"]}]);
    let user = &mut doc["components"]["schemas"]["User"];
    user["required"] = json!(["id", "status"]);
    user["properties"]
        .as_object_mut()
        .unwrap()
        .remove("createdAt");
    doc["components"]["schemas"]["NewUser"] =
        json!({"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}});
    std::fs::write(dir.join("vendor.json"), doc.to_string()).unwrap();
    let (code, out, _) = command(&dir, args(&dir, Some(FailOn::Any)));
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        report["summary"],
        json!({"breaking": 0, "additive": 0, "docs": 0, "silenced": 1}),
        "{out}"
    );
    assert_eq!(code, 0);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_page_example_that_does_not_fit_the_schema_is_reported() {
    let dir = root("page");
    let mut a = args(&dir, None);
    a.vendor = Vec::new();
    a.vendor_page = vec![dir.join("page.md").display().to_string()];
    let (code, out, err) = command(&dir, a);
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let items = report["items"].as_array().unwrap();
    let rules: Vec<&str> = items.iter().map(|i| i["rule"].as_str().unwrap()).collect();
    // The request lacks `name`; the second 200 has an integer id and no status; the first 200 fits.
    assert_eq!(
        rules,
        [
            "vendor-request-example-invalid",
            "vendor-response-example-invalid"
        ]
    );
    assert!(items[0]["message"].as_str().unwrap().contains("\"name\""));
    assert!(items[1]["message"].as_str().unwrap().contains("Example 3"));
    assert_eq!(items[1]["operation"], "create_user");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn bad_input_is_one_line_and_exit_code_2() {
    let dir = root("bad");
    let mut a = args(&dir, None);
    a.vendor = vec![dir.join("missing.json")];
    let (code, out, err) = command(&dir, a);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.starts_with("error: ") && err.contains("missing.json"),
        "{err}"
    );
    let mut a = args(&dir, None);
    a.vendor = Vec::new();
    assert_eq!(command(&dir, a).0, 2);
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn the_fixtures_own_examples_fit_their_schemas() {
    assert!(invalid_spec_examples(&ours()).is_empty());
}
