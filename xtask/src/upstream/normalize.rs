//! Bringing our spec and a vendor file to common ground before `xtask diff`'s engine compares them:
//! `$ref`s inlined (vendor schema names never match ours, and our component names are not the
//! vendor's business), `allOf` flattened (tsoa writes `A & {b}` as `allOf`; our specs never do), and
//! every deliberate projection of specs/CONVENTIONS.md taken out of both sides and counted instead of
//! reported: `format` (our `pii` / `base64-document`, vendor dates and number widths), validation
//! keywords (said in prose here), `nullable` on optional fields (serde decodes `null` as absent), and
//! `additionalProperties` `true` / `false` / `{}` (open response structs are our rule).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// Projection counts, by what was projected.
pub type Projections = BTreeMap<&'static str, usize>;

pub const PII: &str = "personal data and documents redacted (`format: pii` / `base64-document`)";
pub const DATES: &str = "dates kept as plain strings (vendor `format: date` / `date-time`)";
pub const NUMBERS: &str = "number widths (vendor `int32` / `int64` / `float` / `double`)";
pub const FORMATS: &str = "other vendor string formats (`uuid`, `email`, …)";
pub const CONSTRAINTS: &str = "validation keywords said in prose (`minLength`, `pattern`, …)";
pub const NULLABLE: &str = "`nullable` on optional fields (null decodes as absent)";
pub const PROSE: &str = "descriptions, summaries and examples";
pub const OPERATION_IDS: &str = "operation ids (snake_case, in the vendor's words)";
pub const PATH_PARAMS: &str = "path parameters renamed";
pub const RANGES: &str = "error statuses folded into `4XX` / `5XX`";
pub const ERROR_RANGES: &str = "`4XX` / `5XX` declared where the vendor lists none";
pub const EMPTY_SUCCESS: &str = "bodiless success statuses covered by `x-empty-body` or `2XX`";
pub const CREDENTIALS: &str = "credential headers (the runtime's job)";
pub const OPTIONAL_RESPONSE: &str = "response fields kept optional where the vendor marks them required (CONVENTIONS: required only when every example has them)";
pub const UNION_RESPONSE: &str = "optional response fields the file does not list (our schemas unite the vendor's sources; absent decodes as `None`)";
pub const EXCLUDED: &str = "vendor operations excluded (specs/<provider>.exclusions.yaml)";

const CONSTRAINT_KEYS: [&str; 16] = [
    "minLength",
    "maxLength",
    "pattern",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minItems",
    "maxItems",
    "uniqueItems",
    "multipleOf",
    "minProperties",
    "maxProperties",
    "default",
    "readOnly",
    "writeOnly",
];

/// Which document a node comes from: projections are counted per side.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Ours,
    Vendor,
}

/// A path with its parameter names blanked (`/user/{userId}` → `/user/{}`), without a trailing `/`:
/// operations match on method and this.
pub fn route_key(path: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    out.push('{');
                }
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    out.push('}');
                }
            }
            _ if depth > 0 => {}
            _ => out.push(c),
        }
    }
    while out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    out
}

/// The parameter names of a path template, in order.
pub fn path_params(path: &str) -> Vec<String> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

/// `node` with every local `$ref` of `doc` replaced by its target, transitively; a reference back into
/// a schema being inlined (a recursive type) becomes `{}`.
pub fn inline(doc: &Value, node: &Value) -> Value {
    inline_in(doc, node, &mut Vec::new())
}

fn inline_in(doc: &Value, node: &Value, stack: &mut Vec<String>) -> Value {
    match node {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                if stack.iter().any(|s| s == r) {
                    return Value::Object(Map::new());
                }
                let target = r.strip_prefix('#').and_then(|p| doc.pointer(p));
                if let Some(target) = target {
                    stack.push(r.to_owned());
                    let mut out = inline_in(doc, target, stack);
                    stack.pop();
                    // OpenAPI 3.0 ignores `$ref` siblings, but our specs describe the use there.
                    if let (Value::Object(out), Some(d)) = (&mut out, map.get("description")) {
                        out.insert("description".into(), d.clone());
                    }
                    return out;
                }
            }
            Value::Object(
                map.iter()
                    .map(|(k, v)| {
                        let keep = matches!(k.as_str(), "example" | "examples" | "x-examples");
                        (
                            k.clone(),
                            if keep {
                                v.clone()
                            } else {
                                inline_in(doc, v, stack)
                            },
                        )
                    })
                    .collect(),
            )
        }
        Value::Array(items) => {
            Value::Array(items.iter().map(|x| inline_in(doc, x, stack)).collect())
        }
        other => other.clone(),
    }
}

