//! Watches accounts for new incoming transactions, records each one durably, then
//! acknowledges it: the consumer loop the delivery contract is written for.
//!
//! At start the example appends `S <pid>`. Every delivery appends `D <account> <objectId>` to the log file and fsyncs it; only then
//! is the delivery acknowledged, and after the acknowledgement succeeds `A <account>
//! <objectId>` is appended and fsynced. `core/tests/watch_kill.rs` kills this process with
//! SIGKILL at random points and checks the log.
//!
//! Configuration (environment):
//! - `OPCORP_*`: the client identity, as for `Client::from_env` (base URL, credentials, certs).
//! - `WATCH_CHECKPOINT`: checkpoint file (default `watch-checkpoint.json`).
//! - `WATCH_LOG`: log file (default: print to stdout only).
//! - `WATCH_ACCOUNTS`: comma-separated surrogate ids (default: every account of the client).
//! - `WATCH_START_MICROS`: where accounts without a checkpoint start (default: now).
//! - `WATCH_POLL_MS`: poll interval in milliseconds (default 3000).
//! - `WATCH_IDLE_EXIT_MS`: exit after this long without a delivery (default: run forever).
//! - `WATCH_LOOKBACK_MS`: lookback window for late transactions (default 15 min).
//! - `WATCH_BATCH`: take up to this many ready deliveries, record them all, then acknowledge
//!   them newest first (default 1: one at a time). Out-of-order acknowledgement exercises
//!   the checkpoint's handling of older deliveries still unacknowledged.
//! - `WATCH_ACK_DELAY_MS`: simulated work before each acknowledgement (default 0).
//!
//! Run against a local emulator: `opcorp-emulator` prints the `OPCORP_*` exports, then
//! `cargo run --example watch_ack`.

use std::error::Error;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::time::Duration;

use opcorp::checkpoint::FileCheckpointStore;
use opcorp::client::Client;
use opcorp::watch::{Delivery, StartFrom, Watcher};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let client = Client::from_env()?;
    let accounts: Vec<String> = match std::env::var("WATCH_ACCOUNTS") {
        Ok(list) => list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        Err(_) => client
            .account_data()
            .accounts()
            .await?
            .into_iter()
            .map(|a| a.surrogate_id)
            .collect(),
    };
    let checkpoint =
        std::env::var("WATCH_CHECKPOINT").unwrap_or_else(|_| "watch-checkpoint.json".to_owned());
    let start = match std::env::var("WATCH_START_MICROS") {
        Ok(micros) => StartFrom::Timestamp(micros.parse()?),
        Err(_) => StartFrom::Now,
    };
    let poll = Duration::from_millis(env_u64("WATCH_POLL_MS")?.unwrap_or(3_000));
    let idle_exit = env_u64("WATCH_IDLE_EXIT_MS")?.map(Duration::from_millis);
    let lookback = env_u64("WATCH_LOOKBACK_MS")?.map(Duration::from_millis);
    let batch = env_u64("WATCH_BATCH")?.unwrap_or(1).max(1) as usize;
    let ack_delay = env_u64("WATCH_ACK_DELAY_MS")?.map(Duration::from_millis);
    let mut log = match std::env::var("WATCH_LOG") {
        Ok(path) => Some(OpenOptions::new().create(true).append(true).open(path)?),
        Err(_) => None,
    };

    let mut builder = Watcher::builder(client)
        .accounts(accounts)
        .poll_interval(poll)
        .start_from(start)
        .checkpoint(FileCheckpointStore::open(&checkpoint)?);
    if let Some(window) = lookback {
        builder = builder.lookback(window);
    }
    let mut watcher = builder.build()?;
    record(&mut log, 'S', &std::process::id().to_string())?;

    loop {
        let first = match idle_exit {
            Some(idle) => match tokio::time::timeout(idle, watcher.next()).await {
                Ok(delivery) => delivery?,
                Err(_) => return Ok(()),
            },
            None => watcher.next().await?,
        };
        let mut deliveries = vec![first];
        while deliveries.len() < batch {
            match tokio::time::timeout(Duration::from_millis(20), watcher.next()).await {
                Ok(delivery) => deliveries.push(delivery?),
                Err(_) => break,
            }
        }
        for delivery in &deliveries {
            record(&mut log, 'D', &line_of(delivery))?;
        }
        for delivery in deliveries.iter().rev() {
            if let Some(delay) = ack_delay {
                tokio::time::sleep(delay).await;
            }
            watcher.ack(delivery).await?;
            record(&mut log, 'A', &line_of(delivery))?;
        }
    }
}

/// `<account> <objectId>`.
fn line_of(delivery: &Delivery) -> String {
    format!("{} {}", delivery.account, delivery.object_id())
}

/// Appends `<tag> <line>\n` in one write and flushes it to the disk (or prints it).
fn record(log: &mut Option<File>, tag: char, line: &str) -> std::io::Result<()> {
    let text = format!("{tag} {line}\n");
    match log {
        Some(file) => {
            file.write_all(text.as_bytes())?;
            file.sync_data()
        }
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

/// An optional integer environment variable.
fn env_u64(name: &str) -> Result<Option<u64>, Box<dyn Error>> {
    match std::env::var(name) {
        Ok(value) => {
            Ok(Some(value.parse().map_err(|e| {
                format!("{name}={value:?} is not a number: {e}")
            })?))
        }
        Err(_) => Ok(None),
    }
}
