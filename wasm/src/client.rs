//! `new Client({ baseUrl, transport, headers?, retry? })`: OP's APIs over a host-supplied
//! transport, through core's engine.
//!
//! Everything but type conversion is core's: the route table builds every request (paths,
//! percent-encoding, validation), `opcorp::engine` sends it (request ids, retries and budget,
//! `Retry-After`, the 401 rule, size cap, error mapping, `UNKNOWN_OUTCOME`), core's models
//! decode the answers and its pager walks transactions. Payments and refunds are prepared by
//! core (instruction id, exact bytes) and sent unsigned: in a browser the gateway holds the
//! key and signs; a resend after an unknown outcome carries the same id and bytes.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;
use std::time::Duration;

use opcorp::engine::{self, BankClock, Engine, NoAuth, Signing};
use opcorp::model::{
    Account, AccountDetails, AddressRules, FilterQuery, FilterResult, Mandate, PayeeVerification,
    PayerDetails, PayerDetailsQuery, PaymentRequest, PaymentResponse, RefundRequest,
    RefundResponse, Transaction,
};
use opcorp::operation::{self, OperationKind, PendingOperation};
use opcorp::paths::{ApiPaths, Learned, TransactionsVersion};
use opcorp::query::TransactionQuery;
use opcorp::request::{ApiRequest, ApiResponse};
use opcorp::retry::{RetryBudget, RetryPolicy};
use opcorp::routes;
use opcorp::walk::{PageStep, TransactionWalk};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::error::{js_result, to_js as error_to_js};
use crate::json::{from_js, to_js};
use crate::toolkit::parse_date;
use crate::transport::{HostTransport, JsHost, get};

/// Largest response body accepted from the host, as in the native client.
const MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// The options of `new Client(...)`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClientOptions {
    base_url: String,
    #[serde(default)]
    headers: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    retry: Option<RetryOptions>,
    #[serde(default)]
    transactions_version: Option<VersionOption>,
    /// `"rulebook"` (default) or `"allow_unstructured"`: whether payments may carry
    /// addresses of lines only.
    #[serde(default)]
    address_rules: Option<String>,
    /// Deadline in milliseconds for a whole call, retries and backoff included.
    #[serde(default)]
    call_timeout_ms: Option<u64>,
}

/// `transactionsVersion: 2 | 3 | "auto"` (default `"auto"`: V3, falling back to V2 on 404).
#[derive(Deserialize)]
#[serde(untagged)]
enum VersionOption {
    Number(u32),
    Name(String),
}

impl VersionOption {
    fn version(&self) -> opcorp::Result<TransactionsVersion> {
        match self {
            VersionOption::Number(n) => TransactionsVersion::from_number(*n),
            VersionOption::Name(name) => TransactionsVersion::parse(name),
        }
    }
}

/// `retry: { maxAttempts, baseDelayMs, maxDelayMs, maxRetryAfterMs }`; unset fields keep
/// core's defaults.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RetryOptions {
    max_attempts: Option<u32>,
    base_delay_ms: Option<u64>,
    max_delay_ms: Option<u64>,
    max_retry_after_ms: Option<u64>,
}

impl RetryOptions {
    fn policy(&self) -> Result<RetryPolicy, JsValue> {
        let mut policy = RetryPolicy::default();
        if let Some(n) = self.max_attempts {
            if n == 0 {
                return Err(config("retry.maxAttempts must be at least 1"));
            }
            policy.max_attempts = n;
        }
        let ms = Duration::from_millis;
        policy.base_delay = self.base_delay_ms.map_or(policy.base_delay, ms);
        policy.max_delay = self.max_delay_ms.map_or(policy.max_delay, ms);
        policy.max_retry_after = self.max_retry_after_ms.map_or(policy.max_retry_after, ms);
        Ok(policy)
    }
}

/// What every clone of the client shares.
pub(crate) struct Shared {
    transport: HostTransport,
    base_url: String,
    paths: ApiPaths,
    policy: RetryPolicy,
    budget: RetryBudget,
    /// The bank's clock offset learned from a refused signature time.
    bank_clock: BankClock,
    /// Address rules payments are validated under.
    pub(crate) address_rules: AddressRules,
    /// What first contact taught this client (transactions version, paging anchors).
    learned: Learned,
    /// Deadline for a whole call ([`Engine::call_timeout`]).
    call_timeout: Option<Duration>,
}

