//! One customer × provider: the flow's steps, journaled before and after each call, with lookups
//! before anything whose outcome is unknown is sent again.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rampkit_runtime::{ErrorKind, SlotWaits};
use serde_json::json;
use tokio::time::Instant;

use super::{BatchCustomer, BatchEvent, BatchOptions, FlowOutcome};
use crate::journal::{self, Claim, Journal, JournalEntry, JournalError, Phase, Step};
use crate::onboarding::{KycProvider, OnboardingError};
use crate::providers::{Provider, Registration};
use crate::status::KycStatus;

/// What the journal says about one customer × provider.
#[derive(Clone, Debug, Default)]
pub(super) struct PairState {
    pub(super) settled: Option<FlowOutcome>,
    /// `Some(reference)` once registered.
    registered: Option<Option<String>>,
    register_open: bool,
    register_intended: bool,
    uploaded: bool,
    started: bool,
    start_open: bool,
}

impl PairState {
    pub(super) fn apply(&mut self, entry: &JournalEntry) {
        let found = || {
            entry
                .detail
                .as_ref()
                .and_then(|d| d.get("found"))
                .and_then(|f| f.as_bool())
        };
        match (entry.step, entry.phase) {
            (Step::Register, Phase::Intent) => {
                self.register_open = true;
                self.register_intended = true;
            }
            (Step::Register, Phase::Unknown) => self.register_open = true,
            (Step::Register, Phase::Failed) => self.register_open = false,
            (Step::Register, Phase::Reconciled) if found() == Some(false) => {
                self.register_open = false
            }
            (Step::Register, Phase::Done) => {
                self.register_open = false;
                let reference = entry
                    .detail
                    .as_ref()
                    .and_then(|d| d.get("reference"))
                    .and_then(|r| r.as_str())
                    .map(str::to_owned);
                self.registered = Some(reference);
            }
            (Step::UploadDocuments, Phase::Done) => self.uploaded = true,
            (Step::StartVerification, Phase::Intent | Phase::Unknown) => self.start_open = true,
            (Step::StartVerification, Phase::Failed) => self.start_open = false,
            (Step::StartVerification, Phase::Reconciled) if found() == Some(false) => {
                self.start_open = false
            }
            (Step::StartVerification, Phase::Done) => {
                self.start_open = false;
                self.started = true;
            }
            (Step::Status, Phase::Final) => {
                let outcome: Option<FlowOutcome> = entry
                    .detail
                    .clone()
                    .and_then(|d| serde_json::from_value(d).ok());
                self.settled = outcome.filter(FlowOutcome::is_settled);
            }
            _ => {}
        }
    }
}

#[derive(Default)]
pub(super) struct Counters {
    pub(super) registrations_sent: AtomicU64,
    pub(super) step_retries: AtomicU64,
    pub(super) reconciliations: AtomicU64,
    pub(super) reconciled_found: AtomicU64,
    pub(super) already_exists_resolved: AtomicU64,
}

pub(super) fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// What to do after a step failed.
enum Next {
    /// The vendor did not carry it out, and trying again may help (429, a client-side rate-limit
    /// refusal, a network failure before sending): try again.
    Retry,
    /// No answer says whether the vendor carried it out, or it answered a server error: look it up
    /// before sending it again.
    LookUp,
    /// The vendor answered "already exists".
    AlreadyExists,
    /// Trying again would fail the same way.
    GiveUp,
}

fn classify(flow: &dyn KycProvider, error: &OnboardingError) -> Next {
    let Some(call) = error.call() else {
        return Next::GiveUp;
    };
    if flow.already_registered(call) {
        return Next::AlreadyExists;
    }
    match call.kind() {
        ErrorKind::RateLimited => Next::Retry,
        ErrorKind::OutcomeUnknown | ErrorKind::Server | ErrorKind::Transient => Next::LookUp,
        // A 429 or 5xx whatever its body made of it (a login answered with a gateway's HTML page is
        // "undecodable"): the vendor may recover.
        _ if call.status().is_some_and(|s| s == 429 || s >= 500) => Next::LookUp,
        _ => Next::GiveUp,
    }
}

