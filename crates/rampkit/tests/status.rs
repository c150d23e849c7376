//! Table tests of every provider's status mapping, from the vendor's JSON, including values the vendors
//! do not document (they decode into the generated open enums' `Unknown(raw)`).

use rampkit::KycStatus;
use rampkit::crossmint::types::{Eligibility, IdentityVerificationResponse, ProductType};
use rampkit::cryptopocket::types::{CheckKycResponse, DelegatedKycCustomer};
use rampkit::kriptomat::types::{ShowUserData, ShowUserResponse};
use rampkit::leap::types::UserTokenResponse;
use rampkit::providers::crossmint::product_statuses;
use rampkit::providers::{cryptopocket, kriptomat, leap};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn decode<T: DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).unwrap()
}

fn requires(items: &[&str]) -> KycStatus {
    KycStatus::RequiresData {
        missing: items.iter().map(|s| s.to_string()).collect(),
    }
}

fn rejected(items: &[&str]) -> KycStatus {
    KycStatus::Rejected {
        reasons: items.iter().map(|s| s.to_string()).collect(),
    }
}

fn unknown(raw: &str) -> KycStatus {
    KycStatus::Unknown {
        raw: raw.to_owned(),
    }
}

/// The rule for values a vendor adds later: never verified, never rejected.
fn assert_not_decided(status: &KycStatus, what: &str) {
    assert!(
        matches!(
            status,
            KycStatus::Unknown { .. } | KycStatus::Pending | KycStatus::RequiresData { .. }
        ),
        "{what} → {status:?}"
    );
}

#[test]
fn cryptopocket_kyc_check() {
    let table = [
        ("valid", KycStatus::Verified),
        ("fail", rejected(&["fail"])),
        ("unused", KycStatus::NotStarted),
        ("processing", KycStatus::Pending),
        // Unseen values.
        ("approved", unknown("approved")),
        ("manual_review", unknown("manual_review")),
    ];
    for (value, expected) in table {
        // `kyc_status` at the top level or under `data`: where it sits is not documented.
        for body in [
            json!({"status": "ok", "kyc_status": value}),
            json!({"status": "ok", "data": {"kyc_status": value}}),
        ] {
            let response: CheckKycResponse = decode(body);
            assert_eq!(KycStatus::from(&response), expected, "{value}");
        }
    }
    let response: CheckKycResponse = decode(json!({"status": "ok"}));
    assert_eq!(KycStatus::from(&response), KycStatus::absent());
    let error: CheckKycResponse =
        decode(json!({"status": "error", "error": "authorization_incorrect"}));
    assert_eq!(KycStatus::from(&error), KycStatus::absent());
}

#[test]
fn cryptopocket_delegated_kyc_valid() {
    let table = [
        (
            json!({"id": 100003754, "kyc_valid": true}),
            KycStatus::Verified,
        ),
        // Judgment: `false` is not documented as a failure; `/kyc/check` decides.
        (
            json!({"id": 100003754, "kyc_valid": false}),
            KycStatus::Pending,
        ),
        (json!({"id": 100003754}), KycStatus::Pending),
    ];
    for (body, expected) in table {
        let answer: DelegatedKycCustomer = decode(body.clone());
        assert_eq!(KycStatus::from(&answer), expected, "{body}");
    }
}

#[test]
fn cryptopocket_answers_in_its_own_formats() {
    use chrono::NaiveDate;
    use rampkit::Gender;
    let day = NaiveDate::from_ymd_opt(1990, 5, 15);
    assert_eq!(cryptopocket::parse_date("1990-05-15 00:00:00"), day);
    assert_eq!(cryptopocket::parse_date("1990-05-15"), day);
    assert_eq!(cryptopocket::parse_date("15/05/1990"), None);
    assert_eq!(cryptopocket::parse_gender("M"), Some(Gender::Male));
    assert_eq!(cryptopocket::parse_gender("female"), Some(Gender::Female));
    assert_eq!(cryptopocket::parse_gender("X"), None);

    // The vendor's delegated-KYC example answer, for a person who sent the same data.
    let customer = rampkit::Customer::from_json(
        r#"{"person": {
            "legal_name": {"first_name": "Juan", "last_name": "Perez"},
            "date_of_birth": "1990-05-15", "gender": "male",
            "nationality": "ES", "country_of_residence": "ES",
            "email": "juan.perez.kyc.test@example.com", "mobile_phone": "+34600111222",
            "identity_document": {"document_type": "national_id_card", "number": "12345678Z",
                "issuing_country": "ES"}
        }}"#,
    )
    .unwrap();
    let person = customer.as_person().unwrap();
    let mut answer: DelegatedKycCustomer = decode(json!({
        "id": 100003754, "email": "juan.perez.kyc.test@example.com", "name": "Juan",
        "last_name": "Perez", "identification_type": "DNI", "identification_number": "12345678Z",
        "phone": "+34600111222", "country": "España", "gender": "M", "dob": "1990-05-15 00:00:00",
        "kyc_valid": true
    }));
    assert!(cryptopocket::delegated_kyc_mismatches(person, &answer).is_empty());
    answer.dob = Some("1990-05-16 00:00:00".into());
    answer.gender = Some("F".into());
    assert_eq!(
        cryptopocket::delegated_kyc_mismatches(person, &answer),
        ["date_of_birth", "gender"]
    );
}

