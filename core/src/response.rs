//! Turning one HTTP response (status, content type, body) into a typed value or an
//! [`Error`]: the status → [`ErrorKind`] mapping and the JSON decoding every API call uses.
//!
//! Pure (no HTTP stack, no clock), so the native transport and the WebAssembly client, whose
//! HTTP is supplied by the host, decode responses and classify failures identically.

use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind, Result};

/// Decodes a 2xx JSON response body into `T`.
///
/// A non-JSON `content_type` (an HTML error page from a proxy, say) or malformed JSON gives a
/// [`ErrorKind::Decode`] error with the status, the request id and a truncated, redacted
/// snippet of the body. Nesting deeper than serde_json's limit of 128 levels is refused by
/// the parser, so a hostile body cannot overflow the stack.
pub fn decode_json<T: DeserializeOwned>(
    status: u16,
    request_id: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<T> {
    let fail = |message: String| {
        Error::decode(message)
            .with_status(status)
            .with_request_id(request_id)
            .with_body_snippet(body)
    };
    if let Some(ct) = content_type {
        let ct = ct.to_ascii_lowercase();
        if !ct.contains("json") {
            return Err(fail(format!(
                "expected a JSON response, got content type {ct:?}"
            )));
        }
    }
    parse(body).map_err(|e| {
        fail(format!(
            "response body is not the expected JSON: {} at line {} column {}",
            classify(&e),
            e.line(),
            e.column()
        ))
    })
}

/// The body as JSON. Natively: one UTF-8 check of the whole body, then serde_json's `str`
/// reader, which trusts it (the slice reader checks every string on its own: 12 % of a
/// 100,000-transaction decode); a body that is not UTF-8 goes to the slice reader, which says
/// where. In WASM only the slice reader: the package decodes models from bytes elsewhere
/// too, and a second reader compiles every model's decoder twice (+3 KB gzipped, measured).
fn parse<T: DeserializeOwned>(body: &[u8]) -> serde_json::Result<T> {
    #[cfg(not(target_arch = "wasm32"))]
    if let Ok(text) = std::str::from_utf8(body) {
        return serde_json::from_str(text);
    }
    serde_json::from_slice(body)
}

/// A short description of a serde_json error without echoing values from the body (the
/// snippet carries the redacted body; the message must not bypass that redaction).
fn classify(e: &serde_json::Error) -> &'static str {
    use serde_json::error::Category;
    match e.classify() {
        Category::Io => "I/O error",
        Category::Syntax => "syntax error",
        Category::Data => "unexpected structure or value",
        Category::Eof => "unexpected end of input",
    }
}

/// The `error` code and `message` of an OP-style error body
/// (`{"status":400,"error":"invalid_signature","message":"..."}`).
pub fn error_fields(body: &[u8]) -> (Option<String>, Option<String>) {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body)
    else {
        return (None, None);
    };
    let text = |key: &str| map.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    (
        text("error"),
        text("message").or_else(|| text("error_description")),
    )
}

/// The error kind an `opcorp gateway` forwards in its error body's `code` member (one of
/// [`ErrorKind::code`]); OP's own bodies carry no such member. The gateway's format is
/// `{"error": …, "message": …, "code": "TIMEOUT"}` (cli/README.md), so a client behind it
/// sees the kind the gateway's core client saw (an upstream timeout stays `TIMEOUT`).
pub fn forwarded_kind(body: &[u8]) -> Option<ErrorKind> {
    let serde_json::Value::Object(map) = serde_json::from_slice::<serde_json::Value>(body).ok()?
    else {
        return None;
    };
    map.get("code")?.as_str().and_then(ErrorKind::from_code)
}

