//! Reconciliation from Python: open items and payments in (dicts, objects or
//! `Transaction`s), a report out with `Decimal` amounts and `date` dates.

use opcorp::Amount;
use opcorp::domain::reference::Reference;
use std::sync::Arc;

use opcorp::reconcile::{
    DEFAULT_CURRENCY, FieldKind, ITEM_KEYS, ItemField, ItemReport, ItemReports, ItemStatus,
    OpenItem, Payment, ReconcileRun, Reconciler, Report, field_kind,
};
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PySlice, PyString};
use serde_json::Value;

use crate::convert::{ToPy, amount_arg, date_arg};
use crate::errors::{IntoPyResult, to_py};
use crate::gc_pause::GcPause;
use crate::models::PyTransaction;

/// A field of a dict (by key) or of any other object (by attribute); `None` when absent.
/// `name` is an interned Python string: a million items look up the same few keys, and
/// making a new key string for each lookup was a large part of the conversion.
fn field<'py>(
    obj: &Bound<'py, PyAny>,
    name: &Bound<'py, PyString>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let value = if let Ok(dict) = obj.cast::<PyDict>() {
        dict.get_item(name)?
    } else {
        obj.getattr(name).ok()
    };
    Ok(value.filter(|v| !v.is_none()))
}

/// A required field, or an INVALID_INPUT error naming it. `what` names the record and is
/// only called on failure: formatting it for every one of a million records showed up in
/// the profile.
fn required<'py>(
    obj: &Bound<'py, PyAny>,
    what: impl Fn() -> String,
    name: &Bound<'py, PyString>,
) -> PyResult<Bound<'py, PyAny>> {
    field(obj, name)?.ok_or_else(|| {
        to_py(opcorp::Error::invalid_input(format!(
            "{} has no {}",
            what(),
            name.to_string_lossy()
        )))
    })
}

/// A text field as a Rust string.
fn text(value: &Bound<'_, PyAny>) -> PyResult<String> {
    match value.cast::<PyString>() {
        Ok(s) => Ok(s.to_cow()?.into_owned()),
        Err(_) => value.extract(),
    }
}

/// The required `id` of an item or payment, as text (`str()` of whatever it is).
fn id_of(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    Ok(required(obj, || what.to_owned(), intern!(obj.py(), "id"))?
        .str()?
        .to_cow()?
        .into_owned())
}

/// The optional `currency` of an item or payment, EUR when absent.
fn currency_of(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    match field(obj, intern!(obj.py(), "currency"))? {
        Some(c) => text(&c),
        None => Ok(DEFAULT_CURRENCY.to_owned()),
    }
}

/// An open item from a dict or object with `id`, `reference`, `amount`, `currency` and an
/// optional `due_date`.
fn open_item(obj: &Bound<'_, PyAny>) -> PyResult<OpenItem> {
    let py = obj.py();
    let id = id_of(obj, "an open item")?;
    let what = || format!("open item {id:?}");
    let reference = text(&required(obj, what, intern!(py, "reference"))?)?;
    let amount = required(obj, what, intern!(py, "amount"))?;
    Ok(OpenItem {
        reference: Reference::parse(&reference)
            .map_err(|e| opcorp::Error::invalid_input(format!("{}: {}", what(), e.message())))
            .py()?,
        amount: amount_arg_lazy(&amount, || format!("{} amount", what()))?,
        currency: currency_of(obj)?,
        due_date: field(obj, intern!(py, "due_date"))?
            .map(|d| date_arg("due_date", &d))
            .transpose()?,
        id,
    })
}

/// An amount argument, the error's field name built only on failure.
fn amount_arg_lazy(value: &Bound<'_, PyAny>, name: impl Fn() -> String) -> PyResult<Amount> {
    if let Ok(s) = value.cast::<PyString>()
        && let Ok(amount) = s.to_cow()?.parse::<Amount>()
    {
        return Ok(amount);
    }
    amount_arg(&name(), value)
}

