//! What the outbox stores per intent, and the outcomes it reports.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, OperationKind, PendingOperation, Result};
use crate::model::{PaymentRequest, PaymentResponse, RefundRequest, RefundResponse, Transaction};

/// A payment or refund to hand to [`Outbox::submit`](super::Outbox::submit).
#[derive(Debug, Clone, PartialEq)]
pub enum OutboxOrder {
    /// A SEPA credit transfer (`POST …/sepa-payment`).
    Payment(PaymentRequest),
    /// A SEPA Instant payment (`POST …/sepa-instant-payment`); after a crash it is resolved
    /// by OP's instant status lookup first.
    InstantPayment(PaymentRequest),
    /// A refund of an incoming payment (`POST …/payment-refund`).
    Refund(RefundRequest),
}

impl OutboxOrder {
    /// The order of a binding's `submit(intent, payment | refund, instant)`: exactly one of
    /// `payment` and `refund`; `instant` (SEPA Instant) only with a payment. One rule for
    /// every host, so no binding re-checks it.
    pub fn from_parts(
        payment: Option<PaymentRequest>,
        refund: Option<RefundRequest>,
        instant: bool,
    ) -> Result<OutboxOrder> {
        match (payment, refund) {
            (Some(p), None) if instant => Ok(OutboxOrder::InstantPayment(p)),
            (Some(p), None) => Ok(OutboxOrder::Payment(p)),
            (None, Some(r)) if !instant => Ok(OutboxOrder::Refund(r)),
            (None, Some(_)) => Err(Error::invalid_input(
                "instant applies to a payment, not to a refund",
            )),
            _ => Err(Error::invalid_input(
                "submit needs exactly one of a payment or a refund",
            )),
        }
    }

    /// Which endpoint the order goes to.
    pub fn kind(&self) -> OperationKind {
        match self {
            OutboxOrder::Payment(_) => OperationKind::SepaPayment,
            OutboxOrder::InstantPayment(_) => OperationKind::SepaInstantPayment,
            OutboxOrder::Refund(_) => OperationKind::Refund,
        }
    }
}

/// The bank's answer to a settled operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "response", rename_all = "snake_case")]
pub enum Receipt {
    /// The booked payment (boxed: receipts are large and mostly passed around).
    Payment(Box<PaymentResponse>),
    /// The booked refund.
    Refund(Box<RefundResponse>),
    /// The refund's debit on the company account, found by
    /// [`find_booked`](crate::api::RefundsApi::find_booked) because the bank's answer was
    /// lost: OP answers a resent refund "Already refunded", never with the refund it booked.
    RefundBooking(Box<Transaction>),
}

impl Receipt {
    /// OP's archive id of the booked payment (for a refund: of the outgoing refund payment).
    pub fn archive_id(&self) -> &str {
        match self {
            Receipt::Payment(p) => &p.archive_id,
            Receipt::Refund(r) => &r.refund.archive_id,
            Receipt::RefundBooking(t) => &t.archive_id,
        }
    }
}

/// Why an operation was rejected or is still unresolved: the error's code, message and
/// HTTP status, as stored (the message never holds a secret).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The error kind (its stable code is what gets stored).
    pub kind: ErrorKind,
    /// The error message.
    pub message: String,
    /// The HTTP status, when the bank answered.
    pub status: Option<u16>,
}

impl Failure {
    /// The stored form of `err`.
    pub fn of(err: &Error) -> Failure {
        Failure {
            kind: err.kind(),
            message: err.message().to_owned(),
            status: err.status(),
        }
    }
}

/// Where an intent stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Booked: the bank's answer. Final.
    Succeeded(Receipt),
    /// Definitively refused by the bank; nothing was booked. Final.
    Rejected(Failure),
    /// Not settled yet: sent or about to be sent, the bank's answer unknown. `None` until an
    /// attempt failed (e.g. the process died mid-send); otherwise the error that left it
    /// open. [`Outbox::drive`](super::Outbox::drive) resolves it.
    Unknown(Option<Failure>),
}

impl Outcome {
    /// `"succeeded"`, `"rejected"` or `"unknown"` (the stored state, also used by bindings).
    pub fn state(&self) -> &'static str {
        match self {
            Outcome::Succeeded(_) => "succeeded",
            Outcome::Rejected(_) => "rejected",
            Outcome::Unknown(_) => "unknown",
        }
    }

    /// Whether the outcome is final (succeeded or rejected).
    pub fn is_final(&self) -> bool {
        !matches!(self, Outcome::Unknown(_))
    }
}

/// One intent in the outbox: the prepared operation (stored before its first send) and
/// its outcome so far.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    /// The caller's intent key (e.g. a CRM event id).
    pub intent: String,
    /// The prepared operation: kind, `instructionId`/`archiveId` and the exact body bytes
    /// that every attempt sends.
    pub operation: PendingOperation,
    /// How many sends were started (each counted durably before it began).
    pub attempts: u32,
    /// When the entry was stored, milliseconds since the Unix epoch.
    pub created_ms: i64,
    /// When the entry last changed, milliseconds since the Unix epoch.
    pub updated_ms: i64,
    /// Where it stands.
    pub outcome: Outcome,
}

