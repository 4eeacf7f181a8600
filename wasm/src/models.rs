//! Typed, lossless parsing of OP's JSON responses with core's models: amounts become exact
//! decimal strings, ids stay strings even when OP sent 20-digit numbers, dates are
//! `YYYY-MM-DD`, and unknown fields are kept.

use opcorp::model::{
    Account, AccountDetails, FilterResult, Mandate, PayerDetails, PaymentResponse, RefundResponse,
    Transaction,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use crate::json::{from_json_text, invalid, to_js};

/// Parses `json` (the body OP returned) as the model named `model` and returns it normalised:
/// `"accounts"`, `"account"`, `"transactions"`, `"transaction"`, `"filterResult"`,
/// `"payerDetails"`, `"mandates"`, `"paymentResponse"` or `"refundResponse"`.
#[wasm_bindgen(js_name = parseOpJson, unchecked_return_type = "unknown")]
pub fn parse_op_json(model: &str, json: &str) -> Result<JsValue, JsValue> {
    match model {
        "accounts" => normalise::<Vec<Account>>(model, json),
        "account" => normalise::<AccountDetails>(model, json),
        "transactions" => normalise::<Vec<Transaction>>(model, json),
        "transaction" => normalise::<Transaction>(model, json),
        "filterResult" => normalise::<FilterResult>(model, json),
        "payerDetails" => normalise::<PayerDetails>(model, json),
        "mandates" => normalise::<Vec<Mandate>>(model, json),
        "paymentResponse" => normalise::<PaymentResponse>(model, json),
        "refundResponse" => normalise::<RefundResponse>(model, json),
        other => Err(invalid(&format!("unknown model {other:?}"))),
    }
}

fn normalise<T: DeserializeOwned + Serialize>(model: &str, json: &str) -> Result<JsValue, JsValue> {
    let value: T = from_json_text(model, json)?;
    to_js(&value)
}
