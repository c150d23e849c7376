//! Dates in the canonical JSON: exactly `YYYY-MM-DD`, ten ASCII characters.
//!
//! chrono's own parser (behind `NaiveDate`'s serde) is lenient: it takes `1990-5-15`, a sign, or a year of
//! five digits. A date a vendor will receive must be written one way only, so the canonical JSON is read
//! with [`parse`] instead; the error says what is wrong and never repeats the text.

use std::borrow::Cow;

use chrono::NaiveDate;
use rampkit_runtime::Pii;
use serde::{Deserialize, Deserializer, de};

/// `YYYY-MM-DD` with ASCII digits, and a real calendar date; `None` otherwise.
fn parse(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
}

fn parse_or_error<E: de::Error>(text: &str) -> Result<NaiveDate, E> {
    parse(text).ok_or_else(|| E::custom("not a calendar date in YYYY-MM-DD form"))
}

/// `deserialize_with` for a required `Pii<NaiveDate>`.
pub(super) fn pii<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Pii<NaiveDate>, D::Error> {
    let text = Cow::<'de, str>::deserialize(deserializer)?;
    parse_or_error(&text).map(Pii::new)
}

/// `deserialize_with` for an optional `Pii<NaiveDate>` (with `#[serde(default)]` for an absent field).
pub(super) fn optional_pii<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Pii<NaiveDate>>, D::Error> {
    match Option::<Cow<'de, str>>::deserialize(deserializer)? {
        Some(text) => parse_or_error(&text).map(|date| Some(Pii::new(date))),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_yyyy_mm_dd_is_a_date() {
        assert_eq!(parse("1990-05-15"), NaiveDate::from_ymd_opt(1990, 5, 15));
        assert_eq!(parse("2000-02-29"), NaiveDate::from_ymd_opt(2000, 2, 29));
        assert_eq!(parse("0001-01-01"), NaiveDate::from_ymd_opt(1, 1, 1));
        for bad in [
            "1990-5-15",
            "1990-05-5",
            "+1990-05-15",
            "1990-05-15 ",
            "1990-02-30",
            "1900-02-29",
            "1990-13-01",
            "1990-00-01",
            "1990-01-00",
            "19900515",
            "1990_05_15",
            "1990-0a-15",
            "١٩٩٠-٠٥-١٥",
            "",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }
}
