//! Reconciliation: match incoming payments to open items (invoices, orders) by reference.

use std::ffi::c_char;

use opcorp::domain::reference::Reference;
use opcorp::model::Transaction;
use opcorp::reconcile::{OpenItem, Payment, PaymentRef, ReconcileRun};
use opcorp::{Amount, Error};

use crate::record::{self, opcorp_record};
use crate::status::opcorp_status;
use crate::{guard, strings};

/// A reconciliation run: add the open items, push payments one at a time (each push says
/// what happened to that payment), then take the report. Re-delivered payment ids are
/// ignored, so at-least-once delivery from a watcher never double-counts.
///
/// Ownership: free with opcorp_reconciler_free. Thread-safety: not thread-safe.
pub struct opcorp_reconciler {
    /// Core's run: items until the first payment, then payments, then the report once.
    pub(crate) run: ReconcileRun,
}

impl opcorp_reconciler {
    /// Matches one payment and writes its event as a record to `out`, or, when `out` is
    /// NULL (a bulk load that only wants the report), matches it without building the event
    /// or copying its strings.
    ///
    /// # Safety
    /// `out` must be NULL or writable.
    unsafe fn push(
        &mut self,
        payment: PaymentRef<'_>,
        out: *mut *mut opcorp_record,
    ) -> Result<(), Error> {
        // SAFETY: the caller promises `out` is NULL or writable.
        let slot = unsafe { out.as_mut() };
        let engine = self.run.engine()?;
        match slot {
            Some(slot) => {
                let event = engine.push(payment.to_payment());
                *slot = guard::into_handle(record::from_model(&event)?);
            }
            None => {
                engine.absorb(payment);
            }
        }
        Ok(())
    }
}

/// A transaction record (from opcorp_transactions_next or a delivery) as core's model.
pub(crate) fn transaction(record: &opcorp_record) -> Result<Transaction, Error> {
    serde_json::from_value(record.value.clone())
        .map_err(|e| Error::invalid_input(format!("the record is not a transaction: {e}")))
}

/// Creates an empty reconciler.
///
/// Ownership: *out is owned by the caller; free it with opcorp_reconciler_free.
///
/// # Safety
/// `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_reconciler_new(out: *mut *mut opcorp_reconciler) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        *slot = guard::into_handle(opcorp_reconciler {
            run: ReconcileRun::new([]),
        });
        Ok(())
    })
}

/// Adds an open item: your id for it, the reference printed on the invoice (Finnish or RF),
/// the amount due ("120.50"), the currency ("EUR") and an optional due date "YYYY-MM-DD"
/// (NULL for none). Only before the first payment is pushed.
///
/// # Safety
/// `reconciler` must be NULL or live; strings NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_reconciler_add_item(
    reconciler: *mut opcorp_reconciler,
    id: *const c_char,
    reference: *const c_char,
    amount: *const c_char,
    currency: *const c_char,
    due_date: *const c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let reconciler = unsafe { guard::handle_mut(reconciler, "reconciler") }?;
        // SAFETY (all): forwarded from the caller.
        let item = OpenItem {
            id: unsafe { strings::arg(id, "id") }?.to_owned(),
            reference: Reference::parse(unsafe { strings::arg(reference, "reference") }?)?,
            amount: unsafe { strings::arg(amount, "amount") }?.parse()?,
            currency: unsafe { strings::arg(currency, "currency") }?.to_owned(),
            due_date: unsafe { strings::opt_arg(due_date, "due_date") }?
                .map(|d| record::parse_iso_date(d, "due_date"))
                .transpose()?,
        };
        reconciler.run.add_items([item])
    })
}

/// Matches one payment: a stable id (archive id), its reference as received (NULL for
/// none), its signed amount, currency, booking date "YYYY-MM-DD" and payer name (both may be
/// NULL). *out is the event: "event" is "matched" (with "item_id", "received" and the
/// item's "status.status": "paid", "partially_paid", "overpaid"...),
/// "unmatched" (with "reason") or "duplicate". `out` may be NULL when the event is not
/// wanted (a bulk load that only wants the report).
///
/// Ownership: *out is owned by the caller; free it with opcorp_record_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_reconciler_push(
    reconciler: *mut opcorp_reconciler,
    id: *const c_char,
    reference: *const c_char,
    amount: *const c_char,
    currency: *const c_char,
    booking_date: *const c_char,
    payer_name: *const c_char,
    out: *mut *mut opcorp_record,
) -> opcorp_status {
    guard::call(|| {
        if !out.is_null() {
            // SAFETY: non-NULL; the caller promises it is writable.
            unsafe { *out = std::ptr::null_mut() };
        }
        // SAFETY: forwarded from the caller.
        let reconciler = unsafe { guard::handle_mut(reconciler, "reconciler") }?;
        // SAFETY (all): forwarded from the caller.
        let payment = PaymentRef {
            id: unsafe { strings::arg(id, "id") }?,
            reference: unsafe { strings::opt_arg(reference, "reference") }?,
            amount: unsafe { strings::arg(amount, "amount") }?.parse::<Amount>()?,
            currency: unsafe { strings::arg(currency, "currency") }?,
            booking_date: unsafe { strings::opt_arg(booking_date, "booking_date") }?
                .map(|d| record::parse_iso_date(d, "booking_date"))
                .transpose()?,
            payer_name: unsafe { strings::opt_arg(payer_name, "payer_name") }?,
        };
        // SAFETY: forwarded from the caller.
        unsafe { reconciler.push(payment, out) }
    })
}

