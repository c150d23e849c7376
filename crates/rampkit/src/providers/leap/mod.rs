//! Leap: register user v2 in, CIP status + status detail out.
//!
//! Requests built here:
//!
//! - [`RegisterUserParams`](types::RegisterUserParams) (`POST /auth/register-user-v2`) from a person:
//!   `TryFrom<&Customer>`.
//!
//! Leap's conventions, handled here and nowhere else:
//!
//! | what | sent |
//! |---|---|
//! | names | `firstName`, `middleName`, `lastName` (paternal) and `lastName2` (maternal surname) |
//! | gender | `Male`, `Female`, `Other` |
//! | date of birth | `YYYY-MM-DD` (the field also takes a date-time) |
//! | state | the full ISO 3166-2 code (`MX-CMX`) |
//! | language | `en` or `es` only |
//! | country | ISO alpha-2 |
//!
//! Statuses: [`KycStatus`] from [`UserTokenResponse`](types::UserTokenResponse) (`status` and
//! `statusDetail`, [`status`]).

mod connector;
mod onboarding;

pub use connector::{CONNECTOR, LIMITS};
pub use onboarding::*;

use chrono::NaiveDate;
use rampkit_leap::types;
use rampkit_runtime::Pii;

use super::{Conversion, ConversionError, Operation, Provider};
use crate::customer::{Customer, Gender};
use crate::status::KycStatus;

/// The operations whose requests this module builds, as conversion errors name them.
impl Operation {
    /// Register user.
    pub const REGISTER_USER: Operation = Operation::new("register user");
}

/// Register user v2: <https://docs.leapfinancial.com/partner/users/register-user>.
const REGISTER_USER: Conversion = Conversion::new(Provider::Leap, Operation::REGISTER_USER);

/// Leap's spelling of a gender (`Male`, `Female`, `Other`; Leap's fourth value, `None`, is what an
/// absent canonical gender means, so the field is left out instead, [L1]).
///
/// [L1]: https://docs.leapfinancial.com/partner/users/register-user
pub const fn gender(gender: Gender) -> types::Gender {
    match gender {
        Gender::Female => types::Gender::Female,
        Gender::Male => types::Gender::Male,
        Gender::Other => types::Gender::Other,
    }
}

/// Leap's `lang` for an ISO 639-1 code: only `en` and `es` exist ([L1]); any other language is left out
/// rather than mapped to one of them.
///
/// [L1]: https://docs.leapfinancial.com/partner/users/register-user
pub fn language(code: &str) -> Option<types::Language> {
    match code {
        "en" => Some(types::Language::En),
        "es" => Some(types::Language::Es),
        _ => None,
    }
}

/// Leap's `YYYY-MM-DD` date of birth (ISO 8601; the field also accepts a full date-time, [L1]).
///
/// [L1]: https://docs.leapfinancial.com/partner/users/register-user
fn date(date: NaiveDate) -> Pii {
    Pii::new(date.format("%Y-%m-%d").to_string())
}

impl TryFrom<&Customer> for types::RegisterUserParams {
    type Error = ConversionError;

    /// A person's registration ([L1]). Leap requires the names, `address1`, `city`, `state` and
    /// `countryCode`; its live page also requires `phoneNumber` (the schema does not, so the spec has it
    /// optional; rampkit always sends it). Email, middle name, second surname, date of birth and
    /// coordinates are "strongly recommended" against OFAC false matches and sent whenever the customer
    /// has them.
    ///
    /// [L1]: https://docs.leapfinancial.com/partner/users/register-user
    fn try_from(customer: &Customer) -> Result<Self, Self::Error> {
        let c = REGISTER_USER;
        let person = c.person(customer)?;
        let phone = c.require(person.mobile_phone.as_ref(), "mobile_phone")?;
        let address = c.require(person.residential_address.as_ref(), "residential_address")?;
        let state = c.require(
            address.subdivision.as_ref(),
            "residential_address.subdivision",
        )?;
        let name = &person.legal_name;
        let mut request = Self::new(
            // "Street and number" ([L1]): the number joins line 1 when line 1 lacks it, and is also sent
            // on its own in `streetNumber`.
            address.line1_with_street_number(),
            address.city.clone(),
            // The address's country (it must also be the tenant's country, [L1]).
            address.country.expose().as_str(),
            name.first_name.clone(),
            // Leap splits the surnames: `lastName` is the primary (paternal) one, `lastName2` the second
            // (maternal) one, each recommended against OFAC matches ([L1]).
            name.last_name.clone(),
            // "ISO 3166-2:CC, or the state short name" ([L1]): the canonical ISO code as is (`MX-CMX`).
            Pii::new(state.expose().as_str().to_owned()),
        )
        .with_phone_number(phone.clone())
        .with_email(person.email.clone())
        .with_dob(date(*person.date_of_birth.expose()));
        request.middle_name = name.middle_name.clone();
        request.last_name2 = name.second_last_name.clone();
        request.gender = person.gender.as_ref().map(|g| gender(*g.expose()));
        request.address2 = address.line2.clone();
        request.street_number = address.street_number.clone();
        request.zip_code = address.postal_code.clone();
        request.lang = person
            .preferred_language
            .as_ref()
            .and_then(|code| language(code.expose().as_str()));
        request.latitude = address.coordinates.as_ref().map(|at| at.latitude.clone());
        request.longitude = address.coordinates.as_ref().map(|at| at.longitude.clone());
        // The device's location at call time is not part of a verified customer: `callLocation*` unset.
        Ok(request)
    }
}

