//! Each provider's facade flow (`KycProvider`), over the generated clients, for a target and a customer.

use chrono::{DateTime, Utc};
use rampkit::onboarding::{
    CrossmintOnboarding, CrossmintSettings, CryptoPocketOnboarding, KriptomatOnboarding,
    KriptomatSettings, LeapOnboarding,
};
use rampkit::providers::crossmint::UserLocator;
use rampkit::runtime::Environment;
use rampkit::runtime::auth::{
    CrossmintAuth, CryptoPocketAuth, KriptomatAuth, KriptomatCredentials, LeapAuth, SumsubAuth,
};
use rampkit::{Customer, KycProvider, Provider, crossmint, cryptopocket, kriptomat, leap, sumsub};
use sha2::{Digest, Sha256};

use crate::cli::FlowArgs;
use crate::credentials::Credentials;
use crate::exit::Failure;

/// Where each vendor's client sends its requests.
#[derive(Clone, Debug)]
pub struct Target {
    pub crossmint: Environment,
    pub cryptopocket: Environment,
    pub kriptomat: Environment,
    pub sumsub: Environment,
    pub leap: Environment,
}

impl Target {
    /// Every vendor's sandbox or production base URL from its spec.
    pub fn environment(environment: Environment) -> Self {
        Self {
            crossmint: environment.clone(),
            cryptopocket: environment.clone(),
            kriptomat: environment.clone(),
            sumsub: environment.clone(),
            leap: environment,
        }
    }

    /// One server with a path prefix per vendor (the simulator's layout, and the recorder's):
    /// `<base>/crossmint`, `<base>/cryptopocket`, …
    pub fn prefixed(base: &str) -> Self {
        let base = base.trim_end_matches('/');
        let at = |vendor: &str| Environment::Custom(format!("{base}/{vendor}"));
        Self {
            crossmint: at("crossmint"),
            cryptopocket: at("cryptopocket"),
            kriptomat: at("kriptomat"),
            sumsub: at("sumsub"),
            leap: at("leap"),
        }
    }
}

/// The flows' settings that are not in the customer.
#[derive(Clone, Debug)]
pub struct Settings {
    pub user_id: Option<String>,
    pub privacy_policy_accepted_at: DateTime<Utc>,
    pub crossmint_products: Vec<crossmint::types::ProductType>,
    pub kriptomat_user_id: Option<i64>,
    pub sumsub_client_id: String,
}

/// Crossmint products named on the command line; an unknown one is a usage error listing the valid ones.
pub fn products(names: &[String]) -> Result<Vec<crossmint::types::ProductType>, Failure> {
    use crossmint::types::ProductType;
    const VALID: &str = "onramp, onramp-light, offramp, regulated-transfer";
    let products: Vec<ProductType> = names
        .iter()
        .map(|name| match ProductType::from(name.trim()) {
            ProductType::Unknown(_) => Err(Failure::usage(format!(
                "unknown Crossmint product (valid: {VALID})"
            ))),
            known => Ok(known),
        })
        .collect::<Result<_, _>>()?;
    if products.is_empty() {
        return Err(Failure::usage(format!(
            "name at least one Crossmint product ({VALID})"
        )));
    }
    Ok(products)
}

impl Settings {
    /// From the command line; `kriptomat_default` is the user id used when none is given.
    pub fn from_args(args: &FlowArgs, kriptomat_default: Option<i64>) -> Result<Self, Failure> {
        let privacy_policy_accepted_at = match &args.privacy_policy_accepted_at {
            Some(text) => DateTime::parse_from_rfc3339(text)
                .map_err(|_| {
                    Failure::usage(
                        "--privacy-policy-accepted-at is not an RFC 3339 timestamp \
                         (2026-01-31T12:00:00Z)",
                    )
                })?
                .with_timezone(&Utc),
            None => Utc::now(),
        };
        if args
            .user_id
            .as_deref()
            .is_some_and(|id| id.trim().is_empty())
        {
            return Err(Failure::usage("--user-id is empty"));
        }
        Ok(Self {
            user_id: args.user_id.clone(),
            privacy_policy_accepted_at,
            crossmint_products: products(&args.crossmint_products)?,
            kriptomat_user_id: args.kriptomat_user_id.or(kriptomat_default),
            sumsub_client_id: args.sumsub_client_id.clone(),
        })
    }

