//! Injected faults: random ones drawn per vendor from a seed (the same seed gives the same faults to
//! the same calls), and deterministic ones named by operation and call number ("the 2nd
//! `register_user_v2` answers 502 HTML").
//!
//! A random draw depends only on (seed, vendor, operation, call number of that operation), never on
//! the order in which different operations arrive, so `rampkit sim --seed N` repeats a run's faults
//! exactly. Logins (operations the spec marks `security: []`) get random faults only when
//! [`FaultConfig::include_logins`] asks for them.

use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::progress::lock;

/// Which faults a vendor injects at random, and how often.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaultConfig {
    /// Added to every request before it is handled, in milliseconds.
    pub latency_ms: u64,
    /// Share of requests (0.0 – 1.0) that get a fault, split over the kinds by the weights below.
    pub rate: f64,
    /// Whether logins (CryptoPocket `authenticate`, Kriptomat `login`) get random faults too.
    pub include_logins: bool,
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
            include_logins: false,
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

    fn weights(&self) -> [(FaultKind, u32); 5] {
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

impl FaultKind {
    /// The name in config files and the admin API (`status502_html`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            FaultKind::Status503Json => "status503_json",
            FaultKind::Status502Html => "status502_html",
            FaultKind::Reset => "reset",
            FaultKind::TimeoutAfterProcessing => "timeout_after_processing",
            FaultKind::Status429 => "status429",
        }
    }
}

/// FNV-1a, 64 bits: a hash whose value is fixed by its definition (std's hasher may change between
/// Rust releases, and a seed must repeat a run on any toolchain).
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in *part {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        hash ^= 0xff;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// A number drawn from (seed, labels): the same inputs give the same number.
pub fn seeded(seed: u64, labels: &[&[u8]]) -> fastrand::Rng {
    let mut parts: Vec<&[u8]> = Vec::with_capacity(labels.len() + 1);
    let seed_bytes = seed.to_le_bytes();
    parts.push(&seed_bytes);
    parts.extend_from_slice(labels);
    fastrand::Rng::with_seed(fnv1a(&parts))
}

/// The random fault of call number `call` (1-based) of `operation` at `vendor`, if any. `login`:
/// the operation is a login, faulted only when the config includes logins.
pub fn draw(
    config: &FaultConfig,
    seed: u64,
    vendor: &str,
    operation: &str,
    call: u64,
    login: bool,
) -> Option<FaultKind> {
    if config.rate <= 0.0 || (login && !config.include_logins) {
        return None;
    }
    let mut rng = seeded(
        seed,
        &[vendor.as_bytes(), operation.as_bytes(), &call.to_le_bytes()],
    );
    if rng.f64() >= config.rate {
        return None;
    }
    let weights = config.weights();
    let total: u32 = weights.iter().map(|(_, w)| w).sum();
    if total == 0 {
        return None;
    }
    let mut pick = rng.u32(..total);
    for (kind, weight) in weights {
        if pick < weight {
            return Some(kind);
        }
        pick -= weight;
    }
    None
}

/// A deterministic fault: `operation`'s call number `call` (1-based; every call when `None`) at
/// `vendor` answers `kind`. Body of `POST /_admin/faults`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultRule {
    /// The vendor's name (`leap`).
    pub vendor: String,
    /// The spec's operation id (`register_user_v2`).
    pub operation: String,
    /// Which call of the operation, counting every request to it from the start (or the last
    /// reset), faulted ones included; `None`: every call.
    #[serde(default)]
    pub call: Option<u64>,
    /// What it answers.
    pub kind: FaultKind,
}

/// The deterministic faults asked for.
#[derive(Default)]
pub struct FaultRules {
    rules: Mutex<Vec<FaultRule>>,
}

impl FaultRules {
    /// Adds a rule.
    pub fn add(&self, rule: FaultRule) {
        lock(&self.rules).push(rule);
    }

    /// The fault of this call, if a rule names it (the first added wins).
    pub fn find(&self, vendor: &str, operation: &str, call: u64) -> Option<FaultKind> {
        lock(&self.rules)
            .iter()
            .find(|r| {
                r.vendor == vendor && r.operation == operation && r.call.is_none_or(|n| n == call)
            })
            .map(|r| r.kind)
    }

    /// Every rule.
    pub fn list(&self) -> Vec<FaultRule> {
        lock(&self.rules).clone()
    }

    /// Forgets every rule.
    pub fn clear(&self) {
        lock(&self.rules).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_follow_rate_weights_and_seed() {
        let none = FaultConfig::default();
        assert_eq!(draw(&none, 1, "leap", "x", 1, false), None);
        let only = FaultConfig::only(FaultKind::Reset, 1.0);
        for call in 1..100 {
            assert_eq!(
                draw(&only, 1, "leap", "x", call, false),
                Some(FaultKind::Reset)
            );
        }
        assert_eq!(
            draw(&only, 1, "leap", "login", 1, true),
            None,
            "logins spared"
        );
        let logins = FaultConfig {
            include_logins: true,
            ..only
        };
        assert_eq!(
            draw(&logins, 1, "leap", "login", 1, true),
            Some(FaultKind::Reset)
        );

        let half = FaultConfig::with_rate(0.5);
        let run = |seed| -> Vec<Option<FaultKind>> {
            (1..=4000)
                .map(|call| draw(&half, seed, "leap", "register_user_v2", call, false))
                .collect()
        };
        let first = run(7);
        let hits = first.iter().filter(|f| f.is_some()).count();
        assert!((1600..2400).contains(&hits), "{hits}");
        assert_eq!(first, run(7), "the same seed draws the same faults");
        assert_ne!(first, run(8), "another seed draws others");
        // A fixed value: the hash and the generator are part of the seed's promise.
        assert_eq!(fnv1a(&[b"a"]), fnv1a(&[b"a"]));
        assert_ne!(fnv1a(&[b"ab"]), fnv1a(&[b"a", b"b"]));
    }

    #[test]
    fn rules_name_a_call_or_every_call() {
        let rules = FaultRules::default();
        rules.add(FaultRule {
            vendor: "leap".into(),
            operation: "register_user_v2".into(),
            call: Some(2),
            kind: FaultKind::Status502Html,
        });
        assert_eq!(rules.find("leap", "register_user_v2", 1), None);
        assert_eq!(
            rules.find("leap", "register_user_v2", 2),
            Some(FaultKind::Status502Html)
        );
        assert_eq!(rules.find("crossmint", "register_user_v2", 2), None);
        rules.add(FaultRule {
            vendor: "leap".into(),
            operation: "get_user_token_v2".into(),
            call: None,
            kind: FaultKind::Reset,
        });
        assert_eq!(
            rules.find("leap", "get_user_token_v2", 9),
            Some(FaultKind::Reset)
        );
        assert_eq!(rules.list().len(), 2);
        rules.clear();
        assert_eq!(rules.find("leap", "get_user_token_v2", 9), None);
    }
}
