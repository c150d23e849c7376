//! What every vendor's room provides to the shared engine, and what the engine hands each room.
//!
//! A room is one vendor: its operations table (from its generated crate), its spec, its credentials
//! check, its state and stateful operations, its error shape, its status vocabulary and its webhook
//! signature. The engine (`hub`) routes, records, counts, limits, faults, stubs and validates for
//! every room alike, and answers every operation a room keeps no state for from the room's spec.

use std::any::Any;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use rampkit_runtime::meta::OperationMeta;
use rampkit_runtime::retry::RetryPolicy;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::counters::Counters;
use crate::faults::FaultConfig;
use crate::ids::Ids;
use crate::limits::RateLimit;
use crate::progress::{Outcome, Scripts, SimStatus, Timing};
use crate::spec::Spec;
use crate::webhooks::WebhookSender;

/// The services the engine hands a room.
pub struct Env {
    /// The vendor's name (its path prefix).
    pub name: &'static str,
    /// When verifications become final.
    pub timing: Timing,
    /// The counters of every vendor.
    pub counters: Arc<Counters>,
    /// Where webhooks go.
    pub webhooks: Arc<WebhookSender>,
    /// Outcomes scripted for this vendor's customers.
    pub scripts: Scripts,
    /// Identifiers drawn from the run's seed.
    pub ids: Ids,
}

impl Env {
    /// Counts a registration request; `duplicate` when the vendor already held the customer.
    pub fn registration(&self, duplicate: bool) {
        self.counters.registration(self.name, duplicate);
    }

    /// The outcome of a customer known by any of `keys` (a script, else a magic suffix).
    pub fn outcome<'a>(&self, keys: impl IntoIterator<Item = &'a str> + Clone) -> Outcome {
        self.scripts.outcome(keys)
    }

    /// Sends a webhook with `payload`, signed with `sign` (the room's signature headers of the body).
    pub fn emit(&self, payload: &Value, sign: impl FnOnce(&[u8]) -> Vec<(String, String)>) {
        if !self.webhooks.enabled() {
            return;
        }
        if let Ok(body) = serde_json::to_vec(payload) {
            let headers = sign(&body);
            self.webhooks.send(self.name, body, headers);
        }
    }
}

/// One request, as a room's operation sees it.
pub struct Call<'a> {
    /// The operation the path and method name.
    pub op: &'static OperationMeta,
    /// `GET`, `POST`, …
    pub method: &'a str,
    /// The path and query exactly as the client sent them, vendor prefix included (SumSub signs them).
    pub path_and_query: &'a str,
    /// The request headers.
    pub headers: &'a HeaderMap,
    /// The decoded path parameters, by the spec's names.
    pub params: &'a [(String, String)],
    /// The query parameters.
    pub query: &'a HashMap<String, String>,
    /// The raw body.
    pub body: &'a [u8],
}

impl Call<'_> {
    /// The path parameter `name` (empty when the path has none of that name).
    pub fn param(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The header `name`, when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body decoded into the operation's generated request type (the error names the field).
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, String> {
        crate::wire::decode(self.body)
    }
}

/// Why a status could not be set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusError {
    /// The vendor holds no such customer.
    UnknownCustomer,
    /// The vendor has no such product (or no products at all).
    UnknownProduct,
    /// The vendor keeps no statuses (SumSub).
    NoStatuses,
}

/// A vendor in the simulator. Object-safe: the registry keeps one per vendor.
pub trait Room: Send + Sync {
    /// The operations of the vendor's generated crate (`operations::ALL`).
    fn operations(&self) -> &'static [OperationMeta];

    /// The vendor's spec (embedded, parsed once per process).
    fn spec(&self) -> Result<&'static Spec, String>;

    /// Header names whose values are credentials (masked in recorded requests), lower case.
    fn masked_headers(&self) -> &'static [&'static str];

    /// Top-level body fields that are credentials (masked in recorded requests).
    fn masked_fields(&self) -> &'static [&'static str] {
        &[]
    }

    /// The operations that register a customer (counted even when refused).
    fn registrations(&self) -> &'static [&'static str];

    /// Checks the credentials of a call to an authenticated operation: `Err` is the vendor's refusal.
    fn authorize(&self, call: &Call<'_>) -> Result<(), Response>;

    /// Runs a stateful operation; `None` for an operation answered from the spec.
    fn handle(&self, call: &Call<'_>) -> Option<Response>;

    /// An error in the vendor's documented shape.
    fn error(&self, status: StatusCode, code: &str, message: &str) -> Response;

    /// How the vendor refuses a request that breaks its schema (`problem` names the field).
    fn refuse(&self, call: &Call<'_>, problem: &str) -> Response;

    /// Sets a customer's status (for `product` only, where the vendor has products) and sends the
    /// webhook of the change.
    fn set_status(
        &self,
        customer: &str,
        product: Option<&str>,
        status: SimStatus,
    ) -> Result<(), StatusError>;

    /// Scripts a customer's outcome (stored for later registrations, applied to a customer held now).
    fn script(&self, customer: &str, outcome: Outcome);

    /// A customer's status now, if the vendor holds the customer.
    fn status(&self, customer: &str) -> Option<SimStatus>;

    /// Sends the webhook of a customer's current status; `false` when there is no such customer.
    fn send_webhook(&self, customer: &str) -> bool;

    /// Forgets every customer, token and script.
    fn reset(&self);

    /// The state to keep across a restart.
    fn save(&self) -> Value;

    /// Takes back a saved state.
    fn load(&self, state: Value) -> Result<(), String>;
}

/// A room's records: locked by each operation, written to and read from the state file.
#[derive(Default)]
pub struct Records<T>(Mutex<T>);

impl<T: Default + Serialize + DeserializeOwned> Records<T> {
    /// The records, locked.
    pub fn lock(&self) -> MutexGuard<'_, T> {
        crate::progress::lock(&self.0)
    }

    /// The records as JSON (for [`Room::save`]).
    pub fn save(&self) -> Value {
        serde_json::to_value(&*self.lock()).unwrap_or(Value::Null)
    }

    /// Takes back saved records (for [`Room::load`]).
    pub fn load(&self, saved: Value) -> Result<(), String> {
        *self.lock() = serde_json::from_value(saved).map_err(|e| e.to_string())?;
        Ok(())
    }

    /// Forgets every record.
    pub fn clear(&self) {
        *self.lock() = T::default();
    }
}

/// The config section a [`SimClient`] is handed, as its vendor's type (the default when it is
/// another vendor's, which the registry never hands out).
pub fn section_as<C: Clone + Default + 'static>(section: &dyn Any) -> C {
    section.downcast_ref::<C>().cloned().unwrap_or_default()
}

