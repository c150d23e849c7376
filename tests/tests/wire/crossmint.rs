//! Crossmint Users / KYC API `2025-06-09` —
//! https://docs.crossmint.com/api-reference/users/upsert-user
//!
//! Every user-scoped path carries the user locator `userId:johnd-123` of the users-compliance
//! quickstart (https://docs.crossmint.com/stablecoin-orchestration/users-compliance/quickstart).
//! The vendor sends the colon unescaped, and progenitor's `encode_path` leaves `:` alone, so the
//! paths below assert the raw wire form `/2025-06-09/users/userId:johnd-123` (httpmock matches the
//! undecoded request path).

use httpmock::{
    Method::{GET, POST, PUT},
    MockServer,
};
use rampkit_crossmint::{Base64Document, Client, CrossmintAuth, Pii, types};
use serde_json::Value;

use super::common::{Endpoint, Expect, assert_json_eq, vendor_json};

pub(super) const API_KEY: &str = "sk_staging_wire_test_key";
const USER_LOCATOR: &str = "userId:johnd-123";
const WALLET: &str = "0x1234567890abcdef1234567890abcdef12345678";

fn client(server: &MockServer) -> Client {
    Client::new(&server.base_url(), CrossmintAuth::new(API_KEY.to_owned()))
}

/// Headers of a call that carries a JSON body.
const JSON_HEADERS: &[(&str, &str)] = &[
    ("x-api-key", API_KEY),
    ("content-type", "application/json"),
    ("accept", "application/json"),
];
/// Headers of a call without a body.
const READ_HEADERS: &[(&str, &str)] = &[("x-api-key", API_KEY), ("accept", "application/json")];

fn pii(value: &Option<Pii>) -> Option<&str> {
    value.as_ref().map(Pii::expose_str)
}

// ---- accept_legal_document ----------------------------------------------------------------------

/// Step 1 request of https://docs.crossmint.com/offramp/guides/import-user-kyc-data (seed 002),
/// verbatim.
const PRIVACY_POLICY_REQUEST: &str =
    r#"{ "type": "crossmint-privacy-policy", "acceptedAt": "2026-01-01T00:00:00.000Z" }"#;

/// Step 1 response of https://docs.crossmint.com/offramp/guides/import-user-kyc-data (seed 002),
/// verbatim.
const PRIVACY_POLICY_RESPONSE: &str = r#"{
  "acceptedAt": "2026-01-01T00:00:00.000Z"
}"#;

