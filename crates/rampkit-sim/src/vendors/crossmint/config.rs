//! Crossmint's config section: the server API key it accepts, the Svix secret its webhooks are signed
//! with, faults and the documented rate limit.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::faults::FaultConfig;
use crate::limits::RateLimit;

/// `[crossmint]` in a config file. `Debug` prints no secret.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Server API key (`X-API-KEY`).
    pub api_key: String,
    /// Svix endpoint secret of the webhooks, `whsec_` followed by base64.
    pub webhook_secret: String,
    /// Random faults and latency.
    pub faults: FaultConfig,
    /// Crossmint documents 120 writes and 360 reads per minute per project
    /// (<https://docs.crossmint.com/introduction/platform/rate-limits>).
    pub rate_limit: RateLimit,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            api_key: "sk_staging_rampkit_sim".to_owned(),
            // base64 of "rampkit-sim-svix-secret-key-0001".
            webhook_secret: "whsec_cmFtcGtpdC1zaW0tc3ZpeC1zZWNyZXQta2V5LTAwMDE=".to_owned(),
            faults: FaultConfig::default(),
            rate_limit: RateLimit {
                writes_per_minute: Some(120),
                reads_per_minute: Some(360),
            },
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("crossmint::Config")
            .field("faults", &self.faults)
            .field("rate_limit", &self.rate_limit)
            .finish_non_exhaustive()
    }
}

crate::room::section!(Config, |c| vec![("api_key", c.api_key.clone())]);
