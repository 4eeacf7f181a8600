//! The retry policy: a pure function from (request class, outcome, attempt, clock, jitter) to
//! "retry after this delay" or "stop", plus a per-client retry budget.
//!
//! Pure on purpose: the caller supplies the wall clock and the jitter, so the policy is
//! table-tested without sleeping and runs unchanged in WASM.
//!
//! - Backoff is "full jitter": `delay = jitter × min(max_delay, base × 2^(attempt−1))`.
//! - A `Retry-After` header on 429 or 503 (delta-seconds or HTTP-date) replaces the backoff.
//!   When it asks for longer than [`RetryPolicy::max_retry_after`] the policy **stops**:
//!   retrying sooner than the server asked would only draw another 429 and burn the budget,
//!   while stopping hands the caller a `RateLimited`/`Server` error that carries the delay so
//!   it can reschedule the work itself.
//! - Reads and token requests retry connect failures, interrupted requests, 408, 429, 500,
//!   502, 503 and 504. Signed writes (payments, refunds) retry the **same bytes** on connect
//!   failures, interruptions, 429 and 5xx: OP de-duplicates on `instructionId`, so an
//!   identical resend cannot pay twice. A 408 on a write stops and is resolved by a status
//!   lookup instead.
//! - The [`RetryBudget`] (AWS SDK "standard" mode) bounds retries across all requests of one
//!   client so an outage cannot turn into a retry storm.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, SystemTime};

use time::OffsetDateTime;

/// What kind of request failed; decides which failures are worth repeating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestClass {
    /// A GET (account data, transactions, status lookups).
    Read,
    /// A signed payment or refund POST, resent only byte-identical.
    SignedWrite,
    /// The OAuth2 token request.
    Token,
}

/// How one attempt ended.
#[derive(Clone, Copy, Debug)]
pub enum AttemptOutcome<'a> {
    /// The server answered with `status`; `retry_after` is its `Retry-After` header as received.
    Response {
        /// The HTTP status code.
        status: u16,
        /// The raw `Retry-After` header value, if any.
        retry_after: Option<&'a str>,
    },
    /// Nothing reached the server (connection refused, DNS failure, TLS handshake not done).
    ConnectFailed,
    /// The request may have reached the server (reset or timeout after sending).
    Interrupted,
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Decision {
    /// Try again after `delay`.
    Retry {
        /// How long to wait first.
        delay: Duration,
    },
    /// Give up and report the failure.
    Stop,
}

/// Attempt limits and delays. `Default` gives 3 attempts, 500 ms base, 20 s cap and a 60 s
/// cap on `Retry-After`.
#[derive(Clone, Debug)]
pub struct RetryPolicy {
    /// Total attempts including the first; 1 disables retries.
    pub max_attempts: u32,
    /// Backoff before the first retry (before jitter).
    pub base_delay: Duration,
    /// Cap on the exponential backoff.
    pub max_delay: Duration,
    /// Longest `Retry-After` the client is willing to wait; longer requests stop.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Decides whether to retry after attempt number `attempt` (1-based) failed with
    /// `outcome`. `now` is the wall clock (for HTTP-date `Retry-After`), `jitter` a uniform
    /// random number in `[0, 1)` (values outside are clamped; NaN counts as 0).
    pub fn decide(
        &self,
        class: RequestClass,
        outcome: AttemptOutcome<'_>,
        attempt: u32,
        now: SystemTime,
        jitter: f64,
    ) -> Decision {
        if attempt.max(1) >= self.max_attempts {
            return Decision::Stop;
        }
        let retry_after = match outcome {
            AttemptOutcome::ConnectFailed | AttemptOutcome::Interrupted => None,
            AttemptOutcome::Response {
                status,
                retry_after,
            } => {
                if !is_retryable_status(class, status) {
                    return Decision::Stop;
                }
                if matches!(status, 429 | 503) {
                    retry_after.and_then(|value| parse_retry_after(value, now))
                } else {
                    None
                }
            }
        };
        match retry_after {
            Some(wait) if wait > self.max_retry_after => Decision::Stop,
            Some(wait) => Decision::Retry { delay: wait },
            None => Decision::Retry {
                delay: self.backoff(attempt, jitter),
            },
        }
    }

