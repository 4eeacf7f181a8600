//! Real-time payment detection: a watcher polls accounts in the background and hands out
//! each new transaction once; the caller acknowledges it when handled.

use std::ffi::{CString, c_char};
use std::time::Duration;

use opcorp::Error;
use opcorp::checkpoint::FileCheckpointStore;
use opcorp::watch::{Delivery, StartFrom, Watcher};

use crate::record::{self, opcorp_record};
use crate::status::opcorp_status;
use crate::{client, client::opcorp_client, guard, runtime, strings};

/// Settings of a watcher. Only accounts are required; every other setting has a default.
///
/// Ownership: free with opcorp_watcher_config_free. Thread-safety: not thread-safe.
#[derive(Default)]
pub struct opcorp_watcher_config {
    accounts: Vec<String>,
    poll_interval: Option<Duration>,
    lookback: Option<Duration>,
    include_outgoing: bool,
    start_from: StartFrom,
    checkpoint_file: Option<String>,
    max_requests_per_second: Option<f64>,
    pub(crate) store: crate::watch_store::StoreConfig,
}

/// A running watcher: polls its accounts on the library's background runtime and queues
/// new transactions for opcorp_watcher_next. Until a delivery is acknowledged, a restarted
/// watcher with the same checkpoint file delivers it again (at-least-once).
///
/// Ownership: free with opcorp_watcher_free (stops polling). Thread-safety: not
/// thread-safe; call next and ack from one thread at a time.
pub struct opcorp_watcher {
    inner: Watcher,
}

/// One new transaction found by a watcher.
///
/// Ownership: free with opcorp_delivery_free (after acknowledging it). Thread-safety:
/// immutable; may be read from several threads at once.
pub struct opcorp_delivery {
    inner: Delivery,
    account: CString,
    mandate: Option<CString>,
    transaction: opcorp_record,
}

/// Creates an empty watcher config.
///
/// Ownership: *out is owned by the caller; free it with opcorp_watcher_config_free.
///
/// # Safety
/// `out` must be NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_watcher_config_new(
    out: *mut *mut opcorp_watcher_config,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        *slot = guard::into_handle(opcorp_watcher_config::default());
        Ok(())
    })
}

/// Applies a change to a watcher config.
///
/// # Safety
/// `config` must be NULL or live and unshared.
pub(crate) unsafe fn update(
    config: *mut opcorp_watcher_config,
    change: impl FnOnce(&mut opcorp_watcher_config) -> Result<(), Error>,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        change(unsafe { guard::handle_mut(config, "config") }?)
    })
}

/// Adds an account to watch, by surrogate id (repeats are ignored).
///
/// # Safety
/// `config` must be NULL or live; `surrogate_id` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_watcher_config_add_account(
    config: *mut opcorp_watcher_config,
    surrogate_id: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    let id = unsafe { strings::arg(surrogate_id, "surrogate_id") };
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |c| {
            c.accounts.push(id?.to_owned());
            Ok(())
        })
    }
}

/// Sets the time between two polls of one account in milliseconds (default 3000).
///
/// # Safety
/// `config` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_watcher_config_set_poll_interval_ms(
    config: *mut opcorp_watcher_config,
    millis: u64,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |c| {
            c.poll_interval = Some(Duration::from_millis(millis));
            Ok(())
        })
    }
}

/// Sets how late a transaction may appear and still be delivered, in milliseconds
/// (default 15 minutes).
///
/// # Safety
/// `config` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_watcher_config_set_lookback_ms(
    config: *mut opcorp_watcher_config,
    millis: u64,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |c| {
            c.lookback = Some(Duration::from_millis(millis));
            Ok(())
        })
    }
}

/// Also delivers outgoing transactions (by default only incoming ones).
///
/// # Safety
/// `config` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_watcher_config_set_include_outgoing(
    config: *mut opcorp_watcher_config,
    include: bool,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |c| {
            c.include_outgoing = include;
            Ok(())
        })
    }
}

/// For accounts without a checkpoint: start with every transaction the bank still lists
/// (default: only transactions registered from when the watcher starts).
///
/// # Safety
/// `config` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_watcher_config_start_from_beginning(
    config: *mut opcorp_watcher_config,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |c| {
            c.start_from = StartFrom::Beginning;
            Ok(())
        })
    }
}

