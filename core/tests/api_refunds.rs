//! Refund API v2 against the emulator: success, idempotent resend, "Already refunded",
//! another client's account, unknown archive id, and the unknown-outcome path.

// Test helpers outside `#[test]` functions unwrap too; a failure there is a test failure.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use opcorp::error::OperationKind;
use opcorp::model::{PaymentType, RefundRequest};
use opcorp::{Amount, ErrorKind};
use opcorp_emulator::{BookedTransaction, Emulator, Fault, FaultKind, IncomingPayment};
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

    // Identical bytes again: the bank replays the refund it booked.
    let replay = client
        .refunds()
        .create(refund(&original.archive_id, "49.00", &account.iban))
        .await
        .unwrap();
    assert_eq!(replay.refund.archive_id, answer.refund.archive_id);
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
async fn refund_with_unknown_outcome_resolves_without_refunding_twice() {
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
    let resolved = client.refunds().resolve(&pending).await.unwrap();
    assert_eq!(resolved.original.archive_id, original.archive_id);
    assert_eq!(refunds_in_ledger(&emu, &original.archive_id), 1);
}
