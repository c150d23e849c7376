//! Per-operation metadata, emitted by the generator into each client crate's `operations` module.

/// How sure the spec is of an operation (`x-confidence` in the spec).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Confidence {
    /// Stated on the vendor's current documentation.
    Confirmed,
    /// Stated only in an older version of the vendor's documentation.
    OlderDocs,
    /// Stated only in a vendor-written specification the vendor does not publish as its API reference
    /// (e.g. Leap's `partner_full` / `partner_send` swagger files): the vendor's own words, but not a
    /// contract it has published; confirm with the vendor before relying on it.
    UnpublishedSpec,
    /// A reasoned guess; verify in the vendor's sandbox.
    Inferred,
}

impl Confidence {
    /// The spec spelling: `confirmed`, `older-docs`, `unpublished-spec` or `inferred`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Confirmed => "confirmed",
            Self::OlderDocs => "older-docs",
            Self::UnpublishedSpec => "unpublished-spec",
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
