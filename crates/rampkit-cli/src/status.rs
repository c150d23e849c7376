//! `rampkit status`: where one customer stands with one provider, read through the provider's
//! connector.

use rampkit::KycStatus;

use crate::cli::StatusArgs;
use crate::exit::{Code, Failure};
use crate::out::outln;
use crate::target;

pub async fn run(args: StatusArgs) -> Result<Code, Failure> {
    let provider = args.provider;
    if args.target.sim {
        return Err(Failure::usage(
            "a fresh embedded simulator knows no customer: use --sim-url with a running `rampkit sim`",
        ));
    }
    if args.target.sim_url.is_none()
        && args.target.env.is_none()
        && !target::any_credential_in_environment()
    {
        return Err(Failure::usage(
            "say where to ask: --sim-url URL, or --env sandbox|production with credentials",
        ));
    }
    let (destination, credentials) = target::destination(&args.target, &[provider]).await?;
    let setup = target::setup(&destination, credentials, &args.settings);
    let result = provider.connector().status_by_id(&setup, &args.id).await;
    destination.finish().await;
    let status = result.map_err(|error| match error {
        rampkit::OnboardingError::Setup(setup) => Failure::usage(setup.to_string()),
        other => Failure::internal(crate::causes::describe(&other)),
    })?;
    outln!("{provider}: {status}");
    Ok(if status.overall == KycStatus::Verified {
        Code::Ok
    } else {
        Code::No
    })
}
