//! rampkit: typed clients for crypto on-ramp, off-ramp and KYC-sharing providers.
//!
//! This facade re-exports the generated provider clients. The canonical customer model, validation,
//! per-provider conversions, status normalisation and onboarding flows come next.

pub use rampkit_crossmint as crossmint;
pub use rampkit_cryptopocket as cryptopocket;
pub use rampkit_kriptomat as kriptomat;
pub use rampkit_leap as leap;
pub use rampkit_runtime as runtime;
pub use rampkit_sumsub as sumsub;
