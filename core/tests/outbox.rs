//! The payment outbox against the emulator: a redelivered intent pays once, a different
//! payment under a used intent is refused, unknown outcomes survive a restart and `drive()`
//! settles them (instant payments through the status lookup, refunds by resending and, when
//! OP answers "Already refunded", by finding the booked debit), and rejections are final.

#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use opcorp::model::{PaymentRequest, RefundRequest};
use opcorp::outbox::{ListFilter, Outbox, OutboxOrder, Outcome, Receipt, instruction_id_for};
use opcorp::{Amount, ErrorKind};
use opcorp_emulator::{Emulator, Fault, FaultKind, IncomingPayment, Quirks};
use time::OffsetDateTime;

fn payment(emu: &Emulator, amount: &str) -> PaymentRequest {
    let debtor = &emu.admin().accounts(&emu.identity().client_id)[0];
    PaymentRequest::builder()
        .debtor("Esimerkki Oy", debtor.iban.clone())
        .creditor("Vuokralainen", "FI2112345600000785")
        .amount(amount.parse::<Amount>().unwrap())
        .message("Vuokravakuus")
        .build()
        .unwrap()
}

fn booked(emu: &Emulator, instruction_id: &str) -> Vec<opcorp_emulator::LedgerEntry> {
    emu.admin()
        .ledger()
        .into_iter()
        .filter(|e| e.instruction_id == instruction_id)
        .collect()
}

fn fault(route: &str, kind: FaultKind, times: u32) -> Fault {
    Fault {
        route: Some(route.into()),
        kind,
        times: Some(times),
    }
}

fn outbox(emu: &Emulator, dir: &tempfile::TempDir) -> Outbox {
    Outbox::open(common::client(emu), dir.path().join("outbox.sqlite")).unwrap()
}

fn receipt(outcome: &Outcome) -> &Receipt {
    match outcome {
        Outcome::Succeeded(r) => r,
        other => panic!("expected success, got {other:?}"),
    }
}