/// What a `statusDetail` short of a refusal means for the status, by the spec's reading of Leap's list
/// ([L10]: "OfacFailed, Compliance and ComplianceBlocked are compliance outcomes. The others ask for data
/// to be corrected or completed").
///
/// [L10]: https://github.com/jecomas/raas-partner-doc/blob/b5f6e9615913d6a89caba444316d815ebcf7118b/raas/swagger-partner.json
enum Detail<'a> {
    /// `None` or absent.
    Nothing,
    /// Data to correct or complete (`InvalidAddress`, …): the vendor's word for what.
    Data(&'a str),
    /// `Compliance`: under compliance review.
    Review(&'a str),
    /// A value added later.
    Unknown(&'a str),
}

/// The detail's meaning, or `Err` with the vendor's word for a compliance refusal (`OfacFailed`,
/// `ComplianceBlocked`).
fn detail(detail: Option<&types::PlatLevelStatusDetail>) -> Result<Detail<'_>, &str> {
    use types::PlatLevelStatusDetail as D;
    Ok(match detail {
        None | Some(D::None) => Detail::Nothing,
        Some(
            d @ (D::InvalidAddress
            | D::InvalidEMail
            | D::UnreadableDoc
            | D::ProvideAdditionalInfo
            | D::InvalidPersonalData
            | D::OtpPrivacyMissing
            | D::OtpContractMissing),
        ) => Detail::Data(d.as_str()),
        Some(d @ D::Compliance) => Detail::Review(d.as_str()),
        Some(d @ (D::OfacFailed | D::ComplianceBlocked)) => return Err(d.as_str()),
        Some(D::Unknown(raw)) => Detail::Unknown(raw),
        // Fallback, for a value added to the spec after this mapping was written (`cargo xtask diff`
        // names this function): treated like a value the spec does not list.
        Some(other) => Detail::Unknown(other.as_str()),
    })
}

/// Leap's CIP `status` and `statusDetail` (get user token v2, also answered by register user v2) as one
/// status ([L1], [L2], [L10]). Leap documents the values, not what each means, so most rows are
/// judgment calls; each reads the status's name and the spec's grouping of the details:
///
/// 1. `statusDetail` `OfacFailed` or `ComplianceBlocked` → rejected (the detail), whatever the status: a
///    compliance refusal.
/// 2. `Completed` → verified with no detail (`None` or absent); with a data detail → requires data (the
///    detail); with `Compliance` → pending; with a detail added later → unknown (that detail): an
///    unexplained detail never reads as verified.
/// 3. `UpgradeFailed` → rejected (`UpgradeFailed`, and the detail if any): the hard counterpart of
///    `UpgradeSoftFailed`.
/// 4. `UpgradeSoftFailed` → requires data (the detail, also one added later; none named when there is
///    none; `Compliance` → pending): a soft failure is one the user can fix.
/// 5. `UpgradePending`, `UpgradeInProgress`, `AccountUpgradeInProgress`, `OnProcess` (the vendor's own
///    register example) → pending; with a data detail → requires data (the detail); a detail added later
///    leaves it pending.
/// 6. No status (the register answer may carry only `userId`) → pending, or requires data with a data
///    detail: registration is asynchronous ([L1]).
/// 7. A status added later (or the older docs' `Created`) → unknown (raw), unless rule 1 applies.
///
/// [L1]: https://docs.leapfinancial.com/partner/users/register-user
/// [L2]: https://docs.leapfinancial.com/partner/users/get-user-token
/// [L10]: https://github.com/jecomas/raas-partner-doc/blob/b5f6e9615913d6a89caba444316d815ebcf7118b/raas/swagger-partner.json
pub fn status(
    cip: Option<&types::CipStatus>,
    status_detail: Option<&types::PlatLevelStatusDetail>,
) -> KycStatus {
    use types::CipStatus as S;
    let detail = match detail(status_detail) {
        Ok(detail) => detail,
        Err(refusal) => {
            return KycStatus::Rejected {
                reasons: vec![refusal.to_owned()],
            };
        }
    };
    let requires = |what: &str| KycStatus::RequiresData {
        missing: vec![what.to_owned()],
    };
    match cip {
        Some(S::Completed) => match detail {
            Detail::Nothing => KycStatus::Verified,
            Detail::Data(what) => requires(what),
            Detail::Review(_) => KycStatus::Pending,
            Detail::Unknown(raw) => KycStatus::Unknown {
                raw: raw.to_owned(),
            },
        },
        Some(failed @ S::UpgradeFailed) => {
            let mut reasons = vec![failed.as_str().to_owned()];
            match detail {
                Detail::Data(why) | Detail::Review(why) | Detail::Unknown(why) => {
                    reasons.push(why.to_owned())
                }
                Detail::Nothing => {}
            }
            KycStatus::Rejected { reasons }
        }
        Some(S::UpgradeSoftFailed) => match detail {
            Detail::Data(what) | Detail::Unknown(what) => requires(what),
            Detail::Nothing => KycStatus::RequiresData {
                missing: Vec::new(),
            },
            Detail::Review(_) => KycStatus::Pending,
        },
        Some(
            S::UpgradePending | S::UpgradeInProgress | S::AccountUpgradeInProgress | S::OnProcess,
        )
        | None => match detail {
            Detail::Data(what) => requires(what),
            Detail::Nothing | Detail::Review(_) | Detail::Unknown(_) => KycStatus::Pending,
        },
        Some(S::Unknown(raw)) => KycStatus::Unknown { raw: raw.clone() },
        // Fallback, for a value added to the spec after this mapping was written (`cargo xtask diff`
        // names this function): unknown (raw), never verified or rejected.
        Some(other) => KycStatus::Unknown {
            raw: other.as_str().to_owned(),
        },
    }
}

impl From<&types::UserTokenResponse> for KycStatus {
    /// See [`status`].
    fn from(response: &types::UserTokenResponse) -> Self {
        status(response.status.as_ref(), response.status_detail.as_ref())
    }
}
