//! Real-time payment detection: a stream of new transactions on one or many accounts.
//!
//! OP's corporate APIs have no webhooks, so "real time" is polling done well. A [`Watcher`]
//! polls the Account Data transactions of every account it watches through one shared
//! [`Client`] (one token, one connection pool), with bounded concurrency, one request-rate
//! limit for all accounts, and backoff on errors and 429s. Each new transaction becomes a
//! [`Delivery`]; the consumer handles it, then acknowledges it with [`Watcher::ack`].
//!
//! **Delivery contract.** Every transaction is delivered at least once and, once acknowledged,
//! never again — also after a restart or a `kill -9` at any instant, provided the watcher uses
//! a persistent [`CheckpointStore`] such as [`FileCheckpointStore`](crate::checkpoint::FileCheckpointStore).
//! A restarted watcher re-delivers only what was delivered but not yet acknowledged.
//!
//! How it holds: an acknowledgement returns only after the account's [`AccountCheckpoint`]
//! is stored. The checkpoint keeps an *anchor* (nothing older than it is unacknowledged) and
//! the ids of the acknowledged transactions from `lookback` before the anchor on. Scans start
//! at `anchor - lookback` (a periodic rescan, and always after a restart) or at the newest
//! timestamp already scanned (ordinary polls), and page by `objectId`, so several transactions
//! in the same microsecond and page boundaries lose nothing; known ids are skipped. A
//! transaction that shows up late — registered with a timestamp up to `lookback` behind the
//! anchor — is still found by the rescan. Memory per account is bounded by the unacknowledged
//! transactions (capped, see [`WatcherBuilder::max_unacked_per_account`]) plus the
//! acknowledged ids inside the lookback window.
//!
//! ```no_run
//! # async fn demo(client: opcorp::client::Client) -> opcorp::Result<()> {
//! use opcorp::checkpoint::FileCheckpointStore;
//! use opcorp::watch::Watcher;
//!
//! let mut watcher = Watcher::builder(client)
//!     .account("c2FtcGxlLXN1cnJvZ2F0ZS0x")
//!     .checkpoint(FileCheckpointStore::open("watch-checkpoint.json")?)
//!     .build()?;
//! loop {
//!     let delivery = watcher.next().await?;
//!     println!("{} {}", delivery.transaction.amount, delivery.transaction.object_id);
//!     watcher.ack(&delivery).await?;
//! }
//! # }
//! ```

mod builder;
#[cfg(feature = "postgres")]
mod leased;
mod limiter;
#[cfg(feature = "postgres")]
mod mandated;
mod poller;
#[cfg(feature = "postgres")]
pub mod postgres;
mod state;

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use futures::Stream;
use tokio::sync::mpsc;

pub use builder::{AccountSource, WatcherBuilder};

use crate::checkpoint::{AccountCheckpoint, CheckpointStore};
use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::model::transaction::Transaction;
use limiter::Limiter;
use state::AccountState;

/// Where watching starts for an account that has no stored checkpoint yet. Accounts with a
/// checkpoint always continue from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StartFrom {
    /// Only transactions registered from the moment the watcher is built (the default).
    #[default]
    Now,
    /// Transactions registered at or after this time, microseconds since the Unix epoch.
    Timestamp(i64),
    /// Every transaction the bank still lists.
    Beginning,
}

/// One new transaction, found on `account`. Hand it back to [`Watcher::ack`] once it is
/// handled; until then a restarted watcher delivers it again.
#[derive(Debug, Clone, PartialEq)]
pub struct Delivery {
    /// The surrogate id of the account the transaction belongs to.
    pub account: String,
    /// The mandate the account is watched under ([`AccountSource::Mandates`]): which client
    /// company the transaction belongs to. `None` for the service provider's own accounts.
    pub mandate: Option<String>,
    /// The transaction as the bank lists it.
    pub transaction: Transaction,
    /// When this watcher found it.
    pub detected_at: SystemTime,
}

impl Delivery {
    /// OP's `objectId` of the transaction: the de-duplication key.
    pub fn object_id(&self) -> &str {
        &self.transaction.object_id
    }
}

/// The settings a [`WatcherBuilder`] resolved.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) poll_interval: Duration,
    pub(crate) include_outgoing: bool,
    pub(crate) max_concurrency: usize,
    pub(crate) lookback_micros: i64,
    pub(crate) rescan_interval: Duration,
    pub(crate) max_backoff: Duration,
    pub(crate) max_unacked_per_account: usize,
    pub(crate) start_micros: i64,
    pub(crate) page_size: Option<usize>,
    /// How long a lease on a shared store runs without renewal.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) lease_ttl: Duration,
    /// How often a dynamic account set is read again.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) refresh_interval: Duration,
}

