//! Body decoding shared by the providers, with errors that never echo a value of the body.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::{UndecodablePayload, WebhookError};

/// The body as a JSON object.
pub(crate) fn object(body: &[u8]) -> Result<Map<String, Value>, WebhookError> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(UndecodablePayload::NotAnObject.into()),
        // serde_json's syntax errors name a position, but its message is not kept: only line and column.
        Err(error) => Err(UndecodablePayload::NotJson {
            line: error.line(),
            column: error.column(),
        }
        .into()),
    }
}

/// A string member of the object: `Ok(None)` when absent, `Err` when present but not a string.
pub(crate) fn string_member<'a>(
    object: &'a Map<String, Value>,
    field: &'static str,
) -> Result<Option<&'a str>, WebhookError> {
    match object.get(field) {
        None => Ok(None),
        Some(Value::String(value)) => Ok(Some(value)),
        Some(_) => Err(UndecodablePayload::MissingEventType { field }.into()),
    }
}

/// The object decoded as the payload type of `event`.
///
/// serde_json's messages quote the offending value (`invalid type: string "…"`), which may be personal;
/// the error keeps the JSON path (via `serde_path_to_error`) and, for an absent member, its name.
pub(crate) fn typed<T: DeserializeOwned>(
    object: Map<String, Value>,
    event: &'static str,
) -> Result<T, WebhookError> {
    serde_path_to_error::deserialize(Value::Object(object)).map_err(|error| {
        let path = render_path(error.path());
        let missing_field = missing_field(&error.inner().to_string());
        UndecodablePayload::Mismatch {
            event,
            path,
            missing_field,
        }
        .into()
    })
}

/// Top-level member names of an object, for an event recognised by no documented shape.
pub(crate) fn member_names(object: &Map<String, Value>) -> Vec<String> {
    object.keys().map(|key| safe_name(key).to_owned()).collect()
}

/// `.a.b[2]`; map keys and names that do not look like a schema's member name print as `*`.
fn render_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } => {
                out.push('.');
                out.push_str(safe_name(key));
            }
            Segment::Enum { variant } => {
                out.push('.');
                out.push_str(safe_name(variant));
            }
            _ => out.push_str(".?"),
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// A member name as written when it looks like one (the vendors' names are short ASCII identifiers,
/// sometimes with brackets: `additional_fields[0]`), `*` otherwise — a key is not meant to carry a value,
/// but a sender could put one there.
fn safe_name(name: &str) -> &str {
    let looks_like_a_name = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'[' | b']'));
    if looks_like_a_name { name } else { "*" }
}

/// The member named by serde's "missing field `name`" message (the name comes from our types).
fn missing_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("missing field `")?;
    let name = &rest[..rest.find('`')?];
    Some(safe_name(name).to_owned())
}
