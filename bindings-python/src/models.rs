//! Result objects: one frozen Python class per core model, holding the core value and
//! converting a field only when it is read (so a page of 1000 transactions costs 1000 moves,
//! not 25,000 Python objects). Each has `to_dict()` (snake_case keys, plus `extra` with the
//! fields OP sent that the SDK does not model) and `__eq__`.

use opcorp::model::Address;
use opcorp::model::payment::{PaymentStatus, PaymentType};
use opcorp::model::{
    Account, AccountDetails, FilterResult, FilteredTransaction, Mandate, MandateStatus, PayeeMatch,
    PayeeVerification, PayerDetails, PaymentResponse, RefundOriginal, RefundResponse, Transaction,
};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert::ToPy;

/// Declares a Python class wrapping a core model with one getter per listed field.
macro_rules! py_model {
    (
        $(#[$meta:meta])*
        $py:ident($name:literal) wraps $core:ty {
            $( $(#[$fmeta:meta])* $field:ident ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[pyclass(name = $name, module = "opcorp", frozen)]
        pub struct $py {
            /// The core value.
            pub inner: $core,
        }

        #[pymethods]
        impl $py {
            $(
                $(#[$fmeta])*
                #[getter]
                fn $field<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                    self.inner.$field.to_py(py)
                }
            )*

            /// Every field as a plain dict (nested results as dicts too).
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
                let dict = PyDict::new(py);
                $( dict.set_item(stringify!($field), to_plain(py, self.inner.$field.to_py(py)?)?)?; )*
                Ok(dict)
            }

            fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
                other
                    .cast::<$py>()
                    .map(|o| o.get().inner == self.inner)
                    .unwrap_or(false)
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                let mut parts = Vec::new();
                $(
                    let value = self.inner.$field.to_py(py)?;
                    if !value.is_none() && stringify!($field) != "extra" {
                        parts.push(format!("{}={}", stringify!($field), value.repr()?));
                    }
                )*
                Ok(format!("{}({})", $name, parts.join(", ")))
            }
        }

        impl ToPy for $core {
            fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                Ok(Bound::new(py, $py { inner: self.clone() })?.into_any())
            }
        }
    };
}

/// Turns nested result objects into dicts (anything with `to_dict`), lists element-wise.
pub(crate) fn to_plain<'py>(
    py: Python<'py>,
    value: Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    if let Ok(list) = value.cast::<pyo3::types::PyList>() {
        let out = pyo3::types::PyList::empty(py);
        for item in list.iter() {
            out.append(to_plain(py, item)?)?;
        }
        return Ok(out.into_any());
    }
    if value.hasattr("to_dict")? && !value.is_instance_of::<PyDict>() {
        return value.call_method0("to_dict");
    }
    Ok(value)
}

/// Implements [`ToPy`] for core open enums as their wire string.
macro_rules! open_enum_to_py {
    ($($t:ty),*) => {$(
        impl ToPy for $t {
            fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                self.as_str().to_owned().to_py(py)
            }
        }
    )*};
}
open_enum_to_py!(PaymentStatus, PaymentType, MandateStatus);

impl ToPy for Address {
    /// A postal address as a dict: `street_name`, `building_number`, `post_code`,
    /// `town_name` (each `None` when absent), `country` and `address_line` (a list).
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let dict = PyDict::new(py);
        dict.set_item("street_name", &self.street_name)?;
        dict.set_item("building_number", &self.building_number)?;
        dict.set_item("post_code", &self.post_code)?;
        dict.set_item("town_name", &self.town_name)?;
        dict.set_item("country", &self.country)?;
        dict.set_item("address_line", self.address_line.to_py(py)?)?;
        Ok(dict.into_any())
    }
}

