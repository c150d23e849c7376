//! Hostile input an integrating team's audit sent (issue 8, point 7): truncated and corrupt images,
//! names carrying control or bidi characters, over-long names, a NUL in a document number, loosely
//! written dates, personal data in JSON keys, duplicate keys, and a registration called directly. Each
//! must be refused with an error naming the field and never repeating the value.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use common::{context, fixture_json, fixture_value, person_mut, spanish_person};
use httpmock::MockServer;
use rampkit::crossmint::{self, CrossmintAuth};
use rampkit::cryptopocket::{self, CryptoPocketAuth};
use rampkit::leap::{self, LeapAuth};
use rampkit::limits::DEFAULT_MAX_NAME_CHARS;
use rampkit::providers::crossmint::UserLocator;
use rampkit::runtime::{Context, RetryPolicy};
use rampkit::{
    CrossmintOnboarding, CrossmintSettings, CryptoPocketOnboarding, KriptomatOnboarding,
    KriptomatSettings, LeapOnboarding,
};
use rampkit::{
    Customer, Image, KycProvider, MediaType, OnboardingError, Provider, ValidationContext,
    ValidationError, ValidationErrorKind as K, ValidationErrors, kriptomat, sumsub,
};
use rampkit_kriptomat::KriptomatCredentials;
use rampkit_runtime::Pii;
use serde_json::{Value, json};

// ---- helpers ----------------------------------------------------------------------------------------

/// The Spanish fixture with the value at `pointer` replaced.
fn spanish_with(pointer: &str, new: Value) -> Value {
    let mut value = fixture_value("person_es_dni");
    *value
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("no {pointer}")) = new;
    value
}

/// Parses and validates; the errors of whichever step failed.
fn problems_of(json: &str, context: &ValidationContext) -> Vec<ValidationError> {
    match Customer::from_json(json) {
        Ok(customer) => customer
            .validate_with(context)
            .err()
            .map(ValidationErrors::into_vec)
            .unwrap_or_default(),
        Err(errors) => errors.into_vec(),
    }
}

fn problems(json: &Value) -> Vec<ValidationError> {
    problems_of(&json.to_string(), &context())
}

fn error(path: &str, kind: K) -> ValidationError {
    ValidationError::new(path, kind)
}

/// Every rendering of the errors a caller might log.
fn rendered(errors: &[ValidationError]) -> String {
    errors.iter().map(|e| format!("{e} | {e:?}\n")).collect()
}

fn b64(bytes: &[u8]) -> Value {
    json!(STANDARD.encode(bytes))
}

/// The front image of the Spanish fixture: a real 1×1 JPEG.
fn fixture_jpeg() -> Vec<u8> {
    let value = fixture_value("person_es_dni");
    let text = value
        .pointer("/person/identity_document/front_image")
        .and_then(Value::as_str)
        .unwrap();
    STANDARD.decode(text).unwrap()
}

/// The face picture of the Spanish fixture: a real 1×1 PNG.
fn fixture_png() -> Vec<u8> {
    let value = fixture_value("person_es_dni");
    let text = value
        .pointer("/person/biometrics/face")
        .and_then(Value::as_str)
        .unwrap();
    STANDARD.decode(text).unwrap()
}

/// Pseudo-random RGB pixels (incompressible, like a photo), so that the entropy-coded data is long.
fn noise(width: u16, height: u16) -> Vec<u8> {
    let mut x = 0x2545_F491_u32;
    (0..usize::from(width) * usize::from(height) * 3)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

/// A real JPEG of `width`×`height` noise, encoded by `jpeg-encoder` with `configure` applied.
fn jpeg(
    width: u16,
    height: u16,
    configure: impl FnOnce(&mut jpeg_encoder::Encoder<&mut Vec<u8>>),
) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, 90);
    configure(&mut encoder);
    encoder
        .encode(
            &noise(width, height),
            width,
            height,
            jpeg_encoder::ColorType::Rgb,
        )
        .unwrap();
    out
}