/// `allOf` branches merged into one object schema: properties and `required` united, other keywords
/// taken from the first branch that has them.
fn flatten_all_of(node: &Map<String, Value>) -> Map<String, Value> {
    let Some(branches) = node.get("allOf").and_then(Value::as_array) else {
        return node.clone();
    };
    let mut out: Map<String, Value> = node
        .iter()
        .filter(|(k, _)| k.as_str() != "allOf")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for branch in branches {
        let Some(branch) = branch.as_object().map(flatten_all_of) else {
            continue;
        };
        for (k, v) in branch {
            match (k.as_str(), out.get_mut(&k), v) {
                ("properties", Some(Value::Object(mine)), Value::Object(theirs)) => {
                    for (name, s) in theirs {
                        mine.entry(name).or_insert(s);
                    }
                }
                ("required", Some(Value::Array(mine)), Value::Array(theirs)) => {
                    for name in theirs {
                        if !mine.contains(&name) {
                            mine.push(name);
                        }
                    }
                }
                (_, None, v) => {
                    out.insert(k, v);
                }
                _ => {}
            }
        }
    }
    if out.contains_key("properties") && !out.contains_key("type") {
        out.insert("type".into(), Value::String("object".into()));
    }
    out
}

fn count(proj: &mut Projections, what: &'static str) {
    *proj.entry(what).or_default() += 1;
}

/// A schema ready for the engine (already inlined): see the module docs.
pub fn schema(node: &Value, side: Side, proj: &mut Projections) -> Value {
    let Some(map) = node.as_object() else {
        return node.clone();
    };
    let map = flatten_all_of(map);
    let required: Vec<String> = map
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let mut out = Map::new();
    for (key, value) in &map {
        match key.as_str() {
            k if k.starts_with("x-") => {}
            "format" => {
                let f = value.as_str().unwrap_or_default();
                match (side, f) {
                    (Side::Ours, "pii" | "base64-document") => count(proj, PII),
                    (Side::Ours, _) => {}
                    (Side::Vendor, "date" | "date-time") => count(proj, DATES),
                    (Side::Vendor, "int32" | "int64" | "float" | "double") => count(proj, NUMBERS),
                    (Side::Vendor, _) => count(proj, FORMATS),
                }
            }
            k if CONSTRAINT_KEYS.contains(&k) => count(proj, CONSTRAINTS),
            "additionalProperties"
                if value.is_boolean() || value.as_object().is_some_and(Map::is_empty) => {}
            "enum" => {
                let values: Vec<Value> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|v| !v.is_null())
                    .cloned()
                    .collect();
                out.insert(key.clone(), Value::Array(values));
            }
            "properties" => {
                let props: Map<String, Value> = value
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, s)| {
                        let mut s = schema(s, side, proj);
                        if !required.contains(name)
                            && let Some(obj) = s.as_object_mut()
                            && obj.remove("nullable").is_some()
                        {
                            count(proj, NULLABLE);
                        }
                        (name.clone(), s)
                    })
                    .collect();
                out.insert(key.clone(), Value::Object(props));
            }
            "items" | "additionalProperties" | "not" => {
                out.insert(key.clone(), schema(value, side, proj));
            }
            "oneOf" | "anyOf" => {
                let branches: Vec<Value> = value
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|b| schema(b, side, proj))
                    .collect();
                out.insert(key.clone(), Value::Array(branches));
            }
            "discriminator" | "xml" | "externalDocs" | "deprecated" => {}
            _ => {
                out.insert(key.clone(), value.clone());
            }
        }
    }
    if let Some(Value::Array(values)) = out.get("enum")
        && values.is_empty()
    {
        out.remove("enum");
    }
    Value::Object(out)
}
