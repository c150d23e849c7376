//! Component schemas no operation and no webhook payload uses: which they are, and what changed in
//! one, in words (`unused-schema-changed`).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::diff::engine::meaning::normalized;
use crate::diff::engine::node::{describe_type, enum_delta, required_set, type_signature};
use crate::spec;

const SCHEMAS: &str = "#/components/schemas/";

/// The component schemas some operation or webhook payload may reach: every `$ref` under `paths` and
/// in the `x-webhook-event` schemas, followed through whatever component it names (schemas, and the
/// parameters, request bodies and responses that hold schemas), through `allOf`/`oneOf`/`anyOf` too.
/// Generous on purpose: only what this cannot reach is called unused.
pub(super) fn used_schemas(doc: &Value) -> BTreeSet<String> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<&Value> = doc.get("paths").into_iter().collect();
    for (name, schema) in spec::components(doc).into_iter().flatten() {
        if schema.get("x-webhook-event").is_some() {
            seen.insert(format!("{SCHEMAS}{name}"));
            stack.push(schema);
        }
    }
    while let Some(node) = stack.pop() {
        let mut refs = Vec::new();
        collect_refs(node, &mut refs);
        for r in refs {
            if let Some(pointer) = r.strip_prefix('#')
                && seen.insert(r.to_owned())
                && let Some(target) = doc.pointer(pointer)
            {
                stack.push(target);
            }
        }
    }
    seen.iter()
        .filter_map(|r| r.strip_prefix(SCHEMAS))
        .map(|rest| {
            rest.split('/')
                .next()
                .unwrap_or(rest)
                .replace("~1", "/")
                .replace("~0", "~")
        })
        .collect()
}

fn collect_refs<'v>(node: &'v Value, out: &mut Vec<&'v str>) {
    match node {
        Value::Object(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    ("$ref", Value::String(r)) => out.push(r),
                    // Examples are data: a `$ref`-looking string in one is not a reference.
                    ("example" | "examples" | "x-examples", _) => {}
                    _ => collect_refs(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|x| collect_refs(x, out)),
        _ => {}
    }
}

/// What changed in a schema, prose and `required` order aside: "property `a` added; `b` now required;
/// values added: `X`". Empty when nothing but prose changed.
pub(super) fn summary(o: &Value, n: &Value) -> String {
    let (o, n) = (normalized(o), normalized(n));
    let mut parts = Vec::new();
    if type_signature(&o) != type_signature(&n) {
        parts.push(format!(
            "type {} → {}",
            describe_type(&o),
            describe_type(&n)
        ));
    }
    let (added, removed) = enum_delta(&o, &n);
    if !added.is_empty() {
        parts.push(format!("values added: {}", ticks(&added)));
    }
    if !removed.is_empty() {
        parts.push(format!("values removed: {}", ticks(&removed)));
    }
    let empty = Map::new();
    let props = |s: &Value| s.get("properties").and_then(Value::as_object).cloned();
    let (op, np) = (
        props(&o).unwrap_or_else(|| empty.clone()),
        props(&n).unwrap_or_else(|| empty.clone()),
    );
    let added: Vec<String> = np
        .keys()
        .filter(|k| !op.contains_key(*k))
        .cloned()
        .collect();
    let removed: Vec<String> = op
        .keys()
        .filter(|k| !np.contains_key(*k))
        .cloned()
        .collect();
    let changed: Vec<String> = np
        .iter()
        .filter(|(k, v)| op.get(*k).is_some_and(|ov| ov != *v))
        .map(|(k, _)| k.clone())
        .collect();
    for (list, what) in [(added, "added"), (removed, "removed"), (changed, "changed")] {
        if !list.is_empty() {
            let noun = if list.len() == 1 {
                "property"
            } else {
                "properties"
            };
            parts.push(format!("{noun} {} {what}", ticks(&list)));
        }
    }
    let (or, nr) = (required_set(&o), required_set(&n));
    let now: Vec<String> = nr.difference(&or).cloned().collect();
    let no_longer: Vec<String> = or.difference(&nr).cloned().collect();
    if !now.is_empty() {
        parts.push(format!("now required: {}", ticks(&now)));
    }
    if !no_longer.is_empty() {
        parts.push(format!("no longer required: {}", ticks(&no_longer)));
    }
    // Anything else (`allOf`, `items`, constraints…), by keyword.
    let known = [
        "type",
        "format",
        "nullable",
        "enum",
        "properties",
        "required",
    ];
    let keys: BTreeSet<&String> = o
        .as_object()
        .into_iter()
        .flat_map(|m| m.keys())
        .chain(n.as_object().into_iter().flat_map(|m| m.keys()))
        .filter(|k| !known.contains(&k.as_str()))
        .collect();
    let others: Vec<String> = keys
        .into_iter()
        .filter(|k| o.get(k.as_str()) != n.get(k.as_str()))
        .cloned()
        .collect();
    if !others.is_empty() {
        parts.push(format!("{} changed", ticks(&others)));
    }
    parts.join("; ")
}

fn ticks(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
