//! Leap's registration and CIP status: register user v2 and get user token v2.
//!
//! - Register: a phone number not in E.164 form → 400 `INVALID_PHONE_NUMBER`; a phone number or
//!   e-mail already enrolled → 400 `ERROR_USER_ALREADY_ENROLLED` (Leap documents this code under 400
//!   and declares no 409). Registration starts CIP: pending.
//! - Get user token: by e-mail (which wins when both are sent) or phone; unknown → 404
//!   `ERROR_USER_NOT_FOUND`. CIP statuses: pending `UpgradeInProgress`; verified `Completed` / `None`;
//!   rejected `UpgradeFailed` / `OfacFailed`; requires data `UpgradeSoftFailed` /
//!   `ProvideAdditionalInfo`.

use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rampkit_leap::types;
use serde_json::json;

use super::state::{State, User, cip, error, token_answer, user_not_found};
use crate::progress::{Change, Progress};
use crate::room::{Call, Env};
use crate::webhooks::hmac_sha256;
use crate::wire::{answer, now_iso};

/// `x-raas-signature` = base64 HMAC-SHA256(shared secret, body), and `x-raas-op-country`.
pub fn sign(secret: &str, body: &[u8]) -> Vec<(String, String)> {
    vec![
        (
            "x-raas-signature".to_owned(),
            STANDARD.encode(hmac_sha256(secret.as_bytes(), &[body])),
        ),
        ("x-raas-op-country".to_owned(), String::new()),
    ]
}

/// Leap's operation-status webhook shape (no `eventType`): the user and its CIP status.
pub fn notify(env: &Env, secret: &str, user: &User) {
    let (status, detail) = cip(user.progress.status);
    let payload = json!({
        "userId": user.id,
        "status": status.as_str(),
        "statusDetail": detail.as_ref().map(|d| d.as_str()),
        "date": now_iso(),
    });
    env.emit(&payload, |body| sign(secret, body));
}

fn changed(env: &Env, secret: &str, user: &User, change: Option<Change>) {
    if change.is_some() {
        notify(env, secret, user);
    }
}

fn is_e164(phone: &str) -> bool {
    phone.strip_prefix('+').is_some_and(|digits| {
        (8..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

/// `register_user_v2`.
pub fn register(env: &Env, secret: &str, state: &mut State, call: &Call<'_>) -> Response {
    let request: types::RegisterUserParams = match call.decode() {
        Ok(r) => r,
        Err(problem) => {
            return error(StatusCode::BAD_REQUEST, "ERROR_INVALID_SCHEMA", &problem);
        }
    };
    let phone = request
        .phone_number
        .as_ref()
        .map(|p| p.expose_str().to_owned());
    let email = request.email.as_ref().map(|e| e.expose_str().to_owned());
    let duplicate = phone.as_deref().is_some_and(|p| state.find(p).is_some())
        || email.as_deref().is_some_and(|e| state.find(e).is_some());
    env.registration(duplicate);
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
    let keys = [email.as_deref(), phone.as_deref()];
    let outcome = env.outcome(keys.into_iter().flatten());
    let mut user = User {
        id: env.ids.random(28),
        phone,
        email,
        progress: Progress::new(outcome),
    };
    let change = user.progress.start(&env.timing);
    changed(env, secret, &user, change);
    let body = token_answer(&user);
    state.users.push(user);
    answer::<types::UserTokenResponse>(StatusCode::OK, body)
}

/// `get_user_token_v2`: a status read.
pub fn get_token(env: &Env, secret: &str, state: &mut State, call: &Call<'_>) -> Response {
    let request: types::GetUserTokenParams = match call.decode() {
        Ok(r) => r,
        Err(problem) => {
            return error(StatusCode::BAD_REQUEST, "ERROR_INVALID_SCHEMA", &problem);
        }
    };
    // `email` wins when both are sent (documented).
    let Some(alias) = request.email.as_ref().or(request.phone_number.as_ref()) else {
        return error(
            StatusCode::BAD_REQUEST,
            "ERROR_INVALID_SCHEMA",
            "phoneNumber or email is required",
        );
    };
    let Some(index) = state.find(alias.expose_str()) else {
        return user_not_found();
    };
    let user = &mut state.users[index];
    let change = user.progress.read(&env.timing);
    changed(env, secret, user, change);
    answer::<types::UserTokenResponse>(StatusCode::OK, token_answer(user))
}
