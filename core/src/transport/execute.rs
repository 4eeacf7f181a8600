//! [`Client::execute`]: sending one API call with authentication, signing, retries and error
//! mapping.
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

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use tokio::time::Instant;

use super::failure::{self, TransportFailure};
use super::{ApiRequest, ApiResponse, BodyError, read_capped};
use crate::auth::token::AccessToken;
use crate::client::{Client, Inner};
use crate::error::{Error, ErrorKind, PendingOperation, Result};
use crate::outcome;
use crate::retry::{AttemptOutcome, Decision, RETRY_COST, RequestClass, TIMEOUT_RETRY_COST};

/// What one attempt produced.
enum Attempt {
    /// The bank answered (any status) and the body was read in full.
    Answered {
        status: u16,
        headers: reqwest::header::HeaderMap,
        body: Bytes,
    },
    /// The exchange failed in transport.
    Failed(TransportFailure, reqwest::Error),
}

impl Inner {
    /// Asks the retry policy about a failed attempt and, if it says retry, withdraws from the
    /// retry budget. `None` means stop (policy said so, or the budget is empty).
    pub(crate) fn retry_delay(
        &self,
        class: RequestClass,
        outcome: AttemptOutcome<'_>,
        attempt: u32,
        timed_out: bool,
    ) -> Option<Duration> {
        let jitter: f64 = rand::random();
        match self
            .retry_policy
            .decide(class, outcome, attempt, SystemTime::now(), jitter)
        {
            Decision::Stop => None,
            Decision::Retry { delay } => {
                let cost = if timed_out {
                    TIMEOUT_RETRY_COST
                } else {
                    RETRY_COST
                };
                if self.retry_budget.try_withdraw(cost) {
                    Some(delay)
                } else {
                    tracing::warn!(attempt, "retry budget exhausted; not retrying");
                    None
                }
            }
        }
    }
}

impl Client {
    /// Sends `req` and returns its 2xx response, or the typed error the call ended with.
    pub(crate) async fn execute(&self, req: ApiRequest) -> Result<ApiResponse> {
        let inner = &*self.inner;
        let class = if req.signed.is_some() {
            RequestClass::SignedWrite
        } else {
            RequestClass::Read
        };
        if req.signed.is_some() && inner.signing.is_none() {
            return Err(Error::config(
                "payments and refunds need a signing key and kid \
                 (ClientBuilder::signing_key_file + signing_kid, or OPCORP_SIGNING_KEY + \
                 OPCORP_SIGNING_KID)",
            ));
        }
        let body = req.body.clone().map(Bytes::from);
        let mut token = self.token().await?;
        let mut attempt = 1u32;
        let mut replayed_after_401 = false;
        let mut clock_offset: Option<i64> = None;
        // A resend of a pending operation: an earlier attempt may have been booked.
        let mut ambiguous = req.signed.as_ref().is_some_and(|s| s.resend);
        loop {
            let request_id = uuid::Uuid::new_v4().to_string();
            let started = Instant::now();
            let result = match self
                .attempt(&req, body.as_ref(), &token, &request_id, clock_offset)
                .await
            {
                Ok(result) => result,
                // An unreadable (oversized) answer to a signed write may hide a booking.
                Err(err) if err.kind() == ErrorKind::Decode => {
                    return Err(self.unresolved(&req, true, err));
                }
                Err(err) => return Err(err),
            };
            let latency_ms = started.elapsed().as_millis() as u64;
            match result {
                Attempt::Failed(f, e) => {
                    tracing::debug!(
                        method = %req.method, route = req.route, %request_id, attempt, latency_ms,
                        error = %failure::describe(&e), "attempt failed in transport"
                    );
                    if f.kind == ErrorKind::Tls {
                        return Err(transport_error(f, &e, &request_id, req.route));
                    }
                    let outcome = if f.before_send {
                        AttemptOutcome::ConnectFailed
                    } else {
                        ambiguous = true;
                        AttemptOutcome::Interrupted
                    };
                    if let Some(delay) = inner.retry_delay(class, outcome, attempt, f.timed_out) {
                        attempt += 1;
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                    let err = transport_error(f, &e, &request_id, req.route);
                    return Err(self.unresolved(&req, ambiguous, err));
                }
                Attempt::Answered {
                    status,
                    headers,
                    body: resp_body,
                } => {
                    tracing::debug!(
                        method = %req.method, route = req.route, status, %request_id, attempt,
                        latency_ms, "attempt answered"
                    );
                    if (200..300).contains(&status) {
                        inner.retry_budget.deposit_success();
                        return Ok(ApiResponse {
                            status,
                            request_id,
                            headers,
                            body: resp_body,
                        });
                    }
                    if status == 401 && !replayed_after_401 {
                        // One refresh, one replay; a second 401 is final.
                        replayed_after_401 = true;
                        token = self.refresh_rejected_token(token.generation()).await?;
                        continue;
                    }
                    let (code, _) = failure::error_fields(&resp_body);
                    if req.signed.is_some()
                        && code.as_deref() == Some("signature_iat_out_of_window")
                        && clock_offset.is_none()
                        && let Some(offset) = server_clock_offset(&headers)
                    {
                        // Once: re-sign the same bytes with the bank's clock; a second
                        // rejection is final (ClockSkew).
                        tracing::warn!(
                            offset_secs = offset, route = req.route, %request_id,
                            "bank rejected the signature time; re-signing with the bank's clock"
                        );
                        clock_offset = Some(offset);
                        continue;
                    }
                    if status >= 500 {
                        ambiguous = true;
                    }
                    let retry_after = headers
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok());
                    let outcome = AttemptOutcome::Response {
                        status,
                        retry_after,
                    };
                    if let Some(delay) = inner.retry_delay(class, outcome, attempt, false) {
                        tracing::warn!(
                            route = req.route, status, %request_id, attempt,
                            delay_ms = delay.as_millis() as u64, "retrying"
                        );
                        attempt += 1;
                        tokio::time::sleep(delay).await;
                        continue;
                    }
                    let err = failure::status_error(status, retry_after, &resp_body, &request_id);
                    let unknown = req.signed.as_ref().is_some_and(|s| {
                        outcome::answer_leaves_unknown(s.kind, status, &resp_body, ambiguous)
                    });
                    return Err(self.unresolved(&req, unknown, err));
                }
            }
        }
    }

