//! `rampkit sim`: the simulator of the four vendors, standalone, until Ctrl-C.

use std::net::SocketAddr;

use rampkit_sim::{FaultConfig, SimConfig, Simulator, Vendor};

use crate::cli::SimArgs;
use crate::exit::{Code, Failure};
use crate::out::outln;

/// The address `rampkit sim` listens on without `--port` or a config file.
pub const DEFAULT_PORT: u16 = 8080;

pub fn config(args: &SimArgs) -> Result<SimConfig, Failure> {
    let mut config = match &args.config {
        Some(path) => SimConfig::from_file(path)
            .map_err(|e| Failure::usage(format!("cannot use the simulator config: {e}")))?,
        None => SimConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], DEFAULT_PORT)),
            ..SimConfig::default()
        },
    };
    if let Some(port) = args.port {
        config.addr = SocketAddr::from(([127, 0, 0, 1], port));
    }
    if let Some(rate) = args.fault_rate {
        if !(0.0..=1.0).contains(&rate) {
            return Err(Failure::usage("--fault-rate is a share between 0 and 1"));
        }
        for vendor in Vendor::ALL {
            let faults = config.vendors.section_mut(vendor).faults_mut();
            *faults = FaultConfig {
                latency_ms: faults.latency_ms,
                ..FaultConfig::with_rate(rate)
            };
        }
    }
    if let Some(latency) = args.latency_ms {
        for vendor in Vendor::ALL {
            config.vendors.section_mut(vendor).faults_mut().latency_ms = latency;
        }
    }
    if args.seed.is_some() {
        config.seed = args.seed;
    }
    if let Some(state) = &args.state {
        config.state_file = Some(state.clone());
    }
    Ok(config)
}

/// Ctrl-C, or (on Unix) SIGTERM.
async fn stop_signal() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut terminate = signal(SignalKind::terminate())?;
        tokio::select! {
            stopped = tokio::signal::ctrl_c() => stopped,
            _ = terminate.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}

pub async fn run(args: SimArgs) -> Result<Code, Failure> {
    let config = config(&args)?;
    let addr = config.addr;
    let sim = Simulator::start(config).await.map_err(|e| {
        if e.kind() == std::io::ErrorKind::InvalidData {
            Failure::usage(format!("cannot start the simulator: {e}"))
        } else {
            Failure::internal(format!("cannot listen on {addr}: {}", e.kind()))
        }
    })?;
    outln!("{}", sim.url());
    for vendor in Vendor::ALL {
        eprintln!("  {:<12} {}", vendor.as_str(), sim.base_url(vendor));
    }
    eprintln!(
        "rampkit sim: seed {} (`--seed {}` repeats this run's faults)",
        sim.seed(),
        sim.seed()
    );
    eprintln!(
        "rampkit sim: the default test credentials are in the rampkit-sim README; \
         `rampkit onboard --sim-url {}` uses them. Ctrl-C (or SIGTERM) stops.",
        sim.url()
    );
    let stopped = stop_signal().await;
    sim.shutdown().await;
    match stopped {
        Ok(()) => Ok(Code::Ok),
        Err(e) => Err(Failure::internal(format!(
            "cannot wait for a stop signal: {}",
            e.kind()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> SimArgs {
        SimArgs {
            port: Some(0),
            fault_rate: Some(0.25),
            latency_ms: Some(7),
            seed: Some(42),
            state: Some("state.json".into()),
            config: None,
        }
    }

    #[test]
    fn flags_reach_every_vendor_section_and_the_run() {
        let sim = config(&args()).unwrap();
        assert_eq!((sim.seed, sim.addr.port()), (Some(42), 0));
        assert_eq!(
            sim.state_file.as_deref(),
            Some(std::path::Path::new("state.json"))
        );
        for vendor in Vendor::ALL {
            let faults = sim.vendors.section(vendor).faults();
            assert_eq!((faults.rate, faults.latency_ms), (0.25, 7), "{vendor}");
            assert!(!faults.include_logins, "{vendor}: logins are spared");
        }
        let bad = SimArgs {
            fault_rate: Some(1.5),
            ..args()
        };
        assert!(config(&bad).is_err());
    }
}
