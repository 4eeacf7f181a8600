//! `opcorp.Client` (blocking, GIL released during I/O) and `opcorp.AsyncClient` (asyncio):
//! the same methods generated from one list, differing only in how a core call is run.

use opcorp::api::TransactionQuery;
use opcorp::config::TransactionsVersion;
use opcorp::model::{FilterQuery, PayerDetailsQuery};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::aio;
use crate::config::build_client;
use crate::convert::{ToPy, amount_arg, date_arg, datetime_arg};
use crate::errors::{IntoPyResult, PyPendingOperation};
use crate::ops::{Call, Core};
use crate::outbox::OutboxCore;
use crate::requests::{PyPaymentRequest, PyRefundRequest};
use crate::runtime;
use crate::transactions::PyTransactionIterator;
use crate::watch::{PyWatcher, WatchOptions};

/// Runs a core call to completion with the GIL released.
pub(crate) fn run_blocking<'py, T: ToPy + Send + 'static>(
    py: Python<'py>,
    call: Call<T>,
) -> PyResult<Bound<'py, PyAny>> {
    runtime::block_on(py, call)?.py()?.to_py(py)
}

/// Starts a core call and returns an awaitable for it.
pub(crate) fn run_async<'py, T: ToPy + Send + 'static>(
    py: Python<'py>,
    call: Call<T>,
) -> PyResult<Bound<'py, PyAny>> {
    aio::future_into_py(py, call)
}

/// `version=2`, `3` or `"auto"`: core's names for the transactions endpoint.
fn version_arg(value: &Bound<'_, PyAny>) -> PyResult<TransactionsVersion> {
    if let Ok(number) = value.extract::<u32>() {
        return TransactionsVersion::from_number(number).py();
    }
    match value.extract::<String>() {
        Ok(name) => TransactionsVersion::parse(&name).py(),
        Err(_) => Err::<TransactionsVersion, _>(opcorp::Error::invalid_input(
            "version must be 2, 3 or \"auto\"",
        ))
        .py(),
    }
}

/// Builds the core transaction query from keyword arguments.
fn transaction_query(
    from_date: Option<&Bound<'_, PyAny>>,
    from_time: Option<&Bound<'_, PyAny>>,
    after_object_id: Option<String>,
    to_date: Option<&Bound<'_, PyAny>>,
    version: Option<&Bound<'_, PyAny>>,
    page_size: Option<usize>,
) -> PyResult<TransactionQuery> {
    let mut query = TransactionQuery::new();
    if let Some(date) = from_date {
        query = query.from_date(date_arg("from_date", date)?);
    }
    if let Some(time) = from_time {
        query = query.from_time(datetime_arg("from_time", time)?);
    }
    if let Some(id) = after_object_id {
        query = query.after_object_id(id);
    }
    if let Some(date) = to_date {
        query = query.to(date_arg("to_date", date)?);
    }
    if let Some(version) = version {
        query = query.version(version_arg(version)?);
    }
    if let Some(size) = page_size {
        query = query.page_size(size);
    }
    Ok(query)
}

/// Builds a Transaction Filter query from keyword arguments.
#[allow(clippy::too_many_arguments)]
fn filter_query(
    account_iban: &str,
    from_date: &Bound<'_, PyAny>,
    to_date: &Bound<'_, PyAny>,
    reference: Option<String>,
    min_amount: Option<&Bound<'_, PyAny>>,
    max_amount: Option<&Bound<'_, PyAny>>,
    debtor_name: Option<String>,
    creditor_name: Option<String>,
) -> PyResult<FilterQuery> {
    let mut query = FilterQuery::for_dates(
        account_iban,
        date_arg("from_date", from_date)?,
        date_arg("to_date", to_date)?,
    )
    .py()?;
    query.reference = reference;
    query.min_amount = min_amount
        .map(|a| amount_arg("min_amount", a))
        .transpose()?;
    query.max_amount = max_amount
        .map(|a| amount_arg("max_amount", a))
        .transpose()?;
    query.debtor_name = debtor_name;
    query.creditor_name = creditor_name;
    query.validate().py()?;
    Ok(query)
}

