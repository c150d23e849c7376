//! Swagger 2.0 → the OpenAPI 3.0 shape, as far as a comparison needs: servers from
//! `host`/`basePath`/`schemes`, `definitions` → `components/schemas` (and every `$ref` to them),
//! `in: body` and `in: formData` parameters → `requestBody`, response `schema`/`examples` → `content`,
//! `x-nullable` → `nullable`. Security definitions are left out (scopes are read from each operation's
//! `security`, which keeps its shape).

use serde_json::{Map, Value, json};

use crate::spec::HTTP_METHODS;

pub fn convert(doc: &Value) -> Value {
    let doc = rewrite_refs(doc);
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.0"));
    out.insert("info".into(), doc.get("info").cloned().unwrap_or(json!({})));
    if let Some(host) = doc.get("host").and_then(Value::as_str) {
        let base = doc.get("basePath").and_then(Value::as_str).unwrap_or("");
        let schemes: Vec<&str> = doc
            .get("schemes")
            .and_then(Value::as_array)
            .map(|s| s.iter().filter_map(Value::as_str).collect())
            .unwrap_or_else(|| vec!["https"]);
        let servers: Vec<Value> = schemes
            .iter()
            .map(|s| json!({"url": format!("{s}://{host}{base}")}))
            .collect();
        out.insert("servers".into(), Value::Array(servers));
    }
    let consumes = media_list(&doc, "consumes");
    let produces = media_list(&doc, "produces");
    let mut paths = Map::new();
    for (path, item) in doc
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let Some(item) = item.as_object() else {
            continue;
        };
        let mut new_item = Map::new();
        let shared: Vec<Value> = item
            .get("parameters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        for (key, value) in item {
            if HTTP_METHODS.contains(&key.as_str()) {
                new_item.insert(
                    key.clone(),
                    operation(&doc, value, &shared, &consumes, &produces),
                );
            }
        }
        paths.insert(path.clone(), Value::Object(new_item));
    }
    out.insert("paths".into(), Value::Object(paths));
    let mut components = Map::new();
    if let Some(defs) = doc.get("definitions") {
        components.insert("schemas".into(), defs.clone());
    }
    if let Some(params) = doc.get("parameters").and_then(Value::as_object) {
        let converted: Map<String, Value> = params
            .iter()
            .map(|(k, p)| (k.clone(), parameter(p)))
            .collect();
        components.insert("parameters".into(), Value::Object(converted));
    }
    out.insert("components".into(), Value::Object(components));
    Value::Object(out)
}

fn media_list(node: &Value, key: &str) -> Vec<String> {
    node.get(key)
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// `#/definitions/X` → `#/components/schemas/X`, `#/parameters/X` → `#/components/parameters/X`,
/// `x-nullable` → `nullable`, everywhere.
fn rewrite_refs(node: &Value) -> Value {
    match node {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => {
                        let r = r
                            .replacen("#/definitions/", "#/components/schemas/", 1)
                            .replacen("#/parameters/", "#/components/parameters/", 1);
                        (k.clone(), Value::String(r))
                    }
                    ("x-nullable", v) => ("nullable".to_owned(), v.clone()),
                    _ => (k.clone(), rewrite_refs(v)),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(rewrite_refs).collect()),
        other => other.clone(),
    }
}

/// A non-body parameter: its type keywords move under `schema`.
fn parameter(p: &Value) -> Value {
    let Some(map) = p.as_object() else {
        return p.clone();
    };
    if map.contains_key("$ref") || map.get("in").and_then(Value::as_str) == Some("body") {
        return p.clone();
    }
    let mut out = Map::new();
    let mut schema = Map::new();
    for (k, v) in map {
        match k.as_str() {
            "name" | "in" | "required" | "description" | "deprecated" => {
                out.insert(k.clone(), v.clone());
            }
            k if k.starts_with("x-") => {
                out.insert(k.to_owned(), v.clone());
            }
            "allowEmptyValue" | "collectionFormat" => {}
            _ => {
                schema.insert(k.clone(), v.clone());
            }
        }
    }
    out.insert("schema".into(), Value::Object(schema));
    Value::Object(out)
}

fn operation(
    doc: &Value,
    op: &Value,
    shared: &[Value],
    consumes: &[String],
    produces: &[String],
) -> Value {
    let Some(map) = op.as_object() else {
        return op.clone();
    };
    let resolve = |p: &Value| -> Value {
        p.get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/parameters/"))
            .and_then(|name| doc.get("parameters")?.get(name))
            .map(rewrite_refs)
            .unwrap_or_else(|| p.clone())
    };
    let own: Vec<Value> = map
        .get("parameters")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let consumes = {
        let own = media_list(op, "consumes");
        if own.is_empty() {
            consumes.to_vec()
        } else {
            own
        }
    };
    let produces = {
        let own = media_list(op, "produces");
        if own.is_empty() {
            produces.to_vec()
        } else {
            own
        }
    };
    let mut out = Map::new();
    let mut parameters = Vec::new();
    let mut form = Map::new();
    let mut form_required = Vec::new();
    for p in shared.iter().chain(&own) {
        let p = resolve(p);
        match p.get("in").and_then(Value::as_str) {
            Some("body") => {
                let media = consumes
                    .first()
                    .cloned()
                    .unwrap_or_else(|| "application/json".into());
                let mut body = json!({"content": {media: {"schema": p.get("schema").cloned().unwrap_or(json!({}))}}});
                if let Some(r) = p.get("required") {
                    body["required"] = r.clone();
                }
                if let Some(d) = p.get("description") {
                    body["description"] = d.clone();
                }
                out.insert("requestBody".into(), body);
            }
            Some("formData") => {
                let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
                if p.get("required").and_then(Value::as_bool) == Some(true) {
                    form_required.push(json!(name));
                }
                let schema = parameter(&p).get("schema").cloned().unwrap_or(json!({}));
                form.insert(name.to_owned(), schema);
            }
            _ => parameters.push(parameter(&p)),
        }
    }
    if !form.is_empty() {
        let media = consumes
            .iter()
            .find(|m| m.contains("form"))
            .cloned()
            .unwrap_or_else(|| "application/x-www-form-urlencoded".into());
        out.insert(
            "requestBody".into(),
            json!({"required": true, "content": {media: {"schema": {"type": "object", "properties": form, "required": form_required}}}}),
        );
    }
    if !parameters.is_empty() {
        out.insert("parameters".into(), Value::Array(parameters));
    }
    let media = produces
        .iter()
        .find(|m| m.contains("json"))
        .cloned()
        .unwrap_or_else(|| "application/json".into());
    let mut responses = Map::new();
    for (status, r) in map
        .get("responses")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let mut new = Map::new();
        new.insert(
            "description".into(),
            r.get("description").cloned().unwrap_or(json!("")),
        );
        if let Some(schema) = r.get("schema") {
            let mut content = json!({"schema": schema});
            if let Some(example) = r.get("examples").and_then(|e| e.get(&media)) {
                content["example"] = example.clone();
            }
            new.insert("content".into(), json!({ media.clone(): content }));
        }
        responses.insert(status.clone(), Value::Object(new));
    }
    out.insert("responses".into(), Value::Object(responses));
    for (k, v) in map {
        if !matches!(
            k.as_str(),
            "parameters" | "responses" | "consumes" | "produces" | "schemes"
        ) {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::Object(out)
}
