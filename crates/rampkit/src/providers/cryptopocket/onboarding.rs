//! CryptoPocket: authenticate → delegated KYC (a person) or company registration with its hosted KYB
//! form (a company) → KYC/KYB status check ([P3], [P4], [P18]).
//!
//! [P3]: https://api-doc.cryptopocket.io/create-customer-with-delegated-kyc-4350868e0
//! [P4]: https://api-doc.cryptopocket.io/create-company-customer-4398184e0
//! [P18]: https://api-doc.cryptopocket.io/cryptopocket-integration-guide-buy-flow-on-ramp-370702m0

use std::sync::Arc;

use rampkit_cryptopocket::{Client, types};

use crate::batch::{BatchCustomer, FlowFactory, MissingReference};
use crate::customer::Customer;
use crate::onboarding::{BoxFuture, FlowSteps, KycProvider, OnboardingError};
use crate::providers::{HostedForm, HostedForms, Provider, Registration, SetupError};
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
///
/// A company is registered with `register_company` ([P4]): CryptoPocket answers a link to its hosted KYB
/// form and the form's password, once. They go to the [`HostedForms`] given with
/// [`with_hosted_forms`](Self::with_hosted_forms) (without one, a company is refused before anything is
/// sent); then `check_kyc` reads the company's status, requires data (`kyb_form`) until the company has
/// used the form.
///
/// [P4]: https://api-doc.cryptopocket.io/create-company-customer-4398184e0
#[derive(Clone, Debug)]
pub struct CryptoPocketOnboarding {
    client: Client,
    forms: Option<HostedForms>,
}

impl CryptoPocketOnboarding {
    /// The flow over `client`.
    pub fn new(client: Client) -> Self {
        Self {
            client,
            forms: None,
        }
    }

    /// Hands each company's KYB form (link and password) to `forms`.
    pub fn with_hosted_forms(mut self, forms: HostedForms) -> Self {
        self.forms = Some(forms);
        self
    }

    async fn register_company(&self, customer: &Customer) -> Result<Registration, OnboardingError> {
        let request = types::RegisterCompanyRequest::try_from(customer)?;
        let Some(forms) = &self.forms else {
            return Err(SetupError::NoFormSink {
                provider: Provider::CryptoPocket,
            }
            .into());
        };
        let response = self.client.register_company(&request).await?.into_inner();
        let unexpected = |problem| OnboardingError::UnexpectedAnswer {
            provider: Provider::CryptoPocket,
            operation: "register_company",
            problem,
        };
        let data = response
            .data
            .as_ref()
            .ok_or(unexpected("the answer has no data"))?;
        let customer_id = data
            .id
            .ok_or(unexpected("the answer has no customer id (data.id)"))?;
        let link = data.kyb_link.clone().ok_or(unexpected(
            "the answer has no KYB form link (data.kyb_link)",
        ))?;
        forms.hand_over(HostedForm::new(
            Provider::CryptoPocket,
            customer_id.to_string(),
            request.email.clone(),
            link,
            data.password.clone(),
        ));
        Ok(Registration::CryptoPocket(CryptoPocketRegistration {
            customer_id,
            status: KycStatus::RequiresData {
                missing: vec![KYB_FORM.to_owned()],
            },
        }))
    }
}

/// What a company's status asks for until the company has used the hosted KYB form.
pub const KYB_FORM: &str = "kyb_form";

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
            if matches!(customer, Customer::Company(_)) {
                return self.register_company(customer).await;
            }
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
        customer: &'a Customer,
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
            let status = match KycStatus::from(&response) {
                // A company that has not used its hosted KYB form yet: the form is what is missing.
                KycStatus::NotStarted if matches!(customer, Customer::Company(_)) => {
                    KycStatus::RequiresData {
                        missing: vec![KYB_FORM.to_owned()],
                    }
                }
                status => status,
            };
            Ok(ProviderStatus::single(status))
        })
    }
}
