//! CryptoPocket (`/cryptopocket`): the login, the three registrations, the KYC check and the customer
//! list keep state (`customers`); every other operation of the spec (payments, ramp-offs, banking,
//! webhook subscriptions) is answered from the spec's examples.
//!
//! - Auth: `POST /authenticate` with the configured key and secret answers `{"status": "ok", "data":
//!   {"token"}}`; every other call needs that token in the `auth` header until it expires. A missing,
//!   unknown or expired token — and a wrong key or secret at login — is HTTP 200 `{"status": "error",
//!   "error": "authorization_incorrect"}`.
//! - Business errors come with HTTP 200, as CryptoPocket sends them: a body that breaks the schema, or
//!   a delegated-KYC registration with a blank mandatory field → `fail_mandatory_field` naming the
//!   fields; an e-mail already registered → `user_already_exists`; an unknown `user_id` →
//!   `user_not_found`.

mod config;
mod customers;

use std::any::Any;
use std::sync::{Arc, OnceLock};

use axum::http::StatusCode;
use axum::response::Response;
use rampkit_cryptopocket::operations as ops;
use rampkit_cryptopocket::types;
use rampkit_runtime::meta::OperationMeta;
use serde_json::{Value, json};

pub use config::Config;

use crate::progress::{Outcome, SimStatus, now_ms};
use crate::room::{Call, ClientOptions, Env, Records, Room, SimClient, StatusError, section_as};
use crate::spec::{Spec, cached};
use crate::wire::answer;

static SPEC: OnceLock<Result<Spec, String>> = OnceLock::new();

struct CryptoPocket {
    env: Env,
    config: Config,
    state: Records<customers::State>,
}

/// CryptoPocket's room.
pub(crate) fn room(config: &Config, env: Env) -> Arc<dyn Room> {
    Arc::new(CryptoPocket {
        env,
        config: config.clone(),
        state: Records::default(),
    })
}

impl CryptoPocket {
    fn keys(&self) -> (&str, &str) {
        (&self.config.api_key, &self.config.api_secret)
    }

    fn authenticate(&self, call: &Call<'_>) -> Response {
        let request: types::AuthenticateRequest = match call.decode() {
            Ok(r) => r,
            Err(problem) => return customers::business("fail_mandatory_field", &problem),
        };
        if request.api_key.expose_str() != self.config.api_key
            || request.api_secret.expose_str() != self.config.api_secret
        {
            return customers::business("authorization_incorrect", "Wrong API key or secret");
        }
        let token = self.env.ids.random(31);
        let now = now_ms();
        let mut state = self.state.lock();
        state.tokens.retain(|_, expires| *expires > now);
        state.tokens.insert(
            token.clone(),
            now.saturating_add(self.config.token_ttl_secs.saturating_mul(1000)),
        );
        answer::<types::AuthenticateResponse>(
            StatusCode::OK,
            json!({ "status": types::ResponseStatus::Ok.as_str(), "data": { "token": token } }),
        )
    }
}

impl Room for CryptoPocket {
    fn operations(&self) -> &'static [OperationMeta] {
        ops::ALL
    }

    fn spec(&self) -> Result<&'static Spec, String> {
        cached(&SPEC, include_str!("../../../spec/cryptopocket.yaml"))
    }

    fn masked_headers(&self) -> &'static [&'static str] {
        &["auth"]
    }

    fn masked_fields(&self) -> &'static [&'static str] {
        &["api_key", "api_secret"]
    }

    fn registrations(&self) -> &'static [&'static str] {
        &[
            ops::REGISTER_USER.id,
            ops::REGISTER_USER_KYC_DELEGATED.id,
            ops::REGISTER_COMPANY.id,
        ]
    }

    fn authorize(&self, call: &Call<'_>) -> Result<(), Response> {
        let state = self.state.lock();
        match call.header("auth").and_then(|t| state.tokens.get(t)) {
            Some(expires) if now_ms() < *expires => Ok(()),
            _ => Err(customers::business(
                "authorization_incorrect",
                "The auth token is missing, unknown or expired",
            )),
        }
    }

    fn handle(&self, call: &Call<'_>) -> Option<Response> {
        let id = call.op.id;
        if id == ops::AUTHENTICATE.id {
            return Some(self.authenticate(call));
        }
        let (env, keys) = (&self.env, self.keys());
        let mut state = self.state.lock();
        let state = &mut *state;
        Some(match id {
            _ if id == ops::REGISTER_USER.id => customers::register(env, keys, state, call, false),
            _ if id == ops::REGISTER_USER_KYC_DELEGATED.id => {
                customers::register(env, keys, state, call, true)
            }
            _ if id == ops::REGISTER_COMPANY.id => {
                customers::register(env, keys, state, call, false)
            }
            _ if id == ops::CHECK_KYC.id => customers::check_kyc(env, keys, state, call),
            _ if id == ops::LIST_CUSTOMERS.id => customers::list(state),
            _ => return None,
        })
    }

    fn error(&self, status: StatusCode, code: &str, message: &str) -> Response {
        customers::error(status, code, message)
    }

    fn refuse(&self, _call: &Call<'_>, problem: &str) -> Response {
        customers::business("fail_mandatory_field", problem)
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
        let found = state.find(customer).ok_or(StatusError::UnknownCustomer)?;
        if found.progress.set(status).is_some() {
            customers::notify(&self.env, self.keys(), found);
        }
        Ok(())
    }

    fn script(&self, customer: &str, outcome: Outcome) {
        self.env.scripts.set(customer, outcome.clone());
        if let Some(found) = self.state.lock().find(customer) {
            found.progress.rescript(&outcome);
        }
    }

    fn status(&self, customer: &str) -> Option<SimStatus> {
        self.state.lock().find(customer).map(|c| c.progress.status)
    }

    fn send_webhook(&self, customer: &str) -> bool {
        let mut state = self.state.lock();
        match state.find(customer) {
            Some(found) => {
                customers::notify(&self.env, self.keys(), found);
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

impl SimClient for rampkit_cryptopocket::Client {
    const VENDOR: &'static str = "cryptopocket";

    fn connect(base_url: &str, section: &dyn Any, options: &ClientOptions) -> Self {
        let config: Config = section_as(section);
        rampkit_cryptopocket::Client::new_with_client(
            base_url,
            options.http(),
            options.context(rampkit_cryptopocket::CryptoPocketAuth::with_credentials(
                config.api_key,
                config.api_secret,
            )),
        )
    }
}
