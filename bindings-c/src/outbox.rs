//! `opcorp_outbox`: core's exactly-once payment outbox (one SQLite file) for C callers.
//!
//! Every rule (intent keys, derived instruction ids, conflicts, settling unknown outcomes,
//! what counts as rejected) is core's `opcorp::outbox`; these functions only convert. Orders
//! go in as OP's JSON bodies (amounts by core's strict rule) and entries come out as the
//! JSON core defines for every host (`OutboxEntry::to_json`).

use std::ffi::c_char;

use opcorp::Error;
use opcorp::model::{PaymentRequest, RefundRequest};
use opcorp::outbox::{ListFilter, Outbox, OutboxEntry, OutboxOrder};

use crate::status::opcorp_status;
use crate::{client, client::opcorp_client, guard, runtime, strings};

/// A payment outbox: payments and refunds keyed by the caller's intent key (e.g. a CRM
/// event id), stored durably before the first send, paid at most once.
///
/// Entries are JSON objects: "intent", "kind" ("sepa_payment", "sepa_instant_payment",
/// "refund"), "id" (instructionId, or the refunded archiveId), "attempts", "createdMs",
/// "updatedMs", "state" ("succeeded", "rejected" or "unknown"), and "archiveId" with
/// "receipt" when succeeded or "error" {"code", "message", "status"} otherwise.
///
/// Ownership: free with opcorp_outbox_free. It holds its own reference to the client, so
/// it stays usable after the client is freed. Thread-safety: thread-safe; several threads
/// (and processes sharing the file) may submit and drive at once.
pub struct opcorp_outbox {
    inner: Outbox,
}

/// Borrows the outbox argument.
///
/// # Safety
/// `outbox` must be NULL or live.
unsafe fn get<'a>(outbox: *const opcorp_outbox) -> Result<&'a Outbox, Error> {
    // SAFETY: forwarded from the caller.
    unsafe { guard::handle(outbox, "outbox") }.map(|o| &o.inner)
}

/// Writes an entry (or list, or null) as JSON text to a checked out-parameter.
fn put_json(out: &mut *mut c_char, value: &serde_json::Value) -> Result<(), Error> {
    *out = strings::owned(value.to_string())?;
    Ok(())
}

/// JSON array of entries.
fn entries(list: &[OutboxEntry]) -> serde_json::Value {
    serde_json::Value::Array(list.iter().map(OutboxEntry::to_json).collect())
}

/// Opens (creates when missing) the outbox in the SQLite file at `path`, paying with
/// `client`. OPCORP_CONFIG when the file cannot be opened or is not an outbox.
///
/// Ownership: *out is owned by the caller; free it with opcorp_outbox_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_outbox_open(
    client: *const opcorp_client,
    path: *const c_char,
    out: *mut *mut opcorp_outbox,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let client = unsafe { client::get(client) }?;
        // SAFETY: forwarded from the caller.
        let path = unsafe { strings::arg(path, "path") }?;
        let inner = Outbox::open(client.clone(), path)?;
        *slot = guard::into_handle(opcorp_outbox { inner });
        Ok(())
    })
}

/// Submits `order` for `intent` and writes its entry.
///
/// # Safety
/// Pointers must be NULL or valid.
unsafe fn submit(
    outbox: *const opcorp_outbox,
    intent: *const c_char,
    out_entry_json: *mut *mut c_char,
    order: impl FnOnce() -> Result<OutboxOrder, Error>,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out_entry_json, "out_entry_json") }?;
        // SAFETY: forwarded from the caller.
        let outbox = unsafe { get(outbox) }?;
        // SAFETY: forwarded from the caller.
        let intent = unsafe { strings::arg(intent, "intent") }?;
        let order = order()?;
        let entry = runtime::block_on(outbox.submit(intent, order))??;
        put_json(slot, &entry.to_json())
    })
}

/// Parses a payment request from OP's JSON body (as opcorp_payment_request_from_json).
///
/// # Safety
/// `json` must be NULL or NUL-terminated.
unsafe fn payment(json: *const c_char) -> Result<PaymentRequest, Error> {
    // SAFETY: forwarded from the caller.
    let json = unsafe { strings::arg(json, "payment_json") }?;
    serde_json::from_str(json)
        .map_err(|e| Error::invalid_input(format!("payment JSON is invalid: {e}")))
}

