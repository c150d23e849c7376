//! The differ's state while it walks two documents: the operation being compared (named on every change
//! it reports), the changes so far (each rule reported once per location), and the components already
//! compared per direction (a `$ref`ed schema is compared once, under the first operation that reaches
//! it).

use std::collections::BTreeSet;

use serde_json::Value;

use crate::diff::change::Change;
use crate::diff::engine::meaning::{PROSE, prose_differs};
use crate::diff::engine::node::text;
use crate::diff::rules::judgments;
use crate::spec;

/// Which way a schema travels: what callers send, or what the vendor answers.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub(super) enum Dir {
    Request,
    Response,
}

impl Dir {
    pub(super) fn word(self) -> &'static str {
        match self {
            Dir::Request => "request",
            Dir::Response => "response",
        }
    }
}

/// The operation a change belongs to (empty outside operations: the document, webhooks).
#[derive(Clone, Default)]
pub(super) struct OpInfo {
    id: Option<String>,
    method: Option<String>,
    path: Option<String>,
    source: Option<String>,
}

pub(super) struct Differ<'a> {
    pub(super) old: &'a Value,
    pub(super) new: &'a Value,
    pub(super) op: OpInfo,
    pub(super) changes: Vec<Change>,
    reported: BTreeSet<(String, String)>,
    pub(super) visited: BTreeSet<(Dir, String)>,
}

impl<'a> Differ<'a> {
    pub(super) fn new(old: &'a Value, new: &'a Value) -> Self {
        Differ {
            old,
            new,
            op: OpInfo::default(),
            changes: Vec::new(),
            reported: BTreeSet::new(),
            visited: BTreeSet::new(),
        }
    }

    pub(super) fn push(&mut self, rule: &'static str, location: String, message: String) {
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

    pub(super) fn docs(&mut self, old: &Value, new: &Value, loc: &str, what: &str) {
        for (key, rule) in PROSE {
            if prose_differs(old.get(key), new.get(key)) {
                self.push(
                    rule,
                    format!("{loc}/{key}"),
                    format!("The {key} of {what} changed."),
                );
            }
        }
    }

    pub(super) fn set_op(&mut self, op: &spec::Operation<'_>) {
        self.op = OpInfo {
            id: op.id().map(str::to_owned),
            method: Some(op.method.to_uppercase()),
            path: Some(op.path.to_owned()),
            source: text(op.body.get("x-source")).map(str::to_owned),
        };
    }
}
