#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod headers;
mod payload;
mod signature;

pub mod crossmint;
pub mod cryptopocket;
pub mod kriptomat;
pub mod leap;

pub use crossmint::{CrossmintEvent, SvixSecret};
pub use cryptopocket::CryptoPocketEvent;
pub use error::{UndecodablePayload, WebhookError};
pub use headers::HeaderLookup;
pub use kriptomat::KriptomatEvent;
pub use leap::LeapEvent;
pub use signature::TIMESTAMP_TOLERANCE;

/// The `http` crate this one implements [`HeaderLookup`] for, so that callers name the same `HeaderMap`.
pub use http;
/// The secret type the `verify` functions take (the one `rampkit-runtime` holds credentials in).
pub use secrecy::SecretString;

/// What [`check`] found for a delivery of a provider named at run time (a command line, a config file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    /// Whether a signature was verified: `false` for a provider that signs nothing (Kriptomat), whose
    /// body is only decoded.
    pub signed: bool,
    /// The signature, where there is one: `Ok` when it verified.
    pub signature: Result<(), WebhookError>,
    /// The decoded event's type, or why the body does not decode (a correctly signed body can still be
    /// undecodable).
    pub event_type: Result<String, WebhookError>,
}

/// The providers whose webhooks this crate knows, by name.
pub const PROVIDERS: [&str; 4] = ["crossmint", "cryptopocket", "kriptomat", "leap"];

/// Whether `provider`'s webhooks are signed (a secret is needed), or `None` for an unknown provider.
pub fn is_signed(provider: &str) -> Option<bool> {
    match provider {
        "crossmint" | "cryptopocket" | "leap" => Some(true),
        "kriptomat" => Some(false),
        _ => None,
    }
}

/// Checks a delivery of `provider` (one of [`PROVIDERS`]): the signature with `secret` (ignored for a
/// provider that signs nothing), then, separately, whether the body decodes. `None` for an unknown
/// provider. The typed `verify` functions of each provider's module are what a handler calls; this one
/// serves tools that take the provider as text.
pub fn check<H: HeaderLookup + ?Sized>(
    provider: &str,
    body: &[u8],
    headers: &H,
    secret: &SecretString,
    now: std::time::SystemTime,
) -> Option<Checked> {
    use secrecy::ExposeSecret;
    Some(match provider {
        "crossmint" => Checked {
            signed: true,
            signature: SvixSecret::new(secret.expose_secret())
                .and_then(|secret| crossmint::verify_signature(body, headers, &secret, now)),
            event_type: crossmint::decode(body).map(|e| e.event_type().to_owned()),
        },
        "cryptopocket" => Checked {
            signed: true,
            signature: cryptopocket::verify_signature(body, headers, secret, now),
            event_type: cryptopocket::decode(body).map(|e| e.event_type().to_owned()),
        },
        "leap" => Checked {
            signed: true,
            signature: leap::verify_signature(body, headers, secret),
            event_type: leap::decode(body).map(|e| e.event_type().to_owned()),
        },
        "kriptomat" => Checked {
            signed: false,
            signature: Ok(()),
            event_type: kriptomat::decode(body).map(|e| e.event_type().to_owned()),
        },
        _ => return None,
    })
}
