//! Examples checked against our schemas with a JSON Schema validator: a vendor page's (each request
//! example against the operation's request schema, each response example against the response its
//! status falls under) and our specs' own (`spec_examples`, for the test that validates every one).

use serde_json::Value;

use crate::spec::{self, Operation};
use crate::upstream::item::Item;
use crate::upstream::locate::{esc, reason};
use crate::upstream::page::{Page, Part};
#[cfg(test)]
use crate::upstream::schema::problems_except;
use crate::upstream::schema::{problems, validator};

const FORM: &str = "application/x-www-form-urlencoded";

/// The schema of a request body or response (JSON, else form) of our spec.
fn media_schema(holder: &Value) -> Option<&Value> {
    let content = holder.get("content")?;
    content
        .get("application/json")
        .or_else(|| content.get(FORM))?
        .get("schema")
}

/// Follows a `$ref` to `#/components/...` (request bodies and responses may be references).
fn resolved<'a>(spec: &'a Value, node: &'a Value) -> &'a Value {
    node.get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|p| spec.pointer(p))
        .unwrap_or(node)
}

/// The response of `op` a status falls under: itself, its range (`4XX`), or (no status, or any 2xx)
/// the operation's success response.
fn response_for<'a>(op: &Operation<'a>, status: Option<&str>) -> Option<(&'a str, &'a Value)> {
    let responses = op.responses();
    let exact = status.and_then(|s| responses.iter().find(|(k, _)| *k == s));
    let range = status.and_then(|s| {
        let r = format!("{}XX", &s[..1]);
        responses.iter().find(|(k, _)| **k == r)
    });
    let success = || {
        status
            .is_none_or(|s| s.starts_with('2'))
            .then(|| responses.iter().find(|(k, _)| spec::is_success(k)))
            .flatten()
    };
    exact.or(range).or_else(success).copied()
}

/// Why `value` does not fit `schema` (empty when it fits).
fn check(spec: &Value, schema: &Value, value: &Value) -> Vec<String> {
    match validator(spec, schema) {
        Ok(v) => problems(&v, value),
        Err(e) => vec![e],
    }
}

/// A misfit: its rule, where in our spec, the annotation there, and what is wrong.
struct Misfit {
    rule: &'static str,
    location: String,
    silenced_by: Option<String>,
    problems: Vec<String>,
}

fn check_request(spec: &Value, op: &Operation<'_>, value: &Value) -> Option<Misfit> {
    let at = format!("#/paths/{}/{}", esc(op.path), op.method);
    let rule = "vendor-request-example-invalid";
    let Some(body) = op.body.get("requestBody").map(|b| resolved(spec, b)) else {
        return Some(Misfit {
            rule,
            location: at,
            silenced_by: None,
            problems: vec!["the page shows a request body; the operation takes none".into()],
        });
    };
    let problems = match media_schema(body) {
        Some(schema) => check(spec, schema, value),
        None => vec!["the operation's request body has no JSON or form schema".into()],
    };
    (!problems.is_empty()).then(|| Misfit {
        rule,
        location: format!("{at}/requestBody"),
        silenced_by: reason(body),
        problems,
    })
}

fn check_response(
    spec: &Value,
    op: &Operation<'_>,
    status: Option<&str>,
    value: &Value,
) -> Option<Misfit> {
    let at = format!("#/paths/{}/{}", esc(op.path), op.method);
    let rule = "vendor-response-example-invalid";
    let Some((key, response)) = response_for(op, status) else {
        return Some(Misfit {
            rule,
            location: at,
            silenced_by: None,
            problems: vec![format!(
                "no response of the operation covers status {}",
                status.unwrap_or("(none named)")
            )],
        });
    };
    let response = resolved(spec, response);
    let problems = match media_schema(response) {
        Some(schema) => check(spec, schema, value),
        None => vec![format!("the page shows a body; response {key} has none")],
    };
    (!problems.is_empty()).then(|| Misfit {
        rule,
        location: format!("{at}/responses/{}", esc(key)),
        silenced_by: reason(response),
        problems,
    })
}

