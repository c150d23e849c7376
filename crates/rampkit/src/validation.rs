//! Checking a canonical customer once, before anything is sent to any provider.
//!
//! [`Customer::validate`] (or [`Customer::validate_with`] for a fixed date and a set of providers)
//! returns every problem at once. [`Customer::from_json`] parses the canonical JSON and reports a
//! structural problem (an impossible date, a missing field, bad base64) the same way. Each
//! [`ValidationError`] names the field by its path in the canonical JSON (`person.date_of_birth`,
//! `person.identity_document.front_image`) and the rule it breaks ([`ValidationErrorKind`]).
//!
//! No message carries the personal value itself: "person.mobile_phone is not a valid E.164 mobile
//! number", never the number. Image sizes and limits are not personal and are shown. A JSON key that is
//! not a field of the model may itself be personal data (a name pasted as a key): it is never copied into
//! a path; the error names the object that holds it and the key's line and column instead.
//!
//! Hostile input is refused, not passed on: every free text (names, address lines, document and
//! registration numbers, KYC references) is checked for control characters (NUL, line breaks, escape
//! sequences) and for the bidirectional formatting characters that reorder what a reviewer sees
//! (U+202A–U+202E, U+2066–U+2069, the "Trojan Source" set of CVE-2021-42574); a text made only of
//! spaces and invisible format characters (zero-width space, joiners, soft hyphen, byte-order mark) is
//! empty; names are limited in length per provider ([`ProviderLimits::max_name_chars`]); images must be
//! complete, well-formed files ([`Image::is_well_formed`]); dates are exactly `YYYY-MM-DD`.

use std::collections::HashSet;
use std::fmt;
use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};
use email_address::EmailAddress;
use serde_path_to_error::Segment;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use crate::customer::{
    Address, BiometricCaptures, Company, CountryCode, Customer, DueDiligence, IdentityDocument,
    Image, IncomeRange, KycVerifier, MediaType, Person, VerificationHistory,
};
use crate::providers::Provider;
use crate::providers::limits::DEFAULT_MAX_NAME_CHARS;
#[cfg(doc)]
use crate::providers::limits::ProviderLimits;

/// The youngest age accepted, in whole years.
pub const MINIMUM_AGE: u32 = 18;
/// Ages from this one up are refused (a date-of-birth typo, usually).
pub const MAXIMUM_AGE: u32 = 100;

/// What a validation run depends on besides the customer: the date it runs on, and the providers the
/// customer is meant for (their image limits apply).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationContext {
    today: NaiveDate,
    providers: Vec<Provider>,
}

impl ValidationContext {
    /// Validation as of `today`, for every provider.
    pub fn new(today: NaiveDate) -> Self {
        Self {
            today,
            providers: Provider::ALL.to_vec(),
        }
    }

    /// Validation as of the current UTC date, for every provider.
    pub fn current() -> Self {
        Self::new(Utc::now().date_naive())
    }

    /// Only these providers' limits apply.
    pub fn for_providers(mut self, providers: impl IntoIterator<Item = Provider>) -> Self {
        self.providers = providers.into_iter().collect();
        self.providers.sort_unstable();
        self.providers.dedup();
        self
    }

    /// The date "today" means.
    pub fn today(&self) -> NaiveDate {
        self.today
    }

    /// The providers whose limits apply.
    pub fn providers(&self) -> &[Provider] {
        &self.providers
    }

    /// The strictest image limit among the providers, and the provider that sets it; `None` when none of
    /// them is sent images.
    pub fn image_limit(&self) -> Option<(u64, Provider)> {
        self.providers
            .iter()
            .filter_map(|&p| p.limits().max_image_bytes.map(|limit| (limit, p)))
            .min()
    }

    /// The strictest name-length limit (characters) among the providers, and the provider that sets
    /// it; [`DEFAULT_MAX_NAME_CHARS`] and `None` when no provider is given.
    pub fn name_limit(&self) -> (usize, Option<Provider>) {
        self.providers
            .iter()
            .map(|&p| (p.limits().max_name_chars, Some(p)))
            .min()
            .unwrap_or((DEFAULT_MAX_NAME_CHARS, None))
    }
}

