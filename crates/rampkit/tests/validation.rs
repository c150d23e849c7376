//! One failing case per validation rule, each asserting the exact path and kind; several problems are
//! reported together; no message repeats a personal value.

mod common;

use chrono::{Datelike as _, NaiveDate};
use common::{context, fixture_value, person_mut, spanish_person, today};
use rampkit::limits::DEFAULT_MAX_IMAGE_BYTES;
use rampkit::validation::{MAXIMUM_AGE, MINIMUM_AGE};
use rampkit::{
    Customer, Image, MediaType, Provider, ValidationContext, ValidationError,
    ValidationErrorKind as K, ValidationErrors,
};
use rampkit_runtime::Pii;
use serde_json::{Value, json};

const PDF: &[u8] =
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
const GIF: &[u8] = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";

/// The Spanish fixture with `edits` applied (JSON Pointer → new value, added if absent; `null` removes
/// the field).
fn spanish_with(edits: &[(&str, Value)]) -> Value {
    let mut value = fixture_value("person_es_dni");
    for (pointer, new) in edits {
        if new.is_null() {
            let (parent, field) = pointer.rsplit_once('/').unwrap();
            value
                .pointer_mut(parent)
                .unwrap()
                .as_object_mut()
                .unwrap()
                .remove(field);
        } else if let Some(slot) = value.pointer_mut(pointer) {
            *slot = new.clone();
        } else {
            let (parent, field) = pointer.rsplit_once('/').unwrap();
            value
                .pointer_mut(parent)
                .and_then(Value::as_object_mut)
                .unwrap_or_else(|| panic!("no {parent}"))
                .insert(field.to_owned(), new.clone());
        }
    }
    value
}

/// Parses and validates; the errors of whichever step failed.
fn problems(json: &Value, context: &ValidationContext) -> Vec<ValidationError> {
    match Customer::from_json(json.to_string()) {
        Ok(customer) => customer
            .validate_with(context)
            .err()
            .map(ValidationErrors::into_vec)
            .unwrap_or_default(),
        Err(errors) => errors.into_vec(),
    }
}

fn error(path: &str, kind: K) -> ValidationError {
    ValidationError::new(path, kind)
}

/// Asserts that the Spanish fixture with one edit has exactly one problem.
#[track_caller]
fn assert_single(pointer: &str, new: Value, path: &str, kind: K) {
    let json = spanish_with(&[(pointer, new)]);
    assert_eq!(problems(&json, &context()), vec![error(path, kind)]);
}

#[track_caller]
fn assert_valid(pointer: &str, new: Value) {
    let json = spanish_with(&[(pointer, new)]);
    assert_eq!(problems(&json, &context()), vec![]);
}

#[test]
fn date_of_birth_must_be_a_real_calendar_date() {
    for impossible in [
        "1990-02-30",
        "1990-13-01",
        "1990-00-10",
        "15/05/1990",
        "1990-05-15T00:00:00",
    ] {
        assert_single(
            "/person/date_of_birth",
            json!(impossible),
            "person.date_of_birth",
            K::NotACalendarDate,
        );
    }
    assert_valid("/person/date_of_birth", json!("1992-02-29"));
}

#[test]
fn age_must_be_at_least_18_and_under_100() {
    // today() is 2026-06-01.
    assert_single(
        "/person/date_of_birth",
        json!("2008-06-02"),
        "person.date_of_birth",
        K::TooYoung {
            minimum: MINIMUM_AGE,
        },
    );
    assert_valid("/person/date_of_birth", json!("2008-06-01"));
    assert_single(
        "/person/date_of_birth",
        json!("1926-06-01"),
        "person.date_of_birth",
        K::TooOld {
            maximum: MAXIMUM_AGE,
        },
    );
    assert_valid("/person/date_of_birth", json!("1926-06-02"));
    assert_single(
        "/person/date_of_birth",
        json!("2026-06-02"),
        "person.date_of_birth",
        K::InFuture,
    );
}

#[test]
fn the_clock_is_injected() {
    let customer = Customer::from_json(
        spanish_with(&[("/person/date_of_birth", json!("2008-06-01"))]).to_string(),
    )
    .unwrap();
    let day_before = ValidationContext::new(NaiveDate::from_ymd_opt(2026, 5, 31).unwrap());
    assert_eq!(
        customer.validate_with(&day_before).unwrap_err().into_vec(),
        vec![error(
            "person.date_of_birth",
            K::TooYoung {
                minimum: MINIMUM_AGE
            }
        )]
    );
    assert_eq!(
        customer.validate_with(&ValidationContext::new(today())),
        Ok(())
    );
}

