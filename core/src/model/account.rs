//! Account Data accounts: the account list (A1) and account details (A2), op-api.md §4.3–§4.4.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::Date;

use crate::domain::amount::Amount;
use crate::model::de;

/// One entry of the account list (`GET /corporate-account-data/v1/accounts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    /// The account's bank BIC (`OKOYFIHH` for OP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bic: Option<String>,
    /// The account's IBAN.
    pub iban: String,
    /// User-given account name, else the product name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Current balance (may have fewer than two decimals, e.g. `"-12.3"`).
    pub balance: Amount,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Opaque account handle used by the details and transactions calls.
    pub surrogate_id: String,
    /// Product names by language (keys are not documented by OP).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub product_names: BTreeMap<String, String>,
    /// Account type code (seen in real responses, undocumented).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_type_code: Option<String>,
    /// Fields OP sent that this SDK does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Account details (`GET /corporate-account-data/v1/accounts/{surrogateId}`).
///
/// Dates are `dd.MM.yyyy` on the wire; `creditLimit` is the one JSON number among the money
/// fields and is read exactly, never through a float.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountDetails {
    /// The account's bank BIC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bic: Option<String>,
    /// The account's IBAN.
    pub iban: String,
    /// Due date of a fixed-term account.
    #[serde(default, with = "de::opt_fi_date")]
    pub due_date: Option<Date>,
    /// Owner's business id (Y-tunnus), e.g. `1234567-8`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Balance including cover reservations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_balance: Option<Amount>,
    /// Account name.
    #[serde(default)]
    pub account_name: Option<String>,
    /// Maximum credit amount (a JSON number on the wire, kept exact).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_limit: Option<Amount>,
    /// Opaque account handle.
    pub surrogate_id: String,
    /// Owner's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_owner: Option<String>,
    /// Date the account was opened.
    #[serde(
        default,
        with = "de::opt_fi_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub creation_date: Option<Date>,
    /// Balance without cover reservations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gross_balance: Option<Amount>,
    /// Allowed negative balance per day.
    #[serde(default)]
    pub intra_day_limit: Option<Amount>,
    /// Fields OP sent that this SDK does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
