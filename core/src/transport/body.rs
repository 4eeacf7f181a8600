//! Reading response bodies under a size cap, and decoding them as JSON.

use bytes::Bytes;
use serde::de::DeserializeOwned;

use super::ApiResponse;
use crate::error::Result;

/// Default response size cap: 16 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 16 * 1024 * 1024;

/// Why a body could not be read in full.
#[derive(Debug)]
pub(crate) enum BodyError {
    /// The body is larger than the cap (by `Content-Length` or while streaming).
    TooLarge,
    /// The connection failed or timed out mid-body.
    Interrupted(reqwest::Error),
}

/// Reads the whole body, chunk by chunk, stopping as soon as it exceeds `max` bytes so an
/// oversized or endless body cannot exhaust memory.
pub(crate) async fn read_capped(
    resp: &mut reqwest::Response,
    max: u64,
) -> std::result::Result<Bytes, BodyError> {
    if resp.content_length().is_some_and(|len| len > max) {
        return Err(BodyError::TooLarge);
    }
    let initial = resp.content_length().unwrap_or(0).min(64 * 1024);
    let mut buf = Vec::with_capacity(usize::try_from(initial).unwrap_or(0));
    while let Some(chunk) = resp.chunk().await.map_err(BodyError::Interrupted)? {
        if (buf.len() + chunk.len()) as u64 > max {
            return Err(BodyError::TooLarge);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(buf))
}

/// Decodes a JSON response body into `T` (see [`crate::response::decode_json`]).
pub(crate) fn decode_json<T: DeserializeOwned>(resp: &ApiResponse) -> Result<T> {
    let content_type = resp
        .headers
        .get(reqwest::header::CONTENT_TYPE)
        .map(|ct| ct.to_str().unwrap_or(""));
    crate::response::decode_json(resp.status, &resp.request_id, content_type, &resp.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(body: &[u8], content_type: Option<&str>) -> ApiResponse {
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(ct) = content_type {
            headers.insert(reqwest::header::CONTENT_TYPE, ct.parse().unwrap());
        }
        ApiResponse {
            status: 200,
            request_id: "rid-1".into(),
            headers,
            body: Bytes::copy_from_slice(body),
        }
    }

    #[test]
    fn decodes_json_and_reports_malformed_bodies() {
        let ok: serde_json::Value =
            decode_json(&response(br#"{"a":1}"#, Some("application/json"))).unwrap();
        assert_eq!(ok["a"], 1);
        let err = decode_json::<serde_json::Value>(&response(
            br#"{"access_token":"sekrit","x":"#,
            Some("application/json; charset=utf-8"),
        ))
        .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Decode);
        assert_eq!(err.request_id(), Some("rid-1"));
        assert_eq!(err.status(), Some(200));
        assert!(!err.to_string().contains("sekrit"));
        assert!(!err.body_snippet().unwrap().contains("sekrit"));
    }

    /// A reqwest response whose body arrives in `chunks` chunks of `size` bytes, with no
    /// `Content-Length` (as a chunked or endless body would).
    fn streamed(chunks: usize, size: usize) -> reqwest::Response {
        let parts = (0..chunks).map(move |_| Ok::<_, std::io::Error>(vec![b'x'; size]));
        let body = reqwest::Body::wrap_stream(futures::stream::iter(parts));
        reqwest::Response::from(http::Response::new(body))
    }

    #[tokio::test]
    async fn streamed_bodies_stop_at_the_cap() {
        let mut resp = streamed(4, 1000);
        assert_eq!(read_capped(&mut resp, 4000).await.unwrap().len(), 4000);
        let mut resp = streamed(1_000_000, 1000);
        assert!(matches!(
            read_capped(&mut resp, 10_000).await,
            Err(BodyError::TooLarge)
        ));
    }

    #[test]
    fn html_error_pages_and_deep_nesting_are_decode_errors() {
        let err = decode_json::<serde_json::Value>(&response(
            b"<html>502 Bad Gateway</html>",
            Some("text/html"),
        ))
        .unwrap_err();
        assert!(err.message().contains("text/html"), "{err}");
        let deep = "[".repeat(10_000);
        let err = decode_json::<serde_json::Value>(&response(deep.as_bytes(), None)).unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::Decode);
    }
}
