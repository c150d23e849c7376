//! Crossmint: accept privacy policy → upsert user → upload documents → trigger verification → poll the
//! per-product eligibility ([C11], [C14]).
//!
//! [C11]: https://docs.crossmint.com/stablecoin-orchestration/users-compliance/quickstart
//! [C14]: https://docs.crossmint.com/offramp/guides/import-user-kyc-data

use std::sync::Arc;

use chrono::{DateTime, Utc};
use rampkit_crossmint::{Client, types};

use super::{UserLocator, document_category, document_uploads, products_status, timestamp};
use crate::batch::{BatchCustomer, FlowFactory, MissingReference};
use crate::customer::Customer;
use crate::onboarding::{BoxFuture, KycProvider, OnboardingError};
use crate::providers::{Provider, Registration};
use crate::status::ProviderStatus;

/// What the Crossmint flow needs besides the client, for one customer.
#[derive(Clone, Debug)]
pub struct CrossmintSettings {
    /// How Crossmint names the user; prefer [`UserLocator::user_id`] with the platform's own id (an
    /// `email:` locator puts the address in every URL).
    pub user_locator: UserLocator,
    /// When the user accepted Crossmint's privacy policy in the platform's UI. The partner must collect
    /// this consent before sharing KYC data ([C10]); rampkit records it, it does not invent it.
    ///
    /// [C10]: https://docs.crossmint.com/identity/quickstart
    pub privacy_policy_accepted_at: DateTime<Utc>,
    /// The products the customer needs (`offramp`, …): the flow's status is verified only when every one
    /// of them is ([`ProductStatuses::overall`](crate::ProductStatuses::overall)).
    pub products: Vec<types::ProductType>,
}

/// A Crossmint user, as the later steps name it.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct CrossmintRegistration {
    /// The locator every user-scoped call names the user by.
    pub user_locator: UserLocator,
}

impl CrossmintRegistration {
    /// The `userId:` locator (never an `email:` or `phoneNumber:` one, which are personal).
    pub fn reference(&self) -> Option<String> {
        match &self.user_locator {
            UserLocator::UserId(id) => Some(format!("userId:{id}")),
            _ => None,
        }
    }
}

/// The Crossmint flow, for one customer.
///
/// | step | calls |
/// |---|---|
/// | register | `accept_legal_document` (privacy policy), `upsert_user` (the whole record: upsert replaces) |
/// | upload documents | `upload_document` per image ([`document_uploads`]) |
/// | start verification | `trigger_identity_verification` |
/// | status | `get_identity_verification`: [`ProductStatuses`](crate::ProductStatuses), overall for the configured products |
///
/// A requires-data status that lists only what the flow sent (the `id` document category after an
/// ID-card upload, the privacy-policy consent) starts verification once more: Crossmint may not have
/// processed the uploads when it first checked, and says to trigger again after supplying data
/// ([C11]).
///
/// [C11]: https://docs.crossmint.com/stablecoin-orchestration/users-compliance/quickstart
#[derive(Clone, Debug)]
pub struct CrossmintOnboarding {
    client: Client,
    settings: CrossmintSettings,
}

impl CrossmintOnboarding {
    /// The flow over `client` with `settings`.
    pub fn new(client: Client, settings: CrossmintSettings) -> Self {
        Self { client, settings }
    }

    /// The settings.
    pub fn settings(&self) -> &CrossmintSettings {
        &self.settings
    }

    fn locator<'r>(
        &self,
        registration: &'r Registration,
    ) -> Result<&'r UserLocator, OnboardingError> {
        match registration {
            Registration::Crossmint(r) => Ok(&r.user_locator),
            other => Err(OnboardingError::foreign(Provider::Crossmint, other)),
        }
    }

    fn statuses(&self, response: &types::IdentityVerificationResponse) -> ProviderStatus {
        products_status(response, &self.settings.products)
    }
}

impl KycProvider for CrossmintOnboarding {
    fn provider(&self) -> Provider {
        Provider::Crossmint
    }

