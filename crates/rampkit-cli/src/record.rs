//! The loopback recorder behind `rampkit request`: an HTTP server on 127.0.0.1 that keeps every request
//! it receives, byte for byte, and answers each flow call with a documented success (the vendor JSON of
//! the specs' examples and the vendor pages), so that the flow runs to its end and every request it
//! sends is seen.

use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
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

pub struct Recorder {
    url: String,
    log: Log,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl Recorder {
    pub async fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let url = format!("http://{}", listener.local_addr()?);
        let log: Log = Arc::default();
        let app = Router::new().fallback(record).with_state(log.clone());
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
            stop: Some(stop),
            task,
        })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The requests received since the last call, in arrival order.
    pub fn take(&self) -> Vec<Recorded> {
        std::mem::take(&mut *self.log.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Stops serving (idle keep-alive connections are not waited for).
    pub fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        self.task.abort();
    }
}

async fn record(
    State(log): State<Log>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let target = uri
        .path_and_query()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| uri.path().to_owned());
    let (status, answer) = answer(&method, uri.path());
    log.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(Recorded {
            method: method.to_string(),
            target,
            headers: headers
                .iter()
                .map(|(name, value)| {
                    (
                        name.as_str().to_owned(),
                        String::from_utf8_lossy(value.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body,
        });
    (status, [(header::CONTENT_TYPE, "application/json")], answer).into_response()
}

/// Crossmint's eligibility with every product verified.
const CROSSMINT_VERIFIED: &str = r#"{"eligibility": [
    {"type": "onramp", "status": "verified"},
    {"type": "onramp-light", "status": "verified"},
    {"type": "offramp", "status": "verified"},
    {"type": "regulated-transfer", "status": "verified"}]}"#;

/// The success each flow call gets (vendor JSON from the specs' examples), by vendor prefix and path.
fn answer(method: &Method, path: &str) -> (StatusCode, &'static str) {
    let (vendor, rest) = match path.trim_start_matches('/').split_once('/') {
        Some((vendor, rest)) => (vendor, format!("/{rest}")),
        None => return (StatusCode::NOT_FOUND, r#"{"error": "no vendor prefix"}"#),
    };
    let ok = |body| (StatusCode::OK, body);
    match (vendor, method.as_str(), rest.as_str()) {
        ("crossmint", "PUT", p) if p.ends_with("/legal-documents") => {
            ok(r#"{"acceptedAt": "2026-01-01T00:00:00.000Z"}"#)
        }
        ("crossmint", "PUT" | "GET", p) if p.ends_with("/identity-verification") => {
            ok(CROSSMINT_VERIFIED)
        }
        ("crossmint", "POST", p) if p.ends_with("/documents") => {
            ok(r#"{"id": "doc_abc123xyz", "documentType": "id-idcard-front"}"#)
        }
        ("crossmint", "PUT", p) if p.contains("/users/") => ok(
            r#"{"userId": "usr_1234567890", "userDetails": true, "kycData": true,
                "dueDiligence": true, "verificationHistory": true}"#,
        ),
        ("cryptopocket", "POST", "/authenticate") => {
            ok(r#"{"status": "ok", "data": {"token": "recorder-token"}}"#)
        }
        ("cryptopocket", "POST", p) if p.starts_with("/registerUser/") => ok(
            r#"{"status": "ok", "data": {"id": 100003754, "identification_type": "DNI",
                "kyc_valid": true}}"#,
        ),
        ("cryptopocket", "GET", "/kyc/check") => {
            ok(r#"{"status": "ok", "data": {"kyc_status": "valid"}}"#)
        }
        ("sumsub", "POST", "/resources/accessTokens/shareToken") => {
            ok(r#"{"token": "_act-460a698b-d2bc-4cbc-9456-5f36fee38083",
                "forClientId": "KriptomatSumsub"}"#)
        }
        ("kriptomat", "POST", "/api/v1/partners/auth/login") => {
            ok(r#"{"access_token": "recorder-token", "expires_in": 3600}"#)
        }
        ("kriptomat", "POST", p) if p.ends_with("/kyc-import") => ok(r#"{"status": true}"#),
        ("kriptomat", "GET", p) if p.starts_with("/api/v1/partners/users/") => ok(
            r#"{"status": true, "data": {"status": "active", "kyc_status": "passed",
                "edd_status": "not_required"}}"#,
        ),
        ("leap", "POST", "/auth/register-user-v2") => {
            ok(r#"{"userId": "OSZwErXgt1MGPHwkYJVqz3LTN0R2", "status": "OnProcess"}"#)
        }
        ("leap", "POST", "/auth/get-user-token-v2") => ok(
            r#"{"userId": "OSZwErXgt1MGPHwkYJVqz3LTN0R2", "status": "Completed",
                "statusDetail": "None"}"#,
        ),
        _ => (
            StatusCode::NOT_FOUND,
            r#"{"error": "the recorder has no answer for this call"}"#,
        ),
    }
}
