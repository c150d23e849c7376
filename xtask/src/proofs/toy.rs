//! The toy provider the rule proofs generate: a small spec with every construct the diff's rules look at
//! (`toy.yaml`, also the diff engine's test spec), its row of a providers table, and the hand-written
//! files of its crate.

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::providers::{Module, Provider};
use crate::spec::Spec;

/// The spec, as a JSON value.
pub fn spec() -> Value {
    serde_yaml_ng::from_str(include_str!("toy.yaml")).expect("toy.yaml is YAML")
}

/// The toy's row of a providers table: a credential type and one hand-written module with a typed
/// identifier, like Crossmint's locator.
pub static PROVIDER: Provider = Provider {
    name: "toy",
    auth: "ToyAuth",
    auth_exports: &[],
    modules: &[Module {
        name: "ids",
        exports: &["UserId"],
        doc: "[`UserId`] a typed identifier",
    }],
};

/// `value` as the spec file the generator reads (its hash is the header's).
pub fn as_spec(value: &Value) -> Spec {
    let text = serde_yaml_ng::to_string(value).expect("a JSON value is YAML");
    Spec {
        rel_path: "specs/toy.yaml".to_owned(),
        sha256: hex::encode(Sha256::digest(text.as_bytes())),
        value: value.clone(),
    }
}

/// The hand-written files of the toy crate: `(path, contents)`.
pub const HAND_WRITTEN: &[(&str, &str)] = &[
    ("README.md", "# toy\n\nThe rule proofs' toy provider.\n"),
    (
        "src/auth.rs",
        r#"//! No credentials: the proofs only compile.

use rampkit_runtime::auth::{AuthError, Authenticator, TokenLease};
use rampkit_runtime::meta::OperationMeta;

/// The toy's credentials: none.
#[derive(Clone, Debug)]
pub struct ToyAuth;

impl Authenticator for ToyAuth {
    const PROVIDER: &'static str = "toy";
    const CREDENTIAL_HEADERS: &'static [&'static str] = &[];

    fn authenticate(
        &self,
        _: &mut reqwest::Request,
        _: &OperationMeta,
        _: Option<&TokenLease>,
    ) -> Result<(), AuthError> {
        Ok(())
    }
}
"#,
    ),
    (
        "src/ids.rs",
        r#"//! A typed identifier (`x-identifier-type: UserId`).

use rampkit_runtime::{Identifier, Pii};

/// A user id.
pub struct UserId(pub String);

impl Identifier for UserId {
    fn to_parameter(&self) -> Pii {
        Pii::new(self.0.clone())
    }
}
"#,
    ),
];

/// The toy crate's version: 1.0.0, so that cargo-semver-checks' "major" is cargo's breaking step.
pub const VERSION: &str = "1.0.0";

/// The toy crate's `Cargo.toml`: package `name`, library `toy` (every version of the toy is the same
/// library, as consecutive releases of one crate are), the dependencies of a provider crate.
pub fn manifest(name: &str) -> String {
    format!(
        r#"[package]
name = "{name}"
version = "{VERSION}"
edition = "2021"
publish = false

[lib]
name = "toy"
path = "src/lib.rs"

[dependencies]
progenitor-client.workspace = true
rampkit-runtime = {{ workspace = true, features = ["client"] }}
reqwest.workspace = true
serde.workspace = true
serde_json.workspace = true

[features]
default = ["client"]
client = []
"#
    )
}
