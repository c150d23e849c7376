//! A vendor's OpenAPI spec at run time: each operation's request schema (to validate requests with,
//! independently of the generated types), query parameters, success status and example answer. The
//! specs are embedded from the provider crates' shipped copies and parsed once per process.

mod examples;
mod schema;

use std::collections::HashMap;
use std::sync::OnceLock;

use rampkit_runtime::meta::OperationMeta;
use serde_json::{Map, Value};

/// A query parameter the spec declares.
struct Param {
    name: String,
    required: bool,
    kind: Option<String>,
}

/// What the spec says about one operation.
pub struct OpSpec {
    request_schema: Option<Value>,
    request_required: bool,
    json_request: bool,
    query: Vec<Param>,
    success: u16,
    response_schema: Option<Value>,
    example: Option<Value>,
    request_validator: OnceLock<Result<jsonschema::Validator, String>>,
    #[cfg(test)]
    response_validator: OnceLock<Result<jsonschema::Validator, String>>,
}

/// One vendor's spec.
pub struct Spec {
    /// Component schemas as written (with `example`, `nullable`).
    raw: Map<String, Value>,
    /// Component schemas as JSON Schema.
    converted: Map<String, Value>,
    operations: HashMap<String, OpSpec>,
}

fn resolve<'a>(value: &'a Value, root: &'a Value) -> &'a Value {
    // `$ref`s to `#/components/parameters/…` or `#/components/requestBodies/…`.
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) if reference.starts_with("#/") => reference[2..]
            .split('/')
            .try_fold(root, |node, key| node.get(key))
            .unwrap_or(value),
        _ => value,
    }
}

fn success_of(responses: &Map<String, Value>) -> Option<(&String, &Value)> {
    let mut keys: Vec<&String> = responses.keys().filter(|k| k.starts_with('2')).collect();
    keys.sort();
    keys.first().map(|k| (*k, &responses[k.as_str()]))
}

