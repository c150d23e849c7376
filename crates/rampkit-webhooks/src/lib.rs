#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod headers;
mod payload;
mod signature;

pub mod crossmint;
pub mod cryptopocket;
pub mod kriptomat;
pub mod leap;

pub use crossmint::{CrossmintEvent, SvixSecret};
pub use cryptopocket::CryptoPocketEvent;
pub use error::{UndecodablePayload, WebhookError};
pub use headers::HeaderLookup;
pub use kriptomat::KriptomatEvent;
pub use leap::LeapEvent;
pub use signature::TIMESTAMP_TOLERANCE;

/// The `http` crate this one implements [`HeaderLookup`] for, so that callers name the same `HeaderMap`.
pub use http;
/// The secret type the `verify` functions take (the one `rampkit-runtime` holds credentials in).
pub use secrecy::SecretString;
