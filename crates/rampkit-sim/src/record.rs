//! Every request the simulator received, per vendor and operation, with the credentials masked:
//! queryable from Rust ([`Simulator::requests`](crate::Simulator::requests)) and from
//! `GET /_admin/requests?vendor=V&operation=OP`. Bodies are kept as sent (they may hold a test
//! customer's personal data: the recorder is for tests, on loopback).

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::progress::lock;
use crate::vendors::Vendor;

/// What a masked credential reads as.
pub const MASKED: &str = "[masked]";

/// One request, as the simulator received and answered it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedRequest {
    /// The vendor whose prefix it was sent to.
    pub vendor: Vendor,
    /// The spec's operation id; `None` when no operation has this method and path.
    pub operation: Option<String>,
    /// The call number of the operation (1 for its first request since the start or the last reset),
    /// as deterministic faults count them; 0 without an operation.
    pub call: u64,
    /// `GET`, `POST`, …
    pub method: String,
    /// The path below the vendor's prefix, as sent (`/2025-06-09/users/userId:ana`, percent-decoded).
    pub path: String,
    /// The query parameters.
    pub query: BTreeMap<String, String>,
    /// The headers (names in lower case), credential headers masked.
    pub headers: BTreeMap<String, String>,
    /// The JSON body (credential fields of a login masked); a non-JSON body as a string; `null` when
    /// empty.
    pub body: Value,
    /// The status the simulator answered (faults and stubs included; a reset fault records the 200
    /// it started to send). `None` while the request is in flight.
    pub status: Option<u16>,
    /// The injected fault or `stub` that answered it, if any.
    pub fault: Option<String>,
    /// When the simulator received it: microseconds since the Unix epoch (a test checking how
    /// requests were spread in time, such as a rate limit shared by several processes).
    #[serde(default)]
    pub received_at_us: u64,
}

/// Now, in microseconds since the Unix epoch.
pub fn now_us() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX))
}

impl RecordedRequest {
    /// The body decoded into `T` (for instance the generated request type).
    pub fn body_as<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_value(self.body.clone())
    }

    /// The header `name` (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// The body as recorded: JSON with `masked` top-level fields replaced, else text, else null.
pub fn recorded_body(body: &[u8], masked: &[&str]) -> Value {
    if body.is_empty() {
        return Value::Null;
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(mut map)) => {
            for field in masked {
                if let Some(value) = map.get_mut(*field) {
                    *value = Value::String(MASKED.to_owned());
                }
            }
            Value::Object(map)
        }
        Ok(other) => other,
        Err(_) => Value::String(String::from_utf8_lossy(body).into_owned()),
    }
}

/// The recorded requests, oldest first, at most `limit`.
pub struct Recorder {
    entries: Mutex<VecDeque<(u64, RecordedRequest)>>,
    next: Mutex<u64>,
    limit: usize,
}

impl Recorder {
    /// A recorder keeping the last `limit` requests.
    pub fn new(limit: usize) -> Self {
        Self {
            entries: Mutex::default(),
            next: Mutex::new(0),
            limit,
        }
    }

    /// Records `request`; the number to set its answer with.
    pub fn push(&self, request: RecordedRequest) -> u64 {
        let seq = {
            let mut next = lock(&self.next);
            *next += 1;
            *next
        };
        if self.limit == 0 {
            return seq;
        }
        let mut entries = lock(&self.entries);
        while entries.len() >= self.limit {
            entries.pop_front();
        }
        entries.push_back((seq, request));
        seq
    }

    /// Sets the answer of request `seq`.
    pub fn answered(&self, seq: u64, status: u16, fault: Option<&str>) {
        let mut entries = lock(&self.entries);
        if let Some((_, request)) = entries.iter_mut().rev().find(|(s, _)| *s == seq) {
            request.status = Some(status);
            request.fault = fault.map(str::to_owned);
        }
    }

    /// The requests to `vendor` (every vendor when `None`) and `operation` (every one when `None`),
    /// oldest first.
    pub fn query(&self, vendor: Option<Vendor>, operation: Option<&str>) -> Vec<RecordedRequest> {
        lock(&self.entries)
            .iter()
            .map(|(_, r)| r)
            .filter(|r| vendor.is_none_or(|v| r.vendor == v))
            .filter(|r| operation.is_none_or(|o| r.operation.as_deref() == Some(o)))
            .cloned()
            .collect()
    }

    /// Forgets every request.
    pub fn clear(&self) {
        lock(&self.entries).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(vendor: Vendor, operation: &str) -> RecordedRequest {
        RecordedRequest {
            vendor,
            operation: Some(operation.to_owned()),
            call: 1,
            method: "POST".into(),
            path: "/x".into(),
            query: BTreeMap::new(),
            headers: BTreeMap::new(),
            body: Value::Null,
            status: None,
            fault: None,
            received_at_us: 0,
        }
    }

    #[test]
    fn records_filters_and_keeps_the_last_ones() {
        let recorder = Recorder::new(2);
        let a = recorder.push(request(Vendor::Leap, "register_user_v2"));
        recorder.push(request(Vendor::Crossmint, "upsert_user"));
        recorder.answered(a, 502, Some("status502_html"));
        let leap = recorder.query(Some(Vendor::Leap), None);
        assert_eq!(leap.len(), 1);
        assert_eq!(
            (leap[0].status, leap[0].fault.as_deref()),
            (Some(502), Some("status502_html"))
        );
        assert_eq!(recorder.query(None, Some("upsert_user")).len(), 1);
        recorder.push(request(Vendor::Leap, "get_user_token_v2"));
        assert_eq!(recorder.query(None, None).len(), 2, "the oldest went");
        assert!(recorder.query(None, Some("register_user_v2")).is_empty());
        recorder.clear();
        assert!(recorder.query(None, None).is_empty());
    }

    #[test]
    fn bodies_are_json_with_credentials_masked() {
        let body = recorded_body(br#"{"api_key": "k", "name": "x"}"#, &["api_key"]);
        assert_eq!(body, serde_json::json!({"api_key": MASKED, "name": "x"}));
        assert_eq!(
            recorded_body(b"a=1&b=2", &[]),
            Value::String("a=1&b=2".into())
        );
        assert_eq!(recorded_body(b"", &[]), Value::Null);
    }
}
