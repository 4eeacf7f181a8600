//! What reconciliation reports: item outcomes, unmatched payments and their reasons, the
//! per-payment [`MatchEvent`] and the final [`Report`]. All serialise to JSON for the CLI and
//! the bindings.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{OpenItem, Payment};
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

/// The outcome of one open item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ItemReport {
    /// The item as given.
    #[serde(flatten)]
    pub item: OpenItem,
    /// Total received.
    pub received: Amount,
    /// The outcome.
    #[serde(flatten)]
    pub status: ItemStatus,
    /// Ids of the payments that counted, in arrival order.
    pub payment_ids: Vec<String>,
}

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
    pub items: Vec<ItemReport>,
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
        self.items.iter().all(|i| i.status == ItemStatus::Paid)
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
