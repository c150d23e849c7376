//! Kriptomat: a SumSub share token in, `kyc_status` + `edd_status` out.
//!
//! Kriptomat takes no personal data from rampkit: the platform's SumSub applicant is shared with
//! Kriptomat's SumSub client ([K2], [K3]). Requests built here:
//!
//! - [`GenerateShareTokenRequest`](rampkit_sumsub::types::GenerateShareTokenRequest) (SumSub) for the
//!   person's SumSub applicant, addressed to Kriptomat's SumSub client id: [`share_token_request`].
//! - [`ImportKycRequest`](types::ImportKycRequest) (`POST /v1/users/{user_id}/kyc-import`) from the
//!   share token SumSub answered: [`import_kyc_request`].
//!
//! Kriptomat's conventions, handled here and nowhere else: it answers countries in ISO alpha-3 (`DEU`,
//! [`country`], [`alpha3`]) and dates as `YYYY-MM-DD` ([`show_user_mismatches`]).
//!
//! Statuses: [`KycStatus`] from [`ShowUserData`](types::ShowUserData) (`kyc_status` and `edd_status`,
//! [`status`]).
//!
//! [K2]: https://developer.kriptomat.io/docs/whitelabel-api-fiat-onramp-offramp-via-bank-wire/api-reference/endpoints/users/show-user
//! [K3]: https://developer.kriptomat.io/docs/whitelabel-api-fiat-onramp-offramp-via-bank-wire/api-reference/endpoints/compliance

mod connector;
mod onboarding;

pub use connector::{CONNECTOR, LIMITS};
pub use onboarding::*;

use chrono::NaiveDate;
use rampkit_kriptomat::types;
use rampkit_runtime::Pii;

use super::{Conversion, ConversionError, ConversionErrorKind, Operation, Provider};
use crate::customer::{CountryCode, Customer, KycVerifier, Person};
use crate::status::KycStatus;

/// The operations whose requests this module builds, as conversion errors name them.
impl Operation {
    /// SumSub share token.
    pub const SHARE_TOKEN: Operation = Operation::new("SumSub share token");
    /// KYC import.
    pub const KYC_IMPORT: Operation = Operation::new("KYC import");
}

/// SumSub share token for Kriptomat: <https://docs.sumsub.com/reference/generate-share-token-query>.
const SHARE_TOKEN: Conversion = Conversion::new(Provider::Kriptomat, Operation::SHARE_TOKEN);
/// KYC import: <https://developer.kriptomat.io/docs/whitelabel-api-fiat-onramp-offramp-via-bank-wire/api-reference/endpoints/users/show-user>.
const KYC_IMPORT: Conversion = Conversion::new(Provider::Kriptomat, Operation::KYC_IMPORT);

/// The person's SumSub applicant id: the person must have been verified by SumSub, since the share
/// token shares that applicant.
fn sumsub_applicant_id(c: Conversion, customer: &Customer) -> Result<&Pii, ConversionError> {
    let person = c.person(customer)?;
    let verification = c.require(person.verification.as_ref(), "verification")?;
    match c.require(
        verification.verified_by.as_ref(),
        "verification.verified_by",
    )? {
        KycVerifier::Sumsub { applicant_id } => Ok(applicant_id),
        KycVerifier::Other { .. } => Err(c.error(
            "verification.verified_by",
            ConversionErrorKind::WrongForm {
                expected: "to be SumSub",
            },
        )),
    }
}

/// The SumSub share-token request for the person's SumSub applicant, addressed to Kriptomat's SumSub
/// client id (`for_client_id`, which Kriptomat supplies, [K2]). Generate it right before the import: the
/// token is single-use and lives `ttl_secs` (SumSub's default, 1200 s, when `None`, [U1]).
///
/// [K2]: https://developer.kriptomat.io/docs/whitelabel-api-fiat-onramp-offramp-via-bank-wire/api-reference/endpoints/users/show-user
/// [U1]: https://docs.sumsub.com/reference/generate-share-token
pub fn share_token_request(
    customer: &Customer,
    for_client_id: &str,
    ttl_secs: Option<i32>,
) -> Result<rampkit_sumsub::types::GenerateShareTokenRequest, ConversionError> {
    let applicant_id = sumsub_applicant_id(SHARE_TOKEN, customer)?;
    let mut request = rampkit_sumsub::types::GenerateShareTokenRequest::new(
        applicant_id.expose_str(),
        for_client_id,
    );
    request.ttl_in_secs = ttl_secs;
    Ok(request)
}

