//! Where an item is in our spec: the engine names places of the two one-operation documents it was
//! given (everything inlined); this walks the same segments through `specs/<provider>.yaml`,
//! following its `$ref`s, to the JSON pointer a maintainer edits, and to the element an
//! `x-upstream-differs` annotation would sit on.

use serde_json::Value;

use crate::spec::Operation;

/// Keywords whose value maps names to elements: such a map is never itself an element.
const NAME_MAPS: [&str; 7] = [
    "properties",
    "responses",
    "content",
    "parameters",
    "schemas",
    "paths",
    "headers",
];

pub struct Place {
    /// JSON pointer into our spec (`#/components/schemas/Card/properties/expiration`); segments our
    /// spec does not have (a property only the vendor has) are kept after the deepest one it has.
    pub pointer: String,
    /// The `x-upstream-differs` reason of the element the item is about, if any.
    pub silenced_by: Option<String>,
}

/// The place in `spec` of `synthetic`, a pointer (`#/paths/<path>/<method>/…`) into the one-operation
/// document built from `op`.
pub fn locate(spec: &Value, op: &Operation<'_>, synthetic: &str) -> Place {
    let prefix = format!("#/paths/{}/{}", esc(op.path), op.method);
    let rest = synthetic.strip_prefix(&prefix).unwrap_or("");
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let op_ptr = prefix.trim_start_matches('#').to_owned();
    let mut ptr = op_ptr.clone();
    let Some(mut node) = spec.pointer(&ptr) else {
        return Place {
            pointer: synthetic.to_owned(),
            silenced_by: None,
        };
    };
    let mut element = node;
    let mut i = 0;
    // The synthetic parameter list is the path item's parameters, then the operation's.
    if segments.first() == Some(&"parameters") {
        let shared = op
            .item
            .get("parameters")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let own = op
            .body
            .get("parameters")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        match segments.get(1).and_then(|s| s.parse::<usize>().ok()) {
            Some(n) if n < shared + own => {
                let item_ptr = format!("/paths/{}", esc(op.path));
                ptr = if n < shared {
                    format!("{item_ptr}/parameters/{n}")
                } else {
                    format!("{op_ptr}/parameters/{}", n - shared)
                };
                node = spec.pointer(&ptr).unwrap_or(node);
                element = node;
                i = 2;
            }
            _ => {
                return Place {
                    pointer: format!("#{op_ptr}"),
                    silenced_by: reason(element),
                };
            }
        }
    }
    while i < segments.len() {
        if let Some(target) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
            .and_then(|p| spec.pointer(p).map(|t| (p, t)))
        {
            ptr = target.0.to_owned();
            node = target.1;
            // Inside a referenced schema, the schema is the element (its enum values, its properties).
            if node.is_object() {
                element = node;
            }
        }
        let seg = segments[i];
        let key = seg.replace("~1", "/").replace("~0", "~");
        let child = match node {
            Value::Object(map) => map.get(&key),
            Value::Array(list) => seg.parse::<usize>().ok().and_then(|n| list.get(n)),
            _ => None,
        };
        let Some(child) = child else {
            break;
        };
        ptr = format!("{ptr}/{seg}");
        node = child;
        // The `schema` of a parameter or a body, and a media type, belong to the parameter, request
        // body or response that holds them: that is where an annotation goes.
        let holder_part = seg == "schema" || (i > 0 && segments[i - 1] == "content");
        if node.is_object() && !NAME_MAPS.contains(&seg) && !holder_part {
            element = node;
        }
        i += 1;
    }
    let mut pointer = format!("#{ptr}");
    for seg in &segments[i..] {
        pointer.push('/');
        pointer.push_str(seg);
    }
    Place {
        pointer,
        silenced_by: reason(element),
    }
}

/// The `x-upstream-differs` reason of an element.
pub fn reason(element: &Value) -> Option<String> {
    element
        .get("x-upstream-differs")
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// JSON-pointer escaping of one segment.
pub fn esc(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}
