//! Stubbed answers: any operation's answer (status, headers, raw body) for its next N calls or
//! always, from Rust ([`OperationHandle::stub`](crate::OperationHandle::stub)) and
//! `POST /_admin/stubs`.

use std::collections::BTreeMap;
use std::sync::Mutex;

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::Response;
use serde::{Deserialize, Serialize};

use crate::progress::lock;
use crate::vendors::Vendor;

/// An answer to give instead of the simulated one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stub {
    /// HTTP status.
    pub status: u16,
    /// Headers; `content-type: application/json` is added when the body is JSON and no content type
    /// is given.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// The raw body, sent as is.
    #[serde(default)]
    pub body: String,
    /// For how many calls; `None`: every call.
    #[serde(default)]
    pub times: Option<u32>,
}

impl Stub {
    /// An answer with `status`, no body, for the next call.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: BTreeMap::new(),
            body: String::new(),
            times: Some(1),
        }
    }

    /// An answer with `status` and `body` as JSON, for the next call.
    pub fn json(status: u16, body: &serde_json::Value) -> Self {
        Self::new(status).body(body.to_string())
    }

    /// Adds a header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.insert(name.into(), value.into());
        self
    }

    /// The raw body.
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = body.into();
        self
    }

    /// For the next `n` calls.
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }

    /// For every call.
    pub fn always(mut self) -> Self {
        self.times = None;
        self
    }

    /// The HTTP answer.
    pub fn response(&self) -> Response {
        let mut response = Response::new(Body::from(self.body.clone()));
        *response.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        for (name, value) in &self.headers {
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_str(value),
            ) {
                headers.insert(name, value);
            }
        }
        if !headers.contains_key("content-type")
            && serde_json::from_str::<serde_json::Value>(&self.body).is_ok()
        {
            headers.insert("content-type", HeaderValue::from_static("application/json"));
        }
        response
    }
}

/// The stubs asked for, by vendor and operation, first asked first used.
#[derive(Default)]
pub struct Stubs {
    stubs: Mutex<Vec<(Vendor, String, Stub)>>,
}

impl Stubs {
    /// Adds a stub of `operation`.
    pub fn add(&self, vendor: Vendor, operation: &str, stub: Stub) {
        if stub.times != Some(0) {
            lock(&self.stubs).push((vendor, operation.to_owned(), stub));
        }
    }

    /// The stub answering this call, if any (one use of it is spent).
    pub fn take(&self, vendor: Vendor, operation: &str) -> Option<Stub> {
        let mut stubs = lock(&self.stubs);
        let index = stubs
            .iter()
            .position(|(v, o, _)| *v == vendor && o == operation)?;
        let stub = stubs[index].2.clone();
        if let Some(times) = &mut stubs[index].2.times {
            *times -= 1;
            if *times == 0 {
                stubs.remove(index);
            }
        }
        Some(stub)
    }

    /// Every stub: vendor, operation and stub.
    pub fn list(&self) -> Vec<(Vendor, String, Stub)> {
        lock(&self.stubs).clone()
    }

    /// Forgets every stub.
    pub fn clear(&self) {
        lock(&self.stubs).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stubs_answer_n_times_or_always_in_order() {
        let stubs = Stubs::default();
        stubs.add(Vendor::Leap, "a", Stub::new(500).times(2));
        stubs.add(Vendor::Leap, "a", Stub::new(418).always());
        assert_eq!(stubs.take(Vendor::Leap, "a").unwrap().status, 500);
        assert_eq!(stubs.take(Vendor::Leap, "a").unwrap().status, 500);
        for _ in 0..3 {
            assert_eq!(stubs.take(Vendor::Leap, "a").unwrap().status, 418);
        }
        assert!(stubs.take(Vendor::Crossmint, "a").is_none());
        stubs.clear();
        assert!(stubs.take(Vendor::Leap, "a").is_none());
    }

    #[test]
    fn a_stub_sends_its_status_headers_and_raw_body() {
        let response = Stub::json(200, &serde_json::json!({"status": "NEW_VALUE"}))
            .header("x-extra", "1")
            .response();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/json");
        assert_eq!(response.headers()["x-extra"], "1");
        let html = Stub::new(502).body("<html>").response();
        assert!(html.headers().get("content-type").is_none());
    }
}
