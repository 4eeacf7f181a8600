//! Every fault kind, observed from a real mTLS client.

mod common;

use std::io::ErrorKind;
use std::time::{Duration, Instant};

use common::*;
use opcorp_emulator::{Emulator, Fault, FaultKind};
use serde_json::Value;

fn fault(route: Option<&str>, kind: FaultKind, times: Option<u32>) -> Fault {
    Fault {
        route: route.map(str::to_string),
        kind,
        times,
    }
}

async fn setup() -> (Emulator, reqwest::Client, String, String) {
    let emu = emulator().await;
    let id = emu.identity().clone();
    let http = client(&id);
    let base = emu.base_url();
    let token = token(&http, &base, &id).await;
    (emu, http, base, token)
}

#[tokio::test]
async fn status_fault_with_retry_after_answers_before_processing() {
    let (emu, http, base, token) = setup().await;
    emu.admin().inject(fault(
        Some("accounts"),
        FaultKind::Status {
            status: 429,
            retry_after: Some("2".into()),
            body: None,
            content_type: None,
        },
        Some(1),
    ));
    let limited = get(&http, &base, &token, ACCOUNTS_PATH).await.unwrap();
    assert_eq!(limited.status(), 429);
    assert_eq!(limited.headers()["retry-after"], "2");
    let body: Value = limited.json().await.unwrap();
    assert_eq!(body["error"], "too_many_requests");
    assert_eq!(
        get(&http, &base, &token, ACCOUNTS_PATH)
            .await
            .unwrap()
            .status(),
        200
    );

    // A custom HTML body, as gateways send, on the token endpoint.
    emu.admin().inject(fault(
        Some("token"),
        FaultKind::Status {
            status: 502,
            retry_after: None,
            body: Some("<html>Bad gateway</html>".into()),
            content_type: Some("text/html".into()),
        },
        None,
    ));
    let id = emu.identity().clone();
    let gateway = token_response(&http, &base, &id.client_id, &id.client_secret)
        .await
        .unwrap();
    assert_eq!(gateway.status(), 502);
    assert_eq!(gateway.headers()["content-type"], "text/html");
    assert_eq!(gateway.text().await.unwrap(), "<html>Bad gateway</html>");
    emu.admin().clear_faults();
    assert_eq!(
        token_response(&http, &base, &id.client_id, &id.client_secret)
            .await
            .unwrap()
            .status(),
        200
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn status_after_commit_books_the_payment_but_answers_an_error() {
    let (emu, http, base, token) = setup().await;
    let id = emu.identity().clone();
    let iban = emu.admin().accounts(&id.client_id)[0].iban.clone();
    emu.admin().inject(fault(
        Some("sepa_payment"),
        FaultKind::StatusAfterCommit { status: 503 },
        Some(1),
    ));
    let body = payment_body(&iban, "FAULT1");
    let response = pay(&http, &base, &token, &id, body.clone()).await.unwrap();
    assert_eq!(response.status(), 503);
    let ledger = emu.admin().ledger();
    assert_eq!(ledger.len(), 1, "the payment was committed");
    assert_eq!(ledger[0].instruction_id, "FAULT1");
    // The resend with the same instructionId is not booked twice.
    let again = pay(&http, &base, &token, &id, body).await.unwrap();
    assert!(
        again.status().is_success(),
        "{}",
        again.text().await.unwrap()
    );
    assert_eq!(emu.admin().ledger().len(), 1);
    emu.shutdown().await;
}

#[tokio::test]
async fn latency_delays_then_processes() {
    let (emu, http, base, token) = setup().await;
    emu.admin()
        .inject(fault(None, FaultKind::Latency { millis: 300 }, Some(1)));
    let started = Instant::now();
    let response = get(&http, &base, &token, ACCOUNTS_PATH).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    let started = Instant::now();
    get(&http, &base, &token, ACCOUNTS_PATH).await.unwrap();
    assert!(started.elapsed() < Duration::from_millis(300), "used up");
    emu.shutdown().await;
}

#[tokio::test]
async fn reset_before_commit_books_nothing() {
    let (emu, http, base, token) = setup().await;
    let id = emu.identity().clone();
    let iban = emu.admin().accounts(&id.client_id)[0].iban.clone();
    emu.admin().inject(fault(
        Some("sepa_payment"),
        FaultKind::ResetBeforeCommit,
        Some(1),
    ));
    let err = pay(&http, &base, &token, &id, payment_body(&iban, "RESET1"))
        .await
        .expect_err("reset");
    assert!(
        has_io_kind(&err, ErrorKind::ConnectionReset),
        "{}",
        chain(&err)
    );
    assert!(emu.admin().ledger().is_empty());
    let retry = pay(&http, &base, &token, &id, payment_body(&iban, "RESET1"))
        .await
        .unwrap();
    assert!(retry.status().is_success());
    assert_eq!(emu.admin().ledger().len(), 1);
    emu.shutdown().await;
}

#[tokio::test]
async fn reset_after_commit_books_the_payment_without_answering() {
    let (emu, http, base, token) = setup().await;
    let id = emu.identity().clone();
    let iban = emu.admin().accounts(&id.client_id)[0].iban.clone();
    emu.admin().inject(fault(
        Some("sepa_payment"),
        FaultKind::ResetAfterCommit,
        Some(1),
    ));
    let err = pay(&http, &base, &token, &id, payment_body(&iban, "RESET2"))
        .await
        .expect_err("reset");
    assert!(
        has_io_kind(&err, ErrorKind::ConnectionReset),
        "{}",
        chain(&err)
    );
    assert_eq!(emu.admin().ledger().len(), 1, "committed before the reset");
    emu.shutdown().await;
}

#[tokio::test]
async fn reset_on_the_token_endpoint() {
    let (emu, http, base, _) = setup().await;
    let id = emu.identity().clone();
    emu.admin()
        .inject(fault(Some("token"), FaultKind::ResetBeforeCommit, Some(1)));
    let err = token_response(&http, &base, &id.client_id, &id.client_secret)
        .await
        .expect_err("reset");
    assert!(
        has_io_kind(&err, ErrorKind::ConnectionReset),
        "{}",
        chain(&err)
    );
    assert_eq!(emu.admin().counters().token_requests, 2);
    emu.shutdown().await;
}

#[tokio::test]
async fn truncated_body_sends_half_then_closes() {
    let (emu, http, base, token) = setup().await;
    emu.admin()
        .inject(fault(Some("accounts"), FaultKind::TruncatedBody, Some(1)));
    let response = get(&http, &base, &token, ACCOUNTS_PATH).await.unwrap();
    assert_eq!(response.status(), 200);
    let announced = response.content_length().unwrap();
    assert!(announced > 100);
    let err = response.bytes().await.expect_err("truncated");
    assert!(err.is_body() || err.is_decode(), "{}", chain(&err));
    assert_eq!(
        get(&http, &base, &token, ACCOUNTS_PATH)
            .await
            .unwrap()
            .status(),
        200
    );
    emu.shutdown().await;
}

#[tokio::test]
async fn oversized_body_has_the_requested_size() {
    let (emu, http, base, token) = setup().await;
    emu.admin().inject(fault(
        Some("accounts"),
        FaultKind::OversizedBody { bytes: 3_000_000 },
        Some(1),
    ));
    let response = get(&http, &base, &token, ACCOUNTS_PATH).await.unwrap();
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap();
    assert_eq!(bytes.len(), 3_000_000);
    let value: Value = serde_json::from_slice(&bytes).unwrap();
    assert!(value["padding"].is_string());
    emu.shutdown().await;
}

#[tokio::test]
async fn clock_skew_shifts_the_date_header() {
    let (emu, http, base, token) = setup().await;
    emu.admin().set_clock_skew(-600);
    let response = get(&http, &base, &token, ACCOUNTS_PATH).await.unwrap();
    let date = response.headers()["date"].to_str().unwrap();
    let date = httpdate::parse_http_date(date).unwrap();
    let behind = std::time::SystemTime::now().duration_since(date).unwrap();
    assert!(behind >= Duration::from_secs(595) && behind <= Duration::from_secs(605));
    emu.admin().reset();
    let response = get(&http, &base, &token, ACCOUNTS_PATH).await.unwrap();
    let date = httpdate::parse_http_date(response.headers()["date"].to_str().unwrap()).unwrap();
    assert!(std::time::SystemTime::now().duration_since(date).unwrap() < Duration::from_secs(5));
    emu.shutdown().await;
}
