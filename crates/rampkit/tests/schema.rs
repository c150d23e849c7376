//! The committed JSON Schema of the canonical customer (`docs/customer.schema.json`) is the generated one.
//!
//! Regenerate it after changing the model:
//!
//! ```text
//! RAMPKIT_UPDATE_SCHEMA=1 cargo test -p rampkit --test schema
//! ```

use std::path::PathBuf;

fn committed_schema_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/customer.schema.json")
}

#[test]
fn customer_schema_is_committed() {
    let generated = serde_json::to_string_pretty(&rampkit::customer_json_schema()).unwrap() + "\n";
    let path = committed_schema_path();
    if std::env::var_os("RAMPKIT_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != generated {
        let first_difference = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
        panic!(
            "docs/customer.schema.json differs from the schema of rampkit::Customer (first at line {}).\n\
             If the model change is intended, regenerate the file and review its diff:\n\n    \
             RAMPKIT_UPDATE_SCHEMA=1 cargo test -p rampkit --test schema\n",
            first_difference + 1
        );
    }
}

#[test]
fn customer_schema_describes_the_canonical_json() {
    let schema = serde_json::to_value(rampkit::customer_json_schema()).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    let defs = &schema["$defs"];
    let person = &defs["Person"];
    assert_eq!(person["additionalProperties"], false);
    assert_eq!(
        person["required"],
        serde_json::json!([
            "legal_name",
            "date_of_birth",
            "nationality",
            "country_of_residence",
            "email"
        ])
    );
    assert_eq!(person["properties"]["date_of_birth"]["format"], "date");
    assert_eq!(person["properties"]["email"]["format"], "email");
    assert_eq!(defs["Image"]["contentEncoding"], "base64");
    let countries = defs["CountryCode"]["enum"].as_array().unwrap();
    assert!(countries.contains(&"ES".into()) && countries.len() >= 249);
}
