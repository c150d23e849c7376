//! Operations: matched by `operationId` (else by method and path), then each pair compared — its
//! identity and annotations, its parameters, its request body and its responses. Unmatched ones are
//! removals and additions.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::diff::engine::differ::{Differ, Dir};
use crate::diff::engine::node::{
    enum_change, enum_delta, enum_index, esc, ref_name_of, resolve, show_type, target_name, text,
    type_signature,
};
use crate::diff::rules::judgments;
use crate::lint::IDENTIFIER_TYPE;
use crate::spec;

impl<'a> Differ<'a> {
    pub(super) fn operations(&mut self) {
        let (old_doc, new_doc) = (self.old, self.new);
        let old_ops = spec::operations(old_doc);
        let new_ops = spec::operations(new_doc);
        let mut matched_new = BTreeSet::new();
        let mut pairs = Vec::new();
        let mut removed = Vec::new();
        for (i, o) in old_ops.iter().enumerate() {
            let by_id = new_ops
                .iter()
                .position(|n| o.id().is_some() && n.id() == o.id());
            let by_route = || {
                new_ops
                    .iter()
                    .position(|n| n.path == o.path && n.method == o.method)
                    .filter(|j| {
                        // Only when its own id is not someone else's match.
                        !old_ops
                            .iter()
                            .any(|x| x.id().is_some() && x.id() == new_ops[*j].id())
                    })
            };
            match by_id.or_else(by_route) {
                Some(j) if !matched_new.contains(&j) => {
                    matched_new.insert(j);
                    pairs.push((i, j));
                }
                _ => removed.push(i),
            }
        }
        for (i, j) in pairs {
            self.operation(&old_ops[i], &new_ops[j]);
        }
        for i in removed {
            let o = &old_ops[i];
            self.set_op(o);
            let deprecated = o.body.get("deprecated").and_then(Value::as_bool) == Some(true);
            let path_gone = new_doc.get("paths").and_then(|p| p.get(o.path)).is_none();
            let rule = match (path_gone, deprecated) {
                (true, false) => "api-path-removed-without-deprecation",
                (true, true) => "api-path-removed-with-deprecation",
                (false, false) => "api-removed-without-deprecation",
                (false, true) => "api-removed-with-deprecation",
            };
            self.push(
                rule,
                format!("#/paths/{}/{}", esc(o.path), o.method),
                format!("Operation {} was removed.", o.label()),
            );
        }
        for (j, n) in new_ops.iter().enumerate() {
            if !matched_new.contains(&j) {
                self.set_op(n);
                self.push(
                    "endpoint-added",
                    format!("#/paths/{}/{}", esc(n.path), n.method),
                    format!("Operation {} was added.", n.label()),
                );
            }
        }
    }

    fn operation(&mut self, o: &spec::Operation<'a>, n: &spec::Operation<'a>) {
        self.set_op(n);
        let loc = format!("#/paths/{}/{}", esc(n.path), n.method);
        let label = n.label();
        if o.id() != n.id() {
            self.push(
                "api-operation-id-changed",
                format!("{loc}/operationId"),
                format!(
                    "Operation {label} was renamed from `{}`: its client method is renamed.",
                    o.id().unwrap_or_default()
                ),
            );
        }
        if o.path != n.path {
            self.push(
                "api-operation-path-changed",
                loc.clone(),
                format!("Operation {label} moved from path `{}`.", o.path),
            );
        }
        if o.method != n.method {
            self.push(
                "api-operation-method-changed",
                loc.clone(),
                format!(
                    "Operation {label} changed method from {}.",
                    o.method.to_uppercase()
                ),
            );
        }
        for (key, rule, what) in [
            ("x-host", "api-host-changed", "host (`x-host`)"),
            (
                "x-idempotent",
                "api-idempotency-changed",
                "idempotency (`x-idempotent`)",
            ),
            (
                "x-confidence",
                "api-confidence-changed",
                "confidence (`x-confidence`)",
            ),
            (
                "x-source",
                "api-source-changed",
                "vendor source page (`x-source`)",
            ),
            ("summary", "api-summary-changed", "summary"),
            ("description", "api-description-changed", "description"),
        ] {
            let (ov, nv) = (o.body.get(key), n.body.get(key));
            if ov != nv {
                // A source is a URL: shown whole, however long, so the change says where to look.
                let show = |v: Option<&Value>| match v {
                    Some(Value::String(s)) if s.len() <= 60 || key == "x-source" => {
                        format!("`{s}`")
                    }
                    Some(_) => "a new text".to_owned(),
                    None => "none".to_owned(),
                };
                let message = if key == "summary" || key == "description" {
                    format!("The {what} of {label} changed.")
                } else {
                    format!(
                        "The {what} of {label} changed from {} to {}.",
                        show(ov),
                        show(nv)
                    )
                };
                self.push(rule, format!("{loc}/{key}"), message);
            }
        }
        self.parameters(o, n, &loc, &label);
        self.request_body(o, n, &loc, &label);
        self.responses(o, n, &loc, &label);
    }

