//! `specs/<provider>.exclusions.yaml` as `upstream` reads it: which vendor route an entry stands for
//! (`operation: METHOD /path`, else a `METHOD /path` written in its `name`) and the checkable fact its
//! reason rests on (`claim`).

use std::path::Path;

use serde_json::Value;

use crate::diff::input::InputError;

/// The claims a vendor file can contradict.
pub const CLAIMS: [&str; 2] = ["no-request-body", "only-in-sdk"];

pub struct Exclusion {
    pub name: String,
    /// `(method in lower case, path)`.
    pub route: Option<(String, String)>,
    pub claim: Option<String>,
}

pub fn load(root: &Path, provider: &str) -> Result<Vec<Exclusion>, InputError> {
    let rel = format!("specs/{provider}.exclusions.yaml");
    let raw = match std::fs::read(root.join(&rel)) {
        Ok(raw) => raw,
        Err(_) => return Ok(Vec::new()),
    };
    parse(&raw, &rel)
}

pub fn parse(raw: &[u8], rel: &str) -> Result<Vec<Exclusion>, InputError> {
    let list: Value =
        serde_yaml_ng::from_slice(raw).map_err(|e| InputError(format!("{rel}: {e}")))?;
    let items = match list {
        Value::Array(items) => items,
        Value::Null => Vec::new(),
        _ => return Err(InputError(format!("{rel}: must be a list"))),
    };
    items
        .iter()
        .map(|item| {
            let field = |k: &str| item.get(k).and_then(Value::as_str).map(str::to_owned);
            let name = field("name").unwrap_or_default();
            let route = match field("operation") {
                Some(op) => Some(route_in(&op).ok_or_else(|| {
                    InputError(format!(
                        "{rel}: `{name}`: `operation` must be `METHOD /path`, not `{op}`"
                    ))
                })?),
                None => route_in(&name),
            };
            let claim = field("claim");
            if let Some(c) = &claim
                && !CLAIMS.contains(&c.as_str())
            {
                return Err(InputError(format!(
                    "{rel}: `{name}`: claim `{c}` is not one of {}",
                    CLAIMS.join(", ")
                )));
            }
            if claim.is_some() && route.is_none() {
                return Err(InputError(format!(
                    "{rel}: `{name}`: a `claim` needs the vendor route (`operation: METHOD /path`)"
                )));
            }
            Ok(Exclusion { name, route, claim })
        })
        .collect()
}

/// The first `METHOD /path` in `text`.
fn route_in(text: &str) -> Option<(String, String)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.windows(2).find_map(|w| {
        let method = w[0].trim_start_matches('(').to_ascii_lowercase();
        let path = w[1].trim_end_matches([')', ',', ';', '.']);
        (crate::spec::HTTP_METHODS.contains(&method.as_str()) && path.starts_with('/'))
            .then(|| (method, path.to_owned()))
    })
}
