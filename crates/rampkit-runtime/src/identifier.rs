//! Typed identifiers of path and query parameters.

use crate::Pii;

/// A provider's typed identifier (Crossmint's `UserLocator`, …): what a generated client method takes for
/// a path or query parameter the spec marks `x-identifier-type: <Type>`, instead of a `&str` that could
/// hold anything (a raw e-mail where a locator belongs).
///
/// The wire text is rendered only when the request URL is built, and as [`Pii`]: an identifier may carry
/// personal data (an `email:` locator), so the value never reaches a `Debug` or `Display` on its way.
///
/// ```
/// use rampkit_runtime::{Identifier, Pii};
///
/// struct OrderId(String);
///
/// impl Identifier for OrderId {
///     fn to_parameter(&self) -> Pii {
///         Pii::new(self.0.clone())
///     }
/// }
///
/// assert_eq!(OrderId("o-1".into()).to_parameter().expose_str(), "o-1");
/// ```
pub trait Identifier {
    /// The parameter's wire text, before percent-encoding (the client encodes it).
    fn to_parameter(&self) -> Pii;
}
