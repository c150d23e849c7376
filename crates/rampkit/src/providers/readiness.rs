//! Readiness: whether each provider's flow would send this customer, decided without sending anything.
//!
//! A customer can be valid (every canonical rule holds) and still be refused by a provider's flow before
//! its first request: CryptoPocket's delegated KYC needs an identity document, Kriptomat's KYC import a
//! SumSub verification, Crossmint a recorded privacy-policy consent, and most flows take people, not
//! companies. [`readiness`] runs each provider's own conversions — the very functions its flow runs
//! before sending — and the references its flow needs, and says per provider: ready, missing (which
//! fields), or not supported (and why).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::conversion::{ConversionError, ConversionErrorKind};
use super::{Provider, ProviderReferences};
use crate::customer::Customer;

/// One provider's readiness for a customer. Field paths are the canonical JSON's (`person.…`,
/// `company.…`) or the customer line's (`providers.crossmint.privacy_policy_accepted_at`); no personal
/// value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Readiness {
    /// The flow would send this customer.
    pub ready: bool,
    /// Fields the flow needs and the customer (or its line) leaves out.
    pub missing: Vec<String>,
    /// Why the provider's flow does not take this customer at all (a company where only people are
    /// registered, a document type the vendor has no code for), or `None`.
    pub unsupported: Option<String>,
}

impl Readiness {
    /// Readiness from the conversions a flow runs before sending (each `Ok` or its first problem) and
    /// the references it needs (`(path, present)`).
    pub fn check(
        customer: &Customer,
        conversions: impl IntoIterator<Item = Result<(), ConversionError>>,
        references: impl IntoIterator<Item = (&'static str, bool)>,
    ) -> Self {
        let root = match customer {
            Customer::Person(_) => "person",
            Customer::Company(_) => "company",
        };
        let mut readiness = Readiness::default();
        for result in conversions {
            let Err(error) = result else { continue };
            match error.kind() {
                ConversionErrorKind::Missing => {
                    let path = format!("{root}.{}", error.field());
                    if !readiness.missing.contains(&path) {
                        readiness.missing.push(path);
                    }
                }
                _ => {
                    readiness
                        .unsupported
                        .get_or_insert_with(|| error.to_string());
                }
            }
        }
        for (path, present) in references {
            if !present {
                readiness.missing.push(path.to_owned());
            }
        }
        readiness.ready = readiness.missing.is_empty() && readiness.unsupported.is_none();
        readiness
    }

    /// Not taken at all, for `reason`.
    pub fn unsupported(reason: impl Into<String>) -> Self {
        Self {
            ready: false,
            missing: Vec::new(),
            unsupported: Some(reason.into()),
        }
    }
}

impl std::fmt::Display for Readiness {
    /// `ready`, `missing person.identity_document, …`, or `not supported: <reason>`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(reason) = &self.unsupported {
            return write!(f, "not supported: {reason}");
        }
        if self.missing.is_empty() {
            return f.write_str("ready");
        }
        write!(f, "missing {}", self.missing.join(", "))
    }
}

/// Readiness of `customer` (with its line's `references`) for each of `providers`, in their order,
/// without sending anything. Validate the customer first ([`Customer::validate_with`]): readiness reads
/// a customer that the canonical rules accept.
///
/// ```
/// use rampkit::{Customer, Provider, ProviderReferences, readiness};
///
/// let customer = Customer::from_json(r#"{"person": {
///     "legal_name": {"first_name": "Juan", "last_name": "Pérez"},
///     "date_of_birth": "1990-05-15",
///     "nationality": "ES",
///     "country_of_residence": "ES",
///     "email": "juan@example.com"
/// }}"#)?;
/// let ready = readiness(&customer, &ProviderReferences::default(), &[Provider::CryptoPocket]);
/// assert_eq!(ready[&Provider::CryptoPocket].missing, ["person.identity_document"]);
/// # Ok::<(), rampkit::ValidationErrors>(())
/// ```
pub fn readiness(
    customer: &Customer,
    references: &ProviderReferences,
    providers: &[Provider],
) -> BTreeMap<Provider, Readiness> {
    providers
        .iter()
        .map(|&p| (p, p.connector().readiness(customer, references)))
        .collect()
}
