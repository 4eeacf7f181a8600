//! The host-supplied HTTP transport: one JS function
//! `transport({ method, url, headers, body }) → Promise<{ status, headers, body }>`.
//!
//! This module only moves bytes across the boundary and adds a fresh `X-Request-ID`; the
//! status → error mapping and the JSON decoding are core's (`opcorp::response`), so failures
//! read exactly as in the native client. In a browser the function usually wraps `fetch`
//! towards `opcorp gateway` (adding its bearer key); in an edge runtime it can wrap an
//! mTLS-capable `fetch` that also adds OP's OAuth token.

use opcorp::{Error, ErrorKind};
use serde::de::DeserializeOwned;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// OP's default API path prefixes (core's `config::ApiPaths::default()`; that module needs
/// the `client` feature, so a test in this crate checks the two stay equal).
pub(crate) mod paths {
    /// Account Data prefix.
    pub const ACCOUNT_DATA: &str = "/corporate-account-data";
    /// Payment API prefix.
    pub const PAYMENT: &str = "/corporate-payment/v1";
    /// Transaction Filter prefix.
    pub const TRANSACTION_FILTER: &str = "/corporate-transaction-filter/v2";
    /// Transaction Info payer details.
    pub const PAYER_DETAILS: &str = "/corporate-transaction-info/v1/payer-details";
    /// Service Provider mandates.
    pub const MANDATES: &str = "/corporate-service-provider/v1/mandates";
}

/// The transport function plus what every request shares.
pub(crate) struct HostTransport {
    /// Base URL without a trailing slash.
    pub(crate) base_url: String,
    /// The host's function.
    pub(crate) function: js_sys::Function,
    /// Headers added to every request (e.g. the gateway's `Authorization: Bearer …`).
    pub(crate) headers: Vec<(String, String)>,
}

/// One request as handed to the host.
pub(crate) struct HostRequest<'a> {
    /// `GET` or `POST`.
    pub(crate) method: &'static str,
    /// Path below the base URL, already percent-encoded.
    pub(crate) path: String,
    /// Query parameters (encoded here).
    pub(crate) query: Vec<(&'static str, String)>,
    /// JSON body.
    pub(crate) body: Option<&'a [u8]>,
}

impl HostTransport {
    /// Sends `request` through the host function and decodes a 2xx JSON answer as `T`.
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        request: HostRequest<'_>,
    ) -> opcorp::Result<T> {
        let request_id = random_uuid()?;
        let url = self.url(&request);
        let headers = js_sys::Object::new();
        for (name, value) in &self.headers {
            set(&headers, name, &JsValue::from_str(value));
        }
        set(&headers, "accept", &JsValue::from_str("application/json"));
        set(&headers, "x-request-id", &JsValue::from_str(&request_id));
        let body = match request.body {
            Some(bytes) => {
                set(
                    &headers,
                    "content-type",
                    &JsValue::from_str("application/json"),
                );
                JsValue::from_str(&String::from_utf8_lossy(bytes))
            }
            None => JsValue::NULL,
        };
        let js_request = js_sys::Object::new();
        set(&js_request, "method", &JsValue::from_str(request.method));
        set(&js_request, "url", &JsValue::from_str(&url));
        set(&js_request, "headers", &headers);
        set(&js_request, "body", &body);

        let returned = self
            .function
            .call1(&JsValue::NULL, &js_request)
            .map_err(|e| transport_failure(&e, &request_id))?;
        let response = JsFuture::from(js_sys::Promise::resolve(&returned))
            .await
            .map_err(|e| transport_failure(&e, &request_id))?;
        let status = get(&response, "status")
            .as_f64()
            .filter(|s| (100.0..=599.0).contains(s) && s.fract() == 0.0)
            .map(|s| s as u16)
            .ok_or_else(|| bad_response("`status` is not an HTTP status number", &request_id))?;
        let response_headers = get(&response, "headers");
        let body = get(&response, "body")
            .as_string()
            .ok_or_else(|| bad_response("`body` is not a string", &request_id))?;
        let content_type = header(&response_headers, "content-type");
        if (200..300).contains(&status) {
            return opcorp::response::decode_json(
                status,
                &request_id,
                content_type.as_deref(),
                body.as_bytes(),
            );
        }
        // Seconds only: an HTTP-date Retry-After needs a clock, and the host retries anyway.
        let retry_after = header(&response_headers, "retry-after")
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(std::time::Duration::from_secs);
        let err = opcorp::response::status_error(status, retry_after, body.as_bytes(), &request_id);
        Err(with_gateway_kind(err, body.as_bytes()))
    }

    fn url(&self, request: &HostRequest<'_>) -> String {
        let mut url = format!("{}{}", self.base_url, request.path);
        for (i, (name, value)) in request.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(name);
            url.push('=');
            url.push_str(&encode_component(value));
        }
        url
    }
}

