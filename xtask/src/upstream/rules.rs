//! The rules `upstream` adds to `xtask diff`'s table, for what only a comparison with a vendor's own
//! files can see. Every other item carries a `diff` rule with its judgments unchanged.

use crate::diff::rules::Level::{self, Additive as A, Breaking as B, Docs as D, None as N};

/// `upstream`'s own rules: id, wire judgment, Rust-API judgment, and why. Read "wire" as "does our
/// client work against what the vendor's file describes", "Rust API" as "would adopting the vendor's
/// version break code written against our crate".
#[rustfmt::skip]
pub const RULES: &[(&str, Level, Level, &str)] = &[
    ("exclusion-contradicted", A, N, "the vendor's file contradicts the fact an exclusion rests on: the operation may belong in the spec"),
    ("api-security-scope-added", D, D, "the vendor's file requires a scope `x-scopes` does not list"),
    ("api-security-scope-removed", D, D, "`x-scopes` lists a scope the vendor's file (the one `x-source` cites) does not"),
    ("api-deprecated", D, D, "the vendor deprecates an operation the client calls"),
    ("vendor-request-example-invalid", B, N, "the vendor's own request example does not fit the spec's request schema"),
    ("vendor-response-example-invalid", B, N, "the vendor's own answer does not fit the spec's response schema: the client may fail to decode it"),
];

/// The judgments of `rule`: `upstream`'s own rules first, then `xtask diff`'s table.
pub fn judgments(rule: &str) -> (Level, Level) {
    RULES
        .iter()
        .find(|r| r.0 == rule)
        .map(|r| (r.1, r.2))
        .unwrap_or_else(|| crate::diff::rules::judgments(rule))
}
