//! The PostgreSQL watch benchmark behind `scripts/bench-postgres` (ignored in the test
//! command): `opcorp watch --store` workers over 1,000 emulator accounts at a 1 s poll.
//! Measures polls served per worker, detection latency p50/p99 for 1, 2 and 3 workers, and
//! the time until a SIGKILLed worker's accounts are served again. Prints a Markdown table.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::pg::{Journal, Rng, postgres_url};
use opcorp::watch::postgres::PgStore;
use opcorp_emulator::{Admin, Emulator, EmulatorConfig, IncomingPayment};

const ACCOUNTS: usize = 1_000;
const LEASE_SECS: u64 = 5;

fn env_secs(name: &str, default: u64) -> Duration {
    Duration::from_secs(
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default),
    )
}

fn now_micros() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_micros() as i64
}

fn spawn(emu: &Emulator, url: &str, group: &str, journal: &Path, home: &Path) -> Child {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_opcorp"));
    cmd.args([
        "--json", "watch", "--store", url, "--init", "--all", "--group", group,
    ])
    .args(["--interval", "1", "--lease-ttl", &LEASE_SECS.to_string()])
    .args(["--concurrency", "64", "--max-rate", "5000", "--journal"])
    .arg(journal)
    .env_clear()
    .env("HOME", home)
    .env("RUST_LOG", "error")
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    for (k, v) in emu.identity().env_vars(&emu.base_url()) {
        cmd.env(k, v);
    }
    cmd.spawn().unwrap()
}

fn book(admin: &Admin, iban: &str, n: usize) -> (String, i64) {
    let booked = admin
        .simulate_incoming(IncomingPayment {
            account_iban: iban.to_owned(),
            amount: format!("{}.00", 1 + n % 900),
            reference: None,
            message: None,
            debtor_name: "Bench Oy".into(),
            debtor_iban: None,
        })
        .unwrap();
    (booked.object_id, booked.timestamp)
}

fn polls(admin: &Admin) -> u64 {
    let c = admin.counters();
    c.requests.get("transactions_v3").copied().unwrap_or(0)
        + c.requests.get("transactions_v2").copied().unwrap_or(0)
}

/// First detection time (µs) of every object id over all journals.
fn detections(journals: &[PathBuf]) -> HashMap<String, i64> {
    let mut first = HashMap::new();
    for path in journals {
        for e in Journal::read(path).events("delivered") {
            let at = first
                .entry(e.object_id.clone())
                .or_insert(e.detected as i64);
            *at = (*at).min(e.detected as i64);
        }
    }
    first
}

