//! JSON request bodies that stream their identity documents.
//!
//! A delegated-KYC registration carries four images of several megabytes. Holding the whole body
//! (the images again, as base64, one third larger) doubles a call's memory; `reqwest`'s `.json()` also
//! grows its buffer by doubling and `serde_json` escapes every character of the base64 it is given.
//! The generator instead sends [`to_json_body`]`(body)`: the small JSON around the documents is
//! serialised once (each document leaves a placeholder), and the body is sent as a stream of an exact,
//! known length (so `Content-Length`, never chunked): the JSON pieces as they are, each document
//! base64-encoded 48 KiB at a time as the connection asks for more. Neither the encoded document nor the
//! whole body is ever held; the document bytes are shared (`Bytes`), never copied, so a retried
//! idempotent upload re-streams from the same bytes.

#[cfg(feature = "client")]
use std::convert::Infallible;
use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use serde::Serialize;

use crate::deferred;

/// Raw document bytes encoded per chunk: a multiple of 3 (so chunks concatenate into one base64 text
/// with no padding inside), 64 KiB once encoded.
const CHUNK_RAW: usize = 48 * 1024;

/// A JSON request body whose `Base64Document` values are encoded only as the body is written.
///
/// Built by [`to_json_body`]. Its length is known up front ([`JsonBody::len`]); it converts into a
/// `reqwest::Body` of that exact length and implements `http_body::Body` (feature `client`), so any
/// hyper-based client can send it; it is also an iterator over the body's pieces. [`JsonBody::to_vec`] writes the same bytes into one buffer of
/// exactly that size (for tests, signing, or a transport that wants a buffer).
///
/// `Debug` shows the length and the number of documents, never the content: the JSON carries
/// personal data.
pub struct JsonBody {
    segments: Vec<Segment>,
    len: usize,
    // Streaming position: the segment being written, and how many raw bytes of a document are sent.
    index: usize,
    offset: usize,
    remaining: u64,
}

enum Segment {
    /// JSON text as it is (including any data-URI prefix of the document that follows).
    Json(Bytes),
    /// Raw document bytes, written as standard base64.
    Document(Bytes),
}

impl Segment {
    fn wire_len(&self) -> usize {
        match self {
            Segment::Json(b) => b.len(),
            Segment::Document(b) => b.len().div_ceil(3) * 4,
        }
    }
}

impl JsonBody {
    fn new(segments: Vec<Segment>) -> Self {
        let len = segments.iter().map(Segment::wire_len).sum();
        Self {
            segments,
            len,
            index: 0,
            offset: 0,
            remaining: len as u64,
        }
    }

    /// The length of the whole body in bytes (its `Content-Length`).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the body is empty (never, for a JSON value).
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many documents are streamed rather than held as JSON text.
    pub fn streamed_documents(&self) -> usize {
        self.segments
            .iter()
            .filter(|s| matches!(s, Segment::Document(_)))
            .count()
    }

    /// The whole body in one buffer of exactly [`len`](Self::len) bytes — the same bytes the stream
    /// writes, and the same bytes `serde_json::to_vec` writes for the value.
    pub fn to_vec(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len);
        for segment in &self.segments {
            match segment {
                Segment::Json(b) => out.extend_from_slice(b),
                Segment::Document(raw) => {
                    let start = out.len();
                    out.resize(start + segment.wire_len(), 0);
                    let written = STANDARD
                        .encode_slice(raw, &mut out[start..])
                        .expect("the buffer was sized for the encoded length");
                    debug_assert_eq!(start + written, out.len());
                }
            }
        }
        out
    }

    /// The next piece of the body to write, or `None` at the end.
    fn next_chunk(&mut self) -> Option<Bytes> {
        loop {
            let segment = self.segments.get_mut(self.index)?;
            let chunk = match segment {
                Segment::Json(text) => {
                    self.index += 1;
                    std::mem::take(text)
                }
                Segment::Document(raw) => {
                    if self.offset >= raw.len() {
                        self.index += 1;
                        self.offset = 0;
                        continue;
                    }
                    let end = raw.len().min(self.offset + CHUNK_RAW);
                    let piece = &raw[self.offset..end];
                    let mut encoded = vec![0u8; piece.len().div_ceil(3) * 4];
                    let written = STANDARD
                        .encode_slice(piece, &mut encoded)
                        .expect("the buffer was sized for the encoded length");
                    debug_assert_eq!(written, encoded.len());
                    self.offset = end;
                    Bytes::from(encoded)
                }
            };
            if chunk.is_empty() {
                continue;
            }
            self.remaining -= chunk.len() as u64;
            return Some(chunk);
        }
    }
}

