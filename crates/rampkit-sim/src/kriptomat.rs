//! Kriptomat (`/kriptomat`): partner login, show user, KYC import.
//!
//! - Login: e-mail, password, client id and secret must be the configured ones and `security_code` the
//!   current TOTP code of the configured secret (RFC 6238, SHA-1, 30 s, one step of skew); the bearer
//!   token lasts `kriptomat_token_ttl_secs` (or the `expires_in` asked for, if shorter). Wrong
//!   credentials → HTTP 401 `{"message"}`; a body that does not decode → HTTP 422 Laravel-style
//!   `{"message", "errors": {field: […]}}`. Other calls without a valid bearer → 401
//!   `{"message": "Unauthenticated."}`.
//! - Users: Kriptomat documents no user creation for partners, so every user id exists on first use
//!   with `kyc_status` `not_started`.
//! - KYC import: the token must be a live SumSub share token from this simulator, addressed to the
//!   configured Kriptomat SumSub client id (single-use), else 422. The scenario comes from the SumSub
//!   applicant id (its `+reject` / `+requires-data` / `+pending` suffix). Statuses: pending `pending`;
//!   verified `passed` with `edd_status` `not_required`; rejected `declined`; requires data `passed`
//!   with `edd_status` `required`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as AxumState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rampkit_kriptomat::operations as ops;
use rampkit_kriptomat::types;
use rampkit_runtime::Pii;

use crate::config::Vendor;
use crate::state::{Change, Progress, Scenario, Shared, SimStatus, lock, random_id};
use crate::wire::{decode, json, ok};
use crate::{route, sumsub, webhooks};

const VENDOR: Vendor = Vendor::Kriptomat;

struct User {
    applicant_id: Option<String>,
    progress: Progress,
}

impl User {
    fn new() -> Self {
        Self {
            applicant_id: None,
            progress: Progress::new(Scenario::Verify),
        }
    }
}

/// Kriptomat's tokens and users.
#[derive(Default)]
pub struct State {
    tokens: HashMap<String, Instant>,
    users: HashMap<i64, User>,
}

/// A Kriptomat (Laravel-style) error body.
pub fn error(status: StatusCode, message: &str) -> Response {
    json(
        status,
        &types::ErrorResponse {
            errors: None,
            message: Some(message.to_owned()),
            status: Some(false),
            ..Default::default()
        },
    )
}

fn invalid(problem: &str, field: &str) -> Response {
    json(
        StatusCode::UNPROCESSABLE_ENTITY,
        &types::ErrorResponse {
            errors: Some(Pii::new(serde_json::json!({ field: [problem] }))),
            message: Some("The given data was invalid.".to_owned()),
            status: Some(false),
            ..Default::default()
        },
    )
}

fn start(shared: &Shared, operation: &str, headers: &HeaderMap) -> Option<Response> {
    shared.counters.operation(VENDOR, operation);
    let bearer = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let state = lock(&shared.kriptomat);
    match bearer.and_then(|t| state.tokens.get(t)) {
        Some(expires) if Instant::now() < *expires => None,
        _ => Some(error(StatusCode::UNAUTHORIZED, "Unauthenticated.")),
    }
}

pub fn router(shared: Arc<Shared>) -> Router {
    let r = Router::new();
    let r = route(r, &ops::LOGIN, login);
    let r = route(r, &ops::SHOW_USER, show_user);
    let r = route(r, &ops::IMPORT_KYC, import_kyc);
    r.with_state(shared)
}

