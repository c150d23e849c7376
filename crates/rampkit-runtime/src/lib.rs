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
//! - [`auth`] — the per-provider credentials and the pre-request hook that puts them on each request.
//! - [`meta`] — per-operation metadata (method, path, confidence, vendor source) the generator emits.

pub mod auth;
mod base64_document;
pub mod meta;
mod open_enum;
mod pii;

pub use base64_document::{Base64Document, Base64DocumentError};
pub use pii::{Pii, REDACTED};

#[doc(hidden)]
pub mod __private {
    pub use serde;
}
