//! Leap Financial credentials: a partner API key in the `api_key` header.

use std::fmt;

use rampkit_runtime::auth::{AuthError, Authenticator, SharedHeader, TokenLease};
use rampkit_runtime::meta::OperationMeta;
use reqwest::header::HeaderName;
use reqwest::Request;
use secrecy::SecretString;

const API_KEY: HeaderName = HeaderName::from_static("api_key");

/// Leap Financial: a partner API key in the `api_key` header.
#[derive(Clone)]
pub struct LeapAuth {
    api_key: SharedHeader,
}

impl LeapAuth {
    /// A client authenticated with a Leap partner API key.
    pub fn new(api_key: impl Into<SecretString>) -> Self {
        Self {
            api_key: SharedHeader::new(Self::PROVIDER, "API key", &api_key.into()),
        }
    }
}

impl fmt::Debug for LeapAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LeapAuth")
            .field("api_key", &rampkit_runtime::REDACTED)
            .finish()
    }
}

impl Authenticator for LeapAuth {
    const PROVIDER: &'static str = "leap";
    const CREDENTIAL_HEADERS: &'static [&'static str] = &["api_key"];
    /// Register user v2 answers a phone or e-mail already enrolled with HTTP 400
    /// `ERROR_USER_ALREADY_ENROLLED` (<https://docs.leapfinancial.com/partner/users/register-user>).
    const CONFLICT_CODES: &'static [&'static str] = &["ERROR_USER_ALREADY_ENROLLED"];

    fn authenticate(
        &self,
        request: &mut Request,
        _: &OperationMeta,
        _: Option<&TokenLease>,
    ) -> Result<(), AuthError> {
        request.headers_mut().insert(API_KEY, self.api_key.value()?);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use rampkit_runtime::test_util::{
        assert_debug_hides, assert_secret_header, authenticated, OPERATION,
    };
    use reqwest::Method;

    use super::*;

    #[test]
    fn the_key_lands_in_its_header_and_never_in_debug() {
        let auth = LeapAuth::new("leap-key".to_owned());
        let request = authenticated(&auth, &OPERATION, Method::GET, "https://x.test/a").unwrap();
        assert_secret_header(&request, "api_key", "leap-key");
        assert_debug_hides(&LeapAuth::new("SECRETLEAP".to_owned()), &["SECRET"]);
    }
}
