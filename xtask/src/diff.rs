//! `cargo xtask diff`: a semantic comparison of two versions of a spec, each change classified twice —
//! for the wire (does a client generated from the old spec still work against the vendor's new API?) and
//! for the Rust API (does code written against the old crate still compile against the regenerated one?).
//!
//! Both sides are JSON values parsed from YAML, so formatting, key order and quoting never count. `$ref`s
//! are followed: a change inside a component schema is reported once, at the component's location, under
//! the first operation that reaches it.
//!
//! Rule ids reuse oasdiff's check ids where one fits (`request-property-removed`,
//! `response-property-enum-value-added`, `api-path-removed-without-deprecation`, …); the rest are
//! rampkit's own (`api-server-url-changed`, `response-property-pii-removed`, …). Every rule has fixed
//! judgments, listed in [`RULES`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::lint::{BASE64_DOCUMENT, PII};
use crate::spec;

/// How much a change matters, from least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    None,
    Docs,
    Additive,
    Breaking,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Docs => "docs",
            Level::Additive => "additive",
            Level::Breaking => "breaking",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "none" => Some(Level::None),
            "docs" => Some(Level::Docs),
            "additive" => Some(Level::Additive),
            "breaking" => Some(Level::Breaking),
            _ => None,
        }
    }
}

use Level::{Additive as A, Breaking as B, Docs as D, None as N};

