//! The watcher's delivery contract against the in-process emulator: new incoming payments
//! are delivered once; acknowledged ones never again, also after a restart with the same
//! file checkpoint; unacknowledged ones again after a restart; outgoing only on request.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] fns

mod common;
mod watch_support;

use std::time::Duration;

use opcorp::checkpoint::{FileCheckpointStore, MemoryCheckpointStore};
use opcorp::model::PaymentRequest;
use opcorp::watch::Watcher;
use opcorp::{Amount, ErrorKind};
use watch_support::{assert_quiet, book, booked_ids, fast, take, unique_ids};

const WAIT: Duration = Duration::from_secs(10);
const QUIET: Duration = Duration::from_millis(700);

#[tokio::test]
async fn new_incoming_payments_are_delivered_once() {
    let (emu, client) = watch_support::start().await;
    let account = &watch_support::accounts(&emu)[0];
    let mut watcher = fast(client).account(&account.surrogate_id).build().unwrap();
    // Only what arrives after the start is delivered, not the seeded history.
    assert_quiet(&mut watcher, QUIET).await;
    let booked = book(&emu, &account.iban, "first", 5);
    let got = take(&mut watcher, 5, WAIT).await;
    assert_eq!(unique_ids(&got), booked_ids(&booked));
    for d in &got {
        assert_eq!(d.account, account.surrogate_id);
        assert!(d.transaction.is_credit());
        assert!(
            d.transaction
                .message
                .as_deref()
                .unwrap()
                .starts_with("first ")
        );
        watcher.ack(d).await.unwrap();
        watcher.ack(d).await.unwrap(); // a second ack is harmless
    }
    // Several polls and rescans later: nothing again.
    assert_quiet(&mut watcher, QUIET).await;
    let more = book(&emu, &account.iban, "second", 2);
    let got = take(&mut watcher, 2, WAIT).await;
    assert_eq!(unique_ids(&got), booked_ids(&more));
}

#[tokio::test]
async fn unacknowledged_deliveries_stay_out_until_acknowledged() {
    // Within one watcher an unacknowledged delivery is not repeated by later polls either.
    let (emu, client) = watch_support::start().await;
    let account = &watch_support::accounts(&emu)[0];
    let store = std::sync::Arc::new(MemoryCheckpointStore::new());
    let mut watcher = fast(client)
        .account(&account.surrogate_id)
        .checkpoint_shared(store.clone())
        .build()
        .unwrap();
    let booked = book(&emu, &account.iban, "x", 3);
    let got = take(&mut watcher, 3, WAIT).await;
    assert_eq!(unique_ids(&got), booked_ids(&booked));
    assert_quiet(&mut watcher, QUIET).await;
    // The stored anchor waits for the oldest unacknowledged delivery.
    watcher.ack(&got[2]).await.unwrap();
    let cp = store.snapshot()[&account.surrogate_id].clone();
    assert!(cp.anchor <= got[0].transaction.timestamp, "{cp:?}");
    assert!(cp.acked.iter().any(|a| a.object_id == got[2].object_id()));
}

#[tokio::test]
async fn acknowledged_payments_are_not_redelivered_after_restart() {
    let (emu, client) = watch_support::start().await;
    let account = &watch_support::accounts(&emu)[0];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("checkpoint.json");

    let mut watcher = fast(client.clone())
        .account(&account.surrogate_id)
        .checkpoint(FileCheckpointStore::open(&path).unwrap())
        .build()
        .unwrap();
    let booked = book(&emu, &account.iban, "before", 4);
    let got = take(&mut watcher, 4, WAIT).await;
    assert_eq!(unique_ids(&got), booked_ids(&booked));
    for d in &got {
        watcher.ack(d).await.unwrap();
    }
    drop(watcher);

    // Booked while no watcher runs: must not be lost.
    let while_down = book(&emu, &account.iban, "down", 2);
    let mut watcher = fast(client)
        .account(&account.surrogate_id)
        .checkpoint(FileCheckpointStore::open(&path).unwrap())
        .build()
        .unwrap();
    let got = take(&mut watcher, 2, WAIT).await;
    assert_eq!(unique_ids(&got), booked_ids(&while_down));
    for d in &got {
        watcher.ack(d).await.unwrap();
    }
    assert_quiet(&mut watcher, QUIET).await;
}

