//! Request decoding into the generated types, JSON answers checked against the generated response
//! types, and the vendors' timestamp format.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Decodes a request body into the generated type of its operation. The error names the field and what
/// is wrong with it, never the value sent (it may be personal data).
pub fn decode<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    let mut de = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(value) => match de.end() {
            Ok(()) => Ok(value),
            Err(_) => Err("the body has trailing characters after the JSON value".to_owned()),
        },
        Err(error) => {
            let path = error.path().to_string();
            let inner = error.into_inner();
            Err(match inner.classify() {
                serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
                    "the body is not valid JSON".to_owned()
                }
                serde_json::error::Category::Io => "the body could not be read".to_owned(),
                serde_json::error::Category::Data => {
                    let text = inner.to_string();
                    let text = text.split(" at line ").next().unwrap_or_default();
                    if let Some(field) = text.strip_prefix("missing field ") {
                        if path == "." {
                            format!("missing field {field}")
                        } else {
                            format!("{path}: missing field {field}")
                        }
                    } else {
                        format!("{path}: invalid value")
                    }
                }
            })
        }
    }
}

/// A JSON answer with `status`, first decoded into `T` — the generated response type of the operation
/// — so that an answer the generated client could not read fails loudly (HTTP 500 naming the type and
/// the field) instead of reaching a test as a decoding error. Answers are built as JSON rather than
/// from the response structs, which are `#[non_exhaustive]` outside their crate. Fields whose value
/// is `null` are left out, as the vendors leave out what they do not know.
pub fn answer<T: DeserializeOwned>(status: StatusCode, mut body: serde_json::Value) -> Response {
    strip_nulls(&mut body);
    match serde_path_to_error::deserialize::<_, T>(&body) {
        Ok(_) => json(status, &body),
        Err(e) => json(
            StatusCode::INTERNAL_SERVER_ERROR,
            &serde_json::json!({
                "simulator_error": format!(
                    "the simulated answer does not decode as {}: `{}`",
                    std::any::type_name::<T>(),
                    e.path()
                )
            }),
        ),
    }
}

/// Leaves out every object field whose value is `null`.
pub fn strip_nulls(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

/// A JSON answer with `status`.
pub fn json<T: Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => (
            status,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            bytes,
        )
            .into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// HTTP 200 with a JSON body.
pub fn ok<T: Serialize>(body: &T) -> Response {
    json(StatusCode::OK, body)
}

/// The current time as the vendors print it: ISO 8601 UTC with milliseconds and `Z`.
pub fn now_iso() -> String {
    iso_from_ms(crate::progress::now_ms())
}

/// `ms` since the Unix epoch as ISO 8601 UTC with milliseconds and `Z`.
pub fn iso_from_ms(ms: u64) -> String {
    let secs = ms / 1000;
    let millis = ms % 1000;
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Inner {
        number: i64,
    }

    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Outer {
        email: String,
        inner: Inner,
    }

    #[test]
    fn errors_name_the_field_never_the_value() {
        let e = decode::<Outer>(br#"{"inner": {"number": 1}}"#).unwrap_err();
        assert_eq!(e, "missing field `email`");
        let e = decode::<Outer>(br#"{"email": "x", "inner": {}}"#).unwrap_err();
        assert_eq!(e, "inner: missing field `number`");
        let e =
            decode::<Outer>(br#"{"email": "x", "inner": {"number": "SECRET-VALUE"}}"#).unwrap_err();
        assert_eq!(e, "inner.number: invalid value");
        let e = decode::<Outer>(b"{not json").unwrap_err();
        assert_eq!(e, "the body is not valid JSON");
        assert!(decode::<Outer>(br#"{"email": "x", "inner": {"number": 2}}"#).is_ok());
    }

    #[test]
    fn timestamps_look_like_the_vendors() {
        assert_eq!(iso_from_ms(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_from_ms(1_767_225_600_123), "2026-01-01T00:00:00.123Z");
        let now = now_iso();
        assert_eq!(now.len(), 24, "{now}");
    }

    #[tokio::test]
    async fn answers_that_do_not_decode_are_a_loud_500() {
        let ok = answer::<Outer>(
            StatusCode::CREATED,
            serde_json::json!({"email": "x", "inner": {"number": 1}}),
        );
        assert_eq!(ok.status(), StatusCode::CREATED);
        let bad = answer::<Outer>(
            StatusCode::OK,
            serde_json::json!({"email": "x", "inner": {}}),
        );
        assert_eq!(bad.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(bad.into_body(), 1 << 16)
            .await
            .unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(text.contains("inner"), "{text}");
    }
}
