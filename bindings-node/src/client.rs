//! `NativeClient`: every core API as a promise-returning method. Results cross as JSON text
//! (encoded on the runtime) that the JS layer parses; requests cross as JSON text too.

use napi::Either;
use napi::Env;
use napi::bindgen_prelude::Object;
use napi_derive::napi;
use opcorp::api::account_data::TransactionQuery;
use opcorp::client::Client;
use opcorp::config::TransactionsVersion;
use opcorp::error::OperationKind;
use opcorp::model::{FilterQuery, PayerDetailsQuery, PaymentRequest, RefundRequest};

use crate::config::{ClientOptions, build_client};
use crate::errors::{IntoJsResult, Pending};
use crate::input;
use crate::outbox::NativeOutbox;
use crate::runtime::{json, promise, same};
use crate::transactions::{MAX_ARRAY_BYTES, TransactionCursor};
use crate::watch::{NativeWatcher, WatchOptions};

/// Where a transaction stream starts and stops.
#[napi(object)]
#[derive(Default)]
pub struct TransactionOptions {
    /// Start at midnight UTC of this date (`YYYY-MM-DD`).
    pub from_date: Option<String>,
    /// Start at this instant (ISO 8601 with a zone).
    pub from_time: Option<String>,
    /// Start at this registration time, microseconds since the epoch.
    pub from_timestamp_micros: Option<i64>,
    /// Resume strictly after this `objectId` (a checkpoint).
    pub after_object_id: Option<String>,
    /// Stop after this booking date (`YYYY-MM-DD`).
    pub to_date: Option<String>,
    /// Transactions endpoint version: 2, 3 or "auto" (the default: V3, falling back to V2
    /// once on a 404).
    pub version: Option<Either<u32, String>>,
    /// Page size (capped at 150 for V2 and 1000 for V3).
    pub page_size: Option<u32>,
}

/// A Transaction Filter search (at most 30 days; dates `YYYY-MM-DD`, amounts decimal text).
#[napi(object)]
pub struct FilterOptions {
    /// The company account to search.
    pub account_iban: String,
    /// First day of the range.
    pub from_date: String,
    /// Last day of the range.
    pub to_date: String,
    /// Creditor reference to match.
    pub reference: Option<String>,
    /// Smallest amount to match.
    pub min_amount: Option<String>,
    /// Largest amount to match.
    pub max_amount: Option<String>,
    /// Payer name to match (credit searches).
    pub debtor_name: Option<String>,
    /// Payee name to match (debit searches).
    pub creditor_name: Option<String>,
}

/// Identifies the credit transaction whose payer is wanted.
#[napi(object)]
pub struct PayerOptions {
    /// The company account that received the payment.
    pub account_iban: String,
    /// Archive id of the credit transaction.
    pub archive_id: String,
    /// Booking date (`YYYY-MM-DD`), when known.
    pub booking_date: Option<String>,
}

/// An authenticated client for OP's corporate APIs (one connection pool and token cache).
#[napi]
pub struct NativeClient {
    client: Client,
}

impl NativeClient {
    /// The core client (for watchers).
    pub fn core(&self) -> &Client {
        &self.client
    }
}

#[napi]
impl NativeClient {
    /// Builds a client from options; throws a CONFIG error when they are incomplete.
    #[napi(constructor)]
    pub fn new(env: Env, options: Option<ClientOptions>) -> napi::Result<Self> {
        let client = build_client(false, options).js(&env)?;
        Ok(NativeClient { client })
    }

    /// Builds a client from the `OPCORP_*` environment variables, then `options`.
    #[napi(factory)]
    pub fn from_env(env: Env, options: Option<ClientOptions>) -> napi::Result<Self> {
        let client = build_client(true, options).js(&env)?;
        Ok(NativeClient { client })
    }

    /// The base URL every call goes to.
    #[napi(getter)]
    pub fn base_url(&self) -> String {
        self.client.base_url().to_owned()
    }

    /// A redacted description (no secrets).
    #[napi]
    pub fn describe(&self) -> String {
        format!("{:?}", self.client)
    }

