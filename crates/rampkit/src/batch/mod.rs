//! Onboarding a whole customer base: [`onboard_batch`] runs every customer through every provider's
//! flow with bounded concurrency, per-provider deadlines and a [`Journal`], and resumes a batch that was
//! stopped — even by `kill -9` — without sending a registration twice or losing a step.
//!
//! ## Input
//!
//! One [`BatchCustomer`] per line of a JSONL file ([`read_jsonl`]):
//!
//! ```json
//! {"reference": "cust-0001", "customer": {"person": {…}}, "providers": {"kriptomat": {"user_id": 4242}, "crossmint": {"privacy_policy_accepted_at": "2026-01-01T00:00:00Z"}}}
//! ```
//!
//! - `reference`: the caller's own id of the customer, unique in the batch (1–128 printable characters;
//!   not personal data: it is what the journal and the report name the customer by).
//! - `customer`: the canonical customer ([`Customer`](crate::Customer), the JSON of `docs/customer.schema.json`).
//! - `providers` (optional): what a flow needs that the customer does not hold — the Kriptomat user id
//!   (Kriptomat documents no user creation, [`KriptomatSettings::user_id`](crate::KriptomatSettings::user_id)) and when the customer
//!   accepted Crossmint's privacy policy ([`CrossmintSettings::privacy_policy_accepted_at`](crate::CrossmintSettings::privacy_policy_accepted_at)). Without
//!   them that provider's flow is not sent for that customer, and the report says which field is
//!   missing.
//!
//! A line may also be a bare canonical customer (`{"person": …}`): its reference is then
//! [`derived_reference`] (from its e-mail's SHA-256) and it has no provider references.
//!
//! A line that is not such an object is reported with its line number and the JSON path of the
//! problem (never its value), and the batch goes on. A customer that fails validation is reported with
//! every problem and sent to no provider.
//!
//! ## Per customer × provider
//!
//! Register, upload documents, start verification, then poll the status until it is verified, rejected
//! or asks for data (as [`onboard`](crate::onboard)), with these additions:
//!
//! - **Journal**: each step's intent is appended before a request that is not safe to repeat (the
//!   registration; Kriptomat's KYC import), its result after ([`crate::journal`]).
//! - **Reconciliation**: an intent without a result (a crash; a timeout, a reset or a gateway error
//!   after sending, [`ErrorKind::OutcomeUnknown`](rampkit_runtime::ErrorKind::OutcomeUnknown)) is resolved by looking the customer up at the vendor
//!   ([`KycProvider::find_registration`]; for Kriptomat's import, `show_user`) before anything is sent
//!   again. A vendor's "already exists" to a registration this journal announced earlier resolves to
//!   the customer the vendor holds.
//! - **Retries**: a step that fails with a retryable error (429, 5xx, network) is retried with backoff
//!   until the provider's deadline ([`BatchOptions::deadline`]); a registration is only ever sent again
//!   after a lookup found nothing.
//! - **Rate limits**: the clients' own ([`rampkit_runtime::RateLimits`], Crossmint's 120 writes per
//!   minute by default): a flow waits for its slot.
//!
//! Concurrency is per provider: at most [`BatchOptions::concurrency`] flows of one provider are in
//! flight, and each provider's flows wait in a queue of their own (up to `max(1024, 8 × concurrency)`
//! customers ahead), so a provider slowed by its rate limit does not hold back the others; reading
//! pauses only when a provider's queue is full, so memory stays bounded whatever the input size.
//!
//! Build the Crossmint client with [`RetryPolicy::none`](rampkit_runtime::RetryPolicy::none): its
//! upsert is a PUT, which the runtime would repeat on a timeout; the batch instead looks the user up
//! first and only then sends it again.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::NaiveDate;
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinSet;
use tokio::time::Instant;

use rampkit_runtime::SlotWaits;

use crate::journal::Journal;
use crate::onboarding::{KycProvider, PollPolicy};
use crate::providers::Provider;

mod engine;
mod input;
mod pair;
mod report;

pub use engine::{CustomerReport, Onboarder};

pub use input::{BatchCustomer, LineError, derived_reference, parse_line, read_jsonl};
pub use report::{
    BatchCounters, BatchError, BatchEvent, BatchReport, FlowOutcome, InvalidCustomer,
    ProviderSummary,
};

