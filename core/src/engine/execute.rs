//! [`execute`]: one API call through retries to a 2xx answer or one typed error.
//!
//! Request ids: every attempt (retries and replays included) carries its own fresh UUIDv4
//! `X-Request-ID`, so each one can be found in the bank's logs; every attempt's id is logged,
//! and an error carries the id of the attempt that produced it.
//!
//! Signed writes (payments, refunds) are serialised once by the handler; every attempt sends
//! those same bytes with a signature over them (a fresh `urn:op.api.iat` per attempt) and the
//! same `instructionId`/`archiveId`, so a resend can only be de-duplicated by the bank, never
//! booked twice. If an attempt may have reached the bank (an interrupted exchange after
//! connecting, or a 5xx) and no later attempt gives a definitive answer, the call ends with
//! [`ErrorKind::UnknownOutcome`] carrying the [`PendingOperation`] that resolves it.
//!
//! Not every error answer to a resend is definitive: OP answers a second refund of the same
//! transaction with `400` "Already refunded" (op-api.md §6.5). After an attempt that may
//! have been booked, or on a resend of a pending operation ([`crate::request::SignedWrite`]'s
//! `resend`), such an answer ends in `UnknownOutcome` with a settle hint, never in a
//! rejection ([`crate::outcome`] holds the rule). This loop runs in the native and the
//! WebAssembly client alike.

use std::borrow::Cow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::{Answer, Attempt, Auth, BearerToken, Engine, Failure, Host, Signing, Transport};
use crate::error::{Error, ErrorKind, Result};
use crate::operation::PendingOperation;
use crate::request::{ApiRequest, ApiResponse};
use crate::retry::{
    AttemptOutcome, Decision, RETRY_COST, RequestClass, RetryBudget, RetryPolicy,
    TIMEOUT_RETRY_COST,
};

/// Where one call stands between attempts.
struct CallState<Token> {
    token: Token,
    attempt: u32,
    replayed_after_401: bool,
    /// Added to this machine's clock for a signature's `iat`: the client's learned offset.
    clock_offset: i64,
    /// This call already re-signed once after an `iat` refusal (a second one is final).
    clock_corrected: bool,
    /// Some attempt may have reached the bank without a definitive answer.
    ambiguous: bool,
    /// When the whole call must have ended ([`Engine::call_timeout`]).
    deadline: Option<SystemTime>,
}

impl<Token> CallState<Token> {
    /// What is left of the call's deadline at `now` (zero once it passed).
    fn remaining(&self, now: SystemTime) -> Option<Duration> {
        self.deadline
            .map(|deadline| deadline.duration_since(now).unwrap_or(Duration::ZERO))
    }

    /// Whether a retry after `delay` can start before the call's deadline.
    fn retry_fits(&self, delay: Duration, now: SystemTime) -> bool {
        let fits = self.remaining(now).is_none_or(|left| delay < left);
        if !fits {
            tracing::warn!(
                attempt = self.attempt,
                "the call's deadline leaves no time for another attempt; not retrying"
            );
        }
        fits
    }
}

/// What to do after one attempt.
enum Step {
    Done(Result<ApiResponse>),
    Again,
}

