//! One KYC status for every provider's answer.
//!
//! Each provider module maps its vendor's status vocabulary onto [`KycStatus`] with one total function
//! (`From<&VendorAnswer> for KycStatus`), matching every documented vendor value by name. The rules all
//! mappings follow:
//!
//! - Only a documented approval becomes [`KycStatus::Verified`], only a documented failure
//!   [`KycStatus::Rejected`].
//! - A value the vendor adds later (the generated open enums' `Unknown(raw)`) becomes
//!   [`KycStatus::Unknown`] with the raw value, or [`KycStatus::Pending`] where the rest of the answer says
//!   the check is still running: never verified, never rejected. Both are non-final, so a poller keeps
//!   polling until its deadline.
//! - An answer without any status at all is [`KycStatus::Unknown`] with an empty `raw`
//!   ([`KycStatus::absent`]), unless a provider module documents otherwise.
//!
//! `missing`, `reasons` and `raw` hold the vendor's own words (`due-diligence`, `OfacFailed`,
//! `edd_status failed`): vendor codes, never personal data.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Where a customer's KYC stands with one provider (or one product of a provider).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum KycStatus {
    /// No verification has been started.
    NotStarted,
    /// The provider needs more data or documents before it can decide.
    RequiresData {
        /// What is missing, in the vendor's words (`due-diligence`, `proof-of-address`,
        /// `InvalidAddress`); may be empty when the vendor does not say.
        missing: Vec<String>,
    },
    /// The provider is checking; ask again later.
    Pending,
    /// The provider accepted the customer.
    Verified,
    /// The provider refused the customer.
    Rejected {
        /// Why, in the vendor's words (`id-document-expired`, `OfacFailed`); may be empty when the vendor
        /// does not say.
        reasons: Vec<String>,
    },
    /// A status rampkit does not know (a value the vendor added later), kept verbatim; empty when the
    /// vendor sent no status. Not final.
    Unknown {
        /// The vendor's value.
        raw: String,
    },
}

impl KycStatus {
    /// The status of an answer that carries no status value.
    pub fn absent() -> Self {
        KycStatus::Unknown { raw: String::new() }
    }

    /// Whether the provider accepted the customer.
    pub fn is_verified(&self) -> bool {
        matches!(self, KycStatus::Verified)
    }

    /// Whether the status will not change without new input: verified or rejected. Everything else is
    /// worth polling (or, for [`KycStatus::NotStarted`] and [`KycStatus::RequiresData`], acting on).
    pub fn is_final(&self) -> bool {
        match self {
            KycStatus::Verified | KycStatus::Rejected { .. } => true,
            KycStatus::NotStarted
            | KycStatus::RequiresData { .. }
            | KycStatus::Pending
            | KycStatus::Unknown { .. } => false,
        }
    }

    /// A short name for tables (`requires data`).
    pub fn label(&self) -> &'static str {
        match self {
            KycStatus::NotStarted => "not started",
            KycStatus::RequiresData { .. } => "requires data",
            KycStatus::Pending => "pending",
            KycStatus::Verified => "verified",
            KycStatus::Rejected { .. } => "rejected",
            KycStatus::Unknown { .. } => "unknown",
        }
    }

    /// The status of needing every one of `statuses` (e.g. several Crossmint products): the least
    /// advanced one wins, in the order rejected, requires data, unknown, not started, pending, verified.
    /// Reasons of all rejections, and missing items of all requires-data statuses, are merged in order
    /// without repeats. Nothing at all gives [`KycStatus::absent`], never a vacuous `Verified`.
    pub fn all_of(statuses: impl IntoIterator<Item = KycStatus>) -> KycStatus {
        let mut worst: Option<KycStatus> = None;
        for status in statuses {
            worst = Some(match worst {
                None => status,
                Some(current) => current.combine(status),
            });
        }
        worst.unwrap_or_else(KycStatus::absent)
    }

    fn rank(&self) -> u8 {
        match self {
            KycStatus::Rejected { .. } => 0,
            KycStatus::RequiresData { .. } => 1,
            KycStatus::Unknown { .. } => 2,
            KycStatus::NotStarted => 3,
            KycStatus::Pending => 4,
            KycStatus::Verified => 5,
        }
    }

    fn combine(self, other: KycStatus) -> KycStatus {
        match (self, other) {
            (KycStatus::Rejected { mut reasons }, KycStatus::Rejected { reasons: more }) => {
                merge(&mut reasons, more);
                KycStatus::Rejected { reasons }
            }
            (
                KycStatus::RequiresData { mut missing },
                KycStatus::RequiresData { missing: more },
            ) => {
                merge(&mut missing, more);
                KycStatus::RequiresData { missing }
            }
            (a, b) if b.rank() < a.rank() => b,
            (a, _) => a,
        }
    }
}