impl Spec {
    /// Parses a spec's YAML text.
    pub fn parse(yaml: &str) -> Result<Spec, String> {
        let root: Value =
            serde_yaml_ng::from_str(yaml).map_err(|e| format!("the spec is not YAML: {e}"))?;
        let raw = root
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let converted = raw
            .iter()
            .map(|(k, v)| (k.clone(), schema::convert(v)))
            .collect();
        let mut operations = HashMap::new();
        let paths = root.get("paths").and_then(Value::as_object);
        for item in paths.into_iter().flat_map(|p| p.values()) {
            let shared_params = item.get("parameters").and_then(Value::as_array);
            for method in ["get", "put", "post", "delete", "patch"] {
                let Some(op) = item.get(method) else { continue };
                let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                    continue;
                };
                let params = shared_params
                    .into_iter()
                    .flatten()
                    .chain(
                        op.get("parameters")
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten(),
                    )
                    .map(|p| resolve(p, &root))
                    .filter(|p| p.get("in").and_then(Value::as_str) == Some("query"))
                    .filter_map(|p| {
                        Some(Param {
                            name: p.get("name")?.as_str()?.to_owned(),
                            required: p.get("required") == Some(&Value::Bool(true)),
                            kind: p
                                .pointer("/schema/type")
                                .and_then(Value::as_str)
                                .map(str::to_owned),
                        })
                    })
                    .collect();
                let body = op.get("requestBody").map(|b| resolve(b, &root));
                let json_media = body.and_then(|b| b.pointer("/content/application~1json"));
                let (success, response) = op
                    .get("responses")
                    .and_then(Value::as_object)
                    .and_then(success_of)
                    .map_or((200, None), |(status, response)| {
                        (status.parse().unwrap_or(200), Some(response))
                    });
                let media = response.and_then(|r| r.pointer("/content/application~1json"));
                operations.insert(
                    id.to_owned(),
                    OpSpec {
                        request_schema: json_media.and_then(|m| m.get("schema")).cloned(),
                        request_required: body
                            .is_some_and(|b| b.get("required") == Some(&Value::Bool(true))),
                        json_request: json_media.is_some(),
                        query: params,
                        success,
                        response_schema: media.and_then(|m| m.get("schema")).cloned(),
                        example: media.and_then(examples::first_example),
                        request_validator: OnceLock::new(),
                        #[cfg(test)]
                        response_validator: OnceLock::new(),
                    },
                );
            }
        }
        Ok(Spec {
            raw,
            converted,
            operations,
        })
    }

    /// Whether the spec has operation `id`.
    #[cfg(test)]
    pub fn has(&self, id: &str) -> bool {
        self.operations.contains_key(id)
    }

    /// Checks a request to `id` against the spec: required query parameters present and of their type,
    /// a JSON body present when required and valid against the request schema. `Err` names the field
    /// and the rule, never a value.
    pub fn check_request(
        &self,
        id: &str,
        query: &HashMap<String, String>,
        body: &[u8],
    ) -> Result<(), String> {
        let Some(op) = self.operations.get(id) else {
            return Ok(());
        };
        for param in &op.query {
            match query.get(&param.name) {
                None if param.required => {
                    return Err(format!("missing query parameter `{}`", param.name));
                }
                Some(value) => {
                    let fits = match param.kind.as_deref() {
                        Some("integer") => value.parse::<i64>().is_ok(),
                        Some("number") => value.parse::<f64>().is_ok(),
                        Some("boolean") => value == "true" || value == "false",
                        _ => true,
                    };
                    if !fits {
                        return Err(format!(
                            "query parameter `{}`: must be {}",
                            param.name,
                            param.kind.as_deref().unwrap_or("valid")
                        ));
                    }
                }
                None => {}
            }
        }
        let Some(schema) = op.request_schema.as_ref().filter(|_| op.json_request) else {
            return Ok(());
        };
        if body.iter().all(u8::is_ascii_whitespace) {
            return if op.request_required {
                Err("the request body is missing".to_owned())
            } else {
                Ok(())
            };
        }
        let Ok(instance) = serde_json::from_slice::<Value>(body) else {
            return Err("the body is not valid JSON".to_owned());
        };
        let validator = op
            .request_validator
            .get_or_init(|| schema::compile(schema, &self.converted));
        match validator {
            Ok(validator) => schema::check(validator, &instance),
            // A schema the validator cannot compile checks nothing (and a test of the specs says so).
            Err(_) => Ok(()),
        }
    }

    /// Checks an answer of `id` against its response schema (tests of the simulator use it).
    #[cfg(test)]
    pub fn check_answer(&self, id: &str, answer: &Value) -> Result<(), String> {
        let Some(op) = self.operations.get(id) else {
            return Err(format!("no operation `{id}` in the spec"));
        };
        let Some(schema) = &op.response_schema else {
            return Ok(());
        };
        let validator = op
            .response_validator
            .get_or_init(|| schema::compile(schema, &self.converted));
        schema::check(validator.as_ref().map_err(Clone::clone)?, answer)
    }

    /// The answer of `id` from the spec: its success status and its example, or a value built from the
    /// response schema; no body when the spec declares none.
    pub fn example_answer(&self, id: &str) -> (u16, Option<Value>) {
        let Some(op) = self.operations.get(id) else {
            return (200, None);
        };
        let body = op.example.clone().or_else(|| {
            op.response_schema
                .as_ref()
                .map(|s| examples::synthesize(s, &self.raw))
        });
        (op.success, body)
    }

    /// A request body of `id` built from its schema (required fields only), for tests.
    #[cfg(test)]
    pub fn example_request(&self, id: &str) -> Option<Value> {
        let op = self.operations.get(id)?;
        let schema = op.request_schema.as_ref().filter(|_| op.json_request)?;
        Some(examples::synthesize(schema, &self.raw))
    }

    /// The required query parameters of `id`, with values of their types, for tests.
    #[cfg(test)]
    pub fn example_query(&self, id: &str) -> HashMap<String, String> {
        let params = self.operations.get(id).map(|op| op.query.as_slice());
        params
            .unwrap_or_default()
            .iter()
            .filter(|p| p.required)
            .map(|p| {
                let value = if p.kind.as_deref() == Some("boolean") {
                    "true"
                } else {
                    "1"
                };
                (p.name.clone(), value.to_owned())
            })
            .collect()
    }

    /// Whether every request schema compiles (tests).
    #[cfg(test)]
    pub fn compile_all(&self) -> Result<(), String> {
        for (id, op) in &self.operations {
            if let Some(schema) = &op.request_schema {
                schema::compile(schema, &self.converted).map_err(|e| format!("{id}: {e}"))?;
            }
        }
        Ok(())
    }
}

/// The spec of `yaml`, parsed on first use and kept for the life of the process (each vendor's room
/// holds one `cell`).
pub fn cached(
    cell: &'static OnceLock<Result<Spec, String>>,
    yaml: &'static str,
) -> Result<&'static Spec, String> {
    cell.get_or_init(|| Spec::parse(yaml))
        .as_ref()
        .map_err(Clone::clone)
}

