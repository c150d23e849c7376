//! Whether the bytes of an image or scan make a complete, well-formed file — not just the right first
//! bytes. A 3-byte "JPEG", a photo cut off in transfer, or a PNG signature followed by garbage passes
//! magic-byte detection; each is refused here, before a vendor receives it.
//!
//! No decoded image is ever held: a 10 MiB file is walked in place (JPEG, PDF) or streamed through a
//! one-row buffer (PNG). Cost for 5 MiB files: docs/benchmarks.md (`cargo bench -p rampkit --bench
//! image_structure`).
//!
//! - **JPEG**: the JPEG decoder `zune-jpeg` (the one the `image` crate uses) parses the headers in strict
//!   mode — tables, frame, a non-zero width and height within the decoder's default size limits — and stops at the first scan. The
//!   rest is checked by following the file's markers (ITU-T T.81, annex B): every segment fits inside the
//!   file, every scan's entropy-coded data ends at a marker, and an end-of-image marker (EOI) closes the
//!   picture after at least one scan. A file cut anywhere has no EOI after its last scan (an EOI inside
//!   an APP segment, the end of an EXIF thumbnail, is skipped with its segment). Bytes after EOI are
//!   allowed: phones append maker data or a motion-photo video there, and the picture is complete.
//!   `zune-jpeg` offers no header-to-EOI walk without decoding every pixel, hence the marker walk. The
//!   entropy-coded data is not Huffman-decoded: a file crafted with valid headers, random scan bytes and
//!   an EOI passes — it is a complete JPEG whose picture is noise, which a reviewer sees as such.
//! - **PNG**: the `png` crate (image-rs) reads every chunk to `IEND`, checking each chunk's CRC-32, and
//!   inflates the image data row by row (its Adler-32 checked, the row count the header's) into one
//!   reused row buffer: the pixels pass through, one row at a time, and are not kept.
//! - **PDF**: `%PDF-` and a `major.minor` version at the start, and `%%EOF` within the last 1024 bytes
//!   (where Acrobat looks for it: PDF 1.7 reference, implementation note 18). A PDF is not parsed further.

use std::io::Cursor;

use zune_jpeg::JpegDecoder;
use zune_jpeg::zune_core::bytestream::ZCursor;
use zune_jpeg::zune_core::options::DecoderOptions;

use super::MediaType;

/// Whether `bytes` is a complete, well-formed file of `media_type`.
pub(super) fn is_well_formed(media_type: MediaType, bytes: &[u8]) -> bool {
    match media_type {
        MediaType::Jpeg => jpeg(bytes),
        MediaType::Png => png(bytes),
        MediaType::Pdf => pdf(bytes),
    }
}

fn jpeg(bytes: &[u8]) -> bool {
    let options = DecoderOptions::default().set_strict_mode(true);
    let mut decoder = JpegDecoder::new_with_options(ZCursor::new(bytes), options);
    let headers_ok = decoder.decode_headers().is_ok()
        && decoder
            .info()
            .is_some_and(|info| info.width > 0 && info.height > 0);
    headers_ok && jpeg_ends_with_eoi(bytes)
}

/// Follows the markers from SOI: every segment inside the file, every scan closed by a marker, and EOI
/// after at least one scan.
fn jpeg_ends_with_eoi(bytes: &[u8]) -> bool {
    const SOI: u8 = 0xD8;
    const EOI: u8 = 0xD9;
    const SOS: u8 = 0xDA;
    const TEM: u8 = 0x01;
    if bytes.get(..2) != Some(&[0xFF, SOI]) {
        return false;
    }
    let mut at = 2;
    let mut scanned = false;
    loop {
        // A marker: 0xFF, any number of 0xFF fill bytes, then its code.
        if bytes.get(at) != Some(&0xFF) {
            return false;
        }
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let Some(&code) = bytes.get(at) else {
            return false;
        };
        at += 1;
        match code {
            EOI => return scanned,
            // Standalone markers (restart markers, TEM) have no length.
            0xD0..=0xD7 | TEM => {}
            // A stuffed zero outside a scan, or a second start of image.
            0x00 | SOI => return false,
            _ => {
                let Some(&[high, low]) = bytes.get(at..at + 2) else {
                    return false;
                };
                let length = usize::from(u16::from_be_bytes([high, low]));
                if length < 2 || at + length > bytes.len() {
                    return false;
                }
                at += length;
                if code == SOS {
                    scanned = true;
                    match next_marker(&bytes[at..]) {
                        Some(offset) => at += offset,
                        None => return false,
                    }
                }
            }
        }
    }
}

/// The offset of the marker that ends entropy-coded data: a 0xFF followed by neither 0x00 (a stuffed
/// data byte) nor a restart marker (0xD0–0xD7); `None` when the data runs to the end of the file.
fn next_marker(data: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(offset) = data[from..].iter().position(|&b| b == 0xFF) {
        let at = from + offset;
        match data.get(at + 1)? {
            0x00 | 0xD0..=0xD7 => from = at + 2,
            // A fill byte: the marker starts at the next 0xFF.
            0xFF => from = at + 1,
            _ => return Some(at),
        }
    }
    None
}

fn png(bytes: &[u8]) -> bool {
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.ignore_checksums(false);
    let Ok(mut reader) = decoder.read_info() else {
        return false;
    };
    // Row by row, into one reused row buffer: the compressed stream must inflate (Adler-32 checked) to
    // exactly the rows the header announces. A CRC is no signature: chunks of garbage with correct CRCs
    // are refused here.
    loop {
        match reader.next_row() {
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => return false,
        }
    }
    // Every remaining chunk up to IEND, each CRC checked.
    reader.finish().is_ok()
}

fn pdf(bytes: &[u8]) -> bool {
    let version = bytes.get(5..8);
    let header = bytes.starts_with(b"%PDF-")
        && version.is_some_and(|v| v[0].is_ascii_digit() && v[1] == b'.' && v[2].is_ascii_digit());
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    header && tail.windows(5).any(|w| w == b"%%EOF")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy_coded_data_ends_at_a_real_marker() {
        // Stuffed 0xFF 0x00 and a restart marker are data; fill bytes come before the marker.
        assert_eq!(
            next_marker(&[1, 0xFF, 0x00, 2, 0xFF, 0xD3, 3, 0xFF, 0xD9]),
            Some(7)
        );
        assert_eq!(next_marker(&[1, 0xFF, 0xFF, 0xD9]), Some(2));
        assert_eq!(next_marker(&[1, 2, 3]), None);
        assert_eq!(next_marker(&[1, 0xFF]), None);
        assert_eq!(next_marker(&[1, 0xFF, 0x00]), None);
    }

    #[test]
    fn a_marker_walk_needs_a_scan_before_eoi() {
        assert!(!jpeg_ends_with_eoi(&[0xFF, 0xD8, 0xFF, 0xD9]));
        // SOI, SOS (length 2, no data), EOI.
        assert!(jpeg_ends_with_eoi(&[
            0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 0xFF, 0xD9
        ]));
        // A segment longer than the file.
        assert!(!jpeg_ends_with_eoi(&[
            0xFF, 0xD8, 0xFF, 0xE1, 0x10, 0, 0xFF, 0xD9
        ]));
        assert!(!jpeg_ends_with_eoi(&[0xFF, 0xD8, 0xFF]));
        assert!(!jpeg_ends_with_eoi(&[]));
    }
}
