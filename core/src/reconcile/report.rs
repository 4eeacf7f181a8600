//! What reconciliation reports: item outcomes, unmatched payments and their reasons, the
//! per-payment [`MatchEvent`] and the final [`Report`]. All serialise to JSON for the CLI and
//! the bindings.

use std::collections::BTreeMap;

use serde::Serialize;

use super::table::PaymentIds;
use super::{ItemState, NO_ITEM, OpenItem, Payment, status_of};
use crate::domain::amount::Amount;

/// The state of one open item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ItemStatus {
    /// No payment matched.
    Unpaid,
    /// The payments add up exactly to the amount.
    Paid,
    /// The payments add up to less than the amount.
    PartiallyPaid {
        /// What is still missing.
        remaining: Amount,
    },
    /// The payments add up to more than the amount.
    Overpaid {
        /// How much too much was paid.
        excess: Amount,
    },
    /// Two or more payments each covered the full amount (the customer paid twice).
    PaidTwice {
        /// How many payments covered the full amount on their own.
        covering_payments: u32,
        /// How much too much was paid in total.
        excess: Amount,
    },
    /// Another open item has the same reference; payments to it were not allocated.
    AmbiguousReference,
}

impl ItemStatus {
    /// A short label in words: `paid`, `partially paid`, … (CLI tables, spreadsheet sheets).
    pub fn label(&self) -> &'static str {
        match self {
            ItemStatus::Unpaid => "unpaid",
            ItemStatus::Paid => "paid",
            ItemStatus::PartiallyPaid { .. } => "partially paid",
            ItemStatus::Overpaid { .. } => "overpaid",
            ItemStatus::PaidTwice { .. } => "paid twice",
            ItemStatus::AmbiguousReference => "ambiguous reference",
        }
    }

    /// The status as the JSON names it in `status`: `unpaid`, `paid`, `partially_paid`,
    /// `overpaid`, `paid_twice`, `ambiguous_reference`. For bindings that build the
    /// report's values directly instead of through JSON (a test checks both agree).
    pub fn code(&self) -> &'static str {
        match self {
            ItemStatus::Unpaid => "unpaid",
            ItemStatus::Paid => "paid",
            ItemStatus::PartiallyPaid { .. } => "partially_paid",
            ItemStatus::Overpaid { .. } => "overpaid",
            ItemStatus::PaidTwice { .. } => "paid_twice",
            ItemStatus::AmbiguousReference => "ambiguous_reference",
        }
    }

    /// The signed difference from the amount due: minus what is missing, plus what was paid
    /// too much; `None` when nothing was allocated (unpaid, ambiguous) or it is exact.
    pub fn difference(&self) -> Option<Amount> {
        match self {
            ItemStatus::PartiallyPaid { remaining } => Amount::ZERO.checked_sub(*remaining),
            ItemStatus::Overpaid { excess } | ItemStatus::PaidTwice { excess, .. } => Some(*excess),
            ItemStatus::Unpaid | ItemStatus::Paid | ItemStatus::AmbiguousReference => None,
        }
    }
}

/// Why a payment did not count towards any open item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum UnmatchedReason {
    /// The payment carries no reference.
    NoReference,
    /// The reference is malformed or its check digits are wrong.
    InvalidReference {
        /// What is wrong with it, in words.
        problem: String,
    },
    /// The reference is valid but no open item has it.
    UnknownReference,
    /// Several open items share the reference.
    AmbiguousReference {
        /// The ids of those items.
        item_ids: Vec<String>,
    },
    /// The reference matches an item billed in another currency.
    CurrencyMismatch {
        /// The matching item.
        item_id: String,
        /// The item's currency.
        item_currency: String,
    },
    /// A debit or zero amount; only credits pay open items.
    NotACredit,
    /// Adding the payment would overflow the item's total (absurd amounts).
    AmountOverflow,
}

impl UnmatchedReason {
    /// The reason in words: `unknown reference`, `INV-2 is billed in SEK`, ….
    pub fn describe(&self) -> String {
        match self {
            UnmatchedReason::NoReference => "no reference".into(),
            UnmatchedReason::InvalidReference { problem } => {
                format!("invalid reference: {problem}")
            }
            UnmatchedReason::UnknownReference => "unknown reference".into(),
            UnmatchedReason::AmbiguousReference { item_ids } => {
                format!("reference shared by {}", item_ids.join(", "))
            }
            UnmatchedReason::CurrencyMismatch {
                item_id,
                item_currency,
            } => format!("{item_id} is billed in {item_currency}"),
            UnmatchedReason::NotACredit => "not a credit".into(),
            UnmatchedReason::AmountOverflow => "amount out of range".into(),
        }
    }
}

