//! What every vendor module shares: scenarios, the verification clock, counters and the webhook sender.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Instant;

use serde::{Deserialize, Serialize};

use crate::config::{SimConfig, Vendor};
use crate::webhooks::WebhookSender;

/// Where a simulated verification stands, in the simulator's own words; each vendor module says it in
/// its vendor's vocabulary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SimStatus {
    /// Nothing started yet.
    NotStarted,
    /// Being checked.
    Pending,
    /// Approved.
    Verified,
    /// Refused.
    Rejected,
    /// The vendor asks for more data.
    RequiresData,
}

/// What a customer's verification ends in, chosen by a magic value in the customer (see the README).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scenario {
    /// Verified after the configured number of status reads (the default).
    Verify,
    /// Rejected (e-mail local part ending `+reject`).
    Reject,
    /// Asks for data (e-mail local part ending `+requires-data`).
    RequiresData,
    /// Stays pending (e-mail local part ending `+pending`).
    StayPending,
}

impl Scenario {
    /// The scenario of an e-mail address (or any identifier): its local part's `+suffix`.
    pub fn from_identifier(value: &str) -> Scenario {
        let local = value.split('@').next().unwrap_or(value);
        if local.ends_with("+reject") {
            Scenario::Reject
        } else if local.ends_with("+requires-data") {
            Scenario::RequiresData
        } else if local.ends_with("+pending") {
            Scenario::StayPending
        } else {
            Scenario::Verify
        }
    }

    fn final_status(self) -> Option<SimStatus> {
        match self {
            Scenario::Verify => Some(SimStatus::Verified),
            Scenario::Reject => Some(SimStatus::Rejected),
            Scenario::RequiresData => Some(SimStatus::RequiresData),
            Scenario::StayPending => None,
        }
    }
}

/// One verification's state machine: not started → pending → the scenario's final status, after
/// `polls_until_final` status reads (or `final_after_ms`). An admin override sets the status and stops
/// the clock.
#[derive(Clone, Debug)]
pub struct Progress {
    pub scenario: Scenario,
    pub status: SimStatus,
    reads: u32,
    started: Option<Instant>,
    pinned: bool,
}

/// A status change, for webhooks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    pub from: SimStatus,
    pub to: SimStatus,
}

impl Progress {
    pub fn new(scenario: Scenario) -> Self {
        Self {
            scenario,
            status: SimStatus::NotStarted,
            reads: 0,
            started: None,
            pinned: false,
        }
    }

    /// Starts (or restarts) the check: pending, or final at once when `polls_until_final` is 0.
    pub fn start(&mut self, config: &SimConfig) -> Option<Change> {
        if self.pinned {
            return None;
        }
        let from = self.status;
        if from == SimStatus::Verified || from == SimStatus::Rejected {
            return None; // final statuses stay
        }
        self.reads = 0;
        self.started = Some(Instant::now());
        self.status = SimStatus::Pending;
        if config.polls_until_final == 0 {
            self.advance_to_final();
        }
        self.change_from(from)
    }

    /// One status read: advances the clock, returns the change it caused.
    pub fn read(&mut self, config: &SimConfig) -> Option<Change> {
        if self.pinned || self.status != SimStatus::Pending {
            return None;
        }
        self.reads = self.reads.saturating_add(1);
        let by_reads = self.reads >= config.polls_until_final;
        let by_time = match (config.final_after(), self.started) {
            (Some(after), Some(started)) => started.elapsed() >= after,
            _ => false,
        };
        if by_reads || by_time {
            let from = self.status;
            self.advance_to_final();
            return self.change_from(from);
        }
        None
    }

    /// Whether an admin set the status.
    pub fn is_pinned(&self) -> bool {
        self.pinned
    }

    /// Sets the status (admin); the clock stops.
    pub fn set(&mut self, status: SimStatus) -> Option<Change> {
        let from = self.status;
        self.status = status;
        self.pinned = true;
        self.change_from(from)
    }

    fn advance_to_final(&mut self) {
        if let Some(status) = self.scenario.final_status() {
            self.status = status;
        }
    }

