//! Account Data API against the emulator: accounts, details and the auto-paginating
//! transaction stream over V2 and V3 (each transaction exactly once, in order).

// Test helpers outside `#[test]` functions unwrap too; a failure there is a test failure.
#![cfg(feature = "client")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;

use futures::{StreamExt, TryStreamExt};
use opcorp::ErrorKind;
use opcorp::api::TransactionQuery;
use opcorp::config::TransactionsVersion;
use opcorp::model::Transaction;
use opcorp_emulator::EmulatorConfig;

async fn collect(
    client: &opcorp::client::Client,
    surrogate_id: &str,
    query: TransactionQuery,
) -> Vec<Transaction> {
    client
        .account_data()
        .transactions(surrogate_id, query)
        .try_collect()
        .await
        .unwrap()
}

/// Every transaction once, ascending by time, none missing.
fn assert_exactly_once(txs: &[Transaction], expected: usize) {
    let ids: HashSet<&str> = txs.iter().map(|t| t.object_id.as_str()).collect();
    assert_eq!(ids.len(), txs.len(), "a transaction was repeated");
    assert_eq!(txs.len(), expected, "transactions lost or invented");
    assert!(
        txs.windows(2).all(|w| w[0].timestamp <= w[1].timestamp),
        "not in time order"
    );
}

#[tokio::test]
async fn accounts_and_details_match_the_bank() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let accounts = client.account_data().accounts().await.unwrap();
    let expected = emu.admin().accounts(&emu.identity().client_id);
    assert_eq!(accounts.len(), expected.len());
    for (got, want) in accounts.iter().zip(&expected) {
        assert_eq!(got.iban, want.iban);
        assert_eq!(got.surrogate_id, want.surrogate_id);
        assert_eq!(got.balance, want.balance.parse().unwrap());
        // Surrogate ids carry `=` and `-`; the path must be percent-encoded to reach the account.
        let details = client
            .account_data()
            .account(&got.surrogate_id)
            .await
            .unwrap();
        assert_eq!(details.iban, got.iban);
        assert_eq!(details.surrogate_id, got.surrogate_id);
        assert!(details.creation_date.is_some());
    }
    assert!(
        expected.iter().any(|a| a.surrogate_id.contains('=')),
        "fixture should exercise encoding"
    );
}

