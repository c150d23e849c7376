//! What a simulator run is configured with: address, credentials, the status clock, faults, rate limits
//! and webhooks. Every field has a default, so a config file names only what it changes.

use std::fmt;
use std::net::SocketAddr;
use std::path::Path;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// One of the simulated vendors; [`as_str`](Self::as_str) is its path prefix (`/crossmint`) and its key in
/// the counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Vendor {
    /// CryptoPocket.
    CryptoPocket,
    /// Kriptomat (white-label partner API).
    Kriptomat,
    /// SumSub (share tokens for Kriptomat's KYC import).
    Sumsub,
    /// Crossmint (Users / KYC API).
    Crossmint,
    /// Leap Financial.
    Leap,
}

impl Vendor {
    /// Every vendor, in a fixed order.
    pub const ALL: [Vendor; 5] = [
        Vendor::CryptoPocket,
        Vendor::Kriptomat,
        Vendor::Sumsub,
        Vendor::Crossmint,
        Vendor::Leap,
    ];

    /// The path prefix without its slash, and the counters key: `cryptopocket`, `kriptomat`, `sumsub`,
    /// `crossmint`, `leap`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Vendor::CryptoPocket => "cryptopocket",
            Vendor::Kriptomat => "kriptomat",
            Vendor::Sumsub => "sumsub",
            Vendor::Crossmint => "crossmint",
            Vendor::Leap => "leap",
        }
    }

    /// The vendor named `name` (its path prefix), if any.
    pub fn from_name(name: &str) -> Option<Vendor> {
        Vendor::ALL.into_iter().find(|v| v.as_str() == name)
    }

    pub(crate) const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The credentials the simulated vendors accept. Plain strings: these are test values, never real
/// keys. The defaults are fixed and public (see the crate README), so any client built with them talks
/// to a default simulator. `Debug` prints no value.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Credentials {
    /// Crossmint server API key (`X-API-KEY`).
    pub crossmint_api_key: String,
    /// Leap partner API key (`api_key` header).
    pub leap_api_key: String,
    /// CryptoPocket API key (`/authenticate`).
    pub cryptopocket_api_key: String,
    /// CryptoPocket API secret (`/authenticate`; also signs CryptoPocket webhooks).
    pub cryptopocket_api_secret: String,
    /// Kriptomat partner e-mail.
    pub kriptomat_email: String,
    /// Kriptomat partner password.
    pub kriptomat_password: String,
    /// Kriptomat OAuth client id.
    pub kriptomat_client_id: i64,
    /// Kriptomat OAuth client secret.
    pub kriptomat_client_secret: String,
    /// Base32 TOTP secret the login's `security_code` is checked against.
    pub kriptomat_totp_secret_base32: String,
    /// SumSub app token (`X-App-Token`).
    pub sumsub_app_token: String,
    /// SumSub secret key (HMAC key of `X-App-Access-Sig`).
    pub sumsub_secret_key: String,
}

impl Default for Credentials {
    fn default() -> Self {
        Self {
            crossmint_api_key: "sk_staging_rampkit_sim".to_owned(),
            leap_api_key: "leap_rampkit_sim".to_owned(),
            cryptopocket_api_key: "cp_rampkit_sim_key".to_owned(),
            cryptopocket_api_secret: "cp_rampkit_sim_secret".to_owned(),
            kriptomat_email: "partner@rampkit-sim.test".to_owned(),
            kriptomat_password: "rampkit-sim-password".to_owned(),
            kriptomat_client_id: 5,
            kriptomat_client_secret: "rampkit-sim-client-secret".to_owned(),
            // RFC 6238's test secret ("12345678901234567890").
            kriptomat_totp_secret_base32: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".to_owned(),
            sumsub_app_token: "sbx:rampkit-sim-app-token".to_owned(),
            sumsub_secret_key: "rampkit-sim-sumsub-secret".to_owned(),
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("kriptomat_client_id", &self.kriptomat_client_id)
            .finish_non_exhaustive()
    }
}

/// Which faults a vendor injects, and how often.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaultConfig {
    /// Added to every request before it is handled, in milliseconds.
    pub latency_ms: u64,
    /// Share of requests (0.0 – 1.0) that get a fault, split over the kinds by the weights below.
    pub rate: f64,
    /// Weight of HTTP 503 with a vendor-shaped JSON body (nothing processed).
    pub weight_503_json: u32,
    /// Weight of HTTP 502 with an HTML body, as a gateway sends (nothing processed).
    pub weight_502_html: u32,
    /// Weight of a connection reset: the headers go out, then the connection is cut (nothing processed).
    pub weight_reset: u32,
    /// Weight of a timeout after processing: the request is carried out, then the answer is held for
    /// [`hold_ms`](Self::hold_ms), past the client's timeout.
    pub weight_timeout: u32,
    /// Weight of HTTP 429 with `Retry-After` (nothing processed).
    pub weight_429: u32,
    /// How long a timeout fault holds the answer, in milliseconds.
    pub hold_ms: u64,
    /// `Retry-After` of a 429 fault, in seconds.
    pub retry_after_secs: u64,
}

