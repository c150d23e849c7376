//! Crossmint's Users / KYC operations: legal documents, upsert and get user, upload and get document,
//! trigger and get identity verification, with per-product eligibility.
//!
//! - Upsert (PUT) replaces the whole record and is idempotent: 201 when the user is created, 200 after.
//! - Eligibility, per product, once verification is triggered: a product first needs its data sections
//!   and documents (below); with something missing it is `requires-data` with `missingData` /
//!   `missingDocuments`; without the privacy policy accepted it is `pending-privacy-policy`; otherwise it
//!   is `pending-review` and then the customer's outcome after the configured number of status reads.
//!
//! | product | data sections | documents |
//! |---|---|---|
//! | `onramp-light` | user-details | — |
//! | `onramp` | user-details, kyc-data | — |
//! | `offramp` | user-details, kyc-data, verification-history | `id` (unless the identity document is an SSN) |
//! | `regulated-transfer` | user-details, kyc-data, verification-history, due-diligence | `id` (same) |

use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rampkit_crossmint::types;
use serde_json::{Value, json};

use super::state::{Document, PRODUCTS, State, User, bad_request, not_found};
use crate::progress::{Change, Outcome, SimStatus};
use crate::room::{Call, Env, StatusError};
use crate::webhooks::{hmac_sha256, unix_seconds};
use crate::wire::{answer, now_iso};

fn user_answer(status: StatusCode, user: &User) -> Response {
    answer::<types::UserResponse>(status, user.response())
}

fn eligibility(user: &User) -> Response {
    answer::<types::IdentityVerificationResponse>(StatusCode::OK, user.eligibility())
}

/// Svix headers of a webhook body: `svix-id`, `svix-timestamp`, `svix-signature` =
/// `v1,` base64 HMAC-SHA256(key, id.timestamp.body) (<https://docs.svix.com/receiving/verifying-payloads/how-manual>).
pub fn sign(env: &Env, secret: &str, body: &[u8]) -> Vec<(String, String)> {
    let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
    let key = STANDARD.decode(encoded).unwrap_or_default();
    let id = format!("msg_{}", env.ids.random(24));
    let now = unix_seconds();
    let digest = hmac_sha256(&key, &[id.as_bytes(), b".", now.as_bytes(), b".", body]);
    vec![
        ("svix-id".to_owned(), id),
        ("svix-timestamp".to_owned(), now),
        (
            "svix-signature".to_owned(),
            format!("v1,{}", STANDARD.encode(digest)),
        ),
    ]
}

/// The status-change webhook: Crossmint publishes no KYC event, so the simulator names it
/// `users.verification.updated` (a consumer decodes it as an unsupported event) and sends the
/// eligibility list the get call would answer.
pub fn notify(env: &Env, secret: &str, locator: &str, user: &User) {
    let payload = json!({
        "type": "users.verification.updated",
        "data": {
            "userLocator": locator,
            "userId": user.id,
            "eligibility": user.eligibility()["eligibility"],
        }
    });
    env.emit(&payload, |body| sign(env, secret, body));
}

fn changed(env: &Env, secret: &str, key: &str, user: &User, changes: &[Option<Change>]) {
    if changes.iter().any(Option::is_some) {
        notify(env, secret, key, user);
    }
}

fn user_mut<'s>(env: &Env, state: &'s mut State, locator: &str) -> &'s mut User {
    let key = state.key(locator).unwrap_or_else(|| locator.to_owned());
    state
        .users
        .entry(key)
        .or_insert_with(|| User::new(format!("usr_{}", env.ids.random(16))))
}

