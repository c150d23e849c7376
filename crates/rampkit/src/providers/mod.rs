//! The providers: one module (a provider's "rooms") per provider, and this registry, the one file of the
//! facade that lists them.
//!
//! Everything about a provider lives in its module: how the canonical [`Customer`](crate::Customer)
//! becomes each of the vendor's requests (`TryFrom<&Customer>`, failing with a [`ConversionError`] that
//! names the canonical field, the provider and the operation), how each answer maps onto one
//! [`KycStatus`](crate::KycStatus), the onboarding flow ([`KycProvider`](crate::KycProvider)), its
//! [`Registration`] type, how a batch builds the flow per customer, what it accepts
//! ([`ProviderLimits`]), its readiness rules, its credentials and how its clients are built
//! ([`Connector`]).
//!
//! | provider | requests built | status mapping |
//! |---|---|---|
//! | [`cryptopocket`] | delegated KYC, company customer | `/kyc/check` `kyc_status`, delegated `kyc_valid` |
//! | [`crossmint`] | create/update user, document uploads | per-product eligibility |
//! | [`kriptomat`] | KYC import (SumSub share token) and the SumSub share-token request | `kyc_status` + `edd_status` |
//! | [`leap`] | register user v2 | CIP `status` + `statusDetail` |
//!
//! The shared engines (onboarding, batch, journal, validation, readiness) never name a provider: they
//! reach one through [`Provider::connector`] and the traits it returns. Adding a provider adds its module
//! and one line to each list below.
//!
//! Conversions read a customer that [`Customer::validate`](crate::Customer::validate) accepted; they do
//! not repeat validation. What they check is what a vendor needs beyond the canonical model's own rules
//! (a field the model leaves optional, a value the vendor has no code for).

use std::fmt;
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub mod crossmint;
pub mod cryptopocket;
pub mod kriptomat;
pub mod leap;

mod connector;
mod conversion;
pub mod limits;
mod readiness;

pub use connector::{
    Connector, CredentialSpec, Credentials, HostedForm, HostedForms, Setup, SetupError, Target,
};
pub(crate) use conversion::Conversion;
pub use conversion::{ConversionError, ConversionErrorKind, Operation};
pub use limits::{LimitSource, ProviderLimits};
pub use readiness::{Readiness, readiness};

/// The generated clients, re-exported at the crate root as `rampkit::<provider>`: one dependency is
/// enough.
pub mod clients {
    pub use rampkit_crossmint as crossmint;
    pub use rampkit_cryptopocket as cryptopocket;
    pub use rampkit_kriptomat as kriptomat;
    pub use rampkit_leap as leap;
    pub use rampkit_sumsub as sumsub;
}

/// Each provider's onboarding flow and its settings, re-exported at the crate root.
pub mod flows {
    pub use super::crossmint::{
        CrossmintFlows, CrossmintOnboarding, CrossmintReference, CrossmintRegistration,
        CrossmintSettings,
    };
    pub use super::cryptopocket::{CryptoPocketOnboarding, CryptoPocketRegistration};
    pub use super::kriptomat::{
        KriptomatFlows, KriptomatOnboarding, KriptomatReference, KriptomatRegistration,
        KriptomatSettings,
    };
    pub use super::leap::{LeapOnboarding, LeapRegistration};
}

/// A ramp provider the facade registers customers with.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// CryptoPocket partner API (`rampkit-cryptopocket`).
    CryptoPocket,
    /// Crossmint Users/KYC API (`rampkit-crossmint`).
    Crossmint,
    /// Kriptomat White Label API (`rampkit-kriptomat`), KYC imported from SumSub (`rampkit-sumsub`).
    Kriptomat,
    /// Leap Financial RaaS partner API (`rampkit-leap`).
    Leap,
}

impl Provider {
    /// Every provider, in a fixed order.
    pub const ALL: [Provider; 4] = [
        Provider::CryptoPocket,
        Provider::Crossmint,
        Provider::Kriptomat,
        Provider::Leap,
    ];

