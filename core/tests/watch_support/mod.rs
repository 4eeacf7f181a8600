//! Helpers shared by the `watch_*` integration tests: book incoming payments in the
//! in-process emulator and collect what a watcher delivers.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeSet;
use std::time::Duration;

use opcorp::client::Client;
use opcorp::watch::{Delivery, StartFrom, Watcher, WatcherBuilder};
use opcorp_emulator::{AccountSummary, BookedTransaction, Emulator, IncomingPayment};

use super::common;

/// The demo client's accounts.
pub fn accounts(emu: &Emulator) -> Vec<AccountSummary> {
    let accounts = emu.admin().accounts(&emu.identity().client_id);
    assert!(!accounts.is_empty(), "the demo client has accounts");
    accounts
}

/// Books `count` incoming payments on `iban`, each with message `"<tag> <n>"`.
pub fn book(emu: &Emulator, iban: &str, tag: &str, count: usize) -> Vec<BookedTransaction> {
    (0..count)
        .map(|n| {
            emu.admin()
                .simulate_incoming(IncomingPayment {
                    account_iban: iban.to_owned(),
                    amount: format!("{}.{:02}", 10 + n, n % 100),
                    reference: None,
                    message: Some(format!("{tag} {n}")),
                    debtor_name: "Maksaja Oy".to_owned(),
                    debtor_iban: None,
                })
                .expect("incoming payment booked")
        })
        .collect()
}

/// A watcher builder tuned for tests: fast polls and rescans, a generous rate limit, and
/// starting at the current time.
pub fn fast(client: Client) -> WatcherBuilder {
    Watcher::builder(client)
        .poll_interval(Duration::from_millis(50))
        .rescan_interval(Duration::from_millis(200))
        .max_requests_per_second(500.0)
        .start_from(StartFrom::Now)
}

/// Waits for `count` deliveries (acknowledging none), failing after `within`.
pub async fn take(watcher: &mut Watcher, count: usize, within: Duration) -> Vec<Delivery> {
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + within;
    while out.len() < count {
        match tokio::time::timeout_at(deadline, watcher.next()).await {
            Ok(Ok(delivery)) => out.push(delivery),
            Ok(Err(e)) => panic!("watcher error: {e}"),
            Err(_) => panic!(
                "only {} of {count} deliveries within {within:?}: {:?}",
                out.len(),
                ids(&out)
            ),
        }
    }
    out
}

/// Asserts that nothing is delivered for `quiet`.
pub async fn assert_quiet(watcher: &mut Watcher, quiet: Duration) {
    if let Ok(result) = tokio::time::timeout(quiet, watcher.next()).await {
        match result {
            Ok(d) => panic!("unexpected delivery {} on {}", d.object_id(), d.account),
            Err(e) => panic!("unexpected error {e}"),
        }
    }
}

/// The object ids of `deliveries`, sorted, failing on duplicates.
pub fn unique_ids(deliveries: &[Delivery]) -> BTreeSet<String> {
    let set: BTreeSet<String> = ids(deliveries).into_iter().collect();
    assert_eq!(set.len(), deliveries.len(), "duplicate deliveries");
    set
}

/// The object ids of `deliveries`, in order.
pub fn ids(deliveries: &[Delivery]) -> Vec<String> {
    deliveries
        .iter()
        .map(|d| d.object_id().to_owned())
        .collect()
}

/// The object ids of `booked`, sorted.
pub fn booked_ids(booked: &[BookedTransaction]) -> BTreeSet<String> {
    booked.iter().map(|b| b.object_id.clone()).collect()
}

/// An emulator and a client for its demo identity.
pub async fn start() -> (Emulator, Client) {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    (emu, client)
}
