//! CryptoPocket: delegated KYC and company customers in, `/kyc/check` and `kyc_valid` out.
//!
//! Requests built here:
//!
//! - [`RegisterUserKycDelegatedRequest`](types::RegisterUserKycDelegatedRequest) (`POST
//!   /registerUser/kyc-delegated`) from a person: `TryFrom<&Customer>`.
//! - [`RegisterCompanyRequest`](types::RegisterCompanyRequest) (`POST /register/company`) from a company:
//!   `TryFrom<&Customer>`.
//!
//! CryptoPocket's conventions, handled here and nowhere else:
//!
//! | what | sent | answered |
//! |---|---|---|
//! | countries | ISO alpha-2 (`ES`) | a Spanish country name (`España`) |
//! | gender | `male` / `female` | `M` / `F` ([`parse_gender`]) |
//! | date of birth | `1990-05-15` | `1990-05-15 00:00:00` ([`parse_date`]) |
//! | document type | `DNI`, `PASSPORT`, `PERMANENT_RESIDENCE_PERMIT` ([`delegated_kyc_document_type`]) | `DNI` |
//! | images | data URIs (`x-data-uri: true`) | — |
//! | misspelling | `nacionality` (sic) | — |
//!
//! Statuses: [`KycStatus`] from [`CheckKycResponse`](types::CheckKycResponse) (`valid`, `fail`, `unused`,
//! `processing`) and from the delegated-KYC answer's `kyc_valid`.

mod connector;
mod onboarding;

pub use connector::{CONNECTOR, LIMITS};
pub use onboarding::*;

use chrono::NaiveDate;
use rampkit_cryptopocket::types;
use rampkit_runtime::Pii;

use super::{Conversion, ConversionError, ConversionErrorKind, Operation, Provider};
use crate::customer::{Customer, Gender, IdentityDocumentType, Person};
use crate::status::KycStatus;

/// The operations whose requests this module builds, as conversion errors name them.
impl Operation {
    /// Delegated KYC.
    pub const DELEGATED_KYC: Operation = Operation::new("delegated KYC");
    /// Company customer.
    pub const COMPANY_CUSTOMER: Operation = Operation::new("company customer");
}

/// Delegated KYC: <https://api-doc.cryptopocket.io/create-customer-with-delegated-kyc-4350868e0>.
const DELEGATED_KYC: Conversion = Conversion::new(Provider::CryptoPocket, Operation::DELEGATED_KYC);
/// Company customer: <https://api-doc.cryptopocket.io/create-company-customer-4398184e0>.
const COMPANY_CUSTOMER: Conversion =
    Conversion::new(Provider::CryptoPocket, Operation::COMPANY_CUSTOMER);

/// `type` of a person in delegated KYC, as in the vendor example. The company value is not published,
/// so companies go through [`RegisterCompanyRequest`](types::RegisterCompanyRequest) instead.
const PERSON_TYPE: &str = "PERSON";

/// CryptoPocket's `YYYY-MM-DD` request date.
fn date(date: NaiveDate) -> Pii {
    Pii::new(date.format("%Y-%m-%d").to_string())
}

/// The delegated-KYC `document_type` code of a canonical document type; `None` when CryptoPocket
/// documents no code for it.
///
/// The delegated-KYC page shows one value, `DNI`, for a Spanish DNI; the Create customer page lists
/// another vocabulary (`GOVERNMENT_ID` for the same DNI, `PERMANENT_RESIDENCE_PERMIT` for an NIE,
/// `PASSPORT`) ([P1], [P3]). Judgment calls:
///
/// - National ID card → `DNI`, the delegated page's own value, for every issuing country (the page
///   gives no other ID-card value).
/// - Passport → `PASSPORT` and residence permit → `PERMANENT_RESIDENCE_PERMIT`: the delegated page has
///   no value for them, so the Create customer codes are used, the same across both Spanish-language
///   vocabularies.
/// - Driving licence, tax id, social-security number → none: no code on either page, and a number-only
///   "document" has no images to delegate.
///
/// [P1]: https://api-doc.cryptopocket.io/create-customer-4200035e0
/// [P3]: https://api-doc.cryptopocket.io/create-customer-with-delegated-kyc-4350868e0
pub const fn delegated_kyc_document_type(
    document_type: IdentityDocumentType,
) -> Option<&'static str> {
    match document_type {
        IdentityDocumentType::NationalIdCard => Some("DNI"),
        IdentityDocumentType::Passport => Some("PASSPORT"),
        IdentityDocumentType::ResidencePermit => Some("PERMANENT_RESIDENCE_PERMIT"),
        IdentityDocumentType::DrivingLicence
        | IdentityDocumentType::TaxId
        | IdentityDocumentType::SocialSecurityNumber => None,
    }
}

