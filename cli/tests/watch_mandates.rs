//! `opcorp watch --store … --mandates` against a real PostgreSQL server: the accounts of a
//! client company that gave the demo client a mandate are watched acting for it, and the
//! JSON line names the mandate.
//!
//! Needs `OPCORP_TEST_POSTGRES_URL` (`scripts/test postgres` starts a server and sets it);
//! without it the test says SKIPPED and passes, except under `CI=true`.

#![allow(clippy::unwrap_used)]

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::pg::postgres_url;
use opcorp::watch::postgres::PgStore;
use opcorp_emulator::{EmulatorConfig, IncomingPayment, NewMandate};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_mandates_are_watched_by_opcorp_watch() {
    let Some(url) = postgres_url() else { return };
    let emu = opcorp_emulator::start(EmulatorConfig {
        quiet: true,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap();
    let mandate = emu
        .admin()
        .add_mandate(
            &emu.identity().client_id,
            &NewMandate {
                company_name: "Asiakas Oy".into(),
                business_id: None,
                apis: None,
                accounts: Some(1),
            },
        )
        .unwrap();
    let account = mandate.accounts[0].clone();
    let group = format!("cli-mandates-{}", std::process::id());
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_opcorp"));
    cmd.args(["--json", "watch", "--store", &url, "--init", "--mandates"])
        .args(["--group", &group, "--interval", "0.2", "--max-events", "1"])
        .args(["--exit-after", "60"])
        .env_clear()
        .env("HOME", home.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in emu.identity().env_vars(&emu.base_url()) {
        cmd.env(k, v);
    }
    let child = cmd.spawn().unwrap();
    // Book once the worker holds the account (the watcher starts at "now").
    PgStore::migrate(&url, None).await.unwrap();
    let store = PgStore::connect(&url, &group).await.unwrap();
    let start = Instant::now();
    loop {
        let rows = store.account_rows().await.unwrap();
        let claimed = rows
            .iter()
            .any(|r| r.account == account.surrogate_id && r.checkpoint.is_some());
        if claimed {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "never claimed: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let booked = emu
        .admin()
        .simulate_incoming(IncomingPayment {
            account_iban: account.iban.clone(),
            amount: "42.00".into(),
            reference: None,
            message: Some("to the company".into()),
            debtor_name: "Maksaja Oy".into(),
            debtor_iban: None,
        })
        .unwrap();
    let out = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let line: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(line["mandate"], mandate.mandate_id.as_str(), "{stderr}");
    assert_eq!(line["account"], account.surrogate_id.as_str());
    assert_eq!(line["transaction"]["objectId"], booked.object_id.as_str());
    emu.shutdown().await;
}