    /// The full-jitter backoff after attempt `attempt` (1-based).
    pub fn backoff(&self, attempt: u32, jitter: f64) -> Duration {
        let exponent = attempt.max(1) - 1;
        let ceiling = 2u32
            .checked_pow(exponent)
            .and_then(|factor| self.base_delay.checked_mul(factor))
            .map_or(self.max_delay, |d| d.min(self.max_delay));
        let jitter = if jitter.is_nan() {
            0.0
        } else {
            jitter.clamp(0.0, 1.0)
        };
        ceiling.mul_f64(jitter)
    }
}

/// Whether a response status is worth repeating for this class of request.
fn is_retryable_status(class: RequestClass, status: u16) -> bool {
    match class {
        RequestClass::Read | RequestClass::Token => {
            matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
        }
        RequestClass::SignedWrite => matches!(status, 429 | 500 | 502 | 503 | 504),
    }
}

/// Parses a `Retry-After` value: delta-seconds (`"120"`) or an HTTP-date, which becomes the
/// time left until then (zero when it is already past). Unparseable values give `None`, so the
/// caller falls back to its own backoff.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Absurdly long digit strings saturate; the cap turns them into Stop.
        return Some(Duration::from_secs(
            value.parse::<u64>().unwrap_or(u64::MAX),
        ));
    }
    let at = parse_http_date(value)?;
    let now = OffsetDateTime::from(now);
    let left = at - now;
    Some(Duration::try_from(left).unwrap_or(Duration::ZERO))
}

/// Parses an HTTP-date (IMF-fixdate or the obsolete asctime form), as in `Retry-After` and
/// `Date` headers; see [`crate::dates::parse_http_date`].
pub fn parse_http_date(value: &str) -> Option<OffsetDateTime> {
    crate::dates::parse_http_date(value)
}

/// Cost of a retry after an ordinary failure (AWS standard mode).
pub const RETRY_COST: u32 = 5;
/// Cost of a retry after a timeout or interrupted request.
pub const TIMEOUT_RETRY_COST: u32 = 10;
/// Default budget capacity.
const DEFAULT_CAPACITY: u32 = 500;

/// A per-client retry token bucket (AWS SDK standard mode): every retry withdraws tokens,
/// every success puts one back. When the bucket is empty, failures are reported instead of
/// retried, so a sustained outage costs at most `capacity / RETRY_COST` extra requests plus
/// one per success. Thread-safe; share it behind an `Arc`.
#[derive(Debug)]
pub struct RetryBudget {
    capacity: u32,
    tokens: AtomicU32,
}

impl RetryBudget {
    /// A full bucket holding `capacity` tokens.
    pub fn new(capacity: u32) -> Self {
        RetryBudget {
            capacity,
            tokens: AtomicU32::new(capacity),
        }
    }

    /// Takes `cost` tokens for one retry; `false` (and nothing taken) when too few are left.
    pub fn try_withdraw(&self, cost: u32) -> bool {
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| {
                tokens.checked_sub(cost)
            })
            .is_ok()
    }

    /// Returns one token after a successful request, up to the capacity.
    pub fn deposit_success(&self) {
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |tokens| {
                (tokens < self.capacity).then_some(tokens + 1)
            });
    }

    /// Tokens currently available.
    pub fn available(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
}

impl Default for RetryBudget {
    fn default() -> Self {
        RetryBudget::new(DEFAULT_CAPACITY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RequestClass::{Read, SignedWrite, Token};

    const NOW_SECS: u64 = 784_111_777; // Sun, 06 Nov 1994 08:49:37 GMT

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(NOW_SECS)
    }

    fn status(status: u16) -> AttemptOutcome<'static> {
        AttemptOutcome::Response {
            status,
            retry_after: None,
        }
    }