impl Default for FaultConfig {
    /// No latency, no faults; if a rate is set, the five kinds are equally likely.
    fn default() -> Self {
        Self {
            latency_ms: 0,
            rate: 0.0,
            weight_503_json: 1,
            weight_502_html: 1,
            weight_reset: 1,
            weight_timeout: 1,
            weight_429: 1,
            hold_ms: 35_000,
            retry_after_secs: 1,
        }
    }
}

impl FaultConfig {
    /// A `rate` share of faults, equally split over the five kinds.
    pub fn with_rate(rate: f64) -> Self {
        Self {
            rate,
            ..Self::default()
        }
    }

    /// Only faults of `kind`, on a `rate` share of requests.
    pub fn only(kind: FaultKind, rate: f64) -> Self {
        let mut config = Self {
            rate,
            weight_503_json: 0,
            weight_502_html: 0,
            weight_reset: 0,
            weight_timeout: 0,
            weight_429: 0,
            ..Self::default()
        };
        *config.weight_mut(kind) = 1;
        config
    }

    fn weight_mut(&mut self, kind: FaultKind) -> &mut u32 {
        match kind {
            FaultKind::Status503Json => &mut self.weight_503_json,
            FaultKind::Status502Html => &mut self.weight_502_html,
            FaultKind::Reset => &mut self.weight_reset,
            FaultKind::TimeoutAfterProcessing => &mut self.weight_timeout,
            FaultKind::Status429 => &mut self.weight_429,
        }
    }

    pub(crate) fn weights(&self) -> [(FaultKind, u32); 5] {
        [
            (FaultKind::Status503Json, self.weight_503_json),
            (FaultKind::Status502Html, self.weight_502_html),
            (FaultKind::Reset, self.weight_reset),
            (FaultKind::TimeoutAfterProcessing, self.weight_timeout),
            (FaultKind::Status429, self.weight_429),
        ]
    }
}

/// One kind of injected fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// HTTP 503, vendor-shaped JSON body.
    Status503Json,
    /// HTTP 502, HTML body.
    Status502Html,
    /// The connection is cut after the headers.
    Reset,
    /// Processed, then answered too late.
    TimeoutAfterProcessing,
    /// HTTP 429 with `Retry-After`.
    Status429,
}

/// Faults per vendor.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// CryptoPocket.
    pub cryptopocket: FaultConfig,
    /// Kriptomat.
    pub kriptomat: FaultConfig,
    /// SumSub.
    pub sumsub: FaultConfig,
    /// Crossmint.
    pub crossmint: FaultConfig,
    /// Leap.
    pub leap: FaultConfig,
}

impl Faults {
    /// The same faults for every vendor.
    pub fn uniform(config: FaultConfig) -> Self {
        Self {
            cryptopocket: config.clone(),
            kriptomat: config.clone(),
            sumsub: config.clone(),
            crossmint: config.clone(),
            leap: config,
        }
    }

    /// The faults of `vendor`.
    pub fn get(&self, vendor: Vendor) -> &FaultConfig {
        match vendor {
            Vendor::CryptoPocket => &self.cryptopocket,
            Vendor::Kriptomat => &self.kriptomat,
            Vendor::Sumsub => &self.sumsub,
            Vendor::Crossmint => &self.crossmint,
            Vendor::Leap => &self.leap,
        }
    }

