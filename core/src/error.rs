//! One flat error type for the whole SDK.
//!
//! Every failure is an [`Error`] with an [`ErrorKind`]. The kinds have stable string codes
//! (`AUTH`, `TLS`, …) that every binding exposes unchanged, and bindings match the enum
//! exhaustively, so adding a kind breaks their builds until they map it.

use std::fmt;

pub use crate::operation::{OperationKind, PendingOperation};

/// The result type used throughout opcorp.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, as a stable category. Bindings map this enum without a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// OAuth2 failed or the bank answered 401 even after one token refresh.
    Auth,
    /// The bank refused the operation for these credentials (HTTP 403).
    Forbidden,
    /// TLS handshake or certificate problem (wrong CA, missing or expired client certificate).
    Tls,
    /// HTTP 429 after the retry policy gave up.
    RateLimited,
    /// A connect, read or total deadline passed.
    Timeout,
    /// Connection refused, reset, DNS failure or another transport error.
    Network,
    /// Caller input rejected locally, before any network call (bad IBAN, reference, amount…).
    InvalidInput,
    /// The bank rejected the request as invalid (HTTP 400/422), e.g. "Already refunded".
    Rejected,
    /// The resource does not exist (HTTP 404), e.g. "Transaction not found".
    NotFound,
    /// The request conflicts with an earlier one (HTTP 409), e.g. a reused `instructionId`
    /// with a different body.
    Conflict,
    /// The bank failed (HTTP 5xx) after the retry policy gave up.
    Server,
    /// The response could not be decoded (malformed or oversized JSON, wrong content type).
    Decode,
    /// Signing failed locally or the bank rejected the request signature.
    Signature,
    /// The client configuration is invalid (missing setting, unreadable PEM, key mismatch…).
    Config,
    /// A payment or refund was sent but its outcome could not be confirmed. The error carries
    /// a [`PendingOperation`] that resolves it; resending with a new id would risk paying twice.
    UnknownOutcome,
    /// The local clock differs too much from the bank's for a signature to be accepted.
    ClockSkew,
    /// Verification of Payee stopped a payment before it was signed: the payee's name does
    /// not match the IBAN (or only closely, or could not be checked, as the policy demands).
    PayeeMismatch,
}

impl ErrorKind {
    /// Every kind, in declaration order (for binding tests and documentation tables).
    pub const ALL: [ErrorKind; 17] = [
        ErrorKind::Auth,
        ErrorKind::Forbidden,
        ErrorKind::Tls,
        ErrorKind::RateLimited,
        ErrorKind::Timeout,
        ErrorKind::Network,
        ErrorKind::InvalidInput,
        ErrorKind::Rejected,
        ErrorKind::NotFound,
        ErrorKind::Conflict,
        ErrorKind::Server,
        ErrorKind::Decode,
        ErrorKind::Signature,
        ErrorKind::Config,
        ErrorKind::UnknownOutcome,
        ErrorKind::ClockSkew,
        ErrorKind::PayeeMismatch,
    ];

