//! Every provider request built from each fixture customer, as the exact wire JSON
//! (`serde_json::to_value` of the generated request), and the exact error of each conversion when a
//! field is missing.
//!
//! Review changed snapshots with `cargo insta review`, or accept them after reading with
//! `INSTA_UPDATE=always cargo test -p rampkit --test conversions`.

mod common;

use common::{FIXTURES, contains_token, fixture, fixture_value, leaves, person_mut};
use rampkit::crossmint::types::UpsertUserRequest;
use rampkit::cryptopocket::types::{RegisterCompanyRequest, RegisterUserKycDelegatedRequest};
use rampkit::leap::types::RegisterUserParams;
use rampkit::providers::crossmint::{self, UserLocator};
use rampkit::providers::kriptomat;
use rampkit::runtime::Pii;
use rampkit::{
    ConversionError, ConversionErrorKind, Customer, IdentityDocumentType, Image, Operation,
    Provider,
};
use serde::Serialize;
use serde_json::Value;

/// The SumSub share token of Kriptomat's docs example.
const SHARE_TOKEN: &str = "_act-460a698b-d2bc-4cbc-9456-5f36fee38083";
/// The SumSub client id of SumSub's docs example.
const KRIPTOMAT_CLIENT_ID: &str = "CoolCoinLtd";

fn wire<T: Serialize>(request: &T) -> Value {
    serde_json::to_value(request).unwrap()
}

fn owner() -> UserLocator {
    UserLocator::user_id("johnd-123")
}

/// Every request a provider builds from the customer, by snapshot name; conversions that do not apply to
/// this customer are left out (their errors are asserted below).
fn requests(name: &str, customer: &Customer) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let mut add = |operation: &str, value: Option<Value>| {
        if let Some(value) = value {
            out.push((format!("{operation}__{name}"), value));
        }
    };
    add(
        "cryptopocket_delegated_kyc",
        RegisterUserKycDelegatedRequest::try_from(customer)
            .ok()
            .map(|r| wire(&r)),
    );
    add(
        "cryptopocket_company_customer",
        RegisterCompanyRequest::try_from(customer)
            .ok()
            .map(|r| wire(&r)),
    );
    add(
        "crossmint_upsert_user",
        UpsertUserRequest::try_from(customer).ok().map(|r| wire(&r)),
    );
    add(
        "crossmint_document_uploads",
        crossmint::document_uploads(customer, &owner())
            .ok()
            .map(|r| wire(&r)),
    );
    add(
        "kriptomat_sumsub_share_token",
        kriptomat::share_token_request(customer, KRIPTOMAT_CLIENT_ID, Some(600))
            .ok()
            .map(|r| wire(&r)),
    );
    add(
        "kriptomat_kyc_import",
        kriptomat::import_kyc_request(customer, Pii::from(SHARE_TOKEN))
            .ok()
            .map(|r| wire(&r)),
    );
    add(
        "leap_register_user",
        RegisterUserParams::try_from(customer)
            .ok()
            .map(|r| wire(&r)),
    );
    out
}

#[test]
fn every_request_of_every_fixture_matches_its_snapshot() {
    let mut names = Vec::new();
    for name in FIXTURES {
        let customer = fixture(name);
        for (snapshot, value) in requests(name, &customer) {
            insta::assert_json_snapshot!(snapshot.as_str(), value);
            names.push(snapshot);
        }
    }
    // Which conversion applies to which fixture: a change here is a behaviour change.
    assert_eq!(
        names,
        [
            "cryptopocket_delegated_kyc__person_es_dni",
            "crossmint_upsert_user__person_es_dni",
            "crossmint_document_uploads__person_es_dni",
            "kriptomat_sumsub_share_token__person_es_dni",
            "kriptomat_kyc_import__person_es_dni",
            "leap_register_user__person_es_dni",
            "crossmint_upsert_user__person_us_ssn",
            "crossmint_document_uploads__person_us_ssn",
            "leap_register_user__person_us_ssn",
            "cryptopocket_delegated_kyc__person_mx_two_surnames",
            "crossmint_upsert_user__person_mx_two_surnames",
            "crossmint_document_uploads__person_mx_two_surnames",
            "kriptomat_sumsub_share_token__person_mx_two_surnames",
            "kriptomat_kyc_import__person_mx_two_surnames",
            "leap_register_user__person_mx_two_surnames",
            "cryptopocket_company_customer__company_es",
        ]
    );
}

