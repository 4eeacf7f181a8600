//! Transactions through a cursor: `opcorp_transaction_query` says where to start,
//! `opcorp_transactions_next` pages through OP's list one record at a time.

use std::ffi::c_char;
use std::pin::Pin;

use futures::{Stream, StreamExt};
use opcorp::Error;
use opcorp::api::TransactionQuery;
use opcorp::config::TransactionsVersion;
use opcorp::model::Transaction;

use crate::record::{self, opcorp_record};
use crate::status::opcorp_status;
use crate::{client, client::opcorp_client, guard, runtime, strings};

/// Where a transaction listing starts and ends. Default: every transaction the bank lists,
/// with the client's default API version and the largest page size.
///
/// Ownership: free with opcorp_transaction_query_free. Thread-safety: not thread-safe.
pub struct opcorp_transaction_query {
    inner: TransactionQuery,
}

/// A cursor over one account's transactions, oldest first, fetched page by page as
/// opcorp_transactions_next is called.
///
/// Ownership: free with opcorp_transactions_free. Thread-safety: not thread-safe; use a
/// cursor from one thread at a time (different cursors may run in parallel).
pub struct opcorp_transactions {
    stream: Pin<Box<dyn Stream<Item = opcorp::Result<Transaction>> + Send>>,
    done: bool,
}

/// Creates a default query.
///
/// Ownership: *out is owned by the caller; free it with opcorp_transaction_query_free.
///
/// # Safety
/// `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_transaction_query_new(
    out: *mut *mut opcorp_transaction_query,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        *slot = guard::into_handle(opcorp_transaction_query {
            inner: TransactionQuery::new(),
        });
        Ok(())
    })
}

/// Applies a change to a query.
///
/// # Safety
/// `query` must be NULL or live and unshared.
unsafe fn update(
    query: *mut opcorp_transaction_query,
    change: impl FnOnce(TransactionQuery) -> Result<TransactionQuery, Error>,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let query = unsafe { guard::handle_mut(query, "query") }?;
        query.inner = change(query.inner.clone())?;
        Ok(())
    })
}

/// Starts at transactions registered at or after this time (microseconds since the Unix
/// epoch, as in a transaction's "timestamp").
///
/// # Safety
/// `query` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_transaction_query_set_from_timestamp(
    query: *mut opcorp_transaction_query,
    micros: i64,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe { update(query, |q| Ok(q.from_timestamp_micros(micros))) }
}

/// Starts at the beginning of this day (UTC), "YYYY-MM-DD".
///
/// # Safety
/// `query` must be NULL or live; `date` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_transaction_query_set_from_date(
    query: *mut opcorp_transaction_query,
    date: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    let date = unsafe { strings::arg(date, "date") };
    // SAFETY: forwarded from the caller.
    unsafe {
        update(query, |q| {
            Ok(q.from_date(record::parse_iso_date(date?, "date")?))
        })
    }
}

/// Continues after the transaction with this objectId (resuming a saved position).
///
/// # Safety
/// `query` must be NULL or live; `object_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_transaction_query_set_after_object_id(
    query: *mut opcorp_transaction_query,
    object_id: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    let id = unsafe { strings::arg(object_id, "object_id") };
    // SAFETY: forwarded from the caller.
    unsafe { update(query, |q| Ok(q.after_object_id(id?))) }
}

/// Stops after this booking day, "YYYY-MM-DD".
///
/// # Safety
/// `query` must be NULL or live; `date` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_transaction_query_set_to_date(
    query: *mut opcorp_transaction_query,
    date: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    let date = unsafe { strings::arg(date, "date") };
    // SAFETY: forwarded from the caller.
    unsafe { update(query, |q| Ok(q.to(record::parse_iso_date(date?, "date")?))) }
}

/// Selects the Account Data transactions API version: 2, 3, or 0 for auto (the default:
/// V3, falling back to V2 once on a 404, remembered by the client).
///
/// # Safety
/// `query` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_transaction_query_set_version(
    query: *mut opcorp_transaction_query,
    version: u32,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(query, |q| {
            let version = match version {
                0 => TransactionsVersion::Auto,
                number => TransactionsVersion::from_number(number)?,
            };
            Ok(q.version(version))
        })
    }
}

/// Sets the page size (1 up to the API's maximum, 150 for V2 and 1000 for V3).
///
/// # Safety
/// `query` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_transaction_query_set_page_size(
    query: *mut opcorp_transaction_query,
    size: usize,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(query, |q| match size {
            0 => Err(Error::invalid_input("page size must be at least 1")),
            n => Ok(q.page_size(n)),
        })
    }
}

/// Frees a query. NULL is ignored.
///
/// # Safety
/// `query` must be NULL or an owned query, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_transaction_query_free(query: *mut opcorp_transaction_query) {
    // SAFETY: forwarded from the caller.
    guard::infallible((), || unsafe { guard::free_handle(query) });
}

/// Opens a cursor over an account's transactions. `query` may be NULL for the defaults.
/// Nothing is fetched until the first opcorp_transactions_next.
///
/// Ownership: *out is owned by the caller; free it with opcorp_transactions_free. The query
/// is not consumed.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_transactions_open(
    client: *const opcorp_client,
    surrogate_id: *const c_char,
    query: *const opcorp_transaction_query,
    out: *mut *mut opcorp_transactions,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let client = unsafe { client::get(client) }?;
        // SAFETY: forwarded from the caller.
        let id = unsafe { strings::arg(surrogate_id, "surrogate_id") }?;
        // SAFETY: forwarded from the caller.
        let query = unsafe { query.as_ref() }
            .map(|q| q.inner.clone())
            .unwrap_or_default();
        let stream = client.account_data().transactions(id, query);
        *slot = guard::into_handle(opcorp_transactions {
            stream: Box::pin(stream),
            done: false,
        });
        Ok(())
    })
}

/// Fetches the next transaction. On OPCORP_OK, *out is the transaction, or NULL when the
/// listing is complete. Records have "amount", "archiveId", "objectId", "timestamp",
/// "bookingDate", "reference", "rfReference", "message", "debtorName"... Failed pages are
/// retried inside the library; an error returned here ends the cursor (later calls give
/// NULL), so resume with a new cursor from the last "objectId" seen
/// (opcorp_transaction_query_set_after_object_id).
///
/// Ownership: *out is owned by the caller; free it with opcorp_record_free.
///
/// # Safety
/// Pointers must be NULL or valid; the cursor must not be used by another thread meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_transactions_next(
    cursor: *mut opcorp_transactions,
    out: *mut *mut opcorp_record,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let cursor = unsafe { guard::handle_mut(cursor, "cursor") }?;
        if cursor.done {
            return Ok(());
        }
        match runtime::block_on(cursor.stream.next())? {
            None => cursor.done = true,
            Some(Err(e)) => {
                cursor.done = true;
                return Err(e);
            }
            Some(Ok(transaction)) => {
                *slot = guard::into_handle(record::from_model(&transaction)?);
            }
        }
        Ok(())
    })
}

/// Frees a cursor. NULL is ignored.
///
/// # Safety
/// `cursor` must be NULL or an owned cursor, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_transactions_free(cursor: *mut opcorp_transactions) {
    guard::infallible((), || {
        let _context = runtime::existing().map(|rt| rt.enter());
        // SAFETY: forwarded from the caller.
        unsafe { guard::free_handle(cursor) }
    });
}
