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

    let request = types::AcceptLegalDocumentRequest::new(
        "2026-01-01T00:00:00.000Z".to_owned(),
        types::LegalDocumentType::CrossmintPrivacyPolicy,
    );
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

    let request = types::AcceptLegalDocumentRequest::new(
        "2026-01-01T00:00:00.000Z".to_owned(),
        types::LegalDocumentType::CrossmintTermsOfService,
    )
    .with_region(types::LegalDocumentRegion::Eu);
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
    types::UpsertUserRequest::new()
        .with_user_details(
            types::UserDetails::new()
                .with_first_name(Pii::from("Alice"))
                .with_last_name(Pii::from("Smith"))
                .with_date_of_birth(Pii::from("1990-01-15"))
                .with_country_of_residence(Pii::from("US")),
        )
        .with_kyc_data(
            types::KycData::new()
                .with_email(Pii::from("alice@example.com"))
                .with_nationality(Pii::from("US"))
                .with_address_of_residence(
                    types::AddressOfResidence::new()
                        .with_line1(Pii::from("701 S Miami Ave"))
                        .with_city(Pii::from("Miami"))
                        .with_postal_code(Pii::from("33156"))
                        .with_state_or_region(Pii::from("FL")),
                )
                .with_identity_document(
                    types::IdentityDocument::new()
                        .with_type("ssn".to_owned())
                        .with_number(Pii::from("123-45-6789"))
                        .with_issuing_country_code(Pii::from("US")),
                ),
        )
        .with_verification_history(
            types::VerificationHistory::new()
                .with_id_verification_timestamp("2026-01-01T00:00:00.000Z".to_owned())
                .with_liveness_verification_timestamp("2026-01-01T00:00:00.000Z".to_owned()),
        )
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
    types::UpsertUserRequest::new()
        .with_user_details(
            types::UserDetails::new()
                .with_first_name(Pii::from("John"))
                .with_last_name(Pii::from("Doe"))
                .with_date_of_birth(Pii::from("1995-01-01"))
                .with_country_of_residence(Pii::from("DE")),
        )
        .with_kyc_data(
            types::KycData::new()
                .with_address_of_residence(
                    types::AddressOfResidence::new()
                        .with_line1(Pii::from("123 Hauptstrasse"))
                        .with_line2(Pii::from("Apt 5"))
                        .with_city(Pii::from("Berlin"))
                        .with_postal_code(Pii::from("10115")),
                )
                .with_email(Pii::from("[email protected]"))
                .with_identity_document(
                    types::IdentityDocument::new()
                        .with_type("passport".to_owned())
                        .with_number(Pii::from("AS12321")),
                ),
        )
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

    let request = john_doe()
        .with_due_diligence(
            types::DueDiligence::new()
                .with_employment_status(Pii::from("full-time"))
                .with_source_of_funds(Pii::from("employment-income"))
                .with_industry(Pii::from("finance-insurance")),
        )
        .with_verification_history(
            types::VerificationHistory::new()
                .with_id_verification_timestamp("2024-01-15T10:30:00Z".to_owned())
                .with_liveness_verification_timestamp("2024-01-15T10:32:00Z".to_owned()),
        );
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

    let request = types::UploadDocumentRequest::UserLocator(
        types::UploadDocumentByUserLocator::new(
            Base64Document::plain(JPEG_START.to_vec()),
            types::DocumentType::IdPassport,
            Pii::from("userId:johnd-123"),
        )
        .with_expires_at("2026-05-30".to_owned()),
    );
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

    let request = types::UploadDocumentRequest::Reference(
        types::UploadDocumentByReference::new(
            Base64Document::data_uri(PNG_SIGNATURE.to_vec(), "image/png"),
            types::DocumentType::ProofOfAddress,
            types::DocumentReference::new(Pii::from("email:user@example.com")),
        )
        .with_expires_at("2026-05-30".to_owned()),
    );
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
        async |server| {
            client(server)
                .get_identity_verification(&user_locator())
                .await
        },
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

    let request = types::LinkWalletRequest::new(types::ChainType::Evm);
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

    let request =
        types::LinkWalletRequest::new(types::ChainType::Evm).with_proof("0x5ig".to_owned());
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
    user.due_diligence = Some(
        types::DueDiligence::new()
            .with_employment_status(Pii::from("full-time"))
            .with_source_of_funds(Pii::from("salary-disbursement"))
            .with_industry(Pii::from("financial-institution"))
            .with_estimated_yearly_income(Pii::from("income-50k-100k"))
            .with_expected_yearly_tx_volume(Pii::from("volume-0-25k")),
    );
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
    let upload = types::UploadDocumentRequest::Reference(
        types::UploadDocumentByReference::new(
            Base64Document::data_uri(payload, "image/png"),
            types::DocumentType::IdPassport,
            types::DocumentReference::new(Pii::from("email:user@example.com")),
        )
        .with_expires_at("2030-12-31".to_owned()),
    );
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