/// A payment from a `Transaction` (archive id, any reference, debtor name) or from a dict or
/// object with `id`, `amount`, optional `reference`, `currency`, `booking_date`,
/// `payer_name`.
fn payment(obj: &Bound<'_, PyAny>) -> PyResult<Payment> {
    if let Ok(tx) = obj.cast::<PyTransaction>() {
        return Ok(Payment::from(&tx.get().inner));
    }
    let py = obj.py();
    let id = id_of(obj, "a payment")?;
    let what = || format!("payment {id:?}");
    let amount = required(obj, what, intern!(py, "amount"))?;
    Ok(Payment {
        reference: field(obj, intern!(py, "reference"))?
            .map(|r| text(&r))
            .transpose()?,
        amount: amount_arg_lazy(&amount, || format!("{} amount", what()))?,
        currency: currency_of(obj)?,
        booking_date: field(obj, intern!(py, "booking_date"))?
            .map(|d| date_arg("booking_date", &d))
            .transpose()?,
        payer_name: field(obj, intern!(py, "payer_name"))?
            .map(|n| text(&n))
            .transpose()?,
        id,
    })
}

/// Open items from any iterable, converted one at a time (a generator's dicts are freed as
/// they are read).
fn open_items(items: &Bound<'_, PyAny>) -> PyResult<Vec<OpenItem>> {
    let mut out = Vec::with_capacity(items.len().unwrap_or(0));
    for item in items.try_iter()? {
        out.push(open_item(&item?)?);
    }
    Ok(out)
}

/// Payments converted per batch: each batch is pushed with the GIL released, so neither
/// every payment nor every Python object is held at once.
const PUSH_BATCH: usize = 4096;

/// Pushes every payment of an iterable.
fn push_all(
    py: Python<'_>,
    reconciler: &mut Reconciler,
    payments: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let mut batch = Vec::with_capacity(PUSH_BATCH);
    for obj in payments.try_iter()? {
        batch.push(payment(&obj?)?);
        if batch.len() == PUSH_BATCH {
            py.detach(|| absorb(reconciler, &mut batch));
        }
    }
    py.detach(|| absorb(reconciler, &mut batch));
    Ok(())
}

/// Matches and empties a batch without building events (the report has every outcome).
fn absorb(reconciler: &mut Reconciler, batch: &mut Vec<Payment>) {
    for payment in batch.drain(..) {
        reconciler.absorb(payment.borrowed());
    }
}

/// Core JSON as Python, with money as `Decimal` and dates as `date` (core's `field_kind`).
fn report_json<'py>(
    py: Python<'py>,
    key: Option<&str>,
    value: &Value,
) -> PyResult<Bound<'py, PyAny>> {
    match (key, value) {
        (Some(k), Value::String(s)) if field_kind(k) == Some(FieldKind::Money) => {
            s.parse::<Amount>().py()?.to_py(py)
        }
        (Some(k), Value::String(s)) if field_kind(k) == Some(FieldKind::Date) => {
            date_arg(k, PyString::new(py, s).as_any())?.to_py(py)
        }
        (_, Value::Array(items)) => {
            let list = pyo3::types::PyList::empty(py);
            for item in items {
                list.append(report_json(py, None, item)?)?;
            }
            Ok(list.into_any())
        }
        (_, Value::Object(map)) => {
            let dict = PyDict::new(py);
            for (k, v) in map {
                dict.set_item(k, report_json(py, Some(k), v)?)?;
            }
            Ok(dict.into_any())
        }
        (_, other) => other.to_py(py),
    }
}

/// Serialises a core value and converts it with [`report_json`].
pub fn to_python<'py, T: serde::Serialize>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_value(value)
        .map_err(|e| opcorp::Error::decode(format!("report cannot be serialised: {e}")))
        .py()?;
    report_json(py, None, &json)
}

/// The payments of an ISO 20022 bank statement (camt.053 or camt.054, versions .02 and
/// .08) as dicts `reconcile` and `Reconciler.push` take. `source` is the file's bytes or a
/// path (read streaming). A statement that fails its own control sums raises `DecodeError`
/// and returns nothing: never a partial import.
#[pyfunction]
pub fn read_statement<'py>(
    py: Python<'py>,
    source: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let payments = if let Ok(bytes) = source.cast::<pyo3::types::PyBytes>() {
        let bytes = bytes.as_bytes().to_vec();
        py.detach(|| opcorp::statement::read_payments_from_bytes(&bytes))
            .py()?
    } else {
        let path: std::path::PathBuf = source.extract()?;
        py.detach(|| {
            let file = std::fs::File::open(&path).map_err(|e| {
                opcorp::Error::invalid_input(format!("cannot read {}: {e}", path.display()))
            })?;
            opcorp::statement::read_payments(std::io::BufReader::new(file))
        })
        .py()?
    };
    to_python(py, &payments)
}

