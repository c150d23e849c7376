//! Structural problems of the canonical JSON (an impossible date, a missing or unknown field, bad
//! base64) turned into field errors with their JSON path, never the value.

use std::collections::HashSet;
use std::sync::LazyLock;

use serde_path_to_error::Segment;

use super::{ValidationError, ValidationErrorKind};
use crate::customer::Customer;

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
                key: looks_like_a_key(field).then(|| field.to_owned()),
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

/// Whether a JSON key looks like a field name (so that a message may name it without echoing data): 1 to
/// 64 ASCII letters, digits, `_` and `-`.
pub fn looks_like_a_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 64
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A step of a path into a JSON value.
enum Step {
    Key(String),
    Index(usize),
}

/// Parses the canonical JSON and reports every structural problem, not only the first: after each one
/// the problem field is taken out (an unknown key, a value of the wrong form) or given a placeholder of
/// the right form (an impossible date), and parsing goes on. Returns the customer when there was no
/// problem; otherwise the problems and, when the repaired JSON parses, the repaired customer, so that
/// the rules can be checked too (on every field but the reported ones).
pub(super) fn parse_all(json: &[u8]) -> Result<Customer, (Option<Customer>, Vec<ValidationError>)> {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let first = match serde_path_to_error::deserialize::<_, Customer>(&mut deserializer) {
        Ok(customer) => {
            return match deserializer.end() {
                Ok(()) => Ok(customer),
                Err(_) => Err((
                    None,
                    vec![ValidationError::new("", ValidationErrorKind::InvalidJson)],
                )),
            };
        }
        Err(error) => error,
    };
    let mut errors = vec![parse_error(&first)];
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(json) else {
        return Err((None, errors)); // not JSON: nothing more can be read
    };
    let mut last = first;
    // Each round takes one field out or fixes its form: the rounds are bounded by the input's size.
    for _ in 0..256 {
        if !repair(&mut value, &last) {
            return Err((None, errors));
        }
        match serde_path_to_error::deserialize::<_, Customer>(&value) {
            Ok(customer) => return Err((Some(customer), errors)),
            Err(error) => {
                let mut found = parse_error(&error);
                if let Some(name) = unknown_key(&error)
                    && let ValidationErrorKind::UnknownField { line, column, .. } = &mut found.kind
                {
                    // Parsed from a value, serde knows no position: the key's own, when it is unique.
                    (*line, *column) = position_of_key(json, &name).unwrap_or((0, 0));
                }
                // A field set aside and reported once, now missing: the rest cannot be read.
                let again = errors.contains(&found)
                    || (!matches!(found.kind, ValidationErrorKind::UnknownField { .. })
                        && errors.iter().any(|e| e.path == found.path));
                if again {
                    return Err((None, errors));
                }
                errors.push(found);
                last = error;
            }
        }
    }
    Err((None, errors))
}

fn unknown_key<E: std::fmt::Display>(error: &serde_path_to_error::Error<E>) -> Option<String> {
    let message = error.inner().to_string();
    quoted_after(&message, "unknown field `").map(str::to_owned)
}

/// Takes the problem of `error` out of `value`; false when it cannot (a missing field, a syntax error).
fn repair<E: std::fmt::Display>(
    value: &mut serde_json::Value,
    error: &serde_path_to_error::Error<E>,
) -> bool {
    let mut steps = Vec::new();
    for segment in error.path().iter() {
        match segment {
            Segment::Seq { index } => steps.push(Step::Index(*index)),
            Segment::Map { key } => steps.push(Step::Key(key.clone())),
            Segment::Enum { variant } => steps.push(Step::Key(variant.clone())),
            Segment::Unknown => return false,
        }
    }
    let message = error.inner().to_string();
    if message.starts_with("missing field") || message.starts_with("duplicate field") {
        return false;
    }
    if let Some(key) = unknown_key(error) {
        if matches!(steps.last(), Some(Step::Key(k)) if *k == key) {
            steps.pop();
        }
        return match at(value, &steps) {
            Some(serde_json::Value::Object(object)) => object.remove(&key).is_some(),
            _ => false,
        };
    }
    let Some(Step::Key(field)) = steps.pop() else {
        return false;
    };
    let Some(serde_json::Value::Object(parent)) = at(value, &steps) else {
        return false;
    };
    let placeholder = if DATE_FIELDS.contains(&field.as_str()) {
        Some("2000-01-01")
    } else if TIMESTAMP_FIELDS.contains(&field.as_str()) {
        Some("2000-01-01T00:00:00Z")
    } else {
        None
    };
    match placeholder {
        // A required date: a placeholder of the right form lets the rest be read.
        Some(text) if parent.get(&field).is_some_and(|v| v.as_str() != Some(text)) => {
            parent.insert(field, serde_json::Value::String(text.to_owned()));
            true
        }
        Some(_) => false,
        None => parent.remove(&field).is_some(),
    }
}

fn at<'v>(value: &'v mut serde_json::Value, steps: &[Step]) -> Option<&'v mut serde_json::Value> {
    let mut node = value;
    for step in steps {
        node = match step {
            Step::Key(key) => node.as_object_mut()?.get_mut(key)?,
            Step::Index(index) => node.as_array_mut()?.get_mut(*index)?,
        };
    }
    Some(node)
}

/// Line and column (1-based) of the key `name` in the JSON text, when it appears as a key exactly once.
fn position_of_key(json: &[u8], name: &str) -> Option<(usize, usize)> {
    let quoted = serde_json::to_string(name).ok()?;
    let text = std::str::from_utf8(json).ok()?;
    let mut found = text
        .match_indices(quoted.as_str())
        .filter(|(i, _)| text[i + quoted.len()..].trim_start().starts_with(':'));
    let (offset, _) = found.next()?;
    if found.next().is_some() {
        return None;
    }
    // serde's own position for an unknown key: the key's closing quote.
    let before = &text[..offset + quoted.len() - 1];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, column))
}
