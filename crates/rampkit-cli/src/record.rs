//! The loopback recorder behind `rampkit request`: an HTTP server on 127.0.0.1 that keeps every request
//! it receives, byte for byte and in the order sent, and passes it on to a simulator started in this
//! process, whose answer goes back to the flow. The simulator answers as the vendors document (one
//! double of every vendor for the whole project), so the flow goes to its end and every request it sends
//! is seen; the recorder itself knows no vendor.

use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rampkit::Credentials;
use rampkit_sim::{SimConfig, Simulator};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// One request as received.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    /// Path and query, as on the request line.
    pub target: String,
    /// Header names (lowercase, as HTTP/1 sends them through hyper) and values, in received order.
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
}

type Log = Arc<Mutex<Vec<Recorded>>>;

#[derive(Clone)]
struct Upstream {
    log: Log,
    sim_url: String,
    http: reqwest::Client,
}

pub struct Recorder {
    url: String,
    log: Log,
    sim: Simulator,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl Recorder {
    /// Starts the simulator (a verification is final as soon as it starts, so each flow sends its
    /// requests once; a fixed seed, so ids in later requests repeat run to run) and the recorder in
    /// front of it.
    pub async fn start() -> std::io::Result<Self> {
        let sim = Simulator::start(SimConfig {
            polls_until_final: 0,
            seed: Some(1),
            ..SimConfig::default()
        })
        .await?;
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let url = format!("http://{}", listener.local_addr()?);
        let log: Log = Arc::default();
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(std::io::Error::other)?;
        let upstream = Upstream {
            log: log.clone(),
            sim_url: sim.url(),
            http,
        };
        let app = Router::new().fallback(record).with_state(upstream);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await;
        });
        Ok(Self {
            url,
            log,
            sim,
            stop: Some(stop),
            task,
        })
    }

    /// `http://127.0.0.1:<port>`: the base URL of every vendor API, with its `/<vendor>` prefix.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The credentials the simulator behind the recorder accepts.
    pub fn credentials(&self) -> Credentials {
        crate::target::simulator_credentials(self.sim.config())
    }

    /// The requests received since the last call, in arrival order.
    pub fn take(&self) -> Vec<Recorded> {
        std::mem::take(&mut *self.log.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Stops serving (idle keep-alive connections are not waited for) and stops the simulator.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.abort();
        self.sim.shutdown().await;
    }
}

async fn record(
    State(upstream): State<Upstream>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let target = uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| uri.path().to_owned());
    upstream
        .log
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(Recorded {
            method: method.to_string(),
            target: target.clone(),
            headers: headers
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_owned(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body: body.clone(),
        });
    let mut request = upstream
        .http
        .request(method, format!("{}{target}", upstream.sim_url))
        .body(body);
    for (name, value) in &headers {
        if name != "host" && name != "content-length" {
            request = request.header(name, value);
        }
    }
    match request.send().await {
        Ok(answer) => {
            let status = answer.status();
            let headers = answer.headers().clone();
            let body = answer.bytes().await.unwrap_or_default();
            let mut response = (status, body).into_response();
            for (name, value) in &headers {
                if name != "content-length" && name != "transfer-encoding" {
                    response.headers_mut().insert(name, value.clone());
                }
            }
            response
        }
        Err(_) => (
            StatusCode::BAD_GATEWAY,
            "the simulator behind the recorder did not answer",
        )
            .into_response(),
    }
}
