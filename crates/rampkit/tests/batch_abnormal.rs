//! A flow that ends abnormally (a panic in a provider's step) is reported as a failed flow, never lost
//! from the report (issue: a panicked pair vanished and `all_completed()` stayed true).

mod common;

use std::sync::Arc;

use rampkit::batch::{BatchCustomer, BatchOptions, FlowFactory, MissingReference, onboard_batch};
use rampkit::journal::SqliteJournal;
use rampkit::onboarding::BoxFuture;
use rampkit::{
    Customer, FlowOutcome, KycProvider, OnboardingError, Provider, ProviderReferences,
    ProviderStatus, Registration,
};

/// A flow whose registration panics.
#[derive(Clone)]
struct Panics;

impl KycProvider for Panics {
    fn provider(&self) -> Provider {
        Provider::Leap
    }

    fn register_validated<'a>(
        &'a self,
        _customer: &'a Customer,
    ) -> BoxFuture<'a, Result<Registration, OnboardingError>> {
        Box::pin(async { panic!("a bug in a flow") })
    }

    fn status<'a>(
        &'a self,
        _customer: &'a Customer,
        _registration: &'a Registration,
    ) -> BoxFuture<'a, Result<ProviderStatus, OnboardingError>> {
        Box::pin(async { unreachable!() })
    }
}

impl FlowFactory for Panics {
    fn provider(&self) -> Provider {
        Provider::Leap
    }

    fn flow(&self, _customer: &BatchCustomer) -> Result<Arc<dyn KycProvider>, MissingReference> {
        Ok(Arc::new(self.clone()))
    }
}

#[tokio::test]
async fn a_panicking_flow_is_a_failed_flow_in_the_report() {
    let line = BatchCustomer {
        reference: "cust-1".to_owned(),
        customer: common::spanish_person(),
        providers: ProviderReferences::default(),
        line: 1,
    };
    let factories: Vec<Arc<dyn FlowFactory>> = vec![Arc::new(Panics)];
    let mut options = BatchOptions::new("abnormal");
    options.keep_outcomes = true;
    options.validation_date = Some(common::today());
    let report = onboard_batch(
        [Ok(line)],
        &factories,
        Arc::new(SqliteJournal::in_memory().unwrap()),
        options,
    )
    .await
    .unwrap();
    assert!(!report.all_completed());
    let summary = report.summary(Provider::Leap).unwrap();
    assert_eq!(summary.failed.get("internal"), Some(&1), "{summary:?}");
    assert_eq!(report.outcomes.len(), 1);
    let (reference, provider, outcome) = &report.outcomes[0];
    assert_eq!((reference.as_str(), *provider), ("cust-1", Provider::Leap));
    assert!(matches!(
        outcome,
        FlowOutcome::Failed {
            retry_on_resume: true,
            ..
        }
    ));
}