    fn parameters(
        &mut self,
        o: &spec::Operation<'a>,
        n: &spec::Operation<'a>,
        loc: &str,
        label: &str,
    ) {
        let key = |p: &Value| {
            (
                text(p.get("in")).unwrap_or_default().to_owned(),
                text(p.get("name")).unwrap_or_default().to_owned(),
            )
        };
        let old_list: Vec<_> = o
            .parameters(self.old)
            .into_iter()
            .map(|p| (key(p), p))
            .collect();
        let op: BTreeMap<_, _> = old_list.iter().cloned().collect();
        let np: Vec<_> = n
            .parameters(self.new)
            .into_iter()
            .map(|p| (key(p), p))
            .collect();
        let required = |p: &Value| p.get("required").and_then(Value::as_bool) == Some(true);
        for (i, ((inn, name), p)) in np.iter().enumerate() {
            let ploc = format!("{loc}/parameters/{i}");
            let what = format!("{inn} parameter `{name}` of {label}");
            match op.get(&(inn.clone(), name.clone())) {
                None if required(p) => self.push(
                    "new-required-request-parameter",
                    ploc,
                    format!("A required {what} was added."),
                ),
                None => self.push(
                    "new-optional-request-parameter",
                    ploc,
                    format!("An optional {what} was added."),
                ),
                Some(old) => {
                    match (required(old), required(p)) {
                        (false, true) => self.push(
                            "request-parameter-became-required",
                            format!("{ploc}/required"),
                            format!("The {what} became required."),
                        ),
                        (true, false) => self.push(
                            "request-parameter-became-optional",
                            format!("{ploc}/required"),
                            format!("The {what} became optional."),
                        ),
                        _ => {}
                    }
                    let identifier = |p: &Value| {
                        text(p.get(IDENTIFIER_TYPE))
                            .map_or_else(|| "a string".to_owned(), |t| format!("`{t}`"))
                    };
                    if old.get(IDENTIFIER_TYPE) != p.get(IDENTIFIER_TYPE) {
                        self.push(
                            "request-parameter-identifier-changed",
                            format!("{ploc}/{IDENTIFIER_TYPE}"),
                            format!(
                                "The {what} is taken as {} instead of {} (`{IDENTIFIER_TYPE}`).",
                                identifier(p),
                                identifier(old)
                            ),
                        );
                    }
                    self.docs(old, p, &ploc, &format!("the {what}"));
                    let (os, ns) = (
                        old.get("schema").unwrap_or(&Value::Null),
                        p.get("schema").unwrap_or(&Value::Null),
                    );
                    self.parameter_schema(os, ns, &format!("{ploc}/schema"), &what);
                }
            }
        }
        let new_keys: BTreeSet<_> = np.iter().map(|(k, _)| k.clone()).collect();
        for (i, ((inn, name), _)) in old_list.iter().enumerate() {
            if !new_keys.contains(&(inn.clone(), name.clone())) {
                self.push(
                    "request-parameter-removed",
                    format!("{loc}/parameters/{i}"),
                    format!("The {inn} parameter `{name}` of {label} was removed."),
                );
            }
        }
    }

    fn parameter_schema(&mut self, o: &Value, n: &Value, loc: &str, what: &str) {
        // The names before resolving: a parameter moved from one named schema to another changes
        // its Rust type even when the shapes agree.
        let (on, nn) = (ref_name_of(o), ref_name_of(n));
        // Values of a named enum are reported where the enum is, like those of a property's.
        let values_at = match target_name(self.new, n) {
            Some(target) => format!("#/components/schemas/{}", esc(target)),
            None => loc.to_owned(),
        };
        let (o, _) = resolve(self.old, o);
        let (n, _) = resolve(self.new, n);
        if type_signature(o) != type_signature(n) || on != nn {
            self.push(
                "request-parameter-type-changed",
                loc.to_owned(),
                format!(
                    "The type of the {what} changed from {} to {}{}.",
                    show_type(on, o),
                    show_type(nn, n),
                    enum_change(o, n)
                ),
            );
            return;
        }
        let (added, removed) = enum_delta(o, n);
        for v in removed {
            self.push(
                "request-parameter-enum-value-removed",
                format!("{values_at}/enum/{}", enum_index(o, &v)),
                format!("The {what} no longer accepts `{v}`."),
            );
        }
        for v in added {
            self.push(
                "request-parameter-enum-value-added",
                format!("{values_at}/enum/{}", enum_index(n, &v)),
                format!("The {what} accepts a new value `{v}`."),
            );
        }
    }

