//! What every post-processing step may read: the provider, the spec it is generated from, its open
//! enums and the generator versions named in the header.

use crate::providers::Provider;
use crate::spec::{OpenEnum, Spec};

pub struct Context<'a> {
    pub provider: &'static Provider,
    /// `progenitor-impl X, typify-impl Y, prettyplease Z`, from the workspace's Cargo.lock.
    pub generator: &'a str,
    pub spec: &'a Spec,
    pub open_enums: &'a [OpenEnum],
}