/// A real PNG of `width`×`height` noise, encoded by the `png` crate.
fn png(width: u32, height: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    writer
        .write_image_data(&noise(width as u16, height as u16))
        .unwrap();
    writer.finish().unwrap();
    out
}

/// A minimal PDF: header, one empty page tree, cross-reference table, trailer, `%%EOF`.
const PDF: &[u8] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n\
2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\nxref\n0 3\n0000000000 65535 f \n\
0000000015 00000 n \n0000000064 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n113\n%%EOF\n";

const FRONT: &str = "/person/identity_document/front_image";
const FRONT_PATH: &str = "person.identity_document.front_image";
const FACE: &str = "/person/biometrics/face";
const FACE_PATH: &str = "person.biometrics.face";

#[track_caller]
fn assert_malformed(pointer: &str, path: &str, bytes: &[u8], media_type: MediaType, case: &str) {
    assert_eq!(
        problems(&spanish_with(pointer, b64(bytes))),
        vec![error(path, K::MalformedFile { media_type })],
        "{case}"
    );
}

#[track_caller]
fn assert_accepted(pointer: &str, bytes: &[u8], case: &str) {
    assert_eq!(
        problems(&spanish_with(pointer, b64(bytes))),
        vec![],
        "{case}"
    );
}

// ---- images -----------------------------------------------------------------------------------------

#[test]
fn real_images_of_every_kind_are_accepted() {
    assert_accepted(FRONT, &fixture_jpeg(), "fixture JPEG");
    assert_accepted(FACE, &fixture_png(), "fixture PNG");
    assert_accepted(FRONT, &jpeg(64, 48, |_| {}), "baseline JPEG");
    assert_accepted(
        FRONT,
        &jpeg(64, 48, |e| e.set_progressive(true)),
        "progressive JPEG",
    );
    assert_accepted(
        FRONT,
        &jpeg(64, 48, |e| e.set_restart_interval(2)),
        "JPEG with restart markers",
    );
    // An APP1 segment that holds a thumbnail, whose own EOI comes before the picture's scan.
    let thumbnail = jpeg(8, 8, |_| {});
    let with_thumbnail = jpeg(64, 48, |e| {
        let mut exif = b"Exif\0\0".to_vec();
        exif.extend_from_slice(&thumbnail);
        e.add_app_segment(1, exif).unwrap();
    });
    assert_accepted(FRONT, &with_thumbnail, "JPEG with a thumbnail");
    // Bytes after EOI (phones append motion-photo or maker data there): the picture is complete.
    let mut trailer = jpeg(64, 48, |_| {});
    trailer.extend_from_slice(b"\0\0ftypmp42 appended video");
    assert_accepted(FRONT, &trailer, "JPEG with data after EOI");
    assert_accepted(FACE, &png(40, 30), "PNG");
    assert_accepted(FRONT, PDF, "PDF");
}

