//! How a failed attempt becomes an [`Error`]: the status of an answer decides its kind (the body is kept
//! as received), a network failure is "nothing sent", "transient" or "outcome unknown", and the vendor's
//! error code and message are taken from whatever fields the vendor uses.

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;

use crate::attempt::Captured;
use crate::body_limits::BodyLimits;
use crate::error::{DecodeError, Error, ErrorKind, TransportError};
use crate::meta::OperationMeta;
use crate::response::{Read, read_limited};
use crate::retry::retry_after;

/// The error kind an HTTP status stands for.
pub fn kind_for_status(status: u16) -> ErrorKind {
    match status {
        401 | 403 => ErrorKind::Authentication,
        404 => ErrorKind::NotFound,
        409 => ErrorKind::Conflict,
        429 => ErrorKind::RateLimited,
        408 => ErrorKind::Transient,
        500..=599 => ErrorKind::Server,
        _ => ErrorKind::InvalidInput,
    }
}

/// The vendor's error code and message in an error body, whatever the vendor calls them:
/// CryptoPocket `error`/`message`, Crossmint `code`/`message`, Leap `code`/`reason`, Kriptomat
/// `message`, SumSub `code`/`description`.
pub fn vendor_code_and_message(body: &Value) -> (Option<String>, Option<String>) {
    let text = |v: &Value| match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let code = ["error", "code", "errorCode", "error_code"]
        .iter()
        .find_map(|k| body.get(*k).and_then(text));
    let message = [
        "message",
        "reason",
        "description",
        "detail",
        "error_description",
    ]
    .iter()
    .find_map(|k| body.get(*k).and_then(text));
    (code, message)
}

/// Classifies a failed attempt; the flag says whether the request certainly never left this machine.
/// `captured` is the non-success answer `exec` kept; `base_url` and `limits` are the client's.
pub(crate) async fn classify<E: Serialize>(
    provider: &'static str,
    op: &'static OperationMeta,
    e: progenitor_client::Error<E>,
    captured: Option<Captured>,
    base_url: &str,
    limits: BodyLimits,
) -> (Error, bool) {
    use progenitor_client::Error as Raw;
    let new = |kind| Error::new(provider, op.id, kind);
    if let Some(c) = captured {
        // A non-success answer, whatever progenitor made of its body (a typed error, an error body that
        // does not decode, a status the spec does not list): the status decides.
        return (from_response(provider, op.id, op.idempotent, c), false);
    }
    match e {
        Raw::InvalidRequest(_) => (
            new(ErrorKind::InvalidInput).with_detail("the request could not be built"),
            true,
        ),
        Raw::Custom(_) => (
            new(ErrorKind::Authentication)
                .with_detail("credentials could not be attached; the request was not sent"),
            true,
        ),
        Raw::CommunicationError(e) | Raw::InvalidUpgrade(e) | Raw::ResponseBodyError(e) => {
            transport(provider, op, e, base_url)
        }
        Raw::InvalidResponsePayload(bytes, e) => (
            new(ErrorKind::Undecodable)
                .with_raw_body(bytes)
                .with_source(DecodeError::from(&e)),
            false,
        ),
        // Not captured: only outside `call`, where `exec` does not keep the answer.
        Raw::ErrorResponse(response) => {
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = serde_json::to_vec(&response.into_inner())
                .map(Bytes::from)
                .unwrap_or_default();
            let answer = Captured {
                status,
                headers,
                body,
                truncated: false,
            };
            (from_response(provider, op.id, op.idempotent, answer), false)
        }
        // A success status the spec does not list (`exec` keeps only non-success answers): an error,
        // so read like one.
        Raw::UnexpectedResponse(mut response) => {
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let (body, truncated) = match read_limited(&mut response, limits.error).await {
                Ok(Read::Whole(body)) => (body, false),
                Ok(Read::Over(start)) => (start, true),
                Err(_) => (Bytes::new(), false),
            };
            let answer = Captured {
                status,
                headers,
                body,
                truncated,
            };
            (from_response(provider, op.id, op.idempotent, answer), false)
        }
    }
}

/// A network failure. Nothing was sent when the connection could not be made (refused, DNS, TLS
/// handshake) or the request could not be built; after that — a timeout, a reset, a body that could
/// not be read — the vendor may have processed the request, which for a non-idempotent operation is an
/// unknown outcome.
fn transport(
    provider: &'static str,
    op: &OperationMeta,
    e: reqwest::Error,
    base_url: &str,
) -> (Error, bool) {
    if e.is_builder() {
        return (not_built(provider, op.id, base_url, e), true);
    }
    let nothing_sent = e.is_connect();
    let status = e.status().map(|s| s.as_u16());
    let kind = if nothing_sent || op.idempotent {
        ErrorKind::Transient
    } else {
        ErrorKind::OutcomeUnknown
    };
    let error = Error::new(provider, op.id, kind).with_source(TransportError::from(e));
    let error = match status {
        Some(s) => error.with_status(s),
        None => error,
    };
    (error, nothing_sent)
}

/// A request `reqwest` refused to build or send (nothing left the machine): almost always a base URL
/// that is not an absolute `http`/`https` URL (`Client::new("not-a-url")`) — a configuration error,
/// never retried — otherwise a request the generated code could not build.
pub(crate) fn not_built(
    provider: &'static str,
    operation: &'static str,
    base_url: &str,
    e: reqwest::Error,
) -> Error {
    if !is_base_url(base_url) {
        return Error::new(provider, operation, ErrorKind::Configuration)
            .with_detail(BAD_BASE_URL)
            .with_source(TransportError::from(e));
    }
    Error::new(provider, operation, ErrorKind::InvalidInput)
        .with_detail("the request could not be built; it was not sent")
        .with_source(TransportError::from(e))
}