/// Every example of `page` that does not fit `op`'s schemas, as items.
pub fn check_page(spec: &Value, op: &Operation<'_>, page_name: &str, page: &Page) -> Vec<Item> {
    let mut items = Vec::new();
    for (n, ex) in page.examples.iter().enumerate() {
        let misfit = match &ex.part {
            Part::Request => check_request(spec, op, &ex.value),
            Part::Response(status) => check_response(spec, op, status.as_deref(), &ex.value),
            // Unclassified: fine when it fits the request or the success response.
            Part::Unknown => {
                let as_request = op.body.get("requestBody").is_some()
                    && check_request(spec, op, &ex.value).is_none();
                if as_request {
                    None
                } else {
                    check_response(spec, op, None, &ex.value)
                }
            }
        };
        if let Some(m) = misfit {
            let mut item = Item::new(
                m.rule,
                m.location,
                format!(
                    "Example {} of {page_name} ({}) does not fit the spec: {}.",
                    n + 1,
                    ex.origin,
                    m.problems.join("; ")
                ),
            )
            .on(op.id(), op.method, op.path);
            item.silenced_by = m.silenced_by;
            items.push(item);
        }
    }
    items
}

#[cfg(test)]
/// One example of our spec: where it is, the schema it must fit, and the value.
pub struct SpecExample {
    pub label: String,
    pub schema: Value,
    pub value: Value,
    /// `x-decodes-as-unknown` of the Example Object: where the value is outside an enum on purpose.
    pub unknown: Vec<String>,
}

#[cfg(test)]
/// The `example` and `examples.*.value` of a parameter or a media type (`$ref`s to
/// `#/components/examples` resolved), each with its name and its `x-decodes-as-unknown` pointers.
fn values_of<'a>(spec: &'a Value, holder: &'a Value) -> Vec<(String, &'a Value, Vec<String>)> {
    let mut values: Vec<(String, &Value, Vec<String>)> = holder
        .get("example")
        .map(|v| ("example".to_owned(), v, Vec::new()))
        .into_iter()
        .collect();
    for (name, ex) in holder
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let ex = resolved(spec, ex);
        let unknown = ex
            .get("x-decodes-as-unknown")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect();
        if let Some(v) = ex.get("value") {
            values.push((format!("examples.{name}"), v, unknown));
        }
    }
    values
}

#[cfg(test)]
/// Every example of a spec: request bodies and responses (every media type), parameters (their own
/// `example`s, or their `content`'s), and the `example` of each component schema.
pub fn spec_examples(spec: &Value) -> Vec<SpecExample> {
    let mut out = Vec::new();
    let mut push = |label: String, schema: &Value, values: Vec<(String, &Value, Vec<String>)>| {
        for (name, value, unknown) in values {
            out.push(SpecExample {
                label: format!("{label} {name}"),
                schema: schema.clone(),
                value: value.clone(),
                unknown,
            });
        }
    };
    for op in spec::operations(spec) {
        for p in op.parameters(spec) {
            let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
            let label = format!("{} parameter {name}", op.label());
            if let Some(schema) = p.get("schema") {
                push(label.clone(), schema, values_of(spec, p));
            }
            for (media, m) in p
                .get("content")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                if let Some(schema) = m.get("schema") {
                    push(format!("{label} {media}"), schema, values_of(spec, m));
                }
            }
        }
        let mut holders: Vec<(String, &Value)> = Vec::new();
        if let Some(b) = op.body.get("requestBody") {
            holders.push(("request body".into(), resolved(spec, b)));
        }
        for (status, r) in op.responses() {
            holders.push((format!("response {status}"), resolved(spec, r)));
        }
        for (place, holder) in holders {
            let Some(content) = holder.get("content").and_then(Value::as_object) else {
                continue;
            };
            for (media, m) in content {
                if let Some(schema) = m.get("schema") {
                    let label = format!("{} {place} {media}", op.label());
                    push(label, schema, values_of(spec, m));
                }
            }
        }
    }
    for (name, schema) in spec
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        if let Some(v) = schema.get("example") {
            let values = vec![("example".to_owned(), v, Vec::new())];
            push(format!("#/components/schemas/{name}"), schema, values);
        }
    }
    out
}

#[cfg(test)]
/// Every example of `spec` that does not fit its schema: `(label, problems)`.
pub fn invalid_spec_examples(spec: &Value) -> Vec<(String, Vec<String>)> {
    spec_examples(spec)
        .into_iter()
        .filter_map(|ex| {
            let p = match validator(spec, &ex.schema) {
                Ok(v) => problems_except(&v, &ex.value, &ex.unknown),
                Err(e) => vec![e],
            };
            (!p.is_empty()).then_some((ex.label, p))
        })
        .collect()
}
