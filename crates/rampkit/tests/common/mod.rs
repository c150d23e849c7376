//! Fixture customers (`tests/fixtures/customers/*.json` at the workspace root) and a fixed "today".

#![allow(dead_code)]

use std::path::PathBuf;

use chrono::NaiveDate;
use rampkit::{Customer, Person, ValidationContext};
use serde_json::Value;

/// Every fixture customer, by file stem.
pub const FIXTURES: &[&str] = &[
    "person_es_dni",
    "person_us_ssn",
    "person_mx_two_surnames",
    "company_es",
];

/// The date the tests validate on, so that ages and expiries never drift.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

/// Validation on [`today`] for every provider.
pub fn context() -> ValidationContext {
    ValidationContext::new(today())
}

pub fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/customers")
        .join(format!("{name}.json"))
}

pub fn fixture_json(name: &str) -> String {
    let path = fixture_path(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn fixture_value(name: &str) -> serde_json::Value {
    serde_json::from_str(&fixture_json(name)).unwrap()
}

pub fn fixture(name: &str) -> Customer {
    Customer::from_json(fixture_json(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The Spanish DNI holder, the fixture with every field set.
pub fn spanish_person() -> Customer {
    fixture("person_es_dni")
}

pub fn person_mut(customer: &mut Customer) -> &mut Person {
    customer.as_person_mut().expect("a person fixture")
}

/// Every string and number leaf of a JSON value.
pub fn leaves(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Number(n) => out.push(n.to_string()),
        Value::Array(items) => items.iter().for_each(|v| leaves(v, out)),
        Value::Object(map) => map.values().for_each(|v| leaves(v, out)),
        Value::Bool(_) | Value::Null => {}
    }
}

/// Whether `needle` occurs in `haystack` other than inside a longer word or number (`es` in
/// `Coordinates` does not count; `es` standing alone would).
pub fn contains_token(haystack: &str, needle: &str) -> bool {
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    haystack.match_indices(needle).any(|(start, _)| {
        let before = haystack[..start].chars().next_back();
        let after = haystack[start + needle.len()..].chars().next();
        !is_word(before) && !is_word(after)
    })
}
