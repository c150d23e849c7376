//! Answers from the spec itself, for operations the simulator keeps no state for: the success
//! response's own example (verbatim from the vendor's documentation), else a value built from the
//! response schema — its required fields, each from its own `example`, its first enum value or a
//! neutral value of its type.

use serde_json::{Map, Value, json};

use super::schema::ref_name;

/// The first example of a media-type object (`example`, else the first of `examples`).
pub fn first_example(media: &Value) -> Option<Value> {
    if let Some(example) = media.get("example") {
        return Some(example.clone());
    }
    media
        .get("examples")?
        .as_object()?
        .values()
        .find_map(|e| e.get("value").cloned())
}

/// A value of `schema` with every required field (and nothing else), resolving `$ref`s in
/// `components`. Deep or cyclic schemas stop at a depth of 12 with an empty object.
pub fn synthesize(schema: &Value, components: &Map<String, Value>) -> Value {
    build(schema, components, 0)
}

fn build(schema: &Value, components: &Map<String, Value>, depth: usize) -> Value {
    if depth > 12 {
        return json!({});
    }
    if let Some(target) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(ref_name)
        .and_then(|name| components.get(name))
    {
        return build(target, components, depth + 1);
    }
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    if let Some(first) = schema
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|v| v.first())
    {
        return first.clone();
    }
    if let Some(first) = ["oneOf", "anyOf", "allOf"]
        .iter()
        .find_map(|k| schema.get(*k)?.as_array()?.first())
    {
        return build(first, components, depth + 1);
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => json!("string"),
        Some("integer") => json!(schema.get("minimum").cloned().unwrap_or(json!(1))),
        Some("number") => json!(schema.get("minimum").cloned().unwrap_or(json!(1.0))),
        Some("boolean") => json!(false),
        Some("array") => {
            let wanted = schema.get("minItems").and_then(Value::as_u64).unwrap_or(0);
            let item = schema.get("items").cloned().unwrap_or(json!({}));
            Value::Array(
                (0..wanted)
                    .map(|_| build(&item, components, depth + 1))
                    .collect(),
            )
        }
        _ => {
            let properties = schema.get("properties").and_then(Value::as_object);
            let required = schema
                .get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str);
            let mut out = Map::new();
            for name in required {
                let property = properties
                    .and_then(|p| p.get(name))
                    .cloned()
                    .unwrap_or(json!({}));
                out.insert(name.to_owned(), build(&property, components, depth + 1));
            }
            Value::Object(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_come_first_then_required_fields() {
        assert_eq!(
            first_example(&json!({"examples": {"a": {"value": {"x": 1}}}})),
            Some(json!({"x": 1}))
        );
        assert_eq!(first_example(&json!({"example": 3})), Some(json!(3)));
        assert_eq!(first_example(&json!({})), None);
        let components = json!({
            "Answer": {
                "type": "object",
                "required": ["status", "user", "count", "items"],
                "properties": {
                    "status": {"$ref": "#/components/schemas/Status"},
                    "user": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "example": "u-1"}}},
                    "count": {"type": "integer"},
                    "items": {"type": "array", "items": {"type": "string"}},
                    "optional": {"type": "string"}
                }
            },
            "Status": {"type": "string", "enum": ["ok", "error"]}
        });
        let value = synthesize(
            &json!({"$ref": "#/components/schemas/Answer"}),
            components.as_object().unwrap(),
        );
        assert_eq!(
            value,
            json!({"status": "ok", "user": {"id": "u-1"}, "count": 1, "items": []})
        );
    }
}