#[tokio::test]
async fn unacknowledged_payments_are_redelivered_after_restart() {
    let (emu, client) = watch_support::start().await;
    let accounts = watch_support::accounts(&emu);
    let (a, b) = (&accounts[0], &accounts[1]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("checkpoint.json");
    let open = || FileCheckpointStore::open(&path).unwrap();

    let mut watcher = fast(client.clone())
        .accounts([&a.surrogate_id, &b.surrogate_id])
        .checkpoint(open())
        .build()
        .unwrap();
    let mut booked = book(&emu, &a.iban, "a", 3);
    booked.extend(book(&emu, &b.iban, "b", 3));
    let got = take(&mut watcher, 6, WAIT).await;
    assert_eq!(unique_ids(&got), booked_ids(&booked));
    // Acknowledge one per account, keep the rest unacknowledged.
    let acked: Vec<_> = [&a.surrogate_id, &b.surrogate_id]
        .iter()
        .map(|acc| got.iter().find(|d| &&d.account == acc).unwrap().clone())
        .collect();
    for d in &acked {
        watcher.ack(d).await.unwrap();
    }
    drop(watcher);

    let mut watcher = fast(client)
        .accounts([&a.surrogate_id, &b.surrogate_id])
        .checkpoint(open())
        .build()
        .unwrap();
    let again = take(&mut watcher, 4, WAIT).await;
    let expected: std::collections::BTreeSet<String> = got
        .iter()
        .filter(|d| !acked.contains(d))
        .map(|d| d.object_id().to_owned())
        .collect();
    assert_eq!(unique_ids(&again), expected);
    assert_quiet(&mut watcher, QUIET).await;
}

#[tokio::test]
async fn outgoing_transactions_only_when_asked() {
    let (emu, client) = watch_support::start().await;
    let accounts = watch_support::accounts(&emu);
    let (payer, payee) = (&accounts[0], &accounts[1]);
    let mut credits_only = fast(client.clone())
        .account(&payer.surrogate_id)
        .build()
        .unwrap();
    let mut everything = fast(client.clone())
        .account(&payer.surrogate_id)
        .include_outgoing(true)
        .build()
        .unwrap();
    // Let both watchers settle their start point before anything is booked.
    assert_quiet(&mut credits_only, QUIET).await;

    let payment = PaymentRequest::builder()
        .debtor("Esimerkki Oy", &payer.iban)
        .creditor("Toinen Tili", &payee.iban)
        .amount(Amount::from_minor_units(12_345))
        .message("watch test debit")
        .build()
        .unwrap();
    client.payments().sepa(payment).await.unwrap();
    let credit = book(&emu, &payer.iban, "credit", 1);

    let got = take(&mut credits_only, 1, WAIT).await;
    assert_eq!(unique_ids(&got), booked_ids(&credit));
    assert_quiet(&mut credits_only, QUIET).await;

    let got = take(&mut everything, 2, WAIT).await;
    unique_ids(&got);
    let debits: Vec<_> = got.iter().filter(|d| d.transaction.is_debit()).collect();
    assert_eq!(debits.len(), 1, "{got:?}");
    assert_eq!(debits[0].transaction.amount.to_string(), "-123.45");
    assert!(got.iter().any(|d| d.object_id() == credit[0].object_id));
}

#[tokio::test]
async fn bad_settings_are_refused() {
    let (_emu, client) = watch_support::start().await;
    let no_accounts = Watcher::builder(client.clone()).build().unwrap_err();
    assert_eq!(no_accounts.kind(), ErrorKind::InvalidInput);
    let zero_rate = Watcher::builder(client.clone())
        .account("x")
        .max_requests_per_second(0.0)
        .build()
        .unwrap_err();
    assert_eq!(zero_rate.kind(), ErrorKind::InvalidInput);
    let zero_poll = Watcher::builder(client.clone())
        .account("x")
        .poll_interval(Duration::ZERO)
        .build()
        .unwrap_err();
    assert_eq!(zero_poll.kind(), ErrorKind::InvalidInput);
    let watcher = Watcher::builder(client).account("x").build().unwrap();
    let stranger = opcorp::watch::Delivery {
        account: "not-watched".into(),
        mandate: None,
        transaction: serde_json::from_value(serde_json::json!({
            "amount": "1.00", "objectId": "o", "archiveId": "1",
            "timestamp": 1, "bookingDate": "2024-06-01"
        }))
        .unwrap(),
        detected_at: std::time::SystemTime::now(),
    };
    assert_eq!(
        watcher.ack(&stranger).await.unwrap_err().kind(),
        ErrorKind::InvalidInput
    );
}

#[tokio::test]
async fn an_unknown_account_is_reported_not_fatal() {
    let (emu, client) = watch_support::start().await;
    let account = &watch_support::accounts(&emu)[0];
    let mut watcher = fast(client)
        .accounts(["no-such-account", account.surrogate_id.as_str()])
        .max_backoff(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = tokio::time::timeout(WAIT, watcher.next())
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    // The other account keeps being watched.
    let booked = book(&emu, &account.iban, "still", 1);
    let mut got = Vec::new();
    while got.is_empty() {
        match tokio::time::timeout(WAIT, watcher.next()).await.unwrap() {
            Ok(d) => got.push(d),
            Err(e) => assert_eq!(e.kind(), ErrorKind::NotFound),
        }
    }
    assert_eq!(unique_ids(&got), booked_ids(&booked));
}