/// Pays the SEPA credit transfer `payment_json` (OP's JSON body, as for
/// opcorp_payment_request_from_json) exactly once for `intent` and writes its entry. A
/// second submit of the same intent returns the first outcome without paying again;
/// OPCORP_CONFLICT for a different order under it. An entry whose state is "unknown" is
/// settled later by opcorp_outbox_drive.
///
/// Ownership: *out_entry_json is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_outbox_submit_payment_json(
    outbox: *const opcorp_outbox,
    intent: *const c_char,
    payment_json: *const c_char,
    out_entry_json: *mut *mut c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    let order = || OutboxOrder::from_parts(Some(unsafe { payment(payment_json) }?), None, false);
    // SAFETY: forwarded from the caller.
    unsafe { submit(outbox, intent, out_entry_json, order) }
}

/// Like opcorp_outbox_submit_payment_json for a SEPA Instant payment; after a lost answer
/// it is settled through OP's instant status lookup first.
///
/// Ownership: *out_entry_json is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_outbox_submit_instant_payment_json(
    outbox: *const opcorp_outbox,
    intent: *const c_char,
    payment_json: *const c_char,
    out_entry_json: *mut *mut c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    let order = || OutboxOrder::from_parts(Some(unsafe { payment(payment_json) }?), None, true);
    // SAFETY: forwarded from the caller.
    unsafe { submit(outbox, intent, out_entry_json, order) }
}

/// Refunds exactly once for `intent` the refund `refund_json`: {"archiveId", "amount"
/// (decimal string), "message", "accountIban", "transactionDate" ("YYYY-MM-DD"), optional
/// "endToEndId"}. Otherwise as opcorp_outbox_submit_payment_json.
///
/// Ownership: *out_entry_json is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_outbox_submit_refund_json(
    outbox: *const opcorp_outbox,
    intent: *const c_char,
    refund_json: *const c_char,
    out_entry_json: *mut *mut c_char,
) -> opcorp_status {
    let order = || {
        // SAFETY: forwarded from the caller.
        let json = unsafe { strings::arg(refund_json, "refund_json") }?;
        let request: RefundRequest = serde_json::from_str(json)
            .map_err(|e| Error::invalid_input(format!("refund JSON is invalid: {e}")))?;
        OutboxOrder::from_parts(None, Some(request), false)
    };
    // SAFETY: forwarded from the caller.
    unsafe { submit(outbox, intent, out_entry_json, order) }
}

/// Settles every entry whose outcome is unknown (status lookup, identical resend, or the
/// booked refund found on the account) and writes the entries as recorded afterwards (a
/// JSON array, oldest first; entries still "unknown" are retried by a later drive).
///
/// Ownership: *out_json is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_outbox_drive(
    outbox: *const opcorp_outbox,
    out_json: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out_json, "out_json") }?;
        // SAFETY: forwarded from the caller.
        let outbox = unsafe { get(outbox) }?;
        let driven = runtime::block_on(outbox.drive())??;
        put_json(slot, &entries(&driven))
    })
}

/// Writes the stored entries as a JSON array, oldest first; with `unsettled_only` only
/// those whose outcome is unknown.
///
/// Ownership: *out_json is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_outbox_list(
    outbox: *const opcorp_outbox,
    unsettled_only: bool,
    out_json: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out_json, "out_json") }?;
        // SAFETY: forwarded from the caller.
        let outbox = unsafe { get(outbox) }?;
        let filter = if unsettled_only {
            ListFilter::Unsettled
        } else {
            ListFilter::All
        };
        let list = runtime::block_on(outbox.list(filter))??;
        put_json(slot, &entries(&list))
    })
}

/// Writes the entry of `intent` as a JSON object, or the text "null" when the outbox holds
/// no such intent.
///
/// Ownership: *out_entry_json is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_outbox_get(
    outbox: *const opcorp_outbox,
    intent: *const c_char,
    out_entry_json: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out_entry_json, "out_entry_json") }?;
        // SAFETY: forwarded from the caller.
        let outbox = unsafe { get(outbox) }?;
        // SAFETY: forwarded from the caller.
        let intent = unsafe { strings::arg(intent, "intent") }?;
        let entry = runtime::block_on(outbox.get(intent))??;
        let json = entry.map_or(serde_json::Value::Null, |e| e.to_json());
        put_json(slot, &json)
    })
}

/// Frees an outbox. NULL is ignored. Entries stay in the file.
///
/// # Safety
/// `outbox` must be NULL or owned, not used by another thread, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_outbox_free(outbox: *mut opcorp_outbox) {
    // Its client reference may be the last one; dropping reqwest's client may touch the
    // runtime, so enter it when it exists (as opcorp_client_free does).
    guard::infallible((), || {
        let _context = runtime::existing().map(|rt| rt.enter());
        // SAFETY: forwarded from the caller.
        unsafe { guard::free_handle(outbox) }
    });
}
