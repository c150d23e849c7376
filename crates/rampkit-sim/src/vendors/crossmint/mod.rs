//! Crossmint (`/crossmint`): the Users / KYC API with per-product eligibility (`users`), orders and
//! payment methods (`orders`); every other operation of the spec (linked wallets, token transfers)
//! is answered from the spec's examples.
//!
//! - Auth: `X-API-KEY` must be the configured key, else HTTP 401 `{"error": true, "message": …}`.
//! - A body that breaks the spec's schema: HTTP 400 `{"error": true, "message"}` naming the field.
//! - Webhooks: Svix-signed (`svix-id`, `svix-timestamp`, `svix-signature`).

mod config;
mod orders;
mod state;
mod users;

use std::any::Any;
use std::sync::{Arc, OnceLock};

use axum::http::StatusCode;
use axum::response::Response;
use rampkit_crossmint::operations as ops;
use rampkit_runtime::meta::OperationMeta;
use serde_json::Value;

pub use config::Config;

use crate::progress::{Outcome, SimStatus};
use crate::room::{Call, ClientOptions, Env, Records, Room, SimClient, StatusError, section_as};
use crate::spec::{Spec, cached};

static SPEC: OnceLock<Result<Spec, String>> = OnceLock::new();

struct Crossmint {
    env: Env,
    config: Config,
    state: Records<state::State>,
}

/// Crossmint's room.
pub(crate) fn room(config: &Config, env: Env) -> Arc<dyn Room> {
    Arc::new(Crossmint {
        env,
        config: config.clone(),
        state: Records::default(),
    })
}

impl Room for Crossmint {
    fn operations(&self) -> &'static [OperationMeta] {
        ops::ALL
    }

    fn spec(&self) -> Result<&'static Spec, String> {
        cached(&SPEC, include_str!("../../../spec/crossmint.yaml"))
    }

    fn masked_headers(&self) -> &'static [&'static str] {
        &["x-api-key"]
    }

    fn registrations(&self) -> &'static [&'static str] {
        &[ops::UPSERT_USER.id]
    }

    fn authorize(&self, call: &Call<'_>) -> Result<(), Response> {
        if call.header("x-api-key") == Some(self.config.api_key.as_str()) {
            Ok(())
        } else {
            Err(state::error(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "Unauthorized: missing or invalid X-API-KEY",
            ))
        }
    }

    fn handle(&self, call: &Call<'_>) -> Option<Response> {
        let env = &self.env;
        let secret = self.config.webhook_secret.as_str();
        let mut state = self.state.lock();
        let state = &mut *state;
        let id = call.op.id;
        Some(match id {
            _ if id == ops::ACCEPT_LEGAL_DOCUMENT.id => {
                users::accept_legal_document(env, state, call)
            }
            _ if id == ops::UPSERT_USER.id => users::upsert_user(env, state, call),
            _ if id == ops::GET_USER.id => users::get_user(state, call),
            _ if id == ops::UPLOAD_DOCUMENT.id => users::upload_document(env, state, call),
            _ if id == ops::GET_DOCUMENT.id => users::get_document(state, call),
            _ if id == ops::TRIGGER_IDENTITY_VERIFICATION.id => {
                users::trigger(env, secret, state, call)
            }
            _ if id == ops::GET_IDENTITY_VERIFICATION.id => {
                users::get_verification(env, secret, state, call)
            }
            _ if id == ops::CREATE_ORDER.id => orders::create_order(env, state, call),
            _ if id == ops::GET_ORDER.id => orders::get_order(state, call),
            _ if id == ops::PROCESS_PAYMENT.id => orders::process_payment(state, call),
            _ if id == ops::CREATE_PAYMENT_METHOD.id => {
                orders::create_payment_method(env, state, call)
            }
            _ if id == ops::LIST_PAYMENT_METHODS.id => orders::list_payment_methods(state, call),
            _ if id == ops::GET_PAYMENT_METHOD.id => orders::get_payment_method(state, call),
            _ if id == ops::DELETE_PAYMENT_METHOD.id => orders::delete_payment_method(state, call),
            _ => return None,
        })
    }

    fn error(&self, status: StatusCode, code: &str, message: &str) -> Response {
        state::error(status, code, message)
    }

    fn refuse(&self, _call: &Call<'_>, problem: &str) -> Response {
        state::bad_request(problem)
    }

    fn set_status(
        &self,
        customer: &str,
        product: Option<&str>,
        status: SimStatus,
    ) -> Result<(), StatusError> {
        let mut state = self.state.lock();
        let secret = self.config.webhook_secret.as_str();
        users::set_status(&self.env, secret, &mut state, customer, product, status)
    }

    fn script(&self, customer: &str, outcome: Outcome) {
        self.env.scripts.set(customer, outcome.clone());
        users::rescript(&mut self.state.lock(), customer, &outcome);
    }

    fn status(&self, customer: &str) -> Option<SimStatus> {
        users::status(&self.state.lock(), customer)
    }

    fn send_webhook(&self, customer: &str) -> bool {
        let state = self.state.lock();
        users::send_webhook(&self.env, &self.config.webhook_secret, &state, customer)
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

impl SimClient for rampkit_crossmint::Client {
    const VENDOR: &'static str = "crossmint";

    fn connect(base_url: &str, section: &dyn Any, options: &ClientOptions) -> Self {
        let config: Config = section_as(section);
        rampkit_crossmint::Client::new_with_client(
            base_url,
            options.http(),
            options.context(rampkit_crossmint::CrossmintAuth::new(config.api_key)),
        )
    }
}