/// A payment that matched no item, with the likely reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnmatchedPayment {
    /// The payment as given.
    pub payment: Payment,
    /// Why it did not match.
    #[serde(flatten)]
    pub reason: UnmatchedReason,
    /// The one open item with exactly this amount and currency, when there is exactly one:
    /// probably what the payer meant (for no, invalid or unknown references).
    pub did_you_mean: Option<String>,
}

/// What happened to one pushed payment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum MatchEvent {
    /// The payment counted towards an item.
    Matched {
        /// The payment's id.
        payment_id: String,
        /// The item's id.
        item_id: String,
        /// The item's position in the input.
        item_index: usize,
        /// Everything received for the item so far.
        received: Amount,
        /// The item's status after this payment.
        status: ItemStatus,
    },
    /// The payment matched nothing.
    Unmatched(UnmatchedPayment),
    /// The payment id was seen before; the re-delivery was ignored.
    Duplicate {
        /// The repeated id.
        payment_id: String,
    },
}

/// The outcome of one open item: a view into [`ItemReports`], made when asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemReport<'a> {
    /// The item as given.
    #[serde(flatten)]
    pub item: &'a OpenItem,
    /// Total received.
    pub received: Amount,
    /// The outcome.
    #[serde(flatten)]
    pub status: ItemStatus,
    /// Ids of the payments that counted, in arrival order.
    pub payment_ids: Vec<&'a str>,
}

/// The outcome of every open item, in input order, stored by column: the items as given, a
/// small running state each, and the payment ids in one arena with per-item ranges. A
/// million items cost the items themselves plus about 50 bytes each, instead of a
/// materialised [`ItemReport`] with a `Vec<String>` of ids per item. [`ItemReports::get`]
/// and [`ItemReports::iter`] build the views; serialising gives the same JSON array as a
/// `Vec` of them.
#[derive(Clone)]
pub struct ItemReports {
    items: Vec<OpenItem>,
    states: Vec<ItemState>,
    ids: PaymentIds,
    /// `starts[i]..starts[i + 1]` is item `i`'s range of `records`.
    starts: Vec<usize>,
    /// Payment records (offsets in `ids`) grouped by item, in arrival order within an item.
    records: Vec<usize>,
}

impl ItemReports {
    /// Groups the matched payments by item (a stable counting sort). `record_items` has the
    /// item (or [`NO_ITEM`]) of each id in `ids`, in the same order.
    pub(super) fn new(
        items: Vec<OpenItem>,
        states: Vec<ItemState>,
        ids: PaymentIds,
        record_items: &[u32],
    ) -> Self {
        // Count per item, then make starts[i + 1] item i's first position; it is advanced as
        // the item's records are placed, so it ends as item i's end: the start of item i + 1.
        let mut starts = vec![0usize; items.len() + 1];
        for &item in record_items.iter().filter(|&&i| i != NO_ITEM) {
            if let Some(count) = starts.get_mut(item as usize + 1) {
                *count += 1;
            }
        }
        let mut total = 0usize;
        for slot in starts.iter_mut().skip(1) {
            let count = *slot;
            *slot = total;
            total += count;
        }
        let mut records = vec![0usize; total];
        let mut record = 0;
        for &item in record_items {
            let next_record = ids.read(record).1;
            if item != NO_ITEM
                && let Some(next) = starts.get_mut(item as usize + 1)
            {
                records[*next] = record;
                *next += 1;
            }
            record = next_record;
        }
        ItemReports {
            items,
            states,
            ids,
            starts,
            records,
        }
    }