#[test]
fn kriptomat_kyc_and_edd() {
    // (kyc_status, edd_status, status); `null` leaves the field out.
    let table = [
        ("passed", json!(""), KycStatus::Verified),
        ("verified", json!(""), KycStatus::Verified),
        ("passed", json!(null), KycStatus::Verified),
        ("passed", json!("not_required"), KycStatus::Verified),
        ("passed", json!("confirmed"), KycStatus::Verified),
        (
            "passed",
            json!("required"),
            requires(&["enhanced_due_diligence"]),
        ),
        (
            "verified",
            json!("failed"),
            rejected(&["edd_status failed"]),
        ),
        ("pending", json!(""), KycStatus::Pending),
        ("pending", json!("required"), KycStatus::Pending),
        ("pending", json!("failed"), rejected(&["edd_status failed"])),
        ("not_started", json!(""), KycStatus::NotStarted),
        ("failed", json!(""), rejected(&["kyc_status failed"])),
        (
            "declined",
            json!("confirmed"),
            rejected(&["kyc_status declined"]),
        ),
        (
            "declined",
            json!("failed"),
            rejected(&["kyc_status declined", "edd_status failed"]),
        ),
        // Unseen values.
        ("under_review", json!(""), unknown("under_review")),
        ("under_review", json!("required"), unknown("under_review")),
        ("passed", json!("in_review"), unknown("in_review")),
        ("pending", json!("in_review"), KycStatus::Pending),
        ("not_started", json!("in_review"), KycStatus::NotStarted),
    ];
    for (kyc, edd, expected) in table {
        let data: ShowUserData = decode(json!({"kyc_status": kyc, "edd_status": edd}));
        assert_eq!(KycStatus::from(&data), expected, "{kyc} + {edd}");
        let response: ShowUserResponse = decode(json!({"status": true, "data": {
            "kyc_status": kyc, "edd_status": edd
        }}));
        assert_eq!(KycStatus::from(&response), expected, "{kyc} + {edd}");
    }
    // An unseen KYC value is never decided, whatever EDD says short of a failure.
    for edd in ["", "not_required", "required", "confirmed", "in_review"] {
        let data: ShowUserData = decode(json!({"kyc_status": "approved_v2", "edd_status": edd}));
        assert_not_decided(&KycStatus::from(&data), edd);
    }
    let data: ShowUserData = decode(json!({"name": "John"}));
    assert_eq!(KycStatus::from(&data), KycStatus::absent());
    let response: ShowUserResponse = decode(json!({"status": false}));
    assert_eq!(KycStatus::from(&response), KycStatus::absent());
}

#[test]
fn kriptomat_answers_alpha3_countries() {
    // The vendor's Show user example.
    let data: ShowUserData = decode(json!({
        "email": "john@example.com", "name": "John", "surname": "Doe", "phone": "+381631283023",
        "date_of_birth": "1963-09-23", "address": "Some street 123", "building_number": "123",
        "city": "Frankfurt", "postal_code": "60306", "country": "DEU", "status": "active",
        "kyc_status": "passed", "edd_status": ""
    }));
    assert_eq!(
        kriptomat::country(&data),
        Some(rampkit::CountryCode::new("DE"))
    );
    assert_eq!(
        kriptomat::alpha3(&rampkit::CountryCode::new("ES")),
        Some("ESP")
    );
    let customer = rampkit::Customer::from_json(
        r#"{"person": {
            "legal_name": {"first_name": "John", "last_name": "Doe"},
            "date_of_birth": "1963-09-23", "nationality": "DE", "country_of_residence": "DE",
            "email": "john@example.com", "mobile_phone": "+381631283023"
        }}"#,
    )
    .unwrap();
    let person = customer.as_person().unwrap();
    assert!(kriptomat::show_user_mismatches(person, &data).is_empty());
    let mut moved = data.clone();
    moved.country = Some("AUT".into());
    assert_eq!(
        kriptomat::show_user_mismatches(person, &moved),
        ["country_of_residence"]
    );
}

