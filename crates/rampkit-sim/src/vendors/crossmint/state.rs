//! Crossmint's records: users (the upserted record as sent, consents, documents, one verification
//! clock per product), documents, orders and payment methods; and Crossmint's error shape.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::Response;
use rampkit_crossmint::types;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::progress::{Outcome, Progress, SimStatus};

/// The products, in the order the answers list them.
pub const PRODUCTS: [types::ProductType; 4] = [
    types::ProductType::Onramp,
    types::ProductType::OnrampLight,
    types::ProductType::Offramp,
    types::ProductType::RegulatedTransfer,
];

/// Index of `onramp-light` in [`PRODUCTS`] (needs user details only).
const ONRAMP_LIGHT: usize = 1;
/// Index of `offramp` in [`PRODUCTS`] (needs the verification history and an ID document).
const OFFRAMP: usize = 2;
/// Index of `regulated-transfer` in [`PRODUCTS`] (as offramp, and due diligence).
const REGULATED_TRANSFER: usize = 3;

/// The data sections a product can miss, as `missingData` names them.
pub const DATA_SECTIONS: [types::MissingData; 4] = [
    types::MissingData::UserDetails,
    types::MissingData::KycData,
    types::MissingData::VerificationHistory,
    types::MissingData::DueDiligence,
];

/// A Crossmint user.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct User {
    /// Crossmint's id (`usr_…`).
    pub id: String,
    /// The last upsert body, as sent.
    pub record: Option<Value>,
    /// Accepted legal documents: type and time.
    pub legal: Vec<(String, String)>,
    /// Uploaded document types.
    pub documents: Vec<String>,
    /// Whether verification was triggered.
    pub triggered: bool,
    /// One clock per product (index into [`PRODUCTS`]).
    pub progress: Vec<Progress>,
}

impl User {
    /// A user with id `id`, not verified for anything.
    pub fn new(id: String) -> Self {
        Self {
            id,
            record: None,
            legal: Vec::new(),
            documents: Vec::new(),
            triggered: false,
            progress: PRODUCTS
                .iter()
                .map(|_| Progress::new(Outcome::Verified))
                .collect(),
        }
    }

    fn text(&self, pointer: &str) -> Option<&str> {
        self.record.as_ref()?.pointer(pointer)?.as_str()
    }

    /// `kycData.email`.
    pub fn email(&self) -> Option<&str> {
        self.text("/kycData/email")
    }

    /// `kycData.phoneNumber`.
    pub fn phone(&self) -> Option<&str> {
        self.text("/kycData/phoneNumber")
    }

    fn has(&self, section: &str) -> bool {
        self.record
            .as_ref()
            .and_then(|r| r.get(section))
            .is_some_and(|v| !v.is_null())
    }

    fn has_id_document(&self) -> bool {
        use types::DocumentType as D;
        let held = |d: D| self.documents.iter().any(|t| *t == d.to_string());
        let ssn = self
            .text("/kycData/identityDocument/type")
            .is_some_and(|t| t.eq_ignore_ascii_case("ssn"));
        ssn || (held(D::IdIdcardFront) && held(D::IdIdcardBack))
            || held(D::IdPassport)
            || held(D::IdResidencyPermit)
            || held(D::IdSsn)
    }

    /// What `product` still lacks: data sections and document categories.
    pub fn missing(&self, product: usize) -> (Vec<&'static str>, Vec<&'static str>) {
        let mut data = Vec::new();
        let mut documents = Vec::new();
        if !self.has("userDetails") {
            data.push(types::MissingData::UserDetails.as_str());
        }
        if product != ONRAMP_LIGHT && !self.has("kycData") {
            data.push(types::MissingData::KycData.as_str());
        }
        let needs_history = product == OFFRAMP || product == REGULATED_TRANSFER;
        if needs_history && !self.has("verificationHistory") {
            data.push(types::MissingData::VerificationHistory.as_str());
        }
        if product == REGULATED_TRANSFER && !self.has("dueDiligence") {
            data.push(types::MissingData::DueDiligence.as_str());
        }
        if needs_history && !self.has_id_document() {
            documents.push(types::MissingDocument::Id.as_str());
        }
        (data, documents)
    }

    /// Whether the privacy policy was accepted.
    pub fn privacy_policy_accepted(&self) -> bool {
        let policy = types::LegalDocumentType::CrossmintPrivacyPolicy.to_string();
        self.legal.iter().any(|(t, _)| *t == policy)
    }

    /// The eligibility list (`IdentityVerificationResponse`).
    pub fn eligibility(&self) -> Value {
        let entries: Vec<Value> = PRODUCTS
            .iter()
            .enumerate()
            .map(|(i, product)| self.entry(i, product))
            .collect();
        json!({ "eligibility": entries })
    }

