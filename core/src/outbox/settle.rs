//! One attempt at settling a stored operation, and what its result means.

use super::entry::{Failure, Outcome, Receipt};
use crate::client::Client;
use crate::error::{Error, ErrorKind, OperationKind, PendingOperation};

/// Sends (or looks up) `operation` once and classifies the result. `prior_attempts` is how
/// many earlier sends may have reached the bank.
///
/// For an instant payment that may already have been sent, OP's status lookup comes first:
/// a payment it knows is the answer without sending anything. Otherwise the stored bytes are
/// sent unchanged (same `instructionId`/`archiveId`), which the bank de-duplicates. A refund
/// the bank answers "Already refunded" after a send that may have booked it is looked up
/// among the account's transactions ([`settle_refund_by_lookup`]).
pub(super) async fn attempt(
    client: &Client,
    operation: &PendingOperation,
    prior_attempts: u32,
) -> Outcome {
    if operation.kind == OperationKind::SepaInstantPayment && prior_attempts > 0 {
        match client.payments().instant_status(&operation.id).await {
            Ok(found) => {
                if let Some(payment) = found.into_iter().next() {
                    return Outcome::Succeeded(Receipt::Payment(Box::new(payment)));
                }
                // Not booked (yet): resending the same bytes is the way forward.
            }
            Err(err) => {
                // A failed lookup decides nothing; the de-duplicated resend below is just as
                // safe and may settle it.
                tracing::debug!(
                    instruction_id = %operation.id, error = %err,
                    "instant status lookup failed; resending the stored payment"
                );
            }
        }
    }
    // A first send is not a resend: an "Already refunded" answer to it is about another
    // refund, so it may be final; after an earlier send the engine keeps it unknown.
    let resend = prior_attempts > 0;
    let result = match operation.kind {
        OperationKind::Refund => client
            .refunds()
            .send(operation, resend)
            .await
            .map(|r| Receipt::Refund(Box::new(r))),
        OperationKind::SepaPayment | OperationKind::SepaInstantPayment => client
            .payments()
            .send(operation, resend)
            .await
            .map(|p| Receipt::Payment(Box::new(p))),
    };
    match result {
        Ok(receipt) => Outcome::Succeeded(receipt),
        Err(err) => {
            let outcome = classify(operation.kind, prior_attempts, &err);
            if operation.kind == OperationKind::Refund && answered_unresolved(&outcome) {
                settle_refund_by_lookup(client, operation, outcome).await
            } else {
                outcome
            }
        }
    }
}

/// Whether `outcome` is still unknown although the bank *answered* (a 4xx it did not mean
/// as a refusal). For a refund that is OP's "Already refunded" to a resend: the refund is
/// booked, by an earlier attempt or by another refund, and resending will only ever get
/// the same answer, so only a lookup can settle it. Transport failures and 5xx are left to
/// the next resend instead of adding a lookup to an outage.
fn answered_unresolved(outcome: &Outcome) -> bool {
    matches!(
        outcome,
        Outcome::Unknown(Some(Failure { status: Some(status), .. })) if (400..500).contains(status)
    )
}

/// Settles a refund left `unknown` by looking its booking up with
/// [`find_booked`](crate::api::RefundsApi::find_booked): a debit found is recorded as booked
/// with that transaction; nothing found (not visible yet) or a failed lookup keeps `unknown`,
/// never rejected — the bank said it holds a refund of that payment.
async fn settle_refund_by_lookup(
    client: &Client,
    operation: &PendingOperation,
    unknown: Outcome,
) -> Outcome {
    match client.refunds().find_booked(operation).await {
        Ok(Some(booking)) => Outcome::Succeeded(Receipt::RefundBooking(Box::new(booking))),
        Ok(None) => unknown,
        Err(err) => {
            tracing::debug!(
                archive_id = %operation.id, error = %err,
                "refund booking lookup failed; the refund stays unknown"
            );
            unknown
        }
    }
}

/// What an error from sending a stored operation means for it.
///
/// Only a definitive refusal of the request itself (400/422, 403, 404, 409, or a local
/// validation failure) settles it as rejected: the bank de-duplicates on the id, so a resend
/// of an operation it had booked would have been answered with that booking. Everything
/// else leaves it unknown for a later [`drive`](super::Outbox::drive) — including
/// credentials, TLS and signing problems, which a corrected configuration can still settle.
///
/// One exception: OP answers a refund of an already refunded payment with a rejection
/// ("Already refunded"). After an earlier send that may have reached the bank, that answer
/// may be about *our own* refund, so the refund stays unknown instead of being reported as
/// "nothing booked".
pub(super) fn classify(kind: OperationKind, prior_attempts: u32, err: &Error) -> Outcome {
    let failure = Failure::of(err);
    match err.kind() {
        ErrorKind::Rejected if kind == OperationKind::Refund && prior_attempts > 0 => {
            Outcome::Unknown(Some(failure))
        }
        ErrorKind::Rejected
        | ErrorKind::NotFound
        | ErrorKind::Forbidden
        | ErrorKind::Conflict
        | ErrorKind::InvalidInput
        | ErrorKind::PayeeMismatch => Outcome::Rejected(failure),
        ErrorKind::UnknownOutcome
        | ErrorKind::Auth
        | ErrorKind::Tls
        | ErrorKind::RateLimited
        | ErrorKind::Timeout
        | ErrorKind::Network
        | ErrorKind::Server
        | ErrorKind::Decode
        | ErrorKind::Signature
        | ErrorKind::Config
        | ErrorKind::ClockSkew => Outcome::Unknown(Some(failure)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(kind: ErrorKind) -> Error {
        Error::new(kind, "x")
    }

    #[test]
    fn only_definitive_refusals_reject() {
        for kind in ErrorKind::ALL {
            let outcome = classify(OperationKind::SepaPayment, 1, &err(kind));
            let rejected = matches!(
                kind,
                ErrorKind::Rejected
                    | ErrorKind::NotFound
                    | ErrorKind::Forbidden
                    | ErrorKind::Conflict
                    | ErrorKind::InvalidInput
                    | ErrorKind::PayeeMismatch
            );
            assert_eq!(matches!(outcome, Outcome::Rejected(_)), rejected, "{kind}");
            assert_eq!(matches!(outcome, Outcome::Unknown(Some(_))), !rejected);
        }
    }

    #[test]
    fn only_an_answered_unknown_is_looked_up() {
        let failure = |status| Failure {
            kind: ErrorKind::UnknownOutcome,
            message: "x".into(),
            status,
        };
        assert!(answered_unresolved(&Outcome::Unknown(Some(failure(Some(
            400
        ))))));
        assert!(!answered_unresolved(&Outcome::Unknown(Some(failure(
            Some(503)
        )))));
        assert!(!answered_unresolved(&Outcome::Unknown(Some(failure(None)))));
        assert!(!answered_unresolved(&Outcome::Unknown(None)));
        assert!(!answered_unresolved(&Outcome::Rejected(failure(Some(400)))));
    }

    #[test]
    fn already_refunded_after_an_earlier_send_stays_unknown() {
        let refused = err(ErrorKind::Rejected).with_status(400);
        assert!(matches!(
            classify(OperationKind::Refund, 0, &refused),
            Outcome::Rejected(_)
        ));
        let outcome = classify(OperationKind::Refund, 1, &refused);
        assert!(
            matches!(&outcome, Outcome::Unknown(Some(f)) if f.status == Some(400)),
            "{outcome:?}"
        );
    }
}
