//! How a failed attempt becomes an [`Error`]: the status of an answer decides its kind (the body is kept
//! as received), a network failure is "nothing sent", "transient" or "outcome unknown", and the vendor's
//! error code and message are taken from whatever fields the vendor uses.

use bytes::Bytes;
use reqwest::header::HeaderMap;
use serde::Serialize;
use serde_json::Value;

use crate::attempt::Captured;
use crate::error::{DecodeError, Error, ErrorKind, TransportError};
use crate::meta::OperationMeta;
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
pub(crate) async fn classify<E: Serialize>(
    provider: &'static str,
    op: &'static OperationMeta,
    e: progenitor_client::Error<E>,
    captured: Option<Captured>,
) -> (Error, bool) {
    use progenitor_client::Error as Raw;
    let new = |kind| Error::new(provider, op.id, kind);
    if let Some(c) = captured {
        // A non-success answer, whatever progenitor made of its body (a typed error, an error body that
        // does not decode, a status the spec does not list): the status decides.
        return (
            from_response(provider, op.id, op.idempotent, c.status, &c.headers, c.body),
            false,
        );
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
            transport(provider, op, e)
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
            (
                from_response(provider, op.id, op.idempotent, status, &headers, body),
                false,
            )
        }
        Raw::UnexpectedResponse(response) => {
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = response.bytes().await.unwrap_or_default();
            (
                from_response(provider, op.id, op.idempotent, status, &headers, body),
                false,
            )
        }
    }
}

/// A network failure. Nothing was sent when the connection could not be made (refused, DNS, TLS
/// handshake); after that — a timeout, a reset, a body that could not be read — the vendor may have
/// processed the request, which for a non-idempotent operation is an unknown outcome.
fn transport(provider: &'static str, op: &OperationMeta, e: reqwest::Error) -> (Error, bool) {
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

/// An answer that is not a success: the status decides the kind and the retry, whatever the body
/// holds; the body is kept exactly as received.
pub(crate) fn from_response(
    provider: &'static str,
    operation: &'static str,
    idempotent: bool,
    status: u16,
    headers: &HeaderMap,
    body: Bytes,
) -> Error {
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
    } else if !idempotent && matches!(status, 502 | 504) {
        // A gateway answered: the vendor behind it may have processed the registration.
        ErrorKind::OutcomeUnknown
    } else {
        kind_for_status(status)
    };
    let error = new(kind)
        .with_vendor(code, message)
        .with_raw_body(body)
        .with_retry_after(retry_after(headers));
    if kind == ErrorKind::Undecodable {
        error.with_detail("a success status the spec does not list")
    } else {
        error
    }
}
