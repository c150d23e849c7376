//! Structural problems of the canonical JSON (an impossible date, a missing or unknown field, bad
//! base64) turned into field errors with their JSON path, never the value.

use std::collections::HashSet;
use std::sync::LazyLock;

use serde_path_to_error::Segment;

use super::{ValidationError, ValidationErrorKind};

/// Fields whose deserialisation failure means an impossible or malformed date.
const DATE_FIELDS: &[&str] = &["date_of_birth", "expiry_date"];
/// Fields whose deserialisation failure means a malformed timestamp.
const TIMESTAMP_FIELDS: &[&str] = &["id_verified_at", "liveness_verified_at"];
/// Fields whose deserialisation failure means bad base64.
const IMAGE_FIELDS: &[&str] = &["front_image", "back_image", "face", "liveness"];

/// Every field name of the canonical JSON (the `properties` of every object of its JSON Schema): the
/// only keys that may appear in an error path.
static FIELD_NAMES: LazyLock<HashSet<String>> = LazyLock::new(|| {
    fn collect(value: &serde_json::Value, names: &mut HashSet<String>) {
        match value {
            serde_json::Value::Object(object) => {
                if let Some(serde_json::Value::Object(properties)) = object.get("properties") {
                    names.extend(properties.keys().cloned());
                }
                object.values().for_each(|v| collect(v, names));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, names)),
            _ => {}
        }
    }
    let mut names = HashSet::new();
    collect(
        crate::customer::customer_json_schema().as_value(),
        &mut names,
    );
    names
});

fn is_field_name(key: &str) -> bool {
    FIELD_NAMES.contains(key)
}

/// Turns a serde error into a path and a rule, without keeping serde's message (it can quote the value)
/// and without copying a key that is not a field name into the path (it can be personal data).
pub(super) fn parse_error(
    error: &serde_path_to_error::Error<serde_json::Error>,
) -> ValidationError {
    use ValidationErrorKind as K;
    let mut path = String::new();
    // The path before the last field was added, and that field.
    let mut parent_len = 0;
    let mut last = None;
    for segment in error.path().iter() {
        let field = match segment {
            Segment::Seq { index } => {
                path.push_str(&format!("[{index}]"));
                last = None;
                continue;
            }
            Segment::Map { key } => key.as_str(),
            Segment::Enum { variant } => variant.as_str(),
            // A key serde had not read yet (e.g. at the end of truncated JSON): nothing to name.
            Segment::Unknown => {
                last = None;
                continue;
            }
        };
        if !is_field_name(field) {
            // A key outside the model: the path stops at the object that holds it.
            last = None;
            break;
        }
        parent_len = path.len();
        push_field(&mut path, field);
        last = Some(field);
    }
    let inner = error.inner();
    if !inner.is_data() {
        return ValidationError::new(path, K::InvalidJson);
    }
    // serde's messages for these quote a field name — one of the model's (missing, duplicate), or
    // whatever key the input had (unknown), which is not copied.
    let message = inner.to_string();
    if let Some(field) = quoted_after(&message, "missing field `")
        && is_field_name(field)
    {
        push_field(&mut path, field);
        return ValidationError::new(path, K::Missing);
    }
    if let Some(field) = quoted_after(&message, "duplicate field `")
        && is_field_name(field)
    {
        if last != Some(field) {
            push_field(&mut path, field);
        }
        return ValidationError::new(path, K::DuplicateField);
    }
    if let Some(field) = quoted_after(&message, "unknown field `") {
        // The path may end at the key when the key is a field name elsewhere in the model: name the
        // object that holds it.
        if last == Some(field) {
            path.truncate(parent_len);
        }
        return ValidationError::new(
            path,
            K::UnknownField {
                line: inner.line(),
                column: inner.column(),
            },
        );
    }
    let kind = match last {
        Some(field) if DATE_FIELDS.contains(&field) => K::NotACalendarDate,
        Some(field) if TIMESTAMP_FIELDS.contains(&field) => K::NotATimestamp,
        Some(field) if IMAGE_FIELDS.contains(&field) => K::NotBase64,
        _ if message.starts_with("unknown variant") => K::NotAllowedValue,
        _ => K::WrongType,
    };
    ValidationError::new(path, kind)
}

fn push_field(path: &mut String, field: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(field);
}

/// The text between `prefix` (ending in a backquote) and the next backquote.
fn quoted_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    message.strip_prefix(prefix)?.split('`').next()
}
