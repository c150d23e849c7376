//! Every fixture customer parses, validates, and survives a JSON round trip unchanged.

mod common;

use common::{FIXTURES, context, fixture, fixture_value};
use rampkit::{Customer, IdentityDocumentType, MediaType, Provider, ValidationContext};

#[test]
fn every_fixture_parses_and_validates() {
    for name in FIXTURES {
        let customer = fixture(name);
        if let Err(errors) = customer.validate_with(&context()) {
            panic!("{name}: {errors}");
        }
        for provider in Provider::ALL {
            let context = ValidationContext::new(common::today()).for_providers([provider]);
            assert_eq!(
                customer.validate_with(&context),
                Ok(()),
                "{name} for {provider}"
            );
        }
    }
}

#[test]
fn every_fixture_round_trips_to_the_same_json() {
    for name in FIXTURES {
        let customer = fixture(name);
        let again = serde_json::to_value(&customer).unwrap();
        assert_eq!(again, fixture_value(name), "{name}");
        assert_eq!(Customer::from_json(again.to_string()).unwrap(), customer);
    }
}

#[test]
fn fixtures_cover_the_cases_conversions_need() {
    let spanish = fixture("person_es_dni");
    let person = spanish.as_person().unwrap();
    let document = person.identity_document.as_ref().unwrap();
    assert_eq!(document.document_type, IdentityDocumentType::NationalIdCard);
    assert!(document.document_type.is_two_sided());
    assert_eq!(
        document.front_image.as_ref().unwrap().media_type(),
        Some(MediaType::Jpeg)
    );
    assert_eq!(
        document.back_image.as_ref().unwrap().media_type(),
        Some(MediaType::Jpeg)
    );
    let biometrics = person.biometrics.as_ref().unwrap();
    assert_eq!(
        biometrics.face.as_ref().unwrap().media_type(),
        Some(MediaType::Png)
    );
    assert_eq!(
        biometrics.liveness.as_ref().unwrap().media_type(),
        Some(MediaType::Jpeg)
    );
    let address = person.residential_address.as_ref().unwrap();
    assert_eq!(address.country.expose().alpha3(), Some("ESP"));
    assert_eq!(
        address.subdivision.as_ref().unwrap().expose().local_part(),
        "M"
    );
    assert_eq!(person.age_on(common::today()), Some(36));

    let american = fixture("person_us_ssn");
    let person = american.as_person().unwrap();
    let document = person.identity_document.as_ref().unwrap();
    assert_eq!(
        document.document_type,
        IdentityDocumentType::SocialSecurityNumber
    );
    assert!(document.document_type.is_number_only());
    assert_eq!(document.number.expose_str(), "123-45-6789");
    let subdivision = person
        .residential_address
        .as_ref()
        .unwrap()
        .subdivision
        .as_ref();
    assert_eq!(subdivision.unwrap().expose().local_part(), "NY");

    let mexican = fixture("person_mx_two_surnames");
    let name = &mexican.as_person().unwrap().legal_name;
    assert_eq!(name.last_name.expose_str(), "Hernández");
    assert_eq!(
        name.second_last_name.as_ref().unwrap().expose_str(),
        "López"
    );
    assert_eq!(name.full_last_name().expose_str(), "Hernández López");

    let company = fixture("company_es");
    assert!(company.as_person().is_none());
    assert_eq!(
        company.email().expose_str(),
        "compliance@rampadigital.example.com"
    );
}

#[test]
fn images_convert_to_base64_documents_without_copying() {
    let spanish = fixture("person_es_dni");
    let document = spanish
        .as_person()
        .unwrap()
        .identity_document
        .as_ref()
        .unwrap();
    let front = document.front_image.as_ref().unwrap();
    let uri = front.to_data_uri().unwrap();
    assert_eq!(uri.media_type(), Some("image/jpeg"));
    assert_eq!(uri.bytes().as_ptr(), front.bytes().as_ptr());
    let json = serde_json::to_value(&uri).unwrap();
    let text = json.as_str().unwrap();
    assert!(
        text.starts_with("data:image/jpeg;base64,/9j/"),
        "{text:.40}"
    );
    let plain = serde_json::to_value(front.to_base64()).unwrap();
    assert_eq!(
        Some(plain.as_str().unwrap()),
        fixture_value("person_es_dni")["person"]["identity_document"]["front_image"].as_str()
    );
}
