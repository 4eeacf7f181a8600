//! Applies a fault plan around the processing of one request.

use hyper::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER};

use super::reply::{Outcome, default_code, error, error_body, json, oversized, slow, truncated};
use crate::faults::{FaultKind, Plan};

/// Waits the plan's delay, then either answers for a fault without processing, or calls
/// `process` (which may book something) and shapes its `(status, body)` as the fault says.
pub(crate) async fn run_with_faults(
    plan: Plan,
    process: impl FnOnce() -> (u16, Vec<u8>),
) -> Outcome {
    if !plan.delay.is_zero() {
        tokio::time::sleep(plan.delay).await;
    }
    let action = match plan.action {
        Some(FaultKind::Status {
            status,
            retry_after,
            body,
            content_type,
        }) => return Outcome::Reply(status_reply(status, retry_after, body, content_type)),
        Some(FaultKind::ResetBeforeCommit) => return Outcome::Abort,
        action => action,
    };
    let (status, body) = process();
    Outcome::Reply(match action {
        Some(FaultKind::StatusAfterCommit { status }) => error(
            status,
            &default_code(status),
            "injected fault: the request was processed but this answer replaces the result",
        ),
        Some(FaultKind::ResetAfterCommit) => return Outcome::Abort,
        Some(FaultKind::TruncatedBody) => truncated(status, body),
        Some(FaultKind::OversizedBody { bytes }) => oversized(bytes),
        Some(FaultKind::SlowBody {
            bytes_per_second,
            pad_to,
        }) => slow(status, body, bytes_per_second, pad_to.unwrap_or(0)),
        _ => json(status, body),
    })
}

fn status_reply(
    status: u16,
    retry_after: Option<String>,
    body: Option<String>,
    content_type: Option<String>,
) -> hyper::Response<super::reply::Body> {
    let body = body
        .map(String::into_bytes)
        .unwrap_or_else(|| error_body(status, &default_code(status), "injected fault"));
    let mut response = json(status, body);
    let headers = response.headers_mut();
    if let Some(value) = content_type.and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert(CONTENT_TYPE, value);
    }
    if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(&v).ok()) {
        headers.insert(RETRY_AFTER, value);
    }
    response
}
