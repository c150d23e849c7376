//! Kriptomat: SumSub share token → KYC import → poll show user ([K2], [K3]).
//!
//! [K2]: https://developer.kriptomat.io/docs/whitelabel-api-fiat-onramp-offramp-via-bank-wire/api-reference/endpoints/users/show-user
//! [K3]: https://developer.kriptomat.io/docs/whitelabel-api-fiat-onramp-offramp-via-bank-wire/api-reference/endpoints/compliance

use std::sync::Arc;

use rampkit_kriptomat::types;

use super::{import_kyc_request, share_token_request};
use crate::batch::{BatchCustomer, FlowFactory, MissingReference};
use crate::customer::Customer;
use crate::onboarding::{BoxFuture, FlowSteps, KycProvider, OnboardingError};
use crate::providers::{Provider, Registration};
use crate::status::KycStatus;
use crate::status::ProviderStatus;

/// A Kriptomat user, as the later steps name it.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct KriptomatRegistration {
    /// The Kriptomat user id.
    pub user_id: i64,
}

impl KriptomatRegistration {
    /// The user id.
    pub fn reference(&self) -> Option<String> {
        Some(self.user_id.to_string())
    }
}

/// What the Kriptomat flow needs besides the clients, for one customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KriptomatSettings {
    /// The customer's Kriptomat user id. Kriptomat documents no user-creation call for white-label
    /// partners ([K2] shows only Show user and the KYC calls), so the user is created outside rampkit and
    /// its id given here.
    ///
    /// [K2]: https://developer.kriptomat.io/docs/whitelabel-api-fiat-onramp-offramp-via-bank-wire/api-reference/endpoints/users/show-user
    pub user_id: i64,
    /// Kriptomat's SumSub client id (Kriptomat supplies it): the share token is addressed to it.
    pub sumsub_client_id: String,
    /// Lifetime of the share token in seconds; SumSub's default (1200 s) when `None`.
    pub share_token_ttl_secs: Option<i32>,
}

/// The Kriptomat flow: the person's SumSub applicant shared with Kriptomat, then Kriptomat's verdict.
///
/// Build the Kriptomat client with
/// [`KriptomatAuth::with_credentials`](rampkit_kriptomat::KriptomatAuth::with_credentials) (it logs
/// in with the TOTP code and renews the token) and the SumSub client with
/// [`SumsubAuth`](rampkit_sumsub::SumsubAuth) (requests are signed).
///
/// | step | calls |
/// |---|---|
/// | register | none (the user exists; see [`KriptomatSettings::user_id`]); checks the person was verified by SumSub |
/// | upload documents | none: the documents stay in SumSub |
/// | start verification | SumSub `generate_share_token` for Kriptomat's client id, then Kriptomat `import_kyc` with the token |
/// | status | `show_user`: `kyc_status` + `edd_status` |
///
/// A share token is single-use, so it is generated right before the import, every time verification is
/// started.
#[derive(Clone, Debug)]
pub struct KriptomatOnboarding {
    kriptomat: rampkit_kriptomat::Client,
    sumsub: rampkit_sumsub::Client,
    settings: KriptomatSettings,
}

impl KriptomatOnboarding {
    /// The flow over the Kriptomat and SumSub clients with `settings`.
    pub fn new(
        kriptomat: rampkit_kriptomat::Client,
        sumsub: rampkit_sumsub::Client,
        settings: KriptomatSettings,
    ) -> Self {
        Self {
            kriptomat,
            sumsub,
            settings,
        }
    }

    /// The settings.
    pub fn settings(&self) -> &KriptomatSettings {
        &self.settings
    }

    fn user_id(registration: &Registration) -> Result<i64, OnboardingError> {
        match registration {
            Registration::Kriptomat(r) => Ok(r.user_id),
            other => Err(OnboardingError::foreign(Provider::Kriptomat, other)),
        }
    }

    fn share_token(
        &self,
        customer: &Customer,
    ) -> Result<rampkit_sumsub::types::GenerateShareTokenRequest, OnboardingError> {
        Ok(share_token_request(
            customer,
            &self.settings.sumsub_client_id,
            self.settings.share_token_ttl_secs,
        )?)
    }
}

