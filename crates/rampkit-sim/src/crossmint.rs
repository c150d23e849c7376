//! Crossmint Users / KYC API (`/crossmint`): legal documents, upsert and get user, upload and get
//! document, trigger and get identity verification, with per-product eligibility.
//!
//! - Auth: `X-API-KEY` must be the configured key, else HTTP 401 `{"error": true, "message": …}`.
//! - Upsert (PUT) replaces the whole record and is idempotent: 201 when the user is created, 200 after.
//! - Eligibility, per product, once verification is triggered: a product first needs its data sections
//!   and documents (below); with something missing it is `requires-data` with `missingData` /
//!   `missingDocuments`; without the privacy policy accepted it is `pending-privacy-policy`; otherwise it
//!   is `pending-review` and then the customer's scenario (see the README) after the configured number of
//!   status reads.
//!
//! | product | data sections | documents |
//! |---|---|---|
//! | `onramp-light` | user-details | — |
//! | `onramp` | user-details, kyc-data | — |
//! | `offramp` | user-details, kyc-data, verification-history | `id` (unless the identity document is an SSN) |
//! | `regulated-transfer` | user-details, kyc-data, verification-history, due-diligence | `id` (same) |

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as AxumState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rampkit_crossmint::operations as ops;
use rampkit_crossmint::types;

use crate::config::Vendor;
use crate::state::{Change, Progress, Scenario, Shared, SimStatus, lock, now_iso, random_id};
use crate::wire::{decode, json, ok};
use crate::{route, webhooks};

const VENDOR: Vendor = Vendor::Crossmint;

/// The products, in the order the answers list them.
const PRODUCTS: [types::ProductType; 4] = [
    types::ProductType::Onramp,
    types::ProductType::OnrampLight,
    types::ProductType::Offramp,
    types::ProductType::RegulatedTransfer,
];

struct User {
    id: String,
    record: Option<types::UpsertUserRequest>,
    legal: Vec<(types::LegalDocumentType, String)>,
    documents: Vec<types::DocumentType>,
    triggered: bool,
    /// One clock per product (index into `PRODUCTS`).
    progress: [Progress; 4],
}

impl User {
    fn new() -> Self {
        Self {
            id: format!("usr_{}", random_id(16)),
            record: None,
            legal: Vec::new(),
            documents: Vec::new(),
            triggered: false,
            progress: std::array::from_fn(|_| Progress::new(Scenario::Verify)),
        }
    }

    fn email(&self) -> Option<&str> {
        self.record
            .as_ref()?
            .kyc_data
            .as_ref()?
            .email
            .as_ref()
            .map(|e| e.expose_str())
    }

    fn phone(&self) -> Option<&str> {
        self.record
            .as_ref()?
            .kyc_data
            .as_ref()?
            .phone_number
            .as_ref()
            .map(|p| p.expose_str())
    }

    fn has_id_document(&self) -> bool {
        use types::DocumentType as D;
        let front_and_back =
            self.documents.contains(&D::IdIdcardFront) && self.documents.contains(&D::IdIdcardBack);
        let ssn = self
            .record
            .as_ref()
            .and_then(|r| r.kyc_data.as_ref())
            .and_then(|k| k.identity_document.as_ref())
            .and_then(|d| d.type_.as_deref())
            .is_some_and(|t| t.eq_ignore_ascii_case("ssn"));
        ssn || front_and_back
            || self
                .documents
                .iter()
                .any(|d| matches!(d, D::IdPassport | D::IdResidencyPermit | D::IdSsn))
    }

    /// What `product` still lacks: data sections and document categories.
    fn missing(&self, product: usize) -> (Vec<types::MissingData>, Vec<types::MissingDocument>) {
        let record = self.record.clone().unwrap_or_default();
        let mut data = Vec::new();
        let mut documents = Vec::new();
        if record.user_details.is_none() {
            data.push(types::MissingData::UserDetails);
        }
        let onramp_light = product == 1;
        if !onramp_light && record.kyc_data.is_none() {
            data.push(types::MissingData::KycData);
        }
        let needs_history = product >= 2;
        if needs_history && record.verification_history.is_none() {
            data.push(types::MissingData::VerificationHistory);
        }
        if product == 3 && record.due_diligence.is_none() {
            data.push(types::MissingData::DueDiligence);
        }
        if needs_history && !self.has_id_document() {
            documents.push(types::MissingDocument::Id);
        }
        (data, documents)
    }

