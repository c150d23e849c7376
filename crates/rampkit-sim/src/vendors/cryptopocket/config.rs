//! CryptoPocket's config section: the API key and secret `/authenticate` accepts (the secret also
//! signs CryptoPocket's webhooks, as the vendor does) and the lifetime of its `auth` tokens.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::faults::FaultConfig;
use crate::limits::RateLimit;

/// `[cryptopocket]` in a config file. `Debug` prints no secret.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// API key (`/authenticate`).
    pub api_key: String,
    /// API secret (`/authenticate`; also signs the webhooks).
    pub api_secret: String,
    /// Lifetime of an `auth` token, in seconds.
    pub token_ttl_secs: u64,
    /// Random faults and latency.
    pub faults: FaultConfig,
    /// CryptoPocket documents no rate limit: none by default.
    pub rate_limit: RateLimit,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            api_key: "cp_rampkit_sim_key".to_owned(),
            api_secret: "cp_rampkit_sim_secret".to_owned(),
            token_ttl_secs: 3600,
            faults: FaultConfig::default(),
            rate_limit: RateLimit::none(),
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("cryptopocket::Config")
            .field("token_ttl_secs", &self.token_ttl_secs)
            .field("faults", &self.faults)
            .field("rate_limit", &self.rate_limit)
            .finish_non_exhaustive()
    }
}

crate::room::section!(Config, |c| vec![
    ("api_key", c.api_key.clone()),
    ("api_secret", c.api_secret.clone()),
]);
