//! CryptoPocket webhooks: `PAY_IN`, `COINS_SENT`, `CRYPTO_RECEIVED`, `TRANSFER_RAMPOFF_FINISHED`.
//!
//! # Signature
//!
//! Stated on the "Banking API" variant of the subscribe page as applying to every webhook
//! (<https://api-doc.cryptopocket.io/webhook-event-subscribe-4201294e0>, confirmed):
//!
//! | header | value |
//! |---|---|
//! | `X-API-Key` | the partner's public API key — tells which `api_secret` to verify with ([`api_key`]) |
//! | `X-Signature` | HMAC-SHA256, keyed with the API secret, of the raw body followed by the `X-Timestamp` value |
//! | `X-Timestamp` | Unix time in seconds; rejected when more than 5 minutes from now |
//!
//! CryptoPocket does not say how the digest is encoded (unknown). Until it does, [`verify_signature`]
//! accepts hex (64 characters; lower case expected) and standard base64 (44 characters) — inferred, not
//! documented. The digest is computed over the raw body bytes as received, never over re-serialised JSON.
//!
//! # Events
//!
//! The event is named by the body's `type` member
//! (<https://api-doc.cryptopocket.io/webhook-event-update-4200048e0>, confirmed). `RAMPOFF_FINISHED`, the
//! name on the older subscribe page (<https://api-doc.cryptopocket.io/webhook-event-subscribe-4200047e0>,
//! older docs), is decoded as the same event as `TRANSFER_RAMPOFF_FINISHED`. CryptoPocket does not
//! publish the payloads: the fields of the generated types are the spec's guesses (inferred), all
//! optional. The KYC events CryptoPocket sets up on request have unknown names and arrive as
//! [`CryptoPocketEvent::Unsupported`].

use std::fmt;
use std::time::SystemTime;

use base64::Engine as _;
use rampkit_cryptopocket::types;
use secrecy::SecretString;

use crate::headers::{self, HeaderLookup};
use crate::signature::{self, DIGEST_LEN};
use crate::{UndecodablePayload, WebhookError, payload};

/// Header carrying the partner's public API key.
pub const API_KEY_HEADER: &str = "X-API-Key";
/// Header carrying the HMAC-SHA256 digest.
pub const SIGNATURE_HEADER: &str = "X-Signature";
/// Header carrying the Unix-seconds timestamp that is signed after the body.
pub const TIMESTAMP_HEADER: &str = "X-Timestamp";

/// A CryptoPocket webhook, by its `type`.
#[derive(Clone, Debug)]
pub enum CryptoPocketEvent {
    /// `PAY_IN`: an on-ramp payment was detected / received.
    PayIn(types::PayInWebhook),
    /// `COINS_SENT`: on-ramp tokens were sent to the customer's wallet.
    CoinsSent(types::CoinsSentWebhook),
    /// `CRYPTO_RECEIVED`: off-ramp tokens were received for exchange.
    CryptoReceived(types::CryptoReceivedWebhook),
    /// `TRANSFER_RAMPOFF_FINISHED` (or its older name `RAMPOFF_FINISHED`, kept in the payload's `type_`):
    /// the off-ramp bank payout is completed.
    TransferRampoffFinished(types::TransferRampoffFinishedWebhook),
    /// An event this crate does not type (e.g. the KYC events), with its `type` as sent.
    Unsupported {
        /// The body's `type`.
        event_type: String,
    },
}

impl CryptoPocketEvent {
    /// The event name: the current name for the typed events, the raw `type` for unsupported ones.
    pub fn event_type(&self) -> &str {
        match self {
            Self::PayIn(_) => "PAY_IN",
            Self::CoinsSent(_) => "COINS_SENT",
            Self::CryptoReceived(_) => "CRYPTO_RECEIVED",
            Self::TransferRampoffFinished(_) => "TRANSFER_RAMPOFF_FINISHED",
            Self::Unsupported { event_type } => event_type,
        }
    }
}

/// The event name (see [`CryptoPocketEvent::event_type`]).
impl fmt::Display for CryptoPocketEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.event_type())
    }
}

/// Verifies the signature of a delivery, then decodes it.
///
/// `body` is the raw request body, `api_secret` the secret of the API key named by `X-API-Key`, `now`
/// the current time (`SystemTime::now()`; injectable for tests).
pub fn verify<H: HeaderLookup + ?Sized>(
    body: &[u8],
    headers: &H,
    api_secret: &SecretString,
    now: SystemTime,
) -> Result<CryptoPocketEvent, WebhookError> {
    verify_signature(body, headers, api_secret, now)?;
    decode(body)
}

/// Checks `X-Signature` and `X-Timestamp` against the raw body, without decoding it.
pub fn verify_signature<H: HeaderLookup + ?Sized>(
    body: &[u8],
    headers: &H,
    api_secret: &SecretString,
    now: SystemTime,
) -> Result<(), WebhookError> {
    let key = signature::text_secret(api_secret)?;
    let sent = headers::required(headers, SIGNATURE_HEADER)?;
    let sent = decode_digest(sent).ok_or(WebhookError::MalformedHeader(SIGNATURE_HEADER))?;
    let timestamp = headers::required(headers, TIMESTAMP_HEADER)?;
    signature::check_timestamp(timestamp, TIMESTAMP_HEADER, now)?;
    let expected = signature::hmac_sha256(key, &[body, timestamp.as_bytes()]);
    if signature::digest_matches(&expected, &sent) {
        Ok(())
    } else {
        Err(WebhookError::SignatureMismatch)
    }
}

/// Decodes a body **without** checking its signature: only for a body [`verify_signature`] accepted.
pub fn decode(body: &[u8]) -> Result<CryptoPocketEvent, WebhookError> {
    let object = payload::object(body)?;
    let event_type = payload::string_member(&object, "type")?
        .ok_or(UndecodablePayload::MissingEventType { field: "type" })?;
    Ok(match event_type {
        "PAY_IN" => CryptoPocketEvent::PayIn(payload::typed(object, "PAY_IN")?),
        "COINS_SENT" => CryptoPocketEvent::CoinsSent(payload::typed(object, "COINS_SENT")?),
        "CRYPTO_RECEIVED" => {
            CryptoPocketEvent::CryptoReceived(payload::typed(object, "CRYPTO_RECEIVED")?)
        }
        // Same event; the older subscribe page (https://api-doc.cryptopocket.io/webhook-event-subscribe-4200047e0)
        // calls it RAMPOFF_FINISHED.
        "TRANSFER_RAMPOFF_FINISHED" | "RAMPOFF_FINISHED" => {
            CryptoPocketEvent::TransferRampoffFinished(payload::typed(
                object,
                "TRANSFER_RAMPOFF_FINISHED",
            )?)
        }
        other => CryptoPocketEvent::Unsupported {
            event_type: other.to_owned(),
        },
    })
}

/// The `X-API-Key` header: the public key whose secret signs this delivery (for partners with several).
pub fn api_key<H: HeaderLookup + ?Sized>(headers: &H) -> Result<&str, WebhookError> {
    headers::required(headers, API_KEY_HEADER)
}

/// The 32-byte digest from hex (64 characters) or standard base64 (44 characters), as the encoding is
/// undocumented.
fn decode_digest(value: &str) -> Option<Vec<u8>> {
    let digest = if value.len() == 2 * DIGEST_LEN {
        hex::decode(value).ok()?
    } else {
        base64::engine::general_purpose::STANDARD
            .decode(value)
            .ok()?
    };
    (digest.len() == DIGEST_LEN).then_some(digest)
}
