//! The report of one provider's crate: its classified changes, the facade code to review, and the
//! version they call for.

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

use crate::diff::change::{Change, ChangeJson};
use crate::diff::engine::{self, Options};
use crate::diff::facade::facade_mappings;
use crate::diff::rules::Level;
use crate::diff::version::{bump, crate_version};

/// The comparison of one provider's spec.
pub struct ProviderReport {
    pub provider: &'static str,
    pub krate: String,
    pub current: String,
    pub proposed: String,
    pub level: Level,
    /// The base has no such spec: a new provider, everything additive.
    pub new_provider: bool,
    pub changes: Vec<Change>,
    /// Why the facade (`rampkit`) needs a look, if it does.
    pub facade: Vec<String>,
}

impl ProviderReport {
    pub fn to_json(&self) -> ProviderJson<'_> {
        ProviderJson {
            provider: self.provider,
            krate: &self.krate,
            current: &self.current,
            proposed: &self.proposed,
            level: self.level.as_str(),
            new_provider: self.new_provider,
            changes: self.changes.iter().map(Change::to_json).collect(),
            facade: (!self.facade.is_empty()).then_some(FacadeJson {
                krate: "rampkit",
                review: &self.facade,
            }),
        }
    }
}

/// The JSON form of a provider's report, fields in the documented order.
#[derive(Serialize)]
pub struct ProviderJson<'a> {
    provider: &'a str,
    #[serde(rename = "crate")]
    krate: &'a str,
    current: &'a str,
    proposed: &'a str,
    level: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    new_provider: bool,
    changes: Vec<ChangeJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    facade: Option<FacadeJson<'a>>,
}

#[derive(Serialize)]
pub struct FacadeJson<'a> {
    #[serde(rename = "crate")]
    krate: &'a str,
    review: &'a [String],
}

/// Compares one provider's spec at `base` (None: no spec there) with `new`, and proposes a version.
pub fn report(
    root: &Path,
    provider: &'static str,
    base: Option<&Value>,
    new: &Value,
) -> Result<ProviderReport, String> {
    let krate = format!("rampkit-{provider}");
    let current = crate_version(root, &krate)?;
    let mut changes = match base {
        Some(old) => engine::compare(old, new, &Options::default()),
        // A new provider: every operation is an addition.
        None => engine::compare(&engine::skeleton(new), new, &Options { new_document: true }),
    };
    let mut facade = Vec::new();
    for c in &mut changes {
        if c.rule == "response-property-enum-value-added"
            && let Some(name) = &c.enum_name
        {
            c.review = facade_mappings(root, provider, name);
            for r in &c.review {
                let line = format!(
                    "{r} maps `{name}`: map the new value explicitly (until then it falls back to `KycStatus::Unknown` or the function's documented fallback)"
                );
                if !facade.contains(&line) {
                    facade.push(line);
                }
            }
        }
    }
    if changes.iter().any(|c| c.rust_api == Level::Breaking) {
        facade.push(format!(
            "`{krate}`'s public API has a breaking change: check that the facade still compiles and bump its `{krate}` requirement"
        ));
    }
    let level = changes
        .iter()
        .map(Change::level)
        .max()
        .unwrap_or(Level::None);
    let proposed = bump(&current, level)?;
    Ok(ProviderReport {
        provider,
        krate,
        current,
        proposed,
        level,
        new_provider: base.is_none(),
        changes,
        facade,
    })
}
