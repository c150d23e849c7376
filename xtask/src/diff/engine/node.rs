//! Reading schema nodes of one document: `$ref` resolution, what decides a node's generated Rust type,
//! enum values, and JSON pointers.

use std::collections::BTreeSet;

use serde_json::Value;

/// JSON-pointer escaping of one segment.
pub(super) fn esc(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

pub(super) fn text(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str)
}

/// Follows a `$ref` (to any `#/components/...` entry), transitively. Returns the target and the
/// component name of the first hop.
pub(super) fn resolve<'v>(doc: &'v Value, mut node: &'v Value) -> (&'v Value, Option<&'v str>) {
    let first = ref_name_of(node);
    for _ in 0..16 {
        let Some(r) = node.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(pointer) = r.strip_prefix('#') else {
            break;
        };
        match doc.pointer(pointer) {
            Some(target) => node = target,
            None => break,
        }
    }
    (node, first)
}

pub(super) fn ref_name_of(node: &Value) -> Option<&str> {
    node.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
}

pub(super) fn has_format(s: &Value, format: &str) -> bool {
    text(s.get("format")) == Some(format)
}

/// What decides the generated Rust type of a node, apart from its properties: type, format, nullable,
/// and whether it is an enum.
pub(super) fn type_signature(s: &Value) -> (Option<&str>, Option<&str>, bool, bool, bool) {
    let ty = text(s.get("type")).or_else(|| {
        if s.get("properties").is_some() {
            Some("object")
        } else {
            None
        }
    });
    (
        ty,
        text(s.get("format")),
        s.get("nullable").and_then(Value::as_bool) == Some(true),
        s.get("enum").is_some(),
        s.get("additionalProperties").is_some_and(Value::is_object),
    )
}

pub(super) fn describe_type(s: &Value) -> String {
    let (ty, format, nullable, is_enum, _) = type_signature(s);
    let mut out = ty.unwrap_or("any").to_owned();
    if let Some(f) = format {
        out = format!("{out} ({f})");
    }
    if is_enum {
        out = format!("enum {out}");
    }
    if nullable {
        out.push_str(", nullable");
    }
    format!("`{out}`")
}

/// `(added, removed)` enum values, as strings.
pub(super) fn enum_delta(o: &Value, n: &Value) -> (Vec<String>, Vec<String>) {
    let values = |s: &Value| -> Vec<String> {
        s.get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| v.to_string())
            })
            .collect()
    };
    let (ov, nv) = (values(o), values(n));
    if o.get("enum").is_none() || n.get("enum").is_none() {
        return (Vec::new(), Vec::new());
    }
    let added = nv.iter().filter(|v| !ov.contains(v)).cloned().collect();
    let removed = ov.iter().filter(|v| !nv.contains(v)).cloned().collect();
    (added, removed)
}

/// The JSON pointer of the first place two values differ.
pub(super) fn first_difference(o: &Value, n: &Value, loc: String) -> String {
    match (o, n) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                if a.get(k) != b.get(k) {
                    let child = format!("{loc}/{}", esc(k));
                    return match (a.get(k), b.get(k)) {
                        (Some(x), Some(y)) => first_difference(x, y, child),
                        _ => child,
                    };
                }
            }
            loc
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                if x != y {
                    return first_difference(x, y, format!("{loc}/{i}"));
                }
            }
            loc
        }
        _ => loc,
    }
}

/// A node's type for messages: its component name when it has one, else its shape.
pub(super) fn show_type(name: Option<&str>, s: &Value) -> String {
    name.map(|n| format!("`{n}`"))
        .unwrap_or_else(|| describe_type(s))
}

/// For a type change between two enums, what happened to the values — ` (values added: `a`; values
/// removed: `b`)` or ` (same values)` — so that two enums of the same shape are told apart; empty
/// when either side is not an enum.
pub(super) fn enum_change(o: &Value, n: &Value) -> String {
    if o.get("enum").is_none() || n.get("enum").is_none() {
        return String::new();
    }
    let (added, removed) = enum_delta(o, n);
    let list = |values: &[String]| {
        values
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("values added: {}", list(&added)));
    }
    if !removed.is_empty() {
        parts.push(format!("values removed: {}", list(&removed)));
    }
    if parts.is_empty() {
        " (same values)".to_owned()
    } else {
        format!(" ({})", parts.join("; "))
    }
}

/// The component schema whose content `node` stands for: the last `#/components/schemas/…` name a
/// chain of `$ref`s passes through (`CIPInfo` → `Omit_CIP…` → `Pick_CIP…` stands for `Pick_CIP…`).
pub(super) fn target_name<'v>(doc: &'v Value, node: &'v Value) -> Option<&'v str> {
    let mut node = node;
    let mut last = None;
    for _ in 0..16 {
        let Some(r) = node.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(pointer) = r.strip_prefix('#') else {
            break;
        };
        if let Some(name) = r.strip_prefix("#/components/schemas/") {
            last = Some(name);
        }
        match doc.pointer(pointer) {
            Some(target) => node = target,
            None => break,
        }
    }
    last
}

/// The names a schema's `required` list holds.
pub(super) fn required_set(s: &Value) -> BTreeSet<String> {
    s.get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

/// Where `value` stands in a schema's `enum` list (0 when it does not).
pub(super) fn enum_index(s: &Value, value: &str) -> usize {
    s.get("enum")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().position(|x| x.as_str() == Some(value)))
        .unwrap_or_default()
}
