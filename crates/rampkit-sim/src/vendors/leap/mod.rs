//! Leap Financial (`/leap`): registration and CIP status (`users`) and money operations
//! (`operations`) keep state; every other operation of the spec is answered from its examples.
//!
//! - Auth: the `api_key` header must be the configured key, else HTTP 401 `{"code", "reason"}`.
//! - A body that breaks the spec's schema: HTTP 400 `ERROR_INVALID_SCHEMA` naming the field.
//! - The `userToken` of a user's paths is the user id get user token v2 answers.
//! - Webhooks: `x-raas-signature`, base64 HMAC-SHA256 of the body with the tenant's shared secret.

mod config;
mod operations;
mod state;
mod users;

use std::any::Any;
use std::sync::{Arc, OnceLock};

use axum::http::StatusCode;
use axum::response::Response;
use rampkit_leap::operations as ops;
use rampkit_runtime::meta::OperationMeta;
use serde_json::Value;

pub use config::Config;

use crate::progress::{Outcome, SimStatus};
use crate::room::{Call, ClientOptions, Env, Records, Room, SimClient, StatusError, section_as};
use crate::spec::{Spec, cached};

static SPEC: OnceLock<Result<Spec, String>> = OnceLock::new();

struct Leap {
    env: Env,
    config: Config,
    state: Records<state::State>,
}

/// Leap's room.
pub(crate) fn room(config: &Config, env: Env) -> Arc<dyn Room> {
    Arc::new(Leap {
        env,
        config: config.clone(),
        state: Records::default(),
    })
}

impl Room for Leap {
    fn operations(&self) -> &'static [OperationMeta] {
        ops::ALL
    }

    fn spec(&self) -> Result<&'static Spec, String> {
        cached(&SPEC, include_str!("../../../spec/leap.yaml"))
    }

    fn masked_headers(&self) -> &'static [&'static str] {
        &["api_key"]
    }

    fn registrations(&self) -> &'static [&'static str] {
        &[ops::REGISTER_USER_V2.id]
    }

    fn authorize(&self, call: &Call<'_>) -> Result<(), Response> {
        if call.header("api_key") == Some(self.config.api_key.as_str()) {
            Ok(())
        } else {
            Err(state::error(
                StatusCode::UNAUTHORIZED,
                "ERROR_UNAUTHORIZED",
                "Missing or invalid api_key",
            ))
        }
    }

    fn handle(&self, call: &Call<'_>) -> Option<Response> {
        let (env, secret) = (&self.env, self.config.webhook_secret.as_str());
        let mut state = self.state.lock();
        let state = &mut *state;
        let id = call.op.id;
        let create = |state: &mut state::State, kind: &str| match self.spec() {
            Ok(spec) => operations::create(env, spec, state, call, kind),
            Err(e) => state::error(StatusCode::INTERNAL_SERVER_ERROR, "ERROR_SPEC", &e),
        };
        Some(match id {
            _ if id == ops::REGISTER_USER_V2.id => users::register(env, secret, state, call),
            _ if id == ops::GET_USER_TOKEN_V2.id => users::get_token(env, secret, state, call),
            _ if id == ops::REQUEST_MONEY_V2.id => create(state, "request"),
            _ if id == ops::SEND_FUNDS.id || id == ops::SEND_FUNDS_V2.id => create(state, "send"),
            _ if id == ops::GET_OPERATION.id => operations::get(state, call),
            _ if id == ops::GET_OPERATION_STATUS.id => operations::status(state, call),
            _ if id == ops::GET_OPERATIONS.id => operations::list(state, call),
            _ if id == ops::CANCEL_OPERATION.id => operations::cancel(state, call),
            _ => return None,
        })
    }

    fn error(&self, status: StatusCode, code: &str, message: &str) -> Response {
        state::error(status, &code.to_ascii_uppercase(), message)
    }

    fn refuse(&self, _call: &Call<'_>, problem: &str) -> Response {
        state::error(StatusCode::BAD_REQUEST, "ERROR_INVALID_SCHEMA", problem)
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
        let index = state.find(customer).ok_or(StatusError::UnknownCustomer)?;
        let user = &mut state.users[index];
        if user.progress.set(status).is_some() {
            users::notify(&self.env, &self.config.webhook_secret, user);
        }
        Ok(())
    }

    fn script(&self, customer: &str, outcome: Outcome) {
        self.env.scripts.set(customer, outcome.clone());
        let mut state = self.state.lock();
        if let Some(index) = state.find(customer) {
            state.users[index].progress.rescript(&outcome);
        }
    }

    fn status(&self, customer: &str) -> Option<SimStatus> {
        let state = self.state.lock();
        state.find(customer).map(|i| state.users[i].progress.status)
    }

    fn send_webhook(&self, customer: &str) -> bool {
        let state = self.state.lock();
        match state.find(customer) {
            Some(i) => {
                users::notify(&self.env, &self.config.webhook_secret, &state.users[i]);
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

impl SimClient for rampkit_leap::Client {
    const VENDOR: &'static str = "leap";

    fn connect(base_url: &str, section: &dyn Any, options: &ClientOptions) -> Self {
        let config: Config = section_as(section);
        rampkit_leap::Client::new_with_client(
            base_url,
            options.http(),
            options.context(rampkit_leap::LeapAuth::new(config.api_key)),
        )
    }
}
