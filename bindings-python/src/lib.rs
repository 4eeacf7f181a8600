//! `opcorp._native`: the Python extension behind `import opcorp`.
//!
//! A thin layer over the `opcorp` core crate (design.md §4): arguments are copied into owned
//! core values, the call runs on one process-wide tokio runtime with the GIL released (or on
//! asyncio through [`aio`]), and results are converted back. No banking logic lives here.

mod address;
mod aio;
mod client;
mod config;
mod conformance;
mod convert;
mod errors;
mod gc_pause;
mod logging;
mod models;
mod ops;
mod outbox;
mod reconcile;
mod requests;
mod runtime;
mod sheet;
mod toolkit;
mod transactions;
mod watch;

use pyo3::prelude::*;

/// The extension module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<client::PyClient>()?;
    m.add_class::<client::PyAsyncClient>()?;
    m.add_class::<requests::PyPaymentRequest>()?;
    m.add_class::<requests::PyRefundRequest>()?;
    m.add_class::<errors::PyPendingOperation>()?;
    m.add_class::<transactions::PyTransactionIterator>()?;
    m.add_class::<watch::PyWatcher>()?;
    m.add_class::<watch::PyDelivery>()?;
    m.add_class::<reconcile::PyReconciler>()?;
    m.add_class::<reconcile::PyReport>()?;
    m.add_class::<reconcile::PyReportItems>()?;
    m.add_class::<reconcile::PyReportItem>()?;
    m.add_class::<toolkit::GeneratedKey>()?;
    models::register(m)?;
    m.add_function(wrap_pyfunction!(conformance::conformance_compare, m)?)?;
    outbox::register(m)?;
    m.add_function(wrap_pyfunction!(reconcile::reconcile, m)?)?;
    m.add_function(wrap_pyfunction!(reconcile::read_statement, m)?)?;
    m.add_function(wrap_pyfunction!(logging::_set_log_sink, m)?)?;
    m.add_function(wrap_pyfunction!(logging::_set_log_level, m)?)?;
    m.add_function(wrap_pyfunction!(sheet::transactions_to_xlsx, m)?)?;
    m.add_function(wrap_pyfunction!(sheet::read_invoices, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_error_kinds, m)?)?;
    m.add_function(wrap_pyfunction!(errors::_raise_error, m)?)?;
    m.add_function(wrap_pyfunction!(errors::status_error, m)?)?;
    m.add_function(wrap_pyfunction!(toolkit::reference_generate, m)?)?;
    m.add_function(wrap_pyfunction!(toolkit::rf_generate, m)?)?;
    m.add_function(wrap_pyfunction!(toolkit::rf_from_finnish, m)?)?;
    m.add_function(wrap_pyfunction!(toolkit::rf_to_finnish, m)?)?;
    m.add_function(wrap_pyfunction!(toolkit::reference_normalize, m)?)?;
    m.add_function(wrap_pyfunction!(toolkit::reference_grouped, m)?)?;
    m.add_function(wrap_pyfunction!(toolkit::iban_normalize, m)?)?;
    m.add_function(wrap_pyfunction!(toolkit::iban_grouped, m)?)?;
    m.add_function(wrap_pyfunction!(toolkit::bic_for_iban, m)?)?;
    m.add_function(wrap_pyfunction!(toolkit::bic_normalize, m)?)?;
    m.add_function(wrap_pyfunction!(toolkit::barcode_encode, m)?)?;
    m.add_function(wrap_pyfunction!(toolkit::barcode_decode, m)?)?;
    m.add_function(wrap_pyfunction!(toolkit::sign_detached, m)?)?;
    m.add_function(wrap_pyfunction!(toolkit::public_key_pem, m)?)?;
    m.add_function(wrap_pyfunction!(toolkit::generate_key_and_csr, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
