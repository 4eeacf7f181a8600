//! Whether a signed write that ended in an error answer may still have been booked.
//!
//! The transport resends a payment or refund with the same bytes after an ambiguous attempt
//! (a reset or timeout after sending, a 5xx), and a caller resends a pending operation with
//! `resolve()`. For payments OP de-duplicates on `instructionId` and answers with what it
//! booked. For refunds OP documents something else: a second refund of the same transaction
//! on the same day is answered `400` "Already refunded" (op-api.md §6.5). After an earlier
//! attempt that may have been booked, that answer says "booked, by this attempt or by another
//! one" — never "rejected". Reporting it as `REJECTED` would tell the caller that no money
//! left while it did, so the call ends in `UNKNOWN_OUTCOME` with the pending operation, and
//! the caller settles it with a lookup (for a refund: `RefundsApi::find_booked`).
//!
//! Pure (no I/O), so the rule is table-tested and shared by every host.

use crate::model::{RefundRequest, Transaction};
use crate::operation::OperationKind;

/// What an error answer to a signed write says about whether *an earlier attempt* of the
/// same operation was booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteAnswer {
    /// The bank refused the request for what it is (invalid field, unknown transaction,
    /// account not authorised): the same bytes were refused before too, so nothing is booked.
    Refused,
    /// The bank says the operation is already done ("Already refunded", a duplicate
    /// `instructionId`): booked by an earlier attempt, or by another operation.
    AlreadyDone,
    /// The answer says nothing about earlier attempts (5xx, 401, 429, a signature or clock
    /// rejection of this attempt's fresh signature, a status OP does not document).
    Inconclusive,
}

/// Classifies a non-2xx answer to a signed write of `kind` from its status and the `error`
/// code and `message` of its body (see [`crate::response::error_fields`]).
pub fn classify_answer(
    kind: OperationKind,
    status: u16,
    code: Option<&str>,
    message: Option<&str>,
) -> WriteAnswer {
    if is_already_done(kind, status, code, message) {
        return WriteAnswer::AlreadyDone;
    }
    let signature_problem = matches!(
        code,
        Some("invalid_signature" | "missing_signature" | "signature_iat_out_of_window")
    );
    match status {
        _ if signature_problem => WriteAnswer::Inconclusive,
        400 | 403 | 404 | 413 | 415 | 422 => WriteAnswer::Refused,
        _ => WriteAnswer::Inconclusive,
    }
}

/// The answers OP (or, for payments, its de-duplication contract) uses for "this was done
/// already". Matched on OP's documented message as well as on a code, because OP's error
/// body format is not public (op-api.md §12).
fn is_already_done(
    kind: OperationKind,
    status: u16,
    code: Option<&str>,
    message: Option<&str>,
) -> bool {
    let said = |needle: &str| {
        code.is_some_and(|c| c.eq_ignore_ascii_case(needle))
            || message.is_some_and(|m| {
                m.to_ascii_lowercase()
                    .contains(&needle.replace('_', " ").to_ascii_lowercase())
            })
    };
    match kind {
        OperationKind::Refund => status < 500 && said("already_refunded"),
        // OP de-duplicates payments on instructionId; an answer that refuses a reused id
        // means a payment with that id exists.
        OperationKind::SepaPayment | OperationKind::SepaInstantPayment => {
            status == 409 || (status < 500 && (said("duplicate") || said("already_processed")))
        }
    }
}

/// Whether a signed write whose last answer was `answer` must end in `UNKNOWN_OUTCOME`:
/// only a [`WriteAnswer::Refused`] settles it when an earlier attempt (or this one, for a
/// 5xx) may have been booked; without such an attempt the error answer is final.
pub fn may_be_booked(answer: WriteAnswer, earlier_attempt_may_have_booked: bool) -> bool {
    match answer {
        WriteAnswer::Refused => false,
        WriteAnswer::AlreadyDone | WriteAnswer::Inconclusive => earlier_attempt_may_have_booked,
    }
}

/// [`classify_answer`] then [`may_be_booked`] for a raw error answer: whether the signed
/// write of `kind` answered `status` with `body` ends in `UNKNOWN_OUTCOME`.
pub fn answer_leaves_unknown(
    kind: OperationKind,
    status: u16,
    body: &[u8],
    earlier_attempt_may_have_booked: bool,
) -> bool {
    let (code, message) = crate::response::error_fields(body);
    let answer = classify_answer(kind, status, code.as_deref(), message.as_deref());
    may_be_booked(answer, earlier_attempt_may_have_booked)
}

/// How to settle an unknown outcome of `kind`, for the error message.
pub fn settle_hint(kind: OperationKind) -> &'static str {
    match kind {
        OperationKind::Refund => {
            "look the refund up among the account's outgoing transactions \
             (client.refunds().find_booked(pending)); resending may only be answered \
             \"Already refunded\"; never refund again with a different body"
        }
        OperationKind::SepaPayment | OperationKind::SepaInstantPayment => {
            "resolve it by resending the same body or looking up its status, never with a \
             new id"
        }
    }
}

