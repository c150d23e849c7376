//! Kriptomat (`/kriptomat`): partner login, show user, KYC import keep state; the other operations of
//! the spec (KYC request, widget) are answered from its examples.
//!
//! - Login: e-mail, password, client id and secret must be the configured ones and `security_code` the
//!   current TOTP code of the configured secret (RFC 6238, SHA-1, 30 s, one step of skew); the bearer
//!   token lasts `token_ttl_secs` (or the `expires_in` asked for, if shorter). Wrong credentials →
//!   HTTP 401 `{"message"}`; a body that breaks the schema → HTTP 422 Laravel-style
//!   `{"message", "errors": {field: […]}}`. Other calls without a valid bearer → 401
//!   `{"message": "Unauthenticated."}`.
//! - Users: Kriptomat documents no user creation for partners, so every user id exists on first use
//!   with `kyc_status` `not_started`.
//! - KYC import: the token must be a live SumSub share token from this simulator, addressed to the
//!   configured Kriptomat SumSub client id (single-use), else 422. The outcome comes from the SumSub
//!   applicant id (a script for it, or its `+reject` / `+requires-data` / `+pending` suffix) or a
//!   script for the Kriptomat user id. Statuses: pending `pending`; verified `passed` with
//!   `edd_status` `not_required`; rejected `declined`; requires data `passed` with `edd_status`
//!   `required`.
//! - Webhooks: Kriptomat's "Kyc Statuses" payload, unsigned (Kriptomat documents no signature).

use std::any::Any;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::{Arc, OnceLock};

use axum::http::StatusCode;
use axum::response::Response;
use rampkit_kriptomat::operations as ops;
use rampkit_kriptomat::types;
use rampkit_runtime::meta::OperationMeta;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::sumsub::{ShareTokens, TokenProblem};
use crate::faults::FaultConfig;
use crate::limits::RateLimit;
use crate::progress::{Change, Outcome, Progress, SimStatus, now_ms};
use crate::room::{Call, ClientOptions, Env, Records, Room, SimClient, StatusError, section_as};
use crate::spec::{Spec, cached};
use crate::wire::answer;

static SPEC: OnceLock<Result<Spec, String>> = OnceLock::new();

/// `[kriptomat]` in a config file. `Debug` prints no secret.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Partner e-mail.
    pub email: String,
    /// Partner password.
    pub password: String,
    /// OAuth client id.
    pub client_id: i64,
    /// OAuth client secret.
    pub client_secret: String,
    /// Base32 TOTP secret the login's `security_code` is checked against.
    pub totp_secret: String,
    /// Lifetime of a bearer token, in seconds (the login answers it as `expires_in`).
    pub token_ttl_secs: u64,
    /// The SumSub client id share tokens must be addressed to for the KYC import to accept them.
    pub sumsub_client_id: String,
    /// Random faults and latency.
    pub faults: FaultConfig,
    /// Kriptomat documents no rate limit: none by default.
    pub rate_limit: RateLimit,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            email: "partner@rampkit-sim.test".to_owned(),
            password: "rampkit-sim-password".to_owned(),
            client_id: 5,
            client_secret: "rampkit-sim-client-secret".to_owned(),
            // RFC 6238's test secret ("12345678901234567890").
            totp_secret: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".to_owned(),
            token_ttl_secs: 3600,
            sumsub_client_id: "KriptomatSumsub".to_owned(),
            faults: FaultConfig::default(),
            rate_limit: RateLimit::none(),
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("kriptomat::Config")
            .field("client_id", &self.client_id)
            .field("sumsub_client_id", &self.sumsub_client_id)
            .field("faults", &self.faults)
            .field("rate_limit", &self.rate_limit)
            .finish_non_exhaustive()
    }
}

crate::room::section!(Config, |c| vec![
    ("email", c.email.clone()),
    ("password", c.password.clone()),
    ("client_id", c.client_id.to_string()),
    ("client_secret", c.client_secret.clone()),
    ("totp_secret", c.totp_secret.clone()),
]);