/// CryptoPocket's request spelling of a gender; `None` for one it documents no value for.
///
/// The delegated-KYC example sends `male` ([P3]); `female` is the obvious counterpart. No value for
/// neither is documented, so [`Gender::Other`] is left out rather than guessed (the field has no
/// published `required` flag).
///
/// [P3]: https://api-doc.cryptopocket.io/create-customer-with-delegated-kyc-4350868e0
pub const fn gender_code(gender: Gender) -> Option<&'static str> {
    match gender {
        Gender::Female => Some("female"),
        Gender::Male => Some("male"),
        Gender::Other => None,
    }
}

/// A gender as CryptoPocket answers it: `M` / `F` in the delegated-KYC answer (although the request sent
/// `male`, [P3]), or the request spellings. `None` for anything else.
///
/// [P3]: https://api-doc.cryptopocket.io/create-customer-with-delegated-kyc-4350868e0
pub fn parse_gender(text: &str) -> Option<Gender> {
    match text.trim().to_ascii_lowercase().as_str() {
        "m" | "male" => Some(Gender::Male),
        "f" | "female" => Some(Gender::Female),
        _ => None,
    }
}

/// A date as CryptoPocket writes it: `1990-05-15`, or with a time after a space,
/// `1990-05-15 00:00:00`, as the delegated-KYC answer's `dob` does ([P3]).
///
/// [P3]: https://api-doc.cryptopocket.io/create-customer-with-delegated-kyc-4350868e0
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let day = text.split_once(' ').map_or(text, |(day, _)| day);
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()
}

impl TryFrom<&Customer> for types::RegisterUserKycDelegatedRequest {
    type Error = ConversionError;

    /// A person's delegated-KYC registration: personal data, the identity document with its front (and,
    /// for a two-sided card, back) scan, and the face and liveness captures, all images as data URIs.
    ///
    /// CryptoPocket publishes no `required` flags and "the client always sends every field"
    /// (spec guidance). The document, its expiry and all four captures are required here, because the
    /// page describes the operation as sending exactly them ([P3]); phone and gender are sent when the
    /// customer has them.
    ///
    /// [P3]: https://api-doc.cryptopocket.io/create-customer-with-delegated-kyc-4350868e0
    fn try_from(customer: &Customer) -> Result<Self, Self::Error> {
        let c = DELEGATED_KYC;
        let person = c.person(customer)?;
        let document = c.require(person.identity_document.as_ref(), "identity_document")?;
        let document_type = delegated_kyc_document_type(document.document_type).ok_or(c.error(
            "identity_document.document_type",
            ConversionErrorKind::NoVendorCode {
                value: document.document_type.as_str(),
            },
        ))?;
        let expiry = c.require(
            document.expiry_date.as_ref(),
            "identity_document.expiry_date",
        )?;
        let front = c.require(
            document.front_image.as_ref(),
            "identity_document.front_image",
        )?;
        let front = c.data_uri(front, "identity_document.front_image")?;
        // A passport has one scanned page; only a two-sided card has a back to send.
        let back = if document.document_type.is_two_sided() {
            let back = c.require(document.back_image.as_ref(), "identity_document.back_image")?;
            Some(c.data_uri(back, "identity_document.back_image")?)
        } else {
            None
        };
        let biometrics = c.require(person.biometrics.as_ref(), "biometrics")?;
        let face = c.require(biometrics.face.as_ref(), "biometrics.face")?;
        let face = c.data_uri(face, "biometrics.face")?;
        let liveness = c.require(biometrics.liveness.as_ref(), "biometrics.liveness")?;
        let liveness = c.data_uri(liveness, "biometrics.liveness")?;
        let name = &person.legal_name;
        let mut request = Self::new()
            .with_type(PERSON_TYPE)
            // CryptoPocket has one given-name and one last-name field: the middle name joins the first
            // name and the two Spanish surnames are sent together, as printed on the document.
            .with_first_name(name.given_names())
            .with_last_name(name.full_last_name())
            .with_dob(date(*person.date_of_birth.expose()))
            .with_residence_country(Pii::new(
                person.country_of_residence.expose().as_str().to_owned(),
            ))
            // `nacionality` (sic) is the vendor's wire name; the generated field keeps it.
            .with_nacionality(Pii::new(person.nationality.expose().as_str().to_owned()))
            .with_email(person.email.clone())
            .with_document_type(document_type)
            .with_document_number(document.number.clone())
            .with_expiry_date(date(*expiry.expose()))
            .with_front(front)
            .with_face(face)
            .with_liveness(liveness);
        request.gender = person
            .gender
            .as_ref()
            .and_then(|gender| gender_code(*gender.expose()))
            .map(Pii::from);
        request.phone = person.mobile_phone.clone();
        request.back = back;
        Ok(request)
    }
}

