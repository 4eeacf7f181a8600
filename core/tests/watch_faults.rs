//! The watcher under faults and limits: 5xx and 429 back off and recover without losing or
//! repeating a payment; the shared request-rate limit holds over many accounts.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] fns

mod common;
mod watch_support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use opcorp_emulator::{EmulatorConfig, Fault, FaultKind};
use watch_support::{assert_quiet, book, booked_ids, fast, take, unique_ids};

const WAIT: Duration = Duration::from_secs(20);
const ROUTE: &str = "transactions_v3";

fn status(status: u16, retry_after: Option<&str>, times: Option<u32>) -> Fault {
    Fault {
        route: Some(ROUTE.to_owned()),
        kind: FaultKind::Status {
            status,
            retry_after: retry_after.map(str::to_owned),
            body: None,
            content_type: None,
        },
        times,
    }
}

#[tokio::test]
async fn server_errors_back_off_and_recover_without_loss() {
    let (emu, client) = watch_support::start().await;
    let account = &watch_support::accounts(&emu)[0];
    let mut watcher = fast(client)
        .account(&account.surrogate_id)
        .max_backoff(Duration::from_millis(400))
        .build()
        .unwrap();
    let mut booked = book(&emu, &account.iban, "ok", 2);
    let mut got = take(&mut watcher, 2, WAIT).await;

    // A full outage for 2 s while payments keep arriving.
    emu.admin().inject(status(503, None, None));
    let before = common::requests(&emu, ROUTE);
    booked.extend(book(&emu, &account.iban, "outage", 3));
    assert_quiet(&mut watcher, Duration::from_secs(2)).await;
    let during = common::requests(&emu, ROUTE) - before;
    emu.admin().clear_faults();
    // Without backoff: 40 polls of 3 attempts each at a 50 ms interval. With it: a handful.
    assert!(during <= 30, "{during} requests during a 2 s outage");
    assert!(during >= 3, "the watcher kept trying: {during}");

    got.extend(take(&mut watcher, 3, WAIT).await);
    for d in &got {
        watcher.ack(d).await.unwrap();
    }
    assert_quiet(&mut watcher, Duration::from_millis(500)).await;
    assert_eq!(unique_ids(&got), booked_ids(&booked));
}

#[tokio::test]
async fn rate_limited_polls_wait_for_retry_after() {
    let (emu, client) = watch_support::start().await;
    let account = &watch_support::accounts(&emu)[0];
    let mut watcher = fast(client)
        .account(&account.surrogate_id)
        .max_backoff(Duration::from_millis(200))
        .build()
        .unwrap();
    assert_quiet(&mut watcher, Duration::from_millis(300)).await;

    emu.admin().inject(status(429, Some("1"), None));
    let before = common::requests(&emu, ROUTE);
    let booked = book(&emu, &account.iban, "throttled", 3);
    assert_quiet(&mut watcher, Duration::from_millis(2_500)).await;
    let during = common::requests(&emu, ROUTE) - before;
    // Each request is answered "wait 1 s": about 3 in 2.5 s (the client's own waits and the
    // watcher's pause both honour it), far from the 50 a 50 ms poll would send.
    assert!(during <= 6, "{during} requests while throttled for 2.5 s");
    emu.admin().clear_faults();

    let got = take(&mut watcher, 3, WAIT).await;
    assert_eq!(unique_ids(&got), booked_ids(&booked));
}

#[tokio::test]
async fn flaky_responses_lose_and_repeat_nothing() {
    let (emu, client) = watch_support::start().await;
    let accounts = watch_support::accounts(&emu);
    let mut watcher = fast(client)
        .accounts(accounts.iter().map(|a| a.surrogate_id.clone()))
        .max_backoff(Duration::from_millis(200))
        .page_size(2)
        .build()
        .unwrap();
    let mut booked = Vec::new();
    let mut got = Vec::new();
    for round in 0..6u32 {
        // Alternate faults mid-pagination: 503s, a 429, a truncated body, a reset.
        let kind = match round % 4 {
            0 => status(503, None, Some(2)),
            1 => status(429, Some("0"), Some(1)),
            2 => Fault {
                route: Some(ROUTE.to_owned()),
                kind: FaultKind::TruncatedBody,
                times: Some(1),
            },
            _ => Fault {
                route: Some(ROUTE.to_owned()),
                kind: FaultKind::ResetBeforeCommit,
                times: Some(1),
            },
        };
        for a in &accounts {
            booked.extend(book(&emu, &a.iban, &format!("r{round}"), 3));
        }
        emu.admin().inject(kind);
        let batch = take(&mut watcher, 3 * accounts.len(), WAIT).await;
        for d in &batch {
            watcher.ack(d).await.unwrap();
        }
        got.extend(batch);
    }
    assert_quiet(&mut watcher, Duration::from_millis(500)).await;
    assert_eq!(unique_ids(&got), booked_ids(&booked));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn request_rate_stays_under_the_limit_across_accounts() {
    let emu = common::emulator_with(EmulatorConfig {
        accounts_per_client: 12,
        transactions_per_account: 5,
        ..EmulatorConfig::default()
    })
    .await;
    let client = common::client(&emu);
    let accounts = watch_support::accounts(&emu);
    assert_eq!(accounts.len(), 12);
    let rate = 8.0;
    let mut watcher = fast(client)
        .accounts(accounts.iter().map(|a| a.surrogate_id.clone()))
        .poll_interval(Duration::from_millis(10))
        .max_concurrency(4)
        .max_requests_per_second(rate)
        .build()
        .unwrap();
    let before = common::requests(&emu, ROUTE);
    let started = Instant::now();
    let booked = book(&emu, &accounts[7].iban, "rated", 1);
    let got = take(&mut watcher, 1, WAIT).await;
    assert_eq!(unique_ids(&got), booked_ids(&booked));
    assert_quiet(&mut watcher, Duration::from_secs(3)).await;
    let count = common::requests(&emu, ROUTE) - before;
    let elapsed = started.elapsed().as_secs_f64();
    // Paced 1/rate apart: at most rate * elapsed + 1 (a little slack for counter timing).
    let ceiling = (rate * elapsed).ceil() as u64 + 2;
    assert!(
        count <= ceiling,
        "{count} requests in {elapsed:.2} s, limit {rate}/s"
    );
    // It does use its budget: an unthrottled 10 ms poll of 12 accounts would send hundreds.
    assert!(
        count as f64 >= rate * elapsed * 0.5,
        "{count} in {elapsed:.2} s"
    );
}

#[tokio::test]
async fn many_accounts_with_bounded_concurrency() {
    let emu = common::emulator_with(EmulatorConfig {
        accounts_per_client: 40,
        transactions_per_account: 3,
        ..EmulatorConfig::default()
    })
    .await;
    let client = common::client(&emu);
    let accounts = watch_support::accounts(&emu);
    let mut watcher = fast(client)
        .accounts(accounts.iter().map(|a| a.surrogate_id.clone()))
        .max_concurrency(3)
        .max_requests_per_second(200.0)
        .build()
        .unwrap();
    let mut booked = Vec::new();
    for a in &accounts {
        booked.extend(book(&emu, &a.iban, "fleet", 1));
    }
    let got = take(&mut watcher, accounts.len(), WAIT).await;
    assert_eq!(unique_ids(&got), booked_ids(&booked));
    let per_account: BTreeSet<&str> = got.iter().map(|d| d.account.as_str()).collect();
    assert_eq!(per_account.len(), accounts.len());
}