/// The rule a field breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValidationErrorKind {
    /// A required field is absent (reported by [`Customer::from_json`]).
    Missing,
    /// A required text is empty or only whitespace.
    Empty,
    /// The input is not JSON (reported by [`Customer::from_json`]).
    InvalidJson,
    /// The object at the path has a key that is not a field of the canonical model (reported by
    /// [`Customer::from_json`]). The key is not named: it may be personal data. Its position is.
    UnknownField {
        /// 1-based line of the input where the key was read.
        line: usize,
        /// 1-based column of the input where the key was read.
        column: usize,
    },
    /// The field appears more than once in its object (reported by [`Customer::from_json`]).
    DuplicateField,
    /// The value has the wrong JSON type or form (reported by [`Customer::from_json`]).
    WrongType,
    /// The value is not one of the enum's values (reported by [`Customer::from_json`]).
    NotAllowedValue,
    /// The date is not a real calendar date in `YYYY-MM-DD` form (reported by [`Customer::from_json`]).
    NotACalendarDate,
    /// The timestamp is not RFC 3339 (reported by [`Customer::from_json`]).
    NotATimestamp,
    /// The image is not valid base64 (reported by [`Customer::from_json`]).
    NotBase64,
    /// The date of birth gives an age under [`MINIMUM_AGE`].
    TooYoung {
        /// The minimum age.
        minimum: u32,
    },
    /// The date of birth gives an age of [`MAXIMUM_AGE`] or more.
    TooOld {
        /// The first age refused.
        maximum: u32,
    },
    /// The date or timestamp is after today.
    InFuture,
    /// The document's expiry date is before today.
    Expired,
    /// Not an ISO 3166-1 alpha-2 country code.
    NotIsoCountry,
    /// Not an ISO 3166-2 subdivision code.
    NotIsoSubdivision,
    /// An ISO 3166-2 code of another country than the address's.
    SubdivisionOutsideCountry,
    /// Not an ISO 639-1 language code.
    NotIsoLanguage,
    /// Not an ISO 4217 currency code.
    NotIsoCurrency,
    /// Not a valid phone number written in E.164 form (`+` and digits, nothing else).
    NotE164MobileNumber,
    /// A valid E.164 number, but of a fixed line, toll-free or other non-mobile kind.
    NotMobileNumber,
    /// Not a valid email address.
    InvalidEmail,
    /// A number outside its range (coordinates).
    OutOfRange {
        /// Lowest value allowed.
        min: i32,
        /// Highest value allowed.
        max: i32,
    },
    /// An upper bound not above the lower bound.
    EmptyRange,
    /// The bytes are not of an accepted format.
    UnsupportedMediaType {
        /// The accepted formats.
        allowed: &'static [MediaType],
    },
    /// The text contains a control character (NUL, a line break, a tab, an escape, …).
    ControlCharacter,
    /// The text contains a bidirectional formatting character (U+202A–U+202E, U+2066–U+2069), which
    /// makes it display in another order than it is stored.
    BidiControl,
    /// The name is longer than a provider accepts.
    TooLong {
        /// The most characters allowed.
        max: usize,
        /// The provider whose limit it is; `None` for rampkit's default when no provider was given.
        provider: Option<Provider>,
    },
    /// The bytes start like a file of this type but are not a complete, well-formed one (cut short,
    /// corrupt, or garbage after a valid header).
    MalformedFile {
        /// The type the bytes claim to be.
        media_type: MediaType,
    },
    /// The image is larger than a provider accepts.
    ImageTooLarge {
        /// The image's size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
        /// The provider whose limit it is.
        provider: Provider,
    },
}

