//! The engine every vendor shares: the rooms of the registry, and the path of a request through them —
//! route by the generated operations table, record, count, latency, the vendor's rate limit,
//! deterministic and random faults, stubs, the vendor's credentials check, validation against the
//! spec's schema, then the room's stateful operation or the spec's example answer.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rampkit_runtime::meta::OperationMeta;
use serde_json::{Map, Value};

use crate::config::SimConfig;
use crate::counters::Counters;
use crate::faults::{FaultKind, FaultRules, draw};
use crate::ids::Ids;
use crate::limits::Limiter;
use crate::progress::{Scripts, lock};
use crate::record::{MASKED, RecordedRequest, Recorder, now_us, recorded_body};
use crate::room::{Call, Env, Room};
use crate::spec::find_operation;
use crate::stubs::Stubs;
use crate::vendors::{Vendor, rooms};
use crate::webhooks::WebhookSender;

/// The largest body read (Crossmint documents and CryptoPocket images come base64-encoded).
const BODY_LIMIT: usize = 64 * 1024 * 1024;

const BAD_GATEWAY_HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";

/// Everything the simulator holds.
pub struct Hub {
    /// The configuration it runs with.
    pub config: SimConfig,
    /// The seed of random faults and ids.
    pub seed: u64,
    rooms: Vec<Arc<dyn Room>>,
    limiters: Vec<Limiter>,
    /// Per-vendor counters.
    pub counters: Arc<Counters>,
    /// Every request received.
    pub recorder: Recorder,
    /// Deterministic faults.
    pub faults: FaultRules,
    /// Stubbed answers.
    pub stubs: Stubs,
    calls: Mutex<HashMap<(Vendor, &'static str), u64>>,
    /// Set by every request that may have changed state (the state file is written after it).
    pub dirty: AtomicBool,
}

impl Hub {
    /// The rooms of every vendor, with `config`. `Err` when a vendor's embedded spec does not parse.
    pub fn new(config: SimConfig) -> Result<Hub, String> {
        let seed = config.seed.unwrap_or_else(|| fastrand::u64(..));
        let counters = Arc::new(Counters::new(Vendor::ALL.map(Vendor::as_str)));
        let webhooks = Arc::new(WebhookSender::new(
            config.webhook_url.as_deref(),
            Arc::clone(&counters),
        ));
        let rooms = rooms(&config.vendors, |vendor| Env {
            name: vendor.as_str(),
            timing: config.timing(),
            counters: Arc::clone(&counters),
            webhooks: Arc::clone(&webhooks),
            scripts: Scripts::default(),
            ids: Ids::new(seed, vendor.as_str()),
        });
        for (vendor, room) in Vendor::ALL.iter().zip(&rooms) {
            room.spec().map_err(|e| format!("{vendor}: {e}"))?;
        }
        let limiters = Vendor::ALL
            .iter()
            .map(|v| Limiter::new(config.vendors.section(*v).rate_limit()))
            .collect();
        Ok(Hub {
            recorder: Recorder::new(config.record_limit),
            config,
            seed,
            rooms,
            limiters,
            counters,
            faults: FaultRules::default(),
            stubs: Stubs::default(),
            calls: Mutex::default(),
            dirty: AtomicBool::new(false),
        })
    }

    /// The room of `vendor`.
    pub fn room(&self, vendor: Vendor) -> &dyn Room {
        self.rooms[vendor.index()].as_ref()
    }

    /// The vendor whose operations table holds `operation`.
    pub fn vendor_of(&self, operation: &OperationMeta) -> Option<Vendor> {
        Vendor::ALL
            .into_iter()
            .find(|v| self.room(*v).operations().contains(operation))
    }

    /// `vendor`'s operation with the spec id `id`.
    pub fn operation(&self, vendor: Vendor, id: &str) -> Option<&'static OperationMeta> {
        self.room(vendor).operations().iter().find(|o| o.id == id)
    }