/// Every rule: id, wire judgment, Rust-API judgment, and why.
///
/// The Rust-API judgments assume the generated surface: response structs and all generated enums are
/// `#[non_exhaustive]` (so new response fields and enum values compile), request structs are built
/// with struct literals (so any new request field is a breaking change for callers), operations are
/// methods with positional parameters (so any new or removed parameter is breaking).
#[rustfmt::skip]
pub const RULES: &[(&str, Level, Level, &str)] = &[
    // Operations.
    ("endpoint-added", A, A, "a new client method"),
    (
        "api-removed-without-deprecation",
        B,
        B,
        "the client method disappears",
    ),
    (
        "api-removed-with-deprecation",
        B,
        B,
        "the client method disappears",
    ),
    (
        "api-path-removed-without-deprecation",
        B,
        B,
        "the client method disappears",
    ),
    (
        "api-path-removed-with-deprecation",
        B,
        B,
        "the client method disappears",
    ),
    (
        "api-operation-id-changed",
        N,
        B,
        "the client method is renamed",
    ),
    (
        "api-operation-path-changed",
        B,
        N,
        "old clients call the old path",
    ),
    (
        "api-operation-method-changed",
        B,
        N,
        "old clients use the old method",
    ),
    (
        "api-host-changed",
        B,
        N,
        "old clients send it to the old host",
    ),
    (
        "api-idempotency-changed",
        A,
        D,
        "the runtime retries it differently",
    ),
    (
        "api-confidence-changed",
        D,
        D,
        "OperationMeta::confidence changes",
    ),
    ("api-source-changed", D, D, "OperationMeta::source changes"),
    ("api-summary-changed", D, D, "documentation only"),
    ("api-description-changed", D, D, "documentation only"),
    // Parameters.
    (
        "new-required-request-parameter",
        B,
        B,
        "old clients do not send it; a new method argument",
    ),
    (
        "new-optional-request-parameter",
        A,
        B,
        "a new positional method argument",
    ),
    (
        "request-parameter-removed",
        A,
        B,
        "a method argument disappears",
    ),
    (
        "request-parameter-became-required",
        B,
        B,
        "old clients may omit it; `Option<T>` becomes `T`",
    ),
    (
        "request-parameter-became-optional",
        A,
        B,
        "`T` becomes `Option<T>`",
    ),
    (
        "request-parameter-type-changed",
        B,
        B,
        "a different type on the wire and in Rust",
    ),
    (
        "request-parameter-enum-value-added",
        A,
        A,
        "a new variant of a non-exhaustive enum",
    ),
    (
        "request-parameter-enum-value-removed",
        B,
        B,
        "old clients may send it; a variant disappears",
    ),
    // Request bodies.
    (
        "request-body-added-required",
        B,
        B,
        "old clients send no body; a new method argument",
    ),
    ("request-body-added-optional", A, B, "a new method argument"),
    ("request-body-removed", B, B, "a method argument disappears"),
    (
        "request-body-became-required",
        B,
        N,
        "old clients may send no body",
    ),
    (
        "request-body-became-optional",
        A,
        N,
        "the vendor accepts more",
    ),
    (
        "request-body-type-changed",
        B,
        B,
        "the body schema was replaced",
    ),
    (
        "new-required-request-property",
        B,
        B,
        "old clients do not send it; a new struct field",
    ),
    (
        "new-optional-request-property",
        A,
        B,
        "a new field breaks struct literals",
    ),
    (
        "request-property-removed",
        B,
        B,
        "old clients still send it; a struct field disappears",
    ),
    (
        "request-property-became-required",
        B,
        B,
        "old clients may omit it; `Option<T>` becomes `T`",
    ),
    (
        "request-property-became-optional",
        A,
        B,
        "`T` becomes `Option<T>`",
    ),
    (
        "request-property-type-changed",
        B,
        B,
        "a different type on the wire and in Rust",
    ),
    (
        "request-property-enum-value-added",
        A,
        A,
        "a new variant of a non-exhaustive enum",
    ),
    (
        "request-property-enum-value-removed",
        B,
        B,
        "old clients may send it; a variant disappears",
    ),
    (
        "request-property-pii-added",
        N,
        B,
        "now redacted: `String` becomes `Pii`",
    ),
    (
        "request-property-pii-removed",
        N,
        B,
        "no longer redacted: `Pii` becomes a plain type",
    ),
    (
        "request-property-base64-document-added",
        N,
        B,
        "now a `Base64Document`",
    ),
    (
        "request-property-base64-document-removed",
        N,
        B,
        "no longer a `Base64Document`",
    ),
    // Responses.
    (
        "response-success-status-added",
        A,
        N,
        "one more success status",
    ),
    (
        "response-success-status-removed",
        B,
        B,
        "old clients expect it",
    ),
    (
        "response-non-success-status-added",
        A,
        N,
        "one more error status",
    ),
    (
        "response-non-success-status-removed",
        A,
        N,
        "one error status fewer",
    ),
    (
        "response-body-type-changed",
        B,
        B,
        "the response schema was replaced",
    ),
    (
        "response-optional-property-added",
        A,
        A,
        "a new field of a non-exhaustive struct",
    ),
    (
        "response-required-property-added",
        A,
        A,
        "a new field of a non-exhaustive struct",
    ),
    (
        "response-optional-property-removed",
        A,
        B,
        "old clients decode `None`; a struct field disappears",
    ),
    (
        "response-required-property-removed",
        B,
        B,
        "old clients fail to decode; a struct field disappears",
    ),
    (
        "response-property-became-optional",
        B,
        B,
        "old clients fail when it is absent; `T` becomes `Option<T>`",
    ),
    (
        "response-property-became-required",
        A,
        B,
        "`Option<T>` becomes `T`",
    ),
    (
        "response-property-type-changed",
        B,
        B,
        "a different type on the wire and in Rust",
    ),
    (
        "response-property-enum-value-added",
        A,
        A,
        "decodes as `Unknown` in old clients; a new variant of a non-exhaustive enum",
    ),
    (
        "response-property-enum-value-removed",
        A,
        B,
        "never sent any more; a variant disappears",
    ),
    (
        "response-property-pii-added",
        N,
        B,
        "now redacted: a plain type becomes `Pii`",
    ),
    (
        "response-property-pii-removed",
        N,
        B,
        "no longer redacted: `Pii` becomes a plain type",
    ),
    (
        "response-property-base64-document-added",
        N,
        B,
        "now a `Base64Document`",
    ),
    (
        "response-property-base64-document-removed",
        N,
        B,
        "no longer a `Base64Document`",
    ),
    ("webhook-event-added", A, A, "a new payload type"),
    ("webhook-event-removed", B, B, "the payload type disappears"),
    // The document.
    ("api-server-added", A, A, "a new base-URL constant"),
    (
        "api-server-removed",
        B,
        B,
        "the base-URL constant disappears",
    ),
    (
        "api-server-url-changed",
        B,
        N,
        "old clients default to the old URL",
    ),
    ("api-info-version-changed", D, D, "API_VERSION changes"),
    ("description-changed", D, D, "documentation only"),
    ("example-changed", D, D, "documentation only"),
    (
        "unclassified-change",
        B,
        B,
        "the specs differ in a way no rule knows: review by hand",
    ),
];

