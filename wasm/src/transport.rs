//! The host-supplied transport: one JS function
//! `transport({ method, url, headers, body, timeoutMs? }) → Promise<{ status, headers, body }>`,
//! plus the host services core's engine needs on wasm32 (clock, randomness, sleeping, UUIDs).
//! `timeoutMs` is what is left of the call's deadline (`callTimeoutMs`); the client enforces
//! it either way.
//!
//! This module only moves bytes across the boundary. Request ids, tokens, signing rules,
//! retries, the 401 rule, `Retry-After`, the size cap and error mapping are core's
//! (`opcorp::engine`), so failures read exactly as in the native client. In a browser the
//! function usually wraps `fetch` towards `opcorp gateway` (adding its bearer key); in an
//! edge runtime it can wrap an mTLS-capable `fetch` that also adds OP's OAuth token.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use opcorp::ErrorKind;
use opcorp::engine::{Answer, Attempt, Failure, Host, Transport};
use opcorp::request::Headers;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The host's transport function plus the headers every request carries.
pub(crate) struct HostTransport {
    /// The host's function.
    pub(crate) function: js_sys::Function,
    /// Headers added to every request (e.g. the gateway's `Authorization: Bearer …`).
    pub(crate) headers: Vec<(String, String)>,
}

impl Transport for HostTransport {
    async fn send(&self, attempt: Attempt<'_>) -> Result<Answer, Failure> {
        let headers = js_sys::Object::new();
        for (name, value) in &self.headers {
            set(&headers, name, &JsValue::from_str(value));
        }
        for (name, value) in &attempt.headers {
            set(
                &headers,
                &name.to_ascii_lowercase(),
                &JsValue::from_str(value),
            );
        }
        let body = attempt.body.map_or(JsValue::NULL, |bytes| {
            JsValue::from_str(&String::from_utf8_lossy(bytes))
        });
        let request = js_sys::Object::new();
        set(
            &request,
            "method",
            &JsValue::from_str(attempt.method.as_str()),
        );
        set(&request, "url", &JsValue::from_str(&attempt.url));
        set(&request, "headers", &headers);
        set(&request, "body", &body);
        if let Some(timeout) = attempt.timeout {
            set(&request, "timeoutMs", &JsValue::from_f64(millis(timeout)));
        }

        // Whether a thrown call reached the server is unknown: treat it as ambiguous, so a
        // payment is never resent with a new id and reads are retried.
        let returned = self
            .function
            .call1(&JsValue::NULL, &request)
            .map_err(|e| thrown(&e))?;
        let answer = js_sys::Promise::resolve(&returned);
        let response = match attempt.timeout {
            None => JsFuture::from(answer).await,
            // The call's deadline holds even when the host ignores `timeoutMs`: the answer
            // races a timer, and a late answer is dropped (the request may have arrived, so
            // the failure is ambiguous, like any timeout after sending).
            Some(timeout) => {
                let deadline = js_sys::Object::new();
                let (timer, id) = after(timeout, &deadline);
                let raced = js_sys::Promise::race(&js_sys::Array::of2(&answer, &timer));
                let response = JsFuture::from(raced).await;
                clear_timer(&id);
                if matches!(&response, Ok(value) if js_sys::Object::is(value, &deadline)) {
                    return Err(Failure::new(
                        ErrorKind::Timeout,
                        format!(
                            "the call deadline passed before the transport answered (timeoutMs {})",
                            millis(timeout)
                        ),
                    ));
                }
                response
            }
        }
        .map_err(|e| thrown(&e))?;
        let status = get(&response, "status")
            .as_f64()
            .filter(|s| (100.0..=599.0).contains(s) && s.fract() == 0.0)
            .map(|s| s as u16)
            .ok_or_else(|| bad_response("`status` is not an HTTP status number"))?;
        let body = get(&response, "body")
            .as_string()
            .ok_or_else(|| bad_response("`body` is not a string"))?;
        if body.len() as u64 > attempt.max_response_bytes {
            return Err(Failure::oversized(status, attempt.max_response_bytes));
        }
        Ok(Answer {
            status,
            headers: headers_of(&get(&response, "headers")),
            body: body.into_bytes(),
        })
    }
}

/// The wasm32 host: `Date.now()`, `Math.random()`, `crypto.randomUUID()`, `setTimeout`.
pub(crate) struct JsHost;

impl Host for JsHost {
    fn now(&self) -> SystemTime {
        let millis = js_sys::Date::now().max(0.0);
        UNIX_EPOCH + Duration::from_millis(millis as u64)
    }

