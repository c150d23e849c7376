//! Crossmint webhooks: the order events, delivered and signed by Svix.
//!
//! # Signature (Svix)
//!
//! Crossmint delivers webhooks through Svix; each endpoint has its own signing secret (console →
//! Webhooks → endpoint → Signing Secret), and the raw body must be verified
//! (<https://docs.crossmint.com/introduction/platform/webhooks/verify-webhooks>, confirmed). Svix's scheme
//! (<https://docs.svix.com/receiving/verifying-payloads/how-manual>, confirmed):
//!
//! | header | value |
//! |---|---|
//! | `svix-id` | message id, the same across retries (de-duplicate on it: [`message_id`]) |
//! | `svix-timestamp` | Unix seconds; rejected when more than 5 minutes from now (Svix's default tolerance) |
//! | `svix-signature` | space-separated `v1,<base64>` entries; any one matching accepts the delivery |
//!
//! Each `v1` signature is the standard-base64 HMAC-SHA256 of `{svix-id}.{svix-timestamp}.{raw body}`, keyed
//! with the base64-decoded part of the `whsec_…` secret ([`SvixSecret`]). Entries of other versions
//! (`v1a,…`) are ignored.
//!
//! # Events
//!
//! The event is named by the body's `type` member (envelope `{type, …, data}`, confirmed for the user
//! events on <https://docs.crossmint.com/authentication/webhooks>; inferred for the order events, whose
//! payload Crossmint does not print). The order events are typed; the rest of the console's catalog
//! (`users.created`, `users.updated`, …) arrives as [`CrossmintEvent::Unsupported`].

use std::fmt;
use std::str::FromStr;
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use rampkit_crossmint::types;
use secrecy::{ExposeSecret, SecretSlice};

use crate::headers::{self, HeaderLookup};
use crate::signature::{self, DIGEST_LEN};
use crate::{UndecodablePayload, WebhookError, payload};

/// Header carrying the message id.
pub const ID_HEADER: &str = "svix-id";
/// Header carrying the Unix-seconds timestamp.
pub const TIMESTAMP_HEADER: &str = "svix-timestamp";
/// Header carrying the `v1,<base64>` signature list.
pub const SIGNATURE_HEADER: &str = "svix-signature";

/// A Svix endpoint signing secret (`whsec_<base64>`), decoded once.
///
/// `Debug` prints `SvixSecret([redacted])`.
#[derive(Clone)]
pub struct SvixSecret(SecretSlice<u8>);

impl SvixSecret {
    /// Parses the secret as the console shows it, `whsec_<base64>`; the bare base64 part is accepted too.
    pub fn new(secret: &str) -> Result<Self, WebhookError> {
        let encoded = secret.trim();
        let encoded = encoded.strip_prefix("whsec_").unwrap_or(encoded);
        let key = STANDARD
            .decode(encoded)
            .map_err(|_| WebhookError::InvalidSecret {
                reason: "a Svix secret is `whsec_` followed by base64",
            })?;
        if key.is_empty() {
            return Err(WebhookError::InvalidSecret {
                reason: "the secret is empty",
            });
        }
        Ok(Self(key.into()))
    }
}

impl FromStr for SvixSecret {
    type Err = WebhookError;
    fn from_str(secret: &str) -> Result<Self, Self::Err> {
        Self::new(secret)
    }
}

impl fmt::Debug for SvixSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SvixSecret({})", rampkit_runtime::REDACTED)
    }
}

/// A Crossmint webhook, by its `type`.
#[derive(Clone, Debug)]
pub enum CrossmintEvent {
    /// `orders.quote.created`: a new order was created.
    OrdersQuoteCreated(types::OrdersQuoteCreatedEvent),
    /// `orders.quote.updated`: the order details were modified.
    OrdersQuoteUpdated(types::OrdersQuoteUpdatedEvent),
    /// `orders.payment.succeeded`: the payment was processed (offramp: the deposit was matched).
    OrdersPaymentSucceeded(types::OrdersPaymentSucceededEvent),
    /// `orders.payment.failed`: the payment failed.
    OrdersPaymentFailed(types::OrdersPaymentFailedEvent),
    /// `orders.delivery.initiated`: delivery began.
    OrdersDeliveryInitiated(types::OrdersDeliveryInitiatedEvent),
    /// `orders.delivery.completed`: delivery succeeded (offramp: the fiat payout completed).
    OrdersDeliveryCompleted(types::OrdersDeliveryCompletedEvent),
    /// `orders.delivery.failed`: delivery failed (offramp: the payout was rejected).
    OrdersDeliveryFailed(types::OrdersDeliveryFailedEvent),
    /// An event this crate does not type (`users.created`, …), with its `type` as sent.
    Unsupported {
        /// The body's `type`.
        event_type: String,
    },
}

