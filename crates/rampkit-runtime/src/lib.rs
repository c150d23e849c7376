//! Hand-written support that every generated rampkit client leans on.
//!
//! The generated crates (`rampkit-cryptopocket`, `rampkit-crossmint`, …) name the items of this crate by
//! absolute path:
//!
//! - [`Pii`] — every `format: pii` string of a spec. `Debug` and `Display` print [`REDACTED`]; serde is
//!   transparent, so the wire form is the plain value.
//! - [`Base64Document`] — every `format: base64-document` payload (identity-document images, selfies,
//!   uploaded files). Holds the raw bytes without copying them and writes base64 straight into the
//!   serialiser, with a `data:<mime>;base64,` prefix when built with [`Base64Document::data_uri`].
//! - [`open_enum_impls!`] — forward-compatible response enums: a value the spec does not list decodes into
//!   `Unknown(String)` instead of failing.
//! - [`Identifier`] — a provider's typed identifier (a Crossmint user locator), taken by the generated
//!   methods for the path and query parameters a spec marks `x-identifier-type`.
//! - [`auth`] — the per-provider credentials and the pre-request hook that puts them on each request.
//! - [`meta`] — per-operation metadata (method, path, confidence, vendor source) the generator emits.
//! - [`call`] — one call: credentials (login once, renew, log in again when a token is rejected),
//!   retries of idempotent operations ([`RetryPolicy`]), business errors returned with HTTP 200, and
//!   the one [`Error`] type, inside a `rampkit.call` tracing span. What the vendor answers is bounded:
//!   bodies up to [`BodyLimits`], `Retry-After` up to [`retry::MAX_RETRY_AFTER`], vendor codes only
//!   when they look like codes.
//! - [`transport`] — the shared `reqwest` client (rustls, timeouts, `rampkit/<version>` user agent, no
//!   redirects), [`transport::HttpClient`] for a client of your own, and [`Environment`].

#![cfg_attr(docsrs, feature(doc_cfg))]
// Without the `client` feature, the error builders only the call loop uses are idle.
#![cfg_attr(not(feature = "client"), allow(dead_code))]

#[cfg(feature = "client")]
mod attempt;
#[cfg(feature = "client")]
pub mod auth;
mod base64_document;
pub mod body;
#[cfg(feature = "client")]
mod body_limits;
#[cfg(feature = "client")]
mod call;
#[cfg(feature = "client")]
mod classify;
#[cfg(feature = "client")]
mod context;
#[cfg(feature = "client")]
mod credential;
mod deferred;
mod error;
mod identifier;
pub mod meta;
mod open_enum;
mod pii;
#[cfg(feature = "client")]
pub mod rate_limit;
#[cfg(feature = "client")]
mod response;
#[cfg(feature = "client")]
pub mod retry;
#[cfg(feature = "test-util")]
pub mod test_util;
#[cfg(feature = "client")]
mod token;
#[cfg(feature = "client")]
pub mod transport;

pub use base64_document::{Base64Document, Base64DocumentError};
pub use body::{JsonBody, to_json_body};
#[cfg(feature = "client")]
pub use body_limits::BodyLimits;
#[cfg(feature = "client")]
pub use call::{BusinessOutcome, ClientParts, call};
#[cfg(feature = "client")]
pub use classify::{kind_for_status, vendor_code_and_message};
#[cfg(feature = "client")]
pub use context::Context;
#[cfg(feature = "client")]
pub use error::TransportError;
pub use error::{DecodeError, Error, ErrorKind};
pub use identifier::Identifier;
pub use pii::{Pii, REDACTED};
#[cfg(feature = "client")]
pub use rate_limit::{
    BudgetError, OperationClass, RateLimit, RateLimits, SharedRateBudget, SlotWaits,
};
#[cfg(feature = "client")]
pub use response::{exec, response_value};
#[cfg(feature = "client")]
pub use retry::RetryPolicy;
#[cfg(feature = "client")]
pub use transport::Environment;

#[doc(hidden)]
pub mod __private {
    pub use serde;
}

/// The README's example, compiled and run as a doctest so that it stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
