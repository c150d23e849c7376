/// Implements the forward-compatible enum contract for a generated response enum.
///
/// The generator writes the enum itself (so readers and rustdoc see every variant) with a last variant
/// `Unknown(String)`, and invokes this macro with the wire value of each known variant. The macro adds:
/// `as_str()` (the wire value, or the raw unknown value), `is_unknown()`, `KNOWN` (the documented
/// values), `From<&str>`/`From<String>`/`FromStr` (never failing), `Display`, and serde impls that read
/// and write the plain string. A value the spec did not list decodes into `Unknown(raw)`, so a vendor
/// adding a status never breaks decoding.
///
/// ```
/// #[derive(Clone, Debug, PartialEq, Eq, Hash)]
/// pub enum KycStatus { Passed, Pending, Unknown(String) }
/// rampkit_runtime::open_enum_impls!(KycStatus { Passed => "passed", Pending => "pending" });
///
/// let s: KycStatus = serde_json::from_str("\"under_review\"").unwrap();
/// assert_eq!(s, KycStatus::Unknown("under_review".into()));
/// assert_eq!(s.as_str(), "under_review");
/// assert_eq!(serde_json::to_string(&KycStatus::Passed).unwrap(), "\"passed\"");
/// ```
#[macro_export]
macro_rules! open_enum_impls {
    ($name:ident { $($variant:ident => $value:literal),* $(,)? }) => {
        impl $name {
            /// The values the spec documents, in spec order.
            pub const KNOWN: &'static [&'static str] = &[$($value),*];

            /// The wire value: the documented string, or the raw value of `Unknown`.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $value,)*
                    Self::Unknown(raw) => raw.as_str(),
                }
            }

            /// Whether the vendor sent a value the spec does not list.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($value => Self::$variant,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $($value => Self::$variant,)*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let raw: ::std::borrow::Cow<'de, str> =
                    $crate::__private::serde::Deserialize::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(raw.as_ref()))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    enum Status {
        Ok,
        Sucess,
        Empty,
        Unknown(String),
    }
    crate::open_enum_impls!(Status { Ok => "ok", Sucess => "sucess", Empty => "" });

    #[test]
    fn known_unknown_and_empty_values() {
        let v: Vec<Status> = serde_json::from_str(r#"["ok","sucess","","brand-new"]"#).unwrap();
        assert_eq!(
            v,
            vec![
                Status::Ok,
                Status::Sucess,
                Status::Empty,
                Status::Unknown("brand-new".into())
            ]
        );
        assert_eq!(
            serde_json::to_string(&v).unwrap(),
            r#"["ok","sucess","","brand-new"]"#
        );
        assert!(v[3].is_unknown() && !v[0].is_unknown());
        assert_eq!(Status::KNOWN, &["ok", "sucess", ""]);
        assert_eq!(v[3].to_string(), "brand-new");
    }

    #[test]
    fn non_string_is_an_error() {
        assert!(serde_json::from_str::<Status>("3").is_err());
    }
}
