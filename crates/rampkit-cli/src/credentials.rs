//! Provider credentials: from the environment, from the simulator, or placeholders for the recorder.

use std::fmt;

use rampkit::Provider;

/// Every credential the four flows use. `Debug` prints no value.
#[derive(Clone, Default)]
pub struct Credentials {
    pub crossmint_api_key: String,
    pub leap_api_key: String,
    pub cryptopocket_api_key: String,
    pub cryptopocket_api_secret: String,
    pub kriptomat_email: String,
    pub kriptomat_password: String,
    pub kriptomat_client_id: i64,
    pub kriptomat_client_secret: String,
    pub kriptomat_totp_secret_base32: String,
    pub sumsub_app_token: String,
    pub sumsub_secret_key: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials").finish_non_exhaustive()
    }
}

/// The environment variables of each provider's credentials (Kriptomat's include SumSub's).
pub fn variables(provider: Provider) -> &'static [&'static str] {
    match provider {
        Provider::Crossmint => &["RAMPKIT_CROSSMINT_API_KEY"],
        Provider::CryptoPocket => &[
            "RAMPKIT_CRYPTOPOCKET_API_KEY",
            "RAMPKIT_CRYPTOPOCKET_API_SECRET",
        ],
        Provider::Kriptomat => &[
            "RAMPKIT_KRIPTOMAT_EMAIL",
            "RAMPKIT_KRIPTOMAT_PASSWORD",
            "RAMPKIT_KRIPTOMAT_CLIENT_ID",
            "RAMPKIT_KRIPTOMAT_CLIENT_SECRET",
            "RAMPKIT_KRIPTOMAT_TOTP_SECRET",
            "RAMPKIT_SUMSUB_APP_TOKEN",
            "RAMPKIT_SUMSUB_SECRET_KEY",
        ],
        Provider::Leap => &["RAMPKIT_LEAP_API_KEY"],
    }
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Whether any provider credential is set in the environment.
pub fn any_in_environment() -> bool {
    rampkit::Provider::ALL
        .iter()
        .flat_map(|p| variables(*p))
        .any(|name| var(name).is_some())
}

/// The credentials of `providers` from the environment, or the names of the variables that are unset
/// (or, for the client id, not a number).
pub fn from_environment(providers: &[Provider]) -> Result<Credentials, Vec<&'static str>> {
    let mut missing: Vec<&'static str> = providers
        .iter()
        .flat_map(|p| variables(*p))
        .copied()
        .filter(|name| var(name).is_none())
        .collect();
    let client_id = var("RAMPKIT_KRIPTOMAT_CLIENT_ID");
    let kriptomat_client_id = match client_id.as_deref().map(str::parse::<i64>) {
        Some(Ok(id)) => id,
        Some(Err(_)) => {
            if providers.contains(&Provider::Kriptomat) {
                missing.push("RAMPKIT_KRIPTOMAT_CLIENT_ID (a number)");
            }
            0
        }
        None => 0,
    };
    missing.dedup();
    if !missing.is_empty() {
        return Err(missing);
    }
    let get = |name: &str| var(name).unwrap_or_default();
    Ok(Credentials {
        crossmint_api_key: get("RAMPKIT_CROSSMINT_API_KEY"),
        leap_api_key: get("RAMPKIT_LEAP_API_KEY"),
        cryptopocket_api_key: get("RAMPKIT_CRYPTOPOCKET_API_KEY"),
        cryptopocket_api_secret: get("RAMPKIT_CRYPTOPOCKET_API_SECRET"),
        kriptomat_email: get("RAMPKIT_KRIPTOMAT_EMAIL"),
        kriptomat_password: get("RAMPKIT_KRIPTOMAT_PASSWORD"),
        kriptomat_client_id,
        kriptomat_client_secret: get("RAMPKIT_KRIPTOMAT_CLIENT_SECRET"),
        kriptomat_totp_secret_base32: get("RAMPKIT_KRIPTOMAT_TOTP_SECRET"),
        sumsub_app_token: get("RAMPKIT_SUMSUB_APP_TOKEN"),
        sumsub_secret_key: get("RAMPKIT_SUMSUB_SECRET_KEY"),
    })
}

