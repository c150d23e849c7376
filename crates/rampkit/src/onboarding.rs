//! Onboarding flows: one verified customer, registered with several providers at once, one outcome per
//! provider.
//!
//! [`KycProvider`] is one provider's flow in four steps — [register](KycProvider::register),
//! [upload documents](KycProvider::upload_documents), [start verification](KycProvider::start_verification)
//! and [status](KycProvider::status) — implemented for the four providers, each holding its generated
//! client(s) and the settings its flow needs:
//!
//! | provider | register | upload documents | start verification | status (polled) |
//! |---|---|---|---|---|
//! | [`CrossmintOnboarding`] | accept privacy policy, upsert user | one upload per image | trigger identity verification | get identity verification, per product |
//! | [`CryptoPocketOnboarding`] | delegated KYC (the client logs in first) | — (sent inline) | — (delegated KYC is the verification) | KYC check of the returned customer id |
//! | [`KriptomatOnboarding`] | — (the Kriptomat user exists; its id is a setting) | — (documents stay in SumSub) | SumSub share token, KYC import | show user |
//! | [`LeapOnboarding`] | register user v2 | — (Leap takes no documents) | — (registration starts CIP) | get user token v2 |
//!
//! Requests come from the conversions in [`crate::providers`], statuses from their mappings; nothing is
//! converted or mapped twice.
//!
//! [`onboard`] runs a customer through several providers concurrently:
//!
//! 1. [`Customer::validate_with`] runs once, for the providers given. When it fails nothing is sent to
//!    anyone: the report holds every problem ([`OnboardingReport::validation_errors`]) and each provider's
//!    outcome is [`OnboardingError::NotSent`].
//! 2. Each provider's flow runs on its own: register, upload documents, start verification, then poll
//!    [`KycProvider::status`] with backoff ([`PollPolicy`]) until the status is final (verified or
//!    rejected), asks for data, or the deadline passes ([`OnboardingError::Timeout`]). Not started,
//!    pending and unknown statuses keep the poll going: a value a vendor adds later is never taken as
//!    an answer.
//! 3. A status that needs data ([`KycStatus::RequiresData`]) ends that provider's flow with that status —
//!    the caller decides what to collect — unless everything it lists is something the flow already sent
//!    ([`KycProvider::already_sent`]: Crossmint asking for the identity document that was uploaded); then
//!    verification is started once more and polling goes on.
//! 4. The report has one [`ProviderOutcome`] per provider, in the order given: the final
//!    [`ProviderStatus`] (per product for Crossmint) or the [`OnboardingError`] that ended the flow. One
//!    provider's failure never hides another's result.
//!
//! The flows never retry a registration themselves: the clients' runtime retries only operations that
//! are safe to repeat ([`RetryPolicy`](rampkit_runtime::RetryPolicy)).

// Each provider's flow lives in its room, `crate::providers::<provider>::onboarding`; this module keeps
// what the flows share.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tokio::time::Instant;

use crate::customer::Customer;
use crate::limits::Provider;
use crate::providers::ConversionError;
use crate::providers::crossmint::{ProductStatuses, UserLocator};
use crate::status::KycStatus;
use crate::validation::{ValidationContext, ValidationErrors};

pub use crate::providers::crossmint::onboarding::{CrossmintOnboarding, CrossmintSettings};
pub use crate::providers::cryptopocket::onboarding::CryptoPocketOnboarding;
pub use crate::providers::kriptomat::onboarding::{KriptomatOnboarding, KriptomatSettings};
pub use crate::providers::leap::onboarding::LeapOnboarding;

/// The future a [`KycProvider`] step returns: boxed, so that the trait stays dyn-compatible and
/// [`onboard`] can take a list of different providers.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One provider's onboarding flow, step by step.
///
/// Each step takes the validated customer; the steps after [`register`](Self::register) also take the
/// [`Registration`] it returned. Steps a provider has no call for complete at once without sending
/// anything. [`onboard`] drives the steps; call them yourself to run a flow differently.
///
/// [`register`](Self::register) validates the customer before anything is sent, so a flow run by hand
/// refuses what [`onboard`] refuses. An implementation provides
/// [`register_validated`](Self::register_validated), the registration itself.
pub trait KycProvider: Send + Sync {
    /// The provider this flow talks to.
    fn provider(&self) -> Provider;

