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
//! - `customer`: the canonical customer ([`Customer`], the JSON of `docs/customer.schema.json`).
//! - `providers` (optional): what a flow needs that the customer does not hold — the Kriptomat user id
//!   (Kriptomat documents no user creation, [`KriptomatSettings::user_id`]) and when the customer
//!   accepted Crossmint's privacy policy ([`CrossmintSettings::privacy_policy_accepted_at`]). Without
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
//!   after sending, [`ErrorKind::OutcomeUnknown`]) is resolved by looking the customer up at the vendor
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
//! flight; customers are read as the slowest provider takes them, so memory stays bounded whatever
//! the input size.
//!
//! Build the Crossmint client with [`RetryPolicy::none`](rampkit_runtime::RetryPolicy::none): its
//! upsert is a PUT, which the runtime would repeat on a timeout; the batch instead looks the user up
//! first and only then sends it again.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::io::BufRead;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use rampkit_runtime::ErrorKind;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::sync::{Semaphore, mpsc};
use tokio::task::JoinSet;
use tokio::time::Instant;

use crate::customer::Customer;
use crate::journal::{self, Journal, JournalEntry, JournalError, Phase, Step};
use crate::limits::Provider;
use crate::onboarding::{
    CrossmintOnboarding, CrossmintSettings, CryptoPocketOnboarding, KriptomatOnboarding,
    KriptomatSettings, KycProvider, LeapOnboarding, OnboardingError, PollPolicy, ProviderStatus,
    Registration,
};
use crate::providers::crossmint::UserLocator;
use crate::status::KycStatus;
use crate::validation::ValidationContext;

/// One line of a batch: the caller's reference, the canonical customer, and what the flows need
/// besides it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchCustomer {
    /// The caller's own id of the customer, unique in the batch.
    pub reference: String,
    /// The customer.
    pub customer: Customer,
    /// Per-provider references.
    #[serde(default, skip_serializing_if = "ProviderReferences::is_empty")]
    pub providers: ProviderReferences,
    /// The line it was read from ([`parse_line`]); 0 when it did not come from a file (reports then
    /// give its position in the input, from 1).
    #[serde(skip)]
    pub line: usize,
}

/// What some providers' flows need that the canonical customer does not hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderReferences {
    /// Kriptomat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kriptomat: Option<KriptomatReference>,
    /// Crossmint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crossmint: Option<CrossmintReference>,
}

impl ProviderReferences {
    fn is_empty(&self) -> bool {
        self.kriptomat.is_none() && self.crossmint.is_none()
    }
}

/// The customer's existing Kriptomat user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KriptomatReference {
    /// The Kriptomat user id.
    pub user_id: i64,
}

/// The customer's Crossmint consent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossmintReference {
    /// When the customer accepted Crossmint's privacy policy in the platform's UI.
    pub privacy_policy_accepted_at: DateTime<Utc>,
}

/// A line of the input that is not a [`BatchCustomer`]. The problem names the JSON path, never the
/// value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct LineError {
    /// The line number, from 1.
    pub line: usize,
    /// What is wrong.
    pub problem: String,
}

const MAX_REFERENCE_LEN: usize = 128;

