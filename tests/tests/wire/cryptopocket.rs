//! CryptoPocket partner API — https://api-doc.cryptopocket.io

use httpmock::{Method::POST, MockServer};
use rampkit_cryptopocket::{Base64Document, Client, CryptoPocketAuth, Pii, types};

use super::common::{Endpoint, Expect, assert_json_eq, vendor_json};

const TOKEN: &str = "sandbox-token-31-characters-long";

fn client(server: &MockServer) -> Client {
    Client::new(&server.base_url(), CryptoPocketAuth::with_token(TOKEN.to_owned()))
}

/// Request example of https://api-doc.cryptopocket.io/create-customer-with-delegated-kyc-4350868e0
/// (seed 000). The vendor elides the four image payloads (`/9j/4AAQSkZJRgABAQEASABI...2Q==`); they are
/// replaced below by the data URI of a real 4-byte JPEG start, every other byte is the vendor's.
const DELEGATED_KYC_REQUEST: &str = r#"{
    "type": "PERSON",
    "first_name": "Juan",
    "last_name": "Perez",
    "dob": "1990-05-15",
    "residence_country": "ES",
    "nacionality": "ES",
    "gender": "male",
    "email": "juan.perez.kyc.test@example.com",
    "phone": "+34600111222",
    "document_type": "DNI",
    "document_number": "12345678Z",
    "expiry_date": "2030-12-31",
    "front": "data:image/jpeg;base64,/9j/4AAQ",
    "back": "data:image/jpeg;base64,/9j/4AAQ",
    "face": "data:image/jpeg;base64,/9j/4AAQ",
    "liveness": "data:image/jpeg;base64,/9j/4AAQ"
}"#;

/// Response example of the same page, verbatim.
const DELEGATED_KYC_RESPONSE: &str = r#"{
    "status": "ok",
    "data": {
        "id": 100003754,
        "email": "juan.perez.kyc.test@example.com",
        "name": "Juan",
        "last_name": "Perez",
        "identification_type": "DNI",
        "identification_number": "12345678Z",
        "phone": "+34600111222",
        "country": "España",
        "gender": "M",
        "dob": "1990-05-15 00:00:00",
        "kyc_valid": true
    }
}"#;

fn jpeg() -> Base64Document {
    Base64Document::data_uri(vec![0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], "image/jpeg")
}

#[tokio::test]
async fn register_user_kyc_delegated_sends_the_vendor_example() {
    let server = MockServer::start_async().await;
    let endpoint = Endpoint::start(
        &server,
        Expect {
            method: POST,
            path: "/registerUser/kyc-delegated",
            headers: &[("auth", TOKEN), ("content-type", "application/json")],
            response: DELEGATED_KYC_RESPONSE,
            ..Expect::default()
        },
    )
    .await;

    let request = types::RegisterUserKycDelegatedRequest {
        type_: Some("PERSON".into()),
        first_name: Some(Pii::from("Juan")),
        last_name: Some(Pii::from("Perez")),
        dob: Some(Pii::from("1990-05-15")),
        residence_country: Some(Pii::from("ES")),
        nacionality: Some(Pii::from("ES")),
        gender: Some(Pii::from("male")),
        email: Some(Pii::from("juan.perez.kyc.test@example.com")),
        phone: Some(Pii::from("+34600111222")),
        document_type: Some("DNI".into()),
        document_number: Some(Pii::from("12345678Z")),
        expiry_date: Some(Pii::from("2030-12-31")),
        front: Some(jpeg()),
        back: Some(jpeg()),
        face: Some(jpeg()),
        liveness: Some(jpeg()),
    };
    let response = client(&server).register_user_kyc_delegated(&request).await.unwrap().into_inner();

    assert_json_eq(&endpoint.received_body().await, &vendor_json(DELEGATED_KYC_REQUEST));
    assert_eq!(response.status, types::ResponseStatus::Ok);
    let customer = response.data.expect("data");
    assert_eq!(customer.id, Some(100003754));
    assert_eq!(customer.dob.as_ref().map(Pii::expose_str), Some("1990-05-15 00:00:00"));
    assert_eq!(customer.country.as_ref().map(Pii::expose_str), Some("España"));
    assert_eq!(customer.kyc_valid, Some(true));
}