impl fmt::Display for ValidationErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ValidationErrorKind as K;
        match self {
            K::Missing => f.write_str("is missing"),
            K::Empty => f.write_str("must not be empty"),
            K::InvalidJson => f.write_str("is not valid JSON"),
            K::UnknownField { line, column } => {
                write!(f, "has an unknown field at line {line}, column {column}")
            }
            K::DuplicateField => f.write_str("appears more than once"),
            K::WrongType => f.write_str("has the wrong JSON type or form"),
            K::NotAllowedValue => f.write_str("is not one of the allowed values"),
            K::NotACalendarDate => f.write_str("is not a real calendar date in YYYY-MM-DD form"),
            K::NotATimestamp => f.write_str("is not an RFC 3339 timestamp"),
            K::NotBase64 => f.write_str("is not valid base64"),
            K::TooYoung { minimum } => write!(f, "gives an age under {minimum}"),
            K::TooOld { maximum } => write!(f, "gives an age of {maximum} or more"),
            K::InFuture => f.write_str("is in the future"),
            K::Expired => f.write_str("is in the past: the document has expired"),
            K::NotIsoCountry => f.write_str("is not an ISO 3166-1 alpha-2 country code"),
            K::NotIsoSubdivision => f.write_str("is not an ISO 3166-2 subdivision code"),
            K::SubdivisionOutsideCountry => {
                f.write_str("is not a subdivision of the address's country")
            }
            K::NotIsoLanguage => f.write_str("is not an ISO 639-1 language code"),
            K::NotIsoCurrency => f.write_str("is not an ISO 4217 currency code"),
            K::NotE164MobileNumber => f.write_str("is not a valid E.164 mobile number"),
            K::NotMobileNumber => f.write_str("is a valid E.164 number but not a mobile number"),
            K::InvalidEmail => f.write_str("is not a valid email address"),
            K::OutOfRange { min, max } => write!(f, "is not between {min} and {max}"),
            K::EmptyRange => f.write_str("is not greater than the minimum"),
            K::UnsupportedMediaType { allowed } => {
                f.write_str("is not a ")?;
                for (i, media_type) in allowed.iter().enumerate() {
                    match i {
                        0 => {}
                        i if i + 1 == allowed.len() => f.write_str(" or ")?,
                        _ => f.write_str(", ")?,
                    }
                    f.write_str(media_type.name())?;
                }
                f.write_str(" file")
            }
            K::ControlCharacter => f.write_str("contains a control character"),
            K::BidiControl => f.write_str("contains a bidirectional formatting character"),
            K::TooLong {
                max,
                provider: Some(provider),
            } => write!(
                f,
                "is longer than the {max}-character name limit of {provider}"
            ),
            K::TooLong {
                max,
                provider: None,
            } => write!(f, "is longer than {max} characters"),
            K::MalformedFile { media_type } => write!(
                f,
                "is not a complete, well-formed {} file",
                media_type.name()
            ),
            K::ImageTooLarge {
                size,
                limit,
                provider,
            } => write!(
                f,
                "is {size} bytes, over the {limit}-byte image limit of {provider}"
            ),
        }
    }
}

/// One problem: the field's path in the canonical JSON and the rule it breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// Dotted path of the field (`person.identity_document.front_image`); empty for the whole customer.
    pub path: String,
    /// The rule broken.
    pub kind: ValidationErrorKind,
}

impl ValidationError {
    /// A problem at `path`.
    pub fn new(path: impl Into<String>, kind: ValidationErrorKind) -> Self {
        Self {
            path: path.into(),
            kind,
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "customer"
        } else {
            &self.path
        };
        write!(f, "{path} {}", self.kind)
    }
}

impl std::error::Error for ValidationError {}

/// Every problem found, in field order; never empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationErrors(Vec<ValidationError>);

impl ValidationErrors {
    /// The problems.
    pub fn as_slice(&self) -> &[ValidationError] {
        &self.0
    }

    /// The problems, owned.
    pub fn into_vec(self) -> Vec<ValidationError> {
        self.0
    }

