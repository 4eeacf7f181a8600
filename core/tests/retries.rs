//! Retries against the emulator's fault injection: 5xx, 429 with Retry-After, the retry
//! budget, connection resets, and what a signed write does when its outcome is ambiguous.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (clippy.toml)

mod common;

use std::time::{Duration, Instant};

use opcorp::ErrorKind;
use opcorp::retry::RetryPolicy;
use opcorp_emulator::{Fault, FaultKind};

fn status(route: &str, status: u16, retry_after: Option<&str>, times: Option<u32>) -> Fault {
    Fault {
        route: Some(route.into()),
        kind: FaultKind::Status {
            status,
            retry_after: retry_after.map(str::to_owned),
            body: None,
            content_type: None,
        },
        times,
    }
}

#[tokio::test]
async fn get_5xx_is_retried_then_a_server_error_with_request_id() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    emu.admin().inject(status("accounts", 503, None, None));
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server, "{err}");
    assert_eq!(err.status(), Some(503));
    assert!(err.is_retryable());
    let rid = err.request_id().expect("request id");
    assert_eq!(uuid::Uuid::parse_str(rid).unwrap().get_version_num(), 4);
    assert_eq!(common::requests(&emu, "accounts"), 3, "max_attempts = 3");
}

#[tokio::test]
async fn transient_5xx_recovers() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    emu.admin().inject(status("accounts", 500, None, Some(1)));
    emu.admin().inject(status("accounts", 502, None, Some(1)));
    client.account_data().accounts().await.unwrap();
    assert_eq!(common::requests(&emu, "accounts"), 3);
}

#[tokio::test]
async fn retry_after_seconds_is_honoured() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    client.account_data().accounts().await.unwrap();
    emu.admin()
        .inject(status("accounts", 429, Some("1"), Some(1)));
    let started = Instant::now();
    client.account_data().accounts().await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(common::requests(&emu, "accounts"), 3);
}

#[tokio::test]
async fn persistent_429_is_rate_limited_with_retry_after() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    // Longer than the policy's cap (5 s in tests): stop at once and hand the delay back.
    emu.admin()
        .inject(status("accounts", 429, Some("120"), None));
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited, "{err}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(120)));
    assert_eq!(common::requests(&emu, "accounts"), 1);
}

#[tokio::test]
async fn the_retry_budget_bounds_retries_across_calls() {
    let emu = common::emulator().await;
    let client = common::builder(&emu)
        .retry_policy(RetryPolicy {
            max_attempts: 10,
            ..common::fast_retries()
        })
        .retry_budget_capacity(10)
        .build()
        .unwrap();
    client.account_data().accounts().await.unwrap();
    emu.admin().inject(status("accounts", 503, None, None));
    // Capacity 10, cost 5 per retry: two retries in total, then every call fails at once.
    for _ in 0..3 {
        let err = client.account_data().accounts().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Server);
    }
    assert_eq!(common::requests(&emu, "accounts"), 1 + 3 + 1 + 1);
    assert_eq!(client.retry_budget_available(), 0);
}

#[tokio::test]
async fn reset_before_commit_is_retried() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    client.account_data().accounts().await.unwrap();
    emu.admin().inject(Fault {
        route: Some("accounts".into()),
        kind: FaultKind::ResetBeforeCommit,
        times: Some(1),
    });
    client.account_data().accounts().await.unwrap();
    assert_eq!(common::requests(&emu, "accounts"), 3);
}

#[tokio::test]
async fn persistent_resets_end_in_a_network_error() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    client.account_data().accounts().await.unwrap();
    emu.admin().inject(Fault {
        route: Some("accounts".into()),
        kind: FaultKind::ResetBeforeCommit,
        times: None,
    });
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(err.request_id().is_some());
    assert_eq!(common::requests(&emu, "accounts"), 4);
}

#[tokio::test]
async fn connection_refused_is_a_fast_network_error() {
    // Bind then drop a listener: nothing listens on that port any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let emu = common::emulator().await;
    let client = common::builder(&emu)
        .base_url(&format!("https://127.0.0.1:{port}"))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn signature_time_is_corrected_once_by_the_bank_clock() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    // The bank's clock runs 20 minutes ahead: outside its 5-minute iat window.
    emu.admin().set_clock_skew(1200);
    client
        .payments()
        .sepa(common::payment(&emu, "skew1"))
        .await
        .unwrap();
    assert_eq!(
        common::requests(&emu, "sepa_payment"),
        2,
        "one rejection, one re-signed send"
    );
    let booked = emu.admin().ledger();
    assert_eq!(
        booked
            .iter()
            .filter(|e| e.instruction_id == "skew1")
            .count(),
        1
    );
}

