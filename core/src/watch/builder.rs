//! [`WatcherBuilder`]: the settings of a [`Watcher`] and their defaults.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::sync::mpsc;

use super::limiter::{Limiter, RateLimiter};
use super::{AccountSlot, Acker, Backend, Settings, Shared, StartFrom, Watcher, poller};
use crate::checkpoint::{CheckpointStore, MemoryCheckpointStore};
use crate::client::Client;
use crate::error::{Error, Result};

/// Default time between two polls of one account.
pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(3);
/// Default number of accounts polled at the same time.
pub const DEFAULT_MAX_CONCURRENCY: usize = 8;
/// Default ceiling on requests per second, shared by all accounts.
pub const DEFAULT_MAX_REQUESTS_PER_SECOND: f64 = 10.0;
/// Default lookback window for transactions that appear late.
pub const DEFAULT_LOOKBACK: Duration = Duration::from_secs(15 * 60);
/// Default time between two rescans of the lookback window of one account.
pub const DEFAULT_RESCAN_INTERVAL: Duration = Duration::from_secs(60);
/// Default longest wait before retrying an account after errors.
pub const DEFAULT_MAX_BACKOFF: Duration = Duration::from_secs(120);
/// Default cap on unacknowledged transactions held per account.
pub const DEFAULT_MAX_UNACKED_PER_ACCOUNT: usize = 1_000;
/// Default lifetime of a lease on a shared store without renewal.
pub const DEFAULT_LEASE_TTL: Duration = Duration::from_secs(30);
/// Default time between two reads of a dynamic account set.
pub const DEFAULT_REFRESH_INTERVAL: Duration = Duration::from_secs(60);
/// Deliveries found but not yet taken by the consumer.
const QUEUE_CAPACITY: usize = 256;

/// Which accounts a watcher on a shared store watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccountSource {
    /// The accounts given to [`WatcherBuilder::accounts`] (the default).
    #[default]
    Listed,
    /// Every account the client lists, read again every refresh interval: accounts opened
    /// or closed while running join or leave the watched set.
    All,
    /// Every account of every client company that gave this service provider an `ACTIVE`
    /// mandate covering `ACCOUNT_DATA` (Service Provider API), read again every refresh
    /// interval: a new mandate's accounts join, a revoked one's leave. Each account is
    /// listed and polled acting for its mandate ([`Client::acting_for`]); its deliveries
    /// carry the mandate id ([`super::Delivery::mandate`]).
    Mandates,
}

impl std::str::FromStr for AccountSource {
    type Err = Error;

    /// `"listed"`, `"all"` or `"mandates"` (the names the bindings and the CLI accept).
    fn from_str(name: &str) -> Result<Self> {
        match name {
            "listed" => Ok(AccountSource::Listed),
            "all" => Ok(AccountSource::All),
            "mandates" => Ok(AccountSource::Mandates),
            other => Err(Error::invalid_input(format!(
                "unknown account source {other:?}: use \"listed\", \"all\" or \"mandates\""
            ))),
        }
    }
}

/// Configures a [`Watcher`]. Every setting has a default; only accounts are required.
#[derive(Debug)]
pub struct WatcherBuilder {
    client: Client,
    accounts: Vec<String>,
    poll_interval: Duration,
    include_outgoing: bool,
    max_concurrency: usize,
    max_requests_per_second: f64,
    lookback: Duration,
    rescan_interval: Duration,
    max_backoff: Duration,
    max_unacked_per_account: usize,
    start_from: StartFrom,
    page_size: Option<usize>,
    store: Option<Arc<dyn CheckpointStore>>,
    #[cfg(feature = "postgres")]
    postgres: Option<Arc<super::postgres::PgStore>>,
    source: AccountSource,
    lease_ttl: Duration,
    refresh_interval: Duration,
}

impl WatcherBuilder {
    pub(super) fn new(client: Client) -> Self {
        WatcherBuilder {
            client,
            accounts: Vec::new(),
            poll_interval: DEFAULT_POLL_INTERVAL,
            include_outgoing: false,
            max_concurrency: DEFAULT_MAX_CONCURRENCY,
            max_requests_per_second: DEFAULT_MAX_REQUESTS_PER_SECOND,
            lookback: DEFAULT_LOOKBACK,
            rescan_interval: DEFAULT_RESCAN_INTERVAL,
            max_backoff: DEFAULT_MAX_BACKOFF,
            max_unacked_per_account: DEFAULT_MAX_UNACKED_PER_ACCOUNT,
            start_from: StartFrom::Now,
            page_size: None,
            store: None,
            #[cfg(feature = "postgres")]
            postgres: None,
            source: AccountSource::Listed,
            lease_ttl: DEFAULT_LEASE_TTL,
            refresh_interval: DEFAULT_REFRESH_INTERVAL,
        }
    }

