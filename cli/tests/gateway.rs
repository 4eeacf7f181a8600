//! `opcorp gateway` end to end: the built binary in front of an emulator started in this
//! test process, called over real HTTP on 127.0.0.1 (no key → 401, wrong origin → refused,
//! payments disabled → 403, payment and rate limits, a daily total that survives a restart,
//! loopback `Host` names only, a clean audit log).

// Helpers outside #[test] functions may unwrap like the tests themselves.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use opcorp_emulator::{Emulator, EmulatorConfig};
use serde_json::{Value, json};

const KEY: &str = "test-gateway-key-0123456789abcdef";
const ORIGIN: &str = "http://localhost:5173";

/// A running gateway subprocess, killed on drop.
struct Gateway {
    child: Child,
    addr: String,
    audit: tempfile::NamedTempFile,
}

impl Drop for Gateway {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Gateway {
    fn audit_log(&self) -> String {
        std::fs::read_to_string(self.audit.path()).unwrap()
    }
}

async fn emulator() -> Emulator {
    opcorp_emulator::start(EmulatorConfig {
        quiet: true,
        ..EmulatorConfig::default()
    })
    .await
    .unwrap()
}

/// Starts `opcorp gateway` with the emulator's identity in its environment.
fn gateway(emu: &Emulator, extra: &[&str]) -> Gateway {
    let audit = tempfile::NamedTempFile::new().unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_opcorp"));
    cmd.args([
        "gateway",
        "--listen",
        "127.0.0.1:0",
        "--allow-origin",
        ORIGIN,
    ])
    .arg("--audit-log")
    .arg(audit.path())
    .args(extra)
    .env_clear()
    .env("HOME", home.path())
    .env("OPCORP_GATEWAY_KEY", KEY)
    .envs(emu.identity().env_vars(&emu.base_url()))
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("opcorp gateway listening on http://")
        .unwrap_or_else(|| panic!("unexpected banner {line:?}"))
        .to_owned();
    Gateway { child, addr, audit }
}

/// A response as the test sees it.
struct Reply {
    status: u16,
    headers: String,
    body: Value,
}

/// One HTTP/1.1 request over a fresh connection.
fn request(
    gw: &Gateway,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> Reply {
    let mut stream = TcpStream::connect(&gw.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut text = format!(
        "{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if !headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("host"))
    {
        text.push_str(&format!("Host: {}\r\n", gw.addr));
    }
    if !body.is_empty() {
        text.push_str("Content-Type: application/json\r\n");
    }
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.push_str(&body);
    stream.write_all(text.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8(raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    let body = if body.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"))
    };
    Reply {
        status,
        headers: head.to_ascii_lowercase(),
        body,
    }
}

const AUTH: (&str, &str) = ("Authorization", "Bearer test-gateway-key-0123456789abcdef");
const ACCOUNTS: &str = "/corporate-account-data/v1/accounts";

fn payment(emu: &Emulator, amount: &str, id: &str) -> Value {
    let debtor = emu.admin().accounts(&emu.identity().client_id)[0]
        .iban
        .clone();
    json!({
        "instructionId": id,
        "debtor": {"name": "Vuokra Oy", "iban": debtor},
        "creditor": {"name": "Matti Meikäläinen", "iban": "FI2112345600000785"},
        "instructedAmount": {"amount": amount, "currency": "EUR"},
        "reference": "1232"
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_need_the_key_and_are_forwarded() {
    let emu = emulator().await;
    let gw = gateway(&emu, &[]);
    let r = request(&gw, "GET", ACCOUNTS, &[], None);
    assert_eq!(r.status, 401);
    assert_eq!(r.body["error"], "unauthorized");
    assert_eq!(r.body["code"], "AUTH");
    assert!(r.headers.contains("www-authenticate: bearer"));
    let r = request(
        &gw,
        "GET",
        ACCOUNTS,
        &[("Authorization", "Bearer wrong-key-wrong-key")],
        None,
    );
    assert_eq!(r.status, 401);

    let r = request(&gw, "GET", ACCOUNTS, &[AUTH], None);
    assert_eq!(r.status, 200, "{}", r.body);
    let accounts = r.body.as_array().unwrap();
    assert_eq!(accounts.len(), 3);
    let id = accounts[0]["surrogateId"].as_str().unwrap();
    let page = request(
        &gw,
        "GET",
        &format!(
            "/corporate-account-data/v3/accounts/{id}/transactions?fromTimestamp=0&maxPast=0&maxFuture=7"
        ),
        &[AUTH],
        None,
    );
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(
        page.body.as_array().unwrap().len(),
        7,
        "one page of maxFuture"
    );

    // Refunds are signed writes: a read-only gateway refuses them like payments.
    let r = request(
        &gw,
        "POST",
        "/corporate-payment/v2/payment-refund",
        &[AUTH],
        Some(&json!({})),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.body["error"], "payments_disabled");
    // Outside core's route table: the token endpoint, anything else.
    for (method, path) in [("POST", "/corporate-oidc/v1/token"), ("DELETE", ACCOUNTS)] {
        let r = request(&gw, method, path, &[AUTH], Some(&json!({})));
        assert_eq!(r.status, 404, "{method} {path}");
        assert_eq!(r.body["error"], "not_allowed");
    }
    // A core error comes back with its code and the bank's request id.
    let r = request(
        &gw,
        "GET",
        &format!("{ACCOUNTS}/no-such-account"),
        &[AUTH],
        None,
    );
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(r.body["code"], "NOT_FOUND");
    assert!(r.body["requestId"].is_string(), "{}", r.body);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_allowlist_is_enforced() {
    let emu = emulator().await;
    let gw = gateway(&emu, &[]);
    let r = request(
        &gw,
        "GET",
        ACCOUNTS,
        &[AUTH, ("Origin", "http://evil.example")],
        None,
    );
    assert_eq!(r.status, 403);
    assert_eq!(r.body["error"], "origin_not_allowed");
    assert!(!r.headers.contains("access-control-allow-origin"));
    let r = request(
        &gw,
        "OPTIONS",
        ACCOUNTS,
        &[("Origin", "http://evil.example")],
        None,
    );
    assert_eq!(r.status, 403);

    let r = request(
        &gw,
        "OPTIONS",
        ACCOUNTS,
        &[
            ("Origin", ORIGIN),
            ("Access-Control-Request-Headers", "authorization"),
        ],
        None,
    );
    assert_eq!(r.status, 204);
    assert!(
        r.headers
            .contains(&format!("access-control-allow-origin: {ORIGIN}"))
    );
    assert!(
        r.headers
            .contains("access-control-allow-headers: authorization")
    );
    let r = request(&gw, "GET", ACCOUNTS, &[AUTH, ("Origin", ORIGIN)], None);
    assert_eq!(r.status, 200);
    assert!(
        r.headers
            .contains(&format!("access-control-allow-origin: {ORIGIN}"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payments_are_refused_when_disabled() {
    let emu = emulator().await;
    let gw = gateway(&emu, &[]);
    let body = payment(&emu, "10.00", "gwdisabled1");
    let r = request(
        &gw,
        "POST",
        "/corporate-payment/v1/sepa-payment",
        &[AUTH],
        Some(&body),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.body["error"], "payments_disabled");
    assert_eq!(r.body["code"], "FORBIDDEN");
    assert!(emu.admin().ledger().is_empty(), "nothing reached the bank");
}

/// A fresh ledger file path (the directory lives as long as the returned guard).
fn ledger_file() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let path = path.to_str().unwrap().to_owned();
    (dir, path)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn payment_limits_are_enforced_and_resends_not_double_counted() {
    let emu = emulator().await;
    let (_dir, ledger) = ledger_file();
    let gw = gateway(
        &emu,
        &[
            "--allow-payments",
            "--max-payment",
            "100.00",
            "--daily-limit",
            "150.00",
            "--ledger",
            &ledger,
        ],
    );
    let pay = |amount: &str, id: &str| {
        let body = payment(&emu, amount, id);
        request(
            &gw,
            "POST",
            "/corporate-payment/v1/sepa-payment",
            &[AUTH],
            Some(&body),
        )
    };
    let r = pay("100.01", "gwlimit1");
    assert_eq!(r.status, 403);
    assert_eq!(r.body["error"], "payment_limit_exceeded");

    let r = pay("100.00", "gwlimit2");
    assert_eq!(r.status, 200, "{}", r.body);
    let archive_id = r.body["archiveId"].clone();
    assert!(archive_id.is_string(), "{}", r.body);
    let r = pay("100.00", "gwlimit2");
    assert_eq!(
        r.status, 200,
        "a resend of the same payment passes: {}",
        r.body
    );
    assert_eq!(
        r.body["archiveId"], archive_id,
        "OP answers with the booked payment"
    );

    let r = pay("50.01", "gwlimit3");
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.body["error"], "daily_limit_exceeded");
    let r = pay("50.00", "gwlimit4");
    assert_eq!(r.status, 200, "{}", r.body);

    let booked = emu.admin().ledger().len();
    assert_eq!(booked, 2, "two payments booked, the resend de-duplicated");

    let log = gw.audit_log();
    assert!(
        log.contains("\"outcome\":\"daily_limit_exceeded\""),
        "{log}"
    );
    assert!(log.contains("\"instructionId\":\"gwlimit4\""), "{log}");
}

/// The gateway's outbox survives a kill: after a restart a redelivered intent gets the first
/// payment's answer (not a second payment), and an unknown outcome is settled by the drive
/// the gateway runs when it starts.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_keeps_intents_across_a_restart_and_drives_at_start() {
    let emu = emulator().await;
    let (dir, ledger) = ledger_file();
    let outbox = dir.path().join("outbox.sqlite");
    let args = [
        "--allow-payments",
        "--max-payment",
        "500.00",
        "--daily-limit",
        "2000.00",
        "--ledger",
        ledger.as_str(),
        "--outbox",
        outbox.to_str().unwrap(),
    ];
    let submit = |gw: &Gateway, intent: &str, amount: &str| {
        let mut order = payment(&emu, amount, "unused");
        order.as_object_mut().unwrap().remove("instructionId");
        let body = json!({"intent": intent, "payment": order});
        request(gw, "POST", "/opcorp/outbox/submit", &[AUTH], Some(&body))
    };
    let gw = gateway(&emu, &args);
    let r = submit(&gw, "gw:crm:1", "11.00");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["state"], "succeeded", "{}", r.body);
    let archive_id = r.body["archiveId"].clone();
    // The next one is booked, but its answer is lost.
    emu.admin().inject(opcorp_emulator::Fault {
        route: Some("sepa_payment".into()),
        kind: opcorp_emulator::FaultKind::ResetAfterCommit,
        times: None,
    });
    let r = submit(&gw, "gw:crm:2", "12.00");
    assert_eq!(r.body["state"], "unknown", "{}", r.body);
    drop(gw); // SIGKILL
    emu.admin().clear_faults();

    let gw = gateway(&emu, &args);
    let r = submit(&gw, "gw:crm:1", "11.00");
    assert_eq!(r.body["archiveId"], archive_id, "{}", r.body);
    let r = submit(&gw, "gw:crm:1", "11.01");
    assert_eq!(r.status, 409, "{}", r.body);
    // The start-up drive settles gw:crm:2 without anyone asking.
    let mut state = Value::Null;
    for _ in 0..50 {
        let r = request(&gw, "GET", "/opcorp/outbox?intent=gw:crm:2", &[AUTH], None);
        state = r.body["state"].clone();
        if state == "succeeded" {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(state, "succeeded");
    let r = request(&gw, "GET", "/opcorp/outbox?intent=gw:crm:9", &[AUTH], None);
    assert_eq!(r.status, 404, "{}", r.body);
    let r = request(&gw, "GET", "/opcorp/outbox?unsettled=true", &[AUTH], None);
    assert_eq!(r.body, json!([]));
    let r = request(&gw, "GET", "/opcorp/outbox", &[], None);
    assert_eq!(
        r.status, 401,
        "the outbox is behind the key like every call"
    );
    let amounts: Vec<String> = emu.admin().ledger().into_iter().map(|e| e.amount).collect();
    assert_eq!(amounts, ["11.00", "12.00"], "each intent booked once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_total_survives_a_restart() {
    let emu = emulator().await;
    let (_dir, ledger) = ledger_file();
    let args = [
        "--allow-payments",
        "--max-payment",
        "500.00",
        "--daily-limit",
        "2000.00",
        "--ledger",
        ledger.as_str(),
    ];
    let pay = |gw: &Gateway, amount: &str, id: &str| {
        let body = payment(&emu, amount, id);
        request(
            gw,
            "POST",
            "/corporate-payment/v1/sepa-payment",
            &[AUTH],
            Some(&body),
        )
    };
    let gw = gateway(&emu, &args);
    for i in 1..=4 {
        let r = pay(&gw, "499.99", &format!("gwday{i}"));
        assert_eq!(r.status, 200, "{}", r.body);
    }
    drop(gw); // SIGKILL: no graceful shutdown, only what was committed survives.
    let gw = gateway(&emu, &args);
    let r = pay(&gw, "499.99", "gwday5");
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.body["error"], "daily_limit_exceeded");
    assert!(
        r.body["message"].as_str().unwrap().contains("1999.96"),
        "{}",
        r.body
    );
    let r = pay(&gw, "0.05", "gwday6");
    assert_eq!(r.status, 403, "{}", r.body);
    let r = pay(&gw, "0.04", "gwday7");
    assert_eq!(r.status, 200, "up to the limit exactly: {}", r.body);
    let r = pay(&gw, "499.99", "gwday1");
    assert_eq!(r.status, 200, "a resend is not counted again: {}", r.body);
    assert_eq!(
        emu.admin().ledger().len(),
        5,
        "four payments and the last cent"
    );

    let out = Command::new(env!("CARGO_BIN_EXE_opcorp"))
        .args(["gateway", "--listen", "127.0.0.1:0", "--allow-payments"])
        .args(["--max-payment", "1", "--daily-limit", "1"])
        .env_clear()
        .env("OPCORP_GATEWAY_KEY", KEY)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--ledger"),
        "payments need a ledger file"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_loopback_host_names_are_answered() {
    let emu = emulator().await;
    let gw = gateway(&emu, &[]);
    let port = gw.addr.rsplit_once(':').unwrap().1.to_owned();
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        "127.0.0.1:1".to_owned(),
        "localhost".to_owned(),
    ] {
        let r = request(&gw, "GET", ACCOUNTS, &[AUTH, ("Host", &host)], None);
        assert_eq!(r.status, 421, "{host}: {}", r.body);
        assert_eq!(r.body["error"], "host_not_allowed");
        assert!(
            r.body["message"].as_str().unwrap().contains("loopback"),
            "{}",
            r.body
        );
        assert!(!r.headers.contains("access-control-allow-origin"));
        let r = request(
            &gw,
            "OPTIONS",
            ACCOUNTS,
            &[("Host", &host), ("Origin", ORIGIN)],
            None,
        );
        assert_eq!(r.status, 421, "preflight for {host}");
    }
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("[::1]:{port}"),
    ] {
        let r = request(&gw, "GET", ACCOUNTS, &[AUTH, ("Host", &host)], None);
        assert_eq!(r.status, 200, "{host}: {}", r.body);
    }
    assert!(gw.audit_log().contains("\"outcome\":\"host_not_allowed\""));
    let before = emu.admin().counters().requests.get("accounts").copied();
    let r = request(
        &gw,
        "GET",
        ACCOUNTS,
        &[AUTH, ("Host", "rebound.example")],
        None,
    );
    assert_eq!(r.status, 421);
    let after = emu.admin().counters().requests.get("accounts").copied();
    assert_eq!(before, after, "a refused host reaches nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_answers_429() {
    let emu = emulator().await;
    let gw = gateway(&emu, &["--rate-limit", "2"]);
    assert_eq!(request(&gw, "GET", ACCOUNTS, &[AUTH], None).status, 200);
    assert_eq!(request(&gw, "GET", ACCOUNTS, &[AUTH], None).status, 200);
    let r = request(&gw, "GET", ACCOUNTS, &[AUTH], None);
    assert_eq!(r.status, 429);
    assert_eq!(r.body["code"], "RATE_LIMITED");
    assert!(r.headers.contains("retry-after: "), "{}", r.headers);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_log_has_a_line_per_call_and_no_secrets() {
    let emu = emulator().await;
    let (_dir, ledger) = ledger_file();
    let gw = gateway(
        &emu,
        &[
            "--allow-payments",
            "--max-payment",
            "5",
            "--daily-limit",
            "5",
            "--ledger",
            &ledger,
        ],
    );
    request(&gw, "GET", ACCOUNTS, &[], None);
    request(&gw, "GET", ACCOUNTS, &[AUTH, ("Origin", ORIGIN)], None);
    request(
        &gw,
        "GET",
        ACCOUNTS,
        &[AUTH, ("Origin", "http://evil.example")],
        None,
    );
    let body = payment(&emu, "1.00", "gwaudit1");
    request(
        &gw,
        "POST",
        "/corporate-payment/v1/sepa-payment",
        &[AUTH],
        Some(&body),
    );
    let log = gw.audit_log();
    let lines: Vec<Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{log}");
    let outcomes: Vec<&str> = lines
        .iter()
        .map(|l| l["outcome"].as_str().unwrap())
        .collect();
    assert_eq!(
        outcomes,
        [
            "unauthorized",
            "forwarded",
            "origin_not_allowed",
            "forwarded"
        ]
    );
    assert_eq!(lines[3]["route"], "sepa_payment");
    assert_eq!(lines[3]["amount"], "1.00");
    let identity = emu.identity();
    for secret in [KEY, identity.client_secret.as_str(), "Bearer", "BEGIN"] {
        assert!(!log.contains(secret), "audit log leaks {secret:?}: {log}");
    }
}

#[test]
fn refuses_to_start_unsafely() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str], key: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_opcorp"));
        cmd.arg("gateway")
            .args(args)
            .env_clear()
            .env("HOME", home.path());
        if let Some(key) = key {
            cmd.env("OPCORP_GATEWAY_KEY", key);
        }
        cmd.output().unwrap()
    };
    let out = run(&["--listen", "0.0.0.0:0"], Some(KEY));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("loopback"));
    let out = run(&["--listen", "127.0.0.1:0"], None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("OPCORP_GATEWAY_KEY"));
    let out = run(&["--listen", "127.0.0.1:0"], Some("short"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 16"));
    let out = run(&["--listen", "127.0.0.1:0", "--allow-payments"], Some(KEY));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--max-payment"));
}