#[test]
fn truncated_or_corrupt_jpegs_are_refused() {
    use MediaType::Jpeg;
    assert_malformed(FRONT, FRONT_PATH, b"\xFF\xD8\xFF", Jpeg, "3-byte JPEG");
    assert_malformed(FACE, FACE_PATH, b"\xFF\xD8\xFF", Jpeg, "3-byte JPEG selfie");
    let whole = jpeg(64, 48, |_| {});
    assert!(whole.len() > 1000, "{}", whole.len());
    assert_malformed(
        FRONT,
        FRONT_PATH,
        &whole[..whole.len() / 2],
        Jpeg,
        "cut in half",
    );
    assert_malformed(FRONT, FRONT_PATH, &whole[..whole.len() - 2], Jpeg, "no EOI");
    assert_malformed(
        FRONT,
        FRONT_PATH,
        &whole[..whole.len() - 40],
        Jpeg,
        "cut in the scan",
    );
    let fixture = fixture_jpeg();
    assert_malformed(
        FRONT,
        FRONT_PATH,
        &fixture[..fixture.len() / 2],
        Jpeg,
        "fixture cut in half",
    );
    // The thumbnail's EOI must not pass for the picture's.
    let thumbnail = jpeg(8, 8, |_| {});
    let with_thumbnail = jpeg(64, 48, |e| {
        let mut exif = b"Exif\0\0".to_vec();
        exif.extend_from_slice(&thumbnail);
        e.add_app_segment(1, exif).unwrap();
    });
    assert_malformed(
        FRONT,
        FRONT_PATH,
        &with_thumbnail[..with_thumbnail.len() - 100],
        Jpeg,
        "thumbnail EOI, picture cut",
    );
    // A JPEG start followed by garbage; a header with a zero-height frame.
    let mut garbage = b"\xFF\xD8\xFF\xE0".to_vec();
    garbage.extend_from_slice(&noise(40, 40));
    assert_malformed(FRONT, FRONT_PATH, &garbage, Jpeg, "JPEG magic + garbage");
    let mut zero_height = jpeg(64, 48, |_| {});
    let sof = zero_height
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .unwrap();
    // SOF0: marker, length (2), precision (1), height (2).
    zero_height[sof + 5] = 0;
    zero_height[sof + 6] = 0;
    assert_malformed(FRONT, FRONT_PATH, &zero_height, Jpeg, "zero height");
    // A progressive JPEG missing its last scans.
    let progressive = jpeg(64, 48, |e| e.set_progressive(true));
    let last_sos = progressive
        .windows(2)
        .rposition(|w| w == [0xFF, 0xDA])
        .unwrap();
    assert_malformed(
        FRONT,
        FRONT_PATH,
        &progressive[..last_sos],
        Jpeg,
        "progressive, cut",
    );
}

#[test]
fn truncated_or_corrupt_pngs_are_refused() {
    use MediaType::Png;
    let mut garbage = b"\x89PNG\r\n\x1a\n".to_vec();
    garbage.extend_from_slice(&noise(20, 20));
    assert_malformed(FACE, FACE_PATH, &garbage, Png, "PNG header + garbage");
    assert_malformed(FACE, FACE_PATH, b"\x89PNG\r\n\x1a\n", Png, "signature only");
    let whole = png(40, 30);
    assert_malformed(
        FACE,
        FACE_PATH,
        &whole[..whole.len() / 2],
        Png,
        "cut in half",
    );
    // Without its IEND chunk (12 bytes).
    assert_malformed(FACE, FACE_PATH, &whole[..whole.len() - 12], Png, "no IEND");
    // One flipped bit in the image data: the chunk's CRC no longer matches.
    let mut flipped = whole.clone();
    let idat = flipped.windows(4).position(|w| w == b"IDAT").unwrap();
    flipped[idat + 20] ^= 0x01;
    assert_malformed(FACE, FACE_PATH, &flipped, Png, "bad CRC");
    assert_malformed(FRONT, FRONT_PATH, &garbage, Png, "document scan");
    // Every chunk with a correct CRC (a CRC is no signature), around image data that is not a zlib
    // stream of the announced rows.
    let mut crafted = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut crafted, 40, 30);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().unwrap();
        writer
            .write_chunk(png::chunk::IDAT, &noise(20, 20))
            .unwrap();
        // Dropping the writer writes IEND.
    }
    assert!(crafted.ends_with(b"IEND\xaeB`\x82"));
    assert_malformed(
        FACE,
        FACE_PATH,
        &crafted,
        Png,
        "garbage image data, valid CRCs",
    );
}

