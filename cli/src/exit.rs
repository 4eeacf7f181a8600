//! Exit codes and the one-line error report.
//!
//! Scripts branch on the exit status, so every [`ErrorKind`] has its own code and the codes
//! never change meaning. The table below is printed by `opcorp --help` and copied into the
//! CLI README; a unit test keeps the three in step.

use std::fmt;
use std::process::ExitCode;

use opcorp::{Error, ErrorKind};

/// A check answered "no": `ref check`/`iban check` on an invalid value, a `demo` outcome that
/// did not happen, a `reconcile --fail-on-unmatched` with unmatched payments.
pub const CHECK_FAILED: u8 = 1;
/// A local file could not be read or written.
pub const IO: u8 = 3;
/// The user declined the confirmation prompt, or it could not be shown (stdin not a TTY).
pub const DECLINED: u8 = 4;

/// The exit code of an error kind: one code in 10–25 per kind. The match has no wildcard, so
/// a kind added to core breaks this build until it gets its own code.
pub fn code_of(kind: ErrorKind) -> u8 {
    match kind {
        ErrorKind::InvalidInput => 10,
        ErrorKind::Config => 11,
        ErrorKind::Auth => 12,
        ErrorKind::Forbidden => 13,
        ErrorKind::Tls => 14,
        ErrorKind::Network => 15,
        ErrorKind::Timeout => 16,
        ErrorKind::RateLimited => 17,
        ErrorKind::Server => 18,
        ErrorKind::Rejected => 19,
        ErrorKind::NotFound => 20,
        ErrorKind::Conflict => 21,
        ErrorKind::Decode => 22,
        ErrorKind::Signature => 23,
        ErrorKind::UnknownOutcome => 24,
        ErrorKind::ClockSkew => 25,
        ErrorKind::PayeeMismatch => 26,
    }
}

/// The exit-code table shown at the end of `opcorp --help`.
pub const HELP_TABLE: &str = "\
Exit codes:
   0  success
   1  check failed (invalid reference/IBAN, demo outcome missed, unmatched payments)
   2  usage error (bad flag or argument)
   3  local file could not be read or written
   4  confirmation declined, or needed but stdin is not a terminal (use --yes)
  10  INVALID_INPUT    bad IBAN, reference, amount or date, rejected before any network call
  11  CONFIG           missing or unreadable credentials or settings
  12  AUTH             OAuth2 failed or the bank answered 401
  13  FORBIDDEN        the bank refused the operation for these credentials (403)
  14  TLS              TLS handshake or certificate problem
  15  NETWORK          connection refused, reset or DNS failure
  16  TIMEOUT          a deadline passed
  17  RATE_LIMITED     429 after the retry policy gave up
  18  SERVER           5xx after the retry policy gave up
  19  REJECTED         the bank rejected the request (400/422)
  20  NOT_FOUND        the resource does not exist (404)
  21  CONFLICT         the request conflicts with an earlier one (409)
  22  DECODE           the response could not be decoded
  23  SIGNATURE        request signing failed or the bank rejected the signature
  24  UNKNOWN_OUTCOME  a payment was sent but its outcome is unknown: resolve, never resend
  25  CLOCK_SKEW       the local clock is too far from the bank's
  26  PAYEE_MISMATCH   Verification of Payee stopped the payment before it was signed";

/// Why a command failed: an SDK error or a CLI-level failure with its own exit code.
#[derive(Debug)]
pub enum CliError {
    /// An error from the opcorp SDK, reported with its code, status and request id.
    Sdk(Error),
    /// A local file problem (`what` names the file and the operation).
    Io {
        /// e.g. "cannot read invoices.csv".
        what: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// The user declined, or confirmation was impossible.
    Declined(String),
    /// A check answered "no"; the reason was already printed (or is carried here).
    CheckFailed(Option<String>),
}

impl CliError {
    /// A file operation failed.
    pub fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        CliError::Io {
            what: what.into(),
            source,
        }
    }

    /// Caller input rejected before any network call.
    pub fn invalid(message: impl Into<String>) -> Self {
        CliError::Sdk(Error::invalid_input(message))
    }

    /// Invalid or missing configuration.
    pub fn config(message: impl Into<String>) -> Self {
        CliError::Sdk(Error::config(message))
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Sdk(err) => code_of(err.kind()),
            CliError::Io { .. } => IO,
            CliError::Declined(_) => DECLINED,
            CliError::CheckFailed(_) => CHECK_FAILED,
        }
    }
}

impl From<Error> for CliError {
    fn from(err: Error) -> Self {
        CliError::Sdk(err)
    }
}

impl fmt::Display for CliError {
    /// `error[CODE]: message (HTTP 503) [request id …]`, on one line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Sdk(err) => {
                write!(f, "error[{}]: {}", err.code(), one_line(err.message()))?;
                if let Some(status) = err.status() {
                    write!(f, " (HTTP {status})")?;
                }
                if let Some(id) = err.request_id() {
                    write!(f, " [request id {id}]")?;
                }
                Ok(())
            }
            CliError::Io { what, source } => write!(f, "error[IO]: {what}: {source}"),
            CliError::Declined(why) => write!(f, "error[DECLINED]: {why}"),
            CliError::CheckFailed(Some(why)) => write!(f, "error[CHECK_FAILED]: {why}"),
            CliError::CheckFailed(None) => write!(f, "error[CHECK_FAILED]"),
        }
    }
}

/// Collapses line breaks so an error is always exactly one line on stderr.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Prints the error (if it has something to say) and turns it into the process exit code.
pub fn report(err: &CliError) -> ExitCode {
    if !matches!(err, CliError::CheckFailed(None)) {
        eprintln!("{err}");
    }
    ExitCode::from(err.exit_code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_code_and_a_help_line() {
        let mut seen = std::collections::HashSet::new();
        for kind in ErrorKind::ALL {
            let code = code_of(kind);
            assert!(code >= 10, "{kind} maps to reserved code {code}");
            assert!(seen.insert(code), "{kind} shares exit code {code}");
            let line = format!("{code:>4}  {}", kind.code());
            assert!(HELP_TABLE.contains(&line), "help table lacks {line:?}");
        }
    }

    #[test]
    fn sdk_errors_print_on_one_line_with_status_and_request_id() {
        let err = CliError::from(
            Error::new(ErrorKind::Server, "bank\nfailed")
                .with_status(503)
                .with_request_id("abc"),
        );
        assert_eq!(
            err.to_string(),
            "error[SERVER]: bank failed (HTTP 503) [request id abc]"
        );
        assert_eq!(err.exit_code(), 18);
    }
}