impl Shared {
    /// Sends `request` through core's engine and decodes a 2xx JSON answer as `T`.
    async fn call<T: DeserializeOwned>(&self, request: ApiRequest) -> opcorp::Result<T> {
        self.exchange(request).await?.json()
    }

    /// Sends `request` through core's engine; its 2xx answer, or the typed error.
    pub(crate) async fn exchange(&self, request: ApiRequest) -> opcorp::Result<ApiResponse> {
        let engine = Engine {
            transport: &self.transport,
            host: &JsHost,
            auth: &NoAuth,
            signing: Signing::Delegated,
            base_url: &self.base_url,
            policy: &self.policy,
            budget: &self.budget,
            bank_clock: &self.bank_clock,
            max_response_bytes: MAX_RESPONSE_BYTES,
            mandate_header: &self.paths.mandate_header,
            call_timeout: self.call_timeout,
        };
        engine::execute(&engine, &request).await
    }
}

/// A client for OP's APIs whose HTTP goes through the host's `transport` function.
#[wasm_bindgen]
pub struct Client {
    shared: Rc<Shared>,
}

#[wasm_bindgen]
impl Client {
    /// `new Client({ baseUrl, transport, headers?, retry?, transactionsVersion?, addressRules?,
    /// callTimeoutMs? })`: `transport(request)` must return (a promise of) `{ status, headers,
    /// body }`; `headers` are added to every request.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientOptions")] options: JsValue,
    ) -> Result<Client, JsValue> {
        let function = get(&options, "transport")
            .dyn_into::<js_sys::Function>()
            .map_err(|_| config("options.transport must be a function"))?;
        // `transport` is a function, which JSON cannot carry; read the rest without it.
        let rest = js_sys::Object::assign(&js_sys::Object::new(), options.unchecked_ref());
        let _ = js_sys::Reflect::delete_property(&rest, &JsValue::from_str("transport"));
        let options: ClientOptions = from_js("client options", &rest)?;
        let base_url = options.base_url.trim_end_matches('/').to_owned();
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            return Err(config("options.baseUrl must be an http:// or https:// URL"));
        }
        let mut paths = ApiPaths::default();
        if let Some(version) = &options.transactions_version {
            paths.transactions_version = js_result(version.version())?;
        }
        let policy = match &options.retry {
            Some(retry) => retry.policy()?,
            None => RetryPolicy::default(),
        };
        let address_rules = match &options.address_rules {
            Some(name) => AddressRules::parse(name)
                .map_err(|e| config(&format!("options.addressRules: {}", e.message())))?,
            None => AddressRules::default(),
        };
        let call_timeout = options.call_timeout_ms.map(Duration::from_millis);
        if let Some(timeout) = call_timeout {
            js_result(engine::check_timeouts(&[("call timeout", timeout)]))?;
        }
        Ok(Client {
            shared: Rc::new(Shared {
                transport: HostTransport {
                    function,
                    headers: options.headers.into_iter().collect(),
                },
                base_url,
                paths,
                policy,
                budget: RetryBudget::default(),
                bank_clock: BankClock::default(),
                address_rules,
                learned: Learned::default(),
                call_timeout,
            }),
        })
    }

    /// The company's accounts (`GET …/v1/accounts`).
    #[wasm_bindgen(unchecked_return_type = "Promise<Account[]>")]
    pub fn accounts(&self) -> js_sys::Promise {
        self.send::<Vec<Account>>(Ok(routes::accounts(&self.shared.paths)))
    }

    /// One account's details (`GET …/v1/accounts/{surrogateId}`).
    #[wasm_bindgen(unchecked_return_type = "Promise<AccountDetails>")]
    pub fn account(&self, surrogate_id: String) -> js_sys::Promise {
        let request = js_result(routes::account(&self.shared.paths, &surrogate_id));
        self.send::<AccountDetails>(request)
    }

    /// The company's mandates as a service provider.
    #[wasm_bindgen(unchecked_return_type = "Promise<Mandate[]>")]
    pub fn mandates(&self) -> js_sys::Promise {
        self.send::<Vec<Mandate>>(Ok(routes::mandates(&self.shared.paths)))
    }

    /// Searches incoming payments with the Transaction Filter API.
    #[wasm_bindgen(js_name = filterCredit, unchecked_return_type = "Promise<FilterResult>")]
    pub fn filter_credit(
        &self,
        #[wasm_bindgen(unchecked_param_type = "FilterQuery")] query: JsValue,
    ) -> js_sys::Promise {
        self.filter(query, true)
    }

    /// Searches outgoing payments with the Transaction Filter API.
    #[wasm_bindgen(js_name = filterDebit, unchecked_return_type = "Promise<FilterResult>")]
    pub fn filter_debit(
        &self,
        #[wasm_bindgen(unchecked_param_type = "FilterQuery")] query: JsValue,
    ) -> js_sys::Promise {
        self.filter(query, false)
    }

    /// Who paid an incoming transaction (Transaction Info API).
    #[wasm_bindgen(js_name = payerDetails, unchecked_return_type = "Promise<PayerDetails>")]
    pub fn payer_details(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PayerDetailsQuery")] query: JsValue,
    ) -> js_sys::Promise {
        let request = from_js::<PayerDetailsQuery>("payer details query", &query)
            .and_then(|q| js_result(routes::payer_details(&self.shared.paths, &q)));
        self.send::<PayerDetails>(request)
    }

    /// Sends a SEPA credit transfer (through a gateway that signs it).
    #[wasm_bindgen(js_name = sepaPayment, unchecked_return_type = "Promise<PaymentResponse>")]
    pub fn sepa_payment(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PaymentRequest")] request: JsValue,
    ) -> js_sys::Promise {
        self.pay(request, OperationKind::SepaPayment)
    }

    /// Sends a SEPA Instant payment (through a gateway that signs it).
    #[wasm_bindgen(js_name = sepaInstantPayment, unchecked_return_type = "Promise<PaymentResponse>")]
    pub fn sepa_instant_payment(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PaymentRequest")] request: JsValue,
    ) -> js_sys::Promise {
        self.pay(request, OperationKind::SepaInstantPayment)
    }

    /// Refunds an incoming payment (through a gateway that signs it).
    #[wasm_bindgen(unchecked_return_type = "Promise<RefundResponse>")]
    pub fn refund(
        &self,
        #[wasm_bindgen(unchecked_param_type = "RefundRequest")] request: JsValue,
    ) -> js_sys::Promise {
        let pending = from_js::<RefundRequest>("refund", &request)
            .and_then(|r| js_result(operation::prepare_refund(&r)));
        self.signed::<RefundResponse>(pending, false)
    }

    /// Resends an operation whose outcome is unknown (an `UNKNOWN_OUTCOME` error's
    /// `pendingOperation`): the same id and bytes, which OP de-duplicates.
    #[wasm_bindgen(unchecked_return_type = "Promise<PaymentResponse | RefundResponse>")]
    pub fn resolve(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PendingOperation")] pending: JsValue,
    ) -> js_sys::Promise {
        let pending = crate::error::pending_from_js(&pending);
        match pending.as_ref().map(|p| p.kind) {
            Ok(OperationKind::Refund) => self.signed::<RefundResponse>(pending, true),
            _ => self.signed::<PaymentResponse>(pending, true),
        }
    }

    /// Verification of Payee: does `name` match the holder of `iban`? Both are checked
    /// before anything is sent.
    #[wasm_bindgen(js_name = verifyPayee, unchecked_return_type = "Promise<PayeeVerification>")]
    pub fn verify_payee(&self, iban: String, name: String) -> js_sys::Promise {
        let shared = Rc::clone(&self.shared);
        let request = js_result(routes::verify_payee(&shared.paths, &iban, &name));
        future_to_promise(async move {
            let verified = async {
                let response = shared
                    .exchange(request?)
                    .await
                    .map_err(|e| error_to_js(&e))?;
                let fields = &shared.paths.payee_verification_fields;
                js_result(PayeeVerification::from_response(&response, fields))
            };
            to_js(&verified.await?)
        })
    }

    /// The payment outbox of `opcorp gateway --outbox`: `submit(intent, order)` pays once per
    /// intent however often it is delivered; `get`, `list` and `drive` read and settle it.
    pub fn outbox(&self) -> crate::outbox::Outbox {
        crate::outbox::Outbox::new(Rc::clone(&self.shared))
    }

    /// Looks up an instant payment by its `instructionId`.
    #[wasm_bindgen(js_name = instantStatus, unchecked_return_type = "Promise<PaymentResponse[]>")]
    pub fn instant_status(&self, instruction_id: String) -> js_sys::Promise {
        let request = js_result(routes::instant_status(&self.shared.paths, &instruction_id));
        self.send::<Vec<PaymentResponse>>(request)
    }

    /// An async iterator over an account's transactions, oldest first, fetched a page at a
    /// time: `for await (const t of client.transactions(id, { fromDate, fromTimestamp,
    /// afterObjectId, to, pageSize }))`.
    #[wasm_bindgen(unchecked_return_type = "AsyncIterableIterator<Transaction>")]
    pub fn transactions(
        &self,
        surrogate_id: String,
        options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let options: TransactionOptions = match options {
            Some(value) if !value.is_undefined() && !value.is_null() => {
                from_js("transaction options", &value)?
            }
            _ => TransactionOptions::default(),
        };
        let walk = js_result(TransactionWalk::new(
            &self.shared.paths,
            &surrogate_id,
            &options.query()?,
            &self.shared.learned,
        ))?;
        let stream = TransactionStream {
            state: Rc::new(RefCell::new(StreamState {
                shared: Rc::clone(&self.shared),
                walk,
                buffer: VecDeque::new(),
                busy: false,
                failed: false,
            })),
        };
        let value = JsValue::from(stream);
        // `Object.prototype.valueOf` returns `this`: exactly the `[Symbol.asyncIterator]`
        // an iterator that is its own iterable needs, without eval or a JS snippet.
        let value_of = js_sys::Reflect::get(
            &js_sys::Object::get_prototype_of(&js_sys::Object::new()),
            &JsValue::from_str("valueOf"),
        )?;
        js_sys::Reflect::set(&value, &js_sys::Symbol::async_iterator(), &value_of)?;
        Ok(value)
    }
}

