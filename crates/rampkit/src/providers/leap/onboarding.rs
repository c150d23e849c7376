//! Leap: register user v2 → poll get user token v2 ([L1], [L2]).
//!
//! [L1]: https://docs.leapfinancial.com/partner/users/register-user
//! [L2]: https://docs.leapfinancial.com/partner/users/get-user-token

use rampkit_leap::{Client, types};

use crate::customer::Customer;
use crate::limits::Provider;
use crate::onboarding::{BoxFuture, KycProvider, OnboardingError, ProviderStatus, Registration};
use crate::status::KycStatus;

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

impl KycProvider for LeapOnboarding {
    fn provider(&self) -> Provider {
        Provider::Leap
    }

    fn register_validated<'a>(
        &'a self,
        customer: &'a Customer,
    ) -> BoxFuture<'a, Result<Registration, OnboardingError>> {
        Box::pin(async move {
            let request = types::RegisterUserParams::try_from(customer)?;
            let lookup = lookup(&request);
            let response = self.client.register_user_v2(&request).await?.into_inner();
            Ok(Registration::Leap {
                status: KycStatus::from(&response),
                user_id: response.user_id,
                lookup,
            })
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
                    Ok(Some(Registration::Leap {
                        status: KycStatus::from(&response),
                        user_id: response.user_id,
                        lookup,
                    }))
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
            let Registration::Leap { lookup, .. } = registration else {
                return Err(registration.foreign(Provider::Leap));
            };
            let response = self.client.get_user_token_v2(lookup).await?.into_inner();
            Ok(ProviderStatus::single(KycStatus::from(&response)))
        })
    }
}

/// How get user token v2 finds the user `request` registers: phone number and country (`email` is
/// left out: Leap ignores the phone when both are sent).
fn lookup(request: &types::RegisterUserParams) -> types::GetUserTokenParams {
    types::GetUserTokenParams {
        phone_number: request.phone_number.clone(),
        country_code: Some(request.country_code.clone()),
        email: None,
    }
}
