//! What a simulator run is configured with: address, seed, the status clock, webhooks, the state file,
//! and one section per vendor (credentials, webhook secret, faults, rate limit). Every field has a
//! default, so a config file names only what it changes:
//!
//! ```toml
//! addr = "127.0.0.1:8080"
//! seed = 7
//! polls_until_final = 3
//! webhook_url = "http://127.0.0.1:9000/hooks/{vendor}"
//!
//! [crossmint]
//! api_key = "sk_staging_another"
//! [crossmint.faults]
//! rate = 0.2
//! [crossmint.rate_limit]
//! writes_per_minute = 120
//! ```

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::faults::FaultConfig;
use crate::limits::RateLimit;
use crate::progress::Timing;
use crate::vendors::{Vendor, VendorConfigs};

/// How a simulator run behaves. `Default` is a simulator on `127.0.0.1:<any free port>` with the
/// default credentials, statuses final on the second status read, no faults, the documented rate
/// limits, no webhooks and no state file.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct SimConfig {
    /// Where to listen (`127.0.0.1:0`: any free port on loopback).
    pub addr: SocketAddr,
    /// The seed of random faults and of the ids the vendors hand out; `None`: drawn at start (and
    /// shown by [`Simulator::seed`](crate::Simulator::seed), so a run can be repeated).
    pub seed: Option<u64>,
    /// A started verification answers its final status on this status read (1: the first read; 0: at
    /// once, before any read). Earlier reads answer pending.
    pub polls_until_final: u32,
    /// If set, a verification is also final once this many milliseconds passed since it started,
    /// whatever the number of reads.
    pub final_after_ms: Option<u64>,
    /// Where status-change webhooks are POSTed; `{vendor}` in the URL is replaced by the vendor's name.
    /// `None`: no webhooks.
    pub webhook_url: Option<String>,
    /// A JSON file the vendors' state is read from at start (when it exists) and written to while
    /// running and at shutdown, so that a standalone simulator keeps its customers across a restart.
    pub state_file: Option<PathBuf>,
    /// How many requests the recorder keeps (the oldest are dropped first).
    pub record_limit: usize,
    /// One section per vendor: `[crossmint]`, `[leap]`, … at the top level of a config file.
    pub vendors: VendorConfigs,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            seed: None,
            polls_until_final: 2,
            final_after_ms: None,
            webhook_url: None,
            state_file: None,
            record_limit: 10_000,
            vendors: VendorConfigs::default(),
        }
    }
}

