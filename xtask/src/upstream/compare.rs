//! Our spec against the vendor's files: operations matched by method and path (parameter names
//! blanked, the servers' base paths lined up), each pair compared by `xtask diff`'s engine with our
//! spec as the old side and the vendor's file as the new one — so "the vendor now requires a field we
//! send without" is `new-required-request-property`, breaking, exactly as `diff` would judge it —
//! then vendor operations we neither generate nor exclude, exclusions the files contradict, and our
//! operations that the file our `x-source` cites no longer has.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::diff::change::Change;
use crate::diff::engine::{Options, compare};
use crate::spec::{self, Operation};
use crate::upstream::exclusions::Exclusion;
use crate::upstream::item::Item;
use crate::upstream::load::VendorFile;
use crate::upstream::locate::{esc, locate, reason};
use crate::upstream::normalize::{
    EXCLUDED, OPTIONAL_RESPONSE, PROSE, Projections, UNION_RESPONSE, route_key,
};
use crate::upstream::pair::documents;

/// What a comparison found.
#[derive(Default)]
pub struct Outcome {
    pub items: Vec<Item>,
    pub projections: Projections,
    /// Operations of our spec compared with a vendor operation.
    pub compared: usize,
    /// Operations of our spec none of the files has and whose `x-source` cites none of them.
    pub elsewhere: Vec<String>,
}

/// Rules that are prose: counted as a projection (our descriptions are richer), never reported.
const PROSE_RULES: [&str; 4] = [
    "api-summary-changed",
    "api-description-changed",
    "description-changed",
    "example-changed",
];

struct VendorOp<'v> {
    file: usize,
    /// The path with our servers' base path (see `base_paths`).
    route: String,
    op: Operation<'v>,
}

pub fn compare_files(spec: &Value, vendors: &[VendorFile], exclusions: &[Exclusion]) -> Outcome {
    let mut out = Collector::default();
    let mut theirs: Vec<VendorOp<'_>> = Vec::new();
    for (file, v) in vendors.iter().enumerate() {
        let shift = base_paths(spec, &v.doc);
        for op in spec::operations(&v.doc) {
            theirs.push(VendorOp {
                file,
                route: route_key(&shift(op.path)),
                op,
            });
        }
    }
    let mut matched = BTreeSet::new();
    for ours in spec::operations(spec) {
        let route = route_key(ours.path);
        let candidates: Vec<usize> = (0..theirs.len())
            .filter(|&i| theirs[i].op.method == ours.method && theirs[i].route == route)
            .collect();
        let cited = cited_file(&ours, vendors);
        let Some(&first) = candidates.first() else {
            match cited {
                Some(file) => out.missing(&ours, &vendors[file], &route, &theirs),
                None => out.elsewhere.push(ours.label()),
            }
            continue;
        };
        matched.extend(candidates.iter().copied());
        let chosen = candidates
            .iter()
            .copied()
            .find(|&i| Some(theirs[i].file) == cited)
            .unwrap_or(first);
        let v = &theirs[chosen];
        out.compared += 1;
        out.pair(spec, &ours, &vendors[v.file].doc, &v.op);
        let scopes: BTreeSet<String> = candidates
            .iter()
            .flat_map(|&i| scopes(&vendors[theirs[i].file].doc, &theirs[i].op))
            .collect();
        out.scopes(&ours, &scopes, cited.is_some());
        if theirs[chosen]
            .op
            .body
            .get("deprecated")
            .and_then(Value::as_bool)
            == Some(true)
            && ours.body.get("deprecated").and_then(Value::as_bool) != Some(true)
        {
            let item = Item::new(
                "api-deprecated",
                format!("#/paths/{}/{}", esc(ours.path), ours.method),
                format!(
                    "{} is deprecated in {}.",
                    ours.label(),
                    vendors[v.file].name
                ),
            );
            out.add(
                item.on(ours.id(), ours.method, ours.path),
                reason(&Value::Object(ours.body.clone())),
            );
        }
    }
    // Vendor operations we neither generate nor exclude (each route once, whatever the files).
    let mut seen = BTreeSet::new();
    for (i, v) in theirs.iter().enumerate() {
        if matched.contains(&i) || !seen.insert((v.op.method, v.route.clone())) {
            continue;
        }
        let file = &vendors[v.file];
        let at = format!("{}#/paths/{}/{}", file.name, esc(v.op.path), v.op.method);
        let label = v.op.label();
        // An exclusion names the route as the vendor writes it, or as our spec would (base path).
        let excluded = exclusions.iter().find(|e| {
            e.route.as_ref().is_some_and(|(m, p)| {
                m == v.op.method
                    && (route_key(p) == v.route || route_key(p) == route_key(v.op.path))
            })
        });
        let Some(e) = excluded else {
            let item = Item::new(
                "endpoint-added",
                at,
                format!(
                    "{} has {label}: neither in the spec nor in its exclusions.",
                    file.name
                ),
            );
            out.add(item.on(v.op.id(), v.op.method, v.op.path), None);
            continue;
        };
        *out.projections.entry(EXCLUDED).or_default() += 1;
        let contradiction = match e.claim.as_deref() {
            Some("no-request-body") if v.op.body.get("requestBody").is_some() => Some(format!(
                "The exclusion `{}` rests on there being no request body, but {} gives {label} one.",
                e.name, file.name
            )),
            Some("only-in-sdk") => Some(format!(
                "The exclusion `{}` rests on only the vendor's SDK having this route, but {} has {label}.",
                e.name, file.name
            )),
            _ => None,
        };
        if let Some(message) = contradiction {
            let item = Item::new("exclusion-contradicted", at, message);
            out.add(item.on(v.op.id(), v.op.method, v.op.path), None);
        }
    }
    out.finish()
}