    fn random(&self) -> f64 {
        js_sys::Math::random()
    }

    fn uuid(&self) -> String {
        random_uuid().unwrap_or_else(|_| {
            // No crypto.randomUUID (very old runtimes): a v4-shaped id from Math.random,
            // good enough for a request id, never used for anything secret.
            let hex: String = (0..32)
                .map(|_| {
                    let digit = (js_sys::Math::random() * 16.0) as u32;
                    char::from_digit(digit.min(15), 16).unwrap_or('0')
                })
                .collect();
            format!(
                "{}-{}-4{}-a{}-{}",
                &hex[0..8],
                &hex[8..12],
                &hex[13..16],
                &hex[17..20],
                &hex[20..32]
            )
        })
    }

    async fn sleep(&self, delay: Duration) {
        let (timer, _) = after(delay, &JsValue::UNDEFINED);
        let _ = JsFuture::from(timer).await;
    }
}

/// A duration as the whole milliseconds `setTimeout` takes (capped at `u32::MAX`).
fn millis(delay: Duration) -> f64 {
    delay.as_millis().min(u128::from(u32::MAX)) as f64
}

/// A promise that resolves with `value` after `delay` (at once where the runtime has no
/// `setTimeout`), and the timer's id for [`clear_timer`].
fn after(delay: Duration, value: &JsValue) -> (js_sys::Promise, JsValue) {
    let mut id = JsValue::UNDEFINED;
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let set_timeout = get(&js_sys::global().into(), "setTimeout");
        match set_timeout.dyn_into::<js_sys::Function>() {
            Ok(function) => {
                let resolve = resolve.bind1(&JsValue::NULL, value);
                id = function
                    .call2(&JsValue::NULL, &resolve, &JsValue::from_f64(millis(delay)))
                    .unwrap_or(JsValue::UNDEFINED);
            }
            Err(_) => {
                let _ = resolve.call1(&JsValue::NULL, value);
            }
        }
    });
    (promise, id)
}

/// Cancels a timer of [`after`] whose promise is no longer awaited, so a pending deadline
/// does not keep a Node process alive after the answer came.
fn clear_timer(id: &JsValue) {
    if let Ok(function) =
        get(&js_sys::global().into(), "clearTimeout").dyn_into::<js_sys::Function>()
    {
        let _ = function.call1(&JsValue::NULL, id);
    }
}

/// A fresh UUIDv4 from the host's `crypto.randomUUID()` (browsers, Node ≥ 19, edge runtimes).
pub(crate) fn random_uuid() -> opcorp::Result<String> {
    let crypto = get(&js_sys::global().into(), "crypto");
    let function = get(&crypto, "randomUUID")
        .dyn_into::<js_sys::Function>()
        .map_err(|_| opcorp::Error::config("this runtime has no crypto.randomUUID()"))?;
    function
        .call0(&crypto)
        .ok()
        .and_then(|v| v.as_string())
        .ok_or_else(|| opcorp::Error::config("crypto.randomUUID() failed"))
}

fn thrown(value: &JsValue) -> Failure {
    let text = value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "the transport function failed".to_owned());
    Failure::new(ErrorKind::Network, format!("transport failed: {text}"))
}

fn bad_response(problem: &str) -> Failure {
    Failure::new(
        ErrorKind::Decode,
        format!("the transport function returned a bad response: {problem}"),
    )
}

fn set(target: &js_sys::Object, key: &str, value: &JsValue) {
    // Defining a property on a plain object we just created cannot fail.
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

pub(crate) fn get(target: &JsValue, key: &str) -> JsValue {
    if !target.is_object() {
        return JsValue::UNDEFINED;
    }
    js_sys::Reflect::get(target, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// Response headers from a plain object or an iterable of `[name, value]` pairs (a fetch
/// `Headers` object, a `Map`).
fn headers_of(value: &JsValue) -> Headers {
    let mut headers = Headers::new();
    if !value.is_object() {
        return headers;
    }
    if let Ok(Some(entries)) = js_sys::try_iter(value) {
        for entry in entries.flatten() {
            let pair: js_sys::Array = entry.unchecked_into();
            if let (Some(name), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                headers.push(name, v);
            }
        }
        return headers;
    }
    let object: &js_sys::Object = value.unchecked_ref();
    for key in js_sys::Object::keys(object).iter() {
        let Some(name) = key.as_string() else {
            continue;
        };
        if let Some(v) = get(value, &name).as_string() {
            headers.push(name, v);
        }
    }
    headers
}