fn percentile(sorted: &[i64], p: f64) -> i64 {
    if sorted.is_empty() {
        return -1;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

struct Row {
    workers: usize,
    polls_per_worker: f64,
    p50_ms: i64,
    p99_ms: i64,
    detected: usize,
    booked: usize,
    takeover_ms: Option<(i64, i64)>,
}

async fn run(workers: usize, url: &str) -> Row {
    let emu = opcorp_emulator::start(EmulatorConfig {
        quiet: true,
        accounts_per_client: ACCOUNTS,
        transactions_per_account: 1,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let group = format!("bench-{workers}-{}", now_micros());
    let journals: Vec<PathBuf> = (0..workers)
        .map(|i| dir.path().join(format!("j{i}")))
        .collect();
    let mut children: Vec<Child> = journals
        .iter()
        .map(|j| spawn(&emu, url, &group, j, dir.path()))
        .collect();
    PgStore::migrate(url, None).await.unwrap();
    let store = PgStore::connect(url, &group).await.unwrap();
    let start = Instant::now();
    loop {
        let rows = store.account_rows().await.unwrap();
        if rows.len() == ACCOUNTS && rows.iter().all(|r| r.checkpoint.is_some()) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "accounts never all claimed"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let accounts = emu.admin().accounts(&emu.identity().client_id);
    let admin = emu.admin();
    // Served: polls per second over a quiet window.
    let window = env_secs("BENCH_WINDOW_SECS", 10);
    let before = polls(&admin);
    tokio::time::sleep(window).await;
    let polls_per_worker = (polls(&admin) - before) as f64 / window.as_secs_f64() / workers as f64;
    // Latency: a steady stream of payments on random accounts.
    let mut rng = Rng::seeded();
    let mut booked = Vec::new();
    let stream = Instant::now();
    let mut n = 0;
    while stream.elapsed() < env_secs("BENCH_STREAM_SECS", 15) {
        booked.push(book(&admin, &accounts[rng.below(ACCOUNTS)].iban, n));
        n += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    tokio::time::sleep(Duration::from_secs(4)).await;
    let first = detections(&journals);
    let mut latencies: Vec<i64> = booked
        .iter()
        .filter_map(|(id, ts)| first.get(id).map(|d| (d - ts) / 1000))
        .collect();
    latencies.sort_unstable();
    let takeover_ms = if workers > 1 {
        Some(takeover(&emu, &store, &mut children, &journals, &accounts).await)
    } else {
        None
    };
    for mut c in children {
        let _ = c.kill();
        let _ = c.wait();
    }
    emu.shutdown().await;
    Row {
        workers,
        polls_per_worker,
        p50_ms: percentile(&latencies, 0.5),
        p99_ms: percentile(&latencies, 0.99),
        detected: latencies.len(),
        booked: booked.len(),
        takeover_ms,
    }
}

/// Kills worker 0, books one payment on each of 50 accounts it held, and returns the
/// median and maximum time from the kill to their detection by the survivors.
async fn takeover(
    emu: &Emulator,
    store: &PgStore,
    children: &mut [Child],
    journals: &[PathBuf],
    accounts: &[opcorp_emulator::AccountSummary],
) -> (i64, i64) {
    let prefix = format!("pid{}-", children[0].id());
    let held: Vec<String> = store
        .account_rows()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| {
            r.lease_valid
                && r.lease_owner
                    .as_deref()
                    .is_some_and(|o| o.starts_with(&prefix))
        })
        .map(|r| r.account)
        .take(50)
        .collect();
    let iban: HashMap<&str, &str> = accounts
        .iter()
        .map(|a| (a.surrogate_id.as_str(), a.iban.as_str()))
        .collect();
    children[0].kill().unwrap();
    children[0].wait().unwrap();
    let killed_at = now_micros();
    let admin = emu.admin();
    let ids: Vec<String> = held
        .iter()
        .enumerate()
        .map(|(n, a)| book(&admin, iban[a.as_str()], n).0)
        .collect();
    let limit = Instant::now() + Duration::from_secs(LEASE_SECS * 6);
    loop {
        let first = detections(&journals[1..]);
        let mut times: Vec<i64> = ids
            .iter()
            .filter_map(|id| first.get(id).map(|d| (d - killed_at) / 1000))
            .collect();
        if times.len() == ids.len() || Instant::now() > limit {
            times.sort_unstable();
            return (percentile(&times, 0.5), times.last().copied().unwrap_or(-1));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run by scripts/bench-postgres"]
async fn bench_watch_postgres() {
    let Some(url) = postgres_url() else { return };
    let mut out = String::from(
        "| workers | polls/s per worker | detection p50 | detection p99 | detected | takeover p50 / max |\n|---|---|---|---|---|---|\n",
    );
    for workers in [1, 2, 3] {
        let row = run(workers, &url).await;
        let takeover = match row.takeover_ms {
            None => "–".to_owned(),
            // The killed worker held no live lease at the kill: nothing to take over.
            Some((p50, _)) if p50 < 0 => "not measured".to_owned(),
            Some((p50, max)) => format!("{p50} ms / {max} ms"),
        };
        out.push_str(&format!(
            "| {} | {:.0} | {} ms | {} ms | {}/{} | {} |\n",
            row.workers,
            row.polls_per_worker,
            row.p50_ms,
            row.p99_ms,
            row.detected,
            row.booked,
            takeover
        ));
        eprintln!("{out}");
    }
    println!("{out}");
}
