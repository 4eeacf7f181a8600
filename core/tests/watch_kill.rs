//! The delivery contract under `kill -9`: while the emulator books a stream of payments, the
//! `watch_ack` example (record, fsync, then acknowledge) is killed with SIGKILL at random
//! points at least 20 times and restarted on the same checkpoint file; a last instance drains.
//!
//! Oracle, over the example's log (`S` = an instance started, `D` = delivered and recorded,
//! `A` = acknowledgement succeeded; each line fsynced before the next step):
//! 1. every booked payment was delivered (has a `D` line), and nothing else was;
//! 2. no payment was acknowledged twice (at most one `A` line per id);
//! 3. no payment was delivered again after its acknowledgement (no `D` after its `A`);
//! 4. every delivery an instance left unacknowledged when it was killed is delivered again
//!    by a later instance — except at most one per kill: the consumer acknowledges one at a
//!    time, so only the last acknowledgement can have succeeded with its `A` line cut off.
//!    The consumer takes up to `BATCH` deliveries and acknowledges them newest first, so
//!    the checkpoint must keep older deliveries open while newer ones are acknowledged;
//! 5. the last instance drains: it leaves nothing unacknowledged;
//! 6. the checkpoint holds every payment as acknowledged: a fresh watcher on it delivers
//!    nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers outside #[test] fns

mod common;
mod watch_support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use opcorp::checkpoint::FileCheckpointStore;
use opcorp::watch::StartFrom;
use opcorp_emulator::IncomingPayment;
use rand::Rng;

const PAYMENTS: usize = 300;
const MIN_KILLS: usize = 20;
/// Deliveries the example takes before acknowledging them (in reverse order).
const BATCH: usize = 4;

