//! `opcorp_status`: one stable value per core error kind, plus success and an internal error.

use std::ffi::c_char;

use opcorp::ErrorKind;

/// The result of every fallible opcorp function. The numeric values are stable.
///
/// Thread-safety: a plain value.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum opcorp_status {
    /// Success.
    OPCORP_OK = 0,
    /// OAuth2 failed or the bank answered 401 even after one token refresh.
    OPCORP_AUTH = 1,
    /// The bank refused the operation for these credentials (HTTP 403).
    OPCORP_FORBIDDEN = 2,
    /// TLS handshake or certificate problem.
    OPCORP_TLS = 3,
    /// HTTP 429 after the retry policy gave up.
    OPCORP_RATE_LIMITED = 4,
    /// A connect, read or total deadline passed.
    OPCORP_TIMEOUT = 5,
    /// Connection refused, reset, DNS failure or another transport error.
    OPCORP_NETWORK = 6,
    /// Caller input rejected locally (NULL pointer, invalid UTF-8, bad IBAN, reference...).
    OPCORP_INVALID_INPUT = 7,
    /// The bank rejected the request as invalid (HTTP 400/422).
    OPCORP_REJECTED = 8,
    /// The resource does not exist (HTTP 404).
    OPCORP_NOT_FOUND = 9,
    /// The request conflicts with an earlier one (HTTP 409).
    OPCORP_CONFLICT = 10,
    /// The bank failed (HTTP 5xx) after the retry policy gave up.
    OPCORP_SERVER = 11,
    /// The response could not be decoded.
    OPCORP_DECODE = 12,
    /// Signing failed locally or the bank rejected the request signature.
    OPCORP_SIGNATURE = 13,
    /// The client configuration is invalid (missing setting, unreadable PEM...).
    OPCORP_CONFIG = 14,
    /// A payment or refund was sent but its outcome is unknown; take the pending operation
    /// with opcorp_last_error_pending() and resolve it with opcorp_pending_resolve().
    /// Never resend with a new id: that risks paying twice.
    OPCORP_UNKNOWN_OUTCOME = 15,
    /// The local clock differs too much from the bank's.
    OPCORP_CLOCK_SKEW = 16,
    /// Verification of Payee stopped a payment before it was signed: the payee's name does
    /// not match the IBAN (or not closely enough for the policy).
    OPCORP_PAYEE_MISMATCH = 17,
    /// A bug inside the library (a caught panic); the message says where.
    OPCORP_INTERNAL = 99,
}

impl opcorp_status {
    /// The status for a core error kind. Exhaustive on purpose: a new kind in core breaks
    /// this build until it is mapped.
    pub(crate) fn from_kind(kind: ErrorKind) -> Self {
        match kind {
            ErrorKind::Auth => opcorp_status::OPCORP_AUTH,
            ErrorKind::Forbidden => opcorp_status::OPCORP_FORBIDDEN,
            ErrorKind::Tls => opcorp_status::OPCORP_TLS,
            ErrorKind::RateLimited => opcorp_status::OPCORP_RATE_LIMITED,
            ErrorKind::Timeout => opcorp_status::OPCORP_TIMEOUT,
            ErrorKind::Network => opcorp_status::OPCORP_NETWORK,
            ErrorKind::InvalidInput => opcorp_status::OPCORP_INVALID_INPUT,
            ErrorKind::Rejected => opcorp_status::OPCORP_REJECTED,
            ErrorKind::NotFound => opcorp_status::OPCORP_NOT_FOUND,
            ErrorKind::Conflict => opcorp_status::OPCORP_CONFLICT,
            ErrorKind::Server => opcorp_status::OPCORP_SERVER,
            ErrorKind::Decode => opcorp_status::OPCORP_DECODE,
            ErrorKind::Signature => opcorp_status::OPCORP_SIGNATURE,
            ErrorKind::Config => opcorp_status::OPCORP_CONFIG,
            ErrorKind::UnknownOutcome => opcorp_status::OPCORP_UNKNOWN_OUTCOME,
            ErrorKind::ClockSkew => opcorp_status::OPCORP_CLOCK_SKEW,
            ErrorKind::PayeeMismatch => opcorp_status::OPCORP_PAYEE_MISMATCH,
        }
    }

    /// The status with this numeric value, if any (C may pass any integer).
    fn from_raw(raw: i32) -> Option<Self> {
        use opcorp_status::{OPCORP_INTERNAL, OPCORP_OK};
        match raw {
            0 => Some(OPCORP_OK),
            99 => Some(OPCORP_INTERNAL),
            _ => ErrorKind::ALL
                .into_iter()
                .map(opcorp_status::from_kind)
                .find(|s| *s as i32 == raw),
        }
    }

