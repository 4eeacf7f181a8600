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

#[tokio::test]
async fn a_handle_acting_for_a_mandate_reads_that_companys_accounts() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let admin = emu.admin();
    let demo = &emu.identity().client_id;
    let added = admin
        .add_mandate(
            demo,
            &opcorp_emulator::NewMandate {
                company_name: "Asiakasyritys Oy".into(),
                business_id: None,
                apis: None,
                accounts: Some(2),
            },
        )
        .unwrap();
    let company = client.acting_for(&added.mandate_id).unwrap();
    assert_eq!(company.mandate(), Some(added.mandate_id.as_str()));
    let listed: Vec<String> = company
        .account_data()
        .accounts()
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.surrogate_id)
        .collect();
    let expected: Vec<String> = added
        .accounts
        .iter()
        .map(|a| a.surrogate_id.clone())
        .collect();
    assert_eq!(listed, expected, "the header selected the company");
    let own = client.account_data().accounts().await.unwrap();
    assert!(own.iter().all(|a| !listed.contains(&a.surrogate_id)));
    // Transactions go through the same engine and carry the header too.
    let booked = admin
        .simulate_incoming(incoming(
            &added.accounts[0].iban,
            "5.00",
            "Maksaja Oy",
            &own[0].iban,
        ))
        .unwrap();
    let mut stream = company.account_data().transactions(
        &listed[0],
        opcorp::api::account_data::TransactionQuery::new(),
    );
    let mut found = false;
    while let Some(t) = futures::StreamExt::next(&mut stream).await {
        found |= t.unwrap().object_id == booked.object_id;
    }
    assert!(
        found,
        "the company's booked payment is listed acting for it"
    );
    // Without the mandate the company's account is not the caller's.
    let err = client.account_data().account(&listed[0]).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
}

#[tokio::test]
async fn unknown_and_revoked_mandates_are_forbidden_errors() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let err = client
        .acting_for("no-such-mandate")
        .unwrap()
        .account_data()
        .accounts()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden, "{err}");
    assert_eq!(err.status(), Some(403));
    assert!(err.request_id().is_some());
    let mandate = client.service_provider().mandates().await.unwrap()[0]
        .mandate_id
        .clone();
    emu.admin().revoke_mandate(&mandate).unwrap();
    let listed = client.service_provider().mandates().await.unwrap();
    assert_eq!(
        listed
            .iter()
            .find(|m| m.mandate_id == mandate)
            .unwrap()
            .status,
        MandateStatus::Revoked
    );
    let err = client
        .acting_for(&mandate)
        .unwrap()
        .account_data()
        .accounts()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden, "{err}");
    for bad in ["", "has space", "line\nbreak", "ä"] {
        assert_eq!(
            client.acting_for(bad).unwrap_err().kind(),
            ErrorKind::InvalidInput,
            "{bad:?}"
        );
    }
}