    /// The Crossmint user id of `customer`: `--user-id`, or `rampkit-` and 16 hex digits of the
    /// SHA-256 of its e-mail address (stable across runs; the address itself stays out of URLs).
    pub fn crossmint_user_id(&self, customer: &Customer) -> String {
        match &self.user_id {
            Some(id) => id.clone(),
            None => {
                let digest = Sha256::digest(customer.email().expose_str().trim().to_lowercase());
                format!("rampkit-{}", &hex::encode(digest)[..16])
            }
        }
    }
}

fn client_error(provider: Provider, error: rampkit::runtime::Error) -> Failure {
    Failure::usage(format!("{provider}: {error}"))
}

/// `provider`'s flow for `customer` against `target` with `credentials`.
pub fn build(
    provider: Provider,
    customer: &Customer,
    target: &Target,
    credentials: &Credentials,
    settings: &Settings,
) -> Result<Box<dyn KycProvider>, Failure> {
    let flow: Box<dyn KycProvider> = match provider {
        Provider::Crossmint => {
            let client = crossmint::Client::for_environment(
                target.crossmint.clone(),
                CrossmintAuth::new(credentials.crossmint_api_key.clone()),
            )
            .map_err(|e| client_error(provider, e))?;
            Box::new(CrossmintOnboarding::new(
                client,
                CrossmintSettings {
                    user_locator: UserLocator::user_id(settings.crossmint_user_id(customer)),
                    privacy_policy_accepted_at: settings.privacy_policy_accepted_at,
                    products: settings.crossmint_products.clone(),
                },
            ))
        }
        Provider::CryptoPocket => {
            let client = cryptopocket::Client::for_environment(
                target.cryptopocket.clone(),
                CryptoPocketAuth::with_credentials(
                    credentials.cryptopocket_api_key.clone(),
                    credentials.cryptopocket_api_secret.clone(),
                ),
            )
            .map_err(|e| client_error(provider, e))?;
            Box::new(CryptoPocketOnboarding::new(client))
        }
        Provider::Kriptomat => {
            let user_id = settings.kriptomat_user_id.ok_or_else(|| {
                Failure::usage(
                    "kriptomat needs the customer's existing Kriptomat user id: \
                     --kriptomat-user-id or RAMPKIT_KRIPTOMAT_USER_ID",
                )
            })?;
            let kriptomat_client = kriptomat::Client::for_environment(
                target.kriptomat.clone(),
                KriptomatAuth::with_credentials(KriptomatCredentials {
                    email: credentials.kriptomat_email.clone().into(),
                    password: credentials.kriptomat_password.clone().into(),
                    client_id: credentials.kriptomat_client_id,
                    client_secret: credentials.kriptomat_client_secret.clone().into(),
                    totp_secret_base32: credentials.kriptomat_totp_secret_base32.clone().into(),
                }),
            )
            .map_err(|e| client_error(provider, e))?;
            let sumsub_client = sumsub::Client::for_environment(
                target.sumsub.clone(),
                SumsubAuth::new(
                    credentials.sumsub_app_token.clone(),
                    credentials.sumsub_secret_key.clone(),
                ),
            )
            .map_err(|e| client_error(provider, e))?;
            Box::new(KriptomatOnboarding::new(
                kriptomat_client,
                sumsub_client,
                KriptomatSettings {
                    user_id,
                    sumsub_client_id: settings.sumsub_client_id.clone(),
                    share_token_ttl_secs: None,
                },
            ))
        }
        Provider::Leap => {
            let client = leap::Client::for_environment(
                target.leap.clone(),
                LeapAuth::new(credentials.leap_api_key.clone()),
            )
            .map_err(|e| client_error(provider, e))?;
            Box::new(LeapOnboarding::new(client))
        }
    };
    Ok(flow)
}
