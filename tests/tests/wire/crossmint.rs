//! Crossmint Users / KYC API `2025-06-09` —
//! https://docs.crossmint.com/api-reference/users/upsert-user
//!
//! Every user-scoped path carries the user locator `userId:johnd-123` of the users-compliance
//! quickstart (https://docs.crossmint.com/stablecoin-orchestration/users-compliance/quickstart).
//! The vendor sends the colon unescaped, and progenitor's `encode_path` leaves `:` alone, so the
//! paths below assert the raw wire form `/2025-06-09/users/userId:johnd-123` (httpmock matches the
//! undecoded request path).

use httpmock::{
    Method::{self, GET, POST, PUT},
    MockServer,
};
use rampkit_crossmint::{Base64Document, Client, CrossmintAuth, Pii, UserLocator, types};

use super::common::{Expect, exchange, fixture};

pub(super) const API_KEY: &str = "sk_staging_wire_test_key";
const USER_LOCATOR: &str = "userId:johnd-123";

/// `USER_LOCATOR` as the client takes it.
fn user_locator() -> UserLocator {
    USER_LOCATOR.parse().unwrap()
}
const WALLET: &str = "0x1234567890abcdef1234567890abcdef12345678";
/// The linked-wallet path of `USER_LOCATOR` and `WALLET`.
const LINKED_WALLET: &str =
    "/2025-06-09/users/userId:johnd-123/linked-wallets/0x1234567890abcdef1234567890abcdef12345678";

pub(super) fn client(server: &MockServer) -> Client {
    Client::new(&server.base_url(), CrossmintAuth::new(API_KEY.to_owned()))
}

/// A call that carries a JSON body: the key, the content type and `accept`.
pub(super) fn send(method: Method, path: &str) -> Expect<'_> {
    Expect::new(method, path).headers(&[
        ("x-api-key", API_KEY),
        ("content-type", "application/json"),
        ("accept", "application/json"),
    ])
}

/// A call without a body: the key and `accept`, no content type.
pub(super) fn read(method: Method, path: &str) -> Expect<'_> {
    Expect::new(method, path)
        .headers(&[("x-api-key", API_KEY), ("accept", "application/json")])
        .absent(&["content-type"])
}

pub(super) fn pii(value: &Option<Pii>) -> Option<&str> {
    value.as_ref().map(Pii::expose_str)
}

// ---- accept_legal_document ----------------------------------------------------------------------

#[tokio::test]
async fn accept_legal_document_sends_the_privacy_policy_consent() {
    let server = MockServer::start_async().await;
    let endpoint = send(PUT, "/2025-06-09/users/userId:johnd-123/legal-documents")
        .answer(fixture("crossmint/accept_legal_document.200.json"))
        .start(&server)
        .await;

    let request = types::AcceptLegalDocumentRequest {
        type_: types::LegalDocumentType::CrossmintPrivacyPolicy,
        accepted_at: "2026-01-01T00:00:00.000Z".to_owned(),
        region: None,
    };
    let response = client(&server)
        .accept_legal_document(&user_locator(), &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture(
            "crossmint/accept_legal_document.request.privacy_policy.json",
        ))
        .await;
    assert_eq!(response.accepted_at, "2026-01-01T00:00:00.000Z");
}

#[tokio::test]
async fn accept_legal_document_sends_the_terms_of_service_with_region() {
    let server = MockServer::start_async().await;
    let endpoint = send(PUT, "/2025-06-09/users/userId:johnd-123/legal-documents")
        .answer(fixture("crossmint/accept_legal_document.200.json"))
        .start(&server)
        .await;

    let request = types::AcceptLegalDocumentRequest {
        type_: types::LegalDocumentType::CrossmintTermsOfService,
        accepted_at: "2026-01-01T00:00:00.000Z".to_owned(),
        region: Some(types::LegalDocumentRegion::Eu),
    };
    client(&server)
        .accept_legal_document(&user_locator(), &request)
        .await
        .unwrap();

    endpoint
        .assert_sent(fixture(
            "crossmint/accept_legal_document.request.terms_of_service.json",
        ))
        .await;
}

// ---- upsert_user --------------------------------------------------------------------------------

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
    // "User created" (https://docs.crossmint.com/api-reference/users/upsert-user): 201,
    // same body as 200.
    let endpoint = send(PUT, "/2025-06-09/users/userId:johnd-123")
        .status(201)
        .answer(fixture("crossmint/upsert_user.201.us_ssn.json"))
        .start(&server)
        .await;

    let response = client(&server)
        .upsert_user(&user_locator(), &alice())
        .await
        .unwrap();

    endpoint
        .assert_sent(fixture("crossmint/upsert_user.request.us_ssn.json"))
        .await;
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
    let endpoint = send(PUT, "/2025-06-09/users/userId:johnd-123")
        .status(201)
        .answer(fixture("crossmint/upsert_user.201.german_passport.json"))
        .start(&server)
        .await;

    let user = client(&server)
        .upsert_user(&user_locator(), &john_doe())
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture(
            "crossmint/upsert_user.request.german_passport.json",
        ))
        .await;
    assert_eq!(user.user_id.as_deref(), Some("johnd-123"));
    assert!(user.user_details && user.kyc_data);
    assert!(!user.due_diligence && !user.verification_history);
}