fn totp_matches(secret_base32: &str, code: &str) -> bool {
    let Ok(secret) = totp_rs::Secret::Encoded(secret_base32.to_owned()).to_bytes() else {
        return false;
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    totp_rs::TOTP::new_unchecked(totp_rs::Algorithm::SHA1, 6, 1, 30, secret).check(code, now)
}

async fn login(AxumState(shared): AxumState<Arc<Shared>>, body: Bytes) -> Response {
    shared.counters.operation(VENDOR, ops::LOGIN.id);
    let request: types::LoginRequest = match decode(&body) {
        Ok(r) => r,
        Err(problem) => {
            let field = problem
                .split('`')
                .nth(1)
                .unwrap_or_else(|| problem.split(':').next().unwrap_or("body"))
                .to_owned();
            return invalid(&problem, &field);
        }
    };
    let c = &shared.config.credentials;
    let credentials_match = request.email.expose_str() == c.kriptomat_email
        && request.password.expose_str() == c.kriptomat_password
        && request.client_id == c.kriptomat_client_id
        && request.client_secret.expose_str() == c.kriptomat_client_secret;
    if !credentials_match {
        return error(StatusCode::UNAUTHORIZED, "Invalid credentials.");
    }
    if !totp_matches(
        &c.kriptomat_totp_secret_base32,
        request.security_code.expose_str(),
    ) {
        return error(StatusCode::UNAUTHORIZED, "Invalid security code.");
    }
    let mut ttl = shared.config.kriptomat_token_ttl_secs;
    if let Some(asked) = request.expires_in.and_then(|s| u64::try_from(s).ok()) {
        ttl = ttl.min(asked);
    }
    let token = format!("eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.{}", random_id(40));
    let mut state = lock(&shared.kriptomat);
    let now = Instant::now();
    state.tokens.retain(|_, expires| *expires > now);
    state
        .tokens
        .insert(token.clone(), now + Duration::from_secs(ttl));
    ok(&types::LoginResponse {
        access_token: Some(Pii::new(token)),
        data: None,
        expires_in: i64::try_from(ttl).ok(),
        status: None,
        ..Default::default()
    })
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

async fn show_user(
    AxumState(shared): AxumState<Arc<Shared>>,
    Path(user_id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = start(&shared, ops::SHOW_USER.id, &headers) {
        return r;
    }
    let Ok(user_id) = user_id.parse::<i64>() else {
        return error(StatusCode::NOT_FOUND, "User not found.");
    };
    let mut state = lock(&shared.kriptomat);
    let user = state.users.entry(user_id).or_insert_with(User::new);
    let change = user.progress.read(&shared.config);
    let (kyc, edd) = statuses(user.progress.status);
    notify(&shared, user_id, user, change);
    ok(&types::ShowUserResponse {
        data: Some(types::ShowUserData {
            edd_status: Some(edd),
            kyc_status: Some(kyc),
            status: Some(types::UserStatus::Active),
            ..types::ShowUserData::default()
        }),
        status: Some(true),
        ..Default::default()
    })
}

async fn import_kyc(
    AxumState(shared): AxumState<Arc<Shared>>,
    Path(user_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(r) = start(&shared, ops::IMPORT_KYC.id, &headers) {
        return r;
    }
    let Ok(user_id) = user_id.parse::<i64>() else {
        return error(StatusCode::NOT_FOUND, "User not found.");
    };
    let request: types::ImportKycRequest = match decode(&body) {
        Ok(r) => r,
        Err(problem) => {
            shared.counters.registration(VENDOR, false);
            return invalid(&problem, "token");
        }
    };
    let already = lock(&shared.kriptomat)
        .users
        .get(&user_id)
        .is_some_and(|u| u.applicant_id.is_some());
    shared.counters.registration(VENDOR, already);
    let applicant = match sumsub::redeem(
        &shared,
        request.token.expose_str(),
        &shared.config.kriptomat_sumsub_client_id,
    ) {
        Ok(applicant) => applicant,
        Err(sumsub::TokenProblem::Invalid) => {
            return invalid("The share token is invalid, used or expired.", "token");
        }
        Err(sumsub::TokenProblem::OtherClient) => {
            return invalid(
                "The share token is addressed to another SumSub client.",
                "token",
            );
        }
    };
    let mut state = lock(&shared.kriptomat);
    let user = state.users.entry(user_id).or_insert_with(User::new);
    if user.progress.status == SimStatus::NotStarted {
        user.progress.scenario = Scenario::from_identifier(&applicant);
    }
    user.applicant_id = Some(applicant);
    let change = user.progress.start(&shared.config);
    notify(&shared, user_id, user, change);
    ok(&types::ImportKycResponse { status: Some(true) })
}

/// Kriptomat's "Kyc Statuses" webhook (unsigned: Kriptomat documents no signature).
fn notify(shared: &Arc<Shared>, user_id: i64, user: &User, change: Option<Change>) {
    if change.is_none() {
        return;
    }
    let status = user.progress.status;
    let answer = match status {
        SimStatus::Verified | SimStatus::RequiresData => Some(types::KycReviewAnswer::Green),
        SimStatus::Rejected => Some(types::KycReviewAnswer::Red),
        SimStatus::NotStarted | SimStatus::Pending => None,
    };
    let review_status = if answer.is_some() {
        "completed"
    } else {
        "pending"
    };
    let payload = types::KycStatusWebhook {
        document_status: Vec::new(),
        status: Some(types::KycApplicantStatus {
            applicant_id: user.applicant_id.clone(),
            review_result: answer.map(|a| types::KycReviewResult {
                review_answer: Some(a),
                ..types::KycReviewResult::default()
            }),
            review_status: Some(review_status.to_owned()),
            ..types::KycApplicantStatus::default()
        }),
        user_id: Some(user_id),
        ..Default::default()
    };
    if let Ok(value) = serde_json::to_value(&payload) {
        webhooks::emit(shared, VENDOR, value);
    }
}

/// Admin: sets the status of Kriptomat user `customer` (its id).
pub fn set_status(shared: &Arc<Shared>, customer: &str, status: SimStatus) -> bool {
    let Ok(user_id) = customer.parse::<i64>() else {
        return false;
    };
    let mut state = lock(&shared.kriptomat);
    let user = state.users.entry(user_id).or_insert_with(User::new);
    let change = user.progress.set(status);
    notify(shared, user_id, user, change);
    true
}
