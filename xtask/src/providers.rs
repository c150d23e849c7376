//! The providers the generator knows: each one's spec stem, credential type and hand-written modules
//! (from which `cargo xtask generate` writes the crate's `src/lib.rs`), and what a `--provider` option
//! selects.

/// One provider: its spec stem, the runtime credential type its client carries, and what its crate's
/// hand-written modules export.
pub struct Provider {
    pub name: &'static str,
    /// The credential type, `crate::auth::<auth>` in the generated client.
    pub auth: &'static str,
    /// Further items of the hand-written `auth` module the crate root re-exports.
    pub auth_exports: &'static [&'static str],
    /// Hand-written modules besides `auth`, re-exported at the crate root.
    pub modules: &'static [Module],
}

/// A hand-written module of a provider crate (beside `auth`), declared and re-exported by the generated
/// `src/lib.rs`.
pub struct Module {
    pub name: &'static str,
    /// The items the crate root re-exports.
    pub exports: &'static [&'static str],
    /// What the crate's layout docs say it holds, after "[`auth`] holds this provider's credentials, ".
    pub doc: &'static str,
}

pub const PROVIDERS: &[Provider] = &[
    Provider {
        name: "cryptopocket",
        auth: "CryptoPocketAuth",
        auth_exports: &[],
        modules: &[],
    },
    Provider {
        name: "kriptomat",
        auth: "KriptomatAuth",
        auth_exports: &["KriptomatCredentials"],
        modules: &[],
    },
    Provider {
        name: "crossmint",
        auth: "CrossmintAuth",
        auth_exports: &[],
        modules: &[Module {
            name: "locator",
            exports: &["InvalidUserLocator", "UserLocator"],
            doc: "[`UserLocator`] the typed user locator",
        }],
    },
    Provider {
        name: "leap",
        auth: "LeapAuth",
        auth_exports: &[],
        modules: &[],
    },
    Provider {
        name: "sumsub",
        auth: "SumsubAuth",
        auth_exports: &[],
        modules: &[],
    },
];

/// The providers a `--provider` option selects (all of them without it).
pub fn select(only: Option<&str>) -> Result<Vec<&'static Provider>, String> {
    match only {
        Some(name) => {
            let p = PROVIDERS.iter().find(|p| p.name == name).ok_or_else(|| {
                let known: Vec<_> = PROVIDERS.iter().map(|p| p.name).collect();
                format!("unknown provider `{name}` (known: {})", known.join(", "))
            })?;
            Ok(vec![p])
        }
        None => Ok(PROVIDERS.iter().collect()),
    }
}

/// The fresh crates `cargo xtask build-cost` measures: the provider crate a user adds first
/// (Crossmint) and the facade, each with a `main` that uses it.
pub const BUILD_COST_CRATES: [(&str, &str); 2] = [
    (
        "rampkit-crossmint",
        r#"fn main() {
    let client = rampkit_crossmint::Client::for_environment(
        rampkit_crossmint::Environment::Sandbox,
        rampkit_crossmint::CrossmintAuth::new("sk_staging_build_cost".to_owned()),
    )
    .expect("the sandbox URL is in the spec");
    std::hint::black_box(&client);
    println!("built a Crossmint sandbox client");
}
"#,
    ),
    (
        "rampkit",
        r#"fn main() {
    let customer = rampkit::Customer::from_json("{}");
    println!("{}", customer.is_ok());
}
"#,
    ),
];
