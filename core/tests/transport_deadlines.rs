//! Slow links, hung servers and a restarting bank (reliability matrix F7 and F9): every
//! deadline ends a call close to when it should, a payment cut by one goes through the
//! ambiguous-outcome path, and a restart costs stale connections, never a duplicate payment.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (clippy.toml)

mod common;

use std::time::{Duration, Instant};

use opcorp::ErrorKind;
use opcorp::retry::RetryPolicy;
use opcorp_emulator::{Fault, FaultKind};

/// Slack above a deadline for a busy 2-core machine; the lower bound is exact.
const SLACK: Duration = Duration::from_millis(600);

/// One attempt only, so the elapsed time is one deadline.
fn one_attempt() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 1,
        ..common::fast_retries()
    }
}

fn fault(route: &str, kind: FaultKind, times: Option<u32>) -> Fault {
    Fault {
        route: Some(route.into()),
        kind,
        times,
    }
}

/// Asserts `elapsed` is at least `deadline` and not much more.
fn near(elapsed: Duration, deadline: Duration) {
    assert!(elapsed >= deadline, "{elapsed:?} < {deadline:?}");
    assert!(elapsed <= deadline + SLACK, "{elapsed:?} ≫ {deadline:?}");
}

#[tokio::test]
async fn a_slow_body_is_cut_at_the_total_deadline() {
    let emu = common::emulator().await;
    let client = common::builder(&emu)
        .retry_policy(one_attempt())
        .total_timeout(Duration::from_secs(1))
        .read_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    client.account_data().accounts().await.unwrap();
    // 1 KB/s on a 5 MB answer: about 85 minutes, with a chunk every 100 ms.
    let slow = FaultKind::SlowBody {
        bytes_per_second: 1024,
        pad_to: Some(5 * 1024 * 1024),
    };
    emu.admin().inject(fault("accounts", slow, None));
    let started = Instant::now();
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    near(started.elapsed(), Duration::from_secs(1));
}

#[tokio::test]
async fn a_slow_body_inside_the_deadlines_is_read_whole() {
    let emu = common::emulator().await;
    let client = common::builder(&emu)
        .read_timeout(Duration::from_millis(500))
        .total_timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let slow = FaultKind::SlowBody {
        bytes_per_second: 40 * 1024,
        pad_to: Some(40 * 1024),
    };
    emu.admin().inject(fault("accounts", slow, Some(1)));
    let started = Instant::now();
    let accounts = client.account_data().accounts().await.unwrap();
    assert!(!accounts.is_empty());
    // A second of trickling, never 500 ms without a byte: one attempt, no read timeout.
    assert!(started.elapsed() >= Duration::from_millis(900));
    assert_eq!(common::requests(&emu, "accounts"), 1);
}

#[tokio::test]
async fn a_hung_server_is_cut_at_the_read_deadline() {
    let emu = common::emulator().await;
    let client = common::builder(&emu)
        .retry_policy(one_attempt())
        .read_timeout(Duration::from_millis(700))
        .total_timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    client.account_data().accounts().await.unwrap();
    let hang = FaultKind::Latency { millis: 30_000 };
    emu.admin().inject(fault("accounts", hang, None));
    let started = Instant::now();
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    near(started.elapsed(), Duration::from_millis(700));
}

#[tokio::test]
async fn a_call_deadline_bounds_every_attempt_and_retry_together() {
    let emu = common::emulator().await;
    let client = common::builder(&emu)
        .total_timeout(Duration::from_secs(10))
        .call_timeout(Duration::from_millis(1_200))
        .build()
        .unwrap();
    client.account_data().accounts().await.unwrap();
    let hang = FaultKind::Latency { millis: 30_000 };
    emu.admin().inject(fault("accounts", hang, None));
    let started = Instant::now();
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    // One attempt given the whole 1.2 s; no retry can start after it.
    near(started.elapsed(), Duration::from_millis(1_200));
}

#[tokio::test]
async fn a_server_that_never_answers_the_handshake_is_cut_at_the_connect_deadline() {
    let emu = common::emulator().await;
    // The kernel completes the TCP handshake into the backlog; nobody ever speaks TLS.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("https://{}", silent.local_addr().unwrap());
    let client = common::builder(&emu)
        .base_url(&url)
        .retry_policy(one_attempt())
        .connect_timeout(Duration::from_millis(700))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    near(started.elapsed(), Duration::from_millis(700));
}

#[tokio::test]
async fn a_payment_cut_by_the_total_deadline_is_resent_unchanged_and_booked_once() {
    let emu = common::emulator().await;
    let client = common::builder(&emu)
        .total_timeout(Duration::from_secs(1))
        .build()
        .unwrap();
    let slow = FaultKind::SlowBody {
        bytes_per_second: 1024,
        pad_to: Some(1024 * 1024),
    };
    // The first answer trickles past the deadline after the bank booked the payment.
    emu.admin().inject(fault("sepa_payment", slow, Some(1)));
    let answer = client
        .payments()
        .sepa(common::payment(&emu, "slowpay"))
        .await
        .unwrap();
    assert!(!answer.archive_id.is_empty());
    assert_eq!(common::requests(&emu, "sepa_payment"), 2);
    assert_eq!(common::booked(&emu, "slowpay"), 1);
}

#[tokio::test]
async fn after_a_restart_reads_resume_on_fresh_connections_and_nothing_is_paid_twice() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    // Warm the pool: these connections all go stale in the restart.
    for _ in 0..3 {
        client.account_data().accounts().await.unwrap();
    }

    // A payment in flight when the bank goes down: the bank is still waiting to process it.
    emu.admin().inject(fault(
        "sepa_payment",
        FaultKind::Latency { millis: 300 },
        Some(1),
    ));
    let in_flight = {
        let (client, request) = (client.clone(), common::payment(&emu, "restart1"));
        tokio::spawn(async move { client.payments().sepa(request).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    emu.admin().outage(Duration::from_millis(800));
    let first = in_flight.await.unwrap();

    // During the outage every connection is refused: a fast, retryable network error.
    let err = client.account_data().accounts().await.unwrap_err();
    assert!(err.is_retryable(), "{err}");
    tokio::time::sleep(Duration::from_millis(900)).await;

    // Reads resume at once: no stale pooled connection is used.
    client.account_data().accounts().await.unwrap();
    // The cut payment: either settled by the client's own retries, or left unknown and
    // resolved now with the same instruction id and bytes. Booked exactly once either way.
    match first {
        Ok(answer) => assert!(!answer.archive_id.is_empty()),
        Err(err) => {
            assert_eq!(err.kind(), ErrorKind::UnknownOutcome, "{err}");
            let pending = err.pending().expect("the pending payment").clone();
            client.payments().resolve(&pending).await.unwrap();
        }
    }
    assert_eq!(common::booked(&emu, "restart1"), 1);
    // A new payment after the restart is booked once.
    client
        .payments()
        .sepa(common::payment(&emu, "restart2"))
        .await
        .unwrap();
    assert_eq!(common::booked(&emu, "restart2"), 1);
}
