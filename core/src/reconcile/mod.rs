//! Reconciliation: matching incoming payments to open items (invoices, orders) by creditor
//! reference, in linear time and one payment at a time.
//!
//! Build a [`Reconciler`] from the open items, [`push`](Reconciler::push) each incoming
//! payment as it arrives (each push returns the [`MatchEvent`] for that payment, which a
//! real-time watcher can print at once), then [`finish`](Reconciler::finish) for the
//! [`Report`]: the outcome of every item in input order, the unmatched payments with the
//! likely reason, and totals. [`reconcile`] does all three in one call.
//!
//! Matching rules:
//! - References match in any written form: `00000000000000001245`, `1245`, `1 245` and the RF
//!   form of 1245 are the same reference ([`Reference::match_key`]).
//! - A payment counts towards an item only in the item's currency (compared ignoring case
//!   and surrounding spaces). A missing currency is [`DEFAULT_CURRENCY`] (`EUR`): OP's
//!   corporate accounts are euro accounts and OP sometimes omits the field.
//! - Debits and zero amounts are never matched, and never dropped either: every payment
//!   pushed, a bank statement's outgoing payments included, is accounted for in the report,
//!   a debit as unmatched with reason `not_a_credit` (and in no money total). Every caller —
//!   the CLI, each binding — pushes every transaction it is given, so the same input gives
//!   the same report everywhere. [`Report::is_settled`] ignores debits.
//! - A payment id seen before is a re-delivery and is ignored, so at-least-once delivery from
//!   the watcher never double-counts. Payments with an empty id are never de-duplicated.
//! - Per item: no payment → unpaid; total below the amount → partially paid; equal → paid;
//!   above → overpaid; two or more payments that each cover the full amount → paid twice.
//!   The outcome depends only on the multiset of payments, never on their order.
//! - Open items that share a reference cannot be told apart: they are reported as
//!   ambiguous and payments to that reference are left unmatched with the item ids listed.
//!
//! Pure: no I/O, no clock, so it also runs in WASM.

mod case;
pub mod input;
mod item_field;
mod report;
mod run;
mod table;

pub use case::{
    camel_case_json, camel_case_key, camel_case_keys, snake_case_json, snake_case_key,
    snake_case_keys,
};
pub use item_field::{ITEM_KEYS, ItemField};
pub use report::{
    CurrencyTotals, FieldKind, ItemReport, ItemReportIter, ItemReports, ItemStatus, MatchEvent,
    PaymentIdIter, Report, Totals, UnmatchedPayment, UnmatchedReason, field_kind,
};
pub use run::ReconcileRun;

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};

use table::{PaymentIds, SlotTable};

use serde::{Deserialize, Serialize};
use time::Date;

use crate::domain::amount::Amount;
use crate::domain::reference::{MatchKey, Reference};
use crate::model::Transaction;

/// The currency of an open item or payment that names none (OP's corporate accounts are
/// euro accounts).
pub const DEFAULT_CURRENCY: &str = "EUR";

fn default_currency() -> String {
    DEFAULT_CURRENCY.to_owned()
}

/// An open receivable: what a customer is expected to pay.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenItem {
    /// The caller's id for the item (invoice or order number).
    pub id: String,
    /// The creditor reference printed on the invoice (Finnish or RF).
    pub reference: Reference,
    /// The amount due (positive).
    pub amount: Amount,
    /// ISO 4217 currency code, e.g. `EUR` ([`DEFAULT_CURRENCY`] when absent in JSON).
    #[serde(default = "default_currency")]
    pub currency: String,
    /// The due date, if any (`YYYY-MM-DD` in JSON).
    #[serde(default, with = "iso_date")]
    pub due_date: Option<Date>,
}

/// An incoming bank transaction, as reconciliation needs it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// A stable id for the transaction (OP's `archiveId` or `objectId`); re-deliveries of
    /// the same id are ignored.
    pub id: String,
    /// The creditor reference as received: Finnish (possibly zero-padded) or RF, or none.
    #[serde(default)]
    pub reference: Option<String>,
    /// The signed amount (credits positive, debits negative, as OP reports them).
    pub amount: Amount,
    /// ISO 4217 currency code ([`DEFAULT_CURRENCY`] when absent in JSON).
    #[serde(default = "default_currency")]
    pub currency: String,
    /// The booking date, if known.
    #[serde(default, with = "iso_date")]
    pub booking_date: Option<Date>,
    /// The payer's name, if known.
    #[serde(default)]
    pub payer_name: Option<String>,
}