    /// Forgets every customer, token, script, counter, recorded request, fault rule and stub.
    pub fn reset(&self) {
        for room in &self.rooms {
            room.reset();
        }
        self.counters.reset();
        self.recorder.clear();
        self.faults.clear();
        self.stubs.clear();
        lock(&self.calls).clear();
        self.dirty.store(true, Ordering::Relaxed);
    }

    /// The state of every vendor, by name.
    pub fn save(&self) -> Value {
        let vendors: Map<String, Value> = Vendor::ALL
            .iter()
            .map(|v| (v.as_str().to_owned(), self.room(*v).save()))
            .collect();
        serde_json::json!({ "format": 1, "vendors": vendors })
    }

    /// Takes back a state [`save`](Self::save) wrote.
    pub fn load(&self, saved: Value) -> Result<(), String> {
        let Some(vendors) = saved.get("vendors").and_then(Value::as_object) else {
            return Err("not a simulator state file".to_owned());
        };
        for vendor in Vendor::ALL {
            if let Some(state) = vendors.get(vendor.as_str()).filter(|s| !s.is_null()) {
                self.room(vendor)
                    .load(state.clone())
                    .map_err(|e| format!("{vendor}: {e}"))?;
            }
        }
        Ok(())
    }

    fn next_call(&self, vendor: Vendor, operation: &'static str) -> u64 {
        let mut calls = lock(&self.calls);
        let n = calls.entry((vendor, operation)).or_default();
        *n += 1;
        *n
    }

    /// Answers one request under a vendor's prefix.
    pub async fn dispatch(self: Arc<Self>, request: Request) -> Response {
        let (parts, body) = request.into_parts();
        let path = parts.uri.path().to_owned();
        let (prefix, rest) = match path.trim_start_matches('/').split_once('/') {
            Some((prefix, rest)) => (prefix.to_owned(), format!("/{rest}")),
            None => (path.trim_start_matches('/').to_owned(), "/".to_owned()),
        };
        let Some(vendor) = Vendor::from_name(&prefix) else {
            let body = serde_json::json!({ "error": "no simulated vendor at this path" });
            return (StatusCode::NOT_FOUND, axum::Json(body)).into_response();
        };
        let room = Arc::clone(&self.rooms[vendor.index()]);
        let name = vendor.as_str();
        self.counters.request(name);
        let body = axum::body::to_bytes(body, BODY_LIMIT)
            .await
            .unwrap_or_else(|_| Bytes::new());
        let query: HashMap<String, String> = parts
            .uri
            .query()
            .and_then(|q| serde_urlencoded::from_str(q).ok())
            .unwrap_or_default();
        let method = parts.method.as_str().to_owned();
        let found = find_operation(room.operations(), &method, &rest);
        let call_no = found
            .as_ref()
            .map_or(0, |(op, _)| self.next_call(vendor, op.id));
        let masked = room.masked_headers();
        let headers = parts
            .headers
            .iter()
            .map(|(k, v)| {
                let name = k.as_str().to_owned();
                let value = if masked.contains(&name.as_str()) {
                    MASKED.to_owned()
                } else {
                    String::from_utf8_lossy(v.as_bytes()).into_owned()
                };
                (name, value)
            })
            .collect();
        let seq = self.recorder.push(RecordedRequest {
            vendor,
            operation: found.as_ref().map(|(op, _)| op.id.to_owned()),
            call: call_no,
            method: method.clone(),
            path: percent_encoding::percent_decode_str(&rest)
                .decode_utf8_lossy()
                .into_owned(),
            query: query
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<BTreeMap<_, _>>(),
            headers,
            body: recorded_body(&body, room.masked_fields()),
            status: None,
            fault: None,
            received_at_us: now_us(),
        });
        let finish = |response: Response, fault: Option<&str>| {
            self.recorder
                .answered(seq, response.status().as_u16(), fault);
            response
        };
        let Some((op, params)) = found else {
            let response = room.error(StatusCode::NOT_FOUND, "not_found", "No such operation");
            return finish(response, None);
        };
        let faults = self.config.vendors.section(vendor).faults();
        if faults.latency_ms > 0 {
            tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
        }
        if let Err(wait) = self.limiters[vendor.index()].check(method == "GET") {
            return finish(too_many_requests(room.as_ref(), wait), None);
        }
        let fault = self
            .faults
            .find(name, op.id, call_no)
            .or_else(|| draw(faults, self.seed, name, op.id, call_no, !op.authenticated));
        let mut hold = None;
        if let Some(kind) = fault {
            match kind {
                FaultKind::TimeoutAfterProcessing => {
                    hold = Some(Duration::from_millis(faults.hold_ms));
                }
                other => {
                    let response = fault_response(room.as_ref(), other, faults.retry_after_secs);
                    return finish(response, Some(other.as_str()));
                }
            }
        }
        if let Some(stub) = self.stubs.take(vendor, op.id) {
            return finish(stub.response(), Some("stub"));
        }
        self.counters.operation(name, op.id);
        let path_and_query = parts
            .uri
            .path_and_query()
            .map_or(path.as_str(), |p| p.as_str());
        let call = Call {
            op,
            method: &method,
            path_and_query,
            headers: &parts.headers,
            params: &params,
            query: &query,
            body: &body,
        };
        let response = self.run(vendor, room.as_ref(), &call);
        if method != "GET" {
            self.dirty.store(true, Ordering::Relaxed);
        }
        let fault_name = hold.map(|_| FaultKind::TimeoutAfterProcessing.as_str());
        let response = finish(response, fault_name);
        if let Some(hold) = hold {
            tokio::time::sleep(hold).await;
        }
        response
    }

