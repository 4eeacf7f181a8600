//! Spreadsheets from Python: transactions and reconciliation reports as `.xlsx` bytes (and
//! optionally a file), open items read from a workbook. The workbook layout and the row
//! rules are core's (`opcorp::sheet`).

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::errors::IntoPyResult;
use crate::models::PyTransaction;
use crate::reconcile::to_python;

/// Writes `bytes` to `path` when one was given.
fn save(path: Option<PathBuf>, bytes: &[u8]) -> PyResult<()> {
    if let Some(path) = path {
        std::fs::write(&path, bytes)?;
    }
    Ok(())
}

/// Writes `transactions` (an iterable of `Transaction`, e.g. `client.transactions(...)`) as an
/// `.xlsx` workbook; returns its bytes and also saves them to `path` if given.
#[pyfunction]
#[pyo3(signature = (transactions, path = None))]
pub fn transactions_to_xlsx<'py>(
    py: Python<'py>,
    transactions: &Bound<'py, PyAny>,
    path: Option<PathBuf>,
) -> PyResult<Bound<'py, PyBytes>> {
    let mut workbook = opcorp::sheet::TransactionsWorkbook::new().py()?;
    for item in transactions.try_iter()? {
        let item = item?;
        let tx = item.cast::<PyTransaction>()?;
        workbook.push(&tx.get().inner).py()?;
    }
    let bytes = py.detach(|| workbook.finish()).py()?;
    save(path, &bytes)?;
    Ok(PyBytes::new(py, &bytes))
}

/// Reads open items from a workbook (`.xlsx`, `.xls`, `.ods`): a path or the file's bytes.
/// The first sheet's header row names the columns as in the CSV the CLI reads (`id`,
/// `reference`, `amount`, optional `currency`, `due`). Returns dicts that `reconcile()` takes;
/// a bad cell raises `InvalidInputError` naming it (e.g. `cell C3 (amount): …`).
#[pyfunction]
pub fn read_invoices<'py>(
    py: Python<'py>,
    source: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let bytes: Vec<u8> = match source.cast::<PyBytes>() {
        Ok(b) => b.as_bytes().to_vec(),
        Err(_) => std::fs::read(source.extract::<PathBuf>()?)?,
    };
    let items = py.detach(|| opcorp::sheet::read_open_items(&bytes)).py()?;
    to_python(py, &items)
}

/// The report as `.xlsx` bytes, also saved to `path` if given (`ReconcileReport.to_xlsx`).
pub fn report_xlsx<'py>(
    py: Python<'py>,
    report: &opcorp::reconcile::Report,
    path: Option<PathBuf>,
) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = py.detach(|| opcorp::sheet::reconcile_xlsx(report)).py()?;
    save(path, &bytes)?;
    Ok(PyBytes::new(py, &bytes))
}