#[test]
fn pdfs_need_a_header_and_a_trailer() {
    use MediaType::Pdf;
    assert_malformed(FRONT, FRONT_PATH, &PDF[..PDF.len() / 2], Pdf, "cut in half");
    assert_malformed(
        FRONT,
        FRONT_PATH,
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
        Pdf,
        "header only",
    );
    assert_malformed(FRONT, FRONT_PATH, b"%PDF", Pdf, "magic only");
    let mut no_version = PDF.to_vec();
    no_version[5..8].copy_from_slice(b"x.y");
    assert_malformed(FRONT, FRONT_PATH, &no_version, Pdf, "no version");
    // Up to 1 KiB after %%EOF is tolerated (Acrobat's rule), more is not.
    let mut padded = PDF.to_vec();
    padded.extend(std::iter::repeat_n(b' ', 1000));
    assert_accepted(FRONT, &padded, "padding after %%EOF");
    padded.extend(std::iter::repeat_n(b' ', 100));
    assert_malformed(FRONT, FRONT_PATH, &padded, Pdf, "%%EOF far from the end");
}

#[test]
fn a_malformed_image_over_the_limit_reports_both() {
    // Structure and size are independent problems; the structure check reads the whole image without
    // holding any decoded copy of it.
    let mut customer = spanish_person();
    let mut big = vec![0u8; rampkit::limits::DEFAULT_MAX_IMAGE_BYTES as usize + 1];
    big[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    let size = big.len() as u64;
    person_mut(&mut customer)
        .identity_document
        .as_mut()
        .unwrap()
        .front_image = Some(Image::new(big));
    assert_eq!(
        customer.validate_with(&context()).unwrap_err().into_vec(),
        vec![
            error(
                FRONT_PATH,
                K::MalformedFile {
                    media_type: MediaType::Jpeg
                }
            ),
            error(
                FRONT_PATH,
                K::ImageTooLarge {
                    size,
                    limit: rampkit::limits::DEFAULT_MAX_IMAGE_BYTES,
                    provider: Provider::CryptoPocket,
                }
            ),
        ]
    );
}

// ---- texts ------------------------------------------------------------------------------------------

/// Every free-text field of the person fixture, as (JSON pointer, validation path).
const PERSON_TEXTS: &[(&str, &str)] = &[
    (
        "/person/legal_name/first_name",
        "person.legal_name.first_name",
    ),
    (
        "/person/legal_name/middle_name",
        "person.legal_name.middle_name",
    ),
    (
        "/person/legal_name/last_name",
        "person.legal_name.last_name",
    ),
    (
        "/person/legal_name/second_last_name",
        "person.legal_name.second_last_name",
    ),
    (
        "/person/residential_address/line1",
        "person.residential_address.line1",
    ),
    (
        "/person/residential_address/line2",
        "person.residential_address.line2",
    ),
    (
        "/person/residential_address/street_number",
        "person.residential_address.street_number",
    ),
    (
        "/person/residential_address/city",
        "person.residential_address.city",
    ),
    (
        "/person/residential_address/postal_code",
        "person.residential_address.postal_code",
    ),
    (
        "/person/identity_document/number",
        "person.identity_document.number",
    ),
    (
        "/person/verification/verified_by/applicant_id",
        "person.verification.verified_by.applicant_id",
    ),
];

#[test]
fn control_characters_are_refused_in_every_text() {
    for (pointer, path) in PERSON_TEXTS {
        for planted in [
            "PLANTED\u{0}Lucía",
            "PLANTED\nLucía",
            "PLANTED\tLucía",
            "PLANTED\u{7}",
            "PLANTED\u{1B}[31m",
            "PLANTED\u{7F}",
            "PLANTED\u{85}",
        ] {
            let errors = problems(&spanish_with(pointer, json!(planted)));
            assert_eq!(
                errors,
                vec![error(path, K::ControlCharacter)],
                "{pointer} {planted:?}"
            );
            assert!(!rendered(&errors).contains("PLANTED"), "{pointer}");
        }
    }
}

#[test]
fn a_document_number_with_nul_is_refused() {
    assert_eq!(
        problems(&spanish_with(
            "/person/identity_document/number",
            json!("12345678Z\u{0}")
        )),
        vec![error(
            "person.identity_document.number",
            K::ControlCharacter
        )]
    );
}

#[test]
fn bidi_controls_are_refused_in_every_text() {
    for (pointer, path) in PERSON_TEXTS {
        // LRE, RLE, PDF, LRO, RLO and the isolates LRI, RLI, FSI, PDI (CVE-2021-42574's list).
        for c in ('\u{202A}'..='\u{202E}').chain('\u{2066}'..='\u{2069}') {
            let planted = format!("PLANTED{c}aícuL");
            let errors = problems(&spanish_with(pointer, json!(planted)));
            assert_eq!(
                errors,
                vec![error(path, K::BidiControl)],
                "{pointer} U+{:04X}",
                c as u32
            );
            assert!(!rendered(&errors).contains("PLANTED"), "{pointer}");
        }
    }
    // Right-to-left names themselves are fine.
    assert_eq!(
        problems(&spanish_with(
            "/person/legal_name/first_name",
            json!("ليلى")
        )),
        vec![]
    );
    assert_eq!(
        problems(&spanish_with("/person/legal_name/last_name", json!("כהן"))),
        vec![]
    );
}

#[test]
fn company_texts_are_checked_too() {
    let company = json!({"company": {
        "legal_name": "Rampa\u{202E}latigiD",
        "registration_number": "B1234\u{0}5678",
        "country": "ES",
        "contact_email": "compliance@rampadigital.example.com",
    }});
    assert_eq!(
        problems(&company),
        vec![
            error("company.legal_name", K::BidiControl),
            error("company.registration_number", K::ControlCharacter),
        ]
    );
}

#[test]
fn emails_with_hidden_characters_are_refused() {
    for (planted, kind) in [
        ("lucia\u{0}@example.com", K::ControlCharacter),
        ("lucia@example.com\n", K::ControlCharacter),
        ("lucia\u{202E}moc.elpmaxe@", K::BidiControl),
    ] {
        let errors = problems(&spanish_with("/person/email", json!(planted)));
        assert_eq!(errors, vec![error("person.email", kind)], "{planted:?}");
        assert!(!rendered(&errors).contains("lucia"));
    }
}

#[test]
fn zero_width_only_names_are_empty() {
    for invisible in [
        "\u{200B}",
        "\u{200B}\u{200C}\u{200D}",
        "\u{2060}\u{FEFF}",
        " \u{200B} ",
        "\u{00AD}",
        "\u{200E}\u{200F}",
    ] {
        assert_eq!(
            problems(&spanish_with(
                "/person/legal_name/first_name",
                json!(invisible)
            )),
            vec![error("person.legal_name.first_name", K::Empty)],
            "{invisible:?}"
        );
    }
    // A zero-width joiner inside a name (Persian, Indic scripts) is part of its spelling.
    assert_eq!(
        problems(&spanish_with(
            "/person/legal_name/first_name",
            json!("مهر\u{200C}ناز")
        )),
        vec![]
    );
}

#[test]
fn names_over_the_length_limit_are_refused() {
    assert_eq!(DEFAULT_MAX_NAME_CHARS, 256);
    for (pointer, path) in [
        (
            "/person/legal_name/first_name",
            "person.legal_name.first_name",
        ),
        (
            "/person/legal_name/middle_name",
            "person.legal_name.middle_name",
        ),
        (
            "/person/legal_name/last_name",
            "person.legal_name.last_name",
        ),
        (
            "/person/legal_name/second_last_name",
            "person.legal_name.second_last_name",
        ),
    ] {
        // Characters, not bytes: 256 two-byte letters are within the limit.
        assert_eq!(
            problems(&spanish_with(pointer, json!("é".repeat(256)))),
            vec![],
            "{pointer}"
        );
        let long = format!("PLANTED{}", "a".repeat(250));
        let errors = problems(&spanish_with(pointer, json!(long)));
        assert_eq!(
            errors,
            vec![error(
                path,
                K::TooLong {
                    max: 256,
                    provider: Some(Provider::CryptoPocket)
                }
            )],
            "{pointer}"
        );
        assert!(!rendered(&errors).contains("PLANTED"));
        assert!(!rendered(&errors).contains("257"), "{}", rendered(&errors));
    }
    // The limit of the providers the customer is meant for.
    let long = json!("a".repeat(257)).to_string();
    let json = spanish_with(
        "/person/legal_name/first_name",
        serde_json::from_str(&long).unwrap(),
    );
    assert_eq!(
        problems_of(
            &json.to_string(),
            &context().for_providers([Provider::Leap])
        ),
        vec![error(
            "person.legal_name.first_name",
            K::TooLong {
                max: 256,
                provider: Some(Provider::Leap)
            }
        )]
    );
    assert_eq!(
        problems_of(&json.to_string(), &context().for_providers([])),
        vec![error(
            "person.legal_name.first_name",
            K::TooLong {
                max: 256,
                provider: None
            }
        )]
    );
    let company = json!({"company": {
        "legal_name": "R".repeat(257),
        "registration_number": "B12345678",
        "country": "ES",
        "contact_email": "compliance@rampadigital.example.com",
    }});
    assert_eq!(
        problems(&company),
        vec![error(
            "company.legal_name",
            K::TooLong {
                max: 256,
                provider: Some(Provider::CryptoPocket)
            }
        )]
    );
}

// ---- dates ------------------------------------------------------------------------------------------

#[test]
fn dates_are_strictly_yyyy_mm_dd() {
    for (pointer, path) in [
        ("/person/date_of_birth", "person.date_of_birth"),
        (
            "/person/identity_document/expiry_date",
            "person.identity_document.expiry_date",
        ),
    ] {
        for loose in [
            "1990-5-15",
            "1990-05-5",
            "1990-5-5",
            "+1990-05-15",
            " 1990-05-15",
            "1990-05-15 ",
            "01990-05-15",
            "1990/05/15",
            "1990-05-15Z",
            "١٩٩٠-٠٥-١٥",
            "",
        ] {
            let loose = if pointer.ends_with("expiry_date") {
                loose.replace("1990", "2031")
            } else {
                loose.to_owned()
            };
            let errors = problems(&spanish_with(pointer, json!(loose)));
            assert_eq!(
                errors,
                vec![error(path, K::NotACalendarDate)],
                "{pointer} {loose:?}"
            );
        }
    }
    assert_eq!(
        problems(&spanish_with("/person/date_of_birth", json!("1990-05-15"))),
        vec![]
    );
    // Written back exactly as read.
    let customer = Customer::from_json(fixture_json("person_es_dni")).unwrap();
    let value = serde_json::to_value(&customer).unwrap();
    assert_eq!(value["person"]["date_of_birth"], "1990-05-15");
    assert_eq!(
        value["person"]["identity_document"]["expiry_date"],
        "2031-03-20"
    );
}

// ---- JSON keys --------------------------------------------------------------------------------------

/// The Spanish fixture's JSON text with `insert` placed right after the first occurrence of `after`.
fn fixture_text_with(after: &str, insert: &str) -> String {
    let text = fixture_json("person_es_dni");
    let at = text.find(after).unwrap_or_else(|| panic!("no {after}")) + after.len();
    format!("{}{insert}{}", &text[..at], &text[at..])
}

/// 1-based (line, column) of the first occurrence of `needle` in `text`.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap();
    let line = text[..at].matches('\n').count() + 1;
    let column = at - text[..at].rfind('\n').map_or(0, |nl| nl + 1) + 1;
    (line, column)
}

