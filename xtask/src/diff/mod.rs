//! `cargo xtask diff`: a semantic comparison of two versions of a spec, each change classified twice —
//! for the wire (does a client generated from the old spec still work against the vendor's new API?) and
//! for the Rust API (does code written against the old crate still compile against the regenerated one?).
//!
//! Rule ids reuse oasdiff's check ids where one fits (`request-property-removed`,
//! `response-property-enum-value-added`, `api-path-removed-without-deprecation`, …); the rest are
//! rampkit's own (`api-server-url-changed`, `response-property-pii-removed`, …). Every rule has fixed
//! judgments, listed in [`rules::RULES`].
//!
//! - [`rules`]: rule ids, levels and judgments; [`change`]: one classified change;
//! - [`engine`]: two parsed documents in, classified changes out (no files, no git, no provider);
//! - [`input`]: specs from text and from git revisions; [`facade`]: facade code naming a generated type;
//!   [`version`]: crate versions and the bump a level calls for;
//! - [`report`]: one provider's report; [`render`]: text, JSON and Markdown; [`command`]: the CLI.

pub mod change;
pub mod command;
pub mod engine;
pub mod facade;
pub mod input;
pub mod render;
pub mod report;
pub mod rules;
pub mod version;

#[cfg(test)]
mod tests;
