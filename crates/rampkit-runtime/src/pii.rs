use std::fmt;

use serde::{Deserialize, Serialize};

/// What `Debug` and `Display` print in place of personal data, secrets and document payloads.
pub const REDACTED: &str = "[redacted]";

/// Personal data: a value that must never reach a log, an error message or a panic.
///
/// `Debug` and `Display` print [`REDACTED`], whatever the value. Serde is transparent, so `Pii<String>`
/// is the plain JSON string on the wire. The value is reachable only through the explicit
/// [`Pii::expose`] / [`Pii::into_exposed`] calls, which makes every read greppable.
///
/// ```
/// use rampkit_runtime::Pii;
/// let name = Pii::from("Juan");
/// assert_eq!(format!("{name:?} {name}"), "[redacted] [redacted]");
/// assert_eq!(serde_json::to_string(&name).unwrap(), "\"Juan\"");
/// assert_eq!(name.expose(), "Juan");
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pii<T = String>(T);

impl<T> Pii<T> {
    /// Wraps a personal value.
    pub const fn new(value: T) -> Self {
        Self(value)
    }

    /// The personal value. Call this only to hand the value to code that needs it, never to log it.
    pub const fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the personal value.
    pub fn into_exposed(self) -> T {
        self.0
    }
}

impl Pii<String> {
    /// The personal value as a string slice.
    pub fn expose_str(&self) -> &str {
        &self.0
    }
}

impl<T> fmt::Debug for Pii<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl<T> fmt::Display for Pii<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for Pii<String> {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Pii<String> {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl std::str::FromStr for Pii<String> {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

#[cfg(feature = "schemars")]
impl<T: schemars::JsonSchema> schemars::JsonSchema for Pii<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_display_and_alternate_debug_are_redacted() {
        let v = Pii::from("12345678Z");
        assert_eq!(format!("{v:?}"), REDACTED);
        assert_eq!(format!("{v:#?}"), REDACTED);
        assert_eq!(format!("{v}"), REDACTED);
        assert_eq!(v.to_string(), REDACTED);
        let nested = Some(vec![v.clone()]);
        assert_eq!(format!("{nested:?}"), "Some([[redacted]])");
    }

    #[test]
    fn serde_is_transparent() {
        let v: Pii = serde_json::from_str("\"juan@example.com\"").unwrap();
        assert_eq!(v.expose_str(), "juan@example.com");
        assert_eq!(
            serde_json::to_value(&v).unwrap(),
            serde_json::json!("juan@example.com")
        );
        let n: Pii<u32> = serde_json::from_str("42").unwrap();
        assert_eq!(*n.expose(), 42);
    }
}