/// What every vendor's config section has besides the vendor's own settings.
pub trait Section: Send + Sync {
    /// Random faults and latency.
    fn faults(&self) -> &FaultConfig;
    /// Random faults and latency, to change.
    fn faults_mut(&mut self) -> &mut FaultConfig;
    /// The rate limit the vendor enforces.
    fn rate_limit(&self) -> &RateLimit;
    /// The rate limit, to change.
    fn rate_limit_mut(&mut self) -> &mut RateLimit;
    /// The credentials the vendor accepts, as `(field, value)`: `api_key`, `api_secret`, `email`,
    /// `password`, `client_id`, `client_secret`, `totp_secret`, `app_token`, `secret_key`.
    fn credentials(&self) -> Vec<(&'static str, String)>;
    /// The section, for [`SimClient`] implementations to downcast.
    fn as_any(&self) -> &dyn Any;
}

/// How [`Simulator::client`](crate::Simulator::client) builds a client: no retries, no client-side
/// rate limit (the simulator enforces the vendor's), a 5 s timeout.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// Retries of idempotent operations.
    pub retry: RetryPolicy,
    /// `true`: the client also waits for the vendor's documented limits, as in production
    /// (`Context::new`); `false` (default): `RateLimits::none()`.
    pub client_rate_limits: bool,
    /// Connect and request timeout.
    pub timeout: Duration,
}

impl Default for ClientOptions {
    fn default() -> Self {
        Self {
            retry: RetryPolicy::none(),
            client_rate_limits: false,
            timeout: Duration::from_secs(5),
        }
    }
}

impl ClientOptions {
    /// The runtime context of a client with these options.
    pub fn context<A: rampkit_runtime::auth::Authenticator>(
        &self,
        auth: A,
    ) -> rampkit_runtime::Context<A> {
        let context = rampkit_runtime::Context::new(auth).with_retry(self.retry.clone());
        if self.client_rate_limits {
            context
        } else {
            context.with_rate_limits(rampkit_runtime::RateLimits::none())
        }
    }

    /// The HTTP client of a client with these options (no redirects, as the runtime wants).
    pub fn http(&self) -> rampkit_runtime::transport::HttpClient {
        rampkit_runtime::transport::HttpClient::new(rampkit_runtime::transport::Timeouts {
            connect: self.timeout,
            request: self.timeout,
        })
    }
}

/// A generated client the simulator can hand out, ready to talk to it
/// ([`Simulator::client`](crate::Simulator::client)).
pub trait SimClient: Sized {
    /// The vendor whose prefix the client's base URL takes.
    const VENDOR: &'static str;

    /// The client for `base_url` with the credentials of `section` (the vendor's config section).
    fn connect(base_url: &str, section: &dyn Any, options: &ClientOptions) -> Self;
}

/// Implements [`Section`] for a vendor's config struct, which has `faults: FaultConfig` and
/// `rate_limit: RateLimit` fields; `$credentials` lists `(field, value)` pairs from `$c`.
macro_rules! section {
    ($config:ty, |$c:ident| $credentials:expr) => {
        impl $crate::room::Section for $config {
            fn faults(&self) -> &$crate::faults::FaultConfig {
                &self.faults
            }
            fn faults_mut(&mut self) -> &mut $crate::faults::FaultConfig {
                &mut self.faults
            }
            fn rate_limit(&self) -> &$crate::limits::RateLimit {
                &self.rate_limit
            }
            fn rate_limit_mut(&mut self) -> &mut $crate::limits::RateLimit {
                &mut self.rate_limit
            }
            fn credentials(&self) -> Vec<(&'static str, String)> {
                let $c = self;
                $credentials
            }
            fn as_any(&self) -> &dyn ::std::any::Any {
                self
            }
        }
    };
}
pub(crate) use section;