    fn retries(class: RequestClass, outcome: AttemptOutcome<'_>) -> bool {
        let decision = RetryPolicy::default().decide(class, outcome, 1, now(), 0.5);
        matches!(decision, Decision::Retry { .. })
    }

    #[test]
    fn status_by_class_table() {
        // (status, Read, SignedWrite, Token)
        let table: &[(u16, bool, bool, bool)] = &[
            (200, false, false, false),
            (400, false, false, false),
            (401, false, false, false),
            (403, false, false, false),
            (404, false, false, false),
            (408, true, false, true),
            (409, false, false, false),
            (422, false, false, false),
            (429, true, true, true),
            (500, true, true, true),
            (501, false, false, false),
            (502, true, true, true),
            (503, true, true, true),
            (504, true, true, true),
            (505, false, false, false),
        ];
        for &(code, read, write, token) in table {
            assert_eq!(retries(Read, status(code)), read, "Read {code}");
            assert_eq!(
                retries(SignedWrite, status(code)),
                write,
                "SignedWrite {code}"
            );
            assert_eq!(retries(Token, status(code)), token, "Token {code}");
        }
        for class in [Read, SignedWrite, Token] {
            assert!(retries(class, AttemptOutcome::ConnectFailed), "{class:?}");
            assert!(retries(class, AttemptOutcome::Interrupted), "{class:?}");
        }
    }