/// Why a config file could not be used. Names the file and the problem, never a value from it.
#[derive(Debug)]
pub struct ConfigError {
    message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

impl SimConfig {
    /// Reads a config from a `.json` file, or TOML otherwise. Fields left out keep their defaults.
    pub fn from_file(path: impl AsRef<Path>) -> Result<SimConfig, ConfigError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            message: format!("{}: {}", path.display(), e.kind()),
        })?;
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if is_json {
            Self::from_json(&text)
        } else {
            Self::from_toml(&text)
        }
        .map_err(|e| ConfigError {
            message: format!("{}: {e}", path.display()),
        })
    }

    /// A config from JSON text.
    pub fn from_json(text: &str) -> Result<SimConfig, ConfigError> {
        let value: Value = serde_json::from_str(text).map_err(|e| ConfigError {
            message: format!("not JSON (line {}, column {})", e.line(), e.column()),
        })?;
        Self::from_value(value)
    }

    /// A config from TOML text.
    pub fn from_toml(text: &str) -> Result<SimConfig, ConfigError> {
        let value: Value = toml::from_str(text).map_err(|e| ConfigError {
            message: format!("not TOML: {}", e.message()),
        })?;
        Self::from_value(value)
    }

    /// The vendors' sections sit at the top level of a file (`[crossmint]`) and under `vendors` in
    /// the struct: they move there before decoding, so that an error names its field
    /// (`crossmint.api_key`) — serde's `flatten` would lose the path.
    fn from_value(value: Value) -> Result<SimConfig, ConfigError> {
        let Value::Object(mut map) = value else {
            return Err(ConfigError {
                message: "invalid `.`: not a table".to_owned(),
            });
        };
        let mut vendors = match map.remove("vendors") {
            Some(Value::Object(vendors)) => vendors,
            _ => Map::new(),
        };
        for vendor in Vendor::ALL {
            if let Some(section) = map.remove(vendor.as_str()) {
                vendors.insert(vendor.as_str().to_owned(), section);
            }
        }
        map.insert("vendors".to_owned(), Value::Object(vendors));
        serde_path_to_error::deserialize(Value::Object(map)).map_err(|e| {
            let path = e.path().to_string();
            ConfigError {
                message: format!(
                    "invalid `{}`",
                    path.strip_prefix("vendors.").unwrap_or(&path)
                ),
            }
        })
    }

    /// Every credential the simulated vendors accept, as `(vendor, field, value)`; fields are
    /// `api_key`, `api_secret`, `email`, `password`, `client_id`, `client_secret`, `totp_secret`,
    /// `app_token`, `secret_key`. A CLI maps them to its environment variables
    /// (`RAMPKIT_<VENDOR>_<FIELD>`, upper case) without naming a vendor.
    pub fn credential_pairs(&self) -> Vec<(Vendor, &'static str, String)> {
        Vendor::ALL
            .into_iter()
            .flat_map(|v| {
                self.vendors
                    .section(v)
                    .credentials()
                    .into_iter()
                    .map(move |(field, value)| (v, field, value))
            })
            .collect()
    }

    /// The same random faults (and latency) for every vendor.
    pub fn with_faults(mut self, faults: FaultConfig) -> Self {
        for vendor in Vendor::ALL {
            *self.vendors.section_mut(vendor).faults_mut() = faults.clone();
        }
        self
    }

    /// Random faults (and latency) for `vendor`.
    pub fn with_vendor_faults(mut self, vendor: Vendor, faults: FaultConfig) -> Self {
        *self.vendors.section_mut(vendor).faults_mut() = faults;
        self
    }

    /// No vendor enforces a rate limit (load tests).
    pub fn without_rate_limits(mut self) -> Self {
        for vendor in Vendor::ALL {
            *self.vendors.section_mut(vendor).rate_limit_mut() = RateLimit::none();
        }
        self
    }

    /// `vendor`'s rate limit.
    pub fn with_rate_limit(mut self, vendor: Vendor, limit: RateLimit) -> Self {
        *self.vendors.section_mut(vendor).rate_limit_mut() = limit;
        self
    }

    /// When verifications become final.
    pub(crate) fn timing(&self) -> Timing {
        Timing {
            polls_until_final: self.polls_until_final,
            final_after: self.final_after_ms.map(Duration::from_millis),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_json_change_only_what_they_name() {
        let config = SimConfig::from_toml(
            r#"
            addr = "127.0.0.1:8080"
            seed = 42
            polls_until_final = 3
            webhook_url = "http://127.0.0.1:9000/hooks/{vendor}"

            [leap]
            api_key = "another-key"

            [crossmint.faults]
            latency_ms = 50
            rate = 0.2
            weight_reset = 0

            [crossmint.rate_limit]
            writes_per_minute = 10
            "#,
        )
        .unwrap();
        assert_eq!(config.addr.port(), 8080);
        assert_eq!(config.seed, Some(42));
        assert_eq!(config.polls_until_final, 3);
        assert_eq!(config.vendors.leap.api_key, "another-key");
        let defaults = SimConfig::default();
        assert_eq!(
            config.vendors.crossmint.api_key,
            defaults.vendors.crossmint.api_key
        );
        let faults = &config.vendors.crossmint.faults;
        assert_eq!(
            (
                faults.latency_ms,
                faults.weight_reset,
                faults.weight_503_json
            ),
            (50, 0, 1)
        );
        assert_eq!(config.vendors.leap.faults, FaultConfig::default());
        assert_eq!(
            config.vendors.crossmint.rate_limit.writes_per_minute,
            Some(10)
        );
        assert_eq!(config.vendors.crossmint.rate_limit.reads_per_minute, None);

        let json =
            SimConfig::from_json(r#"{"polls_until_final": 0, "leap": {"faults": {"rate": 1.0}}}"#)
                .unwrap();
        assert_eq!(json.polls_until_final, 0);
        assert_eq!(json.vendors.leap.faults.rate, 1.0);
        assert_eq!(
            json.vendors.crossmint.rate_limit.writes_per_minute,
            Some(120)
        );
    }

    #[test]
    fn bad_config_names_the_field_not_the_value() {
        let e = SimConfig::from_json(r#"{"kriptomat": {"client_id": "SECRET"}}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("client_id"), "{e}");
        assert!(!e.contains("SECRET"), "{e}");
        let e = SimConfig::from_toml("polls_until_final = \"many\"")
            .unwrap_err()
            .to_string();
        assert!(e.contains("polls_until_final"), "{e}");
        assert!(!e.contains("many"), "{e}");
    }

    #[test]
    fn debug_prints_no_credential() {
        let text = format!("{:?}", SimConfig::default());
        for (_, _, secret) in SimConfig::default().credential_pairs() {
            if secret.len() > 2 {
                assert!(!text.contains(&secret), "a credential in {text}");
            }
        }
        assert!(!text.contains("whsec_") && !text.contains("rampkit-sim-leap-shared-secret"));
    }

    #[test]
    fn credential_pairs_name_vendor_and_field() {
        let config = SimConfig::default();
        let pairs = config.credential_pairs();
        let get = |v: Vendor, f: &str| {
            pairs
                .iter()
                .find(|(pv, pf, _)| *pv == v && *pf == f)
                .map(|(_, _, value)| value.clone())
        };
        assert_eq!(
            get(Vendor::Crossmint, "api_key").as_deref(),
            Some("sk_staging_rampkit_sim")
        );
        assert_eq!(get(Vendor::Kriptomat, "client_id").as_deref(), Some("5"));
        assert_eq!(
            get(Vendor::Sumsub, "secret_key"),
            Some(config.vendors.sumsub.secret_key.clone())
        );
        let fields: std::collections::BTreeSet<&str> = pairs.iter().map(|(_, f, _)| *f).collect();
        assert_eq!(
            fields.into_iter().collect::<Vec<_>>(),
            [
                "api_key",
                "api_secret",
                "app_token",
                "client_id",
                "client_secret",
                "email",
                "password",
                "secret_key",
                "totp_secret"
            ]
        );
        assert_eq!(pairs.len(), 11);
    }
}
