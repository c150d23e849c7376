//! The test kit's handles: a vendor ([`VendorHandle`]), one of its operations ([`OperationHandle`]:
//! recorded requests, deterministic faults, stubs) and one of its customers ([`CustomerHandle`]:
//! scripted outcome, status, webhook). Everything here is also reachable over `/_admin`.

use std::sync::Arc;

use rampkit_runtime::meta::OperationMeta;

use crate::counters::VendorCounters;
use crate::faults::{FaultKind, FaultRule};
use crate::hub::Hub;
use crate::progress::{Outcome, SimStatus};
use crate::record::RecordedRequest;
use crate::room::StatusError;
use crate::stubs::Stub;
use crate::vendors::Vendor;

/// One vendor of a running simulator ([`Simulator::vendor`](crate::Simulator::vendor)).
#[derive(Clone)]
pub struct VendorHandle {
    pub(crate) hub: Arc<Hub>,
    pub(crate) vendor: Vendor,
    pub(crate) base_url: String,
}

impl VendorHandle {
    /// The vendor.
    pub fn vendor(&self) -> Vendor {
        self.vendor
    }

    /// The base URL its generated client takes.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// One of its customers: an e-mail, a phone number, the vendor's id or (Crossmint) a user
    /// locator; Kriptomat: the user id or the SumSub applicant id.
    pub fn customer(&self, customer: impl Into<String>) -> CustomerHandle {
        CustomerHandle {
            hub: Arc::clone(&self.hub),
            vendor: self.vendor,
            customer: customer.into(),
        }
    }

    /// Its operation with the spec id `id`, if it has one.
    pub fn operation(&self, id: &str) -> Option<OperationHandle> {
        let meta = self.hub.operation(self.vendor, id)?;
        Some(OperationHandle {
            hub: Arc::clone(&self.hub),
            vendor: self.vendor,
            meta,
        })
    }

    /// Every request it received, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.hub.recorder.query(Some(self.vendor), None)
    }

    /// Its counters now.
    pub fn counters(&self) -> VendorCounters {
        self.hub.counters.snapshot().get(self.vendor)
    }

    /// The credentials it accepts, as `(field, value)`.
    pub fn credentials(&self) -> Vec<(&'static str, String)> {
        self.hub.config.vendors.section(self.vendor).credentials()
    }
}

/// One operation of a vendor ([`Simulator::operation`](crate::Simulator::operation)).
#[derive(Clone)]
pub struct OperationHandle {
    pub(crate) hub: Arc<Hub>,
    pub(crate) vendor: Vendor,
    pub(crate) meta: &'static OperationMeta,
}

impl OperationHandle {
    /// The vendor it belongs to.
    pub fn vendor(&self) -> Vendor {
        self.vendor
    }

    /// The spec's operation id.
    pub fn id(&self) -> &'static str {
        self.meta.id
    }

    /// Every request it received, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.hub
            .recorder
            .query(Some(self.vendor), Some(self.meta.id))
    }

    /// The last request it received.
    pub fn last_request(&self) -> Option<RecordedRequest> {
        self.requests().pop()
    }

    /// Its call number `n` (1-based, counting every request to it, faulted ones included) answers
    /// `kind`: `fail_call(2, FaultKind::Status502Html)` is "the 2nd call answers 502 HTML".
    pub fn fail_call(&self, n: u64, kind: FaultKind) -> &Self {
        self.add_fault(Some(n), kind)
    }

    /// Every call answers `kind`.
    pub fn fail_always(&self, kind: FaultKind) -> &Self {
        self.add_fault(None, kind)
    }

    fn add_fault(&self, call: Option<u64>, kind: FaultKind) -> &Self {
        self.hub.faults.add(FaultRule {
            vendor: self.vendor.as_str().to_owned(),
            operation: self.meta.id.to_owned(),
            call,
            kind,
        });
        self
    }

    /// Its next calls (as many as [`Stub::times`] says, or every one) answer `stub` instead of the
    /// simulated answer: no credentials check, no validation, nothing stored.
    pub fn stub(&self, stub: Stub) -> &Self {
        self.hub.stubs.add(self.vendor, self.meta.id, stub);
        self
    }
}

/// One customer of a vendor ([`VendorHandle::customer`]): script what its verification ends in, set
/// its status, send its webhook.
#[derive(Clone)]
pub struct CustomerHandle {
    pub(crate) hub: Arc<Hub>,
    pub(crate) vendor: Vendor,
    pub(crate) customer: String,
}

impl CustomerHandle {
    fn script(&self, outcome: Outcome) -> &Self {
        self.hub.room(self.vendor).script(&self.customer, outcome);
        self
    }

    /// The verification ends verified (the default, unless a magic suffix says otherwise).
    pub fn verifies(&self) -> &Self {
        self.script(Outcome::Verified)
    }

    /// The verification ends rejected.
    pub fn rejects(&self) -> &Self {
        self.script(Outcome::Rejected)
    }

    /// The verification ends asking for `items` (in the vendor's words where it lists them: Crossmint
    /// data sections go to `missingData`, anything else to `missingDocuments`).
    pub fn requires<I, S>(&self, items: I) -> &Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.script(Outcome::RequiresData(
            items.into_iter().map(Into::into).collect(),
        ))
    }

    /// The verification stays pending.
    pub fn stays_pending(&self) -> &Self {
        self.script(Outcome::Pending)
    }

    /// Sets the customer's status now (every product, for Crossmint) and sends the webhook of the
    /// change; the clock stops for it.
    pub fn set_status(&self, status: SimStatus) -> Result<(), StatusError> {
        self.hub
            .room(self.vendor)
            .set_status(&self.customer, None, status)
    }

    /// Sets the status of one product (Crossmint: `onramp`, `offramp`, …).
    pub fn set_product_status(&self, product: &str, status: SimStatus) -> Result<(), StatusError> {
        self.hub
            .room(self.vendor)
            .set_status(&self.customer, Some(product), status)
    }

    /// The customer's status now; `None` when the vendor holds no such customer.
    pub fn status(&self) -> Option<SimStatus> {
        self.hub.room(self.vendor).status(&self.customer)
    }

    /// Sends the webhook of the customer's current status; `false` without such a customer.
    pub fn send_webhook(&self) -> bool {
        self.hub.room(self.vendor).send_webhook(&self.customer)
    }
}