/// Reliability matrix F11: the client's clock ten minutes off either way (the bank's clock
/// shifted the other way is the same to the client). Tokens still work (their expiry runs
/// on the monotonic clock), the first rejected signature teaches the client the bank's clock
/// (its `Date`) for every later payment, and every payment is booked once.
#[tokio::test]
async fn a_client_clock_ten_minutes_off_either_way_still_reads_and_pays_once() {
    for (skew, id) in [(600, "clockahead"), (-600, "clockbehind")] {
        let emu = common::emulator().await;
        emu.admin().set_clock_skew(skew);
        let client = common::client(&emu);
        client.account_data().accounts().await.unwrap();
        client
            .payments()
            .sepa(common::payment(&emu, id))
            .await
            .unwrap();
        let again = format!("{id}2");
        client
            .payments()
            .sepa(common::payment(&emu, &again))
            .await
            .unwrap();
        // The first payment learns the bank's clock from its rejection and re-signs once;
        // the client remembers the offset, so the second is signed right the first time:
        // three sends for two payments, each booked once.
        assert_eq!(common::requests(&emu, "sepa_payment"), 3, "skew {skew}");
        let ledger = emu.admin().ledger();
        for wanted in [id, again.as_str()] {
            let n = ledger.iter().filter(|e| e.instruction_id == wanted).count();
            assert_eq!(n, 1, "{wanted}");
        }
    }
}

#[tokio::test]
async fn persistent_iat_rejection_is_a_clock_skew_error() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    emu.admin().inject(Fault {
        route: Some("sepa_payment".into()),
        kind: FaultKind::Status {
            status: 400,
            retry_after: None,
            body: Some(
                r#"{"status":400,"error":"signature_iat_out_of_window","message":"iat"}"#.into(),
            ),
            content_type: None,
        },
        times: None,
    });
    let err = client
        .payments()
        .sepa(common::payment(&emu, "skew2"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ClockSkew, "{err}");
    assert_eq!(common::requests(&emu, "sepa_payment"), 2);
    assert!(
        emu.admin()
            .ledger()
            .iter()
            .all(|e| e.instruction_id != "skew2")
    );
}

#[tokio::test]
async fn payment_5xx_after_commit_is_resent_unchanged_and_booked_once() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    emu.admin().inject(Fault {
        route: Some("sepa_payment".into()),
        kind: FaultKind::StatusAfterCommit { status: 500 },
        times: Some(1),
    });
    client
        .payments()
        .sepa(common::payment(&emu, "commit5xx"))
        .await
        .unwrap();
    assert_eq!(common::requests(&emu, "sepa_payment"), 2);
    let booked = emu.admin().ledger();
    assert_eq!(
        booked
            .iter()
            .filter(|e| e.instruction_id == "commit5xx")
            .count(),
        1
    );
}

#[tokio::test]
async fn persistent_5xx_on_a_payment_is_an_unknown_outcome_with_the_same_bytes() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    emu.admin().inject(Fault {
        route: Some("sepa_payment".into()),
        kind: FaultKind::StatusAfterCommit { status: 503 },
        times: None,
    });
    let err = client
        .payments()
        .sepa(common::payment(&emu, "unknown5xx"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownOutcome, "{err}");
    let pending = err.pending().expect("pending operation");
    assert_eq!(pending.id, "unknown5xx");
    assert!(
        std::str::from_utf8(&pending.body)
            .unwrap()
            .contains("unknown5xx")
    );
    assert_eq!(common::requests(&emu, "sepa_payment"), 3);
    let booked = emu.admin().ledger();
    assert_eq!(
        booked
            .iter()
            .filter(|e| e.instruction_id == "unknown5xx")
            .count(),
        1
    );
}

#[tokio::test]
async fn a_payment_without_a_signing_key_fails_before_any_request() {
    let emu = common::emulator().await;
    let id = emu.identity();
    let client = opcorp::client::Client::builder()
        .base_url(&emu.base_url())
        .client_id(&id.client_id)
        .client_secret(&id.client_secret)
        .certificate_pem(&id.cert_pem)
        .private_key_pem(&id.key_pem)
        .ca_certificate_pem(&id.ca_pem)
        .build()
        .unwrap();
    let err = client
        .payments()
        .sepa(common::payment(&emu, "nokey"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config, "{err}");
    assert_eq!(common::token_requests(&emu), 0);
    assert_eq!(common::requests(&emu, "sepa_payment"), 0);
}