/// The KYC import of the person's SumSub applicant, from the share token SumSub issued for Kriptomat
/// ([K2]). The token is opaque (its format is not fixed, [U1]) and is checked only for being non-empty;
/// the person must have been verified by SumSub.
///
/// [K2]: https://developer.kriptomat.io/docs/whitelabel-api-fiat-onramp-offramp-via-bank-wire/api-reference/endpoints/users/show-user
/// [U1]: https://docs.sumsub.com/reference/generate-share-token
pub fn import_kyc_request(
    customer: &Customer,
    share_token: Pii,
) -> Result<types::ImportKycRequest, ConversionError> {
    let c = KYC_IMPORT;
    sumsub_applicant_id(c, customer)?;
    if share_token.expose_str().trim().is_empty() {
        return Err(c.missing("share_token"));
    }
    Ok(types::ImportKycRequest::new(share_token))
}

/// Kriptomat's alpha-3 form of a country (`DEU` for `DE`), as Show user answers it ([K2]); `None` for a
/// code that is not assigned.
///
/// [K2]: https://developer.kriptomat.io/docs/whitelabel-api-fiat-onramp-offramp-via-bank-wire/api-reference/endpoints/users/show-user
pub fn alpha3(country: &CountryCode) -> Option<&'static str> {
    country.alpha3()
}

/// The country of a Show user answer as a canonical alpha-2 code: Kriptomat answers alpha-3 (`DEU`,
/// [K2]). `None` when absent or not an ISO alpha-3 code.
///
/// [K2]: https://developer.kriptomat.io/docs/whitelabel-api-fiat-onramp-offramp-via-bank-wire/api-reference/endpoints/users/show-user
pub fn country(data: &types::ShowUserData) -> Option<CountryCode> {
    CountryCode::from_alpha3(data.country.as_ref()?.expose_str().trim())
}

/// The canonical fields whose value Kriptomat's Show user answer holds differently from the person (after
/// the import, Kriptomat's profile comes from SumSub, not from rampkit). Fields the answer leaves out do
/// not count. Names only, never values.
pub fn show_user_mismatches(person: &Person, data: &types::ShowUserData) -> Vec<&'static str> {
    fn same(a: &str, b: &str) -> bool {
        a.trim().to_lowercase() == b.trim().to_lowercase()
    }
    let mut fields = Vec::new();
    let name = &person.legal_name;
    if let Some(first) = &data.name
        && !same(first.expose_str(), name.first_name.expose_str())
        && !same(first.expose_str(), name.given_names().expose_str())
    {
        fields.push("legal_name.first_name");
    }
    if let Some(surname) = &data.surname
        && !same(surname.expose_str(), name.last_name.expose_str())
        && !same(surname.expose_str(), name.full_last_name().expose_str())
    {
        fields.push("legal_name.last_name");
    }
    if let Some(dob) = &data.date_of_birth
        && NaiveDate::parse_from_str(dob.expose_str().trim(), "%Y-%m-%d").ok()
            != Some(*person.date_of_birth.expose())
    {
        fields.push("date_of_birth");
    }
    if data.country.is_some()
        && country(data).as_ref() != Some(person.country_of_residence.expose())
    {
        fields.push("country_of_residence");
    }
    if let Some(email) = &data.email
        && !same(email.expose_str(), person.email.expose_str())
    {
        fields.push("email");
    }
    if let (Some(answered), Some(phone)) = (&data.phone, &person.mobile_phone)
        && answered.expose_str().trim() != phone.expose_str()
    {
        fields.push("mobile_phone");
    }
    fields
}

