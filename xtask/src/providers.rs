//! The providers the generator knows: each one's spec stem and credential type, and what a
//! `--provider` option selects.

/// One provider: its spec stem and the runtime credential type its client carries.
pub struct Provider {
    pub name: &'static str,
    pub auth: &'static str,
}

pub const PROVIDERS: &[Provider] = &[
    Provider {
        name: "cryptopocket",
        auth: "CryptoPocketAuth",
    },
    Provider {
        name: "kriptomat",
        auth: "KriptomatAuth",
    },
    Provider {
        name: "crossmint",
        auth: "CrossmintAuth",
    },
    Provider {
        name: "leap",
        auth: "LeapAuth",
    },
    Provider {
        name: "sumsub",
        auth: "SumsubAuth",
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