impl Client {
    fn send<T: DeserializeOwned + serde::Serialize + 'static>(
        &self,
        request: Result<ApiRequest, JsValue>,
    ) -> js_sys::Promise {
        let shared = Rc::clone(&self.shared);
        future_to_promise(async move {
            let value: T = shared.call(request?).await.map_err(|e| error_to_js(&e))?;
            to_js(&value)
        })
    }

    /// Sends a signed write; `resend` when an earlier attempt may have reached the bank
    /// (`resolve`), so an "already done" answer is never read as a rejection.
    fn signed<T: DeserializeOwned + serde::Serialize + 'static>(
        &self,
        pending: Result<PendingOperation, JsValue>,
        resend: bool,
    ) -> js_sys::Promise {
        let request = pending.map(|p| routes::signed_write(&self.shared.paths, &p, resend));
        self.send::<T>(request)
    }

    /// A Transaction Filter search: one request per 30-day window, answers merged.
    fn filter(&self, query: JsValue, credit: bool) -> js_sys::Promise {
        let requests = from_js::<FilterQuery>("filter query", &query)
            .and_then(|q| js_result(routes::filter_windows(&self.shared.paths, credit, &q)));
        let shared = Rc::clone(&self.shared);
        future_to_promise(async move {
            let mut results = Vec::new();
            for request in requests? {
                let result: FilterResult =
                    shared.call(request).await.map_err(|e| error_to_js(&e))?;
                results.push(result);
            }
            to_js(&FilterResult::merge(results))
        })
    }

    fn pay(&self, request: JsValue, kind: OperationKind) -> js_sys::Promise {
        let pending = from_js::<PaymentRequest>("payment", &request).and_then(|payment| {
            let rules = self.shared.address_rules;
            js_result(operation::prepare_payment(payment, kind, rules, || {
                operation::instruction_id_from_uuid(&opcorp::engine::Host::uuid(&JsHost))
            }))
        });
        self.signed::<PaymentResponse>(pending, false)
    }
}

