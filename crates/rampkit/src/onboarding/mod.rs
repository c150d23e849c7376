//! Onboarding flows: one verified customer, registered with several providers at once, one outcome per
//! provider.
//!
//! [`KycProvider`] is one provider's flow in four steps — [register](KycProvider::register),
//! [upload documents](KycProvider::upload_documents), [start verification](KycProvider::start_verification)
//! and [status](KycProvider::status) — implemented for the four providers, each holding its generated
//! client(s) and the settings its flow needs:
//!
//! | provider | register | upload documents | start verification | status (polled) |
//! |---|---|---|---|---|
//! | [`CrossmintOnboarding`](crate::CrossmintOnboarding) | accept privacy policy, upsert user | one upload per image | trigger identity verification | get identity verification, per product |
//! | [`CryptoPocketOnboarding`](crate::CryptoPocketOnboarding) | delegated KYC (the client logs in first) | — (sent inline) | — (delegated KYC is the verification) | KYC check of the returned customer id |
//! | [`KriptomatOnboarding`](crate::KriptomatOnboarding) | — (the Kriptomat user exists; its id is a setting) | — (documents stay in SumSub) | SumSub share token, KYC import | show user |
//! | [`LeapOnboarding`](crate::LeapOnboarding) | register user v2 | — (Leap takes no documents) | — (registration starts CIP) | get user token v2 |
//!
//! Requests come from the conversions in [`crate::providers`], statuses from their mappings; nothing is
//! converted or mapped twice.
//!
//! [`onboard`] runs a customer through several providers concurrently:
//!
//! 1. [`Customer::validate_with`] runs once, for the providers given. When it fails nothing is sent to
//!    anyone: the report holds every problem ([`OnboardingReport::validation_errors`]) and each provider's
//!    outcome is [`OnboardingError::NotSent`].
//! 2. Each provider's flow runs on its own: register, upload documents, start verification, then poll
//!    [`KycProvider::status`] with backoff ([`PollPolicy`]) until the status is final (verified or
//!    rejected), asks for data, or the deadline passes ([`OnboardingError::Timeout`]). Not started,
//!    pending and unknown statuses keep the poll going: a value a vendor adds later is never taken as
//!    an answer.
//! 3. A status that needs data ([`KycStatus::RequiresData`]) ends that provider's flow with that status —
//!    the caller decides what to collect — unless everything it lists is something the flow already sent
//!    ([`KycProvider::already_sent`]: Crossmint asking for the identity document that was uploaded); then
//!    verification is started once more and polling goes on.
//! 4. The report has one [`ProviderOutcome`] per provider, in the order given: the final
//!    [`ProviderStatus`] (per product for Crossmint) or the [`OnboardingError`] that ended the flow. One
//!    provider's failure never hides another's result.
//!
//! The flows never retry a registration themselves: the clients' runtime retries only operations that
//! are safe to repeat ([`RetryPolicy`](rampkit_runtime::RetryPolicy)).

mod error;
mod flow;
mod report;

use tokio::time::Instant;

pub use error::OnboardingError;
pub use flow::{BoxFuture, FlowSteps, KycProvider};
pub use report::{OnboardingOptions, OnboardingReport, PollPolicy, ProviderOutcome};

use crate::customer::Customer;
use crate::status::{KycStatus, ProviderStatus};
use crate::validation::ValidationContext;