/// The Kriptomat user id from `RAMPKIT_KRIPTOMAT_USER_ID`, if set and a number.
pub fn kriptomat_user_id_from_environment() -> Option<i64> {
    var("RAMPKIT_KRIPTOMAT_USER_ID").and_then(|v| v.trim().parse().ok())
}

impl From<&rampkit_sim::SimConfig> for Credentials {
    /// The credentials a simulator accepts, mapped by their environment variable's name
    /// (`RAMPKIT_<VENDOR>_<FIELD>`), so that no vendor is named twice.
    fn from(sim: &rampkit_sim::SimConfig) -> Self {
        let mut credentials = Credentials::default();
        for (vendor, field, value) in sim.credential_pairs() {
            let variable = format!(
                "RAMPKIT_{}_{}",
                vendor.as_str().to_ascii_uppercase(),
                field.to_ascii_uppercase()
            );
            credentials.set(&variable, value);
        }
        credentials
    }
}

impl Credentials {
    /// Sets the credential of environment variable `variable` (unknown names are ignored).
    fn set(&mut self, variable: &str, value: String) {
        let slot = match variable {
            "RAMPKIT_CROSSMINT_API_KEY" => &mut self.crossmint_api_key,
            "RAMPKIT_LEAP_API_KEY" => &mut self.leap_api_key,
            "RAMPKIT_CRYPTOPOCKET_API_KEY" => &mut self.cryptopocket_api_key,
            "RAMPKIT_CRYPTOPOCKET_API_SECRET" => &mut self.cryptopocket_api_secret,
            "RAMPKIT_KRIPTOMAT_EMAIL" => &mut self.kriptomat_email,
            "RAMPKIT_KRIPTOMAT_PASSWORD" => &mut self.kriptomat_password,
            "RAMPKIT_KRIPTOMAT_CLIENT_ID" => {
                self.kriptomat_client_id = value.parse().unwrap_or_default();
                return;
            }
            "RAMPKIT_KRIPTOMAT_CLIENT_SECRET" => &mut self.kriptomat_client_secret,
            "RAMPKIT_KRIPTOMAT_TOTP_SECRET" => &mut self.kriptomat_totp_secret_base32,
            "RAMPKIT_SUMSUB_APP_TOKEN" => &mut self.sumsub_app_token,
            "RAMPKIT_SUMSUB_SECRET_KEY" => &mut self.sumsub_secret_key,
            _ => return,
        };
        *slot = value;
    }
}

/// Placeholder credentials for the recorder of `rampkit request`: recognisable, and masked in output.
pub fn placeholders() -> Credentials {
    Credentials {
        crossmint_api_key: "placeholder-crossmint-api-key".to_owned(),
        leap_api_key: "placeholder-leap-api-key".to_owned(),
        cryptopocket_api_key: "placeholder-cryptopocket-api-key".to_owned(),
        cryptopocket_api_secret: "placeholder-cryptopocket-api-secret".to_owned(),
        kriptomat_email: "placeholder-partner@example.invalid".to_owned(),
        kriptomat_password: "placeholder-kriptomat-password".to_owned(),
        kriptomat_client_id: 5,
        kriptomat_client_secret: "placeholder-kriptomat-client-secret".to_owned(),
        // RFC 6238's test secret.
        kriptomat_totp_secret_base32: "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".to_owned(),
        sumsub_app_token: "placeholder-sumsub-app-token".to_owned(),
        sumsub_secret_key: "placeholder-sumsub-secret-key".to_owned(),
    }
}

impl Credentials {
    /// Every secret value, for masking (the client id is a number, not a secret).
    pub fn secrets(&self) -> Vec<&str> {
        [
            &self.crossmint_api_key,
            &self.leap_api_key,
            &self.cryptopocket_api_key,
            &self.cryptopocket_api_secret,
            &self.kriptomat_email,
            &self.kriptomat_password,
            &self.kriptomat_client_secret,
            &self.kriptomat_totp_secret_base32,
            &self.sumsub_app_token,
            &self.sumsub_secret_key,
        ]
        .into_iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect()
    }
}
