//! Documents left out of a JSON body while it is serialised: inside [`collect`], a `Base64Document`
//! serialises as a placeholder and its bytes are recorded here, so that the body writer can encode them
//! straight into the stream (see [`crate::body`]). A module of its own so that the document type and the
//! body writer each depend on it, not on each other.

use std::cell::RefCell;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;

/// A document whose placeholder is in the JSON text: its data-URI prefix (if any) and raw bytes.
pub(crate) struct DeferredDocument {
    pub(crate) prefix: Option<String>,
    pub(crate) bytes: Bytes,
}

struct Deferred {
    nonce: u64,
    documents: Vec<DeferredDocument>,
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

/// The placeholder of the `index`th document deferred under `nonce`.
pub(crate) fn placeholder(nonce: u64, index: usize) -> String {
    format!("rampkit-deferred-document-{nonce:016x}-{index}")
}

/// Runs `serialise` with documents deferred: returns its result, the nonce of the placeholders it
/// wrote, and the documents in the order of their placeholders.
pub(crate) fn collect<R>(serialise: impl FnOnce() -> R) -> (R, u64, Vec<DeferredDocument>) {
    let nonce = next_nonce();
    DEFERRED.with(|d| {
        *d.borrow_mut() = Some(Deferred {
            nonce,
            documents: Vec::new(),
        })
    });
    let result = serialise();
    let documents = DEFERRED
        .with(|d| d.borrow_mut().take())
        .map(|d| d.documents)
        .unwrap_or_default();
    (result, nonce, documents)
}

/// Called by `Base64Document::serialize`: inside [`collect`], records the document and returns the
/// placeholder to write instead. `None` outside [`collect`], or when the data-URI media type would
/// need JSON escaping (then the document is written the ordinary way).
pub(crate) fn defer(media_type: Option<&str>, bytes: &Bytes) -> Option<String> {
    if media_type.is_some_and(|m| m.chars().any(|c| c == '"' || c == '\\' || c.is_control())) {
        return None;
    }
    DEFERRED.with(|d| {
        let mut d = d.borrow_mut();
        let deferred = d.as_mut()?;
        let index = deferred.documents.len();
        deferred.documents.push(DeferredDocument {
            prefix: media_type.map(|m| format!("data:{m};base64,")),
            bytes: bytes.clone(),
        });
        Some(placeholder(deferred.nonce, index))
    })
}
