//! Reading customer files: one JSON document, JSON Lines, or a directory of them; malformed JSON named
//! by file, line and column, never by its text.

use std::fmt;
use std::path::{Path, PathBuf};

use rampkit::batch::{BatchCustomer, derived_reference};
use rampkit::validation::looks_like_a_key;
use rampkit::{Customer, ProviderReferences, ValidationContext, ValidationErrors};

use crate::exit::Failure;

/// One customer read from the input: where it came from, and the customer or why it is not one.
pub struct Entry {
    /// `file` or `file:line` (JSON Lines): how the customer is named in every output line.
    pub label: String,
    pub parsed: Result<BatchCustomer, Problem>,
}

/// Why an entry is not a customer.
pub enum Problem {
    /// Not JSON: where the syntax breaks, and serde_json's fixed description of what it expected.
    Malformed {
        line: usize,
        column: usize,
        reason: String,
    },
    /// JSON, but not a canonical customer (a missing or unknown field, a wrong type): the field's path.
    Invalid(ValidationErrors),
    /// A customer line (`{"reference", "customer", "providers"}`) whose reference or providers are not
    /// well formed: the JSON path, never the value.
    Line(String),
    /// The bytes are not UTF-8 (UTF-16, Latin-1, …): what was found and where, never the text.
    Encoding(String),
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Malformed {
                line,
                column,
                reason,
            } => write!(
                f,
                "malformed JSON at line {line}, column {column}: {reason}"
            ),
            Problem::Invalid(errors) => write!(f, "{errors}"),
            Problem::Line(problem) | Problem::Encoding(problem) => f.write_str(problem),
        }
    }
}

/// Parses one JSON document: a canonical customer (`{"person": …}`), or a customer line
/// (`{"reference", "customer", "providers"}`, as `onboard --journal` takes them). `first_line` is the
/// document's line in its file (JSON Lines), so that a syntax error's line is the file's.
///
/// With a `check` context, the customer's rules are checked too, in the same pass as its structure
/// ([`Customer::check_json`]): every problem at once.
pub fn parse(
    bytes: &[u8],
    first_line: usize,
    check: Option<&ValidationContext>,
) -> Result<BatchCustomer, Problem> {
    if let Some(encoding) = utf16(bytes) {
        return Err(Problem::Encoding(format!(
            "the file is {encoding}, not UTF-8: save it as UTF-8"
        )));
    }
    // A UTF-8 byte-order mark (some editors write one) says nothing JSON does not.
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Err(error) = std::str::from_utf8(bytes) {
        let before = &bytes[..error.valid_up_to()];
        let line = first_line + before.iter().filter(|b| **b == b'\n').count();
        return Err(Problem::Encoding(format!(
            "not UTF-8 at line {line} (a legacy encoding such as Latin-1 or Windows-1252?): save the file as UTF-8"
        )));
    }
    // A syntax check first: serde_json's syntax messages are fixed texts ("expected `,` or `}`"),
    // never the input, and give the position.
    if let Err(error) = serde_json::from_slice::<serde::de::IgnoredAny>(bytes) {
        let text = error.to_string();
        let reason = match text.find(" at line ") {
            Some(at) => text[..at].to_owned(),
            None => text,
        };
        return Err(Problem::Malformed {
            line: error.line() + first_line - 1,
            column: error.column(),
            reason,
        });
    }
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|_| Problem::Malformed {
            line: first_line,
            column: 1,
            reason: "not JSON".to_owned(),
        })?;
    let Some(object) = value.as_object().filter(|o| o.contains_key("customer")) else {
        let customer = customer_of(bytes, check)?;
        return Ok(BatchCustomer {
            reference: derived_reference(&customer),
            customer,
            providers: ProviderReferences::default(),
            line: first_line,
        });
    };
    customer_line(object, first_line, check)
}

fn customer_of(bytes: &[u8], check: Option<&ValidationContext>) -> Result<Customer, Problem> {
    match check {
        Some(context) => Customer::check_json(bytes, context),
        None => Customer::from_json(bytes),
    }
    .map_err(Problem::Invalid)
}