/// The customer's existing Kriptomat user: the `providers.kriptomat` object of a batch line.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KriptomatReference {
    /// The Kriptomat user id.
    pub user_id: i64,
}

/// Kriptomat flows for each customer: the user id comes from the customer's [`KriptomatReference`].
#[derive(Clone, Debug)]
pub struct KriptomatFlows {
    kriptomat: rampkit_kriptomat::Client,
    sumsub: rampkit_sumsub::Client,
    sumsub_client_id: String,
    share_token_ttl_secs: Option<i32>,
}

impl KriptomatFlows {
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

impl FlowFactory for KriptomatFlows {
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

impl KycProvider for KriptomatOnboarding {
    fn provider(&self) -> Provider {
        Provider::Kriptomat
    }

    /// Registration sends nothing (the user exists), the documents stay in SumSub, and the KYC import
    /// that starts verification is not safe to repeat: an unknown outcome is settled by reading the
    /// status (`not_started` until the import was carried out).
    fn steps(&self) -> FlowSteps {
        FlowSteps {
            register: false,
            upload_documents: false,
            start_verification: true,
            start_needs_lookup: true,
        }
    }

    fn register_validated<'a>(
        &'a self,
        customer: &'a Customer,
    ) -> BoxFuture<'a, Result<Registration, OnboardingError>> {
        Box::pin(async move {
            // Nothing to send; fail now, before any call, if the person has no SumSub applicant to share.
            self.share_token(customer)?;
            Ok(Registration::Kriptomat(KriptomatRegistration {
                user_id: self.settings.user_id,
            }))
        })
    }

    /// Registration sends nothing: the user is the one in the settings. (Whether the KYC import was
    /// carried out is read with [`status`](KycProvider::status), `show_user`: `not_started` until it
    /// was.)
    fn find_registration<'a>(
        &'a self,
        _customer: &'a Customer,
    ) -> BoxFuture<'a, Result<Option<Registration>, OnboardingError>> {
        let user_id = self.settings.user_id;
        Box::pin(async move {
            Ok(Some(Registration::Kriptomat(KriptomatRegistration {
                user_id,
            })))
        })
    }

    fn restore_registration(
        &self,
        _customer: &Customer,
        _reference: Option<&str>,
    ) -> Option<Registration> {
        Some(Registration::Kriptomat(KriptomatRegistration {
            user_id: self.settings.user_id,
        }))
    }

    fn start_verification<'a>(
        &'a self,
        customer: &'a Customer,
        registration: &'a Registration,
    ) -> BoxFuture<'a, Result<Option<ProviderStatus>, OnboardingError>> {
        Box::pin(async move {
            let user_id = Self::user_id(registration)?;
            let request = self.share_token(customer)?;
            let share = self
                .sumsub
                .generate_share_token(&request)
                .await?
                .into_inner();
            let import = import_kyc_request(customer, share.token)?;
            let answer = self
                .kriptomat
                .import_kyc(user_id, &import)
                .await?
                .into_inner();
            // `status: true` means the import was accepted, not approved ([K2]); only an explicit `false`
            // is a refusal.
            //
            // [K2]: https://developer.kriptomat.io/docs/whitelabel-api-fiat-onramp-offramp-via-bank-wire/api-reference/endpoints/users/show-user
            if answer.status == Some(false) {
                return Err(OnboardingError::UnexpectedAnswer {
                    provider: Provider::Kriptomat,
                    operation: "import_kyc",
                    problem: "the import was not accepted (status false)",
                });
            }
            Ok(None)
        })
    }

    fn status<'a>(
        &'a self,
        _customer: &'a Customer,
        registration: &'a Registration,
    ) -> BoxFuture<'a, Result<ProviderStatus, OnboardingError>> {
        Box::pin(async move {
            let user_id = Self::user_id(registration)?;
            let response: types::ShowUserResponse =
                self.kriptomat.show_user(user_id).await?.into_inner();
            Ok(ProviderStatus::single(KycStatus::from(&response)))
        })
    }
}