    /// Shares the accounts with every other watcher of the store's watch group through
    /// PostgreSQL (leases with fencing tokens; see [`super::postgres`]). Replaces any
    /// [`Self::checkpoint`] store; the request rate limit becomes shared by client id.
    #[cfg(feature = "postgres")]
    pub fn postgres(mut self, store: Arc<super::postgres::PgStore>) -> Self {
        self.postgres = Some(store);
        self
    }

    /// Which accounts are watched (default [`AccountSource::Listed`]). The dynamic sources
    /// ([`AccountSource::All`], [`AccountSource::Mandates`]) need the shared PostgreSQL
    /// store: without it [`Self::build`] fails with [`crate::ErrorKind::Config`] (the file
    /// and memory stores keep a fixed account set).
    pub fn account_source(mut self, source: AccountSource) -> Self {
        self.source = source;
        self
    }

    /// How long a lease on a shared store lasts without renewal (default 30 s): the time
    /// until a crashed worker's accounts are taken over. Renewed every third of it.
    pub fn lease_ttl(mut self, ttl: Duration) -> Self {
        self.lease_ttl = ttl;
        self
    }

    /// How often a dynamic account set ([`AccountSource::All`], [`AccountSource::Mandates`])
    /// is read again (default 60 s).
    pub fn refresh_interval(mut self, interval: Duration) -> Self {
        self.refresh_interval = interval;
        self
    }

    /// Watches the account with this surrogate id (repeats are ignored).
    pub fn account(mut self, surrogate_id: impl Into<String>) -> Self {
        self.accounts.push(surrogate_id.into());
        self
    }

    /// Watches every account in `surrogate_ids`.
    pub fn accounts<I, S>(mut self, surrogate_ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.accounts
            .extend(surrogate_ids.into_iter().map(Into::into));
        self
    }

