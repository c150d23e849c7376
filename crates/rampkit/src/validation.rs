//! Checking a canonical customer once, before anything is sent to any provider.
//!
//! [`Customer::validate`] (or [`Customer::validate_with`] for a fixed date and a set of providers)
//! returns every problem at once. [`Customer::from_json`] parses the canonical JSON and reports a
//! structural problem (an impossible date, a missing field, bad base64) the same way. Each
//! [`ValidationError`] names the field by its path in the canonical JSON (`person.date_of_birth`,
//! `person.identity_document.front_image`) and the rule it breaks ([`ValidationErrorKind`]).
//!
//! No message carries the personal value itself: "person.mobile_phone is not a valid E.164 mobile
//! number", never the number. Image sizes and limits are not personal and are shown.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use email_address::EmailAddress;
use serde_path_to_error::Segment;

use crate::customer::{
    Address, BiometricCaptures, Company, CountryCode, Customer, DueDiligence, IdentityDocument,
    Image, IncomeRange, KycVerifier, MediaType, Person, VerificationHistory,
};
use crate::limits::Provider;

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
    /// The field is not part of the canonical model (reported by [`Customer::from_json`]).
    UnknownField,
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
            K::UnknownField => f.write_str("is not a field of the canonical customer"),
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

/// Turns a serde error into a path and a rule, without keeping serde's message (it can quote the value).
fn parse_error(error: &serde_path_to_error::Error<serde_json::Error>) -> ValidationError {
    use ValidationErrorKind as K;
    let mut path = String::new();
    let mut last = None;
    for segment in error.path().iter() {
        match segment {
            Segment::Seq { index } => path.push_str(&format!("[{index}]")),
            Segment::Map { key } => push_field(&mut path, key),
            Segment::Enum { variant } => push_field(&mut path, variant),
            // A key serde had not read yet (e.g. at the end of truncated JSON): nothing to name.
            Segment::Unknown => {}
        }
        last = match segment {
            Segment::Map { key } => Some(key.as_str()),
            Segment::Enum { variant } => Some(variant.as_str()),
            Segment::Seq { .. } | Segment::Unknown => None,
        };
    }
    let inner = error.inner();
    if !inner.is_data() {
        return ValidationError::new(path, K::InvalidJson);
    }
    // serde's messages for these two quote a field name, never a value.
    let message = inner.to_string();
    if let Some(field) = quoted_after(&message, "missing field `") {
        push_field(&mut path, field);
        return ValidationError::new(path, K::Missing);
    }
    if let Some(field) = quoted_after(&message, "unknown field `") {
        // The path already ends at the unknown key; add it only if it does not.
        if last != Some(field) {
            push_field(&mut path, field);
        }
        return ValidationError::new(path, K::UnknownField);
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
        self.non_empty(&name_path, "first_name", name.first_name.expose_str());
        if let Some(middle) = &name.middle_name {
            self.non_empty(&name_path, "middle_name", middle.expose_str());
        }
        self.non_empty(&name_path, "last_name", name.last_name.expose_str());
        if let Some(second) = &name.second_last_name {
            self.non_empty(&name_path, "second_last_name", second.expose_str());
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
        self.non_empty(path, "legal_name", company.legal_name.expose_str());
        self.non_empty(
            path,
            "registration_number",
            company.registration_number.expose_str(),
        );
        self.country(path, "country", company.country.expose());
        self.email(path, "contact_email", company.contact_email.expose_str());
    }

    fn address(&mut self, path: &str, address: &Address) {
        self.non_empty(path, "line1", address.line1.expose_str());
        if let Some(line2) = &address.line2 {
            self.non_empty(path, "line2", line2.expose_str());
        }
        if let Some(number) = &address.street_number {
            self.non_empty(path, "street_number", number.expose_str());
        }
        self.non_empty(path, "city", address.city.expose_str());
        if let Some(postal_code) = &address.postal_code {
            self.non_empty(path, "postal_code", postal_code.expose_str());
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
        self.non_empty(path, "number", document.number.expose_str());
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
            Some(KycVerifier::Sumsub { applicant_id }) => self.non_empty(
                &format!("{path}.verified_by"),
                "applicant_id",
                applicant_id.expose_str(),
            ),
            Some(KycVerifier::Other { name, reference }) => {
                let path = format!("{path}.verified_by");
                self.non_empty(&path, "name", name);
                if let Some(reference) = reference {
                    self.non_empty(&path, "reference", reference.expose_str());
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

    fn non_empty(&mut self, path: &str, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.report(path, field, ValidationErrorKind::Empty);
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
        if !image.media_type().is_some_and(|m| allowed.contains(&m)) {
            self.report(
                path,
                field,
                ValidationErrorKind::UnsupportedMediaType { allowed },
            );
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
                crate::limits::DEFAULT_MAX_IMAGE_BYTES,
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