/// Matches `payments` to `items` by reference in one call (see `Reconciler`). Both may be
/// any iterables (lists, generators); payments are matched as they are read.
#[pyfunction]
pub fn reconcile(
    py: Python<'_>,
    items: &Bound<'_, PyAny>,
    payments: &Bound<'_, PyAny>,
) -> PyResult<PyReport> {
    let items = open_items(items)?;
    let mut reconciler = py.detach(|| Reconciler::new(items));
    push_all(py, &mut reconciler, payments)?;
    let report = py.detach(|| reconciler.finish());
    Ok(PyReport {
        inner: Arc::new(report),
    })
}

/// Streaming reconciliation: build it from the open items, `push` each payment (or
/// `Transaction`) as it arrives and get that payment's match event, then `finish()`.
/// References match in any written form; re-delivered payment ids are ignored.
#[pyclass(name = "Reconciler", module = "opcorp")]
pub struct PyReconciler {
    run: ReconcileRun,
}

#[pymethods]
impl PyReconciler {
    #[new]
    fn new(py: Python<'_>, items: &Bound<'_, PyAny>) -> PyResult<Self> {
        let items = open_items(items)?;
        let mut run = ReconcileRun::new(items);
        // Indexed now, with the GIL released, not inside the first push.
        py.detach(|| run.engine().map(drop)).py()?;
        Ok(PyReconciler { run })
    }

    /// Adds one payment; returns its event as a dict (`event` is `"matched"`,
    /// `"unmatched"` or `"duplicate"`).
    fn push<'py>(
        &mut self,
        py: Python<'py>,
        payment_obj: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let payment = payment(payment_obj)?;
        let event = self.run.engine().py()?.push(payment);
        to_python(py, &event)
    }

    /// Ends the run and returns the `ReconcileReport`.
    fn finish(&mut self, py: Python<'_>) -> PyResult<PyReport> {
        let report = py.detach(|| self.run.finish()).py()?;
        Ok(PyReport {
            inner: Arc::new(report),
        })
    }
}

/// The error for an item past the end of its report.
fn out_of_range() -> PyErr {
    pyo3::exceptions::PyIndexError::new_err("item index out of range")
}

/// The outcome of a reconciliation: every item with its status, the unmatched payments with
/// the likely reason, and totals.
#[pyclass(name = "ReconcileReport", module = "opcorp", frozen)]
pub struct PyReport {
    inner: Arc<Report>,
}

#[pymethods]
impl PyReport {
    /// Items in input order, as a `ReconcileItems` sequence: each `ReconcileItem` is made
    /// when it is reached and converts a field only when it is read. An item reads like a
    /// dict (`item["status"]`) and by attribute (`item.status`): `id`, `reference`,
    /// `amount`, `currency`, `due_date`, `received`, `status` (`"paid"`, `"unpaid"`,
    /// `"partially_paid"`, `"overpaid"`, `"paid_twice"`, `"ambiguous_reference"`),
    /// status details and `payment_ids`.
    #[getter]
    fn items(&self) -> PyReportItems {
        PyReportItems {
            report: Arc::clone(&self.inner),
        }
    }

