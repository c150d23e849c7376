//! The simulator as a server: [`Simulator`] in a test (ephemeral port, stopped on drop) and [`serve`]
//! for `rampkit sim`.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::response::Response;
use rampkit_runtime::meta::OperationMeta;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::SimConfig;
use crate::counters::CountersSnapshot;
use crate::hub::Hub;
use crate::kit::{OperationHandle, VendorHandle};
use crate::record::RecordedRequest;
use crate::room::{ClientOptions, SimClient};
use crate::vendors::Vendor;

async fn dispatch(State(hub): State<Arc<Hub>>, request: Request) -> Response {
    hub.dispatch(request).await
}

fn app(hub: &Arc<Hub>) -> Router {
    Router::new()
        .fallback(dispatch)
        .with_state(Arc::clone(hub))
        .nest("/_admin", crate::admin::router(Arc::clone(hub)))
}

/// A running simulator: started on the current tokio runtime, stopped by [`shutdown`](Self::shutdown)
/// or when dropped.
///
/// ```no_run
/// # async fn run() -> std::io::Result<()> {
/// use rampkit_sim::{SimConfig, Simulator, Vendor};
///
/// let sim = Simulator::start(SimConfig::default()).await?;
/// let leap: rampkit_leap::Client = sim.client();
/// sim.vendor(Vendor::Leap).customer("ana@example.com").rejects();
/// // … the code under test talks to `leap` …
/// let sent = sim.operation(&rampkit_leap::operations::REGISTER_USER_V2).requests();
/// # let _ = (leap, sent);
/// # Ok(()) }
/// ```
pub struct Simulator {
    addr: SocketAddr,
    hub: Arc<Hub>,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl Simulator {
    /// Binds `config.addr` (port 0: any free port), loads the state file if one is set and exists,
    /// starts serving on the current tokio runtime and returns at once.
    pub async fn start(config: SimConfig) -> std::io::Result<Simulator> {
        let state_file = config.state_file.clone();
        let hub = Arc::new(
            Hub::new(config)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?,
        );
        if let Some(path) = &state_file {
            crate::persist::load(&hub, path)?;
        }
        let listener = TcpListener::bind(hub.config.addr).await?;
        let addr = listener.local_addr()?;
        let (stop, mut stopped) = watch::channel(false);
        let app = app(&hub);
        let keeper_hub = Arc::clone(&hub);
        let mut keeper_stop = stop.subscribe();
        let task = tokio::spawn(async move {
            let keeper = async {
                let Some(path) = &state_file else { return };
                let mut tick = tokio::time::interval(Duration::from_millis(500));
                loop {
                    tokio::select! {
                        _ = tick.tick() => {
                            let _ = crate::persist::save_if_changed(&keeper_hub, path);
                        }
                        _ = keeper_stop.changed() => return,
                    }
                }
            };
            let server = axum::serve(listener, app).with_graceful_shutdown(async move {
                let _ = stopped.changed().await;
            });
            let (_, _) = tokio::join!(server, keeper);
            if let Some(path) = &state_file {
                let _ = crate::persist::save(&keeper_hub, path);
            }
        });
        Ok(Simulator {
            addr,
            hub,
            stop,
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
        &self.hub.config
    }

    /// The seed of its random faults and ids (the configured one, or the one drawn at start): give it
    /// back in [`SimConfig::seed`] (`rampkit sim --seed N`) to repeat a run.
    pub fn seed(&self) -> u64 {
        self.hub.seed
    }

    /// The counters now (the JSON of `GET /_admin/counters`).
    pub fn counters(&self) -> CountersSnapshot {
        self.hub.counters.snapshot()
    }

    /// One vendor: its customers, operations, requests and counters.
    pub fn vendor(&self, vendor: Vendor) -> VendorHandle {
        VendorHandle {
            hub: Arc::clone(&self.hub),
            vendor,
            base_url: self.base_url(vendor),
        }
    }

    /// One operation, named by its generated metadata (`rampkit_leap::operations::REGISTER_USER_V2`):
    /// its recorded requests, deterministic faults and stubs.
    ///
    /// # Panics
    ///
    /// If no simulated vendor has the operation — a provider crate of another version than the one
    /// this simulator was built with.
    pub fn operation(&self, operation: &OperationMeta) -> OperationHandle {
        let vendor = self.hub.vendor_of(operation).unwrap_or_else(|| {
            panic!(
                "rampkit-sim: no simulated vendor has operation `{}` (a provider crate of another version?)",
                operation.id
            )
        });
        let meta = self
            .hub
            .operation(vendor, operation.id)
            .unwrap_or_else(|| panic!("rampkit-sim: operation `{}` vanished", operation.id));
        OperationHandle {
            hub: Arc::clone(&self.hub),
            vendor,
            meta,
        }
    }

    /// Every request received, oldest first (at most [`SimConfig::record_limit`]).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.hub.recorder.query(None, None)
    }

    /// A generated client ready to talk to this simulator: its base URL, the credentials the
    /// simulator accepts, no retries, no client-side rate limit (the simulator enforces the vendor's)
    /// and a 5 s timeout. `let leap: rampkit_leap::Client = sim.client();`
    pub fn client<C: SimClient>(&self) -> C {
        self.client_with(&ClientOptions::default())
    }

    /// [`client`](Self::client) with other options (retries, the client-side rate limit, timeout).
    pub fn client_with<C: SimClient>(&self, options: &ClientOptions) -> C {
        let vendor = Vendor::from_name(C::VENDOR)
            .expect("every SimClient names a simulated vendor (its impl is in that vendor's room)");
        let section = self.hub.config.vendors.section(vendor).as_any();
        C::connect(&self.base_url(vendor), section, options)
    }

    /// Forgets every customer, token, script, counter, recorded request, fault rule and stub
    /// (`POST /_admin/reset`).
    pub fn reset(&self) {
        self.hub.reset();
    }

    /// Stops accepting connections, waits for the requests in flight and writes the state file.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Simulator {
    /// Stops the server (in the background: the port is free once the requests in flight finish).
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// Runs a simulator on `config.addr` until `shutdown` completes (for `rampkit sim`); `ready` is
/// called with the running simulator first (to print its URL and seed).
pub async fn serve(
    config: SimConfig,
    ready: impl FnOnce(&Simulator),
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let sim = Simulator::start(config).await?;
    ready(&sim);
    shutdown.await;
    sim.shutdown().await;
    Ok(())
}
