//! One request-rate limit shared by every account a watcher polls.
//!
//! A pacer rather than a bursty token bucket: request slots are handed out at least
//! `1 / rate` apart, so any one-second window holds at most `rate + 1` requests, however many
//! accounts are due at once. A 429 from the bank pauses every slot until its `Retry-After`.

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// The request-rate limit of one watcher: this process's pacer, or a limit shared through
/// PostgreSQL by every process with the same client id.
#[derive(Debug)]
pub(crate) enum Limiter {
    /// Only this process counts.
    Local(RateLimiter),
    /// A token bucket in the database, spent through a local pacer.
    #[cfg(feature = "postgres")]
    Shared(super::postgres::SharedRateLimiter),
}

impl Limiter {
    /// Waits for the next request slot.
    pub(crate) async fn acquire(&self) {
        match self {
            Limiter::Local(local) => local.acquire().await,
            #[cfg(feature = "postgres")]
            Limiter::Shared(shared) => shared.acquire().await,
        }
    }

    /// Grants no slot for `delay` from now (the bank answered 429).
    pub(crate) async fn pause_for(&self, delay: Duration) {
        match self {
            Limiter::Local(local) => local.pause_for(delay),
            #[cfg(feature = "postgres")]
            Limiter::Shared(shared) => shared.pause_for(delay).await,
        }
    }
}

/// Hands out request slots no closer than `interval` apart.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    interval: Duration,
    state: Mutex<Slots>,
}

#[derive(Debug)]
struct Slots {
    /// The earliest instant the next slot may be granted.
    next: Instant,
    /// No slot before this instant (set by a 429).
    paused_until: Instant,
}

impl RateLimiter {
    /// A limiter for `per_second` requests per second (clamped to a sane positive range).
    pub(crate) fn new(per_second: f64) -> Self {
        let per_second = if per_second.is_finite() {
            per_second.clamp(0.001, 1_000_000.0)
        } else {
            1_000_000.0
        };
        let now = Instant::now();
        RateLimiter {
            interval: Duration::from_secs_f64(1.0 / per_second),
            state: Mutex::new(Slots {
                next: now,
                paused_until: now,
            }),
        }
    }

    /// Waits for the next free slot. The slot is reserved before waiting, so callers are
    /// served in arrival order and the spacing holds even when a waiter is cancelled.
    pub(crate) async fn acquire(&self) {
        let slot = {
            let mut s = self
                .state
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let slot = Instant::now().max(s.next).max(s.paused_until);
            s.next = slot + self.interval;
            slot
        };
        tokio::time::sleep_until(slot).await;
    }

    /// Grants no slot for `delay` from now (the bank answered 429).
    pub(crate) fn pause_for(&self, delay: Duration) {
        let mut s = self
            .state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let until = Instant::now() + delay;
        s.paused_until = s.paused_until.max(until);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn slots_are_spaced_by_the_interval() {
        let limiter = RateLimiter::new(100.0);
        let start = std::time::Instant::now();
        for _ in 0..11 {
            limiter.acquire().await;
        }
        // The first slot is immediate, the next ten 10 ms apart.
        let elapsed = start.elapsed();
        assert!(elapsed >= Duration::from_millis(100), "{elapsed:?}");
        assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    }

    #[tokio::test]
    async fn pause_delays_every_slot() {
        let limiter = RateLimiter::new(1_000.0);
        limiter.acquire().await;
        let start = std::time::Instant::now();
        limiter.pause_for(Duration::from_millis(200));
        limiter.acquire().await;
        assert!(start.elapsed() >= Duration::from_millis(200));
    }

    #[test]
    fn absurd_rates_are_clamped() {
        assert_eq!(
            RateLimiter::new(0.0).interval,
            Duration::from_secs_f64(1_000.0)
        );
        assert!(RateLimiter::new(f64::NAN).interval < Duration::from_millis(1));
    }
}
