//! The gateway's payment outbox (`--outbox FILE`): exactly-once payments and refunds for
//! browser tools, keyed by the caller's intent, held where the credentials are.
//!
//! A browser tab is not durable: it can be closed between sending a payment and learning
//! its outcome, and a CRM event can reach it twice. Through these endpoints the gateway's
//! core [`Outbox`] stores the prepared operation before it is sent, answers a redelivered
//! intent with the first outcome, and settles an unknown one on `drive` (also run when the
//! gateway starts). The endpoints (JSON, behind the same key, origin and rate policy as every
//! call):
//!
//! - `POST /opcorp/outbox/submit` `{"intent", "payment" | "refund", "instant"?}` → the entry
//! - `GET /opcorp/outbox?intent=KEY` → the entry (404 `not_found` when absent)
//! - `GET /opcorp/outbox[?unsettled=true]` → every entry (or the unknown ones)
//! - `POST /opcorp/outbox/drive` → the entries settled now
//!
//! An entry is core's [`opcorp::outbox::OutboxEntry::to_json`]. A new intent passes the
//! payment limits first; its reservation is keyed by the id the bank de-duplicates on (the
//! `instructionId`, derived from the intent when the order has none, or the refunded
//! `archiveId`), so a redelivery is never counted twice.

use axum::http::{Method, StatusCode};
use opcorp::ErrorKind;
use opcorp::outbox::{ListFilter, OutboxEntry, OutboxOrder, OutboxSubmission, instruction_id_for};
use serde_json::Value;

use super::reply::Failure;

/// The path every outbox endpoint starts with.
pub const PREFIX: &str = "/opcorp/outbox";

/// One of the outbox endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    Submit,
    /// One entry, or the list (the query decides).
    Read,
    Drive,
}

/// Which outbox endpoint `method path` is, if any.
pub fn recognise(method: &Method, path: &str) -> Option<Call> {
    match (method, path.strip_prefix(PREFIX)?) {
        (&Method::POST, "/submit") => Some(Call::Submit),
        (&Method::GET, "") => Some(Call::Read),
        (&Method::POST, "/drive") => Some(Call::Drive),
        _ => None,
    }
}

/// A validated submission: the intent, the order, and what the payment policy counts.
pub struct Admitted {
    pub intent: String,
    pub order: OutboxOrder,
    /// The id the bank de-duplicates the order on, the key of its limit reservation.
    pub key: String,
    pub amount: opcorp::Amount,
}

/// Parses and checks a submission with core's rules before anything is reserved or stored.
pub fn admit(client: &opcorp::client::Client, body: &[u8]) -> Result<Admitted, opcorp::Error> {
    let submission: OutboxSubmission = super::routes::parse_body("outbox submission", body)?;
    let (intent, order) = submission.into_order()?;
    let (key, amount) = match &order {
        OutboxOrder::Payment(r) | OutboxOrder::InstantPayment(r) => {
            // Validation only (the outbox prepares its own copy): a bad order is refused
            // before the daily limit is touched.
            client.payments().prepare(r.clone(), order.kind())?;
            let key = r
                .instruction_id
                .clone()
                .unwrap_or_else(|| instruction_id_for(&intent));
            (key, r.instructed_amount.amount)
        }
        OutboxOrder::Refund(r) => {
            client.refunds().prepare(r)?;
            (r.archive_id.clone(), r.amount)
        }
    };
    Ok(Admitted {
        intent,
        order,
        key,
        amount,
    })
}

/// `GET /opcorp/outbox`: one entry for `intent=`, else the list (`unsettled=true` for the
/// unknown ones only).
pub async fn read(
    outbox: &opcorp::outbox::Outbox,
    query: &[(String, String)],
) -> Result<Value, Failure> {
    let param = |name: &str| {
        query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    if let Some(intent) = param("intent") {
        return match outbox.get(intent).await {
            Ok(Some(entry)) => Ok(entry.to_json()),
            Ok(None) => Err(Failure::refuse(
                StatusCode::NOT_FOUND,
                "not_found",
                ErrorKind::NotFound,
                format!("no outbox entry for intent {intent:?}"),
            )),
            Err(e) => Err(Failure::from_core(&e)),
        };
    }
    let filter = match param("unsettled") {
        None | Some("false") => ListFilter::All,
        Some("true") => ListFilter::Unsettled,
        Some(other) => {
            return Err(Failure::refuse(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                ErrorKind::InvalidInput,
                format!("unsettled must be true or false, got {other:?}"),
            ));
        }
    };
    let entries = outbox
        .list(filter)
        .await
        .map_err(|e| Failure::from_core(&e))?;
    Ok(list(&entries))
}

/// Entries as a JSON array.
pub fn list(entries: &[OutboxEntry]) -> Value {
    Value::Array(entries.iter().map(OutboxEntry::to_json).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_outbox_endpoints_are_recognised() {
        assert_eq!(
            recognise(&Method::POST, "/opcorp/outbox/submit"),
            Some(Call::Submit)
        );
        assert_eq!(recognise(&Method::GET, "/opcorp/outbox"), Some(Call::Read));
        assert_eq!(
            recognise(&Method::POST, "/opcorp/outbox/drive"),
            Some(Call::Drive)
        );
        assert_eq!(recognise(&Method::GET, "/opcorp/outbox/submit"), None);
        assert_eq!(recognise(&Method::POST, "/opcorp/outbox"), None);
        assert_eq!(recognise(&Method::GET, "/opcorp/outboxes"), None);
        assert_eq!(recognise(&Method::GET, "/accounts"), None);
    }
}