    /// Payments that matched no item, each with `payment`, `reason` and `did_you_mean`.
    #[getter]
    fn unmatched<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.unmatched)
    }

    /// Counts and per-currency sums.
    #[getter]
    fn totals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.totals)
    }

    /// The items by column: a dict of equally long lists, one per item field (the keys of
    /// an item; `remaining`, `excess` and `covering_payments` are `None` where the status
    /// has none). `money="decimal"` gives `Decimal` amounts; `money="cents"` gives `int`
    /// minor units (exact, and much faster to build) and raises `InvalidInputError` naming
    /// the item and field if an amount has more than two decimals. Never floats.
    #[pyo3(signature = (money = "decimal"))]
    fn columns<'py>(&self, py: Python<'py>, money: &str) -> PyResult<Bound<'py, PyDict>> {
        let money = Money::parse(money)?;
        columns(py, &self.inner.items, money)
    }

    /// The items as a `pandas.DataFrame` built from `columns(money)` (pandas imported only
    /// here). Money columns hold `Decimal` objects or `int` cents, never floats.
    #[pyo3(signature = (money = "decimal"))]
    fn to_pandas<'py>(&self, py: Python<'py>, money: &str) -> PyResult<Bound<'py, PyAny>> {
        let money = Money::parse(money)?;
        let pandas = py.import("pandas").map_err(|_| {
            pyo3::exceptions::PyImportError::new_err(
                "ReconcileReport.to_pandas needs pandas: pip install 'opcorp[pandas]'",
            )
        })?;
        let columns = columns(py, &self.inner.items, money)?;
        pandas.getattr("DataFrame")?.call1((columns,))
    }

    /// The report as an `.xlsx` workbook (a summary sheet, one sheet per outcome, one for
    /// unmatched payments); returns its bytes and also saves them to `path` if given.
    #[pyo3(signature = (path = None))]
    fn to_xlsx<'py>(
        &self,
        py: Python<'py>,
        path: Option<std::path::PathBuf>,
    ) -> PyResult<Bound<'py, pyo3::types::PyBytes>> {
        crate::sheet::report_xlsx(py, &self.inner, path)
    }

    /// The whole report as one dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let _paused = GcPause::new(py)?;
        to_python(py, &*self.inner)
    }

    fn __repr__(&self) -> String {
        let t = &self.inner.totals;
        format!(
            "ReconcileReport(items={}, paid={}, unpaid={}, partially_paid={}, overpaid={}, \
             paid_twice={}, ambiguous={}, unmatched_payments={})",
            t.items,
            t.paid,
            t.unpaid,
            t.partially_paid,
            t.overpaid,
            t.paid_twice,
            t.ambiguous,
            t.unmatched_payments
        )
    }
}

/// How `columns` and `to_pandas` give money.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Money {
    Decimal,
    Cents,
}

impl Money {
    fn parse(text: &str) -> PyResult<Money> {
        match text {
            "decimal" => Ok(Money::Decimal),
            "cents" => Ok(Money::Cents),
            other => Err(to_py(opcorp::Error::invalid_input(format!(
                "money must be \"decimal\" or \"cents\", not {other:?}"
            )))),
        }
    }

    fn convert<'py>(
        self,
        py: Python<'py>,
        amount: Amount,
        index: usize,
        field: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Money::Decimal => amount.to_py(py),
            Money::Cents => {
                let cents = amount
                    .to_minor_units()
                    .map_err(|e| {
                        opcorp::Error::invalid_input(format!(
                            "item {index} {field}: {}; use money=\"decimal\"",
                            e.message()
                        ))
                    })
                    .py()?;
                Ok(cents.into_pyobject(py)?.into_any())
            }
        }
    }
}

/// The items by column, every field read through core's [`ItemReports::field`] and
/// converted by [`field_to_py`] (`None` where an item has no such key).
fn columns<'py>(
    py: Python<'py>,
    items: &ItemReports,
    money: Money,
) -> PyResult<Bound<'py, PyDict>> {
    let _paused = GcPause::new(py)?;
    let lists: Vec<Bound<'py, PyList>> = ITEM_KEYS.iter().map(|_| PyList::empty(py)).collect();
    for index in 0..items.len() {
        for (key, list) in ITEM_KEYS.iter().zip(&lists) {
            list.append(match items.field(index, key) {
                Some(field) => field_to_py(py, field, money, index, key)?,
                None => py.None().into_bound(py),
            })?;
        }
    }
    let dict = PyDict::new(py);
    for (name, list) in ITEM_KEYS.iter().zip(lists) {
        dict.set_item(name, list)?;
    }
    Ok(dict)
}

/// One item field as Python: text as `str`, the status interned, money by `money`, the due
/// date as `date` or `None`, ids as a new list. `index` and `key` name a failed conversion.
fn field_to_py<'py>(
    py: Python<'py>,
    field: ItemField<'_>,
    money: Money,
    index: usize,
    key: &str,
) -> PyResult<Bound<'py, PyAny>> {
    Ok(match field {
        ItemField::Text(text) => PyString::new(py, text).into_any(),
        ItemField::Status(status) => status_code(py, &status).into_any(),
        ItemField::Money(amount) => money.convert(py, amount, index, key)?,
        ItemField::Date(Some(date)) => date.to_py(py)?,
        ItemField::Date(None) => py.None().into_bound(py),
        ItemField::Count(count) => count.into_pyobject(py)?.into_any(),
        ItemField::PaymentIds(ids) => PyList::new(py, ids)?.into_any(),
    })
}

