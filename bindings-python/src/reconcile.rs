//! Reconciliation from Python: open items and payments in (dicts, objects or
//! `Transaction`s), a report out with `Decimal` amounts and `date` dates.

use opcorp::Amount;
use opcorp::domain::reference::Reference;
use opcorp::reconcile::{
    DEFAULT_CURRENCY, FieldKind, OpenItem, Payment, Reconciler, Report, field_kind,
};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use serde_json::Value;

use crate::convert::{ToPy, amount_arg, date_arg};
use crate::errors::{IntoPyResult, to_py};
use crate::models::PyTransaction;

/// A field of a dict (by key) or of any other object (by attribute); `None` when absent.
fn field<'py>(obj: &Bound<'py, PyAny>, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
    let value = if let Ok(dict) = obj.cast::<PyDict>() {
        dict.get_item(name)?
    } else {
        obj.getattr(name).ok()
    };
    Ok(value.filter(|v| !v.is_none()))
}

/// A required field, or an INVALID_INPUT error naming it.
fn required<'py>(obj: &Bound<'py, PyAny>, what: &str, name: &str) -> PyResult<Bound<'py, PyAny>> {
    field(obj, name)?.ok_or_else(|| {
        to_py(opcorp::Error::invalid_input(format!(
            "{what} has no {name}"
        )))
    })
}

/// An open item from a dict or object with `id`, `reference`, `amount`, `currency` and an
/// optional `due_date`.
fn open_item(obj: &Bound<'_, PyAny>) -> PyResult<OpenItem> {
    let id: String = required(obj, "an open item", "id")?.str()?.extract()?;
    let what = format!("open item {id:?}");
    let reference: String = required(obj, &what, "reference")?.extract()?;
    Ok(OpenItem {
        reference: Reference::parse(&reference)
            .map_err(|e| opcorp::Error::invalid_input(format!("{what}: {}", e.message())))
            .py()?,
        amount: amount_arg(&format!("{what} amount"), &required(obj, &what, "amount")?)?,
        currency: match field(obj, "currency")? {
            Some(c) => c.extract()?,
            None => DEFAULT_CURRENCY.to_owned(),
        },
        due_date: field(obj, "due_date")?
            .map(|d| date_arg("due_date", &d))
            .transpose()?,
        id,
    })
}

/// A payment from a `Transaction` (archive id, any reference, debtor name) or from a dict or
/// object with `id`, `amount`, optional `reference`, `currency`, `booking_date`,
/// `payer_name`.
fn payment(obj: &Bound<'_, PyAny>) -> PyResult<Payment> {
    if let Ok(tx) = obj.cast::<PyTransaction>() {
        return Ok(Payment::from(&tx.get().inner));
    }
    let id: String = required(obj, "a payment", "id")?.str()?.extract()?;
    let what = format!("payment {id:?}");
    Ok(Payment {
        reference: field(obj, "reference")?.map(|r| r.extract()).transpose()?,
        amount: amount_arg(&format!("{what} amount"), &required(obj, &what, "amount")?)?,
        currency: match field(obj, "currency")? {
            Some(c) => c.extract()?,
            None => DEFAULT_CURRENCY.to_owned(),
        },
        booking_date: field(obj, "booking_date")?
            .map(|d| date_arg("booking_date", &d))
            .transpose()?,
        payer_name: field(obj, "payer_name")?.map(|n| n.extract()).transpose()?,
        id,
    })
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
fn to_python<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    let json = serde_json::to_value(value)
        .map_err(|e| opcorp::Error::decode(format!("report cannot be serialised: {e}")))
        .py()?;
    report_json(py, None, &json)
}

/// Matches `payments` to `items` by reference in one call (see `Reconciler`).
#[pyfunction]
pub fn reconcile(
    py: Python<'_>,
    items: Vec<Bound<'_, PyAny>>,
    payments: Vec<Bound<'_, PyAny>>,
) -> PyResult<PyReport> {
    let items = items.iter().map(open_item).collect::<PyResult<Vec<_>>>()?;
    let payments = payments.iter().map(payment).collect::<PyResult<Vec<_>>>()?;
    let report = py.detach(|| opcorp::reconcile::reconcile(items, payments));
    Ok(PyReport { inner: report })
}

/// Streaming reconciliation: build it from the open items, `push` each payment (or
/// `Transaction`) as it arrives and get that payment's match event, then `finish()`.
/// References match in any written form; re-delivered payment ids are ignored.
#[pyclass(name = "Reconciler", module = "opcorp")]
pub struct PyReconciler {
    inner: Option<Reconciler>,
}

#[pymethods]
impl PyReconciler {
    #[new]
    fn new(items: Vec<Bound<'_, PyAny>>) -> PyResult<Self> {
        let items = items.iter().map(open_item).collect::<PyResult<Vec<_>>>()?;
        Ok(PyReconciler {
            inner: Some(Reconciler::new(items)),
        })
    }

    /// Adds one payment; returns its event as a dict (`event` is `"matched"`,
    /// `"unmatched"` or `"duplicate"`).
    fn push<'py>(
        &mut self,
        py: Python<'py>,
        payment_obj: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let payment = payment(payment_obj)?;
        let reconciler = self.inner.as_mut().ok_or_else(finished)?;
        let event = reconciler.push(payment);
        to_python(py, &event)
    }

    /// Ends the run and returns the `ReconcileReport`.
    fn finish(&mut self) -> PyResult<PyReport> {
        let reconciler = self.inner.take().ok_or_else(finished)?;
        Ok(PyReport {
            inner: reconciler.finish(),
        })
    }
}

/// The error for using a finished reconciler.
fn finished() -> PyErr {
    to_py(opcorp::Error::invalid_input(
        "this Reconciler is already finished",
    ))
}

/// The outcome of a reconciliation: every item with its status, the unmatched payments with
/// the likely reason, and totals.
#[pyclass(name = "ReconcileReport", module = "opcorp", frozen)]
pub struct PyReport {
    inner: Report,
}

#[pymethods]
impl PyReport {
    /// Items in input order: `id`, `reference`, `amount`, `currency`, `due_date`,
    /// `received`, `status` (`"paid"`, `"unpaid"`, `"partially_paid"`, `"overpaid"`,
    /// `"paid_twice"`, `"ambiguous_reference"`), `payment_ids` and status details.
    #[getter]
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner.items)
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

    /// The whole report as one dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_python(py, &self.inner)
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
