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