/// Options of `client.transactions(id, options)`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TransactionOptions {
    /// Start at this registration time (microseconds since the epoch).
    from_timestamp: Option<i64>,
    /// Start at midnight UTC of this date (`YYYY-MM-DD`).
    from_date: Option<String>,
    /// Resume strictly after this `objectId`.
    after_object_id: Option<String>,
    /// Stop after this booking date (`YYYY-MM-DD`).
    to: Option<String>,
    /// Page size.
    page_size: Option<usize>,
}

impl TransactionOptions {
    fn query(&self) -> Result<TransactionQuery, JsValue> {
        let from_date = self.from_date.as_deref().map(parse_date).transpose()?;
        let mut query = js_result(TransactionQuery::from_start(
            self.from_timestamp,
            from_date,
            self.after_object_id.as_deref(),
        ))?;
        if let Some(to) = self.to.as_deref() {
            query = query.to(parse_date(to)?);
        }
        if let Some(size) = self.page_size {
            query = query.page_size(size);
        }
        Ok(query)
    }
}

/// The async iterator `client.transactions()` returns.
#[wasm_bindgen]
pub struct TransactionStream {
    state: Rc<RefCell<StreamState>>,
}

struct StreamState {
    shared: Rc<Shared>,
    walk: TransactionWalk,
    buffer: VecDeque<Transaction>,
    /// A page request is in flight (a second `next()` must wait for the first).
    busy: bool,
    /// An error ended the stream.
    failed: bool,
}

