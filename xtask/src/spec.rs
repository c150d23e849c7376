//! Loading a spec and walking its JSON form.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// A spec as read from disk.
pub struct Spec {
    /// `specs/<provider>.yaml`
    pub rel_path: String,
    /// SHA-256 of the file bytes, hex.
    pub sha256: String,
    /// The document as JSON.
    pub value: Value,
}

pub fn load(root: &Path, provider: &str) -> Result<Spec, String> {
    let rel_path = format!("specs/{provider}.yaml");
    let raw = std::fs::read(root.join(&rel_path)).map_err(|e| format!("{rel_path}: {e}"))?;
    let sha256 = hex::encode(Sha256::digest(&raw));
    let value: Value =
        serde_yaml_ng::from_slice(&raw).map_err(|e| format!("{rel_path}: invalid YAML: {e}"))?;
    Ok(Spec {
        rel_path,
        sha256,
        value,
    })
}

pub const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of the spec, in file order.
pub struct Operation<'a> {
    pub path: &'a str,
    pub method: &'a str,
    pub body: &'a Map<String, Value>,
    /// The path item, for parameters shared by its operations.
    pub item: &'a Map<String, Value>,
}

impl<'a> Operation<'a> {
    pub fn id(&self) -> Option<&'a str> {
        self.body.get("operationId").and_then(Value::as_str)
    }

    /// `POST /registerUser (register_user)` — how errors name an operation.
    pub fn label(&self) -> String {
        format!(
            "{} {} ({})",
            self.method.to_uppercase(),
            self.path,
            self.id().unwrap_or("no operationId")
        )
    }

    /// Safe to repeat: GET, PUT, DELETE, HEAD, OPTIONS, or a POST marked `x-idempotent: true`. The
    /// runtime retries only these.
    pub fn idempotent(&self) -> bool {
        // `x-idempotent` says it either way: `true` for a POST that is safe to repeat, `false` for a GET
        // (or PUT, DELETE) with a side effect a repeat would do twice.
        self.body
            .get("x-idempotent")
            .and_then(Value::as_bool)
            .unwrap_or(matches!(
                self.method,
                "get" | "put" | "delete" | "head" | "options"
            ))
    }

    /// Carries credentials: every operation except those with `security: []` (login calls).
    pub fn authenticated(&self) -> bool {
        self.body
            .get("security")
            .and_then(Value::as_array)
            .is_none_or(|requirements| !requirements.is_empty())
    }

    /// Path-item and operation parameters, `$ref`s to `#/components/parameters` resolved.
    pub fn parameters(&self, doc: &'a Value) -> Vec<&'a Value> {
        let shared = self
            .item
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        let own = self
            .body
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten();
        shared
            .chain(own)
            .map(|p| {
                p.get("$ref")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/parameters/"))
                    .and_then(|name| doc.get("components")?.get("parameters")?.get(name))
                    .unwrap_or(p)
            })
            .collect()
    }

    /// `(status, response object)` pairs.
    pub fn responses(&self) -> Vec<(&'a str, &'a Value)> {
        self.body
            .get("responses")
            .and_then(Value::as_object)
            .map(|r| r.iter().map(|(k, v)| (k.as_str(), v)).collect())
            .unwrap_or_default()
    }
}

pub fn operations(spec: &Value) -> Vec<Operation<'_>> {
    let mut out = Vec::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return out;
    };
    for (path, item) in paths {
        let Some(item) = item.as_object() else {
            continue;
        };
        for (method, body) in item {
            if let (true, Some(body)) = (HTTP_METHODS.contains(&method.as_str()), body.as_object())
            {
                out.push(Operation {
                    path,
                    method,
                    body,
                    item,
                });
            }
        }
    }
    out
}

pub fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

/// The schema of a request body or response's `application/json` content.
pub fn json_schema(holder: &Value) -> Option<&Value> {
    holder
        .get("content")?
        .get("application/json")?
        .get("schema")
}

