//! Reading an answer: the generated `exec` hook, which keeps a non-success answer for the attempt, and
//! [`response_value`], which decodes a JSON answer for the generated code — both reading bodies chunk by
//! chunk up to the attempt's [`BodyLimits`](crate::BodyLimits).

use bytes::{Bytes, BytesMut};
use progenitor_client::ResponseValue;
use reqwest::Url;

use crate::attempt::{Captured, Seen, current_limits, in_attempt, keep};

/// Sends one request: the generated `ClientHooks::exec` hook. A non-success answer is read here (up to
/// [`BodyLimits::error`](crate::BodyLimits::error)), before progenitor decodes it, so that
/// [`crate::call`] classifies it by its status and headers whatever its body is (an HTML 502 from a
/// gateway, an empty 429 with `Retry-After`), and keeps the body as received for
/// [`crate::Error::raw_body`]. Progenitor gets the same answer back.
///
/// An answer from another host than the one the request was sent to means the HTTP client followed a
/// redirect — a caller's own `reqwest::Client` that was not built through
/// [`HttpClient`](crate::transport::HttpClient). The credentials have already reached that host; at
/// least its answer is not taken for the vendor's: [`crate::call`] fails with
/// [`ErrorKind::Redirect`](crate::ErrorKind::Redirect), and the body is not read.
pub async fn exec(
    http: &reqwest::Client,
    request: reqwest::Request,
) -> reqwest::Result<reqwest::Response> {
    if !in_attempt() {
        return http.execute(request).await;
    }
    let sent = request.url().clone();
    let response = http.execute(request).await?;
    if !same_origin(&sent, response.url()) {
        keep(Seen::Redirected {
            host: response.url().host_str().map(str::to_owned),
        });
        return Ok(rebuilt(response.status(), Default::default(), Bytes::new()));
    }
    if response.status().is_success() {
        return Ok(response);
    }
    // Boxed: reading a failed answer is the rare path, and its state would otherwise enlarge every
    // call's future (and what is moved and touched per call).
    Box::pin(capture(response, current_limits().error)).await
}

/// Whether two URLs have the same scheme, host and port.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Decodes a JSON answer into a [`ResponseValue`]: what progenitor's `ResponseValue::from_response`
/// does, with the same errors, but the answer's headers are moved into the value instead of cloned
/// (the generated code calls this instead; one header-map copy less on every call), and the body is
/// read only up to [`BodyLimits::success`](crate::BodyLimits::success): a longer one is an
/// `InvalidResponsePayload` with no bytes, which [`crate::call`] reports as
/// [`ErrorKind::ResponseTooLarge`](crate::ErrorKind::ResponseTooLarge).
pub async fn response_value<T: serde::de::DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, progenitor_client::Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let limit = current_limits().success;
    // A body whose `Content-Length` is already over the limit is not read at all.
    let read = if response.content_length().is_some_and(|l| l > limit as u64) {
        Read::Over(Bytes::new())
    } else {
        read_limited(&mut response, limit)
            .await
            .map_err(progenitor_client::Error::ResponseBodyError)?
    };
    let full = match read {
        Read::Whole(full) => full,
        Read::Over(_) => {
            keep(Seen::TooLarge {
                status: status.as_u16(),
            });
            let error = <serde_json::Error as serde::de::Error>::custom(
                "the response body is larger than the client's limit (BodyLimits::success)",
            );
            return Err(progenitor_client::Error::InvalidResponsePayload(
                Bytes::new(),
                error,
            ));
        }
    };
    let inner = serde_json::from_slice(&full)
        .map_err(|e| progenitor_client::Error::InvalidResponsePayload(full, e))?;
    Ok(ResponseValue::new(inner, status, headers))
}