#[test]
fn countries_must_be_iso_3166_1_alpha_2() {
    for (pointer, path) in [
        ("/person/nationality", "person.nationality"),
        (
            "/person/country_of_residence",
            "person.country_of_residence",
        ),
        (
            "/person/residential_address/country",
            "person.residential_address.country",
        ),
        (
            "/person/identity_document/issuing_country",
            "person.identity_document.issuing_country",
        ),
    ] {
        for bad in ["XX", "es", "ESP", ""] {
            let json = spanish_with(&[(pointer, json!(bad))]);
            let errors = problems(&json, &context());
            assert!(
                errors.contains(&error(path, K::NotIsoCountry)),
                "{pointer} = {bad}: {errors:?}"
            );
        }
    }
}

#[test]
fn subdivisions_must_be_iso_3166_2_and_in_the_address_country() {
    assert_single(
        "/person/residential_address/subdivision",
        json!("ES-XX"),
        "person.residential_address.subdivision",
        K::NotIsoSubdivision,
    );
    assert_single(
        "/person/residential_address/subdivision",
        json!("Madrid"),
        "person.residential_address.subdivision",
        K::NotIsoSubdivision,
    );
    assert_single(
        "/person/residential_address/subdivision",
        json!("US-NY"),
        "person.residential_address.subdivision",
        K::SubdivisionOutsideCountry,
    );
    assert_valid("/person/residential_address/subdivision", json!("ES-MD"));
    assert_valid("/person/residential_address/subdivision", Value::Null);
}

#[test]
fn mobile_numbers_must_be_e164_mobiles() {
    for not_e164 in [
        "600111222",
        "+34 600 111 222",
        "0034600111222",
        "+3460011122",
    ] {
        assert_single(
            "/person/mobile_phone",
            json!(not_e164),
            "person.mobile_phone",
            K::NotE164MobileNumber,
        );
    }
    // A Madrid fixed line.
    assert_single(
        "/person/mobile_phone",
        json!("+34915550123"),
        "person.mobile_phone",
        K::NotMobileNumber,
    );
    assert_valid("/person/mobile_phone", Value::Null);
}

#[test]
fn emails_must_be_addresses() {
    for bad in [
        "lucia.garcia@",
        "lucia.garcia",
        "Lucía <lucia.garcia@example.com>",
        "lucia@localhost",
        "",
    ] {
        assert_single("/person/email", json!(bad), "person.email", K::InvalidEmail);
    }
}

#[test]
fn identity_documents_must_not_be_expired() {
    assert_single(
        "/person/identity_document/expiry_date",
        json!("2026-05-31"),
        "person.identity_document.expiry_date",
        K::Expired,
    );
    assert_valid("/person/identity_document/expiry_date", json!("2026-06-01"));
    assert_single(
        "/person/identity_document/expiry_date",
        json!("2031-02-29"),
        "person.identity_document.expiry_date",
        K::NotACalendarDate,
    );
}

#[test]
fn images_must_be_jpeg_png_or_pdf() {
    use base64::Engine as _;
    let b64 = |bytes: &[u8]| json!(base64::engine::general_purpose::STANDARD.encode(bytes));
    assert_single(
        "/person/identity_document/front_image",
        b64(GIF),
        "person.identity_document.front_image",
        K::UnsupportedMediaType {
            allowed: MediaType::DOCUMENT_SCANS,
        },
    );
    assert_valid("/person/identity_document/back_image", b64(PDF));
    // A selfie is a picture: a PDF is refused there.
    assert_single(
        "/person/biometrics/face",
        b64(PDF),
        "person.biometrics.face",
        K::UnsupportedMediaType {
            allowed: MediaType::PICTURES,
        },
    );
    assert_single(
        "/person/biometrics/liveness",
        b64(b""),
        "person.biometrics.liveness",
        K::UnsupportedMediaType {
            allowed: MediaType::PICTURES,
        },
    );
    assert_single(
        "/person/identity_document/front_image",
        json!("not base64!"),
        "person.identity_document.front_image",
        K::NotBase64,
    );
}

