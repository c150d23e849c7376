//! CryptoPocket (`/cryptopocket`): authenticate, create customer (hosted KYC link), create customer with
//! delegated KYC, create company customer, KYC check, list customers.
//!
//! - Auth: `POST /authenticate` with the configured key and secret answers `{"status": "ok", "data":
//!   {"token"}}`; every other call needs that token in the `auth` header until it expires. A missing,
//!   unknown or expired token — and a wrong key or secret at login — is HTTP 200 `{"status": "error",
//!   "error": "authorization_incorrect"}`.
//! - Business errors come with HTTP 200, as CryptoPocket sends them: a body that does not decode, or a
//!   delegated-KYC registration without one of `email`, `first_name`, `last_name`, `dob`,
//!   `document_type`, `document_number`, `front` → `fail_mandatory_field` (the message names the
//!   fields); an e-mail already registered → `user_already_exists`; an unknown `user_id` →
//!   `user_not_found`.
//! - KYC statuses: pending `processing`; verified `valid`; rejected `fail`. CryptoPocket documents no
//!   status asking for data, so the requires-data scenario stays `unused`.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State as AxumState};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rampkit_cryptopocket::operations as ops;
use rampkit_cryptopocket::types;
use rampkit_runtime::Pii;
use serde_json::json;

use crate::config::Vendor;
use crate::state::{Change, Progress, Scenario, Shared, SimStatus, lock, random_id};
use crate::wire::{decode, json, ok};
use crate::{route, webhooks};

const VENDOR: Vendor = Vendor::CryptoPocket;

/// The first customer id (the vendor's example id).
const FIRST_ID: i64 = 100_003_754;

struct Customer {
    id: i64,
    kind: &'static str,
    email: String,
    phone: Option<String>,
    name: Option<String>,
    last_name: Option<String>,
    progress: Progress,
}

/// CryptoPocket's tokens and customers.
pub struct State {
    tokens: HashMap<String, Instant>,
    customers: Vec<Customer>,
    next_id: i64,
}

impl Default for State {
    fn default() -> Self {
        Self {
            tokens: HashMap::new(),
            customers: Vec::new(),
            next_id: FIRST_ID,
        }
    }
}

impl State {
    fn find(&self, customer: &str) -> Option<usize> {
        self.customers.iter().position(|c| {
            c.id.to_string() == customer
                || c.email.eq_ignore_ascii_case(customer)
                || c.phone.as_deref() == Some(customer)
        })
    }

    /// Ids are given out in order from `FIRST_ID`, so the id is the index.
    fn customer_mut(&mut self, id: i64) -> Option<&mut Customer> {
        let index = usize::try_from(id.checked_sub(FIRST_ID)?).ok()?;
        self.customers.get_mut(index)
    }

    fn holds(&self, email: &str, phone: Option<&str>) -> bool {
        self.customers.iter().any(|c| {
            c.email.eq_ignore_ascii_case(email) || (phone.is_some() && c.phone.as_deref() == phone)
        })
    }

    fn add(&mut self, kind: &'static str, email: String, phone: Option<String>) -> &mut Customer {
        let id = self.next_id;
        self.next_id += 1;
        let scenario = Scenario::from_identifier(&email);
        self.customers.push(Customer {
            id,
            kind,
            email,
            phone,
            name: None,
            last_name: None,
            progress: Progress::new(scenario),
        });
        self.customers.last_mut().expect("just pushed")
    }
}

/// CryptoPocket's business-error envelope, with `status` (HTTP 200 for business errors).
pub fn error(status: StatusCode, code: &str, message: &str) -> Response {
    json(
        status,
        &types::ErrorResponse {
            data: None,
            error: Some(types::ErrorCode::from(code)),
            errors: HashMap::new(),
            message: Some(message.to_owned()),
            status: Some(types::ResponseStatus::Error),
            ..Default::default()
        },
    )
}

fn business(code: &str, message: &str) -> Response {
    error(StatusCode::OK, code, message)
}