/// Finds the booked refund of `request` among an account's transactions (any order): the
/// original credit is the one with the request's `archiveId`; the refund is a later debit
/// of exactly the refunded amount to the original payer's account (when both sides name an
/// account). Returns `None` when the original or such a debit is not among `transactions`.
///
/// When several debits qualify (the payer paid twice and both payments were refunded), the
/// one whose message names this refund is preferred: OP writes a refund's message as
/// `MAKSUN PALAUTUS. Maksun tiedot: <original's date, dd.MM.yyyy> <the caller's message>`
/// (op-api.md §6.5, from OP's example; an inference, so it only breaks ties). Refunds of
/// the same amount, date and message to the same payer stay indistinguishable; the earliest
/// is reported (either way the refund is booked, once).
pub fn find_refund<'a>(
    request: &RefundRequest,
    transactions: &'a [Transaction],
) -> Option<&'a Transaction> {
    let original = transactions
        .iter()
        .find(|t| t.archive_id == request.archive_id && t.is_credit())?;
    let refunded = -request.amount.as_decimal();
    let mut candidates: Vec<&Transaction> = transactions
        .iter()
        .filter(|t| {
            t.is_debit()
                && t.timestamp >= original.timestamp
                && t.object_id != original.object_id
                && t.amount.as_decimal() == refunded
                && match (&t.creditor_account, &original.debtor_account) {
                    (Some(to), Some(payer)) => same_iban(to, payer),
                    _ => true,
                }
        })
        .collect();
    candidates.sort_by_key(|t| t.timestamp);
    let names_this_refund = |t: &&&Transaction| refund_message_matches(t, request, original);
    candidates
        .iter()
        .find(names_this_refund)
        .or(candidates.first())
        .copied()
}

/// Whether a debit's message is the one OP writes for this refund: the original's booking
/// date (`dd.MM.yyyy`) followed by the caller's message.
fn refund_message_matches(
    debit: &Transaction,
    request: &RefundRequest,
    original: &Transaction,
) -> bool {
    let Some(message) = debit.message.as_deref() else {
        return false;
    };
    let finnish = crate::dates::format_fi_date(original.booking_date);
    let Some((_, after_date)) = message.split_once(&finnish) else {
        return false;
    };
    after_date.trim() == request.message.trim()
}