/// The operation `path` (below the vendor's prefix, still percent-encoded) names for `method`, and its
/// decoded path parameters. A literal segment beats a parameter, so `/user/operations/in-out/{t}` wins
/// over `/user/operations/{t}/…` when both fit.
pub fn find_operation<'a>(
    operations: &'a [OperationMeta],
    method: &str,
    path: &str,
) -> Option<(&'a OperationMeta, Vec<(String, String)>)> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let mut best: Option<(usize, &OperationMeta)> = None;
    for op in operations.iter().filter(|op| op.method == method) {
        let template: Vec<&str> = op.path.trim_start_matches('/').split('/').collect();
        if template.len() != segments.len() {
            continue;
        }
        let mut literals = 0;
        let fits = template.iter().zip(&segments).all(|(t, s)| {
            if t.starts_with('{') && t.ends_with('}') {
                !s.is_empty()
            } else {
                literals += 1;
                t == s
            }
        });
        if fits && best.is_none_or(|(n, _)| literals > n) {
            best = Some((literals, op));
        }
    }
    let (_, op) = best?;
    let params = op
        .path
        .trim_start_matches('/')
        .split('/')
        .zip(&segments)
        .filter_map(|(t, s)| {
            let name = t.strip_prefix('{')?.strip_suffix('}')?;
            let value = percent_encoding::percent_decode_str(s).decode_utf8_lossy();
            Some((name.to_owned(), value.into_owned()))
        })
        .collect();
    Some((op, params))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampkit_runtime::meta::Confidence;

    const fn op(id: &'static str, method: &'static str, path: &'static str) -> OperationMeta {
        OperationMeta {
            id,
            method,
            path,
            confidence: Confidence::Confirmed,
            source: "",
            idempotent: false,
            authenticated: true,
        }
    }

    #[test]
    fn paths_find_the_most_literal_operation() {
        let ops = [
            op("by_token", "GET", "/user/operations/{userToken}"),
            op("in_out", "GET", "/user/operations/in-out/{userToken}"),
            op(
                "frequent",
                "GET",
                "/user/operations/frequent/{userToken}/{limit}",
            ),
            op("put_user", "PUT", "/users/{userLocator}"),
        ];
        let (found, params) = find_operation(&ops, "GET", "/user/operations/in-out/abc").unwrap();
        assert_eq!(found.id, "in_out");
        assert_eq!(params, [("userToken".to_owned(), "abc".to_owned())]);
        assert_eq!(
            find_operation(&ops, "GET", "/user/operations/abc")
                .unwrap()
                .0
                .id,
            "by_token"
        );
        let (found, params) = find_operation(&ops, "PUT", "/users/userId%3Aana").unwrap();
        assert_eq!(found.id, "put_user");
        assert_eq!(params[0].1, "userId:ana");
        assert!(
            find_operation(&ops, "GET", "/users/x").is_none(),
            "method matters"
        );
        assert!(find_operation(&ops, "GET", "/nothing").is_none());
    }

    #[test]
    fn a_spec_checks_requests_and_answers_examples() {
        let spec = Spec::parse(
            r##"
openapi: 3.0.3
paths:
  /things/{id}:
    post:
      operationId: make_thing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, required: true, schema: {type: integer}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Thing'}
      responses:
        '201':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              example: {name: documented}
    get:
      operationId: get_thing
      responses:
        '200':
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
components:
  schemas:
    Thing:
      type: object
      required: [name]
      properties:
        name: {type: string, format: pii}
"##,
        )
        .unwrap();
        let query = |pairs: &[(&str, &str)]| -> HashMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let ok = query(&[("limit", "3")]);
        assert!(
            spec.check_request("make_thing", &ok, br#"{"name": "a"}"#)
                .is_ok()
        );
        assert_eq!(
            spec.check_request("make_thing", &query(&[]), br#"{"name": "a"}"#)
                .unwrap_err(),
            "missing query parameter `limit`"
        );
        assert_eq!(
            spec.check_request("make_thing", &query(&[("limit", "x")]), b"{}")
                .unwrap_err(),
            "query parameter `limit`: must be integer"
        );
        assert_eq!(
            spec.check_request("make_thing", &ok, b"{}").unwrap_err(),
            "missing field `name`"
        );
        assert_eq!(
            spec.check_request("make_thing", &ok, b"").unwrap_err(),
            "the request body is missing"
        );
        assert_eq!(
            spec.example_answer("make_thing"),
            (201, Some(serde_json::json!({"name": "documented"})))
        );
        assert_eq!(
            spec.example_answer("get_thing"),
            (200, Some(serde_json::json!({"name": "string"})))
        );
        assert!(
            spec.check_answer("get_thing", &serde_json::json!({"name": "x"}))
                .is_ok()
        );
        assert!(
            spec.check_answer("get_thing", &serde_json::json!({}))
                .is_err()
        );
        assert!(spec.compile_all().is_ok());
    }
}
