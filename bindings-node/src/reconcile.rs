//! Reconciliation of incoming payments against open items: `reconcile()` in one call and the
//! streaming `NativeReconciler`. Items, payments and reports cross as JSON text with
//! camelCase keys, renamed on the text by core's `camel_case_json`/`snake_case_json`.

use napi::Env;
use napi_derive::napi;
use opcorp::model::Transaction;
use opcorp::reconcile::{OpenItem, Payment, Reconciler, camel_case_json, snake_case_json};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::errors::IntoJsResult;
use crate::input;

/// Decodes JS objects (camelCase JSON text) into core values. The keys are renamed on the
/// text, never through a `serde_json::Value` tree: for a million items that tree was most of
/// the call's time and ten times the engine's memory.
pub(crate) fn decode<T: DeserializeOwned>(what: &str, json: &str) -> opcorp::Result<T> {
    serde_json::from_str(&snake_case_json(what, json)?)
        .map_err(|e| opcorp::Error::invalid_input(format!("invalid {what}: {e}")))
}

/// Encodes a core value as camelCase JSON text.
fn encode<T: Serialize>(value: &T) -> opcorp::Result<String> {
    Ok(camel_case_json(&crate::runtime::json(value)?))
}

/// Reconciles every payment against every open item; returns the report as JSON.
#[napi]
pub fn reconcile(env: Env, items: String, payments: String) -> napi::Result<String> {
    // Each input's text is freed as soon as it is decoded: at a million items the two texts
    // were a quarter of a gigabyte held through the whole run.
    let run = move || -> opcorp::Result<String> {
        let open: Vec<OpenItem> = decode("open items", &items)?;
        drop(items);
        let received: Vec<Payment> = decode("payments", &payments)?;
        drop(payments);
        encode(&opcorp::reconcile::reconcile(open, received))
    };
    run().js(&env)
}

/// The reconciliation view of a transaction (JSON as `client.transactions()` yields it),
/// by core's one rule (`From<&Transaction> for Payment`); returns the payment as JSON.
#[napi]
pub fn payment_from_transaction(env: Env, transaction: String) -> napi::Result<String> {
    let run = || -> opcorp::Result<String> {
        let tx: Transaction = input::parse("transaction", &transaction)?;
        encode(&Payment::from(&tx))
    };
    run().js(&env)
}

/// The payments of an ISO 20022 bank statement (camt.053/054, versions .02 and .08) as a
/// JSON array of reconciliation payments; a statement that fails its own control sums is a
/// DECODE error and nothing is returned.
#[napi]
pub fn statement_payments(env: Env, data: napi::bindgen_prelude::Buffer) -> napi::Result<String> {
    let run = || encode(&opcorp::statement::read_payments_from_bytes(&data)?);
    run().js(&env)
}

/// A streaming reconciliation: push payments one at a time as they arrive, then finish.
#[napi]
pub struct NativeReconciler {
    inner: Option<Reconciler>,
}

#[napi]
impl NativeReconciler {
    /// Indexes the open items (a JSON array).
    #[napi(constructor)]
    pub fn new(env: Env, items: String) -> napi::Result<Self> {
        let items: Vec<OpenItem> = decode("open items", &items).js(&env)?;
        Ok(NativeReconciler {
            inner: Some(Reconciler::new(items)),
        })
    }

    /// Applies one payment (a JSON object); returns the match event as JSON.
    #[napi]
    pub fn push(&mut self, env: Env, payment: String) -> napi::Result<String> {
        let mut run = || -> opcorp::Result<String> {
            let payment: Payment = decode("payment", &payment)?;
            let reconciler = self.inner.as_mut().ok_or_else(finished)?;
            encode(&reconciler.push(payment))
        };
        run().js(&env)
    }

    /// Ends the run; returns the report as JSON. The reconciler cannot be used afterwards.
    #[napi]
    pub fn finish(&mut self, env: Env) -> napi::Result<String> {
        let mut run = || -> opcorp::Result<String> {
            let reconciler = self.inner.take().ok_or_else(finished)?;
            encode(&reconciler.finish())
        };
        run().js(&env)
    }
}

/// The error for a reconciler used after `finish()`.
fn finished() -> opcorp::Error {
    opcorp::Error::invalid_input("this reconciler is finished; create a new one")
}