    /// The faults of `vendor`, to change.
    pub fn get_mut(&mut self, vendor: Vendor) -> &mut FaultConfig {
        match vendor {
            Vendor::CryptoPocket => &mut self.cryptopocket,
            Vendor::Kriptomat => &mut self.kriptomat,
            Vendor::Sumsub => &mut self.sumsub,
            Vendor::Crossmint => &mut self.crossmint,
            Vendor::Leap => &mut self.leap,
        }
    }
}

/// A vendor's request budget; `None` is unlimited. Writes are every method but GET.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimit {
    /// Non-GET requests per minute.
    pub writes_per_minute: Option<u32>,
    /// GET requests per minute.
    pub reads_per_minute: Option<u32>,
}

/// Rate limits per vendor. Over the limit, the vendor answers HTTP 429 with `Retry-After`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimits {
    /// CryptoPocket: none documented.
    pub cryptopocket: RateLimit,
    /// Kriptomat: none documented.
    pub kriptomat: RateLimit,
    /// SumSub: none documented for these calls.
    pub sumsub: RateLimit,
    /// Crossmint: 120 writes and 360 reads per minute per project (documented).
    pub crossmint: RateLimit,
    /// Leap: none documented.
    pub leap: RateLimit,
}

impl Default for RateLimits {
    /// The documented limits: Crossmint 120 writes / 360 reads per minute; none for the others.
    fn default() -> Self {
        Self {
            cryptopocket: RateLimit::default(),
            kriptomat: RateLimit::default(),
            sumsub: RateLimit::default(),
            crossmint: RateLimit {
                writes_per_minute: Some(120),
                reads_per_minute: Some(360),
            },
            leap: RateLimit::default(),
        }
    }
}

impl RateLimits {
    /// No limit for any vendor (load tests).
    pub fn none() -> Self {
        Self {
            crossmint: RateLimit::default(),
            ..Self::default()
        }
    }

    /// The limit of `vendor`.
    pub fn get(&self, vendor: Vendor) -> RateLimit {
        match vendor {
            Vendor::CryptoPocket => self.cryptopocket,
            Vendor::Kriptomat => self.kriptomat,
            Vendor::Sumsub => self.sumsub,
            Vendor::Crossmint => self.crossmint,
            Vendor::Leap => self.leap,
        }
    }
}

/// Webhook signing secrets. CryptoPocket signs with the API secret of [`Credentials`] (as the vendor
/// does); Kriptomat documents no signature and sends its webhooks unsigned.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebhookSecrets {
    /// Crossmint's Svix endpoint secret, `whsec_` followed by base64.
    pub crossmint_svix: String,
    /// Leap's tenant `sharedSecret` (`x-raas-signature`).
    pub leap_shared_secret: String,
}

impl Default for WebhookSecrets {
    fn default() -> Self {
        Self {
            // base64 of "rampkit-sim-svix-secret-key-0001".
            crossmint_svix: "whsec_cmFtcGtpdC1zaW0tc3ZpeC1zZWNyZXQta2V5LTAwMDE=".to_owned(),
            leap_shared_secret: "rampkit-sim-leap-shared-secret".to_owned(),
        }
    }
}

impl fmt::Debug for WebhookSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookSecrets").finish_non_exhaustive()
    }
}

