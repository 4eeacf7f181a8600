//! Three `opcorp watch --store` processes share 300 emulator accounts through a real
//! PostgreSQL server while the emulator books a stream of incoming payments. One worker is
//! killed with SIGKILL at random moments and restarted, another is paused past its lease
//! (SIGSTOP) and resumed. Afterwards every booked payment was delivered, no acknowledged
//! payment was delivered again, and the paused worker's late acknowledgements were refused.
//!
//! Needs `OPCORP_TEST_POSTGRES_URL` (`scripts/test postgres` starts a server and sets it);
//! without it the test says SKIPPED and passes, except under `CI=true`.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::pg::{Journal, Rng, postgres_url};
use opcorp::watch::postgres::PgStore;
use opcorp_emulator::{Admin, Emulator, EmulatorConfig, IncomingPayment};

const ACCOUNTS: usize = 300;
const LEASE_SECS: u64 = 3;
const KILLS: usize = 10;
const STREAM: Duration = Duration::from_secs(40);

/// One worker slot: its journal, its stderr log and the running process.
struct Worker {
    index: usize,
    journal: PathBuf,
    log: PathBuf,
    child: Option<Child>,
}

struct Fleet {
    env: Vec<(String, String)>,
    url: String,
    group: String,
    home: tempfile::TempDir,
    workers: Vec<Worker>,
}

impl Fleet {
    fn spawn(&mut self, index: usize) {
        let w = &mut self.workers[index];
        let log = File::options()
            .create(true)
            .append(true)
            .open(&w.log)
            .unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_opcorp"));
        cmd.args(["--json", "watch", "--store", &self.url, "--init", "--all"])
            .args([
                "--group",
                &self.group,
                "--interval",
                "1",
                "--concurrency",
                "16",
            ])
            .args(["--lease-ttl", &LEASE_SECS.to_string(), "--max-rate", "1000"])
            .arg("--journal")
            .arg(&w.journal)
            .env_clear()
            .env("HOME", self.home.path())
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        w.child = Some(cmd.spawn().unwrap());
    }

    fn pid(&self, index: usize) -> u32 {
        self.workers[index].child.as_ref().unwrap().id()
    }

    fn kill(&mut self, index: usize) {
        if let Some(mut child) = self.workers[index].child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
    }

    fn signal(&self, index: usize, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.pid(index).to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    fn journals(&self) -> Vec<Journal> {
        self.workers
            .iter()
            .map(|w| Journal::read(&w.journal))
            .collect()
    }
}

fn now_micros() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_micros() as u64
}

/// Books an incoming payment on `iban`; returns its object id.
fn book(admin: &Admin, iban: &str, n: usize) -> String {
    admin
        .simulate_incoming(IncomingPayment {
            account_iban: iban.to_owned(),
            amount: format!("{}.{:02}", 1 + n % 500, n % 100),
            reference: None,
            message: Some(format!("stream {n}")),
            debtor_name: "Stream Payer Oy".into(),
            debtor_iban: None,
        })
        .unwrap()
        .object_id
}

