//! `opcorp_pending`: a signed payment or refund whose outcome is not known yet, and how to
//! resolve it safely (resend the identical body; OP de-duplicates on its id).

use std::ffi::c_char;

use opcorp::Error;
use opcorp::error::{OperationKind, PendingOperation};

use crate::record::{self, opcorp_record};
use crate::status::opcorp_status;
use crate::{client, client::opcorp_client, guard, runtime, strings};

/// Which signed write a pending operation belongs to.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum opcorp_operation_kind {
    /// Not an operation (returned for a NULL handle).
    OPCORP_OPERATION_NONE = 0,
    /// A SEPA credit transfer (POST /corporate-payment/v1/sepa-payment).
    OPCORP_OPERATION_SEPA_PAYMENT = 1,
    /// A SEPA Instant payment (POST /corporate-payment/v1/sepa-instant-payment).
    OPCORP_OPERATION_SEPA_INSTANT_PAYMENT = 2,
    /// A refund (POST /corporate-payment/v2/payment-refund).
    OPCORP_OPERATION_REFUND = 3,
}

impl opcorp_operation_kind {
    /// The C value of a core kind.
    fn from_core(kind: OperationKind) -> Self {
        match kind {
            OperationKind::SepaPayment => opcorp_operation_kind::OPCORP_OPERATION_SEPA_PAYMENT,
            OperationKind::SepaInstantPayment => {
                opcorp_operation_kind::OPCORP_OPERATION_SEPA_INSTANT_PAYMENT
            }
            OperationKind::Refund => opcorp_operation_kind::OPCORP_OPERATION_REFUND,
        }
    }

    /// The core kind of a C value.
    pub(crate) fn to_core(self) -> Result<OperationKind, Error> {
        match self {
            opcorp_operation_kind::OPCORP_OPERATION_SEPA_PAYMENT => Ok(OperationKind::SepaPayment),
            opcorp_operation_kind::OPCORP_OPERATION_SEPA_INSTANT_PAYMENT => {
                Ok(OperationKind::SepaInstantPayment)
            }
            opcorp_operation_kind::OPCORP_OPERATION_REFUND => Ok(OperationKind::Refund),
            opcorp_operation_kind::OPCORP_OPERATION_NONE => Err(Error::invalid_input(
                "operation kind is OPCORP_OPERATION_NONE",
            )),
        }
    }

    /// Reads a raw C value (C may pass any integer for an enum).
    pub(crate) fn from_raw(raw: u32) -> Result<Self, Error> {
        match raw {
            1 => Ok(opcorp_operation_kind::OPCORP_OPERATION_SEPA_PAYMENT),
            2 => Ok(opcorp_operation_kind::OPCORP_OPERATION_SEPA_INSTANT_PAYMENT),
            3 => Ok(opcorp_operation_kind::OPCORP_OPERATION_REFUND),
            other => Err(Error::invalid_input(format!(
                "unknown operation kind {other}"
            ))),
        }
    }
}

/// A signed write (payment or refund) prepared or left unresolved. Persist its kind, id and
/// body before sending when a crash must not lose it; resolve it with
/// opcorp_pending_resolve as often as needed: it never books twice.
///
/// Ownership: free with opcorp_pending_free. Thread-safety: immutable; may be read from
/// several threads at once.
pub struct opcorp_pending {
    pub(crate) inner: PendingOperation,
}

/// The kind of a pending operation (OPCORP_OPERATION_NONE for NULL).
///
/// # Safety
/// `pending` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_pending_kind(
    pending: *const opcorp_pending,
) -> opcorp_operation_kind {
    guard::infallible(opcorp_operation_kind::OPCORP_OPERATION_NONE, || {
        // SAFETY: forwarded from the caller.
        unsafe { pending.as_ref() }.map_or(opcorp_operation_kind::OPCORP_OPERATION_NONE, |p| {
            opcorp_operation_kind::from_core(p.inner.kind)
        })
    })
}

/// The de-duplication id: the instructionId of a payment or the archiveId of a refund.
///
/// Ownership: *out is owned by the caller; free it with opcorp_string_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_pending_id(
    pending: *const opcorp_pending,
    out: *mut *mut c_char,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let pending = unsafe { guard::handle(pending, "pending") }?;
        // SAFETY: forwarded from the caller.
        unsafe { strings::put(out, "out", pending.inner.id.as_str()) }
    })
}

/// The exact JSON body that is signed and sent (not NUL-terminated).
///
/// Ownership: *out_data is owned by the caller; free it with
/// opcorp_buffer_free(*out_data, *out_len).
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_pending_body(
    pending: *const opcorp_pending,
    out_data: *mut *mut u8,
    out_len: *mut usize,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY (both): forwarded from the caller.
        let data = unsafe { guard::out(out_data, "out_data") }?;
        let len = unsafe { guard::out_value(out_len, "out_len") }?;
        *len = 0;
        // SAFETY: forwarded from the caller.
        let pending = unsafe { guard::handle(pending, "pending") }?;
        strings::put_bytes(data, len, pending.inner.body.clone());
        Ok(())
    })
}

/// Recreates a pending operation from its persisted kind (an opcorp_operation_kind value),
/// id and body, e.g. after a restart.
///
/// Ownership: *out is owned by the caller; free it with opcorp_pending_free.
///
/// # Safety
/// `body` must be readable for `len` bytes; other pointers NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_pending_restore(
    kind: u32,
    id: *const c_char,
    body: *const u8,
    len: usize,
    out: *mut *mut opcorp_pending,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        let kind = opcorp_operation_kind::from_raw(kind)?.to_core()?;
        // SAFETY (both): forwarded from the caller.
        let id = unsafe { strings::arg(id, "id") }?;
        let body = unsafe { strings::bytes_arg(body, len, "body") }?;
        if id.trim().is_empty() || body.is_empty() {
            return Err(Error::invalid_input(
                "a pending operation needs an id and a body",
            ));
        }
        *slot = guard::into_handle(opcorp_pending {
            inner: PendingOperation {
                kind,
                id: id.to_owned(),
                body: body.to_vec(),
            },
        });
        Ok(())
    })
}

/// Sends a pending payment or refund (again): the identical signed body, so OP books it at
/// most once. *out is the payment answer (for payments) or the refund answer (for refunds)
/// as for opcorp_payment_sepa / opcorp_refund_create. May itself end in
/// OPCORP_UNKNOWN_OUTCOME; then call it again later.
///
/// Ownership: *out is owned by the caller; free it with opcorp_record_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_pending_resolve(
    client: *const opcorp_client,
    pending: *const opcorp_pending,
    out: *mut *mut opcorp_record,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let client = unsafe { client::get(client) }?;
        // SAFETY: forwarded from the caller.
        let pending = &unsafe { guard::handle(pending, "pending") }?.inner;
        let record = match pending.kind {
            OperationKind::Refund => {
                record::from_model(&runtime::block_on(client.refunds().resolve(pending))??)?
            }
            OperationKind::SepaPayment | OperationKind::SepaInstantPayment => {
                record::from_model(&runtime::block_on(client.payments().resolve(pending))??)?
            }
        };
        *slot = guard::into_handle(record);
        Ok(())
    })
}

/// Frees a pending operation. NULL is ignored.
///
/// # Safety
/// `pending` must be NULL or owned, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_pending_free(pending: *mut opcorp_pending) {
    // SAFETY: forwarded from the caller.
    guard::infallible((), || unsafe { guard::free_handle(pending) });
}
