//! Account Data: the account list, account details and mandates (Service Provider API).

use std::ffi::c_char;

use crate::record::{self, opcorp_list, opcorp_record};
use crate::status::opcorp_status;
use crate::{client, client::opcorp_client, guard, runtime, strings};

/// Lists the company's accounts. Each record has "iban", "surrogateId" (the handle for
/// the other calls), "balance" (amount), "currency", "name", "bic"...
///
/// Ownership: *out is owned by the caller; free it with opcorp_list_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_accounts_list(
    client: *const opcorp_client,
    out: *mut *mut opcorp_list,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let client = unsafe { client::get(client) }?;
        let accounts = runtime::block_on(client.account_data().accounts())??;
        *slot = guard::into_handle(record::list_of(&accounts)?);
        Ok(())
    })
}

/// Fetches one account's details by surrogate id ("iban", "accountName", "netBalance",
/// "grossBalance", "creditLimit", "creationDate"...). OPCORP_NOT_FOUND for an unknown id.
///
/// Ownership: *out is owned by the caller; free it with opcorp_record_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_account_get(
    client: *const opcorp_client,
    surrogate_id: *const c_char,
    out: *mut *mut opcorp_record,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let client = unsafe { client::get(client) }?;
        // SAFETY: forwarded from the caller.
        let id = unsafe { strings::arg(surrogate_id, "surrogate_id") }?;
        let details = runtime::block_on(client.account_data().account(id))??;
        *slot = guard::into_handle(record::from_model(&details)?);
        Ok(())
    })
}

/// Lists the mandates client companies gave this service provider ("mandateId",
/// "companyName", "businessId", "apis", "validFrom", "status").
///
/// Ownership: *out is owned by the caller; free it with opcorp_list_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_mandates_list(
    client: *const opcorp_client,
    out: *mut *mut opcorp_list,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let client = unsafe { client::get(client) }?;
        let mandates = runtime::block_on(client.service_provider().mandates())??;
        *slot = guard::into_handle(record::list_of(&mandates)?);
        Ok(())
    })
}
