//! The canonical customer: one verified person or company, in the facade's own words.
//!
//! Provider conversions read this model and write each vendor's exact request; they never see a
//! vendor's vocabulary here. Conventions:
//!
//! - **Personal data** is wrapped in [`Pii`]: `Debug` and `Display` print `[redacted]`, serde is
//!   transparent. Images redact themselves ([`Image`]). Only record metadata is left bare: the kind of
//!   identity document and the name of the service that verified a person.
//! - **Codes** ([`CountryCode`], [`SubdivisionCode`], [`LanguageCode`], [`CurrencyCode`]) keep the text
//!   they were given; [`Customer::validate`] checks them against the ISO tables and reports every bad
//!   one with its field.
//! - **JSON**: field names are `snake_case`, enum values `snake_case`, unknown fields are rejected, a
//!   customer is `{"person": {…}}` or `{"company": {…}}`, so a validation path such as
//!   `person.identity_document.front_image` is also the JSON path. Dates are exactly `YYYY-MM-DD`
//!   (`1990-5-15` is refused), timestamps RFC 3339, images base64 strings. The JSON Schema is [`customer_json_schema`], committed as
//!   `docs/customer.schema.json`.

mod codes;
mod date;
mod file_structure;
mod image;

use chrono::{DateTime, NaiveDate, Utc};
use rampkit_runtime::Pii;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use codes::{CountryCode, CurrencyCode, LanguageCode, SubdivisionCode};
pub use image::{Image, ImageDecodeError, MediaType, UnknownMediaType};

/// A verified customer to register with ramp providers: a person or a company.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Customer {
    /// A natural person.
    Person(Box<Person>),
    /// A company (legal entity).
    Company(Company),
}

impl Customer {
    /// The person, if the customer is one.
    pub fn as_person(&self) -> Option<&Person> {
        match self {
            Customer::Person(person) => Some(person),
            Customer::Company(_) => None,
        }
    }

    /// The person, mutably, if the customer is one.
    pub fn as_person_mut(&mut self) -> Option<&mut Person> {
        match self {
            Customer::Person(person) => Some(person),
            Customer::Company(_) => None,
        }
    }

    /// The company, if the customer is one.
    pub fn as_company(&self) -> Option<&Company> {
        match self {
            Customer::Person(_) => None,
            Customer::Company(company) => Some(company),
        }
    }

    /// The customer's email address (the person's, or the company's contact address).
    pub fn email(&self) -> &Pii {
        match self {
            Customer::Person(person) => &person.email,
            Customer::Company(company) => &company.contact_email,
        }
    }
}

impl From<Person> for Customer {
    fn from(person: Person) -> Self {
        Customer::Person(Box::new(person))
    }
}

impl From<Company> for Customer {
    fn from(company: Company) -> Self {
        Customer::Company(company)
    }
}

/// A natural person, as verified by the platform.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Legal names, as on the identity document.
    pub legal_name: LegalName,
    /// Date of birth, `YYYY-MM-DD`; the person must be at least 18 and under 100.
    #[serde(deserialize_with = "date::pii")]
    pub date_of_birth: Pii<NaiveDate>,
    /// Gender, as on the identity document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Gender>")]
    pub gender: Option<Pii<Gender>>,
    /// Nationality (citizenship), ISO 3166-1 alpha-2.
    #[schemars(with = "CountryCode")]
    pub nationality: Pii<CountryCode>,
    /// Country of residence, ISO 3166-1 alpha-2.
    #[schemars(with = "CountryCode")]
    pub country_of_residence: Pii<CountryCode>,
    /// Email address.
    #[schemars(email)]
    pub email: Pii,
    /// Mobile phone number in E.164 form (`+34600111222`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^\+[1-9][0-9]{1,14}$"))]
    pub mobile_phone: Option<Pii>,
    /// Residential address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub residential_address: Option<Address>,
    /// Preferred language, ISO 639-1 (`es`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<LanguageCode>")]
    pub preferred_language: Option<Pii<LanguageCode>>,
    /// The identity document the person was verified with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity_document: Option<IdentityDocument>,
    /// Biometric captures taken during verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biometrics: Option<BiometricCaptures>,
    /// When and by whom the person was verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<VerificationHistory>,
    /// Due-diligence answers (employment, source of funds, income).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_diligence: Option<DueDiligence>,
}

