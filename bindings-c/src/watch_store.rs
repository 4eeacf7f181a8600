//! The PostgreSQL store settings of a watcher config: several processes share the accounts
//! of a watch group under leases with fencing tokens (core's `watch::postgres`).

use std::ffi::c_char;
use std::sync::Arc;
use std::time::Duration;

use opcorp::Error;
use opcorp::watch::postgres::{DEFAULT_GROUP, PgStore};
use opcorp::watch::{AccountSource, WatcherBuilder};

use crate::status::opcorp_status;
use crate::strings;
use crate::watch::{opcorp_watcher_config, update};

/// The store part of an `opcorp_watcher_config` (unset: local checkpoint file or memory).
#[derive(Default)]
pub(crate) struct StoreConfig {
    url: Option<String>,
    group: Option<String>,
    lease_ttl: Option<Duration>,
    source: AccountSource,
    init: bool,
}

impl StoreConfig {
    /// Whether a store URL was given.
    pub(crate) fn is_set(&self) -> bool {
        self.url.is_some()
    }

    /// Puts `builder` on the store (connected on first use: connection and schema errors
    /// are returned by opcorp_watcher_next).
    pub(crate) fn apply(&self, builder: WatcherBuilder) -> Result<WatcherBuilder, Error> {
        let Some(url) = &self.url else {
            return Ok(builder);
        };
        let mut store = PgStore::new(url, self.group.as_deref().unwrap_or(DEFAULT_GROUP), None)?;
        if self.init {
            store = store.with_migration();
        }
        let mut builder = builder
            .postgres(Arc::new(store))
            .account_source(self.source);
        if let Some(ttl) = self.lease_ttl {
            builder = builder.lease_ttl(ttl);
        }
        Ok(builder)
    }
}

/// Shares the accounts with every watcher of watch group `group` (NULL: "default") through
/// the PostgreSQL store at `url` (postgres://…): leases with fencing tokens, so several
/// processes never both acknowledge an account. Replaces a checkpoint file. The store is
/// connected on first use; connection or schema errors are returned by opcorp_watcher_next.
///
/// # Safety
/// `config` must be NULL or live; `url` NULL or NUL-terminated; `group` NULL or
/// NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_watcher_config_set_store(
    config: *mut opcorp_watcher_config,
    url: *const c_char,
    group: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    let url = unsafe { strings::arg(url, "url") };
    // SAFETY: forwarded from the caller.
    let group = unsafe { strings::opt_arg(group, "group") };
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |c| {
            c.store.url = Some(url?.to_owned());
            c.store.group = group?.map(str::to_owned);
            Ok(())
        })
    }
}

/// Sets how long a store lease lasts without renewal, in milliseconds (default 30000): the
/// time until a crashed worker's accounts are taken over.
///
/// # Safety
/// `config` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_watcher_config_set_lease_ttl_ms(
    config: *mut opcorp_watcher_config,
    millis: u64,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |c| {
            c.store.lease_ttl = Some(Duration::from_millis(millis));
            Ok(())
        })
    }
}

/// With a store: which accounts are watched, "listed" (the added ones, the default),
/// "all" (every account of the client) or "mandates" (every account of every client
/// company that gave a mandate; deliveries name it: opcorp_delivery_mandate); the dynamic
/// ones are re-read while running. OPCORP_INVALID_INPUT for another name.
///
/// # Safety
/// `config` must be NULL or live; `source` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_watcher_config_set_account_source(
    config: *mut opcorp_watcher_config,
    source: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    let source = unsafe { strings::arg(source, "source") };
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |c| {
            c.store.source = source?.parse()?;
            Ok(())
        })
    }
}

/// With a store: whether the first connection creates or upgrades its schema (default
/// false: a database without the schema is an OPCORP_CONFIG error from opcorp_watcher_next).
///
/// # Safety
/// `config` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_watcher_config_set_store_init(
    config: *mut opcorp_watcher_config,
    init: bool,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |c| {
            c.store.init = init;
            Ok(())
        })
    }
}