    /// Iterates over the problems.
    pub fn iter(&self) -> std::slice::Iter<'_, ValidationError> {
        self.0.iter()
    }

    /// How many problems.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: an error value holds at least one problem.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether a problem of this kind was found at this path.
    pub fn contains(&self, path: &str, kind: &ValidationErrorKind) -> bool {
        self.0.iter().any(|e| e.path == path && &e.kind == kind)
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [one] => write!(f, "invalid customer: {one}"),
            all => {
                write!(f, "invalid customer, {} problems:", all.len())?;
                for error in all {
                    write!(f, "\n- {error}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ValidationErrors {}

impl IntoIterator for ValidationErrors {
    type Item = ValidationError;
    type IntoIter = std::vec::IntoIter<ValidationError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a ValidationError;
    type IntoIter = std::slice::Iter<'a, ValidationError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl Customer {
    /// Checks the customer as of the current UTC date against every provider's limits; returns every
    /// problem at once.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        self.validate_with(&ValidationContext::current())
    }

    /// Checks the customer as of `context.today()` against the limits of `context.providers()`; returns
    /// every problem at once.
    pub fn validate_with(&self, context: &ValidationContext) -> Result<(), ValidationErrors> {
        let mut checker = Checker {
            context,
            errors: Vec::new(),
        };
        match self {
            Customer::Person(person) => checker.person("person", person),
            Customer::Company(company) => checker.company("company", company),
        }
        if checker.errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(checker.errors))
        }
    }

    /// Parses the canonical JSON. A structural problem (not JSON, a missing or unknown field, a wrong
    /// type, an impossible date, bad base64) comes back as a [`ValidationErrors`] with the field's path;
    /// parsing stops at the first one. Follow with [`Customer::validate_with`] for the rules.
    pub fn from_json(json: impl AsRef<[u8]>) -> Result<Customer, ValidationErrors> {
        let mut deserializer = serde_json::Deserializer::from_slice(json.as_ref());
        let customer: Customer = serde_path_to_error::deserialize(&mut deserializer)
            .map_err(|e| ValidationErrors(vec![parse_error(&e)]))?;
        deserializer.end().map_err(|_| {
            ValidationErrors(vec![ValidationError::new(
                "",
                ValidationErrorKind::InvalidJson,
            )])
        })?;
        Ok(customer)
    }
}

/// Fields whose deserialisation failure means an impossible or malformed date.
const DATE_FIELDS: &[&str] = &["date_of_birth", "expiry_date"];
/// Fields whose deserialisation failure means a malformed timestamp.
const TIMESTAMP_FIELDS: &[&str] = &["id_verified_at", "liveness_verified_at"];
/// Fields whose deserialisation failure means bad base64.
const IMAGE_FIELDS: &[&str] = &["front_image", "back_image", "face", "liveness"];

/// Every field name of the canonical JSON (the `properties` of every object of its JSON Schema): the
/// only keys that may appear in an error path.
static FIELD_NAMES: LazyLock<HashSet<String>> = LazyLock::new(|| {
    fn collect(value: &serde_json::Value, names: &mut HashSet<String>) {
        match value {
            serde_json::Value::Object(object) => {
                if let Some(serde_json::Value::Object(properties)) = object.get("properties") {
                    names.extend(properties.keys().cloned());
                }
                object.values().for_each(|v| collect(v, names));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, names)),
            _ => {}
        }
    }
    let mut names = HashSet::new();
    collect(
        crate::customer::customer_json_schema().as_value(),
        &mut names,
    );
    names
});

fn is_field_name(key: &str) -> bool {
    FIELD_NAMES.contains(key)
}