fn error_kind(error: &OnboardingError) -> String {
    match error {
        OnboardingError::Call(call) => call.kind().as_str().to_owned(),
        OnboardingError::Conversion(_) => "conversion".to_owned(),
        OnboardingError::CannotReconcile { .. } => "cannot_reconcile".to_owned(),
        OnboardingError::UnexpectedAnswer { .. } => "unexpected_answer".to_owned(),
        OnboardingError::Timeout { .. } => "deadline".to_owned(),
        OnboardingError::Setup(_) => "setup".to_owned(),
        _ => "other".to_owned(),
    }
}

fn error_detail(error: &OnboardingError) -> serde_json::Value {
    let call = error.call();
    json!({
        "kind": error_kind(error),
        "operation": call.map(|c| c.operation()),
        "http_status": call.and_then(|c| c.status()),
        "vendor_code": call.and_then(|c| c.vendor_code()),
    })
}

/// One customer × provider.
pub(super) struct PairRun {
    pub(super) customer: Arc<BatchCustomer>,
    pub(super) provider: Provider,
    pub(super) flow: Arc<dyn KycProvider>,
    pub(super) journal: Arc<dyn Journal>,
    pub(super) options: Arc<BatchOptions>,
    pub(super) counters: Arc<Counters>,
    /// Who claims the pair: one id per run of a flow.
    pub(super) owner: Arc<str>,
    /// What the journal holds for the pair, read once the pair is claimed.
    pub(super) state: PairState,
    /// The time the flow's calls waited for rate-limit slots.
    pub(super) waits: SlotWaits,
}

/// A flow's deadline: its budget from when the run holds the customer, pushed back by every wait for a
/// rate-limit slot, so that a queue for slots never turns into a `deadline` failure of a flow that
/// did not get to send.
struct Deadline {
    base: Instant,
    waits: SlotWaits,
}

impl Deadline {
    fn at(&self) -> Instant {
        self.base + self.waits.total()
    }
}

/// A flow that stopped early, with its outcome.
struct Stop(FlowOutcome);

impl From<JournalError> for Stop {
    fn from(error: JournalError) -> Self {
        Stop(FlowOutcome::failed("journal", error.to_string(), true))
    }
}

impl PairRun {
    /// Claims the pair, reads what the journal holds for it, and runs what is left of its flow while
    /// renewing the claim; returns the outcome and whether the journal already held it (nothing sent).
    pub(super) async fn run(mut self) -> (FlowOutcome, bool) {
        loop {
            match self.claim().await {
                Ok(Some(settled)) => return (settled, true),
                Ok(None) => {}
                Err(Stop(outcome)) => return (outcome, false),
            }
            let entries = match self
                .journal
                .entries_of(self.reference(), self.provider)
                .await
            {
                Ok(entries) => entries,
                Err(error) => {
                    self.release().await;
                    return (Stop::from(error).0, false);
                }
            };
            let mut state = PairState::default();
            for entry in &entries {
                state.apply(entry);
            }
            if let Some(settled) = state.settled.clone() {
                self.release().await;
                return (settled, true);
            }
            self.state = state;
            // The deadline counts from here: the wait for the claim is not the flow's, and neither
            // are the waits for rate-limit slots (the runtime adds them up in `waits`).
            let deadline = Deadline {
                base: Instant::now() + self.options.deadline_of(self.provider),
                waits: self.waits.clone(),
            };
            let outcome = tokio::select! {
                result = self.waits.scope(self.steps(&deadline)) => match result {
                    Ok(outcome) | Err(Stop(outcome)) => outcome,
                },
                () = self.keep_claim() => {
                    // Another run took the flow over (this one stalled past its lease): what this
                    // one sent is in the journal, and that run reconciles it. Wait for its outcome
                    // (or take the flow again if it gives it up).
                    continue;
                }
            };
            // A failed append here only means the flow runs again next time (from its recorded steps).
            let _ = self
                .record(
                    Step::Status,
                    Phase::Final,
                    serde_json::to_value(&outcome).ok(),
                )
                .await;
            self.release().await;
            return (outcome, false);
        }
    }