use pair::PairState;

/// The pair a finished task ran and its outcome; a task that panicked is a failed flow (`internal`),
/// taken up again on resume, where anything it may have sent is looked up before it is sent again.
fn joined(
    done: Result<(tokio::task::Id, (FlowOutcome, bool)), tokio::task::JoinError>,
    running: &mut HashMap<tokio::task::Id, (String, Provider, SlotWaits)>,
) -> Ended {
    let (id, outcome) = match done {
        Ok((id, outcome)) => (id, outcome),
        Err(error) => (
            error.id(),
            (
                FlowOutcome::failed(
                    "internal",
                    "the flow ended abnormally (a bug): whatever it sent is looked up before anything \
                     is sent again on resume",
                    true,
                ),
                false,
            ),
        ),
    };
    let (reference, provider, waits) = running
        .remove(&id)
        .expect("every task's pair is recorded when it is spawned");
    (reference, provider, outcome, millis(waits.total()))
}

/// A flow that ended: customer, provider, (outcome, whether the journal held it), rate-limit waits (ms).
type Ended = (String, Provider, (FlowOutcome, bool), u64);

/// Whole milliseconds, saturating.
fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// Why a provider's flow cannot be built for a customer: its line lacks a reference the flow needs.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{provider}: not sent, the line has no `{field}`")]
pub struct MissingReference {
    /// The provider.
    pub provider: Provider,
    /// The missing field of the line (`providers.kriptomat.user_id`).
    pub field: &'static str,
}

/// Builds one provider's flow for each customer of a batch.
pub trait FlowFactory: Send + Sync {
    /// The provider.
    fn provider(&self) -> Provider;

    /// The flow for `customer`.
    fn flow(&self, customer: &BatchCustomer) -> Result<Arc<dyn KycProvider>, MissingReference>;
}

/// How [`onboard_batch`] runs.
#[derive(Clone, Debug)]
pub struct BatchOptions {
    /// The batch's name: a journal started for another batch is refused.
    pub batch_id: String,
    /// Flows of one provider in flight at once (at least 1).
    pub concurrency: usize,
    /// Waits between status reads ([`PollPolicy::intervals`]; its `deadline` is not used here, see
    /// [`deadline`](Self::deadline)).
    pub poll: PollPolicy,
    /// How long one customer's flow with a provider may take, counted from when the run holds the
    /// customer's claim (a wait for another run of the same customer is not counted): retries and
    /// polling included; past it the flow ends as failed (`deadline`), and a later run of the batch
    /// takes it up again. Waits for a client-side rate-limit slot are not counted (they are reported:
    /// [`ProviderSummary::rate_limit_wait_ms`], [`BatchEvent::Finished`]), so a queue for slots never
    /// fails a flow that did not get to send. A flow still queued behind its provider's concurrency has
    /// not started its deadline. Default 10 minutes.
    pub deadline: Duration,
    /// Per-provider deadlines replacing [`deadline`](Self::deadline).
    pub provider_deadlines: BTreeMap<Provider, Duration>,
    /// First wait before a failed step is tried again; doubles up to `max_backoff`.
    pub initial_backoff: Duration,
    /// Longest wait between two tries of a step.
    pub max_backoff: Duration,
    /// The date validation counts ages and expiries from; today (UTC) when `None`.
    pub validation_date: Option<NaiveDate>,
    /// Where progress events go, if anywhere.
    pub events: Option<mpsc::UnboundedSender<BatchEvent>>,
    /// Keep every flow's outcome in [`BatchReport::outcomes`] (memory grows with the batch; the
    /// journal and the events have them too). Default `false`.
    pub keep_outcomes: bool,
    /// How long a claim on a customer × provider lasts unless renewed (the engine renews it every
    /// third of it while the flow runs): how long another process waits before it takes over the
    /// flows of a process that died. Default 30 seconds.
    pub claim_lease: Duration,
    /// A stop a caller can ask for while the batch runs (Ctrl-C, a shutdown): once it is `true`, no
    /// further customer is read and no queued flow starts (each ends as failed with kind `stopped`, sent
    /// nothing and journaled nothing, so the next run of the batch takes it up); flows in progress finish.
    pub stop: Option<Arc<AtomicBool>>,
}