    /// Validates the customer for this provider as of today (UTC) — [`Customer::validate_with`] with
    /// [`ValidationContext::current`] for [`provider`](Self::provider) — then creates (or updates) it at
    /// the provider with [`register_validated`](Self::register_validated). An invalid customer comes
    /// back as [`OnboardingError::Invalid`] with every problem, and nothing is sent.
    ///
    /// To validate for another date or for several providers at once, call [`Customer::validate_with`]
    /// yourself and then [`register_validated`](Self::register_validated), as [`onboard`] does.
    fn register<'a>(
        &'a self,
        customer: &'a Customer,
    ) -> BoxFuture<'a, Result<Registration, OnboardingError>> {
        Box::pin(async move {
            let provider = self.provider();
            let context = ValidationContext::current().for_providers([provider]);
            customer
                .validate_with(&context)
                .map_err(|errors| OnboardingError::Invalid { provider, errors })?;
            self.register_validated(customer).await
        })
    }

    /// Creates (or updates) the customer at the provider **without validating it**: only for a customer
    /// that passed [`Customer::validate_with`] for this provider. [`register`](Self::register) is the
    /// checked entry point; [`onboard`] calls this after its own validation (once, for every provider,
    /// on [`OnboardingOptions::validation_date`]), so a customer is not validated twice.
    fn register_validated<'a>(
        &'a self,
        customer: &'a Customer,
    ) -> BoxFuture<'a, Result<Registration, OnboardingError>>;

    /// Sends the customer's identity-document images and captures, where the provider takes them
    /// separately. The default sends nothing: most providers take them with the registration.
    fn upload_documents<'a>(
        &'a self,
        customer: &'a Customer,
        registration: &'a Registration,
    ) -> BoxFuture<'a, Result<(), OnboardingError>> {
        let _ = (customer, registration);
        Box::pin(async { Ok(()) })
    }

    /// Asks the provider to verify what it has received. Returns the status the provider answered with,
    /// if it answered one (provisional: [`status`](Self::status) is what counts). The default does
    /// nothing: most providers start verifying on registration.
    fn start_verification<'a>(
        &'a self,
        customer: &'a Customer,
        registration: &'a Registration,
    ) -> BoxFuture<'a, Result<Option<ProviderStatus>, OnboardingError>> {
        let _ = (customer, registration);
        Box::pin(async { Ok(None) })
    }

    /// Reads where the customer's verification stands.
    fn status<'a>(
        &'a self,
        customer: &'a Customer,
        registration: &'a Registration,
    ) -> BoxFuture<'a, Result<ProviderStatus, OnboardingError>>;

    /// Whether every item a [`KycStatus::RequiresData`] lists (`missing`, in the vendor's words) is
    /// something this flow already sent, so that starting verification once more may settle it. `false`
    /// (the default) ends the flow with the status, for the caller to act on.
    fn already_sent(&self, customer: &Customer, missing: &[String]) -> bool {
        let _ = (customer, missing);
        false
    }

    /// Looks the customer up at the provider, for a registration whose outcome is unknown (a timeout or
    /// a reset after it was sent, a crash before its answer was recorded) or that the vendor answered
    /// "already exists" to: `Some` is the customer the vendor holds, `None` that it holds none, so the
    /// registration can be sent. Reads only; never registers.
    ///
    /// The default cannot look anyone up and says so
    /// ([`OnboardingError::CannotReconcile`]): a batch then leaves the customer for the caller rather
    /// than risk a duplicate.
    fn find_registration<'a>(
        &'a self,
        customer: &'a Customer,
    ) -> BoxFuture<'a, Result<Option<Registration>, OnboardingError>> {
        let _ = customer;
        let provider = self.provider();
        Box::pin(async move { Err(OnboardingError::CannotReconcile { provider }) })
    }

    /// Rebuilds, without a call, the registration whose [`Registration::reference`] a journal kept.
    /// `None` (the default) when the reference is not enough; the batch then uses
    /// [`find_registration`](Self::find_registration).
    fn restore_registration(
        &self,
        customer: &Customer,
        reference: Option<&str>,
    ) -> Option<Registration> {
        let _ = (customer, reference);
        None
    }
}

