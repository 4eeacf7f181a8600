//! Core errors as JavaScript `Error` objects with `.code`, `.status`, `.requestId`,
//! `.retryable` and, for an unconfirmed payment, `.pending`.

use opcorp::operation::PendingOperation;
use opcorp::{Error, ErrorKind};
use wasm_bindgen::prelude::*;

/// The JS-facing code of a core error kind. Exhaustive on purpose (no wildcard arm): a new
/// kind in core breaks this build until it is mapped here.
pub(crate) fn code_of(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Auth => "AUTH",
        ErrorKind::Forbidden => "FORBIDDEN",
        ErrorKind::Tls => "TLS",
        ErrorKind::RateLimited => "RATE_LIMITED",
        ErrorKind::Timeout => "TIMEOUT",
        ErrorKind::Network => "NETWORK",
        ErrorKind::InvalidInput => "INVALID_INPUT",
        ErrorKind::Rejected => "REJECTED",
        ErrorKind::NotFound => "NOT_FOUND",
        ErrorKind::Conflict => "CONFLICT",
        ErrorKind::Server => "SERVER",
        ErrorKind::Decode => "DECODE",
        ErrorKind::Signature => "SIGNATURE",
        ErrorKind::Config => "CONFIG",
        ErrorKind::UnknownOutcome => "UNKNOWN_OUTCOME",
        ErrorKind::ClockSkew => "CLOCK_SKEW",
    }
}

/// Converts a core error into a JS `Error` carrying the stable code and the HTTP details.
pub(crate) fn to_js(err: &Error) -> JsValue {
    let js = js_sys::Error::new(&err.to_string());
    js.set_name("OpcorpError");
    let set = |key: &str, value: JsValue| {
        // Setting a property on a fresh Error object cannot fail.
        let _ = js_sys::Reflect::set(&js, &JsValue::from_str(key), &value);
    };
    set("code", JsValue::from_str(code_of(err.kind())));
    set("retryable", JsValue::from_bool(err.is_retryable()));
    set("status", err.status().map_or(JsValue::NULL, JsValue::from));
    set(
        "requestId",
        err.request_id().map_or(JsValue::NULL, JsValue::from_str),
    );
    if let Some(pending) = err.pending() {
        set("pending", JsValue::from_str(&pending.id));
        set("pendingOperation", pending_to_js(pending));
    }
    js.into()
}

/// A pending operation as `{ kind, id, body }` (`body` the exact JSON text sent), which
/// `client.resolve()` takes back.
fn pending_to_js(pending: &PendingOperation) -> JsValue {
    let object = js_sys::Object::new();
    let set = |key: &str, value: &str| {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), &JsValue::from_str(value));
    };
    set("kind", pending.kind.name());
    set("id", &pending.id);
    set("body", &String::from_utf8_lossy(&pending.body));
    object.into()
}

/// Reads `{ kind, id, body }` back into a pending operation.
#[cfg(target_arch = "wasm32")]
pub(crate) fn pending_from_js(value: &JsValue) -> Result<PendingOperation, JsValue> {
    let text = |key: &str| {
        js_sys::Reflect::get(value, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_string())
            .ok_or_else(|| {
                to_js(&Error::invalid_input(format!(
                    "pendingOperation.{key} must be a string"
                )))
            })
    };
    let kind = text("kind")?;
    let kind = opcorp::operation::OperationKind::from_name(&kind).ok_or_else(|| {
        to_js(&Error::invalid_input(format!(
            "pendingOperation.kind {kind:?} is not an operation kind"
        )))
    })?;
    Ok(PendingOperation {
        kind,
        id: text("id")?,
        body: text("body")?.into_bytes(),
    })
}

/// Shorthand: a core `Result` into a JS-facing one.
pub(crate) fn js_result<T>(result: opcorp::Result<T>) -> Result<T, JsValue> {
    result.map_err(|e| to_js(&e))
}

/// Every error code the package can throw, in core's declaration order.
#[wasm_bindgen(js_name = errorCodes)]
pub fn error_codes() -> Vec<String> {
    ErrorKind::ALL
        .into_iter()
        .map(|k| code_of(k).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_kind_maps_to_a_distinct_code_equal_to_cores() {
        let codes: HashSet<&str> = ErrorKind::ALL.into_iter().map(code_of).collect();
        assert_eq!(codes.len(), ErrorKind::ALL.len());
        for kind in ErrorKind::ALL {
            assert_eq!(code_of(kind), kind.code());
        }
    }
}
