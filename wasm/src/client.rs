//! `new Client({ baseUrl, transport, headers? })`: OP's APIs over a host-supplied transport.
//!
//! Requests are validated locally with core's models before anything is sent, paths are OP's,
//! answers are decoded with core's models, and the transaction stream pages with core's
//! `paging::Pager`, so the browser sees what the native client sees. Payments are sent
//! unsigned: in a browser the gateway signs them (it holds the signing key); the client
//! assigns the `instructionId` first, so resending the same request after an unknown outcome
//! is de-duplicated by OP instead of paying twice.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use opcorp::model::{
    Account, AccountDetails, FilterQuery, FilterResult, Mandate, PayerDetails, PayerDetailsQuery,
    PaymentRequest, PaymentResponse, Transaction,
};
use opcorp::paging::{Anchor, Pager};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::error::to_js as error_to_js;
use crate::json::{from_js, invalid, to_js};
use crate::toolkit::parse_date;
use crate::transport::{HostRequest, HostTransport, encode_component, paths, random_uuid};

/// Largest page the V3 transactions endpoint serves.
const MAX_PAGE: usize = 1000;

/// The options of `new Client(...)`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClientOptions {
    base_url: String,
    #[serde(default)]
    headers: std::collections::BTreeMap<String, String>,
}

/// A client for OP's APIs whose HTTP goes through the host's `transport` function.
#[wasm_bindgen]
pub struct Client {
    transport: Rc<HostTransport>,
}