impl From<&Transaction> for Payment {
    /// The owned form of [`PaymentRef::from`]`(&Transaction)`.
    fn from(t: &Transaction) -> Payment {
        PaymentRef::from(t).to_payment()
    }
}

impl Payment {
    /// The payment as a [`PaymentRef`] borrowing its strings.
    pub fn borrowed(&self) -> PaymentRef<'_> {
        PaymentRef {
            id: &self.id,
            reference: self.reference.as_deref(),
            amount: self.amount,
            currency: &self.currency,
            booking_date: self.booking_date,
            payer_name: self.payer_name.as_deref(),
        }
    }
}

/// A [`Payment`] whose strings are borrowed from the caller, for
/// [`Reconciler::absorb`]: a bulk load from C strings, JSON text or a transaction page then
/// allocates only what the engine keeps (the id in its arena, and an unmatched payment
/// copied into the report), not four strings a payment that are dropped at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaymentRef<'a> {
    /// As [`Payment::id`].
    pub id: &'a str,
    /// As [`Payment::reference`].
    pub reference: Option<&'a str>,
    /// As [`Payment::amount`].
    pub amount: Amount,
    /// As [`Payment::currency`].
    pub currency: &'a str,
    /// As [`Payment::booking_date`].
    pub booking_date: Option<Date>,
    /// As [`Payment::payer_name`].
    pub payer_name: Option<&'a str>,
}

impl PaymentRef<'_> {
    /// The payment with its strings copied.
    pub fn to_payment(&self) -> Payment {
        Payment {
            id: self.id.to_owned(),
            reference: self.reference.map(str::to_owned),
            amount: self.amount,
            currency: self.currency.to_owned(),
            booking_date: self.booking_date,
            payer_name: self.payer_name.map(str::to_owned),
        }
    }
}

impl<'a> From<&'a Transaction> for PaymentRef<'a> {
    /// The reconciliation view of an OP transaction: its archive id, whichever structured
    /// reference it carries (Finnish or RF), the signed amount, the currency
    /// ([`DEFAULT_CURRENCY`] when OP omits it), the booking date and the payer (the debtor).
    /// Debits convert too; the reconciler reports them as `not_a_credit`.
    fn from(t: &'a Transaction) -> PaymentRef<'a> {
        PaymentRef {
            id: &t.archive_id,
            reference: t.any_reference(),
            amount: t.amount,
            currency: t
                .currency
                .as_deref()
                .filter(|c| !c.trim().is_empty())
                .unwrap_or(DEFAULT_CURRENCY),
            booking_date: Some(t.booking_date),
            payer_name: t.debtor_name.as_deref(),
        }
    }
}

/// What [`Reconciler::absorb`] did with a payment: a [`MatchEvent`] without its copies of
/// the ids (the report has them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Absorbed {
    /// The payment counted towards the item at `item_index` (input order).
    Matched {
        /// The item's position in the input.
        item_index: usize,
        /// Everything received for the item so far.
        received: Amount,
        /// The item's status after this payment.
        status: ItemStatus,
    },
    /// The payment matched nothing; it is the report's unmatched payment at `index`.
    Unmatched {
        /// Its position in [`Report::unmatched`].
        index: usize,
    },
    /// The payment id was seen before; the re-delivery was ignored.
    Duplicate,
}

/// The most open items one reconciler holds (item indexes are `u32`, and `u32::MAX` marks a
/// free table entry).
const MAX_ITEMS: usize = u32::MAX as usize;

/// Marks a payment record that counted towards no item.
const NO_ITEM: u32 = u32::MAX;

/// Fingerprint bits in the item indexes (item numbers take the other 32).
const ITEM_FINGERPRINT: u32 = 32;

/// Fingerprint bits in the duplicate guard; the other 40 hold an id's offset in the arena,
/// enough for a terabyte of payment ids.
const ID_FINGERPRINT: u32 = 24;