/// Maps a non-2xx response to an error: 400/413/422 Rejected, 401 Auth, 403 Forbidden, 404
/// NotFound, 409 Conflict, 429 RateLimited, 5xx Server; a signature error code gives
/// Signature whatever the status, and a gateway's forwarded kind ([`forwarded_kind`]) wins. `retry_after` is the already-parsed `Retry-After` delay.
pub fn status_error(
    status: u16,
    retry_after: Option<std::time::Duration>,
    body: &[u8],
    request_id: &str,
) -> Error {
    let (code, message) = error_fields(body);
    let mapped = match (status, code.as_deref()) {
        (_, Some("invalid_signature" | "missing_signature")) => ErrorKind::Signature,
        (_, Some("signature_iat_out_of_window")) => ErrorKind::ClockSkew,
        (401, _) => ErrorKind::Auth,
        (403, _) => ErrorKind::Forbidden,
        (404, _) => ErrorKind::NotFound,
        (409, _) => ErrorKind::Conflict,
        (429, _) => ErrorKind::RateLimited,
        (500..=599, _) => ErrorKind::Server,
        _ => ErrorKind::Rejected,
    };
    let kind = forwarded_kind(body).unwrap_or(mapped);
    let text = match (code, message) {
        (Some(c), Some(m)) => format!("{c}: {m}"),
        (Some(c), None) => c,
        (None, Some(m)) => m,
        (None, None) => format!("the bank answered HTTP {status}"),
    };
    let err = Error::new(kind, text)
        .with_status(status)
        .with_request_id(request_id)
        .with_body_snippet(body);
    match retry_after {
        Some(delay) => err.with_retry_after(delay),
        None => err,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_kinds() {
        let cases = [
            (400, "", ErrorKind::Rejected),
            (413, "", ErrorKind::Rejected),
            (422, "", ErrorKind::Rejected),
            (401, "", ErrorKind::Auth),
            (403, "", ErrorKind::Forbidden),
            (404, "", ErrorKind::NotFound),
            (409, "", ErrorKind::Conflict),
            (429, "", ErrorKind::RateLimited),
            (503, "", ErrorKind::Server),
            (
                400,
                r#"{"error":"invalid_signature"}"#,
                ErrorKind::Signature,
            ),
            (
                401,
                r#"{"error":"missing_signature"}"#,
                ErrorKind::Signature,
            ),
            (
                400,
                r#"{"error":"signature_iat_out_of_window"}"#,
                ErrorKind::ClockSkew,
            ),
        ];
        for (status, body, kind) in cases {
            let err = status_error(status, None, body.as_bytes(), "rid");
            assert_eq!(err.kind(), kind, "{status} {body}");
            assert_eq!(err.status(), Some(status));
            assert_eq!(err.request_id(), Some("rid"));
        }
    }

    #[test]
    fn a_gateways_forwarded_kind_wins() {
        let body = br#"{"error":"upstream","message":"timed out","code":"TIMEOUT"}"#;
        assert_eq!(
            status_error(502, None, body, "r").kind(),
            ErrorKind::Timeout
        );
        let body = br#"{"error":"x","code":"NOT_A_KIND"}"#;
        assert_eq!(status_error(502, None, body, "r").kind(), ErrorKind::Server);
    }

    #[test]
    fn messages_come_from_the_error_body() {
        let body = br#"{"status":400,"error":"already_refunded","message":"Already refunded"}"#;
        let err = status_error(400, None, body, "rid");
        assert_eq!(err.message(), "already_refunded: Already refunded");
        let err = status_error(502, None, b"<html>bad gateway</html>", "rid");
        assert_eq!(err.message(), "the bank answered HTTP 502");
        assert!(err.body_snippet().unwrap().contains("bad gateway"));
    }

    #[test]
    fn decodes_json_and_reports_malformed_bodies() {
        let ok: serde_json::Value =
            decode_json(200, "rid-1", Some("application/json"), br#"{"a":1}"#).unwrap();
        assert_eq!(ok["a"], 1);
        let err = decode_json::<serde_json::Value>(
            200,
            "rid-1",
            Some("application/json; charset=utf-8"),
            br#"{"access_token":"sekrit","x":"#,
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert_eq!(err.request_id(), Some("rid-1"));
        assert_eq!(err.status(), Some(200));
        assert!(!err.to_string().contains("sekrit"));
        assert!(!err.body_snippet().unwrap().contains("sekrit"));
    }

    /// UTF-8 is checked once for the whole body; one bad byte still fails the decode with its
    /// position, as the string-by-string check did.
    #[test]
    fn a_body_that_is_not_utf8_is_a_decode_error_with_its_position() {
        let ok: Vec<String> = decode_json(200, "rid", None, "[\"\u{e4}\"]".as_bytes()).unwrap();
        assert_eq!(ok, ["\u{e4}"]);
        let err = decode_json::<Vec<String>>(200, "rid", None, b"[\"ok\",\n\"\xff\"]").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
        assert!(err.message().contains("line 2"), "{err}");
    }

    #[test]
    fn html_error_pages_and_deep_nesting_are_decode_errors() {
        let err = decode_json::<serde_json::Value>(
            502,
            "rid",
            Some("text/html"),
            b"<html>502 Bad Gateway</html>",
        )
        .unwrap_err();
        assert!(err.message().contains("text/html"), "{err}");
        let deep = "[".repeat(10_000);
        let err = decode_json::<serde_json::Value>(200, "rid", None, deep.as_bytes()).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Decode);
    }
}