/// `opcorp gateway` answers its own refusals and forwarded core errors with
/// `{"error", "message", "code"}`, `code` being core's stable kind code: keep that kind
/// (an upstream `TIMEOUT` stays a timeout rather than becoming a generic 5xx).
fn with_gateway_kind(err: Error, body: &[u8]) -> Error {
    let kind = serde_json::from_slice::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v.get("code")?.as_str().and_then(ErrorKind::from_code));
    match kind {
        Some(kind) if kind != err.kind() => {
            let mut rebuilt = Error::new(kind, err.message()).with_body_snippet(body);
            if let Some(status) = err.status() {
                rebuilt = rebuilt.with_status(status);
            }
            if let Some(id) = err.request_id() {
                rebuilt = rebuilt.with_request_id(id);
            }
            if let Some(delay) = err.retry_after() {
                rebuilt = rebuilt.with_retry_after(delay);
            }
            rebuilt
        }
        _ => err,
    }
}

/// Percent-encodes a query value: everything but RFC 3986 unreserved characters.
pub(crate) fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A fresh UUIDv4 from the host's `crypto.randomUUID()` (browsers, Node ≥ 19, edge
/// runtimes): the request id, and the source of generated `instructionId`s.
pub(crate) fn random_uuid() -> opcorp::Result<String> {
    let crypto = get(&js_sys::global().into(), "crypto");
    let function = get(&crypto, "randomUUID")
        .dyn_into::<js_sys::Function>()
        .map_err(|_| Error::config("this runtime has no crypto.randomUUID()"))?;
    function
        .call0(&crypto)
        .ok()
        .and_then(|v| v.as_string())
        .ok_or_else(|| Error::config("crypto.randomUUID() failed"))
}

fn transport_failure(thrown: &JsValue, request_id: &str) -> Error {
    let text = thrown
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| thrown.as_string())
        .unwrap_or_else(|| "the transport function failed".to_owned());
    Error::new(ErrorKind::Network, format!("transport failed: {text}")).with_request_id(request_id)
}

fn bad_response(problem: &str, request_id: &str) -> Error {
    Error::decode(format!(
        "the transport function returned a bad response: {problem}"
    ))
    .with_request_id(request_id)
}

fn set(target: &js_sys::Object, key: &str, value: &JsValue) {
    // Defining a property on a plain object we just created cannot fail.
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

fn get(target: &JsValue, key: &str) -> JsValue {
    if !target.is_object() {
        return JsValue::UNDEFINED;
    }
    js_sys::Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A header from a plain object (any key case) or a `Headers`-like object with `get()`.
fn header(headers: &JsValue, name: &str) -> Option<String> {
    if !headers.is_object() {
        return None;
    }
    if let Ok(getter) = get(headers, "get").dyn_into::<js_sys::Function>() {
        return getter
            .call1(headers, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_string());
    }
    let object: &js_sys::Object = headers.unchecked_ref();
    js_sys::Object::keys(object)
        .iter()
        .filter_map(|k| k.as_string())
        .find(|k| k.eq_ignore_ascii_case(name))
        .and_then(|k| get(headers, &k).as_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_paths_equal_cores() {
        let core = opcorp::config::ApiPaths::default();
        assert_eq!(paths::ACCOUNT_DATA, core.account_data);
        assert_eq!(paths::PAYMENT, core.payment);
        assert_eq!(paths::TRANSACTION_FILTER, core.transaction_filter);
        assert_eq!(paths::PAYER_DETAILS, core.payer_details);
        assert_eq!(paths::MANDATES, core.mandates);
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode_component("a+b/c=="), "a%2Bb%2Fc%3D%3D");
    }
}
