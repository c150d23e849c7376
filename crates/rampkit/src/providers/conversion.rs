//! What every provider's conversions share: the [`Operation`] a request is built for and the
//! [`ConversionError`] naming the canonical field, the provider and the operation.

use std::fmt;

use super::Provider;
use crate::customer::{Company, Customer, Image, Person};
use rampkit_runtime::Base64Document;

/// A registration-type operation a conversion builds the request of, in words as error messages show it
/// (`delegated KYC`). Each provider's module defines its operations (`providers::<provider>::operations`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Operation(&'static str);

impl Operation {
    /// An operation named `words` (`register user`).
    pub const fn new(words: &'static str) -> Self {
        Self(words)
    }

    /// The operation in words, as error messages show it (`delegated KYC`).
    pub const fn as_str(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a customer cannot be turned into a provider's request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConversionErrorKind {
    /// The vendor needs a field the customer leaves out.
    Missing,
    /// The operation registers people; the customer is a company.
    NotAPerson,
    /// The operation registers companies; the customer is a person.
    NotACompany,
    /// The vendor has no code for this canonical value. The value is record metadata (a kind of identity
    /// document), never personal data.
    NoVendorCode {
        /// The canonical value (`driving_licence`).
        value: &'static str,
    },
    /// The field is present but not in a form the vendor takes.
    WrongForm {
        /// The form needed (`as a JPEG, PNG or PDF file`, `in USD`).
        expected: &'static str,
    },
}

/// A customer that a provider's operation cannot take, naming the canonical field, the provider and the
/// operation: `cryptopocket delegated KYC needs identity_document.back_image`.
///
/// The field is the path under the customer's `person` (or `company`) object in the canonical JSON. No
/// message, and no `Debug`, carries a personal value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConversionError {
    provider: Provider,
    operation: Operation,
    field: &'static str,
    kind: ConversionErrorKind,
}

impl ConversionError {
    /// A problem with `field` for `provider`'s `operation`.
    pub const fn new(
        provider: Provider,
        operation: Operation,
        field: &'static str,
        kind: ConversionErrorKind,
    ) -> Self {
        Self {
            provider,
            operation,
            field,
            kind,
        }
    }

    /// `field` is missing.
    pub const fn missing(provider: Provider, operation: Operation, field: &'static str) -> Self {
        Self::new(provider, operation, field, ConversionErrorKind::Missing)
    }

    /// The provider.
    pub const fn provider(&self) -> Provider {
        self.provider
    }

    /// The operation.
    pub const fn operation(&self) -> Operation {
        self.operation
    }

    /// The canonical field, as a path under `person` or `company` (`identity_document.back_image`);
    /// `person` or `company` itself for [`ConversionErrorKind::NotAPerson`] / [`ConversionErrorKind::NotACompany`].
    pub const fn field(&self) -> &'static str {
        self.field
    }

    /// What is wrong.
    pub const fn kind(&self) -> ConversionErrorKind {
        self.kind
    }
}

impl fmt::Display for ConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self {
            provider,
            operation,
            field,
            kind,
        } = self;
        match kind {
            ConversionErrorKind::Missing => write!(f, "{provider} {operation} needs {field}"),
            ConversionErrorKind::NotAPerson => {
                write!(f, "{provider} {operation} takes a person, not a company")
            }
            ConversionErrorKind::NotACompany => {
                write!(f, "{provider} {operation} takes a company, not a person")
            }
            ConversionErrorKind::NoVendorCode { value } => {
                write!(f, "{provider} {operation} has no code for {field} {value}")
            }
            ConversionErrorKind::WrongForm { expected } => {
                write!(f, "{provider} {operation} needs {field} {expected}")
            }
        }
    }
}

impl std::error::Error for ConversionError {}

/// The provider and operation a conversion works for; builds its errors.
#[derive(Clone, Copy)]
pub(crate) struct Conversion {
    pub(crate) provider: Provider,
    pub(crate) operation: Operation,
}

impl Conversion {
    pub(crate) const fn new(provider: Provider, operation: Operation) -> Self {
        Self {
            provider,
            operation,
        }
    }

    pub(crate) const fn error(
        self,
        field: &'static str,
        kind: ConversionErrorKind,
    ) -> ConversionError {
        ConversionError::new(self.provider, self.operation, field, kind)
    }

    pub(crate) const fn missing(self, field: &'static str) -> ConversionError {
        self.error(field, ConversionErrorKind::Missing)
    }

    /// The value, or a [`ConversionErrorKind::Missing`] error naming `field`.
    pub(crate) fn require<T>(
        self,
        value: Option<T>,
        field: &'static str,
    ) -> Result<T, ConversionError> {
        value.ok_or(self.missing(field))
    }

    /// The customer as a person, or [`ConversionErrorKind::NotAPerson`].
    pub(crate) fn person(self, customer: &Customer) -> Result<&Person, ConversionError> {
        customer
            .as_person()
            .ok_or(self.error("person", ConversionErrorKind::NotAPerson))
    }

    /// The customer as a company, or [`ConversionErrorKind::NotACompany`].
    pub(crate) fn company(self, customer: &Customer) -> Result<&Company, ConversionError> {
        customer
            .as_company()
            .ok_or(self.error("company", ConversionErrorKind::NotACompany))
    }

    /// The image as a `data:<mime>;base64,` payload sharing its bytes (for fields the spec marks
    /// `x-data-uri: true`).
    pub(crate) fn data_uri(
        self,
        image: &Image,
        field: &'static str,
    ) -> Result<Base64Document, ConversionError> {
        image.to_data_uri().map_err(|_| {
            self.error(
                field,
                ConversionErrorKind::WrongForm {
                    expected: "as a JPEG, PNG or PDF file",
                },
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_field_provider_and_operation() {
        let provider = Provider::ALL[0];
        let error = ConversionError::missing(
            provider,
            Operation::new("delegated KYC"),
            "identity_document.back_image",
        );
        assert_eq!(
            error.to_string(),
            format!("{provider} delegated KYC needs identity_document.back_image")
        );
        let error = ConversionError::new(
            provider,
            Operation::new("document upload"),
            "identity_document.document_type",
            ConversionErrorKind::NoVendorCode { value: "tax_id" },
        );
        assert_eq!(
            error.to_string(),
            format!(
                "{provider} document upload has no code for identity_document.document_type tax_id"
            )
        );
    }
}
