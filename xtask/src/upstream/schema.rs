//! Our specs' schemas as JSON Schema, to check examples with a validator that knows nothing of the
//! generated types: vendor examples (`--vendor-page`) and every example in `specs/` (a test), so a
//! mistake in the generator cannot hide behind examples that only ever went through its own types.
//!
//! OpenAPI 3.0 → JSON Schema draft 7: `nullable: true` adds `null` to `type` (and to `enum`);
//! `format` is dropped (`pii`, `base64-document` and `int64` are not JSON Schema formats, and vendor
//! date formats are kept as plain strings on purpose); `oneOf` becomes `anyOf`, as the generated
//! untagged enums read it (a string that fits two branches is fine). Component schemas travel with
//! the schema so that `#/components/schemas/…` references resolve. The simulator reads schemas the
//! same way (rampkit-sim's `spec::schema::convert`); this copy also drops `x-` notes and examples, and
//! stays in xtask because xtask must build without the client crates it generates (the simulator
//! depends on all of them).

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
    problems_except(validator, instance, &[])
}

/// [`problems`], except a value outside an enum at one of `unknown` (JSON pointers into `instance`):
/// an example of ours may show on purpose a value a forward-compatible enum does not list, to pin
/// that it decodes as unknown (`x-decodes-as-unknown`, specs/CONVENTIONS.md). A pointer there that
/// is not outside an enum is a problem too, so the annotation cannot outlive its reason.
pub fn problems_except(
    validator: &jsonschema::Validator,
    instance: &Value,
    unknown: &[String],
) -> Vec<String> {
    let mut used = Vec::new();
    let mut out: Vec<String> = validator
        .iter_errors(instance)
        .filter(|e| {
            let at = e.instance_path().as_str();
            let allowed = matches!(
                e.kind(),
                jsonschema::error::ValidationErrorKind::Enum { .. }
            ) && unknown.iter().any(|u| u == at);
            if allowed {
                used.push(at.to_owned());
            }
            !allowed
        })
        .take(5)
        .map(|e| {
            let at = e.instance_path().as_str().to_owned();
            let at = if at.is_empty() { "/".to_owned() } else { at };
            format!("at {at}: {e}")
        })
        .collect();
    for u in unknown.iter().filter(|u| !used.contains(u)) {
        out.push(format!(
            "at {u}: `x-decodes-as-unknown` names it, but it is not a value outside an enum"
        ));
    }
    out
}
