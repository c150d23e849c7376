//! Leap's config section: the partner API key it accepts and the tenant shared secret its webhooks are
//! signed with.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::faults::FaultConfig;
use crate::limits::RateLimit;

/// `[leap]` in a config file. `Debug` prints no secret.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Partner API key (`api_key` header).
    pub api_key: String,
    /// The tenant's `sharedSecret` (`x-raas-signature`).
    pub webhook_secret: String,
    /// Random faults and latency.
    pub faults: FaultConfig,
    /// Leap documents no rate limit: none by default.
    pub rate_limit: RateLimit,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            api_key: "leap_rampkit_sim".to_owned(),
            webhook_secret: "rampkit-sim-leap-shared-secret".to_owned(),
            faults: FaultConfig::default(),
            rate_limit: RateLimit::none(),
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("leap::Config")
            .field("faults", &self.faults)
            .field("rate_limit", &self.rate_limit)
            .finish_non_exhaustive()
    }
}

crate::room::section!(Config, |c| vec![("api_key", c.api_key.clone())]);