/// Why the conversions left out above do not apply.
#[test]
fn conversions_that_do_not_apply_say_why() {
    let us = fixture("person_us_ssn");
    let company = fixture("company_es");
    let spanish = fixture("person_es_dni");
    let cases: Vec<(ConversionError, &str)> = vec![
        (
            RegisterUserKycDelegatedRequest::try_from(&us).unwrap_err(),
            "cryptopocket delegated KYC has no code for identity_document.document_type social_security_number",
        ),
        (
            kriptomat::import_kyc_request(&us, Pii::from(SHARE_TOKEN)).unwrap_err(),
            "kriptomat KYC import needs verification.verified_by to be SumSub",
        ),
        (
            kriptomat::share_token_request(&us, KRIPTOMAT_CLIENT_ID, None).unwrap_err(),
            "kriptomat SumSub share token needs verification.verified_by to be SumSub",
        ),
        (
            RegisterCompanyRequest::try_from(&spanish).unwrap_err(),
            "cryptopocket company customer takes a company, not a person",
        ),
        (
            RegisterUserKycDelegatedRequest::try_from(&company).unwrap_err(),
            "cryptopocket delegated KYC takes a person, not a company",
        ),
        (
            UpsertUserRequest::try_from(&company).unwrap_err(),
            "crossmint create/update user takes a person, not a company",
        ),
        (
            crossmint::document_uploads(&company, &owner()).unwrap_err(),
            "crossmint document upload takes a person, not a company",
        ),
        (
            kriptomat::import_kyc_request(&company, Pii::from(SHARE_TOKEN)).unwrap_err(),
            "kriptomat KYC import takes a person, not a company",
        ),
        (
            RegisterUserParams::try_from(&company).unwrap_err(),
            "leap register user takes a person, not a company",
        ),
    ];
    for (error, message) in cases {
        assert_eq!(error.to_string(), message);
    }
    let error = RegisterCompanyRequest::try_from(&spanish).unwrap_err();
    assert_eq!(error.provider(), Provider::CryptoPocket);
    assert_eq!(error.operation(), Operation::COMPANY_CUSTOMER);
    assert_eq!(error.field(), "company");
    assert_eq!(error.kind(), ConversionErrorKind::NotACompany);
}

/// The Spanish fixture with one change.
fn spanish_with(change: impl FnOnce(&mut rampkit::Person)) -> Customer {
    let mut customer = fixture("person_es_dni");
    change(person_mut(&mut customer));
    customer
}

fn us_with(change: impl FnOnce(&mut rampkit::Person)) -> Customer {
    let mut customer = fixture("person_us_ssn");
    change(person_mut(&mut customer));
    customer
}

/// A GIF: not an image format any provider takes (validation rejects it too).
fn gif() -> Image {
    Image::new(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec())
}

fn document(person: &mut rampkit::Person) -> &mut rampkit::IdentityDocument {
    person.identity_document.as_mut().unwrap()
}

