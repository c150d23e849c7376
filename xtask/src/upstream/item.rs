//! One reported difference: a change with `xtask diff`'s fields, and the annotation that silences it.

use serde::Serialize;

use crate::diff::change::Change;
use crate::diff::rules::Level;
use crate::upstream::rules::judgments;

pub struct Item {
    pub change: Change,
    /// The `x-upstream-differs` reason on the element the item is about.
    pub silenced_by: Option<String>,
}

impl Item {
    /// An item of one of `upstream`'s own rules (or a `diff` rule), judged by the rule table.
    pub fn new(rule: &'static str, location: String, message: String) -> Item {
        let (wire, rust_api) = judgments(rule);
        Item {
            change: Change {
                rule,
                wire,
                rust_api,
                operation: None,
                method: None,
                path: None,
                location,
                message,
                source: None,
                review: Vec::new(),
                enum_name: None,
            },
            silenced_by: None,
        }
    }

    /// Names the operation of our spec (or the vendor's) the item is about.
    pub fn on(mut self, operation: Option<&str>, method: &str, path: &str) -> Item {
        self.change.operation = operation.map(str::to_owned);
        self.change.method = Some(method.to_uppercase());
        self.change.path = Some(path.to_owned());
        self
    }

    pub fn level(&self) -> Level {
        self.change.level()
    }

    pub fn to_json(&self) -> ItemJson<'_> {
        let c = &self.change;
        ItemJson {
            rule: c.rule,
            level: c.level().as_str(),
            operation: c.operation.as_deref(),
            method: c.method.as_deref(),
            path: c.path.as_deref(),
            location: &c.location,
            message: &c.message,
            silenced_by: self.silenced_by.as_deref(),
        }
    }
}

/// An item in the JSON report, fields in the documented order.
#[derive(Serialize)]
pub struct ItemJson<'a> {
    pub rule: &'a str,
    pub level: &'a str,
    pub operation: Option<&'a str>,
    pub method: Option<&'a str>,
    pub path: Option<&'a str>,
    pub location: &'a str,
    pub message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub silenced_by: Option<&'a str>,
}