impl fmt::Debug for JsonBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonBody")
            .field("len", &self.len)
            .field("streamed_documents", &self.streamed_documents())
            .finish_non_exhaustive()
    }
}

impl Iterator for JsonBody {
    type Item = Bytes;

    /// The body's pieces in order: JSON text, then each document's base64 in chunks of 64 KiB.
    fn next(&mut self) -> Option<Bytes> {
        self.next_chunk()
    }
}

#[cfg(feature = "client")]
impl http_body::Body for JsonBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Bytes>, Infallible>>> {
        std::task::Poll::Ready(
            self.get_mut()
                .next_chunk()
                .map(|c| Ok(http_body::Frame::data(c))),
        )
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.remaining)
    }
}

#[cfg(feature = "client")]
impl From<JsonBody> for reqwest::Body {
    /// A body without documents is one reusable buffer; one with documents is streamed with its exact
    /// length (sent as `Content-Length`, never chunked).
    fn from(body: JsonBody) -> Self {
        match body.segments.as_slice() {
            // No documents: the body is one JSON text, sent as one reusable buffer.
            [Segment::Json(text)] => reqwest::Body::from(text.clone()),
            _ => reqwest::Body::wrap(body),
        }
    }
}

/// `body` as JSON, with every `Base64Document` left to be base64-encoded as the body is written.
///
/// The value is serialised once with a short placeholder in place of each document; the JSON around
/// the placeholders becomes the body's text pieces, and each document's bytes are shared, not copied.
/// The result's bytes are exactly `serde_json::to_vec(body)`.
pub fn to_json_body<T: Serialize>(body: &T) -> Result<JsonBody, serde_json::Error> {
    let (head, nonce, deferred) = deferred::collect(|| serde_json::to_vec(body));
    let head = head?;
    if deferred.is_empty() {
        return Ok(JsonBody::new(vec![Segment::Json(Bytes::from(head))]));
    }
    let mut segments = Vec::with_capacity(deferred.len() * 2 + 1);
    let mut rest = head.as_slice();
    for (index, document) in deferred.iter().enumerate() {
        let marker = deferred::placeholder(nonce, index);
        let at =
            find(rest, marker.as_bytes()).expect("each deferred document left its placeholder");
        let mut text = rest[..at].to_vec();
        if let Some(prefix) = &document.prefix {
            text.extend_from_slice(prefix.as_bytes());
        }
        segments.push(Segment::Json(Bytes::from(text)));
        segments.push(Segment::Document(document.bytes.clone()));
        rest = &rest[at + marker.len()..];
    }
    segments.push(Segment::Json(Bytes::copy_from_slice(rest)));
    Ok(JsonBody::new(segments))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base64_document::Base64Document;

    #[derive(Serialize)]
    struct Upload {
        kind: &'static str,
        file: Base64Document,
    }

    #[test]
    fn a_document_is_streamed_in_chunks_and_never_held_encoded() {
        let raw: Vec<u8> = (0..3_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
        let upload = Upload {
            kind: "passport",
            file: Base64Document::data_uri(raw, "image/jpeg"),
        };
        let expected = serde_json::to_vec(&upload).unwrap();
        let body = to_json_body(&upload).unwrap();
        assert_eq!(
            body.len(),
            expected.len(),
            "the exact length is known up front"
        );
        assert_eq!(body.streamed_documents(), 1);
        let shared = upload.file.bytes().as_ptr();
        assert!(
            body.segments
                .iter()
                .any(|s| matches!(s, Segment::Document(b) if b.as_ptr() == shared)),
            "the document's bytes are shared, not copied"
        );
        let whole = body.to_vec();
        assert_eq!(
            whole.capacity(),
            whole.len(),
            "to_vec sizes its buffer once"
        );
        assert_eq!(whole, expected);
        let mut streamed = Vec::new();
        let mut largest = 0;
        let mut pieces = 0;
        for piece in body {
            largest = largest.max(piece.len());
            pieces += 1;
            streamed.extend_from_slice(&piece);
        }
        assert_eq!(streamed, expected, "the stream writes serde_json's bytes");
        assert_eq!(
            largest,
            CHUNK_RAW / 3 * 4,
            "no piece larger than one encoded chunk"
        );
        assert!(pieces > 60, "{pieces} pieces");
    }

    #[test]
    fn several_documents_match_plain_serde_json_byte_for_byte() {
        #[derive(Serialize)]
        struct Two {
            a: Option<Base64Document>,
            note: &'static str,
            b: Vec<Base64Document>,
            c: Base64Document,
        }
        // Lengths around the chunk boundary and the three base64 padding cases.
        for len in [
            0,
            1,
            2,
            3,
            CHUNK_RAW - 1,
            CHUNK_RAW,
            CHUNK_RAW + 1,
            CHUNK_RAW * 2 + 2,
        ] {
            let bytes: Vec<u8> = (0..len).map(|i| (i % 256) as u8).collect();
            let two = Two {
                a: Some(Base64Document::data_uri(bytes.clone(), "image/png")),
                note: "quote \" inside",
                b: vec![
                    Base64Document::plain(bytes.clone()),
                    Base64Document::data_uri(vec![], "application/pdf"),
                ],
                // A media type that needs JSON escaping is written the ordinary way.
                c: Base64Document::data_uri(bytes, "image/\"odd\""),
            };
            let expected = serde_json::to_vec(&two).unwrap();
            let body = to_json_body(&two).unwrap();
            assert_eq!(body.streamed_documents(), 3, "len {len}");
            assert_eq!(body.len(), expected.len(), "len {len}");
            assert_eq!(body.to_vec(), expected, "len {len}");
            let streamed: Vec<u8> = body.flat_map(|p| p.to_vec()).collect();
            assert_eq!(streamed, expected, "len {len}");
        }
        // Outside to_json_body, documents serialise the ordinary way (no placeholder left behind).
        assert_eq!(
            serde_json::to_string(&Base64Document::plain(vec![0])).unwrap(),
            "\"AA==\""
        );
    }

    #[test]
    fn a_body_without_documents_is_one_piece_and_debug_shows_no_content() {
        let body = to_json_body(&serde_json::json!({"name": "Planted Name"})).unwrap();
        assert_eq!(body.streamed_documents(), 0);
        let debug = format!("{body:?}");
        assert!(!debug.contains("Planted"), "{debug}");
        assert!(debug.contains("len"), "{debug}");
        assert_eq!(
            body.collect::<Vec<_>>(),
            vec![Bytes::from_static(br#"{"name":"Planted Name"}"#)]
        );
    }

    #[cfg(feature = "client")]
    #[test]
    fn the_reqwest_body_has_the_exact_length() {
        use http_body::Body as _;
        let upload = Upload {
            kind: "selfie",
            file: Base64Document::plain(vec![9u8; 100_000]),
        };
        let expected = serde_json::to_vec(&upload).unwrap().len() as u64;
        let body = reqwest::Body::from(to_json_body(&upload).unwrap());
        assert_eq!(body.size_hint().exact(), Some(expected));
        let small = reqwest::Body::from(to_json_body(&serde_json::json!({"a": 1})).unwrap());
        assert_eq!(
            small.as_bytes(),
            Some(&br#"{"a":1}"#[..]),
            "no documents: one reusable buffer"
        );
    }
}
