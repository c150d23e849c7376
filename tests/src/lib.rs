//! Helpers shared by the workspace tests: reading the specs, walking an example alongside its schema,
//! and comparing JSON bodies with a readable diff.

pub mod bench;
pub mod onboarding_batch;
pub mod planted;
pub mod postgres;
pub mod scripted;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{LazyLock, Mutex, PoisonError};

use serde_json::Value;

/// The providers with a spec (`specs/<provider>.yaml`), in alphabetical order: found in the tree, not
/// listed again here.
pub static PROVIDERS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut names: Vec<String> = std::fs::read_dir(workspace_root().join("specs"))
        .expect("specs/ is readable")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().to_string_lossy().into_owned();
            let provider = name.strip_suffix(".yaml")?;
            (!provider.contains('.')).then(|| provider.to_owned())
        })
        .collect();
    names.sort();
    names
});

/// The workspace root, found at run time: the nearest ancestor of the current directory (cargo runs
/// tests in the package directory) whose `Cargo.toml` has a `[workspace]` table. Never a path baked in
/// at build time, so a test binary reads the checkout it runs in.
pub fn workspace_root() -> PathBuf {
    let cwd = std::env::current_dir().expect("the current directory is readable");
    cwd.ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|m| m.lines().any(|l| l.trim() == "[workspace]"))
        })
        .unwrap_or_else(|| panic!("no Cargo workspace above {}", cwd.display()))
        .to_path_buf()
}

/// A vendor document of the wire tests, `tests/fixtures/wire/<vendor>/<file>` (`name` is
/// `"<vendor>/<file>"`), read at run time from the checkout the tests run in. The text is the document
/// byte for byte: the file's final newline belongs to the file, not to the document, and is dropped. Each
/// file is read once per test binary and kept for the rest of the run, so callers get a `&'static str`
/// like the literals these files replace.
pub fn wire_fixture(name: &str) -> &'static str {
    static READ: LazyLock<Mutex<HashMap<String, &'static str>>> = LazyLock::new(Mutex::default);
    let mut read = READ.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(text) = read.get(name) {
        return text;
    }
    let path = workspace_root().join("tests/fixtures/wire").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = text.strip_suffix('\n').map(str::to_owned).unwrap_or(text);
    let text: &'static str = Box::leak(text.into_boxed_str());
    read.insert(name.to_owned(), text);
    text
}

/// `specs/<provider>.yaml` as JSON.
pub fn load_spec(provider: &str) -> Value {
    let path = workspace_root().join(format!("specs/{provider}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What a string leaf of an example is, according to its schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leaf {
    /// `format: pii`
    Pii,
    /// `format: base64-document`
    Base64Document,
    /// A named enum schema reachable from a response (generated forward-compatible).
    Enum,
    /// Anything else.
    Other,
}

/// One example from a spec: a request body, a success response or an error response.
#[derive(Clone, Debug)]
pub struct Example {
    pub operation_id: String,
    /// `request`, `success` or `error`
    pub part: &'static str,
    /// Where it stands in the spec, for messages.
    pub label: String,
    pub schema: Value,
    pub value: Value,
}

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];
const FORM: &str = "application/x-www-form-urlencoded";

/// Every example of every operation in a spec (`example` and `examples.*.value` on JSON media types).
pub fn examples(spec: &Value) -> Vec<Example> {
    let mut out = Vec::new();
    let Some(paths) = spec["paths"].as_object() else {
        return out;
    };
    for (path, item) in paths {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let id = op["operationId"].as_str().unwrap_or_default().to_owned();
            let mut media = Vec::new();
            let content = op.get("requestBody").and_then(|b| b.get("content"));
            if let Some(m) = content.and_then(|c| c.get("application/json").or_else(|| c.get(FORM)))
            {
                media.push(("request", "request".to_owned(), m));
            }
            for (status, response) in op["responses"].as_object().into_iter().flatten() {
                if let Some(m) = response
                    .get("content")
                    .and_then(|c| c.get("application/json"))
                {
                    let part = if status.starts_with('2') {
                        "success"
                    } else {
                        "error"
                    };
                    media.push((part, format!("response {status}"), m));
                }
            }
            for (part, place, m) in media {
                let schema = m.get("schema").cloned().unwrap_or(Value::Null);
                let mut values = Vec::new();
                if let Some(v) = m.get("example") {
                    values.push(("example".to_owned(), v.clone()));
                }
                for (name, ex) in m
                    .get("examples")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                {
                    if let Some(v) = ex.get("value") {
                        values.push((format!("examples.{name}"), v.clone()));
                    }
                }
                for (name, value) in values {
                    out.push(Example {
                        operation_id: id.clone(),
                        part,
                        label: format!("{} {path} ({id}) {place} {name}", method.to_uppercase()),
                        schema: schema.clone(),
                        value,
                    });
                }
            }
        }
    }
    out
}

