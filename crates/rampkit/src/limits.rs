//! What each provider accepts, as data: one row per provider, read by validation.
//!
//! Image sizes and name lengths live here so far. A vendor limit enters the table with the vendor page
//! that states it; a provider that documents none gets rampkit's default ([`DEFAULT_MAX_IMAGE_BYTES`],
//! [`DEFAULT_MAX_NAME_CHARS`]), marked as such so a reader can tell a vendor fact from our guess.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
    /// Kriptomat White Label API (`rampkit-kriptomat`), KYC imported from SumSub.
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

    /// The provider's name as in its crate name (`cryptopocket`, `crossmint`, …).
    pub const fn as_str(self) -> &'static str {
        match self {
            Provider::CryptoPocket => "cryptopocket",
            Provider::Crossmint => "crossmint",
            Provider::Kriptomat => "kriptomat",
            Provider::Leap => "leap",
        }
    }

    /// This provider's row of [`PROVIDER_LIMITS`].
    pub fn limits(self) -> &'static ProviderLimits {
        PROVIDER_LIMITS
            .iter()
            .find(|row| row.provider == self)
            .expect("PROVIDER_LIMITS has a row for every provider (checked by a test)")
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Largest decoded image (bytes) accepted for a provider that documents no limit: 10 MiB.
///
/// None of the four vendors publishes a per-image limit for the endpoints rampkit calls
/// (see `shared/providers/*.md`). 10 MiB is a common cap of identity-document upload APIs and keeps one
/// CryptoPocket delegated-KYC body (four images, base64 adds a third) under about 55 MB.
pub const DEFAULT_MAX_IMAGE_BYTES: u64 = 10 * 1024 * 1024;

/// Longest name (each part of a person's legal name, a company's legal name), in characters (Unicode
/// scalar values), for a provider that documents no limit: 256.
///
/// None of the four vendors publishes a length for the name fields rampkit sends (see
/// `shared/providers/*.md`; the specs carry no `maxLength` there). 256 is far above any real legal name
/// and keeps a hostile megabyte-long "name" from reaching a vendor.
pub const DEFAULT_MAX_NAME_CHARS: usize = 256;

/// Where a limit comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitSource {
    /// Stated by the vendor on this page.
    Vendor {
        /// The vendor page that states the limit.
        url: &'static str,
    },
    /// The vendor documents no limit; rampkit applies its default ([`DEFAULT_MAX_IMAGE_BYTES`],
    /// [`DEFAULT_MAX_NAME_CHARS`]).
    RampkitDefault {
        /// Why the default applies (what the vendor docs say, or do not).
        note: &'static str,
    },
    /// The provider is sent no images by rampkit, so no image limit applies.
    NoImagesSent {
        /// Why no image reaches this provider.
        note: &'static str,
    },
}

/// What one provider accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProviderLimits {
    /// The provider.
    pub provider: Provider,
    /// Largest decoded image, in bytes; `None` when the provider is sent no images.
    pub max_image_bytes: Option<u64>,
    /// Where `max_image_bytes` comes from.
    pub source: LimitSource,
    /// Longest name part, in characters.
    pub max_name_chars: usize,
    /// Where `max_name_chars` comes from.
    pub name_source: LimitSource,
}

/// The name-length note of every provider: none documents one.
const NO_DOCUMENTED_NAME_LIMIT: LimitSource = LimitSource::RampkitDefault {
    note: "the vendor's API reference gives no maximum length for its name fields",
};

/// One row per provider (a test checks that every [`Provider`] has exactly one).
pub const PROVIDER_LIMITS: &[ProviderLimits] = &[
    ProviderLimits {
        provider: Provider::CryptoPocket,
        max_image_bytes: Some(DEFAULT_MAX_IMAGE_BYTES),
        source: LimitSource::RampkitDefault {
            note: "delegated KYC (front, back, face, liveness as data URIs) and document upload publish \
                   no size limit; upload answers HTTP 422 invalid_file for a bad file \
                   (https://api-doc.cryptopocket.io/upload-customer-document-4398183e0)",
        },
        max_name_chars: DEFAULT_MAX_NAME_CHARS,
        name_source: NO_DOCUMENTED_NAME_LIMIT,
    },
    ProviderLimits {
        provider: Provider::Crossmint,
        max_image_bytes: Some(DEFAULT_MAX_IMAGE_BYTES),
        source: LimitSource::RampkitDefault {
            note: "the user-document upload documents `data` as base64 with minLength 1 and no maximum \
                   (Crossmint API reference, POST /2025-06-09/documents)",
        },
        max_name_chars: DEFAULT_MAX_NAME_CHARS,
        name_source: NO_DOCUMENTED_NAME_LIMIT,
    },
    ProviderLimits {
        provider: Provider::Kriptomat,
        max_image_bytes: None,
        source: LimitSource::NoImagesSent {
            note: "the KYC is imported from SumSub with a share token; the images stay with SumSub",
        },
        max_name_chars: DEFAULT_MAX_NAME_CHARS,
        name_source: NO_DOCUMENTED_NAME_LIMIT,
    },
    ProviderLimits {
        provider: Provider::Leap,
        max_image_bytes: None,
        source: LimitSource::NoImagesSent {
            note: "register-user v2 takes personal data only, no images",
        },
        max_name_chars: DEFAULT_MAX_NAME_CHARS,
        name_source: NO_DOCUMENTED_NAME_LIMIT,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_provider_has_exactly_one_row() {
        for provider in Provider::ALL {
            let rows = PROVIDER_LIMITS
                .iter()
                .filter(|row| row.provider == provider)
                .count();
            assert_eq!(rows, 1, "{provider}");
            assert_eq!(provider.limits().provider, provider);
        }
        assert_eq!(PROVIDER_LIMITS.len(), Provider::ALL.len());
    }

    #[test]
    fn a_limit_and_its_source_agree() {
        for row in PROVIDER_LIMITS {
            match row.source {
                LimitSource::NoImagesSent { .. } => assert_eq!(row.max_image_bytes, None),
                LimitSource::RampkitDefault { .. } => {
                    assert_eq!(row.max_image_bytes, Some(DEFAULT_MAX_IMAGE_BYTES))
                }
                LimitSource::Vendor { url } => {
                    assert!(row.max_image_bytes.is_some());
                    assert!(url.starts_with("https://"));
                }
            }
            match row.name_source {
                LimitSource::RampkitDefault { .. } => {
                    assert_eq!(row.max_name_chars, DEFAULT_MAX_NAME_CHARS)
                }
                LimitSource::Vendor { url } => assert!(url.starts_with("https://")),
                LimitSource::NoImagesSent { .. } => {
                    panic!("{}: names are always sent", row.provider)
                }
            }
        }
    }
}