#[tokio::test]
async fn accept_legal_document_sends_the_privacy_policy_consent() {
    let server = MockServer::start_async().await;
    let endpoint = Endpoint::start(
        &server,
        Expect {
            method: PUT,
            path: "/2025-06-09/users/userId:johnd-123/legal-documents",
            headers: JSON_HEADERS,
            response: PRIVACY_POLICY_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let request = types::AcceptLegalDocumentRequest {
        type_: types::LegalDocumentType::CrossmintPrivacyPolicy,
        accepted_at: "2026-01-01T00:00:00.000Z".to_owned(),
        region: None,
    };
    let response = client(&server)
        .accept_legal_document(USER_LOCATOR, &request)
        .await
        .unwrap()
        .into_inner();

    assert_json_eq(
        &endpoint.received_body().await,
        &vendor_json(PRIVACY_POLICY_REQUEST),
    );
    assert_eq!(response.accepted_at, "2026-01-01T00:00:00.000Z");
}

/// No vendor example body: written from the body-field table of
/// https://docs.crossmint.com/api-reference/users/accept-legal-document (provider reference,
/// operation 3): `type` `crossmint-terms-of-service` needs `region` (`eu` | `worldwide` | `us`);
/// `acceptedAt` ends in `Z`.
const TERMS_OF_SERVICE_REQUEST: &str = r#"{
  "type": "crossmint-terms-of-service",
  "acceptedAt": "2026-01-01T00:00:00.000Z",
  "region": "eu"
}"#;

#[tokio::test]
async fn accept_legal_document_sends_the_terms_of_service_with_region() {
    let server = MockServer::start_async().await;
    let endpoint = Endpoint::start(
        &server,
        Expect {
            method: PUT,
            path: "/2025-06-09/users/userId:johnd-123/legal-documents",
            headers: JSON_HEADERS,
            response: PRIVACY_POLICY_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let request = types::AcceptLegalDocumentRequest {
        type_: types::LegalDocumentType::CrossmintTermsOfService,
        accepted_at: "2026-01-01T00:00:00.000Z".to_owned(),
        region: Some(types::LegalDocumentRegion::Eu),
    };
    client(&server)
        .accept_legal_document(USER_LOCATOR, &request)
        .await
        .unwrap();

    assert_json_eq(
        &endpoint.received_body().await,
        &vendor_json(TERMS_OF_SERVICE_REQUEST),
    );
}

// ---- upsert_user --------------------------------------------------------------------------------

/// Step 2 request of https://docs.crossmint.com/offramp/guides/import-user-kyc-data (seed 002),
/// verbatim: a US resident identified by SSN, with the partner's verification history.
const US_SSN_UPSERT_REQUEST: &str = r#"{
    "userDetails": { "firstName": "Alice", "lastName": "Smith", "dateOfBirth": "1990-01-15", "countryOfResidence": "US" },
    "kycData": {
      "email": "alice@example.com",
      "nationality": "US",
      "addressOfResidence": { "line1": "701 S Miami Ave", "city": "Miami", "postalCode": "33156", "stateOrRegion": "FL" },
      "identityDocument": { "type": "ssn", "number": "123-45-6789", "issuingCountryCode": "US" }
    },
    "verificationHistory": { "idVerificationTimestamp": "2026-01-01T00:00:00.000Z", "livenessVerificationTimestamp": "2026-01-01T00:00:00.000Z" }
  }"#;

/// Step 2 response of https://docs.crossmint.com/offramp/guides/import-user-kyc-data (seed 002),
/// verbatim (the guide echoes its `<USER_ID>` placeholder).
const US_SSN_UPSERT_RESPONSE: &str = r#"{
  "userId": "<USER_ID>",
  "userDetails": true,
  "kycData": true,
  "dueDiligence": false,
  "verificationHistory": true
}"#;

fn alice() -> types::UpsertUserRequest {
    types::UpsertUserRequest {
        user_details: Some(types::UserDetails {
            first_name: Some(Pii::from("Alice")),
            last_name: Some(Pii::from("Smith")),
            date_of_birth: Some(Pii::from("1990-01-15")),
            country_of_residence: Some(Pii::from("US")),
        }),
        kyc_data: Some(types::KycData {
            email: Some(Pii::from("alice@example.com")),
            nationality: Some(Pii::from("US")),
            address_of_residence: Some(types::AddressOfResidence {
                line1: Some(Pii::from("701 S Miami Ave")),
                city: Some(Pii::from("Miami")),
                postal_code: Some(Pii::from("33156")),
                state_or_region: Some(Pii::from("FL")),
                ..Default::default()
            }),
            identity_document: Some(types::IdentityDocument {
                type_: Some("ssn".to_owned()),
                number: Some(Pii::from("123-45-6789")),
                issuing_country_code: Some(Pii::from("US")),
            }),
            ..Default::default()
        }),
        due_diligence: None,
        verification_history: Some(types::VerificationHistory {
            id_verification_timestamp: Some("2026-01-01T00:00:00.000Z".to_owned()),
            liveness_verification_timestamp: Some("2026-01-01T00:00:00.000Z".to_owned()),
        }),
    }
}

#[tokio::test]
async fn upsert_user_sends_the_us_ssn_example_and_accepts_201_created() {
    let server = MockServer::start_async().await;
    let endpoint = Endpoint::start(
        &server,
        Expect {
            method: PUT,
            path: "/2025-06-09/users/userId:johnd-123",
            headers: JSON_HEADERS,
            // "User created" (https://docs.crossmint.com/api-reference/users/upsert-user): 201,
            // same body as 200.
            status: 201,
            response: US_SSN_UPSERT_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let response = client(&server)
        .upsert_user(USER_LOCATOR, &alice())
        .await
        .unwrap();

    assert_json_eq(
        &endpoint.received_body().await,
        &vendor_json(US_SSN_UPSERT_REQUEST),
    );
    assert_eq!(response.status().as_u16(), 201);
    let user = response.into_inner();
    assert_eq!(user.user_id.as_deref(), Some("<USER_ID>"));
    assert!(user.user_details);
    assert!(user.kyc_data);
    assert!(!user.due_diligence);
    assert!(user.verification_history);
    assert!(user.email.is_none());
    assert!(user.legal_documents.is_empty());
}

/// Step 1 request of
/// https://docs.crossmint.com/stablecoin-orchestration/users-compliance/quickstart (seed 004): the
/// vendor writes it as a JavaScript object literal; this is the equivalent JSON, values unchanged.
/// The e-mail is kept as captured (Cloudflare's e-mail obfuscation placeholder).
const GERMAN_PASSPORT_UPSERT_REQUEST: &str = r#"{
    "userDetails": {
        "firstName": "John",
        "lastName": "Doe",
        "dateOfBirth": "1995-01-01",
        "countryOfResidence": "DE"
    },
    "kycData": {
        "addressOfResidence": {
            "line1": "123 Hauptstrasse",
            "line2": "Apt 5",
            "city": "Berlin",
            "postalCode": "10115"
        },
        "email": "[email protected]",
        "identityDocument": {
            "type": "passport",
            "number": "AS12321"
        }
    }
}"#;

/// The quickstart prints no response for this call: written from the `UserResponseDto` field table
/// of https://docs.crossmint.com/api-reference/users/get-user (provider reference, operation 1),
/// the booleans matching the two sections sent and `userId` echoing the partner's id as in
/// https://docs.crossmint.com/offramp/guides/import-user-kyc-data.
const GERMAN_PASSPORT_UPSERT_RESPONSE: &str = r#"{
  "userId": "johnd-123",
  "userDetails": true,
  "kycData": true,
  "dueDiligence": false,
  "verificationHistory": false
}"#;

fn john_doe() -> types::UpsertUserRequest {
    types::UpsertUserRequest {
        user_details: Some(types::UserDetails {
            first_name: Some(Pii::from("John")),
            last_name: Some(Pii::from("Doe")),
            date_of_birth: Some(Pii::from("1995-01-01")),
            country_of_residence: Some(Pii::from("DE")),
        }),
        kyc_data: Some(types::KycData {
            address_of_residence: Some(types::AddressOfResidence {
                line1: Some(Pii::from("123 Hauptstrasse")),
                line2: Some(Pii::from("Apt 5")),
                city: Some(Pii::from("Berlin")),
                postal_code: Some(Pii::from("10115")),
                state_or_region: None,
            }),
            email: Some(Pii::from("[email protected]")),
            identity_document: Some(types::IdentityDocument {
                type_: Some("passport".to_owned()),
                number: Some(Pii::from("AS12321")),
                issuing_country_code: None,
            }),
            ..Default::default()
        }),
        ..Default::default()
    }
}

#[tokio::test]
async fn upsert_user_sends_the_german_passport_registration() {
    let server = MockServer::start_async().await;
    let endpoint = Endpoint::start(
        &server,
        Expect {
            method: PUT,
            path: "/2025-06-09/users/userId:johnd-123",
            headers: JSON_HEADERS,
            status: 201,
            response: GERMAN_PASSPORT_UPSERT_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let user = client(&server)
        .upsert_user(USER_LOCATOR, &john_doe())
        .await
        .unwrap()
        .into_inner();

    assert_json_eq(
        &endpoint.received_body().await,
        &vendor_json(GERMAN_PASSPORT_UPSERT_REQUEST),
    );
    assert_eq!(user.user_id.as_deref(), Some("johnd-123"));
    assert!(user.user_details && user.kyc_data);
    assert!(!user.due_diligence && !user.verification_history);
}

/// The "update user with missing dueDiligence and verificationHistory data" request of
/// https://docs.crossmint.com/stablecoin-orchestration/users-compliance/quickstart (seed 004): a
/// JavaScript object literal given as the equivalent JSON, values unchanged. Full replace: every
/// section is re-sent.
const GERMAN_PASSPORT_UPDATE_REQUEST: &str = r#"{
    "userDetails": {
        "firstName": "John",
        "lastName": "Doe",
        "dateOfBirth": "1995-01-01",
        "countryOfResidence": "DE"
    },
    "kycData": {
        "addressOfResidence": {
            "line1": "123 Hauptstrasse",
            "line2": "Apt 5",
            "city": "Berlin",
            "postalCode": "10115"
        },
        "email": "[email protected]",
        "identityDocument": {
            "type": "passport",
            "number": "AS12321"
        }
    },
    "dueDiligence": {
        "employmentStatus": "full-time",
        "sourceOfFunds": "employment-income",
        "industry": "finance-insurance"
    },
    "verificationHistory": {
        "idVerificationTimestamp": "2024-01-15T10:30:00Z",
        "livenessVerificationTimestamp": "2024-01-15T10:32:00Z"
    }
}"#;

/// No vendor example for this response: written from the `UserResponseDto` field table of
/// https://docs.crossmint.com/api-reference/users/get-user, all four sections now stored.
const GERMAN_PASSPORT_UPDATE_RESPONSE: &str = r#"{
  "userId": "johnd-123",
  "userDetails": true,
  "kycData": true,
  "dueDiligence": true,
  "verificationHistory": true
}"#;

#[tokio::test]
async fn upsert_user_resends_every_section_with_due_diligence() {
    let server = MockServer::start_async().await;
    let endpoint = Endpoint::start(
        &server,
        Expect {
            method: PUT,
            path: "/2025-06-09/users/userId:johnd-123",
            headers: JSON_HEADERS,
            // "User updated" (https://docs.crossmint.com/api-reference/users/upsert-user).
            status: 200,
            response: GERMAN_PASSPORT_UPDATE_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let request = types::UpsertUserRequest {
        due_diligence: Some(types::DueDiligence {
            employment_status: Some(Pii::from("full-time")),
            source_of_funds: Some(Pii::from("employment-income")),
            industry: Some(Pii::from("finance-insurance")),
            ..Default::default()
        }),
        verification_history: Some(types::VerificationHistory {
            id_verification_timestamp: Some("2024-01-15T10:30:00Z".to_owned()),
            liveness_verification_timestamp: Some("2024-01-15T10:32:00Z".to_owned()),
        }),
        ..john_doe()
    };
    let response = client(&server)
        .upsert_user(USER_LOCATOR, &request)
        .await
        .unwrap();

    assert_json_eq(
        &endpoint.received_body().await,
        &vendor_json(GERMAN_PASSPORT_UPDATE_REQUEST),
    );
    assert_eq!(response.status().as_u16(), 200);
    let user = response.into_inner();
    assert!(user.user_details && user.kyc_data && user.due_diligence && user.verification_history);
}

// ---- get_user -----------------------------------------------------------------------------------

/// No response example in the seeds: written from the `UserResponseDto` field table of
/// https://docs.crossmint.com/api-reference/users/get-user (provider reference, operation 1): the
/// reference's example id `usr_1234567890`, presence booleans and an array of `legalDocuments`
/// `{type, acceptedAt, isValidVersion}`; the e-mail and acceptance time are the import guide's.
const GET_USER_RESPONSE: &str = r#"{
  "userId": "usr_1234567890",
  "email": "alice@example.com",
  "userDetails": true,
  "kycData": true,
  "dueDiligence": false,
  "verificationHistory": true,
  "legalDocuments": [
    { "type": "crossmint-privacy-policy", "acceptedAt": "2026-01-01T00:00:00.000Z", "isValidVersion": true }
  ]
}"#;

#[tokio::test]
async fn get_user_decodes_the_presence_booleans() {
    let server = MockServer::start_async().await;
    let endpoint = Endpoint::start(
        &server,
        Expect {
            method: GET,
            path: "/2025-06-09/users/userId:johnd-123",
            headers: READ_HEADERS,
            absent_headers: &["content-type"],
            response: GET_USER_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let user = client(&server)
        .get_user(USER_LOCATOR)
        .await
        .unwrap()
        .into_inner();

    assert_eq!(endpoint.received_body().await, Value::Null);
    assert_eq!(user.user_id.as_deref(), Some("usr_1234567890"));
    assert_eq!(pii(&user.email), Some("alice@example.com"));
    assert!(user.user_details && user.kyc_data && user.verification_history);
    assert!(!user.due_diligence);
    let [consent] = user.legal_documents.as_slice() else {
        panic!("one legal document: {user:?}")
    };
    assert_eq!(
        consent.type_,
        Some(types::LegalDocumentTypeValue::CrossmintPrivacyPolicy)
    );
    assert_eq!(
        consent.accepted_at.as_deref(),
        Some("2026-01-01T00:00:00.000Z")
    );
    assert_eq!(consent.is_valid_version, Some(true));
}

// ---- upload_document / get_document -------------------------------------------------------------

/// Step 2 request of
/// https://docs.crossmint.com/stablecoin-orchestration/users-compliance/quickstart (seed 004), a
/// JavaScript object literal given as JSON. The vendor's `data` is the placeholder
/// `<base64-encoded-image>`; it is replaced by the bare base64 of the first six bytes of a real
/// JPEG (`/9j/4AAQ`), every other value is the vendor's, including the flat `userLocator` the
/// quickstart sends.
pub(super) const QUICKSTART_UPLOAD_REQUEST: &str = r#"{
    "userLocator": "userId:johnd-123",
    "documentType": "id-passport",
    "data": "/9j/4AAQ",
    "expiresAt": "2026-05-30"
}"#;

/// The quickstart prints no response: written from the `UserDocumentResponseDto` field table of
/// https://docs.crossmint.com/api-reference/users/upload-document (provider reference, operation
/// 6), with the reference's example id `doc_abc123xyz` and the request's type and expiry.
pub(super) const UPLOAD_RESPONSE: &str = r#"{
  "id": "doc_abc123xyz",
  "documentType": "id-passport",
  "createdAt": "2026-01-01T00:00:00.000Z",
  "expiresAt": "2026-05-30"
}"#;

const JPEG_START: [u8; 6] = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10];

#[tokio::test]
async fn upload_document_sends_the_quickstart_body() {
    let server = MockServer::start_async().await;
    let endpoint = Endpoint::start(
        &server,
        Expect {
            method: POST,
            path: "/2025-06-09/documents",
            headers: JSON_HEADERS,
            response: UPLOAD_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let request = types::UploadDocumentRequest::UserLocator(types::UploadDocumentByUserLocator {
        user_locator: Pii::from("userId:johnd-123"),
        document_type: types::DocumentType::IdPassport,
        data: Base64Document::plain(JPEG_START.to_vec()),
        expires_at: Some("2026-05-30".to_owned()),
    });
    let document = client(&server)
        .upload_document(&request)
        .await
        .unwrap()
        .into_inner();

    assert_json_eq(
        &endpoint.received_body().await,
        &vendor_json(QUICKSTART_UPLOAD_REQUEST),
    );
    assert_eq!(document.id.as_deref(), Some("doc_abc123xyz"));
    assert_eq!(
        document.document_type,
        Some(types::DocumentTypeValue::IdPassport)
    );
    assert_eq!(
        document.created_at.as_deref(),
        Some("2026-01-01T00:00:00.000Z")
    );
    assert_eq!(document.expires_at.as_deref(), Some("2026-05-30"));
}

/// No full example in the seeds: written from the body-field table of
/// https://docs.crossmint.com/api-reference/users/upload-document (provider reference, operation
/// 6): `reference.userLocator` (the reference's example locator `email:user@example.com`),
/// `documentType`, `data` as a data URI `data:image/png;base64,...` (here the 8-byte PNG signature)
/// and `expiresAt`.
pub(super) const REFERENCE_UPLOAD_REQUEST: &str = r#"{
  "reference": { "userLocator": "email:user@example.com" },
  "documentType": "proof-of-address",
  "data": "data:image/png;base64,iVBORw0KGgo=",
  "expiresAt": "2026-05-30"
}"#;

/// Written from the same `UserDocumentResponseDto` field table; answered as 200 "Document replaced
/// successfully".
const REFERENCE_UPLOAD_RESPONSE: &str = r#"{
  "id": "doc_abc123xyz",
  "documentType": "proof-of-address",
  "createdAt": "2026-01-01T00:00:00.000Z",
  "expiresAt": "2026-05-30"
}"#;

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

#[tokio::test]
async fn upload_document_sends_the_reference_user_locator_and_a_data_uri() {
    let server = MockServer::start_async().await;
    let endpoint = Endpoint::start(
        &server,
        Expect {
            method: POST,
            path: "/2025-06-09/documents",
            headers: JSON_HEADERS,
            response: REFERENCE_UPLOAD_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let request = types::UploadDocumentRequest::Reference(types::UploadDocumentByReference {
        reference: types::DocumentReference {
            user_locator: Pii::from("email:user@example.com"),
        },
        document_type: types::DocumentType::ProofOfAddress,
        data: Base64Document::data_uri(PNG_SIGNATURE.to_vec(), "image/png"),
        expires_at: Some("2026-05-30".to_owned()),
    });
    let document = client(&server)
        .upload_document(&request)
        .await
        .unwrap()
        .into_inner();

    assert_json_eq(
        &endpoint.received_body().await,
        &vendor_json(REFERENCE_UPLOAD_REQUEST),
    );
    assert_eq!(
        document.document_type,
        Some(types::DocumentTypeValue::ProofOfAddress)
    );
}

#[tokio::test]
async fn get_document_decodes_the_document_metadata() {
    let server = MockServer::start_async().await;
    let endpoint = Endpoint::start(
        &server,
        Expect {
            method: GET,
            path: "/2025-06-09/documents/doc_abc123xyz",
            headers: READ_HEADERS,
            absent_headers: &["content-type"],
            // https://docs.crossmint.com/api-reference/users/get-document prints no response
            // example; the same `UserDocumentResponseDto` as the upload (field table, provider
            // reference operation 7).
            response: UPLOAD_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let document = client(&server)
        .get_document("doc_abc123xyz")
        .await
        .unwrap()
        .into_inner();

    assert_eq!(endpoint.received_body().await, Value::Null);
    assert_eq!(document.id.as_deref(), Some("doc_abc123xyz"));
    assert_eq!(
        document.document_type,
        Some(types::DocumentTypeValue::IdPassport)
    );
    assert_eq!(document.expires_at.as_deref(), Some("2026-05-30"));
}

// ---- identity verification ----------------------------------------------------------------------

/// Step 3 response of
/// https://docs.crossmint.com/stablecoin-orchestration/users-compliance/quickstart (seed 004),
/// verbatim except the two trailing JavaScript comments `// documents requested in case of
/// additional due diligence required`, which are not JSON.
const TRIGGER_REQUIRES_DATA_RESPONSE: &str = r#"{
    "eligibility": [
        {
            "type": "regulated-transfer",
            "status": "verified"
        },
        {
            "type": "onramp",
            "status": "requires-data",
            "missingData": ["due-diligence", "verification-history"],
            "missingDocuments": ["proof-of-address", "proof-of-income"]
        },
        {
            "type": "offramp",
            "status": "requires-data",
            "missingData": ["due-diligence", "verification-history"],
            "missingDocuments": ["proof-of-address", "proof-of-income"]
        }
    ]
}"#;

#[tokio::test]
async fn trigger_identity_verification_sends_no_body_and_decodes_requires_data() {
    let server = MockServer::start_async().await;
    let endpoint = Endpoint::start(
        &server,
        Expect {
            method: PUT,
            path: "/2025-06-09/users/userId:johnd-123/identity-verification",
            headers: READ_HEADERS,
            absent_headers: &["content-type"],
            response: TRIGGER_REQUIRES_DATA_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let response = client(&server)
        .trigger_identity_verification(USER_LOCATOR)
        .await
        .unwrap()
        .into_inner();

    // The quickstart sends only the `X-API-KEY` header: no body.
    assert_eq!(endpoint.received_body().await, Value::Null);
    let [payouts, onramp, offramp] = response.eligibility.as_slice() else {
        panic!("three entries: {response:?}")
    };
    assert_eq!(payouts.type_, types::ProductType::RegulatedTransfer);
    assert_eq!(payouts.status, types::EligibilityStatus::Verified);
    assert!(payouts.missing_data.is_empty() && payouts.missing_documents.is_empty());
    for (entry, product) in [
        (onramp, types::ProductType::Onramp),
        (offramp, types::ProductType::Offramp),
    ] {
        assert_eq!(entry.type_, product);
        assert_eq!(entry.status, types::EligibilityStatus::RequiresData);
        assert_eq!(
            entry.missing_data,
            [
                types::MissingData::DueDiligence,
                types::MissingData::VerificationHistory
            ]
        );
        assert_eq!(
            entry.missing_documents,
            [
                types::MissingDocument::ProofOfAddress,
                types::MissingDocument::ProofOfIncome
            ]
        );
        assert!(entry.failure_reasons.is_empty());
    }
}

/// Step 3 response of https://docs.crossmint.com/offramp/guides/import-user-kyc-data (seed 002),
/// verbatim.
const TRIGGER_PENDING_REVIEW_RESPONSE: &str = r#"{
  "eligibility": [
    { "type": "onramp", "status": "pending-review" },
    { "type": "onramp-light", "status": "pending-review" },
    { "type": "offramp", "status": "pending-review" },
    { "type": "regulated-transfer", "status": "pending-review" }
  ]
}"#;

#[tokio::test]
async fn trigger_identity_verification_decodes_pending_review() {
    let server = MockServer::start_async().await;
    let endpoint = Endpoint::start(
        &server,
        Expect {
            method: PUT,
            path: "/2025-06-09/users/userId:johnd-123/identity-verification",
            headers: READ_HEADERS,
            absent_headers: &["content-type"],
            response: TRIGGER_PENDING_REVIEW_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let response = client(&server)
        .trigger_identity_verification(USER_LOCATOR)
        .await
        .unwrap()
        .into_inner();

    assert_eq!(endpoint.received_body().await, Value::Null);
    let products: Vec<_> = response
        .eligibility
        .iter()
        .map(|e| e.type_.clone())
        .collect();
    assert_eq!(
        products,
        [
            types::ProductType::Onramp,
            types::ProductType::OnrampLight,
            types::ProductType::Offramp,
            types::ProductType::RegulatedTransfer
        ]
    );
    assert!(
        response
            .eligibility
            .iter()
            .all(|e| e.status == types::EligibilityStatus::PendingReview)
    );
}

/// Step 4 response of https://docs.crossmint.com/offramp/guides/import-user-kyc-data (seed 002),
/// verbatim.
const VERIFIED_RESPONSE: &str = r#"{
  "eligibility": [
    { "type": "onramp", "status": "verified" },
    { "type": "onramp-light", "status": "verified" },
    { "type": "offramp", "status": "verified" },
    { "type": "regulated-transfer", "status": "verified" }
  ]
}"#;

#[tokio::test]
async fn get_identity_verification_decodes_all_verified() {
    let server = MockServer::start_async().await;
    let endpoint = Endpoint::start(
        &server,
        Expect {
            method: GET,
            path: "/2025-06-09/users/userId:johnd-123/identity-verification",
            headers: READ_HEADERS,
            absent_headers: &["content-type"],
            response: VERIFIED_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let response = client(&server)
        .get_identity_verification(USER_LOCATOR)
        .await
        .unwrap()
        .into_inner();

    assert_eq!(endpoint.received_body().await, Value::Null);
    assert_eq!(response.eligibility.len(), 4);
    let offramp = response
        .eligibility
        .iter()
        .find(|e| e.type_ == types::ProductType::Offramp)
        .expect("offramp");
    assert_eq!(offramp.status, types::EligibilityStatus::Verified);
    assert!(
        response
            .eligibility
            .iter()
            .all(|e| e.status == types::EligibilityStatus::Verified)
    );
    assert!(
        response
            .eligibility
            .iter()
            .all(|e| !e.type_.is_unknown() && !e.status.is_unknown())
    );
}

/// Response example of https://docs.crossmint.com/api-reference/users/get-identity-verification,
/// verbatim: onramp requires data (user details, KYC data, an id and a proof of address), offramp is
/// verified, regulated-transfer is in review.
const REQUIRES_DATA_RESPONSE: &str = r#"{
  "eligibility": [
    {
      "type": "onramp",
      "status": "requires-data",
      "missingData": [
        "user-details",
        "kyc-data"
      ],
      "missingDocuments": [
        "id",
        "proof-of-address"
      ]
    },
    {
      "type": "offramp",
      "status": "verified"
    },
    {
      "type": "regulated-transfer",
      "status": "pending-review"
    }
  ]
}"#;

#[tokio::test]
async fn get_identity_verification_decodes_the_reference_requires_data_example() {
    let server = MockServer::start_async().await;
    let _endpoint = Endpoint::start(
        &server,
        Expect {
            method: GET,
            path: "/2025-06-09/users/userId:johnd-123/identity-verification",
            headers: READ_HEADERS,
            response: REQUIRES_DATA_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let response = client(&server)
        .get_identity_verification(USER_LOCATOR)
        .await
        .unwrap()
        .into_inner();

    let [onramp, offramp, transfer] = response.eligibility.as_slice() else {
        panic!("three entries: {response:?}")
    };
    assert_eq!(onramp.type_, types::ProductType::Onramp);
    assert_eq!(onramp.status, types::EligibilityStatus::RequiresData);
    assert_eq!(
        onramp.missing_data,
        [types::MissingData::UserDetails, types::MissingData::KycData]
    );
    assert_eq!(
        onramp.missing_documents,
        [
            types::MissingDocument::Id,
            types::MissingDocument::ProofOfAddress
        ]
    );
    assert_eq!(offramp.status, types::EligibilityStatus::Verified);
    assert!(offramp.missing_data.is_empty());
    assert_eq!(transfer.type_, types::ProductType::RegulatedTransfer);
    assert_eq!(transfer.status, types::EligibilityStatus::PendingReview);
}

/// No vendor example: written from the `failureReasons` row of the eligibility field table
/// (https://docs.crossmint.com/identity/failure-reasons, provider reference operation 5): on
/// `rejected`, an array of `{code, message}` with the known code `id-document-expired`. The message
/// text is the test's.
const REJECTED_RESPONSE: &str = r#"{
  "eligibility": [
    {
      "type": "offramp",
      "status": "rejected",
      "failureReasons": [ { "code": "id-document-expired", "message": "The identity document has expired." } ]
    }
  ]
}"#;

#[tokio::test]
async fn get_identity_verification_decodes_failure_reasons() {
    let server = MockServer::start_async().await;
    let _endpoint = Endpoint::start(
        &server,
        Expect {
            method: GET,
            path: "/2025-06-09/users/userId:johnd-123/identity-verification",
            headers: READ_HEADERS,
            response: REJECTED_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let response = client(&server)
        .get_identity_verification(USER_LOCATOR)
        .await
        .unwrap()
        .into_inner();

    let [offramp] = response.eligibility.as_slice() else {
        panic!("one entry: {response:?}")
    };
    assert_eq!(offramp.status, types::EligibilityStatus::Rejected);
    let [reason] = offramp.failure_reasons.as_slice() else {
        panic!("one reason: {offramp:?}")
    };
    assert_eq!(reason.code.as_deref(), Some("id-document-expired"));
    assert_eq!(
        reason.message.as_deref(),
        Some("The identity document has expired.")
    );
}

/// Not a vendor example: values the spec does not list (a product and a status Crossmint might add,
/// plus an unlisted missing-document category), to prove the response enums are forward-compatible.
const UNSEEN_VALUES_RESPONSE: &str = r#"{
  "eligibility": [
    { "type": "card-issuing", "status": "pending-manual-check", "missingDocuments": ["selfie"] },
    { "type": "onramp", "status": "verified" }
  ]
}"#;

#[tokio::test]
async fn unknown_eligibility_values_decode_into_unknown_and_keep_the_raw_string() {
    let server = MockServer::start_async().await;
    let _endpoint = Endpoint::start(
        &server,
        Expect {
            method: GET,
            path: "/2025-06-09/users/userId:johnd-123/identity-verification",
            headers: READ_HEADERS,
            response: UNSEEN_VALUES_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let response = client(&server)
        .get_identity_verification(USER_LOCATOR)
        .await
        .unwrap()
        .into_inner();

    let [unseen, onramp] = response.eligibility.as_slice() else {
        panic!("two entries: {response:?}")
    };
    assert_eq!(
        unseen.type_,
        types::ProductType::Unknown("card-issuing".to_owned())
    );
    assert_eq!(unseen.type_.as_str(), "card-issuing");
    assert!(unseen.type_.is_unknown());
    assert_eq!(
        unseen.status,
        types::EligibilityStatus::Unknown("pending-manual-check".to_owned())
    );
    assert_eq!(unseen.status.as_str(), "pending-manual-check");
    assert!(unseen.status.is_unknown());
    assert_eq!(
        unseen.missing_documents,
        [types::MissingDocument::Unknown("selfie".to_owned())]
    );
    assert_eq!(unseen.missing_documents[0].as_str(), "selfie");
    // Known values next to them still decode into their variants.
    assert_eq!(onramp.type_, types::ProductType::Onramp);
    assert_eq!(onramp.status, types::EligibilityStatus::Verified);
    assert_eq!(onramp.status.as_str(), "verified");
}

// ---- linked wallets -----------------------------------------------------------------------------

/// No vendor example values in the seeds: written from the body-field table of
/// https://docs.crossmint.com/api-reference/users/link-wallet (provider reference, operation 8):
/// `chainType` required (`evm`), `proof` omitted on the first call to receive the ownership
/// challenge.
const LINK_WALLET_REQUEST: &str = r#"{ "chainType": "evm" }"#;

/// Written from the `LinkedWalletResponseDto` field table of the same page: `address`, `chainType`,
/// `type` `external-wallet` and `ownership {verified, verificationChallenge}`. The challenge text
/// is the test's.
const LINK_WALLET_RESPONSE: &str = r#"{
  "address": "0x1234567890abcdef1234567890abcdef12345678",
  "chainType": "evm",
  "type": "external-wallet",
  "ownership": {
    "verified": false,
    "verificationChallenge": "crossmint.com wants you to sign in with your Ethereum account"
  }
}"#;

#[tokio::test]
async fn link_wallet_without_proof_receives_the_ownership_challenge() {
    let server = MockServer::start_async().await;
    let endpoint = Endpoint::start(
        &server,
        Expect {
            method: PUT,
            path: "/2025-06-09/users/userId:johnd-123/linked-wallets/0x1234567890abcdef1234567890abcdef12345678",
            headers: JSON_HEADERS,
            response: LINK_WALLET_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let request = types::LinkWalletRequest {
        chain_type: types::ChainType::Evm,
        proof: None,
    };
    let wallet = client(&server)
        .link_wallet(USER_LOCATOR, WALLET, &request)
        .await
        .unwrap()
        .into_inner();

    assert_json_eq(
        &endpoint.received_body().await,
        &vendor_json(LINK_WALLET_REQUEST),
    );
    assert_eq!(wallet.address, WALLET);
    assert_eq!(wallet.chain_type, Some(types::ChainTypeValue::Evm));
    assert_eq!(wallet.type_, types::LinkedWalletTypeValue::ExternalWallet);
    assert!(!wallet.ownership.verified);
    assert_eq!(
        wallet.ownership.verification_challenge.as_deref(),
        Some("crossmint.com wants you to sign in with your Ethereum account")
    );
}

/// Written from the body-field table of https://docs.crossmint.com/api-reference/users/link-wallet:
/// the second call carries the signed challenge in `proof` (the signature value is the test's).
const LINK_WALLET_WITH_PROOF_REQUEST: &str = r#"{ "chainType": "evm", "proof": "0x5ig" }"#;

/// Written from the `LinkedWalletResponseDto` field table: ownership proven, no challenge left.
const VERIFIED_WALLET_RESPONSE: &str = r#"{
  "address": "0x1234567890abcdef1234567890abcdef12345678",
  "chainType": "evm",
  "type": "external-wallet",
  "ownership": { "verified": true }
}"#;

#[tokio::test]
async fn link_wallet_sends_the_ownership_proof() {
    let server = MockServer::start_async().await;
    let endpoint = Endpoint::start(
        &server,
        Expect {
            method: PUT,
            path: "/2025-06-09/users/userId:johnd-123/linked-wallets/0x1234567890abcdef1234567890abcdef12345678",
            headers: JSON_HEADERS,
            response: VERIFIED_WALLET_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let request = types::LinkWalletRequest {
        chain_type: types::ChainType::Evm,
        proof: Some("0x5ig".to_owned()),
    };
    let wallet = client(&server)
        .link_wallet(USER_LOCATOR, WALLET, &request)
        .await
        .unwrap()
        .into_inner();

    assert_json_eq(
        &endpoint.received_body().await,
        &vendor_json(LINK_WALLET_WITH_PROOF_REQUEST),
    );
    assert!(wallet.ownership.verified);
    assert!(wallet.ownership.verification_challenge.is_none());
}

#[tokio::test]
async fn get_linked_wallet_decodes_the_wallet() {
    let server = MockServer::start_async().await;
    let endpoint = Endpoint::start(
        &server,
        Expect {
            method: GET,
            path: "/2025-06-09/users/userId:johnd-123/linked-wallets/0x1234567890abcdef1234567890abcdef12345678",
            headers: READ_HEADERS,
            absent_headers: &["content-type"],
            // https://docs.crossmint.com/api-reference/users/get-linked-wallet: same
            // `LinkedWalletResponseDto`.
            response: VERIFIED_WALLET_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let wallet = client(&server)
        .get_linked_wallet(USER_LOCATOR, WALLET)
        .await
        .unwrap()
        .into_inner();

    assert_eq!(endpoint.received_body().await, Value::Null);
    assert_eq!(wallet.address, WALLET);
    assert_eq!(wallet.chain_type, Some(types::ChainTypeValue::Evm));
    assert!(wallet.chain.is_none());
    assert_eq!(wallet.type_, types::LinkedWalletTypeValue::ExternalWallet);
    assert!(wallet.ownership.verified);
}

// ---- errors -------------------------------------------------------------------------------------

/// The Users API documents no error body; the provider reference (Errors) gives the Wallets API
/// shape `{error: true, message, code?}` and the documented 404 message "Document not found" of
/// https://docs.crossmint.com/api-reference/users/get-document. Written from that, not a vendor
/// example.
const DOCUMENT_NOT_FOUND: &str = r#"{ "error": true, "message": "Document not found" }"#;

#[tokio::test]
async fn get_document_404_yields_the_decoded_error_response() {
    let server = MockServer::start_async().await;
    let _endpoint = Endpoint::start(
        &server,
        Expect {
            method: GET,
            path: "/2025-06-09/documents/doc_missing",
            headers: READ_HEADERS,
            status: 404,
            response: DOCUMENT_NOT_FOUND,
            ..Expect::default()
        },
    )
    .await;

    let error = client(&server)
        .get_document("doc_missing")
        .await
        .unwrap_err();

    let status = error.status().expect("an HTTP error response");
    let response: types::ErrorResponse = error.vendor_body().expect("the vendor's error body");
    assert_eq!(status, 404);
    let body = response;
    assert_eq!(body.error, Some(true));
    assert_eq!(body.message.as_deref(), Some("Document not found"));
    assert_eq!(body.code, None);
}

/// The Wallets API error shape `{error: true, message, code?}` (provider reference, Errors) with
/// the message documented by https://docs.crossmint.com/offramp/guides/import-user-kyc-data for a
/// project without the KYC endpoints. Its status code is not documented: 403 is the test's choice;
/// the `code` value is the test's.
const KYC_NOT_ENABLED: &str = r#"{
  "error": true,
  "message": "project not configured to support the users KYC endpoints",
  "code": "forbidden"
}"#;

#[tokio::test]
async fn upsert_user_4xx_yields_the_decoded_error_response() {
    let server = MockServer::start_async().await;
    let _endpoint = Endpoint::start(
        &server,
        Expect {
            method: PUT,
            path: "/2025-06-09/users/userId:johnd-123",
            headers: JSON_HEADERS,
            status: 403,
            response: KYC_NOT_ENABLED,
            ..Expect::default()
        },
    )
    .await;

    let error = client(&server)
        .upsert_user(USER_LOCATOR, &john_doe())
        .await
        .unwrap_err();

    let status = error.status().expect("an HTTP error response");
    let response: types::ErrorResponse = error.vendor_body().expect("the vendor's error body");
    assert_eq!(status, 403);
    let body = response;
    assert_eq!(body.error, Some(true));
    assert_eq!(
        body.message.as_deref(),
        Some("project not configured to support the users KYC endpoints")
    );
    assert_eq!(body.code.as_deref(), Some("forbidden"));
}

// ---- redaction ----------------------------------------------------------------------------------

#[test]
fn debug_of_requests_prints_no_personal_data_and_no_document_payload() {
    let mut user = alice();
    let kyc = user.kyc_data.as_mut().unwrap();
    kyc.phone_number = Some(Pii::from("+12125551234"));
    kyc.ip_addresses = vec![Pii::from("203.0.113.7")];
    kyc.address_of_residence.as_mut().unwrap().line2 = Some(Pii::from("Apt 4B"));
    user.due_diligence = Some(types::DueDiligence {
        employment_status: Some(Pii::from("full-time")),
        source_of_funds: Some(Pii::from("salary-disbursement")),
        industry: Some(Pii::from("financial-institution")),
        estimated_yearly_income: Some(Pii::from("income-50k-100k")),
        expected_yearly_tx_volume: Some(Pii::from("volume-0-25k")),
    });
    let debug = format!("{user:?} {user:#?}");
    for personal in [
        "Alice",
        "Smith",
        "1990-01-15",
        "alice@example.com",
        "701 S Miami Ave",
        "Apt 4B",
        "Miami",
        "33156",
        "123-45-6789",
        "+12125551234",
        "203.0.113.7",
        "full-time",
        "salary-disbursement",
        "financial-institution",
        "income-50k-100k",
        "volume-0-25k",
    ] {
        assert!(
            !debug.contains(personal),
            "Debug of UpsertUserRequest shows {personal:?}: {debug}"
        );
    }
    assert!(debug.contains("[redacted]"), "{debug}");

    let payload: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    let upload = types::UploadDocumentRequest::Reference(types::UploadDocumentByReference {
        reference: types::DocumentReference {
            user_locator: Pii::from("email:user@example.com"),
        },
        document_type: types::DocumentType::IdPassport,
        data: Base64Document::data_uri(payload, "image/png"),
        expires_at: Some("2030-12-31".to_owned()),
    });
    let wire = serde_json::to_value(&upload).unwrap();
    let base64 = wire["data"]
        .as_str()
        .unwrap()
        .trim_start_matches("data:image/png;base64,")
        .to_owned();
    assert!(base64.len() > 3000);
    let debug = format!("{upload:?} {upload:#?}");
    assert!(
        !debug.contains(&base64[..16]),
        "Debug of UploadDocumentRequest shows the payload: {debug}"
    );
    assert!(!debug.contains("base64,"), "{debug}");
    assert!(!debug.contains("user@example.com"), "{debug}");
}