fn merge(into: &mut Vec<String>, more: Vec<String>) {
    for item in more {
        if !into.contains(&item) {
            into.push(item);
        }
    }
}

impl fmt::Display for KycStatus {
    /// `verified`, `requires data: due-diligence, proof-of-address`, `rejected: OfacFailed`,
    /// `unknown (Created)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())?;
        match self {
            KycStatus::RequiresData { missing: items } | KycStatus::Rejected { reasons: items }
                if !items.is_empty() =>
            {
                write!(f, ": {}", items.join(", "))
            }
            KycStatus::Unknown { raw } if !raw.is_empty() => write!(f, " ({raw})"),
            KycStatus::Unknown { .. } => f.write_str(" (no status)"),
            KycStatus::NotStarted
            | KycStatus::RequiresData { .. }
            | KycStatus::Pending
            | KycStatus::Verified
            | KycStatus::Rejected { .. } => Ok(()),
        }
    }
}

/// One product's status, for providers that verify per product (Crossmint: `onramp`, `offramp`, …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductStatus {
    /// The product, in the vendor's words (`onramp`, `offramp`).
    pub product: String,
    /// Where the customer stands for it.
    #[serde(flatten)]
    pub status: KycStatus,
}

/// The status of each product a provider listed, in its order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProductStatuses(pub Vec<ProductStatus>);

impl ProductStatuses {
    /// The status of `product`; [`KycStatus::absent`] when the provider did not list it.
    pub fn get(&self, product: &str) -> KycStatus {
        self.0
            .iter()
            .find(|entry| entry.product == product)
            .map_or_else(KycStatus::absent, |entry| entry.status.clone())
    }

    /// Every product listed.
    pub fn iter(&self) -> std::slice::Iter<'_, ProductStatus> {
        self.0.iter()
    }

    /// The status of needing all of `products` ([`KycStatus::all_of`]): verified only when each one is;
    /// missing items of every product that requires data are merged.
    pub fn overall<S: AsRef<str>>(&self, products: &[S]) -> KycStatus {
        KycStatus::all_of(products.iter().map(|product| self.get(product.as_ref())))
    }
}

impl fmt::Display for ProductStatuses {
    /// `onramp: verified; offramp: requires data: due-diligence`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, entry) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", entry.product, entry.status)?;
        }
        Ok(())
    }
}

/// Where a customer stands with one provider: one [`KycStatus`], and for a provider that verifies per
/// product the status of each product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderStatus {
    /// The status that decides the flow; for a provider with products, the products the flow needs,
    /// all together ([`ProductStatuses::overall`]).
    pub overall: KycStatus,
    /// The status of every product the provider listed; `None` for a provider without products.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub products: Option<ProductStatuses>,
    /// The products `overall` covers (the flow's settings); empty for a provider without products.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needed_products: Vec<String>,
}

impl ProviderStatus {
    /// A provider's one status.
    pub fn single(status: KycStatus) -> Self {
        Self {
            overall: status,
            products: None,
            needed_products: Vec::new(),
        }
    }