/// Longest `company_name` CryptoPocket accepts ([P4]).
///
/// [P4]: https://api-doc.cryptopocket.io/create-company-customer-4398184e0
pub const MAX_COMPANY_NAME_CHARS: usize = 255;
/// Longest company `email` CryptoPocket accepts ([P4]).
///
/// [P4]: https://api-doc.cryptopocket.io/create-company-customer-4398184e0
pub const MAX_COMPANY_EMAIL_CHARS: usize = 254;

impl TryFrom<&Customer> for types::RegisterCompanyRequest {
    type Error = ConversionError;

    /// A company's registration for CryptoPocket's hosted KYB form: legal name and contact email, within
    /// the vendor's length limits ([P4]).
    ///
    /// [P4]: https://api-doc.cryptopocket.io/create-company-customer-4398184e0
    fn try_from(customer: &Customer) -> Result<Self, Self::Error> {
        let c = COMPANY_CUSTOMER;
        let company = c.company(customer)?;
        if company.legal_name.expose_str().chars().count() > MAX_COMPANY_NAME_CHARS {
            return Err(c.error(
                "legal_name",
                ConversionErrorKind::WrongForm {
                    expected: "of at most 255 characters",
                },
            ));
        }
        if company.contact_email.expose_str().chars().count() > MAX_COMPANY_EMAIL_CHARS {
            return Err(c.error(
                "contact_email",
                ConversionErrorKind::WrongForm {
                    expected: "of at most 254 characters",
                },
            ));
        }
        Ok(Self::new(
            company.legal_name.clone(),
            company.contact_email.clone(),
        ))
    }
}

/// The canonical fields whose value CryptoPocket's delegated-KYC answer holds differently from the person
/// (a typo on either side, or a field the vendor rewrote). Fields the answer leaves out do not count, and
/// `country` is not compared: CryptoPocket answers a Spanish country name (`España`), not a code ([P3]).
/// Names only, never values.
///
/// [P3]: https://api-doc.cryptopocket.io/create-customer-with-delegated-kyc-4350868e0
pub fn delegated_kyc_mismatches(
    person: &Person,
    answer: &types::DelegatedKycCustomer,
) -> Vec<&'static str> {
    fn same(a: &str, b: &str) -> bool {
        a.trim().to_lowercase() == b.trim().to_lowercase()
    }
    let mut fields = Vec::new();
    let name = &person.legal_name;
    if let Some(first) = &answer.name
        && !same(first.expose_str(), name.given_names().expose_str())
    {
        fields.push("legal_name.first_name");
    }
    if let Some(last) = &answer.last_name
        && !same(last.expose_str(), name.full_last_name().expose_str())
    {
        fields.push("legal_name.last_name");
    }
    if let Some(dob) = &answer.dob
        && parse_date(dob.expose_str()) != Some(*person.date_of_birth.expose())
    {
        fields.push("date_of_birth");
    }
    if let (Some(answered), Some(gender)) = (&answer.gender, &person.gender)
        && parse_gender(answered.expose_str()) != Some(*gender.expose())
    {
        fields.push("gender");
    }
    if let Some(email) = &answer.email
        && !same(email.expose_str(), person.email.expose_str())
    {
        fields.push("email");
    }
    if let (Some(answered), Some(phone)) = (&answer.phone, &person.mobile_phone)
        && answered.expose_str().trim() != phone.expose_str()
    {
        fields.push("mobile_phone");
    }
    if let (Some(answered), Some(document)) =
        (&answer.identification_number, &person.identity_document)
        && !same(answered.expose_str(), document.number.expose_str())
    {
        fields.push("identity_document.number");
    }
    fields
}