#[wasm_bindgen]
impl TransactionStream {
    /// The next transaction: a promise of `{ value, done }`. The first error rejects and ends
    /// the stream; resume with `afterObjectId` set to the last transaction seen.
    #[wasm_bindgen(unchecked_return_type = "Promise<IteratorResult<Transaction, undefined>>")]
    pub fn next(&self) -> js_sys::Promise {
        let state = Rc::clone(&self.state);
        future_to_promise(async move {
            loop {
                let (shared, request) = {
                    let mut s = state.borrow_mut();
                    if let Some(t) = s.buffer.pop_front() {
                        return iteration(Some(&t));
                    }
                    if s.failed || s.walk.is_done() {
                        return iteration(None);
                    }
                    if s.busy {
                        return Err(crate::json::invalid(
                            "next() called again before the previous call resolved; await it",
                        ));
                    }
                    let request = s.walk.next_request(&s.shared.paths);
                    s.busy = true;
                    (Rc::clone(&s.shared), request)
                };
                let page = match request {
                    Ok(request) => shared.call::<Vec<Transaction>>(request).await,
                    Err(e) => Err(e),
                };
                let mut s = state.borrow_mut();
                s.busy = false;
                let s = &mut *s;
                match s.walk.accept(page, &s.shared.learned) {
                    Ok(PageStep::Items(items)) => s.buffer.extend(items),
                    Ok(PageStep::Again) => {}
                    Err(e) => {
                        s.failed = true;
                        return Err(error_to_js(&e));
                    }
                }
            }
        })
    }

    /// Ends the iteration early (called by `break` in `for await`).
    #[wasm_bindgen(js_name = "return")]
    pub fn finish(&self) -> js_sys::Promise {
        let mut s = self.state.borrow_mut();
        s.failed = true;
        s.buffer.clear();
        js_sys::Promise::resolve(&iteration_object(JsValue::UNDEFINED, true))
    }
}

fn iteration(item: Option<&Transaction>) -> Result<JsValue, JsValue> {
    match item {
        Some(t) => Ok(iteration_object(to_js(t)?, false)),
        None => Ok(iteration_object(JsValue::UNDEFINED, true)),
    }
}

fn iteration_object(value: JsValue, done: bool) -> JsValue {
    let object = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&object, &JsValue::from_str("value"), &value);
    let _ = js_sys::Reflect::set(
        &object,
        &JsValue::from_str("done"),
        &JsValue::from_bool(done),
    );
    object.into()
}

fn config(message: &str) -> JsValue {
    error_to_js(&opcorp::Error::config(message))
}
