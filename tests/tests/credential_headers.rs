//! Every header a provider's credentials put on a request is one its credential type declares in
//! `Authenticator::CREDENTIAL_HEADERS`, which is what `rampkit request` masks (issue 19: redaction takes
//! the header names from the provider crates, not a list of its own). A credential header added to an
//! `authenticate` without declaring it fails here.

use rampkit_runtime::auth::{Authenticator, apply};
use rampkit_runtime::meta::{Confidence, OperationMeta};

const OPERATION: OperationMeta = OperationMeta {
    id: "op",
    method: "POST",
    path: "/a",
    confidence: Confidence::Confirmed,
    source: "https://docs.example",
    idempotent: false,
    authenticated: true,
};

/// The names of the sensitive headers `auth` puts on a request.
fn sensitive_headers<A: Authenticator>(auth: &A) -> Vec<String> {
    let mut request = reqwest::Request::new(
        reqwest::Method::POST,
        "https://vendor.example/a".parse().unwrap(),
    );
    *request.body_mut() = Some(reqwest::Body::from("{}"));
    apply(auth, &mut request, &OPERATION).expect("credentials apply");
    request
        .headers()
        .iter()
        .filter(|(_, value)| value.is_sensitive())
        .map(|(name, _)| name.as_str().to_owned())
        .collect()
}

fn check<A: Authenticator>(auth: A) {
    let sent = sensitive_headers(&auth);
    assert!(!sent.is_empty(), "{}: no credential header", A::PROVIDER);
    for name in sent {
        assert!(
            A::CREDENTIAL_HEADERS.contains(&name.as_str()),
            "{}: `{name}` carries a credential but is not in CREDENTIAL_HEADERS",
            A::PROVIDER
        );
    }
}

#[test]
fn every_credential_header_is_declared() {
    check(rampkit_crossmint::CrossmintAuth::new("key".to_owned()));
    check(rampkit_leap::LeapAuth::new("key".to_owned()));
    check(rampkit_cryptopocket::CryptoPocketAuth::with_token(
        "token".to_owned(),
    ));
    check(rampkit_kriptomat::KriptomatAuth::with_bearer(
        "token".to_owned(),
    ));
    check(rampkit_sumsub::SumsubAuth::new(
        "token".to_owned(),
        "secret".to_owned(),
    ));
}
