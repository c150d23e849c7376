//! Passes over progenitor's code that change it in place.

pub mod client_gate;
pub mod lean_requests;
pub mod missing_docs;
pub mod non_exhaustive;
pub mod raw_calls;
pub mod rustdoc;
pub mod strip_api_version;
