//! CryptoPocket: authenticate → delegated KYC → KYC status check ([P3], [P18]).
//!
//! [P3]: https://api-doc.cryptopocket.io/create-customer-with-delegated-kyc-4350868e0
//! [P18]: https://api-doc.cryptopocket.io/cryptopocket-integration-guide-buy-flow-on-ramp-370702m0

use std::sync::Arc;

use rampkit_cryptopocket::{Client, types};

use crate::batch::{BatchCustomer, FlowFactory, MissingReference};
use crate::customer::Customer;
use crate::onboarding::{BoxFuture, FlowSteps, KycProvider, OnboardingError};
use crate::providers::{Provider, Registration};
use crate::status::KycStatus;
use crate::status::ProviderStatus;

/// A CryptoPocket customer, as the later steps name it.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct CryptoPocketRegistration {
    /// The customer id CryptoPocket answered (`data.id`), for the KYC check.
    pub customer_id: i64,
    /// The status of the registration's answer (`kyc_valid`).
    pub status: KycStatus,
}

impl CryptoPocketRegistration {
    /// The customer id.
    pub fn reference(&self) -> Option<String> {
        Some(self.customer_id.to_string())
    }
}

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

impl FlowFactory for CryptoPocketOnboarding {
    fn provider(&self) -> Provider {
        Provider::CryptoPocket
    }

    /// The same flow for every customer: it needs nothing beyond the customer.
    fn flow(&self, _customer: &BatchCustomer) -> Result<Arc<dyn KycProvider>, MissingReference> {
        Ok(Arc::new(self.clone()))
    }
}

impl KycProvider for CryptoPocketOnboarding {
    fn provider(&self) -> Provider {
        Provider::CryptoPocket
    }

    /// The scans go with the registration, which is the verification: nothing else is sent.
    fn steps(&self) -> FlowSteps {
        FlowSteps {
            upload_documents: false,
            start_verification: false,
            ..FlowSteps::default()
        }
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
            Ok(Registration::CryptoPocket(CryptoPocketRegistration {
                customer_id,
                status: KycStatus::from(&response),
            }))
        })
    }

    /// `list_customers`, matched on the e-mail (case-insensitive; CryptoPocket keys customers on it
    /// and answers `user_already_exists` for a repeated one). CryptoPocket documents neither the
    /// items' fields nor paging (its Find User call is listed without a path), so the items are read as
    /// `{"id", "email"}` from `data.data` (or `data` when it is the list itself), first page only.
    fn find_registration<'a>(
        &'a self,
        customer: &'a Customer,
    ) -> BoxFuture<'a, Result<Option<Registration>, OnboardingError>> {
        Box::pin(async move {
            let response = self.client.list_customers().await?.into_inner();
            let email = customer.email().expose_str();
            let Some(data) = response.data.as_ref().map(|d| d.expose()) else {
                return Ok(None);
            };
            let items = data
                .get("data")
                .and_then(|d| d.as_array())
                .or_else(|| data.as_array());
            let found = items.into_iter().flatten().find(|item| {
                item.get("email")
                    .and_then(|e| e.as_str())
                    .is_some_and(|e| e.eq_ignore_ascii_case(email))
            });
            let Some(item) = found else {
                return Ok(None);
            };
            let customer_id = item.get("id").and_then(|id| id.as_i64()).ok_or(
                OnboardingError::UnexpectedAnswer {
                    provider: Provider::CryptoPocket,
                    operation: "list_customers",
                    problem: "the customer found has no numeric id",
                },
            )?;
            Ok(Some(Registration::CryptoPocket(CryptoPocketRegistration {
                customer_id,
                status: KycStatus::Pending,
            })))
        })
    }

    /// The customer id is the reference.
    fn restore_registration(
        &self,
        _customer: &Customer,
        reference: Option<&str>,
    ) -> Option<Registration> {
        Some(Registration::CryptoPocket(CryptoPocketRegistration {
            customer_id: reference?.parse().ok()?,
            status: KycStatus::Pending,
        }))
    }

    fn status<'a>(
        &'a self,
        _customer: &'a Customer,
        registration: &'a Registration,
    ) -> BoxFuture<'a, Result<ProviderStatus, OnboardingError>> {
        Box::pin(async move {
            let Registration::CryptoPocket(CryptoPocketRegistration { customer_id, .. }) =
                registration
            else {
                return Err(OnboardingError::foreign(
                    Provider::CryptoPocket,
                    registration,
                ));
            };
            let response = self.client.check_kyc(*customer_id).await?.into_inner();
            Ok(ProviderStatus::single(KycStatus::from(&response)))
        })
    }
}
