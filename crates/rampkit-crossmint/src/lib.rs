#![doc = include_str!("../README.md")]
//!
//! ## Layout
//!
//! - [`Client`], [`types`] and [`operations`] are generated from the spec (`src/generated.rs`, never
//!   edited by hand; `SPEC_PATH` names the spec shipped in this package);
//! - [`auth`] holds this provider's credentials, [`UserLocator`] the typed user locator (hand-written);
//! - the `client` feature (on by default) is the HTTP client; without it the crate is the types, the
//!   constants and the operations table, with no HTTP stack (as `rampkit-webhooks` uses it);
//! - everything needed to build and call a client is re-exported here, so this crate is the only
//!   dependency a service needs.

mod generated;
mod locator;

#[cfg(feature = "client")]
pub mod auth;

#[cfg(feature = "client")]
pub use auth::CrossmintAuth;
pub use generated::*;
pub use locator::{InvalidUserLocator, UserLocator};
pub use rampkit_runtime::{Base64Document, Error, ErrorKind, Pii};
#[cfg(feature = "client")]
pub use rampkit_runtime::{Context, Environment, RateLimit, RateLimits, RetryPolicy};