    fn privacy_policy_accepted(&self) -> bool {
        self.legal
            .iter()
            .any(|(t, _)| *t == types::LegalDocumentType::CrossmintPrivacyPolicy)
    }

    fn eligibility(&self) -> types::IdentityVerificationResponse {
        let eligibility = PRODUCTS
            .iter()
            .enumerate()
            .map(|(i, product)| {
                let mut entry = types::Eligibility {
                    failure_reasons: Vec::new(),
                    missing_data: Vec::new(),
                    missing_documents: Vec::new(),
                    status: types::EligibilityStatus::NotStarted,
                    type_: product.clone(),
                };
                if !self.triggered {
                    return entry;
                }
                // An admin's status wins over the data rules.
                let pinned = self.progress[i].is_pinned();
                if !pinned && !self.privacy_policy_accepted() {
                    entry.status = types::EligibilityStatus::PendingPrivacyPolicy;
                    return entry;
                }
                let (data, documents) = self.missing(i);
                if !pinned && (!data.is_empty() || !documents.is_empty()) {
                    entry.status = types::EligibilityStatus::RequiresData;
                    entry.missing_data = data;
                    entry.missing_documents = documents;
                    return entry;
                }
                entry.status = match self.progress[i].status {
                    SimStatus::NotStarted => types::EligibilityStatus::NotStarted,
                    SimStatus::Pending => types::EligibilityStatus::PendingReview,
                    SimStatus::Verified => types::EligibilityStatus::Verified,
                    SimStatus::Rejected => types::EligibilityStatus::Rejected,
                    SimStatus::RequiresData => {
                        entry.missing_documents = vec![types::MissingDocument::ProofOfAddress];
                        types::EligibilityStatus::RequiresData
                    }
                };
                entry
            })
            .collect();
        types::IdentityVerificationResponse { eligibility }
    }
}

/// Crossmint's users and documents.
#[derive(Default)]
pub struct State {
    users: HashMap<String, User>,
    /// Document id → (owner's locator, metadata).
    documents: HashMap<String, (String, types::UserDocumentResponse)>,
}

impl State {
    /// The key of the user named by `locator`: the locator itself, or the user whose e-mail or phone an
    /// `email:` / `phoneNumber:` locator names.
    fn key(&self, locator: &str) -> Option<String> {
        if self.users.contains_key(locator) {
            return Some(locator.to_owned());
        }
        if let Some(email) = locator.strip_prefix("email:") {
            return self
                .users
                .iter()
                .find(|(_, u)| u.email() == Some(email))
                .map(|(k, _)| k.clone());
        }
        if let Some(phone) = locator.strip_prefix("phoneNumber:") {
            return self
                .users
                .iter()
                .find(|(_, u)| u.phone() == Some(phone))
                .map(|(k, _)| k.clone());
        }
        None
    }
}

/// A Crossmint error body (`{error: true, message, code?}`).
pub fn error(status: StatusCode, code: &str, message: &str) -> Response {
    json(
        status,
        &types::ErrorResponse {
            code: Some(code.to_owned()),
            error: Some(true),
            message: Some(message.to_owned()),
            ..Default::default()
        },
    )
}

fn bad_request(problem: String) -> Response {
    error(StatusCode::BAD_REQUEST, "invalid_request", &problem)
}

fn not_found(what: &str) -> Response {
    error(StatusCode::NOT_FOUND, "not_found", what)
}

fn authorize(shared: &Shared, headers: &HeaderMap) -> Option<Response> {
    let key = headers.get("x-api-key").and_then(|v| v.to_str().ok());
    if key == Some(shared.config.credentials.crossmint_api_key.as_str()) {
        None
    } else {
        Some(error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Unauthorized: missing or invalid X-API-KEY",
        ))
    }
}

fn start(shared: &Arc<Shared>, operation: &str, headers: &HeaderMap) -> Option<Response> {
    shared.counters.operation(VENDOR, operation);
    authorize(shared, headers)
}

pub fn router(shared: Arc<Shared>) -> Router {
    let r = Router::new();
    let r = route(r, &ops::ACCEPT_LEGAL_DOCUMENT, accept_legal_document);
    let r = route(r, &ops::UPSERT_USER, upsert_user);
    let r = route(r, &ops::GET_USER, get_user);
    let r = route(r, &ops::UPLOAD_DOCUMENT, upload_document);
    let r = route(r, &ops::GET_DOCUMENT, get_document);
    let r = route(r, &ops::TRIGGER_IDENTITY_VERIFICATION, trigger);
    let r = route(r, &ops::GET_IDENTITY_VERIFICATION, get_verification);
    r.with_state(shared)
}