    /// The stable code shown to users of every binding.
    pub const fn code(self) -> &'static str {
        match self {
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
            ErrorKind::PayeeMismatch => "PAYEE_MISMATCH",
        }
    }

    /// Whether repeating the same call later may succeed. Reads are retried automatically on
    /// these; an `UnknownOutcome` is resolved by a status lookup, never by a blind resend.
    pub const fn is_retryable(self) -> bool {
        matches!(
            self,
            ErrorKind::RateLimited | ErrorKind::Timeout | ErrorKind::Network | ErrorKind::Server
        )
    }

    /// For a failed payment or refund: whether the bank may have booked it. Only an
    /// [`ErrorKind::UnknownOutcome`] may hide a booking — core turns every ambiguous ending
    /// of a signed write (an exchange cut after sending, a 5xx, an unreadable answer) into
    /// one — so anything else means nothing was booked by this operation and, e.g., a
    /// gateway can give back a reservation against its daily limit. Exhaustive on purpose.
    pub const fn may_have_booked(self) -> bool {
        match self {
            ErrorKind::UnknownOutcome => true,
            ErrorKind::Auth
            | ErrorKind::Forbidden
            | ErrorKind::Tls
            | ErrorKind::RateLimited
            | ErrorKind::Timeout
            | ErrorKind::Network
            | ErrorKind::InvalidInput
            | ErrorKind::Rejected
            | ErrorKind::NotFound
            | ErrorKind::Conflict
            | ErrorKind::Server
            | ErrorKind::Decode
            | ErrorKind::Signature
            | ErrorKind::Config
            | ErrorKind::ClockSkew
            | ErrorKind::PayeeMismatch => false,
        }
    }

    /// Parses a stable code back into its kind.
    pub fn from_code(code: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The error type of every fallible opcorp operation.
///
/// The message never contains secrets; the body snippet is truncated and redacted.
pub struct Error {
    kind: ErrorKind,
    message: String,
    status: Option<u16>,
    request_id: Option<String>,
    body_snippet: Option<String>,
    retry_after: Option<std::time::Duration>,
    pending: Option<Box<PendingOperation>>,
    source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
}

impl Error {
    /// A new error of `kind` with a human-readable message (must not contain secrets).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            status: None,
            request_id: None,
            body_snippet: None,
            retry_after: None,
            pending: None,
            source: None,
        }
    }

    /// Shorthand for an [`ErrorKind::InvalidInput`] error.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidInput, message)
    }

    /// Shorthand for an [`ErrorKind::Config`] error.
    pub fn config(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config, message)
    }

    /// Shorthand for an [`ErrorKind::Decode`] error.
    pub fn decode(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Decode, message)
    }

    /// Attaches the HTTP status the bank answered with.
    pub fn with_status(mut self, status: u16) -> Self {
        self.status = Some(status);
        self
    }

    /// Attaches the `X-Request-ID` of the request that failed.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }

    /// Attaches a response body snippet, truncated to 512 characters with secrets redacted.
    pub fn with_body_snippet(mut self, body: &[u8]) -> Self {
        self.body_snippet = Some(redacted_snippet(body));
        self
    }

    /// Attaches the server's `Retry-After` delay.
    pub fn with_retry_after(mut self, delay: std::time::Duration) -> Self {
        self.retry_after = Some(delay);
        self
    }

    /// Attaches the pending write that an [`ErrorKind::UnknownOutcome`] error leaves behind.
    pub fn with_pending(mut self, pending: PendingOperation) -> Self {
        self.pending = Some(Box::new(pending));
        self
    }

    /// Attaches the underlying cause.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }

    /// The category of the error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable code of the category, e.g. `"RATE_LIMITED"`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// Whether the same call may succeed later.
    pub fn is_retryable(&self) -> bool {
        self.kind.is_retryable()
    }

    /// The human-readable message, without the code, status or request id.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The HTTP status, when the bank answered.
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// The `X-Request-ID` of the failed request, when one was sent.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// A truncated, redacted snippet of the response body.
    pub fn body_snippet(&self) -> Option<&str> {
        self.body_snippet.as_deref()
    }

    /// The delay the server asked for with `Retry-After`.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.retry_after
    }

    /// The write left unresolved by an [`ErrorKind::UnknownOutcome`] error.
    pub fn pending(&self) -> Option<&PendingOperation> {
        self.pending.as_deref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.code(), self.message)?;
        if let Some(status) = self.status {
            write!(f, " (HTTP {status})")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("body_snippet", &self.body_snippet)
            .field("retry_after", &self.retry_after)
            .field("pending", &self.pending)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// Longest body snippet kept in an error, in characters.
const SNIPPET_CHARS: usize = 512;

/// JSON keys whose values are replaced by `[REDACTED]` in snippets.
const SECRET_KEYS: [&str; 4] = ["access_token", "client_secret", "refresh_token", "id_token"];

/// Truncates a body for an error message and blanks out anything that looks like a secret,
/// so that a gateway echoing a token or a PEM block cannot leak it into logs.
fn redacted_snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(SNIPPET_CHARS).collect();
    if let Some(pos) = out.find("-----BEGIN") {
        out.truncate(pos);
        out.push_str("[REDACTED]");
    }
    for key in SECRET_KEYS {
        let needle = format!("\"{key}\"");
        let mut from = 0;
        while let Some(found) = out[from..].find(&needle) {
            let key_end = from + found + needle.len();
            let Some(open) = out[key_end..].find('"').map(|i| key_end + i + 1) else {
                break;
            };
            let close = out[open..].find('"').map_or(out.len(), |i| open + i);
            out.replace_range(open..close, "[REDACTED]");
            from = open + "[REDACTED]".len();
        }
    }
    // Every credential, not just the first: a body may echo several headers.
    for marker in ["Bearer ", "bearer "] {
        let mut from = 0;
        while let Some(found) = out[from..].find(marker) {
            let start = from + found + marker.len();
            let end = out[start..]
                .find(|c: char| c.is_whitespace() || c == '"')
                .map_or(out.len(), |i| start + i);
            out.replace_range(start..end, "[REDACTED]");
            from = start + "[REDACTED]".len();
        }
    }
    if text.chars().count() > SNIPPET_CHARS {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for kind in ErrorKind::ALL {
            assert!(seen.insert(kind.code()), "duplicate code {}", kind.code());
            assert_eq!(ErrorKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(ErrorKind::from_code("NOPE"), None);
    }

    #[test]
    fn display_carries_code_status_and_request_id() {
        let err = Error::new(ErrorKind::Server, "bank failed")
            .with_status(503)
            .with_request_id("1afb1874-5bd5-4c5a-9dbb-21a66ab23a85");
        assert_eq!(
            err.to_string(),
            "SERVER: bank failed (HTTP 503) [request id 1afb1874-5bd5-4c5a-9dbb-21a66ab23a85]"
        );
        assert!(err.is_retryable());
    }

    #[test]
    fn snippets_redact_tokens_pem_and_bearer() {
        let body = br#"{"access_token":"sekrit-token","note":"Authorization: Bearer abc.def"}"#;
        let err = Error::decode("x").with_body_snippet(body);
        let snippet = err.body_snippet().unwrap();
        assert!(!snippet.contains("sekrit-token"), "{snippet}");
        assert!(!snippet.contains("abc.def"), "{snippet}");
        let pem = b"oops -----BEGIN\x20PRIVATE KEY-----\nMIIE...";
        let err = Error::decode("x").with_body_snippet(pem);
        assert_eq!(err.body_snippet(), Some("oops [REDACTED]"));
    }

    #[test]
    fn snippets_redact_every_bearer_credential() {
        // Found by the error_snippet fuzz target: only the first credential was blanked.
        let body = b"authorization: bearer first\nauthorization: bearer second, Bearer third";
        let err = Error::decode("x").with_body_snippet(body);
        assert_eq!(
            err.body_snippet(),
            Some(
                "authorization: bearer [REDACTED]\nauthorization: bearer [REDACTED] \
                 Bearer [REDACTED]"
            )
        );
    }

    #[test]
    fn snippets_are_truncated() {
        let body = vec![b'a'; 10_000];
        let err = Error::decode("x").with_body_snippet(&body);
        assert_eq!(
            err.body_snippet().unwrap().chars().count(),
            SNIPPET_CHARS + 1
        );
    }
}