/// The `watch_ack` example binary next to this test's binary, (re)built first so a changed
/// example is never tested stale (a no-op when it is up to date).
fn example_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile_dir = exe.parent().and_then(Path::parent).unwrap();
    let binary = profile_dir.join("examples").join("watch_ack");
    // Same profile as this test binary (`target/<profile>/deps/…`).
    let profile = match profile_dir.file_name().and_then(|n| n.to_str()) {
        Some("debug") | None => "dev",
        Some("release") => "release",
        Some(other) => other,
    };
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let built = Command::new(cargo)
        .args(["build", "--quiet", "-p", "opcorp", "--example", "watch_ack"])
        .args(["--profile", profile])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status();
    match built {
        Ok(status) => assert!(status.success(), "building the watch_ack example failed"),
        Err(e) => eprintln!("cargo not runnable ({e}); using the existing example binary"),
    }
    assert!(binary.exists(), "{} missing", binary.display());
    binary
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_watchers_lose_nothing_and_repeat_only_unacknowledged() {
    let binary = example_binary();
    let test_start = Instant::now();
    let emu = common::emulator().await;
    let accounts = watch_support::accounts(&emu);
    let watched = &accounts[..2];
    let dir = tempfile::tempdir().unwrap();
    let checkpoint = dir.path().join("checkpoint.json");
    let log = dir.path().join("log.txt");
    let start_micros = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_micros() as i64;

    let mut env = emu.identity().env_vars(&emu.base_url());
    env.extend([
        (
            "WATCH_ACCOUNTS".to_owned(),
            watched
                .iter()
                .map(|a| a.surrogate_id.clone())
                .collect::<Vec<_>>()
                .join(","),
        ),
        (
            "WATCH_CHECKPOINT".to_owned(),
            checkpoint.display().to_string(),
        ),
        ("WATCH_LOG".to_owned(), log.display().to_string()),
        ("WATCH_START_MICROS".to_owned(), start_micros.to_string()),
        // Several payments per poll and account, so batches mix old and new deliveries.
        ("WATCH_POLL_MS".to_owned(), "250".to_owned()),
        ("WATCH_ACK_DELAY_MS".to_owned(), "15".to_owned()),
        // No lookback: a restart rescans only from the stored anchor, so a wrong anchor
        // shows up as a lost payment instead of being covered by the late-arrival window.
        ("WATCH_LOOKBACK_MS".to_owned(), "0".to_owned()),
        // Up to BATCH deliveries recorded, then acknowledged newest first.
        ("WATCH_BATCH".to_owned(), BATCH.to_string()),
    ]);
    let spawn = |extra: &[(&str, &str)]| {
        let mut command = Command::new(&binary);
        command
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .envs(extra.iter().copied())
            .env("RUST_LOG", "off")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command.spawn().unwrap()
    };

    // Book the payments over ~15 s, alternating accounts, from a separate task.
    let booked = Arc::new(Mutex::new(Vec::new()));
    let booking = {
        let admin = emu.admin();
        let booked = Arc::clone(&booked);
        let ibans: Vec<String> = watched.iter().map(|a| a.iban.clone()).collect();
        tokio::spawn(async move {
            for n in 0..PAYMENTS {
                let payment = IncomingPayment {
                    account_iban: ibans[n % ibans.len()].clone(),
                    amount: format!("{}.00", 1 + n),
                    reference: None,
                    message: Some(format!("kill test {n}")),
                    debtor_name: "Maksaja Oy".to_owned(),
                    debtor_iban: None,
                };
                let b = admin.simulate_incoming(payment).unwrap();
                booked.lock().unwrap().push(b.object_id);
                let pause = rand::rng().random_range(20..80);
                tokio::time::sleep(Duration::from_millis(pause)).await;
            }
        })
    };

    // Kill at random points until the booking is over and at least MIN_KILLS kills happened.
    let mut kills = 0;
    while kills < MIN_KILLS || !booking.is_finished() {
        let mut child = spawn(&[]);
        let alive = rand::rng().random_range(100..1_200);
        tokio::time::sleep(Duration::from_millis(alive)).await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        kills += 1;
        assert!(
            test_start.elapsed() < Duration::from_secs(70),
            "kill phase too slow"
        );
    }
    booking.await.unwrap();

    // A last instance drains everything and exits after 2.5 s without a delivery.
    let mut last = spawn(&[("WATCH_IDLE_EXIT_MS", "2500")]);
    let status = tokio::task::spawn_blocking(move || {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = last.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                last.kill().unwrap();
                panic!("the draining watcher did not finish");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    })
    .await
    .unwrap();
    assert!(status.success(), "draining watcher failed: {status}");

    // The oracle.
    let booked: BTreeSet<String> = booked.lock().unwrap().iter().cloned().collect();
    assert_eq!(booked.len(), PAYMENTS);
    let text = std::fs::read_to_string(&log).unwrap();
    let mut delivered: BTreeMap<&str, usize> = BTreeMap::new();
    let mut acked: BTreeMap<&str, usize> = BTreeMap::new();
    // Per instance, the ids it delivered but did not acknowledge.
    let mut open_per_instance: Vec<BTreeSet<&str>> = Vec::new();
    // For each id, the instances that delivered it.
    let mut delivered_by: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (line_no, line) in text.lines().enumerate() {
        let parts: Vec<&str> = line.split(' ').collect();
        if parts[0] == "S" {
            open_per_instance.push(BTreeSet::new());
            continue;
        }
        assert_eq!(parts.len(), 3, "malformed log line {line_no}: {line:?}");
        let instance = open_per_instance.len() - 1;
        let id = parts[2];
        match parts[0] {
            "D" => {
                assert!(
                    !acked.contains_key(id),
                    "{id} delivered again after its acknowledgement (line {line_no})"
                );
                *delivered.entry(id).or_default() += 1;
                delivered_by.entry(id).or_default().push(instance);
                open_per_instance[instance].insert(id);
            }
            "A" => {
                assert!(delivered.contains_key(id), "{id} acknowledged undelivered");
                *acked.entry(id).or_default() += 1;
                assert_eq!(acked[id], 1, "{id} acknowledged twice");
                open_per_instance[instance].remove(id);
            }
            other => panic!("unknown log tag {other:?}"),
        }
    }
    let delivered_ids: BTreeSet<String> = delivered.keys().map(|s| s.to_string()).collect();
    let missing: Vec<_> = booked.difference(&delivered_ids).collect();
    assert!(missing.is_empty(), "never delivered: {missing:?}");
    let strangers: Vec<_> = delivered_ids.difference(&booked).collect();
    assert!(
        strangers.is_empty(),
        "not booked by the test: {strangers:?}"
    );
    let (last_instance, killed) = open_per_instance.split_last().unwrap();
    assert!(last_instance.is_empty(), "the drain left {last_instance:?}");
    let mut cut_off = 0;
    let mut redelivered_after_kill = 0;
    for (instance, open) in killed.iter().enumerate() {
        let mut not_again = 0;
        for id in open {
            if delivered_by[id].iter().any(|&later| later > instance) {
                redelivered_after_kill += 1;
            } else {
                not_again += 1;
            }
        }
        assert!(
            not_again <= 1,
            "instance {instance} left {open:?} unacknowledged; {not_again} never came back"
        );
        cut_off += not_again;
    }
    let redeliveries: usize = delivered.values().map(|n| n - 1).sum();
    assert_eq!(
        redeliveries, redelivered_after_kill,
        "re-delivery without a kill"
    );
    assert!(redeliveries <= kills * BATCH);

    // The checkpoint agrees: nothing left to deliver.
    let client = common::client(&emu);
    let mut verify = watch_support::fast(client)
        .accounts(watched.iter().map(|a| a.surrogate_id.clone()))
        .start_from(StartFrom::Timestamp(start_micros))
        .lookback(Duration::ZERO)
        .checkpoint(FileCheckpointStore::open(&checkpoint).unwrap())
        .build()
        .unwrap();
    watch_support::assert_quiet(&mut verify, Duration::from_millis(1_500)).await;

    eprintln!(
        "kill test: {PAYMENTS} payments, {kills} kills, {redeliveries} re-deliveries, \
         {cut_off} acknowledgements cut off, {:.1} s",
        test_start.elapsed().as_secs_f64()
    );
    assert!(test_start.elapsed() < Duration::from_secs(90));
}