/// For accounts without a checkpoint: start at transactions registered at or after this
/// time (microseconds since the Unix epoch).
///
/// # Safety
/// `config` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_watcher_config_start_from_timestamp(
    config: *mut opcorp_watcher_config,
    micros: i64,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |c| {
            c.start_from = StartFrom::Timestamp(micros);
            Ok(())
        })
    }
}

/// Stores acknowledgements in this file so that a restarted watcher neither loses nor
/// repeats a transaction (default: in memory only). One process at a time per file.
///
/// # Safety
/// `config` must be NULL or live; `path` NULL or NUL-terminated.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_watcher_config_set_checkpoint_file(
    config: *mut opcorp_watcher_config,
    path: *const c_char,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    let path = unsafe { strings::arg(path, "path") };
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |c| {
            c.checkpoint_file = Some(path?.to_owned());
            Ok(())
        })
    }
}

/// Caps the requests per second shared by all watched accounts (default 10).
///
/// # Safety
/// `config` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_watcher_config_set_max_requests_per_second(
    config: *mut opcorp_watcher_config,
    rate: f64,
) -> opcorp_status {
    // SAFETY: forwarded from the caller.
    unsafe {
        update(config, |c| {
            c.max_requests_per_second = Some(rate);
            Ok(())
        })
    }
}

/// Frees a watcher config. NULL is ignored.
///
/// # Safety
/// `config` must be NULL or owned, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_watcher_config_free(config: *mut opcorp_watcher_config) {
    // SAFETY: forwarded from the caller.
    guard::infallible((), || unsafe { guard::free_handle(config) });
}

/// Starts a watcher over `client` with `config` (not consumed). OPCORP_INVALID_INPUT for no
/// accounts or a zero interval, OPCORP_CONFIG for an unusable checkpoint file.
///
/// Ownership: *out is owned by the caller; free it with opcorp_watcher_free.
///
/// # Safety
/// Pointers must be NULL or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_watcher_new(
    client: *const opcorp_client,
    config: *const opcorp_watcher_config,
    out: *mut *mut opcorp_watcher,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let client = unsafe { client::get(client) }?;
        // SAFETY: forwarded from the caller.
        let config = unsafe { guard::handle(config, "config") }?;
        let mut builder = Watcher::builder(client.clone())
            .accounts(config.accounts.iter().cloned())
            .include_outgoing(config.include_outgoing)
            .start_from(config.start_from);
        if let Some(interval) = config.poll_interval {
            builder = builder.poll_interval(interval);
        }
        if let Some(lookback) = config.lookback {
            builder = builder.lookback(lookback);
        }
        if let Some(rate) = config.max_requests_per_second {
            builder = builder.max_requests_per_second(rate);
        }
        if config.store.is_set() {
            builder = config.store.apply(builder)?;
        } else if let Some(path) = &config.checkpoint_file {
            builder = builder.checkpoint(FileCheckpointStore::open(path)?);
        }
        let _context = runtime::get()?.enter();
        *slot = guard::into_handle(opcorp_watcher {
            inner: builder.build()?,
        });
        Ok(())
    })
}

/// Waits up to `timeout_ms` milliseconds (negative: without limit) for the next new
/// transaction. On OPCORP_OK *out is the delivery, or NULL when the time ran out. An error
/// (authentication, forbidden or unknown account, checkpoint store) is reported once per
/// occurrence and the watcher keeps going: log it and call again.
///
/// Ownership: *out is owned by the caller; acknowledge it with opcorp_watcher_ack, then
/// free it with opcorp_delivery_free.
///
/// # Safety
/// Pointers must be NULL or valid; the watcher must not be used by another thread meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_watcher_next(
    watcher: *mut opcorp_watcher,
    timeout_ms: i64,
    out: *mut *mut opcorp_delivery,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let slot = unsafe { guard::out(out, "out") }?;
        // SAFETY: forwarded from the caller.
        let watcher = &mut unsafe { guard::handle_mut(watcher, "watcher") }?.inner;
        let wait = u64::try_from(timeout_ms).ok().map(Duration::from_millis);
        // The timer is created inside the runtime (it needs its reactor).
        let next = runtime::block_on(async {
            match wait {
                Some(limit) => tokio::time::timeout(limit, watcher.next()).await.ok(),
                None => Some(watcher.next().await),
            }
        })?;
        let Some(delivery) = next else {
            return Ok(());
        };
        let delivery = delivery?;
        let transaction = record::from_model(&delivery.transaction)?;
        let account = CString::new(delivery.account.clone())
            .map_err(|_| Error::decode("account id contains a NUL character"))?;
        let mandate = delivery
            .mandate
            .clone()
            .map(CString::new)
            .transpose()
            .map_err(|_| Error::decode("mandate id contains a NUL character"))?;
        *slot = guard::into_handle(opcorp_delivery {
            inner: delivery,
            account,
            mandate,
            transaction,
        });
        Ok(())
    })
}

