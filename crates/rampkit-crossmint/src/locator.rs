//! Crossmint's user locator, `<type>:<value>`: how every user-scoped call names the user
//! (<https://docs.crossmint.com/api-reference/users/upsert-user>). The `email:` and `phoneNumber:` forms
//! carry personal data, so the locator is a type whose `Debug` redacts them; its wire form is rendered
//! only when a request is built ([`UserLocator::to_wire`], a [`Pii`]).

use std::fmt;
use std::str::FromStr;

use rampkit_runtime::Pii;

/// How a request names a Crossmint user: `<type>:<value>` ([C1]).
///
/// The import guides use `userId:` with an id the platform chooses and reuses ([C14]). `Debug` redacts
/// every form except `UserId`, whose value is the platform's own reference.
///
/// ```
/// use rampkit_crossmint::UserLocator;
///
/// let locator = UserLocator::user_id("johnd-123");
/// assert_eq!(locator.to_wire().expose_str(), "userId:johnd-123");
/// let parsed: UserLocator = "email:alice@example.com".parse().unwrap();
/// assert_eq!(format!("{parsed:?}"), "Email([redacted])");
/// ```
///
/// [C1]: https://docs.crossmint.com/api-reference/users/upsert-user
/// [C14]: https://docs.crossmint.com/offramp/guides/import-user-kyc-data
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum UserLocator {
    /// `userId:<id>`: an id the platform chooses and reuses across calls.
    UserId(String),
    /// `email:<email>`.
    Email(Pii),
    /// `phoneNumber:<E.164>`.
    PhoneNumber(Pii),
    /// `twitter:<handle>`.
    Twitter(Pii),
    /// `x:<handle>`.
    X(Pii),
}

impl UserLocator {
    /// `userId:<id>`.
    pub fn user_id(id: impl Into<String>) -> Self {
        UserLocator::UserId(id.into())
    }

    /// `email:<address>`.
    pub fn email(address: impl Into<Pii>) -> Self {
        UserLocator::Email(address.into())
    }

    /// `phoneNumber:<E.164 number>`.
    pub fn phone_number(number: impl Into<Pii>) -> Self {
        UserLocator::PhoneNumber(number.into())
    }

    /// The locator prefix (`userId`, `email`, `phoneNumber`, `twitter`, `x`).
    pub const fn kind(&self) -> &'static str {
        match self {
            UserLocator::UserId(_) => "userId",
            UserLocator::Email(_) => "email",
            UserLocator::PhoneNumber(_) => "phoneNumber",
            UserLocator::Twitter(_) => "twitter",
            UserLocator::X(_) => "x",
        }
    }

    fn value(&self) -> &str {
        match self {
            UserLocator::UserId(id) => id,
            UserLocator::Email(value)
            | UserLocator::PhoneNumber(value)
            | UserLocator::Twitter(value)
            | UserLocator::X(value) => value.expose_str(),
        }
    }

    /// The wire form, `<type>:<value>`, for the `{userLocator}` path segment (the client percent-encodes
    /// it) and for `reference.userLocator`. Personal data: it may hold an email or a phone number.
    pub fn to_wire(&self) -> Pii {
        Pii::new(format!("{}:{}", self.kind(), self.value()))
    }
}

/// What the generated methods render for a `{userLocator}` path segment or a `userLocator` query parameter
/// (`x-identifier-type: UserLocator` in the spec): the wire form, when the URL is built.
impl rampkit_runtime::Identifier for UserLocator {
    fn to_parameter(&self) -> Pii {
        self.to_wire()
    }
}

/// A text that is not `<type>:<value>` with a known type and a non-empty value. Never holds the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidUserLocator;

impl fmt::Display for InvalidUserLocator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a Crossmint user locator (userId:, email:, phoneNumber:, twitter: or x: and a value)")
    }
}

impl std::error::Error for InvalidUserLocator {}

impl FromStr for UserLocator {
    type Err = InvalidUserLocator;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (kind, value) = text.split_once(':').ok_or(InvalidUserLocator)?;
        if value.is_empty() {
            return Err(InvalidUserLocator);
        }
        let value = value.to_owned();
        Ok(match kind {
            "userId" => UserLocator::UserId(value),
            "email" => UserLocator::Email(Pii::new(value)),
            "phoneNumber" => UserLocator::PhoneNumber(Pii::new(value)),
            "twitter" => UserLocator::Twitter(Pii::new(value)),
            "x" => UserLocator::X(Pii::new(value)),
            _ => return Err(InvalidUserLocator),
        })
    }
}

/// As its wire form, `<type>:<value>` (personal data when it is not a `userId:`): for journals and
/// stored flows, which must name the user again after a restart.
impl serde::Serialize for UserLocator {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.to_wire().expose_str())
    }
}

impl<'de> serde::Deserialize<'de> for UserLocator {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Pii::deserialize(deserializer)?;
        text.expose_str()
            .parse()
            .map_err(|e: InvalidUserLocator| serde::de::Error::custom(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_forms_are_redacted_and_rendered_only_on_the_wire() {
        let email = UserLocator::email("alice@example.com".to_owned());
        assert_eq!(format!("{email:?}"), "Email([redacted])");
        assert_eq!(email.to_wire().expose_str(), "email:alice@example.com");
        assert_eq!(format!("{}", email.to_wire()), "[redacted]");
        let phone: UserLocator = "phoneNumber:+34600111222".parse().unwrap();
        assert_eq!(format!("{phone:?}"), "PhoneNumber([redacted])");
        assert_eq!(phone.kind(), "phoneNumber");
        assert_eq!(
            UserLocator::user_id("johnd-123").to_wire().expose_str(),
            "userId:johnd-123"
        );
        for bad in ["johnd", "userId:", "mail:a@b.c", ""] {
            assert_eq!(bad.parse::<UserLocator>(), Err(InvalidUserLocator), "{bad}");
        }
    }
}