async fn all_accounts_started(store: &PgStore) -> bool {
    let rows = store.account_rows().await.unwrap();
    rows.len() == ACCOUNTS && rows.iter().all(|r| r.checkpoint.is_some())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_workers_share_accounts_through_crashes_and_a_stalled_lease() {
    let Some(url) = postgres_url() else { return };
    let emu = opcorp_emulator::start(EmulatorConfig {
        quiet: true,
        accounts_per_client: ACCOUNTS,
        transactions_per_account: 2,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let group = format!("mp-{}", now_micros());
    let mut fleet = Fleet {
        env: emu.identity().env_vars(&emu.base_url()),
        url: url.clone(),
        group: group.clone(),
        home: tempfile::tempdir().unwrap(),
        workers: (0..3)
            .map(|index| Worker {
                index,
                journal: dir.path().join(format!("journal-{index}.jsonl")),
                log: dir.path().join(format!("worker-{index}.log")),
                child: None,
            })
            .collect(),
    };
    for i in 0..3 {
        fleet.spawn(i);
    }
    PgStore::migrate(&url, None).await.unwrap();
    let store = PgStore::connect(&url, &group).await.unwrap();
    let start = Instant::now();
    while !all_accounts_started(&store).await {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "accounts never all claimed"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    eprintln!(
        "all {ACCOUNTS} accounts claimed after {:?}",
        start.elapsed()
    );
    let result = run_scenario(&emu, &mut fleet, &store).await;
    for i in 0..3 {
        fleet.kill(i);
    }
    if let Err(message) = result {
        for w in &fleet.workers {
            let log = std::fs::read_to_string(&w.log).unwrap_or_default();
            let tail: Vec<&str> = log.lines().rev().take(15).collect();
            eprintln!(
                "--- worker {} stderr (last lines, newest first)\n{}",
                w.index,
                tail.join("\n")
            );
        }
        panic!("{message}");
    }
    emu.shutdown().await;
}

/// The stream, the kills and the pause; then the checks. `Err` carries the failure.
async fn run_scenario(emu: &Emulator, fleet: &mut Fleet, store: &PgStore) -> Result<(), String> {
    let accounts = emu.admin().accounts(&emu.identity().client_id);
    let by_surrogate: HashMap<String, String> = accounts
        .iter()
        .map(|a| (a.surrogate_id.clone(), a.iban.clone()))
        .collect();
    let booked = Arc::new(Mutex::new(Vec::<String>::new()));
    let stream = {
        let admin = emu.admin().clone();
        let ibans: Vec<String> = accounts.iter().map(|a| a.iban.clone()).collect();
        let booked = Arc::clone(&booked);
        tokio::spawn(async move {
            let mut rng = Rng::seeded();
            let start = Instant::now();
            let mut n = 0;
            while start.elapsed() < STREAM {
                let iban = &ibans[rng.below(ibans.len())];
                let id = book(&admin, iban, n);
                booked.lock().unwrap().push(id);
                n += 1;
                tokio::time::sleep(Duration::from_millis(30)).await;
            }
        })
    };
    let stream_start = Instant::now();
    let mut rng = Rng::seeded();
    let mut kills = 0;
    let mut paused = false;
    let mut burst = Vec::new();
    while kills < KILLS || stream_start.elapsed() < STREAM {
        tokio::time::sleep(Duration::from_millis(1200 + rng.below(1800) as u64)).await;
        if !paused && stream_start.elapsed() > Duration::from_secs(6) {
            paused = true;
            burst = pause_past_lease(emu, fleet, store, &by_surrogate).await?;
            continue;
        }
        if kills < KILLS {
            fleet.kill(2);
            kills += 1;
            tokio::time::sleep(Duration::from_millis(rng.below(600) as u64)).await;
            fleet.spawn(2);
        }
    }
    stream.await.unwrap();
    let booked = booked.lock().unwrap().clone();
    eprintln!("{} payments booked, {kills} kills", booked.len());
    check(fleet, store, &booked, &burst).await
}

/// Pauses worker 0 right after it starts delivering a burst on one of its accounts, past
/// its lease; resumes it. Returns the burst's object ids.
async fn pause_past_lease(
    emu: &Emulator,
    fleet: &mut Fleet,
    store: &PgStore,
    ibans: &HashMap<String, String>,
) -> Result<Vec<String>, String> {
    let prefix = format!("pid{}-", fleet.pid(0));
    let rows = store.account_rows().await.unwrap();
    let Some(row) = rows.iter().find(|r| {
        r.lease_valid
            && r.lease_owner
                .as_deref()
                .is_some_and(|o| o.starts_with(&prefix))
    }) else {
        return Err("worker 0 holds no account".into());
    };
    let iban = &ibans[&row.account];
    let burst: Vec<String> = (0..40)
        .map(|n| book(&emu.admin(), iban, 90_000 + n))
        .collect();
    let wanted: HashSet<&str> = burst.iter().map(String::as_str).collect();
    let journal = fleet.workers[0].journal.clone();
    let limit = Instant::now() + Duration::from_secs(15);
    loop {
        let j = Journal::read(&journal);
        if j.events("delivered")
            .any(|e| wanted.contains(e.object_id.as_str()))
        {
            break;
        }
        if Instant::now() > limit {
            return Err("worker 0 never delivered the burst".into());
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    fleet.signal(0, "-STOP");
    tokio::time::sleep(Duration::from_secs(LEASE_SECS + 3)).await;
    fleet.signal(0, "-CONT");
    eprintln!(
        "worker 0 paused {}s past its {LEASE_SECS}s lease and resumed",
        3
    );
    Ok(burst)
}

/// Waits for every booked payment to be delivered and acknowledged, then checks the
/// delivery contract over the journals of every worker.
async fn check(
    fleet: &Fleet,
    store: &PgStore,
    booked: &[String],
    burst: &[String],
) -> Result<(), String> {
    let all: Vec<String> = booked.iter().chain(burst).cloned().collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    let missing = loop {
        let journals = fleet.journals();
        let acked: HashSet<String> = journals
            .iter()
            .flat_map(|j| j.events("acked").map(|e| e.object_id.clone()))
            .collect();
        let missing: Vec<&String> = all.iter().filter(|id| !acked.contains(*id)).collect();
        if missing.is_empty() || Instant::now() > deadline {
            break missing.into_iter().cloned().collect::<Vec<_>>();
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    };
    let journals = fleet.journals();
    // An acknowledgement whose journal line was lost to a SIGKILL right after the commit
    // is in the stored checkpoint instead.
    let stored = stored_acks(store).await;
    let unacked: Vec<&String> = missing.iter().filter(|id| !stored.contains(*id)).collect();
    if !unacked.is_empty() {
        return Err(format!(
            "{} booked payments never acknowledged, e.g. {:?}",
            unacked.len(),
            &unacked[..unacked.len().min(5)]
        ));
    }
    let mut first_ack: HashMap<&str, u64> = HashMap::new();
    for e in journals.iter().flat_map(|j| j.events("acked")) {
        let at = first_ack.entry(e.object_id.as_str()).or_insert(e.at);
        *at = (*at).min(e.at);
    }
    let mut deliveries = 0;
    for e in journals.iter().flat_map(|j| j.events("delivered")) {
        deliveries += 1;
        if let Some(acked_at) = first_ack.get(e.object_id.as_str())
            && e.detected > *acked_at
        {
            return Err(format!(
                "{} delivered again after its acknowledgement",
                e.object_id
            ));
        }
    }
    let refused: Vec<&str> = journals[0]
        .events("ack-refused")
        .map(|e| e.object_id.as_str())
        .collect();
    eprintln!(
        "{} payments, {deliveries} deliveries, {} refused late acknowledgements of worker 0",
        all.len(),
        refused.len()
    );
    if refused.is_empty() {
        return Err("the paused worker had no acknowledgement refused".into());
    }
    Ok(())
}

/// Object ids in the acknowledged lists of the stored checkpoints.
async fn stored_acks(store: &PgStore) -> HashSet<String> {
    store
        .account_rows()
        .await
        .unwrap()
        .into_iter()
        .flat_map(|r| {
            r.checkpoint
                .into_iter()
                .flat_map(|c| c.acked.into_iter().map(|a| a.object_id))
        })
        .collect()
}
