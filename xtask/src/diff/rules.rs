//! The rule table: every rule id with its two fixed judgments (wire, Rust API) and why, and the levels
//! they are judged on. Rule ids reuse oasdiff's check ids where one fits; the rest are rampkit's own.

/// How much a change matters, from least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    None,
    Docs,
    Additive,
    Breaking,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Docs => "docs",
            Level::Additive => "additive",
            Level::Breaking => "breaking",
        }
    }
}

use Level::{Additive as A, Breaking as B, Docs as D, None as N};

/// Every rule: id, wire judgment, Rust-API judgment, and why.
///
/// The Rust-API judgments assume the generated surface: response structs and all generated enums are
/// `#[non_exhaustive]` (so new response fields and enum values compile); request structs are
/// `#[non_exhaustive]` too and built with `new(required…)` plus a `with_<field>` method per optional
/// property (so a new optional property is one more method, a new required one one more argument);
/// operations are methods taking the path parameters, the required query parameters and the body
/// positionally, and returning a call with one method per optional query parameter (so a new optional
/// parameter is one more method, any other new or removed parameter changes the arguments).
///
/// Each judgment is proved by compiling: `cargo xtask rule-proofs` builds a consumer written against the
/// crate before the rule's spec edit and checks it compiles against the regenerated crate exactly when
/// the Rust judgment is not breaking (xtask/src/proofs/).
#[rustfmt::skip]
pub const RULES: &[(&str, Level, Level, &str)] = &[
    // Operations.
    ("endpoint-added", A, A, "a new client method"),
    (
        "api-removed-without-deprecation",
        B,
        B,
        "the client method disappears",
    ),
    (
        "api-removed-with-deprecation",
        B,
        B,
        "the client method disappears",
    ),
    (
        "api-path-removed-without-deprecation",
        B,
        B,
        "the client method disappears",
    ),
    (
        "api-path-removed-with-deprecation",
        B,
        B,
        "the client method disappears",
    ),
    (
        "api-operation-id-changed",
        N,
        B,
        "the client method is renamed",
    ),
    (
        "api-operation-path-changed",
        B,
        N,
        "old clients call the old path",
    ),
    (
        "api-operation-method-changed",
        B,
        N,
        "old clients use the old method",
    ),
    (
        "api-host-changed",
        B,
        N,
        "old clients send it to the old host",
    ),
    (
        "api-idempotency-changed",
        A,
        D,
        "the runtime retries it differently",
    ),
    (
        "api-confidence-changed",
        D,
        D,
        "OperationMeta::confidence changes",
    ),
    ("api-source-changed", D, D, "OperationMeta::source changes"),
    ("api-summary-changed", D, D, "documentation only"),
    ("api-description-changed", D, D, "documentation only"),
    // Parameters.
    (
        "new-required-request-parameter",
        B,
        B,
        "old clients do not send it; a new method argument",
    ),
    (
        "new-optional-request-parameter",
        A,
        A,
        "one more method of the operation's call; the method's arguments stay",
    ),
    (
        "request-parameter-removed",
        A,
        B,
        "a method argument disappears",
    ),
    (
        "request-parameter-became-required",
        B,
        B,
        "old clients may omit it; a method of the call becomes an argument",
    ),
    (
        "request-parameter-became-optional",
        A,
        B,
        "an argument becomes a method of the call",
    ),
    (
        "request-parameter-type-changed",
        B,
        B,
        "a different type on the wire and in Rust",
    ),
    (
        "request-parameter-enum-value-added",
        A,
        A,
        "a new variant of a non-exhaustive enum",
    ),
    (
        "request-parameter-enum-value-removed",
        B,
        B,
        "old clients may send it; a variant disappears",
    ),
    (
        "request-parameter-identifier-changed",
        N,
        B,
        "the method takes another type (`x-identifier-type`): a typed identifier or a string",
    ),
    // Request bodies.
    (
        "request-body-added-required",
        B,
        B,
        "old clients send no body; a new method argument",
    ),
    ("request-body-added-optional", A, B, "a new method argument"),
    ("request-body-removed", B, B, "a method argument disappears"),
    (
        "request-body-became-required",
        B,
        N,
        "old clients may send no body",
    ),
    (
        "request-body-became-optional",
        A,
        N,
        "the vendor accepts more",
    ),
    (
        "request-body-type-changed",
        B,
        B,
        "the body schema was replaced",
    ),
    (
        "new-required-request-property",
        B,
        B,
        "old clients do not send it; one more argument of `new`",
    ),
    (
        "new-optional-request-property",
        A,
        A,
        "one more `with_` method of a non-exhaustive struct; `new` keeps its arguments",
    ),
    (
        "request-property-removed",
        B,
        B,
        "old clients still send it; a struct field (and its argument or `with_` method) disappears",
    ),
    (
        "request-property-became-required",
        B,
        B,
        "old clients may omit it; one more argument of `new`, `Option<T>` becomes `T`",
    ),
    (
        "request-property-became-optional",
        A,
        B,
        "one argument of `new` fewer, `T` becomes `Option<T>`",
    ),
    (
        "request-property-type-changed",
        B,
        B,
        "a different type on the wire and in Rust",
    ),
    (
        "request-property-enum-value-added",
        A,
        A,
        "a new variant of a non-exhaustive enum",
    ),
    (
        "request-property-enum-value-removed",
        B,
        B,
        "old clients may send it; a variant disappears",
    ),
    (
        "request-property-pii-added",
        N,
        B,
        "now redacted: `String` becomes `Pii`",
    ),
    (
        "request-property-pii-removed",
        N,
        B,
        "no longer redacted: `Pii` becomes a plain type",
    ),
    (
        "request-property-base64-document-added",
        N,
        B,
        "now a `Base64Document`",
    ),
    (
        "request-property-base64-document-removed",
        N,
        B,
        "no longer a `Base64Document`",
    ),
    // Responses.
    (
        "response-success-status-added",
        A,
        N,
        "one more success status",
    ),
    (
        "response-success-status-removed",
        B,
        B,
        "old clients expect it",
    ),
    (
        "response-non-success-status-added",
        A,
        N,
        "one more error status",
    ),
    (
        "response-non-success-status-removed",
        A,
        N,
        "one error status fewer",
    ),
    (
        "response-body-type-changed",
        B,
        B,
        "the response schema was replaced",
    ),
    (
        "response-error-body-type-changed",
        B,
        N,
        "no method names the error body: callers pick its type in `Error::vendor_body::<T>()`",
    ),
    (
        "response-optional-property-added",
        A,
        A,
        "a new field of a non-exhaustive struct",
    ),
    (
        "response-required-property-added",
        A,
        A,
        "a new field of a non-exhaustive struct",
    ),
    (
        "response-optional-property-removed",
        A,
        B,
        "old clients decode `None`; a struct field disappears",
    ),
    (
        "response-required-property-removed",
        B,
        B,
        "old clients fail to decode; a struct field disappears",
    ),
    (
        "response-property-became-optional",
        B,
        B,
        "old clients fail when it is absent; `T` becomes `Option<T>`",
    ),
    (
        "response-property-became-required",
        A,
        B,
        "`Option<T>` becomes `T`",
    ),
    (
        "optional-property-nullable-changed",
        D,
        D,
        "an optional property is `Option<T>` either way and null decodes as absent",
    ),
    (
        "response-property-type-changed",
        B,
        B,
        "a different type on the wire and in Rust",
    ),
    (
        "response-property-enum-value-added",
        A,
        A,
        "decodes as `Unknown` in old clients; a new variant of a non-exhaustive enum",
    ),
    (
        "response-property-enum-value-removed",
        A,
        B,
        "never sent any more; a variant disappears",
    ),
    (
        "response-property-pii-added",
        N,
        B,
        "now redacted: a plain type becomes `Pii`",
    ),
    (
        "response-property-pii-removed",
        N,
        B,
        "no longer redacted: `Pii` becomes a plain type",
    ),
    (
        "response-property-base64-document-added",
        N,
        B,
        "now a `Base64Document`",
    ),
    (
        "response-property-base64-document-removed",
        N,
        B,
        "no longer a `Base64Document`",
    ),
    ("webhook-event-added", A, A, "a new payload type"),
    ("webhook-event-removed", B, B, "the payload type disappears"),
    // The document.
    ("api-server-added", A, A, "a new base-URL constant"),
    (
        "api-server-removed",
        B,
        B,
        "the base-URL constant disappears",
    ),
    (
        "api-server-url-changed",
        B,
        N,
        "old clients default to the old URL",
    ),
    ("api-info-version-changed", D, D, "API_VERSION changes"),
    ("description-changed", D, D, "documentation only"),
    (
        "unused-schema-changed",
        N,
        B,
        "no operation or webhook sends or receives it; its generated type (neither request nor response, so not non-exhaustive) changes",
    ),
    ("example-changed", D, D, "documentation only"),
    (
        "unclassified-change",
        B,
        B,
        "the specs differ in a way no rule knows: review by hand",
    ),
];

pub fn judgments(rule: &str) -> (Level, Level) {
    RULES
        .iter()
        .find(|r| r.0 == rule)
        .map(|r| (r.1, r.2))
        .unwrap_or_else(|| panic!("rule `{rule}` is not in diff::RULES"))
}
