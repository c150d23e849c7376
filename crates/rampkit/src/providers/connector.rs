//! What the shared engines and the CLI need from a provider, behind one trait: [`Connector`].
//!
//! A provider's module implements it once (`providers::<provider>::CONNECTOR`), and
//! [`Provider::connector`] finds it. With a [`Setup`] — where its vendor APIs are ([`Target`]), its
//! credentials ([`Credentials`]) and its settings — a connector builds the provider's flows; without one
//! it tells what the provider accepts and which credentials it needs.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use rampkit_runtime::{Context, Environment, Pii, RateLimits, SharedRateBudget};
use secrecy::SecretString;

use super::{Provider, ProviderLimits, ProviderReferences, Readiness};
use crate::batch::FlowFactory;
use crate::customer::Customer;
use crate::onboarding::{BoxFuture, OnboardingError};
use crate::status::ProviderStatus;

/// A provider: its name, what it accepts, its credentials, and how its flows are built.
pub trait Connector: Send + Sync {
    /// The provider.
    fn provider(&self) -> Provider;

    /// Its name, as in its crate name (`crossmint`).
    fn name(&self) -> &'static str;

    /// What it accepts (image sizes, name lengths).
    fn limits(&self) -> &'static ProviderLimits;

    /// The vendor APIs its flow calls, each as its generated crate is named (`kriptomat`, `sumsub`).
    fn services(&self) -> &'static [&'static str];

    /// The credentials its clients need.
    fn credentials(&self) -> &'static [CredentialSpec];

    /// The headers its clients carry credentials or signatures in (lower case), from its provider
    /// crates' credential types.
    fn credential_headers(&self) -> Vec<&'static str>;

    /// The names of the settings its flows take (its object of [`Setup::settings`] and, per customer,
    /// of a batch line's `providers`), with what each is.
    fn settings(&self) -> &'static [(&'static str, &'static str)] {
        &[]
    }

    /// Its flows over clients built for `setup` (which the flows of every customer share).
    fn flows(&self, setup: &Setup) -> Result<Arc<dyn FlowFactory>, SetupError>;

    /// Whether this provider's flow would send `customer` (with its line's `references`): the
    /// conversions and references the flow needs before its first request, run without sending.
    fn readiness(&self, customer: &Customer, references: &ProviderReferences) -> Readiness;

    /// Whether this provider's flow for `customer` goes through a form the vendor hosts and answers
    /// once (a company's KYB form): it then needs [`Setup::hosted_forms`], and without it the customer
    /// is not sent ([`SetupError::NoFormSink`]). A readiness check that knows the setup (the CLI's
    /// `validate --kyb-forms`) adds it to what is missing. Default: no.
    fn needs_hosted_form(&self, customer: &Customer) -> bool {
        let _ = customer;
        false
    }

    /// Where a customer stands, read by the vendor's own id of the customer (as the CLI's `status`
    /// takes it: a Crossmint user locator, a CryptoPocket customer id, …). Reads only.
    fn status_by_id<'a>(
        &'a self,
        setup: &'a Setup,
        id: &'a str,
    ) -> BoxFuture<'a, Result<ProviderStatus, OnboardingError>>;
}

/// One credential a provider's clients need: a field of one of its vendor APIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CredentialSpec {
    /// The vendor API (`sumsub`).
    pub service: &'static str,
    /// The credential (`app_token`).
    pub field: &'static str,
    /// What it is, in words.
    pub description: &'static str,
}

impl CredentialSpec {
    /// The environment variable the CLI reads it from: `RAMPKIT_<SERVICE>_<FIELD>`, upper case
    /// (`RAMPKIT_SUMSUB_APP_TOKEN`).
    pub fn variable(&self) -> String {
        format!("RAMPKIT_{}_{}", self.service, self.field).to_uppercase()
    }

    /// `service.field`, the key in [`Credentials`].
    pub fn key(&self) -> String {
        format!("{}.{}", self.service, self.field)
    }
}

/// Credentials by [`CredentialSpec::key`] (`crossmint.api_key`). `Debug` prints the keys, never a
/// value.
#[derive(Clone, Default)]
pub struct Credentials(BTreeMap<String, SecretString>);

impl Credentials {
    /// No credentials.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `service.field`.
    pub fn set(&mut self, service: &str, field: &str, value: impl Into<String>) {
        self.0.insert(
            format!("{service}.{field}"),
            SecretString::from(value.into()),
        );
    }

    /// With `service.field` set.
    pub fn with(mut self, service: &str, field: &str, value: impl Into<String>) -> Self {
        self.set(service, field, value);
        self
    }

    /// The credential of `spec`, if set.
    pub fn get(&self, spec: &CredentialSpec) -> Option<&SecretString> {
        self.0.get(&spec.key())
    }