/// Every missing-field error, with its exact message; `Debug` and `Display` of each are checked for
/// personal values below.
fn missing_field_errors() -> Vec<(ConversionError, &'static str)> {
    let delegated = |c: &Customer| RegisterUserKycDelegatedRequest::try_from(c).unwrap_err();
    let upsert = |c: &Customer| UpsertUserRequest::try_from(c).unwrap_err();
    let uploads = |c: &Customer| crossmint::document_uploads(c, &owner()).unwrap_err();
    let leap = |c: &Customer| RegisterUserParams::try_from(c).unwrap_err();
    let long_name = Customer::from_json(format!(
        r#"{{"company": {{"legal_name": "{}", "registration_number": "B1", "country": "ES",
            "contact_email": "a@example.com"}}}}"#,
        "x".repeat(256)
    ))
    .unwrap();
    vec![
        // CryptoPocket delegated KYC.
        (
            delegated(&spanish_with(|p| document(p).back_image = None)),
            "cryptopocket delegated KYC needs identity_document.back_image",
        ),
        (
            delegated(&spanish_with(|p| p.identity_document = None)),
            "cryptopocket delegated KYC needs identity_document",
        ),
        (
            delegated(&spanish_with(|p| document(p).expiry_date = None)),
            "cryptopocket delegated KYC needs identity_document.expiry_date",
        ),
        (
            delegated(&spanish_with(|p| {
                p.biometrics.as_mut().unwrap().liveness = None;
            })),
            "cryptopocket delegated KYC needs biometrics.liveness",
        ),
        (
            delegated(&spanish_with(|p| document(p).front_image = Some(gif()))),
            "cryptopocket delegated KYC needs identity_document.front_image as a JPEG, PNG or PDF file",
        ),
        (
            delegated(&spanish_with(|p| {
                document(p).document_type = IdentityDocumentType::DrivingLicence;
            })),
            "cryptopocket delegated KYC has no code for identity_document.document_type driving_licence",
        ),
        // CryptoPocket company customer.
        (
            RegisterCompanyRequest::try_from(&long_name).unwrap_err(),
            "cryptopocket company customer needs legal_name of at most 255 characters",
        ),
        // Crossmint create/update user.
        (
            upsert(&us_with(|p| p.mobile_phone = None)),
            "crossmint create/update user needs mobile_phone",
        ),
        (
            upsert(&us_with(|p| {
                p.due_diligence.as_mut().unwrap().expected_yearly_income = None;
            })),
            "crossmint create/update user needs due_diligence.expected_yearly_income",
        ),
        (
            upsert(&us_with(|p| {
                let income = p.due_diligence.as_mut().unwrap();
                let mut range = income.expected_yearly_income.take().unwrap().into_exposed();
                range.currency = "EUR".into();
                income.expected_yearly_income = Some(Pii::new(range));
            })),
            "crossmint create/update user needs due_diligence.expected_yearly_income in whole thousands of United States dollars",
        ),
        // Crossmint document uploads.
        (
            uploads(&spanish_with(|p| document(p).back_image = None)),
            "crossmint document upload needs identity_document.back_image",
        ),
        (
            uploads(&spanish_with(|p| document(p).front_image = None)),
            "crossmint document upload needs identity_document.front_image",
        ),
        (
            uploads(&spanish_with(|p| {
                document(p).document_type = IdentityDocumentType::TaxId;
            })),
            "crossmint document upload has no code for identity_document.document_type tax_id",
        ),
        (
            uploads(&spanish_with(|p| {
                p.biometrics.as_mut().unwrap().face = Some(gif());
            })),
            "crossmint document upload needs biometrics.face as a JPEG, PNG or PDF file",
        ),
        // Kriptomat KYC import and its SumSub share token.
        (
            kriptomat::import_kyc_request(
                &spanish_with(|p| p.verification = None),
                Pii::from(SHARE_TOKEN),
            )
            .unwrap_err(),
            "kriptomat KYC import needs verification",
        ),
        (
            kriptomat::import_kyc_request(&fixture("person_es_dni"), Pii::from(" ")).unwrap_err(),
            "kriptomat KYC import needs share_token",
        ),
        (
            kriptomat::share_token_request(
                &spanish_with(|p| p.verification.as_mut().unwrap().verified_by = None),
                KRIPTOMAT_CLIENT_ID,
                None,
            )
            .unwrap_err(),
            "kriptomat SumSub share token needs verification.verified_by",
        ),
        // Leap register user v2.
        (
            leap(&spanish_with(|p| p.mobile_phone = None)),
            "leap register user needs mobile_phone",
        ),
        (
            leap(&spanish_with(|p| p.residential_address = None)),
            "leap register user needs residential_address",
        ),
        (
            leap(&spanish_with(|p| {
                p.residential_address.as_mut().unwrap().subdivision = None;
            })),
            "leap register user needs residential_address.subdivision",
        ),
    ]
}

#[test]
fn a_missing_field_is_named_with_provider_and_operation() {
    for (error, message) in missing_field_errors() {
        assert_eq!(error.to_string(), message);
    }
    let (error, _) = &missing_field_errors()[0];
    assert_eq!(
        (
            error.provider(),
            error.operation(),
            error.field(),
            error.kind()
        ),
        (
            Provider::CryptoPocket,
            Operation::DELEGATED_KYC,
            "identity_document.back_image",
            ConversionErrorKind::Missing
        )
    );
}

