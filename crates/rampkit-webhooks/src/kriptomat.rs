//! Kriptomat webhooks: exchange buy / sell, KYC status, and the widget postback — **unauthenticated**.
//!
//! # No signature
//!
//! Kriptomat documents no signature, no authentication header and no event-type member for its
//! white-label webhooks
//! (<https://developer.kriptomat.io/docs/whitelabel-api-fiat-onramp-offramp-via-bank-wire/webhooks-and-websockets>;
//! signature unknown), so this module only decodes: anyone who learns the URL can post a well-formed
//! body. Treat an event as a prompt and confirm the state with the API (e.g. the user or order) before
//! acting on money or KYC — our recommendation, not Kriptomat's. For the widget postback Kriptomat does
//! say what to check (<https://developer.kriptomat.io/docs/widget.html/webhooks>, confirmed): accept it
//! only from [`WIDGET_POSTBACK_SENDER_IP`] and ignore a `uuid` already recorded.
//!
//! # Events, told apart by shape (inferred)
//!
//! 1. a string `type`: `BUY` → [`KriptomatEvent::ExchangeBuy`], `SELL` → [`KriptomatEvent::ExchangeSell`],
//!    any other value → [`KriptomatEvent::Unsupported`];
//! 2. a `user_id` and a `status` object → [`KriptomatEvent::KycStatus`] (the SumSub `applicantReviewed`
//!    result wrapped with Kriptomat's user id);
//! 3. a `uuid` → [`KriptomatEvent::WidgetPostback`];
//! 4. anything else → [`KriptomatEvent::Unrecognized`] — e.g. the bank-account, withdrawal, deposit and
//!    master-balance notifications, whose titles Kriptomat lists without their payloads.

use std::fmt;
use std::net::Ipv4Addr;

use rampkit_kriptomat::types;
use serde_json::Value;

use crate::{WebhookError, payload};

/// The only address widget postbacks come from (<https://developer.kriptomat.io/docs/widget.html/webhooks>).
pub const WIDGET_POSTBACK_SENDER_IP: Ipv4Addr = Ipv4Addr::new(174, 138, 2, 203);

/// A Kriptomat webhook, recognised by its shape.
#[derive(Clone, Debug)]
pub enum KriptomatEvent {
    /// "Exchange buy": a buy order changed state (`type` `BUY`).
    ExchangeBuy(types::ExchangeBuyWebhook),
    /// "Exchange sell": a sell order changed state (`type` `SELL`).
    ExchangeSell(types::ExchangeSellWebhook),
    /// "Kyc Statuses": the SumSub review of a user (`reviewAnswer` `GREEN` or `RED`).
    KycStatus(types::KycStatusWebhook),
    /// The widget postback sent to the `webhook_url` given at widget init.
    WidgetPostback(types::WidgetPostbackWebhook),
    /// A `type` other than `BUY` / `SELL`, as sent.
    Unsupported {
        /// The body's `type`.
        event_type: String,
    },
    /// A body matching none of the documented shapes.
    Unrecognized {
        /// Its top-level member names (values are not kept).
        members: Vec<String>,
    },
}

impl KriptomatEvent {
    /// The vendor's section heading for the typed events (Kriptomat has no event names), the raw `type`
    /// for unsupported ones, `unrecognized` otherwise.
    pub fn event_type(&self) -> &str {
        match self {
            Self::ExchangeBuy(_) => "Exchange buy",
            Self::ExchangeSell(_) => "Exchange sell",
            Self::KycStatus(_) => "Kyc Statuses",
            Self::WidgetPostback(_) => "Widget postback",
            Self::Unsupported { event_type } => event_type,
            Self::Unrecognized { .. } => "unrecognized",
        }
    }
}

/// The event name (see [`KriptomatEvent::event_type`]).
impl fmt::Display for KriptomatEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.event_type())
    }
}

/// Decodes a Kriptomat webhook body. There is nothing to verify (see the module docs).
pub fn decode(body: &[u8]) -> Result<KriptomatEvent, WebhookError> {
    let object = payload::object(body)?;
    if let Some(event_type) = payload::string_member(&object, "type")? {
        return Ok(match event_type {
            "BUY" => KriptomatEvent::ExchangeBuy(payload::typed(object, "Exchange buy")?),
            "SELL" => KriptomatEvent::ExchangeSell(payload::typed(object, "Exchange sell")?),
            other => KriptomatEvent::Unsupported {
                event_type: other.to_owned(),
            },
        });
    }
    if object.contains_key("user_id") && matches!(object.get("status"), Some(Value::Object(_))) {
        return Ok(KriptomatEvent::KycStatus(payload::typed(
            object,
            "Kyc Statuses",
        )?));
    }
    if object.contains_key("uuid") {
        return Ok(KriptomatEvent::WidgetPostback(payload::typed(
            object,
            "Widget postback",
        )?));
    }
    Ok(KriptomatEvent::Unrecognized {
        members: payload::member_names(&object),
    })
}