    /// The core kind of this status (`None` for OK and INTERNAL).
    fn kind(self) -> Option<ErrorKind> {
        ErrorKind::ALL
            .into_iter()
            .find(|k| opcorp_status::from_kind(*k) == self)
    }

    /// The stable code as a NUL-terminated static string.
    fn code(self) -> &'static [u8] {
        match self {
            opcorp_status::OPCORP_OK => b"OK\0",
            opcorp_status::OPCORP_INTERNAL => b"INTERNAL\0",
            opcorp_status::OPCORP_AUTH => b"AUTH\0",
            opcorp_status::OPCORP_FORBIDDEN => b"FORBIDDEN\0",
            opcorp_status::OPCORP_TLS => b"TLS\0",
            opcorp_status::OPCORP_RATE_LIMITED => b"RATE_LIMITED\0",
            opcorp_status::OPCORP_TIMEOUT => b"TIMEOUT\0",
            opcorp_status::OPCORP_NETWORK => b"NETWORK\0",
            opcorp_status::OPCORP_INVALID_INPUT => b"INVALID_INPUT\0",
            opcorp_status::OPCORP_REJECTED => b"REJECTED\0",
            opcorp_status::OPCORP_NOT_FOUND => b"NOT_FOUND\0",
            opcorp_status::OPCORP_CONFLICT => b"CONFLICT\0",
            opcorp_status::OPCORP_SERVER => b"SERVER\0",
            opcorp_status::OPCORP_DECODE => b"DECODE\0",
            opcorp_status::OPCORP_SIGNATURE => b"SIGNATURE\0",
            opcorp_status::OPCORP_CONFIG => b"CONFIG\0",
            opcorp_status::OPCORP_UNKNOWN_OUTCOME => b"UNKNOWN_OUTCOME\0",
            opcorp_status::OPCORP_CLOCK_SKEW => b"CLOCK_SKEW\0",
            opcorp_status::OPCORP_PAYEE_MISMATCH => b"PAYEE_MISMATCH\0",
        }
    }
}

/// The stable code of a status ("OK", "AUTH", "RATE_LIMITED", ...), the same string every
/// opcorp binding uses. Takes the status as an int so that any value is safe. Returns a
/// static string (never free it); "UNKNOWN" for a value that is not an opcorp_status.
#[unsafe(no_mangle)]
pub extern "C" fn opcorp_status_code(status: i32) -> *const c_char {
    crate::guard::infallible(c"UNKNOWN".as_ptr(), || {
        opcorp_status::from_raw(status)
            .map_or(c"UNKNOWN".as_ptr(), |s| s.code().as_ptr().cast::<c_char>())
    })
}

/// Whether repeating the same call later may succeed (RATE_LIMITED, TIMEOUT, NETWORK,
/// SERVER). Reads are already retried inside the library; UNKNOWN_OUTCOME is resolved with
/// opcorp_pending_resolve, never by a blind resend.
#[unsafe(no_mangle)]
pub extern "C" fn opcorp_status_is_retryable(status: i32) -> bool {
    crate::guard::infallible(false, || {
        opcorp_status::from_raw(status)
            .and_then(opcorp_status::kind)
            .is_some_and(|k| k.is_retryable())
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::ffi::CStr;

    use super::*;

    #[test]
    fn every_kind_maps_to_a_distinct_status_with_the_same_code() {
        let mut seen = HashSet::new();
        for kind in ErrorKind::ALL {
            let status = opcorp_status::from_kind(kind);
            assert!(seen.insert(status), "{kind:?} shares a status");
            assert_ne!(status, opcorp_status::OPCORP_OK);
            assert_ne!(status, opcorp_status::OPCORP_INTERNAL);
            let code = unsafe { CStr::from_ptr(opcorp_status_code(status as i32)) };
            assert_eq!(code.to_str().unwrap(), kind.code());
            assert_eq!(status.kind(), Some(kind));
            assert_eq!(
                opcorp_status_is_retryable(status as i32),
                kind.is_retryable()
            );
        }
        assert_eq!(seen.len(), ErrorKind::ALL.len());
        let unknown = unsafe { CStr::from_ptr(opcorp_status_code(12345)) };
        assert_eq!(unknown.to_str().unwrap(), "UNKNOWN");
    }
}