#[test]
fn an_unknown_key_is_not_copied_into_the_error() {
    let key = "PLANTED lucia.garcia@example.com";
    for (after, parent) in [
        ("\"person\": {", "person"),
        ("\"legal_name\": {", "person.legal_name"),
        ("\"identity_document\": {", "person.identity_document"),
        (
            "\"coordinates\": {",
            "person.residential_address.coordinates",
        ),
        // The internally tagged `verified_by` is read in two passes; the key must not leak either.
        ("\"verified_by\": {", "person.verification.verified_by"),
    ] {
        let text = fixture_text_with(after, &format!("\n\"{key}\": \"x\","));
        let errors = Customer::from_json(&text).unwrap_err().into_vec();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].path, parent, "{after}");
        let K::UnknownField {
            line,
            column,
            key: ref named,
        } = errors[0].kind
        else {
            panic!("{after}: {errors:?}");
        };
        // A key that does not look like a field name is never named.
        assert_eq!(*named, None, "{after}");
        let (key_line, key_column) = position_of(&text, key);
        if parent == "person.verification.verified_by" {
            // serde reads a tagged object whole before it knows a key is unknown: its end is the position.
            assert!(line > key_line, "{after}: {line} {key_line}");
        } else {
            // Just after the key.
            assert_eq!(line, key_line, "{after}");
            assert_eq!(column, key_column + key.len(), "{after}");
        }
        let text = rendered(&errors);
        assert!(
            !text.contains("PLANTED") && !text.contains("lucia"),
            "{text}"
        );
        assert!(text.contains("unknown field at line"), "{text}");
    }
}

