//! `NativeWatcher` and `NativeDelivery`: real-time payment detection with explicit
//! acknowledgement (at-least-once; once acknowledged, never delivered again), consumed by the
//! JS layer as an async iterator.

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use napi::Env;
use napi::bindgen_prelude::Object;
use napi_derive::napi;
use opcorp::checkpoint::{FileCheckpointStore, MemoryCheckpointStore};
use opcorp::client::Client;
use opcorp::watch::postgres::{DEFAULT_GROUP, PgStore};
use opcorp::watch::{AccountSource, Acker, Delivery, StartFrom, Watcher, WatcherBuilder};
use tokio::sync::{Mutex, watch};

use crate::errors::IntoJsResult;
use crate::input;
use crate::runtime::{self, json, promise, same};

/// Settings of `client.watch(options)`.
#[napi(object)]
pub struct WatchOptions {
    /// Surrogate ids of the accounts to watch.
    pub accounts: Vec<String>,
    /// File that remembers acknowledged transactions across restarts (default: memory).
    pub checkpoint_file: Option<String>,
    /// Where accounts without a checkpoint start: `"now"` (default), `"beginning"` or an ISO
    /// 8601 timestamp with a zone.
    pub start_from: Option<String>,
    /// Pause between polls of one account, in milliseconds.
    pub poll_interval_ms: Option<u32>,
    /// Also deliver outgoing (debit) transactions.
    pub include_outgoing: Option<bool>,
    /// Page size of each poll.
    pub page_size: Option<u32>,
    /// How far back each poll looks for late-registered transactions, in milliseconds.
    pub lookback_ms: Option<u32>,
    /// Request rate cap across all accounts (with a store: across every worker).
    pub max_requests_per_second: Option<f64>,
    /// PostgreSQL store URL: share the accounts with every watcher of `storeGroup`.
    pub store_url: Option<String>,
    /// Watch group in the store (default `"default"`).
    pub store_group: Option<String>,
    /// How long a store lease lasts without renewal, in milliseconds (default 30000).
    pub lease_ttl_ms: Option<u32>,
    /// With a store: `"listed"` (default), `"all"` (every account of the client) or
    /// `"mandates"` (every account of every client company that gave a mandate); the
    /// dynamic ones are re-read while running.
    pub account_source: Option<String>,
    /// With a store: create or upgrade its schema on the first connection.
    pub store_init: Option<bool>,
}

/// A running watcher over one or more accounts.
#[napi]
pub struct NativeWatcher {
    watcher: Arc<Mutex<Option<Watcher>>>,
    acker: Acker,
    closed: watch::Sender<bool>,
}

impl NativeWatcher {
    /// Builds and starts the core watcher on the shared runtime.
    pub fn start(env: &Env, client: Client, options: WatchOptions) -> napi::Result<Self> {
        let watcher = build(client, options).js(env)?;
        Ok(NativeWatcher {
            acker: watcher.acker(),
            watcher: Arc::new(Mutex::new(Some(watcher))),
            closed: watch::channel(false).0,
        })
    }
}

/// Applies the options to a core builder and starts it.
fn build(client: Client, mut o: WatchOptions) -> opcorp::Result<Watcher> {
    let mut builder = Watcher::builder(client)
        .accounts(std::mem::take(&mut o.accounts))
        .include_outgoing(o.include_outgoing.unwrap_or(false));
    builder = match (&o.store_url, &o.checkpoint_file) {
        (Some(_), Some(_)) => {
            return Err(opcorp::Error::invalid_input(
                "use either checkpointFile or storeUrl, not both",
            ));
        }
        (Some(url), None) => with_store(builder, url, &o)?,
        (None, Some(path)) => builder.checkpoint(FileCheckpointStore::open(path)?),
        (None, None) => builder.checkpoint(MemoryCheckpointStore::new()),
    };
    if let Some(ms) = o.lease_ttl_ms {
        builder = builder.lease_ttl(Duration::from_millis(u64::from(ms)));
    }
    if let Some(start) = o.start_from {
        builder = builder.start_from(match start.as_str() {
            "now" => StartFrom::Now,
            "beginning" => StartFrom::Beginning,
            other => {
                let time = input::timestamp("startFrom", other)?;
                let micros = i64::try_from(time.unix_timestamp_nanos() / 1000)
                    .map_err(|_| opcorp::Error::invalid_input("startFrom is out of range"))?;
                StartFrom::Timestamp(micros)
            }
        });
    }
    if let Some(ms) = o.poll_interval_ms {
        builder = builder.poll_interval(Duration::from_millis(u64::from(ms)));
    }
    if let Some(size) = o.page_size {
        builder = builder.page_size(size as usize);
    }
    if let Some(ms) = o.lookback_ms {
        builder = builder.lookback(Duration::from_millis(u64::from(ms)));
    }
    if let Some(rate) = o.max_requests_per_second {
        builder = builder.max_requests_per_second(rate);
    }
    let runtime = runtime::runtime()
        .map_err(|e| opcorp::Error::config(format!("cannot start the watcher: {e}")))?;
    let _entered = runtime.enter();
    builder.build()
}

