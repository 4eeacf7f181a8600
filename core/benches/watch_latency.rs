//! Detection latency of the watcher: the time from a payment being booked in the emulator
//! to the watcher returning it, at a 1 s poll interval, and the request rate that costs.
//!
//! The emulator runs in-process (real mTLS, real OAuth); payments are booked at random
//! intervals (20–180 ms) spread over the watched accounts. Latency is measured from the
//! moment the booking returns to the moment `Watcher::next` yields the payment; the consumer
//! acknowledges every delivery (file checkpoint, fsync) as a real one would.
//!
//! Run: `cargo bench -p opcorp --bench watch_latency`
//! Environment: `BENCH_PAYMENTS` (default 200), `BENCH_ACCOUNTS` (default 5),
//! `BENCH_POLL_MS` (default 1000).

use std::collections::HashMap;
use std::error::Error;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use opcorp::checkpoint::FileCheckpointStore;
use opcorp::client::Client;
use opcorp::watch::{StartFrom, Watcher};
use opcorp_emulator::{EmulatorConfig, IncomingPayment};
use rand::Rng;

/// Reads a numeric setting from the environment.
fn setting(name: &str, default: u64) -> Result<u64, Box<dyn Error>> {
    match std::env::var(name) {
        Ok(v) => Ok(v.parse().map_err(|e| format!("{name}={v:?}: {e}"))?),
        Err(_) => Ok(default),
    }
}

/// The value at quantile `q` of sorted `values`.
fn quantile(values: &[Duration], q: f64) -> Duration {
    let rank = ((values.len() as f64 - 1.0) * q).round() as usize;
    values[rank.min(values.len() - 1)]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), Box<dyn Error>> {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing: skip the long
    // run there so the test suite stays fast.
    if !std::env::args().any(|a| a == "--bench") {
        println!("watch_latency: run with `cargo bench` to measure");
        return Ok(());
    }
    let payments = setting("BENCH_PAYMENTS", 200)? as usize;
    let account_count = setting("BENCH_ACCOUNTS", 5)? as usize;
    let poll = Duration::from_millis(setting("BENCH_POLL_MS", 1_000)?);

    let emu = opcorp_emulator::start(EmulatorConfig {
        quiet: true,
        accounts_per_client: account_count,
        ..EmulatorConfig::default()
    })
    .await?;
    let id = emu.identity();
    let client = Client::builder()
        .base_url(&emu.base_url())
        .client_id(&id.client_id)
        .client_secret(&id.client_secret)
        .certificate_pem(&id.cert_pem)
        .private_key_pem(&id.key_pem)
        .ca_certificate_pem(&id.ca_pem)
        .build()?;
    let accounts = emu.admin().accounts(&id.client_id);
    let dir = tempfile::tempdir()?;
    let mut watcher = Watcher::builder(client)
        .accounts(accounts.iter().map(|a| a.surrogate_id.clone()))
        .poll_interval(poll)
        .start_from(StartFrom::Now)
        .checkpoint(FileCheckpointStore::open(dir.path().join("cp.json"))?)
        .build()?;

    // Let the first poll of every account pass, then measure from a clean counter.
    tokio::time::sleep(poll + Duration::from_millis(200)).await;
    let counters_before = emu.admin().counters();
    let started = Instant::now();

    let booked_at: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
    let booking = {
        let admin = emu.admin();
        let booked_at = Arc::clone(&booked_at);
        let ibans: Vec<String> = accounts.iter().map(|a| a.iban.clone()).collect();
        tokio::spawn(async move {
            for n in 0..payments {
                let pause = rand::rng().random_range(20..180);
                tokio::time::sleep(Duration::from_millis(pause)).await;
                let booked = admin.simulate_incoming(IncomingPayment {
                    account_iban: ibans[n % ibans.len()].clone(),
                    amount: format!("{}.50", 1 + n),
                    reference: None,
                    message: Some(format!("latency {n}")),
                    debtor_name: "Maksaja Oy".to_owned(),
                    debtor_iban: None,
                });
                match booked {
                    Ok(b) => {
                        let now = Instant::now();
                        if let Ok(mut map) = booked_at.lock() {
                            map.insert(b.object_id, now);
                        }
                    }
                    Err(e) => eprintln!("booking failed: {e}"),
                }
            }
        })
    };

    let mut latencies = Vec::with_capacity(payments);
    let deadline = Instant::now() + Duration::from_secs(60) + poll * 4;
    while latencies.len() < payments && Instant::now() < deadline {
        let delivery =
            match tokio::time::timeout(Duration::from_secs(10) + poll * 2, watcher.next()).await {
                Ok(delivery) => delivery?,
                Err(_) => break,
            };
        let detected = Instant::now();
        let booked = booked_at
            .lock()
            .map_err(|_| "lock poisoned")?
            .get(delivery.object_id())
            .copied();
        match booked {
            Some(at) => latencies.push(detected.saturating_duration_since(at)),
            None => eprintln!("unexpected delivery {}", delivery.object_id()),
        }
        watcher.ack(&delivery).await?;
    }
    booking.await?;
    let elapsed = started.elapsed();
    let counters_after = emu.admin().counters();
    let route = "transactions_v3";
    let requests = counters_after.requests.get(route).copied().unwrap_or(0)
        - counters_before.requests.get(route).copied().unwrap_or(0);
    let tokens = counters_after.token_requests - counters_before.token_requests;

    if latencies.len() < payments {
        return Err(format!("only {} of {payments} payments detected", latencies.len()).into());
    }
    latencies.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let rate = requests as f64 / elapsed.as_secs_f64();
    println!("watch_latency: {payments} payments over {account_count} accounts, poll {poll:?}");
    println!(
        "  detection latency  p50 {:.0} ms   p90 {:.0} ms   p99 {:.0} ms   max {:.0} ms   min {:.0} ms",
        ms(quantile(&latencies, 0.5)),
        ms(quantile(&latencies, 0.9)),
        ms(quantile(&latencies, 0.99)),
        ms(latencies[latencies.len() - 1]),
        ms(latencies[0]),
    );
    println!(
        "  cost               {requests} transaction requests in {:.1} s = {rate:.2} req/s \
         ({:.2} req/s per account), {tokens} token requests",
        elapsed.as_secs_f64(),
        rate / account_count as f64,
    );
    // One machine-readable line for scripts/bench (the emulator runs in this process).
    println!(
        "BENCH_RESULT {}",
        serde_json::json!({
            "bench": "watch_latency",
            "name": "watch",
            "contender": "opcorp",
            "emulator": "in-process",
            "units": {"p50": "ms", "p90": "ms", "p99": "ms", "max": "ms", "poll": "ms"},
            "values": {
                "p50": ms(quantile(&latencies, 0.5)),
                "p90": ms(quantile(&latencies, 0.9)),
                "p99": ms(quantile(&latencies, 0.99)),
                "max": ms(latencies[latencies.len() - 1]),
                "poll": ms(poll),
                "payments": payments,
                "accounts": account_count,
                "requests_per_s": rate,
            },
        })
    );
    emu.shutdown().await;
    Ok(())
}