impl Person {
    /// The person's age in whole years on `today`; `None` when born after `today`.
    pub fn age_on(&self, today: NaiveDate) -> Option<u32> {
        today.years_since(*self.date_of_birth.expose())
    }
}

/// Legal names, split the way vendors ask for them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalName {
    /// First (given) name.
    #[schemars(regex(pattern = r"\S"))]
    pub first_name: Pii,
    /// Middle name(s), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"\S"))]
    pub middle_name: Option<Pii>,
    /// Last name; the first (usually paternal) surname where two are used.
    #[schemars(regex(pattern = r"\S"))]
    pub last_name: Pii,
    /// Second last name (usually maternal) in Spanish-speaking countries, e.g. Leap's `lastName2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"\S"))]
    pub second_last_name: Option<Pii>,
}

impl LegalName {
    /// First and middle names separated by a space, for vendors with a single given-name field.
    pub fn given_names(&self) -> Pii {
        match &self.middle_name {
            Some(middle) => Pii::new(format!(
                "{} {}",
                self.first_name.expose_str(),
                middle.expose_str()
            )),
            None => self.first_name.clone(),
        }
    }

    /// Both surnames separated by a space, for vendors with a single last-name field.
    pub fn full_last_name(&self) -> Pii {
        match &self.second_last_name {
            Some(second) => Pii::new(format!(
                "{} {}",
                self.last_name.expose_str(),
                second.expose_str()
            )),
            None => self.last_name.clone(),
        }
    }
}

/// Gender as on the identity document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    /// Female.
    Female,
    /// Male.
    Male,
    /// Neither (e.g. `X` on the document).
    Other,
}

/// A postal address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// First address line: street (and number, if not given separately).
    #[schemars(regex(pattern = r"\S"))]
    pub line1: Pii,
    /// Second address line (floor, apartment, building).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"\S"))]
    pub line2: Option<Pii>,
    /// Street number, for vendors that want it on its own (Leap `streetNumber`, Kriptomat `building_number`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"\S"))]
    pub street_number: Option<Pii>,
    /// City or town.
    #[schemars(regex(pattern = r"\S"))]
    pub city: Pii,
    /// Postal code (text: keeps leading zeros).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"\S"))]
    pub postal_code: Option<Pii>,
    /// State, province or region, ISO 3166-2 (`ES-M`, `US-NY`, `MX-CMX`); must be in `country`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<SubdivisionCode>")]
    pub subdivision: Option<Pii<SubdivisionCode>>,
    /// Country, ISO 3166-1 alpha-2.
    #[schemars(with = "CountryCode")]
    pub country: Pii<CountryCode>,
    /// Coordinates of the address, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates: Option<Coordinates>,
}

impl Address {
    /// The first line with the street number, for vendors with no separate street-number field.
    ///
    /// `line1` may already hold the number (`Calle de Alcalá 42`, `350 Fifth Avenue`); the number is
    /// appended (`Avenida Paseo de la Reforma 222`) only when no word of `line1` equals it.
    pub fn line1_with_street_number(&self) -> Pii {
        let line1 = self.line1.expose_str();
        match &self.street_number {
            Some(number) => {
                let number = number.expose_str().trim();
                let present = line1
                    .split(|c: char| c.is_whitespace() || c == ',')
                    .any(|word| word == number);
                if present || number.is_empty() {
                    self.line1.clone()
                } else {
                    Pii::new(format!("{} {number}", line1.trim_end()))
                }
            }
            None => self.line1.clone(),
        }
    }
}

/// WGS 84 coordinates in decimal degrees.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coordinates {
    /// Latitude, -90 to 90.
    pub latitude: Pii<f64>,
    /// Longitude, -180 to 180.
    pub longitude: Pii<f64>,
}

/// An identity document: its kind, number, issuer, expiry and scans.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityDocument {
    /// Kind of document.
    pub document_type: IdentityDocumentType,
    /// Document number as printed (an SSN as `123-45-6789`).
    #[schemars(regex(pattern = r"\S"))]
    pub number: Pii,
    /// Issuing country, ISO 3166-1 alpha-2.
    #[schemars(with = "CountryCode")]
    pub issuing_country: Pii<CountryCode>,
    /// Expiry date, `YYYY-MM-DD`; must not be in the past. Absent for numbers that do not expire.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "date::optional_pii"
    )]
    pub expiry_date: Option<Pii<NaiveDate>>,
    /// Scan or photo of the front (the photo page of a passport): JPEG, PNG or PDF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub front_image: Option<Image>,
    /// Scan or photo of the back of a two-sided document: JPEG, PNG or PDF.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub back_image: Option<Image>,
}