    /// Credentials, validation, then the operation (stateful, or the spec's example).
    fn run(&self, vendor: Vendor, room: &dyn Room, call: &Call<'_>) -> Response {
        if call.op.authenticated
            && let Err(refused) = room.authorize(call)
        {
            return refused;
        }
        let spec = match room.spec() {
            Ok(spec) => spec,
            Err(e) => return room.error(StatusCode::INTERNAL_SERVER_ERROR, "spec", &e),
        };
        if let Err(problem) = spec.check_request(call.op.id, call.query, call.body) {
            if room.registrations().contains(&call.op.id) {
                self.counters.registration(vendor.as_str(), false);
            }
            return room.refuse(call, &problem);
        }
        if let Some(response) = room.handle(call) {
            return response;
        }
        let (status, body) = spec.example_answer(call.op.id);
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
        match body {
            Some(body) => crate::wire::json(status, &body),
            None => status.into_response(),
        }
    }
}

/// HTTP 429 in the vendor's shape, with `Retry-After` in whole seconds (at least 1).
fn too_many_requests(room: &dyn Room, wait: Duration) -> Response {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let mut response = room.error(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "Too many requests",
    );
    if let Ok(value) = HeaderValue::from_str(&secs.max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// The answer of a fault that stops the request before its operation.
fn fault_response(room: &dyn Room, kind: FaultKind, retry_after_secs: u64) -> Response {
    match kind {
        FaultKind::Status503Json | FaultKind::TimeoutAfterProcessing => room.error(
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            "Service temporarily unavailable",
        ),
        FaultKind::Status502Html => (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, HeaderValue::from_static("text/html"))],
            BAD_GATEWAY_HTML,
        )
            .into_response(),
        FaultKind::Status429 => too_many_requests(room, Duration::from_secs(retry_after_secs)),
        FaultKind::Reset => {
            // The status line and headers go out; the body fails at once, so the server cuts the
            // connection and the client sees it closed mid-answer.
            let stream = futures_util::stream::once(async {
                Err::<Bytes, std::io::Error>(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "simulated connection reset",
                ))
            });
            (
                StatusCode::OK,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                Body::from_stream(stream),
            )
                .into_response()
        }
    }
}
