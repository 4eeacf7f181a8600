//! Account Data transactions (Transactions V2 and V3, op-api.md §4.5–§4.6).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::Date;

use crate::domain::amount::Amount;
use crate::model::de;

/// One booked transaction on a company account, as Transactions V2 or V3 returns it.
///
/// The fields the SDK itself relies on (`amount`, `objectId` for paging, `archiveId` for
/// de-duplication, `timestamp`, `bookingDate`) are required; every other documented field is
/// optional because OP's schema is only partly published. Fields this SDK does not know are
/// kept in [`Transaction::extra`] and written back out unchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Transaction {
    /// Signed amount: credits positive, debits negative (`"-12.35"`).
    pub amount: Amount,
    /// Account balance before this transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_before: Option<Amount>,
    /// Account balance after this transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub balance_after: Option<Amount>,
    /// Free-text message from the payer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// ISO 4217 currency code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// OP's transaction id; the paging anchor (`<account>_<date>_<archiveId>_<seq>`).
    pub object_id: String,
    /// Archive id (filing code). Always text, even when the server sends a 20-digit number.
    #[serde(with = "de::string_or_number")]
    pub archive_id: String,
    /// BIC of the payer's bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debtor_bic: Option<String>,
    /// Finnish creditor reference (viitenumero), zero-padded to 20 characters by OP.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// ISO 11649 RF creditor reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rf_reference: Option<String>,
    /// Value date.
    #[serde(
        default,
        with = "de::opt_iso_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub value_date: Option<Date>,
    /// Payer's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debtor_name: Option<String>,
    /// Booking (entry) date; its meaning changed in Account Data 1.5.
    #[serde(with = "de::iso_date")]
    pub booking_date: Date,
    /// BIC of the payee's bank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creditor_bic: Option<String>,
    /// Payment date.
    #[serde(
        default,
        with = "de::opt_iso_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub payment_date: Option<Date>,
    /// Payee's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creditor_name: Option<String>,
    /// Payer's IBAN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debtor_account: Option<String>,
    /// Payee's IBAN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creditor_account: Option<String>,
    /// End-to-end id given by the payer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_to_end_id: Option<String>,
    /// Registration time in microseconds since the Unix epoch.
    #[serde(with = "de::lenient_i64")]
    pub timestamp: i64,
    /// Transaction type code (e.g. `710`); sent quoted or unquoted, kept as text.
    #[serde(
        default,
        with = "de::opt_string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub transaction_type_code: Option<String>,
    /// Transaction type description (V2 only; replaced by the booking code in V3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transaction_type_description: Option<String>,
    /// Booking code (V3), kept as text.
    #[serde(
        default,
        with = "de::opt_string_or_number",
        skip_serializing_if = "Option::is_none"
    )]
    pub booking_code: Option<String>,
    /// Booking code description (V3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking_code_description: Option<String>,
    /// SWIFT/SEPA unique end-to-end transaction reference (a UUID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uetr: Option<String>,
    /// Fields OP sent that this SDK does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Transaction {
    /// Whether money came in (a positive amount).
    pub fn is_credit(&self) -> bool {
        !self.amount.is_negative() && !self.amount.is_zero()
    }

    /// Whether money went out (a negative amount).
    pub fn is_debit(&self) -> bool {
        self.amount.is_negative()
    }

    /// The structured reference the payer gave, Finnish or RF, whichever is present.
    pub fn any_reference(&self) -> Option<&str> {
        self.reference
            .as_deref()
            .filter(|r| !r.is_empty())
            .or(self.rf_reference.as_deref().filter(|r| !r.is_empty()))
    }
}
