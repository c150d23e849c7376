//! The checkable rules of `specs/CONVENTIONS.md`. Every message names the spec and, where there is one,
//! the operation (method, path, operationId) and the schema location.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToPascalCase;
use serde_json::Value;

use crate::spec::{self, Operation};

/// `x-confidence` levels, strongest first.
pub const CONFIDENCE: [&str; 4] = ["confirmed", "older-docs", "unpublished-spec", "inferred"];
pub const PII: &str = "pii";
pub const BASE64_DOCUMENT: &str = "base64-document";
/// The parameter marker naming the crate's typed identifier that the generated method takes.
pub const IDENTIFIER_TYPE: &str = "x-identifier-type";

/// `identifiers`: the types the crate's hand-written modules export, which `x-identifier-type` may name.
pub fn lint(
    provider: &str,
    identifiers: &[&str],
    rel_path: &str,
    doc: &Value,
) -> Result<(), String> {
    let mut errors = Vec::new();
    let mut err = |msg: String| errors.push(format!("{rel_path}: {msg}"));

    if doc.get("openapi").and_then(Value::as_str) != Some("3.0.3") {
        err("`openapi` must be \"3.0.3\"".into());
    }
    let info = doc.get("info");
    if info
        .and_then(|i| i.get("version"))
        .and_then(Value::as_str)
        .is_none_or(str::is_empty)
    {
        err("`info.version` must be the vendor's API version".into());
    }
    if info
        .and_then(|i| i.get("x-provider"))
        .and_then(Value::as_str)
        != Some(provider)
    {
        err(format!("`info.x-provider` must be `{provider}`"));
    }
    lint_servers(doc, &mut err);

    let mut ids = BTreeMap::new();
    for op in spec::operations(doc) {
        lint_operation(doc, &op, identifiers, &mut ids, &mut err);
    }
    lint_identifier_names(doc, &mut err);

    lint_schemas(doc, &mut err);

    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{} lint error(s):\n  {}",
            errors.len(),
            errors.join("\n  ")
        ))
    }
}

fn lint_servers(doc: &Value, err: &mut impl FnMut(String)) {
    let servers = doc
        .get("servers")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if servers.is_empty() {
        err("`servers` must list the vendor's sandbox and/or production base URL".into());
    }
    let mut envs = BTreeSet::new();
    for (i, s) in servers.iter().enumerate() {
        let url = s.get("url").and_then(Value::as_str).unwrap_or_default();
        if !url.starts_with("https://") {
            err(format!("servers[{i}]: `url` must be an https:// base URL"));
        }
        let host = s.get("x-host").and_then(Value::as_str).unwrap_or("");
        if !host.chars().all(|c| c.is_ascii_lowercase() || c == '-') {
            err(format!(
                "servers[{i}]: `x-host` must be a lower-case name such as `vault`"
            ));
        }
        match s.get("x-environment").and_then(Value::as_str) {
            Some(env @ ("sandbox" | "production")) => {
                if !envs.insert((env, host)) {
                    err(format!(
                        "servers[{i}]: a second `{env}` server for host `{host}`"
                    ));
                }
            }
            _ => err(format!(
                "servers[{i}] ({url}): `x-environment` must be `sandbox` or `production`"
            )),
        }
    }
}

/// A parameter name marked `x-identifier-type` somewhere is marked everywhere: a new operation the vendor
/// adds with a `{userLocator}` cannot come out taking a `&str` because the marker was forgotten.
fn lint_identifier_names(doc: &Value, err: &mut impl FnMut(String)) {
    let mut marked: BTreeMap<String, String> = BTreeMap::new();
    let ops = spec::operations(doc);
    for op in &ops {
        for p in op.parameters(doc) {
            if let (Some(name), Some(t)) = (
                p.get("name").and_then(Value::as_str),
                p.get(IDENTIFIER_TYPE).and_then(Value::as_str),
            ) {
                marked
                    .entry(name.to_owned())
                    .or_insert_with(|| t.to_owned());
            }
        }
    }
    for op in &ops {
        for p in op.parameters(doc) {
            let name = p.get("name").and_then(Value::as_str).unwrap_or("?");
            if let Some(t) = marked.get(name)
                && p.get(IDENTIFIER_TYPE).is_none()
            {
                err(format!(
                    "{}: parameter `{name}` is `{IDENTIFIER_TYPE}: {t}` elsewhere in the spec; mark it here too",
                    op.label()
                ));
            }
        }
    }
}