#[test]
fn images_must_fit_each_providers_limit() {
    let mut customer = spanish_person();
    // A complete JPEG (the fixture's front image) followed by zeros up to one byte over the limit: bytes
    // after the end-of-image marker do not make the file malformed, so size is the only problem.
    let fixture_jpeg = Customer::from_json(fixture_value("person_es_dni").to_string())
        .unwrap()
        .as_person()
        .and_then(|p| p.identity_document.as_ref()?.front_image.clone())
        .unwrap();
    let mut big = vec![0u8; DEFAULT_MAX_IMAGE_BYTES as usize + 1];
    big[..fixture_jpeg.len()].copy_from_slice(fixture_jpeg.bytes());
    let size = big.len() as u64;
    person_mut(&mut customer)
        .identity_document
        .as_mut()
        .unwrap()
        .front_image = Some(Image::new(big));

    let errors = customer.validate_with(&context()).unwrap_err();
    assert_eq!(
        errors.into_vec(),
        vec![error(
            "person.identity_document.front_image",
            K::ImageTooLarge {
                size,
                limit: DEFAULT_MAX_IMAGE_BYTES,
                provider: Provider::CryptoPocket,
            }
        )]
    );
    let crossmint = context().for_providers([Provider::Crossmint]);
    assert!(customer.validate_with(&crossmint).unwrap_err().contains(
        "person.identity_document.front_image",
        &K::ImageTooLarge {
            size,
            limit: DEFAULT_MAX_IMAGE_BYTES,
            provider: Provider::Crossmint,
        }
    ));
    // Leap and Kriptomat are sent no images: no size limit applies.
    let no_images = context().for_providers([Provider::Leap, Provider::Kriptomat]);
    assert_eq!(customer.validate_with(&no_images), Ok(()));
}

#[test]
fn required_texts_must_not_be_blank() {
    for (pointer, path) in [
        (
            "/person/legal_name/first_name",
            "person.legal_name.first_name",
        ),
        (
            "/person/legal_name/last_name",
            "person.legal_name.last_name",
        ),
        (
            "/person/legal_name/second_last_name",
            "person.legal_name.second_last_name",
        ),
        (
            "/person/residential_address/line1",
            "person.residential_address.line1",
        ),
        (
            "/person/residential_address/city",
            "person.residential_address.city",
        ),
        (
            "/person/identity_document/number",
            "person.identity_document.number",
        ),
        (
            "/person/verification/verified_by/applicant_id",
            "person.verification.verified_by.applicant_id",
        ),
    ] {
        assert_single(pointer, json!("  "), path, K::Empty);
    }
}

#[test]
fn languages_and_currencies_must_be_iso() {
    assert_single(
        "/person/preferred_language",
        json!("zz"),
        "person.preferred_language",
        K::NotIsoLanguage,
    );
    assert_single(
        "/person/preferred_language",
        json!("spa"),
        "person.preferred_language",
        K::NotIsoLanguage,
    );
    assert_single(
        "/person/due_diligence/expected_yearly_income/currency",
        json!("EURO"),
        "person.due_diligence.expected_yearly_income.currency",
        K::NotIsoCurrency,
    );
}

#[test]
fn income_ranges_must_not_be_empty() {
    assert_single(
        "/person/due_diligence/expected_yearly_income/max",
        json!(30000),
        "person.due_diligence.expected_yearly_income.max",
        K::EmptyRange,
    );
    assert_valid(
        "/person/due_diligence/expected_yearly_income/max",
        Value::Null,
    );
}

#[test]
fn coordinates_must_be_on_earth() {
    assert_single(
        "/person/residential_address/coordinates/latitude",
        json!(90.5),
        "person.residential_address.coordinates.latitude",
        K::OutOfRange { min: -90, max: 90 },
    );
    assert_single(
        "/person/residential_address/coordinates/longitude",
        json!(-180.01),
        "person.residential_address.coordinates.longitude",
        K::OutOfRange {
            min: -180,
            max: 180,
        },
    );
}

#[test]
fn verification_timestamps_must_not_be_in_the_future() {
    assert_single(
        "/person/verification/liveness_verified_at",
        json!("2026-06-02T00:00:00Z"),
        "person.verification.liveness_verified_at",
        K::InFuture,
    );
    assert_valid(
        "/person/verification/id_verified_at",
        json!("2026-06-01T23:59:59+00:00"),
    );
    assert_single(
        "/person/verification/id_verified_at",
        json!("yesterday"),
        "person.verification.id_verified_at",
        K::NotATimestamp,
    );
}

