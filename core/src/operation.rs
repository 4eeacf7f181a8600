//! Signed writes as data: which endpoint a payment or refund goes to, and the prepared
//! operation (id + exact signed bytes) that is sent, resent after an unknown outcome, and
//! stored by an outbox.
//!
//! Pure, so the native client, the WebAssembly client and the gateway prepare and identify
//! operations by one rule.

use std::fmt;

use crate::error::{Error, Result};
use crate::model::{AddressRules, PaymentRequest, RefundRequest};

/// Which signed write a [`PendingOperation`] belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationKind {
    /// `POST /corporate-payment/v1/sepa-payment`.
    SepaPayment,
    /// `POST /corporate-payment/v1/sepa-instant-payment`.
    SepaInstantPayment,
    /// `POST /corporate-payment/v2/payment-refund`.
    Refund,
}

/// A signed write whose outcome is not known: what a caller needs to resolve it.
///
/// Resending `body` unchanged (same `instructionId`, same bytes) is safe because OP
/// de-duplicates on `instructionId`; the client's `resolve_pending` does exactly that.
#[derive(Clone, PartialEq, Eq)]
pub struct PendingOperation {
    /// Which endpoint the body was sent to.
    pub kind: OperationKind,
    /// The `instructionId` (payments) or `archiveId` (refunds) that identifies the intent.
    pub id: String,
    /// The exact JSON bytes that were signed and sent.
    pub body: Vec<u8>,
}

impl fmt::Debug for PendingOperation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PendingOperation")
            .field("kind", &self.kind)
            .field("id", &self.id)
            .field("body_len", &self.body.len())
            .finish()
    }
}

impl OperationKind {
    /// Every kind, in declaration order.
    pub const ALL: [OperationKind; 3] = [
        OperationKind::SepaPayment,
        OperationKind::SepaInstantPayment,
        OperationKind::Refund,
    ];

    /// A stable snake_case name (route names, outbox rows, logs).
    pub const fn name(self) -> &'static str {
        match self {
            OperationKind::SepaPayment => "sepa_payment",
            OperationKind::SepaInstantPayment => "sepa_instant_payment",
            OperationKind::Refund => "refund",
        }
    }

    /// Parses [`OperationKind::name`] back.
    pub fn from_name(name: &str) -> Option<OperationKind> {
        OperationKind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// Validates a payment under `rules`, gives it an `instructionId` from `new_id` if it has
/// none, and serialises it once: the bytes every attempt signs and sends.
pub fn prepare_payment(
    request: PaymentRequest,
    kind: OperationKind,
    rules: AddressRules,
    new_id: impl FnOnce() -> String,
) -> Result<PendingOperation> {
    if kind == OperationKind::Refund {
        return Err(Error::invalid_input(
            "a payment is a SepaPayment or a SepaInstantPayment, not a Refund",
        ));
    }
    let mut request = request;
    let id = request.instruction_id.get_or_insert_with(new_id).clone();
    let body = request.to_body_with(rules)?;
    Ok(PendingOperation { kind, id, body })
}

/// Validates and serialises a refund; its id is the refunded transaction's archive id.
pub fn prepare_refund(request: &RefundRequest) -> Result<PendingOperation> {
    Ok(PendingOperation {
        kind: OperationKind::Refund,
        id: request.archive_id.clone(),
        body: request.to_body()?,
    })
}

/// An `instructionId` from a UUIDv4's text: its 32 hex digits (fits `^[a-zA-Z0-9]{1,35}$`).
pub fn instruction_id_from_uuid(uuid: &str) -> String {
    uuid.chars().filter(char::is_ascii_hexdigit).collect()
}