/// The canonical kinds of identity document. Provider conversions map each one to the vendor's code
/// (CryptoPocket `DNI`/`PASSPORT`, Crossmint `passport`/`ssn`, …) with exhaustive matches.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum IdentityDocumentType {
    /// Passport.
    Passport,
    /// National identity card (Spanish DNI, Mexican INE credential, …).
    NationalIdCard,
    /// Residence permit (Spanish NIE card, …).
    ResidencePermit,
    /// Driving licence.
    DrivingLicence,
    /// Tax identification number (no physical document).
    TaxId,
    /// Social-security number (US SSN; no physical document).
    SocialSecurityNumber,
}

impl IdentityDocumentType {
    /// The value as in the canonical JSON (`national_id_card`).
    pub const fn as_str(self) -> &'static str {
        match self {
            IdentityDocumentType::Passport => "passport",
            IdentityDocumentType::NationalIdCard => "national_id_card",
            IdentityDocumentType::ResidencePermit => "residence_permit",
            IdentityDocumentType::DrivingLicence => "driving_licence",
            IdentityDocumentType::TaxId => "tax_id",
            IdentityDocumentType::SocialSecurityNumber => "social_security_number",
        }
    }

    /// Whether the document is a card with a back side to scan.
    pub const fn is_two_sided(self) -> bool {
        match self {
            IdentityDocumentType::NationalIdCard
            | IdentityDocumentType::ResidencePermit
            | IdentityDocumentType::DrivingLicence => true,
            IdentityDocumentType::Passport
            | IdentityDocumentType::TaxId
            | IdentityDocumentType::SocialSecurityNumber => false,
        }
    }

    /// Whether the "document" is a number only, with nothing to scan.
    pub const fn is_number_only(self) -> bool {
        match self {
            IdentityDocumentType::TaxId | IdentityDocumentType::SocialSecurityNumber => true,
            IdentityDocumentType::Passport
            | IdentityDocumentType::NationalIdCard
            | IdentityDocumentType::ResidencePermit
            | IdentityDocumentType::DrivingLicence => false,
        }
    }
}

/// Biometric captures from the platform's own verification.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BiometricCaptures {
    /// Face picture (selfie): JPEG or PNG.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub face: Option<Image>,
    /// Frame of the liveness check: JPEG or PNG.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness: Option<Image>,
}

/// When the platform verified the person, and with whom.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VerificationHistory {
    /// When the identity document was verified (RFC 3339); not in the future.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_verified_at: Option<Pii<DateTime<Utc>>>,
    /// When the liveness check passed (RFC 3339); not in the future.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_verified_at: Option<Pii<DateTime<Utc>>>,
    /// Who ran the verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_by: Option<KycVerifier>,
}

/// The KYC service that verified the person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "provider", rename_all = "snake_case", deny_unknown_fields)]
pub enum KycVerifier {
    /// SumSub; its applicant id lets the platform share the KYC (Kriptomat imports a SumSub share token).
    Sumsub {
        /// SumSub applicant id in the platform's SumSub account.
        #[schemars(regex(pattern = r"\S"))]
        applicant_id: Pii,
    },
    /// Another KYC service, or the platform itself.
    Other {
        /// Name of the service.
        #[schemars(regex(pattern = r"\S"))]
        name: String,
        /// The service's reference for this person, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schemars(regex(pattern = r"\S"))]
        reference: Option<Pii>,
    },
}

impl KycVerifier {
    /// The verifier's text fields, each with its name under `verified_by` (`applicant_id`, or `name` and
    /// `reference`): what validation checks and what output redaction must mask, without naming a
    /// verifier.
    pub fn text_fields(&self) -> Vec<(&'static str, &str)> {
        match self {
            KycVerifier::Sumsub { applicant_id } => {
                vec![("applicant_id", applicant_id.expose_str())]
            }
            KycVerifier::Other { name, reference } => {
                let mut fields = vec![("name", name.as_str())];
                if let Some(reference) = reference {
                    fields.push(("reference", reference.expose_str()));
                }
                fields
            }
        }
    }

