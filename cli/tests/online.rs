//! Online commands against an emulator started in this test process: its identity reaches
//! the binary through the same OPCORP_* variables a user would set.

// Helpers outside #[test] functions may unwrap like the tests themselves.
#![allow(clippy::unwrap_used)]

mod common;

use std::time::Duration;

use common::{Run, opcorp_with};
use opcorp_emulator::{Emulator, EmulatorConfig, IncomingPayment};

async fn emulator() -> Emulator {
    opcorp_emulator::start(EmulatorConfig {
        quiet: true,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap()
}

fn env_of(emu: &Emulator) -> Vec<(String, String)> {
    emu.identity().env_vars(&emu.base_url())
}

/// Runs the binary on a blocking thread so the emulator keeps serving meanwhile.
async fn run(args: &[&str], env: &[(String, String)], stdin: Option<&[u8]>) -> Run {
    let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
    let env = env.to_vec();
    let stdin = stdin.map(<[u8]>::to_vec);
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        opcorp_with(&args, &env, stdin.as_deref())
    })
    .await
    .unwrap()
}

fn first_iban(emu: &Emulator) -> String {
    emu.admin().accounts(&emu.identity().client_id)[0]
        .iban
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn accounts_and_transactions_in_every_format() {
    let emu = emulator().await;
    let env = env_of(&emu);
    let r = run(&["accounts"], &env, None).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let iban = first_iban(&emu);
    assert!(r.stdout.contains(&iban), "{}", r.stdout);
    let r = run(&["--json", "accounts"], &env, None).await;
    let accounts: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(accounts.as_array().unwrap().len(), 3);
    let r = run(&["accounts", &iban], &env, None).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("gross balance"), "{}", r.stdout);

    let r = run(&["--csv", "transactions", "--account", &iban], &env, None).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "booked,amount,currency,reference,counterparty,message,archive id"
    );
    assert_eq!(lines.len(), 41, "40 seeded transactions + header");
    let r = run(
        &["--json", "transactions", "--limit", "5", "--progress"],
        &env,
        None,
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let list: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 5);
    assert!(
        r.stderr.contains("transactions: "),
        "progress on stderr: {}",
        r.stderr
    );
    let r = run(&["transactions", "--from", "2025-02-30"], &env, None).await;
    assert_eq!(r.code, 10, "{}", r.stderr);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pay_needs_yes_off_a_terminal_and_books_exactly_once() {
    let emu = emulator().await;
    let env = env_of(&emu);
    let pay = [
        "pay",
        "--to",
        "FI2112345600000785",
        "--name",
        "Aino Virtanen",
        "--amount",
        "12.50",
    ];
    let with = |extra: &[&'static str]| {
        let mut v: Vec<&str> = pay.to_vec();
        v.extend_from_slice(extra);
        v
    };
    let r = run(
        &with(&["--message", "hello", "--instruction-id", "TEST1"]),
        &env,
        Some(b"y\n"),
    )
    .await;
    assert_eq!(
        r.code, 4,
        "stdin is not a TTY, so no confirmation: {}",
        r.stderr
    );
    assert!(r.stderr.contains("--yes"), "{}", r.stderr);
    assert!(
        r.stderr.contains("12.50"),
        "the summary is shown: {}",
        r.stderr
    );
    assert!(emu.admin().ledger().is_empty(), "nothing may be booked");

    let args = with(&["--message", "hello", "--instruction-id", "TEST1", "--yes"]);
    let r = run(
        &["--json"]
            .iter()
            .chain(args.iter())
            .copied()
            .collect::<Vec<_>>(),
        &env,
        None,
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["instructionId"], "TEST1");
    let archive = v["payment"]["archiveId"].as_str().unwrap().to_owned();
    // The same command again (a retried script) is answered with the same payment.
    let r = run(&args, &env, None).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(&archive), "{}", r.stdout);
    let ledger = emu.admin().ledger();
    let entries: Vec<_> = ledger
        .iter()
        .filter(|e| e.instruction_id == "TEST1")
        .collect();
    assert_eq!(entries.len(), 1, "{ledger:?}");
    assert_eq!(entries[0].amount, "12.50");
    assert_eq!(entries[0].creditor_iban, "FI2112345600000785");

    let r = run(&with(&["--yes"]), &env, None).await;
    assert_eq!(r.code, 10, "no reference or message: {}", r.stderr);
    let r = run(
        &[
            "pay",
            "--to",
            "FI00 1234",
            "--name",
            "X",
            "--amount",
            "1.00",
            "--message",
            "m",
            "--yes",
        ],
        &env,
        None,
    )
    .await;
    assert_eq!(r.code, 10, "{}", r.stderr);
    let r = run(
        &[
            "pay",
            "--to",
            "FI2112345600000785",
            "--name",
            "X",
            "--amount",
            "1,00",
            "--message",
            "m",
            "--yes",
        ],
        &env,
        None,
    )
    .await;
    assert_eq!(r.code, 10, "{}", r.stderr);
    assert_eq!(emu.admin().ledger().len(), 1);

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("payment.json");
    let debtor = first_iban(&emu);
    std::fs::write(
        &file,
        format!(
            r#"{{"instructionId":"FILE1","debtor":{{"name":"Company Oy","iban":"{debtor}"}},
                "creditor":{{"name":"Tenant","iban":"FI2112345600000785"}},
                "instructedAmount":{{"amount":"99.90","currency":"EUR"}},"reference":"1232"}}"#
        ),
    )
    .unwrap();
    let r = run(
        &["pay", "--file", file.to_str().unwrap(), "--yes"],
        &env,
        None,
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        emu.admin()
            .ledger()
            .iter()
            .any(|e| e.instruction_id == "FILE1" && e.amount == "99.90")
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filter_and_payer_find_a_simulated_payment() {
    let emu = emulator().await;
    let env = env_of(&emu);
    let iban = first_iban(&emu);
    let booked = emu
        .admin()
        .simulate_incoming(IncomingPayment {
            account_iban: iban.clone(),
            amount: "249.00".into(),
            reference: Some("10016".into()),
            message: None,
            debtor_name: "Puutalo Oy".into(),
            debtor_iban: None,
        })
        .unwrap();
    let r = run(
        &["--json", "filter", "credit", "--ref", "10016"],
        &env,
        None,
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["transactions"][0]["amount"], "249.00");
    assert_eq!(
        v["transactions"][0]["archiveId"],
        booked.archive_id.as_str()
    );
    let r = run(&["filter", "credit", "--ref", "1232"], &env, None).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout.lines().count(),
        2,
        "header and rule only: {}",
        r.stdout
    );
    let r = run(
        &[
            "filter",
            "credit",
            "--from",
            "2024-01-01",
            "--to",
            "2025-03-01",
        ],
        &env,
        None,
    )
    .await;
    assert_eq!(r.code, 10, "more than 13 windows of 30 days: {}", r.stderr);
    let r = run(&["payer", "--archive-id", &booked.archive_id], &env, None).await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("Puutalo Oy"), "{}", r.stdout);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_payee_prints_the_outcome_and_gates_on_it() {
    let emu = emulator().await;
    let env = env_of(&emu);
    let r = run(
        &["verify-payee", "FI51 1000 3500 0123 45", "KONE & TERA OY"],
        &env,
        None,
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("MTCH"), "{}", r.stdout);
    let r = run(
        &[
            "--json",
            "verify-payee",
            "FI5110003500012345",
            "Kone & Tero Oy",
        ],
        &env,
        None,
    )
    .await;
    assert_eq!(r.code, 1, "a close match is not a match: {}", r.stderr);
    let answer: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(answer["outcome"], "CMTC");
    assert_eq!(answer["matchedName"], "Kone & Terä Oy");
    let r = run(&["verify-payee", "FI00", "x"], &env, None).await;
    assert_eq!(r.code, 10, "{}", r.stderr);
    let r = run(
        &[
            "pay",
            "--to",
            "FI5110003500012345",
            "--name",
            "Puu ja Lauta Oy",
            "--amount",
            "5.00",
            "--message",
            "x",
            "--payee-check",
            "require-match",
            "--yes",
        ],
        &env,
        None,
    )
    .await;
    assert_eq!(r.code, 26, "PAYEE_MISMATCH stops the payment: {}", r.stderr);
    assert!(emu.admin().ledger().is_empty(), "nothing was booked");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_prints_new_payments_and_resumes_from_its_checkpoint() {
    let emu = emulator().await;
    let env = env_of(&emu);
    let iban = first_iban(&emu);
    let dir = tempfile::tempdir().unwrap();
    let checkpoint = dir.path().join("watch.json");
    let cp = checkpoint.to_str().unwrap().to_owned();
    let pay = |amount: &str| {
        emu.admin()
            .simulate_incoming(IncomingPayment {
                account_iban: iban.clone(),
                amount: amount.into(),
                reference: Some("1232".into()),
                message: None,
                debtor_name: "Payer".into(),
                debtor_iban: None,
            })
            .unwrap()
    };
    let args = [
        "--json",
        "watch",
        "--checkpoint",
        &cp,
        "--interval",
        "0.2",
        "--max-events",
        "2",
        "--exit-after",
        "20",
    ];
    let watcher = {
        let env = env.clone();
        let args: Vec<String> = args.iter().map(|s| (*s).to_owned()).collect();
        tokio::spawn(async move {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            run(&args, &env, None).await
        })
    };
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let first = pay("1.11");
    let second = pay("2.22");
    let r = watcher.await.unwrap();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let events: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 2, "{}", r.stdout);
    assert_eq!(
        events[0]["transaction"]["archiveId"],
        first.archive_id.as_str()
    );
    assert_eq!(
        events[1]["transaction"]["archiveId"],
        second.archive_id.as_str()
    );
    assert!(events[0]["latencyMs"].as_i64().unwrap() >= 0);

    // Booked while nobody watches: the restarted watcher prints it, and only it.
    let third = pay("3.33");
    let r = run(
        &[
            "--json",
            "watch",
            "--checkpoint",
            &cp,
            "--interval",
            "0.2",
            "--max-events",
            "1",
            "--exit-after",
            "20",
        ],
        &env,
        None,
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let events: Vec<serde_json::Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 1, "{}", r.stdout);
    assert_eq!(
        events[0]["transaction"]["archiveId"],
        third.archive_id.as_str()
    );
    // Nothing new: --exit-after ends the run quietly.
    let r = run(
        &[
            "watch",
            "--checkpoint",
            &cp,
            "--interval",
            "0.2",
            "--exit-after",
            "1",
        ],
        &env,
        None,
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.lines().count(), 1, "header only: {}", r.stdout);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreachable_server_and_wrong_secret_have_their_own_codes() {
    let emu = emulator().await;
    let mut env = env_of(&emu);
    // A port that was just free and is closed now.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    for (k, v) in env.iter_mut() {
        if k == "OPCORP_BASE_URL" {
            *v = format!("https://127.0.0.1:{port}");
        }
    }
    let r = run(&["accounts"], &env, None).await;
    assert_eq!(r.code, 15, "{}", r.stderr);
    assert!(r.stderr.starts_with("error[NETWORK]: "), "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);

    let mut env = env_of(&emu);
    for (k, v) in env.iter_mut() {
        if k == "OPCORP_CLIENT_SECRET" {
            *v = "wrong-secret".into();
        }
    }
    let r = run(&["accounts"], &env, None).await;
    assert_eq!(r.code, 12, "{}", r.stderr);
    assert!(r.stderr.starts_with("error[AUTH]: "), "{}", r.stderr);
    assert!(
        !r.stderr.contains("wrong-secret"),
        "secret leaked: {}",
        r.stderr
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_in_a_config_file_supplies_the_credentials() {
    let emu = emulator().await;
    let dir = tempfile::tempdir().unwrap();
    let mut profile = String::from("[profiles.emu]\n");
    for (k, v) in env_of(&emu) {
        let key = match k.as_str() {
            "OPCORP_ENV" => "env",
            "OPCORP_BASE_URL" => "base_url",
            "OPCORP_CLIENT_ID" => "client_id",
            "OPCORP_CLIENT_SECRET" => "client_secret",
            "OPCORP_CERT" => "cert",
            "OPCORP_KEY" => "key",
            "OPCORP_SIGNING_KEY" => "signing_key",
            "OPCORP_SIGNING_KID" => "signing_kid",
            "OPCORP_CA" => "ca",
            _ => continue,
        };
        profile.push_str(&format!("{key} = {}\n", toml_string(&v)));
    }
    let config = dir.path().join("config.toml");
    std::fs::write(&config, profile).unwrap();
    let cfg = config.to_str().unwrap();
    let r = run(
        &["--config", cfg, "--profile", "emu", "mandates"],
        &[],
        None,
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = run(
        &["--config", cfg, "--profile", "nope", "accounts"],
        &[],
        None,
    )
    .await;
    assert_eq!(r.code, 11, "{}", r.stderr);
    assert!(r.stderr.contains("profiles: emu"), "{}", r.stderr);
    emu.shutdown().await;
}

/// A TOML basic string.
fn toml_string(v: &str) -> String {
    serde_json::Value::String(v.to_owned()).to_string()
}

/// `opcorp conformance` against the emulator in both anchoring modes: each run exits 0 and
/// writes a redacted report; `--compare` of the two agrees on every operation and shows the
/// anchoring difference as an observation.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn conformance_runs_in_both_anchoring_modes_and_the_reports_agree() {
    let honoured = emulator().await;
    let ignored = emulator().await;
    ignored.admin().set_quirks(opcorp_emulator::Quirks {
        object_id_anchors: opcorp_emulator::ObjectIdAnchors::Ignored,
        ..ignored.admin().quirks()
    });
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (name, emu) in [("a", &honoured), ("b", &ignored)] {
        let file = dir.path().join(format!("{name}.json"));
        let path = file.to_str().unwrap().to_owned();
        let r = run(&["conformance", "--out", &path], &env_of(emu), None).await;
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stdout.contains("transactions_v3_page2_object_id"),
            "{}",
            r.stdout
        );
        let text = std::fs::read_to_string(&file).unwrap();
        let report: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(report["format"], "opcorp-conformance/1");
        let iban = first_iban(emu);
        assert!(!text.contains(&iban), "IBANs are hashed, never written");
        let status = |op: &str| {
            report["operations"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["name"] == op)
                .map(|r| r["status"].clone())
        };
        assert_eq!(status("accounts"), Some(200.into()));
        assert_eq!(status("accounts_missing_token"), Some(401.into()));
        assert_eq!(status("account_unknown_surrogate_id"), Some(404.into()));
        for op in [
            "account",
            "transactions_v2_page1",
            "transactions_v3_page2_timestamp",
            "filter_credit",
            "filter_debit",
            "mandates",
        ] {
            assert_eq!(status(op), Some(200.into()), "{op}: {text}");
        }
        // Recorded whatever the bank answers (the emulator knows payers of simulated
        // payments only).
        assert!(
            status("payer_details").is_some_and(|s| s.is_u64()),
            "{text}"
        );
        files.push(path);
    }
    let r = run(
        &["conformance", "--compare", &files[0], &files[1]],
        &[],
        None,
    )
    .await;
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("operations agree"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("transactions_v3_object_id_anchor: honoured vs ignored"),
        "{}",
        r.stdout
    );
    // A report that differs does not agree, and says where.
    let mut b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&files[1]).unwrap()).unwrap();
    b["operations"][1]["status"] = 500.into();
    std::fs::write(&files[1], b.to_string()).unwrap();
    let r = run(
        &["conformance", "--compare", &files[0], &files[1]],
        &[],
        None,
    )
    .await;
    assert_ne!(r.code, 0);
    assert!(r.stdout.contains("status: 200 vs 500"), "{}", r.stdout);
    honoured.shutdown().await;
    ignored.shutdown().await;
}
