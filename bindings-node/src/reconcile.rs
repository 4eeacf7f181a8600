//! Reconciliation of incoming payments against open items: `reconcile()` in one call and the
//! streaming `NativeReconciler`. Items, payments and reports cross as JSON text with
//! camelCase keys, renamed by core's `camel_case_keys`/`snake_case_keys`.

use napi::Env;
use napi_derive::napi;
use opcorp::model::Transaction;
use opcorp::reconcile::{OpenItem, Payment, Reconciler, camel_case_keys, snake_case_keys};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::errors::IntoJsResult;
use crate::input;

/// Decodes JS objects (camelCase) into core values.
fn decode<T: DeserializeOwned>(what: &str, json: &str) -> opcorp::Result<T> {
    let value = input::parse_without_number_money(what, json)?;
    serde_json::from_value(snake_case_keys(value))
        .map_err(|e| opcorp::Error::invalid_input(format!("invalid {what}: {e}")))
}

/// Encodes a core value as camelCase JSON.
fn encode<T: Serialize>(value: &T) -> opcorp::Result<String> {
    let value = serde_json::to_value(value)
        .map_err(|e| opcorp::Error::decode(format!("cannot encode the report: {e}")))?;
    crate::runtime::json(&camel_case_keys(value))
}

/// Reconciles every payment against every open item; returns the report as JSON.
#[napi]
pub fn reconcile(env: Env, items: String, payments: String) -> napi::Result<String> {
    let run = || -> opcorp::Result<String> {
        let items: Vec<OpenItem> = decode("open items", &items)?;
        let payments: Vec<Payment> = decode("payments", &payments)?;
        encode(&opcorp::reconcile::reconcile(items, payments))
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