    /// The verifier's personal reference of the person (an applicant id, another service's reference).
    pub fn personal_reference(&self) -> Option<&Pii> {
        match self {
            KycVerifier::Sumsub { applicant_id } => Some(applicant_id),
            KycVerifier::Other { reference, .. } => reference.as_ref(),
        }
    }
}

/// Due-diligence answers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DueDiligence {
    /// Employment status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<EmploymentStatus>")]
    pub employment_status: Option<Pii<EmploymentStatus>>,
    /// Main source of the funds the person will use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<SourceOfFunds>")]
    pub source_of_funds: Option<Pii<SourceOfFunds>>,
    /// Industry the person works in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Industry>")]
    pub industry: Option<Pii<Industry>>,
    /// Expected yearly income, as a range.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<IncomeRange>")]
    pub expected_yearly_income: Option<Pii<IncomeRange>>,
}

/// Employment status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentStatus {
    /// Employed full time.
    FullTime,
    /// Employed part time.
    PartTime,
    /// Self-employed or freelance.
    SelfEmployed,
    /// Not employed.
    Unemployed,
    /// Retired.
    Retired,
    /// Student.
    Student,
    /// Anything else.
    Other,
}

/// Main source of funds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceOfFunds {
    /// Salary or wages.
    Salary,
    /// Income from a business the person owns or from self-employment.
    BusinessIncome,
    /// Savings.
    Savings,
    /// Investments (dividends, securities, crypto).
    Investments,
    /// Pension.
    Pension,
    /// Inheritance.
    Inheritance,
    /// Gift.
    Gift,
    /// Sale of property, a vehicle or company shares.
    SaleOfAssets,
    /// Loan.
    Loan,
    /// Government benefits.
    Benefits,
    /// Anything else.
    Other,
}

/// Industry, in broad sectors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Industry {
    /// Agriculture, forestry, fishing, mining.
    Agriculture,
    /// Construction and real estate.
    ConstructionAndRealEstate,
    /// Education.
    Education,
    /// Banking, insurance and other financial services.
    FinancialServices,
    /// Public administration.
    Government,
    /// Health care and social work.
    Healthcare,
    /// Hotels, restaurants, travel.
    Hospitality,
    /// Software, telecommunications, media.
    InformationTechnology,
    /// Manufacturing.
    Manufacturing,
    /// Legal, accounting, consulting and other professional services.
    ProfessionalServices,
    /// Retail and wholesale trade.
    Retail,
    /// Transport and logistics.
    Transportation,
    /// Anything else.
    Other,
}

/// A yearly income range in whole units of a currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IncomeRange {
    /// Currency, ISO 4217.
    pub currency: CurrencyCode,
    /// Lower bound, inclusive.
    pub min: u64,
    /// Upper bound, exclusive, greater than `min`; absent for an open range ("`min` or more").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
}

/// A company (legal entity).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Company {
    /// Registered legal name.
    #[schemars(regex(pattern = r"\S"))]
    pub legal_name: Pii,
    /// Registration or tax number (Spanish CIF, Mexican RFC, …).
    #[schemars(regex(pattern = r"\S"))]
    pub registration_number: Pii,
    /// Country of incorporation, ISO 3166-1 alpha-2.
    #[schemars(with = "CountryCode")]
    pub country: Pii<CountryCode>,
    /// Contact email address.
    #[schemars(email)]
    pub contact_email: Pii,
}

/// The JSON Schema (draft 2020-12) of the canonical customer JSON, for teams that build the JSON in
/// another language.
///
/// It is committed as `docs/customer.schema.json`; a test fails when the file is stale. After changing
/// the model, regenerate it and review the diff:
///
/// ```text
/// RAMPKIT_UPDATE_SCHEMA=1 cargo test -p rampkit --test schema
/// ```
///
/// The schema checks shapes, enums, country codes and formats; the rules that need a table or a date
/// (subdivisions, phone numbers, ages, expiry, image formats and sizes) are [`Customer::validate`]'s.
pub fn customer_json_schema() -> schemars::Schema {
    schemars::schema_for!(Customer)
}
