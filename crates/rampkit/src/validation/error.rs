//! What validation reports: the rule a field breaks, and every problem at once.

use std::fmt;

use crate::customer::MediaType;
use crate::providers::Provider;

/// The rule a field breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ValidationErrorKind {
    /// A required field is absent (reported by [`Customer::from_json`](crate::Customer::from_json)).
    Missing,
    /// A required text is empty or only whitespace.
    Empty,
    /// The input is not JSON (reported by [`Customer::from_json`](crate::Customer::from_json)).
    InvalidJson,
    /// The object at the path has a key that is not a field of the canonical model (reported by
    /// [`Customer::from_json`](crate::Customer::from_json)). The key is named only when it looks like a field name (letters, digits,
    /// `_` and `-`, at most 64): anything else may be personal data. Its position is given.
    UnknownField {
        /// The key, when it looks like a field name (`nickname`); `None` otherwise.
        key: Option<String>,
        /// 1-based line of the input where the key was read (0 when it could not be told).
        line: usize,
        /// 1-based column of the input where the key was read (0 when it could not be told).
        column: usize,
    },
    /// The field appears more than once in its object (reported by [`Customer::from_json`](crate::Customer::from_json)).
    DuplicateField,
    /// The value has the wrong JSON type or form (reported by [`Customer::from_json`](crate::Customer::from_json)).
    WrongType,
    /// The value is not one of the enum's values (reported by [`Customer::from_json`](crate::Customer::from_json)).
    NotAllowedValue,
    /// The date is not a real calendar date in `YYYY-MM-DD` form (reported by [`Customer::from_json`](crate::Customer::from_json)).
    NotACalendarDate,
    /// The timestamp is not RFC 3339 (reported by [`Customer::from_json`](crate::Customer::from_json)).
    NotATimestamp,
    /// The image is not valid base64 (reported by [`Customer::from_json`](crate::Customer::from_json)).
    NotBase64,
    /// The date of birth gives an age under [`MINIMUM_AGE`](super::MINIMUM_AGE).
    TooYoung {
        /// The minimum age.
        minimum: u32,
    },
    /// The date of birth gives an age of [`MAXIMUM_AGE`](super::MAXIMUM_AGE) or more.
    TooOld {
        /// The first age refused.
        maximum: u32,
    },
    /// The date or timestamp is after today.
    InFuture,
    /// The document's expiry date is before today.
    Expired,
    /// Not an ISO 3166-1 alpha-2 country code.
    NotIsoCountry,
    /// Not an ISO 3166-2 subdivision code.
    NotIsoSubdivision,
    /// An ISO 3166-2 code of another country than the address's.
    SubdivisionOutsideCountry,
    /// Not an ISO 639-1 language code.
    NotIsoLanguage,
    /// Not an ISO 4217 currency code.
    NotIsoCurrency,
    /// Not a valid phone number written in E.164 form (`+` and digits, nothing else).
    NotE164MobileNumber,
    /// A valid E.164 number, but of a fixed line, toll-free or other non-mobile kind.
    NotMobileNumber,
    /// Not a valid email address.
    InvalidEmail,
    /// A number outside its range (coordinates).
    OutOfRange {
        /// Lowest value allowed.
        min: i32,
        /// Highest value allowed.
        max: i32,
    },
    /// An upper bound not above the lower bound.
    EmptyRange,
    /// The bytes are not of an accepted format.
    UnsupportedMediaType {
        /// The accepted formats.
        allowed: &'static [MediaType],
    },
    /// The text contains a control character (NUL, a line break, a tab, an escape, …).
    ControlCharacter,
    /// The text contains a bidirectional formatting character (U+202A–U+202E, U+2066–U+2069), which
    /// makes it display in another order than it is stored.
    BidiControl,
    /// The name is longer than a provider accepts.
    TooLong {
        /// The most characters allowed.
        max: usize,
        /// The provider whose limit it is; `None` for rampkit's default when no provider was given.
        provider: Option<Provider>,
    },
    /// The bytes start like a file of this type but are not a complete, well-formed one (cut short,
    /// corrupt, or garbage after a valid header).
    MalformedFile {
        /// The type the bytes claim to be.
        media_type: MediaType,
    },
    /// The image is larger than a provider accepts.
    ImageTooLarge {
        /// The image's size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
        /// The provider whose limit it is.
        provider: Provider,
    },
}