#[tokio::test]
async fn unknown_account_is_not_found_and_blank_is_refused_locally() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let err = client
        .account_data()
        .account("bm90LWFuLWFjY291bnQ=")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert!(err.request_id().is_some());
    let before = common::requests(&emu, "account");
    let err = client.account_data().account("  ").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    let err = client
        .account_data()
        .transactions("", TransactionQuery::new())
        .next()
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert_eq!(common::requests(&emu, "account"), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thousands_of_transactions_page_exactly_once_on_v2_and_v3() {
    const PER_ACCOUNT: usize = 5000;
    let emu = common::emulator_with(EmulatorConfig {
        transactions_per_account: PER_ACCOUNT,
        accounts_per_client: 1,
        ..Default::default()
    })
    .await;
    let client = common::client(&emu);
    let account = &emu.admin().accounts(&emu.identity().client_id)[0];

    let v3 = collect(
        &client,
        &account.surrogate_id,
        TransactionQuery::new().version(TransactionsVersion::V3),
    )
    .await;
    assert_exactly_once(&v3, PER_ACCOUNT);
    // Five full pages of 1000, then an empty one: a full page cannot tell it is the last.
    assert_eq!(common::requests(&emu, "transactions_v3"), 6);

    let v2 = collect(
        &client,
        &account.surrogate_id,
        TransactionQuery::new().version(TransactionsVersion::V2),
    )
    .await;
    assert_exactly_once(&v2, PER_ACCOUNT);
    // 33 full pages of 150, then a short one of 50 that ends the walk.
    assert_eq!(common::requests(&emu, "transactions_v2"), 34);
    let v3_ids: Vec<&str> = v3.iter().map(|t| t.object_id.as_str()).collect();
    let v2_ids: Vec<&str> = v2.iter().map(|t| t.object_id.as_str()).collect();
    assert_eq!(v2_ids, v3_ids);
    assert!(v3.iter().all(|t| t.booking_code.is_some()));
    assert!(v2.iter().all(|t| t.transaction_type_description.is_some()));
}

#[tokio::test]
async fn small_pages_cross_equal_timestamps_without_loss() {
    let emu = common::emulator_with(EmulatorConfig {
        transactions_per_account: 400,
        accounts_per_client: 1,
        ..Default::default()
    })
    .await;
    let client = common::client(&emu);
    let account = &emu.admin().accounts(&emu.identity().client_id)[0];
    let all = collect(&client, &account.surrogate_id, TransactionQuery::new()).await;
    assert_exactly_once(&all, 400);
    let shared = all
        .windows(2)
        .filter(|w| w[0].timestamp == w[1].timestamp)
        .count();
    assert!(shared > 0, "the data set should contain equal timestamps");
    for page in [1, 2, 3, 7] {
        let paged = collect(
            &client,
            &account.surrogate_id,
            TransactionQuery::new().page_size(page),
        )
        .await;
        assert_eq!(paged, all, "page size {page}");
    }
}

#[tokio::test]
async fn from_to_and_resume_bound_the_walk() {
    let emu = common::emulator_with(EmulatorConfig {
        transactions_per_account: 300,
        accounts_per_client: 1,
        ..Default::default()
    })
    .await;
    let client = common::client(&emu);
    let account = &emu.admin().accounts(&emu.identity().client_id)[0];
    let all = collect(&client, &account.surrogate_id, TransactionQuery::new()).await;

    // fromTimestamp is inclusive.
    let pivot = &all[120];
    let from = collect(
        &client,
        &account.surrogate_id,
        TransactionQuery::new().from_timestamp_micros(pivot.timestamp),
    )
    .await;
    let first_at_pivot = all
        .iter()
        .position(|t| t.timestamp == pivot.timestamp)
        .unwrap();
    assert_eq!(from, all[first_at_pivot..]);

    // Resuming after an object id continues exactly after it.
    let resumed = collect(
        &client,
        &account.surrogate_id,
        TransactionQuery::new()
            .after_object_id(&pivot.object_id)
            .page_size(50),
    )
    .await;
    assert_eq!(resumed, all[121..]);

    // `to` stops at the first transaction booked later.
    let cutoff = all[150].booking_date;
    let until = collect(
        &client,
        &account.surrogate_id,
        TransactionQuery::new().to(cutoff),
    )
    .await;
    let expected = all.iter().take_while(|t| t.booking_date <= cutoff).count();
    assert_eq!(until, all[..expected]);

    // A freshly booked credit appears at the end of the next walk.
    let booked = emu
        .admin()
        .simulate_incoming(opcorp_emulator::IncomingPayment {
            account_iban: account.iban.clone(),
            amount: "10.00".into(),
            reference: Some("1232".into()),
            message: None,
            debtor_name: "Asiakas Ab".into(),
            debtor_iban: None,
        })
        .unwrap();
    let tail = collect(
        &client,
        &account.surrogate_id,
        TransactionQuery::new().after_object_id(&all.last().unwrap().object_id),
    )
    .await;
    assert_eq!(tail.len(), 1);
    assert_eq!(tail[0].object_id, booked.object_id);
    assert_eq!(tail[0].archive_id, booked.archive_id);
    assert_eq!(tail[0].reference.as_deref(), Some("00000000000000001232"));
}

#[tokio::test]
async fn a_failed_page_ends_the_stream_with_the_error() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let account = &emu.admin().accounts(&emu.identity().client_id)[0];
    emu.admin().inject(opcorp_emulator::Fault {
        route: Some("transactions_v3".into()),
        kind: opcorp_emulator::FaultKind::Status {
            status: 200,
            retry_after: None,
            body: Some("[{\"amount\": \"1.00\", \"objectId\": ".into()),
            content_type: None,
        },
        times: None,
    });
    let results: Vec<_> = client
        .account_data()
        .transactions(&account.surrogate_id, TransactionQuery::new())
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    let err = results.into_iter().next().unwrap().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    assert!(err.request_id().is_some());
}