/// `#/components/schemas/X` → `X`.
pub fn ref_name(schema: &Value) -> Option<&str> {
    schema
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

pub fn components(spec: &Value) -> Option<&Map<String, Value>> {
    spec.get("components")?.get("schemas")?.as_object()
}

/// The direct sub-schemas of a schema node, with a location suffix for messages.
pub fn children(schema: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, s) in props {
            out.push((format!(".{name}"), s));
        }
    }
    if let Some(items) = schema.get("items") {
        out.push(("[]".to_owned(), items));
    }
    if let Some(ap) = schema.get("additionalProperties").filter(|v| v.is_object()) {
        out.push(("{*}".to_owned(), ap));
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = schema.get(key).and_then(Value::as_array) {
            for (i, s) in list.iter().enumerate() {
                out.push((format!("<{key}[{i}]>"), s));
            }
        }
    }
    if let Some(not) = schema.get("not") {
        out.push(("<not>".to_owned(), not));
    }
    out
}

/// Calls `f(location, node)` for `schema` and every inline sub-schema, without following `$ref`.
pub fn walk_inline<'a>(schema: &'a Value, loc: &str, f: &mut dyn FnMut(&str, &'a Value)) {
    f(loc, schema);
    for (suffix, child) in children(schema) {
        walk_inline(child, &format!("{loc}{suffix}"), f);
    }
}

/// Names of the component schemas reachable from `roots`, following `$ref` transitively.
pub fn reachable<'a>(spec: &Value, roots: impl IntoIterator<Item = &'a Value>) -> BTreeSet<String> {
    let comps = components(spec);
    let mut seen = BTreeSet::new();
    let mut stack: Vec<&Value> = roots.into_iter().collect();
    while let Some(schema) = stack.pop() {
        walk_inline(schema, "", &mut |_, node| {
            if let Some(name) = ref_name(node)
                && seen.insert(name.to_owned())
                && let Some(target) = comps.and_then(|c| c.get(name))
            {
                stack.push(target);
            }
        });
    }
    seen
}

/// Schemas reachable from request bodies and parameters.
pub fn request_roots(spec: &Value) -> Vec<&Value> {
    let mut roots = Vec::new();
    for op in operations(spec) {
        if let Some(s) = op.body.get("requestBody").and_then(json_schema) {
            roots.push(s);
        }
        for p in op.parameters(spec) {
            if let Some(s) = p.get("schema") {
                roots.push(s);
            }
        }
    }
    roots
}

/// Schemas reachable from any response, success or error, and webhook payloads (component schemas
/// marked `x-webhook-event`), which are decoded from vendor bytes just like responses.
pub fn response_roots(spec: &Value) -> Vec<&Value> {
    let mut roots: Vec<&Value> = operations(spec)
        .iter()
        .flat_map(|op| op.responses())
        .filter_map(|(_, r)| json_schema(r))
        .collect();
    for schema in components(spec).into_iter().flat_map(|c| c.values()) {
        if schema.get("x-webhook-event").is_some() {
            roots.push(schema);
        }
    }
    roots
}

/// A named string enum that some response reaches: generated as a forward-compatible enum.
pub struct OpenEnum {
    pub name: String,
    pub description: Option<String>,
    pub values: Vec<String>,
}

pub fn open_enums(spec: &Value) -> Vec<OpenEnum> {
    let in_responses = reachable(spec, response_roots(spec));
    let mut out = Vec::new();
    for (name, schema) in components(spec).into_iter().flatten() {
        let Some(values) = schema.get("enum").and_then(Value::as_array) else {
            continue;
        };
        if !in_responses.contains(name) {
            continue;
        }
        out.push(OpenEnum {
            name: name.clone(),
            description: schema
                .get("description")
                .and_then(Value::as_str)
                .map(str::to_owned),
            values: values
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect(),
        });
    }
    out
}
