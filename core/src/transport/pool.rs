//! [`Http`]: the client's reqwest pool with a cap on how many connections it opens to the
//! bank at once.
//!
//! reqwest's pool only limits *idle* connections: under load every request that finds no
//! free connection opens a new one (a load test of 200 tasks held ~250 sockets). A slot is
//! taken before each request and held until its whole answer has been read, so with
//! HTTP/1.1 (one request per connection) at most `max_connections` connections are busy;
//! the rest wait for a slot. A connection goes back to the idle pool a moment after its body
//! ends, so a request in the freed slot may open a new one meanwhile: with the idle pool
//! capped to the same number, open sockets stay within twice the cap (measured by
//! `core/tests/transport_connections.rs`). Waiting is not part of an attempt's deadlines,
//! which start when the request is sent.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Semaphore, SemaphorePermit};

/// Default cap on simultaneous requests (busy connections) per client and its clones.
pub const DEFAULT_MAX_CONNECTIONS: usize = 32;

/// reqwest's client and the connection slots, shared by every clone of a [`crate::client::Client`].
#[derive(Debug, Clone)]
pub(crate) struct Http {
    /// reqwest client with the rustls mTLS configuration and timeouts.
    pub(crate) client: reqwest::Client,
    slots: Arc<Semaphore>,
    /// The client's deadline for one attempt (reqwest's own `timeout`), which a shorter
    /// remainder of a call's deadline replaces.
    attempt_timeout: Duration,
}

impl Http {
    /// `client` must keep at most `max_connections` idle connections per host, so the slots
    /// bound the idle ones too.
    pub(crate) fn new(
        client: reqwest::Client,
        max_connections: usize,
        attempt_timeout: Duration,
    ) -> Self {
        Http {
            client,
            slots: Arc::new(Semaphore::new(max_connections)),
            attempt_timeout,
        }
    }

    /// The deadline of one attempt: the client's, or less when the call has less left.
    pub(crate) fn attempt_timeout(&self, call_remaining: Option<Duration>) -> Duration {
        call_remaining.map_or(self.attempt_timeout, |left| left.min(self.attempt_timeout))
    }

    /// Waits for a free connection slot; the request may use the connection while the
    /// returned guard lives. (The semaphore is never closed, so the wait always ends with a
    /// slot.)
    pub(crate) async fn slot(&self) -> Option<SemaphorePermit<'_>> {
        self.slots.acquire().await.ok()
    }
}
