//! Statement entries as reconciliation input ([`Payment`]s).
//!
//! Which entries count, matching what `reconcile` does with Account Data transactions:
//! - booked credits (money in): one payment per transaction of a batch, or one for the
//!   entry when the bank sent no details;
//! - returns of money in (a reversed debit, `RvslInd` true): a negative payment, so the
//!   report lists it as "not a credit" instead of the original credit standing unexplained;
//! - everything else (outgoing payments, reversals of them, pending entries) is left out.

use std::io::BufRead;

use super::reader::bad;
use super::{CreditDebit, Entry, StatementItem, StatementReader};
use crate::error::Result;
use crate::reconcile::Payment;

/// The reconciliation payments of one entry (see the [module rules](self)); an error when a
/// batch entry does not say how much each of its transactions is.
pub fn payments_from_entry(entry: &Entry) -> Result<Vec<Payment>> {
    let counts = match (entry.credit_debit, entry.reversal) {
        (CreditDebit::Credit, false) | (CreditDebit::Debit, true) => entry.is_booked(),
        _ => false,
    };
    if !counts {
        return Ok(Vec::new());
    }
    let base_id = entry_id(entry);
    if entry.transactions.is_empty() {
        return Ok(vec![Payment {
            id: base_id,
            reference: None,
            amount: entry.signed_amount(),
            currency: entry.currency.clone(),
            booking_date: entry.booking_date,
            payer_name: None,
        }]);
    }
    let several = entry.transactions.len() > 1;
    let mut out = Vec::with_capacity(entry.transactions.len());
    for (i, tx) in entry.transactions.iter().enumerate() {
        let (amount, currency) = match (tx.amount, &tx.currency) {
            (Some(amount), Some(currency)) if !several || *currency == entry.currency => {
                (amount, currency.clone())
            }
            _ if !several => (entry.amount, entry.currency.clone()),
            _ => {
                return Err(bad(format!(
                    "entry {}: transaction {} of the batch has no amount in {}",
                    entry.sequence,
                    i + 1,
                    entry.currency
                )));
            }
        };
        let direction = tx.credit_debit.unwrap_or(entry.credit_debit);
        let own_ref = tx
            .account_servicer_ref
            .as_ref()
            .filter(|r| !several || Some(*r) != entry.account_servicer_ref.as_ref());
        let id = match own_ref {
            Some(r) => r.clone(),
            None if several => format!("{base_id}/{}", i + 1),
            None => base_id.clone(),
        };
        let reference = tx
            .creditor_reference
            .as_ref()
            .map(|r| r.as_str().to_owned())
            .or_else(|| tx.invalid_creditor_reference.clone());
        out.push(Payment {
            id,
            reference,
            amount: direction.signed(amount),
            currency,
            booking_date: entry.booking_date,
            payer_name: tx.counterparty_name.clone(),
        });
    }
    Ok(out)
}

/// A stable id for an entry: the bank's archive id, else the entry reference, else its
/// position in its statement.
fn entry_id(entry: &Entry) -> String {
    if let Some(r) = &entry.account_servicer_ref {
        return r.clone();
    }
    let statement = entry.statement_id.as_deref().unwrap_or("statement");
    match &entry.entry_ref {
        Some(r) => format!("{statement}/{r}"),
        None => format!("{statement}/{}", entry.sequence),
    }
}

/// Reads a whole camt.053/054 file into reconciliation payments. Returns them only when
/// every statement in the file passed its control checks; otherwise the first problem, and
/// no payments at all.
pub fn read_payments<R: BufRead>(source: R) -> Result<Vec<Payment>> {
    let mut payments = Vec::new();
    for item in StatementReader::new(source) {
        if let StatementItem::Entry(entry) = item? {
            payments.extend(payments_from_entry(&entry)?);
        }
    }
    Ok(payments)
}

/// [`read_payments`] over a file already in memory (the bindings' entry point).
pub fn read_payments_from_bytes(bytes: &[u8]) -> Result<Vec<Payment>> {
    read_payments(bytes)
}
