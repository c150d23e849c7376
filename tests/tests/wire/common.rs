//! The mock endpoint used by every wire test: one expected call (method, path, query, exact
//! headers, headers that must not be sent) with its canned answer, recorded byte for byte as it
//! arrives (as the scripted server's [`Received`]: its `path` keeps the query string).

use std::sync::{Arc, Mutex};

use httpmock::{Method, Mock, MockServer};
use serde_json::Value;

pub use rampkit_tests::scripted::Received;
pub use rampkit_tests::{assert_json_eq, vendor_json, wire_fixture as fixture};

/// One expected call: method, path, exact headers, and the canned answer. Built with
/// [`Expect::new`] and the setters below, then [`started`](Expect::start) on a mock server.
pub struct Expect<'a> {
    method: Method,
    path: &'a str,
    query: &'a [(&'a str, &'a str)],
    headers: &'a [(&'a str, &'a str)],
    /// Headers that must not be sent.
    absent_headers: &'a [&'a str],
    status: u16,
    response: &'a str,
}

impl<'a> Expect<'a> {
    /// A `method` call to `path`, with no header required, answered `200` with `{}`.
    pub fn new(method: Method, path: &'a str) -> Self {
        Self {
            method,
            path,
            query: &[],
            headers: &[],
            absent_headers: &[],
            status: 200,
            response: "{}",
        }
    }

    /// Query parameters the call must carry.
    pub fn query(self, query: &'a [(&'a str, &'a str)]) -> Self {
        Self { query, ..self }
    }

    /// Headers the call must carry, with these exact values.
    pub fn headers(self, headers: &'a [(&'a str, &'a str)]) -> Self {
        Self { headers, ..self }
    }

    /// Headers the call must not carry.
    pub fn absent(self, absent_headers: &'a [&'a str]) -> Self {
        Self {
            absent_headers,
            ..self
        }
    }

    /// The HTTP status of the answer.
    pub fn status(self, status: u16) -> Self {
        Self { status, ..self }
    }

    /// The body of the answer (served as `application/json`).
    pub fn answer(self, response: &'a str) -> Self {
        Self { response, ..self }
    }

    /// Mounts the expectation on `server`.
    pub async fn start(self, server: &MockServer) -> Endpoint<'_> {
        Endpoint::start(server, self).await
    }
}

/// One call against a fresh mock server: serves `expect`, makes `call` with that server, asserts
/// the call arrived exactly once as expected, and returns what `call` returned with the request as
/// received.
pub async fn exchange<T>(
    expect: Expect<'_>,
    call: impl AsyncFnOnce(&MockServer) -> T,
) -> (T, Received) {
    let server = MockServer::start_async().await;
    let endpoint = expect.start(&server).await;
    let answer = call(&server).await;
    (answer, endpoint.received().await)
}

/// A mock that answers an [`Expect`] and records the requests it matched.
pub struct Endpoint<'a> {
    mock: Mock<'a>,
    received: Arc<Mutex<Vec<Received>>>,
}

impl<'a> Endpoint<'a> {
    pub async fn start(server: &'a MockServer, expect: Expect<'_>) -> Self {
        let received: Arc<Mutex<Vec<Received>>> = Arc::default();
        let recorder = received.clone();
        let mock = server
            .mock_async(|when, then| {
                let mut when = when.method(expect.method).path(expect.path);
                for (k, v) in expect.query {
                    when = when.query_param(*k, *v);
                }
                for (k, v) in expect.headers {
                    when = when.header(*k, *v);
                }
                for k in expect.absent_headers {
                    when = when.header_missing(*k);
                }
                when.is_true(move |req| {
                    let uri = req.uri();
                    recorder.lock().unwrap().push(Received {
                        method: req.method().to_string(),
                        path: uri
                            .path_and_query()
                            .map(|p| p.as_str().to_owned())
                            .unwrap_or_default(),
                        headers: req
                            .headers()
                            .iter()
                            .map(|(k, v)| {
                                (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())
                            })
                            .collect(),
                        body: req.body_vec(),
                    });
                    true
                });
                then.status(expect.status)
                    .header("content-type", "application/json")
                    .body(expect.response);
            })
            .await;
        Self { mock, received }
    }

    /// Asserts the call arrived exactly once with the expected method, path, query and headers, and
    /// returns it as received.
    pub async fn received(&self) -> Received {
        self.mock.assert_async().await;
        self.received
            .lock()
            .unwrap()
            .last()
            .cloned()
            .expect("the endpoint recorded the request")
    }

    /// Asserts the call arrived exactly once with the expected method, path, query and headers.
    pub async fn assert_called(&self) {
        self.received().await;
    }

    /// Asserts the call arrived exactly once as expected and returns the JSON body it carried
    /// (`Value::Null` for an empty body).
    pub async fn received_body(&self) -> Value {
        let body = self.received().await.body;
        if body.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&body).expect("the request body is JSON")
        }
    }

    /// Asserts the call arrived exactly once as expected, carrying the JSON document `expected` (a
    /// vendor document: equal as JSON values, every differing path named).
    pub async fn assert_sent(&self, expected: &str) {
        assert_json_eq(&self.received_body().await, &vendor_json(expected));
    }

    /// Asserts the call arrived exactly once as expected, without a body.
    pub async fn assert_no_body(&self) {
        assert_eq!(self.received_body().await, Value::Null, "no request body");
    }
}