pub fn judgments(rule: &str) -> (Level, Level) {
    RULES
        .iter()
        .find(|r| r.0 == rule)
        .map(|r| (r.1, r.2))
        .unwrap_or_else(|| panic!("rule `{rule}` is not in diff::RULES"))
}

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

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Dir {
    Request,
    Response,
}

impl Dir {
    fn word(self) -> &'static str {
        match self {
            Dir::Request => "request",
            Dir::Response => "response",
        }
    }
}

#[derive(Clone, Default)]
struct OpInfo {
    id: Option<String>,
    method: Option<String>,
    path: Option<String>,
    source: Option<String>,
}

struct Differ<'a> {
    old: &'a Value,
    new: &'a Value,
    op: OpInfo,
    changes: Vec<Change>,
    reported: BTreeSet<(String, String)>,
    visited: BTreeSet<(Dir, String)>,
}

/// JSON-pointer escaping of one segment.
fn esc(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

fn text(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str)
}

impl<'a> Differ<'a> {
    fn push(&mut self, rule: &'static str, location: String, message: String) {
        if !self.reported.insert((rule.to_owned(), location.clone())) {
            return;
        }
        let (wire, rust_api) = judgments(rule);
        self.changes.push(Change {
            rule,
            wire,
            rust_api,
            operation: self.op.id.clone(),
            method: self.op.method.clone(),
            path: self.op.path.clone(),
            location,
            message,
            source: self.op.source.clone(),
            review: Vec::new(),
            enum_name: None,
        });
    }

    fn docs(&mut self, old: &Value, new: &Value, loc: &str, what: &str) {
        for (key, rule) in [
            ("description", "description-changed"),
            ("title", "description-changed"),
            ("example", "example-changed"),
            ("examples", "example-changed"),
            ("x-examples", "example-changed"),
        ] {
            if old.get(key) != new.get(key) {
                self.push(
                    rule,
                    format!("{loc}/{key}"),
                    format!("The {key} of {what} changed."),
                );
            }
        }
    }

    fn run(&mut self) {
        self.document();
        self.operations();
        self.webhooks();
        self.unclassified();
    }

