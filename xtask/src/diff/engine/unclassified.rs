//! What the walkers left: prose changes anywhere (documentation), changes inside schemas no operation
//! or webhook uses (`unused-schema-changed`), and, as the safety net, any other difference as
//! `unclassified-change`, so a change is never silently dropped.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::diff::engine::differ::{Differ, OpInfo};
use crate::diff::engine::meaning::{normalized, prose_changes};
use crate::diff::engine::node::{esc, first_difference};
use crate::diff::engine::place::subject;
use crate::diff::engine::unused::{summary, used_schemas};
use crate::spec;

/// One part of both documents compared as a whole: an operation or a component schema.
struct Region<'v> {
    loc: String,
    old: &'v Value,
    new: &'v Value,
    /// The component schema's name, for a component region.
    component: Option<&'v str>,
}

impl<'a> Differ<'a> {
    /// For each operation and component schema present on both sides: every prose change not yet
    /// reported becomes `description-changed` / `example-changed`; a region no rule explained and
    /// that still differs once prose and `required` order are set aside becomes
    /// `unused-schema-changed` (a schema nothing uses) or `unclassified-change` at its first
    /// differing place. When nothing at all was reported, the whole documents are compared the same
    /// way.
    pub(super) fn unclassified(&mut self) {
        self.op = OpInfo::default();
        let (old, new) = (self.old, self.new);
        let mut regions: Vec<Region<'a>> = Vec::new();
        for o in spec::operations(old) {
            let pointer = format!("/paths/{}/{}", esc(o.path), o.method);
            if let (Some(ov), Some(nv)) = (old.pointer(&pointer), new.pointer(&pointer)) {
                regions.push(Region {
                    loc: format!("#{pointer}"),
                    old: ov,
                    new: nv,
                    component: None,
                });
            }
        }
        for (name, os) in spec::components(old).into_iter().flatten() {
            if let Some(ns) = spec::components(new).and_then(|c| c.get(name)) {
                regions.push(Region {
                    loc: format!("#/components/schemas/{}", esc(name)),
                    old: os,
                    new: ns,
                    component: Some(name),
                });
            }
        }
        let used: BTreeSet<String> = used_schemas(old)
            .into_iter()
            .chain(used_schemas(new))
            .collect();
        // Decided before the prose pass adds its own changes under the regions.
        let explained: Vec<bool> = regions.iter().map(|r| self.explains(&r.loc)).collect();
        for (region, explained) in regions.iter().zip(explained) {
            if region.old == region.new {
                continue;
            }
            self.prose(region.old, region.new, &region.loc);
            if explained {
                continue;
            }
            let (o, n) = (normalized(region.old), normalized(region.new));
            if o == n {
                continue;
            }
            match region.component {
                Some(name) if !used.contains(name) => self.push(
                    "unused-schema-changed",
                    region.loc.clone(),
                    format!(
                        "`{name}` is used by no operation or webhook payload, so the wire is unaffected: {}. Its generated type changes.",
                        summary(region.old, region.new)
                    ),
                ),
                _ => self.unknown(&o, &n, region.loc.clone()),
            }
        }
        if self.changes.is_empty() && old != new {
            self.prose(old, new, "#");
            let (o, n) = (normalized(old), normalized(new));
            if o != n {
                self.unknown(&o, &n, "#".to_owned());
            }
        }
    }

    /// Whether a change was reported at `loc` or under it.
    fn explains(&self, loc: &str) -> bool {
        self.changes
            .iter()
            .any(|c| c.location == loc || c.location.starts_with(&format!("{loc}/")))
    }

    /// Every prose change between `o` and `n` (both at `loc`) that no rule reported at that place.
    fn prose(&mut self, o: &Value, n: &Value, loc: &str) {
        for (at, rule, key) in prose_changes(o, n, loc) {
            if self.changes.iter().any(|c| c.location == at) {
                continue;
            }
            let holder = at
                .rsplit_once('/')
                .map_or(at.as_str(), |(holder, _)| holder);
            let message = format!("The {key} of {} changed.", subject(self.new, holder));
            self.push(rule, at, message);
        }
    }

    /// `unclassified-change` at the first place two normalized values differ.
    fn unknown(&mut self, o: &Value, n: &Value, loc: String) {
        let at = first_difference(o, n, loc);
        self.push(
            "unclassified-change",
            at.clone(),
            format!("The specs differ at {at} in a way no rule classifies; review it by hand."),
        );
    }
}