fn lint_operation<'a>(
    doc: &'a Value,
    op: &Operation<'a>,
    identifiers: &[&str],
    ids: &mut BTreeMap<String, String>,
    err: &mut impl FnMut(String),
) {
    let label = op.label();
    match op.id() {
        None => err(format!("{label}: missing `operationId`")),
        Some(id) => {
            let snake = !id.is_empty()
                && id.starts_with(|c: char| c.is_ascii_lowercase())
                && id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            if !snake {
                err(format!("{label}: `operationId` must be snake_case"));
            }
            if let Some(other) = ids.insert(id.to_owned(), label.clone()) {
                err(format!("{label}: `operationId` already used by {other}"));
            }
        }
    }
    match op.body.get("x-source").and_then(Value::as_str) {
        Some(url) if url.starts_with("https://") => {}
        _ => err(format!(
            "{label}: `x-source` must be the vendor documentation URL (https://…)"
        )),
    }
    match op.body.get("x-confidence").and_then(Value::as_str) {
        Some(c) if CONFIDENCE.contains(&c) => {}
        _ => err(format!(
            "{label}: `x-confidence` must be one of {}",
            CONFIDENCE.join(", ")
        )),
    }
    if let Some(host) = op.body.get("x-host") {
        let servers = doc["servers"].as_array().into_iter().flatten();
        if !servers.clone().any(|s| s.get("x-host") == Some(host)) {
            err(format!(
                "{label}: `x-host` {host} names no server in `servers`"
            ));
        }
    }
    if op.body.get("x-idempotent").is_some_and(|v| !v.is_boolean()) {
        err(format!("{label}: `x-idempotent` must be a boolean"));
    }

    if let Some(body) = op.body.get("requestBody") {
        let content = body.get("content").and_then(Value::as_object);
        let types: Vec<&String> = content.map(|c| c.keys().collect()).unwrap_or_default();
        let form = "application/x-www-form-urlencoded";
        let schema = body
            .get("content")
            .and_then(|c| c.get("application/json").or_else(|| c.get(form)));
        if types != ["application/json"] && types != [form] {
            err(format!(
                "{label}: the request body must have exactly one media type, application/json or {form} (found {types:?})"
            ));
        } else if schema
            .and_then(|m| m.get("schema"))
            .and_then(spec::ref_name)
            .is_none()
        {
            err(format!(
                "{label}: the request body schema must be a `$ref` to a named component schema"
            ));
        }
    }

    for (i, p) in op.parameters(doc).into_iter().enumerate() {
        let name = p.get("name").and_then(Value::as_str).unwrap_or("?");
        let place = p.get("in").and_then(Value::as_str).unwrap_or("?");
        if !matches!(place, "path" | "query") {
            err(format!(
                "{label}: parameter {i} `{name}` is in `{place}`; only path and query parameters are generated"
            ));
        }
        let schema = p.get("schema");
        let ty = schema.and_then(|s| s.get("type")).and_then(Value::as_str);
        if !matches!(ty, Some("string" | "integer" | "boolean" | "number")) {
            err(format!(
                "{label}: parameter `{name}` must be a plain string, integer, number or boolean"
            ));
        }
        if let Some(f @ (PII | BASE64_DOCUMENT)) =
            schema.and_then(|s| s.get("format")).and_then(Value::as_str)
        {
            err(format!(
                "{label}: parameter `{name}` is `format: {f}`; parameters are rendered with Display, which redacts — use a plain string and say in the description that it may carry personal data"
            ));
        }
        if let Some(id) = p.get(IDENTIFIER_TYPE) {
            match id.as_str() {
                Some(t) if identifiers.contains(&t) && ty == Some("string") => {}
                Some(t) if identifiers.contains(&t) => err(format!(
                    "{label}: parameter `{name}` has `{IDENTIFIER_TYPE}: {t}` but is not a string"
                )),
                _ => err(format!(
                    "{label}: parameter `{name}`: `{IDENTIFIER_TYPE}` must name a type the crate's hand-written modules export ({}; the providers table, xtask/src/providers.rs)",
                    if identifiers.is_empty() {
                        "none".to_owned()
                    } else {
                        identifiers.join(", ")
                    }
                )),
            }
        }
    }

    if op.body.get("x-confidence").and_then(Value::as_str) == Some("confirmed") {
        lint_confirmed_facts(doc, op, &label, err);
    }

    let responses = op.responses();
    let successes: Vec<_> = responses
        .iter()
        .filter(|(s, _)| spec::is_success(s))
        .collect();
    if successes.len() != 1 {
        err(format!(
            "{label}: exactly one success (2xx) response is required, found {}",
            successes.len()
        ));
    }
    for (status, response) in &responses {
        if let Some(flag) = response.get("x-empty-body") {
            let schema = spec::json_schema(response)
                .and_then(spec::ref_name)
                .and_then(|n| spec::components(doc)?.get(n));
            let no_required = schema.is_some_and(|s| {
                s.get("required")
                    .and_then(Value::as_array)
                    .is_none_or(Vec::is_empty)
            });
            if flag != &Value::Bool(true) || !spec::is_success(status) || !no_required {
                err(format!(
                    "{label}: `x-empty-body: true` goes on a success response whose named schema has no required field (an empty body decodes as `{{}}`)"
                ));
            }
        }
        if let Some(content) = response.get("content").and_then(Value::as_object) {
            let types: Vec<&String> = content.keys().collect();
            if types != ["application/json"] {
                err(format!(
                    "{label}: response {status} must have only application/json content (found {types:?})"
                ));
            } else if spec::json_schema(response)
                .and_then(spec::ref_name)
                .is_none()
            {
                err(format!(
                    "{label}: response {status} schema must be a `$ref` to a named component schema"
                ));
            }
        }
    }
    let errors: Vec<_> = responses
        .iter()
        .filter(|(s, _)| !spec::is_success(s))
        .collect();
    if errors.is_empty() {
        err(format!(
            "{label}: an error response ('4XX' and '5XX' with one error schema) is required"
        ));
    }
    let error_schemas: BTreeSet<Option<&str>> = errors
        .iter()
        .map(|(_, r)| spec::json_schema(r).and_then(spec::ref_name))
        .collect();
    if error_schemas.len() > 1 || error_schemas.contains(&None) {
        err(format!(
            "{label}: every error response must `$ref` the same named error schema (found {error_schemas:?})"
        ));
    }
}