/// `accept_legal_document`.
pub fn accept_legal_document(env: &Env, state: &mut State, call: &Call<'_>) -> Response {
    let request: types::AcceptLegalDocumentRequest = match call.decode() {
        Ok(r) => r,
        Err(problem) => return bad_request(&problem),
    };
    if !request.accepted_at.ends_with('Z') {
        return bad_request("acceptedAt: must be an ISO 8601 UTC date-time ending in Z");
    }
    if request.type_ == types::LegalDocumentType::CrossmintTermsOfService
        && request.region.is_none()
    {
        return bad_request("region: required for crossmint-terms-of-service");
    }
    let kind = request.type_.to_string();
    let user = user_mut(env, state, call.param("userLocator"));
    user.legal.retain(|(t, _)| *t != kind);
    user.legal.push((kind, request.accepted_at.clone()));
    answer::<types::AcceptLegalDocumentResponse>(
        StatusCode::OK,
        json!({ "acceptedAt": request.accepted_at }),
    )
}

/// `upsert_user`.
pub fn upsert_user(env: &Env, state: &mut State, call: &Call<'_>) -> Response {
    let record: Value = match serde_json::from_slice(call.body) {
        Ok(v) => v,
        Err(_) => return bad_request("the body is not valid JSON"),
    };
    let locator = call.param("userLocator");
    let text = |p: &str| record.pointer(p).and_then(Value::as_str).map(str::to_owned);
    let (email, phone) = (text("/kycData/email"), text("/kycData/phoneNumber"));
    let key = state.key(locator).unwrap_or_else(|| locator.to_owned());
    let held_elsewhere = state.users.iter().any(|(k, u)| {
        *k != key
            && u.record.is_some()
            && ((email.is_some() && u.email() == email.as_deref())
                || (phone.is_some() && u.phone() == phone.as_deref()))
    });
    let user = user_mut(env, state, locator);
    let created = user.record.is_none();
    env.registration(!created || held_elsewhere);
    let keys = [
        email.as_deref().unwrap_or(""),
        phone.as_deref().unwrap_or(""),
        locator,
    ];
    let outcome = env.outcome(keys.into_iter().filter(|k| !k.is_empty()));
    for progress in &mut user.progress {
        if progress.status == SimStatus::NotStarted {
            progress.outcome = outcome.clone();
        }
    }
    user.record = Some(record);
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    user_answer(status, user)
}

/// `get_user`.
pub fn get_user(state: &State, call: &Call<'_>) -> Response {
    match state
        .key(call.param("userLocator"))
        .and_then(|k| state.users.get(&k))
    {
        Some(user) if user.record.is_some() => user_answer(StatusCode::OK, user),
        _ => not_found("User not found"),
    }
}

/// `upload_document`: the owner is named either way the vendor accepts, `reference.userLocator` or a
/// flat `userLocator`.
pub fn upload_document(env: &Env, state: &mut State, call: &Call<'_>) -> Response {
    let request: types::UploadDocumentRequest = match call.decode() {
        Ok(r) => r,
        Err(problem) => return bad_request(&problem),
    };
    let (data, document_type, expires_at, locator) = match &request {
        types::UploadDocumentRequest::Reference(r) => (
            &r.data,
            r.document_type,
            &r.expires_at,
            r.reference.user_locator.expose_str().to_owned(),
        ),
        types::UploadDocumentRequest::UserLocator(r) => (
            &r.data,
            r.document_type,
            &r.expires_at,
            r.user_locator.expose_str().to_owned(),
        ),
    };
    if data.bytes().is_empty() {
        return bad_request("data: must not be empty");
    }
    let Some(key) = state.key(&locator) else {
        return not_found("User not found");
    };
    let id = format!("doc_{}", env.ids.random(12));
    let document = json!({
        "id": id,
        "documentType": document_type.to_string(),
        "createdAt": now_iso(),
        "expiresAt": expires_at,
    });
    if let Some(user) = state.users.get_mut(&key) {
        user.documents.push(document_type.to_string());
    }
    state.documents.insert(
        id,
        Document {
            owner: key,
            answer: document.clone(),
        },
    );
    answer::<types::UserDocumentResponse>(StatusCode::CREATED, document)
}