/// Whether two IBANs are equal ignoring spaces and case.
pub(crate) fn same_iban(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| c.to_ascii_uppercase())
            .collect::<String>()
    };
    norm(a) == norm(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use OperationKind::{Refund, SepaInstantPayment, SepaPayment};
    use WriteAnswer::{AlreadyDone, Inconclusive, Refused};

    #[test]
    fn answers_are_classified() {
        type Case = (
            OperationKind,
            u16,
            Option<&'static str>,
            Option<&'static str>,
            WriteAnswer,
        );
        let cases: [Case; 16] = [
            // OP's documented refund answers (op-api.md §6.5).
            (
                Refund,
                400,
                Some("already_refunded"),
                Some("Already refunded"),
                AlreadyDone,
            ),
            (Refund, 400, None, Some("Already refunded"), AlreadyDone),
            (Refund, 400, Some("ALREADY_REFUNDED"), None, AlreadyDone),
            (Refund, 403, None, Some("Not authorized to refund"), Refused),
            (Refund, 404, None, Some("Transaction not found"), Refused),
            (
                Refund,
                400,
                Some("invalid_request"),
                Some("bad amount"),
                Refused,
            ),
            (Refund, 400, Some("invalid_signature"), None, Inconclusive),
            (
                Refund,
                400,
                Some("signature_iat_out_of_window"),
                None,
                Inconclusive,
            ),
            (Refund, 401, Some("invalid_token"), None, Inconclusive),
            (Refund, 429, None, None, Inconclusive),
            (Refund, 503, None, Some("Already refunded"), Inconclusive),
            (Refund, 409, None, None, Inconclusive),
            // Payments: a refused reuse of the instructionId means a payment exists.
            (
                SepaPayment,
                409,
                Some("duplicate_instruction_id"),
                None,
                AlreadyDone,
            ),
            (
                SepaInstantPayment,
                400,
                Some("duplicate"),
                None,
                AlreadyDone,
            ),
            (SepaPayment, 400, Some("invalid_request"), None, Refused),
            (SepaPayment, 500, None, None, Inconclusive),
        ];
        for (kind, status, code, message, expected) in cases {
            assert_eq!(
                classify_answer(kind, status, code, message),
                expected,
                "{kind:?} {status} {code:?} {message:?}"
            );
        }
    }

    #[test]
    fn only_a_refusal_settles_an_ambiguous_write() {
        let cases = [
            (Refused, false, false),
            (Refused, true, false),
            (AlreadyDone, false, false),
            (AlreadyDone, true, true),
            (Inconclusive, false, false),
            (Inconclusive, true, true),
        ];
        for (answer, earlier, unknown) in cases {
            assert_eq!(
                may_be_booked(answer, earlier),
                unknown,
                "{answer:?} {earlier}"
            );
        }
    }

    #[test]
    fn an_already_refunded_resend_is_never_rejected() {
        // The end-to-end property in one line: the first attempt was lost after the bank
        // booked it, the resend is answered "Already refunded".
        let answer = classify_answer(
            Refund,
            400,
            Some("already_refunded"),
            Some("Already refunded"),
        );
        assert!(may_be_booked(answer, true));
    }

    fn txn(json: serde_json::Value) -> Transaction {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn finds_the_refund_debit_of_the_original() {
        let request = RefundRequest::new(
            "20240601512345678901",
            "49.00".parse().unwrap(),
            "x",
            "FI2112345600000785",
            time::macros::date!(2024 - 06 - 01),
        )
        .unwrap();
        let base = |id: &str, archive: &str, amount: &str, ts: i64| {
            serde_json::json!({
                "objectId": id, "archiveId": archive, "amount": amount, "timestamp": ts,
                "bookingDate": "2024-06-01",
            })
        };
        let mut original = base("o", "20240601512345678901", "249.00", 10);
        original["debtorAccount"] = "FI5810171000000122".into();
        let mut other_payee = base("d1", "20240601512345678902", "-49.00", 11);
        other_payee["creditorAccount"] = "FI0000000000000000".into();
        let earlier = base("d0", "20240601512345678903", "-49.00", 5);
        let mut refund = base("d2", "20240601512345678904", "-49.00", 12);
        refund["creditorAccount"] = "fi58 1017 1000 0001 22".into();
        let all: Vec<Transaction> = [original, other_payee, earlier, refund]
            .into_iter()
            .map(txn)
            .collect();
        assert_eq!(
            find_refund(&request, &all).map(|t| t.object_id.as_str()),
            Some("d2")
        );
        assert!(
            find_refund(&request, &all[1..]).is_none(),
            "no original, no answer"
        );
        assert!(
            find_refund(&request, &all[..3]).is_none(),
            "no matching debit"
        );
    }

    #[test]
    fn of_two_equal_refunds_to_one_payer_the_one_whose_message_names_it_is_found() {
        let payer = "FI5810171000000122";
        let entry = |id: &str, archive: &str, amount: &str, ts: i64, day: &str| {
            let mut t = serde_json::json!({
                "objectId": id, "archiveId": archive, "amount": amount, "timestamp": ts,
                "bookingDate": day,
            });
            if amount.starts_with('-') {
                t["creditorAccount"] = payer.into();
            } else {
                t["debtorAccount"] = payer.into();
            }
            t
        };
        let refund_of = |archive: &str, day: time::Date, message: &str| {
            RefundRequest::new(
                archive,
                "50.00".parse().unwrap(),
                message,
                "FI2112345600000785",
                day,
            )
            .unwrap()
        };
        // The payer paid 50.00 on 3 and on 4 June; both were refunded on 5 June, the second
        // one first.
        let mut second_refund = entry("r2", "20240605000000000002", "-50.00", 50, "2024-06-05");
        second_refund["message"] = "MAKSUN PALAUTUS. Maksun tiedot: 04.06.2024 Tilaus 2".into();
        let mut first_refund = entry("r1", "20240605000000000001", "-50.00", 51, "2024-06-05");
        first_refund["message"] = "MAKSUN PALAUTUS. Maksun tiedot: 03.06.2024 Tilaus 1".into();
        let all: Vec<Transaction> = [
            entry("p1", "20240603000000000001", "50.00", 10, "2024-06-03"),
            entry("p2", "20240604000000000001", "50.00", 20, "2024-06-04"),
            second_refund,
            first_refund,
        ]
        .into_iter()
        .map(txn)
        .collect();
        let found =
            |request: &RefundRequest| find_refund(request, &all).map(|t| t.object_id.clone());
        let first = refund_of(
            "20240603000000000001",
            time::macros::date!(2024 - 06 - 03),
            "Tilaus 1",
        );
        let second = refund_of(
            "20240604000000000001",
            time::macros::date!(2024 - 06 - 04),
            "Tilaus 2",
        );
        assert_eq!(found(&first).as_deref(), Some("r1"));
        assert_eq!(found(&second).as_deref(), Some("r2"));
        // A message that names neither falls back to the earliest qualifying debit.
        let unnamed = refund_of(
            "20240603000000000001",
            time::macros::date!(2024 - 06 - 03),
            "Muu",
        );
        assert_eq!(found(&unnamed).as_deref(), Some("r2"));
    }
}
