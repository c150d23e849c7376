//! Leap: register user v2 → poll get user token v2 ([L1], [L2]).
//!
//! [L1]: https://docs.leapfinancial.com/partner/users/register-user
//! [L2]: https://docs.leapfinancial.com/partner/users/get-user-token

use std::sync::Arc;

use rampkit_leap::{Client, types};

use crate::batch::{BatchCustomer, FlowFactory, MissingReference};
use crate::customer::Customer;
use crate::onboarding::{BoxFuture, FlowSteps, KycProvider, OnboardingError};
use crate::providers::{Provider, Registration};
use crate::status::KycStatus;
use crate::status::ProviderStatus;

/// A Leap user, as the later steps name it. Holds personal data: the user id (marked personal in Leap's
/// spec) and the lookup's phone number.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct LeapRegistration {
    /// The RaaS user id Leap answered (`userId`).
    pub user_id: rampkit_runtime::Pii,
    /// The alias get user token v2 looks the user up by (the registered phone number and country).
    pub lookup: types::GetUserTokenParams,
    /// The status of the registration answer.
    pub status: KycStatus,
}

impl LeapRegistration {
    /// `None`: Leap's user id is personal data, and the journal keeps none.
    pub fn reference(&self) -> Option<String> {
        None
    }
}

/// The Leap flow: registration starts Leap's CIP (identity, OFAC and related checks) asynchronously;
/// get user token v2 reports its progress ([L1], [L2]).
///
/// | step | calls |
/// |---|---|
/// | register | `register_user_v2` ([`RegisterUserParams`](types::RegisterUserParams) from the customer) |
/// | upload documents | none: Leap takes no documents from the partner |
/// | start verification | none: registration enqueues the checks |
/// | status | `get_user_token_v2` by the registered phone number and country code |
///
/// The user is looked up by `phoneNumber` (sent at registration, and the alias Leap keys users on) with
/// the registration's `countryCode`, which must agree with the phone's country ([L2]); `email` is left
/// out because Leap ignores the phone when both are sent.
///
/// [L1]: https://docs.leapfinancial.com/partner/users/register-user
/// [L2]: https://docs.leapfinancial.com/partner/users/get-user-token
#[derive(Clone, Debug)]
pub struct LeapOnboarding {
    client: Client,
}

impl LeapOnboarding {
    /// The flow over `client`.
    pub fn new(client: Client) -> Self {
        Self { client }
    }
}

impl FlowFactory for LeapOnboarding {
    fn provider(&self) -> Provider {
        Provider::Leap
    }

    /// The same flow for every customer: it needs nothing beyond the customer.
    fn flow(&self, _customer: &BatchCustomer) -> Result<Arc<dyn KycProvider>, MissingReference> {
        Ok(Arc::new(self.clone()))
    }
}

impl KycProvider for LeapOnboarding {
    fn provider(&self) -> Provider {
        Provider::Leap
    }

    /// Registration starts Leap's checks; no documents, no start call.
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
            let request = types::RegisterUserParams::try_from(customer)?;
            let lookup = lookup(&request);
            let response = self.client.register_user_v2(&request).await?.into_inner();
            Ok(Registration::Leap(LeapRegistration {
                status: KycStatus::from(&response),
                user_id: response.user_id,
                lookup,
            }))
        })
    }

    /// `get_user_token_v2` by the phone number and country the registration sends (Leap answers
    /// `ERROR_USER_ALREADY_ENROLLED` for a phone or e-mail it holds); HTTP 404 is "not registered".
    fn find_registration<'a>(
        &'a self,
        customer: &'a Customer,
    ) -> BoxFuture<'a, Result<Option<Registration>, OnboardingError>> {
        Box::pin(async move {
            let request = types::RegisterUserParams::try_from(customer)?;
            let lookup = lookup(&request);
            match self.client.get_user_token_v2(&lookup).await {
                Ok(response) => {
                    let response = response.into_inner();
                    Ok(Some(Registration::Leap(LeapRegistration {
                        status: KycStatus::from(&response),
                        user_id: response.user_id,
                        lookup,
                    })))
                }
                Err(error) if error.kind() == rampkit_runtime::ErrorKind::NotFound => Ok(None),
                Err(error) => Err(error.into()),
            }
        })
    }

    fn status<'a>(
        &'a self,
        _customer: &'a Customer,
        registration: &'a Registration,
    ) -> BoxFuture<'a, Result<ProviderStatus, OnboardingError>> {
        Box::pin(async move {
            let Registration::Leap(LeapRegistration { lookup, .. }) = registration else {
                return Err(OnboardingError::foreign(Provider::Leap, registration));
            };
            let response = self.client.get_user_token_v2(lookup).await?.into_inner();
            Ok(ProviderStatus::single(KycStatus::from(&response)))
        })
    }
}

/// How get user token v2 finds the user `request` registers: phone number and country (`email` is
/// left out: Leap ignores the phone when both are sent).
fn lookup(request: &types::RegisterUserParams) -> types::GetUserTokenParams {
    let mut lookup =
        types::GetUserTokenParams::new().with_country_code(request.country_code.clone());
    lookup.phone_number = request.phone_number.clone();
    lookup
}
