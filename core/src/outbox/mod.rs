//! The payment outbox: exactly-once payments and refunds keyed by the caller's intent.
//!
//! A CRM that delivers "deposit approved" twice, or a process killed between sending a
//! payment and recording it, must still pay exactly once. [`Outbox::submit`] takes an intent
//! key (e.g. the CRM event id) and a payment or refund, and:
//!
//! 1. prepares it — validated, given its `instructionId`, serialised once — and stores that
//!    prepared operation durably *before* anything is sent;
//! 2. counts the attempt durably, sends the stored bytes, and records the outcome;
//! 3. on a second `submit` of the same intent returns the first one's outcome (or settles it,
//!    if still unknown) instead of paying again; a *different* payment under the same intent
//!    is refused with [`ErrorKind::Conflict`].
//!
//! [`Outbox::drive`] (after a restart, or periodically) settles every operation left
//! unknown: an instant payment that may have been sent is looked up with OP's instant status
//! first; anything else is resent byte for byte, which OP de-duplicates on the
//! `instructionId` (payments) or the refunded `archiveId` (refunds). OP answers a resent
//! refund "Already refunded" rather than with its booking, so such a refund is found among
//! the account's transactions and recorded as [`Receipt::RefundBooking`].
//!
//! The `instructionId` of a payment without one is derived from the intent (a SHA-256 hash),
//! so even a lost outbox file cannot turn a redelivered intent into a second payment: OP
//! answers the resend with the first booking, or with a conflict for a different body. Keep
//! intent keys unique across everything that pays with the same OP credentials (prefix them,
//! e.g. `crm:`).
//!
//! Outcomes are [`Outcome::Succeeded`] (the bank's receipt), [`Outcome::Rejected`]
//! (definitive, nothing booked) or [`Outcome::Unknown`] (still open; never dropped, never
//! resent under a new id). Storage is behind [`OutboxStore`]; [`SqliteOutboxStore`] (one
//! SQLite file, WAL, `synchronous=FULL`) is the embedded default.

mod entry;
mod settle;
mod sqlite;
mod store;

use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

pub use crate::intent::{MAX_INTENT_BYTES, OutboxOrder, OutboxSubmission, validate_intent};
pub use entry::{Failure, OutboxEntry, Outcome, Receipt, kind_from_name, kind_name};
pub use sqlite::{BUSY_TIMEOUT, SqliteOutboxStore};
pub use store::{ListFilter, OutboxStore};

use crate::client::Client;
use crate::error::{Error, ErrorKind, PendingOperation, Result};

/// Exactly-once payments and refunds keyed by intent, over an [`OutboxStore`].
///
/// Cheap to clone (a client handle and a shared store). Several `Outbox`es — in one process
/// or several sharing a file — may work on the same intents: a concurrent resend carries the
/// same bytes, which the bank de-duplicates, and the first recorded settlement wins.
#[derive(Clone)]
pub struct Outbox {
    client: Client,
    store: Arc<dyn OutboxStore>,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox").finish_non_exhaustive()
    }
}

impl Outbox {
    /// An outbox over `store`, paying with `client`.
    pub fn new(client: Client, store: Arc<dyn OutboxStore>) -> Outbox {
        Outbox { client, store }
    }

    /// An outbox in the SQLite file at `path` (created when missing).
    pub fn open(client: Client, path: impl AsRef<Path>) -> Result<Outbox> {
        let store = SqliteOutboxStore::open(path)?;
        Ok(Outbox::new(client, Arc::new(store)))
    }

