//! Where a simulated verification stands, what it ends in, and the clock that takes it there. Every
//! vendor room says these statuses in its vendor's vocabulary.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

/// Where a simulated verification stands, in the simulator's own words.
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

impl SimStatus {
    /// Whether the status is final (verified or rejected): a new start does not reopen it.
    pub fn is_final(self) -> bool {
        matches!(self, SimStatus::Verified | SimStatus::Rejected)
    }
}

/// What a customer's verification ends in: scripted per vendor and customer
/// ([`CustomerHandle`](crate::CustomerHandle), `POST /_admin/scenarios`), or chosen by a magic e-mail
/// suffix (`+reject`, `+requires-data`, `+pending`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "outcome", content = "missing")]
pub enum Outcome {
    /// Verified (the default).
    #[default]
    Verified,
    /// Rejected.
    Rejected,
    /// The vendor asks for data; the items are in the vendor's words where the vendor lists them
    /// (Crossmint: data sections such as `kyc-data` go to `missingData`, anything else to
    /// `missingDocuments`; empty: `proof-of-address`). Leap, Kriptomat and CryptoPocket say it their
    /// own fixed way (see the README).
    RequiresData(Vec<String>),
    /// Stays pending.
    Pending,
}

impl Outcome {
    /// The outcome of an e-mail address (or any identifier): its local part's `+suffix`.
    pub fn from_identifier(value: &str) -> Outcome {
        let local = value.split('@').next().unwrap_or(value);
        if local.ends_with("+reject") {
            Outcome::Rejected
        } else if local.ends_with("+requires-data") {
            Outcome::RequiresData(Vec::new())
        } else if local.ends_with("+pending") {
            Outcome::Pending
        } else {
            Outcome::Verified
        }
    }

    fn final_status(&self) -> Option<SimStatus> {
        match self {
            Outcome::Verified => Some(SimStatus::Verified),
            Outcome::Rejected => Some(SimStatus::Rejected),
            Outcome::RequiresData(_) => Some(SimStatus::RequiresData),
            Outcome::Pending => None,
        }
    }
}

/// When a started verification becomes final.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    /// Final on this status read (0: at once).
    pub polls_until_final: u32,
    /// Or once this long passed since the start.
    pub final_after: Option<Duration>,
}

/// Milliseconds since the Unix epoch (the clock survives a restart through the state file).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// A status change, for webhooks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Change {
    /// Before.
    pub from: SimStatus,
    /// After.
    pub to: SimStatus,
}

/// One verification's state machine: not started → pending → the outcome's final status, after
/// `polls_until_final` status reads (or `final_after`). An admin's status pins it: the clock stops.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// What it ends in.
    pub outcome: Outcome,
    /// Where it stands.
    pub status: SimStatus,
    reads: u32,
    started_ms: Option<u64>,
    pinned: bool,
}

impl Progress {
    /// Not started, ending in `outcome`.
    pub fn new(outcome: Outcome) -> Self {
        Self {
            outcome,
            status: SimStatus::NotStarted,
            reads: 0,
            started_ms: None,
            pinned: false,
        }
    }

    /// Starts (or restarts) the check: pending, or final at once when `polls_until_final` is 0.
    pub fn start(&mut self, timing: &Timing) -> Option<Change> {
        if self.pinned || self.status.is_final() {
            return None;
        }
        let from = self.status;
        self.reads = 0;
        self.started_ms = Some(now_ms());
        self.status = SimStatus::Pending;
        if timing.polls_until_final == 0 {
            self.advance_to_final();
        }
        self.change_from(from)
    }

