//! Leap Financial (`/leap`): register user v2 and get user token v2.
//!
//! - Auth: the `api_key` header must be the configured key, else HTTP 401 `{"code", "reason"}`.
//! - Register: a body that does not decode → 400 `ERROR_INVALID_SCHEMA`; a phone number not in E.164
//!   form → 400 `INVALID_PHONE_NUMBER`; a phone number or e-mail already enrolled → 400
//!   `ERROR_USER_ALREADY_ENROLLED` (Leap documents this code under 400 and declares no 409). Registration
//!   starts CIP: `OnProcess`.
//! - Get user token: by e-mail (which wins when both are sent) or phone; unknown → 404
//!   `ERROR_USER_NOT_FOUND`. CIP statuses: pending `UpgradeInProgress`; verified `Completed` / `None`;
//!   rejected `UpgradeFailed` / `OfacFailed`; requires data `UpgradeSoftFailed` / `ProvideAdditionalInfo`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State as AxumState;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rampkit_leap::operations as ops;
use rampkit_leap::types;
use rampkit_runtime::Pii;

use crate::config::Vendor;
use crate::state::{Change, Progress, Scenario, Shared, SimStatus, lock, now_iso, random_id};
use crate::wire::{decode, json, ok};
use crate::{route, webhooks};

const VENDOR: Vendor = Vendor::Leap;

struct User {
    id: String,
    phone: Option<String>,
    email: Option<String>,
    progress: Progress,
}

/// Leap's users, and an index of their aliases (user id, phone, lower-case e-mail).
#[derive(Default)]
pub struct State {
    users: Vec<User>,
    aliases: HashMap<String, usize>,
}

impl State {
    fn find(&self, customer: &str) -> Option<usize> {
        self.aliases
            .get(customer)
            .or_else(|| self.aliases.get(&customer.to_lowercase()))
            .copied()
    }

    fn add(&mut self, user: User) {
        let index = self.users.len();
        self.aliases.insert(user.id.clone(), index);
        if let Some(phone) = &user.phone {
            self.aliases.insert(phone.clone(), index);
        }
        if let Some(email) = &user.email {
            self.aliases.insert(email.to_lowercase(), index);
        }
        self.users.push(user);
    }
}

/// A Leap error body (`{code, reason}`).
pub fn error(status: StatusCode, code: &str, reason: &str) -> Response {
    json(
        status,
        &types::ErrorResponse {
            code: Some(code.to_owned()),
            detail: None,
            reason: Some(reason.to_owned()),
            ..Default::default()
        },
    )
}

fn start(shared: &Shared, operation: &str, headers: &HeaderMap) -> Option<Response> {
    shared.counters.operation(VENDOR, operation);
    let key = headers.get("api_key").and_then(|v| v.to_str().ok());
    if key == Some(shared.config.credentials.leap_api_key.as_str()) {
        None
    } else {
        Some(error(
            StatusCode::UNAUTHORIZED,
            "ERROR_UNAUTHORIZED",
            "Missing or invalid api_key",
        ))
    }
}

pub fn router(shared: Arc<Shared>) -> Router {
    let r = Router::new();
    let r = route(r, &ops::REGISTER_USER_V2, register_user_v2);
    let r = route(r, &ops::GET_USER_TOKEN_V2, get_user_token_v2);
    r.with_state(shared)
}

fn cip(status: SimStatus) -> (types::CipStatus, Option<types::PlatLevelStatusDetail>) {
    use types::CipStatus as S;
    use types::PlatLevelStatusDetail as D;
    match status {
        SimStatus::NotStarted => (S::OnProcess, None),
        SimStatus::Pending => (S::UpgradeInProgress, None),
        SimStatus::Verified => (S::Completed, Some(D::None)),
        SimStatus::Rejected => (S::UpgradeFailed, Some(D::OfacFailed)),
        SimStatus::RequiresData => (S::UpgradeSoftFailed, Some(D::ProvideAdditionalInfo)),
    }
}

fn answer(user: &User) -> types::UserTokenResponse {
    let (status, detail) = cip(user.progress.status);
    types::UserTokenResponse {
        status: Some(status),
        status_detail: detail,
        user_id: Pii::new(user.id.clone()),
    }
}

