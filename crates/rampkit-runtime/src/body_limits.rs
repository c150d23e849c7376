//! How much of an answer a client reads.

/// How much of an answer is read: set per client with [`crate::Context::with_body_limits`] (logins use
/// the defaults). Bodies are read as they arrive, chunk by chunk, so these bound the memory one call
/// can take, whatever the vendor — or a host pretending to be one — sends.
///
/// The defaults: every success answer the five vendors document is a few kilobytes of JSON (documents
/// go up, never come back), so 16 MiB is far beyond a real answer while keeping a runaway one from
/// costing a gigabyte; an error answer is classified by its status, and 64 KiB of it is more than any
/// documented error body or gateway page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyLimits {
    /// The longest success body read (default 16 MiB). A longer one — declared by its
    /// `Content-Length`, or found while reading — is not read further: the call fails with
    /// [`ErrorKind::ResponseTooLarge`](crate::ErrorKind::ResponseTooLarge) and nothing of it is kept.
    pub success: usize,
    /// How much of an error body is read and kept as [`crate::Error::raw_body`] (default 64 KiB). The
    /// error is classified by its status as usual; the rest is not read
    /// ([`crate::Error::raw_body_truncated`]).
    pub error: usize,
}

impl BodyLimits {
    /// 16 MiB.
    pub const DEFAULT_SUCCESS: usize = 16 << 20;
    /// 64 KiB.
    pub const DEFAULT_ERROR: usize = 64 << 10;
}

impl Default for BodyLimits {
    fn default() -> Self {
        Self {
            success: Self::DEFAULT_SUCCESS,
            error: Self::DEFAULT_ERROR,
        }
    }
}