#[derive(Clone, Debug, Serialize, Deserialize)]
struct User {
    applicant_id: Option<String>,
    progress: Progress,
}

impl User {
    fn new() -> Self {
        Self {
            applicant_id: None,
            progress: Progress::new(Outcome::Verified),
        }
    }
}

/// Kriptomat's bearers (forgotten on restart: the client logs in again) and users.
#[derive(Default, Serialize, Deserialize)]
struct State {
    #[serde(skip)]
    tokens: HashMap<String, u64>,
    users: BTreeMap<i64, User>,
}

struct Kriptomat {
    env: Env,
    config: Config,
    state: Records<State>,
    share_tokens: Arc<ShareTokens>,
}

/// Kriptomat's room; it redeems SumSub's `share_tokens`.
pub(crate) fn room(config: &Config, env: Env, share_tokens: Arc<ShareTokens>) -> Arc<dyn Room> {
    Arc::new(Kriptomat {
        env,
        config: config.clone(),
        state: Records::default(),
        share_tokens,
    })
}

/// A Kriptomat (Laravel-style) error body.
fn error(status: StatusCode, message: &str) -> Response {
    answer::<types::ErrorResponse>(status, json!({ "message": message, "status": false }))
}

/// HTTP 422 with the field's problem, as Laravel validation answers.
fn invalid(problem: &str, field: &str) -> Response {
    answer::<types::ErrorResponse>(
        StatusCode::UNPROCESSABLE_ENTITY,
        json!({
            "message": "The given data was invalid.",
            "errors": { field: [problem] },
            "status": false,
        }),
    )
}

fn totp_matches(secret_base32: &str, code: &str) -> bool {
    let Ok(secret) = totp_rs::Secret::Encoded(secret_base32.to_owned()).to_bytes() else {
        return false;
    };
    totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, secret)
        .check(code, now_ms() / 1000)
}

fn statuses(status: SimStatus) -> (types::KycStatus, types::EddStatus) {
    match status {
        SimStatus::NotStarted => (types::KycStatus::NotStarted, types::EddStatus::Empty),
        SimStatus::Pending => (types::KycStatus::Pending, types::EddStatus::Empty),
        SimStatus::Verified => (types::KycStatus::Passed, types::EddStatus::NotRequired),
        SimStatus::Rejected => (types::KycStatus::Declined, types::EddStatus::Empty),
        SimStatus::RequiresData => (types::KycStatus::Passed, types::EddStatus::Required),
    }
}

impl Kriptomat {
    /// Kriptomat's "Kyc Statuses" webhook.
    fn notify(&self, user_id: i64, user: &User) {
        let answer = match user.progress.status {
            SimStatus::Verified | SimStatus::RequiresData => {
                Some(types::KycReviewAnswer::Green.as_str())
            }
            SimStatus::Rejected => Some(types::KycReviewAnswer::Red.as_str()),
            SimStatus::NotStarted | SimStatus::Pending => None,
        };
        let review_status = if answer.is_some() {
            "completed"
        } else {
            "pending"
        };
        let payload = json!({
            "user_id": user_id,
            "status": {
                "applicantId": user.applicant_id,
                "reviewStatus": review_status,
                "reviewResult": answer.map(|a| json!({ "reviewAnswer": a })),
            },
            "document_status": [],
        });
        self.env.emit(&payload, |_| Vec::new());
    }

    fn changed(&self, user_id: i64, user: &User, change: Option<Change>) {
        if change.is_some() {
            self.notify(user_id, user);
        }
    }

