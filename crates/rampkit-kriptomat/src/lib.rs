#![doc = include_str!("../README.md")]
//!
//! ## Layout
//!
//! - [`Client`], [`types`] and [`operations`] are generated from the spec (`src/generated.rs`, never
//!   edited by hand; `SPEC_PATH` names the spec shipped in this package);
//! - [`auth`] holds this provider's credentials (hand-written);
//! - everything needed to build and call a client is re-exported here, so this crate is the only
//!   dependency a service needs.

mod generated;

pub mod auth;

pub use auth::{KriptomatAuth, KriptomatCredentials};
pub use generated::*;
pub use rampkit_runtime::{
    Base64Document, Context, Environment, Error, ErrorKind, Pii, RateLimit, RateLimits, RetryPolicy,
};