    /// The credentials `providers` need, from the environment ([`CredentialSpec::variable`]); or the
    /// variables that are unset or empty.
    pub fn from_environment(providers: &[Provider]) -> Result<Self, Vec<String>> {
        let mut credentials = Credentials::new();
        let mut missing = Vec::new();
        for spec in providers.iter().flat_map(|p| p.connector().credentials()) {
            match std::env::var(spec.variable()) {
                Ok(value) if !value.trim().is_empty() => {
                    credentials.set(spec.service, spec.field, value)
                }
                _ => missing.push(spec.variable()),
            }
        }
        missing.dedup();
        if missing.is_empty() {
            Ok(credentials)
        } else {
            Err(missing)
        }
    }

    /// Every value, for masking output.
    pub fn values(&self) -> impl Iterator<Item = &SecretString> {
        self.0.values()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

/// Where a provider's clients send their requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Every vendor API's sandbox or production base URL from its spec (or one custom URL for all).
    Environment(Environment),
    /// One server with a path prefix per vendor API (a simulator, a recorder): `<base>/<service>`.
    Prefixed(String),
}

impl Target {
    /// The environment of vendor API `service`.
    pub fn environment(&self, service: &str) -> Environment {
        match self {
            Target::Environment(environment) => environment.clone(),
            Target::Prefixed(base) => {
                Environment::Custom(format!("{}/{service}", base.trim_end_matches('/')))
            }
        }
    }
}

/// What a connector builds a provider's flows with.
#[derive(Clone, Debug)]
pub struct Setup {
    /// Where the vendor APIs are.
    pub target: Target,
    /// The credentials.
    pub credentials: Credentials,
    /// Per provider, its settings (a JSON object; [`Connector::settings`] names the keys). A batch
    /// line's `providers` object overrides them per customer.
    pub settings: BTreeMap<Provider, serde_json::Value>,
    /// Client-side rate limits for every provider: `None` keeps each vendor's documented ones;
    /// `Some(RateLimits::none())` turns them off (against a simulator that enforces them itself).
    pub rate_limits: Option<RateLimits>,
    /// Where the clients count their rate-limit slots: `None` in this process; a shared budget (such as
    /// [`PostgresRateBudget`](crate::PostgresRateBudget), feature `postgres`) so that every process using it
    /// stays, together, within each vendor's limit.
    pub rate_budget: Option<Arc<dyn SharedRateBudget>>,
    /// Where the forms a vendor hosts for a customer (a company's KYB form: a link and its password,
    /// answered once, at registration) are handed over. A flow that registers such a customer refuses to
    /// send without it, since the vendor does not answer them a second time.
    pub hosted_forms: Option<HostedForms>,
}

/// A form a vendor hosts for a customer to fill in — a company's KYB form — as the registration's
/// answer gave it. `Debug` shows no link, password or e-mail.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct HostedForm {
    /// The provider.
    pub provider: Provider,
    /// The customer's id at the provider.
    pub customer_id: String,
    /// The customer's e-mail as registered (to tell whose form it is).
    pub email: Pii,
    /// The form's address (a secret: whoever holds it, with the password, fills in the customer's form).
    pub link: Pii,
    /// The password protecting the form, when the vendor sets one.
    pub password: Option<Pii>,
}

impl HostedForm {
    /// A form of `provider`'s customer `customer_id`.
    pub fn new(
        provider: Provider,
        customer_id: impl Into<String>,
        email: Pii,
        link: Pii,
        password: Option<Pii>,
    ) -> Self {
        Self {
            provider,
            customer_id: customer_id.into(),
            email,
            link,
            password,
        }
    }
}

/// Where [`HostedForm`]s go: called once per form, as soon as the registration answered it.
#[derive(Clone)]
pub struct HostedForms(Arc<dyn Fn(HostedForm) + Send + Sync>);

impl HostedForms {
    /// Hands every form to `sink` (store it, send it to the customer).
    pub fn new(sink: impl Fn(HostedForm) + Send + Sync + 'static) -> Self {
        Self(Arc::new(sink))
    }

    /// Hands `form` over.
    pub fn hand_over(&self, form: HostedForm) {
        (self.0)(form);
    }
}

impl fmt::Debug for HostedForms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HostedForms(..)")
    }
}

impl Setup {
    /// `target` with `credentials`, no settings, the vendors' rate limits.
    pub fn new(target: Target, credentials: Credentials) -> Self {
        Self {
            target,
            credentials,
            settings: BTreeMap::new(),
            rate_limits: None,
            rate_budget: None,
            hosted_forms: None,
        }
    }