fn resolve<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        Some(name) => resolve(spec, &spec["components"]["schemas"][name]),
        None => schema,
    }
}

/// Calls `f` on every string leaf of `value`, classified by the schema it stands under.
pub fn walk_strings(
    spec: &Value,
    schema: &Value,
    value: &mut Value,
    f: &mut dyn FnMut(Leaf, &mut Value),
) {
    let is_named_enum = schema.get("$ref").is_some() && resolve(spec, schema).get("enum").is_some();
    let schema = resolve(spec, schema);
    // A request-only `oneOf` of named branches (see specs/CONVENTIONS.md): walk the branch the value
    // has the shape of.
    if let Some(branches) = schema.get("oneOf").and_then(Value::as_array) {
        if let Some(branch) = one_of_branch(spec, branches, value) {
            walk_strings(spec, branch, value, f);
        }
        return;
    }
    match value {
        Value::String(_) => {
            let leaf = match schema.get("format").and_then(Value::as_str) {
                Some("pii") => Leaf::Pii,
                Some("base64-document") => Leaf::Base64Document,
                _ if is_named_enum => Leaf::Enum,
                _ => Leaf::Other,
            };
            f(leaf, value);
        }
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                let sub = schema
                    .get("properties")
                    .and_then(|p| p.get(key))
                    .or_else(|| schema.get("additionalProperties").filter(|a| a.is_object()));
                if let Some(sub) = sub {
                    walk_strings(spec, sub, child, f);
                }
            }
        }
        Value::Array(items) => {
            if let Some(sub) = schema.get("items") {
                for item in items {
                    walk_strings(spec, sub, item, f);
                }
            }
        }
        _ => {}
    }
}

/// The `oneOf` branch `value` has the shape of: an array for an array branch, an object for the object
/// branch that declares all its keys, a `data:` URI for a base64-document string, any other string for
/// the first other string branch.
fn one_of_branch<'a>(spec: &'a Value, branches: &'a [Value], value: &Value) -> Option<&'a Value> {
    branches.iter().find(|branch| {
        let b = resolve(spec, branch);
        let ty = b.get("type").and_then(Value::as_str);
        match value {
            Value::Array(_) => ty == Some("array"),
            Value::Object(map) => {
                ty == Some("object")
                    && map
                        .keys()
                        .all(|k| b.get("properties").and_then(|p| p.get(k)).is_some())
            }
            Value::String(text) => {
                let document = b.get("format").and_then(Value::as_str) == Some("base64-document");
                ty == Some("string") && document == text.starts_with("data:")
            }
            _ => false,
        }
    })
}

/// Parses a literal JSON text taken from vendor documentation.
pub fn vendor_json(text: &str) -> Value {
    serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("vendor JSON literal does not parse: {e}\n{text}"))
}

