//! One operation of our spec and its vendor counterpart as two one-operation documents the engine can
//! compare: everything inlined and normalised (see `normalize`), the vendor's path parameters renamed
//! to ours, its parameters in our order, its statuses keyed like ours, its credentials and our
//! annotations left out.

use serde_json::{Map, Value, json};

use crate::spec::Operation;
use crate::upstream::normalize::{
    self, CREDENTIALS, EMPTY_SUCCESS, ERROR_RANGES, OPERATION_IDS, PATH_PARAMS, Projections,
    RANGES, Side, inline, path_params,
};

/// Operation keywords the comparison never looks at (annotations and the vendor's bookkeeping).
const SKIPPED: [&str; 6] = [
    "tags",
    "security",
    "servers",
    "callbacks",
    "deprecated",
    "externalDocs",
];

/// `(old, new)`: our operation and the vendor's, each as a document of one operation under our path.
pub fn documents(
    spec: &Value,
    ours: &Operation<'_>,
    vendor_doc: &Value,
    theirs: &Operation<'_>,
    proj: &mut Projections,
) -> (Value, Value) {
    let our_params: Vec<Value> = ours
        .parameters(spec)
        .into_iter()
        .map(|p| inline(spec, p))
        .collect();
    let mut their_params: Vec<Value> = theirs
        .parameters(vendor_doc)
        .into_iter()
        .map(|p| inline(vendor_doc, p))
        .collect();
    // Path parameters match by position: `{userId}` there is `{userToken}` here.
    let (ours_names, their_names) = (path_params(ours.path), path_params(theirs.path));
    if ours_names.len() == their_names.len() {
        for p in &mut their_params {
            if p.get("in").and_then(Value::as_str) != Some("path") {
                continue;
            }
            let name = p.get("name").and_then(Value::as_str).unwrap_or_default();
            if let Some(i) = their_names.iter().position(|n| n == name)
                && ours_names[i] != name
            {
                p["name"] = json!(ours_names[i]);
                *proj.entry(PATH_PARAMS).or_default() += 1;
            }
        }
    }
    // Credentials are the runtime's: an api-key header the vendor declares as a parameter is not one.
    let key_headers = api_key_headers(vendor_doc);
    their_params.retain(|p| {
        let credential = p.get("in").and_then(Value::as_str) == Some("header")
            && p.get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| key_headers.contains(&n.to_ascii_lowercase()));
        if credential {
            *proj.entry(CREDENTIALS).or_default() += 1;
        }
        !credential
    });
    // Ours first, in our order, then the vendor's own: indexes below ours.len() mean the same parameter.
    let key = |p: &Value| {
        (
            p.get("in")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            p.get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
        )
    };
    let mut ordered = Vec::new();
    for p in &our_params {
        if let Some(i) = their_params.iter().position(|t| key(t) == key(p)) {
            ordered.push(their_params.remove(i));
        }
    }
    ordered.append(&mut their_params);

    let mut old = operation(spec, ours.body, our_params, Side::Ours, proj);
    let mut new = operation(vendor_doc, theirs.body, ordered, Side::Vendor, proj);
    if let (Some(id), Some(their_id)) = (ours.id(), theirs.id())
        && id != their_id
    {
        *proj.entry(OPERATION_IDS).or_default() += 1;
    }
    match ours.id() {
        Some(id) => new.insert("operationId".into(), json!(id)),
        None => new.remove("operationId"),
    };
    statuses(ours.body, &mut old, &mut new, proj);
    let doc = |op: Map<String, Value>| {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "", "version": ""},
            "paths": {ours.path: {ours.method: op}},
        })
    };
    (doc(old), doc(new))
}

/// The header names of the document's `apiKey` security schemes, in lower case.
fn api_key_headers(doc: &Value) -> Vec<String> {
    doc.pointer("/components/securitySchemes")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, s)| s.get("in").and_then(Value::as_str) == Some("header"))
        .filter_map(|(_, s)| s.get("name").and_then(Value::as_str))
        .map(str::to_ascii_lowercase)
        .collect()
}