async fn accept_legal_document(
    AxumState(shared): AxumState<Arc<Shared>>,
    Path(locator): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(r) = start(&shared, ops::ACCEPT_LEGAL_DOCUMENT.id, &headers) {
        return r;
    }
    let request: types::AcceptLegalDocumentRequest = match decode(&body) {
        Ok(r) => r,
        Err(problem) => return bad_request(problem),
    };
    if !request.accepted_at.ends_with('Z') {
        return bad_request("acceptedAt: must be an ISO 8601 UTC date-time ending in Z".into());
    }
    if request.type_ == types::LegalDocumentType::CrossmintTermsOfService
        && request.region.is_none()
    {
        return bad_request("region: required for crossmint-terms-of-service".into());
    }
    let mut state = lock(&shared.crossmint);
    let key = state.key(&locator).unwrap_or_else(|| locator.clone());
    let user = state.users.entry(key).or_insert_with(User::new);
    user.legal.retain(|(t, _)| *t != request.type_);
    user.legal
        .push((request.type_, request.accepted_at.clone()));
    ok(&types::AcceptLegalDocumentResponse {
        accepted_at: request.accepted_at,
    })
}

async fn upsert_user(
    AxumState(shared): AxumState<Arc<Shared>>,
    Path(locator): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(r) = start(&shared, ops::UPSERT_USER.id, &headers) {
        return r;
    }
    let request: types::UpsertUserRequest = match decode(&body) {
        Ok(r) => r,
        Err(problem) => {
            shared.counters.registration(VENDOR, false);
            return bad_request(problem);
        }
    };
    let email = request
        .kyc_data
        .as_ref()
        .and_then(|k| k.email.as_ref())
        .map(|e| e.expose_str().to_owned());
    let phone = request
        .kyc_data
        .as_ref()
        .and_then(|k| k.phone_number.as_ref())
        .map(|p| p.expose_str().to_owned());
    let mut state = lock(&shared.crossmint);
    let key = state.key(&locator).unwrap_or_else(|| locator.clone());
    let held_elsewhere = state.users.iter().any(|(k, u)| {
        *k != key
            && u.record.is_some()
            && ((email.is_some() && u.email() == email.as_deref())
                || (phone.is_some() && u.phone() == phone.as_deref()))
    });
    let user = state.users.entry(key).or_insert_with(User::new);
    let created = user.record.is_none();
    shared
        .counters
        .registration(VENDOR, !created || held_elsewhere);
    let scenario = Scenario::from_identifier(email.as_deref().unwrap_or(&locator));
    for progress in &mut user.progress {
        if progress.status == SimStatus::NotStarted {
            progress.scenario = scenario;
        }
    }
    user.record = Some(request);
    let answer = user_response(user);
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    json(status, &answer)
}

fn user_response(user: &User) -> types::UserResponse {
    let record = user.record.clone().unwrap_or_default();
    types::UserResponse {
        due_diligence: record.due_diligence.is_some(),
        email: record.kyc_data.as_ref().and_then(|k| k.email.clone()),
        kyc_data: record.kyc_data.is_some(),
        legal_documents: user
            .legal
            .iter()
            .map(|(t, at)| types::LegalDocument {
                accepted_at: Some(at.clone()),
                is_valid_version: Some(true),
                type_: Some(types::LegalDocumentTypeValue::from(t.to_string())),
                ..Default::default()
            })
            .collect(),
        phone_number: record
            .kyc_data
            .as_ref()
            .and_then(|k| k.phone_number.clone()),
        user_details: record.user_details.is_some(),
        user_id: Some(user.id.clone()),
        verification_history: record.verification_history.is_some(),
    }
}

async fn get_user(
    AxumState(shared): AxumState<Arc<Shared>>,
    Path(locator): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = start(&shared, ops::GET_USER.id, &headers) {
        return r;
    }
    let state = lock(&shared.crossmint);
    match state.key(&locator).and_then(|k| state.users.get(&k)) {
        Some(user) if user.record.is_some() => ok(&user_response(user)),
        _ => not_found("User not found"),
    }
}