fn lint_schemas(doc: &Value, err: &mut impl FnMut(String)) {
    let Some(comps) = spec::components(doc) else {
        return;
    };
    let in_responses = spec::reachable(doc, spec::response_roots(doc));
    let in_requests = spec::reachable(doc, spec::request_roots(doc));

    for (name, schema) in comps {
        if name.to_pascal_case() != *name {
            err(format!(
                "schema `{name}`: names must be PascalCase (`{}`)",
                name.to_pascal_case()
            ));
        }
        let is_response = in_responses.contains(name);
        let is_request = in_requests.contains(name);
        if schema.get("enum").is_some() {
            if is_response && is_request {
                err(format!(
                    "schema `{name}`: an enum reachable from both a request and a response; split it into `{name}` (request, closed) and `{name}Value` (response, forward-compatible)"
                ));
            }
            if is_response && schema.get("type").and_then(Value::as_str) != Some("string") {
                err(format!(
                    "schema `{name}`: a response enum must be `type: string`"
                ));
            }
        }
        if let Some(branches) = schema.get("oneOf") {
            lint_one_of(name, schema, branches, is_response, err);
        }
        spec::walk_inline(schema, name, &mut |loc, node| {
            lint_node(loc, node, loc != name.as_str(), is_response, err);
        });
    }
    // Inline schemas outside components (there should be none, but say so precisely if there are).
    for op in spec::operations(doc) {
        for (_, r) in op.responses() {
            if let Some(s) = spec::json_schema(r).filter(|s| spec::ref_name(s).is_none()) {
                spec::walk_inline(s, &op.label(), &mut |loc, node| {
                    lint_node(loc, node, true, true, err)
                });
            }
        }
    }
}

