//! The admin API under `/_admin`: everything the Rust test kit does, over HTTP.
//!
//! | method and path | body / query | answer |
//! |---|---|---|
//! | `GET /_admin/counters` | | counters per vendor |
//! | `GET /_admin/info` | | `{"seed", "vendors": {name: base path}}` |
//! | `GET /_admin/credentials` | | `[{"vendor", "field", "value"}]` |
//! | `POST /_admin/reset` | | forgets customers, tokens, scripts, counters, requests, faults, stubs |
//! | `POST /_admin/status` | `{"vendor", "customer", "product"?, "status"}` | sets a status, sends the webhook |
//! | `POST /_admin/scenarios` | `{"vendor", "customer", "outcome", "missing"?}` | scripts an outcome |
//! | `POST /_admin/webhooks` | `{"vendor", "customer"}` | sends the current status's webhook |
//! | `GET /_admin/requests` | `?vendor=V&operation=OP` | recorded requests |
//! | `DELETE /_admin/requests` | | forgets them |
//! | `POST /_admin/faults` | `{"vendor", "operation", "call"?, "kind"}` | a deterministic fault |
//! | `GET` / `DELETE /_admin/faults` | | lists / forgets them |
//! | `POST /_admin/stubs` | `{"vendor", "operation", "status", "headers"?, "body"?, "times"?}` | a stub |
//! | `GET` / `DELETE /_admin/stubs` | | lists / forgets them |

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::faults::FaultRule;
use crate::hub::Hub;
use crate::progress::{Outcome, SimStatus};
use crate::room::StatusError;
use crate::stubs::Stub;
use crate::vendors::{UnknownVendor, Vendor};
use crate::wire::{decode, json, ok};

type Shared = State<Arc<Hub>>;

fn problem(status: StatusCode, message: impl Into<String>) -> Response {
    json(status, &json!({ "error": message.into() }))
}

fn body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Response> {
    decode(bytes).map_err(|p| problem(StatusCode::BAD_REQUEST, p))
}

fn vendor(name: &str) -> Result<Vendor, Response> {
    name.parse()
        .map_err(|e: UnknownVendor| problem(StatusCode::BAD_REQUEST, format!("vendor: {e}")))
}

fn operation(hub: &Hub, vendor: Vendor, id: &str) -> Result<(), Response> {
    hub.operation(vendor, id).map(|_| ()).ok_or_else(|| {
        problem(
            StatusCode::BAD_REQUEST,
            format!("operation: {vendor} has no operation with this id"),
        )
    })
}

fn status_error(error: StatusError) -> Response {
    match error {
        StatusError::UnknownCustomer => {
            problem(StatusCode::NOT_FOUND, "no such customer at this vendor")
        }
        StatusError::UnknownProduct => problem(
            StatusCode::BAD_REQUEST,
            "product: not a product of this vendor",
        ),
        StatusError::NoStatuses => problem(
            StatusCode::BAD_REQUEST,
            "vendor: this vendor holds no statuses",
        ),
    }
}

/// The admin routes.
pub fn router(hub: Arc<Hub>) -> Router {
    Router::new()
        .route("/counters", get(counters))
        .route("/info", get(info))
        .route("/credentials", get(credentials))
        .route("/reset", post(reset))
        .route("/status", post(set_status))
        .route("/scenarios", post(scenario))
        .route("/webhooks", post(webhook))
        .route("/requests", get(requests).delete(forget_requests))
        .route("/faults", get(faults).post(add_fault).delete(forget_faults))
        .route("/stubs", get(stubs).post(add_stub).delete(forget_stubs))
        .with_state(hub)
}

async fn counters(State(hub): Shared) -> Response {
    ok(&hub.counters.snapshot())
}

async fn info(State(hub): Shared) -> Response {
    let vendors: serde_json::Map<String, Value> = Vendor::ALL
        .iter()
        .map(|v| (v.as_str().to_owned(), json!(format!("/{v}"))))
        .collect();
    ok(&json!({ "seed": hub.seed, "vendors": vendors }))
}

async fn credentials(State(hub): Shared) -> Response {
    let pairs: Vec<Value> = hub
        .config
        .credential_pairs()
        .into_iter()
        .map(|(vendor, field, value)| json!({ "vendor": vendor, "field": field, "value": value }))
        .collect();
    ok(&pairs)
}

async fn reset(State(hub): Shared) -> Response {
    hub.reset();
    ok(&json!({ "reset": true }))
}

#[derive(Deserialize)]
struct SetStatus {
    vendor: String,
    customer: String,
    #[serde(default)]
    product: Option<String>,
    status: SimStatus,
}

