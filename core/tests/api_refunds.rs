//! Refund API v2 against the emulator: success, "Already refunded", another client's
//! account, unknown archive id, and the unknown-outcome paths: a lost answer followed by
//! "Already refunded" is never reported as REJECTED.

// Test helpers outside `#[test]` functions unwrap too; a failure there is a test failure.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use opcorp::error::OperationKind;
use opcorp::model::{PaymentType, RefundRequest};
use opcorp::{Amount, ErrorKind};
use opcorp_emulator::{BookedTransaction, Emulator, Fault, FaultKind, IncomingPayment, Quirks};
use time::OffsetDateTime;

fn amt(s: &str) -> Amount {
    s.parse().unwrap()
}

/// Books an incoming payment of 249.00 on `iban` and returns it.
fn incoming(emu: &Emulator, iban: &str) -> BookedTransaction {
    emu.admin()
        .simulate_incoming(IncomingPayment {
            account_iban: iban.to_owned(),
            amount: "249.00".into(),
            reference: Some("1232".into()),
            message: None,
            debtor_name: "Asiakas Ab".into(),
            debtor_iban: Some("FI2112345600000785".into()),
        })
        .unwrap()
}

fn refund(archive_id: &str, amount: &str, iban: &str) -> RefundRequest {
    let today = OffsetDateTime::now_utc().date();
    RefundRequest::new(
        archive_id,
        amt(amount),
        "Palautus, tilaus 15 ✓",
        iban,
        today,
    )
    .unwrap()
}

fn refunds_in_ledger(emu: &Emulator, archive_id: &str) -> usize {
    emu.admin()
        .ledger()
        .iter()
        .filter(|e| e.kind == "refund" && e.instruction_id == archive_id)
        .count()
}

#[tokio::test]
async fn refund_outcomes() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let account = emu.admin().accounts(&emu.identity().client_id)[0].clone();
    let original = incoming(&emu, &account.iban);

    let answer = client
        .refunds()
        .create(refund(&original.archive_id, "49.00", &account.iban))
        .await
        .unwrap();
    assert_eq!(answer.original.archive_id, original.archive_id);
    assert_eq!(answer.original.amount, amt("249.00"));
    assert_eq!(answer.refund.amount, amt("49.00"));
    assert_eq!(answer.refund.payment_type, PaymentType::SepaCreditTransfer);
    let message = answer.refund.message.clone().unwrap_or_default();
    assert!(message.starts_with("MAKSUN PALAUTUS"), "{message}");
    assert_eq!(refunds_in_ledger(&emu, &original.archive_id), 1);

    // A new call with identical bytes: OP answers "Already refunded", and since no attempt
    // of this call can have booked anything, that is a rejection.
    let err = client
        .refunds()
        .create(refund(&original.archive_id, "49.00", &account.iban))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Rejected, "{err}");
    assert_eq!(refunds_in_ledger(&emu, &original.archive_id), 1);

    // A different refund of the same payment.
    let err = client
        .refunds()
        .create(refund(&original.archive_id, "50.00", &account.iban))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Rejected, "{err}");
    assert!(err.message().contains("Already refunded"), "{err}");
    assert_eq!(err.status(), Some(400));

    let err = client
        .refunds()
        .create(refund("20240601599999999999", "1.00", &account.iban))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert!(err.message().contains("Transaction not found"), "{err}");
}

#[tokio::test]
async fn refunding_another_clients_payment_is_forbidden() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let other = emu.admin().issue_client("Toinen Oy");
    let their_account = emu.admin().accounts(&other.client_id)[0].clone();
    let theirs = incoming(&emu, &their_account.iban);
    let err = client
        .refunds()
        .create(refund(&theirs.archive_id, "1.00", &their_account.iban))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden, "{err}");
    assert_eq!(refunds_in_ledger(&emu, &theirs.archive_id), 0);
}

#[tokio::test]
async fn refund_with_unknown_outcome_is_settled_by_lookup_never_rejected() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let account = emu.admin().accounts(&emu.identity().client_id)[0].clone();
    let original = incoming(&emu, &account.iban);
    emu.admin().inject(Fault {
        route: Some("refund".into()),
        kind: FaultKind::ResetAfterCommit,
        times: None,
    });
    let err = client
        .refunds()
        .create(refund(&original.archive_id, "249.00", &account.iban))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownOutcome, "{err}");
    let pending = err.pending().unwrap().clone();
    assert_eq!(pending.kind, OperationKind::Refund);
    assert_eq!(pending.id, original.archive_id);
    emu.admin().clear_faults();
    // The resend is answered "Already refunded": booked, so never REJECTED.
    let err = client.refunds().resolve(&pending).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownOutcome, "{err}");
    assert!(err.message().contains("Already refunded"), "{err}");
    assert!(err.message().contains("find_booked"), "{err}");
    assert_eq!(err.pending(), Some(&pending));
    let booked = client.refunds().find_booked(&pending).await.unwrap();
    let booked = booked.expect("the refund debit is on the account");
    assert_eq!(booked.amount, amt("-249.00"));
    assert_eq!(
        booked.creditor_account.as_deref(),
        Some("FI2112345600000785")
    );
    assert_eq!(refunds_in_ledger(&emu, &original.archive_id), 1);
}

/// The end-to-end case of issue 13: the first answer is lost after the bank booked the
/// refund, the transport's resend is answered "Already refunded".
#[tokio::test]
async fn lost_first_answer_then_already_refunded_is_unknown_not_rejected() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let account = emu.admin().accounts(&emu.identity().client_id)[0].clone();
    for fault in [
        FaultKind::ResetAfterCommit,
        FaultKind::StatusAfterCommit { status: 503 },
    ] {
        let original = incoming(&emu, &account.iban);
        emu.admin().inject(Fault {
            route: Some("refund".into()),
            kind: fault.clone(),
            times: Some(1),
        });
        let err = client
            .refunds()
            .create(refund(&original.archive_id, "49.00", &account.iban))
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownOutcome, "{fault:?}: {err}");
        assert_eq!(err.status(), Some(400), "the resend reached the bank");
        assert!(err.message().contains("Already refunded"), "{err}");
        let pending = err.pending().expect("a pending operation").clone();
        let booked = client.refunds().find_booked(&pending).await.unwrap();
        assert_eq!(booked.map(|t| t.amount), Some(amt("-49.00")), "{fault:?}");
        assert_eq!(refunds_in_ledger(&emu, &original.archive_id), 1);
        let received: u32 = emu
            .admin()
            .ledger()
            .iter()
            .filter(|e| e.instruction_id == original.archive_id)
            .map(|e| e.received)
            .sum();
        assert_eq!(received, 2, "first attempt and one resend");
    }
}

/// With the emulator's replay quirk (the pre-issue-13 behaviour), the same lost answer is
/// settled by the resend itself.
#[tokio::test]
async fn replaying_bank_settles_the_resend_with_the_booked_refund() {
    let emu = common::emulator().await;
    emu.admin().set_quirks(Quirks {
        refund_replay: true,
        ..emu.admin().quirks()
    });
    let client = common::client(&emu);
    let account = emu.admin().accounts(&emu.identity().client_id)[0].clone();
    let original = incoming(&emu, &account.iban);
    emu.admin().inject(Fault {
        route: Some("refund".into()),
        kind: FaultKind::ResetAfterCommit,
        times: Some(1),
    });
    let answer = client
        .refunds()
        .create(refund(&original.archive_id, "49.00", &account.iban))
        .await
        .unwrap();
    assert_eq!(answer.original.archive_id, original.archive_id);
    assert_eq!(refunds_in_ledger(&emu, &original.archive_id), 1);
}
