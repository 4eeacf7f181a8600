//! The PostgreSQL watch store: any number of watcher processes, on any number of machines,
//! share the watched accounts of a *watch group* with the same delivery contract as one
//! process with a checkpoint file.
//!
//! Each account is one row of `opcorp_watch_account`: its [`AccountCheckpoint`], a lease
//! (owner, expiry), a fencing token, the time its next poll is due and, for a client
//! company's account watched under a Service Provider mandate, the mandate id every call
//! for it acts for. A worker claims due
//! accounts with `SELECT … FOR UPDATE SKIP LOCKED` (workers never wait for each other), keeps
//! them while it renews their leases, and stores every acknowledgement with one `UPDATE` that
//! is conditioned on its lease: same owner, same fencing token, not expired. The token
//! changes whenever an account passes to another owner, so a worker that lost a lease —
//! paused, partitioned or slow — can never move that account's checkpoint again. A crashed
//! worker's accounts are claimed by the others once its leases expire. No advisory locks:
//! everything is row state, so it also works behind a transaction-mode connection pooler.
//!
//! Workers register in `opcorp_watch_worker` and each holds about its fair share
//! (`ceil(accounts / live workers)`): a new or restarted worker gets accounts released by
//! the others. A token bucket row in `opcorp_rate_bucket` paces the bank requests of every
//! process that uses the same client id. The schema ships as versioned SQL
//! ([`PgStore::migrate`]); see `core/README.md`.

mod leases;
mod migrate;
mod rate;
mod tls;

use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Mutex;
use tokio_postgres::config::SslMode;

pub(crate) use leases::Claimed;
pub use leases::{AccountRow, WatchedAccount};
pub use migrate::SCHEMA_VERSION;
pub(crate) use rate::SharedRateLimiter;

use crate::checkpoint::AccountCheckpoint;
use crate::error::{Error, ErrorKind, Result};

/// Default watch group: workers of one group share its accounts.
pub const DEFAULT_GROUP: &str = "default";

/// A connection to the PostgreSQL watch store, for one watch group. Cheap to share (`Arc`);
/// reconnects by itself after the database restarts or the connection drops.
pub struct PgStore {
    config: tokio_postgres::Config,
    tls: tls::MakeRustls,
    group: String,
    client: Mutex<Option<Arc<tokio_postgres::Client>>>,
    /// Whether the schema version was checked on a connection.
    checked: AtomicBool,
    /// Whether the first connection creates or upgrades the schema before checking it.
    migrate_first: bool,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The connection settings hold the password: only the group is shown.
        f.debug_struct("PgStore")
            .field("group", &self.group)
            .finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://user:pass@host:port/db?sslmode=…`, or
    /// key=value form) for watch group `group`, and checks that its schema is the one this
    /// build uses (see [`Self::migrate`]).
    pub async fn connect(url: &str, group: &str) -> Result<Self> {
        Self::connect_with_ca(url, group, None).await
    }

    /// Like [`Self::connect`], also trusting the CA certificates in `ca_pem` for the
    /// database's TLS certificate.
    pub async fn connect_with_ca(url: &str, group: &str, ca_pem: Option<&[u8]>) -> Result<Self> {
        let store = Self::new(url, group, ca_pem)?;
        store.client().await?;
        Ok(store)
    }

    /// Like [`Self::connect_with_ca`] without connecting yet: the first use connects and
    /// checks the schema (for hosts that cannot wait here, e.g. a JS constructor).
    pub fn new(url: &str, group: &str, ca_pem: Option<&[u8]>) -> Result<Self> {
        Self::open(url, group, ca_pem)
    }

    /// Makes the first connection create or upgrade the schema (as [`Self::migrate`]) before
    /// checking it: for hosts that open the store lazily and have no separate init step.
    pub fn with_migration(mut self) -> Self {
        self.migrate_first = true;
        self
    }

    /// Connects (and checks or creates the schema) now rather than on first use.
    pub async fn connect_now(&self) -> Result<()> {
        self.client().await.map(drop)
    }