/// Both anchoring modes of the emulator, small pages over equal timestamps: every mode of
/// the client yields each transaction once; on the ignoring bank the client falls back once
/// and then pages by timestamp from the start (no wasted objectId request).
#[tokio::test]
async fn ignored_object_id_anchors_fall_back_to_timestamps_without_loss() {
    use opcorp::paging::Anchoring;
    use opcorp_emulator::{ObjectIdAnchors, Quirks};
    let emu = common::emulator_with(EmulatorConfig {
        transactions_per_account: 400,
        accounts_per_client: 1,
        ..Default::default()
    })
    .await;
    let account = emu.admin().accounts(&emu.identity().client_id)[0].clone();
    let reference = collect(
        &common::client(&emu),
        &account.surrogate_id,
        TransactionQuery::new(),
    )
    .await;
    assert_exactly_once(&reference, 400);
    assert!(
        reference
            .windows(2)
            .any(|w| w[0].timestamp == w[1].timestamp),
        "the data set should contain equal timestamps"
    );
    for bank in [ObjectIdAnchors::Honoured, ObjectIdAnchors::Ignored] {
        emu.admin().set_quirks(Quirks {
            object_id_anchors: bank,
            ..emu.admin().quirks()
        });
        for mode in [Anchoring::Auto, Anchoring::Timestamp] {
            for page in [5, 7] {
                let client = common::client(&emu);
                let query = TransactionQuery::new().page_size(page).anchoring(mode);
                let paged = collect(&client, &account.surrogate_id, query).await;
                assert_eq!(paged, reference, "{bank:?} {mode:?} page {page}");
            }
        }
        let client = common::client(&emu);
        let before = common::requests(&emu, "transactions_v3");
        let query = || TransactionQuery::new().page_size(50);
        assert_eq!(
            collect(&client, &account.surrogate_id, query()).await,
            reference
        );
        let first = common::requests(&emu, "transactions_v3") - before;
        assert_eq!(
            collect(&client, &account.surrogate_id, query()).await,
            reference
        );
        let second = common::requests(&emu, "transactions_v3") - before - first;
        match bank {
            // 8 full pages and an empty one.
            ObjectIdAnchors::Honoured => assert_eq!((first, second), (9, 9)),
            // The discarded page costs one request, once per client; pages by timestamp
            // start again on the last timestamp, so the walk ends on a short page.
            ObjectIdAnchors::Ignored => {
                assert_eq!(
                    first,
                    second + 1,
                    "fallback remembered: {first} then {second}"
                );
            }
        }
    }
    // Strict objectId mode on the ignoring bank is an error, not duplicates.
    let client = common::client(&emu);
    let query = TransactionQuery::new()
        .page_size(7)
        .anchoring(Anchoring::ObjectId);
    let result: Result<Vec<Transaction>, _> = client
        .account_data()
        .transactions(&account.surrogate_id, query)
        .try_collect()
        .await;
    assert_eq!(result.unwrap_err().kind(), ErrorKind::Decode);
}

/// Transactions V3's path is inferred: where it answers 404 and V2 answers, the default
/// (`Auto`) client uses V2 once and for the rest of its life; an unknown account's 404
/// repeats on V2 and is reported, not learned.
#[tokio::test]
async fn auto_version_falls_back_to_v2_once_per_client_on_404() {
    use opcorp_emulator::{Fault, FaultKind};
    let emu = common::emulator().await;
    let account = emu.admin().accounts(&emu.identity().client_id)[0].clone();
    let client = common::client(&emu);
    let reference = collect(&client, &account.surrogate_id, TransactionQuery::new()).await;
    assert_eq!(
        client.learned_transactions_version(),
        Some(TransactionsVersion::V3)
    );
    emu.admin().inject(Fault {
        route: Some("transactions_v3".into()),
        kind: FaultKind::Status {
            status: 404,
            retry_after: None,
            body: None,
            content_type: None,
        },
        times: None,
    });
    let client = common::client(&emu);
    let err = client
        .account_data()
        .transactions("bm90LWFuLWFjY291bnQ=", TransactionQuery::new())
        .next()
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    assert_eq!(
        client.learned_transactions_version(),
        None,
        "a 404 on both is not learned"
    );
    let v3_before = common::requests(&emu, "transactions_v3");
    let all = collect(&client, &account.surrogate_id, TransactionQuery::new()).await;
    assert_eq!(
        client.learned_transactions_version(),
        Some(TransactionsVersion::V2)
    );
    let ids = |t: &[Transaction]| t.iter().map(|t| t.object_id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&all), ids(&reference));
    assert!(
        all.iter().all(|t| t.transaction_type_description.is_some()),
        "V2 shape"
    );
    assert_eq!(common::requests(&emu, "transactions_v3"), v3_before + 1);
    // Remembered: the next stream of this client (or a clone) goes straight to V2.
    let clone = client.clone();
    collect(&clone, &account.surrogate_id, TransactionQuery::new()).await;
    assert_eq!(common::requests(&emu, "transactions_v3"), v3_before + 1);
}
