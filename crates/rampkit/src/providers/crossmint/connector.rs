//! Crossmint's connector: what it accepts, its credential, how its flows are built.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rampkit_crossmint::{Client, CrossmintAuth, types};
use rampkit_runtime::{Context, RetryPolicy};

use super::{CrossmintFlows, UserLocator, products_status};
use crate::batch::FlowFactory;
use crate::onboarding::{BoxFuture, OnboardingError};
use crate::providers::Provider;
use crate::providers::connector::{Connector, CredentialSpec, Setup, SetupError};
use crate::providers::limits::{
    DEFAULT_MAX_IMAGE_BYTES, DEFAULT_MAX_NAME_CHARS, LimitSource, NO_DOCUMENTED_NAME_LIMIT,
    ProviderLimits,
};
use crate::status::ProviderStatus;

/// What Crossmint accepts.
pub const LIMITS: ProviderLimits = ProviderLimits {
    provider: Provider::Crossmint,
    max_image_bytes: Some(DEFAULT_MAX_IMAGE_BYTES),
    source: LimitSource::RampkitDefault {
        note: "the user-document upload documents `data` as base64 with minLength 1 and no maximum \
               (Crossmint API reference, POST /2025-06-09/documents)",
    },
    max_name_chars: DEFAULT_MAX_NAME_CHARS,
    name_source: NO_DOCUMENTED_NAME_LIMIT,
};

const CREDENTIALS: &[CredentialSpec] = &[CredentialSpec {
    service: "crossmint",
    field: "api_key",
    description: "server API key (X-API-KEY)",
}];

/// Crossmint's settings (`{"products": ["offramp"], "privacy_policy_accepted_at": "…"}`).
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    /// The products the customer needs; the status is verified when every one is.
    #[serde(default = "default_products")]
    products: Vec<String>,
    /// When every customer of the run accepted the privacy policy (a line's own time wins).
    #[serde(default)]
    privacy_policy_accepted_at: Option<DateTime<Utc>>,
}

fn default_products() -> Vec<String> {
    vec!["offramp".to_owned()]
}

impl Settings {
    fn products(&self) -> Result<Vec<types::ProductType>, SetupError> {
        let products: Vec<types::ProductType> = self
            .products
            .iter()
            .map(|name| match types::ProductType::from(name.trim()) {
                types::ProductType::Unknown(_) => Err(SetupError::UnknownValue {
                    provider: Provider::Crossmint,
                    field: "products",
                    valid: "onramp, onramp-light, offramp, regulated-transfer",
                }),
                known => Ok(known),
            })
            .collect::<Result<_, _>>()?;
        if products.is_empty() {
            return Err(SetupError::InvalidSetting {
                provider: Provider::Crossmint,
                field: "products".to_owned(),
            });
        }
        Ok(products)
    }
}

fn client(setup: &Setup) -> Result<Client, SetupError> {
    let key = setup.credential(Provider::Crossmint, &CREDENTIALS[0])?;
    // No runtime retries: the upsert is a PUT the runtime would repeat after a timeout; the engine looks
    // the user up first, then sends it again.
    let context = setup.pace(
        "crossmint",
        Context::new(CrossmintAuth::new(key)).with_retry(RetryPolicy::none()),
    );
    Ok(Client::for_environment(
        setup.target.environment("crossmint"),
        context,
    )?)
}

/// Crossmint, for the shared engines.
pub struct CrossmintConnector;

/// The connector [`Provider::connector`] returns for Crossmint.
pub const CONNECTOR: CrossmintConnector = CrossmintConnector;

impl Connector for CrossmintConnector {
    fn readiness(
        &self,
        customer: &crate::Customer,
        references: &crate::ProviderReferences,
    ) -> crate::Readiness {
        // The flow builds the user and every document upload before its first call; the consent time is
        // a legal record, never invented: it comes from the customer's line (or an explicit setting).
        let owner = UserLocator::user_id("readiness");
        crate::Readiness::check(
            customer,
            [
                types::UpsertUserRequest::try_from(customer).map(drop),
                super::document_uploads(customer, &owner).map(drop),
            ],
            [(
                "providers.crossmint.privacy_policy_accepted_at",
                references.crossmint.is_some(),
            )],
        )
    }

    fn provider(&self) -> Provider {
        Provider::Crossmint
    }

    fn name(&self) -> &'static str {
        "crossmint"
    }

    fn limits(&self) -> &'static ProviderLimits {
        &LIMITS
    }

    fn services(&self) -> &'static [&'static str] {
        &["crossmint"]
    }

    fn credentials(&self) -> &'static [CredentialSpec] {
        CREDENTIALS
    }

    fn settings(&self) -> &'static [(&'static str, &'static str)] {
        &[
            (
                "products",
                "the products the customer needs (onramp, onramp-light, offramp, regulated-transfer); default offramp",
            ),
            (
                "privacy_policy_accepted_at",
                "when the customer accepted Crossmint's privacy policy (RFC 3339); never invented",
            ),
        ]
    }

    fn credential_headers(&self) -> Vec<&'static str> {
        use rampkit_runtime::auth::Authenticator;
        rampkit_crossmint::CrossmintAuth::CREDENTIAL_HEADERS.to_vec()
    }

    fn flows(&self, setup: &Setup) -> Result<Arc<dyn FlowFactory>, SetupError> {
        let settings: Settings = setup.settings_of(Provider::Crossmint)?;
        let mut flows = CrossmintFlows::new(client(setup)?, settings.products()?);
        if let Some(at) = settings.privacy_policy_accepted_at {
            flows = flows.with_privacy_policy_accepted_at(at);
        }
        Ok(Arc::new(flows))
    }

    /// `id` is a user locator (`userId:<id>`, `email:<address>`, …); the status covers the settings'
    /// products.
    fn status_by_id<'a>(
        &'a self,
        setup: &'a Setup,
        id: &'a str,
    ) -> BoxFuture<'a, Result<ProviderStatus, OnboardingError>> {
        Box::pin(async move {
            let settings: Settings = setup.settings_of(Provider::Crossmint)?;
            let products = settings.products()?;
            let locator: UserLocator = id.trim().parse().map_err(|_| SetupError::InvalidId {
                provider: Provider::Crossmint,
                expected: "a user locator: userId:<id>, email:<address>, …",
            })?;
            let answer = client(setup)?
                .get_identity_verification(&locator)
                .await?
                .into_inner();
            Ok(products_status(&answer, &products))
        })
    }
}
