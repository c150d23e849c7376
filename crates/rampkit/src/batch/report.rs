//! What a batch reports: each flow's [`FlowOutcome`], the events as it goes, the per-provider summary.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::LineError;
use crate::journal::{JournalError, Step};
use crate::providers::Provider;
use crate::status::{KycStatus, ProviderStatus};

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
        /// the runtime's [`ErrorKind::as_str`](rampkit_runtime::ErrorKind::as_str) of the failed call.
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

    pub(crate) fn failed(kind: impl Into<String>, message: impl Into<String>, retry: bool) -> Self {
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

/// What [`onboard_batch`](super::onboard_batch) reports as it goes.
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
        /// How long its calls waited for rate-limit slots, in milliseconds (not counted against the
        /// flow's deadline).
        rate_limit_wait_ms: u64,
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
    /// The first failure's message per kind (provider, operation, kind, cause: never a personal value), so
    /// that "journal: 300" says why (a full disk, a lost database).
    pub first_failure: BTreeMap<String, String>,
    /// Not sent (a missing reference, or the customer failed validation).
    pub not_sent: u64,
    /// Of all these, how many the journal already held (settled by an earlier run).
    pub from_journal: u64,
    /// The time the flows waited for rate-limit slots this run, added up, in milliseconds (not counted
    /// against their deadlines).
    pub rate_limit_wait_ms: u64,
    /// The longest such wait of one flow, in milliseconds.
    pub longest_rate_limit_wait_ms: u64,
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

    pub(super) fn add(&mut self, outcome: &FlowOutcome, from_journal: bool, waited_ms: u64) {
        self.rate_limit_wait_ms = self.rate_limit_wait_ms.saturating_add(waited_ms);
        self.longest_rate_limit_wait_ms = self.longest_rate_limit_wait_ms.max(waited_ms);
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
            FlowOutcome::Failed { kind, message, .. } => {
                *self.failed.entry(kind.clone()).or_default() += 1;
                self.first_failure
                    .entry(kind.clone())
                    .or_insert_with(|| message.clone());
            }
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

/// The result of [`onboard_batch`](super::onboard_batch): per provider counts, the rejected lines and invalid customers,
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
    /// [`BatchOptions::keep_outcomes`](super::BatchOptions::keep_outcomes).
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
            // The journal's own failure is the batch's, not the vendor's: say why.
            details.extend(
                s.failed
                    .iter()
                    .map(|(kind, n)| match s.first_failure.get(kind) {
                        Some(why) if kind == "journal" => format!("{kind}: {n} ({why})"),
                        _ => format!("{kind}: {n}"),
                    }),
            );
            if s.rate_limit_wait_ms > 0 {
                details.push(format!(
                    "rate-limit waits {:.1} s (longest {:.1} s)",
                    s.rate_limit_wait_ms as f64 / 1000.0,
                    s.longest_rate_limit_wait_ms as f64 / 1000.0
                ));
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A journal that cannot write (a full disk) failed every flow: the table says why, once.
    #[test]
    fn a_journal_failure_keeps_its_reason() {
        let mut summary = ProviderSummary::default();
        for _ in 0..300 {
            summary.add(
                &FlowOutcome::failed(
                    "journal",
                    "journal storage: onboarding.db: database or disk is full",
                    true,
                ),
                false,
                0,
            );
        }
        let report = BatchReport {
            batch_id: "b".to_owned(),
            providers: vec![(Provider::Leap, summary)],
            rejected_lines: Vec::new(),
            invalid_customers: Vec::new(),
            counters: BatchCounters::default(),
            wall_time_ms: 0,
            outcomes: Vec::new(),
        };
        let table = report.to_string();
        assert!(
            table.contains(
                "journal: 300 (journal storage: onboarding.db: database or disk is full)"
            ),
            "{table}"
        );
    }
}