py_model! {
    /// One of the company's accounts (`Client.accounts()`).
    PyAccount("Account") wraps Account {
        /// The account's IBAN.
        iban,
        /// The bank's BIC, if sent.
        bic,
        /// Account name (user-given or product name).
        name,
        /// Current balance as `decimal.Decimal`.
        balance,
        /// ISO 4217 currency code.
        currency,
        /// Opaque handle for `account()` and `transactions()`.
        surrogate_id,
        /// Product names by language.
        product_names,
        /// Account type code, if sent.
        account_type_code,
        /// Fields OP sent that the SDK does not model.
        extra,
    }
}

py_model! {
    /// One account's details (`Client.account(surrogate_id)`).
    PyAccountDetails("AccountDetails") wraps AccountDetails {
        /// The account's IBAN.
        iban,
        /// The bank's BIC.
        bic,
        /// Due date of a fixed-term account (`datetime.date`).
        due_date,
        /// Owner's business id.
        owner_id,
        /// ISO 4217 currency code.
        currency,
        /// Balance including cover reservations.
        net_balance,
        /// Account name.
        account_name,
        /// Maximum credit amount.
        credit_limit,
        /// Opaque account handle.
        surrogate_id,
        /// Owner's name.
        account_owner,
        /// Date the account was opened.
        creation_date,
        /// Balance without cover reservations.
        gross_balance,
        /// Allowed negative balance per day.
        intra_day_limit,
        /// Fields OP sent that the SDK does not model.
        extra,
    }
}

py_model! {
    /// One booked transaction (Transactions V2/V3). `amount` is signed: credits positive.
    PyTransaction("Transaction") wraps Transaction {
        /// Signed amount as `decimal.Decimal`.
        amount,
        /// Balance before, if sent.
        balance_before,
        /// Balance after, if sent.
        balance_after,
        /// Free-text message.
        message,
        /// ISO 4217 currency code.
        currency,
        /// OP's transaction id (the paging anchor).
        object_id,
        /// Archive id (filing code), always a str.
        archive_id,
        /// Payer's bank BIC.
        debtor_bic,
        /// Finnish creditor reference (zero-padded by OP).
        reference,
        /// RF creditor reference.
        rf_reference,
        /// Value date.
        value_date,
        /// Payer's name.
        debtor_name,
        /// Booking date.
        booking_date,
        /// Payee's bank BIC.
        creditor_bic,
        /// Payment date.
        payment_date,
        /// Payee's name.
        creditor_name,
        /// Payer's IBAN.
        debtor_account,
        /// Payee's IBAN.
        creditor_account,
        /// End-to-end id.
        end_to_end_id,
        /// Registration time, microseconds since the Unix epoch.
        timestamp,
        /// Transaction type code.
        transaction_type_code,
        /// Transaction type description (V2).
        transaction_type_description,
        /// Booking code (V3).
        booking_code,
        /// Booking code description (V3).
        booking_code_description,
        /// SWIFT/SEPA UETR.
        uetr,
        /// Fields OP sent that the SDK does not model.
        extra,
    }
}

py_model! {
    /// OP's answer to a payment (also the `refund` part of a refund answer).
    PyPaymentResponse("PaymentResponse") wraps PaymentResponse {
        /// Amount as `decimal.Decimal`.
        amount,
        /// `"PROCESSING"`, `"PROCESSED"`, `"REJECTED"` or another value OP sends.
        status,
        /// ISO 4217 currency code.
        currency,
        /// Archive id of the booked payment.
        archive_id,
        /// Payer's IBAN.
        debtor_iban,
        /// Ultimate debtor's name.
        ultimate_debtor_name,
        /// Booking date.
        booking_date,
        /// The rail OP used, e.g. `"SCT"` or `"SCT_INST"`.
        payment_type,
        /// Payee's IBAN.
        creditor_iban,
        /// Payee's name.
        creditor_name,
        /// Ultimate creditor's name.
        ultimate_creditor_name,
        /// Transaction id.
        transaction_id,
        /// Transaction date.
        transaction_date,
        /// End-to-end id.
        end_to_end_id,
        /// Message.
        message,
        /// Fields OP sent that the SDK does not model.
        extra,
    }
}

