//! SumSub (`/sumsub`): share tokens (JSON body and query forms) for Kriptomat's KYC import.
//!
//! - Auth: `X-App-Token` must be the configured app token, `X-App-Access-Ts` within one minute of now,
//!   and `X-App-Access-Sig` the hex HMAC-SHA256 (keyed with the secret key) of timestamp + method +
//!   path with query (as the client sent it, `/sumsub` prefix included) + body; else HTTP 401
//!   `{"code": 401, "correlationId", "description"}`
//!   (<https://docs.sumsub.com/reference/authentication>).
//! - A share token is single-use and expires after `ttlInSecs` (1200 by default); Kriptomat's import
//!   accepts it only when addressed to the configured Kriptomat SumSub client id.

use std::any::Any;
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use axum::http::StatusCode;
use axum::response::Response;
use hmac::{Hmac, Mac};
use rampkit_runtime::meta::OperationMeta;
use rampkit_sumsub::operations as ops;
use rampkit_sumsub::types;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::faults::FaultConfig;
use crate::limits::RateLimit;
use crate::progress::{Outcome, SimStatus, lock, now_ms};
use crate::room::{Call, ClientOptions, Env, Room, SimClient, StatusError, section_as};
use crate::spec::{Spec, cached};
use crate::wire::answer;

static SPEC: OnceLock<Result<Spec, String>> = OnceLock::new();

/// `[sumsub]` in a config file. `Debug` prints no secret.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// App token (`X-App-Token`).
    pub app_token: String,
    /// Secret key (HMAC key of `X-App-Access-Sig`).
    pub secret_key: String,
    /// Random faults and latency.
    pub faults: FaultConfig,
    /// No limit is documented for these calls: none by default.
    pub rate_limit: RateLimit,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            app_token: "sbx:rampkit-sim-app-token".to_owned(),
            secret_key: "rampkit-sim-sumsub-secret".to_owned(),
            faults: FaultConfig::default(),
            rate_limit: RateLimit::none(),
        }
    }
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("sumsub::Config")
            .field("faults", &self.faults)
            .field("rate_limit", &self.rate_limit)
            .finish_non_exhaustive()
    }
}

crate::room::section!(Config, |c| vec![
    ("app_token", c.app_token.clone()),
    ("secret_key", c.secret_key.clone()),
]);

struct ShareToken {
    applicant_id: String,
    for_client_id: String,
    expires_ms: u64,
}

/// SumSub's live share tokens, which Kriptomat's import redeems (short-lived: not kept across a
/// restart).
#[derive(Default)]
pub struct ShareTokens {
    tokens: Mutex<HashMap<String, ShareToken>>,
}

/// Why a share token cannot be imported.
#[derive(Debug, PartialEq, Eq)]
pub enum TokenProblem {
    /// Unknown, already used or expired.
    Invalid,
    /// Addressed to another SumSub client.
    OtherClient,
}

impl ShareTokens {
    /// Consumes `token` for an import by `client_id`: the applicant it shares.
    pub fn redeem(&self, token: &str, client_id: &str) -> Result<String, TokenProblem> {
        let share = lock(&self.tokens)
            .remove(token)
            .ok_or(TokenProblem::Invalid)?;
        if share.expires_ms <= now_ms() {
            return Err(TokenProblem::Invalid);
        }
        if share.for_client_id != client_id {
            return Err(TokenProblem::OtherClient);
        }
        Ok(share.applicant_id)
    }
}

struct Sumsub {
    env: Env,
    config: Config,
    tokens: Arc<ShareTokens>,
}

/// SumSub's room; `tokens` is shared with Kriptomat's.
pub(crate) fn room(config: &Config, env: Env, tokens: Arc<ShareTokens>) -> Arc<dyn Room> {
    Arc::new(Sumsub {
        env,
        config: config.clone(),
        tokens,
    })
}

/// A SumSub error body.
fn error(status: StatusCode, description: &str, correlation: String) -> Response {
    answer::<types::ErrorResponse>(
        status,
        json!({
            "code": status.as_u16(),
            "correlationId": correlation,
            "description": description,
        }),
    )
}

impl Sumsub {
    fn fail(&self, status: StatusCode, description: &str) -> Response {
        error(status, description, self.env.ids.random(24))
    }

