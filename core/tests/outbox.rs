//! The payment outbox against the emulator: a redelivered intent pays once, a different
//! payment under a used intent is refused, unknown outcomes survive a restart and `drive()`
//! settles them (instant payments through the status lookup, refunds by resending), and
//! rejections are final.

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
    let account = emu.admin().accounts(&emu.identity().client_id)[0].clone();
    let original = emu
        .admin()
        .simulate_incoming(IncomingPayment {
            account_iban: account.iban.clone(),
            amount: "900.00".into(),
            reference: None,
            message: Some("Vuokravakuus A 12".into()),
            debtor_name: "Vuokralainen".into(),
            debtor_iban: Some("FI2112345600000785".into()),
        })
        .unwrap();
    let refund = RefundRequest::new(
        original.archive_id.clone(),
        "900.00".parse().unwrap(),
        "Vakuuden palautus",
        &account.iban,
        OffsetDateTime::now_utc().date(),
    )
    .unwrap();
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
    assert_eq!(answer.original.archive_id, original.archive_id);
    let refunds: Vec<_> = booked(&emu, &original.archive_id);
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0].archive_id, answer.refund.archive_id);
    // The CRM delivers the event again.
    let again = outbox
        .submit("crm:5", OutboxOrder::Refund(refund))
        .await
        .unwrap();
    assert_eq!(again.outcome, driven[0].outcome);
    assert_eq!(booked(&emu, &original.archive_id).len(), 1);
    emu.shutdown().await;
}

/// OP answers a refund resend "Already refunded": after lost answers the outbox keeps the
/// refund unknown (never rejected), and `find_booked` finds the one booked refund.
#[tokio::test]
async fn an_already_refunded_resend_stays_unknown_and_is_found_booked() {
    let emu = common::emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let account = emu.admin().accounts(&emu.identity().client_id)[0].clone();
    let original = emu
        .admin()
        .simulate_incoming(IncomingPayment {
            account_iban: account.iban.clone(),
            amount: "120.00".into(),
            reference: None,
            message: Some("Palautus".into()),
            debtor_name: "Maksaja".into(),
            debtor_iban: Some("FI2112345600000785".into()),
        })
        .unwrap();
    let refund = RefundRequest::new(
        original.archive_id.clone(),
        "120.00".parse().unwrap(),
        "Palautus",
        &account.iban,
        OffsetDateTime::now_utc().date(),
    )
    .unwrap();
    emu.admin()
        .inject(fault("refund", FaultKind::ResetAfterCommit, 3));
    let outbox = outbox(&emu, &dir);
    let entry = outbox
        .submit("crm:5b", OutboxOrder::Refund(refund))
        .await
        .unwrap();
    assert!(!entry.outcome.is_final());
    let driven = outbox.drive().await.unwrap();
    assert!(
        matches!(driven[0].outcome, Outcome::Unknown(_)),
        "{:?}",
        driven[0].outcome
    );
    assert_eq!(booked(&emu, &original.archive_id).len(), 1);
    let found = common::client(&emu)
        .refunds()
        .find_booked(&driven[0].operation)
        .await
        .unwrap();
    assert!(found.is_some(), "the booked refund debit is found");
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