async fn set_status(State(hub): Shared, bytes: Bytes) -> Response {
    let run = || -> Result<Response, Response> {
        let request: SetStatus = body(&bytes)?;
        let vendor = vendor(&request.vendor)?;
        hub.room(vendor)
            .set_status(
                &request.customer,
                request.product.as_deref(),
                request.status,
            )
            .map_err(status_error)?;
        Ok(ok(&json!({ "vendor": vendor, "status": request.status })))
    };
    run().unwrap_or_else(|r| r)
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum OutcomeName {
    Verified,
    Rejected,
    RequiresData,
    Pending,
}

#[derive(Deserialize)]
struct Scenario {
    vendor: String,
    customer: String,
    outcome: OutcomeName,
    #[serde(default)]
    missing: Vec<String>,
}

async fn scenario(State(hub): Shared, bytes: Bytes) -> Response {
    let run = || -> Result<Response, Response> {
        let request: Scenario = body(&bytes)?;
        let vendor = vendor(&request.vendor)?;
        let outcome = match request.outcome {
            OutcomeName::Verified => Outcome::Verified,
            OutcomeName::Rejected => Outcome::Rejected,
            OutcomeName::RequiresData => Outcome::RequiresData(request.missing),
            OutcomeName::Pending => Outcome::Pending,
        };
        hub.room(vendor).script(&request.customer, outcome.clone());
        Ok(ok(&json!({ "vendor": vendor, "scripted": outcome })))
    };
    run().unwrap_or_else(|r| r)
}

#[derive(Deserialize)]
struct Webhook {
    vendor: String,
    customer: String,
}

async fn webhook(State(hub): Shared, bytes: Bytes) -> Response {
    let run = || -> Result<Response, Response> {
        let request: Webhook = body(&bytes)?;
        let vendor = vendor(&request.vendor)?;
        if hub.room(vendor).send_webhook(&request.customer) {
            Ok(ok(&json!({ "sent": true })))
        } else {
            Err(status_error(StatusError::UnknownCustomer))
        }
    };
    run().unwrap_or_else(|r| r)
}

#[derive(Deserialize)]
struct RequestFilter {
    vendor: Option<String>,
    operation: Option<String>,
}

async fn requests(State(hub): Shared, Query(filter): Query<RequestFilter>) -> Response {
    let vendor = match filter.vendor.as_deref().map(vendor).transpose() {
        Ok(v) => v,
        Err(r) => return r,
    };
    ok(&hub.recorder.query(vendor, filter.operation.as_deref()))
}

async fn forget_requests(State(hub): Shared) -> Response {
    hub.recorder.clear();
    ok(&json!({ "cleared": true }))
}

async fn faults(State(hub): Shared) -> Response {
    ok(&hub.faults.list())
}

async fn add_fault(State(hub): Shared, bytes: Bytes) -> Response {
    let run = || -> Result<Response, Response> {
        let rule: FaultRule = body(&bytes)?;
        let vendor = vendor(&rule.vendor)?;
        operation(&hub, vendor, &rule.operation)?;
        if rule.call == Some(0) {
            return Err(problem(StatusCode::BAD_REQUEST, "call: counts from 1"));
        }
        hub.faults.add(rule.clone());
        Ok(json(StatusCode::CREATED, &rule))
    };
    run().unwrap_or_else(|r| r)
}

async fn forget_faults(State(hub): Shared) -> Response {
    hub.faults.clear();
    ok(&json!({ "cleared": true }))
}

#[derive(Deserialize)]
struct StubRequest {
    vendor: String,
    operation: String,
    #[serde(flatten)]
    stub: Stub,
}

async fn stubs(State(hub): Shared) -> Response {
    let list: Vec<Value> = hub
        .stubs
        .list()
        .into_iter()
        .map(|(vendor, operation, stub)| {
            json!({
                "vendor": vendor, "operation": operation, "status": stub.status,
                "headers": stub.headers, "body": stub.body, "times": stub.times,
            })
        })
        .collect();
    ok(&list)
}

async fn add_stub(State(hub): Shared, bytes: Bytes) -> Response {
    let run = || -> Result<Response, Response> {
        let request: StubRequest = body(&bytes)?;
        let vendor = vendor(&request.vendor)?;
        operation(&hub, vendor, &request.operation)?;
        if StatusCode::from_u16(request.stub.status).is_err() {
            return Err(problem(
                StatusCode::BAD_REQUEST,
                "status: not an HTTP status",
            ));
        }
        hub.stubs.add(vendor, &request.operation, request.stub);
        Ok(json(
            StatusCode::CREATED,
            &json!({ "stubbed": request.operation }),
        ))
    };
    run().unwrap_or_else(|r| r)
}

async fn forget_stubs(State(hub): Shared) -> Response {
    hub.stubs.clear();
    ok(&json!({ "cleared": true }))
}
