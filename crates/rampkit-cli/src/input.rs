//! Reading customer files: one JSON document, JSON Lines, or a directory of them; malformed JSON named
//! by file, line and column, never by its text.

use std::fmt;
use std::path::{Path, PathBuf};

use rampkit::{Customer, ValidationErrors};

use crate::exit::Failure;

/// One customer read from the input: where it came from, and the customer or why it is not one.
pub struct Entry {
    /// `file` or `file:line` (JSON Lines): how the customer is named in every output line.
    pub label: String,
    pub parsed: Result<Customer, Problem>,
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
        }
    }
}

/// Parses one JSON document. `first_line` is the document's line in its file (JSON Lines), so that a
/// syntax error's line is the file's.
pub fn parse(bytes: &[u8], first_line: usize) -> Result<Customer, Problem> {
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
    Customer::from_json(bytes).map_err(Problem::Invalid)
}

/// Reads a file's bytes; an unreadable file is a usage error naming the path.
pub fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|error| {
        Failure::usage(format!("cannot read {}: {}", path.display(), error.kind()))
    })
}

fn is_jsonl(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e == "jsonl" || e == "ndjson")
}

/// The customers of one file: one for `.json`, one per non-blank line for `.jsonl`.
pub fn entries_of_file(path: &Path) -> Result<Vec<Entry>, Failure> {
    let bytes = read(path)?;
    let name = path.display().to_string();
    if !is_jsonl(path) {
        return Ok(vec![Entry {
            label: name,
            parsed: parse(&bytes, 1),
        }]);
    }
    Ok(bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .filter(|(_, line)| !line.iter().all(u8::is_ascii_whitespace))
        .map(|(index, line)| Entry {
            label: format!("{name}:{}", index + 1),
            parsed: parse(line, index + 1),
        })
        .collect())
}

/// The customers of a file or of every `.json` / `.jsonl` file of a directory (sorted by name, not
/// recursive).
pub fn entries(path: &Path) -> Result<Vec<Entry>, Failure> {
    if !path.is_dir() {
        return entries_of_file(path);
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
        all.extend(entries_of_file(&file)?);
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
        }) = parse(text, 1)
        else {
            panic!("not malformed");
        };
        assert_eq!((line, column), (3, 41));
        assert_eq!(reason, "expected `,` or `}`");
        // In a JSON Lines file, the line is the file's.
        let Err(Problem::Malformed { line, .. }) = parse(b"{\"person\": ", 7) else {
            panic!("not malformed");
        };
        assert_eq!(line, 7);
    }
}
