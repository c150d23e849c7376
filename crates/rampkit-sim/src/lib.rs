#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// A refusal here is the vendor's HTTP answer itself (`Result<_, Response>`), built at most once per
// request: boxing it would add an allocation to satisfy a size lint.
#![allow(clippy::result_large_err)]

mod admin;
mod config;
mod counters;
mod faults;
mod hub;
mod ids;
mod kit;
mod limits;
mod persist;
mod progress;
mod record;
mod room;
mod server;
mod spec;
mod stubs;
pub mod vendors;
mod webhooks;
mod wire;

#[cfg(test)]
mod surface_tests;

pub use config::{ConfigError, SimConfig};
pub use counters::{CountersSnapshot, VendorCounters};
pub use faults::{FaultConfig, FaultKind};
pub use kit::{CustomerHandle, OperationHandle, VendorHandle};
pub use limits::RateLimit;
pub use progress::{Outcome, SimStatus};
pub use record::{MASKED, RecordedRequest};
pub use room::{ClientOptions, Section, SimClient, StatusError};
pub use server::{Simulator, serve};
pub use stubs::Stub;
pub use vendors::{UnknownVendor, Vendor, VendorConfigs};
