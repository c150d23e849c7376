//! CryptoPocket's connector: what it accepts, its credentials, how its flow is built.

use std::sync::Arc;

use rampkit_cryptopocket::{Client, CryptoPocketAuth};
use rampkit_runtime::Context;

use super::CryptoPocketOnboarding;
use crate::batch::FlowFactory;
use crate::onboarding::{BoxFuture, OnboardingError};
use crate::providers::Provider;
use crate::providers::connector::{Connector, CredentialSpec, Setup, SetupError};
use crate::providers::limits::{
    DEFAULT_MAX_IMAGE_BYTES, DEFAULT_MAX_NAME_CHARS, LimitSource, NO_DOCUMENTED_NAME_LIMIT,
    ProviderLimits,
};
use crate::status::{KycStatus, ProviderStatus};

/// What CryptoPocket accepts.
pub const LIMITS: ProviderLimits = ProviderLimits {
    provider: Provider::CryptoPocket,
    max_image_bytes: Some(DEFAULT_MAX_IMAGE_BYTES),
    source: LimitSource::RampkitDefault {
        note: "delegated KYC (front, back, face, liveness as data URIs) and document upload publish \
               no size limit; upload answers HTTP 422 invalid_file for a bad file \
               (https://api-doc.cryptopocket.io/upload-customer-document-4398183e0)",
    },
    max_name_chars: DEFAULT_MAX_NAME_CHARS,
    name_source: NO_DOCUMENTED_NAME_LIMIT,
};

const CREDENTIALS: &[CredentialSpec] = &[
    CredentialSpec {
        service: "cryptopocket",
        field: "api_key",
        description: "API key (/authenticate)",
    },
    CredentialSpec {
        service: "cryptopocket",
        field: "api_secret",
        description: "API secret (/authenticate; also signs webhooks)",
    },
];

fn client(setup: &Setup) -> Result<Client, SetupError> {
    let key = setup.credential(Provider::CryptoPocket, &CREDENTIALS[0])?;
    let secret = setup.credential(Provider::CryptoPocket, &CREDENTIALS[1])?;
    let context = setup.pace(
        "cryptopocket",
        Context::new(CryptoPocketAuth::with_credentials(key, secret)),
    );
    Ok(Client::for_environment(
        setup.target.environment("cryptopocket"),
        context,
    )?)
}

/// CryptoPocket, for the shared engines.
pub struct CryptoPocketConnector;

/// The connector [`Provider::connector`] returns for CryptoPocket.
pub const CONNECTOR: CryptoPocketConnector = CryptoPocketConnector;

impl Connector for CryptoPocketConnector {
    fn readiness(
        &self,
        customer: &crate::Customer,
        _references: &crate::ProviderReferences,
    ) -> crate::Readiness {
        // The flow's first request, built before anything is sent: a company's registration for the
        // hosted KYB form, or a person's delegated KYC.
        let first = match customer {
            crate::Customer::Company(_) => {
                rampkit_cryptopocket::types::RegisterCompanyRequest::try_from(customer).map(drop)
            }
            crate::Customer::Person(_) => {
                rampkit_cryptopocket::types::RegisterUserKycDelegatedRequest::try_from(customer)
                    .map(drop)
            }
        };
        crate::Readiness::check(customer, [first], [])
    }

    fn needs_hosted_form(&self, customer: &crate::Customer) -> bool {
        // A company registers through the hosted KYB form whose link and password are answered once.
        matches!(customer, crate::Customer::Company(_))
    }

    fn provider(&self) -> Provider {
        Provider::CryptoPocket
    }

    fn name(&self) -> &'static str {
        "cryptopocket"
    }

    fn limits(&self) -> &'static ProviderLimits {
        &LIMITS
    }

    fn services(&self) -> &'static [&'static str] {
        &["cryptopocket"]
    }

    fn credentials(&self) -> &'static [CredentialSpec] {
        CREDENTIALS
    }

    fn credential_headers(&self) -> Vec<&'static str> {
        use rampkit_runtime::auth::Authenticator;
        rampkit_cryptopocket::CryptoPocketAuth::CREDENTIAL_HEADERS.to_vec()
    }

    fn flows(&self, setup: &Setup) -> Result<Arc<dyn FlowFactory>, SetupError> {
        let flow = CryptoPocketOnboarding::new(client(setup)?);
        Ok(Arc::new(match &setup.hosted_forms {
            Some(forms) => flow.with_hosted_forms(forms.clone()),
            None => flow,
        }))
    }

    /// `id` is the customer id (a number).
    fn status_by_id<'a>(
        &'a self,
        setup: &'a Setup,
        id: &'a str,
    ) -> BoxFuture<'a, Result<ProviderStatus, OnboardingError>> {
        Box::pin(async move {
            let id: i64 = id.trim().parse().map_err(|_| SetupError::InvalidId {
                provider: Provider::CryptoPocket,
                expected: "the customer id, a number",
            })?;
            let answer = client(setup)?.check_kyc(id).await?.into_inner();
            Ok(ProviderStatus::single(KycStatus::from(&answer)))
        })
    }
}
