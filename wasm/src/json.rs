//! Crossing the JS boundary as JSON: host values in through `JSON.stringify`, Rust values out
//! through `JSON.parse`. Money stays a decimal string both ways; a JS number given for an
//! amount is read from its shortest decimal text, never through binary floating point in Rust.

use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

use crate::error::js_result;

/// Reads a JS value as `T`, naming `what` in the error.
pub(crate) fn from_js<T: DeserializeOwned>(what: &str, value: &JsValue) -> Result<T, JsValue> {
    let text: String = js_sys::JSON::stringify(value)
        .map_err(|_| invalid(&format!("{what} cannot be converted to JSON")))?
        .into();
    from_json_text(what, &text)
}

/// Parses JSON text as `T`, naming `what` in the error. Read as bytes, the way core reads
/// the bank's answers: one reader type means one copy of every model's deserializer in the
/// download (`from_str` next to core's `from_slice` compiled each one twice).
pub(crate) fn from_json_text<T: DeserializeOwned>(what: &str, text: &str) -> Result<T, JsValue> {
    from_json_bytes(what, text.as_bytes())
}

/// [`from_json_text`] over bytes.
pub(crate) fn from_json_bytes<T: DeserializeOwned>(what: &str, json: &[u8]) -> Result<T, JsValue> {
    serde_json::from_slice(json).map_err(|e| invalid(&format!("{what} is not valid: {e}")))
}

/// A Rust value as JSON text (UTF-8 bytes).
pub(crate) fn to_json_bytes<T: Serialize>(value: &T) -> Result<Vec<u8>, JsValue> {
    js_result(
        serde_json::to_vec(value)
            .map_err(|e| opcorp::Error::decode(format!("cannot serialise a result: {e}"))),
    )
}

/// Writes a Rust value out as a plain JS value.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let text = js_result(
        serde_json::to_string(value)
            .map_err(|e| opcorp::Error::decode(format!("cannot serialise a result: {e}"))),
    )?;
    js_sys::JSON::parse(&text)
}

/// An `INVALID_INPUT` JS error.
pub(crate) fn invalid(message: &str) -> JsValue {
    crate::error::to_js(&opcorp::Error::invalid_input(message))
}
