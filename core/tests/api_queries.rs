//! Transaction Filter, Transaction Info and Service Provider APIs against the emulator.

// Test helpers outside `#[test]` functions unwrap too; a failure there is a test failure.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use opcorp::ErrorKind;
use opcorp::model::{FilterQuery, MandateStatus, PayerDetailsQuery};
use opcorp_emulator::IncomingPayment;
use time::{Duration, OffsetDateTime};

fn incoming(iban: &str, amount: &str, payer: &str, payer_iban: &str) -> IncomingPayment {
    IncomingPayment {
        account_iban: iban.to_owned(),
        amount: amount.to_owned(),
        reference: None,
        message: Some("Lasku ☕ äö".into()),
        debtor_name: payer.to_owned(),
        debtor_iban: Some(payer_iban.to_owned()),
    }
}

fn today_query(iban: &str) -> FilterQuery {
    let today = OffsetDateTime::now_utc().date();
    FilterQuery::for_dates(iban, today - Duration::days(1), today).unwrap()
}

#[tokio::test]
async fn credit_filter_surfaces_skipped_matches() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let account = emu.admin().accounts(&emu.identity().client_id)[0].clone();
    for i in 0..15 {
        emu.admin()
            .simulate_incoming(incoming(
                &account.iban,
                &format!("{}.00", 300 + i),
                "Suodatin Testaaja Oy",
                "FI2112345600000785",
            ))
            .unwrap();
    }
    let mut query = today_query(&account.iban);
    query.debtor_name = Some("suodatin testaaja".into());
    let result = client.transaction_filter().credit(&query).await.unwrap();
    assert_eq!(result.transactions.len(), 10);
    assert_eq!(result.skipped, 5);
    assert!(!result.is_complete());
    assert!(result.transactions.iter().all(|t| !t.amount.is_negative()));

    // Narrowing by amount gives a complete answer.
    query.min_amount = Some("300.00".parse().unwrap());
    query.max_amount = Some("302.00".parse().unwrap());
    let narrow = client.transaction_filter().credit(&query).await.unwrap();
    assert!(narrow.is_complete());
    assert_eq!(narrow.transactions.len(), 3);
}

#[tokio::test]
async fn debit_filter_finds_outgoing_payments() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let account = emu.admin().accounts(&emu.identity().client_id)[0].clone();
    let request = opcorp::model::PaymentRequest::builder()
        .debtor("Esimerkki Oy", account.iban.clone())
        .creditor("Debit Haku Oy", "FI2112345600000785")
        .amount("12.34".parse().unwrap())
        .message("filter me")
        .build()
        .unwrap();
    let paid = client.payments().sepa(request).await.unwrap();
    let mut query = today_query(&account.iban);
    query.creditor_name = Some("Debit Haku".into());
    let result = client.transaction_filter().debit(&query).await.unwrap();
    assert!(result.is_complete());
    assert_eq!(result.transactions.len(), 1);
    assert_eq!(result.transactions[0].archive_id, paid.archive_id);
    assert!(result.transactions[0].amount.is_negative());
}

#[tokio::test]
async fn a_long_filter_range_is_split_into_30_day_windows() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let account = emu.admin().accounts(&emu.identity().client_id)[0].clone();
    // The seeded history covers 60 days: a 90-day search (OP's own sample spans three
    // months) goes out as three windows, and finds what three manual searches find.
    let mut query = today_query(&account.iban);
    query.start_date = query.end_date - Duration::days(90);
    let all = client.transaction_filter().credit(&query).await.unwrap();
    assert_eq!(common::requests(&emu, "filter_credit"), 3);
    let mut manual = Vec::new();
    let mut skipped = 0;
    for window in query.windows() {
        let part = client.transaction_filter().credit(&window).await.unwrap();
        skipped += part.skipped;
        manual.extend(part.transactions);
    }
    assert_eq!(all.skipped, skipped, "skipped is summed");
    assert!(
        all.skipped > 0,
        "the seeded data has more than 10 credits per month"
    );
    assert!(!all.is_complete());
    manual.dedup_by(|a, b| a.archive_id == b.archive_id);
    assert_eq!(all.transactions, manual);
    // Longer than 13 windows is refused before anything is sent.
    let before = common::requests(&emu, "filter_credit");
    query.start_date = query.end_date - Duration::days(400);
    let err = client
        .transaction_filter()
        .credit(&query)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(common::requests(&emu, "filter_credit"), before);
}

#[tokio::test]
async fn payer_details_for_op_payers_only() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let account = emu.admin().accounts(&emu.identity().client_id)[0].clone();
    // FI38 5999… is an OP account (bank code 5); FI21 1234… is not.
    let from_op = emu
        .admin()
        .simulate_incoming(incoming(
            &account.iban,
            "10.00",
            "Maksaja Öörni",
            "FI3859991620004143",
        ))
        .unwrap();
    let elsewhere = emu
        .admin()
        .simulate_incoming(incoming(
            &account.iban,
            "10.00",
            "Muu Pankki",
            "FI2112345600000785",
        ))
        .unwrap();
    let details = client
        .transaction_info()
        .payer_details(&PayerDetailsQuery::new(&account.iban, &from_op.archive_id).unwrap())
        .await
        .unwrap();
    assert_eq!(details.payer_name.as_deref(), Some("Maksaja Öörni"));
    assert_eq!(details.payer_address.unwrap().country, "FI");
    let err = client
        .transaction_info()
        .payer_details(&PayerDetailsQuery::new(&account.iban, &elsewhere.archive_id).unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
}

#[tokio::test]
async fn mandates_are_listed() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let mandates = client.service_provider().mandates().await.unwrap();
    assert!((2..=4).contains(&mandates.len()), "{mandates:?}");
    for m in &mandates {
        assert!(!m.mandate_id.is_empty());
        assert!(!m.apis.is_empty());
        assert_eq!(m.status, MandateStatus::Active);
        assert!(m.business_id.as_deref().is_some_and(|b| b.len() == 9));
    }
}