    fn issue(&self, applicant_id: String, for_client_id: String, ttl: Option<i64>) -> Response {
        if applicant_id.is_empty() || for_client_id.is_empty() {
            return self.fail(
                StatusCode::BAD_REQUEST,
                "applicantId and forClientId are required",
            );
        }
        let ttl = u64::try_from(ttl.unwrap_or(1200)).unwrap_or(0);
        let ids = &self.env.ids;
        let token = format!(
            "_act-{}-{}-{}-{}-{}",
            ids.random(8),
            ids.random(4),
            ids.random(4),
            ids.random(4),
            ids.random(12)
        );
        let now = now_ms();
        let mut tokens = lock(&self.tokens.tokens);
        tokens.retain(|_, t| t.expires_ms > now);
        tokens.insert(
            token.clone(),
            ShareToken {
                applicant_id,
                for_client_id: for_client_id.clone(),
                expires_ms: now.saturating_add(ttl.saturating_mul(1000)),
            },
        );
        answer::<types::ShareTokenResponse>(
            StatusCode::OK,
            json!({ "token": token, "forClientId": for_client_id }),
        )
    }
}

impl Room for Sumsub {
    fn operations(&self) -> &'static [OperationMeta] {
        ops::ALL
    }

    fn spec(&self) -> Result<&'static Spec, String> {
        cached(&SPEC, include_str!("../../spec/sumsub.yaml"))
    }

    fn masked_headers(&self) -> &'static [&'static str] {
        &["x-app-token", "x-app-access-sig"]
    }

    fn registrations(&self) -> &'static [&'static str] {
        &[]
    }

    fn authorize(&self, call: &Call<'_>) -> Result<(), Response> {
        let unauthorized = |why: &str| self.fail(StatusCode::UNAUTHORIZED, why);
        if call.header("x-app-token") != Some(self.config.app_token.as_str()) {
            return Err(unauthorized("App token is missing or invalid"));
        }
        let Some(ts) = call
            .header("x-app-access-ts")
            .and_then(|t| t.parse::<u64>().ok())
        else {
            return Err(unauthorized("X-App-Access-Ts is missing or invalid"));
        };
        if (now_ms() / 1000).abs_diff(ts) > 60 {
            return Err(unauthorized(
                "Request timestamp is too far from the server time",
            ));
        }
        let Some(sent) = call
            .header("x-app-access-sig")
            .and_then(|s| hex::decode(s).ok())
        else {
            return Err(unauthorized("X-App-Access-Sig is missing or invalid"));
        };
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(self.config.secret_key.as_bytes()) else {
            return Err(unauthorized("Request signature mismatch"));
        };
        for part in [
            ts.to_string().as_bytes(),
            call.method.as_bytes(),
            call.path_and_query.as_bytes(),
            call.body,
        ] {
            mac.update(part);
        }
        mac.verify_slice(&sent)
            .map_err(|_| unauthorized("Request signature mismatch"))
    }

    fn handle(&self, call: &Call<'_>) -> Option<Response> {
        let id = call.op.id;
        if id == ops::GENERATE_SHARE_TOKEN.id {
            let request: types::GenerateShareTokenRequest = match call.decode() {
                Ok(r) => r,
                Err(problem) => return Some(self.fail(StatusCode::BAD_REQUEST, &problem)),
            };
            return Some(self.issue(
                request.applicant_id,
                request.for_client_id,
                request.ttl_in_secs.map(i64::from),
            ));
        }
        if id == ops::GENERATE_SHARE_TOKEN_BY_QUERY.id {
            let query = |name: &str| call.query.get(name).cloned().unwrap_or_default();
            let ttl = call.query.get("ttlInSecs").and_then(|t| t.parse().ok());
            return Some(self.issue(query("applicantId"), query("forClientId"), ttl));
        }
        None
    }

    fn error(&self, status: StatusCode, _code: &str, message: &str) -> Response {
        self.fail(status, message)
    }

    fn refuse(&self, _call: &Call<'_>, problem: &str) -> Response {
        self.fail(StatusCode::BAD_REQUEST, problem)
    }

    fn set_status(&self, _: &str, _: Option<&str>, _: SimStatus) -> Result<(), StatusError> {
        Err(StatusError::NoStatuses)
    }

    fn script(&self, customer: &str, outcome: Outcome) {
        self.env.scripts.set(customer, outcome);
    }

    fn status(&self, _customer: &str) -> Option<SimStatus> {
        None
    }

    fn send_webhook(&self, _customer: &str) -> bool {
        false
    }

    fn reset(&self) {
        lock(&self.tokens.tokens).clear();
        self.env.scripts.clear();
    }

    fn save(&self) -> Value {
        Value::Null
    }

    fn load(&self, _saved: Value) -> Result<(), String> {
        Ok(())
    }
}

impl SimClient for rampkit_sumsub::Client {
    const VENDOR: &'static str = "sumsub";

    fn connect(base_url: &str, section: &dyn Any, options: &ClientOptions) -> Self {
        let config: Config = section_as(section);
        rampkit_sumsub::Client::new_with_client(
            base_url,
            options.http(),
            options.context(rampkit_sumsub::SumsubAuth::new(
                config.app_token,
                config.secret_key,
            )),
        )
    }
}