/// Kriptomat's `kyc_status` and `edd_status` (enhanced due diligence) as one status ([K2], [K3]).
///
/// `kyc_status`, whose approval word differs between two current pages (`passed` on K2, `verified` on
/// K3):
///
/// | `kyc_status` | meaning (K2, K3) | status |
/// |---|---|---|
/// | `passed`, `verified` | carry on with the user flow | verified, unless EDD says otherwise (below) |
/// | `pending` | KYC in review, wait | pending |
/// | `failed`, `declined` | cannot serve the user | rejected (`kyc_status failed` / `kyc_status declined`) |
/// | `not_started` | no KYC yet | not started |
/// | anything else, or absent | — | unknown (raw; empty when absent) |
///
/// `edd_status` (K2: `not_required`, `required`, `confirmed`, `failed`; the example answers `""`):
///
/// - `failed` → rejected (`edd_status failed`), whatever `kyc_status` says. Judgment: a failed EDD check
///   ends the relationship as much as a failed KYC; the reasons list both when both failed.
/// - `required` on a passed KYC → requires data (`enhanced_due_diligence`). Judgment: the user must go
///   through EDD before being served; Kriptomat documents no API to send it.
/// - `""`, `not_required`, `confirmed` or absent → no effect.
/// - a value added later, on a passed KYC → unknown (raw): EDD may still block the user, so the passed
///   KYC is not reported as verified.
/// - before the KYC passed, only a failed EDD matters: the KYC's own status is what to act on.
///
/// [K2]: https://developer.kriptomat.io/docs/whitelabel-api-fiat-onramp-offramp-via-bank-wire/api-reference/endpoints/users/show-user
/// [K3]: https://developer.kriptomat.io/docs/whitelabel-api-fiat-onramp-offramp-via-bank-wire/api-reference/endpoints/compliance
pub fn status(kyc: Option<&types::KycStatus>, edd: Option<&types::EddStatus>) -> KycStatus {
    use types::EddStatus as E;
    use types::KycStatus as K;

    /// What EDD adds to a passed KYC.
    enum Edd<'a> {
        Clear,
        Required,
        Failed,
        Unknown(&'a str),
    }
    let edd = match edd {
        None | Some(E::Empty | E::NotRequired | E::Confirmed) => Edd::Clear,
        Some(E::Required) => Edd::Required,
        Some(E::Failed) => Edd::Failed,
        Some(E::Unknown(raw)) => Edd::Unknown(raw),
        // Fallback, for a value added to the spec after this mapping was written (`cargo xtask diff`
        // names this function): treated like a value the spec does not list.
        Some(other) => Edd::Unknown(other.as_str()),
    };

    // The KYC alone.
    let kyc = match kyc {
        Some(K::Passed | K::Verified) => KycStatus::Verified,
        Some(K::Pending) => KycStatus::Pending,
        Some(K::NotStarted) => KycStatus::NotStarted,
        Some(kyc @ (K::Failed | K::Declined)) => KycStatus::Rejected {
            reasons: vec![format!("kyc_status {kyc}")],
        },
        Some(K::Unknown(raw)) => KycStatus::Unknown { raw: raw.clone() },
        // Fallback, for a value added to the spec after this mapping was written (`cargo xtask diff`
        // names this function): unknown (raw), never verified or rejected.
        Some(other) => KycStatus::Unknown {
            raw: other.as_str().to_owned(),
        },
        None => KycStatus::absent(),
    };
    // EDD on top of it.
    const EDD_FAILED: &str = "edd_status failed";
    match (kyc, edd) {
        (KycStatus::Rejected { mut reasons }, Edd::Failed) => {
            reasons.push(EDD_FAILED.to_owned());
            KycStatus::Rejected { reasons }
        }
        (_, Edd::Failed) => KycStatus::Rejected {
            reasons: vec![EDD_FAILED.to_owned()],
        },
        (KycStatus::Verified, Edd::Required) => KycStatus::RequiresData {
            missing: vec!["enhanced_due_diligence".to_owned()],
        },
        (KycStatus::Verified, Edd::Unknown(raw)) => KycStatus::Unknown {
            raw: raw.to_owned(),
        },
        (kyc, Edd::Clear | Edd::Required | Edd::Unknown(_)) => kyc,
    }
}

impl From<&types::ShowUserData> for KycStatus {
    /// See [`status`].
    fn from(data: &types::ShowUserData) -> Self {
        status(data.kyc_status.as_ref(), data.edd_status.as_ref())
    }
}

impl From<&types::ShowUserResponse> for KycStatus {
    /// See [`status`]; an answer without `data` is [`KycStatus::absent`].
    fn from(response: &types::ShowUserResponse) -> Self {
        response
            .data
            .as_ref()
            .map_or_else(KycStatus::absent, KycStatus::from)
    }
}
