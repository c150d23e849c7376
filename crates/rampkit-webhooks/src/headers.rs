use crate::WebhookError;

/// Read access to the headers of a delivery, whatever the web framework.
///
/// Implemented for [`http::HeaderMap`] (axum, hyper, actix's `http` re-export, reqwest) and for lists of
/// `(name, value)` pairs. Names are matched ASCII case-insensitively; when a header appears more than
/// once, the first value counts.
pub trait HeaderLookup {
    /// The raw bytes of the first value of header `name`, if present.
    fn header(&self, name: &str) -> Option<&[u8]>;
}

impl HeaderLookup for http::HeaderMap {
    fn header(&self, name: &str) -> Option<&[u8]> {
        // `HeaderMap::get` with a `&str` lower-cases the name before the lookup.
        self.get(name).map(http::HeaderValue::as_bytes)
    }
}

impl<N: AsRef<str>, V: AsRef<[u8]>> HeaderLookup for [(N, V)] {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.iter()
            .find(|(n, _)| n.as_ref().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_ref())
    }
}

impl<N: AsRef<str>, V: AsRef<[u8]>, const K: usize> HeaderLookup for [(N, V); K] {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.as_slice().header(name)
    }
}

impl<N: AsRef<str>, V: AsRef<[u8]>> HeaderLookup for Vec<(N, V)> {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.as_slice().header(name)
    }
}

impl<T: HeaderLookup + ?Sized> HeaderLookup for &T {
    fn header(&self, name: &str) -> Option<&[u8]> {
        (**self).header(name)
    }
}

/// A header the scheme requires, as trimmed, non-empty text.
pub(crate) fn required<'h, H: HeaderLookup + ?Sized>(
    headers: &'h H,
    name: &'static str,
) -> Result<&'h str, WebhookError> {
    let raw = headers
        .header(name)
        .ok_or(WebhookError::MissingHeader(name))?;
    let text = std::str::from_utf8(raw)
        .map_err(|_| WebhookError::MalformedHeader(name))?
        .trim();
    if text.is_empty() {
        return Err(WebhookError::MalformedHeader(name));
    }
    Ok(text)
}

/// An informational header: `None` when absent, empty or not text.
pub(crate) fn optional<'h, H: HeaderLookup + ?Sized>(
    headers: &'h H,
    name: &str,
) -> Option<&'h str> {
    let text = std::str::from_utf8(headers.header(name)?).ok()?.trim();
    (!text.is_empty()).then_some(text)
}
