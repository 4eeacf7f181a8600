//! `Outbox` and `AsyncOutbox` (from `Client.outbox(path)` / `AsyncClient.outbox(path)`) and
//! `OutboxEntry`: core's exactly-once payment outbox, one SQLite file per outbox.
//!
//! Every rule (intent keys, derived instruction ids, conflicts, settling unknown outcomes,
//! what counts as rejected) is core's [`opcorp::outbox`]; this file only converts arguments
//! and entries and runs the calls like the client does (GIL released, or on asyncio).

use std::path::PathBuf;

use futures::FutureExt;
use opcorp::outbox::{ListFilter, Outbox, OutboxEntry, OutboxOrder, Outcome, Receipt, kind_name};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::client::{run_async, run_blocking};
use crate::convert::ToPy;
use crate::errors::IntoPyResult;
use crate::models::to_plain;
use crate::ops::{Call, Core};
use crate::requests::{PyPaymentRequest, PyRefundRequest};
use crate::runtime::ForkGuard;

/// A core outbox and the process it was opened in (its client's connections belong there).
#[derive(Clone)]
pub struct OutboxCore {
    outbox: Outbox,
    guard: ForkGuard,
}

impl OutboxCore {
    /// Opens (creates when missing) the outbox file at `path` for `core`'s client. The file
    /// is opened with the GIL released: SQLite may wait for another process's lock.
    pub fn open(py: Python<'_>, core: &Core, path: PathBuf) -> PyResult<Self> {
        let client = core.client().py()?;
        let outbox = py.detach(|| Outbox::open(client, path)).py()?;
        Ok(OutboxCore {
            outbox,
            guard: core.guard(),
        })
    }

    /// The outbox, unless this process is a fork of the one that opened it.
    fn checked(&self) -> opcorp::Result<Outbox> {
        self.guard.check("Outbox")?;
        Ok(self.outbox.clone())
    }

    fn submit(&self, intent: String, order: OutboxOrder) -> Call<OutboxEntry> {
        match self.checked() {
            Ok(o) => async move { o.submit(&intent, order).await }.boxed(),
            Err(e) => futures::future::ready(Err(e)).boxed(),
        }
    }

    fn drive(&self) -> Call<Vec<OutboxEntry>> {
        match self.checked() {
            Ok(o) => async move { o.drive().await }.boxed(),
            Err(e) => futures::future::ready(Err(e)).boxed(),
        }
    }

    fn list(&self, filter: ListFilter) -> Call<Vec<OutboxEntry>> {
        match self.checked() {
            Ok(o) => async move { o.list(filter).await }.boxed(),
            Err(e) => futures::future::ready(Err(e)).boxed(),
        }
    }

    fn get(&self, intent: String) -> Call<Option<OutboxEntry>> {
        match self.checked() {
            Ok(o) => async move { o.get(&intent).await }.boxed(),
            Err(e) => futures::future::ready(Err(e)).boxed(),
        }
    }
}

/// Generates the outbox class `$ty` whose calls run through `$run`.
macro_rules! outbox_class {
    ($(#[$meta:meta])* $ty:ident($name:literal), $run:ident) => {
        $(#[$meta])*
        #[pyclass(name = $name, module = "opcorp", frozen)]
        pub struct $ty {
            core: OutboxCore,
        }

        impl From<OutboxCore> for $ty {
            fn from(core: OutboxCore) -> Self {
                $ty { core }
            }
        }

        #[pymethods]
        impl $ty {
            /// Pays `payment` (SEPA, or SEPA Instant with `instant=True`) or refunds
            /// `refund` exactly once for `intent` and returns its `OutboxEntry`. A second
            /// submit of the same intent returns the first outcome without paying again;
            /// a different order under it raises `ConflictError`.
            #[pyo3(signature = (intent, *, payment=None, refund=None, instant=false))]
            fn submit<'py>(
                &self,
                py: Python<'py>,
                intent: String,
                payment: Option<PyRef<'_, PyPaymentRequest>>,
                refund: Option<PyRef<'_, PyRefundRequest>>,
                instant: bool,
            ) -> PyResult<Bound<'py, PyAny>> {
                let order = OutboxOrder::from_parts(
                    payment.map(|p| p.inner.clone()),
                    refund.map(|r| r.inner.clone()),
                    instant,
                )
                .py()?;
                $run(py, self.core.submit(intent, order))
            }

            /// Settles every entry whose outcome is unknown (status lookup, identical
            /// resend, or the booked refund found on the account) and returns each as
            /// recorded afterwards (list of `OutboxEntry`, oldest first).
            fn drive<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                $run(py, self.core.drive())
            }

            /// The stored entries, oldest first; with `unsettled=True` only the unknown ones.
            #[pyo3(signature = (*, unsettled=false))]
            fn list<'py>(&self, py: Python<'py>, unsettled: bool) -> PyResult<Bound<'py, PyAny>> {
                let filter = if unsettled { ListFilter::Unsettled } else { ListFilter::All };
                $run(py, self.core.list(filter))
            }

            /// The entry of `intent`, or None.
            fn get<'py>(&self, py: Python<'py>, intent: String) -> PyResult<Bound<'py, PyAny>> {
                $run(py, self.core.get(intent))
            }

            fn __repr__(&self) -> String {
                format!("<opcorp.{}>", $name)
            }
        }
    };
}

outbox_class! {
    /// Exactly-once payments and refunds keyed by the caller's intent (e.g. a CRM event
    /// id), stored durably before the first send. Calls block with the GIL released.
    PyOutbox("Outbox"), run_blocking
}

outbox_class! {
    /// The asyncio twin of `Outbox`: the same methods, returning awaitables.
    PyAsyncOutbox("AsyncOutbox"), run_async
}

