//! Request objects built from Python arguments and validated by core at construction, so
//! bad input fails where it is written, before any network call.

use opcorp::model::{PaymentRequest, RefundRequest};
use pyo3::prelude::*;

use crate::convert::{ToPy, amount_arg, date_arg};
use crate::errors::IntoPyResult;

/// A SEPA or SEPA Instant payment. Exactly one of `reference` and `message`. `amount` must be
/// a `Decimal`, `int` or `str` (never a float). Without `instruction_id` one is generated
/// when the payment is prepared, and every resend reuses it.
#[pyclass(name = "PaymentRequest", module = "opcorp", frozen)]
pub struct PyPaymentRequest {
    /// The validated core request.
    pub inner: PaymentRequest,
}

#[pymethods]
impl PyPaymentRequest {
    #[new]
    #[pyo3(signature = (*, debtor_name, debtor_iban, creditor_name, creditor_iban, amount,
        reference=None, message=None, instruction_id=None, end_to_end_id=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        debtor_name: String,
        debtor_iban: String,
        creditor_name: String,
        creditor_iban: String,
        amount: &Bound<'_, PyAny>,
        reference: Option<String>,
        message: Option<String>,
        instruction_id: Option<String>,
        end_to_end_id: Option<String>,
    ) -> PyResult<Self> {
        let mut builder = PaymentRequest::builder()
            .debtor(debtor_name, debtor_iban)
            .creditor(creditor_name, creditor_iban)
            .amount(amount_arg("amount", amount)?);
        if let Some(reference) = reference {
            builder = builder.reference(reference);
        }
        if let Some(message) = message {
            builder = builder.message(message);
        }
        if let Some(id) = instruction_id {
            builder = builder.instruction_id(id);
        }
        if let Some(id) = end_to_end_id {
            builder = builder.end_to_end_id(id);
        }
        Ok(PyPaymentRequest {
            inner: builder.build().py()?,
        })
    }

    /// The `instructionId`, if one was given.
    #[getter]
    fn instruction_id(&self) -> Option<&str> {
        self.inner.instruction_id.as_deref()
    }

    /// The amount as `decimal.Decimal`.
    #[getter]
    fn amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.inner.instructed_amount.amount.to_py(py)
    }

    /// The normalised creditor IBAN.
    #[getter]
    fn creditor_iban(&self) -> &str {
        &self.inner.creditor.iban
    }

    /// The normalised debtor IBAN.
    #[getter]
    fn debtor_iban(&self) -> &str {
        &self.inner.debtor.iban
    }

    /// The reference, if any.
    #[getter]
    fn reference(&self) -> Option<&str> {
        self.inner.reference.as_deref()
    }

    /// The message, if any.
    #[getter]
    fn message(&self) -> Option<&str> {
        self.inner.message.as_deref()
    }

    fn __repr__(&self) -> String {
        format!(
            "PaymentRequest(creditor_iban={:?}, amount={}, instruction_id={:?})",
            self.inner.creditor.iban,
            self.inner.instructed_amount.amount,
            self.inner.instruction_id
        )
    }
}

/// A refund of an incoming payment, fully or in part. `transaction_date` is the booking date
/// of the refunded payment (`datetime.date` or ISO string).
#[pyclass(name = "RefundRequest", module = "opcorp", frozen)]
pub struct PyRefundRequest {
    /// The validated core request.
    pub inner: RefundRequest,
}

#[pymethods]
impl PyRefundRequest {
    #[new]
    #[pyo3(signature = (*, archive_id, amount, message, account_iban, transaction_date,
        end_to_end_id=None))]
    fn new(
        archive_id: String,
        amount: &Bound<'_, PyAny>,
        message: String,
        account_iban: String,
        transaction_date: &Bound<'_, PyAny>,
        end_to_end_id: Option<String>,
    ) -> PyResult<Self> {
        let amount = amount_arg("amount", amount)?;
        let date = date_arg("transaction_date", transaction_date)?;
        let mut request =
            RefundRequest::new(archive_id, amount, message, &account_iban, date).py()?;
        if let Some(id) = end_to_end_id {
            request = request.with_end_to_end_id(id);
            request.validate().py()?;
        }
        Ok(PyRefundRequest { inner: request })
    }

    /// Archive id of the payment being refunded.
    #[getter]
    fn archive_id(&self) -> &str {
        &self.inner.archive_id
    }

    /// The refund amount as `decimal.Decimal`.
    #[getter]
    fn amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.inner.amount.to_py(py)
    }

    fn __repr__(&self) -> String {
        format!(
            "RefundRequest(archive_id={:?}, amount={})",
            self.inner.archive_id, self.inner.amount
        )
    }
}