/// One watched account: its bookkeeping (loaded from the store on the first poll) and a lock
/// that serialises its checkpoint writes.
#[derive(Debug)]
pub(crate) struct AccountSlot {
    pub(crate) id: String,
    /// The mandate every call for the account acts for (`None`: the client's own account).
    pub(crate) mandate: Option<String>,
    /// The fencing token of the lease the state was loaded under (0: local store).
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fence: i64,
    /// Until when the lease surely runs, as this process knows it (`None`: local store).
    /// A poll that resumes after it (e.g. after SIGSTOP) delivers nothing more.
    pub(crate) lease_until: Mutex<Option<tokio::time::Instant>>,
    pub(crate) state: Mutex<Option<AccountState>>,
    pub(crate) persist: tokio::sync::Mutex<()>,
}

impl AccountSlot {
    /// Whether this process may still act under the slot's lease.
    pub(crate) fn lease_running(&self) -> bool {
        let until = self
            .lease_until
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        until.is_none_or(|t| tokio::time::Instant::now() < t)
    }

    /// Records that the lease runs at least until `until`.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn lease_extended(&self, until: tokio::time::Instant) {
        let mut slot = self
            .lease_until
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *slot = Some(slot.map_or(until, |t| t.max(until)));
    }

    /// Locks the bookkeeping (never held across an `.await`).
    pub(crate) fn state(&self) -> MutexGuard<'_, Option<AccountState>> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl AccountSlot {
    /// A slot for account `id` (under `mandate`), with its state when already loaded.
    pub(crate) fn new(
        id: String,
        mandate: Option<String>,
        fence: i64,
        state: Option<AccountState>,
    ) -> Arc<Self> {
        Arc::new(AccountSlot {
            id,
            mandate,
            fence,
            lease_until: Mutex::new(None),
            state: Mutex::new(state),
            persist: tokio::sync::Mutex::new(()),
        })
    }
}

/// Where checkpoints live.
pub(crate) enum Backend {
    /// A [`CheckpointStore`] of this process: every account is this watcher's.
    Local(Arc<dyn CheckpointStore>),
    /// The PostgreSQL store: accounts are claimed under leases, writes are fenced.
    #[cfg(feature = "postgres")]
    Postgres(Arc<leased::Lease>),
}

/// What the poller task and the acknowledging side share.
pub(crate) struct Shared {
    pub(crate) client: Client,
    pub(crate) backend: Backend,
    pub(crate) settings: Settings,
    pub(crate) limiter: Limiter,
    /// The accounts this watcher currently holds, by id.
    pub(crate) slots: Mutex<HashMap<String, Arc<AccountSlot>>>,
}

impl Shared {
    /// The held accounts (never held across an `.await`).
    pub(crate) fn slots(&self) -> MutexGuard<'_, HashMap<String, Arc<AccountSlot>>> {
        self.slots
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Watches accounts for new transactions. Built with [`Watcher::builder`].
///
/// Polling runs in a background task on the current tokio runtime while the consumer works;
/// found transactions wait in a bounded queue, so a slow consumer slows polling down instead
/// of growing memory. Dropping the watcher stops the task. `Watcher` is also a
/// [`Stream`] of `Result<Delivery>`.
pub struct Watcher {
    receiver: mpsc::Receiver<Result<Delivery>>,
    acker: Acker,
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher")
            .field("accounts", &self.acker.shared.slots().len())
            .field("settings", &self.acker.shared.settings)
            .finish_non_exhaustive()
    }
}

impl Watcher {
    /// Starts configuring a watcher over `client`.
    pub fn builder(client: Client) -> WatcherBuilder {
        WatcherBuilder::new(client)
    }

    /// Waits for the next new transaction.
    ///
    /// Transient failures (network, 5xx, 429) are retried in the background with backoff and
    /// are not returned. A failure that needs attention — authentication, a forbidden or
    /// unknown account, an unusable checkpoint store — is returned once per occurrence; the
    /// watcher keeps going (the account is retried after a backoff), so the caller may log it
    /// and call `next` again. Cancel-safe: dropping the future loses nothing.
    pub async fn next(&mut self) -> Result<Delivery> {
        match self.receiver.recv().await {
            Some(item) => item,
            None => Err(stopped_error()),
        }
    }

    /// Acknowledges a delivery: it is never delivered again, also not after a restart.
    ///
    /// Returns once the checkpoint is durably stored. Acknowledging twice is harmless. On an
    /// error the delivery counts as unacknowledged and may be acknowledged again.
    pub async fn ack(&self, delivery: &Delivery) -> Result<()> {
        self.acker.ack(delivery).await
    }

    /// A cloneable handle that acknowledges deliveries from other tasks.
    pub fn acker(&self) -> Acker {
        self.acker.clone()
    }

