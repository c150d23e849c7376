//! One provider's flow, step by step: the [`KycProvider`] trait each provider implements.

use std::future::Future;
use std::pin::Pin;

use super::OnboardingError;
use crate::customer::Customer;
use crate::providers::{Provider, Registration};
use crate::status::ProviderStatus;
use crate::validation::ValidationContext;

/// The future a [`KycProvider`] step returns: boxed, so that the trait stays dyn-compatible and
/// [`onboard`](super::onboard) can take a list of different providers.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One provider's onboarding flow, step by step.
///
/// Each step takes the validated customer; the steps after [`register`](Self::register) also take the
/// [`Registration`] it returned. Steps a provider has no call for complete at once without sending
/// anything. [`onboard`](super::onboard) drives the steps; call them yourself to run a flow differently.
///
/// [`register`](Self::register) validates the customer before anything is sent, so a flow run by hand
/// refuses what [`onboard`](super::onboard) refuses. An implementation provides
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
    /// yourself and then [`register_validated`](Self::register_validated), as [`onboard`](super::onboard) does.
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
    /// checked entry point; [`onboard`](super::onboard) calls this after its own validation (once, for every provider,
    /// on [`OnboardingOptions::validation_date`](super::OnboardingOptions::validation_date)), so a customer is not validated twice.
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

    /// Whether every item a [`KycStatus::RequiresData`](crate::KycStatus::RequiresData) lists (`missing`, in the vendor's words) is
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

    /// What the flow's steps send: the engine journals a step that sends before sending it, and looks
    /// the customer up before repeating one that is not safe to repeat. The default: every step sends,
    /// and only the registration needs a lookup.
    fn steps(&self) -> FlowSteps {
        FlowSteps::default()
    }

    /// Whether `error`, answered to the registration, says that the vendor already holds the customer.
    /// Each provider crate maps its vendor's own answer for an existing customer to
    /// [`ErrorKind::Conflict`](rampkit_runtime::ErrorKind::Conflict), which is the default test.
    fn already_registered(&self, error: &rampkit_runtime::Error) -> bool {
        error.kind() == rampkit_runtime::ErrorKind::Conflict
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

/// What a provider's flow sends in each step ([`KycProvider::steps`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FlowSteps {
    /// The registration sends a request (never repeated without a lookup).
    pub register: bool,
    /// Uploading documents sends requests.
    pub upload_documents: bool,
    /// Starting verification sends a request.
    pub start_verification: bool,
    /// Starting verification is not safe to repeat: an unknown outcome is settled by reading the status
    /// before it is sent again (Kriptomat's KYC import).
    pub start_needs_lookup: bool,
}

impl Default for FlowSteps {
    fn default() -> Self {
        Self {
            register: true,
            upload_documents: true,
            start_verification: true,
            start_needs_lookup: false,
        }
    }
}
