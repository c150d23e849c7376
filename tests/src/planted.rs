//! What the runtime's loopback tests share: requests carrying planted personal values (a name, an
//! e-mail) that must reach the vendor and never another host, a log or an error's `Display`, and a retry
//! policy short enough for scripted servers.

use std::time::Duration;

use rampkit::runtime::RetryPolicy;

use crate::scripted::{Received, everything};

/// The planted e-mail.
pub const EMAIL: &str = "planted.person@example.com";
/// The planted first name.
pub const FIRST_NAME: &str = "PLANTEDFIRSTNAME";

/// Three attempts, 20 ms then 40 ms apart (at most 50 ms), within 10 s, without jitter.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        initial_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(50),
        deadline: Duration::from_secs(10),
        jitter: false,
    }
}

/// Asserts that every one of `planted` reached the vendor (so that a leak elsewhere would show), and
/// that no request carried a `Referer`.
pub fn assert_reached_the_vendor(received: &[Received], planted: &[&str]) {
    let at_vendor = everything(received);
    for value in planted {
        assert!(at_vendor.contains(value), "{value} was sent to the vendor");
    }
    assert!(
        received.iter().all(|r| r.header("referer").is_none()),
        "no Referer"
    );
}

/// A CryptoPocket registration with the planted name and e-mail.
pub fn cryptopocket_registration() -> rampkit::cryptopocket::types::RegisterUserRequest {
    serde_json::from_value(serde_json::json!({
        "name": FIRST_NAME,
        "email": EMAIL,
    }))
    .expect("a CryptoPocket registration")
}

/// A Crossmint user upsert with the planted first name.
pub fn crossmint_upsert() -> rampkit::crossmint::types::UpsertUserRequest {
    serde_json::from_value(serde_json::json!({
        "userDetails": {"firstName": FIRST_NAME, "lastName": "Doe", "dateOfBirth": "1990-05-15", "countryOfResidence": "ES"}
    }))
    .expect("a Crossmint upsert")
}