#[test]
fn no_error_shows_a_personal_value() {
    let mut values = Vec::new();
    for name in FIXTURES {
        leaves(&fixture_value(name), &mut values);
    }
    values.push(SHARE_TOKEN.to_owned());
    // Record metadata, not personal data: the kinds of identity document (the model leaves them bare).
    let metadata = [
        "national_id_card",
        "passport",
        "social_security_number",
        "in-house",
    ];
    let errors = missing_field_errors().into_iter().map(|(error, _)| error);
    let mut checked = 0;
    for error in errors {
        let shown = format!("{error:?}\n{error}");
        for value in &values {
            if metadata.contains(&value.as_str()) {
                continue;
            }
            assert!(
                !contains_token(&shown, value),
                "`{value}` shows in an error:\n{shown}"
            );
        }
        checked += 1;
    }
    assert!(checked >= 15);
}

#[test]
fn images_are_data_uris_sharing_the_customers_bytes() {
    let customer = fixture("person_es_dni");
    let person = customer.as_person().unwrap();
    let document = person.identity_document.as_ref().unwrap();
    let biometrics = person.biometrics.as_ref().unwrap();

    // CryptoPocket: front, back, face and liveness are data URIs (`x-data-uri: true`).
    let request = RegisterUserKycDelegatedRequest::try_from(&customer).unwrap();
    let json = wire(&request);
    for (field, prefix) in [
        ("front", "data:image/jpeg;base64,/9j/"),
        ("back", "data:image/jpeg;base64,/9j/"),
        ("face", "data:image/png;base64,iVBOR"),
        ("liveness", "data:image/jpeg;base64,/9j/"),
    ] {
        assert!(json[field].as_str().unwrap().starts_with(prefix), "{field}");
    }
    // Zero-copy: the request holds the customer's own bytes.
    for (sent, image) in [
        (&request.front, document.front_image.as_ref()),
        (&request.back, document.back_image.as_ref()),
        (&request.face, biometrics.face.as_ref()),
        (&request.liveness, biometrics.liveness.as_ref()),
    ] {
        assert_eq!(
            sent.as_ref().unwrap().bytes().as_ptr(),
            image.unwrap().bytes().as_ptr()
        );
    }

    // Crossmint: each upload's `data` is a data URI of the customer's bytes.
    let uploads = crossmint::document_uploads(&customer, &owner()).unwrap();
    let sources = [
        document.front_image.as_ref().unwrap(),
        document.back_image.as_ref().unwrap(),
        biometrics.face.as_ref().unwrap(),
    ];
    assert_eq!(uploads.len(), sources.len());
    for (upload, image) in uploads.iter().zip(sources) {
        let rampkit::crossmint::types::UploadDocumentRequest::Reference(upload) = upload else {
            panic!("uploads name their owner in `reference`");
        };
        assert_eq!(upload.data.bytes().as_ptr(), image.bytes().as_ptr());
        assert_eq!(
            upload.data.media_type(),
            Some(image.media_type().unwrap().mime())
        );
    }
}