impl fmt::Display for ValidationErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ValidationErrorKind as K;
        match self {
            K::Missing => f.write_str("is missing"),
            K::Empty => f.write_str("must not be empty"),
            K::InvalidJson => f.write_str("is not valid JSON"),
            K::UnknownField { key, line, column } => {
                f.write_str("has an unknown field")?;
                if let Some(key) = key {
                    write!(f, " `{key}`")?;
                }
                if *line > 0 {
                    write!(f, " at line {line}, column {column}")?;
                }
                Ok(())
            }
            K::DuplicateField => f.write_str("appears more than once"),
            K::WrongType => f.write_str("has the wrong JSON type or form"),
            K::NotAllowedValue => f.write_str("is not one of the allowed values"),
            K::NotACalendarDate => f.write_str("is not a real calendar date in YYYY-MM-DD form"),
            K::NotATimestamp => f.write_str("is not an RFC 3339 timestamp"),
            K::NotBase64 => f.write_str("is not valid base64"),
            K::TooYoung { minimum } => write!(f, "gives an age under {minimum}"),
            K::TooOld { maximum } => write!(f, "gives an age of {maximum} or more"),
            K::InFuture => f.write_str("is in the future"),
            K::Expired => f.write_str("is in the past: the document has expired"),
            K::NotIsoCountry => f.write_str("is not an ISO 3166-1 alpha-2 country code"),
            K::NotIsoSubdivision => f.write_str("is not an ISO 3166-2 subdivision code"),
            K::SubdivisionOutsideCountry => {
                f.write_str("is not a subdivision of the address's country")
            }
            K::NotIsoLanguage => f.write_str("is not an ISO 639-1 language code"),
            K::NotIsoCurrency => f.write_str("is not an ISO 4217 currency code"),
            K::NotE164MobileNumber => f.write_str("is not a valid E.164 mobile number"),
            K::NotMobileNumber => f.write_str("is a valid E.164 number but not a mobile number"),
            K::InvalidEmail => f.write_str("is not a valid email address"),
            K::OutOfRange { min, max } => write!(f, "is not between {min} and {max}"),
            K::EmptyRange => f.write_str("is not greater than the minimum"),
            K::UnsupportedMediaType { allowed } => {
                f.write_str("is not a ")?;
                for (i, media_type) in allowed.iter().enumerate() {
                    match i {
                        0 => {}
                        i if i + 1 == allowed.len() => f.write_str(" or ")?,
                        _ => f.write_str(", ")?,
                    }
                    f.write_str(media_type.name())?;
                }
                f.write_str(" file")
            }
            K::ControlCharacter => f.write_str("contains a control character"),
            K::BidiControl => f.write_str("contains a bidirectional formatting character"),
            K::TooLong {
                max,
                provider: Some(provider),
            } => write!(
                f,
                "is longer than the {max}-character name limit of {provider}"
            ),
            K::TooLong {
                max,
                provider: None,
            } => write!(f, "is longer than {max} characters"),
            K::MalformedFile { media_type } => write!(
                f,
                "is not a complete, well-formed {} file",
                media_type.name()
            ),
            K::ImageTooLarge {
                size,
                limit,
                provider,
            } => write!(
                f,
                "is {size} bytes, over the {limit}-byte image limit of {provider}"
            ),
        }
    }
}

/// One problem: the field's path in the canonical JSON and the rule it breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// Dotted path of the field (`person.identity_document.front_image`); empty for the whole customer.
    pub path: String,
    /// The rule broken.
    pub kind: ValidationErrorKind,
}

impl ValidationError {
    /// A problem at `path`.
    pub fn new(path: impl Into<String>, kind: ValidationErrorKind) -> Self {
        Self {
            path: path.into(),
            kind,
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "customer"
        } else {
            &self.path
        };
        write!(f, "{path} {}", self.kind)
    }
}

impl std::error::Error for ValidationError {}

/// Every problem found, in field order; never empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationErrors(pub(super) Vec<ValidationError>);

impl ValidationErrors {
    /// The problems.
    pub fn as_slice(&self) -> &[ValidationError] {
        &self.0
    }

    /// The problems, owned.
    pub fn into_vec(self) -> Vec<ValidationError> {
        self.0
    }

    /// Iterates over the problems.
    pub fn iter(&self) -> std::slice::Iter<'_, ValidationError> {
        self.0.iter()
    }

    /// How many problems.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Always `false`: an error value holds at least one problem.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether a problem of this kind was found at this path.
    pub fn contains(&self, path: &str, kind: &ValidationErrorKind) -> bool {
        self.0.iter().any(|e| e.path == path && &e.kind == kind)
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.as_slice() {
            [one] => write!(f, "invalid customer: {one}"),
            all => {
                write!(f, "invalid customer, {} problems:", all.len())?;
                for error in all {
                    write!(f, "\n- {error}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ValidationErrors {}

impl IntoIterator for ValidationErrors {
    type Item = ValidationError;
    type IntoIter = std::vec::IntoIter<ValidationError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a ValidationError;
    type IntoIter = std::slice::Iter<'a, ValidationError>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}