    fn register_validated<'a>(
        &'a self,
        customer: &'a Customer,
    ) -> BoxFuture<'a, Result<Registration, OnboardingError>> {
        Box::pin(async move {
            let user_locator = self.settings.user_locator.clone();
            // Every request is built before the first call, so that a customer Crossmint cannot take is
            // refused before anything is sent.
            let user = types::UpsertUserRequest::try_from(customer)?;
            document_uploads(customer, &user_locator)?;
            let consent = types::AcceptLegalDocumentRequest::new(
                timestamp(self.settings.privacy_policy_accepted_at),
                types::LegalDocumentType::CrossmintPrivacyPolicy,
            );
            self.client
                .accept_legal_document(&user_locator, &consent)
                .await?;
            self.client.upsert_user(&user_locator, &user).await?;
            Ok(Registration::Crossmint(CrossmintRegistration {
                user_locator,
            }))
        })
    }

    /// `get_user` by the settings' locator: HTTP 404 is "no such user". (The upsert is a PUT by
    /// locator, idempotent at Crossmint; looking first spares sending the whole record again.)
    fn find_registration<'a>(
        &'a self,
        _customer: &'a Customer,
    ) -> BoxFuture<'a, Result<Option<Registration>, OnboardingError>> {
        Box::pin(async move {
            let user_locator = self.settings.user_locator.clone();
            match self.client.get_user(&user_locator).await {
                Ok(_) => Ok(Some(Registration::Crossmint(CrossmintRegistration {
                    user_locator,
                }))),
                Err(error) if error.kind() == rampkit_runtime::ErrorKind::NotFound => Ok(None),
                Err(error) => Err(error.into()),
            }
        })
    }

    fn restore_registration(
        &self,
        _customer: &Customer,
        _reference: Option<&str>,
    ) -> Option<Registration> {
        Some(Registration::Crossmint(CrossmintRegistration {
            user_locator: self.settings.user_locator.clone(),
        }))
    }

    fn upload_documents<'a>(
        &'a self,
        customer: &'a Customer,
        registration: &'a Registration,
    ) -> BoxFuture<'a, Result<(), OnboardingError>> {
        Box::pin(async move {
            let locator = self.locator(registration)?;
            for upload in document_uploads(customer, locator)? {
                self.client.upload_document(&upload).await?;
            }
            Ok(())
        })
    }

    fn start_verification<'a>(
        &'a self,
        _customer: &'a Customer,
        registration: &'a Registration,
    ) -> BoxFuture<'a, Result<Option<ProviderStatus>, OnboardingError>> {
        Box::pin(async move {
            let locator = self.locator(registration)?;
            let response = self.client.trigger_identity_verification(locator).await?;
            Ok(Some(self.statuses(&response)))
        })
    }

    fn status<'a>(
        &'a self,
        _customer: &'a Customer,
        registration: &'a Registration,
    ) -> BoxFuture<'a, Result<ProviderStatus, OnboardingError>> {
        Box::pin(async move {
            let locator = self.locator(registration)?;
            let response = self.client.get_identity_verification(locator).await?;
            Ok(self.statuses(&response))
        })
    }

    /// Whether every missing item is a document category the flow uploaded (`missingDocuments`), or the
    /// privacy-policy consent it recorded (`pending-privacy-policy` maps to requires data
    /// `crossmint-privacy-policy`). Missing data sections (`due-diligence`, …) never are: the upsert
    /// sent all the customer has, so Crossmint asks for something the customer lacks.
    fn already_sent(&self, customer: &Customer, missing: &[String]) -> bool {
        let Ok(uploads) = document_uploads(customer, &self.settings.user_locator) else {
            return false;
        };
        let consent = types::LegalDocumentType::CrossmintPrivacyPolicy.to_string();
        let categories: Vec<types::MissingDocument> = uploads
            .iter()
            .filter_map(|upload| match upload {
                types::UploadDocumentRequest::Reference(u) => document_category(u.document_type),
                types::UploadDocumentRequest::UserLocator(u) => document_category(u.document_type),
            })
            .collect();
        let sent = |item: &String| {
            *item == consent || categories.iter().any(|category| category.as_str() == item)
        };
        !missing.is_empty() && missing.iter().all(sent)
    }
}

/// A customer's Crossmint consent (and, optionally, user id): the `providers.crossmint` object of a batch
/// line.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrossmintReference {
    /// When the customer accepted Crossmint's privacy policy in the platform's UI.
    pub privacy_policy_accepted_at: DateTime<Utc>,
}

