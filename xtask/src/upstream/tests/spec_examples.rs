//! Every example in `specs/` checked against its schema by a JSON Schema validator (the `jsonschema`
//! crate, independent of the generated types): request and response bodies, parameters and component
//! schemas. `cargo test --workspace` runs it, so CI does.

use serde_json::{Value, json};

use crate::providers::PROVIDERS;
use crate::spec;
use crate::upstream::examples::{invalid_spec_examples, spec_examples};
use crate::workspace::workspace_root;

#[test]
fn every_example_in_specs_fits_its_schema() {
    let root = workspace_root();
    let mut checked = 0;
    let mut misfits = Vec::new();
    for p in PROVIDERS {
        let spec = match spec::load(&root, p.name) {
            Ok(s) => s.value,
            Err(e) => panic!("{e}"),
        };
        let examples = spec_examples(&spec);
        assert!(
            !examples.is_empty(),
            "specs/{}.yaml: no example found",
            p.name
        );
        checked += examples.len();
        for (label, problems) in invalid_spec_examples(&spec) {
            misfits.push(format!(
                "specs/{}.yaml {label}: {}",
                p.name,
                problems.join("; ")
            ));
        }
    }
    assert!(
        misfits.is_empty(),
        "{} of {checked} examples do not fit:\n{}",
        misfits.len(),
        misfits.join("\n")
    );
    // The specs held 160 examples when this test was written; far fewer means the walk lost some.
    assert!(checked >= 150, "only {checked} examples found");
}

/// A small spec with one example of each kind, all valid; each test plants one bad example.
fn spec() -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {"/things/{id}": {
            "parameters": [{"$ref": "#/components/parameters/Id"}],
            "post": {
                "operationId": "make_thing",
                "parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}, "example": 30}],
                "requestBody": {"content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Thing"},
                    "example": {"name": "a"}
                }}},
                "responses": {
                    "200": {"description": "ok", "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Thing"},
                        "examples": {"one": {"value": {"name": "b", "size": 2}}, "shared": {"$ref": "#/components/examples/Shared"}}
                    }}},
                    "4XX": {"$ref": "#/components/responses/Error"}
                }
            }
        }},
        "components": {
            "parameters": {"Id": {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "enum": ["x", "y"]}, "example": "x"}},
            "examples": {"Shared": {"value": {"name": "c", "tag": null}}},
            "responses": {"Error": {"description": "e", "content": {"application/json": {
                "schema": {"type": "object", "required": ["reason"], "properties": {"reason": {"type": "string"}}},
                "example": {"reason": "no"}
            }}}},
            "schemas": {"Status": {"type": "string", "enum": ["on", "off"]}, "Thing": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "format": "pii"},
                    "size": {"type": "integer", "format": "int64"},
                    "tag": {"type": "string", "nullable": true},
                    "status": {"$ref": "#/components/schemas/Status"}
                },
                "example": {"name": "d"}
            }}
        }
    })
}

/// The labels of the examples of `spec` that do not fit.
fn misfits(spec: &Value) -> Vec<String> {
    invalid_spec_examples(spec)
        .into_iter()
        .map(|(label, _)| label)
        .collect()
}

#[test]
fn the_walk_finds_every_kind_of_example_and_valid_ones_pass() {
    let s = spec();
    let labels: Vec<String> = spec_examples(&s).into_iter().map(|e| e.label).collect();
    assert_eq!(labels.len(), 7, "{labels:#?}");
    assert!(misfits(&s).is_empty(), "{:?}", invalid_spec_examples(&s));
}

#[test]
fn a_planted_bad_example_fails_wherever_it_is() {
    let plants: [(&str, Value, &str); 7] = [
        (
            "/paths/~1things~1{id}/post/requestBody/content/application~1json/example",
            json!({"size": 1}),
            "request body application/json example",
        ),
        (
            "/paths/~1things~1{id}/post/responses/200/content/application~1json/examples/one/value",
            json!({"name": 5}),
            "response 200 application/json examples.one",
        ),
        (
            "/components/examples/Shared/value",
            json!({"name": "c", "size": "big"}),
            "examples.shared",
        ),
        (
            "/components/responses/Error/content/application~1json/example",
            json!({}),
            "response 4XX application/json example",
        ),
        (
            "/paths/~1things~1{id}/post/parameters/0/example",
            json!("thirty"),
            "parameter limit example",
        ),
        (
            "/components/parameters/Id/example",
            json!("z"),
            "parameter id example",
        ),
        (
            "/components/schemas/Thing/example",
            json!({"name": "d", "extra": 1, "size": 1.5}),
            "#/components/schemas/Thing example",
        ),
    ];
    for (pointer, bad, label) in plants {
        let mut s = spec();
        *s.pointer_mut(pointer)
            .unwrap_or_else(|| panic!("{pointer}")) = bad;
        let found = misfits(&s);
        assert_eq!(found.len(), 1, "{pointer}: {found:?}");
        assert!(found[0].ends_with(label), "{pointer}: {found:?}");
    }
}

#[test]
fn nullable_and_vendor_formats_are_read_as_openapi_means_them() {
    let mut s = spec();
    // `nullable: true` allows null; a non-nullable field does not.
    *s.pointer_mut("/components/schemas/Thing/example").unwrap() =
        json!({"name": "d", "tag": null});
    assert!(misfits(&s).is_empty());
    *s.pointer_mut("/components/schemas/Thing/example").unwrap() = json!({"name": null});
    assert_eq!(misfits(&s).len(), 1);
}

#[test]
fn a_value_outside_an_enum_passes_only_where_the_example_says_so() {
    let one = "/paths/~1things~1{id}/post/responses/200/content/application~1json/examples/one";
    let with = |value: Value, unknown: Value| {
        let mut s = spec();
        let ex = s.pointer_mut(one).unwrap();
        ex["value"] = value;
        ex["x-decodes-as-unknown"] = unknown;
        invalid_spec_examples(&s)
    };
    let off_enum = json!({"name": "b", "status": "paused"});
    assert!(with(off_enum.clone(), json!(["/status"])).is_empty());
    // Not declared: reported.
    assert_eq!(with(off_enum.clone(), json!([])).len(), 1);
    // Declared where the value is listed: the annotation is stale, reported.
    let found = with(json!({"name": "b", "status": "on"}), json!(["/status"]));
    assert!(found[0].1[0].contains("x-decodes-as-unknown"), "{found:?}");
    // It excuses an enum miss, not a wrong type.
    assert_eq!(
        with(json!({"name": "b", "status": 3}), json!(["/status"])).len(),
        1
    );
}
