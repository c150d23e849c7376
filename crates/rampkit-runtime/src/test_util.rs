//! Test support for the credential tests of the provider crates (feature `test-util`, which they
//! enable only through their `[dev-dependencies]`, so it never reaches a normal build): an operation to
//! authenticate, a fresh request, and the checks every provider makes on the headers it sets.

use std::fmt::Debug;

use reqwest::{Method, Request};

use crate::auth::{AuthError, Authenticator, apply};
use crate::meta::{Confidence, OperationMeta};

/// An authenticated, idempotent operation (`GET /a`): what most calls of a provider are.
pub const OPERATION: OperationMeta = OperationMeta {
    id: "op",
    method: "GET",
    path: "/a",
    confidence: Confidence::Confirmed,
    source: "https://docs.example",
    idempotent: true,
    authenticated: true,
};

/// [`OPERATION`] without credentials, as a login call is (`security: []` in the spec).
pub const LOGIN: OperationMeta = OperationMeta {
    authenticated: false,
    ..OPERATION
};

/// A bodiless `method` request to `url`, before any credential is applied.
pub fn request(method: Method, url: &str) -> Request {
    Request::new(method, url.parse().expect("a valid URL"))
}

/// `auth` applied for `operation` to a fresh `method` request to `url`, as the call loop applies it
/// before sending: the request as it would go out, or the refusal (nothing is sent then).
pub fn authenticated<A: Authenticator>(
    auth: &A,
    operation: &OperationMeta,
    method: Method,
    url: &str,
) -> Result<Request, AuthError> {
    let mut request = request(method, url);
    apply(auth, &mut request, operation).map(|()| request)
}

/// Asserts that `request` carries the credential header `name` with `value`, marked sensitive (kept
/// out of HTTP/2 header compression) and so redacted from `Debug` of the headers.
pub fn assert_secret_header(request: &Request, name: &str, value: &str) {
    let header = request
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no {name} header"));
    assert_eq!(header, value, "{name}");
    assert!(header.is_sensitive(), "{name} is not marked sensitive");
    let debug = format!("{:?}", request.headers());
    assert!(
        !debug.contains(value),
        "Debug of the headers shows {name}: {debug}"
    );
}

/// Asserts that neither `Debug` form of `value` (`{:?}`, `{:#?}`) shows any of `secrets`.
pub fn assert_debug_hides(value: &impl Debug, secrets: &[&str]) {
    for debug in [format!("{value:?}"), format!("{value:#?}")] {
        for secret in secrets {
            assert!(!debug.contains(secret), "Debug shows {secret:?}: {debug}");
        }
    }
}
