//! Reconciliation from core: match payments to open items by reference and amount.

use opcorp::reconcile::{OpenItem, Payment, Reconciler as CoreReconciler};
use wasm_bindgen::prelude::*;

use crate::json::{from_js, to_js};

/// Reconciles `payments` against open `items` in one call and returns the report
/// (`{ items, unmatched, totals }`, amounts as strings).
///
/// Items: `{ id, reference, amount: "12.50", currency, dueDate? }`; payments:
/// `{ id, reference?, amount, currency, bookingDate?, payerName? }`.
#[wasm_bindgen(unchecked_return_type = "ReconcileReport")]
pub fn reconcile(
    #[wasm_bindgen(unchecked_param_type = "OpenItem[]")] items: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ReconcilePayment[]")] payments: JsValue,
) -> Result<JsValue, JsValue> {
    let items: Vec<OpenItem> = from_js("open items", &items)?;
    let payments: Vec<Payment> = from_js("payments", &payments)?;
    to_js(&opcorp::reconcile::reconcile(items, payments))
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
    inner: Option<CoreReconciler>,
}

#[wasm_bindgen]
impl Reconciler {
    /// A reconciler over these open items.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "OpenItem[]")] items: JsValue,
    ) -> Result<Reconciler, JsValue> {
        let items: Vec<OpenItem> = from_js("open items", &items)?;
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
        let payment: Payment = from_js("payment", &payment)?;
        let event = self.engine()?.push(payment);
        to_js(&event)
    }

    /// The final report; the reconciler cannot be used afterwards.
    #[wasm_bindgen(unchecked_return_type = "ReconcileReport")]
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        self.engine()?;
        match self.inner.take() {
            Some(engine) => to_js(&engine.finish()),
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
