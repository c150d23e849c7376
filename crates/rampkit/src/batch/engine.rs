//! The onboarding engine: [`Onboarder`] holds the providers' flows and a [`Journal`], and runs one
//! customer's flows — for a service's request handler ([`Onboarder::onboard`]) and for every customer of
//! a batch ([`onboard_batch`](super::onboard_batch)) alike, with one implementation.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use tokio::task::JoinSet;

use super::pair::{Counters, PairRun, PairState};
use super::{BatchCounters, BatchCustomer, BatchError, BatchOptions, FlowFactory, FlowOutcome};
use rampkit_runtime::SlotWaits;

use crate::journal::Journal;
use crate::onboarding::KycProvider;
use crate::providers::Provider;
use crate::validation::ValidationContext;

/// The onboarding engine: the providers' flows, a [`Journal`] and the [`BatchOptions`] they run with.
///
/// [`onboard`](Self::onboard) is idempotent per customer reference: for each provider it **claims**
/// the customer in the journal (see [claims](crate::journal#claims)), reads what the journal holds,
/// records the intent before each registration, resolves an unknown outcome or a vendor's "already
/// exists" to a registration it announced by looking the customer up at the vendor, resumes from the
/// stored registration (steps already done are not sent again), and records the outcome. Called again
/// for the same reference — after it finished, or at the same moment from another task or another
/// process sharing the journal — it sends nothing that was sent and returns the same outcomes: each
/// vendor receives one registration.
///
/// ```no_run
/// use std::sync::Arc;
/// use rampkit::batch::{BatchCustomer, BatchOptions, FlowFactory, Onboarder};
/// use rampkit::{Journal, SqliteJournal};
///
/// # async fn handler(flows: Vec<Arc<dyn FlowFactory>>, customer: BatchCustomer) -> Result<(), Box<dyn std::error::Error>> {
/// // Once, at start-up: every replica opens the same journal.
/// let journal: Arc<dyn Journal> = Arc::new(SqliteJournal::open("onboarding.db")?);
/// let onboarder = Onboarder::new(flows, journal, BatchOptions::new("wallet-users"))?;
/// // Per request (any number of times, from any replica): one registration per vendor.
/// let report = onboarder.onboard(&customer).await;
/// for (provider, outcome) in &report.outcomes {
///     println!("{provider}: {outcome:?}");
/// }
/// # Ok(()) }
/// ```
pub struct Onboarder {
    flows: Vec<Arc<dyn FlowFactory>>,
    journal: Arc<dyn Journal>,
    options: Arc<BatchOptions>,
    counters: Arc<Counters>,
    /// This engine's id; each flow run claims as `owner-N`, so that two calls of one engine for the
    /// same customer exclude each other as two processes do.
    owner: Arc<str>,
    runs: AtomicU64,
}

impl std::fmt::Debug for Onboarder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Onboarder")
            .field("providers", &self.providers().collect::<Vec<_>>())
            .field("batch_id", &self.options.batch_id)
            .field("owner", &self.owner)
            .finish_non_exhaustive()
    }
}

/// What [`Onboarder::onboard`] reports for one customer: the same for every call with its reference,
/// once its flows are settled (equality compares the reference, the problems and the outcomes; the
/// rate-limit waits are this call's).
#[derive(Clone, Debug, Serialize)]
pub struct CustomerReport {
    /// The customer's reference.
    pub reference: String,
    /// Validation problems (field paths and kinds, never values); when any, nothing was sent and
    /// every outcome is [`FlowOutcome::NotSent`].
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<String>,
    /// One outcome per provider, in the order the flows were given.
    pub outcomes: Vec<(Provider, FlowOutcome)>,
    /// Per provider (same order), how long this call's flow waited for rate-limit slots, in
    /// milliseconds (not counted against the flow's deadline; 0 for a flow this call did not run).
    pub rate_limit_wait_ms: Vec<(Provider, u64)>,
}

impl PartialEq for CustomerReport {
    fn eq(&self, other: &Self) -> bool {
        self.reference == other.reference
            && self.problems == other.problems
            && self.outcomes == other.outcomes
    }
}

/// An id for this engine's claims: unique per process and engine.
fn new_owner() -> Arc<str> {
    static ENGINES: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "{}-{nanos:x}-{}",
        std::process::id(),
        ENGINES.fetch_add(1, Ordering::Relaxed)
    )
    .into()
}

impl Onboarder {
    /// The engine for `flows` (one per provider) over `journal`, which is tied to
    /// [`BatchOptions::batch_id`] ([`Journal::open_batch`]).
    pub fn new(
        flows: Vec<Arc<dyn FlowFactory>>,
        journal: Arc<dyn Journal>,
        options: BatchOptions,
    ) -> Result<Self, BatchError> {
        let mut seen = std::collections::HashSet::new();
        for factory in &flows {
            if !seen.insert(factory.provider()) {
                return Err(BatchError::DuplicateProvider(factory.provider()));
            }
        }
        journal.open_batch(&options.batch_id)?;
        Ok(Self {
            flows,
            journal,
            options: Arc::new(options),
            counters: Arc::default(),
            owner: new_owner(),
            runs: AtomicU64::new(0),
        })
    }