    fn entry(&self, i: usize, product: &types::ProductType) -> Value {
        use types::EligibilityStatus as E;
        let entry = |status: E, data: Vec<String>, documents: Vec<String>| {
            json!({
                "type": product.as_str(),
                "status": status.as_str(),
                "missingData": data,
                "missingDocuments": documents,
                "failureReasons": [],
            })
        };
        if !self.triggered {
            return entry(E::NotStarted, Vec::new(), Vec::new());
        }
        // An admin's status wins over the data rules.
        let progress = &self.progress[i];
        let pinned = progress.is_pinned();
        if !pinned && !self.privacy_policy_accepted() {
            return entry(E::PendingPrivacyPolicy, Vec::new(), Vec::new());
        }
        let (data, documents) = self.missing(i);
        if !pinned && (!data.is_empty() || !documents.is_empty()) {
            let owned = |v: Vec<&str>| v.into_iter().map(str::to_owned).collect();
            return entry(E::RequiresData, owned(data), owned(documents));
        }
        match progress.status {
            SimStatus::NotStarted => entry(E::NotStarted, Vec::new(), Vec::new()),
            SimStatus::Pending => entry(E::PendingReview, Vec::new(), Vec::new()),
            SimStatus::Verified => entry(E::Verified, Vec::new(), Vec::new()),
            SimStatus::Rejected => entry(E::Rejected, Vec::new(), Vec::new()),
            SimStatus::RequiresData => {
                let (data, documents) = requested(&progress.outcome);
                entry(E::RequiresData, data, documents)
            }
        }
    }

    /// The user as get and upsert answer it (`UserResponse`: presence flags, never the values but
    /// the e-mail and phone).
    pub fn response(&self) -> Value {
        let legal: Vec<Value> = self
            .legal
            .iter()
            .map(|(t, at)| json!({"type": t, "acceptedAt": at, "isValidVersion": true}))
            .collect();
        json!({
            "userId": self.id,
            "email": self.email(),
            "phoneNumber": self.phone(),
            "userDetails": self.has("userDetails"),
            "kycData": self.has("kycData"),
            "verificationHistory": self.has("verificationHistory"),
            "dueDiligence": self.has("dueDiligence"),
            "legalDocuments": legal,
        })
    }
}

/// What a scripted requires-data outcome lists: data sections go to `missingData`, anything else to
/// `missingDocuments`; nothing scripted asks for `proof-of-address`.
fn requested(outcome: &Outcome) -> (Vec<String>, Vec<String>) {
    let items = match outcome {
        Outcome::RequiresData(items) if !items.is_empty() => items.clone(),
        _ => vec![types::MissingDocument::ProofOfAddress.as_str().to_owned()],
    };
    items
        .into_iter()
        .partition(|item| DATA_SECTIONS.iter().any(|d| d.as_str() == item))
}

/// A stored document.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Document {
    /// The owner's key.
    pub owner: String,
    /// The answer of upload and get (`UserDocumentResponse`).
    pub answer: Value,
}

/// Crossmint's records.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct State {
    /// Users by locator (the first locator they were addressed by).
    pub users: BTreeMap<String, User>,
    /// Documents by id.
    pub documents: BTreeMap<String, Document>,
    /// Orders by id (the `Order` answer).
    pub orders: BTreeMap<String, Value>,
    /// Payment methods by id: the owner's key and the `PaymentMethod` answer.
    pub payment_methods: BTreeMap<String, (String, Value)>,
}

impl State {
    /// The key of the user `locator` names: the locator itself, or the user whose e-mail or phone an
    /// `email:` / `phoneNumber:` locator names.
    pub fn key(&self, locator: &str) -> Option<String> {
        if self.users.contains_key(locator) {
            return Some(locator.to_owned());
        }
        let by = |wanted: &str, field: fn(&User) -> Option<&str>| {
            self.users
                .iter()
                .find(|(_, u)| field(u).is_some_and(|v| v.eq_ignore_ascii_case(wanted)))
                .map(|(k, _)| k.clone())
        };
        if let Some(email) = locator.strip_prefix("email:") {
            return by(email, User::email);
        }
        if let Some(phone) = locator.strip_prefix("phoneNumber:") {
            return by(phone, User::phone);
        }
        None
    }

    /// The key of a customer named for the admin or a script: a locator, an e-mail, a phone or a
    /// Crossmint user id.
    pub fn find(&self, customer: &str) -> Option<String> {
        self.key(customer)
            .or_else(|| self.key(&format!("email:{customer}")))
            .or_else(|| self.key(&format!("phoneNumber:{customer}")))
            .or_else(|| {
                self.users
                    .iter()
                    .find(|(_, u)| u.id == customer)
                    .map(|(k, _)| k.clone())
            })
    }
}

/// A Crossmint error body (`{error: true, message, code}`).
pub fn error(status: StatusCode, code: &str, message: &str) -> Response {
    crate::wire::answer::<types::ErrorResponse>(
        status,
        json!({ "error": true, "message": message, "code": code }),
    )
}

/// HTTP 404 in Crossmint's shape.
pub fn not_found(what: &str) -> Response {
    error(StatusCode::NOT_FOUND, "not_found", what)
}

/// HTTP 400 in Crossmint's shape.
pub fn bad_request(problem: &str) -> Response {
    error(StatusCode::BAD_REQUEST, "invalid_request", problem)
}
