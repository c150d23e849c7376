//! Tests of `cargo xtask upstream`.
