//! The registry: every simulated vendor, one line each in [`Vendor`], [`VendorConfigs`] and
//! `rooms`. Everything else about a vendor — its config section, state, operations, error shape,
//! statuses and webhook signature — lives in its own module below; the engine loops over this list.
//!
//! A vendor here is one vendor API, as one provider crate speaks it: CryptoPocket, Kriptomat, SumSub,
//! Crossmint and Leap. The facade's `rampkit::Provider` counts four onboarding providers instead:
//! Kriptomat's flow shares the customer's KYC through SumSub, so one provider there is two vendors
//! here.

pub mod crossmint;
pub mod cryptopocket;
pub mod kriptomat;
pub mod leap;
pub mod sumsub;

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::room::{Env, Room, Section};

/// One of the simulated vendor APIs; [`as_str`](Self::as_str) is its path prefix (`/crossmint`), its
/// key in the counters and its section in the config file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Vendor {
    /// CryptoPocket.
    CryptoPocket,
    /// Kriptomat (white-label partner API).
    Kriptomat,
    /// SumSub (share tokens for Kriptomat's KYC import).
    Sumsub,
    /// Crossmint (Users / KYC API, orders, payment methods).
    Crossmint,
    /// Leap Financial.
    Leap,
}

impl Vendor {
    /// Every vendor, in a fixed order.
    pub const ALL: [Vendor; 5] = [
        Vendor::CryptoPocket,
        Vendor::Kriptomat,
        Vendor::Sumsub,
        Vendor::Crossmint,
        Vendor::Leap,
    ];

    /// The path prefix without its slash: `cryptopocket`, `kriptomat`, `sumsub`, `crossmint`, `leap`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Vendor::CryptoPocket => "cryptopocket",
            Vendor::Kriptomat => "kriptomat",
            Vendor::Sumsub => "sumsub",
            Vendor::Crossmint => "crossmint",
            Vendor::Leap => "leap",
        }
    }

    /// The vendor named `name` (its path prefix), if any.
    pub fn from_name(name: &str) -> Option<Vendor> {
        Vendor::ALL.into_iter().find(|v| v.as_str() == name)
    }

    /// Its position in [`ALL`](Self::ALL).
    pub const fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl AsRef<str> for Vendor {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

/// The name is not a simulated vendor's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownVendor;

impl fmt::Display for UnknownVendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Vendor::ALL.iter().map(|v| v.as_str()).collect();
        write!(f, "not a simulated vendor (one of {})", names.join(", "))
    }
}

impl std::error::Error for UnknownVendor {}

impl FromStr for Vendor {
    type Err = UnknownVendor;

    fn from_str(name: &str) -> Result<Vendor, UnknownVendor> {
        Vendor::from_name(name).ok_or(UnknownVendor)
    }
}

/// Every vendor's config section (`[crossmint]`, `[leap]`, … in a config file).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct VendorConfigs {
    /// CryptoPocket.
    pub cryptopocket: cryptopocket::Config,
    /// Kriptomat.
    pub kriptomat: kriptomat::Config,
    /// SumSub.
    pub sumsub: sumsub::Config,
    /// Crossmint.
    pub crossmint: crossmint::Config,
    /// Leap.
    pub leap: leap::Config,
}

impl VendorConfigs {
    /// The section of `vendor`.
    pub fn section(&self, vendor: Vendor) -> &dyn Section {
        match vendor {
            Vendor::CryptoPocket => &self.cryptopocket,
            Vendor::Kriptomat => &self.kriptomat,
            Vendor::Sumsub => &self.sumsub,
            Vendor::Crossmint => &self.crossmint,
            Vendor::Leap => &self.leap,
        }
    }

    /// The section of `vendor`, to change.
    pub fn section_mut(&mut self, vendor: Vendor) -> &mut dyn Section {
        match vendor {
            Vendor::CryptoPocket => &mut self.cryptopocket,
            Vendor::Kriptomat => &mut self.kriptomat,
            Vendor::Sumsub => &mut self.sumsub,
            Vendor::Crossmint => &mut self.crossmint,
            Vendor::Leap => &mut self.leap,
        }
    }
}

/// Every vendor's room, in [`Vendor::ALL`] order. Kriptomat redeems the share tokens SumSub issues,
/// so the two share SumSub's token store.
pub(crate) fn rooms(configs: &VendorConfigs, env: impl Fn(Vendor) -> Env) -> Vec<Arc<dyn Room>> {
    let share_tokens = Arc::new(sumsub::ShareTokens::default());
    vec![
        cryptopocket::room(&configs.cryptopocket, env(Vendor::CryptoPocket)),
        kriptomat::room(
            &configs.kriptomat,
            env(Vendor::Kriptomat),
            Arc::clone(&share_tokens),
        ),
        sumsub::room(&configs.sumsub, env(Vendor::Sumsub), share_tokens),
        crossmint::room(&configs.crossmint, env(Vendor::Crossmint)),
        leap::room(&configs.leap, env(Vendor::Leap)),
    ]
}
