use std::borrow::Cow;
use std::fmt;

use base64::Engine as _;
use base64::display::Base64Display;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::deferred;
use crate::pii::REDACTED;

/// A base64-encoded image or document in a JSON body (`format: base64-document` in the specs).
///
/// The raw bytes are held as [`Bytes`], so building one from a `Vec<u8>` or a `Bytes` does not copy
/// them, and cloning is a reference-count bump. Serialising writes the base64 text straight into the
/// serialiser (through `collect_str`), without an intermediate `String` of the encoded payload.
///
/// Some vendors want a data URI (`data:image/jpeg;base64,…`: CryptoPocket images, Crossmint documents),
/// others the bare base64: build the value with [`Base64Document::data_uri`] or
/// [`Base64Document::plain`] accordingly. The spec says which one each field takes (`x-data-uri`).
///
/// `Debug` and `Display` print [`REDACTED`]: a passport scan is personal data.
///
/// ```
/// use rampkit_runtime::Base64Document;
/// let doc = Base64Document::data_uri(vec![0xff, 0xd8, 0xff], "image/jpeg");
/// assert_eq!(serde_json::to_string(&doc).unwrap(), "\"data:image/jpeg;base64,/9j/\"");
/// assert_eq!(format!("{doc:?}"), "[redacted]");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Base64Document {
    bytes: Bytes,
    media_type: Option<Cow<'static, str>>,
}

impl Base64Document {
    /// Bare base64, no data-URI prefix.
    pub fn plain(bytes: impl Into<Bytes>) -> Self {
        Self {
            bytes: bytes.into(),
            media_type: None,
        }
    }

    /// A data URI: `data:<media_type>;base64,<base64>`.
    pub fn data_uri(bytes: impl Into<Bytes>, media_type: impl Into<Cow<'static, str>>) -> Self {
        Self {
            bytes: bytes.into(),
            media_type: Some(media_type.into()),
        }
    }

    /// The decoded bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The media type of the data-URI prefix, if the value is written as a data URI.
    pub fn media_type(&self) -> Option<&str> {
        self.media_type.as_deref()
    }

    /// The length of the text this value serialises to (without JSON quotes).
    pub fn encoded_len(&self) -> usize {
        let prefix = self
            .media_type
            .as_ref()
            .map_or(0, |m| "data:".len() + m.len() + ";base64,".len());
        prefix + self.bytes.len().div_ceil(3) * 4
    }
}

/// The wire text, written piecewise into whatever formatter or serialiser asks for it.
struct WireText<'a>(&'a Base64Document);

impl fmt::Display for WireText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(media_type) = &self.0.media_type {
            write!(f, "data:{media_type};base64,")?;
        }
        Base64Display::new(&self.0.bytes, &STANDARD).fmt(f)
    }
}

impl Serialize for Base64Document {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Inside `to_json_body`, leave a placeholder: the body writer encodes the bytes straight into
        // its final buffer (one pass, no JSON escaping of megabytes of base64).
        if let Some(placeholder) = deferred::defer(self.media_type(), &self.bytes) {
            return serializer.serialize_str(&placeholder);
        }
        serializer.collect_str(&WireText(self))
    }
}

/// Why a base64-document value could not be decoded. Never carries the payload itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Base64DocumentError {
    /// A `data:` URI without the `;base64,` marker.
    #[error("base64-document: data URI is not base64-encoded")]
    NotBase64DataUri,
    /// The payload is not valid standard base64.
    #[error("base64-document: payload is not valid base64")]
    InvalidBase64,
}

impl std::str::FromStr for Base64Document {
    type Err = Base64DocumentError;

    /// Parses either a `data:<mime>;base64,<payload>` URI or bare base64.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (media_type, payload) = match s.strip_prefix("data:") {
            Some(rest) => {
                let (media_type, payload) = rest
                    .split_once(";base64,")
                    .ok_or(Base64DocumentError::NotBase64DataUri)?;
                (Some(Cow::Owned(media_type.to_owned())), payload)
            }
            None => (None, s),
        };
        let bytes = STANDARD
            .decode(payload)
            .map_err(|_| Base64DocumentError::InvalidBase64)?;
        Ok(Self {
            bytes: Bytes::from(bytes),
            media_type,
        })
    }
}

impl<'de> Deserialize<'de> for Base64Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl fmt::Debug for Base64Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl fmt::Display for Base64Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_data_uri_serialise_like_a_reference_encoder() {
        let raw: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        let expected = STANDARD.encode(&raw);
        let plain = Base64Document::plain(raw.clone());
        assert_eq!(
            serde_json::to_value(&plain).unwrap(),
            serde_json::Value::String(expected.clone())
        );
        assert_eq!(plain.encoded_len(), expected.len());
        let uri = Base64Document::data_uri(raw, "image/png");
        let text = format!("data:image/png;base64,{expected}");
        assert_eq!(
            serde_json::to_value(&uri).unwrap(),
            serde_json::Value::String(text.clone())
        );
        assert_eq!(uri.encoded_len(), text.len());
    }

    #[test]
    fn round_trips_and_rejects_without_echoing_the_payload() {
        let uri: Base64Document = serde_json::from_str("\"data:image/jpeg;base64,/9j/\"").unwrap();
        assert_eq!(uri.media_type(), Some("image/jpeg"));
        assert_eq!(uri.bytes().as_ref(), &[0xff, 0xd8, 0xff]);
        let plain: Base64Document = serde_json::from_str("\"/9j/\"").unwrap();
        assert_eq!(plain.media_type(), None);
        let err = serde_json::from_str::<Base64Document>("\"SECRETSECRET!!\"").unwrap_err();
        assert!(!err.to_string().contains("SECRET"), "{err}");
        let err = serde_json::from_str::<Base64Document>("\"data:image/png,SECRET\"").unwrap_err();
        assert!(!err.to_string().contains("SECRET"), "{err}");
    }

    #[test]
    fn redacted_in_debug_and_display() {
        let doc = Base64Document::plain(b"passport".to_vec());
        assert_eq!(
            format!("{doc:?} {doc} {doc:#?}"),
            "[redacted] [redacted] [redacted]"
        );
    }
}
