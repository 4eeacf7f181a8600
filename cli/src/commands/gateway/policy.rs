//! The gateway's policy, free of I/O: who may call (bearer key, CORS origin), how often
//! (token-bucket rate limit) and how much money may leave (per-payment and daily limits).

use std::collections::HashSet;
use std::time::{Duration, Instant};

use opcorp::Amount;
use time::Date;

/// Compares the presented key with the configured one in time independent of where they
/// differ (the length may leak; the content does not).
pub fn key_matches(presented: &str, expected: &str) -> bool {
    let (a, b) = (presented.as_bytes(), expected.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The bearer token of an `Authorization` header value, if it is one.
pub fn bearer(header: &str) -> Option<&str> {
    let (scheme, token) = header.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

/// Whether a browser `Origin` is on the allowlist (exact match, trailing slash ignored).
pub fn origin_allowed(origin: &str, allowlist: &[String]) -> bool {
    let origin = origin.trim_end_matches('/');
    allowlist
        .iter()
        .any(|allowed| allowed.trim_end_matches('/').eq_ignore_ascii_case(origin))
}

/// A token bucket: `capacity` requests at once, refilled at `capacity` per `period`.
#[derive(Debug)]
pub struct RateLimiter {
    capacity: f64,
    per_second: f64,
    tokens: f64,
    last: Instant,
}

impl RateLimiter {
    /// A full bucket of `capacity` tokens refilled over `period`.
    pub fn new(capacity: u32, period: Duration, now: Instant) -> Self {
        let capacity = f64::from(capacity.max(1));
        RateLimiter {
            capacity,
            per_second: capacity / period.as_secs_f64().max(0.001),
            tokens: capacity,
            last: now,
        }
    }

    /// Takes one token, or says how long until one is available.
    pub fn try_acquire(&mut self, now: Instant) -> Result<(), Duration> {
        let elapsed = now.saturating_duration_since(self.last).as_secs_f64();
        self.last = now;
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.capacity);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            return Ok(());
        }
        let wait = (1.0 - self.tokens) / self.per_second;
        Err(Duration::from_secs_f64(wait.max(0.001)))
    }
}

/// Payment limits; payments are refused altogether when the gateway has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentLimits {
    /// Largest single payment.
    pub per_payment: Amount,
    /// Largest total per UTC day.
    pub daily: Amount,
}

/// Why a payment is refused before it is sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitRefusal {
    /// Above the per-payment limit.
    PerPayment {
        /// The limit.
        limit: Amount,
    },
    /// Would take today's total over the daily limit.
    Daily {
        /// The limit.
        limit: Amount,
        /// Already used today.
        used: Amount,
    },
}

impl LimitRefusal {
    /// A message for the caller (amounts and limits only).
    pub fn message(&self, amount: Amount) -> String {
        match self {
            LimitRefusal::PerPayment { limit } => {
                format!("payment of {amount} exceeds the gateway's per-payment limit of {limit}")
            }
            LimitRefusal::Daily { limit, used } => format!(
                "payment of {amount} would exceed the gateway's daily limit of {limit} \
                 ({used} already used today)"
            ),
        }
    }
}

/// Today's payment total, de-duplicated by `instructionId` so a resend after an unknown
/// outcome (same id, same body, de-duplicated by OP) is not counted twice.
#[derive(Debug)]
pub struct DailyLedger {
    day: Date,
    used: Amount,
    counted: HashSet<String>,
}

impl DailyLedger {
    /// An empty ledger for `day`.
    pub fn new(day: Date) -> Self {
        DailyLedger {
            day,
            used: Amount::ZERO,
            counted: HashSet::new(),
        }
    }

    /// Checks `amount` against `limits` and, when allowed, reserves it under `id` (a payment
    /// already counted today passes without being counted again).
    pub fn reserve(
        &mut self,
        limits: PaymentLimits,
        id: &str,
        amount: Amount,
        today: Date,
    ) -> Result<(), LimitRefusal> {
        if today != self.day {
            *self = DailyLedger::new(today);
        }
        if amount > limits.per_payment {
            return Err(LimitRefusal::PerPayment {
                limit: limits.per_payment,
            });
        }
        if self.counted.contains(id) {
            return Ok(());
        }
        let total = self.used.checked_add(amount);
        if total.is_none_or(|t| t > limits.daily) {
            return Err(LimitRefusal::Daily {
                limit: limits.daily,
                used: self.used,
            });
        }
        self.used = total.unwrap_or(self.used);
        self.counted.insert(id.to_owned());
        Ok(())
    }

    /// Gives back a reservation for a payment the bank certainly did not book.
    pub fn release(&mut self, id: &str, amount: Amount) {
        if self.counted.remove(id) {
            self.used = self.used.checked_sub(amount).unwrap_or(Amount::ZERO);
        }
    }

    /// Used so far today.
    #[cfg(test)]
    pub fn used(&self) -> Amount {
        self.used
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    fn amt(s: &str) -> Amount {
        s.parse().unwrap()
    }

    #[test]
    fn keys_and_bearer_headers() {
        assert!(key_matches("abc", "abc"));
        assert!(!key_matches("abd", "abc"));
        assert!(!key_matches("ab", "abc"));
        assert_eq!(bearer("Bearer k1"), Some("k1"));
        assert_eq!(bearer("bearer  k1 "), Some("k1"));
        assert_eq!(bearer("Basic k1"), None);
        assert_eq!(bearer("Bearer "), None);
    }

    #[test]
    fn origins_match_exactly() {
        let list = vec!["http://localhost:3000".to_owned()];
        assert!(origin_allowed("http://localhost:3000", &list));
        assert!(origin_allowed("http://localhost:3000/", &list));
        assert!(!origin_allowed("http://localhost:3001", &list));
        assert!(!origin_allowed("http://evil.example", &list));
    }

    #[test]
    fn bucket_empties_and_refills() {
        let start = Instant::now();
        let mut limiter = RateLimiter::new(2, Duration::from_secs(2), start);
        assert!(limiter.try_acquire(start).is_ok());
        assert!(limiter.try_acquire(start).is_ok());
        let wait = limiter.try_acquire(start).unwrap_err();
        assert!(wait <= Duration::from_secs(1), "{wait:?}");
        assert!(limiter.try_acquire(start + Duration::from_secs(1)).is_ok());
    }

    #[test]
    fn limits_per_payment_daily_and_resends() {
        let limits = PaymentLimits {
            per_payment: amt("100.00"),
            daily: amt("150.00"),
        };
        let day = date!(2026 - 01 - 05);
        let mut ledger = DailyLedger::new(day);
        assert!(matches!(
            ledger.reserve(limits, "a", amt("100.01"), day),
            Err(LimitRefusal::PerPayment { .. })
        ));
        ledger.reserve(limits, "a", amt("100.00"), day).unwrap();
        ledger.reserve(limits, "a", amt("100.00"), day).unwrap();
        assert_eq!(
            ledger.used(),
            amt("100.00"),
            "a resend is not counted twice"
        );
        assert!(matches!(
            ledger.reserve(limits, "b", amt("50.01"), day),
            Err(LimitRefusal::Daily { .. })
        ));
        ledger.reserve(limits, "b", amt("50.00"), day).unwrap();
        ledger.release("b", amt("50.00"));
        assert_eq!(ledger.used(), amt("100.00"));
        let next = date!(2026 - 01 - 06);
        ledger.reserve(limits, "c", amt("100.00"), next).unwrap();
        assert_eq!(ledger.used(), amt("100.00"), "a new day starts from zero");
    }
}
