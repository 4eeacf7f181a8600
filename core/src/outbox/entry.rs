//! What the outbox stores per intent, and the outcomes it reports.

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, OperationKind, PendingOperation, Result};
use crate::model::{PaymentResponse, RefundResponse, Transaction};

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
}