fn start(shared: &Shared, operation: &str, headers: &HeaderMap) -> Option<Response> {
    shared.counters.operation(VENDOR, operation);
    let token = headers.get("auth").and_then(|v| v.to_str().ok());
    let state = lock(&shared.cryptopocket);
    match token.and_then(|t| state.tokens.get(t)) {
        Some(expires) if Instant::now() < *expires => None,
        _ => Some(business(
            "authorization_incorrect",
            "The auth token is missing, unknown or expired",
        )),
    }
}

pub fn router(shared: Arc<Shared>) -> Router {
    let r = Router::new();
    let r = route(r, &ops::AUTHENTICATE, authenticate);
    let r = route(r, &ops::REGISTER_USER_KYC_DELEGATED, register_delegated);
    let r = route(r, &ops::REGISTER_USER, register_user);
    let r = route(r, &ops::REGISTER_COMPANY, register_company);
    let r = route(r, &ops::CHECK_KYC, check_kyc);
    let r = route(r, &ops::LIST_CUSTOMERS, list_customers);
    r.with_state(shared)
}

async fn authenticate(AxumState(shared): AxumState<Arc<Shared>>, body: Bytes) -> Response {
    shared.counters.operation(VENDOR, ops::AUTHENTICATE.id);
    let request: types::AuthenticateRequest = match decode(&body) {
        Ok(r) => r,
        Err(problem) => return business("fail_mandatory_field", &problem),
    };
    let credentials = &shared.config.credentials;
    if request.api_key.expose_str() != credentials.cryptopocket_api_key
        || request.api_secret.expose_str() != credentials.cryptopocket_api_secret
    {
        return business("authorization_incorrect", "Wrong API key or secret");
    }
    let token = random_id(31);
    let ttl = Duration::from_secs(shared.config.cryptopocket_token_ttl_secs);
    let mut state = lock(&shared.cryptopocket);
    let now = Instant::now();
    state.tokens.retain(|_, expires| *expires > now);
    state.tokens.insert(token.clone(), now + ttl);
    ok(&types::AuthenticateResponse {
        data: Some(Pii::new(json!({ "token": token }))),
        error: None,
        message: None,
        status: Some(types::ResponseStatus::Ok),
        ..Default::default()
    })
}

/// Spanish country names, as CryptoPocket answers them (a few; other codes are answered as sent).
fn country_name(code: &str) -> String {
    match code {
        "ES" => "España",
        "MX" => "México",
        "US" => "Estados Unidos",
        "AR" => "Argentina",
        "CO" => "Colombia",
        "CL" => "Chile",
        "PE" => "Perú",
        "FR" => "Francia",
        "DE" => "Alemania",
        "IT" => "Italia",
        "PT" => "Portugal",
        other => other,
    }
    .to_owned()
}

fn kyc_status(status: SimStatus) -> types::KycStatus {
    match status {
        SimStatus::NotStarted | SimStatus::RequiresData => types::KycStatus::Unused,
        SimStatus::Pending => types::KycStatus::Processing,
        SimStatus::Verified => types::KycStatus::Valid,
        SimStatus::Rejected => types::KycStatus::Fail,
    }
}

