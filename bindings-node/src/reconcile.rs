//! Reconciliation of incoming payments against open items: the `NativeReconciler` that
//! `reconcile()`, `reconcileReport()` and `Reconciler` drive, and the `NativeReport` read by
//! column. Items, payments and whole reports cross as JSON text with camelCase keys, renamed
//! on the text by core's `camel_case_json`/`snake_case_json`.

use napi::Env;
use napi::JsString;
use napi::bindgen_prelude::{Array, Null};
use napi_derive::napi;
use opcorp::model::Transaction;
use opcorp::reconcile::{
    ITEM_KEYS, ItemField, OpenItem, Payment, ReconcileRun, Report, camel_case_json, camel_case_key,
    snake_case_json, snake_case_key,
};
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

/// The camelCase keys a report item can have, in the order its JSON has them (core's
/// `ITEM_KEYS`).
#[napi]
pub fn item_keys() -> Vec<String> {
    ITEM_KEYS.iter().map(|key| camel_case_key(key)).collect()
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

/// A streaming reconciliation: add open items (in one go or in chunks), push payments one at
/// a time as they arrive or in chunks, then finish (core's `ReconcileRun`).
#[napi]
pub struct NativeReconciler {
    run: ReconcileRun,
}

#[napi]
impl NativeReconciler {
    /// Starts with these open items (a JSON array).
    #[napi(constructor)]
    pub fn new(env: Env, items: String) -> napi::Result<Self> {
        let items: Vec<OpenItem> = decode("open items", &items).js(&env)?;
        Ok(NativeReconciler {
            run: ReconcileRun::new(items),
        })
    }

    /// Adds open items (a JSON array); only before the first payment.
    #[napi]
    pub fn add_items(&mut self, env: Env, items: String) -> napi::Result<()> {
        let mut run = || -> opcorp::Result<()> {
            let more: Vec<OpenItem> = decode("open items", &items)?;
            self.run.add_items(more)
        };
        run().js(&env)
    }

    /// Applies one payment (a JSON object); returns the match event as JSON.
    #[napi]
    pub fn push(&mut self, env: Env, payment: String) -> napi::Result<String> {
        let mut run = || -> opcorp::Result<String> {
            let payment: Payment = decode("payment", &payment)?;
            encode(&self.run.engine()?.push(payment))
        };
        run().js(&env)
    }

    /// Applies every payment of a JSON array without building events (a bulk load that
    /// wants the report); returns how many were applied.
    #[napi]
    pub fn push_many(&mut self, env: Env, payments: String) -> napi::Result<u32> {
        let mut run = || -> opcorp::Result<u32> {
            let payments: Vec<Payment> = decode("payments", &payments)?;
            let engine = self.run.engine()?;
            for payment in &payments {
                engine.absorb(payment.borrowed());
            }
            Ok(payments.len() as u32)
        };
        run().js(&env)
    }

    /// Ends the run; returns the report as JSON. The reconciler cannot be used afterwards.
    #[napi]
    pub fn finish(&mut self, env: Env) -> napi::Result<String> {
        let mut run = || encode(&self.run.finish()?);
        run().js(&env)
    }

    /// Ends the run; returns the report kept native. The reconciler cannot be used
    /// afterwards.
    #[napi]
    pub fn finish_report(&mut self, env: Env) -> napi::Result<NativeReport> {
        self.run
            .finish()
            .map(|report| NativeReport { report })
            .js(&env)
    }
}

/// A finished reconciliation kept native, its items columnar in core: JS reads it a column,
/// an item or a part at a time. A million items parsed from one JSON text took most of a
/// run's time and memory.
#[napi]
pub struct NativeReport {
    report: Report,
}

#[napi]
impl NativeReport {
    /// How many open items the report has.
    #[napi(getter)]
    pub fn length(&self) -> u32 {
        // The engine holds fewer than u32::MAX items.
        self.report.items.len() as u32
    }

    /// The whole report, or its `items`, `unmatched` or `totals`, as camelCase JSON.
    #[napi]
    pub fn json(&self, env: Env, part: Option<String>) -> napi::Result<String> {
        let run = || match part.as_deref() {
            None => encode(&self.report),
            Some("items") => encode(&self.report.items),
            Some("unmatched") => encode(&self.report.unmatched),
            Some("totals") => encode(&self.report.totals),
            Some(other) => Err(opcorp::Error::invalid_input(format!(
                "no report part {other:?}: items, unmatched or totals"
            ))),
        };
        run().js(&env)
    }

    /// Item `index` (input order) as camelCase JSON, or null past the end.
    #[napi]
    pub fn item(&self, env: Env, index: u32) -> napi::Result<Option<String>> {
        let item = self.report.items.get(index as usize);
        item.map(|item| encode(&item)).transpose().js(&env)
    }

    /// One field of every item, in input order, by its camelCase key (`id`, `status`,
    /// `received`, `dueDate`, `paymentIds`…): text as strings, money and dates as their
    /// exact text, `coveringPayments` as numbers, `paymentIds` as arrays of strings, and
    /// null where an item has no such field (`remaining` of a paid item). Built straight
    /// from core's field reader, without JSON; the six status strings are made once.
    #[napi]
    pub fn column<'env>(&self, env: &'env Env, key: String) -> napi::Result<Array<'env>> {
        let snake = snake_case_key(&key);
        if !ITEM_KEYS.contains(&snake.as_str()) {
            let error = opcorp::Error::invalid_input(format!("no item field {key:?}"));
            return Err::<Array<'env>, _>(error).js(env);
        }
        let items = &self.report.items;
        let mut column = env.create_array(self.length())?;
        let mut statuses: Vec<(&'static str, JsString<'env>)> = Vec::new();
        let mut text = String::new();
        for index in 0..items.len() {
            let at = index as u32;
            match items.field(index, &snake) {
                None | Some(ItemField::Date(None)) => column.set(at, Null)?,
                Some(ItemField::Text(value)) => column.set(at, value)?,
                Some(ItemField::Status(status)) => {
                    let code = status.code();
                    let cached = statuses.iter().find(|(c, _)| *c == code).map(|(_, s)| *s);
                    let value = match cached {
                        Some(value) => value,
                        None => {
                            let value = env.create_string(code)?;
                            statuses.push((code, value));
                            value
                        }
                    };
                    column.set(at, value)?
                }
                Some(ItemField::Money(amount)) => column.set(at, written(&mut text, amount))?,
                Some(ItemField::Date(Some(date))) => column.set(at, written(&mut text, date))?,
                Some(ItemField::Count(count)) => column.set(at, count)?,
                Some(ItemField::PaymentIds(ids)) => {
                    let mut list = env.create_array(0)?;
                    for (k, id) in ids.enumerate() {
                        list.set(k as u32, id)?;
                    }
                    column.set(at, list)?
                }
            }
        }
        Ok(column)
    }
}

/// `value` written into the reused buffer `text`.
fn written(text: &mut String, value: impl std::fmt::Display) -> &str {
    use std::fmt::Write;
    text.clear();
    // Writing into a String cannot fail.
    let _ = write!(text, "{value}");
    text
}