async fn upload_document(
    AxumState(shared): AxumState<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(r) = start(&shared, ops::UPLOAD_DOCUMENT.id, &headers) {
        return r;
    }
    let request: types::UploadDocumentRequest = match decode(&body) {
        Ok(r) => r,
        Err(problem) => return bad_request(problem),
    };
    // The owner is named either way the vendor accepts: `reference.userLocator` or a flat `userLocator`.
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
        return bad_request("data: must not be empty".into());
    }
    let mut state = lock(&shared.crossmint);
    let Some(key) = state.key(&locator) else {
        return not_found("User not found");
    };
    let id = format!("doc_{}", random_id(12));
    let answer = types::UserDocumentResponse {
        created_at: Some(now_iso()),
        document_type: Some(types::DocumentTypeValue::from(document_type.to_string())),
        expires_at: expires_at.clone(),
        id: Some(id.clone()),
        ..Default::default()
    };
    if let Some(user) = state.users.get_mut(&key) {
        user.documents.push(document_type);
    }
    state.documents.insert(id, (key, answer.clone()));
    json(StatusCode::CREATED, &answer)
}

async fn get_document(
    AxumState(shared): AxumState<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = start(&shared, ops::GET_DOCUMENT.id, &headers) {
        return r;
    }
    let state = lock(&shared.crossmint);
    match state.documents.get(&id) {
        Some((_, document)) => ok(document),
        None => not_found("Document not found"),
    }
}

fn changed(shared: &Arc<Shared>, locator: &str, user: &User, changes: &[Option<Change>]) {
    if changes.iter().any(Option::is_some) {
        webhooks::emit(shared, VENDOR, webhook_payload(locator, user));
    }
}

/// The status-change webhook: Crossmint publishes no KYC event, so the simulator names it
/// `users.verification.updated` (a consumer decodes it as an unsupported event) and sends the
/// eligibility list the get call would answer.
fn webhook_payload(locator: &str, user: &User) -> serde_json::Value {
    serde_json::json!({
        "type": "users.verification.updated",
        "data": {
            "userLocator": locator,
            "userId": user.id,
            "eligibility": user.eligibility().eligibility,
        }
    })
}

async fn trigger(
    AxumState(shared): AxumState<Arc<Shared>>,
    Path(locator): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = start(&shared, ops::TRIGGER_IDENTITY_VERIFICATION.id, &headers) {
        return r;
    }
    let mut state = lock(&shared.crossmint);
    let Some(key) = state.key(&locator) else {
        return not_found("User not found");
    };
    let Some(user) = state.users.get_mut(&key) else {
        return not_found("User not found");
    };
    if user.record.is_none() {
        return not_found("User not found");
    }
    user.triggered = true;
    let mut changes = Vec::new();
    if user.privacy_policy_accepted() {
        for i in 0..PRODUCTS.len() {
            let (data, documents) = user.missing(i);
            if data.is_empty() && documents.is_empty() {
                changes.push(user.progress[i].start(&shared.config));
            }
        }
    }
    changed(&shared, &key, user, &changes);
    ok(&user.eligibility())
}

async fn get_verification(
    AxumState(shared): AxumState<Arc<Shared>>,
    Path(locator): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Some(r) = start(&shared, ops::GET_IDENTITY_VERIFICATION.id, &headers) {
        return r;
    }
    let mut state = lock(&shared.crossmint);
    let Some(key) = state.key(&locator) else {
        return not_found("User not found");
    };
    let Some(user) = state.users.get_mut(&key) else {
        return not_found("User not found");
    };
    let changes: Vec<Option<Change>> = user
        .progress
        .iter_mut()
        .map(|p| p.read(&shared.config))
        .collect();
    changed(&shared, &key, user, &changes);
    ok(&user.eligibility())
}

/// Admin: sets the status of `customer` (a locator, e-mail or phone) for `product` (all products when
/// `None`). Returns whether the customer exists and the product is known.
pub fn set_status(
    shared: &Arc<Shared>,
    customer: &str,
    product: Option<&str>,
    status: SimStatus,
) -> bool {
    let mut state = lock(&shared.crossmint);
    let key = state
        .key(customer)
        .or_else(|| state.key(&format!("email:{customer}")))
        .or_else(|| state.key(&format!("phoneNumber:{customer}")));
    let Some(key) = key else {
        return false;
    };
    let Some(user) = state.users.get_mut(&key) else {
        return false;
    };
    let indices: Vec<usize> = match product {
        None => (0..PRODUCTS.len()).collect(),
        Some(name) => match PRODUCTS.iter().position(|p| p.as_str() == name) {
            Some(i) => vec![i],
            None => return false,
        },
    };
    user.triggered = true;
    let changes: Vec<Option<Change>> = indices
        .into_iter()
        .map(|i| user.progress[i].set(status))
        .collect();
    changed(shared, &key, user, &changes);
    true
}
