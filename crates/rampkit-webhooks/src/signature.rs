//! The pieces every scheme shares: HMAC-SHA256, constant-time comparison, the timestamp window.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::WebhookError;

/// How far a signed timestamp may be from "now", either way: 5 minutes, for CryptoPocket (its docs) and
/// Crossmint (Svix's default).
pub const TIMESTAMP_TOLERANCE: Duration = Duration::from_secs(5 * 60);

/// Length of a SHA-256 digest.
pub(crate) const DIGEST_LEN: usize = 32;

/// HMAC-SHA256 of the concatenation of `parts`, keyed with `key`.
pub(crate) fn hmac_sha256(key: &[u8], parts: &[&[u8]]) -> [u8; DIGEST_LEN] {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC accepts keys of any length");
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

/// Whether `candidate` equals `expected`, in time independent of where they differ.
pub(crate) fn digest_matches(expected: &[u8; DIGEST_LEN], candidate: &[u8]) -> bool {
    // The length is public (always 32); only the content is compared in constant time.
    candidate.len() == DIGEST_LEN && bool::from(expected.as_slice().ct_eq(candidate))
}

/// Checks a Unix-seconds timestamp header against `now` and [`TIMESTAMP_TOLERANCE`].
pub(crate) fn check_timestamp(
    value: &str,
    header: &'static str,
    now: SystemTime,
) -> Result<(), WebhookError> {
    // Digits only: no sign, no fraction, no exponent (both vendors document integer Unix seconds).
    if !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(WebhookError::MalformedHeader(header));
    }
    let signed: u64 = value
        .parse()
        .map_err(|_| WebhookError::MalformedHeader(header))?;
    // A clock before 1970 is treated as 1970: every real timestamp is then "in the future".
    let now = now
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs());
    let tolerance_secs = TIMESTAMP_TOLERANCE.as_secs();
    if now > signed && now - signed > tolerance_secs {
        return Err(WebhookError::StaleTimestamp {
            age_secs: now - signed,
            tolerance_secs,
        });
    }
    if signed > now && signed - now > tolerance_secs {
        return Err(WebhookError::FutureTimestamp {
            ahead_secs: signed - now,
            tolerance_secs,
        });
    }
    Ok(())
}

/// The bytes of a secret given as text, refusing an empty one (a configuration mistake that would make
/// every signature computable by anyone).
pub(crate) fn text_secret(secret: &secrecy::SecretString) -> Result<&[u8], WebhookError> {
    use secrecy::ExposeSecret;
    let bytes = secret.expose_secret().as_bytes();
    if bytes.is_empty() {
        return Err(WebhookError::InvalidSecret {
            reason: "the secret is empty",
        });
    }
    Ok(bytes)
}
