//! CryptoPocket's customers: the three registrations (hosted KYC link, delegated KYC, company), the
//! KYC check and the customer list; and CryptoPocket's envelope, business errors (HTTP 200) and KYC
//! statuses (pending `processing`, verified `valid`, rejected `fail`; CryptoPocket documents no status
//! asking for data, so a requires-data outcome stays `unused`).

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::Response;
use rampkit_cryptopocket::types;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::progress::{Change, Progress, SimStatus};
use crate::room::{Call, Env};
use crate::webhooks::{hmac_sha256, unix_seconds};
use crate::wire::answer;

/// The first customer id (the vendor's example id).
const FIRST_ID: i64 = 100_003_754;

/// A customer.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Customer {
    id: i64,
    kind: String,
    email: String,
    phone: Option<String>,
    name: Option<String>,
    last_name: Option<String>,
    /// The KYC clock.
    pub progress: Progress,
}

/// CryptoPocket's records: live tokens (forgotten on restart, as a client logs in again) and
/// customers.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct State {
    /// Token → expiry (ms since the epoch).
    #[serde(skip)]
    pub tokens: HashMap<String, u64>,
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
    /// The customer with this id, e-mail (without case) or phone.
    pub fn find(&mut self, customer: &str) -> Option<&mut Customer> {
        self.customers.iter_mut().find(|c| {
            c.id.to_string() == customer
                || c.email.eq_ignore_ascii_case(customer)
                || c.phone.as_deref() == Some(customer)
        })
    }

    fn holds(&self, email: &str, phone: Option<&str>) -> bool {
        self.customers.iter().any(|c| {
            c.email.eq_ignore_ascii_case(email) || (phone.is_some() && c.phone.as_deref() == phone)
        })
    }

    fn add(
        &mut self,
        env: &Env,
        kind: &str,
        email: String,
        phone: Option<String>,
    ) -> &mut Customer {
        let id = self.next_id;
        self.next_id += 1;
        let keys = [Some(email.as_str()), phone.as_deref()];
        let outcome = env.outcome(keys.into_iter().flatten());
        self.customers.push(Customer {
            id,
            kind: kind.to_owned(),
            email,
            phone,
            name: None,
            last_name: None,
            progress: Progress::new(outcome),
        });
        let last = self.customers.len() - 1;
        &mut self.customers[last]
    }
}

/// CryptoPocket's error envelope with `status` (HTTP 200 for business errors).
pub fn error(status: StatusCode, code: &str, message: &str) -> Response {
    answer::<types::ErrorResponse>(
        status,
        json!({ "status": types::ResponseStatus::Error.as_str(), "error": code, "message": message }),
    )
}

/// A business error: HTTP 200, as CryptoPocket sends them.
pub fn business(code: &str, message: &str) -> Response {
    error(StatusCode::OK, code, message)
}

fn ok<T: serde::de::DeserializeOwned>(data: Value) -> Response {
    answer::<T>(
        StatusCode::OK,
        json!({ "status": types::ResponseStatus::Ok.as_str(), "data": data }),
    )
}

fn kyc_status(status: SimStatus) -> types::KycStatus {
    match status {
        SimStatus::NotStarted | SimStatus::RequiresData => types::KycStatus::Unused,
        SimStatus::Pending => types::KycStatus::Processing,
        SimStatus::Verified => types::KycStatus::Valid,
        SimStatus::Rejected => types::KycStatus::Fail,
    }
}

/// `X-API-Key`, `X-Timestamp`, `X-Signature` = hex HMAC-SHA256(API secret, body ‖ timestamp).
pub fn sign(api_key: &str, api_secret: &str, body: &[u8]) -> Vec<(String, String)> {
    let now = unix_seconds();
    let digest = hmac_sha256(api_secret.as_bytes(), &[body, now.as_bytes()]);
    vec![
        ("X-API-Key".to_owned(), api_key.to_owned()),
        ("X-Timestamp".to_owned(), now),
        ("X-Signature".to_owned(), hex::encode(digest)),
    ]
}

/// CryptoPocket sets up its KYC webhooks on request and publishes neither names nor payloads; the
/// simulator sends `KYC_STATUS_UPDATED` with the customer id and the new `kyc_status` (a consumer
/// decodes it as an unsupported event).
pub fn notify(env: &Env, keys: (&str, &str), customer: &Customer) {
    let payload = json!({
        "type": "KYC_STATUS_UPDATED",
        "user_id": customer.id,
        "kyc_status": kyc_status(customer.progress.status).as_str(),
    });
    env.emit(&payload, |body| sign(keys.0, keys.1, body));
}