    fn change_from(&self, from: SimStatus) -> Option<Change> {
        (from != self.status).then_some(Change {
            from,
            to: self.status,
        })
    }
}

/// One vendor's counters, as `GET /_admin/counters` shows them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VendorCounters {
    /// Every request that reached the vendor's prefix (faulted, refused and rate-limited ones too).
    pub requests: u64,
    /// Registration requests that reached their operation (accepted or not).
    pub registrations: u64,
    /// Registration requests for a customer the vendor already held (same e-mail or phone, or the same
    /// user), refused or not.
    pub duplicates: u64,
    /// Requests that reached each operation, by the spec's operation id.
    pub by_operation: BTreeMap<String, u64>,
    /// Webhooks delivered with a 2xx answer.
    pub webhooks_delivered: u64,
    /// Webhooks that failed (no answer or a non-2xx one).
    pub webhooks_failed: u64,
}

/// Every vendor's counters; serialises as `{"cryptopocket": {…}, "kriptomat": {…}, …}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountersSnapshot {
    /// CryptoPocket.
    pub cryptopocket: VendorCounters,
    /// Kriptomat.
    pub kriptomat: VendorCounters,
    /// SumSub.
    pub sumsub: VendorCounters,
    /// Crossmint.
    pub crossmint: VendorCounters,
    /// Leap.
    pub leap: VendorCounters,
}

impl CountersSnapshot {
    /// The counters of `vendor`.
    pub fn get(&self, vendor: Vendor) -> &VendorCounters {
        match vendor {
            Vendor::CryptoPocket => &self.cryptopocket,
            Vendor::Kriptomat => &self.kriptomat,
            Vendor::Sumsub => &self.sumsub,
            Vendor::Crossmint => &self.crossmint,
            Vendor::Leap => &self.leap,
        }
    }

    fn get_mut(&mut self, vendor: Vendor) -> &mut VendorCounters {
        match vendor {
            Vendor::CryptoPocket => &mut self.cryptopocket,
            Vendor::Kriptomat => &mut self.kriptomat,
            Vendor::Sumsub => &mut self.sumsub,
            Vendor::Crossmint => &mut self.crossmint,
            Vendor::Leap => &mut self.leap,
        }
    }
}

/// The live counters.
#[derive(Default)]
pub struct Counters {
    vendors: [Mutex<VendorCounters>; 5],
}

impl Counters {
    fn with(&self, vendor: Vendor, f: impl FnOnce(&mut VendorCounters)) {
        let mut counters = self.vendors[vendor.index()]
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        f(&mut counters);
    }

    pub fn request(&self, vendor: Vendor) {
        self.with(vendor, |c| c.requests += 1);
    }

    pub fn operation(&self, vendor: Vendor, operation: &str) {
        self.with(vendor, |c| {
            if let Some(n) = c.by_operation.get_mut(operation) {
                *n += 1;
            } else {
                c.by_operation.insert(operation.to_owned(), 1);
            }
        });
    }

    /// A registration request; `duplicate` when the vendor already held the customer.
    pub fn registration(&self, vendor: Vendor, duplicate: bool) {
        self.with(vendor, |c| {
            c.registrations += 1;
            if duplicate {
                c.duplicates += 1;
            }
        });
    }

    pub fn webhook(&self, vendor: Vendor, delivered: bool) {
        self.with(vendor, |c| {
            if delivered {
                c.webhooks_delivered += 1;
            } else {
                c.webhooks_failed += 1;
            }
        });
    }

    pub fn snapshot(&self) -> CountersSnapshot {
        let mut snapshot = CountersSnapshot::default();
        for vendor in Vendor::ALL {
            let counters = self.vendors[vendor.index()]
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            *snapshot.get_mut(vendor) = counters;
        }
        snapshot
    }

    pub fn reset(&self) {
        for vendor in Vendor::ALL {
            self.with(vendor, |c| *c = VendorCounters::default());
        }
    }
}