    /// A difference no rule reported — in an operation, a component schema, or anywhere when nothing
    /// at all was reported — becomes `unclassified-change` at the first differing place: a change is
    /// never silently dropped.
    fn unclassified(&mut self) {
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

    fn document(&mut self) {
        let (old, new) = (self.old, self.new);
        let (ov, nv) = (
            text(old.pointer("/info/version")),
            text(new.pointer("/info/version")),
        );
        if ov != nv {
            self.push(
                "api-info-version-changed",
                "#/info/version".into(),
                format!(
                    "The vendor API version changed from `{}` to `{}`.",
                    ov.unwrap_or_default(),
                    nv.unwrap_or_default()
                ),
            );
        }
        for key in ["description", "title"] {
            if old.pointer(&format!("/info/{key}")) != new.pointer(&format!("/info/{key}")) {
                self.push(
                    "description-changed",
                    format!("#/info/{key}"),
                    format!("The API {key} changed."),
                );
            }
        }
        // Servers, keyed by environment and host.
        let servers = |doc: &'a Value| -> BTreeMap<(String, String), (usize, &'a Value)> {
            doc.get("servers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, s)| {
                    let env = text(s.get("x-environment")).unwrap_or("default").to_owned();
                    let host = text(s.get("x-host")).unwrap_or("").to_owned();
                    ((env, host), (i, s))
                })
                .collect()
        };
        let (os, ns) = (servers(old), servers(new));
        let name = |(env, host): &(String, String)| {
            if host.is_empty() {
                format!("{env} server")
            } else {
                format!("{env} server of the `{host}` host")
            }
        };
        for (key, (i, o)) in &os {
            match ns.get(key) {
                None => self.push(
                    "api-server-removed",
                    format!("#/servers/{i}"),
                    format!(
                        "The {} (`{}`) was removed.",
                        name(key),
                        text(o.get("url")).unwrap_or_default()
                    ),
                ),
                Some((j, n)) => {
                    if o.get("url") != n.get("url") {
                        self.push(
                            "api-server-url-changed",
                            format!("#/servers/{j}/url"),
                            format!(
                                "The {} moved from `{}` to `{}`.",
                                name(key),
                                text(o.get("url")).unwrap_or_default(),
                                text(n.get("url")).unwrap_or_default()
                            ),
                        );
                    }
                    if o.get("description") != n.get("description") {
                        self.push(
                            "description-changed",
                            format!("#/servers/{j}/description"),
                            format!("The description of the {} changed.", name(key)),
                        );
                    }
                }
            }
        }
        for (key, (j, n)) in &ns {
            if !os.contains_key(key) {
                self.push(
                    "api-server-added",
                    format!("#/servers/{j}"),
                    format!(
                        "A {} was added (`{}`).",
                        name(key),
                        text(n.get("url")).unwrap_or_default()
                    ),
                );
            }
        }
    }

    fn operations(&mut self) {
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

    fn set_op(&mut self, op: &spec::Operation<'_>) {
        self.op = OpInfo {
            id: op.id().map(str::to_owned),
            method: Some(op.method.to_uppercase()),
            path: Some(op.path.to_owned()),
            source: text(op.body.get("x-source")).map(str::to_owned),
        };
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
                let show = |v: Option<&Value>| match v {
                    Some(Value::String(s)) if s.len() <= 60 => format!("`{s}`"),
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
        let (o, ol) = resolve(self.old, o);
        let (n, _) = resolve(self.new, n);
        if type_signature(o) != type_signature(n) || ol.is_some() && ol != ref_name_of(n) {
            self.push(
                "request-parameter-type-changed",
                loc.to_owned(),
                format!(
                    "The type of the {what} changed from {} to {}.",
                    describe_type(o),
                    describe_type(n)
                ),
            );
            return;
        }
        let (added, removed) = enum_delta(o, n);
        for v in removed {
            self.push(
                "request-parameter-enum-value-removed",
                format!("{loc}/enum"),
                format!("The {what} no longer accepts `{v}`."),
            );
        }
        for v in added {
            self.push(
                "request-parameter-enum-value-added",
                format!("{loc}/enum"),
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

    fn webhooks(&mut self) {
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
    fn body_schema(&mut self, dir: Dir, o: &Value, n: &Value, loc: String, what: &str) {
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
                    "The schema of {what} was replaced: {} → {}.",
                    on.map(|s| format!("`{s}`"))
                        .unwrap_or_else(|| describe_type(or)),
                    nn.map(|s| format!("`{s}`"))
                        .unwrap_or_else(|| describe_type(nr))
                ),
            );
            return;
        }
        self.schema(dir, o, n, loc, what);
    }

    /// Compares a schema node: `$ref`s are followed (once per component and direction).
    fn schema(&mut self, dir: Dir, o: &Value, n: &Value, loc: String, what: &str) {
        let name = ref_name_of(n);
        let (o, _) = resolve(self.old, o);
        let (n, _) = resolve(self.new, n);
        let loc = match name {
            Some(name) => {
                if !self.visited.insert((dir, name.to_owned())) {
                    return;
                }
                format!("#/components/schemas/{}", esc(name))
            }
            None => loc,
        };
        let what_here = match name {
            Some(name) => format!("`{name}`"),
            None => what.to_owned(),
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
                self.push(
                    rule,
                    format!("{loc}/enum"),
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
                let index = n
                    .get("enum")
                    .and_then(Value::as_array)
                    .and_then(|a| a.iter().position(|x| x.as_str() == Some(v.as_str())))
                    .unwrap_or_default();
                self.push(rule, format!("{loc}/enum/{index}"), message);
                if let (Some(c), Some(name)) = (self.changes.get_mut(before), name) {
                    c.enum_name = Some(name.to_owned());
                }
            }
        }

        fn props(s: &Value) -> Option<&Map<String, Value>> {
            s.get("properties").and_then(Value::as_object)
        }
        let req = |s: &Value| -> BTreeSet<String> {
            s.get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        };
        let empty = Map::new();
        let (op, np) = (props(o).unwrap_or(&empty), props(n).unwrap_or(&empty));
        let (oreq, nreq) = (req(o), req(n));
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
                let req_word = if nreq.contains(prop) {
                    "required"
                } else {
                    "optional"
                };
                self.push(rule, ploc, format!("An {req_word} {pwhat} was added."));
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
                return;
            }
        }
        if on != nn || type_signature(or) != type_signature(nr) {
            let rule = match dir {
                Dir::Request => "request-property-type-changed",
                Dir::Response => "response-property-type-changed",
            };
            let show = |name: Option<&str>, s: &Value| {
                name.map(|n| format!("`{n}`"))
                    .unwrap_or_else(|| describe_type(s))
            };
            self.push(
                rule,
                loc,
                format!(
                    "The type of the {what} changed from {} to {}.",
                    show(on, or),
                    show(nn, nr)
                ),
            );
            return;
        }
        let _ = d;
        self.schema(dir, o, n, loc, what);
    }
}

