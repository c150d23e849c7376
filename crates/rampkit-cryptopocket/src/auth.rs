//! CryptoPocket credentials: API key and secret exchanged at `POST /authenticate` for a token sent in
//! the `auth` header, and the vendor's business error codes.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use rampkit_runtime::auth::{
    login_request, token_in, AuthError, Authenticator, TokenCache, TokenLease,
};
use rampkit_runtime::meta::OperationMeta;
use rampkit_runtime::{Error, ErrorKind};
use reqwest::header::HeaderName;
use reqwest::Request;
use secrecy::{ExposeSecret, SecretString};
use serde_json::json;

/// CryptoPocket: API key + secret exchanged at `POST /authenticate` for a token, sent raw in the
/// lower-case `auth` header.
///
/// Built [`with_credentials`](Self::with_credentials), the client logs in on first use (one login shared
/// by concurrent calls) and, when a call comes back with `authorization_incorrect` (HTTP 200 with an
/// error envelope), logs in again once and repeats the call. The token's place in the `/authenticate`
/// answer is not documented; `data.token`, `token`, `data.access_token` and `access_token` are tried
/// (inferred).
#[derive(Clone, Default)]
pub struct CryptoPocketAuth {
    token: TokenCache,
    credentials: Option<Arc<(SecretString, SecretString)>>,
}

impl CryptoPocketAuth {
    /// No token and no credentials: only `/authenticate` can be called.
    pub fn new() -> Self {
        Self::default()
    }

    /// Logs in with the API key and secret when a token is needed.
    pub fn with_credentials(
        api_key: impl Into<SecretString>,
        api_secret: impl Into<SecretString>,
    ) -> Self {
        Self {
            credentials: Some(Arc::new((api_key.into(), api_secret.into()))),
            ..Self::default()
        }
    }

    /// Replaces the backoff between failed logins (default 0.5 s, doubling up to 30 s).
    pub fn with_login_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.token.set_backoff(initial, max);
        self
    }

    /// A fixed token (no login, no renewal).
    pub fn with_token(token: impl Into<SecretString>) -> Self {
        let auth = Self::default();
        auth.set_token(token);
        auth
    }

    /// Stores a token for every clone of the client.
    pub fn set_token(&self, token: impl Into<SecretString>) {
        self.token.set(token.into(), None);
    }

    /// Forgets the token.
    pub fn clear_token(&self) {
        self.token.clear();
    }

    /// Whether a token is held.
    pub fn has_token(&self) -> bool {
        self.token.is_set()
    }
}

impl fmt::Debug for CryptoPocketAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CryptoPocketAuth")
            .field("has_token", &self.has_token())
            .field("has_credentials", &self.credentials.is_some())
            .finish()
    }
}

impl Authenticator for CryptoPocketAuth {
    const PROVIDER: &'static str = "cryptopocket";
    const CREDENTIAL_HEADERS: &'static [&'static str] = &["auth"];

    fn authenticate(
        &self,
        request: &mut Request,
        operation: &OperationMeta,
        token: Option<&TokenLease>,
    ) -> Result<(), AuthError> {
        if !operation.authenticated {
            return Ok(());
        }
        let lease =
            token
                .cloned()
                .or_else(|| self.token.lease())
                .ok_or(AuthError::MissingToken {
                    provider: Self::PROVIDER,
                })?;
        request.headers_mut().insert(
            HeaderName::from_static("auth"),
            lease.header(Self::PROVIDER, "")?,
        );
        Ok(())
    }

    async fn ensure(
        &self,
        http: &reqwest::Client,
        base_url: &str,
    ) -> Result<Option<TokenLease>, Error> {
        let Some(credentials) = &self.credentials else {
            return Ok(self.token.lease()); // a fixed token, or none
        };
        let login = || async {
            let body = json!({
                "api_key": credentials.0.expose_secret(),
                "api_secret": credentials.1.expose_secret(),
            });
            let answer = login_request(
                Self::PROVIDER,
                "authenticate",
                http,
                format!("{base_url}/authenticate"),
                body,
                &[],
            )
            .await?;
            let token = token_in(
                &answer,
                &[
                    "/data/token",
                    "/token",
                    "/data/access_token",
                    "/access_token",
                ],
            )
            .ok_or_else(|| {
                Error::new(Self::PROVIDER, "authenticate", ErrorKind::Undecodable)
                    .with_detail("no token found in the /authenticate answer")
            })?;
            Ok((SecretString::from(token), None))
        };
        self.token.obtain(login).await.map(Some)
    }

    fn invalidate(&self, token: Option<&TokenLease>) -> bool {
        // A fixed token (no credentials) is kept: there is nothing to replace it with.
        if self.credentials.is_none() {
            return false;
        }
        self.token.reject(token);
        true
    }

    /// CryptoPocket business error codes (<https://api-doc.cryptopocket.io/create-payment-intend-4200039e0>).
    fn business_error_kind(&self, code: &str) -> ErrorKind {
        match code {
            "authorization_incorrect" => ErrorKind::Authentication,
            "user_already_exists" => ErrorKind::Conflict,
            "user_not_found" | "payment_not_found" => ErrorKind::NotFound,
            "invalid_params" | "missing_params" | "email_not_allowed" | "invalid_file" => {
                ErrorKind::InvalidInput
            }
            _ => ErrorKind::Business,
        }
    }
}

#[cfg(test)]
mod tests {
    use rampkit_runtime::auth::apply;
    use rampkit_runtime::test_util::{
        assert_debug_hides, authenticated, request, LOGIN, OPERATION,
    };
    use reqwest::Method;

    use super::*;

    #[test]
    fn the_token_lands_in_its_header_and_an_authenticated_call_never_goes_without_one() {
        let cp = CryptoPocketAuth::new();
        let mut r = request(Method::POST, "https://x.test/registerUser");
        assert_eq!(
            apply(&cp, &mut r, &OPERATION),
            Err(AuthError::MissingToken {
                provider: "cryptopocket"
            }),
            "an authenticated call is never sent without a token"
        );
        assert!(r.headers().get("auth").is_none());
        cp.clone().set_token("tok123".to_owned());
        let r =
            authenticated(&cp, &OPERATION, Method::POST, "https://x.test/registerUser").unwrap();
        assert_eq!(r.headers()["auth"], "tok123");
        let r = authenticated(&cp, &LOGIN, Method::POST, "https://x.test/authenticate").unwrap();
        assert!(
            r.headers().get("auth").is_none(),
            "the login call never carries the old token"
        );
        let cp = CryptoPocketAuth::with_credentials("k".to_owned(), "s".to_owned());
        assert!(
            authenticated(&cp, &OPERATION, Method::GET, "https://x.test/kyc/check").is_err(),
            "no login yet: not sent"
        );
    }

    #[test]
    fn debug_never_prints_secrets() {
        assert_debug_hides(
            &CryptoPocketAuth::with_token("SECRETTOKEN".to_owned()),
            &["SECRET"],
        );
        assert_debug_hides(
            &CryptoPocketAuth::with_credentials("SECRETKEY".to_owned(), "SECRETSECRET".to_owned()),
            &["SECRET"],
        );
    }
}