/// Everything the handlers share.
pub struct Shared {
    pub config: SimConfig,
    pub counters: Counters,
    pub webhooks: WebhookSender,
    pub crossmint: Mutex<crate::crossmint::State>,
    pub cryptopocket: Mutex<crate::cryptopocket::State>,
    pub kriptomat: Mutex<crate::kriptomat::State>,
    pub sumsub: Mutex<crate::sumsub::State>,
    pub leap: Mutex<crate::leap::State>,
    pub limiters: crate::faults::Limiters,
}

impl Shared {
    pub fn new(config: SimConfig) -> Self {
        let limiters = crate::faults::Limiters::new(&config.rate_limits);
        let webhooks = WebhookSender::new(&config);
        Self {
            config,
            counters: Counters::default(),
            webhooks,
            crossmint: Mutex::default(),
            cryptopocket: Mutex::default(),
            kriptomat: Mutex::default(),
            sumsub: Mutex::default(),
            leap: Mutex::default(),
            limiters,
        }
    }

    /// Forgets every customer, token and counter.
    pub fn reset(&self) {
        *lock(&self.crossmint) = Default::default();
        *lock(&self.cryptopocket) = Default::default();
        *lock(&self.kriptomat) = Default::default();
        *lock(&self.sumsub) = Default::default();
        *lock(&self.leap) = Default::default();
        self.counters.reset();
    }
}

/// Locks a vendor's state, ignoring poisoning (a panicking handler must not stop the simulator).
pub fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// The current time as the vendors print it: ISO 8601 UTC with milliseconds and `Z`.
pub fn now_iso() -> String {
    let now = std::time::SystemTime::now();
    let secs = now
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let millis = now
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_millis());
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// A random lower-case alphanumeric identifier of `len` characters.
pub fn random_id(len: usize) -> String {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..len)
        .map(|_| ALPHABET[fastrand::usize(..ALPHABET.len())] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_come_from_the_local_part() {
        assert_eq!(
            Scenario::from_identifier("ana+reject@example.com"),
            Scenario::Reject
        );
        assert_eq!(
            Scenario::from_identifier("ana+requires-data@example.com"),
            Scenario::RequiresData
        );
        assert_eq!(
            Scenario::from_identifier("ana+pending@example.com"),
            Scenario::StayPending
        );
        assert_eq!(
            Scenario::from_identifier("ana@reject.example.com"),
            Scenario::Verify
        );
        assert_eq!(Scenario::from_identifier(""), Scenario::Verify);
    }

    #[test]
    fn the_clock_advances_on_reads() {
        let config = SimConfig {
            polls_until_final: 3,
            ..SimConfig::default()
        };
        let mut p = Progress::new(Scenario::Reject);
        assert_eq!(p.read(&config), None, "not started: reads change nothing");
        assert_eq!(
            p.start(&config),
            Some(Change {
                from: SimStatus::NotStarted,
                to: SimStatus::Pending
            })
        );
        assert_eq!(p.read(&config), None);
        assert_eq!(p.read(&config), None);
        assert_eq!(
            p.read(&config),
            Some(Change {
                from: SimStatus::Pending,
                to: SimStatus::Rejected
            })
        );
        assert_eq!(p.status, SimStatus::Rejected);
        assert_eq!(p.start(&config), None, "a final status stays");

        let mut pending = Progress::new(Scenario::StayPending);
        pending.start(&config);
        for _ in 0..10 {
            assert_eq!(pending.read(&config), None);
        }
        assert_eq!(pending.status, SimStatus::Pending);
        pending.set(SimStatus::Verified);
        assert_eq!(pending.status, SimStatus::Verified);

        let immediate = SimConfig {
            polls_until_final: 0,
            ..SimConfig::default()
        };
        let mut p = Progress::new(Scenario::Verify);
        p.start(&immediate);
        assert_eq!(p.status, SimStatus::Verified);
    }

    #[test]
    fn timestamps_look_like_the_vendors() {
        let now = now_iso();
        assert_eq!(now.len(), 24, "{now}");
        assert!(now.ends_with('Z') && now.as_bytes()[10] == b'T', "{now}");
    }
}
