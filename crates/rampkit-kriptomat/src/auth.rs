//! Kriptomat credentials: the partner login with a TOTP code, the bearer token it returns, and the
//! `X-Requested-With` header every Kriptomat call carries.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rampkit_runtime::auth::{
    login_request, token_in, unix_seconds, AuthError, Authenticator, TokenCache, TokenLease,
};
use rampkit_runtime::meta::OperationMeta;
use rampkit_runtime::{Error, ErrorKind};
use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Request;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{json, Value};

/// Kriptomat's partner login: e-mail, password, OAuth client id and secret, and the TOTP secret of
/// the partner account's authenticator (base32, as shown when the authenticator was set up).
#[derive(Clone)]
pub struct KriptomatCredentials {
    /// The API account's e-mail.
    pub email: SecretString,
    /// The API account's password.
    pub password: SecretString,
    /// The OAuth `client_id` shown on the account page (an integer).
    pub client_id: i64,
    /// The OAuth `client_secret` shown on the account page.
    pub client_secret: SecretString,
    /// The TOTP secret of the account's authenticator, base32 (the code sent as `security_code` is
    /// computed from it at each login).
    pub totp_secret_base32: SecretString,
}

impl fmt::Debug for KriptomatCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KriptomatCredentials")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// Kriptomat: `Authorization: Bearer <token>` from the partner login, plus the
/// `X-Requested-With: XMLHttpRequest` header every Kriptomat call carries.
///
/// Built [`with_credentials`](Self::with_credentials), the client logs in (computing the 6-digit code
/// from the TOTP secret) on first use and renews the token a minute before it expires (tokens last
/// about an hour; `expires_in` from the login answer is used when given; a token that lives less than
/// five minutes is renewed after four fifths of its life). When a call is refused with HTTP 401 (a
/// revoked token), the client logs in again once and repeats the call once.
#[derive(Clone, Default)]
pub struct KriptomatAuth {
    bearer: TokenCache,
    credentials: Option<Arc<KriptomatCredentials>>,
    clock: Option<fn() -> u64>,
}

/// Renew this long before the token expires (at most a fifth of the token's lifetime).
const RENEWAL_MARGIN: Duration = Duration::from_secs(60);
/// Kriptomat tokens last about an hour when the login answer does not say.
const DEFAULT_TOKEN_LIFETIME: Duration = Duration::from_secs(3600);

impl KriptomatAuth {
    /// No token and no credentials: only the partner login can be called.
    pub fn new() -> Self {
        Self::default()
    }

    /// Logs in (and renews) with the partner credentials.
    pub fn with_credentials(credentials: KriptomatCredentials) -> Self {
        Self {
            credentials: Some(Arc::new(credentials)),
            ..Self::default()
        }
    }

    /// Replaces the backoff between failed logins (default 0.5 s, doubling up to 30 s).
    pub fn with_login_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.bearer.set_backoff(initial, max);
        self
    }

    /// A fixed bearer token (no login, no renewal).
    pub fn with_bearer(token: impl Into<SecretString>) -> Self {
        let auth = Self::default();
        auth.set_bearer(token);
        auth
    }

    /// Replaces the clock (Unix seconds) used for the TOTP code; for tests.
    pub fn with_clock(mut self, clock: fn() -> u64) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Stores a bearer token for every clone of the client.
    pub fn set_bearer(&self, token: impl Into<SecretString>) {
        self.bearer.set(token.into(), None);
    }

    /// Forgets the bearer token.
    pub fn clear_bearer(&self) {
        self.bearer.clear();
    }

    /// Whether a bearer token is held.
    pub fn has_bearer(&self) -> bool {
        self.bearer.is_set()
    }

    /// The 6-digit authenticator code for `unix_seconds` (RFC 6238, SHA-1, 30-second steps).
    pub fn totp_code(totp_secret_base32: &SecretString, unix_seconds: u64) -> Option<String> {
        let secret = totp_rs::Secret::Encoded(totp_secret_base32.expose_secret().to_owned())
            .to_bytes()
            .ok()?;
        Some(
            totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, secret)
                .generate(unix_seconds),
        )
    }
}

impl fmt::Debug for KriptomatAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KriptomatAuth")
            .field("has_bearer", &self.has_bearer())
            .field("has_credentials", &self.credentials.is_some())
            .finish()
    }
}