/// Running state of one item; also the item's outcome in the [`Report`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ItemState {
    /// Everything received; positive once any payment counted (only credits count).
    received: Amount,
    covering: u32,
    currency: u16,
    /// Another item has the same reference (both are ambiguous).
    shared: bool,
    /// Another item has the same amount and currency (no "did you mean" for either).
    same_amount: bool,
}

/// Streaming reconciliation engine; see the [module documentation](self).
///
/// Memory: the items as given plus about 50 bytes an item and 40 bytes a payment. The
/// indexes hold item numbers and hash fingerprints, not keys (a key is recomputed from the
/// item when a fingerprint matches), and the payment ids live in one arena that both the
/// duplicate guard and the report read.
pub struct Reconciler {
    items: Vec<OpenItem>,
    states: Vec<ItemState>,
    /// Items by reference ([`Reference::match_key`]); one entry per distinct reference.
    by_key: SlotTable,
    /// For a reference several items share: its first item → all of them.
    shared_keys: HashMap<u32, Vec<u32>>,
    /// Items by amount in minor units and currency, for "did you mean".
    by_amount: SlotTable,
    currencies: Vec<String>,
    /// Every accepted payment's id, in arrival order.
    ids: PaymentIds,
    /// The item each accepted payment counted towards, or [`NO_ITEM`], in arrival order.
    record_items: Vec<u32>,
    /// Records of non-empty ids, by a keyed hash of the id (the duplicate guard).
    seen: SlotTable,
    id_hasher: RandomState,
    unmatched: Vec<UnmatchedPayment>,
    duplicates: usize,
    matched: usize,
}

impl std::fmt::Debug for Reconciler {
    /// Counts only: a run may hold millions of items.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reconciler")
            .field("items", &self.items.len())
            .field("payments", &self.ids.len())
            .field("matched", &self.matched)
            .field("unmatched", &self.unmatched.len())
            .field("duplicates", &self.duplicates)
            .finish()
    }
}

fn key_hash(key: &MatchKey) -> u64 {
    FastHash::default().hash_one(key)
}

fn amount_hash(cents: i64, currency: u16) -> u64 {
    FastHash::default().hash_one((cents, currency))
}

impl Reconciler {
    /// Indexes the open items (linear time). Item ids need not be unique; references that
    /// several items share make those items ambiguous.
    ///
    /// # Panics
    /// Never; more than `u32::MAX − 1` items are not supported and the excess is ignored.
    pub fn new(items: impl IntoIterator<Item = OpenItem>) -> Self {
        let items: Vec<OpenItem> = items.into_iter().take(MAX_ITEMS - 1).collect();
        let mut currencies = Vec::new();
        let mut states = Vec::with_capacity(items.len());
        let mut by_key = SlotTable::with_capacity(items.len(), ITEM_FINGERPRINT);
        let mut by_amount = SlotTable::with_capacity(items.len(), ITEM_FINGERPRINT);
        let mut shared_keys: HashMap<u32, Vec<u32>> = HashMap::new();
        for (index, item) in items.iter().enumerate() {
            let index = index as u32;
            let currency = intern(&mut currencies, &item.currency);
            states.push(ItemState {
                received: Amount::ZERO,
                covering: 0,
                currency,
                shared: false,
                same_amount: false,
            });
            let key = item.reference.match_key();
            let hash = key_hash(&key);
            let rehash = |i: u64| key_hash(&items[i as usize].reference.match_key());
            match by_key.find(hash, |i| items[i as usize].reference.match_key() == key) {
                None => by_key.insert(hash, u64::from(index), rehash),
                Some(first) => {
                    let first = first as u32;
                    states[first as usize].shared = true;
                    states[index as usize].shared = true;
                    shared_keys
                        .entry(first)
                        .or_insert_with(|| vec![first])
                        .push(index);
                }
            }
            if let Ok(cents) = item.amount.to_minor_units() {
                let hash = amount_hash(cents, currency);
                let same = |i: u64| {
                    states[i as usize].currency == currency
                        && items[i as usize].amount.to_minor_units().ok() == Some(cents)
                };
                match by_amount.find(hash, same) {
                    None => {
                        let rehash = |i: u64| {
                            let item = &items[i as usize];
                            let cents = item.amount.to_minor_units().unwrap_or_default();
                            amount_hash(cents, states[i as usize].currency)
                        };
                        by_amount.insert(hash, u64::from(index), rehash);
                    }
                    Some(first) => states[first as usize].same_amount = true,
                }
            }
        }
        Reconciler {
            states,
            by_key,
            shared_keys,
            by_amount,
            currencies,
            ids: PaymentIds::default(),
            record_items: Vec::new(),
            // Sized for as many payments as items (a typical day), so a run of that size
            // never grows the table (growing briefly holds the old and the new one).
            seen: SlotTable::with_capacity(items.len(), ID_FINGERPRINT),
            id_hasher: RandomState::new(),
            unmatched: Vec::new(),
            duplicates: 0,
            matched: 0,
            items,
        }
    }

