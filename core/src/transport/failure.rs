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
///
/// Under TLS 1.3 the server checks the client certificate only after the client has finished
/// its handshake, so a rejected certificate arrives as an alert followed by a close or reset
/// while the client is already sending its first request. When the client reads the alert it
/// is a rustls error like any other; when the close wins the race (the request could not be
/// written, or hyper cancels the not-yet-written request because the new connection died),
/// no rustls error is left in the chain. Those two shapes mean the bank dropped the
/// connection before it received the request, right after the handshake: they are `Tls`
/// too, final and with nothing sent, so a rejected certificate never opens a second
/// connection.
pub(crate) fn classify(err: &reqwest::Error) -> TransportFailure {
    let before_send = err.is_connect();
    if find_tls_error(err).is_some() {
        return TransportFailure {
            kind: ErrorKind::Tls,
            before_send,
            timed_out: false,
        };
    }
    if dropped_before_request(err) {
        return TransportFailure {
            kind: ErrorKind::Tls,
            before_send: true,
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

/// hyper's text for a request that was never written (the connection failed first).
const HYPER_CANCELED: &str = "operation was canceled";
/// hyper's text for a failure while writing the request.
const HYPER_WRITE_FAILED: &str = "error writing a body to connection";

/// Whether the request never fully reached the server because the connection was closed
/// or reset under it: hyper canceled it unsent, or writing it failed with a reset or a
/// broken pipe (a reset the server sent before reading it).
fn dropped_before_request(err: &(dyn StdError + 'static)) -> bool {
    let mut current: Option<&(dyn StdError + 'static)> = Some(err);
    while let Some(e) = current {
        let text = e.to_string();
        if text.starts_with(HYPER_CANCELED) {
            return true;
        }
        if text.starts_with(HYPER_WRITE_FAILED)
            && e.source()
                .and_then(|s| s.downcast_ref::<std::io::Error>())
                .is_some_and(|io| {
                    matches!(
                        io.kind(),
                        std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::ConnectionReset
                    )
                })
        {
            return true;
        }
        current = e.source();
    }
    false
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
    if dropped_before_request(err) {
        return "the bank closed the new connection right after the TLS handshake, before the \
                request reached it (how a TLS 1.3 server refuses a client certificate it does \
                not trust)"
            .to_owned();
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

    /// An error with a message and an optional cause, standing in for hyper's.
    #[derive(Debug)]
    struct Chain(&'static str, Option<Box<dyn StdError + Send + Sync>>);

    impl std::fmt::Display for Chain {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl StdError for Chain {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            self.1.as_deref().map(|e| e as &(dyn StdError + 'static))
        }
    }

    #[test]
    fn a_request_lost_to_a_closed_connection_is_recognised() {
        let reset = || std::io::Error::from(std::io::ErrorKind::ConnectionReset);
        let write = Chain(HYPER_WRITE_FAILED, Some(Box::new(reset())));
        assert!(dropped_before_request(&Chain(
            "client error (SendRequest)",
            Some(Box::new(write))
        )));
        let canceled = Chain(HYPER_CANCELED, None);
        assert!(dropped_before_request(&Chain(
            "client error (Canceled)",
            Some(Box::new(canceled))
        )));
        // A reset while reading the answer may follow a booking: not this case.
        let read = Chain("connection error", Some(Box::new(reset())));
        assert!(!dropped_before_request(&read));
        let refused = std::io::Error::from(std::io::ErrorKind::ConnectionRefused);
        let write = Chain(HYPER_WRITE_FAILED, Some(Box::new(refused)));
        assert!(!dropped_before_request(&write));
    }

    #[test]
    fn rate_limits_carry_retry_after() {
        let err = status_error(429, Some("3"), b"{}", "rid");
        assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(3)));
    }
}