#[test]
fn a_syntax_error_under_an_unknown_key_does_not_leak_it() {
    let key = "PLANTED lucia.garcia@example.com";
    let text = fixture_text_with("\"verified_by\": {", &format!("\n\"{key}\": [1, }},"));
    let errors = Customer::from_json(&text).unwrap_err().into_vec();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].kind, K::InvalidJson);
    assert_eq!(errors[0].path, "person.verification.verified_by");
    assert!(!rendered(&errors).contains("PLANTED"));
}

#[test]
fn a_duplicate_key_is_named() {
    for (after, insert, path) in [
        (
            "\"person\": {",
            "\n\"email\": \"planted-duplicate@example.com\",",
            "person.email",
        ),
        (
            "\"legal_name\": {",
            "\n\"first_name\": \"PLANTED\",",
            "person.legal_name.first_name",
        ),
        (
            "\"verified_by\": {",
            "\n\"applicant_id\": \"PLANTED\",",
            "person.verification.verified_by.applicant_id",
        ),
    ] {
        let text = fixture_text_with(after, insert);
        let errors = Customer::from_json(&text).unwrap_err().into_vec();
        assert_eq!(errors, vec![error(path, K::DuplicateField)], "{after}");
        assert!(!rendered(&errors).contains("planted") && !rendered(&errors).contains("PLANTED"));
        assert_eq!(
            errors[0].to_string(),
            format!("{path} appears more than once")
        );
    }
}