/// Crossmint flows for each customer of a batch or a service: the user locator is `userId:<reference>`
/// (never an e-mail in a URL), the consent time comes from the customer's
/// [`CrossmintReference`] (or a default given here), never invented.
#[derive(Clone, Debug)]
pub struct CrossmintFlows {
    client: Client,
    products: Vec<types::ProductType>,
    privacy_policy_accepted_at: Option<DateTime<Utc>>,
}

impl CrossmintFlows {
    /// Flows over `client` for `products`. Build the client with `RetryPolicy::none()`: its upsert is a
    /// PUT, which the runtime would repeat after a timeout; the onboarding engine looks the user up
    /// first and only then sends it again.
    pub fn new(client: Client, products: Vec<types::ProductType>) -> Self {
        Self {
            client,
            products,
            privacy_policy_accepted_at: None,
        }
    }

    /// With the consent time of customers whose line has none (a consent recorded outside the line,
    /// for every customer of the run).
    pub fn with_privacy_policy_accepted_at(mut self, at: DateTime<Utc>) -> Self {
        self.privacy_policy_accepted_at = Some(at);
        self
    }
}

impl FlowFactory for CrossmintFlows {
    fn provider(&self) -> Provider {
        Provider::Crossmint
    }

    fn flow(&self, customer: &BatchCustomer) -> Result<Arc<dyn KycProvider>, MissingReference> {
        let consent = customer
            .providers
            .crossmint
            .as_ref()
            .map(|c| c.privacy_policy_accepted_at)
            .or(self.privacy_policy_accepted_at)
            .ok_or(MissingReference {
                provider: Provider::Crossmint,
                field: "providers.crossmint.privacy_policy_accepted_at",
            })?;
        Ok(Arc::new(CrossmintOnboarding::new(
            self.client.clone(),
            CrossmintSettings {
                user_locator: UserLocator::user_id(customer.reference.clone()),
                privacy_policy_accepted_at: consent,
                products: self.products.clone(),
            },
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rampkit_crossmint::CrossmintAuth;

    const SPANISH_PERSON: &str =
        include_str!("../../../../../tests/fixtures/customers/person_es_dni.json");

    fn flow() -> CrossmintOnboarding {
        CrossmintOnboarding::new(
            Client::new(
                "http://127.0.0.1:9",
                CrossmintAuth::new("unused".to_owned()),
            ),
            CrossmintSettings {
                user_locator: UserLocator::user_id("lucia-0001"),
                privacy_policy_accepted_at: "2026-01-01T00:00:00Z".parse().unwrap(),
                products: vec![types::ProductType::Offramp],
            },
        )
    }

    fn missing(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn only_uploaded_document_categories_count_as_already_sent() {
        let customer = Customer::from_json(SPANISH_PERSON).unwrap();
        let flow = flow();
        // The ID card's two sides were uploaded: `id` is already sent.
        assert!(flow.already_sent(&customer, &missing(&["id"])));
        // So was the privacy-policy consent (an older doc build's `pending-privacy-policy`).
        assert!(flow.already_sent(&customer, &missing(&["crossmint-privacy-policy", "id"])));
        // Data sections and documents the customer never had are not.
        assert!(!flow.already_sent(&customer, &missing(&["id", "due-diligence"])));
        assert!(!flow.already_sent(&customer, &missing(&["proof-of-address"])));
        // A category added later, or a requires-data status naming nothing, is the caller's to handle.
        assert!(!flow.already_sent(&customer, &missing(&["selfie"])));
        assert!(!flow.already_sent(&customer, &[]));

        // Without document scans nothing was uploaded, so `id` was not sent.
        let mut without_scans = customer.clone();
        let person = without_scans.as_person_mut().unwrap();
        person.identity_document = None;
        person.biometrics = None;
        assert!(!flow.already_sent(&without_scans, &missing(&["id"])));
    }

    #[test]
    fn selfies_supply_no_document_category() {
        use types::DocumentType as T;
        assert_eq!(document_category(T::SelfieFront), None);
        assert_eq!(
            document_category(T::IdIdcardBack),
            Some(types::MissingDocument::Id)
        );
        assert_eq!(
            document_category(T::ProofOfIncome),
            Some(types::MissingDocument::ProofOfIncome)
        );
    }
}