fn is_e164(phone: &str) -> bool {
    phone.strip_prefix('+').is_some_and(|digits| {
        (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

async fn register_user_v2(
    AxumState(shared): AxumState<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(r) = start(&shared, ops::REGISTER_USER_V2.id, &headers) {
        return r;
    }
    let request: types::RegisterUserParams = match decode(&body) {
        Ok(r) => r,
        Err(problem) => {
            shared.counters.registration(VENDOR, false);
            return error(StatusCode::BAD_REQUEST, "ERROR_INVALID_SCHEMA", &problem);
        }
    };
    let phone = request
        .phone_number
        .as_ref()
        .map(|p| p.expose_str().to_owned());
    let email = request.email.as_ref().map(|e| e.expose_str().to_owned());
    let mut state = lock(&shared.leap);
    let duplicate = phone.as_deref().is_some_and(|p| state.find(p).is_some())
        || email.as_deref().is_some_and(|e| state.find(e).is_some());
    shared.counters.registration(VENDOR, duplicate);
    if phone.is_none() && email.is_none() {
        return error(
            StatusCode::BAD_REQUEST,
            "ERROR_INVALID_SCHEMA",
            "phoneNumber or email is required",
        );
    }
    if phone.as_deref().is_some_and(|p| !is_e164(p)) {
        return error(
            StatusCode::BAD_REQUEST,
            "INVALID_PHONE_NUMBER",
            "phoneNumber: not an E.164 mobile number",
        );
    }
    if duplicate {
        return error(
            StatusCode::BAD_REQUEST,
            "ERROR_USER_ALREADY_ENROLLED",
            "A user with this phone number or email is already enrolled",
        );
    }
    let scenario = Scenario::from_identifier(email.as_deref().unwrap_or_default());
    let mut user = User {
        id: random_id(28),
        phone,
        email,
        progress: Progress::new(scenario),
    };
    let change = user.progress.start(&shared.config);
    notify(&shared, &user, change);
    let answer = answer(&user);
    state.add(user);
    ok(&answer)
}

async fn get_user_token_v2(
    AxumState(shared): AxumState<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(r) = start(&shared, ops::GET_USER_TOKEN_V2.id, &headers) {
        return r;
    }
    let request: types::GetUserTokenParams = match decode(&body) {
        Ok(r) => r,
        Err(problem) => return error(StatusCode::BAD_REQUEST, "ERROR_INVALID_SCHEMA", &problem),
    };
    // `email` wins when both are sent (documented).
    let alias = request
        .email
        .as_ref()
        .or(request.phone_number.as_ref())
        .map(|a| a.expose_str().to_owned());
    let Some(alias) = alias else {
        return error(
            StatusCode::BAD_REQUEST,
            "ERROR_INVALID_SCHEMA",
            "phoneNumber or email is required",
        );
    };
    let mut state = lock(&shared.leap);
    let Some(index) = state.find(&alias) else {
        return error(
            StatusCode::NOT_FOUND,
            "ERROR_USER_NOT_FOUND",
            "User not found",
        );
    };
    let user = &mut state.users[index];
    let change = user.progress.read(&shared.config);
    notify(&shared, user, change);
    ok(&answer(user))
}

/// Leap's operation-status webhook shape (no `eventType`): the user and its new CIP status.
fn notify(shared: &Arc<Shared>, user: &User, change: Option<Change>) {
    if change.is_none() {
        return;
    }
    let (status, detail) = cip(user.progress.status);
    webhooks::emit(
        shared,
        VENDOR,
        serde_json::json!({
            "userId": user.id,
            "status": status.as_str(),
            "statusDetail": detail.as_ref().map(|d| d.as_str()),
            "date": now_iso(),
        }),
    );
}

/// Admin: sets the status of `customer` (user id, phone or e-mail).
pub fn set_status(shared: &Arc<Shared>, customer: &str, status: SimStatus) -> bool {
    let mut state = lock(&shared.leap);
    let Some(index) = state.find(customer) else {
        return false;
    };
    let user = &mut state.users[index];
    let change = user.progress.set(status);
    notify(shared, user, change);
    true
}
