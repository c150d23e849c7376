//! Masking what `rampkit request` prints: credentials always, the customer's personal values unless
//! `--reveal`, base64 images shortened unless `--full`.
//!
//! Personal values are found by value, not by field name: the customer's own personal strings (names,
//! birth date, e-mail, phone, address, document number and expiry, verification times, SumSub applicant
//! id, company name and registration number) and coordinates are collected from the typed [`Customer`] (its `Pii` fields),
//! with the forms providers rewrite them into (other date layouts; digits only, so a phone without its
//! country code matches; case and accents ignored), and every JSON string (or number) of a request that
//! equals one — or contains one of four characters or more — is replaced. A field name never decides,
//! so a vendor field the conversions fill tomorrow is masked too. Codes (countries, language, gender,
//! document type, due-diligence enums) are left visible: they are the request's shape, and masking "ES"
//! by value would mask every Spanish code.

use chrono::NaiveDate;
use rampkit::Customer;

use crate::ordered::Json;
use unicode_normalization::UnicodeNormalization;

pub const REDACTED: &str = "[redacted]";
pub const CREDENTIAL: &str = "[credential]";

/// Header names whose value is a credential whatever the provider (HTTP's own).
const HTTP_CREDENTIAL_HEADERS: &[&str] = &["authorization", "cookie"];

/// Whether `name` carries a credential: HTTP's own, or one a provider crate declares for its
/// credentials (`Authenticator::CREDENTIAL_HEADERS`, through each provider's connector).
fn is_credential_header(name: &str) -> bool {
    HTTP_CREDENTIAL_HEADERS.contains(&name)
        || rampkit::Provider::ALL
            .iter()
            .any(|p| p.connector().credential_headers().contains(&name))
}

/// JSON keys whose value is a credential in a login body (Kriptomat's one-time code changes each run).
const CREDENTIAL_KEYS: &[&str] = &["security_code", "api_secret", "password", "client_secret"];

/// Shortest base64 text taken for an image.
const BASE64_MIN: usize = 64;
/// How much of an image is kept when shortened.
const BASE64_KEEP: usize = 24;

pub struct Redactor {
    /// Normalised personal strings (lowercase, no accents), with their other forms.
    texts: Vec<String>,
    /// Digits of personal values with six digits or more (phones, document and registration numbers).
    digits: Vec<String>,
    /// Personal numbers (coordinates).
    numbers: Vec<f64>,
    secrets: Vec<String>,
    reveal: bool,
    full: bool,
}