/// Parses line `line` (numbered from 1) of a batch file: a [`BatchCustomer`] object, or a bare
/// canonical customer (`{"person": …}` / `{"company": …}`), whose reference is then
/// [`derived_reference`] and which has no provider references.
pub fn parse_line(line: usize, text: &str) -> Result<BatchCustomer, LineError> {
    let fail = |problem: String| LineError { line, problem };
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        fail(match e.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                format!("not JSON (column {})", e.column())
            }
            _ => "not JSON".to_owned(),
        })
    })?;
    let path_problem = |e: serde_path_to_error::Error<serde_json::Error>| {
        let path = e.path().to_string();
        fail(if path == "." {
            "not a batch line (an object with reference, customer and providers, or a customer)"
                .to_owned()
        } else {
            format!("`{path}` is missing, unknown or of the wrong type")
        })
    };
    let bare = value
        .as_object()
        .is_some_and(|o| o.contains_key("person") || o.contains_key("company"));
    let mut parsed = if bare {
        let customer: Customer = serde_path_to_error::deserialize(value).map_err(path_problem)?;
        BatchCustomer {
            reference: derived_reference(&customer),
            customer,
            providers: ProviderReferences::default(),
            line: 0,
        }
    } else {
        serde_path_to_error::deserialize::<_, BatchCustomer>(value).map_err(path_problem)?
    };
    parsed.line = line;
    let reference = &parsed.reference;
    if reference.is_empty()
        || reference.len() > MAX_REFERENCE_LEN
        || reference.chars().any(char::is_control)
    {
        return Err(fail(format!(
            "`reference` must be 1 to {MAX_REFERENCE_LEN} characters without control characters"
        )));
    }
    Ok(parsed)
}

/// The reference of a customer given without one: `rampkit-` and the first 16 hex digits of the
/// SHA-256 of its trimmed, lower-cased e-mail address (stable across runs; the address itself is never
/// kept).
pub fn derived_reference(customer: &Customer) -> String {
    use sha2::{Digest, Sha256};
    let email = customer.email().expose_str().trim().to_lowercase();
    let digest = Sha256::digest(email.as_bytes());
    format!("rampkit-{}", &hex::encode(digest)[..16])
}

/// The lines of a JSONL batch file, parsed one by one as they are read (blank lines skipped). A line
/// that cannot be read (not UTF-8) is a [`LineError`] like a malformed one.
pub fn read_jsonl<R: BufRead>(reader: R) -> impl Iterator<Item = Result<BatchCustomer, LineError>> {
    reader.lines().enumerate().filter_map(|(index, line)| {
        let number = index + 1;
        match line {
            Ok(text) if text.trim().is_empty() => None,
            Ok(text) => Some(parse_line(number, &text)),
            Err(_) => Some(Err(LineError {
                line: number,
                problem: "not UTF-8 text".to_owned(),
            })),
        }
    })
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

impl FlowFactory for CryptoPocketOnboarding {
    fn provider(&self) -> Provider {
        Provider::CryptoPocket
    }

    fn flow(&self, _customer: &BatchCustomer) -> Result<Arc<dyn KycProvider>, MissingReference> {
        Ok(Arc::new(self.clone()))
    }
}

impl FlowFactory for LeapOnboarding {
    fn provider(&self) -> Provider {
        Provider::Leap
    }

    fn flow(&self, _customer: &BatchCustomer) -> Result<Arc<dyn KycProvider>, MissingReference> {
        Ok(Arc::new(self.clone()))
    }
}

/// Crossmint flows for a batch: the user locator is `userId:<reference>` (never an e-mail in a URL), the
/// consent date comes from the line.
#[derive(Clone, Debug)]
pub struct CrossmintBatch {
    client: rampkit_crossmint::Client,
    products: Vec<rampkit_crossmint::types::ProductType>,
}

impl CrossmintBatch {
    /// Flows over `client` (build it with `RetryPolicy::none()`, see the [module docs](self)) for
    /// `products`.
    pub fn new(
        client: rampkit_crossmint::Client,
        products: Vec<rampkit_crossmint::types::ProductType>,
    ) -> Self {
        Self { client, products }
    }
}

impl FlowFactory for CrossmintBatch {
    fn provider(&self) -> Provider {
        Provider::Crossmint
    }

    fn flow(&self, customer: &BatchCustomer) -> Result<Arc<dyn KycProvider>, MissingReference> {
        let consent = customer
            .providers
            .crossmint
            .as_ref()
            .ok_or(MissingReference {
                provider: Provider::Crossmint,
                field: "providers.crossmint.privacy_policy_accepted_at",
            })?;
        Ok(Arc::new(CrossmintOnboarding::new(
            self.client.clone(),
            CrossmintSettings {
                user_locator: UserLocator::user_id(customer.reference.clone()),
                privacy_policy_accepted_at: consent.privacy_policy_accepted_at,
                products: self.products.clone(),
            },
        )))
    }
}

/// Kriptomat flows for a batch: the user id comes from the line.
#[derive(Clone, Debug)]
pub struct KriptomatBatch {
    kriptomat: rampkit_kriptomat::Client,
    sumsub: rampkit_sumsub::Client,
    sumsub_client_id: String,
    share_token_ttl_secs: Option<i32>,
}

impl KriptomatBatch {
    /// Flows over the Kriptomat and SumSub clients; `sumsub_client_id` is Kriptomat's SumSub client id
    /// ([`KriptomatSettings::sumsub_client_id`]).
    pub fn new(
        kriptomat: rampkit_kriptomat::Client,
        sumsub: rampkit_sumsub::Client,
        sumsub_client_id: impl Into<String>,
    ) -> Self {
        Self {
            kriptomat,
            sumsub,
            sumsub_client_id: sumsub_client_id.into(),
            share_token_ttl_secs: None,
        }
    }
}

impl FlowFactory for KriptomatBatch {
    fn provider(&self) -> Provider {
        Provider::Kriptomat
    }

    fn flow(&self, customer: &BatchCustomer) -> Result<Arc<dyn KycProvider>, MissingReference> {
        let user = customer
            .providers
            .kriptomat
            .as_ref()
            .ok_or(MissingReference {
                provider: Provider::Kriptomat,
                field: "providers.kriptomat.user_id",
            })?;
        Ok(Arc::new(KriptomatOnboarding::new(
            self.kriptomat.clone(),
            self.sumsub.clone(),
            KriptomatSettings {
                user_id: user.user_id,
                sumsub_client_id: self.sumsub_client_id.clone(),
                share_token_ttl_secs: self.share_token_ttl_secs,
            },
        )))
    }
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
    /// How long one customer's flow with a provider may take, retries, rate-limit waits and polling
    /// included; past it the flow ends as failed (`deadline`), and a later run of the batch takes it up
    /// again. Default 10 minutes.
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
        }
    }

    fn deadline_of(&self, provider: Provider) -> Duration {
        self.provider_deadlines
            .get(&provider)
            .copied()
            .unwrap_or(self.deadline)
    }
}

