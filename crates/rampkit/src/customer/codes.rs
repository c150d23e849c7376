//! Standard codes of the canonical model: countries, subdivisions, languages, currencies.
//!
//! Each code keeps the text it was given, so that deserialisation never fails on a code and
//! [`Customer::validate`](crate::Customer::validate) can report every unknown code at once, each with
//! its field. The lookups use maintained tables (`rust_iso3166`, `isolang`, `iso_currency`), never
//! hand-written ones.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};

macro_rules! code_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a code as given; [`Customer::validate`](crate::Customer::validate) checks it.
            pub fn new(code: impl Into<String>) -> Self {
                Self(code.into())
            }

            /// The code as given.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&self.0, f)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(code: &str) -> Self {
                Self::new(code)
            }
        }

        impl From<String> for $name {
            fn from(code: String) -> Self {
                Self::new(code)
            }
        }
    };
}

code_type! {
    /// An ISO 3166-1 alpha-2 country code in upper case (`ES`, `US`, `MX`).
    ///
    /// Vendors that want another form get it from here: [`CountryCode::alpha3`] for Kriptomat's `DEU`,
    /// [`CountryCode::english_name`] for display.
    CountryCode
}

impl CountryCode {
    fn entry(&self) -> Option<rust_iso3166::CountryCode> {
        rust_iso3166::from_alpha2(&self.0)
    }

    /// Whether the code is an assigned ISO 3166-1 alpha-2 code (upper case).
    pub fn is_assigned(&self) -> bool {
        self.entry().is_some()
    }

    /// The ISO 3166-1 alpha-3 code (`ESP` for `ES`), if the code is assigned.
    pub fn alpha3(&self) -> Option<&'static str> {
        self.entry().map(|c| c.alpha3)
    }

    /// The ISO 3166-1 numeric code (724 for `ES`), if the code is assigned.
    pub fn numeric(&self) -> Option<u16> {
        self.entry().map(|c| c.numeric)
    }

    /// The ISO English short name (`Spain`), if the code is assigned.
    pub fn english_name(&self) -> Option<&'static str> {
        self.entry().map(|c| c.name)
    }

    /// The country with this ISO 3166-1 alpha-3 code, for vendors that answer in alpha-3.
    pub fn from_alpha3(alpha3: &str) -> Option<Self> {
        rust_iso3166::from_alpha3(alpha3).map(|c| Self::new(c.alpha2))
    }
}

impl JsonSchema for CountryCode {
    fn schema_name() -> Cow<'static, str> {
        "CountryCode".into()
    }

    fn schema_id() -> Cow<'static, str> {
        concat!(module_path!(), "::CountryCode").into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "ISO 3166-1 alpha-2 country code, upper case.",
            "enum": rust_iso3166::ALL_ALPHA2,
        })
    }
}

code_type! {
    /// An ISO 3166-2 subdivision code: country, hyphen, subdivision (`ES-M`, `US-NY`, `MX-CMX`).
    ///
    /// Vendors that want only the part after the hyphen (Crossmint's `stateOrRegion` `NY`) get it from
    /// [`SubdivisionCode::local_part`].
    SubdivisionCode
}

impl SubdivisionCode {
    fn entry(&self) -> Option<rust_iso3166::iso3166_2::Subdivision> {
        rust_iso3166::iso3166_2::from_code(&self.0)
    }

    /// Whether the code is an ISO 3166-2 subdivision code.
    pub fn is_assigned(&self) -> bool {
        self.entry().is_some()
    }

    /// The country part, before the hyphen (`US` for `US-NY`).
    pub fn country_part(&self) -> &str {
        self.0
            .split_once('-')
            .map_or(&self.0, |(country, _)| country)
    }

    /// The subdivision part, after the hyphen (`NY` for `US-NY`); empty without a hyphen.
    pub fn local_part(&self) -> &str {
        self.0.split_once('-').map_or("", |(_, local)| local)
    }

    /// The subdivision's name in the ISO table (`New York`), if the code is assigned.
    pub fn name(&self) -> Option<&'static str> {
        self.entry().map(|s| s.name)
    }
}

impl JsonSchema for SubdivisionCode {
    fn schema_name() -> Cow<'static, str> {
        "SubdivisionCode".into()
    }

    fn schema_id() -> Cow<'static, str> {
        concat!(module_path!(), "::SubdivisionCode").into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "ISO 3166-2 subdivision code (country, hyphen, subdivision), e.g. ES-M, US-NY, MX-CMX.",
            "pattern": "^[A-Z]{2}-[A-Z0-9]{1,3}$",
        })
    }
}

code_type! {
    /// An ISO 639-1 language code in lower case (`es`, `en`).
    LanguageCode
}

impl LanguageCode {
    /// Whether the code is an ISO 639-1 code (lower case).
    pub fn is_assigned(&self) -> bool {
        self.0.bytes().all(|b| b.is_ascii_lowercase())
            && isolang::Language::from_639_1(&self.0).is_some()
    }
}

impl JsonSchema for LanguageCode {
    fn schema_name() -> Cow<'static, str> {
        "LanguageCode".into()
    }

    fn schema_id() -> Cow<'static, str> {
        concat!(module_path!(), "::LanguageCode").into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "ISO 639-1 language code, lower case, e.g. es, en.",
            "pattern": "^[a-z]{2}$",
        })
    }
}

code_type! {
    /// An ISO 4217 currency code in upper case (`EUR`, `USD`, `MXN`).
    CurrencyCode
}

impl CurrencyCode {
    /// Whether the code is an ISO 4217 alphabetic code (upper case).
    pub fn is_assigned(&self) -> bool {
        iso_currency::Currency::from_code(&self.0).is_some()
    }
}

impl JsonSchema for CurrencyCode {
    fn schema_name() -> Cow<'static, str> {
        "CurrencyCode".into()
    }

    fn schema_id() -> Cow<'static, str> {
        concat!(module_path!(), "::CurrencyCode").into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "ISO 4217 currency code, upper case, e.g. EUR, USD, MXN.",
            "pattern": "^[A-Z]{3}$",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_come_from_the_iso_table() {
        let es = CountryCode::new("ES");
        assert!(es.is_assigned());
        assert_eq!(es.alpha3(), Some("ESP"));
        assert_eq!(es.numeric(), Some(724));
        assert_eq!(
            CountryCode::from_alpha3("DEU"),
            Some(CountryCode::new("DE"))
        );
        for bad in ["es", "XX", "ESP", "", "E"] {
            assert!(!CountryCode::new(bad).is_assigned(), "{bad}");
        }
    }

    #[test]
    fn subdivisions_come_from_the_iso_table() {
        for good in ["ES-M", "US-NY", "MX-CMX"] {
            assert!(SubdivisionCode::new(good).is_assigned(), "{good}");
        }
        let ny = SubdivisionCode::new("US-NY");
        assert_eq!((ny.country_part(), ny.local_part()), ("US", "NY"));
        for bad in ["US-XX", "NY", "us-ny", ""] {
            assert!(!SubdivisionCode::new(bad).is_assigned(), "{bad}");
        }
    }

    #[test]
    fn languages_and_currencies_come_from_their_tables() {
        assert!(LanguageCode::new("es").is_assigned());
        assert!(!LanguageCode::new("ES").is_assigned());
        assert!(!LanguageCode::new("zz").is_assigned());
        assert!(!LanguageCode::new("spa").is_assigned());
        assert!(CurrencyCode::new("EUR").is_assigned());
        assert!(!CurrencyCode::new("eur").is_assigned());
        assert!(!CurrencyCode::new("XYZ").is_assigned());
    }
}
