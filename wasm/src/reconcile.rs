//! Reconciliation from core: match payments to open items by reference and amount.
//!
//! Keys cross in camelCase both ways (`dueDate`, `bookingDate`, `payerName`, `paymentIds`),
//! renamed by core's `snake_case_keys`/`camel_case_keys` (the Node package renames the same
//! way on JSON text, with core's `snake_case_json`/`camel_case_json`).

use opcorp::model::Transaction;
use opcorp::reconcile::{OpenItem, Payment, ReconcileRun, camel_case_keys, snake_case_keys};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use crate::json::{from_js, from_json_bytes, to_js, to_json_bytes};

/// Reads camelCase JS input as a core value. The renamed keys go back through JSON text, not
/// `serde_json::from_value`: reading a model from a `Value` compiles a second deserializer for
/// it, and `Value`'s number path (`Number::deserialize_any`) brings float parsing and printing
/// (~20 KB) that nothing else in the package needs.
fn decode<T: DeserializeOwned>(what: &str, value: &JsValue) -> Result<T, JsValue> {
    let json: serde_json::Value = from_js(what, value)?;
    from_json_bytes(what, &to_json_bytes(&snake_case_keys(json))?)
}

/// Writes a core value out with camelCase keys, through JSON text for the same reason: one
/// serializer per result type (the text one), none into `Value`.
fn encode<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let json: serde_json::Value = from_json_bytes("a result", &to_json_bytes(value)?)?;
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

/// The payments of an ISO 20022 bank statement (camt.053/054, versions .02 and .08) given
/// as bytes, e.g. a file a user dropped on a browser page: reconcile them offline with
/// `reconcile`. A statement that fails its own control sums throws `DECODE`; nothing is
/// returned then, never a partial list.
#[wasm_bindgen(js_name = statementPayments, unchecked_return_type = "ReconcilePayment[]")]
pub fn statement_payments(data: &[u8]) -> Result<JsValue, JsValue> {
    let payments =
        opcorp::statement::read_payments_from_bytes(data).map_err(|e| crate::error::to_js(&e))?;
    to_js(&payments)
}

/// Streaming reconciliation: push payments as they arrive, each push answering at once.
#[wasm_bindgen]
pub struct Reconciler {
    run: ReconcileRun,
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
            run: ReconcileRun::new(items),
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
        let event = self
            .run
            .engine()
            .map_err(|e| crate::error::to_js(&e))?
            .push(payment);
        encode(&event)
    }

    /// The final report; the reconciler cannot be used afterwards.
    #[wasm_bindgen(unchecked_return_type = "ReconcileReport")]
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        let report = self.run.finish().map_err(|e| crate::error::to_js(&e))?;
        encode(&report)
    }
}