/// How one customer's flow with one provider ended.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum FlowOutcome {
    /// The provider answered a status that ends the flow: verified, rejected, or asking for data.
    Completed {
        /// The status.
        status: ProviderStatus,
    },
    /// The flow ended without such a status.
    Failed {
        /// `deadline`, `conversion`, `cannot_reconcile`, `conflict`, `journal`, `unexpected_answer`, or
        /// the runtime's [`ErrorKind::as_str`] of the failed call.
        kind: String,
        /// What failed (provider, operation, kind; never a personal value or a vendor message).
        message: String,
        /// Whether running the batch again would try once more (`false`: it would fail the same way).
        retry_on_resume: bool,
    },
    /// Nothing was sent: the line lacks a reference this provider's flow needs.
    NotSent {
        /// Which.
        reason: String,
    },
}

impl FlowOutcome {
    /// Verified, rejected or requires data.
    pub fn status(&self) -> Option<&ProviderStatus> {
        match self {
            FlowOutcome::Completed { status } => Some(status),
            _ => None,
        }
    }

    /// Whether a later run of the batch leaves it as it is.
    pub fn is_settled(&self) -> bool {
        match self {
            FlowOutcome::Completed { .. } | FlowOutcome::NotSent { .. } => true,
            FlowOutcome::Failed {
                retry_on_resume, ..
            } => !retry_on_resume,
        }
    }

    fn failed(kind: impl Into<String>, message: impl Into<String>, retry: bool) -> Self {
        FlowOutcome::Failed {
            kind: kind.into(),
            message: message.into(),
            retry_on_resume: retry,
        }
    }
}