/// Turns a serde error into a path and a rule, without keeping serde's message (it can quote the value)
/// and without copying a key that is not a field name into the path (it can be personal data).
fn parse_error(error: &serde_path_to_error::Error<serde_json::Error>) -> ValidationError {
    use ValidationErrorKind as K;
    let mut path = String::new();
    // The path before the last field was added, and that field.
    let mut parent_len = 0;
    let mut last = None;
    for segment in error.path().iter() {
        let field = match segment {
            Segment::Seq { index } => {
                path.push_str(&format!("[{index}]"));
                last = None;
                continue;
            }
            Segment::Map { key } => key.as_str(),
            Segment::Enum { variant } => variant.as_str(),
            // A key serde had not read yet (e.g. at the end of truncated JSON): nothing to name.
            Segment::Unknown => {
                last = None;
                continue;
            }
        };
        if !is_field_name(field) {
            // A key outside the model: the path stops at the object that holds it.
            last = None;
            break;
        }
        parent_len = path.len();
        push_field(&mut path, field);
        last = Some(field);
    }
    let inner = error.inner();
    if !inner.is_data() {
        return ValidationError::new(path, K::InvalidJson);
    }
    // serde's messages for these quote a field name — one of the model's (missing, duplicate), or
    // whatever key the input had (unknown), which is not copied.
    let message = inner.to_string();
    if let Some(field) = quoted_after(&message, "missing field `")
        && is_field_name(field)
    {
        push_field(&mut path, field);
        return ValidationError::new(path, K::Missing);
    }
    if let Some(field) = quoted_after(&message, "duplicate field `")
        && is_field_name(field)
    {
        if last != Some(field) {
            push_field(&mut path, field);
        }
        return ValidationError::new(path, K::DuplicateField);
    }
    if let Some(field) = quoted_after(&message, "unknown field `") {
        // The path may end at the key when the key is a field name elsewhere in the model: name the
        // object that holds it.
        if last == Some(field) {
            path.truncate(parent_len);
        }
        return ValidationError::new(
            path,
            K::UnknownField {
                line: inner.line(),
                column: inner.column(),
            },
        );
    }
    let kind = match last {
        Some(field) if DATE_FIELDS.contains(&field) => K::NotACalendarDate,
        Some(field) if TIMESTAMP_FIELDS.contains(&field) => K::NotATimestamp,
        Some(field) if IMAGE_FIELDS.contains(&field) => K::NotBase64,
        _ if message.starts_with("unknown variant") => K::NotAllowedValue,
        _ => K::WrongType,
    };
    ValidationError::new(path, kind)
}

fn push_field(path: &mut String, field: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(field);
}

/// The text between `prefix` (ending in a backquote) and the next backquote.
fn quoted_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    message.strip_prefix(prefix)?.split('`').next()
}

/// Collects every problem of one customer.
struct Checker<'c> {
    context: &'c ValidationContext,
    errors: Vec<ValidationError>,
}