    /// Waits until this owner holds the pair. `Some` when, meanwhile, another owner settled it.
    async fn claim(&self) -> Result<Option<FlowOutcome>, Stop> {
        let mut wait = Duration::from_millis(25);
        loop {
            let claim = self
                .journal
                .claim(
                    self.reference(),
                    self.provider,
                    &self.owner,
                    self.options.claim_lease,
                )
                .await?;
            let Claim::Held { expires_in } = claim else {
                return Ok(None);
            };
            // Held by another task or process: it may be finishing this very flow.
            let mut state = PairState::default();
            for entry in self
                .journal
                .entries_of(self.reference(), self.provider)
                .await?
            {
                state.apply(&entry);
            }
            if let Some(settled) = state.settled {
                return Ok(Some(settled));
            }
            tokio::time::sleep(wait.min(expires_in.max(Duration::from_millis(5)))).await;
            wait = (wait * 2).min(Duration::from_secs(1));
        }
    }

    /// Renews the claim every third of its lease; returns only when it was lost (another owner took it
    /// over after this process stalled past its lease), which stops the flow before it sends more.
    async fn keep_claim(&self) {
        let lease = self.options.claim_lease;
        loop {
            tokio::time::sleep(lease / 3).await;
            let claim = self
                .journal
                .claim(self.reference(), self.provider, &self.owner, lease)
                .await;
            // A storage hiccup (`Err`): the lease still has two thirds left; try again at the next tick.
            if let Ok(Claim::Held { .. }) = claim {
                return;
            }
        }
    }

    async fn release(&self) {
        // A claim not released runs out with its lease.
        let _ = self
            .journal
            .release(self.reference(), self.provider, &self.owner)
            .await;
    }

    fn reference(&self) -> &str {
        &self.customer.reference
    }

    /// Appends an entry ([`Journal::append_async`]).
    async fn record(
        &self,
        step: Step,
        phase: Phase,
        detail: Option<serde_json::Value>,
    ) -> Result<(), JournalError> {
        let mut entry = JournalEntry::now(self.reference(), self.provider, step, phase);
        entry.detail = detail;
        if phase == Phase::Intent {
            entry.lookup_key = Some(journal::lookup_key(
                &self.options.batch_id,
                self.customer.customer.email().expose_str(),
            ));
        }
        self.journal.append_async(entry).await
    }

    fn emit(&self, event: BatchEvent) {
        if let Some(events) = &self.options.events {
            let _ = events.send(event);
        }
    }

    /// Waits before trying `step` again, or stops the flow at the deadline.
    async fn backoff(
        &self,
        step: Step,
        attempt: &mut u32,
        deadline: &Deadline,
        error: &OnboardingError,
    ) -> Result<(), Stop> {
        let base = self
            .options
            .initial_backoff
            .saturating_mul(1u32 << (*attempt).min(16))
            .min(self.options.max_backoff);
        *attempt += 1;
        let wait = error
            .call()
            .and_then(|c| c.retry_after())
            .map_or(base, |after| after.max(base));
        // No slot before the call's own deadline (a long queue for slots): nothing was sent, and the
        // wait for the next try is a wait for a slot, not the flow's time.
        if let Some(call) = error.call()
            && call.kind() == ErrorKind::RateLimited
            && call.status().is_none()
        {
            self.waits.add(wait);
        }
        if Instant::now() + wait >= deadline.at() {
            return Err(Stop(FlowOutcome::failed(
                "deadline",
                format!(
                    "{}: deadline passed while retrying {step} (last: {error})",
                    self.provider
                ),
                true,
            )));
        }
        bump(&self.counters.step_retries);
        self.emit(BatchEvent::Retrying {
            reference: self.reference().to_owned(),
            provider: self.provider,
            step,
            kind: error_kind(error),
        });
        tokio::time::sleep(wait).await;
        Ok(())
    }

    fn give_up(&self, error: &OnboardingError) -> Stop {
        Stop(FlowOutcome::failed(
            error_kind(error),
            error.to_string(),
            false,
        ))
    }