/// Generates the client class `$ty` whose calls run through `$run`.
macro_rules! client_class {
    ($(#[$meta:meta])* $ty:ident($name:literal), $run:ident, $outbox:ty) => {
        $(#[$meta])*
        #[pyclass(name = $name, module = "opcorp", frozen)]
        pub struct $ty {
            core: Core,
        }

        #[pymethods]
        impl $ty {
            /// Builds a client from keyword settings (see the type stubs for the list):
            /// `base_url` or `environment`, `client_id`, `client_secret`, the mTLS
            /// `certificate_*`/`private_key_*`, optional `ca_certificate_*`, `signing_key_*`
            /// with `signing_kid`, timeouts in seconds.
            #[new]
            #[pyo3(signature = (**kwargs))]
            fn new(py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
                Ok($ty { core: Core::new(build_client(py, false, kwargs)?) })
            }

            /// Builds a client from the `OPCORP_*` environment variables; keyword settings
            /// override them.
            #[staticmethod]
            #[pyo3(signature = (**kwargs))]
            fn from_env(py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
                Ok($ty { core: Core::new(build_client(py, true, kwargs)?) })
            }

            /// The base URL every call goes to.
            #[getter]
            fn base_url(&self) -> PyResult<String> {
                Ok(self.core.client().py()?.base_url().to_owned())
            }

            fn __repr__(&self) -> String {
                format!("<opcorp.{} {}>", $name, self.core.describe())
            }

            /// The company's accounts (list of `Account`).
            fn accounts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                $run(py, self.core.accounts())
            }

            /// One account's details (`AccountDetails`).
            fn account<'py>(&self, py: Python<'py>, surrogate_id: String) -> PyResult<Bound<'py, PyAny>> {
                $run(py, self.core.account(surrogate_id))
            }

            /// A lazy iterator (and async iterator) over an account's transactions, oldest
            /// first. Start at `from_date`/`from_time` or strictly after `after_object_id`;
            /// stop after `to_date`; `version` 2, 3 or "auto" (default); `page_size` up to 1000 (V3).
            #[pyo3(signature = (surrogate_id, *, from_date=None, from_time=None,
                after_object_id=None, to_date=None, version=None, page_size=None))]
            #[allow(clippy::too_many_arguments)]
            fn transactions(
                &self,
                surrogate_id: &str,
                from_date: Option<&Bound<'_, PyAny>>,
                from_time: Option<&Bound<'_, PyAny>>,
                after_object_id: Option<String>,
                to_date: Option<&Bound<'_, PyAny>>,
                version: Option<&Bound<'_, PyAny>>,
                page_size: Option<usize>,
            ) -> PyResult<PyTransactionIterator> {
                let query = transaction_query(
                    from_date, from_time, after_object_id, to_date, version, page_size,
                )?;
                let _guard = runtime::runtime()?.enter();
                let stream = self.core.transactions(surrogate_id, query).py()?;
                Ok(PyTransactionIterator::new(stream, self.core.guard()))
            }

            /// Sends a signed SEPA credit transfer (`PaymentResponse`). Read `payment_type`:
            /// it says which rail OP used.
            fn sepa_payment<'py>(&self, py: Python<'py>, request: &PyPaymentRequest) -> PyResult<Bound<'py, PyAny>> {
                $run(py, self.core.payment(request.inner.clone(), false))
            }

            /// Sends a signed SEPA Instant payment (`PaymentResponse`).
            fn sepa_instant_payment<'py>(&self, py: Python<'py>, request: &PyPaymentRequest) -> PyResult<Bound<'py, PyAny>> {
                $run(py, self.core.payment(request.inner.clone(), true))
            }

            /// Validates a payment, fixes its `instructionId` and serialises it without
            /// sending (`PendingOperation`, for an outbox); send it with `resolve`.
            #[pyo3(signature = (request, *, instant=false))]
            fn prepare_payment(&self, request: &PyPaymentRequest, instant: bool) -> PyResult<PyPendingOperation> {
                let inner = self.core.prepare_payment(request.inner.clone(), instant).py()?;
                Ok(PyPendingOperation { inner })
            }

            /// Refunds an incoming payment (`RefundResponse`).
            fn refund<'py>(&self, py: Python<'py>, request: &PyRefundRequest) -> PyResult<Bound<'py, PyAny>> {
                $run(py, self.core.refund(request.inner.clone()))
            }

            /// Validates and serialises a refund without sending it (`PendingOperation`).
            fn prepare_refund(&self, request: &PyRefundRequest) -> PyResult<PyPendingOperation> {
                let inner = self.core.prepare_refund(&request.inner).py()?;
                Ok(PyPendingOperation { inner })
            }

            /// Sends a prepared operation, or resends one from an `UnknownOutcomeError`:
            /// the same bytes and id, so OP books it at most once. Returns a
            /// `PaymentResponse` or a `RefundResponse`.
            fn resolve<'py>(&self, py: Python<'py>, pending: &PyPendingOperation) -> PyResult<Bound<'py, PyAny>> {
                $run(py, self.core.resolve(pending.inner.clone()))
            }

            /// Runs core's conformance scenario against this client's environment and returns
            /// the redacted report as a dict (what `opcorp conformance` writes; `json.dump`
            /// it to send it back). `writes=True` adds one minimal payment, instant payment
            /// and refund and is refused against production.
            #[pyo3(signature = (*, writes=false))]
            fn conformance<'py>(&self, py: Python<'py>, writes: bool) -> PyResult<Bound<'py, PyAny>> {
                $run(py, self.core.conformance(writes))
            }

            /// Instant payments with this `instructionId` (list of `PaymentResponse`).
            fn instant_status<'py>(&self, py: Python<'py>, instruction_id: String) -> PyResult<Bound<'py, PyAny>> {
                $run(py, self.core.instant_status(instruction_id))
            }

            /// Incoming payments from `from_date` to `to_date` (at most 30 days) matching
            /// the filters (`FilterResult`).
            #[pyo3(signature = (account_iban, from_date, to_date, *, reference=None,
                min_amount=None, max_amount=None, debtor_name=None, creditor_name=None))]
            #[allow(clippy::too_many_arguments)]
            fn credit_transactions<'py>(
                &self,
                py: Python<'py>,
                account_iban: &str,
                from_date: &Bound<'_, PyAny>,
                to_date: &Bound<'_, PyAny>,
                reference: Option<String>,
                min_amount: Option<&Bound<'_, PyAny>>,
                max_amount: Option<&Bound<'_, PyAny>>,
                debtor_name: Option<String>,
                creditor_name: Option<String>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let query = filter_query(account_iban, from_date, to_date, reference,
                    min_amount, max_amount, debtor_name, creditor_name)?;
                $run(py, self.core.filter(query, true))
            }

            /// Outgoing payments from `from_date` to `to_date` (at most 30 days) matching
            /// the filters (`FilterResult`).
            #[pyo3(signature = (account_iban, from_date, to_date, *, reference=None,
                min_amount=None, max_amount=None, debtor_name=None, creditor_name=None))]
            #[allow(clippy::too_many_arguments)]
            fn debit_transactions<'py>(
                &self,
                py: Python<'py>,
                account_iban: &str,
                from_date: &Bound<'_, PyAny>,
                to_date: &Bound<'_, PyAny>,
                reference: Option<String>,
                min_amount: Option<&Bound<'_, PyAny>>,
                max_amount: Option<&Bound<'_, PyAny>>,
                debtor_name: Option<String>,
                creditor_name: Option<String>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let query = filter_query(account_iban, from_date, to_date, reference,
                    min_amount, max_amount, debtor_name, creditor_name)?;
                $run(py, self.core.filter(query, false))
            }

            /// Verification of Payee (`PayeeVerification`): whether `name` matches the
            /// holder of `iban`; `outcome` is `MTCH`, `CMTC`, `NMTC` or `NOAP`.
            fn verify_payee<'py>(
                &self,
                py: Python<'py>,
                iban: String,
                name: String,
            ) -> PyResult<Bound<'py, PyAny>> {
                $run(py, self.core.verify_payee(iban, name))
            }

            /// The payer of an incoming payment (`PayerDetails`).
            #[pyo3(signature = (account_iban, archive_id, *, booking_date=None))]
            fn payer_details<'py>(
                &self,
                py: Python<'py>,
                account_iban: &str,
                archive_id: String,
                booking_date: Option<&Bound<'_, PyAny>>,
            ) -> PyResult<Bound<'py, PyAny>> {
                let mut query = PayerDetailsQuery::new(account_iban, archive_id).py()?;
                query.booking_date = booking_date.map(|d| date_arg("booking_date", d)).transpose()?;
                query.validate().py()?;
                $run(py, self.core.payer_details(query))
            }

            /// Mandates companies gave this service provider (list of `Mandate`).
            fn mandates<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                $run(py, self.core.mandates())
            }

            /// The payment outbox in the SQLite file at `path` (created when missing):
            /// exactly-once payments and refunds keyed by intent, paid with this client.
            fn outbox(&self, py: Python<'_>, path: std::path::PathBuf) -> PyResult<$outbox> {
                Ok(<$outbox>::from(OutboxCore::open(py, &self.core, path)?))
            }

            /// Watches accounts for new transactions (`Watcher`): iterate (or `async for`)
            /// over deliveries and `ack` each once handled. With `checkpoint_file` an
            /// acknowledged transaction is never delivered again, also after a restart. With
            /// `store_url` (PostgreSQL) every watcher of `store_group` shares the accounts
            /// under leases; `account_source="all"` then watches every account and
            /// `account_source="mandates"` every account of every client company that gave a
            /// mandate, both re-read while running, and `store_init` creates or upgrades the
            /// schema first.
            #[pyo3(signature = (accounts, *, checkpoint_file=None, start_from=None,
                poll_interval=None, include_outgoing=false, page_size=None, lookback=None,
                max_requests_per_second=None, store_url=None, store_group=None, lease_ttl=None,
                account_source=None, store_init=false))]
            #[allow(clippy::too_many_arguments)]
            fn watch(
                &self,
                py: Python<'_>,
                accounts: Vec<String>,
                checkpoint_file: Option<std::path::PathBuf>,
                start_from: Option<&Bound<'_, PyAny>>,
                poll_interval: Option<f64>,
                include_outgoing: bool,
                page_size: Option<usize>,
                lookback: Option<f64>,
                max_requests_per_second: Option<f64>,
                store_url: Option<String>,
                store_group: Option<String>,
                lease_ttl: Option<f64>,
                account_source: Option<String>,
                store_init: bool,
            ) -> PyResult<PyWatcher> {
                let options = WatchOptions::parse(
                    accounts, checkpoint_file, start_from, poll_interval, include_outgoing,
                    page_size, lookback, max_requests_per_second,
                )?
                .with_store(store_url, store_group, lease_ttl, account_source, store_init)?;
                PyWatcher::start(py, &self.core, options)
            }
        }
    };
}

client_class! {
    /// A blocking client for OP's corporate APIs. Every call releases the GIL while it
    /// waits, so other Python threads keep running. One client per identity; share it.
    PyClient("Client"), run_blocking, crate::outbox::PyOutbox
}

client_class! {
    /// The asyncio twin of `Client`: the same methods, returning awaitables.
    PyAsyncClient("AsyncClient"), run_async, crate::outbox::PyAsyncOutbox
}
