//! Per-vendor counters (`GET /_admin/counters`), keyed by the vendor's name (its path prefix).

use std::collections::BTreeMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::progress::lock;

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
    /// Requests that reached each operation (past rate limits and faults), by the spec's operation id.
    pub by_operation: BTreeMap<String, u64>,
    /// Webhooks delivered with a 2xx answer.
    pub webhooks_delivered: u64,
    /// Webhooks that failed (no answer or a non-2xx one).
    pub webhooks_failed: u64,
}

/// Every vendor's counters; serialises as `{"crossmint": {…}, "cryptopocket": {…}, …}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct CountersSnapshot {
    vendors: BTreeMap<String, VendorCounters>,
}

impl CountersSnapshot {
    /// The counters of `vendor` (a [`Vendor`](crate::Vendor) or its name); zeros for an unknown name.
    pub fn get(&self, vendor: impl AsRef<str>) -> VendorCounters {
        self.vendors
            .get(vendor.as_ref())
            .cloned()
            .unwrap_or_default()
    }

    /// Every vendor's counters, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &VendorCounters)> {
        self.vendors.iter().map(|(k, v)| (k.as_str(), v))
    }
}

/// The live counters of every vendor.
#[derive(Default)]
pub struct Counters {
    vendors: Mutex<BTreeMap<&'static str, VendorCounters>>,
}

impl Counters {
    /// Counters for `names`, all zero.
    pub fn new(names: impl IntoIterator<Item = &'static str>) -> Self {
        Self {
            vendors: Mutex::new(
                names
                    .into_iter()
                    .map(|n| (n, VendorCounters::default()))
                    .collect(),
            ),
        }
    }

    fn with(&self, vendor: &'static str, f: impl FnOnce(&mut VendorCounters)) {
        f(lock(&self.vendors).entry(vendor).or_default());
    }

    /// A request reached the vendor's prefix.
    pub fn request(&self, vendor: &'static str) {
        self.with(vendor, |c| c.requests += 1);
    }

    /// A request reached `operation`.
    pub fn operation(&self, vendor: &'static str, operation: &str) {
        self.with(vendor, |c| {
            if let Some(n) = c.by_operation.get_mut(operation) {
                *n += 1;
            } else {
                c.by_operation.insert(operation.to_owned(), 1);
            }
        });
    }

    /// A registration request; `duplicate` when the vendor already held the customer.
    pub fn registration(&self, vendor: &'static str, duplicate: bool) {
        self.with(vendor, |c| {
            c.registrations += 1;
            if duplicate {
                c.duplicates += 1;
            }
        });
    }

    /// A webhook went out.
    pub fn webhook(&self, vendor: &'static str, delivered: bool) {
        self.with(vendor, |c| {
            if delivered {
                c.webhooks_delivered += 1;
            } else {
                c.webhooks_failed += 1;
            }
        });
    }

    /// The counters now.
    pub fn snapshot(&self) -> CountersSnapshot {
        CountersSnapshot {
            vendors: lock(&self.vendors)
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        }
    }

    /// Back to zero.
    pub fn reset(&self) {
        for counters in lock(&self.vendors).values_mut() {
            *counters = VendorCounters::default();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_vendor_and_serialises_by_name() {
        let counters = Counters::new(["leap", "crossmint"]);
        counters.request("leap");
        counters.operation("leap", "register_user_v2");
        counters.operation("leap", "register_user_v2");
        counters.registration("leap", true);
        counters.webhook("crossmint", false);
        let snapshot = counters.snapshot();
        let leap = snapshot.get("leap");
        assert_eq!(
            (leap.requests, leap.registrations, leap.duplicates),
            (1, 1, 1)
        );
        assert_eq!(leap.by_operation["register_user_v2"], 2);
        assert_eq!(snapshot.get("crossmint").webhooks_failed, 1);
        assert_eq!(snapshot.get("nobody"), VendorCounters::default());
        let json = serde_json::to_value(&snapshot).unwrap();
        assert_eq!(json["leap"]["requests"], 1);
        assert_eq!(json.as_object().unwrap().len(), 2);
        counters.reset();
        assert_eq!(counters.snapshot().get("leap"), VendorCounters::default());
    }
}
