#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// Answers are built from the generated response types with `..Default::default()` wherever the type
// has a default, so that a field the vendor adds to a response (an additive spec change) regenerates to
// a simulator that still builds: the update is there for fields that do not exist yet.
#![allow(clippy::needless_update)]

mod config;
mod crossmint;
mod cryptopocket;
mod faults;
mod kriptomat;
mod leap;
mod state;
mod sumsub;
mod webhooks;
mod wire;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::handler::Handler;
use axum::http::{Method, StatusCode};
use axum::response::Response;
use axum::routing::{MethodFilter, on};
use rampkit_runtime::meta::OperationMeta;
use serde::Deserialize;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{
    ConfigError, Credentials, FaultConfig, FaultKind, Faults, RateLimit, RateLimits, SimConfig,
    Vendor, WebhookSecrets,
};
pub use state::{CountersSnapshot, SimStatus, VendorCounters};
pub use webhooks::signature_headers;

/// Adds `handler` at the operation's path and method, as the generated client's metadata gives them:
/// a path or method changed in the spec moves the route with it.
fn route<H, T>(
    router: Router<Arc<state::Shared>>,
    op: &OperationMeta,
    handler: H,
) -> Router<Arc<state::Shared>>
where
    H: Handler<T, Arc<state::Shared>>,
    T: 'static,
{
    let method = Method::from_bytes(op.method.as_bytes()).unwrap_or(Method::GET);
    let filter = MethodFilter::try_from(method).unwrap_or(MethodFilter::GET);
    router.route(op.path, on(filter, handler))
}

/// An error in `vendor`'s documented shape (for faults and rate limits, which happen before the
/// operation).
fn vendor_error(vendor: Vendor, status: StatusCode, code: &str, message: &str) -> Response {
    match vendor {
        Vendor::CryptoPocket => cryptopocket::error(status, code, message),
        Vendor::Kriptomat => kriptomat::error(status, message),
        Vendor::Sumsub => sumsub::error(status, message),
        Vendor::Crossmint => crossmint::error(status, code, message),
        Vendor::Leap => leap::error(status, &code.to_ascii_uppercase(), message),
    }
}

/// Body of `POST /_admin/status`.
#[derive(Deserialize)]
struct SetStatus {
    vendor: String,
    customer: String,
    #[serde(default)]
    product: Option<String>,
    status: SimStatus,
}

async fn admin_counters(State(shared): State<Arc<state::Shared>>) -> Response {
    wire::ok(&shared.counters.snapshot())
}

async fn admin_reset(State(shared): State<Arc<state::Shared>>) -> Response {
    shared.reset();
    wire::ok(&serde_json::json!({ "reset": true }))
}

async fn admin_status(State(shared): State<Arc<state::Shared>>, body: Bytes) -> Response {
    let problem = |status: StatusCode, message: String| {
        wire::json(status, &serde_json::json!({ "error": message }))
    };
    let request: SetStatus = match wire::decode(&body) {
        Ok(r) => r,
        Err(p) => return problem(StatusCode::BAD_REQUEST, p),
    };
    let Some(vendor) = Vendor::from_name(&request.vendor) else {
        let names: Vec<&str> = Vendor::ALL.iter().map(|v| v.as_str()).collect();
        return problem(
            StatusCode::BAD_REQUEST,
            format!("vendor: one of {}", names.join(", ")),
        );
    };
    if request.product.is_some() && vendor != Vendor::Crossmint {
        return problem(
            StatusCode::BAD_REQUEST,
            "product: only Crossmint has products".to_owned(),
        );
    }
    let found = match vendor {
        Vendor::Crossmint => crossmint::set_status(
            &shared,
            &request.customer,
            request.product.as_deref(),
            request.status,
        ),
        Vendor::CryptoPocket => {
            cryptopocket::set_status(&shared, &request.customer, request.status)
        }
        Vendor::Kriptomat => kriptomat::set_status(&shared, &request.customer, request.status),
        Vendor::Leap => leap::set_status(&shared, &request.customer, request.status),
        Vendor::Sumsub => {
            return problem(
                StatusCode::BAD_REQUEST,
                "vendor: SumSub holds no statuses here".to_owned(),
            );
        }
    };
    if found {
        wire::ok(&serde_json::json!({ "vendor": vendor.as_str(), "status": request.status }))
    } else {
        problem(
            StatusCode::NOT_FOUND,
            "no such customer (or product) at this vendor".to_owned(),
        )
    }
}

/// The whole application: one prefix per vendor, each behind its faults / rate-limit layer, and the
/// admin API.
fn app(shared: Arc<state::Shared>) -> Router {
    let vendor = |v: Vendor, router: Router| {
        router.layer(axum::middleware::from_fn_with_state(
            (Arc::clone(&shared), v),
            faults::vendor_layer,
        ))
    };
    let admin = Router::new()
        .route("/counters", axum::routing::get(admin_counters))
        .route("/status", axum::routing::post(admin_status))
        .route("/reset", axum::routing::post(admin_reset))
        .with_state(Arc::clone(&shared));
    Router::new()
        .nest(
            "/cryptopocket",
            vendor(
                Vendor::CryptoPocket,
                cryptopocket::router(Arc::clone(&shared)),
            ),
        )
        .nest(
            "/kriptomat",
            vendor(Vendor::Kriptomat, kriptomat::router(Arc::clone(&shared))),
        )
        .nest(
            "/sumsub",
            vendor(Vendor::Sumsub, sumsub::router(Arc::clone(&shared))),
        )
        .nest(
            "/crossmint",
            vendor(Vendor::Crossmint, crossmint::router(Arc::clone(&shared))),
        )
        .nest(
            "/leap",
            vendor(Vendor::Leap, leap::router(Arc::clone(&shared))),
        )
        .nest("/_admin", admin)
}

/// A running in-process simulator. Dropping it stops nothing; call [`shutdown`](Self::shutdown).
pub struct Simulator {
    addr: SocketAddr,
    config: SimConfig,
    shared: Arc<state::Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl Simulator {
    /// Binds `config.addr`, starts serving on the current tokio runtime and returns at once.
    pub async fn start(config: SimConfig) -> std::io::Result<Simulator> {
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(state::Shared::new(config.clone()));
        let (stop, stopped) = oneshot::channel::<()>();
        let app = app(Arc::clone(&shared));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Simulator {
            addr,
            config,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT` (the bound address).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The base URL a generated client of `vendor` takes: [`url`](Self::url)`/<vendor>`.
    pub fn base_url(&self, vendor: Vendor) -> String {
        format!("{}/{}", self.url(), vendor.as_str())
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    /// The counters now (the JSON of `GET /_admin/counters`).
    pub fn counters(&self) -> CountersSnapshot {
        self.shared.counters.snapshot()
    }

    /// Stops accepting connections and waits for the requests in flight.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

/// Runs a simulator on `config.addr` until `shutdown` completes (for `rampkit sim`).
pub async fn serve(
    config: SimConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let listener = TcpListener::bind(config.addr).await?;
    let shared = Arc::new(state::Shared::new(config));
    axum::serve(listener, app(shared))
        .with_graceful_shutdown(shutdown)
        .await
}
