//! What happens to a request before its operation runs: counting, latency, the vendor's rate limit and
//! injected faults.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

use crate::config::{FaultConfig, FaultKind, RateLimits, Vendor};
use crate::state::Shared;

/// One vendor's limiters.
#[derive(Default)]
struct VendorLimiters {
    writes: Option<DefaultDirectRateLimiter>,
    reads: Option<DefaultDirectRateLimiter>,
}

/// Every vendor's limiters.
pub struct Limiters {
    vendors: [VendorLimiters; 5],
}

fn per_minute(limit: Option<u32>) -> Option<DefaultDirectRateLimiter> {
    let n = NonZeroU32::new(limit?)?;
    Some(RateLimiter::direct(Quota::per_minute(n)))
}

impl Limiters {
    pub fn new(limits: &RateLimits) -> Self {
        Self {
            vendors: Vendor::ALL.map(|vendor| {
                let limit = limits.get(vendor);
                VendorLimiters {
                    writes: per_minute(limit.writes_per_minute),
                    reads: per_minute(limit.reads_per_minute),
                }
            }),
        }
    }

    /// `Err(wait)` when `vendor` is over its limit for this kind of request.
    fn check(&self, vendor: Vendor, method: &Method) -> Result<(), Duration> {
        let limiters = &self.vendors[vendor.index()];
        let limiter = if method == Method::GET {
            &limiters.reads
        } else {
            &limiters.writes
        };
        match limiter {
            Some(limiter) => limiter
                .check()
                .map_err(|not_until| not_until.wait_time_from(DefaultClock::default().now())),
            None => Ok(()),
        }
    }
}

/// Draws the fault of one request, if any.
fn draw(config: &FaultConfig) -> Option<FaultKind> {
    if config.rate <= 0.0 || fastrand::f64() >= config.rate {
        return None;
    }
    let weights = config.weights();
    let total: u32 = weights.iter().map(|(_, w)| w).sum();
    if total == 0 {
        return None;
    }
    let mut pick = fastrand::u32(..total);
    for (kind, weight) in weights {
        if pick < weight {
            return Some(kind);
        }
        pick -= weight;
    }
    None
}

/// HTTP 429 in the vendor's shape, with `Retry-After` in whole seconds (at least 1).
pub fn too_many_requests(vendor: Vendor, wait: Duration) -> Response {
    let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let mut response = crate::vendor_error(
        vendor,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
        "Too many requests",
    );
    if let Ok(value) = HeaderValue::from_str(&secs.max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

const BAD_GATEWAY_HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";

/// The middleware in front of every vendor's routes.
pub async fn vendor_layer(
    State((shared, vendor)): State<(Arc<Shared>, Vendor)>,
    request: Request,
    next: Next,
) -> Response {
    shared.counters.request(vendor);
    let faults = shared.config.faults.get(vendor);
    if faults.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(faults.latency_ms)).await;
    }
    if let Err(wait) = shared.limiters.check(vendor, request.method()) {
        return too_many_requests(vendor, wait);
    }
    match draw(faults) {
        None => next.run(request).await,
        Some(FaultKind::Status503Json) => crate::vendor_error(
            vendor,
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            "Service temporarily unavailable",
        ),
        Some(FaultKind::Status502Html) => (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, HeaderValue::from_static("text/html"))],
            BAD_GATEWAY_HTML,
        )
            .into_response(),
        Some(FaultKind::Status429) => {
            too_many_requests(vendor, Duration::from_secs(faults.retry_after_secs))
        }
        Some(FaultKind::Reset) => {
            // The status line and headers go out; the body fails at once, so the server cuts the
            // connection and the client sees it closed mid-answer.
            let stream = futures_util::stream::once(async {
                Err::<bytes::Bytes, std::io::Error>(std::io::Error::new(
                    std::io::ErrorKind::ConnectionReset,
                    "simulated connection reset",
                ))
            });
            (
                StatusCode::OK,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                Body::from_stream(stream),
            )
                .into_response()
        }
        Some(FaultKind::TimeoutAfterProcessing) => {
            let response = next.run(request).await;
            tokio::time::sleep(Duration::from_millis(faults.hold_ms)).await;
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_follow_rate_and_weights() {
        assert_eq!(draw(&FaultConfig::default()), None);
        let only = FaultConfig::only(FaultKind::Reset, 1.0);
        for _ in 0..100 {
            assert_eq!(draw(&only), Some(FaultKind::Reset));
        }
        let half = FaultConfig::with_rate(0.5);
        let hits = (0..4000).filter(|_| draw(&half).is_some()).count();
        assert!((1600..2400).contains(&hits), "{hits}");
    }

    #[test]
    fn limits_count_reads_and_writes_apart() {
        let limits = RateLimits {
            crossmint: crate::config::RateLimit {
                writes_per_minute: Some(2),
                reads_per_minute: Some(1),
            },
            ..RateLimits::none()
        };
        let limiters = Limiters::new(&limits);
        assert!(limiters.check(Vendor::Crossmint, &Method::PUT).is_ok());
        assert!(limiters.check(Vendor::Crossmint, &Method::POST).is_ok());
        let wait = limiters.check(Vendor::Crossmint, &Method::PUT).unwrap_err();
        assert!(
            wait > Duration::ZERO && wait <= Duration::from_secs(30),
            "{wait:?}"
        );
        assert!(limiters.check(Vendor::Crossmint, &Method::GET).is_ok());
        assert!(limiters.check(Vendor::Crossmint, &Method::GET).is_err());
        for _ in 0..1000 {
            assert!(limiters.check(Vendor::Leap, &Method::POST).is_ok());
        }
    }
}
