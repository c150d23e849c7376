//! The mock endpoint used by every wire test.

use std::sync::{Arc, Mutex};

use httpmock::{Method, Mock, MockServer};
use serde_json::Value;

pub use rampkit_tests::{assert_json_eq, vendor_json, wire_fixture as fixture};

/// One expected call: method, path, exact headers, and the canned answer.
pub struct Expect<'a> {
    pub method: Method,
    pub path: &'a str,
    pub query: &'a [(&'a str, &'a str)],
    pub headers: &'a [(&'a str, &'a str)],
    /// Headers that must not be sent.
    pub absent_headers: &'a [&'a str],
    pub status: u16,
    pub response: &'a str,
}

impl Default for Expect<'_> {
    fn default() -> Self {
        Self {
            method: Method::GET,
            path: "/",
            query: &[],
            headers: &[],
            absent_headers: &[],
            status: 200,
            response: "{}",
        }
    }
}

/// A mock that answers `expect` and records the bodies it received.
pub struct Endpoint<'a> {
    pub mock: Mock<'a>,
    bodies: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl<'a> Endpoint<'a> {
    pub async fn start(server: &'a MockServer, expect: Expect<'_>) -> Self {
        let bodies: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
        let recorder = bodies.clone();
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
                    recorder.lock().unwrap().push(req.body_bytes().to_vec());
                    true
                });
                then.status(expect.status)
                    .header("content-type", "application/json")
                    .body(expect.response);
            })
            .await;
        Self { mock, bodies }
    }

    /// Asserts the call arrived exactly once with the expected method, path and headers, and returns
    /// the raw body it carried.
    pub async fn received_raw(&self) -> Vec<u8> {
        self.mock.assert_async().await;
        self.bodies
            .lock()
            .unwrap()
            .last()
            .expect("the endpoint recorded the request")
            .clone()
    }

    /// Asserts the call arrived exactly once with the expected method, path and headers, and returns
    /// the JSON body it carried (`Value::Null` for an empty body).
    pub async fn received_body(&self) -> Value {
        self.mock.assert_async().await;
        let bodies = self.bodies.lock().unwrap();
        let last = bodies.last().expect("the endpoint recorded the request");
        if last.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(last).expect("the request body is JSON")
        }
    }
}