impl From<&types::KycStatus> for KycStatus {
    /// CryptoPocket's `/kyc/check` `kyc_status`, whose meanings the integration guide states ([P18]):
    ///
    /// | `kyc_status` | meaning (P18) | status |
    /// |---|---|---|
    /// | `valid` | approved, proceed | verified |
    /// | `fail` | rejected | rejected (`fail`) |
    /// | `unused` | "not started / in progress" | not started (judgment: the guide's own in-progress value is `processing`, so `unused` is read as the KYC form not used yet) |
    /// | `processing` | in progress | pending |
    /// | anything else | — | unknown (raw) |
    ///
    /// [P18]: https://api-doc.cryptopocket.io/cryptopocket-integration-guide-buy-flow-on-ramp-370702m0
    fn from(status: &types::KycStatus) -> Self {
        match status {
            types::KycStatus::Valid => KycStatus::Verified,
            types::KycStatus::Fail => KycStatus::Rejected {
                reasons: vec![status.as_str().to_owned()],
            },
            types::KycStatus::Unused => KycStatus::NotStarted,
            types::KycStatus::Processing => KycStatus::Pending,
            types::KycStatus::Unknown(raw) => KycStatus::Unknown { raw: raw.clone() },
            // Fallback, for a value added to the spec after this mapping was written (`cargo xtask
            // diff` names this function): unknown (raw), never verified or rejected.
            other => KycStatus::Unknown {
                raw: other.as_str().to_owned(),
            },
        }
    }
}

impl From<&types::CheckKycResponse> for KycStatus {
    /// The `kyc_status` of a `/kyc/check` answer, read from the top level or from `data` (where it sits is
    /// not documented, [P18]); an answer with neither is [`KycStatus::absent`]. An error envelope
    /// (`"status": "error"`) is the caller's to report: it carries no KYC status.
    ///
    /// [P18]: https://api-doc.cryptopocket.io/cryptopocket-integration-guide-buy-flow-on-ramp-370702m0
    fn from(response: &types::CheckKycResponse) -> Self {
        response
            .kyc_status
            .as_ref()
            .or_else(|| response.data.as_ref()?.kyc_status.as_ref())
            .map_or_else(KycStatus::absent, KycStatus::from)
    }
}

impl From<&types::DelegatedKycCustomer> for KycStatus {
    /// The delegated-KYC answer's `kyc_valid` ([P3]): `true` is verified. The page shows only `true`, so
    /// `false` (or no `kyc_valid`) is read as pending, not rejected — judgment: a boolean cannot tell a
    /// review in progress from a failure; `/kyc/check` (`fail` vs `processing`) decides.
    ///
    /// [P3]: https://api-doc.cryptopocket.io/create-customer-with-delegated-kyc-4350868e0
    fn from(answer: &types::DelegatedKycCustomer) -> Self {
        match answer.kyc_valid {
            Some(true) => KycStatus::Verified,
            Some(false) | None => KycStatus::Pending,
        }
    }
}

impl From<&types::RegisterUserKycDelegatedResponse> for KycStatus {
    /// The status in a delegated-KYC answer's `data` (see the [`DelegatedKycCustomer`] mapping); an answer
    /// without `data` (an error envelope) is [`KycStatus::absent`].
    ///
    /// [`DelegatedKycCustomer`]: types::DelegatedKycCustomer
    fn from(response: &types::RegisterUserKycDelegatedResponse) -> Self {
        response
            .data
            .as_ref()
            .map_or_else(KycStatus::absent, KycStatus::from)
    }
}
