//! What a client learned about the bank's clock.

use std::sync::atomic::{AtomicI64, Ordering};

/// The bank's clock minus this machine's, in seconds, as learned from the first
/// `signature_iat_out_of_window` refusal with a `Date` header; zero until then.
///
/// Shared by every call of one client (like its retry budget), so a machine whose clock is
/// off costs one refused attempt per client, not one per payment: later signatures carry
/// the corrected `iat` from their first attempt. A later refusal of a corrected time
/// replaces the offset (the clock may have been fixed or drifted further).
#[derive(Debug, Default)]
pub struct BankClock {
    offset_secs: AtomicI64,
}

impl BankClock {
    /// The offset to add to this machine's Unix time for a signature's `iat`.
    pub fn offset_secs(&self) -> i64 {
        self.offset_secs.load(Ordering::Relaxed)
    }

    /// Remembers the offset a refusal taught.
    pub fn learn(&self, offset_secs: i64) {
        self.offset_secs.store(offset_secs, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::BankClock;

    #[test]
    fn starts_at_zero_and_keeps_the_last_lesson() {
        let clock = BankClock::default();
        assert_eq!(clock.offset_secs(), 0);
        clock.learn(-600);
        assert_eq!(clock.offset_secs(), -600);
        clock.learn(3);
        assert_eq!(clock.offset_secs(), 3);
    }
}