    fn login(&self, call: &Call<'_>) -> Response {
        let request: types::LoginRequest = match call.decode() {
            Ok(r) => r,
            Err(problem) => return invalid(&problem, "body"),
        };
        let c = &self.config;
        let credentials_match = request.email.expose_str() == c.email
            && request.password.expose_str() == c.password
            && request.client_id == c.client_id
            && request.client_secret.expose_str() == c.client_secret;
        if !credentials_match {
            return error(StatusCode::UNAUTHORIZED, "Invalid credentials.");
        }
        if !totp_matches(&c.totp_secret, request.security_code.expose_str()) {
            return error(StatusCode::UNAUTHORIZED, "Invalid security code.");
        }
        let mut ttl = c.token_ttl_secs;
        if let Some(asked) = request.expires_in.and_then(|s| u64::try_from(s).ok()) {
            ttl = ttl.min(asked);
        }
        let token = format!(
            "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.{}",
            self.env.ids.random(40)
        );
        let now = now_ms();
        let mut state = self.state.lock();
        state.tokens.retain(|_, expires| *expires > now);
        state
            .tokens
            .insert(token.clone(), now.saturating_add(ttl.saturating_mul(1000)));
        answer::<types::LoginResponse>(
            StatusCode::OK,
            json!({ "access_token": token, "expires_in": ttl }),
        )
    }

    fn user_id(call: &Call<'_>) -> Result<i64, Response> {
        call.param("user_id")
            .parse::<i64>()
            .map_err(|_| error(StatusCode::NOT_FOUND, "User not found."))
    }

    fn show_user(&self, call: &Call<'_>) -> Response {
        let user_id = match Self::user_id(call) {
            Ok(id) => id,
            Err(r) => return r,
        };
        let mut state = self.state.lock();
        let user = state.users.entry(user_id).or_insert_with(User::new);
        let change = user.progress.read(&self.env.timing);
        self.changed(user_id, user, change);
        let (kyc, edd) = statuses(user.progress.status);
        answer::<types::ShowUserResponse>(
            StatusCode::OK,
            json!({
                "status": true,
                "data": {
                    "kyc_status": kyc.as_str(),
                    "edd_status": edd.as_str(),
                    "status": types::UserStatus::Active.as_str(),
                },
            }),
        )
    }

    fn import_kyc(&self, call: &Call<'_>) -> Response {
        let user_id = match Self::user_id(call) {
            Ok(id) => id,
            Err(r) => return r,
        };
        let request: types::ImportKycRequest = match call.decode() {
            Ok(r) => r,
            Err(problem) => return invalid(&problem, "token"),
        };
        let already = self
            .state
            .lock()
            .users
            .get(&user_id)
            .is_some_and(|u| u.applicant_id.is_some());
        self.env.registration(already);
        let applicant = match self
            .share_tokens
            .redeem(request.token.expose_str(), &self.config.sumsub_client_id)
        {
            Ok(applicant) => applicant,
            Err(TokenProblem::Invalid) => {
                return invalid("The share token is invalid, used or expired.", "token");
            }
            Err(TokenProblem::OtherClient) => {
                return invalid(
                    "The share token is addressed to another SumSub client.",
                    "token",
                );
            }
        };
        let mut state = self.state.lock();
        let user = state.users.entry(user_id).or_insert_with(User::new);
        if user.progress.status == SimStatus::NotStarted {
            let id = user_id.to_string();
            user.progress.outcome = self.env.outcome([applicant.as_str(), id.as_str()]);
        }
        user.applicant_id = Some(applicant);
        let change = user.progress.start(&self.env.timing);
        self.changed(user_id, user, change);
        answer::<types::ImportKycResponse>(StatusCode::OK, json!({ "status": true }))
    }

    fn find(state: &State, customer: &str) -> Option<i64> {
        customer.parse::<i64>().ok().or_else(|| {
            state
                .users
                .iter()
                .find(|(_, u)| u.applicant_id.as_deref() == Some(customer))
                .map(|(id, _)| *id)
        })
    }
}

