//! Spreadsheets from Node: transactions and reconciliation reports as `.xlsx` Buffers, open
//! items read from a workbook's bytes. Workbook layout and row rules are core's
//! (`opcorp::sheet`); this file only converts.

use napi::Env;
use napi::bindgen_prelude::Buffer;
use napi_derive::napi;
use opcorp::model::Transaction;
use opcorp::reconcile::{OpenItem, Payment, camel_case_keys};

use crate::errors::IntoJsResult;
use crate::reconcile::decode;

/// Writes transactions (a JSON array as `client.transactions()` yields) as an `.xlsx`.
#[napi]
pub fn transactions_xlsx(env: Env, transactions: String) -> napi::Result<Buffer> {
    let run = || -> opcorp::Result<Vec<u8>> {
        let transactions: Vec<Transaction> = crate::input::parse("transactions", &transactions)?;
        opcorp::sheet::transactions_xlsx(&transactions)
    };
    run().map(Buffer::from).js(&env)
}

/// Reconciles and returns the report as an `.xlsx` workbook (summary, outcomes, unmatched).
#[napi]
pub fn reconcile_xlsx(env: Env, items: String, payments: String) -> napi::Result<Buffer> {
    let run = || -> opcorp::Result<Vec<u8>> {
        let items: Vec<OpenItem> = decode("open items", &items)?;
        let payments: Vec<Payment> = decode("payments", &payments)?;
        opcorp::sheet::reconcile_xlsx(&opcorp::reconcile::reconcile(items, payments))
    };
    run().map(Buffer::from).js(&env)
}

/// Reads open items from a workbook's bytes; returns them as a camelCase JSON array.
#[napi]
pub fn read_invoices(env: Env, workbook: Buffer) -> napi::Result<String> {
    let run = || -> opcorp::Result<String> {
        let items = opcorp::sheet::read_open_items(&workbook)?;
        let value = serde_json::to_value(&items)
            .map_err(|e| opcorp::Error::decode(format!("cannot encode open items: {e}")))?;
        crate::runtime::json(&camel_case_keys(value))
    };
    run().js(&env)
}