/// Acknowledges a delivery once it is handled (e.g. the order is marked paid): it is never
/// delivered again, also not after a restart. Returns once the checkpoint is stored.
/// Acknowledging twice is harmless.
///
/// # Safety
/// Pointers must be NULL or valid; the watcher must not be used by another thread meanwhile.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_watcher_ack(
    watcher: *mut opcorp_watcher,
    delivery: *const opcorp_delivery,
) -> opcorp_status {
    guard::call(|| {
        // SAFETY: forwarded from the caller.
        let watcher = &unsafe { guard::handle_mut(watcher, "watcher") }?.inner;
        // SAFETY: forwarded from the caller.
        let delivery = &unsafe { guard::handle(delivery, "delivery") }?.inner;
        runtime::block_on(watcher.ack(delivery))?
    })
}

/// Stops a watcher and frees it. NULL is ignored. Unacknowledged deliveries are delivered
/// again by the next watcher on the same checkpoint file.
///
/// # Safety
/// `watcher` must be NULL or owned, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_watcher_free(watcher: *mut opcorp_watcher) {
    guard::infallible((), || {
        let _context = runtime::existing().map(|rt| rt.enter());
        // SAFETY: forwarded from the caller.
        unsafe { guard::free_handle(watcher) }
    });
}

/// The surrogate id of the account the delivered transaction belongs to (NULL for NULL).
///
/// Ownership: borrowed; valid until the delivery is freed.
///
/// # Safety
/// `delivery` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_delivery_account(
    delivery: *const opcorp_delivery,
) -> *const c_char {
    guard::infallible(std::ptr::null(), || {
        // SAFETY: forwarded from the caller.
        unsafe { delivery.as_ref() }.map_or(std::ptr::null(), |d| d.account.as_ptr())
    })
}

/// The mandate the delivery's account is watched under (account source "mandates"): which
/// client company it belongs to. NULL for the client's own accounts and for NULL.
///
/// Ownership: borrowed; valid until the delivery is freed.
///
/// # Safety
/// `delivery` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_delivery_mandate(
    delivery: *const opcorp_delivery,
) -> *const c_char {
    guard::infallible(std::ptr::null(), || {
        // SAFETY: forwarded from the caller.
        unsafe { delivery.as_ref() }
            .and_then(|d| d.mandate.as_ref())
            .map_or(std::ptr::null(), |m| m.as_ptr())
    })
}

/// The delivered transaction, a record as from opcorp_transactions_next (NULL for NULL).
///
/// Ownership: borrowed; valid until the delivery is freed. Do not free it.
///
/// # Safety
/// `delivery` must be NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_delivery_transaction(
    delivery: *const opcorp_delivery,
) -> *const opcorp_record {
    guard::infallible(std::ptr::null(), || {
        // SAFETY: forwarded from the caller.
        unsafe { delivery.as_ref() }
            .map_or(std::ptr::null(), |d| &d.transaction as *const opcorp_record)
    })
}

/// Frees a delivery. NULL is ignored.
///
/// # Safety
/// `delivery` must be NULL or owned, not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn opcorp_delivery_free(delivery: *mut opcorp_delivery) {
    // SAFETY: forwarded from the caller.
    guard::infallible((), || unsafe { guard::free_handle(delivery) });
}
