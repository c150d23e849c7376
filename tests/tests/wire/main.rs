//! Wire tests: each generated client, pointed at a local httpmock server, must send exactly the method,
//! path, credentials and body that the vendor documents, and decode the vendor's example answer.
//!
//! Expected bodies are literal JSON copied from the vendor documentation (`../shared/seeds/`,
//! `../shared/providers/`), with the vendor URL beside each; they are never produced by the generated
//! types themselves.

mod common;

mod crossmint;
mod crossmint_surface;
mod cryptopocket;
mod cryptopocket_surface;
mod kriptomat;
mod kriptomat_surface;
mod leap;
mod leap_surface;
mod streamed_bodies;
mod sumsub;
