//! Naming the place a JSON pointer points at, for messages: `#/components/schemas/User/properties/name`
//! is "property `name` of `User`".

use serde_json::Value;

/// What `pointer` (`#/…`) names in `doc`, in words; the pointer itself, in backticks, where no better
/// name is known.
pub(super) fn subject(doc: &Value, pointer: &str) -> String {
    let raw: Vec<&str> = pointer
        .trim_start_matches('#')
        .trim_start_matches('/')
        .split('/')
        .collect();
    let segments: Vec<String> = raw
        .iter()
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect();
    let (base, rest) = match segments.as_slice() {
        [c, s, name, rest @ ..] if c == "components" && s == "schemas" => {
            (format!("`{name}`"), rest)
        }
        [p, path, method, rest @ ..] if p == "paths" => {
            (format!("{} {path}", method.to_uppercase()), rest)
        }
        _ => return format!("`{pointer}`"),
    };
    // Qualifiers from the outside in; each one names a part of the one before.
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        let key = rest[i].as_str();
        let next = rest.get(i + 1).map(String::as_str);
        let (part, used) = match (key, next) {
            ("properties", Some(name)) => (Some(format!("property `{name}`")), 2),
            ("items", _) => (Some("the items".to_owned()), 1),
            ("additionalProperties", _) => (Some("the additional properties".to_owned()), 1),
            ("allOf" | "oneOf" | "anyOf", Some(index)) => {
                (Some(format!("`{key}` branch {index}")), 2)
            }
            ("parameters", Some(index)) => {
                let upto = segments.len() - rest.len() + i + 2;
                let name = doc
                    .pointer(&format!("/{}", raw[..upto].join("/")))
                    .and_then(|p| p.get("name"))
                    .and_then(Value::as_str);
                let part = match name {
                    Some(name) => format!("parameter `{name}`"),
                    None => format!("parameter {index}"),
                };
                (Some(part), 2)
            }
            ("requestBody", _) => (Some("the request body".to_owned()), 1),
            ("responses", Some(status)) => (Some(format!("the {status} response")), 2),
            ("content", Some(_)) | ("schema", _) => (None, if key == "content" { 2 } else { 1 }),
            (other, _) => (Some(format!("`{other}`")), 1),
        };
        parts.extend(part);
        i += used;
    }
    parts.reverse();
    parts.push(base);
    parts.join(" of ")
}