/// The vendor file our operation's `x-source` cites (by file name), among those given.
fn cited_file(op: &Operation<'_>, vendors: &[VendorFile]) -> Option<usize> {
    let source = op.body.get("x-source").and_then(Value::as_str)?;
    let name = source.split(['?', '#']).next()?.rsplit('/').next()?;
    vendors.iter().position(|v| v.name == name)
}

/// The scopes a vendor operation's `security` (or the file's) asks for.
fn scopes(doc: &Value, op: &Operation<'_>) -> Vec<String> {
    op.body
        .get("security")
        .or_else(|| doc.get("security"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|req| req.values())
        .filter_map(Value::as_array)
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

/// Maps a vendor path onto our servers' base path: with our server at `…/api` and the vendor's at
/// `…/api/v1`, the vendor's `/users` is our `/v1/users` (and the other way round).
fn base_paths<'s>(spec: &'s Value, vendor: &'s Value) -> impl Fn(&str) -> String + 's {
    let base = |doc: &Value| -> String {
        let url = doc
            .pointer("/servers/0/url")
            .and_then(Value::as_str)
            .unwrap_or("");
        let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
        let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
        path.trim_end_matches('/').to_owned()
    };
    let (ours, theirs) = (base(spec), base(vendor));
    move |path: &str| {
        if let Some(extra) = theirs.strip_prefix(ours.as_str()) {
            format!("{extra}{path}")
        } else if let Some(extra) = ours.strip_prefix(theirs.as_str()) {
            path.strip_prefix(extra).unwrap_or(path).to_owned()
        } else {
            path.to_owned()
        }
    }
}

#[derive(Default)]
struct Collector {
    items: Vec<Item>,
    /// `(rule, location)` → index in `items`, and the other operations it was also seen in.
    index: BTreeMap<(String, String), usize>,
    also: BTreeMap<usize, Vec<String>>,
    projections: Projections,
    compared: usize,
    elsewhere: Vec<String>,
}

impl Collector {
    fn add(&mut self, mut item: Item, silenced_by: Option<String>) {
        let key = (item.change.rule.to_owned(), item.change.location.clone());
        if let Some(&i) = self.index.get(&key) {
            let op = item.change.operation.clone().unwrap_or_default();
            let also = self.also.entry(i).or_default();
            if self.items[i].change.operation.as_deref() != Some(op.as_str()) && !also.contains(&op)
            {
                also.push(op);
            }
            return;
        }
        item.silenced_by = silenced_by;
        self.index.insert(key, self.items.len());
        self.items.push(item);
    }

    fn pair(
        &mut self,
        spec: &Value,
        ours: &Operation<'_>,
        vendor_doc: &Value,
        theirs: &Operation<'_>,
    ) {
        let (old, new) = documents(spec, ours, vendor_doc, theirs, &mut self.projections);
        for change in compare(&old, &new, &Options::default()) {
            let projection = match change.rule {
                r if PROSE_RULES.contains(&r) => Some(PROSE),
                // Lenient on purpose: a field we decode as optional works whatever the vendor sends.
                "response-property-became-required" => Some(OPTIONAL_RESPONSE),
                "response-optional-property-removed" => Some(UNION_RESPONSE),
                _ => None,
            };
            if let Some(what) = projection {
                *self.projections.entry(what).or_default() += 1;
                continue;
            }
            let place = locate(spec, ours, &change.location);
            let item = Item {
                change: Change {
                    location: place.pointer,
                    operation: ours.id().map(str::to_owned),
                    source: ours
                        .body
                        .get("x-source")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    ..change
                },
                silenced_by: None,
            };
            self.add(item, place.silenced_by);
        }
    }

    fn scopes(&mut self, ours: &Operation<'_>, theirs: &BTreeSet<String>, cited: bool) {
        let mine: BTreeSet<String> = ours
            .body
            .get("x-scopes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        let at = format!("#/paths/{}/{}/x-scopes", esc(ours.path), ours.method);
        let silenced = reason(&Value::Object(ours.body.clone()));
        for s in theirs.difference(&mine) {
            let item = Item::new(
                "api-security-scope-added",
                at.clone(),
                format!(
                    "The vendor's file lets scope `{s}` call {}; `x-scopes` does not list it.",
                    ours.label()
                ),
            );
            self.add_scope(item.on(ours.id(), ours.method, ours.path), silenced.clone());
        }
        if cited && !theirs.is_empty() {
            for s in mine.difference(theirs) {
                let item = Item::new(
                    "api-security-scope-removed",
                    at.clone(),
                    format!(
                        "`x-scopes` of {} lists `{s}`, which the vendor's file does not.",
                        ours.label()
                    ),
                );
                self.add_scope(item.on(ours.id(), ours.method, ours.path), silenced.clone());
            }
        }
    }

    /// Scope items share their location: they are told apart by message.
    fn add_scope(&mut self, mut item: Item, silenced_by: Option<String>) {
        item.silenced_by = silenced_by;
        self.items.push(item);
    }

    /// Our operation is gone from the file its `x-source` cites.
    fn missing(
        &mut self,
        ours: &Operation<'_>,
        file: &VendorFile,
        route: &str,
        theirs: &[VendorOp<'_>],
    ) {
        let path_gone = !theirs.iter().any(|v| v.route == route);
        let deprecated = ours.body.get("deprecated").and_then(Value::as_bool) == Some(true);
        let rule = match (path_gone, deprecated) {
            (true, false) => "api-path-removed-without-deprecation",
            (true, true) => "api-path-removed-with-deprecation",
            (false, false) => "api-removed-without-deprecation",
            (false, true) => "api-removed-with-deprecation",
        };
        let item = Item::new(
            rule,
            format!("#/paths/{}/{}", esc(ours.path), ours.method),
            format!(
                "{} cites {}, which has no such operation.",
                ours.label(),
                file.name
            ),
        );
        self.add(
            item.on(ours.id(), ours.method, ours.path),
            reason(&Value::Object(ours.body.clone())),
        );
    }

    fn finish(mut self) -> Outcome {
        for (i, ops) in std::mem::take(&mut self.also) {
            let message = &mut self.items[i].change.message;
            message.push_str(&format!(" (Also seen in {}.)", ops.join(", ")));
        }
        Outcome {
            items: self.items,
            projections: self.projections,
            compared: self.compared,
            elsewhere: self.elsewhere,
        }
    }
}
