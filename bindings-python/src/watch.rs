//! `Watcher` and `Delivery`: real-time payment detection as a Python iterator / async
//! iterator with explicit acknowledgement (at-least-once; once acknowledged, never again).

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use opcorp::checkpoint::{FileCheckpointStore, MemoryCheckpointStore};
use opcorp::watch::postgres::{DEFAULT_GROUP, PgStore};
use opcorp::watch::{AccountSource, Acker, Delivery, StartFrom, Watcher};
use pyo3::prelude::*;
use tokio::sync::Mutex;

use crate::aio;
use crate::convert::{ToPy, datetime_arg};
use crate::errors::{IntoPyResult, to_py};
use crate::models::PyTransaction;
use crate::ops::Core;
use crate::runtime::{self, ForkGuard};

/// Watch settings from keyword arguments.
pub struct WatchOptions {
    accounts: Vec<String>,
    checkpoint_file: Option<PathBuf>,
    start_from: Option<StartFrom>,
    poll_interval: Option<Duration>,
    include_outgoing: bool,
    page_size: Option<usize>,
    lookback: Option<Duration>,
    max_requests_per_second: Option<f64>,
    store: Option<StoreOptions>,
}

/// The PostgreSQL store settings of `Client.watch`.
pub struct StoreOptions {
    url: String,
    group: String,
    lease_ttl: Option<Duration>,
    source: AccountSource,
    init: bool,
}

/// Seconds as a positive duration, or an INVALID_INPUT error naming the setting.
fn seconds(name: &str, value: Option<f64>) -> PyResult<Option<Duration>> {
    value
        .map(|s| {
            Duration::try_from_secs_f64(s).map_err(|_| {
                to_py(opcorp::Error::invalid_input(format!(
                    "{name} must be a non-negative number of seconds, got {s}"
                )))
            })
        })
        .transpose()
}

impl WatchOptions {
    /// Reads and checks the keyword arguments of `Client.watch`.
    #[allow(clippy::too_many_arguments)]
    pub fn parse(
        accounts: Vec<String>,
        checkpoint_file: Option<PathBuf>,
        start_from: Option<&Bound<'_, PyAny>>,
        poll_interval: Option<f64>,
        include_outgoing: bool,
        page_size: Option<usize>,
        lookback: Option<f64>,
        max_requests_per_second: Option<f64>,
    ) -> PyResult<Self> {
        let start_from = match start_from {
            None => None,
            Some(v) => Some(match v.extract::<String>().ok().as_deref() {
                Some("now") => StartFrom::Now,
                Some("beginning") => StartFrom::Beginning,
                Some(other) => {
                    return Err(to_py(opcorp::Error::invalid_input(format!(
                        "start_from must be \"now\", \"beginning\" or an aware datetime, got {other:?}"
                    ))));
                }
                None => {
                    let time = datetime_arg("start_from", v)?;
                    let micros =
                        i64::try_from(time.unix_timestamp_nanos() / 1000).map_err(|_| {
                            to_py(opcorp::Error::invalid_input("start_from is out of range"))
                        })?;
                    StartFrom::Timestamp(micros)
                }
            }),
        };
        Ok(WatchOptions {
            accounts,
            checkpoint_file,
            start_from,
            poll_interval: seconds("poll_interval", poll_interval)?,
            include_outgoing,
            page_size,
            lookback: seconds("lookback", lookback)?,
            max_requests_per_second,
            store: None,
        })
    }

    /// Adds the PostgreSQL store settings; they need `store_url`.
    pub fn with_store(
        mut self,
        url: Option<String>,
        group: Option<String>,
        lease_ttl: Option<f64>,
        account_source: Option<String>,
        init: bool,
    ) -> PyResult<Self> {
        let Some(url) = url else {
            if group.is_some() || lease_ttl.is_some() || account_source.is_some() || init {
                return Err(to_py(opcorp::Error::invalid_input(
                    "store_group, lease_ttl, account_source and store_init need store_url",
                )));
            }
            return Ok(self);
        };
        if self.checkpoint_file.is_some() {
            return Err(to_py(opcorp::Error::invalid_input(
                "use either checkpoint_file or store_url, not both",
            )));
        }
        self.store = Some(StoreOptions {
            url,
            group: group.unwrap_or_else(|| DEFAULT_GROUP.to_owned()),
            lease_ttl: seconds("lease_ttl", lease_ttl)?,
            source: account_source.as_deref().unwrap_or("listed").parse().py()?,
            init,
        });
        Ok(self)
    }
}

/// A watcher over one or more accounts. Iterate (`for d in w` or `async for d in w`) to get
/// `Delivery` objects; call `ack(d)` (or `await ack_async(d)`) once each is handled. Until
/// acknowledged, a restarted watcher with the same `checkpoint_file` delivers it again.
#[pyclass(name = "Watcher", module = "opcorp", frozen)]
pub struct PyWatcher {
    watcher: Arc<Mutex<Option<Watcher>>>,
    acker: Acker,
    guard: ForkGuard,
}

