//! Images and scans of the canonical model: raw bytes plus the media type their magic bytes show.

use std::borrow::Cow;
use std::fmt;

use base64::Engine as _;
use base64::display::Base64Display;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use rampkit_runtime::Base64Document;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The file formats the canonical model accepts, detected from the bytes (never from a file name or a
/// declared type).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum MediaType {
    /// JPEG image (`FF D8 FF`).
    Jpeg,
    /// PNG image (`89 50 4E 47`).
    Png,
    /// PDF document (`%PDF`), accepted for identity-document scans only.
    Pdf,
}

impl MediaType {
    /// Formats accepted for identity-document scans.
    pub const DOCUMENT_SCANS: &'static [MediaType] =
        &[MediaType::Jpeg, MediaType::Png, MediaType::Pdf];
    /// Formats accepted for biometric captures (a selfie is a picture, not a PDF).
    pub const PICTURES: &'static [MediaType] = &[MediaType::Jpeg, MediaType::Png];

    /// Detects the format from the magic bytes (with the `infer` crate); `None` for anything else.
    pub fn detect(bytes: &[u8]) -> Option<Self> {
        if infer::image::is_jpeg(bytes) {
            Some(MediaType::Jpeg)
        } else if infer::image::is_png(bytes) {
            Some(MediaType::Png)
        } else if infer::archive::is_pdf(bytes) {
            Some(MediaType::Pdf)
        } else {
            None
        }
    }

    /// The IANA media type (`image/jpeg`, `image/png`, `application/pdf`).
    pub const fn mime(self) -> &'static str {
        match self {
            MediaType::Jpeg => "image/jpeg",
            MediaType::Png => "image/png",
            MediaType::Pdf => "application/pdf",
        }
    }

    /// A short name for messages (`JPEG`, `PNG`, `PDF`).
    pub const fn name(self) -> &'static str {
        match self {
            MediaType::Jpeg => "JPEG",
            MediaType::Png => "PNG",
            MediaType::Pdf => "PDF",
        }
    }
}

impl fmt::Display for MediaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.mime())
    }
}

/// An image or scan: its bytes, held as [`Bytes`] (cloning and conversion never copy them), and the
/// media type detected from them when it was built.
///
/// In the canonical JSON an image is a **base64 string** (RFC 4648 standard alphabet, with padding).
/// A `data:<mime>;base64,` prefix is accepted on input and ignored: the media type always comes from the
/// bytes. Output is bare base64.
///
/// Provider conversions do not build strings: [`Image::to_data_uri`] (CryptoPocket, Crossmint) and
/// [`Image::to_base64`] hand the same bytes to [`Base64Document`], which writes the base64 straight into
/// the request's JSON body.
///
/// `Debug` shows the media type and size only; `Display` is not implemented.
#[derive(Clone, PartialEq, Eq)]
pub struct Image {
    bytes: Bytes,
    media_type: Option<MediaType>,
}

impl Image {
    /// Wraps the bytes (without copying a `Vec<u8>` or `Bytes`) and detects their media type.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        let bytes = bytes.into();
        let media_type = MediaType::detect(&bytes);
        Self { bytes, media_type }
    }

    /// Decodes the canonical JSON form: base64, optionally behind a `data:<mime>;base64,` prefix.
    pub fn from_base64(text: &str) -> Result<Self, ImageDecodeError> {
        let payload = match text.strip_prefix("data:") {
            Some(rest) => {
                rest.split_once(";base64,")
                    .ok_or(ImageDecodeError::NotBase64DataUri)?
                    .1
            }
            None => text,
        };
        let bytes = STANDARD
            .decode(payload)
            .map_err(|_| ImageDecodeError::InvalidBase64)?;
        Ok(Self::new(bytes))
    }

    /// The raw bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    /// The number of raw bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// The media type detected from the bytes; `None` when they are not JPEG, PNG or PDF.
    pub fn media_type(&self) -> Option<MediaType> {
        self.media_type
    }

    /// Whether the bytes are a complete, well-formed file of their media type — a JPEG from its headers
    /// to its end-of-image marker, a PNG with every chunk's CRC right up to `IEND`, a PDF with its header
    /// and `%%EOF` trailer — and not only the right first bytes. `false` when the media type is unknown.
    ///
    /// Holds no decoded copy of the image (a PNG's rows pass through one reused row buffer);
    /// [`Customer::validate`](crate::Customer::validate) calls it for every image.
    pub fn is_well_formed(&self) -> bool {
        self.media_type.is_some_and(|media_type| {
            super::file_structure::is_well_formed(media_type, &self.bytes)
        })
    }

    /// A `data:<mime>;base64,…` payload for vendors that want a data URI (CryptoPocket images, Crossmint
    /// documents). Shares the bytes; fails only when the media type is unknown, which validation rejects.
    pub fn to_data_uri(&self) -> Result<Base64Document, UnknownMediaType> {
        let media_type = self.media_type.ok_or(UnknownMediaType)?;
        Ok(Base64Document::data_uri(
            self.bytes.clone(),
            media_type.mime(),
        ))
    }

    /// A bare base64 payload. Shares the bytes.
    pub fn to_base64(&self) -> Base64Document {
        Base64Document::plain(self.bytes.clone())
    }
}

