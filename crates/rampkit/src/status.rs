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
}
