//! The connection cap: many concurrent calls through one client never hold more than twice
//! `max_connections` sockets to the bank (the busy ones plus the idle pool, which a freed
//! slot may briefly outrun). Sockets are counted from the kernel's table
//! (`/proc/net/tcp`), so the test sees what the pool really opened.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (clippy.toml)

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use opcorp::ErrorKind;
use opcorp::client::Client;
use opcorp_emulator::{Emulator, Fault, FaultKind};

/// Established TCP connections from this machine to `port` (the client side of each).
fn connections_to(port: u16) -> usize {
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap_or_default();
    table
        .lines()
        .skip(1)
        .filter(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let remote_port = fields
                .get(2)
                .and_then(|remote| remote.rsplit(':').next())
                .and_then(|hex| u16::from_str_radix(hex, 16).ok());
            remote_port == Some(port) && fields.get(3) == Some(&"01")
        })
        .count()
}

fn port(emu: &Emulator) -> u16 {
    let url = emu.base_url();
    url.rsplit(':').next().unwrap().parse().unwrap()
}

/// Runs `tasks` concurrent tasks of `calls` account reads each and returns the most client
/// connections seen open at once.
async fn peak_connections(emu: &Emulator, client: &Client, tasks: usize, calls: usize) -> usize {
    let port = port(emu);
    let done = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicUsize::new(0));
    let sampler = {
        let (done, peak) = (done.clone(), peak.clone());
        tokio::spawn(async move {
            while !done.load(Ordering::Relaxed) {
                peak.fetch_max(connections_to(port), Ordering::Relaxed);
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        })
    };
    let workers: Vec<_> = (0..tasks)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in 0..calls {
                    client.account_data().accounts().await.unwrap();
                }
            })
        })
        .collect();
    for worker in workers {
        worker.await.unwrap();
    }
    done.store(true, Ordering::Relaxed);
    sampler.await.unwrap();
    peak.load(Ordering::Relaxed)
}

/// Every account read answers 30 ms late, so concurrent calls overlap.
fn slow_accounts(emu: &Emulator) {
    emu.admin().inject(Fault {
        route: Some("accounts".into()),
        kind: FaultKind::Latency { millis: 30 },
        times: None,
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_share_at_most_max_connections() {
    if !std::path::Path::new("/proc/net/tcp").exists() {
        eprintln!("SKIPPED: no /proc/net/tcp to count sockets on this system");
        return;
    }
    let emu = common::emulator().await;
    slow_accounts(&emu);
    let capped = common::builder(&emu).max_connections(4).build().unwrap();
    let peak = peak_connections(&emu, &capped, 40, 3).await;
    assert!(peak <= 8, "{peak} connections open with a cap of 4");
    assert!(peak >= 2, "the calls did not overlap (peak {peak})");

    // The same load without a tight cap opens more: the count above is not a blind spot.
    let roomy = common::builder(&emu).max_connections(64).build().unwrap();
    let peak = peak_connections(&emu, &roomy, 40, 3).await;
    assert!(peak > 8, "only {peak} connections without the cap");
}

#[tokio::test]
async fn a_zero_connection_cap_is_a_config_error() {
    let emu = common::emulator().await;
    let err = common::builder(&emu)
        .max_connections(0)
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config, "{err}");
    assert!(err.message().contains("max connections"), "{err}");
}