#[test]
fn structural_problems_name_their_field() {
    assert_single(
        "/person/legal_name/first_name",
        Value::Null,
        "person.legal_name.first_name",
        K::Missing,
    );
    // The unknown key is not named (it could be personal data): its object and position are.
    let json = spanish_with(&[("/person/legal_name/nickname", json!("Lu"))]);
    let errors = problems(&json, &context());
    assert!(
        matches!(
            errors.as_slice(),
            [ValidationError { path, kind: K::UnknownField { line: 1, column, .. } }]
                if path == "person.legal_name" && *column > 0
        ),
        "{errors:?}"
    );
    assert_single(
        "/person/gender",
        json!("f"),
        "person.gender",
        K::NotAllowedValue,
    );
    assert_single(
        "/person/identity_document/document_type",
        json!("dni"),
        "person.identity_document.document_type",
        K::NotAllowedValue,
    );
    assert_single(
        "/person/verification/verified_by/provider",
        json!("onfido"),
        "person.verification.verified_by.provider",
        K::NotAllowedValue,
    );
    assert_single(
        "/person/residential_address/coordinates/latitude",
        json!("40.4"),
        "person.residential_address.coordinates.latitude",
        K::WrongType,
    );
    assert_eq!(
        Customer::from_json("{\"person\": {")
            .unwrap_err()
            .into_vec(),
        vec![error("person", K::InvalidJson)]
    );
    assert_eq!(
        Customer::from_json("{\"persona\": {}}")
            .unwrap_err()
            .into_vec(),
        vec![error("", K::NotAllowedValue)]
    );
}

#[test]
fn company_rules() {
    let company = json!({"company": {
        "legal_name": " ",
        "registration_number": "B12345678",
        "country": "España",
        "contact_email": "compliance at rampadigital.example.com",
    }});
    assert_eq!(
        problems(&company, &context()),
        vec![
            error("company.legal_name", K::Empty),
            error("company.country", K::NotIsoCountry),
            error("company.contact_email", K::InvalidEmail),
        ]
    );
}

#[test]
fn every_problem_is_reported_at_once_in_field_order() {
    let json = spanish_with(&[
        ("/person/legal_name/first_name", json!("")),
        ("/person/date_of_birth", json!("2010-01-01")),
        ("/person/nationality", json!("XX")),
        ("/person/email", json!("lucia.garcia@")),
        ("/person/mobile_phone", json!("600111222")),
        ("/person/residential_address/subdivision", json!("MX-CMX")),
        ("/person/identity_document/expiry_date", json!("2020-01-01")),
        (
            "/person/identity_document/back_image",
            json!("R0lGODlhAQABAAAAADs="),
        ),
        (
            "/person/due_diligence/expected_yearly_income/currency",
            json!("eur"),
        ),
    ]);
    let customer = Customer::from_json(json.to_string()).unwrap();
    let errors = customer.validate_with(&context()).unwrap_err();
    assert_eq!(
        errors.as_slice(),
        [
            error("person.legal_name.first_name", K::Empty),
            error(
                "person.date_of_birth",
                K::TooYoung {
                    minimum: MINIMUM_AGE
                }
            ),
            error("person.nationality", K::NotIsoCountry),
            error("person.email", K::InvalidEmail),
            error("person.mobile_phone", K::NotE164MobileNumber),
            error(
                "person.residential_address.subdivision",
                K::SubdivisionOutsideCountry
            ),
            error("person.identity_document.expiry_date", K::Expired),
            error(
                "person.identity_document.back_image",
                K::UnsupportedMediaType {
                    allowed: MediaType::DOCUMENT_SCANS
                }
            ),
            error(
                "person.due_diligence.expected_yearly_income.currency",
                K::NotIsoCurrency
            ),
        ]
    );
    assert_eq!(
        errors.to_string(),
        "invalid customer, 9 problems:\n\
         - person.legal_name.first_name must not be empty\n\
         - person.date_of_birth gives an age under 18\n\
         - person.nationality is not an ISO 3166-1 alpha-2 country code\n\
         - person.email is not a valid email address\n\
         - person.mobile_phone is not a valid E.164 mobile number\n\
         - person.residential_address.subdivision is not a subdivision of the address's country\n\
         - person.identity_document.expiry_date is in the past: the document has expired\n\
         - person.identity_document.back_image is not a JPEG, PNG or PDF file\n\
         - person.due_diligence.expected_yearly_income.currency is not an ISO 4217 currency code"
    );
}