impl CrossmintEvent {
    /// The event name, as Crossmint writes it.
    pub fn event_type(&self) -> &str {
        match self {
            Self::OrdersQuoteCreated(_) => "orders.quote.created",
            Self::OrdersQuoteUpdated(_) => "orders.quote.updated",
            Self::OrdersPaymentSucceeded(_) => "orders.payment.succeeded",
            Self::OrdersPaymentFailed(_) => "orders.payment.failed",
            Self::OrdersDeliveryInitiated(_) => "orders.delivery.initiated",
            Self::OrdersDeliveryCompleted(_) => "orders.delivery.completed",
            Self::OrdersDeliveryFailed(_) => "orders.delivery.failed",
            Self::Unsupported { event_type } => event_type,
        }
    }
}

/// The event name (see [`CrossmintEvent::event_type`]).
impl fmt::Display for CrossmintEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.event_type())
    }
}

/// Verifies the Svix signature of a delivery, then decodes it.
///
/// `body` is the raw request body, `now` the current time (`SystemTime::now()`; injectable for tests).
pub fn verify<H: HeaderLookup + ?Sized>(
    body: &[u8],
    headers: &H,
    secret: &SvixSecret,
    now: SystemTime,
) -> Result<CrossmintEvent, WebhookError> {
    verify_signature(body, headers, secret, now)?;
    decode(body)
}

/// Checks `svix-id`, `svix-timestamp` and `svix-signature` against the raw body, without decoding it.
pub fn verify_signature<H: HeaderLookup + ?Sized>(
    body: &[u8],
    headers: &H,
    secret: &SvixSecret,
    now: SystemTime,
) -> Result<(), WebhookError> {
    let id = headers::required(headers, ID_HEADER)?;
    let timestamp = headers::required(headers, TIMESTAMP_HEADER)?;
    let signatures = v1_signatures(headers::required(headers, SIGNATURE_HEADER)?)?;
    signature::check_timestamp(timestamp, TIMESTAMP_HEADER, now)?;
    let expected = signature::hmac_sha256(
        secret.0.expose_secret(),
        &[id.as_bytes(), b".", timestamp.as_bytes(), b".", body],
    );
    // Every entry is compared (no early exit), each in constant time.
    let matched = signatures.iter().fold(false, |matched, sent| {
        matched | signature::digest_matches(&expected, sent)
    });
    if matched {
        Ok(())
    } else {
        Err(WebhookError::SignatureMismatch)
    }
}

/// Decodes a body **without** checking its signature: only for a body [`verify_signature`] accepted.
pub fn decode(body: &[u8]) -> Result<CrossmintEvent, WebhookError> {
    let object = payload::object(body)?;
    let event_type = payload::string_member(&object, "type")?
        .ok_or(UndecodablePayload::MissingEventType { field: "type" })?;
    Ok(match event_type {
        "orders.quote.created" => {
            CrossmintEvent::OrdersQuoteCreated(payload::typed(object, "orders.quote.created")?)
        }
        "orders.quote.updated" => {
            CrossmintEvent::OrdersQuoteUpdated(payload::typed(object, "orders.quote.updated")?)
        }
        "orders.payment.succeeded" => CrossmintEvent::OrdersPaymentSucceeded(payload::typed(
            object,
            "orders.payment.succeeded",
        )?),
        "orders.payment.failed" => {
            CrossmintEvent::OrdersPaymentFailed(payload::typed(object, "orders.payment.failed")?)
        }
        "orders.delivery.initiated" => CrossmintEvent::OrdersDeliveryInitiated(payload::typed(
            object,
            "orders.delivery.initiated",
        )?),
        "orders.delivery.completed" => CrossmintEvent::OrdersDeliveryCompleted(payload::typed(
            object,
            "orders.delivery.completed",
        )?),
        "orders.delivery.failed" => {
            CrossmintEvent::OrdersDeliveryFailed(payload::typed(object, "orders.delivery.failed")?)
        }
        other => CrossmintEvent::Unsupported {
            event_type: other.to_owned(),
        },
    })
}

/// The `svix-id` header: the message id, the same on every retry of one event (de-duplicate on it).
pub fn message_id<H: HeaderLookup + ?Sized>(headers: &H) -> Result<&str, WebhookError> {
    headers::required(headers, ID_HEADER)
}

/// The decoded `v1` signatures of a `svix-signature` value.
///
/// Every space-separated entry must read `<version>,<signature>`, and a `v1` signature must be base64 of
/// a 32-byte digest; anything else makes the header malformed. Other versions are skipped.
fn v1_signatures(value: &str) -> Result<Vec<Vec<u8>>, WebhookError> {
    let malformed = WebhookError::MalformedHeader(SIGNATURE_HEADER);
    let mut signatures = Vec::new();
    for entry in value.split_ascii_whitespace() {
        let (version, encoded) = entry.split_once(',').ok_or(malformed.clone())?;
        if version.is_empty() || encoded.is_empty() {
            return Err(malformed);
        }
        if version == "v1" {
            let digest = STANDARD.decode(encoded).map_err(|_| malformed.clone())?;
            if digest.len() != DIGEST_LEN {
                return Err(malformed);
            }
            signatures.push(digest);
        }
    }
    Ok(signatures)
}
