//! Payments: building a SEPA or SEPA Instant payment request, sending it, and looking up
//! instant payment status.

use std::ffi::c_char;

use opcorp::model::{PaymentRequest, PaymentRequestBuilder};
use opcorp::{Amount, Error};

use crate::pending::{opcorp_operation_kind, opcorp_pending};
use crate::record::{self, opcorp_list, opcorp_record};
use crate::status::opcorp_status;
use crate::{client, client::opcorp_client, guard, runtime, strings};

/// A payment being described: either field by field or as a whole from JSON.
enum Draft {
    Fields(PaymentRequestBuilder),
    Parsed(PaymentRequest),
}

/// A SEPA credit transfer or SEPA Instant payment to send. Set debtor, creditor, amount and
/// exactly one of reference and message; everything is validated when it is sent or
/// prepared. Set an instruction id derived from your own intent (e.g. the invoice number)
/// so that a crash and retry can never pay twice; otherwise one is generated per send.
///
/// Ownership: free with opcorp_payment_request_free. Thread-safety: not thread-safe while
/// being modified; sending only reads it.
pub struct opcorp_payment_request {
    draft: Draft,
}

impl opcorp_payment_request {
    /// The validated core request.
    fn build(&self) -> Result<PaymentRequest, Error> {
        match &self.draft {
            Draft::Fields(builder) => builder.clone().build(),
            Draft::Parsed(request) => {
                request.validate_shape()?;
                Ok(request.clone())
            }
        }
    }
}

/// Creates an empty payment request.
///
/// Ownership: *out is owned by the caller; free it with opcorp_payment_request_free.
///
/// # Safety
/// `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_payment_request_new(
    out: *mut *mut opcorp_payment_request,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        *slot = guard::into_handle(opcorp_payment_request {
            draft: Draft::Fields(PaymentRequest::builder()),
        });
        Ok(())
    })
}

/// Creates a payment request from OP's JSON body ("instructionId", "debtor", "creditor",
/// "instructedAmount", "reference" or "message", "ultimateDebtor"...), for fields the
/// setters do not cover. OPCORP_INVALID_INPUT for JSON that is not a valid payment,
/// including an amount that is not a JSON string holding a plain decimal ("120.50"; never
/// "2.5e1" or a bare number).
///
/// Ownership: *out is owned by the caller; free it with opcorp_payment_request_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_payment_request_from_json(
    json: *const c_char,
    out: *mut *mut opcorp_payment_request,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let json = unsafe { strings::arg(json, "json") }?;
        let request: PaymentRequest = serde_json::from_str(json)
            .map_err(|e| Error::invalid_input(format!("payment JSON is invalid: {e}")))?;
        request.validate_shape()?;
        *slot = guard::into_handle(opcorp_payment_request {
            draft: Draft::Parsed(request),
        });
        Ok(())
    })
}

/// Applies a setter to a field-by-field request.
///
/// # Safety
/// `request` must be NULL or live and unshared.
unsafe fn update(
    request: *mut opcorp_payment_request,
    change: impl FnOnce(PaymentRequestBuilder) -> Result<PaymentRequestBuilder, Error>,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let request = unsafe { guard::handle_mut(request, "request") }?;
        match &mut request.draft {
            Draft::Fields(builder) => {
                *builder = change(std::mem::take(builder))?;
                Ok(())
            }
            Draft::Parsed(_) => Err(Error::invalid_input(
                "this request was created from JSON; change the JSON instead",
            )),
        }
    })
}

/// Sets the instruction id (1 to 35 letters or digits): OP's de-duplication key.
///
/// # Safety
/// `request` must be NULL or live; `id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_payment_request_set_instruction_id(
    request: *mut opcorp_payment_request,
    id: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    let id = unsafe { strings::arg(id, "id") };
    // SAFETY: forwarded from the caller.
    unsafe { update(request, |b| Ok(b.instruction_id(id?))) }
}

/// Sets the end-to-end id echoed to the payee.
///
/// # Safety
/// `request` must be NULL or live; `id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_payment_request_set_end_to_end_id(
    request: *mut opcorp_payment_request,
    id: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    let id = unsafe { strings::arg(id, "id") };
    // SAFETY: forwarded from the caller.
    unsafe { update(request, |b| Ok(b.end_to_end_id(id?))) }
}

/// Sets the paying account: the company's name and OP IBAN (spaces allowed).
///
/// # Safety
/// `request` must be NULL or live; strings NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_payment_request_set_debtor(
    request: *mut opcorp_payment_request,
    name: *const c_char,
    iban: *const c_char,
) -> opcorp_status {
    // SAFETY (both): forwarded from the caller.
    let name = unsafe { strings::arg(name, "name") };
    let iban = unsafe { strings::arg(iban, "iban") };
    // SAFETY: forwarded from the caller.
    unsafe { update(request, |b| Ok(b.debtor(name?, iban?))) }
}

/// Sets the payee's name and IBAN (spaces allowed).
///
/// # Safety
/// `request` must be NULL or live; strings NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_payment_request_set_creditor(
    request: *mut opcorp_payment_request,
    name: *const c_char,
    iban: *const c_char,
) -> opcorp_status {
    // SAFETY (both): forwarded from the caller.
    let name = unsafe { strings::arg(name, "name") };
    let iban = unsafe { strings::arg(iban, "iban") };
    // SAFETY: forwarded from the caller.
    unsafe { update(request, |b| Ok(b.creditor(name?, iban?))) }
}