/// Runs `customer` through every provider's flow concurrently and reports one outcome per provider.
///
/// This is the flow run once, remembering nothing, with each step's typed [`OnboardingError`]: for a
/// script or a test that looks at one flow. It is not idempotent: called again for a customer a vendor
/// already holds, the registration meets the vendor's "already exists"
/// ([`ErrorKind::Conflict`](rampkit_runtime::ErrorKind::Conflict)). A service onboards with the engine,
/// [`Onboarder`](crate::batch::Onboarder), which runs the same [`KycProvider`] steps with a
/// [`Journal`](crate::Journal) — claims, an intent before each registration, lookups instead of a second
/// registration, retries within a deadline — the same one the batch runner and the `rampkit` CLI use
/// (over a [`MemoryJournal`](crate::MemoryJournal) when nothing must outlive the process).
///
/// The customer is validated once, against the limits of the providers given; when that fails nothing
/// is sent (see [`OnboardingReport::validation_errors`]). See the [module docs](self) for the flow.
///
/// ```no_run
/// use rampkit::onboarding::{OnboardingOptions, onboard};
/// use rampkit::{Customer, LeapOnboarding, leap};
///
/// # async fn run(customer: Customer, api_key: String) {
/// let leap = LeapOnboarding::new(leap::Client::new(leap::SANDBOX_URL, leap::LeapAuth::new(api_key)));
/// let report = onboard(&customer, &[&leap], &OnboardingOptions::default()).await;
/// print!("{report}");
/// # }
/// ```
pub async fn onboard(
    customer: &Customer,
    providers: &[&dyn KycProvider],
    options: &OnboardingOptions,
) -> OnboardingReport {
    let today = options
        .validation_date
        .unwrap_or_else(|| ValidationContext::current().today());
    let context =
        ValidationContext::new(today).for_providers(providers.iter().map(|p| p.provider()));
    if let Err(errors) = customer.validate_with(&context) {
        return OnboardingReport {
            validation: Some(errors),
            outcomes: providers
                .iter()
                .map(|p| ProviderOutcome {
                    provider: p.provider(),
                    result: Err(OnboardingError::NotSent {
                        provider: p.provider(),
                    }),
                })
                .collect(),
        };
    }
    let flows = providers
        .iter()
        .map(|&provider| -> BoxFuture<'_, ProviderOutcome> {
            Box::pin(async move {
                ProviderOutcome {
                    provider: provider.provider(),
                    result: run_flow(provider, customer, &options.poll).await,
                }
            })
        })
        .collect();
    OnboardingReport {
        validation: None,
        outcomes: join_all(flows).await,
    }
}

/// One provider's flow: register, upload, start, then poll until a final status, a status that needs
/// data, or the deadline.
async fn run_flow(
    provider: &dyn KycProvider,
    customer: &Customer,
    poll: &PollPolicy,
) -> Result<ProviderStatus, OnboardingError> {
    // `onboard` validated the customer for every provider before any flow started.
    let registration = provider.register_validated(customer).await?;
    provider.upload_documents(customer, &registration).await?;
    provider.start_verification(customer, &registration).await?;

    let started = Instant::now();
    let deadline = started + poll.deadline;
    let mut intervals = poll.intervals();
    let mut started_again = false;
    loop {
        let status = provider.status(customer, &registration).await?;
        match &status.overall {
            KycStatus::Verified | KycStatus::Rejected { .. } => return Ok(status),
            KycStatus::RequiresData { missing } => {
                if started_again || !provider.already_sent(customer, missing) {
                    return Ok(status);
                }
                // The provider asks for what it was already sent (it may not have processed it yet):
                // start verification once more and keep polling.
                started_again = true;
                provider.start_verification(customer, &registration).await?;
            }
            KycStatus::NotStarted | KycStatus::Pending | KycStatus::Unknown { .. } => {}
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(OnboardingError::Timeout {
                provider: provider.provider(),
                waited: now - started,
                last: Box::new(status),
            });
        }
        let wait = intervals.next().unwrap_or(poll.max_interval);
        tokio::time::sleep(wait.min(deadline - now)).await;
    }
}

/// Runs every future to completion concurrently and returns their outputs in order.
async fn join_all<'a, T>(mut futures: Vec<BoxFuture<'a, T>>) -> Vec<T> {
    use std::task::Poll;
    let mut outputs: Vec<Option<T>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (future, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if output.is_none() {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => *output = Some(value),
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await;
    outputs
        .into_iter()
        .map(|output| output.expect("every future completed"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// Compile-time check: `onboard`'s future is `Send`, so it runs on a multi-threaded runtime.
    #[test]
    fn the_onboard_future_is_send() {
        fn is_send<T: Send>(_: &T) {}
        fn check(customer: &Customer, providers: &[&dyn KycProvider], options: &OnboardingOptions) {
            is_send(&onboard(customer, providers, options));
        }
        let _ = check;
    }

    #[test]
    fn intervals_double_up_to_the_maximum() {
        let policy = PollPolicy {
            initial_interval: Duration::from_millis(10),
            max_interval: Duration::from_millis(50),
            deadline: Duration::from_secs(1),
        };
        let waits: Vec<u128> = policy.intervals().take(5).map(|d| d.as_millis()).collect();
        assert_eq!(waits, [10, 20, 40, 50, 50]);
    }
}
