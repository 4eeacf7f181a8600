//! `opcorp pay|refund --intent` and `opcorp outbox list|drive`, and the randomised
//! fault-and-crash schedule (reliability.md, "no payment is sent twice, none
//! silently lost"), against real emulators over mTLS.
//!
//! Each schedule pays one intent through the SDK's outbox — a SEPA or instant payment, a
//! refund, or an order the bank refuses — with up to three random faults in its way: the
//! request dropped, the response dropped (cut off mid-body), a delay past the client's
//! timeout, a 5xx after the bank committed, a reset after the bank committed, and token
//! expiry (revocation) before the submit or before each drive; some intents are delivered
//! twice. Separately, `opcorp pay --intent` child processes are killed with SIGKILL
//! mid-payment and a new process runs `opcorp outbox drive`.
//!
//! The emulator answers a resent refund as OP documents ("Already refunded", no quirk), so
//! a refund whose answer was lost is settled by finding its booking on the account.
//!
//! The oracle, per intent: the bank's ledger holds it at most once (found by a per-run
//! amount, independent of the ids the SDK chose); a success names that booking, a rejection
//! booked nothing; every unknown settles within `MAX_DRIVES` drives; a redelivered intent
//! answers the first outcome.
//!
//! Bounded by default (500 schedules, 24 kills, ~1 minute). The long run is a command of
//! its own (BENCHMARKS.md):
//! `OPCORP_SCHEDULES=10000 OPCORP_SCHEDULE_KILLS=400 cargo test -p opcorp-cli --test outbox -- --nocapture no_payment_twice`.
//! `OPCORP_SCHEDULE_SEED` replays a run's schedules (the seed is printed).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod schedule;

use std::time::{Instant, SystemTime, UNIX_EPOCH};

use common::opcorp_with;
use opcorp_emulator::{Fault, FaultKind, IncomingPayment};
use schedule::kill::{KillTally, Killer};
use schedule::oracle::Tally;
use schedule::plan::{Rng, Schedule};
use schedule::worker::Worker;

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v} is not a number")),
        Err(_) => default,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_payment_twice_none_lost_under_random_faults_and_kills() {
    let schedules = env_number("OPCORP_SCHEDULES", 500) as usize;
    let kills = env_number("OPCORP_SCHEDULE_KILLS", 24) as usize;
    let workers = env_number("OPCORP_SCHEDULE_WORKERS", 4).max(1) as usize;
    let clock = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let seed = env_number(
        "OPCORP_SCHEDULE_SEED",
        clock.as_secs() ^ u64::from(clock.subsec_nanos()),
    );
    println!("fault schedules: seed {seed} (OPCORP_SCHEDULE_SEED replays it)");
    let started = Instant::now();

    let killer = tokio::spawn(async move {
        let killer = Killer::start().await;
        let mut rng = Rng::new(seed ^ 0xC0FFEE);
        let mut tally = KillTally::default();
        let mut failures = Vec::new();
        for k in 0..kills {
            if let Err(e) = killer.run(k, &mut rng, &mut tally).await {
                failures.push(e);
            }
        }
        (tally, failures)
    });
    let tasks: Vec<_> = (0..workers)
        .map(|w| {
            let share = schedules / workers + usize::from(w < schedules % workers);
            tokio::spawn(async move {
                let worker = Worker::start().await;
                let mut rng = Rng::new(seed.wrapping_add(w as u64));
                let mut tally = Tally::default();
                let mut failures = Vec::new();
                for n in 0..share {
                    let s = Schedule::random(&mut rng);
                    if let Err(e) = worker.run(n, &s, &mut tally).await {
                        failures.push(format!("worker {w}: {e} [{s:?}]"));
                    }
                }
                worker.emu.shutdown().await;
                (tally, failures)
            })
        })
        .collect();

    let mut total = Tally::default();
    let mut failures = Vec::new();
    for task in tasks {
        let (tally, failed) = task.await.unwrap();
        total.add(&tally);
        failures.extend(failed);
    }
    let (kill_tally, kill_failures) = killer.await.unwrap();
    failures.extend(kill_failures);
    println!("fault schedules: {}", total.summary());
    println!("fault schedules: {}", kill_tally.summary());
    println!(
        "fault schedules: {} failed, {:.1} s",
        failures.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "seed {seed}:\n{}", failures.join("\n"));
    assert_eq!(total.schedules, schedules);
    assert_eq!(kill_tally.kills, kills);
    if kills >= 20 {
        assert!(
            kill_tally.between_booking_and_record >= kills / 4,
            "too few kills struck between the booking and the outbox update: {}",
            kill_tally.summary()
        );
    }
}

