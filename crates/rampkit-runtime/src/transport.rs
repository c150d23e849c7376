//! The shared HTTP client and the vendor environments.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use crate::classify::is_base_url;
use crate::error::{Error, ErrorKind};

/// The user agent every rampkit request carries.
pub const USER_AGENT: &str = concat!("rampkit/", env!("CARGO_PKG_VERSION"));

/// Timeouts of the shared client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// TCP + TLS connection.
    pub connect: Duration,
    /// Whole request, response body included.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(30),
        }
    }
}

/// A `reqwest` client configured for vendor APIs: rustls, connect and request timeouts, the rampkit user
/// agent, no redirects and no `Referer` — [`HttpClient::new`] as a plain `reqwest::Client`. Build one
/// per tokio runtime and pass it to every client (`Client::new_with_client`), or let `Client::new` use
/// [`shared_client`].
///
/// Redirects are never followed: reqwest would send the credential headers (`x-api-key`, `api_key`,
/// `auth`, `x-app-token`), the request body (names, e-mails, document numbers) and a `Referer` with the
/// original URL (which may hold an `email:` locator) to whatever host the `Location` names. Vendor APIs
/// do not need redirects: a 3xx answer becomes an [`ErrorKind::Redirect`] error naming the target host.
/// To build a client with settings of your own, use [`HttpClient::from_builder`].
pub fn http_client(timeouts: Timeouts) -> reqwest::Client {
    HttpClient::new(timeouts).into()
}

/// A `reqwest::Client` that follows no redirect and sends no `Referer`, whatever else it was built with:
/// what a client that carries credentials and personal data may send requests through.
///
/// reqwest offers no way to read a built client's redirect policy, and follows a redirect inside
/// `execute`, before rampkit sees the answer — with every header except `Authorization`/`Cookie`
/// (`x-api-key`, `auth`, `x-app-token` go along), and with the body on a 307/308. So the only safe
/// `reqwest::Client` is one whose builder rampkit finished: an `HttpClient` is made only by
/// [`new`](Self::new), [`shared`](Self::shared) or [`from_builder`](Self::from_builder), which sets
/// `redirect(Policy::none())` and `referer(false)` on the caller's builder last, overriding anything it
/// said. There is deliberately no conversion from a `reqwest::Client`; the other way,
/// `From<HttpClient> for reqwest::Client` hands out the safe client.
///
/// A retry policy set on the builder (`ClientBuilder::retry`) is the caller's: rampkit retries on its
/// own and never repeats a registration, but a reqwest retry classifier that repeats POSTs would.
#[derive(Clone, Debug)]
pub struct HttpClient(reqwest::Client);

impl HttpClient {
    /// rampkit's client: rustls, `timeouts`, the `rampkit/<version>` user agent, no redirects, no
    /// `Referer`.
    pub fn new(timeouts: Timeouts) -> Self {
        Self::from_builder(
            reqwest::Client::builder()
                .user_agent(USER_AGENT)
                .connect_timeout(timeouts.connect)
                .timeout(timeouts.request),
        )
        .expect("a client with static settings always builds")
    }

    /// The shared client of the current tokio runtime ([`shared_client`]).
    pub fn shared() -> Self {
        Self(shared_client())
    }

    /// Your own settings (TLS roots, proxy, timeouts, pool, user agent), with redirects and `Referer`
    /// turned off whatever `builder` says. Fails only as `ClientBuilder::build` does (a TLS backend
    /// that cannot be initialised, a bad certificate).
    pub fn from_builder(builder: reqwest::ClientBuilder) -> Result<Self, reqwest::Error> {
        install_ring_provider();
        builder
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .build()
            .map(Self)
    }

    /// The client, to send requests through.
    pub fn as_reqwest(&self) -> &reqwest::Client {
        &self.0
    }
}

impl From<HttpClient> for reqwest::Client {
    fn from(client: HttpClient) -> Self {
        client.0
    }
}

