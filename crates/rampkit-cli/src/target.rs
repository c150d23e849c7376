//! Where a command sends its requests (the vendors, a running simulator, one started in this process,
//! or the recorder) and the one place that builds each provider's clients and flows for it, through the
//! provider's connector.

use std::sync::Arc;

use rampkit::runtime::Environment;
use rampkit::{Credentials, FlowFactory, Provider, Setup, Target};
use rampkit_sim::{SimConfig, Simulator};

use crate::cli::{EnvArg, TargetArgs};
use crate::exit::Failure;
use crate::providers::{self, SettingsArgs};

/// Where the requests go, once the flags and the environment are read.
pub enum Destination {
    /// A simulator started in this process (stopped at the end).
    Embedded(Box<Simulator>),
    /// A simulator already running at this URL.
    Remote(String),
    /// The vendors.
    Vendors(Environment),
    /// The recorder of `rampkit request`, at this URL.
    Recorder(String),
}

impl Destination {
    /// What the providers' references depend on.
    pub fn kind(&self) -> providers::Destination {
        match self {
            Destination::Embedded(_) | Destination::Remote(_) => providers::Destination::Simulator,
            Destination::Recorder(_) => providers::Destination::Recorder,
            Destination::Vendors(_) => providers::Destination::Vendors,
        }
    }

    /// Whether a simulator answers (polling can be fast).
    pub fn is_simulator(&self) -> bool {
        self.kind() == providers::Destination::Simulator
    }

    /// The connectors' target.
    pub fn target(&self) -> Target {
        match self {
            Destination::Embedded(sim) => Target::Prefixed(sim.url()),
            Destination::Remote(url) | Destination::Recorder(url) => Target::Prefixed(url.clone()),
            Destination::Vendors(environment) => Target::Environment(environment.clone()),
        }
    }

    /// Stops an embedded simulator.
    pub async fn finish(self) {
        if let Destination::Embedded(sim) = self {
            sim.shutdown().await;
        }
    }
}

/// The credentials a simulator accepts, under the connectors' names (`<vendor>.<field>`).
pub fn simulator_credentials(config: &SimConfig) -> Credentials {
    let mut credentials = Credentials::new();
    for (vendor, field, value) in config.credential_pairs() {
        credentials.set(vendor.as_str(), field, value);
    }
    credentials
}

/// Whether any provider credential is set in the environment.
pub fn any_credential_in_environment() -> bool {
    Provider::ALL
        .iter()
        .flat_map(|p| p.connector().credentials())
        .any(|spec| std::env::var(spec.variable()).is_ok_and(|value| !value.trim().is_empty()))
}

/// Reads `--sim` / `--sim-url` / `--env` and the environment: where to send, with which credentials.
/// With none of the three flags, the embedded simulator when no credential is set, else the sandbox.
pub async fn destination(
    target: &TargetArgs,
    providers: &[Provider],
) -> Result<(Destination, Credentials), Failure> {
    let environment = match (target.sim, &target.sim_url, target.env) {
        (true, _, _) => None,
        (false, Some(url), _) => {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(Failure::usage(
                    "--sim-url is the simulator's base URL, http://host:port",
                ));
            }
            let credentials = simulator_credentials(&SimConfig::default());
            return Ok((Destination::Remote(url.clone()), credentials));
        }
        (false, None, Some(EnvArg::Sandbox)) => Some(Environment::Sandbox),
        (false, None, Some(EnvArg::Production)) => Some(Environment::Production),
        (false, None, None) if any_credential_in_environment() => {
            eprintln!("rampkit: RAMPKIT_* credentials are set: using the vendors' sandbox");
            Some(Environment::Sandbox)
        }
        (false, None, None) => {
            eprintln!("rampkit: no credentials in the environment: using the embedded simulator");
            None
        }
    };
    match environment {
        Some(environment) => {
            let credentials = Credentials::from_environment(providers).map_err(|missing| {
                Failure::usage(format!(
                    "missing credentials for {}: set {}",
                    providers
                        .iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                    missing.join(", ")
                ))
            })?;
            Ok((Destination::Vendors(environment), credentials))
        }
        None => {
            let sim = Simulator::start(SimConfig::default()).await.map_err(|e| {
                Failure::internal(format!("cannot start the embedded simulator: {e}"))
            })?;
            let credentials = simulator_credentials(sim.config());
            Ok((Destination::Embedded(Box::new(sim)), credentials))
        }
    }
}

/// The connectors' setup for `destination`.
pub fn setup(
    destination: &Destination,
    credentials: Credentials,
    settings: &SettingsArgs,
) -> Setup {
    let mut setup = Setup::new(destination.target(), credentials);
    setup.settings = settings.settings();
    setup
}

/// One flow factory per provider, each over clients shared by every customer of the run (so that a
/// vendor's rate limit is one budget for the whole run, and CryptoPocket logs in once).
pub fn factories(
    providers: &[Provider],
    setup: &Setup,
) -> Result<Vec<Arc<dyn FlowFactory>>, Failure> {
    providers
        .iter()
        .map(|provider| {
            provider
                .connector()
                .flows(setup)
                .map_err(|e| Failure::usage(e.to_string()))
        })
        .collect()
}
