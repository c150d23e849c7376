//! The batch's input: one [`BatchCustomer`] per JSONL line.

use std::io::BufRead;

use serde::{Deserialize, Serialize};

use crate::customer::Customer;
use crate::providers::ProviderReferences;

/// One line of a batch: the caller's reference, the canonical customer, and what the flows need
/// besides it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchCustomer {
    /// The caller's own id of the customer, unique in the batch.
    pub reference: String,
    /// The customer.
    pub customer: Customer,
    /// Per-provider references.
    #[serde(default, skip_serializing_if = "ProviderReferences::is_empty")]
    pub providers: ProviderReferences,
    /// The line it was read from ([`parse_line`]); 0 when it did not come from a file (reports then
    /// give its position in the input, from 1).
    #[serde(skip)]
    pub line: usize,
}

/// A line of the input that is not a [`BatchCustomer`]. The problem names the JSON path, never the
/// value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct LineError {
    /// The line number, from 1.
    pub line: usize,
    /// What is wrong.
    pub problem: String,
}

const MAX_REFERENCE_LEN: usize = 128;

/// Parses line `line` (numbered from 1) of a batch file: a [`BatchCustomer`] object, or a bare
/// canonical customer (`{"person": …}` / `{"company": …}`), whose reference is then
/// [`derived_reference`] and which has no provider references.
pub fn parse_line(line: usize, text: &str) -> Result<BatchCustomer, LineError> {
    let fail = |problem: String| LineError { line, problem };
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        fail(match e.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                format!("not JSON (column {})", e.column())
            }
            _ => "not JSON".to_owned(),
        })
    })?;
    let path_problem = |e: serde_path_to_error::Error<serde_json::Error>| {
        let path = e.path().to_string();
        fail(if path == "." {
            "not a batch line (an object with reference, customer and providers, or a customer)"
                .to_owned()
        } else {
            format!("`{path}` is missing, unknown or of the wrong type")
        })
    };
    let bare = value
        .as_object()
        .is_some_and(|o| o.contains_key("person") || o.contains_key("company"));
    let mut parsed = if bare {
        let customer: Customer = serde_path_to_error::deserialize(value).map_err(path_problem)?;
        BatchCustomer {
            reference: derived_reference(&customer),
            customer,
            providers: ProviderReferences::default(),
            line: 0,
        }
    } else {
        serde_path_to_error::deserialize::<_, BatchCustomer>(value).map_err(path_problem)?
    };
    parsed.line = line;
    if let Some(problem) = reference_problem(&parsed.reference) {
        return Err(fail(problem));
    }
    Ok(parsed)
}

/// Why a reference is refused: 1 to 128 characters without control characters.
fn reference_problem(reference: &str) -> Option<String> {
    (reference.is_empty()
        || reference.len() > MAX_REFERENCE_LEN
        || reference.chars().any(char::is_control))
    .then(|| {
        format!(
            "`reference` must be 1 to {MAX_REFERENCE_LEN} characters without control characters"
        )
    })
}

impl BatchCustomer {
    /// `customer` under the caller's own `reference` (1 to 128 characters without control
    /// characters; not personal data: the journal and the reports name the customer by it), without
    /// provider references — for a service calling [`Onboarder::onboard`](super::Onboarder::onboard).
    pub fn new(reference: impl Into<String>, customer: Customer) -> Result<Self, LineError> {
        let reference = reference.into();
        if let Some(problem) = reference_problem(&reference) {
            return Err(LineError { line: 0, problem });
        }
        Ok(Self {
            reference,
            customer,
            providers: ProviderReferences::default(),
            line: 0,
        })
    }

    /// With what the flows need beyond the customer (the Kriptomat user id, Crossmint's consent time).
    pub fn with_references(mut self, providers: ProviderReferences) -> Self {
        self.providers = providers;
        self
    }
}

/// The reference of a customer given without one: `rampkit-` and the first 16 hex digits of the
/// SHA-256 of its trimmed, lower-cased e-mail address (stable across runs; the address itself is never
/// kept).
pub fn derived_reference(customer: &Customer) -> String {
    use sha2::{Digest, Sha256};
    let email = customer.email().expose_str().trim().to_lowercase();
    let digest = Sha256::digest(email.as_bytes());
    format!("rampkit-{}", &hex::encode(digest)[..16])
}

/// The lines of a JSONL batch file, parsed one by one as they are read (blank lines skipped). A line
/// that cannot be read (not UTF-8) is a [`LineError`] like a malformed one.
pub fn read_jsonl<R: BufRead>(reader: R) -> impl Iterator<Item = Result<BatchCustomer, LineError>> {
    reader.lines().enumerate().filter_map(|(index, line)| {
        let number = index + 1;
        match line {
            Ok(text) if text.trim().is_empty() => None,
            Ok(text) => Some(parse_line(number, &text)),
            Err(_) => Some(Err(LineError {
                line: number,
                problem: "not UTF-8 text".to_owned(),
            })),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_lines_name_the_line_and_path_never_the_value() {
        let error = parse_line(
            7,
            r#"{"reference": "c-1", "customer": {"person": {"email": "secret@x.test"}}}"#,
        )
        .unwrap_err();
        assert_eq!(error.line, 7);
        assert!(error.problem.contains("customer.person"), "{error}");
        assert!(!error.to_string().contains("secret"), "{error}");

        let error = parse_line(3, "{not json").unwrap_err();
        assert_eq!(error.line, 3);
        assert!(error.problem.starts_with("not JSON"), "{error}");

        let error = parse_line(
            4,
            r#"{"reference": "c-1", "customer": {"person": {}}, "colour": "x"}"#,
        )
        .unwrap_err();
        assert!(error.problem.contains('`'), "{error}");

        let error = parse_line(5, r#"{"reference": "", "customer": {"company": {}}}"#).unwrap_err();
        assert_eq!(error.line, 5);
    }

    #[test]
    fn a_bare_customer_line_gets_a_derived_reference() {
        let text = include_str!("../../../../tests/fixtures/customers/person_es_dni.json")
            .replace('\n', " ");
        let parsed = parse_line(9, &text).unwrap();
        assert_eq!(parsed.line, 9);
        assert!(
            parsed.reference.starts_with("rampkit-"),
            "{}",
            parsed.reference
        );
        assert_eq!(parsed.reference.len(), "rampkit-".len() + 16);
        assert_eq!(parsed.reference, derived_reference(&parsed.customer));
        assert!(!parsed.reference.contains("lucia"));
        assert_eq!(parsed.providers, ProviderReferences::default());
        let error = parse_line(2, r#"{"person": {"email": 5}}"#).unwrap_err();
        assert!(error.problem.starts_with("`person"), "{error}");
    }
}
