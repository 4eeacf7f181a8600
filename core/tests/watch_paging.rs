//! Page boundaries and equal timestamps: several transactions registered in the same
//! microsecond, split over pages, arriving while the watcher polls — each delivered once.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] fns

mod common;
mod watch_support;

use std::collections::BTreeSet;
use std::time::Duration;

use futures::TryStreamExt;
use opcorp::api::TransactionQuery;
use opcorp::client::Client;
use opcorp::model::Transaction;
use opcorp::watch::StartFrom;
use opcorp_emulator::EmulatorConfig;
use watch_support::{assert_quiet, book, fast, take, unique_ids};

const WAIT: Duration = Duration::from_secs(20);

async fn listing(client: &Client, account: &str, query: TransactionQuery) -> Vec<Transaction> {
    client
        .account_data()
        .transactions(account, query)
        .try_collect()
        .await
        .unwrap()
}

#[tokio::test]
async fn same_timestamp_transactions_across_page_boundaries() {
    let (emu, client) = watch_support::start().await;
    let account = &watch_support::accounts(&emu)[0];
    let history = listing(&client, &account.surrogate_id, TransactionQuery::new()).await;
    let last = history.last().unwrap().timestamp;
    let seeded_at_last = history.iter().filter(|t| t.timestamp == last).count();
    // With the bank clock 100 days behind (the seeded history spans 60), every new booking gets the account's last timestamp:
    // a growing group of transactions in one microsecond.
    emu.admin().set_clock_skew(-100 * 86_400);
    let mut booked = book(&emu, &account.iban, "early", 4);
    let mut watcher = fast(client.clone())
        .account(&account.surrogate_id)
        .start_from(StartFrom::Timestamp(last))
        .include_outgoing(true)
        .page_size(3)
        .build()
        .unwrap();
    let mut got = take(&mut watcher, seeded_at_last + 4, WAIT).await;
    for d in &got {
        watcher.ack(d).await.unwrap();
    }
    // More in the same microsecond while it polls, some acknowledged, some not yet.
    booked.extend(book(&emu, &account.iban, "late", 7));
    got.extend(take(&mut watcher, 7, WAIT).await);
    for d in got.iter().skip(seeded_at_last + 4).step_by(2) {
        watcher.ack(d).await.unwrap();
    }
    assert_quiet(&mut watcher, Duration::from_millis(700)).await;

    let now = listing(
        &client,
        &account.surrogate_id,
        TransactionQuery::new().from_timestamp_micros(last),
    )
    .await;
    let stamps: Vec<i64> = now.iter().map(|t| t.timestamp).collect();
    assert!(
        now.iter().all(|t| t.timestamp == last),
        "one microsecond: {last} {stamps:?}"
    );
    assert_eq!(now.len(), seeded_at_last + 11, "groups larger than a page");
    let expected: BTreeSet<String> = now.iter().map(|t| t.object_id.clone()).collect();
    assert_eq!(unique_ids(&got), expected);
    for b in &booked {
        assert!(expected.contains(&b.object_id));
    }
}

#[tokio::test]
async fn whole_history_with_small_pages_is_delivered_exactly_once() {
    let emu = common::emulator_with(EmulatorConfig {
        transactions_per_account: 500,
        ..EmulatorConfig::default()
    })
    .await;
    let client = common::client(&emu);
    let account = &watch_support::accounts(&emu)[1];
    let history = listing(&client, &account.surrogate_id, TransactionQuery::new()).await;
    assert_eq!(history.len(), 500);
    let equal = history
        .windows(2)
        .filter(|w| w[0].timestamp == w[1].timestamp)
        .count();
    assert!(equal > 0, "the seeded data has equal timestamps");

    let mut watcher = fast(client)
        .account(&account.surrogate_id)
        .start_from(StartFrom::Beginning)
        .page_size(7)
        .build()
        .unwrap();
    let credits: Vec<&Transaction> = history.iter().filter(|t| !t.is_debit()).collect();
    let got = take(&mut watcher, credits.len(), WAIT).await;
    let expected: BTreeSet<String> = credits.iter().map(|t| t.object_id.clone()).collect();
    assert_eq!(unique_ids(&got), expected);
    // Delivered oldest first, as the bank lists them.
    let order: Vec<&str> = got.iter().map(|d| d.object_id()).collect();
    let listed: Vec<&str> = credits.iter().map(|t| t.object_id.as_str()).collect();
    assert_eq!(order, listed);
    for d in &got {
        watcher.ack(d).await.unwrap();
    }
    assert_quiet(&mut watcher, Duration::from_millis(500)).await;
    let cp = watcher.checkpoint(&account.surrogate_id).unwrap();
    assert_eq!(cp.anchor, credits.last().unwrap().timestamp);
}
