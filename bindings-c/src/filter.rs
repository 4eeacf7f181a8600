//! Transaction Filter (search an account's credits or debits) and Transaction Info (who
//! paid a credit).

use std::ffi::c_char;

use opcorp::model::{FilterQuery, PayerDetailsQuery};
use opcorp::{Amount, Error};

use crate::record::{self, opcorp_record};
use crate::status::opcorp_status;
use crate::{client, client::opcorp_client, guard, runtime, strings};

/// A search on one account over at most 30 days, optionally narrowed by reference, amount
/// range and counterparty name.
///
/// Ownership: free with opcorp_filter_query_free. Thread-safety: not thread-safe while
/// being modified; searching only reads it.
pub struct opcorp_filter_query {
    inner: FilterQuery,
}

/// Creates a search on `account_iban` from the start of `from_date` to the end of `to_date`
/// (UTC days "YYYY-MM-DD", at most 30 days apart; checked when searching).
///
/// Ownership: *out is owned by the caller; free it with opcorp_filter_query_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_filter_query_new(
    account_iban: *const c_char,
    from_date: *const c_char,
    to_date: *const c_char,
    out: *mut *mut opcorp_filter_query,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY (all three): forwarded from the caller.
        let iban = unsafe { strings::arg(account_iban, "account_iban") }?;
        let from = record::parse_iso_date(
            unsafe { strings::arg(from_date, "from_date") }?,
            "from_date",
        )?;
        let to = record::parse_iso_date(unsafe { strings::arg(to_date, "to_date") }?, "to_date")?;
        *slot = guard::into_handle(opcorp_filter_query {
            inner: FilterQuery::for_dates(iban, from, to)?,
        });
        Ok(())
    })
}

/// Applies a change to a filter query.
///
/// # Safety
/// `query` must be NULL or live and unshared; `value` NULL or NUL-terminated.
unsafe fn set(
    query: *mut opcorp_filter_query,
    value: *const c_char,
    apply: impl FnOnce(&mut FilterQuery, &str) -> Result<(), Error>,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let query = unsafe { guard::handle_mut(query, "query") }?;
        // SAFETY: forwarded from the caller.
        let value = unsafe { strings::arg(value, "value") }?;
        apply(&mut query.inner, value)
    })
}

/// Matches only this creditor reference (zero padding ignored).
///
/// # Safety
/// `query` must be NULL or live; `reference` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_filter_query_set_reference(
    query: *mut opcorp_filter_query,
    reference: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        set(query, reference, |q, v| {
            q.reference = Some(v.to_owned());
            Ok(())
        })
    }
}

/// Matches only amounts from `min` to `max` (decimal strings; either may be NULL).
///
/// # Safety
/// `query` must be NULL or live; strings NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_filter_query_set_amount_range(
    query: *mut opcorp_filter_query,
    min: *const c_char,
    max: *const c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let query = unsafe { guard::handle_mut(query, "query") }?;
        // SAFETY (both): forwarded from the caller.
        let min = unsafe { strings::opt_arg(min, "min") }?
            .map(str::parse::<Amount>)
            .transpose()?;
        let max = unsafe { strings::opt_arg(max, "max") }?
            .map(str::parse::<Amount>)
            .transpose()?;
        query.inner.min_amount = min;
        query.inner.max_amount = max;
        Ok(())
    })
}

/// Matches only this payer name (credit searches).
///
/// # Safety
/// `query` must be NULL or live; `name` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_filter_query_set_debtor_name(
    query: *mut opcorp_filter_query,
    name: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        set(query, name, |q, v| {
            q.debtor_name = Some(v.to_owned());
            Ok(())
        })
    }
}

/// Matches only this payee name (debit searches).
///
/// # Safety
/// `query` must be NULL or live; `name` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_filter_query_set_creditor_name(
    query: *mut opcorp_filter_query,
    name: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        set(query, name, |q, v| {
            q.creditor_name = Some(v.to_owned());
            Ok(())
        })
    }
}

/// Frees a filter query. NULL is ignored.
///
/// # Safety
/// `query` must be NULL or owned, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_filter_query_free(query: *mut opcorp_filter_query) {
    // SAFETY: forwarded from the caller.
    guard::infallible((), || unsafe { guard::free_handle(query) });
}

/// Runs a credit or debit search.
///
/// # Safety
/// Pointers must be NULL or valid.
unsafe fn search(
    client: *const opcorp_client,
    query: *const opcorp_filter_query,
    credit: bool,
    out: *mut *mut opcorp_record,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let client = unsafe { client::get(client) }?;
        // SAFETY: forwarded from the caller.
        let query = &unsafe { guard::handle(query, "query") }?.inner;
        let filter = client.transaction_filter();
        let result = if credit {
            runtime::block_on(filter.credit(query))??
        } else {
            runtime::block_on(filter.debit(query))??
        };
        *slot = guard::into_handle(record::from_model(&result)?);
        Ok(())
    })
}

/// Searches incoming payments. *out has "transactions" (at most 10; read them with paths
/// such as "transactions.0.amount" and opcorp_record_len(r, "transactions", &n)) and
/// "skipped": how many more matched. Non-zero "skipped" means the list is incomplete:
/// narrow the search.
///
/// Ownership: *out is owned by the caller; free it with opcorp_record_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_filter_credit(
    client: *const opcorp_client,
    query: *const opcorp_filter_query,
    out: *mut *mut opcorp_record,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe { search(client, query, true, out) }
}

/// Searches outgoing payments; the result is as for opcorp_filter_credit.
///
/// Ownership: *out is owned by the caller; free it with opcorp_record_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_filter_debit(
    client: *const opcorp_client,
    query: *const opcorp_filter_query,
    out: *mut *mut opcorp_record,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe { search(client, query, false, out) }
}

/// Looks up who paid a credit transaction: the receiving account, the transaction's archive
/// id and optionally its booking date "YYYY-MM-DD" (NULL when unknown). *out has
/// "payerName" and "payerAddress" (only for payments from OP accounts).
///
/// Ownership: *out is owned by the caller; free it with opcorp_record_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_payer_details(
    client: *const opcorp_client,
    account_iban: *const c_char,
    archive_id: *const c_char,
    booking_date: *const c_char,
    out: *mut *mut opcorp_record,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let client = unsafe { client::get(client) }?;
        // SAFETY (all three): forwarded from the caller.
        let iban = unsafe { strings::arg(account_iban, "account_iban") }?;
        let archive_id = unsafe { strings::arg(archive_id, "archive_id") }?;
        let date = unsafe { strings::opt_arg(booking_date, "booking_date") }?
            .map(|d| record::parse_iso_date(d, "booking_date"))
            .transpose()?;
        let mut query = PayerDetailsQuery::new(iban, archive_id)?;
        query.booking_date = date;
        let details = runtime::block_on(client.transaction_info().payer_details(&query))??;
        *slot = guard::into_handle(record::from_model(&details)?);
        Ok(())
    })
}