/// An operation marked `confirmed` rests on no inferred fact: no required field of its request or of its
/// success response may be described `Inferred: …` (lower `x-confidence` instead, or confirm the field).
/// Optional response fields may be inferred: they decode as absent when the vendor does not send them,
/// so the operation does not rest on them.
fn lint_confirmed_facts(
    doc: &Value,
    op: &Operation<'_>,
    label: &str,
    err: &mut impl FnMut(String),
) {
    let request = op.body.get("requestBody").and_then(|b| {
        let content = b.get("content")?;
        content
            .get("application/json")
            .or_else(|| content.get("application/x-www-form-urlencoded"))?
            .get("schema")
    });
    if let Some(schema) = request {
        for field in inferred_fields(doc, schema, true) {
            err(format!(
                "{label}: `x-confidence: confirmed`, but the required request field `{field}` is described `Inferred:`"
            ));
        }
    }
    for (status, response) in op.responses() {
        if let Some(schema) = spec::is_success(status)
            .then(|| spec::json_schema(response))
            .flatten()
        {
            for field in inferred_fields(doc, schema, true) {
                err(format!(
                    "{label}: `x-confidence: confirmed`, but the required response field `{field}` is described `Inferred:`"
                ));
            }
        }
    }
}

/// `Schema.field` locations, reachable from `root` (following `$ref` and, with `required_only`, only
/// required properties), whose description (or that of the schema they reference) starts `Inferred:`.
fn inferred_fields(doc: &Value, root: &Value, required_only: bool) -> Vec<String> {
    let comps = spec::components(doc);
    let inferred = |s: &Value| {
        s.get("description")
            .and_then(Value::as_str)
            .is_some_and(|d| d.trim_start().starts_with("Inferred:"))
    };
    let mut found = Vec::new();
    let mut seen = BTreeSet::new();
    let mut stack: Vec<(String, &Value)> = vec![("body".to_owned(), root)];
    while let Some((loc, schema)) = stack.pop() {
        let (loc, schema) = match spec::ref_name(schema) {
            Some(name) => {
                if !seen.insert(name.to_owned()) {
                    continue;
                }
                match comps.and_then(|c| c.get(name)) {
                    Some(target) => (name.to_owned(), target),
                    None => continue,
                }
            }
            None => (loc, schema),
        };
        let required: BTreeSet<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                if required_only && !required.contains(name.as_str()) {
                    continue;
                }
                let target = spec::ref_name(prop).and_then(|n| comps.and_then(|c| c.get(n)));
                if inferred(prop) || target.is_some_and(inferred) {
                    found.push(format!("{loc}.{name}"));
                }
                stack.push((format!("{loc}.{name}"), prop));
            }
        }
        for key in ["items", "additionalProperties"] {
            if let Some(child) = schema.get(key).filter(|c| c.is_object()) {
                stack.push((format!("{loc}[]"), child));
            }
        }
        if let Some(branches) = schema.get("oneOf").and_then(Value::as_array) {
            for b in branches {
                stack.push((loc.clone(), b));
            }
        }
    }
    found
}

/// The one `oneOf` rampkit accepts: a named component schema reachable only from requests whose branches
/// are all `$ref`s to named component schemas (a request field the vendor documents in two wire forms,
/// e.g. a document as base64 or as a URL). It is generated as an untagged enum, written as the chosen
/// branch; it is never decoded from vendor bytes.
fn lint_one_of(
    name: &str,
    schema: &Value,
    branches: &Value,
    is_response: bool,
    err: &mut impl FnMut(String),
) {
    if is_response {
        err(format!(
            "schema `{name}`: `oneOf` is only used in schemas reachable from requests alone (a response would have to guess the branch)"
        ));
    }
    let refs = branches
        .as_array()
        .map(|b| b.iter().all(|s| spec::ref_name(s).is_some()) && b.len() >= 2);
    if refs != Some(true) {
        err(format!(
            "schema `{name}`: every `oneOf` branch must be a `$ref` to a named component schema (at least two)"
        ));
    }
    for key in ["type", "properties", "enum", "items", "anyOf", "allOf"] {
        if schema.get(key).is_some() {
            err(format!(
                "schema `{name}`: a `oneOf` schema carries nothing but its branches and a description (found `{key}`)"
            ));
        }
    }
}