    /// The stored checkpoint of `account`, once the watcher has loaded it.
    pub fn checkpoint(&self, account: &str) -> Option<AccountCheckpoint> {
        let slot = self.acker.slot(account).ok()?;
        let state = slot.state();
        state.as_ref().map(|s| s.checkpoint().clone())
    }

    /// The surrogate ids of the accounts this watcher holds now (with a shared store: the
    /// ones it currently has leases on), sorted.
    pub fn accounts(&self) -> Vec<String> {
        let mut ids: Vec<String> = self.acker.shared.slots().keys().cloned().collect();
        ids.sort();
        ids
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl Stream for Watcher {
    type Item = Result<Delivery>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.receiver.poll_recv(cx)
    }
}

/// Acknowledges deliveries of one [`Watcher`]; cheap to clone and `Send`.
#[derive(Clone)]
pub struct Acker {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Acker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Acker").finish_non_exhaustive()
    }
}

impl Acker {
    /// See [`Watcher::ack`].
    pub async fn ack(&self, delivery: &Delivery) -> Result<()> {
        let slot = self.slot(&delivery.account)?;
        let shared = Arc::clone(&self.shared);
        let object_id = delivery.transaction.object_id.clone();
        let timestamp = delivery.transaction.timestamp;
        // Run in its own task: if the caller drops this future mid-write, the write and the
        // bookkeeping after it still complete together.
        let task = tokio::spawn(async move {
            let _writer = slot.persist.lock().await;
            let candidate = {
                let state = slot.state();
                let state = state.as_ref().ok_or_else(|| {
                    Error::invalid_input(format!(
                        "account {} has not been polled by this watcher yet",
                        slot.id
                    ))
                })?;
                if !matches!(shared.backend, Backend::Local(_)) && !state.knows(&object_id) {
                    // Found under an earlier lease of the account: its owner since then
                    // started from the stored checkpoint and delivers it again.
                    return Err(lease_lost(&slot.id));
                }
                state.ack_candidate(&object_id, timestamp, shared.settings.lookback_micros)
            };
            let Some(checkpoint) = candidate else {
                return Ok(());
            };
            store_ack(&shared, &slot, &checkpoint).await?;
            if let Some(state) = slot.state().as_mut() {
                state.apply_ack(&object_id, timestamp, checkpoint);
            }
            Ok(())
        });
        task.await.map_err(|e| {
            Error::new(ErrorKind::Config, "the acknowledgement task failed").with_source(e)
        })?
    }

    fn slot(&self, account: &str) -> Result<Arc<AccountSlot>> {
        let slots = self.shared.slots();
        match slots.get(account) {
            Some(slot) => Ok(Arc::clone(slot)),
            None if matches!(self.shared.backend, Backend::Local(_)) => Err(Error::invalid_input(
                format!("account {account} is not watched by this watcher"),
            )),
            None => Err(lease_lost(account)),
        }
    }
}

/// The error of an acknowledgement that no longer counts: the lease it was delivered under
/// is gone.
fn lease_lost(account: &str) -> Error {
    Error::new(
        ErrorKind::Conflict,
        format!(
            "the lease on account {account} was lost since this delivery: the \
             acknowledgement was refused and the account's new owner delivers it again"
        ),
    )
}

/// Stores an acknowledged checkpoint where the backend keeps it.
async fn store_ack(
    shared: &Shared,
    slot: &Arc<AccountSlot>,
    checkpoint: &AccountCheckpoint,
) -> Result<()> {
    match &shared.backend {
        Backend::Local(store) => save(store, &slot.id, checkpoint).await,
        #[cfg(feature = "postgres")]
        Backend::Postgres(lease) => lease.store(shared, slot, checkpoint).await,
    }
}

/// Stores a checkpoint on a blocking thread.
pub(crate) async fn save(
    store: &Arc<dyn CheckpointStore>,
    account: &str,
    checkpoint: &AccountCheckpoint,
) -> Result<()> {
    let store = Arc::clone(store);
    let account = account.to_owned();
    let checkpoint = checkpoint.clone();
    tokio::task::spawn_blocking(move || store.save(&account, &checkpoint))
        .await
        .map_err(|e| Error::new(ErrorKind::Config, "the checkpoint write failed").with_source(e))?
}

/// Loads a checkpoint on a blocking thread.
pub(crate) async fn load(
    store: &Arc<dyn CheckpointStore>,
    account: &str,
) -> Result<Option<AccountCheckpoint>> {
    let store = Arc::clone(store);
    let account = account.to_owned();
    tokio::task::spawn_blocking(move || store.load(&account))
        .await
        .map_err(|e| Error::new(ErrorKind::Config, "the checkpoint read failed").with_source(e))?
}

/// The error `next` returns when the polling task is gone.
fn stopped_error() -> Error {
    Error::new(ErrorKind::Config, "the watcher's polling task has stopped")
}