/// One intent in the outbox: its operation, attempts and outcome. The signed body is not
/// exposed (it is the caller's own order); nothing here is secret.
#[pyclass(name = "OutboxEntry", module = "opcorp", frozen)]
pub struct PyOutboxEntry {
    inner: OutboxEntry,
}

impl PyOutboxEntry {
    /// The error of a rejected or still unknown entry.
    fn failure(&self) -> Option<&opcorp::outbox::Failure> {
        match &self.inner.outcome {
            Outcome::Rejected(f) | Outcome::Unknown(Some(f)) => Some(f),
            Outcome::Succeeded(_) | Outcome::Unknown(None) => None,
        }
    }

    /// The bank's answer of a succeeded entry.
    fn succeeded(&self) -> Option<&Receipt> {
        match &self.inner.outcome {
            Outcome::Succeeded(receipt) => Some(receipt),
            Outcome::Rejected(_) | Outcome::Unknown(_) => None,
        }
    }
}

#[pymethods]
impl PyOutboxEntry {
    /// The caller's intent key.
    #[getter]
    fn intent(&self) -> &str {
        &self.inner.intent
    }

    /// `"sepa_payment"`, `"sepa_instant_payment"` or `"refund"`.
    #[getter]
    fn kind(&self) -> &'static str {
        kind_name(self.inner.operation.kind)
    }

    /// `"succeeded"`, `"rejected"` (final, nothing booked) or `"unknown"` (`drive()`
    /// settles it).
    #[getter]
    fn state(&self) -> &'static str {
        self.inner.outcome.state()
    }

    /// The `instructionId` of a payment, or the refunded payment's `archiveId`.
    #[getter]
    fn id(&self) -> &str {
        &self.inner.operation.id
    }

    /// How many sends were started.
    #[getter]
    fn attempts(&self) -> u32 {
        self.inner.attempts
    }

    /// When the entry was stored (`datetime`, UTC).
    #[getter]
    fn created_at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        millis(self.inner.created_ms).to_py(py)
    }

    /// When the entry last changed (`datetime`, UTC).
    #[getter]
    fn updated_at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        millis(self.inner.updated_ms).to_py(py)
    }

    /// The archive id of the booked payment or refund (None unless succeeded).
    #[getter]
    fn archive_id(&self) -> Option<&str> {
        self.succeeded().map(Receipt::archive_id)
    }

    /// The bank's answer when succeeded: a `PaymentResponse`, a `RefundResponse`, or the
    /// refund's `Transaction` when it was found on the account after a lost answer.
    #[getter]
    fn receipt<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self.succeeded() {
            Some(Receipt::Payment(p)) => p.as_ref().to_py(py),
            Some(Receipt::Refund(r)) => r.as_ref().to_py(py),
            Some(Receipt::RefundBooking(t)) => t.as_ref().to_py(py),
            None => Ok(py.None().into_bound(py)),
        }
    }

    /// The error code (e.g. `"FORBIDDEN"`, `"UNKNOWN_OUTCOME"`) of a rejected or unknown
    /// entry.
    #[getter]
    fn error_code(&self) -> Option<&'static str> {
        self.failure().map(|f| f.kind.code())
    }

    /// The error message of a rejected or unknown entry.
    #[getter]
    fn error_message(&self) -> Option<&str> {
        self.failure().map(|f| f.message.as_str())
    }

    /// The HTTP status of that error, when the bank answered.
    #[getter]
    fn error_status(&self) -> Option<u16> {
        self.failure().and_then(|f| f.status)
    }

    /// Every field as a plain dict (the receipt as a dict too).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        dict.set_item("intent", self.intent())?;
        dict.set_item("kind", self.kind())?;
        dict.set_item("state", self.state())?;
        dict.set_item("id", self.id())?;
        dict.set_item("attempts", self.attempts())?;
        dict.set_item("created_at", self.created_at(py)?)?;
        dict.set_item("updated_at", self.updated_at(py)?)?;
        dict.set_item("archive_id", self.archive_id())?;
        dict.set_item("receipt", to_plain(py, self.receipt(py)?)?)?;
        dict.set_item("error_code", self.error_code())?;
        dict.set_item("error_message", self.error_message())?;
        dict.set_item("error_status", self.error_status())?;
        Ok(dict)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyOutboxEntry>()
            .map(|o| o.get().inner == self.inner)
            .unwrap_or(false)
    }

    fn __repr__(&self) -> String {
        let mut parts = vec![
            format!("intent={:?}", self.inner.intent),
            format!("kind={:?}", self.kind()),
            format!("state={:?}", self.state()),
            format!("id={:?}", self.inner.operation.id),
            format!("attempts={}", self.inner.attempts),
        ];
        if let Some(archive_id) = self.archive_id() {
            parts.push(format!("archive_id={archive_id:?}"));
        }
        if let Some(code) = self.error_code() {
            parts.push(format!("error_code={code:?}"));
        }
        format!("OutboxEntry({})", parts.join(", "))
    }
}

impl ToPy for OutboxEntry {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(Bound::new(
            py,
            PyOutboxEntry {
                inner: self.clone(),
            },
        )?
        .into_any())
    }
}

/// A stored millisecond timestamp as a `SystemTime` (before the epoch clamps to it).
fn millis(ms: i64) -> std::time::SystemTime {
    let ms = u64::try_from(ms).unwrap_or(0);
    std::time::UNIX_EPOCH + std::time::Duration::from_millis(ms)
}

/// Registers the outbox classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyOutbox>()?;
    m.add_class::<PyAsyncOutbox>()?;
    m.add_class::<PyOutboxEntry>()?;
    Ok(())
}