impl BatchOptions {
    /// The defaults for batch `batch_id`: concurrency 16, the default poll intervals, 10 minutes per
    /// flow, backoff from 250 ms to 10 s.
    pub fn new(batch_id: impl Into<String>) -> Self {
        Self {
            batch_id: batch_id.into(),
            concurrency: 16,
            poll: PollPolicy::default(),
            deadline: Duration::from_secs(600),
            provider_deadlines: BTreeMap::new(),
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            validation_date: None,
            events: None,
            keep_outcomes: false,
            claim_lease: Duration::from_secs(30),
            stop: None,
        }
    }

    fn deadline_of(&self, provider: Provider) -> Duration {
        self.provider_deadlines
            .get(&provider)
            .copied()
            .unwrap_or(self.deadline)
    }
}

/// Runs every customer through every provider's flow, journaled, and reports per provider. Call it
/// again with the same journal and input to resume a batch that was stopped: flows the journal holds
/// as settled are not touched, flows in progress go on from their last recorded step (see the
/// [module docs](self)). The flows are the [`Onboarder`]'s: two runs of one batch at once over one
/// journal (an overlapping cron, two replicas) send each registration once.
pub async fn onboard_batch<I>(
    customers: I,
    providers: &[Arc<dyn FlowFactory>],
    journal: Arc<dyn Journal>,
    options: BatchOptions,
) -> Result<BatchReport, BatchError>
where
    I: IntoIterator<Item = Result<BatchCustomer, LineError>>,
    I::IntoIter: Send,
{
    let engine = Onboarder::new(providers.to_vec(), journal, options)?;
    run_batch(&engine, customers).await
}