impl fmt::Debug for Image {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Image")
            .field("media_type", &self.media_type)
            .field("len", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

impl Serialize for Image {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&Base64Display::new(&self.bytes, &STANDARD))
    }
}

impl<'de> Deserialize<'de> for Image {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<'de, str>::deserialize(deserializer)?;
        Image::from_base64(&text).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Image {
    fn schema_name() -> Cow<'static, str> {
        "Image".into()
    }

    fn schema_id() -> Cow<'static, str> {
        concat!(module_path!(), "::Image").into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "contentEncoding": "base64",
            "description": "The file's bytes as standard base64 (RFC 4648, with padding); a data:<mime>;base64, prefix is accepted and ignored. The bytes must be a complete, well-formed JPEG, PNG or (document scans only) PDF file: the type is detected from the magic bytes, then the structure is checked (JPEG headers to the end-of-image marker, every PNG chunk to IEND, a PDF's header and %%EOF trailer).",
        })
    }
}

/// Why an image's JSON text could not be decoded. Never carries the payload.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageDecodeError {
    /// A `data:` URI without the `;base64,` marker.
    #[error("image: data URI is not base64-encoded")]
    NotBase64DataUri,
    /// The payload is not valid standard base64.
    #[error("image: payload is not valid base64")]
    InvalidBase64,
}

/// The image is not JPEG, PNG or PDF, so it has no media type for a data URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("image is not a JPEG, PNG or PDF file")]
pub struct UnknownMediaType;

#[cfg(test)]
mod tests {
    use super::*;

    const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F'];
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";

    #[test]
    fn media_type_comes_from_magic_bytes() {
        assert_eq!(MediaType::detect(JPEG), Some(MediaType::Jpeg));
        assert_eq!(MediaType::detect(PNG), Some(MediaType::Png));
        assert_eq!(MediaType::detect(PDF), Some(MediaType::Pdf));
        assert_eq!(MediaType::detect(b"GIF89a......"), None);
        assert_eq!(MediaType::detect(b""), None);
    }

    #[test]
    fn data_uri_and_plain_share_the_bytes() {
        let image = Image::new(Bytes::from_static(JPEG));
        let uri = image.to_data_uri().unwrap();
        assert_eq!(uri.media_type(), Some("image/jpeg"));
        assert_eq!(uri.bytes().as_ptr(), image.bytes().as_ptr(), "no copy");
        assert_eq!(image.to_base64().bytes().as_ptr(), image.bytes().as_ptr());
        assert_eq!(
            serde_json::to_string(&uri).unwrap(),
            format!("\"data:image/jpeg;base64,{}\"", STANDARD.encode(JPEG))
        );
        assert_eq!(
            Image::new(b"GIF89a".to_vec()).to_data_uri(),
            Err(UnknownMediaType)
        );
    }

    #[test]
    fn json_form_is_base64_and_accepts_a_data_uri() {
        let image = Image::new(PNG.to_vec());
        let json = serde_json::to_string(&image).unwrap();
        assert_eq!(json, format!("\"{}\"", STANDARD.encode(PNG)));
        assert_eq!(serde_json::from_str::<Image>(&json).unwrap(), image);
        let from_uri: Image = serde_json::from_str(&format!(
            "\"data:image/jpeg;base64,{}\"",
            STANDARD.encode(PNG)
        ))
        .unwrap();
        assert_eq!(from_uri.media_type(), Some(MediaType::Png), "bytes decide");
        let err = serde_json::from_str::<Image>("\"SECRET-not-base64!\"").unwrap_err();
        assert!(!err.to_string().contains("SECRET"), "{err}");
    }

    #[test]
    fn debug_shows_no_bytes() {
        let image = Image::new(PDF.to_vec());
        assert_eq!(
            format!("{image:?}"),
            format!("Image {{ media_type: Some(Pdf), len: {}, .. }}", PDF.len())
        );
    }
}