    /// Sends one attempt and reads its body. `Err` only for local failures (signing) and for a
    /// body over the size cap.
    async fn attempt(
        &self,
        req: &ApiRequest,
        body: Option<&Bytes>,
        token: &AccessToken,
        request_id: &str,
        clock_offset: Option<i64>,
    ) -> Result<Attempt> {
        let inner = &*self.inner;
        let url = format!("{}{}", inner.base_url, req.path);
        let mut builder = inner
            .http
            .request(req.method.clone(), url)
            .header("X-Request-ID", request_id)
            .header(reqwest::header::ACCEPT, "application/json")
            .bearer_auth(token.secret());
        if !req.query.is_empty() {
            builder = builder.query(&req.query);
        }
        if let Some(body) = body {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body.clone());
        }
        if req.signed.is_some() {
            // `execute` refuses signed writes without a key before anything is sent.
            let signing = inner
                .signing
                .as_ref()
                .ok_or_else(|| Error::config("no signing key configured"))?;
            let iat = unix_now() + clock_offset.unwrap_or(0);
            let bytes = body.map_or(&[][..], |b| &b[..]);
            let signature = crate::signing::sign_detached(bytes, &signing.key, &signing.kid, iat)?;
            builder = builder.header("X-Req-Signature", signature);
        }
        let mut resp = match builder.send().await {
            Ok(resp) => resp,
            Err(e) => return Ok(Attempt::Failed(failure::classify(&e), e)),
        };
        let status = resp.status().as_u16();
        let headers = std::mem::take(resp.headers_mut());
        match read_capped(&mut resp, inner.max_response_bytes).await {
            Ok(body) => Ok(Attempt::Answered {
                status,
                headers,
                body,
            }),
            Err(BodyError::TooLarge) => Err(Error::decode(format!(
                "response exceeds the {} byte size cap",
                inner.max_response_bytes
            ))
            .with_status(status)
            .with_request_id(request_id)),
            Err(BodyError::Interrupted(e)) => {
                let mut f = failure::classify(&e);
                f.before_send = false;
                if f.kind == ErrorKind::Network {
                    // The bank answered but the body broke off: a truncated response.
                    f.kind = ErrorKind::Decode;
                }
                Ok(Attempt::Failed(f, e))
            }
        }
    }

    /// The final error of a call: for a signed write whose outcome may have been booked,
    /// `UnknownOutcome` with the pending operation; otherwise `err` unchanged.
    fn unresolved(&self, req: &ApiRequest, ambiguous: bool, err: Error) -> Error {
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
                outcome::settle_hint(signed.kind)
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
}

/// The final error for a transport failure.
fn transport_error(
    f: TransportFailure,
    e: &reqwest::Error,
    request_id: &str,
    route: &str,
) -> Error {
    let what = match f.kind {
        ErrorKind::Decode => "response body truncated",
        ErrorKind::Timeout => "request timed out",
        ErrorKind::Tls => "TLS failure",
        _ => "request failed",
    };
    let mut err = Error::new(f.kind, format!("{route}: {what}: {}", failure::describe(e)))
        .with_request_id(request_id);
    if let Some(status) = e.status() {
        err = err.with_status(status.as_u16());
    }
    err
}

/// Seconds since the Unix epoch on the local clock.
fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// How far the bank's clock (its `Date` header) is ahead of ours, in seconds.
fn server_clock_offset(headers: &reqwest::header::HeaderMap) -> Option<i64> {
    let date = headers.get(reqwest::header::DATE)?.to_str().ok()?;
    let server = httpdate::parse_http_date(date).ok()?;
    let server_secs = i64::try_from(server.duration_since(UNIX_EPOCH).ok()?.as_secs()).ok()?;
    Some(server_secs - unix_now())
}
