//! The comparison engine: two parsed OpenAPI 3.0 documents in, classified changes out. It reads no file,
//! runs no git and knows no provider or crate; loading specs, git revisions, facade mappings and version
//! proposals are the callers' (`diff::report`, `diff::command`).
//!
//! Both sides are JSON values (parsed from YAML or JSON), so formatting, key order and quoting never
//! count, and neither does the order of a `required` list; prose (descriptions, titles, examples) is a
//! docs-level change wherever it sits. `$ref`s are followed: a change inside a component schema is
//! reported once, at the location of the schema that holds it, under the first operation that reaches
//! it; a schema no operation or webhook payload reaches is reported as such (`unused-schema-changed`).
//! Every change carries a rule of [`RULES`](crate::diff::rules::RULES) with its two fixed judgments.

mod differ;
mod document;
mod meaning;
mod node;
mod operations;
mod place;
mod schemas;
mod unclassified;
mod unused;

use serde_json::{Value, json};

use crate::diff::change::Change;
use crate::diff::engine::differ::Differ;
use crate::diff::rules::Level;

/// How [`compare`] judges; `Options::default()` compares two versions of one document.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// `old` stands for no document at all (a provider new in this release; pass [`skeleton`] of the
    /// new one): every change is an addition, so both judgments are capped at additive and nothing is
    /// reported as unclassified.
    pub new_document: bool,
}

/// Every change from `old` to `new`, classified, in a stable order: the document (version, servers),
/// then each operation in `old`'s order (removals after the matched ones, additions last), then webhook
/// payloads, then what the walkers left: prose changes, changes of schemas nothing uses, and whatever
/// no rule explained (`unclassified-change`).
pub fn compare(old: &Value, new: &Value, options: &Options) -> Vec<Change> {
    let mut d = Differ::new(old, new);
    d.document();
    d.operations();
    d.webhooks();
    d.unclassified();
    let mut changes = d.changes;
    if options.new_document {
        changes.retain(|c| c.rule != "unclassified-change");
        for c in &mut changes {
            c.wire = c.wire.min(Level::Additive);
            c.rust_api = c.rust_api.min(Level::Additive);
        }
    }
    changes
}

/// A document with `new`'s `info` and nothing else: the `old` side for a document that did not exist.
pub fn skeleton(new: &Value) -> Value {
    json!({"openapi": "3.0.3", "info": new.get("info"), "paths": {}})
}
