//! Why a provider's flow ended without a status.

use std::time::Duration;

use crate::providers::{ConversionError, Provider, Registration, SetupError};
use crate::status::ProviderStatus;
use crate::validation::ValidationErrors;

/// Why a provider's flow ended without a status. `Display` names the provider and the operation, never
/// a personal value or a response body.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OnboardingError {
    /// The customer failed validation, so nothing was sent to any provider; the problems are in
    /// [`OnboardingReport::validation_errors`](super::OnboardingReport::validation_errors).
    #[error("{provider}: not sent, the customer failed validation")]
    NotSent {
        /// The provider.
        provider: Provider,
    },
    /// [`KycProvider::register`](super::KycProvider::register) was called with a customer that fails validation for this provider;
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
    /// The provider's clients could not be built (a credential or setting missing or malformed).
    #[error(transparent)]
    Setup(#[from] SetupError),
    /// A call failed: provider, operation, kind, HTTP status and vendor code are in the error.
    #[error(transparent)]
    Call(#[from] rampkit_runtime::Error),
    /// The status was still not final when the poll deadline passed.
    #[error(
        "{provider}: no final status within {} (last: {last})",
        rounded(waited)
    )]
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
    /// A registration of another provider handed to `provider`'s step.
    pub fn foreign(provider: Provider, registration: &Registration) -> Self {
        OnboardingError::ForeignRegistration {
            provider,
            registration: registration.provider(),
        }
    }

    /// The failed call, when a call failed.
    pub fn call(&self) -> Option<&rampkit_runtime::Error> {
        match self {
            OnboardingError::Call(error) => Some(error),
            _ => None,
        }
    }
}

/// A wait as people read it: `850 ms`, `5.0 s`, `120 s` (not `5.013139196s`).
pub(crate) fn rounded(waited: &Duration) -> String {
    match waited.as_millis() {
        ms @ 0..1_000 => format!("{ms} ms"),
        1_000..100_000 => format!("{:.1} s", waited.as_secs_f64()),
        _ => format!("{} s", waited.as_secs()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_read_as_people_write_them() {
        for (waited, text) in [
            (Duration::from_nanos(5_013_139_196), "5.0 s"),
            (Duration::from_millis(850), "850 ms"),
            (Duration::from_secs(120), "120 s"),
        ] {
            assert_eq!(rounded(&waited), text);
        }
    }
}