#[tokio::test]
async fn a_redelivered_intent_pays_once_and_a_different_payment_conflicts() {
    let emu = common::emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let outbox = outbox(&emu, &dir);
    let first = outbox
        .submit("crm:1", OutboxOrder::Payment(payment(&emu, "450.00")))
        .await
        .unwrap();
    assert_eq!(first.operation.id, instruction_id_for("crm:1"));
    assert_eq!(first.attempts, 1);
    let ledger = booked(&emu, &first.operation.id);
    assert_eq!(ledger.len(), 1);
    assert_eq!(receipt(&first.outcome).archive_id(), ledger[0].archive_id);

    let sent = common::requests(&emu, "sepa_payment");
    let again = outbox
        .submit("crm:1", OutboxOrder::Payment(payment(&emu, "450.00")))
        .await
        .unwrap();
    assert_eq!(
        again.outcome, first.outcome,
        "the first outcome, from the store"
    );
    assert_eq!(common::requests(&emu, "sepa_payment"), sent, "nothing sent");

    let err = outbox
        .submit("crm:1", OutboxOrder::Payment(payment(&emu, "451.00")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    let err = outbox
        .submit(
            "crm:1",
            OutboxOrder::InstantPayment(payment(&emu, "450.00")),
        )
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    let err = outbox
        .submit("", OutboxOrder::Payment(payment(&emu, "1.00")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(booked(&emu, &first.operation.id).len(), 1);
    emu.shutdown().await;
}

#[tokio::test]
async fn an_unknown_outcome_survives_a_restart_and_drive_settles_it() {
    let emu = common::emulator().await;
    let dir = tempfile::tempdir().unwrap();
    // Every attempt is booked, then the connection is reset: the outcome stays unknown.
    emu.admin()
        .inject(fault("sepa_payment", FaultKind::ResetAfterCommit, 3));
    let entry = outbox(&emu, &dir)
        .submit("crm:2", OutboxOrder::Payment(payment(&emu, "12.00")))
        .await
        .unwrap();
    let Outcome::Unknown(Some(failure)) = &entry.outcome else {
        panic!("expected unknown, got {:?}", entry.outcome);
    };
    assert_eq!(failure.kind, ErrorKind::UnknownOutcome);
    assert_eq!(booked(&emu, &entry.operation.id).len(), 1);

    // A new process: a fresh Outbox on the same file.
    let restarted = outbox(&emu, &dir);
    let unsettled = restarted.list(ListFilter::Unsettled).await.unwrap();
    assert_eq!(unsettled.len(), 1);
    let mut seen = Vec::new();
    let driven = restarted
        .drive_with(|e| seen.push(e.clone()))
        .await
        .unwrap();
    assert_eq!(driven, 1);
    let ledger = booked(&emu, &entry.operation.id);
    assert_eq!(ledger.len(), 1, "resent bytes were de-duplicated");
    assert_eq!(receipt(&seen[0].outcome).archive_id(), ledger[0].archive_id);
    assert_eq!(seen[0].attempts, 2);
    assert!(restarted.drive().await.unwrap().is_empty(), "nothing left");
    emu.shutdown().await;
}

#[tokio::test]
async fn an_instant_payment_is_settled_by_its_status_lookup() {
    let emu = common::emulator().await;
    let dir = tempfile::tempdir().unwrap();
    emu.admin().inject(fault(
        "sepa_instant_payment",
        FaultKind::StatusAfterCommit { status: 503 },
        3,
    ));
    let outbox = outbox(&emu, &dir);
    let entry = outbox
        .submit("crm:3", OutboxOrder::InstantPayment(payment(&emu, "7.50")))
        .await
        .unwrap();
    assert!(!entry.outcome.is_final(), "{:?}", entry.outcome);
    let sends = common::requests(&emu, "sepa_instant_payment");
    let driven = outbox.drive().await.unwrap();
    assert_eq!(driven.len(), 1);
    let ledger = booked(&emu, &entry.operation.id);
    assert_eq!(
        receipt(&driven[0].outcome).archive_id(),
        ledger[0].archive_id
    );
    assert_eq!(common::requests(&emu, "instant_status"), 1);
    assert_eq!(
        common::requests(&emu, "sepa_instant_payment"),
        sends,
        "the lookup settled it without a resend"
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn a_rejection_is_final_and_books_nothing() {
    let emu = common::emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let outbox = outbox(&emu, &dir);
    // A debtor account of another bank customer: 403 from OP.
    let mut request = payment(&emu, "5.00");
    request.debtor.iban = "FI4950009420028730".into();
    let entry = outbox
        .submit("crm:4", OutboxOrder::Payment(request.clone()))
        .await
        .unwrap();
    let Outcome::Rejected(failure) = &entry.outcome else {
        panic!("expected rejected, got {:?}", entry.outcome);
    };
    assert_eq!(failure.kind, ErrorKind::Forbidden);
    assert_eq!(failure.status, Some(403));
    assert!(booked(&emu, &entry.operation.id).is_empty());
    let sent = common::requests(&emu, "sepa_payment");
    let again = outbox
        .submit("crm:4", OutboxOrder::Payment(request))
        .await
        .unwrap();
    assert_eq!(again.outcome, entry.outcome);
    assert_eq!(common::requests(&emu, "sepa_payment"), sent);
    assert!(
        outbox.drive().await.unwrap().is_empty(),
        "rejections are final"
    );
    emu.shutdown().await;
}

/// A bank that replays the first answer to a refund resend (the emulator's `refundReplay`
/// quirk) lets the outbox settle the refund with its receipt.
#[tokio::test]
async fn a_refund_pays_back_once_across_a_reset() {
    let emu = common::emulator().await;
    emu.admin().set_quirks(Quirks {
        refund_replay: true,
        ..emu.admin().quirks()
    });
    let dir = tempfile::tempdir().unwrap();
    let (original, refund) = refundable(&emu, "900.00");
    emu.admin()
        .inject(fault("refund", FaultKind::ResetAfterCommit, 3));
    let outbox = outbox(&emu, &dir);
    let entry = outbox
        .submit("crm:5", OutboxOrder::Refund(refund.clone()))
        .await
        .unwrap();
    assert!(!entry.outcome.is_final());
    let driven = outbox.drive().await.unwrap();
    let Receipt::Refund(answer) = receipt(&driven[0].outcome) else {
        panic!("a refund receipt");
    };
    assert_eq!(answer.original.archive_id, original);
    let refunds: Vec<_> = booked(&emu, &original);
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0].archive_id, answer.refund.archive_id);
    // The CRM delivers the event again.
    let again = outbox
        .submit("crm:5", OutboxOrder::Refund(refund))
        .await
        .unwrap();
    assert_eq!(again.outcome, driven[0].outcome);
    assert_eq!(booked(&emu, &original).len(), 1);
    emu.shutdown().await;
}

/// An incoming payment of `amount` to the client's first account, and a full refund of it.
fn refundable(emu: &Emulator, amount: &str) -> (String, RefundRequest) {
    let account = emu.admin().accounts(&emu.identity().client_id)[0].clone();
    let original = emu
        .admin()
        .simulate_incoming(IncomingPayment {
            account_iban: account.iban.clone(),
            amount: amount.into(),
            reference: None,
            message: Some("Palautus".into()),
            debtor_name: "Maksaja".into(),
            debtor_iban: Some("FI2112345600000785".into()),
        })
        .unwrap();
    let refund = RefundRequest::new(
        original.archive_id.clone(),
        amount.parse().unwrap(),
        "Palautus",
        &account.iban,
        OffsetDateTime::now_utc().date(),
    )
    .unwrap();
    (original.archive_id, refund)
}

/// OP's documented behaviour: a refund resend is answered "Already refunded". The first
/// answers are lost after the bank booked the refund; `drive()` resends, gets "Already
/// refunded", finds the booked debit among the account's transactions and records it.
#[tokio::test]
async fn an_already_refunded_resend_is_settled_booked_by_lookup() {
    let emu = common::emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let (original, refund) = refundable(&emu, "120.00");
    emu.admin()
        .inject(fault("refund", FaultKind::ResetAfterCommit, 3));
    let outbox = outbox(&emu, &dir);
    let entry = outbox
        .submit("crm:5b", OutboxOrder::Refund(refund.clone()))
        .await
        .unwrap();
    assert!(!entry.outcome.is_final(), "{:?}", entry.outcome);
    let driven = outbox.drive().await.unwrap();
    let Receipt::RefundBooking(debit) = receipt(&driven[0].outcome) else {
        panic!(
            "the refund's booking, found by lookup: {:?}",
            driven[0].outcome
        );
    };
    let refunds = booked(&emu, &original);
    assert_eq!(refunds.len(), 1, "exactly one refund booked");
    assert_eq!(debit.archive_id, refunds[0].archive_id);
    assert_eq!(debit.amount.to_string(), "-120.00");
    // Settled for good: the CRM's redelivery returns it without sending anything.
    let sent = common::requests(&emu, "refund");
    let again = outbox
        .submit("crm:5b", OutboxOrder::Refund(refund))
        .await
        .unwrap();
    assert_eq!(again.outcome, driven[0].outcome);
    assert_eq!(common::requests(&emu, "refund"), sent);
    assert!(outbox.drive().await.unwrap().is_empty());
    emu.shutdown().await;
}

/// "Already refunded" after a lost attempt, but no debit of our amount on the account (the
/// payment was refunded by another, smaller refund): the refund stays unknown — the bank
/// may hold it — and is never reported rejected.
#[tokio::test]
async fn an_already_refunded_answer_without_a_booking_stays_unknown() {
    let emu = common::emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let (original, refund) = refundable(&emu, "80.00");
    let mut other = refund.clone();
    other.amount = "30.00".parse().unwrap();
    common::client(&emu).refunds().create(other).await.unwrap();
    emu.admin()
        .inject(fault("refund", FaultKind::ResetBeforeCommit, 1));
    let outbox = outbox(&emu, &dir);
    let entry = outbox
        .submit("crm:5c", OutboxOrder::Refund(refund))
        .await
        .unwrap();
    for _ in 0..2 {
        let driven = outbox.drive().await.unwrap();
        assert!(
            matches!(&driven[..], [e] if !e.outcome.is_final()),
            "{driven:?}"
        );
    }
    let Outcome::Unknown(Some(failure)) = &outbox.get("crm:5c").await.unwrap().unwrap().outcome
    else {
        panic!("still unknown with the bank's answer");
    };
    assert_eq!(failure.status, Some(400), "{failure:?}");
    assert!(!entry.outcome.is_final(), "{:?}", entry.outcome);
    assert_eq!(booked(&emu, &original).len(), 1, "only the other refund");
    emu.shutdown().await;
}

#[tokio::test]
async fn concurrent_submits_of_one_intent_pay_once() {
    let emu = common::emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let outbox = outbox(&emu, &dir);
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let outbox = outbox.clone();
            let order = OutboxOrder::Payment(payment(&emu, "33.30"));
            tokio::spawn(async move { outbox.submit("crm:6", order).await })
        })
        .collect();
    let mut archive_ids = Vec::new();
    for task in tasks {
        let entry = task.await.unwrap().unwrap();
        archive_ids.push(receipt(&entry.outcome).archive_id().to_owned());
    }
    archive_ids.dedup();
    assert_eq!(archive_ids.len(), 1, "{archive_ids:?}");
    assert_eq!(booked(&emu, &instruction_id_for("crm:6")).len(), 1);
    emu.shutdown().await;
}