    /// One status read: advances the clock, returns the change it caused.
    pub fn read(&mut self, timing: &Timing) -> Option<Change> {
        if self.pinned || self.status != SimStatus::Pending {
            return None;
        }
        self.reads = self.reads.saturating_add(1);
        let by_reads = self.reads >= timing.polls_until_final;
        let by_time = match (timing.final_after, self.started_ms) {
            (Some(after), Some(started)) => {
                now_ms().saturating_sub(started) >= u64::try_from(after.as_millis()).unwrap_or(0)
            }
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

    /// A new scripted outcome: taken unless the status is already final or pinned.
    pub fn rescript(&mut self, outcome: &Outcome) {
        if !self.pinned && !self.status.is_final() {
            self.outcome = outcome.clone();
        }
    }

    fn advance_to_final(&mut self) {
        if let Some(status) = self.outcome.final_status() {
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

/// One vendor's scripted outcomes, by customer key (an e-mail is compared without case).
#[derive(Default)]
pub struct Scripts {
    by_customer: Mutex<HashMap<String, Outcome>>,
}

fn key(customer: &str) -> String {
    customer.trim().to_lowercase()
}

impl Scripts {
    /// Scripts `customer`'s outcome.
    pub fn set(&self, customer: &str, outcome: Outcome) {
        lock(&self.by_customer).insert(key(customer), outcome);
    }

    /// The outcome of a customer known by any of `keys`: a script, else the first key's magic suffix
    /// that names one, else verified.
    pub fn outcome<'a>(&self, keys: impl IntoIterator<Item = &'a str> + Clone) -> Outcome {
        let scripts = lock(&self.by_customer);
        if let Some(outcome) = keys.clone().into_iter().find_map(|k| scripts.get(&key(k))) {
            return outcome.clone();
        }
        keys.into_iter()
            .map(Outcome::from_identifier)
            .find(|o| *o != Outcome::Verified)
            .unwrap_or_default()
    }

    /// Forgets every script.
    pub fn clear(&self) {
        lock(&self.by_customer).clear();
    }
}

/// Locks a mutex, ignoring poisoning (a panicking handler must not stop the simulator).
pub fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timing(polls: u32) -> Timing {
        Timing {
            polls_until_final: polls,
            final_after: None,
        }
    }

    #[test]
    fn outcomes_come_from_the_local_part() {
        assert_eq!(
            Outcome::from_identifier("ana+reject@example.com"),
            Outcome::Rejected
        );
        assert_eq!(
            Outcome::from_identifier("ana+requires-data@example.com"),
            Outcome::RequiresData(Vec::new())
        );
        assert_eq!(
            Outcome::from_identifier("ana+pending@example.com"),
            Outcome::Pending
        );
        assert_eq!(
            Outcome::from_identifier("ana@reject.example.com"),
            Outcome::Verified
        );
        assert_eq!(Outcome::from_identifier(""), Outcome::Verified);
    }

    #[test]
    fn scripts_win_over_suffixes_and_ignore_case() {
        let scripts = Scripts::default();
        assert_eq!(scripts.outcome(["a+reject@x.io"]), Outcome::Rejected);
        scripts.set("A+Reject@X.io", Outcome::Pending);
        assert_eq!(
            scripts.outcome(["+34600", "a+reject@x.io"]),
            Outcome::Pending
        );
        assert_eq!(scripts.outcome(["other@x.io"]), Outcome::Verified);
        scripts.clear();
        assert_eq!(scripts.outcome(["a+reject@x.io"]), Outcome::Rejected);
    }

    #[test]
    fn the_clock_advances_on_reads() {
        let t = timing(3);
        let mut p = Progress::new(Outcome::Rejected);
        assert_eq!(p.read(&t), None, "not started: reads change nothing");
        assert_eq!(
            p.start(&t),
            Some(Change {
                from: SimStatus::NotStarted,
                to: SimStatus::Pending
            })
        );
        assert_eq!(p.read(&t), None);
        assert_eq!(p.read(&t), None);
        assert_eq!(
            p.read(&t),
            Some(Change {
                from: SimStatus::Pending,
                to: SimStatus::Rejected
            })
        );
        assert_eq!(p.start(&t), None, "a final status stays");

        let mut pending = Progress::new(Outcome::Pending);
        pending.start(&t);
        for _ in 0..10 {
            assert_eq!(pending.read(&t), None);
        }
        assert_eq!(pending.status, SimStatus::Pending);
        pending.rescript(&Outcome::Verified);
        pending.read(&t);
        assert_eq!(pending.status, SimStatus::Verified, "a new script applies");
        let mut pinned = Progress::new(Outcome::Verified);
        pinned.start(&t);
        pinned.set(SimStatus::Pending);
        pinned.rescript(&Outcome::Rejected);
        assert_eq!(
            pinned.outcome,
            Outcome::Verified,
            "a pinned status keeps its outcome"
        );

        let mut p = Progress::new(Outcome::Verified);
        p.start(&timing(0));
        assert_eq!(p.status, SimStatus::Verified);
    }
}