/// Matches a transaction record from opcorp_transactions_next or a watcher delivery: its
/// archive id, reference (Finnish or RF), amount, currency (EUR when absent), booking date
/// and payer name (core's one conversion; a debit is reported unmatched, "not_a_credit").
/// *out is the event, as for opcorp_reconciler_push (`out` may be NULL).
///
/// Ownership: *out is owned by the caller; free it with opcorp_record_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_reconciler_push_transaction(
    reconciler: *mut opcorp_reconciler,
    transaction: *const opcorp_record,
    out: *mut *mut opcorp_record,
) -> opcorp_status {
    guard::call(|| {
        if !out.is_null() {
            // SAFETY: non-NULL; the caller promises it is writable.
            unsafe { *out = std::ptr::null_mut() };
        }
        // SAFETY: forwarded from the caller.
        let reconciler = unsafe { guard::handle_mut(reconciler, "reconciler") }?;
        // SAFETY: forwarded from the caller.
        let tx = self::transaction(unsafe { guard::handle(transaction, "transaction") }?)?;
        // SAFETY: forwarded from the caller.
        unsafe { reconciler.push(PaymentRef::from(&tx), out) }
    })
}

/// Ends the run and writes the report: "items" (each with "id", "status", "received",
/// "payment_ids"...), "unmatched" payments with the likely reason, and "totals". The
/// reconciler accepts nothing afterwards (free it).
///
/// Ownership: *out is owned by the caller; free it with opcorp_record_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_reconciler_finish(
    reconciler: *mut opcorp_reconciler,
    out: *mut *mut opcorp_record,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let reconciler = unsafe { guard::handle_mut(reconciler, "reconciler") }?;
        *slot = guard::into_handle(record::from_report(reconciler.run.finish()?)?);
        Ok(())
    })
}

/// Frees a reconciler. NULL is ignored.
///
/// # Safety
/// `reconciler` must be NULL or owned, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_reconciler_free(reconciler: *mut opcorp_reconciler) {
    // SAFETY: forwarded from the caller.
    guard::infallible((), || unsafe { guard::free_handle(reconciler) });
}

/// Reconciles in one call from JSON: `items_json` is an array of open items ({"id",
/// "reference", "amount", "currency", "due_date"?}) and `payments_json` an array of payments
/// ({"id", "reference"?, "amount", "currency", "booking_date"?, "payer_name"?}). *out is the
/// report as JSON, as from opcorp_reconciler_finish.
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_reconcile_json(
    items_json: *const c_char,
    payments_json: *const c_char,
    out: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY (both): forwarded from the caller.
        let items: Vec<OpenItem> =
            serde_json::from_str(unsafe { strings::arg(items_json, "items_json") }?)
                .map_err(|e| Error::invalid_input(format!("items_json is invalid: {e}")))?;
        let payments: Vec<Payment> =
            serde_json::from_str(unsafe { strings::arg(payments_json, "payments_json") }?)
                .map_err(|e| Error::invalid_input(format!("payments_json is invalid: {e}")))?;
        let report = opcorp::reconcile::reconcile(items, payments);
        let json = serde_json::to_string(&report)
            .map_err(|e| Error::decode(format!("report cannot be written as JSON: {e}")))?;
        *slot = strings::owned(json)?;
        Ok(())
    })
}

/// Parses an ISO 20022 bank statement (camt.053 or camt.054, versions .02 and .08) held in
/// `data` (`len` bytes) and pushes every payment it holds, in file order. *out_count (may be
/// NULL) receives how many payments were pushed. A statement that fails its own control
/// sums (entry count and sum, opening + entries = closing balance, batch totals) returns
/// OPCORP_DECODE and pushes nothing: never a partial import.
///
/// # Safety
/// `reconciler` must be NULL or valid; `data` NULL (with len 0) or readable for `len`
/// bytes; `out_count` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_reconciler_push_statement(
    reconciler: *mut opcorp_reconciler,
    data: *const u8,
    len: usize,
    out_count: *mut usize,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let reconciler = unsafe { guard::handle_mut(reconciler, "reconciler") }?;
        // SAFETY: forwarded from the caller.
        let bytes = unsafe { strings::bytes_arg(data, len, "data") }?;
        let payments = opcorp::statement::read_payments_from_bytes(bytes)?;
        let count = payments.len();
        let engine = reconciler.run.engine()?;
        for payment in &payments {
            engine.absorb(payment.borrowed());
        }
        if !out_count.is_null() {
            // SAFETY: non-NULL and writable by the caller's promise.
            unsafe { *out_count = count };
        }
        Ok(())
    })
}

/// Parses an ISO 20022 bank statement (as for opcorp_reconciler_push_statement) into a JSON
/// array of payments ({"id", "reference", "amount", "currency", "booking_date",
/// "payer_name"}), the `payments_json` that opcorp_reconcile_json takes.
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// `data` must be NULL (with len 0) or readable for `len` bytes; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_statement_payments_json(
    data: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let bytes = unsafe { strings::bytes_arg(data, len, "data") }?;
        let payments = opcorp::statement::read_payments_from_bytes(bytes)?;
        let json = serde_json::to_string(&payments)
            .map_err(|e| Error::decode(format!("payments cannot be written as JSON: {e}")))?;
        *slot = strings::owned(json)?;
        Ok(())
    })
}