async fn register_delegated(
    AxumState(shared): AxumState<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(r) = start(&shared, ops::REGISTER_USER_KYC_DELEGATED.id, &headers) {
        return r;
    }
    let request: types::RegisterUserKycDelegatedRequest = match decode(&body) {
        Ok(r) => r,
        Err(problem) => {
            shared.counters.registration(VENDOR, false);
            return business("fail_mandatory_field", &problem);
        }
    };
    let present = |v: Option<&str>| v.is_some_and(|s| !s.trim().is_empty());
    let pii = |v: &Option<Pii>| v.as_ref().map(|p| p.expose_str().to_owned());
    let mut missing = Vec::new();
    for (field, value) in [
        ("email", pii(&request.email)),
        ("first_name", pii(&request.first_name)),
        ("last_name", pii(&request.last_name)),
        ("dob", pii(&request.dob)),
        ("document_type", request.document_type.clone()),
        ("document_number", pii(&request.document_number)),
    ] {
        if !present(value.as_deref()) {
            missing.push(field);
        }
    }
    if request.front.as_ref().is_none_or(|f| f.bytes().is_empty()) {
        missing.push("front");
    }
    let email = pii(&request.email).unwrap_or_default();
    let phone = pii(&request.phone);
    let mut state = lock(&shared.cryptopocket);
    let duplicate = !email.is_empty() && state.holds(&email, phone.as_deref());
    shared.counters.registration(VENDOR, duplicate);
    if !missing.is_empty() {
        return business(
            "fail_mandatory_field",
            &format!("Mandatory fields missing: {}", missing.join(", ")),
        );
    }
    if duplicate {
        return business(
            "user_already_exists",
            "A customer with this email already exists",
        );
    }
    let kind = if request.type_.as_deref() == Some("COMPANY") {
        "COMPANY"
    } else {
        "PERSON"
    };
    let customer = state.add(kind, email, phone);
    customer.name = pii(&request.first_name);
    customer.last_name = pii(&request.last_name);
    let change = customer.progress.start(&shared.config);
    let data = types::DelegatedKycCustomer {
        country: request
            .residence_country
            .as_ref()
            .map(|c| Pii::new(country_name(c.expose_str()))),
        dob: request
            .dob
            .as_ref()
            .map(|d| Pii::new(format!("{} 00:00:00", d.expose_str()))),
        email: request.email.clone(),
        gender: request.gender.as_ref().map(|g| {
            Pii::new(
                g.expose_str()
                    .chars()
                    .next()
                    .map(|c| c.to_ascii_uppercase().to_string())
                    .unwrap_or_default(),
            )
        }),
        id: Some(customer.id),
        identification_number: request.document_number.clone(),
        identification_type: request.document_type.clone(),
        kyc_valid: Some(customer.progress.status == SimStatus::Verified),
        last_name: request.last_name.clone(),
        name: request.first_name.clone(),
        phone: request.phone.clone(),
        ..Default::default()
    };
    let (id, status) = (customer.id, customer.progress.status);
    drop(state);
    notify(&shared, id, status, change);
    ok(&types::RegisterUserKycDelegatedResponse {
        data: Some(data),
        error: None,
        message: None,
        status: types::ResponseStatus::Ok,
    })
}

async fn register_user(
    AxumState(shared): AxumState<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(r) = start(&shared, ops::REGISTER_USER.id, &headers) {
        return r;
    }
    let request: types::RegisterUserRequest = match decode(&body) {
        Ok(r) => r,
        Err(problem) => {
            shared.counters.registration(VENDOR, false);
            return business("fail_mandatory_field", &problem);
        }
    };
    let email = request.email.expose_str().to_owned();
    // The published registration has no phone (the spec removed the guessed fields): e-mail only.
    let phone: Option<String> = None;
    let mut state = lock(&shared.cryptopocket);
    let duplicate = state.holds(&email, phone.as_deref());
    shared.counters.registration(VENDOR, duplicate);
    if duplicate {
        return business(
            "user_already_exists",
            "A customer with this email already exists",
        );
    }
    let customer = state.add("PERSON", email, phone);
    customer.name = Some(request.name.expose_str().to_owned());
    // The customer fills in the hosted form: the check starts at once in the simulator.
    let change = customer.progress.start(&shared.config);
    let (id, status) = (customer.id, customer.progress.status);
    drop(state);
    notify(&shared, id, status, change);
    ok(&types::RegisterUserResponse {
        data: Some(types::RegisterUserData {
            id: Some(id),
            kyc_form_url: Some(Pii::new(format!(
                "https://kyc.cryptopocket.test/form/{}",
                random_id(24)
            ))),
            ..Default::default()
        }),
        error: None,
        message: None,
        status: Some(types::ResponseStatus::Ok),
        ..Default::default()
    })
}