    /// How many items there are.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The outcome of the item at `index` (input order).
    pub fn get(&self, index: usize) -> Option<ItemReport<'_>> {
        let item = self.items.get(index)?;
        let state = &self.states[index];
        Some(ItemReport {
            item,
            received: state.received,
            status: status_of(item, state),
            payment_ids: self.payment_ids(index).collect(),
        })
    }

    /// The item at `index` as given.
    pub fn item(&self, index: usize) -> Option<&OpenItem> {
        self.items.get(index)
    }

    /// The status of the item at `index`, without building the whole view.
    pub fn status(&self, index: usize) -> Option<ItemStatus> {
        Some(status_of(self.items.get(index)?, &self.states[index]))
    }

    /// Everything received for the item at `index`.
    pub fn received(&self, index: usize) -> Option<Amount> {
        self.states.get(index).map(|s| s.received)
    }

    /// The ids of the payments that counted towards the item at `index`, in arrival order
    /// (none for an index past the end).
    pub fn payment_ids(&self, index: usize) -> PaymentIdIter<'_> {
        let range = match (self.starts.get(index), self.starts.get(index + 1)) {
            (Some(&start), Some(&end)) => start..end,
            _ => 0..0,
        };
        PaymentIdIter {
            ids: &self.ids,
            records: self.records.get(range).unwrap_or_default().iter(),
        }
    }

    /// Every item's outcome, in input order.
    pub fn iter(&self) -> ItemReportIter<'_> {
        ItemReportIter {
            reports: self,
            indexes: 0..self.len(),
        }
    }
}

impl<'a> IntoIterator for &'a ItemReports {
    type Item = ItemReport<'a>;
    type IntoIter = ItemReportIter<'a>;

    fn into_iter(self) -> ItemReportIter<'a> {
        self.iter()
    }
}

/// Every item's outcome in input order ([`ItemReports::iter`]), each view built when reached.
#[derive(Clone, Debug)]
pub struct ItemReportIter<'a> {
    reports: &'a ItemReports,
    indexes: std::ops::Range<usize>,
}

impl<'a> Iterator for ItemReportIter<'a> {
    type Item = ItemReport<'a>;

    fn next(&mut self) -> Option<ItemReport<'a>> {
        self.indexes.next().and_then(|i| self.reports.get(i))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.indexes.size_hint()
    }
}

impl ExactSizeIterator for ItemReportIter<'_> {}

impl PartialEq for ItemReports {
    /// Equal when every item's outcome is (the storage layout is not compared).
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for ItemReports {}

impl std::fmt::Debug for ItemReports {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for ItemReports {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// The ids of the payments that counted towards one item ([`ItemReports::payment_ids`]).
#[derive(Clone, Debug)]
pub struct PaymentIdIter<'a> {
    ids: &'a PaymentIds,
    records: std::slice::Iter<'a, usize>,
}

impl<'a> Iterator for PaymentIdIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        self.records.next().map(|&r| self.ids.get(r))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.records.size_hint()
    }
}

impl ExactSizeIterator for PaymentIdIter<'_> {}

/// Money totals for one currency.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CurrencyTotals {
    /// Sum of the open items' amounts.
    pub billed: Amount,
    /// Sum of payments matched to items.
    pub received: Amount,
    /// Sum still missing on unpaid and partially paid items.
    pub outstanding: Amount,
    /// Sum paid in excess on overpaid and paid-twice items.
    pub excess: Amount,
    /// Sum of unmatched credits.
    pub unmatched: Amount,
}

/// Counts and sums over a whole run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Open items.
    pub items: usize,
    /// Items with no payment.
    pub unpaid: usize,
    /// Items paid exactly.
    pub paid: usize,
    /// Items paid in part.
    pub partially_paid: usize,
    /// Items paid too much.
    pub overpaid: usize,
    /// Items paid twice.
    pub paid_twice: usize,
    /// Items sharing a reference with another item.
    pub ambiguous: usize,
    /// Distinct payments pushed.
    pub payments: usize,
    /// Payments that counted towards an item.
    pub matched_payments: usize,
    /// Payments that matched nothing.
    pub unmatched_payments: usize,
    /// Re-delivered payments ignored.
    pub duplicate_payments: usize,
    /// Money by currency code.
    pub by_currency: BTreeMap<String, CurrencyTotals>,
}

/// What a field of the reconciliation JSON holds, for bindings that turn text into native
/// values (Python's `Decimal` and `date`): money is a decimal string, a date `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// An [`Amount`] as decimal text.
    Money,
    /// A calendar date as `YYYY-MM-DD`.
    Date,
}

