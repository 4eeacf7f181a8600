//! The gateway's policy, free of I/O: who may call (bearer key, CORS origin), how often
//! (token-bucket rate limit) and how much money may leave (per-payment and daily limits).

use std::time::{Duration, Instant};

use opcorp::Amount;

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

/// Whether a `Host` header names this gateway by a loopback name: `127.0.0.1:PORT`,
/// `localhost:PORT` or `[::1]:PORT` (the bare name when PORT is 80, as browsers omit it).
/// Anything else is a DNS-rebinding attempt: a page on `evil.example` whose name now resolves
/// to 127.0.0.1 would otherwise talk to the gateway as its own origin.
pub fn host_allowed(host: &str, port: u16) -> bool {
    let host = host.trim();
    let (name, host_port) = match host.rsplit_once(':') {
        Some((name, p)) if !name.is_empty() && !p.contains(']') => (name, p.parse::<u16>().ok()),
        _ => (host, None),
    };
    let port_ok = match host_port {
        Some(p) => p == port,
        None => port == 80 && !host.ends_with(':'),
    };
    port_ok && (name == "127.0.0.1" || name == "[::1]" || name.eq_ignore_ascii_case("localhost"))
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

/// Whether a payment of `amount` fits under the daily limit with `used` already counted
/// today (the ledger in `ledger.rs` keeps `used` durably, de-duplicated by instruction id).
pub fn check_daily(
    limits: PaymentLimits,
    used: Amount,
    amount: Amount,
) -> Result<(), LimitRefusal> {
    let total = used.checked_add(amount);
    if total.is_none_or(|t| t > limits.daily) {
        return Err(LimitRefusal::Daily {
            limit: limits.daily,
            used,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {

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
    fn only_loopback_hosts_on_our_port() {
        for ok in [
            "127.0.0.1:8787",
            "localhost:8787",
            "LOCALHOST:8787",
            "[::1]:8787",
        ] {
            assert!(host_allowed(ok, 8787), "{ok}");
        }
        for bad in [
            "evil.example:8787",
            "127.0.0.1:8788",
            "127.0.0.1",
            "localhost.evil.example:8787",
            "127.0.0.1.nip.io:8787",
            "[::1]",
            "::1:8787",
            "",
            "127.0.0.1:",
            "localhost:8787:8787",
        ] {
            assert!(!host_allowed(bad, 8787), "{bad:?}");
        }
        assert!(host_allowed("localhost", 80));
        assert!(host_allowed("[::1]", 80));
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
    fn daily_limit_counts_what_was_used() {
        let limits = PaymentLimits {
            per_payment: amt("100.00"),
            daily: amt("150.00"),
        };
        assert!(check_daily(limits, amt("100.00"), amt("50.00")).is_ok());
        assert_eq!(
            check_daily(limits, amt("100.00"), amt("50.01")),
            Err(LimitRefusal::Daily {
                limit: amt("150.00"),
                used: amt("100.00")
            })
        );
    }
}
