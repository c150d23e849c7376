//! How [`onboard`](super::onboard) runs and what it reports.

use std::fmt;
use std::time::Duration;

use chrono::NaiveDate;

use super::OnboardingError;
use crate::providers::Provider;
use crate::status::{ProductStatuses, ProviderStatus};
use crate::validation::ValidationErrors;

/// How [`onboard`](super::onboard) polls a provider's status: the first request at once, then waits that start at
/// `initial_interval` and double up to `max_interval`, until `deadline` has passed since the first status
/// request. No status request starts after the deadline; each one is bounded by the client's own HTTP
/// timeouts and [`RetryPolicy`](rampkit_runtime::RetryPolicy).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PollPolicy {
    /// Wait before the second status request.
    pub initial_interval: Duration,
    /// Longest wait between two status requests.
    pub max_interval: Duration,
    /// How long to wait for a final status, counted from the first status request.
    pub deadline: Duration,
}

impl Default for PollPolicy {
    /// 1 s, doubling up to 15 s, for at most 2 minutes. rampkit's choice: Crossmint says verification
    /// "usually completes within a few seconds"; Leap's CIP and Kriptomat's import publish no duration.
    fn default() -> Self {
        Self {
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(15),
            deadline: Duration::from_secs(120),
        }
    }
}

impl PollPolicy {
    /// The waits between status requests: `initial_interval`, doubling, capped at `max_interval`.
    pub fn intervals(&self) -> impl Iterator<Item = Duration> + use<> {
        let max = self.max_interval;
        std::iter::successors(Some(self.initial_interval.min(max)), move |wait| {
            Some(wait.saturating_mul(2).min(max))
        })
    }
}

/// How [`onboard`](super::onboard) runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OnboardingOptions {
    /// Status polling.
    pub poll: PollPolicy,
    /// The date validation counts ages and expiries from; today (UTC) when `None`.
    pub validation_date: Option<NaiveDate>,
}

impl OnboardingOptions {
    /// The default options with this poll policy.
    pub fn with_poll(poll: PollPolicy) -> Self {
        Self {
            poll,
            ..Self::default()
        }
    }
}

/// One provider's result.
#[derive(Debug)]
pub struct ProviderOutcome {
    /// The provider.
    pub provider: Provider,
    /// The final status (verified, rejected, or asking for data the caller must supply), or why the flow
    /// ended without one.
    pub result: Result<ProviderStatus, OnboardingError>,
}

/// The result of [`onboard`](super::onboard): one outcome per provider, in the order given.
#[derive(Debug)]
pub struct OnboardingReport {
    pub(super) validation: Option<ValidationErrors>,
    pub(super) outcomes: Vec<ProviderOutcome>,
}

impl OnboardingReport {
    /// Every problem validation found; when `Some`, nothing was sent to any provider.
    pub fn validation_errors(&self) -> Option<&ValidationErrors> {
        self.validation.as_ref()
    }

    /// One outcome per provider, in the order the providers were given.
    pub fn outcomes(&self) -> &[ProviderOutcome] {
        &self.outcomes
    }

    /// The outcome of `provider` (the first, if it was given twice).
    pub fn get(&self, provider: Provider) -> Option<&ProviderOutcome> {
        self.outcomes.iter().find(|o| o.provider == provider)
    }

    /// The outcomes, owned.
    pub fn into_outcomes(self) -> Vec<ProviderOutcome> {
        self.outcomes
    }
}

impl fmt::Display for OnboardingReport {
    /// A table: one row per provider (for Crossmint, the status of the products it needs) and, for
    /// Crossmint, one indented row per product it listed. Statuses are vendor codes and errors name
    /// provider, operation and kind: no personal value is printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(errors) = &self.validation {
            writeln!(f, "{errors}")?;
        }
        writeln!(f, "{:<14} {:<24} status", "provider", "product")?;
        for outcome in &self.outcomes {
            let provider = outcome.provider.as_str();
            match &outcome.result {
                Ok(status) => {
                    let product = if status.needed_products.is_empty() {
                        "-".to_owned()
                    } else {
                        let needed: Vec<&str> =
                            status.needed_products.iter().map(|p| p.as_str()).collect();
                        format!("needs {}", needed.join("+"))
                    };
                    writeln!(f, "{provider:<14} {product:<24} {}", status.overall)?;
                    for entry in status.products.iter().flat_map(ProductStatuses::iter) {
                        writeln!(
                            f,
                            "{:<14}   {:<22} {}",
                            "",
                            entry.product.as_str(),
                            entry.status
                        )?;
                    }
                }
                Err(error) => writeln!(f, "{provider:<14} {:<24} error: {error}", "-")?,
            }
        }
        Ok(())
    }
}