/// Runs the binary on a blocking thread so the in-process emulator keeps serving.
async fn run(args: Vec<String>, env: Vec<(String, String)>) -> common::Run {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        opcorp_with(&args, &env, None)
    })
    .await
    .unwrap()
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| (*s).to_owned()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pay_and_refund_with_an_intent_go_through_the_outbox() {
    let emu = opcorp_emulator::start(opcorp_emulator::EmulatorConfig {
        quiet: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let env = emu.identity().env_vars(&emu.base_url());
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sub").join("outbox.sqlite");
    let file = file.to_str().unwrap();
    let pay = |amount: &str| {
        strings(&[
            "--json",
            "pay",
            "--intent",
            "crm:1",
            "--outbox",
            file,
            "--yes",
            "--to",
            "FI2112345600000785",
            "--name",
            "Vuokralainen",
            "--amount",
            amount,
            "--message",
            "Vuokravakuus",
        ])
    };
    // The bank books but the answer is lost on every attempt: stored, outcome unknown.
    emu.admin().inject(Fault {
        route: Some("sepa_payment".into()),
        kind: FaultKind::StatusAfterCommit { status: 503 },
        times: Some(3),
    });
    let r = run(pay("900.00"), env.clone()).await;
    assert_eq!(r.code, 24, "{}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("outbox drive"), "{}", r.stderr);
    let r = run(
        strings(&["outbox", "list", "--unsettled", "--outbox", file]),
        vec![],
    )
    .await;
    assert_eq!(r.code, 0, "list is offline: {}", r.stderr);
    assert!(
        r.stdout.contains("crm:1") && r.stdout.contains("unknown"),
        "{}",
        r.stdout
    );
    let r = run(
        strings(&["--json", "outbox", "drive", "--outbox", file]),
        env.clone(),
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let line: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(line["state"], "succeeded");
    let archive_id = line["receipt"]["response"]["archiveId"]
        .as_str()
        .unwrap()
        .to_owned();
    let booked: Vec<_> = emu
        .admin()
        .ledger()
        .into_iter()
        .filter(|e| e.amount == "900.00")
        .collect();
    assert_eq!(booked.len(), 1);
    assert_eq!(booked[0].archive_id, archive_id);

    // The CRM delivers the event again: the first outcome, nothing sent.
    let r = run(pay("900.00"), env.clone()).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let again: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        again["receipt"]["response"]["archiveId"],
        archive_id.as_str()
    );
    // A different payment under the same intent is a conflict.
    let r = run(pay("901.00"), env.clone()).await;
    assert_eq!(r.code, 21, "{}", r.stderr);
    let r = run(
        strings(&[
            "pay",
            "--outbox",
            file,
            "--yes",
            "--to",
            "FI2112345600000785",
            "--name",
            "N",
            "--amount",
            "1.00",
            "--message",
            "m",
        ]),
        env.clone(),
    )
    .await;
    assert_eq!(r.code, 10, "--outbox without --intent: {}", r.stderr);

    // A refund by intent, delivered twice.
    let account = emu.admin().accounts(&emu.identity().client_id)[0]
        .iban
        .clone();
    let original = emu
        .admin()
        .simulate_incoming(IncomingPayment {
            account_iban: account.clone(),
            amount: "249.00".into(),
            reference: None,
            message: Some("Tilaus 15".into()),
            debtor_name: "Asiakas".into(),
            debtor_iban: Some("FI2112345600000785".into()),
        })
        .unwrap();
    let date = time::OffsetDateTime::now_utc().date().to_string();
    let refund = strings(&[
        "--json",
        "refund",
        "--intent",
        "crm:2",
        "--outbox",
        file,
        "--yes",
        "--archive-id",
        &original.archive_id,
        "--amount",
        "49.00",
        "--date",
        &date,
        "--message",
        "Palautus",
        "--account",
        &account,
    ]);
    for _ in 0..2 {
        let r = run(refund.clone(), env.clone()).await;
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let refunds = emu
        .admin()
        .ledger()
        .into_iter()
        .filter(|e| e.kind == "refund")
        .count();
    assert_eq!(refunds, 1);
    let r = run(
        strings(&["--json", "outbox", "list", "--outbox", file]),
        vec![],
    )
    .await;
    let list: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let states: Vec<_> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["state"].clone())
        .collect();
    assert_eq!(states, ["succeeded", "succeeded"]);
    emu.shutdown().await;
}