/// With the `rustls-ring` feature (and not `rustls`): ring becomes the process's default rustls crypto
/// provider, unless the application installed one first (then its choice stands).
fn install_ring_provider() {
    #[cfg(all(feature = "rustls-ring", not(feature = "rustls")))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// The shared client with default [`Timeouts`] of the tokio runtime this is called on (of the process,
/// outside a runtime); clones share one connection pool.
///
/// One per runtime, not one per process: a pooled connection is driven by a task of the runtime that
/// opened it. Shared across runtimes — an application that runs several, or a test suite, where
/// `#[tokio::test]` makes one per test — a call could be handed a connection whose runtime has just shut
/// down ("runtime dropped the dispatch task"), which for a registration is an unknown outcome. The last 8
/// runtimes' clients are kept; a runtime further back gets a new one.
pub fn shared_client() -> reqwest::Client {
    const KEEP: usize = 8;
    static CLIENTS: Mutex<VecDeque<(Option<tokio::runtime::Id>, reqwest::Client)>> =
        Mutex::new(VecDeque::new());
    let runtime = tokio::runtime::Handle::try_current()
        .ok()
        .map(|handle| handle.id());
    let mut clients = CLIENTS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(at) = clients.iter().position(|(id, _)| *id == runtime)
        && let Some(entry) = clients.remove(at)
    {
        let client = entry.1.clone();
        clients.push_front(entry);
        return client;
    }
    let client = http_client(Timeouts::default());
    clients.push_front((runtime, client.clone()));
    clients.truncate(KEEP);
    client
}

/// Where a client sends its requests.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Environment {
    /// The vendor's sandbox / staging base URL from the spec.
    Sandbox,
    /// The vendor's production base URL from the spec.
    Production,
    /// Any other base URL (a production host handed out with the credentials, a local mock).
    Custom(String),
}

impl Environment {
    /// The base URL, given the spec's sandbox and production URLs (either may be unpublished). A
    /// [`Custom`](Self::Custom) URL must be an absolute `http` or `https` URL with a host: anything else
    /// is an [`ErrorKind::Configuration`] error naming the setting (never its value), before any request.
    pub fn base_url(
        &self,
        provider: &'static str,
        sandbox: Option<&'static str>,
        production: Option<&'static str>,
    ) -> Result<String, Error> {
        let url = match self {
            Self::Sandbox => sandbox,
            Self::Production => production,
            Self::Custom(url) if is_base_url(url) => {
                return Ok(url.trim_end_matches('/').to_owned());
            }
            Self::Custom(_) => {
                return Err(
                    Error::new(provider, "connect", ErrorKind::Configuration).with_detail(
                        "Environment::Custom is not an absolute http or https URL with a host",
                    ),
                );
            }
        };
        url.map(str::to_owned).ok_or_else(|| {
            Error::new(provider, "connect", ErrorKind::Configuration).with_detail(
                "the vendor publishes no base URL for this environment; use Environment::Custom",
            )
        })
    }
}

#[cfg(all(test, feature = "rustls-ring", not(feature = "rustls")))]
mod ring_tests {
    #[test]
    fn the_client_builds_with_ring_as_the_provider() {
        let _client = super::http_client(super::Timeouts::default());
        let provider = rustls::crypto::CryptoProvider::get_default().expect("installed");
        let ring = rustls::crypto::ring::default_provider();
        let names = |p: &rustls::crypto::CryptoProvider| {
            p.cipher_suites
                .iter()
                .map(|s| format!("{:?}", s.suite()))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(provider), names(&ring));
    }

    /// The client speaks TLS through ring: a loopback listener receives a TLS ClientHello.
    #[tokio::test]
    async fn an_https_request_starts_a_tls_handshake() {
        use std::io::Read;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let mut head = [0u8; 6];
            stream.read_exact(&mut head).unwrap();
            head
        });
        let client = super::http_client(super::Timeouts::default());
        let result = client
            .get(format!("https://127.0.0.1:{port}/"))
            .send()
            .await;
        assert!(result.is_err(), "the listener speaks no TLS");
        let head = server.join().unwrap();
        assert_eq!(head[0], 0x16, "a TLS handshake record");
        assert_eq!(head[5], 0x01, "a ClientHello");
    }
}
