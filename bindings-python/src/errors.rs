//! Core errors as Python exceptions: `opcorp.OpcorpError` and one subclass per
//! [`ErrorKind`], with `.code`, `.status`, `.request_id` and the rest attached.
//!
//! The classes are defined in `opcorp/_errors.py` (so they can also derive from `ValueError`
//! or `TimeoutError`); this file only chooses the class, exhaustively.

use opcorp::ErrorKind;
use opcorp::error::{OperationKind, PendingOperation};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

/// The Python class name for each kind. No wildcard arm: a new kind in core fails this
/// build until it is mapped here and in `_errors.py`.
pub fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Auth => "AuthError",
        ErrorKind::Forbidden => "ForbiddenError",
        ErrorKind::Tls => "TlsError",
        ErrorKind::RateLimited => "RateLimitedError",
        ErrorKind::Timeout => "TimeoutError",
        ErrorKind::Network => "NetworkError",
        ErrorKind::InvalidInput => "InvalidInputError",
        ErrorKind::Rejected => "RejectedError",
        ErrorKind::NotFound => "NotFoundError",
        ErrorKind::Conflict => "ConflictError",
        ErrorKind::Server => "ServerError",
        ErrorKind::Decode => "DecodeError",
        ErrorKind::Signature => "SignatureError",
        ErrorKind::Config => "ConfigError",
        ErrorKind::UnknownOutcome => "UnknownOutcomeError",
        ErrorKind::ClockSkew => "ClockSkewError",
    }
}

/// Converts a core error into the matching Python exception (GIL taken if needed).
pub fn to_py(err: opcorp::Error) -> PyErr {
    Python::attach(|py| build(py, &err).unwrap_or_else(|e| e))
}

/// A `Result` adapter: `core_call().map_err(errors::to_py)?`.
pub trait IntoPyResult<T> {
    /// Maps the core error to its Python exception.
    fn py(self) -> PyResult<T>;
}

impl<T> IntoPyResult<T> for opcorp::Result<T> {
    fn py(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

/// Instantiates the exception class and sets its attributes.
fn build(py: Python<'_>, err: &opcorp::Error) -> PyResult<PyErr> {
    let class = py
        .import("opcorp._errors")?
        .getattr(class_name(err.kind()))?;
    let exc = class.call1((err.to_string(),))?;
    exc.setattr("code", err.code())?;
    exc.setattr("message", err.message())?;
    exc.setattr("status", err.status())?;
    exc.setattr("request_id", err.request_id())?;
    exc.setattr("retryable", err.is_retryable())?;
    exc.setattr("body_snippet", err.body_snippet())?;
    exc.setattr("retry_after", err.retry_after().map(|d| d.as_secs_f64()))?;
    let pending = match err.pending() {
        Some(p) => Some(Bound::new(py, PyPendingOperation { inner: p.clone() })?),
        None => None,
    };
    exc.setattr("pending", pending)?;
    Ok(PyErr::from_value(exc))
}

/// A signed payment or refund that was prepared (or sent without a confirmed outcome). Store
/// `kind`, `id` and `body` in an outbox; resending it with `Client.resolve()` cannot pay twice
/// because OP de-duplicates on the id inside the body.
#[pyclass(name = "PendingOperation", module = "opcorp", frozen, eq)]
#[derive(PartialEq)]
pub struct PyPendingOperation {
    /// The core operation.
    pub inner: PendingOperation,
}

#[pymethods]
impl PyPendingOperation {
    /// Rebuilds a stored operation. `kind` is `"sepa_payment"`, `"sepa_instant_payment"` or
    /// `"refund"`; `body` the exact bytes from `.body`.
    #[new]
    fn new(kind: &str, id: String, body: Vec<u8>) -> PyResult<Self> {
        let kind = match kind {
            "sepa_payment" => OperationKind::SepaPayment,
            "sepa_instant_payment" => OperationKind::SepaInstantPayment,
            "refund" => OperationKind::Refund,
            other => {
                return Err(to_py(opcorp::Error::invalid_input(format!(
                    "unknown operation kind {other:?}: expected sepa_payment, \
                     sepa_instant_payment or refund"
                ))));
            }
        };
        Ok(PyPendingOperation {
            inner: PendingOperation { kind, id, body },
        })
    }

    /// `"sepa_payment"`, `"sepa_instant_payment"` or `"refund"`.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.inner.kind {
            OperationKind::SepaPayment => "sepa_payment",
            OperationKind::SepaInstantPayment => "sepa_instant_payment",
            OperationKind::Refund => "refund",
        }
    }

    /// The `instructionId` (payments) or `archiveId` (refunds) identifying the intent.
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }

    /// The exact JSON bytes that are signed and sent.
    #[getter]
    fn body<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.body)
    }

    fn __repr__(&self) -> String {
        format!(
            "PendingOperation(kind={:?}, id={:?}, body=<{} bytes>)",
            self.kind(),
            self.inner.id,
            self.inner.body.len()
        )
    }
}

/// Every error code with its exception class name, in core's order (for the test that
/// proves the mapping is complete and one-to-one).
#[pyfunction]
pub fn _error_kinds() -> Vec<(&'static str, &'static str, bool)> {
    ErrorKind::ALL
        .iter()
        .map(|k| (k.code(), class_name(*k), k.is_retryable()))
        .collect()
}

/// Raises the exception for `code` exactly as a failed call would (test hook).
#[pyfunction]
pub fn _raise_error(code: &str, status: Option<u16>, request_id: Option<String>) -> PyResult<()> {
    let kind = ErrorKind::from_code(code).ok_or_else(|| {
        to_py(opcorp::Error::invalid_input(format!(
            "unknown code {code:?}"
        )))
    })?;
    let mut err = opcorp::Error::new(kind, format!("synthetic {code}"));
    if let Some(status) = status {
        err = err.with_status(status);
    }
    if let Some(id) = request_id {
        err = err.with_request_id(id);
    }
    Err(to_py(err))
}

/// The error core makes of a failed OP response: `status` and the raw `body` through the
/// same mapping every client call uses. Returns the exception instance (it does not raise),
/// so callers of OP through their own HTTP stack get the same `OpcorpError` subclass.
#[pyfunction]
#[pyo3(signature = (status, body, request_id=None))]
pub fn status_error(
    py: Python<'_>,
    status: u16,
    body: Vec<u8>,
    request_id: Option<String>,
) -> PyResult<Py<PyAny>> {
    let err =
        opcorp::response::status_error(status, None, &body, request_id.as_deref().unwrap_or(""));
    Ok(build(py, &err)?.into_value(py).into_any())
}