/// Who the customer is at a provider after [`KycProvider::register`]: what the later steps need.
///
/// Serialisable, so that a flow can stop after any step and go on later, in another process. The Leap
/// variant holds personal data (the lookup phone number; the user id is marked personal in Leap's
/// spec): store it as you store the customer. [`reference`](Self::reference) is the part that is not
/// personal, which is what a batch journal keeps.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "provider", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Registration {
    /// A Crossmint user.
    Crossmint {
        /// The locator every user-scoped call names the user by.
        user_locator: UserLocator,
    },
    /// A CryptoPocket customer created with delegated KYC.
    CryptoPocket {
        /// The customer id CryptoPocket answered (`data.id`), for the KYC check.
        customer_id: i64,
        /// The status of the delegated-KYC answer (`kyc_valid`).
        status: KycStatus,
    },
    /// A Kriptomat user (created outside rampkit).
    Kriptomat {
        /// The Kriptomat user id.
        user_id: i64,
    },
    /// A Leap user registered with register user v2.
    Leap {
        /// The RaaS user id Leap answered (`userId`).
        user_id: rampkit_runtime::Pii,
        /// The alias get user token v2 looks the user up by (the registered phone number and country).
        lookup: rampkit_leap::types::GetUserTokenParams,
        /// The status of the registration answer.
        status: KycStatus,
    },
}

impl Registration {
    /// The provider the registration belongs to.
    pub fn provider(&self) -> Provider {
        match self {
            Registration::Crossmint { .. } => Provider::Crossmint,
            Registration::CryptoPocket { .. } => Provider::CryptoPocket,
            Registration::Kriptomat { .. } => Provider::Kriptomat,
            Registration::Leap { .. } => Provider::Leap,
        }
    }

    /// The vendor's own, non-personal reference of the customer, if the registration has one: the
    /// CryptoPocket customer id, the Kriptomat user id, the Crossmint `userId:` locator (never an
    /// `email:` or `phoneNumber:` one). `None` for Leap, whose user id is marked personal.
    pub fn reference(&self) -> Option<String> {
        match self {
            Registration::CryptoPocket { customer_id, .. } => Some(customer_id.to_string()),
            Registration::Kriptomat { user_id } => Some(user_id.to_string()),
            Registration::Crossmint {
                user_locator: UserLocator::UserId(id),
            } => Some(format!("userId:{id}")),
            Registration::Crossmint { .. } | Registration::Leap { .. } => None,
        }
    }

    /// A registration of another provider handed to `provider`'s step.
    pub(crate) fn foreign(&self, provider: Provider) -> OnboardingError {
        OnboardingError::ForeignRegistration {
            provider,
            registration: self.provider(),
        }
    }
}

/// Where a customer stands with one provider: one [`KycStatus`], and for Crossmint the status of each
/// product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderStatus {
    /// The status that decides the flow. For Crossmint: the products the flow is configured for, all
    /// together ([`ProductStatuses::overall`]).
    pub overall: KycStatus,
    /// Crossmint's status of every product it listed; `None` for the other providers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<ProductStatuses>,
    /// The Crossmint products `overall` covers (the flow's settings); empty for the other providers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needed_products: Vec<rampkit_crossmint::types::ProductType>,
}

impl ProviderStatus {
    /// A provider's one status.
    pub fn single(status: KycStatus) -> Self {
        Self {
            overall: status,
            products: None,
            needed_products: Vec::new(),
        }
    }

    /// Crossmint's per-product statuses, with `overall` the status of needing all of `needed`.
    pub fn per_product(
        products: ProductStatuses,
        needed: Vec<rampkit_crossmint::types::ProductType>,
    ) -> Self {
        Self {
            overall: products.overall(&needed),
            products: Some(products),
            needed_products: needed,
        }
    }
}

impl From<KycStatus> for ProviderStatus {
    fn from(status: KycStatus) -> Self {
        Self::single(status)
    }
}

impl fmt::Display for ProviderStatus {
    /// `verified`, or with products `requires data: id (onramp: verified; offramp: requires data: id)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.overall)?;
        if let Some(products) = &self.products {
            write!(f, " ({products})")?;
        }
        Ok(())
    }
}

