//! Our specs' schemas as JSON Schema, to check examples with a validator that knows nothing of the
//! generated types: vendor examples (`--vendor-page`) and every example in `specs/` (a test), so a
//! mistake in the generator cannot hide behind examples that only ever went through its own types.
//!
//! OpenAPI 3.0 → JSON Schema draft 7: `nullable: true` adds `null` to `type` (and to `enum`);
//! `format` is dropped (`pii`, `base64-document` and `int64` are not JSON Schema formats, and vendor
//! date formats are kept as plain strings on purpose); `oneOf` becomes `anyOf`, as the generated
//! untagged enums read it (a string that fits two branches is fine). Component schemas travel with
//! the schema so that `#/components/schemas/…` references resolve.

use serde_json::{Map, Value, json};

fn convert(node: &Value) -> Value {
    match node {
        Value::Object(map) => {
            let mut out: Map<String, Value> = map
                .iter()
                .filter(|(k, _)| {
                    !matches!(k.as_str(), "nullable" | "format" | "example" | "examples")
                })
                .filter(|(k, _)| !k.starts_with("x-"))
                .map(|(k, v)| {
                    let key = if k == "oneOf" { "anyOf" } else { k.as_str() };
                    (key.to_owned(), convert(v))
                })
                .collect();
            if map.get("nullable") == Some(&Value::Bool(true)) {
                if let Some(Value::String(kind)) = out.get("type").cloned() {
                    out.insert("type".into(), json!([kind, "null"]));
                }
                if let Some(Value::Array(values)) = out.get_mut("enum") {
                    values.push(Value::Null);
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(convert).collect()),
        other => other.clone(),
    }
}

/// A validator for `schema` (an OpenAPI schema of `spec`, `$ref`s included).
pub fn validator(spec: &Value, schema: &Value) -> Result<jsonschema::Validator, String> {
    let components = spec
        .pointer("/components/schemas")
        .cloned()
        .unwrap_or_else(|| json!({}));
    let root = json!({
        "allOf": [convert(schema)],
        "components": {"schemas": convert(&components)},
    });
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(false)
        .build(&root)
        .map_err(|e| format!("the schema does not compile: {e}"))
}

/// Every way `instance` breaks the schema: `at <pointer>: <what>`, at most five.
pub fn problems(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .take(5)
        .map(|e| {
            let at = e.instance_path().as_str().to_owned();
            let at = if at.is_empty() { "/".to_owned() } else { at };
            format!("at {at}: {e}")
        })
        .collect()
}