py_model! {
    /// The refunded incoming payment, as OP describes it in a refund answer.
    PyRefundOriginal("RefundOriginal") wraps RefundOriginal {
        /// Archive id of the refunded payment.
        archive_id,
        /// Its message.
        message,
        /// Its reference.
        reference,
        /// Its amount.
        amount,
        /// Its booking date.
        booking_date,
        /// Its payer.
        debtor_name,
        /// Fields OP sent that the SDK does not model.
        extra,
    }
}

py_model! {
    /// OP's answer to a refund: the original payment and the refund payment.
    PyRefundResponse("RefundResponse") wraps RefundResponse {
        /// The refunded payment.
        original,
        /// The refund as a payment.
        refund,
        /// Fields OP sent that the SDK does not model.
        extra,
    }
}

py_model! {
    /// One transaction found by the Transaction Filter API.
    PyFilteredTransaction("FilteredTransaction") wraps FilteredTransaction {
        /// Amount.
        amount,
        /// Archive id.
        archive_id,
        /// OP's transaction id, if sent.
        object_id,
        /// Registration time in microseconds, if sent.
        timestamp,
        /// Booking date.
        booking_date,
        /// Finnish reference.
        reference,
        /// RF reference.
        rf_reference,
        /// Message.
        message,
        /// Payer's name.
        debtor_name,
        /// Payee's name.
        creditor_name,
        /// Fields OP sent that the SDK does not model.
        extra,
    }
}

py_model! {
    /// Transaction Filter result: the matches and how many OP skipped (over its cap).
    PyFilterResult("FilterResult") wraps FilterResult {
        /// The matching transactions.
        transactions,
        /// How many matches OP left out.
        skipped,
        /// Fields OP sent that the SDK does not model.
        extra,
    }
}

py_model! {
    /// The payer of an incoming payment (Transaction Info API).
    PyPayerDetails("PayerDetails") wraps PayerDetails {
        /// Payer's name.
        payer_name,
        /// Payer's address as a dict (`street_name`, `building_number`, `post_code`,
        /// `town_name`, `country`, `address_line`).
        payer_address,
        /// Fields OP sent that the SDK does not model.
        extra,
    }
}

py_model! {
    /// A mandate a company gave this service provider (Service Provider API).
    PyMandate("Mandate") wraps Mandate {
        /// Mandate id.
        mandate_id,
        /// Company name.
        company_name,
        /// Company business id.
        business_id,
        /// APIs the mandate covers.
        apis,
        /// Start date.
        valid_from,
        /// `"ACTIVE"`, `"REVOKED"` or another value OP sends.
        status,
        /// Fields OP sent that the SDK does not model.
        extra,
    }
}

impl ToPy for PayeeMatch {
    /// The ISO outcome code (`MTCH`, `CMTC`, `NMTC`, `NOAP`, or an unknown code as sent).
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.code().to_owned().to_py(py)
    }
}

py_model! {
    /// The answer to a Verification of Payee request (`Client.verify_payee`).
    PyPayeeVerification("PayeeVerification") wraps PayeeVerification {
        /// `"MTCH"`, `"CMTC"`, `"NMTC"`, `"NOAP"` (or another code the bank sent).
        outcome,
        /// The holder's name as the bank holds it, on a close match.
        matched_name,
        /// The X-Request-ID of the verification call.
        request_id,
    }
}

/// Registers the result classes.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyAccount>()?;
    m.add_class::<PyAccountDetails>()?;
    m.add_class::<PyTransaction>()?;
    m.add_class::<PyPaymentResponse>()?;
    m.add_class::<PyRefundOriginal>()?;
    m.add_class::<PyRefundResponse>()?;
    m.add_class::<PyFilteredTransaction>()?;
    m.add_class::<PyFilterResult>()?;
    m.add_class::<PyPayerDetails>()?;
    m.add_class::<PyMandate>()?;
    m.add_class::<PyPayeeVerification>()?;
    Ok(())
}
