//! The engine against a scripted transport: the retry, 401, TLS, size-cap and
//! `UNKNOWN_OUTCOME` rules without any network, exactly as every host gets them.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use super::*;
use crate::error::{ErrorKind, Result};
use crate::operation::{OperationKind, PendingOperation};
use crate::paths::ApiPaths;
use crate::request::{ApiRequest, Headers};

/// The headers of one attempt.
type SentHeaders = Vec<(Cow<'static, str>, String)>;

/// Answers attempts from a script and records what was sent.
struct Scripted {
    script: Mutex<VecDeque<std::result::Result<Answer, Failure>>>,
    sent: Mutex<Vec<SentHeaders>>,
    timeouts: Mutex<Vec<Option<Duration>>>,
}

impl Scripted {
    fn new(script: Vec<std::result::Result<Answer, Failure>>) -> Self {
        Scripted {
            script: Mutex::new(script.into()),
            sent: Mutex::new(Vec::new()),
            timeouts: Mutex::new(Vec::new()),
        }
    }
    fn attempts(&self) -> usize {
        self.sent.lock().unwrap().len()
    }
}

impl Transport for Scripted {
    async fn send(&self, attempt: Attempt<'_>) -> std::result::Result<Answer, Failure> {
        self.timeouts.lock().unwrap().push(attempt.timeout);
        self.sent.lock().unwrap().push(attempt.headers);
        self.script
            .lock()
            .unwrap()
            .pop_front()
            .expect("the script ran out")
    }
}

/// No waiting, no randomness.
struct TestHost;

impl Host for TestHost {
    fn now(&self) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000)
    }
    fn random(&self) -> f64 {
        0.0
    }
    fn uuid(&self) -> String {
        "00000000-0000-4000-8000-000000000000".into()
    }
    async fn sleep(&self, _delay: Duration) {}
}

fn answer(status: u16, body: &str) -> std::result::Result<Answer, Failure> {
    let mut headers = Headers::new();
    headers.push("Content-Type", "application/json");
    Ok(Answer {
        status,
        headers,
        body: body.as_bytes().to_vec(),
    })
}

async fn run(
    script: Vec<std::result::Result<Answer, Failure>>,
    req: &ApiRequest,
) -> (Result<crate::request::ApiResponse>, usize) {
    let transport = Scripted::new(script);
    let policy = crate::retry::RetryPolicy::default();
    let budget = crate::retry::RetryBudget::default();
    let engine = Engine {
        transport: &transport,
        host: &TestHost,
        auth: &NoAuth,
        signing: Signing::Delegated,
        base_url: "https://bank.test",
        policy: &policy,
        budget: &budget,
        bank_clock: &BankClock::default(),
        max_response_bytes: 1024,
        mandate_header: "x-mandate-id",
        call_timeout: None,
    };
    let result = execute(&engine, req).await;
    (result, transport.attempts())
}

fn payment() -> ApiRequest {
    crate::routes::signed_write(
        &ApiPaths::default(),
        &PendingOperation {
            kind: OperationKind::SepaPayment,
            id: "abc123".into(),
            body: br#"{"instructionId":"abc123"}"#.to_vec(),
        },
        false,
    )
}

#[tokio::test]
async fn reads_retry_5xx_then_succeed() {
    let req = crate::routes::accounts(&ApiPaths::default());
    let (result, attempts) = run(vec![answer(503, "{}"), answer(200, "[]")], &req).await;
    assert_eq!(result.unwrap().status, 200);
    assert_eq!(attempts, 2);
}

#[tokio::test]
async fn tls_failures_are_final() {
    let req = crate::routes::accounts(&ApiPaths::default());
    let (result, attempts) = run(
        vec![Err(Failure::new(ErrorKind::Tls, "bad certificate"))],
        &req,
    )
    .await;
    assert_eq!(result.unwrap_err().kind(), ErrorKind::Tls);
    assert_eq!(attempts, 1);
}

#[tokio::test]
async fn without_a_token_source_a_401_is_final() {
    let req = crate::routes::accounts(&ApiPaths::default());
    let (result, attempts) = run(vec![answer(401, "{}")], &req).await;
    assert_eq!(result.unwrap_err().kind(), ErrorKind::Auth);
    assert_eq!(attempts, 1);
}

#[tokio::test]
async fn a_lost_answer_to_a_payment_is_unknown_with_its_pending_operation() {
    let lost = || Err(Failure::new(ErrorKind::Network, "connection reset"));
    let (result, attempts) = run(vec![lost(), lost(), lost()], &payment()).await;
    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownOutcome);
    assert_eq!(err.pending().unwrap().id, "abc123");
    assert_eq!(attempts, 3);
}