/// Reads a non-success answer up to `limit`, keeps it for the attempt, and hands progenitor the same
/// answer (the part read).
async fn capture(
    mut response: reqwest::Response,
    limit: usize,
) -> reqwest::Result<reqwest::Response> {
    let status = response.status();
    let headers = response.headers().clone();
    let (body, truncated) = match read_limited(&mut response, limit).await? {
        Read::Whole(body) => (body, false),
        Read::Over(start) => (start, true),
    };
    // Kept after the await: the body was read in later polls (each of which set the attempt).
    keep(Seen::Failed(Captured {
        status: status.as_u16(),
        headers: headers.clone(),
        body: body.clone(),
        truncated,
    }));
    Ok(rebuilt(status, headers, body))
}

fn rebuilt(
    status: reqwest::StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Bytes,
) -> reqwest::Response {
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.headers_mut() = headers;
    reqwest::Response::from(rebuilt)
}

/// A body read up to a limit.
pub(crate) enum Read {
    /// The whole body.
    Whole(Bytes),
    /// The body is longer than the limit: its first `limit` bytes (none when its `Content-Length`
    /// already said so); the rest was not read.
    Over(Bytes),
}

/// Reads `response`'s body as it arrives, stopping after `limit` bytes: memory stays within the limit
/// (and one chunk) whatever the body's length, declared or not. A body that arrives in one chunk (most
/// answers) is returned as that chunk, without a copy.
pub(crate) async fn read_limited(
    response: &mut reqwest::Response,
    limit: usize,
) -> reqwest::Result<Read> {
    let declared = response.content_length();
    let Some(mut first) = response.chunk().await? else {
        return Ok(Read::Whole(Bytes::new()));
    };
    if first.len() > limit {
        first.truncate(limit);
        return Ok(Read::Over(first));
    }
    let Some(mut next) = response.chunk().await? else {
        return Ok(Read::Whole(first));
    };
    let capacity = declared.map_or(limit.min(1 << 20), |d| d.min(limit as u64) as usize);
    let mut body = BytesMut::with_capacity(capacity.max(first.len() + next.len()));
    body.extend_from_slice(&first);
    loop {
        let room = limit - body.len();
        if next.len() > room {
            body.extend_from_slice(&next[..room]);
            return Ok(Read::Over(body.freeze()));
        }
        body.extend_from_slice(&next);
        match response.chunk().await? {
            Some(chunk) => next = chunk,
            None => return Ok(Read::Whole(body.freeze())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn answer(status: u16, body: &'static str) -> reqwest::Response {
        let mut response = http::Response::new(body);
        *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
        response
            .headers_mut()
            .insert("x-request-id", http::HeaderValue::from_static("r-1"));
        response
            .headers_mut()
            .append("set-cookie", http::HeaderValue::from_static("a=1"));
        response
            .headers_mut()
            .append("set-cookie", http::HeaderValue::from_static("b=2"));
        reqwest::Response::from(response)
    }

    /// `response_value` gives what progenitor's `ResponseValue::from_response` gives: the same value,
    /// status and headers (repeated ones included), and the same errors.
    #[tokio::test]
    async fn response_value_matches_progenitors_from_response() {
        type Out = Result<ResponseValue<Value>, progenitor_client::Error<()>>;
        let body = r#"{"userId":"u-1","n":[1,2]}"#;
        let ours: Out = response_value(answer(201, body)).await;
        let theirs: Out = ResponseValue::from_response(answer(201, body)).await;
        let (ours, theirs) = (ours.unwrap(), theirs.unwrap());
        assert_eq!(ours.status(), theirs.status());
        assert_eq!(ours.headers(), theirs.headers());
        assert_eq!(ours.headers().get_all("set-cookie").iter().count(), 2);
        assert_eq!(ours.into_inner(), theirs.into_inner());

        let ours: Out = response_value(answer(200, "{not json")).await;
        let theirs: Out = ResponseValue::from_response(answer(200, "{not json")).await;
        match (ours, theirs) {
            (
                Err(progenitor_client::Error::InvalidResponsePayload(a, e)),
                Err(progenitor_client::Error::InvalidResponsePayload(b, f)),
            ) => {
                assert_eq!(a, b);
                assert_eq!(e.to_string(), f.to_string());
            }
            other => panic!("both undecodable: {other:?}"),
        }
    }
}