    /// Pays (or refunds) `order` exactly once for `intent` and returns its entry with the
    /// outcome.
    ///
    /// Errors (nothing is sent): an invalid intent or order ([`ErrorKind::InvalidInput`]), a
    /// different order already stored under `intent` ([`ErrorKind::Conflict`]), a payee whose
    /// name fails the client's Verification of Payee policy ([`ErrorKind::PayeeMismatch`];
    /// checked for a new payment intent before it is stored), or a store failure
    /// ([`ErrorKind::Config`]). A store failure *after* a send leaves the entry
    /// unknown in the store, where [`drive`](Self::drive) or another `submit` settles it.
    pub async fn submit(&self, intent: &str, order: OutboxOrder) -> Result<OutboxEntry> {
        validate_intent(intent)?;
        let key = intent.to_owned();
        let existing = self.blocking(move |s| s.get(&key)).await?;
        let to_verify = match (&order, &existing) {
            (OutboxOrder::Payment(r) | OutboxOrder::InstantPayment(r), None) => Some(r.clone()),
            _ => None,
        };
        let operation = self.prepare(intent, order, existing.as_ref())?;
        if let Some(request) = &to_verify {
            // Verification of Payee (the client's policy) before the intent is stored: a
            // name that fails it stores nothing and sends nothing. A known intent was
            // checked when it was first submitted.
            self.client.payments().check_payee(request).await?;
        }
        let entry = match existing {
            Some(entry) => entry,
            None => {
                let now = now_ms();
                let new = OutboxEntry {
                    intent: intent.to_owned(),
                    operation: operation.clone(),
                    attempts: 0,
                    created_ms: now,
                    updated_ms: now,
                    outcome: Outcome::Unknown(None),
                };
                let stored = new.clone();
                self.blocking(move |s| s.insert(&stored))
                    .await?
                    .unwrap_or(new)
            }
        };
        if !same_operation(&entry.operation, &operation) {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!(
                    "intent {intent:?} already holds a different {} (instruction {}); use a \
                     new intent for a new payment",
                    kind_name(entry.operation.kind),
                    entry.operation.id
                ),
            ));
        }
        if entry.outcome.is_final() {
            return Ok(entry);
        }
        self.settle(entry).await
    }

    /// Settles every entry whose outcome is unknown, oldest first, and returns each one as
    /// recorded afterwards (settled or still unknown).
    pub async fn drive(&self) -> Result<Vec<OutboxEntry>> {
        let mut reports = Vec::new();
        self.drive_with(|entry| reports.push(entry.clone())).await?;
        Ok(reports)
    }

    /// Like [`drive`](Self::drive), handing each entry to `on_report` as soon as its attempt
    /// is recorded; returns how many entries were driven.
    pub async fn drive_with(&self, mut on_report: impl FnMut(&OutboxEntry)) -> Result<usize> {
        let pending = self.list(ListFilter::Unsettled).await?;
        let count = pending.len();
        for entry in pending {
            let entry = self.settle(entry).await?;
            on_report(&entry);
        }
        Ok(count)
    }

    /// The stored entries matching `filter`, oldest first.
    pub async fn list(&self, filter: ListFilter) -> Result<Vec<OutboxEntry>> {
        self.blocking(move |s| s.list(filter)).await
    }

    /// The entry of `intent`, if any.
    pub async fn get(&self, intent: &str) -> Result<Option<OutboxEntry>> {
        let key = intent.to_owned();
        self.blocking(move |s| s.get(&key)).await
    }

    /// Prepares `order`: a payment keeps its own `instructionId`, else the stored entry's,
    /// else one derived from the intent.
    fn prepare(
        &self,
        intent: &str,
        order: OutboxOrder,
        existing: Option<&OutboxEntry>,
    ) -> Result<PendingOperation> {
        let kind = order.kind();
        match order {
            OutboxOrder::Refund(request) => self.client.refunds().prepare(&request),
            OutboxOrder::Payment(mut request) | OutboxOrder::InstantPayment(mut request) => {
                if request.instruction_id.is_none() {
                    let id = existing
                        .map(|e| e.operation.id.clone())
                        .unwrap_or_else(|| instruction_id_for(intent));
                    request.instruction_id = Some(id);
                }
                self.client.payments().prepare(request, kind)
            }
        }
    }

    /// One durable attempt at `entry`: counted, sent, recorded.
    async fn settle(&self, entry: OutboxEntry) -> Result<OutboxEntry> {
        let intent = entry.intent.clone();
        let key = intent.clone();
        let Some(before) = self
            .blocking(move |s| s.begin_attempt(&key, now_ms()))
            .await?
        else {
            // Settled meanwhile by another driver: report what it recorded.
            let key = intent.clone();
            return self
                .blocking(move |s| s.get(&key))
                .await?
                .ok_or_else(|| vanished(&intent));
        };
        let outcome = settle::attempt(&self.client, &before.operation, before.attempts).await;
        if let Outcome::Unknown(Some(failure)) = &outcome {
            tracing::info!(
                intent = %intent, id = %before.operation.id, code = failure.kind.code(),
                "outbox operation still unknown"
            );
        }
        let key = intent.clone();
        self.blocking(move |s| s.record(&key, &outcome, now_ms()))
            .await?
            .ok_or_else(|| vanished(&intent))
    }

    /// Runs a store call on a blocking thread.
    async fn blocking<T: Send + 'static>(
        &self,
        call: impl FnOnce(&dyn OutboxStore) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || call(&*store))
            .await
            .map_err(|e| Error::config(format!("outbox store task failed: {e}")))?
    }
}

/// The `instructionId` derived from an intent: 32 hex digits of SHA-256 over a fixed prefix
/// and the intent (fits OP's `^[a-zA-Z0-9]{1,35}$`).
pub fn instruction_id_for(intent: &str) -> String {
    let mut input = b"opcorp-outbox-intent\0".to_vec();
    input.extend_from_slice(intent.as_bytes());
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &input);
    digest.as_ref()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether two prepared operations are the same order: same endpoint, id and JSON content
/// (compared as JSON values, so a serialiser change between versions is no conflict).
fn same_operation(a: &PendingOperation, b: &PendingOperation) -> bool {
    if a.kind != b.kind || a.id != b.id {
        return false;
    }
    let parse = |body: &[u8]| serde_json::from_slice::<serde_json::Value>(body).ok();
    match (parse(&a.body), parse(&b.body)) {
        (Some(x), Some(y)) => x == y,
        _ => a.body == b.body,
    }
}

fn vanished(intent: &str) -> Error {
    Error::config(format!("outbox entry {intent:?} vanished from the store"))
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::OperationKind;

    #[test]
    fn derived_instruction_ids_are_stable_and_fit_ops_pattern() {
        let a = instruction_id_for("crm:42");
        assert_eq!(a, instruction_id_for("crm:42"));
        assert_ne!(a, instruction_id_for("crm:43"));
        assert_eq!(a.len(), 32);
        assert!(a.bytes().all(|b| b.is_ascii_alphanumeric()));
    }

    #[test]
    fn operations_compare_by_json_content() {
        let op = |body: &str| PendingOperation {
            kind: OperationKind::SepaPayment,
            id: "X1".into(),
            body: body.as_bytes().to_vec(),
        };
        assert!(same_operation(
            &op(r#"{"a":1,"b":"x"}"#),
            &op(r#"{"b":"x", "a":1}"#)
        ));
        assert!(!same_operation(&op(r#"{"a":1}"#), &op(r#"{"a":2}"#)));
        let mut refund = op(r#"{"a":1}"#);
        refund.kind = OperationKind::Refund;
        assert!(!same_operation(&op(r#"{"a":1}"#), &refund));
    }
}