/// Asserts two JSON documents are equal as values (key order and whitespace aside), listing every
/// differing path — so a renamed or missing field is named in the failure.
pub fn assert_json_eq(actual: &Value, expected: &Value) {
    let mut diffs = Vec::new();
    diff("$", actual, expected, &mut diffs);
    assert!(
        diffs.is_empty(),
        "JSON differs from the vendor example:\n  {}\nactual:   {actual}\nexpected: {expected}",
        diffs.join("\n  ")
    );
}

fn diff(path: &str, actual: &Value, expected: &Value, out: &mut Vec<String>) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => diff(&format!("{path}.{k}"), av, ev, out),
                    None => out.push(format!("{path}.{k}: missing (vendor sends it)")),
                }
            }
            for k in a.keys().filter(|k| !e.contains_key(*k)) {
                out.push(format!("{path}.{k}: not in the vendor example"));
            }
        }
        (Value::Array(a), Value::Array(e)) if a.len() == e.len() => {
            for (i, (av, ev)) in a.iter().zip(e).enumerate() {
                diff(&format!("{path}[{i}]"), av, ev, out);
            }
        }
        (Value::Number(a), Value::Number(e)) if a.as_f64() == e.as_f64() => {}
        _ if actual == expected => {}
        _ => out.push(format!("{path}: {actual} != {expected}")),
    }
}

/// A JSON value for `schema` with every field filled: personal strings get unique planted markers
/// (`PLANTED-<n>`), base64 documents a payload whose base64 is `UExBTlRFRERPQw`, everything else a
/// plausible value. Used to fill every request type of every provider.
pub fn synthesize(spec: &Value, schema: &Value, planted: &mut Vec<String>) -> Value {
    let schema = resolve(spec, schema);
    // A request-only `oneOf`: its first branch.
    if let Some(first) = schema
        .get("oneOf")
        .and_then(Value::as_array)
        .and_then(|b| b.first())
    {
        return synthesize(spec, first, planted);
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        return values.first().cloned().unwrap_or(Value::Null);
    }
    match (
        schema.get("type").and_then(Value::as_str),
        schema.get("format").and_then(Value::as_str),
    ) {
        (Some("string"), Some("pii")) => {
            let marker = format!("PLANTED-{}", planted.len());
            planted.push(marker.clone());
            Value::String(marker)
        }
        (Some("number" | "integer"), Some("pii")) => {
            // A distinctive number: its digits must not show in Debug either.
            let n = 7_310_000 + planted.len() as i64;
            planted.push(n.to_string());
            Value::from(n)
        }
        (Some("string"), Some("base64-document")) => {
            planted.push("UExBTlRFRERPQw".to_owned());
            Value::String("data:image/jpeg;base64,UExBTlRFRERPQw==".to_owned())
        }
        (Some("string"), _) => Value::String("x".to_owned()),
        (Some("integer"), _) => Value::from(1),
        (Some("number"), _) => Value::from(1.5),
        (Some("boolean"), _) => Value::Bool(true),
        (Some("array"), _) => Value::Array(vec![synthesize(
            spec,
            schema.get("items").unwrap_or(&Value::Null),
            planted,
        )]),
        _ => {
            let mut map = serde_json::Map::new();
            for (name, sub) in schema
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
            {
                map.insert(name.clone(), synthesize(spec, sub, planted));
            }
            Value::Object(map)
        }
    }
}

/// The request body schema of every operation that has one: `(operation id, schema)`.
pub fn request_schemas(spec: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for item in spec["paths"]
        .as_object()
        .into_iter()
        .flat_map(|p| p.values())
    {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let json = op.pointer("/requestBody/content/application~1json/schema");
            let form = op.pointer("/requestBody/content/application~1x-www-form-urlencoded/schema");
            if let Some(schema) = json.or(form) {
                out.push((
                    op["operationId"].as_str().unwrap_or_default().to_owned(),
                    schema.clone(),
                ));
            }
        }
    }
    out
}