/// Fields of [`Report`], [`MatchEvent`], [`OpenItem`] and [`Payment`] JSON that hold
/// money, by snake_case key.
const MONEY_FIELDS: [&str; 7] = [
    "amount",
    "received",
    "remaining",
    "excess",
    "billed",
    "outstanding",
    "unmatched",
];
/// Fields of the same JSON that hold dates.
const DATE_FIELDS: [&str; 2] = ["due_date", "booking_date"];

/// What the reconciliation JSON field named `key` (snake_case) holds when its value is a
/// string: money, a date, or plain text (`None`). One list for every binding, kept next to
/// the types and checked against them by a test.
pub fn field_kind(key: &str) -> Option<FieldKind> {
    if MONEY_FIELDS.contains(&key) {
        Some(FieldKind::Money)
    } else if DATE_FIELDS.contains(&key) {
        Some(FieldKind::Date)
    } else {
        None
    }
}

/// The result of a reconciliation run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// One entry per open item, in input order.
    pub items: ItemReports,
    /// Payments that matched nothing, in arrival order.
    pub unmatched: Vec<UnmatchedPayment>,
    /// Counts and sums.
    pub totals: Totals,
}

impl Report {
    /// Whether everything is settled: every item paid exactly and no credit left unmatched.
    /// Debits (`not_a_credit`) are the account's own outgoing money and do not unsettle a
    /// run. This is what `opcorp reconcile --strict` checks.
    pub fn is_settled(&self) -> bool {
        (0..self.items.len()).all(|i| self.items.status(i) == Some(ItemStatus::Paid))
            && self
                .unmatched
                .iter()
                .all(|u| u.reason == UnmatchedReason::NotACredit)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    use super::*;
    use crate::reconcile::reconcile;

    /// Every `(key, string value)` pair in `value`, recursively.
    fn strings<'a>(value: &'a Value, key: Option<&'a str>, out: &mut Vec<(&'a str, &'a str)>) {
        match value {
            Value::String(s) => out.extend(key.map(|k| (k, s.as_str()))),
            Value::Array(items) => items.iter().for_each(|v| strings(v, key, out)),
            Value::Object(map) => map
                .iter()
                .for_each(|(k, v)| strings(v, Some(k.as_str()), out)),
            _ => {}
        }
    }

    #[test]
    fn status_codes_are_the_json_tags() {
        let amount = Amount::from_minor_units(1);
        for status in [
            ItemStatus::Unpaid,
            ItemStatus::Paid,
            ItemStatus::PartiallyPaid { remaining: amount },
            ItemStatus::Overpaid { excess: amount },
            ItemStatus::PaidTwice {
                covering_payments: 2,
                excess: amount,
            },
            ItemStatus::AmbiguousReference,
        ] {
            let json = serde_json::to_value(&status).unwrap();
            assert_eq!(json["status"], status.code());
        }
    }

    #[test]
    fn field_kinds_cover_every_money_and_date_field() {
        let items = serde_json::from_str::<Vec<OpenItem>>(
            r#"[{"id":"a","reference":"1232","amount":"10.00","due_date":"2026-01-31"},
                {"id":"b","reference":"12454","amount":"10.00"},
                {"id":"c","reference":"123453","amount":"10.00"}]"#,
        )
        .unwrap();
        let payments = serde_json::from_str::<Vec<Payment>>(
            r#"[{"id":"1","reference":"1232","amount":"4.00","booking_date":"2026-01-02"},
                {"id":"2","reference":"12454","amount":"12.00"},
                {"id":"3","reference":"123453","amount":"10.00"},
                {"id":"4","reference":"123453","amount":"10.00"},
                {"id":"5","amount":"-1.00","payer_name":"x","booking_date":"2026-01-03"}]"#,
        )
        .unwrap();
        let report = serde_json::to_value(reconcile(items, payments)).unwrap();
        let mut found = Vec::new();
        strings(&report, None, &mut found);
        let mut seen = std::collections::HashSet::new();
        for (key, text) in found {
            match field_kind(key) {
                Some(FieldKind::Money) => assert!(text.parse::<Amount>().is_ok(), "{key}={text}"),
                Some(FieldKind::Date) => assert_eq!(text.len(), 10, "{key}={text}"),
                None => {}
            }
            seen.insert(key);
        }
        for key in MONEY_FIELDS.iter().chain(&DATE_FIELDS) {
            assert!(seen.contains(key), "{key} never appears in a report");
        }
    }
}