    /// Time between two polls of one account (default 3 s).
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval;
        self
    }

    /// Also deliver outgoing transactions (debits); by default only incoming ones (credits).
    pub fn include_outgoing(mut self, include: bool) -> Self {
        self.include_outgoing = include;
        self
    }

    /// How many accounts are polled at the same time (default 8).
    pub fn max_concurrency(mut self, accounts: usize) -> Self {
        self.max_concurrency = accounts;
        self
    }

    /// Ceiling on the requests per second this watcher sends, over all accounts (default 10).
    /// Requests are paced `1 / rate` apart, so no one-second window holds more than
    /// `rate + 1` of them. The client's own retries of a failed request come on top, bounded
    /// by its retry budget.
    pub fn max_requests_per_second(mut self, rate: f64) -> Self {
        self.max_requests_per_second = rate;
        self
    }

    /// How far behind the acknowledged watermark a transaction may appear late and still be
    /// delivered (default 15 min). Longer windows cost memory (acknowledged ids are kept for
    /// the window) and rescan traffic.
    pub fn lookback(mut self, window: Duration) -> Self {
        self.lookback = window;
        self
    }

    /// How often each account's lookback window is rescanned (default 60 s).
    pub fn rescan_interval(mut self, interval: Duration) -> Self {
        self.rescan_interval = interval;
        self
    }

    /// Longest wait before retrying an account after repeated errors (default 120 s). A
    /// server's `Retry-After` is honoured even when longer.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Most transactions per account found but not acknowledged (default 1000); at the cap
    /// the account is not scanned further until the consumer acknowledges.
    pub fn max_unacked_per_account(mut self, count: usize) -> Self {
        self.max_unacked_per_account = count;
        self
    }

    /// Where accounts without a stored checkpoint start (default [`StartFrom::Now`]).
    pub fn start_from(mut self, start: StartFrom) -> Self {
        self.start_from = start;
        self
    }

    /// Transactions per page request (default and cap: the endpoint's largest page, 1000 for
    /// V3 and 150 for V2). Full pages keep an idle poll at one request; smaller pages mean
    /// smaller responses but more requests for a busy account.
    pub fn page_size(mut self, size: usize) -> Self {
        self.page_size = Some(size);
        self
    }

    /// Where acknowledgements are stored (default: in memory, lost with the process).
    pub fn checkpoint(mut self, store: impl CheckpointStore + 'static) -> Self {
        self.store = Some(Arc::new(store));
        self
    }

    /// Like [`Self::checkpoint`] for a store the caller shares.
    pub fn checkpoint_shared(mut self, store: Arc<dyn CheckpointStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// The settings a watcher cannot run with, as `INVALID_INPUT` (a dynamic account source
    /// without the shared store as `CONFIG`).
    fn check(&self, no_ids: bool, shared_store: bool) -> Result<()> {
        if no_ids && self.source == AccountSource::Listed {
            return Err(Error::invalid_input("a watcher needs at least one account"));
        }
        if self.source != AccountSource::Listed && !shared_store {
            return Err(Error::config(
                "the \"all\" and \"mandates\" account sources need the shared PostgreSQL \
                 store: the file and memory stores watch a fixed list of accounts",
            ));
        }
        if self.lease_ttl < Duration::from_millis(300) || self.refresh_interval.is_zero() {
            return Err(Error::invalid_input(
                "the lease must last at least 300 ms and the refresh interval be above zero",
            ));
        }
        if self.poll_interval.is_zero() {
            return Err(Error::invalid_input("the poll interval must be above zero"));
        }
        if self.max_concurrency == 0 {
            return Err(Error::invalid_input("max_concurrency must be at least 1"));
        }
        if !(self.max_requests_per_second.is_finite() && self.max_requests_per_second > 0.0) {
            return Err(Error::invalid_input(
                "max_requests_per_second must be a positive number",
            ));
        }
        if self.max_unacked_per_account == 0 {
            return Err(Error::invalid_input(
                "max_unacked_per_account must be at least 1",
            ));
        }
        if self.page_size == Some(0) {
            return Err(Error::invalid_input("page_size must be at least 1"));
        }
        Ok(())
    }

    /// Validates the settings and starts polling on the current tokio runtime.
    ///
    /// Fails with [`crate::ErrorKind::InvalidInput`] for no accounts, an empty account id or
    /// a zero interval, concurrency or rate, and with [`crate::ErrorKind::Config`] outside a
    /// tokio runtime.
    pub fn build(mut self) -> Result<Watcher> {
        let shared_store = self.shared_store();
        let ids = unique_ids(std::mem::take(&mut self.accounts))?;
        self.check(ids.is_empty(), shared_store.is_some())?;
        let runtime = tokio::runtime::Handle::try_current()
            .map_err(|_| Error::config("Watcher::build must be called inside a tokio runtime"))?;
        let start_micros = match self.start_from {
            StartFrom::Now => now_micros(),
            StartFrom::Timestamp(ts) => ts,
            StartFrom::Beginning => 0,
        };
        let settings = Settings {
            poll_interval: self.poll_interval,
            include_outgoing: self.include_outgoing,
            max_concurrency: self.max_concurrency,
            lookback_micros: i64::try_from(self.lookback.as_micros()).unwrap_or(i64::MAX),
            rescan_interval: self.rescan_interval,
            max_backoff: self.max_backoff.max(self.poll_interval),
            max_unacked_per_account: self.max_unacked_per_account,
            start_micros,
            page_size: self.page_size,
            lease_ttl: self.lease_ttl,
            refresh_interval: self.refresh_interval,
        };
        let (sender, receiver) = mpsc::channel(QUEUE_CAPACITY);
        #[cfg(feature = "postgres")]
        if let Some(store) = shared_store {
            let limiter = super::postgres::SharedRateLimiter::new(
                Arc::clone(&store),
                format!("client:{}", self.client.inner.client_id),
                self.max_requests_per_second,
            );
            let lease = Arc::new(super::leased::Lease::new(store, self.source, ids));
            let shared = Arc::new(Shared {
                client: self.client,
                backend: Backend::Postgres(Arc::clone(&lease)),
                limiter: Limiter::Shared(limiter),
                settings,
                slots: Mutex::new(std::collections::HashMap::new()),
            });
            let task = runtime.spawn(super::leased::run(Arc::clone(&shared), lease, sender));
            return Ok(Watcher {
                receiver,
                acker: Acker { shared },
                task,
            });
        }
        let accounts: Vec<Arc<AccountSlot>> = ids
            .into_iter()
            .map(|id| AccountSlot::new(id, None, 0, None))
            .collect();
        let slots = accounts
            .iter()
            .map(|slot| (slot.id.clone(), Arc::clone(slot)))
            .collect();
        let shared = Arc::new(Shared {
            client: self.client,
            backend: Backend::Local(
                self.store
                    .unwrap_or_else(|| Arc::new(MemoryCheckpointStore::new())),
            ),
            limiter: Limiter::Local(RateLimiter::new(self.max_requests_per_second)),
            settings,
            slots: Mutex::new(slots),
        });
        let task = runtime.spawn(poller::run(Arc::clone(&shared), accounts, sender));
        Ok(Watcher {
            receiver,
            acker: Acker { shared },
            task,
        })
    }
}

impl WatcherBuilder {
    /// The PostgreSQL store, when one is configured.
    #[cfg(feature = "postgres")]
    fn shared_store(&self) -> Option<Arc<super::postgres::PgStore>> {
        self.postgres.clone()
    }

    /// Without the `postgres` feature there is no shared store.
    #[cfg(not(feature = "postgres"))]
    fn shared_store(&self) -> Option<()> {
        None
    }
}

/// The current time in microseconds since the Unix epoch (0 if the clock is before it).
fn now_micros() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
}

/// The account ids, each once, in their first order; an empty id is invalid input.
fn unique_ids(accounts: Vec<String>) -> Result<Vec<String>> {
    let mut seen = std::collections::HashSet::new();
    let mut ids = Vec::new();
    for id in accounts {
        if id.trim().is_empty() {
            return Err(Error::invalid_input("an account surrogate id is empty"));
        }
        if seen.insert(id.clone()) {
            ids.push(id);
        }
    }
    Ok(ids)
}