#[test]
fn crossmint_eligibility() {
    let table = [
        (json!({"status": "not-started"}), KycStatus::NotStarted),
        (json!({"status": "pending-review"}), KycStatus::Pending),
        (json!({"status": "verified"}), KycStatus::Verified),
        (
            json!({"status": "requires-data",
                   "missingData": ["due-diligence", "verification-history"],
                   "missingDocuments": ["proof-of-address", "proof-of-income"]}),
            requires(&[
                "due-diligence",
                "verification-history",
                "proof-of-address",
                "proof-of-income",
            ]),
        ),
        (json!({"status": "requires-data"}), requires(&[])),
        (
            json!({"status": "rejected", "failureReasons": [
                {"code": "id-document-expired", "message": "The ID document has expired."},
                {"message": "Other reason."}
            ]}),
            rejected(&["id-document-expired", "Other reason."]),
        ),
        // No failure reasons: a risk-based rejection, not retriable.
        (json!({"status": "rejected"}), rejected(&[])),
        // Older docs only; judgment: accept the privacy policy first.
        (
            json!({"status": "pending-privacy-policy"}),
            requires(&["crossmint-privacy-policy"]),
        ),
        // Unseen values: a status, and a missing-data item inside a documented status.
        (json!({"status": "suspended"}), unknown("suspended")),
        (
            json!({"status": "requires-data", "missingData": ["tax-residency"]}),
            requires(&["tax-residency"]),
        ),
    ];
    for (mut body, expected) in table {
        body["type"] = json!("offramp");
        let entry: Eligibility = decode(body.clone());
        assert_eq!(KycStatus::from(&entry), expected, "{body}");
    }
}

#[test]
fn crossmint_keeps_the_product_dimension() {
    // The vendor quickstart's example, plus a product Crossmint may add later.
    let response: IdentityVerificationResponse = decode(json!({"eligibility": [
        {"type": "regulated-transfer", "status": "verified"},
        {"type": "onramp", "status": "requires-data",
         "missingData": ["due-diligence", "verification-history"],
         "missingDocuments": ["proof-of-address", "proof-of-income"]},
        {"type": "offramp", "status": "requires-data",
         "missingData": ["due-diligence"]},
        {"type": "card-issuing", "status": "pending-review"}
    ]}));
    let statuses = product_statuses(&response);
    assert_eq!(
        statuses.get(ProductType::RegulatedTransfer.as_str()),
        KycStatus::Verified
    );
    assert_eq!(
        statuses.get(ProductType::Offramp.as_str()),
        requires(&["due-diligence"])
    );
    assert_eq!(statuses.get("card-issuing"), KycStatus::Pending);
    // Not listed: no status, never verified.
    assert_eq!(
        statuses.get(ProductType::OnrampLight.as_str()),
        KycStatus::absent()
    );
    assert_eq!(
        statuses.overall(&[ProductType::Onramp.as_str(), ProductType::Offramp.as_str()]),
        requires(&[
            "due-diligence",
            "verification-history",
            "proof-of-address",
            "proof-of-income"
        ])
    );
    assert_eq!(
        statuses.overall(&["regulated-transfer"]),
        KycStatus::Verified
    );
    assert_eq!(
        statuses.overall(&["regulated-transfer", "onramp-light"]),
        KycStatus::absent()
    );
    assert_eq!(statuses.overall::<&str>(&[]), KycStatus::absent());
    assert_eq!(
        statuses.to_string(),
        "regulated-transfer: verified; \
         onramp: requires data: due-diligence, verification-history, proof-of-address, proof-of-income; \
         offramp: requires data: due-diligence; card-issuing: pending"
    );
    assert_eq!(
        serde_json::to_value(&statuses).unwrap()[2],
        json!({"product": "offramp", "status": "requires_data", "missing": ["due-diligence"]})
    );
}