    async fn steps(&self, deadline: &Deadline) -> Result<FlowOutcome, Stop> {
        let customer = &self.customer.customer;
        let registration = self.register(deadline).await?;

        if !self.state.uploaded {
            let mut attempt = 0;
            loop {
                match self.flow.upload_documents(customer, &registration).await {
                    Ok(()) => break,
                    Err(error) => match classify(&*self.flow, &error) {
                        Next::Retry | Next::LookUp => {
                            self.record(
                                Step::UploadDocuments,
                                Phase::Failed,
                                Some(error_detail(&error)),
                            )
                            .await?;
                            self.backoff(Step::UploadDocuments, &mut attempt, deadline, &error)
                                .await?
                        }
                        _ => return Err(self.give_up(&error)),
                    },
                }
            }
            if self.flow.steps().upload_documents {
                self.record(Step::UploadDocuments, Phase::Done, None)
                    .await?;
            }
        }

        if !self.state.started {
            self.start(&registration, deadline).await?;
        }
        self.poll(&registration, deadline).await
    }

    /// The registration: from the journal, from a lookup after an unknown outcome, or sent (once).
    async fn register(&self, deadline: &Deadline) -> Result<Registration, Stop> {
        let customer = &self.customer.customer;
        let mut attempt = 0;
        if let Some(reference) = &self.state.registered {
            if let Some(registration) = self
                .flow
                .restore_registration(customer, reference.as_deref())
            {
                return Ok(registration);
            }
            // Registered, but the journal keeps nothing personal to rebuild it from: look it up.
            loop {
                match self.flow.find_registration(customer).await {
                    Ok(Some(registration)) => return Ok(registration),
                    Ok(None) => {
                        return Err(Stop(FlowOutcome::failed(
                            "not_found",
                            format!(
                                "{}: the journal says registered, but the vendor holds no such customer",
                                self.provider
                            ),
                            false,
                        )));
                    }
                    Err(error) => match classify(&*self.flow, &error) {
                        Next::Retry | Next::LookUp => {
                            self.backoff(Step::Register, &mut attempt, deadline, &error)
                                .await?
                        }
                        _ => return Err(self.give_up(&error)),
                    },
                }
            }
        }
        let mut look_up = self.state.register_open;
        let mut intended = self.state.register_intended;
        let mut exists_lookups = 0;
        loop {
            if look_up {
                bump(&self.counters.reconciliations);
                match self.flow.find_registration(customer).await {
                    Ok(Some(registration)) => {
                        bump(&self.counters.reconciled_found);
                        self.record(
                            Step::Register,
                            Phase::Reconciled,
                            Some(json!({"found": true})),
                        )
                        .await?;
                        self.record(
                            Step::Register,
                            Phase::Done,
                            Some(json!({"reference": registration.reference()})),
                        )
                        .await?;
                        self.emit(BatchEvent::Reconciled {
                            reference: self.reference().to_owned(),
                            provider: self.provider,
                            step: Step::Register,
                            found: true,
                        });
                        return Ok(registration);
                    }
                    Ok(None) => {
                        self.record(
                            Step::Register,
                            Phase::Reconciled,
                            Some(json!({"found": false})),
                        )
                        .await?;
                        self.emit(BatchEvent::Reconciled {
                            reference: self.reference().to_owned(),
                            provider: self.provider,
                            step: Step::Register,
                            found: false,
                        });
                        look_up = false;
                    }
                    Err(error) => match classify(&*self.flow, &error) {
                        Next::Retry | Next::LookUp => {
                            self.backoff(Step::Register, &mut attempt, deadline, &error)
                                .await?;
                            continue;
                        }
                        _ => return Err(self.give_up(&error)),
                    },
                }
            }
            if Instant::now() >= deadline.at() {
                return Err(Stop(FlowOutcome::failed(
                    "deadline",
                    format!("{}: deadline passed before registering", self.provider),
                    true,
                )));
            }
            // The intent is durable before the request leaves. (Kriptomat's registration sends
            // nothing; its KYC import is journaled and counted in `start`.)
            if self.flow.steps().register {
                self.record(Step::Register, Phase::Intent, None).await?;
                bump(&self.counters.registrations_sent);
            }
            let result = self.flow.register(customer).await;
            match result {
                Ok(registration) => {
                    self.record(
                        Step::Register,
                        Phase::Done,
                        Some(json!({"reference": registration.reference()})),
                    )
                    .await?;
                    return Ok(registration);
                }
                Err(error) => match classify(&*self.flow, &error) {
                    Next::Retry => {
                        self.record(Step::Register, Phase::Failed, Some(error_detail(&error)))
                            .await?;
                        intended = true;
                        self.backoff(Step::Register, &mut attempt, deadline, &error)
                            .await?;
                    }
                    Next::LookUp => {
                        self.record(Step::Register, Phase::Unknown, Some(error_detail(&error)))
                            .await?;
                        intended = true;
                        look_up = true;
                        self.backoff(Step::Register, &mut attempt, deadline, &error)
                            .await?;
                    }
                    Next::AlreadyExists if intended && exists_lookups > 0 => {
                        // The vendor says it holds the customer, but its lookup does not find it.
                        self.record(Step::Register, Phase::Failed, Some(error_detail(&error)))
                            .await?;
                        return Err(Stop(FlowOutcome::failed(
                            "conflict",
                            format!(
                                "{}: the vendor answers \"already exists\" but its lookup finds no such customer ({error})",
                                self.provider
                            ),
                            false,
                        )));
                    }
                    Next::AlreadyExists if intended => {
                        exists_lookups += 1;
                        // An earlier attempt of this journal reached the vendor: that is our customer.
                        bump(&self.counters.already_exists_resolved);
                        self.record(Step::Register, Phase::Unknown, Some(error_detail(&error)))
                            .await?;
                        look_up = true;
                    }
                    Next::AlreadyExists => {
                        self.record(Step::Register, Phase::Failed, Some(error_detail(&error)))
                            .await?;
                        return Err(Stop(FlowOutcome::failed(
                            "conflict",
                            format!(
                                "{}: the vendor already holds this customer, registered outside this batch ({error})",
                                self.provider
                            ),
                            false,
                        )));
                    }
                    Next::GiveUp => {
                        self.record(Step::Register, Phase::Failed, Some(error_detail(&error)))
                            .await?;
                        return Err(self.give_up(&error));
                    }
                },
            }
        }
    }