/// Sends `req` and returns its 2xx response, or the typed error the call ended with.
pub async fn execute<T, H, A>(engine: &Engine<'_, T, H, A>, req: &ApiRequest) -> Result<ApiResponse>
where
    T: Transport,
    H: Host,
    A: Auth,
{
    if req.signed.is_some() && matches!(engine.signing, Signing::Missing) {
        return Err(Error::config(
            "payments and refunds need a signing key and kid \
             (ClientBuilder::signing_key_file + signing_kid, or OPCORP_SIGNING_KEY + \
             OPCORP_SIGNING_KID)",
        ));
    }
    let mut state = CallState {
        token: engine.auth.token().await?,
        attempt: 1,
        replayed_after_401: false,
        clock_offset: engine.bank_clock.offset_secs(),
        clock_corrected: false,
        // A resend of a pending operation: an earlier attempt may have been booked.
        ambiguous: req.signed.as_ref().is_some_and(|s| s.resend),
        deadline: engine
            .call_timeout
            .and_then(|timeout| engine.host.now().checked_add(timeout)),
    };
    loop {
        let request_id = engine.host.uuid();
        let started = engine.host.now();
        let result = send_attempt(engine, req, &state, &request_id).await?;
        let latency_ms = engine
            .host
            .now()
            .duration_since(started)
            .map_or(0, |d| d.as_millis() as u64);
        let step = match result {
            Err(failure) => {
                tracing::debug!(
                    method = %req.method, route = req.route, %request_id, attempt = state.attempt,
                    latency_ms, error = %failure.message, "attempt failed in transport"
                );
                on_failure(engine, req, &mut state, failure, &request_id).await
            }
            Ok(answer) => {
                tracing::debug!(
                    method = %req.method, route = req.route, status = answer.status, %request_id,
                    attempt = state.attempt, latency_ms, "attempt answered"
                );
                on_answer(engine, req, &mut state, answer, request_id).await?
            }
        };
        if let Step::Done(result) = step {
            return result;
        }
    }
}

/// Builds and sends one attempt. `Err` only for a local signing failure.
async fn send_attempt<T: Transport, H: Host, A: Auth>(
    engine: &Engine<'_, T, H, A>,
    req: &ApiRequest,
    state: &CallState<A::Token>,
    request_id: &str,
) -> Result<std::result::Result<Answer, Failure>> {
    let mut headers = vec![
        (Cow::Borrowed("X-Request-ID"), request_id.to_owned()),
        (Cow::Borrowed("Accept"), "application/json".to_owned()),
    ];
    if let Some(secret) = state.token.secret() {
        headers.push((Cow::Borrowed("Authorization"), format!("Bearer {secret}")));
    }
    if req.body.is_some() {
        headers.push((Cow::Borrowed("Content-Type"), "application/json".to_owned()));
    }
    if let Some(mandate) = &req.acting_for {
        headers.push((
            Cow::Owned(engine.mandate_header.to_owned()),
            mandate.clone(),
        ));
    }
    if req.signed.is_some()
        && let Signing::Key(signer) = engine.signing
    {
        let iat = unix_secs(engine.host.now()) + state.clock_offset;
        let body = req.body.as_deref().unwrap_or_default();
        headers.push((Cow::Borrowed("X-Req-Signature"), signer.sign(body, iat)?));
    }
    let attempt = Attempt {
        method: req.method,
        url: format!("{}{}", engine.base_url, req.path_and_query()),
        headers,
        body: req.body.as_deref(),
        max_response_bytes: engine.max_response_bytes,
        timeout: state.remaining(engine.host.now()),
    };
    Ok(engine.transport.send(attempt).await)
}

/// A transport failure: retry, or end the call.
async fn on_failure<T: Transport, H: Host, A: Auth>(
    engine: &Engine<'_, T, H, A>,
    req: &ApiRequest,
    state: &mut CallState<A::Token>,
    failure: Failure,
    request_id: &str,
) -> Step {
    let err = failure_error(&failure, request_id, req.route);
    if failure.oversized {
        // An unreadable answer to a signed write may hide a booking.
        return Step::Done(Err(unresolved(req, true, err)));
    }
    if failure.kind == ErrorKind::Tls {
        // A TLS alert is final: a second connection would be refused the same way.
        return Step::Done(Err(err));
    }
    let outcome = if failure.before_send {
        AttemptOutcome::ConnectFailed
    } else {
        state.ambiguous = true;
        AttemptOutcome::Interrupted
    };
    if let Some(delay) = retry_delay(
        engine.policy,
        engine.budget,
        engine.host,
        class(req),
        outcome,
        state.attempt,
        failure.timed_out,
    ) && state.retry_fits(delay, engine.host.now())
    {
        state.attempt += 1;
        engine.host.sleep(delay).await;
        return Step::Again;
    }
    Step::Done(Err(unresolved(req, state.ambiguous, err)))
}

/// An answer of any status: success, a replay after 401 or a re-signed resend, a retry, or
/// the final error.
async fn on_answer<T: Transport, H: Host, A: Auth>(
    engine: &Engine<'_, T, H, A>,
    req: &ApiRequest,
    state: &mut CallState<A::Token>,
    answer: Answer,
    request_id: String,
) -> Result<Step> {
    let status = answer.status;
    if (200..300).contains(&status) {
        engine.budget.deposit_success();
        return Ok(Step::Done(Ok(ApiResponse {
            status,
            request_id,
            headers: answer.headers,
            body: answer.body,
        })));
    }
    if status == 401 && !state.replayed_after_401 {
        // One refresh, one replay; a second 401 is final.
        state.replayed_after_401 = true;
        if let Some(token) = engine
            .auth
            .refresh_rejected(state.token.generation())
            .await?
        {
            state.token = token;
            return Ok(Step::Again);
        }
    }
    if let Some(offset) = bank_clock_correction(engine, req, state, &answer) {
        // Once: re-sign the same bytes with the bank's clock; a second rejection is final
        // (ClockSkew).
        tracing::warn!(
            offset_secs = offset, route = req.route, %request_id,
            "bank rejected the signature time; re-signing with the bank's clock"
        );
        state.clock_offset = offset;
        state.clock_corrected = true;
        engine.bank_clock.learn(offset);
        return Ok(Step::Again);
    }
    if status >= 500 {
        state.ambiguous = true;
    }
    let retry_after = answer.headers.get("retry-after");
    let outcome = AttemptOutcome::Response {
        status,
        retry_after,
    };
    if let Some(delay) = retry_delay(
        engine.policy,
        engine.budget,
        engine.host,
        class(req),
        outcome,
        state.attempt,
        false,
    ) && state.retry_fits(delay, engine.host.now())
    {
        tracing::warn!(
            route = req.route, status, %request_id, attempt = state.attempt,
            delay_ms = delay.as_millis() as u64, "retrying"
        );
        state.attempt += 1;
        engine.host.sleep(delay).await;
        return Ok(Step::Again);
    }
    let delay = retry_after.and_then(|v| crate::retry::parse_retry_after(v, engine.host.now()));
    let err = crate::response::status_error(status, delay, &answer.body, &request_id);
    let unknown = req.signed.as_ref().is_some_and(|s| {
        crate::outcome::answer_leaves_unknown(s.kind, status, &answer.body, state.ambiguous)
    });
    Ok(Step::Done(Err(unresolved(req, unknown, err))))
}

/// The bank's clock offset when it refused a signed write's `iat` for the first time in
/// this call and sent a usable `Date` header (the client remembers it: [`BankClock`](super::BankClock)).
fn bank_clock_correction<T, H: Host, A: Auth>(
    engine: &Engine<'_, T, H, A>,
    req: &ApiRequest,
    state: &CallState<A::Token>,
    answer: &Answer,
) -> Option<i64> {
    if req.signed.is_none() || state.clock_corrected {
        return None;
    }
    let (code, _) = crate::response::error_fields(&answer.body);
    if code.as_deref() != Some("signature_iat_out_of_window") {
        return None;
    }
    let server = crate::retry::parse_http_date(answer.headers.get("date")?)?;
    Some(server.unix_timestamp() - unix_secs(engine.host.now()))
}

/// The retry class of a request.
fn class(req: &ApiRequest) -> RequestClass {
    if req.signed.is_some() {
        RequestClass::SignedWrite
    } else {
        RequestClass::Read
    }
}

/// Asks the retry policy about a failed attempt and, if it says retry, withdraws from the
/// retry budget. `None` means stop (policy said so, or the budget is empty).
pub(crate) fn retry_delay(
    policy: &RetryPolicy,
    budget: &RetryBudget,
    host: &impl Host,
    class: RequestClass,
    outcome: AttemptOutcome<'_>,
    attempt: u32,
    timed_out: bool,
) -> Option<Duration> {
    match policy.decide(class, outcome, attempt, host.now(), host.random()) {
        Decision::Stop => None,
        Decision::Retry { delay } => {
            let cost = if timed_out {
                TIMEOUT_RETRY_COST
            } else {
                RETRY_COST
            };
            if budget.try_withdraw(cost) {
                Some(delay)
            } else {
                tracing::warn!(attempt, "retry budget exhausted; not retrying");
                None
            }
        }
    }
}

/// The final error for a transport failure.
fn failure_error(failure: &Failure, request_id: &str, route: &str) -> Error {
    let what = match failure.kind {
        ErrorKind::Decode if failure.oversized => "response too large",
        ErrorKind::Decode => "response body truncated",
        ErrorKind::Timeout => "request timed out",
        ErrorKind::Tls => "TLS failure",
        _ => "request failed",
    };
    let mut err = Error::new(
        failure.kind,
        format!("{route}: {what}: {}", failure.message),
    )
    .with_request_id(request_id);
    if let Some(status) = failure.status {
        err = err.with_status(status);
    }
    err
}

/// The final error of a call: for a signed write whose outcome may have been booked,
/// `UnknownOutcome` with the pending operation; otherwise `err` unchanged.
fn unresolved(req: &ApiRequest, ambiguous: bool, err: Error) -> Error {
    let Some(signed) = req.signed.as_ref().filter(|_| ambiguous) else {
        return err;
    };
    let mut unknown = Error::new(
        ErrorKind::UnknownOutcome,
        format!(
            "the outcome of {:?} {} is unknown ({}); {}",
            signed.kind,
            signed.id,
            err.message(),
            crate::outcome::settle_hint(signed.kind)
        ),
    )
    .with_pending(PendingOperation {
        kind: signed.kind,
        id: signed.id.clone(),
        body: req.body.clone().unwrap_or_default(),
    });
    if let Some(id) = err.request_id() {
        unknown = unknown.with_request_id(id);
    }
    if let Some(status) = err.status() {
        unknown = unknown.with_status(status);
    }
    unknown
}

/// Seconds since the Unix epoch.
fn unix_secs(now: SystemTime) -> i64 {
    now.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}