#[test]
fn leap_cip_status_and_detail() {
    // (status, statusDetail, status); `null` leaves the field out.
    let table = [
        (json!("Completed"), json!("None"), KycStatus::Verified),
        (json!("Completed"), json!(null), KycStatus::Verified),
        (
            json!("Completed"),
            json!("InvalidAddress"),
            requires(&["InvalidAddress"]),
        ),
        (json!("Completed"), json!("Compliance"), KycStatus::Pending),
        (
            json!("Completed"),
            json!("OfacFailed"),
            rejected(&["OfacFailed"]),
        ),
        (json!("UpgradePending"), json!("None"), KycStatus::Pending),
        (json!("UpgradeInProgress"), json!(null), KycStatus::Pending),
        (
            json!("AccountUpgradeInProgress"),
            json!("None"),
            KycStatus::Pending,
        ),
        (json!("OnProcess"), json!(null), KycStatus::Pending),
        (
            json!("UpgradePending"),
            json!("ProvideAdditionalInfo"),
            requires(&["ProvideAdditionalInfo"]),
        ),
        (
            json!("UpgradeInProgress"),
            json!("Compliance"),
            KycStatus::Pending,
        ),
        (
            json!("UpgradeInProgress"),
            json!("ComplianceBlocked"),
            rejected(&["ComplianceBlocked"]),
        ),
        (
            json!("UpgradeFailed"),
            json!("None"),
            rejected(&["UpgradeFailed"]),
        ),
        (
            json!("UpgradeFailed"),
            json!("UnreadableDoc"),
            rejected(&["UpgradeFailed", "UnreadableDoc"]),
        ),
        (
            json!("UpgradeSoftFailed"),
            json!("InvalidEMail"),
            requires(&["InvalidEMail"]),
        ),
        (json!("UpgradeSoftFailed"), json!("None"), requires(&[])),
        (
            json!("UpgradeSoftFailed"),
            json!("OtpContractMissing"),
            requires(&["OtpContractMissing"]),
        ),
        (
            json!(null),
            json!("InvalidPersonalData"),
            requires(&["InvalidPersonalData"]),
        ),
        (json!(null), json!(null), KycStatus::Pending),
        // Unseen values: statuses (the older docs' `Created` among them) and details.
        (json!("Created"), json!(null), unknown("Created")),
        (
            json!("UpgradeOnHold"),
            json!("None"),
            unknown("UpgradeOnHold"),
        ),
        (
            json!("UpgradeOnHold"),
            json!("InvalidAddress"),
            unknown("UpgradeOnHold"),
        ),
        (
            json!("Completed"),
            json!("DocumentExpired"),
            unknown("DocumentExpired"),
        ),
        (
            json!("UpgradeInProgress"),
            json!("DocumentExpired"),
            KycStatus::Pending,
        ),
        (
            json!("UpgradeSoftFailed"),
            json!("DocumentExpired"),
            requires(&["DocumentExpired"]),
        ),
    ];
    for (status, detail, expected) in table {
        let mut body = json!({"userId": "OSZwErXgt1MGPHwkYJVqz3LTN0R2"});
        if !status.is_null() {
            body["status"] = status.clone();
        }
        if !detail.is_null() {
            body["statusDetail"] = detail.clone();
        }
        let response: UserTokenResponse = decode(body);
        assert_eq!(KycStatus::from(&response), expected, "{status} + {detail}");
    }
    // An unseen status is never decided, whatever the detail short of a compliance refusal.
    for detail in [
        "None",
        "InvalidAddress",
        "InvalidEMail",
        "UnreadableDoc",
        "ProvideAdditionalInfo",
        "InvalidPersonalData",
        "OtpPrivacyMissing",
        "OtpContractMissing",
        "Compliance",
        "SomethingNew",
    ] {
        let status = leap::status(Some(&"UpgradeOnHold".into()), Some(&detail.into()));
        assert_not_decided(&status, detail);
    }
    // An unseen detail never makes a status verified or rejected unless the status itself is a failure.
    for status in [
        "Completed",
        "UpgradePending",
        "UpgradeInProgress",
        "UpgradeSoftFailed",
        "AccountUpgradeInProgress",
        "OnProcess",
    ] {
        let mapped = leap::status(Some(&status.into()), Some(&"SomethingNew".into()));
        assert_not_decided(&mapped, status);
    }
}