    fn request_body(
        &mut self,
        o: &spec::Operation<'a>,
        n: &spec::Operation<'a>,
        loc: &str,
        label: &str,
    ) {
        let resolve_body = |doc: &'a Value, b: Option<&'a Value>| -> Option<&'a Value> {
            b.map(|b| resolve(doc, b).0)
        };
        let ob = resolve_body(self.old, o.body.get("requestBody"));
        let nb = resolve_body(self.new, n.body.get("requestBody"));
        let bloc = format!("{loc}/requestBody");
        let required = |b: &Value| b.get("required").and_then(Value::as_bool) == Some(true);
        match (ob, nb) {
            (None, None) => {}
            (None, Some(nb)) => self.push(
                if required(nb) {
                    "request-body-added-required"
                } else {
                    "request-body-added-optional"
                },
                bloc,
                format!("{label} now takes a request body."),
            ),
            (Some(_), None) => self.push(
                "request-body-removed",
                bloc,
                format!("{label} no longer takes a request body."),
            ),
            (Some(ob), Some(nb)) => {
                match (required(ob), required(nb)) {
                    (false, true) => self.push(
                        "request-body-became-required",
                        format!("{bloc}/required"),
                        format!("The request body of {label} became required."),
                    ),
                    (true, false) => self.push(
                        "request-body-became-optional",
                        format!("{bloc}/required"),
                        format!("The request body of {label} became optional."),
                    ),
                    _ => {}
                }
                self.docs(ob, nb, &bloc, &format!("the request body of {label}"));
                let media = |b: &'a Value| b.get("content").and_then(|c| c.get("application/json"));
                if let (Some(om), Some(nm)) = (media(ob), media(nb)) {
                    let mloc = format!("{bloc}/content/application~1json");
                    self.docs(om, nm, &mloc, &format!("the request body of {label}"));
                }
                let (os, ns) = (spec::json_schema(ob), spec::json_schema(nb));
                match (os, ns) {
                    (Some(os), Some(ns)) => self.body_schema(
                        Dir::Request,
                        os,
                        ns,
                        format!("{bloc}/content/application~1json/schema"),
                        &format!("the request body of {label}"),
                    ),
                    (None, None) => {}
                    _ => self.push(
                        "request-body-type-changed",
                        bloc,
                        format!("The request body of {label} was replaced."),
                    ),
                }
            }
        }
    }

    fn responses(
        &mut self,
        o: &spec::Operation<'a>,
        n: &spec::Operation<'a>,
        loc: &str,
        label: &str,
    ) {
        let or: BTreeMap<&str, &Value> = o.responses().into_iter().collect();
        let nr: BTreeMap<&str, &Value> = n.responses().into_iter().collect();
        for (status, ov) in &or {
            let rloc = format!("{loc}/responses/{}", esc(status));
            let kind = if spec::is_success(status) {
                "success"
            } else {
                "error"
            };
            let Some(nv) = nr.get(status) else {
                self.push(
                    if kind == "success" {
                        "response-success-status-removed"
                    } else {
                        "response-non-success-status-removed"
                    },
                    rloc,
                    format!("{label} no longer answers status {status}."),
                );
                continue;
            };
            let (ov, _) = resolve(self.old, ov);
            let (nv, _) = resolve(self.new, nv);
            let what = format!("the {status} response of {label}");
            self.docs(ov, nv, &rloc, &what);
            let media = |r: &'a Value| r.get("content").and_then(|c| c.get("application/json"));
            if let (Some(om), Some(nm)) = (media(ov), media(nv)) {
                self.docs(om, nm, &format!("{rloc}/content/application~1json"), &what);
            }
            let before = self.changes.len();
            match (spec::json_schema(ov), spec::json_schema(nv)) {
                (Some(os), Some(ns)) => self.body_schema(
                    Dir::Response,
                    os,
                    ns,
                    format!("{rloc}/content/application~1json/schema"),
                    &format!("the {kind} body ({status}) of {label}"),
                ),
                (None, None) => {}
                _ => self.push(
                    "response-body-type-changed",
                    rloc,
                    format!("The {kind} body ({status}) of {label} was replaced."),
                ),
            }
            // An error body is not in the method's signature (`Error::vendor_body::<T>()` names the type
            // the caller chooses): replacing it changes the wire, not the Rust API.
            if kind == "error" {
                for c in &mut self.changes[before..] {
                    if c.rule == "response-body-type-changed" {
                        c.rule = "response-error-body-type-changed";
                        (c.wire, c.rust_api) = judgments(c.rule);
                    }
                }
            }
        }
        for status in nr.keys() {
            if !or.contains_key(status) {
                self.push(
                    if spec::is_success(status) {
                        "response-success-status-added"
                    } else {
                        "response-non-success-status-added"
                    },
                    format!("{loc}/responses/{}", esc(status)),
                    format!("{label} may now answer status {status}."),
                );
            }
        }
    }
}
