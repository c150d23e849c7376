//! Credentials as header values: marked sensitive (never printed by `reqwest`/`http` `Debug`), a fixed
//! key shared by every request, and why a credential could not be attached.

use std::fmt;

use reqwest::header::HeaderValue;
use secrecy::{ExposeSecret, SecretString};

use crate::pii::REDACTED;

/// Why credentials could not be attached. Never carries a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    /// A credential holds bytes that cannot be sent in an HTTP header.
    #[error("{provider}: the {credential} cannot be sent as an HTTP header value")]
    InvalidHeaderValue {
        /// Provider name.
        provider: &'static str,
        /// Which credential (`API key`, `token`, …).
        credential: &'static str,
    },
    /// An authenticated operation with no token to send (no credentials to log in with, or no token
    /// set): the request is not sent.
    #[error("{provider}: no token for an authenticated call; it was not sent")]
    MissingToken {
        /// Provider name.
        provider: &'static str,
    },
}

/// A header value marked sensitive (never printed by `reqwest`/`http` `Debug`), for a credential.
pub fn sensitive_header(
    provider: &'static str,
    credential: &'static str,
    value: &str,
) -> Result<HeaderValue, AuthError> {
    sensitive(HeaderValue::from_str(value), provider, credential)
}

fn sensitive(
    value: Result<HeaderValue, reqwest::header::InvalidHeaderValue>,
    provider: &'static str,
    credential: &'static str,
) -> Result<HeaderValue, AuthError> {
    let mut value = value.map_err(|_| AuthError::InvalidHeaderValue {
        provider,
        credential,
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// A credential that never changes (an API key) as a sensitive header value, built once for every request
/// to share: a clone shares the one buffer instead of copying the key into each request, and that buffer
/// is zeroized when the last request or client holding it is dropped. A key a header cannot carry is kept
/// as the error every call reports, before anything is sent.
#[derive(Clone)]
pub struct SharedHeader(Result<HeaderValue, AuthError>);

impl SharedHeader {
    /// The header value of `secret`, for `provider`'s `credential` (named in the error, never the value).
    pub fn new(provider: &'static str, credential: &'static str, secret: &SecretString) -> Self {
        /// The key's bytes, zeroized on drop.
        struct Owned(secrecy::SecretSlice<u8>);
        impl AsRef<[u8]> for Owned {
            fn as_ref(&self) -> &[u8] {
                self.0.expose_secret()
            }
        }
        let owned = Owned(secret.expose_secret().as_bytes().to_vec().into());
        let bytes = bytes::Bytes::from_owner(owned);
        Self(sensitive(
            HeaderValue::from_maybe_shared(bytes),
            provider,
            credential,
        ))
    }

    /// The value to put in a request (a clone sharing the one buffer), or why it cannot be sent.
    pub fn value(&self) -> Result<HeaderValue, AuthError> {
        self.0.clone()
    }
}

impl fmt::Debug for SharedHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}