#[tokio::test]
async fn an_oversized_answer_to_a_payment_is_unknown_and_a_definitive_4xx_is_not() {
    let (result, _) = run(vec![Err(Failure::oversized(200, 1024))], &payment()).await;
    assert_eq!(result.unwrap_err().kind(), ErrorKind::UnknownOutcome);
    let (result, attempts) = run(
        vec![
            answer(503, "{}"),
            answer(400, r#"{"error":"invalid_request"}"#),
        ],
        &payment(),
    )
    .await;
    assert_eq!(result.unwrap_err().kind(), ErrorKind::Rejected);
    assert_eq!(attempts, 2);
}

#[tokio::test]
async fn signed_writes_without_a_key_are_a_config_error_before_sending() {
    let transport = Scripted::new(vec![]);
    let policy = crate::retry::RetryPolicy::default();
    let budget = crate::retry::RetryBudget::default();
    let engine = Engine {
        transport: &transport,
        host: &TestHost,
        auth: &NoAuth,
        signing: Signing::Missing,
        base_url: "https://bank.test",
        policy: &policy,
        budget: &budget,
        bank_clock: &BankClock::default(),
        max_response_bytes: 1024,
        mandate_header: "x-mandate-id",
        call_timeout: None,
    };
    let err = execute(&engine, &payment()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert_eq!(transport.attempts(), 0);
}

fn refund(resend: bool) -> ApiRequest {
    crate::routes::signed_write(
        &ApiPaths::default(),
        &PendingOperation {
            kind: OperationKind::Refund,
            id: "20240601512345678901".into(),
            body: br#"{"archiveId":"20240601512345678901"}"#.to_vec(),
        },
        resend,
    )
}

const ALREADY_REFUNDED: &str = r#"{"error":"already_refunded","message":"Already refunded"}"#;

#[tokio::test]
async fn already_refunded_after_a_lost_answer_is_unknown_never_rejected() {
    let lost = Err(Failure::new(ErrorKind::Network, "connection reset"));
    let (result, attempts) = run(vec![lost, answer(400, ALREADY_REFUNDED)], &refund(false)).await;
    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownOutcome, "{err}");
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.pending().unwrap().kind, OperationKind::Refund);
    assert!(err.message().contains("outgoing transactions"), "{err}");
    assert_eq!(attempts, 2);
}

#[tokio::test]
async fn already_refunded_to_a_resend_is_unknown_and_to_a_first_send_rejected() {
    let (result, _) = run(vec![answer(400, ALREADY_REFUNDED)], &refund(true)).await;
    assert_eq!(result.unwrap_err().kind(), ErrorKind::UnknownOutcome);
    let (result, _) = run(vec![answer(400, ALREADY_REFUNDED)], &refund(false)).await;
    assert_eq!(result.unwrap_err().kind(), ErrorKind::Rejected);
    let refused = r#"{"error":"not_found","message":"Transaction not found"}"#;
    let (result, _) = run(vec![answer(404, refused)], &refund(true)).await;
    assert_eq!(result.unwrap_err().kind(), ErrorKind::NotFound);
}

#[tokio::test]
async fn a_call_acting_for_a_mandate_carries_the_configured_header() {
    let transport = Scripted::new(vec![answer(200, "[]"), answer(200, "[]")]);
    let policy = crate::retry::RetryPolicy::default();
    let budget = crate::retry::RetryBudget::default();
    let engine = Engine {
        transport: &transport,
        host: &TestHost,
        auth: &NoAuth,
        signing: Signing::Delegated,
        base_url: "https://bank.test",
        policy: &policy,
        budget: &budget,
        bank_clock: &BankClock::default(),
        max_response_bytes: 1024,
        mandate_header: "x-acting-mandate",
        call_timeout: None,
    };
    let mut req = crate::routes::accounts(&ApiPaths::default());
    execute(&engine, &req).await.unwrap();
    req.acting_for = Some("m-1".into());
    execute(&engine, &req).await.unwrap();
    let sent = transport.sent.lock().unwrap();
    let mandate = |headers: &SentHeaders| {
        headers
            .iter()
            .find(|(name, _)| name == "x-acting-mandate")
            .map(|(_, value)| value.clone())
    };
    assert_eq!(mandate(&sent[0]), None, "the caller's own data: no header");
    assert_eq!(mandate(&sent[1]).as_deref(), Some("m-1"));
}

/// A clock that only moves when the engine sleeps, and the largest jitter.
struct SleepingClock(Mutex<SystemTime>);

impl Host for SleepingClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
    fn random(&self) -> f64 {
        0.99
    }
    fn uuid(&self) -> String {
        "00000000-0000-4000-8000-000000000000".into()
    }
    async fn sleep(&self, delay: Duration) {
        *self.0.lock().unwrap() += delay;
    }
}

#[tokio::test]
async fn a_call_deadline_stops_retries_that_cannot_finish_and_bounds_each_attempt() {
    let transport = Scripted::new((0..5).map(|_| answer(503, "{}")).collect());
    let host = SleepingClock(Mutex::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1)));
    let policy = crate::retry::RetryPolicy {
        max_attempts: 5,
        base_delay: Duration::from_secs(1),
        max_delay: Duration::from_secs(10),
        max_retry_after: Duration::from_secs(60),
    };
    let budget = crate::retry::RetryBudget::default();
    let engine = Engine {
        transport: &transport,
        host: &host,
        auth: &NoAuth,
        signing: Signing::Delegated,
        base_url: "https://bank.test",
        policy: &policy,
        budget: &budget,
        bank_clock: &BankClock::default(),
        max_response_bytes: 1024,
        mandate_header: "x-mandate-id",
        call_timeout: Some(Duration::from_millis(2_500)),
    };
    // Attempt 1 at 0 s; backoff 0.99 s fits in 2.5 s; attempt 2 at 0.99 s has 1.51 s
    // left, and the next backoff (1.98 s) does not fit: the call ends there.
    let err = execute(&engine, &crate::routes::accounts(&ApiPaths::default()))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Server, "{err}");
    assert_eq!(transport.attempts(), 2);
    let timeouts = transport.timeouts.lock().unwrap().clone();
    assert_eq!(
        timeouts,
        [
            Some(Duration::from_millis(2_500)),
            Some(Duration::from_millis(1_510))
        ]
    );

    // A payment cut the same way may have been booked: unknown, with its pending operation.
    let transport = Scripted::new((0..5).map(|_| answer(503, "{}")).collect());
    let engine = Engine {
        transport: &transport,
        ..engine
    };
    let err = execute(&engine, &payment()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnknownOutcome, "{err}");
    assert!(err.pending().is_some());
    assert_eq!(transport.attempts(), 2);
}
