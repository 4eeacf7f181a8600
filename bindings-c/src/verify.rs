//! Account Verification: Verification of Payee before paying.

use std::ffi::c_char;

use crate::record::{self, opcorp_record};
use crate::status::opcorp_status;
use crate::{client, client::opcorp_client, guard, runtime, strings};

/// Asks whether `name` matches the holder of `iban` (Verification of Payee). *out has
/// "outcome" ("MTCH", "CMTC", "NMTC", "NOAP" or another code the bank sent), "matchedName"
/// (the bank's name on a close match, else null) and "requestId". The IBAN and the name are
/// checked before any network call (OPCORP_INVALID_INPUT).
///
/// Ownership: *out is owned by the caller; free it with opcorp_record_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_verify_payee(
    client: *const opcorp_client,
    iban: *const c_char,
    name: *const c_char,
    out: *mut *mut opcorp_record,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let client = unsafe { client::get(client) }?;
        // SAFETY (both): forwarded from the caller.
        let iban = unsafe { strings::arg(iban, "iban") }?;
        let name = unsafe { strings::arg(name, "name") }?;
        let verification =
            runtime::block_on(client.account_verification().verify_payee(iban, name))??;
        *slot = guard::into_handle(record::from_model(&verification)?);
        Ok(())
    })
}