    /// The company's accounts (JSON array).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn accounts<'e>(&self, env: &'e Env) -> napi::Result<Object<'e>> {
        let c = self.client.clone();
        promise(
            env,
            async move { json(&c.account_data().accounts().await?) },
            same,
        )
    }

    /// One account's details (JSON object).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn account<'e>(&self, env: &'e Env, surrogate_id: String) -> napi::Result<Object<'e>> {
        let c = self.client.clone();
        promise(
            env,
            async move { json(&c.account_data().account(&surrogate_id).await?) },
            same,
        )
    }

    /// A cursor over an account's transactions, oldest first.
    #[napi]
    pub fn transactions(
        &self,
        env: Env,
        surrogate_id: String,
        options: Option<TransactionOptions>,
    ) -> napi::Result<TransactionCursor> {
        let query = transaction_query(options.unwrap_or_default()).js(&env)?;
        let stream = self.client.account_data().transaction_pages_json(
            &surrogate_id,
            query,
            MAX_ARRAY_BYTES,
        );
        Ok(TransactionCursor::new(stream))
    }

    /// Sends a signed SEPA (or, with `instant`, SEPA Instant) payment.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn payment<'e>(
        &self,
        env: &'e Env,
        request: String,
        instant: bool,
    ) -> napi::Result<Object<'e>> {
        let request: PaymentRequest = input::parse("payment request", &request).js(env)?;
        let c = self.client.clone();
        promise(
            env,
            async move {
                let payments = c.payments();
                let response = if instant {
                    payments.sepa_instant(request).await?
                } else {
                    payments.sepa(request).await?
                };
                json(&response)
            },
            same,
        )
    }

    /// Validates a payment, fixes its `instructionId` and serialises it without sending.
    #[napi]
    pub fn prepare_payment(
        &self,
        env: Env,
        request: String,
        instant: bool,
    ) -> napi::Result<Pending> {
        let request: PaymentRequest = input::parse("payment request", &request).js(&env)?;
        let kind = if instant {
            OperationKind::SepaInstantPayment
        } else {
            OperationKind::SepaPayment
        };
        let pending = self.client.payments().prepare(request, kind).js(&env)?;
        Ok(Pending::from_core(&pending))
    }

    /// Refunds an incoming payment.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn refund<'e>(&self, env: &'e Env, request: String) -> napi::Result<Object<'e>> {
        let request: RefundRequest = input::parse("refund request", &request).js(env)?;
        let c = self.client.clone();
        promise(
            env,
            async move { json(&c.refunds().create(request).await?) },
            same,
        )
    }

    /// Validates and serialises a refund without sending it.
    #[napi]
    pub fn prepare_refund(&self, env: Env, request: String) -> napi::Result<Pending> {
        let request: RefundRequest = input::parse("refund request", &request).js(&env)?;
        let pending = self.client.refunds().prepare(&request).js(&env)?;
        Ok(Pending::from_core(&pending))
    }

    /// Sends a prepared operation, or resends one from an UNKNOWN_OUTCOME error.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn resolve<'e>(&self, env: &'e Env, pending: Pending) -> napi::Result<Object<'e>> {
        let pending = pending.to_core().js(env)?;
        let c = self.client.clone();
        promise(
            env,
            async move {
                match pending.kind {
                    OperationKind::Refund => json(&c.refunds().resolve(&pending).await?),
                    OperationKind::SepaPayment | OperationKind::SepaInstantPayment => {
                        json(&c.payments().resolve(&pending).await?)
                    }
                }
            },
            same,
        )
    }

    /// Instant payments with this `instructionId` (JSON array).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn instant_status<'e>(
        &self,
        env: &'e Env,
        instruction_id: String,
    ) -> napi::Result<Object<'e>> {
        let c = self.client.clone();
        promise(
            env,
            async move { json(&c.payments().instant_status(&instruction_id).await?) },
            same,
        )
    }

    /// Searches incoming (`credit`) or outgoing payments.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn filter<'e>(
        &self,
        env: &'e Env,
        options: FilterOptions,
        credit: bool,
    ) -> napi::Result<Object<'e>> {
        let query = filter_query(options).js(env)?;
        let c = self.client.clone();
        promise(
            env,
            async move {
                let api = c.transaction_filter();
                let result = if credit {
                    api.credit(&query).await?
                } else {
                    api.debit(&query).await?
                };
                json(&result)
            },
            same,
        )
    }

    /// The payer of an incoming payment.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn payer_details<'e>(
        &self,
        env: &'e Env,
        options: PayerOptions,
    ) -> napi::Result<Object<'e>> {
        let query = payer_query(options).js(env)?;
        let c = self.client.clone();
        promise(
            env,
            async move { json(&c.transaction_info().payer_details(&query).await?) },
            same,
        )
    }

    /// Verification of Payee: whether `name` matches the holder of `iban` (JSON
    /// `{ outcome, matchedName?, requestId }`).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn verify_payee<'e>(
        &self,
        env: &'e Env,
        iban: String,
        name: String,
    ) -> napi::Result<Object<'e>> {
        let c = self.client.clone();
        promise(
            env,
            async move { json(&c.account_verification().verify_payee(&iban, &name).await?) },
            same,
        )
    }

    /// Mandates companies gave this service provider (JSON array).
    #[napi(ts_return_type = "Promise<string>")]
    pub fn mandates<'e>(&self, env: &'e Env) -> napi::Result<Object<'e>> {
        let c = self.client.clone();
        promise(
            env,
            async move { json(&c.service_provider().mandates().await?) },
            same,
        )
    }

    /// Runs core's conformance scenario (`writes` adds a payment, an instant payment and a
    /// refund, refused against production); the report as JSON.
    #[napi(ts_return_type = "Promise<string>")]
    pub fn conformance<'e>(&self, env: &'e Env, writes: bool) -> napi::Result<Object<'e>> {
        let c = self.client.clone();
        promise(
            env,
            async move { json(&opcorp::conformance::run(&c, writes).await?) },
            same,
        )
    }

    /// Opens the payment outbox in the SQLite file at `path` (created when missing).
    #[napi]
    pub fn outbox(&self, env: Env, path: String) -> napi::Result<NativeOutbox> {
        NativeOutbox::open(&env, self.client.clone(), path)
    }

    /// Starts watching accounts for new transactions.
    #[napi]
    pub fn watch(&self, env: Env, options: WatchOptions) -> napi::Result<NativeWatcher> {
        NativeWatcher::start(&env, self.client.clone(), options)
    }
}