    /// Starts verification; for Kriptomat's import (not safe to repeat) the intent is journaled and an
    /// unknown outcome is settled with a status read (`not_started` until the import was carried out).
    async fn start(&self, registration: &Registration, deadline: &Deadline) -> Result<(), Stop> {
        let customer = &self.customer.customer;
        let guarded = self.flow.steps().start_needs_lookup;
        let mut look_up = guarded && self.state.start_open;
        let mut attempt = 0;
        loop {
            if look_up {
                bump(&self.counters.reconciliations);
                match self.flow.status(customer, registration).await {
                    Ok(status) => {
                        let found = status.overall != KycStatus::NotStarted;
                        self.record(
                            Step::StartVerification,
                            Phase::Reconciled,
                            Some(json!({"found": found})),
                        )
                        .await?;
                        self.emit(BatchEvent::Reconciled {
                            reference: self.reference().to_owned(),
                            provider: self.provider,
                            step: Step::StartVerification,
                            found,
                        });
                        if found {
                            bump(&self.counters.reconciled_found);
                            self.record(Step::StartVerification, Phase::Done, None)
                                .await?;
                            return Ok(());
                        }
                        look_up = false;
                    }
                    Err(error) => match classify(&*self.flow, &error) {
                        Next::Retry | Next::LookUp => {
                            self.backoff(Step::StartVerification, &mut attempt, deadline, &error)
                                .await?;
                            continue;
                        }
                        _ => return Err(self.give_up(&error)),
                    },
                }
            }
            if guarded {
                self.record(Step::StartVerification, Phase::Intent, None)
                    .await?;
                bump(&self.counters.registrations_sent);
            }
            match self.flow.start_verification(customer, registration).await {
                Ok(_) => {
                    if self.flow.steps().start_verification {
                        self.record(Step::StartVerification, Phase::Done, None)
                            .await?;
                    }
                    return Ok(());
                }
                Err(error) => match classify(&*self.flow, &error) {
                    Next::Retry => {
                        self.record(
                            Step::StartVerification,
                            Phase::Failed,
                            Some(error_detail(&error)),
                        )
                        .await?;
                        self.backoff(Step::StartVerification, &mut attempt, deadline, &error)
                            .await?;
                    }
                    Next::LookUp | Next::AlreadyExists => {
                        self.record(
                            Step::StartVerification,
                            Phase::Unknown,
                            Some(error_detail(&error)),
                        )
                        .await?;
                        look_up = guarded;
                        self.backoff(Step::StartVerification, &mut attempt, deadline, &error)
                            .await?;
                    }
                    Next::GiveUp => {
                        self.record(
                            Step::StartVerification,
                            Phase::Failed,
                            Some(error_detail(&error)),
                        )
                        .await?;
                        return Err(self.give_up(&error));
                    }
                },
            }
        }
    }