    /// Creates or upgrades the schema at `url` and returns how many migrations were applied
    /// (0 when it was current). Safe to run from several processes at once.
    pub async fn migrate(url: &str, ca_pem: Option<&[u8]>) -> Result<usize> {
        let store = Self::open(url, DEFAULT_GROUP, ca_pem)?;
        let mut client = store.connect_new().await?;
        migrate::migrate(&mut client).await
    }

    /// Parses the settings without connecting.
    fn open(url: &str, group: &str, ca_pem: Option<&[u8]>) -> Result<Self> {
        if group.trim().is_empty() {
            return Err(Error::invalid_input("the watch group name is empty"));
        }
        // The parser's message never contains the password; the URL itself is not repeated.
        let config = tokio_postgres::Config::from_str(url).map_err(|e| {
            Error::invalid_input(format!("the PostgreSQL connection URL is invalid: {e}"))
        })?;
        Ok(PgStore {
            config,
            tls: tls::MakeRustls::new(ca_pem)?,
            group: group.to_owned(),
            client: Mutex::new(None),
            checked: AtomicBool::new(false),
            migrate_first: false,
        })
    }

    /// The watch group this store serves.
    pub fn group(&self) -> &str {
        &self.group
    }

    /// The shared connection, (re)connecting when there is none or it has closed.
    pub(crate) async fn client(&self) -> Result<Arc<tokio_postgres::Client>> {
        let mut slot = self.client.lock().await;
        if let Some(client) = slot.as_ref().filter(|c| !c.is_closed()) {
            return Ok(Arc::clone(client));
        }
        let mut fresh = self.connect_new().await?;
        if !self.checked.load(Ordering::Acquire) {
            if self.migrate_first {
                migrate::migrate(&mut fresh).await?;
            }
            migrate::check(&fresh).await?;
            self.checked.store(true, Ordering::Release);
        }
        let client = Arc::new(fresh);
        *slot = Some(Arc::clone(&client));
        Ok(client)
    }

    /// Opens a new connection and drives it on the current runtime.
    async fn connect_new(&self) -> Result<tokio_postgres::Client> {
        let (client, task) = if self.config.get_ssl_mode() == SslMode::Disable {
            let (client, connection) = self
                .config
                .connect(tokio_postgres::NoTls)
                .await
                .map_err(|e| db_error("cannot connect to PostgreSQL", e))?;
            (client, tokio::spawn(log_end(connection)))
        } else {
            let (client, connection) = self
                .config
                .connect(self.tls.clone())
                .await
                .map_err(|e| db_error("cannot connect to PostgreSQL", e))?;
            (client, tokio::spawn(log_end(connection)))
        };
        drop(task);
        Ok(client)
    }

    /// Every account row of this group (for operators and tests).
    pub async fn account_rows(&self) -> Result<Vec<AccountRow>> {
        leases::account_rows(self).await
    }

    /// The stored checkpoint of `account`, if any.
    pub async fn checkpoint(&self, account: &str) -> Result<Option<AccountCheckpoint>> {
        Ok(self
            .account_rows()
            .await?
            .into_iter()
            .find(|r| r.account == account)
            .and_then(|r| r.checkpoint))
    }
}

/// Waits for a connection to end and logs why.
async fn log_end<F>(connection: F)
where
    F: std::future::Future<Output = std::result::Result<(), tokio_postgres::Error>>,
{
    if let Err(e) = connection.await {
        tracing::warn!("PostgreSQL connection ended: {e}");
    }
}

/// Maps a driver error: a server-side error is a [`ErrorKind::Config`] error with the
/// server's message (schema, permissions, constraint); anything else (connection refused,
/// closed, TLS) is a retryable [`ErrorKind::Network`] error.
pub(crate) fn db_error(context: &str, e: tokio_postgres::Error) -> Error {
    let kind = if e.as_db_error().is_some() {
        ErrorKind::Config
    } else {
        ErrorKind::Network
    };
    let detail = match e.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => e.to_string(),
    };
    Error::new(kind, format!("{context}: {detail}")).with_source(e)
}

#[cfg(test)]
mod mandate_tests;
#[cfg(test)]
mod tests;
