//! Leap's records — users (with their aliases) and money operations — and Leap's error shape and CIP
//! status vocabulary.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::Response;
use rampkit_leap::types;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::progress::{Progress, SimStatus};

/// A Leap user.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct User {
    /// Leap's user id (also the `userToken` of the user's paths here).
    pub id: String,
    /// Phone number, as registered.
    pub phone: Option<String>,
    /// E-mail, as registered.
    pub email: Option<String>,
    /// The CIP clock.
    pub progress: Progress,
}

/// A money operation.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Operation {
    /// The user id of the user whose path created it.
    pub owner: String,
    /// The `OperationResponsePartner` answer.
    pub answer: Value,
}

/// Leap's records.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct State {
    /// Users, in registration order.
    pub users: Vec<User>,
    /// Operations by id (the partner's `correlationId`).
    pub operations: BTreeMap<String, Operation>,
}

impl State {
    /// The index of the user with this id, phone or e-mail (without case).
    pub fn find(&self, customer: &str) -> Option<usize> {
        self.users.iter().position(|u| {
            u.id == customer
                || u.phone.as_deref() == Some(customer)
                || u.email
                    .as_deref()
                    .is_some_and(|e| e.eq_ignore_ascii_case(customer))
        })
    }
}

/// A Leap error body (`{code, reason}`).
pub fn error(status: StatusCode, code: &str, reason: &str) -> Response {
    crate::wire::answer::<types::ErrorResponse>(status, json!({ "code": code, "reason": reason }))
}

/// HTTP 404 `ERROR_USER_NOT_FOUND`.
pub fn user_not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "ERROR_USER_NOT_FOUND",
        "User not found",
    )
}

/// The CIP status and detail of a simulated status.
pub fn cip(status: SimStatus) -> (types::CipStatus, Option<types::PlatLevelStatusDetail>) {
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

/// `UserTokenResponse` of a user.
pub fn token_answer(user: &User) -> Value {
    let (status, detail) = cip(user.progress.status);
    json!({
        "userId": user.id,
        "status": status.as_str(),
        "statusDetail": detail.as_ref().map(|d| d.as_str()),
    })
}
