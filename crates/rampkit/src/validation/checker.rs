//! The rules, field by field: one [`Checker`] walks a customer and collects every problem.

use chrono::{DateTime, NaiveDate, Utc};
use email_address::EmailAddress;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use crate::customer::{
    Address, BiometricCaptures, Company, CountryCode, DueDiligence, IdentityDocument, Image,
    IncomeRange, MediaType, Person, VerificationHistory,
};

use super::{MAXIMUM_AGE, MINIMUM_AGE, ValidationContext, ValidationError, ValidationErrorKind};
/// Collects every problem of one customer.
pub(super) struct Checker<'c> {
    pub(super) context: &'c ValidationContext,
    pub(super) errors: Vec<ValidationError>,
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

    pub(super) fn person(&mut self, path: &str, person: &Person) {
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

    pub(super) fn company(&mut self, path: &str, company: &Company) {
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
        if let Some(verifier) = &verification.verified_by {
            let path = format!("{path}.verified_by");
            for (field, value) in verifier.text_fields() {
                self.text(&path, field, value);
            }
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
pub(super) fn check_mobile_phone(phone: &str) -> Result<(), ValidationErrorKind> {
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
