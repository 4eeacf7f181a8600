//! Building OP-surface responses: JSON bodies, OP-style errors, and the deliberately broken
//! responses some faults ask for.

use std::time::Duration;

use bytes::Bytes;
use futures::StreamExt;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full, Limited, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue};
use hyper::{HeaderMap, Response, StatusCode};
use serde_json::json;

/// Response body type of the OP surface.
pub(crate) type Body = BoxBody<Bytes, std::io::Error>;

/// What the server does with a request.
pub(crate) enum Outcome {
    /// Send this response.
    Reply(Response<Body>),
    /// Abort the connection with a TCP reset, sending nothing more.
    Abort,
}

/// A complete body.
pub(crate) fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed()
}

/// A JSON response.
pub(crate) fn json(status: u16, body: impl Into<Bytes>) -> Response<Body> {
    let mut response = Response::new(full(body));
    *response.status_mut() = status_code(status);
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// The OP-style error body: `{"status": .., "error": "<code>", "message": ".."}`.
pub(crate) fn error_body(status: u16, code: &str, message: &str) -> Vec<u8> {
    json!({ "status": status, "error": code, "message": message })
        .to_string()
        .into_bytes()
}

/// An OP-style JSON error response.
pub(crate) fn error(status: u16, code: &str, message: &str) -> Response<Body> {
    json(status, error_body(status, code, message))
}

/// The snake_case error code of a status, e.g. `too_many_requests` for 429.
pub(crate) fn default_code(status: u16) -> String {
    status_code(status)
        .canonical_reason()
        .filter(|_| StatusCode::from_u16(status).is_ok())
        .map(|reason| {
            reason
                .to_ascii_lowercase()
                .replace(|c: char| !c.is_ascii_alphanumeric(), "_")
        })
        .unwrap_or_else(|| format!("http_{status}"))
}

/// `status` as a `StatusCode` (500 when it is not one).
pub(crate) fn status_code(status: u16) -> StatusCode {
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// A response that announces `body.len()` bytes, sends half of them, then fails so the
/// connection closes mid-body.
pub(crate) fn truncated(status: u16, body: Vec<u8>) -> Response<Body> {
    let total = body.len();
    let half = Bytes::from(body).slice(..total / 2);
    let first = futures::stream::once(async move { Ok(Frame::data(half)) });
    let failure = futures::stream::once(async {
        // Give the first half time to leave before the connection is torn down.
        tokio::time::sleep(Duration::from_millis(50)).await;
        Err(std::io::Error::other("truncated body fault"))
    });
    let mut response = Response::new(BodyExt::boxed(StreamBody::new(first.chain(failure))));
    *response.status_mut() = status_code(status);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CONTENT_LENGTH, HeaderValue::from(total));
    response
}

/// How often a slow body sends a chunk.
const SLOW_TICK: Duration = Duration::from_millis(100);

/// `body`, padded with trailing spaces (still the same JSON) to `pad_to` bytes, sent at
/// `bytes_per_second` in one chunk per [`SLOW_TICK`]. `Content-Length` is the padded size,
/// so a client that stops early knows the body was cut.
pub(crate) fn slow(
    status: u16,
    mut body: Vec<u8>,
    bytes_per_second: u64,
    pad_to: usize,
) -> Response<Body> {
    if body.len() < pad_to {
        body.resize(pad_to, b' ');
    }
    let total = body.len();
    let body = Bytes::from(body);
    let per_tick = usize::try_from(bytes_per_second / 10)
        .unwrap_or(usize::MAX)
        .max(1);
    let chunks = futures::stream::unfold(0usize, move |sent| {
        let body = body.clone();
        async move {
            if sent >= body.len() {
                return None;
            }
            tokio::time::sleep(SLOW_TICK).await;
            let end = (sent + per_tick).min(body.len());
            Some((Ok(Frame::data(body.slice(sent..end))), end))
        }
    });
    let mut response = Response::new(BodyExt::boxed(StreamBody::new(chunks)));
    *response.status_mut() = status_code(status);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(CONTENT_LENGTH, HeaderValue::from(total));
    response
}

/// A 200 JSON response of exactly `bytes` bytes (at least the 2 bytes of `{}`).
pub(crate) fn oversized(bytes: usize) -> Response<Body> {
    const HEAD: &[u8] = b"{\"padding\":\"";
    const TAIL: &[u8] = b"\"}";
    let mut body = Vec::with_capacity(bytes.max(2));
    if bytes >= HEAD.len() + TAIL.len() {
        body.extend_from_slice(HEAD);
        body.resize(bytes - TAIL.len(), b'x');
        body.extend_from_slice(TAIL);
    } else {
        body.extend_from_slice(b"{}");
        body.resize(bytes.max(2), b' ');
    }
    json(200, body)
}

/// Reads a request body of at most `max` bytes; bigger bodies get a 413 error response.
pub(crate) async fn read_body(
    headers: &HeaderMap,
    body: Incoming,
    max: usize,
) -> Result<Bytes, Response<Body>> {
    let too_large = || {
        error(
            413,
            "payload_too_large",
            &format!("the request body exceeds {max} bytes"),
        )
    };
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > max as u64) {
        return Err(too_large());
    }
    match Limited::new(body, max).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(err) if err.is::<http_body_util::LengthLimitError>() => Err(too_large()),
        Err(_) => Err(error(
            400,
            "bad_request",
            "the request body could not be read",
        )),
    }
}
