//! Where the outbox keeps its entries: the [`OutboxStore`] trait.
//!
//! The trait is object-safe and synchronous, like
//! [`CheckpointStore`](crate::checkpoint::CheckpointStore): the outbox calls it on a blocking
//! thread (`tokio::task::spawn_blocking`), so an implementation may do blocking I/O — SQLite
//! ([`SqliteOutboxStore`](super::SqliteOutboxStore), the embedded default) or a PostgreSQL
//! table shared by several processes.
//!
//! Every method that returns `Ok` must have made its change durable: the outbox sends a
//! payment only after [`insert`](OutboxStore::insert) and
//! [`begin_attempt`](OutboxStore::begin_attempt) returned, which is what makes a crash at any
//! point recoverable.

use super::entry::{OutboxEntry, Outcome};
use crate::error::Result;

/// Which entries [`OutboxStore::list`] returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListFilter {
    /// Every entry.
    All,
    /// Only entries whose outcome is [`Outcome::Unknown`].
    Unsettled,
}

/// Durable storage of outbox entries, keyed by intent.
pub trait OutboxStore: Send + Sync {
    /// Stores `entry` unless its intent is already present. Returns `None` when stored, or
    /// the existing entry (left unchanged) when the intent was taken. Atomic: of two
    /// concurrent inserts of one intent, exactly one stores.
    fn insert(&self, entry: &OutboxEntry) -> Result<Option<OutboxEntry>>;

    /// The entry of `intent`, if any.
    fn get(&self, intent: &str) -> Result<Option<OutboxEntry>>;

    /// Counts one more send of the unsettled entry `intent`, durably, before the send
    /// starts. Returns the entry as it was *before* the increment (so `attempts` says how
    /// many sends may already have reached the bank), or `None` when the intent is unknown
    /// or already settled.
    fn begin_attempt(&self, intent: &str, now_ms: i64) -> Result<Option<OutboxEntry>>;

    /// Records what an attempt produced. A final outcome is written only while the entry is
    /// still unsettled (the first settlement wins; a later one changes nothing), and an
    /// [`Outcome::Unknown`] only updates the last error of an unsettled entry. Returns the
    /// entry as stored afterwards.
    fn record(&self, intent: &str, outcome: &Outcome, now_ms: i64) -> Result<Option<OutboxEntry>>;

    /// Entries matching `filter`, oldest first.
    fn list(&self, filter: ListFilter) -> Result<Vec<OutboxEntry>>;
}
