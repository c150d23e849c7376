//! rampkit: typed clients for crypto on-ramp, off-ramp and KYC-sharing providers.
//!
//! This facade re-exports the generated provider clients and holds what they share:
//!
//! - [`customer`] — the canonical customer ([`Customer`]: a [`Person`] or a [`Company`]), with personal
//!   data in redacting [`Pii`](rampkit_runtime::Pii) wrappers and images as bytes with a detected media
//!   type; its JSON Schema is committed as `docs/customer.schema.json`.
//! - [`validation`] — [`Customer::validate`] reports every problem at once, each naming its field.
//! - [`limits`] — what each [`Provider`] accepts (image sizes, name lengths), as data.
//! - [`providers`] — one module per provider: `TryFrom<&Customer>` (or a function per operation) for each
//!   registration request, failing with a [`ConversionError`] that names the canonical field, the
//!   provider and the operation; and one total mapping of the provider's answers onto [`KycStatus`].
//! - [`status`] — [`KycStatus`], the one status every provider's answer maps to.
//! - [`onboarding`] — the flows: [`KycProvider`] (register, upload documents, start verification,
//!   status) for each provider, and [`onboard`], which validates a customer once and runs it through
//!   several providers concurrently, polling with a [`PollPolicy`], into one [`ProviderOutcome`] per
//!   provider.
//!
//! ```
//! use rampkit::{Customer, Provider, ValidationContext};
//!
//! let json = r#"{"company": {
//!     "legal_name": "Rampa Digital S.L.",
//!     "registration_number": "B12345678",
//!     "country": "ES",
//!     "contact_email": "compliance at rampadigital.example.com"
//! }}"#;
//! let customer = Customer::from_json(json)?;
//! let context = ValidationContext::current().for_providers([Provider::CryptoPocket]);
//! let errors = customer.validate_with(&context).unwrap_err();
//! assert_eq!(
//!     errors.to_string(),
//!     "invalid customer: company.contact_email is not a valid email address"
//! );
//! # Ok::<(), rampkit::ValidationErrors>(())
//! ```
//!
//! ```
//! use rampkit::{ConversionError, Customer};
//! use rampkit::cryptopocket::types::RegisterUserKycDelegatedRequest;
//!
//! let json = r#"{"person": {
//!     "legal_name": {"first_name": "Juan", "last_name": "Pérez"},
//!     "date_of_birth": "1990-05-15",
//!     "nationality": "ES",
//!     "country_of_residence": "ES",
//!     "email": "juan@example.com"
//! }}"#;
//! let customer = Customer::from_json(json).unwrap();
//! let error = RegisterUserKycDelegatedRequest::try_from(&customer).unwrap_err();
//! assert_eq!(error.to_string(), "cryptopocket delegated KYC needs identity_document");
//! ```
//!
//! ## Onboarding
//!
//! [`onboard`] takes the customer, the providers' flows and [`OnboardingOptions`]; it sends nothing when
//! validation fails, and otherwise reports, per provider, the final [`KycStatus`] (per product for
//! Crossmint), a status that needs data from the caller, or a typed [`OnboardingError`] (conversion,
//! call with provider/operation/kind, timeout):
//!
//! ```no_run
//! use rampkit::{
//!     CryptoPocketOnboarding, Customer, LeapOnboarding, OnboardingOptions, cryptopocket, leap, onboard,
//! };
//!
//! # async fn run(customer: Customer) {
//! let cryptopocket = CryptoPocketOnboarding::new(cryptopocket::Client::new(
//!     cryptopocket::SANDBOX_URL,
//!     cryptopocket::CryptoPocketAuth::with_credentials("api key".to_owned(), "api secret".to_owned()),
//! ));
//! let leap = LeapOnboarding::new(leap::Client::new(
//!     leap::SANDBOX_URL,
//!     leap::LeapAuth::new("partner key".to_owned()),
//! ));
//! let report = onboard(&customer, &[&cryptopocket, &leap], &OnboardingOptions::default()).await;
//! for outcome in report.outcomes() {
//!     match &outcome.result {
//!         Ok(status) => println!("{}: {status}", outcome.provider),
//!         Err(error) => println!("{}: {error}", outcome.provider),
//!     }
//! }
//! # }
//! ```
//!
//! To see all four flows run for the Spanish fixture customer against the simulator (`rampkit-sim`,
//! started in-process: no keys, no network beyond loopback, a second or so) and print a status per
//! provider and the simulator's counters:
//!
//! ```text
//! cargo run -p rampkit-sim --example onboard
//! ```

pub mod batch;
pub mod customer;
pub mod journal;
pub mod onboarding;
pub mod providers;
#[cfg(feature = "postgres")]
pub mod rate_budget;
pub mod status;
pub mod validation;

pub use providers::limits;

pub use batch::{
    BatchCustomer, BatchEvent, BatchOptions, BatchReport, CustomerReport, FlowFactory, FlowOutcome,
    Onboarder, onboard_batch,
};
pub use customer::{
    Address, BiometricCaptures, Company, Coordinates, CountryCode, CurrencyCode, Customer,
    DueDiligence, EmploymentStatus, Gender, IdentityDocument, IdentityDocumentType, Image,
    IncomeRange, Industry, KycVerifier, LanguageCode, LegalName, MediaType, Person, SourceOfFunds,
    SubdivisionCode, VerificationHistory, customer_json_schema,
};
#[cfg(feature = "postgres")]
pub use journal::PostgresJournal;
#[cfg(feature = "sqlite")]
pub use journal::SqliteJournal;
pub use journal::{Claim, Journal, JournalEntry, JournalError, MemoryJournal};
pub use onboarding::{
    FlowSteps, KycProvider, OnboardingError, OnboardingOptions, OnboardingReport, PollPolicy,
    ProviderOutcome, onboard,
};
pub use providers::clients::*;
pub use providers::flows::*;
pub use providers::{
    Connector, ConversionError, ConversionErrorKind, CredentialSpec, Credentials, HostedForm,
    HostedForms, Operation, PROVIDER_LIMITS, Provider, ProviderLimits, ProviderReferences,
    Readiness, Registration, Setup, SetupError, Target, readiness,
};
pub use rampkit_runtime as runtime;
#[cfg(feature = "postgres")]
pub use rate_budget::PostgresRateBudget;
pub use status::{KycStatus, ProductStatus, ProductStatuses, ProviderStatus};
pub use validation::{ValidationContext, ValidationError, ValidationErrorKind, ValidationErrors};

/// The README's examples, compiled and run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
