//! Per-operation metadata, emitted by the generator into each client crate's `operations` module.

/// How sure the spec is of an operation (`x-confidence` in the spec).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Confidence {
    /// Stated on the vendor's current documentation.
    Confirmed,
    /// Stated only in an older version of the vendor's documentation.
    OlderDocs,
    /// A reasoned guess; verify in the vendor's sandbox.
    Inferred,
}

impl Confidence {
    /// The spec spelling: `confirmed`, `older-docs` or `inferred`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::OlderDocs => "older-docs",
            Self::Inferred => "inferred",
        }
    }
}

/// One operation of a vendor API, as written in the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OperationMeta {
    /// The spec's `operationId`, also the client method name.
    pub id: &'static str,
    /// HTTP method, upper case.
    pub method: &'static str,
    /// Path below the base URL, with `{placeholders}`.
    pub path: &'static str,
    /// `x-confidence`.
    pub confidence: Confidence,
    /// `x-source`: the vendor documentation the operation is taken from.
    pub source: &'static str,
    /// Whether repeating the call is safe: GET, PUT, DELETE, HEAD, or a POST marked `x-idempotent: true`.
    pub idempotent: bool,
    /// Whether the call carries credentials (`security: []` in the spec marks a login call that does not).
    pub authenticated: bool,
}
