//! Request decoding into the generated types, and JSON answers.

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
}