// ---- registration called directly -------------------------------------------------------------------

fn no_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 1,
        ..RetryPolicy::default()
    }
}

/// A mock server that answers every request with HTTP 500 and counts them.
async fn counting_server() -> (MockServer, Arc<AtomicUsize>) {
    let server = MockServer::start_async().await;
    let hits = Arc::new(AtomicUsize::new(0));
    let counter = hits.clone();
    server
        .mock_async(move |when, then| {
            when.is_true(move |_| {
                counter.fetch_add(1, Ordering::SeqCst);
                true
            });
            then.status(500).body("{}");
        })
        .await;
    (server, hits)
}

/// Each provider's flow, over servers that count the requests they receive.
async fn flows() -> (
    Vec<Box<dyn KycProvider>>,
    Vec<(MockServer, Arc<AtomicUsize>)>,
) {
    let servers = vec![
        counting_server().await,
        counting_server().await,
        counting_server().await,
        counting_server().await,
        counting_server().await,
    ];
    let url = |i: usize| servers[i].0.base_url();
    let crossmint = CrossmintOnboarding::new(
        crossmint::Client::new(
            &url(0),
            Context::new(CrossmintAuth::new("sk_staging_key".to_owned())).with_retry(no_retry()),
        ),
        CrossmintSettings {
            user_locator: UserLocator::user_id("lucia-0001"),
            privacy_policy_accepted_at: "2026-01-01T00:00:00Z".parse().unwrap(),
            products: vec![crossmint::types::ProductType::Offramp],
        },
    );
    let cryptopocket = CryptoPocketOnboarding::new(cryptopocket::Client::new(
        &url(1),
        Context::new(CryptoPocketAuth::with_credentials(
            "cp_key".to_owned(),
            "cp_secret".to_owned(),
        ))
        .with_retry(no_retry()),
    ));
    let credentials = KriptomatCredentials {
        email: "partner@example.com".to_owned().into(),
        password: "password".to_owned().into(),
        client_id: 5,
        client_secret: "client-secret".to_owned().into(),
        totp_secret_base32: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".to_owned().into(),
    };
    let kriptomat = KriptomatOnboarding::new(
        kriptomat::Client::new(
            &url(2),
            Context::new(kriptomat::KriptomatAuth::with_credentials(credentials))
                .with_retry(no_retry()),
        ),
        sumsub::Client::new(
            &url(3),
            sumsub::SumsubAuth::new("sbx:app-token".to_owned(), "secret-key".to_owned()),
        ),
        KriptomatSettings {
            user_id: 4242,
            sumsub_client_id: "KriptomatSumsub".to_owned(),
            share_token_ttl_secs: None,
        },
    );
    let leap = LeapOnboarding::new(leap::Client::new(
        &url(4),
        Context::new(LeapAuth::new("leap-key".to_owned())).with_retry(no_retry()),
    ));
    let flows: Vec<Box<dyn KycProvider>> = vec![
        Box::new(crossmint),
        Box::new(cryptopocket),
        Box::new(kriptomat),
        Box::new(leap),
    ];
    (flows, servers)
}