fn changed(env: &Env, keys: (&str, &str), customer: &Customer, change: Option<Change>) {
    if change.is_some() {
        notify(env, keys, customer);
    }
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

fn text(body: &Value, field: &str) -> Option<String> {
    body.get(field)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .map(str::to_owned)
}

/// The three registrations: `kind` is `PERSON` (hosted link or delegated KYC) or `COMPANY`.
pub fn register(
    env: &Env,
    keys: (&str, &str),
    state: &mut State,
    call: &Call<'_>,
    delegated: bool,
) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(call.body) else {
        return business("fail_mandatory_field", "the body is not valid JSON");
    };
    let email = text(&body, "email").unwrap_or_default();
    let phone = text(&body, "phone");
    let company = text(&body, "company_name");
    let duplicate = !email.is_empty() && state.holds(&email, phone.as_deref());
    env.registration(duplicate);
    if delegated {
        // Mandatory for CryptoPocket beyond the schema: non-blank values and a front image.
        let missing: Vec<&str> = [
            "email",
            "first_name",
            "last_name",
            "dob",
            "document_type",
            "document_number",
            "front",
        ]
        .into_iter()
        .filter(|f| text(&body, f).is_none())
        .collect();
        if !missing.is_empty() {
            return business(
                "fail_mandatory_field",
                &format!("Mandatory fields missing: {}", missing.join(", ")),
            );
        }
    }
    if duplicate {
        return business(
            "user_already_exists",
            "A customer with this email already exists",
        );
    }
    if !email.contains('@') {
        return business("email_not_allowed", "The email address is not allowed");
    }
    let kind = if company.is_some() || text(&body, "type").as_deref() == Some("COMPANY") {
        "COMPANY"
    } else {
        "PERSON"
    };
    let customer = state.add(env, kind, email, phone);
    customer.name = company
        .clone()
        .or_else(|| text(&body, "first_name"))
        .or_else(|| text(&body, "name"));
    customer.last_name = text(&body, "last_name");
    // The customer fills in the hosted form (or the KYC is delegated): the check starts at once.
    let change = customer.progress.start(&env.timing);
    changed(env, keys, customer, change);
    let id = customer.id;
    if company.is_some() {
        let uuid = env.ids.uuid();
        return ok::<types::RegisterCompanyResponse>(json!({
            "id": id,
            "uuid": uuid,
            "kyb_link": format!("https://kyb.cryptopocket.test/{uuid}"),
            "password": env.ids.random(12),
        }));
    }
    if !delegated {
        return ok::<types::RegisterUserResponse>(json!({
            "id": id,
            "kyc_form_url": format!("https://kyc.cryptopocket.test/form/{}", env.ids.random(24)),
        }));
    }
    let gender = text(&body, "gender")
        .and_then(|g| g.chars().next())
        .map(|c| c.to_ascii_uppercase().to_string());
    ok::<types::RegisterUserKycDelegatedResponse>(json!({
        "id": id,
        "email": body.get("email"),
        "name": body.get("first_name"),
        "last_name": body.get("last_name"),
        "phone": body.get("phone"),
        "country": text(&body, "residence_country").map(|c| country_name(&c)),
        "dob": text(&body, "dob").map(|d| format!("{d} 00:00:00")),
        "gender": gender,
        "identification_type": body.get("document_type"),
        "identification_number": body.get("document_number"),
        "kyc_valid": customer_verified(state, id),
    }))
}

fn customer_verified(state: &State, id: i64) -> bool {
    state
        .customers
        .iter()
        .any(|c| c.id == id && c.progress.status == SimStatus::Verified)
}

/// `check_kyc`: a status read.
pub fn check_kyc(env: &Env, keys: (&str, &str), state: &mut State, call: &Call<'_>) -> Response {
    let Some(user_id) = call
        .query
        .get("user_id")
        .and_then(|v| v.parse::<i64>().ok())
    else {
        return business("fail_mandatory_field", "user_id: required, an integer");
    };
    let Some(customer) = state.customers.iter_mut().find(|c| c.id == user_id) else {
        return business("user_not_found", "No customer with this user_id");
    };
    let change = customer.progress.read(&env.timing);
    changed(env, keys, customer, change);
    ok::<types::CheckKycResponse>(json!({
        "kyc_status": kyc_status(customer.progress.status).as_str(),
    }))
}

/// `list_customers`: one page with every customer.
pub fn list(state: &State) -> Response {
    let customers: Vec<Value> = state
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
    ok::<types::ListCustomersResponse>(json!({
        "current_page": 1,
        "per_page": total.max(1),
        "total": total,
        "last_page": 1,
        "data": customers,
    }))
}
