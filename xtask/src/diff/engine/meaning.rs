//! What a difference means before any rule looks at it: prose (descriptions, titles, examples) is
//! documentation wherever it sits, and a `required` list is a set written as a list, so its order
//! carries no meaning for the wire or the generated Rust.

use serde_json::{Map, Value};

use crate::diff::engine::node::esc;

/// The prose keywords and the rule a change of each is reported under.
pub(super) const PROSE: [(&str, &str); 5] = [
    ("description", "description-changed"),
    ("title", "description-changed"),
    ("example", "example-changed"),
    ("examples", "example-changed"),
    ("x-examples", "example-changed"),
];

/// Annotations for rampkit's own tools, which neither the generated code nor the wire sees
/// (`x-upstream-differs`: why `cargo xtask upstream` should not report an element;
/// `x-decodes-as-unknown`: where an example is outside an enum on purpose). A change of one is no
/// change of the API, so it is set aside like formatting.
const TOOL_NOTES: [&str; 2] = ["x-upstream-differs", "x-decodes-as-unknown"];

/// Whether two values of a prose keyword differ once [`TOOL_NOTES`] are set aside.
pub(super) fn prose_differs(a: Option<&Value>, b: Option<&Value>) -> bool {
    a.map(without_notes) != b.map(without_notes)
}

/// `v` without [`TOOL_NOTES`] anywhere (an Example Object's `x-decodes-as-unknown`).
fn without_notes(v: &Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, _)| !TOOL_NOTES.contains(&k.as_str()))
                .map(|(k, x)| (k.clone(), without_notes(x)))
                .collect(),
        ),
        Value::Array(list) => Value::Array(list.iter().map(without_notes).collect()),
        other => other.clone(),
    }
}

/// Keywords whose object value maps names (property names, status codes, media types, component
/// names…) to nodes: its keys are names, never keywords, so a property called `description` is not
/// prose.
fn maps_names(keyword: &str) -> bool {
    matches!(
        keyword,
        "properties"
            | "patternProperties"
            | "schemas"
            | "paths"
            | "responses"
            | "content"
            | "headers"
            | "parameters"
            | "requestBodies"
            | "securitySchemes"
            | "links"
            | "callbacks"
            | "variables"
            | "encoding"
            | "mapping"
    )
}

/// `v` without prose and with every `required` list sorted: two nodes that differ only in wording or
/// in the order of their required properties are equal after this.
pub(super) fn normalized(v: &Value) -> Value {
    normalize(v, false)
}

fn normalize(v: &Value, names: bool) -> Value {
    match v {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, child) in map {
                if !names
                    && (PROSE.iter().any(|(k, _)| k == key) || TOOL_NOTES.contains(&key.as_str()))
                {
                    continue;
                }
                let child = match child {
                    Value::Array(list) if !names && key == "required" => {
                        let mut list = list.clone();
                        list.sort_by_key(|item| item.to_string());
                        Value::Array(list)
                    }
                    _ => normalize(child, !names && maps_names(key)),
                };
                out.insert(key.clone(), child);
            }
            Value::Object(out)
        }
        Value::Array(list) => Value::Array(list.iter().map(|x| normalize(x, false)).collect()),
        other => other.clone(),
    }
}

/// Every prose keyword that differs between `o` and `n` at places both documents have, as
/// `(JSON pointer, rule, keyword)`. Places only one side has are additions or removals, which the
/// rules report with their own words.
pub(super) fn prose_changes(
    o: &Value,
    n: &Value,
    loc: &str,
) -> Vec<(String, &'static str, &'static str)> {
    let mut out = Vec::new();
    walk(o, n, loc, false, &mut out);
    out
}

fn walk(
    o: &Value,
    n: &Value,
    loc: &str,
    names: bool,
    out: &mut Vec<(String, &'static str, &'static str)>,
) {
    match (o, n) {
        (Value::Object(a), Value::Object(b)) => {
            if !names {
                for (key, rule) in PROSE {
                    if prose_differs(a.get(key), b.get(key)) {
                        out.push((format!("{loc}/{key}"), rule, key));
                    }
                }
            }
            for (key, x) in a {
                if !names && PROSE.iter().any(|(k, _)| k == key) {
                    continue;
                }
                if let Some(y) = b.get(key) {
                    let child = format!("{loc}/{}", esc(key));
                    walk(x, y, &child, !names && maps_names(key), out);
                }
            }
        }
        // Lists of the same length are paired by position (parameters, `allOf` branches); a list that
        // grew or shrank is an addition or removal the rules report.
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                walk(x, y, &format!("{loc}/{i}"), false, out);
            }
        }
        _ => {}
    }
}
