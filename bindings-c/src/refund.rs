//! Refunds of incoming payments (Refund API v2).

use std::ffi::c_char;

use opcorp::model::RefundRequest;
use opcorp::{Amount, Error};

use crate::pending::opcorp_pending;
use crate::record::{self, opcorp_record};
use crate::status::opcorp_status;
use crate::{client, client::opcorp_client, guard, runtime, strings};

/// Builds and validates a refund request from C arguments.
///
/// # Safety
/// Every pointer must be NULL or NUL-terminated.
unsafe fn request(
    archive_id: *const c_char,
    amount: *const c_char,
    message: *const c_char,
    account_iban: *const c_char,
    transaction_date: *const c_char,
    end_to_end_id: *const c_char,
) -> Result<RefundRequest, Error> {
    // SAFETY (all): forwarded from the caller.
    let archive_id = unsafe { strings::arg(archive_id, "archive_id") }?;
    let amount = Amount::parse_input(unsafe { strings::arg(amount, "amount") }?)?;
    let message = unsafe { strings::arg(message, "message") }?;
    let iban = unsafe { strings::arg(account_iban, "account_iban") }?;
    let date = unsafe { strings::arg(transaction_date, "transaction_date") }?;
    let end_to_end_id = unsafe { strings::opt_arg(end_to_end_id, "end_to_end_id") }?;
    let date = record::parse_iso_date(date, "transaction_date")?;
    let mut request = RefundRequest::new(archive_id, amount, message, iban, date)?;
    if let Some(id) = end_to_end_id {
        request = request.with_end_to_end_id(id);
        request.validate()?;
    }
    Ok(request)
}

/// Refunds an incoming payment, fully or in part: its archive id, the amount to return
/// ("49.00"), a message, the company account that received it, its date "YYYY-MM-DD" and an
/// optional end-to-end id (NULL for none). A payment is refunded at most once: the archive
/// id is the de-duplication key. *out has "original" and "refund" parts (use paths such as
/// "refund.archiveId"). OPCORP_REJECTED when OP refuses (e.g. already refunded),
/// OPCORP_UNKNOWN_OUTCOME when the answer was lost (see opcorp_last_error_pending).
///
/// Ownership: *out is owned by the caller; free it with opcorp_record_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_refund_create(
    client: *const opcorp_client,
    archive_id: *const c_char,
    amount: *const c_char,
    message: *const c_char,
    account_iban: *const c_char,
    transaction_date: *const c_char,
    end_to_end_id: *const c_char,
    out: *mut *mut opcorp_record,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let client = unsafe { client::get(client) }?;
        // SAFETY: forwarded from the caller.
        let request = unsafe {
            request(
                archive_id,
                amount,
                message,
                account_iban,
                transaction_date,
                end_to_end_id,
            )
        }?;
        let response = runtime::block_on(client.refunds().create(request))??;
        *slot = guard::into_handle(record::from_model(&response)?);
        Ok(())
    })
}

/// Validates a refund and fixes its exact body without sending it (see
/// opcorp_payment_prepare); send it with opcorp_pending_resolve.
///
/// Ownership: *out is owned by the caller; free it with opcorp_pending_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_refund_prepare(
    client: *const opcorp_client,
    archive_id: *const c_char,
    amount: *const c_char,
    message: *const c_char,
    account_iban: *const c_char,
    transaction_date: *const c_char,
    end_to_end_id: *const c_char,
    out: *mut *mut opcorp_pending,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let client = unsafe { client::get(client) }?;
        // SAFETY: forwarded from the caller.
        let request = unsafe {
            request(
                archive_id,
                amount,
                message,
                account_iban,
                transaction_date,
                end_to_end_id,
            )
        }?;
        let inner = client.refunds().prepare(&request)?;
        *slot = guard::into_handle(opcorp_pending { inner });
        Ok(())
    })
}