/// Follows a `$ref` (to any `#/components/...` entry), transitively. Returns the target and the
/// component name of the first hop.
fn resolve<'v>(doc: &'v Value, mut node: &'v Value) -> (&'v Value, Option<&'v str>) {
    let first = ref_name_of(node);
    for _ in 0..16 {
        let Some(r) = node.get("$ref").and_then(Value::as_str) else {
            break;
        };
        let Some(pointer) = r.strip_prefix('#') else {
            break;
        };
        match doc.pointer(pointer) {
            Some(target) => node = target,
            None => break,
        }
    }
    (node, first)
}

fn ref_name_of(node: &Value) -> Option<&str> {
    node.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.rsplit('/').next())
}

fn has_format(s: &Value, format: &str) -> bool {
    text(s.get("format")) == Some(format)
}

/// What decides the generated Rust type of a node, apart from its properties: type, format, nullable,
/// and whether it is an enum.
fn type_signature(s: &Value) -> (Option<&str>, Option<&str>, bool, bool, bool) {
    let ty = text(s.get("type")).or_else(|| {
        if s.get("properties").is_some() {
            Some("object")
        } else {
            None
        }
    });
    (
        ty,
        text(s.get("format")),
        s.get("nullable").and_then(Value::as_bool) == Some(true),
        s.get("enum").is_some(),
        s.get("additionalProperties").is_some_and(Value::is_object),
    )
}

fn describe_type(s: &Value) -> String {
    let (ty, format, nullable, is_enum, _) = type_signature(s);
    let mut out = ty.unwrap_or("any").to_owned();
    if let Some(f) = format {
        out = format!("{out} ({f})");
    }
    if is_enum {
        out = format!("enum {out}");
    }
    if nullable {
        out.push_str(", nullable");
    }
    format!("`{out}`")
}

/// `(added, removed)` enum values, as strings.
fn enum_delta(o: &Value, n: &Value) -> (Vec<String>, Vec<String>) {
    let values = |s: &Value| -> Vec<String> {
        s.get("enum")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| v.to_string())
            })
            .collect()
    };
    let (ov, nv) = (values(o), values(n));
    if o.get("enum").is_none() || n.get("enum").is_none() {
        return (Vec::new(), Vec::new());
    }
    let added = nv.iter().filter(|v| !ov.contains(v)).cloned().collect();
    let removed = ov.iter().filter(|v| !nv.contains(v)).cloned().collect();
    (added, removed)
}

/// The JSON pointer of the first place two values differ.
fn first_difference(o: &Value, n: &Value, loc: String) -> String {
    match (o, n) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                if a.get(k) != b.get(k) {
                    let child = format!("{loc}/{}", esc(k));
                    return match (a.get(k), b.get(k)) {
                        (Some(x), Some(y)) => first_difference(x, y, child),
                        _ => child,
                    };
                }
            }
            loc
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                if x != y {
                    return first_difference(x, y, format!("{loc}/{i}"));
                }
            }
            loc
        }
        _ => loc,
    }
}

/// Every change between two spec documents (the old one may be `Null`: a new provider).
pub fn compare(old: &Value, new: &Value) -> Vec<Change> {
    let mut d = Differ {
        old,
        new,
        op: OpInfo::default(),
        changes: Vec::new(),
        reported: BTreeSet::new(),
        visited: BTreeSet::new(),
    };
    d.run();
    d.changes
}

// ---------------------------------------------------------------------------------------------
// Facade mappings.

