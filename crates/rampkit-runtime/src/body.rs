//! JSON request bodies written into a buffer sized up front.
//!
//! A delegated-KYC registration carries four images of several megabytes. `reqwest`'s `.json()` grows
//! its buffer by doubling, so the last growth alone can hold twice the body; the generator instead
//! sends `to_json_body(body)`, whose buffer is sized from [`JsonBody::json_size_hint`] (the exact
//! base64 length of every `Base64Document` field plus room for the rest), so the body is written once,
//! in place, and handed to `reqwest` without a copy.

use serde::Serialize;

/// Room for everything in a request body that is not a base64 document.
pub const SMALL_BODY: usize = 4096;

/// A request body type that can tell how large its JSON will be. The generator implements it for
/// every request body; types with `format: base64-document` fields add their encoded lengths.
pub trait JsonBody {
    /// Bytes the JSON form will take, at least approximately (an underestimate only costs a regrowth).
    fn json_size_hint(&self) -> usize {
        SMALL_BODY
    }
}

/// `body` as JSON in a buffer reserved from its size hint.
pub fn to_json_body<T: Serialize + JsonBody>(body: &T) -> Result<Vec<u8>, serde_json::Error> {
    let mut buffer = Vec::with_capacity(body.json_size_hint());
    serde_json::to_writer(&mut buffer, body)?;
    Ok(buffer)
}

/// The encoded length of an optional document field, for size hints.
pub fn document_len(document: Option<&crate::Base64Document>) -> usize {
    document.map_or(0, crate::Base64Document::encoded_len)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Base64Document;

    #[derive(Serialize)]
    struct Upload {
        kind: &'static str,
        file: Base64Document,
    }

    impl JsonBody for Upload {
        fn json_size_hint(&self) -> usize {
            SMALL_BODY + self.file.encoded_len()
        }
    }

    #[test]
    fn the_buffer_is_sized_once_and_never_regrown() {
        let upload = Upload {
            kind: "passport",
            file: Base64Document::data_uri(vec![7u8; 3_000_000], "image/jpeg"),
        };
        let body = to_json_body(&upload).unwrap();
        assert!(
            body.capacity() <= upload.json_size_hint(),
            "no regrowth: {} > {}",
            body.capacity(),
            upload.json_size_hint()
        );
        assert!(body.capacity() - body.len() <= SMALL_BODY);
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(
            value["file"]
                .as_str()
                .unwrap()
                .starts_with("data:image/jpeg;base64,BwcH")
        );
    }
}
