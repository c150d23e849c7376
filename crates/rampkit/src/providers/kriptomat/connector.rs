//! Kriptomat's connector: what it accepts, its credentials (Kriptomat's and SumSub's), how its flows
//! are built.

use std::sync::Arc;

use rampkit_kriptomat::{Client, KriptomatAuth, KriptomatCredentials};
use rampkit_runtime::Context;
use rampkit_sumsub::SumsubAuth;
use secrecy::ExposeSecret;

use super::KriptomatFlows;
use crate::batch::FlowFactory;
use crate::onboarding::{BoxFuture, OnboardingError};
use crate::providers::Provider;
use crate::providers::connector::{Connector, CredentialSpec, Setup, SetupError};
use crate::providers::limits::{
    DEFAULT_MAX_NAME_CHARS, LimitSource, NO_DOCUMENTED_NAME_LIMIT, ProviderLimits,
};
use crate::status::{KycStatus, ProviderStatus};

/// What Kriptomat accepts.
pub const LIMITS: ProviderLimits = ProviderLimits {
    provider: Provider::Kriptomat,
    max_image_bytes: None,
    source: LimitSource::NoImagesSent {
        note: "the KYC is imported from SumSub with a share token; the images stay with SumSub",
    },
    max_name_chars: DEFAULT_MAX_NAME_CHARS,
    name_source: NO_DOCUMENTED_NAME_LIMIT,
};

const fn spec(
    service: &'static str,
    field: &'static str,
    description: &'static str,
) -> CredentialSpec {
    CredentialSpec {
        service,
        field,
        description,
    }
}

const CREDENTIALS: &[CredentialSpec] = &[
    spec("kriptomat", "email", "partner e-mail"),
    spec("kriptomat", "password", "partner password"),
    spec("kriptomat", "client_id", "OAuth client id (a number)"),
    spec("kriptomat", "client_secret", "OAuth client secret"),
    spec("kriptomat", "totp_secret", "TOTP secret (base32)"),
    spec("sumsub", "app_token", "SumSub app token (X-App-Token)"),
    spec("sumsub", "secret_key", "SumSub secret key (signs requests)"),
];

/// Kriptomat's settings (`{"sumsub_client_id": "…"}`).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// Kriptomat's SumSub client id, the share token's recipient.
    #[serde(default = "default_sumsub_client_id")]
    sumsub_client_id: String,
}

/// The SumSub client id Kriptomat's documentation names for its SumSub account.
fn default_sumsub_client_id() -> String {
    "KriptomatSumsub".to_owned()
}

fn clients(setup: &Setup) -> Result<(Client, rampkit_sumsub::Client), SetupError> {
    let get = |i: usize| setup.credential(Provider::Kriptomat, &CREDENTIALS[i]);
    let client_id =
        get(2)?
            .expose_secret()
            .trim()
            .parse()
            .map_err(|_| SetupError::InvalidCredential {
                provider: Provider::Kriptomat,
                variable: CREDENTIALS[2].variable(),
                expected: "a number",
            })?;
    let auth = KriptomatAuth::with_credentials(KriptomatCredentials {
        email: get(0)?,
        password: get(1)?,
        client_id,
        client_secret: get(3)?,
        totp_secret_base32: get(4)?,
    });
    let kriptomat = setup.pace("kriptomat", Context::new(auth));
    let sumsub = setup.pace("sumsub", Context::new(SumsubAuth::new(get(5)?, get(6)?)));
    Ok((
        Client::for_environment(setup.target.environment("kriptomat"), kriptomat)?,
        rampkit_sumsub::Client::for_environment(setup.target.environment("sumsub"), sumsub)?,
    ))
}

/// Kriptomat, for the shared engines.
pub struct KriptomatConnector;

/// The connector [`Provider::connector`] returns for Kriptomat.
pub const CONNECTOR: KriptomatConnector = KriptomatConnector;

impl Connector for KriptomatConnector {
    fn readiness(
        &self,
        customer: &crate::Customer,
        references: &crate::ProviderReferences,
    ) -> crate::Readiness {
        // The share token names the person's SumSub applicant; the user is the partner's existing
        // Kriptomat user (Kriptomat documents no user creation for partners).
        crate::Readiness::check(
            customer,
            [super::share_token_request(customer, "readiness", None).map(drop)],
            [(
                "providers.kriptomat.user_id",
                references.kriptomat.is_some(),
            )],
        )
    }

    fn provider(&self) -> Provider {
        Provider::Kriptomat
    }

    fn name(&self) -> &'static str {
        "kriptomat"
    }

    fn limits(&self) -> &'static ProviderLimits {
        &LIMITS
    }

    fn services(&self) -> &'static [&'static str] {
        &["kriptomat", "sumsub"]
    }

    fn credentials(&self) -> &'static [CredentialSpec] {
        CREDENTIALS
    }

    fn settings(&self) -> &'static [(&'static str, &'static str)] {
        &[
            (
                "sumsub_client_id",
                "Kriptomat's SumSub client id, the share token's recipient; default KriptomatSumsub",
            ),
            (
                "user_id",
                "per customer (providers.kriptomat.user_id): the customer's existing Kriptomat user id",
            ),
        ]
    }

    fn credential_headers(&self) -> Vec<&'static str> {
        use rampkit_runtime::auth::Authenticator;
        rampkit_kriptomat::KriptomatAuth::CREDENTIAL_HEADERS
            .iter()
            .chain(rampkit_sumsub::SumsubAuth::CREDENTIAL_HEADERS)
            .copied()
            .collect()
    }

    fn flows(&self, setup: &Setup) -> Result<Arc<dyn FlowFactory>, SetupError> {
        let settings: Settings = setup.settings_of(Provider::Kriptomat)?;
        let (kriptomat, sumsub) = clients(setup)?;
        Ok(Arc::new(KriptomatFlows::new(
            kriptomat,
            sumsub,
            settings.sumsub_client_id,
        )))
    }

    /// `id` is the Kriptomat user id (a number).
    fn status_by_id<'a>(
        &'a self,
        setup: &'a Setup,
        id: &'a str,
    ) -> BoxFuture<'a, Result<ProviderStatus, OnboardingError>> {
        Box::pin(async move {
            let id: i64 = id.trim().parse().map_err(|_| SetupError::InvalidId {
                provider: Provider::Kriptomat,
                expected: "the user id, a number",
            })?;
            let (client, _) = clients(setup)?;
            let answer = client.show_user(id).await?.into_inner();
            Ok(ProviderStatus::single(KycStatus::from(&answer)))
        })
    }
}