    /// With `provider`'s settings.
    pub fn with_settings(mut self, provider: Provider, settings: serde_json::Value) -> Self {
        self.settings.insert(provider, settings);
        self
    }

    /// `context` with this setup's rate limits, and its rate budget under vendor API `service`'s name
    /// (the connectors' one place for them).
    pub fn pace<A>(&self, service: &str, context: Context<A>) -> Context<A> {
        let context = match self.rate_limits {
            Some(limits) => context.with_rate_limits(limits),
            None => context,
        };
        match &self.rate_budget {
            Some(budget) => context.with_shared_rate_budget(service, Arc::clone(budget)),
            None => context,
        }
    }

    /// The credential `spec` of `provider`, or [`SetupError::MissingCredential`].
    pub fn credential(
        &self,
        provider: Provider,
        spec: &CredentialSpec,
    ) -> Result<SecretString, SetupError> {
        self.credentials
            .get(spec)
            .cloned()
            .ok_or_else(|| SetupError::MissingCredential {
                provider,
                variable: spec.variable(),
            })
    }

    /// `provider`'s settings decoded as `T` (an empty object when none are given).
    pub fn settings_of<T: serde::de::DeserializeOwned>(
        &self,
        provider: Provider,
    ) -> Result<T, SetupError> {
        let value = self
            .settings
            .get(&provider)
            .cloned()
            .unwrap_or_else(|| serde_json::json!({}));
        decode_settings(provider, value)
    }
}

/// Decodes a provider's settings object, naming the field that does not fit (never its value).
pub(crate) fn decode_settings<T: serde::de::DeserializeOwned>(
    provider: Provider,
    value: serde_json::Value,
) -> Result<T, SetupError> {
    serde_path_to_error::deserialize(value).map_err(|e| SetupError::InvalidSetting {
        provider,
        field: e.path().to_string(),
    })
}

/// Why a provider's flows cannot be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SetupError {
    /// A credential is not set.
    #[error("{provider}: credential {variable} is not set")]
    MissingCredential {
        /// The provider.
        provider: Provider,
        /// Its environment variable.
        variable: String,
    },
    /// A setting is missing, unknown or of the wrong type.
    #[error("{provider}: setting `{field}` is missing, unknown or of the wrong type")]
    InvalidSetting {
        /// The provider.
        provider: Provider,
        /// The setting's path.
        field: String,
    },
    /// The vendor's id of a customer, given to [`Connector::status_by_id`], is not in the vendor's form.
    #[error("{provider}: the customer id must be {expected}")]
    InvalidId {
        /// The provider.
        provider: Provider,
        /// The form needed.
        expected: &'static str,
    },
    /// The customer is registered through a form the vendor hosts and answers once (a company's KYB
    /// form), and [`Setup::hosted_forms`] is not set: nothing was sent.
    #[error(
        "{provider}: not sent, the vendor answers the customer's hosted form (link and password) once \
         and nothing would receive it: set Setup::hosted_forms (CLI: --kyb-forms FILE)"
    )]
    NoFormSink {
        /// The provider.
        provider: Provider,
    },
    /// A setting names a value the provider does not know.
    #[error("{provider}: setting `{field}` names an unknown value (valid: {valid})")]
    UnknownValue {
        /// The provider.
        provider: Provider,
        /// The setting.
        field: &'static str,
        /// The valid values.
        valid: &'static str,
    },
    /// A credential is set but not in the form the vendor takes (the Kriptomat client id is a number).
    #[error("{provider}: credential {variable} is not valid ({expected})")]
    InvalidCredential {
        /// The provider.
        provider: Provider,
        /// Its environment variable.
        variable: String,
        /// The form needed.
        expected: &'static str,
    },
    /// A client could not be built (a base URL that is not a URL).
    #[error(transparent)]
    Client(#[from] rampkit_runtime::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_and_keys() {
        let spec = CredentialSpec {
            service: "sumsub",
            field: "app_token",
            description: "",
        };
        assert_eq!(spec.variable(), "RAMPKIT_SUMSUB_APP_TOKEN");
        assert_eq!(spec.key(), "sumsub.app_token");
        let credentials = Credentials::new().with("sumsub", "app_token", "SECRET-VALUE");
        let debug = format!("{credentials:?}");
        assert!(
            debug.contains("sumsub.app_token") && !debug.contains("SECRET"),
            "{debug}"
        );
    }

    #[test]
    fn a_prefixed_target_puts_each_service_under_its_name() {
        let target = Target::Prefixed("http://127.0.0.1:9/".to_owned());
        assert_eq!(
            target.environment("sumsub"),
            Environment::Custom("http://127.0.0.1:9/sumsub".to_owned())
        );
    }
}