    /// Matches one payment and returns what happened to it.
    pub fn push(&mut self, payment: Payment) -> MatchEvent {
        match self.absorb(payment.borrowed()) {
            Absorbed::Duplicate => MatchEvent::Duplicate {
                payment_id: payment.id,
            },
            Absorbed::Matched {
                item_index,
                received,
                status,
            } => MatchEvent::Matched {
                payment_id: payment.id,
                item_id: self.items[item_index].id.clone(),
                item_index,
                received,
                status,
            },
            Absorbed::Unmatched { index } => MatchEvent::Unmatched(self.unmatched[index].clone()),
        }
    }

    /// Matches one borrowed payment, as [`push`](Self::push) does, without building the
    /// event: for bulk loads that only want the report.
    pub fn absorb(&mut self, payment: PaymentRef<'_>) -> Absorbed {
        if !payment.id.is_empty() && !self.remember(payment.id) {
            self.duplicates += 1;
            return Absorbed::Duplicate;
        }
        if payment.id.is_empty() {
            self.ids.push("");
        }
        self.record_items.push(NO_ITEM);
        match self.locate(&payment) {
            Ok(index) => self.apply(index, payment),
            Err(reason) => self.reject(payment, reason),
        }
    }

    /// Records a non-empty id; `false` when it was seen before. The table finds candidates
    /// by a keyed hash (SipHash with a per-run key, so bank data cannot force long probe
    /// chains), and a candidate counts only if its stored id is equal in full: a hash
    /// collision can never make a new payment look like a re-delivery and hide it.
    fn remember(&mut self, id: &str) -> bool {
        let hash = self.id_hasher.hash_one(id);
        let ids = &self.ids;
        if self
            .seen
            .find(hash, |r| ids.get(r as usize) == id)
            .is_some()
        {
            return false;
        }
        let record = self.ids.push(id) as u64;
        let (ids, hasher) = (&self.ids, &self.id_hasher);
        self.seen
            .insert(hash, record, |r| hasher.hash_one(ids.get(r as usize)));
        true
    }

    /// The current status of the item at `index` (input order), if it exists.
    pub fn item_status(&self, index: usize) -> Option<ItemStatus> {
        let state = self.states.get(index)?;
        Some(status_of(&self.items[index], state))
    }

    /// Finishes the run and builds the report (linear time).
    pub fn finish(self) -> Report {
        let Reconciler {
            items,
            states,
            by_key,
            shared_keys,
            by_amount,
            currencies,
            ids,
            record_items,
            seen,
            id_hasher: _,
            unmatched,
            duplicates,
            matched,
        } = self;
        // The indexes are no longer needed; free them before the report is built.
        drop((by_key, shared_keys, by_amount, seen));
        let mut totals = Totals {
            items: items.len(),
            payments: ids.len(),
            matched_payments: matched,
            unmatched_payments: unmatched.len(),
            duplicate_payments: duplicates,
            ..Totals::default()
        };
        // Per currency id first: one map entry (and one key String) per currency, not per
        // item.
        let mut money = vec![CurrencyTotals::default(); currencies.len()];
        for (item, state) in items.iter().zip(&states) {
            let money = &mut money[state.currency as usize];
            add(&mut money.billed, item.amount);
            add(&mut money.received, state.received);
            match status_of(item, state) {
                ItemStatus::Unpaid => {
                    totals.unpaid += 1;
                    add(&mut money.outstanding, item.amount);
                }
                ItemStatus::Paid => totals.paid += 1,
                ItemStatus::PartiallyPaid { remaining } => {
                    totals.partially_paid += 1;
                    add(&mut money.outstanding, remaining);
                }
                ItemStatus::Overpaid { excess } => {
                    totals.overpaid += 1;
                    add(&mut money.excess, excess);
                }
                ItemStatus::PaidTwice { excess, .. } => {
                    totals.paid_twice += 1;
                    add(&mut money.excess, excess);
                }
                ItemStatus::AmbiguousReference => totals.ambiguous += 1,
            }
        }
        totals.by_currency = currencies.into_iter().zip(money).collect();
        for unmatched in &unmatched {
            if unmatched.payment.amount.is_negative() || unmatched.payment.amount.is_zero() {
                continue;
            }
            let code = normalize_currency(&unmatched.payment.currency);
            let money = totals.by_currency.entry(code).or_default();
            add(&mut money.unmatched, unmatched.payment.amount);
        }
        Report {
            items: ItemReports::new(items, states, ids, &record_items),
            unmatched,
            totals,
        }
    }

