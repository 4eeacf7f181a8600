//! Refund API v2: refund an incoming payment, fully or in part (op-api.md §6).
//!
//! Signed like payments. The refunded transaction's archive id identifies the intent, and
//! a resend carries the same bytes, so a refund whose answer was lost can be resolved
//! without refunding twice.

use futures::TryStreamExt;

use crate::api::TransactionQuery;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::{RefundRequest, RefundResponse, Transaction};
use crate::operation::{self, OperationKind, PendingOperation};
use crate::{outcome, routes};

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
    /// cannot. If an attempt of this call may have been booked (its answer was lost), a
    /// later "Already refunded" ends the call in `UNKNOWN_OUTCOME`, never REJECTED; settle
    /// it with [`find_booked`](Self::find_booked).
    pub async fn create(&self, request: RefundRequest) -> Result<RefundResponse> {
        let pending = self.prepare(&request)?;
        self.send(&pending, false).await
    }

    /// Validates and serialises a refund without sending it (for an outbox); send it with
    /// [`resolve`](Self::resolve).
    pub fn prepare(&self, request: &RefundRequest) -> Result<PendingOperation> {
        operation::prepare_refund(request)
    }

    /// Sends a prepared refund, or resends one whose outcome is unknown: the same bytes.
    ///
    /// OP answers a second refund of the same transaction (on the same day) with `400`
    /// "Already refunded" rather than with the refund it booked (op-api.md §6.5). Core cannot
    /// tell whether a prepared operation was sent before (an outbox after a crash), so here
    /// that answer ends in `UNKNOWN_OUTCOME`, never REJECTED: the refund is booked, by an
    /// earlier attempt or by another refund. [`find_booked`](Self::find_booked) settles it.
    pub async fn resolve(&self, pending: &PendingOperation) -> Result<RefundResponse> {
        self.send(pending, true).await
    }

    /// Looks for the booked refund of `pending` among the account's transactions since the
    /// original payment's date: the original credit (by `archiveId`) and a later debit of
    /// the refunded amount to the original payer. `Some` settles an `UNKNOWN_OUTCOME` as
    /// booked; `None` means it is not (yet) visible, so the outcome stays unknown.
    pub async fn find_booked(&self, pending: &PendingOperation) -> Result<Option<Transaction>> {
        let request: RefundRequest = serde_json::from_slice(&pending.body)
            .map_err(|e| Error::invalid_input(format!("not a pending refund body: {e}")))?;
        let data = self.client.account_data();
        let Some(account) = data
            .accounts()
            .await?
            .into_iter()
            .find(|a| outcome::same_iban(&a.iban, &request.account_iban))
        else {
            return Ok(None);
        };
        let query = TransactionQuery::new().from_date(request.transaction_date);
        let refunded = -request.amount.as_decimal();
        // Keep only the original and debits of the refunded amount: memory stays bounded
        // however long the account's history is.
        let candidates: Vec<Transaction> = data
            .transactions(&account.surrogate_id, query)
            .try_filter(|t| {
                let keep = t.archive_id == request.archive_id
                    || (t.is_debit() && t.amount.as_decimal() == refunded);
                futures::future::ready(keep)
            })
            .try_collect()
            .await?;
        Ok(outcome::find_refund(&request, &candidates).cloned())
    }

    /// Sends `pending`; `resend` says an earlier send may have reached the bank (the
    /// outbox knows; [`resolve`](Self::resolve) assumes so).
    pub(crate) async fn send(
        &self,
        pending: &PendingOperation,
        resend: bool,
    ) -> Result<RefundResponse> {
        if pending.kind != OperationKind::Refund {
            return Err(Error::invalid_input(
                "a pending payment is resolved with client.payments().resolve()",
            ));
        }
        let request = routes::signed_write(self.client.paths(), pending, resend);
        self.client.execute(request).await?.json()
    }
}