    /// Reads the status until it is verified, rejected or asks for data the flow did not send.
    async fn poll(
        &self,
        registration: &Registration,
        deadline: &Deadline,
    ) -> Result<FlowOutcome, Stop> {
        let customer = &self.customer.customer;
        let mut intervals = self.options.poll.intervals();
        let mut attempt = 0;
        let mut started_again = false;
        loop {
            let status = match self.flow.status(customer, registration).await {
                Ok(status) => status,
                Err(error) => match classify(&*self.flow, &error) {
                    Next::Retry | Next::LookUp => {
                        self.backoff(Step::Status, &mut attempt, deadline, &error)
                            .await?;
                        continue;
                    }
                    _ => return Err(self.give_up(&error)),
                },
            };
            match &status.overall {
                KycStatus::Verified | KycStatus::Rejected { .. } => {
                    return Ok(FlowOutcome::Completed { status });
                }
                KycStatus::RequiresData { missing } => {
                    if started_again || !self.flow.already_sent(customer, missing) {
                        return Ok(FlowOutcome::Completed { status });
                    }
                    // Asked for what was sent (not yet processed): start once more (never Kriptomat's
                    // import, whose `already_sent` is false), then poll on.
                    started_again = true;
                    if let Err(error) = self.flow.start_verification(customer, registration).await
                        && let Next::GiveUp = classify(&*self.flow, &error)
                    {
                        return Err(self.give_up(&error));
                    }
                }
                KycStatus::NotStarted | KycStatus::Pending | KycStatus::Unknown { .. } => {}
            }
            let wait = intervals.next().unwrap_or(self.options.poll.max_interval);
            if Instant::now() + wait >= deadline.at() {
                return Err(Stop(FlowOutcome::failed(
                    "deadline",
                    format!(
                        "{}: no final status before the deadline (last: {status})",
                        self.provider
                    ),
                    true,
                )));
            }
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::ProviderStatus;

    #[test]
    fn journal_states_follow_the_protocol() {
        let entry = |step, phase, detail: Option<serde_json::Value>| {
            let mut e = JournalEntry::now("c-1", Provider::Leap, step, phase);
            e.detail = detail;
            e
        };
        let mut state = PairState::default();
        state.apply(&entry(Step::Register, Phase::Intent, None));
        assert!(state.register_open && state.registered.is_none());
        state.apply(&entry(Step::Register, Phase::Unknown, None));
        state.apply(&entry(
            Step::Register,
            Phase::Reconciled,
            Some(json!({"found": false})),
        ));
        assert!(!state.register_open && state.register_intended);
        state.apply(&entry(Step::Register, Phase::Intent, None));
        state.apply(&entry(
            Step::Register,
            Phase::Done,
            Some(json!({"reference": "42"})),
        ));
        assert_eq!(state.registered, Some(Some("42".to_owned())));
        assert!(!state.register_open);

        // A deadline failure is taken up again; a completed status is settled.
        let deadline = FlowOutcome::failed("deadline", "x", true);
        state.apply(&entry(
            Step::Status,
            Phase::Final,
            serde_json::to_value(&deadline).ok(),
        ));
        assert!(state.settled.is_none());
        let done = FlowOutcome::Completed {
            status: ProviderStatus::single(KycStatus::Verified),
        };
        state.apply(&entry(
            Step::Status,
            Phase::Final,
            serde_json::to_value(&done).ok(),
        ));
        assert_eq!(state.settled, Some(done));
    }
}