    /// Everything the shared engines need to know about the provider.
    pub fn connector(self) -> &'static dyn Connector {
        match self {
            Provider::CryptoPocket => &cryptopocket::CONNECTOR,
            Provider::Crossmint => &crossmint::CONNECTOR,
            Provider::Kriptomat => &kriptomat::CONNECTOR,
            Provider::Leap => &leap::CONNECTOR,
        }
    }

    /// The provider's name as in its crate name (`cryptopocket`, `crossmint`, …).
    pub fn as_str(self) -> &'static str {
        self.connector().name()
    }

    /// What the provider accepts (image sizes, name lengths).
    pub fn limits(self) -> &'static ProviderLimits {
        self.connector().limits()
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a provider's.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown provider (valid: {})", valid_names())]
pub struct UnknownProvider;

fn valid_names() -> String {
    Provider::ALL.map(Provider::as_str).join(", ")
}

impl FromStr for Provider {
    type Err = UnknownProvider;

    /// The provider named `name` (its [`as_str`](Provider::as_str), any case).
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Provider::ALL
            .into_iter()
            .find(|p| p.as_str().eq_ignore_ascii_case(name.trim()))
            .ok_or(UnknownProvider)
    }
}

/// One row per provider, in [`Provider::ALL`]'s order.
pub const PROVIDER_LIMITS: [&ProviderLimits; 4] = [
    &cryptopocket::LIMITS,
    &crossmint::LIMITS,
    &kriptomat::LIMITS,
    &leap::LIMITS,
];

/// Who the customer is at a provider after [`KycProvider::register`](crate::KycProvider::register):
/// what the later steps need.
///
/// Serialisable, so that a flow can stop after any step and go on later, in another process. A
/// registration may hold personal data (Leap's lookup phone number): store it as you store the customer.
/// [`reference`](Self::reference) is the part that is not personal, which is what a journal keeps.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "provider", rename_all = "lowercase")]
#[non_exhaustive]
pub enum Registration {
    /// A Crossmint user.
    Crossmint(CrossmintRegistration),
    /// A CryptoPocket customer.
    CryptoPocket(CryptoPocketRegistration),
    /// A Kriptomat user (created outside rampkit).
    Kriptomat(KriptomatRegistration),
    /// A Leap user.
    Leap(LeapRegistration),
}

use flows::{
    CrossmintReference, CrossmintRegistration, CryptoPocketRegistration, KriptomatReference,
    KriptomatRegistration, LeapRegistration,
};

impl Registration {
    /// The provider the registration belongs to.
    pub fn provider(&self) -> Provider {
        match self {
            Registration::Crossmint(_) => Provider::Crossmint,
            Registration::CryptoPocket(_) => Provider::CryptoPocket,
            Registration::Kriptomat(_) => Provider::Kriptomat,
            Registration::Leap(_) => Provider::Leap,
        }
    }

    /// The vendor's own, non-personal reference of the customer, if the registration has one (the
    /// CryptoPocket customer id, the Kriptomat user id, a Crossmint `userId:` locator); `None` when the
    /// vendor's id is personal data (Leap's user id).
    pub fn reference(&self) -> Option<String> {
        match self {
            Registration::Crossmint(r) => r.reference(),
            Registration::CryptoPocket(r) => r.reference(),
            Registration::Kriptomat(r) => r.reference(),
            Registration::Leap(r) => r.reference(),
        }
    }
}

/// What some providers' flows need for one customer that the canonical customer does not hold (the
/// `providers` object of a batch line). Each provider's part is defined in its module.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderReferences {
    /// Kriptomat: the customer's existing user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kriptomat: Option<KriptomatReference>,
    /// Crossmint: when the customer accepted the privacy policy, and its user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crossmint: Option<CrossmintReference>,
}

impl ProviderReferences {
    /// Whether no provider has a reference.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back_and_every_provider_has_its_connector() {
        for provider in Provider::ALL {
            assert_eq!(provider.as_str().parse::<Provider>(), Ok(provider));
            assert_eq!(
                provider.as_str().to_uppercase().parse::<Provider>(),
                Ok(provider)
            );
            assert_eq!(provider.connector().provider(), provider);
            let json = serde_json::to_string(&provider).unwrap();
            assert_eq!(json, format!("\"{provider}\""));
        }
        let error = "sumsub".parse::<Provider>().unwrap_err();
        assert_eq!(
            error.to_string(),
            "unknown provider (valid: cryptopocket, crossmint, kriptomat, leap)"
        );
    }

    #[test]
    fn limits_are_in_the_order_of_all() {
        for (provider, row) in Provider::ALL.into_iter().zip(PROVIDER_LIMITS) {
            assert_eq!(provider.limits(), row, "{provider}");
        }
    }
}
