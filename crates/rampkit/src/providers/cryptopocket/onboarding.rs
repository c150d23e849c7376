//! CryptoPocket: authenticate → delegated KYC → KYC status check ([P3], [P18]).
//!
//! [P3]: https://api-doc.cryptopocket.io/create-customer-with-delegated-kyc-4350868e0
//! [P18]: https://api-doc.cryptopocket.io/cryptopocket-integration-guide-buy-flow-on-ramp-370702m0

use rampkit_cryptopocket::{Client, types};

use crate::customer::Customer;
use crate::limits::Provider;
use crate::onboarding::{BoxFuture, KycProvider, OnboardingError, ProviderStatus, Registration};
use crate::status::KycStatus;

/// The CryptoPocket flow: delegated KYC, then the KYC check of the customer it created.
///
/// Build the client with [`CryptoPocketAuth::with_credentials`](rampkit_cryptopocket::CryptoPocketAuth::with_credentials):
/// it calls `/authenticate` on first use (one login shared by concurrent calls) and logs in again once
/// when CryptoPocket answers `authorization_incorrect`, so the flow has no login step of its own.
///
/// | step | calls |
/// |---|---|
/// | register | `register_user_kyc_delegated`: person data, document scans and captures, all inline ([`RegisterUserKycDelegatedRequest`](types::RegisterUserKycDelegatedRequest) from the customer) |
/// | upload documents | none: the scans went with the registration |
/// | start verification | none: delegated KYC is the verification |
/// | status | `check_kyc` with the customer id the registration answered |
///
/// The delegated answer's `kyc_valid` is kept in the [`Registration`] but not trusted as final: the KYC
/// check's `kyc_status` (`valid`, `fail`, `processing`, …) decides, as its mapping explains.
#[derive(Clone, Debug)]
pub struct CryptoPocketOnboarding {
    client: Client,
}

impl CryptoPocketOnboarding {
    /// The flow over `client`.
    pub fn new(client: Client) -> Self {
        Self { client }
    }
}

impl KycProvider for CryptoPocketOnboarding {
    fn provider(&self) -> Provider {
        Provider::CryptoPocket
    }

    fn register_validated<'a>(
        &'a self,
        customer: &'a Customer,
    ) -> BoxFuture<'a, Result<Registration, OnboardingError>> {
        Box::pin(async move {
            let request = types::RegisterUserKycDelegatedRequest::try_from(customer)?;
            let response = self
                .client
                .register_user_kyc_delegated(&request)
                .await?
                .into_inner();
            let customer_id = response.data.as_ref().and_then(|data| data.id).ok_or(
                OnboardingError::UnexpectedAnswer {
                    provider: Provider::CryptoPocket,
                    operation: "register_user_kyc_delegated",
                    problem: "the answer has no customer id (data.id)",
                },
            )?;
            Ok(Registration::CryptoPocket {
                customer_id,
                status: KycStatus::from(&response),
            })
        })
    }

    fn status<'a>(
        &'a self,
        _customer: &'a Customer,
        registration: &'a Registration,
    ) -> BoxFuture<'a, Result<ProviderStatus, OnboardingError>> {
        Box::pin(async move {
            let Registration::CryptoPocket { customer_id, .. } = registration else {
                return Err(registration.foreign(Provider::CryptoPocket));
            };
            let response = self.client.check_kyc(*customer_id).await?.into_inner();
            Ok(ProviderStatus::single(KycStatus::from(&response)))
        })
    }
}
