//! The safety net: a difference no rule reported becomes `unclassified-change`, so a change is never
//! silently dropped.

use serde_json::Value;

use crate::diff::engine::differ::{Differ, OpInfo};
use crate::diff::engine::node::{esc, first_difference};
use crate::spec;

impl<'a> Differ<'a> {
    /// A difference no rule reported — in an operation, a component schema, or anywhere when nothing
    /// at all was reported — becomes `unclassified-change` at the first differing place: a change is
    /// never silently dropped.
    pub(super) fn unclassified(&mut self) {
        self.op = OpInfo::default();
        let (old, new) = (self.old, self.new);
        let mut regions: Vec<(String, &Value, &Value)> = Vec::new();
        for o in spec::operations(old) {
            let pointer = format!("/paths/{}/{}", esc(o.path), o.method);
            if let (Some(ov), Some(nv)) = (old.pointer(&pointer), new.pointer(&pointer)) {
                regions.push((format!("#{pointer}"), ov, nv));
            }
        }
        for (name, os) in spec::components(old).into_iter().flatten() {
            if let Some(ns) = spec::components(new).and_then(|c| c.get(name)) {
                regions.push((format!("#/components/schemas/{}", esc(name)), os, ns));
            }
        }
        for (loc, o, n) in regions {
            let explained = self
                .changes
                .iter()
                .any(|c| c.location == loc || c.location.starts_with(&format!("{loc}/")));
            if o != n && !explained {
                let at = first_difference(o, n, loc);
                self.push(
                    "unclassified-change",
                    at.clone(),
                    format!(
                        "The specs differ at {at} in a way no rule classifies; review it by hand."
                    ),
                );
            }
        }
        if self.changes.is_empty() && old != new {
            let loc = first_difference(old, new, "#".to_owned());
            self.push(
                "unclassified-change",
                loc.clone(),
                format!(
                    "The specs differ at {loc} in a way no rule classifies; review it by hand."
                ),
            );
        }
    }
}