/// A customer that failed validation: sent to no provider.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InvalidCustomer {
    /// Its line, when it came from a file (the position in the input otherwise).
    pub line: usize,
    /// Its reference.
    pub reference: String,
    /// Every problem (`person.email invalid email address`): field paths and kinds, never values.
    pub problems: Vec<String>,
}

/// What [`onboard_batch`] reports as it goes.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum BatchEvent {
    /// The batch starts: how much of it the journal already holds.
    Started {
        /// The batch.
        batch_id: String,
        /// Flows the journal holds as settled.
        settled_in_journal: u64,
    },
    /// A line was not a batch line; the batch goes on.
    LineRejected(LineError),
    /// A customer failed validation; it is sent to no provider.
    CustomerInvalid(InvalidCustomer),
    /// A customer's flow with a provider ended.
    Finished {
        /// The customer.
        reference: String,
        /// The provider.
        provider: Provider,
        /// How it ended.
        outcome: FlowOutcome,
        /// Whether the journal already held this outcome (nothing was sent this run).
        from_journal: bool,
    },
    /// A step whose outcome was unknown was looked up at the vendor.
    Reconciled {
        /// The customer.
        reference: String,
        /// The provider.
        provider: Provider,
        /// The step.
        step: Step,
        /// Whether the vendor held what the step creates.
        found: bool,
    },
    /// A step failed and will be tried again.
    Retrying {
        /// The customer.
        reference: String,
        /// The provider.
        provider: Provider,
        /// The step.
        step: Step,
        /// The error kind.
        kind: String,
    },
}

/// Counts of one provider's flows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProviderSummary {
    /// Verified.
    pub verified: u64,
    /// Rejected.
    pub rejected: u64,
    /// Requires data, per item missing (vendor vocabulary; `unspecified` when the vendor lists none).
    pub requires_data: u64,
    /// The items the requires-data statuses listed, with how many customers each.
    pub requires_data_items: BTreeMap<String, u64>,
    /// Failed, per kind.
    pub failed: BTreeMap<String, u64>,
    /// Not sent (a missing reference, or the customer failed validation).
    pub not_sent: u64,
    /// Of all these, how many the journal already held (settled by an earlier run).
    pub from_journal: u64,
}

impl ProviderSummary {
    /// Every flow counted.
    pub fn total(&self) -> u64 {
        self.verified
            + self.rejected
            + self.requires_data
            + self.failed.values().sum::<u64>()
            + self.not_sent
    }

    fn add(&mut self, outcome: &FlowOutcome, from_journal: bool) {
        if from_journal {
            self.from_journal += 1;
        }
        match outcome {
            FlowOutcome::Completed { status } => match &status.overall {
                KycStatus::Verified => self.verified += 1,
                KycStatus::Rejected { .. } => self.rejected += 1,
                KycStatus::RequiresData { missing } => {
                    self.requires_data += 1;
                    if missing.is_empty() {
                        *self
                            .requires_data_items
                            .entry("unspecified".to_owned())
                            .or_default() += 1;
                    }
                    for item in missing {
                        *self.requires_data_items.entry(item.clone()).or_default() += 1;
                    }
                }
                other => *self.failed.entry(other.label().to_owned()).or_default() += 1,
            },
            FlowOutcome::Failed { kind, .. } => *self.failed.entry(kind.clone()).or_default() += 1,
            FlowOutcome::NotSent { .. } => self.not_sent += 1,
        }
    }
}

/// What the batch did this run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BatchCounters {
    /// Customers read (valid or not).
    pub customers: u64,
    /// Registrations sent this run, each after its intent was journaled (for Kriptomat: KYC imports).
    pub registrations_sent: u64,
    /// Steps tried again after a failure.
    pub step_retries: u64,
    /// Lookups at a vendor to settle an unknown outcome.
    pub reconciliations: u64,
    /// Of those, how many found what the step creates (so it was not sent again).
    pub reconciled_found: u64,
    /// "Already exists" answers resolved to the customer this journal registered.
    pub already_exists_resolved: u64,
}

