//! Leap's money operations, kept as state: request money v2, send funds (v1 and v2) create an
//! operation keyed by the partner's `correlationId`; get operation, get operation status, list the
//! user's operations and cancel read and change it. Each answer is the spec's own example with this
//! operation's id, code, amounts, users and times.

use axum::http::StatusCode;
use axum::response::Response;
use rampkit_leap::types;
use serde_json::{Value, json};

use super::state::{Operation, State, error, user_not_found};
use crate::room::{Call, Env};
use crate::spec::Spec;
use crate::wire::{answer, now_iso};

/// A new operation from `call`'s body for the path's user, shaped as `template` (the spec's example).
pub fn create(env: &Env, spec: &Spec, state: &mut State, call: &Call<'_>, kind: &str) -> Response {
    let Some(owner) = state
        .find(call.param("userToken"))
        .map(|i| state.users[i].id.clone())
    else {
        return user_not_found();
    };
    let Ok(request) = serde_json::from_slice::<Value>(call.body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "ERROR_INVALID_SCHEMA",
            "the body is not valid JSON",
        );
    };
    let id = request
        .get("correlationId")
        .and_then(Value::as_str)
        .map_or_else(|| env.ids.uuid(), str::to_owned);
    if state.operations.contains_key(&id) {
        return error(
            StatusCode::BAD_REQUEST,
            "ERROR_DUPLICATED_CORRELATION_ID",
            "correlationId: an operation with this id exists",
        );
    }
    let (_, template) = spec.example_answer(call.op.id);
    let mut operation = match template {
        Some(Value::Object(map)) => Value::Object(map),
        _ => json!({}),
    };
    let amount = request
        .get("recipientAmount")
        .or_else(|| request.get("amount"))
        .cloned()
        .unwrap_or(json!(0));
    let currency = request
        .get("recipientCurrency")
        .or_else(|| request.get("currency"))
        .cloned()
        .unwrap_or(json!("USD"));
    let now = now_iso();
    for (field, value) in [
        ("id", json!(id)),
        ("correlationId", json!(id)),
        ("type", json!(kind)),
        ("code", json!(env.ids.random(6))),
        ("status", json!("Sent")),
        ("amount", amount),
        ("currency", currency),
        ("userId", json!(owner)),
        ("createdAt", json!(now)),
        ("updatedAt", json!(now)),
        (
            "reason",
            request.get("reason").cloned().unwrap_or(Value::Null),
        ),
    ] {
        operation[field] = value;
    }
    state.operations.insert(
        id,
        Operation {
            owner,
            answer: operation.clone(),
        },
    );
    answer::<types::OperationResponsePartner>(StatusCode::OK, operation)
}

/// `get_operation` (by id).
pub fn get(state: &State, call: &Call<'_>) -> Response {
    match state.operations.get(call.param("id")) {
        Some(op) => answer::<types::OperationResponsePartner>(StatusCode::OK, op.answer.clone()),
        None => operation_not_found(),
    }
}

fn operation_not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "ERROR_OPERATION_NOT_FOUND",
        "Operation not found",
    )
}

/// `get_operation_status`: the status, a JSON string.
pub fn status(state: &State, call: &Call<'_>) -> Response {
    match state.operations.get(call.param("operationId")) {
        Some(op) => answer::<types::OperationStatusResponse>(
            StatusCode::OK,
            op.answer.get("status").cloned().unwrap_or(json!("Sent")),
        ),
        None => operation_not_found(),
    }
}

/// `get_operations`: the path user's operations.
pub fn list(state: &State, call: &Call<'_>) -> Response {
    let Some(owner) = state
        .find(call.param("userToken"))
        .map(|i| &state.users[i].id)
    else {
        return user_not_found();
    };
    let list: Vec<Value> = state
        .operations
        .values()
        .filter(|op| op.owner == *owner)
        .map(|op| op.answer.clone())
        .collect();
    answer::<types::OperationResponsePartnerList>(StatusCode::OK, Value::Array(list))
}

/// `cancel_operation`: `OperationId` becomes `Cancelled`.
pub fn cancel(state: &mut State, call: &Call<'_>) -> Response {
    let Ok(request) = serde_json::from_slice::<Value>(call.body) else {
        return error(
            StatusCode::BAD_REQUEST,
            "ERROR_INVALID_SCHEMA",
            "the body is not valid JSON",
        );
    };
    let id = request
        .get("OperationId")
        .and_then(Value::as_str)
        .unwrap_or("");
    let Some(op) = state.operations.get_mut(id) else {
        return operation_not_found();
    };
    op.answer["status"] = json!("Cancelled");
    op.answer["updatedAt"] = json!(now_iso());
    answer::<types::RaaSCancelOperationResponse>(StatusCode::OK, json!({ "status": "Cancelled" }))
}