    /// Finds the item a payment belongs to, or why there is none.
    fn locate(&self, payment: &PaymentRef<'_>) -> Result<usize, UnmatchedReason> {
        if payment.amount.is_negative() || payment.amount.is_zero() {
            return Err(UnmatchedReason::NotACredit);
        }
        let raw = match payment.reference.map(str::trim) {
            None | Some("") => return Err(UnmatchedReason::NoReference),
            Some(raw) => raw,
        };
        let key =
            Reference::parse_match_key(raw).map_err(|e| UnmatchedReason::InvalidReference {
                problem: e.message().to_owned(),
            })?;
        let items = &self.items;
        let index = self
            .by_key
            .find(key_hash(&key), |i| {
                items[i as usize].reference.match_key() == key
            })
            .ok_or(UnmatchedReason::UnknownReference)? as u32;
        if self.states[index as usize].shared {
            let item_ids = self.shared_keys.get(&index).map_or_else(Vec::new, |v| {
                v.iter()
                    .map(|&i| self.items[i as usize].id.clone())
                    .collect()
            });
            return Err(UnmatchedReason::AmbiguousReference { item_ids });
        }
        let index = index as usize;
        let wanted = self.states[index].currency;
        if currency_id(&self.currencies, payment.currency) != Some(wanted) {
            return Err(UnmatchedReason::CurrencyMismatch {
                item_id: self.items[index].id.clone(),
                item_currency: self.currencies[wanted as usize].clone(),
            });
        }
        Ok(index)
    }

    fn apply(&mut self, index: usize, payment: PaymentRef<'_>) -> Absorbed {
        let item = &self.items[index];
        let state = &mut self.states[index];
        let Some(received) = state.received.checked_add(payment.amount) else {
            return self.reject(payment, UnmatchedReason::AmountOverflow);
        };
        state.received = received;
        if payment.amount >= item.amount {
            state.covering += 1;
        }
        let status = status_of(item, state);
        if let Some(record) = self.record_items.last_mut() {
            *record = index as u32;
        }
        self.matched += 1;
        Absorbed::Matched {
            item_index: index,
            received,
            status,
        }
    }

    fn reject(&mut self, payment: PaymentRef<'_>, reason: UnmatchedReason) -> Absorbed {
        let did_you_mean = match reason {
            UnmatchedReason::NoReference
            | UnmatchedReason::InvalidReference { .. }
            | UnmatchedReason::UnknownReference => self.only_item_with_amount(&payment),
            _ => None,
        };
        self.unmatched.push(UnmatchedPayment {
            payment: payment.to_payment(),
            reason,
            did_you_mean,
        });
        Absorbed::Unmatched {
            index: self.unmatched.len() - 1,
        }
    }

    /// The id of the one item with the payment's amount and currency, if exactly one.
    fn only_item_with_amount(&self, payment: &PaymentRef<'_>) -> Option<String> {
        let currency = currency_id(&self.currencies, payment.currency)?;
        let cents = payment.amount.to_minor_units().ok()?;
        let (items, states) = (&self.items, &self.states);
        let index = self.by_amount.find(amount_hash(cents, currency), |i| {
            states[i as usize].currency == currency
                && items[i as usize].amount.to_minor_units().ok() == Some(cents)
        })? as usize;
        (!states[index].same_amount).then(|| items[index].id.clone())
    }
}