/// The status code as an interned Python string (six values for a million items).
fn status_code<'py>(py: Python<'py>, status: &ItemStatus) -> Bound<'py, PyString> {
    match status {
        ItemStatus::Unpaid => intern!(py, "unpaid"),
        ItemStatus::Paid => intern!(py, "paid"),
        ItemStatus::PartiallyPaid { .. } => intern!(py, "partially_paid"),
        ItemStatus::Overpaid { .. } => intern!(py, "overpaid"),
        ItemStatus::PaidTwice { .. } => intern!(py, "paid_twice"),
        ItemStatus::AmbiguousReference => intern!(py, "ambiguous_reference"),
    }
    .clone()
}

/// The items of a `ReconcileReport` in input order: a read-only sequence (`len`, indexes,
/// negative indexes, slices, iteration) whose items are made only when reached.
#[pyclass(name = "ReconcileItems", module = "opcorp", frozen, sequence)]
pub struct PyReportItems {
    report: Arc<Report>,
}

impl PyReportItems {
    fn item(&self, index: usize) -> PyReportItem {
        PyReportItem {
            report: Arc::clone(&self.report),
            index,
        }
    }
}

#[pymethods]
impl PyReportItems {
    fn __len__(&self) -> usize {
        self.report.items.len()
    }

    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let len = self.report.items.len();
        if let Ok(slice) = key.cast::<PySlice>() {
            let range = slice.indices(len as isize)?;
            let list = PyList::empty(py);
            let mut at = range.start;
            for _ in 0..range.slicelength {
                list.append(self.item(at as usize))?;
                at += range.step;
            }
            return Ok(list.into_any());
        }
        let index: isize = key.extract()?;
        let resolved = if index < 0 {
            index + len as isize
        } else {
            index
        };
        if resolved < 0 || resolved as usize >= len {
            return Err(pyo3::exceptions::PyIndexError::new_err(format!(
                "item index {index} out of range for {len} items"
            )));
        }
        Ok(Bound::new(py, self.item(resolved as usize))?.into_any())
    }

    fn __iter__(&self) -> PyReportItemIter {
        PyReportItemIter {
            report: Arc::clone(&self.report),
            next: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    fn __repr__(&self) -> String {
        format!("ReconcileItems(len={})", self.report.items.len())
    }
}

/// Iterates `ReconcileItems`.
#[pyclass(name = "ReconcileItemIterator", module = "opcorp", frozen)]
pub struct PyReportItemIter {
    report: Arc<Report>,
    next: std::sync::atomic::AtomicUsize,
}

#[pymethods]
impl PyReportItemIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self) -> Option<PyReportItem> {
        let index = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        (index < self.report.items.len()).then(|| PyReportItem {
            report: Arc::clone(&self.report),
            index,
        })
    }
}

/// One item of a reconciliation report. Reads like a read-only dict with the keys of the
/// report JSON (`item["status"]`, `dict(item)`, `item == {...}`) and by attribute
/// (`item.status`); each value is converted when it is read.
#[pyclass(name = "ReconcileItem", module = "opcorp", frozen, mapping)]
pub struct PyReportItem {
    report: Arc<Report>,
    index: usize,
}

impl PyReportItem {
    fn view(&self) -> PyResult<ItemReport<'_>> {
        self.report.items.get(self.index).ok_or_else(out_of_range)
    }

    /// The keys this item has, in the order of the report JSON (core's one list).
    fn key_names(&self) -> PyResult<Vec<&'static str>> {
        self.report.items.keys(self.index).ok_or_else(out_of_range)
    }

    /// The value of `key`, or `None` when this item has no such key (core's field reader).
    fn value<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        match self.report.items.field(self.index, key) {
            Some(field) => field_to_py(py, field, Money::Decimal, self.index, key).map(Some),
            None if self.index < self.report.items.len() => Ok(None),
            None => Err(out_of_range()),
        }
    }

    fn value_or_none<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Bound<'py, PyAny>> {
        Ok(self
            .value(py, key)?
            .unwrap_or_else(|| py.None().into_bound(py)))
    }
}

