//! Wire tests: each generated client, pointed at a local httpmock server, must send exactly the method,
//! path, credentials and body that the vendor documents, and decode the vendor's example answer.
//!
//! Expected bodies are the vendors' documents, copied from their documentation into
//! `tests/fixtures/wire/<vendor>/` (one file per document, its source URL in the folder's `README.md`;
//! `fixtures.rs` checks the folders); they are never produced by the generated types themselves.

mod common;

mod crossmint;
mod crossmint_surface;
mod cryptopocket;
mod cryptopocket_surface;
mod fixtures;
mod kriptomat;
mod kriptomat_surface;
mod leap;
mod leap_surface;
mod streamed_bodies;
mod sumsub;