#[test]
fn vendor_conventions() {
    let spanish = fixture("person_es_dni");
    let mexican = fixture("person_mx_two_surnames");

    // CryptoPocket: the misspelled `nacionality`, `male`/`female`, `DNI`, joined names.
    let json = wire(&RegisterUserKycDelegatedRequest::try_from(&spanish).unwrap());
    assert_eq!(json["nacionality"], "ES");
    assert_eq!(json["gender"], "female");
    assert_eq!(json["document_type"], "DNI");
    assert_eq!(json["first_name"], "Lucía Isabel");
    assert_eq!(json["last_name"], "García Moreno");
    assert_eq!(json["dob"], "1990-05-15");
    let json = wire(&RegisterUserKycDelegatedRequest::try_from(&mexican).unwrap());
    assert_eq!(json["document_type"], "PASSPORT");
    assert!(json.get("back").is_none(), "a passport has no back");

    // Leap: `lastName2`, the full ISO 3166-2 state, `Female`, the street number in line 1.
    let json = wire(&RegisterUserParams::try_from(&mexican).unwrap());
    assert_eq!(json["lastName"], "Hernández");
    assert_eq!(json["lastName2"], "López");
    assert_eq!(json["middleName"], "María");
    assert_eq!(json["state"], "MX-CMX");
    assert_eq!(json["gender"], "Female");
    assert_eq!(json["address1"], "Avenida Paseo de la Reforma 222");
    assert_eq!(json["zipCode"], "06600");

    // Crossmint: userId locator, US state code, `ssn`, UTC timestamps with milliseconds and `Z`.
    let american = fixture("person_us_ssn");
    let json = wire(&UpsertUserRequest::try_from(&american).unwrap());
    assert_eq!(json["kycData"]["identityDocument"]["type"], "ssn");
    assert_eq!(json["kycData"]["addressOfResidence"]["stateOrRegion"], "NY");
    assert_eq!(
        json["verificationHistory"]["idVerificationTimestamp"],
        "2025-10-20T14:00:00.000Z"
    );
    assert_eq!(
        json["dueDiligence"]["estimatedYearlyIncome"],
        "income-50k-100k"
    );
    // The Spanish national ID card has no documented `identityDocument.type`: the section is left out
    // and the card goes as `id-idcard-front`/`-back` uploads; no income band outside the US.
    let json = wire(&UpsertUserRequest::try_from(&spanish).unwrap());
    assert!(json["kycData"].get("identityDocument").is_none());
    assert!(json["dueDiligence"].get("estimatedYearlyIncome").is_none());
    let uploads = wire(&crossmint::document_uploads(&spanish, &owner()).unwrap());
    assert_eq!(uploads[0]["documentType"], "id-idcard-front");
    assert_eq!(uploads[0]["reference"]["userLocator"], "userId:johnd-123");
    assert_eq!(uploads[1]["documentType"], "id-idcard-back");
    assert_eq!(uploads[2]["documentType"], "selfie-front");
}

#[test]
fn user_locators() {
    let customer = fixture("person_es_dni");
    let email = rampkit::providers::crossmint::email_locator(&customer);
    assert_eq!(
        email.to_wire().expose_str(),
        "email:lucia.garcia@example.com"
    );
    assert_eq!(format!("{email:?}"), "Email([redacted])");
    for text in [
        "userId:johnd-123",
        "email:alice@example.com",
        "phoneNumber:+12125551234",
        "twitter:jack",
        "x:jack",
    ] {
        let locator: UserLocator = text.parse().unwrap();
        assert_eq!(locator.to_wire().expose_str(), text);
    }
    for (bad, value) in [
        ("johnd-123", "johnd-123"),
        ("wallet:0xabc", "0xabc"),
        ("userId:", ""),
        ("", ""),
    ] {
        let error = bad.parse::<UserLocator>().unwrap_err();
        assert!(value.is_empty() || !error.to_string().contains(value));
    }
}

#[test]
fn canonical_helpers_the_conversions_lean_on() {
    let spanish = fixture("person_es_dni");
    let mexican = fixture("person_mx_two_surnames");
    let american = fixture("person_us_ssn");
    let line1 = |c: &Customer| {
        let address = c.as_person().unwrap().residential_address.as_ref().unwrap();
        address.line1_with_street_number().expose_str().to_owned()
    };
    // The number is already in line 1 (after or before the street), or is appended.
    assert_eq!(line1(&spanish), "Calle de Alcalá 42");
    assert_eq!(line1(&american), "350 Fifth Avenue");
    assert_eq!(line1(&mexican), "Avenida Paseo de la Reforma 222");
    let name = &spanish.as_person().unwrap().legal_name;
    assert_eq!(name.given_names().expose_str(), "Lucía Isabel");
    let name = &american.as_person().unwrap().legal_name;
    assert_eq!(name.full_last_name().expose_str(), "Carter");
    // `as_str` is the canonical JSON value, which error messages show.
    for document_type in [
        IdentityDocumentType::Passport,
        IdentityDocumentType::NationalIdCard,
        IdentityDocumentType::ResidencePermit,
        IdentityDocumentType::DrivingLicence,
        IdentityDocumentType::TaxId,
        IdentityDocumentType::SocialSecurityNumber,
    ] {
        assert_eq!(wire(&document_type), document_type.as_str());
    }
}