#[pymethods]
impl PyReportItem {
    /// The caller's item id.
    #[getter]
    fn id<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.value_or_none(py, "id")
    }

    /// The reference in canonical form.
    #[getter]
    fn reference<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.value_or_none(py, "reference")
    }

    /// The amount due (`Decimal`).
    #[getter]
    fn amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.value_or_none(py, "amount")
    }

    /// The currency code.
    #[getter]
    fn currency<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.value_or_none(py, "currency")
    }

    /// The due date (`date`) or `None`.
    #[getter]
    fn due_date<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.value_or_none(py, "due_date")
    }

    /// Everything received for the item (`Decimal`).
    #[getter]
    fn received<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.value_or_none(py, "received")
    }

    /// `"paid"`, `"unpaid"`, `"partially_paid"`, `"overpaid"`, `"paid_twice"` or
    /// `"ambiguous_reference"`.
    #[getter]
    fn status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.value_or_none(py, "status")
    }

    /// What is still missing (`Decimal`) when partially paid, else `None`.
    #[getter]
    fn remaining<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.value_or_none(py, "remaining")
    }

    /// What was paid too much (`Decimal`) when overpaid or paid twice, else `None`.
    #[getter]
    fn excess<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.value_or_none(py, "excess")
    }

    /// How many payments each covered the amount when paid twice, else `None`.
    #[getter]
    fn covering_payments<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.value_or_none(py, "covering_payments")
    }

    /// Ids of the payments that counted, in arrival order (a new list each read).
    #[getter]
    fn payment_ids<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.value_or_none(py, "payment_ids")
    }

    /// The keys this item has, in report order.
    fn keys(&self) -> PyResult<Vec<&'static str>> {
        self.key_names()
    }

    /// The values, in key order.
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        self.key_names()?
            .into_iter()
            .map(|k| self.value_or_none(py, k))
            .collect()
    }

    /// `(key, value)` pairs, in key order.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Vec<(&'static str, Bound<'py, PyAny>)>> {
        self.key_names()?
            .into_iter()
            .map(|k| Ok((k, self.value_or_none(py, k)?)))
            .collect()
    }

    /// The value of `key`, or `default` when the item has no such key.
    #[pyo3(signature = (key, default = None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        key: &str,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        Ok(match self.value(py, key)? {
            Some(v) => v,
            None => default.unwrap_or_else(|| py.None().into_bound(py)),
        })
    }

    /// The item as a plain dict (what `report.to_dict()["items"]` holds for it).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dict = PyDict::new(py);
        for key in self.key_names()? {
            dict.set_item(key, self.value_or_none(py, key)?)?;
        }
        Ok(dict)
    }

    fn __getitem__<'py>(&self, py: Python<'py>, key: &str) -> PyResult<Bound<'py, PyAny>> {
        self.value(py, key)?
            .ok_or_else(|| pyo3::exceptions::PyKeyError::new_err(key.to_owned()))
    }

    fn __contains__(&self, key: &str) -> PyResult<bool> {
        Ok(self.key_names()?.contains(&key))
    }

    fn __len__(&self) -> PyResult<usize> {
        Ok(self.key_names()?.len())
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyList::new(py, self.key_names()?)?
            .as_any()
            .try_iter()?
            .into_any())
    }

    /// Equal to another item or to a mapping with the same keys and values.
    fn __eq__<'py>(&self, py: Python<'py>, other: &Bound<'py, PyAny>) -> PyResult<bool> {
        let mine = self.to_dict(py)?;
        if let Ok(item) = other.cast::<PyReportItem>() {
            return mine.eq(item.get().to_dict(py)?);
        }
        if other.cast::<PyDict>().is_ok() {
            return mine.eq(other);
        }
        Ok(false)
    }

    fn __repr__(&self) -> PyResult<String> {
        let view = self.view()?;
        Ok(format!(
            "ReconcileItem(id={:?}, status={:?}, received={})",
            view.item.id,
            view.status.code(),
            view.received
        ))
    }
}
