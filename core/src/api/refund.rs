//! Refund API v2: refund an incoming payment, fully or in part (op-api.md §6).
//!
//! Signed like payments. The refunded transaction's archive id identifies the intent, and
//! a resend carries the same bytes, so a refund whose answer was lost can be resolved
//! without refunding twice.

use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::{RefundRequest, RefundResponse};
use crate::operation::{self, OperationKind, PendingOperation};
use crate::routes;

/// The Refund API, borrowed from a [`Client`].
#[derive(Debug, Clone, Copy)]
pub struct RefundsApi<'c> {
    client: &'c Client,
}

impl Client {
    /// The Refund API: signed refunds of incoming payments.
    pub fn refunds(&self) -> RefundsApi<'_> {
        RefundsApi { client: self }
    }
}

impl RefundsApi<'_> {
    /// Refunds an incoming payment. OP answers `Already refunded` (REJECTED), `Not
    /// authorized to refund` (FORBIDDEN) or `Transaction not found` (NOT_FOUND) when it
    /// cannot.
    pub async fn create(&self, request: RefundRequest) -> Result<RefundResponse> {
        let pending = self.prepare(&request)?;
        self.resolve(&pending).await
    }

    /// Validates and serialises a refund without sending it (for an outbox); send it with
    /// [`resolve`](Self::resolve).
    pub fn prepare(&self, request: &RefundRequest) -> Result<PendingOperation> {
        operation::prepare_refund(request)
    }

    /// Sends a prepared refund, or resends one whose outcome is unknown: the same bytes,
    /// which OP answers with the refund it already booked.
    pub async fn resolve(&self, pending: &PendingOperation) -> Result<RefundResponse> {
        if pending.kind != OperationKind::Refund {
            return Err(Error::invalid_input(
                "a pending payment is resolved with client.payments().resolve()",
            ));
        }
        let request = routes::signed_write(self.client.paths(), pending);
        self.client.execute(request).await?.json()
    }
}
