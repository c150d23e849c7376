//! Schemas: a whole body (replaced or not), a schema node (its enum values, properties, required list,
//! items and additional properties) and a property (its redaction format and type), following `$ref`s
//! once per component and direction. Webhook payloads are compared as response schemas.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::diff::engine::differ::{Differ, Dir, OpInfo};
use crate::diff::engine::node::{
    enum_change, enum_delta, enum_index, esc, has_format, ref_name_of, required_set, resolve,
    show_type, target_name, type_signature,
};
use crate::lint::{BASE64_DOCUMENT, PII};
use crate::spec;

impl<'a> Differ<'a> {
    pub(super) fn webhooks(&mut self) {
        self.op = OpInfo::default();
        let events = |doc: &'a Value| -> BTreeMap<&'a str, &'a Value> {
            spec::components(doc)
                .into_iter()
                .flatten()
                .filter(|(_, s)| s.get("x-webhook-event").is_some())
                .map(|(k, v)| (k.as_str(), v))
                .collect()
        };
        let (oe, ne) = (events(self.old), events(self.new));
        for (name, os) in &oe {
            let loc = format!("#/components/schemas/{}", esc(name));
            match ne.get(name) {
                None => self.push(
                    "webhook-event-removed",
                    loc,
                    format!("The webhook payload `{name}` was removed."),
                ),
                Some(ns) => {
                    let (or, nr) = (
                        json!({"$ref": format!("#/components/schemas/{name}")}),
                        json!({"$ref": format!("#/components/schemas/{name}")}),
                    );
                    let _ = (os, ns);
                    self.body_schema(
                        Dir::Response,
                        &or,
                        &nr,
                        loc,
                        &format!("the webhook payload `{name}`"),
                    );
                }
            }
        }
        for name in ne.keys() {
            if !oe.contains_key(name) {
                self.push(
                    "webhook-event-added",
                    format!("#/components/schemas/{}", esc(name)),
                    format!("A webhook payload `{name}` was added."),
                );
            }
        }
    }

    /// The schema of a whole body: replacing it is `<dir>-body-type-changed`.
    pub(super) fn body_schema(&mut self, dir: Dir, o: &Value, n: &Value, loc: String, what: &str) {
        let (on, nn) = (ref_name_of(o), ref_name_of(n));
        let (or, _) = resolve(self.old, o);
        let (nr, _) = resolve(self.new, n);
        if on != nn || type_signature(or) != type_signature(nr) {
            let rule = match dir {
                Dir::Request => "request-body-type-changed",
                Dir::Response => "response-body-type-changed",
            };
            self.push(
                rule,
                loc,
                format!(
                    "The schema of {what} was replaced: {} → {}{}.",
                    show_type(on, or),
                    show_type(nn, nr),
                    enum_change(or, nr)
                ),
            );
            return;
        }
        self.schema(dir, o, n, loc, what);
    }

    /// Compares a schema node: `$ref`s are followed (once per component and direction).
    fn schema(&mut self, dir: Dir, o: &Value, n: &Value, loc: String, what: &str) {
        let name = ref_name_of(n);
        // A chain of `$ref`s (`CIPInfo` → `Omit_CIP…` → `Pick_CIP…`) is reported where the schema is.
        let target = target_name(self.new, n);
        let (o, _) = resolve(self.old, o);
        let (n, _) = resolve(self.new, n);
        let loc = match target {
            Some(target) => {
                if !self.visited.insert((dir, target.to_owned())) {
                    return;
                }
                format!("#/components/schemas/{}", esc(target))
            }
            None => loc,
        };
        let what_here = match (name, target) {
            (Some(name), Some(target)) if name != target => {
                format!("`{target}` (through `{name}`)")
            }
            (_, Some(target)) => format!("`{target}`"),
            _ => what.to_owned(),
        };
        self.docs(o, n, &loc, &what_here);
        let d = dir.word();

        let (added, removed) = enum_delta(o, n);
        if !added.is_empty() || !removed.is_empty() {
            for v in removed {
                let rule = match dir {
                    Dir::Request => "request-property-enum-value-removed",
                    Dir::Response => "response-property-enum-value-removed",
                };
                let index = enum_index(o, &v);
                self.push(
                    rule,
                    format!("{loc}/enum/{index}"),
                    format!("{what_here} lost the value `{v}`."),
                );
            }
            for v in added {
                let rule = match dir {
                    Dir::Request => "request-property-enum-value-added",
                    Dir::Response => "response-property-enum-value-added",
                };
                let message = match dir {
                    Dir::Response => format!(
                        "{what_here} gained the value `{v}` (old clients decode it as `Unknown`)."
                    ),
                    Dir::Request => format!("{what_here} gained the value `{v}`."),
                };
                let before = self.changes.len();
                let index = enum_index(n, &v);
                self.push(rule, format!("{loc}/enum/{index}"), message);
                if let (Some(c), Some(name)) = (self.changes.get_mut(before), name) {
                    c.enum_name = Some(name.to_owned());
                }
            }
        }

        fn props(s: &Value) -> Option<&Map<String, Value>> {
            s.get("properties").and_then(Value::as_object)
        }
        let empty = Map::new();
        let (op, np) = (props(o).unwrap_or(&empty), props(n).unwrap_or(&empty));
        let (oreq, nreq) = (required_set(o), required_set(n));
        for (prop, nv) in np {
            let ploc = format!("{loc}/properties/{}", esc(prop));
            let pwhat = format!("{d} property `{prop}` of {what_here}");
            let Some(ov) = op.get(prop) else {
                let rule = match (dir, nreq.contains(prop)) {
                    (Dir::Request, true) => "new-required-request-property",
                    (Dir::Request, false) => "new-optional-request-property",
                    (Dir::Response, true) => "response-required-property-added",
                    (Dir::Response, false) => "response-optional-property-added",
                };
                let article = if nreq.contains(prop) {
                    "A required"
                } else {
                    "An optional"
                };
                self.push(rule, ploc, format!("{article} {pwhat} was added."));
                continue;
            };
            match (dir, oreq.contains(prop), nreq.contains(prop)) {
                (Dir::Request, false, true) => self.push(
                    "request-property-became-required",
                    ploc.clone(),
                    format!("The {pwhat} became required."),
                ),
                (Dir::Request, true, false) => self.push(
                    "request-property-became-optional",
                    ploc.clone(),
                    format!("The {pwhat} became optional."),
                ),
                (Dir::Response, false, true) => self.push(
                    "response-property-became-required",
                    ploc.clone(),
                    format!("The {pwhat} became required (always sent)."),
                ),
                (Dir::Response, true, false) => self.push(
                    "response-property-became-optional",
                    ploc.clone(),
                    format!("The {pwhat} became optional (may be absent)."),
                ),
                _ => {}
            }
            // An optional property is `Option<T>` with or without `nullable`, and null decodes as
            // absent: only the documentation changed.
            let nullable = |s: &Value| s.get("nullable").and_then(Value::as_bool) == Some(true);
            if !oreq.contains(prop) && !nreq.contains(prop) && nullable(ov) != nullable(nv) {
                let now = if nullable(nv) {
                    "may now be"
                } else {
                    "may no longer be"
                };
                self.push(
                    "optional-property-nullable-changed",
                    format!("{ploc}/nullable"),
                    format!(
                        "The optional {pwhat} {now} null (absent and null both decode as `None`)."
                    ),
                );
                let aside = |s: &Value| {
                    let mut s = s.clone();
                    if let Some(m) = s.as_object_mut() {
                        m.remove("nullable");
                    }
                    s
                };
                self.property(dir, &aside(ov), &aside(nv), ploc, &pwhat);
                continue;
            }
            self.property(dir, ov, nv, ploc, &pwhat);
        }
        for prop in op.keys() {
            if !np.contains_key(prop) {
                let rule = match (dir, oreq.contains(prop)) {
                    (Dir::Request, _) => "request-property-removed",
                    (Dir::Response, true) => "response-required-property-removed",
                    (Dir::Response, false) => "response-optional-property-removed",
                };
                self.push(
                    rule,
                    format!("{loc}/properties/{}", esc(prop)),
                    format!("The {d} property `{prop}` of {what_here} was removed."),
                );
            }
        }
        for key in ["items", "additionalProperties"] {
            if let (Some(oc), Some(nc)) = (o.get(key), n.get(key))
                && oc.is_object()
                && nc.is_object()
            {
                self.property(
                    dir,
                    oc,
                    nc,
                    format!("{loc}/{key}"),
                    &format!("the {key} of {what_here}"),
                );
            }
        }
    }

    /// A property (or array item): its type, redaction and then its own schema.
    fn property(&mut self, dir: Dir, o: &Value, n: &Value, loc: String, what: &str) {
        let d = dir.word();
        let (on, nn) = (ref_name_of(o), ref_name_of(n));
        let (or, _) = resolve(self.old, o);
        let (nr, _) = resolve(self.new, n);
        for (format, word) in [(PII, "pii"), (BASE64_DOCUMENT, "base64-document")] {
            let (had, has) = (has_format(or, format), has_format(nr, format));
            if had != has {
                let rule = match (dir, has) {
                    (Dir::Request, true) if word == "pii" => "request-property-pii-added",
                    (Dir::Request, false) if word == "pii" => "request-property-pii-removed",
                    (Dir::Response, true) if word == "pii" => "response-property-pii-added",
                    (Dir::Response, false) if word == "pii" => "response-property-pii-removed",
                    (Dir::Request, true) => "request-property-base64-document-added",
                    (Dir::Request, false) => "request-property-base64-document-removed",
                    (Dir::Response, true) => "response-property-base64-document-added",
                    (Dir::Response, false) => "response-property-base64-document-removed",
                };
                let verb = if has {
                    format!("is now `format: {format}`")
                } else {
                    format!("is no longer `format: {format}`")
                };
                let extra = if word == "pii" && !has {
                    " — it is no longer redacted in Debug and logs"
                } else if word == "pii" {
                    " — it is now redacted"
                } else {
                    ""
                };
                self.push(
                    rule,
                    format!("{loc}/format"),
                    format!("The {what} {verb}{extra}."),
                );
                // A redacted string that became an object (Crossmint's card `expiration`) changed
                // type as well: say both. The format itself is what the rule above reported.
                let (ot, _, onull, oenum, omap) = type_signature(or);
                let (nt, _, nnull, nenum, nmap) = type_signature(nr);
                if on == nn && (ot, onull, oenum, omap) == (nt, nnull, nenum, nmap) {
                    return;
                }
                break;
            }
        }
        if on != nn || type_signature(or) != type_signature(nr) {
            let rule = match dir {
                Dir::Request => "request-property-type-changed",
                Dir::Response => "response-property-type-changed",
            };
            self.push(
                rule,
                loc,
                format!(
                    "The type of the {what} changed from {} to {}{}.",
                    show_type(on, or),
                    show_type(nn, nr),
                    enum_change(or, nr)
                ),
            );
            return;
        }
        let _ = d;
        self.schema(dir, o, n, loc, what);
    }
}