/// The result of [`onboard_batch`]: per provider counts, the rejected lines and invalid customers,
/// and what the run did. `Display` is a table; serde gives the JSON report.
#[derive(Clone, Debug, Serialize)]
pub struct BatchReport {
    /// The batch.
    pub batch_id: String,
    /// Per provider, in the order given.
    pub providers: Vec<(Provider, ProviderSummary)>,
    /// Lines that were not batch lines.
    pub rejected_lines: Vec<LineError>,
    /// Customers that failed validation.
    pub invalid_customers: Vec<InvalidCustomer>,
    /// What this run did.
    pub counters: BatchCounters,
    /// Wall time of this run, in milliseconds.
    pub wall_time_ms: u64,
    /// Every flow's outcome, by customer reference and provider, with
    /// [`BatchOptions::keep_outcomes`].
    #[serde(skip)]
    pub outcomes: Vec<(String, Provider, FlowOutcome)>,
}

impl BatchReport {
    /// The summary of `provider`.
    pub fn summary(&self, provider: Provider) -> Option<&ProviderSummary> {
        self.providers
            .iter()
            .find(|(p, _)| *p == provider)
            .map(|(_, s)| s)
    }

    /// Whether every flow ended verified, rejected or asking for data (none failed, none unsent).
    pub fn all_completed(&self) -> bool {
        self.providers
            .iter()
            .all(|(_, s)| s.failed.is_empty() && s.not_sent == 0)
    }
}

impl fmt::Display for BatchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<13} {:>9} {:>9} {:>14} {:>7} {:>9}  details",
            "provider", "verified", "rejected", "requires data", "failed", "not sent"
        )?;
        for (provider, s) in &self.providers {
            let failed: u64 = s.failed.values().sum();
            let mut details: Vec<String> = s
                .requires_data_items
                .iter()
                .map(|(item, n)| format!("needs {item}: {n}"))
                .collect();
            details.extend(s.failed.iter().map(|(kind, n)| format!("{kind}: {n}")));
            writeln!(
                f,
                "{:<13} {:>9} {:>9} {:>14} {:>7} {:>9}  {}",
                provider.as_str(),
                s.verified,
                s.rejected,
                s.requires_data,
                failed,
                s.not_sent,
                details.join(", ")
            )?;
        }
        for line in &self.rejected_lines {
            writeln!(f, "rejected {line}")?;
        }
        for invalid in &self.invalid_customers {
            writeln!(
                f,
                "invalid line {} ({}): {}",
                invalid.line,
                invalid.reference,
                invalid.problems.join("; ")
            )?;
        }
        let c = &self.counters;
        write!(
            f,
            "{} customers; {} registrations sent, {} step retries, {} reconciliations ({} found), {} already-exists resolved; {:.1} s",
            c.customers,
            c.registrations_sent,
            c.step_retries,
            c.reconciliations,
            c.reconciled_found,
            c.already_exists_resolved,
            self.wall_time_ms as f64 / 1000.0
        )
    }
}

/// Why a batch could not run at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    /// The journal cannot be used (another batch, a newer schema, storage).
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// Two factories for the same provider.
    #[error("{0} is given twice")]
    DuplicateProvider(Provider),
}

/// What the journal says about one customer × provider.
#[derive(Clone, Debug, Default)]
struct PairState {
    settled: Option<FlowOutcome>,
    /// `Some(reference)` once registered.
    registered: Option<Option<String>>,
    register_open: bool,
    register_intended: bool,
    uploaded: bool,
    started: bool,
    start_open: bool,
}