#[wasm_bindgen]
impl Client {
    /// `new Client({ baseUrl, transport, headers? })`: `transport(request)` must return (a
    /// promise of) `{ status, headers, body }`; `headers` are added to every request.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientOptions")] options: JsValue,
    ) -> Result<Client, JsValue> {
        let function = js_sys::Reflect::get(&options, &JsValue::from_str("transport"))
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .ok_or_else(|| config("options.transport must be a function"))?;
        // `transport` is a function, which JSON cannot carry; read the rest without it.
        let rest = js_sys::Object::assign(&js_sys::Object::new(), options.unchecked_ref());
        let _ = js_sys::Reflect::delete_property(&rest, &JsValue::from_str("transport"));
        let options: ClientOptions = from_js("client options", &rest)?;
        let base_url = options.base_url.trim_end_matches('/').to_owned();
        if !(base_url.starts_with("https://") || base_url.starts_with("http://")) {
            return Err(config("options.baseUrl must be an http:// or https:// URL"));
        }
        Ok(Client {
            transport: Rc::new(HostTransport {
                base_url,
                function,
                headers: options.headers.into_iter().collect(),
            }),
        })
    }

    /// The company's accounts (`GET …/v1/accounts`).
    #[wasm_bindgen(unchecked_return_type = "Promise<Account[]>")]
    pub fn accounts(&self) -> js_sys::Promise {
        let path = format!("{}/v1/accounts", paths::ACCOUNT_DATA);
        self.get::<Vec<Account>>(path)
    }

    /// One account's details (`GET …/v1/accounts/{surrogateId}`).
    #[wasm_bindgen(unchecked_return_type = "Promise<AccountDetails>")]
    pub fn account(&self, surrogate_id: String) -> js_sys::Promise {
        if surrogate_id.trim().is_empty() {
            return rejected(invalid("surrogateId is empty"));
        }
        let path = format!(
            "{}/v1/accounts/{}",
            paths::ACCOUNT_DATA,
            encode_component(&surrogate_id)
        );
        self.get::<AccountDetails>(path)
    }

    /// The company's mandates as a service provider.
    #[wasm_bindgen(unchecked_return_type = "Promise<Mandate[]>")]
    pub fn mandates(&self) -> js_sys::Promise {
        self.get::<Vec<Mandate>>(paths::MANDATES.to_owned())
    }

    /// Searches incoming payments with the Transaction Filter API.
    #[wasm_bindgen(js_name = filterCredit, unchecked_return_type = "Promise<FilterResult>")]
    pub fn filter_credit(
        &self,
        #[wasm_bindgen(unchecked_param_type = "FilterQuery")] query: JsValue,
    ) -> js_sys::Promise {
        self.filter(query, "credit-transactions")
    }

    /// Searches outgoing payments with the Transaction Filter API.
    #[wasm_bindgen(js_name = filterDebit, unchecked_return_type = "Promise<FilterResult>")]
    pub fn filter_debit(
        &self,
        #[wasm_bindgen(unchecked_param_type = "FilterQuery")] query: JsValue,
    ) -> js_sys::Promise {
        self.filter(query, "debit-transactions")
    }

    /// Who paid an incoming transaction (Transaction Info API).
    #[wasm_bindgen(js_name = payerDetails, unchecked_return_type = "Promise<PayerDetails>")]
    pub fn payer_details(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PayerDetailsQuery")] query: JsValue,
    ) -> js_sys::Promise {
        let body = from_js::<PayerDetailsQuery>("payer details query", &query).and_then(|q| {
            crate::error::js_result(q.validate())?;
            json_body("payer details query", &q)
        });
        self.post::<PayerDetails>(paths::PAYER_DETAILS.to_owned(), body)
    }

    /// Sends a SEPA credit transfer (through a gateway that signs it).
    #[wasm_bindgen(js_name = sepaPayment, unchecked_return_type = "Promise<PaymentResponse>")]
    pub fn sepa_payment(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PaymentRequest")] request: JsValue,
    ) -> js_sys::Promise {
        self.pay(request, "sepa-payment")
    }

    /// Sends a SEPA Instant payment (through a gateway that signs it).
    #[wasm_bindgen(js_name = sepaInstantPayment, unchecked_return_type = "Promise<PaymentResponse>")]
    pub fn sepa_instant_payment(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PaymentRequest")] request: JsValue,
    ) -> js_sys::Promise {
        self.pay(request, "sepa-instant-payment")
    }

    /// An async iterator over an account's transactions, oldest first, fetched a page at a
    /// time: `for await (const t of client.transactions(id, { fromDate, to, afterObjectId,
    /// pageSize }))`.
    #[wasm_bindgen(unchecked_return_type = "AsyncIterableIterator<Transaction>")]
    pub fn transactions(
        &self,
        surrogate_id: String,
        options: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        if surrogate_id.trim().is_empty() {
            return Err(invalid("surrogateId is empty"));
        }
        let options: TransactionOptions = match options {
            Some(value) if !value.is_undefined() && !value.is_null() => {
                from_js("transaction options", &value)?
            }
            _ => TransactionOptions::default(),
        };
        let pager = options.pager()?;
        let stream = TransactionStream {
            state: Rc::new(RefCell::new(StreamState {
                transport: Rc::clone(&self.transport),
                path: format!(
                    "{}/v3/accounts/{}/transactions",
                    paths::ACCOUNT_DATA,
                    encode_component(&surrogate_id)
                ),
                pager,
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
    fn get<T: DeserializeOwned + serde::Serialize + 'static>(
        &self,
        path: String,
    ) -> js_sys::Promise {
        self.send::<T>("GET", path, Ok(None))
    }

    fn post<T: DeserializeOwned + serde::Serialize + 'static>(
        &self,
        path: String,
        body: Result<Vec<u8>, JsValue>,
    ) -> js_sys::Promise {
        self.send::<T>("POST", path, body.map(Some))
    }

    fn send<T: DeserializeOwned + serde::Serialize + 'static>(
        &self,
        method: &'static str,
        path: String,
        body: Result<Option<Vec<u8>>, JsValue>,
    ) -> js_sys::Promise {
        let transport = Rc::clone(&self.transport);
        future_to_promise(async move {
            let body = body?;
            let request = HostRequest {
                method,
                path,
                query: Vec::new(),
                body: body.as_deref(),
            };
            let value: T = transport.call(request).await.map_err(|e| error_to_js(&e))?;
            to_js(&value)
        })
    }

    fn filter(&self, query: JsValue, endpoint: &str) -> js_sys::Promise {
        let body = from_js::<FilterQuery>("filter query", &query).and_then(|q| {
            crate::error::js_result(q.validate())?;
            json_body("filter query", &q)
        });
        let path = format!("{}/{endpoint}", paths::TRANSACTION_FILTER);
        self.post::<FilterResult>(path, body)
    }

    fn pay(&self, request: JsValue, endpoint: &str) -> js_sys::Promise {
        let body = from_js::<PaymentRequest>("payment", &request).and_then(|mut payment| {
            if payment.instruction_id.is_none() {
                let uuid = crate::error::js_result(random_uuid())?;
                payment.instruction_id = Some(uuid.replace('-', ""));
            }
            crate::error::js_result(payment.to_body())
        });
        let path = format!("{}/{endpoint}", paths::PAYMENT);
        self.post::<PaymentResponse>(path, body)
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
    /// Page size (1..1000).
    page_size: Option<usize>,
}

impl TransactionOptions {
    fn pager(&self) -> Result<Pager, JsValue> {
        let starts = [
            self.from_timestamp.is_some(),
            self.from_date.is_some(),
            self.after_object_id.is_some(),
        ];
        if starts.iter().filter(|s| **s).count() > 1 {
            return Err(invalid(
                "give at most one of fromTimestamp, fromDate and afterObjectId",
            ));
        }
        let anchor = match (&self.from_timestamp, &self.from_date, &self.after_object_id) {
            (Some(micros), _, _) => Anchor::Timestamp(*micros),
            (_, Some(date), _) => {
                let date = parse_date(date)?;
                Anchor::Timestamp(date.midnight().assume_utc().unix_timestamp() * 1_000_000)
            }
            (_, _, Some(id)) if !id.trim().is_empty() => Anchor::ObjectId(id.clone()),
            (_, _, Some(_)) => return Err(invalid("afterObjectId is empty")),
            (None, None, None) => Anchor::Timestamp(0),
        };
        let page_size = match self.page_size {
            Some(0) => return Err(invalid("pageSize must be at least 1")),
            Some(size) => size.min(MAX_PAGE),
            None => MAX_PAGE,
        };
        let to = self.to.as_deref().map(parse_date).transpose()?;
        Ok(Pager::new(anchor, page_size, to))
    }
}

/// The async iterator `client.transactions()` returns.
#[wasm_bindgen]
pub struct TransactionStream {
    state: Rc<RefCell<StreamState>>,
}

struct StreamState {
    transport: Rc<HostTransport>,
    path: String,
    pager: Pager,
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
                let (transport, path, query) = {
                    let mut s = state.borrow_mut();
                    if let Some(t) = s.buffer.pop_front() {
                        return iteration(Some(&t));
                    }
                    if s.failed || s.pager.is_done() {
                        return iteration(None);
                    }
                    if s.busy {
                        return Err(invalid(
                            "next() called again before the previous call resolved; await it",
                        ));
                    }
                    s.busy = true;
                    (Rc::clone(&s.transport), s.path.clone(), s.pager.query())
                };
                let request = HostRequest {
                    method: "GET",
                    path,
                    query,
                    body: None,
                };
                let page = transport.call::<Vec<Transaction>>(request).await;
                let mut s = state.borrow_mut();
                s.busy = false;
                let accepted = page.and_then(|page| s.pager.accept(page));
                match accepted {
                    Ok(items) => s.buffer.extend(items),
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

fn json_body<T: serde::Serialize>(what: &str, value: &T) -> Result<Vec<u8>, JsValue> {
    serde_json::to_vec(value).map_err(|e| invalid(&format!("{what} cannot be serialised: {e}")))
}

fn config(message: &str) -> JsValue {
    error_to_js(&opcorp::Error::config(message))
}

fn rejected(error: JsValue) -> js_sys::Promise {
    js_sys::Promise::reject(&error)
}
