//! One classified change — the engine's output item — and its JSON form.

use serde::Serialize;

use crate::diff::rules::Level;

/// One classified change.
#[derive(Clone, Debug)]
pub struct Change {
    pub rule: &'static str,
    pub wire: Level,
    pub rust_api: Level,
    pub operation: Option<String>,
    pub method: Option<String>,
    pub path: Option<String>,
    /// JSON pointer into the new spec (into the old one for removals).
    pub location: String,
    pub message: String,
    /// The vendor page of the operation (`x-source`), for changelogs.
    pub source: Option<String>,
    /// Facade code to review (`file: function()`), for response enum values the facade maps.
    pub review: Vec<String>,
    /// For enum changes: the component enum name, to look up facade mappings.
    pub enum_name: Option<String>,
}

impl Change {
    pub fn level(&self) -> Level {
        self.wire.max(self.rust_api)
    }

    pub fn to_json(&self) -> ChangeJson<'_> {
        ChangeJson {
            rule: self.rule,
            level: self.level().as_str(),
            wire: self.wire.as_str(),
            rust_api: self.rust_api.as_str(),
            operation: self.operation.as_deref(),
            method: self.method.as_deref(),
            path: self.path.as_deref(),
            location: &self.location,
            message: &self.message,
            review: &self.review,
        }
    }
}

/// The JSON form of a change, fields in the documented order.
#[derive(Serialize)]
pub struct ChangeJson<'a> {
    rule: &'a str,
    level: &'a str,
    wire: &'a str,
    rust_api: &'a str,
    operation: Option<&'a str>,
    method: Option<&'a str>,
    path: Option<&'a str>,
    location: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    review: &'a [String],
}
