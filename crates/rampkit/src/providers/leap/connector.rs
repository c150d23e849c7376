//! Leap's connector: what it accepts, its credential, how its flow is built.

use std::sync::Arc;

use rampkit_leap::{Client, LeapAuth, types};
use rampkit_runtime::{Context, Pii};

use super::LeapOnboarding;
use crate::batch::FlowFactory;
use crate::onboarding::{BoxFuture, OnboardingError};
use crate::providers::Provider;
use crate::providers::connector::{Connector, CredentialSpec, Setup, SetupError};
use crate::providers::limits::{
    DEFAULT_MAX_NAME_CHARS, LimitSource, NO_DOCUMENTED_NAME_LIMIT, ProviderLimits,
};
use crate::status::{KycStatus, ProviderStatus};

/// What Leap accepts.
pub const LIMITS: ProviderLimits = ProviderLimits {
    provider: Provider::Leap,
    max_image_bytes: None,
    source: LimitSource::NoImagesSent {
        note: "register-user v2 takes personal data only, no images",
    },
    max_name_chars: DEFAULT_MAX_NAME_CHARS,
    name_source: NO_DOCUMENTED_NAME_LIMIT,
};

const CREDENTIALS: &[CredentialSpec] = &[CredentialSpec {
    service: "leap",
    field: "api_key",
    description: "partner API key (api_key header)",
}];

fn client(setup: &Setup) -> Result<Client, SetupError> {
    let key = setup.credential(Provider::Leap, &CREDENTIALS[0])?;
    let context = setup.pace("leap", Context::new(LeapAuth::new(key)));
    Ok(Client::for_environment(
        setup.target.environment("leap"),
        context,
    )?)
}

/// How get user token v2 finds a user by the id the CLI takes: an e-mail address, or a phone number in
/// E.164 form whose country is read from the number itself (Leap wants the ISO country with a phone
/// alias, [L2]).
///
/// [L2]: https://docs.leapfinancial.com/partner/users/get-user-token
fn lookup(id: &str) -> Result<types::GetUserTokenParams, SetupError> {
    let id = id.trim();
    if id.contains('@') {
        return Ok(types::GetUserTokenParams::new().with_email(Pii::from(id)));
    }
    let invalid = || SetupError::InvalidId {
        provider: Provider::Leap,
        expected: "an e-mail address, or a phone number in E.164 form: +34…",
    };
    let number = phonenumber::parse(None, id).map_err(|_| invalid())?;
    let country = number.country().id().ok_or_else(invalid)?;
    Ok(types::GetUserTokenParams::new()
        .with_phone_number(Pii::from(id))
        .with_country_code(country.as_ref()))
}

/// Leap, for the shared engines.
pub struct LeapConnector;

/// The connector [`Provider::connector`] returns for Leap.
pub const CONNECTOR: LeapConnector = LeapConnector;

impl Connector for LeapConnector {
    fn readiness(
        &self,
        customer: &crate::Customer,
        _references: &crate::ProviderReferences,
    ) -> crate::Readiness {
        crate::Readiness::check(
            customer,
            [types::RegisterUserParams::try_from(customer).map(drop)],
            [],
        )
    }

    fn provider(&self) -> Provider {
        Provider::Leap
    }

    fn name(&self) -> &'static str {
        "leap"
    }

    fn limits(&self) -> &'static ProviderLimits {
        &LIMITS
    }

    fn services(&self) -> &'static [&'static str] {
        &["leap"]
    }

    fn credentials(&self) -> &'static [CredentialSpec] {
        CREDENTIALS
    }

    fn credential_headers(&self) -> Vec<&'static str> {
        use rampkit_runtime::auth::Authenticator;
        rampkit_leap::LeapAuth::CREDENTIAL_HEADERS.to_vec()
    }

    fn flows(&self, setup: &Setup) -> Result<Arc<dyn FlowFactory>, SetupError> {
        Ok(Arc::new(LeapOnboarding::new(client(setup)?)))
    }

    /// `id` is the registered e-mail address or phone number (E.164; its country comes from the number).
    fn status_by_id<'a>(
        &'a self,
        setup: &'a Setup,
        id: &'a str,
    ) -> BoxFuture<'a, Result<ProviderStatus, OnboardingError>> {
        Box::pin(async move {
            let params = lookup(id)?;
            let answer = client(setup)?
                .get_user_token_v2(&params)
                .await?
                .into_inner();
            Ok(ProviderStatus::single(KycStatus::from(&answer)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phone_number_carries_its_country() {
        let params = lookup("+34600100000").unwrap();
        assert_eq!(params.country_code.as_deref(), Some("ES"));
        assert!(params.email.is_none());
        let params = lookup("+525512345678").unwrap();
        assert_eq!(params.country_code.as_deref(), Some("MX"));
        let params = lookup("ana@example.com").unwrap();
        assert!(params.phone_number.is_none() && params.email.is_some());
        let error = lookup("600100000").unwrap_err().to_string();
        assert!(
            error.contains("E.164") && !error.contains("600100000"),
            "{error}"
        );
    }
}