/// The core transaction query from JS options.
fn transaction_query(o: TransactionOptions) -> opcorp::Result<TransactionQuery> {
    let mut query = TransactionQuery::new();
    if let Some(date) = o.from_date {
        query = query.from_date(input::date("fromDate", &date)?);
    }
    if let Some(time) = o.from_time {
        query = query.from_time(input::timestamp("fromTime", &time)?);
    }
    if let Some(micros) = o.from_timestamp_micros {
        query = query.from_timestamp_micros(micros);
    }
    if let Some(id) = o.after_object_id {
        query = query.after_object_id(id);
    }
    if let Some(date) = o.to_date {
        query = query.to(input::date("toDate", &date)?);
    }
    match o.version {
        Some(Either::A(number)) => query = query.version(TransactionsVersion::from_number(number)?),
        Some(Either::B(name)) => query = query.version(TransactionsVersion::parse(&name)?),
        None => {}
    }
    if let Some(size) = o.page_size {
        query = query.page_size(size as usize);
    }
    Ok(query)
}

/// The core filter query from JS options, validated.
fn filter_query(o: FilterOptions) -> opcorp::Result<FilterQuery> {
    let mut query = FilterQuery::for_dates(
        &o.account_iban,
        input::date("fromDate", &o.from_date)?,
        input::date("toDate", &o.to_date)?,
    )?;
    query.reference = o.reference;
    query.min_amount = o
        .min_amount
        .map(|a| input::amount("minAmount", &a))
        .transpose()?;
    query.max_amount = o
        .max_amount
        .map(|a| input::amount("maxAmount", &a))
        .transpose()?;
    query.debtor_name = o.debtor_name;
    query.creditor_name = o.creditor_name;
    query.validate()?;
    Ok(query)
}

/// The core payer query from JS options, validated.
fn payer_query(o: PayerOptions) -> opcorp::Result<PayerDetailsQuery> {
    let mut query = PayerDetailsQuery::new(&o.account_iban, o.archive_id)?;
    query.booking_date = o
        .booking_date
        .map(|d| input::date("bookingDate", &d))
        .transpose()?;
    query.validate()?;
    Ok(query)
}