    /// The providers, in order.
    pub fn providers(&self) -> impl Iterator<Item = Provider> + '_ {
        self.flows.iter().map(|f| f.provider())
    }

    /// The journal.
    pub fn journal(&self) -> &Arc<dyn Journal> {
        &self.journal
    }

    /// The options.
    pub fn options(&self) -> &BatchOptions {
        &self.options
    }

    /// What this engine sent and looked up so far (every call and batch it ran).
    pub fn counters(&self) -> BatchCounters {
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let counters = &self.counters;
        BatchCounters {
            customers: 0,
            registrations_sent: load(&counters.registrations_sent),
            step_retries: load(&counters.step_retries),
            reconciliations: load(&counters.reconciliations),
            reconciled_found: load(&counters.reconciled_found),
            already_exists_resolved: load(&counters.already_exists_resolved),
        }
    }

    /// The customer's validation problems for this engine's providers (`customer.person.email …`).
    pub(super) fn problems(&self, customer: &BatchCustomer) -> Vec<String> {
        let today = self
            .options
            .validation_date
            .unwrap_or_else(|| ValidationContext::current().today());
        let context = ValidationContext::new(today).for_providers(self.providers());
        match customer.customer.validate_with(&context) {
            Ok(()) => Vec::new(),
            Err(errors) => errors
                .iter()
                .map(|e| format!("customer.{e}").replace("customer.customer", "customer"))
                .collect(),
        }
    }

    /// Onboards one customer with every provider, concurrently (see the [type docs](Self)).
    pub async fn onboard(&self, customer: &BatchCustomer) -> CustomerReport {
        let problems = self.problems(customer);
        if !problems.is_empty() {
            return CustomerReport {
                reference: customer.reference.clone(),
                problems,
                outcomes: self
                    .providers()
                    .map(|p| {
                        let reason = format!("{p}: not sent, the customer is invalid");
                        (p, FlowOutcome::NotSent { reason })
                    })
                    .collect(),
                rate_limit_wait_ms: self.providers().map(|p| (p, 0)).collect(),
            };
        }
        let shared = Arc::new(customer.clone());
        let mut tasks = JoinSet::new();
        let mut waited = Vec::with_capacity(self.flows.len());
        for (index, factory) in self.flows.iter().enumerate() {
            let run = self.flow(&shared, factory.as_ref());
            let waits = run.as_ref().map(|r| r.waits.clone()).unwrap_or_default();
            waited.push(waits);
            tasks.spawn(async move {
                let outcome = match run {
                    Ok(run) => run.run().await.0,
                    Err(outcome) => outcome,
                };
                (index, outcome)
            });
        }
        let mut outcomes: Vec<Option<FlowOutcome>> = self.flows.iter().map(|_| None).collect();
        while let Some(done) = tasks.join_next().await {
            if let Ok((index, outcome)) = done {
                outcomes[index] = Some(outcome);
            }
        }
        CustomerReport {
            reference: customer.reference.clone(),
            problems,
            outcomes: self
                .providers()
                .zip(outcomes)
                .map(|(provider, outcome)| {
                    // A flow that panicked (a bug): whatever it sent is looked up next time.
                    let outcome = outcome.unwrap_or_else(|| {
                        FlowOutcome::failed("internal", "the flow ended abnormally (a bug)", true)
                    });
                    (provider, outcome)
                })
                .collect(),
            rate_limit_wait_ms: self
                .providers()
                .zip(waited)
                .map(|(provider, waits)| {
                    let ms = u64::try_from(waits.total().as_millis()).unwrap_or(u64::MAX);
                    (provider, ms)
                })
                .collect(),
        }
    }

    /// The flow of `factory`'s provider for `customer`, ready to [run](PairRun::run), or the outcome
    /// when it cannot be built (the line lacks a reference it needs).
    pub(super) fn flow(
        &self,
        customer: &Arc<BatchCustomer>,
        factory: &dyn FlowFactory,
    ) -> Result<PairRun, FlowOutcome> {
        let flow: Arc<dyn KycProvider> =
            factory
                .flow(customer)
                .map_err(|missing| FlowOutcome::NotSent {
                    reason: missing.to_string(),
                })?;
        Ok(PairRun {
            customer: Arc::clone(customer),
            provider: factory.provider(),
            flow,
            journal: Arc::clone(&self.journal),
            options: Arc::clone(&self.options),
            counters: Arc::clone(&self.counters),
            owner: format!(
                "{}-{}",
                self.owner,
                self.runs.fetch_add(1, Ordering::Relaxed)
            )
            .into(),
            state: PairState::default(),
            waits: SlotWaits::new(),
        })
    }

    /// The flows, for the batch runner.
    pub(super) fn factories(&self) -> &[Arc<dyn FlowFactory>] {
        &self.flows
    }
}
