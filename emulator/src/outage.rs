//! A simulated restart of OP's edge (reliability matrix F9): every open connection is
//! dropped at once and new ones are closed on arrival until the outage ends. A client's
//! pooled keep-alive connections all go stale together, as after a real restart.

use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use crate::shared::lock;

/// The outage state: when it ends, and a counter that tells connections to drop.
pub(crate) struct Outage {
    until: Mutex<Option<Instant>>,
    drops: watch::Sender<u64>,
}

impl Default for Outage {
    fn default() -> Self {
        Outage {
            until: Mutex::new(None),
            drops: watch::Sender::new(0),
        }
    }
}

impl Outage {
    /// Drops every open connection and refuses new ones for `duration`.
    pub(crate) fn start(&self, duration: Duration) {
        *lock(&self.until) = Some(Instant::now() + duration);
        self.drops.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// Whether connections arriving now are refused.
    pub(crate) fn active(&self) -> bool {
        lock(&self.until).is_some_and(|until| Instant::now() < until)
    }

    /// Resolves when the next outage starts (a connection drops itself then).
    pub(crate) fn next_drop(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut drops = self.drops.subscribe();
        async move {
            // An error means the sender is gone with the emulator: nothing more to wait for.
            if drops.changed().await.is_err() {
                std::future::pending::<()>().await;
            }
        }
    }
}
