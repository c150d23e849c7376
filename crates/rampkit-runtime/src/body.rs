//! JSON request bodies written into a buffer sized up front.
//!
//! A delegated-KYC registration carries four images of several megabytes. `reqwest`'s `.json()` grows
//! its buffer by doubling (so the last growth alone can hold twice the body) and `serde_json` escapes
//! every character of the base64 it is given. The generator instead sends `to_json_body(body)`: the
//! small JSON around the documents is serialised first, then the final buffer is reserved at its exact
//! size and each document is base64-encoded straight into it, and the buffer is handed to `reqwest`
//! without a copy.

use std::cell::RefCell;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Serialize;

/// `body` as JSON, with every `Base64Document` base64-encoded straight into the final buffer.
///
/// The body is first serialised with a short placeholder in place of each document; the final buffer
/// is then reserved at its exact size and filled by copying the JSON around the placeholders and
/// encoding each document's bytes in place — one pass over the image bytes, no intermediate string,
/// no JSON escaping of base64 (which needs none), and no regrowth.
pub fn to_json_body<T: Serialize>(body: &T) -> Result<Vec<u8>, serde_json::Error> {
    let nonce = next_nonce();
    DEFERRED.with(|d| {
        *d.borrow_mut() = Some(Deferred {
            nonce,
            documents: Vec::new(),
        })
    });
    let head = serde_json::to_vec(body);
    let deferred = DEFERRED
        .with(|d| d.borrow_mut().take())
        .map(|d| d.documents)
        .unwrap_or_default();
    let head = head?;
    if deferred.is_empty() {
        return Ok(head);
    }
    let placeholders: usize = (0..deferred.len())
        .map(|i| placeholder(nonce, i).len())
        .sum();
    let total = head.len() - placeholders + deferred.iter().map(|d| d.encoded_len()).sum::<usize>();
    let mut out = Vec::with_capacity(total);
    let mut rest = head.as_slice();
    for (index, document) in deferred.iter().enumerate() {
        let marker = placeholder(nonce, index);
        let at =
            find(rest, marker.as_bytes()).expect("each deferred document left its placeholder");
        out.extend_from_slice(&rest[..at]);
        if let Some(prefix) = document.prefix() {
            out.extend_from_slice(prefix.as_bytes());
        }
        let start = out.len();
        let len = document.bytes().len().div_ceil(3) * 4;
        out.resize(start + len, 0);
        let written = STANDARD
            .encode_slice(document.bytes(), &mut out[start..])
            .expect("the buffer was sized for the encoded length");
        debug_assert_eq!(written, len);
        rest = &rest[at + marker.len()..];
    }
    out.extend_from_slice(rest);
    Ok(out)
}

struct Deferred {
    nonce: u64,
    documents: Vec<crate::Base64Document>,
}

thread_local! {
    static DEFERRED: RefCell<Option<Deferred>> = const { RefCell::new(None) };
}

fn next_nonce() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

fn placeholder(nonce: u64, index: usize) -> String {
    format!("rampkit-deferred-document-{nonce:016x}-{index}")
}

/// Called by `Base64Document::serialize`: inside `to_json_body`, records the document and returns the
/// placeholder to write instead. `None` outside `to_json_body`, or when the data-URI media type would
/// need JSON escaping (then the document is written the ordinary way).
pub(crate) fn defer_document(document: &crate::Base64Document) -> Option<String> {
    if document
        .media_type()
        .is_some_and(|m| m.chars().any(|c| c == '"' || c == '\\' || c.is_control()))
    {
        return None;
    }
    DEFERRED.with(|d| {
        let mut d = d.borrow_mut();
        let deferred = d.as_mut()?;
        let index = deferred.documents.len();
        deferred.documents.push(document.clone());
        Some(placeholder(deferred.nonce, index))
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
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

    #[test]
    fn the_buffer_is_sized_once_and_never_regrown() {
        let upload = Upload {
            kind: "passport",
            file: Base64Document::data_uri(vec![7u8; 3_000_000], "image/jpeg"),
        };
        let body = to_json_body(&upload).unwrap();
        assert_eq!(
            body.capacity(),
            body.len(),
            "written once into a buffer of the exact size"
        );
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(
            value["file"]
                .as_str()
                .unwrap()
                .starts_with("data:image/jpeg;base64,BwcH")
        );
    }

    #[test]
    fn several_documents_match_plain_serde_json_byte_for_byte() {
        #[derive(Serialize)]
        struct Two {
            a: Option<Base64Document>,
            note: &'static str,
            b: Vec<Base64Document>,
        }
        let two = Two {
            a: Some(Base64Document::data_uri(vec![1, 2, 3, 4], "image/png")),
            note: "quote \" inside",
            b: vec![
                Base64Document::plain(vec![255; 10]),
                Base64Document::data_uri(vec![], "application/pdf"),
            ],
        };
        let body = to_json_body(&two).unwrap();
        assert_eq!(body, serde_json::to_vec(&two).unwrap());
        assert_eq!(body.capacity(), body.len(), "exact size");
        // Outside to_json_body, documents serialise the ordinary way (no placeholder left behind).
        assert_eq!(
            serde_json::to_string(&Base64Document::plain(vec![0])).unwrap(),
            "\"AA==\""
        );
    }
}