#[test]
fn messages_never_repeat_the_personal_value() {
    let planted = [
        ("/person/email", "planted-secret@"),
        ("/person/mobile_phone", "+34915550123"),
        ("/person/nationality", "QQ"),
        ("/person/residential_address/subdivision", "ES-QQ9"),
        ("/person/preferred_language", "qq"),
        ("/person/date_of_birth", "2019-04-07"),
    ];
    let edits: Vec<(&str, Value)> = planted.iter().map(|(p, v)| (*p, json!(v))).collect();
    let errors = problems(&spanish_with(&edits), &context());
    assert_eq!(errors.len(), planted.len(), "{errors:?}");
    let text: String = errors.iter().map(|e| format!("{e} {e:?}\n")).collect();
    for (_, value) in planted {
        assert!(!text.contains(value), "{value} leaked: {text}");
    }

    let impossible = spanish_with(&[("/person/date_of_birth", json!("1990-02-30"))]);
    let errors = Customer::from_json(impossible.to_string()).unwrap_err();
    let text = format!("{errors} {errors:?}");
    assert!(
        !text.contains("1990-02-30") && !text.contains("02-30"),
        "{text}"
    );

    let bad_gender = spanish_with(&[("/person/gender", json!("planted-gender"))]);
    let errors = Customer::from_json(bad_gender.to_string()).unwrap_err();
    assert!(!format!("{errors} {errors:?}").contains("planted-gender"));
}

#[test]
fn validate_uses_the_current_date() {
    // Born 30 years before the real today: valid whatever day the test runs.
    let mut customer = spanish_person();
    let today = chrono::Utc::now().date_naive();
    let born = today
        .with_year(today.year() - 30)
        .unwrap_or(today - chrono::Days::new(30 * 366));
    person_mut(&mut customer).date_of_birth = Pii::new(born);
    person_mut(&mut customer)
        .identity_document
        .as_mut()
        .unwrap()
        .expiry_date = None;
    assert_eq!(customer.validate(), Ok(()));
}

/// One pass names every problem: an impossible date, a bad phone, an unknown key (named, since it
/// looks like a field name) and a wrong type, where parsing used to stop at the first.
#[test]
fn every_problem_of_a_file_in_one_pass() {
    let json = spanish_with(&[
        ("/person/date_of_birth", json!("1990-02-30")),
        ("/person/mobile_phone", json!("+3400")),
        ("/person/nickname", json!("Lu")),
        ("/person/gender", json!(7)),
    ]);
    let text = serde_json::to_string_pretty(&json).unwrap();
    let errors = Customer::check_json(&text, &context())
        .unwrap_err()
        .into_vec();
    let found: Vec<(String, String)> = errors
        .iter()
        .map(|e| (e.path.clone(), e.kind.to_string()))
        .collect();
    for (path, rule) in [
        (
            "person.date_of_birth",
            "is not a real calendar date in YYYY-MM-DD form",
        ),
        ("person.mobile_phone", "is not a valid E.164 mobile number"),
        ("person.gender", "has the wrong JSON type or form"),
    ] {
        assert!(
            found.iter().any(|(p, r)| p == path && r == rule),
            "{path} {rule}: {found:?}"
        );
    }
    let unknown = errors
        .iter()
        .find(|e| matches!(e.kind, K::UnknownField { .. }))
        .expect("the unknown key");
    let K::UnknownField { key, line, column } = &unknown.kind else {
        unreachable!()
    };
    assert_eq!(
        (unknown.path.as_str(), key.as_deref()),
        ("person", Some("nickname"))
    );
    // Its position in the text, though it was found after another problem.
    let at = text.find("\"nickname\"").unwrap();
    assert_eq!(*line, text[..at].matches('\n').count() + 1);
    assert!(*column > 0);
    // The placeholder that let parsing go on is never checked in the date's place.
    assert_eq!(
        found
            .iter()
            .filter(|(p, _)| p == "person.date_of_birth")
            .count(),
        1,
        "{found:?}"
    );
    // from_json reports every structural problem too (not the rules).
    let structural = Customer::from_json(&text).unwrap_err().into_vec();
    assert_eq!(structural.len(), 3, "{structural:?}");
}