fn intern(currencies: &mut Vec<String>, currency: &str) -> u16 {
    match currency_id(currencies, currency) {
        Some(id) => id,
        None => {
            currencies.push(normalize_currency(currency));
            (currencies.len() - 1) as u16
        }
    }
}

fn currency_id(currencies: &[String], currency: &str) -> Option<u16> {
    let code = currency.trim();
    currencies
        .iter()
        .position(|c| c.eq_ignore_ascii_case(code))
        .map(|i| i as u16)
}

/// Reconciles all payments against all items in one call.
pub fn reconcile(
    items: impl IntoIterator<Item = OpenItem>,
    payments: impl IntoIterator<Item = Payment>,
) -> Report {
    let mut reconciler = Reconciler::new(items);
    for payment in payments {
        reconciler.absorb(payment.borrowed());
    }
    reconciler.finish()
}

fn status_of(item: &OpenItem, state: &ItemState) -> ItemStatus {
    if state.shared {
        return ItemStatus::AmbiguousReference;
    }
    if state.received.is_zero() {
        return ItemStatus::Unpaid;
    }
    let difference = state
        .received
        .checked_sub(item.amount)
        .unwrap_or(Amount::ZERO);
    if state.covering >= 2 {
        return ItemStatus::PaidTwice {
            covering_payments: state.covering,
            excess: difference,
        };
    }
    match state.received.cmp(&item.amount) {
        std::cmp::Ordering::Less => ItemStatus::PartiallyPaid {
            remaining: difference.abs(),
        },
        std::cmp::Ordering::Equal => ItemStatus::Paid,
        std::cmp::Ordering::Greater => ItemStatus::Overpaid { excess: difference },
    }
}

/// Adds to a report total. Every item total was already checked when payments were applied;
/// only sums over many absurd amounts (near 10^28) can overflow, and then the total keeps its
/// last value rather than panicking.
fn add(total: &mut Amount, amount: Amount) {
    if let Some(sum) = total.checked_add(amount) {
        *total = sum;
    }
}

/// A fast, unkeyed hasher (FxHash's multiply-rotate plus a splitmix64 finaliser) for the item
/// indexes. Safe from collision flooding here because those tables are filled only from the
/// caller's own open items; payment data is only looked up in them, never inserted. The
/// de-duplication set, filled from bank data, keeps std's keyed SipHash.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

type FastHash = BuildHasherDefault<FxHasher>;

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn write_u64(&mut self, word: u64) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }

    fn write_u8(&mut self, byte: u8) {
        self.write_u64(u64::from(byte));
    }

    fn write_u16(&mut self, word: u16) {
        self.write_u64(u64::from(word));
    }

    fn write_u32(&mut self, word: u32) {
        self.write_u64(u64::from(word));
    }

    fn write_u128(&mut self, word: u128) {
        self.write_u64(word as u64);
        self.write_u64((word >> 64) as u64);
    }

    fn write_usize(&mut self, word: usize) {
        self.write_u64(word as u64);
    }

    fn write_i64(&mut self, word: i64) {
        self.write_u64(word as u64);
    }

    /// A splitmix64 finaliser, so the low bits hashbrown uses for the bucket depend on
    /// every input bit.
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        h ^ (h >> 31)
    }
}

fn normalize_currency(currency: &str) -> String {
    currency.trim().to_ascii_uppercase()
}

/// `Option<Date>` as `"YYYY-MM-DD"` or null.
mod iso_date {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub(super) fn serialize<S: Serializer>(
        date: &Option<Date>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match date {
            Some(date) => serializer.collect_str(date),
            None => serializer.serialize_none(),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Date>, D::Error> {
        let text = Option::<String>::deserialize(deserializer)?;
        text.map(|t| {
            crate::dates::parse_iso_date(t.trim()).ok_or_else(|| {
                serde::de::Error::custom(format!("invalid date {t:?}: expected YYYY-MM-DD"))
            })
        })
        .transpose()
    }
}