impl PyWatcher {
    /// Builds and starts the core watcher on the shared runtime.
    pub fn start(py: Python<'_>, core: &Core, options: WatchOptions) -> PyResult<Self> {
        let client = core.client().py()?;
        let mut builder = Watcher::builder(client)
            .accounts(options.accounts)
            .include_outgoing(options.include_outgoing);
        if let Some(store) = options.store {
            let mut pg = PgStore::new(&store.url, &store.group, None).py()?;
            if store.init {
                pg = pg.with_migration();
            }
            let pg = Arc::new(pg);
            let connecting = Arc::clone(&pg);
            // Connects now, so that a bad URL or schema fails here rather than in next().
            runtime::block_on(py, async move { connecting.connect_now().await })?.py()?;
            builder = builder.postgres(pg).account_source(store.source);
            if let Some(ttl) = store.lease_ttl {
                builder = builder.lease_ttl(ttl);
            }
        } else if let Some(path) = options.checkpoint_file {
            builder = builder.checkpoint(FileCheckpointStore::open(path).py()?);
        } else {
            builder = builder.checkpoint(MemoryCheckpointStore::new());
        }
        if let Some(start) = options.start_from {
            builder = builder.start_from(start);
        }
        if let Some(interval) = options.poll_interval {
            builder = builder.poll_interval(interval);
        }
        if let Some(size) = options.page_size {
            builder = builder.page_size(size);
        }
        if let Some(window) = options.lookback {
            builder = builder.lookback(window);
        }
        if let Some(rate) = options.max_requests_per_second {
            builder = builder.max_requests_per_second(rate);
        }
        let _entered = runtime::runtime()?.enter();
        let watcher = builder.build().py()?;
        Ok(PyWatcher {
            acker: watcher.acker(),
            watcher: Arc::new(Mutex::new(Some(watcher))),
            guard: core.guard(),
        })
    }

    /// The next delivery, waiting as long as it takes.
    async fn next_delivery(watcher: Arc<Mutex<Option<Watcher>>>) -> opcorp::Result<Delivery> {
        let mut slot = watcher.lock().await;
        match slot.as_mut() {
            Some(w) => w.next().await,
            None => Err(opcorp::Error::invalid_input("the watcher is closed")),
        }
    }
}

#[pymethods]
impl PyWatcher {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<PyDelivery> {
        self.guard.check("Watcher").py()?;
        let delivery =
            runtime::block_on(py, Self::next_delivery(Arc::clone(&self.watcher)))?.py()?;
        Ok(PyDelivery { inner: delivery })
    }

    /// The next delivery, waiting at most `timeout` seconds (`None` when none came).
    #[pyo3(signature = (timeout=None))]
    fn next(&self, py: Python<'_>, timeout: Option<f64>) -> PyResult<Option<PyDelivery>> {
        self.guard.check("Watcher").py()?;
        let watcher = Arc::clone(&self.watcher);
        let limit = timeout.map(Duration::from_secs_f64);
        let got = runtime::block_on(py, async move {
            match limit {
                None => Self::next_delivery(watcher).await.map(Some),
                Some(limit) => {
                    match tokio::time::timeout(limit, Self::next_delivery(watcher)).await {
                        Ok(result) => result.map(Some),
                        Err(_) => Ok(None),
                    }
                }
            }
        })?
        .py()?;
        Ok(got.map(|inner| PyDelivery { inner }))
    }

    fn __aiter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __anext__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.guard.check("Watcher").py()?;
        aio::future_into_py(py, Self::next_delivery(Arc::clone(&self.watcher)))
    }

    /// Acknowledges a handled delivery; returns once its checkpoint is stored.
    fn ack(&self, py: Python<'_>, delivery: &PyDelivery) -> PyResult<()> {
        self.guard.check("Watcher").py()?;
        let acker = self.acker.clone();
        let delivery = delivery.inner.clone();
        runtime::block_on(py, async move { acker.ack(&delivery).await })?.py()
    }

    /// The awaitable form of `ack`.
    fn ack_async<'py>(
        &self,
        py: Python<'py>,
        delivery: &PyDelivery,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.guard.check("Watcher").py()?;
        let acker = self.acker.clone();
        let delivery = delivery.inner.clone();
        aio::future_into_py(py, async move { acker.ack(&delivery).await.map(|()| Unit) })
    }

    /// Stops polling. Pending `next` calls fail; acknowledgements still work.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let watcher = Arc::clone(&self.watcher);
        runtime::block_on(py, async move {
            watcher.lock().await.take();
        })
    }
}

/// `None` as an async result.
struct Unit;

impl ToPy for Unit {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(py.None().into_bound(py))
    }
}

impl ToPy for Delivery {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(
            py,
            PyDelivery {
                inner: self.clone(),
            },
        )?
        .into_any())
    }
}

/// One new transaction found by a `Watcher`; hand it back to `Watcher.ack` once handled.
#[pyclass(name = "Delivery", module = "opcorp", frozen)]
pub struct PyDelivery {
    inner: Delivery,
}

#[pymethods]
impl PyDelivery {
    /// The account (surrogate id) it was found on.
    #[getter]
    fn account(&self) -> &str {
        &self.inner.account
    }

    /// The mandate the account is watched under (`account_source="mandates"`): which client
    /// company it belongs to; `None` for the client's own accounts.
    #[getter]
    fn mandate(&self) -> Option<&str> {
        self.inner.mandate.as_deref()
    }

    /// The transaction.
    #[getter]
    fn transaction(&self) -> PyTransaction {
        PyTransaction {
            inner: self.inner.transaction.clone(),
        }
    }

    /// The transaction's `objectId`.
    #[getter]
    fn object_id(&self) -> &str {
        self.inner.object_id()
    }

    /// When the watcher found it (aware UTC `datetime`).
    #[getter]
    fn detected_at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.inner.detected_at.to_py(py)
    }

    fn __repr__(&self) -> String {
        format!(
            "Delivery(account={:?}, object_id={:?}, amount={})",
            self.inner.account,
            self.inner.object_id(),
            self.inner.transaction.amount
        )
    }
}