/// Puts the watcher on the PostgreSQL store at `url`. Connects on first use: connection and
/// schema errors reject `next()`.
fn with_store(
    builder: WatcherBuilder,
    url: &str,
    o: &WatchOptions,
) -> opcorp::Result<WatcherBuilder> {
    let group = o.store_group.as_deref().unwrap_or(DEFAULT_GROUP);
    let mut store = PgStore::new(url, group, None)?;
    if o.store_init.unwrap_or(false) {
        store = store.with_migration();
    }
    let source: AccountSource = o.account_source.as_deref().unwrap_or("listed").parse()?;
    Ok(builder.postgres(Arc::new(store)).account_source(source))
}

#[napi]
impl NativeWatcher {
    /// The next delivery, waiting as long as it takes; rejects once the watcher is closed.
    #[napi(ts_return_type = "Promise<NativeDelivery>")]
    pub fn next<'e>(&self, env: &'e Env) -> napi::Result<Object<'e>> {
        let watcher = Arc::clone(&self.watcher);
        let mut closed = self.closed.subscribe();
        promise(
            env,
            async move {
                let closed_error = || opcorp::Error::invalid_input("the watcher is closed");
                let mut slot = tokio::select! {
                    slot = watcher.lock() => slot,
                    _ = closed.wait_for(|c| *c) => return Err(closed_error()),
                };
                let Some(w) = slot.as_mut() else {
                    return Err(closed_error());
                };
                let delivery = tokio::select! {
                    d = w.next() => d?,
                    _ = closed.wait_for(|c| *c) => return Err(closed_error()),
                };
                let transaction = json(&delivery.transaction)?;
                Ok(NativeDelivery {
                    inner: delivery,
                    transaction,
                })
            },
            same,
        )
    }

    /// Acknowledges a handled delivery; resolves once its checkpoint is stored.
    #[napi(ts_return_type = "Promise<void>")]
    pub fn ack<'e>(&self, env: &'e Env, delivery: &NativeDelivery) -> napi::Result<Object<'e>> {
        let acker = self.acker.clone();
        let delivery = delivery.inner.clone();
        promise(env, async move { acker.ack(&delivery).await }, same)
    }

    /// Stops polling. A pending `next()` rejects; acknowledgements still work.
    #[napi]
    pub fn close(&self) -> napi::Result<()> {
        self.closed.send_replace(true);
        let watcher = Arc::clone(&self.watcher);
        runtime::runtime()?.spawn(async move {
            watcher.lock().await.take();
        });
        Ok(())
    }
}

/// One new transaction found by a watcher; hand it back to `ack` once handled.
#[napi]
pub struct NativeDelivery {
    inner: Delivery,
    transaction: String,
}

#[napi]
impl NativeDelivery {
    /// The account (surrogate id) it was found on.
    #[napi(getter)]
    pub fn account(&self) -> String {
        self.inner.account.clone()
    }

    /// The mandate the account is watched under (`accountSource: "mandates"`), or null.
    #[napi(getter)]
    pub fn mandate(&self) -> Option<String> {
        self.inner.mandate.clone()
    }

    /// The transaction's `objectId`.
    #[napi(getter)]
    pub fn object_id(&self) -> String {
        self.inner.object_id().to_owned()
    }

    /// The transaction as JSON text.
    #[napi(getter)]
    pub fn transaction_json(&self) -> String {
        self.transaction.clone()
    }

    /// When the watcher found it, milliseconds since the epoch.
    #[napi(getter)]
    pub fn detected_at_ms(&self) -> f64 {
        self.inner
            .detected_at
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs_f64() * 1000.0)
            .unwrap_or(0.0)
    }
}