async fn register_company(
    AxumState(shared): AxumState<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(r) = start(&shared, ops::REGISTER_COMPANY.id, &headers) {
        return r;
    }
    let request: types::RegisterCompanyRequest = match decode(&body) {
        Ok(r) => r,
        Err(problem) => {
            shared.counters.registration(VENDOR, false);
            return business("fail_mandatory_field", &problem);
        }
    };
    let email = request.email.expose_str().to_owned();
    let mut state = lock(&shared.cryptopocket);
    let duplicate = state.holds(&email, None);
    shared.counters.registration(VENDOR, duplicate);
    if duplicate {
        return business(
            "user_already_exists",
            "A customer with this email already exists",
        );
    }
    if !email.contains('@') {
        return business("email_not_allowed", "The email address is not allowed");
    }
    let customer = state.add("COMPANY", email, None);
    customer.name = Some(request.company_name.expose_str().to_owned());
    let change = customer.progress.start(&shared.config);
    let (id, status) = (customer.id, customer.progress.status);
    drop(state);
    notify(&shared, id, status, change);
    let uuid = random_id(32);
    ok(&types::RegisterCompanyResponse {
        data: Some(types::RegisterCompanyData {
            id: Some(id),
            kyb_link: Some(Pii::new(format!("https://kyb.cryptopocket.test/{uuid}"))),
            password: Some(Pii::new(random_id(12))),
            uuid: Some(uuid),
            ..Default::default()
        }),
        error: None,
        message: None,
        status: types::ResponseStatus::Ok,
    })
}

async fn check_kyc(
    AxumState(shared): AxumState<Arc<Shared>>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(r) = start(&shared, ops::CHECK_KYC.id, &headers) {
        return r;
    }
    let Some(user_id) = query.get("user_id").and_then(|v| v.parse::<i64>().ok()) else {
        return business("fail_mandatory_field", "user_id: required, an integer");
    };
    let mut state = lock(&shared.cryptopocket);
    let Some(customer) = state.customer_mut(user_id) else {
        return business("user_not_found", "No customer with this user_id");
    };
    let change = customer.progress.read(&shared.config);
    let status = customer.progress.status;
    drop(state);
    notify(&shared, user_id, status, change);
    ok(&types::CheckKycResponse {
        data: Some(types::CheckKycData {
            kyc_status: Some(kyc_status(status)),
            ..Default::default()
        }),
        error: None,
        kyc_status: None,
        message: None,
        status: Some(types::ResponseStatus::Ok),
        ..Default::default()
    })
}

async fn list_customers(AxumState(shared): AxumState<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Some(r) = start(&shared, ops::LIST_CUSTOMERS.id, &headers) {
        return r;
    }
    let state = lock(&shared.cryptopocket);
    let customers: Vec<serde_json::Value> = state
        .customers
        .iter()
        .map(|c| {
            json!({
                "id": c.id,
                "type": c.kind,
                "email": c.email,
                "phone": c.phone,
                "name": c.name,
                "last_name": c.last_name,
                "kyc_status": kyc_status(c.progress.status).as_str(),
            })
        })
        .collect();
    let total = customers.len();
    ok(&types::ListCustomersResponse {
        data: Some(Pii::new(json!({
            "current_page": 1,
            "per_page": total.max(1),
            "total": total,
            "last_page": 1,
            "data": customers,
        }))),
        error: None,
        message: None,
        status: Some(types::ResponseStatus::Ok),
        ..Default::default()
    })
}

/// CryptoPocket sets up its KYC webhooks on request and does not publish their names or payloads; the
/// simulator sends `KYC_STATUS_UPDATED` with the customer id and the new `kyc_status` (a consumer
/// decodes it as an unsupported event).
fn notify(shared: &Arc<Shared>, user_id: i64, status: SimStatus, change: Option<Change>) {
    if change.is_none() {
        return;
    }
    webhooks::emit(
        shared,
        VENDOR,
        json!({
            "type": "KYC_STATUS_UPDATED",
            "user_id": user_id,
            "kyc_status": kyc_status(status).as_str(),
        }),
    );
}

/// Admin: sets the status of `customer` (id, e-mail or phone).
pub fn set_status(shared: &Arc<Shared>, customer: &str, status: SimStatus) -> bool {
    let mut state = lock(&shared.cryptopocket);
    let Some(index) = state.find(customer) else {
        return false;
    };
    let c = &mut state.customers[index];
    let change = c.progress.set(status);
    let id = c.id;
    drop(state);
    notify(shared, id, status, change);
    true
}
