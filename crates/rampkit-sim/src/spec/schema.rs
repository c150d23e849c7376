//! OpenAPI 3.0 schemas as JSON Schema, and what a validation failure says: the field and the rule it
//! breaks, never the value sent (it may be personal data).

use std::collections::BTreeSet;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::{Map, Value, json};

/// An OpenAPI 3.0 schema as JSON Schema draft 7: `nullable: true` becomes a `null` type (and a `null`
/// enum value); formats are left to annotation (the specs' `pii`, `base64-document` and `int64` are
/// not JSON Schema formats); `oneOf` becomes `anyOf`, as the generated untagged enums read it (a
/// document given as a string fits both its base64 and its URL form). Everything else means the same
/// in both.
pub fn convert(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out: Map<String, Value> = map
                .iter()
                .filter(|(k, _)| k.as_str() != "nullable" && k.as_str() != "format")
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

/// The component schema a `$ref` names (`#/components/schemas/Name` → `Name`).
pub fn ref_name(reference: &str) -> Option<&str> {
    reference.strip_prefix("#/components/schemas/")
}

/// Every component schema `schema` reaches through `$ref`s, itself included when it is one.
pub fn reachable(schema: &Value, components: &Map<String, Value>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut pending = vec![schema];
    while let Some(value) = pending.pop() {
        match value {
            Value::Object(map) => {
                if let Some(name) = map.get("$ref").and_then(Value::as_str).and_then(ref_name)
                    && seen.insert(name.to_owned())
                    && let Some(target) = components.get(name)
                {
                    pending.push(target);
                }
                pending.extend(map.values());
            }
            Value::Array(items) => pending.extend(items),
            _ => {}
        }
    }
    seen
}

/// A validator for `schema`, with the component schemas it reaches (already converted) beside it.
pub fn compile(
    schema: &Value,
    components: &Map<String, Value>,
) -> Result<jsonschema::Validator, String> {
    let names = reachable(schema, components);
    let reached: Map<String, Value> = names
        .into_iter()
        .filter_map(|n| components.get(&n).map(|s| (n, s.clone())))
        .collect();
    let mut root = match convert(schema) {
        Value::Object(map) => map,
        other => {
            let mut map = Map::new();
            map.insert("allOf".into(), json!([other]));
            map
        }
    };
    root.insert("components".into(), json!({ "schemas": reached }));
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(false)
        .build(&Value::Object(root))
        .map_err(|e| format!("schema does not compile: {e}"))
}

/// `/userDetails/firstName` → `userDetails.firstName`; `/items/0/name` → `items[0].name`.
pub fn dotted(pointer: &str) -> String {
    let mut out = String::new();
    for segment in pointer.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{segment}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&segment);
        }
    }
    out
}

/// What is wrong at `path`, in words that name the field and the rule, never the value.
pub fn describe(path: &str, kind: &ValidationErrorKind) -> String {
    let at = |what: String| {
        if path.is_empty() {
            what
        } else {
            format!("{path}: {what}")
        }
    };
    match kind {
        ValidationErrorKind::Required { property } => match property.as_str() {
            Some(name) => at(format!("missing field `{name}`")),
            None => at("a required field is missing".into()),
        },
        ValidationErrorKind::Type { kind } => at(format!("must be {}", type_words(kind))),
        ValidationErrorKind::Enum { .. } | ValidationErrorKind::Constant { .. } => {
            at("not one of the allowed values".into())
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => at(format!(
            "unknown field{} {}",
            if unexpected.len() == 1 { "" } else { "s" },
            unexpected
                .iter()
                .map(|u| format!("`{u}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        ValidationErrorKind::MinLength { limit } => at(format!("shorter than {limit} characters")),
        ValidationErrorKind::MaxLength { limit } => at(format!("longer than {limit} characters")),
        ValidationErrorKind::MinItems { limit } => at(format!("fewer than {limit} items")),
        ValidationErrorKind::MaxItems { limit } => at(format!("more than {limit} items")),
        ValidationErrorKind::Minimum { .. } | ValidationErrorKind::ExclusiveMinimum { .. } => {
            at("below the minimum".into())
        }
        ValidationErrorKind::Maximum { .. } | ValidationErrorKind::ExclusiveMaximum { .. } => {
            at("above the maximum".into())
        }
        ValidationErrorKind::OneOfNotValid { .. } | ValidationErrorKind::AnyOf { .. } => {
            at("matches none of the accepted forms".into())
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            at("matches more than one of the accepted forms".into())
        }
        _ => at("invalid value".into()),
    }
}

fn type_words(kind: &TypeKind) -> String {
    let name = |t: &jsonschema::JsonType| match t {
        jsonschema::JsonType::Array => "an array",
        jsonschema::JsonType::Boolean => "a boolean",
        jsonschema::JsonType::Integer => "an integer",
        jsonschema::JsonType::Null => "null",
        jsonschema::JsonType::Number => "a number",
        jsonschema::JsonType::Object => "an object",
        jsonschema::JsonType::String => "a string",
    };
    match kind {
        TypeKind::Single(t) => name(t).to_owned(),
        TypeKind::Multiple(set) => set
            .iter()
            .map(|t| name(&t))
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

/// Validates `instance`: `Err` with the first problem (the field and the rule; never the value).
pub fn check(validator: &jsonschema::Validator, instance: &Value) -> Result<(), String> {
    match validator.iter_errors(instance).next() {
        None => Ok(()),
        Some(error) => Err(describe(
            &dotted(error.instance_path().as_str()),
            error.kind(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn components() -> Map<String, Value> {
        let spec = json!({
            "Person": {
                "type": "object",
                "required": ["name", "age"],
                "properties": {
                    "name": {"type": "string", "format": "pii"},
                    "age": {"type": "integer", "format": "int64"},
                    "nick": {"type": "string", "nullable": true},
                    "kind": {"$ref": "#/components/schemas/Kind"},
                    "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}}
                }
            },
            "Kind": {"type": "string", "enum": ["a", "b"]},
            "Tag": {"type": "object", "required": ["label"], "properties": {"label": {"type": "string"}}},
            "Unused": {"type": "string"}
        });
        spec.as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), convert(v)))
            .collect()
    }

    #[test]
    fn validates_with_the_components_a_schema_reaches() {
        let components = components();
        let root = json!({"$ref": "#/components/schemas/Person"});
        assert_eq!(
            reachable(&root, &components)
                .into_iter()
                .collect::<Vec<_>>(),
            ["Kind", "Person", "Tag"]
        );
        let validator = compile(&root, &components).unwrap();
        assert!(check(&validator, &json!({"name": "x", "age": 3, "nick": null})).is_ok());
        assert_eq!(
            check(&validator, &json!({"age": 3})).unwrap_err(),
            "missing field `name`"
        );
        let e = check(&validator, &json!({"name": "SECRET", "age": "SECRET-AGE"})).unwrap_err();
        assert_eq!(e, "age: must be an integer");
        let e = check(
            &validator,
            &json!({"name": "x", "age": 1, "kind": "SECRET"}),
        )
        .unwrap_err();
        assert_eq!(e, "kind: not one of the allowed values");
        let e = check(
            &validator,
            &json!({"name": "x", "age": 1, "tags": [{"label": "a"}, {}]}),
        )
        .unwrap_err();
        assert_eq!(e, "tags[1]: missing field `label`");
    }

    #[test]
    fn paths_are_dotted() {
        assert_eq!(dotted(""), "");
        assert_eq!(dotted("/userDetails/firstName"), "userDetails.firstName");
        assert_eq!(dotted("/a~1b/0/c"), "a/b[0].c");
    }
}
