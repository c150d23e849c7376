//! What a provider accepts, as data: each provider's module holds its row (`providers::<p>::LIMITS`),
//! read by validation through [`Provider::limits`].
//!
//! Image sizes and name lengths live here so far. A vendor limit enters the table with the vendor page
//! that states it; a provider that documents none gets rampkit's default ([`DEFAULT_MAX_IMAGE_BYTES`],
//! [`DEFAULT_MAX_NAME_CHARS`]), marked as such so a reader can tell a vendor fact from our guess.

use super::Provider;

/// Largest decoded image (bytes) accepted for a provider that documents no limit: 10 MiB.
///
/// None of the four vendors publishes a per-image limit for the endpoints rampkit calls
/// (each provider's `LIMITS` cites what its vendor documents). 10 MiB is a common cap of identity-document upload APIs and keeps one
/// CryptoPocket delegated-KYC body (four images, base64 adds a third) under about 55 MB.
pub const DEFAULT_MAX_IMAGE_BYTES: u64 = 10 * 1024 * 1024;

/// Longest name (each part of a person's legal name, a company's legal name), in characters (Unicode
/// scalar values), for a provider that documents no limit: 256.
///
/// None of the four vendors publishes a length for the name fields rampkit sends (the specs carry no
/// `maxLength` there). 256 is far above any real legal name
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

/// The name-length note of a provider that documents none.
pub const NO_DOCUMENTED_NAME_LIMIT: LimitSource = LimitSource::RampkitDefault {
    note: "the vendor's API reference gives no maximum length for its name fields",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_limit_and_its_source_agree() {
        for provider in Provider::ALL {
            let row = provider.limits();
            assert_eq!(row.provider, provider);
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
                    panic!("{provider}: names are always sent")
                }
            }
        }
    }
}
