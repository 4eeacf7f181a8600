//! # opcorp-wasm-sheet — spreadsheets for browsers and edge runtimes
//!
//! Transactions and reconciliation reports written as `.xlsx` workbooks, and open items read
//! from a workbook, in WebAssembly: bytes in, bytes out, so a browser tool can offer the
//! result as a download (a `Blob`) and read a file the user dropped on the page.
//!
//! A package of its own, not part of `opcorp-wasm`: the spreadsheet writer and reader (zip,
//! deflate, XML) would roughly double the main package, which every page that only checks a
//! reference downloads. The layout rules (typed cells, formats, sheet names, the cell named in
//! a reading error) are core's (`opcorp::sheet`); this crate only converts between JS and Rust.
//!
//! Inputs have the shapes `opcorp-wasm` uses: transactions as its `client.transactions()`
//! yields them (OP's JSON, amounts as strings), open items and payments as its `reconcile`
//! takes them (camelCase keys). Errors are the same JS objects with the same codes.

// The JS error objects and the JSON crossing are opcorp-wasm's own files, compiled into this
// crate as well: one definition of the error shape and codes for both packages, without
// linking opcorp-wasm (an rlib dependency would ship all of its exports in this download).
#[path = "../../wasm/src/error.rs"]
#[allow(dead_code)] // `pending_from_js`: nothing here resolves a payment.
mod error;
#[path = "../../wasm/src/json.rs"]
mod json;

use opcorp::model::Transaction;
use opcorp::reconcile::{OpenItem, Payment, camel_case_keys, snake_case_keys};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::error::js_result;
use crate::json::{from_js, from_json_bytes, invalid, to_js, to_json_bytes};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** An error thrown by opcorp-wasm-sheet: the shape and codes of opcorp-wasm's (`errorCodes()`). */
export interface OpcorpError extends Error { code: string; retryable: boolean; status: number | null; requestId: string | null }
/** A transaction as opcorp-wasm's `client.transactions()` yields it: OP's JSON, money as strings. */
export interface Transaction {
  amount: string; objectId: string; archiveId: string; timestamp: number; bookingDate: string;
  valueDate?: string | null; reference?: string | null; rfReference?: string | null; message?: string | null;
  debtorName?: string | null; creditorName?: string | null; currency?: string | null; [field: string]: unknown;
}
/** An open item (invoice), as opcorp-wasm's `reconcile` takes it. */
export interface OpenItem { id: string; reference: string; amount: string; currency?: string; dueDate?: string | null }
/** A payment, as opcorp-wasm's `reconcile` takes it (`paymentFromTransaction` makes one). */
export interface ReconcilePayment {
  id: string; reference?: string | null; amount: string; currency?: string; bookingDate?: string | null; payerName?: string | null;
}
"#;

/// Writes transactions as an `.xlsx` workbook: one "Transactions" sheet, one row each, dates
/// as date cells, amounts as numbers with two decimals, references and ids as text (leading
/// zeros and 20-digit archive ids survive). Takes the objects `client.transactions()` of
/// opcorp-wasm yields, or OP's JSON parsed with `JSON.parse`.
#[wasm_bindgen(js_name = transactionsXlsx)]
pub fn transactions_xlsx(
    #[wasm_bindgen(unchecked_param_type = "Transaction[]")] transactions: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let transactions: Vec<Transaction> =
        from_js("transactions", array("transactions", &transactions)?)?;
    js_result(opcorp::sheet::transactions_xlsx(&transactions))
}

/// Reconciles `payments` against open `items` (the arguments of opcorp-wasm's `reconcile`)
/// and writes the report as an `.xlsx` workbook: a summary sheet, one sheet per outcome
/// (paid, partially paid, overpaid, paid twice, unpaid, ambiguous reference) and one of the
/// unmatched payments — what a finance team opens, rather than the report's JSON.
#[wasm_bindgen(js_name = reconcileXlsx)]
pub fn reconcile_xlsx(
    #[wasm_bindgen(unchecked_param_type = "OpenItem[]")] items: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ReconcilePayment[]")] payments: JsValue,
) -> Result<Vec<u8>, JsValue> {
    let items: Vec<OpenItem> = camel_case_input("open items", &items)?;
    let payments: Vec<Payment> = camel_case_input("payments", &payments)?;
    js_result(opcorp::sheet::reconcile_xlsx(
        &opcorp::reconcile::reconcile(items, payments),
    ))
}

/// Reads open items from a workbook's bytes (`.xlsx`, `.xlsm`, `.xls` or `.ods`, e.g. a file
/// dropped on a page, `await file.arrayBuffer()`): the first sheet, its first non-empty row
/// the header (`id`, `reference`, `amount`, optional `currency` and `due`). Returns them with
/// camelCase keys, ready for opcorp-wasm's `reconcile`. A bad reference or amount throws
/// `INVALID_INPUT` naming the cell, e.g. `cell C4 (amount): …`, so the user can fix the sheet.
#[wasm_bindgen(js_name = readInvoices, unchecked_return_type = "OpenItem[]")]
pub fn read_invoices(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bytes: JsValue,
) -> Result<JsValue, JsValue> {
    let bytes = if let Some(array) = bytes.dyn_ref::<js_sys::Uint8Array>() {
        array.to_vec()
    } else if let Some(buffer) = bytes.dyn_ref::<js_sys::ArrayBuffer>() {
        js_sys::Uint8Array::new(buffer).to_vec()
    } else {
        return Err(invalid(
            "the workbook must be given as a Uint8Array or an ArrayBuffer",
        ));
    };
    let items = js_result(opcorp::sheet::read_open_items(&bytes))?;
    // Through JSON text, as opcorp-wasm's reconcile output: one serializer per type.
    let json: serde_json::Value = from_json_bytes("open items", &to_json_bytes(&items)?)?;
    to_js(&camel_case_keys(json))
}

/// The value itself when it is a JS array. Checked first so that `undefined`, a single object
/// or a function get an `INVALID_INPUT` saying what was expected, not a serde message about
/// JSON the caller never wrote.
fn array<'a>(what: &str, value: &'a JsValue) -> Result<&'a JsValue, JsValue> {
    if js_sys::Array::is_array(value) {
        Ok(value)
    } else {
        Err(invalid(&format!("{what} must be an array")))
    }
}

/// Reads an array of camelCase objects (opcorp-wasm's reconcile input) as core's snake_case
/// models, renamed by core's `snake_case_keys` and read back through JSON text.
fn camel_case_input<T: DeserializeOwned>(what: &str, value: &JsValue) -> Result<T, JsValue> {
    let json: serde_json::Value = from_js(what, array(what, value)?)?;
    from_json_bytes(what, &to_json_bytes(&snake_case_keys(json))?)
}
