//! Response limits against the emulator: truncated, malformed, non-JSON and oversized bodies,
//! and the per-attempt deadlines. Each failure is a typed error, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may unwrap (clippy.toml)

mod common;

use std::time::{Duration, Instant};

use opcorp::ErrorKind;
use opcorp_emulator::{Fault, FaultKind};

fn fault(kind: FaultKind, times: Option<u32>) -> Fault {
    Fault {
        route: Some("accounts".into()),
        kind,
        times,
    }
}

fn body_200(body: &str, content_type: Option<&str>) -> FaultKind {
    FaultKind::Status {
        status: 200,
        retry_after: None,
        body: Some(body.into()),
        content_type: content_type.map(str::to_owned),
    }
}

#[tokio::test]
async fn truncated_body_is_retried_then_a_decode_error() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    emu.admin().inject(fault(FaultKind::TruncatedBody, None));
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    assert!(err.message().contains("truncated"), "{err}");
    assert!(err.request_id().is_some());
    assert_eq!(
        common::requests(&emu, "accounts"),
        3,
        "reads retry a broken body"
    );
}

#[tokio::test]
async fn a_single_truncated_body_is_absorbed_by_a_retry() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    emu.admin().inject(fault(FaultKind::TruncatedBody, Some(1)));
    client.account_data().accounts().await.unwrap();
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_a_redacted_snippet() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let body = r#"{"accounts":[{"access_token":"leaked-sekrit","iban":"#;
    emu.admin()
        .inject(fault(body_200(body, Some("application/json")), None));
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    assert_eq!(err.status(), Some(200));
    assert!(err.request_id().is_some());
    let snippet = err.body_snippet().expect("snippet");
    assert!(snippet.contains("accounts"), "{snippet}");
    assert!(!format!("{err} {err:?}").contains("leaked-sekrit"));
    assert_eq!(
        common::requests(&emu, "accounts"),
        1,
        "a complete bad body is not retried"
    );
}

#[tokio::test]
async fn an_html_error_page_is_a_decode_error() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let page = "<html><body><h1>Gateway says hi</h1></body></html>";
    emu.admin()
        .inject(fault(body_200(page, Some("text/html")), None));
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    assert!(err.body_snippet().unwrap().contains("Gateway says hi"));
    emu.admin().clear_faults();
    emu.admin().inject(fault(
        FaultKind::Status {
            status: 502,
            retry_after: None,
            body: Some(page.into()),
            content_type: Some("text/html".into()),
        },
        None,
    ));
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server, "{err}");
    assert_eq!(err.status(), Some(502));
}

#[tokio::test]
async fn deeply_nested_json_is_a_decode_error_not_a_stack_overflow() {
    let emu = common::emulator().await;
    let client = common::client(&emu);
    let deep = "[".repeat(100_000);
    emu.admin()
        .inject(fault(body_200(&deep, Some("application/json")), None));
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
}

#[tokio::test]
async fn oversized_body_is_refused_by_the_size_cap() {
    let emu = common::emulator().await;
    let client = common::builder(&emu)
        .max_response_bytes(64 * 1024)
        .build()
        .unwrap();
    emu.admin()
        .inject(fault(FaultKind::OversizedBody { bytes: 200_000 }, None));
    let err = client.account_data().accounts().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode, "{err}");
    assert!(err.message().contains("exceeds"), "{err}");
    assert_eq!(common::requests(&emu, "accounts"), 1, "not retried");
    // The default cap (16 MiB) lets a 200 kB body through to the decoder.
    let roomy = common::client(&emu);
    let err = roomy.account_data().accounts().await.unwrap_err();
    assert!(!err.message().contains("exceeds"), "{err}");
}

#[tokio::test]
async fn total_timeout_bounds_each_attempt() {
    let emu = common::emulator().await;
    let client = common::builder(&emu)
        .total_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    client.account_data().accounts().await.unwrap();
    emu.admin()
        .inject(fault(FaultKind::Latency { millis: 2_000 }, None));
    let started = Instant::now();
    let err = client.account_data().accounts().await.unwrap_err();
    let elapsed = started.elapsed();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(err.is_retryable());
    // Three attempts of 300 ms plus short backoffs, far below one 2 s latency each.
    assert!(elapsed >= Duration::from_millis(850), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(2_000), "{elapsed:?}");
}

#[tokio::test]
async fn read_timeout_applies_between_reads() {
    let emu = common::emulator().await;
    let client = common::builder(&emu)
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    client.account_data().accounts().await.unwrap();
    emu.admin()
        .inject(fault(FaultKind::Latency { millis: 1_500 }, Some(1)));
    let started = Instant::now();
    // First attempt times out on read, the retry succeeds.
    client.account_data().accounts().await.unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(1_400),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(common::requests(&emu, "accounts"), 3);
}

#[tokio::test]
async fn an_oversized_answer_to_a_payment_is_an_unknown_outcome() {
    let emu = common::emulator().await;
    let client = common::builder(&emu)
        .max_response_bytes(64 * 1024)
        .build()
        .unwrap();
    emu.admin().inject(Fault {
        route: Some("sepa_payment".into()),
        kind: FaultKind::OversizedBody { bytes: 200_000 },
        times: None,
    });
    let debtor = &emu.admin().accounts(&emu.identity().client_id)[0];
    let request = opcorp::model::PaymentRequest::builder()
        .debtor("Esimerkki Oy", debtor.iban.clone())
        .creditor("Toimittaja Oy", "FI21 1234 5600 0007 85")
        .amount("1.00".parse::<opcorp::Amount>().unwrap())
        .instruction_id("oversized1")
        .message("Invoice 1")
        .build()
        .unwrap();
    let err = client.payments().sepa(request).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownOutcome, "{err}");
    assert_eq!(err.pending().unwrap().id, "oversized1");
}
