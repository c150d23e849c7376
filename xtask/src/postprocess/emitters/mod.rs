//! Code and text rampkit adds to progenitor's output.

pub mod builders;
pub mod calls;
pub mod client;
pub mod contract;
pub mod header;
pub mod open_enum;
pub mod operations;