impl Room for Kriptomat {
    fn operations(&self) -> &'static [OperationMeta] {
        ops::ALL
    }

    fn spec(&self) -> Result<&'static Spec, String> {
        cached(&SPEC, include_str!("../../spec/kriptomat.yaml"))
    }

    fn masked_headers(&self) -> &'static [&'static str] {
        &["authorization"]
    }

    fn masked_fields(&self) -> &'static [&'static str] {
        &["email", "password", "client_secret", "security_code"]
    }

    fn registrations(&self) -> &'static [&'static str] {
        &[ops::IMPORT_KYC.id]
    }

    fn authorize(&self, call: &Call<'_>) -> Result<(), Response> {
        let bearer = call
            .header("authorization")
            .and_then(|v| v.strip_prefix("Bearer "));
        let state = self.state.lock();
        match bearer.and_then(|t| state.tokens.get(t)) {
            Some(expires) if now_ms() < *expires => Ok(()),
            _ => Err(error(StatusCode::UNAUTHORIZED, "Unauthenticated.")),
        }
    }

    fn handle(&self, call: &Call<'_>) -> Option<Response> {
        let id = call.op.id;
        Some(match id {
            _ if id == ops::LOGIN.id => self.login(call),
            _ if id == ops::SHOW_USER.id => self.show_user(call),
            _ if id == ops::IMPORT_KYC.id => self.import_kyc(call),
            _ => return None,
        })
    }

    fn error(&self, status: StatusCode, _code: &str, message: &str) -> Response {
        error(status, message)
    }

    fn refuse(&self, _call: &Call<'_>, problem: &str) -> Response {
        // Laravel keys the problem by its field: the path before the colon, or the missing field.
        let field = problem
            .split('`')
            .nth(1)
            .or_else(|| problem.split(':').next())
            .unwrap_or("body");
        invalid(problem, field)
    }

    fn set_status(
        &self,
        customer: &str,
        product: Option<&str>,
        status: SimStatus,
    ) -> Result<(), StatusError> {
        if product.is_some() {
            return Err(StatusError::UnknownProduct);
        }
        let mut state = self.state.lock();
        let user_id = Self::find(&state, customer).ok_or(StatusError::UnknownCustomer)?;
        let user = state.users.entry(user_id).or_insert_with(User::new);
        let change = user.progress.set(status);
        self.changed(user_id, user, change);
        Ok(())
    }

    fn script(&self, customer: &str, outcome: Outcome) {
        self.env.scripts.set(customer, outcome.clone());
        let mut state = self.state.lock();
        if let Some(user) = Self::find(&state, customer).and_then(|id| state.users.get_mut(&id)) {
            user.progress.rescript(&outcome);
        }
    }

    fn status(&self, customer: &str) -> Option<SimStatus> {
        let state = self.state.lock();
        let id = Self::find(&state, customer)?;
        state.users.get(&id).map(|u| u.progress.status)
    }

    fn send_webhook(&self, customer: &str) -> bool {
        let state = self.state.lock();
        match Self::find(&state, customer).and_then(|id| Some((id, state.users.get(&id)?))) {
            Some((id, user)) => {
                self.notify(id, user);
                true
            }
            None => false,
        }
    }

    fn reset(&self) {
        self.state.clear();
        self.env.scripts.clear();
    }

    fn save(&self) -> Value {
        self.state.save()
    }

    fn load(&self, saved: Value) -> Result<(), String> {
        self.state.load(saved)
    }
}

impl SimClient for rampkit_kriptomat::Client {
    const VENDOR: &'static str = "kriptomat";

    fn connect(base_url: &str, section: &dyn Any, options: &ClientOptions) -> Self {
        let c: Config = section_as(section);
        let credentials = rampkit_kriptomat::KriptomatCredentials {
            email: c.email.into(),
            password: c.password.into(),
            client_id: c.client_id,
            client_secret: c.client_secret.into(),
            totp_secret_base32: c.totp_secret.into(),
        };
        rampkit_kriptomat::Client::new_with_client(
            base_url,
            options.http(),
            options.context(rampkit_kriptomat::KriptomatAuth::with_credentials(
                credentials,
            )),
        )
    }
}