fn normalise(text: &str) -> String {
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

fn digits_of(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

fn date_forms(date: NaiveDate) -> Vec<String> {
    [
        "%Y-%m-%d", "%d/%m/%Y", "%m/%d/%Y", "%d-%m-%Y", "%m-%d-%Y", "%Y%m%d", "%d.%m.%Y",
        "%Y/%m/%d",
    ]
    .iter()
    .map(|format| date.format(format).to_string())
    .collect()
}

/// The customer's personal strings and numbers (see the module docs for which).
pub fn personal_values(customer: &Customer) -> (Vec<String>, Vec<f64>) {
    let mut texts: Vec<String> = Vec::new();
    let mut numbers = Vec::new();
    let mut add = |value: &str| texts.push(value.to_owned());
    match customer {
        Customer::Person(person) => {
            let name = &person.legal_name;
            add(name.first_name.expose_str());
            for part in [&name.middle_name, &name.second_last_name]
                .into_iter()
                .flatten()
            {
                add(part.expose_str());
            }
            add(name.last_name.expose_str());
            add(person.email.expose_str());
            if let Some(phone) = &person.mobile_phone {
                add(phone.expose_str());
            }
            if let Some(address) = &person.residential_address {
                add(address.line1.expose_str());
                for part in [&address.line2, &address.street_number, &address.postal_code]
                    .into_iter()
                    .flatten()
                {
                    add(part.expose_str());
                }
                add(address.city.expose_str());
                if let Some(coordinates) = &address.coordinates {
                    numbers.push(*coordinates.latitude.expose());
                    numbers.push(*coordinates.longitude.expose());
                }
            }
            if let Some(document) = &person.identity_document {
                add(document.number.expose_str());
            }
            if let Some(reference) = person
                .verification
                .as_ref()
                .and_then(|v| v.verified_by.as_ref())
                .and_then(|verifier| verifier.personal_reference())
            {
                add(reference.expose_str());
            }
            // Verification times, to the second (vendors add milliseconds or change the offset).
            if let Some(verification) = &person.verification {
                for at in [
                    &verification.id_verified_at,
                    &verification.liveness_verified_at,
                ]
                .into_iter()
                .flatten()
                {
                    texts.push(at.expose().format("%Y-%m-%dT%H:%M:%S").to_string());
                }
            }
            texts.extend(date_forms(*person.date_of_birth.expose()));
            if let Some(expiry) = person
                .identity_document
                .as_ref()
                .and_then(|d| d.expiry_date.as_ref())
            {
                texts.extend(date_forms(*expiry.expose()));
            }
        }
        Customer::Company(company) => {
            add(company.legal_name.expose_str());
            add(company.registration_number.expose_str());
            add(company.contact_email.expose_str());
        }
    }
    texts.retain(|t| !t.trim().is_empty());
    (texts, numbers)
}

impl Redactor {
    pub fn new(customer: &Customer, secrets: &[&str], reveal: bool, full: bool) -> Self {
        let (texts, numbers) = personal_values(customer);
        let digits = texts
            .iter()
            .map(|t| digits_of(t))
            .filter(|d| d.len() >= 6)
            .collect();
        Self {
            texts: texts.iter().map(|t| normalise(t.trim())).collect(),
            digits,
            numbers,
            secrets: secrets.iter().map(|s| (*s).to_owned()).collect(),
            reveal,
            full,
        }
    }

    fn is_secret(&self, text: &str) -> bool {
        self.secrets.iter().any(|s| text.contains(s.as_str()))
    }

    /// Whether `text` holds a personal value of the customer.
    pub fn is_personal(&self, text: &str) -> bool {
        let normalised = normalise(text);
        let hit = self.texts.iter().any(|value| {
            if value.chars().count() >= 4 {
                normalised.contains(value.as_str())
            } else {
                normalised.trim() == value
            }
        });
        if hit {
            return true;
        }
        let digits = digits_of(text);
        if digits.len() >= 6
            && self
                .digits
                .iter()
                .any(|d| d.contains(&digits) || digits.contains(d.as_str()))
        {
            return true;
        }
        text.trim()
            .parse::<f64>()
            .is_ok_and(|n| self.is_personal_number(n))
    }

    fn is_personal_number(&self, n: f64) -> bool {
        self.numbers.iter().any(|p| (p - n).abs() < 1e-9)
    }

    /// A header value as printed.
    pub fn header(&self, name: &str, value: &str) -> String {
        if is_credential_header(name) || self.is_secret(value) {
            CREDENTIAL.to_owned()
        } else if !self.reveal && self.is_personal(value) {
            REDACTED.to_owned()
        } else {
            value.to_owned()
        }
    }

    fn image(&self, text: &str) -> Option<String> {
        if self.full || text.len() < BASE64_MIN {
            return None;
        }
        let payload = match text.strip_prefix("data:") {
            Some(rest) => rest.split_once(";base64,")?.1,
            None => text,
        };
        let base64 = payload
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
        base64.then(|| {
            let prefix = text.len() - payload.len();
            let kept: String = payload.chars().take(BASE64_KEEP).collect();
            format!(
                "{}{kept}…[base64, {} characters]",
                &text[..prefix],
                payload.len()
            )
        })
    }

    /// A string as printed, or `None` when it prints as is.
    pub fn text(&self, text: &str) -> Option<String> {
        if self.is_secret(text) {
            return Some(CREDENTIAL.to_owned());
        }
        if let Some(short) = self.image(text) {
            return Some(short);
        }
        (!self.reveal && self.is_personal(text)).then(|| REDACTED.to_owned())
    }

    /// Masks a JSON body in place.
    pub fn json(&self, value: &mut Json) {
        match value {
            Json::String(text) => {
                if let Some(replacement) = self.text(text) {
                    *text = replacement;
                }
            }
            Json::Number(n) => {
                if !self.reveal && n.as_f64().is_some_and(|n| self.is_personal_number(n)) {
                    *value = Json::String(REDACTED.to_owned());
                }
            }
            Json::Array(items) => items.iter_mut().for_each(|item| self.json(item)),
            Json::Object(members) => {
                for (key, member) in members.iter_mut() {
                    if CREDENTIAL_KEYS.contains(&key.as_str()) {
                        *member = Json::String(CREDENTIAL.to_owned());
                    } else {
                        self.json(member);
                    }
                }
            }
            Json::Null | Json::Bool(_) => {}
        }
    }

    /// A request target (path and query) as printed: each path segment and query value that holds a
    /// personal value (after percent-decoding) is masked.
    pub fn target(&self, target: &str) -> String {
        let (path, query) = match target.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (target, None),
        };
        let mask = |part: &str| -> String {
            let decoded = percent_decode(part);
            match self.text(&decoded) {
                Some(replacement) => replacement,
                None => part.to_owned(),
            }
        };
        let mut printed = path.split('/').map(mask).collect::<Vec<_>>().join("/");
        if let Some(query) = query {
            let pairs: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, value)) => format!("{key}={}", mask(value)),
                    None => pair.to_owned(),
                })
                .collect();
            printed.push('?');
            printed.push_str(&pairs.join("&"));
        }
        printed
    }

    /// A body that is not JSON: its size and type, unless revealed.
    pub fn opaque(&self, body: &[u8], content_type: &str) -> String {
        match std::str::from_utf8(body) {
            Ok(text) if self.reveal && self.secrets.iter().all(|s| !text.contains(s.as_str())) => {
                text.to_owned()
            }
            _ => format!("[{} bytes of {content_type}]", body.len()),
        }
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(byte) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spanish() -> Customer {
        // The tree is found at run time: the first ancestor of the working directory with the fixtures.
        let cwd = std::env::current_dir().unwrap();
        let fixture = cwd
            .ancestors()
            .map(|dir| dir.join("tests/fixtures/customers/person_es_dni.json"))
            .find(|path| path.is_file())
            .expect("run inside the rampkit tree");
        let text = std::fs::read_to_string(fixture).unwrap();
        Customer::from_json(text).unwrap()
    }

    #[test]
    fn personal_values_in_other_forms_are_masked() {
        let redactor = Redactor::new(&spanish(), &["sk_secret"], false, false);
        for personal in [
            "Lucía",
            "LUCIA ISABEL",
            "García Moreno",
            "15/05/1990",
            "1990-05-15T00:00:00Z",
            "600111222",
            "+34 600 111 222",
            "lucia.garcia@example.com",
            "Calle de Alcalá 42, 3º B",
            "12345678Z",
            "2025-11-03T09:15:00.000Z",
        ] {
            assert_eq!(
                redactor.text(personal).as_deref(),
                Some(REDACTED),
                "{personal}"
            );
        }
        for shape in [
            "ES",
            "female",
            "DNI",
            "national_id_card",
            "2026-01-01",
            "es",
        ] {
            assert_eq!(redactor.text(shape), None, "{shape}");
        }
        assert_eq!(
            redactor.text("Bearer sk_secret").as_deref(),
            Some(CREDENTIAL)
        );
        let mut body: Json =
            serde_json::from_str(r#"{"lat": 40.4189, "n": 3, "security_code": "123456"}"#).unwrap();
        redactor.json(&mut body);
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            r#"{"lat":"[redacted]","n":3,"security_code":"[credential]"}"#
        );
        assert_eq!(
            redactor.target("/users/email%3Alucia.garcia%40example.com/x?phone=%2B34600111222&a=b"),
            "/users/[redacted]/x?phone=[redacted]&a=b"
        );
    }

    #[test]
    fn revealing_keeps_personal_values_but_never_credentials() {
        let redactor = Redactor::new(&spanish(), &["sk_secret"], true, false);
        assert_eq!(redactor.text("Lucía"), None);
        assert_eq!(redactor.text("sk_secret").as_deref(), Some(CREDENTIAL));
        assert_eq!(redactor.header("x-api-key", "anything"), CREDENTIAL);
    }

    #[test]
    fn images_are_shortened_unless_full() {
        let image = format!("/9j/{}", "A".repeat(200));
        let short = Redactor::new(&spanish(), &[], true, false);
        assert_eq!(
            short.text(&image).unwrap(),
            "/9j/AAAAAAAAAAAAAAAAAAAA…[base64, 204 characters]"
        );
        let full = Redactor::new(&spanish(), &[], true, true);
        assert_eq!(full.text(&image), None);
    }
}