/// The Spanish fixture, valid whatever the date the test runs on (its document expires in five years).
fn valid_today() -> Customer {
    let mut customer = spanish_person();
    let in_five_years = chrono::Utc::now().date_naive() + chrono::Days::new(5 * 365);
    person_mut(&mut customer)
        .identity_document
        .as_mut()
        .unwrap()
        .expiry_date = Some(Pii::new(in_five_years));
    customer
}

#[tokio::test]
async fn register_called_directly_validates_first() {
    let (flows, servers) = flows().await;
    let mut hostile = valid_today();
    person_mut(&mut hostile).legal_name.first_name = Pii::new("PLANTED\u{202E}aícuL".to_owned());
    person_mut(&mut hostile)
        .identity_document
        .as_mut()
        .unwrap()
        .front_image = Some(Image::new(b"\xFF\xD8\xFF".to_vec()));
    for flow in &flows {
        let error = flow.register(&hostile).await.unwrap_err();
        let OnboardingError::Invalid { provider, errors } = &error else {
            panic!("{}: {error:?}", flow.provider());
        };
        assert_eq!(*provider, flow.provider());
        assert!(errors.contains("person.legal_name.first_name", &K::BidiControl));
        let text = format!("{error} {error:?}");
        assert!(!text.contains("PLANTED"), "{text}");
        assert!(text.contains("person.legal_name.first_name"), "{text}");
    }
    let sent: Vec<usize> = servers
        .iter()
        .map(|(_, hits)| hits.load(Ordering::SeqCst))
        .collect();
    assert_eq!(sent, [0, 0, 0, 0, 0], "nothing reaches any server");
}

#[tokio::test]
async fn register_of_a_valid_customer_is_sent() {
    let (flows, servers) = flows().await;
    let customer = valid_today();
    for flow in &flows {
        let result = flow.register(&customer).await;
        assert!(
            !matches!(result, Err(OnboardingError::Invalid { .. })),
            "{}: {result:?}",
            flow.provider()
        );
    }
    // Crossmint, CryptoPocket (its login) and Leap send at once; Kriptomat registers nothing (the user
    // exists) and SumSub is first called when verification starts.
    let sent: Vec<usize> = servers
        .iter()
        .map(|(_, hits)| hits.load(Ordering::SeqCst))
        .collect();
    assert_eq!(sent, [1, 1, 0, 0, 1]);
}