/// How a simulator run behaves. `Default` is a simulator on `127.0.0.1:<any free port>` with the
/// default [`Credentials`], statuses final on the second status read, no faults, the documented rate
/// limits and no webhooks.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct SimConfig {
    /// Where to listen (`127.0.0.1:0`: any free port on loopback).
    pub addr: SocketAddr,
    /// The credentials every vendor accepts.
    pub credentials: Credentials,
    /// A started verification answers its final status on this status read (1: the first read; 0: at
    /// once, before any read). Earlier reads answer pending.
    pub polls_until_final: u32,
    /// If set, a verification is also final once this many milliseconds passed since it started,
    /// whatever the number of reads.
    pub final_after_ms: Option<u64>,
    /// Lifetime of a CryptoPocket `auth` token, in seconds.
    pub cryptopocket_token_ttl_secs: u64,
    /// Lifetime of a Kriptomat bearer token, in seconds (the login answers it as `expires_in`).
    pub kriptomat_token_ttl_secs: u64,
    /// The SumSub client id share tokens must be addressed to for Kriptomat's KYC import to accept them.
    pub kriptomat_sumsub_client_id: String,
    /// Faults per vendor.
    pub faults: Faults,
    /// Rate limits per vendor.
    pub rate_limits: RateLimits,
    /// Where status-change webhooks are POSTed; `{vendor}` in the URL is replaced by the vendor's name.
    /// `None`: no webhooks.
    pub webhook_url: Option<String>,
    /// Webhook signing secrets.
    pub webhook_secrets: WebhookSecrets,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            credentials: Credentials::default(),
            polls_until_final: 2,
            final_after_ms: None,
            cryptopocket_token_ttl_secs: 3600,
            kriptomat_token_ttl_secs: 3600,
            kriptomat_sumsub_client_id: "KriptomatSumsub".to_owned(),
            faults: Faults::default(),
            rate_limits: RateLimits::default(),
            webhook_url: None,
            webhook_secrets: WebhookSecrets::default(),
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
            message: format!("{}: {e}", path.display()),
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
        let mut de = serde_json::Deserializer::from_str(text);
        serde_path_to_error::deserialize(&mut de).map_err(|e| ConfigError {
            message: format!(
                "line {}, column {}: invalid `{}`",
                e.inner().line(),
                e.inner().column(),
                e.path()
            ),
        })
    }

    /// A config from TOML text.
    pub fn from_toml(text: &str) -> Result<SimConfig, ConfigError> {
        let de = toml::Deserializer::parse(text).map_err(|e| ConfigError {
            message: format!("not TOML: {}", e.message()),
        })?;
        serde_path_to_error::deserialize(de).map_err(|e| ConfigError {
            message: format!("invalid `{}`", e.path()),
        })
    }

    pub(crate) fn final_after(&self) -> Option<Duration> {
        self.final_after_ms.map(Duration::from_millis)
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
            polls_until_final = 3
            webhook_url = "http://127.0.0.1:9000/hooks/{vendor}"

            [credentials]
            leap_api_key = "another-key"

            [faults.crossmint]
            latency_ms = 50
            rate = 0.2
            weight_reset = 0

            [rate_limits.crossmint]
            writes_per_minute = 10
            "#,
        )
        .unwrap();
        assert_eq!(config.addr.port(), 8080);
        assert_eq!(config.polls_until_final, 3);
        assert_eq!(config.credentials.leap_api_key, "another-key");
        assert_eq!(
            config.credentials.crossmint_api_key,
            Credentials::default().crossmint_api_key
        );
        assert_eq!(config.faults.crossmint.latency_ms, 50);
        assert_eq!(config.faults.crossmint.weight_reset, 0);
        assert_eq!(config.faults.crossmint.weight_503_json, 1);
        assert_eq!(config.faults.leap, FaultConfig::default());
        assert_eq!(config.rate_limits.crossmint.writes_per_minute, Some(10));
        assert_eq!(config.rate_limits.crossmint.reads_per_minute, None);

        let json =
            SimConfig::from_json(r#"{"polls_until_final": 0, "faults": {"leap": {"rate": 1.0}}}"#)
                .unwrap();
        assert_eq!(json.polls_until_final, 0);
        assert_eq!(json.faults.leap.rate, 1.0);
        assert_eq!(json.rate_limits, RateLimits::default());
    }

    #[test]
    fn bad_config_names_the_field_not_the_value() {
        let e = SimConfig::from_json(r#"{"credentials": {"kriptomat_client_id": "SECRET"}}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("credentials.kriptomat_client_id"), "{e}");
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
        for secret in [
            "sk_staging_rampkit_sim",
            "cp_rampkit_sim_secret",
            "rampkit-sim-password",
            "GEZDGNBVGY3TQOJQ",
            "rampkit-sim-sumsub-secret",
            "whsec_",
            "rampkit-sim-leap-shared-secret",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}
