//! Leap Financial (RaaS) webhooks: the operation outcome notifications sent to the tenant's
//! `operationStatusHook` URLs.
//!
//! # Signature
//!
//! From <https://docs.leapfinancial.com/raas/api-reference/partner-webhooks> (confirmed):
//!
//! | header | value |
//! |---|---|
//! | `x-raas-signature` | standard base64 of HMAC-SHA256 of the exact raw body, keyed with the tenant's `sharedSecret` |
//! | `x-raas-op-country` | the tenant's country (e.g. `MX`; may be empty) — informational, [`op_country`] |
//!
//! Leap signs no timestamp and no message id, so a captured delivery can be replayed at any time: make the
//! handler idempotent on `correlationId` (Leap's own advice, as it retries up to 5 times) and treat the
//! notification as a prompt to read the operation's state.
//!
//! # Events
//!
//! A body with `eventType` names its event; `request_money_full_outcome` is typed from the spec. A body
//! without `eventType` is the "operation status update" notification, whose existence Leap confirms but
//! whose fields it does not publish: it is kept loosely as [`OperationStatusUpdate`].

use std::fmt;

use base64::Engine as _;
use rampkit_leap::types;
use rampkit_runtime::Pii;
use secrecy::SecretString;
use serde_json::{Map, Value};

use crate::headers::{self, HeaderLookup};
use crate::signature::{self, DIGEST_LEN};
use crate::{WebhookError, payload};

/// Header carrying the base64 HMAC-SHA256 of the body.
pub const SIGNATURE_HEADER: &str = "x-raas-signature";
/// Header carrying the tenant's country.
pub const OP_COUNTRY_HEADER: &str = "x-raas-op-country";

/// A Leap webhook.
#[derive(Clone, Debug)]
pub enum LeapEvent {
    /// `request_money_full_outcome`: the asynchronous request_money_full pipeline finished
    /// (`status` `Accepted` or `Failed`, with `errorCode`, `reason` and `phase` when it failed).
    RequestMoneyFullOutcome(types::RequestMoneyFullOutcomePayload),
    /// A body without `eventType`: the operation status update (status such as `Sent`, `Funding`,
    /// `Completed`, with sender and recipient context).
    OperationStatusUpdate(OperationStatusUpdate),
    /// An `eventType` this crate does not type, as sent.
    Unsupported {
        /// The body's `eventType`.
        event_type: String,
    },
}

impl LeapEvent {
    /// The event name: `eventType` as Leap writes it, or `operation_status_update` for the notification
    /// that has none (a name of this crate's, not Leap's).
    pub fn event_type(&self) -> &str {
        match self {
            Self::RequestMoneyFullOutcome(_) => "request_money_full_outcome",
            Self::OperationStatusUpdate(_) => "operation_status_update",
            Self::Unsupported { event_type } => event_type,
        }
    }
}

/// The event name (see [`LeapEvent::event_type`]).
impl fmt::Display for LeapEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.event_type())
    }
}

/// Leap's "operation status update" notification, whose fields Leap does not publish.
///
/// Hand-written here because `specs/leap.yaml` has no schema for it. The whole body is kept as JSON in a
/// [`Pii`] (it carries sender and recipient context), so `Debug` shows only [`status`](Self::status).
#[derive(Clone, serde::Deserialize, serde::Serialize)]
#[serde(transparent)]
pub struct OperationStatusUpdate {
    /// Every member of the body, unparsed.
    pub body: Pii<Map<String, Value>>,
}

impl OperationStatusUpdate {
    /// The `status` member when it is a string (`Sent`, `Funding`, `Completed`, …). That the member is
    /// called `status` is inferred: Leap names the values, not the field.
    pub fn status(&self) -> Option<&str> {
        self.body.expose().get("status").and_then(Value::as_str)
    }
}

impl fmt::Debug for OperationStatusUpdate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationStatusUpdate")
            .field("status", &self.status())
            .field("body", &self.body)
            .finish()
    }
}

/// Verifies `x-raas-signature`, then decodes the body.
///
/// `body` is the raw request body, `shared_secret` the tenant's `sharedSecret`. There is no clock:
/// Leap signs no timestamp (see the module docs about replays).
pub fn verify<H: HeaderLookup + ?Sized>(
    body: &[u8],
    headers: &H,
    shared_secret: &SecretString,
) -> Result<LeapEvent, WebhookError> {
    verify_signature(body, headers, shared_secret)?;
    decode(body)
}

/// Checks `x-raas-signature` against the raw body, without decoding it.
pub fn verify_signature<H: HeaderLookup + ?Sized>(
    body: &[u8],
    headers: &H,
    shared_secret: &SecretString,
) -> Result<(), WebhookError> {
    let key = signature::text_secret(shared_secret)?;
    let sent = headers::required(headers, SIGNATURE_HEADER)?;
    let sent = base64::engine::general_purpose::STANDARD
        .decode(sent)
        .ok()
        .filter(|digest| digest.len() == DIGEST_LEN)
        .ok_or(WebhookError::MalformedHeader(SIGNATURE_HEADER))?;
    let expected = signature::hmac_sha256(key, &[body]);
    if signature::digest_matches(&expected, &sent) {
        Ok(())
    } else {
        Err(WebhookError::SignatureMismatch)
    }
}

/// Decodes a body **without** checking its signature: only for a body [`verify_signature`] accepted.
pub fn decode(body: &[u8]) -> Result<LeapEvent, WebhookError> {
    let object = payload::object(body)?;
    Ok(match payload::string_member(&object, "eventType")? {
        Some("request_money_full_outcome") => LeapEvent::RequestMoneyFullOutcome(payload::typed(
            object,
            "request_money_full_outcome",
        )?),
        Some(other) => LeapEvent::Unsupported {
            event_type: other.to_owned(),
        },
        // Leap's guidance: a body without `eventType` is an operation status update.
        None => LeapEvent::OperationStatusUpdate(OperationStatusUpdate {
            body: Pii::new(object),
        }),
    })
}

/// The `x-raas-op-country` header (the tenant's country), `None` when absent or empty.
pub fn op_country<H: HeaderLookup + ?Sized>(headers: &H) -> Option<&str> {
    headers::optional(headers, OP_COUNTRY_HEADER)
}
