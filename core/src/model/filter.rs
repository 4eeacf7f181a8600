//! Transaction Filter API models (op-api.md §7): search one account's debits or credits.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::{Date, Duration, OffsetDateTime, UtcOffset};

use crate::domain::amount::Amount;
use crate::error::{Error, Result};
use crate::model::de;
use crate::model::validate;

/// Longest date range OP's filter accepts.
pub const MAX_RANGE: Duration = Duration::days(30);
/// Most transactions OP returns per search; the rest are counted in `skipped`.
pub const MAX_RESULTS: usize = 10;

/// A debit or credit search on one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FilterQuery {
    /// The company account to search.
    pub account_iban: String,
    /// Start of the range (UTC), at most 30 days before `end_date`.
    #[serde(with = "de::rfc3339")]
    pub start_date: OffsetDateTime,
    /// End of the range (UTC).
    #[serde(with = "de::rfc3339")]
    pub end_date: OffsetDateTime,
    /// Creditor reference to match (zero padding ignored by OP).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Smallest amount to match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_amount: Option<Amount>,
    /// Largest amount to match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_amount: Option<Amount>,
    /// Payer name to match (credit searches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debtor_name: Option<String>,
    /// Payee name to match (debit searches).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creditor_name: Option<String>,
}

impl FilterQuery {
    /// A search from the start of `from` to the end of `to` (UTC days, inclusive).
    pub fn for_dates(account_iban: &str, from: Date, to: Date) -> Result<Self> {
        let end = to
            .next_day()
            .map(|d| d.midnight().assume_utc() - Duration::seconds(1))
            .ok_or_else(|| Error::invalid_input("end date is out of range"))?;
        Ok(FilterQuery {
            account_iban: validate::normalise_iban("accountIban", account_iban)?,
            start_date: from.midnight().assume_utc(),
            end_date: end,
            reference: None,
            min_amount: None,
            max_amount: None,
            debtor_name: None,
            creditor_name: None,
        })
    }

    /// Checks the query locally: a valid IBAN, a range of 0–30 days with the end not before
    /// the start, and a sensible amount range.
    pub fn validate(&self) -> Result<()> {
        validate::iban("accountIban", &self.account_iban)?;
        if self.start_date.offset() != UtcOffset::UTC || self.end_date.offset() != UtcOffset::UTC {
            return Err(Error::invalid_input("filter dates must be in UTC"));
        }
        let range = self.end_date - self.start_date;
        if range.is_negative() {
            return Err(Error::invalid_input("filter endDate is before startDate"));
        }
        if range > MAX_RANGE {
            return Err(Error::invalid_input(format!(
                "filter range is {} days; OP allows at most 30 (split the search)",
                range.whole_days()
            )));
        }
        if let (Some(min), Some(max)) = (&self.min_amount, &self.max_amount)
            && min > max
        {
            return Err(Error::invalid_input(format!(
                "minAmount {min} is larger than maxAmount {max}"
            )));
        }
        for (field, value) in [
            ("debtorName", &self.debtor_name),
            ("creditorName", &self.creditor_name),
            ("reference", &self.reference),
        ] {
            if let Some(value) = value {
                validate::char_len(field, value, 1, 140)?;
            }
        }
        Ok(())
    }
}

/// One transaction in a filter result. OP publishes this schema only as "Account Data
/// V2-like", so everything except the amount and the archive id is optional.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FilteredTransaction {
    /// Signed amount.
    pub amount: Amount,
    /// Archive id; text even if sent as a number.
    #[serde(with = "de::string_or_number")]
    pub archive_id: String,
    /// OP transaction id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_id: Option<String>,
    /// Registration time in microseconds since the Unix epoch.
    #[serde(
        default,
        with = "de::opt_lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub timestamp: Option<i64>,
    /// Booking date.
    #[serde(
        default,
        with = "de::opt_iso_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub booking_date: Option<Date>,
    /// Finnish reference (zero-padded).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// RF reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rf_reference: Option<String>,
    /// Free-text message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Payer's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub debtor_name: Option<String>,
    /// Payee's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creditor_name: Option<String>,
    /// Every other field, kept verbatim (dates, IBANs, codes…).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A filter answer: at most ten transactions plus how many more matched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilterResult {
    /// The matching transactions OP returned (newest first in the emulator).
    #[serde(default)]
    pub transactions: Vec<FilteredTransaction>,
    /// How many further matches OP left out. Non-zero means the list is incomplete.
    #[serde(default, with = "de::lenient_u64")]
    pub skipped: u64,
    /// Fields OP sent that this SDK does not model, kept verbatim.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl FilterResult {
    /// Whether every match is in `transactions`. When `false`, narrow the filter (shorter
    /// range, amount bounds, reference) instead of treating the list as the whole answer.
    pub fn is_complete(&self) -> bool {
        self.skipped == 0
    }
}
