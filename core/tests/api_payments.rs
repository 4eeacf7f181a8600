//! Payment API against the emulator: signed SEPA and SEPA Instant payments booked once,
//! the no-double-payment rule under connection resets after the bank committed, and the
//! `UNKNOWN_OUTCOME` → `resolve` path.

// Test helpers outside `#[test]` functions unwrap too; a failure there is a test failure.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use opcorp::error::OperationKind;
use opcorp::model::{PaymentRequest, PaymentStatus, PaymentType};
use opcorp::{Amount, ErrorKind};
use opcorp_emulator::{Emulator, Fault, FaultKind, LedgerEntry};

/// A valid payment from the demo client's first account.
fn payment(emu: &Emulator, instruction_id: Option<&str>) -> PaymentRequest {
    let debtor = &emu.admin().accounts(&emu.identity().client_id)[0];
    let mut builder = PaymentRequest::builder()
        .debtor("Esimerkki Oy", debtor.iban.clone())
        .creditor("Toimittaja Öy 🚚", "FI21 1234 5600 0007 85")
        .amount("120.5".parse::<Amount>().unwrap())
        .reference("RF18539007547034")
        .end_to_end_id("INV-7781");
    if let Some(id) = instruction_id {
        builder = builder.instruction_id(id);
    }
    builder.build().unwrap()
}

fn ledger_for(emu: &Emulator, instruction_id: &str) -> Vec<LedgerEntry> {
    emu.admin()
        .ledger()
        .into_iter()
        .filter(|e| e.instruction_id == instruction_id)
        .collect()
}

#[tokio::test]
async fn sepa_payment_is_booked_once_and_a_resend_returns_it() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let response = client
        .payments()
        .sepa(payment(&emu, Some("PAYONCE1")))
        .await
        .unwrap();
    assert_eq!(response.amount, "120.50".parse().unwrap());
    assert_eq!(response.status, PaymentStatus::Processing);
    assert_eq!(response.payment_type, PaymentType::SepaCreditTransfer);
    assert_eq!(response.end_to_end_id.as_deref(), Some("INV-7781"));
    assert_eq!(response.creditor_name.as_deref(), Some("Toimittaja Öy 🚚"));
    let ledger = ledger_for(&emu, "PAYONCE1");
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].archive_id, response.archive_id);
    assert_eq!(ledger[0].kind, "sepa_payment");

    // The same intent sent again (same id, same bytes): OP's de-duplication answers with the
    // booked payment.
    let again = client
        .payments()
        .sepa(payment(&emu, Some("PAYONCE1")))
        .await
        .unwrap();
    assert_eq!(again.archive_id, response.archive_id);
    let ledger = ledger_for(&emu, "PAYONCE1");
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].received, 2);
}

#[tokio::test]
async fn generated_instruction_ids_make_distinct_payments() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let before = emu.admin().ledger().len();
    let a = client.payments().sepa(payment(&emu, None)).await.unwrap();
    let b = client.payments().sepa(payment(&emu, None)).await.unwrap();
    assert_ne!(a.archive_id, b.archive_id);
    let ledger = emu.admin().ledger();
    assert_eq!(ledger.len(), before + 2);
    for entry in &ledger[before..] {
        assert_eq!(entry.instruction_id.len(), 32);
        assert!(entry.instruction_id.bytes().all(|c| c.is_ascii_hexdigit()));
    }
}

#[tokio::test]
async fn instant_payment_and_its_status() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let response = client
        .payments()
        .sepa_instant(payment(&emu, Some("INST1")))
        .await
        .unwrap();
    assert_eq!(response.payment_type, PaymentType::SctInst);
    assert_eq!(response.status, PaymentStatus::Processed);
    assert_eq!(ledger_for(&emu, "INST1")[0].kind, "sepa_instant_payment");
    let status = client.payments().instant_status("INST1").await.unwrap();
    assert_eq!(status.len(), 1);
    assert_eq!(status[0].archive_id, response.archive_id);
    assert!(
        client
            .payments()
            .instant_status("NEVERSENT")
            .await
            .unwrap()
            .is_empty()
    );
    let err = client
        .payments()
        .instant_status("bad/id")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn reset_after_commit_once_is_absorbed_by_a_same_bytes_resend() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    emu.admin().inject(Fault {
        route: Some("sepa_payment".into()),
        kind: FaultKind::ResetAfterCommit,
        times: Some(1),
    });
    let response = client
        .payments()
        .sepa(payment(&emu, Some("RESET1")))
        .await
        .unwrap();
    let ledger = ledger_for(&emu, "RESET1");
    assert_eq!(ledger.len(), 1, "booked exactly once");
    assert_eq!(ledger[0].archive_id, response.archive_id);
    assert_eq!(
        ledger[0].received, 2,
        "the resend reached the bank and was de-duplicated"
    );
}