/// Why a provider's flow ended without a status. `Display` names the provider and the operation, never
/// a personal value or a response body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OnboardingError {
    /// The customer failed validation, so nothing was sent to any provider; the problems are in
    /// [`OnboardingReport::validation_errors`].
    #[error("{provider}: not sent, the customer failed validation")]
    NotSent {
        /// The provider.
        provider: Provider,
    },
    /// [`KycProvider::register`] was called with a customer that fails validation for this provider;
    /// nothing was sent. The errors name fields and rules, never values.
    #[error("{provider}: not sent, {errors}")]
    Invalid {
        /// The provider.
        provider: Provider,
        /// Every problem found.
        errors: ValidationErrors,
    },
    /// The customer cannot be turned into one of the provider's requests.
    #[error(transparent)]
    Conversion(#[from] ConversionError),
    /// A call failed: provider, operation, kind, HTTP status and vendor code are in the error.
    #[error(transparent)]
    Call(#[from] rampkit_runtime::Error),
    /// The status was still not final when the poll deadline passed.
    #[error("{provider}: no final status within {waited:?} (last: {last})")]
    Timeout {
        /// The provider.
        provider: Provider,
        /// How long the flow polled.
        waited: Duration,
        /// The last status the provider answered.
        last: Box<ProviderStatus>,
    },
    /// The provider answered with success but without what the flow needs next.
    #[error("{provider} {operation}: {problem}")]
    UnexpectedAnswer {
        /// The provider.
        provider: Provider,
        /// The operation (as in the spec, `register_user_kyc_delegated`).
        operation: &'static str,
        /// What is wrong, in fixed words (never a value from the answer).
        problem: &'static str,
    },
    /// The provider's flow cannot look a customer up, so a registration whose outcome is unknown cannot
    /// be reconciled; it is left for the caller rather than sent again.
    #[error("{provider}: cannot look the customer up to reconcile an unknown outcome")]
    CannotReconcile {
        /// The provider.
        provider: Provider,
    },
    /// A step was handed a registration of another provider.
    #[error("{provider}: handed a {registration} registration")]
    ForeignRegistration {
        /// The provider whose step was called.
        provider: Provider,
        /// The provider the registration belongs to.
        registration: Provider,
    },
}

impl OnboardingError {
    /// The failed call, when a call failed.
    pub fn call(&self) -> Option<&rampkit_runtime::Error> {
        match self {
            OnboardingError::Call(error) => Some(error),
            _ => None,
        }
    }
}

/// How [`onboard`] polls a provider's status: the first request at once, then waits that start at
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

/// How [`onboard`] runs.
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

/// The result of [`onboard`]: one outcome per provider, in the order given.
#[derive(Debug)]
pub struct OnboardingReport {
    validation: Option<ValidationErrors>,
    outcomes: Vec<ProviderOutcome>,
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

/// Runs `customer` through every provider's flow concurrently and reports one outcome per provider.
///
/// The customer is validated once, against the limits of the providers given; when that fails nothing
/// is sent (see [`OnboardingReport::validation_errors`]). See the [module docs](self) for the flow.
///
/// ```no_run
/// use rampkit::onboarding::{LeapOnboarding, OnboardingOptions, onboard};
/// use rampkit::{Customer, leap};
///
/// # async fn run(customer: Customer, api_key: String) {
/// let leap = LeapOnboarding::new(leap::Client::new(leap::SANDBOX_URL, leap::LeapAuth::new(api_key)));
/// let report = onboard(&customer, &[&leap], &OnboardingOptions::default()).await;
/// print!("{report}");
/// # }
/// ```
pub async fn onboard(
    customer: &Customer,
    providers: &[&dyn KycProvider],
    options: &OnboardingOptions,
) -> OnboardingReport {
    let today = options
        .validation_date
        .unwrap_or_else(|| ValidationContext::current().today());
    let context =
        ValidationContext::new(today).for_providers(providers.iter().map(|p| p.provider()));
    if let Err(errors) = customer.validate_with(&context) {
        return OnboardingReport {
            validation: Some(errors),
            outcomes: providers
                .iter()
                .map(|p| ProviderOutcome {
                    provider: p.provider(),
                    result: Err(OnboardingError::NotSent {
                        provider: p.provider(),
                    }),
                })
                .collect(),
        };
    }
    let flows = providers
        .iter()
        .map(|&provider| -> BoxFuture<'_, ProviderOutcome> {
            Box::pin(async move {
                ProviderOutcome {
                    provider: provider.provider(),
                    result: run_flow(provider, customer, &options.poll).await,
                }
            })
        })
        .collect();
    OnboardingReport {
        validation: None,
        outcomes: join_all(flows).await,
    }
}

/// One provider's flow: register, upload, start, then poll until a final status, a status that needs
/// data, or the deadline.
async fn run_flow(
    provider: &dyn KycProvider,
    customer: &Customer,
    poll: &PollPolicy,
) -> Result<ProviderStatus, OnboardingError> {
    // `onboard` validated the customer for every provider before any flow started.
    let registration = provider.register_validated(customer).await?;
    provider.upload_documents(customer, &registration).await?;
    provider.start_verification(customer, &registration).await?;

    let started = Instant::now();
    let deadline = started + poll.deadline;
    let mut intervals = poll.intervals();
    let mut started_again = false;
    loop {
        let status = provider.status(customer, &registration).await?;
        match &status.overall {
            KycStatus::Verified | KycStatus::Rejected { .. } => return Ok(status),
            KycStatus::RequiresData { missing } => {
                if started_again || !provider.already_sent(customer, missing) {
                    return Ok(status);
                }
                // The provider asks for what it was already sent (it may not have processed it yet):
                // start verification once more and keep polling.
                started_again = true;
                provider.start_verification(customer, &registration).await?;
            }
            KycStatus::NotStarted | KycStatus::Pending | KycStatus::Unknown { .. } => {}
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(OnboardingError::Timeout {
                provider: provider.provider(),
                waited: now - started,
                last: Box::new(status),
            });
        }
        let wait = intervals.next().unwrap_or(poll.max_interval);
        tokio::time::sleep(wait.min(deadline - now)).await;
    }
}

/// Runs every future to completion concurrently and returns their outputs in order.
async fn join_all<'a, T>(mut futures: Vec<BoxFuture<'a, T>>) -> Vec<T> {
    use std::task::Poll;
    let mut outputs: Vec<Option<T>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => *output = Some(value),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    outputs
        .into_iter()
        .map(|output| output.expect("every future completed"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compile-time check: `onboard`'s future is `Send`, so it runs on a multi-threaded runtime.
    #[test]
    fn the_onboard_future_is_send() {
        fn is_send<T: Send>(_: &T) {}
        fn check(customer: &Customer, providers: &[&dyn KycProvider], options: &OnboardingOptions) {
            is_send(&onboard(customer, providers, options));
        }
        let _ = check;
    }

    #[test]
    fn intervals_double_up_to_the_maximum() {
        let policy = PollPolicy {
            initial_interval: Duration::from_millis(10),
            max_interval: Duration::from_millis(50),
            deadline: Duration::from_secs(1),
        };
        let waits: Vec<u128> = policy.intervals().take(5).map(|d| d.as_millis()).collect();
        assert_eq!(waits, [10, 20, 40, 50, 50]);
    }

    #[test]
    fn provider_status_display_lists_products() {
        assert_eq!(
            ProviderStatus::single(KycStatus::Verified).to_string(),
            "verified"
        );
        use rampkit_crossmint::types;
        let answer: types::IdentityVerificationResponse = serde_json::from_str(
            r#"{"eligibility": [
                {"type": "onramp", "status": "verified"},
                {"type": "offramp", "status": "requires-data", "missingDocuments": ["id"]}]}"#,
        )
        .unwrap();
        let status = ProviderStatus::per_product(
            ProductStatuses::from(&answer),
            vec![types::ProductType::Offramp],
        );
        assert_eq!(
            status.to_string(),
            "requires data: id (onramp: verified; offramp: requires data: id)"
        );
        // Only the needed products decide.
        let onramp_only = ProviderStatus::per_product(
            ProductStatuses::from(&answer),
            vec![types::ProductType::Onramp],
        );
        assert_eq!(onramp_only.overall, KycStatus::Verified);
    }
}