    #[test]
    fn attempts_are_bounded() {
        let policy = RetryPolicy::default();
        let decide = |attempt| policy.decide(Read, status(503), attempt, now(), 0.0);
        assert_eq!(
            decide(1),
            Decision::Retry {
                delay: Duration::ZERO
            }
        );
        assert_eq!(
            decide(2),
            Decision::Retry {
                delay: Duration::ZERO
            }
        );
        assert_eq!(decide(3), Decision::Stop);
        assert_eq!(decide(u32::MAX), Decision::Stop);
        let single = RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        };
        assert_eq!(
            single.decide(Read, status(503), 1, now(), 0.5),
            Decision::Stop
        );
    }

    #[test]
    fn full_jitter_backoff_doubles_up_to_the_cap() {
        let policy = RetryPolicy {
            max_attempts: 100,
            ..RetryPolicy::default()
        };
        let ms = |attempt, jitter| policy.backoff(attempt, jitter).as_millis();
        assert_eq!(ms(1, 0.999_999), 499);
        assert_eq!(ms(1, 0.5), 250);
        assert_eq!(ms(2, 0.5), 500);
        assert_eq!(ms(3, 0.5), 1000);
        assert_eq!(ms(6, 0.5), 8000);
        assert_eq!(ms(7, 0.5), 10_000, "16 s ceiling is below the 20 s cap");
        assert_eq!(ms(8, 0.5), 10_000, "capped at 20 s");
        assert_eq!(ms(40, 0.5), 10_000, "no overflow on huge attempts");
        assert_eq!(ms(3, 0.0), 0);
        assert_eq!(ms(3, f64::NAN), 0);
        assert_eq!(ms(3, 7.0), 2000, "jitter clamped to 1");
        assert_eq!(ms(0, 0.5), 250, "attempt 0 treated as the first");
    }

    #[test]
    fn retry_after_seconds_replaces_backoff() {
        let policy = RetryPolicy::default();
        let outcome = |value| AttemptOutcome::Response {
            status: 429,
            retry_after: Some(value),
        };
        let delay = |value| policy.decide(Read, outcome(value), 1, now(), 0.5);
        assert_eq!(
            delay("7"),
            Decision::Retry {
                delay: Duration::from_secs(7)
            }
        );
        assert_eq!(
            delay(" 0 "),
            Decision::Retry {
                delay: Duration::ZERO
            }
        );
        assert_eq!(
            delay("60"),
            Decision::Retry {
                delay: Duration::from_secs(60)
            }
        );
        assert_eq!(delay("61"), Decision::Stop, "above the cap stops");
        assert_eq!(delay("99999999999999999999999"), Decision::Stop);
        // Garbage falls back to the jittered backoff (0.5 × 500 ms).
        assert_eq!(
            delay("soon"),
            Decision::Retry {
                delay: Duration::from_millis(250)
            }
        );
        assert_eq!(
            delay("-5"),
            Decision::Retry {
                delay: Duration::from_millis(250)
            }
        );
        // Retry-After on a 500 is not a rate-limit hint: backoff applies.
        let on_500 = AttemptOutcome::Response {
            status: 500,
            retry_after: Some("30"),
        };
        assert_eq!(
            policy.decide(Read, on_500, 1, now(), 0.5),
            Decision::Retry {
                delay: Duration::from_millis(250)
            }
        );
        // A signed write waits the same way on 503 + Retry-After.
        let on_503 = AttemptOutcome::Response {
            status: 503,
            retry_after: Some("3"),
        };
        assert_eq!(
            policy.decide(SignedWrite, on_503, 1, now(), 0.5),
            Decision::Retry {
                delay: Duration::from_secs(3)
            }
        );
    }

    #[test]
    fn retry_after_http_date() {
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now()),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Sun Nov  6 08:49:47 1994", now()),
            Some(Duration::from_secs(10))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now()),
            Some(Duration::ZERO),
            "a date in the past means now"
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:50:07 CET", now()),
            None
        );
        assert_eq!(parse_retry_after("", now()), None);
        let policy = RetryPolicy::default();
        let outcome = |value| AttemptOutcome::Response {
            status: 503,
            retry_after: Some(value),
        };
        assert_eq!(
            policy.decide(
                Token,
                outcome("Sun, 06 Nov 1994 08:50:37 GMT"),
                2,
                now(),
                0.5
            ),
            Decision::Retry {
                delay: Duration::from_secs(60)
            }
        );
        assert_eq!(
            policy.decide(
                Token,
                outcome("Sun, 06 Nov 1994 08:50:38 GMT"),
                2,
                now(),
                0.5
            ),
            Decision::Stop
        );
    }

    #[test]
    fn budget_bounds_retries_under_total_429() {
        // Every request is answered 429 for a long time: the client may retry only while the
        // bucket lasts, then reports failures without retrying.
        let budget = RetryBudget::default();
        let policy = RetryPolicy::default();
        let mut attempts = 0u32;
        for _request in 0..10_000 {
            let mut attempt = 1;
            loop {
                attempts += 1;
                let decision = policy.decide(Read, status(429), attempt, now(), 0.3);
                if decision == Decision::Stop || !budget.try_withdraw(RETRY_COST) {
                    break;
                }
                attempt += 1;
            }
        }
        assert_eq!(budget.available(), 0);
        assert_eq!(attempts, 10_000 + 500 / RETRY_COST);
    }

    #[test]
    fn budget_refills_on_success_up_to_capacity() {
        let budget = RetryBudget::new(20);
        assert!(budget.try_withdraw(TIMEOUT_RETRY_COST));
        assert!(budget.try_withdraw(TIMEOUT_RETRY_COST));
        assert!(!budget.try_withdraw(RETRY_COST));
        assert_eq!(budget.available(), 0);
        for _ in 0..30 {
            budget.deposit_success();
        }
        assert_eq!(budget.available(), 20);
        assert!(format!("{budget:?}").contains("RetryBudget"));
    }

    #[test]
    fn budget_is_safe_across_threads() {
        let budget = std::sync::Arc::new(RetryBudget::new(1000));
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let budget = budget.clone();
                std::thread::spawn(move || (0..1000).filter(|_| budget.try_withdraw(3)).count())
            })
            .collect();
        let granted: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
        assert_eq!(granted, 333);
        assert_eq!(budget.available(), 1);
    }
}
