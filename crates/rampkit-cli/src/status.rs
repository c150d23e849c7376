//! `rampkit status`: where one customer stands with one provider.

use rampkit::providers::crossmint::{ProductStatuses, UserLocator};
use rampkit::runtime::Pii;
use rampkit::runtime::auth::{
    CrossmintAuth, CryptoPocketAuth, KriptomatAuth, KriptomatCredentials, LeapAuth,
};
use rampkit::{KycStatus, Provider, ProviderStatus, crossmint, cryptopocket, kriptomat, leap};

use crate::cli::{ProviderArg, StatusArgs};
use crate::exit::{Code, Failure};
use crate::flows;
use crate::onboard::destination;

fn call_failed(error: rampkit::runtime::Error) -> Failure {
    Failure::internal(error.to_string())
}

fn number(id: &str, provider: Provider) -> Result<i64, Failure> {
    id.trim()
        .parse()
        .map_err(|_| Failure::usage(format!("a {provider} id is a number")))
}

pub async fn run(args: StatusArgs) -> Result<Code, Failure> {
    let provider = Provider::from(args.provider);
    if args.target.sim {
        return Err(Failure::usage(
            "a fresh embedded simulator knows no customer: use --sim-url with a running `rampkit sim`",
        ));
    }
    if args.target.sim_url.is_none()
        && args.target.env.is_none()
        && !crate::credentials::any_in_environment()
    {
        return Err(Failure::usage(
            "say where to ask: --sim-url URL, or --env sandbox|production with credentials",
        ));
    }
    let products = flows::products(&args.crossmint_products)?;
    let (destination, credentials) = destination(&args.target, &[provider]).await?;
    let target = destination.target();
    let client_error = |e: rampkit::runtime::Error| Failure::usage(format!("{provider}: {e}"));
    let status: ProviderStatus = match args.provider {
        ProviderArg::Crossmint => {
            let locator: UserLocator = args
                .id
                .parse()
                .map_err(|e| Failure::usage(format!("{e}")))?;
            let client = crossmint::Client::for_environment(
                target.crossmint,
                CrossmintAuth::new(credentials.crossmint_api_key.clone()),
            )
            .map_err(client_error)?;
            let wire = locator.to_wire();
            let answer = client
                .get_identity_verification(wire.expose_str())
                .await
                .map_err(call_failed)?
                .into_inner();
            ProviderStatus::per_product(ProductStatuses::from(&answer), products)
        }
        ProviderArg::Cryptopocket => {
            let id = number(&args.id, provider)?;
            let client = cryptopocket::Client::for_environment(
                target.cryptopocket,
                CryptoPocketAuth::with_credentials(
                    credentials.cryptopocket_api_key.clone(),
                    credentials.cryptopocket_api_secret.clone(),
                ),
            )
            .map_err(client_error)?;
            let answer = client
                .check_kyc(id)
                .await
                .map_err(call_failed)?
                .into_inner();
            ProviderStatus::single(KycStatus::from(&answer))
        }
        ProviderArg::Kriptomat => {
            let id = number(&args.id, provider)?;
            let client = kriptomat::Client::for_environment(
                target.kriptomat,
                KriptomatAuth::with_credentials(KriptomatCredentials {
                    email: credentials.kriptomat_email.clone().into(),
                    password: credentials.kriptomat_password.clone().into(),
                    client_id: credentials.kriptomat_client_id,
                    client_secret: credentials.kriptomat_client_secret.clone().into(),
                    totp_secret_base32: credentials.kriptomat_totp_secret_base32.clone().into(),
                }),
            )
            .map_err(client_error)?;
            let answer = client
                .show_user(id)
                .await
                .map_err(call_failed)?
                .into_inner();
            ProviderStatus::single(KycStatus::from(&answer))
        }
        ProviderArg::Leap => {
            let id = args.id.trim();
            let params = if id.contains('@') {
                leap::types::GetUserTokenParams {
                    phone_number: None,
                    country_code: args.country.clone(),
                    email: Some(Pii::from(id)),
                }
            } else {
                let country = args.country.clone().ok_or_else(|| {
                    Failure::usage("leap: a phone number needs --country (ISO 3166-1, e.g. ES)")
                })?;
                leap::types::GetUserTokenParams {
                    phone_number: Some(Pii::from(id)),
                    country_code: Some(country),
                    email: None,
                }
            };
            let client = leap::Client::for_environment(
                target.leap,
                LeapAuth::new(credentials.leap_api_key.clone()),
            )
            .map_err(client_error)?;
            let answer = client
                .get_user_token_v2(&params)
                .await
                .map_err(call_failed)?
                .into_inner();
            ProviderStatus::single(KycStatus::from(&answer))
        }
    };
    destination.finish().await;
    println!("{provider}: {status}");
    Ok(if status.overall == KycStatus::Verified {
        Code::Ok
    } else {
        Code::No
    })
}
