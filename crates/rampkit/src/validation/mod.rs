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
//! complete, well-formed files ([`Image::is_well_formed`](crate::Image::is_well_formed)); dates are exactly `YYYY-MM-DD`.

mod checker;
mod error;
mod parse;

use chrono::{NaiveDate, Utc};

use crate::customer::Customer;
use crate::providers::Provider;
use crate::providers::limits::DEFAULT_MAX_NAME_CHARS;
#[cfg(doc)]
use crate::providers::limits::ProviderLimits;
use checker::Checker;
pub use error::{ValidationError, ValidationErrorKind, ValidationErrors};
pub use parse::looks_like_a_key;
use parse::parse_all;

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

    /// Parses the canonical JSON. Every structural problem (not JSON, a missing or unknown field, a
    /// wrong type, an impossible date, bad base64) comes back in one [`ValidationErrors`], each with its
    /// field's path: after a problem, the field is set aside and parsing goes on. Follow with
    /// [`Customer::validate_with`] for the rules, or use [`Customer::check_json`] for both in one pass.
    pub fn from_json(json: impl AsRef<[u8]>) -> Result<Customer, ValidationErrors> {
        parse_all(json.as_ref()).map_err(|(_, errors)| ValidationErrors(errors))
    }

    /// Parses the canonical JSON and checks the rules in one pass: every structural problem and every
    /// broken rule of the fields that could be read, so that a file needs one round of fixes, not one
    /// per problem. A field with a structural problem is reported once (its rules are not checked).
    pub fn check_json(
        json: impl AsRef<[u8]>,
        context: &ValidationContext,
    ) -> Result<Customer, ValidationErrors> {
        let (customer, mut errors) = match parse_all(json.as_ref()) {
            Ok(customer) => {
                customer.validate_with(context)?;
                return Ok(customer);
            }
            Err(found) => found,
        };
        if let Some(repaired) = customer
            && let Err(ValidationErrors(rules)) = repaired.validate_with(context)
        {
            // The fields set aside (an unknown key names the object that holds it: not set aside).
            let reported: Vec<String> = errors
                .iter()
                .filter(|e| !matches!(e.kind, ValidationErrorKind::UnknownField { .. }))
                .map(|e| e.path.clone())
                .collect();
            errors.extend(rules.into_iter().filter(|rule| {
                !reported
                    .iter()
                    .any(|path| rule.path == *path || rule.path.starts_with(&format!("{path}.")))
            }));
        }
        Err(ValidationErrors(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::checker::check_mobile_phone;
    use super::*;
    use crate::customer::MediaType;

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
