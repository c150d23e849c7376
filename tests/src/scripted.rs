//! A loopback HTTP/1.1 server that answers with a fixed script of responses, one per connection, and
//! records what it received — for retries, renewals and timeouts, where one client call sends several
//! requests that must get different answers.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One scripted answer.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Wait this long before answering (to provoke client timeouts).
    pub delay: Duration,
    /// Answer nothing: reset the connection (TCP RST) after reading the request.
    pub reset: bool,
}

impl Reply {
    pub fn json(status: u16, body: &str) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.to_owned(),
            delay: Duration::ZERO,
            reset: false,
        }
    }

    /// An answer with a content type of its own (HTML, plain text, empty).
    pub fn raw(status: u16, content_type: &str, body: &str) -> Self {
        Self::json(status, body).header("content-type", content_type)
    }

    /// No answer: the connection is reset once the request has been read (the request was processed).
    pub fn reset() -> Self {
        Self {
            reset: true,
            ..Self::json(0, "")
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// A received request: request line, headers (lower-cased names) and body.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Every request as one text (method, path, headers, body), to search for a planted value.
pub fn everything(received: &[Received]) -> String {
    received
        .iter()
        .map(|r| {
            format!(
                "{} {} {:?} {}",
                r.method,
                r.path,
                r.headers,
                String::from_utf8_lossy(&r.body)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

pub struct ScriptedServer {
    pub base_url: String,
    received: Arc<Mutex<Vec<Received>>>,
}

impl ScriptedServer {
    /// Serves `script` in order; past its end, answers 599 so that a surplus request is visible.
    pub async fn start(script: Vec<Reply>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let log = received.clone();
        tokio::spawn(async move {
            let mut script = script.into_iter();
            while let Ok((mut socket, _)) = listener.accept().await {
                let Some(request) = read_request(&mut socket).await else {
                    continue;
                };
                log.lock().unwrap().push(request);
                let reply = script.next().unwrap_or_else(|| Reply::json(599, "{}"));
                tokio::spawn(answer(socket, reply));
            }
        });
        Self { base_url, received }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

async fn answer(mut socket: tokio::net::TcpStream, reply: Reply) {
    tokio::time::sleep(reply.delay).await;
    if reply.reset {
        // SO_LINGER 0 makes the close a reset; tokio deprecates it only because the close blocks.
        #[allow(deprecated)]
        let _ = socket.set_linger(Some(Duration::ZERO));
        drop(socket);
        return;
    }
    let has_type = reply
        .headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-type"));
    let mut head = format!(
        "HTTP/1.1 {} X\r\ncontent-length: {}\r\nconnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    if !has_type {
        head.push_str("content-type: application/json\r\n");
    }
    for (k, v) in &reply.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = socket.write_all(head.as_bytes()).await;
    let _ = socket.write_all(reply.body.as_bytes()).await;
    let _ = socket.shutdown().await;
}

type Handler = dyn Fn(&Received) -> Reply + Send + Sync;

/// A loopback server that answers each request with what `handler` makes of it, concurrently — for
/// many concurrent calls whose answers depend on the request and on what came before (tokens issued by
/// a login, revoked tokens). Records every request with the instant it was read.
pub struct Responder {
    pub base_url: String,
    received: Arc<Mutex<Vec<(Instant, Received)>>>,
}

impl Responder {
    pub async fn start(handler: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let received: Arc<Mutex<Vec<(Instant, Received)>>> = Arc::default();
        let log = received.clone();
        let handler: Arc<Handler> = Arc::new(handler);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let log = log.clone();
                let handler = handler.clone();
                tokio::spawn(async move {
                    let Some(request) = read_request(&mut socket).await else {
                        return;
                    };
                    let at = Instant::now();
                    let reply = handler(&request);
                    log.lock().unwrap().push((at, request));
                    answer(socket, reply).await;
                });
            }
        });
        Self { base_url, received }
    }

    /// Every request, in the order read.
    pub fn received(&self) -> Vec<Received> {
        self.timed().into_iter().map(|(_, r)| r).collect()
    }

    /// Every request with the instant it was read.
    pub fn timed(&self) -> Vec<(Instant, Received)> {
        let mut all = self.received.lock().unwrap().clone();
        all.sort_by_key(|(at, _)| *at);
        all
    }

    /// How many requests had this path (query excluded).
    pub fn count(&self, path: &str) -> usize {
        self.received()
            .iter()
            .filter(|r| r.path.split('?').next() == Some(path))
            .count()
    }
}

async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<Received> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let header_end = loop {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..header_end]).to_string();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let path = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(k, _)| k == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[header_end..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
    }
    Some(Received {
        method,
        path,
        headers,
        body,
    })
}