/// The facade functions that mention the generated type `name` of `provider`'s crate, as
/// `crates/rampkit/src/…/<file>.rs: <function>()`. Scans every `.rs` file under `crates/rampkit/src`
/// that uses the provider's crate or lives in a directory or file named after the provider, so it
/// finds the mappings wherever they are kept (`providers/<p>.rs` or `providers/<p>/…`).
pub fn facade_mappings(root: &Path, provider: &str, name: &str) -> Vec<String> {
    let mut files = Vec::new();
    collect_rs(&root.join("crates/rampkit/src"), &mut files);
    files.sort();
    let needle_a = format!("types::{name}");
    let krate = format!("rampkit_{provider}");
    let mut out = Vec::new();
    for file in files {
        let Ok(source) = std::fs::read_to_string(&file) else {
            continue;
        };
        let rel = file
            .strip_prefix(root)
            .unwrap_or(&file)
            .to_string_lossy()
            .replace('\\', "/");
        let about_provider = source.contains(&krate)
            || rel
                .split('/')
                .any(|seg| seg == provider || seg == format!("{provider}.rs"));
        if !about_provider {
            continue;
        }
        let mut current_fn: Option<String> = None;
        for line in source.lines() {
            let trimmed = line.trim_start();
            if let Some(name) = fn_name(trimmed) {
                current_fn = Some(name);
            }
            if trimmed.starts_with("//") {
                continue;
            }
            if contains_type(line, &needle_a)
                && let Some(f) = &current_fn
            {
                let entry = format!("{rel}: {f}()");
                if !out.contains(&entry) {
                    out.push(entry);
                }
            }
        }
    }
    out
}

