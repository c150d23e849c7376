//! Reading an answer: the generated `exec` hook, which keeps a non-success answer for the attempt, and
//! [`response_value`], which decodes a JSON answer for the generated code.

use progenitor_client::ResponseValue;

use crate::attempt::{Captured, in_attempt, keep_answer};

/// Sends one request: the generated `ClientHooks::exec` hook. A non-success answer is read whole here,
/// before progenitor decodes it, so that [`crate::call`] classifies it by its status and headers whatever
/// its body is (an HTML 502 from a gateway, an empty 429 with `Retry-After`), and keeps the body exactly
/// as received for [`crate::Error::raw_body`]. Progenitor gets the same answer back.
pub async fn exec(
    http: &reqwest::Client,
    request: reqwest::Request,
) -> reqwest::Result<reqwest::Response> {
    let response = http.execute(request).await?;
    if response.status().is_success() || !in_attempt() {
        return Ok(response);
    }
    // Boxed: reading a failed answer is the rare path, and its state would otherwise enlarge every
    // call's future (and what is moved and touched per call).
    Box::pin(capture(response)).await
}

/// Decodes a JSON answer into a [`ResponseValue`]: what progenitor's `ResponseValue::from_response`
/// does, with the same errors, but the answer's headers are moved into the value instead of cloned
/// (the generated code calls this instead; one header-map copy less on every call).
pub async fn response_value<T: serde::de::DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, progenitor_client::Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let full = response
        .bytes()
        .await
        .map_err(progenitor_client::Error::ResponseBodyError)?;
    let inner = serde_json::from_slice(&full)
        .map_err(|e| progenitor_client::Error::InvalidResponsePayload(full, e))?;
    Ok(ResponseValue::new(inner, status, headers))
}

/// Reads a non-success answer whole, keeps it for the attempt, and hands progenitor the same answer.
async fn capture(response: reqwest::Response) -> reqwest::Result<reqwest::Response> {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    // Kept after the await: the body was read in later polls (each of which set the attempt).
    keep_answer(Captured {
        status: status.as_u16(),
        headers: headers.clone(),
        body: body.clone(),
    });
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.headers_mut() = headers;
    Ok(reqwest::Response::from(rebuilt))
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