/// Sets the amount in euros as a plain decimal string: digits, optionally a dot and one or
/// two decimals ("120.50", "5"). OPCORP_INVALID_INPUT for a sign, an exponent ("1e3"),
/// spaces, separators or more decimals; core's one strict rule for money a user sends.
///
/// # Safety
/// `request` must be NULL or live; `amount` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_payment_request_set_amount(
    request: *mut opcorp_payment_request,
    amount: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    let amount = unsafe { strings::arg(amount, "amount") };
    // SAFETY: forwarded from the caller.
    unsafe { update(request, |b| Ok(b.amount(Amount::parse_input(amount?)?))) }
}

/// Sets the amount in cents (12050 is 120.50 EUR).
///
/// # Safety
/// `request` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_payment_request_set_amount_minor(
    request: *mut opcorp_payment_request,
    minor: i64,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe { update(request, |b| Ok(b.amount(Amount::from_minor_units(minor)))) }
}

/// Sets a structured creditor reference (Finnish or RF, spaces allowed).
///
/// # Safety
/// `request` must be NULL or live; `reference` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_payment_request_set_reference(
    request: *mut opcorp_payment_request,
    reference: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    let reference = unsafe { strings::arg(reference, "reference") };
    // SAFETY: forwarded from the caller.
    unsafe { update(request, |b| Ok(b.reference(reference?))) }
}

/// Sets a free-text message (1 to 140 characters) instead of a reference.
///
/// # Safety
/// `request` must be NULL or live; `message` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_payment_request_set_message(
    request: *mut opcorp_payment_request,
    message: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    let message = unsafe { strings::arg(message, "message") };
    // SAFETY: forwarded from the caller.
    unsafe { update(request, |b| Ok(b.message(message?))) }
}

/// Frees a payment request. NULL is ignored.
///
/// # Safety
/// `request` must be NULL or owned, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_payment_request_free(request: *mut opcorp_payment_request) {
    // SAFETY: forwarded from the caller.
    guard::infallible((), || unsafe { guard::free_handle(request) });
}

/// Validates, signs and sends a payment of `kind` (SEPA or SEPA Instant).
///
/// # Safety
/// Pointers must be NULL or valid.
unsafe fn send(
    client: *const opcorp_client,
    request: *const opcorp_payment_request,
    instant: bool,
    out: *mut *mut opcorp_record,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let client = unsafe { client::get(client) }?;
        // SAFETY: forwarded from the caller.
        let request = unsafe { guard::handle(request, "request") }?.build()?;
        let payments = client.payments();
        let response = if instant {
            runtime::block_on(payments.sepa_instant(request))??
        } else {
            runtime::block_on(payments.sepa(request))??
        };
        *slot = guard::into_handle(record::from_model(&response)?);
        Ok(())
    })
}

/// Validates, signs and sends a SEPA credit transfer. *out is OP's answer: "archiveId",
/// "status" ("PROCESSING"/"PROCESSED"), "paymentType", "amount", "transactionId"...
/// OPCORP_UNKNOWN_OUTCOME when it was sent but the answer was lost: see
/// opcorp_last_error_pending.
///
/// Ownership: *out is owned by the caller; free it with opcorp_record_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_payment_sepa(
    client: *const opcorp_client,
    request: *const opcorp_payment_request,
    out: *mut *mut opcorp_record,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe { send(client, request, false, out) }
}

/// Like opcorp_payment_sepa, as a SEPA Instant payment (read "paymentType" in the answer:
/// OP may fall back to a normal transfer).
///
/// Ownership: *out is owned by the caller; free it with opcorp_record_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_payment_sepa_instant(
    client: *const opcorp_client,
    request: *const opcorp_payment_request,
    out: *mut *mut opcorp_record,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe { send(client, request, true, out) }
}

/// Validates a payment and fixes its exact body and instruction id without sending it, so
/// the caller can persist the pending operation first and then send it with
/// opcorp_pending_resolve (as often as needed, booked at most once). `kind` is
/// OPCORP_OPERATION_SEPA_PAYMENT or OPCORP_OPERATION_SEPA_INSTANT_PAYMENT.
///
/// Ownership: *out is owned by the caller; free it with opcorp_pending_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_payment_prepare(
    client: *const opcorp_client,
    request: *const opcorp_payment_request,
    kind: u32,
    out: *mut *mut opcorp_pending,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let client = unsafe { client::get(client) }?;
        // SAFETY: forwarded from the caller.
        let request = unsafe { guard::handle(request, "request") }?.build()?;
        let kind = opcorp_operation_kind::from_raw(kind)?.to_core()?;
        let inner = client.payments().prepare(request, kind)?;
        *slot = guard::into_handle(opcorp_pending { inner });
        Ok(())
    })
}

/// Looks up a SEPA Instant payment by instruction id: a list of status records.
///
/// Ownership: *out is owned by the caller; free it with opcorp_list_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_payment_instant_status(
    client: *const opcorp_client,
    instruction_id: *const c_char,
    out: *mut *mut opcorp_list,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let client = unsafe { client::get(client) }?;
        // SAFETY: forwarded from the caller.
        let id = unsafe { strings::arg(instruction_id, "instruction_id") }?;
        let statuses = runtime::block_on(client.payments().instant_status(id))??;
        *slot = guard::into_handle(record::list_of(&statuses)?);
        Ok(())
    })
}