impl OutboxEntry {
    /// The entry as JSON, the one shape every host shows (CLI `--json`, the C API):
    /// `intent`, `kind`, `id`, `attempts`, `createdMs`, `updatedMs`, `state`
    /// (`succeeded`/`rejected`/`unknown`), and `archiveId` with `receipt` (the bank's
    /// answer, `{type, response}`) or `error` (`code`, `message`, `status`). The body is
    /// left out: it is the caller's own order.
    pub fn to_json(&self) -> serde_json::Value {
        let mut out = serde_json::json!({
            "intent": self.intent,
            "kind": kind_name(self.operation.kind),
            "id": self.operation.id,
            "attempts": self.attempts,
            "createdMs": self.created_ms,
            "updatedMs": self.updated_ms,
            "state": self.outcome.state(),
        });
        let failure = match &self.outcome {
            Outcome::Succeeded(receipt) => {
                // Receipts are plain serde data; encoding cannot fail, and Null would only
                // hide the receipt, never invent one.
                out["archiveId"] = receipt.archive_id().into();
                out["receipt"] = serde_json::to_value(receipt).unwrap_or_default();
                None
            }
            Outcome::Rejected(failure) | Outcome::Unknown(Some(failure)) => Some(failure),
            Outcome::Unknown(None) => None,
        };
        if let Some(f) = failure {
            out["error"] = serde_json::json!({
                "code": f.kind.code(),
                "message": f.message,
                "status": f.status,
            });
        }
        out
    }
}

/// The stable name of an operation kind, as stored and shown by bindings.
pub fn kind_name(kind: OperationKind) -> &'static str {
    match kind {
        OperationKind::SepaPayment => "sepa_payment",
        OperationKind::SepaInstantPayment => "sepa_instant_payment",
        OperationKind::Refund => "refund",
    }
}

/// Parses a stored operation kind name.
pub fn kind_from_name(name: &str) -> Result<OperationKind> {
    match name {
        "sepa_payment" => Ok(OperationKind::SepaPayment),
        "sepa_instant_payment" => Ok(OperationKind::SepaInstantPayment),
        "refund" => Ok(OperationKind::Refund),
        other => Err(Error::config(format!(
            "outbox holds an unknown operation kind {other:?}"
        ))),
    }
}

/// Longest intent key accepted, in bytes.
pub const MAX_INTENT_BYTES: usize = 200;

/// Checks an intent key: 1..200 bytes, no control characters.
pub fn validate_intent(intent: &str) -> Result<()> {
    if intent.trim().is_empty() || intent.len() > MAX_INTENT_BYTES {
        return Err(Error::invalid_input(format!(
            "intent must be 1..{MAX_INTENT_BYTES} bytes and not blank"
        )));
    }
    if intent.chars().any(char::is_control) {
        return Err(Error::invalid_input(
            "intent must not contain control characters",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_round_trip() {
        for kind in [
            OperationKind::SepaPayment,
            OperationKind::SepaInstantPayment,
            OperationKind::Refund,
        ] {
            assert_eq!(kind_from_name(kind_name(kind)).unwrap(), kind);
        }
        assert_eq!(
            kind_from_name("wire").unwrap_err().kind(),
            ErrorKind::Config
        );
    }

    #[test]
    fn orders_from_parts_need_exactly_one() {
        let payment = || {
            PaymentRequest::builder()
                .debtor("A Oy", "FI4950009420028730")
                .creditor("B", "FI2112345600000785")
                .amount("1.00".parse().unwrap())
                .message("x")
                .build()
                .unwrap()
        };
        let refund = || {
            RefundRequest::new(
                "20240601512345678901",
                "1.00".parse().unwrap(),
                "x",
                "FI4950009420028730",
                time::macros::date!(2024 - 06 - 01),
            )
            .unwrap()
        };
        let kind = |p, r, i| OutboxOrder::from_parts(p, r, i).map(|o| o.kind());
        assert_eq!(
            kind(Some(payment()), None, false).unwrap(),
            OperationKind::SepaPayment
        );
        assert_eq!(
            kind(Some(payment()), None, true).unwrap(),
            OperationKind::SepaInstantPayment
        );
        assert_eq!(
            kind(None, Some(refund()), false).unwrap(),
            OperationKind::Refund
        );
        for (p, r, i) in [
            (None, None, false),
            (Some(payment()), Some(refund()), false),
            (None, Some(refund()), true),
        ] {
            assert_eq!(kind(p, r, i).unwrap_err().kind(), ErrorKind::InvalidInput);
        }
    }

    #[test]
    fn intents_are_checked() {
        assert!(validate_intent("crm:event-42").is_ok());
        for bad in ["", "  ", "a\nb", &"x".repeat(201)] {
            assert_eq!(
                validate_intent(bad).unwrap_err().kind(),
                ErrorKind::InvalidInput,
                "{bad:?}"
            );
        }
    }
}
