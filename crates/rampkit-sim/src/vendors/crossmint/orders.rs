//! Crossmint's orders (`2022-06-09`) and payment methods (`unstable`), kept as state so that a test
//! can create, read, pay and list them.
//!
//! - Create order: the order's payment waits for KYC (`requires-kyc`) unless the user whose
//!   `kycData.email` is the order's `payment.receiptEmail` is verified for some product
//!   (`awaiting-payment`) or rejected (`rejected-kyc`) — the receipt e-mail is how Crossmint links an
//!   order to a user's KYC (<https://docs.crossmint.com/onramp/api-reference/create-order>).
//! - Process payment: an order awaiting payment becomes `completed`; any other order is refused (400).
//! - Payment methods belong to an existing user (`userLocator`); get and delete answer the method.

use axum::http::StatusCode;
use axum::response::Response;
use rampkit_crossmint::types;
use serde_json::{Value, json};

use super::state::{State, bad_request, not_found};
use crate::progress::SimStatus;
use crate::room::{Call, Env};
use crate::wire::{answer, now_iso};

fn body(call: &Call<'_>) -> Result<Value, Response> {
    serde_json::from_slice(call.body).map_err(|_| bad_request("the body is not valid JSON"))
}

fn payment_status(state: &State, receipt_email: Option<&str>) -> types::OrderPaymentStatus {
    let user = receipt_email.and_then(|e| state.find(e).and_then(|k| state.users.get(&k)));
    let held = |s: SimStatus| user.is_some_and(|u| u.progress.iter().any(|p| p.status == s));
    if held(SimStatus::Verified) {
        types::OrderPaymentStatus::AwaitingPayment
    } else if held(SimStatus::Rejected) {
        types::OrderPaymentStatus::RejectedKyc
    } else {
        types::OrderPaymentStatus::RequiresKyc
    }
}

/// `create_order`.
pub fn create_order(env: &Env, state: &mut State, call: &Call<'_>) -> Response {
    let request = match body(call) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let id = env.ids.uuid();
    let receipt = request
        .pointer("/payment/receiptEmail")
        .and_then(Value::as_str);
    let status = payment_status(state, receipt);
    let line_items = match request.get("lineItems") {
        Some(Value::Array(items)) => items.len(),
        _ => 1,
    };
    let order = json!({
        "orderId": id,
        "phase": types::OrderPhase::Payment.as_str(),
        "locale": request.get("locale").cloned().unwrap_or(json!("en-US")),
        "lineItems": vec![json!({}); line_items],
        "payment": {
            "status": status.as_str(),
            "method": request.pointer("/payment/method"),
            "currency": request.pointer("/payment/currency"),
        },
    });
    state.orders.insert(id.clone(), order.clone());
    answer::<types::CreateOrderResponse>(
        StatusCode::CREATED,
        json!({ "clientSecret": format!("cs_{}", env.ids.random(24)), "order": order }),
    )
}

/// `get_order`.
pub fn get_order(state: &State, call: &Call<'_>) -> Response {
    match state.orders.get(call.param("orderId")) {
        Some(order) => answer::<types::Order>(StatusCode::OK, order.clone()),
        None => not_found("Order not found"),
    }
}

/// `process_payment`.
pub fn process_payment(state: &mut State, call: &Call<'_>) -> Response {
    let Some(order) = state.orders.get_mut(call.param("orderId")) else {
        return not_found("Order not found");
    };
    let awaiting = order.pointer("/payment/status").and_then(Value::as_str)
        == Some(types::OrderPaymentStatus::AwaitingPayment.as_str());
    if !awaiting {
        return bad_request("payment: the order is not awaiting payment");
    }
    order["phase"] = json!(types::OrderPhase::Completed.as_str());
    order["payment"]["status"] = json!(types::OrderPaymentStatus::Completed.as_str());
    answer::<types::Order>(StatusCode::OK, order.clone())
}

/// `create_payment_method` (the vault host's operation, served under the same prefix).
pub fn create_payment_method(env: &Env, state: &mut State, call: &Call<'_>) -> Response {
    let request = match body(call) {
        Ok(v) => v,
        Err(r) => return r,
    };
    let locator = request
        .get("userLocator")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let Some(owner) = state.key(locator) else {
        return not_found("User not found");
    };
    let bank = request.get("bankAccount").cloned().unwrap_or(json!({}));
    let account = bank
        .get("accountNumber")
        .and_then(Value::as_str)
        .unwrap_or("");
    let suffix: String = account
        .chars()
        .skip(account.chars().count().saturating_sub(4))
        .collect();
    let bank_name = bank
        .get("bankName")
        .and_then(Value::as_str)
        .unwrap_or("Bank");
    let id = env.ids.uuid();
    let now = now_iso();
    let first = !state.payment_methods.values().any(|(o, _)| *o == owner);
    let method = json!({
        "paymentMethodId": id,
        "default": first,
        "displayName": format!("{bank_name} ••{suffix}"),
        "type": request.get("type"),
        "createdAt": now,
        "updatedAt": now,
        "bankAccount": {
            "accountSuffix": suffix,
            "bankName": bank_name,
            "accountType": bank.get("accountType"),
            "currency": bank.get("currency"),
            "country": bank.get("country"),
            "entityType": bank.get("entityType"),
            "routingNumber": bank.get("routingNumber"),
        },
    });
    state.payment_methods.insert(id, (owner, method.clone()));
    answer::<types::PaymentMethod>(StatusCode::CREATED, method)
}

/// `list_payment_methods`: the methods of `userLocator` (every method without it), of `type` if given.
pub fn list_payment_methods(state: &State, call: &Call<'_>) -> Response {
    let owner = call.query.get("userLocator").map(|l| state.key(l));
    let kind = call.query.get("type");
    let data: Vec<Value> = state
        .payment_methods
        .values()
        .filter(|(o, _)| {
            owner
                .as_ref()
                .is_none_or(|wanted| wanted.as_deref() == Some(o))
        })
        .filter(|(_, m)| kind.is_none_or(|k| m.get("type").and_then(Value::as_str) == Some(k)))
        .map(|(_, m)| m.clone())
        .collect();
    answer::<types::PaymentMethodList>(StatusCode::OK, json!({ "data": data }))
}

/// `get_payment_method`.
pub fn get_payment_method(state: &State, call: &Call<'_>) -> Response {
    match state.payment_methods.get(call.param("paymentMethodId")) {
        Some((_, method)) => answer::<types::PaymentMethod>(StatusCode::OK, method.clone()),
        None => not_found("Payment method not found"),
    }
}

/// `delete_payment_method`: answers the method it deleted.
pub fn delete_payment_method(state: &mut State, call: &Call<'_>) -> Response {
    match state.payment_methods.remove(call.param("paymentMethodId")) {
        Some((_, method)) => answer::<types::PaymentMethod>(StatusCode::OK, method),
        None => not_found("Payment method not found"),
    }
}