/// One side's operation: annotations out, `$ref`s in, schemas normalised.
fn operation(
    doc: &Value,
    body: &Map<String, Value>,
    parameters: Vec<Value>,
    side: Side,
    proj: &mut Projections,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in body {
        if k.starts_with("x-") || k == "parameters" || SKIPPED.contains(&k.as_str()) {
            continue;
        }
        out.insert(k.clone(), inline(doc, v));
    }
    let parameters: Vec<Value> = parameters
        .into_iter()
        .map(|mut p| {
            if let Some(s) = p.get("schema") {
                p["schema"] = normalize::schema(s, side, proj);
            }
            strip_annotations(&mut p);
            p
        })
        .collect();
    if !parameters.is_empty() {
        out.insert("parameters".into(), Value::Array(parameters));
    }
    if let Some(body) = out.get_mut("requestBody") {
        media_schemas(body, side, proj);
        strip_annotations(body);
    }
    if let Some(Value::Object(responses)) = out.get_mut("responses") {
        for r in responses.values_mut() {
            media_schemas(r, side, proj);
        }
    }
    out
}

fn strip_annotations(node: &mut Value) {
    if let Some(map) = node.as_object_mut() {
        map.retain(|k, _| !k.starts_with("x-"));
    }
}

fn media_schemas(holder: &mut Value, side: Side, proj: &mut Projections) {
    if let Some(Value::Object(content)) = holder.get_mut("content") {
        for media in content.values_mut() {
            if let Some(s) = media.get("schema") {
                media["schema"] = normalize::schema(s, side, proj);
            }
        }
    }
}

/// The vendor's statuses keyed like ours: a status our spec covers with a range (`4XX`) goes under
/// that range (the first with a body wins), a bodiless success our spec covers with `x-empty-body` or
/// `2XX` is dropped, and our `4XX` / `5XX` are dropped where the vendor lists no status of the range.
fn statuses(
    our_body: &Map<String, Value>,
    old: &mut Map<String, Value>,
    new: &mut Map<String, Value>,
    proj: &mut Projections,
) {
    let ours: Map<String, Value> = our_body
        .get("responses")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    // A bodiless success is covered when ours may be bodiless too: `2XX`, `x-empty-body`, or no content.
    let empty_ok = ours.iter().any(|(s, r)| {
        s.starts_with('2')
            && (s == "2XX"
                || r.get("x-empty-body").and_then(Value::as_bool) == Some(true)
                || r.get("content").is_none())
    });
    let Some(Value::Object(theirs)) = new.remove("responses") else {
        return;
    };
    let has_content = |r: &Value| {
        r.get("content")
            .is_some_and(|c| c.as_object().is_some_and(|m| !m.is_empty()))
    };
    let mut list: Vec<(String, Value)> = theirs.into_iter().collect();
    list.sort_by_key(|(s, r)| (!has_content(r), s.clone()));
    let mut keyed = Map::new();
    for (status, r) in list {
        let range = format!("{}XX", &status[..1.min(status.len())]);
        if ours.contains_key(&status) && !keyed.contains_key(&status) {
            keyed.insert(status, r);
        } else if ours.contains_key(&range) {
            let what = if status.starts_with('2') {
                EMPTY_SUCCESS
            } else {
                RANGES
            };
            *proj.entry(what).or_default() += 1;
            keyed.entry(range).or_insert(r);
        } else if status.starts_with('2') && !has_content(&r) && empty_ok {
            *proj.entry(EMPTY_SUCCESS).or_default() += 1;
        } else if !keyed.contains_key(&status) {
            keyed.insert(status, r);
        }
    }
    if let Some(Value::Object(our_responses)) = old.get_mut("responses") {
        // `x-empty-body`: our success may come without its body, as the vendor's file has it.
        for (status, r) in &keyed {
            let flagged = ours
                .get(status)
                .and_then(|o| o.get("x-empty-body"))
                .and_then(Value::as_bool)
                == Some(true);
            if flagged
                && !has_content(r)
                && let Some(Value::Object(mine)) = our_responses.get_mut(status)
            {
                mine.remove("content");
                *proj.entry(EMPTY_SUCCESS).or_default() += 1;
            }
        }
        for range in ["4XX", "5XX"] {
            if our_responses.contains_key(range) && !keyed.contains_key(range) {
                our_responses.remove(range);
                *proj.entry(ERROR_RANGES).or_default() += 1;
            }
        }
    }
    new.insert("responses".into(), Value::Object(keyed));
}