impl PairState {
    fn apply(&mut self, entry: &JournalEntry) {
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
struct Counters {
    registrations_sent: AtomicU64,
    step_retries: AtomicU64,
    reconciliations: AtomicU64,
    reconciled_found: AtomicU64,
    already_exists_resolved: AtomicU64,
}

fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// Runs every customer through every provider's flow, journaled, and reports per provider. Call it
/// again with the same journal and input to resume a batch that was stopped: flows the journal holds
/// as settled are not touched, flows in progress go on from their last recorded step (see the
/// [module docs](self)).
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
    let started = Instant::now();
    let mut seen = HashSet::new();
    for factory in providers {
        if !seen.insert(factory.provider()) {
            return Err(BatchError::DuplicateProvider(factory.provider()));
        }
    }
    journal.open_batch(&options.batch_id)?;
    let mut states: HashMap<(String, Provider), PairState> = HashMap::new();
    for entry in journal.entries()? {
        states
            .entry((entry.customer.clone(), entry.provider))
            .or_default()
            .apply(&entry);
    }
    let settled_in_journal = states.values().filter(|s| s.settled.is_some()).count() as u64;
    let options = Arc::new(options);
    let emit = {
        let events = options.events.clone();
        move |event: BatchEvent| {
            if let Some(events) = &events {
                let _ = events.send(event);
            }
        }
    };
    emit(BatchEvent::Started {
        batch_id: options.batch_id.clone(),
        settled_in_journal,
    });

    let today = options
        .validation_date
        .unwrap_or_else(|| ValidationContext::current().today());
    let context =
        ValidationContext::new(today).for_providers(providers.iter().map(|p| p.provider()));
    let counters = Arc::new(Counters::default());
    let limits: HashMap<Provider, Arc<Semaphore>> = providers
        .iter()
        .map(|p| {
            (
                p.provider(),
                Arc::new(Semaphore::new(options.concurrency.max(1))),
            )
        })
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
    let tally = |report: &mut BatchReport,
                 reference: String,
                 provider: Provider,
                 outcome: FlowOutcome,
                 from_journal: bool| {
        if let Some((_, summary)) = report.providers.iter_mut().find(|(p, _)| *p == provider) {
            summary.add(&outcome, from_journal);
        }
        emit(BatchEvent::Finished {
            reference: reference.clone(),
            provider,
            outcome: outcome.clone(),
            from_journal,
        });
        if keep_outcomes {
            report.outcomes.push((reference, provider, outcome));
        }
    };

    let mut tasks: JoinSet<(String, Provider, FlowOutcome)> = JoinSet::new();
    let mut references = HashSet::new();
    for (position, item) in customers.into_iter().enumerate() {
        while let Some(done) = tasks.try_join_next() {
            if let Ok((reference, provider, outcome)) = done {
                tally(&mut report, reference, provider, outcome, false);
            }
        }
        let line_customer = match item {
            Ok(customer) => customer,
            Err(error) => {
                if let Some(events) = &options.events {
                    let _ = events.send(BatchEvent::LineRejected(error.clone()));
                }
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
            if let Some(events) = &options.events {
                let _ = events.send(BatchEvent::LineRejected(error.clone()));
            }
            report.rejected_lines.push(error);
            continue;
        }
        if let Err(errors) = line_customer.customer.validate_with(&context) {
            let invalid = InvalidCustomer {
                line,
                reference: line_customer.reference.clone(),
                problems: errors
                    .iter()
                    .map(|e| format!("customer.{e}").replace("customer.customer", "customer"))
                    .collect(),
            };
            if let Some(events) = &options.events {
                let _ = events.send(BatchEvent::CustomerInvalid(invalid.clone()));
            }
            report.invalid_customers.push(invalid);
            for (_, summary) in &mut report.providers {
                summary.not_sent += 1;
            }
            continue;
        }
        let customer = Arc::new(line_customer);
        for factory in providers {
            let provider = factory.provider();
            let state = states
                .remove(&(customer.reference.clone(), provider))
                .unwrap_or_default();
            if let Some(outcome) = state.settled.clone() {
                tally(
                    &mut report,
                    customer.reference.clone(),
                    provider,
                    outcome,
                    true,
                );
                continue;
            }
            let flow = match factory.flow(&customer) {
                Ok(flow) => flow,
                Err(missing) => {
                    let outcome = FlowOutcome::NotSent {
                        reason: missing.to_string(),
                    };
                    tally(
                        &mut report,
                        customer.reference.clone(),
                        provider,
                        outcome,
                        false,
                    );
                    continue;
                }
            };
            let Ok(permit) = Arc::clone(&limits[&provider]).acquire_owned().await else {
                continue;
            };
            let run = PairRun {
                customer: Arc::clone(&customer),
                provider,
                flow,
                journal: Arc::clone(&journal),
                options: Arc::clone(&options),
                counters: Arc::clone(&counters),
                state,
            };
            tasks.spawn(async move {
                let outcome = run.run().await;
                drop(permit);
                (run.customer.reference.clone(), provider, outcome)
            });
        }
    }
    while let Some(done) = tasks.join_next().await {
        if let Ok((reference, provider, outcome)) = done {
            tally(&mut report, reference, provider, outcome, false);
        }
    }
    let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
    report.counters.registrations_sent = load(&counters.registrations_sent);
    report.counters.step_retries = load(&counters.step_retries);
    report.counters.reconciliations = load(&counters.reconciliations);
    report.counters.reconciled_found = load(&counters.reconciled_found);
    report.counters.already_exists_resolved = load(&counters.already_exists_resolved);
    report.wall_time_ms = started.elapsed().as_millis() as u64;
    Ok(report)
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

fn classify(error: &OnboardingError) -> Next {
    let Some(call) = error.call() else {
        return Next::GiveUp;
    };
    let already = matches!(
        call.vendor_code(),
        Some("user_already_exists" | "ERROR_USER_ALREADY_ENROLLED")
    );
    if already || call.kind() == ErrorKind::Conflict {
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

/// Whether the provider's flow sends anything in `step` (a step that sends nothing is repeated on
/// resume instead of journaled: CryptoPocket and Leap take no separate uploads or start call; Kriptomat
/// takes no uploads, and its registration is its existing user).
fn sends_something(provider: Provider, step: Step) -> bool {
    !matches!(
        (provider, step),
        (
            Provider::CryptoPocket | Provider::Leap,
            Step::UploadDocuments | Step::StartVerification
        ) | (Provider::Kriptomat, Step::Register | Step::UploadDocuments)
    )
}

/// Whether a step is not safe to repeat without a lookup first: the registration, and Kriptomat's KYC
/// import (the other providers' start-verification calls may be repeated).
fn start_needs_lookup(provider: Provider) -> bool {
    provider == Provider::Kriptomat
}

/// One customer × provider.
struct PairRun {
    customer: Arc<BatchCustomer>,
    provider: Provider,
    flow: Arc<dyn KycProvider>,
    journal: Arc<dyn Journal>,
    options: Arc<BatchOptions>,
    counters: Arc<Counters>,
    state: PairState,
}

/// A flow that stopped early, with its outcome.
struct Stop(FlowOutcome);

impl From<JournalError> for Stop {
    fn from(error: JournalError) -> Self {
        Stop(FlowOutcome::failed("journal", error.to_string(), true))
    }
}

impl PairRun {
    async fn run(&self) -> FlowOutcome {
        let deadline = Instant::now() + self.options.deadline_of(self.provider);
        let outcome = match self.steps(deadline).await {
            Ok(outcome) | Err(Stop(outcome)) => outcome,
        };
        // A failed append here only means the flow runs again next time (from its recorded steps).
        let _ = self
            .record(
                Step::Status,
                Phase::Final,
                serde_json::to_value(&outcome).ok(),
            )
            .await;
        outcome
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
        deadline: Instant,
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
        if Instant::now() + wait >= deadline {
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

    async fn steps(&self, deadline: Instant) -> Result<FlowOutcome, Stop> {
        let customer = &self.customer.customer;
        let registration = self.register(deadline).await?;

        if !self.state.uploaded {
            let mut attempt = 0;
            loop {
                match self.flow.upload_documents(customer, &registration).await {
                    Ok(()) => break,
                    Err(error) => match classify(&error) {
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
            if sends_something(self.provider, Step::UploadDocuments) {
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
    async fn register(&self, deadline: Instant) -> Result<Registration, Stop> {
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
                    Err(error) => match classify(&error) {
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
                    Err(error) => match classify(&error) {
                        Next::Retry | Next::LookUp => {
                            self.backoff(Step::Register, &mut attempt, deadline, &error)
                                .await?;
                            continue;
                        }
                        _ => return Err(self.give_up(&error)),
                    },
                }
            }
            if Instant::now() >= deadline {
                return Err(Stop(FlowOutcome::failed(
                    "deadline",
                    format!("{}: deadline passed before registering", self.provider),
                    true,
                )));
            }
            // The intent is durable before the request leaves. (Kriptomat's registration sends
            // nothing; its KYC import is journaled and counted in `start`.)
            if sends_something(self.provider, Step::Register) {
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
                Err(error) => match classify(&error) {
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
    async fn start(&self, registration: &Registration, deadline: Instant) -> Result<(), Stop> {
        let customer = &self.customer.customer;
        let guarded = start_needs_lookup(self.provider);
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
                    Err(error) => match classify(&error) {
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
                    if sends_something(self.provider, Step::StartVerification) {
                        self.record(Step::StartVerification, Phase::Done, None)
                            .await?;
                    }
                    return Ok(());
                }
                Err(error) => match classify(&error) {
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
        deadline: Instant,
    ) -> Result<FlowOutcome, Stop> {
        let customer = &self.customer.customer;
        let mut intervals = self.options.poll.intervals();
        let mut attempt = 0;
        let mut started_again = false;
        loop {
            let status = match self.flow.status(customer, registration).await {
                Ok(status) => status,
                Err(error) => match classify(&error) {
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
                        && let Next::GiveUp = classify(&error)
                    {
                        return Err(self.give_up(&error));
                    }
                }
                KycStatus::NotStarted | KycStatus::Pending | KycStatus::Unknown { .. } => {}
            }
            let wait = intervals.next().unwrap_or(self.options.poll.max_interval);
            if Instant::now() + wait >= deadline {
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

    #[test]
    fn malformed_lines_name_the_line_and_path_never_the_value() {
        let error = parse_line(
            7,
            r#"{"reference": "c-1", "customer": {"person": {"email": "secret@x.test"}}}"#,
        )
        .unwrap_err();
        assert_eq!(error.line, 7);
        assert!(error.problem.contains("customer.person"), "{error}");
        assert!(!error.to_string().contains("secret"), "{error}");

        let error = parse_line(3, "{not json").unwrap_err();
        assert_eq!(error.line, 3);
        assert!(error.problem.starts_with("not JSON"), "{error}");

        let error = parse_line(
            4,
            r#"{"reference": "c-1", "customer": {"person": {}}, "colour": "x"}"#,
        )
        .unwrap_err();
        assert!(error.problem.contains('`'), "{error}");

        let error = parse_line(5, r#"{"reference": "", "customer": {"company": {}}}"#).unwrap_err();
        assert_eq!(error.line, 5);
    }

    #[test]
    fn a_bare_customer_line_gets_a_derived_reference() {
        let text =
            include_str!("../../../tests/fixtures/customers/person_es_dni.json").replace('\n', " ");
        let parsed = parse_line(9, &text).unwrap();
        assert_eq!(parsed.line, 9);
        assert!(
            parsed.reference.starts_with("rampkit-"),
            "{}",
            parsed.reference
        );
        assert_eq!(parsed.reference.len(), "rampkit-".len() + 16);
        assert_eq!(parsed.reference, derived_reference(&parsed.customer));
        assert!(!parsed.reference.contains("lucia"));
        assert_eq!(parsed.providers, ProviderReferences::default());
        let error = parse_line(2, r#"{"person": {"email": 5}}"#).unwrap_err();
        assert!(error.problem.starts_with("`person"), "{error}");
    }

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
