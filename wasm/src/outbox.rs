//! `client.outbox()`: exactly-once payments and refunds keyed by the caller's intent, held
//! by `opcorp gateway --outbox` (a browser tab is not durable; the gateway is).
//!
//! The order is checked here with core's rules (strict amounts, IBANs, addresses) and sent
//! as core's [`OutboxSubmission`]; the gateway stores it before sending, answers a
//! redelivered intent with the first outcome, and settles an unknown one on `drive()`.
//! Entries come back as the gateway wrote them (core's `OutboxEntry::to_json`).

use std::rc::Rc;

use opcorp::ErrorKind;
use opcorp::intent::{OutboxOrder, OutboxSubmission};
use opcorp::model::{PaymentRequest, RefundRequest};
use opcorp::request::{ApiRequest, ApiResponse};
use serde::Deserialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::client::Shared;
use crate::error::{js_result, to_js as error_to_js};
use crate::json::from_js;

/// The gateway's outbox endpoints.
const PATH: &str = "/opcorp/outbox";

/// `submit(intent, { payment, instant? } | { refund })`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Order {
    payment: Option<PaymentRequest>,
    refund: Option<RefundRequest>,
    #[serde(default)]
    instant: bool,
}

/// `list({ unsettled? })`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ListOptions {
    #[serde(default)]
    unsettled: bool,
}

/// The outbox of the gateway this client talks to.
#[wasm_bindgen]
pub struct Outbox {
    shared: Rc<Shared>,
}

impl Outbox {
    pub(crate) fn new(shared: Rc<Shared>) -> Outbox {
        Outbox { shared }
    }

    /// Sends `request` and hands JS the gateway's JSON answer as it is.
    fn call(&self, request: Result<ApiRequest, JsValue>) -> js_sys::Promise {
        let shared = Rc::clone(&self.shared);
        future_to_promise(async move {
            let response = shared
                .exchange(request?)
                .await
                .map_err(|e| error_to_js(&e))?;
            parse(&response)
        })
    }
}

#[wasm_bindgen]
impl Outbox {
    /// Pays or refunds `order` exactly once for `intent` (e.g. the CRM event id) and
    /// resolves to its entry: `state` is `"succeeded"` (with `archiveId` and `receipt`),
    /// `"rejected"` or `"unknown"` (settled later by `drive()`). The same intent again gives
    /// the first outcome; a different order under it is a `CONFLICT` error.
    #[wasm_bindgen(unchecked_return_type = "Promise<OutboxEntry>")]
    pub fn submit(
        &self,
        intent: String,
        #[wasm_bindgen(unchecked_param_type = "OutboxOrder")] order: JsValue,
    ) -> js_sys::Promise {
        let rules = self.shared.address_rules;
        let request = from_js::<Order>("outbox order", &order).and_then(|order| {
            js_result(opcorp::intent::validate_intent(&intent))?;
            let order = js_result(OutboxOrder::from_parts(
                order.payment,
                order.refund,
                order.instant,
            ))?;
            match &order {
                OutboxOrder::Payment(p) | OutboxOrder::InstantPayment(p) => {
                    js_result(p.validate_with(rules))?;
                }
                OutboxOrder::Refund(r) => js_result(r.validate())?,
            }
            // Checked here so bad input fails before anything is sent; the gateway checks
            // the same way again.
            let body = serde_json::to_vec(&OutboxSubmission::new(intent, order))
                .map_err(|e| crate::json::invalid(&format!("cannot encode the order: {e}")))?;
            Ok(ApiRequest::post_json(
                "outbox",
                format!("{PATH}/submit"),
                body,
            ))
        });
        self.call(request)
    }

    /// The entry of `intent`, or `null` when the gateway's outbox has none.
    #[wasm_bindgen(unchecked_return_type = "Promise<OutboxEntry | null>")]
    pub fn get(&self, intent: String) -> js_sys::Promise {
        let mut request = ApiRequest::get("outbox", PATH);
        request.query.push(("intent", intent));
        let shared = Rc::clone(&self.shared);
        future_to_promise(async move {
            match shared.exchange(request).await {
                Ok(response) => parse(&response),
                Err(e) if e.kind() == ErrorKind::NotFound => Ok(JsValue::NULL),
                Err(e) => Err(error_to_js(&e)),
            }
        })
    }

    /// Every entry, oldest first; `{ unsettled: true }` for the unknown ones only.
    #[wasm_bindgen(unchecked_return_type = "Promise<OutboxEntry[]>")]
    pub fn list(&self, options: Option<JsValue>) -> js_sys::Promise {
        let request = match options {
            Some(value) if !value.is_undefined() && !value.is_null() => {
                from_js::<ListOptions>("list options", &value)
            }
            _ => Ok(ListOptions::default()),
        }
        .map(|options| {
            let mut request = ApiRequest::get("outbox", PATH);
            if options.unsettled {
                request.query.push(("unsettled", "true".to_owned()));
            }
            request
        });
        self.call(request)
    }

    /// Asks the gateway to settle every unknown entry now; resolves to the entries settled
    /// (the gateway also does this when it starts and every minute).
    #[wasm_bindgen(unchecked_return_type = "Promise<OutboxEntry[]>")]
    pub fn drive(&self) -> js_sys::Promise {
        self.call(Ok(ApiRequest::post_json(
            "outbox",
            format!("{PATH}/drive"),
            b"{}".to_vec(),
        )))
    }
}

/// The gateway's JSON answer as a JS value.
fn parse(response: &ApiResponse) -> Result<JsValue, JsValue> {
    let text = std::str::from_utf8(&response.body)
        .map_err(|_| crate::json::invalid("the gateway's answer is not UTF-8"))?;
    js_sys::JSON::parse(text)
}