impl Authenticator for KriptomatAuth {
    const PROVIDER: &'static str = "kriptomat";
    const CREDENTIAL_HEADERS: &'static [&'static str] = &["authorization"];

    fn authenticate(
        &self,
        request: &mut Request,
        operation: &OperationMeta,
        token: Option<&TokenLease>,
    ) -> Result<(), AuthError> {
        let headers = request.headers_mut();
        headers.insert(
            HeaderName::from_static("x-requested-with"),
            HeaderValue::from_static("XMLHttpRequest"),
        );
        if operation.authenticated {
            let lease =
                token
                    .cloned()
                    .or_else(|| self.bearer.lease())
                    .ok_or(AuthError::MissingToken {
                        provider: Self::PROVIDER,
                    })?;
            headers.insert(
                reqwest::header::AUTHORIZATION,
                lease.header(Self::PROVIDER, "Bearer ")?,
            );
        }
        Ok(())
    }

    async fn ensure(
        &self,
        http: &reqwest::Client,
        base_url: &str,
    ) -> Result<Option<TokenLease>, Error> {
        let Some(c) = &self.credentials else {
            return Ok(self.bearer.lease());
        };
        let login = || async {
            let now = self.clock.map_or_else(unix_seconds, |clock| clock());
            let code = Self::totp_code(&c.totp_secret_base32, now).ok_or_else(|| {
                Error::new(Self::PROVIDER, "login", ErrorKind::Configuration)
                    .with_detail("the TOTP secret is not valid base32")
            })?;
            let body = json!({
                "email": c.email.expose_secret(),
                "password": c.password.expose_secret(),
                "client_id": c.client_id,
                "client_secret": c.client_secret.expose_secret(),
                "security_code": code,
            });
            let url = format!("{base_url}/api/v1/partners/auth/login");
            let answer = login_request(
                Self::PROVIDER,
                "login",
                http,
                url,
                body,
                &[("x-requested-with", "XMLHttpRequest")],
            )
            .await?;
            let token =
                token_in(&answer, &["/access_token", "/data/access_token"]).ok_or_else(|| {
                    Error::new(Self::PROVIDER, "login", ErrorKind::Undecodable)
                        .with_detail("no access_token in the login answer")
                })?;
            Ok((
                SecretString::from(token),
                Some(Instant::now() + renew_after(token_lifetime(&answer))),
            ))
        };
        self.bearer.obtain(login).await.map(Some)
    }

    fn invalidate(&self, token: Option<&TokenLease>) -> bool {
        if self.credentials.is_none() {
            return false;
        }
        self.bearer.reject(token);
        true
    }
}

/// When to renew a token that lasts `lifetime`: a minute before it expires, or — for tokens that last
/// less than five minutes — after four fifths of its life, so that a short-lived token still serves
/// several calls instead of one login per call.
/// The longest token lifetime believed: a vendor-supplied `expires_in` beyond a day is taken as a day
/// (the token is renewed sooner than needed, and `Instant + lifetime` cannot overflow).
const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// The token lifetime a login answer states (`expires_in`, in seconds), capped at
/// [`MAX_TOKEN_LIFETIME`]; [`DEFAULT_TOKEN_LIFETIME`] when it states none.
fn token_lifetime(answer: &Value) -> Duration {
    ["/expires_in", "/data/expires_in"]
        .iter()
        .find_map(|p| answer.pointer(p).and_then(Value::as_u64))
        .map_or(DEFAULT_TOKEN_LIFETIME, |secs| {
            Duration::from_secs(secs).min(MAX_TOKEN_LIFETIME)
        })
}

fn renew_after(lifetime: Duration) -> Duration {
    lifetime.saturating_sub(RENEWAL_MARGIN.min(lifetime / 5))
}

#[cfg(test)]
mod tests {
    use rampkit_runtime::test_util::{
        assert_debug_hides, assert_secret_header, authenticated, LOGIN, OPERATION,
    };
    use reqwest::Method;

    use super::*;

    #[test]
    fn the_bearer_and_the_ajax_header_land_in_their_headers() {
        let k = KriptomatAuth::with_bearer("eyJ0".to_owned());
        let r = authenticated(&k, &OPERATION, Method::GET, "https://x.test/u").unwrap();
        assert_secret_header(&r, "authorization", "Bearer eyJ0");
        assert_eq!(r.headers()["x-requested-with"], "XMLHttpRequest");
        let r = authenticated(&k, &LOGIN, Method::POST, "https://x.test/login").unwrap();
        assert!(r.headers().get("authorization").is_none());
        assert_eq!(r.headers()["x-requested-with"], "XMLHttpRequest");
        assert!(
            authenticated(
                &KriptomatAuth::new(),
                &OPERATION,
                Method::GET,
                "https://x.test/u"
            )
            .is_err(),
            "no bearer: not sent"
        );
    }

    #[test]
    fn short_tokens_are_renewed_at_a_fraction_of_their_life() {
        assert_eq!(
            renew_after(Duration::from_secs(3600)),
            Duration::from_secs(3540)
        );
        assert_eq!(
            renew_after(Duration::from_secs(30)),
            Duration::from_secs(24)
        );
        assert_eq!(
            renew_after(Duration::from_secs(60)),
            Duration::from_secs(48)
        );
        assert_eq!(renew_after(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn totp_matches_the_rfc_6238_vector() {
        // RFC 6238 appendix B, SHA-1 secret "12345678901234567890" (base32 below), T = 59 s → 94287082
        // with 8 digits; the 6-digit code is its last six digits.
        let secret = SecretString::from("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".to_owned());
        assert_eq!(
            KriptomatAuth::totp_code(&secret, 59).as_deref(),
            Some("287082")
        );
        assert_eq!(
            KriptomatAuth::totp_code(&secret, 1_111_111_109).as_deref(),
            Some("081804")
        );
        assert!(
            KriptomatAuth::totp_code(&SecretString::from("not base32 !".to_owned()), 59).is_none()
        );
    }

    #[test]
    fn debug_never_prints_secrets() {
        assert_debug_hides(
            &KriptomatAuth::with_bearer("SECRETBEARER".to_owned()),
            &["SECRET"],
        );
    }

    #[test]
    fn a_vendor_lifetime_is_bounded() {
        let huge = serde_json::json!({"expires_in": u64::MAX});
        assert_eq!(token_lifetime(&huge), MAX_TOKEN_LIFETIME);
        // Adding it to now cannot overflow (it panicked with the unbounded value).
        let _ = Instant::now() + renew_after(token_lifetime(&huge));
        let nested = serde_json::json!({"data": {"expires_in": 600}});
        assert_eq!(token_lifetime(&nested), Duration::from_secs(600));
        assert_eq!(
            token_lifetime(&serde_json::json!({})),
            DEFAULT_TOKEN_LIFETIME
        );
    }
}