fn lint_node(
    loc: &str,
    node: &Value,
    inline: bool,
    in_response: bool,
    err: &mut impl FnMut(String),
) {
    let format = node.get("format").and_then(Value::as_str);
    if let Some(f @ (PII | BASE64_DOCUMENT)) = format {
        let ty = node.get("type").and_then(Value::as_str);
        let allowed =
            ty == Some("string") || (f == PII && matches!(ty, Some("number" | "integer")));
        if !allowed {
            err(format!(
                "{loc}: `format: {f}` must be on a `type: string` schema (`pii` also on number and integer)"
            ));
        }
        for key in ["pattern", "minLength", "maxLength", "enum", "nullable"] {
            if node.get(key).is_some() {
                err(format!(
                    "{loc}: `format: {f}` cannot carry `{key}` (state the rule in the description; make it optional instead of nullable)"
                ));
            }
        }
    }
    if let Some(f @ ("date" | "date-time" | "uuid")) = format {
        err(format!(
            "{loc}: `format: {f}` is not used in rampkit specs; use a plain string (see CONVENTIONS.md)"
        ));
    }
    for key in ["oneOf", "anyOf", "allOf", "not", "pattern"] {
        // A top-level `oneOf` of a component is checked by `lint_one_of`.
        let checked_elsewhere = key == "oneOf" && !inline;
        if node.get(key).is_some() && !checked_elsewhere {
            err(format!("{loc}: `{key}` is not used in rampkit specs"));
        }
    }
    if in_response {
        if node.get("additionalProperties") == Some(&Value::Bool(false)) {
            err(format!(
                "{loc}: response schemas must not set `additionalProperties: false`"
            ));
        }
        if inline && node.get("enum").is_some() {
            err(format!(
                "{loc}: inline enum in a response schema; make it a named component schema so it is generated as a forward-compatible enum"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"
openapi: 3.0.3
info: {title: T, version: v1, x-provider: demo}
servers: [{url: "https://sandbox.example", x-environment: sandbox}]
paths:
  /users/{id}:
    get:
      operationId: get_user
      x-source: https://docs.example/get-user
      x-confidence: confirmed
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}}
        '4XX': {description: e, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
components:
  schemas:
    User:
      type: object
      properties:
        email: {type: string, format: pii}
        status: {$ref: '#/components/schemas/UserStatus'}
    UserStatus: {type: string, enum: [active, blocked]}
    Error: {type: object, properties: {message: {type: string}}}
"#;

    fn lint_yaml(text: &str) -> Result<(), String> {
        let doc: Value = serde_yaml_ng::from_str(text).unwrap();
        lint("demo", &["DemoId"], "specs/demo.yaml", &doc)
    }

    #[test]
    fn a_conforming_spec_passes() {
        lint_yaml(BASE).unwrap();
    }

    #[test]
    fn a_request_only_one_of_of_named_branches_passes() {
        let text = BASE.replacen(
            "      parameters:",
            "      requestBody:\n        content: {application/json: {schema: {$ref: '#/components/schemas/Upload'}}}\n      parameters:",
            1,
        ) + "    Upload: {oneOf: [{$ref: '#/components/schemas/Data'}, {$ref: '#/components/schemas/Url'}]}\n    Data: {type: string, format: base64-document}\n    Url: {type: string, format: pii}\n";
        lint_yaml(&text).unwrap();
    }

    #[test]
    fn unpublished_spec_is_a_confidence_level() {
        let text = BASE.replacen(
            "x-confidence: confirmed",
            "x-confidence: unpublished-spec",
            1,
        );
        lint_yaml(&text).unwrap();
    }

    #[test]
    fn an_identifier_parameter_is_marked_everywhere() {
        use serde_json::json;
        let mut doc = crate::proofs::toy::spec();
        let owner = |marked: bool| {
            let mut p = json!({"name": "owner", "in": "query", "schema": {"type": "string"}});
            if marked {
                p["x-identifier-type"] = json!("UserId");
            }
            p
        };
        doc["paths"]["/users/{id}"]["get"]["parameters"]
            .as_array_mut()
            .unwrap()
            .push(owner(true));
        doc["paths"]["/users"]["post"]["parameters"] = json!([owner(false)]);
        let e = lint("toy", &["UserId"], "specs/toy.yaml", &doc).unwrap_err();
        assert!(
            e.contains("POST /users (create_user): parameter `owner` is `x-identifier-type: UserId` elsewhere in the spec; mark it here too"),
            "{e}"
        );
        doc["paths"]["/users"]["post"]["parameters"] = json!([owner(true)]);
        lint("toy", &["UserId"], "specs/toy.yaml", &doc).unwrap();
    }

    #[test]
    fn errors_name_the_operation_and_the_rule() {
        let cases = [
            (
                "x-confidence: confirmed",
                "x-confidence: maybe",
                "GET /users/{id} (get_user): `x-confidence` must be one of",
            ),
            (
                "schema: {type: string}}",
                "schema: {type: string, format: pii}}",
                "GET /users/{id} (get_user): parameter `id` is `format: pii`",
            ),
            (
                "x-source: https://docs.example/get-user",
                "x-source: docs",
                "GET /users/{id} (get_user): `x-source`",
            ),
            (
                "{name: id, in: path, required: true, schema: {type: string}}",
                "{name: id, in: path, required: true, x-identifier-type: DemoId, schema: {type: string}}",
                "",
            ),
            (
                "{name: id, in: path, required: true, schema: {type: string}}",
                "{name: id, in: path, required: true, x-identifier-type: UserLocator, schema: {type: string}}",
                "GET /users/{id} (get_user): parameter `id`: `x-identifier-type` must name a type the crate's hand-written modules export (DemoId;",
            ),
            (
                "{name: id, in: path, required: true, schema: {type: string}}",
                "{name: id, in: path, required: true, x-identifier-type: DemoId, schema: {type: integer}}",
                "parameter `id` has `x-identifier-type: DemoId` but is not a string",
            ),
            (
                "operationId: get_user",
                "operationId: getUser",
                "`operationId` must be snake_case",
            ),
            (
                "email: {type: string, format: pii}",
                "email: {type: string, format: pii, maxLength: 5}",
                "User.email: `format: pii` cannot carry `maxLength`",
            ),
            (
                "status: {$ref: '#/components/schemas/UserStatus'}",
                "status: {type: string, enum: [a, b]}",
                "User.status: inline enum in a response schema",
            ),
            (
                "type: object\n      properties:\n        email",
                "type: object\n      additionalProperties: false\n      properties:\n        email",
                "User: response schemas must not set `additionalProperties: false`",
            ),
            (
                "        '4XX'",
                "        '5XX': {description: e}\n        '4XX'",
                "every error response must `$ref` the same named error schema",
            ),
            (
                "x-environment: sandbox",
                "x-environment: staging",
                "`x-environment` must be `sandbox` or `production`",
            ),
            (
                "      properties:\n        email",
                "      required: [email]\n      properties:\n        email",
                "",
            ),
            (
                "      properties:\n        email: {type: string, format: pii}",
                "      required: [email]\n      properties:\n        email: {type: string, format: pii, description: 'Inferred: a guess'}",
                "GET /users/{id} (get_user): `x-confidence: confirmed`, but the required response field `User.email` is described `Inferred:`",
            ),
            (
                "    UserStatus: {type: string, enum: [active, blocked]}",
                "    UserStatus: {oneOf: [{$ref: '#/components/schemas/Error'}, {type: string}]}",
                "schema `UserStatus`: `oneOf` is only used in schemas reachable from requests alone",
            ),
            (
                "    UserStatus: {type: string, enum: [active, blocked]}",
                "    UserStatus: {type: string, enum: [active, blocked]}\n    Either: {oneOf: [{$ref: '#/components/schemas/Error'}, {type: string}]}",
                "schema `Either`: every `oneOf` branch must be a `$ref`",
            ),
            (
                "'200': {description: ok,",
                "'200': {x-empty-body: true, description: ok,",
                "",
            ),
            (
                "        '4XX'",
                "        '201': {description: created, x-empty-body: true}\n        '4XX'",
                "`x-empty-body: true` goes on a success response whose named schema has no required field",
            ),
        ];
        for (from, to, expected) in cases {
            let text = BASE.replacen(from, to, 1);
            assert_ne!(text, BASE, "case `{to}` did not apply");
            if expected.is_empty() {
                // Allowed: a required field that is not inferred, an empty body on a schema without
                // required fields.
                lint_yaml(&text).unwrap_or_else(|e| panic!("case `{to}`: {e}"));
                continue;
            }
            let err = lint_yaml(&text).expect_err(to);
            assert!(
                err.contains(expected),
                "case `{to}`: expected `{expected}` in:\n{err}"
            );
        }
    }
}
