//! `Debug` of a fully populated customer shows none of its personal values.

mod common;

use common::{FIXTURES, contains_token, fixture, fixture_value, leaves};

#[test]
fn token_matching_finds_standalone_values_only() {
    assert!(contains_token("a: \"es\"", "es"));
    assert!(contains_token("Some(12345678Z)", "12345678Z"));
    assert!(!contains_token("Coordinates", "es"));
    assert!(!contains_token("len: 332", "33"));
}

/// Values that are record metadata, not personal data, and may show in `Debug`.
const NOT_PERSONAL: &[&str] = &["in-house"];

#[test]
fn debug_of_every_fixture_shows_no_personal_value() {
    for name in FIXTURES {
        let customer = fixture(name);
        let debug = format!("{customer:?}\n{customer:#?}");
        let mut values = Vec::new();
        leaves(&fixture_value(name), &mut values);
        assert!(values.len() > 3, "{name}");
        for value in values {
            if NOT_PERSONAL.contains(&value.as_str()) {
                continue;
            }
            assert!(
                !contains_token(&debug, &value),
                "{name}: `{value}` shows in Debug:\n{debug}"
            );
        }
    }
}

#[test]
fn the_spanish_fixture_is_fully_populated() {
    // Every optional field of the person is set, so the Debug test above covers the whole model.
    let value = fixture_value("person_es_dni");
    let text = value.to_string();
    assert!(!text.contains("null"));
    let person = &value["person"];
    for field in [
        "gender",
        "mobile_phone",
        "residential_address",
        "preferred_language",
        "identity_document",
        "biometrics",
        "verification",
        "due_diligence",
    ] {
        assert!(!person[field].is_null(), "{field}");
    }
    for (section, fields) in [
        ("legal_name", &["middle_name", "second_last_name"][..]),
        (
            "residential_address",
            &[
                "line2",
                "street_number",
                "postal_code",
                "subdivision",
                "coordinates",
            ][..],
        ),
        (
            "identity_document",
            &["expiry_date", "front_image", "back_image"][..],
        ),
        ("biometrics", &["face", "liveness"][..]),
        (
            "verification",
            &["id_verified_at", "liveness_verified_at", "verified_by"][..],
        ),
        (
            "due_diligence",
            &[
                "employment_status",
                "source_of_funds",
                "industry",
                "expected_yearly_income",
            ][..],
        ),
    ] {
        for field in fields {
            assert!(!person[section][field].is_null(), "{section}.{field}");
        }
    }
}
