//! `conformanceCompare(a, b)`: core's comparison of two conformance reports (JSON text in,
//! the comparison as JSON text out).

use napi::Env;
use napi_derive::napi;

use crate::errors::IntoJsResult;
use crate::runtime::json;

/// Compares two reports written by `client.conformance()`; a text that is not a report is
/// `INVALID_INPUT`.
#[napi]
pub fn conformance_compare(env: Env, a: String, b: String) -> napi::Result<String> {
    let comparison = opcorp::conformance::compare_texts(&a, &b).js(&env)?;
    json(&comparison.to_json()).js(&env)
}