    /// Per-product statuses, with `overall` the status of needing all of `needed`.
    pub fn per_product(products: ProductStatuses, needed: Vec<String>) -> Self {
        Self {
            overall: products.overall(&needed),
            products: Some(products),
            needed_products: needed,
        }
    }
}

impl From<KycStatus> for ProviderStatus {
    fn from(status: KycStatus) -> Self {
        Self::single(status)
    }
}

impl fmt::Display for ProviderStatus {
    /// `verified`, or with products `requires data: id (onramp: verified; offramp: requires data: id)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.overall)?;
        if let Some(products) = &self.products {
            write!(f, " ({products})")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn requires(items: &[&str]) -> KycStatus {
        KycStatus::RequiresData {
            missing: items.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn rejected(items: &[&str]) -> KycStatus {
        KycStatus::Rejected {
            reasons: items.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn all_of_takes_the_least_advanced() {
        use KycStatus::*;
        assert_eq!(KycStatus::all_of([Verified, Verified]), Verified);
        assert_eq!(KycStatus::all_of([Verified, Pending]), Pending);
        assert_eq!(KycStatus::all_of([Pending, NotStarted]), NotStarted);
        let unknown = Unknown { raw: "new".into() };
        assert_eq!(
            KycStatus::all_of([NotStarted, unknown.clone(), Verified]),
            unknown
        );
        assert_eq!(
            KycStatus::all_of([requires(&["a", "b"]), Verified, requires(&["b", "c"])]),
            requires(&["a", "b", "c"])
        );
        assert_eq!(
            KycStatus::all_of([requires(&["a"]), rejected(&["x"]), rejected(&["y"])]),
            rejected(&["x", "y"])
        );
        assert_eq!(KycStatus::all_of([]), KycStatus::absent());
    }

    #[test]
    fn display_and_serde() {
        assert_eq!(
            requires(&["due-diligence", "id"]).to_string(),
            "requires data: due-diligence, id"
        );
        assert_eq!(rejected(&[]).to_string(), "rejected");
        assert_eq!(KycStatus::absent().to_string(), "unknown (no status)");
        assert_eq!(
            serde_json::to_value(requires(&["id"])).unwrap(),
            serde_json::json!({"status": "requires_data", "missing": ["id"]})
        );
        assert_eq!(
            serde_json::to_value(KycStatus::Verified).unwrap(),
            serde_json::json!({"status": "verified"})
        );
        assert!(KycStatus::Verified.is_final() && rejected(&[]).is_final());
        assert!(!KycStatus::Pending.is_final() && !KycStatus::absent().is_final());
    }

    #[test]
    fn provider_status_display_lists_products() {
        assert_eq!(
            ProviderStatus::single(KycStatus::Verified).to_string(),
            "verified"
        );
        let products = ProductStatuses(vec![
            ProductStatus {
                product: "onramp".to_owned(),
                status: KycStatus::Verified,
            },
            ProductStatus {
                product: "offramp".to_owned(),
                status: requires(&["id"]),
            },
        ]);
        let status = ProviderStatus::per_product(products.clone(), vec!["offramp".to_owned()]);
        assert_eq!(
            status.to_string(),
            "requires data: id (onramp: verified; offramp: requires data: id)"
        );
        // Only the needed products decide; one not listed is unknown, never verified.
        let onramp = ProviderStatus::per_product(products.clone(), vec!["onramp".to_owned()]);
        assert_eq!(onramp.overall, KycStatus::Verified);
        assert_eq!(products.get("regulated-transfer"), KycStatus::absent());
        // The JSON form: products as `{"product", "status", …}` entries.
        let json = serde_json::to_value(&status).unwrap();
        assert_eq!(json["products"][1]["product"], "offramp");
        assert_eq!(json["products"][1]["status"], "requires_data");
        assert_eq!(json["needed_products"][0], "offramp");
    }
}
