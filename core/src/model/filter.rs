//! Transaction Filter API models (op-api.md §7): search one account's debits or credits.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use time::{Date, Duration, OffsetDateTime, UtcOffset};

use crate::domain::amount::Amount;
use crate::error::{Error, Result};
use crate::model::de;
use crate::model::validate;

/// Longest date range OP's filter accepts in one request; longer searches are split.
pub const MAX_RANGE: Duration = Duration::days(30);
/// Most 30-day windows one search is split into (a year and a bit), so a typo in a date
/// cannot turn into hundreds of requests.
pub const MAX_WINDOWS: usize = 13;
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

    /// Checks the query locally: a valid IBAN, the end not before the start, a range of at
    /// most [`MAX_WINDOWS`] × 30 days (longer than 30 is split by [`Self::windows`]), and a
    /// sensible amount range.
    pub fn validate(&self) -> Result<()> {
        validate::iban("accountIban", &self.account_iban)?;
        if self.start_date.offset() != UtcOffset::UTC || self.end_date.offset() != UtcOffset::UTC {
            return Err(Error::invalid_input("filter dates must be in UTC"));
        }
        let range = self.end_date - self.start_date;
        if range.is_negative() {
            return Err(Error::invalid_input("filter endDate is before startDate"));
        }
        if range > MAX_RANGE * (MAX_WINDOWS as i32) {
            return Err(Error::invalid_input(format!(
                "filter range is {} days; at most {} (OP allows 30 per request and opcorp \
                 splits a search into at most {MAX_WINDOWS} of them)",
                range.whole_days(),
                MAX_RANGE.whole_days() * MAX_WINDOWS as i64
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

impl FilterQuery {
    /// The query split into consecutive windows of at most 30 days, newest first (OP
    /// answers newest first). Adjacent windows share their boundary instant, so a match at
    /// exactly that instant may come back twice; [`FilterResult::merge`] keeps it once.
    pub fn windows(&self) -> Vec<FilterQuery> {
        let mut out = Vec::new();
        let mut end = self.end_date;
        loop {
            let start = (end - MAX_RANGE).max(self.start_date);
            out.push(FilterQuery {
                start_date: start,
                end_date: end,
                ..self.clone()
            });
            if start <= self.start_date {
                return out;
            }
            end = start;
        }
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
    /// Merges the answers to [`FilterQuery::windows`] (in that order): transactions
    /// concatenated without the boundary duplicates (same archive id and object id),
    /// `skipped` summed, and the first answer's unmodelled fields kept.
    pub fn merge(results: Vec<FilterResult>) -> FilterResult {
        let mut merged = FilterResult {
            transactions: Vec::new(),
            skipped: 0,
            extra: Map::new(),
        };
        for (i, result) in results.into_iter().enumerate() {
            if i == 0 {
                merged.extra = result.extra;
            }
            merged.skipped = merged.skipped.saturating_add(result.skipped);
            for t in result.transactions {
                let seen = merged
                    .transactions
                    .iter()
                    .any(|m| m.archive_id == t.archive_id && m.object_id == t.object_id);
                if !seen {
                    merged.transactions.push(t);
                }
            }
        }
        merged
    }

    /// Whether every match is in `transactions`. When `false`, narrow the filter (shorter
    /// range, amount bounds, reference) instead of treating the list as the whole answer.
    pub fn is_complete(&self) -> bool {
        self.skipped == 0
    }
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    const IBAN: &str = "FI3859991620004143";

    #[test]
    fn a_range_of_at_most_30_days_is_one_window() {
        let q = FilterQuery::for_dates(IBAN, date!(2020 - 01 - 01), date!(2020 - 01 - 30)).unwrap();
        assert_eq!(q.windows(), vec![q.clone()]);
        let mut exact = q.clone();
        exact.end_date = exact.start_date + MAX_RANGE;
        assert_eq!(exact.windows().len(), 1);
    }

    #[test]
    fn ops_three_month_sample_is_split_newest_first_without_gaps() {
        let mut q =
            FilterQuery::for_dates(IBAN, date!(2020 - 01 - 01), date!(2020 - 03 - 31)).unwrap();
        q.reference = Some("00000000000000396224".into());
        q.validate().unwrap();
        let w = q.windows();
        assert_eq!(w.len(), 4, "{w:?}");
        assert_eq!(w[0].end_date, q.end_date);
        assert_eq!(w.last().unwrap().start_date, q.start_date);
        for pair in w.windows(2) {
            assert_eq!(pair[1].end_date, pair[0].start_date, "windows touch");
        }
        for window in &w {
            assert!(window.end_date - window.start_date <= MAX_RANGE);
            assert_eq!(window.reference, q.reference);
            window.validate().unwrap();
        }
        assert_eq!(w[0].start_date, datetime!(2020-03-01 23:59:59 UTC));
    }

    #[test]
    fn too_long_and_backwards_ranges_are_refused() {
        let q = FilterQuery::for_dates(IBAN, date!(2020 - 01 - 01), date!(2021 - 03 - 01)).unwrap();
        assert!(q.validate().unwrap_err().message().contains("at most 390"));
        let q = FilterQuery::for_dates(IBAN, date!(2020 - 02 - 01), date!(2020 - 01 - 01)).unwrap();
        assert!(q.validate().is_err());
    }

    fn result(ids: &[&str], skipped: u64) -> FilterResult {
        let transactions = ids
            .iter()
            .map(|id| {
                serde_json::from_value(serde_json::json!({
                    "amount": "1.00", "archiveId": id, "objectId": format!("o-{id}"),
                }))
                .unwrap()
            })
            .collect();
        FilterResult {
            transactions,
            skipped,
            extra: Map::new(),
        }
    }

    #[test]
    fn merged_answers_sum_skipped_and_drop_boundary_duplicates() {
        let merged = FilterResult::merge(vec![
            result(&["c", "b"], 3),
            result(&["b", "a"], 0),
            result(&[], 2),
        ]);
        let ids: Vec<&str> = merged
            .transactions
            .iter()
            .map(|t| t.archive_id.as_str())
            .collect();
        assert_eq!(ids, ["c", "b", "a"]);
        assert_eq!(merged.skipped, 5);
        assert!(!merged.is_complete());
    }
}
