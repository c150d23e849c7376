//! Vendor files as they are published: JSON or YAML, OpenAPI 3.x or Swagger 2.0 (converted to the
//! 3.0 shape `upstream` compares), with or without `info.version` — vendors leave out what `xtask diff`
//! insists on (Leap's partner files have no `info.version`).

use std::path::Path;

use serde_json::Value;

use crate::diff::input::InputError;
use crate::upstream::swagger2;

/// One vendor file, in OpenAPI 3.0 form.
pub struct VendorFile {
    /// The path as given on the command line.
    pub label: String,
    /// The file name (`swagger-partner-full.json`): an operation whose `x-source` ends with it is
    /// expected in this file.
    pub name: String,
    /// `OpenAPI 3.0.0`, or `Swagger 2.0 (converted)`.
    pub format: String,
    pub doc: Value,
}

pub fn load_vendor(path: &Path) -> Result<VendorFile, InputError> {
    let label = path.display().to_string();
    let raw = std::fs::read(path).map_err(|e| InputError(format!("{label}: {e}")))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| label.clone());
    let (doc, format) = parse_vendor(&raw, &label)?;
    Ok(VendorFile {
        label,
        name,
        format,
        doc,
    })
}

/// Vendor text (JSON is YAML) → an OpenAPI 3.0-shaped document and what it was.
pub fn parse_vendor(raw: &[u8], label: &str) -> Result<(Value, String), InputError> {
    let doc: Value = serde_yaml_ng::from_slice(raw).map_err(|e| {
        InputError(format!(
            "{label}: neither JSON nor YAML: {}",
            one_line(&e.to_string())
        ))
    })?;
    let version = |key: &str| doc.get(key).and_then(Value::as_str).map(str::to_owned);
    let (doc, format) = match (version("openapi"), version("swagger")) {
        (Some(v), _) if v.starts_with("3.") => (doc, format!("OpenAPI {v}")),
        (_, Some(v)) if v == "2.0" => (swagger2::convert(&doc), "Swagger 2.0 (converted)".into()),
        (Some(v), _) | (_, Some(v)) => {
            return Err(InputError(format!(
                "{label}: version {v} is not supported (OpenAPI 3.x or Swagger 2.0)"
            )));
        }
        (None, None) => {
            return Err(InputError(format!(
                "{label}: not an OpenAPI document (no `openapi` or `swagger` field)"
            )));
        }
    };
    if !doc.get("paths").is_some_and(Value::is_object) {
        return Err(InputError(format!("{label}: no `paths` object")));
    }
    Ok((doc, format))
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