impl Checker<'_> {
    fn report(&mut self, path: &str, field: &str, kind: ValidationErrorKind) {
        let path = if field.is_empty() {
            path.to_owned()
        } else {
            format!("{path}.{field}")
        };
        self.errors.push(ValidationError::new(path, kind));
    }

    fn person(&mut self, path: &str, person: &Person) {
        let name = &person.legal_name;
        let name_path = format!("{path}.legal_name");
        self.name(&name_path, "first_name", name.first_name.expose_str());
        if let Some(middle) = &name.middle_name {
            self.name(&name_path, "middle_name", middle.expose_str());
        }
        self.name(&name_path, "last_name", name.last_name.expose_str());
        if let Some(second) = &name.second_last_name {
            self.name(&name_path, "second_last_name", second.expose_str());
        }

        self.date_of_birth(path, "date_of_birth", *person.date_of_birth.expose());
        self.country(path, "nationality", person.nationality.expose());
        self.country(
            path,
            "country_of_residence",
            person.country_of_residence.expose(),
        );
        self.email(path, "email", person.email.expose_str());
        if let Some(phone) = &person.mobile_phone {
            self.mobile_phone(path, "mobile_phone", phone.expose_str());
        }
        if let Some(address) = &person.residential_address {
            self.address(&format!("{path}.residential_address"), address);
        }
        if let Some(language) = &person.preferred_language
            && !language.expose().is_assigned()
        {
            self.report(
                path,
                "preferred_language",
                ValidationErrorKind::NotIsoLanguage,
            );
        }
        if let Some(document) = &person.identity_document {
            self.identity_document(&format!("{path}.identity_document"), document);
        }
        if let Some(biometrics) = &person.biometrics {
            self.biometrics(&format!("{path}.biometrics"), biometrics);
        }
        if let Some(verification) = &person.verification {
            self.verification(&format!("{path}.verification"), verification);
        }
        if let Some(due_diligence) = &person.due_diligence {
            self.due_diligence(&format!("{path}.due_diligence"), due_diligence);
        }
    }

    fn company(&mut self, path: &str, company: &Company) {
        self.name(path, "legal_name", company.legal_name.expose_str());
        self.text(
            path,
            "registration_number",
            company.registration_number.expose_str(),
        );
        self.country(path, "country", company.country.expose());
        self.email(path, "contact_email", company.contact_email.expose_str());
    }

    fn address(&mut self, path: &str, address: &Address) {
        self.text(path, "line1", address.line1.expose_str());
        if let Some(line2) = &address.line2 {
            self.text(path, "line2", line2.expose_str());
        }
        if let Some(number) = &address.street_number {
            self.text(path, "street_number", number.expose_str());
        }
        self.text(path, "city", address.city.expose_str());
        if let Some(postal_code) = &address.postal_code {
            self.text(path, "postal_code", postal_code.expose_str());
        }
        let country = address.country.expose();
        self.country(path, "country", country);
        if let Some(subdivision) = &address.subdivision {
            let subdivision = subdivision.expose();
            if !subdivision.is_assigned() {
                self.report(path, "subdivision", ValidationErrorKind::NotIsoSubdivision);
            } else if country.is_assigned() && subdivision.country_part() != country.as_str() {
                self.report(
                    path,
                    "subdivision",
                    ValidationErrorKind::SubdivisionOutsideCountry,
                );
            }
        }
        if let Some(coordinates) = &address.coordinates {
            let path = format!("{path}.coordinates");
            self.within(&path, "latitude", *coordinates.latitude.expose(), 90);
            self.within(&path, "longitude", *coordinates.longitude.expose(), 180);
        }
    }

    fn identity_document(&mut self, path: &str, document: &IdentityDocument) {
        self.text(path, "number", document.number.expose_str());
        self.country(path, "issuing_country", document.issuing_country.expose());
        if let Some(expiry) = &document.expiry_date
            && *expiry.expose() < self.context.today
        {
            self.report(path, "expiry_date", ValidationErrorKind::Expired);
        }
        if let Some(front) = &document.front_image {
            self.image(path, "front_image", front, MediaType::DOCUMENT_SCANS);
        }
        if let Some(back) = &document.back_image {
            self.image(path, "back_image", back, MediaType::DOCUMENT_SCANS);
        }
    }

    fn biometrics(&mut self, path: &str, biometrics: &BiometricCaptures) {
        if let Some(face) = &biometrics.face {
            self.image(path, "face", face, MediaType::PICTURES);
        }
        if let Some(liveness) = &biometrics.liveness {
            self.image(path, "liveness", liveness, MediaType::PICTURES);
        }
    }

    fn verification(&mut self, path: &str, verification: &VerificationHistory) {
        if let Some(at) = &verification.id_verified_at {
            self.not_in_future(path, "id_verified_at", at.expose());
        }
        if let Some(at) = &verification.liveness_verified_at {
            self.not_in_future(path, "liveness_verified_at", at.expose());
        }
        match &verification.verified_by {
            Some(KycVerifier::Sumsub { applicant_id }) => {
                self.text(
                    &format!("{path}.verified_by"),
                    "applicant_id",
                    applicant_id.expose_str(),
                );
            }
            Some(KycVerifier::Other { name, reference }) => {
                let path = format!("{path}.verified_by");
                self.text(&path, "name", name);
                if let Some(reference) = reference {
                    self.text(&path, "reference", reference.expose_str());
                }
            }
            None => {}
        }
    }

    fn due_diligence(&mut self, path: &str, due_diligence: &DueDiligence) {
        if let Some(income) = &due_diligence.expected_yearly_income {
            let IncomeRange { currency, min, max } = income.expose();
            let path = format!("{path}.expected_yearly_income");
            if !currency.is_assigned() {
                self.report(&path, "currency", ValidationErrorKind::NotIsoCurrency);
            }
            if max.is_some_and(|max| max <= *min) {
                self.report(&path, "max", ValidationErrorKind::EmptyRange);
            }
        }
    }

    /// A free text: no control or bidi character, something visible. Returns whether it passed.
    fn text(&mut self, path: &str, field: &str, value: &str) -> bool {
        let kind = match forbidden_character(value) {
            Some(kind) => kind,
            None if is_blank(value) => ValidationErrorKind::Empty,
            None => return true,
        };
        self.report(path, field, kind);
        false
    }

    /// A name: a free text within the providers' length limit.
    fn name(&mut self, path: &str, field: &str, value: &str) {
        if !self.text(path, field, value) {
            return;
        }
        let (max, provider) = self.context.name_limit();
        // Characters, not bytes: a limit on what a person reads. Stops counting past the limit.
        if value.chars().nth(max).is_some() {
            self.report(path, field, ValidationErrorKind::TooLong { max, provider });
        }
    }

    fn country(&mut self, path: &str, field: &str, country: &CountryCode) {
        if !country.is_assigned() {
            self.report(path, field, ValidationErrorKind::NotIsoCountry);
        }
    }

    fn date_of_birth(&mut self, path: &str, field: &str, date_of_birth: NaiveDate) {
        match self.context.today.years_since(date_of_birth) {
            None => self.report(path, field, ValidationErrorKind::InFuture),
            Some(age) if age < MINIMUM_AGE => self.report(
                path,
                field,
                ValidationErrorKind::TooYoung {
                    minimum: MINIMUM_AGE,
                },
            ),
            Some(age) if age >= MAXIMUM_AGE => self.report(
                path,
                field,
                ValidationErrorKind::TooOld {
                    maximum: MAXIMUM_AGE,
                },
            ),
            Some(_) => {}
        }
    }

    fn not_in_future(&mut self, path: &str, field: &str, at: &DateTime<Utc>) {
        if at.date_naive() > self.context.today {
            self.report(path, field, ValidationErrorKind::InFuture);
        }
    }

    fn email(&mut self, path: &str, field: &str, email: &str) {
        if let Some(kind) = forbidden_character(email) {
            self.report(path, field, kind);
            return;
        }
        let options = email_address::Options::default()
            .with_required_tld()
            .without_display_text()
            .without_domain_literal();
        if EmailAddress::parse_with_options(email, options).is_err() {
            self.report(path, field, ValidationErrorKind::InvalidEmail);
        }
    }

    fn mobile_phone(&mut self, path: &str, field: &str, phone: &str) {
        if let Err(kind) = check_mobile_phone(phone) {
            self.report(path, field, kind);
        }
    }

    fn within(&mut self, path: &str, field: &str, value: f64, bound: i32) {
        let bound_f = f64::from(bound);
        // NaN fails both comparisons, so it is reported too.
        if !(value >= -bound_f && value <= bound_f) {
            self.report(
                path,
                field,
                ValidationErrorKind::OutOfRange {
                    min: -bound,
                    max: bound,
                },
            );
        }
    }

    fn image(&mut self, path: &str, field: &str, image: &Image, allowed: &'static [MediaType]) {
        match image.media_type() {
            Some(media_type) if allowed.contains(&media_type) => {
                if !image.is_well_formed() {
                    self.report(
                        path,
                        field,
                        ValidationErrorKind::MalformedFile { media_type },
                    );
                }
            }
            _ => self.report(
                path,
                field,
                ValidationErrorKind::UnsupportedMediaType { allowed },
            ),
        }
        let size = image.len() as u64;
        if let Some((limit, provider)) = self.context.image_limit()
            && size > limit
        {
            self.report(
                path,
                field,
                ValidationErrorKind::ImageTooLarge {
                    size,
                    limit,
                    provider,
                },
            );
        }
    }
}

