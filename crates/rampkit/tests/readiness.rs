//! Readiness: what each provider's flow would refuse before sending, for every fixture, decided
//! without sending anything — and the flows agree with it.

use rampkit::{
    CrossmintReference, Customer, KriptomatReference, Provider, ProviderReferences, readiness,
};

fn fixture(name: &str) -> Customer {
    let root = std::env::current_dir()
        .unwrap()
        .ancestors()
        .find(|d| d.join("tests/fixtures/customers").is_dir())
        .unwrap()
        .to_owned();
    let text = std::fs::read_to_string(root.join(format!("tests/fixtures/customers/{name}.json")))
        .unwrap();
    Customer::from_json(text).unwrap()
}

fn with_references() -> ProviderReferences {
    ProviderReferences {
        kriptomat: Some(KriptomatReference { user_id: 4242 }),
        crossmint: Some(CrossmintReference {
            privacy_policy_accepted_at: "2026-01-01T00:00:00Z".parse().unwrap(),
        }),
    }
}

fn table(customer: &Customer, references: &ProviderReferences) -> Vec<(Provider, String)> {
    readiness(customer, references, &Provider::ALL)
        .into_iter()
        .map(|(p, r)| (p, r.to_string()))
        .collect()
}

#[test]
fn a_person_with_a_document_is_ready_once_the_references_are_there() {
    for name in ["person_es_dni", "person_mx_two_surnames"] {
        let customer = fixture(name);
        assert_eq!(
            table(&customer, &ProviderReferences::default()),
            [
                (Provider::CryptoPocket, "ready".to_owned()),
                (
                    Provider::Crossmint,
                    "missing providers.crossmint.privacy_policy_accepted_at".to_owned()
                ),
                (
                    Provider::Kriptomat,
                    "missing providers.kriptomat.user_id".to_owned()
                ),
                (Provider::Leap, "ready".to_owned()),
            ]
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>()
            .into_iter()
            .collect::<Vec<_>>(),
            "{name}"
        );
        assert!(
            readiness(&customer, &with_references(), &Provider::ALL)
                .values()
                .all(|r| r.ready),
            "{name}"
        );
    }
}

#[test]
fn a_person_without_a_document_is_not_ready_for_delegated_kyc() {
    let mut value: serde_json::Value =
        serde_json::from_str(&serde_json::to_string(&fixture("person_es_dni")).unwrap()).unwrap();
    value["person"]
        .as_object_mut()
        .unwrap()
        .remove("identity_document");
    let customer = Customer::from_json(value.to_string()).unwrap();
    let ready = readiness(&customer, &with_references(), &[Provider::CryptoPocket]);
    let cryptopocket = &ready[&Provider::CryptoPocket];
    assert!(!cryptopocket.ready);
    assert_eq!(cryptopocket.missing, ["person.identity_document"]);
    assert_eq!(cryptopocket.unsupported, None);
    assert_eq!(
        serde_json::to_value(cryptopocket).unwrap(),
        serde_json::json!({"ready": false, "missing": ["person.identity_document"], "unsupported": null})
    );
}

#[test]
fn a_us_person_with_an_ssn_and_a_company_are_not_supported_where_flows_refuse_them() {
    let ssn = readiness(
        &fixture("person_us_ssn"),
        &with_references(),
        &Provider::ALL,
    );
    for provider in [Provider::CryptoPocket, Provider::Kriptomat] {
        let r = &ssn[&provider];
        assert!(!r.ready && r.unsupported.is_some(), "{provider}: {r}");
    }
    assert!(ssn[&Provider::Leap].ready && ssn[&Provider::Crossmint].ready);

    // A company: CryptoPocket registers it for its hosted KYB form; the other flows take people.
    let company = readiness(&fixture("company_es"), &with_references(), &Provider::ALL);
    for (provider, r) in &company {
        if *provider == Provider::CryptoPocket {
            assert!(r.ready, "{provider}: {r}");
            continue;
        }
        let reason = r.unsupported.as_deref().unwrap_or_default();
        assert!(
            reason.contains("takes a person, not a company"),
            "{provider}: {r}"
        );
    }
}

#[test]
fn only_a_company_with_cryptopocket_needs_somewhere_for_its_hosted_form() {
    let company = fixture("company_es");
    let person = fixture("person_es_dni");
    let needing: Vec<Provider> = Provider::ALL
        .into_iter()
        .filter(|p| p.connector().needs_hosted_form(&company))
        .collect();
    assert_eq!(needing, [Provider::CryptoPocket]);
    assert!(
        Provider::ALL
            .into_iter()
            .all(|p| !p.connector().needs_hosted_form(&person))
    );
}
