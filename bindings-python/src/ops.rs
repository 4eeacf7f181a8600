//! The client operations shared by `Client` (blocking) and `AsyncClient`: each copies its
//! arguments into owned core values and returns a `'static` future over core, which the
//! blocking side runs with the GIL released and the async side hands to asyncio.

use futures::FutureExt;
use futures::future::BoxFuture;
use opcorp::api::TransactionQuery;
use opcorp::client::Client;
use opcorp::error::{OperationKind, PendingOperation};
use opcorp::model::{
    Account, AccountDetails, FilterQuery, FilterResult, Mandate, PayeeVerification, PayerDetails,
    PayerDetailsQuery, PaymentRequest, PaymentResponse, RefundRequest, RefundResponse,
};
use pyo3::prelude::*;

use crate::convert::ToPy;
use crate::runtime::ForkGuard;

/// A boxed core call.
pub type Call<T> = BoxFuture<'static, opcorp::Result<T>>;

/// What resolving a pending operation returns: a payment or a refund answer.
pub enum Resolved {
    /// A resolved payment.
    Payment(Box<PaymentResponse>),
    /// A resolved refund.
    Refund(Box<RefundResponse>),
}

impl ToPy for Resolved {
    fn to_py<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Resolved::Payment(p) => p.to_py(py),
            Resolved::Refund(r) => r.to_py(py),
        }
    }
}

/// A core client and the process it belongs to.
#[derive(Clone)]
pub struct Core {
    client: Client,
    guard: ForkGuard,
}

/// A future that fails at once (argument or fork errors surface when awaited/called).
fn failed<T: Send + 'static>(err: opcorp::Error) -> Call<T> {
    futures::future::ready(Err(err)).boxed()
}

/// Builds a `Call` from a closure over a checked client clone.
macro_rules! call {
    ($core:expr, |$c:ident| $body:expr) => {
        match $core.client() {
            Ok($c) => async move { $body }.boxed(),
            Err(e) => failed(e),
        }
    };
}

impl Core {
    /// Wraps a built client.
    pub fn new(client: Client) -> Self {
        Core {
            client,
            guard: ForkGuard::new(),
        }
    }

    /// The core client, unless this process is a fork of the one that built it.
    pub fn client(&self) -> opcorp::Result<Client> {
        self.guard.check("Client")?;
        Ok(self.client.clone())
    }

    /// The fork guard (handed to iterators and watchers made from this client).
    pub fn guard(&self) -> ForkGuard {
        self.guard
    }

    /// The client's redacted debug form.
    pub fn describe(&self) -> String {
        format!("{:?}", self.client)
    }

    /// `GET …/v1/accounts`.
    pub fn accounts(&self) -> Call<Vec<Account>> {
        call!(self, |c| c.account_data().accounts().await)
    }

    /// `GET …/v1/accounts/{id}`.
    pub fn account(&self, surrogate_id: String) -> Call<AccountDetails> {
        call!(self, |c| c.account_data().account(&surrogate_id).await)
    }

    /// A SEPA (`instant = false`) or SEPA Instant payment.
    pub fn payment(&self, request: PaymentRequest, instant: bool) -> Call<PaymentResponse> {
        call!(self, |c| if instant {
            c.payments().sepa_instant(request).await
        } else {
            c.payments().sepa(request).await
        })
    }

    /// Prepares (validates, assigns an id, serialises) a payment without sending it.
    pub fn prepare_payment(
        &self,
        request: PaymentRequest,
        instant: bool,
    ) -> opcorp::Result<PendingOperation> {
        let kind = if instant {
            OperationKind::SepaInstantPayment
        } else {
            OperationKind::SepaPayment
        };
        self.client()?.payments().prepare(request, kind)
    }

    /// Prepares a refund without sending it.
    pub fn prepare_refund(&self, request: &RefundRequest) -> opcorp::Result<PendingOperation> {
        self.client()?.refunds().prepare(request)
    }

    /// Sends or resends a pending payment or refund.
    pub fn resolve(&self, pending: PendingOperation) -> Call<Resolved> {
        call!(self, |c| match pending.kind {
            OperationKind::SepaPayment | OperationKind::SepaInstantPayment => c
                .payments()
                .resolve(&pending)
                .await
                .map(|p| Resolved::Payment(Box::new(p))),
            OperationKind::Refund => c
                .refunds()
                .resolve(&pending)
                .await
                .map(|r| Resolved::Refund(Box::new(r))),
        })
    }

    /// Instant payment status by `instructionId`.
    pub fn instant_status(&self, instruction_id: String) -> Call<Vec<PaymentResponse>> {
        call!(self, |c| c.payments().instant_status(&instruction_id).await)
    }

    /// A refund.
    pub fn refund(&self, request: RefundRequest) -> Call<RefundResponse> {
        call!(self, |c| c.refunds().create(request).await)
    }

    /// Transaction Filter: credits (`credit = true`) or debits.
    pub fn filter(&self, query: FilterQuery, credit: bool) -> Call<FilterResult> {
        call!(self, |c| if credit {
            c.transaction_filter().credit(&query).await
        } else {
            c.transaction_filter().debit(&query).await
        })
    }

    /// Transaction Info: the payer of an incoming payment.
    pub fn payer_details(&self, query: PayerDetailsQuery) -> Call<PayerDetails> {
        call!(self, |c| c.transaction_info().payer_details(&query).await)
    }

    /// Account Verification: Verification of Payee.
    pub fn verify_payee(&self, iban: String, name: String) -> Call<PayeeVerification> {
        call!(self, |c| c
            .account_verification()
            .verify_payee(&iban, &name)
            .await)
    }

    /// Service Provider: mandates.
    pub fn mandates(&self) -> Call<Vec<Mandate>> {
        call!(self, |c| c.service_provider().mandates().await)
    }

    /// Core's conformance scenario; the report as JSON (`writes` adds a payment, an instant
    /// payment and a refund, refused against production).
    pub fn conformance(&self, writes: bool) -> Call<serde_json::Value> {
        call!(self, |c| {
            let report = opcorp::conformance::run(&c, writes).await?;
            serde_json::to_value(report).map_err(|e| {
                opcorp::Error::invalid_input(format!("the report cannot be written: {e}"))
            })
        })
    }

    /// The transaction stream of one account.
    pub fn transactions(
        &self,
        surrogate_id: &str,
        query: TransactionQuery,
    ) -> opcorp::Result<crate::transactions::TxStream> {
        let client = self.client()?;
        Ok(Box::pin(
            client.account_data().transactions(surrogate_id, query),
        ))
    }
}