#[tokio::test]
async fn unknown_outcome_carries_the_pending_payment_and_resolves_to_the_booked_one() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    emu.admin().inject(Fault {
        route: Some("sepa_instant_payment".into()),
        kind: FaultKind::ResetAfterCommit,
        times: None,
    });
    let err = client
        .payments()
        .sepa_instant(payment(&emu, Some("LOST1")))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownOutcome, "{err}");
    assert_eq!(err.code(), "UNKNOWN_OUTCOME");
    let pending = err.pending().expect("pending operation").clone();
    assert_eq!(pending.kind, OperationKind::SepaInstantPayment);
    assert_eq!(pending.id, "LOST1");
    let sent: PaymentRequest = serde_json::from_slice(&pending.body).unwrap();
    assert_eq!(sent.instruction_id.as_deref(), Some("LOST1"));
    assert_eq!(
        ledger_for(&emu, "LOST1").len(),
        1,
        "the bank booked it once"
    );

    emu.admin().clear_faults();
    let resolved = client.payments().resolve(&pending).await.unwrap();
    let ledger = ledger_for(&emu, "LOST1");
    assert_eq!(ledger.len(), 1, "resolving did not pay twice");
    assert_eq!(resolved.archive_id, ledger[0].archive_id);
    assert_eq!(resolved.payment_type, PaymentType::SctInst);
    // A pending payment is not a refund.
    assert_eq!(
        client.refunds().resolve(&pending).await.unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}

#[tokio::test]
async fn a_prepared_payment_can_be_stored_and_sent_later() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let pending = client
        .payments()
        .prepare(payment(&emu, None), OperationKind::SepaPayment)
        .unwrap();
    assert_eq!(
        common::requests(&emu, "sepa_payment"),
        0,
        "prepare sends nothing"
    );
    let first = client.payments().resolve(&pending).await.unwrap();
    let second = client.payments().resolve(&pending).await.unwrap();
    assert_eq!(first.archive_id, second.archive_id);
    assert_eq!(ledger_for(&emu, &pending.id).len(), 1);
}

#[tokio::test]
async fn same_instruction_id_with_another_body_is_a_conflict() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    client
        .payments()
        .sepa(payment(&emu, Some("DUP1")))
        .await
        .unwrap();
    let mut other = payment(&emu, Some("DUP1"));
    other.instructed_amount.amount = "99.00".parse().unwrap();
    let err = client.payments().sepa(other).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    assert_eq!(ledger_for(&emu, "DUP1").len(), 1);
}

#[tokio::test]
async fn invalid_payments_never_reach_the_bank() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let mut bad_iban = payment(&emu, Some("BAD1"));
    bad_iban.creditor.iban = "FI7450009420999999".into();
    let mut both = payment(&emu, Some("BAD2"));
    both.message = Some("hello".into());
    let mut long_message = payment(&emu, Some("BAD3"));
    long_message.reference = None;
    long_message.message = Some("ä".repeat(141));
    let mut bad_id = payment(&emu, Some("BAD4"));
    bad_id.instruction_id = Some("has space".into());
    for request in [bad_iban, both, long_message, bad_id] {
        let err = client.payments().sepa(request).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    }
    assert_eq!(common::requests(&emu, "sepa_payment"), 0);
    assert!(emu.admin().ledger().is_empty());
}

#[tokio::test]
async fn malformed_json_from_the_bank_is_a_decode_error() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    emu.admin().inject(Fault {
        route: Some("instant_status".into()),
        kind: FaultKind::Status {
            status: 200,
            retry_after: None,
            body: Some("<html>gateway says hi</html>".into()),
            content_type: Some("text/html".into()),
        },
        times: None,
    });
    let err = client.payments().instant_status("X1").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    assert_eq!(err.status(), Some(200));
    assert!(err.request_id().is_some());
    assert!(err.body_snippet().unwrap_or_default().contains("gateway"));
}
