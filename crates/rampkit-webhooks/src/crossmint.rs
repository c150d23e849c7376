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
//! (`v1a,…`) are ignored, and so is an entry that cannot be read (no `,`, not base64, not a 32-byte
//! digest): a broken entry never hides a valid `v1` entry beside it. The header is malformed only when
//! no entry at all can be read.
//!
//! The same scheme under the [Standard Webhooks](https://www.standardwebhooks.com) names — `webhook-id`,
//! `webhook-timestamp`, `webhook-signature`, which Svix sends for endpoints without its brand — is
//! accepted too. As in Svix's own libraries, each header is read under its `svix-*` name first, then under
//! its `webhook-*` name; a missing header is named in the family the delivery uses.
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
/// [`ID_HEADER`] under its Standard Webhooks name.
pub const STANDARD_ID_HEADER: &str = "webhook-id";
/// [`TIMESTAMP_HEADER`] under its Standard Webhooks name.
pub const STANDARD_TIMESTAMP_HEADER: &str = "webhook-timestamp";
/// [`SIGNATURE_HEADER`] under its Standard Webhooks name.
pub const STANDARD_SIGNATURE_HEADER: &str = "webhook-signature";

/// One header of the scheme under its two names.
#[derive(Clone, Copy)]
struct SchemeHeader {
    svix: &'static str,
    standard: &'static str,
}

const ID: SchemeHeader = SchemeHeader {
    svix: ID_HEADER,
    standard: STANDARD_ID_HEADER,
};
const TIMESTAMP: SchemeHeader = SchemeHeader {
    svix: TIMESTAMP_HEADER,
    standard: STANDARD_TIMESTAMP_HEADER,
};
const SIGNATURE: SchemeHeader = SchemeHeader {
    svix: SIGNATURE_HEADER,
    standard: STANDARD_SIGNATURE_HEADER,
};

impl SchemeHeader {
    /// The value under the `svix-*` name, else under the `webhook-*` name, with the name it was read
    /// under (for a malformed-header error).
    fn read<H: HeaderLookup + ?Sized>(
        self,
        headers: &H,
    ) -> Result<(&'static str, &str), WebhookError> {
        let name = if headers.header(self.svix).is_some() {
            self.svix
        } else if headers.header(self.standard).is_some() {
            self.standard
        } else if uses_standard_names(headers) {
            return Err(WebhookError::MissingHeader(self.standard));
        } else {
            return Err(WebhookError::MissingHeader(self.svix));
        };
        Ok((name, headers::required(headers, name)?))
    }
}

/// Whether the delivery carries the scheme's headers under the Standard Webhooks names only.
fn uses_standard_names<H: HeaderLookup + ?Sized>(headers: &H) -> bool {
    let scheme = [ID, TIMESTAMP, SIGNATURE];
    scheme.iter().all(|h| headers.header(h.svix).is_none())
        && scheme.iter().any(|h| headers.header(h.standard).is_some())
}

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

/// Checks `svix-id`, `svix-timestamp` and `svix-signature` (or their `webhook-*` names) against the raw
/// body, without decoding it.
pub fn verify_signature<H: HeaderLookup + ?Sized>(
    body: &[u8],
    headers: &H,
    secret: &SvixSecret,
    now: SystemTime,
) -> Result<(), WebhookError> {
    let (_, id) = ID.read(headers)?;
    let (timestamp_name, timestamp) = TIMESTAMP.read(headers)?;
    let (signature_name, signatures) = SIGNATURE.read(headers)?;
    let signatures = v1_signatures(signatures, signature_name)?;
    signature::check_timestamp(timestamp, timestamp_name, now)?;
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

/// The `svix-id` header (or `webhook-id`): the message id, the same on every retry of one event
/// (de-duplicate on it).
pub fn message_id<H: HeaderLookup + ?Sized>(headers: &H) -> Result<&str, WebhookError> {
    ID.read(headers).map(|(_, id)| id)
}

/// The decoded `v1` signatures of a `svix-signature` value (read under `header`).
///
/// An entry reads `<version>,<signature>`, and a `v1` signature is base64 of a 32-byte digest. An entry
/// that is neither is skipped, as are other versions, so that one broken entry does not hide a valid one
/// beside it (Svix's libraries do the same). When no entry at all can be read the header is malformed;
/// when only other versions are present the list is empty and nothing matches.
fn v1_signatures(value: &str, header: &'static str) -> Result<Vec<[u8; DIGEST_LEN]>, WebhookError> {
    let mut signatures = Vec::new();
    let mut readable = false;
    for entry in value.split_ascii_whitespace() {
        let Some((version, encoded)) = entry.split_once(',') else {
            continue;
        };
        if version.is_empty() || encoded.is_empty() {
            continue;
        }
        if version != "v1" {
            readable = true;
            continue;
        }
        let digest = STANDARD
            .decode(encoded)
            .ok()
            .and_then(|digest| <[u8; DIGEST_LEN]>::try_from(digest).ok());
        if let Some(digest) = digest {
            readable = true;
            signatures.push(digest);
        }
    }
    if readable {
        Ok(signatures)
    } else {
        Err(WebhookError::MalformedHeader(header))
    }
}