/// A customer line (`{"reference", "customer", "providers"}`): the customer is checked as a customer
/// (every problem, with field paths), the reference and providers as a line.
fn customer_line(
    object: &serde_json::Map<String, serde_json::Value>,
    line: usize,
    check: Option<&ValidationContext>,
) -> Result<BatchCustomer, Problem> {
    if let Some(key) = object
        .keys()
        .find(|k| !matches!(k.as_str(), "reference" | "customer" | "providers"))
    {
        let shown = if looks_like_a_key(key) {
            format!("`{key}`")
        } else {
            "a key".to_owned()
        };
        return Err(Problem::Line(format!(
            "{shown} is not a field of a customer line (reference, customer, providers)"
        )));
    }
    let reference = match object.get("reference") {
        Some(serde_json::Value::String(r))
            if !r.is_empty() && r.len() <= 128 && !r.chars().any(char::is_control) =>
        {
            r.clone()
        }
        _ => {
            return Err(Problem::Line(
                "`reference` must be 1 to 128 characters without control characters".to_owned(),
            ));
        }
    };
    let providers: ProviderReferences = match object.get("providers") {
        None => ProviderReferences::default(),
        Some(value) => serde_path_to_error::deserialize(value.clone()).map_err(|e| {
            Problem::Line(format!(
                "`providers.{}` is missing, unknown or of the wrong type",
                e.path()
            ))
        })?,
    };
    let customer_json = serde_json::to_vec(&object["customer"]).unwrap_or_default();
    let customer = customer_of(&customer_json, check)?;
    Ok(BatchCustomer {
        reference,
        customer,
        providers,
        line,
    })
}

/// Reads a file's bytes; an unreadable file is a usage error naming the path.
pub fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|error| {
        Failure::usage(format!("cannot read {}: {}", path.display(), error.kind()))
    })
}

pub fn is_jsonl(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "jsonl" || e == "ndjson")
}

/// UTF-16 (with or without its byte-order mark): JSON files are UTF-8, and UTF-16 would read as
/// "malformed JSON at line 1, column 1".
fn utf16(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0xFF, 0xFE, ..] | [b'{' | b'[' | b' ' | b'\n', 0, ..] => Some("UTF-16 (little-endian)"),
        [0xFE, 0xFF, ..] | [0, b'{' | b'[' | b' ' | b'\n', ..] => Some("UTF-16 (big-endian)"),
        _ => None,
    }
}

/// The customers of one file: one for `.json`, one per non-blank line for `.jsonl`. A UTF-8 byte-order
/// mark is skipped; a UTF-16 file is one entry naming its encoding.
pub fn entries_of_file(
    path: &Path,
    check: Option<&ValidationContext>,
) -> Result<Vec<Entry>, Failure> {
    let bytes = read(path)?;
    let name = path.display().to_string();
    if let Some(encoding) = utf16(&bytes) {
        return Ok(vec![Entry {
            label: name,
            parsed: Err(Problem::Encoding(format!(
                "the file is {encoding}, not UTF-8: save it as UTF-8"
            ))),
        }]);
    }
    if !is_jsonl(path) {
        return Ok(vec![Entry {
            label: name,
            parsed: parse(&bytes, 1, check),
        }]);
    }
    Ok(bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
        .map(|(index, line)| Entry {
            label: format!("{name}:{}", index + 1),
            parsed: parse(line, index + 1, check),
        })
        .collect())
}

/// The customers of a file or of every `.json` / `.jsonl` file of a directory (sorted by name, not
/// recursive).
pub fn entries(path: &Path) -> Result<Vec<Entry>, Failure> {
    if !path.is_dir() {
        return entries_of_file(path, None);
    }
    let listing = std::fs::read_dir(path).map_err(|error| {
        Failure::usage(format!("cannot read {}: {}", path.display(), error.kind()))
    })?;
    let mut files: Vec<PathBuf> = listing
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .is_some_and(|e| e == "json" || e == "jsonl" || e == "ndjson")
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Failure::usage(format!(
            "{} holds no .json or .jsonl file",
            path.display()
        )));
    }
    let mut all = Vec::new();
    for file in files {
        all.extend(entries_of_file(&file, None)?);
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_json_names_line_and_column_not_the_text() {
        let text = b"{\n  \"person\": {\n    \"email\": \"secret.value@example.com\" \"x\"\n}";
        let Err(Problem::Malformed {
            line,
            column,
            reason,
        }) = parse(text, 1, None)
        else {
            panic!("not malformed");
        };
        assert_eq!((line, column), (3, 41));
        assert_eq!(reason, "expected `,` or `}`");
        // In a JSON Lines file, the line is the file's.
        let Err(Problem::Malformed { line, .. }) = parse(b"{\"person\": ", 7, None) else {
            panic!("not malformed");
        };
        assert_eq!(line, 7);
    }
}