fn contains_type(line: &str, needle: &str) -> bool {
    line.match_indices(needle).any(|(i, _)| {
        !line[i + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

fn fn_name(line: &str) -> Option<String> {
    let mut rest = line;
    for prefix in [
        "pub(crate) ",
        "pub(super) ",
        "pub ",
        "const ",
        "async ",
        "unsafe ",
    ] {
        rest = rest.strip_prefix(prefix).unwrap_or(rest);
    }
    let rest = rest.strip_prefix("fn ")?;
    let name: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reports per crate.

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

/// An error that makes `diff` exit with code 2: bad arguments or unreadable specs.
pub struct InputError(pub String);

/// A spec as YAML text → JSON, checked to be an OpenAPI 3.0 document. `label` names the file in errors
/// (`specs/leap.yaml at HEAD`).
pub fn parse_spec(raw: &[u8], label: &str) -> Result<Value, InputError> {
    let value: Value = serde_yaml_ng::from_slice(raw).map_err(|e| {
        InputError(format!(
            "{label}: invalid YAML: {}",
            one_line(&e.to_string())
        ))
    })?;
    serde_json::from_value::<openapiv3::OpenAPI>(value.clone()).map_err(|e| {
        InputError(format!(
            "{label}: not an OpenAPI 3.0 document: {}",
            one_line(&e.to_string())
        ))
    })?;
    Ok(value)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The spec of `provider` at git revision `rev`, or `None` when that revision has no such file.
pub fn spec_at(root: &Path, rev: &str, provider: &str) -> Result<Option<Value>, InputError> {
    let rel = format!("specs/{provider}.yaml");
    let commit = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["rev-parse", "--verify", "--quiet"])
        .arg(format!("{rev}^{{commit}}"))
        .output()
        .map_err(|e| InputError(format!("{rel}: cannot run git: {e}")))?;
    if !commit.status.success() {
        return Err(InputError(format!(
            "{rel}: `{rev}` is not a git revision of {}",
            root.display()
        )));
    }
    let shown = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .arg("show")
        .arg(format!("{rev}:{rel}"))
        .output()
        .map_err(|e| InputError(format!("{rel}: cannot run git: {e}")))?;
    if !shown.status.success() {
        return Ok(None);
    }
    parse_spec(&shown.stdout, &format!("{rel} at {rev}")).map(Some)
}

/// The `version` of `[package]` in `crates/<krate>/Cargo.toml`.
pub fn crate_version(root: &Path, krate: &str) -> Result<String, String> {
    let path = root.join(format!("crates/{krate}/Cargo.toml"));
    let text =
        std::fs::read_to_string(&path).map_err(|e| format!("crates/{krate}/Cargo.toml: {e}"))?;
    package_version(&text)
        .ok_or_else(|| format!("crates/{krate}/Cargo.toml: no `version` in [package]"))
}

pub fn package_version(toml: &str) -> Option<String> {
    let mut in_package = false;
    for line in toml.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_package = t == "[package]";
            continue;
        }
        if in_package
            && let Some(rest) = t.strip_prefix("version")
            && let Some(v) = rest.trim_start().strip_prefix('=')
        {
            return Some(v.trim().trim_matches('"').to_owned());
        }
    }
    None
}

/// Cargo's semver rules: below 1.0 a breaking change bumps the minor and anything else the patch;
/// from 1.0 major / minor / patch.
pub fn bump(version: &str, level: Level) -> Result<String, String> {
    let core = version.split(['-', '+']).next().unwrap_or(version);
    let parts: Vec<u64> = core
        .split('.')
        .map(|p| p.parse::<u64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`{version}` is not a semver version"))?;
    let [major, minor, patch] = parts[..] else {
        return Err(format!("`{version}` is not a semver version"));
    };
    Ok(match (level, major) {
        (Level::None, _) => version.to_owned(),
        (Level::Breaking, 0) => format!("0.{}.0", minor + 1),
        (Level::Breaking, _) => format!("{}.0.0", major + 1),
        (Level::Additive, 1..) => format!("{major}.{}.0", minor + 1),
        _ => format!("{major}.{minor}.{}", patch + 1),
    })
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
        Some(old) => compare(old, new),
        None => {
            // A new provider: every operation is an addition.
            let empty = json!({"openapi": "3.0.3", "info": new.get("info"), "paths": {}});
            let mut all = compare(&empty, new);
            all.retain(|c| c.rule != "unclassified-change");
            all.iter_mut().for_each(|c| {
                c.wire = c.wire.min(Level::Additive);
                c.rust_api = c.rust_api.min(Level::Additive);
            });
            all
        }
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

pub fn render_json(reports: &[ProviderReport]) -> String {
    #[derive(Serialize)]
    struct Out<'a> {
        providers: Vec<ProviderJson<'a>>,
    }
    let out = Out {
        providers: reports.iter().map(ProviderReport::to_json).collect(),
    };
    serde_json::to_string_pretty(&out).expect("a report serialises") + "\n"
}

fn op_label(c: &Change) -> String {
    match (&c.method, &c.path, &c.operation) {
        (Some(m), Some(p), Some(id)) => format!("{m} {p} ({id})"),
        (Some(m), Some(p), None) => format!("{m} {p}"),
        _ => "spec".to_owned(),
    }
}

pub fn render_text(reports: &[ProviderReport]) -> String {
    let mut out = String::new();
    for r in reports {
        if r.level == Level::None {
            out.push_str(&format!(
                "{}: no change ({} {})\n",
                r.provider, r.krate, r.current
            ));
            continue;
        }
        let new = if r.new_provider { ", new provider" } else { "" };
        out.push_str(&format!(
            "{}: {} — {} {} → {}{new}\n",
            r.provider,
            r.level.as_str(),
            r.krate,
            r.current,
            r.proposed
        ));
        for c in &r.changes {
            out.push_str(&format!(
                "  [{}] {} — {}\n      {}  {}\n      wire: {}, Rust API: {}\n",
                c.level().as_str(),
                c.rule,
                c.message,
                op_label(c),
                c.location,
                c.wire.as_str(),
                c.rust_api.as_str()
            ));
            for r in &c.review {
                out.push_str(&format!("      review: {r}\n"));
            }
        }
        for f in &r.facade {
            out.push_str(&format!("  facade (rampkit): {f}\n"));
        }
    }
    out
}

pub fn render_markdown(reports: &[ProviderReport]) -> String {
    let mut out =
        String::from("| provider | crate | current | proposed | level |\n|---|---|---|---|---|\n");
    for r in reports {
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            r.provider,
            r.krate,
            r.current,
            r.proposed,
            r.level.as_str()
        ));
    }
    for r in reports.iter().filter(|r| !r.changes.is_empty()) {
        out.push_str(&format!(
            "\n### {} ({} → {}, {})\n\n| level | rule | operation | location | change | wire | Rust API |\n|---|---|---|---|---|---|---|\n",
            r.krate,
            r.current,
            r.proposed,
            r.level.as_str()
        ));
        for c in &r.changes {
            out.push_str(&format!(
                "| {} | `{}` | {} | `{}` | {} | {} | {} |\n",
                c.level().as_str(),
                c.rule,
                op_label(c).replace('|', "\\|"),
                c.location,
                c.message.replace('|', "\\|"),
                c.wire.as_str(),
                c.rust_api.as_str()
            ));
        }
        if !r.facade.is_empty() {
            out.push_str("\nFacade (`rampkit`):\n\n");
            for f in &r.facade {
                out.push_str(&format!("- {f}\n"));
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "diff_tests.rs"]
mod tests;
