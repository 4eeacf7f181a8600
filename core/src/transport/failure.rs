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

pub(crate) use crate::response::error_fields;

/// Maps a non-2xx response to an error (see [`crate::response::status_error`]), parsing the
/// `Retry-After` header against the system clock.
pub(crate) fn status_error(
    status: u16,
    retry_after: Option<&str>,
    body: &[u8],
    request_id: &str,
) -> Error {
    let delay = retry_after.and_then(|v| crate::retry::parse_retry_after(v, SystemTime::now()));
    crate::response::status_error(status, delay, body, request_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limits_carry_retry_after() {
        let err = status_error(429, Some("3"), b"{}", "rid");
        assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(3)));
    }
}