/// [`onboard_batch`] with an [`Onboarder`] the caller keeps (its counters add up over runs).
pub async fn run_batch<I>(engine: &Onboarder, customers: I) -> Result<BatchReport, BatchError>
where
    I: IntoIterator<Item = Result<BatchCustomer, LineError>>,
    I::IntoIter: Send,
{
    let started = Instant::now();
    let providers = engine.factories();
    let options = engine.options();
    let before = engine.counters();
    // What the journal already holds as settled is reported without claiming; the rest is claimed
    // and read again by the engine (another run may be on it).
    let mut states: HashMap<(String, Provider), PairState> = HashMap::new();
    for entry in engine.journal().entries()? {
        states
            .entry((entry.customer.clone(), entry.provider))
            .or_default()
            .apply(&entry);
    }
    states.retain(|_, s| s.settled.is_some());
    let settled_in_journal = states.len() as u64;
    let emit = |event: BatchEvent| {
        if let Some(events) = &options.events {
            let _ = events.send(event);
        }
    };
    emit(BatchEvent::Started {
        batch_id: options.batch_id.clone(),
        settled_in_journal,
    });

    // Per provider: `running` bounds the flows in flight, `queued` how far ahead of them customers
    // are read. A slow provider (its rate limit, a slow vendor) fills only its own queue: the others
    // go on, and reading pauses only once its queue is full.
    let concurrency = options.concurrency.max(1);
    let depth = (concurrency * 8).max(QUEUE_DEPTH);
    let running: HashMap<Provider, Arc<Semaphore>> = providers
        .iter()
        .map(|p| (p.provider(), Arc::new(Semaphore::new(concurrency))))
        .collect();
    let queued: HashMap<Provider, Arc<Semaphore>> = providers
        .iter()
        .map(|p| (p.provider(), Arc::new(Semaphore::new(depth))))
        .collect();
    let mut report = BatchReport {
        batch_id: options.batch_id.clone(),
        providers: providers
            .iter()
            .map(|p| (p.provider(), ProviderSummary::default()))
            .collect(),
        rejected_lines: Vec::new(),
        invalid_customers: Vec::new(),
        counters: BatchCounters::default(),
        wall_time_ms: 0,
        outcomes: Vec::new(),
    };
    let keep_outcomes = options.keep_outcomes;
    // One flow's end: the pair, its outcome, whether the journal held it, its rate-limit waits (ms).
    let tally = |report: &mut BatchReport,
                 (reference, provider, (outcome, from_journal), waited_ms): Ended| {
        if let Some((_, summary)) = report.providers.iter_mut().find(|(p, _)| *p == provider) {
            summary.add(&outcome, from_journal, waited_ms);
        }
        emit(BatchEvent::Finished {
            reference: reference.clone(),
            provider,
            outcome: outcome.clone(),
            from_journal,
            rate_limit_wait_ms: waited_ms,
        });
        if keep_outcomes {
            report.outcomes.push((reference, provider, outcome));
        }
    };

    let mut tasks: JoinSet<(FlowOutcome, bool)> = JoinSet::new();
    // Which pair each task runs, so that a task that ends abnormally (a panic in a flow) is reported as
    // failed instead of vanishing from the report.
    let mut in_flight: HashMap<tokio::task::Id, (String, Provider, SlotWaits)> = HashMap::new();
    let mut references = HashSet::new();
    let stop = options.stop.clone().unwrap_or_default();
    for (position, item) in customers.into_iter().enumerate() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        while let Some(done) = tasks.try_join_next_with_id() {
            tally(&mut report, joined(done, &mut in_flight));
        }
        let line_customer = match item {
            Ok(customer) => customer,
            Err(error) => {
                emit(BatchEvent::LineRejected(error.clone()));
                report.rejected_lines.push(error);
                continue;
            }
        };
        report.counters.customers += 1;
        let line = if line_customer.line > 0 {
            line_customer.line
        } else {
            position + 1
        };
        if !references.insert(line_customer.reference.clone()) {
            let error = LineError {
                line,
                problem: "`reference` repeats an earlier line's".to_owned(),
            };
            emit(BatchEvent::LineRejected(error.clone()));
            report.rejected_lines.push(error);
            continue;
        }
        let problems = engine.problems(&line_customer);
        if !problems.is_empty() {
            let invalid = InvalidCustomer {
                line,
                reference: line_customer.reference.clone(),
                problems,
            };
            emit(BatchEvent::CustomerInvalid(invalid.clone()));
            report.invalid_customers.push(invalid);
            for (_, summary) in &mut report.providers {
                summary.not_sent += 1;
            }
            continue;
        }
        let customer = Arc::new(line_customer);
        for factory in providers {
            let provider = factory.provider();
            if let Some(state) = states.remove(&(customer.reference.clone(), provider))
                && let Some(outcome) = state.settled
            {
                let reference = customer.reference.clone();
                tally(&mut report, (reference, provider, (outcome, true), 0));
                continue;
            }
            let run = match engine.flow(&customer, factory.as_ref()) {
                Ok(run) => run,
                Err(outcome) => {
                    let reference = customer.reference.clone();
                    tally(&mut report, (reference, provider, (outcome, false), 0));
                    continue;
                }
            };
            let Ok(place) = Arc::clone(&queued[&provider]).acquire_owned().await else {
                continue;
            };
            let slot = Arc::clone(&running[&provider]);
            let reference = customer.reference.clone();
            let waits = run.waits.clone();
            let stopping = Arc::clone(&stop);
            let task = tasks.spawn(async move {
                let permit = slot.acquire_owned().await;
                if stopping.load(Ordering::SeqCst) {
                    let outcome = FlowOutcome::failed(
                        "stopped",
                        "the batch was stopped before this flow started: nothing was sent; the next \
                         run of the batch takes it up",
                        true,
                    );
                    return (outcome, false);
                }
                let outcome = run.run().await;
                drop((permit, place));
                outcome
            });
            in_flight.insert(task.id(), (reference, provider, waits));
        }
    }
    while let Some(done) = tasks.join_next_with_id().await {
        tally(&mut report, joined(done, &mut in_flight));
    }
    let after = engine.counters();
    report.counters.registrations_sent = after.registrations_sent - before.registrations_sent;
    report.counters.step_retries = after.step_retries - before.step_retries;
    report.counters.reconciliations = after.reconciliations - before.reconciliations;
    report.counters.reconciled_found = after.reconciled_found - before.reconciled_found;
    report.counters.already_exists_resolved =
        after.already_exists_resolved - before.already_exists_resolved;
    report.wall_time_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

/// Customers read ahead of a provider's running flows, at least (8 × the concurrency when larger).
const QUEUE_DEPTH: usize = 1024;
