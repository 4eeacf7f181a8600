//! Request objects built from Python arguments and validated by core at construction, so
//! bad input fails where it is written, before any network call.

use opcorp::model::{PaymentRequest, RefundRequest};
use pyo3::prelude::*;

use crate::address::address_arg;
use crate::convert::{
    ToPy, date_arg, opt_text_arg as opt_text, payment_amount_arg, required_text_arg as text,
};
use crate::errors::IntoPyResult;

/// A SEPA or SEPA Instant payment. Exactly one of `reference` and `message`. `amount` must be
/// a `Decimal`, `int` or `str` holding a plain decimal with at most two decimals (`"120.50"`;
/// never a float, a sign or an exponent). Without `instruction_id` one is generated when the
/// payment is prepared, and every resend reuses it. Bad input is `InvalidInputError` naming
/// the argument. `debtor_address` and `creditor_address` are dicts with `town_name` and
/// `country` and optionally `street_name`, `building_number`, `post_code` and up to two
/// `address_line`s; an address of lines only is refused when the payment is sent, unless the
/// client was built with `address_rules="allow_unstructured"`.
#[pyclass(name = "PaymentRequest", module = "opcorp", frozen)]
pub struct PyPaymentRequest {
    /// The validated core request.
    pub inner: PaymentRequest,
}

#[pymethods]
impl PyPaymentRequest {
    #[new]
    #[pyo3(signature = (*, debtor_name, debtor_iban, creditor_name, creditor_iban, amount,
        reference=None, message=None, instruction_id=None, end_to_end_id=None,
        debtor_address=None, creditor_address=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        debtor_name: &Bound<'_, PyAny>,
        debtor_iban: &Bound<'_, PyAny>,
        creditor_name: &Bound<'_, PyAny>,
        creditor_iban: &Bound<'_, PyAny>,
        amount: &Bound<'_, PyAny>,
        reference: Option<&Bound<'_, PyAny>>,
        message: Option<&Bound<'_, PyAny>>,
        instruction_id: Option<&Bound<'_, PyAny>>,
        end_to_end_id: Option<&Bound<'_, PyAny>>,
        debtor_address: Option<&Bound<'_, PyAny>>,
        creditor_address: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let mut builder = PaymentRequest::builder()
            .debtor(
                text("debtor_name", debtor_name)?,
                text("debtor_iban", debtor_iban)?,
            )
            .creditor(
                text("creditor_name", creditor_name)?,
                text("creditor_iban", creditor_iban)?,
            )
            .amount(payment_amount_arg("amount", amount)?);
        if let Some(reference) = opt_text("reference", reference)? {
            builder = builder.reference(reference);
        }
        if let Some(message) = opt_text("message", message)? {
            builder = builder.message(message);
        }
        if let Some(id) = opt_text("instruction_id", instruction_id)? {
            builder = builder.instruction_id(id);
        }
        if let Some(id) = opt_text("end_to_end_id", end_to_end_id)? {
            builder = builder.end_to_end_id(id);
        }
        if let Some(address) = debtor_address.filter(|a| !a.is_none()) {
            builder = builder.debtor_address(address_arg("debtor_address", address)?);
        }
        if let Some(address) = creditor_address.filter(|a| !a.is_none()) {
            builder = builder.creditor_address(address_arg("creditor_address", address)?);
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

    /// The creditor's address as a dict, if any.
    #[getter]
    fn creditor_address<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.inner.creditor.address.to_py(py)
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
        archive_id: &Bound<'_, PyAny>,
        amount: &Bound<'_, PyAny>,
        message: &Bound<'_, PyAny>,
        account_iban: &Bound<'_, PyAny>,
        transaction_date: &Bound<'_, PyAny>,
        end_to_end_id: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let archive_id = text("archive_id", archive_id)?;
        let amount = payment_amount_arg("amount", amount)?;
        let message = text("message", message)?;
        let account_iban = text("account_iban", account_iban)?;
        let date = date_arg("transaction_date", transaction_date)?;
        let mut request =
            RefundRequest::new(archive_id, amount, message, &account_iban, date).py()?;
        if let Some(id) = opt_text("end_to_end_id", end_to_end_id)? {
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