/// `get_document`.
pub fn get_document(state: &State, call: &Call<'_>) -> Response {
    match state.documents.get(call.param("documentId")) {
        Some(document) => {
            answer::<types::UserDocumentResponse>(StatusCode::OK, document.answer.clone())
        }
        None => not_found("Document not found"),
    }
}

/// `trigger_identity_verification`: starts the check of every product whose data and documents are
/// complete, once the privacy policy is accepted.
pub fn trigger(env: &Env, secret: &str, state: &mut State, call: &Call<'_>) -> Response {
    let Some(key) = state.key(call.param("userLocator")) else {
        return not_found("User not found");
    };
    let Some(user) = state.users.get_mut(&key).filter(|u| u.record.is_some()) else {
        return not_found("User not found");
    };
    user.triggered = true;
    let mut changes = Vec::new();
    if user.privacy_policy_accepted() {
        for i in 0..PRODUCTS.len() {
            let (data, documents) = user.missing(i);
            if data.is_empty() && documents.is_empty() {
                changes.push(user.progress[i].start(&env.timing));
            }
        }
    }
    changed(env, secret, &key, user, &changes);
    eligibility(user)
}

/// `get_identity_verification`: a status read of every product's clock.
pub fn get_verification(env: &Env, secret: &str, state: &mut State, call: &Call<'_>) -> Response {
    let Some(key) = state.key(call.param("userLocator")) else {
        return not_found("User not found");
    };
    let Some(user) = state.users.get_mut(&key) else {
        return not_found("User not found");
    };
    let changes: Vec<Option<Change>> = user
        .progress
        .iter_mut()
        .map(|p| p.read(&env.timing))
        .collect();
    changed(env, secret, &key, user, &changes);
    eligibility(user)
}

/// Admin: sets the status of `customer` for `product` (all products when `None`).
pub fn set_status(
    env: &Env,
    secret: &str,
    state: &mut State,
    customer: &str,
    product: Option<&str>,
    status: SimStatus,
) -> Result<(), StatusError> {
    let key = state.find(customer).ok_or(StatusError::UnknownCustomer)?;
    let user = state
        .users
        .get_mut(&key)
        .ok_or(StatusError::UnknownCustomer)?;
    let indices: Vec<usize> = match product {
        None => (0..PRODUCTS.len()).collect(),
        Some(name) => vec![
            PRODUCTS
                .iter()
                .position(|p| p.as_str() == name)
                .ok_or(StatusError::UnknownProduct)?,
        ],
    };
    user.triggered = true;
    let changes: Vec<Option<Change>> = indices
        .into_iter()
        .map(|i| user.progress[i].set(status))
        .collect();
    changed(env, secret, &key, user, &changes);
    Ok(())
}

/// Applies a scripted outcome to the customer, if held.
pub fn rescript(state: &mut State, customer: &str, outcome: &Outcome) {
    if let Some(user) = state.find(customer).and_then(|k| state.users.get_mut(&k)) {
        for progress in &mut user.progress {
            progress.rescript(outcome);
        }
    }
}

/// The customer's status: the most advanced of its products' (verified wins, then rejected, …).
pub fn status(state: &State, customer: &str) -> Option<SimStatus> {
    let user = state.users.get(&state.find(customer)?)?;
    let order = [
        SimStatus::Verified,
        SimStatus::Rejected,
        SimStatus::RequiresData,
        SimStatus::Pending,
        SimStatus::NotStarted,
    ];
    order
        .into_iter()
        .find(|s| user.progress.iter().any(|p| p.status == *s))
}

/// Sends the customer's current eligibility as a webhook.
pub fn send_webhook(env: &Env, secret: &str, state: &State, customer: &str) -> bool {
    match state
        .find(customer)
        .and_then(|k| Some((state.users.get(&k)?, k)))
    {
        Some((user, key)) => {
            notify(env, secret, &key, user);
            true
        }
        None => false,
    }
}