/// The bidirectional formatting characters: the embeddings and overrides LRE, RLE, PDF, LRO, RLO
/// (U+202A–U+202E) and the isolates LRI, RLI, FSI, PDI (U+2066–U+2069).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The rule a text breaks by a character it contains, if any: a control character (general category Cc:
/// NUL, C0 and C1 controls, DEL) or a bidirectional formatting character.
fn forbidden_character(text: &str) -> Option<ValidationErrorKind> {
    if text.chars().any(char::is_control) {
        Some(ValidationErrorKind::ControlCharacter)
    } else if text.chars().any(is_bidi_control) {
        Some(ValidationErrorKind::BidiControl)
    } else {
        None
    }
}

/// Whether nothing of the text is visible: only white space and format characters (general category
/// Cf: zero-width space and joiners, word joiner, soft hyphen, byte-order mark, direction marks).
fn is_blank(text: &str) -> bool {
    text.chars()
        .all(|c| c.is_whitespace() || c.general_category() == GeneralCategory::Format)
}

/// An E.164 mobile number: `+` and digits exactly as libphonenumber formats it, valid for its country,
/// and of a mobile type. Where a country's numbering cannot tell mobiles from fixed lines (the US),
/// libphonenumber says "fixed line or mobile", which is accepted.
fn check_mobile_phone(phone: &str) -> Result<(), ValidationErrorKind> {
    use phonenumber::{Mode, Type};
    let number =
        phonenumber::parse(None, phone).map_err(|_| ValidationErrorKind::NotE164MobileNumber)?;
    if !phone.starts_with('+')
        || number.format().mode(Mode::E164).to_string() != phone
        || !number.is_valid()
    {
        return Err(ValidationErrorKind::NotE164MobileNumber);
    }
    match number.number_type(&phonenumber::metadata::DATABASE) {
        Type::Mobile | Type::FixedLineOrMobile => Ok(()),
        _ => Err(ValidationErrorKind::NotMobileNumber),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_follow_libphonenumber() {
        for good in [
            "+34600111222",
            "+12015550123",
            "+525521206703",
            "+447400123456",
        ] {
            assert_eq!(check_mobile_phone(good), Ok(()), "{good}");
        }
        for not_e164 in [
            "600111222",
            "0034600111222",
            "+34 600 111 222",
            "+3460011122",
            "+34600111222;ext=1",
            "",
            "phone",
        ] {
            assert_eq!(
                check_mobile_phone(not_e164),
                Err(ValidationErrorKind::NotE164MobileNumber),
                "{not_e164}"
            );
        }
        // Spanish fixed line (Madrid) and toll-free.
        for fixed in ["+34915550123", "+34900123456"] {
            assert_eq!(
                check_mobile_phone(fixed),
                Err(ValidationErrorKind::NotMobileNumber),
                "{fixed}"
            );
        }
    }

    #[test]
    fn the_strictest_image_limit_applies() {
        let today = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let all = ValidationContext::new(today);
        assert_eq!(
            all.image_limit(),
            Some((
                crate::providers::limits::DEFAULT_MAX_IMAGE_BYTES,
                Provider::CryptoPocket
            ))
        );
        let leap_only = ValidationContext::new(today).for_providers([Provider::Leap]);
        assert_eq!(leap_only.image_limit(), None);
    }

    #[test]
    fn media_type_lists_read_naturally() {
        let kind = ValidationErrorKind::UnsupportedMediaType {
            allowed: MediaType::DOCUMENT_SCANS,
        };
        assert_eq!(kind.to_string(), "is not a JPEG, PNG or PDF file");
        let kind = ValidationErrorKind::UnsupportedMediaType {
            allowed: MediaType::PICTURES,
        };
        assert_eq!(kind.to_string(), "is not a JPEG or PNG file");
    }
}
