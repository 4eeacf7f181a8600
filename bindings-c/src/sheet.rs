//! Spreadsheets from C: transactions and reconciliation reports as `.xlsx` bytes, open items
//! read from a workbook (`.xlsx`, `.xls`, `.ods`). Layout and cell rules are core's
//! (`opcorp::sheet`); this file only converts.

use std::ffi::c_char;

use opcorp::Error;
use opcorp::sheet::TransactionsWorkbook;

use crate::reconcile::{self, opcorp_reconciler};
use crate::record::opcorp_record;
use crate::status::opcorp_status;
use crate::{guard, strings};

/// A transactions workbook being written: push transaction records as they arrive from a
/// cursor or a watcher (they are copied), then take the `.xlsx` bytes.
///
/// Ownership: free with opcorp_transactions_workbook_free. Thread-safety: not thread-safe.
pub struct opcorp_transactions_workbook {
    /// None once the bytes were taken.
    workbook: Option<TransactionsWorkbook>,
}

/// Writes `bytes` to the caller's buffer out-parameters.
///
/// # Safety
/// Both pointers must be NULL or writable.
unsafe fn put_workbook(
    out_data: *mut *mut u8,
    out_len: *mut usize,
    bytes: impl FnOnce() -> Result<Vec<u8>, Error>,
) -> Result<(), Error> {
    // SAFETY (both): forwarded from the caller.
    let data = unsafe { guard::out(out_data, "out_data") }?;
    let len = unsafe { guard::out_value(out_len, "out_len") }?;
    *len = 0;
    strings::put_bytes(data, len, bytes()?);
    Ok(())
}

/// Starts a transactions workbook: one sheet with a header row (booked, value date, amount,
/// currency, reference, counterparty, ...), dates as dates, amounts as numbers with two
/// decimals, ids and references as text.
///
/// Ownership: *out is owned by the caller; free it with opcorp_transactions_workbook_free.
///
/// # Safety
/// `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_transactions_workbook_new(
    out: *mut *mut opcorp_transactions_workbook,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        *slot = guard::into_handle(opcorp_transactions_workbook {
            workbook: Some(TransactionsWorkbook::new()?),
        });
        Ok(())
    })
}

/// Appends one transaction record (from opcorp_transactions_next or a watcher delivery) as
/// a row. OPCORP_INVALID_INPUT for a record that is not a transaction, after the bytes were
/// taken, or past Excel's row limit.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_transactions_workbook_push(
    workbook: *mut opcorp_transactions_workbook,
    transaction: *const opcorp_record,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let workbook = unsafe { guard::handle_mut(workbook, "workbook") }?;
        // SAFETY: forwarded from the caller.
        let tx = reconcile::transaction(unsafe { guard::handle(transaction, "transaction") }?)?;
        workbook
            .workbook
            .as_mut()
            .ok_or_else(|| Error::invalid_input("the workbook's bytes were already taken"))?
            .push(&tx)
    })
}

/// Ends the workbook and writes its `.xlsx` bytes. The workbook accepts nothing afterwards
/// (free it).
///
/// Ownership: *out_data is owned by the caller; free it with
/// opcorp_buffer_free(*out_data, *out_len).
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_transactions_workbook_finish(
    workbook: *mut opcorp_transactions_workbook,
    out_data: *mut *mut u8,
    out_len: *mut usize,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let workbook = unsafe { guard::handle_mut(workbook, "workbook") }?;
        // SAFETY: forwarded from the caller.
        unsafe {
            put_workbook(out_data, out_len, || {
                workbook
                    .workbook
                    .take()
                    .ok_or_else(|| Error::invalid_input("the workbook's bytes were already taken"))?
                    .finish()
            })
        }
    })
}

/// Frees a transactions workbook. NULL is ignored.
///
/// # Safety
/// `workbook` must be NULL or owned, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_transactions_workbook_free(
    workbook: *mut opcorp_transactions_workbook,
) {
    // SAFETY: forwarded from the caller.
    guard::infallible((), || unsafe { guard::free_handle(workbook) });
}

/// Adds the open items of a workbook (`len` bytes of `.xlsx`, `.xls` or `.ods`): the first
/// sheet's header row names the columns as in the CSV the CLI reads (`id`, `reference`,
/// `amount`, optional `currency`, `due`). A bad cell is OPCORP_INVALID_INPUT naming it
/// ("cell C4 (amount): ...") and adds nothing. *out_count (may be NULL) receives how many
/// items were added. Only before the first payment is pushed.
///
/// # Safety
/// `reconciler` must be NULL or valid; `data` NULL (with len 0) or readable for `len`
/// bytes; `out_count` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_reconciler_add_workbook(
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
        let items = opcorp::sheet::read_open_items(bytes)?;
        let count = items.len();
        reconciler.run.add_items(items)?;
        if !out_count.is_null() {
            // SAFETY: non-NULL and writable by the caller's promise.
            unsafe { *out_count = count };
        }
        Ok(())
    })
}

/// Reads the open items of a workbook (as for opcorp_reconciler_add_workbook) into a JSON
/// array ({"id", "reference", "amount", "currency", "due_date"}), the `items_json` that
/// opcorp_reconcile_json takes.
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// `data` must be NULL (with len 0) or readable for `len` bytes; `out` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_workbook_items_json(
    data: *const u8,
    len: usize,
    out: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let bytes = unsafe { strings::bytes_arg(data, len, "data") }?;
        let items = opcorp::sheet::read_open_items(bytes)?;
        let json = serde_json::to_string(&items)
            .map_err(|e| Error::decode(format!("items cannot be written as JSON: {e}")))?;
        *slot = strings::owned(json)?;
        Ok(())
    })
}

/// Ends the run (as opcorp_reconciler_finish) and writes the report as an `.xlsx` workbook:
/// a summary sheet and one sheet per outcome. The reconciler accepts nothing afterwards.
///
/// Ownership: *out_data is owned by the caller; free it with
/// opcorp_buffer_free(*out_data, *out_len).
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_reconciler_finish_xlsx(
    reconciler: *mut opcorp_reconciler,
    out_data: *mut *mut u8,
    out_len: *mut usize,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let reconciler = unsafe { guard::handle_mut(reconciler, "reconciler") }?;
        // SAFETY: forwarded from the caller.
        unsafe {
            put_workbook(out_data, out_len, || {
                opcorp::sheet::reconcile_xlsx(&reconciler.run.finish()?)
            })
        }
    })
}