/// What a base URL that is not one is told (never the value: it may hold credentials).
const BAD_BASE_URL: &str = concat!(
    "the base URL (Client::new's baseurl, Environment::Custom) is not an absolute http or https URL;",
    " nothing was sent"
);

/// Whether `url` is an absolute `http`/`https` URL with a host: what a base URL must be.
pub(crate) fn is_base_url(url: &str) -> bool {
    reqwest::Url::parse(url).is_ok_and(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
    })
}

/// The answer of another host, reached through a redirect the HTTP client followed: never the vendor's
/// answer.
pub(crate) fn followed_redirect(
    provider: &'static str,
    operation: &'static str,
    host: Option<String>,
) -> Error {
    Error::new(provider, operation, ErrorKind::Redirect)
        .with_redirect_host(host)
        .with_detail(concat!(
            "the caller's HTTP client followed it (build the client with transport::HttpClient);",
            " that host's answer was not used"
        ))
}

/// A success answer longer than the client reads.
pub(crate) fn too_large(provider: &'static str, operation: &'static str, status: u16) -> Error {
    Error::new(provider, operation, ErrorKind::ResponseTooLarge)
        .with_status(status)
        .with_detail(
            "the answer is larger than the client's limit (BodyLimits::success); it was not read",
        )
}

/// Whether a non-idempotent request answered `status` may have been carried out: every 5xx except those
/// that say the request was left alone — 501 (method not implemented), 503 (unavailable: overload or
/// maintenance), 505 (HTTP version not supported), 511 (a network's login portal answered, not the
/// vendor). A 500 can come after the record was written; a gateway (502, 504, Cloudflare's 520–527) may
/// have passed the request on.
fn may_have_been_processed(status: u16) -> bool {
    (500..600).contains(&status) && !matches!(status, 501 | 503 | 505 | 511)
}

/// An answer that is not a success: the status decides the kind and the retry, whatever the body
/// holds; the body is kept as received (up to the client's error body limit).
pub(crate) fn from_response(
    provider: &'static str,
    operation: &'static str,
    idempotent: bool,
    answer: Captured,
) -> Error {
    let Captured {
        status,
        headers,
        body,
        truncated,
    } = answer;
    let new = |kind| Error::new(provider, operation, kind).with_status(status);
    if (300..400).contains(&status) {
        // Never followed (see `transport::http_client`): name the host, never the path or query.
        let host = headers
            .get(reqwest::header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|l| reqwest::Url::parse(l).ok())
            .and_then(|u| u.host_str().map(str::to_owned));
        return new(ErrorKind::Redirect)
            .with_redirect_host(host)
            .with_detail("rampkit follows no redirects; check the base URL");
    }
    let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let (code, message) = vendor_code_and_message(&value);
    let kind = if (200..300).contains(&status) {
        ErrorKind::Undecodable
    } else if !idempotent && may_have_been_processed(status) {
        ErrorKind::OutcomeUnknown
    } else {
        kind_for_status(status)
    };
    let error = new(kind)
        .with_vendor(code, message)
        .with_retry_after(retry_after(&headers));
    let error = if truncated {
        error.with_truncated_body(body)
    } else {
        error.with_raw_body(body)
    };
    if kind == ErrorKind::Undecodable {
        error.with_detail("a success status the spec does not list")
    } else {
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderMap;

    /// The outcome table of a non-idempotent call, status by status.
    #[test]
    fn a_non_idempotent_5xx_is_an_unknown_outcome_unless_it_says_nothing_was_done() {
        let answer = |status| Captured {
            status,
            headers: HeaderMap::new(),
            body: Bytes::new(),
            truncated: false,
        };
        for status in [500, 502, 504, 507, 520, 522, 524, 599] {
            let error = from_response("p", "register", false, answer(status));
            assert_eq!(error.kind(), ErrorKind::OutcomeUnknown, "{status}");
            assert!(!error.is_retryable());
            let error = from_response("p", "get", true, answer(status));
            assert_eq!(error.kind(), ErrorKind::Server, "{status}, idempotent");
        }
        for (status, kind) in [
            (501, ErrorKind::Server),
            (503, ErrorKind::Server),
            (505, ErrorKind::Server),
            (511, ErrorKind::Server),
            (429, ErrorKind::RateLimited),
            (408, ErrorKind::Transient),
            (409, ErrorKind::Conflict),
            (400, ErrorKind::InvalidInput),
        ] {
            let error = from_response("p", "register", false, answer(status));
            assert_eq!(error.kind(), kind, "{status}");
            assert!(!error.outcome_unknown());
        }
    }

    #[test]
    fn base_urls() {
        for good in [
            "http://127.0.0.1:9",
            "https://sandbox.vendor.example/api",
            "http://[::1]:80",
        ] {
            assert!(is_base_url(good), "{good}");
        }
        for bad in [
            "not-a-url",
            "127.0.0.1:9",
            "http://",
            "ftp://host",
            "file:///etc",
            "",
            "mailto:a@b.c",
        ] {
            assert!(!is_base_url(bad), "{bad}");
        }
    }
}
