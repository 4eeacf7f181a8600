//! Verification of Payee against the emulator: the four outcomes, local validation before
//! any network call, faults, and the payment policy that stops a payment before signing.

// Test helpers outside `#[test]` functions unwrap too; a failure there is a test failure.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use opcorp::config::ApiPaths;
use opcorp::model::{PayeeCheck, PayeeMatch, PaymentRequest};
use opcorp::{Amount, ErrorKind};
use opcorp_emulator::{Emulator, Fault, FaultKind};

const KONE: &str = "FI51 1000 3500 0123 45";
const ROUTE: &str = "account_verification";

fn payment(emu: &Emulator, payee: &str, iban: &str, id: &str) -> PaymentRequest {
    let debtor = &emu.admin().accounts(&emu.identity().client_id)[0];
    PaymentRequest::builder()
        .debtor("Esimerkki Oy", debtor.iban.clone())
        .creditor(payee, iban)
        .amount("80.00".parse::<Amount>().unwrap())
        .reference("RF57100023")
        .instruction_id(id)
        .build()
        .unwrap()
}

fn booked(emu: &Emulator, id: &str) -> usize {
    emu.admin()
        .ledger()
        .iter()
        .filter(|e| e.instruction_id == id)
        .count()
}

#[tokio::test]
async fn outcomes_match_close_no_match_and_not_possible() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let api = client.account_verification();

    let exact = api.verify_payee(KONE, "KONE & TERÄ OY").await.unwrap();
    assert_eq!(exact.outcome, PayeeMatch::Match);
    assert_eq!(exact.matched_name, None);
    assert_eq!(
        uuid::Uuid::parse_str(&exact.request_id)
            .unwrap()
            .get_version_num(),
        4
    );

    let ltd = api.verify_payee(KONE, "Kone & Tera Ltd").await.unwrap();
    assert_eq!(
        ltd.outcome,
        PayeeMatch::Match,
        "company forms and diacritics"
    );

    let close = api.verify_payee(KONE, "Kone & Tero Oy").await.unwrap();
    assert_eq!(close.outcome, PayeeMatch::CloseMatch);
    assert_eq!(close.matched_name.as_deref(), Some("Kone & Terä Oy"));

    let none = api.verify_payee(KONE, "Puu ja Lauta Oy").await.unwrap();
    assert_eq!(none.outcome, PayeeMatch::NoMatch);

    // Holvi (bank code 799) does not take part in the emulator.
    let holvi = api
        .verify_payee("FI31 7990 0000 0000 17", "Anyone")
        .await
        .unwrap();
    assert_eq!(holvi.outcome, PayeeMatch::NotPossible);
    assert_eq!(common::requests(&emu, ROUTE), 5);
}

#[tokio::test]
async fn bad_input_is_rejected_before_any_request() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let api = client.account_verification();
    for (iban, name) in [
        ("FI51 1000 3500 0123 46", "Kone"),
        ("not an iban", "Kone"),
        (KONE, "   "),
        (KONE, "a\u{0}b"),
    ] {
        let err = api.verify_payee(iban, name).await.unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::InvalidInput,
            "{iban} {name:?}: {err}"
        );
    }
    let long = "x".repeat(141);
    assert!(api.verify_payee(KONE, &long).await.is_err());
    assert_eq!(common::requests(&emu, ROUTE), 0);
}

#[tokio::test]
async fn faults_surface_as_typed_errors_and_reads_are_retried() {
    let emu = common::emulator().await;
    let client = common::builder(&emu)
        .retry_policy(common::fast_retries())
        .build()
        .unwrap();
    emu.admin().inject(Fault {
        route: Some(ROUTE.into()),
        kind: FaultKind::Status {
            status: 503,
            retry_after: None,
            body: None,
            content_type: None,
        },
        times: Some(1),
    });
    let ok = client
        .account_verification()
        .verify_payee(KONE, "Kone & Terä Oy")
        .await
        .unwrap();
    assert_eq!(ok.outcome, PayeeMatch::Match);
    assert_eq!(common::requests(&emu, ROUTE), 2, "one 503, one retry");

    emu.admin().inject(Fault {
        route: Some(ROUTE.into()),
        kind: FaultKind::Status {
            status: 200,
            retry_after: None,
            body: Some("{\"unexpected\": true}".into()),
            content_type: None,
        },
        times: Some(1),
    });
    let err = client
        .account_verification()
        .verify_payee(KONE, "Kone & Terä Oy")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    assert!(err.request_id().is_some());
}

#[tokio::test]
async fn field_names_and_path_come_from_configuration() {
    let emu = common::emulator().await;
    let mut paths = ApiPaths::default();
    paths.payee_verification_fields.result = "matchResult".into();
    let client = common::builder(&emu).paths(paths).build().unwrap();
    // The emulator answers `result`, so a client configured for another name cannot decode.
    let err = client
        .account_verification()
        .verify_payee(KONE, "Kone & Terä Oy")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    assert!(err.message().contains("matchResult"), "{err}");
}

#[tokio::test]
async fn payee_policy_stops_a_payment_before_signing() {
    let emu = common::emulator().await;
    let strict = common::builder(&emu)
        .payee_check(PayeeCheck::RequireMatch)
        .build()
        .unwrap();

    // No match: stopped, nothing booked, exit kind PAYEE_MISMATCH.
    let err = strict
        .payments()
        .sepa(payment(&emu, "Puu ja Lauta Oy", KONE, "VOPNOMATCH1"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PayeeMismatch, "{err}");
    assert_eq!(err.code(), "PAYEE_MISMATCH");
    assert!(!err.is_retryable());
    assert_eq!(booked(&emu, "VOPNOMATCH1"), 0);
    assert_eq!(common::requests(&emu, "sepa_payment"), 0);

    // A close match is stopped by RequireMatch and allowed by AllowCloseMatch.
    let close = payment(&emu, "Kone & Tero Oy", KONE, "VOPCLOSE1");
    let err = strict.payments().sepa(close.clone()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::PayeeMismatch);
    assert!(err.message().contains("Kone & Terä Oy"), "{err}");
    strict
        .payments()
        .with_payee_check(PayeeCheck::AllowCloseMatch)
        .sepa(close)
        .await
        .unwrap();
    assert_eq!(booked(&emu, "VOPCLOSE1"), 1);

    // A match goes through; Skip sends without asking.
    strict
        .payments()
        .sepa_instant(payment(&emu, "kone & tera", KONE, "VOPMATCH1"))
        .await
        .unwrap();
    assert_eq!(booked(&emu, "VOPMATCH1"), 1);
    let before = common::requests(&emu, ROUTE);
    strict
        .payments()
        .with_payee_check(PayeeCheck::Skip)
        .sepa(payment(&emu, "Puu ja Lauta Oy", KONE, "VOPSKIP1"))
        .await
        .unwrap();
    assert_eq!(common::requests(&emu, ROUTE), before);
    assert_eq!(booked(&emu, "VOPSKIP1"), 1);

    // The default client policy is Skip.
    assert_eq!(common::client(&emu).payee_check(), PayeeCheck::Skip);
}
