//! Turning transport failures and non-2xx responses into [`Error`]s.

use std::error::Error as StdError;
use std::time::SystemTime;

use crate::error::{Error, ErrorKind};

/// What a failed send means for the retry decision and for the final error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TransportFailure {
    /// The kind of the final error if nothing better comes along.
    pub(crate) kind: ErrorKind,
    /// The connection was never established, so nothing reached the server.
    pub(crate) before_send: bool,
    /// A deadline passed (retries of timeouts cost more budget).
    pub(crate) timed_out: bool,
}

/// Classifies a reqwest error: TLS problems anywhere in the cause chain are `Tls` (never
/// retried), deadlines are `Timeout`, the rest `Network`.
pub(crate) fn classify(err: &reqwest::Error) -> TransportFailure {
    let before_send = err.is_connect();
    if find_tls_error(err).is_some() {
        return TransportFailure {
            kind: ErrorKind::Tls,
            before_send,
            timed_out: false,
        };
    }
    let timed_out = err.is_timeout();
    TransportFailure {
        kind: if timed_out {
            ErrorKind::Timeout
        } else {
            ErrorKind::Network
        },
        before_send,
        timed_out,
    }
}

/// The rustls error somewhere in `err`'s cause chain, looking inside `io::Error` wrappers
/// (whose `source()` skips the wrapped error itself).
pub(crate) fn find_tls_error<'a>(err: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    let mut current: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(tls) = e.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        if let Some(inner) = e
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            && let Some(tls) = find_tls_error(inner)
        {
            return Some(tls);
        }
        current = e.source();
    }
    None
}

/// A human-readable description of a transport failure, naming the TLS problem when there is
/// one. reqwest's messages contain the URL but no headers, so no token can leak here.
pub(crate) fn describe(err: &reqwest::Error) -> String {
    if let Some(tls) = find_tls_error(err) {
        return format!("TLS failure: {tls}");
    }
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The `error` code and `message` of an OP-style error body
/// (`{"status":400,"error":"invalid_signature","message":"..."}`).
pub(crate) fn error_fields(body: &[u8]) -> (Option<String>, Option<String>) {
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

/// Maps a non-2xx response to an error: 400/413/422 Rejected, 401 Auth, 403 Forbidden, 404
/// NotFound, 409 Conflict, 429 RateLimited, 5xx Server; a signature error code gives
/// Signature whatever the status.
pub(crate) fn status_error(
    status: u16,
    retry_after: Option<&str>,
    body: &[u8],
    request_id: &str,
) -> Error {
    let (code, message) = error_fields(body);
    let kind = match (status, code.as_deref()) {
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
    let text = match (code, message) {
        (Some(c), Some(m)) => format!("{c}: {m}"),
        (Some(c), None) => c,
        (None, Some(m)) => m,
        (None, None) => format!("the bank answered HTTP {status}"),
    };
    let mut err = Error::new(kind, text)
        .with_status(status)
        .with_request_id(request_id)
        .with_body_snippet(body);
    if let Some(delay) =
        retry_after.and_then(|v| crate::retry::parse_retry_after(v, SystemTime::now()))
    {
        err = err.with_retry_after(delay);
    }
    err
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
    fn messages_come_from_the_error_body() {
        let body = br#"{"status":400,"error":"already_refunded","message":"Already refunded"}"#;
        let err = status_error(400, None, body, "rid");
        assert_eq!(err.message(), "already_refunded: Already refunded");
        let err = status_error(502, None, b"<html>bad gateway</html>", "rid");
        assert_eq!(err.message(), "the bank answered HTTP 502");
        assert!(err.body_snippet().unwrap().contains("bad gateway"));
    }

    #[test]
    fn rate_limits_carry_retry_after() {
        let err = status_error(429, Some("3"), b"{}", "rid");
        assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(3)));
    }
}