#[tokio::test]
async fn upsert_user_resends_every_section_with_due_diligence() {
    let server = MockServer::start_async().await;
    // "User updated" (https://docs.crossmint.com/api-reference/users/upsert-user).
    let endpoint = send(PUT, "/2025-06-09/users/userId:johnd-123")
        .answer(fixture(
            "crossmint/upsert_user.200.german_passport_update.json",
        ))
        .start(&server)
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
        .upsert_user(&user_locator(), &request)
        .await
        .unwrap();

    endpoint
        .assert_sent(fixture(
            "crossmint/upsert_user.request.german_passport_update.json",
        ))
        .await;
    assert_eq!(response.status().as_u16(), 200);
    let user = response.into_inner();
    assert!(user.user_details && user.kyc_data && user.due_diligence && user.verification_history);
}

// ---- get_user -----------------------------------------------------------------------------------

#[tokio::test]
async fn get_user_decodes_the_presence_booleans() {
    let server = MockServer::start_async().await;
    let endpoint = read(GET, "/2025-06-09/users/userId:johnd-123")
        .answer(fixture("crossmint/get_user.200.json"))
        .start(&server)
        .await;

    let user = client(&server)
        .get_user(&user_locator())
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
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

const JPEG_START: [u8; 6] = [0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10];

#[tokio::test]
async fn upload_document_sends_the_quickstart_body() {
    let server = MockServer::start_async().await;
    let endpoint = send(POST, "/2025-06-09/documents")
        .answer(fixture("crossmint/upload_document.200.id_passport.json"))
        .start(&server)
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

    endpoint
        .assert_sent(fixture(
            "crossmint/upload_document.request.user_locator.json",
        ))
        .await;
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

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

#[tokio::test]
async fn upload_document_sends_the_reference_user_locator_and_a_data_uri() {
    let server = MockServer::start_async().await;
    let endpoint = send(POST, "/2025-06-09/documents")
        .answer(fixture(
            "crossmint/upload_document.200.proof_of_address.json",
        ))
        .start(&server)
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

    endpoint
        .assert_sent(fixture("crossmint/upload_document.request.reference.json"))
        .await;
    assert_eq!(
        document.document_type,
        Some(types::DocumentTypeValue::ProofOfAddress)
    );
}

#[tokio::test]
async fn get_document_decodes_the_document_metadata() {
    let server = MockServer::start_async().await;
    // https://docs.crossmint.com/api-reference/users/get-document prints no response
    // example; the same `UserDocumentResponseDto` as the upload (field table, provider
    // reference operation 7).
    let endpoint = read(GET, "/2025-06-09/documents/doc_abc123xyz")
        .answer(fixture("crossmint/upload_document.200.id_passport.json"))
        .start(&server)
        .await;

    let document = client(&server)
        .get_document("doc_abc123xyz")
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(document.id.as_deref(), Some("doc_abc123xyz"));
    assert_eq!(
        document.document_type,
        Some(types::DocumentTypeValue::IdPassport)
    );
    assert_eq!(document.expires_at.as_deref(), Some("2026-05-30"));
}

// ---- identity verification ----------------------------------------------------------------------

const IDENTITY_VERIFICATION: &str = "/2025-06-09/users/userId:johnd-123/identity-verification";

/// get_identity_verification of `USER_LOCATOR`, answered with `answer`: the call carries no body.
async fn verification(answer: &str) -> types::IdentityVerificationResponse {
    let (response, sent) = exchange(
        read(GET, IDENTITY_VERIFICATION).answer(answer),
        async |server| client(server).get_identity_verification(&user_locator()).await,
    )
    .await;
    assert!(sent.body.is_empty(), "no request body");
    response.unwrap().into_inner()
}

/// trigger_identity_verification of `USER_LOCATOR`, answered with `answer`: the call carries no
/// body (the quickstart sends only the `X-API-KEY` header).
async fn triggered_verification(answer: &str) -> types::IdentityVerificationResponse {
    let (response, sent) = exchange(
        read(PUT, IDENTITY_VERIFICATION).answer(answer),
        async |server| {
            client(server)
                .trigger_identity_verification(&user_locator())
                .await
        },
    )
    .await;
    assert!(sent.body.is_empty(), "no request body");
    response.unwrap().into_inner()
}

#[tokio::test]
async fn trigger_identity_verification_sends_no_body_and_decodes_requires_data() {
    let response = triggered_verification(fixture(
        "crossmint/trigger_identity_verification.200.requires_data.json",
    ))
    .await;

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

#[tokio::test]
async fn trigger_identity_verification_decodes_pending_review() {
    let response = triggered_verification(fixture(
        "crossmint/trigger_identity_verification.200.pending_review.json",
    ))
    .await;

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

#[tokio::test]
async fn get_identity_verification_decodes_all_verified() {
    let response = verification(fixture(
        "crossmint/get_identity_verification.200.verified.json",
    ))
    .await;

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

#[tokio::test]
async fn get_identity_verification_decodes_the_reference_requires_data_example() {
    let response = verification(fixture(
        "crossmint/get_identity_verification.200.requires_data.json",
    ))
    .await;

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

#[tokio::test]
async fn get_identity_verification_decodes_failure_reasons() {
    let response = verification(fixture(
        "crossmint/get_identity_verification.200.rejected.json",
    ))
    .await;

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

#[tokio::test]
async fn unknown_eligibility_values_decode_into_unknown_and_keep_the_raw_string() {
    let response = verification(fixture(
        "crossmint/get_identity_verification.200.unknown_values.json",
    ))
    .await;

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

#[tokio::test]
async fn link_wallet_without_proof_receives_the_ownership_challenge() {
    let server = MockServer::start_async().await;
    let endpoint = send(PUT, LINKED_WALLET)
        .answer(fixture("crossmint/link_wallet.200.challenge.json"))
        .start(&server)
        .await;

    let request = types::LinkWalletRequest {
        chain_type: types::ChainType::Evm,
        proof: None,
    };
    let wallet = client(&server)
        .link_wallet(&user_locator(), WALLET, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("crossmint/link_wallet.request.json"))
        .await;
    assert_eq!(wallet.address, WALLET);
    assert_eq!(wallet.chain_type, Some(types::ChainTypeValue::Evm));
    assert_eq!(wallet.type_, types::LinkedWalletTypeValue::ExternalWallet);
    assert!(!wallet.ownership.verified);
    assert_eq!(
        wallet.ownership.verification_challenge.as_deref(),
        Some("crossmint.com wants you to sign in with your Ethereum account")
    );
}

#[tokio::test]
async fn link_wallet_sends_the_ownership_proof() {
    let server = MockServer::start_async().await;
    let endpoint = send(PUT, LINKED_WALLET)
        .answer(fixture("crossmint/link_wallet.200.verified.json"))
        .start(&server)
        .await;

    let request = types::LinkWalletRequest {
        chain_type: types::ChainType::Evm,
        proof: Some("0x5ig".to_owned()),
    };
    let wallet = client(&server)
        .link_wallet(&user_locator(), WALLET, &request)
        .await
        .unwrap()
        .into_inner();

    endpoint
        .assert_sent(fixture("crossmint/link_wallet.request.proof.json"))
        .await;
    assert!(wallet.ownership.verified);
    assert!(wallet.ownership.verification_challenge.is_none());
}

#[tokio::test]
async fn get_linked_wallet_decodes_the_wallet() {
    let server = MockServer::start_async().await;
    // https://docs.crossmint.com/api-reference/users/get-linked-wallet: same
    // `LinkedWalletResponseDto`.
    let endpoint = read(GET, LINKED_WALLET)
        .answer(fixture("crossmint/link_wallet.200.verified.json"))
        .start(&server)
        .await;

    let wallet = client(&server)
        .get_linked_wallet(&user_locator(), WALLET)
        .await
        .unwrap()
        .into_inner();

    endpoint.assert_no_body().await;
    assert_eq!(wallet.address, WALLET);
    assert_eq!(wallet.chain_type, Some(types::ChainTypeValue::Evm));
    assert!(wallet.chain.is_none());
    assert_eq!(wallet.type_, types::LinkedWalletTypeValue::ExternalWallet);
    assert!(wallet.ownership.verified);
}

// ---- errors -------------------------------------------------------------------------------------

#[tokio::test]
async fn get_document_404_yields_the_decoded_error_response() {
    let server = MockServer::start_async().await;
    let _endpoint = read(GET, "/2025-06-09/documents/doc_missing")
        .status(404)
        .answer(fixture("crossmint/get_document.404.json"))
        .start(&server)
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

#[tokio::test]
async fn upsert_user_4xx_yields_the_decoded_error_response() {
    let server = MockServer::start_async().await;
    let _endpoint = send(PUT, "/2025-06-09/users/userId:johnd-123")
        .status(403)
        .answer(fixture("crossmint/upsert_user.403.json"))
        .start(&server)
        .await;

    let error = client(&server)
        .upsert_user(&user_locator(), &john_doe())
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
