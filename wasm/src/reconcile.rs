//! Reconciliation from core: match payments to open items by reference and amount.
//!
//! Keys cross in camelCase both ways (`dueDate`, `bookingDate`, `payerName`, `paymentIds`),
//! renamed by core's `snake_case_keys`/`camel_case_keys` exactly as in the Node package.

use opcorp::model::Transaction;
use opcorp::reconcile::{
    OpenItem, Payment, Reconciler as CoreReconciler, camel_case_keys, snake_case_keys,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use crate::json::{from_js, invalid, to_js};

/// Reads camelCase JS input as a core value.
fn decode<T: DeserializeOwned>(what: &str, value: &JsValue) -> Result<T, JsValue> {
    let json: serde_json::Value = from_js(what, value)?;
    serde_json::from_value(snake_case_keys(json))
        .map_err(|e| invalid(&format!("{what} is not valid: {e}")))
}

/// Writes a core value out with camelCase keys.
fn encode<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let json = serde_json::to_value(value)
        .map_err(|e| invalid(&format!("cannot serialise a result: {e}")))?;
    to_js(&camel_case_keys(json))
}

/// The reconciliation view of an OP transaction (as `client.transactions()` yields it), by
/// core's one rule: archive id, Finnish or RF reference, amount, currency (EUR when absent),
/// booking date and payer. Debits convert too; reconcile reports them `not_a_credit`.
#[wasm_bindgen(js_name = paymentFromTransaction, unchecked_return_type = "ReconcilePayment")]
pub fn payment_from_transaction(
    #[wasm_bindgen(unchecked_param_type = "Transaction")] transaction: JsValue,
) -> Result<JsValue, JsValue> {
    let tx: Transaction = from_js("transaction", &transaction)?;
    encode(&Payment::from(&tx))
}

/// Reconciles `payments` against open `items` in one call and returns the report
/// (`{ items, unmatched, totals }`, amounts as strings, camelCase keys).
///
/// Items: `{ id, reference, amount: "12.50", currency?, dueDate? }`; payments:
/// `{ id, reference?, amount, currency?, bookingDate?, payerName? }` (currency EUR when
/// absent).
#[wasm_bindgen(unchecked_return_type = "ReconcileReport")]
pub fn reconcile(
    #[wasm_bindgen(unchecked_param_type = "OpenItem[]")] items: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ReconcilePayment[]")] payments: JsValue,
) -> Result<JsValue, JsValue> {
    let items: Vec<OpenItem> = decode("open items", &items)?;
    let payments: Vec<Payment> = decode("payments", &payments)?;
    encode(&opcorp::reconcile::reconcile(items, payments))
}

/// Streaming reconciliation: push payments as they arrive, each push answering at once.
#[wasm_bindgen]
pub struct Reconciler {
    inner: Option<CoreReconciler>,
}

#[wasm_bindgen]
impl Reconciler {
    /// A reconciler over these open items.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "OpenItem[]")] items: JsValue,
    ) -> Result<Reconciler, JsValue> {
        let items: Vec<OpenItem> = decode("open items", &items)?;
        Ok(Reconciler {
            inner: Some(CoreReconciler::new(items)),
        })
    }

    /// Applies one payment and returns its match event (`matched`, `unmatched` or
    /// `duplicate`).
    #[wasm_bindgen(unchecked_return_type = "MatchEvent")]
    pub fn push(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ReconcilePayment")] payment: JsValue,
    ) -> Result<JsValue, JsValue> {
        let payment: Payment = decode("payment", &payment)?;
        let event = self.engine()?.push(payment);
        encode(&event)
    }

    /// The final report; the reconciler cannot be used afterwards.
    #[wasm_bindgen(unchecked_return_type = "ReconcileReport")]
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        self.engine()?;
        match self.inner.take() {
            Some(engine) => encode(&engine.finish()),
            None => Err(finished()),
        }
    }

    fn engine(&mut self) -> Result<&mut CoreReconciler, JsValue> {
        self.inner.as_mut().ok_or_else(finished)
    }
}

fn finished() -> JsValue {
    crate::json::invalid("this reconciler has already finished")
}
